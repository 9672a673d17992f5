/*
 * sysvmsg_main.c - sysvmsg's command line: which command, its options and
 * operands. Bad usage prints the usage and exits 2; everything else is a
 * command of sysvmsg.c (yours), whose status is sysvmsg's exit status.
 *
 * Handout: handouts/03-message-queues.md, section 6.
 */
#include "cli.h"
#include "sysvmsg.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
    "usage: sysvmsg create [-b QBYTES] PATH\n"
    "                        create the queue of PATH and print its id\n"
    "       sysvmsg send [-n] PATH TYPE [MESSAGE]\n"
    "                        send MESSAGE, or all of standard input, as a message of\n"
    "                        type TYPE (1 or more)\n"
    "       sysvmsg recv [-n] [-x] [-t TYPE] [-v] PATH\n"
    "                        receive one message and write its text to standard output\n"
    "       sysvmsg stat PATH       print the queue's id, key, messages, bytes and qbytes\n"
    "       sysvmsg remove PATH     remove the queue (IPC_RMID)\n"
    "       sysvmsg server PATH     create the queue and answer requests until stopped\n"
    "                               (SIGINT, SIGTERM), then remove the queue\n"
    "       sysvmsg client PATH TEXT\n"
    "                        send TEXT to the server and print its reply\n"
    "The queue of PATH has the key ftok(PATH, 'M'); PATH must exist.\n"
    "options:\n"
    "  -b QBYTES  the queue's capacity in bytes (msg_qbytes)\n"
    "  -n         non-blocking: fail at once instead of waiting (IPC_NOWAIT)\n"
    "  -t TYPE    which message: 0 the first (default); > 0 the first of type TYPE;\n"
    "             < 0 the first of the lowest type <= |TYPE|\n"
    "  -x         with -t TYPE > 0: the first message of any other type (MSG_EXCEPT)\n"
    "  -v         also print the message's type and length on standard error\n"
    "exit status:\n"
    "  0  done\n"
    "  1  error (the reason is printed)\n"
    "  2  bad usage\n"
    "  3  would block: -n, and no message matches (recv, ENOMSG) or the queue is\n"
    "     full (send, EAGAIN)\n";

static void usage(void)
{
    fputs(usage_text, stderr);
    exit(EXIT_USAGE);
}

int main(int argc, char **argv)
{
    struct sysvmsg_options options = { .capacity = 0 };
    const char *command, *allowed;
    long type;
    int option, status;

    if (argc < 2)
        usage();
    command = argv[1];
    if (strcmp(command, "create") == 0)
        allowed = "b:";
    else if (strcmp(command, "send") == 0)
        allowed = "n";
    else if (strcmp(command, "recv") == 0)
        allowed = "nt:xv";
    else if (strcmp(command, "stat") == 0 || strcmp(command, "remove") == 0 ||
             strcmp(command, "server") == 0 || strcmp(command, "client") == 0)
        allowed = "";
    else
        usage();

    /* The options come after the command: parse argv[1..] as if argv[1] were the program. */
    argc--;
    argv++;
    while ((option = getopt(argc, argv, allowed)) != -1) {
        switch (option) {
        case 'b':
            if (cli_parse_long(optarg, 1, LONG_MAX, &options.capacity) == -1)
                usage();
            break;
        case 'n':
            options.nonblocking = 1;
            break;
        case 't':
            if (cli_parse_long(optarg, LONG_MIN + 1, LONG_MAX, &options.type) == -1)
                usage();
            break;
        case 'x':
            options.except = 1;
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
    if (options.except && options.type <= 0)
        usage();

    if (strcmp(command, "send") == 0) {
        if ((argc != 2 && argc != 3) || cli_parse_long(argv[1], 1, LONG_MAX, &type) == -1)
            usage();
        status = cmd_send(&options, argv[0], type, argc == 3 ? argv[2] : NULL);
    } else if (strcmp(command, "client") == 0) {
        if (argc != 2)
            usage();
        status = run_client(argv[0], argv[1]);
    } else {
        if (argc != 1)
            usage();
        if (strcmp(command, "create") == 0)
            status = cmd_create(&options, argv[0]);
        else if (strcmp(command, "recv") == 0)
            status = cmd_recv(&options, argv[0]);
        else if (strcmp(command, "stat") == 0)
            status = cmd_stat(argv[0]);
        else if (strcmp(command, "remove") == 0)
            status = cmd_remove(argv[0]);
        else
            status = run_server(argv[0]);
    }
    if (fflush(stdout) == EOF) {
        perror("sysvmsg: standard output");
        status = EXIT_ERROR;
    }
    return status;
}
