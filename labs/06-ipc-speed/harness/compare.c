/*
 * compare.c - every row against the pipe and the yardsticks, and the rounds
 * of each placement against each other.
 *
 * A ratio is a speed over a speed, measured in the same run, the same
 * placement and (for the yardsticks measured at every size) the same size:
 * above 1 is faster. Drift: if the machine was slower during one round (the
 * host ran something else), every row of that round is slower alike; the
 * median over all rows of (a round's speed / the first round's) shows it,
 * where each row's own spread would not.
 *
 * Handout: handouts/06-ipc-speed.md, sections 2.2 and 2.5.
 */
#include "compare.h"
#include "options.h"

#include <stdlib.h>
#include <string.h>

static int is_latency(const struct row *row)
{
    return strcmp(row->workload, "latency") == 0;
}

/* Speed of a over speed of b: round trips per time, or bytes per time. */
static double speed_ratio(const struct row *a, const struct row *b)
{
    if (is_latency(a))
        return a->p50_us > 0 ? b->p50_us / a->p50_us : 0;
    return b->mb_per_s > 0 ? a->mb_per_s / b->mb_per_s : 0;
}

/* The row of mechanism in row's workload and placement, at row's size (or
 * at any size: any_size), that is ok; NULL if none. */
static const struct row *find(const struct row *rows, size_t count, const struct row *row,
                              const char *mechanism, const char *workload, int any_size)
{
    for (size_t i = 0; i < count; i++) {
        const struct row *r = &rows[i];
        if (strcmp(r->mechanism, mechanism) == 0 && strcmp(r->workload, workload) == 0 &&
            r->placement == row->placement && (any_size || r->size == row->size) &&
            strcmp(r->status, "ok") == 0)
            return r;
    }
    return NULL;
}

static double ratio_to(const struct row *rows, size_t count, const struct row *row,
                       const char *mechanism, int any_size)
{
    const struct row *other = find(rows, count, row, mechanism, row->workload, any_size);
    return other != NULL && other != row ? speed_ratio(row, other) : 0;
}

void compare_rows(struct row *rows, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        struct row *row = &rows[i];
        if (strcmp(row->status, "ok") != 0)
            continue;
        if (strcmp(row->mechanism, "pipe") == 0)
            row->vs_pipe = 1;
        else if (!is_reference(row->mechanism))
            row->vs_pipe = ratio_to(rows, count, row, "pipe", 0);
        row->vs_semloop = ratio_to(rows, count, row, "semloop", 0);
        if (is_latency(row))
            continue;
        row->vs_cached = ratio_to(rows, count, row, "memcpy-cached", 0);
        row->vs_uncached = ratio_to(rows, count, row, "memcpy-uncached", 0);
        row->vs_memcpy = ratio_to(rows, count, row, "memcpy", 1);
        row->vs_xcpu = ratio_to(rows, count, row, "xcpu-copy", 0);
    }
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void measure_drift(const struct row *rows, size_t count, enum placement placement,
                   double threshold_pct, struct drift *drift)
{
    int rounds = 0;

    memset(drift, 0, sizeof *drift);
    drift->placement = placement;
    for (size_t i = 0; i < count; i++)
        if (rows[i].placement == placement && strcmp(rows[i].status, "ok") == 0 &&
            rows[i].rounds > rounds)
            rounds = rows[i].rounds;
    double *ratios = malloc(count * sizeof *ratios);
    if (rounds < 2 || ratios == NULL) {
        free(ratios);
        return;
    }
    /* Each round against the first: the median over the rows of the speed
     * in round r / the speed in round 1. */
    double lowest = 1, highest = 1;
    drift->slowest = drift->fastest = 1;
    for (int r = 1; r < rounds; r++) {
        size_t n = 0;
        for (size_t i = 0; i < count; i++) {
            const struct row *row = &rows[i];
            double first = row->round_value[0], value = row->round_value[r];
            if (row->placement != placement || strcmp(row->status, "ok") != 0 ||
                row->rounds != rounds || first <= 0 || value <= 0)
                continue;
            ratios[n++] = is_latency(row) ? first / value : value / first;
        }
        if (n == 0)
            continue;
        qsort(ratios, n, sizeof *ratios, compare_doubles);
        double speed = n % 2 == 1 ? ratios[n / 2] : (ratios[n / 2 - 1] + ratios[n / 2]) / 2;
        drift->points = (int)n;
        if (speed < lowest) {
            lowest = speed;
            drift->slowest = r + 1;
        }
        if (speed > highest) {
            highest = speed;
            drift->fastest = r + 1;
        }
    }
    free(ratios);
    drift->rounds = rounds;
    drift->ratio = highest / lowest;
    drift->fired = drift->ratio > 1 + threshold_pct / 100;
}
