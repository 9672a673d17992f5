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
#include "fail_inject.h"

#include <stddef.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>

enum { DEADLINE = 10, MEGABYTE = 1024 * 1024 };

struct coprocess_call {
    char *const *argv;
    const char *input;
    size_t input_length;
    int output_fd;              /* where the child puts the output */
    struct outcome *outcome;
};

/* values[0]: output length; values[1]: SIGPIPE's action afterwards was SIG_IGN;
 * values[2]: SIGPIPE's action before was SIG_IGN; values[3]: the output is
 * followed by '\0' (1), is NULL (2), or neither (0). */
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
        outcome->values[3] = output == NULL ? 2 : output[output_length] == '\0';
        if (output != NULL &&
            write(call->output_fd, output, output_length) != (ssize_t)output_length)
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

    if (!finishes_within(DEADLINE, "coprocess_run", call_coprocess_run, &call, -1, -1, err,
                         &result.wait_status))
        ck_abort_msg("coprocess_run(\"%s\") with %zu bytes of input %s. %s", describe(argv),
                     input_length, hang_details(), if_it_hangs);
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

/* Run body(arg), a call of coprocess_run() that brings its outcome back in
 * outcome, in a child within DEADLINE. Fails the test when it hangs (hang_what
 * names the call, if_it_hangs says what to do), dies, or finds coprocess_run()
 * not written yet. */
static void run_call(void (*body)(void *), void *arg, struct outcome *outcome,
                     const char *hang_what, const char *if_it_hangs)
{
    int err = memfd_with(""), wait_status;

    if (!finishes_within(DEADLINE, "coprocess_run", body, arg, -1, -1, err, &wait_status))
        ck_abort_msg("%s %s%s", hang_what, hang_details(), if_it_hangs);
    close(err);
    expect_clean_end("coprocess_run()", wait_status);
    ck_assert_msg(outcome->result != -1 || outcome->error != ENOSYS,
                  "coprocess_run() is not written yet (it fails with ENOSYS)");
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

LAB_TEST_WITH_TIMEOUT(coprocess_sends_a_megabyte_through_cat_without_deadlock, 1, "7.2", "", 2 * DEADLINE)
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

    /* wc -c writes nothing until it has read all of its input: a read() of
     * its output made before poll() says it is ready waits for it, with input
     * left to send. */
    char *wc[] = { "wc", "-c", NULL };
    got = run(wc, input, MEGABYTE,
              "a deadlock. wc -c writes nothing until it has read all of its input; a "
              "read() of its output waits until then, and if you wait there while input is "
              "left to send, both wait forever. Read only when poll() says the output is "
              "ready (its revents), write only when it says there is room");
    expect_status(got, wc, 0);
    expect_same(got, wc, "1048576\n", 8, "");
    free(input);
}
END_TEST

LAB_TEST_WITH_TIMEOUT(coprocess_collects_output_larger_than_a_pipe, 1, "7.1", "", 2 * DEADLINE)
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

LAB_TEST_WITH_TIMEOUT(coprocess_survives_a_child_that_stops_reading, 1, "7.3", "", 2 * DEADLINE)
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

LAB_TEST_WITH_TIMEOUT(coprocess_waits_for_its_child_and_closes_its_pipes, 1, "7.4", "", 2 * DEADLINE)
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

    /* The shortest input: its one byte is sent before the write end closes. */
    got = run(cat, "x", 1, "cat gets 1 byte and end-of-file: close the write end when the "
              "input is sent");
    expect_status(got, cat, 0);
    expect_same(got, cat, "x", 1, "An input of one byte is sent too: close the write end "
                "at once only when there is no input at all (length 0)");
}
END_TEST

/* Whether fd is a pipe that stays open across exec (no FD_CLOEXEC). */
static int inherited_pipe(int fd)
{
    char path[64], target[64];
    ssize_t length;
    int flags = fcntl(fd, F_GETFD);

    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    length = readlink(path, target, sizeof target - 1);
    if (flags == -1 || (flags & FD_CLOEXEC) || length <= 0)
        return 0;
    target[length] = '\0';
    return strncmp(target, "pipe:", 5) == 0;
}

