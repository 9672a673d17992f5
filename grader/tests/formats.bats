#!/usr/bin/env bats
# formats.bats - the grader's results in every platform's format, and the
# packages it builds: Gradescope's autograder zip and the student distribution.

load ../lib/assertions

ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)

setup() {
    cd "$ROOT" || return 1
}

# points_of TEST: what lab 01 declares TEST to be worth.
points_of() {
    grader/lib/list-tests 01 | awk -F '\t' -v name="$1" '$1 == name {print $2}'
}

teardown() {
    [ -z "${AUTOGRADER:-}" ] || rm -rf "$AUTOGRADER"
}

@test "the_gradescope_autograder_grades_an_upload_into_results_json" {
    run grader/package gradescope
    assert_success
    # Not under $BATS_TEST_TMPDIR, whose parents the sandbox user cannot enter.
    AUTOGRADER=$(mktemp -d "$ROOT/build/autograder.XXXXXX")
    local autograder=$AUTOGRADER
    chmod 755 "$autograder"
    mkdir -p "$autograder/source" "$autograder/submission/labs"
    unzip -q build/gradescope.zip -d "$autograder/source"
    cp -R solutions/01-memory-layout "$autograder/submission/labs/"
    [ -x "$autograder/source/setup.sh" ] || fail "setup.sh is missing or not executable"
    AUTOGRADER_ROOT=$autograder run "$autograder/source/run_autograder"
    local results="$autograder/results/results.json"
    [ -s "$results" ] || fail "$(printf 'no results.json; run_autograder said:\n%s' "$output")"
    # Full marks: 100 less the points of any test this machine cannot run.
    jq -e '.score == .max_score and .max_score >= 90 and .max_score <= 100' "$results" >/dev/null ||
        fail "$(jq -r '"scored \(.score)/\(.max_score)"' "$results")"
}

@test "the_autograder_zip_and_the_distribution_hold_no_solution" {
    run grader/package gradescope
    assert_success
    run grader/package dist
    assert_success
    local leaks
    leaks=$( { unzip -Z1 build/gradescope.zip; tar -tzf build/dist/linux-ipc-labs.tar.gz; } |
             grep -E 'solutions/|/mutants/|grader/tests/' || true)
    [ -z "$leaks" ] || fail "$(printf 'these should not be handed out:\n%s' "$leaks")"
    tar -tzf build/dist/linux-ipc-labs.tar.gz | grep -q 'linux-ipc-labs/labs/01-memory-layout/maps.c' ||
        fail "the distribution has no labs/"
}

@test "autolab_tap_and_junit_outputs_agree_with_results_json" {
    local dir=$BATS_TEST_TMPDIR
    run grader/grade --src labs --tests 'parse_reads_start|layout_rejects' --results "$dir/r.json" \
        --tap "$dir/r.tap" --junit "$dir/r.xml" -A 01
    assert_equal "$status" 1
    assert_equal "${lines[-1]}" '{"scores":{"01-memory-layout":0}}'
    assert_equal "$(head -n 1 "$dir/r.tap")" "1..2"
    grep -q '^not ok 1 - 01-memory-layout: parse_reads_start_and_end_as_hex$' "$dir/r.tap" ||
        fail "$(cat "$dir/r.tap")"
    grep -q '^ok 2 - 01-memory-layout: layout_rejects_an_unknown_option_with_usage$' "$dir/r.tap" ||
        fail "$(cat "$dir/r.tap")"
    grep -q '<testsuites tests="2" failures="1">' "$dir/r.xml" || fail "$(cat "$dir/r.xml")"
    grep -q "<testcase classname=\"01-memory-layout\" name=\"parse_reads_start_and_end_as_hex\"><failure message=\"0/$(points_of parse_reads_start_and_end_as_hex) points\">" \
        "$dir/r.xml" || fail "$(cat "$dir/r.xml")"
}

@test "private_tests_are_graded_hidden_from_the_student_and_kept_out_of_the_distribution" {
    local dir=$BATS_TEST_TMPDIR extra=grader/extra-example
    run grader/grade --extra "$extra" --src solutions --tests 'private_|parse_reads_start' \
        --results "$dir/r.json" 01
    assert_success
    # Counted, in a private part of the lab...
    local public
    public=$(points_of parse_reads_start_and_end_as_hex)
    assert_equal "$(jq -c '.extra_data.labs["01-memory-layout"]' "$dir/r.json")" \
        "{\"score\":$((public + 5)),\"max_score\":$((public + 5)),\"private_score\":5,\"private_max_score\":5}"
    # ... shown by Gradescope once the grades are published, and never named in the output.
    jq -e '[.tests[] | select(.extra_data.private)] | length == 2 and
           all(.[]; .visibility == "after_published")' "$dir/r.json" >/dev/null ||
        fail "$(jq -c '.tests[] | {name, visibility, extra_data}' "$dir/r.json")"
    refute_output --partial private_parse
    assert_output --partial "PRIV"
    # In the autograder zip with EXTRA, never in the students' distribution.
    run make --no-print-directory gradescope EXTRA="$extra"
    assert_success
    unzip -Z1 build/gradescope.zip | grep -q '^grader/extra/01-memory-layout/check_private.c$' ||
        fail "the autograder zip has no private tests"
    run grader/package dist
    assert_success
    ! tar -tzf build/dist/linux-ipc-labs.tar.gz | grep -q 'check_private\|extra' ||
        fail "the distribution holds private tests"
}
