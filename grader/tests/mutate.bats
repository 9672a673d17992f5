#!/usr/bin/env bats
# mutate.bats - tests of grader/mutate, the automatic mutation tool: which mutants
# each operator makes (exact diffs), where it may change code, stable ids and
# samples, the survivors file, the score, --jobs, --record, and one small real run.
# The fixtures (grader/tests/fixtures/mutate/root) are a miniature repository:
# lab 97 has operators only in comments and strings, lab 98 one of each operator,
# lab 99 is graded by a fake engine (root/grader/grade) in a second or two.

load ../lib/helpers

ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
MUTATE="$ROOT/grader/mutate"
FIXTURES="$ROOT/grader/tests/fixtures/mutate"

# One run of fixture lab 99 (with --record) that several tests look at, and
# one --list of lab 98 (a second or two of libclang), in a copy of its own.
setup_file() {
    SHARED="$BATS_FILE_TMPDIR/shared"
    cp -R "$FIXTURES/root" "$BATS_FILE_TMPDIR/listed"
    "$MUTATE" --root "$BATS_FILE_TMPDIR/listed" --list 98 >"$BATS_FILE_TMPDIR/list-98" 2>&1 &&
        echo 0 >"$BATS_FILE_TMPDIR/list-98.status" || echo $? >"$BATS_FILE_TMPDIR/list-98.status"
    cp -R "$FIXTURES/root" "$SHARED"
    "$MUTATE" --root "$SHARED" --record 99 >"$BATS_FILE_TMPDIR/output" 2>&1 &&
        echo 0 >"$BATS_FILE_TMPDIR/status" || echo $? >"$BATS_FILE_TMPDIR/status"
    export SHARED
}

setup() {
    cd "$ROOT" || return 1
    # A copy of the miniature repository of one's own: runs write build/ and score.txt there.
    COPY="$BATS_TEST_TMPDIR/root"
    cp -R "$FIXTURES/root" "$COPY"
}

# The ids of the mutants that a --list output names, one per line.
ids() {
    grep -E '^[a-z]+\.c:[0-9]+:[a-z]+:[0-9a-f]{8} ' <<<"$1" | cut -d ' ' -f 1
}

# shared_run: the status and output of the shared run, as run would set them.
shared_run() {
    status=$(cat "$BATS_FILE_TMPDIR/status")
    output=$(cat "$BATS_FILE_TMPDIR/output")
    REPORT="$SHARED/build/mutate/99-tiny.json"
}

# listed_98: the status and output of grader/mutate --list 98, as run would set them.
listed_98() {
    status=$(cat "$BATS_FILE_TMPDIR/list-98.status")
    output=$(cat "$BATS_FILE_TMPDIR/list-98")
}

# result_of ID: the result of one mutant in the shared run's report.
result_of() {
    jq -r --arg id "$1" '.mutants[] | select(.id == $id) | .result' "$REPORT"
}

@test "help_prints_the_usage_and_changes_nothing" {
    local before
    before=$(find "$COPY" | sort)
    run "$MUTATE" --root "$COPY" --help
    assert_success
    assert_output --partial "Usage: grader/mutate [--sample N]"
    assert_output --partial "survivors.tsv"
    assert_equal "$(find "$COPY" | sort)" "$before"
}

@test "bad_usage_exits_with_status_2_and_says_why" {
    run "$MUTATE" --root "$COPY" 42
    assert_equal "$status" 2
    assert_output --partial "no lab called '42'; the labs are: 97-comments 98-operators 99-tiny"
    run "$MUTATE" --root "$COPY" --jobs 0 99
    assert_equal "$status" 2
    run "$MUTATE" --root "$COPY" --only tiny.c:1:swap:00000000 99
    assert_equal "$status" 2
    assert_output --partial "no mutant of 99-tiny has the id tiny.c:1:swap:00000000"
    run "$MUTATE" --root "$COPY" --tests '^x' --record 99
    assert_equal "$status" 2
    assert_output --partial "cannot be recorded"
}

