#!/usr/bin/env bats
# coproc.bats - tests of the program `coproc`: our input to a command through
# one pipe, its output back through another, in any size.
# shellcheck disable=SC2154 # run --separate-stderr sets $stderr

load ../lib/helpers
load lab

DEADLINE=10

# Fail with what a hang means when the last run_within timed out.
fail_if_deadlocked() {
    [ "$status" -eq 124 ] || return 0
    fail "$(printf '%s %s\n%s\n%s' "$1" "$(hang_report)" \
        "A deadlock? The command waits for you to read its output while you wait to write its input," \
        "or you wait for it (waitpid) before reading what it still has to write.")"
}

# bats test_tags=points:1,section:7_5
@test "coproc_gets_output_larger_than_a_pipe_from_a_short_input" {
    # xargs seq turns the 8 bytes "1 30000" into 168894 bytes of output.
    run --separate-stderr run_within "$DEADLINE" "$(program coproc)" xargs seq <<<'1 30000'
    fail_if_deadlocked "echo '1 30000' | coproc xargs seq"
    expect_status 0 "echo '1 30000' | coproc xargs seq"
    [ "$output" = "$(seq 1 30000)" ] ||
        fail "$(printf "echo '1 30000' | coproc xargs seq printed %s bytes; seq 1 30000 prints %s (more than a pipe holds)" \
            "${#output}" "$(seq 1 30000 | wc -c)")"
}

# bats test_tags=points:1,section:7_5
@test "coproc_passes_its_input_through_and_returns_the_status" {
    run --separate-stderr run_within "$DEADLINE" "$(program coproc)" cat < <(seq 1 200000)
    fail_if_deadlocked "seq 1 200000 | coproc cat"
    expect_status 0 "seq 1 200000 | coproc cat"
    [ "$output" = "$(seq 1 200000)" ] ||
        fail "seq 1 200000 | coproc cat printed ${#output} bytes, not the $(seq 1 200000 | wc -c) that seq printed"
    run --separate-stderr run_program "$(program coproc)" sh -c 'exit 3' </dev/null
    expect_status 3 "coproc sh -c 'exit 3'"
}
