# model.jq - what the class report says, worked out from grade-all's output.
# Used by page.jq and by grader/class-report (for the histograms' data).
#
# $grades: grades.csv as rows (csv.jq): the header "student,LAB...,total,max",
# then one row per student, "error" in every score of a student not graded.
# $students: [{student, feedback: true|false, results: results.json or null}].

def number_or_null: tonumber? // null;

def median:
  sort | length as $n
  | if $n == 0 then null
    elif $n % 2 == 1 then .[($n - 1) / 2]
    else (.[$n / 2 - 1] + .[$n / 2]) / 2 end;

def mean: if length == 0 then null else add / length end;

# The labs, as grades.csv's header names them.
def labs: $grades[0][0][1:-2];

# One object per row of grades.csv, in its order.
def rows:
  $grades[0][1:]
  | map({student: .[0], cells: .[1:-2], total: .[-2], max: .[-1],
         scores: (.[1:-2] | map(number_or_null)),
         total_score: (.[-2] | number_or_null), max_score: (.[-1] | number_or_null)})
  | map(. + {graded: (.total_score != null)});

# Every entry of every results.json, with its fields (extra_data; entries
# written before extra_data existed are tests of the lab their name starts with).
def entries:
  [$students[] | .student as $student | (.results.tests // [])[]
   | (.name | index(": ")) as $colon
   | {student: $student,
      lab: (.extra_data.lab // (if $colon then .name[:$colon] else "" end)),
      test: (.extra_data.test // (if $colon then .name[$colon + 2:] else .name end)),
      kind: (.extra_data.kind // "test"),
      section: (.extra_data.section // ""), title: (.extra_data.title // ""),
      hint: (.extra_data.hint // ""), outcome: (.extra_data.outcome // ""),
      number: ((.number // "") | tostring | split(".") | map(number_or_null)),
      passed: (.status == "passed"), output: (.output // "")}];

# Per lab: how the graded students scored, and how many did not compile.
def lab_stats:
  rows as $rows | entries as $entries
  | [labs | to_entries[] | .key as $i | .value as $lab
     | ($rows | map(.scores[$i] | select(. != null))) as $scores
     | {lab: $lab, graded: ($scores | length), mean: ($scores | mean),
        median: ($scores | median), min: ($scores | min), max: ($scores | max),
        full: ($scores | map(select(. >= 100)) | length),
        zero: ($scores | map(select(. == 0)) | length),
        not_built: ($entries | map(select(.lab == $lab and .kind == "build" and (.passed | not)))
                    | map(.student) | unique | length),
        bins: [range(0; 10) as $b
               | $scores | map(select(([(. / 10 | floor), 9] | min) == $b)) | length]}];

# The first non-empty value of a field in a list of entries, or "".
def known(field): map(field | select(. != "")) | first // "";

# Every test: how many of the students who ran it passed, worst first.
def test_rates:
  entries
  | map(select(.kind == "test"))
  | group_by([.lab, .test])
  | map({lab: .[0].lab, test: .[0].test, section: known(.section), title: known(.title),
         hint: known(.hint), number: .[0].number,
         passed: map(select(.passed)) | length, ran: length,
         not_built: map(select(.outcome == "not-built")) | length})
  | map(. + {rate: (100 * .passed / .ran)})
  | sort_by(.rate, .lab, .number);

# What the grader flagged: left behind (leftover), for review, did not compile.
def flags: entries | map(select((.kind == "leftover" or .kind == "review" or .kind == "build")
                                 and (.passed | not)));

# The data of the histograms, for gnuplot: a block per lab (and one for the
# total, as a percentage of the maximum), two blank lines between blocks.
def histogram_data:
  rows as $rows
  | (lab_stats | map(.bins))
    + [[range(0; 10) as $b
        | $rows | map(select(.graded and .max_score > 0) | 100 * .total_score / .max_score
                      | select(([(. / 10 | floor), 9] | min) == $b)) | length]]
  | map(to_entries | map("\(.key * 10 + 5) \(.value)") | join("\n"))
  | join("\n\n\n") + "\n";
