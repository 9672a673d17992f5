/*
 * ring.c - the bounded buffer: a ring of slots in shared memory, a mutex
 * semaphore and two counting semaphores (see ring.h).
 *
 * Handout: handouts/04-shared-memory.md, section 4.
 */
#include "ring.h"

#include <errno.h>
#include <stddef.h>
#include <sys/mman.h>

struct ring *ring_create(unsigned int slots)
{
    struct ring *ring;

    if (slots == 0 || slots > RING_MAX_SLOTS) {
        errno = EINVAL;
        return NULL;
    }
    /* Anonymous and MAP_SHARED: children forked later share these pages. */
    ring = mmap(NULL, sizeof *ring, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (ring == MAP_FAILED)
        return NULL;
    ring->slots = slots;
    ring->in = 0;
    ring->out = 0;
    /* pshared = 1: the semaphores are used by several processes. */
    if (sem_init(&ring->mutex, 1, 1) == -1 ||
        sem_init(&ring->free_slots, 1, slots) == -1 ||
        sem_init(&ring->filled_slots, 1, 0) == -1) {
        int saved_errno = errno;
        munmap(ring, sizeof *ring);
        errno = saved_errno;
        return NULL;
    }
    return ring;
}

/* sem_wait, again when a signal handler interrupts it (EINTR). 0 or -1. */
static int wait_for(sem_t *semaphore)
{
    while (sem_wait(semaphore) == -1)
        if (errno != EINTR)
            return -1;
    return 0;
}

int ring_put(struct ring *ring, const struct item *item)
{
    /* The counting semaphore first: waiting for a free slot while holding
     * the mutex would keep every consumer out - a deadlock. */
    if (wait_for(&ring->free_slots) == -1)
        return -1;
    if (wait_for(&ring->mutex) == -1)
        return -1;
    ring->items[ring->in] = *item;
    ring->in = (ring->in + 1) % ring->slots;
    if (sem_post(&ring->mutex) == -1)
        return -1;
    return sem_post(&ring->filled_slots);
}

int ring_get(struct ring *ring, struct item *item)
{
    if (wait_for(&ring->filled_slots) == -1)
        return -1;
    if (wait_for(&ring->mutex) == -1)
        return -1;
    *item = ring->items[ring->out];
    ring->out = (ring->out + 1) % ring->slots;
    if (sem_post(&ring->mutex) == -1)
        return -1;
    return sem_post(&ring->free_slots);
}

int ring_destroy(struct ring *ring)
{
    int result = 0;

    if (sem_destroy(&ring->mutex) == -1 || sem_destroy(&ring->free_slots) == -1 ||
        sem_destroy(&ring->filled_slots) == -1)
        result = -1;
    if (munmap(ring, sizeof *ring) == -1)
        result = -1;
    return result;
}
