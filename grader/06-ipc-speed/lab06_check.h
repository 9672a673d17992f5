/*
 * lab06_check.h - what the Check suites of lab 06 share: unique names, test
 * data, and a parent and child joined by one of the student's transports.
 * Scaled deadlines, the state of a child process, waiting for a child to
 * sleep or exit, and killing and reaping it come from grader/lib/labchild.h.
 *
 * Tests never sleep for a fixed time to let something happen: they wait for
 * an event (a child asleep in state S, a child's exit) and give up only at a
 * generous deadline. A child reports what went wrong in a page it shares
 * with the test, so that the test's failure message can say it.
 */
#ifndef LAB06_CHECK_H
#define LAB06_CHECK_H

#include "labcheck.h"
#include "labchild.h"
#include "transport.h"

#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Seconds within which something that takes microseconds must have happened. */
enum { SOON = 5 };

/* A child waiting for data or room must be asleep (state S) at every look
 * for this long: one that spins, or yields the CPU in a loop, never is. */
static const double STEADY_SLEEP_SECONDS = 0.1;

/* The sizes every transport must carry: small, odd, a page, a pipe's worth
 * and one more byte, 1 MiB (as big as a ring), and more than a ring holds. */
static const size_t every_size[] = { 64, 1000, 4096, 65536, 65537, 1048576, 2621447 };
enum { SIZES = sizeof every_size / sizeof every_size[0] };

/* The directory for FIFOs and sockets: the run's TMPDIR, as "." (the test
 * moves there), since a socket's path must fit in 108 bytes. */
static inline const char *test_dir(void)
{
    const char *dir = getenv("TMPDIR");
    if (dir == NULL || dir[0] == '\0')
        dir = "/tmp";
    ck_assert_msg(chdir(dir) == 0, "test setup: chdir(%s): %s", dir, strerror(errno));
    return ".";
}

/* A name no other test, run or process uses: lab06.RUN.PID.N */
static inline void unique_name(char *name, size_t size)
{
    static int count;
    const char *run = getenv("GRADER_RUN_ID");
    snprintf(name, size, "lab06.%s.%d.%d", run != NULL ? run : "local", (int)getpid(), ++count);
}

/* Test data: byte i of stream number `stream` (so that two streams differ). */
static inline unsigned char pattern_byte(unsigned stream, size_t i)
{
    return (unsigned char)(i * 131 + (i >> 9) * 7 + stream * 29 + 1);
}

static inline void fill_pattern(unsigned char *buf, size_t len, unsigned stream, size_t from)
{
    for (size_t i = 0; i < len; i++)
        buf[i] = pattern_byte(stream, from + i);
}

/* The first byte that differs from the pattern, or -1. */
static inline long first_wrong_byte(const unsigned char *buf, size_t len, unsigned stream,
                                    size_t from)
{
    for (size_t i = 0; i < len; i++)
        if (buf[i] != pattern_byte(stream, from + i))
            return (long)i;
    return -1;
}

static inline unsigned char *allocate_or_fail(size_t size)
{
    unsigned char *memory = malloc(size);
    ck_assert_msg(memory != NULL, "test setup: malloc(%zu) failed", size);
    return memory;
}

/* How many more times a test calls create() (and close(), when create
 * succeeds) to see whether they free what they allocate: glibc keeps a freed
 * block in a per-thread cache (counted as in use), so one call tells nothing;
 * after a first call, code that frees reuses its block, and code that does
 * not grows by at least 32 bytes (the smallest block) each time. */
enum { MORE_CREATES = 64 };

/* Call ops->create(config) 1 + MORE_CREATES times, and ops->close() on each
 * state it returns: the bytes still allocated after the last call, minus
 * those after the first. */
static inline size_t bytes_kept_by_creates(const struct transport_ops *ops,
                                           struct transport_config *config)
{
    size_t before = 0;

    for (int i = 0; i <= MORE_CREATES; i++) {
        void *state = ops->create(config);
        if (state != NULL)
            ops->close(state);
        if (i == 0)
            before = lab_bytes_in_use();
    }
    size_t after = lab_bytes_in_use();
    return after > before ? after - before : 0;
}

/* ---------- a parent and a child joined by a transport ---------- */

/* What the child tells the test: the first thing that went wrong, and how
 * many signals it has handled. */
struct child_report {
    char message[600];
    volatile sig_atomic_t interruptions;
};

