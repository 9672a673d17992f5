#!/usr/bin/env bats
# batch.bats - grading a whole class with grader/grade-all, hostile submissions
# included: each gets the score it deserves and a clear message, the batch goes
# on, and the machine is clean afterwards.
#
# The class is built once (setup_file) from lab 01's solution and stub, the
# fixtures in grader/tests/fixtures and the hostile patches in grader/tests/hostile.

load ../lib/assertions

ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
LAB=01-memory-layout
TESTS='^(parse_|find_|classify_)'

# Can the grader use its sandbox (root, namespaces)? Without it, some hostile
# acts (reading the solutions, writing the grader's files) cannot be prevented,
# and the submissions that attempt them are left out of the class.
sandboxed() {
    [ "$(id -u)" -eq 0 ] && [ "${GRADER_NO_NAMESPACES:-}" != 1 ] &&
        unshare --ipc --mount --pid --fork --mount-proc true 2>/dev/null
}

# student NAME BASE [PATCH]: a folder for NAME: a copy of BASE (solutions or labs) with PATCH.
student() {
    local dir="$CLASS/$1"
    mkdir -p "$dir"
    cp -R "$ROOT/$2/$LAB" "$dir/"
    if [ -n "${3:-}" ]; then
        sed -e "s|@DECOY@|$DECOY|g" -e "s|@DECOY_ID@|${DECOY##*/}|g" "$3" |
            patch --quiet --batch --no-backup-if-mismatch -d "$dir/$LAB" -p1
    fi
}

setup_file() {
    cd "$ROOT" || return 1
    export CLASS="$BATS_FILE_TMPDIR/class" OUT="$BATS_FILE_TMPDIR/out"
    export DECOY="$BATS_FILE_TMPDIR/decoy.$$"
    mkdir -p "$CLASS"
    echo "the grader's file" >"$DECOY"
    chmod 644 "$DECOY"
    chmod 755 "$BATS_FILE_TMPDIR"

    student alice solutions
    student bob labs
    (cd "$CLASS" && tar -czf carol.tar.gz -C alice "$LAB" && mkdir -p dan/labs &&
     cp -R alice/"$LAB" dan/labs/ && (cd dan && zip -qr ../dan.zip labs) && rm -rf dan)
    student does-not-compile solutions grader/tests/fixtures/does-not-compile.patch
    student crashes solutions grader/tests/fixtures/crashes.patch
    student hangs solutions grader/tests/fixtures/hangs.patch
    student exits-early solutions grader/tests/fixtures/exits-early.patch
    student fake-results labs grader/tests/fixtures/fake-results.patch
    student leaves-behind solutions grader/tests/fixtures/engine-only/leaves-behind-in-a-test.patch
    student fork-bomb solutions grader/tests/hostile/fork-bomb.patch
    student allocates-without-bound solutions grader/tests/hostile/allocates-without-bound.patch
    student writes-a-gigabyte solutions grader/tests/hostile/writes-a-gigabyte.patch
    student forges-its-results solutions grader/tests/hostile/forges-its-results.patch
    # The stub, with headers of its own that make every assertion pass.
    student ships-its-own-headers labs
    { cat grader/lib/labcheck.h grader/tests/hostile/assertions-pass.h
    } >"$CLASS/ships-its-own-headers/$LAB/labcheck.h"
    { echo '#include_next <check.h>'; cat grader/tests/hostile/assertions-pass.h
    } >"$CLASS/ships-its-own-headers/$LAB/check.h"
    # A submission that ships its own grader folder, with a manifest of its own.
    student ships-a-grader labs
    mkdir -p "$CLASS/ships-a-grader/grader/$LAB"
    echo '{"student_files": [], "given_files": {}, "targets": [], "bats": []}' \
        >"$CLASS/ships-a-grader/grader/$LAB/lab.json"
    echo "this is not a submission" >"$CLASS/not-an-archive.txt"
    if sandboxed; then
        student writes-outside-its-folder solutions grader/tests/hostile/writes-outside-its-folder.patch
        student reads-the-solution labs
        for file in maps.c segment.c layout.c; do
            echo "#include \"$ROOT/solutions/$LAB/$file\"" >"$CLASS/reads-the-solution/$LAB/$file"
        done
    fi

    # The Check tests, where every fixture and hostile patch acts (leaves-behind
    # too: a run of the program, for it alone, cost every submission ~2 s of
    # CPU): the whole lab takes three times as long and shows nothing more here.
    grader/grade-all "$CLASS" --labs 01 --tests "$TESTS" -j 2 --out "$OUT" \
        >"$BATS_FILE_TMPDIR/batch.log" 2>&1 || true
}

