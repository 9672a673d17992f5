#!/usr/bin/env bats
# private.bats - an example of an instructor's private Bats test for lab 01
# (see check_private.c).
# shellcheck disable=SC2154 # run --separate-stderr sets $stderr

load "$GRADER_LIB/helpers"

# bats test_tags=points:2,section:5_1
@test "private_layout_prints_its_rows_on_stdout_only" {
    run --separate-stderr run_program "$(program layout)"
    expect_status 0 layout
    [[ $output == *SEGMENT* ]] || fail "layout printed no header row on stdout"
}
