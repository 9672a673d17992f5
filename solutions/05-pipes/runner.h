/*
 * runner.h - run commands connected by pipes, like the shell's cmd1 | cmd2 | ...
 *
 * Handout: handouts/05-pipes.md, section 2.
 */
#ifndef RUNNER_H
#define RUNNER_H

/*
 * The status a shell reports ($?) for a wait status from waitpid():
 * the exit code (0-255) of a process that exited, or 128 + the signal
 * number of a process that a signal killed. Anything else: -1, errno EINVAL.
 */
int shell_status(int wait_status);

/*
 * Run count commands at once, each one's standard output connected by a
 * pipe to the next one's standard input. commands[i] is a NULL-terminated
 * argv for execvp(). The first command reads the caller's standard input,
 * the last one writes to the caller's standard output, and all of them share
 * its standard error.
 *
 * Each command sees only the descriptors 0, 1 and 2 that it should see; the
 * caller gets back every descriptor it lent; every child is waited for.
 * A command that cannot be executed prints "pipeline: NAME: reason" on
 * standard error and exits with 127, as in the shell.
 *
 * Returns the last command's status as shell_status() gives it, or -1 with
 * errno set when a pipe or a process cannot be created.
 */
int pipeline_run(char **const commands[], int count);

#endif
