/*
 * check_records.c - Check tests for lab 05: write_records() and
 * count_interleaved().
 *
 * A packet-mode pipe (pipe2 with O_DIRECT) keeps each write() apart: one
 * read() returns one write's bytes. That shows exactly how a record was
 * written: in one write() of its size, or not.
 */
#define _GNU_SOURCE
#include "pipetest.h"
#include "records.h"

#include <limits.h>
#include <sys/ioctl.h>

enum { DEADLINE = 5 };

/* A whole record of size bytes by writer, into buffer (size bytes). */
static void make_record(char *buffer, char writer, size_t size)
{
    memset(buffer, writer - 'A' + 'a', size);
    buffer[0] = writer;
    buffer[size - 1] = '\n';
}

struct write_call {
    int fd;
    char writer;
    long count;
    size_t size;
    struct outcome *outcome;
};

/* values[0]: the bytes of memory in use after the call less those before. */
static void call_write_records(void *arg)
{
    struct write_call *call = arg;
    long before = memory_in_use();
    errno = 0;
    call->outcome->result = write_records(call->fd, call->writer, call->count, call->size);
    call->outcome->error = errno;
    call->outcome->values[0] = memory_in_use() - before;
}

/* Check that count records of size bytes by writer came as count writes. */
static void expect_packets(char writer, long count, size_t size)
{
    int fds[2];
    struct outcome *outcome = shared_outcome();
    struct write_call call = { -1, writer, count, size, outcome };
    int wait_status;
    char expected[PIPE_BUF + 1], packet[2 * PIPE_BUF];

    ck_assert_msg(pipe2(fds, O_DIRECT) == 0, "test setup: pipe2(O_DIRECT): %s",
                  strerror(errno));
    call.fd = fds[1];
    if (!finishes_within(DEADLINE, "write_records", call_write_records, &call, -1, -1, -1,
                         &wait_status))
        ck_abort_msg("write_records(fd, '%c', %ld, %zu) into a packet pipe, which holds 16 "
                     "writes, %s. Write each record with ONE write()", writer, count, size,
                     hang_details());
    expect_clean_end("write_records()", wait_status);
    close(fds[1]);
    ck_assert_msg(outcome->result == 0, "write_records(fd, '%c', %ld, %zu) returned %d "
                  "(errno: %s); expected 0%s", writer, count, size, outcome->result,
                  strerror(outcome->error),
                  outcome->error == ENOSYS ? " (it is not written yet)" : "");

    /* Read every packet: one per write(), a write over PIPE_BUF in pieces. */
    char sizes[200] = "";
    size_t used = 0;
    long packets = 0, right = 0;
    ssize_t got;
    make_record(expected, writer, size);
    expected[size] = '\0';
    while ((got = read(fds[0], packet, sizeof packet)) > 0) {
        packets++;
        if (got == (ssize_t)size && memcmp(packet, expected, size) == 0)
            right++;
        if (used < sizeof sizes) {
            int n = snprintf(sizes + used, sizeof sizes - used, "%s%zd", packets > 1 ? ", " : "",
                             got);
            if (n > 0)
                used += (size_t)n;
        }
    }
    close(fds[0]);
    ck_assert_msg(packets == count && right == count,
                  "write_records(fd, '%c', %ld, %zu) made %ld write()s of %s bytes, %ld of them a "
                  "whole record; expected %ld write()s of exactly %zu bytes, each a whole "
                  "record \"%.12s...\". A write() of more than PIPE_BUF (%d) bytes arrives in "
                  "pieces and is not atomic; so does a record written with several write()s",
                  writer, count, size, packets, sizes, right, count, size, shown(expected),
                  PIPE_BUF);
}

LAB_TEST_WITH_TIMEOUT(each_record_is_one_write_of_exactly_its_size, 1, "5.2", "", 4 * DEADLINE)
{
    expect_packets('C', 3, PIPE_BUF);
    expect_packets('Z', 2, 100);
    expect_packets('A', 1, 2);
}
END_TEST

