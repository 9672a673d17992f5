#!/usr/bin/env bats
# mq.bats - tests of mq, the command-line tool for POSIX message queues: its
# commands, its exit statuses, and blocking seen from outside: a command that
# waits must sleep in the kernel's queue code (/proc/PID/stat and
# /proc/PID/wchan) until another process sends or receives. Queues are looked
# for in /dev/mqueue; teardown removes whatever a test made.
# shellcheck disable=SC2154 # run --separate-stderr sets $stderr

load ../lib/helpers
load lab

setup() {
    require_mqueue_fs
    MQ=$(program mq)
    # (quick and run_valgrind_to_status: a command that should return at once and
    # sleeps in the queue instead fails at once; see lab.bash.)
    # shellcheck disable=SC2034 # read by quick and run_valgrind_to_status (lab.bash)
    NEVER_WAITS_IN=$MQ_WAIT
}

teardown() {
    lab03_teardown
}

# mq_ok ARGS...: run mq ARGS, which should not wait, and expect success.
mq_ok() {
    quick "$MQ" "$@"
    expect_quick_status 0 "mq $*"
}

# mq_to_file OUT ARGS...: run mq ARGS, which should not wait, with its standard output in
# the file OUT (bytes exactly as written); sets status and stderr.
mq_to_file() {
    local out=$1
    shift
    quick "$MQ" "$@"
    cp "$BATS_TEST_TMPDIR/watched.out" "$out"
}

# expect_one_line_saying WORDS WHAT: what WHAT printed on stderr ($stderr, $q) is one line,
# "mq: CALL NAME: why", that names the queue $q and says WORDS (in any case).
expect_one_line_saying() {
    [[ $stderr != *$'\n'* && $stderr == *"$q"* && ${stderr,,} == *"$1"* ]] ||
        fail "$(printf '%s printed on stderr:\n%s\nexpected one line that names the queue %s and says %s (report_failure prints one message, "mq: CALL NAME: why")' "$2" "$stderr" "$q" "$1")"
}

# curmsgs NAME: the message count that mq stat prints.
curmsgs() {
    local field value
    mq_ok stat "$1"
    while read -r field value; do
        [ "$field" != curmsgs ] || echo "$value"
    done <<<"$output"
}

# bats test_tags=points:1,section:4_2
@test "mq_create_then_stat_shows_maxmsg_msgsize_and_no_messages" {
    q=$(queue_name stat)
    mq_ok create -m 4 -s 128 "$q"
    [ -e "$(queue_file "$q")" ] ||
        fail "after 'mq create -m 4 -s 128 $q' succeeded, $(queue_file "$q") does not exist"
    mq_ok stat "$q"
    [ "$output" = $'maxmsg 4\nmsgsize 128\ncurmsgs 0' ] ||
        fail "$(printf 'mq stat printed:\n%s\nexpected:\nmaxmsg 4\nmsgsize 128\ncurmsgs 0' "$output")"
}

# bats test_tags=points:1,section:4_2
@test "mq_stat_counts_the_messages_in_the_queue" {
    q=$(queue_name count)
    mq_ok create -m 4 -s 32 "$q"
    mq_ok send "$q" one
    mq_ok send "$q" two
    mq_ok send "$q" three
    [ "$(curmsgs "$q")" = 3 ] || fail "after 3 sends mq stat says curmsgs $(curmsgs "$q"); expected 3"
    mq_ok recv "$q"
    [ "$(curmsgs "$q")" = 2 ] ||
        fail "after 3 sends and 1 recv mq stat says curmsgs $(curmsgs "$q"); expected 2"
}

# bats test_tags=points:1,section:4_2
@test "mq_create_refuses_an_existing_queue" {
    q=$(queue_name exists)
    mq_ok create -m 2 -s 16 "$q"
    mq_ok send "$q" keep-me
    quick "$MQ" create -m 2 -s 16 "$q"
    expect_quick_status 1 "mq create of a queue that exists"
    [[ $stderr == *"$q"* ]] || fail "expected the error to name the queue $q; it said: $stderr"
    [ "$(curmsgs "$q")" = 1 ] || fail "the existing queue lost its message: create must not replace it"
}