struct pair {
    const struct transport_ops *ops;
    struct transport_config config;
    char name[96];
    void *state;
    pid_t child;
    struct child_report *report;    /* shared with the child */
    int closed;
};

/* In the child: say what went wrong and exit with status 1. */
static inline void child_fails(struct pair *pair, const char *format, ...)
{
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(pair->report->message, sizeof pair->report->message, format, arguments);
    va_end(arguments);
    _exit(1);
}

/* create() the transport for messages of up to message_size bytes, or fail
 * the test saying what create returned. */
static inline void pair_create(struct pair *pair, const struct transport_ops *ops,
                               size_t message_size)
{
    memset(pair, 0, sizeof *pair);
    pair->ops = ops;
    unique_name(pair->name, sizeof pair->name);
    pair->config.name = pair->name;
    pair->config.dir = test_dir();
    pair->config.message_size = message_size;
    pair->report = mmap(NULL, sizeof *pair->report, PROT_READ | PROT_WRITE,
                        MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    ck_assert_msg(pair->report != MAP_FAILED, "test setup: mmap: %s", strerror(errno));
    errno = 0;
    pair->state = ops->create(&pair->config);
    int saved_errno = errno;
    ck_assert_msg(pair->state != NULL, "%s: create() returned NULL (errno %d: %s); expected "
                  "the transport's state (config: name \"%s\", dir \"%s\", message_size %zu)",
                  ops->name, saved_errno, strerror(saved_errno), pair->name, pair->config.dir,
                  message_size);
}

/* fork(); the child attaches, runs body(pair, argument), closes and exits 0
 * (body calls child_fails when something is wrong). The parent attaches. */
static inline void pair_start(struct pair *pair, void (*body)(struct pair *, void *),
                              void *argument)
{
    pair->child = fork();
    ck_assert_msg(pair->child != -1, "test setup: fork: %s", strerror(errno));
    if (pair->child == 0) {
        if (pair->ops->attach(pair->state, SIDE_CHILD) == -1)
            child_fails(pair, "attach(SIDE_CHILD) in the child failed: %s", strerror(errno));
        body(pair, argument);
        if (pair->ops->close(pair->state) == -1)
            child_fails(pair, "close() in the child failed: %s", strerror(errno));
        _exit(0);
    }
    errno = 0;
    int result = pair->ops->attach(pair->state, SIDE_PARENT);
    int saved_errno = errno;
    if (result == -1) {
        kill_and_reap(pair->child);
        pair->child = 0;
    }
    ck_assert_msg(result == 0, "%s: attach(SIDE_PARENT) returned %d (errno %d: %s); expected 0",
                  pair->ops->name, result, saved_errno, strerror(saved_errno));
}

/* ---------- what a process that does not finish is doing ---------- */

/* "asleep in recv() on the socket", "running (spinning?)": process pid's
 * state, and where it sleeps (/proc/PID/wchan) in words, in a buffer that
 * the next call overwrites. */
static inline const char *doing(pid_t pid)
{
    static const struct {
        const char *part, *words;
    } known[] = {
        { "futex", "on a futex (sem_wait(), or the ring's futex_wait())" },
        { "unix_stream_read", "in recv() on the socket, waiting for data" },
        { "unix_stream_data_wait", "in recv() on the socket, waiting for data" },
        { "sock_alloc_send", "in send() on the socket, waiting for room" },
        { "unix_wait_for_peer", "in send() on the socket, waiting for room" },
        { "inet_csk_accept", "in accept(), waiting for the other side to connect" },
        { "unix_wait", "in accept() or connect(), waiting for the other side" },
    };
    static char text[160];
    char path[64], wchan[64] = "";
    char state = process_state(pid);

    if (state == 'R')
        return "running, not waiting in the kernel (spinning?)";
    if (state == 'Z' || state == 'X')
        return "ended";
    snprintf(path, sizeof path, "/proc/%d/wchan", (int)pid);
    FILE *file = fopen(path, "r");
    if (file != NULL) {
        if (fgets(wchan, sizeof wchan, file) == NULL)
            wchan[0] = '\0';
        fclose(file);
    }
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strstr(wchan, known[i].part) != NULL) {
            snprintf(text, sizeof text, "asleep %s", known[i].words);
            return text;
        }
    snprintf(text, sizeof text, "in state %c (in the kernel function %s)", state, wchan);
    return text;
}