LAB_TEST(write_records_rejects_bad_arguments_with_EINVAL, 1, "5.2", "")
{
    struct {
        char writer;
        long count;
        size_t size;
    } bad[] = { { 'a', 1, 10 }, { '@', 1, 10 }, { '[', 1, 10 }, { '\0', 1, 10 },
                { 'A', 1, 1 }, { 'A', 1, 0 }, { 'A', 1, RECORD_MAX + 1 }, { 'A', -1, 10 },
                { 'a', 1, 100000 }, { 'A', -1, 100000 } };
    int fds[2];

    ck_assert_msg(pipe(fds) == 0, "test setup: pipe: %s", strerror(errno));
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        long before = memory_in_use();
        errno = 0;
        int result = write_records(fds[1], bad[i].writer, bad[i].count, bad[i].size);
        int saved_errno = errno, waiting = -1;
        long leaked = memory_in_use() - before;
        ioctl(fds[0], FIONREAD, &waiting);
        ck_assert_msg(result == -1 && saved_errno == EINVAL && waiting == 0,
                      "write_records(fd, %d ('%c'), %ld, %zu) returned %d (errno: %s) and wrote "
                      "%d bytes; expected -1 with errno EINVAL and nothing written: a writer is "
                      "a capital letter A-Z, a size is %d to %d bytes, a count is not negative",
                      bad[i].writer, bad[i].writer >= ' ' ? bad[i].writer : '?', bad[i].count,
                      bad[i].size, result, strerror(saved_errno), waiting, RECORD_MIN,
                      RECORD_MAX);
        ck_assert_msg(leaked <= LEAK_SLACK,
                      "write_records(fd, %d ('%c'), %ld, %zu) returned -1 with EINVAL, and left "
                      "%ld more bytes of memory allocated than before the call: check the "
                      "arguments before you allocate the record, or free it on that way out",
                      bad[i].writer, bad[i].writer >= ' ' ? bad[i].writer : '?', bad[i].count,
                      bad[i].size, leaked);
    }
    close(fds[0]);
    close(fds[1]);
}
END_TEST

LAB_TEST(write_records_takes_the_smallest_and_largest_size_and_a_count_of_0, 1, "5.2", "")
{
    int fds[2];

    ck_assert_msg(pipe(fds) == 0, "test setup: pipe: %s", strerror(errno));
    errno = 0;
    int result = write_records(fds[1], 'Q', 0, 100);
    int saved_errno = errno, waiting = -1;
    ioctl(fds[0], FIONREAD, &waiting);
    ck_assert_msg(result == 0 && waiting == 0, "write_records(fd, 'Q', 0, 100) returned %d "
                  "(errno: %s) and wrote %d bytes; expected 0 and nothing written", result,
                  strerror(saved_errno), waiting);
    errno = 0;
    result = write_records(fds[1], 'Z', 1, RECORD_MIN);
    saved_errno = errno;
    char two[3] = "";
    ssize_t got = read(fds[0], two, 2);
    ck_assert_msg(result == 0 && got == 2 && memcmp(two, "Z\n", 2) == 0,
                  "write_records(fd, 'Z', 1, %d) returned %d (errno: %s) and wrote \"%s\"; "
                  "expected 0 and the record \"Z\\n\"", RECORD_MIN, result,
                  strerror(saved_errno), shown(two));
    close(fds[0]);
    close(fds[1]);

    int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
    ck_assert_msg(null != -1, "test setup: /dev/null: %s", strerror(errno));
    long before = memory_in_use();
    errno = 0;
    result = write_records(null, 'M', 2, RECORD_MAX);
    saved_errno = errno;
    long leaked = memory_in_use() - before;
    close(null);
    ck_assert_msg(result == 0, "write_records(/dev/null, 'M', 2, %d), the largest size, "
                  "returned %d (errno: %s); expected 0", RECORD_MAX, result,
                  strerror(saved_errno));
    ck_assert_msg(leaked <= LEAK_SLACK, "write_records(/dev/null, 'M', 2, %d) returned 0, and "
                  "left %ld more bytes of memory allocated than before the call: free the "
                  "record before you return", RECORD_MAX, leaked);
}
END_TEST

