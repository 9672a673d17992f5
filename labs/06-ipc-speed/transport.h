/*
 * transport.h - one interface for every IPC mechanism that ipcbench measures.
 *
 * A transport joins a parent and its child with a two-way byte stream: what
 * one side sends with send(), the other receives with recv(), in order, and
 * nothing is lost or made up. The life of a transport:
 *
 *   state = ops->create(&config);      parent, before fork(): make the objects
 *   fork();
 *   ops->attach(state, SIDE_PARENT);   each process keeps its own ends
 *   ops->attach(state, SIDE_CHILD);    (after fork, in the child)
 *   ops->send / ops->recv ...          as many as the workload needs
 *   ops->close(state);                 each process; the parent last, after the
 *                                      child has exited: it removes what is left
 *
 * send() and recv() move exactly len bytes or fail: a transport loops over the
 * short reads and writes of the calls it makes [spec:transport-short-io], and
 * a call that a signal interrupts (EINTR: a handler without SA_RESTART) is made
 * again, never reported [spec:transport-eintr]. Kernel-copy transports (pipe,
 * FIFO, sockets) and the shared-memory rings you write are byte streams: recv
 * may take a message in several pieces, or parts of two
 * [spec:transport-byte-stream]. Message queues and shm-sysvsem keep message
 * boundaries: recv must ask for the size that was sent, which is all that
 * ipcbench's workloads do.
 *
 * Handout: handouts/06-ipc-speed.md, section 3.
 */
#ifndef TRANSPORT_H
#define TRANSPORT_H

#include <stddef.h>

enum side { SIDE_PARENT, SIDE_CHILD };

struct transport_config {
    const char *name;       /* unique prefix for named objects, e.g. "ipcbench.4242.7" */
    const char *dir;        /* a directory for FIFOs and socket files */
    size_t message_size;    /* the largest message either side will send */
    char limit[160];        /* out: why a system limit stops message_size (errno EMSGSIZE) */
};

struct transport_ops {
    const char *name;        /* what ipcbench -m calls it: "pipe", "shm-spsc", ... */
    const char *description; /* one line for ipcbench -l */
    const char *source;      /* where it is written, for "not written yet" */
    /* Before fork. Returns the transport's state, or NULL with the errno of
     * the call that failed, having undone what it did (nothing left open or
     * named) [spec:transport-create-undoes]. errno EMSGSIZE: a system limit
     * stops config->message_size; the reason is in config->limit. */
    void *(*create)(struct transport_config *config);
    /* After fork, in each process. 0, or -1 with errno set. */
    int (*attach)(void *state, enum side side);
    /* Send all len bytes. 0, or -1 with errno set (EPIPE: the other side has
     * gone, for the transports that can tell [spec:transport-send-epipe]). */
    int (*send)(void *state, const void *buf, size_t len);
    /* Receive exactly len bytes. 0, or -1 with errno set (EPIPE: the other
     * side closed the stream before len bytes came [spec:transport-recv-epipe]). */
    int (*recv)(void *state, void *buf, size_t len);
    /* Release this process's ends and free its copy of the state. The parent
     * closes last, after the child has exited, and also removes whatever has
     * a name or outlives processes [spec:transport-close-removes]. 0, or -1
     * with errno set. */
    int (*close)(void *state);
};

/* Kernel copies: the data goes through the kernel, one copy in, one copy out. */
extern const struct transport_ops pipe_transport;        /* pipe.c */
extern const struct transport_ops pipe_1m_transport;     /* pipe.c */
extern const struct transport_ops fifo_transport;        /* fifo.c */
extern const struct transport_ops unix_transport;        /* unix_socket.c (you) */
extern const struct transport_ops tcp_transport;         /* tcp.c */
extern const struct transport_ops posixmq_transport;     /* posixmq.c */
extern const struct transport_ops sysvmq_transport;      /* sysvmq.c */
/* Shared memory: the data is copied into memory both processes map, and out. */
extern const struct transport_ops shm_posixsem_transport; /* shm_posixsem.c (you) */
extern const struct transport_ops shm_sysvsem_transport;  /* shm_sysvsem.c */
extern const struct transport_ops shm_spsc_transport;     /* shm_spsc.c, spsc.c (you) */

/* Every transport, in the order ipcbench measures them; NULL at the end. */
extern const struct transport_ops *const all_transports[];

/* The transport called name, or NULL. */
const struct transport_ops *transport_find(const char *name);

#endif
