#!/usr/bin/env bats
# lint.bats - tests of grader/lint: it passes on the project as it is, and
# catches each kind of disagreement between a declaration and the places that
# must agree with it. Each test breaks one thing in a copy of the project.

load ../lib/assertions

setup() {
    ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
    COPY="$BATS_TEST_TMPDIR/project"
    mkdir -p "$COPY"
    cp -R "$ROOT/grader" "$ROOT/labs" "$ROOT/solutions" "$ROOT/handouts" "$COPY/"
    LAB=01-memory-layout
}

# lint_copy: run the copy's lint on lab 01.
lint_copy() {
    run "$COPY/grader/lint" "$LAB"
}

@test "lint_passes_on_the_project_within_10_seconds" {
    # CPU seconds (its own and its children's), which the load of other work
    # on the machine hardly changes; on a quiet machine the wall clock says the same.
    local TIMEFORMAT='%U %S' seconds
    seconds=$( { time "$ROOT/grader/lint" >"$BATS_TEST_TMPDIR/lint.out" 2>&1; } 2>&1 ) ||
        fail "$(cat "$BATS_TEST_TMPDIR/lint.out")"
    assert_equal "$(tail -n 1 "$BATS_TEST_TMPDIR/lint.out")" "lint: 0 problems"
    awk -v t="$seconds" 'BEGIN { split(t, s, " "); exit !(s[1] + s[2] < 10) }' ||
        fail "grader/lint used $seconds s of CPU (user, system); it must take under 10 s"
}

@test "lint_catches_a_renamed_test_that_a_mutant_still_names" {
    sed -i 's/^LAB_TEST(find_closes_the_maps_file,/LAB_TEST(find_closes_its_maps_file,/' \
        "$COPY/grader/$LAB/check_maps.c"
    lint_copy
    assert_failure
    assert_output --partial "names find_closes_the_maps_file, which is not a test of $LAB"
}

@test "lint_catches_a_section_that_is_not_a_heading_of_the_handout" {
    sed -i 's/^LAB_TEST(find_closes_the_maps_file, 2, "3.4"/LAB_TEST(find_closes_the_maps_file, 2, "3.9"/' \
        "$COPY/grader/$LAB/check_maps.c"
    lint_copy
    assert_failure
    assert_output --partial "test find_closes_the_maps_file names §3.9, which is not a heading"
}

@test "lint_catches_a_mutant_that_names_an_unknown_test" {
    sed -i '1a Fails: no_such_test' "$COPY/grader/$LAB/mutants/bss-called-data.patch"
    lint_copy
    assert_failure
    assert_output --partial "mutant bss-called-data names no_such_test, which is not a test of $LAB"
}

@test "lint_catches_points_that_do_not_add_up_to_100" {
    sed -i 's/^LAB_TEST(find_closes_the_maps_file, 2,/LAB_TEST(find_closes_the_maps_file, 3,/' \
        "$COPY/grader/$LAB/check_maps.c"
    lint_copy
    assert_failure
    assert_output --partial "the tests' points add up to 101, not 100"
}

@test "lint_catches_a_bats_test_without_its_points_and_section" {
    sed -i '/^# bats test_tags=points:4,section:5_3$/d' "$COPY/grader/$LAB/layout.bats"
    lint_copy
    assert_failure
    assert_output --partial "the test layout_prints_a_row_for_every_object has no '# bats test_tags=points:N,section:N_M' line"
}

@test "lint_catches_a_stub_and_solution_that_differ_outside_their_TODO_regions" {
    sed -i '1a /* a comment only the solution has */' "$COPY/solutions/$LAB/maps.c"
    lint_copy
    assert_failure
    assert_output --partial "labs/$LAB/maps.c and solutions/$LAB/maps.c differ outside their TODO regions"
}

@test "lint_catches_a_given_file_copied_into_the_solutions_or_changed" {
    cp "$COPY/labs/$LAB/maps.h" "$COPY/solutions/$LAB/"
    echo '/* changed */' >>"$COPY/labs/$LAB/segment.h"
    lint_copy
    assert_failure
    assert_output --partial "solutions/$LAB must hold exactly the files the student writes"
    assert_output --partial "labs/$LAB/segment.h differs from its checksum"
}

@test "lint_catches_a_suite_missing_from_the_manifest_and_a_compiler_called_from_a_test" {
    cp "$COPY/grader/$LAB/layout.bats" "$COPY/grader/$LAB/extra.bats"
    echo 'gcc -o x x.c' >>"$COPY/grader/$LAB/extra.bats"
    lint_copy
    assert_failure
    assert_output --partial "grader/$LAB/extra.bats is not in the manifest's bats list"
    assert_output --partial "a compiler is called outside the manifests"
}

