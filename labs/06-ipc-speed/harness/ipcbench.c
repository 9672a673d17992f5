/*
 * ipcbench.c - measure the speed of every IPC mechanism between two processes.
 *
 * Usage: see options.c (ipcbench -h).
 *
 * For each placement, workload and size, ipcbench measures every mechanism
 * once per repeat, the mechanisms in turn, so that a change in the machine's
 * load touches them all alike; with --rounds N it sweeps over everything N
 * times, one round after the other, and reports the median of every repeat of
 * every round, and how far the rounds disagree (compare.c). Every message is
 * checked on arrival: a transport that loses, repeats or garbles a byte makes
 * the row an error, and ipcbench exit with status 1; a target of --targets
 * that fails (targets.c), with status 3.
 *
 * Handout: handouts/06-ipc-speed.md, section 2.
 */
#include "busy.h"
#include "child.h"
#include "compare.h"
#include "message.h"
#include "options.h"
#include "placement.h"
#include "reference.h"
#include "report.h"
#include "stats.h"
#include "targets.h"
#include "transport.h"
#include "workload.h"
#include "yardstick.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ------------------------------------------------------------ measuring */

/* What the repeats of one row gather. */
struct cell {
    struct row row;
    struct samples p50, p99, rate, bandwidth, counts;
    int failed;             /* an error or a limit: measure no more */
};

static unsigned long measurements;      /* for unique names */

/* Record an error once: in the row, and on stderr. */
static void cell_error(struct cell *cell, const char *what, const char *why)
{
    snprintf(cell->row.status, sizeof cell->row.status, "error: %s%s%s", what,
             what[0] != '\0' ? ": " : "", why);
    fprintf(stderr, "ipcbench: %s %s %zu B %s: %s\n", cell->row.mechanism, cell->row.workload,
            cell->row.size, placement_name(cell->row.placement), cell->row.status + 7);
    cell->failed = 1;
}

static void cell_limit(struct cell *cell, const char *why)
{
    snprintf(cell->row.status, sizeof cell->row.status, "limit: %.200s", why);
    cell->failed = 1;
}

/* The message for a failed call; ENOSYS means the code is not written yet. */
static void call_failed(struct cell *cell, const struct transport_ops *ops, const char *call)
{
    char why[200];

    if (errno == ENOSYS)
        snprintf(why, sizeof why, "%s: not written yet (TODO in %s)", strerror(errno),
                 ops->source);
    else
        snprintf(why, sizeof why, "%s", strerror(errno));
    cell_error(cell, call, why);
}

/* One repeat of one transport: create, fork, attach, run, close. */
static void measure_transport(const struct transport_ops *ops, const struct options *o,
                              const struct cpu_plan *plan, struct message_set *set,
                              struct cell *cell, struct samples *round_trips)
{
    char name[NAME_MAX / 2], why[300];
    int latency = strcmp(cell->row.workload, "latency") == 0;
    struct transport_config config = { .name = name, .dir = o->dir, .message_size = set->size };

    snprintf(name, sizeof name, "%s.%lu", o->name, ++measurements);
    void *state = ops->create(&config);
    if (state == NULL) {
        if (errno == EMSGSIZE)
            cell_limit(cell, config.limit);
        else
            call_failed(cell, ops, "create");
        return;
    }
    pid_t child = child_start(ops->name, plan);
    if (child == -1) {
        cell_error(cell, "fork", strerror(errno));
        ops->close(state);
        return;
    }
    if (child == 0) {
        int status = 1;
        if (ops->attach(state, SIDE_CHILD) == -1)
            fprintf(stderr, "ipcbench: %s (child): attach: %s\n", ops->name, strerror(errno));
        else if (workload_child(ops, state, set, !latency, why, sizeof why) == -1)
            fprintf(stderr, "ipcbench: %s %s %zu B (child): %s\n", ops->name,
                    cell->row.workload, set->size, why);
        else if (ops->close(state) == -1)
            fprintf(stderr, "ipcbench: %s (child): close: %s\n", ops->name, strerror(errno));
        else
            status = 0;
        _exit(status);
    }

