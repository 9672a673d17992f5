/*
 * interleave.c - several writers, one pipe: do their records stay whole?
 *
 * Usage: interleave [WRITERS [RECORDS [SIZE]]]
 *
 *   $ interleave 4 200 4096
 *   4 writers x 200 records of 4096 bytes: 0 of 800 records interleaved
 *
 * WRITERS child processes (1 to 26, default 4) each write RECORDS records
 * (default 200) of SIZE bytes (default PIPE_BUF) into one pipe; this process
 * reads the pipe and counts the records that arrived mixed with another's.
 *
 * Handout: handouts/05-pipes.md, section 5.
 */
#include "records.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

enum { MAX_WRITERS = 26 };

struct experiment {
    int writers;
    long records;               /* per writer */
    size_t size;
    long pieces;                /* results */
    long interleaved;
};

static void usage(void)
{
    fprintf(stderr, "usage: interleave [WRITERS [RECORDS [SIZE]]]\n"
                    "  WRITERS 1-%d (default 4), RECORDS >= 1 (default 200),\n"
                    "  SIZE %d-%d bytes (default PIPE_BUF = %d)\n",
            MAX_WRITERS, RECORD_MIN, RECORD_MAX, PIPE_BUF);
    exit(2);
}

static long number(const char *text, long low, long high)
{
    char *end;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || value < low || value > high)
        usage();
    return value;
}

/*
 * Make one pipe, start every writer (writer i writes its records as letter
 * 'A' + i, then exits) before reading [spec:interleave-starts-all-writers],
 * close our own write end [spec:interleave-closes-write-end], read the pipe
 * to its end with count_interleaved(), and wait for every writer
 * [spec:interleave-waits-every-writer]. Fills e->pieces and e->interleaved.
 * Returns 0, or -1 after printing why.
 */
static int run_experiment(struct experiment *e)
{
    /* TODO (handout section 5.4): make the pipe; fork every writer (writer i calls
     * write_records() with the letter 'A' + i, then _exit()s); close the write end
     * in the parent; count_interleaved() the read end; waitpid() every writer. */
    (void)e;
    fprintf(stderr, "interleave: run_experiment() is not written yet "
                    "(TODO in interleave.c, handouts/05-pipes.md section 5.4)\n");
    return -1;
    /* END TODO */
}

int main(int argc, char **argv)
{
    struct experiment e = { 4, 200, PIPE_BUF, 0, 0 };

    if (argc > 4)
        usage();
    if (argc > 1)
        e.writers = (int)number(argv[1], 1, MAX_WRITERS);
    if (argc > 2)
        e.records = number(argv[2], 1, LONG_MAX / MAX_WRITERS);
    if (argc > 3)
        e.size = (size_t)number(argv[3], RECORD_MIN, RECORD_MAX);

    if (run_experiment(&e) == -1)
        return EXIT_FAILURE;
    printf("%d writers x %ld records of %zu bytes: %ld of %ld records interleaved\n",
           e.writers, e.records, e.size, e.interleaved, e.pieces);
    if (fflush(stdout) == EOF) {
        perror("interleave: stdout");
        return EXIT_FAILURE;
    }
    return EXIT_SUCCESS;
}
