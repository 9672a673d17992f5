/*
 * pipesize.c - measure a pipe's capacity, change it, and read the limit.
 *
 * Handout: handouts/05-pipes.md, section 3.
 */
#define _GNU_SOURCE             /* F_SETPIPE_SZ */
#include "pipesize.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

enum { CHUNK = 65536 };         /* larger than PIPE_BUF: writes may be partial */

long pipe_capacity(int write_fd)
{
    /* TODO (handout section 3.1): remember the flags (F_GETFL), add O_NONBLOCK
     * (F_SETFL), write chunks until write() fails with EAGAIN, adding up what each
     * write() returned (a write larger than PIPE_BUF may be partial), put the flags
     * back, and return the total. */
    static const char chunk[CHUNK];
    long total = 0;
    int flags = fcntl(write_fd, F_GETFL);

    if (flags == -1)
        return -1;
    if (fcntl(write_fd, F_SETFL, flags | O_NONBLOCK) == -1)
        return -1;
    for (;;) {
        ssize_t written = write(write_fd, chunk, sizeof chunk);
        if (written == -1) {
            if (errno == EAGAIN)
                break;          /* full */
            int saved_errno = errno;
            fcntl(write_fd, F_SETFL, flags);
            errno = saved_errno;
            return -1;
        }
        total += written;       /* a partial write counts what it wrote */
    }
    if (fcntl(write_fd, F_SETFL, flags) == -1)
        return -1;
    return total;
    /* END TODO */
}

long pipe_resize(int fd, long size)
{
    /* TODO (handout section 3.2): size must fit in an int (else EINVAL); return
     * what fcntl(fd, F_SETPIPE_SZ, size) returns: the size the kernel chose. */
    if (size < 0 || size > INT_MAX) {
        errno = EINVAL;
        return -1;
    }
    return fcntl(fd, F_SETPIPE_SZ, (int)size);
    /* END TODO */
}

long pipe_max_size(void)
{
    /* TODO (handout section 3.3): read the number in /proc/sys/fs/pipe-max-size. */
    FILE *file = fopen("/proc/sys/fs/pipe-max-size", "r");
    long size;

    if (file == NULL)
        return -1;
    if (fscanf(file, "%ld", &size) != 1) {
        fclose(file);
        errno = EINVAL;
        return -1;
    }
    fclose(file);
    return size;
    /* END TODO */
}