# The total of STUDENT in grades.csv (every field quoted, as jq's @csv writes).
total_of() {
    awk -F, -v name="\"$1\"" '$1 == name {print $(NF-1)}' "$OUT/grades.csv"
}

# Full marks: the solution's maximum, 100 less the points of any test this
# machine cannot run (skipped: they count neither way).
full_marks() {
    awk -F, '$1 == "\"alice\"" {print $NF}' "$OUT/grades.csv"
}

# Full marks minus the points of the tests named.
full_but() {
    local lost
    lost=$("$ROOT/grader/lib/list-tests" "$LAB" | awk -F '\t' -v re="$TESTS" '$1 ~ re' |
           awk -F '\t' -v names=" $* " 'index(names, " " $1 " ") {s += $2} END {print s + 0}')
    echo $(($(full_marks) - lost))
}

expect_total() {
    local got
    got=$(total_of "$1")
    [ "$got" = "$2" ] ||
        fail "$(printf '%s scored %s, expected %s. Its feedback:\n%s' "$1" "${got:-nothing}" "$2" \
            "$(grep -v PASS "$OUT/$1/feedback.txt" 2>/dev/null | head -n 30)")"
}

@test "every_submission_gets_a_row_and_the_batch_reports_what_it_could_not_grade" {
    run cat "$BATS_FILE_TMPDIR/batch.log"
    assert_output --partial "could not grade 1"
    assert_output --partial "error: not-an-archive.txt"
    assert_equal "$(head -n 1 "$OUT/grades.csv")" "\"student\",\"$LAB\",\"total\",\"max\""
    for name in alice bob carol dan fake-results fork-bomb; do
        grep -q "^\"$name\"," "$OUT/grades.csv" || fail "no row for $name in grades.csv"
        [ -s "$OUT/$name/results.json" ] && [ -s "$OUT/$name/feedback.txt" ] ||
            fail "no results.json or feedback.txt for $name"
    done
    grep -q '^"not-an-archive.txt","error"' "$OUT/grades.csv" || fail "no error row for not-an-archive.txt"
}

@test "the_batch_shows_after_each_submission_how_many_are_done_and_the_time_left" {
    local entries line done_count=0 total left
    entries=$(find "$CLASS" -mindepth 1 -maxdepth 1 | wc -l)
    while read -r line; do
        [[ $line =~ ^\[([0-9]+)/([0-9]+),\ ([0-9]+)\ s\ left\]\ (graded|error):\  ]] || continue
        done_count=$((done_count + 1))
        total=${BASH_REMATCH[2]}
        left=${BASH_REMATCH[3]}
        [ "${BASH_REMATCH[1]}" -eq "$done_count" ] && [ "$total" -eq "$entries" ] ||
            fail "progress line $done_count reads '$line'; expected [$done_count/$entries, ...]"
    done <"$BATS_FILE_TMPDIR/batch.log"
    [ "$done_count" -eq "$entries" ] ||
        fail "$(printf 'the batch printed %s progress lines for %s submissions:\n%s' "$done_count" "$entries" \
            "$(head -n 40 "$BATS_FILE_TMPDIR/batch.log")")"
    [ "$left" -eq 0 ] || fail "after the last submission the batch still says $left s left"
}

