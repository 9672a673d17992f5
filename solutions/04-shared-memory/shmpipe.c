/*
 * shmpipe.c - copy a byte stream from one process to another through a single
 * buffer in POSIX shared memory, handed over with two semaphores.
 *
 * Usage: shmpipe write NAME < input      the writer: standard input into the buffer
 *        shmpipe read NAME > output      the reader: the buffer to standard output
 *
 * Start the two with the same NAME (e.g. /mybuf) in either order. The writer
 * marks the end of the stream with an empty buffer; once the reader has
 * consumed it, the writer removes the buffer's shared memory object and
 * semaphores. Any data, text or binary, arrives byte for byte.
 *
 * Handout: handouts/04-shared-memory.md, section 3.
 */
#include "shmbuf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(void)
{
    fprintf(stderr, "usage: shmpipe write NAME < input\n"
                    "       shmpipe read NAME > output\n");
    exit(2);
}

/* Write all length bytes of data to fd. Returns 0 or -1. */
static int write_all(int fd, const char *data, size_t length)
{
    while (length > 0) {
        ssize_t written = write(fd, data, length);
        if (written == -1) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        data += written;
        length -= (size_t)written;
    }
    return 0;
}

/* Standard input into the buffer, then an empty buffer; once the reader has
 * consumed that, remove the buffer. Returns 0 or -1. */
static int write_side(const char *name)
{
    /* TODO (handout section 3.3): open the buffer with shmbuf_open(). Then
     * repeat: wait on consumed, read() up to SHMBUF_SIZE bytes of standard
     * input straight into the buffer, set its length, post ready - until read()
     * gives 0 bytes (an empty buffer ends the stream, section 3.4). Wait on
     * consumed once more (the reader has seen the end), close the buffer and
     * remove it with shmbuf_unlink() (section 3.5). */
    struct shmbuf buffer;
    ssize_t length = -1;
    int result = 0;

    if (shmbuf_open(name, &buffer) == -1) {
        fprintf(stderr, "shmpipe: open the buffer %s: %s\n", name, strerror(errno));
        return -1;
    }
    do {
        if (shmbuf_wait(buffer.consumed) == -1) {
            perror("shmpipe: sem_wait");
            result = -1;
            break;
        }
        /* The reader is done with the buffer: read straight into it. */
        do
            length = read(STDIN_FILENO, buffer.shared->data, SHMBUF_SIZE);
        while (length == -1 && errno == EINTR);
        if (length == -1) {
            perror("shmpipe: standard input");
            result = -1;
            length = 0;     /* still end the stream, so that the reader finishes */
        }
        buffer.shared->length = (size_t)length;
        if (sem_post(buffer.ready) == -1) {
            perror("shmpipe: sem_post");
            result = -1;
            break;
        }
    } while (length > 0);

    /* When the reader has consumed the end of the stream, nobody needs the
     * names any more: the writer, which finishes last, removes them. */
    if (length == 0 && shmbuf_wait(buffer.consumed) == -1) {
        perror("shmpipe: sem_wait");
        result = -1;
    }
    if (shmbuf_close(&buffer) == -1) {
        perror("shmpipe: close the buffer");
        result = -1;
    }
    if (length == 0 && shmbuf_unlink(name) == -1) {
        fprintf(stderr, "shmpipe: remove the buffer %s: %s\n", name, strerror(errno));
        result = -1;
    }
    return result;
    /* END TODO */
}

/* The buffer to standard output until the empty buffer. Returns 0 or -1. */
static int read_side(const char *name)
{
    /* TODO (handout section 3.3): open the buffer with shmbuf_open(). Then
     * repeat: wait on ready, write the buffer's length bytes to standard
     * output with write_all(), post consumed - until the length is 0, the end
     * of the stream (section 3.4). Close the buffer (section 3.5). */
    struct shmbuf buffer;
    int result = 0;

    if (shmbuf_open(name, &buffer) == -1) {
        fprintf(stderr, "shmpipe: open the buffer %s: %s\n", name, strerror(errno));
        return -1;
    }
    for (;;) {
        if (shmbuf_wait(buffer.ready) == -1) {
            perror("shmpipe: sem_wait");
            result = -1;
            break;
        }
        size_t length = buffer.shared->length;
        if (length > SHMBUF_SIZE) {
            fprintf(stderr, "shmpipe: the buffer says it holds %zu bytes, more than its %d\n",
                    length, SHMBUF_SIZE);
            result = -1;
            break;
        }
        if (write_all(STDOUT_FILENO, buffer.shared->data, length) == -1) {
            perror("shmpipe: standard output");
            result = -1;
            break;
        }
        if (sem_post(buffer.consumed) == -1) {
            perror("shmpipe: sem_post");
            result = -1;
            break;
        }
        if (length == 0)
            break;          /* the end of the stream */
    }
    if (shmbuf_close(&buffer) == -1) {
        perror("shmpipe: close the buffer");
        result = -1;
    }
    return result;
    /* END TODO */
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "write") == 0)
        return write_side(argv[2]) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
    if (argc == 3 && strcmp(argv[1], "read") == 0)
        return read_side(argv[2]) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
    usage();
    return 2;
}