/* write_records() with SIGPIPE ignored. */
static void call_write_records_ignoring_sigpipe(void *arg)
{
    signal(SIGPIPE, SIG_IGN);
    call_write_records(arg);
}

LAB_TEST_WITH_TIMEOUT(write_records_fails_with_the_errno_of_a_failed_write, 1, "5.2", "", 2 * DEADLINE)
{
    int fds[2];
    struct outcome *outcome = shared_outcome();
    struct write_call call = { -1, 'K', 3, 100000, outcome };
    int wait_status;

    ck_assert_msg(pipe(fds) == 0, "test setup: pipe: %s", strerror(errno));
    close(fds[0]);
    call.fd = fds[1];
    if (!finishes_within(DEADLINE, "write_records", call_write_records_ignoring_sigpipe, &call,
                         -1, -1, -1, &wait_status))
        ck_abort_msg("write_records() into a pipe without a reader %s. A write() that fails "
                     "returns -1: stop there", hang_details());
    expect_clean_end("write_records()", wait_status);
    close(fds[1]);
    ck_assert_msg(outcome->result == -1 && outcome->error == EPIPE,
                  "write_records(fd, 'K', 3, 100000) into a pipe without a reader (SIGPIPE "
                  "ignored) returned %d (errno: %s); expected -1 with errno EPIPE, the "
                  "write()'s%s", outcome->result, strerror(outcome->error),
                  outcome->error == ENOSYS ? " (it is not written yet)" : "");
    ck_assert_msg(outcome->values[0] <= LEAK_SLACK,
                  "write_records(fd, 'K', 3, 100000) failed with EPIPE, and left %ld more bytes "
                  "of memory allocated than before the call: free the record on that way out "
                  "too", outcome->values[0]);
}
END_TEST

/* write_records() with SIGUSR1 able to interrupt its write()s. */
static void call_write_records_interruptibly(void *arg)
{
    let_SIGUSR1_interrupt();
    call_write_records(arg);
}

LAB_TEST_WITH_TIMEOUT(write_records_finishes_a_record_that_a_signal_cut_short, 1, "5.2", "partial writes and EINTR", 2 * DEADLINE)
{
    /* Records of 200000 bytes into a pipe of 65536 that nobody reads yet:
     * the first signal cuts a write() short (it returns 65536), the second
     * finds the next write() with nothing written (EINTR). */
    enum { SIZE = 200000, COUNT = 3 };
    int fds[2], wait_status;
    struct outcome *outcome = shared_outcome();
    struct write_call call = { -1, 'S', COUNT, SIZE, outcome };
    char *expected = malloc(SIZE), *got = malloc(SIZE);

    ck_assert_msg(expected != NULL && got != NULL, "test setup: malloc failed");
    make_record(expected, 'S', SIZE);
    ck_assert_msg(pipe(fds) == 0, "test setup: pipe: %s", strerror(errno));
    call.fd = fds[1];
    pid_t body = start_body(call_write_records_interruptibly, &call, -1, -1, -1);
    close(fds[1]);
    int signals = interrupt_while_asleep_in(body, "pipe_write", 2);

    long records = 0, right = 0;
    size_t filled = 0;
    ssize_t n;
    while ((n = read(fds[0], got + filled, SIZE - filled)) > 0) {
        filled += (size_t)n;
        if (filled == SIZE) {
            records++;
            right += memcmp(got, expected, SIZE) == 0;
            filled = 0;
        }
    }
    close(fds[0]);
    if (!finished_within(body, DEADLINE, "write_records", &wait_status))
        ck_abort_msg("write_records() %s", hang_details());
    expect_clean_end("write_records()", wait_status);
    free(expected);
    free(got);
    ck_assert_msg(outcome->result == 0 && records == COUNT && right == COUNT && filled == 0,
                  "write_records(fd, 'S', %d, %d), interrupted by %d signal(s) while it waited "
                  "for room, returned %d (errno: %s) and wrote %ld whole records, %ld of them "
                  "right, and %zu bytes more; expected 0 and %d right records. A signal makes "
                  "a write() that has written part of a record return that part (write the "
                  "rest), and one that has written nothing fail with EINTR (write again)",
                  COUNT, SIZE, signals, outcome->result, strerror(outcome->error), records,
                  right, filled, COUNT);
}
END_TEST

