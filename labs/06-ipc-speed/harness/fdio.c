/*
 * fdio.c - reading and writing all of a buffer through a file descriptor.
 *
 * read() and write() may move fewer bytes than asked: a pipe holds 64 KiB, a
 * socket's buffer a few hundred, and a signal can interrupt a transfer half
 * way. The transports that use file descriptors loop here until every byte
 * has gone.
 *
 * Handout: handouts/06-ipc-speed.md, section 4.2.
 */
#include "fdio.h"

#include <errno.h>
#include <unistd.h>

int fd_write_full(int fd, const void *buf, size_t len)
{
    const char *next = buf;

    while (len > 0) {
        ssize_t written = write(fd, next, len);
        if (written == -1) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        next += written;
        len -= (size_t)written;
    }
    return 0;
}

int fd_read_full(int fd, void *buf, size_t len)
{
    char *next = buf;

    while (len > 0) {
        ssize_t got = read(fd, next, len);
        if (got == -1) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (got == 0) {
            errno = EPIPE;      /* the writer closed before len bytes came */
            return -1;
        }
        next += got;
        len -= (size_t)got;
    }
    return 0;
}
