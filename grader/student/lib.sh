# shellcheck shell=bash
# lib.sh - what the students' commands (watch, status, hint, handin) share:
# a lab's results from the one engine, grader/grade, graded again only when the
# lab's files or the grader changed, and the facts read from a results file.
# Sourced, not run on its own.

# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
# shellcheck source=../lib/manifest.sh
source "$GRADER_DIR/lib/manifest.sh"

# Where results, logs and hint levels are kept between commands.
STATE_DIR=${STUDENT_STATE_DIR:-$ROOT_DIR/build/student}

# fingerprint SRC LAB [REGEX]: a hash that changes when a file of the lab
# changes (editor swap and backup files aside), when the grader changes, or
# with the test filter.
fingerprint() {
    local src=$1 lab=$2 regex=${3:-}
    {
        echo "src=$src tests=$regex"
        # (A lab folder that is not there has no files: find's complaint is no failure.)
        { find "$src/$lab" "$GRADER_DIR/$lab" "$GRADER_DIR/lib" "$GRADER_DIR/grade" "$ROOT_DIR/handouts/$lab.md" -type f \
            ! -name '*~' ! -name '.*.sw?' ! -name '.#*' ! -name '4913' -print0 2>/dev/null || true; } |
            sort -z | xargs -0 -r sha256sum
    } | sha256sum | cut -d ' ' -f 1
}

