# shellcheck shell=bash
# lab.bash - what lab 02's Bats files share: running vmlab (as it is, paced,
# and as an unprivileged user) once per Bats file with a deadline, reading the
# lines it prints, and knowing whether the kernel shows frame numbers and maps
# the zero page here.
#
# vmlab's observations are lines "tag: ... key=value key=value" (experiments)
# or "key: value" (translate). Load after helpers:  load ../lib/helpers; load lab
# shellcheck disable=SC2154 # run --separate-stderr sets output, stderr and status

# shellcheck source=../01-memory-layout/recorded.bash
source "${BASH_SOURCE[0]%/*}/../01-memory-layout/recorded.bash"

# Seconds one run of vmlab may take.
VMLAB_DEADLINE=$((10 * ${TIMEOUT_SCALE:-1}))

# vmlab_recorded WHAT COMMAND...: run COMMAND once per Bats file (recorded_run;
# later calls with the same WHAT read that run), then set output, stderr and
# status from it (status "hung" when it did not finish).
vmlab_recorded() {
    local what=$1 base
    shift
    base="$BATS_FILE_TMPDIR/run.${what//[^a-zA-Z0-9_-]/_}"
    recorded_run "$base" "$VMLAB_DEADLINE" 0 "$@"
    read_file "$base.out" output
    # shellcheck disable=SC2034 # the tests read stderr
    read_file "$base.err" stderr
    read_file "$base.status" status
    RECORDED="$base"
}

# expect_vmlab_status N WHAT: fail unless the run just read ended with status N.
expect_vmlab_status() {
    local why
    why=$(recorded_failure "$RECORDED" "$2" "$1")
    [ -z "$why" ] || fail "$why"
}

# run_vmlab ARGS...: run vmlab ARGS (once per Bats file); fail unless it exits
# with status 0.
run_vmlab() {
    local vmlab
    vmlab=$(program vmlab)
    vmlab_recorded "vmlab $*" "$vmlab" "$@"
    expect_vmlab_status 0 "vmlab $*"
}

# run_vmlab_paced ARGS...: the same with vmlab_paced (fork_pace.c): a child
# runs only once its parent waits for it, or has exited.
run_vmlab_paced() {
    local vmlab
    vmlab=$(program vmlab_paced)
    vmlab_recorded "paced $*" "$vmlab" "$@"
    expect_vmlab_status 0 "vmlab $*"
}

# run_vmlab_paced_by_line ARGS...: the same, with stdout line-buffered
# (stdbuf -oL): each line is written when it is printed, so that the order of
# the output is the order of events, not the order in which the processes
# exited and flushed their buffers.
run_vmlab_paced_by_line() {
    local vmlab
    vmlab=$(program vmlab_paced)
    vmlab_recorded "paced by line $*" stdbuf -oL "$vmlab" "$@"
    RUN_PACED=1
    expect_vmlab_status 0 "vmlab $*"
}

