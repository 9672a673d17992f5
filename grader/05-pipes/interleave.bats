#!/usr/bin/env bats
# interleave.bats - tests of the program `interleave`: records of PIPE_BUF
# bytes stay whole; records larger than the pipe get mixed.
# shellcheck disable=SC2154 # run --separate-stderr sets $stderr

load ../lib/helpers
load lab

# run_interleave WRITERS RECORDS SIZE: sets INTERLEAVED and PIECES.
run_interleave() {
    run --separate-stderr run_program "$(program interleave)" "$@"
    expect_status 0 "interleave $*"
    local pattern="^$1 writers x $2 records of $3 bytes: ([0-9]+) of ([0-9]+) records interleaved$"
    [[ $output =~ $pattern ]] ||
        fail "$(printf "interleave %s printed:\n%s\nexpected a line like: %s writers x %s records of %s bytes: N of M records interleaved" \
            "$*" "$output" "$1" "$2" "$3")"
    INTERLEAVED=${BASH_REMATCH[1]}
    PIECES=${BASH_REMATCH[2]}
    [ "$PIECES" -eq $(($1 * $2)) ] ||
        fail "interleave $* read $PIECES pieces of $3 bytes; expected $1 x $2 = $(($1 * $2)): does every writer write $2 records of exactly $3 bytes?"
}

# bats test_tags=points:1,section:5_4
@test "records_of_PIPE_BUF_bytes_never_interleave" {
    run_interleave 4 200 4096
    [ "$INTERLEAVED" -eq 0 ] ||
        fail "$(printf "interleave 4 200 4096: %s of %s records interleaved; expected 0.\nA write() of at most PIPE_BUF (4096) bytes is atomic: each record must be exactly\n4096 bytes, written with one write()." "$INTERLEAVED" "$PIECES")"
}

# bats test_tags=points:1,section:5_4
@test "records_larger_than_the_pipe_interleave" {
    # A 131072-byte record cannot fit in a 65536-byte pipe: its writer waits
    # half-way, and another writer's bytes may get in. May: the writer woken
    # first takes the pipe, and on a machine busy with much else that was the
    # same writer every time in 1 run of 120 here. Three runs, then.
    local run
    for run in 1 2 3; do
        run_interleave 4 20 131072
        [ "$INTERLEAVED" -eq 0 ] || return 0
    done
    fail "$(printf "interleave 4 20 131072: 0 of %s records interleaved, in %s runs; expected some.\nStart every writer before reading, so that they all wait on the full pipe together." "$PIECES" "$run")"
}

# writers_or_end PID N: true once process PID has N children (their pids in
# WRITERS) or has ended (WRITERS empty).
writers_or_end() {
    local children='' state
    { read -r children <"/proc/$1/task/$1/children"; } 2>/dev/null || true
    read -r -a WRITERS <<<"$children"
    [ "${#WRITERS[@]}" -ge "$2" ] && return 0
    WRITERS=()
    read_process_state "$1" state
    case "$state" in Z|X) return 0 ;; esac
    return 1
}

# start_two_writers OUT ERR: start interleave 2 1000000000 4096 in the
# background (a simple command: the process started is interleave, and its only
# children are its writers), its pid in INTERLEAVE_PID, and wait until it has
# started its two writers, their pids in WRITERS; fail if it does not.
start_two_writers() {
    local interleave pid errors
    interleave=$(program interleave)
    "$interleave" 2 1000000000 4096 >"$1" 2>"$2" 3>&- &
    pid=$!
    INTERLEAVE_PID=$pid
    if ! wait_until 10 writers_or_end "$pid" 2; then
        kill_tree "$pid"
        wait "$pid" 2>/dev/null || true
        fail "interleave 2 1000000000 4096 neither started two writer processes nor ended within 10 s"
    fi
    if [ "${#WRITERS[@]}" -eq 0 ]; then
        wait "$pid" && status=0 || status=$?
        read_file "$2" errors || true
        fail "$(printf "interleave 2 1000000000 4096 ended (status %s) without starting two writer processes; its stderr:\n%s" "$status" "$errors")"
    fi
}

