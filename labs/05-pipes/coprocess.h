/*
 * coprocess.h - talk to a child over two pipes: one to its standard input,
 * one from its standard output.
 *
 * Handout: handouts/05-pipes.md, section 7.
 */
#ifndef COPROCESS_H
#define COPROCESS_H

#include <stddef.h>

/*
 * Run argv (execvp) as a coprocess: send it the input_length bytes of input
 * on its standard input, then close it; collect everything it writes on its
 * standard output until it closes it; wait for it. Its standard error is
 * ours. Neither side may block the other, whatever the sizes: the input and
 * the output may both be much larger than a pipe holds
 * [spec:coprocess-no-deadlock] [spec:coprocess-large-output]. A poll() or
 * waitpid() that a signal interrupts (EINTR) is made again
 * [spec:coprocess-eintr].
 *
 * A child that exits without reading all of its input (like head -n 1) is
 * not an error: the rest of the input is dropped, and the caller is not
 * killed by SIGPIPE [spec:coprocess-child-stops-reading]. SIGPIPE is ignored
 * only in the caller, after fork(), and only while it talks: the command
 * starts with the caller's action [spec:coprocess-child-sigpipe-default], and
 * the caller gets its own action back, whatever it was
 * [spec:coprocess-sigpipe-restored]. A command that cannot be executed prints
 * "coprocess: NAME: reason" on standard error and exits with 127
 * [spec:coprocess-exec-fails-127].
 *
 * On success *output points to the output (malloc'd, free it; followed by
 * a '\0' that *output_length does not count: no output is an empty string
 * [spec:coprocess-output-terminated]) and the result is the child's status
 * as shell_status() gives it [spec:coprocess-status]; no descriptor stays
 * open and the child has been waited for [spec:coprocess-closes-and-waits].
 * On failure: -1 with the errno of the call that failed, *output untouched,
 * every descriptor closed, SIGPIPE's action as it was
 * [spec:coprocess-failure-cleanup].
 */
int coprocess_run(char *const argv[], const char *input, size_t input_length,
                  char **output, size_t *output_length);

#endif
