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
/* END TODO */

int shmbuf_open(const char *name, struct shmbuf *buffer)
{
    /* TODO (handout section 3.2): open or create the shared memory object
     * NAME (shm_open with O_CREAT | O_RDWR, mode 0600), give it the size of a
     * struct shared_buffer (ftruncate), map it MAP_SHARED and close the
     * descriptor. Then open or create the semaphores NAME.ready (initial
     * value 0) and NAME.consumed (initial value 1) with sem_open(O_CREAT).
     * On failure undo what was done and return -1 with errno set. */
    (void)name;
    (void)buffer;
    errno = ENOSYS;
    /* END TODO */
    return -1;
}

int shmbuf_wait(sem_t *semaphore)
{
    /* TODO (handout section 3.3): sem_wait, and again when it fails with EINTR. */
    (void)semaphore;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}

int shmbuf_close(struct shmbuf *buffer)
{
    /* TODO (handout section 3.5): munmap the buffer, sem_close both semaphores. */
    (void)buffer;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}

int shmbuf_unlink(const char *name)
{
    /* TODO (handout section 3.5): shm_unlink NAME, sem_unlink NAME.ready and
     * NAME.consumed. Try all three; return -1 with the errno of the first
     * failure. */
    (void)name;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}
