# histograms.gp - the look of the class report's score histograms (SVG for the
# page). grader/class-report sets width, height, ymax (the tallest bar + 1) and
# ystep (students between tics), and appends one plot per lab, each reading its
# block of the data file:
# "BIN-MIDDLE STUDENTS" for the bins 0-9, 10-19, ... 90-100.
set terminal svg size width,height font "sans-serif,12" background rgb "white"
set encoding utf8
set style fill solid 0.85 border rgb "white"
set boxwidth 9.4
set xrange [0:100]
set xtics 0,20,100 nomirror scale 0.5 textcolor rgb "#444444"
set ytics 0,ystep nomirror scale 0.5 textcolor rgb "#444444"
set mytics 1
set yrange [0:ymax]
set border 3 lc rgb "#999999"
set grid ytics lc rgb "#e4e4e4" lt 1
set key off
set tmargin 2.2
set bmargin 2.6
set lmargin 5
set rmargin 1.5
set xlabel "score (%)" offset 0,0.6 textcolor rgb "#444444"
