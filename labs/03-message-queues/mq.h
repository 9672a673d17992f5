/*
 * mq.h - the commands of mq, the POSIX message queue tool: mq_main.c (given)
 * reads the command line and calls one of them; mq.c (yours) carries it out
 * and returns the exit status (cli.h names them).
 *
 * Handout: handouts/03-message-queues.md, section 4.
 */
#ifndef MQ_H
#define MQ_H

/* What the command line asked for. */
struct mq_options {
    long maxmsg;            /* create -m */
    long msgsize;           /* create -s */
    int nonblocking;        /* -n */
    unsigned int priority;  /* send -p */
    long timeout_ms;        /* -t, or PMQ_NO_TIMEOUT */
    int verbose;            /* recv -v */
};

int cmd_create(const struct mq_options *options, const char *name);     /* §4.2 */
/* message is NULL when the command line has none: send standard input. */
int cmd_send(const struct mq_options *options, const char *name, const char *message); /* §4.3 */
int cmd_recv(const struct mq_options *options, const char *name);       /* §4.4 */
int cmd_stat(const char *name);                                         /* §4.2 */
int cmd_unlink(const char *name);                                       /* §4.2 */
int cmd_drain(const char *name);                                        /* §4.5 */

#endif
