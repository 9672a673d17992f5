/*
 * sysvmsg.c - a command-line tool for System V message queues, and a small
 * server that answers each client with a message of the client's own type.
 *
 *   terminal 1$ touch /tmp/demo && ./sysvmsg server /tmp/demo
 *   terminal 2$ ./sysvmsg client /tmp/demo hello      (prints HELLO)
 *
 * The queue of PATH is the queue whose key is ftok(PATH, 'M').
 *
 * Handout: handouts/03-message-queues.md, section 6.
 */
#define _GNU_SOURCE             /* MSG_EXCEPT, msg_cbytes */

#include "cli.h"
#include "sysvmsg.h"
#include "sysvq.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Requests to the server have this type; the reply to a client has the client's pid as type. */
enum { REQUEST_TYPE = 1 };

/* The id of the existing queue of path, or -1 after saying why there is none. */
static int open_queue(const char *path)
{
    char what[PATH_MAX + 32];
    key_t key = sysvq_key(path);
    int msqid;

    if (key == -1) {
        snprintf(what, sizeof what, "sysvq_key(%s)", path);
        cli_error("sysvmsg", what);
        return -1;
    }
    msqid = sysvq_open(key);
    if (msqid == -1 && errno == ENOENT) {
        fprintf(stderr, "sysvmsg: %s: there is no queue with key 0x%08x (ENOENT)\n",
                path, (unsigned int)key);
    } else if (msqid == -1) {
        snprintf(what, sizeof what, "sysvq_open(%s)", path);
        cli_error("sysvmsg", what);
    }
    return msqid;
}

/* Set the queue's capacity in bytes (msg_qbytes): IPC_STAT, change, IPC_SET. */
static int set_capacity(int msqid, long bytes)
{
    struct msqid_ds info;

    if (msgctl(msqid, IPC_STAT, &info) == -1)
        return -1;
    info.msg_qbytes = (msglen_t)bytes;
    return msgctl(msqid, IPC_SET, &info);
}

int cmd_create(const struct sysvmsg_options *options, const char *path)
{
    key_t key = sysvq_key(path);
    int msqid;

    if (key == -1)
        return cli_error("sysvmsg", "sysvq_key");
    msqid = sysvq_create(key);
    if (msqid == -1 && errno == EEXIST) {
        fprintf(stderr, "sysvmsg: create %s: key 0x%08x has a queue already (EEXIST); "
                        "remove it with: sysvmsg remove %s\n", path, (unsigned int)key, path);
        return EXIT_ERROR;
    }
    if (msqid == -1)
        return cli_error("sysvmsg", "sysvq_create");
    if (options->capacity > 0 && set_capacity(msqid, options->capacity) == -1) {
        cli_error("sysvmsg", "msgctl IPC_SET msg_qbytes");
        if (sysvq_remove(msqid) == -1)
            cli_error("sysvmsg", "sysvq_remove");
        return EXIT_ERROR;
    }
    printf("%d\n", msqid);
    return EXIT_DONE;
}

int cmd_stat(const char *path)
{
    struct msqid_ds info;
    long count;
    int msqid = open_queue(path);

    if (msqid == -1)
        return EXIT_ERROR;
    count = sysvq_count(msqid);
    if (count == -1)
        return cli_error("sysvmsg", "sysvq_count");
    if (msgctl(msqid, IPC_STAT, &info) == -1)
        return cli_error("sysvmsg", "msgctl IPC_STAT");
    printf("id %d\nkey 0x%08x\nmessages %ld\nbytes %lu\nqbytes %lu\n", msqid,
           (unsigned int)info.msg_perm.__key, count, (unsigned long)info.msg_cbytes,
           (unsigned long)info.msg_qbytes);
    return EXIT_DONE;
}

int cmd_remove(const char *path)
{
    int msqid = open_queue(path);

    if (msqid == -1)
        return EXIT_ERROR;
    if (sysvq_remove(msqid) == -1)
        return cli_error("sysvmsg", "sysvq_remove");
    return EXIT_DONE;
}