@test "each_operator_makes_the_expected_mutants_with_exact_diffs" {
    listed_98
    assert_success
    diff -u "$FIXTURES/operators.expected" <(printf '%s\n' "$output") ||
        fail "the mutants of lab 98 differ from operators.expected (above: - expected, + made)"
}

@test "comments_and_strings_are_never_mutated" {
    # quiet.c's TODO region has operators, constants and calls only in comments and strings.
    run "$MUTATE" --root "$COPY" --list 97
    assert_success
    assert_output "0 mutants of 97-comments"
}

@test "only_the_lines_of_todo_regions_are_mutated" {
    listed_98
    assert_success
    local regions outside
    # The lines from each "/* TODO" to its "/* END TODO */" in ops.c.
    regions=$(awk '/\/\* TODO/ {inside = 1} inside {print NR} /\/\* END TODO \*\// {inside = 0}' \
              "$COPY/solutions/98-operators/ops.c" | sort)
    outside=$(ids "$output" | grep '^ops\.c:' | cut -d : -f 2 | sort -u | comm -23 - <(echo "$regions"))
    [ -z "$outside" ] || fail "ops.c has mutants outside its TODO regions, on lines $outside"
    # outside() (line 18) has <, + and a constant, but no TODO region.
    refute_output --regexp '^ops\.c:18:'
}

@test "without_todo_markers_only_the_lines_that_differ_from_the_stub_are_mutated" {
    listed_98
    assert_success
    # plain.c differs from its stub on line 8 only; given.c is the same as its stub.
    assert_equal "$(ids "$output" | grep '^plain\.c:' | cut -d : -f 2 | sort -u)" 8
    refute_output --partial "given.c"
}

@test "ids_and_the_sample_are_the_same_on_every_run_and_in_every_checkout" {
    run "$MUTATE" --root "$COPY" --list --sample 5 98
    assert_success
    local first=$output
    assert_equal "$(ids "$first" | wc -l)" 5
    mv "$COPY" "$BATS_TEST_TMPDIR/elsewhere"
    run "$MUTATE" --root "$BATS_TEST_TMPDIR/elsewhere" --list --sample 5 98
    assert_equal "$output" "$first"
    run "$MUTATE" --root "$BATS_TEST_TMPDIR/elsewhere" --list --sample 5 --seed 2 98
    [ "$(ids "$output")" != "$(ids "$first")" ] || fail "--seed 2 chose the same mutants as seed 1"
}

@test "listed_survivors_take_their_verdict_and_only_equivalent_ones_leave_the_score" {
    shared_run
    assert_equal "$status" 1
    assert_output --partial "99-tiny: 8 mutants: 4 killed, 1 survived, 1 not tested, 1 equivalent, 1 stillborn; score 66.7% (killed / (killed + survived + not tested))"
    assert_equal "$(result_of tiny.c:13:relational:6b9ad77b)" equivalent
    assert_equal "$(result_of tiny.c:36:constant:e1edf8c9)" not-tested
    assert_equal "$(jq -c .summary "$REPORT")" \
        '{"killed":4,"survived":1,"not-tested":1,"equivalent":1,"stillborn":1,"mutants":8,"score":66.7}'
}

@test "a_survivor_is_shown_with_its_file_line_operator_and_diff" {
    shared_run
    assert_output --partial "SURVIVED tiny.c:36 constant (10 to 9)
  id tiny.c:36:constant:c948fc99
--- a/tiny.c
+++ b/tiny.c"
    assert_output --partial "-    return 10;
+    return 9;"
}

@test "without_the_survivors_file_every_survivor_counts_against_the_score" {
    rm "$COPY/grader/99-tiny/mutants/survivors.tsv"
    run "$MUTATE" --root "$COPY" --only tiny.c:13:relational:6b9ad77b \
        --only tiny.c:36:constant:e1edf8c9 --only tiny.c:13:negate:9aad9bd2 99
    assert_equal "$status" 1
    assert_output --partial "99-tiny: 3 mutants: 1 killed, 2 survived, 0 not tested, 0 equivalent, 0 stillborn; score 33.3%"
}

