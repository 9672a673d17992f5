/*
 * capacity.c - how many bytes a pipe holds before a writer must wait.
 *
 * Usage: capacity [SIZE...]
 *
 *   $ capacity 100000
 *   default: 65536 bytes
 *   asked 100000: F_SETPIPE_SZ gave 131072 bytes, filling it took 131072 bytes
 *
 * The first line measures a new pipe. Each SIZE resizes a new pipe with
 * F_SETPIPE_SZ and measures it [spec:capacity-program-output]. A size the
 * kernel refuses is reported, and the other sizes are still measured; the
 * exit status is then 1.
 *
 * Handout: handouts/05-pipes.md, section 3.
 */
#include "pipesize.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void usage(void)
{
    fprintf(stderr, "usage: capacity [SIZE...]\n");
    exit(2);
}

static void report(const char *what)
{
    if (errno == ENOSYS)
        fprintf(stderr, "capacity: %s() is not written yet "
                        "(TODO in pipesize.c, handouts/05-pipes.md section 3)\n", what);
    else
        fprintf(stderr, "capacity: %s: %s\n", what, strerror(errno));
}

/* Explain why the kernel refused size. EPERM means it is above the limit:
 * say the size, strerror(EPERM) and the limit, naming
 * /proc/sys/fs/pipe-max-size [spec:capacity-refusal-eperm-limit]; any other
 * errno: report("pipe_resize") [spec:capacity-refusal-other]. */
static void report_refusal(long size)
{
    /* TODO (handout section 3.4): pipe_resize() failed. For EPERM print, on stderr,
     * the size asked, strerror(EPERM) and the limit from pipe_max_size(), naming
     * /proc/sys/fs/pipe-max-size; for any other errno, report("pipe_resize"). */
    (void)size;
    fprintf(stderr, "capacity: report_refusal() is not written yet "
                    "(TODO in capacity.c, handouts/05-pipes.md section 3.4)\n");
    /* END TODO */
}

/* Make a pipe, resize it when size > 0, measure it, print one line.
 * Returns 0 or -1. */
static int measure(long size)
{
    int fds[2];
    long given = 0, measured;
    int status = 0;

    if (pipe(fds) == -1) {
        perror("capacity: pipe");
        return -1;
    }
    if (size > 0) {
        given = pipe_resize(fds[1], size);
        if (given == -1) {
            report_refusal(size);
            status = -1;
        }
    }
    if (status == 0) {
        measured = pipe_capacity(fds[1]);
        if (measured == -1) {
            report("pipe_capacity");
            status = -1;
        } else if (size > 0) {
            printf("asked %ld: F_SETPIPE_SZ gave %ld bytes, filling it took %ld bytes\n",
                   size, given, measured);
        } else {
            printf("default: %ld bytes\n", measured);
        }
    }
    close(fds[0]);
    close(fds[1]);
    return status;
}

int main(int argc, char **argv)
{
    int status = EXIT_SUCCESS;

    for (int i = 1; i < argc; i++) {
        char *end;
        errno = 0;
        long size = strtol(argv[i], &end, 10);
        if (errno != 0 || end == argv[i] || *end != '\0' || size < 1)
            usage();
    }
    if (measure(0) == -1)
        status = EXIT_FAILURE;
    for (int i = 1; i < argc; i++)
        if (measure(strtol(argv[i], NULL, 10)) == -1)
            status = EXIT_FAILURE;
    if (fflush(stdout) == EOF) {
        perror("capacity: stdout");
        status = EXIT_FAILURE;
    }
    return status;
}
