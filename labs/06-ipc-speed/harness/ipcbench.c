/*
 * ipcbench.c - measure the speed of every IPC mechanism between two processes.
 *
 * Usage: ipcbench [-m MECHANISMS] [-s SIZES] [-w WORKLOADS] [-p PLACEMENTS]
 *                 [-r REPEATS] [-t MILLISECONDS | -n COUNT] [-o CSV-FILE]
 *                 [-d DIRECTORY] [-N NAME] [-l]
 *
 * For each placement, workload and size, ipcbench measures every mechanism
 * once per repeat, the mechanisms in turn, so that a change in the machine's
 * load touches them all alike; it reports the median of the repeats. Every
 * message is checked on arrival: a transport that loses, repeats or garbles a
 * byte makes the row an error, and ipcbench exit with status 1.
 *
 * Handout: handouts/06-ipc-speed.md, section 2.
 */
#include "child.h"
#include "message.h"
#include "placement.h"
#include "reference.h"
#include "report.h"
#include "stats.h"
#include "transport.h"
#include "workload.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
    "usage: ipcbench [-m MECHANISMS] [-s SIZES] [-w WORKLOADS] [-p PLACEMENTS]\n"
    "                [-r REPEATS] [-t MILLISECONDS | -n COUNT] [-o CSV-FILE]\n"
    "                [-d DIRECTORY] [-N NAME] [-l]\n"
    "  -m  mechanisms, comma-separated (default all; -l lists them)\n"
    "  -s  message sizes in bytes, K and M allowed (default 64,256,1K,4K,16K,64K,256K,1M)\n"
    "  -w  latency,throughput (default both)\n"
    "  -p  placements: unpinned, same (one CPU), split (one CPU each) (default unpinned)\n"
    "  -r  repeats, for the median (default 5)\n"
    "  -t  milliseconds each measurement runs (default 50)\n"
    "  -n  messages each measurement times, instead of -t\n"
    "  -o  write the CSV to this file ('-': to standard output, without the table)\n"
    "  -d  the directory for FIFOs and sockets (default $TMPDIR, or /tmp)\n"
    "  -N  the prefix of the names of IPC objects (default ipcbench.PID)\n"
    "  -l  list the mechanisms and exit\n";

enum { MAX_LIST = 32 };

/* The references, measured like the transports. */
static const char *const references[] = { "memcpy", "cacheline", "futex" };

struct options {
    const char *mechanisms[MAX_LIST];
    int mechanism_count;
    size_t sizes[MAX_LIST];
    int size_count;
    const char *workloads[2];
    int workload_count;
    enum placement placements[3];
    int placement_count;
    int repeats;
    struct run_limits limits;
    const char *csv;
    const char *dir;
    const char *name;
};

static void usage(void)
{
    fputs(usage_text, stderr);
    exit(2);
}

static void bad_usage(const char *what, const char *value)
{
    fprintf(stderr, "ipcbench: %s: '%s'\n", what, value);
    usage();
}

static int is_reference(const char *name)
{
    for (int i = 0; i < 3; i++)
        if (strcmp(name, references[i]) == 0)
            return 1;
    return 0;
}

/* Split a comma-separated list in place; returns the number of items. */
static int split_list(char *list, const char **items, int max, const char *what)
{
    int count = 0;

    for (char *item = strtok(list, ","); item != NULL; item = strtok(NULL, ",")) {
        if (count == max)
            bad_usage(what, "too many items");
        items[count++] = item;
    }
    if (count == 0)
        bad_usage(what, "an empty list");
    return count;
}

static size_t parse_size(const char *text)
{
    char *end;
    errno = 0;
    unsigned long long value = strtoull(text, &end, 10);

    if (errno != 0 || end == text || text[0] == '-')
        bad_usage("a size must be a number of bytes", text);
    if (strcmp(end, "K") == 0 || strcmp(end, "k") == 0)
        value *= 1024;
    else if (strcmp(end, "M") == 0 || strcmp(end, "m") == 0)
        value *= 1024 * 1024;
    else if (*end != '\0')
        bad_usage("a size must be a number of bytes, K and M allowed", text);
    if (value < MESSAGE_MIN || value > 64 * 1024 * 1024)
        bad_usage("a size must be from 32 bytes to 64 MiB", text);
    return (size_t)value;
}

static long parse_number(const char *text, long max, const char *what)
{
    char *end;
    errno = 0;
    long value = strtol(text, &end, 10);

    if (errno != 0 || end == text || *end != '\0' || value < 1 || value > max)
        bad_usage(what, text);
    return value;
}

static void list_mechanisms(void)
{
    for (int i = 0; all_transports[i] != NULL; i++)
        printf("%-13s %s\n", all_transports[i]->name, all_transports[i]->description);
    printf("%-13s %s\n", "memcpy", "reference: memcpy of 64 MiB in one process (throughput)");
    printf("%-13s %s\n", "cacheline", "reference: a cache line to the other CPU and back (latency)");
    printf("%-13s %s\n", "futex", "reference: futex wake and wait, each way (latency)");
}

