/*
 * sysvq.h - a small library over System V message queues (man 7 sysvipc).
 *
 * A System V message queue is found by a number, its key, which ftok() makes
 * from a file's identity. msgget() turns the key into the queue's id. Every
 * message carries a type, a long > 0, and msgrcv() can pick a message by type,
 * not only the oldest one.
 *
 * Every function returns -1 with errno set when it fails.
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

/* The key of the queue that belongs to path: ftok(path, SYSVQ_PROJECT). Section 5.1. */
key_t sysvq_key(const char *path);

/* Create a new queue for key (IPC_PRIVATE for one without a key), mode 0600.
 * Fails with EEXIST when key has a queue already. Returns its id. Section 5.2. */
int sysvq_create(key_t key);

/* The id of the existing queue of key (ENOENT when there is none). Section 5.2. */
int sysvq_open(key_t key);

/*
 * Send length bytes of data (at most SYSVQ_MAX_TEXT) as a message of the given
 * type (> 0). flags is 0 (wait while the queue is full) or IPC_NOWAIT (fail
 * with EAGAIN instead). Returns 0. Section 5.3.
 */
int sysvq_send(int msqid, long type, const void *data, size_t length, int flags);

/*
 * Receive a message chosen by type, as msgrcv() chooses:
 *   type == 0   the first message in the queue;
 *   type > 0    the first message of that type (with MSG_EXCEPT in flags:
 *               the first message of any other type);
 *   type < 0    the first message of the lowest type <= -type.
 * Copies its text into data (size bytes; E2BIG when it does not fit), sets
 * *received_type (unless it is NULL) and returns the text's length.
 * With IPC_NOWAIT in flags, fails with ENOMSG when no message matches.
 * Section 5.4.
 */
ssize_t sysvq_receive(int msqid, long type, void *data, size_t size, long *received_type,
                      int flags);

/* The number of messages in the queue now (msg_qnum). Section 5.2. */
long sysvq_count(int msqid);

/* Remove the queue at once (IPC_RMID); waiting readers and writers get EIDRM.
 * Section 5.2. */
int sysvq_remove(int msqid);

#endif
