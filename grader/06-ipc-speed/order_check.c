/*
 * order_check.c - does the lock-free ring publish with release and read with
 * acquire? Built by ring.bats from the student's spsc.c, force-including
 * order_probe.h, which reports every explicit atomic operation, fence and
 * memcpy of the ring here.
 *
 * One thread writes and reads in turn through a 4 KiB ring (so that no call
 * waits) and the events of each side are kept in order. The rules, which are
 * what makes a byte written by one process safe to read in the other:
 *   A. before the reader copies bytes out, its last load of head was acquire
 *      (or seq_cst), or an acquire fence came between that load and the copy;
 *   B. when the writer stores head after copying bytes in, the store is
 *      release (or seq_cst), or a release fence came between copy and store;
 *   C. the same as B for the reader's store of tail after copying out;
 *   D. the same as A for the writer's load of tail before copying in.
 * On x86 a ring that breaks them usually works: the processor keeps stores in
 * order. The compiler does not have to, and other processors (ARM) do not.
 *
 * Exit status 0 when the ring keeps the rules and the bytes arrive intact;
 * 1 with what is wrong on stderr otherwise.
 */
#include "order_probe.h"
#include "spsc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CAPACITY = 4096, ROUNDS = 600, EVENTS = 200000 };
enum kind { LOAD_HEAD, STORE_HEAD, LOAD_TAIL, STORE_TAIL, FENCE, COPY_IN, COPY_OUT };
enum side { WRITER, READER };

struct event {
    enum kind kind;
    int order;
};

static struct spsc_ring *ring;
static enum side side;
static struct event events[2][EVENTS];
static int counts[2];
static int problems;

static const char *const order_names[] = {
    "memory_order_relaxed", "memory_order_consume", "memory_order_acquire",
    "memory_order_release", "memory_order_acq_rel", "memory_order_seq_cst",
};

static int acquires(int order)
{
    return order == memory_order_consume || order == memory_order_acquire ||
           order == memory_order_acq_rel || order == memory_order_seq_cst;
}

static int releases(int order)
{
    return order == memory_order_release || order == memory_order_acq_rel ||
           order == memory_order_seq_cst;
}

static void record(enum kind kind, int order)
{
    if (counts[side] < EVENTS)
        events[side][counts[side]++] = (struct event){ kind, order };
}

/* The order_probe.h macros call these two. */
void probe_atomic(enum probe_kind kind, const volatile void *address, int order)
{
    int on_head = address == (const volatile void *)&ring->head;
    int on_tail = address == (const volatile void *)&ring->tail;

    if (kind == PROBE_FENCE) {
        record(FENCE, order);
        return;
    }
    if (kind == PROBE_LOAD || kind == PROBE_READ_MODIFY_WRITE) {
        if (on_head)
            record(LOAD_HEAD, order);
        if (on_tail)
            record(LOAD_TAIL, order);
    }
    if (kind == PROBE_STORE || kind == PROBE_READ_MODIFY_WRITE) {
        if (on_head)
            record(STORE_HEAD, order);
        if (on_tail)
            record(STORE_TAIL, order);
    }
}

void *probe_memcpy(void *to, const void *from, size_t count)
{
    const unsigned char *data = ring->data, *end = ring->data + CAPACITY;

    if (count > 0 && (const unsigned char *)to >= data && (const unsigned char *)to < end)
        record(COPY_IN, 0);
    if (count > 0 && (const unsigned char *)from >= data && (const unsigned char *)from < end)
        record(COPY_OUT, 0);
    return memmove(to, from, count);
}

static void problem(const char *text)
{
    if (problems++ == 0)
        fprintf(stderr, "%s\n", text);
}

/* Rules A and D: a copy must follow an acquiring load of `counter`. */
static void check_acquire(enum side who, enum kind copy, enum kind load, const char *what)
{
    char text[600];

    for (int i = 0; i < counts[who]; i++) {
        if (events[who][i].kind != copy)
            continue;
        int fenced = 0;
        for (int j = i - 1; j >= 0; j--) {
            const struct event *earlier = &events[who][j];
            if (earlier->kind == FENCE && acquires(earlier->order))
                fenced = 1;
            if (earlier->kind != load)
                continue;
            if (!acquires(earlier->order) && !fenced) {
                snprintf(text, sizeof text, "%s: it loaded %s with %s, and no acquire fence "
                         "came before the copy. Then nothing promises that the other side's "
                         "work before its store is visible yet: load it with "
                         "memory_order_acquire.", what, load == LOAD_HEAD ? "head" : "tail",
                         order_names[earlier->order]);
                problem(text);
            }
            break;
        }
    }
}

