/*
 * pmq.c - create, inspect, send to, receive from and remove POSIX message
 * queues (see pmq.h).
 *
 * Handout: handouts/03-message-queues.md, section 3.
 */
#include "pmq.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

mqd_t pmq_create(const char *name, long maxmsg, long msgsize)
{
    /* TODO (handout section 3.1): fill a struct mq_attr with maxmsg and
     * msgsize and create the queue with mq_open: O_CREAT | O_EXCL | O_RDWR,
     * mode 0600. */
    (void)name;
    (void)maxmsg;
    (void)msgsize;
    errno = ENOSYS;
    return (mqd_t)-1;
    /* END TODO */
}

/* Read one number from a file such as /proc/sys/fs/mqueue/msg_max; -1 if it cannot. */
static long read_limit(const char *path)
{
    FILE *file = fopen(path, "r");
    long value;

    if (file == NULL)
        return -1;
    if (fscanf(file, "%ld", &value) != 1)
        value = -1;
    fclose(file);
    return value;
}

const char *pmq_explain_create_error(int err, const char *name, long maxmsg, long msgsize,
                                     char *buffer, size_t size)
{
    /* TODO (handout section 3.2): say in buffer why the create failed. For
     * EINVAL, compare maxmsg and msgsize with the limits read (read_limit)
     * from /proc/sys/fs/mqueue/msg_max and msgsize_max and name the one that
     * was broken; for EMFILE name RLIMIT_MSGQUEUE (getrlimit); for ENOSPC
     * /proc/sys/fs/mqueue/queues_max; EEXIST, EACCES, anything else: say so. */
    (void)read_limit;
    (void)name;
    (void)maxmsg;
    (void)msgsize;
    snprintf(buffer, size, "%s (pmq_explain_create_error() is not written yet: TODO in pmq.c, "
             "handouts/03-message-queues.md section 3.2)", strerror(err));
    /* END TODO */
    return buffer;
}

mqd_t pmq_open(const char *name, int nonblocking)
{
    /* TODO (handout section 3.4): open the existing queue with mq_open for
     * reading and writing, adding O_NONBLOCK when nonblocking is not 0. */
    (void)name;
    (void)nonblocking;
    errno = ENOSYS;
    return (mqd_t)-1;
    /* END TODO */
}

long pmq_count(mqd_t mq)
{
    /* TODO (handout section 3.3): mq_getattr, then mq_curmsgs. */
    (void)mq;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}

int pmq_set_nonblocking(mqd_t mq, int nonblocking)
{
    /* TODO (handout section 3.4): set or clear O_NONBLOCK in mq_flags with
     * mq_setattr. */
    (void)mq;
    (void)nonblocking;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}

int pmq_deadline(long timeout_ms, struct timespec *deadline)
{
    /* TODO (handout section 3.6): the CLOCK_REALTIME time now (clock_gettime)
     * plus timeout_ms, with tv_nsec kept below one second. A negative
     * timeout_ms is EINVAL. */
    (void)timeout_ms;
    (void)deadline;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}

int pmq_send(mqd_t mq, const void *data, size_t length, unsigned int priority,
             long timeout_ms)
{
    /* TODO (handout sections 3.5, 3.6 and 3.8): mq_send, or mq_timedsend with
     * the deadline of timeout_ms when timeout_ms >= 0. When a signal handler
     * interrupts the wait (EINTR), wait again, until the same deadline. */
    (void)mq;
    (void)data;
    (void)length;
    (void)priority;
    (void)timeout_ms;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}

ssize_t pmq_receive(mqd_t mq, char **data, unsigned int *priority, long timeout_ms)
{
    /* TODO (handout sections 3.5, 3.6 and 3.8): malloc a buffer of the
     * queue's mq_msgsize (mq_getattr), then mq_receive, or mq_timedreceive
     * with the deadline of timeout_ms when timeout_ms >= 0; when a signal
     * handler interrupts the wait (EINTR), wait again, until the same
     * deadline. On failure free the buffer, keep errno and leave *data NULL. */
    (void)mq;
    (void)priority;
    (void)timeout_ms;
    *data = NULL;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}

int pmq_unlink(const char *name)
{
    /* TODO (handout section 3.7): mq_unlink. */
    (void)name;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}