/* count_interleaved() of the stream text, read from a memfd. */
static long count(const char *text, size_t size, long *pieces)
{
    int fd = memfd_with(text);
    errno = 0;
    long interleaved = count_interleaved(fd, size, pieces);
    int saved_errno = errno;
    close(fd);
    ck_assert_msg(interleaved != -1, "count_interleaved() failed: %s%s", strerror(saved_errno),
                  saved_errno == ENOSYS ? " (it is not written yet)" : "");
    return interleaved;
}

LAB_TEST(count_finds_no_interleaving_in_whole_records, 1, "5.3", "")
{
    char stream[4 * 10 + 1];
    const char writers[] = "ABAC";
    for (int i = 0; i < 4; i++)
        make_record(stream + 10 * i, writers[i], 10);
    stream[40] = '\0';
    long pieces = -1;
    long interleaved = count(stream, 10, &pieces);
    ck_assert_msg(interleaved == 0 && pieces == 4,
                  "count_interleaved() of four whole 10-byte records \"%s\" gave %ld "
                  "interleaved of %ld; expected 0 of 4", shown(stream), interleaved, pieces);
}
END_TEST

LAB_TEST(count_finds_each_interleaved_piece, 1, "5.3", "")
{
    /* A, then B cut in two with C inside it, then D: the middle two
     * 10-byte pieces are mixed; a short last piece counts too. */
    char a[10], b[10], c[10], d[10], stream[64];
    make_record(a, 'A', 10);
    make_record(b, 'B', 10);
    make_record(c, 'C', 10);
    make_record(d, 'D', 10);
    memcpy(stream, a, 10);
    memcpy(stream + 10, b, 6);
    memcpy(stream + 16, c, 10);
    memcpy(stream + 26, b + 6, 4);
    memcpy(stream + 30, d, 10);
    stream[40] = '\0';
    long pieces = -1;
    long interleaved = count(stream, 10, &pieces);
    ck_assert_msg(interleaved == 2 && pieces == 4,
                  "count_interleaved() of \"%s\" gave %ld interleaved of %ld; expected 2 of 4 "
                  "(the 2nd and 3rd pieces mix B and C)", shown(stream), interleaved, pieces);

    /* A short last piece of 2 bytes, then of 1. */
    const char *ends[] = { "Ee", "E" };
    for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
        strcpy(stream + 40, ends[i]);
        interleaved = count(stream, 10, &pieces);
        ck_assert_msg(interleaved == 3 && pieces == 5,
                      "count_interleaved() of \"%s\" gave %ld interleaved of %ld; expected 3 of "
                      "5 (a short last piece, even of one byte, is a piece, and not a whole "
                      "record)", shown(stream), interleaved, pieces);
    }

    /* Pieces that start with a capital and end with a newline, but mix
     * letters in between, or carry another writer's letters; pieces without
     * their capital or without their newline. */
    const char *mixed[] = { "AaaBbbbbb\n", "Abbbbbbbb\n", "Aaaaa\naaa\n", "Aaaaaaaaa\n",
                            "aaaaaaaaa\n", "Aaaaaaaaaa", "Abaaaaaaa\n", "Aaaaaaaab\n" };
    long expected[] = { 1, 1, 1, 0, 1, 1, 1, 1 };
    for (size_t i = 0; i < sizeof mixed / sizeof mixed[0]; i++) {
        interleaved = count(mixed[i], 10, &pieces);
        ck_assert_msg(interleaved == expected[i] && pieces == 1,
                      "count_interleaved() of the one 10-byte piece \"%s\" gave %ld interleaved "
                      "of %ld; expected %ld of 1: a whole record is one capital letter, 8 of "
                      "the same letter in lower case, and a newline", shown(mixed[i]),
                      interleaved, pieces, expected[i]);
    }
}
END_TEST

struct count_call {
    int fd;
    size_t size;
    struct outcome *outcome;
};

