#!/usr/bin/env bats
# sysvcount.bats - tests of the program sysvcount (part 4): the shared counter
# with a System V segment and semaphore set found by an ftok() key. Each test
# uses a new key file whose key no object has, and looks for leftovers by that
# key only.
# shellcheck disable=SC2154 # run --separate-stderr sets $stderr

load ../lib/helpers
load lab

teardown() {
    stop_killed_children_run
    remove_sysv_objects_with_key
}

# bats test_tags=points:1,section:6_4
@test "sysvcount_counts_every_increment" {
    local expected actual empty
    make_key_file
    run_counting sysvcount -p 4 -i 5000 "$KEY_FILE"
    expect_status 0 "$RUN"
    expected=$(awk '$1 == "expected" {print $2}' <<<"$output")
    actual=$(awk '$1 == "actual" {print $2}' <<<"$output")
    [ "$expected" = 20000 ] && [ "$actual" = 20000 ] ||
        fail "$(printf 'sysvcount -p 4 -i 5000 printed:\n%s\nexpected "expected 20000" and "actual 20000"' "$output")"
    # sysvcount_traced (fail_inject.c) sees the counter at each binsem_wait and binsem_post.
    empty=$(calls_value empty_holds)
    [ "$empty" -eq 0 ] ||
        fail "$RUN: $empty times a child gave the semaphore back (binsem_post) without having added to the counter while it held it: value++ belongs between binsem_wait and binsem_post, or two children may add at once and an update is lost (section 6.4)"
}

# sysvcount_traced makes each fork() return only once the new child waits at
# the barrier or has begun to count, so a child that does not wait begins
# before the next one is forked, every time (fail_inject.c).
# hint: the start barrier
# bats test_tags=points:1,section:6_4
@test "sysvcount_children_begin_to_count_only_once_all_of_them_exist" {
    make_key_file
    run_counting sysvcount -p 4 -i 100 "$KEY_FILE"
    expect_status 0 "$RUN"
    expect_children_started_together 4 binsem_wait 6.4
}

