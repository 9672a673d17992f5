/*
 * semloop.c - the semaphore ring's yardstick: a minimal loop that moves the
 * same bytes through the same slots (16 of 64 KiB each way) with the same
 * POSIX semaphores as shm-posixsem, and the same messages and checks as the
 * workloads (message.c, workload.c: three bodies in turn; the echo of a
 * round trip compared in full after its time is taken, a streamed message
 * on arrival). So only the ring differs: what ipcbench measures for the ring
 * should come within 1.3 times of it; more is the ring's own cost (handout
 * section 2.5).
 *
 * latency:    round trips of a message, each one timed (ns into values);
 * throughput: messages one way until the child acknowledges the last one,
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

enum { SLOT_BYTES = 64 * 1024, SLOT_TOTAL = 16 };

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

/* The child: receive and check each message as the workloads' receiver
 * does (the body too when streaming), send back what asks for it, stop
 * after MESSAGE_END. A message that is not the one sent: exit 2. */
static void child_loop(struct semloop *shared, const struct message_set *set, int latency)
{
    unsigned char *message = malloc(set->size);
    size_t in = 0, out = 0;
    char why[200];

    if (message == NULL)
        _exit(1);
    for (uint64_t sequence = 0;; sequence++) {
        if (get(&shared->to_child, &in, message, set->size) == -1)
            _exit(1);
        if (message_check(set, message, sequence, !latency, why, sizeof why) == -1)
            _exit(2);
        uint32_t flags = message_flags(message);
        if ((flags & MESSAGE_ECHO) && put(&shared->to_parent, &out, message, set->size) == -1)
            _exit(1);
        if (flags & MESSAGE_END)
            _exit(0);
    }
}

struct parent {
    struct semloop *shared;
    struct message_set *set;
    unsigned char *reply;
    size_t out, in;
    uint64_t sequence;
};

/* Send the next message with flags; with MESSAGE_ECHO, wait for it to come
 * back. 0, or -1 with errno. */
static int send_one(struct parent *p, uint32_t flags)
{
    const unsigned char *message = message_stamp(p->set, p->sequence, flags);

    if (put(&p->shared->to_child, &p->out, message, p->set->size) == -1)
        return -1;
    return (flags & MESSAGE_ECHO) ? get(&p->shared->to_parent, &p->in, p->reply, p->set->size) : 0;
}

/* Check the echo of the message just sent, in full, as the workloads do; then
 * go on to the next message. 0, or -1 with a reason in why (errno 0: an
 * error, not a limit). */
static int echo_checked(struct parent *p, uint32_t flags, char *why, size_t why_size)
{
    if ((flags & MESSAGE_ECHO) &&
        message_check(p->set, p->reply, p->sequence, 1, why, why_size) == -1) {
        errno = 0;
        return -1;
    }
    p->sequence++;
    return 0;
}

/* The parent's loop: warm up for a tenth, then time; 0 or -1 with a reason in why. */
static int parent_loop(struct parent *p, int latency, const struct run_limits *limits,
                       struct samples *values, char *why, size_t why_size)
{
    unsigned long count = limits->count > 0 ? limits->count : 0, timed = 0;
    uint64_t start = now_ns(), timed_from = 0;

    for (unsigned long i = 0;; i++) {           /* the warm-up, its last echoed */
        int last = count > 0 ? i + 1 >= count / 10 + 1
                             : (double)(now_ns() - start) >= limits->seconds * 1e8;
        uint32_t flags = latency || last ? MESSAGE_ECHO : 0;
        if (send_one(p, flags) == -1)
            goto failed;
        if (echo_checked(p, flags, why, why_size) == -1)
            return -1;
        if (last)
            break;
    }
    timed_from = now_ns();
    for (;;) {
        int last = count > 0 ? timed + 1 >= count
                             : (double)(now_ns() - timed_from) >= limits->seconds * 1e9;
        uint32_t flags = latency || last ? MESSAGE_ECHO | (last ? MESSAGE_END : 0) : 0;
        uint64_t before = now_ns();
        if (send_one(p, flags) == -1)
            goto failed;
        uint64_t after = now_ns();
        timed++;
        if (latency && samples_add(values, (double)(after - before)) == -1)
            goto failed;
        if (echo_checked(p, flags, why, why_size) == -1)
            return -1;
        if (last)
            break;
    }
    if (!latency) {
        double seconds = (double)(now_ns() - timed_from) / 1e9;
        if (samples_add(values, (double)timed * (double)p->set->size / seconds / 1e6) == -1)
            goto failed;
    }
    return 0;
failed:
    snprintf(why, why_size, "semaphores: %s", strerror(errno));
    return -1;
}

int yardstick_semloop(struct message_set *set, int latency, const struct run_limits *limits,
                      const struct cpu_plan *plan, struct samples *values,
                      char *why, size_t why_size)
{
    struct parent p = { .set = set };
    int result = -1;

    p.shared = mmap(NULL, sizeof *p.shared, PROT_READ | PROT_WRITE,
                    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p.shared == MAP_FAILED) {
        snprintf(why, why_size, "mmap: %s", strerror(errno));
        return -1;
    }
    p.reply = malloc(set->size);
    if (p.reply == NULL) {
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
        child_loop(p.shared, set, latency);
    if (parent_loop(&p, latency, limits, values, why, why_size) == -1) {
        child_stop(child);
        goto out;
    }
    result = child_wait(child, why, why_size);
out:
    free(p.reply);
    munmap(p.shared, sizeof *p.shared);
    return result;
}
