/*
 * runner.c - run a pipeline: pipe, fork, dup2, execvp and waitpid.
 *
 * Handout: handouts/05-pipes.md, section 2.
 */
#include "runner.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int shell_status(int wait_status)
{
    /* TODO (handout section 2.5): a process that exited gives its exit code
     * (WIFEXITED, WEXITSTATUS); one that a signal killed gives 128 + the signal
     * number (WIFSIGNALED, WTERMSIG). Anything else: errno = EINVAL, -1. */
    (void)wait_status;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}

int pipeline_run(char **const commands[], int count)
{
    /* TODO (handout section 2.2-2.6): for each command, make the pipe to the next
     * one (not for the last), fork, and in the child dup2() the read end of the
     * previous pipe onto 0 and the write end of the new one onto 1, close every
     * pipe descriptor, and execvp(); if that fails, print "pipeline: NAME: reason"
     * and _exit(127). In the parent, close each end as soon as the child that needs
     * it is started. Start every command before waiting for any, then waitpid()
     * every child, and return shell_status() of the last. */
    (void)commands;
    (void)count;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}
