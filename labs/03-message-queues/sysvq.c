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
    (void)path;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}

int sysvq_create(key_t key)
{
    /* TODO (handout section 5.2): msgget that creates a queue, mode 0600, and
     * fails when key has one already. */
    (void)key;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}

int sysvq_open(key_t key)
{
    /* TODO (handout section 5.2): msgget that only finds an existing queue. */
    (void)key;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}

int sysvq_send(int msqid, long type, const void *data, size_t length, int flags)
{
    /* TODO (handout section 5.3): copy type and text into a struct
     * sysvq_message (EINVAL when the text does not fit) and msgsnd it. */
    (void)msqid;
    (void)type;
    (void)data;
    (void)length;
    (void)flags;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}

ssize_t sysvq_receive(int msqid, long type, void *data, size_t size, long *received_type,
                      int flags)
{
    /* TODO (handout section 5.4): msgrcv into a struct sysvq_message, asking
     * for at most size bytes of text (and no more than it holds), then copy
     * the text to data and the type to *received_type. */
    (void)msqid;
    (void)type;
    (void)data;
    (void)size;
    (void)received_type;
    (void)flags;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}

long sysvq_count(int msqid)
{
    /* TODO (handout section 5.2): msgctl IPC_STAT, then msg_qnum. */
    (void)msqid;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}

int sysvq_remove(int msqid)
{
    /* TODO (handout section 5.2): msgctl IPC_RMID. */
    (void)msqid;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}
