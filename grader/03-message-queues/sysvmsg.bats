#!/usr/bin/env bats
# sysvmsg.bats - tests of sysvmsg, the command-line tool for System V message
# queues, and of its server and client. The queue of a file is found the way
# ftok finds it, from the file's device and inode, and looked for with ipcs;
# teardown removes it with ipcrm, whatever the code under test did.
# shellcheck disable=SC2154 # run --separate-stderr sets $stderr

load ../lib/helpers
load lab

setup() {
    SYSVMSG=$(program sysvmsg)
}

teardown() {
    lab03_teardown
}

# sysvmsg_ok ARGS...: run sysvmsg ARGS, which should not wait, and expect success.
sysvmsg_ok() {
    quick "$SYSVMSG" "$@"
    expect_quick_status 0 "sysvmsg $*"
}

# expect_output FILE ERRFILE TEXT TYPE WHAT: the recv -v that wrote FILE and ERRFILE
# gave exactly the bytes of TEXT, and "type TYPE, LENGTH bytes" on stderr.
expect_output() {
    local file=$1 errors text=$3 type=$4 what=$5
    read_file "$2" errors
    if ! printf '%s' "$text" | cmp -s - "$file" ||
       [[ $errors != *"type $type, ${#text} bytes"* ]]; then
        fail "$(printf '%s wrote "%s" (stderr: %s); expected "%s" and "type %s, %s bytes" on stderr' \
            "$what" "$(cat -v "$file")" "$errors" "$text" "$type" "${#text}")"
    fi
}

# expect_recv TEXT TYPE WHAT ARGS...: sysvmsg recv -v ARGS succeeds and gives TEXT of type TYPE.
expect_recv() {
    local text=$1 type=$2 what=$3 out="$BATS_TEST_TMPDIR/recv.out" err="$BATS_TEST_TMPDIR/recv.err"
    shift 3
    quick "$SYSVMSG" recv -v "$@"
    expect_quick_status 0 "$what"
    cp "$BATS_TEST_TMPDIR/watched.out" "$out"
    cp "$BATS_TEST_TMPDIR/watched.err" "$err"
    expect_output "$out" "$err" "$text" "$type" "$what"
}

# start_server FILE: start sysvmsg server FILE and wait until it waits for requests.
start_server() {
    start_background "$BATS_TEST_TMPDIR/server.out" "$BATS_TEST_TMPDIR/server.err" \
        "$SYSVMSG" server "$1"
    SERVER_PID=$BG_PID
    expect_asleep_in "$SERVER_PID" "$MSGRCV_WAIT" "sysvmsg server (§6.2)" "$BATS_TEST_TMPDIR/server.err"
    [ -n "$(sysv_line "$(ftok_key "$1")")" ] ||
        fail "sysvmsg server waits, but ipcs lists no queue with the key $(ftok_key "$1")"
}

# bats test_tags=points:1,section:5_1
@test "sysvmsg_create_makes_the_queue_of_the_ftok_key" {
    key_file file create
    sysvmsg_ok create "$file"
    line=$(sysv_line "$KEY")
    [ -n "$line" ] || fail "after sysvmsg create, ipcs lists no queue with the key $KEY (ftok(PATH, 'M'))"
    read -r _ id _ perms _ <<<"$line"
    [ "$output" = "$id" ] || fail "sysvmsg create printed '$output'; ipcs says the queue's id is $id"
    [ "$perms" = 600 ] || fail "the queue's mode is $perms; expected 600"
}

# bats test_tags=points:1,section:6_1
@test "sysvmsg_send_and_recv_pick_messages_by_type" {
    key_file file types
    sysvmsg_ok create "$file"
    sysvmsg_ok send "$file" 3 three
    sysvmsg_ok send "$file" 1 one
    sysvmsg_ok send "$file" 2 two
    sysvmsg_ok send "$file" 1 uno
    expect_recv one 1 "sysvmsg recv -v -t 1 of types 3, 1, 2, 1" -t 1 "$file"
    expect_recv uno 1 "then sysvmsg recv -v -t -2 (the lowest type <= 2)" -t -2 "$file"
    expect_recv two 2 "then sysvmsg recv -v -x -t 3 (any type but 3)" -x -t 3 "$file"
    expect_recv three 3 "then sysvmsg recv -v (the first message)" "$file"
    [ "$(sysv_messages "$KEY")" = 0 ] || fail "messages are left in the queue"
    # The -v line comes first, before the text: with standard output unbuffered
    # (stdbuf -o0) and both streams in one, the order shows.
    sysvmsg_ok send "$file" 4 four
    expect_verbose_line_first "type 4, 4 bytes" four "sysvmsg recv -v" "$SYSVMSG" recv -v "$file"
}

# hint: which errno says "nothing to take"?
# bats test_tags=points:1,section:6_1
@test "sysvmsg_recv_n_with_no_matching_message_exits_3" {
    key_file file recv-n
    sysvmsg_ok create "$file"
    quick "$SYSVMSG" recv -n "$file"
    expect_quick_status 3 "sysvmsg recv -n on an empty queue (msgrcv fails with ENOMSG)"
    sysvmsg_ok send "$file" 2 two
    quick "$SYSVMSG" recv -n -v -t 5 "$file"
    expect_quick_status 3 "sysvmsg recv -n -v -t 5 with only a message of type 2 (ENOMSG)"
    [ "$(sysv_messages "$KEY")" = 1 ] || fail "the message of type 2 is gone"
    [[ $stderr != *bytes* ]] ||
        fail "$(printf 'sysvmsg recv -n -v -t 5, which received nothing, said:\n%s\nexpected no "type T, N bytes" line: -v describes a message received' "$stderr")"
}

# bats test_tags=points:1,section:6_1
@test "sysvmsg_send_on_a_full_queue_waits_for_room_and_with_n_exits_3" {
    key_file file send-n
    sysvmsg_ok create -b 8 "$file"
    sysvmsg_ok send "$file" 1 12345678
    quick "$SYSVMSG" send -n "$file" 1 x
    expect_quick_status 3 "sysvmsg send -n on a full queue (msgsnd fails with EAGAIN)"
    [ "$(sysv_messages "$KEY")" = 1 ] || fail "the full queue does not hold 1 message"
    # Without -n, send waits in msgsnd until a receive makes room.
    start_background "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/err" "$SYSVMSG" send "$file" 2 room
    expect_asleep_in "$BG_PID" "$MSGSND_WAIT" "sysvmsg send on a full queue (no -n)" "$BATS_TEST_TMPDIR/err"
    sysvmsg_ok recv -t 1 "$file"
    wait_for_exit "$BG_PID" "sysvmsg send on a full queue, after a receive made room,"
    [ "$status" -eq 0 ] ||
        fail "sysvmsg send on a full queue exited with status $status once there was room; expected 0. Its stderr: $(cat "$BATS_TEST_TMPDIR/err")"
    expect_recv room 2 "after sysvmsg send waited for room" "$file"
}

# bats test_tags=points:1,section:6_1
@test "sysvmsg_recv_blocks_until_a_message_of_its_type_arrives" {
    key_file file block
    sysvmsg_ok create "$file"
    start_background "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/err" "$SYSVMSG" recv -v -t 5 "$file"
    expect_asleep_in "$BG_PID" "$MSGRCV_WAIT" "sysvmsg recv -t 5 on an empty queue" "$BATS_TEST_TMPDIR/err"
    sysvmsg_ok send "$file" 4 four
    ! process_gone "$BG_PID" || fail "sysvmsg recv -t 5 returned when a message of type 4 arrived"
    sysvmsg_ok send "$file" 5 five
    wait_for_exit "$BG_PID" "sysvmsg recv -t 5, after a message of type 5 was sent,"
    [ "$status" -eq 0 ] || fail "sysvmsg recv -t 5 exited with status $status; its stderr: $(cat "$BATS_TEST_TMPDIR/err")"
    expect_output "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/err" five 5 "sysvmsg recv -v -t 5"
    [ "$(sysv_messages "$KEY")" = 1 ] || fail "the message of type 4 is gone"
}

# bats test_tags=points:1,section:6_1
@test "sysvmsg_send_takes_an_empty_argument_as_an_empty_message" {
    key_file file empty-arg
    sysvmsg_ok create "$file"
    printf 'from standard input' >"$BATS_TEST_TMPDIR/stdin"
    WATCH_STDIN="$BATS_TEST_TMPDIR/stdin" quick "$SYSVMSG" send "$file" 3 ""
    expect_quick_status 0 "sysvmsg send PATH 3 '' (an empty message)"
    expect_recv "" 3 "after sysvmsg send PATH 3 '' (standard input held 'from standard input'), sysvmsg recv -v; an empty argument is a message of 0 bytes, standard input is read only when there is no argument:" "$file"
}

# bats test_tags=points:1,section:6_1
@test "sysvmsg_send_takes_up_to_SYSVQ_MAX_TEXT_bytes_from_standard_input" {
    key_file file stdin-max
    sysvmsg_ok create "$file"
    head -c 4096 /dev/zero | tr '\0' a >"$BATS_TEST_TMPDIR/4096"
    head -c 4097 /dev/zero | tr '\0' b >"$BATS_TEST_TMPDIR/4097"
    # Under Valgrind: the text read from standard input is freed (and nothing else lost).
    # shellcheck disable=SC2034 # read by run_valgrind_to_status, which allows 6 times this
    local PROGRAM_TIMEOUT=$((3 * TIMEOUT_SCALE))
    WATCH_STDIN="$BATS_TEST_TMPDIR/4096" run_valgrind_to_status 0 \
        "sysvmsg send of 4096 bytes (SYSVQ_MAX_TEXT) from standard input" "$SYSVMSG" send "$file" 1
    WATCH_STDIN="$BATS_TEST_TMPDIR/4097" quick "$SYSVMSG" send "$file" 1
    expect_quick_status 1 "sysvmsg send of 4097 bytes (one more than SYSVQ_MAX_TEXT) from standard input"
    [ "$(sysv_messages "$KEY")" = 1 ] ||
        fail "the queue holds $(sysv_messages "$KEY") messages; expected 1, the 4096-byte one"
    quick "$SYSVMSG" recv "$file"
    expect_quick_status 0 "sysvmsg recv"
    cmp -s "$BATS_TEST_TMPDIR/4096" "$BATS_TEST_TMPDIR/watched.out" ||
        fail "sysvmsg recv wrote $(wc -c <"$BATS_TEST_TMPDIR/watched.out") bytes; expected the 4096 bytes sent"
}

# hint: write the bytes, all of them
# bats test_tags=points:1,section:6_1
@test "sysvmsg_recv_writes_binary_messages_unchanged" {
    key_file file binary
    sysvmsg_ok create "$file"
    printf 'a\0b\nc\0\377' >"$BATS_TEST_TMPDIR/binary"
    WATCH_STDIN="$BATS_TEST_TMPDIR/binary" quick "$SYSVMSG" send "$file" 2
    expect_quick_status 0 "sysvmsg send (the message on standard input)"
    quick "$SYSVMSG" recv "$file"
    expect_quick_status 0 "sysvmsg recv"
    cmp -s "$BATS_TEST_TMPDIR/binary" "$BATS_TEST_TMPDIR/watched.out" ||
        fail "$(printf 'sysvmsg recv wrote these bytes:\n%s\nexpected (sent from standard input):\n%s' \
            "$(od -c "$BATS_TEST_TMPDIR/watched.out")" "$(od -c "$BATS_TEST_TMPDIR/binary")")"
}

# bats test_tags=points:1,section:6_1
@test "sysvmsg_commands_report_a_missing_queue_or_file_with_status_1_and_make_no_queue" {
    key_file file missing
    quick "$SYSVMSG" send "$file" 1 hello
    expect_quick_status 1 "sysvmsg send to a file without a queue"
    [[ $stderr == *"$file"* ]] || fail "sysvmsg send said '$stderr'; expected it to name $file"
    quick "$SYSVMSG" recv -n "$file"
    expect_quick_status 1 "sysvmsg recv -n from a file without a queue"
    [[ $stderr == *"$file"* ]] || fail "sysvmsg recv said '$stderr'; expected it to name $file"
    [ -z "$(sysv_line "$KEY")" ] || fail "sysvmsg send or recv created a queue; expected them to fail"
    # A file that does not exist has no key: ftok fails, and sysvq_key returns -1.
    quick "$SYSVMSG" server "$BATS_TEST_TMPDIR/no-such-file"
    expect_quick_status 1 "sysvmsg server of a file that does not exist"
    if find_sysv_queue 0xffffffff; then
        ipcrm -Q 0xffffffff 2>/dev/null || true
        fail "sysvmsg server of a file that does not exist exited with status 1 but made a queue of key 0xffffffff: sysvq_key failed (-1), and the server created the queue of that key anyway; check the key before you create the queue (§6.2)"
    fi
}

# bats test_tags=points:1,section:5_2
@test "sysvmsg_remove_deletes_the_queue" {
    key_file file remove
    sysvmsg_ok create "$file"
    sysvmsg_ok remove "$file"
    line=$(sysv_line "$KEY")
    [ -z "$line" ] || fail "after sysvmsg remove the queue was left behind; ipcs -q: $line"
}

# hint: receive your own type only
# bats test_tags=points:1,section:6_3
@test "sysvmsg_server_replies_to_a_client_with_a_message_of_its_type" {
    key_file file server
    start_server "$file"
    # A reply for somebody else (no pid is that large) waits in the queue first.
    sysvmsg_ok send "$file" 1000000000 "not for you"
    quick "$SYSVMSG" client "$file" "hello there"
    expect_quick_status 0 "sysvmsg client"
    [ "$output" = "HELLO THERE" ] ||
        fail "sysvmsg client printed '$output'; expected HELLO THERE: the client takes only the message whose type is its pid"
    [ "$(sysv_messages "$KEY")" = 1 ] ||
        fail "the queue holds $(sysv_messages "$KEY") messages; expected 1, the reply for somebody else"
    sysvmsg_ok recv -n -t 1000000000 "$file"
    [ "$output" = "not for you" ] || fail "the message of type 1000000000 is '$output'; expected 'not for you'"
}

# hint: the text's length, no '\0'; a buffer of SYSVQ_MAX_TEXT + 1 bytes
# bats test_tags=points:1,section:6_2
@test "sysvmsg_server_replies_with_exactly_the_text_in_capitals_up_to_the_longest_request" {
    local long
    key_file file reply
    start_server "$file"
    # Requests sent by hand, from a pid no process has: the replies wait in the queue.
    sysvmsg_ok send "$file" 1 "1000000001 Hello, world 42"
    expect_recv "HELLO, WORLD 42" 1000000001 \
        "sysvmsg recv -v -t 1000000001, after the server got the request \"1000000001 Hello, world 42\"," \
        -t 1000000001 "$file"
    # The longest request: SYSVQ_MAX_TEXT (4096) bytes, "1000000001 " and 4085 letters.
    printf -v long '%4085s' ''
    long=${long// /a}
    sysvmsg_ok send "$file" 1 "1000000001 $long"
    expect_recv "${long^^}" 1000000001 \
        "sysvmsg recv -v -t 1000000001, after the server got a request of 4096 bytes (SYSVQ_MAX_TEXT)," \
        -t 1000000001 "$file"
    # A buffer overrun may show only when run_server returns: stop it.
    read -r _ id _ <<<"$(sysv_line "$KEY")"
    ipcrm -q "$id"
    wait_for_exit "$SERVER_PID" "sysvmsg server, after its queue was removed with ipcrm,"
    [ "$status" -eq 0 ] ||
        fail "$(printf 'sysvmsg server, which had answered a request of 4096 bytes (SYSVQ_MAX_TEXT), exited with status %s when its queue was removed; expected 0 (a status above 128 is a signal: a write past the end of a buffer?). Its stderr:\n%s' "$status" "$(cat "$BATS_TEST_TMPDIR/server.err")")"
}

# bats test_tags=points:1,section:6_2
@test "sysvmsg_concurrent_clients_each_get_their_own_reply" {
    key_file file clients
    start_server "$file"
    sysvmsg_ok send "$file" 1000000000 "not for you"
    local pids=() i
    for i in 1 2 3 4 5; do
        start_background "$BATS_TEST_TMPDIR/client.$i.out" "$BATS_TEST_TMPDIR/client.$i.err" \
            "$SYSVMSG" client "$file" "client number $i"
        pids+=("$BG_PID")
    done
    for i in 1 2 3 4 5; do
        wait_for_exit "${pids[i - 1]}" "client $i"
        [ "$status" -eq 0 ] || fail "client $i exited with status $status; its stderr: $(cat "$BATS_TEST_TMPDIR/client.$i.err")"
        [ "$(cat "$BATS_TEST_TMPDIR/client.$i.out")" = "CLIENT NUMBER $i" ] ||
            fail "client $i printed '$(cat "$BATS_TEST_TMPDIR/client.$i.out")'; expected 'CLIENT NUMBER $i'"
    done
    [ "$(sysv_messages "$KEY")" = 1 ] ||
        fail "the queue holds $(sysv_messages "$KEY") messages; expected 1, the reply for somebody else"
}

# bats test_tags=points:1,section:6_2
@test "sysvmsg_server_prints_its_queue_and_each_request_it_answers" {
    key_file file log
    start_server "$file"
    read -r key id _ <<<"$(sysv_line "$KEY")"
    log="$BATS_TEST_TMPDIR/server.out"
    # The server waits for requests now: the ready line must be out already (flushed).
    read_file "$log" ready
    [ "$ready" = "server: queue $id (key $key) is ready" ] ||
        fail "$(printf 'the server waits for requests (asleep in msgrcv), and its standard output (a file) holds:\n%s\nexpected:\nserver: queue %s (key %s) is ready\nprinted and flushed before it waits' "$ready" "$id" "$key")"
    sysvmsg_ok client "$file" "hello there"
    wait_until 5 grep -q -- '-> HELLO THERE$' "$log" || true
    grep -Eq '^[0-9]+: hello there -> HELLO THERE$' "$log" ||
        fail "$(printf 'after a client sent "hello there", the server printed:\n%s\nexpected a line "PID: hello there -> HELLO THERE" (the client'"'"'s pid), flushed' "$(cat "$log")")"
}

# hint: a request is "PID TEXT" with a PID of 2 or more
# bats test_tags=points:1,section:6_2
@test "sysvmsg_server_ignores_malformed_requests_and_goes_on" {
    key_file file malformed
    start_server "$file"
    local requests=("0 zero" "1 one" "-3 minus" "abc def" "12345" "99999999999999999999999 big") request
    for request in "${requests[@]}"; do
        sysvmsg_ok send -- "$file" 1 "$request"
    done
    quick "$SYSVMSG" client "$file" "still there"
    expect_quick_status 0 "sysvmsg client, after malformed requests"
    [ "$output" = "STILL THERE" ] || fail "sysvmsg client printed '$output'; expected STILL THERE"
    ! process_gone "$SERVER_PID" ||
        fail "$(printf 'the server stopped after the malformed requests %s; expected it to warn and go on. its stderr:\n%s' "${requests[*]}" "$(cat "$BATS_TEST_TMPDIR/server.err")")"
    [ "$(sysv_messages "$KEY")" = 0 ] ||
        fail "the queue holds $(sysv_messages "$KEY") messages; expected none: the server must not answer a malformed request"
    for request in "${requests[@]}"; do
        grep -qF -- "$request" "$BATS_TEST_TMPDIR/server.err" ||
            fail "$(printf 'the server'"'"'s stderr does not name the malformed request "%s"; expected a warning for each. its stderr:\n%s' "$request" "$(cat "$BATS_TEST_TMPDIR/server.err")")"
    done
}

# hint: stopping
# bats test_tags=points:1,section:6_2
@test "sysvmsg_server_removes_its_queue_when_stopped_with_SIGTERM" {
    key_file file stop
    start_server "$file"
    kill -TERM "$SERVER_PID"
    wait_for_exit "$SERVER_PID" "sysvmsg server, after SIGTERM,"
    [ "$status" -eq 0 ] ||
        fail "sysvmsg server exited with status $status after SIGTERM; expected 0; its stderr: $(cat "$BATS_TEST_TMPDIR/server.err")"
    line=$(sysv_line "$KEY")
    [ -z "$line" ] || fail "the stopped server left its queue behind; ipcs -q: $line"
}

# hint: EIDRM
# bats test_tags=points:1,section:6_2
@test "sysvmsg_server_stops_when_its_queue_is_removed" {
    key_file file removed
    start_server "$file"
    read -r _ id _ <<<"$(sysv_line "$KEY")"
    ipcrm -q "$id"
    wait_for_exit "$SERVER_PID" "sysvmsg server, after its queue was removed with ipcrm,"
    [ "$status" -eq 0 ] ||
        fail "sysvmsg server exited with status $status after its queue was removed; expected 0 (msgrcv fails with EIDRM: the queue is gone, so stop); its stderr: $(cat "$BATS_TEST_TMPDIR/server.err")"
}

# bats test_tags=points:1,section:6_2
@test "sysvmsg_server_refuses_to_start_when_the_queue_exists" {
    key_file file taken
    sysvmsg_ok create "$file"
    sysvmsg_ok send "$file" 7 "keep me"
    quick "$SYSVMSG" server "$file"
    expect_quick_status 1 "sysvmsg server on a key that has a queue already"
    [[ $stderr == *"$file"* ]] || fail "expected the error to name $file; it said: $stderr"
    [ "$(sysv_messages "$KEY")" = 1 ] ||
        fail "the queue that was there is gone or changed: a server must not take over or remove another queue"
}

# bats test_tags=points:1,section:6_3
@test "sysvmsg_client_without_a_server_fails_with_status_1" {
    key_file file no-server
    quick "$SYSVMSG" client "$file" hello
    expect_quick_status 1 "sysvmsg client with no server"
    [[ $stderr == *"$file"* ]] || fail "expected the error to name $file; it said: $stderr"
    [ -z "$(sysv_line "$KEY")" ] || fail "the client created a queue; expected it to fail"
}

# bats test_tags=points:1,section:6_3
@test "sysvmsg_client_sends_PID_TEXT_of_type_1_and_exits_1_when_the_queue_goes_before_a_reply" {
    key_file file request
    sysvmsg_ok create "$file"
    start_background "$BATS_TEST_TMPDIR/client.out" "$BATS_TEST_TMPDIR/client.err" \
        "$SYSVMSG" client "$file" "hi there"
    expect_asleep_in "$BG_PID" "$MSGRCV_WAIT" "sysvmsg client, after its request," "$BATS_TEST_TMPDIR/client.err"
    quick "$SYSVMSG" recv -n -t 1 "$file"
    expect_quick_status 0 "sysvmsg recv -n -t 1 while the client waits (its request, of type 1)"
    [ "$output" = "$BG_PID hi there" ] ||
        fail "the client's request is '$output'; expected 'PID hi there' with the client's own pid"
    sysvmsg_ok remove "$file"
    wait_for_exit "$BG_PID" "sysvmsg client, after its queue was removed (EIDRM),"
    [ "$status" -eq 1 ] ||
        fail "sysvmsg client exited with status $status after the queue was removed; expected 1 (the server stopped); its stderr: $(cat "$BATS_TEST_TMPDIR/client.err")"
    local errors printed
    read_file "$BATS_TEST_TMPDIR/client.err" errors
    read_file "$BATS_TEST_TMPDIR/client.out" printed
    [[ -z $printed && ${errors,,} == *server* ]] ||
        fail "$(printf 'after its queue was removed while it waited (msgrcv failed with EIDRM), sysvmsg client printed "%s" and said on stderr:\n%s\nexpected nothing on standard output and a message that the server stopped: EIDRM or EINVAL while waiting for the reply means the queue is gone (§6.3)' "$printed" "$errors")"
}

# run_client_with_request_of BYTES PATH: run sysvmsg client PATH with a text that makes
# "PID TEXT" exactly BYTES long (its length depends on the client's pid, so the client's
# shell computes it and then becomes the client); sets status and CLIENT_PID, the output
# in $BATS_TEST_TMPDIR/client.out and .err.
run_client_with_request_of() {
    local bytes=$1 path=$2
    (
        printf -v text '%*s' $((bytes - ${#BASHPID} - 1)) ''
        exec "$SYSVMSG" client "$path" "${text// /x}" </dev/null \
            >"$BATS_TEST_TMPDIR/client.out" 2>"$BATS_TEST_TMPDIR/client.err" 3>&-
    ) &
    CLIENT_PID=$!
    BACKGROUND+=("$CLIENT_PID")
    wait_for_exit "$CLIENT_PID" "sysvmsg client with a request of exactly $bytes bytes"
}

# bats test_tags=points:1,section:6_3
@test "sysvmsg_client_sends_a_request_of_SYSVQ_MAX_TEXT_bytes_and_refuses_one_byte_more" {
    local reply errors
    key_file file longest
    start_server "$file"
    run_client_with_request_of 4096 "$file"
    read_file "$BATS_TEST_TMPDIR/client.out" reply
    read_file "$BATS_TEST_TMPDIR/client.err" errors
    [ "$status" -eq 0 ] && [ "$reply" = "$(printf '%*s' $((4096 - ${#CLIENT_PID} - 1)) '' | tr ' ' X)" ] ||
        fail "$(printf 'sysvmsg client with a request of exactly 4096 bytes, SYSVQ_MAX_TEXT, which fits in one message, exited with status %s and printed %s bytes; expected status 0 and the reply, %s capital Xs (snprintf needs one byte more than the request, for its '"'"'\\0'"'"'). Its stderr:\n%s' \
            "$status" "${#reply}" $((4096 - ${#CLIENT_PID} - 1)) "$errors")"
    # One byte more: refused, and nothing is sent.
    run_client_with_request_of 4097 "$file"
    read_file "$BATS_TEST_TMPDIR/client.err" errors
    [ "$status" -eq 1 ] ||
        fail "sysvmsg client with a request of 4097 bytes, one more than SYSVQ_MAX_TEXT, exited with status $status; expected 1: a request that does not fit in one message is refused. Its stderr: $errors"
    # It says so itself: passing the request on to sysvq_send, which refuses it with
    # EINVAL, tells the user "Invalid argument" and nothing of the request's length.
    [[ ${errors,,} =~ long|large|big|exceed|fit|max|size|4096|4097 ]] ||
        fail "$(printf 'sysvmsg client with a request of 4097 bytes, one more than SYSVQ_MAX_TEXT, said:\n%s\nexpected it to say that the request is too long (handout 6.3: check snprintf'"'"'s result against the buffer'"'"'s size before sending)' "$errors")"
    [ "$(sysv_messages "$KEY")" = 0 ] ||
        fail "after a client refused a request of 4097 bytes, the queue holds $(sysv_messages "$KEY") messages; expected none: a request that does not fit is not sent, not even cut short"
}

# bats test_tags=points:0,section:6
@test "sysvmsg_usage_lists_the_exit_statuses" {
    run --separate-stderr run_program "$SYSVMSG"
    expect_status 2 "sysvmsg without arguments"
    for word in usage: create send recv stat remove server client 'exit status' ENOMSG EAGAIN; do
        [[ $stderr == *"$word"* ]] || fail "the usage does not mention '$word'; it is: $stderr"
    done
}
