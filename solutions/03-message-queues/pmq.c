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
    struct mq_attr attr = { .mq_flags = 0, .mq_maxmsg = maxmsg, .mq_msgsize = msgsize };

    return mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, &attr);
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
    long msg_max = read_limit("/proc/sys/fs/mqueue/msg_max");
    long msgsize_max = read_limit("/proc/sys/fs/mqueue/msgsize_max");
    long queues_max = read_limit("/proc/sys/fs/mqueue/queues_max");
    struct rlimit limit;

    switch (err) {
    case EINVAL:
        if (name[0] != '/' || name[1] == '\0')
            snprintf(buffer, size, "\"%s\" is not a queue name: a name is '/' followed by "
                     "up to 255 characters, none of them '/' (EINVAL)", name);
        else if (maxmsg < 1 || msgsize < 1)
            snprintf(buffer, size, "mq_maxmsg (%ld) and mq_msgsize (%ld) must both be "
                     "at least 1 (EINVAL)", maxmsg, msgsize);
        else if (maxmsg > msg_max && msgsize > msgsize_max)
            snprintf(buffer, size, "mq_maxmsg %ld is over the limit of %ld messages set in "
                     "/proc/sys/fs/mqueue/msg_max, and mq_msgsize %ld is over the limit of "
                     "%ld bytes set in /proc/sys/fs/mqueue/msgsize_max (EINVAL)",
                     maxmsg, msg_max, msgsize, msgsize_max);
        else if (maxmsg > msg_max)
            snprintf(buffer, size, "mq_maxmsg %ld is over the limit of %ld messages set in "
                     "/proc/sys/fs/mqueue/msg_max (EINVAL)", maxmsg, msg_max);
        else if (msgsize > msgsize_max)
            snprintf(buffer, size, "mq_msgsize %ld is over the limit of %ld bytes set in "
                     "/proc/sys/fs/mqueue/msgsize_max (EINVAL)", msgsize, msgsize_max);
        else
            snprintf(buffer, size, "%s (EINVAL)", strerror(err));
        break;
    case EMFILE:
        if (getrlimit(RLIMIT_MSGQUEUE, &limit) == -1)
            limit.rlim_cur = RLIM_INFINITY;
        snprintf(buffer, size, "a queue of %ld messages of %ld bytes needs more than %ld bytes, "
                 "and with it your queues would go over RLIMIT_MSGQUEUE, %llu bytes per user "
                 "(ulimit -q; queues left behind count too: see /dev/mqueue); or this "
                 "process has as many files open as RLIMIT_NOFILE allows (EMFILE)",
                 maxmsg, msgsize, maxmsg * msgsize, (unsigned long long)limit.rlim_cur);
        break;
    case ENOSPC:
        snprintf(buffer, size, "there are %ld queues already, the limit set in "
                 "/proc/sys/fs/mqueue/queues_max (ENOSPC)", queues_max);
        break;
    case EEXIST:
        snprintf(buffer, size, "a queue called %s exists already (EEXIST); "
                 "remove it with: mq unlink %s", name, name);
        break;
    case EACCES:
        snprintf(buffer, size, "permission denied: the queue belongs to someone else, "
                 "or the name has a second '/' (EACCES)");
        break;
    default:
        snprintf(buffer, size, "%s", strerror(err));
        break;
    }
    /* END TODO */
    return buffer;
}

mqd_t pmq_open(const char *name, int nonblocking)
{
    /* TODO (handout section 3.4): open the existing queue with mq_open for
     * reading and writing, adding O_NONBLOCK when nonblocking is not 0. */
    return mq_open(name, nonblocking ? O_RDWR | O_NONBLOCK : O_RDWR);
    /* END TODO */
}

long pmq_count(mqd_t mq)
{
    /* TODO (handout section 3.3): mq_getattr, then mq_curmsgs. */
    struct mq_attr attr;

    if (mq_getattr(mq, &attr) == -1)
        return -1;
    return attr.mq_curmsgs;
    /* END TODO */
}

