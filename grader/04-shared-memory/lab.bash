# shellcheck shell=bash
# lab.bash - what the Bats files of lab 04 share: running the writer and the
# reader of shmpipe side by side, saying what a side that does not finish is
# doing, and finding the POSIX and System V objects a test's programs leave
# behind.
#
# When a side does not finish in time, the later tests of the run wait 3 s
# instead of 20: one cause does not make every test wait in turn.
#
# Load it after the common helpers:   load ../lib/helpers
#                                     load lab

# The buffer name of this test: unique per grader run, Bats process and test.
buffer_name() {
    echo "/lab04-${GRADER_RUN_ID}-$$-t${BATS_TEST_NUMBER}"
}

# The files in /dev/shm that belong to buffer NAME (the object NAME and the
# semaphores sem.NAME.*), one per line. Only this test's names: with
# GRADER_NO_NAMESPACES=1 /dev/shm is the whole machine's.
buffer_objects() {
    local base=${1#/}
    find /dev/shm -maxdepth 1 \( -name "$base" -o -name "sem.$base" -o -name "$base.*" \
        -o -name "sem.$base.*" \) -printf '%f\n' 2>/dev/null | sort
}

remove_buffer_objects() {
    local object
    while read -r object; do
        [ -n "$object" ] && rm -f "/dev/shm/$object"
    done < <(buffer_objects "$1")
}

# The bytes in one hand-over, as shmbuf.h says (4096 unless changed there).
buffer_size() {
    local size
    size=$(sed -n 's/.*SHMBUF_SIZE *= *\([0-9][0-9]*\).*/\1/p' "$LAB_SRC/shmbuf.h" 2>/dev/null | head -n 1)
    echo "${size:-4096}"
}

# start_side write|read NAME INPUT OUTPUT: start one side of shmpipe in the
# background, with fd 3 closed. Sets WRITER_PID or READER_PID (the program's
# pid). A subshell waits for the program and keeps its exit status in a file,
# so that bash prints no "Bus error" line of its own when it dies of a signal.
start_side() {
    local role=$1 name=$2 input=$3 output=$4 shmpipe dir=$BATS_TEST_TMPDIR
    shmpipe=$(program shmpipe)
    rm -f "$dir/$role.pid" "$dir/$role.status"
    (
        "$shmpipe" "$role" "$name" <"$input" >"$output" 2>"$dir/$role.err" 3>&- &
        echo "$!" >"$dir/$role.pid"
        status=0
        wait "$!" || status=$?
        echo "$status" >"$dir/$role.status"
    ) 2>/dev/null 3>&- &
    if [ "$role" = write ]; then WRITER_WAITER=$!; else READER_WAITER=$!; fi
    wait_until 5 test -s "$dir/$role.pid" || fail "test setup: shmpipe $role did not start"
    if [ "$role" = write ]; then WRITER_PID=$(cat "$dir/write.pid"); else READER_PID=$(cat "$dir/read.pid"); fi
}

# The file that says "a side hung in an earlier test of this run", and what it was.
HANG_MARKER="${BATS_RUN_TMPDIR:-${BATS_TEST_TMPDIR:-/tmp}}/lab04-hung"

# side_seconds: the seconds (not yet scaled) a side may take to finish once it has
# everything it needs: 20, or 3 after an earlier hang.
side_seconds() {
    if [ -e "$HANG_MARKER" ]; then echo 3; else echo 20; fi
}

# after_earlier_hang: a sentence for failure messages when an earlier test saw a hang.
after_earlier_hang() {
    [ -e "$HANG_MARKER" ] || return 0
    printf ' (an earlier test saw %s hang, so the later ones wait %s s, not %s)' \
        "$(cat "$HANG_MARKER")" $((3 * ${TIMEOUT_SCALE:-1})) $((20 * ${TIMEOUT_SCALE:-1}))
}

# describe_side write|read: what that side of shmpipe is doing, in words: its state,
# where it sleeps, and its open descriptors.
describe_side() {
    local role=$1 pid state wchan doing fd fds=''
    if [ "$role" = write ]; then pid=${WRITER_PID:-}; else pid=${READER_PID:-}; fi
    [ -n "$pid" ] || { echo "shmpipe $role was not started"; return; }
    state=$(process_state "$pid")
    wchan=$(cat "/proc/$pid/wchan" 2>/dev/null) || wchan=
    case "$state:$wchan" in
        X:*|Z:*) doing="has ended" ;;
        S:*futex*) doing="is asleep in $wchan: waiting on a semaphore (sem_wait) that nobody posts" ;;
        S:*pipe_read*|S:*wait_woken*) doing="is asleep in $wchan: reading its standard input" ;;
        S:*) doing="is asleep in ${wchan:-the kernel}" ;;
        R:*) doing="is running (state R): a loop that does not end?" ;;
        *) doing="is in state $state" ;;
    esac
    for fd in "/proc/$pid/fd/"*; do
        [ -L "$fd" ] || continue
        fds+="${fds:+, }${fd##*/} -> $(readlink "$fd" 2>/dev/null)"
    done
    printf 'shmpipe %s %s; its open descriptors: %s' "$role" "$doing" "${fds:-none}"
}

