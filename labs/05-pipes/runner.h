/*
 * runner.h - run commands connected by pipes, like the shell's cmd1 | cmd2 | ...
 *
 * Handout: handouts/05-pipes.md, section 2.
 */
#ifndef RUNNER_H
#define RUNNER_H

/*
 * The status a shell reports ($?) for a wait status from waitpid():
 * the exit code (0-255) of a process that exited [spec:shell-status-exit], or
 * 128 + the signal number of a process that a signal killed
 * [spec:shell-status-signal]. Anything else (a stopped or continued child):
 * -1, errno EINVAL [spec:shell-status-other-einval].
 */
int shell_status(int wait_status);

/*
 * Run count commands at once, each one's standard output connected by a
 * pipe to the next one's standard input. commands[i] is a NULL-terminated
 * argv for execvp(). The first command reads the caller's standard input,
 * the last one writes to the caller's standard output, and all of them share
 * its standard error [spec:run-connects-commands]. count < 1: -1, errno
 * EINVAL, nothing started [spec:run-count-einval].
 *
 * Each command sees only the descriptors 0, 1 and 2 that it should see
 * [spec:run-only-0-1-2], so a reader sees end-of-file once its writer is done
 * [spec:run-end-of-file]; the caller gets back every descriptor it lent
 * [spec:run-gives-back-descriptors]. Every command is started before any is
 * waited for [spec:run-starts-all-before-waiting], and every child is waited
 * for [spec:run-waits-every-child]; a waitpid() that a signal interrupts
 * (EINTR) is made again [spec:run-waitpid-eintr]. A command that cannot be
 * executed prints "pipeline: NAME: reason" on standard error and exits with
 * 127, as in the shell [spec:run-exec-fails-127]; the child never returns
 * from pipeline_run().
 *
 * Returns the last command's status as shell_status() gives it
 * [spec:run-last-status]. When a pipe or a process cannot be created, it
 * closes the pipe ends it holds, waits for the commands it has started, and
 * returns -1 with the errno of the call that failed [spec:run-fails-half-way].
 * Whatever it allocates, it frees [spec:run-frees-memory].
 */
int pipeline_run(char **const commands[], int count);

#endif
