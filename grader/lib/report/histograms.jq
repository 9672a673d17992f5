# histograms.jq - the gnuplot commands that draw the class report's histograms
# (after histograms.gp): one panel per lab and one for the total, $columns to a
# row, each plotting its block of the data file $data (model.jq's
# histogram_data) as bars with their counts above them.
include "model";

(labs + ["total (% of the maximum)"]) as $panels
| "set multiplot layout \($rows),\($columns)",
  ($panels | to_entries[]
   | (if .key == ($panels | length) - 1 then "#5b6573" else "#3b6ea8" end) as $colour
   | "set title \"\(.value | gsub("[^A-Za-z0-9 ()%._-]"; ""))\" font \",13\"",
     "plot \"\($data)\" index \(.key) using 1:2 with boxes lc rgb \"\($colour)\", \\",
     "     \"\" index \(.key) using 1:2:(column(2) > 0 ? sprintf(\"%d\", column(2)) : \"\") \\",
     "     with labels offset 0,0.7 font \",10\" textcolor rgb \"#333333\""),
  "unset multiplot"
