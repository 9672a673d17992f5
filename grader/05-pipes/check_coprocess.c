/*
 * check_coprocess.c - Check tests for lab 05: coprocess_run(), two pipes to
 * and from a child, with inputs and outputs larger than a pipe holds.
 *
 * A deadlock is the typical mistake here, so coprocess_run() runs in a child
 * process of the test (pipetest.h) with a deadline. That child hands the
 * output back through a memfd.
 */
#define _GNU_SOURCE
#include "pipetest.h"
#include "coprocess.h"

enum { DEADLINE = 10, MEGABYTE = 1024 * 1024 };

struct coprocess_call {
    char *const *argv;
    const char *input;
    size_t input_length;
    int output_fd;              /* where the child puts the output */
    struct outcome *outcome;
};

/* values[0]: output length; values[1]: SIGPIPE's action afterwards was SIG_IGN;
 * values[2]: SIGPIPE's action before was SIG_IGN. */
static void call_coprocess_run(void *arg)
{
    struct coprocess_call *call = arg;
    struct outcome *outcome = call->outcome;
    struct sigaction action;
    char *output = NULL;
    size_t output_length = 0;

    sigaction(SIGPIPE, NULL, &action);
    outcome->values[2] = action.sa_handler == SIG_IGN;
    outcome->fds_before = open_descriptors(NULL, 0);
    errno = 0;
    outcome->result = coprocess_run(call->argv, call->input, call->input_length, &output,
                                    &output_length);
    outcome->error = errno;
    outcome->fds_after = open_descriptors(outcome->fd_list, sizeof outcome->fd_list);
    find_leftover_child(outcome);
    sigaction(SIGPIPE, NULL, &action);
    outcome->values[1] = action.sa_handler == SIG_IGN;
    if (outcome->result != -1) {
        outcome->values[0] = (long)output_length;
        if (write(call->output_fd, output, output_length) != (ssize_t)output_length)
            outcome->values[0] = -1;
        free(output);
    }
}

static const char *describe(char *const argv[])
{
    static char text[200];
    size_t used = 0;
    text[0] = '\0';
    for (char *const *word = argv; *word != NULL && used < sizeof text; word++) {
        int n = snprintf(text + used, sizeof text - used, "%s%s", used == 0 ? "" : " ", *word);
        if (n > 0)
            used += (size_t)n;
    }
    return text;
}

struct run {
    struct outcome *outcome;
    char *output;
    size_t output_length;
    char *errors;
    int wait_status;
};

/* coprocess_run(argv, input) in a child with a deadline; fails on a hang. */
static struct run run(char *const argv[], const char *input, size_t input_length,
                      const char *if_it_hangs)
{
    struct run result = { shared_outcome(), NULL, 0, NULL, 0 };
    int out = memfd_with(""), err = memfd_with("");
    struct coprocess_call call = { argv, input, input_length, out, result.outcome };

    if (!finishes_within(DEADLINE, call_coprocess_run, &call, -1, -1, err, &result.wait_status))
        ck_abort_msg("coprocess_run(\"%s\") with %zu bytes of input did not return within "
                     "%u s: %s", describe(argv), input_length, scaled(DEADLINE), if_it_hangs);
    result.output = memfd_text(out, &result.output_length);
    result.errors = memfd_text(err, NULL);
    close(out);
    close(err);
    return result;
}

/* Fail unless coprocess_run returned normally with status expected. */
static void expect_status(struct run got, char *const argv[], int expected)
{
    expect_clean_end("coprocess_run()", got.wait_status);
    ck_assert_msg(got.outcome->result != -1 || got.outcome->error != ENOSYS,
                  "coprocess_run() is not written yet (it fails with ENOSYS)");
    ck_assert_msg(got.outcome->result == expected,
                  "coprocess_run(\"%s\") returned %d (errno: %s); expected %d", describe(argv),
                  got.outcome->result, strerror(got.outcome->error), expected);
}

/* A megabyte of numbered lines: any lost or repeated piece shows. */
static char *megabyte_of_lines(void)
{
    char *text = malloc(MEGABYTE + 1);
    ck_assert_msg(text != NULL, "test setup: malloc failed");
    for (int i = 0; i < MEGABYTE / 8; i++)
        snprintf(text + 8 * i, 9, "%07d\n", i);
    return text;
}

static void expect_same(struct run got, char *const argv[], const char *expected,
                        size_t expected_length, const char *hint)
{
    size_t at = 0;
    while (at < got.output_length && at < expected_length &&
           got.output[at] == expected[at])
        at++;
    ck_assert_msg(got.output_length == expected_length && at == expected_length,
                  "coprocess_run(\"%s\") gave %zu bytes of output; expected %zu, the same up to "
                  "byte %zu: got \"%.24s\" there, expected \"%.24s\". %s", describe(argv),
                  got.output_length, expected_length, at, shown(got.output + at),
                  shown(expected + at), hint);
}

static char *cat[] = { "cat", NULL };

LAB_TEST_WITH_TIMEOUT(coprocess_sends_a_megabyte_through_cat_without_deadlock, 3, "7.2", "", 2 * DEADLINE)
{
    char *input = megabyte_of_lines();
    struct run got = run(cat, input, MEGABYTE,
                         "a deadlock. cat stops reading when its output pipe is full; if you "
                         "are still writing its input then, both wait forever. Read its output "
                         "while you write (poll() both pipes)");
    expect_status(got, cat, 0);
    expect_same(got, cat, input, MEGABYTE,
                "A write() to a pipe may write fewer bytes than asked (O_NONBLOCK, or a full "
                "pipe): continue from where it stopped, with what it returned");
    free(input);
}
END_TEST

