# shellcheck shell=bash
# lab.bash - what lab 06's Bats files share: running ipcbench with names and a
# directory of the test's own, and reading the rows of its CSV.
# Load after helpers:  load ../lib/helpers; load lab
# shellcheck disable=SC2154 # run --separate-stderr sets output, stderr and status

# A name prefix and a directory that no other test or run uses.
bench_setup() {
    BENCH_NAME="lab06.${GRADER_RUN_ID:-local}.$$.${BATS_TEST_NUMBER:-0}"
    BENCH_DIR="$BATS_TEST_TMPDIR/ipc"
    mkdir -p "$BENCH_DIR"
}

# run_ipcbench ARGS...: run ipcbench in BENCH_DIR with the CSV on stdout
# (-o -); sets output, stderr and status like `run`. FIFOs and sockets go in
# "." (BENCH_DIR): a socket's path must fit in 108 bytes, and the run's
# folders can be deep.
run_ipcbench() {
    local ipcbench
    ipcbench=$(program ipcbench)
    cd "$BENCH_DIR" || fail "cannot cd to $BENCH_DIR"
    run --separate-stderr run_program "$ipcbench" -d . -N "$BENCH_NAME" -o - "$@"
}

# The data rows of the CSV in $output (no comments, no header), one per line.
csv_rows() {
    grep -v -e '^#' -e '^mechanism,' <<<"$output" || true
}

# read_row ROW: the fields of a CSV row into ROW_MECHANISM, ROW_WORKLOAD,
# ROW_PLACEMENT, ROW_SIZE, ROW_MB_PER_S and ROW_STATUS (the status, last, may
# hold commas and is quoted). Into variables, no $(...): rows are read in
# loops, and a subshell costs milliseconds here.
read_row() {
    local rest
    # mechanism,workload,placement,size,repeats,count,p50_us,p99_us,msgs_per_s,mb_per_s,spread_pct,vs_pipe,status
    # shellcheck disable=SC2034 # ROW_MB_PER_S is read by the .bats files
    IFS=, read -r ROW_MECHANISM ROW_WORKLOAD ROW_PLACEMENT ROW_SIZE _ _ _ _ _ ROW_MB_PER_S _ _ rest <<<"$1"
    rest=${rest#\"}
    ROW_STATUS=${rest%\"}
}

# The rows of $output whose status is neither "ok" nor a limit, as lines
# "mechanism workload placement size: status".
bad_rows() {
    local row
    while IFS= read -r row; do
        [ -n "$row" ] || continue
        read_row "$row"
        case "$ROW_STATUS" in
            ok|limit:*) ;;
            *) echo "$ROW_MECHANISM $ROW_WORKLOAD $ROW_PLACEMENT $ROW_SIZE B: $ROW_STATUS" ;;
        esac
    done < <(csv_rows)
}

# summarize: lines "where: status" on stdin; at most 4 of them as they are,
# more grouped by status ("12 measurements, e.g. latency same 64 B: status").
summarize() {
    awk '{ lines[NR] = $0; status = $0; sub(/^[^:]*: /, "", status); where = $0
           sub(/: .*$/, "", where); if (!(status in count)) { order[++kinds] = status; example[status] = where }
           count[status]++ }
         END { if (NR <= 4) { for (i = 1; i <= NR; i++) print "  " lines[i]; exit }
               for (k = 1; k <= kinds; k++) { s = order[k]
                   printf "  %d measurements, e.g. %s: %s\n", count[s], example[s], s } }'
}

# expect_every_row_ok MECHANISM SIZES: ipcbench ran MECHANISM at every one of
# the sizes (bytes, comma-separated) in both workloads and three placements;
# every row must be "ok" (split may be a limit on a machine with one CPU).
expect_every_row_ok() {
    local mechanism=$1 sizes=$2 row rows=0 wrong=()
    while IFS= read -r row; do
        [ -n "$row" ] || continue
        rows=$((rows + 1))
        read_row "$row"
        [ "$ROW_STATUS" = ok ] && continue
        [ "$ROW_PLACEMENT" = split ] && [[ $ROW_STATUS == "limit: split"* ]] && continue
        wrong+=("$ROW_WORKLOAD $ROW_PLACEMENT $ROW_SIZE B: $ROW_STATUS")
    done < <(csv_rows)
    local expected=$(( $(tr ',' '\n' <<<"$sizes" | wc -l) * 2 * 3 ))
    [ ${#wrong[@]} -eq 0 ] ||
        fail "$(printf 'ipcbench -m %s: %d of %d measurements failed:\n%s' "$mechanism" \
            "${#wrong[@]}" "$rows" "$(printf '%s\n' "${wrong[@]}" | summarize)")"
    [ "$rows" -eq "$expected" ] ||
        fail "$(printf 'ipcbench -m %s printed %d rows; expected %d (sizes %s, 2 workloads, 3 placements). Its output:\n%s\nits stderr:\n%s' \
            "$mechanism" "$rows" "$expected" "$sizes" "$output" "${stderr:-}")"
}