/* The parent's call that must not wait forever, for the watchdog. */
static struct pair *watched_pair;
static const char *watched_call;
static size_t watched_length;

/* SIGALRM in the test process: a send() or recv() of the parent waited too
 * long. Say who waited for what, and end the test. */
static void watchdog_fired(int signal_number)
{
    (void)signal_number;
    struct pair *pair = watched_pair;
    ck_abort_msg("%s: %s(%zu bytes) in the parent did not return within %.0f s (the test "
                 "stopped it); the child was %s%s%s", pair->ops->name, watched_call,
                 watched_length, scaled(2 * SOON),
                 pair->child > 0 ? doing(pair->child) : "gone",
                 pair->report->message[0] != '\0' ? "; it said: " : "", pair->report->message);
}

/* Arm (or disarm, call NULL) the watchdog for the parent's next call. */
static inline void watch(struct pair *pair, const char *call, size_t len)
{
    watched_pair = pair;
    watched_call = call;
    watched_length = len;
    if (call == NULL) {
        alarm(0);
        return;
    }
    signal(SIGALRM, watchdog_fired);
    alarm((unsigned)scaled(2 * SOON) + 1);
}

/* Wait for the child to exit 0, or fail with what it reported. */
static inline void pair_expect_child_success(struct pair *pair)
{
    int status = 0;

    if (!wait_for_exit(pair->child, 2 * SOON, &status)) {
        const char *what = doing(pair->child);
        kill_and_reap(pair->child);
        pair->child = 0;
        ck_abort_msg("%s: the child did not finish within %.0f s (the test stopped it); it "
                     "was %s%s%s", pair->ops->name, scaled(2 * SOON), what,
                     pair->report->message[0] != '\0' ? "; it said: " : "",
                     pair->report->message);
    }
    pair->child = 0;
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s: the child %s: %s",
                  pair->ops->name, how_it_ended(status),
                  pair->report->message[0] != '\0' ? pair->report->message
                                                   : "(it reported nothing)");
}

/* The parent's close, after the child has gone. */
static inline void pair_close(struct pair *pair)
{
    if (pair->child > 0) {
        kill_and_reap(pair->child);
        pair->child = 0;
    }
    errno = 0;
    int result = pair->ops->close(pair->state);
    int saved_errno = errno;
    pair->closed = 1;
    munmap(pair->report, sizeof *pair->report);
    ck_assert_msg(result == 0, "%s: close() in the parent returned %d (errno %d: %s); "
                  "expected 0", pair->ops->name, result, saved_errno, strerror(saved_errno));
}

/* send() len bytes, or fail the test. */
static inline void send_or_fail(struct pair *pair, const void *buf, size_t len)
{
    errno = 0;
    watch(pair, "send", len);
    int result = pair->ops->send(pair->state, buf, len);
    int saved_errno = errno;
    watch(pair, NULL, 0);
    if (result != 0)
        kill_and_reap(pair->child);
    ck_assert_msg(result == 0, "%s: send(%zu bytes) in the parent returned %d (errno %d: %s); "
                  "expected 0%s%s", pair->ops->name, len, result, saved_errno,
                  strerror(saved_errno), pair->report->message[0] ? "; the child said: " : "",
                  pair->report->message);
}

/* recv() len bytes, or fail the test. */
static inline void recv_or_fail(struct pair *pair, void *buf, size_t len)
{
    errno = 0;
    watch(pair, "recv", len);
    int result = pair->ops->recv(pair->state, buf, len);
    int saved_errno = errno;
    watch(pair, NULL, 0);
    if (result != 0)
        kill_and_reap(pair->child);
    ck_assert_msg(result == 0, "%s: recv(%zu bytes) in the parent returned %d (errno %d: %s); "
                  "expected 0%s%s", pair->ops->name, len, result, saved_errno,
                  strerror(saved_errno), pair->report->message[0] ? "; the child said: " : "",
                  pair->report->message);
}

/* ---------- signals that interrupt a child's waits ---------- */

static struct child_report *report_of_this_child;  /* for its signal handler */

static void count_interruption(int signal_number)
{
    (void)signal_number;
    if (report_of_this_child != NULL)
        report_of_this_child->interruptions++;
}

/* In the child: handle SIGUSR1 without SA_RESTART, so that a blocking call
 * it interrupts (recv, send, sem_wait) fails with EINTR instead of being
 * restarted by the kernel. */
