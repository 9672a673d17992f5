/*
 * yardstick.c - the copying yardsticks at the message size, measured in the
 * same run as the transports and the way they run (handout section 2.5).
 *
 *   memcpy-cached    memcpy of one message-sized buffer into another, again
 *                    and again: the data stays in the cache if it fits.
 *   memcpy-uncached  memcpy of message-sized pieces that walk through two
 *                    areas of 64 MiB: every piece comes from main memory.
 *   xcpu-copy        one process copies a message into shared memory, the
 *                    other, on another CPU, copies it out into a buffer of
 *                    its own and checks it: through a ring of SLOTS slots of
 *                    up to PIECE bytes, each handed over with a flag, both
 *                    sides spinning, so that both copy at the same time and
 *                    the bytes in flight stay in the caches. The messages
 *                    and the check are the throughput workload's (message.c:
 *                    three bodies in turn, each compared in full on
 *                    arrival), so only the ring differs: the fastest a ring
 *                    between two CPUs can move what a transport moves.
 *
 * Each adds one figure, MB/s (10^6 bytes), per call: the bytes copied after
 * a warm-up of a tenth, divided by the time they took.
 */
#include "yardstick.h"
#include "child.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

enum { WALK_BYTES = 64 * 1024 * 1024, SLOTS = 4, PIECE = 64 * 1024 };

static int failed(const char *what, char *why, size_t why_size)
{
    snprintf(why, why_size, "%s: %s", what, strerror(errno));
    return -1;
}

/* The copies to time: count mode times count of them (at least 3), time
 * mode what fits in limits->seconds. The warm-up is a tenth of that. */
static unsigned long count_of(const struct run_limits *limits)
{
    return limits->count > 0 ? (limits->count < 3 ? 3 : limits->count) : 0;
}

/* Copy size bytes count times (or for seconds), piece i from offset
 * (i * size) % span of from to the same offset of to; the MB/s into speeds. */
static int copy_loop(unsigned char *to, const unsigned char *from, size_t span, size_t size,
                     const struct run_limits *limits, struct samples *speeds,
                     char *why, size_t why_size)
{
    unsigned long count = count_of(limits), done = 0, warm = count / 10 + 1;
    size_t pieces = span / size, piece = 0;
    uint64_t start = now_ns(), timed_from = 0;

    for (unsigned long i = 0;; i++) {
        memcpy(to + piece * size, from + piece * size, size);
        piece = piece + 1 == pieces ? 0 : piece + 1;
        if (timed_from == 0) {
            if (count > 0 ? i + 1 >= warm
                          : (i & 15) == 15 && (double)(now_ns() - start) >= limits->seconds * 1e8) {
                timed_from = now_ns();
                i = 0;
            }
            continue;
        }
        done++;
        if (count > 0 ? done >= count
                      : (done & 15) == 0 &&
                        (double)(now_ns() - timed_from) >= limits->seconds * 1e9)
            break;
    }
    double seconds = (double)(now_ns() - timed_from) / 1e9;
    if (samples_add(speeds, (double)done * (double)size / seconds / 1e6) == -1)
        return failed("malloc", why, why_size);
    return 0;
}

/* bytes of memory of this process only, not inherited by fork(), filled
 * with value. NULL with errno set. */
static unsigned char *map_private(size_t bytes, int value)
{
    unsigned char *memory = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (memory == MAP_FAILED)
        return NULL;
    if (madvise(memory, bytes, MADV_DONTFORK) == -1) {
        munmap(memory, bytes);
        return NULL;
    }
    memset(memory, value, bytes);
    return memory;
}

int yardstick_memcpy(size_t size, int cached, const struct run_limits *limits,
                     struct samples *speeds, char *why, size_t why_size)
{
    static unsigned char *walk_from, *walk_to;      /* made once: 128 MiB to touch */
    size_t span = cached ? size : (WALK_BYTES / size) * size;
    unsigned char *from = walk_from, *to = walk_to;

    if (cached) {
        from = malloc(size);
        to = malloc(size);
        if (from == NULL || to == NULL) {
            free(from);
            free(to);
            return failed("malloc", why, why_size);
        }
        memset(from, 1, size);          /* every page touched: no page faults timed */
        memset(to, 2, size);
        __asm__ volatile("" : : "r"(to) : "memory");  /* kept, though memcpy overwrites it */
    } else if (walk_from == NULL) {
        /* Kept for the whole run, and not shared with the children that
         * fork() makes: else every write would fault (copy on write). */
        walk_from = map_private(WALK_BYTES, 1);
        walk_to = map_private(WALK_BYTES, 2);
        if (walk_from == NULL || walk_to == NULL)
            return failed("mmap", why, why_size);
        from = walk_from;
        to = walk_to;
    }
    int result = copy_loop(to, from, span, size, limits, speeds, why, why_size);
    if (result == 0 && to[size - 1] != 1) {         /* the first piece, always copied */
        snprintf(why, why_size, "memcpy did not copy");
        errno = 0;                                  /* an error, not a limit */
        result = -1;
    }
    if (cached) {
        free(from);
        free(to);
    }
    return result;
}

