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

/* The id of the segment with this key and size, created (zero-filled, mode
 * 0600) if there is none [spec:sysv-shm-open]. Returns the id, or -1 with
 * errno set. */
int sysv_shm_open(key_t key, size_t size);

/* Attach the segment shmid to this process [spec:sysv-shm-shared]. Returns
 * its address, or NULL with errno set: shmat itself says (void *) -1
 * [spec:sysv-shm-attach-null]. */
void *sysv_shm_attach(int shmid);

/* Detach the segment at address. Returns 0, or -1 with errno set. */
int sysv_shm_detach(void *address);

/* Remove the segment (it goes once the last process has detached)
 * [spec:sysv-shm-remove]. Returns 0, or -1 with errno set. */
int sysv_shm_remove(int shmid);

/* ---- binary semaphore: a set of one semaphore, 1 = free, 0 = taken ---- */

/*
 * The id of the binary semaphore with this key. The first process creates it
 * and sets it to 1 [spec:binsem-open-creates-1]; every other process waits
 * until that is done (sem_otime becomes non-zero with the creator's first
 * semop) [spec:binsem-open-waits-for-the-creator] and never sets it again
 * [spec:binsem-open-keeps-the-value]. Returns the id, or -1 with errno set
 * (ETIMEDOUT when the creator has not finished after about 5 s
 * [spec:binsem-open-etimedout]).
 */
int binsem_open(key_t key);

/* Take the semaphore (wait while it is 0) [spec:binsem-wait-blocks]. SEM_UNDO:
 * if this process dies holding it, the kernel gives it back
 * [spec:binsem-undo]. When a signal handler interrupts the wait (EINTR), wait
 * again [spec:binsem-wait-retries-eintr]. Returns 0, or -1 with errno set. */
int binsem_wait(int semid);

/* Give the semaphore back, with SEM_UNDO too, so that a process that took it
 * and gave it back leaves nothing to undo when it exits
 * [spec:binsem-post-undo-balances]. Returns 0, or -1 with errno set. */
int binsem_post(int semid);

/* Remove the semaphore set [spec:binsem-remove]. Returns 0, or -1 with errno set. */
int binsem_remove(int semid);

#endif