LAB_TEST_WITH_TIMEOUT(coprocess_command_holds_no_end_of_its_pipes_but_0_and_1, 1, "7.4", "close all four in the child", 2 * DEADLINE)
{
    /* find lists the pipes it was started with (its own descriptors are no pipes). */
    char *find[] = { "find", "/proc/self/fd/", "-lname", "pipe:*", "-printf", "%f\n", NULL };
    char extra[256] = "";
    size_t used = 0;

    struct run got = run(find, "", 0, "find ends at once");
    expect_status(got, find, 0);
    for (char *line = got.output; *line != '\0'; ) {
        char *end = strchr(line, '\n');
        int fd = atoi(line);
        /* 0 and 1 are its pipes; a pipe the caller had open across exec, it had too. */
        if (fd > 1 && !inherited_pipe(fd) && used < sizeof extra) {
            int written = snprintf(extra + used, sizeof extra - used, " %d", fd);
            if (written > 0)
                used += (size_t)written;
        }
        if (end == NULL)
            break;
        line = end + 1;
    }
    ck_assert_msg(used == 0,
                  "the command ran with these descriptors open on pipes besides 0 and 1:%s. "
                  "In the child, after the two dup2() calls, close all four pipe descriptors "
                  "before execvp(): the command would hold them for as long as it runs, and "
                  "pass them on to every program it starts", extra);
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

LAB_TEST_WITH_TIMEOUT(coprocess_returns_an_empty_output_as_an_empty_string, 1, "7.4", "", 2 * DEADLINE)
{
    char *true_command[] = { "true", NULL };
    struct run got = run(true_command, "", 0, "true reads nothing and writes nothing: with no "
                         "input, close the write end at once");
    expect_status(got, true_command, 0);
    ck_assert_msg(got.outcome->values[0] == 0 && got.outcome->values[3] == 1,
                  "coprocess_run(\"true\") with no input gave %ld bytes of output%s; expected "
                  "an empty string: a buffer holding only '\\0', and length 0",
                  got.outcome->values[0], got.outcome->values[3] == 1 ? "" :
                  got.outcome->values[3] == 2 ? ", and *output was NULL" :
                  ", not followed by '\\0'");
}
END_TEST

/* A handler of the caller's own, to see that it is given back. */
static void callers_handler(int signal_number)
{
    (void)signal_number;
}

/* values[4]: SIGPIPE's handler afterwards is callers_handler. */
static void call_coprocess_run_with_a_handler(void *arg)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    sigemptyset(&action.sa_mask);
    action.sa_handler = callers_handler;
    if (sigaction(SIGPIPE, &action, NULL) == -1)
        _exit(125);
    call_coprocess_run(arg);
    struct coprocess_call *call = arg;
    if (sigaction(SIGPIPE, NULL, &action) == 0)
        call->outcome->values[4] = action.sa_handler == callers_handler;
}

LAB_TEST_WITH_TIMEOUT(coprocess_puts_back_the_callers_SIGPIPE_action, 1, "7.3", "", 2 * DEADLINE)
{
    char *head[] = { "head", "-c", "5", NULL };
    char *input = megabyte_of_lines();
    struct outcome *outcome = shared_outcome();
    int out = memfd_with("");
    struct coprocess_call call = { head, input, MEGABYTE, out, outcome };

    run_call(call_coprocess_run_with_a_handler, &call, outcome,
             "coprocess_run(\"head -c 5\")", "");
    close(out);
    free(input);
    ck_assert_msg(outcome->values[4] == 1,
                  "the caller had a handler of its own for SIGPIPE; after coprocess_run(\"head "
                  "-c 5\") its action was another: keep the old action that sigaction() gives "
                  "you when you ignore SIGPIPE, and put that back");
}
END_TEST

struct interrupted_coprocess {
    struct coprocess_call call;
    int gate[2];                /* the command reads lines from a copy of gate[0] */
    char script[160];           /* the command's script, which names that copy */
};

/* coprocess_run() with SIGUSR1 handled without SA_RESTART, SIGPIPE by the
 * caller's own handler (which counts it as SIGUSR1's does), and a copy of
 * the gate's read end that the command inherits (no FD_CLOEXEC). */
static void call_coprocess_run_interruptibly(void *arg)
{
    struct interrupted_coprocess *interrupted = arg;
    struct sigaction action;
    int gate = dup(interrupted->gate[0]);

    if (gate == -1)
        _exit(125);
    close(interrupted->gate[1]);
    snprintf(interrupted->script, sizeof interrupted->script,
             "cat; read -r -u %d x; exec >&-; read -r -u %d y; true", gate, gate);
    let_SIGUSR1_interrupt();
    if (sigaction(SIGUSR1, NULL, &action) == -1 || sigaction(SIGPIPE, &action, NULL) == -1)
        _exit(125);
    call_coprocess_run(&interrupted->call);
}

