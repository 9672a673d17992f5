/*
 * sysvq.h - a small library over System V message queues (man 7 sysvipc).
 *
 * A System V message queue is found by a number, its key, which ftok() makes
 * from a file's identity. msgget() turns the key into the queue's id. Every
 * message carries a type, a long > 0, and msgrcv() can pick a message by type,
 * not only the oldest one.
 *
 * What every function does:
 *   - On failure it returns -1 with errno set to the errno of the call that
 *     failed. [spec:sysvq-errno-kept]
 *   - Signals: unlike pmq.h, these functions do not retry. msgsnd and msgrcv
 *     fail with EINTR when a signal handler interrupts their wait (even one
 *     installed with SA_RESTART), and sysvq_send and sysvq_receive pass that
 *     EINTR on: the caller decides whether to wait again (the server of
 *     sysvmsg does, section 6.2). [spec:sysvq-eintr-passed-on]
 *   - A queue removed while a call waits on it: that call fails with EIDRM
 *     [spec:sysvq-removed-while-waiting-eidrm]; later calls with its id fail
 *     with EINVAL [spec:sysvq-removed-id-einval].
 *
 * Handout: handouts/03-message-queues.md, section 5.
 */
#ifndef SYSVQ_H
#define SYSVQ_H

#include <stddef.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/types.h>

enum {
    SYSVQ_PROJECT = 'M',        /* the ftok() project id of this lab's queues */
    SYSVQ_MAX_TEXT = 4096,      /* the longest message this library sends or receives */
};

/* The key of the queue that belongs to path: ftok(path, SYSVQ_PROJECT)
 * [spec:sysvq-key]; ENOENT when path does not exist [spec:sysvq-key-enoent].
 * Section 5.1. */
key_t sysvq_key(const char *path);

/* Create a new queue for key (IPC_PRIVATE for one without a key), mode 0600
 * [spec:sysvq-create-mode]. Fails with EEXIST when key has a queue already
 * [spec:sysvq-create-eexist]. Returns its id. Section 5.2. */
int sysvq_create(key_t key);

/* The id of the existing queue of key [spec:sysvq-open]; ENOENT when there is
 * none: it never creates one [spec:sysvq-open-enoent]. Section 5.2. */
int sysvq_open(key_t key);

/*
 * Send length bytes of data as a message of the given type (1 or more; EINVAL
 * otherwise [spec:sysvq-send-type-positive]): the queue then holds exactly
 * those length bytes of text [spec:sysvq-send-stores-the-text-only]. length
 * goes from 0 to SYSVQ_MAX_TEXT, both included [spec:sysvq-send-max-text];
 * longer: EINVAL, and nothing is sent [spec:sysvq-send-too-long-einval].
 * flags is 0 (wait while the queue is full [spec:sysvq-send-full-blocks]) or
 * IPC_NOWAIT (fail with EAGAIN at once instead [spec:sysvq-send-full-nowait-eagain]).
 * Returns 0. Sections 5.3, 5.5.
 */
int sysvq_send(int msqid, long type, const void *data, size_t length, int flags);

/*
 * Receive a message chosen by type, as msgrcv() chooses:
 *   type == 0   the first message in the queue [spec:sysvq-receive-type-0];
 *   type > 0    the first message of that type [spec:sysvq-receive-type-positive]
 *               (with MSG_EXCEPT in flags: the first message of any other type
 *               [spec:sysvq-receive-except]);
 *   type < 0    the first message of the lowest type <= -type
 *               [spec:sysvq-receive-type-negative].
 * Copies its text into data, sets *received_type (unless it is NULL
 * [spec:sysvq-receive-type-null]) and returns the text's length
 * [spec:sysvq-receive-text-and-type]. size is the room in data; the function
 * asks for at most size bytes, and never for more than SYSVQ_MAX_TEXT: a
 * longer message fails with E2BIG and stays in the queue
 * [spec:sysvq-receive-e2big] [spec:sysvq-receive-at-most-max-text].
 * With no matching message: wait until one arrives
 * [spec:sysvq-receive-blocks]; with IPC_NOWAIT in flags, fail with ENOMSG
 * at once [spec:sysvq-receive-nowait-enomsg]. Sections 5.4, 5.5.
 */
ssize_t sysvq_receive(int msqid, long type, void *data, size_t size, long *received_type,
                      int flags);

/* The number of messages in the queue now (msg_qnum) [spec:sysvq-count];
 * -1 with EINVAL for an id that is no queue [spec:sysvq-count-einval].
 * Section 5.2. */
long sysvq_count(int msqid);

/* Remove the queue at once, with its messages (IPC_RMID) [spec:sysvq-remove];
 * waiting readers and writers get EIDRM. Section 5.2. */
int sysvq_remove(int msqid);

#endif
