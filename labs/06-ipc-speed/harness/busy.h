/*
 * busy.h - how much of the machine others used while ipcbench ran.
 */
#ifndef BUSY_H
#define BUSY_H

/* A reading of the CPU time every process (and the host, as steal) used,
 * and of the CPU time this process and its children used, in seconds. */
struct busy_reading {
    double all, own, wall;
};

/* Read it now. 0, or -1 with errno set (no /proc/stat: then unknown). */
int busy_read(struct busy_reading *reading);

/* Between two readings: the CPU time the others used, in percent of the
 * time of the CPUs online (100: every CPU busy with others all along). */
double busy_others_pct(const struct busy_reading *before, const struct busy_reading *after);

#endif
