#!/usr/bin/env bats
# race.bats - the program counter (part 5) without its mutex (--no-mutex)
# loses updates: the children's value++ interleave. It runs alone (the
# manifest's run_alone): the children need both CPUs to overlap.
# shellcheck disable=SC2154 # run --separate-stderr sets $stderr

load ../lib/helpers
load lab

# 4 processes x 25 000 000 increments: lost updates in every one of 300 runs
# on a 2-core machine with both cores busy (at 1 000 000 they often were
# not; at 10 000 000, in 24 of 30).
RACE_ARGUMENTS=(-p 4 -i 25000000)
RACE_TOTAL=100000000

# hint: the start barrier
# bats test_tags=points:1,section:7
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