/* Send SIGPIPE to pid, asleep in waitpid(), and wait for its handler to count
 * it: 1 when it did, 0 when it did not within 2 s (scaled; the signal was
 * ignored), -1 when pid was never asleep in waitpid(). */
static int handles_SIGPIPE_in_waitpid(pid_t pid)
{
    if (!wait_until_asleep_in(pid, "do_wait", 5))
        return -1;
    int before = suite_memory->interruptions;
    ck_assert_msg(kill(pid, SIGPIPE) == 0, "test setup: kill: %s", strerror(errno));
    double deadline = monotonic_seconds() + scaled(2);
    while (suite_memory->interruptions == before && monotonic_seconds() < deadline)
        pause_briefly();
    return suite_memory->interruptions > before;
}

LAB_TEST_WITH_TIMEOUT(coprocess_goes_on_when_a_signal_interrupts_poll_or_waitpid, 1, "7.4", "EINTR", 3 * DEADLINE)
{
    /* The command echoes its input, waits for a line from the test with its
     * output still open (coprocess_run polls), closes its output and waits
     * for a second line (coprocess_run waits for it in waitpid). */
    struct interrupted_coprocess interrupted;
    char *command[] = { "bash", "-c", interrupted.script, NULL };
    struct outcome *outcome = shared_outcome();
    int out = memfd_with(""), err = memfd_with(""), wait_status;

    interrupted.call = (struct coprocess_call){ command, "hello\n", 6, out, outcome };
    snprintf(interrupted.script, sizeof interrupted.script,
             "cat; read x; exec >&-; read y; true");

    ck_assert_msg(pipe2(interrupted.gate, O_CLOEXEC) == 0, "test setup: pipe2: %s",
                  strerror(errno));
    pid_t body = start_body(call_coprocess_run_interruptibly, &interrupted, -1, -1, err);
    close(interrupted.gate[0]);
    int in_poll = interrupt_while_asleep_in(body, "poll", 2);
    /* Where the caller was when it was never seen asleep in poll(). */
    char state = process_state(body), wchan[64];
    read_proc(body, "wchan", wchan, sizeof wchan);
    const char *where = waiting_in(wchan);
    signal(SIGPIPE, SIG_IGN);   /* a command already gone: the test goes on */
    ck_assert_msg(write(interrupted.gate[1], "1\n", 2) == 2 || errno == EPIPE,
                  "test setup: write: %s", strerror(errno));
    int in_waitpid = interrupt_while_asleep_in(body, "do_wait", 2);
    /* The talk is over: the caller's SIGPIPE handler is back while it waits. */
    int SIGPIPE_handled = handles_SIGPIPE_in_waitpid(body);
    close(interrupted.gate[1]);
    if (!finished_within(body, DEADLINE, "coprocess_run", &wait_status))
        ck_abort_msg("coprocess_run(\"%s\") %s", describe(command), hang_details());
    char *output = memfd_text(out, NULL), *errors = memfd_text(err, NULL);
    close(out);
    close(err);
    expect_clean_end("coprocess_run()", wait_status);
    ck_assert_msg(outcome->result != -1 || outcome->error != ENOSYS,
                  "coprocess_run() is not written yet (it fails with ENOSYS)");
    ck_assert_msg(outcome->result == 0 && strcmp(output, "hello\n") == 0 &&
                  outcome->leftover == 0,
                  "coprocess_run(\"%s\") returned %d (errno: %s) with the output \"%s\"%s, "
                  "after %d signal(s) interrupted its poll() and %d its waitpid(); expected 0 "
                  "and \"hello\\n\". A handler installed without SA_RESTART makes poll() and "
                  "waitpid() fail with EINTR: call them again", describe(command),
                  outcome->result, strerror(outcome->error), shown(output),
                  outcome->leftover != 0 ? ", leaving its child behind" : "", in_poll,
                  in_waitpid);
    ck_assert_msg(errors[0] == '\0', "coprocess_run(\"%s\"): the command wrote \"%s\" on "
                  "standard error", describe(command), shown(errors));
    free(output);
    free(errors);
    /* While the command is silent, its output open, there is nothing to do but
     * wait: poll() sleeps (any call that waits for several descriptors, select()
     * and epoll_wait() too, sleeps in a kernel function named poll). */
    ck_assert_msg(in_poll > 0, "coprocess_run(\"%s\") never slept in poll() while its command "
                  "was silent with its output open: for %.0f s the process was %s%s. A poll() "
                  "with a timeout of 0 returns at once, and a loop around it spins, using a "
                  "whole CPU while the child works: pass -1, no timeout, and poll() sleeps "
                  "until a descriptor is ready (section 7.2)", describe(command), scaled(5),
                  state == 'R' ? "running, not asleep" : "asleep ",
                  state == 'R' ? "" : where != NULL ? where : wchan);
    ck_assert_msg(SIGPIPE_handled != 0, "coprocess_run(\"%s\") was asleep in waitpid(), its "
                  "command's output closed, when the test sent SIGPIPE, and the caller's own "
                  "handler for it did not run: SIGPIPE was still ignored. Ignore it only while "
                  "you talk; put the caller's action back before waitpid() (section 7.4, step "
                  "4)", describe(command));
}
END_TEST