# Does this process have CAP_SYS_ADMIN (bit 21 of CapEff)? Only then does
# /proc/PID/pagemap show frame numbers.
frames_visible() {
    local field value
    # (Read by bash: a process costs milliseconds here.)
    while read -r field value; do
        [ "$field" = CapEff: ] && (( (16#$value >> 21) & 1 )) && return 0
    done </proc/self/status
    return 1
}

# Skip a test that needs frame numbers where the kernel hides them.
need_frames() {
    frames_visible ||
        skip "frame numbers are hidden here: the grader runs without CAP_SYS_ADMIN, so /proc/self/pagemap reads frame 0 (the other tests still check the flag bits)"
}

# Does /proc/self/statm count resident pages exactly here? Since Linux 6.16 it
# does; before, its counters were updated in batches.
statm_exact_here() {
    local release major minor
    read -r release </proc/sys/kernel/osrelease     # (uname -r, without a process)
    [[ $release =~ ^([0-9]+)\.([0-9]+) ]] || return 1
    major=${BASH_REMATCH[1]} minor=${BASH_REMATCH[2]}
    [ "$major" -gt 6 ] || { [ "$major" -eq 6 ] && [ "$minor" -ge 16 ]; }
}

# Does this kernel map the shared zero page for a read (zero_page.h)? Some do
# not: there a read of an untouched page gets a page of its own.
zero_page_here() {
    [ "$("$(program zero_page_probe)")" = yes ]
}

# Skip a test of what the zero page promises where the kernel does not map it.
need_zero_page() {
    zero_page_here ||
        skip "this kernel does not map the shared zero page for a read (a read of an untouched page allocates a page of its own, like a write); the handout's section 5.3 explains"
}

# run_vmlab_unprivileged [--paced] ARGS...: run vmlab (or vmlab_paced) ARGS
# without CAP_SYS_ADMIN (as nobody when the grader is root), once per Bats
# file; fail unless it exits with status 0.
run_vmlab_unprivileged() {
    local vmlab as_nobody=() name=vmlab
    if [ "$1" = --paced ]; then
        name=vmlab_paced
        shift
    fi
    vmlab=$(program "$name")
    if [ "$(id -u)" -eq 0 ]; then
        command -v setpriv >/dev/null ||
            skip "setpriv (util-linux) is not installed, so the test cannot run vmlab as nobody"
        as_nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
        "${as_nobody[@]}" test -x "$vmlab" ||
            skip "the user nobody cannot run $vmlab (a folder on its path is not world-searchable)"
    elif frames_visible; then
        skip "this user is not root but has CAP_SYS_ADMIN, so the test cannot hide frame numbers"
    fi
    vmlab_recorded "nobody $name $*" "${as_nobody[@]}" "$vmlab" "$@"
    expect_vmlab_status 0 "vmlab $* (run as an unprivileged user)"
}

# line_starting PREFIX: the first line of $output that starts with PREFIX.
line_starting() {
    local line
    while IFS= read -r line; do
        if [[ $line == "$1"* ]]; then
            printf '%s\n' "$line"
            return 0
        fi
    done <<<"$output"
    fail "$(printf 'vmlab printed no line that starts with "%s"; it printed:\n%s' "$1" "$output")"
}

# field KEY LINE: the value of KEY=value on LINE.
field() {
    local key=$1 line=" $2 "
    if [[ $line =~ \ $key=([^ ]*)\  ]]; then
        printf '%s\n' "${BASH_REMATCH[1]}"
        return 0
    fi
    fail "$(printf 'no %s=... on the line:\n  %s' "$key" "$2")"
}

# value_of KEY: the first word after "KEY: " on the line that starts with it.
value_of() {
    local line rest
    line=$(line_starting "$1: ") || return 1
    rest=${line#"$1: "}
    printf '%s\n' "${rest%% *}"
}

# expect_hex WHAT VALUE: fail unless VALUE is 0x and 1 to 16 hex digits, as %p
# and %#x print them (checked before any arithmetic with it).
expect_hex() {
    [[ $2 =~ ^0x[0-9a-f]{1,16}$ ]] ||
        fail "$(printf '%s is "%s"; expected 0x and hex digits, as %%p and %%#x print them (handout section 5.5). vmlab printed:\n%s' "$1" "$2" "$output")"
}

# expect_number WHAT VALUE: fail unless VALUE is a whole number.
expect_number() {
    [[ $2 =~ ^[0-9]+$ ]] || fail "$1 is '$2', not a number"
}

# expect_in_order FIRST SECOND WHY: the first line of $output that starts with
# FIRST comes before the first one that starts with SECOND.
expect_in_order() {
    local line number=0 first=0 second=0
    line_starting "$1" >/dev/null
    line_starting "$2" >/dev/null
    while IFS= read -r line; do
        number=$((number + 1))
        [ "$first" -ne 0 ] || [[ $line != "$1"* ]] || first=$number
        [ "$second" -ne 0 ] || [[ $line != "$2"* ]] || second=$number
    done <<<"$output"
    [ "$first" -lt "$second" ] ||
        fail "$(printf 'the line "%s..." came before "%s...". %s\n%svmlab printed:\n%s' "$2" "$1" "$3" \
            "${RUN_PACED:+(This test runs vmlab with a child that starts only when its parent waits for it, and each line written as it is printed.) }" "$output")"
}

# expect_lines_once: fail when a line of $output appears more than once.
expect_lines_once() {
    local twice
    twice=$(sort <<<"$output" | uniq -d)
    [ -z "$twice" ] && return 0
    fail "$(printf 'these lines were printed twice:\n%s\n%s\n%s\n%s' "$twice" \
        "stdout is a pipe here, so it is fully buffered: what was printed before fork() was still in the buffer, and the child got a copy of the buffer that it printed again." \
        "Call fflush(stdout) just before fork(). The whole output was:" "$output")"
}

# run_vmlab_failing EXPERIMENT NAME:N: run vmlab_traced EXPERIMENT (once per
# Bats file) with the Nth call of NAME (mmap, mprotect or resident_pages)
# failing with ENOMEM (vm_trace.c). MAPPED and UNMAPPED get "START LENGTH" of
# each mmap and munmap the trace saw, TRACE the whole trace.
run_vmlab_failing() {
    local experiment=$1 failure=$2 vmlab trace kind start length
    trace="$BATS_FILE_TMPDIR/$experiment.${failure//[^a-z0-9]/_}.trace"
    vmlab=$(program vmlab_traced)
    vmlab_recorded "$experiment with $failure failing" \
        env VMLAB_TRACE="$trace" VMLAB_FAIL="$failure" "$vmlab" "$experiment"
    MAPPED=() UNMAPPED=() TRACE='(no trace: nothing was mapped)'
    [ -f "$trace" ] || return 0
    while read -r kind start length _; do
        case "$kind" in
            mmap) MAPPED+=("${start#start=} ${length#length=}") ;;
            munmap) UNMAPPED+=("${start#start=} ${length#length=}") ;;
        esac
    done <"$trace"
    read_file "$trace" TRACE
}

# expect_failure_reported WHAT: the run just read exited with status 1 and
# said why on standard error, as "vmlab: what: Cannot allocate memory" (the
# errno of the call that failed).
expect_failure_reported() {
    expect_vmlab_status 1 "$1"
    [[ $'\n'$stderr$'\n' == *$'\n'"vmlab: "*": Cannot allocate memory"$'\n'* ]] ||
        fail "$(printf '%s: expected the reason on standard error, as "vmlab: what: Cannot allocate memory" (strerror of the errno of the call that failed, here ENOMEM; section 2); standard error was:\n%s' \
            "$1" "${stderr:-(nothing)}")"
}

# expect_every_mapping_released WHAT: each range that mmap gave (MAPPED) was
# unmapped whole (UNMAPPED).
expect_every_mapping_released() {
    local mapping unmapping released
    for mapping in ${MAPPED[@]+"${MAPPED[@]}"}; do
        released=no
        for unmapping in ${UNMAPPED[@]+"${UNMAPPED[@]}"}; do
            [ "$unmapping" != "$mapping" ] || released=yes
        done
        [ "$released" = yes ] ||
            fail "$(printf '%s: the mapping at %s (%s bytes) was never unmapped: release what you mapped on every way out, also when a later call fails. The trace (vm_trace.c) was:\n%s' \
                "$1" "${mapping% *}" "${mapping#* }" "$TRACE")"
    done
}
