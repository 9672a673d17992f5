/*
 * records.c - write whole records into a pipe; count records that interleaved.
 *
 * Handout: handouts/05-pipes.md, section 5.
 */
#include "records.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* TODO (optional): helper functions of your own go here. */
/* END TODO */

int write_records(int fd, char writer, long count, size_t size)
{
    /* TODO (handout section 5.2): check the arguments (EINVAL), build one record of
     * size bytes (see records.h), and write it count times, each with one write() -
     * continued from where it stopped if the kernel wrote only part of it. */
    (void)fd;
    (void)writer;
    (void)count;
    (void)size;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}

long count_interleaved(int fd, size_t size, long *pieces)
{
    /* TODO (handout section 5.3): read fd until read() returns 0, filling pieces of
     * size bytes (one read() may bring part of a piece, or the end of one and the
     * start of the next); count the pieces, and those that are not one whole
     * record. A short last piece is not a whole record. */
    (void)fd;
    (void)size;
    (void)pieces;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}
