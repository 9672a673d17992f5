# shellcheck shell=bash
# lab.bash - what the Bats files of lab 05 share. Load it after ../lib/helpers:
#
#   load ../lib/helpers
#   load lab
#
# A program under test that hangs is described before it is killed: its
# state, where it sleeps (/proc/PID/wchan in words) and the pipes it holds,
# and the same for its children; never a pid. Once a program has hung in a
# Bats file, its next runs in that file get a short deadline: one cause,
# such as a forgotten close(), makes every test hang the same way.

# Seconds a program gets once it has hung in an earlier test of the file.
AGAIN_SECONDS=2

# run_within SECONDS COMMAND...: like run_program, with a deadline of its own
# (scaled by TIMEOUT_SCALE; AGAIN_SECONDS once COMMAND has hung in this file)
# and with every descriptor above 2 closed, so that the command sees only
# what it opens itself. Status 124: the deadline passed; then the file
# $HANG_REPORT (default $BATS_TEST_TMPDIR/hang) says what it was doing.
# Status 124 too when the command ended but processes it left running still
# hold its standard output at the deadline (release_output, lib/helpers).
run_within() {
    local seconds=$1 report=${HANG_REPORT:-$BATS_TEST_TMPDIR/hang} pid status start
    local name=${2##*/} again=''
    shift
    rm -f "$report" "$report.left"
    if [ -e "$BATS_FILE_TMPDIR/hung.$name" ]; then
        seconds=$AGAIN_SECONDS
        again=", the short deadline of a program that has hung in an earlier test"
    fi
    seconds=$((seconds * ${TIMEOUT_SCALE:-1}))
    start=${EPOCHREALTIME//[!0-9]/}
    start_closed "$@" <&0
    pid=$!
    if ends_within "$seconds" "$pid"; then
        status=0
        wait "$pid" || status=$?
        release_output $((start + seconds * 1000000)) "$report.left" && return "$status"
        {
            printf 'ended (status %s), but left processes running that held its standard output open, so that its output never ended; they were stopped %s s after it started. Wait for every child you start (waitpid) before the program exits. What they were doing:\n' \
                "$status" "$seconds"
            cat "$report.left"
        } >"$report"
        : >"$BATS_FILE_TMPDIR/hung.$name"
        return 124
    fi
    {
        printf 'did not finish within %s s (the test stopped it%s); at that moment:\n' \
            "$seconds" "$again"
        describe_tree "$pid" "$name"
    } >"$report"
    : >"$BATS_FILE_TMPDIR/hung.$name"
    kill_tree "$pid"
    wait "$pid" 2>/dev/null || true
    return 124
}

# start_closed COMMAND...: start COMMAND in the background with every
# descriptor above 2 closed; $! is its pid.
start_closed() {
    (
        # In a subshell: bash keeps copies of redirected descriptors above 9.
        for fd in /proc/"$BASHPID"/fd/*; do
            fd=${fd##*/}
            [ "$fd" -le 2 ] || eval "exec $fd>&-"
        done
        exec "$@"
    ) <&0 &
}

# The report of the last run_within that timed out, or nothing.
hang_report() {
    cat "${HANG_REPORT:-$BATS_TEST_TMPDIR/hang}" 2>/dev/null || true
}

# Where a process sleeps, in words, from /proc/PID/wchan.
waiting_in() {
    case "$1" in
        *pipe_read*) echo "in read() on an empty pipe" ;;
        *pipe_write*) echo "in write() on a full pipe" ;;
        *wait_for_partner*) echo "in open() of a FIFO, waiting for the other end" ;;
        *do_wait*) echo "in waitpid(), waiting for a child to end" ;;
        *poll*) echo "in poll()" ;;
        *select*) echo "in select()" ;;
        *futex*) echo "on a futex (a lock or a semaphore)" ;;
        *nanosleep*) echo "in sleep()" ;;
        *) echo "in the kernel function $1" ;;
    esac
}

# describe_process PID LABEL [FROM]: one line, what the process was doing
# and the pipes and FIFOs it held from descriptor FROM on (default 0):
# "fd 4 = pipe:[123] (write end)".
describe_process() {
    local pid=$1 label=$2 from=${3:-0} state line fd target flags mode held=()
    state=$(process_state "$pid")
    case "$state" in
        S|D) line="was asleep $(waiting_in "$(cat "/proc/$pid/wchan" 2>/dev/null)")" ;;
        R) line="was running (not waiting for anything: a loop?)" ;;
        Z) line="had ended, and nobody had waited for it (a zombie)" ;;
        X) line="had ended" ;;
        *) line="was in state $state" ;;
    esac
    for fd in /proc/"$pid"/fd/*; do
        if [ ! -p "$fd" ] || [ "${fd##*/}" -lt "$from" ]; then continue; fi
        target=$(readlink "$fd" 2>/dev/null) || continue
        flags=$(sed -n 's/^flags:[[:space:]]*//p' "/proc/$pid/fdinfo/${fd##*/}" 2>/dev/null)
        mode=
        if [[ $flags =~ ^[0-7]+$ ]]; then
            case $((8#$flags & 3)) in
                0) mode=" (read end)" ;;
                1) mode=" (write end)" ;;
                2) mode=" (read and write)" ;;
            esac
        fi
        [[ $target == /* ]] && target="FIFO ${target##*/}"
        held+=("fd ${fd##*/} = $target$mode")
    done
    if [ ${#held[@]} -eq 0 ]; then
        line+=", holding no pipe"
    else
        local list
        printf -v list '%s, ' "${held[@]}"
        line+=", holding ${list%, }"
    fi
    echo "  $label $line"
}

# describe_tree PID LABEL [INDENT]: describe_process for PID and its
# descendants, each child one step further in. The standard descriptors of
# PID itself are the test's, and left out.
describe_tree() {
    local pid=$1 label=$2 indent=${3:-} child command
    describe_process "$pid" "$label" "$([ -z "$indent" ] && echo 3 || echo 0)" |
        sed "s/^/$indent/"
    for child in $(children_of "$pid"); do
        command=$(tr '\0' ' ' <"/proc/$child/cmdline" 2>/dev/null)
        describe_tree "$child" "its child '${command% }'" "$indent  "
    done
}

# The pids of the children of process PID, on one line.
children_of() {
    cat "/proc/$1/task/$1/children" 2>/dev/null || true
}

# A prefix for commands that must run without CAP_SYS_RESOURCE, which lets a
# process go above /proc/sys/fs/pipe-max-size: empty when we lack it already.
without_cap_sys_resource() {
    local effective
    effective=$(sed -n 's/^CapEff:[[:space:]]*//p' /proc/self/status)
    if (((16#$effective >> 24) & 1)); then
        echo setpriv --inh-caps=-sys_resource --bounding-set=-sys_resource
    fi
}