# note_hang WHAT: remember for the later tests that WHAT hung.
note_hang() {
    [ -e "$HANG_MARKER" ] || echo "$1" >"$HANG_MARKER"
}

# finish_side write|read: wait for that side to end (within side_seconds, scaled);
# fail unless it exits with status 0. A side that does not end is described.
finish_side() {
    local role=$1 waiter status what="shmpipe $1" seconds
    if [ "$role" = write ]; then waiter=$WRITER_WAITER; else waiter=$READER_WAITER; fi
    seconds=$(side_seconds)
    if ! wait_until "$seconds" side_gone "$role"; then
        local doing
        doing=$(describe_side "$role")
        note_hang "shmpipe $role"
        fail "$(printf '%s did not finish within %s s%s. When it was stopped, %s.\nits stderr:\n%s' \
            "$what" $((seconds * ${TIMEOUT_SCALE:-1})) "$(after_earlier_hang)" "$doing" \
            "$(cat "$BATS_TEST_TMPDIR/$role.err")")"
    fi
    wait "$waiter" || true
    status=$(cat "$BATS_TEST_TMPDIR/$role.status" 2>/dev/null || echo '?')
    if [ "$role" = write ]; then WRITER_PID='' WRITER_WAITER=''; else READER_PID='' READER_WAITER=''; fi
    [ "$status" = 0 ] && return 0
    local why="exited with status $status"
    [[ $status =~ ^[0-9]+$ ]] && [ "$status" -gt 128 ] &&
        why="was killed by signal $((status - 128)) ($(kill -l $((status - 128)) 2>/dev/null))"
    [ "$status" = $((128 + 7)) ] &&
        why="$why: it touched shared memory beyond the end of the object (a new object has 0 bytes until ftruncate gives it its size: sections 2.1 and 3.2)"
    grep -q 'Bad address' "$BATS_TEST_TMPDIR/$role.err" 2>/dev/null &&
        why="$why. \"Bad address\" (EFAULT): a system call - read() into the buffer, or write() from it - was given shared memory beyond the end of the object. A new object has 0 bytes until ftruncate gives it its size (sections 2.1 and 3.2)"
    fail "$(printf '%s %s; expected status 0. its stderr:\n%s' "$what" "$why" \
        "$(cat "$BATS_TEST_TMPDIR/$role.err")")"
}

# side_gone write|read: true once that side has ended (its status is known).
side_gone() {
    [ -e "$BATS_TEST_TMPDIR/$1.status" ]
}

# wait_for_sleep write|read: wait until that side is asleep (blocked on a
# semaphore); fail if it ends or keeps running.
wait_for_sleep() {
    local role=$1 pid
    if [ "$role" = write ]; then pid=$WRITER_PID; else pid=$READER_PID; fi
    if ! wait_until "$(side_seconds)" asleep_or_gone "$role" "$pid"; then
        local doing
        doing=$(describe_side "$role")
        note_hang "shmpipe $role"
        fail "shmpipe $role did not wait for the other side: after $(($(side_seconds) * ${TIMEOUT_SCALE:-1})) s, $doing$(after_earlier_hang)"
    fi
    if side_gone "$role"; then
        finish_side "$role"
        fail "$(printf 'shmpipe %s ended before the other side started; expected it to wait for it. its stderr:\n%s' \
            "$role" "$(cat "$BATS_TEST_TMPDIR/$role.err")")"
    fi
}

