/*
 * options.c - ipcbench's command line: what to measure, how often, where the
 * results go.
 *
 * Handout: handouts/06-ipc-speed.md, section 2.1.
 */
#include "options.h"
#include "message.h"
#include "transport.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
    "usage: ipcbench [-m MECHANISMS] [-s SIZES] [-w WORKLOADS] [-p PLACEMENTS]\n"
    "                [-r REPEATS] [--rounds N] [-t MILLISECONDS | -n COUNT]\n"
    "                [-o CSV-FILE] [--detail CSV-FILE] [--drift PERCENT] [--targets]\n"
    "                [-d DIRECTORY] [-N NAME] [-l]\n"
    "  -m  mechanisms, comma-separated (default all; -l lists them)\n"
    "  -s  message sizes in bytes, K and M allowed (default 64,256,1K,4K,16K,64K,256K,1M)\n"
    "  -w  latency,throughput (default both)\n"
    "  -p  placements: unpinned, same (one CPU), split (one CPU each) (default unpinned)\n"
    "  -r  repeats in each round, for the median (default 5)\n"
    "  --rounds  sweeps over every measurement, one after the other (default 1)\n"
    "  -t  milliseconds each measurement runs (default 50)\n"
    "  -n  messages each measurement times, instead of -t\n"
    "  -o  write the CSV to this file ('-': to standard output, without the table)\n"
    "  --detail  write each row's spread and ratios to the yardsticks to this CSV file\n"
    "  --drift   warn when rounds disagree by more than this percent (default 20)\n"
    "  --targets check the reference solution's targets (handout section 8.4)\n"
    "  -d  the directory for FIFOs and sockets (default $TMPDIR, or /tmp)\n"
    "  -N  the prefix of the names of IPC objects (default ipcbench.PID)\n"
    "  -l  list the mechanisms and exit\n";

const char *const references[] = {
    "memcpy", "memcpy-cached", "memcpy-uncached", "xcpu-copy", "semloop", "cacheline", "futex",
    NULL,
};

static const char *const reference_descriptions[] = {
    "reference: memcpy of 64 MiB in one process (throughput)",
    "reference: memcpy of one message, the same buffers again and again (throughput)",
    "reference: memcpy of one message, through 64 MiB: out of the cache (throughput)",
    "reference: one CPU copies a message in, the other copies it out (throughput)",
    "reference: shm-posixsem's slots and semaphores in a minimal loop (both)",
    "reference: a cache line to the other CPU and back (latency)",
    "reference: futex wake and wait, each way (latency)",
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

int is_reference(const char *name)
{
    for (int i = 0; references[i] != NULL; i++)
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
        printf("%-15s %s\n", all_transports[i]->name, all_transports[i]->description);
    for (int i = 0; references[i] != NULL; i++)
        printf("%-15s %s\n", references[i], reference_descriptions[i]);
}

/* IPCBENCH_SLOW_ROUND=K[:F], for the tests: every figure of round K counts
 * F times slower (default 3), as if the machine had drifted. */
static void parse_slow_round(struct options *o)
{
    const char *text = getenv("IPCBENCH_SLOW_ROUND");
    char *end;

    o->slow_factor = 3;
    if (text == NULL || text[0] == '\0')
        return;
    o->slow_round = (int)strtol(text, &end, 10);
    if (*end == ':')
        o->slow_factor = strtod(end + 1, &end);
    if (*end != '\0' || o->slow_round < 1 || o->slow_factor <= 0) {
        fprintf(stderr, "ipcbench: IPCBENCH_SLOW_ROUND must be ROUND or ROUND:FACTOR: '%s'\n",
                text);
        exit(2);
    }
}

void parse_options(int argc, char **argv, struct options *o)
{
    static char default_sizes[] = "64,256,1K,4K,16K,64K,256K,1M";
    static char default_workloads[] = "latency,throughput";
    static char default_name[64];
    static const struct option long_options[] = {
        { "rounds", required_argument, NULL, 'R' },
        { "detail", required_argument, NULL, 'D' },
        { "drift", required_argument, NULL, 'F' },
        { "targets", no_argument, NULL, 'T' },
        { NULL, 0, NULL, 0 },
    };
    char *sizes = default_sizes, *workloads = default_workloads, *placements = NULL;
    char *mechanisms = NULL;
    const char *texts[MAX_LIST];
    int option;

    memset(o, 0, sizeof *o);
    o->repeats = 5;
    o->rounds = 1;
    o->drift_pct = 20;
    o->limits.seconds = 0.05;
    o->dir = getenv("TMPDIR") != NULL && getenv("TMPDIR")[0] != '\0' ? getenv("TMPDIR") : "/tmp";
    snprintf(default_name, sizeof default_name, "ipcbench.%ld", (long)getpid());
    o->name = default_name;
    parse_slow_round(o);
    while ((option = getopt_long(argc, argv, "m:s:w:p:r:t:n:o:d:N:lh", long_options,
                                 NULL)) != -1) {
        switch (option) {
        case 'm': mechanisms = optarg; break;
        case 's': sizes = optarg; break;
        case 'w': workloads = optarg; break;
        case 'p': placements = optarg; break;
        case 'r': o->repeats = (int)parse_number(optarg, 1000, "-r needs a number of repeats"); break;
        case 'R': o->rounds = (int)parse_number(optarg, 100, "--rounds needs a number"); break;
        case 'D': o->detail = optarg; break;
        case 'F': o->drift_pct = (double)parse_number(optarg, 1000, "--drift needs a percent"); break;
        case 'T': o->targets = 1; break;
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
        for (int i = 0; references[i] != NULL; i++)
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
