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

void write_table(FILE *out, const char *machine, const char *method,
                 const struct row *rows, size_t count)
{
    static const char *const workloads[] = { "latency", "throughput" };

    fprintf(out, "ipcbench: %s\n%s\n", machine, method);
    for (int w = 0; w < 2; w++) {
        for (int p = PLACE_UNPINNED; p <= PLACE_SPLIT; p++) {
            int header = 0;
            for (size_t i = 0; i < count; i++) {
                const struct row *row = &rows[i];
                char size[32], ratio[16];

                if (strcmp(row->workload, workloads[w]) != 0 || (int)row->placement != p)
                    continue;
                if (!header) {
                    if (w == 0)
                        fprintf(out, "\nlatency (round trip), placement %s\n"
                                "%-13s %8s %10s %10s %12s %7s %8s\n", placement_name(p),
                                "mechanism", "size", "p50 us", "p99 us", "round trips/s",
                                "spread", "vs pipe");
                    else
                        fprintf(out, "\nthroughput (one way), placement %s\n"
                                "%-13s %8s %12s %10s %7s %8s\n", placement_name(p),
                                "mechanism", "size", "messages/s", "MB/s", "spread", "vs pipe");
                    header = 1;
                }
                size_text(row->size, size, sizeof size);
                if (row->vs_pipe > 0)
                    snprintf(ratio, sizeof ratio, "%8.2f", row->vs_pipe);
                else
                    snprintf(ratio, sizeof ratio, "%8s", "-");
                fprintf(out, "%-13s %8s ", row->mechanism, size);
                if (strcmp(row->status, "ok") != 0)
                    fprintf(out, "%s\n", row->status);
                else if (w == 0)
                    fprintf(out, "%10.2f %10.2f %13.0f %6.0f%% %s\n", row->p50_us,
                            row->p99_us, row->messages_per_s, row->spread, ratio);
                else
                    fprintf(out, "%12.0f %10.1f %6.0f%% %s\n", row->messages_per_s,
                            row->mb_per_s, row->spread, ratio);
            }
        }
    }
}
