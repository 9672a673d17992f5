/*
 * coproc.c - send our standard input to a command through one pipe, and copy
 * what it answers back through another.
 *
 * Usage: coproc COMMAND [ARG...]
 *
 *   $ echo '2^300000' | coproc bc | wc -c
 *   92966
 *
 * The exit status is the command's, as in the shell.
 *
 * Handout: handouts/05-pipes.md, section 7.
 */
#include "coprocess.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Read all of fd into a malloc'd buffer. Returns it, or NULL with errno. */
static char *read_all(int fd, size_t *length)
{
    size_t capacity = 65536;
    char *data = malloc(capacity);

    *length = 0;
    while (data != NULL) {
        if (*length == capacity) {
            char *bigger = realloc(data, capacity * 2);
            if (bigger == NULL)
                break;
            data = bigger;
            capacity *= 2;
        }
        ssize_t got = read(fd, data + *length, capacity - *length);
        if (got == 0)
            return data;
        if (got == -1 && errno != EINTR)
            break;
        if (got > 0)
            *length += (size_t)got;
    }
    int saved_errno = errno;
    free(data);
    errno = saved_errno;
    return NULL;
}

int main(int argc, char **argv)
{
    char *input, *output;
    size_t input_length, output_length;

    if (argc < 2 || argv[1][0] == '-') {
        fprintf(stderr, "usage: coproc COMMAND [ARG...]\n");
        return 2;
    }
    input = read_all(STDIN_FILENO, &input_length);
    if (input == NULL) {
        perror("coproc: standard input");
        return EXIT_FAILURE;
    }
    int status = coprocess_run(argv + 1, input, input_length, &output, &output_length);
    free(input);
    if (status == -1) {
        if (errno == ENOSYS)
            fprintf(stderr, "coproc: coprocess_run() is not written yet "
                            "(TODO in coprocess.c, handouts/05-pipes.md section 7)\n");
        else
            perror("coproc: coprocess_run");
        return EXIT_FAILURE;
    }
    if (fwrite(output, 1, output_length, stdout) != output_length || fflush(stdout) == EOF) {
        perror("coproc: stdout");
        status = EXIT_FAILURE;
    }
    free(output);
    return status;
}
