# shellcheck shell=bash
# lab.bash - what the Bats files of lab 03 share: unique queue names and their
# removal, programs started in the background and watched from outside
# (/proc/PID/stat, /proc/PID/wchan), System V keys computed as ftok does, and
# elapsed time on a clock that never jumps.
#
# Load it after the common helpers:   load ../lib/helpers
#                                     load lab

# Where a process sleeps in the kernel while it waits on a queue (/proc/PID/wchan).
# shellcheck disable=SC2034 # used by the .bats files that load this file
MQ_WAIT='wq_sleep|mq_timed(send|receive)'
# shellcheck disable=SC2034 # used by the .bats files that load this file
MSGRCV_WAIT='msgrcv'
# shellcheck disable=SC2034 # used by the .bats files that load this file
MSGSND_WAIT='msgsnd'

# Seconds (times TIMEOUT_SCALE) that a command which should return at once may take;
# after a hang in an earlier test of this run, 1 s is enough: one cause does not make
# every test wait in turn.
QUICK_SECONDS=5
# Seconds (times TIMEOUT_SCALE) to wait for a program to sleep in the queue code, or to
# end; 2 after an earlier hang.
WAIT_SECONDS=10

BACKGROUND=()

# The POSIX tests look for queues in /dev/mqueue: fail at once, saying so, when it is not there.
require_mqueue_fs() {
    mqueue_mounted && return 0
    fail "these tests look for queues in /dev/mqueue, which is not mounted here: as root, run
    mkdir -p /dev/mqueue && mount -t mqueue none /dev/mqueue"
}

