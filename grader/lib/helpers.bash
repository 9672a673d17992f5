# shellcheck shell=bash
# helpers.bash - what every lab's Bats tests share.
#
# Load it first in a .bats file:   load ../lib/helpers
#
# The grader sets LAB_BIN (the built programs), LAB_SRC (the student's copy),
# HANDOUT, GRADER_RUN_ID and TIMEOUT_SCALE. Programs under test run with file
# descriptor 3 closed: Bats reports results on it, and the code under test
# must not be able to write there.

# Bats runs bats_debug_trap before every command of a test, to know the line
# to name when the test fails: about 170 us a command here, 35 times what the
# command itself costs in a loop. The grader drops those location lines (each
# failure says what went wrong itself), so the lab tests do without it. It
# comes first: loading assertions.bash under Bats' trap cost every test 60 ms.
bats_debug_trap() { :; }

# shellcheck source=assertions.bash
source "${BASH_SOURCE[0]%/*}/assertions.bash"
# shellcheck source=mounts.sh
source "${BASH_SOURCE[0]%/*}/mounts.sh"

# The tests use run's flags (--separate-stderr), which need Bats 1.5.0: saying
# so keeps Bats from warning (BW02) after a file run by hand. (Bats older than
# 1.7 has no such function.)
if declare -F bats_require_minimum_version >/dev/null; then
    bats_require_minimum_version 1.5.0
fi

# Seconds a single program may run before it counts as hung.
PROGRAM_TIMEOUT=$((20 * ${TIMEOUT_SCALE:-1}))

# The path of a lab program, or fail when it was not built.
program() {
    local path="$LAB_BIN/$1"
    [ -x "$path" ] || fail "the program $1 was not built"
    echo "$path"
}

# Seconds a program may run once two programs of this Bats file have hung:
# one cause (a pipe left open, say) usually hangs them all, and waiting out
# every one would only make the student wait.
SHORT_TIMEOUT=$((2 * ${TIMEOUT_SCALE:-1}))