# hint: and §3.2
# bats test_tags=points:1,section:4_2
@test "mq_create_over_the_limit_names_the_limit_and_its_file" {
    q=$(queue_name limit)
    quick "$MQ" create -m 100000 -s 16 "$q"
    expect_quick_status 1 "mq create -m 100000 (over every limit)"
    [[ $stderr == */proc/sys/fs/mqueue/msg_max* ]] ||
        fail "expected the error to name /proc/sys/fs/mqueue/msg_max; it said: $stderr"
    quick "$MQ" create -m 2 -s 33554432 "$q"
    expect_quick_status 1 "mq create -s 33554432 (over every limit)"
    [[ $stderr == */proc/sys/fs/mqueue/msgsize_max* ]] ||
        fail "expected the error to name /proc/sys/fs/mqueue/msgsize_max; it said: $stderr"
    [ ! -e "$(queue_file "$q")" ] || fail "a failed create left $(queue_file "$q") behind"
}

# bats test_tags=points:1,section:4_3
@test "mq_send_then_recv_gives_back_the_message" {
    q=$(queue_name roundtrip)
    mq_ok create -m 2 -s 64 "$q"
    mq_ok send "$q" "hello, queue"
    mq_to_file "$BATS_TEST_TMPDIR/out" recv "$q"
    expect_quick_status 0 "mq recv"
    printf 'hello, queue' >"$BATS_TEST_TMPDIR/expected"
    cmp -s "$BATS_TEST_TMPDIR/expected" "$BATS_TEST_TMPDIR/out" ||
        fail "mq recv wrote '$(cat -v "$BATS_TEST_TMPDIR/out")'; expected exactly 'hello, queue' (no newline added)"
    [ "$(curmsgs "$q")" = 0 ] || fail "the message is still in the queue after mq recv"
}

# bats test_tags=points:1,section:4_3
@test "mq_send_takes_an_empty_argument_as_an_empty_message" {
    q=$(queue_name empty-arg)
    mq_ok create -m 2 -s 64 "$q"
    printf 'from standard input' >"$BATS_TEST_TMPDIR/stdin"
    WATCH_STDIN="$BATS_TEST_TMPDIR/stdin" quick "$MQ" send "$q" ""
    expect_quick_status 0 "mq send NAME '' (an empty message)"
    mq_ok drain "$q"
    [ "$output" = "0 0 " ] ||
        fail "$(printf "after mq send NAME '' (standard input held 'from standard input'), mq drain printed:\n%s\nexpected '0 0 ': an empty argument is a message of 0 bytes; standard input is read only when there is no argument" "$output")"
}

# bats test_tags=points:1,section:4_3
@test "mq_send_takes_a_message_of_exactly_msgsize_bytes_and_refuses_a_longer_one" {
    q=$(queue_name msgsize)
    mq_ok create -m 2 -s 64 "$q"
    head -c 64 /dev/zero | tr '\0' x >"$BATS_TEST_TMPDIR/64"
    head -c 65 /dev/zero | tr '\0' y >"$BATS_TEST_TMPDIR/65"
    WATCH_STDIN="$BATS_TEST_TMPDIR/64" quick "$MQ" send "$q"
    expect_quick_status 0 "mq send of 64 bytes (standard input) to a queue with msgsize 64"
    quick "$MQ" send "$q" "$(cat "$BATS_TEST_TMPDIR/65")"
    expect_quick_status 1 "mq send of 65 bytes (an argument) to a queue with msgsize 64 (EMSGSIZE)"
    WATCH_STDIN="$BATS_TEST_TMPDIR/65" quick "$MQ" send "$q"
    expect_quick_status 1 "mq send of 65 bytes (standard input) to a queue with msgsize 64 (EMSGSIZE)"
    [ "$(curmsgs "$q")" = 1 ] || fail "the queue holds $(curmsgs "$q") messages; expected 1, the 64-byte one"
}