    double seconds = 0;
    unsigned long messages = 0;
    int result;
    samples_clear(round_trips);
    if (ops->attach(state, SIDE_PARENT) == -1) {
        call_failed(cell, ops, "attach");
        child_stop(child);
        ops->close(state);
        placement_restore(plan);
        return;
    }
    if (latency)
        result = latency_parent(ops, state, set, &o->limits, round_trips, why, sizeof why);
    else
        result = throughput_parent(ops, state, set, &o->limits, &seconds, &messages,
                                   why, sizeof why);
    if (result == -1) {
        child_stop(child);
        cell_error(cell, "", why);
        ops->close(state);
        placement_restore(plan);
        return;
    }
    if (child_wait(child, why, sizeof why) == -1)
        cell_error(cell, "", why);
    if (ops->close(state) == -1 && !cell->failed)
        call_failed(cell, ops, "close");
    if (placement_restore(plan) == -1 && !cell->failed)
        cell_error(cell, "sched_setaffinity", strerror(errno));
    if (cell->failed)
        return;

    if (latency) {
        samples_add(&cell->counts, (double)round_trips->count);
        samples_add(&cell->p50, samples_percentile(round_trips, 50) / 1e3);
        samples_add(&cell->p99, samples_percentile(round_trips, 99) / 1e3);
    } else {
        samples_add(&cell->counts, (double)messages);
        samples_add(&cell->rate, (double)messages / seconds);
        samples_add(&cell->bandwidth, (double)messages * (double)set->size / seconds / 1e6);
    }
}

/* One repeat of one reference. */
static void measure_reference(const char *reference, const struct options *o,
                              const struct cpu_plan *plan, struct message_set *set,
                              struct cell *cell, struct samples *values)
{
    char why[300];
    int result, latency = strcmp(cell->row.workload, "latency") == 0;
    size_t size = cell->row.size;

    samples_clear(values);
    if (strcmp(reference, "memcpy") == 0)
        result = reference_memcpy(&o->limits, values, why, sizeof why);
    else if (strcmp(reference, "memcpy-cached") == 0 || strcmp(reference, "memcpy-uncached") == 0)
        result = yardstick_memcpy(size, strcmp(reference, "memcpy-cached") == 0, &o->limits,
                                  values, why, sizeof why);
    else if (strcmp(reference, "xcpu-copy") == 0)
        result = yardstick_xcpu(set, &o->limits, plan, values, why, sizeof why);
    else if (strcmp(reference, "semloop") == 0)
        result = yardstick_semloop(set, latency, &o->limits, plan, values, why, sizeof why);
    else if (strcmp(reference, "cacheline") == 0)
        result = reference_cacheline(&o->limits, plan, values, why, sizeof why);
    else
        result = reference_futex(&o->limits, plan, values, why, sizeof why);
    if (placement_restore(plan) == -1 && result == 0) {
        snprintf(why, sizeof why, "sched_setaffinity: %s", strerror(errno));
        result = -1;
    }
    if (result == -1) {
        if (errno == EMSGSIZE)
            cell_limit(cell, why);
        else
            cell_error(cell, "", why);
        return;
    }
    samples_add(&cell->counts, (double)values->count);
    if (!latency) {
        double mb_per_s = samples_percentile(values, 50);
        samples_add(&cell->bandwidth, mb_per_s);
        samples_add(&cell->rate, mb_per_s * 1e6 / (double)size);
    } else {
        samples_add(&cell->p50, samples_percentile(values, 50) / 1e3);
        samples_add(&cell->p99, samples_percentile(values, 99) / 1e3);
    }
}

/* Which workload a reference belongs to, and at which sizes: the first only
 * (size_index 0), its own size in *size, or each. */
