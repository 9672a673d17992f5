#!/usr/bin/env bats
# classroom.bats - GitHub Classroom: .github/workflows/classroom.yml passes a
# linter for GitHub workflows (@action-validator/cli, from the npm registry),
# grades every lab, and its steps, run here, hand Classroom's reporter the
# scores test by test.

load ../lib/assertions

teardown() {
    [ -z "${COPY:-}" ] || rm -rf "$COPY"
}

setup_file() {
    export ROOT WORKFLOW VALIDATOR
    ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
    WORKFLOW=$ROOT/.github/workflows/classroom.yml
    # The linter, installed once into build/ (npm's cache makes it quick).
    local dir=$ROOT/build/npm
    VALIDATOR=$dir/node_modules/.bin/action-validator
    if [ ! -x "$VALIDATOR" ]; then
        mkdir -p "$dir"
        (cd "$dir" && npm install --silent --no-audit --no-fund --no-save @action-validator/cli@0.6.0) \
            >"$BATS_FILE_TMPDIR/npm.log" 2>&1 || true
    fi
}

# The step "run:" commands of the workflow, in order.
run_steps() {
    sed -n 's/^ *run: //p' "$WORKFLOW"
}

@test "the_classroom_workflow_passes_a_linter_for_github_workflows" {
    [ -x "$VALIDATOR" ] || fail "$(printf 'could not install @action-validator/cli:\n%s' "$(cat "$BATS_FILE_TMPDIR/npm.log")")"
    run "$VALIDATOR" "$WORKFLOW"
    assert_success
    # The linter catches what it should: a step that neither runs nor uses.
    sed 's/^ *run: grader\/classroom-result 01$/        bogus: 1/' "$WORKFLOW" >"$BATS_TEST_TMPDIR/broken.yml"
    run "$VALIDATOR" "$BATS_TEST_TMPDIR/broken.yml"
    assert_failure
}

@test "the_classroom_workflow_grades_every_lab_and_reports_each" {
    local lab number steps runners
    steps=$(run_steps | sed -n 's/^grader\/classroom-result //p' | paste -s -d ' ')
    for lab in $("$ROOT/grader/lib/list-labs"); do
        number=${lab%%-*}
        [[ " $steps " == *" $number "* ]] || fail "no step grades lab $number"
        grep -q "^ *id: lab-$number$" "$WORKFLOW" || fail "lab $number's step has no id lab-$number"
        grep -q "^ *LAB-${number}_RESULTS: \${{ steps.lab-$number.outputs.result }}$" "$WORKFLOW" ||
            fail "the reporter does not get lab $number's result"
    done
    runners=$(sed -n 's/^ *runners: //p' "$WORKFLOW")
    assert_equal "$runners" "$(for lab in $("$ROOT/grader/lib/list-labs"); do printf 'lab-%s\n' "${lab%%-*}"; done | paste -s -d ,)"
}

# result_of OUTPUT: the JSON that a step wrote as "result=BASE64".
result_of() {
    sed -n 's/^result=//p' "$1" | base64 -d
}

@test "a_classroom_step_hands_the_reporter_each_tests_score" {
    local copy step
    # The student's repository: the solution of lab 01 (then its stub).
    # It lives under build/, where the sandbox user may read it (the test's
    # own temporary folder is root's alone).
    COPY=$(mktemp -d "$ROOT/build/classroom-repo.XXXXXX")
    chmod 755 "$COPY"
    copy=$COPY
    (cd "$ROOT" && git ls-files -z | grep -zv '^solutions/' | xargs -0 cp --parents -t "$copy")
    cp "$ROOT"/solutions/01-memory-layout/*.c "$copy/labs/01-memory-layout/"
    step=$(run_steps | grep 'classroom-result 01$')
    (cd "$copy" && GITHUB_OUTPUT="$BATS_TEST_TMPDIR/out.01" bash -c "$step") >"$BATS_TEST_TMPDIR/log" 2>&1 ||
        fail "$(cat "$BATS_TEST_TMPDIR/log")"
    result_of "$BATS_TEST_TMPDIR/out.01" >"$BATS_TEST_TMPDIR/01.json"
    # A test this machine cannot run is skipped: it counts neither way.
    jq -e '.version == 1 and .status == "pass" and .max_score <= 100 and .max_score >= 90 and
           ([.tests[].score] | add) == .max_score and all(.tests[]; .status == "pass")' \
        "$BATS_TEST_TMPDIR/01.json" >/dev/null || fail "$(jq -c . "$BATS_TEST_TMPDIR/01.json")"
    # Then the stub of lab 01: it scores 0, test by test.
    cp "$ROOT"/labs/01-memory-layout/*.c "$copy/labs/01-memory-layout/"
    (cd "$copy" && GITHUB_OUTPUT="$BATS_TEST_TMPDIR/out.stub" bash -c "$step") >"$BATS_TEST_TMPDIR/log" 2>&1 ||
        fail "$(cat "$BATS_TEST_TMPDIR/log")"
    result_of "$BATS_TEST_TMPDIR/out.stub" >"$BATS_TEST_TMPDIR/stub.json"
    jq -e '.status == "fail" and ([.tests[].score] | add) == 0 and (.tests | length) > 10' \
        "$BATS_TEST_TMPDIR/stub.json" >/dev/null || fail "$(jq -c . "$BATS_TEST_TMPDIR/stub.json" | head -c 2000)"
}
