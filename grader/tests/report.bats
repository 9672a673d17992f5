#!/usr/bin/env bats
# report.bats - the instructor's tools after grade-all: grader/similarity (pairs
# of submissions whose student-written code is alike) and grader/class-report
# (one page about the class), the page checked in a headless Chromium.
#
# The fixtures (grader/tests/fixtures/report): project/ is a cut-down lab 01
# (its stub maps.c with two TODO regions and some given code, and lab.json);
# submissions/ holds the students' maps.c: ada's, ben's (ada's with other
# names, comments and layout), chloe's and dmitri's (each written on its own),
# grace's (dmitri's with other names and the TODO markers deleted);
# partial-copy/ is chloe's maps_parse_line with ada's maps_find. emma and farid
# hand in the stub as it is. make-class makes up grade-all's output for a
# class of the same names (class.json).

load ../lib/assertions

ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
FIXTURES=$ROOT/grader/tests/fixtures/report
LAB=01-memory-layout
# A name a spreadsheet would run as a formula, and a page as markup.
HOSTILE='=1+2,"><img src=x onerror=alert(1)>'

# The browser the page is checked in, as the brief for it says.
browser() {
    local sandbox=()
    [ "$(id -u)" -eq 0 ] && sandbox=(--no-sandbox)
    chromium --headless "${sandbox[@]}" --disable-gpu --no-first-run --disable-background-networking \
        --disable-component-update --disable-sync --hide-scrollbars \
        --user-data-dir="$(mktemp -d "$BATS_FILE_TMPDIR/chromium.XXXXXX")" "$@" 2>/dev/null
}

# similarity_row A B: "RANK FLAGGED SIMILARITY" from the row of similarity.csv
# for students A and B (a name that starts as a formula has a quote before it).
similarity_row() {
    jq -R -s -r -L "$ROOT/grader/lib/report" --arg a "$1" --arg b "$2" 'include "csv"; csv_rows
        | .[0] as $head | .[1:][] | map(if test("^\\x27[-=+@\t\r]") then .[1:] else . end)
        | [$head, .] | transpose | map({key: .[0], value: .[1]}) | from_entries
        | select((.student_a == $a and .student_b == $b) or (.student_a == $b and .student_b == $a))
        | "\(.rank) \(.flagged) \(.similarity)"' "$OUT/similarity.csv"
}

setup_file() {
    cd "$ROOT" || return 1
    export CLASS=$BATS_FILE_TMPDIR/class OUT=$BATS_FILE_TMPDIR/out
    mkdir -p "$CLASS"
    cp -R "$FIXTURES"/submissions/. "$CLASS/"
    cp -R "$FIXTURES/partial-copy" "$CLASS/$HOSTILE"
    mkdir -p "$CLASS/emma"
    cp -R "$FIXTURES/project/labs/$LAB" "$CLASS/emma/"
    tar -czf "$CLASS/farid.tar.gz" -C "$CLASS/emma" "$LAB"

    "$FIXTURES/make-class" "$OUT"
    grader/similarity "$CLASS" --project "$FIXTURES/project" --out "$OUT" >"$BATS_FILE_TMPDIR/similarity.log"
    grader/class-report "$OUT" >"$BATS_FILE_TMPDIR/report.log"

    # The page as the browser made it, sorted by the highest total first, and
    # what it looks like.
    browser --window-size=1280,4200 --screenshot="$BATS_FILE_TMPDIR/report.png" \
        --dump-dom "file://$OUT/report.html#sort=total:desc" >"$BATS_FILE_TMPDIR/dom.html"

    # A class without similarity results, graded before results.json had
    # extra_data (ada's results).
    export PLAIN=$BATS_FILE_TMPDIR/plain
    "$FIXTURES/make-class" "$PLAIN"
    jq 'del(.tests[].extra_data)' "$PLAIN/ada/results.json" >"$PLAIN/ada.json"
    mv "$PLAIN/ada.json" "$PLAIN/ada/results.json"
    grader/class-report "$PLAIN" >"$BATS_FILE_TMPDIR/plain.log"
}