@test "lint_catches_a_heading_out_of_style" {
    echo '## 9. Extra' >>"$COPY/handouts/$LAB.md"
    lint_copy
    assert_failure
    assert_output --partial 'heading not in the style'
}

@test "lint_catches_a_marked_behaviour_without_a_row_in_the_spec_table" {
    sed -i '1a /* [spec:find-enoent] maps_find fails with ENOENT for an unmapped address. */' \
        "$COPY/labs/$LAB/maps.h"
    rm -f "$COPY/grader/$LAB/spec.tsv"
    lint_copy
    assert_failure
    assert_output --partial "behaviours are marked [spec:ID] but there is no grader/$LAB/spec.tsv"
    printf 'find-enoent\tfind_fails_with_ENOENT_for_an_unmapped_address\t\n' >"$COPY/grader/$LAB/spec.tsv"
    printf 'find-closes\tno_such_test\t\n' >>"$COPY/grader/$LAB/spec.tsv"
    printf 'untested\t-\t\n' >>"$COPY/grader/$LAB/spec.tsv"
    echo '<!-- spec:find-closes --> <!-- spec:untested --> <!-- spec:forgotten -->' >>"$COPY/handouts/$LAB.md"
    lint_copy
    assert_failure
    assert_output --partial "spec.tsv: find-closes names no_such_test, which is not a test of $LAB"
    assert_output --partial "spec.tsv: untested is not tested and says not why"
    assert_output --partial "[spec:forgotten] is marked but spec.tsv has no row for it"
    refute_output --partial "find-enoent"
}

@test "lint_catches_a_usage_printed_from_the_scripts_own_lines" {
    # (In a copy without .git, every file of grader/ counts, as if tracked.)
    cat >>"$COPY/grader/student/watch" <<'SCRIPT'
old_usage() { sed -n '5p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2; }
SCRIPT
    cat >>"$COPY/grader/measure-class" <<'SCRIPT'
# (A comment may say: sed -n '5,15p' "$0".)
help() { sed -n '2,26p' "$0"; }
log() { sed -n 's/^x//p' "$0.log"; }
SCRIPT
    line=$(grep -n '^help()' "$COPY/grader/measure-class" | cut -d : -f 1)
    lint_copy
    assert_failure
    assert_output --partial "lint: grader/student/watch: prints its usage from its own line numbers"
    # (Only that line: not the comment, not "$0.log"; nor this .bats file, which
    # says the same.)
    assert_output --partial "lint: grader/measure-class: prints its usage from its own line numbers (sed on BASH_SOURCE or \$0, line $line)"
    assert_output --partial "lint: 2 problems"
}

@test "lint_catches_a_handout_that_miscounts_the_tests_or_points_of_a_part" {
    # A test of part 2 (T=find) is added to the suite: the handout's "9 tests"
    # (table and command line) and "21" points no longer hold.
    cat >>"$COPY/grader/$LAB/check_maps.c" <<'C'
LAB_TEST(find_one_more_test, 1, "3.4", "")
{
}
END_TEST
C
    lint_copy
    assert_failure
    assert_output --partial "handouts/$LAB.md says T=find selects 9 tests; it selects 10"
    assert_output --partial "handouts/$LAB.md says the tests of T=find are worth 21 points; they are worth 22"
}

@test "lint_catches_a_sample_result_line_with_the_wrong_points_or_test" {
    # Handout §1 shows "FAIL   0/2   parse_reads_start_and_end_as_hex".
    sed -i 's|FAIL   0/2   parse_reads_start_and_end_as_hex|FAIL   0/5   parse_reads_start_and_end_as_hex|' "$COPY/handouts/$LAB.md"
    printf '  FAIL   0/1   parse_a_test_that_is_not_there\n  PASS   1/3   parse_reads_perms_offset_device_and_inode\n' >>"$COPY/handouts/$LAB.md"
    lint_copy
    assert_failure
    assert_output --partial "handouts/$LAB.md shows parse_reads_start_and_end_as_hex worth 5 points; it is worth 2"
    assert_output --partial "handouts/$LAB.md shows a result of 'parse_a_test_that_is_not_there', which is no test of the lab"
    assert_output --partial "handouts/$LAB.md shows parse_reads_perms_offset_device_and_inode passing with 1/3"
}
