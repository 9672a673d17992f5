#!/usr/bin/env bats
# engine.bats - tests of the grader itself: lab names, points arithmetic,
# results.json, exit status, and what it does with broken or hostile submissions.
# The fixtures are patches against lab 01 (grader/tests/fixtures/).

bats_load_library bats-support
bats_load_library bats-assert

ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
GRADE="$ROOT/grader/grade"
LAB=01-memory-layout

setup() {
    cd "$ROOT" || return 1
    RESULTS="$BATS_TEST_TMPDIR/results.json"
}

# submission_with PATCH [stub]: a copy of the lab 01 solution (or stub) with PATCH applied.
submission_with() {
    local base=solutions
    [ "${2:-}" = stub ] && base=labs
    SUBMISSION="$BATS_TEST_TMPDIR/submission"
    mkdir -p "$SUBMISSION"
    cp -R "$base/$LAB" "$SUBMISSION/"
    patch --quiet --batch -d "$SUBMISSION/$LAB" -p1 <"$1"
}

# The output text of one test in the results file.
output_of() {
    jq -r --arg name "$LAB: $1" '.tests[] | select(.name == $name) | .output' "$RESULTS"
}

status_of() {
    jq -r --arg name "$LAB: $1" '.tests[] | select(.name == $name) | .status' "$RESULTS"
}

@test "a_lab_is_named_by_number_or_name" {
    # shellcheck source=../lib/common.sh
    source grader/lib/common.sh
    for name in 1 01 01-memory-layout memory-layout; do
        assert_equal "$(resolve_lab "$name")" 01-memory-layout
    done
}

@test "an_unknown_lab_is_an_error_that_lists_the_labs" {
    run "$GRADE" --results "$RESULTS" 99
    assert_equal "$status" 2
    assert_output --partial "no lab called '99'"
    assert_output --partial 01-memory-layout
}

@test "a_test_filter_that_matches_nothing_is_an_error_that_lists_the_tests" {
    run "$GRADE" --src solutions --results "$RESULTS" --tests no_such_test 01
    assert_equal "$status" 1
    assert_output --partial "no test of 01-memory-layout matches 'no_such_test'"
    assert_output --partial parse_reads_start_and_end_as_hex
}

