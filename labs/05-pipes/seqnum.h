/*
 * seqnum.h - the protocol between seqnum_server and seqnum_client.
 *
 * The server reads requests from a FIFO whose name everyone knows, SERVER.
 * A request is one line, "PID LENGTH\n", written with one write(): it is
 * shorter than PIPE_BUF, so requests of several clients never mix.
 * The server answers on the client's own FIFO, SERVER.PID, with one line
 * "NUMBER\n": the client now owns NUMBER to NUMBER + LENGTH - 1.
 *
 * Handout: handouts/05-pipes.md, section 6.
 */
#ifndef SEQNUM_H
#define SEQNUM_H

#include <stddef.h>
#include <sys/types.h>

enum { REQUEST_MAX = 64, ANSWER_MAX = 32 };

/* Write the name of the FIFO of client pid into path: "SERVER.PID".
 * Returns 0, or -1 with errno ENAMETOOLONG when it does not fit. */
int client_fifo_path(char *path, size_t size, const char *server_fifo, pid_t pid);

/* Read "PID LENGTH" (with or without the newline). PID and LENGTH are
 * positive. Returns 0, or -1 with errno EINVAL. */
int parse_request(const char *line, pid_t *pid, long *length);

#endif
