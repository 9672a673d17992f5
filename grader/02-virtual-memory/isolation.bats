#!/usr/bin/env bats
# isolation.bats - vmlab isolation: after fork, the same virtual address of a
# global variable holds different values in the parent and the child.
#
# vmlab isolation runs once per file, paced (fork_pace.c): its child runs only
# once the parent waits for it, so that a parent that does not wait always
# reports too early.

load ../lib/helpers
load lab

# Read the three observations into BEFORE, CHILD and AFTER.
read_isolation() {
    run_vmlab_paced isolation
    BEFORE=$(line_starting "parent: before fork:")
    CHILD=$(line_starting "child: ")
    AFTER=$(line_starting "parent: after")
}

# bats test_tags=points:2,section:5_1
@test "isolation_parent_and_child_print_the_same_address_for_the_global" {
    read_isolation
    local before child after
    before=$(field address "$BEFORE")
    child=$(field address "$CHILD")
    after=$(field address "$AFTER")
    [[ $before =~ ^0x[0-9a-f]+$ ]] ||
        fail "the address printed is '$before'; expected a pointer printed with %p"
    { [ "$child" = "$before" ] && [ "$after" = "$before" ]; } ||
        fail "$(printf 'the address of the global differs between the lines (expected one address: fork copies the address space as it is):\n%s\n%s\n%s' "$BEFORE" "$CHILD" "$AFTER")"
}

# bats test_tags=points:2,section:5_1
@test "isolation_the_childs_write_does_not_reach_the_parent" {
    read_isolation
    local before child after
    before=$(field value "$BEFORE")
    child=$(field value "$CHILD")
    after=$(field value "$AFTER")
    [ "$before" = 1 ] || fail "before fork the parent's value is '$before'; expected 1"
    [ "$child" = 2 ] || fail "the child's value after writing 2 is '$child'; expected 2"
    [ "$after" = 1 ] ||
        fail "after the child wrote 2, the parent reads '$after'; expected 1 (did the parent wait for the child with waitpid before reading?)"
    line_starting "conclusion: " >/dev/null
}

# hint: fflush before fork
# bats test_tags=points:1,section:5_1
@test "isolation_prints_each_line_once_through_a_pipe" {
    run_vmlab_paced isolation
    [ "$(grep -c . <<<"$output")" -ge 4 ] ||
        fail "$(printf 'expected a header, three observations and a conclusion; vmlab printed:\n%s' "$output")"
    expect_lines_once
}

# hint: wait for the child before you report again
# bats test_tags=points:1,section:5_1
@test "isolation_the_parent_reports_again_only_after_the_child_wrote" {
    run_vmlab_paced_by_line isolation
    expect_in_order "isolation:" "parent: before fork" "The header comes first, then the parent's first report (the order of section 5.1)."
    expect_in_order "child: " "parent: after" "The parent must wait for the child (wait_for_child) before it reports again: only then has the child written."
    expect_in_order "parent: after" "conclusion:" "The conclusion comes last, after the parent's second report (the order of section 5.1)."
}