# Kill what a test started, and remove every queue it made (whatever the code under test did).
lab03_teardown() {
    local pid file key queues
    for pid in "${BACKGROUND[@]}"; do
        kill -KILL "$pid" 2>/dev/null || true
        { wait "$pid"; } 2>/dev/null || true
    done
    # (rm and ipcrm only for what exists: a process costs milliseconds here.)
    queues=("/dev/mqueue/$QUEUE_PREFIX"*)
    [ ! -e "${queues[0]}" ] || rm -f "${queues[@]}"
    for file in "$BATS_TEST_TMPDIR"/*.key; do
        [ -e "$file" ] || continue
        key=$(ftok_key "$file")
        ! find_sysv_queue "$key" || ipcrm -Q "$key" 2>/dev/null || true
    done
}

# The start of this test's queue names: no other run, Bats process or test shares it.
QUEUE_PREFIX="lab03-${GRADER_RUN_ID:-manual}-$$-${BATS_TEST_NUMBER:-0}-"

# queue_name WHAT: a POSIX queue name for this test, e.g. /lab03-RUN-PID-3-WHAT.
queue_name() {
    echo "/$QUEUE_PREFIX$1"
}

# queue_file NAME: where /dev/mqueue shows the queue NAME.
queue_file() {
    echo "/dev/mqueue/${1#/}"
}

# The ftok key of each key file made by key_file, by path (ftok_key looks here first).
declare -gA KEY_OF=()

# key_file NAME WHAT: set the variable NAME to the path of a new file for ftok,
# and KEY to its key (ftok_key); teardown removes the queue of that key. (Into
# variables: the key is remembered in this shell, not in a $(...)'s subshell.)
key_file() {
    local -n path_into=$1
    path_into="$BATS_TEST_TMPDIR/$2.key"
    : >"$path_into"
    KEY=$(ftok_key "$path_into")
    KEY_OF[$path_into]=$KEY
}

# ftok_key PATH: the key ftok(PATH, 'M') gives, as ipcs prints keys (0x4d0012ab).
ftok_key() {
    local device inode
    if [ -n "${KEY_OF[$1]:-}" ]; then
        echo "${KEY_OF[$1]}"
        return
    fi
    read -r device inode < <(stat -c '%d %i' "$1")
    printf '0x%08x\n' $(((0x4d << 24) | ((device & 0xff) << 16) | (inode & 0xffff)))
}

# find_sysv_queue KEY: is there a System V queue of KEY (0x4d0012ab)? When
# there is, SYSV_LINE holds it as `ipcs -q` shows it: key msqid owner perms
# bytes messages (the owner as a uid). Read by bash from /proc/sysvipc/msg
# (key msqid perms cbytes qnum lspid lrpid uid ...; the key in decimal), into
# a variable: a process, even the subshell of a $(...), costs milliseconds here.
find_sysv_queue() {
    local key msqid perms cbytes qnum uid
    SYSV_LINE=
    while read -r key msqid perms cbytes qnum _ _ uid _; do
        [[ $key =~ ^-?[0-9]+$ ]] || continue                # (the heading)
        printf -v key '0x%08x' $((key & 0xffffffff))
        [ "$key" = "$1" ] || continue
        SYSV_LINE="$key $msqid $uid $perms $cbytes $qnum"
        return 0
    done </proc/sysvipc/msg
    return 1
}

# sysv_line KEY: the line find_sysv_queue finds for KEY, or nothing.
sysv_line() {
    ! find_sysv_queue "$1" || echo "$SYSV_LINE"
}

# sysv_messages KEY: how many messages the queue of KEY holds (nothing when there is no such queue).
sysv_messages() {
    ! find_sysv_queue "$1" || echo "${SYSV_LINE##* }"
}

# The file that says "a program hung in an earlier test of this run", and what it was.
HANG_MARKER="${BATS_RUN_TMPDIR:-${BATS_TEST_TMPDIR:-/tmp}}/lab03-hung"

# note_hang WHAT: remember for the later tests that WHAT hung.
note_hang() {
    [ -e "$HANG_MARKER" ] || echo "$1" >"$HANG_MARKER"
}

# seconds_to_wait FULL: set WAIT to FULL seconds, or to 1 (2 for a full wait of 10 s or
# more) after an earlier hang; times TIMEOUT_SCALE.
seconds_to_wait() {
    WAIT=$1
    if [ -e "$HANG_MARKER" ]; then
        WAIT=1
        [ "$1" -lt 10 ] || WAIT=2
    fi
    WAIT=$((WAIT * ${TIMEOUT_SCALE:-1}))
}

# after_earlier_hang: a sentence for failure messages when an earlier test saw a hang.
after_earlier_hang() {
    [ -e "$HANG_MARKER" ] || return 0
    printf ' (an earlier test saw "%s" hang, so the later ones wait only %s s)' \
        "$(cat "$HANG_MARKER")" "${TIMEOUT_SCALE:-1}"
}

# describe_process PID: what a running program is doing, in words: its state, the
# kernel function it sleeps in, and its open descriptors.
describe_process() {
    local pid=$1 state wchan doing fd fds=''
    state=$(process_state "$pid")
    wchan=$(cat "/proc/$pid/wchan" 2>/dev/null) || wchan=
    case "$state:$wchan" in
        X:*|Z:*) doing="it had ended" ;;
        S:*wq_sleep*|S:*mq_timed*) doing="it was asleep in $wchan: waiting on a POSIX queue (receiving from an empty one, or sending to a full one)" ;;
        S:*msgrcv*) doing="it was asleep in $wchan: waiting in msgrcv for a message of the type it asked for" ;;
        S:*msgsnd*) doing="it was asleep in $wchan: waiting in msgsnd for room in a full queue" ;;
        S:*) doing="it was asleep in ${wchan:-the kernel}" ;;
        R:*) doing="it was running (state R): a loop that does not end?" ;;
        *) doing="its state was $state" ;;
    esac
    for fd in "/proc/$pid/fd/"*; do
        [ -e "$fd" ] || [ -L "$fd" ] || continue
        fds+="${fds:+, }${fd##*/} -> $(readlink "$fd" 2>/dev/null)"
    done
    printf '%s; its open descriptors: %s' "$doing" "${fds:-none}"
}