LAB_TEST_WITH_TIMEOUT(coprocess_collects_output_larger_than_a_pipe, 2, "7.1", "", 2 * DEADLINE)
{
    char *seq[] = { "seq", "1", "100000", NULL };
    size_t length = 0;
    char *expected = malloc(MEGABYTE);
    ck_assert_msg(expected != NULL, "test setup: malloc failed");
    for (int i = 1; i <= 100000; i++)
        length += (size_t)sprintf(expected + length, "%d\n", i);

    struct run got = run(seq, "", 0,
                         "seq writes 588895 bytes; it waits when its pipe is full (65536), "
                         "until you read. Read its output to end-of-file first, then waitpid()");
    expect_status(got, seq, 0);
    expect_same(got, seq, expected, length, "");
    free(expected);
}
END_TEST

LAB_TEST_WITH_TIMEOUT(coprocess_survives_a_child_that_stops_reading, 2, "7.3", "", 2 * DEADLINE)
{
    char *head[] = { "head", "-c", "5", NULL };
    char *input = megabyte_of_lines();
    struct run got = run(head, input, MEGABYTE,
                         "head exits after 5 bytes; the rest of the input cannot be sent. "
                         "A write() then fails with EPIPE (SIGPIPE ignored): stop writing, "
                         "close the pipe, and read on to end-of-file");
    if (WIFSIGNALED(got.wait_status) && WTERMSIG(got.wait_status) == SIGPIPE)
        ck_abort_msg("coprocess_run(\"head -c 5\") with 1 MiB of input killed its caller with "
                     "SIGPIPE: head exits before it reads everything. Ignore SIGPIPE while "
                     "you write (in the parent, after fork) and take EPIPE as the end of "
                     "the input");
    expect_status(got, head, 0);
    expect_same(got, head, "0000000", 5, "");
    ck_assert_msg(got.outcome->values[1] == got.outcome->values[2],
                  "SIGPIPE was %s before coprocess_run() and %s after it: put back the "
                  "action the caller had", got.outcome->values[2] ? "ignored" : "not ignored",
                  got.outcome->values[1] ? "ignored" : "not ignored");
    free(input);
}
END_TEST

LAB_TEST_WITH_TIMEOUT(coprocess_returns_the_status_of_the_child, 1, "7.4", "", 4 * DEADLINE)
{
    char *exit_seven[] = { "sh", "-c", "exit 7", NULL };
    char *killed[] = { "sh", "-c", "kill -TERM $$", NULL };
    char *missing[] = { "no-such-command-05", NULL };
    const char *hang = "the child ended at once, so nothing should wait";

    expect_status(run(exit_seven, "", 0, hang), exit_seven, 7);
    expect_status(run(killed, "", 0, hang), killed, 128 + SIGTERM);
    struct run got = run(missing, "", 0, hang);
    expect_status(got, missing, 127);
    ck_assert_msg(strstr(got.errors, "no-such-command-05") != NULL,
                  "coprocess_run(\"no-such-command-05\") wrote \"%s\" on standard error; "
                  "expected a message that names the command", shown(got.errors));
}
END_TEST

LAB_TEST_WITH_TIMEOUT(coprocess_waits_for_its_child_and_closes_its_pipes, 2, "7.4", "", 2 * DEADLINE)
{
    struct run got = run(cat, "hello\n", 6, "cat gets 6 bytes and end-of-file: close the "
                         "write end when the input is sent");
    struct outcome *outcome = got.outcome;

    expect_status(got, cat, 0);
    expect_same(got, cat, "hello\n", 6, "");
    ck_assert_msg(outcome->leftover == 0,
                  "coprocess_run() returned, but its child %d (%s) was not waited for%s",
                  (int)outcome->leftover, outcome->leftover_command,
                  outcome->leftover_state == 'Z' ? ": it is a zombie" : "");
    ck_assert_msg(outcome->fds_after == outcome->fds_before,
                  "the caller had %d open descriptors before coprocess_run() and %d after "
                  "(%s): close both pipes", outcome->fds_before, outcome->fds_after,
                  outcome->fd_list);
}
END_TEST

LAB_TEST_WITH_TIMEOUT(coprocess_leaves_the_childs_SIGPIPE_alone, 1, "7.3", "", 2 * DEADLINE)
{
    /* grep reads its own status: which signals does the child ignore? */
    char *grep[] = { "grep", "^SigIgn:", "/proc/self/status", NULL };
    char expected[256] = "";
    FILE *status = fopen("/proc/self/status", "r");
    char line[256];

    signal(SIGALRM, SIG_DFL);   /* as in the child that calls coprocess_run() */
    ck_assert_msg(status != NULL, "test setup: /proc/self/status: %s", strerror(errno));
    while (fgets(line, sizeof line, status) != NULL)
        if (strncmp(line, "SigIgn:", 7) == 0)
            snprintf(expected, sizeof expected, "%s", line);
    fclose(status);

    struct run got = run(grep, "", 0, "grep ends at once");
    expect_status(got, grep, 0);
    ck_assert_msg(strcmp(got.output, expected) == 0,
                  "the child's ignored signals are \"%s\", the caller's \"%s\": SIGPIPE "
                  "(0x1000) ignored before fork() stays ignored in the command after exec. "
                  "Ignore it in the parent only, after fork()", shown(got.output),
                  shown(expected));
}
END_TEST
