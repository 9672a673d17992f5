/*
 * pipesize.h - how much a pipe holds, and how to change it.
 *
 * Handout: handouts/05-pipes.md, section 3.
 */
#ifndef PIPESIZE_H
#define PIPESIZE_H

/*
 * Fill the pipe whose write end is write_fd with non-blocking writes until
 * the kernel says EAGAIN, and return how many bytes it took: the capacity
 * of an empty pipe, measured. The bytes stay in the pipe. The descriptor's
 * flags are left as they were (blocking stays blocking).
 * Returns -1 with errno set on failure.
 */
long pipe_capacity(int write_fd);

/*
 * Ask the kernel to make the pipe of fd hold size bytes (F_SETPIPE_SZ).
 * Returns the capacity the kernel chose, which may be larger than asked,
 * or -1 with errno set: EPERM above /proc/sys/fs/pipe-max-size without
 * CAP_SYS_RESOURCE, EBUSY when the pipe holds more than size bytes,
 * EINVAL when size is out of range.
 */
long pipe_resize(int fd, long size);

/* The most an unprivileged process may ask for: the number in
 * /proc/sys/fs/pipe-max-size. Returns -1 with errno set on failure. */
long pipe_max_size(void);

#endif