/* coprocess_run() with room for only 2 more descriptors: the first pipe can
 * be made, the second cannot (EMFILE). values[1], values[2]: SIGPIPE ignored
 * after, before; values[5]: *output was left alone. */
static void call_coprocess_run_with_few_descriptors(void *arg)
{
    struct coprocess_call *call = arg;
    struct outcome *outcome = call->outcome;
    struct rlimit normal, few;
    struct sigaction action;
    char *output = (char *)&normal;
    size_t output_length = 12345;

    close_range(3, ~0U, 0);
    if (getrlimit(RLIMIT_NOFILE, &normal) == -1)
        _exit(125);
    few = normal;
    few.rlim_cur = 5;           /* 0, 1, 2, and one pipe */
    sigaction(SIGPIPE, NULL, &action);
    outcome->values[2] = action.sa_handler == SIG_IGN;
    outcome->fds_before = open_descriptors(NULL, 0);
    if (setrlimit(RLIMIT_NOFILE, &few) == -1)
        _exit(125);
    errno = 0;
    outcome->result = coprocess_run(call->argv, call->input, call->input_length, &output,
                                    &output_length);
    outcome->error = errno;
    if (setrlimit(RLIMIT_NOFILE, &normal) == -1)
        _exit(125);
    outcome->fds_after = open_descriptors(outcome->fd_list, sizeof outcome->fd_list);
    find_leftover_child(outcome);
    sigaction(SIGPIPE, NULL, &action);
    outcome->values[1] = action.sa_handler == SIG_IGN;
    outcome->values[5] = output == (char *)&normal && output_length == 12345;
}

LAB_TEST_WITH_TIMEOUT(coprocess_cleans_up_when_a_pipe_cannot_be_made, 1, "7.4", "when pipe() fails", 2 * DEADLINE)
{
    struct outcome *outcome = shared_outcome();
    struct coprocess_call call = { cat, "hello\n", 6, -1, outcome };

    run_call(call_coprocess_run_with_few_descriptors, &call, outcome,
             "coprocess_run(\"cat\"), whose second pipe() fails with EMFILE,", "");
    ck_assert_msg(outcome->result == -1 && outcome->error == EMFILE,
                  "coprocess_run(\"cat\") with room for only one pipe returned %d (errno: %s); "
                  "expected -1 with errno EMFILE, from the pipe() that failed",
                  outcome->result, strerror(outcome->error));
    ck_assert_msg(outcome->fds_after == outcome->fds_before && outcome->leftover == 0,
                  "coprocess_run(\"cat\") failed, but the caller had %d open descriptors "
                  "before and %d after (%s)%s: close the first pipe before returning -1",
                  outcome->fds_before, outcome->fds_after, outcome->fd_list,
                  outcome->leftover != 0 ? ", and a child was left" : "");
    ck_assert_msg(outcome->values[1] == outcome->values[2] && outcome->values[5] == 1,
                  "coprocess_run(\"cat\") failed, and %s: on failure, leave the caller's "
                  "SIGPIPE action and *output as they were",
                  outcome->values[5] != 1 ? "changed *output" : "changed SIGPIPE's action");
}
END_TEST

/* With SIGCHLD ignored, the kernel reaps the command itself: waitpid() can
 * only fail, with ECHILD. */