/* The shared part of xcpu-copy: a flag per slot on a cache line of its own
 * (1: full, the reader's; 0: empty, the writer's), a stop word, the slots. */
struct handover {
    struct {
        _Alignas(64) _Atomic uint32_t full;
    } flag[SLOTS];
    _Alignas(64) _Atomic uint32_t stop;
    _Alignas(64) unsigned char data[];
};

/* A message of size bytes goes in pieces of piece_of(size) bytes. */
static size_t piece_of(size_t size)
{
    return size < PIECE ? size : PIECE;
}

/* The reader: copy every full slot out, in order, into a message buffer of
 * its own, and check each message as the throughput workload's receiver
 * does, until told to stop. A message that is not the one sent: exit 2. */
static void xcpu_reader(struct handover *shared, const struct message_set *set)
{
    size_t size = set->size, piece = piece_of(size), offset = 0;
    unsigned char *mine = malloc(size);
    uint64_t sequence = 0;
    char why[200];

    if (mine == NULL)
        _exit(1);
    memset(mine, 0, size);
    for (unsigned long i = 0;; i++) {
        unsigned slot = (unsigned)(i % SLOTS);
        size_t length = size - offset < piece ? size - offset : piece;
        while (atomic_load_explicit(&shared->flag[slot].full, memory_order_acquire) == 0)
            if (atomic_load_explicit(&shared->stop, memory_order_relaxed))
                _exit(0);
        memcpy(mine + offset, shared->data + slot * piece, length);
        atomic_store_explicit(&shared->flag[slot].full, 0, memory_order_release);
        offset += length;
        if (offset == size) {
            if (message_check(set, mine, sequence++, 1, why, sizeof why) == -1)
                _exit(2);
            offset = 0;
        }
    }
}

/* The writer: message number sequence, a piece at a time; *count counts the pieces. */
static void xcpu_write(struct handover *shared, struct message_set *set, uint64_t sequence,
                       unsigned long *count)
{
    size_t size = set->size, piece = piece_of(size);
    const unsigned char *message = message_stamp(set, sequence, 0);

    for (size_t offset = 0; offset < size; offset += piece, (*count)++) {
        unsigned slot = (unsigned)(*count % SLOTS);
        size_t length = size - offset < piece ? size - offset : piece;
        while (atomic_load_explicit(&shared->flag[slot].full, memory_order_acquire) != 0)
            continue;
        memcpy(shared->data + slot * piece, message + offset, length);
        atomic_store_explicit(&shared->flag[slot].full, 1, memory_order_release);
    }
}

int yardstick_xcpu(struct message_set *set, const struct run_limits *limits,
                   const struct cpu_plan *plan, struct samples *speeds,
                   char *why, size_t why_size)
{
    size_t size = set->size;

    if (plan->placement == PLACE_SAME || placement_cpu_count() < 2) {
        snprintf(why, why_size, "a copy from one CPU to another needs two CPUs");
        errno = EMSGSIZE;       /* a limit, not an error */
        return -1;
    }
    size_t bytes = sizeof(struct handover) + SLOTS * piece_of(size);
    struct handover *shared = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                                   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shared == MAP_FAILED)
        return failed("mmap", why, why_size);
    memset(shared, 0, bytes);

    pid_t child = child_start("xcpu-copy", plan);
    if (child == -1) {
        failed("fork", why, why_size);
        munmap(shared, bytes);
        return -1;
    }
    if (child == 0)
        xcpu_reader(shared, set);

    unsigned long count = count_of(limits), i = 0, warm = count / 10 + 1, pieces = 0;
    uint64_t start = now_ns();
    for (; count > 0 ? i < warm : (double)(now_ns() - start) < limits->seconds * 1e8; i++)
        xcpu_write(shared, set, i, &pieces);
    uint64_t timed_from = now_ns();
    unsigned long first = i;
    for (; count > 0 ? i - first < count
                     : (i & 15) != 0 || (double)(now_ns() - timed_from) < limits->seconds * 1e9;
         i++)
        xcpu_write(shared, set, i, &pieces);
    for (unsigned slot = 0; slot < SLOTS; slot++)       /* until the reader has it all */
        while (atomic_load_explicit(&shared->flag[slot].full, memory_order_acquire) != 0)
            continue;
    double seconds = (double)(now_ns() - timed_from) / 1e9;
    atomic_store_explicit(&shared->stop, 1, memory_order_relaxed);

    int result = child_wait(child, why, why_size);
    if (result == 0 &&
        samples_add(speeds, (double)(i - first) * (double)size / seconds / 1e6) == -1)
        result = failed("malloc", why, why_size);
    munmap(shared, bytes);
    return result;
}
