/*
 * coprocess.c - two pipes to and from a child, and poll() so that neither
 * side waits for the other forever.
 *
 * Handout: handouts/05-pipes.md, section 7.
 */
#include "coprocess.h"
#include "runner.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

enum { CHUNK = 65536 };

/* TODO (optional): helper functions of your own go here. */
/* END TODO */

struct buffer {
    char *data;
    size_t length, capacity;
};

/* Make room for CHUNK more bytes and the final '\0'. */
static int make_room(struct buffer *buffer)
{
    if (buffer->capacity - buffer->length > CHUNK)
        return 0;
    size_t capacity = buffer->capacity * 2 + CHUNK + 1;
    char *data = realloc(buffer->data, capacity);
    if (data == NULL)
        return -1;
    buffer->data = data;
    buffer->capacity = capacity;
    return 0;
}

/* TODO (optional): helper functions of your own go here. */
/* END TODO */

int coprocess_run(char *const argv[], const char *input, size_t input_length,
                  char **output, size_t *output_length)
{
    /* TODO (handout section 7.1-7.4): make two pipes and fork; in the child dup2()
     * them onto 0 and 1, close all four descriptors and execvp() (on failure
     * "coprocess: NAME: reason" and _exit(127)). In the parent: close the child's
     * ends, ignore SIGPIPE (remember the old action), make the write end
     * O_NONBLOCK, and poll() both pipes: write input as there is room (count what
     * each write() returns), read output into a buffer (make_room), close the write
     * end when the input is all sent or EPIPE says the child stopped reading, stop
     * at end-of-file. Put SIGPIPE back, waitpid(), and return shell_status(). */
    (void)argv;
    (void)input;
    (void)input_length;
    (void)output;
    (void)output_length;
    (void)make_room;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}
