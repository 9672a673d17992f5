/*
 * check_capacity.c - Check tests for lab 05: pipe_capacity(), pipe_resize()
 * and pipe_max_size().
 *
 * pipe_capacity() fills a pipe; a version that forgets O_NONBLOCK blocks
 * forever on the full pipe, so it runs in a child with a deadline.
 */
#define _GNU_SOURCE
#include "pipetest.h"
#include "pipesize.h"

#include <limits.h>
#include <linux/capability.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

enum { DEADLINE = 5, DEFAULT_CAPACITY = 65536 };

static void make_pipe(int fds[2])
{
    ck_assert_msg(pipe(fds) == 0, "test setup: pipe: %s", strerror(errno));
}

static long bytes_in_pipe(int fd)
{
    int bytes;
    ck_assert_msg(ioctl(fd, FIONREAD, &bytes) == 0, "test setup: FIONREAD: %s",
                  strerror(errno));
    return bytes;
}

struct capacity_call {
    int write_fd;
    int read_fd;
    struct outcome *outcome;
};

/* values[0]: bytes in the pipe after; values[1], values[2]: flags before and
 * after; values[3]: errno of one more non-blocking write (0 if it worked). */
static void call_pipe_capacity(void *arg)
{
    struct capacity_call *call = arg;
    struct outcome *outcome = call->outcome;

    outcome->values[1] = fcntl(call->write_fd, F_GETFL);
    errno = 0;
    outcome->result = (int)pipe_capacity(call->write_fd);
    outcome->error = errno;
    outcome->values[0] = bytes_in_pipe(call->read_fd);
    outcome->values[2] = fcntl(call->write_fd, F_GETFL);
    fcntl(call->write_fd, F_SETFL, O_NONBLOCK);
    outcome->values[3] = write(call->write_fd, "x", 1) == -1 ? errno : 0;
}

/* pipe_capacity() of the pipe fds, in a child with a deadline. */
static struct outcome *measure(int fds[2])
{
    struct outcome *outcome = shared_outcome();
    struct capacity_call call = { fds[1], fds[0], outcome };
    int wait_status;

    if (!finishes_within(DEADLINE, "pipe_capacity", call_pipe_capacity, &call, -1, -1, -1,
                         &wait_status))
        ck_abort_msg("pipe_capacity() %s. A blocking write() on a full pipe waits for a "
                     "reader forever: set O_NONBLOCK, so that write() fails with EAGAIN when "
                     "the pipe is full", hang_details());
    expect_clean_end("pipe_capacity()", wait_status);
    ck_assert_msg(outcome->result != -1, "pipe_capacity() failed: %s%s",
                  strerror(outcome->error),
                  outcome->error == ENOSYS ? " (it is not written yet)" : "");
    return outcome;
}

LAB_TEST_WITH_TIMEOUT(capacity_of_a_new_pipe_is_65536_bytes, 1, "3.1", "", 2 * DEADLINE)
{
    int fds[2];
    make_pipe(fds);
    struct outcome *outcome = measure(fds);
    long given = fcntl(fds[1], F_GETPIPE_SZ);
    ck_assert_msg(given == DEFAULT_CAPACITY,
                  "test setup: the kernel made a new pipe of %ld bytes, not %d: does your user "
                  "hold more than /proc/sys/fs/pipe-user-pages-soft pages in pipes?",
                  given, DEFAULT_CAPACITY);
    ck_assert_msg(outcome->result == DEFAULT_CAPACITY,
                  "pipe_capacity() of a new pipe gave %d bytes; expected %d (16 pages)",
                  outcome->result, DEFAULT_CAPACITY);
    close(fds[0]);
    close(fds[1]);
}
END_TEST