int pmq_set_nonblocking(mqd_t mq, int nonblocking)
{
    /* TODO (handout section 3.4): set or clear O_NONBLOCK in mq_flags with
     * mq_setattr. */
    struct mq_attr attr;

    if (mq_getattr(mq, &attr) == -1)
        return -1;
    /* mq_setattr changes mq_flags only; O_NONBLOCK is its one flag. */
    attr.mq_flags = nonblocking ? O_NONBLOCK : 0;
    return mq_setattr(mq, &attr, NULL);
    /* END TODO */
}

int pmq_deadline(long timeout_ms, struct timespec *deadline)
{
    /* TODO (handout section 3.6): the CLOCK_REALTIME time now (clock_gettime)
     * plus timeout_ms, with tv_nsec kept below one second. A negative
     * timeout_ms is EINVAL. */
    if (timeout_ms < 0) {
        errno = EINVAL;
        return -1;
    }
    if (clock_gettime(CLOCK_REALTIME, deadline) == -1)
        return -1;
    deadline->tv_sec += timeout_ms / 1000;
    deadline->tv_nsec += (timeout_ms % 1000) * 1000000L;
    if (deadline->tv_nsec >= 1000000000L) {
        deadline->tv_sec += 1;
        deadline->tv_nsec -= 1000000000L;
    }
    return 0;
    /* END TODO */
}

int pmq_send(mqd_t mq, const void *data, size_t length, unsigned int priority,
             long timeout_ms)
{
    /* TODO (handout sections 3.5, 3.6 and 3.8): mq_send, or mq_timedsend with
     * the deadline of timeout_ms when timeout_ms >= 0. When a signal handler
     * interrupts the wait (EINTR), wait again, until the same deadline. */
    struct timespec deadline;
    int result;

    if (timeout_ms >= 0 && pmq_deadline(timeout_ms, &deadline) == -1)
        return -1;
    do {
        if (timeout_ms < 0)
            result = mq_send(mq, data, length, priority);
        else
            result = mq_timedsend(mq, data, length, priority, &deadline);
    } while (result == -1 && errno == EINTR);
    return result;
    /* END TODO */
}

ssize_t pmq_receive(mqd_t mq, char **data, unsigned int *priority, long timeout_ms)
{
    /* TODO (handout sections 3.5, 3.6 and 3.8): malloc a buffer of the
     * queue's mq_msgsize (mq_getattr), then mq_receive, or mq_timedreceive
     * with the deadline of timeout_ms when timeout_ms >= 0; when a signal
     * handler interrupts the wait (EINTR), wait again, until the same
     * deadline. On failure free the buffer, keep errno and leave *data NULL. */
    struct mq_attr attr;
    struct timespec deadline;
    ssize_t received;
    char *buffer;
    int saved_errno;

    *data = NULL;
    if (mq_getattr(mq, &attr) == -1)
        return -1;
    if (timeout_ms >= 0 && pmq_deadline(timeout_ms, &deadline) == -1)
        return -1;
    /* A buffer smaller than mq_msgsize fails with EMSGSIZE, even for a short message. */
    buffer = malloc((size_t)attr.mq_msgsize);
    if (buffer == NULL)
        return -1;
    do {
        if (timeout_ms < 0)
            received = mq_receive(mq, buffer, (size_t)attr.mq_msgsize, priority);
        else
            received = mq_timedreceive(mq, buffer, (size_t)attr.mq_msgsize, priority,
                                       &deadline);
    } while (received == -1 && errno == EINTR);
    if (received == -1) {
        saved_errno = errno;
        free(buffer);
        errno = saved_errno;
        return -1;
    }
    *data = buffer;
    return received;
    /* END TODO */
}

int pmq_unlink(const char *name)
{
    /* TODO (handout section 3.7): mq_unlink. */
    return mq_unlink(name);
    /* END TODO */
}
