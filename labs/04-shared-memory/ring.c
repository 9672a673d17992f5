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
    (void)slots;
    errno = ENOSYS;
    return NULL;
    /* END TODO */
}

int ring_put(struct ring *ring, const struct item *item)
{
    /* TODO (handout sections 4.3 and 4.4): wait for a free slot, then take
     * the mutex - in this order - copy the item into items[in], advance in
     * (wrapping at slots), give the mutex back, post filled_slots. A wait
     * that a signal interrupts (EINTR) waits again (section 4.5). */
    (void)ring;
    (void)item;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}

int ring_get(struct ring *ring, struct item *item)
{
    /* TODO (handout sections 4.3 and 4.4): the mirror image of ring_put:
     * filled_slots, mutex, copy items[out] out, advance out, mutex,
     * free_slots. */
    (void)ring;
    (void)item;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}

int ring_destroy(struct ring *ring)
{
    /* TODO (handout section 4.2): sem_destroy the three semaphores, munmap. */
    (void)ring;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}
