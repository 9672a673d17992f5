/*
 * brokenpipe.c - write into a pipe whose read end is closed.
 *
 * Handout: handouts/05-pipes.md, section 4.
 */
#include "brokenpipe.h"

#include <errno.h>
#include <unistd.h>

ssize_t write_without_reader(void)
{
    /* TODO (handout section 4.1): make a pipe, close its read end, write one byte
     * into its write end, close it, and return what write() returned, with the
     * errno of the write. */
    errno = ENOSYS;
    return -1;
    /* END TODO */
}