static inline void let_SIGUSR1_interrupt(struct pair *pair)
{
    struct sigaction action;

    report_of_this_child = pair->report;
    memset(&action, 0, sizeof action);
    sigemptyset(&action.sa_mask);
    action.sa_handler = count_interruption;
    action.sa_flags = 0;
    if (sigaction(SIGUSR1, &action, NULL) == -1)
        child_fails(pair, "test setup: sigaction: %s", strerror(errno));
}

/* Send SIGUSR1 to the child each time it is asleep (waiting), times times,
 * and each time wait until its handler has run. Returns how many it
 * handled; fewer when it stopped waiting (it ended, or went on). */
static inline int interrupt_while_asleep(struct pair *pair, int times)
{
    int handled = pair->report->interruptions;

    for (int sent = 0; sent < times; sent++) {
        if (wait_until_asleep(pair->child, SOON, 0.05) != 'S')
            break;
        ck_assert_msg(kill(pair->child, SIGUSR1) == 0, "test setup: kill: %s", strerror(errno));
        double deadline = monotonic_seconds() + scaled(SOON);
        while (pair->report->interruptions <= handled + sent && monotonic_seconds() < deadline)
            pause_briefly();
    }
    return pair->report->interruptions - handled;
}

/* Fail, with what the child said, if it has ended while the test meant it to wait. */
static inline void expect_child_still_waiting(struct pair *pair, const char *when)
{
    char state = process_state(pair->child);

    if (state != 'Z' && state != 'X')
        return;
    int status = 0;
    wait_for_exit(pair->child, SOON, &status);
    pair->child = 0;
    ck_abort_msg("%s: %s, the child %s: %s. A call that a signal interrupts before it has "
                 "moved anything fails with EINTR (its handler was installed without "
                 "SA_RESTART): make it again", pair->ops->name, when, how_it_ended(status),
                 pair->report->message[0] != '\0' ? pair->report->message
                                                   : "(it reported nothing)");
}

/* ---------- tests that every one of the student's transports must pass ---------- */

/* The child: receive a message of every size and send it back. */
static inline void echo_every_size(struct pair *pair, void *unused)
{
    unsigned char *buf = malloc(every_size[SIZES - 1]);

    (void)unused;
    if (buf == NULL)
        child_fails(pair, "malloc failed in the child");
    for (int i = 0; i < SIZES; i++) {
        if (pair->ops->recv(pair->state, buf, every_size[i]) == -1)
            child_fails(pair, "the child's recv(%zu bytes) failed: %s", every_size[i],
                        strerror(errno));
        long wrong = first_wrong_byte(buf, every_size[i], (unsigned)i, 0);
        if (wrong >= 0)
            child_fails(pair, "the child received a message of %zu bytes whose byte %ld is "
                        "%u; the parent sent %u", every_size[i], wrong, buf[wrong],
                        pattern_byte((unsigned)i, (size_t)wrong));
        if (pair->ops->send(pair->state, buf, every_size[i]) == -1)
            child_fails(pair, "the child's send(%zu bytes) failed: %s", every_size[i],
                        strerror(errno));
    }
    free(buf);
}

/* The parent sends a message of every size; the child checks it and sends
 * it back; the parent checks the echo. */
static inline void check_every_size_both_ways(const struct transport_ops *ops)
{
    struct pair pair;
    size_t largest = every_size[SIZES - 1];
    unsigned char *message = allocate_or_fail(largest), *echo = allocate_or_fail(largest);

    pair_create(&pair, ops, largest);
    pair_start(&pair, echo_every_size, NULL);
    for (int i = 0; i < SIZES; i++) {
        fill_pattern(message, every_size[i], (unsigned)i, 0);
        memset(echo, 0, every_size[i]);
        send_or_fail(&pair, message, every_size[i]);
        recv_or_fail(&pair, echo, every_size[i]);
        long wrong = first_wrong_byte(echo, every_size[i], (unsigned)i, 0);
        if (wrong >= 0)
            kill_and_reap(pair.child);
        ck_assert_msg(wrong < 0, "%s: the echo of a message of %zu bytes differs at byte %ld: "
                      "%u, where %u was sent", ops->name, every_size[i], wrong, echo[wrong],
                      pattern_byte((unsigned)i, (size_t)wrong));
    }
    pair_expect_child_success(&pair);
    pair_close(&pair);
    free(message);
    free(echo);
}