static void parse_options(int argc, char **argv, struct options *o)
{
    static char default_sizes[] = "64,256,1K,4K,16K,64K,256K,1M";
    static char default_workloads[] = "latency,throughput";
    static char default_name[64];
    char *sizes = default_sizes, *workloads = default_workloads, *placements = NULL;
    char *mechanisms = NULL;
    const char *texts[MAX_LIST];
    int option;

    memset(o, 0, sizeof *o);
    o->repeats = 5;
    o->limits.seconds = 0.05;
    o->dir = getenv("TMPDIR") != NULL && getenv("TMPDIR")[0] != '\0' ? getenv("TMPDIR") : "/tmp";
    snprintf(default_name, sizeof default_name, "ipcbench.%ld", (long)getpid());
    o->name = default_name;
    while ((option = getopt(argc, argv, "m:s:w:p:r:t:n:o:d:N:lh")) != -1) {
        switch (option) {
        case 'm': mechanisms = optarg; break;
        case 's': sizes = optarg; break;
        case 'w': workloads = optarg; break;
        case 'p': placements = optarg; break;
        case 'r': o->repeats = (int)parse_number(optarg, 1000, "-r needs a number of repeats"); break;
        case 't':
            o->limits.seconds = (double)parse_number(optarg, 3600000, "-t needs milliseconds") / 1e3;
            o->limits.count = 0;
            break;
        case 'n': o->limits.count = (unsigned long)parse_number(optarg, 100000000, "-n needs a count"); break;
        case 'o': o->csv = optarg; break;
        case 'd': o->dir = optarg; break;
        case 'N': o->name = optarg; break;
        case 'l': list_mechanisms(); exit(0);
        default: usage();
        }
    }
    if (optind != argc)
        bad_usage("unexpected argument", argv[optind]);

    if (mechanisms == NULL || strcmp(mechanisms, "all") == 0) {
        for (int i = 0; i < 3; i++)
            o->mechanisms[o->mechanism_count++] = references[i];
        for (int i = 0; all_transports[i] != NULL; i++)
            o->mechanisms[o->mechanism_count++] = all_transports[i]->name;
    } else {
        o->mechanism_count = split_list(mechanisms, o->mechanisms, MAX_LIST, "-m");
        for (int i = 0; i < o->mechanism_count; i++)
            if (transport_find(o->mechanisms[i]) == NULL && !is_reference(o->mechanisms[i]))
                bad_usage("no such mechanism (ipcbench -l lists them)", o->mechanisms[i]);
    }
    o->size_count = split_list(sizes, texts, MAX_LIST, "-s");
    for (int i = 0; i < o->size_count; i++)
        o->sizes[i] = parse_size(texts[i]);
    o->workload_count = split_list(workloads, o->workloads, 2, "-w");
    for (int i = 0; i < o->workload_count; i++)
        if (strcmp(o->workloads[i], "latency") != 0 && strcmp(o->workloads[i], "throughput") != 0)
            bad_usage("a workload is latency or throughput", o->workloads[i]);
    if (placements == NULL) {
        o->placements[o->placement_count++] = PLACE_UNPINNED;
    } else {
        o->placement_count = split_list(placements, texts, 3, "-p");
        for (int i = 0; i < o->placement_count; i++)
            if (placement_parse(texts[i], &o->placements[i]) == -1)
                bad_usage("a placement is unpinned, same or split", texts[i]);
    }
}

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
    snprintf(cell->row.status, sizeof cell->row.status, "limit: %s", why);
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
                              const struct cpu_plan *plan, struct cell *cell,
                              struct samples *values)
{
    char why[300];
    int result;

    samples_clear(values);
    if (strcmp(reference, "memcpy") == 0)
        result = reference_memcpy(&o->limits, values, why, sizeof why);
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
    if (strcmp(reference, "memcpy") == 0) {
        double mb_per_s = samples_percentile(values, 50);
        samples_add(&cell->bandwidth, mb_per_s);
        samples_add(&cell->rate, mb_per_s * 1e6 / MEMCPY_BYTES);
    } else {
        samples_add(&cell->p50, samples_percentile(values, 50) / 1e3);
        samples_add(&cell->p99, samples_percentile(values, 99) / 1e3);
    }
}

/* Which workload a reference belongs to; its size column. */
static int reference_applies(const char *reference, const char *workload, size_t *size)
{
    if (strcmp(reference, "memcpy") == 0) {
        *size = MEMCPY_BYTES;
        return strcmp(workload, "throughput") == 0;
    }
    *size = strcmp(reference, "cacheline") == 0 ? 64 : 4;
    return strcmp(workload, "latency") == 0;
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
    strcpy(row->status, "ok");
}