# hint: IPC_RMID
# bats test_tags=points:1,section:6_4
@test "sysvcount_removes_its_segment_and_semaphore_set" {
    make_key_file
    run --separate-stderr run_program "$(program sysvcount)" -p 2 -i 1000 "$KEY_FILE"
    expect_status 0 "sysvcount -p 2 -i 1000 KEYFILE"
    local left
    left=$(sysv_objects_with_key "$KEY")
    [ -z "$left" ] || fail "$(printf 'after sysvcount exited, ipcs still lists:\n%s\nremove them with shmctl(id, IPC_RMID, NULL) and semctl(id, 0, IPC_RMID)' \
        "    ${left//$'\n'/$'\n'    }")"
}

# bats test_tags=points:0,section:6_4
@test "sysvcount_reports_a_key_file_that_does_not_exist" {
    run --separate-stderr run_program "$(program sysvcount)" "$BATS_TEST_TMPDIR/missing"
    expect_status 1 "sysvcount MISSING-FILE"
    assert_equal "$output" ""
    [[ $stderr == sysvcount:*'No such file or directory'* ]] ||
        fail "expected 'sysvcount: ftok ...: No such file or directory' on stderr, got: $stderr"
}

# hint: WIFEXITED
# bats test_tags=points:1,section:6_4
@test "sysvcount_fails_with_status_1_when_a_child_is_killed" {
    make_key_file
    # Children that would count for minutes: they are killed long before.
    run_with_children_killed 2 "$(program sysvcount)" -p 2 -i 100000000 "$KEY_FILE"
    expect_failure_after_killed_children "sysvcount -p 2 -i 100000000 KEYFILE"
    local left
    left=$(sysv_objects_with_key "$KEY")
    [ -z "$left" ] || fail "$(printf 'after its children were killed, sysvcount exited but left:\n%s\nit should still remove both objects' "    ${left//$'\n'/$'\n'    }")"
}

# The failures below are made on purpose by sysvcount_traced (fail_inject.c):
# no run of sysvcount reaches them otherwise.

# expect_nothing_left: no System V object with the test's key is left.
expect_nothing_left() {
    local left
    left=$(sysv_objects_with_key "$KEY")
    [ -z "$left" ] || fail "$(printf '%s: %s, and after sysvcount exited ipcs still lists:\n%s\nthe parent removes both objects also when a child fails' \
        "$RUN" "$(failed_call_in_words)" "    ${left//$'\n'/$'\n'    }")"
}

# hint: say why and _exit(1) at once
# bats test_tags=points:1,section:6_4
@test "sysvcount_child_that_cannot_open_its_objects_or_read_the_barrier_says_why_and_stops" {
    make_key_file
    run_with_failure sysvcount child:semget:1:EACCES -p 1 -i 3 "$KEY_FILE"
    expect_child_failure_reported "Permission denied"
    expect_nothing_left
    expect_no_child_calls shmget "binsem_open (semget) failed in the child, yet it went on to sysv_shm_open"
    run_with_failure sysvcount child:shmget:1:ENOMEM -p 1 -i 3 "$KEY_FILE"
    expect_child_failure_reported "Cannot allocate memory"
    expect_nothing_left
    expect_no_child_calls shmat "sysv_shm_open (shmget) failed in the child, yet it went on to sysv_shm_attach"
    run_with_failure sysvcount child:shmat:1:EINVAL -p 1 -i 3 "$KEY_FILE"
    expect_child_failure_reported "Invalid argument"
    expect_nothing_left
    expect_no_child_calls semop "sysv_shm_attach (shmat) failed in the child, yet it went on to count"
    run_with_failure sysvcount child:read:1:EIO -p 2 -i 3 "$KEY_FILE"
    expect_child_failure_reported "Input/output error"
    expect_nothing_left
    run_with_failure sysvcount child:read:1:EIO -p 1 -i 3 "$KEY_FILE"
    expect_child_failure_reported "Input/output error"
    expect_no_child_calls semop "the read of the start barrier failed, yet the child went on to count"
}

# hint: say why and _exit(1) at once
# bats test_tags=points:1,section:6_4
@test "sysvcount_child_whose_binsem_wait_post_or_detach_fails_says_why_and_exits_with_status_1" {
    make_key_file
    # A child's first semop is its first binsem_wait.
    run_with_failure sysvcount child:semop:1:EINVAL -p 1 -i 3 "$KEY_FILE"
    expect_child_failure_reported "Invalid argument"
    expect_nothing_left
    local semops
    semops=$(child_calls semop)
    [ "$semops" -eq 1 ] ||
        fail "$RUN: the child's first binsem_wait failed (semop: EINVAL), yet it went on: it called semop $semops times in all. A child stops at the first call that fails: perror and _exit(1) at once (handout section 6.4)"
    # A child's second semop is its first binsem_post (the first: binsem_wait).
    run_with_failure sysvcount child:semop:2:EIDRM -p 1 -i 3 "$KEY_FILE"
    expect_child_failure_reported "Identifier removed"
    expect_nothing_left
    run_with_failure sysvcount child:shmdt:1:EINVAL -p 1 -i 3 "$KEY_FILE"
    expect_child_failure_reported "Invalid argument"
    expect_nothing_left
}

# hint: check fork's result, and still remove both objects
# bats test_tags=points:1,section:6_4
@test "sysvcount_whose_fork_fails_says_why_removes_its_objects_and_exits_with_status_1" {
    make_key_file
    run_with_failure sysvcount fork:2:EAGAIN -p 3 -i 3 "$KEY_FILE"
    expect_parent_failure_reported "Resource temporarily unavailable" no-totals
    local left
    left=$(sysv_objects_with_key "$KEY")
    [ -z "$left" ] || fail "$(printf '%s: the second fork failed (EAGAIN), and after sysvcount exited ipcs still lists:\n%s\nrun_children returns -1 (after it has opened the barrier and reaped the children it started), and main removes both objects (handout section 6.4)' \
        "$RUN" "    ${left//$'\n'/$'\n'    }")"
}
