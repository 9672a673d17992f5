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
    if (WIFEXITED(wait_status))
        return WEXITSTATUS(wait_status);
    if (WIFSIGNALED(wait_status))
        return 128 + WTERMSIG(wait_status);
    errno = EINVAL;
    return -1;
}

/* In the child: move input_fd to 0 and output_fd to 1, close what the command
 * must not see, and become the command. Never returns. */
static void exec_command(char **argv, int input_fd, int output_fd, int unused_fd)
{
    if (input_fd != STDIN_FILENO) {
        if (dup2(input_fd, STDIN_FILENO) == -1) {
            perror("pipeline: dup2");
            _exit(126);
        }
        close(input_fd);
    }
    if (output_fd != STDOUT_FILENO) {
        if (dup2(output_fd, STDOUT_FILENO) == -1) {
            perror("pipeline: dup2");
            _exit(126);
        }
        close(output_fd);
    }
    if (unused_fd != -1)
        close(unused_fd);       /* the read end of our own output pipe */
    execvp(argv[0], argv);
    fprintf(stderr, "pipeline: %s: %s\n", argv[0], strerror(errno));
    _exit(127);                 /* as the shell does for a command it cannot run */
}

/* Wait for one child, retrying when a signal interrupts. */
static int wait_for(pid_t pid, int *wait_status)
{
    while (waitpid(pid, wait_status, 0) == -1)
        if (errno != EINTR)
            return -1;
    return 0;
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
    pid_t *pids;
    int previous_read = STDIN_FILENO;   /* where the next command reads from */
    int started = 0, saved_errno = 0;

    if (count < 1) {
        errno = EINVAL;
        return -1;
    }
    pids = malloc((size_t)count * sizeof *pids);
    if (pids == NULL)
        return -1;

    for (int i = 0; i < count; i++) {
        int next[2] = { -1, STDOUT_FILENO };    /* the last command writes to our 1 */

        if (i < count - 1 && pipe(next) == -1) {
            saved_errno = errno;
            break;
        }
        pid_t pid = fork();
        if (pid == -1) {
            saved_errno = errno;
            if (next[0] != -1) {
                close(next[0]);
                close(next[1]);
            }
            break;
        }
        if (pid == 0)
            exec_command(commands[i], previous_read, next[1], next[0]);

        /* The parent keeps only the read end that the next command needs. */
        pids[started++] = pid;
        if (previous_read != STDIN_FILENO)
            close(previous_read);
        if (next[1] != STDOUT_FILENO)
            close(next[1]);
        previous_read = next[0];
    }
    if (saved_errno != 0 && previous_read != STDIN_FILENO && previous_read != -1)
        close(previous_read);

    /* Every child is waited for, or it stays a zombie until we exit. */
    int last_status = 0;
    for (int i = 0; i < started; i++) {
        int wait_status;
        if (wait_for(pids[i], &wait_status) == -1) {
            if (saved_errno == 0)
                saved_errno = errno;
            continue;
        }
        if (i == count - 1)
            last_status = shell_status(wait_status);
    }
    free(pids);
    if (saved_errno != 0) {
        errno = saved_errno;
        return -1;
    }
    return last_status;
    /* END TODO */
}