# ------------------------------------------------------------------ similarity

@test "similarity_ranks_a_copy_with_renamed_variables_first" {
    run similarity_row ada ben
    assert_output --regexp '^1 yes (9[5-9]|100)$'
}

@test "similarity_does_not_flag_solutions_written_independently" {
    local pair a b
    for pair in "ada chloe" "ada dmitri" "chloe dmitri"; do
        read -r a b <<<"$pair"
        run similarity_row "$a" "$b"
        assert_success
        [[ "$output" != *yes* ]] || fail "$pair wrote their maps.c each on their own, yet similarity.csv flags them: $output"
    done
}

@test "similarity_does_not_flag_stubs_with_nothing_filled_in" {
    run grep -E 'emma|farid' "$OUT/similarity.csv"
    assert_failure 1
    assert_output ''
}

@test "similarity_finds_a_copy_whose_TODO_markers_were_deleted" {
    run similarity_row dmitri grace
    assert_output --regexp '^2 yes (9[0-9]|100)$'
}

@test "similarity_finds_a_copy_of_one_function_from_each_of_two_students" {
    run similarity_row "$HOSTILE" chloe
    assert_output --regexp '^[0-9]+ yes '
    run similarity_row "$HOSTILE" ada
    assert_output --regexp '^[0-9]+ yes '
}

@test "similarity_writes_a_csv_that_a_spreadsheet_reads_as_plain_text" {
    run head -n 1 "$OUT/similarity.csv"
    assert_output '"rank","lab","student_a","student_b","similarity","percent_a","percent_b","matched_tokens","tokens_a","tokens_b","longest_passage","flagged"'
    # Every field is quoted; the hostile name is kept whole, behind a quote mark.
    run grep -F "\"'=1+2,\"\"><img src=x onerror=alert(1)>\"" "$OUT/similarity.csv"
    assert_success
    # Every row has its 12 fields, and no field starts as a formula would.
    run jq -R -s -r -L grader/lib/report 'include "csv"; csv_rows
        | map("\(length) fields, \(map(select(test("^[-=+@\t\r]"))) | length) formulas") | unique[]' \
        "$OUT/similarity.csv"
    assert_output '12 fields, 0 formulas'
}

@test "similarity_shows_the_matching_passages_with_the_students_line_numbers" {
    run jq -r '.pairs[0] | "\(.student_a) \(.student_b) \(.runs | length)"' "$OUT/similarity.json"
    assert_output 'ada ben 1'
    # Each line of a passage is the student's line of that number.
    run jq -r --rawfile a "$CLASS/ada/$LAB/maps.c" --rawfile b "$CLASS/ben/$LAB/maps.c" '
        .pairs[0].runs[0] as $run
        | [["a", $a], ["b", $b]][] as [$side, $text] | ($text | split("\n")) as $lines
        | $run[$side][] | select(.file != "maps.c" or .text != $lines[.line - 1])
        | "\($side): line \(.line) is not \(.text)"' "$OUT/similarity.json"
    assert_output ''
    run jq -r '.pairs[0].runs[0].a[].text' "$OUT/similarity.json"
    assert_output --partial 'sscanf(line, "%lx-%lx'
    refute_output --partial 'maps_print'
}

