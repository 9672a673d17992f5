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
    (void)write_fd;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}

long pipe_resize(int fd, long size)
{
    /* TODO (handout section 3.2): size must fit in an int (else EINVAL); return
     * what fcntl(fd, F_SETPIPE_SZ, size) returns: the size the kernel chose. */
    (void)fd;
    (void)size;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}

long pipe_max_size(void)
{
    /* TODO (handout section 3.3): read the number in /proc/sys/fs/pipe-max-size. */
    errno = ENOSYS;
    return -1;
    /* END TODO */
}
