/*
 * pool.h - a pool of N identical resources (say, 5 database connections)
 * shared by many processes, counted by one counting semaphore.
 *
 * The semaphore's value is the number of free instances: pool_acquire waits
 * while it is 0 and takes one; pool_release gives one back. At most N
 * processes hold an instance at any moment.
 *
 * Handout: handouts/04-shared-memory.md, section 5.
 */
#ifndef POOL_H
#define POOL_H

#include <semaphore.h>

struct pool {
    sem_t free_instances;   /* counting semaphore: instances nobody holds */
    unsigned int size;      /* N, the number of instances */
};

/*
 * Create a pool of `size` instances (size >= 1), all free, that this process
 * and the children it forks afterwards share [spec:pool-shared-with-children].
 * Returns the pool, or NULL with errno set (EINVAL when size is 0)
 * [spec:pool-create-size].
 */
struct pool *pool_create(unsigned int size);

/* Take an instance, waiting as long as none is free: at most `size`
 * processes hold one at a time [spec:pool-at-most-n]. When a signal handler
 * interrupts the wait (EINTR), wait again [spec:pool-acquire-retries-eintr].
 * Returns 0, or -1 with errno set. */
int pool_acquire(struct pool *pool);

/*
 * Take an instance, waiting at most `milliseconds` for one to be free
 * [spec:pool-acquire-timed-takes-in-time]. Returns 0, or -1 with errno
 * ETIMEDOUT when none became free in time, and then the pool is unchanged
 * [spec:pool-acquire-timed-etimedout]; or -1 with another errno on error.
 * The deadline is absolute (CLOCK_REALTIME), any number of milliseconds works,
 * a fraction of a second too [spec:pool-acquire-timed-any-milliseconds], and
 * 0 never waits [spec:pool-acquire-timed-zero]. When a signal handler
 * interrupts the wait, wait again until the same deadline
 * [spec:pool-acquire-timed-eintr-same-deadline].
 */
int pool_acquire_timed(struct pool *pool, unsigned int milliseconds);

/* Give an instance back; a process waiting in pool_acquire takes it
 * [spec:pool-release-lets-a-waiter-in]. Returns 0, or -1 with errno set. */
int pool_release(struct pool *pool);

/* Destroy the pool (once, when no process uses it). Returns 0, or -1 with
 * errno set. [spec:pool-destroy] */
int pool_destroy(struct pool *pool);

#endif
