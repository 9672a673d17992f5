/*
 * seqnum_client.c - ask seqnum_server for LENGTH sequence numbers.
 *
 * Usage: seqnum_client FIFO [LENGTH]
 *
 *   $ seqnum_client /tmp/seqnum 3
 *   0
 *
 * Prints the first of the LENGTH numbers (default 1) that the server reading
 * FIFO gave us. Fails at once, rather than waiting, when no server reads FIFO.
 *
 * Handout: handouts/05-pipes.md, section 6.4.
 */
#include "seqnum.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Read one line "NUMBER\n" from fd, which may come in pieces. */
static int read_answer(int fd, long *number)
{
    char line[ANSWER_MAX];
    size_t filled = 0;

    while (filled < sizeof line - 1) {
        ssize_t got = read(fd, line + filled, sizeof line - 1 - filled);
        if (got == -1) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (got == 0)
            break;
        filled += (size_t)got;
        if (line[filled - 1] == '\n')
            break;
    }
    line[filled] = '\0';
    char *end;
    errno = 0;
    *number = strtol(line, &end, 10);
    if (filled == 0 || errno != 0 || end == line || *end != '\n') {
        errno = EPROTO;
        return -1;
    }
    return 0;
}

/* TODO (optional): helper functions of your own go here. */
/* Send "PID LENGTH\n" with one write(). Open with O_NONBLOCK: when no
 * server reads the FIFO, the open fails at once with ENXIO instead of
 * waiting for one. Then make the write blocking again, so that it waits
 * when the FIFO is full rather than failing with EAGAIN. */
static int send_request(const char *server_fifo, long length)
{
    char request[REQUEST_MAX];
    int request_length = snprintf(request, sizeof request, "%ld %ld\n",
                                  (long)getpid(), length);
    int fd = open(server_fifo, O_WRONLY | O_NONBLOCK);
    int flags;

    if (fd == -1)
        return -1;
    flags = fcntl(fd, F_GETFL);
    if (flags == -1 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == -1) {
        int saved_errno = errno;
        close(fd);
        errno = saved_errno;
        return -1;
    }
    ssize_t written = write(fd, request, (size_t)request_length);
    int saved_errno = errno;
    close(fd);
    if (written != request_length) {
        errno = written == -1 ? saved_errno : EIO;
        return -1;
    }
    return 0;
}
/* END TODO */

/*
 * The whole exchange, given the name of our FIFO (already created):
 *  1. open our FIFO for reading with O_NONBLOCK, so that it has a reader
 *     before the server tries to open it, and our open does not wait
 *     [spec:client-own-fifo-first];
 *  2. open the server's FIFO with O_WRONLY | O_NONBLOCK: with no server it
 *     fails at once with ENXIO [spec:client-enxio-no-server]; clear
 *     O_NONBLOCK, so that a full FIFO makes the write wait
 *     [spec:client-waits-when-full]; write "PID LENGTH\n" (our pid) with one
 *     write() [spec:client-request-format] [spec:client-one-write];
 *  3. poll() our FIFO until the answer arrives, however late, and read it
 *     [spec:client-polls-for-answer].
 * Returns 0, or -1 with errno set; *what names what failed, for the message:
 * the FIFO's path when opening or writing a FIFO failed, else the call
 * ("poll", "reading the answer") [spec:client-what-names-the-fifo].
 */
static int ask_server(const char *server_fifo, const char *my_fifo, long length,
                      long *number, const char **what)
{
    /* TODO (handout section 6.4): open my_fifo O_RDONLY | O_NONBLOCK; open
     * server_fifo O_WRONLY | O_NONBLOCK (ENXIO: no server), clear O_NONBLOCK, write
     * "PID LENGTH\n" with one write() and close it; poll() my_fifo for POLLIN, then
     * read_answer(). Set *what to what failed (a FIFO's path, or the call). */
    struct pollfd answer = { .fd = -1, .events = POLLIN };
    int status;

    *what = my_fifo;
    answer.fd = open(my_fifo, O_RDONLY | O_NONBLOCK);
    if (answer.fd == -1)
        return -1;
    *what = server_fifo;
    status = send_request(server_fifo, length);
    if (status == 0) {
        *what = "poll";
        while ((status = poll(&answer, 1, -1)) == -1 && errno == EINTR)
            continue;
    }
    if (status != -1) {
        *what = "reading the answer";
        status = read_answer(answer.fd, number);
    }
    int saved_errno = errno;
    close(answer.fd);
    errno = saved_errno;
    return status;
    /* END TODO */
}

int main(int argc, char **argv)
{
    char my_fifo[PATH_MAX];
    long length = 1, number;
    const char *what;

    if (argc < 2 || argc > 3 || argv[1][0] == '-') {
        fprintf(stderr, "usage: seqnum_client FIFO [LENGTH]\n");
        return 2;
    }
    if (argc == 3) {
        char *end;
        errno = 0;
        length = strtol(argv[2], &end, 10);
        if (errno != 0 || end == argv[2] || *end != '\0' || length < 1) {
            fprintf(stderr, "usage: seqnum_client FIFO [LENGTH]  (LENGTH >= 1)\n");
            return 2;
        }
    }
    if (client_fifo_path(my_fifo, sizeof my_fifo, argv[1], getpid()) == -1 ||
        mkfifo(my_fifo, 0600) == -1) {
        fprintf(stderr, "seqnum_client: %s.%ld: %s\n", argv[1], (long)getpid(),
                strerror(errno));
        return EXIT_FAILURE;
    }
    int status = ask_server(argv[1], my_fifo, length, &number, &what);
    int saved_errno = errno;
    if (unlink(my_fifo) == -1)
        fprintf(stderr, "seqnum_client: %s: %s\n", my_fifo, strerror(errno));
    if (status == -1) {
        if (saved_errno == ENOSYS)
            fprintf(stderr, "seqnum_client: ask_server() is not written yet "
                            "(TODO in seqnum_client.c, handouts/05-pipes.md section 6.4)\n");
        else if (saved_errno == ENXIO)
            fprintf(stderr, "seqnum_client: %s: %s: no server is reading it\n", what,
                    strerror(saved_errno));
        else
            fprintf(stderr, "seqnum_client: %s: %s\n", what, strerror(saved_errno));
        return EXIT_FAILURE;
    }
    printf("%ld\n", number);
    if (fflush(stdout) == EOF) {
        perror("seqnum_client: stdout");
        return EXIT_FAILURE;
    }
    return EXIT_SUCCESS;
}
