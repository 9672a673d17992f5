/*
 * shmbuf.h - one buffer in POSIX shared memory, handed back and forth between
 * a writer process and a reader process by two named semaphores.
 *
 * The buffer NAME (e.g. "/mybuf") is three POSIX IPC objects:
 *
 *   NAME            the shared memory object: a struct shared_buffer
 *                   (/dev/shm/mybuf)
 *   NAME.ready      semaphore, initially 0: the writer posts it when the buffer
 *                   holds data the reader has not seen (/dev/shm/sem.mybuf.ready)
 *   NAME.consumed   semaphore, initially 1: the reader posts it when it has used
 *                   the data, so the writer may fill the buffer again
 *                   (/dev/shm/sem.mybuf.consumed)
 *
 *   writer                            reader
 *   sem_wait(consumed)                sem_wait(ready)
 *   fill data, set length             use length bytes of data
 *   sem_post(ready)                   sem_post(consumed)
 *
 * A length of 0 marks the end of the stream.
 *
 * Handout: handouts/04-shared-memory.md, section 3.
 */
#ifndef SHMBUF_H
#define SHMBUF_H

#include <semaphore.h>
#include <stddef.h>

/* Bytes of data per hand-over: one page. The grader's tests rely on this value. */
enum { SHMBUF_SIZE = 4096 };

/* What the shared memory object holds. */
struct shared_buffer {
    size_t length;              /* bytes of data in use; 0 marks the end of the stream */
    char data[SHMBUF_SIZE];
};

/* One process's handles on the buffer. */
struct shmbuf {
    struct shared_buffer *shared;   /* this process's mapping of the object */
    sem_t *ready;                   /* NAME.ready */
    sem_t *consumed;                /* NAME.consumed */
};

/*
 * Open the buffer NAME, creating whichever of its three objects does not exist
 * yet, so that the writer and the reader may start in either order
 * [spec:shmbuf-open-either-side-first]: the object gets the size of a struct
 * shared_buffer and mode 0600 [spec:shmbuf-open-size-and-mode], the
 * semaphores the initial values 0 (ready) and 1 (consumed); an existing one
 * keeps its value [spec:shmbuf-open-semaphore-values]. Fills *buffer and
 * returns 0, or returns -1 with the errno of the call that failed; then
 * nothing stays open: no descriptor, no mapping, no semaphore
 * [spec:shmbuf-open-failure-leaves-nothing-open]. (The names it created may
 * stay: the other side may be using them.)
 */
int shmbuf_open(const char *name, struct shmbuf *buffer);

/* Wait on a semaphore of the buffer; when a signal handler interrupts the
 * wait (EINTR), wait again [spec:shmbuf-wait-retries-eintr]. 0, or -1 with
 * errno set. */
int shmbuf_wait(sem_t *semaphore);

/* Unmap the buffer and close its semaphores (the names stay)
 * [spec:shmbuf-close]. Tries all three; returns 0, or -1 with errno set. */
int shmbuf_close(struct shmbuf *buffer);

/* Remove the three names of buffer NAME. Tries all three, even after a
 * failure [spec:shmbuf-unlink-tries-all]; returns 0, or -1 with the errno of
 * the first failure [spec:shmbuf-unlink-first-errno]. */
int shmbuf_unlink(const char *name);

#endif
