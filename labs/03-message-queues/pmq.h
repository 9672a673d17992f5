/*
 * pmq.h - a small library over POSIX message queues (man 7 mq_overview).
 *
 * A POSIX message queue is a list of messages that the kernel keeps under a
 * name such as "/orders". A message is any string of bytes, from 0 up to the
 * queue's mq_msgsize, with a priority from 0 to 32767. mq_receive always takes
 * the oldest message of the highest priority. The queue holds at most
 * mq_maxmsg messages; both sizes are fixed when the queue is created.
 *
 * What every function does:
 *   - On failure it returns -1 (or (mqd_t)-1) with errno set to the errno of
 *     the call that failed, even when it cleans up afterwards. [spec:pmq-errno-kept]
 *   - timeout_ms is PMQ_NO_TIMEOUT (or any negative number): wait as long as
 *     it takes; 0 or more: wait at most that many milliseconds, then fail
 *     with ETIMEDOUT. A timeout of 0 never waits. [spec:pmq-negative-timeout-waits]
 *   - On a non-blocking descriptor nothing waits: EAGAIN at once, with or
 *     without a timeout.
 *   - Signals: pmq_send and pmq_receive never fail with EINTR. When a signal
 *     handler interrupts their wait, they wait again [spec:pmq-eintr-retried],
 *     until the same deadline: the deadline is computed once, before the
 *     first try [spec:pmq-eintr-same-deadline].
 *
 * Handout: handouts/03-message-queues.md, section 3.
 */
#ifndef PMQ_H
#define PMQ_H

#include <mqueue.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

/* The timeout_ms that means "no timeout": wait as long as it takes. */
enum { PMQ_NO_TIMEOUT = -1 };

/*
 * Create a new queue called name (one '/' then up to 255 characters, none of
 * them '/', e.g. "/orders") for at most maxmsg messages of at most msgsize
 * bytes each [spec:pmq-create-sizes], open for reading and writing, blocking
 * [spec:pmq-create-rdwr-blocking], mode 0600 [spec:pmq-create-mode].
 * Fails with EEXIST when the queue exists: never take one over
 * [spec:pmq-create-eexist]; EINVAL for a bad name or a size below 1
 * [spec:pmq-create-einval]; over a limit: EINVAL, EMFILE or ENOSPC (3.2).
 * Section 3.1.
 */
mqd_t pmq_create(const char *name, long maxmsg, long msgsize);

/*
 * Explain why pmq_create(name, maxmsg, msgsize) failed with errno err, in one
 * sentence written to buffer: at most size bytes, always ended by '\0'
 * [spec:pmq-explain-fits-the-buffer]. Returns buffer. By err:
 *   EINVAL  a bad name: say the name is not a queue name, naming no limit
 *           [spec:pmq-explain-bad-name]; a size below 1: say which, with its
 *           value, naming no limit [spec:pmq-explain-size-below-1]; else the
 *           limit that the request is over, its value and its file: maxmsg over
 *           /proc/sys/fs/mqueue/msg_max [spec:pmq-explain-msg-max], msgsize
 *           over /proc/sys/fs/mqueue/msgsize_max [spec:pmq-explain-msgsize-max];
 *           both when both are over, never one that is not (a size equal to
 *           its limit is not over it) [spec:pmq-explain-only-the-broken-limit];
 *   EMFILE  RLIMIT_MSGQUEUE (ulimit -q) and its value now, in bytes
 *           [spec:pmq-explain-emfile];
 *   ENOSPC  /proc/sys/fs/mqueue/queues_max and its value [spec:pmq-explain-enospc];
 *   EEXIST  that the queue exists, naming it [spec:pmq-explain-eexist];
 *   other   strerror(err).
 * Section 3.2.
 */
const char *pmq_explain_create_error(int err, const char *name, long maxmsg, long msgsize,
                                     char *buffer, size_t size);

/* Open an existing queue for reading and writing [spec:pmq-open-rdwr];
 * non-blocking when nonblocking != 0, else blocking [spec:pmq-open-nonblocking].
 * Never creates one: ENOENT when there is none [spec:pmq-open-enoent].
 * Section 3.4. */
mqd_t pmq_open(const char *name, int nonblocking);

/* The number of messages in the queue now (mq_curmsgs) [spec:pmq-count];
 * -1 with EBADF when mq is not an open queue [spec:pmq-count-ebadf].
 * Section 3.3. */
long pmq_count(mqd_t mq);

/* Make the descriptor non-blocking (nonblocking != 0) or blocking; only
 * O_NONBLOCK changes, the sizes stay [spec:pmq-set-nonblocking]. Returns 0,
 * or -1 with errno set: EBADF when mq is not an open queue
 * [spec:pmq-set-nonblocking-ebadf]. Section 3.4. */
int pmq_set_nonblocking(mqd_t mq, int nonblocking);

/* Set *deadline to the moment timeout_ms milliseconds from now, as the timed
 * calls want it: an absolute CLOCK_REALTIME time [spec:pmq-deadline-absolute],
 * tv_nsec from 0 to 999999999 [spec:pmq-deadline-normalised]. Returns 0; -1
 * with EINVAL for a negative timeout_ms, which has no deadline
 * [spec:pmq-deadline-negative-einval]. Section 3.6. */
int pmq_deadline(long timeout_ms, struct timespec *deadline);

/*
 * Send length bytes of data (0 to the queue's mq_msgsize; any bytes)
 * [spec:pmq-send-bytes] with a priority (0 to 32767) [spec:pmq-send-priority].
 * Longer than mq_msgsize: EMSGSIZE, and nothing is sent [spec:pmq-send-emsgsize].
 * On a full queue: wait until a receive makes room [spec:pmq-send-full-blocks];
 * EAGAIN at once when the descriptor is non-blocking
 * [spec:pmq-send-full-nonblocking-eagain]; with timeout_ms >= 0, wait at most
 * that long and fail with ETIMEDOUT [spec:pmq-send-timeout] (0: at once
 * [spec:pmq-send-zero-timeout]). Returns 0. Sections 3.5, 3.6.
 */
int pmq_send(mqd_t mq, const void *data, size_t length, unsigned int priority,
             long timeout_ms);

/*
 * Receive the next message, the oldest of the highest priority
 * [spec:pmq-receive-order], into a new buffer of the queue's mq_msgsize
 * bytes, so that any message fits [spec:pmq-receive-msgsize-buffer]. Sets
 * *data to the buffer (the caller frees it) and *priority (unless priority is
 * NULL [spec:pmq-receive-priority-null]) and returns the message's length:
 * NUL bytes and empty messages come back as they were sent
 * [spec:pmq-receive-bytes]. On an empty queue: wait until a message arrives
 * [spec:pmq-receive-empty-blocks]; EAGAIN at once when non-blocking
 * [spec:pmq-receive-empty-nonblocking-eagain]; with timeout_ms >= 0, wait at
 * most that long and fail with ETIMEDOUT [spec:pmq-receive-timeout] (0: at
 * once [spec:pmq-receive-zero-timeout]). On failure *data is NULL and the
 * buffer is freed [spec:pmq-receive-failure-frees]. Sections 3.5, 3.6.
 */
ssize_t pmq_receive(mqd_t mq, char **data, unsigned int *priority, long timeout_ms);

/* Remove the queue's name [spec:pmq-unlink]: mq_open of it then fails with
 * ENOENT, but descriptors already open keep working, and the queue goes when
 * the last one closes [spec:pmq-unlink-open-descriptors-work]. ENOENT when
 * there is no such queue [spec:pmq-unlink-enoent]. Section 3.7. */
int pmq_unlink(const char *name);

#endif