asleep_or_gone() {
    side_gone "$1" || process_asleep "$2"
}

# expect_same_bytes INPUT OUTPUT: fail, saying where they differ, unless equal.
expect_same_bytes() {
    local input=$1 output=$2 difference hint=''
    difference=$(cmp -- "$input" "$output" 2>&1) && return 0
    difference=${difference//"$BATS_TEST_TMPDIR/"/}
    [ -s "$input" ] && [ ! -s "$output" ] &&
        hint=$'\nthe reader wrote nothing: did it see the writer'"'"'s data? (is the buffer mapped MAP_SHARED?)'
    fail "$(printf 'the reader wrote %s bytes, the writer read %s: not the same bytes.\ncmp (writer reader): %s%s' \
        "$(stat -c %s "$output")" "$(stat -c %s "$input")" "$difference" "$hint")"
}

either_side_gone() {
    side_gone read || side_gone write
}

# fail_stuck_sides SENTENCE: note a hang and fail with SENTENCE, what each side
# was doing when it was stopped, and both sides' stderr.
fail_stuck_sides() {
    local writer reader earlier
    writer=$(describe_side write)
    reader=$(describe_side read)
    earlier=$(after_earlier_hang)       # before this hang is noted
    note_hang "a transfer"
    fail "$(printf '%s%s. When they were stopped:\n%s\n%s\nthe writer'"'"'s stderr:\n%s\nthe reader'"'"'s stderr:\n%s' \
        "$1" "$earlier" "$writer" "$reader" \
        "$(cat "$BATS_TEST_TMPDIR/write.err")" "$(cat "$BATS_TEST_TMPDIR/read.err")")"
}

# finish_transfer INPUT OUTPUT: wait for both sides, the first to end first
# (a writer that fails is reported at once, not after the reader's timeout);
# check that the reader wrote exactly the writer's input.
finish_transfer() {
    local input=$1 output=$2
    local seconds
    seconds=$(side_seconds)
    if ! wait_until "$seconds" either_side_gone; then
        fail_stuck_sides "neither shmpipe read nor shmpipe write finished within $((seconds * ${TIMEOUT_SCALE:-1})) s"
    fi
    if side_gone write && ! side_gone read; then
        finish_side write
    fi
    finish_side read
    expect_same_bytes "$input" "$output"
    [ -z "$WRITER_PID" ] || finish_side write
}

# transfer INPUT: move INPUT from a writer to a reader through the buffer of
# this test (both started at once) and check that the reader wrote it exactly.
transfer() {
    local input=$1 output="$BATS_TEST_TMPDIR/output" name
    name=$(buffer_name)
    start_side read "$name" /dev/null "$output"
    start_side write "$name" "$input" /dev/null
    finish_transfer "$input" "$output"
}

# Call from teardown(): no side is left running, no object of this test left.
stop_sides() {
    local pid
    for pid in "${WRITER_PID:-}" "${READER_PID:-}"; do
        if [ -n "$pid" ]; then kill -KILL "$pid" 2>/dev/null || true; fi
    done
    for pid in "${WRITER_WAITER:-}" "${READER_WAITER:-}"; do
        if [ -n "$pid" ]; then wait "$pid" 2>/dev/null || true; fi
    done
    WRITER_PID='' READER_PID='' WRITER_WAITER='' READER_WAITER=''
    remove_buffer_objects "$(buffer_name)"
}

# ---- System V ----

# The key ftok(FILE, 'L') gives, as ipcs prints it (0x4c......): glibc's ftok
# is (proj & 0xff) << 24 | (st_dev & 0xff) << 16 | (st_ino & 0xffff).
ftok_key() {
    local device inode
    read -r device inode < <(stat -c '%d %i' "$1")
    printf '0x%08x\n' $(((0x4c << 24) | ((device & 0xff) << 16) | (inode & 0xffff)))
}

# The System V objects with KEY: "shared memory segment ID" and
# "semaphore set ID" lines.
sysv_objects_with_key() {
    local key=$1
    ipcs -m | awk -v key="$key" '$1 == key {print "shared memory segment " $2 " (key " key ")"}'
    ipcs -s | awk -v key="$key" '$1 == key {print "semaphore set " $2 " (key " key ")"}'
}

# A new file in BATS_TEST_TMPDIR whose ftok key no object has yet. Sets
# KEY_FILE and KEY.
make_key_file() {
    local attempt
    for attempt in 1 2 3 4 5 6 7 8 9 10; do
        KEY_FILE="$BATS_TEST_TMPDIR/key.$attempt"
        : >"$KEY_FILE"
        KEY=$(ftok_key "$KEY_FILE")
        [ -z "$(sysv_objects_with_key "$KEY")" ] && return 0
    done
    fail "test setup: every key file's key is in use"
}

remove_sysv_objects_with_key() {
    [ -n "${KEY:-}" ] || return 0
    ipcrm -M "$KEY" 2>/dev/null || true
    ipcrm -S "$KEY" 2>/dev/null || true
}

# read_totals: EXPECTED and ACTUAL from counter's output in $output.
read_totals() {
    EXPECTED=$(awk '$1 == "expected" {print $2}' <<<"$output")
    ACTUAL=$(awk '$1 == "actual" {print $2}' <<<"$output")
    [[ $EXPECTED =~ ^[0-9]+$ && $ACTUAL =~ ^[0-9]+$ ]] ||
        fail "$(printf 'expected two lines, "expected N" and "actual N"; counter printed:\n%s' "$output")"
}

# run_with_children_killed COUNT PROGRAM ARGS...: start PROGRAM, wait until it
# has COUNT child processes, SIGKILL every one of them, and wait for PROGRAM to
# end. Sets status, output (its stdout) and stderr. Fails when the children do
# not appear or PROGRAM does not end.
run_with_children_killed() {
    local count=$1 name pid children=()
    shift
    name=$(basename "$1")
    "$@" >"$BATS_TEST_TMPDIR/killed.out" 2>"$BATS_TEST_TMPDIR/killed.err" 3>&- &
    pid=$!
    KILLED_CHILDREN_OF=$pid
    wait_until 10 has_children_or_is_gone "$pid" "$count" || true
    if ! has_children "$pid" "$count"; then
        kill_tree "$pid"
        status=0
        wait "$pid" 2>/dev/null || status=$?
        fail "$(printf '%s did not start %s child processes (it ended with status %s, or was stopped after %s s); its stderr:\n%s' \
            "$name" "$count" "$status" $((10 * ${TIMEOUT_SCALE:-1})) "$(cat "$BATS_TEST_TMPDIR/killed.err")")"
    fi
    read -r -a children <"/proc/$pid/task/$pid/children" || true
    kill -KILL "${children[@]}" 2>/dev/null || true
    if ! wait_until 20 process_gone "$pid"; then
        kill_tree "$pid"
        wait "$pid" 2>/dev/null || true
        fail "$name did not end within $((20 * ${TIMEOUT_SCALE:-1})) s after its children were killed: it should wait for each child once, and go on"
    fi
    status=0
    wait "$pid" 2>/dev/null || status=$?
    KILLED_CHILDREN_OF=
    read_file "$BATS_TEST_TMPDIR/killed.out" output || output=
    read_file "$BATS_TEST_TMPDIR/killed.err" stderr || stderr=
}

# has_children PID COUNT: does PID have at least COUNT child processes?
has_children() {
    local children=()
    { read -r -a children <"/proc/$1/task/$1/children"; } 2>/dev/null || true
    [ "${#children[@]}" -ge "$2" ]
}

# stop_killed_children_run: from teardown, kill what run_with_children_killed
# started when the test stopped half way.
stop_killed_children_run() {
    [ -n "${KILLED_CHILDREN_OF:-}" ] || return 0
    kill_tree "$KILLED_CHILDREN_OF"
    wait "$KILLED_CHILDREN_OF" 2>/dev/null || true
}

has_children_or_is_gone() {
    has_children "$1" "$2" || process_gone "$1"
}

# expect_failure_after_killed_children NAME: after run_with_children_killed,
# NAME must have exited with status 1, said so on stderr and printed no totals.
expect_failure_after_killed_children() {
    local name=$1
    [ "$status" -eq 1 ] && [ -n "$stderr" ] && [[ $output != *actual* ]] && return 0
    fail "$(printf '%s: its children were killed by SIGKILL, yet it exited with status %s, printed:\n%s\nand on stderr:\n%s\nexpected status 1, a message on stderr and no totals: a child that did not exit with status 0 is a failure (WIFEXITED is false for a killed child, and WEXITSTATUS then means nothing)' \
        "$name" "$status" "$output" "$stderr")"
}

# ---- Failures made on purpose (fail_inject.c) ----

# run_with_failure NAME FAILURE ARGS...: run NAME_traced (NAME built with
# fail_inject.c) with LAB04_FAIL=FAILURE ([child:]CALL:N:ERRNO: the Nth call of
# CALL fails with ERRNO), for at most 5 s (scaled). Sets status, output,
# stderr, RUN (the command in words) and FAILURE.
run_with_failure() {
    local name=$1
    FAILURE=$2
    shift 2
    PROGRAM_TIMEOUT=$((5 * ${TIMEOUT_SCALE:-1})) LAB04_FAIL=$FAILURE run_counting "$name" "$@"
}

# failed_call_in_words: "the first sem_post of a child failed with EOVERFLOW".
failed_call_in_words() {
    local call number errno_name
    IFS=: read -r _ call number errno_name <<<"$FAILURE"
    printf 'call %s of %s in a child failed with %s' "$number" "$call" "$errno_name"
}

# stderr_says NAME STRERROR: has $stderr a line "NAME: what failed: STRERROR"?
stderr_says() {
    local line
    while IFS= read -r line; do
        [[ $line == "$1: "?*": $2" ]] && return 0
    done <<<"$stderr"
    return 1
}

# expect_child_failure_reported STRERROR: after run_with_failure, the program
# ended with status 1, printed no totals, and a line "NAME: what: STRERROR"
# (perror) on stderr.
expect_child_failure_reported() {
    local message=$1 name=${RUN%% *}
    [ "$status" -ne 124 ] ||
        fail "$(printf '%s: %s, and it did not finish within %s s. A child must stop at a call that fails: say why (perror) and _exit(1) at once; a child that goes on may wait for ever (one whose sem_post failed still holds the mutex). its stderr:\n%s' \
            "$RUN" "$(failed_call_in_words)" "$PROGRAM_TIMEOUT" "$stderr")"
    [ "$status" -eq 1 ] && stderr_says "$name" "$message" && [[ $output != *actual* ]] && return 0
    fail "$(printf '%s: %s, yet it exited with status %s, printed:\n%s\nand on stderr:\n%s\nexpected status 1, no totals, and the line "%s: what failed: %s" on stderr (perror, or strerror(errno)): the child says why and _exit(1)s, and the parent reports the failed child' \
        "$RUN" "$(failed_call_in_words)" "$status" "$output" "$stderr" "$name" "$message")"
}

# expect_parent_failure_reported STRERROR [no-totals]: after run_with_failure of
# a call of the parent, or of shmpipe (FAILURE is NAME:N:ERRNO), the program ended with status
# 1 and a line "NAME: what: STRERROR" (perror) on stderr; with no-totals, it
# printed no totals either.
expect_parent_failure_reported() {
    local message=$1 totals=${2:-} name=${RUN%% *} call number errno_name
    IFS=: read -r call number errno_name <<<"$FAILURE"
    local what="call $number of $call in the parent failed with $errno_name" section=7
    case "$name" in
        sysvcount) section=6.4 ;;
        shmpipe) section=3.3 what="call $number of $call failed with $errno_name" ;;
    esac
    [ "$status" -ne 124 ] ||
        fail "$(printf '%s: %s, and it did not finish within %s s. its stderr:\n%s' \
            "$RUN" "$what" "$PROGRAM_TIMEOUT" "$stderr")"
    [ "$status" -eq 1 ] && stderr_says "$name" "$message" &&
        { [ -z "$totals" ] || [[ $output != *actual* ]]; } && return 0
    fail "$(printf '%s: %s, yet it exited with status %s, printed:\n%s\nand on stderr:\n%s\nexpected status 1%s and the line "%s: what failed: %s" on stderr (perror, or strerror(errno)): check every call, say what failed, and return the failure to main (handout section %s)' \
        "$RUN" "$what" "$status" "$output" "$stderr" "${totals:+, no totals}" "$name" "$message" "$section")"
}

