/*
 * posixmq.c - two POSIX message queues, one each way.
 *
 * mq_send copies a whole message into the kernel, mq_receive copies it out:
 * the queue keeps message boundaries, and a message is never cut. The price
 * is a size limit: without CAP_SYS_RESOURCE a message is at most
 * /proc/sys/fs/mqueue/msgsize_max bytes (8192 by default) and a queue holds
 * at most msg_max (10) of them. Bigger sizes report "limit: ...".
 *
 * The queues are created before fork(), so both processes hold descriptors
 * for them; their names are removed at once.
 *
 * Handout: handouts/06-ipc-speed.md, section 7.4.
 */
#include "transport.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { QUEUE_DEPTH = 10 };  /* msg_max: the most an unprivileged queue may hold */

struct posixmq_transport {
    mqd_t to_child, to_parent;
    mqd_t rx, tx;
    size_t message_size;    /* mq_msgsize of both queues */
    char *scratch;          /* mq_receive needs room for a whole mq_msgsize */
};

/* The number a file in /proc/sys holds; -1 if it cannot be read. */
static long read_sysctl(const char *path)
{
    char text[32];
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd == -1)
        return -1;
    ssize_t length = read(fd, text, sizeof text - 1);
    close(fd);
    if (length <= 0)
        return -1;
    text[length] = '\0';
    return strtol(text, NULL, 10);
}

static mqd_t open_queue(const struct transport_config *config, const char *what, size_t size)
{
    char name[NAME_MAX];
    struct mq_attr attr = { .mq_maxmsg = QUEUE_DEPTH, .mq_msgsize = (long)size };
    int length = snprintf(name, sizeof name, "/%s.%s", config->name, what);

    if (length < 0 || length >= (int)sizeof name) {
        errno = ENAMETOOLONG;
        return (mqd_t)-1;
    }
    mqd_t queue = mq_open(name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600, &attr);
    if (queue == (mqd_t)-1)
        return queue;
    mq_unlink(name);        /* both processes will hold it open: the name can go */
    return queue;
}

static void *posixmq_create(struct transport_config *config)
{
    long size_max = read_sysctl("/proc/sys/fs/mqueue/msgsize_max");

    if (size_max > 0 && config->message_size > (size_t)size_max) {
        snprintf(config->limit, sizeof config->limit,
                 "a POSIX message holds at most %ld bytes (fs.mqueue.msgsize_max)", size_max);
        errno = EMSGSIZE;
        return NULL;
    }
    struct posixmq_transport *q = malloc(sizeof *q);
    if (q == NULL)
        return NULL;
    q->message_size = config->message_size;
    q->to_child = q->to_parent = q->rx = q->tx = (mqd_t)-1;
    q->scratch = malloc(config->message_size);
    if (q->scratch == NULL)
        goto fail;
    q->to_child = open_queue(config, "to-child", config->message_size);
    if (q->to_child == (mqd_t)-1)
        goto fail;
    q->to_parent = open_queue(config, "to-parent", config->message_size);
    if (q->to_parent == (mqd_t)-1)
        goto fail;
    return q;

fail:;
    int saved_errno = errno;
    if (saved_errno == EMFILE)
        snprintf(config->limit, sizeof config->limit,
                 "mq_open: EMFILE: this user's queues fill RLIMIT_MSGQUEUE (ulimit -q)");
    if (q->to_child != (mqd_t)-1)
        mq_close(q->to_child);
    free(q->scratch);
    free(q);
    errno = saved_errno == EMFILE ? EMSGSIZE : saved_errno;
    return NULL;
}

static int posixmq_attach(void *state, enum side side)
{
    struct posixmq_transport *q = state;

    q->tx = side == SIDE_PARENT ? q->to_child : q->to_parent;
    q->rx = side == SIDE_PARENT ? q->to_parent : q->to_child;
    return 0;
}

static int posixmq_send(void *state, const void *buf, size_t len)
{
    struct posixmq_transport *q = state;

    while (mq_send(q->tx, buf, len, 0) == -1)
        if (errno != EINTR)
            return -1;
    return 0;
}

static int posixmq_recv(void *state, void *buf, size_t len)
{
    struct posixmq_transport *q = state;
    char *into = len >= q->message_size ? buf : q->scratch;
    ssize_t got;

    while ((got = mq_receive(q->rx, into, q->message_size > len ? q->message_size : len,
                             NULL)) == -1)
        if (errno != EINTR)
            return -1;
    if ((size_t)got != len) {
        errno = EBADMSG;    /* a message of another size than the one asked for */
        return -1;
    }
    if (into != buf)
        memcpy(buf, into, len);
    return 0;
}

static int posixmq_close(void *state)
{
    struct posixmq_transport *q = state;

    if (q->to_child != (mqd_t)-1)
        mq_close(q->to_child);
    if (q->to_parent != (mqd_t)-1)
        mq_close(q->to_parent);
    free(q->scratch);
    free(q);
    return 0;
}

const struct transport_ops posixmq_transport = {
    .name = "posixmq",
    .description = "two POSIX message queues (messages up to fs.mqueue.msgsize_max)",
    .source = "posixmq.c",
    .create = posixmq_create,
    .attach = posixmq_attach,
    .send = posixmq_send,
    .recv = posixmq_recv,
    .close = posixmq_close,
};
