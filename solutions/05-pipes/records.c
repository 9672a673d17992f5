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
    char *record;

    if (!isupper((unsigned char)writer) || size < RECORD_MIN || size > RECORD_MAX ||
        count < 0) {
        errno = EINVAL;
        return -1;
    }
    record = malloc(size);
    if (record == NULL)
        return -1;
    memset(record, tolower((unsigned char)writer), size);
    record[0] = writer;
    record[size - 1] = '\n';
    for (long i = 0; i < count; i++) {
        size_t done = 0;                        /* bytes of this record written */
        while (done < size) {
            ssize_t written = write(fd, record + done, size - done);
            if (written == -1 && errno == EINTR)
                continue;                       /* a signal came before any byte */
            if (written == -1) {
                int saved_errno = errno;
                free(record);
                errno = saved_errno;
                return -1;
            }
            done += (size_t)written;            /* a signal can cut a write short */
        }
    }
    free(record);
    return 0;
}

/* Is piece one whole record? */
static int is_whole_record(const char *piece, size_t size)
{
    if (!isupper((unsigned char)piece[0]) || piece[size - 1] != '\n')
        return 0;
    char body = (char)tolower((unsigned char)piece[0]);
    for (size_t i = 1; i < size - 1; i++)
        if (piece[i] != body)
            return 0;
    return 1;
    /* END TODO */
}

long count_interleaved(int fd, size_t size, long *pieces)
{
    /* TODO (handout section 5.3): read fd until read() returns 0, filling pieces of
     * size bytes (one read() may bring part of a piece, or the end of one and the
     * start of the next); count the pieces, and those that are not one whole
     * record. A short last piece is not a whole record. */
    char *piece;
    size_t filled = 0;
    long interleaved = 0;

    if (size < RECORD_MIN || size > RECORD_MAX) {
        errno = EINVAL;
        return -1;
    }
    piece = malloc(size);
    if (piece == NULL)
        return -1;
    *pieces = 0;
    for (;;) {
        /* A read returns what is there, not a whole record: fill the piece. */
        ssize_t got = read(fd, piece + filled, size - filled);
        if (got == -1) {
            if (errno == EINTR)
                continue;
            int saved_errno = errno;
            free(piece);
            errno = saved_errno;
            return -1;
        }
        if (got == 0)
            break;
        filled += (size_t)got;
        if (filled == size) {
            ++*pieces;
            if (!is_whole_record(piece, size))
                interleaved++;
            filled = 0;
        }
    }
    if (filled > 0) {           /* a short last piece */
        ++*pieces;
        interleaved++;
    }
    free(piece);
    return interleaved;
    /* END TODO */
}