# expect_no_child_calls CALL SENTENCE: after run_with_failure, the children
# made no call of CALL; else fail with "RUN: SENTENCE: it called CALL N times. ...".
expect_no_child_calls() {
    local call=$1 sentence=$2 calls
    calls=$(child_calls "$call")
    [ "$calls" -eq 0 ] ||
        fail "$RUN: $sentence: it called $call $calls times. A child stops at the first call that fails: perror and _exit(1) at once (handout sections 6.4 and 7)"
}

# calls_value NAME [FIELD]: from the counts that fail_inject.c wrote (LAB04_CALLS,
# $BATS_TEST_TMPDIR/calls) in the last run_with_failure or run_counting, NAME's
# line's first number (all the processes' calls, or the one value), or with
# FIELD 2 its second (the children's calls).
calls_value() {
    local name all children
    [ -f "$BATS_TEST_TMPDIR/calls" ] ||
        fail "$RUN left no counts of its calls (fail_inject.c writes them when the program ends by exit or by returning from main): did it end otherwise?"
    while read -r name all children; do
        [ "$name" = "$1" ] || continue
        if [ "${2:-1}" = 2 ]; then echo "$children"; else echo "$all"; fi
        return 0
    done <"$BATS_TEST_TMPDIR/calls"
    fail "$RUN: the counts of its calls have no line for $1: did it end by exit() or by returning from main?"
}

