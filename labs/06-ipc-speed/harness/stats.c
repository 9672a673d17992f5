/*
 * stats.c - medians and percentiles of measurements.
 *
 * A benchmark reports medians, not means: one round trip that waited 10 ms
 * for the CPU (another process ran) moves a mean a lot and a median not at
 * all. The 99th percentile shows those slow ones on purpose.
 *
 * Handout: handouts/06-ipc-speed.md, section 2.2.
 */
#include "stats.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

int samples_add(struct samples *samples, double value)
{
    if (samples->count == samples->allocated) {
        size_t allocated = samples->allocated == 0 ? 1024 : 2 * samples->allocated;
        double *values = realloc(samples->values, allocated * sizeof *values);
        if (values == NULL) {
            errno = ENOMEM;
            return -1;
        }
        samples->values = values;
        samples->allocated = allocated;
    }
    samples->values[samples->count++] = value;
    return 0;
}

void samples_clear(struct samples *samples)
{
    samples->count = 0;
}

void samples_free(struct samples *samples)
{
    free(samples->values);
    samples->values = NULL;
    samples->count = samples->allocated = 0;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double samples_percentile(struct samples *samples, double percent)
{
    if (samples->count == 0)
        return 0;
    qsort(samples->values, samples->count, sizeof *samples->values, compare_doubles);
    size_t rank = (size_t)ceil(percent / 100.0 * (double)samples->count);
    if (rank < 1)
        rank = 1;
    if (rank > samples->count)
        rank = samples->count;
    return samples->values[rank - 1];
}

double samples_spread(struct samples *samples)
{
    double median = samples_percentile(samples, 50);

    if (samples->count < 2 || median == 0)
        return 0;
    return 100.0 * (samples->values[samples->count - 1] - samples->values[0]) / median;
}
