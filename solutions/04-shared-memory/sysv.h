/*
 * sysv.h - System V shared memory and a System V binary semaphore.
 *
 * The System V objects are found by a key (from ftok(), or IPC_PRIVATE) and
 * named by an id; they live until someone removes them (IPC_RMID) or the
 * machine reboots. `ipcs -m -s` lists them, `ipcrm` removes them.
 *
 * Handout: handouts/04-shared-memory.md, section 6.
 */
#ifndef SYSV_H
#define SYSV_H

#include <stddef.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/types.h>

/* semctl()'s fourth argument: every program must declare it (man 2 semctl). */
union semun {
    int val;
    struct semid_ds *buf;
    unsigned short *array;
};

/* ---- shared memory ---- */

/* The id of the segment with this key and size, created (zero-filled) if there
 * is none. Returns the id, or -1 with errno set. */
int sysv_shm_open(key_t key, size_t size);

/* Attach the segment shmid to this process. Returns its address, or NULL
 * with errno set. */
void *sysv_shm_attach(int shmid);

/* Detach the segment at address. Returns 0 or -1. */
int sysv_shm_detach(void *address);

/* Remove the segment (it goes once the last process has detached). 0 or -1. */
int sysv_shm_remove(int shmid);

/* ---- binary semaphore: a set of one semaphore, 1 = free, 0 = taken ---- */

/*
 * The id of the binary semaphore with this key. The first process creates it
 * and sets it to 1; every other process waits until that is done (sem_otime
 * becomes non-zero with the creator's first semop) and never sets it again.
 * Returns the id, or -1 with errno set (ETIMEDOUT when the creator never
 * finishes).
 */
int binsem_open(key_t key);

/* Take the semaphore (wait while it is 0). SEM_UNDO: if this process dies
 * holding it, the kernel gives it back. Returns 0 or -1. */
int binsem_wait(int semid);

/* Give the semaphore back. Returns 0 or -1. */
int binsem_post(int semid);

/* Remove the semaphore set. Returns 0 or -1. */
int binsem_remove(int semid);

#endif
