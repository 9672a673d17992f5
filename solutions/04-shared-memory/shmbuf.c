/*
 * shmbuf.c - open, close and remove a buffer in POSIX shared memory with its
 * two named semaphores (see shmbuf.h for the protocol).
 *
 * Handout: handouts/04-shared-memory.md, sections 3.2 and 3.5.
 */
#include "shmbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* TODO (optional): helper functions of your own go here. */
/* The name of one of the buffer's semaphores: NAME.SUFFIX. 0, or -1 with ENAMETOOLONG. */
static int semaphore_name(char *result, size_t size, const char *name, const char *suffix)
{
    int length = snprintf(result, size, "%s.%s", name, suffix);

    if (length < 0 || (size_t)length >= size) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return 0;
}

/* Open the semaphore NAME.SUFFIX, creating it with value initial if it does not exist. */
static sem_t *open_semaphore(const char *name, const char *suffix, unsigned int initial)
{
    char semaphore[256];

    if (semaphore_name(semaphore, sizeof semaphore, name, suffix) == -1)
        return SEM_FAILED;
    /* Without O_EXCL: whoever comes first creates it with the initial value;
     * the other side opens it and the initial value is ignored. */
    return sem_open(semaphore, O_CREAT, 0600, initial);
}
/* END TODO */

int shmbuf_open(const char *name, struct shmbuf *buffer)
{
    /* TODO (handout section 3.2): open or create the shared memory object
     * NAME (shm_open with O_CREAT | O_RDWR, mode 0600), give it the size of a
     * struct shared_buffer (ftruncate), map it MAP_SHARED and close the
     * descriptor. Then open or create the semaphores NAME.ready (initial
     * value 0) and NAME.consumed (initial value 1) with sem_open(O_CREAT).
     * On failure undo what was done and return -1 with errno set. */
    int saved_errno;
    int fd = shm_open(name, O_CREAT | O_RDWR, 0600);

    if (fd == -1)
        return -1;
    /* A new object is 0 bytes long: touching its mapping would raise SIGBUS.
     * Both sides set the same size, so the order does not matter. */
    if (ftruncate(fd, sizeof(struct shared_buffer)) == -1) {
        saved_errno = errno;
        close(fd);
        errno = saved_errno;
        return -1;
    }
    buffer->shared = mmap(NULL, sizeof(struct shared_buffer), PROT_READ | PROT_WRITE,
                          MAP_SHARED, fd, 0);
    saved_errno = errno;
    close(fd);          /* the mapping keeps the object open */
    if (buffer->shared == MAP_FAILED) {
        errno = saved_errno;
        return -1;
    }

    buffer->ready = open_semaphore(name, "ready", 0);
    if (buffer->ready == SEM_FAILED)
        goto fail_unmap;
    buffer->consumed = open_semaphore(name, "consumed", 1);
    if (buffer->consumed == SEM_FAILED)
        goto fail_close_ready;
    return 0;

fail_close_ready:
    saved_errno = errno;
    sem_close(buffer->ready);
    errno = saved_errno;
fail_unmap:
    saved_errno = errno;
    munmap(buffer->shared, sizeof(struct shared_buffer));
    errno = saved_errno;
    /* END TODO */
    return -1;
}

int shmbuf_wait(sem_t *semaphore)
{
    /* TODO (handout section 3.3): sem_wait, and again when it fails with EINTR. */
    while (sem_wait(semaphore) == -1)
        if (errno != EINTR)
            return -1;
    return 0;
    /* END TODO */
}

int shmbuf_close(struct shmbuf *buffer)
{
    /* TODO (handout section 3.5): munmap the buffer, sem_close both semaphores. */
    int result = 0;

    if (munmap(buffer->shared, sizeof(struct shared_buffer)) == -1)
        result = -1;
    if (sem_close(buffer->ready) == -1)
        result = -1;
    if (sem_close(buffer->consumed) == -1)
        result = -1;
    return result;
    /* END TODO */
}

int shmbuf_unlink(const char *name)
{
    /* TODO (handout section 3.5): shm_unlink NAME, sem_unlink NAME.ready and
     * NAME.consumed. Try all three; return -1 with the errno of the first
     * failure. */
    char semaphore[256];
    int result = 0, saved_errno = 0;

    if (shm_unlink(name) == -1) {
        saved_errno = errno;
        result = -1;
    }
    if (semaphore_name(semaphore, sizeof semaphore, name, "ready") == -1 ||
        sem_unlink(semaphore) == -1) {
        saved_errno = result == 0 ? errno : saved_errno;
        result = -1;
    }
    if (semaphore_name(semaphore, sizeof semaphore, name, "consumed") == -1 ||
        sem_unlink(semaphore) == -1) {
        saved_errno = result == 0 ? errno : saved_errno;
        result = -1;
    }
    if (result == -1)
        errno = saved_errno;
    return result;
    /* END TODO */
}
