/*
 * pipe.c - two pipes, one each way: the simplest kernel-copy transport.
 *
 * write() copies the bytes into the pipe's buffer in the kernel, read() copies
 * them out. A pipe holds 64 KiB by default; a writer with more waits for the
 * reader to make room. "pipe-1m" asks for a 1 MiB buffer (F_SETPIPE_SZ).
 *
 * Handout: handouts/06-ipc-speed.md, section 7.2.
 */
#define _GNU_SOURCE         /* F_SETPIPE_SZ */
#include "transport.h"
#include "fdio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

struct pipe_transport {
    int to_child[2];        /* [0] the child reads, [1] the parent writes */
    int to_parent[2];       /* [0] the parent reads, [1] the child writes */
    int rx, tx;             /* this process's ends, after attach */
};

static void close_fd(int *fd)
{
    if (*fd != -1) {
        close(*fd);
        *fd = -1;
    }
}

static void *create_pipes(int capacity)
{
    struct pipe_transport *p = malloc(sizeof *p);
    if (p == NULL)
        return NULL;
    p->to_child[0] = p->to_child[1] = p->to_parent[0] = p->to_parent[1] = -1;
    p->rx = p->tx = -1;
    if (pipe(p->to_child) == -1 || pipe(p->to_parent) == -1)
        goto fail;
    if (capacity > 0 && (fcntl(p->to_child[1], F_SETPIPE_SZ, capacity) == -1 ||
                         fcntl(p->to_parent[1], F_SETPIPE_SZ, capacity) == -1))
        goto fail;
    return p;

fail:;
    int saved_errno = errno;
    close_fd(&p->to_child[0]);
    close_fd(&p->to_child[1]);
    close_fd(&p->to_parent[0]);
    close_fd(&p->to_parent[1]);
    free(p);
    errno = saved_errno;
    return NULL;
}

static void *pipe_create(struct transport_config *config)
{
    (void)config;
    return create_pipes(0);
}

static void *pipe_1m_create(struct transport_config *config)
{
    (void)config;
    return create_pipes(1024 * 1024);
}

static int pipe_attach(void *state, enum side side)
{
    struct pipe_transport *p = state;

    if (side == SIDE_PARENT) {
        p->tx = p->to_child[1];
        p->rx = p->to_parent[0];
        close_fd(&p->to_child[0]);
        close_fd(&p->to_parent[1]);
    } else {
        p->tx = p->to_parent[1];
        p->rx = p->to_child[0];
        close_fd(&p->to_parent[0]);
        close_fd(&p->to_child[1]);
    }
    return 0;
}

static int pipe_send(void *state, const void *buf, size_t len)
{
    struct pipe_transport *p = state;
    return fd_write_full(p->tx, buf, len);
}

static int pipe_recv(void *state, void *buf, size_t len)
{
    struct pipe_transport *p = state;
    return fd_read_full(p->rx, buf, len);
}

static int pipe_close(void *state)
{
    struct pipe_transport *p = state;

    close_fd(&p->to_child[0]);
    close_fd(&p->to_child[1]);
    close_fd(&p->to_parent[0]);
    close_fd(&p->to_parent[1]);
    free(p);
    return 0;
}

const struct transport_ops pipe_transport = {
    .name = "pipe",
    .description = "two pipes (64 KiB each, the default)",
    .source = "pipe.c",
    .create = pipe_create,
    .attach = pipe_attach,
    .send = pipe_send,
    .recv = pipe_recv,
    .close = pipe_close,
};

const struct transport_ops pipe_1m_transport = {
    .name = "pipe-1m",
    .description = "two pipes enlarged to 1 MiB with F_SETPIPE_SZ",
    .source = "pipe.c",
    .create = pipe_1m_create,
    .attach = pipe_attach,
    .send = pipe_send,
    .recv = pipe_recv,
    .close = pipe_close,
};