@test "the_batch_writes_the_class_report_and_the_pairs_of_similar_code" {
    local name
    [ -s "$OUT/report.html" ] || fail "no report.html beside grades.csv; the batch said: $(tail -n 5 "$BATS_FILE_TMPDIR/batch.log")"
    for name in alice bob carol dan fork-bomb; do
        grep -q ">$name<" "$OUT/report.html" || fail "report.html does not name $name"
    done
    [ -s "$OUT/similarity.csv" ] || fail "no similarity.csv beside grades.csv: $(cat "$OUT/similarity.log" 2>/dev/null)"
    # carol handed in alice's files: the pair is flagged.
    grep -E '"(alice","carol|carol","alice)",.*"yes"$' "$OUT/similarity.csv" >/dev/null ||
        fail "$(printf 'carol copied alice, yet similarity.csv does not flag the pair:\n%s' "$(head -n 8 "$OUT/similarity.csv")")"
    # bob handed in the stub: nothing of his is his own.
    ! grep -q '"bob"' "$OUT/similarity.csv" || fail "bob handed in the stub, yet similarity.csv lists him"
}

@test "folders_tar_gz_and_zip_submissions_are_graded_alike" {
    expect_total alice "$(full_marks)"
    expect_total carol "$(full_marks)"
    expect_total dan "$(full_marks)"
    expect_total bob 0
}

@test "a_submission_that_does_not_compile_scores_0_and_is_told_why" {
    expect_total does-not-compile 0
    grep -q "does not compile" "$OUT/does-not-compile/feedback.txt"
}

@test "crashes_hangs_and_early_exits_cost_only_their_tests" {
    expect_total crashes "$(full_but parse_keeps_the_deleted_suffix)"
    expect_total hangs "$(full_but parse_keeps_spaces_in_a_path)"
    expect_total exits-early "$(full_but parse_keeps_the_deleted_suffix)"
    grep -q "signal 11" "$OUT/crashes/feedback.txt" || fail "the crash is not named"
    grep -q "did not return within" "$OUT/hangs/feedback.txt" || fail "the hang is not named"
}

@test "fake_results_and_a_grader_folder_in_the_submission_change_nothing" {
    expect_total fake-results 0
    expect_total ships-a-grader 0
}

@test "code_that_forges_its_results_from_inside_gains_nothing_and_is_flagged_for_review" {
    # Its forged TAP log names no test of the points table, and no test ran to
    # its end: every Check test (parse_, find_, classify_) fails.
    local passed
    passed=$(jq -r '[.tests[] | select((.name | test(": (parse|find|classify)_")) and .score > 0)
                    | .name] | join(" ")' "$OUT/forges-its-results/results.json")
    [ -z "$passed" ] || fail "forged results passed: $passed"
    [ "$(total_of forges-its-results)" -lt "$(full_marks)" ] || fail "the forger has full marks"
    grep -q "for review" "$OUT/forges-its-results/feedback.txt" &&
        grep -q "names the grader's machinery" "$OUT/forges-its-results/feedback.txt" ||
        fail "the student's feedback does not say it: $(grep -A3 'review' "$OUT/forges-its-results/feedback.txt")"
    grep -q "maps.c:.*CK_TAP_LOG_FILE_NAME" "$OUT/forges-its-results/feedback.txt" ||
        fail "the line that names the grader's machinery is not shown"
    local review
    review=$(grep '^for review' "$BATS_FILE_TMPDIR/batch.log" || true)
    [[ " ${review#*: } " == *" forges-its-results "* ]] ||
        fail "the batch's summary does not name it for review: ${review:-no line for review}"
    [[ " ${review#*: } " != *" alice "* ]] || fail "the solution is named for review: $review"
}