static void call_count_interleaved(void *arg)
{
    struct count_call *call = arg;
    long pieces = -1;
    errno = 0;
    call->outcome->values[0] = count_interleaved(call->fd, call->size, &pieces);
    call->outcome->error = errno;
    call->outcome->values[1] = pieces;
}

/* The writer of the stream: PIECE bytes at a time, each only once the pipe
 * is empty, so that every read() returns at most PIECE bytes. (A writer that
 * filled the pipe before the reader started would let one read() bring a
 * whole record, and hide a reader that never reads twice.) */
static void write_paced(int fd, const char *stream, size_t length, size_t piece)
{
    for (size_t sent = 0; sent < length; sent += piece) {
        size_t chunk = length - sent < piece ? length - sent : piece;
        if (write(fd, stream + sent, chunk) != (ssize_t)chunk)
            _exit(1);
        double deadline = monotonic_seconds() + scaled(1);
        int waiting;
        while (ioctl(fd, FIONREAD, &waiting) == 0 && waiting > 0 &&
               monotonic_seconds() < deadline)
            pause_milliseconds(1);
    }
    _exit(0);
}

LAB_TEST_WITH_TIMEOUT(count_reads_records_that_arrive_in_small_pieces, 1, "5.3", "a read returns what is there", 2 * DEADLINE)
{
    enum { RECORDS = 20, SIZE = 100, PIECE = 37 };
    static char stream[RECORDS * SIZE];
    int fds[2];

    for (int i = 0; i < RECORDS; i++)
        make_record(stream + SIZE * i, (char)('A' + i % 26), SIZE);
    ck_assert_msg(pipe(fds) == 0, "test setup: pipe: %s", strerror(errno));
    pid_t writer = fork();
    ck_assert_msg(writer != -1, "test setup: fork: %s", strerror(errno));
    if (writer == 0) {
        close(fds[0]);
        write_paced(fds[1], stream, sizeof stream, PIECE);
    }
    close(fds[1]);

    struct outcome *outcome = shared_outcome();
    struct count_call call = { fds[0], SIZE, outcome };
    int wait_status;
    int finished = finishes_within(DEADLINE, "count_interleaved", call_count_interleaved, &call,
                                   -1, -1, -1, &wait_status);
    close(fds[0]);
    kill_and_reap(writer);
    ck_assert_msg(finished, "count_interleaved() of records written %d bytes at a time %s. "
                  "Read until read() returns 0 (end-of-file)", PIECE, hang_details());
    expect_clean_end("count_interleaved()", wait_status);
    ck_assert_msg(outcome->values[0] == 0 && outcome->values[1] == RECORDS,
                  "count_interleaved() of %d whole %d-byte records that arrived %d bytes at a "
                  "time gave %ld interleaved of %ld (errno: %s); expected 0 of %d: a read() "
                  "returns what is there, so fill each piece with as many reads as it takes",
                  RECORDS, SIZE, PIECE, outcome->values[0], outcome->values[1],
                  strerror(outcome->error), RECORDS);
}
END_TEST

LAB_TEST(count_rejects_a_size_out_of_range_with_EINVAL, 1, "5.3", "")
{
    /* Sizes out of the range, then both of its ends, which are sizes: 10
     * bytes make 5 pieces of RECORD_MIN bytes, or one short piece of
     * RECORD_MAX (-1: EINVAL expected). */
    size_t sizes[] = { 0, 1, RECORD_MAX + 1, RECORD_MIN, RECORD_MAX };
    long expected[] = { -1, -1, -1, 5, 1 };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        int fd = memfd_with("Aaaaaaaaa\n");
        long pieces = -1, before = memory_in_use();
        errno = 0;
        long got = count_interleaved(fd, sizes[i], &pieces);
        int saved_errno = errno;
        long leaked = memory_in_use() - before;
        close(fd);
        if (expected[i] == -1)
            ck_assert_msg(got == -1 && saved_errno == EINVAL,
                          "count_interleaved(fd, %zu, &pieces) returned %ld (errno: %s); "
                          "expected -1 with errno EINVAL: a record is %d to %d bytes",
                          sizes[i], got, strerror(saved_errno), RECORD_MIN, RECORD_MAX);
        else
            ck_assert_msg(got != -1 && pieces == expected[i],
                          "count_interleaved(fd, %zu, &pieces) on 10 bytes returned %ld "
                          "(errno: %s) with %ld piece(s); expected %ld: %d and %d are both "
                          "sizes a record may have", sizes[i], got, strerror(saved_errno),
                          pieces, expected[i], RECORD_MIN, RECORD_MAX);
        ck_assert_msg(leaked <= LEAK_SLACK,
                      "count_interleaved(fd, %zu, &pieces) returned %ld, and left %ld more "
                      "bytes of memory allocated than before the call: check the size before "
                      "you allocate the piece, and free it before you return", sizes[i], got,
                      leaked);
    }
}
END_TEST

