/*
 * reference.h - what the hardware and the kernel can do at best, measured in
 * the same run as the transports, to compare them with.
 */
#ifndef REFERENCE_H
#define REFERENCE_H

#include "placement.h"
#include "stats.h"
#include "workload.h"

enum { MEMCPY_BYTES = 64 * 1024 * 1024 };

/* memcpy of MEMCPY_BYTES, again and again: adds MB/s (10^6 bytes) per copy to
 * speeds. 0, or -1 with a reason in why. */
int reference_memcpy(const struct run_limits *limits, struct samples *speeds,
                     char *why, size_t why_size);

/* Two processes hand a cache line to and fro, both spinning: adds each round
 * trip (ns) to round_trips. Needs two CPUs. 0, or -1 with a reason in why. */
int reference_cacheline(const struct run_limits *limits, const struct cpu_plan *plan,
                        struct samples *round_trips, char *why, size_t why_size);

/* Two processes wake each other with futex_wake and sleep in futex_wait, no
 * spinning: the least a sleeping hand-off costs. Adds each round trip (ns)
 * to round_trips. 0, or -1 with a reason in why. */
int reference_futex(const struct run_limits *limits, const struct cpu_plan *plan,
                    struct samples *round_trips, char *why, size_t why_size);

#endif
