/*
 * check_runner.c - Check tests for lab 05: shell_status() and pipeline_run().
 *
 * pipeline_run() runs in a child process of the test (pipetest.h) with
 * memfds as its standard input, output and error, so that a hang fails with
 * a message, and so that the test can look at that process afterwards: are
 * all its children waited for, are all its descriptors given back?
 */
#define _GNU_SOURCE
#include "pipetest.h"
#include "runner.h"

/* ---------- shell_status ---------- */

/* The wait status of a child that runs action: exit with code, or raise signal. */
static int status_of_child(int exit_code, int signal_number)
{
    pid_t child = fork();
    int wait_status;

    ck_assert_msg(child != -1, "test setup: fork: %s", strerror(errno));
    if (child == 0) {
        if (signal_number != 0) {
            signal(signal_number, SIG_DFL);
            raise(signal_number);
        }
        _exit(exit_code);
    }
    ck_assert_msg(waitpid(child, &wait_status, 0) == child, "test setup: waitpid: %s",
                  strerror(errno));
    return wait_status;
}

LAB_TEST(shell_status_gives_the_exit_code_of_a_normal_exit, 2, "2.5", "")
{
    int codes[] = { 0, 1, 3, 127, 255 };
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        int wait_status = status_of_child(codes[i], 0);
        int got = shell_status(wait_status);
        ck_assert_msg(got == codes[i],
                      "shell_status(%#x) for a child that called exit(%d) gave %d; expected %d "
                      "(WEXITSTATUS)", wait_status, codes[i], got, codes[i]);
    }
}
END_TEST

LAB_TEST(shell_status_gives_128_plus_the_signal_of_a_killed_process, 2, "2.5", "")
{
    int signals[] = { SIGTERM, SIGKILL, SIGPIPE, SIGINT };
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        int wait_status = status_of_child(0, signals[i]);
        int got = shell_status(wait_status);
        ck_assert_msg(got == 128 + signals[i],
                      "shell_status(%#x) for a child killed by signal %d (%s) gave %d; "
                      "expected 128 + %d = %d, as the shell says (WIFSIGNALED, WTERMSIG)",
                      wait_status, signals[i], strsignal(signals[i]), got, signals[i],
                      128 + signals[i]);
    }
}
END_TEST

/* ---------- pipeline_run ---------- */

enum { DEADLINE = 5 };

struct pipeline_call {
    char **const *commands;
    int count;
    struct outcome *outcome;
};

static void call_pipeline_run(void *arg)
{
    struct pipeline_call *call = arg;
    struct outcome *outcome = call->outcome;

    outcome->fds_before = open_descriptors(NULL, 0);
    errno = 0;
    outcome->result = pipeline_run(call->commands, call->count);
    outcome->error = errno;
    outcome->fds_after = open_descriptors(outcome->fd_list, sizeof outcome->fd_list);
    find_leftover_child(outcome);
}

/* "printf a | wc -l", for messages. */
static const char *describe(char **const commands[], int count)
{
    static char text[300];
    size_t used = 0;

    text[0] = '\0';
    for (int i = 0; i < count && used < sizeof text; i++) {
        for (char **word = commands[i]; *word != NULL && used < sizeof text; word++) {
            int n = snprintf(text + used, sizeof text - used, "%s%s",
                             used == 0 ? "" : word == commands[i] ? " | " : " ", *word);
            if (n > 0)
                used += (size_t)n;
        }
    }
    return text;
}

struct run {
    struct outcome *outcome;
    char *output;               /* what the pipeline wrote on standard output */
    char *errors;               /* ... and on standard error */
};

/* Run the pipeline with input on its standard input; fail with a message if
 * it does not return in time or crashes. */
static struct run run(const char *input, char **const commands[], int count)
{
    struct run result = { shared_outcome(), NULL, NULL };
    struct pipeline_call call = { commands, count, result.outcome };
    int in = memfd_with(input), out = memfd_with(""), err = memfd_with("");
    int wait_status;

    if (!finishes_within(DEADLINE, call_pipeline_run, &call, in, out, err, &wait_status))
        ck_abort_msg("pipeline_run(%s) did not return within %u s. Either a command never "
                     "sees end-of-file because a write end of its pipe is still open "
                     "somewhere (close every unused end, in the parent and in each child), "
                     "or a command is waited for before the next one starts",
                     describe(commands, count), scaled(DEADLINE));
    expect_clean_end("pipeline_run", wait_status);
    result.output = memfd_text(out, NULL);
    result.errors = memfd_text(err, NULL);
    close(in);
    close(out);
    close(err);
    ck_assert_msg(result.outcome->result != -1 || result.outcome->error != ENOSYS,
                  "pipeline_run() is not written yet (it fails with ENOSYS)");
    return result;
}

static void expect_output(struct run got, char **const commands[], int count,
                          const char *expected)
{
    ck_assert_msg(strcmp(got.output, expected) == 0,
                  "pipeline_run(%s) wrote \"%s\" on standard output; expected \"%s\"",
                  describe(commands, count), shown(got.output), shown(expected));
}

