/*
 * seqnum.c - the parts of the sequence-number protocol that the server and the
 * client share: the name of a client's FIFO, and reading a request.
 *
 * Handout: handouts/05-pipes.md, section 6.2.
 */
#include "seqnum.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

int client_fifo_path(char *path, size_t size, const char *server_fifo, pid_t pid)
{
    int length = snprintf(path, size, "%s.%ld", server_fifo, (long)pid);
    if (length < 0 || (size_t)length >= size) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return 0;
}

int parse_request(const char *line, pid_t *pid, long *length)
{
    char *end;

    errno = 0;
    long number = strtol(line, &end, 10);
    if (errno != 0 || end == line || *end != ' ' || number < 1 || number > INT_MAX) {
        errno = EINVAL;
        return -1;
    }
    *pid = (pid_t)number;
    line = end + 1;
    errno = 0;
    *length = strtol(line, &end, 10);
    if (errno != 0 || end == line || (*end != '\0' && *end != '\n') || *length < 1) {
        errno = EINVAL;
        return -1;
    }
    return 0;
}