static int reference_applies(const char *reference, const char *workload, int size_index,
                             size_t *size)
{
    int latency = strcmp(workload, "latency") == 0;

    if (strcmp(reference, "semloop") == 0)
        return 1;
    if (strncmp(reference, "memcpy-", 7) == 0 || strcmp(reference, "xcpu-copy") == 0)
        return !latency;
    if (size_index > 0)
        return 0;
    if (strcmp(reference, "memcpy") == 0) {
        *size = MEMCPY_BYTES;
        return !latency;
    }
    *size = strcmp(reference, "cacheline") == 0 ? 64 : 4;
    return latency;
}

/* The figure a round is judged by: p50 (latency) or MB/s (throughput). */
static struct samples *primary(struct cell *cell)
{
    return strcmp(cell->row.workload, "latency") == 0 ? &cell->p50 : &cell->bandwidth;
}

/* The end of a round for a cell: its median over the samples from first on,
 * after IPCBENCH_SLOW_ROUND's slowing if this is that round. */
static void end_round(struct cell *cell, size_t first, int round, const struct options *o)
{
    struct samples these = { 0 };

    if (cell->failed)
        return;
    struct samples *values = primary(cell);
    if (values->count <= first)
        return;
    if (round + 1 == o->slow_round) {
        for (size_t i = first; i < cell->p50.count; i++) {
            cell->p50.values[i] *= o->slow_factor;
            cell->p99.values[i] *= o->slow_factor;
        }
        for (size_t i = first; i < cell->bandwidth.count; i++) {
            cell->bandwidth.values[i] /= o->slow_factor;
            cell->rate.values[i] /= o->slow_factor;
        }
    }
    for (size_t i = first; i < values->count; i++)
        if (samples_add(&these, values->values[i]) == -1) {
            cell_error(cell, "malloc", strerror(errno));
            samples_free(&these);
            return;
        }
    cell->row.round_value[cell->row.rounds++] = samples_percentile(&these, 50);
    samples_free(&these);
}

/* The medians of a cell's repeats, into its row. */
static void finish_row(struct cell *cell)
{
    struct row *row = &cell->row;

    if (cell->failed)
        return;
    row->count = (unsigned long)samples_percentile(&cell->counts, 50);
    if (strcmp(row->workload, "latency") == 0) {
        row->repeats = (int)cell->p50.count;
        row->p50_us = samples_percentile(&cell->p50, 50);
        row->p99_us = samples_percentile(&cell->p99, 50);
        row->messages_per_s = row->p50_us > 0 ? 1e6 / row->p50_us : 0;
        row->spread = samples_spread(&cell->p50);
    } else {
        row->repeats = (int)cell->bandwidth.count;
        row->messages_per_s = samples_percentile(&cell->rate, 50);
        row->mb_per_s = samples_percentile(&cell->bandwidth, 50);
        row->spread = samples_spread(&cell->bandwidth);
    }
    struct samples *values = primary(cell);
    row->low = values->values[0];                   /* sorted by samples_spread */
    row->high = values->values[values->count - 1];
    if (row->rounds > 1) {              /* on a copy: the rounds keep their order */
        double copy[sizeof row->round_value / sizeof row->round_value[0]];
        memcpy(copy, row->round_value, (size_t)row->rounds * sizeof copy[0]);
        struct samples rounds = { .values = copy, .count = (size_t)row->rounds };
        row->rounds_spread = samples_spread(&rounds);
    }
    strcpy(row->status, "ok");
}

static void free_cell(struct cell *cell)
{
    samples_free(&cell->p50);
    samples_free(&cell->p99);
    samples_free(&cell->rate);
    samples_free(&cell->bandwidth);
    samples_free(&cell->counts);
}

/* The cells of every placement, workload, size and mechanism; those that
 * measure nothing (a reference outside its workload or size) have failed -1. */
