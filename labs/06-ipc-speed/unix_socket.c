/*
 * unix_socket.c - a UNIX-domain stream socket between parent and child.
 *
 * The parent binds a listening socket to a path before fork(); the child
 * connects to that path, the parent accepts, and the path is removed at once.
 * The data is copied into the kernel by send() and out by recv(), like a pipe,
 * but a socket is two-way: one connection carries both directions.
 *
 * send() and recv() may move fewer bytes than asked, so both loop. send()
 * passes MSG_NOSIGNAL: writing to a socket whose peer has gone then fails
 * with EPIPE instead of killing the process with SIGPIPE.
 *
 * Handout: handouts/06-ipc-speed.md, section 4.
 */
#include "transport.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

struct unix_transport {
    struct sockaddr_un address;     /* the path the parent listens on */
    int listener;                   /* the parent's listening socket, until accept */
    int connection;                 /* this process's end of the connection */
};

/* Before fork: a listening socket bound to DIR/NAME.socket. */
static void *unix_create(struct transport_config *config)
{
    /* TODO (handout section 4.1): allocate a struct unix_transport, fill the
     * address with the path config->dir/config->name.socket (ENAMETOOLONG if
     * it does not fit in sun_path), then socket(AF_UNIX, SOCK_STREAM |
     * SOCK_CLOEXEC), bind, listen. On any error, undo what was done (close the
     * socket; unlink the path only if bind made it) and return NULL with the
     * errno of the call that failed. */
    (void)config;
    errno = ENOSYS;
    /* END TODO */
    return NULL;
}

/* After fork: the child connects, the parent accepts and removes the path. */
static int unix_attach(void *state, enum side side)
{
    /* TODO (handout section 4.1): the child makes a socket (SOCK_STREAM |
     * SOCK_CLOEXEC) and connects to the address; the parent accepts the
     * connection and unlinks the path. Both close the listening socket: only
     * the connection is used. */
    (void)state;
    (void)side;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}

/* Send all len bytes, however many each send() takes. */
static int unix_send(void *state, const void *buf, size_t len)
{
    /* TODO (handout section 4.2): loop until every byte has gone: send()
     * may take fewer bytes than asked, or fail with EINTR. Pass
     * MSG_NOSIGNAL, so that a closed peer gives EPIPE, not SIGPIPE. */
    (void)state;
    (void)buf;
    (void)len;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}

/* Receive exactly len bytes; the end of the stream before that is EPIPE. */
static int unix_recv(void *state, void *buf, size_t len)
{
    /* TODO (handout section 4.2): loop until len bytes have come: recv()
     * may return fewer, or fail with EINTR. recv() returning 0 means that
     * the other side closed: fail with errno EPIPE. */
    (void)state;
    (void)buf;
    (void)len;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}

/* Close this process's sockets (and the path, if no child ever connected). */
static int unix_close(void *state)
{
    /* TODO (handout section 4.3): close the connection and the listening
     * socket if it is still open (then nobody connected: unlink the path
     * too), and free the struct. */
    (void)state;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}

const struct transport_ops unix_transport = {
    .name = "unix",
    .description = "a UNIX-domain stream socket, bound to a path in the directory of -d",
    .source = "unix_socket.c, handouts/06-ipc-speed.md section 4",
    .create = unix_create,
    .attach = unix_attach,
    .send = unix_send,
    .recv = unix_recv,
    .close = unix_close,
};
