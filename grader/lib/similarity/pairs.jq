# pairs.jq - rank the pairs of students whose code of a lab is alike.
#
# jq -n --rawfile runs RUNS --argjson names NAMES --argjson min_percent P
#    --argjson min_tokens N --argjson min_passage L -f pairs.jq
#   RUNS   what sim-runs.awk printed for every lab, each line prefixed with
#          "LAB<tab>"
#   NAMES  the students' names, by number
# Prints one JSON array of pairs, most alike first. For a pair, matched is the
# number of tokens in runs that the two share; percent_a is the share of A's
# code found in B (and percent_b the reverse); similarity is the share of the
# pair's code that is shared; longest is the longest run. A pair is flagged
# when one of them has min_percent or more of its code in the other, in
# min_tokens tokens or more, or when they share a run of min_passage tokens.
# runs: the five longest runs, as line ranges of each student's extracted code.

def fields: split("\n") | map(select(. != "") | split("\t"));
def percent($part; $whole): if $whole > 0 then [100, (100 * $part / $whole | round)] | min else 0 end;

($runs | fields) as $lines
| ($lines | map(select(.[1] == "T") | {key: "\(.[0]) \(.[2])", value: (.[3] | tonumber)})
  | from_entries) as $tokens
| $lines
| map(select(.[1] == "R")
      | {lab: .[0], ia: (.[2] | tonumber), ib: (.[3] | tonumber), tokens: (.[4] | tonumber),
         a_from: (.[5] | tonumber), a_to: (.[6] | tonumber),
         b_from: (.[7] | tonumber), b_to: (.[8] | tonumber)})
| group_by([.lab, .ia, .ib])
| map(.[0] as $first
      | (map(.tokens) | add) as $matched
      | $tokens["\($first.lab) \($first.ia)"] as $tokens_a
      | $tokens["\($first.lab) \($first.ib)"] as $tokens_b
      | {lab: $first.lab, ia: $first.ia, ib: $first.ib,
         student_a: $names[$first.ia], student_b: $names[$first.ib],
         similarity: percent(2 * $matched; $tokens_a + $tokens_b),
         percent_a: percent($matched; $tokens_a), percent_b: percent($matched; $tokens_b),
         matched: $matched, tokens_a: $tokens_a, tokens_b: $tokens_b,
         longest: (map(.tokens) | max),
         runs: (sort_by(-.tokens) | .[:5] | map(del(.lab, .ia, .ib)))}
      | .flagged = (([.percent_a, .percent_b] | max) >= $min_percent and .matched >= $min_tokens
                    or .longest >= $min_passage))
| sort_by(-.similarity, -.matched, .lab, .student_a, .student_b)
| to_entries
| map({rank: (.key + 1)} + .value)
