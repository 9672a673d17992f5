/*
 * mq.c - a command-line tool for POSIX message queues, one subcommand per
 * operation, so that two terminals can watch a queue work:
 *
 *   terminal 1$ ./mq create /demo
 *   terminal 1$ ./mq recv /demo          (waits: the queue is empty)
 *   terminal 2$ ./mq send /demo hello    (terminal 1 prints hello and exits)
 *
 * Handout: handouts/03-message-queues.md, section 4.
 */
#include "cli.h"
#include "mq.h"
#include "pmq.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The longest message mq send reads from standard input: the kernel's hard
 * limit of mq_msgsize (16 MiB), which no queue can go over. [spec:mq-send-stdin-max] */
enum { MQ_LARGEST_MESSAGE = 16 * 1024 * 1024 };

/* The calls of the library whose failures report_failure reports. */
enum call { CALL_OPEN, CALL_SEND, CALL_RECV, CALL_UNLINK };

/* How report_failure names each call in its messages: "mq: recv /demo: ...". */
static const char *const call_names[] = { "open", "send", "recv", "unlink" };

/*
 * Report on stderr that call failed on the queue name, with errno, as
 * "mq: CALL NAME: why" [spec:mq-failure-names-the-call-and-queue], and return
 * the exit status for it:
 *   EAGAIN     EXIT_WOULD_BLOCK; say that the queue is full (CALL_SEND) or
 *              empty (CALL_RECV) and -n says not to wait
 *              [spec:mq-eagain-exits-3] [spec:mq-eagain-says-full-or-empty];
 *   ETIMEDOUT  EXIT_TIMED_OUT [spec:mq-etimedout-exits-4];
 *   ENOENT     EXIT_ERROR; say "there is no queue called NAME"
 *              [spec:mq-missing-queue-exits-1];
 *   other      EXIT_ERROR, and strerror(errno) [spec:mq-other-errors-exit-1].
 */
static int report_failure(enum call call, const char *name)
{
    /* TODO (handout section 4.1): print why the call failed and return the
     * exit status for it: EXIT_WOULD_BLOCK for EAGAIN (the queue is full or
     * empty and -n said not to wait), EXIT_TIMED_OUT for ETIMEDOUT,
     * EXIT_ERROR for anything else. */
    (void)call;
    (void)call_names;
    (void)name;
    fprintf(stderr, "mq: report_failure() is not written yet "
                    "(TODO in mq.c, handouts/03-message-queues.md section 4.1)\n");
    /* END TODO */
    return EXIT_ERROR;
}

int cmd_create(const struct mq_options *options, const char *name)
{
    /* TODO (handout section 4.2): pmq_create, then close the descriptor. On
     * failure print "mq: create NAME: " and pmq_explain_create_error's reason. */
    (void)options;
    (void)name;
    fprintf(stderr, "mq: cmd_create() is not written yet "
                    "(TODO in mq.c, handouts/03-message-queues.md section 4.2)\n");
    return EXIT_ERROR;
    /* END TODO */
}

int cmd_send(const struct mq_options *options, const char *name, const char *message)
{
    /* TODO (handout section 4.3): the message is the argument (even an empty
     * one), or all of standard input (cli_read_all, at most MQ_LARGEST_MESSAGE
     * bytes) when there is none. Open the queue (non-blocking with -n), send
     * with the priority and timeout, close. Failures go through
     * report_failure; close the queue and free what you read on every path. */
    (void)options;
    (void)name;
    (void)message;
    (void)report_failure;
    fprintf(stderr, "mq: cmd_send() is not written yet "
                    "(TODO in mq.c, handouts/03-message-queues.md section 4.3)\n");
    return EXIT_ERROR;
    /* END TODO */
}

int cmd_recv(const struct mq_options *options, const char *name)
{
    /* TODO (handout section 4.4): open the queue (non-blocking with -n),
     * receive one message with the timeout, write its bytes - all of them,
     * NUL bytes too - to standard output (with -v, "mq: priority P, N bytes"
     * on stderr first), free it, close. Failures go through report_failure. */
    (void)options;
    (void)name;
    fprintf(stderr, "mq: cmd_recv() is not written yet "
                    "(TODO in mq.c, handouts/03-message-queues.md section 4.4)\n");
    return EXIT_ERROR;
    /* END TODO */
}

int cmd_stat(const char *name)
{
    /* TODO (handout section 4.2): open the queue and print
     * "maxmsg M\nmsgsize S\ncurmsgs C\n" (mq_getattr and pmq_count). */
    (void)name;
    fprintf(stderr, "mq: cmd_stat() is not written yet "
                    "(TODO in mq.c, handouts/03-message-queues.md section 4.2)\n");
    return EXIT_ERROR;
    /* END TODO */
}

int cmd_unlink(const char *name)
{
    /* TODO (handout section 4.2): pmq_unlink. */
    (void)name;
    fprintf(stderr, "mq: cmd_unlink() is not written yet "
                    "(TODO in mq.c, handouts/03-message-queues.md section 4.2)\n");
    return EXIT_ERROR;
    /* END TODO */
}

int cmd_drain(const char *name)
{
    /* TODO (handout section 4.5): open the queue non-blocking and receive
     * until EAGAIN says it is empty, printing each message as
     * "PRIORITY LENGTH TEXT\n" with the text through cli_print_escaped. */
    (void)name;
    fprintf(stderr, "mq: cmd_drain() is not written yet "
                    "(TODO in mq.c, handouts/03-message-queues.md section 4.5)\n");
    return EXIT_ERROR;
    /* END TODO */
}
