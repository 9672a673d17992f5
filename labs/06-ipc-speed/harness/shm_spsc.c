/*
 * shm_spsc.c - POSIX shared memory holding two lock-free rings, one each way.
 *
 * The transport around spsc.c: one shared memory region, a ring to the child
 * at its start and a ring to the parent right after it.
 *
 * Handout: handouts/06-ipc-speed.md, section 6.5.
 */
#include "transport.h"
#include "shmregion.h"
#include "spsc.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

enum { RING_CAPACITY = 1024 * 1024 };   /* bytes each way; a power of two */

struct spsc_transport {
    unsigned char *region;
    size_t region_size;
    struct spsc_ring *to_child, *to_parent;
    struct spsc_ring *tx, *rx;
};

static void *spsc_create(struct transport_config *config)
{
    char name[NAME_MAX];
    int length = snprintf(name, sizeof name, "%s.spsc", config->name);

    if (length < 0 || length >= (int)sizeof name) {
        errno = ENAMETOOLONG;
        return NULL;
    }
    struct spsc_transport *t = malloc(sizeof *t);
    if (t == NULL)
        return NULL;
    t->region_size = 2 * spsc_size(RING_CAPACITY);
    t->region = shm_region_create(name, t->region_size);
    if (t->region == NULL)
        goto fail;
    t->to_child = (struct spsc_ring *)t->region;
    t->to_parent = (struct spsc_ring *)(t->region + spsc_size(RING_CAPACITY));
    t->tx = t->rx = NULL;
    if (spsc_init(t->to_child, RING_CAPACITY) == -1 ||
        spsc_init(t->to_parent, RING_CAPACITY) == -1)
        goto fail;
    return t;

fail:;
    int saved_errno = errno;
    if (t->region != NULL)
        shm_region_destroy(t->region, t->region_size);
    free(t);
    errno = saved_errno;
    return NULL;
}

static int spsc_attach(void *state, enum side side)
{
    struct spsc_transport *t = state;

    t->tx = side == SIDE_PARENT ? t->to_child : t->to_parent;
    t->rx = side == SIDE_PARENT ? t->to_parent : t->to_child;
    return 0;
}

static int spsc_send(void *state, const void *buf, size_t len)
{
    struct spsc_transport *t = state;
    return spsc_write(t->tx, buf, len);
}

static int spsc_recv(void *state, void *buf, size_t len)
{
    struct spsc_transport *t = state;
    return spsc_read(t->rx, buf, len);
}

static int spsc_close(void *state)
{
    struct spsc_transport *t = state;
    int result = shm_region_destroy(t->region, t->region_size);
    int saved_errno = errno;

    free(t);
    errno = saved_errno;
    return result;
}

const struct transport_ops shm_spsc_transport = {
    .name = "shm-spsc",
    .description = "POSIX shared memory, a lock-free ring of 1 MiB each way (C11 atomics, futex)",
    .source = "spsc.c, handouts/06-ipc-speed.md section 6",
    .create = spsc_create,
    .attach = spsc_attach,
    .send = spsc_send,
    .recv = spsc_recv,
    .close = spsc_close,
};