# hint: write the bytes, all of them
# bats test_tags=points:1,section:4_4
@test "mq_recv_writes_binary_messages_unchanged" {
    q=$(queue_name binary)
    mq_ok create -m 4 -s 64 "$q"
    printf 'a\0b\nc\0\377' >"$BATS_TEST_TMPDIR/binary"
    WATCH_STDIN="$BATS_TEST_TMPDIR/binary" quick "$MQ" send "$q"
    expect_quick_status 0 "mq send (the message on standard input)"
    mq_ok send "$q" ""
    mq_to_file "$BATS_TEST_TMPDIR/out1" recv "$q"
    expect_quick_status 0 "mq recv"
    cmp -s "$BATS_TEST_TMPDIR/binary" "$BATS_TEST_TMPDIR/out1" ||
        fail "$(printf 'mq recv wrote these bytes:\n%s\nexpected (sent from standard input):\n%s' \
            "$(od -c "$BATS_TEST_TMPDIR/out1")" "$(od -c "$BATS_TEST_TMPDIR/binary")")"
    mq_to_file "$BATS_TEST_TMPDIR/out2" recv "$q"
    expect_quick_status 0 "mq recv of an empty message"
    [ ! -s "$BATS_TEST_TMPDIR/out2" ] ||
        fail "mq recv of the zero-length message wrote $(wc -c <"$BATS_TEST_TMPDIR/out2") bytes; expected none"
}

# bats test_tags=points:1,section:4_4
@test "mq_recv_v_reports_the_priority_and_length" {
    q=$(queue_name verbose)
    mq_ok create -m 2 -s 64 "$q"
    mq_ok send -p 7 "$q" hello
    mq_ok recv -v "$q"
    [ "$output" = hello ] || fail "mq recv -v printed '$output' on stdout; expected hello"
    [[ $stderr == *"priority 7, 5 bytes"* ]] ||
        fail "expected 'mq: priority 7, 5 bytes' on stderr; it said: $stderr"
    # The line comes first, before the message: with standard output unbuffered
    # (stdbuf -o0) and both streams in one, the order shows.
    mq_ok send -p 2 "$q" world
    expect_verbose_line_first "priority 2, 5 bytes" world "mq recv -v" "$MQ" recv -v "$q"
}

# bats test_tags=points:1,section:4_5
@test "mq_drain_gives_the_highest_priority_first_and_fifo_within_a_priority" {
    q=$(queue_name drain)
    mq_ok create -m 8 -s 32 "$q"
    mq_ok send -p 1 "$q" a
    mq_ok send -p 5 "$q" b
    mq_ok send -p 1 "$q" c
    mq_ok send -p 5 "$q" d
    mq_ok send "$q" e
    mq_ok send -p 32767 "$q" "f g"
    mq_ok drain "$q"
    expected=$'32767 3 f g\n5 1 b\n5 1 d\n1 1 a\n1 1 c\n0 1 e'
    [ "$output" = "$expected" ] ||
        fail "$(printf 'after sending a/1 b/5 c/1 d/5 e/0 "f g"/32767, mq drain printed:\n%s\nexpected:\n%s' "$output" "$expected")"
    [ "$(curmsgs "$q")" = 0 ] || fail "mq drain left $(curmsgs "$q") messages in the queue"
}

# bats test_tags=points:1,section:4_5
@test "mq_drain_escapes_bytes_that_are_not_text" {
    q=$(queue_name escape)
    mq_ok create -m 2 -s 32 "$q"
    printf 'a\0b\\c\n' >"$BATS_TEST_TMPDIR/message"
    WATCH_STDIN="$BATS_TEST_TMPDIR/message" quick "$MQ" send "$q"
    expect_quick_status 0 "mq send (the message on standard input)"
    mq_ok drain "$q"
    [ "$output" = '0 6 a\x00b\\c\n' ] ||
        fail "mq drain printed '$output'; expected '0 6 a\\x00b\\\\c\\n'"
}

# bats test_tags=points:1,section:4_5
@test "mq_drain_of_an_empty_queue_prints_nothing_and_exits_0" {
    q=$(queue_name drain-empty)
    mq_ok create -m 2 -s 16 "$q"
    mq_ok drain "$q"
    [ -z "$output" ] || fail "mq drain of an empty queue printed '$output'; expected nothing"
}

