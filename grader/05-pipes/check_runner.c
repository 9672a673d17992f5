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
#include "fail_inject.h"

#include <sys/resource.h>

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

LAB_TEST(shell_status_gives_the_exit_code_of_a_normal_exit, 1, "2.5", "")
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

LAB_TEST(shell_status_gives_128_plus_the_signal_of_a_killed_process, 1, "2.5", "")
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

/* The wait status of a child that stopped (SIGSTOP) and of one that went on
 * again (SIGCONT): neither is an end. The child waits, once continued, until
 * it is killed: had it exited at once, waitpid(WCONTINUED) could reap the
 * exit instead of reporting the continuation (a busy machine did). */
static void stopped_and_continued(int *stopped, int *continued)
{
    pid_t child = fork();

    ck_assert_msg(child != -1, "test setup: fork: %s", strerror(errno));
    if (child == 0) {
        raise(SIGSTOP);
        for (;;)
            pause();
    }
    ck_assert_msg(waitpid(child, stopped, WUNTRACED) == child, "test setup: waitpid: %s",
                  strerror(errno));
    ck_assert_msg(kill(child, SIGCONT) == 0, "test setup: kill: %s", strerror(errno));
    ck_assert_msg(waitpid(child, continued, WCONTINUED) == child, "test setup: waitpid: %s",
                  strerror(errno));
    ck_assert_msg(kill(child, SIGKILL) == 0, "test setup: kill: %s", strerror(errno));
    ck_assert_msg(waitpid(child, NULL, 0) == child, "test setup: waitpid: %s",
                  strerror(errno));
}

