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
/* In the child: stdin from to_child, stdout to from_child, then exec. */
static void exec_coprocess(char *const argv[], int to_child[2], int from_child[2])
{
    if (dup2(to_child[0], STDIN_FILENO) == -1 || dup2(from_child[1], STDOUT_FILENO) == -1) {
        perror("coprocess: dup2");
        _exit(126);
    }
    close(to_child[0]);
    close(to_child[1]);
    close(from_child[0]);
    close(from_child[1]);
    execvp(argv[0], argv);
    fprintf(stderr, "coprocess: %s: %s\n", argv[0], strerror(errno));
    _exit(127);                 /* as the shell does for a command it cannot run */
}
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
/*
 * The conversation: write input to to_fd (non-blocking) while reading
 * from_fd into output, as poll() says each side is ready, until from_fd
 * reaches end-of-file. Closes both descriptors. Returns 0 or -1 with errno.
 */
static int talk(int to_fd, int from_fd, const char *input, size_t input_length,
                struct buffer *output)
{
    size_t sent = 0;

    if (input_length == 0) {
        close(to_fd);           /* nothing to say: the child sees EOF at once */
        to_fd = -1;
    }
    while (from_fd != -1) {
        /* poll() skips an entry whose fd is negative. */
        struct pollfd ready[2] = { { .fd = to_fd, .events = POLLOUT },
                                   { .fd = from_fd, .events = POLLIN } };
        if (poll(ready, 2, -1) == -1) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (ready[0].revents != 0) {
            /* Non-blocking, and more than the pipe holds: a partial write. */
            ssize_t written = write(to_fd, input + sent, input_length - sent);
            if (written == -1 && errno != EAGAIN && errno != EINTR) {
                if (errno != EPIPE)
                    break;
                sent = input_length;    /* the child stopped reading: drop the rest */
            } else if (written > 0) {
                sent += (size_t)written;        /* often less than asked */
            }
            if (sent == input_length) {
                close(to_fd);           /* EOF for the child */
                to_fd = -1;
            }
        }
        if (ready[1].revents != 0) {
            if (make_room(output) == -1)
                break;
            ssize_t got = read(from_fd, output->data + output->length, CHUNK);
            if (got == -1 && errno != EAGAIN && errno != EINTR)
                break;
            if (got == 0) {
                close(from_fd);
                from_fd = -1;
            } else if (got > 0) {
                output->length += (size_t)got;
            }
        }
    }
    int saved_errno = errno;
    if (to_fd != -1)
        close(to_fd);
    if (from_fd != -1) {
        close(from_fd);
        errno = saved_errno;
        return -1;
    }
    return 0;
}
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
    int to_child[2], from_child[2];
    struct buffer buffer = { NULL, 0, 0 };
    struct sigaction ignore, old_action;
    int wait_status, talked, saved_errno;

    if (pipe(to_child) == -1)
        return -1;
    if (pipe(from_child) == -1) {
        saved_errno = errno;
        close(to_child[0]);
        close(to_child[1]);
        errno = saved_errno;
        return -1;
    }
    pid_t child = fork();
    if (child == -1) {
        saved_errno = errno;
        close(to_child[0]);
        close(to_child[1]);
        close(from_child[0]);
        close(from_child[1]);
        errno = saved_errno;
        return -1;
    }
    if (child == 0)
        exec_coprocess(argv, to_child, from_child);
    close(to_child[0]);
    close(from_child[1]);

    /* While we talk, a child that stops reading must give EPIPE, not kill us.
     * (Set after fork: the child's SIGPIPE stays as it was.) */
    memset(&ignore, 0, sizeof ignore);
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    talked = sigaction(SIGPIPE, &ignore, &old_action);
    /* Non-blocking writes: a full pipe gives EAGAIN, never a wait. */
    int flags = fcntl(to_child[1], F_GETFL);
    if (talked == 0 && (flags == -1 || fcntl(to_child[1], F_SETFL, flags | O_NONBLOCK) == -1))
        talked = -1;
    if (talked == 0) {
        talked = talk(to_child[1], from_child[0], input, input_length, &buffer);
    } else {
        close(to_child[1]);
        close(from_child[0]);
    }
    saved_errno = errno;
    sigaction(SIGPIPE, &old_action, NULL);

    while (waitpid(child, &wait_status, 0) == -1) {
        if (errno != EINTR) {
            talked = -1;
            saved_errno = errno;
            break;
        }
    }
    if (talked == -1) {
        free(buffer.data);
        errno = saved_errno;
        return -1;
    }
    if (buffer.data == NULL && make_room(&buffer) == -1)
        return -1;
    buffer.data[buffer.length] = '\0';
    *output = buffer.data;
    *output_length = buffer.length;
    return shell_status(wait_status);
    /* END TODO */
}
