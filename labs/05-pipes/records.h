/*
 * records.h - records that several writers put into one pipe, and a reader
 * that checks whether any of them got mixed up.
 *
 * A record of SIZE bytes written by writer 'C' is one uppercase letter, then
 * SIZE - 2 lowercase letters, then a newline:
 *
 *   Cccccccccccccccccccc...ccc\n
 *
 * Handout: handouts/05-pipes.md, section 5.
 */
#ifndef RECORDS_H
#define RECORDS_H

#include <stddef.h>

enum { RECORD_MIN = 2, RECORD_MAX = 16 * 1024 * 1024 };

/*
 * Write count records of size bytes for writer (an uppercase letter) to fd
 * [spec:records-format], each record with ONE write() call of exactly size
 * bytes [spec:records-one-write], continued only if the kernel wrote part of
 * it; a write() that a signal interrupts before it wrote anything (EINTR) is
 * made again [spec:records-partial-and-eintr]. Returns 0, or -1 with errno
 * set: EINVAL, with nothing written, for a writer that is not A-Z, a size
 * outside RECORD_MIN..RECORD_MAX or a negative count [spec:records-einval]
 * (a count of 0 writes nothing and returns 0, and both RECORD_MIN and
 * RECORD_MAX are sizes [spec:records-bounds]); the errno of a write() that
 * failed, at once [spec:records-write-error].
 */
int write_records(int fd, char writer, long count, size_t size);

/*
 * Read fd to end-of-file, cut what arrives into pieces of size bytes, and
 * count the pieces that are not one whole record of one writer
 * [spec:count-pieces] (a short last piece counts too [spec:count-short-last-piece]).
 * A read() may bring part of a piece, or the end of one and the start of the
 * next: each piece is filled with as many reads as it takes
 * [spec:count-fills-pieces]; a read() that a signal interrupts (EINTR) is
 * made again [spec:count-eintr]. Sets *pieces to the number of pieces read.
 * Returns the number of such interleaved pieces, or -1 with errno set
 * (EINVAL for a size outside RECORD_MIN..RECORD_MAX [spec:count-einval]).
 */
long count_interleaved(int fd, size_t size, long *pieces);

#endif
