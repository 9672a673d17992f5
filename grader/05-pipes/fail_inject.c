/*
 * fail_inject.c - failure injection for lab 05's tests: linked (ld --wrap)
 * into test-only builds, it makes the Nth call of fork, pipe or dup2 fail
 * with a chosen errno, as on a machine out of processes or descriptors, so
 * that a test can take the ways out that a real run seldom takes (the
 * clean-up after a failed fork, a child whose dup2 fails).
 *
 *   PIPELAB_FAIL=NAME:N[:ERRNO][,NAME:N[:ERRNO]...]
 *
 * NAME is fork, pipe (pipe and pipe2 count as one) or dup2 (dup2 and dup3);
 * N counts that name's calls from 1; ERRNO is a name (EAGAIN, EMFILE, EBUSY,
 * EBADF, EINTR, ENFILE, ENOMEM, ...: the table of lib/failspec.c, which reads
 * the setting) or a number, EAGAIN when left out. At most 8 items; a setting
 * that is not of this form stops the program (status 125) with a message. A
 * failed call does nothing but set errno and return -1.
 *
 * Calls are counted per process. A forked child goes on from its parent's
 * counts (so "dup2:1" makes the first dup2 of every child fail when the
 * parent itself calls none); a program that execs starts again from 0. A
 * Check suite calls fail_inject_arm() (fail_inject.h) in the process under
 * test instead of setting the variable: the counts start there, and the
 * test's own calls before it do not count. Without either, every call is
 * passed on unchanged.
 */
#define _GNU_SOURCE
#include "fail_inject.h"
#include "failspec.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int __real_fork(void);
int __real_pipe(int fds[2]);
int __real_pipe2(int fds[2], int flags);
int __real_dup2(int old_fd, int new_fd);
int __real_dup3(int old_fd, int new_fd, int flags);

enum { FORK, PIPE, DUP2, NAMES };
static const char *const names[NAMES] = { "fork", "pipe", "dup2" };
enum { MOST_FAILURES = 8 };

static struct failspec failing_calls[MOST_FAILURES];    /* PIPELAB_FAIL's items */
static int failing_count;
static int armed;               /* the items have been read (from the environment or arm) */
static int calls[NAMES];

void fail_inject_arm(const char *failures)
{
    failing_count = failspec_parse(failures, names, NAMES, failing_calls, MOST_FAILURES);
    if (failing_count == -1) {
        fprintf(stderr, "fail_inject: \"%s\": expected at most %d of NAME:N[:ERRNO], "
                "separated by commas, NAME fork, pipe or dup2\n", failures, MOST_FAILURES);
        exit(125);
    }
    memset(calls, 0, sizeof calls);
    armed = 1;
}

/* Count a call of names[which]; 1 (errno set) when an item says it fails. */
static int injected_failure(int which)
{
    if (!armed) {
        const char *from_environment = getenv("PIPELAB_FAIL");
        fail_inject_arm(from_environment != NULL ? from_environment : "");
    }
    ++calls[which];
    for (int i = 0; i < failing_count; i++) {
        if (failing_calls[i].name == which && failing_calls[i].call == calls[which]) {
            errno = failing_calls[i].error != 0 ? failing_calls[i].error : EAGAIN;
            return 1;
        }
    }
    return 0;
}

int __wrap_fork(void)
{
    return injected_failure(FORK) ? -1 : __real_fork();
}

int __wrap_pipe(int fds[2])
{
    return injected_failure(PIPE) ? -1 : __real_pipe(fds);
}

int __wrap_pipe2(int fds[2], int flags)
{
    return injected_failure(PIPE) ? -1 : __real_pipe2(fds, flags);
}

int __wrap_dup2(int old_fd, int new_fd)
{
    return injected_failure(DUP2) ? -1 : __real_dup2(old_fd, new_fd);
}

int __wrap_dup3(int old_fd, int new_fd, int flags)
{
    return injected_failure(DUP2) ? -1 : __real_dup3(old_fd, new_fd, flags);
}
