/*
 * spsc.c - a lock-free single-producer/single-consumer byte ring.
 *
 * The rules that make it correct, with C11 atomics:
 *   - the writer copies bytes in, then stores head with release ordering;
 *     the reader loads head with acquire ordering, then copies the bytes out.
 *     Release/acquire is the promise that a reader who sees the new head
 *     also sees the bytes written before it.
 *   - the same the other way: the reader stores tail (release) after copying
 *     out; the writer loads tail (acquire) before it overwrites that space.
 *   - a side that goes to sleep sets its sleeping flag, then looks at the
 *     other's counter once more; the other side stores its counter, then
 *     looks at the flag. A seq_cst fence between the store and the load, on
 *     both sides, makes sure that at least one of the two sees the other's
 *     store: a wake-up is never lost.
 *
 * Handout: handouts/06-ipc-speed.md, section 6.
 */
#define _GNU_SOURCE         /* sched_getcpu */
#include "spsc.h"
#include "futex.h"

#include <errno.h>
#include <sched.h>
#include <string.h>
#include <time.h>

/* How long a side spins before it sleeps, when the other side runs on
 * another CPU: longer than the other side takes to be woken and to answer
 * (12-40 us in a virtual machine), so that after one slow hand-off the next
 * ones are fast again. */
enum { SPIN_NS = 50 * 1000 };

/* The writer publishes at least every CHUNK bytes, so that the reader can
 * start copying out while the writer is still copying in. */
enum { CHUNK = 64 * 1024 };

size_t spsc_size(size_t capacity)
{
    return sizeof(struct spsc_ring) + capacity;
}

int spsc_init(struct spsc_ring *ring, size_t capacity)
{
    /* TODO (handout section 6.2): EINVAL unless capacity is a power of two
     * (and not 0); then both counters, what each side has seen of the
     * other's and both sleeping flags start at 0, both CPUs at -1
     * (atomic_init for the _Atomic fields). */
    if (capacity == 0 || (capacity & (capacity - 1)) != 0) {
        errno = EINVAL;
        return -1;
    }
    atomic_init(&ring->head, 0);
    atomic_init(&ring->tail, 0);
    ring->tail_seen = 0;
    ring->head_seen = 0;
    atomic_init(&ring->reader_sleeping, 0);
    atomic_init(&ring->writer_sleeping, 0);
    atomic_init(&ring->writer_cpu, -1);
    atomic_init(&ring->reader_cpu, -1);
    ring->capacity = capacity;
    return 0;
    /* END TODO */
}

/* Tell the processor that this is a spin loop (x86: the PAUSE instruction). */
static void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

/* Nanoseconds on the monotonic clock (a vDSO call: no system call). */
static uint64_t now_ns(void)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

/* Note in *mine the CPU this process runs on; store only when it changed,
 * so that the cache line is not taken from the other side for nothing. */
static void note_cpu(_Atomic int *mine)
{
    int cpu = sched_getcpu();

    if (atomic_load_explicit(mine, memory_order_relaxed) != cpu)
        atomic_store_explicit(mine, cpu, memory_order_relaxed);
}

/* How long to spin while waiting for the other side, whose CPU *theirs
 * notes: not at all if it last ran on this CPU (it cannot run while we
 * spin), SPIN_NS otherwise. */
static uint64_t spin_time(const _Atomic int *theirs)
{
    int cpu = sched_getcpu();

    if (cpu >= 0 && atomic_load_explicit(theirs, memory_order_relaxed) == cpu)
        return 0;
    return SPIN_NS;
}

/* TODO (optional): helper functions of your own go here. */
static size_t smallest(size_t a, size_t b)
{
    return a < b ? a : b;
}

/* Copy count bytes to the ring at stream position `position`, in two
 * pieces when they run past the end of data. */
static void copy_in(struct spsc_ring *ring, size_t position, const unsigned char *from,
                    size_t count)
{
    size_t offset = position & (ring->capacity - 1);
    size_t first = smallest(count, ring->capacity - offset);

    memcpy(ring->data + offset, from, first);
    memcpy(ring->data, from + first, count - first);
}

static void copy_out(struct spsc_ring *ring, size_t position, unsigned char *to, size_t count)
{
    size_t offset = position & (ring->capacity - 1);
    size_t first = smallest(count, ring->capacity - offset);

    memcpy(to, ring->data + offset, first);
    memcpy(to + first, ring->data, count - first);
}

/* After moving our counter: wake the other side if it sleeps (or is about to).
 * The fence orders our counter's store before the load of its flag. */
static int wake_if_sleeping(_Atomic uint32_t *sleeping)
{
    atomic_thread_fence(memory_order_seq_cst);
    if (atomic_load_explicit(sleeping, memory_order_relaxed) == 0)
        return 0;
    atomic_store_explicit(sleeping, 0, memory_order_relaxed);
    return futex_wake(sleeping);
}

