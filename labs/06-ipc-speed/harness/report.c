/*
 * report.c - ipcbench's results, as CSV for gnuplot and as a table to read.
 *
 * Every number says where it comes from: the machine (CPU model, CPUs,
 * kernel), the method (repeats, medians), and in each row how many repeats
 * and messages it rests on and how far the repeats disagree.
 *
 * Handout: handouts/06-ipc-speed.md, section 2.6.
 */
#include "report.h"

#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

void describe_machine(char *description, size_t size)
{
    char model[128] = "unknown CPU", line[256];
    FILE *cpuinfo = fopen("/proc/cpuinfo", "r");
    struct utsname system;

    if (cpuinfo != NULL) {
        while (fgets(line, sizeof line, cpuinfo) != NULL) {
            char *colon = strchr(line, ':');
            if (strncmp(line, "model name", 10) == 0 && colon != NULL) {
                snprintf(model, sizeof model, "%s", colon + 2);
                model[strcspn(model, "\n")] = '\0';
                break;
            }
        }
        fclose(cpuinfo);
    }
    if (uname(&system) == -1)
        strcpy(system.release, "unknown kernel");
    snprintf(description, size, "%s, %ld CPUs online, %d usable, Linux %s %s", model,
             sysconf(_SC_NPROCESSORS_ONLN), placement_cpu_count(), system.release,
             system.machine);
}

/* A number, or nothing when there is none. */
static void csv_number(FILE *out, double value, const char *format)
{
    if (value > 0)
        fprintf(out, format, value);
    fputc(',', out);
}

void write_csv(FILE *out, const char *machine, const struct row *rows, size_t count)
{
    fprintf(out, "# ipcbench: %s\n", machine);
    fprintf(out, "# latency: round trip of one message there and back; throughput: one way, "
                 "until the receiver acknowledges; MB = 10^6 bytes; vs_pipe > 1 is faster\n");
    fprintf(out, "mechanism,workload,placement,size,repeats,count,p50_us,p99_us,"
                 "msgs_per_s,mb_per_s,spread_pct,vs_pipe,status\n");
    for (size_t i = 0; i < count; i++) {
        const struct row *row = &rows[i];
        fprintf(out, "%s,%s,%s,%zu,%d,%lu,", row->mechanism, row->workload,
                placement_name(row->placement), row->size, row->repeats, row->count);
        csv_number(out, row->p50_us, "%.3f");
        csv_number(out, row->p99_us, "%.3f");
        csv_number(out, row->messages_per_s, "%.0f");
        csv_number(out, row->mb_per_s, "%.1f");
        fprintf(out, "%.1f,", row->spread);
        csv_number(out, row->vs_pipe, "%.2f");
        /* The status may hold commas: quote it, doubling any quote. */
        fputc('"', out);
        for (const char *c = row->status; *c != '\0'; c++) {
            if (*c == '"')
                fputc('"', out);
            fputc(*c, out);
        }
        fputs("\"\n", out);
    }
}

static void size_text(size_t size, char *text, size_t text_size)
{
    if (size >= 1024 * 1024 && size % (1024 * 1024) == 0)
        snprintf(text, text_size, "%zu MiB", size / (1024 * 1024));
    else if (size >= 1024 && size % 1024 == 0)
        snprintf(text, text_size, "%zu KiB", size / 1024);
    else
        snprintf(text, text_size, "%zu B", size);
}

void write_detail(FILE *out, const char *machine, const struct row *rows, size_t count)
{
    fprintf(out, "# ipcbench: %s\n", machine);
    fprintf(out, "# low, high: the smallest and largest figure of every repeat and round (p50_us "
                 "for latency, mb_per_s for throughput); rounds_spread_pct: (largest - smallest) "
                 "/ median of the rounds' medians; vs_*: speed / the yardstick's speed at the same "
                 "size and placement (cached, uncached: memcpy-cached, memcpy-uncached; memcpy: "
                 "of 64 MiB; xcpu: xcpu-copy; semloop), > 1 is faster\n");
    fprintf(out, "mechanism,workload,placement,size,value,low,high,rounds,rounds_spread_pct,"
                 "vs_cached,vs_uncached,vs_memcpy,vs_xcpu,vs_semloop,status\n");
    for (size_t i = 0; i < count; i++) {
        const struct row *row = &rows[i];
        double value = strcmp(row->workload, "latency") == 0 ? row->p50_us : row->mb_per_s;
        fprintf(out, "%s,%s,%s,%zu,", row->mechanism, row->workload,
                placement_name(row->placement), row->size);
        csv_number(out, value, "%.4g");
        csv_number(out, row->low, "%.4g");
        csv_number(out, row->high, "%.4g");
        fprintf(out, "%d,%.1f,", row->rounds, row->rounds_spread);
        csv_number(out, row->vs_cached, "%.3f");
        csv_number(out, row->vs_uncached, "%.3f");
        csv_number(out, row->vs_memcpy, "%.3f");
        csv_number(out, row->vs_xcpu, "%.3f");
        csv_number(out, row->vs_semloop, "%.3f");
        fprintf(out, "%s\n", strncmp(row->status, "ok", 3) == 0 ? "ok" :
                             strncmp(row->status, "limit", 5) == 0 ? "limit" : "error");
    }
}

