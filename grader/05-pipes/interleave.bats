#!/usr/bin/env bats
# interleave.bats - tests of the program `interleave`: records of PIPE_BUF
# bytes stay whole; records larger than the pipe get mixed.
# shellcheck disable=SC2154 # run --separate-stderr sets $stderr

load ../lib/helpers

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

# bats test_tags=points:2,section:5_4
@test "records_of_PIPE_BUF_bytes_never_interleave" {
    run_interleave 4 200 4096
    [ "$INTERLEAVED" -eq 0 ] ||
        fail "$(printf "interleave 4 200 4096: %s of %s records interleaved; expected 0.\nA write() of at most PIPE_BUF (4096) bytes is atomic: each record must be exactly\n4096 bytes, written with one write()." "$INTERLEAVED" "$PIECES")"
}

# bats test_tags=points:1,section:5_4
@test "records_larger_than_the_pipe_interleave" {
    # A 131072-byte record cannot fit in a 65536-byte pipe: its writer waits
    # half-way, and another writer's bytes get in.
    run_interleave 4 20 131072
    [ "$INTERLEAVED" -gt 0 ] ||
        fail "$(printf "interleave 4 20 131072: 0 of %s records interleaved; expected some.\nStart every writer before reading, so that they all wait on the full pipe together." "$PIECES")"
}