static struct cell *make_cells(const struct options *o, const struct cpu_plan *plans,
                               const int *plan_failed, char (*plan_why)[200])
{
    size_t total = (size_t)o->placement_count * (size_t)o->workload_count *
                   (size_t)o->size_count * (size_t)o->mechanism_count;
    struct cell *cells = calloc(total, sizeof *cells), *cell = cells;

    if (cells == NULL)
        return NULL;
    for (int p = 0; p < o->placement_count; p++)
        for (int w = 0; w < o->workload_count; w++)
            for (int s = 0; s < o->size_count; s++)
                for (int m = 0; m < o->mechanism_count; m++, cell++) {
                    size_t size = o->sizes[s];
                    cell->failed = -1;
                    if (is_reference(o->mechanisms[m]) &&
                        !reference_applies(o->mechanisms[m], o->workloads[w], s, &size))
                        continue;
                    cell->failed = 0;
                    cell->row.mechanism = o->mechanisms[m];
                    cell->row.workload = o->workloads[w];
                    cell->row.placement = plans[p].placement;
                    cell->row.size = size;
                    if (plan_failed[p])
                        cell_limit(cell, plan_why[p]);
                }
    return cells;
}

/* One round: every placement, workload and size, each mechanism in turn
 * once per repeat. 0, or -1 if the messages cannot be made. */
static int run_round(const struct options *o, const struct cpu_plan *plans, struct cell *cells,
                     int round, struct samples *scratch)
{
    size_t *first = calloc((size_t)o->mechanism_count, sizeof *first);

    if (first == NULL)
        return -1;
    for (int p = 0; p < o->placement_count; p++) {
        for (int w = 0; w < o->workload_count; w++) {
            for (int s = 0; s < o->size_count; s++) {
                struct cell *group = cells + (((size_t)p * (size_t)o->workload_count + (size_t)w) *
                                              (size_t)o->size_count + (size_t)s) *
                                             (size_t)o->mechanism_count;
                struct message_set set;
                if (messages_create(&set, o->sizes[s]) == -1) {
                    free(first);
                    return -1;
                }
                for (int m = 0; m < o->mechanism_count; m++)
                    first[m] = group[m].failed == -1 ? 0 : primary(&group[m])->count;
                for (int repeat = 0; repeat < o->repeats; repeat++) {
                    for (int m = 0; m < o->mechanism_count; m++) {
                        if (group[m].failed)
                            continue;
                        if (is_reference(o->mechanisms[m]))
                            measure_reference(o->mechanisms[m], o, &plans[p], &set,
                                              &group[m], scratch);
                        else
                            measure_transport(transport_find(o->mechanisms[m]), o, &plans[p],
                                              &set, &group[m], scratch);
                    }
                }
                for (int m = 0; m < o->mechanism_count; m++)
                    end_round(&group[m], first[m], round, o);
                messages_destroy(&set);
            }
        }
    }
    free(first);
    return 0;
}

/* Write the table (or the CSV, for -o -), the CSV file and the detail file.
 * 0, or -1 after a message. */
/* Beyond this share of the CPUs used by others, the machine was busy. */
#define BUSY_PCT 25.0

/* The line about the others' use of the machine, after prefix. */
static void write_busy(FILE *out, const char *prefix, double busy_pct)
{
    if (busy_pct < 0)
        return;
    fprintf(out, "%s%sbusy: other processes (and the host) used %.0f%% of the CPUs during the "
            "run (threshold %.0f%%)%s\n", prefix, busy_pct > BUSY_PCT ? "WARNING: " : "",
            busy_pct, BUSY_PCT, busy_pct > BUSY_PCT ? ": the machine was not quiet; these "
            "figures are uncertain, measure again" : "");
}

