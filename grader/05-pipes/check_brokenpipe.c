/*
 * check_brokenpipe.c - Check tests for lab 05: write_without_reader(), with
 * SIGPIPE at its default action and with SIGPIPE ignored.
 *
 * Each call runs in a child process of the test (pipetest.h): with the
 * default action it is supposed to kill its caller.
 */
#define _GNU_SOURCE
#include "pipetest.h"
#include "brokenpipe.h"

#include <sys/resource.h>

enum { DEADLINE = 5 };

struct sigpipe_call {
    int ignore;
    struct outcome *outcome;
};

static void call_write_without_reader(void *arg)
{
    struct sigpipe_call *call = arg;
    struct outcome *outcome = call->outcome;

    signal(SIGPIPE, call->ignore ? SIG_IGN : SIG_DFL);
    outcome->fds_before = open_descriptors(NULL, 0);
    errno = 0;
    outcome->result = (int)write_without_reader();
    outcome->error = errno;
    outcome->fds_after = open_descriptors(outcome->fd_list, sizeof outcome->fd_list);
}

/* Run write_without_reader() in a child; return its wait status. */
static int run(int ignore, struct outcome *outcome)
{
    struct sigpipe_call call = { ignore, outcome };
    int wait_status;

    if (!finishes_within(DEADLINE, "write_without_reader", call_write_without_reader, &call,
                         -1, -1, -1, &wait_status))
        ck_abort_msg("write_without_reader() %s. A write() waits only when the pipe is full "
                     "(one byte into a new pipe does not) and when the read end is still "
                     "open: is it closed before the write?", hang_details());
    return wait_status;
}

LAB_TEST_WITH_TIMEOUT(writing_without_a_reader_kills_the_writer_with_SIGPIPE, 2, "4.1", "", 2 * DEADLINE)
{
    struct outcome *outcome = shared_outcome();
    int wait_status = run(0, outcome);

    if (WIFSIGNALED(wait_status))
        ck_assert_msg(WTERMSIG(wait_status) == SIGPIPE,
                      "with SIGPIPE at its default action, the caller of write_without_reader() "
                      "was killed by signal %d (%s); expected SIGPIPE (%d)",
                      WTERMSIG(wait_status), strsignal(WTERMSIG(wait_status)), SIGPIPE);
    else
        ck_abort_msg("with SIGPIPE at its default action, write_without_reader() returned %d "
                     "(errno: %s) and its caller lived on; expected the kernel to kill it "
                     "with SIGPIPE: close the read end, then write into the write end%s",
                     outcome->result, strerror(outcome->error),
                     outcome->error == ENOSYS ? " (it is not written yet)" : "");
}
END_TEST

LAB_TEST_WITH_TIMEOUT(with_SIGPIPE_ignored_the_write_fails_with_EPIPE, 2, "4.1", "", 2 * DEADLINE)
{
    struct outcome *outcome = shared_outcome();
    int wait_status = run(1, outcome);

    expect_clean_end("write_without_reader() with SIGPIPE ignored", wait_status);
    ck_assert_msg(outcome->result == -1 && outcome->error == EPIPE,
                  "with SIGPIPE ignored, write_without_reader() returned %d (errno: %s); "
                  "expected -1 with errno EPIPE", outcome->result, strerror(outcome->error));
    ck_assert_msg(outcome->fds_after == outcome->fds_before,
                  "the caller had %d open descriptors before write_without_reader() and %d "
                  "after (%s): close both ends of the pipe, and keep errno from the write",
                  outcome->fds_before, outcome->fds_after, outcome->fd_list);
}
END_TEST

/* write_without_reader() when no descriptor is left for a pipe. */
static void call_without_descriptors(void *arg)
{
    struct outcome *outcome = arg;
    struct rlimit limit;

    close_range(3, ~0U, 0);
    if (getrlimit(RLIMIT_NOFILE, &limit) == -1)
        _exit(125);
    limit.rlim_cur = 3;         /* 0, 1 and 2: no room for a pipe */
    if (setrlimit(RLIMIT_NOFILE, &limit) == -1)
        _exit(125);
    errno = 0;
    outcome->result = (int)write_without_reader();
    outcome->error = errno;
}

LAB_TEST_WITH_TIMEOUT(writing_without_a_reader_fails_when_no_pipe_can_be_made, 1, "4.1", "", 2 * DEADLINE)
{
    struct outcome *outcome = shared_outcome();
    int wait_status;

    if (!finishes_within(DEADLINE, "write_without_reader", call_without_descriptors, outcome,
                         -1, -1, -1, &wait_status))
        ck_abort_msg("write_without_reader() %s", hang_details());
    expect_clean_end("write_without_reader() when pipe() fails", wait_status);
    ck_assert_msg(outcome->result == -1 && outcome->error == EMFILE,
                  "write_without_reader(), when pipe() fails with EMFILE (no descriptor "
                  "left), returned %d (errno: %s); expected -1 with errno EMFILE: check what "
                  "pipe() returns before using the descriptors", outcome->result,
                  strerror(outcome->error));
}
END_TEST