# bats test_tags=points:1,section:4_6
@test "mq_recv_blocks_until_another_process_sends" {
    q=$(queue_name block)
    mq_ok create -m 2 -s 64 "$q"
    start_background "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/err" "$MQ" recv "$q"
    expect_asleep_in "$BG_PID" "$MQ_WAIT" "mq recv on an empty queue" "$BATS_TEST_TMPDIR/err"
    [ ! -s "$BATS_TEST_TMPDIR/out" ] || fail "mq recv printed before anything was sent"
    mq_ok send "$q" "wake up"
    wait_for_exit "$BG_PID" "mq recv, after a message was sent,"
    [ "$status" -eq 0 ] || fail "mq recv exited with status $status; its stderr: $(cat "$BATS_TEST_TMPDIR/err")"
    [ "$(cat "$BATS_TEST_TMPDIR/out")" = "wake up" ] ||
        fail "mq recv printed '$(cat "$BATS_TEST_TMPDIR/out")'; expected 'wake up'"
}

# bats test_tags=points:1,section:4_6
@test "mq_send_on_a_full_queue_blocks_until_another_process_receives" {
    q=$(queue_name full)
    mq_ok create -m 1 -s 16 "$q"
    mq_ok send "$q" first
    start_background "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/err" "$MQ" send "$q" second
    expect_asleep_in "$BG_PID" "$MQ_WAIT" "mq send on a full queue" "$BATS_TEST_TMPDIR/err"
    mq_ok recv "$q"
    [ "$output" = first ] || fail "mq recv printed '$output'; expected first"
    wait_for_exit "$BG_PID" "mq send, after a recv made room,"
    [ "$status" -eq 0 ] || fail "mq send exited with status $status; its stderr: $(cat "$BATS_TEST_TMPDIR/err")"
    mq_ok recv "$q"
    [ "$output" = second ] || fail "mq recv printed '$output'; expected second"
}

# bats test_tags=points:1,section:4_1
@test "mq_recv_n_on_an_empty_queue_exits_3_at_once_and_says_it_is_empty" {
    q=$(queue_name recv-n)
    mq_ok create -m 2 -s 16 "$q"
    quick "$MQ" recv -n "$q"
    expect_quick_status 3 "mq recv -n on an empty queue"
    [ -z "$output" ] || fail "mq recv -n printed '$output' on stdout; expected nothing"
    [[ $stderr == *"$q"*empty* ]] ||
        fail "mq recv -n said '$stderr' on stderr; expected it to name the queue $q and say that it is empty"
    quick "$MQ" recv -n -t 5000 "$q"
    expect_quick_status 3 "mq recv -n -t 5000 on an empty queue (-n wins: a non-blocking descriptor never waits)"
}

# bats test_tags=points:1,section:4_1
@test "mq_send_n_on_a_full_queue_exits_3_at_once_and_says_it_is_full" {
    q=$(queue_name send-n)
    mq_ok create -m 1 -s 16 "$q"
    mq_ok send "$q" first
    quick "$MQ" send -n "$q" second
    expect_quick_status 3 "mq send -n on a full queue"
    [[ $stderr == *"$q"*full* ]] ||
        fail "mq send -n said '$stderr' on stderr; expected it to name the queue $q and say that it is full"
    [ "$(curmsgs "$q")" = 1 ] || fail "the full queue holds $(curmsgs "$q") messages; expected 1"
}

# bats test_tags=points:1,section:4_1
@test "mq_t_0_exits_4_at_once" {
    q=$(queue_name t0)
    mq_ok create -m 1 -s 16 "$q"
    quick "$MQ" recv -t 0 "$q"
    expect_quick_status 4 "mq recv -t 0 on an empty queue (a timeout of 0 ms never waits)"
    expect_one_line_saying "timed out" "mq recv -t 0 on an empty queue"
    mq_ok send "$q" first
    quick "$MQ" send -t 0 "$q" second
    expect_quick_status 4 "mq send -t 0 on a full queue (a timeout of 0 ms never waits)"
    expect_one_line_saying "timed out" "mq send -t 0 on a full queue"
    [ "$(curmsgs "$q")" = 1 ] || fail "the full queue holds $(curmsgs "$q") messages; expected 1"
}