int cmd_send(const struct sysvmsg_options *options, const char *path, long type,
             const char *message)
{
    /* TODO (handout section 6.1): open the queue of path (open_queue), take
     * the message from the argument (even an empty one) or, when there is
     * none, all of standard input (cli_read_all, at most SYSVQ_MAX_TEXT
     * bytes) and sysvq_send it, with IPC_NOWAIT for -n. A full queue with -n
     * is EAGAIN: say so and return EXIT_WOULD_BLOCK. */
    size_t length;
    char *from_stdin = NULL;
    const char *data = message;
    int status = EXIT_DONE;
    int msqid = open_queue(path);

    if (msqid == -1)
        return EXIT_ERROR;
    if (message == NULL) {
        from_stdin = cli_read_all(stdin, SYSVQ_MAX_TEXT, &length);
        if (from_stdin == NULL)
            return cli_error("sysvmsg", "reading the message from standard input");
        data = from_stdin;
    } else {
        length = strlen(message);
    }
    if (sysvq_send(msqid, type, data, length, options->nonblocking ? IPC_NOWAIT : 0) == -1) {
        if (errno == EAGAIN) {
            fprintf(stderr, "sysvmsg: send %s: the queue is full and -n says not to wait "
                            "(EAGAIN)\n", path);
            status = EXIT_WOULD_BLOCK;
        } else {
            status = cli_error("sysvmsg", "send");
        }
    }
    free(from_stdin);
    return status;
    /* END TODO */
}

int cmd_recv(const struct sysvmsg_options *options, const char *path)
{
    /* TODO (handout section 6.1): open the queue of path, sysvq_receive with
     * options->type and the flags of -n (IPC_NOWAIT) and -x (MSG_EXCEPT), and
     * write the text to standard output (with -v, "sysvmsg: type T, N bytes"
     * on stderr first). Nothing to take with -n: say so and return
     * EXIT_WOULD_BLOCK - but which errno does msgrcv give then? */
    char text[SYSVQ_MAX_TEXT];
    long type;
    ssize_t length;
    int flags = 0;
    int msqid = open_queue(path);

    if (msqid == -1)
        return EXIT_ERROR;
    if (options->nonblocking)
        flags |= IPC_NOWAIT;
    if (options->except)
        flags |= MSG_EXCEPT;
    length = sysvq_receive(msqid, options->type, text, sizeof text, &type, flags);
    if (length == -1) {
        /* msgrcv says "nothing to take" with ENOMSG, not EAGAIN as msgsnd and mq_receive do. */
        if (errno == ENOMSG) {
            fprintf(stderr, "sysvmsg: recv %s: no message matches and -n says not to wait "
                            "(ENOMSG)\n", path);
            return EXIT_WOULD_BLOCK;
        }
        return cli_error("sysvmsg", "recv");
    }
    if (options->verbose)
        fprintf(stderr, "sysvmsg: type %ld, %zd bytes\n", type, length);
    if (fwrite(text, 1, (size_t)length, stdout) != (size_t)length)
        return cli_error("sysvmsg", "writing the message to standard output");
    return EXIT_DONE;
    /* END TODO */
}

/* The server's queue, for the signal handler. */
static volatile sig_atomic_t server_queue = -1;

/*
 * SIGINT or SIGTERM: remove the server's queue. The server, asleep in msgrcv()
 * or about to be, then gets EIDRM or EINVAL and stops. Setting a flag instead
 * would leave a gap: a signal that arrives after the flag is checked and
 * before msgrcv() starts to wait would be lost. (msgctl is a plain system call:
 * safe in a signal handler.)
 */
static void stop_server(int signal_number)
{
    int saved_errno = errno;

    (void)signal_number;
    msgctl(server_queue, IPC_RMID, NULL);
    errno = saved_errno;
}

static int install_stop_handler(void)
{
    struct sigaction action;

    memset(&action, 0, sizeof action);
    action.sa_handler = stop_server;
    sigemptyset(&action.sa_mask);
    if (sigaction(SIGINT, &action, NULL) == -1 || sigaction(SIGTERM, &action, NULL) == -1)
        return -1;
    return 0;
}

/* TODO (optional): helper functions of your own go here. */
/*
 * Answer one request "PID TEXT": send TEXT in capitals back as a message of
 * type PID. Returns 0, or -1 with errno set when the reply cannot be sent.
 */
static int answer(int msqid, char *request, size_t length)
{
    char reply[SYSVQ_MAX_TEXT];
    char *text;
    long client;

    request[length] = '\0';
    errno = 0;
    client = strtol(request, &text, 10);
    if (errno != 0 || text == request || *text != ' ' || client <= REQUEST_TYPE) {
        fprintf(stderr, "sysvmsg: server: ignoring a request that is not \"PID TEXT\": %s\n",
                request);
        return 0;
    }
    text++;
    length = strlen(text);
    for (size_t i = 0; i < length; i++)
        reply[i] = (char)toupper((unsigned char)text[i]);
    printf("%ld: %s -> %.*s\n", client, text, (int)length, reply);
    fflush(stdout);
    return sysvq_send(msqid, client, reply, length, 0);
}
/* END TODO */

