# shellcheck shell=bash
# recorded.bash - run a program under test once per Bats file, with a deadline,
# and keep what it printed for every test of the file to read; when it does not
# finish, say what it was doing (its state, the kernel function it waits in,
# its open descriptors) before it is killed, so that one hang costs one
# deadline and explains itself. Labs 01 and 02 use it (their lab.bash loads
# it); it needs process_state and read_file from lib/helpers.bash.

# open_descriptors PID: the descriptors process PID has open, one per line as
# "N -> what", with the test's folder and any PID left out of what.
open_descriptors() {
    local fd target
    for fd in "/proc/$1/fd/"*; do
        target=$(readlink "$fd" 2>/dev/null) || continue
        target=${target/#$BATS_FILE_TMPDIR\//}
        [[ ! $target =~ ^/proc/[0-9]+/(.*) ]] || target="/proc/PID/${BASH_REMATCH[1]}"
        echo "${fd##*/} -> $target"
    done
}

# describe_hung PID: what a process that did not finish was doing, in words:
# its state, the kernel function it sleeps in, and its open descriptors.
describe_hung() {
    local pid=$1 state wchan fds=()
    state=$(process_state "$pid")
    wchan=$(cat "/proc/$pid/wchan" 2>/dev/null || true)
    mapfile -t fds < <(open_descriptors "$pid")
    case "$state" in
        R) echo "It was running on the CPU (state R) all along: a loop that never ends?" ;;
        S|D) echo "It was asleep (state $state) in the kernel function '${wchan:-unknown}': it waited for something that never came (input? a child?)." ;;
        T|t) echo "It was stopped (state $state)." ;;
        *) echo "Its state was $state." ;;
    esac
    [ ${#fds[@]} -eq 0 ] || echo "Its open descriptors: ${fds[*]}."
}

# recorded_run BASE SECONDS PAUSE COMMAND...: run COMMAND and keep BASE.out,
# BASE.err and BASE.status (its exit status; "hung" when it did not end within
# SECONDS, with BASE.hung saying what it was doing before it was killed). Its
# standard input is a FIFO that stays open until it ends. With PAUSE 1, once
# it prints "paused" on stderr, BASE.maps is a copy of its /proc/PID/maps and
# BASE.fds its descriptors (open_descriptors), and its input is closed. Does
# nothing when BASE.status exists: every test of a Bats file reads one run,
# and a hang costs one deadline.
recorded_run() {
    local base=$1 seconds=$2 pause=$3 pid deadline status=0
    shift 3
    [ ! -f "$base.status" ] || return 0
    mkfifo "$base.in"
    # (3 and 4 are Bats's own descriptors: the program gets neither)
    "$@" <"$base.in" >"$base.out" 2>"$base.err" 3>&- 4>&- &
    pid=$!
    exec 4>"$base.in"
    rm -f "$base.in"
    deadline=$((SECONDS + seconds))
    until [ "$(process_state "$pid")" = Z ] || [ "$(process_state "$pid")" = X ]; do
        if [ "$pause" -eq 1 ] && grep -q paused "$base.err"; then
            cp "/proc/$pid/maps" "$base.maps"
            open_descriptors "$pid" >"$base.fds"
            exec 4>&-
            pause=0
            deadline=$((SECONDS + seconds))
        elif [ "$SECONDS" -ge "$deadline" ]; then
            { echo "did not finish within $seconds s."; describe_hung "$pid"; } >"$base.hung"
            kill -KILL "$pid" 2>/dev/null || true
            break
        fi
        sleep 0.05
    done
    exec 4>&-
    { wait "$pid"; } 2>/dev/null || status=$?     # (no "Killed" from the shell)
    if [ -f "$base.hung" ]; then
        echo hung >"$base.status"
    else
        echo "$status" >"$base.status"
    fi
}

# recorded_failure BASE WHAT EXPECTED: why the run BASE (recorded_run) failed,
# as "WHAT did not finish ..." or "WHAT exited with status ...", or nothing
# when it exited with status EXPECTED.
recorded_failure() {
    local base=$1 what=$2 expected=$3 status why
    read_file "$base.status" status
    [ "$status" != "$expected" ] || return 0
    if [ "$status" = hung ]; then
        printf '%s %s' "$what" "$(cat "$base.hung")"
        return 0
    fi
    why="exited with status $status"
    [ "$status" -le 128 ] || why="was killed by signal $((status - 128)) ($(kill -l $((status - 128)) 2>/dev/null))"
    printf '%s %s; expected status %s.\nits stderr:\n%s' "$what" "$why" "$expected" "$(head -n 20 "$base.err")"
}
