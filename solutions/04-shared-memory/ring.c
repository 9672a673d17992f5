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
    /* TODO (handout section 4.2): check slots (EINVAL), mmap a struct ring
     * MAP_SHARED | MAP_ANONYMOUS, set slots, in and out, and initialise the
     * three semaphores inside it with pshared = 1: mutex 1, free_slots
     * slots, filled_slots 0. */
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
    /* END TODO */
}

int ring_put(struct ring *ring, const struct item *item)
{
    /* TODO (handout sections 4.3 and 4.4): wait for a free slot, then take
     * the mutex - in this order - copy the item into items[in], advance in
     * (wrapping at slots), give the mutex back, post filled_slots. A wait
     * that a signal interrupts (EINTR) waits again (section 4.5). */
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
    /* END TODO */
}

int ring_get(struct ring *ring, struct item *item)
{
    /* TODO (handout sections 4.3 and 4.4): the mirror image of ring_put:
     * filled_slots, mutex, copy items[out] out, advance out, mutex,
     * free_slots. */
    if (wait_for(&ring->filled_slots) == -1)
        return -1;
    if (wait_for(&ring->mutex) == -1)
        return -1;
    *item = ring->items[ring->out];
    ring->out = (ring->out + 1) % ring->slots;
    if (sem_post(&ring->mutex) == -1)
        return -1;
    return sem_post(&ring->free_slots);
    /* END TODO */
}

int ring_destroy(struct ring *ring)
{
    /* TODO (handout section 4.2): sem_destroy the three semaphores, munmap. */
    int result = 0;

    if (sem_destroy(&ring->mutex) == -1 || sem_destroy(&ring->free_slots) == -1 ||
        sem_destroy(&ring->filled_slots) == -1)
        result = -1;
    if (munmap(ring, sizeof *ring) == -1)
        result = -1;
    return result;
    /* END TODO */
}
