/*
 * options.h - ipcbench's command line.
 */
#ifndef OPTIONS_H
#define OPTIONS_H

#include <stddef.h>

#include "placement.h"
#include "workload.h"

enum { MAX_LIST = 32 };

struct options {
    const char *mechanisms[MAX_LIST];
    int mechanism_count;
    size_t sizes[MAX_LIST];
    int size_count;
    const char *workloads[2];
    int workload_count;
    enum placement placements[3];
    int placement_count;
    int repeats;                /* -r: measurements per point in each round */
    int rounds;                 /* --rounds: sweeps over every point */
    double drift_pct;           /* --drift: rounds that disagree more warn */
    int targets;                /* --targets: check the reference's targets */
    int slow_round;             /* IPCBENCH_SLOW_ROUND: 1-based, 0 for none */
    double slow_factor;
    struct run_limits limits;
    const char *csv;
    const char *detail;         /* --detail: the CSV of spreads and ratios */
    const char *dir;
    const char *name;
};

/* The yardsticks, in the order ipcbench measures them; NULL at the end. */
extern const char *const references[];

/* 1 if name is one of the yardsticks. */
int is_reference(const char *name);

/* Parse the command line (and IPCBENCH_SLOW_ROUND); exits with status 2 on
 * bad usage, 0 after -l. */
void parse_options(int argc, char **argv, struct options *o);

#endif
