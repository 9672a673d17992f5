/*
 * order_probe.h - force-included (gcc -include) before the student's spsc.c
 * by ring.bats, so that order_check.c sees every explicit atomic operation,
 * fence and memcpy the ring makes, with its memory order.
 *
 * Why not ThreadSanitizer: it would see the same thing (it instruments at the
 * source level, where memory_order_relaxed and memory_order_release still
 * differ; on x86 both compile to the same MOV), but it needs terabytes of
 * address space and the grader runs tests under a 2 GiB limit. The handout
 * shows how to run the ring under ThreadSanitizer by hand.
 *
 * The macros below replace those of <stdatomic.h> and <string.h> (included
 * first, so that their own definitions are not read again afterwards): each
 * reports the operation, then does exactly what the original does.
 */
#ifndef ORDER_PROBE_H
#define ORDER_PROBE_H

/* As spsc.c defines it (for sched_getcpu), before the headers below. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <stdatomic.h>
#include <stddef.h>
#include <string.h>

enum probe_kind { PROBE_LOAD, PROBE_STORE, PROBE_READ_MODIFY_WRITE, PROBE_FENCE };

void probe_atomic(enum probe_kind kind, const volatile void *address, int order);
void *probe_memcpy(void *to, const void *from, size_t count);

#undef atomic_load_explicit
#define atomic_load_explicit(object, order) \
    (probe_atomic(PROBE_LOAD, (object), (order)), __atomic_load_n((object), (order)))

#undef atomic_store_explicit
#define atomic_store_explicit(object, value, order) \
    (probe_atomic(PROBE_STORE, (object), (order)), __atomic_store_n((object), (value), (order)))

#undef atomic_exchange_explicit
#define atomic_exchange_explicit(object, value, order) \
    (probe_atomic(PROBE_READ_MODIFY_WRITE, (object), (order)), \
     __atomic_exchange_n((object), (value), (order)))

#undef atomic_fetch_add_explicit
#define atomic_fetch_add_explicit(object, value, order) \
    (probe_atomic(PROBE_READ_MODIFY_WRITE, (object), (order)), \
     __atomic_fetch_add((object), (value), (order)))

#undef atomic_thread_fence
#define atomic_thread_fence(order) \
    (probe_atomic(PROBE_FENCE, NULL, (order)), __atomic_thread_fence(order))

#undef memcpy
#define memcpy(to, from, count) probe_memcpy((to), (from), (count))

#endif