LAB_TEST_WITH_TIMEOUT(capacity_fills_the_pipe_and_keeps_its_flags, 2, "3.1", "", 2 * DEADLINE)
{
    int fds[2];
    make_pipe(fds);
    struct outcome *outcome = measure(fds);
    ck_assert_msg(outcome->values[0] == outcome->result,
                  "pipe_capacity() returned %d, but the pipe holds %ld bytes (FIONREAD): "
                  "measure by writing, counting what each write() returns",
                  outcome->result, outcome->values[0]);
    ck_assert_msg(outcome->values[3] == EAGAIN,
                  "after pipe_capacity() one more non-blocking write() %s; expected EAGAIN: "
                  "the pipe should be full", outcome->values[3] == 0 ? "succeeded"
                                                                     : strerror((int)outcome->values[3]));
    ck_assert_msg(outcome->values[2] == outcome->values[1],
                  "the write end's flags were %#lx before pipe_capacity() and %#lx after: "
                  "put back the flags you found (F_GETFL, then F_SETFL)",
                  outcome->values[1], outcome->values[2]);
    close(fds[0]);
    close(fds[1]);
}
END_TEST

LAB_TEST_WITH_TIMEOUT(capacity_measures_a_resized_pipe, 1, "3.1", "", 4 * DEADLINE)
{
    long sizes[] = { 131072, 4096, 1048576 };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        int fds[2];
        make_pipe(fds);
        ck_assert_msg(fcntl(fds[1], F_SETPIPE_SZ, (int)sizes[i]) == sizes[i],
                      "test setup: F_SETPIPE_SZ %ld: %s", sizes[i], strerror(errno));
        struct outcome *outcome = measure(fds);
        ck_assert_msg(outcome->result == sizes[i],
                      "pipe_capacity() of a pipe resized to %ld bytes gave %d", sizes[i],
                      outcome->result);
        close(fds[0]);
        close(fds[1]);
    }
}
END_TEST

/* values[0]: the result; values[1], values[2]: the flags before and after. */
static void call_pipe_capacity_without_reader(void *arg)
{
    struct capacity_call *call = arg;
    struct outcome *outcome = call->outcome;

    signal(SIGPIPE, SIG_IGN);
    outcome->values[1] = fcntl(call->write_fd, F_GETFL);
    errno = 0;
    outcome->values[0] = pipe_capacity(call->write_fd);
    outcome->error = errno;
    outcome->values[2] = fcntl(call->write_fd, F_GETFL);
}

LAB_TEST_WITH_TIMEOUT(capacity_leaves_the_flags_as_it_found_them_on_every_path, 1, "3.1", "", 3 * DEADLINE)
{
    /* A descriptor that was non-blocking already stays non-blocking. */
    int fds[2];
    make_pipe(fds);
    ck_assert_msg(fcntl(fds[1], F_SETFL, O_NONBLOCK) == 0, "test setup: F_SETFL: %s",
                  strerror(errno));
    struct outcome *outcome = measure(fds);
    ck_assert_msg(outcome->result == DEFAULT_CAPACITY && outcome->values[2] == outcome->values[1],
                  "pipe_capacity() of a new pipe whose write end was O_NONBLOCK already gave %d "
                  "bytes, and left its flags %#lx (they were %#lx); expected %d and the flags "
                  "as they were: put back the flags you found, not the ones you think a "
                  "descriptor has", outcome->result, outcome->values[2], outcome->values[1],
                  DEFAULT_CAPACITY);
    close(fds[0]);
    close(fds[1]);

    /* A write that fails: no reader (SIGPIPE ignored, so EPIPE). */
    make_pipe(fds);
    close(fds[0]);
    outcome = shared_outcome();
    struct capacity_call call = { fds[1], -1, outcome };
    int wait_status;
    if (!finishes_within(DEADLINE, "pipe_capacity", call_pipe_capacity_without_reader, &call,
                         -1, -1, -1, &wait_status))
        ck_abort_msg("pipe_capacity() of a pipe without a reader %s", hang_details());
    expect_clean_end("pipe_capacity()", wait_status);
    close(fds[1]);
    ck_assert_msg(outcome->values[0] == -1 && outcome->error == EPIPE,
                  "pipe_capacity() of a pipe whose read end is closed (SIGPIPE ignored) "
                  "returned %ld (errno: %s); expected -1 with errno EPIPE, from the write()%s",
                  outcome->values[0], strerror(outcome->error),
                  outcome->error == ENOSYS ? " (it is not written yet)" : "");
    ck_assert_msg(outcome->values[2] == outcome->values[1],
                  "pipe_capacity() failed with EPIPE and left the write end's flags %#lx; they "
                  "were %#lx: put them back on the way out of a failure too (and keep errno "
                  "from the write)", outcome->values[2], outcome->values[1]);
}
END_TEST

