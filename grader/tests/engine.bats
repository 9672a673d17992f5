#!/usr/bin/env bats
# engine.bats - tests of the grader itself: lab names, points arithmetic,
# results.json, exit status, and what it does with broken or hostile submissions.
# The fixtures are patches against lab 01 (grader/tests/fixtures/).

load ../lib/assertions

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
    patch --quiet --batch --no-backup-if-mismatch -d "$SUBMISSION/$LAB" -p1 <"$1"
}

# The output text of one test in the results file.
output_of() {
    jq -r --arg name "$LAB: $1" '.tests[] | select(.name == $name) | .output' "$RESULTS"
}

# expect_graded_within START SECONDS: fail when more than SECONDS (scaled by
# TIMEOUT_SCALE) have passed since START (a value of $SECONDS).
expect_graded_within() {
    # shellcheck disable=SC2031 # TIMEOUT_SCALE comes from the environment
    [ $((SECONDS - $1)) -lt $(($2 * ${TIMEOUT_SCALE:-1})) ] ||
        fail "grading it took $((SECONDS - $1)) s; expected less than $(($2 * ${TIMEOUT_SCALE:-1})) s"
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

@test "grading_without_its_tools_says_what_is_missing_and_how_to_install_it" {
    # A PATH with everything grade needs but pkg-config (so Check cannot be found).
    local bin="$BATS_TEST_TMPDIR/bin" tool
    mkdir -p "$bin"
    # (One ln for /usr/bin: a process per tool took half a minute here.)
    ln -s -t "$bin" /usr/bin/*
    for tool in /bin/*; do
        [ -e "$bin/${tool##*/}" ] || ln -s "$tool" "$bin/${tool##*/}"
    done
    rm -f "$bin/pkg-config"
    PATH=$bin run "$GRADE" --src solutions --results "$RESULTS" 01
    assert_equal "$status" 2
    assert_output --partial "grade: cannot grade without: pkg-config"
    assert_output --partial "grader/install-deps grade"
    [ ! -e "$RESULTS" ] || fail "results were written: $(cat "$RESULTS")"
}

@test "a_test_filter_that_matches_nothing_is_an_error_that_lists_the_tests" {
    run "$GRADE" --src solutions --results "$RESULTS" --tests no_such_test 01
    assert_equal "$status" 1
    assert_output --partial "no test of 01-memory-layout matches 'no_such_test'"
    assert_output --partial parse_reads_start_and_end_as_hex
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
    # Every fact is also a field, so that no tool reads the sentences.
    jq -e '
        all(.tests[]; .extra_data.lab == "01-memory-layout" and
                      (.extra_data.kind | IN("test", "build", "leftover", "review", "ignored"))) and
        all(.tests[] | select(.extra_data.kind == "test") | .extra_data;
            (.test | type == "string") and (.section | test("^[0-9]+(\\.[0-9]+)*$")) and
            (.title | length > 0) and (.hint | type == "string") and
            (.outcome | IN("pass", "fail", "skip", "timeout", "crash", "missing", "duplicate", "not-built"))) and
        (.extra_data.labs["01-memory-layout"] | .score == 0 and .max_score > 0)
    ' "$RESULTS" || fail "$(jq -c '.tests[0], .extra_data' "$RESULTS")"
    [[ $(output_of parse_reads_start_and_end_as_hex) == *"hint: handouts/01-memory-layout.md §3.2"* ]] ||
        fail "a failed test's output does not end with its hint: $(output_of parse_reads_start_and_end_as_hex)"
}

@test "the_score_is_the_sum_of_the_points_of_the_tests_that_pass" {
    submission_with grader/01-memory-layout/mutants/bss-called-data.patch
    # (The tests of segment.c and one run of the program: the rest of the lab
    # would only add to both sides.)
    local filter='^(classify_|layout_names_the_segment_of_every_object$)'
    run "$GRADE" --src "$SUBMISSION" --results "$RESULTS" --tests "$filter" 01
    assert_equal "$status" 1
    local lost
    # The tests the mutant is written to fail: its "Fails:" lines.
    lost=$(grader/lib/list-tests 01 | awk -F '\t' -v re="$filter" '$1 ~ re' |
           awk -F '\t' -v names=" $(sed -n 's/^Fails: //p' grader/01-memory-layout/mutants/bss-called-data.patch | xargs) " \
               'index(names, " " $1 " ") {s += $2} END {print s}')
    # Full marks: the tests that ran, less any this machine cannot run.
    local full
    full=$(jq .max_score "$RESULTS")
    assert_equal "$(jq .score "$RESULTS")" "$((full - lost))"
    assert_output --partial "score $((full - lost))/$full"
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
    assert_output --partial "no folder"
    jq -e '.tests[] | select(.extra_data.kind == "build") | .output | contains("has no folder 01-memory-layout")' "$RESULTS" >/dev/null
}

@test "a_submission_that_does_not_compile_scores_0_and_shows_the_compiler_errors" {
    submission_with grader/tests/fixtures/does-not-compile.patch
    run "$GRADE" --src "$SUBMISSION" --results "$RESULTS" 01
    assert_equal "$status" 1
    assert_equal "$(jq .score "$RESULTS")" 0
    assert_output --partial "does not compile"
    assert_output --regexp "maps.c:[0-9]+:[0-9]+: error"
    jq -e '.tests[] | select(.extra_data.kind == "build") | .output | contains("error:")' "$RESULTS" \
        >/dev/null || fail "results.json does not carry the compiler's errors in its build entry"
    assert_equal "$(jq -r '.tests[] | select(.extra_data.test == "parse_reads_start_and_end_as_hex") | .extra_data.outcome' "$RESULTS")" not-built
}

@test "a_changed_given_header_changes_nothing_and_is_reported" {
    # A header that the Check suite includes, changed to turn every assertion off.
    local copy="$BATS_TEST_TMPDIR/submission"
    mkdir -p "$copy"
    cp -R "labs/$LAB" "$copy/"
    printf '#undef ck_assert_msg\n#define ck_assert_msg(...) ((void)0)\n' >>"$copy/$LAB/maps.h"
    run "$GRADE" --src "$copy" --results "$RESULTS" --tests '^parse_' 01
    assert_equal "$(jq .score "$RESULTS")" 0
    assert_output --partial "ignored: maps.h is a given file and differs from the original: the grader used the original"
    jq -e '.tests[] | select(.extra_data.kind == "ignored") | .output | contains("maps.h")' "$RESULTS" \
        >/dev/null || fail "results.json does not say that maps.h was ignored"
}

@test "a_changed_given_source_changes_nothing_and_is_reported" {
    # Lab 06's message.c, which checks every message the tests send, changed to
    # call every message corrupt: graded with it, the solution would fail.
    local copy="$BATS_TEST_TMPDIR/submission"
    mkdir -p "$copy"
    cp -R labs/06-ipc-speed "$copy/"
    cp solutions/06-ipc-speed/*.c "$copy/06-ipc-speed/"
    awk '{ print } /^int message_check\(/ { checking = 1 }
         checking && /^\{/ { print "    snprintf(why, why_size, \"every message is corrupt\");"; print "    return -1;"; checking = 0 }' \
        labs/06-ipc-speed/harness/message.c >"$copy/06-ipc-speed/harness/message.c"
    run "$GRADE" --src "$copy" --results "$RESULTS" --tests ipcbench_checks_every_message_over_the_unix 06
    assert_equal "$status" 0
    assert_output --partial "ignored: harness/message.c is a given file and differs from the original"
}

@test "files_that_are_not_the_labs_are_ignored_and_named_and_links_are_refused" {
    submission_with grader/tests/fixtures/crashes.patch
    echo "int main(void) { return 0; }" >"$SUBMISSION/$LAB/extra.c"
    rm "$SUBMISSION/$LAB/segment.c"
    ln -s "$ROOT/solutions/$LAB/segment.c" "$SUBMISSION/$LAB/segment.c"
    run "$GRADE" --src "$SUBMISSION" --results "$RESULTS" --tests parse_keeps 01
    assert_output --partial "ignored: extra.c is not one of the lab's files"
    assert_output --partial "refused: segment.c is not a plain file"
    assert_output --partial "does not compile"
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
    [[ $(output_of parse_keeps_spaces_in_a_path) == *"did not return within"* ]] ||
        fail "the hang is not explained: $(output_of parse_keeps_spaces_in_a_path)"
    expect_graded_within "$start" 30
}

@test "a_program_that_fills_the_process_limit_with_zombies_is_stopped_at_once_and_told_why" {
    # Zombies count under the user's process limit: once it is full, the test
    # runner (the same user) cannot fork to stop the program, which held the
    # suite until its 900 s. The sandbox's watcher, outside, counts them.
    # (Only in the sandbox: outside it, nothing limits the forks.)
    [ "$(id -u)" -eq 0 ] && unshare --ipc --mount --pid --net --fork --mount-proc true 2>/dev/null ||
        skip "needs root with namespaces (the sandbox)"
    submission_with grader/tests/hostile/forks-without-waiting.patch
    local start=$SECONDS
    run "$GRADE" --sandbox --src "$SUBMISSION" --results "$RESULTS" \
        --tests 'layout_rejects_an_unknown_option_with_usage|layout_prints_a_row_for_every_object' 01
    assert_equal "$(status_of layout_rejects_an_unknown_option_with_usage)" failed
    assert_equal "$(status_of layout_prints_a_row_for_every_object)" passed
    [[ $(output_of layout_rejects_an_unknown_option_with_usage) == *"never waited for"* ]] ||
        fail "the test's failure does not say why: $(output_of layout_rejects_an_unknown_option_with_usage)"
    expect_graded_within "$start" 30
}

@test "a_program_that_leaves_a_child_holding_its_output_fails_its_test_at_the_time_limit_and_the_child_is_stopped" {
    # Bats' run reads a program's output to its end: a child the program did
    # not wait for, still holding it, held the suite until the grading's
    # time limit (13 min, seen on a lab 04 mutant). Now the test waits the
    # program's own limit, says why, and stops the child.
    submission_with grader/tests/fixtures/engine-only/leaves-a-child-holding-its-output.patch
    local start=$SECONDS
    run "$GRADE" --src "$SUBMISSION" --results "$RESULTS" \
        --tests 'layout_rejects_an_unknown_option_with_usage|layout_prints_a_row_for_every_object' 01
    assert_equal "$(status_of layout_rejects_an_unknown_option_with_usage)" failed
    assert_equal "$(status_of layout_prints_a_row_for_every_object)" passed
    [[ $(output_of layout_rejects_an_unknown_option_with_usage) == *"held its standard output open"* ]] ||
        fail "the test's failure does not say why: $(output_of layout_rejects_an_unknown_option_with_usage)"
    [[ $(output_of layout_rejects_an_unknown_option_with_usage) == *"(layout): asleep in "*sleep* ]] ||
        fail "the child is not described as asleep in sleep(): $(output_of layout_rejects_an_unknown_option_with_usage)"
    refute_output --partial "left behind"
    expect_graded_within "$start" 60
}

@test "code_that_calls_exit_0_does_not_pass_the_test" {
    submission_with grader/tests/fixtures/exits-early.patch
    run "$GRADE" --src "$SUBMISSION" --results "$RESULTS" --tests 'parse_keeps_the' 01
    assert_equal "$(status_of parse_keeps_the_deleted_suffix)" failed
    [[ $(output_of parse_keeps_the_deleted_suffix) == *"exit()"* ]] ||
        fail "the early exit is not explained: $(output_of parse_keeps_the_deleted_suffix)"
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
        jq -e '.tests[] | select(.extra_data.kind == "leftover")' "$RESULTS" \
            >/dev/null || fail "results.json does not report what was left behind"
    done
}

@test "objects_and_files_that_another_program_makes_meanwhile_are_not_reported" {
    # Without namespaces the engine compares the machine's IPC objects before
    # and after; another program (here: another user) makes some meanwhile.
    local other=65534 marker="$BATS_TEST_TMPDIR/made"
    (
        # While the tests run: after the engine's first look, before its last.
        local deadline=$((SECONDS + 120))
        until pgrep -f "$BATS_TEST_TMPDIR/.*/bin/check_maps" >/dev/null || [ "$SECONDS" -gt "$deadline" ]; do
            sleep 0.05
        done
        setpriv --reuid="$other" --regid="$other" --clear-groups ipcmk -Q >"$marker.sysv" 2>&1
        : >/dev/shm/another-program-$$
        : >/tmp/another-program-$$
        touch "$marker"
    ) 3>&- &
    local helper=$!
    submission_with grader/tests/fixtures/crashes.patch
    GRADER_WORK_DIR=$BATS_TEST_TMPDIR GRADER_NO_NAMESPACES=1 run "$GRADE" --src "$SUBMISSION" --results "$RESULTS" \
        --tests 'parse_keeps|layout_prints' 01
    wait "$helper"
    [ -e "$marker" ] || fail "the other program did not run: $(cat "$marker.sysv")"
    local queue
    queue=$(awk -v uid="$other" 'NR > 1 && $10 == uid {print $2}' /proc/sysvipc/msg)
    rm -f /dev/shm/another-program-* /tmp/another-program-*
    for id in $queue; do ipcrm -q "$id"; done
    refute_output --partial "another-program"
    refute_output --regexp "sysv msg [0-9]+ uid=$other"
    # What the grader's own run makes is still found: see what_a_submission_leaves_behind_is_reported_and_removed.
}

