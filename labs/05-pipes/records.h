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
 * Write count records of size bytes for writer (an uppercase letter) to fd,
 * each record with ONE write() call (continued only if the kernel wrote
 * part of it). Returns 0, or -1 with errno set (EINVAL for a bad writer or
 * size).
 */
int write_records(int fd, char writer, long count, size_t size);

/*
 * Read fd to end-of-file, cut what arrives into pieces of size bytes, and
 * count the pieces that are not one whole record of one writer (a short
 * last piece counts too). Sets *pieces to the number of pieces read.
 * Returns the number of such interleaved pieces, or -1 with errno set.
 */
long count_interleaved(int fd, size_t size, long *pieces);

#endif
