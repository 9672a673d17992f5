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
    struct pool *pool;

    if (size == 0) {
        errno = EINVAL;
        return NULL;
    }
    /* The semaphore must be in memory every process shares: a MAP_SHARED
     * mapping made before fork(). In malloc'd memory each child would count
     * on its own copy. */
    pool = mmap(NULL, sizeof *pool, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (pool == MAP_FAILED)
        return NULL;
    pool->size = size;
    if (sem_init(&pool->free_instances, 1, size) == -1) {
        int saved_errno = errno;
        munmap(pool, sizeof *pool);
        errno = saved_errno;
        return NULL;
    }
    return pool;
    /* END TODO */
}

int pool_acquire(struct pool *pool)
{
    /* TODO (handout section 5.1): sem_wait, again after EINTR. */
    while (sem_wait(&pool->free_instances) == -1)
        if (errno != EINTR)
            return -1;
    return 0;
    /* END TODO */
}

int pool_acquire_timed(struct pool *pool, unsigned int milliseconds)
{
    /* TODO (handout section 5.2): sem_timedwait with an ABSOLUTE deadline:
     * clock_gettime(CLOCK_REALTIME) plus milliseconds (carry the
     * nanoseconds into seconds). After EINTR wait again until the same
     * deadline; ETIMEDOUT means none was free in time. */
    struct timespec deadline;

    /* sem_timedwait takes an absolute CLOCK_REALTIME time, not a duration. */
    if (clock_gettime(CLOCK_REALTIME, &deadline) == -1)
        return -1;
    deadline.tv_sec += milliseconds / 1000;
    deadline.tv_nsec += (long)(milliseconds % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    /* After a signal, wait again until the same deadline. */
    while (sem_timedwait(&pool->free_instances, &deadline) == -1)
        if (errno != EINTR)
            return -1;      /* ETIMEDOUT: nothing was taken */
    return 0;
    /* END TODO */
}

int pool_release(struct pool *pool)
{
    /* TODO (handout section 5.1): sem_post. */
    return sem_post(&pool->free_instances);
    /* END TODO */
}

int pool_destroy(struct pool *pool)
{
    /* TODO (handout section 5.1): sem_destroy, then munmap. */
    int result = 0;

    if (sem_destroy(&pool->free_instances) == -1)
        result = -1;
    if (munmap(pool, sizeof *pool) == -1)
        result = -1;
    return result;
    /* END TODO */
}
