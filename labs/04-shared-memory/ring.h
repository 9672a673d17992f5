/*
 * ring.h - a bounded buffer in shared memory for many producer and many
 * consumer processes: a ring of slots guarded by three semaphores.
 *
 *   mutex          1: one process at a time touches in, out and the slots
 *   free_slots     slots a producer may fill (initially the ring's size)
 *   filled_slots   items a consumer may take (initially 0)
 *
 *   ring_put                       ring_get
 *   sem_wait(free_slots)           sem_wait(filled_slots)
 *   sem_wait(mutex)                sem_wait(mutex)
 *   items[in] = item; advance in   item = items[out]; advance out
 *   sem_post(mutex)                sem_post(mutex)
 *   sem_post(filled_slots)         sem_post(free_slots)
 *
 * The whole struct ring, semaphores included, lives in one MAP_SHARED mapping
 * made before fork(): parent and children all use the same one.
 *
 * Handout: handouts/04-shared-memory.md, section 4.
 */
#ifndef RING_H
#define RING_H

#include <semaphore.h>

enum { RING_MAX_SLOTS = 64, ITEM_PAYLOAD = 56 };

/* What producers hand to consumers. */
struct item {
    unsigned int producer;          /* which producer made it */
    unsigned int sequence;          /* 0, 1, 2, ... for each producer */
    unsigned char payload[ITEM_PAYLOAD];
};

struct ring {
    sem_t mutex;
    sem_t free_slots;
    sem_t filled_slots;
    unsigned int slots;             /* slots in use: 1 .. RING_MAX_SLOTS */
    unsigned int in;                /* the next slot to fill */
    unsigned int out;               /* the next slot to empty */
    struct item items[RING_MAX_SLOTS];
};

/*
 * Create an empty ring of `slots` slots in shared memory that the children of
 * this process (forked afterwards) share [spec:ring-shared-with-children].
 * Returns the ring, or NULL with errno set: EINVAL when slots is 0 or more
 * than RING_MAX_SLOTS; RING_MAX_SLOTS itself is allowed [spec:ring-create-slots].
 *
 * ring_put and ring_get wait on the counting semaphore first and take the
 * mutex last, never sleeping while they hold it [spec:ring-no-deadlock]. When
 * a signal handler interrupts a wait (EINTR), they wait again
 * [spec:ring-waits-retry-eintr].
 */
struct ring *ring_create(unsigned int slots);

/* Put a copy of *item in the ring, waiting while the ring is full
 * [spec:ring-put-waits-while-full]. 0, or -1 with errno set. */
int ring_put(struct ring *ring, const struct item *item);

/* Take the oldest item out of the ring into *item (first in, first out
 * [spec:ring-fifo]), waiting while it is empty [spec:ring-get-waits-while-empty].
 * Every item put is taken exactly once, whole [spec:ring-every-item-once].
 * 0, or -1 with errno set. */
int ring_get(struct ring *ring, struct item *item);

/* Destroy the semaphores and unmap the ring (once, when no process uses it).
 * 0, or -1 with errno set. [spec:ring-destroy] */
int ring_destroy(struct ring *ring);

#endif
