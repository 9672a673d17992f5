# crosscheck.awk - the cross-check's verdicts (bench, handout section 8.4):
# does ipcbench measure what a plain loop (crosscheck.c) measures?
#
# Input, one line per round and figure, ipcbench and the loop measured one
# right after the other (so that a machine that changes speed from one
# moment to the next moves both):
#     ROUND PLACEMENT MECHANISM WORKLOAD SIZE IPCBENCH LOOP UNIT
# IPCBENCH is "-" when ipcbench did not measure that figure; a line "busy"
# says others kept the machine busy meanwhile.
#
# Output, one line per figure: the medians of both, the median of the
# rounds' ratios ipcbench / loop, and a verdict: pass within 0.7-1.3; fail
# outside; inconclusive outside when the rounds' ratios are more than 30%
# apart or the machine was busy (then no ratio can be held to 30%).

function median(values, count,    sorted, i, j, swap) {
    for (i = 1; i <= count; i++) sorted[i] = values[i]
    for (i = 2; i <= count; i++)
        for (j = i; j > 1 && sorted[j - 1] > sorted[j]; j--) {
            swap = sorted[j]; sorted[j] = sorted[j - 1]; sorted[j - 1] = swap
        }
    return count % 2 ? sorted[(count + 1) / 2] : (sorted[count / 2] + sorted[count / 2 + 1]) / 2
}

$1 == "busy" { busy = 1; next }

NF == 8 {
    key = $3 SUBSEP $4 SUBSEP $2 SUBSEP $5
    if (!(key in rounds)) { order[++figures] = key; unit[key] = $8 }
    n = ++rounds[key]
    loop[key, n] = $7
    if ($6 != "-") {
        m = ++measured[key]
        ipc[key, m] = $6
        ratio[key, m] = $6 / $7
    }
}

END {
    print "crosscheck: ipcbench / a plain loop (crosscheck.c: median round trip, or median stream), measured one after the other in each round; the median of the rounds' ratios must be within 0.7-1.3"
    printf "%-8s %-10s %-6s %7s %12s %12s %7s %13s  %s\n",
           "mechanism", "workload", "place", "size", "ipcbench", "crosscheck", "ratio", "rounds", "verdict"
    for (f = 1; f <= figures; f++) {
        key = order[f]
        split(key, name, SUBSEP)
        count = rounds[key]
        for (i = 1; i <= count; i++) values[i] = loop[key, i]
        loop_median = median(values, count)
        if (!measured[key]) {
            printf "%-8s %-10s %-6s %7s %12s %7.2f %-4s %7s %13s  %s\n", name[1], name[2], name[3], name[4],
                   "-", loop_median, unit[key], "-", "-", "not measured by ipcbench in this run"
            continue
        }
        count = measured[key]
        low = high = ratio[key, 1]
        for (i = 1; i <= count; i++) {
            values[i] = ipc[key, i]
            ratios[i] = ratio[key, i]
            if (ratios[i] < low) low = ratios[i]
            if (ratios[i] > high) high = ratios[i]
        }
        ipc_median = median(values, count)
        ratio_median = median(ratios, count)
        apart = (high - low) / ratio_median * 100
        if (ratio_median >= 0.7 && ratio_median <= 1.3) verdict = "pass"
        else if (busy) verdict = "inconclusive (the machine was busy)"
        else if (apart > 30) verdict = sprintf("inconclusive (the rounds' ratios %.0f%% apart)", apart)
        else { verdict = "fail"; failed++ }
        printf "%-8s %-10s %-6s %7s %7.2f %-4s %7.2f %-4s %7.2f %6.2f-%-6.2f  %s\n", name[1], name[2], name[3], name[4],
               ipc_median, unit[key], loop_median, unit[key], ratio_median, low, high, verdict
    }
    exit failed ? 1 : 0
}
