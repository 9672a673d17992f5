#!/usr/bin/env bats
# ring.bats - the memory ordering of the lock-free ring. order_check.c is
# built with the student's spsc.c and futex.c, with order_probe.h included
# first (the probe order_check of lab.json): it sees every explicit atomic
# operation, fence and memcpy of the ring, with its memory order, and checks that each copy out follows an acquire and
# each copy in is published by a release. On x86 a ring without them usually
# works (the processor keeps stores in order), so no run of the ring can tell.
# shellcheck disable=SC2154 # run --separate-stderr sets $stderr

load ../lib/helpers

# bats test_tags=points:7,section:6_1
@test "lockfree_ring_orders_its_copies_with_acquire_and_release" {
    [ -x "$LAB_BIN/order_check" ] ||
        fail "$(printf 'spsc.c does not build with the order probe (order_probe.h):\n%s' "$(cat "$LAB_BIN/order_check.log")")"
    run --separate-stderr run_program "$LAB_BIN/order_check"
    expect_status 0 "order_check (your ring, copies traced with their memory orders)"
}
