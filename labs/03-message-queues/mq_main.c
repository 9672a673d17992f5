/*
 * mq_main.c - mq's command line: which command, its options and operands.
 * Bad usage prints the usage and exits 2; everything else is a command of
 * mq.c (yours), whose status is mq's exit status.
 *
 * Handout: handouts/03-message-queues.md, section 4.
 */
#include "cli.h"
#include "mq.h"
#include "pmq.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
    "usage: mq create [-m MAXMSG] [-s MSGSIZE] NAME\n"
    "                        create the queue NAME (\"/something\") for MAXMSG messages\n"
    "                        of at most MSGSIZE bytes (default 10 and 8192)\n"
    "       mq send [-n] [-p PRIO] [-t MS] NAME [MESSAGE]\n"
    "                        send MESSAGE, or all of standard input, with priority PRIO\n"
    "       mq recv [-n] [-t MS] [-v] NAME\n"
    "                        receive one message and write its bytes to standard output\n"
    "       mq stat NAME     print maxmsg, msgsize and curmsgs, one per line\n"
    "       mq unlink NAME   remove the queue\n"
    "       mq drain NAME    receive every message waiting, one line each:\n"
    "                        PRIORITY LENGTH TEXT (bytes that are not text as \\xHH)\n"
    "options:\n"
    "  -n       non-blocking: fail at once instead of waiting (O_NONBLOCK)\n"
    "  -p PRIO  priority 0 to 32767 (default 0): higher priorities are received first\n"
    "  -t MS    wait at most MS milliseconds\n"
    "  -v       also print the message's priority and length on standard error\n"
    "exit status:\n"
    "  0  done\n"
    "  1  error (the reason is printed)\n"
    "  2  bad usage\n"
    "  3  would block: -n, and the queue is full (send) or empty (recv) (EAGAIN)\n"
    "  4  timed out: -t MS, and the time ran out (ETIMEDOUT)\n";

static void usage(void)
{
    fputs(usage_text, stderr);
    exit(EXIT_USAGE);
}

int main(int argc, char **argv)
{
    struct mq_options options = { .maxmsg = 10, .msgsize = 8192, .timeout_ms = PMQ_NO_TIMEOUT };
    const char *command, *allowed;
    long number;
    int option, status;

    if (argc < 2)
        usage();
    command = argv[1];
    if (strcmp(command, "create") == 0)
        allowed = "m:s:";
    else if (strcmp(command, "send") == 0)
        allowed = "np:t:";
    else if (strcmp(command, "recv") == 0)
        allowed = "nt:v";
    else if (strcmp(command, "stat") == 0 || strcmp(command, "unlink") == 0 ||
             strcmp(command, "drain") == 0)
        allowed = "";
    else
        usage();

    /* The options come after the command: parse argv[1..] as if argv[1] were the program. */
    argc--;
    argv++;
    while ((option = getopt(argc, argv, allowed)) != -1) {
        switch (option) {
        case 'm':
            if (cli_parse_long(optarg, 1, LONG_MAX, &options.maxmsg) == -1)
                usage();
            break;
        case 's':
            if (cli_parse_long(optarg, 1, LONG_MAX, &options.msgsize) == -1)
                usage();
            break;
        case 'n':
            options.nonblocking = 1;
            break;
        case 'p':
            if (cli_parse_long(optarg, 0, 32767, &number) == -1)
                usage();
            options.priority = (unsigned int)number;
            break;
        case 't':
            if (cli_parse_long(optarg, 0, LONG_MAX, &options.timeout_ms) == -1)
                usage();
            break;
        case 'v':
            options.verbose = 1;
            break;
        default:
            usage();
        }
    }
    argc -= optind;
    argv += optind;

    if (strcmp(command, "send") == 0) {
        if (argc != 1 && argc != 2)
            usage();
        status = cmd_send(&options, argv[0], argc == 2 ? argv[1] : NULL);
    } else {
        if (argc != 1)
            usage();
        if (strcmp(command, "create") == 0)
            status = cmd_create(&options, argv[0]);
        else if (strcmp(command, "recv") == 0)
            status = cmd_recv(&options, argv[0]);
        else if (strcmp(command, "stat") == 0)
            status = cmd_stat(argv[0]);
        else if (strcmp(command, "unlink") == 0)
            status = cmd_unlink(argv[0]);
        else
            status = cmd_drain(argv[0]);
    }
    if (fflush(stdout) == EOF) {
        perror("mq: standard output");
        status = EXIT_ERROR;
    }
    return status;
}