LAB_TEST(shell_status_rejects_a_stopped_or_continued_status_with_EINVAL, 1, "2.5", "")
{
    int statuses[2];
    const char *what[] = { "stopped by SIGSTOP (WIFSTOPPED)", "continued (WIFCONTINUED)" };

    stopped_and_continued(&statuses[0], &statuses[1]);
    for (int i = 0; i < 2; i++) {
        errno = 0;
        int got = shell_status(statuses[i]);
        int saved_errno = errno;
        ck_assert_msg(got == -1 && saved_errno == EINVAL,
                      "shell_status(%#x) for a child that %s gave %d (errno: %s); expected -1 "
                      "with errno EINVAL: the child has not ended, so there is no exit code",
                      statuses[i], what[i], got, strerror(saved_errno));
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

/* Run body(arg), a call of pipeline_run() that brings its outcome back in
 * outcome, with input on its standard input; fail with a message (what names
 * the call, if_it_hangs says what to do) if it does not return in time or
 * crashes. */
static struct run run_body(void (*body)(void *), void *arg, struct outcome *outcome,
                           const char *input, const char *what, const char *if_it_hangs)
{
    struct run result = { outcome, NULL, NULL };
    int in = memfd_with(input), out = memfd_with(""), err = memfd_with("");
    int wait_status;

    if (!finishes_within(DEADLINE, "pipeline_run", body, arg, in, out, err, &wait_status))
        ck_abort_msg("%s %s. %s", what, hang_details(), if_it_hangs);
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

/* Run the pipeline with input on its standard input; fail with a message if
 * it does not return in time or crashes. */
static struct run run(const char *input, char **const commands[], int count)
{
    struct outcome *outcome = shared_outcome();
    struct pipeline_call call = { commands, count, outcome };
    char what[400];

    snprintf(what, sizeof what, "pipeline_run(%s)", describe(commands, count));
    return run_body(call_pipeline_run, &call, outcome, input, what,
                    "A reader sees end-of-file only when every write end of its pipe is "
                    "closed, in every process: close the unused ends in the parent after each "
                    "fork() and in each child. And a command that is waited for before the "
                    "next one starts may wait for a reader that does not exist yet");
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

LAB_TEST_WITH_TIMEOUT(run_reads_the_callers_input_and_writes_its_output, 2, "2.2", "", 4 * DEADLINE)
{
    char **const three[] = { printf_lines, sort_reverse, head_two };
    expect_output(run("", three, 3), three, 3, "two\nthree\n");

    char **const one[] = { sort_plain };
    expect_output(run("b\nc\na\n", one, 1), one, 1, "a\nb\nc\n");

    char **const two[] = { cat, sort_reverse };
    struct run got = run("b\nc\na\n", two, 2);
    expect_output(got, two, 2, "c\nb\na\n");
    ck_assert_msg(got.errors[0] == '\0',
                  "pipeline_run(%s) wrote \"%s\" on standard error; expected nothing: both "
                  "commands ran. execvp() returns only when it fails: say so after it, never "
                  "before", describe(two, 2), shown(got.errors));
}
END_TEST

LAB_TEST_WITH_TIMEOUT(run_returns_the_status_of_the_last_command, 1, "2.5", "", 4 * DEADLINE)
{
    char **const last_fails[] = { true_command, exit_three };
    expect_status(run("", last_fails, 2), last_fails, 2, 3);

    char **const first_fails[] = { exit_three, true_command };
    expect_status(run("", first_fails, 2), first_fails, 2, 0);

    char **const killed[] = { true_command, kill_itself };
    expect_status(run("", killed, 2), killed, 2, 128 + SIGTERM);
}
END_TEST

LAB_TEST_WITH_TIMEOUT(run_starts_every_command_before_waiting_for_any, 2, "2.4", "", 2 * DEADLINE)
{
    /* yes never ends on its own: only head's exit ends it (SIGPIPE). */
    char **const commands[] = { yes_command, head_one };
    struct run got = run("", commands, 2);
    expect_output(got, commands, 2, "y\n");
    expect_status(got, commands, 2, 0);
}
END_TEST

LAB_TEST_WITH_TIMEOUT(run_reaps_every_child, 2, "2.4", "zombies", 2 * DEADLINE)
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

LAB_TEST_WITH_TIMEOUT(run_leaves_no_descriptor_open_in_the_caller, 2, "2.3", "", 2 * DEADLINE)
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

LAB_TEST_WITH_TIMEOUT(run_reports_a_command_that_cannot_be_executed, 1, "2.6", "", 3 * DEADLINE)
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

LAB_TEST(run_rejects_an_empty_pipeline_with_EINVAL, 1, "2.2", "count < 1")
{
    char **const commands[] = { cat };
    int counts[] = { 0, -1 };

    for (int i = 0; i < 2; i++) {
        struct run got = run("", commands, counts[i]);
        ck_assert_msg(got.outcome->result == -1 && got.outcome->error == EINVAL,
                      "pipeline_run(commands, %d) returned %d (errno: %s); expected -1 with "
                      "errno EINVAL: a pipeline has at least one command", counts[i],
                      got.outcome->result, strerror(got.outcome->error));
        ck_assert_msg(got.outcome->leftover == 0,
                      "pipeline_run(commands, %d) started a process (%s)", counts[i],
                      got.outcome->leftover_command);
    }

    /* Rejected 1000 times each (it starts nothing, as seen above): a small
     * allocation left behind each time adds up beyond glibc's cache. */
    for (int i = 0; i < 2; i++) {
        long before = memory_in_use();
        for (int call = 0; call < 1000; call++)
            pipeline_run(commands, counts[i]);
        long leaked = memory_in_use() - before;
        ck_assert_msg(leaked <= LEAK_SLACK,
                      "pipeline_run(commands, %d), called 1000 times, left %ld more bytes of "
                      "memory allocated than before: check count before you allocate anything",
                      counts[i], leaked);
    }
}
END_TEST

struct interrupted_call {
    struct pipeline_call call;
    int gate;                   /* the test's write end of our standard input */
};

/* pipeline_run() with SIGUSR1 handled without SA_RESTART. */
static void call_pipeline_run_interruptibly(void *arg)
{
    struct interrupted_call *interrupted = arg;

    close(interrupted->gate);
    let_SIGUSR1_interrupt();
    call_pipeline_run(&interrupted->call);
}

LAB_TEST_WITH_TIMEOUT(run_waits_on_when_a_signal_interrupts_waitpid, 1, "2.4", "EINTR", 3 * DEADLINE)
{
    /* cat reads a pipe that the test holds open: pipeline_run() waits for
     * it, and gets SIGUSR1 each time it sleeps in waitpid(). */
    char **const commands[] = { cat };
    int gate[2], wait_status;
    ck_assert_msg(pipe2(gate, O_CLOEXEC) == 0, "test setup: pipe2: %s", strerror(errno));
    struct run got = { shared_outcome(), NULL, NULL };
    struct interrupted_call interrupted = { { commands, 1, got.outcome }, gate[1] };
    int out = memfd_with(""), err = memfd_with("");

    pid_t body = start_body(call_pipeline_run_interruptibly, &interrupted, gate[0], out, err);
    close(gate[0]);
    int signals = interrupt_while_asleep_in(body, "do_wait", 3);
    ck_assert_msg(write(gate[1], "late\n", 5) == 5, "test setup: write: %s", strerror(errno));
    close(gate[1]);
    if (!finished_within(body, DEADLINE, "pipeline_run", &wait_status))
        ck_abort_msg("pipeline_run(cat) %s; cat had got its input and end-of-file",
                     hang_details());
    expect_clean_end("pipeline_run", wait_status);
    got.output = memfd_text(out, NULL);
    close(out);
    close(err);
    ck_assert_msg(got.outcome->result != -1 || got.outcome->error != ENOSYS,
                  "pipeline_run() is not written yet (it fails with ENOSYS)");
    ck_assert_msg(got.outcome->result == 0 && got.outcome->leftover == 0,
                  "pipeline_run(cat) returned %d (errno: %s)%s%s after %d signal(s) "
                  "interrupted its waitpid(); expected it to wait on and return cat's status "
                  "0. A handler installed without SA_RESTART makes waitpid() fail with EINTR: "
                  "then call it again", got.outcome->result, strerror(got.outcome->error),
                  got.outcome->leftover != 0 ? " while its child was still " : "",
                  got.outcome->leftover == 0 ? "" :
                  got.outcome->leftover_state == 'Z' ? "a zombie" : "running", signals);
    expect_output(got, commands, 1, "late\n");
}
END_TEST

static void call_pipeline_run_with_SIGCHLD_ignored(void *arg)
{
    if (signal(SIGCHLD, SIG_IGN) == SIG_ERR)
        _exit(125);
    call_pipeline_run(arg);
}

LAB_TEST_WITH_TIMEOUT(run_fails_with_ECHILD_when_its_children_cannot_be_waited_for, 1, "2.4", "waitpid() fails", 2 * DEADLINE)
{
    char **const commands[] = { true_command, true_command };
    struct outcome *outcome = shared_outcome();
    struct pipeline_call call = { commands, 2, outcome };

    run_body(call_pipeline_run_with_SIGCHLD_ignored, &call, outcome, "",
             "pipeline_run(true | true) in a caller that ignores SIGCHLD",
             "waitpid() fails there with ECHILD, again and again: call it again on EINTR only");
    ck_assert_msg(outcome->result == -1 && outcome->error == ECHILD,
                  "pipeline_run(true | true) in a caller that ignores SIGCHLD returned %d "
                  "(errno: %s); expected -1 with errno ECHILD. The kernel reaps the children "
                  "itself then, and waitpid() fails with ECHILD: there is no status to "
                  "return, so pipeline_run() fails with the errno of that waitpid()",
                  outcome->result, strerror(outcome->error));
    ck_assert_msg(outcome->fds_after == outcome->fds_before,
                  "pipeline_run(true | true) failed, but the caller had %d open descriptors "
                  "before and %d after (%s): close every pipe end on every path",
                  outcome->fds_before, outcome->fds_after, outcome->fd_list);
}
END_TEST

/* pipeline_run() with room for only 2 more descriptors: the first pipe
 * can be made, the second cannot (EMFILE). */
static void call_pipeline_run_with_few_descriptors(void *arg)
{
    struct pipeline_call *call = arg;
    struct outcome *outcome = call->outcome;
    struct rlimit normal, few;

    close_range(3, ~0U, 0);
    if (getrlimit(RLIMIT_NOFILE, &normal) == -1)
        _exit(125);
    few = normal;
    few.rlim_cur = 5;           /* 0, 1, 2, and one pipe */
    outcome->fds_before = open_descriptors(NULL, 0);
    if (setrlimit(RLIMIT_NOFILE, &few) == -1)
        _exit(125);
    errno = 0;
    outcome->result = pipeline_run(call->commands, call->count);
    outcome->error = errno;
    if (setrlimit(RLIMIT_NOFILE, &normal) == -1)
        _exit(125);
    outcome->fds_after = open_descriptors(outcome->fd_list, sizeof outcome->fd_list);
    find_leftover_child(outcome);
}

LAB_TEST_WITH_TIMEOUT(run_cleans_up_when_a_pipe_cannot_be_made, 2, "2.4", "when pipe() fails half way", 2 * DEADLINE)
{
    char **const commands[] = { yes_command, cat, cat };
    struct outcome *outcome = shared_outcome();
    struct pipeline_call call = { commands, 3, outcome };
    int in = memfd_with(""), out = memfd_with(""), err = memfd_with("");
    int wait_status;

    if (!finishes_within(DEADLINE, "pipeline_run", call_pipeline_run_with_few_descriptors,
                         &call, in, out, err, &wait_status))
        ck_abort_msg("pipeline_run(%s), whose second pipe() fails with EMFILE, %s. Close what "
                     "you hold (yes writes until the read end of its pipe is closed), then "
                     "wait for the commands you started", describe(commands, 3),
                     hang_details());
    expect_clean_end("pipeline_run", wait_status);
    close(in);
    close(out);
    close(err);
    ck_assert_msg(outcome->result != -1 || outcome->error != ENOSYS,
                  "pipeline_run() is not written yet (it fails with ENOSYS)");
    ck_assert_msg(outcome->result == -1 && outcome->error == EMFILE,
                  "pipeline_run(%s) with room for only one pipe returned %d (errno: %s); "
                  "expected -1 with errno EMFILE, from the pipe() that failed",
                  describe(commands, 3), outcome->result, strerror(outcome->error));
    ck_assert_msg(outcome->fds_after == outcome->fds_before,
                  "pipeline_run(%s) failed, but the caller had %d open descriptors before and "
                  "%d after (%s): close the pipe ends you hold before returning -1",
                  describe(commands, 3), outcome->fds_before, outcome->fds_after,
                  outcome->fd_list);
    ck_assert_msg(outcome->leftover == 0,
                  "pipeline_run(%s) returned -1, but its child %s was %s: wait for the "
                  "commands already started before returning", describe(commands, 3),
                  outcome->leftover_command,
                  outcome->leftover_state == 'Z' ? "a zombie" : "still running");
}
END_TEST

/* ---------- fork() and dup2() that fail: fail_inject.c ---------- */

struct failing_pipeline_call {
    struct pipeline_call call;
    const char *failures;       /* what fails, as PIPELAB_FAIL says it */
};

/* pipeline_run() with the calls that failures names failing (and only
 * while it runs). */
static void call_pipeline_run_failing(void *arg)
{
    struct failing_pipeline_call *failing = arg;
    struct outcome *outcome = failing->call.outcome;

    outcome->fds_before = open_descriptors(NULL, 0);
    errno = 0;
    fail_inject_arm(failing->failures);
    outcome->result = pipeline_run(failing->call.commands, failing->call.count);
    outcome->error = errno;
    fail_inject_arm("");
    outcome->fds_after = open_descriptors(outcome->fd_list, sizeof outcome->fd_list);
    find_leftover_child(outcome);
}

/* pipeline_run() made to fail 1000 times the way failures says, each time
 * before any command started: values[0], the bytes of memory in use after the
 * calls less those before. */
static void call_pipeline_run_failing_often(void *arg)
{
    struct failing_pipeline_call *failing = arg;
    long before = memory_in_use();

    for (int i = 0; i < 1000; i++) {
        fail_inject_arm(failing->failures);
        pipeline_run(failing->call.commands, failing->call.count);
    }
    fail_inject_arm("");
    failing->call.outcome->values[0] = memory_in_use() - before;
}

/* Run pipeline_run(commands) with input on its standard input while the
 * calls that failures names fail (what: those calls, in words). */
static struct run run_failing(const char *failures, const char *what, const char *input,
                              char **const commands[], int count)
{
    struct outcome *outcome = shared_outcome();
    struct failing_pipeline_call failing = { { commands, count, outcome }, failures };
    char call[400];

    snprintf(call, sizeof call, "pipeline_run(%s), when %s,", describe(commands, count), what);
    return run_body(call_pipeline_run_failing, &failing, outcome, input, call,
                    "Close what you hold (a writer ends when the read end of its pipe is "
                    "closed, a reader when every write end is), then wait for the commands "
                    "you started");
}

LAB_TEST_WITH_TIMEOUT(run_closes_every_pipe_and_reaps_its_children_when_fork_fails, 1, "2.4", "when fork() fails half way", 4 * DEADLINE)
{
    /* The first fork() fails with a pipe made; the second with yes running
     * and a second pipe made; the third with yes and cat running. */
    char **const commands[] = { yes_command, cat, cat };
    static const char *const failures[] = { "fork:1:EAGAIN", "fork:2:EAGAIN", "fork:3:EAGAIN" };
    static const char *const started[] = { "no command started yet",
                                            "yes started", "yes and cat started" };

    for (int i = 0; i < 3; i++) {
        char what[96];
        snprintf(what, sizeof what, "fork() number %d fails with EAGAIN (%s)", i + 1,
                 started[i]);
        struct outcome *outcome = run_failing(failures[i], what, "", commands, 3).outcome;
        ck_assert_msg(outcome->result == -1 && outcome->error == EAGAIN,
                      "pipeline_run(%s), when %s, returned %d (errno: %s); expected -1 with "
                      "errno EAGAIN, the errno of the fork() that failed (save it before "
                      "close() and waitpid())", describe(commands, 3), what, outcome->result,
                      strerror(outcome->error));
        ck_assert_msg(outcome->fds_after == outcome->fds_before,
                      "pipeline_run(%s), when %s, returned -1, but the caller had %d open "
                      "descriptors before and %d after (%s): close both ends of the pipe "
                      "made for the command that could not start, and the read end kept for "
                      "it", describe(commands, 3), what, outcome->fds_before,
                      outcome->fds_after, outcome->fd_list);
        ck_assert_msg(outcome->leftover == 0,
                      "pipeline_run(%s), when %s, returned -1, but its child %s was %s: wait "
                      "for the commands already started before returning",
                      describe(commands, 3), what, outcome->leftover_command,
                      outcome->leftover_state == 'Z' ? "a zombie" : "still running");
    }

    /* The first fork() failing a thousand times, nothing started: whatever is
     * allocated each time must be freed on that way out too. */
    struct outcome *outcome = shared_outcome();
    struct failing_pipeline_call often = { { commands, 3, outcome }, failures[0] };
    run_body(call_pipeline_run_failing_often, &often, outcome, "",
             "pipeline_run(yes | cat | cat), when its first fork() fails, 1000 times,",
             "Close what you hold and return -1");
    ck_assert_msg(outcome->values[0] <= LEAK_SLACK,
                  "pipeline_run(%s), when its first fork() fails, returned -1 1000 times, and "
                  "left %ld more bytes of memory allocated than before: free what you "
                  "allocate on every way out, the failures too", describe(commands, 3),
                  outcome->values[0]);
}
END_TEST

LAB_TEST_WITH_TIMEOUT(run_gives_126_for_a_command_whose_dup2_fails, 1, "2.6", "dup2() fails in the child", 2 * DEADLINE)
{
    /* Each child's first dup2() fails: cat's output onto 1, wc's input onto 0. */
    char **const commands[] = { cat, wc_lines };
    char expected[96];
    /* The message: one that names dup2 and gives its reason, e.g. perror("pipeline: dup2"). */
    snprintf(expected, sizeof expected, "%s", strerror(EBUSY));
    struct run got = run_failing("dup2:1:EBUSY", "each child's first dup2() fails with EBUSY",
                                 "one\ntwo\n", commands, 2);

    ck_assert_msg(got.outcome->result == 126,
                  "pipeline_run(%s), when each child's first dup2() fails with EBUSY, "
                  "returned %d (errno: %s) and wrote \"%s\" on standard output; expected "
                  "126: a child whose dup2() fails must not run the command (it would read "
                  "or write the wrong descriptor) but print the reason and _exit(126)",
                  describe(commands, 2), got.outcome->result, strerror(got.outcome->error),
                  shown(got.output));
    ck_assert_msg(got.output[0] == '\0',
                  "pipeline_run(%s), when each child's first dup2() fails with EBUSY, wrote "
                  "\"%s\" on standard output; expected nothing: cat's dup2() of its output "
                  "failed, so cat must not run (it would write where its output was not "
                  "meant to go); print the reason and _exit(126)", describe(commands, 2),
                  shown(got.output));
    /* One such line from each child: cat's is about its output, wc's about its input. */
    int lines = 0;
    for (char *line = got.errors; line != NULL && *line != '\0';) {
        char *end = strchr(line, '\n');
        if (end != NULL)
            *end = '\0';
        if (strstr(line, "dup2") != NULL && strstr(line, expected) != NULL)
            lines++;
        line = end != NULL ? end + 1 : NULL;
        if (end != NULL)
            *end = '\n';
    }
    ck_assert_msg(lines == 2,
                  "pipeline_run(%s), when each child's first dup2() fails with EBUSY, wrote "
                  "\"%s\" on standard error; expected a line from each of the two children "
                  "that names dup2 and says \"%s\", e.g. perror(\"pipeline: dup2\"): cat's "
                  "dup2() of its output failed, wc's of its input", describe(commands, 2),
                  shown(got.errors), expected);
    ck_assert_msg(got.outcome->leftover == 0,
                  "pipeline_run(%s) returned, but its child %s was %s: wait for every child",
                  describe(commands, 2), got.outcome->leftover_command,
                  got.outcome->leftover_state == 'Z' ? "a zombie" : "still running");
}
END_TEST