static void call_coprocess_run_with_SIGCHLD_ignored(void *arg)
{
    if (signal(SIGCHLD, SIG_IGN) == SIG_ERR)
        _exit(125);
    call_coprocess_run(arg);
}

LAB_TEST_WITH_TIMEOUT(coprocess_fails_with_ECHILD_when_its_child_cannot_be_waited_for, 1, "7.4", "waitpid() fails", 2 * DEADLINE)
{
    char *true_command[] = { "true", NULL };
    struct outcome *outcome = shared_outcome();
    struct coprocess_call call = { true_command, "", 0, -1, outcome };

    run_call(call_coprocess_run_with_SIGCHLD_ignored, &call, outcome,
             "coprocess_run(\"true\") in a caller that ignores SIGCHLD",
             ". waitpid() fails there with ECHILD, again and again: call it again on EINTR "
             "only");
    ck_assert_msg(outcome->result == -1 && outcome->error == ECHILD,
                  "coprocess_run(\"true\") in a caller that ignores SIGCHLD returned %d "
                  "(errno: %s); expected -1 with errno ECHILD. The kernel reaps the child "
                  "itself then, and waitpid() fails with ECHILD: there is no status to "
                  "return, so coprocess_run() fails with the errno of that waitpid()",
                  outcome->result, strerror(outcome->error));
    ck_assert_msg(outcome->fds_after == outcome->fds_before,
                  "coprocess_run(\"true\") failed, but the caller had %d open descriptors "
                  "before and %d after (%s): close both pipes on every path",
                  outcome->fds_before, outcome->fds_after, outcome->fd_list);
    ck_assert_msg(outcome->values[1] == outcome->values[2],
                  "coprocess_run(\"true\") failed, and changed SIGPIPE's action: on failure, "
                  "leave the caller's SIGPIPE action as it was");
}
END_TEST

/* ---------- a call that fails half way: seccomp makes it fail ---------- */

/* The descriptors from HIGH_FD on are those coprocess_run() makes: every
 * lower one is taken (close-on-exec, so that the command does not see them)
 * before the call. */
enum { HIGH_FD = 64 };

#if defined(__x86_64__)
#define NATIVE_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NATIVE_AUDIT_ARCH AUDIT_ARCH_AARCH64
#endif

/* From now on, in this process and the processes it starts: the system call
 * number on a descriptor >= HIGH_FD (its first argument), with second argument
 * command unless command is -1, fails with error. Returns 0, or -1 with errno. */
static int make_calls_fail_on_high_descriptors(int number, long command, int error)
{
#ifdef NATIVE_AUDIT_ARCH
    struct sock_filter filter[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NATIVE_AUDIT_ARCH, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)number, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        /* the descriptor: an int, the low half of args[0] (little-endian) */
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
        BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, HIGH_FD, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[1])),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)command, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, command == -1 ? SECCOMP_RET_ERRNO | (unsigned)error
                                                : SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (unsigned)error),
    };
    struct sock_fprog program = { sizeof filter / sizeof filter[0], filter };

    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
        return -1;
    return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program);
#else
    (void)number, (void)command, (void)error;
    errno = ENOSYS;
    return -1;
#endif
}

struct failing_call {
    struct coprocess_call call;
    int number;                 /* the system call that fails */
    long command;               /* ... with this second argument (-1: any) */
    int error;                  /* ... and this errno */
};

/* Before a call of coprocess_run(): values[2], SIGPIPE ignored before. */
static void note_the_start(struct outcome *outcome)
{
    struct sigaction action;

    sigaction(SIGPIPE, NULL, &action);
    outcome->values[2] = action.sa_handler == SIG_IGN;
}

/* After a call of coprocess_run() that was given *output = untouched and
 * *output_length = 12345: the descriptors and the child it left, values[1]:
 * SIGPIPE ignored after; values[5]: *output was left alone; values[0]: the
 * output's length, the output written to output_fd (and freed). */
static void note_the_end(struct outcome *outcome, char *output, size_t output_length,
                         const char *untouched, int output_fd)
{
    struct sigaction action;

    outcome->fds_after = open_descriptors(outcome->fd_list, sizeof outcome->fd_list);
    find_leftover_child(outcome);
    sigaction(SIGPIPE, NULL, &action);
    outcome->values[1] = action.sa_handler == SIG_IGN;
    outcome->values[5] = output == untouched && output_length == 12345;
    if (outcome->result != -1 && output != untouched) {
        outcome->values[0] = (long)output_length;
        if (write(output_fd, output, output_length) != (ssize_t)output_length)
            outcome->values[0] = -1;
        free(output);
    }
}

