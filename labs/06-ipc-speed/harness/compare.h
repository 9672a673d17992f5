/*
 * compare.h - every row against the pipe and the yardsticks, and the rounds
 * of each placement against each other.
 */
#ifndef COMPARE_H
#define COMPARE_H

#include <stddef.h>

#include "report.h"

/* Set vs_pipe and the vs_* ratios of every row that is ok. */
void compare_rows(struct row *rows, size_t count);

/* How far the rounds of placement disagree: for each round, the median over
 * the rows that are ok of (that round's speed / the first round's); the
 * fastest round over the slowest. Fires beyond threshold_pct. */
void measure_drift(const struct row *rows, size_t count, enum placement placement,
                   double threshold_pct, struct drift *drift);

#endif