# bats test_tags=points:1,section:4_1
@test "mq_recv_t_and_send_t_exit_4_after_the_timeout" {
    q=$(queue_name recv-t)
    mq_ok create -m 1 -s 16 "$q"
    start=$(uptime_ms)
    run_watched "$((10 * TIMEOUT_SCALE))" "$MQ" recv -t 500 "$q"
    elapsed=$(($(uptime_ms) - start))
    expect_quick_status 4 "mq recv -t 500 on an empty queue"
    [ "$elapsed" -ge 480 ] ||
        fail "mq recv -t 500 gave up after $elapsed ms; expected it to wait 500 ms (is the deadline absolute?)"
    [ "$elapsed" -le $((500 + 5000 * TIMEOUT_SCALE)) ] ||
        fail "mq recv -t 500 returned after $elapsed ms; expected about 500 ms"
    mq_ok send "$q" first
    start=$(uptime_ms)
    run_watched "$((10 * TIMEOUT_SCALE))" "$MQ" send -t 300 "$q" second
    elapsed=$(($(uptime_ms) - start))
    expect_quick_status 4 "mq send -t 300 on a full queue"
    [ "$elapsed" -ge 280 ] ||
        fail "mq send -t 300 gave up after $elapsed ms; expected it to wait 300 ms (is the deadline absolute?)"
    [ "$elapsed" -le $((300 + 5000 * TIMEOUT_SCALE)) ] ||
        fail "mq send -t 300 returned after $elapsed ms; expected about 300 ms"
}

# hint: and §3.6
# bats test_tags=points:1,section:4_4
@test "mq_recv_t_returns_a_message_that_arrives_in_time" {
    q=$(queue_name recv-t-ok)
    mq_ok create -m 2 -s 16 "$q"
    start_background "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/err" "$MQ" recv -t 20000 "$q"
    expect_asleep_in "$BG_PID" "$MQ_WAIT" "mq recv -t 20000 on an empty queue" "$BATS_TEST_TMPDIR/err"
    mq_ok send "$q" "in time"
    wait_for_exit "$BG_PID" "mq recv -t 20000, after a message was sent,"
    [ "$status" -eq 0 ] || fail "mq recv -t 20000 exited with status $status; its stderr: $(cat "$BATS_TEST_TMPDIR/err")"
    [ "$(cat "$BATS_TEST_TMPDIR/out")" = "in time" ] ||
        fail "mq recv -t 20000 printed '$(cat "$BATS_TEST_TMPDIR/out")'; expected 'in time'"
}

# bats test_tags=points:1,section:4_2
@test "mq_unlink_removes_the_queue" {
    q=$(queue_name unlink)
    mq_ok create -m 2 -s 16 "$q"
    mq_ok unlink "$q"
    [ ! -e "$(queue_file "$q")" ] || fail "after mq unlink $q, the queue was left behind: $(queue_file "$q") exists"
    quick "$MQ" stat "$q"
    expect_quick_status 1 "mq stat of an unlinked queue"
}

# bats test_tags=points:1,section:4_1
@test "mq_every_command_reports_a_missing_queue_with_status_1" {
    q=$(queue_name missing)
    for command in "recv -n" "send" "stat" "unlink" "drain"; do
        if [ "$command" = send ]; then
            quick "$MQ" send "$q" hello
        else
            # shellcheck disable=SC2086 # split the command and its option on purpose
            quick "$MQ" $command "$q"
        fi
        expect_quick_status 1 "mq $command of a queue that does not exist"
        [[ $stderr == *"no queue called $q"* ]] ||
            fail "mq $command of a missing queue said '$stderr'; expected it to say that there is no queue called $q (ENOENT, from opening the queue: check the open before anything uses the queue, and keep its errno)"
        [ ! -e "$(queue_file "$q")" ] || fail "mq $command created the queue $q; expected it to fail"
    done
}

