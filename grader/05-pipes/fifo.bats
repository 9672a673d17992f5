#!/usr/bin/env bats
# fifo.bats - tests of seqnum_server and seqnum_client: a server and its
# clients talking over FIFOs, several at once, some of them gone. For the
# order of a client's steps the test plays the server itself (fake_server):
# it can then fill its FIFO, and answer only when it chooses.
# shellcheck disable=SC2154 # run --separate-stderr sets $stderr

load ../lib/helpers
load lab

setup() {
    # Short relative names: the FIFOs live in the test's own folder.
    cd "$BATS_TEST_TMPDIR" || fail "test setup: cd $BATS_TEST_TMPDIR"
    FIFO="seqnum.$GRADER_RUN_ID"
    SERVER_PID=
    SERVER_FD=
    CLIENT_PID=
    SERVER_ERR="$BATS_TEST_TMPDIR/server.err"
}

teardown() {
    local pid
    for pid in "$SERVER_PID" "$CLIENT_PID"; do
        [ -n "$pid" ] || continue
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    [ -z "$SERVER_FD" ] || exec {SERVER_FD}>&-
    rm -f "$FIFO" "$FIFO".*
}

server_ready() {
    local said=''
    read_file "$SERVER_ERR" said || true     # (polled: bash reads it, no grep)
    [[ $said == *listening* ]] && return 0
    process_gone "$SERVER_PID"
}

# Start seqnum_server on $FIFO and wait until it says "listening".
start_server() {
    : >"$SERVER_ERR"
    start_closed "$(program seqnum_server)" "$FIFO" 2>"$SERVER_ERR" </dev/null
    SERVER_PID=$!
    wait_until 10 server_ready ||
        fail "$(printf 'seqnum_server did not print "listening" on stderr within %s s; it:\n%s' \
            "$((10 * TIMEOUT_SCALE))" "$(describe_tree "$SERVER_PID" seqnum_server)")"
    if ! grep -q listening "$SERVER_ERR"; then
        local status=0
        wait "$SERVER_PID" || status=$?
        SERVER_PID=
        fail "$(printf 'seqnum_server %s exited with status %s before listening; its stderr:\n%s' \
            "$FIFO" "$status" "$(cat "$SERVER_ERR")")"
    fi
    [ -p "$FIFO" ] || fail "seqnum_server said it listens, but $FIFO is not a FIFO"
}

# What the server was doing, and what it said, for a message.
server_state() {
    printf 'the server:\n%s\nits stderr:\n%s' "$(describe_tree "$SERVER_PID" seqnum_server)" \
        "$(cat "$SERVER_ERR")"
}

# When the server took a client for gone: the likely cause, for a message.
taken_for_gone() {
    grep -q 'is gone' "$SERVER_ERR" || return 0
    printf '\n%s\n%s' "The server found no reader on a client's FIFO. A client must open its own FIFO" \
        "before it sends its request (handouts/05-pipes.md section 6.4, step 1)."
}

# ask LENGTH EXPECTED: one client asks for LENGTH numbers and must get EXPECTED.
ask() {
    run --separate-stderr run_within 10 "$(program seqnum_client)" "$FIFO" "$1"
    [ "$status" -ne 124 ] ||
        fail "$(printf 'seqnum_client %s %s got no answer: it %s\n%s%s' "$FIFO" "$1" \
            "$(hang_report)" "$(server_state)" "$(taken_for_gone)")"
    expect_status 0 "seqnum_client $FIFO $1"
    [ "$output" = "$2" ] ||
        fail "seqnum_client $FIFO $1 printed '$output'; expected '$2'"
}

# The number of descriptors the server has open.
server_descriptors() {
    local fds=("/proc/$SERVER_PID/fd/"*)
    echo "${#fds[@]}"
}

# bats test_tags=points:2,section:6_3
@test "a_client_gets_its_numbers_from_the_server" {
    start_server
    ask 3 0
    ask 2 3
    ask 1 5
}

