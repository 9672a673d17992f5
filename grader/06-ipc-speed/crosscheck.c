/*
 * crosscheck.c - an independent measurement of a few of ipcbench's figures,
 * to show that ipcbench measures what it claims (bench --crosscheck).
 *
 * It shares no code with ipcbench: a plain ping-pong and a plain stream over
 * a pipe, a UNIX socket pair and a POSIX message queue, both processes pinned
 * to the first CPU (same, as ipcbench -p same) or one to each of the first
 * two (split). Each round trip is timed with clock_gettime and the median
 * printed (like ipcbench's: on two CPUs of a virtual machine a few round
 * trips wait milliseconds for the host, and they would move a mean); the
 * stream of 64 MiB is timed whole, until the child's acknowledgement, five
 * times, and the median printed.
 *
 * Usage: crosscheck [same|split]   prints lines "MECHANISM WORKLOAD SIZE VALUE UNIT"
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { ROUND_TRIPS = 20000, STREAMS = 5, STREAM_BYTES = 64 * 1024 * 1024 };

static void die(const char *what)
{
    fprintf(stderr, "crosscheck: %s: %s\n", what, strerror(errno));
    exit(1);
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cpus[2];             /* the parent's CPU and the child's */

/* Choose the CPUs: the first this process may use, for both (same) or the
 * first and the second (split). */
static void choose_cpus(int split)
{
    cpu_set_t allowed;
    int found = 0;

    if (sched_getaffinity(0, sizeof allowed, &allowed) == -1)
        die("sched_getaffinity");
    for (int cpu = 0; cpu < CPU_SETSIZE && found < 2; cpu++)
        if (CPU_ISSET(cpu, &allowed))
            cpus[found++] = cpu;
    if (found < 2 && split) {
        fprintf(stderr, "crosscheck: split needs two CPUs\n");
        exit(1);
    }
    if (!split || found < 2)
        cpus[1] = cpus[0];
}

static void pin(int cpu)
{
    cpu_set_t one;

    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    if (sched_setaffinity(0, sizeof one, &one) == -1)
        die("sched_setaffinity");
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* An fd pair, or a queue pair: how to move bytes one way and back. */
struct channel {
    int kind;                   /* 0: file descriptors, 1: message queues */
    int to_child[2], to_parent[2];
    mqd_t queue_to_child, queue_to_parent;
};

static void put(struct channel *c, int parent, const char *buf, size_t len)
{
    if (c->kind == 1) {
        if (mq_send(parent ? c->queue_to_child : c->queue_to_parent, buf, len, 0) == -1)
            die("mq_send");
        return;
    }
    int fd = parent ? c->to_child[1] : c->to_parent[1];
    for (size_t done = 0; done < len;) {
        ssize_t n = write(fd, buf + done, len - done);
        if (n == -1)
            die("write");
        done += (size_t)n;
    }
}

static void get(struct channel *c, int parent, char *buf, size_t len)
{
    if (c->kind == 1) {
        if (mq_receive(parent ? c->queue_to_parent : c->queue_to_child, buf, 8192, NULL) == -1)
            die("mq_receive");
        return;
    }
    int fd = parent ? c->to_parent[0] : c->to_child[0];
    for (size_t done = 0; done < len;) {
        ssize_t n = read(fd, buf + done, len - done);
        if (n <= 0)
            die("read");
        done += (size_t)n;
    }
}

static void open_channel(struct channel *c, const char *mechanism)
{
    memset(c, 0, sizeof *c);
    if (strcmp(mechanism, "pipe") == 0) {
        if (pipe(c->to_child) == -1 || pipe(c->to_parent) == -1)
            die("pipe");
    } else if (strcmp(mechanism, "unix") == 0) {
        int pair[2];
        if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair) == -1)
            die("socketpair");
        c->to_child[0] = c->to_parent[1] = pair[1];
        c->to_child[1] = c->to_parent[0] = pair[0];
    } else {
        char name[64];
        struct mq_attr attr = { .mq_maxmsg = 10, .mq_msgsize = 8192 };
        c->kind = 1;
        snprintf(name, sizeof name, "/crosscheck.%d.a", (int)getpid());
        c->queue_to_child = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
        if (c->queue_to_child == (mqd_t)-1 || mq_unlink(name) == -1)
            die("mq_open");
        snprintf(name, sizeof name, "/crosscheck.%d.b", (int)getpid());
        c->queue_to_parent = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &attr);
        if (c->queue_to_parent == (mqd_t)-1 || mq_unlink(name) == -1)
            die("mq_open");
    }
}

static void close_channel(struct channel *c)
{
    if (c->kind == 1) {
        mq_close(c->queue_to_child);
        mq_close(c->queue_to_parent);
        return;
    }
    close(c->to_child[0]);
    close(c->to_child[1]);
    if (c->to_parent[0] != c->to_child[1]) {
        close(c->to_parent[0]);
        close(c->to_parent[1]);
    }
}

static void measure(const char *mechanism, const char *workload, size_t size)
{
    static char buf[65536];
    static double round_trips[ROUND_TRIPS], speeds[STREAMS];
    struct channel c;
    int latency = strcmp(workload, "latency") == 0, streams = latency ? 1 : STREAMS;
    long count = latency ? ROUND_TRIPS : (long)(STREAM_BYTES / size);

    open_channel(&c, mechanism);
    pid_t child = fork();
    if (child == -1)
        die("fork");
    if (child == 0) {
        pin(cpus[1]);
        for (int stream = 0; stream < streams; stream++) {
            for (long i = 0; i < count; i++) {
                get(&c, 0, buf, size);
                if (latency)
                    put(&c, 0, buf, size);
            }
            if (!latency)
                put(&c, 0, buf, 64);            /* the acknowledgement */
        }
        _exit(0);
    }
    memset(buf, 7, sizeof buf);
    for (int stream = 0; stream < streams; stream++) {
        double start = now();
        for (long i = 0; i < count; i++) {
            double before = now();
            put(&c, 1, buf, size);
            if (latency) {
                get(&c, 1, buf, size);
                round_trips[i] = now() - before;
            }
        }
        if (!latency)
            get(&c, 1, buf, 64);
        speeds[stream] = (double)count * (double)size / (now() - start) / 1e6;
    }
    if (waitpid(child, NULL, 0) == -1)
        die("waitpid");
    close_channel(&c);
    if (latency) {
        qsort(round_trips, (size_t)count, sizeof round_trips[0], compare_doubles);
        printf("%s latency %zu %.2f us\n", mechanism, size, round_trips[count / 2] * 1e6);
    } else {
        qsort(speeds, (size_t)streams, sizeof speeds[0], compare_doubles);
        printf("%s throughput %zu %.1f MB/s\n", mechanism, size, speeds[streams / 2]);
    }
    fflush(stdout);
}

int main(int argc, char **argv)
{
    static const char *const mechanisms[] = { "pipe", "unix", "posixmq" };

    if (argc > 2 || (argc == 2 && strcmp(argv[1], "same") != 0 && strcmp(argv[1], "split") != 0)) {
        fprintf(stderr, "usage: crosscheck [same|split]\n");
        return 2;
    }
    choose_cpus(argc == 2 && strcmp(argv[1], "split") == 0);
    pin(cpus[0]);
    for (int i = 0; i < 3; i++) {
        measure(mechanisms[i], "latency", 64);
        measure(mechanisms[i], "throughput", i == 2 ? 4096 : 65536);
    }
    return 0;
}