static int write_results(const struct options *o, const char *machine, const char *method,
                         const struct row *rows, size_t count, const struct drift *drifts,
                         double busy_pct)
{
    if (o->csv != NULL && strcmp(o->csv, "-") == 0) {
        write_csv(stdout, machine, rows, count);
        write_drift(stdout, "# ", drifts, o->placement_count, o->drift_pct);
        write_busy(stdout, "# ", busy_pct);
    } else {
        write_table(stdout, machine, method, rows, count);
        fputc('\n', stdout);
        write_drift(stdout, "", drifts, o->placement_count, o->drift_pct);
        write_busy(stdout, "", busy_pct);
    }
    const char *files[2] = { o->csv, o->detail };
    for (int f = 0; f < 2; f++) {
        if (files[f] == NULL || strcmp(files[f], "-") == 0)
            continue;
        FILE *out = fopen(files[f], "w");
        if (out == NULL) {
            fprintf(stderr, "ipcbench: %s: %s\n", files[f], strerror(errno));
            return -1;
        }
        if (f == 0)
            write_csv(out, machine, rows, count);
        else
            write_detail(out, machine, rows, count);
        write_drift(out, "# ", drifts, o->placement_count, o->drift_pct);
        write_busy(out, "# ", busy_pct);
        if (fclose(out) == EOF) {
            fprintf(stderr, "ipcbench: %s: %s\n", files[f], strerror(errno));
            return -1;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct options o;
    char machine[400], method[300], plan_why[3][200];
    struct samples scratch = { 0 };
    struct cpu_plan plans[3];
    struct drift drifts[3];
    int plan_failed[3], errors = 0, failed_targets = 0;
    size_t row_count = 0;

    parse_options(argc, argv, &o);
    if (child_watch_init() == -1) {
        perror("ipcbench: sigaction");
        return 1;
    }
    for (int p = 0; p < o.placement_count; p++) {
        plan_failed[p] = placement_plan(o.placements[p], &plans[p], plan_why[p],
                                        sizeof plan_why[p]) == -1;
        plans[p].placement = o.placements[p];
    }
    size_t total = (size_t)o.placement_count * (size_t)o.workload_count *
                   (size_t)o.size_count * (size_t)o.mechanism_count;
    struct cell *cells = make_cells(&o, plans, plan_failed, plan_why);
    struct row *rows = calloc(total, sizeof *rows);
    if (rows == NULL || cells == NULL) {
        perror("ipcbench: calloc");
        return 1;
    }
    struct busy_reading before, after;
    int busy_known = busy_read(&before) == 0;
    for (int round = 0; round < o.rounds; round++)
        if (run_round(&o, plans, cells, round, &scratch) == -1) {
            perror("ipcbench: messages");
            return 1;
        }
    busy_known = busy_known && busy_read(&after) == 0;
    double busy_pct = busy_known ? busy_others_pct(&before, &after) : -1;
    for (size_t i = 0; i < total; i++) {
        if (cells[i].failed == -1)
            continue;
        finish_row(&cells[i]);
        if (strncmp(cells[i].row.status, "error", 5) == 0)
            errors++;
        rows[row_count++] = cells[i].row;
        free_cell(&cells[i]);
    }
    compare_rows(rows, row_count);
    for (int p = 0; p < o.placement_count; p++)
        measure_drift(rows, row_count, o.placements[p], o.drift_pct, &drifts[p]);

    describe_machine(machine, sizeof machine);
    int length = snprintf(method, sizeof method, "median of %d round%s of %d repeats ",
                          o.rounds, o.rounds == 1 ? "" : "s", o.repeats);
    if (o.limits.count > 0)
        snprintf(method + length, sizeof method - (size_t)length,
                 "of %lu timed messages each, after a warm-up", o.limits.count);
    else
        snprintf(method + length, sizeof method - (size_t)length,
                 "of %.0f ms each, after a warm-up", o.limits.seconds * 1e3);
    if (o.slow_round > 0) {
        length = (int)strlen(method);
        snprintf(method + length, sizeof method - (size_t)length,
                 " (IPCBENCH_SLOW_ROUND: round %d counted %g times slower, for a test)",
                 o.slow_round, o.slow_factor);
    }
    if (write_results(&o, machine, method, rows, row_count, drifts, busy_pct) == -1)
        return 1;
    if (o.targets)
        failed_targets = check_targets(stdout, o.csv != NULL && strcmp(o.csv, "-") == 0 ? "# " : "",
                                       rows, row_count, drifts, o.placement_count,
                                       busy_pct > BUSY_PCT ? busy_pct : 0);
    if (fflush(stdout) == EOF) {
        perror("ipcbench: stdout");
        return 1;
    }
    samples_free(&scratch);
    free(cells);
    free(rows);
    return errors > 0 ? 1 : failed_targets > 0 ? 3 : 0;
}
