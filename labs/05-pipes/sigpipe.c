/*
 * sigpipe.c - show both ways a write to a pipe without a reader ends.
 *
 * Usage: sigpipe
 *
 *   $ sigpipe
 *   SIGPIPE default: the writer was killed by signal 13 (Broken pipe)
 *   SIGPIPE ignored: write() failed with EPIPE (Broken pipe)
 *
 * Each writer is a child process, so that the one that is killed is not us
 * [spec:sigpipe-program].
 *
 * Handout: handouts/05-pipes.md, section 4.
 */
#define _GNU_SOURCE             /* strsignal */
#include "brokenpipe.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * Fork a child that sets SIGPIPE's action (ignored, or the default: set it
 * either way, an ignored signal is inherited [spec:sigpipe-sets-action-either-way])
 * and calls write_without_reader(). The child exits with 0 if the write
 * succeeded, or with the write's errno. Returns the child's wait status, or
 * -1 after printing why.
 */
static int run_writer(int ignore_sigpipe)
{
    /* TODO (handout section 4.2): fork; in the child, set SIGPIPE to SIG_IGN or to
     * SIG_DFL (set it either way: an ignored signal is inherited), call
     * write_without_reader(), and _exit(errno) if it failed or _exit(0). In the
     * parent, waitpid() and return the wait status. */
    (void)ignore_sigpipe;
    fprintf(stderr, "sigpipe: run_writer() is not written yet "
                    "(TODO in sigpipe.c, handouts/05-pipes.md section 4.2)\n");
    return -1;
    /* END TODO */
}

/* Print what became of a writer. */
static void describe(const char *label, int wait_status)
{
    printf("%s: ", label);
    if (WIFSIGNALED(wait_status))
        printf("the writer was killed by signal %d (%s)\n", WTERMSIG(wait_status),
               strsignal(WTERMSIG(wait_status)));
    else if (WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == EPIPE)
        printf("write() failed with EPIPE (%s)\n", strerror(EPIPE));
    else if (WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == ENOSYS)
        printf("write_without_reader() is not written yet "
               "(TODO in brokenpipe.c, handouts/05-pipes.md section 4.1)\n");
    else if (WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0)
        printf("write() succeeded: was the read end still open?\n");
    else
        printf("the writer exited with status %d\n", WEXITSTATUS(wait_status));
}

int main(int argc, char **argv)
{
    (void)argv;
    if (argc != 1) {
        fprintf(stderr, "usage: sigpipe\n");
        return 2;
    }
    int by_default = run_writer(0);
    if (by_default == -1)
        return EXIT_FAILURE;
    describe("SIGPIPE default", by_default);
    int ignored = run_writer(1);
    if (ignored == -1)
        return EXIT_FAILURE;
    describe("SIGPIPE ignored", ignored);
    if (fflush(stdout) == EOF) {
        perror("sigpipe: stdout");
        return EXIT_FAILURE;
    }
    return EXIT_SUCCESS;
}
