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

# A command that should return at once gets this long before it counts as waiting.
QUICK_TIMEOUT=$((5 * ${TIMEOUT_SCALE:-1}))

BACKGROUND=()

# The POSIX tests look for queues in /dev/mqueue: fail at once, saying so, when it is not there.
require_mqueue_fs() {
    if ! mountpoint -q /dev/mqueue; then
        fail "these tests look for queues in /dev/mqueue, which is not mounted here: as root, run
    mkdir -p /dev/mqueue && mount -t mqueue none /dev/mqueue"
    fi
}

# Kill what a test started, and remove every queue it made (whatever the code under test did).
lab03_teardown() {
    local pid file key
    for pid in "${BACKGROUND[@]}"; do
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -f "/dev/mqueue/$(queue_prefix)"*
    for file in "$BATS_TEST_TMPDIR"/*.key; do
        [ -e "$file" ] || continue
        key=$(ftok_key "$file")
        ipcrm -Q "$key" 2>/dev/null || true
    done
}

# The start of this test's queue names: no other run, Bats process or test shares it.
queue_prefix() {
    echo "lab03-${GRADER_RUN_ID:-manual}-$$-${BATS_TEST_NUMBER}-"
}

# queue_name WHAT: a POSIX queue name for this test, e.g. /lab03-RUN-PID-3-WHAT.
queue_name() {
    echo "/$(queue_prefix)$1"
}

# queue_file NAME: where /dev/mqueue shows the queue NAME.
queue_file() {
    echo "/dev/mqueue/${1#/}"
}

# key_file WHAT: a new file for ftok; teardown removes the queue of its key.
key_file() {
    local path="$BATS_TEST_TMPDIR/$1.key"
    : >"$path"
    echo "$path"
}

# ftok_key PATH: the key ftok(PATH, 'M') gives, as ipcs prints keys (0x4d0012ab).
ftok_key() {
    local device inode
    read -r device inode < <(stat -c '%d %i' "$1")
    printf '0x%08x\n' $(((0x4d << 24) | ((device & 0xff) << 16) | (inode & 0xffff)))
}

# sysv_line KEY: the line of `ipcs -q` for the queue of KEY (key msqid owner perms bytes messages).
sysv_line() {
    ipcs -q | awk -v key="$1" '$1 == key'
}

# sysv_messages KEY: how many messages the queue of KEY holds, from ipcs.
sysv_messages() {
    sysv_line "$1" | awk '{print $6}'
}

# run_quick CMD...: run_program, but a command that should not wait gets QUICK_TIMEOUT seconds.
run_quick() {
    timeout --kill-after=2 "$QUICK_TIMEOUT" "$@" 3>&-
}

# expect_quick_status N WHAT: like expect_status, for a command run with run_quick.
expect_quick_status() {
    if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
        fail "$(printf '%s did not return within %s s; expected exit status %s at once (is it waiting?)\nits stderr:\n%s' \
            "$2" "$QUICK_TIMEOUT" "$1" "${stderr:-}")"
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
# (or the kernel hides where: /proc/PID/wchan says 0).
asleep_in() {
    local wchan
    [ "$(process_state "$1")" = S ] || return 1
    wchan=$(cat "/proc/$1/wchan" 2>/dev/null) || wchan=
    [ -z "$wchan" ] || [ "$wchan" = 0 ] || [[ $wchan =~ $2 ]]
}

asleep_or_gone() {
    asleep_in "$1" "$2" || process_gone "$1"
}

# expect_asleep_in PID REGEX WHAT ERRFILE: wait until PID sleeps in the queue code;
# fail, saying what happened instead, when it ends or sleeps elsewhere.
expect_asleep_in() {
    local pid=$1 regex=$2 what=$3 errfile=$4 status=0
    if wait_until 10 asleep_or_gone "$pid" "$regex" && asleep_in "$pid" "$regex"; then
        return 0
    fi
    if process_gone "$pid"; then
        wait "$pid" || status=$?
        fail "$(printf '%s did not wait: it exited with status %s\nits stderr:\n%s' \
            "$what" "$status" "$(cat "$errfile")")"
    fi
    fail "$what does not wait in the queue: after $((10 * ${TIMEOUT_SCALE:-1})) s its state is $(process_state "$pid"), in $(cat "/proc/$pid/wchan" 2>/dev/null)"
}

# wait_for_exit PID WHAT: wait (10 s, scaled) for PID to end; sets status.
wait_for_exit() {
    local pid=$1 what=$2
    if ! wait_until 10 process_gone "$pid"; then
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        fail "$what still ran $((10 * ${TIMEOUT_SCALE:-1})) s later; expected it to finish"
    fi
    status=0
    wait "$pid" || status=$?
}

# uptime_ms: milliseconds on a clock that never jumps (/proc/uptime, 10 ms steps).
uptime_ms() {
    local up
    read -r up _ </proc/uptime
    echo $((10#${up%.*} * 1000 + 10#${up#*.} * 10))
}
