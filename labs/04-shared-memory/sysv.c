/*
 * sysv.c - System V shared memory and a binary semaphore that is created and
 * initialised without a race (see sysv.h).
 *
 * Handout: handouts/04-shared-memory.md, section 6.
 */
#include "sysv.h"

#include <errno.h>
#include <time.h>

int sysv_shm_open(key_t key, size_t size)
{
    /* TODO (handout section 6.1): shmget with IPC_CREAT and mode 0600. */
    (void)key;
    (void)size;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}

void *sysv_shm_attach(int shmid)
{
    /* TODO (handout section 6.1): shmat. Read its man page: how does shmat
     * say that it failed? */
    (void)shmid;
    errno = ENOSYS;
    return NULL;
    /* END TODO */
}

int sysv_shm_detach(void *address)
{
    /* TODO (handout section 6.1): shmdt. */
    (void)address;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}

int sysv_shm_remove(int shmid)
{
    /* TODO (handout section 6.1): shmctl IPC_RMID. */
    (void)shmid;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}

/* TODO (optional): helper functions of your own go here. */
/* END TODO */

int binsem_open(key_t key)
{
    /* TODO (handout section 6.3): semget with IPC_CREAT | IPC_EXCL. If that
     * created the set, set it to 1 with one semop (+1, no SEM_UNDO): this
     * also sets sem_otime. If the set exists (EEXIST), semget it and poll
     * semctl IPC_STAT, a millisecond apart, until sem_otime is not 0; give up
     * with ETIMEDOUT after about 5 s. Never set the value of a set you did
     * not create. */
    (void)key;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}

/* TODO (optional): helper functions of your own go here. */
/* END TODO */

int binsem_wait(int semid)
{
    /* TODO (handout section 6.2): semop -1 with SEM_UNDO, again after EINTR. */
    (void)semid;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}

int binsem_post(int semid)
{
    /* TODO (handout section 6.2): semop +1 with SEM_UNDO. */
    (void)semid;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}

int binsem_remove(int semid)
{
    /* TODO (handout section 6.2): semctl IPC_RMID. */
    (void)semid;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}
