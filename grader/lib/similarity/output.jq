# output.jq - the similarity results: as JSON (with the matching passages,
# for the class report) or as CSV (for a spreadsheet).
#
# jq -n -r --slurpfile pairs PAIRS --rawfile passages PASSAGES
#    --argjson settings SETTINGS --arg format json|csv -f output.jq
#   PAIRS     what pairs.jq printed
#   PASSAGES  what passages.awk printed, for the IDs "RANK RUN a|b"
#   SETTINGS  {submissions, labs, min_percent, min_tokens, min_passage}: the
#             JSON is SETTINGS with the pairs added

def lines_of($id; $by_id): $by_id[$id] // [];

# A cell that a spreadsheet would run as a formula gets a leading quote.
def cell: tostring | if test("\\A[-=+@\t\r]") then "'" + . else . end;

($passages | split("\n") | map(select(. != "") | split("\t")
   | {id: .[0], file: .[1], line: (.[2] | tonumber), text: (.[3:] | join("\t"))})
 | group_by(.id) | map({key: .[0].id, value: map(del(.id))}) | from_entries) as $by_id
| $pairs[0]
| if $format == "csv" then
      (["rank", "lab", "student_a", "student_b", "similarity", "percent_a", "percent_b",
        "matched_tokens", "tokens_a", "tokens_b", "longest_passage", "flagged"] | @csv),
      (.[] | [.rank, .lab, .student_a, .student_b, .similarity, .percent_a, .percent_b,
              .matched, .tokens_a, .tokens_b, .longest, (if .flagged then "yes" else "no" end)]
           | map(cell) | @csv)
  else
      $settings + {pairs: map(del(.ia, .ib) | .rank as $rank
          | .runs |= (to_entries | map(.key as $run | .value
              | {tokens,
                 a: lines_of("\($rank) \($run) a"; $by_id),
                 b: lines_of("\($rank) \($run) b"; $by_id)})))}
  end
