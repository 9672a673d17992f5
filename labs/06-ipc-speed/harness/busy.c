/*
 * busy.c - how much of the machine others used while ipcbench ran.
 *
 * Rounds (compare.c) catch a machine that changes; a machine busy all along
 * slows every round alike, and they agree. So ipcbench also reads, before
 * and after, the CPU time of every process from /proc/stat (user, nice,
 * system, irq, softirq, and steal: what the host gave to other virtual
 * machines) and its own and its children's from getrusage: the difference is
 * what others used. On a quiet machine it is a few percent.
 *
 * Handout: handouts/06-ipc-speed.md, section 2.2.
 */
#include "busy.h"
#include "workload.h"

#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

static double seconds_of(struct timeval t)
{
    return (double)t.tv_sec + (double)t.tv_usec / 1e6;
}

int busy_read(struct busy_reading *reading)
{
    unsigned long long user, nice, system, idle, iowait, irq, softirq, steal;
    struct rusage self, children;
    FILE *stat = fopen("/proc/stat", "r");

    if (stat == NULL)
        return -1;
    int fields = fscanf(stat, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &user, &nice,
                        &system, &idle, &iowait, &irq, &softirq, &steal);
    fclose(stat);
    if (fields != 8 || getrusage(RUSAGE_SELF, &self) == -1 ||
        getrusage(RUSAGE_CHILDREN, &children) == -1)
        return -1;
    long ticks = sysconf(_SC_CLK_TCK);
    reading->all = (double)(user + nice + system + irq + softirq + steal) /
                   (double)(ticks > 0 ? ticks : 100);
    reading->own = seconds_of(self.ru_utime) + seconds_of(self.ru_stime) +
                   seconds_of(children.ru_utime) + seconds_of(children.ru_stime);
    reading->wall = (double)now_ns() / 1e9;
    return 0;
}

double busy_others_pct(const struct busy_reading *before, const struct busy_reading *after)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    double wall = after->wall - before->wall;
    double others = (after->all - before->all) - (after->own - before->own);

    if (wall <= 0 || cpus < 1)
        return 0;
    if (others < 0)
        others = 0;
    return 100.0 * others / (wall * (double)cpus);
}
