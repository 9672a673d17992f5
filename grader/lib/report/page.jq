# page.jq - the class report as one HTML page (grader/class-report).
#
# jq -n -r -L grader/lib/report -f page.jq --slurpfile grades G --slurpfile students S
#    --slurpfile similarity SIM --rawfile css C --rawfile js J --rawfile histograms SVG
#    --arg title T --arg generated DATE
# G and S as model.jq says; SIM: [] or [similarity.json]. Every text that
# comes from the class (names, outputs, code) goes through @html.
include "model";

# A student's name as text: escaped, with line breaks and other control
# characters made visible.
def name_html: gsub("\n"; "↵") | gsub("[\\x00-\\x1F\\x7F]"; "�") | @html;

# The link to a student's feedback, relative to the report (when there is one).
def feedback_link($student):
  if any($students[]; .student == $student and .feedback) then "<a href=\"\($student | @uri)/feedback.txt\">\($student | name_html)</a>"
  else $student | name_html end;

def round1: . * 10 | round / 10;
def figure: if . == null then "–" else round1 | tostring end;
def short_lab:
  if contains("-") then "\(.[:index("-")] | @html)<br><small>\(.[index("-") + 1:] | gsub("-"; " ") | @html)</small>"
  else @html end;
def plural($n; $one; $many): "\($n) \(if $n == 1 then $one else $many end)";

# A bar for a percentage, coloured by how good it is.
def bar($percent):
  (if $percent < 40 then "bad" elif $percent < 70 then "mid" else "good" end) as $class
  | "<span class=\"bar\"><span class=\"\($class)\" style=\"width:\($percent | round)%\"></span></span>";

def output_html($lines):
  split("\n") | map(select(. != "")) as $all
  | ($all[:$lines] | join("\n") | @html)
    + (if ($all | length) > $lines then "\n… \(($all | length) - $lines) more lines" else "" end);

def card($value; $caption; $class): "<div class=\"card \($class)\"><b>\($value)</b><span>\($caption)</span></div>";

# ------------------------------------------------------------------ sections

def summary:
  rows as $rows | flags as $flags
  | ($rows | map(select(.graded))) as $graded
  | ($graded | map(select(.max_score > 0) | 100 * .total_score / .max_score) | median) as $median
  | ($flags | map(select(.kind == "build")) | map(.student) | unique | length) as $broken
  | ($flags | map(select(.kind == "leftover")) | map(.student) | unique | length) as $leftover
  | ($flags | map(select(.kind == "review")) | map(.student) | unique | length) as $review
  | "<section class=\"cards\">"
    + card($rows | length; "students"; "")
    + card($graded | length; "graded"; "")
    + card(($rows | length) - ($graded | length); "could not be graded"; if ($rows | length) > ($graded | length) then "warn" else "" end)
    + card(if $median == null then "–" else "\($median | round) %" end; "median total"; "")
    + card($graded | map(select(.total_score == .max_score)) | length; "full marks"; "")
    + card($broken; "with a lab that did not compile"; if $broken > 0 then "warn" else "" end)
    + card($leftover; "left something behind"; if $leftover > 0 then "warn" else "" end)
    + card($review; "for review"; if $review > 0 then "alert" else "" end)
    + (if ($similarity | length) > 0 then
         ($similarity[0].pairs | map(select(.flagged)) | length) as $alike
         | card($alike; if $alike == 1 then "pair of similar code" else "pairs of similar code" end;
                if $alike > 0 then "alert" else "" end)
       else "" end)
    + "</section>";

def scores_section:
  "<section id=\"scores\"><h2>Scores by lab</h2>"
  + "<p class=\"note\">How many graded students scored in each band of ten points, lab by lab, and their total.</p>"
  + "<figure class=\"chart\">\($histograms)</figure>"
  + "<table class=\"stats\"><thead><tr><th>Lab</th><th class=\"num\">Graded</th><th class=\"num\">Mean</th>"
  + "<th class=\"num\">Median</th><th class=\"num\">Lowest</th><th class=\"num\">Highest</th>"
  + "<th class=\"num\">Full marks</th><th class=\"num\">Zero</th><th class=\"num\">Did not compile</th></tr></thead><tbody>"
  + (lab_stats | map("<tr><td>\(.lab | @html)</td><td class=\"num\">\(.graded)</td><td class=\"num\">\(.mean | figure)</td>"
      + "<td class=\"num\">\(.median | figure)</td><td class=\"num\">\(.min | figure)</td><td class=\"num\">\(.max | figure)</td>"
      + "<td class=\"num\">\(.full)</td><td class=\"num\">\(.zero)</td>"
      + "<td class=\"num\(if .not_built > 0 then " warn" else "" end)\">\(.not_built)</td></tr>") | join(""))
  + "</tbody></table></section>";

