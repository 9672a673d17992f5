/*
 * sysvmq.c - one System V message queue; the message type says which way.
 *
 * Messages to the child have type 1, to the parent type 2, and each process
 * receives only its own type. msgsnd and msgrcv need the data right after a
 * `long mtype`, so the transport copies each message into a buffer of its
 * own first: one more copy than a pipe. A message is at most
 * /proc/sys/kernel/msgmax bytes (8192 by default), and all the messages in a
 * queue at most msgmnb (16384); msgctl(IPC_INFO) tells both. Bigger sizes
 * report "limit: ...".
 *
 * Handout: handouts/06-ipc-speed.md, section 7.4.
 */
#define _GNU_SOURCE         /* IPC_INFO, struct msginfo */
#include "transport.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>

enum { TO_CHILD = 1, TO_PARENT = 2 };

struct sysv_message {
    long mtype;
    char mtext[];
};

struct sysvmq_transport {
    int queue;
    enum side side;
    size_t message_size;
    struct sysv_message *buffer;    /* mtype and room for one message */
};

static void *sysvmq_create(struct transport_config *config)
{
    struct msginfo limits;          /* msgctl(IPC_INFO) fills in a struct msginfo */
    long msgmax = -1, msgmnb = -1;  /* unknown: let msgsnd say */

    if (msgctl(0, IPC_INFO, (struct msqid_ds *)&limits) != -1) {
        msgmax = limits.msgmax;
        msgmnb = limits.msgmnb;
    }
    if (msgmax > 0 && config->message_size > (size_t)msgmax) {
        snprintf(config->limit, sizeof config->limit,
                 "a System V message holds at most %ld bytes (kernel.msgmax)", msgmax);
        errno = EMSGSIZE;
        return NULL;
    }
    if (msgmnb > 0 && config->message_size > (size_t)msgmnb) {
        snprintf(config->limit, sizeof config->limit,
                 "a System V queue holds at most %ld bytes (kernel.msgmnb)", msgmnb);
        errno = EMSGSIZE;
        return NULL;
    }
    struct sysvmq_transport *q = malloc(sizeof *q);
    if (q == NULL)
        return NULL;
    q->side = SIDE_PARENT;
    q->message_size = config->message_size;
    q->buffer = malloc(sizeof *q->buffer + config->message_size);
    if (q->buffer == NULL) {
        free(q);
        errno = ENOMEM;
        return NULL;
    }
    q->queue = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
    if (q->queue == -1) {
        int saved_errno = errno;
        free(q->buffer);
        free(q);
        errno = saved_errno;
        return NULL;
    }
    return q;
}

static int sysvmq_attach(void *state, enum side side)
{
    struct sysvmq_transport *q = state;
    q->side = side;
    return 0;
}

static int sysvmq_send(void *state, const void *buf, size_t len)
{
    struct sysvmq_transport *q = state;

    if (len > q->message_size) {
        errno = EMSGSIZE;
        return -1;
    }
    q->buffer->mtype = q->side == SIDE_PARENT ? TO_CHILD : TO_PARENT;
    memcpy(q->buffer->mtext, buf, len);
    while (msgsnd(q->queue, q->buffer, len, 0) == -1)
        if (errno != EINTR)
            return -1;
    return 0;
}

static int sysvmq_recv(void *state, void *buf, size_t len)
{
    struct sysvmq_transport *q = state;
    long type = q->side == SIDE_PARENT ? TO_PARENT : TO_CHILD;
    ssize_t got;

    while ((got = msgrcv(q->queue, q->buffer, q->message_size, type, 0)) == -1)
        if (errno != EINTR)
            return -1;
    if ((size_t)got != len) {
        errno = EBADMSG;
        return -1;
    }
    memcpy(buf, q->buffer->mtext, len);
    return 0;
}

static int sysvmq_close(void *state)
{
    struct sysvmq_transport *q = state;
    int result = 0;

    /* The parent closes last, after the child has exited: it removes the queue. */
    if (q->side == SIDE_PARENT && msgctl(q->queue, IPC_RMID, NULL) == -1)
        result = -1;
    int saved_errno = errno;
    free(q->buffer);
    free(q);
    errno = saved_errno;
    return result;
}

const struct transport_ops sysvmq_transport = {
    .name = "sysvmq",
    .description = "one System V message queue, a message type each way (up to kernel.msgmax)",
    .source = "sysvmq.c",
    .create = sysvmq_create,
    .attach = sysvmq_attach,
    .send = sysvmq_send,
    .recv = sysvmq_recv,
    .close = sysvmq_close,
};
