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

# read_outcome VERDICT MESSAGE_FILE VARIABLE: set VARIABLE to pass, fail,
# skip, timeout, crash, missing, duplicate, not-built or not-run (the messages
# are Check's and Bats' own, or the grader's). (No subshell: once a test.)
# shellcheck disable=SC2034 # outcome_into is the caller's variable
read_outcome() {
    local lines=() line
    local -n outcome_into=$3
    outcome_into=$1
    [ "$1" = fail ] || return 0
    mapfile -t -n 5 lines <"$2"
    for line in ${lines[@]+"${lines[@]}"}; do
        case "$line" in
            "Test timeout expired"*|"timed out"*) outcome_into=timeout; return ;;
            "Received signal"*|"(after this point) Received signal"*) outcome_into=crash; return ;;
        esac
    done
}

# score_lab LAB DIR BUILT TESTS_FILE JSONL: score the tests listed in
# TESTS_FILE (lines of lab_tests) from DIR/res; print a line per test and
# append an entry per test to JSONL (one jq for them all). LAB_SCORE and
# LAB_MAX are then the sums of their points (the lab's score and maximum:
# its other entries are worth 0).
score_lab() {
    local lab=$1 dir=$2 built=$3 tests=$4 jsonl=$5 number=$((10#${1%%-*}))
    local name points section suite hint index=0 number_title
    local verdict outcome out got status max title fields="$dir/fields.tsv" private
    local -A titles=() private_suite=()
    local -a messages=()
    LAB_SCORE=0 LAB_MAX=0
    if [ -n "${GRADER_EXTRA_DIR:-}" ]; then
        while read -r suite; do private_suite[$suite]=1; done < <(private_suites "$lab")
    fi
    while IFS=$'\t' read -r section number_title; do
        titles[$section]=$number_title
    done < <(section_titles "$lab")
    : >"$fields"
    while IFS=$'\t' read -r name points section suite _ hint; do
        index=$((index + 1))
        out="$dir/res/$name.out"
        : >>"$out"
        if [ "$built" -eq 1 ]; then
            read_verdict "$dir" "$name" verdict
        else
            verdict=not-built
            echo "the lab does not compile (see its first entry): no test can run" >"$out"
        fi
        [ "$verdict" != missing ] || [ ! -e "$dir/res/$name.not-run" ] || verdict=not-run
        case "$verdict" in
            not-run) echo "not run: --first-failure stopped the lab at an earlier failing test" >>"$out" ;;
            missing) echo "the test did not run: its suite crashed, timed out or never reached it" >>"$out"
                # (The watcher of the sandbox killed the suite's processes: say why.)
                [ ! -s "$dir/log/flood" ] || head -n 1 "$dir/log/flood" >>"$out" ;;
            duplicate) echo "the test reported more than one result: does the code under test write to the grader's descriptors?" >>"$out" ;;
        esac
        read_outcome "$verdict" "$out" outcome
        title=${titles[$section]:-}
        got=0 status=failed max=$points
        private=${private_suite[$suite]:+1}
        if [ -n "$private" ]; then
            # A private test: counted, but neither named nor explained here.
            [ "$verdict" != pass ] || got=$points
            [ "$verdict" != skip ] || max=0
            [ "$verdict" != pass ] && [ "$verdict" != skip ] || status=passed
            printf '  %sPRIV%s %3d/%-3d (a private test: shown when the grades are published)\n' \
                "$YELLOW" "$PLAIN" "$got" "$max"
            LAB_SCORE=$((LAB_SCORE + got)) LAB_MAX=$((LAB_MAX + max))
            printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$number.$index" "$got" "$max" \
                "$status" "$section" "$title" "$outcome" "$suite" "$hint" private >>"$fields"
            messages+=(--rawfile "m$index" "$out")
            continue
        fi
        case "$verdict" in
            pass) got=$points status=passed
                  printf '  %sPASS%s %3d/%-3d %s\n' "$GREEN" "$PLAIN" "$got" "$points" "$name" ;;
            skip) max=0 status=passed
                  printf '  %sSKIP%s   -/%-3d %s\n' "$YELLOW" "$PLAIN" "$points" "$name"
                  show_message "$out" ;;
            *)    printf '  %sFAIL%s %3d/%-3d %s\n' "$RED" "$PLAIN" "$got" "$points" "$name"
                  echo "hint: ${HANDOUT_PREFIX:-handouts/}$lab.md §$section $title${hint:+ ($hint)}" >>"$out"
                  # Without a build, the compiler's errors are shown once, above.
                  [ "$built" -eq 0 ] || show_message "$out" ;;
        esac
        LAB_SCORE=$((LAB_SCORE + got)) LAB_MAX=$((LAB_MAX + max))
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n' "$name" "$number.$index" "$got" "$max" \
            "$status" "$section" "$title" "$outcome" "$suite" "$hint" >>"$fields"
        messages+=(--rawfile "m$index" "$out")
    done <"$tests"
    [ "$index" -gt 0 ] || return 0
    jq -cn --arg lab "$lab" --rawfile fields "$fields" "${messages[@]}" '
        $fields | split("\n")[] | select(length > 0) | split("\t") |
        {name: "\($lab): \(.[0])", number: .[1], score: (.[2] | tonumber),
         max_score: (.[3] | tonumber), status: .[4],
         output: $ARGS.named["m" + (.[1] | split(".")[1])],
         extra_data: ({lab: $lab, test: .[0], kind: "test", section: .[5], title: .[6],
                       hint: (.[9] // ""), outcome: .[7], suite: .[8]}
                      + (if .[7] == "skip" then {skipped: true} else {} end)
                      + (if .[10] == "private" then {private: true} else {} end))}
        + if .[10] == "private" then {visibility: "after_published"} else {} end' >>"$jsonl"
}

# Print a message indented under its test; long output is cut.
show_message() {
    local lines=() line count=0
    mapfile -t lines <"$1"
    for line in "${lines[@]}"; do
        count=$((count + 1))
        [ "$count" -le 20 ] || break
        printf '               %s\n' "${line:0:300}"
    done
    [ "${#lines[@]}" -le 20 ] || echo "               ... ($((${#lines[@]} - 20)) more lines in results.json)"
}
