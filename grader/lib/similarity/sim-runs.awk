# sim-runs.awk - read what `sim_c -e -s -n` prints about the files I.c of a lab
# (I: a student's number) and print it as fields, tab-separated:
#   T  I  TOKENS                          student I's code has TOKENS tokens
#   R  I  J  TOKENS  IFROM  ITO  JFROM  JTO
#                                         a run of TOKENS tokens: lines IFROM-ITO
#                                         of I.c are alike lines JFROM-JTO of J.c
# Usage: sim_c -e -s -n ... | awk -f sim-runs.awk

BEGIN { OFS = "\t" }

/^File [0-9]+\.c: [0-9]+ tokens, [0-9]+ lines$/ {
    gsub(/[^0-9]+/, " ")
    split($0, f, " ")
    print "T", f[1], f[2]
    next
}

/^[0-9]+\.c: line [0-9]+-[0-9]+ *\|[0-9]+\.c: line [0-9]+-[0-9]+ *\[[0-9]+\]$/ {
    gsub(/[^0-9]+/, " ")
    split($0, f, " ")
    # f: I IFROM ITO J JFROM JTO TOKENS. The lower number first.
    if (f[1] + 0 < f[4] + 0)
        print "R", f[1], f[4], f[7], f[2], f[3], f[5], f[6]
    else
        print "R", f[4], f[1], f[7], f[5], f[6], f[2], f[3]
}