/* coprocess_run() with one system call failing on its own descriptors.
 * values[1], values[2]: SIGPIPE ignored after, before; values[5]: *output
 * was left alone; values[6]: errno of seccomp when it could not be set up;
 * values[4]: the bytes of memory in use after the call less those before. */
static void call_coprocess_run_with_a_failing_call(void *arg)
{
    struct failing_call *failing = arg;
    struct outcome *outcome = failing->call.outcome;
    char untouched, *output = &untouched;
    size_t output_length = 12345;
    char taken[HIGH_FD] = { 0 };
    int fd;

    outcome->fds_before = open_descriptors(NULL, 0);
    do {
        fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 0);
        if (fd == -1 || fd >= HIGH_FD)
            _exit(125);
        taken[fd] = 1;
    } while (fd < HIGH_FD - 1);
    if (make_calls_fail_on_high_descriptors(failing->number, failing->command,
                                            failing->error) == -1) {
        outcome->values[6] = errno;
        return;
    }
    note_the_start(outcome);
    long before = memory_in_use();
    errno = 0;
    outcome->result = coprocess_run(failing->call.argv, failing->call.input,
                                    failing->call.input_length, &output, &output_length);
    outcome->error = errno;
    outcome->values[4] = memory_in_use() - before;
    for (fd = 0; fd < HIGH_FD; fd++)
        if (taken[fd])
            close(fd);
    note_the_end(outcome, output, output_length, &untouched, failing->call.output_fd);
}

/* Run coprocess_run(cat, input) with that call failing; returns its outcome,
 * or NULL when seccomp cannot be set up here. The output is in *output. */
static struct outcome *run_with_a_failing_call(const char *what, int number, long command,
                                               int error, const char *input,
                                               size_t input_length, char **output)
{
    struct outcome *outcome = shared_outcome();
    int out = memfd_with("");
    struct failing_call failing = { { cat, input, input_length, out, outcome },
                                    number, command, error };
    char hang_what[160];

    snprintf(hang_what, sizeof hang_what, "coprocess_run(\"cat\") with %zu bytes of input, "
             "when %s fails with %s,", input_length, what, strerror(error));
    run_call(call_coprocess_run_with_a_failing_call, &failing, outcome, hang_what,
             ". A call that fails (other than EAGAIN, EINTR, or EPIPE on the write end) ends "
             "the conversation: stop the loop, close both pipes, wait for the child and "
             "return -1");
    *output = memfd_text(out, NULL);
    close(out);
    if (outcome->values[6] != 0)
        return NULL;
    return outcome;
}

/* Fail unless the outcome is a clean failure with errno error. */
static void expect_clean_failure(struct outcome *outcome, const char *what, int error)
{
    ck_assert_msg(outcome->result == -1 && outcome->error == error,
                  "coprocess_run(\"cat\"), when %s fails with %s, returned %d (errno: %s); "
                  "expected -1 with errno %s, from the call that failed", what,
                  strerror(error), outcome->result, strerror(outcome->error), strerror(error));
    ck_assert_msg(outcome->fds_after == outcome->fds_before && outcome->leftover == 0,
                  "coprocess_run(\"cat\") failed when %s failed, but the caller had %d open "
                  "descriptors before and %d after (%s)%s: on every path, close both pipes "
                  "and wait for the child", what, outcome->fds_before, outcome->fds_after,
                  outcome->fd_list, outcome->leftover != 0 ? ", and its child was not "
                  "waited for" : "");
    ck_assert_msg(outcome->values[1] == outcome->values[2] && outcome->values[5] == 1,
                  "coprocess_run(\"cat\") failed when %s failed, and %s: on failure, leave "
                  "the caller's SIGPIPE action and *output as they were", what,
                  outcome->values[5] != 1 ? "changed *output" : "changed SIGPIPE's action");
    ck_assert_msg(outcome->values[4] <= LEAK_SLACK,
                  "coprocess_run(\"cat\") failed when %s failed, and left %ld more bytes of "
                  "memory allocated than before the call: on failure, free the output "
                  "buffer (nothing is returned in *output)", what, outcome->values[4]);
}

