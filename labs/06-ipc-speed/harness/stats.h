/*
 * stats.h - medians and percentiles of measurements.
 */
#ifndef STATS_H
#define STATS_H

#include <stddef.h>

/* A growing list of samples (nanoseconds, MB/s, ...). */
struct samples {
    double *values;
    size_t count, allocated;
};

/* Add a value. 0, or -1 with errno ENOMEM. */
int samples_add(struct samples *samples, double value);
void samples_clear(struct samples *samples);
void samples_free(struct samples *samples);

/* The value below which `percent` percent of the samples lie (nearest rank;
 * 50 is the median). Sorts the samples. 0 for no samples. */
double samples_percentile(struct samples *samples, double percent);

/* (largest - smallest) / median, in percent: how far repeats disagree. */
double samples_spread(struct samples *samples);

#endif
