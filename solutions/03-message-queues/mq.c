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
    const char *what = call_names[call];
    int err = errno;

    if (err == EAGAIN) {
        fprintf(stderr, "mq: %s %s: the queue is %s and -n says not to wait (EAGAIN)\n",
                what, name, call == CALL_SEND ? "full" : "empty");
        return EXIT_WOULD_BLOCK;
    }
    if (err == ETIMEDOUT) {
        fprintf(stderr, "mq: %s %s: timed out (ETIMEDOUT)\n", what, name);
        return EXIT_TIMED_OUT;
    }
    if (err == ENOENT)
        fprintf(stderr, "mq: %s %s: there is no queue called %s (ENOENT)\n", what, name, name);
    else
        fprintf(stderr, "mq: %s %s: %s\n", what, name, strerror(err));
    /* END TODO */
    return EXIT_ERROR;
}

int cmd_create(const struct mq_options *options, const char *name)
{
    /* TODO (handout section 4.2): pmq_create, then close the descriptor. On
     * failure print "mq: create NAME: " and pmq_explain_create_error's reason. */
    char reason[512];
    mqd_t mq = pmq_create(name, options->maxmsg, options->msgsize);

    if (mq == (mqd_t)-1) {
        fprintf(stderr, "mq: create %s: %s\n", name,
                pmq_explain_create_error(errno, name, options->maxmsg, options->msgsize,
                                         reason, sizeof reason));
        return EXIT_ERROR;
    }
    if (mq_close(mq) == -1)
        return cli_error("mq", "mq_close");
    return EXIT_DONE;
    /* END TODO */
}

int cmd_send(const struct mq_options *options, const char *name, const char *message)
{
    /* TODO (handout section 4.3): the message is the argument (even an empty
     * one), or all of standard input (cli_read_all, at most MQ_LARGEST_MESSAGE
     * bytes) when there is none. Open the queue (non-blocking with -n), send
     * with the priority and timeout, close. Failures go through
     * report_failure; close the queue and free what you read on every path. */
    size_t length;
    char *from_stdin = NULL;
    const char *data = message;
    int status = EXIT_DONE;
    mqd_t mq;

    if (message == NULL) {
        from_stdin = cli_read_all(stdin, MQ_LARGEST_MESSAGE, &length);
        if (from_stdin == NULL)
            return cli_error("mq", "reading the message from standard input");
        data = from_stdin;
    } else {
        length = strlen(message);
    }
    mq = pmq_open(name, options->nonblocking);
    if (mq == (mqd_t)-1) {
        free(from_stdin);
        return report_failure(CALL_OPEN, name);
    }
    if (pmq_send(mq, data, length, options->priority, options->timeout_ms) == -1)
        status = report_failure(CALL_SEND, name);
    free(from_stdin);
    if (mq_close(mq) == -1)
        status = cli_error("mq", "mq_close");
    return status;
    /* END TODO */
}

int cmd_recv(const struct mq_options *options, const char *name)
{
    /* TODO (handout section 4.4): open the queue (non-blocking with -n),
     * receive one message with the timeout, write its bytes - all of them,
     * NUL bytes too - to standard output (with -v, "mq: priority P, N bytes"
     * on stderr first), free it, close. Failures go through report_failure. */
    unsigned int priority;
    char *data;
    ssize_t length;
    int status = EXIT_DONE;
    mqd_t mq = pmq_open(name, options->nonblocking);

    if (mq == (mqd_t)-1)
        return report_failure(CALL_OPEN, name);
    length = pmq_receive(mq, &data, &priority, options->timeout_ms);
    if (length == -1) {
        status = report_failure(CALL_RECV, name);
    } else {
        if (options->verbose)
            fprintf(stderr, "mq: priority %u, %zd bytes\n", priority, length);
        if (fwrite(data, 1, (size_t)length, stdout) != (size_t)length)
            status = cli_error("mq", "writing the message to standard output");
        free(data);
    }
    if (mq_close(mq) == -1)
        status = cli_error("mq", "mq_close");
    return status;
    /* END TODO */
}

int cmd_stat(const char *name)
{
    /* TODO (handout section 4.2): open the queue and print
     * "maxmsg M\nmsgsize S\ncurmsgs C\n" (mq_getattr and pmq_count). */
    struct mq_attr attr;
    long count;
    int status = EXIT_DONE;
    mqd_t mq = pmq_open(name, 0);

    if (mq == (mqd_t)-1)
        return report_failure(CALL_OPEN, name);
    count = pmq_count(mq);
    if (count == -1 || mq_getattr(mq, &attr) == -1)
        status = cli_error("mq", "mq_getattr");
    else
        printf("maxmsg %ld\nmsgsize %ld\ncurmsgs %ld\n", attr.mq_maxmsg, attr.mq_msgsize, count);
    if (mq_close(mq) == -1)
        status = cli_error("mq", "mq_close");
    return status;
    /* END TODO */
}

int cmd_unlink(const char *name)
{
    /* TODO (handout section 4.2): pmq_unlink. */
    if (pmq_unlink(name) == -1)
        return report_failure(CALL_UNLINK, name);
    return EXIT_DONE;
    /* END TODO */
}

int cmd_drain(const char *name)
{
    /* TODO (handout section 4.5): open the queue non-blocking and receive
     * until EAGAIN says it is empty, printing each message as
     * "PRIORITY LENGTH TEXT\n" with the text through cli_print_escaped. */
    unsigned int priority;
    char *data;
    ssize_t length;
    int status = EXIT_DONE;
    mqd_t mq = pmq_open(name, 1);

    if (mq == (mqd_t)-1)
        return report_failure(CALL_OPEN, name);
    while ((length = pmq_receive(mq, &data, &priority, PMQ_NO_TIMEOUT)) != -1) {
        printf("%u %zd ", priority, length);
        if (cli_print_escaped(stdout, data, (size_t)length) == -1 || putchar('\n') == EOF)
            status = cli_error("mq", "standard output");
        free(data);
        if (status != EXIT_DONE)
            break;
    }
    if (length == -1 && errno != EAGAIN)    /* EAGAIN: the queue is empty, we are done */
        status = report_failure(CALL_RECV, name);
    if (mq_close(mq) == -1)
        status = cli_error("mq", "mq_close");
    return status;
    /* END TODO */
}
