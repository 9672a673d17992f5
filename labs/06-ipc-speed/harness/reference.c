/*
 * reference.c - what the hardware and the kernel can do at best, measured in
 * the same run as the transports, to compare them with.
 *
 *   memcpy     the speed of copying memory: no transport that copies the
 *              data once can beat it; a kernel copy (in, then out) does two.
 *   cacheline  the time for a cache line to go from one CPU to the other and
 *              back: the floor for any round trip through shared memory.
 *   futex      one process wakes the other and sleeps until woken back: the
 *              floor for any round trip in which both sides sleep.
 *
 * Handout: handouts/06-ipc-speed.md, section 2.5.
 */
#include "reference.h"
#include "child.h"
#include "futex.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int failed(const char *what, char *why, size_t why_size)
{
    snprintf(why, why_size, "%s: %s", what, strerror(errno));
    return -1;
}

int reference_memcpy(const struct run_limits *limits, struct samples *speeds,
                     char *why, size_t why_size)
{
    char *from = malloc(MEMCPY_BYTES), *to = malloc(MEMCPY_BYTES);
    int result = -1;

    if (from == NULL || to == NULL) {
        failed("malloc", why, why_size);
        goto out;
    }
    memset(from, 1, MEMCPY_BYTES);      /* touch every page first: no page faults timed */
    memset(to, 2, MEMCPY_BYTES);
    /* ... and keep the compiler from leaving out the memset of to, which the
     * memcpy overwrites (gcc -O2 does): its page faults would be timed. */
    __asm__ volatile("" : : "r"(to) : "memory");
    uint64_t start = now_ns();
    for (unsigned long copies = 0;; copies++) {
        uint64_t before = now_ns();
        memcpy(to, from, MEMCPY_BYTES);
        uint64_t after = now_ns();
        if (samples_add(speeds, MEMCPY_BYTES / ((double)(after - before) / 1e9) / 1e6) == -1) {
            failed("malloc", why, why_size);
            goto out;
        }
        if (limits->count > 0 ? copies + 1 >= 3 : (double)(after - start) >= limits->seconds * 1e9)
            break;
    }
    result = (to[MEMCPY_BYTES - 1] == 1) ? 0 : -1;  /* and the copy happened */
    if (result == -1)
        snprintf(why, why_size, "memcpy did not copy");
out:
    free(from);
    free(to);
    return result;
}

/* A word on a cache line of its own, in memory shared with the child. */
struct shared_word {
    _Alignas(64) _Atomic uint64_t value;
    _Atomic uint32_t turn;          /* for the futex reference */
    char padding[64 - sizeof(uint64_t) - sizeof(uint32_t)];
};

enum { CACHELINE_END = 0 };         /* the value that tells the child to stop */

static struct shared_word *map_shared_word(void)
{
    void *memory = mmap(NULL, sizeof(struct shared_word), PROT_READ | PROT_WRITE,
                        MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED)
        return NULL;
    return memory;
}

static int keep_going(const struct run_limits *limits, unsigned long done, uint64_t start)
{
    if (limits->count > 0)
        return done < limits->count + limits->count / 10 + 1;
    return (double)(now_ns() - start) < limits->seconds * 1.1e9;
}

int reference_cacheline(const struct run_limits *limits, const struct cpu_plan *plan,
                        struct samples *round_trips, char *why, size_t why_size)
{
    if (plan->placement == PLACE_SAME || placement_cpu_count() < 2) {
        snprintf(why, why_size, "spinning needs the two processes on two CPUs");
        errno = EMSGSIZE;       /* a limit, not an error */
        return -1;
    }
    struct shared_word *word = map_shared_word();
    if (word == NULL)
        return failed("mmap", why, why_size);
    atomic_store(&word->value, 2);

    pid_t child = child_start("cacheline", plan);
    if (child == -1) {
        failed("fork", why, why_size);
        munmap(word, sizeof *word);
        return -1;
    }
    if (child == 0) {
        /* The child answers odd values with the next even one. */
        uint64_t expected = 3;
        for (;;) {
            uint64_t value = atomic_load_explicit(&word->value, memory_order_acquire);
            if (value == CACHELINE_END)
                _exit(0);
            if (value == expected) {
                atomic_store_explicit(&word->value, expected + 1, memory_order_release);
                expected += 2;
            }
        }
    }
    uint64_t start = now_ns(), value = 2;
    int result = 0;
    for (unsigned long done = 0; keep_going(limits, done, start); done++) {
        uint64_t before = now_ns();
        atomic_store_explicit(&word->value, value + 1, memory_order_release);
        while (atomic_load_explicit(&word->value, memory_order_acquire) != value + 2)
            continue;
        uint64_t after = now_ns();
        value += 2;
        /* The first tenth warms up. */
        if ((limits->count > 0 ? done > limits->count / 10
                               : (double)(before - start) >= limits->seconds * 1e8) &&
            samples_add(round_trips, (double)(after - before)) == -1) {
            result = failed("malloc", why, why_size);
            break;
        }
    }
    atomic_store_explicit(&word->value, CACHELINE_END, memory_order_release);
    if (child_wait(child, why, why_size) == -1)
        result = -1;
    munmap(word, sizeof *word);
    return result;
}

int reference_futex(const struct run_limits *limits, const struct cpu_plan *plan,
                    struct samples *round_trips, char *why, size_t why_size)
{
    struct shared_word *word = map_shared_word();
    if (word == NULL)
        return failed("mmap", why, why_size);
    atomic_store(&word->turn, 0);

    pid_t child = child_start("futex", plan);
    if (child == -1) {
        failed("fork", why, why_size);
        munmap(word, sizeof *word);
        return -1;
    }
    if (child == 0) {
        /* turn: 1 = the child's, 2 = the parent's, 3 = stop. */
        for (;;) {
            uint32_t turn = atomic_load(&word->turn);
            if (turn == 3)
                _exit(0);
            if (turn != 1) {
                if (futex_wait(&word->turn, turn) == -1)
                    _exit(1);
                continue;
            }
            atomic_store(&word->turn, 2);
            if (futex_wake(&word->turn) == -1)
                _exit(1);
        }
    }
    uint64_t start = now_ns();
    int result = 0;
    for (unsigned long done = 0; result == 0 && keep_going(limits, done, start); done++) {
        uint64_t before = now_ns();
        atomic_store(&word->turn, 1);
        if (futex_wake(&word->turn) == -1) {
            result = failed("futex_wake", why, why_size);
            break;
        }
        uint32_t turn;
        while ((turn = atomic_load(&word->turn)) != 2)
            if (futex_wait(&word->turn, turn) == -1) {
                result = failed("futex_wait", why, why_size);
                break;
            }
        uint64_t after = now_ns();
        if ((limits->count > 0 ? done > limits->count / 10
                               : (double)(before - start) >= limits->seconds * 1e8) &&
            samples_add(round_trips, (double)(after - before)) == -1)
            result = failed("malloc", why, why_size);
    }
    atomic_store(&word->turn, 3);
    futex_wake(&word->turn);
    if (child_wait(child, why, why_size) == -1)
        result = -1;
    munmap(word, sizeof *word);
    return result;
}