@test "headers_shipped_with_a_submission_cannot_change_what_the_tests_assert" {
    expect_total ships-its-own-headers 0
    grep -q "ignored: labcheck.h is not one of the lab's files" \
        "$OUT/ships-its-own-headers/feedback.txt" || fail "the student's feedback does not say it"
}

@test "a_fork_bomb_costs_only_its_test" {
    expect_total fork-bomb "$(full_but parse_keeps_the_deleted_suffix)"
    # In the sandbox, the grader kills it within seconds and says why.
    if sandboxed; then
        grep -q "a fork that never stops" "$OUT/fork-bomb/feedback.txt" ||
            fail "the feedback does not say that the grader stopped a fork that never stops: $(grep -A3 parse_keeps_the_deleted_suffix "$OUT/fork-bomb/feedback.txt")"
    fi
}

@test "unbounded_allocation_costs_only_its_test" {
    expect_total allocates-without-bound "$(full_but parse_keeps_the_deleted_suffix)"
}

@test "a_gigabyte_on_stdout_costs_only_its_test" {
    expect_total writes-a-gigabyte "$(full_but parse_keeps_the_deleted_suffix)"
    local biggest
    biggest=$(du -sm "$OUT" | cut -f1)
    [ "$biggest" -lt 50 ] || fail "the batch's output takes $biggest MiB"
}

@test "what_a_submission_leaves_behind_is_removed_and_reported_to_the_student" {
    expect_total leaves-behind "$(full_marks)"
    grep -q "left behind" "$OUT/leaves-behind/feedback.txt" || fail "the student is not told"
    local name
    name=$(grep -o 'lab01-leak-[A-Za-z0-9]*' "$OUT/leaves-behind/feedback.txt" | head -n 1)
    [ -n "$name" ] || fail "the shm object is not named"
    [ ! -e "/dev/shm/$name" ] || fail "/dev/shm/$name is still there"
}

@test "a_submission_cannot_read_the_solutions" {
    sandboxed || skip "the grader cannot sandbox here (not root, or no namespaces)"
    expect_total reads-the-solution 0
    grep -q "Permission denied" "$OUT/reads-the-solution/feedback.txt" ||
        fail "the compiler's 'Permission denied' is not shown"
}

@test "a_submission_cannot_write_outside_its_folder" {
    sandboxed || skip "the grader cannot sandbox here (not root, or no namespaces)"
    expect_total writes-outside-its-folder "$(full_marks)"
    [ "$(cat "$DECOY")" = "the grader's file" ] || fail "the grader's file was changed or deleted"
    [ ! -e "/tmp/lab01-hostile-${DECOY##*/}" ] || fail "a file was left in /tmp"
    grep -q "/tmp/lab01-hostile" "$OUT/writes-outside-its-folder/feedback.txt" ||
        fail "the file left in /tmp is not reported"
}

@test "no_process_of_the_batch_is_left_running" {
    local left
    local first last
    read -r first last < <(sed -n 's/^sandbox users: uids \([0-9]*\) to \([0-9]*\)$/\1 \2/p' \
        "$BATS_FILE_TMPDIR/batch.log") || true
    if [ -z "${first:-}" ]; then
        [ "$(id -u)" -ne 0 ] || fail "the batch does not say which users it ran as"
        skip "not root: the batch ran as $(id -un), with the other tests' processes"
    fi
    left=$(ps -eo uid=,args= | awk -v first="$first" -v last="$last" '$1 >= first && $1 <= last' || true)
    [ -z "$left" ] || fail "processes of the sandbox users are still running: $left"
}

@test "a_class_of_copies_grades_the_same_and_mutants_and_stubs_lose_their_points" {
    # grader/measure-class builds a class (solutions, stubs, mutants), grades it
    # with grade-all -j 2 and checks every score.
    # (On the Check tests: the programs' tests show nothing more here.)
    run grader/measure-class --students 3 --mix --labs 01 --tests '^(parse_|find_|classify_)'
    assert_success
    assert_output --regexp "reproducible: +yes"
}