# bats test_tags=points:2,section:6_3
@test "concurrent_clients_get_ranges_that_do_not_overlap" {
    start_server
    local length pids=() client
    client=$(program seqnum_client)
    for length in 1 2 3 4 5 6 7 8; do
        HANG_REPORT="$BATS_TEST_TMPDIR/hang.$length" run_within 20 "$client" "$FIFO" "$length" \
            >"$BATS_TEST_TMPDIR/out.$length" 2>"$BATS_TEST_TMPDIR/err.$length" </dev/null &
        pids+=($!)
    done
    local i status wrong=() ranges=() start
    for i in "${!pids[@]}"; do
        length=$((i + 1))
        status=0
        wait "${pids[i]}" || status=$?
        start=$(cat "$BATS_TEST_TMPDIR/out.$length")
        if [ "$status" -eq 124 ]; then
            wrong+=("the client asking for $length numbers $(cat "$BATS_TEST_TMPDIR/hang.$length")")
        elif [ "$status" -ne 0 ]; then
            wrong+=("the client asking for $length numbers exited with status $status; its stderr: $(cat "$BATS_TEST_TMPDIR/err.$length")")
        elif ! [[ $start =~ ^[0-9]+$ ]]; then
            wrong+=("the client asking for $length numbers printed '$start'; expected a number")
        else
            ranges+=("$start $length")
        fi
    done
    [ ${#wrong[@]} -eq 0 ] ||
        fail "$(printf '%s\n' "${wrong[@]}" "$(server_state)" "$(taken_for_gone)")"
    # Sorted by their first number, the ranges must follow each other: 0..35.
    local next=0
    while read -r start length; do
        [ "$start" = "$next" ] ||
            fail "$(printf 'eight clients asked for 1 to 8 numbers at once and got (first length):\n%s\nexpected ranges that cover 0 to 35 exactly once; the range after %s should start at %s' \
                "$(printf '%s\n' "${ranges[@]}" | sort -n)" "$((next - 1))" "$next")"
        next=$((start + length))
    done < <(printf '%s\n' "${ranges[@]}" | sort -n)
}

# hint: a client that is gone
# bats test_tags=points:1,section:6_3
@test "the_server_survives_a_client_that_is_gone" {
    start_server
    # Client 999999991 made its FIFO but nobody reads it; client 999999992 has none.
    mkfifo "$FIFO.999999991"
    printf '999999991 5\n' >"$FIFO"
    printf '999999992 5\n' >"$FIFO"
    run --separate-stderr run_within 5 "$(program seqnum_client)" "$FIFO" 1
    [ "$status" -ne 124 ] ||
        fail "$(printf "after requests from two clients that are gone, a client got no answer: it %s\n%s\nIs the server stuck in open() of a FIFO nobody reads? Open a client's FIFO with\nO_NONBLOCK: with no reader it fails at once with ENXIO." \
            "$(hang_report)" "$(server_state)")"
    expect_status 0 "seqnum_client after two clients that are gone"
    [ "$output" = 0 ] ||
        fail "$(printf "after two clients that are gone, the first real client got '%s'; expected 0:\na client that got no answer uses up no numbers" "$output")"
    ! process_gone "$SERVER_PID" ||
        fail "$(printf 'seqnum_server died; its stderr:\n%s' "$(cat "$SERVER_ERR")")"
}

# bats test_tags=points:1,section:6_3
@test "the_server_closes_each_clients_FIFO_after_answering" {
    start_server
    ask 1 0
    local before after
    before=$(server_descriptors)
    ask 1 1
    ask 1 2
    ask 1 3
    after=$(server_descriptors)
    [ "$after" -eq "$before" ] ||
        fail "$(printf 'seqnum_server had %s open descriptors after its first answer and %s after three more:\nclose the client'"'"'s FIFO after writing the answer. %s' \
            "$before" "$after" "$(server_state)")"
}

# bats test_tags=points:1,section:6_3
@test "the_server_refuses_a_path_that_exists_and_leaves_it_alone" {
    echo "another server's" >"$FIFO"
    run --separate-stderr run_within 5 "$(program seqnum_server)" "$FIFO"
    [ "$status" -ne 124 ] ||
        fail "$(printf 'seqnum_server %s, whose path is a file already, %s\nexpected it to refuse it (mkfifo fails with EEXIST) and exit with status 1' \
            "$FIFO" "$(hang_report)")"
    expect_status 1 "seqnum_server $FIFO (the path exists already)"
    [[ $stderr == *"File exists"* ]] ||
        fail "expected a message with EEXIST (File exists) on stderr; got: $stderr"
    [ -f "$FIFO" ] && [ "$(cat "$FIFO")" = "another server's" ] ||
        fail "seqnum_server refused $FIFO, but removed or changed it: a path that exists belongs to someone else"
}

# hint: check the open for writing too
# bats test_tags=points:1,section:6_3
@test "the_server_fails_when_it_cannot_open_its_FIFO_for_writing" {
    # Room for one descriptor above 0, 1 and 2: the read end takes it, and the
    # open for writing fails with EMFILE.
    run --separate-stderr run_within 5 prlimit --nofile=4 "$(program seqnum_server)" "$FIFO"
    [ "$status" -ne 124 ] ||
        fail "$(printf 'seqnum_server %s, with room for only one descriptor more than 0, 1 and 2, %s\nexpected it to fail: its open() for writing fails with EMFILE' \
            "$FIFO" "$(hang_report)")"
    [ "$status" -eq 1 ] && [[ $stderr == *"Too many open files"* && $stderr != *listening* ]] ||
        fail "$(printf 'seqnum_server %s, with room for only one descriptor more than 0, 1 and 2 (its read end), exited with status %s; its stderr:\n%s\nexpected status 1 and the reason (EMFILE, Too many open files) before it says it is listening:\nwithout its own write end the server cannot wait for requests; check that open() too.' \
            "$FIFO" "$status" "$stderr")"
    [ ! -e "$FIFO" ] || fail "seqnum_server failed, but left its FIFO $FIFO behind"
}

# bats test_tags=points:2,section:6_4
@test "a_client_without_a_server_fails_at_once_with_ENXIO" {
    mkfifo "$FIFO"
    run --separate-stderr run_within 5 "$(program seqnum_client)" "$FIFO" 1
    [ "$status" -ne 124 ] ||
        fail "$(printf "seqnum_client %s, with no server reading it, %s\nOpen the server's FIFO with O_NONBLOCK: with no reader, open() fails at once with ENXIO." \
            "$FIFO" "$(hang_report)")"
    expect_status 1 "seqnum_client with nobody reading $FIFO"
    [[ $stderr == *"$FIFO: No such device or address"* ]] ||
        fail "expected a message that names the server's FIFO, $FIFO (not the client's own, $FIFO.PID), and says ENXIO (No such device or address) on stderr; got: $stderr"
    local left
    left=$(find . -name "$FIFO.*")
    [ -z "$left" ] || fail "seqnum_client left its FIFO behind: $left"
}

# The test plays the server: it makes $FIFO and holds it open for reading
# and writing (such an open does not wait, and the FIFO never ends).
fake_server() {
    mkfifo "$FIFO" || fail "test setup: mkfifo $FIFO"
    exec {SERVER_FD}<>"$FIFO"
}

# Fill the fake server's FIFO: non-blocking writes until one would wait.
# FILLED: how many bytes that took (dd's count of what it wrote).
fill_fake_server() {
    local report
    report=$(dd if=/dev/zero of=/dev/fd/"$SERVER_FD" bs=4096 count=1000 oflag=nonblock 2>&1 |
        sed -n 's/^\([0-9]*\) bytes.*copied.*/\1/p')
    [[ $report =~ ^[1-9][0-9]*$ ]] ||
        fail "test setup: filling the FIFO $FIFO with dd oflag=nonblock failed"
    FILLED=$report
}

# Take the bytes of fill_fake_server out of the FIFO again.
drain_fake_server() {
    dd bs="$FILLED" count=1 iflag=fullblock status=none <&"$SERVER_FD" >/dev/null ||
        fail "test setup: draining the FIFO $FIFO failed"
}

# start_client LENGTH: seqnum_client in the background; CLIENT_PID.
start_client() {
    start_closed "$(program seqnum_client)" "$FIFO" "$1" >"$BATS_TEST_TMPDIR/client.out" \
        2>"$BATS_TEST_TMPDIR/client.err" </dev/null
    CLIENT_PID=$!
}

client_gone() {
    process_gone "$CLIENT_PID"
}

client_writing_or_gone() {
    client_gone || process_asleep "$CLIENT_PID" pipe_write
}

client_asleep_or_gone() {
    client_gone || process_asleep "$CLIENT_PID"
}

# Whether the client holds its own FIFO (SERVER.PID) open for reading.
client_reads_its_fifo() {
    local fd flags
    for fd in /proc/"$CLIENT_PID"/fd/*; do
        [[ $(readlink "$fd" 2>/dev/null) == */"$FIFO.$CLIENT_PID" ]] || continue
        flags=$(sed -n 's/^flags:[[:space:]]*//p' "/proc/$CLIENT_PID/fdinfo/${fd##*/}" 2>/dev/null)
        [[ $flags =~ ^[0-7]+$ ]] && [ $((8#$flags & 3)) -eq 0 ] && return 0
    done
    return 1
}

# Whether the client holds the server's FIFO ($FIFO itself) open.
client_holds_the_server_fifo() {
    local fd
    for fd in /proc/"$CLIENT_PID"/fd/*; do
        [[ $(readlink "$fd" 2>/dev/null) == */"$FIFO" ]] && return 0
    done
    return 1
}

# How the client ended, and what it said, for a message: ENDED. (Not in a
# $(...): a subshell cannot wait for its parent's child, and bash's wait
# then says -1 at once.)
client_ended() {
    local status=0
    wait "$CLIENT_PID" || status=$?
    CLIENT_PID=
    ENDED=$(printf 'exited with status %s; its stderr:\n%s' "$status" "$(cat "$BATS_TEST_TMPDIR/client.err")")
}

# no_request_came PART: fail: no whole request came (PART: what did).
no_request_came() {
    local part=${1:+ (only \"$1\", without the newline that ends a request)}
    if client_gone; then
        client_ended
        fail "$(printf 'seqnum_client ended without sending a whole request%s: it %s' "$part" "$ENDED")"
    fi
    fail "$(printf 'no request came within %s s%s; the client %s' "$((5 * TIMEOUT_SCALE))" "$part" \
        "$(describe_process "$CLIENT_PID" seqnum_client)")"
}

# read_request LENGTH: the fake server reads the next request and checks it:
# "PID LENGTH", PID the client's.
read_request() {
    local line='' piece status deadline=$((SECONDS + 5 * TIMEOUT_SCALE))
    # Until a whole line comes; not after the client has gone, nor after the
    # deadline. (A read that times out keeps what it took of a line.)
    while :; do
        status=0
        IFS= read -r -t 0.2 -u "$SERVER_FD" piece || status=$?
        line+=$piece
        [ "$status" -ne 0 ] || break
        if client_gone; then
            # It may have written its request just before it ended: one more look.
            status=0
            IFS= read -r -t 0.2 -u "$SERVER_FD" piece || status=$?
            line+=$piece
            [ "$status" -eq 0 ] || no_request_came "$line"
            break
        fi
        [ "$SECONDS" -lt "$deadline" ] || no_request_came "$line"
    done
    [[ $line =~ ^([0-9]+)\ ([0-9]+)$ ]] ||
        fail "seqnum_client $FIFO $1 sent the request '$line'; expected 'PID LENGTH' (seqnum.h)"
    if [ "${BASH_REMATCH[1]}" != "$CLIENT_PID" ] || [ "${BASH_REMATCH[2]}" != "$1" ]; then
        fail "seqnum_client $FIFO $1 sent a request with another pid or length: expected its own pid (getpid()) and $1"
    fi
}

# answer NUMBER: the fake server answers on the client's FIFO, as the real
# one does: O_WRONLY | O_NONBLOCK, so that with no reader it fails (ENXIO).
answer() {
    printf '%s\n' "$1" | dd of="$FIFO.$CLIENT_PID" oflag=nonblock conv=nocreat,notrunc \
        status=none 2>"$BATS_TEST_TMPDIR/answer.err"
}

# answer_or_fail NUMBER: answer, or fail saying why the client could not get it.
answer_or_fail() {
    answer "$1" && return 0
    if client_gone; then
        client_ended
        fail "$(printf 'seqnum_client gave up before its answer came: it %s\npoll() your FIFO for POLLIN: until the server opens it, a read() returns 0 (end-of-file).' \
            "$ENDED")"
    fi
    fail "$(printf "the answer to seqnum_client could not be written to its FIFO (%s): has it closed it?\n%s" \
        "$(cat "$BATS_TEST_TMPDIR/answer.err")" "$(describe_process "$CLIENT_PID" seqnum_client)")"
}

# The client must now print NUMBER and exit 0.
expect_client_prints() {
    wait_until 5 client_gone ||
        fail "$(printf 'seqnum_client got its answer but did not exit within %s s; it:\n%s' \
            "$((5 * TIMEOUT_SCALE))" "$(describe_tree "$CLIENT_PID" seqnum_client)")"
    local output
    client_ended
    [[ $ENDED == "exited with status 0;"* ]] || fail "seqnum_client $ENDED"
    output=$(cat "$BATS_TEST_TMPDIR/client.out")
    [ "$output" = "$1" ] || fail "seqnum_client was answered $1 and printed '$output'"
}

# hint: open your own FIFO first
# bats test_tags=points:2,section:6_4
@test "a_client_opens_its_own_FIFO_before_it_sends_its_request" {
    # With the server's FIFO full, the client's write of its request waits:
    # the test sees what the client holds open at that moment.
    fake_server
    fill_fake_server
    start_client 3
    wait_until 5 client_writing_or_gone || true
    if client_gone; then
        client_ended
        fail "$(printf "seqnum_client %s 3 gave up while the server's FIFO was full: it %s\nThis test looks at a client waiting to write its request: after the non-blocking open\nof the server's FIFO, clear O_NONBLOCK, so that a full FIFO makes the write() wait (step 2)." \
            "$FIFO" "$ENDED")"
    fi
    client_writing_or_gone ||
        fail "$(printf "seqnum_client %s 3 should wait in write() while the server's FIFO is full; after %s s:\n%s" \
            "$FIFO" "$((5 * TIMEOUT_SCALE))" "$(describe_process "$CLIENT_PID" seqnum_client)")"
    client_reads_its_fifo ||
        fail "$(printf "seqnum_client was writing its request with its own FIFO (%s.PID) not open:\n%s\nOpen your own FIFO for reading (O_NONBLOCK) BEFORE you send the request: else the\nserver may answer in between, find no reader, and take you for gone (step 1)." \
            "$FIFO" "$(describe_process "$CLIENT_PID" seqnum_client)")"
    drain_fake_server
    read_request 3
    answer_or_fail 42
    expect_client_prints 42
}

# hint: poll your FIFO
# bats test_tags=points:2,section:6_4
@test "a_client_waits_for_an_answer_that_comes_late" {
    fake_server
    start_client 2
    read_request 2
    wait_until 5 client_asleep_or_gone || true
    if client_gone; then
        client_ended
        fail "$(printf 'seqnum_client %s 2 gave up before its answer came: it %s\npoll() your FIFO for POLLIN: until the server opens it, a read() returns 0 (end-of-file).' \
            "$FIFO" "$ENDED")"
    fi
    client_gone || ! client_holds_the_server_fifo ||
        fail "$(printf 'seqnum_client still held the server'"'"'s FIFO %s open for writing while it waited for its answer:\n%s\nclose it as soon as the request is written (section 6.4, step 2).' \
            "$FIFO" "$(describe_process "$CLIENT_PID" seqnum_client)")"
    answer_or_fail 7
    expect_client_prints 7
}

# bats test_tags=points:1,section:6_5
@test "server_and_clients_remove_their_FIFOs" {
    start_server
    ask 1 0
    ask 1 1
    local left
    left=$(find . -name "$FIFO.*")
    [ -z "$left" ] || fail "$(printf 'the clients left their FIFOs behind:\n%s' "$left")"
    kill -TERM "$SERVER_PID"
    wait_until 10 process_gone "$SERVER_PID" ||
        fail "seqnum_server did not exit within $((10 * TIMEOUT_SCALE)) s of SIGTERM"
    local status=0
    wait "$SERVER_PID" || status=$?
    SERVER_PID=
    [ ! -e "$FIFO" ] || fail "seqnum_server exited (status $status) on SIGTERM but left $FIFO behind"
    [ "$status" -eq 0 ] || fail "seqnum_server exited with status $status on SIGTERM; expected 0"
}