/* Rules B and C: a store of `counter` after a copy must release. */
static void check_release(enum side who, enum kind copy, enum kind store, const char *what)
{
    char text[600];

    for (int i = 0; i < counts[who]; i++) {
        if (events[who][i].kind != store || releases(events[who][i].order))
            continue;
        for (int j = i - 1; j >= 0; j--) {
            const struct event *earlier = &events[who][j];
            if (earlier->kind == FENCE && releases(earlier->order))
                break;
            if (earlier->kind == copy) {
                snprintf(text, sizeof text, "%s: it stored %s with %s, and no release fence "
                         "came between the copy and the store. Then the other side may see "
                         "the new %s before the copy is done: store it with "
                         "memory_order_release.", what, store == STORE_HEAD ? "head" : "tail",
                         order_names[events[who][i].order],
                         store == STORE_HEAD ? "head" : "tail");
                problem(text);
                break;
            }
        }
    }
}

int main(void)
{
    unsigned char *in = malloc(CAPACITY), *out = malloc(CAPACITY);
    size_t written = 0, size = 1;

    ring = aligned_alloc(SPSC_CACHE_LINE, spsc_size(CAPACITY));
    if (ring == NULL || in == NULL || out == NULL) {
        perror("order_check: malloc");
        return 1;
    }
    memset(ring, 0, spsc_size(CAPACITY));
    if (spsc_init(ring, CAPACITY) == -1) {
        fprintf(stderr, "spsc_init(ring, %d) failed: %s\n", CAPACITY, strerror(errno));
        return 1;
    }
    for (int round = 0; round < ROUNDS; round++) {
        for (size_t i = 0; i < size; i++)
            in[i] = (unsigned char)(written + i);
        side = WRITER;
        if (spsc_write(ring, in, size) == -1) {
            fprintf(stderr, "spsc_write(%zu bytes) failed: %s\n", size, strerror(errno));
            return 1;
        }
        side = READER;
        if (spsc_read(ring, out, size) == -1) {
            fprintf(stderr, "spsc_read(%zu bytes) failed: %s\n", size, strerror(errno));
            return 1;
        }
        if (memcmp(in, out, size) != 0) {
            fprintf(stderr, "spsc_read gave other bytes than spsc_write wrote (%zu bytes at "
                    "stream position %zu)\n", size, written);
            return 1;
        }
        written += size;
        size = (size * 7 + 5) % CAPACITY + 1;   /* sizes of all kinds, so that copies wrap */
    }
    int copies_in = 0, copies_out = 0;
    for (int i = 0; i < counts[WRITER]; i++)
        copies_in += events[WRITER][i].kind == COPY_IN;
    for (int i = 0; i < counts[READER]; i++)
        copies_out += events[READER][i].kind == COPY_OUT;
    if (copies_in == 0 || copies_out == 0) {
        fprintf(stderr, "the ring copied no bytes %s with memcpy: copy with memcpy (a loop of "
                "single bytes is many times slower, and this check follows memcpy calls)\n",
                copies_in == 0 ? "in" : "out");
        return 1;
    }
    check_acquire(READER, COPY_OUT, LOAD_HEAD, "spsc_read copied bytes out of the ring");
    check_release(WRITER, COPY_IN, STORE_HEAD, "spsc_write copied bytes into the ring");
    check_release(READER, COPY_OUT, STORE_TAIL, "spsc_read copied bytes out of the ring");
    check_acquire(WRITER, COPY_IN, LOAD_TAIL, "spsc_write copied bytes into space the reader "
                  "had freed");
    if (problems > 0)
        return 1;
    printf("order_check: %zu bytes in %d rounds; every copy ordered by acquire and release\n",
           written, ROUNDS);
    return 0;
}