LAB_TEST_WITH_TIMEOUT(coprocess_cleans_up_when_a_call_fails_half_way, 1, "7.4", "when a later call fails", 3 * DEADLINE)
{
    char *output;
    char *input = megabyte_of_lines();

    /* read() of the output fails (EIO) while input is still unsent: the
     * write end is open then, and must be closed too. */
    struct outcome *outcome = run_with_a_failing_call("read() of the output", SYS_read, -1,
                                                      EIO, input, MEGABYTE, &output);
    free(output);
    if (outcome == NULL) {
        free(input);
        lab_skip("seccomp cannot make a call fail here");
        return;
    }
    expect_clean_failure(outcome, "read() of the output", EIO);

    /* The same with no input at all: the write end may be closed before the
     * loop or in it, but errno stays the read()'s (a close() of a descriptor
     * already closed, or of -1, fails with EBADF and would replace it). */
    outcome = run_with_a_failing_call("read() of the output (no input)", SYS_read, -1,
                                      EIO, "", 0, &output);
    free(output);
    ck_assert_msg(outcome != NULL, "test setup: seccomp worked once, then failed");
    expect_clean_failure(outcome, "read() of the output (no input)", EIO);

    /* write() of the input fails (EIO): not EPIPE, so not "the child stopped
     * reading", but an error. */
    outcome = run_with_a_failing_call("write() of the input", SYS_write, -1, EIO, input,
                                      MEGABYTE, &output);
    free(output);
    ck_assert_msg(outcome != NULL, "test setup: seccomp worked once, then failed");
    expect_clean_failure(outcome, "write() of the input", EIO);

    /* Making the write end non-blocking fails (EPERM), with a megabyte to
     * send: going on with a blocking write() deadlocks. A solution that never
     * calls fcntl(F_SETFL) on its own pipes sees nothing fail: it must then
     * simply succeed. */
    outcome = run_with_a_failing_call("fcntl(F_SETFL)", SYS_fcntl, F_SETFL, EPERM, input,
                                      MEGABYTE, &output);
    ck_assert_msg(outcome != NULL, "test setup: seccomp worked once, then failed");
    if (outcome->result == -1)
        expect_clean_failure(outcome, "fcntl(F_SETFL)", EPERM);
    else
        ck_assert_msg(outcome->result == 0 && outcome->values[0] == MEGABYTE &&
                      memcmp(output, input, MEGABYTE) == 0 && outcome->fds_after ==
                      outcome->fds_before && outcome->leftover == 0,
                      "coprocess_run(\"cat\") with 1 MiB of input and no fcntl(F_SETFL) of "
                      "its own returned %d with %ld bytes of output (%d open descriptors "
                      "before, %d after: %s); expected 0, the input, and all closed",
                      outcome->result, outcome->values[0], outcome->fds_before,
                      outcome->fds_after, outcome->fd_list);
    free(output);
    free(input);
}
END_TEST

/* ---------- fork() and dup2() that fail: fail_inject.c ---------- */

struct injected_call {
    struct coprocess_call call;
    const char *failures;       /* what fails, as PIPELAB_FAIL says it */
};

/* The open descriptors below 63 of this process, one bit each: a count
 * alone misses one leaked descriptor where another was closed by mistake. */
static long descriptor_mask(void)
{
    long mask = 0;
    for (int fd = 0; fd < 63; fd++)
        if (fcntl(fd, F_GETFD) != -1)
            mask |= 1L << fd;
    return mask;
}

/* coprocess_run() with the calls that failures names failing (only while it
 * runs). values[0]: output length; values[1], values[2]: SIGPIPE ignored
 * after, before; values[5]: *output was left alone; values[6], values[7]:
 * descriptor_mask() before and after. */
static void call_coprocess_run_injected(void *arg)
{
    struct injected_call *injected = arg;
    struct outcome *outcome = injected->call.outcome;
    char untouched, *output = &untouched;
    size_t output_length = 12345;

    note_the_start(outcome);
    outcome->fds_before = open_descriptors(NULL, 0);
    outcome->values[6] = descriptor_mask();
    errno = 0;
    fail_inject_arm(injected->failures);
    outcome->result = coprocess_run(injected->call.argv, injected->call.input,
                                    injected->call.input_length, &output, &output_length);
    outcome->error = errno;
    fail_inject_arm("");
    outcome->values[7] = descriptor_mask();
    note_the_end(outcome, output, output_length, &untouched, injected->call.output_fd);
}

