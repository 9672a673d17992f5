/*
 * cli.h - what the two command-line tools of lab 03, mq and sysvmsg, share:
 * their exit statuses, number parsing, reading a whole message from standard
 * input and printing bytes that may not be text.
 *
 * Handout: handouts/03-message-queues.md, section 4.1.
 */
#ifndef CLI_H
#define CLI_H

#include <stddef.h>
#include <stdio.h>

/* The exit statuses of mq and sysvmsg; their usage lists them too. */
enum {
    EXIT_DONE = 0,          /* the command did what it was asked */
    EXIT_ERROR = 1,         /* any other failure, explained on stderr */
    EXIT_USAGE = 2,         /* bad command line: the usage is printed */
    EXIT_WOULD_BLOCK = 3,   /* -n and the call would have had to wait (EAGAIN, ENOMSG) */
    EXIT_TIMED_OUT = 4,     /* -t MS and the time ran out (ETIMEDOUT) */
};

/*
 * Parse text as a whole decimal number between min and max.
 * Returns 0 and sets *value, or -1 when text is not such a number.
 */
int cli_parse_long(const char *text, long min, long max, long *value);

/*
 * Read all of stream into a new buffer (the caller frees it), at most max
 * bytes. Returns the buffer and sets *length, or NULL with errno set
 * (EFBIG when there is more than max).
 */
char *cli_read_all(FILE *stream, size_t max, size_t *length);

/*
 * Print length bytes of data so that any byte can be seen: printable ASCII as
 * it is, a backslash as \\, a newline as \n, a tab as \t and anything else
 * as \xHH. Returns 0, or -1 when writing fails.
 */
int cli_print_escaped(FILE *stream, const void *data, size_t length);

/*
 * Print "program: what: strerror(errno)" on stderr, with a hint when errno
 * is ENOSYS (a library function of the lab is still a TODO).
 * Returns EXIT_ERROR.
 */
int cli_error(const char *program, const char *what);

#endif
