#!/usr/bin/env bats
# sigpipe.bats - tests of the program `sigpipe`: a writer without a reader is
# killed by SIGPIPE, or gets EPIPE when it ignores SIGPIPE.
# shellcheck disable=SC2154 # run --separate-stderr sets $stderr

load ../lib/helpers

EXPECTED='SIGPIPE default: the writer was killed by signal 13 (Broken pipe)
SIGPIPE ignored: write() failed with EPIPE (Broken pipe)'

# bats test_tags=points:1,section:4_2
@test "sigpipe_shows_a_writer_killed_and_a_write_failing_with_EPIPE" {
    run --separate-stderr run_program "$(program sigpipe)"
    expect_status 0 sigpipe
    [ "$output" = "$EXPECTED" ] ||
        fail "$(printf 'sigpipe printed:\n%s\nexpected:\n%s\nits stderr:\n%s' "$output" "$EXPECTED" "$stderr")"
}

# hint: ignored signals are inherited
# bats test_tags=points:2,section:4_2
@test "sigpipe_resets_a_SIGPIPE_that_its_parent_ignored" {
    # An ignored signal stays ignored through fork() and exec().
    # shellcheck disable=SC2016 # $0 is for the inner bash
    run --separate-stderr run_program bash -c 'trap "" PIPE; exec "$0"' "$(program sigpipe)"
    expect_status 0 "sigpipe started with SIGPIPE ignored"
    [ "$output" = "$EXPECTED" ] ||
        fail "$(printf "sigpipe, started with SIGPIPE ignored, printed:\n%s\nexpected:\n%s\nAn ignored SIGPIPE is inherited through fork() and exec(): set SIG_DFL in the writer\nthat must die, not only SIG_IGN in the other." "$output" "$EXPECTED")"
}
