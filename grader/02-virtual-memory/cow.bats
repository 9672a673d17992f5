#!/usr/bin/env bats
# cow.bats - vmlab cow: after fork a private page is shared, not exclusive; the
# child's first write costs one minor fault and gives it a new frame; the
# parent keeps its value and its frame.
#
# vmlab cow runs once per file (and once more as an unprivileged user), paced
# (fork_pace.c): its child runs only once the parent waits for it, so that a
# parent that does not wait always looks too early.

load ../lib/helpers
load lab

# Read the lines of $output into PARENT_BEFORE, CHILD_SHARED, CHILD_WRITE,
# CHILD_WROTE and PARENT_AFTER.
read_cow() {
    PARENT_BEFORE=$(line_starting "parent: before fork:")
    CHILD_SHARED=$(line_starting "child: after fork:")
    CHILD_WRITE=$(line_starting "child: writing")
    CHILD_WROTE=$(line_starting "child: after writing")
    PARENT_AFTER=$(line_starting "parent: after")
}

# expect_fields LINE KEY=VALUE...: LINE has each KEY=VALUE.
expect_fields() {
    local line=$1 pair
    shift
    for pair in "$@"; do
        [ "$(field "${pair%%=*}" "$line")" = "${pair#*=}" ] ||
            fail "$(printf 'expected %s on the line:\n  %s\nvmlab printed:\n%s' "$pair" "$line" "$output")"
    done
}

# bats test_tags=points:2,section:5_4
@test "cow_after_fork_the_page_is_shared_not_exclusive" {
    run_vmlab_paced cow
    read_cow
    expect_fields "$PARENT_BEFORE" value=1 exclusive=yes
    expect_fields "$CHILD_SHARED" value=1 exclusive=no
}

# bats test_tags=points:1,section:5_4
@test "cow_after_fork_child_and_parent_use_the_same_frame" {
    need_frames
    run_vmlab_paced cow
    read_cow
    local frame
    frame=$(field frame "$PARENT_BEFORE")
    [[ $frame =~ ^0x[0-9a-f]+$ ]] || fail "$(printf 'expected a frame number in hex:\n  %s' "$PARENT_BEFORE")"
    expect_fields "$CHILD_SHARED" "frame=$frame"
}

# hint: measuring in the child
# bats test_tags=points:2,section:5_4
@test "cow_the_first_write_costs_exactly_one_minor_fault" {
    run_vmlab_paced cow
    read_cow
    { [ "$(field minor_faults "$CHILD_WRITE")" = 1 ] && [ "$(field major_faults "$CHILD_WRITE")" = 0 ]; } ||
        fail "$(printf 'the child'"'"'s first write to the shared page should cost exactly 1 minor fault:\n  %s\n%s' "$CHILD_WRITE" "(More? Everything the child writes for the first time after fork is a copy-on-write fault: its stack and data pages too. Count only the write of the page: see the handout, section 5.4.)")"
}

# bats test_tags=points:1,section:5_4
@test "cow_after_its_write_the_child_has_a_page_of_its_own" {
    run_vmlab_paced cow
    read_cow
    expect_fields "$CHILD_WROTE" value=2 exclusive=yes
}

# bats test_tags=points:1,section:5_4
@test "cow_the_first_write_gives_the_child_a_new_frame" {
    need_frames
    run_vmlab_paced cow
    read_cow
    local before after
    before=$(field frame "$PARENT_BEFORE")
    after=$(field frame "$CHILD_WROTE")
    [[ $after =~ ^0x[0-9a-f]+$ ]] && [ "$after" != "$before" ] ||
        fail "$(printf 'after its write the child should have a new frame, not the parent'"'"'s %s:\n  %s' "$before" "$CHILD_WROTE")"
}

# bats test_tags=points:2,section:5_4
@test "cow_the_parent_keeps_its_value_and_its_frame" {
    run_vmlab_paced cow
    read_cow
    expect_fields "$PARENT_AFTER" value=1 exclusive=yes "frame=$(field frame "$PARENT_BEFORE")"
}

# bats test_tags=points:1,section:3_4
@test "cow_works_the_same_for_an_unprivileged_user" {
    run_vmlab_unprivileged --paced cow
    read_cow
    expect_fields "$PARENT_BEFORE" value=1 exclusive=yes frame=not-permitted
    expect_fields "$CHILD_SHARED" value=1 exclusive=no frame=not-permitted
    expect_fields "$CHILD_WRITE" minor_faults=1 major_faults=0
    expect_fields "$CHILD_WROTE" value=2 exclusive=yes frame=not-permitted
    expect_fields "$PARENT_AFTER" value=1 exclusive=yes frame=not-permitted
}

# hint: wait for the child before you look again
# bats test_tags=points:1,section:5_4
@test "cow_the_parent_looks_again_only_after_the_child_wrote" {
    run_vmlab_paced_by_line cow
    expect_in_order "child: after writing" "parent: after" "The parent must wait for the child (wait_for_child) before it looks at the page again: only then has the child written."
    expect_in_order "cow:" "parent: before fork" "The header comes first, then the parent's first look (the order of section 5.4)."
    expect_in_order "child: after fork" "child: writing 2" "The child reports first, then writes 2 and prints what the write cost (the order of section 5.4)."
    expect_in_order "child: writing 2" "child: after writing" "The child prints its faults before it reports again (the order of section 5.4)."
    expect_in_order "parent: after" "conclusion:" "The conclusion comes last, after the parent's second look (the order of section 5.4)."
}

# hint: fflush before fork
# bats test_tags=points:1,section:5_4
@test "cow_prints_each_line_once_through_a_pipe" {
    run_vmlab_paced cow
    read_cow
    expect_lines_once
}