@test "similarity_compares_only_the_lines_the_student_wrote" {
    local stub=$FIXTURES/project/labs/$LAB/maps.c
    # The stub with nothing filled in: nothing is the student's.
    run awk -v map=/dev/null -f grader/lib/similarity/student-code.awk maps.c "$stub" "$stub"
    assert_success
    run grep -c . <<<"$output"
    assert_output 0
    # chloe's: her helper (outside the regions) and her code in them, not the
    # given maps_print, the TODO comments or the markers.
    awk -v map=/dev/null -f grader/lib/similarity/student-code.awk maps.c "$stub" \
        "$FIXTURES/submissions/chloe/$LAB/maps.c" >"$BATS_TEST_TMPDIR/chloe.c"
    run cat "$BATS_TEST_TMPDIR/chloe.c"
    assert_output --partial 'static int take_number(const char **cursor'
    assert_output --partial 'fields[5] = strtoull(cursor'
    assert_output --partial 'if (fgets(buffer, sizeof buffer, maps) == NULL) {'
    refute_output --partial 'fprintf(out'
    refute_output --partial 'TODO'
    refute_output --partial '(void)'
    # Line numbers are the student's own.
    [ "$(wc -l <"$BATS_TEST_TMPDIR/chloe.c")" -eq "$(wc -l <"$FIXTURES/submissions/chloe/$LAB/maps.c")" ] ||
        fail "the lines are not the student's: $(wc -l <"$BATS_TEST_TMPDIR/chloe.c") lines for $(wc -l <"$FIXTURES/submissions/chloe/$LAB/maps.c")"
}

@test "similarity_reads_no_file_through_a_link" {
    local class=$BATS_TEST_TMPDIR/class secret=$BATS_TEST_TMPDIR/secret.c
    mkdir -p "$class"
    cp -R "$FIXTURES/submissions/ada" "$FIXTURES/submissions/ben" "$class/"
    printf 'int secret_of_the_grader(void) { return 42 + 42 + 42 + 42 + 42 + 42 + 42 + 42 + 42 + 42; }\n' >"$secret"
    rm "$class/ben/$LAB/maps.c"
    ln -s "$secret" "$class/ben/$LAB/maps.c"
    mkdir -p "$class/carl"
    ln -s "$FIXTURES/submissions/ada/$LAB" "$class/carl/$LAB"
    run grader/similarity "$class" --project "$FIXTURES/project" --out "$BATS_TEST_TMPDIR/out"
    assert_success
    run grep -rl secret_of_the_grader "$BATS_TEST_TMPDIR/out"
    assert_output ''
    run grep -c . "$BATS_TEST_TMPDIR/out/similarity.csv"
    assert_output 1
}

@test "similarity_rejects_bad_usage" {
    run grader/similarity
    assert_failure 2
    assert_output --partial 'Usage: grader/similarity SUBMISSIONS'
    run grader/similarity "$CLASS" --min-percent lots
    assert_failure 2
    assert_output --partial 'needs a whole number'
    run grader/similarity "$BATS_TEST_TMPDIR/nowhere"
    assert_failure 2
    assert_output --partial "no folder"
    run grader/similarity --help
    assert_success
    assert_output --partial 'Only what the student wrote is compared'
}

# ------------------------------------------------------------------ class-report

@test "class_report_is_one_page_that_needs_nothing_else" {
    # Nothing to fetch: no element that loads a file, no address, no CSS import.
    run grep -Eio '<(link|iframe|img|object|embed|audio|video|source)[ >]|<[^>]*\s(src|srcset)=|href="(https?:)?//|url\(|@import' \
        "$OUT/report.html"
    assert_output ''
    run grep -c '<script' "$OUT/report.html"
    assert_output 1
    run grep -c '<svg' "$OUT/report.html"
    assert_output 1
    run grep -c '<?xml' "$OUT/report.html"
    assert_output 0
}

@test "class_report_renders_in_a_headless_browser" {
    run head -c 8 "$BATS_FILE_TMPDIR/report.png"
    assert_output --partial PNG
    [ "$(stat -c %s "$BATS_FILE_TMPDIR/report.png")" -gt 100000 ] || fail "the screenshot is nearly empty"
    run grep -c '<svg' "$BATS_FILE_TMPDIR/dom.html"
    assert_output 1
    # REPORT_SCREENSHOT=FILE keeps a copy to look at.
    [ -z "${REPORT_SCREENSHOT:-}" ] || cp "$BATS_FILE_TMPDIR/report.png" "$REPORT_SCREENSHOT"
}