/* Speeds relative to the pipe in the same workload, placement and size. */
static void compare_with_pipe(struct row *rows, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        for (size_t j = 0; j < count; j++) {
            const struct row *pipe = &rows[j];
            if (strcmp(pipe->mechanism, "pipe") != 0 || strcmp(pipe->status, "ok") != 0 ||
                strcmp(rows[i].status, "ok") != 0 || is_reference(rows[i].mechanism) ||
                strcmp(pipe->workload, rows[i].workload) != 0 ||
                pipe->placement != rows[i].placement || pipe->size != rows[i].size)
                continue;
            if (strcmp(rows[i].workload, "latency") == 0)
                rows[i].vs_pipe = pipe->p50_us / rows[i].p50_us;
            else
                rows[i].vs_pipe = rows[i].mb_per_s / pipe->mb_per_s;
        }
    }
}

static void free_cell(struct cell *cell)
{
    samples_free(&cell->p50);
    samples_free(&cell->p99);
    samples_free(&cell->rate);
    samples_free(&cell->bandwidth);
    samples_free(&cell->counts);
}

int main(int argc, char **argv)
{
    struct options o;
    char machine[400], method[200];
    struct samples scratch = { 0 };
    struct row *rows;
    size_t row_count = 0;
    int errors = 0;

    parse_options(argc, argv, &o);
    if (child_watch_init() == -1) {
        perror("ipcbench: sigaction");
        return 1;
    }
    size_t most = (size_t)o.placement_count * (size_t)o.workload_count *
                  (size_t)o.size_count * (size_t)o.mechanism_count;
    rows = calloc(most, sizeof *rows);
    struct cell *cells = calloc((size_t)o.mechanism_count, sizeof *cells);
    if (rows == NULL || cells == NULL) {
        perror("ipcbench: calloc");
        return 1;
    }

    for (int p = 0; p < o.placement_count; p++) {
        struct cpu_plan plan;
        char why[200];
        int plan_failed = placement_plan(o.placements[p], &plan, why, sizeof why) == -1;

        for (int w = 0; w < o.workload_count; w++) {
            for (int s = 0; s < o.size_count; s++) {
                struct message_set set;
                if (messages_create(&set, o.sizes[s]) == -1) {
                    perror("ipcbench: messages");
                    return 1;
                }
                int active = 0;
                for (int m = 0; m < o.mechanism_count; m++) {
                    struct cell *cell = &cells[m];
                    size_t size = o.sizes[s];
                    int reference = is_reference(o.mechanisms[m]);

                    memset(cell, 0, sizeof *cell);
                    cell->failed = -1;          /* not measured in this size */
                    if (reference && (s > 0 ||
                        !reference_applies(o.mechanisms[m], o.workloads[w], &size)))
                        continue;
                    cell->failed = 0;
                    active++;
                    cell->row.mechanism = o.mechanisms[m];
                    cell->row.workload = o.workloads[w];
                    cell->row.placement = o.placements[p];
                    cell->row.size = size;
                    if (plan_failed)
                        cell_limit(cell, why);
                }
                for (int repeat = 0; repeat < o.repeats && active > 0; repeat++) {
                    for (int m = 0; m < o.mechanism_count; m++) {
                        if (cells[m].failed)
                            continue;
                        if (is_reference(o.mechanisms[m]))
                            measure_reference(o.mechanisms[m], &o, &plan, &cells[m], &scratch);
                        else
                            measure_transport(transport_find(o.mechanisms[m]), &o, &plan, &set,
                                              &cells[m], &scratch);
                    }
                }
                for (int m = 0; m < o.mechanism_count; m++) {
                    if (cells[m].failed == -1)
                        continue;
                    finish_row(&cells[m]);
                    if (strncmp(cells[m].row.status, "error", 5) == 0)
                        errors++;
                    rows[row_count++] = cells[m].row;
                    free_cell(&cells[m]);
                }
                messages_destroy(&set);
            }
        }
    }
    compare_with_pipe(rows, row_count);

    describe_machine(machine, sizeof machine);
    if (o.limits.count > 0)
        snprintf(method, sizeof method, "median of %d repeats of %lu timed messages each, "
                 "after a warm-up", o.repeats, o.limits.count);
    else
        snprintf(method, sizeof method, "median of %d repeats of %.0f ms each, after a warm-up",
                 o.repeats, o.limits.seconds * 1e3);
    if (o.csv != NULL && strcmp(o.csv, "-") == 0) {
        write_csv(stdout, machine, rows, row_count);
    } else {
        write_table(stdout, machine, method, rows, row_count);
        if (o.csv != NULL) {
            FILE *out = fopen(o.csv, "w");
            if (out == NULL) {
                fprintf(stderr, "ipcbench: %s: %s\n", o.csv, strerror(errno));
                return 1;
            }
            write_csv(out, machine, rows, row_count);
            if (fclose(out) == EOF) {
                fprintf(stderr, "ipcbench: %s: %s\n", o.csv, strerror(errno));
                return 1;
            }
        }
    }
    if (fflush(stdout) == EOF) {
        perror("ipcbench: stdout");
        return 1;
    }
    samples_free(&scratch);
    free(cells);
    free(rows);
    return errors > 0 ? 1 : 0;
}
