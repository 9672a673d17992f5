/*
 * seqnum_server.c - hand out sequence numbers to clients over FIFOs.
 *
 * Usage: seqnum_server FIFO
 *
 * Creates FIFO and serves requests from it until SIGTERM or SIGINT, then
 * removes it. Each request "PID LENGTH" gets the answer "NUMBER" on the
 * client's FIFO, FIFO.PID; the next client's NUMBER is LENGTH higher. A
 * client that is gone (no FIFO, or nobody reading it) gets nothing, uses up
 * no numbers, and does not stop the server [spec:server-gone-uses-no-numbers].
 * SIGTERM and SIGINT remove FIFO and end the server with status 0
 * [spec:server-removes-fifo-on-term].
 *
 * Handout: handouts/05-pipes.md, section 6.3.
 */
#define _GNU_SOURCE             /* getline */
#include "seqnum.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *fifo_to_remove;     /* for the signal handler */

/* SIGTERM and SIGINT: remove the FIFO and exit (both are async-signal-safe). */
static void remove_fifo_and_exit(int signal_number)
{
    (void)signal_number;
    if (fifo_to_remove != NULL)
        unlink(fifo_to_remove);
    _exit(EXIT_SUCCESS);
}

static int install_handlers(void)
{
    struct sigaction action;

    memset(&action, 0, sizeof action);
    sigemptyset(&action.sa_mask);
    action.sa_handler = remove_fifo_and_exit;
    if (sigaction(SIGTERM, &action, NULL) == -1 || sigaction(SIGINT, &action, NULL) == -1)
        return -1;
    /* A client that closes its FIFO before we write must not kill us:
     * with SIGPIPE ignored, write() fails with EPIPE instead. */
    action.sa_handler = SIG_IGN;
    return sigaction(SIGPIPE, &action, NULL);
}

/*
 * Create the FIFO at path and open it for reading without waiting for a
 * writer; also open it for writing ourselves (*keep_fd), so that read()
 * never sees end-of-file when the last client closes it
 * [spec:server-keeps-write-end]. Then make the read end blocking again.
 * Returns the read end, or -1 with errno set: EEXIST when path already
 * exists, which is left as it is, since it is someone else's [spec:server-eexist].
 */
static int open_server_fifo(const char *path, int *keep_fd)
{
    /* TODO (handout section 6.3): mkfifo(path, 0600), then set fifo_to_remove =
     * path; open the FIFO O_RDONLY | O_NONBLOCK (no wait for a writer), then
     * O_WRONLY into *keep_fd, then clear O_NONBLOCK on the read end. */
    if (mkfifo(path, 0600) == -1)
        return -1;
    fifo_to_remove = path;
    int read_fd = open(path, O_RDONLY | O_NONBLOCK);
    if (read_fd == -1)
        return -1;
    *keep_fd = open(path, O_WRONLY);    /* there is a reader: does not block */
    if (*keep_fd == -1) {
        int saved_errno = errno;
        close(read_fd);
        errno = saved_errno;
        return -1;
    }
    int flags = fcntl(read_fd, F_GETFL);
    if (flags == -1 || fcntl(read_fd, F_SETFL, flags & ~O_NONBLOCK) == -1) {
        int saved_errno = errno;
        close(read_fd);
        close(*keep_fd);
        errno = saved_errno;
        return -1;
    }
    return read_fd;
    /* END TODO */
}

/*
 * Send "NUMBER\n" to client pid on its FIFO, with one write()
 * [spec:server-answer-one-write], and close it again [spec:server-closes-client-fifo].
 * Open it with O_NONBLOCK: if nobody reads it the open fails at once with
 * ENXIO, where a blocking open would wait forever for a client that is gone
 * [spec:server-answer-nonblocking]. Returns 0, or -1 with errno set (ENOENT:
 * no FIFO; ENXIO: no reader; EPIPE: the reader left [spec:server-answer-epipe]).
 */
static int answer(const char *server_fifo, pid_t pid, long number)
{
    /* TODO (handout section 6.3): open the client's FIFO (client_fifo_path) with
     * O_WRONLY | O_NONBLOCK, write "NUMBER\n" with one write(), close it. */
    char path[PATH_MAX], line[ANSWER_MAX];
    int length = snprintf(line, sizeof line, "%ld\n", number);

    if (client_fifo_path(path, sizeof path, server_fifo, pid) == -1)
        return -1;
    int fd = open(path, O_WRONLY | O_NONBLOCK);
    if (fd == -1)
        return -1;
    ssize_t written = write(fd, line, (size_t)length);     /* small: atomic */
    int saved_errno = errno;
    close(fd);
    if (written != length) {
        errno = written == -1 ? saved_errno : EIO;
        return -1;
    }
    return 0;
    /* END TODO */
}

int main(int argc, char **argv)
{
    const char *path;
    int read_fd, keep_fd;
    FILE *requests;
    char *line = NULL;
    size_t capacity = 0;
    long next_number = 0;

    if (argc != 2 || argv[1][0] == '-') {
        fprintf(stderr, "usage: seqnum_server FIFO\n");
        return 2;
    }
    path = argv[1];
    if (install_handlers() == -1) {
        perror("seqnum_server: sigaction");
        return EXIT_FAILURE;
    }
    read_fd = open_server_fifo(path, &keep_fd);
    if (read_fd == -1) {
        if (errno == ENOSYS)
            fprintf(stderr, "seqnum_server: open_server_fifo() is not written yet "
                            "(TODO in seqnum_server.c, handouts/05-pipes.md section 6.3)\n");
        else
            fprintf(stderr, "seqnum_server: %s: %s\n", path, strerror(errno));
        if (errno != EEXIST && fifo_to_remove != NULL)
            unlink(path);
        return EXIT_FAILURE;
    }
    requests = fdopen(read_fd, "r");
    if (requests == NULL) {
        perror("seqnum_server: fdopen");
        unlink(path);
        return EXIT_FAILURE;
    }
    fprintf(stderr, "seqnum_server: listening on %s\n", path);

    /* keep_fd stays open: getline() waits for the next request, forever. */
    while (getline(&line, &capacity, requests) != -1) {
        pid_t pid;
        long length;
        if (parse_request(line, &pid, &length) == -1) {
            fprintf(stderr, "seqnum_server: ignoring a malformed request '%.40s'\n", line);
            continue;
        }
        if (answer(path, pid, next_number) == -1) {
            if (errno == ENOSYS) {
                fprintf(stderr, "seqnum_server: answer() is not written yet "
                                "(TODO in seqnum_server.c, handouts/05-pipes.md section 6.3)\n");
                break;
            }
            fprintf(stderr, "seqnum_server: client %ld is gone (%s); serving the next one\n",
                    (long)pid, strerror(errno));
            continue;
        }
        next_number += length;
    }
    perror("seqnum_server: reading requests");
    free(line);
    fclose(requests);
    close(keep_fd);
    unlink(path);
    return EXIT_FAILURE;
}