@test "class_report_table_gives_the_figures_of_grades_csv" {
    # grades.csv, as the table should show it: a cell per lab, total, max, %.
    jq -R -s -r -L grader/lib/report 'include "csv"; csv_rows | .[1:][]
        | (.[-2] | tonumber? // null) as $total | (.[-1] | tonumber) as $max
        | [(.[0] | gsub("\n"; "↵"))] + .[1:]
          + [if $total == null then "–" else (100 * $total / $max | round | tostring) end]
        | join("\t")' "$OUT/grades.csv" >"$BATS_TEST_TMPDIR/expected"
    # The browser's table: every cell but the notes, text only.
    # A row: the name, the labs, total, max and % (grades.csv has no %).
    local columns dashes=()
    columns=$(($(head -n 1 "$OUT/grades.csv" | tr -cd , | wc -c) + 2))
    while [ ${#dashes[@]} -lt "$columns" ]; do dashes+=(-); done
    xmllint --html --xpath '//table[@id="students-table"]/tbody/tr/td[not(@class="notes")]' \
            "$BATS_FILE_TMPDIR/dom.html" 2>/dev/null |
        sed -e 's/<[^>]*>//g' -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&quot;/"/g' -e 's/&amp;/\&/g' |
        paste -d '\t' "${dashes[@]}" >"$BATS_TEST_TMPDIR/table"
    run diff <(sort "$BATS_TEST_TMPDIR/expected") <(sort "$BATS_TEST_TMPDIR/table")
    assert_success
    [ "$(wc -l <"$BATS_TEST_TMPDIR/table")" -eq 16 ] || fail "expected 16 students in the table"
}

@test "class_report_sorts_the_students_by_any_column" {
    # #sort=total:desc: highest total first, the student who could not be graded last.
    run jq -R -s -r -L grader/lib/report 'include "csv"; [csv_rows | .[1:][] | .[-2]]
        | (map(tonumber? // empty) | sort | reverse | map(tostring)) + map(select((tonumber? // null) == null))
        | join(" ") + " "' "$OUT/grades.csv"
    local expected=$output
    [[ "$expected" == *" error " ]] || fail "expected totals and one error, not: $expected"
    run bash -c "xmllint --html --xpath '//table[@id=\"students-table\"]/tbody/tr/td[8]' '$BATS_FILE_TMPDIR/dom.html' 2>/dev/null |
        sed 's/<[^>]*>//g' | tr '\n' ' '"
    assert_output "$expected"
    run grep -o 'data-key="total" aria-sort="descending"\|aria-sort="descending"[^>]*data-key="total"' \
        "$BATS_FILE_TMPDIR/dom.html"
    assert_success
}

@test "class_report_escapes_every_name" {
    # In the page: the names as text, never as markup.
    run grep -c 'onerror=alert(1)>' "$OUT/report.html"
    assert_output 0
    run grep -c '&lt;img src=x onerror=alert(1)&gt;' "$OUT/report.html"
    refute_output 0
    run grep -c '<script>alert' "$OUT/report.html"
    assert_output 0
    run grep -c 'Hara &amp; &quot;Sons&quot; &lt;script&gt;alert(2), Ltd' "$OUT/report.html"
    refute_output 0
    # In the browser: no element came from a name, and the link is percent-encoded.
    run grep -Eo '<img|onerror="' "$BATS_FILE_TMPDIR/dom.html"
    assert_output ''
    run grep -c '<script' "$BATS_FILE_TMPDIR/dom.html"
    assert_output 1
    run grep -o 'href="%3D1%2B2%2C%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E/feedback.txt"' "$OUT/report.html"
    assert_success
    run grep -c 'two↵lines' "$OUT/report.html"
    refute_output 0
}

@test "class_report_links_each_name_to_the_students_feedback" {
    local href
    while IFS= read -r href; do
        href=$(printf '%b' "${href//%/\\x}")
        [ -f "$OUT/$href" ] || fail "the page links to $href, which is not in $OUT"
    done < <(grep -o 'href="[^"#][^"]*"' "$OUT/report.html" | sed 's/^href="//; s/"$//; s/&amp;/\&/g')
    run grep -c 'href="ada/feedback.txt"' "$OUT/report.html"
    refute_output 0
}

@test "class_report_lists_the_tests_by_pass_rate_worst_first" {
    run bash -c "xmllint --html --xpath '//table[@class=\"rates\"]/tbody/tr/td[1]' '$BATS_FILE_TMPDIR/dom.html' 2>/dev/null |
        sed 's/<[^>]*>//g; s/ %//'"
    assert_success
    [ "${#lines[@]}" -eq 24 ] || fail "expected the 24 tests of class.json, found ${#lines[@]}"
    sort -n -c <<<"$output" || fail "the pass rates are not in increasing order: ${lines[*]}"
    # The worst: the test the fewest students passed (counted from the
    # results.json files here), with its section and title.
    run jq -s -r '[.[].tests[] | select(.extra_data.kind == "test")] | group_by(.name)
        | map({test: .[0].extra_data.test, section: .[0].extra_data.section, title: .[0].extra_data.title,
               passed: map(select(.status == "passed")) | length, ran: length})
        | min_by(.passed / .ran) | "\(.test)\t§\(.section) \(.title)\t\(.passed) / \(.ran)"' "$OUT"/*/results.json
    local test section count
    IFS=$'\t' read -r test section count <<<"$output"
    run bash -c "xmllint --html --xpath 'string(//table[@class=\"rates\"]/tbody/tr[1])' '$BATS_FILE_TMPDIR/dom.html' 2>/dev/null"
    assert_output --partial "$test"
    assert_output --partial "$section"
    assert_output --partial "$count"
}

@test "class_report_shows_what_each_student_left_behind_or_is_flagged_for" {
    run bash -c "xmllint --html --xpath '//table[@class=\"flags\"]/tbody/tr/td[position() < 4]' \
        '$BATS_FILE_TMPDIR/dom.html' 2>/dev/null | sed 's/<[^>]*>//g' | paste -d ' ' - - -"
    assert_output "=1+2,\"&gt;&lt;img src=x onerror=alert(1)&gt; 01-memory-layout for review
dmitri 04-shared-memory left behind
ines 03-message-queues for review
lena 05-pipes left behind"
    run grep -c 'did not compile: 05, 06' "$OUT/report.html"
    assert_output 1
}

@test "class_report_shows_the_similar_pairs_with_their_passages" {
    run bash -c "xmllint --html --xpath 'string(//section[@id=\"similarity\"]//details[1]/summary)' '$BATS_FILE_TMPDIR/dom.html' 2>/dev/null"
    assert_output --regexp '^1 ada and ben, 01-memory-layout: (9[5-9]|100) % alike'
    run grep -c 'sscanf(line, &quot;%lx-%lx' "$OUT/report.html"
    refute_output 0
    run grep -c 'similar code: 01' "$OUT/report.html"
    refute_output 0
}

@test "class_report_without_similarity_results_has_no_such_section" {
    run grep -c 'id="similarity"' "$PLAIN/report.html"
    assert_output 0
    run grep -c 'similar code' "$PLAIN/report.html"
    assert_output 0
}

@test "class_report_reads_results_written_before_extra_data" {
    # ada's entries count, as tests of the lab their name starts with: the 15
    # students who were graded passed this one.
    run bash -c "xmllint --html --xpath 'string(//table[@class=\"rates\"]/tbody/tr[td[4]=\"parse_reads_start_and_end_as_hex\"])' \
        '$PLAIN/report.html' 2>/dev/null"
    assert_output --partial '15 / 15'
    assert_output --partial '§3.2 Parsing one line'
}

@test "class_report_rejects_bad_usage" {
    run grader/class-report
    assert_failure 2
    assert_output --partial 'Usage: grader/class-report DIR'
    run grader/class-report "$BATS_TEST_TMPDIR"
    assert_failure 2
    assert_output --partial 'no '
    assert_output --partial 'grades.csv'
    run grader/class-report --help
    assert_success
    assert_output --partial 'The page stands alone'
}