/* The writer: wait until the ring has room (head - tail < capacity). */
static int wait_for_room(struct spsc_ring *ring, size_t head)
{
    uint64_t deadline = now_ns() + spin_time(&ring->reader_cpu);

    do {
        ring->tail_seen = atomic_load_explicit(&ring->tail, memory_order_acquire);
        if (head - ring->tail_seen < ring->capacity)
            return 0;
        cpu_relax();
    } while (now_ns() < deadline);
    for (;;) {
        atomic_store_explicit(&ring->writer_sleeping, 1, memory_order_relaxed);
        atomic_thread_fence(memory_order_seq_cst);
        ring->tail_seen = atomic_load_explicit(&ring->tail, memory_order_acquire);
        if (head - ring->tail_seen < ring->capacity) {
            atomic_store_explicit(&ring->writer_sleeping, 0, memory_order_relaxed);
            return 0;
        }
        if (futex_wait(&ring->writer_sleeping, 1) == -1)
            return -1;
    }
}

/* The reader: wait until the ring has data (head != tail). */
static int wait_for_data(struct spsc_ring *ring, size_t tail)
{
    uint64_t deadline = now_ns() + spin_time(&ring->writer_cpu);

    do {
        ring->head_seen = atomic_load_explicit(&ring->head, memory_order_acquire);
        if (ring->head_seen != tail)
            return 0;
        cpu_relax();
    } while (now_ns() < deadline);
    for (;;) {
        atomic_store_explicit(&ring->reader_sleeping, 1, memory_order_relaxed);
        atomic_thread_fence(memory_order_seq_cst);
        ring->head_seen = atomic_load_explicit(&ring->head, memory_order_acquire);
        if (ring->head_seen != tail) {
            atomic_store_explicit(&ring->reader_sleeping, 0, memory_order_relaxed);
            return 0;
        }
        if (futex_wait(&ring->reader_sleeping, 1) == -1)
            return -1;
    }
}
/* END TODO */

int spsc_write(struct spsc_ring *ring, const void *buf, size_t len)
{
    /* TODO (handout sections 6.1, 6.3, 6.4): note_cpu(&ring->writer_cpu);
     * then while bytes remain: room = capacity - (head - tail_seen); if 0,
     * wait for room: spin for spin_time(&ring->reader_cpu) nanoseconds,
     * loading tail with acquire, with cpu_relax() between looks; then sleep
     * on writer_sleeping with futex_wait (the protocol of section 6.4).
     * Copy up to CHUNK bytes in with memcpy (two pieces where they run past
     * the end of data), store the new head with release, and wake the
     * reader if it sleeps. */
    const unsigned char *next = buf;
    size_t head = atomic_load_explicit(&ring->head, memory_order_relaxed); /* ours */

    note_cpu(&ring->writer_cpu);
    while (len > 0) {
        size_t room = ring->capacity - (head - ring->tail_seen);
        if (room == 0) {
            if (wait_for_room(ring, head) == -1)
                return -1;
            continue;
        }
        size_t chunk = smallest(smallest(len, room), CHUNK);
        copy_in(ring, head, next, chunk);
        head += chunk;
        next += chunk;
        len -= chunk;
        /* Publish the bytes. */
        atomic_store_explicit(&ring->head, head, memory_order_release);
        if (wake_if_sleeping(&ring->reader_sleeping) == -1)
            return -1;
    }
    return 0;
    /* END TODO */
}

int spsc_read(struct spsc_ring *ring, void *buf, size_t len)
{
    /* TODO (handout sections 6.1, 6.3, 6.4): the mirror image of spsc_write,
     * with note_cpu(&ring->reader_cpu): wait for data (head_seen != tail,
     * loading head with acquire; spin for spin_time(&ring->writer_cpu)),
     * copy out with memcpy, store the new tail with release, wake the writer
     * if it sleeps. */
    unsigned char *next = buf;
    size_t tail = atomic_load_explicit(&ring->tail, memory_order_relaxed); /* ours */

    note_cpu(&ring->reader_cpu);
    while (len > 0) {
        size_t available = ring->head_seen - tail;
        if (available == 0) {
            if (wait_for_data(ring, tail) == -1)
                return -1;
            continue;
        }
        size_t chunk = smallest(len, available);
        copy_out(ring, tail, next, chunk);
        tail += chunk;
        next += chunk;
        len -= chunk;
        /* Give the space back. */
        atomic_store_explicit(&ring->tail, tail, memory_order_release);
        if (wake_if_sleeping(&ring->writer_sleeping) == -1)
            return -1;
    }
    return 0;
    /* END TODO */
}
