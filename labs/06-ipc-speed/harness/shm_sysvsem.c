/*
 * shm_sysvsem.c - System V shared memory and System V semaphores: a ring of
 * slots each way.
 *
 * The slots and the four counting semaphores of shm_posixsem.c (free and
 * full slots, each way), with the older API: shmget/shmat for the memory, a
 * System V semaphore set changed with semop. Every semop is a system call,
 * even when it need not wait: that is the difference to measure against
 * POSIX semaphores, which stay in user space unless they must sleep or wake
 * someone.
 *
 * Unlike your ring, this one keeps message boundaries, as the message queues
 * do: a message fills whole slots, and recv must ask for the size that was
 * sent, which is all that ipcbench's workloads do. The semaphores change
 * exactly as often as in your ring (twice per slot), so the two compare the
 * APIs only.
 *
 * Handout: handouts/06-ipc-speed.md, section 7.5.
 */
#include "transport.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/shm.h>

enum { SLOT_SIZE = 64 * 1024, SLOT_COUNT = 16 };

struct slot {
    size_t length;                  /* bytes used in data */
    unsigned char data[SLOT_SIZE];
};

/* One direction: the writer fills slots in order, the reader empties them. */
struct slot_ring {
    struct slot slots[SLOT_COUNT];
};

/* The semaphores of the set: free and full slots for each direction. */
enum { FREE_TO_CHILD, FULL_TO_CHILD, FREE_TO_PARENT, FULL_TO_PARENT, SEMAPHORES };

struct sysvsem_transport {
    int segment;                    /* shmid */
    int semaphores;                 /* semid */
    struct slot_ring *rings;        /* [0] to the child, [1] to the parent */
    enum side side;
    struct slot_ring *tx, *rx;
    unsigned short tx_free, tx_full, rx_free, rx_full;
    size_t tx_index, rx_index;      /* slots written / read so far */
};

/* The fourth argument of semctl, which the caller must define (man 2 semctl). */
union semun {
    int val;
    struct semid_ds *buf;
    unsigned short *array;
};

/* Add delta to semaphore number, waiting while that would make it negative. */
static int change(int semaphores, unsigned short number, short delta)
{
    struct sembuf operation = { .sem_num = number, .sem_op = delta, .sem_flg = 0 };

    while (semop(semaphores, &operation, 1) == -1)
        if (errno != EINTR)
            return -1;
    return 0;
}

static void *sysvsem_create(struct transport_config *config)
{
    struct sysvsem_transport *t = malloc(sizeof *t);
    unsigned short values[SEMAPHORES] = { SLOT_COUNT, 0, SLOT_COUNT, 0 };
    union semun argument = { .array = values };

    (void)config;
    if (t == NULL)
        return NULL;
    memset(t, 0, sizeof *t);
    t->side = SIDE_PARENT;
    t->semaphores = -1;
    t->rings = (void *)-1;
    t->segment = shmget(IPC_PRIVATE, 2 * sizeof(struct slot_ring), IPC_CREAT | 0600);
    if (t->segment == -1)
        goto fail;
    t->rings = shmat(t->segment, NULL, 0);
    /* Marked for removal now, the segment lives until the last process detaches. */
    if (shmctl(t->segment, IPC_RMID, NULL) == -1 || t->rings == (void *)-1)
        goto fail;
    t->semaphores = semget(IPC_PRIVATE, SEMAPHORES, IPC_CREAT | 0600);
    if (t->semaphores == -1 || semctl(t->semaphores, 0, SETALL, argument) == -1)
        goto fail;
    return t;

fail:;
    int saved_errno = errno;
    if (t->semaphores != -1)
        semctl(t->semaphores, 0, IPC_RMID);
    if (t->rings != (void *)-1)
        shmdt(t->rings);
    free(t);
    errno = saved_errno;
    return NULL;
}

static int sysvsem_attach(void *state, enum side side)
{
    struct sysvsem_transport *t = state;

    t->side = side;
    if (side == SIDE_PARENT) {
        t->tx = &t->rings[0];
        t->rx = &t->rings[1];
        t->tx_free = FREE_TO_CHILD;
        t->tx_full = FULL_TO_CHILD;
        t->rx_free = FREE_TO_PARENT;
        t->rx_full = FULL_TO_PARENT;
    } else {
        t->tx = &t->rings[1];
        t->rx = &t->rings[0];
        t->tx_free = FREE_TO_PARENT;
        t->tx_full = FULL_TO_PARENT;
        t->rx_free = FREE_TO_CHILD;
        t->rx_full = FULL_TO_CHILD;
    }
    return 0;
}

/* The bytes of a message that go in one slot: SLOT_SIZE, or what is left. */
static size_t piece_size(size_t message_length, size_t done)
{
    size_t left = message_length - done;

    return left < SLOT_SIZE ? left : SLOT_SIZE;
}

/* Put a message into as many slots as it needs, one after the other. */
static int sysvsem_send(void *state, const void *buf, size_t len)
{
    struct sysvsem_transport *t = state;
    const unsigned char *message = buf;

    for (size_t done = 0; done < len; done += piece_size(len, done)) {
        struct slot *slot = &t->tx->slots[t->tx_index % SLOT_COUNT];

        if (change(t->semaphores, t->tx_free, -1) == -1)
            return -1;
        slot->length = piece_size(len, done);
        memcpy(slot->data, message + done, slot->length);
        t->tx_index++;
        if (change(t->semaphores, t->tx_full, +1) == -1)
            return -1;
    }
    return 0;
}

/* Take a message of len bytes out of the slots it fills; EMSGSIZE if the
 * slots say that the message sent was of another size. */
static int sysvsem_recv(void *state, void *buf, size_t len)
{
    struct sysvsem_transport *t = state;
    unsigned char *message = buf;

    for (size_t done = 0; done < len; done += piece_size(len, done)) {
        struct slot *slot = &t->rx->slots[t->rx_index % SLOT_COUNT];

        if (change(t->semaphores, t->rx_full, -1) == -1)
            return -1;
        if (slot->length != piece_size(len, done)) {
            errno = EMSGSIZE;
            return -1;
        }
        memcpy(message + done, slot->data, slot->length);
        t->rx_index++;
        if (change(t->semaphores, t->rx_free, +1) == -1)
            return -1;
    }
    return 0;
}

static int sysvsem_close(void *state)
{
    struct sysvsem_transport *t = state;
    int result = 0;

    if (shmdt(t->rings) == -1)
        result = -1;
    /* The parent closes last, after the child has exited: it removes the set. */
    if (t->side == SIDE_PARENT && semctl(t->semaphores, 0, IPC_RMID) == -1)
        result = -1;
    int saved_errno = errno;
    free(t);
    errno = saved_errno;
    return result;
}

const struct transport_ops shm_sysvsem_transport = {
    .name = "shm-sysvsem",
    .description = "System V shared memory, a ring of 16 slots of 64 KiB each way, System V semaphores",
    .source = "shm_sysvsem.c",
    .create = sysvsem_create,
    .attach = sysvsem_attach,
    .send = sysvsem_send,
    .recv = sysvsem_recv,
    .close = sysvsem_close,
};
