/*
 * sysvq.c - create, send to, receive from and remove System V message queues
 * (see sysvq.h).
 *
 * Handout: handouts/03-message-queues.md, section 5.
 */
#include "sysvq.h"

#include <errno.h>
#include <string.h>

/* What msgsnd() and msgrcv() move: a type, then the text. Their size argument,
 * msgsz, counts the text only, never the long in front of it. */
struct sysvq_message {
    long type;
    char text[SYSVQ_MAX_TEXT];
};

key_t sysvq_key(const char *path)
{
    /* TODO (handout section 5.1): ftok with this lab's project id. */
    return ftok(path, SYSVQ_PROJECT);
    /* END TODO */
}

int sysvq_create(key_t key)
{
    /* TODO (handout section 5.2): msgget that creates a queue, mode 0600, and
     * fails when key has one already. */
    return msgget(key, IPC_CREAT | IPC_EXCL | 0600);
    /* END TODO */
}

int sysvq_open(key_t key)
{
    /* TODO (handout section 5.2): msgget that only finds an existing queue. */
    return msgget(key, 0);
    /* END TODO */
}

int sysvq_send(int msqid, long type, const void *data, size_t length, int flags)
{
    /* TODO (handout section 5.3): copy type and text into a struct
     * sysvq_message (EINVAL when the text does not fit) and msgsnd it. */
    struct sysvq_message message = { .type = type };   /* the rest zero-filled */

    if (length > sizeof message.text) {
        errno = EINVAL;
        return -1;
    }
    memcpy(message.text, data, length);
    return msgsnd(msqid, &message, length, flags);
    /* END TODO */
}

ssize_t sysvq_receive(int msqid, long type, void *data, size_t size, long *received_type,
                      int flags)
{
    /* TODO (handout section 5.4): msgrcv into a struct sysvq_message, asking
     * for at most size bytes of text (and no more than it holds), then copy
     * the text to data and the type to *received_type. */
    struct sysvq_message message;
    size_t room = size < sizeof message.text ? size : sizeof message.text;
    ssize_t length = msgrcv(msqid, &message, room, type, flags);

    if (length == -1)
        return -1;
    memcpy(data, message.text, (size_t)length);
    if (received_type != NULL)
        *received_type = message.type;
    return length;
    /* END TODO */
}

long sysvq_count(int msqid)
{
    /* TODO (handout section 5.2): msgctl IPC_STAT, then msg_qnum. */
    struct msqid_ds info;

    if (msgctl(msqid, IPC_STAT, &info) == -1)
        return -1;
    return (long)info.msg_qnum;
    /* END TODO */
}

int sysvq_remove(int msqid)
{
    /* TODO (handout section 5.2): msgctl IPC_RMID. */
    return msgctl(msqid, IPC_RMID, NULL);
    /* END TODO */
}