/* pipe_resize(size) of a new pipe: what it returned, with its errno in
 * *error and the capacity the pipe has afterwards in *capacity. */
static long resize_new_pipe(long size, int *error, long *capacity)
{
    int fds[2];
    make_pipe(fds);
    errno = 0;
    long got = pipe_resize(fds[1], size);
    *error = errno;
    *capacity = fcntl(fds[1], F_GETPIPE_SZ);
    close(fds[0]);
    close(fds[1]);
    return got;
}

LAB_TEST(resize_rounds_up_to_a_power_of_two_number_of_pages, 1, "3.2", "")
{
    long asked[] = { 100000, 4097, 1, 65536, 300000 };
    long expected[] = { 131072, 8192, 4096, 65536, 524288 };
    for (size_t i = 0; i < sizeof asked / sizeof asked[0]; i++) {
        int saved_errno;
        long real, got = resize_new_pipe(asked[i], &saved_errno, &real);
        ck_assert_msg(got == expected[i] && real == expected[i],
                      "pipe_resize(fd, %ld) returned %ld (errno: %s) and F_GETPIPE_SZ now "
                      "says %ld; expected %ld both: the kernel rounds up to a power of two "
                      "number of pages and F_SETPIPE_SZ returns that", asked[i], got,
                      strerror(saved_errno), real, expected[i]);
    }
}
END_TEST

LAB_TEST(resize_fails_with_EBUSY_when_the_pipe_holds_more, 1, "3.2", "")
{
    int fds[2];
    char data[8192] = { 0 };
    make_pipe(fds);
    ck_assert_msg(write(fds[1], data, sizeof data) == (ssize_t)sizeof data,
                  "test setup: write: %s", strerror(errno));
    errno = 0;
    long got = pipe_resize(fds[1], 4096);
    int saved_errno = errno;
    ck_assert_msg(got == -1 && saved_errno == EBUSY,
                  "pipe_resize(fd, 4096) on a pipe holding 8192 bytes returned %ld "
                  "(errno: %s); expected -1 with EBUSY", got, strerror(saved_errno));
    close(fds[0]);
    close(fds[1]);
}
END_TEST

/* Give up CAP_SYS_RESOURCE (it lets a process pass pipe-max-size), if held. */
static void drop_cap_sys_resource(void)
{
    struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct data[2];

    ck_assert_msg(syscall(SYS_capget, &header, data) == 0, "test setup: capget: %s",
                  strerror(errno));
    if ((data[0].effective & (1u << CAP_SYS_RESOURCE)) == 0)
        return;
    data[0].effective &= ~(1u << CAP_SYS_RESOURCE);
    ck_assert_msg(syscall(SYS_capset, &header, data) == 0, "test setup: capset: %s",
                  strerror(errno));
}

