/*
 * semloop.c - the semaphore ring's yardstick: a minimal loop that moves the
 * same bytes through the same slots (16 of 64 KiB each way) with the same
 * POSIX semaphores as shm-posixsem, and nothing else: one message buffer per
 * process, no numbering, no checking. What ipcbench measures for the ring
 * should come within 1.3 times of it; more is the harness's own cost, or the
 * ring's (handout section 2.5).
 *
 * latency:    round trips of size bytes, each one timed (ns into values);
 * throughput: size bytes one way until the child acknowledges the last one,
 *             one figure in MB/s (10^6 bytes) into values.
 */
#include "yardstick.h"
#include "child.h"

#include <errno.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

enum { SLOT_BYTES = 64 * 1024, SLOT_TOTAL = 16, ECHO = 1, END = 2 };

struct semring {
    sem_t free_slots, full_slots;
    unsigned char data[SLOT_TOTAL][SLOT_BYTES];
};

struct semloop {
    struct semring to_child, to_parent;
};

static int wait_for(sem_t *semaphore)
{
    while (sem_wait(semaphore) == -1)
        if (errno != EINTR)
            return -1;
    return 0;
}

/* Copy len bytes into the ring, a slot at a time. */
static int put(struct semring *ring, size_t *index, const unsigned char *buf, size_t len)
{
    for (size_t done = 0; done < len; (*index)++) {
        size_t piece = len - done < SLOT_BYTES ? len - done : SLOT_BYTES;
        if (wait_for(&ring->free_slots) == -1)
            return -1;
        memcpy(ring->data[*index % SLOT_TOTAL], buf + done, piece);
        done += piece;
        if (sem_post(&ring->full_slots) == -1)
            return -1;
    }
    return 0;
}

/* Copy len bytes out, the slots put() filled for a message of len bytes. */
static int get(struct semring *ring, size_t *index, unsigned char *buf, size_t len)
{
    for (size_t done = 0; done < len; (*index)++) {
        size_t piece = len - done < SLOT_BYTES ? len - done : SLOT_BYTES;
        if (wait_for(&ring->full_slots) == -1)
            return -1;
        memcpy(buf + done, ring->data[*index % SLOT_TOTAL], piece);
        done += piece;
        if (sem_post(&ring->free_slots) == -1)
            return -1;
    }
    return 0;
}

/* The child: receive, send back what asks for it, stop after END. */
static void child_loop(struct semloop *shared, size_t size)
{
    unsigned char *message = malloc(size);
    size_t in = 0, out = 0;

    if (message == NULL)
        _exit(1);
    for (;;) {
        if (get(&shared->to_child, &in, message, size) == -1)
            _exit(1);
        uint32_t flags;
        memcpy(&flags, message, sizeof flags);
        if ((flags & ECHO) && put(&shared->to_parent, &out, message, size) == -1)
            _exit(1);
        if (flags & END)
            _exit(0);
    }
}

struct parent {
    struct semloop *shared;
    unsigned char *message, *reply;
    size_t size, out, in;
};

/* Send one message with flags; with ECHO, wait for it to come back. */
static int send_one(struct parent *p, uint32_t flags)
{
    memcpy(p->message, &flags, sizeof flags);
    if (put(&p->shared->to_child, &p->out, p->message, p->size) == -1)
        return -1;
    return (flags & ECHO) ? get(&p->shared->to_parent, &p->in, p->reply, p->size) : 0;
}

/* The parent's loop: warm up for a tenth, then time; 0 or -1 with errno. */
static int parent_loop(struct parent *p, int latency, const struct run_limits *limits,
                       struct samples *values)
{
    unsigned long count = limits->count > 0 ? limits->count : 0, timed = 0;
    uint64_t start = now_ns(), timed_from = 0;

    for (unsigned long i = 0;; i++) {           /* the warm-up, its last echoed */
        int last = count > 0 ? i + 1 >= count / 10 + 1
                             : (double)(now_ns() - start) >= limits->seconds * 1e8;
        if (send_one(p, latency || last ? ECHO : 0) == -1)
            return -1;
        if (last)
            break;
    }
    timed_from = now_ns();
    for (;;) {
        int last = count > 0 ? timed + 1 >= count
                             : (double)(now_ns() - timed_from) >= limits->seconds * 1e9;
        uint64_t before = now_ns();
        if (send_one(p, latency || last ? ECHO | (last ? END : 0) : 0) == -1)
            return -1;
        timed++;
        if (latency && samples_add(values, (double)(now_ns() - before)) == -1)
            return -1;
        if (last)
            break;
    }
    if (!latency) {
        double seconds = (double)(now_ns() - timed_from) / 1e9;
        if (samples_add(values, (double)timed * (double)p->size / seconds / 1e6) == -1)
            return -1;
    }
    return 0;
}

int yardstick_semloop(size_t size, int latency, const struct run_limits *limits,
                      const struct cpu_plan *plan, struct samples *values,
                      char *why, size_t why_size)
{
    struct parent p = { .size = size };
    int result = -1;

    p.shared = mmap(NULL, sizeof *p.shared, PROT_READ | PROT_WRITE,
                    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p.shared == MAP_FAILED) {
        snprintf(why, why_size, "mmap: %s", strerror(errno));
        return -1;
    }
    p.message = calloc(1, size);
    p.reply = malloc(size);
    if (p.message == NULL || p.reply == NULL) {
        snprintf(why, why_size, "malloc: %s", strerror(errno));
        goto out;
    }
    if (sem_init(&p.shared->to_child.free_slots, 1, SLOT_TOTAL) == -1 ||
        sem_init(&p.shared->to_child.full_slots, 1, 0) == -1 ||
        sem_init(&p.shared->to_parent.free_slots, 1, SLOT_TOTAL) == -1 ||
        sem_init(&p.shared->to_parent.full_slots, 1, 0) == -1) {
        snprintf(why, why_size, "sem_init: %s", strerror(errno));
        goto out;
    }
    pid_t child = child_start("semloop", plan);
    if (child == -1) {
        snprintf(why, why_size, "fork: %s", strerror(errno));
        goto out;
    }
    if (child == 0)
        child_loop(p.shared, size);
    if (parent_loop(&p, latency, limits, values) == -1) {
        snprintf(why, why_size, "semaphores: %s", strerror(errno));
        child_stop(child);
        goto out;
    }
    result = child_wait(child, why, why_size);
out:
    free(p.message);
    free(p.reply);
    munmap(p.shared, sizeof *p.shared);
    return result;
}