@test "a_mutant_that_does_not_compile_is_stillborn_not_killed" {
    # Deleting free(buffer) leaves the parameter unused: -Werror stops the build.
    shared_run
    assert_equal "$(result_of tiny.c:29:call:148c3ffd)" stillborn
}

@test "the_report_gives_every_mutant_its_id_file_line_operator_diff_and_result" {
    shared_run
    assert_equal "$(jq '.mutants | length' "$REPORT")" 8
    assert_equal "$(jq -c '.mutants[] | select(.id == "tiny.c:22:arithmetic:c6fd6506")
                          | [.file, .line, .operator, .result, .failed_tests]' "$REPORT")" \
        '["tiny.c",22,"arithmetic","killed",["twice_doubles"]]'
    jq -r '.mutants[] | select(.id == "tiny.c:22:arithmetic:c6fd6506") | .diff' "$REPORT" |
        grep -qx -- '+    return x / 2;' || fail "$(jq . "$REPORT")"
}

@test "a_kill_under_jobs_counts_only_when_a_serial_run_repeats_it" {
    # The fake engine fails every mutant the first time it grades it: a kill by luck.
    mkdir "$BATS_TEST_TMPDIR/flaky"
    FAKE_FLAKY_DIR="$BATS_TEST_TMPDIR/flaky" run "$MUTATE" --root "$COPY" --jobs 2 \
        --only tiny.c:22:arithmetic:c6fd6506 --only tiny.c:36:constant:c948fc99 99
    assert_equal "$status" 1
    assert_output --partial "2 mutants: 1 killed, 1 survived, 0 not tested, 0 equivalent, 0 stillborn; score 50.0%"
    # (--only: a report of its own, beside the whole run's, which it leaves alone.)
    local report="$COPY/build/mutate/99-tiny.only.json"
    jq -r '.mutants[] | select(.id == "tiny.c:36:constant:c948fc99") | .note' "$report" |
        grep -q '^killed only under --jobs 2' ||
        fail "the survivor's note does not say that it was killed only under --jobs"
    # The kill that repeats is confirmed on the first test it failed, the only one it fails alone.
    assert_equal "$(jq -c '.mutants[] | select(.id == "tiny.c:22:arithmetic:c6fd6506") | .failed_tests' \
        "$report")" '["twice_doubles"]'
}

@test "a_mutant_whose_tests_did_not_run_is_killed" {
    # Its suite was killed or hung: every test fails as not run, and costs the
    # student its points all the same.
    FAKE_NOT_RUN=1 run "$MUTATE" --root "$COPY" --only tiny.c:22:arithmetic:c6fd6506 99
    assert_equal "$status" 0
    assert_output --partial "1 mutants: 1 killed, 0 survived"
}

@test "record_writes_the_score_and_the_date_to_score_txt" {
    shared_run
    local score="$SHARED/grader/99-tiny/mutants/score.txt"
    [ -f "$score" ] || fail "no $score"
    assert_equal "$(grep -v '^#' "$score")" "$(printf '%s\t%s\n' date "$(date +%F)" \
        mutants '8 of 8' score 66.7% killed 4 survived 1 not-tested 1 equivalent 1 stillborn 1)"
}

@test "again_grades_only_what_the_report_did_not_find_killed_or_stillborn" {
    shared_run
    # A new line in survivors.tsv since the report: the survivor is now listed.
    printf 'tiny.c:36:constant:c948fc99\tnot-tested\tno test looks at limit()\n' \
        >>"$COPY/grader/99-tiny/mutants/survivors.tsv"
    run "$MUTATE" --root "$COPY" --again "$REPORT" --record 99
    assert_equal "$status" 0
    # Graded again: the survivor and the two listed; kept: 4 killed, 1 stillborn.
    assert_equal "$(grep -cE '^\[[0-9]+/3\] ' <<<"$output")" 3
    grep -E '^\[[0-9]+/[0-9]+\] +killed' <<<"$output" && fail "a killed mutant was graded again"
    assert_output --partial "99-tiny: 8 mutants: 4 killed, 0 survived, 2 not tested, 1 equivalent, 1 stillborn; score 66.7%"
    assert_output --partial "(graded again: 3 of them)"
    local score="$COPY/grader/99-tiny/mutants/score.txt"
    grep -qx "$(printf 'graded\tfirst on %s; what was not killed or stillborn then, again on %s' \
        "$(date +%F)" "$(date +%F)")" "$score" ||
        fail "$(printf 'score.txt does not say how it was graded:\n%s' "$(cat "$score")")"
    assert_equal "$(jq -r '.mutants[] | select(.id == "tiny.c:22:arithmetic:c6fd6506") | .failed_tests[0]' \
        "$COPY/build/mutate/99-tiny.json")" twice_doubles
}