# state_dir: STATE_DIR when this user can write what is in it; else (it was
# made by another user: root in a container, or the host) a private folder of
# this user's, after saying so: a result that cannot be kept must not be
# shown again later as if it were new.
state_dir() {
    local file
    if mkdir -p "$STATE_DIR" 2>/dev/null && [ -w "$STATE_DIR" ]; then
        for file in "$STATE_DIR"/* "$STATE_DIR"/.[!.]*; do
            [ ! -e "$file" ] || [ -w "$file" ] || { unwritable_state "$file"; return; }
        done
        echo "$STATE_DIR"
        return
    fi
    unwritable_state "$STATE_DIR"
}

unwritable_state() {
    local owner private
    owner=$(stat -c %U "$1" 2>/dev/null || echo another user)
    echo "note: ${1#"$ROOT_DIR"/} belongs to $owner, not to you: results are graded afresh and not kept." >&2
    echo "      To keep them again: sudo chown -R $(id -un) ${STATE_DIR#"$ROOT_DIR"/} (or delete it)." >&2
    private="${TMPDIR:-/tmp}/linux-ipc-labs-state-$(id -u)"
    mkdir -p "$private"
    chmod 700 "$private"
    echo "$private"
}

# fresh_results SRC LAB [REGEX]: grade LAB of SRC unless the results of the same
# files are at hand; print the path of the results file, STATE_DIR/LAB.json
# (LAB.only.json for some of the tests). grade's report goes beside it, in
# LAB.log (LAB.only.log). Fails only when grade wrote no results. A result
# is never older than the files it grades: when it cannot be kept, the
# fresh one is printed all the same, and the old one is not used again.
# Call it as $(fresh_results ...): its traps are then its own.
fresh_results() {
    local src=$1 lab=$2 regex=${3:-} name=$2 key json log tmp status=0 filter=() dir
    src=$(cd "$src" && pwd)
    [ -z "$regex" ] || name=$lab.only
    dir=$(state_dir)
    json="$dir/$name.json"
    log="$dir/$name.log"
    key=$(fingerprint "$src" "$lab" "$regex")
    if [ -f "$json" ] && [ "$(cat "$dir/$name.key" 2>/dev/null)" = "$key" ] &&
       [ -z "$(find "$src/$lab" -newer "$json" -type f -print -quit 2>/dev/null)" ]; then
        echo "$json"
        return 0
    fi
    [ -n "$regex" ] && filter=(--tests "$regex")
    rm -f "$dir/$name.key"      # (the old results no longer count)
    tmp=$(mktemp "$dir/.$name.XXXXXX")
    # Stopped (Ctrl-C) while grading: leave no half-written results.
    partial_results=$tmp
    trap 'rm -f "$partial_results"' EXIT
    trap 'exit 130' INT TERM
    NO_COLOR=1 "$GRADER_DIR/grade" --src "$src" --results "$tmp" "${filter[@]}" "$lab" \
        >"$log" 2>&1 </dev/null || status=$?
    if [ "$status" -gt 1 ] || [ ! -s "$tmp" ]; then
        rm -f "$tmp"
        echo "grader/grade could not grade $lab (status $status). It said:" >&2
        tail -n 20 "$log" >&2
        return 1
    fi
    mv "$tmp" "$json"
    echo "$key" >"$dir/$name.key"
    echo "$json"
}

# grade_labs_at_once SRC RESULTS LAB...: grade each LAB of SRC (fresh_results)
# in the background, several labs at once where each run has namespaces of its
# own (elsewhere their leftover checks would take each other's System V objects
# for their own). A lab's results path goes to RESULTS/LAB.path, its messages to
# RESULTS/LAB.err and, whatever happens, its status to RESULTS/LAB.status,
# which results_of_lab waits for.
grade_labs_at_once() {
    local src=$1 results=$2 lab at_once=1
    shift 2
    namespaces_permitted && at_once=$(nproc)
    for lab in "$@"; do
        while [ "$(jobs -rp | wc -l)" -ge "$at_once" ]; do wait -n || true; done
        (lab_status=0
         fresh_results "$src" "$lab" >"$results/$lab.path" 2>"$results/$lab.err" || lab_status=$?
         echo "$lab_status" >"$results/$lab.status") &
    done &
}

# results_of_lab RESULTS LAB: wait for LAB's grading (grade_labs_at_once), pass
# on its messages and print the path of its results; fails when it could not
# be graded.
results_of_lab() {
    local results=$1 lab=$2
    until [ -s "$results/$lab.status" ]; do sleep 0.1; done
    cat "$results/$lab.err" >&2
    [ "$(cat "$results/$lab.status")" -eq 0 ] || return 1
    cat "$results/$lab.path"
}

# tests_of JSON LAB: one line per test of the lab, in order:
# NAME<TAB>STATUS<TAB>SCORE<TAB>MAX, STATUS passed, failed or skipped (a test
# that cannot run here, say without a privilege). Entries that are not tests
# (what was left behind, ignored files, the build) are not listed.
tests_of() {
    jq -r --arg lab "$2" \
        '.tests[] | select(.extra_data.lab == $lab and .extra_data.kind == "test") |
         [.extra_data.test,
          (if .extra_data.outcome == "skip" then "skipped" else .status end),
          .score, .max_score] | @tsv' "$1"
}

# output_of JSON LAB TEST: what the test said (its message, then "hint: ...").
output_of() {
    jq -r --arg lab "$2" --arg test "$3" \
        '.tests[] | select(.extra_data.lab == $lab and .extra_data.test == $test) | .output' \
        "$1" | sed '${/^$/d}'
}

# note_of JSON LAB KIND: the text of the lab's entry of that kind (leftover,
# build, ignored, review), if there is one.
note_of() {
    jq -r --arg lab "$2" --arg kind "$3" \
        '.tests[] | select(.extra_data.lab == $lab and .extra_data.kind == $kind) | .output' \
        "$1" | sed '${/^$/d}'
}

# left_behind_of JSON LAB: what the lab's tests left behind, if anything.
left_behind_of() {
    note_of "$1" "$2" leftover
}

# does_not_compile JSON LAB: true when the engine reported that the lab does not
# compile (or that the submission has no folder for it).
does_not_compile() {
    jq -e --arg lab "$2" \
        'any(.tests[]; .extra_data.lab == $lab and .extra_data.kind == "build")' "$1" >/dev/null
}

# section_of JSON LAB TEST: the handout section of a test, as "§3.4 Title"
# and the test's own hint in parentheses.
section_of() {
    jq -r --arg lab "$2" --arg test "$3" \
        '.tests[] | select(.extra_data.lab == $lab and .extra_data.test == $test) |
         .extra_data | "§\(.section) \(.title)" + (if .hint != "" then " (\(.hint))" else "" end)' "$1"
}

# fit LINE: cut LINE to the terminal's width when printing to a terminal.
fit() {
    local width=${COLUMNS:-}
    if [ -t 1 ]; then
        [ -n "$width" ] || width=$(tput cols 2>/dev/null || echo 80)
        if [ "${#1}" -gt "$width" ]; then
            printf '%s…\n' "${1:0:$((width - 1))}"
            return
        fi
    fi
    printf '%s\n' "$1"
}
