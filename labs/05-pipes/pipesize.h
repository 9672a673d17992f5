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
 * of an empty pipe, measured by adding up what each write() returned
 * [spec:capacity-measures-by-filling]. The bytes stay in the pipe. The
 * descriptor's flags are left as they were found, on every way out: blocking
 * stays blocking, non-blocking stays non-blocking [spec:capacity-flags-restored].
 * Returns -1 with the errno of the call that failed (say, EPIPE: no reader)
 * [spec:capacity-error-errno].
 */
long pipe_capacity(int write_fd);

/*
 * Ask the kernel to make the pipe of fd hold size bytes (F_SETPIPE_SZ).
 * Returns the capacity the kernel chose, which may be larger than asked
 * [spec:resize-returns-kernel-size], or -1 with errno set: EPERM above
 * /proc/sys/fs/pipe-max-size without CAP_SYS_RESOURCE [spec:resize-eperm],
 * EBUSY when the pipe holds more than size bytes [spec:resize-ebusy], EINVAL
 * when size does not fit in an int (negative, or above INT_MAX: F_SETPIPE_SZ
 * takes an int) [spec:resize-einval-int]. A refused size leaves the pipe as
 * it was.
 */
long pipe_resize(int fd, long size);

/* The most an unprivileged process may ask for: the number in
 * /proc/sys/fs/pipe-max-size [spec:max-size-reads-proc]. Returns -1 with errno
 * set on failure [spec:max-size-errors]. */
long pipe_max_size(void);

#endif
