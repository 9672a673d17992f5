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
 * Create a pool of `size` instances (size >= 1) that this process and the
 * children it forks afterwards share. Returns the pool, or NULL with errno set
 * (EINVAL when size is 0).
 */
struct pool *pool_create(unsigned int size);

/* Take an instance, waiting as long as none is free. Returns 0 or -1. */
int pool_acquire(struct pool *pool);

/*
 * Take an instance, waiting at most `milliseconds` for one to be free.
 * Returns 0, or -1 with errno ETIMEDOUT when none became free in time (the
 * pool is then unchanged), or -1 with another errno on error.
 */
int pool_acquire_timed(struct pool *pool, unsigned int milliseconds);

/* Give an instance back. Returns 0 or -1. */
int pool_release(struct pool *pool);

/* Destroy the pool (once, when no process uses it). Returns 0 or -1. */
int pool_destroy(struct pool *pool);

#endif