# child_calls CALL: how many times the children called CALL.
child_calls() {
    calls_value "$1" 2
}

# run_counting NAME ARGS...: run NAME_traced with LAB04_CALLS (fail_inject.c counts
# its calls and watches the start barrier); nothing is made to fail unless
# LAB04_FAIL is set (run_with_failure). Sets status, output, stderr and RUN
# (the command in words).
run_counting() {
    local name=$1
    shift
    RUN="$name $*"
    [ -z "${KEY_FILE:-}" ] || RUN=${RUN//"$KEY_FILE"/KEYFILE}
    rm -f "$BATS_TEST_TMPDIR/calls"
    LAB04_CALLS="$BATS_TEST_TMPDIR/calls" run --separate-stderr run_program "$(program "${name}_traced")" "$@"
}

# expect_children_started_together COUNT WAIT SECTION: after run_counting, the
# parent forked COUNT children, and none began to count (WAIT, its first wait on
# the mutex) before the last one was forked: the start barrier held them all.
expect_children_started_together() {
    local count=$1 wait=$2 section=$3 forks first
    forks=$(calls_value fork)
    first=$(calls_value first_count_after_forks)
    [ "$forks" = "$count" ] ||
        fail "$RUN forked ${forks:-no} child processes; expected $count, one per process of -p"
    [ "$first" != none ] ||
        fail "$RUN: no child ever called $wait, so none counted under the mutex; expected each to wait at the start barrier, then count with $wait before each increment (handout section $section)"
    [ "$first" = "$count" ] ||
        fail "$RUN: a child began to count (its first $wait) when the parent had forked only $first of the $count children; expected every child to wait at the start barrier until all $count exist: each child reads the barrier pipe, and that read blocks until the parent, after its last fork, closes the write end (every read then returns 0, end of file). A read that returns at once (of 0 bytes, or of a pipe whose write end was closed before the forks) is no barrier (handout section $section)"
}
