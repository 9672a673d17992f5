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
    return shmget(key, size, IPC_CREAT | 0600);
    /* END TODO */
}

void *sysv_shm_attach(int shmid)
{
    /* TODO (handout section 6.1): shmat. Read its man page: how does shmat
     * say that it failed? */
    void *address = shmat(shmid, NULL, 0);

    /* shmat reports failure with (void *) -1, not with NULL. */
    if (address == (void *)-1)
        return NULL;
    return address;
    /* END TODO */
}

int sysv_shm_detach(void *address)
{
    /* TODO (handout section 6.1): shmdt. */
    return shmdt(address);
    /* END TODO */
}

int sysv_shm_remove(int shmid)
{
    /* TODO (handout section 6.1): shmctl IPC_RMID. */
    return shmctl(shmid, IPC_RMID, NULL);
    /* END TODO */
}

/* TODO (optional): helper functions of your own go here. */
/* How long binsem_open waits for another process to initialise the set. */
enum { INIT_POLLS = 5000, INIT_POLL_NS = 1000 * 1000 };    /* 5000 x 1 ms */
/* END TODO */

int binsem_open(key_t key)
{
    /* TODO (handout section 6.3): semget with IPC_CREAT | IPC_EXCL. If that
     * created the set, set it to 1 with one semop (+1, no SEM_UNDO): this
     * also sets sem_otime. If the set exists (EEXIST), semget it and poll
     * semctl IPC_STAT, a millisecond apart, until sem_otime is not 0; give up
     * with ETIMEDOUT after about 5 s. Never set the value of a set you did
     * not create. */
    int semid = semget(key, 1, IPC_CREAT | IPC_EXCL | 0600);

    if (semid != -1) {
        /* We created it: its value is 0 and sem_otime is 0. One semop makes
         * it 1 and sets sem_otime, which tells the others it is ready. No
         * SEM_UNDO here: the 1 must stay when this process exits. */
        struct sembuf up = { .sem_num = 0, .sem_op = 1, .sem_flg = 0 };
        if (semop(semid, &up, 1) == -1) {
            int saved_errno = errno;
            semctl(semid, 0, IPC_RMID);
            errno = saved_errno;
            return -1;
        }
        return semid;
    }
    if (errno != EEXIST)
        return -1;

    /* Someone else created it: wait until its creator has initialised it. */
    semid = semget(key, 1, 0600);
    if (semid == -1)
        return -1;
    for (int poll = 0; poll < INIT_POLLS; poll++) {
        struct semid_ds info;
        union semun argument = { .buf = &info };
        if (semctl(semid, 0, IPC_STAT, argument) == -1)
            return -1;
        if (info.sem_otime != 0)
            return semid;
        struct timespec interval = { 0, INIT_POLL_NS };
        nanosleep(&interval, NULL);
    }
    errno = ETIMEDOUT;
    return -1;
    /* END TODO */
}

/* TODO (optional): helper functions of your own go here. */
/* semop on the set's one semaphore with SEM_UNDO, again after a signal. */
static int change(int semid, short amount)
{
    struct sembuf operation = { .sem_num = 0, .sem_op = amount, .sem_flg = SEM_UNDO };

    while (semop(semid, &operation, 1) == -1)
        if (errno != EINTR)
            return -1;
    return 0;
}
/* END TODO */

int binsem_wait(int semid)
{
    /* TODO (handout section 6.2): semop -1 with SEM_UNDO, again after EINTR. */
    return change(semid, -1);
    /* END TODO */
}

int binsem_post(int semid)
{
    /* TODO (handout section 6.2): semop +1 with SEM_UNDO. */
    return change(semid, 1);
    /* END TODO */
}

int binsem_remove(int semid)
{
    /* TODO (handout section 6.2): semctl IPC_RMID. */
    return semctl(semid, 0, IPC_RMID);
    /* END TODO */
}
