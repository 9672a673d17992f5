#!/usr/bin/env bats
# fifo.bats - tests of seqnum_server and seqnum_client: a server and its
# clients talking over FIFOs, several at once, some of them gone.
# shellcheck disable=SC2154 # run --separate-stderr sets $stderr

load ../lib/helpers
load lab

setup() {
    FIFO="$BATS_TEST_TMPDIR/seqnum.$GRADER_RUN_ID.$$"
    SERVER_PID=
    SERVER_ERR="$BATS_TEST_TMPDIR/server.err"
}

teardown() {
    if [ -n "$SERVER_PID" ]; then
        kill -KILL "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -f "$FIFO" "$FIFO".*
}

server_ready() {
    grep -q listening "$SERVER_ERR" && return 0
    process_gone "$SERVER_PID"
}

# Start seqnum_server on $FIFO and wait until it says "listening".
start_server() {
    : >"$SERVER_ERR"
    "$(program seqnum_server)" "$FIFO" 2>"$SERVER_ERR" 3>&- &
    SERVER_PID=$!
    wait_until 10 server_ready ||
        fail "seqnum_server did not print 'listening' on stderr within $((10 * TIMEOUT_SCALE)) s"
    if ! grep -q listening "$SERVER_ERR"; then
        local status=0
        wait "$SERVER_PID" || status=$?
        SERVER_PID=
        fail "$(printf 'seqnum_server %s exited with status %s before listening; its stderr:\n%s' \
            "$FIFO" "$status" "$(cat "$SERVER_ERR")")"
    fi
    [ -p "$FIFO" ] || fail "seqnum_server said it listens, but $FIFO is not a FIFO"
}

# ask LENGTH EXPECTED: one client asks for LENGTH numbers and must get EXPECTED.
ask() {
    run --separate-stderr run_within 10 "$(program seqnum_client)" "$FIFO" "$1"
    [ "$status" -ne 124 ] ||
        fail "seqnum_client $FIFO $1 got no answer within $((10 * TIMEOUT_SCALE)) s; the server's stderr: $(cat "$SERVER_ERR")"
    expect_status 0 "seqnum_client $FIFO $1"
    [ "$output" = "$2" ] ||
        fail "seqnum_client $FIFO $1 printed '$output'; expected '$2'"
}

# bats test_tags=points:3,section:6_3
@test "a_client_gets_its_numbers_from_the_server" {
    start_server
    ask 3 0
    ask 2 3
    ask 1 5
}

# bats test_tags=points:3,section:6_3
@test "concurrent_clients_get_ranges_that_do_not_overlap" {
    start_server
    local length pids=() client
    client=$(program seqnum_client)
    for length in 1 2 3 4 5 6 7 8; do
        run_within 20 "$client" "$FIFO" "$length" >"$BATS_TEST_TMPDIR/out.$length" \
            2>"$BATS_TEST_TMPDIR/err.$length" &
        pids+=($!)
    done
    local i status wrong=() ranges=()
    for i in "${!pids[@]}"; do
        length=$((i + 1))
        status=0
        wait "${pids[i]}" || status=$?
        if [ "$status" -ne 0 ]; then
            wrong+=("client $length exited with status $status: $(cat "$BATS_TEST_TMPDIR/err.$length")")
        else
            ranges+=("$(cat "$BATS_TEST_TMPDIR/out.$length") $length")
        fi
    done
    [ ${#wrong[@]} -eq 0 ] || fail "$(printf '%s\n' "${wrong[@]}")"
    # Sorted by their first number, the ranges must follow each other: 0..35.
    local next=0 start
    while read -r start length; do
        [ "$start" = "$next" ] ||
            fail "$(printf 'eight clients asked for 1 to 8 numbers at once and got (first length):\n%s\nexpected ranges that cover 0 to 35 exactly once; the range after %s should start at %s' \
                "$(printf '%s\n' "${ranges[@]}" | sort -n)" "$((next - 1))" "$next")"
        next=$((start + length))
    done < <(printf '%s\n' "${ranges[@]}" | sort -n)
}

# hint: a client that is gone
# bats test_tags=points:3,section:6_3
@test "the_server_survives_a_client_that_is_gone" {
    start_server
    # Client 999999991 made its FIFO but nobody reads it; client 999999992 has none.
    mkfifo "$FIFO.999999991"
    printf '999999991 5\n' >"$FIFO"
    printf '999999992 5\n' >"$FIFO"
    run --separate-stderr run_within 5 "$(program seqnum_client)" "$FIFO" 1
    [ "$status" -ne 124 ] ||
        fail "$(printf "after requests from two clients that are gone, a client got no answer within %s s.\nIs the server stuck in open() of a FIFO nobody reads? Open a client's FIFO with\nO_NONBLOCK: with no reader it fails at once with ENXIO. The server's stderr:\n%s" \
            "$((5 * TIMEOUT_SCALE))" "$(cat "$SERVER_ERR")")"
    expect_status 0 "seqnum_client after two clients that are gone"
    [[ $output =~ ^[0-9]+$ ]] || fail "seqnum_client printed '$output'; expected a number"
    case "$(process_state "$SERVER_PID")" in
        Z|X) fail "$(printf 'seqnum_server died; its stderr:\n%s' "$(cat "$SERVER_ERR")")" ;;
    esac
}

# bats test_tags=points:3,section:6_4
@test "a_client_without_a_server_fails_at_once_with_ENXIO" {
    mkfifo "$FIFO"
    run --separate-stderr run_within 5 "$(program seqnum_client)" "$FIFO" 1
    [ "$status" -ne 124 ] ||
        fail "$(printf "seqnum_client waited %s s for a server that does not exist. Open the server's FIFO\nwith O_NONBLOCK: with no reader, open() fails at once with ENXIO." "$((5 * TIMEOUT_SCALE))")"
    expect_status 1 "seqnum_client with nobody reading $FIFO"
    [[ $stderr == *"No such device or address"* || $stderr == *ENXIO* ]] ||
        fail "expected a message with ENXIO (No such device or address) on stderr; got: $stderr"
    local left
    left=$(find "$BATS_TEST_TMPDIR" -name "${FIFO##*/}.*")
    [ -z "$left" ] || fail "seqnum_client left its FIFO behind: $left"
}

# bats test_tags=points:2,section:6_5
@test "server_and_clients_remove_their_FIFOs" {
    start_server
    ask 1 0
    ask 1 1
    local left
    left=$(find "$BATS_TEST_TMPDIR" -name "${FIFO##*/}.*")
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
