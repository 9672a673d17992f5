/*
 * fifo.c - two FIFOs (named pipes), one each way.
 *
 * A FIFO is a pipe with a name in the file system, so that processes that are
 * not related can find it. Opening one end blocks until the other end is
 * opened too; once both processes hold their ends, the parent removes the
 * names: the pipes live on, and nothing is left behind if a process dies.
 *
 * Handout: handouts/06-ipc-speed.md, section 7.2.
 */
#include "transport.h"
#include "fdio.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

struct fifo_transport {
    char to_child[PATH_MAX];
    char to_parent[PATH_MAX];
    int rx, tx;
};

static int make_path(char *path, const struct transport_config *config, const char *what)
{
    int length = snprintf(path, PATH_MAX, "%s/%s.%s", config->dir, config->name, what);
    if (length < 0 || length >= PATH_MAX) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return 0;
}

static void *fifo_create(struct transport_config *config)
{
    struct fifo_transport *f = malloc(sizeof *f);
    if (f == NULL)
        return NULL;
    f->rx = f->tx = -1;
    if (make_path(f->to_child, config, "to-child") == -1 ||
        make_path(f->to_parent, config, "to-parent") == -1)
        goto fail;
    if (mkfifo(f->to_child, 0600) == -1)
        goto fail;
    if (mkfifo(f->to_parent, 0600) == -1) {
        int saved_errno = errno;
        unlink(f->to_child);
        errno = saved_errno;
        goto fail;
    }
    return f;

fail:;
    int saved_errno = errno;
    free(f);
    errno = saved_errno;
    return NULL;
}

static int fifo_attach(void *state, enum side side)
{
    struct fifo_transport *f = state;

    /* Both processes open to-child first, so that neither waits for an open
     * that the other will never make. */
    if (side == SIDE_PARENT) {
        if ((f->tx = open(f->to_child, O_WRONLY | O_CLOEXEC)) == -1 ||
            (f->rx = open(f->to_parent, O_RDONLY | O_CLOEXEC)) == -1)
            return -1;
        /* The child holds its ends now: the names can go. */
        if (unlink(f->to_child) == -1 || unlink(f->to_parent) == -1)
            return -1;
    } else {
        if ((f->rx = open(f->to_child, O_RDONLY | O_CLOEXEC)) == -1 ||
            (f->tx = open(f->to_parent, O_WRONLY | O_CLOEXEC)) == -1)
            return -1;
    }
    return 0;
}

static int fifo_send(void *state, const void *buf, size_t len)
{
    struct fifo_transport *f = state;
    return fd_write_full(f->tx, buf, len);
}

static int fifo_recv(void *state, void *buf, size_t len)
{
    struct fifo_transport *f = state;
    return fd_read_full(f->rx, buf, len);
}

static int fifo_close(void *state)
{
    struct fifo_transport *f = state;

    if (f->rx != -1)
        close(f->rx);
    if (f->tx != -1)
        close(f->tx);
    /* Gone already after a successful attach; not after a failed one. */
    unlink(f->to_child);
    unlink(f->to_parent);
    free(f);
    return 0;
}

const struct transport_ops fifo_transport = {
    .name = "fifo",
    .description = "two FIFOs (named pipes) in the directory of -d",
    .source = "fifo.c",
    .create = fifo_create,
    .attach = fifo_attach,
    .send = fifo_send,
    .recv = fifo_recv,
    .close = fifo_close,
};
