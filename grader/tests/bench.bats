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

# The cross-check's verdicts (crosscheck.awk), from made-up rounds: a ratio
# whose median is within 0.7-1.3 passes however the rounds wander; one
# outside fails when the rounds agree, and is inconclusive when they are
# more than 30% apart or the machine was busy.
@test "crosscheck_fails_only_a_figure_whose_rounds_agree_it_is_off" {
    local rounds=$BATS_TEST_TMPDIR/rounds
    cat >"$rounds" <<'ROUNDS'
1 same pipe latency 64 10.0 10.0 us
2 same pipe latency 64 20.0 10.0 us
3 same pipe latency 64 9.0 10.0 us
1 same pipe throughput 65536 1500.0 1000.0 MB/s
2 same pipe throughput 65536 1450.0 1000.0 MB/s
3 same pipe throughput 65536 1400.0 1000.0 MB/s
1 split unix throughput 65536 1500.0 1000.0 MB/s
2 split unix throughput 65536 3000.0 1000.0 MB/s
3 split unix throughput 65536 1000.0 1000.0 MB/s
1 split unix latency 64 - 10.0 us
ROUNDS
    run awk -f grader/06-ipc-speed/crosscheck.awk "$rounds"
    assert_failure 1
    assert_line --regexp '^pipe +latency +same +64 +10\.00 us +10\.00 us +1\.00 +0\.90-2\.00 +pass$'
    assert_line --regexp '^pipe +throughput +same +65536 +1450\.00 MB/s +1000\.00 MB/s +1\.45 +1\.40-1\.50 +fail$'
    assert_line --regexp '^unix +throughput +split +65536 .* 1\.50 +1\.00-3\.00 +inconclusive \(the rounds. ratios 133% apart\)$'
    assert_line --regexp '^unix +latency +split +64 .* not measured by ipcbench in this run$'

    # The same rounds on a busy machine: nothing fails.
    echo busy >>"$rounds"
    run awk -f grader/06-ipc-speed/crosscheck.awk "$rounds"
    assert_success
    assert_line --regexp '^pipe +throughput +same .* inconclusive \(the machine was busy\)$'
}
