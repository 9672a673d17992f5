/*
 * brokenpipe.h - what happens to a writer when nobody can read.
 *
 * Handout: handouts/05-pipes.md, section 4.
 */
#ifndef BROKENPIPE_H
#define BROKENPIPE_H

#include <sys/types.h>

/*
 * Make a pipe, close its read end, and write one byte into its write end.
 * With SIGPIPE at its default action the kernel kills the calling process
 * with SIGPIPE, and this function never returns [spec:broken-pipe-sigpipe].
 * With SIGPIPE ignored the write fails: the function returns -1 with errno
 * EPIPE, the write's, not a later close's [spec:broken-pipe-epipe]. Either
 * way no descriptor is left open [spec:broken-pipe-closes-both]. Returns -1
 * with the errno of pipe() if the pipe cannot be made
 * [spec:broken-pipe-pipe-fails]; returns what write() returned otherwise.
 */
ssize_t write_without_reader(void);

#endif
