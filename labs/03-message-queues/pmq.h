/*
 * pmq.h - a small library over POSIX message queues (man 7 mq_overview).
 *
 * A POSIX message queue is a list of messages that the kernel keeps under a
 * name such as "/orders". A message is any string of bytes, from 0 up to the
 * queue's mq_msgsize, with a priority from 0 to 32767. mq_receive always takes
 * the oldest message of the highest priority. The queue holds at most
 * mq_maxmsg messages; both sizes are fixed when the queue is created.
 *
 * Every function returns -1 (or (mqd_t)-1) with errno set when it fails.
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
 * Create a new queue called name (one '/' then a name, e.g. "/orders") for at
 * most maxmsg messages of at most msgsize bytes each, open for reading and
 * writing, blocking. It must not exist yet (EEXIST); mode 0600.
 * Section 3.1.
 */
mqd_t pmq_create(const char *name, long maxmsg, long msgsize);

/*
 * Explain why pmq_create(name, maxmsg, msgsize) failed with errno err, in one
 * sentence written to buffer (size bytes). When a request is over a system
 * limit, the sentence names the limit, its value and where it is set:
 * /proc/sys/fs/mqueue/msg_max, /proc/sys/fs/mqueue/msgsize_max,
 * RLIMIT_MSGQUEUE (ulimit -q) or /proc/sys/fs/mqueue/queues_max.
 * Returns buffer. Section 3.2.
 */
const char *pmq_explain_create_error(int err, const char *name, long maxmsg, long msgsize,
                                     char *buffer, size_t size);

/* Open an existing queue for reading and writing; non-blocking when nonblocking != 0.
 * Section 3.4. */
mqd_t pmq_open(const char *name, int nonblocking);

/* The number of messages in the queue now (mq_curmsgs). Section 3.3. */
long pmq_count(mqd_t mq);

/* Make the descriptor non-blocking (nonblocking != 0) or blocking. Returns 0.
 * Section 3.4. */
int pmq_set_nonblocking(mqd_t mq, int nonblocking);

/* Set *deadline to the moment timeout_ms milliseconds from now, as the timed
 * calls want it: an absolute CLOCK_REALTIME time. Returns 0. Section 3.6. */
int pmq_deadline(long timeout_ms, struct timespec *deadline);

/*
 * Send length bytes of data with a priority. On a full queue: wait, or fail
 * with EAGAIN when the descriptor is non-blocking; with timeout_ms >= 0, wait
 * at most that long and fail with ETIMEDOUT. Returns 0. Sections 3.5, 3.6.
 */
int pmq_send(mqd_t mq, const void *data, size_t length, unsigned int priority,
             long timeout_ms);

/*
 * Receive the next message (the oldest of the highest priority) into a new
 * buffer of the queue's mq_msgsize bytes, so that any message fits. Sets *data
 * to the buffer (the caller frees it) and *priority (unless priority is NULL)
 * and returns the message's length. On an empty queue: wait, or fail with
 * EAGAIN when non-blocking; with timeout_ms >= 0, wait at most that long and
 * fail with ETIMEDOUT. On failure *data is NULL. Sections 3.5, 3.6.
 */
ssize_t pmq_receive(mqd_t mq, char **data, unsigned int *priority, long timeout_ms);

/* Remove the queue's name; the queue goes when the last descriptor closes.
 * Section 3.7. */
int pmq_unlink(const char *name);

#endif
