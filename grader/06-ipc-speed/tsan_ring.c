/*
 * tsan_ring.c - the lock-free ring under ThreadSanitizer (ring.bats builds it
 * with the student's spsc.c and futex.c and -fsanitize=thread).
 *
 * Two threads of one process play writer and reader through a small ring
 * (4 KiB, so that it wraps and fills all the time), with messages and reads
 * of many sizes. ThreadSanitizer watches every access: a byte that the reader
 * copies out without a happens-before edge from the writer's copy in (an
 * acquire load of head that saw a release store of it) is reported as a data
 * race, whatever the processor happened to do. On x86 a ring with relaxed or
 * plain loads and stores usually works; this is how we know it is wrong.
 *
 * Exit status 0 when every byte arrived in order; ThreadSanitizer's report
 * (exit status 66) otherwise.
 */
#include "spsc.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CAPACITY = 4096, TOTAL = 3 * 1024 * 1024, LARGEST = 10000 };

static struct spsc_ring *ring;

static unsigned char byte_at(size_t position)
{
    return (unsigned char)(position * 131 + (position >> 11));
}

/* Pieces of many sizes, from a fixed pseudo-random sequence. */
static size_t piece_size(unsigned int *state)
{
    *state = *state * 1103515245u + 12345u;
    return 1 + (*state >> 8) % LARGEST;
}

static void *writer(void *unused)
{
    static unsigned char piece[LARGEST];
    unsigned int state = 1;
    size_t position = 0;

    (void)unused;
    while (position < TOTAL) {
        size_t size = piece_size(&state);
        if (size > TOTAL - position)
            size = TOTAL - position;
        for (size_t i = 0; i < size; i++)
            piece[i] = byte_at(position + i);
        if (spsc_write(ring, piece, size) == -1) {
            fprintf(stderr, "tsan_ring: spsc_write: %s\n", strerror(errno));
            exit(1);
        }
        position += size;
    }
    return NULL;
}

int main(void)
{
    static unsigned char piece[LARGEST];
    unsigned int state = 7;
    size_t position = 0;
    pthread_t thread;

    ring = aligned_alloc(SPSC_CACHE_LINE, spsc_size(CAPACITY));
    if (ring == NULL) {
        perror("tsan_ring: aligned_alloc");
        return 1;
    }
    memset(ring, 0, spsc_size(CAPACITY));
    if (spsc_init(ring, CAPACITY) == -1) {
        fprintf(stderr, "tsan_ring: spsc_init(%d): %s\n", CAPACITY, strerror(errno));
        return 1;
    }
    errno = pthread_create(&thread, NULL, writer, NULL);
    if (errno != 0) {
        perror("tsan_ring: pthread_create");
        return 1;
    }
    while (position < TOTAL) {
        size_t size = piece_size(&state);
        if (size > TOTAL - position)
            size = TOTAL - position;
        if (spsc_read(ring, piece, size) == -1) {
            fprintf(stderr, "tsan_ring: spsc_read: %s\n", strerror(errno));
            return 1;
        }
        for (size_t i = 0; i < size; i++) {
            if (piece[i] != byte_at(position + i)) {
                fprintf(stderr, "tsan_ring: byte %zu of the stream is %u; %u was written\n",
                        position + i, piece[i], byte_at(position + i));
                return 1;
            }
        }
        position += size;
    }
    errno = pthread_join(thread, NULL);
    if (errno != 0) {
        perror("tsan_ring: pthread_join");
        return 1;
    }
    free(ring);
    printf("tsan_ring: %d bytes through a ring of %d, in order\n", TOTAL, CAPACITY);
    return 0;
}