LAB_TEST(resize_rejects_a_size_that_does_not_fit_in_an_int_with_EINVAL, 1, "3.2", "overflow")
{
    /* 2^32 + 4096 cut to an int is 4096, which the kernel would take. */
    long sizes[] = { 4294967296L + 4096, 2147483648L, -1, -4096 };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        int saved_errno;
        long real, got = resize_new_pipe(sizes[i], &saved_errno, &real);
        ck_assert_msg(got == -1 && saved_errno == EINVAL && real == DEFAULT_CAPACITY,
                      "pipe_resize(fd, %ld) returned %ld (errno: %s), and the pipe holds %ld "
                      "bytes now; expected -1 with errno EINVAL and the pipe unchanged: "
                      "F_SETPIPE_SZ takes an int, and a long that does not fit changes when "
                      "it is cut to one", sizes[i], got, strerror(saved_errno), real);
    }

    /* The ints at both ends, 0 and INT_MAX, fit: the kernel answers for them
     * (without CAP_SYS_RESOURCE, INT_MAX is above pipe-max-size: EPERM). */
    drop_cap_sys_resource();
    long ends[] = { 0, INT_MAX };
    for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
        int fds[2], saved_errno, kernel_errno;
        make_pipe(fds);
        errno = 0;
        long kernel = fcntl(fds[1], F_SETPIPE_SZ, (int)ends[i]);
        kernel_errno = errno;
        close(fds[0]);
        close(fds[1]);
        long real, got = resize_new_pipe(ends[i], &saved_errno, &real);
        ck_assert_msg(got == kernel && (kernel != -1 || saved_errno == kernel_errno),
                      "pipe_resize(fd, %ld) returned %ld (errno: %s); expected what "
                      "F_SETPIPE_SZ gives for it, %ld%s%s: %ld fits in an int, so only a size "
                      "below 0 or above INT_MAX is refused with EINVAL before the kernel is "
                      "asked", ends[i], got, strerror(saved_errno), kernel,
                      kernel == -1 ? " with errno " : "",
                      kernel == -1 ? strerror(kernel_errno) : "", ends[i]);
    }
}
END_TEST

static long read_max_size(void)
{
    FILE *file = fopen("/proc/sys/fs/pipe-max-size", "r");
    long size = -1;
    ck_assert_msg(file != NULL, "test setup: /proc/sys/fs/pipe-max-size: %s", strerror(errno));
    ck_assert_msg(fscanf(file, "%ld", &size) == 1, "test setup: reading pipe-max-size");
    fclose(file);
    return size;
}

LAB_TEST(resize_above_the_limit_fails_with_EPERM, 1, "3.3", "")
{
    long limit = read_max_size();
    int fds[2];

    drop_cap_sys_resource();
    make_pipe(fds);
    errno = 0;
    long got = pipe_resize(fds[1], limit + 1);
    int saved_errno = errno;
    long real = fcntl(fds[1], F_GETPIPE_SZ);
    close(fds[0]);
    close(fds[1]);
    ck_assert_msg(got == -1 && saved_errno == EPERM,
                  "pipe_resize(fd, %ld), one byte above /proc/sys/fs/pipe-max-size, returned "
                  "%ld (errno: %s); expected -1 with EPERM", limit + 1, got,
                  strerror(saved_errno));
    ck_assert_msg(real == DEFAULT_CAPACITY,
                  "after a refused pipe_resize() the pipe holds %ld bytes; expected it "
                  "unchanged, %d", real, DEFAULT_CAPACITY);
}
END_TEST

LAB_TEST(max_size_reads_proc_sys_fs_pipe_max_size, 1, "3.3", "")
{
    long expected = read_max_size();
    char left[512];
    int before = open_descriptors(NULL, 0);
    errno = 0;
    long got = pipe_max_size();
    ck_assert_msg(got == expected,
                  "pipe_max_size() returned %ld (errno: %s); /proc/sys/fs/pipe-max-size says %ld",
                  got, strerror(errno), expected);
    int after = open_descriptors(left, sizeof left);
    ck_assert_msg(after == before,
                  "the caller had %d open descriptors before pipe_max_size() and %d after it "
                  "(%s): close the file once the number is read (fclose)", before, after, left);
}
END_TEST
