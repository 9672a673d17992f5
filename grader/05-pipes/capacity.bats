#!/usr/bin/env bats
# capacity.bats - tests of the program `capacity`: the sizes it prints, and
# how it reports a size above /proc/sys/fs/pipe-max-size.
# shellcheck disable=SC2154 # run --separate-stderr sets $stderr

load ../lib/helpers
load lab

# bats test_tags=points:1,section:3_4
@test "capacity_prints_the_default_and_the_rounded_sizes" {
    run --separate-stderr run_program "$(program capacity)" 100000 4097 1
    expect_status 0 "capacity 100000 4097 1"
    local expected
    expected=$(printf '%s\n' 'default: 65536 bytes' \
        'asked 100000: F_SETPIPE_SZ gave 131072 bytes, filling it took 131072 bytes' \
        'asked 4097: F_SETPIPE_SZ gave 8192 bytes, filling it took 8192 bytes' \
        'asked 1: F_SETPIPE_SZ gave 4096 bytes, filling it took 4096 bytes')
    [ "$output" = "$expected" ] ||
        fail "$(printf 'capacity 100000 4097 1 printed:\n%s\nexpected:\n%s' "$output" "$expected")"
}

# bats test_tags=points:1,section:3_4
@test "capacity_reports_the_limit_instead_of_crashing" {
    local limit prefix=()
    limit=$(cat /proc/sys/fs/pipe-max-size)
    read -r -a prefix <<<"$(without_cap_sys_resource)"
    run --separate-stderr run_program "${prefix[@]}" "$(program capacity)" $((limit + 1)) 4096
    expect_status 1 "capacity $((limit + 1)) 4096 (one byte above pipe-max-size, then a good size)"
    [[ $stderr == *"$limit"* && $stderr == *pipe-max-size* ]] ||
        fail "$(printf "expected stderr to name the limit, %s bytes, and /proc/sys/fs/pipe-max-size; got:\n%s" \
            "$limit" "$stderr")"
    [[ $stderr == *"Operation not permitted"* || $stderr == *EPERM* ]] ||
        fail "expected stderr to say why (EPERM: Operation not permitted); got: $stderr"
    [[ $output == *"default: 65536 bytes"* && $output == *"asked 4096: F_SETPIPE_SZ gave 4096 bytes"* ]] ||
        fail "$(printf "expected the default line and the line for 4096 on stdout (a refused size must not stop the others); got:\n%s" "$output")"
}

# bats test_tags=points:1,section:3_4
@test "capacity_reports_any_other_refusal_with_its_reason" {
    # 2^32 + 4096 does not fit in an int: pipe_resize() says EINVAL.
    run --separate-stderr run_program "$(program capacity)" 4294971392 4096
    expect_status 1 "capacity 4294971392 4096 (a size too large for F_SETPIPE_SZ, then a good size)"
    [[ $stderr == *pipe_resize*"Invalid argument"* ]] ||
        fail "$(printf 'expected stderr to say that pipe_resize failed, and why (capacity: pipe_resize: Invalid argument); got:\n%s' "$stderr")"
    [[ $output == *"default: 65536 bytes"* && $output == *"asked 4096: F_SETPIPE_SZ gave 4096 bytes"* ]] ||
        fail "$(printf "expected the default line and the line for 4096 on stdout (a refused size must not stop the others); got:\n%s" "$output")"
}
