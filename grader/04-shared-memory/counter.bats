#!/usr/bin/env bats
# counter.bats - tests of the program counter (part 5): several processes add
# to one counter in shared memory, with and without a mutex semaphore.
#
# A race is a matter of chance. 4 processes x 25 000 000 increments showed
# lost updates in every one of 300 runs on a 2-core machine with both cores
# busy (at 1 000 000 they often did not): that is the size used here.
# shellcheck disable=SC2154 # run --separate-stderr sets $stderr

load ../lib/helpers
load lab

RACE_ARGUMENTS=(-p 4 -i 25000000)
RACE_TOTAL=100000000

# read_totals: EXPECTED and ACTUAL from counter's output in $output.
read_totals() {
    EXPECTED=$(awk '$1 == "expected" {print $2}' <<<"$output")
    ACTUAL=$(awk '$1 == "actual" {print $2}' <<<"$output")
    [[ $EXPECTED =~ ^[0-9]+$ && $ACTUAL =~ ^[0-9]+$ ]] ||
        fail "$(printf 'expected two lines, "expected N" and "actual N"; counter printed:\n%s' "$output")"
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

# hint: the start barrier
# bats test_tags=points:3,section:7
@test "counter_without_the_mutex_loses_updates" {
    for _ in 1 2 3; do
        run --separate-stderr run_program "$(program counter)" "${RACE_ARGUMENTS[@]}" --no-mutex
        expect_status 0 "counter ${RACE_ARGUMENTS[*]} --no-mutex"
        read_totals
        [ "$EXPECTED" -eq "$RACE_TOTAL" ] || fail "counter printed expected $EXPECTED; 4 processes x 25000000 increments make $RACE_TOTAL"
        [ "$ACTUAL" -le "$RACE_TOTAL" ] || fail "the counter reached $ACTUAL, more than the $RACE_TOTAL increments made"
        [ "$ACTUAL" -lt "$RACE_TOTAL" ] && return 0
    done
    fail "three runs of counter ${RACE_ARGUMENTS[*]} --no-mutex lost no update. Without the mutex the children's value++ must interleave: do all of them share one counter (MAP_SHARED), and do they start together (the start barrier) rather than one after another?"
}

# bats test_tags=points:2,section:7
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
