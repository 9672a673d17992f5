/*
 * targets.c - the reference solution's targets, against yardsticks measured
 * in the same run (ipcbench --targets; make bench SRC=solutions).
 *
 * A target compares a speed with a yardstick's at the same size and
 * placement. When the rounds of that placement disagreed (compare.c: the
 * machine drifted), neither pass nor fail means anything: the verdict is
 * "inconclusive", with the drift that was seen.
 *
 * Handout: handouts/06-ipc-speed.md, section 8.4.
 */
#include "targets.h"

#include <string.h>

struct target {
    const char *mechanism, *workload;
    int placement;              /* enum placement, or -1 for same and split */
    size_t min_size;
    const char *yardstick;
    double at_least;            /* speed / the yardstick's speed */
};

static const struct target targets[] = {
    { "shm-spsc", "throughput", PLACE_SPLIT, 64 * 1024, "xcpu-copy", 0.7 },
    { "shm-posixsem", "latency", -1, 64 * 1024, "semloop", 1 / 1.3 },
};

static double ratio_of(const struct row *row, const char *yardstick)
{
    return strcmp(yardstick, "xcpu-copy") == 0 ? row->vs_xcpu : row->vs_semloop;
}

static const struct drift *drift_of(const struct drift *drifts, int count,
                                    enum placement placement)
{
    for (int i = 0; i < count; i++)
        if (drifts[i].placement == placement)
            return &drifts[i];
    return NULL;
}

int check_targets(FILE *out, const char *prefix, const struct row *rows, size_t count,
                  const struct drift *drifts, int drift_count)
{
    int failed = 0, checked = 0;

    if (prefix[0] == '\0')
        fputc('\n', out);
    for (size_t t = 0; t < sizeof targets / sizeof targets[0]; t++) {
        const struct target *target = &targets[t];
        for (size_t i = 0; i < count; i++) {
            const struct row *row = &rows[i];
            if (strcmp(row->mechanism, target->mechanism) != 0 ||
                strcmp(row->workload, target->workload) != 0 || row->size < target->min_size ||
                (target->placement == -1 ? row->placement == PLACE_UNPINNED
                                         : (int)row->placement != target->placement))
                continue;
            double ratio = ratio_of(row, target->yardstick);
            const struct drift *drift = drift_of(drifts, drift_count, row->placement);
            fprintf(out, "%starget: %s %s %s %zu B: ", prefix, row->mechanism, row->workload,
                    placement_name(row->placement), row->size);
            checked++;
            if (strcmp(row->status, "ok") != 0 || ratio <= 0) {
                fprintf(out, "not measured (%s or %s missing): fail\n", row->mechanism,
                        target->yardstick);
                failed++;
                continue;
            }
            fprintf(out, "%.2fx the speed of %s (at least %.2fx): ", ratio, target->yardstick,
                    target->at_least);
            if (drift != NULL && drift->fired)
                fprintf(out, "inconclusive (the rounds drifted: round %d ran %.2fx as fast as "
                        "round %d)\n", drift->fastest, drift->ratio, drift->slowest);
            else if (ratio >= target->at_least)
                fprintf(out, "pass\n");
            else {
                fprintf(out, "fail\n");
                failed++;
            }
        }
    }
    if (checked == 0)
        fprintf(out, "%starget: none measured (they need shm-spsc, shm-posixsem, xcpu-copy and "
                "semloop at 64 KiB or more, in same or split)\n", prefix);
    return failed;
}