int run_server(const char *path)
{
    /* TODO (handout section 6.2): create the queue of path (EEXIST: say that
     * another server may be running), install_stop_handler, print
     * "server: queue ID (key 0xKEY) is ready" and flush stdout. Then, for
     * ever: receive a request (type REQUEST_TYPE), "PID TEXT", send TEXT in
     * capitals back as a message of type PID, and print "PID: TEXT -> REPLY"
     * (flush). A request that is not "PID TEXT" with a PID of 2 or more:
     * warn on stderr and go on. When msgrcv or msgsnd fails with EIDRM or
     * EINVAL the queue was removed (SIGTERM, SIGINT, or someone else): return
     * EXIT_DONE. EINTR: go on. Any other error: remove the queue and return
     * EXIT_ERROR. */
    char request[SYSVQ_MAX_TEXT + 1];
    key_t key = sysvq_key(path);
    ssize_t length;

    if (key == -1)
        return cli_error("sysvmsg", "sysvq_key");
    server_queue = sysvq_create(key);
    if (server_queue == -1 && errno == EEXIST) {
        fprintf(stderr, "sysvmsg: server %s: key 0x%08x has a queue already (EEXIST): is "
                        "another server running? If not: sysvmsg remove %s\n",
                path, (unsigned int)key, path);
        return EXIT_ERROR;
    }
    if (server_queue == -1)
        return cli_error("sysvmsg", "server: create");
    if (install_stop_handler() == -1) {
        cli_error("sysvmsg", "sigaction");
        sysvq_remove(server_queue);
        return EXIT_ERROR;
    }
    printf("server: queue %d (key 0x%08x) is ready\n", server_queue, (unsigned int)key);
    fflush(stdout);

    for (;;) {
        length = sysvq_receive(server_queue, REQUEST_TYPE, request, SYSVQ_MAX_TEXT, NULL, 0);
        if (length != -1 && answer(server_queue, request, (size_t)length) == 0)
            continue;
        if (errno == EINTR)
            continue;
        if (errno == EIDRM || errno == EINVAL) {    /* the queue was removed: stop */
            fprintf(stderr, "sysvmsg: server: the queue is gone; stopping\n");
            return EXIT_DONE;
        }
        cli_error("sysvmsg", "server");
        if (sysvq_remove(server_queue) == -1)
            cli_error("sysvmsg", "server: remove");
        return EXIT_ERROR;
    }
    /* END TODO */
}

int run_client(const char *path, const char *text)
{
    /* TODO (handout section 6.3): open the queue of path, send the request
     * "PID TEXT" (your own pid) as a message of type REQUEST_TYPE (a request
     * longer than SYSVQ_MAX_TEXT: say so, send nothing, EXIT_ERROR), then
     * receive the reply: the message whose type is your pid, and no other.
     * Print it and a newline. The queue removed while you wait (EIDRM,
     * EINVAL): say that the server stopped, EXIT_ERROR. */
    char request[SYSVQ_MAX_TEXT + 1], reply[SYSVQ_MAX_TEXT];   /* + 1: snprintf's '\0' */
    long me = (long)getpid();
    ssize_t length;
    int size, msqid = open_queue(path);

    if (msqid == -1) {
        fprintf(stderr, "sysvmsg: client: is the server running? (sysvmsg server %s)\n", path);
        return EXIT_ERROR;
    }
    size = snprintf(request, sizeof request, "%ld %s", me, text);
    if (size < 0 || (size_t)size >= sizeof request) {
        fprintf(stderr, "sysvmsg: client: the text is too long\n");
        return EXIT_ERROR;
    }
    if (sysvq_send(msqid, REQUEST_TYPE, request, (size_t)size, 0) == -1)
        return cli_error("sysvmsg", "client: send");
    /* Only the message of my own type: the replies to other clients stay in the queue. */
    length = sysvq_receive(msqid, me, reply, sizeof reply, NULL, 0);
    if (length == -1 && (errno == EIDRM || errno == EINVAL)) {
        fprintf(stderr, "sysvmsg: client: the server stopped before it replied\n");
        return EXIT_ERROR;
    }
    if (length == -1)
        return cli_error("sysvmsg", "client: recv");
    printf("%.*s\n", (int)length, reply);
    return EXIT_DONE;
    /* END TODO */
}
