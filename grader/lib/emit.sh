# shellcheck shell=bash
# emit.sh - write a run's results: Gradescope's results.json, and the same
# results as TAP, JUnit XML or Autolab's scores line.
# Sourced after common.sh.

# write_results JSONL FILE: results.json from the entries, with the total and
# each lab's score and maximum under extra_data.labs.
write_results() {
    [[ $2 != */* ]] || [ -d "${2%/*}" ] || mkdir -p "${2%/*}"
    jq -s '{score: (map(.score) | add // 0), max_score: (map(.max_score) | add // 0),
            extra_data: {labs: (reduce .[] as $t ({};
                .[$t.extra_data.lab].score += $t.score
                | .[$t.extra_data.lab].max_score += $t.max_score
                | if $t.extra_data.private then
                      .[$t.extra_data.lab].private_score += $t.score
                      | .[$t.extra_data.lab].private_max_score += $t.max_score
                  else . end))},
            tests: .}' "$1" >"$2"
}

# write_tap RESULTS FILE
write_tap() {
    jq -r '"1..\(.tests | length)",
        (.tests | to_entries[] |
            "\(if .value.status == "passed" then "ok" else "not ok" end) \(.key + 1) - \(.value.name)",
            (.value.output | split("\n")[] | select(length > 0) | "# " + .))' "$1" >"$2"
}

# write_junit RESULTS FILE: one testsuite per lab.
write_junit() {
    jq -r '"<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
        "<testsuites tests=\"\(.tests | length)\" failures=\"\([.tests[] | select(.status == "failed")] | length)\">",
        (.tests | group_by(.extra_data.lab)[] |
            "  <testsuite name=\"\(.[0].extra_data.lab | @html)\" tests=\"\(length)\" failures=\"\([.[] | select(.status == "failed")] | length)\">",
            (.[] | "    <testcase classname=\"\(.extra_data.lab | @html)\" name=\"\(.name | split(": ")[1:] | join(": ") | @html)\">"
                 + (if .status == "failed"
                    then "<failure message=\"\(.score)/\(.max_score) points\">\(.output | @html)</failure>"
                    else "" end)
                 + "</testcase>"),
            "  </testsuite>"),
        "</testsuites>"' "$1" >"$2"
}

# autolab_line RESULTS: {"scores": {"01-memory-layout": 87, ...}}
autolab_line() {
    jq -c '{scores: (.extra_data.labs | map_values(.score))}' "$1"
}