# bats test_tags=points:1,section:8
@test "mq_commands_run_clean_under_valgrind" {
    # shellcheck disable=SC2034 # read by run_valgrind_to_status, which allows 6 times this
    local PROGRAM_TIMEOUT=$((3 * TIMEOUT_SCALE))
    q=$(queue_name valgrind)
    # Each command that opens the queue: no memory error, nothing lost, no
    # descriptor open at exit. (Each Valgrind run costs half a second of CPU:
    # the second send and unlink, which opens nothing, run without it.)
    run_valgrind_to_status 0 "mq create" "$MQ" create -m 4 -s 64 "$q"
    run_valgrind_to_status 0 "mq send -p 3" "$MQ" send -p 3 "$q" hello
    mq_ok send "$q" world
    run_valgrind_to_status 0 "mq recv" "$MQ" recv "$q"
    run_valgrind_to_status 0 "mq drain" "$MQ" drain "$q"
    run_valgrind_to_status 0 "mq stat" "$MQ" stat "$q"
    mq_ok unlink "$q"
}

# hint: close the queue and free on every path
# bats test_tags=points:1,section:4_2
@test "mq_commands_close_the_queue_and_free_memory_when_they_fail" {
    # shellcheck disable=SC2034 # read by run_valgrind_to_status, which allows 6 times this
    local PROGRAM_TIMEOUT=$((3 * TIMEOUT_SCALE))
    q=$(queue_name valgrind-fail)
    mq_ok create -m 1 -s 16 "$q"
    mq_ok send "$q" first
    printf 'second' >"$BATS_TEST_TMPDIR/message"
    WATCH_STDIN="$BATS_TEST_TMPDIR/message" run_valgrind_to_status 3 \
        "mq send -n (the message on standard input) to a full queue" "$MQ" send -n "$q"
    mq_ok recv "$q"
    run_valgrind_to_status 3 "mq recv -n from an empty queue" "$MQ" recv -n "$q"
    # A queue that does not exist: the message read from standard input is freed too.
    WATCH_STDIN="$BATS_TEST_TMPDIR/message" run_valgrind_to_status 1 \
        "mq send (the message on standard input) to a queue that does not exist" \
        "$MQ" send "$(queue_name valgrind-missing)"
    # Standard input that cannot be read (a directory: read fails with EISDIR).
    WATCH_STDIN="$BATS_TEST_TMPDIR" run_valgrind_to_status 1 \
        "mq send whose standard input cannot be read (a directory)" "$MQ" send "$q"
    # Standard output that cannot be written (a full device): mq drain stops at the
    # message it could not print, frees it, and says so in one line.
    local long_text
    printf -v long_text '%03000d' 0
    mq_ok unlink "$q"
    mq_ok create -m 3 -s 4000 "$q"
    mq_ok send "$q" "$long_text"
    mq_ok send "$q" "$long_text"
    WATCH_STDOUT=/dev/full run_valgrind_to_status 1 \
        "mq drain to a full device (standard output fails: ENOSPC)" "$MQ" drain "$q"
    local said
    read_file "$BATS_TEST_TMPDIR/valgrind-fds.stderr" said || said=
    [[ $said == *"No space left on device"* && $said != *$'\n'* ]] ||
        fail "$(printf 'mq drain > /dev/full said on stderr:\n%s\nexpected one line saying that standard output failed (No space left on device)' "$said")"
}

# bats test_tags=points:0,section:4_1
@test "mq_usage_lists_the_exit_statuses" {
    run --separate-stderr run_program "$MQ"
    expect_status 2 "mq without arguments"
    for word in usage: create send recv stat unlink drain 'exit status' EAGAIN ETIMEDOUT; do
        [[ $stderr == *"$word"* ]] || fail "the usage does not mention '$word'; it is: $stderr"
    done
}

# bats test_tags=points:0,section:4_1
@test "mq_rejects_bad_usage_with_status_2" {
    q=$(queue_name usage)
    for arguments in "bogus $q" "send -p 40000 $q x" "recv -t soon $q" "recv" "stat $q extra"; do
        # shellcheck disable=SC2086 # split the arguments on purpose
        run --separate-stderr run_program "$MQ" $arguments
        expect_status 2 "mq $arguments"
        [[ $stderr == *usage:* ]] || fail "mq $arguments: expected the usage on stderr, got: $stderr"
    done
}
