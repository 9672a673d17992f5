/*
 * spsc.h - a lock-free single-producer/single-consumer byte ring.
 *
 * One process writes, one process reads, through memory that both map. No
 * lock and no system call while data flows: the writer publishes how far it
 * has written (head), the reader how far it has read (tail), each with one
 * atomic store, and each reads the other's counter to know how much it may
 * copy. A side that must wait spins for a while if the other side runs on
 * another CPU, then sleeps on a futex.
 *
 * The two counters only grow: head - tail is the number of bytes in the ring,
 * and byte number n of the stream lives at data[n % capacity] (with capacity
 * a power of two, n & (capacity - 1)).
 *
 * Handout: handouts/06-ipc-speed.md, section 6.
 */
#ifndef SPSC_H
#define SPSC_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

enum { SPSC_CACHE_LINE = 64 };

/*
 * Each group of fields that one side stores to has a cache line of its own,
 * so that a store by one side does not take from the other side the line
 * holding a field that only the other side uses ("false sharing").
 */
struct spsc_ring {
    /* The writer's line: only the writer stores here. */
    _Alignas(SPSC_CACHE_LINE) _Atomic size_t head;  /* bytes written so far */
    size_t tail_seen;                   /* the writer's last look at tail */
    _Atomic int writer_cpu;             /* where the writer ran last (-1: not yet) */

    /* The reader's line: only the reader stores here. */
    _Alignas(SPSC_CACHE_LINE) _Atomic size_t tail;  /* bytes read so far */
    size_t head_seen;                   /* the reader's last look at head */
    _Atomic int reader_cpu;             /* where the reader ran last (-1: not yet) */

    /* Set to 1 by a side before it sleeps in futex_wait; the other side,
     * after it has moved its counter, wakes it and sets it back to 0. */
    _Alignas(SPSC_CACHE_LINE) _Atomic uint32_t reader_sleeping;
    _Atomic uint32_t writer_sleeping;

    _Alignas(SPSC_CACHE_LINE) size_t capacity;     /* bytes of data, a power of two */
    _Alignas(SPSC_CACHE_LINE) unsigned char data[];
};

/* The bytes of memory a ring of capacity bytes takes. */
size_t spsc_size(size_t capacity);

/* Make an empty ring of capacity bytes in memory of spsc_size(capacity)
 * bytes. 0, or -1 with errno EINVAL when capacity is not a power of two
 * (0 is not; 1 is, 2^0) [spec:spsc-init-power-of-two]. */
int spsc_init(struct spsc_ring *ring, size_t capacity);

/* Copy len bytes into the ring, waiting for room as often as needed
 * [spec:spsc-write-waits-for-room]; the bytes may run past the end of data
 * and on at its start [spec:spsc-wraps]. A side that waits spins only while
 * the other side runs on another CPU, and then sleeps on a futex (state S)
 * [spec:spsc-sleeps]; each copy is published with a release store and read
 * after an acquire load [spec:spsc-acquire-release]. Only one process may
 * write to a ring. 0, or -1 with errno set. */
int spsc_write(struct spsc_ring *ring, const void *buf, size_t len);

/* Copy len bytes out of the ring, waiting for data as often as needed
 * [spec:spsc-read-waits-for-data]. Only one process may read from a ring.
 * 0, or -1 with errno set. */
int spsc_read(struct spsc_ring *ring, void *buf, size_t len);

#endif