def tests_section:
  test_rates as $rates
  | "<section id=\"tests\"><h2>What the class struggles with</h2>"
  + "<p class=\"note\">Every test, the lowest pass rate first, with the handout section that explains it. "
  + "A lab that did not compile fails all its tests (counted in “not built”).</p>"
  + if ($rates | length) == 0 then "<p>No test results.</p></section>" else
    "<table class=\"rates\"><thead><tr><th>Passed</th><th class=\"num\">Students</th><th>Lab</th><th>Test</th><th>Handout</th></tr></thead><tbody>"
    + ($rates | map("<tr><td class=\"rate\">\(bar(.rate))<span class=\"pct\">\(.rate | round) %</span></td>"
        + "<td class=\"num\">\(.passed) / \(.ran)\(if .not_built > 0 then "<small> (\(.not_built) not built)</small>" else "" end)</td>"
        + "<td>\(.lab | split("-")[0] | @html)</td><td class=\"test\">\(.test | @html | gsub("_"; "_<wbr>"))</td>"
        + "<td>\(if .section != "" then "§\(.section | @html) " else "" end)\(.title | @html)"
        + "\(if .hint != "" then " <small>(\(.hint | @html))</small>" else "" end)</td></tr>") | join(""))
    + "</tbody></table></section>" end;

def flags_section:
  (flags | map(select(.kind != "build"))) as $flags
  | "<section id=\"flags\"><h2>Left behind and flagged for review</h2>"
  + "<p class=\"note\">What a submission's tests left behind (the grader removed it), and code that names the grader's "
  + "own machinery: read those submissions yourself.</p>"
  + if ($flags | length) == 0 then "<p>Nothing: every submission cleaned up after itself, and none was flagged.</p></section>" else
    "<table class=\"flags\"><thead><tr><th>Student</th><th>Lab</th><th>What</th><th>Details</th></tr></thead><tbody>"
    + ($flags | sort_by(.student, .lab) | map(
        "<tr><td class=\"name\">\(feedback_link(.student))</td><td>\(.lab | @html)</td>"
        + "<td>\(if .kind == "review" then "<span class=\"badge review\">for review</span>" else "<span class=\"badge leftover\">left behind</span>" end)</td>"
        + "<td><pre>\(.output | output_html(12))</pre></td></tr>") | join(""))
    + "</tbody></table></section>" end;

# Notes on a student: badges for what the grader or the similarity check found.
def notes($row; $flags; $pairs):
  ($flags | map(select(.student == $row.student))) as $mine
  | [if $row.graded | not then "<span class=\"badge error\">not graded</span>" else empty end,
     ($mine | map(select(.kind == "build")) | map(.lab | split("-")[0]) | unique | select(length > 0)
      | "<span class=\"badge build\">did not compile: \(join(", ") | @html)</span>"),
     ($mine | map(select(.kind == "leftover")) | map(.lab | split("-")[0]) | unique | select(length > 0)
      | "<span class=\"badge leftover\">left behind: \(join(", ") | @html)</span>"),
     ($mine | map(select(.kind == "review")) | map(.lab | split("-")[0]) | unique | select(length > 0)
      | "<span class=\"badge review\">for review: \(join(", ") | @html)</span>"),
     ($pairs | map(select(.flagged and (.student_a == $row.student or .student_b == $row.student)))
      | map(.lab | split("-")[0]) | unique | select(length > 0)
      | "<a class=\"badge similar\" href=\"#similarity\">similar code: \(join(", ") | @html)</a>")]
  | join(" ");

def students_section:
  rows as $rows | flags as $flags
  | (if ($similarity | length) > 0 then $similarity[0].pairs else [] end) as $pairs
  | "<section id=\"students\"><h2>Students</h2>"
  + "<p class=\"note\">Click a column's heading to sort by it, again to reverse. A name opens the student's feedback.</p>"
  + "<table id=\"students-table\" class=\"sortable\"><thead><tr><th data-key=\"student\">Student</th>"
  + (labs | map("<th class=\"num\" data-key=\"\(@html)\" title=\"\(@html)\">\(short_lab)</th>") | join(""))
  + "<th class=\"num\" data-key=\"total\">Total</th><th class=\"num\" data-key=\"max\">Max</th>"
  + "<th class=\"num\" data-key=\"percent\">%</th><th data-key=\"notes\">Notes</th></tr></thead><tbody>"
  + ($rows | map(. as $row
      | "<tr><td class=\"name\">\(feedback_link(.student))</td>"
      + ([range(0; .cells | length) as $i | $row.scores[$i] as $score
          | if $score == null then "<td class=\"num error\">\($row.cells[$i] | @html)</td>"
            else "<td class=\"num\" data-v=\"\($score)\">\($row.cells[$i] | @html)</td>" end] | join(""))
      + (if .total_score == null then "<td class=\"num error\">\(.total | @html)</td>"
         else "<td class=\"num total\" data-v=\"\(.total_score)\">\(.total | @html)</td>" end)
      + (if .max_score == null then "<td class=\"num\">\(.max | @html)</td>"
         else "<td class=\"num\" data-v=\"\(.max_score)\">\(.max | @html)</td>" end)
      + (if .total_score != null and .max_score > 0 then
           (100 * .total_score / .max_score | round) as $percent
           | "<td class=\"num\" data-v=\"\($percent)\">\($percent)</td>"
         else "<td class=\"num error\">–</td>" end)
      + "<td class=\"notes\">\(notes($row; $flags; $pairs))</td></tr>") | join(""))
  + "</tbody></table></section>";

