/*
 * sysvmsg.h - the commands of sysvmsg, the System V message queue tool:
 * sysvmsg_main.c (given) reads the command line and calls one of them;
 * sysvmsg.c (yours) carries it out and returns the exit status (cli.h names
 * them).
 *
 * Handout: handouts/03-message-queues.md, section 6.
 */
#ifndef SYSVMSG_H
#define SYSVMSG_H

/* What the command line asked for. */
struct sysvmsg_options {
    long capacity;          /* create -b, or 0 for the default */
    int nonblocking;        /* -n */
    long type;              /* recv -t */
    int except;             /* recv -x */
    int verbose;            /* recv -v */
};

int cmd_create(const struct sysvmsg_options *options, const char *path);
int cmd_stat(const char *path);
int cmd_remove(const char *path);
/* message is NULL when the command line has none: send standard input. */
int cmd_send(const struct sysvmsg_options *options, const char *path, long type,
             const char *message);                                       /* §6.1 */
int cmd_recv(const struct sysvmsg_options *options, const char *path);  /* §6.1 */
int run_server(const char *path);                                       /* §6.2 */
int run_client(const char *path, const char *text);                     /* §6.3 */

#endif