# one_mutant_graded: whether the report STOPPED shows at least one mutant graded.
one_mutant_graded() {
    [ -s "$STOPPED" ] && jq -e '[.mutants[] | select(.result != "not-run")] | length >= 1' \
        "$STOPPED" >/dev/null
}

@test "a_run_stopped_part_way_keeps_its_report_and_again_finishes_it" {
    # The fake engine grades the first mutant, then holds every other one until killed.
    mkdir "$BATS_TEST_TMPDIR/hold"
    STOPPED="$BATS_TEST_TMPDIR/report.json"
    FAKE_HOLD_DIR="$BATS_TEST_TMPDIR/hold" "$MUTATE" --root "$COPY" --report "$STOPPED" 99 \
        >"$BATS_TEST_TMPDIR/stopped.log" 2>&1 &
    local mutate=$!
    wait_until 60 one_mutant_graded || { kill "$mutate"; fail "no mutant graded within 60 s"; }
    kill -TERM "$mutate"
    wait "$mutate" || true
    assert_equal "$(jq -c '[.complete, .summary["not-run"], (.mutants | length)]' "$STOPPED")" '[false,7,8]'
    # Nothing of the stopped run is left: no folder in build/, no engine still waiting
    # (the engine runs in the copy's folder).
    assert_equal "$(find "$COPY/build" -mindepth 1 -maxdepth 1 -name 'mutate.*')" ""
    local process left=()
    for process in /proc/[0-9]*; do
        [ "$(readlink "$process/cwd" 2>/dev/null)" != "$COPY" ] || left+=("${process#/proc/}")
    done
    [ ${#left[@]} -eq 0 ] || fail "processes of the stopped run still run: ${left[*]}"
    run "$MUTATE" --root "$COPY" --again "$STOPPED" --report "$STOPPED" 99
    assert_output --partial "99-tiny: 8 mutants: 4 killed, 1 survived, 1 not tested, 1 equivalent, 1 stillborn"
    assert_output --partial "(graded again: 7 of them)"
    assert_equal "$(jq .complete "$STOPPED")" true
}

@test "again_confirms_the_kills_a_stopped_run_had_not_repeated_without_grading_them_from_the_start" {
    shared_run
    # A run under --jobs stopped while it confirmed its kills: they are "unconfirmed".
    jq '.mutants |= map(if .result == "killed" then .result = "unconfirmed" else . end)
        | .complete = false' "$REPORT" >"$BATS_TEST_TMPDIR/stopped.json"
    run "$MUTATE" --root "$COPY" --again "$BATS_TEST_TMPDIR/stopped.json" \
        --report "$BATS_TEST_TMPDIR/stopped.json" 99
    # Graded from the start: the survivor and the two listed (3); the 4 kills only
    # confirmed, alone, on the test each failed.
    assert_equal "$(grep -cE '^\[[0-9]+/3\] ' <<<"$output")" 3
    assert_equal "$(grep -cE '^\[[0-9]+/4\] +killed ' <<<"$output")" 4
    assert_output --partial "grading the 4 killed mutants again, one at a time"
    assert_output --partial "99-tiny: 8 mutants: 4 killed, 1 survived, 1 not tested, 1 equivalent, 1 stillborn"
    assert_output --partial "(graded again: 3 of them; 4 kills confirmed)"
    assert_equal "$(jq .complete "$BATS_TEST_TMPDIR/stopped.json")" true
}

@test "confirm_jobs_repeats_the_kills_side_by_side" {
    shared_run
    # The same stopped run as above; each repeat waits up to 10 s for another to
    # begin beside it, and says whether one did.
    jq '.mutants |= map(if .result == "killed" then .result = "unconfirmed" else . end)
        | .complete = false' "$REPORT" >"$BATS_TEST_TMPDIR/stopped.json"
    mkdir "$BATS_TEST_TMPDIR/meet"
    FAKE_MEET_DIR="$BATS_TEST_TMPDIR/meet" run "$MUTATE" --root "$COPY" --confirm-jobs 2 \
        --again "$BATS_TEST_TMPDIR/stopped.json" --report "$BATS_TEST_TMPDIR/stopped.json" --record 99
    assert_output --partial "grading the 4 killed mutants again, 2 at a time"
    assert_output --partial "99-tiny: 8 mutants: 4 killed, 1 survived, 1 not tested, 1 equivalent, 1 stillborn"
    assert_equal "$(grep -c met "$BATS_TEST_TMPDIR/meet/log")" 4
    grep -qxF "$(printf 'repeats\tthe kills under --jobs repeated 2 at a time (--confirm-jobs 2), not alone')" \
        "$COPY/grader/99-tiny/mutants/score.txt" || fail "$(cat "$COPY/grader/99-tiny/mutants/score.txt")"
    run "$MUTATE" --root "$COPY" --confirm-jobs 0 99
    assert_equal "$status" 2
    assert_output --partial "--confirm-jobs"
}

@test "again_refuses_a_report_of_another_lab_or_of_changed_code" {
    shared_run
    jq '.lab = "98-operators"' "$REPORT" >"$BATS_TEST_TMPDIR/other.json"
    run "$MUTATE" --root "$COPY" --again "$BATS_TEST_TMPDIR/other.json" 99
    assert_equal "$status" 2
    assert_output --partial "is a report of 98-operators, not of 99-tiny"
    jq '.mutants[0].id = "tiny.c:1:constant:00000000"' "$REPORT" >"$BATS_TEST_TMPDIR/changed.json"
    run "$MUTATE" --root "$COPY" --again "$BATS_TEST_TMPDIR/changed.json" 99
    assert_equal "$status" 2
    assert_output --partial "the code changed since"
}

@test "a_malformed_line_in_survivors_tsv_is_an_error_that_names_it" {
    printf 'tiny.c:36:constant:c948fc99\tboring\tno reason\n' >>"$COPY/grader/99-tiny/mutants/survivors.tsv"
    run "$MUTATE" --root "$COPY" 99
    assert_equal "$status" 2
    assert_output --partial "survivors.tsv:4: expected ID<tab>equivalent|not-tested<tab>reason"
}

@test "the_mutants_folders_are_removed_afterwards" {
    assert_equal "$(find "$SHARED/build" -mindepth 1 -maxdepth 1 | sort)" "$SHARED/build/mutate"
}

@test "a_sample_of_three_mutants_of_lab_01_is_graded_for_real" {
    local report=$BATS_TEST_TMPDIR/report.json before
    before=$(find build -maxdepth 1 -name 'mutate.*' 2>/dev/null | sort)
    # (Each graded on lab 01's Check tests: the whole lab shows nothing more here.)
    run "$MUTATE" --sample 3 --tests '^(parse_|find_|classify_)' --report "$report" 01
    [ "$status" -le 1 ] || fail "$output"
    assert_equal "$(jq -r .tests "$report")" '^(parse_|find_|classify_)'
    assert_output --regexp "01-memory-layout: 3 mutants: [0-9] killed, [0-9] survived, [0-9] not tested, [0-9] equivalent, [0-9] stillborn"
    assert_equal "$(jq -r '.mutants[].result' "$report" | grep -cxE 'killed|survived|not-tested|equivalent|stillborn')" 3
    assert_equal "$(find build -maxdepth 1 -name 'mutate.*' | sort)" "$before"
}