/* The child of the byte-stream test: reads in pieces that never match the writes. */
static inline void read_in_odd_pieces(struct pair *pair, void *argument)
{
    size_t total = *(size_t *)argument, position = 0, piece = 1;
    unsigned char *buf = malloc(40000);

    if (buf == NULL)
        child_fails(pair, "malloc failed in the child");
    while (position < total) {
        size_t size = piece < total - position ? piece : total - position;
        if (pair->ops->recv(pair->state, buf, size) == -1)
            child_fails(pair, "the child's recv(%zu bytes) at byte %zu of the stream failed: "
                        "%s", size, position, strerror(errno));
        long wrong = first_wrong_byte(buf, size, 5, position);
        if (wrong >= 0)
            child_fails(pair, "byte %zu of the stream, read by recv(%zu bytes), is %u; %u was "
                        "sent", position + (size_t)wrong, size, buf[wrong],
                        pattern_byte(5, position + (size_t)wrong));
        position += size;
        piece = piece * 3 + 1 < 40000 ? piece * 3 + 1 : 7;    /* 1, 4, 13, 40, ..., 7, 22 */
    }
    if (pair->ops->send(pair->state, "done", 4) == -1)
        child_fails(pair, "the child's send(4 bytes) failed: %s", strerror(errno));
    free(buf);
}

/* Writes of one size, reads of others: a transport is a byte stream, so a
 * recv may take part of a send, or the end of one and the start of the next. */
static inline void check_byte_stream(const struct transport_ops *ops)
{
    static const size_t writes[] = { 1000, 1000, 1000, 3, 200000, 1, 70000, 12345 };
    size_t total = 0, position = 0;
    struct pair pair;
    unsigned char *buf = allocate_or_fail(200000);
    char done[4];

    for (size_t i = 0; i < sizeof writes / sizeof writes[0]; i++)
        total += writes[i];
    pair_create(&pair, ops, 200000);
    pair_start(&pair, read_in_odd_pieces, &total);
    for (size_t i = 0; i < sizeof writes / sizeof writes[0]; i++) {
        fill_pattern(buf, writes[i], 5, position);
        send_or_fail(&pair, buf, writes[i]);
        position += writes[i];
    }
    recv_or_fail(&pair, done, sizeof done);
    pair_expect_child_success(&pair);
    pair_close(&pair);
    free(buf);
}

/* The child of the sleeping tests: receive `total` bytes and check them. */
static inline void receive_and_check(struct pair *pair, void *argument)
{
    size_t total = *(size_t *)argument, position = 0;
    unsigned char *buf = malloc(65536);

    if (buf == NULL)
        child_fails(pair, "malloc failed in the child");
    while (position < total) {
        size_t size = total - position < 65536 ? total - position : 65536;
        if (pair->ops->recv(pair->state, buf, size) == -1)
            child_fails(pair, "the child's recv(%zu bytes) failed: %s", size, strerror(errno));
        long wrong = first_wrong_byte(buf, size, 9, position);
        if (wrong >= 0)
            child_fails(pair, "byte %zu of the stream is %u; %u was sent",
                        position + (size_t)wrong, buf[wrong],
                        pattern_byte(9, position + (size_t)wrong));
        position += size;
    }
    free(buf);
}

/* The child calls recv on an empty transport: it must sleep, not spin. */
static inline void check_reader_sleeps(const struct transport_ops *ops)
{
    struct pair pair;
    size_t total = 64;
    unsigned char message[64];

    pair_create(&pair, ops, 64);
    pair_start(&pair, receive_and_check, &total);
    char state = wait_until_asleep(pair.child, SOON, STEADY_SLEEP_SECONDS);
    if (state != 'S')
        kill_and_reap(pair.child);
    ck_assert_msg(state == 'S', "%s: a child waiting in recv() on an empty transport should "
                  "sleep (state S at every look for %.1f s); after %.0f s it is in state "
                  "%c%s%s%s", ops->name, STEADY_SLEEP_SECONDS, scaled(SOON), state,
                  state == 'R' ? " (running: does it spin without ever sleeping in a futex "
                                 "or semaphore?)" : " (it ended; it said: ",
                  state == 'R' ? "" : pair.report->message, state == 'R' ? "" : ")");
    fill_pattern(message, sizeof message, 9, 0);
    send_or_fail(&pair, message, sizeof message);
    pair_expect_child_success(&pair);
    pair_close(&pair);
}

