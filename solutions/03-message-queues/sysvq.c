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
    return ftok(path, SYSVQ_PROJECT);
}

int sysvq_create(key_t key)
{
    return msgget(key, IPC_CREAT | IPC_EXCL | 0600);
}

int sysvq_open(key_t key)
{
    return msgget(key, 0);
}

int sysvq_send(int msqid, long type, const void *data, size_t length, int flags)
{
    struct sysvq_message message = { .type = type };   /* the rest zero-filled */

    if (length > sizeof message.text) {
        errno = EINVAL;
        return -1;
    }
    memcpy(message.text, data, length);
    return msgsnd(msqid, &message, length, flags);
}

ssize_t sysvq_receive(int msqid, long type, void *data, size_t size, long *received_type,
                      int flags)
{
    struct sysvq_message message;
    size_t room = size < sizeof message.text ? size : sizeof message.text;
    ssize_t length = msgrcv(msqid, &message, room, type, flags);

    if (length == -1)
        return -1;
    memcpy(data, message.text, (size_t)length);
    if (received_type != NULL)
        *received_type = message.type;
    return length;
}

long sysvq_count(int msqid)
{
    struct msqid_ds info;

    if (msgctl(msqid, IPC_STAT, &info) == -1)
        return -1;
    return (long)info.msg_qnum;
}

int sysvq_remove(int msqid)
{
    return msgctl(msqid, IPC_RMID, NULL);
}
