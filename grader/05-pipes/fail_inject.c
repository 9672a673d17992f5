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
 * EBADF, EINTR, ENFILE, ENOMEM) or a number, EAGAIN when left out. A failed
 * call does nothing but set errno and return -1.
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

#include <errno.h>
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

static char spec[256];          /* what fails: PIPELAB_FAIL's syntax */
static int armed;               /* spec has been read (from the environment or arm) */
static int calls[NAMES];

void fail_inject_arm(const char *failures)
{
    size_t length = strlen(failures);
    if (length >= sizeof spec)
        length = sizeof spec - 1;
    memcpy(spec, failures, length);
    spec[length] = '\0';
    memset(calls, 0, sizeof calls);
    armed = 1;
}

static int errno_named(const char *text, size_t length)
{
    static const struct { const char *name; int value; } known[] = {
        { "EAGAIN", EAGAIN }, { "EMFILE", EMFILE }, { "EBUSY", EBUSY }, { "EBADF", EBADF },
        { "EINTR", EINTR }, { "ENFILE", ENFILE }, { "ENOMEM", ENOMEM },
    };
    if (length == 0)
        return EAGAIN;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strlen(known[i].name) == length && strncmp(known[i].name, text, length) == 0)
            return known[i].value;
    return atoi(text) > 0 ? atoi(text) : EAGAIN;
}

/* Count a call of names[which]; 1 (errno set) when the spec says it fails. */
static int injected_failure(int which)
{
    size_t name_length = strlen(names[which]);

    if (!armed) {
        const char *from_environment = getenv("PIPELAB_FAIL");
        fail_inject_arm(from_environment != NULL ? from_environment : "");
    }
    ++calls[which];
    for (const char *item = spec; *item != '\0';) {
        size_t length = strcspn(item, ",");
        if (length > name_length && strncmp(item, names[which], name_length) == 0 &&
            item[name_length] == ':' && atoi(item + name_length + 1) == calls[which]) {
            const char *colon = memchr(item + name_length + 1, ':', length - name_length - 1);
            errno = colon == NULL ? EAGAIN
                                  : errno_named(colon + 1, (size_t)(item + length - colon - 1));
            return 1;
        }
        item += length + (item[length] == ',');
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