/* The child sends more than the transport holds while the parent does not
 * read: it must sleep until there is room, and then nothing may be lost. */
static inline void send_a_lot(struct pair *pair, void *argument)
{
    size_t total = *(size_t *)argument, position = 0;
    unsigned char *buf = malloc(65536);

    if (buf == NULL)
        child_fails(pair, "malloc failed in the child");
    while (position < total) {
        size_t size = total - position < 65536 ? total - position : 65536;
        fill_pattern(buf, size, 9, position);
        if (pair->ops->send(pair->state, buf, size) == -1)
            child_fails(pair, "the child's send(%zu bytes) failed: %s", size, strerror(errno));
        position += size;
    }
    free(buf);
}

static inline void check_writer_sleeps_when_full(const struct transport_ops *ops)
{
    struct pair pair;
    size_t total = 3 * 1024 * 1024 + 4321, position = 0;
    unsigned char *buf = allocate_or_fail(65536);

    pair_create(&pair, ops, 65536);
    pair_start(&pair, send_a_lot, &total);
    char state = wait_until_asleep(pair.child, SOON, STEADY_SLEEP_SECONDS);
    if (state != 'S')
        kill_and_reap(pair.child);
    ck_assert_msg(state == 'S', "%s: a child sending %zu bytes that nobody reads should sleep "
                  "when the transport is full (state S at every look for %.1f s); after %.0f s "
                  "it is in state %c%s%s", ops->name, total, STEADY_SLEEP_SECONDS, scaled(SOON),
                  state,
                  state == 'R' ? " (running: does it spin, or overwrite unread data?)"
                               : " (it ended: did send() return before the data had room?) ",
                  pair.report->message);
    while (position < total) {
        size_t size = total - position < 65536 ? total - position : 65536;
        recv_or_fail(&pair, buf, size);
        long wrong = first_wrong_byte(buf, size, 9, position);
        if (wrong >= 0)
            kill_and_reap(pair.child);
        ck_assert_msg(wrong < 0, "%s: byte %zu of the stream is %u; the child sent %u (was "
                      "data overwritten before it was read?)", ops->name,
                      position + (size_t)wrong, buf[wrong],
                      pattern_byte(9, position + (size_t)wrong));
        position += size;
    }
    pair_expect_child_success(&pair);
    pair_close(&pair);
    free(buf);
}

/* The child of the signal test: its waits may be interrupted; it receives
 * 64 bytes, then sends more than the transport holds. */
static inline void receive_then_send_interruptibly(struct pair *pair, void *argument)
{
    size_t small = 64;

    let_SIGUSR1_interrupt(pair);
    receive_and_check(pair, &small);
    send_a_lot(pair, argument);
}

/* SIGUSR1 (no SA_RESTART) interrupts the child twice while it waits for
 * data, and twice while it waits for room: nothing may fail or be lost. */
static inline void check_waits_go_on_after_signals(const struct transport_ops *ops)
{
    struct pair pair;
    size_t total = 3 * 1024 * 1024 + 4321, position = 0;
    unsigned char *buf = allocate_or_fail(65536);

    pair_create(&pair, ops, 65536);
    pair_start(&pair, receive_then_send_interruptibly, &total);
    int in_recv = interrupt_while_asleep(&pair, 2);
    expect_child_still_waiting(&pair, "with SIGUSR1 interrupting its recv() while it waited "
                                      "for data");
    fill_pattern(buf, 64, 9, 0);
    send_or_fail(&pair, buf, 64);
    int in_send = interrupt_while_asleep(&pair, 2);
    expect_child_still_waiting(&pair, "with SIGUSR1 interrupting its send() while it waited "
                                      "for room");
    while (position < total) {
        size_t size = total - position < 65536 ? total - position : 65536;
        recv_or_fail(&pair, buf, size);
        long wrong = first_wrong_byte(buf, size, 9, position);
        if (wrong >= 0)
            kill_and_reap(pair.child);
        ck_assert_msg(wrong < 0, "%s: after %d signal(s) had interrupted the child's send(), "
                      "byte %zu of the stream is %u; the child sent %u: a send() cut short "
                      "must go on from where it stopped", ops->name, in_send,
                      position + (size_t)wrong, buf[wrong],
                      pattern_byte(9, position + (size_t)wrong));
        position += size;
    }
    (void)in_recv;
    pair_expect_child_success(&pair);
    pair_close(&pair);
    free(buf);
}

#endif
