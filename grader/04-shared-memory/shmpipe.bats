#!/usr/bin/env bats
# shmpipe.bats - tests of the program shmpipe (part 1): a writer and a reader
# move a byte stream through one buffer in POSIX shared memory, handed over
# with two named semaphores. The data is random bytes made with head -c from
# /dev/urandom; the reader's output must be the writer's input byte for byte.
# shellcheck disable=SC2154 # run --separate-stderr sets $stderr

load ../lib/helpers
load lab

teardown() {
    stop_sides
}

# random_file SIZE: a file of SIZE random bytes; prints its path.
random_file() {
    local file="$BATS_TEST_TMPDIR/input.$1"
    head -c "$1" /dev/urandom >"$file"
    echo "$file"
}

# bats test_tags=points:2,section:3_4
@test "transfer_of_an_empty_stream_is_empty" {
    transfer /dev/null
}

# bats test_tags=points:2,section:3_3
@test "transfer_of_one_byte_is_exact" {
    transfer "$(random_file 1)"
}

# bats test_tags=points:2,section:3_3
@test "transfer_of_exactly_one_buffer_is_exact" {
    transfer "$(random_file "$(buffer_size)")"
}

# bats test_tags=points:2,section:3_3
@test "transfer_of_one_buffer_and_one_byte_is_exact" {
    transfer "$(random_file $(($(buffer_size) + 1)))"
}

# bats test_tags=points:1,section:3_3
@test "transfer_of_10_MiB_of_random_bytes_is_exact" {
    transfer "$(random_file $((10 * 1024 * 1024)))"
}

# hint: binary data
# bats test_tags=points:1,section:3_3
@test "transfer_of_every_byte_value_is_exact" {
    # NUL, newline and 0xff included, each of the 256 values 20 times.
    local input="$BATS_TEST_TMPDIR/bytes" every_byte
    # shellcheck disable=SC2046 # seq's numbers are the arguments
    every_byte=$(printf '\\0%03o' $(seq 0 255))
    for _ in $(seq 20); do
        printf '%b' "$every_byte"
    done >"$input"
    [ "$(stat -c %s "$input")" -eq 5120 ] || fail "test setup: made $(stat -c %s "$input") bytes"
    transfer "$input"
}

# output_size_is FILE SIZE: the reader has written SIZE bytes to FILE.
output_size_is() {
    [ "$(stat -c %s "$1" 2>/dev/null)" = "$2" ]
}

# stalled_or_output_size_is FILE SIZE: output_size_is, or the reader will write
# nothing more, so that waiting on would only wait out the deadline: it has ended,
# or the writer (the only process that posts "ready") has ended and the reader
# sleeps on a semaphore. The sides are looked at first: those looks start no process.
stalled_or_output_size_is() {
    side_gone read || { side_gone write && reader_asleep_on_a_semaphore; } ||
        output_size_is "$@"
}

reader_asleep_on_a_semaphore() {
    process_asleep "$READER_PID" futex
}

# The writer's standard input is a FIFO that the test fills 1000 bytes at a time,
# each time only after the reader has written everything before: every read() of
# the writer then returns 1000 bytes, fewer than it asked for, before the end.
# hint: only 0 from read() is the end of the input
# bats test_tags=points:2,section:3_4
@test "transfer_of_a_slow_stream_goes_on_after_short_reads" {
    local name fifo="$BATS_TEST_TMPDIR/stdin" output="$BATS_TEST_TMPDIR/output"
    local expected="$BATS_TEST_TMPDIR/expected" chunk
    name=$(buffer_name)
    mkfifo "$fifo"
    : >"$expected"
    start_side read "$name" /dev/null "$output"
    start_side write "$name" "$fifo" /dev/null
    trap '' PIPE                    # a writer that has gone: EPIPE, not death
    exec 5>"$fifo"
    for chunk in 1 2 3 4 5; do
        head -c 1000 /dev/urandom >"$BATS_TEST_TMPDIR/chunk"
        if ! cat "$BATS_TEST_TMPDIR/chunk" >&5 2>/dev/null; then
            exec 5>&-
            fail "shmpipe write stopped reading its standard input after $(((chunk - 1) * 1000)) bytes, before the end: read() returned fewer bytes than it asked for (the input comes 1000 bytes at a time), and that is not the end of the input; only 0 is (section 3.4)"
        fi
        cat "$BATS_TEST_TMPDIR/chunk" >>"$expected"
        if ! wait_until "$(side_seconds)" stalled_or_output_size_is "$output" $((chunk * 1000)) ||
           ! output_size_is "$output" $((chunk * 1000)); then
            exec 5>&-
            fail "after the writer's standard input gave it $((chunk * 1000)) bytes, 1000 at a time, the reader wrote $(stat -c %s "$output") bytes; expected $((chunk * 1000)). $(describe_side write); $(describe_side read)"
        fi
    done
    exec 5>&-                       # the end of the input
    finish_transfer "$expected" "$output"
}