# hint: look at how every writer ended
# bats test_tags=points:1,section:5_4
@test "interleave_fails_when_a_writer_is_killed" {
    local out="$BATS_TEST_TMPDIR/out" err="$BATS_TEST_TMPDIR/err" pid text errors
    # Two writers with more records than they could ever write: the test kills both.
    start_two_writers "$out" "$err"
    pid=$INTERLEAVE_PID
    kill -TERM "${WRITERS[@]}" 2>/dev/null || true
    if ! ends_within "$PROGRAM_TIMEOUT" "$pid"; then
        kill_tree "$pid"
        wait "$pid" 2>/dev/null || true
        fail "interleave 2 1000000000 4096 did not end within $PROGRAM_TIMEOUT s after the test killed both its writers: the reader sees end-of-file once no process holds the write end"
    fi
    wait "$pid" && status=0 || status=$?
    read_file "$out" text || true
    read_file "$err" errors || true
    [ "$status" -eq 1 ] && [ -z "$text" ] && [[ $errors =~ (^|[^[:alpha:]])A([^[:alpha:]]|$) ]] &&
        [[ $errors =~ (^|[^[:alpha:]])B([^[:alpha:]]|$) ]] ||
        fail "$(printf "interleave 2 1000000000 4096, whose writers A and B the test killed (SIGTERM), exited with status %s and printed:\n%s\nits stderr:\n%s\nexpected status 1, no result, and on stderr each writer that failed, by its letter (A and B):\nrun_experiment() looks at how every writer ended (waitpid) and returns -1 when one did not\nexit with 0." "$status" "$text" "$errors")"
}

# writers_ended: true once every process of WRITERS has ended (reaped or not).
writers_ended() {
    local writer state
    for writer in "${WRITERS[@]}"; do
        read_process_state "$writer" state
        case "$state" in Z|X) ;; *) return 1 ;; esac
    done
}

# hint: close the read end in each writer
# bats test_tags=points:1,section:5_4
@test "interleave_writers_die_of_SIGPIPE_when_interleave_is_killed" {
    local writer left=() seconds
    # Two writers with more records than they could ever write; the test kills
    # interleave, the only reader, while they write.
    start_two_writers /dev/null "$BATS_TEST_TMPDIR/err"
    kill -KILL "$INTERLEAVE_PID"
    wait "$INTERLEAVE_PID" 2>/dev/null || true
    # No reader is left: each writer's next write() gets SIGPIPE, unless a
    # writer holds the read end itself; then both wait on a full pipe forever.
    seconds=$((10 * ${TIMEOUT_SCALE:-1}))
    if ! wait_until 10 writers_ended; then
        for writer in "${WRITERS[@]}"; do
            [[ $(process_state "$writer") == [ZX] ]] ||
                left+=("$(describe_process "$writer" "a writer")")
        done
    fi
    for writer in "${WRITERS[@]}"; do
        kill -KILL "$writer" 2>/dev/null || true
    done
    [ "${#left[@]}" -eq 0 ] ||
        fail "$(printf "interleave 2 1000000000 4096 was killed (SIGKILL) while its writers wrote; %s s later:\n%s\nexpected every writer killed by SIGPIPE at its next write(): once the reader is gone, no\nprocess reads the pipe. A writer that keeps the read end open is a reader too: close it\nin each writer, right after fork(), before it writes." "$seconds" "$(printf '%s\n' "${left[@]}")")"
}

# hint: call waitpid() again on EINTR only
# bats test_tags=points:1,section:5_4
@test "interleave_reports_a_waitpid_that_fails_instead_of_calling_it_again" {
    # SIGCHLD ignored is inherited through exec(): the kernel then reaps the
    # writers itself, and waitpid() fails with ECHILD, as often as it is called.
    run --separate-stderr run_program env --ignore-signal=CHLD "$(program interleave)" 2 10 4096
    if [ "$status" -eq 0 ] &&
        [ "$output" = "2 writers x 10 records of 4096 bytes: 0 of 20 records interleaved" ]; then
        return 0    # (it set SIGCHLD's action back itself: it could wait)
    fi
    [ "$status" -ne 124 ] ||
        expect_status 1 "interleave 2 10 4096 started with SIGCHLD ignored (waitpid() then fails with ECHILD)"
    [ "$status" -eq 1 ] && [ -z "$output" ] && [[ $stderr == *"No child processes"* ]] ||
        fail "$(printf "interleave 2 10 4096, started with SIGCHLD ignored, exited with status %s and printed:\n%s\nits stderr:\n%s\nexpected status 1, no result, and the reason on stderr (interleave: waitpid: No child processes):\nwaitpid() fails with ECHILD there; only EINTR is a reason to call it again." "$status" "$output" "$stderr")"
}
