/*
 * pipeline.c - run commands connected by pipes, like the shell's |.
 *
 * Usage: pipeline 'COMMAND [ARG...]' ['COMMAND [ARG...]'...]
 *
 *   $ pipeline 'seq 1 5' 'sort -r' 'head -n 2'
 *   5
 *   4
 *
 * Each argument is one command, split into words at blanks (no quoting, no
 * globbing). The exit status is the last command's, as in the shell: its exit
 * code, or 128 + the signal that killed it.
 *
 * Handout: handouts/05-pipes.md, section 2.
 */
#include "runner.h"
#include "words.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(void)
{
    fprintf(stderr, "usage: pipeline 'COMMAND [ARG...]' ['COMMAND [ARG...]'...]\n");
    exit(2);
}

static void free_commands(char ***commands, int count)
{
    for (int i = 0; i < count; i++)
        free_words(commands[i]);
    free(commands);
}

int main(int argc, char **argv)
{
    int count = argc - 1;
    char ***commands;

    if (count < 1 || argv[1][0] == '-')
        usage();
    commands = calloc((size_t)count, sizeof *commands);
    if (commands == NULL) {
        perror("pipeline: calloc");
        return EXIT_FAILURE;
    }
    for (int i = 0; i < count; i++) {
        commands[i] = split_words(argv[i + 1]);
        if (commands[i] == NULL) {
            perror("pipeline: split_words");
            free_commands(commands, i);
            return EXIT_FAILURE;
        }
        if (commands[i][0] == NULL) {
            fprintf(stderr, "pipeline: command %d is empty\n", i + 1);
            free_commands(commands, i + 1);
            usage();
        }
    }

    int status = pipeline_run((char **const *)commands, count);
    if (status == -1) {
        if (errno == ENOSYS)
            fprintf(stderr, "pipeline: pipeline_run() is not written yet "
                            "(TODO in runner.c, handouts/05-pipes.md section 2)\n");
        else
            perror("pipeline: pipeline_run");
        status = EXIT_FAILURE;
    }
    free_commands(commands, count);
    return status;
}
