/*
 * report.h - ipcbench's results: one row per mechanism, workload, placement
 * and size, written as CSV and as a table.
 */
#ifndef REPORT_H
#define REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "placement.h"

struct row {
    const char *mechanism;
    const char *workload;       /* "latency" or "throughput" */
    enum placement placement;
    size_t size;                /* bytes per message */
    int repeats;                /* repeats that measured something */
    unsigned long count;        /* timed messages (round trips) in one repeat, median */
    double p50_us, p99_us;      /* latency: round trip, median over repeats */
    double messages_per_s;      /* latency: round trips per second */
    double mb_per_s;            /* throughput: 10^6 bytes per second */
    double spread;              /* percent: how far the repeats disagree */
    double vs_pipe;             /* speed relative to the pipe's; 0 when unknown */
    char status[240];           /* "ok", "limit: ..." or "error: ..." */
    /* For --detail and the table (compare.c): */
    double low, high;           /* the slowest and fastest figure (p50 us or MB/s) */
    int rounds;                 /* rounds that measured something */
    double rounds_spread;       /* percent: how far the rounds' medians disagree */
    double round_value[100];    /* each round's median (p50 us or MB/s) */
    /* speed relative to a yardstick's at the same size and placement; 0 when unknown */
    double vs_cached, vs_uncached, vs_memcpy, vs_xcpu, vs_semloop;
};

/* How far the rounds of one placement disagree, all its rows together. */
struct drift {
    enum placement placement;
    int rounds;                 /* rounds compared (0: not measured) */
    int points;                 /* rows compared */
    int slowest, fastest;       /* rounds (1-based) */
    double ratio;               /* the fastest round's speed / the slowest's */
    int fired;                  /* ratio beyond the threshold: the figures are uncertain */
};

/* "CPU model, N CPUs, kernel release": where the numbers come from. */
void describe_machine(char *description, size_t size);

/* The CSV: comment lines (#) with the machine, a header, one line per row. */
void write_csv(FILE *out, const char *machine, const struct row *rows, size_t count);

/* The CSV of --detail: each row's spread, rounds and ratios to the yardsticks. */
void write_detail(FILE *out, const char *machine, const struct row *rows, size_t count);

/* A table for people, a section per workload and placement. */
void write_table(FILE *out, const char *machine, const char *method,
                 const struct row *rows, size_t count);

/* One line per placement whose rounds were compared, after prefix; "WARNING:
 * ..." when they disagree beyond threshold_pct. */
void write_drift(FILE *out, const char *prefix, const struct drift *drifts, int count,
                 double threshold_pct);

#endif
