/*
 * tcp.c - a TCP connection over the loopback interface, for contrast.
 *
 * The same socket calls as a UNIX-domain stream socket, but every message
 * goes down and up the whole TCP/IP stack: segments, checksums (skipped on
 * loopback), acknowledgements, flow control. TCP_NODELAY turns off Nagle's
 * algorithm, which would hold back small messages.
 *
 * Handout: handouts/06-ipc-speed.md, section 7.3.
 */
#include "transport.h"
#include "fdio.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct tcp_transport {
    int listener;               /* the parent's listening socket, until accept */
    struct sockaddr_in address; /* where it listens: 127.0.0.1, a port the kernel chose */
    int connection;             /* this process's end of the connection */
};

static void *tcp_create(struct transport_config *config)
{
    struct tcp_transport *t = malloc(sizeof *t);
    socklen_t length = sizeof t->address;

    (void)config;
    if (t == NULL)
        return NULL;
    t->connection = -1;
    t->listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (t->listener == -1)
        goto fail;
    memset(&t->address, 0, sizeof t->address);
    t->address.sin_family = AF_INET;
    t->address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    t->address.sin_port = 0;                    /* any free port */
    if (bind(t->listener, (struct sockaddr *)&t->address, sizeof t->address) == -1 ||
        getsockname(t->listener, (struct sockaddr *)&t->address, &length) == -1 ||
        listen(t->listener, 1) == -1)
        goto fail;
    return t;

fail:;
    int saved_errno = errno;
    if (t->listener != -1)
        close(t->listener);
    free(t);
    errno = saved_errno;
    return NULL;
}

static int tcp_attach(void *state, enum side side)
{
    struct tcp_transport *t = state;
    int one = 1;

    if (side == SIDE_PARENT) {
        t->connection = accept(t->listener, NULL, NULL);
        if (t->connection == -1)
            return -1;
    } else {
        t->connection = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (t->connection == -1)
            return -1;
        if (connect(t->connection, (struct sockaddr *)&t->address, sizeof t->address) == -1)
            return -1;
    }
    close(t->listener);
    t->listener = -1;
    return setsockopt(t->connection, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

static int tcp_send(void *state, const void *buf, size_t len)
{
    struct tcp_transport *t = state;
    return fd_write_full(t->connection, buf, len);
}

static int tcp_recv(void *state, void *buf, size_t len)
{
    struct tcp_transport *t = state;
    return fd_read_full(t->connection, buf, len);
}

static int tcp_close(void *state)
{
    struct tcp_transport *t = state;

    if (t->listener != -1)
        close(t->listener);
    if (t->connection != -1)
        close(t->connection);
    free(t);
    return 0;
}

const struct transport_ops tcp_transport = {
    .name = "tcp",
    .description = "a TCP connection on 127.0.0.1 (TCP_NODELAY)",
    .source = "tcp.c",
    .create = tcp_create,
    .attach = tcp_attach,
    .send = tcp_send,
    .recv = tcp_recv,
    .close = tcp_close,
};