# Run a command with fd 3 closed and a time limit (use as: run --separate-stderr
# run_program ...). When it runs out, what the program and its children were
# waiting for is written to $BATS_TEST_TMPDIR/hang (lib/describe-hang) before
# they are killed, and the status is 124. The status is 124 too when the
# program ended but processes it left running (children it did not wait for)
# still hold its standard output when the limit runs out: `run` reads the
# output to its end, and would wait for them (see release_output).
run_program() {
    local limit=$PROGRAM_TIMEOUT hangs="${BATS_FILE_TMPDIR:-$BATS_TEST_TMPDIR}/hangs" pid status=0
    local start=${EPOCHREALTIME//[!0-9]/} holders=() holder
    # (A test that expects a program to block sets a shorter PROGRAM_TIMEOUT:
    # its timeouts are not hangs.)
    local usual=$((20 * ${TIMEOUT_SCALE:-1}))
    # (An earlier program of the test may have left processes running.)
    [ ! -e "$BATS_TEST_TMPDIR/left-running" ] ||
        rm -f "$BATS_TEST_TMPDIR/left-running" "$BATS_TEST_TMPDIR/left-running-status"
    # (-f first: a failed redirection would print its error on the test's stderr.)
    if [ "$limit" -ge "$usual" ] && [ -f "$hangs" ] && [ "$(wc -l <"$hangs")" -ge 2 ]; then
        limit=$SHORT_TIMEOUT
        echo "$limit s (two programs of this file hung already)" >"$BATS_TEST_TMPDIR/hang-limit"
    fi
    "$@" 0<&0 3>&- &
    pid=$!
    if ! ends_within "$limit" "$pid"; then
        "$GRADER_LIB/describe-hang" "$pid" "the program" >"$BATS_TEST_TMPDIR/hang" 2>&1 || true
        [ "$limit" -lt "$usual" ] || echo "${1##*/}" >>"$hangs"
        kill_tree "$pid"
        wait "$pid" 2>/dev/null || true
        # (What it left before it was stopped is no longer below it.)
        output_holders holders
        for holder in "${holders[@]}"; do
            kill_tree "$holder"
        done
        return 124
    fi
    wait "$pid" || status=$?
    if ! release_output $((start + limit * 1000000)) "$BATS_TEST_TMPDIR/left-running"; then
        [ "$limit" -lt "$usual" ] || echo "${1##*/}" >>"$hangs"
        echo "$status" >"$BATS_TEST_TMPDIR/left-running-status"
        return 124
    fi
    return "$status"
}

# output_holders NAME: set the array NAME to the pids of the processes, other
# than this shell, whose standard output or error is this shell's standard
# output, when that is a pipe (as in `run`, which reads it to its end): a
# process a program left running with it, a child it did not wait for, holds
# the test until it ends. Empty when the output is not a pipe. Bash reads
# /proc itself (a test, -ef, per descriptor; no process started): about 3 ms
# for a hundred processes.
output_holders() {
    local -n holders_into=$1
    local process self=/proc/$BASHPID
    holders_into=()
    [ -p "$self/fd/1" ] || return 0
    for process in /proc/[1-9]*; do
        [ "$process" != "$self" ] || continue
        if [ "$process/fd/1" -ef "$self/fd/1" ] || [ "$process/fd/2" -ef "$self/fd/1" ]; then
            holders_into+=("${process#/proc/}")
        fi
    done
}

# release_output DEADLINE REPORT: once the program under test has ended, wait
# until no process it left running holds this shell's output (output_holders),
# until DEADLINE (microseconds, as in EPOCHREALTIME). Fails when some still do
# then: what each was doing is written to the file REPORT, and they are killed.
release_output() {
    local deadline=$1 report=$2 holders=() holder
    output_holders holders
    while [ ${#holders[@]} -gt 0 ] && [ "${EPOCHREALTIME//[!0-9]/}" -lt "$deadline" ]; do
        pause 0.05
        output_holders holders
    done
    [ ${#holders[@]} -gt 0 ] || return 0
    for holder in "${holders[@]}"; do
        "$GRADER_LIB/describe-hang" "$holder" "a process it left running" 2>&1 || true
    done >"$report"
    for holder in "${holders[@]}"; do
        kill_tree "$holder"
    done
    return 1
}

# ends_within SECONDS PID [WCHAN_REGEX]: wait until the child PID has exited
# (even before it is reaped), at most SECONDS; fails (1) when it is still
# running then. With WCHAN_REGEX, fails (2) as soon as PID is seen asleep
# (state S) in a kernel function that matches it (/proc/PID/wchan): for a
# command that must never wait there, nothing else would wake it, so its
# hang is certain at once instead of after the whole timeout. Polled,
# not wait -n: under Bats, wait -n can miss a child that ended before it was
# called and wait out the whole time. (The deadline is in microseconds:
# SECONDS counts whole seconds, and 1 s of it could be 0.) It looks every
# 5 ms for the first 0.2 s, every 20 ms until 2 s, then every 100 ms; a look
# reads /proc/PID/stat and a pause starts no process (pause), so that a
# command that ends at once costs milliseconds, not a sleep's 20-50 ms.
ends_within() {
    local pid=$2 wchan_regex=${3:-} deadline looks=0 interval=0.005 state
    deadline=$((${EPOCHREALTIME//[!0-9]/} + $1 * 1000000))
    while :; do
        read_process_state "$pid" state
        case "$state" in Z|X) return 0 ;; esac      # (ended; reaped or not)
        [ -z "$wchan_regex" ] || ! process_asleep "$pid" "$wchan_regex" || return 2
        [ "${EPOCHREALTIME//[!0-9]/}" -lt "$deadline" ] || return 1
        looks=$((looks + 1))
        case "$looks" in 40) interval=0.02 ;; 130) interval=0.1 ;; esac
        pause "$interval"
    done
}

# pause SECONDS: sleep without starting a process: a read that times out on a
# FIFO that nobody writes (opened for reading and writing, so it never reaches
# end-of-file), made once for the Bats file's tests (a mkfifo a test cost a
# process a test), opened and closed here, so that no program the test starts
# inherits it. Outside a test, sleep(1).
pause() {
    local folder=${BATS_FILE_TMPDIR:-${BATS_TEST_TMPDIR:-}} fd
    if [ -n "$folder" ] && { [ -p "$folder/.pause" ] || mkfifo -m 600 "$folder/.pause"; } 2>/dev/null &&
       { exec {fd}<>"$folder/.pause"; } 2>/dev/null; then
        read -r -t "$1" -u "$fd" _ || true
        exec {fd}>&-
    else
        sleep "$1"
    fi
}

# kill_tree PID: SIGKILL a process and every process below it. (No process
# started: when a program has filled the user's process limit, a fork fails.)
kill_tree() {
    local tasks children=() child
    for tasks in /proc/"$1"/task/*/children; do
        { read -r -a children <"$tasks"; } 2>/dev/null || true
        for child in "${children[@]}"; do
            kill_tree "$child"
        done
    done
    kill -KILL "$1" 2>/dev/null || true
}

# Fail with a first line saying what happened, then details, when the last
# `run` ended with a status other than $1.
expect_status() {
    local expected=$1 what=$2 why details=
    [ "$status" -eq "$expected" ] && return 0
    why="exited with status $status"
    if [ "$status" -eq 124 ] && [ -f "$BATS_TEST_TMPDIR/left-running" ]; then
        why="ended (status $(cat "$BATS_TEST_TMPDIR/left-running-status" 2>/dev/null || echo '?')), but left processes running that held its standard output open, so that its output never ended; they were stopped when its time limit, $(cat "$BATS_TEST_TMPDIR/hang-limit" 2>/dev/null || echo "$PROGRAM_TIMEOUT s"), ran out"
        details="Wait for every child you start (waitpid) before the program exits. What they were doing:
$(cat "$BATS_TEST_TMPDIR/left-running")"
    elif [ "$status" -eq 124 ]; then
        why="did not finish within $(cat "$BATS_TEST_TMPDIR/hang-limit" 2>/dev/null || echo "$PROGRAM_TIMEOUT s"), and was stopped"
        details="What it was waiting for:
$(cat "$BATS_TEST_TMPDIR/hang" 2>/dev/null || echo "(not known)")"
    elif [ "$status" -gt 128 ]; then
        why="was killed by signal $((status - 128)) ($(kill -l $((status - 128)) 2>/dev/null))"
    fi
    fail "$(printf '%s %s; expected status %s.\n%s%sits stderr:\n%s' "$what" "$why" "$expected" \
        "$details" "${details:+$'\n'}" "${stderr:-}")"
}

# read_process_state PID NAME: set the variable NAME (not stat) to the one-letter state of
# a process from /proc/PID/stat (R, S, Z, ...), or X when gone. (Read by bash
# itself, into a variable: it is polled, and here starting a process, even the
# subshell of a $(...), costs milliseconds.)
read_process_state() {
    local -n state_into=$2
    local stat=
    # (-d '': the whole file, even when the command's name holds a newline.)
    { IFS= read -r -d '' stat <"/proc/$1/stat"; } 2>/dev/null || true
    if [ -z "$stat" ]; then
        state_into=X
        return 0
    fi
    stat=${stat##*) }
    # shellcheck disable=SC2034 # state_into is the caller's variable
    state_into=${stat%% *}
}

# process_asleep PID [REGEX]: PID sleeps (state S) and, given REGEX, in a kernel
# function that matches it: the one /proc/PID/wchan names, left in WCHAN ("" or
# 0 where the kernel hides it). (Polled: read by bash, into variables.)
process_asleep() {
    local state
    WCHAN=
    read_process_state "$1" state
    [ "$state" = S ] || return 1
    [ $# -ge 2 ] || return 0
    { IFS= read -r WCHAN <"/proc/$1/wchan"; } 2>/dev/null || true
    [[ $WCHAN =~ $2 ]]
}

# process_state PID: print the state read_process_state reads.
process_state() {
    local state
    read_process_state "$1" state
    echo "$state"
}

# read_file FILE NAME: set the variable NAME to the text of FILE without its trailing
# newlines, as $(cat FILE) would, without starting a process. Fails when FILE cannot be read.
read_file() {
    local -n into=$2
    into=
    [ -r "$1" ] || return 1
    IFS= read -r -d '' into <"$1" || true
    while [[ $into == *$'\n' ]]; do into=${into%$'\n'}; done
}

# wait_until SECONDS COMMAND...: poll COMMAND until it succeeds; fail after SECONDS.
wait_until() {
    local seconds=$(($1 * ${TIMEOUT_SCALE:-1})) deadline
    shift
    deadline=$((SECONDS + seconds))
    until "$@"; do
        [ "$SECONDS" -lt "$deadline" ] || return 1
        pause 0.02
    done
}

# start_paused PROGRAM ARGS...: start a program that prints, says "paused" on
# stderr and then waits for its standard input to close. Sets PAUSED_PID,
# PAUSED_OUT and PAUSED_ERR (files) and PAUSED_MAPS (a copy of /proc/PID/maps
# taken while the program waits). Fails if it exits before pausing.
start_paused() {
    local fifo="$BATS_TEST_TMPDIR/stdin.$$"
    PAUSED_OUT="$BATS_TEST_TMPDIR/paused.out"
    PAUSED_ERR="$BATS_TEST_TMPDIR/paused.err"
    PAUSED_MAPS="$BATS_TEST_TMPDIR/paused.maps"
    mkfifo "$fifo"
    "$@" <"$fifo" >"$PAUSED_OUT" 2>"$PAUSED_ERR" 3>&- &
    PAUSED_PID=$!
    exec 4>"$fifo"      # the program's stdin stays open until stop_paused
    rm -f "$fifo"
    if ! wait_until 10 paused_or_gone; then
        fail "$(basename "$1") did not print 'paused' on stderr within $((10 * ${TIMEOUT_SCALE:-1})) s"
    fi
    if ! grep -q paused "$PAUSED_ERR"; then
        local status=0
        exec 4>&-
        wait "$PAUSED_PID" || status=$?
        PAUSED_PID=
        fail "$(printf '%s exited with status %s before pausing; its stderr:\n%s' \
            "$(basename "$1")" "$status" "$(cat "$PAUSED_ERR")")"
    fi
    cp "/proc/$PAUSED_PID/maps" "$PAUSED_MAPS"
}

paused_or_gone() {
    grep -q paused "$PAUSED_ERR" && return 0
    process_gone "$PAUSED_PID"
}

# stop_paused: close the paused program's stdin and wait for it; sets status.
stop_paused() {
    status=0
    exec 4>&-
    [ -n "${PAUSED_PID:-}" ] || return 0
    if ! wait_until 10 process_gone "$PAUSED_PID"; then
        kill -KILL "$PAUSED_PID" 2>/dev/null || true
    fi
    wait "$PAUSED_PID" || status=$?
    PAUSED_PID=
}

process_gone() {
    local state
    read_process_state "$1" state
    case "$state" in Z|X) return 0 ;; esac
    return 1
}

# Call from teardown(): no test leaves a paused program behind.
cleanup_paused() {
    exec 4>&- 2>/dev/null || true
    if [ -n "${PAUSED_PID:-}" ]; then
        kill -KILL "$PAUSED_PID" 2>/dev/null || true
        wait "$PAUSED_PID" 2>/dev/null || true
    fi
}

# run_valgrind PROGRAM ARGS...: run under Valgrind memcheck; fail on any error
# or on definitely or indirectly lost memory, showing Valgrind's report.
# (--read-inline-info=no: -Og inlines none of the lab's functions, and reading
# the C library's inline information took 50 ms of each run's 480.)
run_valgrind() {
    local log="$BATS_TEST_TMPDIR/valgrind.log" status=0
    timeout --kill-after=2 $((6 * PROGRAM_TIMEOUT)) valgrind --error-exitcode=99 --read-inline-info=no \
        --leak-check=full --errors-for-leak-kinds=definite,indirect --log-file="$log" \
        "$@" >/dev/null 2>"$BATS_TEST_TMPDIR/valgrind.stderr" 3>&- </dev/null || status=$?
    if [ "$status" -eq 99 ]; then
        fail "$(printf 'Valgrind found memory errors or leaks in %s:\n%s' "$(basename "$1")" \
            "$(grep -v '^==[0-9]*== *$' "$log" | sed 's/^==[0-9]*== //' | head -n 40)")"
    elif [ "$status" -ne 0 ]; then
        fail "$(printf '%s exited with status %s under Valgrind; its stderr:\n%s' \
            "$(basename "$1")" "$status" "$(head -n 20 "$BATS_TEST_TMPDIR/valgrind.stderr")")"
    fi
}