@test "two_sandboxed_gradings_side_by_side_never_share_a_sandbox_user" {
    # The end of a sandboxed grading kills every process of its sandbox user: a
    # grading beside it (mutate --jobs, the self-test) must have another. Here
    # the user that the grading would take first (61000 + its pid % 4000) is
    # held by another grading's lock: it takes the next free one.
    [ "$(id -u)" -eq 0 ] || skip "only root grades in the sandbox"
    local locks=/run/linux-ipc-labs go="$BATS_TEST_TMPDIR/go" hold="$BATS_TEST_TMPDIR/hold"
    local held="$BATS_TEST_TMPDIR/held"
    [ -d "$locks" ] || mkdir -m 700 "$locks" 2>/dev/null || skip "no folder of root's in /run here"
    mkfifo "$go" "$hold" "$held"
    (read -r _ <"$go"
     exec env GRADER_ROOT_OK=1 "$GRADE" --sandbox --keep --src solutions --results "$RESULTS" \
         --tests '^parse_reads_start_and_end_as_hex$' "$LAB") >"$BATS_TEST_TMPDIR/grade.out" 2>&1 3>&- &
    # shellcheck disable=SC2031 # TIMEOUT_SCALE comes from the environment
    local grading=$! first holder seconds=$((120 * ${TIMEOUT_SCALE:-1}))
    first=$((61000 + grading % 4000))
    # The holder says when it has the lock (it waits while another grading has it).
    flock -w "$seconds" "$locks/uid.$first" -c "echo held >'$held'; read -r _ <'$hold'" 3>&- &
    holder=$!
    read -r -t "$seconds" _ <>"$held" || { echo go >"$go"; fail "the lock of uid $first was not taken"; }
    echo go >"$go"
    local status=0
    wait "$grading" || status=$?
    echo release >"$hold"
    wait "$holder" || true
    local kept uid
    kept=$(sed -n 's/^grade: kept the build and results in //p' "$BATS_TEST_TMPDIR/grade.out")
    [ -n "$kept" ] && [ -d "$kept" ] || fail "$(printf 'no kept run folder (status %s):\n%s' "$status" "$(cat "$BATS_TEST_TMPDIR/grade.out")")"
    uid=$(stat -c %g "$kept")
    rm -rf "$kept"
    assert_equal "$status" 0
    [ "$uid" -ne "$first" ] || fail "the grading took uid $first, which another grading held"
    [ "$uid" -ge 61000 ] && [ "$uid" -le 64999 ] || fail "the grading took uid $uid, outside 61000-64999"
}