LAB_TEST(count_fails_with_the_errno_of_a_failed_read, 1, "5.3", "")
{
    /* The write end of a pipe cannot be read: read() fails with EBADF. */
    int fds[2];
    ck_assert_msg(pipe(fds) == 0, "test setup: pipe: %s", strerror(errno));
    long pieces = -1, before = memory_in_use();
    errno = 0;
    long got = count_interleaved(fds[1], RECORD_MAX, &pieces);
    int saved_errno = errno;
    long leaked = memory_in_use() - before;
    close(fds[0]);
    close(fds[1]);
    ck_assert_msg(got == -1 && saved_errno == EBADF,
                  "count_interleaved() of the write end of a pipe returned %ld (errno: %s); "
                  "expected -1 with errno EBADF, the read()'s: a read() that fails with "
                  "anything but EINTR ends the count", got, strerror(saved_errno));
    ck_assert_msg(leaked <= LEAK_SLACK,
                  "count_interleaved(fd, %d, &pieces) failed with EBADF, and left %ld more "
                  "bytes of memory allocated than before the call: free the piece on that way "
                  "out too", RECORD_MAX, leaked);
}
END_TEST

struct interrupted_count {
    struct count_call call;
    int write_fd;               /* the test's end of the pipe */
};

/* count_interleaved() with SIGUSR1 able to interrupt its read()s. */
static void call_count_interleaved_interruptibly(void *arg)
{
    struct interrupted_count *interrupted = arg;

    close(interrupted->write_fd);
    let_SIGUSR1_interrupt();
    call_count_interleaved(&interrupted->call);
}

LAB_TEST_WITH_TIMEOUT(count_reads_on_when_a_signal_interrupts_a_read, 1, "5.3", "EINTR", 2 * DEADLINE)
{
    int fds[2], wait_status;
    struct outcome *outcome = shared_outcome();
    char stream[30];

    ck_assert_msg(pipe(fds) == 0, "test setup: pipe: %s", strerror(errno));
    struct interrupted_count interrupted = { { fds[0], 10, outcome }, fds[1] };
    pid_t body = start_body(call_count_interleaved_interruptibly, &interrupted, -1, -1, -1);
    close(fds[0]);
    int signals = interrupt_while_asleep_in(body, "pipe_read", 2);
    for (int i = 0; i < 3; i++)
        make_record(stream + 10 * i, (char)('A' + i), 10);
    signal(SIGPIPE, SIG_IGN);   /* a reader that gave up: the test goes on */
    ssize_t written = write(fds[1], stream, sizeof stream);
    ck_assert_msg(written == (ssize_t)sizeof stream || errno == EPIPE, "test setup: write: %s",
                  strerror(errno));
    close(fds[1]);
    if (!finished_within(body, DEADLINE, "count_interleaved", &wait_status))
        ck_abort_msg("count_interleaved() %s", hang_details());
    expect_clean_end("count_interleaved()", wait_status);
    ck_assert_msg(outcome->values[0] == 0 && outcome->values[1] == 3,
                  "count_interleaved() of 3 whole records that came after %d signal(s) had "
                  "interrupted its read() gave %ld interleaved of %ld (errno: %s); expected 0 "
                  "of 3. A read() that a signal interrupts before any byte came fails with "
                  "EINTR: read again", signals, outcome->values[0], outcome->values[1],
                  strerror(outcome->error));
}
END_TEST
