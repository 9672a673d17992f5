#!/usr/bin/env bats
# counter.bats - tests of the program counter (part 5): several processes add
# to one counter in shared memory with a mutex semaphore, and every increment
# counts. (Without the mutex updates are lost: race.bats, which runs alone.)
#
# A race is a matter of chance. 4 processes x 25 000 000 increments showed
# lost updates in every one of 300 runs on a 2-core machine with both cores
# busy (at 1 000 000 they often did not; at 10 000 000, in 24 of 30): that is
# the size used here, so that a counter that does not take its mutex is caught.
# shellcheck disable=SC2154 # run --separate-stderr sets $stderr

load ../lib/helpers
load lab

teardown() {
    stop_killed_children_run
}

# bats test_tags=points:3,section:7
@test "counter_with_the_mutex_counts_every_increment" {
    # The mutex makes each increment slow: more time than for other programs.
    # shellcheck disable=SC2034 # run_program reads it
    PROGRAM_TIMEOUT=$((45 * ${TIMEOUT_SCALE:-1}))
    run --separate-stderr run_program "$(program counter)" "${RACE_ARGUMENTS[@]}"
    expect_status 0 "counter ${RACE_ARGUMENTS[*]}"
    read_totals
    [ "$EXPECTED" -eq "$RACE_TOTAL" ] || fail "counter printed expected $EXPECTED; 4 processes x 25000000 increments make $RACE_TOTAL"
    [ "$ACTUAL" -eq "$RACE_TOTAL" ] ||
        fail "with the mutex the counter reached $ACTUAL, not $RACE_TOTAL: $((RACE_TOTAL - ACTUAL)) updates were lost. Does every child take the mutex (sem_wait) around value++, and is the semaphore in the shared mapping with pshared = 1?"
}

# bats test_tags=points:1,section:7
@test "counter_uses_the_options_it_is_given" {
    run --separate-stderr run_program "$(program counter)" -p 3 -i 1000
    expect_status 0 "counter -p 3 -i 1000"
    read_totals
    [ "$EXPECTED" -eq 3000 ] && [ "$ACTUAL" -eq 3000 ] ||
        fail "$(printf 'counter -p 3 -i 1000 printed:\n%s\nexpected "expected 3000" and "actual 3000"' "$output")"
    run --separate-stderr run_program "$(program counter)" -i 0 -p 1
    expect_status 0 "counter -i 0 -p 1"
    read_totals
    [ "$EXPECTED" -eq 0 ] && [ "$ACTUAL" -eq 0 ] ||
        fail "$(printf 'counter -i 0 -p 1 printed:\n%s\nexpected "expected 0" and "actual 0"' "$output")"
}

# bats test_tags=points:0,section:7
@test "counter_rejects_bad_usage" {
    local arguments
    for arguments in "-p 0" "-p x" "-i -5" "extra" "--bogus"; do
        # shellcheck disable=SC2086 # split the arguments on purpose
        run --separate-stderr run_program "$(program counter)" $arguments
        expect_status 2 "counter $arguments"
        [[ $stderr == *usage:* ]] || fail "counter $arguments: expected 'usage: ...' on stderr, got: $stderr"
    done
}

# hint: WIFEXITED
# bats test_tags=points:1,section:7
@test "counter_fails_with_status_1_when_a_child_is_killed" {
    # Children that would count for minutes: they are killed long before.
    run_with_children_killed 2 "$(program counter)" -p 2 -i 100000000
    expect_failure_after_killed_children "counter -p 2 -i 100000000"
}
