# shellcheck shell=bash
# score.sh - turn a lab's recorded results into entries of results.json (one
# JSON object per line) and the lines a person reads. Every entry carries its
# facts as fields under extra_data (lab, test, kind, section, title, hint,
# outcome), so that no tool has to read the sentences.
# Sourced after common.sh, manifest.sh and run.sh.

# json_entry NAME NUMBER SCORE MAX STATUS OUTPUT_FILE EXTRA_JSON
json_entry() {
    jq -cn --arg name "$1" --arg number "$2" --argjson score "$3" --argjson max "$4" \
        --arg status "$5" --rawfile output "$6" --argjson extra "$7" \
        '{name: $name, number: $number, score: $score, max_score: $max,
          status: $status, output: $output, extra_data: $extra}'
}

# note_entry LAB NUMBER KIND TITLE FILE: a 0-point entry that is not a test:
# kind build (the lab does not compile), leftover (what the tests left
# behind), review (code for the instructor to look at) or ignored (files the
# grader did not use).
note_entry() {
    local lab=$1 number=$2 kind=$3 title=$4 file=$5
    json_entry "$lab: $title" "$number" 0 0 failed "$file" \
        "$(jq -cn --arg lab "$lab" --arg kind "$kind" '{lab: $lab, kind: $kind}')"
}

# outcome_of VERDICT MESSAGE_FILE: pass, fail, skip, timeout, crash, missing,
# duplicate, not-built or not-run (the messages are Check's and Bats' own, or
# the grader's).
outcome_of() {
    case "$1" in
        fail)
            if grep -qE '^(Test timeout expired|timed out after)' "$2"; then
                echo timeout
            elif grep -qE '^(\(after this point\) )?Received signal' "$2"; then
                echo crash
            else
                echo fail
            fi ;;
        *) echo "$1" ;;
    esac
}

# score_lab LAB DIR BUILT TESTS_FILE JSONL: score the tests listed in
# TESTS_FILE (lines of lab_tests) from DIR/res; print a line per test and
# append an entry per test to JSONL.
score_lab() {
    local lab=$1 dir=$2 built=$3 tests=$4 jsonl=$5 number=$((10#${1%%-*}))
    local name points section suite hint index=0
    local verdict outcome out got status json_max title extra
    while IFS=$'\t' read -r name points section suite _ hint; do
        index=$((index + 1))
        out="$dir/res/$name.out"
        touch "$out"
        if [ "$built" -eq 1 ]; then
            verdict=$(verdict "$dir" "$name")
        else
            verdict=not-built
            echo "the lab does not compile (see its first entry): no test can run" >"$out"
        fi
        [ "$verdict" != missing ] || [ ! -e "$dir/res/$name.not-run" ] || verdict=not-run
        case "$verdict" in
            not-run) echo "not run: --first-failure stopped the lab at an earlier failing test" >>"$out" ;;
            missing) echo "the test did not run: its suite crashed, timed out or never reached it" >>"$out" ;;
            duplicate) echo "the test reported more than one result: does the code under test write to the grader's descriptors?" >>"$out" ;;
        esac
        outcome=$(outcome_of "$verdict" "$out")
        title=$(section_title "$lab" "$section")
        got=0 status=failed json_max=$points
        case "$verdict" in
            pass) got=$points status=passed
                  printf '  %sPASS%s %3d/%-3d %s\n' "$GREEN" "$PLAIN" "$got" "$points" "$name" ;;
            skip) json_max=0 status=passed
                  printf '  %sSKIP%s   -/%-3d %s\n' "$YELLOW" "$PLAIN" "$points" "$name"
                  show_message "$out" ;;
            *)    printf '  %sFAIL%s %3d/%-3d %s\n' "$RED" "$PLAIN" "$got" "$points" "$name"
                  echo "hint: ${HANDOUT_PREFIX:-handouts/}$lab.md §$section $title${hint:+ ($hint)}" >>"$out"
                  # Without a build, the compiler's errors are shown once, above.
                  [ "$built" -eq 0 ] || show_message "$out" ;;
        esac
        extra=$(jq -cn --arg lab "$lab" --arg test "$name" --arg section "$section" \
            --arg title "$title" --arg hint "$hint" --arg outcome "$outcome" --arg suite "$suite" \
            '{lab: $lab, test: $test, kind: "test", section: $section, title: $title,
              hint: $hint, outcome: $outcome, suite: $suite}
             + if $outcome == "skip" then {skipped: true} else {} end')
        json_entry "$lab: $name" "$number.$index" "$got" "$json_max" "$status" "$out" "$extra" >>"$jsonl"
    done <"$tests"
}

# Print a message indented under its test; long output is cut.
show_message() {
    local file=$1 lines
    lines=$(wc -l <"$file")
    head -n 20 "$file" | cut -c 1-300 | sed 's/^/               /'
    [ "$lines" -le 20 ] || echo "               ... ($((lines - 20)) more lines in results.json)"
}