static void expect_status(struct run got, char **const commands[], int count, int expected)
{
    ck_assert_msg(got.outcome->result == expected,
                  "pipeline_run(%s) returned %d (errno: %s); expected %d, the last command's "
                  "status", describe(commands, count), got.outcome->result,
                  strerror(got.outcome->error), expected);
}

static char *printf_lines[] = { "printf", "one\\ntwo\\nthree\\n", NULL };
static char *sort_reverse[] = { "sort", "-r", NULL };
static char *head_two[] = { "head", "-n", "2", NULL };
static char *sort_plain[] = { "sort", NULL };
static char *cat[] = { "cat", NULL };
static char *wc_lines[] = { "wc", "-l", NULL };
static char *true_command[] = { "true", NULL };
static char *exit_three[] = { "sh", "-c", "exit 3", NULL };
static char *kill_itself[] = { "sh", "-c", "kill -TERM $$", NULL };
static char *yes_command[] = { "yes", NULL };
static char *head_one[] = { "head", "-n", "1", NULL };
static char *missing[] = { "no-such-command-05", NULL };

LAB_TEST_WITH_TIMEOUT(run_reads_the_callers_input_and_writes_its_output, 3, "2.2", "", 4 * DEADLINE)
{
    char **const three[] = { printf_lines, sort_reverse, head_two };
    expect_output(run("", three, 3), three, 3, "two\nthree\n");

    char **const one[] = { sort_plain };
    expect_output(run("b\nc\na\n", one, 1), one, 1, "a\nb\nc\n");

    char **const two[] = { cat, sort_reverse };
    expect_output(run("b\nc\na\n", two, 2), two, 2, "c\nb\na\n");
}
END_TEST

LAB_TEST_WITH_TIMEOUT(run_returns_the_status_of_the_last_command, 2, "2.5", "", 4 * DEADLINE)
{
    char **const last_fails[] = { true_command, exit_three };
    expect_status(run("", last_fails, 2), last_fails, 2, 3);

    char **const first_fails[] = { exit_three, true_command };
    expect_status(run("", first_fails, 2), first_fails, 2, 0);

    char **const killed[] = { true_command, kill_itself };
    expect_status(run("", killed, 2), killed, 2, 128 + SIGTERM);
}
END_TEST

LAB_TEST_WITH_TIMEOUT(run_starts_every_command_before_waiting_for_any, 3, "2.4", "", 2 * DEADLINE)
{
    /* yes never ends on its own: only head's exit ends it (SIGPIPE). */
    char **const commands[] = { yes_command, head_one };
    struct run got = run("", commands, 2);
    expect_output(got, commands, 2, "y\n");
    expect_status(got, commands, 2, 0);
}
END_TEST

LAB_TEST_WITH_TIMEOUT(run_reaps_every_child, 4, "2.4", "zombies", 2 * DEADLINE)
{
    /* true ends before cat does, so it is a zombie unless it was waited for. */
    char **const commands[] = { true_command, cat, cat };
    struct run got = run("", commands, 3);
    struct outcome *outcome = got.outcome;

    ck_assert_msg(outcome->result != -1, "pipeline_run(%s) failed: %s",
                  describe(commands, 3), strerror(outcome->error));
    if (outcome->leftover_state == 'Z')
        ck_abort_msg("pipeline_run(%s) returned, but its child %d (%s) was never waited for: "
                     "it stays a zombie until the caller exits. waitpid() every child, not "
                     "only the last", describe(commands, 3), (int)outcome->leftover,
                     outcome->leftover_command);
    ck_assert_msg(outcome->leftover == 0,
                  "pipeline_run(%s) returned while its child %d (%s) was still running: "
                  "wait for every command before returning", describe(commands, 3),
                  (int)outcome->leftover, outcome->leftover_command);
}
END_TEST

LAB_TEST_WITH_TIMEOUT(run_leaves_no_descriptor_open_in_the_caller, 3, "2.3", "", 2 * DEADLINE)
{
    char **const commands[] = { printf_lines, cat, wc_lines };
    struct run got = run("", commands, 3);
    struct outcome *outcome = got.outcome;

    expect_output(got, commands, 3, "3\n");
    ck_assert_msg(outcome->fds_after == outcome->fds_before,
                  "the caller had %d open descriptors before pipeline_run(%s) and %d after "
                  "(%s): close the pipe ends the parent does not need, as soon as the child "
                  "that needs them is started", outcome->fds_before, describe(commands, 3),
                  outcome->fds_after, outcome->fd_list);
}
END_TEST

LAB_TEST_WITH_TIMEOUT(run_reports_a_command_that_cannot_be_executed, 2, "2.6", "", 3 * DEADLINE)
{
    char **const alone[] = { missing };
    struct run got = run("", alone, 1);
    expect_status(got, alone, 1, 127);
    ck_assert_msg(strstr(got.errors, "no-such-command-05") != NULL,
                  "pipeline_run(%s) wrote \"%s\" on standard error; expected a message that "
                  "names the command, e.g. \"pipeline: no-such-command-05: No such file or "
                  "directory\"", describe(alone, 1), shown(got.errors));

    char **const first[] = { missing, wc_lines };
    got = run("", first, 2);
    expect_output(got, first, 2, "0\n");
    expect_status(got, first, 2, 0);
}
END_TEST
