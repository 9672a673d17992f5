#!/usr/bin/env bats
# counter.bats - tests of the program counter (part 5): several processes add
# to one counter in shared memory with a mutex semaphore, and every increment
# counts. (Without the mutex updates are lost: race.bats, which runs alone.)
#
# A race is a matter of chance: to be sure of lost updates without the mutex,
# the counter needs 4 processes x 25 000 000 increments (race.bats), which
# with the mutex take 16 s of CPU. So the test with the mutex runs
# counter_traced (counter_trace.c), which watches the mutex from inside: a
# counter that never takes it, or whose semaphore lets two children in at
# once, is caught for certain after a few increments.
# shellcheck disable=SC2154 # run --separate-stderr sets $stderr

load ../lib/helpers
load lab

teardown() {
    stop_killed_children_run
}

# bats test_tags=points:3,section:7
@test "counter_with_the_mutex_counts_every_increment" {
    local trace="$BATS_TEST_TMPDIR/mutex-trace" waits='' posts='' most_inside='' empty_holds=
    COUNTER_TRACE=$trace run --separate-stderr run_program "$(program counter_traced)" -p 4 -i 1000000
    expect_status 0 "counter -p 4 -i 1000000"
    read_totals
    [ "$EXPECTED" -eq 4000000 ] || fail "counter printed expected $EXPECTED; 4 processes x 1000000 increments make 4000000"
    [ -f "$trace" ] || fail "counter -p 4 -i 1000000 ended without leaving the trace of its mutex: did main return, or exit()?"
    local key value
    while read -r key value; do
        case "$key" in
            waits) waits=$value ;;
            posts) posts=$value ;;
            most_inside) most_inside=$value ;;
            empty_holds) empty_holds=$value ;;
        esac
    done <"$trace"
    [[ $waits =~ ^[0-9]+$ && $posts =~ ^[0-9]+$ && $most_inside =~ ^[0-9]+$ && $empty_holds =~ ^[0-9]+$ ]] ||
        fail "$(printf 'the trace of the mutex is not four counts (was it written over?):\n%s' "$(head -c 300 "$trace")")"
    [ "$waits" -gt 0 ] ||
        fail "counter -p 4 -i 1000000 never took its mutex: no child called sem_wait. Each child calls sem_wait before value++ and sem_post after it, unless --no-mutex was given"
    [ "$posts" -ge "$waits" ] ||
        fail "counter -p 4 -i 1000000 took its mutex $waits times and gave it back only $posts times: sem_post after every value++"
    [ "$most_inside" -le 1 ] ||
        fail "$most_inside children held the mutex at the same time: the semaphore does not exclude. Is it in the MAP_SHARED mapping (not in each child's own memory), made with sem_init(&counter->mutex, 1, 1)?"
    [ "$empty_holds" -eq 0 ] ||
        fail "$empty_holds times a child gave the mutex back (sem_post) without having added to the counter while it held it: value++ belongs between sem_wait and sem_post, or two children may add at once and an update is lost (the grader reads the counter right after the mutex, as the given struct shared_counter lays them out)"
    [ "$ACTUAL" -eq 4000000 ] ||
        fail "with the mutex the counter reached $ACTUAL, not 4000000: $((4000000 - ACTUAL)) updates were lost. Does every child take the mutex (sem_wait) around value++, and is the semaphore in the shared mapping with pshared = 1?"
}

# counter_traced makes each fork() return only once the new child waits at the
# barrier or has begun to count, so a child that does not wait begins before
# the next one is forked, every time (fail_inject.c).
# hint: the start barrier
# bats test_tags=points:1,section:7
@test "counter_children_begin_to_count_only_once_all_of_them_exist" {
    run_counting counter -p 4 -i 1000
    expect_status 0 "$RUN"
    expect_children_started_together 4 sem_wait 7
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

# The failures below are made on purpose by counter_traced (fail_inject.c):
# no run of counter reaches them otherwise.

# hint: say why and _exit(1) at once
# bats test_tags=points:1,section:7
@test "counter_child_whose_sem_wait_or_sem_post_fails_says_why_and_exits_with_status_1" {
    run_with_failure counter child:sem_post:1:EOVERFLOW -p 1 -i 3
    expect_child_failure_reported "Value too large for defined data type"
    run_with_failure counter child:sem_wait:1:EINVAL -p 1 -i 3
    expect_child_failure_reported "Invalid argument"
    expect_no_child_calls sem_post "the child's first sem_wait failed (EINVAL, not EINTR), yet it went on"
}

# hint: check every call of the parent too
# bats test_tags=points:1,section:7
@test "counter_whose_mmap_fork_sem_destroy_or_munmap_fails_says_why_and_exits_with_status_1" {
    run_with_failure counter mmap:1:ENOMEM -p 2 -i 3
    expect_parent_failure_reported "Cannot allocate memory" no-totals
    run_with_failure counter fork:2:EAGAIN -p 3 -i 3
    expect_parent_failure_reported "Resource temporarily unavailable" no-totals
    run_with_failure counter sem_destroy:1:EINVAL -p 2 -i 3
    expect_parent_failure_reported "Invalid argument"
    run_with_failure counter munmap:1:EINVAL -p 2 -i 3
    expect_parent_failure_reported "Invalid argument"
}

# hint: check the barrier's read before counting
# bats test_tags=points:1,section:7
@test "counter_child_that_cannot_read_the_start_barrier_says_why_and_does_not_count" {
    run_with_failure counter child:read:1:EIO -p 1 -i 3
    expect_child_failure_reported "Input/output error"
    expect_no_child_calls sem_wait "the read of the start barrier failed, yet the child went on to count"
}