/* A ratio in a column of width 7, or "-". */
static void ratio_column(FILE *out, double ratio)
{
    if (ratio > 0)
        fprintf(out, " %8.2f", ratio);
    else
        fprintf(out, " %8s", "-");
}

void write_table(FILE *out, const char *machine, const char *method,
                 const struct row *rows, size_t count)
{
    static const char *const workloads[] = { "latency", "throughput" };

    fprintf(out, "ipcbench: %s\n%s\n", machine, method);
    fprintf(out, "spread: (largest - smallest) / median of every repeat; rounds: the same, of "
                 "the rounds' medians;\nvs X: speed / X's speed (> 1 is faster); cache, mem: "
                 "memcpy-cached, memcpy-uncached at the same size; 64M: memcpy of 64 MiB;\n"
                 "xcpu: xcpu-copy at the same size; loop: semloop at the same size\n");
    for (int w = 0; w < 2; w++) {
        for (int p = PLACE_UNPINNED; p <= PLACE_SPLIT; p++) {
            int header = 0;
            for (size_t i = 0; i < count; i++) {
                const struct row *row = &rows[i];
                char size[32];

                if (strcmp(row->workload, workloads[w]) != 0 || (int)row->placement != p)
                    continue;
                if (!header) {
                    if (w == 0)
                        fprintf(out, "\nlatency (round trip), placement %s\n"
                                "%-15s %8s %10s %10s %13s %6s %6s %8s %8s\n",
                                placement_name(p), "mechanism", "size", "p50 us", "p99 us",
                                "round trips/s", "spread", "rounds", "vs pipe", "vs loop");
                    else
                        fprintf(out, "\nthroughput (one way), placement %s\n"
                                "%-15s %8s %12s %10s %6s %6s %8s %8s %8s %8s %8s %8s\n",
                                placement_name(p), "mechanism", "size", "messages/s", "MB/s",
                                "spread", "rounds", "vs pipe", "vs cache", "vs mem", "vs 64M",
                                "vs xcpu", "vs loop");
                    header = 1;
                }
                size_text(row->size, size, sizeof size);
                fprintf(out, "%-15s %8s ", row->mechanism, size);
                if (strcmp(row->status, "ok") != 0) {
                    fprintf(out, "%s\n", row->status);
                    continue;
                }
                if (w == 0)
                    fprintf(out, "%10.2f %10.2f %13.0f %5.0f%% %5.0f%%", row->p50_us,
                            row->p99_us, row->messages_per_s, row->spread, row->rounds_spread);
                else
                    fprintf(out, "%12.0f %10.1f %5.0f%% %5.0f%%", row->messages_per_s,
                            row->mb_per_s, row->spread, row->rounds_spread);
                ratio_column(out, row->vs_pipe);
                if (w == 1) {
                    ratio_column(out, row->vs_cached);
                    ratio_column(out, row->vs_uncached);
                    ratio_column(out, row->vs_memcpy);
                    ratio_column(out, row->vs_xcpu);
                }
                ratio_column(out, row->vs_semloop);
                fputc('\n', out);
            }
        }
    }
}

void write_drift(FILE *out, const char *prefix, const struct drift *drifts, int count,
                 double threshold_pct)
{
    for (int i = 0; i < count; i++) {
        const struct drift *d = &drifts[i];
        if (d->rounds < 2)
            continue;
        fprintf(out, "%s%sdrift, placement %s: over %d rows, round %d ran %.2fx as fast as "
                "round %d (threshold %.0f%%)%s\n", prefix, d->fired ? "WARNING: " : "",
                placement_name(d->placement), d->points, d->fastest, d->ratio, d->slowest,
                threshold_pct, d->fired ? ": the machine drifted; these figures are uncertain, "
                "measure again" : ": the rounds agree");
    }
}
