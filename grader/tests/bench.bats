#!/usr/bin/env bats
# bench.bats - make bench (grader/06-ipc-speed/bench): lab 06's benchmark of
# every IPC mechanism writes its CSV and table, and gnuplot draws the charts.

load ../lib/assertions

ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)

setup() {
    cd "$ROOT" || return 1
}

@test "bench_measures_every_mechanism_and_draws_the_charts" {
    local out=$BATS_TEST_TMPDIR/bench
    run grader/06-ipc-speed/bench --src solutions --quick --out "$out" -s 64,64K
    assert_success
    [ -s "$out/ipc.csv" ] || fail "no $out/ipc.csv; bench said: $output"
    [ -s "$out/ipc.txt" ] || fail "no $out/ipc.txt; bench said: $output"

    # One row per mechanism, workload and size; each is ok or names the limit.
    local mechanism workload
    for mechanism in pipe fifo unix tcp posixmq sysvmq shm-posixsem shm-sysvsem shm-spsc; do
        for workload in latency throughput; do
            run awk -F, -v m="$mechanism" -v w="$workload" \
                '$1 == m && $2 == w && $4 == 64 && $NF == "\"ok\"" { n++ } END { print n + 0 }' "$out/ipc.csv"
            assert_output 1
        done
    done
    run awk -F, '!/^#/ && !/^mechanism,/ && $NF != "\"ok\"" && $NF !~ /^"limit: / { print }' "$out/ipc.csv"
    assert_output ''

    # The charts: an SVG document and a PNG image.
    grep -q '<svg' "$out/ipc-unpinned.svg" || fail "ipc-unpinned.svg is not an SVG document"
    run head -c 4 "$out/ipc-unpinned.png"
    assert_output --partial 'PNG'
}

@test "bench_rejects_bad_usage" {
    run grader/06-ipc-speed/bench --src
    assert_failure 2
    assert_output --partial 'Usage:'
}