# bats test_tags=points:3,section:3_2
@test "transfer_works_when_the_reader_starts_first" {
    local name input output="$BATS_TEST_TMPDIR/output"
    name=$(buffer_name)
    input=$(random_file $((3 * $(buffer_size) + 5)))
    start_side read "$name" /dev/null "$output"
    wait_for_sleep read
    start_side write "$name" "$input" /dev/null
    finish_transfer "$input" "$output"
}

# bats test_tags=points:2,section:3_2
@test "transfer_works_when_the_writer_starts_first" {
    local name input output="$BATS_TEST_TMPDIR/output"
    name=$(buffer_name)
    input=$(random_file $((3 * $(buffer_size) + 5)))
    start_side write "$name" "$input" /dev/null
    wait_for_sleep write
    start_side read "$name" /dev/null "$output"
    finish_transfer "$input" "$output"
    # An empty stream: the writer hands over the end at once, and must still
    # wait for the reader's last post of consumed before it removes the names.
    start_side write "$name" /dev/null /dev/null
    wait_for_sleep write
    start_side read "$name" /dev/null "$output"
    finish_transfer /dev/null "$output"
}

# bats test_tags=points:3,section:3_5
@test "transfer_leaves_no_shm_object_or_semaphore_behind" {
    local name left
    name=$(buffer_name)
    transfer "$(random_file 10000)"
    left=$(buffer_objects "$name")
    [ -z "$left" ] || fail "$(printf 'after the transfer through %s, these are left in /dev/shm:\n%s\nonce the reader has consumed the end of the stream, the writer removes the buffer: shm_unlink(%s), sem_unlink(%s.ready), sem_unlink(%s.consumed)' \
        "$name" "    ${left//$'\n'/$'\n'    }" "$name" "$name" "$name")"
}

both_sides_gone() {
    side_gone read && side_gone write
}

# The writer's standard input is a directory: open works, read() fails with
# EISDIR. The writer must say so, and still end the stream (length 0), so that
# the reader ends normally and the names are removed.
# hint: after a read error on standard input, still hand over the end-of-stream mark
# bats test_tags=points:1,section:3_3
@test "shmpipe_write_still_ends_the_stream_when_its_input_fails" {
    local name output="$BATS_TEST_TMPDIR/output" seconds status left
    name=$(buffer_name)
    start_side read "$name" /dev/null "$output"
    start_side write "$name" / /dev/null
    seconds=$(side_seconds)
    if ! wait_until "$seconds" both_sides_gone; then
        fail_stuck_sides "with a directory as the writer's standard input (read() fails with EISDIR), the writer must report it and still hand over the end-of-stream mark, so that the reader ends (section 3.3); but shmpipe write and read did not both finish within $((seconds * ${TIMEOUT_SCALE:-1})) s"
    fi
    wait "$WRITER_WAITER" || true
    status=$(cat "$BATS_TEST_TMPDIR/write.status")
    # shellcheck disable=SC2034 # teardown's stop_sides (lab.bash) reads them
    WRITER_PID='' WRITER_WAITER=''
    [ "$status" = 1 ] ||
        fail "$(printf 'with a directory as its standard input (read() fails with EISDIR), shmpipe write exited with status %s; expected 1: the error is reported and write_side returns -1 (section 3.3). its stderr:\n%s' \
            "$status" "$(cat "$BATS_TEST_TMPDIR/write.err")")"
    grep -q 'Is a directory' "$BATS_TEST_TMPDIR/write.err" ||
        fail "$(printf 'with a directory as its standard input, shmpipe write exited with status 1 but did not say why; expected "shmpipe: ...: Is a directory" on stderr (strerror(EISDIR): section 3.3). its stderr:\n%s' \
            "$(cat "$BATS_TEST_TMPDIR/write.err")")"
    wait "$READER_WAITER" || true
    status=$(cat "$BATS_TEST_TMPDIR/read.status")
    # shellcheck disable=SC2034 # teardown's stop_sides (lab.bash) reads them
    READER_PID='' READER_WAITER=''
    [ "$status" = 0 ] ||
        fail "$(printf 'when the writer'"'"'s standard input failed, shmpipe read exited with status %s; expected 0: the writer still hands over the end-of-stream mark, an empty buffer (length 0), and the reader ends normally (sections 3.3 and 3.4). its stderr:\n%s' \
            "$status" "$(cat "$BATS_TEST_TMPDIR/read.err")")"
    [ ! -s "$output" ] ||
        fail "the reader wrote $(stat -c %s "$output") bytes; expected none: the writer read nothing, and hands over only the end-of-stream mark (section 3.3)"
    left=$(buffer_objects "$name")
    [ -z "$left" ] || fail "$(printf 'after a writer whose standard input failed, these are left in /dev/shm:\n%s\nexpected none: the writer still ends the stream, waits for the reader'"'"'s last post of consumed and removes the three names (sections 3.3 and 3.5)' \
        "    ${left//$'\n'/$'\n'    }")"
}

# The reader's standard output is /dev/full: write() fails with ENOSPC. (The
# writer then waits for a consumed that never comes; teardown stops it.)
# hint: check every write of the reader
# bats test_tags=points:1,section:3_3
@test "shmpipe_read_whose_output_fails_says_why_and_exits_with_status_1" {
    local name input
    name=$(buffer_name)
    input=$(random_file 10)
    start_side read "$name" /dev/null /dev/full
    start_side write "$name" "$input" /dev/null
    if ! wait_until "$(side_seconds)" side_gone read; then
        fail_stuck_sides "with /dev/full as its standard output (write() fails with ENOSPC), shmpipe read must say so and exit with status 1 (section 3.3); it did not finish within $(($(side_seconds) * ${TIMEOUT_SCALE:-1})) s"
    fi
    local status
    status=$(cat "$BATS_TEST_TMPDIR/read.status")
    [ "$status" = 1 ] && grep -q '^shmpipe: .*No space left on device' "$BATS_TEST_TMPDIR/read.err" ||
        fail "$(printf 'with /dev/full as its standard output (write() fails with ENOSPC), shmpipe read exited with status %s; expected status 1 and "shmpipe: ...: No space left on device" on stderr: check what write_all returns, say what failed (perror) and return -1 (section 3.3). its stderr:\n%s' \
            "$status" "$(cat "$BATS_TEST_TMPDIR/read.err")")"
}

# shmpipe_traced (counter_trace.c, fail_inject.c) makes one call fail that does
# not fail in a real run. Each side runs alone where it can; otherwise the other
# side is a plain shmpipe started first.
# hint: check every call, and return -1 when one fails
# bats test_tags=points:1,section:3_3
@test "shmpipe_says_why_and_exits_with_status_1_when_a_semaphore_or_clean_up_call_fails" {
    local name input
    name=$(buffer_name)
    input=$(random_file 10)
    run_with_failure shmpipe sem_wait:1:EINVAL write "$name" <"$input"
    expect_parent_failure_reported "Invalid argument"
    remove_buffer_objects "$name"
    run_with_failure shmpipe sem_post:1:EINVAL write "$name" <"$input"
    expect_parent_failure_reported "Invalid argument"
    remove_buffer_objects "$name"
    # An empty stream: the second sem_wait is the wait for the reader's last consumed.
    run_with_failure shmpipe sem_wait:2:EINVAL write "$name" </dev/null
    expect_parent_failure_reported "Invalid argument"
    remove_buffer_objects "$name"
    run_with_failure shmpipe sem_wait:1:EINVAL read "$name" </dev/null
    expect_parent_failure_reported "Invalid argument"
    remove_buffer_objects "$name"
    # The writer's clean-up, beside a plain reader.
    fail_beside write read munmap:1:EINVAL "Invalid argument"
    fail_beside write read shm_unlink:1:EACCES "Permission denied"
    # The reader's last post and clean-up, beside a plain writer of an empty stream.
    fail_beside read write sem_post:1:EINVAL "Invalid argument"
    fail_beside read write munmap:1:EINVAL "Invalid argument"
}

# fail_beside ROLE OTHER FAILURE STRERROR: start a plain shmpipe OTHER, run
# shmpipe_traced ROLE with FAILURE on an empty stream, expect it to report the
# failure and exit with status 1, then stop OTHER and remove the names.
fail_beside() {
    local role=$1 other=$2 failure=$3 message=$4 name
    name=$(buffer_name)
    start_side "$other" "$name" /dev/null /dev/null
    run_with_failure shmpipe "$failure" "$role" "$name" </dev/null
    expect_parent_failure_reported "$message"
    stop_sides
}

# bats test_tags=points:1,section:3_2
@test "shmpipe_reports_a_buffer_name_it_cannot_use" {
    run --separate-stderr run_program "$(program shmpipe)" read /not/a/name
    expect_status 1 "shmpipe read /not/a/name"
    assert_equal "$output" ""
    [[ $stderr == shmpipe:*'Invalid argument'* ]] ||
        fail "expected 'shmpipe: ...: Invalid argument' on stderr (shm_open refuses a name with a second slash), got: $stderr"
}

# bats test_tags=points:0,section:3_1
@test "shmpipe_rejects_bad_usage" {
    local arguments
    for arguments in "" "write" "copy /x" "read /x extra"; do
        # shellcheck disable=SC2086 # split the arguments on purpose
        run --separate-stderr run_program "$(program shmpipe)" $arguments
        expect_status 2 "shmpipe $arguments"
        [[ $stderr == *usage:* ]] || fail "shmpipe $arguments: expected 'usage: ...' on stderr, got: $stderr"
    done
}
