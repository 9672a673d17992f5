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

static void call_write_records(void *arg)
{
    struct write_call *call = arg;
    errno = 0;
    call->outcome->result = write_records(call->fd, call->writer, call->count, call->size);
    call->outcome->error = errno;
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
    if (!finishes_within(DEADLINE, call_write_records, &call, -1, -1, -1, &wait_status))
        ck_abort_msg("write_records(fd, '%c', %ld, %zu) did not return within %u s into a "
                     "packet pipe, which holds 16 writes: write each record with ONE "
                     "write()", writer, count, size, scaled(DEADLINE));
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

LAB_TEST_WITH_TIMEOUT(each_record_is_one_write_of_exactly_its_size, 3, "5.2", "", 4 * DEADLINE)
{
    expect_packets('C', 3, PIPE_BUF);
    expect_packets('Z', 2, 100);
    expect_packets('A', 1, 2);
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

LAB_TEST(count_finds_each_interleaved_piece, 2, "5.3", "")
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

    memcpy(stream + 40, "Ee", 3);
    interleaved = count(stream, 10, &pieces);
    ck_assert_msg(interleaved == 3 && pieces == 5,
                  "count_interleaved() of \"%s\" gave %ld interleaved of %ld; expected 3 of 5 "
                  "(a short last piece is not a whole record)", shown(stream), interleaved,
                  pieces);
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

LAB_TEST_WITH_TIMEOUT(count_reads_records_that_arrive_in_small_pieces, 2, "5.3", "a read returns what is there", 2 * DEADLINE)
{
    enum { RECORDS = 50, SIZE = 100, PIECE = 37 };
    static char stream[RECORDS * SIZE];
    int fds[2];

    for (int i = 0; i < RECORDS; i++)
        make_record(stream + SIZE * i, (char)('A' + i % 26), SIZE);
    ck_assert_msg(pipe(fds) == 0, "test setup: pipe: %s", strerror(errno));
    pid_t writer = fork();
    ck_assert_msg(writer != -1, "test setup: fork: %s", strerror(errno));
    if (writer == 0) {
        /* The stream in 37-byte writes: a read() may return any part of a record. */
        close(fds[0]);
        for (size_t sent = 0; sent < sizeof stream; sent += PIECE) {
            size_t length = sizeof stream - sent < PIECE ? sizeof stream - sent : PIECE;
            if (write(fds[1], stream + sent, length) != (ssize_t)length)
                _exit(1);
        }
        _exit(0);
    }
    close(fds[1]);

    struct outcome *outcome = shared_outcome();
    struct count_call call = { fds[0], SIZE, outcome };
    int wait_status;
    int finished = finishes_within(DEADLINE, call_count_interleaved, &call, -1, -1, -1,
                                   &wait_status);
    close(fds[0]);
    waitpid(writer, NULL, 0);
    ck_assert_msg(finished, "count_interleaved() did not return within %u s after the writer "
                  "closed the pipe: read until read() returns 0 (end-of-file)", scaled(DEADLINE));
    expect_clean_end("count_interleaved()", wait_status);
    ck_assert_msg(outcome->values[0] == 0 && outcome->values[1] == RECORDS,
                  "count_interleaved() of %d whole %d-byte records that arrived in %d-byte "
                  "pieces gave %ld interleaved of %ld (errno: %s); expected 0 of %d: a read() "
                  "returns what is there, so fill each piece with as many reads as it takes",
                  RECORDS, SIZE, PIECE, outcome->values[0], outcome->values[1],
                  strerror(outcome->error), RECORDS);
}
END_TEST
