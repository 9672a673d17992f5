/*
 * pool.c - a pool of N instances guarded by one counting semaphore that lives
 * in shared memory (see pool.h).
 *
 * Handout: handouts/04-shared-memory.md, section 5.
 */
#include "pool.h"

#include <errno.h>
#include <stddef.h>
#include <sys/mman.h>
#include <time.h>

struct pool *pool_create(unsigned int size)
{
    /* TODO (handout section 5.1): check size (EINVAL), put a struct pool in
     * memory that forked children share (mmap MAP_SHARED | MAP_ANONYMOUS),
     * and sem_init its semaphore with pshared = 1 and the value size. */
    (void)size;
    errno = ENOSYS;
    return NULL;
    /* END TODO */
}

int pool_acquire(struct pool *pool)
{
    /* TODO (handout section 5.1): sem_wait, again after EINTR. */
    (void)pool;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}

int pool_acquire_timed(struct pool *pool, unsigned int milliseconds)
{
    /* TODO (handout section 5.2): sem_timedwait with an ABSOLUTE deadline:
     * clock_gettime(CLOCK_REALTIME) plus milliseconds (carry the
     * nanoseconds into seconds). After EINTR wait again until the same
     * deadline; ETIMEDOUT means none was free in time. */
    (void)pool;
    (void)milliseconds;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}

int pool_release(struct pool *pool)
{
    /* TODO (handout section 5.1): sem_post. */
    (void)pool;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}

int pool_destroy(struct pool *pool)
{
    /* TODO (handout section 5.1): sem_destroy, then munmap. */
    (void)pool;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}