# A passage of one side of a pair: its file and lines, then the code (the
# student's lines only; ⋯ where more than two lines are left out).
def passage($lines):
  ($lines | map(.file) | unique) as $files
  | "<div class=\"side\"><div class=\"where\">\($files | map(@html) | join(", ")) "
    + "lines \($lines[0].line)–\($lines[-1].line)</div><pre>"
    + ([$lines | to_entries[] | .key as $i | .value
        | (if $i > 0 and .line - $lines[$i - 1].line > 3 then "<span class=\"gap\">⋯</span>\n" else "" end)
          + "<span class=\"ln\">\(.line)</span>\(.text | @html)"] | join("\n"))
    + "</pre></div>";

def similarity_section:
  if ($similarity | length) == 0 then "" else
  $similarity[0] as $sim
  | ($sim.pairs | map(select(.flagged))) as $flagged
  | ($sim.pairs | map(select(.flagged | not))) as $others
  | "<section id=\"similarity\"><h2>Similar code</h2>"
  + "<p class=\"note\">From <code>grader/similarity</code> (sim_c), on what the students wrote only: given code and "
  + "the stubs' text never count, and names, layout and comments are ignored. A pair is flagged when "
  + "\($sim.min_percent) % or more of one student's code of a lab is in the other's (\($sim.min_tokens) tokens or more), "
  + "or when they share a passage of \($sim.min_passage) tokens or more. "
  + "\(plural($sim.pairs | length; "pair"; "pairs")) of \($sim.submissions) submissions share a passage of 24 tokens or more; "
  + "\($flagged | length) flagged. Alike is not proof: read the passages.</p>"
  + (if ($flagged | length) == 0 then "<p>No pair is flagged.</p>" else
      ($flagged[:20] | map(
        "<details class=\"pair\"\(if .rank <= 3 then " open" else "" end)><summary>"
        + "<span class=\"rank\">\(.rank)</span> <b>\(.student_a | name_html)</b> and <b>\(.student_b | name_html)</b>, "
        + "\(.lab | @html): <b>\(.similarity) %</b> alike "
        + "<small>(\(.percent_a) % of \(.student_a | name_html)’s code, \(.percent_b) % of \(.student_b | name_html)’s; "
        + "longest passage \(.longest) tokens)</small></summary>"
        + (.runs | map("<div class=\"passage\"><div class=\"tokens\">\(.tokens) tokens alike</div>"
             + "<div class=\"sides\">\(passage(.a))\(passage(.b))</div></div>") | join(""))
        + "</details>") | join(""))
      + (if ($flagged | length) > 20 then "<p>… and \(($flagged | length) - 20) more flagged pairs in similarity.csv.</p>" else "" end)
    end)
  + (if ($others | length) == 0 then "" else
      "<h3>Below the thresholds</h3><table class=\"pairs\"><thead><tr><th class=\"num\">Rank</th><th>Students</th>"
      + "<th>Lab</th><th class=\"num\">Alike</th><th class=\"num\">Longest passage</th></tr></thead><tbody>"
      + ($others[:10] | map("<tr><td class=\"num\">\(.rank)</td><td>\(.student_a | name_html) and \(.student_b | name_html)</td>"
          + "<td>\(.lab | @html)</td><td class=\"num\">\(.similarity) %</td><td class=\"num\">\(.longest) tokens</td></tr>") | join(""))
      + "</tbody></table>"
      + (if ($others | length) > 10 then "<p>… and \(($others | length) - 10) more in similarity.csv.</p>" else "" end)
    end)
  + "</section>"
  end;

# ------------------------------------------------------------------ the page

"<!DOCTYPE html>
<html lang=\"en\">
<head>
<meta charset=\"utf-8\">
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">
<title>Class report: \($title | @html)</title>
<style>
\($css)</style>
</head>
<body>
<header>
<h1>Class report <span>\($title | @html)</span></h1>
<p class=\"note\">\(plural(rows | length; "student"; "students")), \(plural(labs | length; "lab"; "labs")) · made \($generated | @html) from grades.csv and each student's results.json</p>
<nav><a href=\"#scores\">Scores</a> <a href=\"#tests\">Tests</a> <a href=\"#flags\">Left behind and review</a> <a href=\"#students\">Students</a>\(if ($similarity | length) > 0 then " <a href=\"#similarity\">Similar code</a>" else "" end)</nav>
</header>
<main>
\(summary)
\(scores_section)
\(tests_section)
\(flags_section)
\(students_section)
\(similarity_section)
</main>
<script>
\($js)</script>
</body>
</html>"
