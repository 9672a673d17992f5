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
# bats test_tags=points:1,section:4_2
@test "sigpipe_resets_a_SIGPIPE_that_its_parent_ignored" {
    # An ignored signal stays ignored through fork() and exec().
    # shellcheck disable=SC2016 # $0 is for the inner bash
    run --separate-stderr run_program bash -c 'trap "" PIPE; exec "$0"' "$(program sigpipe)"
    expect_status 0 "sigpipe started with SIGPIPE ignored"
    [ "$output" = "$EXPECTED" ] ||
        fail "$(printf "sigpipe, started with SIGPIPE ignored, printed:\n%s\nexpected:\n%s\nAn ignored SIGPIPE is inherited through fork() and exec(): set SIG_DFL in the writer\nthat must die, not only SIG_IGN in the other." "$output" "$EXPECTED")"
}

# hint: call waitpid() again on EINTR only
# bats test_tags=points:1,section:4_2
@test "sigpipe_reports_a_waitpid_that_fails_instead_of_calling_it_again" {
    # SIGCHLD ignored is inherited through exec() too: the kernel then reaps the
    # writers itself, and waitpid() fails with ECHILD, as often as it is called.
    run --separate-stderr run_program env --ignore-signal=CHLD "$(program sigpipe)"
    if [ "$status" -eq 0 ] && [ "$output" = "$EXPECTED" ]; then
        return 0    # (it set SIGCHLD's action back itself: it could wait)
    fi
    [ "$status" -ne 124 ] ||
        expect_status 1 "sigpipe started with SIGCHLD ignored (waitpid() then fails with ECHILD)"
    [ "$status" -eq 1 ] && [[ $stderr == *"No child processes"* ]] ||
        fail "$(printf "sigpipe, started with SIGCHLD ignored, exited with status %s and printed:\n%s\nits stderr:\n%s\nexpected status 1 and the reason on stderr (sigpipe: waitpid: No child processes):\nwaitpid() fails with ECHILD there; only EINTR is a reason to call it again." "$status" "$output" "$stderr")"
}
