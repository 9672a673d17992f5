# shellcheck shell=bash
# lab.bash - what lab 02's Bats files share: running vmlab (as it is, and as an
# unprivileged user), reading the lines it prints, and knowing whether the
# kernel shows frame numbers here.
#
# vmlab's observations are lines "tag: ... key=value key=value" (experiments)
# or "key: value" (translate). Load after helpers:  load ../lib/helpers; load lab
# shellcheck disable=SC2154 # run --separate-stderr sets output, stderr and status

# run_vmlab ARGS...: run vmlab; fail unless it exits with status 0.
run_vmlab() {
    run --separate-stderr run_program "$(program vmlab)" "$@"
    expect_status 0 "vmlab $*"
}

# Does this process have CAP_SYS_ADMIN (bit 21 of CapEff)? Only then does
# /proc/PID/pagemap show frame numbers.
frames_visible() {
    local effective
    effective=$(awk '$1 == "CapEff:" {print $2}' /proc/self/status)
    (( (16#$effective >> 21) & 1 ))
}

# Skip a test that needs frame numbers where the kernel hides them.
need_frames() {
    frames_visible ||
        skip "frame numbers are hidden here: the grader runs without CAP_SYS_ADMIN, so /proc/self/pagemap reads frame 0 (the other tests still check the flag bits)"
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

# run_vmlab_unprivileged ARGS...: run vmlab without CAP_SYS_ADMIN (as nobody
# when the grader is root); fail unless it exits with status 0.
run_vmlab_unprivileged() {
    local vmlab as_nobody=()
    vmlab=$(program vmlab)
    if [ "$(id -u)" -eq 0 ]; then
        command -v setpriv >/dev/null ||
            skip "setpriv (util-linux) is not installed, so the test cannot run vmlab as nobody"
        as_nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
        "${as_nobody[@]}" test -x "$vmlab" ||
            skip "the user nobody cannot run $vmlab (a folder on its path is not world-searchable)"
    elif frames_visible; then
        skip "this user is not root but has CAP_SYS_ADMIN, so the test cannot hide frame numbers"
    fi
    run --separate-stderr run_program "${as_nobody[@]}" "$vmlab" "$@"
    expect_status 0 "vmlab $* (run as an unprivileged user)"
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

# expect_number WHAT VALUE: fail unless VALUE is a whole number.
expect_number() {
    [[ $2 =~ ^[0-9]+$ ]] || fail "$1 is '$2', not a number"
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
