/*
 * sysvcount.c - the shared counter of counter.c with System V IPC: a shared
 * memory segment and a binary semaphore, both found by a key from ftok().
 *
 * Usage: sysvcount [-p PROCESSES] [-i INCREMENTS] KEYFILE
 *
 * The key is ftok(KEYFILE, SYSVCOUNT_PROJECT). The parent creates the segment
 * and the semaphore; each of PROCESSES children (default 4) opens them again
 * by the key - as an unrelated process would - and adds 1 to the counter
 * INCREMENTS times (default 10000) under the semaphore. The parent prints
 *
 *   expected 40000
 *   actual   40000
 *
 * and removes the segment and the semaphore set, so that `ipcs -m -s` shows
 * nothing left.
 *
 * Handout: handouts/04-shared-memory.md, section 6.4.
 */
#include "args.h"
#include "sysv.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The second argument of ftok(): the grader computes the same key. */
enum { SYSVCOUNT_PROJECT = 'L' };

struct sysv_counter {
    volatile long value;
};

static void usage(void)
{
    fprintf(stderr, "usage: sysvcount [-p PROCESSES] [-i INCREMENTS] KEYFILE\n");
    exit(2);
}

/* A child: open the segment and the semaphore by key, wait at the barrier,
 * add 1 increments times. Never returns. */
static void add(key_t key, long increments, int barrier)
{
    /* TODO (handout section 6.4): binsem_open(key), sysv_shm_open(key, ...)
     * and sysv_shm_attach - as an unrelated process would; read from the
     * barrier until end of file; increments times: binsem_wait, value++,
     * binsem_post; sysv_shm_detach; _exit(). */
    (void)key;
    (void)increments;
    (void)barrier;
    fprintf(stderr, "sysvcount: add() is not written yet "
                    "(TODO in sysvcount.c, handouts/04-shared-memory.md section 6.4)\n");
    _exit(EXIT_FAILURE);
    /* END TODO */
}

/* Start the children, open the barrier, wait for all. Returns 0 or -1. */
static int run_children(key_t key, long processes, long increments)
{
    /* TODO (handout section 6.4): as in counter.c: a pipe as the start
     * barrier, processes children that call add(), close the barrier, wait
     * for every child; -1 if one failed. */
    (void)key;
    (void)processes;
    (void)increments;
    (void)add;
    fprintf(stderr, "sysvcount: run_children() is not written yet "
                    "(TODO in sysvcount.c, handouts/04-shared-memory.md section 6.4)\n");
    return -1;
    /* END TODO */
}

int main(int argc, char **argv)
{
    long processes = 4, increments = 10000;
    int option, status = EXIT_SUCCESS;

    while ((option = getopt(argc, argv, "p:i:")) != -1)
        if (parse_count_option(option, optarg, 100000000L, &processes, &increments) == -1)
            usage();
    if (optind != argc - 1)
        usage();
    const char *keyfile = argv[optind];

    key_t key = ftok(keyfile, SYSVCOUNT_PROJECT);
    if (key == -1) {
        fprintf(stderr, "sysvcount: ftok %s: %s\n", keyfile, strerror(errno));
        return EXIT_FAILURE;
    }
    int semid = binsem_open(key);
    if (semid == -1) {
        perror("sysvcount: binsem_open");
        return EXIT_FAILURE;
    }
    int shmid = sysv_shm_open(key, sizeof(struct sysv_counter));
    if (shmid == -1) {
        perror("sysvcount: sysv_shm_open");
        binsem_remove(semid);
        return EXIT_FAILURE;
    }
    struct sysv_counter *counter = sysv_shm_attach(shmid);
    if (counter == NULL) {
        perror("sysvcount: sysv_shm_attach");
        sysv_shm_remove(shmid);
        binsem_remove(semid);
        return EXIT_FAILURE;
    }
    counter->value = 0;

    if (run_children(key, processes, increments) == -1)
        status = EXIT_FAILURE;
    else
        printf("expected %ld\nactual   %ld\n", processes * increments, counter->value);

    if (sysv_shm_detach(counter) == -1) {
        perror("sysvcount: sysv_shm_detach");
        status = EXIT_FAILURE;
    }
    if (sysv_shm_remove(shmid) == -1) {
        perror("sysvcount: sysv_shm_remove");
        status = EXIT_FAILURE;
    }
    if (binsem_remove(semid) == -1) {
        perror("sysvcount: binsem_remove");
        status = EXIT_FAILURE;
    }
    if (fflush(stdout) == EOF) {
        perror("sysvcount: standard output");
        status = EXIT_FAILURE;
    }
    return status;
}