# run_watched SECONDS CMD...: run CMD (standard input from WATCH_STDIN, else /dev/null;
# fd 3 closed) and wait at most SECONDS for it. Sets status, output and stderr as
# `run --separate-stderr` does, and WATCH_SECONDS (words). When the time runs out, HUNG says
# what CMD was doing (describe_process), it is killed and status is 124; else HUNG is
# empty. With WATCH_WCHAN set (a /proc/PID/wchan regex; quick sets it), CMD seen
# asleep there is a hang at once.
run_watched() {
    local seconds=$1 out="$BATS_TEST_TMPDIR/watched.out" err="$BATS_TEST_TMPDIR/watched.err"
    local pid ended=0 start=${EPOCHREALTIME//[!0-9]/}
    shift
    WATCH_SECONDS="$seconds s"
    HUNG=
    "$@" <"${WATCH_STDIN:-/dev/null}" >"$out" 2>"$err" 3>&- &
    pid=$!
    status=0
    ends_within "$seconds" "$pid" "${WATCH_WCHAN:-}" || ended=$?
    if [ "$ended" -eq 0 ]; then
        wait "$pid" || status=$?
    else
        HUNG=$(describe_process "$pid")
        if [ "$ended" -eq 2 ]; then
            HUNG+=" (no other process used the queue: nothing would ever wake it)"
            WATCH_SECONDS="$(((${EPOCHREALTIME//[!0-9]/} - start) / 1000)) ms (it went to sleep in the queue; allowed: $seconds s)"
        else
            WATCH_SECONDS="$seconds s"
        fi
        kill -KILL "$pid" 2>/dev/null || true
        { wait "$pid"; } 2>/dev/null || true
        status=124
        note_hang "${1##*/} ${*:2}"
    fi
    read_file "$out" output
    read_file "$err" stderr
}

# quick CMD...: run_watched for a command that should not wait (5 s, scaled). A
# Bats file whose quick commands never have a partner that could wake them (mq.bats:
# only its blocking tests start a second process, which waits on the opposite
# condition) sets NEVER_WAITS_IN to the queue's wait channels: a command seen
# asleep there would wait for ever, so it fails at once instead of after 5 s.
quick() {
    local WATCH_WCHAN=${NEVER_WAITS_IN:-}
    seconds_to_wait "$QUICK_SECONDS"
    run_watched "$WAIT" "$@"
}

# expect_quick_status N WHAT: like expect_status, for a command run with quick or
# run_watched: a command that hung is described as it was when it was stopped.
expect_quick_status() {
    if [ -n "${HUNG:-}" ]; then
        fail "$(printf '%s did not return within %s; expected exit status %s%s.\nWhen it was stopped, %s.\nits stderr:\n%s' \
            "$2" "$WATCH_SECONDS" "$1" "$(after_earlier_hang)" "$HUNG" "${stderr:-}")"
    fi
    expect_status "$1" "$2"
}

# start_background OUT ERR CMD...: start CMD with no input; its pid goes to BG_PID.
start_background() {
    local out=$1 err=$2
    shift 2
    "$@" </dev/null >"$out" 2>"$err" 3>&- &
    BG_PID=$!
    BACKGROUND+=("$BG_PID")
}

# asleep_in PID REGEX: PID sleeps (state S) in a kernel function that matches REGEX
# (or the kernel hides where: /proc/PID/wchan is empty or says 0).
asleep_in() {
    process_asleep "$1" "$2|^0?\$"
}

asleep_or_gone() {
    asleep_in "$1" "$2" || process_gone "$1"
}

# expect_asleep_in PID REGEX WHAT ERRFILE: wait until PID sleeps in the queue code;
# fail, saying what happened instead, when it ends or sleeps elsewhere.
expect_asleep_in() {
    local pid=$1 regex=$2 what=$3 errfile=$4 status=0
    seconds_to_wait "$WAIT_SECONDS"
    if wait_until "$((WAIT / ${TIMEOUT_SCALE:-1}))" asleep_or_gone "$pid" "$regex" &&
       asleep_in "$pid" "$regex"; then
        return 0
    fi
    if process_gone "$pid"; then
        wait "$pid" || status=$?
        fail "$(printf '%s did not wait: it exited with status %s\nits stderr:\n%s' \
            "$what" "$status" "$(cat "$errfile")")"
    fi
    note_hang "$what"
    fail "$what does not wait in the queue: after $WAIT s, $(describe_process "$pid")$(after_earlier_hang)"
}

# wait_for_exit PID WHAT: wait (10 s, scaled) for PID to end; sets status. When it
# does not end, say what it was doing, then kill it.
wait_for_exit() {
    local pid=$1 what=$2 doing
    seconds_to_wait "$WAIT_SECONDS"
    if ! wait_until "$((WAIT / ${TIMEOUT_SCALE:-1}))" process_gone "$pid"; then
        doing=$(describe_process "$pid")
        kill -KILL "$pid" 2>/dev/null || true
        { wait "$pid"; } 2>/dev/null || true
        note_hang "$what"
        fail "$what still ran $WAIT s later; expected it to finish. When it was stopped, $doing$(after_earlier_hang)"
    fi
    status=0
    wait "$pid" || status=$?
}

# expect_verbose_line_first LINE TEXT WHAT CMD...: CMD (a recv -v) exits 0 and, with its
# standard output unbuffered (stdbuf -o0) and stderr in the same stream, prints a line
# that ends with LINE before the message TEXT: the order shows only then.
expect_verbose_line_first() {
    local line=$1 text=$2 what=$3
    shift 3
    run run_program stdbuf -o0 "$@"
    expect_status 0 "$what (standard output unbuffered)"
    # shellcheck disable=SC2154 # run sets $output
    [[ $output == *"$line"$'\n'"$text" ]] ||
        fail "$(printf '%s, with standard output unbuffered and stderr in the same file, wrote:\n%s\nexpected the line ending "%s" first, then the message: print it before you write the message' "$what" "$output" "$line")"
}

# uptime_ms: milliseconds on a clock that never jumps (/proc/uptime, 10 ms steps).
uptime_ms() {
    local up
    read -r up _ </proc/uptime
    echo $((10#${up%.*} * 1000 + 10#${up#*.} * 10))
}

# run_valgrind_to_status STATUS WHAT CMD...: run CMD (standard input from WATCH_STDIN,
# else /dev/null; standard output to WATCH_STDOUT, else /dev/null) under Valgrind's
# memcheck with --track-fds; fail unless it exits with STATUS, with no memory error, no
# memory lost, and no descriptor that it opened still open at exit. For the failure paths of a program, which run_valgrind (status 0 only)
# cannot check.
# (--read-inline-info=no: -Og inlines none of the lab's functions, and reading
# the C library's inline information took 50 ms of each run's 480.)
run_valgrind_to_status() {
    local expected=$1 what=$2 log="$BATS_TEST_TMPDIR/valgrind-fds.log" leaked pid ended=0 doing
    shift 2
    status=0
    valgrind --error-exitcode=99 --vgdb=no --read-inline-info=no \
        --leak-check=full --errors-for-leak-kinds=definite,indirect --track-fds=yes \
        --log-file="$log" "$@" <"${WATCH_STDIN:-/dev/null}" >"${WATCH_STDOUT:-/dev/null}" \
        2>"$BATS_TEST_TMPDIR/valgrind-fds.stderr" 3>&- &
    pid=$!
    # (With NEVER_WAITS_IN, a command asleep in the queue is a hang at once, as in run_watched.)
    ends_within $((6 * PROGRAM_TIMEOUT)) "$pid" "${NEVER_WAITS_IN:-}" || ended=$?
    if [ "$ended" -ne 0 ]; then
        doing=$(describe_process "$pid")
        kill_tree "$pid"
        { wait "$pid"; } 2>/dev/null || true
        [ "$ended" -ne 2 ] ||
            fail "$what did not return under Valgrind; expected exit status $expected. When it was stopped, $doing (no other process used the queue: nothing would ever wake it)"
        status=124
    else
        wait "$pid" || status=$?
    fi
    if [ "$status" -eq 99 ]; then
        fail "$(printf 'Valgrind found memory errors or leaks in %s (free on every path):\n%s' \
            "$what" "$(grep -v '^==[0-9]*== *$' "$log" | sed 's/^==[0-9]*== //' | head -n 40)")"
    fi
    [ "$status" -eq "$expected" ] ||
        fail "$(printf '%s exited with status %s under Valgrind; expected %s. its stderr:\n%s' \
            "$what" "$status" "$expected" "$(head -n 20 "$BATS_TEST_TMPDIR/valgrind-fds.stderr")")"
    # A descriptor the program opened itself is listed with where it was opened;
    # inherited ones say "<inherited from parent>".
    leaked=$(sed 's/^==[0-9]*== //' "$log" | awk '
        /^Open file descriptor/ { name = $0; next }
        name != "" && /inherited from parent/ { name = ""; next }
        name != "" { print name; name = "" }')
    [ -z "$leaked" ] ||
        fail "$(printf '%s left descriptors open at exit: close the queue on every path, the error paths too:\n%s' \
            "$what" "$leaked")"
}
