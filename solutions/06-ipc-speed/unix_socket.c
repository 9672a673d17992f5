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
    struct unix_transport *u = malloc(sizeof *u);
    if (u == NULL)
        return NULL;
    u->connection = -1;
    u->listener = -1;
    memset(&u->address, 0, sizeof u->address);
    u->address.sun_family = AF_UNIX;
    int length = snprintf(u->address.sun_path, sizeof u->address.sun_path, "%s/%s.socket",
                          config->dir, config->name);
    if (length < 0 || length >= (int)sizeof u->address.sun_path) {
        free(u);
        errno = ENAMETOOLONG;       /* sun_path holds 108 bytes, with the '\0' */
        return NULL;
    }
    u->listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (u->listener == -1)
        goto fail;
    if (bind(u->listener, (struct sockaddr *)&u->address, sizeof u->address) == -1)
        goto fail;
    if (listen(u->listener, 1) == -1) {
        int saved_errno = errno;
        unlink(u->address.sun_path);
        errno = saved_errno;
        goto fail;
    }
    return u;

fail:;
    int saved_errno = errno;
    if (u->listener != -1)
        close(u->listener);
    free(u);
    errno = saved_errno;
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
    struct unix_transport *u = state;

    if (side == SIDE_PARENT) {
        u->connection = accept(u->listener, NULL, NULL);
        if (u->connection == -1)
            return -1;
        /* The child is connected: nobody needs the path any more. */
        if (unlink(u->address.sun_path) == -1)
            return -1;
    } else {
        u->connection = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (u->connection == -1)
            return -1;
        if (connect(u->connection, (struct sockaddr *)&u->address, sizeof u->address) == -1)
            return -1;
    }
    close(u->listener);
    u->listener = -1;
    return 0;
    /* END TODO */
}

/* Send all len bytes, however many each send() takes. */
static int unix_send(void *state, const void *buf, size_t len)
{
    /* TODO (handout section 4.2): loop until every byte has gone: send()
     * may take fewer bytes than asked, or fail with EINTR. Pass
     * MSG_NOSIGNAL, so that a closed peer gives EPIPE, not SIGPIPE. */
    struct unix_transport *u = state;
    const char *next = buf;

    while (len > 0) {
        ssize_t sent = send(u->connection, next, len, MSG_NOSIGNAL);
        if (sent == -1) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        next += sent;
        len -= (size_t)sent;
    }
    return 0;
    /* END TODO */
}

/* Receive exactly len bytes; the end of the stream before that is EPIPE. */
static int unix_recv(void *state, void *buf, size_t len)
{
    /* TODO (handout section 4.2): loop until len bytes have come: recv()
     * may return fewer, or fail with EINTR. recv() returning 0 means that
     * the other side closed: fail with errno EPIPE. */
    struct unix_transport *u = state;
    char *next = buf;

    while (len > 0) {
        ssize_t got = recv(u->connection, next, len, 0);
        if (got == -1) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (got == 0) {
            errno = EPIPE;          /* the other side closed before len bytes came */
            return -1;
        }
        next += got;
        len -= (size_t)got;
    }
    return 0;
    /* END TODO */
}

/* Close this process's sockets (and the path, if no child ever connected). */
static int unix_close(void *state)
{
    /* TODO (handout section 4.3): close the connection and the listening
     * socket if it is still open (then nobody connected: unlink the path
     * too), and free the struct. */
    struct unix_transport *u = state;
    int result = 0;

    if (u->listener != -1) {
        /* Never accepted (an attach failed, or none happened): the path is still there. */
        close(u->listener);
        if (unlink(u->address.sun_path) == -1 && errno != ENOENT)
            result = -1;
    }
    if (u->connection != -1 && close(u->connection) == -1)
        result = -1;
    int saved_errno = errno;
    free(u);
    errno = saved_errno;
    return result;
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
