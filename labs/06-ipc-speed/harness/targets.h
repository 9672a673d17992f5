/*
 * targets.h - the reference solution's targets (ipcbench --targets).
 */
#ifndef TARGETS_H
#define TARGETS_H

#include <stddef.h>
#include <stdio.h>

#include "report.h"

/* One line per target and size, after prefix: pass, fail, or inconclusive
 * when the rounds of its placement drifted, or others used busy_pct (> 0)
 * of the machine. Returns the number that failed. */
int check_targets(FILE *out, const char *prefix, const struct row *rows, size_t count,
                  const struct drift *drifts, int drift_count, double busy_pct);

#endif