/* coprocess_run("cat", input) while the calls that failures names fail
 * (what: those calls, in words); the output and standard error in got. */
static struct run run_injected(const char *failures, const char *what, const char *input)
{
    struct run got = { shared_outcome(), NULL, 0, NULL, 0 };
    /* quiet: the caller's standard input and output, so that a child that
     * runs the command on them anyway neither waits for the suite's input nor
     * writes into its results. */
    int out = memfd_with(""), err = memfd_with(""), quiet = memfd_with("");
    struct injected_call injected = { { cat, input, strlen(input), out, got.outcome },
                                      failures };

    if (!finishes_within(DEADLINE, "coprocess_run", call_coprocess_run_injected, &injected,
                         quiet, quiet, err, &got.wait_status))
        ck_abort_msg("coprocess_run(\"cat\"), when %s, %s. Close what you made, wait for the "
                     "child if there is one, and return", what, hang_details());
    got.output = memfd_text(out, &got.output_length);
    got.errors = memfd_text(err, NULL);
    close(out);
    close(err);
    close(quiet);
    expect_clean_end("coprocess_run()", got.wait_status);
    ck_assert_msg(got.outcome->result != -1 || got.outcome->error != ENOSYS,
                  "coprocess_run() is not written yet (it fails with ENOSYS)");
    return got;
}

LAB_TEST_WITH_TIMEOUT(coprocess_closes_both_pipes_when_fork_fails, 1, "7.4", "when fork() fails", 2 * DEADLINE)
{
    /* Both pipes are made; the fork() fails: four descriptors to close. */
    struct run got = run_injected("fork:1:EAGAIN", "fork() fails with EAGAIN", "hello\n");
    expect_clean_failure(got.outcome, "fork()", EAGAIN);
    ck_assert_msg(got.outcome->values[6] == got.outcome->values[7],
                  "coprocess_run(\"cat\"), when fork() fails with EAGAIN, returned -1 with as "
                  "many descriptors open as before, but not the same ones (open before: %#lx, "
                  "after: %#lx, one bit per descriptor; now open: %s): close the four ends of "
                  "your two pipes, and only those", got.outcome->values[6],
                  got.outcome->values[7], got.outcome->fd_list);
    free(got.output);
    free(got.errors);
}
END_TEST

LAB_TEST_WITH_TIMEOUT(coprocess_child_whose_dup2_fails_exits_with_126, 1, "7.4", "dup2() fails in the child", 3 * DEADLINE)
{
    char expected[96];
    /* The message: one that names dup2 and gives its reason, e.g. perror("coprocess: dup2"). */
    snprintf(expected, sizeof expected, "%s", strerror(EBUSY));

    /* The child's first dup2() (its input onto 0), then its second (its
     * output onto 1), fails. */
    for (int n = 1; n <= 2; n++) {
        char failures[32], what[80];
        snprintf(failures, sizeof failures, "dup2:%d:EBUSY", n);
        snprintf(what, sizeof what, "the child's %s dup2() fails with EBUSY",
                 n == 1 ? "first" : "second");
        struct run got = run_injected(failures, what, "hello\n");
        struct outcome *outcome = got.outcome;

        ck_assert_msg(outcome->result == 126 && got.output_length == 0,
                      "coprocess_run(\"cat\") with \"hello\\n\", when %s, returned %d "
                      "(errno: %s) with the output \"%s\"; expected 126 and no output: a "
                      "child whose dup2() fails must not run the command (it would read or "
                      "write the wrong descriptor) but print the reason and _exit(126)", what,
                      outcome->result, strerror(outcome->error), shown(got.output));
        ck_assert_msg(strstr(got.errors, "dup2") != NULL && strstr(got.errors, expected) != NULL,
                      "coprocess_run(\"cat\"), when %s, wrote \"%s\" on standard error; "
                      "expected a message that names dup2 and says \"%s\", e.g. "
                      "perror(\"coprocess: dup2\")", what, shown(got.errors), expected);
        ck_assert_msg(outcome->fds_after == outcome->fds_before && outcome->leftover == 0,
                      "coprocess_run(\"cat\"), when %s, left the caller %d open descriptors "
                      "instead of %d (%s)%s", what, outcome->fds_after, outcome->fds_before,
                      outcome->fd_list, outcome->leftover != 0 ? ", and its child was not "
                      "waited for" : "");
        free(got.output);
        free(got.errors);
    }
}
END_TEST
