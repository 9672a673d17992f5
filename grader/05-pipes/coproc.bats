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
    fail "$(printf '%s did not finish within %s s: a deadlock? %s\n%s' "$1" \
        "$((DEADLINE * TIMEOUT_SCALE))" \
        "The command waits for you to read its output while you wait to write its input," \
        "or you wait for it (waitpid) before reading what it still has to write.")"
}

# bats test_tags=points:2,section:7_5
@test "coproc_gets_bc_output_larger_than_a_pipe" {
    command -v bc >/dev/null || fail "bc is not installed (apt-get install bc)"
    local expected
    expected=$(bc <<<'2^300000')
    run --separate-stderr run_within "$DEADLINE" "$(program coproc)" bc <<<'2^300000'
    fail_if_deadlocked "echo '2^300000' | coproc bc"
    expect_status 0 "echo '2^300000' | coproc bc"
    [ "$output" = "$expected" ] ||
        fail "$(printf "echo '2^300000' | coproc bc printed %s bytes; bc alone prints %s (more than a pipe holds)" \
            "${#output}" "${#expected}")"
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
