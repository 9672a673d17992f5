/*
 * fdio.h - reading and writing all of a buffer through a file descriptor.
 */
#ifndef FDIO_H
#define FDIO_H

#include <stddef.h>

/* Write all len bytes to fd, looping over short writes and EINTR.
 * 0, or -1 with errno set. */
int fd_write_full(int fd, const void *buf, size_t len);

/* Read exactly len bytes from fd, looping over short reads and EINTR.
 * 0, or -1 with errno set; end of file before len bytes: errno EPIPE. */
int fd_read_full(int fd, void *buf, size_t len);

#endif
