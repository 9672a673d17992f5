/*
 * shm_posixsem.c - POSIX shared memory and POSIX semaphores: a ring of slots
 * each way.
 *
 * The writer copies a message into the shared memory, in pieces of up to
 * SLOT_SIZE bytes, one piece per slot; the reader copies it out. Two counting
 * semaphores per direction say how many slots are free (the writer waits on
 * it) and how many are full (the reader waits on it). One writer and one
 * reader per ring: no mutex is needed, each index belongs to one process.
 *
 * The semaphores live in the shared memory itself (sem_init with pshared = 1).
 * sem_wait and sem_post are futexes underneath: they stay in user space
 * unless a process must sleep or be woken.
 *
 * Handout: handouts/06-ipc-speed.md, section 5.
 */
#include "transport.h"
#include "shmregion.h"

#include <errno.h>
#include <limits.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { SLOT_SIZE = 64 * 1024, SLOT_COUNT = 16 };

struct slot {
    size_t length;                  /* bytes used in data */
    unsigned char data[SLOT_SIZE];
};

/* One direction: the writer fills slots in order, the reader empties them. */
struct slot_ring {
    sem_t free_slots;               /* slots the writer may fill: SLOT_COUNT at first */
    sem_t full_slots;               /* slots the reader may empty: 0 at first */
    struct slot slots[SLOT_COUNT];
};

/* What the two processes share. */
struct shared_rings {
    struct slot_ring to_child;
    struct slot_ring to_parent;
};

/* What each process keeps for itself. */
struct posixsem_transport {
    struct shared_rings *shared;
    enum side side;
    struct slot_ring *tx, *rx;      /* the ring this process writes, and reads */
    size_t tx_index, rx_index;      /* slots written / read so far */
    size_t rx_offset;               /* bytes already taken from slot rx_index */
};

/* TODO (optional): helper functions of your own go here. */
/* END TODO */

/* Before fork: the shared rings, their semaphores, and this process's struct. */
static void *posixsem_create(struct transport_config *config)
{
    /* TODO (handout section 5.2): allocate a struct posixsem_transport; map
     * a struct shared_rings with shm_region_create, named config->name plus
     * ".posixsem"; sem_init the four semaphores, shared between processes
     * (pshared 1): free_slots at SLOT_COUNT, full_slots at 0. */
    (void)config;
    errno = ENOSYS;
    /* END TODO */
    return NULL;
}

/* After fork: the parent writes to the child's ring and reads its own. */
static int posixsem_attach(void *state, enum side side)
{
    /* TODO (handout section 5.2): remember the side; set tx and rx. */
    (void)state;
    (void)side;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}

/* Copy buf into the ring, a slot at a time: wait for a free one, fill it, post it full. */
static int posixsem_send(void *state, const void *buf, size_t len)
{
    /* TODO (handout section 5.3): for each piece of up to SLOT_SIZE bytes:
     * sem_wait on free_slots (again after EINTR), copy the piece into slot
     * tx_index % SLOT_COUNT, set its length, tx_index++, sem_post full_slots. */
    (void)state;
    (void)buf;
    (void)len;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}

/* Copy len bytes out of the ring: a slot may hold more or less than len. */
static int posixsem_recv(void *state, void *buf, size_t len)
{
    /* TODO (handout section 5.4): while bytes are wanted: if no slot is
     * half read (rx_offset 0), sem_wait on full_slots; copy what you need
     * from slot rx_index % SLOT_COUNT, from rx_offset on; once the slot is
     * empty, rx_offset = 0, rx_index++, and sem_post free_slots. */
    (void)state;
    (void)buf;
    (void)len;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}

/* Each process unmaps and frees; the parent, last, destroys the semaphores. */
static int posixsem_close(void *state)
{
    /* TODO (handout section 5.5): the parent (it closes after the child has
     * exited) sem_destroys the four semaphores; every process unmaps the
     * rings (shm_region_destroy) and frees its struct. */
    (void)state;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}

const struct transport_ops shm_posixsem_transport = {
    .name = "shm-posixsem",
    .description = "POSIX shared memory, a ring of 16 slots of 64 KiB each way, POSIX semaphores",
    .source = "shm_posixsem.c, handouts/06-ipc-speed.md section 5",
    .create = posixsem_create,
    .attach = posixsem_attach,
    .send = posixsem_send,
    .recv = posixsem_recv,
    .close = posixsem_close,
};
