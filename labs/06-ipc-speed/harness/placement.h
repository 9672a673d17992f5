/*
 * placement.h - where the two processes run: anywhere, on one CPU, or on two.
 */
#ifndef PLACEMENT_H
#define PLACEMENT_H

#include <stddef.h>

#include "transport.h"

enum placement { PLACE_UNPINNED, PLACE_SAME, PLACE_SPLIT };

struct cpu_plan {
    enum placement placement;
    int parent_cpu, child_cpu;      /* for PLACE_SAME and PLACE_SPLIT */
};

/* "unpinned", "same" or "split". */
const char *placement_name(enum placement placement);
/* 0 and *placement, or -1 for a name that is not one of the three. */
int placement_parse(const char *name, enum placement *placement);

/* Choose CPUs for placement among those this process may run on. 0, or -1
 * with a reason in why when there are too few (PLACE_SPLIT needs two), or
 * with errno set when sched_getaffinity fails. */
int placement_plan(enum placement placement, struct cpu_plan *plan, char *why, size_t why_size);

/* Pin the calling process (the parent or the child) as planned. 0, or -1 with errno. */
int placement_apply(const struct cpu_plan *plan, enum side side);

/* Give the parent back the CPUs it had when placement_plan ran. 0, or -1 with errno. */
int placement_restore(const struct cpu_plan *plan);

/* The number of CPUs this process may run on. */
int placement_cpu_count(void);

#endif
