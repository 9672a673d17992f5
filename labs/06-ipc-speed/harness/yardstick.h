/*
 * yardstick.h - the yardsticks at the message size: memcpy in and out of the
 * cache, a copy from one CPU to another, and the minimal semaphore loop.
 * Each is measured like a transport, in the same run (handout section 2.5).
 */
#ifndef YARDSTICK_H
#define YARDSTICK_H

#include <stddef.h>

#include "placement.h"
#include "stats.h"
#include "workload.h"

/* memcpy of size bytes: the same two buffers again and again (cached), or
 * pieces walking through two areas of 64 MiB (not). Adds MB/s to speeds.
 * 0, or -1 with a reason in why. */
int yardstick_memcpy(size_t size, int cached, const struct run_limits *limits,
                     struct samples *speeds, char *why, size_t why_size);

/* One process copies the messages of set into shared memory, the other, on
 * the other CPU, copies them out and checks them as the throughput workload
 * does (a ring of slots, spinning). Adds MB/s to speeds. Needs two CPUs:
 * else -1 with errno EMSGSIZE (a limit). 0, or -1 with a reason in why. */
int yardstick_xcpu(struct message_set *set, const struct run_limits *limits,
                   const struct cpu_plan *plan, struct samples *speeds,
                   char *why, size_t why_size);

/* The minimal loop through shm-posixsem's slots and semaphores, with the
 * workloads' messages and checks (set): round trips (ns each) for latency,
 * else one figure in MB/s, into values. 0, or -1 with a reason in why. */
int yardstick_semloop(struct message_set *set, int latency, const struct run_limits *limits,
                      const struct cpu_plan *plan, struct samples *values,
                      char *why, size_t why_size);

#endif