@test "every_points_table_adds_up_to_100_and_names_exactly_the_tests_that_exist" {
    local lab sum declared existing
    for lab in $(grader/lib/list-labs); do
        sum=$(awk '!/^[[:space:]]*(#|$)/ {s += $2} END {print s + 0}' "grader/$lab/points")
        [ "$sum" -eq 100 ] || fail "grader/$lab/points adds up to $sum"
        declared=$(awk '!/^[[:space:]]*(#|$)/ {print $1}' "grader/$lab/points" | sort)
        existing=$( { sed -n 's/^ *lab_add_test([^,]*, *\([A-Za-z0-9_]*\).*/\1/p' grader/"$lab"/*.c 2>/dev/null
                      sed -n 's/^@test "\([^"]*\)".*/\1/p' grader/"$lab"/*.bats 2>/dev/null; } | sort)
        [ "$declared" = "$existing" ] ||
            fail "$(printf 'grader/%s/points and the tests differ (< points, > tests):\n%s' "$lab" \
                "$(diff <(echo "$declared") <(echo "$existing") | grep '^[<>]')")"
    done
}

@test "results_json_follows_the_gradescope_schema" {
    run "$GRADE" --src labs --results "$RESULTS" --tests 'parse_reads|layout_rejects' 01
    jq -e '
        (.score | type == "number") and (.max_score | type == "number") and
        (.tests | type == "array" and length > 0) and
        all(.tests[]; (.name | type == "string") and (.number | type == "string") and
                      (.score | type == "number") and (.max_score | type == "number") and
                      (.status == "passed" or .status == "failed") and
                      (.output | type == "string")) and
        (.score == ([.tests[].score] | add)) and (.max_score == ([.tests[].max_score] | add))
    ' "$RESULTS" || fail "$(cat "$RESULTS")"
    [[ $(output_of parse_reads_start_and_end_as_hex) == *"hint: handouts/01-memory-layout.md §3.2"* ]] ||
        fail "a failed test's output does not end with its hint: $(output_of parse_reads_start_and_end_as_hex)"
}

@test "the_score_is_the_sum_of_the_points_of_the_tests_that_pass" {
    submission_with grader/01-memory-layout/mutants/bss-called-data.patch
    run "$GRADE" --src "$SUBMISSION" --results "$RESULTS" 01
    assert_equal "$status" 1
    local lost
    lost=$(awk '$1 == "classify_zero_and_uninitialized_globals_as_bss" ||
                $1 == "layout_names_the_segment_of_every_object" {s += $2} END {print s}' \
               grader/01-memory-layout/points)
    assert_equal "$(jq .score "$RESULTS")" "$((100 - lost))"
    assert_equal "$(jq .max_score "$RESULTS")" 100
    assert_output --partial "score $((100 - lost))/100"
}

@test "grade_exits_0_only_at_full_marks" {
    run "$GRADE" --src solutions --results "$RESULTS" --tests parse_reads_start 01
    assert_equal "$status" 0
    run "$GRADE" --src labs --results "$RESULTS" --tests parse_reads_start 01
    assert_equal "$status" 1
}

@test "a_submission_without_the_lab_folder_scores_0" {
    mkdir -p "$BATS_TEST_TMPDIR/empty"
    run "$GRADE" --src "$BATS_TEST_TMPDIR/empty" --results "$RESULTS" 01
    assert_equal "$status" 1
    assert_equal "$(jq .score "$RESULTS")" 0
    assert_output --partial "has no folder 01-memory-layout"
}

@test "a_submission_that_does_not_compile_scores_0_and_shows_the_compiler_errors" {
    submission_with grader/tests/fixtures/does-not-compile.patch
    run "$GRADE" --src "$SUBMISSION" --results "$RESULTS" 01
    assert_equal "$status" 1
    assert_equal "$(jq .score "$RESULTS")" 0
    assert_output --partial "does not compile"
    assert_output --partial "maps.c:71"
    [[ $(output_of parse_reads_start_and_end_as_hex) == *"error:"* ]] ||
        fail "results.json does not carry the compiler's errors"
}

@test "a_crash_fails_only_that_test_and_names_the_signal" {
    submission_with grader/tests/fixtures/crashes.patch
    run "$GRADE" --src "$SUBMISSION" --results "$RESULTS" --tests 'parse_keeps' 01
    assert_equal "$(status_of parse_keeps_the_deleted_suffix)" failed
    assert_equal "$(status_of parse_keeps_spaces_in_a_path)" passed
    [[ $(output_of parse_keeps_the_deleted_suffix) == *"signal 11"* ]] ||
        fail "the crash is not explained: $(output_of parse_keeps_the_deleted_suffix)"
}

@test "a_hang_fails_only_that_test_by_its_timeout" {
    submission_with grader/tests/fixtures/hangs.patch
    local start=$SECONDS
    run "$GRADE" --src "$SUBMISSION" --results "$RESULTS" --tests 'parse_keeps' 01
    assert_equal "$(status_of parse_keeps_spaces_in_a_path)" failed
    assert_equal "$(status_of parse_keeps_the_deleted_suffix)" passed
    [[ $(output_of parse_keeps_spaces_in_a_path) == *"timeout"* ]] ||
        fail "the hang is not explained: $(output_of parse_keeps_spaces_in_a_path)"
    # shellcheck disable=SC2031 # TIMEOUT_SCALE comes from the environment
    [ $((SECONDS - start)) -lt $((30 * ${TIMEOUT_SCALE:-1})) ] ||
        fail "grading one hanging test took $((SECONDS - start)) s"
}

@test "code_that_calls_exit_0_does_not_pass_the_test" {
    submission_with grader/tests/fixtures/exits-early.patch
    run "$GRADE" --src "$SUBMISSION" --results "$RESULTS" --tests 'parse_keeps_the' 01
    assert_equal "$(status_of parse_keeps_the_deleted_suffix)" failed
    [[ $(output_of parse_keeps_the_deleted_suffix) == *"exit()"* ]] ||
        fail "the early exit is not explained: $(output_of parse_keeps_the_deleted_suffix)"
}

@test "fake_results_printed_by_the_code_under_test_change_nothing" {
    submission_with grader/tests/fixtures/fake-results.patch stub
    run "$GRADE" --src "$SUBMISSION" --results "$RESULTS" 01
    assert_equal "$status" 1
    assert_equal "$(jq .score "$RESULTS")" 0
    assert_equal "$(status_of parse_reads_start_and_end_as_hex)" failed
}

@test "what_a_submission_leaves_behind_is_reported_and_removed" {
    submission_with grader/tests/fixtures/engine-only/leaves-behind.patch
    for namespaces in yes no; do
        local no=
        [ "$namespaces" = no ] && no=1
        GRADER_NO_NAMESPACES=$no run "$GRADE" --src "$SUBMISSION" --results "$RESULTS" \
            --tests layout_prints 01
        assert_output --partial "left behind"
        assert_output --regexp "/dev/shm/lab01-leak-[A-Za-z0-9]+"
        assert_output --partial "sleep 300"
        local name run_id
        name=$(grep -o 'lab01-leak-[A-Za-z0-9]*' <<<"$output" | head -n 1)
        run_id=${name#lab01-leak-}
        [ ! -e "/dev/shm/$name" ] || fail "/dev/shm/$name is still there (namespaces: $namespaces)"
        ! grep -qlz "^GRADER_RUN_ID=$run_id\$" /proc/[0-9]*/environ 2>/dev/null ||
            fail "the process left behind by run $run_id is still running (namespaces: $namespaces)"
        jq -e '.tests[] | select(.name == "01-memory-layout: nothing is left behind")' "$RESULTS" \
            >/dev/null || fail "results.json does not report what was left behind"
    done
}
