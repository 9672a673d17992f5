/*
 * counter.c - lost updates: several processes add 1 to a counter in shared
 * memory, with or without a mutex semaphore around the addition.
 *
 * Usage: counter [-p PROCESSES] [-i INCREMENTS] [--no-mutex]
 *
 * Each of PROCESSES children (default 4) adds 1 to the shared counter
 * INCREMENTS times (default 1000000). The children wait at a start barrier
 * until all of them exist, so that they really run at the same time. Prints:
 *
 *   expected 4000000
 *   actual   4000000
 *
 * With --no-mutex, `value++` (load, add, store) of one process interleaves
 * with another's, and updates are lost: actual < expected.
 *
 * Handout: handouts/04-shared-memory.md, section 7.
 */
#include "args.h"

#include <errno.h>
#include <getopt.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

/* What the processes share: one mapping, made before fork(). */
struct shared_counter {
    sem_t mutex;                /* 1: one process at a time adds */
    volatile long value;        /* volatile: each ++ really loads and stores */
};

static void usage(void)
{
    fprintf(stderr, "usage: counter [-p PROCESSES] [-i INCREMENTS] [--no-mutex]\n");
    exit(2);
}

/* The counter in a new MAP_SHARED mapping, 0, with its mutex. NULL on error. */
static struct shared_counter *create_counter(void)
{
    /* TODO (handout section 7): mmap a struct shared_counter MAP_SHARED |
     * MAP_ANONYMOUS (before fork, so that the children share it), set the
     * value to 0 and sem_init the mutex with pshared = 1 and the value 1. */
    struct shared_counter *counter = mmap(NULL, sizeof *counter, PROT_READ | PROT_WRITE,
                                          MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (counter == MAP_FAILED) {
        perror("counter: mmap");
        return NULL;
    }
    counter->value = 0;
    /* pshared = 1: the children use it too. */
    if (sem_init(&counter->mutex, 1, 1) == -1) {
        perror("counter: sem_init");
        munmap(counter, sizeof *counter);
        return NULL;
    }
    return counter;
    /* END TODO */
}

/* Destroy the mutex and unmap the counter. Returns 0 or -1. */
static int destroy_counter(struct shared_counter *counter)
{
    /* TODO (handout section 7): sem_destroy the mutex, munmap the counter. */
    int result = 0;

    if (sem_destroy(&counter->mutex) == -1) {
        perror("counter: sem_destroy");
        result = -1;
    }
    if (munmap(counter, sizeof *counter) == -1) {
        perror("counter: munmap");
        result = -1;
    }
    return result;
    /* END TODO */
}

/* A child: wait at the barrier, then add 1 increments times. Never returns. */
static void add(struct shared_counter *counter, long increments, int use_mutex, int barrier)
{
    /* TODO (handout section 7): read from the barrier until end of file;
     * then increments times: sem_wait(mutex) (if use_mutex; again after
     * EINTR), counter->value++, sem_post(mutex) (if use_mutex). End with
     * _exit(): a child must not return into main(). */
    char byte;
    ssize_t got;

    do
        got = read(barrier, &byte, 1);      /* end of file: everyone exists */
    while (got == -1 && errno == EINTR);
    if (got == -1) {
        perror("counter: read the start barrier");
        _exit(EXIT_FAILURE);
    }
    for (long i = 0; i < increments; i++) {
        if (use_mutex) {
            while (sem_wait(&counter->mutex) == -1) {
                if (errno != EINTR) {
                    perror("counter: sem_wait");
                    _exit(EXIT_FAILURE);
                }
            }
        }
        counter->value++;
        if (use_mutex && sem_post(&counter->mutex) == -1) {
            perror("counter: sem_post");
            _exit(EXIT_FAILURE);
        }
    }
    _exit(EXIT_SUCCESS);
    /* END TODO */
}

/* Start the children, open the barrier, wait for all. Returns 0 or -1. */
static int run_children(struct shared_counter *counter, long processes, long increments,
                        int use_mutex)
{
    /* TODO (handout section 7): make the barrier (a pipe); fork processes
     * children that close the write end and call add(); close both ends
     * (every child then reads end of file and starts); wait for every child
     * and return -1 if one did not exit with status 0. */
    int barrier[2], result = 0;
    long started = 0;

    if (pipe(barrier) == -1) {
        perror("counter: pipe");
        return -1;
    }
    for (; started < processes; started++) {
        pid_t pid = fork();
        if (pid == -1) {
            perror("counter: fork");
            result = -1;
            break;
        }
        if (pid == 0) {
            close(barrier[1]);
            add(counter, increments, use_mutex, barrier[0]);
        }
    }
    close(barrier[0]);
    close(barrier[1]);              /* the barrier opens: every child reads end of file */

    for (long i = 0; i < started; i++) {
        int status;
        if (wait(&status) == -1) {
            perror("counter: wait");
            return -1;
        }
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "counter: a child process failed (wait status %#x)\n", status);
            result = -1;
        }
    }
    return result;
    /* END TODO */
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        { "no-mutex", no_argument, NULL, 'n' },
        { NULL, 0, NULL, 0 },
    };
    long processes = 4, increments = 1000000;
    int use_mutex = 1, option, status = EXIT_SUCCESS;

    while ((option = getopt_long(argc, argv, "p:i:", options, NULL)) != -1) {
        if (option == 'n')
            use_mutex = 0;
        else if (parse_count_option(option, optarg, 1000000000L, &processes, &increments) == -1)
            usage();
    }
    if (optind != argc)
        usage();

    struct shared_counter *counter = create_counter();
    if (counter == NULL)
        return EXIT_FAILURE;

    if (run_children(counter, processes, increments, use_mutex) == -1)
        status = EXIT_FAILURE;
    else
        printf("expected %ld\nactual   %ld\n", processes * increments, counter->value);

    if (destroy_counter(counter) == -1)
        status = EXIT_FAILURE;
    if (fflush(stdout) == EOF) {
        perror("counter: standard output");
        status = EXIT_FAILURE;
    }
    return status;
}
