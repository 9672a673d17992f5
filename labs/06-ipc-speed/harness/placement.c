/*
 * placement.c - where the two processes run: anywhere, on one CPU, or on two.
 *
 * sched_setaffinity(0, ...) restricts the calling process to a set of CPUs.
 * On one CPU, every hand-off between the processes is a context switch; on
 * two, a hand-off is a wake-up of the other CPU (slow in a virtual machine),
 * or nothing at all when the other side is spinning.
 *
 * Handout: handouts/06-ipc-speed.md, section 2.4.
 */
#define _GNU_SOURCE         /* cpu_set_t, sched_setaffinity */
#include "placement.h"

#include <sched.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char *const names[] = { "unpinned", "same", "split" };

/* The CPUs the parent may use, as placement_plan found them. */
static cpu_set_t original;

const char *placement_name(enum placement placement)
{
    return names[placement];
}

int placement_parse(const char *name, enum placement *placement)
{
    for (int i = 0; i < 3; i++) {
        if (strcmp(name, names[i]) == 0) {
            *placement = (enum placement)i;
            return 0;
        }
    }
    return -1;
}

int placement_cpu_count(void)
{
    cpu_set_t set;

    if (sched_getaffinity(0, sizeof set, &set) == -1)
        return 1;
    return CPU_COUNT(&set);
}

int placement_plan(enum placement placement, struct cpu_plan *plan, char *why, size_t why_size)
{
    int first = -1, second = -1;

    memset(plan, 0, sizeof *plan);
    plan->placement = placement;
    if (sched_getaffinity(0, sizeof original, &original) == -1) {
        snprintf(why, why_size, "sched_getaffinity: %s", strerror(errno));
        return -1;
    }
    for (int cpu = 0; cpu < CPU_SETSIZE && second == -1; cpu++) {
        if (!CPU_ISSET(cpu, &original))
            continue;
        if (first == -1)
            first = cpu;
        else
            second = cpu;
    }
    if (placement == PLACE_SPLIT && second == -1) {
        snprintf(why, why_size, "split placement needs two CPUs; this process may use one");
        return -1;
    }
    plan->parent_cpu = first;
    plan->child_cpu = placement == PLACE_SPLIT ? second : first;
    return 0;
}

int placement_apply(const struct cpu_plan *plan, enum side side)
{
    cpu_set_t set;

    if (plan->placement == PLACE_UNPINNED)
        return 0;
    CPU_ZERO(&set);
    CPU_SET(side == SIDE_PARENT ? plan->parent_cpu : plan->child_cpu, &set);
    return sched_setaffinity(0, sizeof set, &set);
}

int placement_restore(const struct cpu_plan *plan)
{
    if (plan->placement == PLACE_UNPINNED)
        return 0;
    return sched_setaffinity(0, sizeof original, &original);
}
