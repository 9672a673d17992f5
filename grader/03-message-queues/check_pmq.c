/*
 * check_pmq.c - Check tests for lab 03, part 1: the POSIX message queue
 * library pmq.c.
 *
 * Every test makes its own small queue under a name no other test or run uses,
 * and removes the name before it asserts anything, so that a failing test
 * leaves nothing behind (a POSIX queue lives on without its name while a
 * descriptor is open). Blocking is observed from outside: a child blocks, and
 * the test watches /proc/CHILD/stat and /proc/CHILD/wchan until the child
 * sleeps in the kernel's queue code; no test sleeps to wait for an event.
 *
 * Each test's name states the behaviour it checks; its failure message says
 * what was expected and what happened. The points table names the handout
 * section for each test.
 */
#include "labcheck.h"
#include "lab03_check.h"
#include "pmq.h"

#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Where a process waits in the kernel while mq_send or mq_receive blocks (wq_sleep here). */
static const char *const MQ_WAIT[] = { "wq_sleep", "mq_timed", NULL };

/* ---------- helpers ---------- */

/* A new queue made by the test itself (not by the code under test), or fail the test. */
static mqd_t make_queue(const char *name, long maxmsg, long msgsize, int flags)
{
    struct mq_attr attr = { .mq_maxmsg = maxmsg, .mq_msgsize = msgsize };
    mqd_t mq = mq_open(name, O_CREAT | O_EXCL | O_RDWR | flags, 0600, &attr);

    ck_assert_msg(mq != (mqd_t)-1, "test setup: mq_open(\"%s\", O_CREAT) failed: %s", name,
                  strerror(errno));
    return mq;
}

/* A queue without a name: made, then unlinked at once. It goes when the test ends. */
static mqd_t nameless_queue(long maxmsg, long msgsize, int flags)
{
    char name[128];
    mqd_t mq = make_queue(unique_name(name, sizeof name, "nameless"), maxmsg, msgsize, flags);

    ck_assert_msg(mq_unlink(name) == 0, "test setup: mq_unlink: %s", strerror(errno));
    return mq;
}

static void send_raw(mqd_t mq, const char *text, unsigned int priority)
{
    ck_assert_msg(mq_send(mq, text, strlen(text), priority) == 0, "test setup: mq_send: %s",
                  strerror(errno));
}

static long flags_of(mqd_t mq)
{
    struct mq_attr attr;
    ck_assert_msg(mq_getattr(mq, &attr) == 0, "test: mq_getattr: %s", strerror(errno));
    return attr.mq_flags;
}

static long curmsgs_of(mqd_t mq)
{
    struct mq_attr attr;
    ck_assert_msg(mq_getattr(mq, &attr) == 0, "test: mq_getattr: %s", strerror(errno));
    return attr.mq_curmsgs;
}

/* Receive with pmq_receive and check the message, its length and its priority. */
static void expect_message(mqd_t mq, const char *expected, size_t length, unsigned int priority,
                           const char *when)
{
    char *data = NULL;
    unsigned int got_priority = 12345;

    arm_alarm(3);
    errno = 0;
    ssize_t got = pmq_receive(mq, &data, &got_priority, PMQ_NO_TIMEOUT);
    int saved_errno = errno;
    disarm_alarm();
    ck_assert_msg(got != -1, "%s: pmq_receive failed: %s; expected a message%s", when,
                  strerror(saved_errno),
                  saved_errno == EINTR ? " at once: it waited, though the queue holds one" : "");
    ck_assert_msg(data != NULL, "%s: pmq_receive returned %zd but left *data NULL", when, got);
    ck_assert_msg((size_t)got == length && memcmp(data, expected, length) == 0,
                  "%s: pmq_receive gave %zd bytes \"%.*s\"; expected %zu bytes \"%.*s\"", when,
                  got, (int)got, data, length, (int)length, expected);
    ck_assert_msg(got_priority == priority, "%s: \"%.*s\" came with priority %u; expected %u",
                  when, (int)length, expected, got_priority, priority);
    free(data);
}

/* ---------- creating: section 3.1 ---------- */

LAB_TEST(pmq_create_makes_a_queue_with_the_requested_maxmsg_and_msgsize, 1, "3.1", "")
{
    char name[128];
    struct mq_attr attr;
    char buffer[100];

    unique_name(name, sizeof name, "create");
    errno = 0;
    mqd_t mq = pmq_create(name, 3, 100);
    int saved_errno = errno;
    mq_unlink(name);    /* the descriptor works on without the name */
    ck_assert_msg(mq != (mqd_t)-1, "pmq_create(\"%s\", 3, 100) failed: %s; expected a new queue",
                  name, strerror(saved_errno));
    ck_assert_msg(mq_getattr(mq, &attr) == 0, "mq_getattr on the new queue: %s", strerror(errno));
    ck_assert_msg(attr.mq_maxmsg == 3 && attr.mq_msgsize == 100,
                  "mq_getattr says mq_maxmsg %ld and mq_msgsize %ld; expected 3 and 100 "
                  "(pass a struct mq_attr to mq_open)", attr.mq_maxmsg, attr.mq_msgsize);
    ck_assert_msg((attr.mq_flags & O_NONBLOCK) == 0,
                  "the new descriptor is non-blocking (O_NONBLOCK); expected a blocking one");
    ck_assert_msg(mq_send(mq, "x", 1, 0) == 0,
                  "mq_send on the new descriptor failed: %s; expected it open for writing (O_RDWR)",
                  strerror(errno));
    ck_assert_msg(mq_receive(mq, buffer, sizeof buffer, NULL) == 1,
                  "mq_receive on the new descriptor failed: %s; expected it open for reading (O_RDWR)",
                  strerror(errno));
    mq_close(mq);
}
END_TEST

LAB_TEST(pmq_create_gives_the_queue_mode_0600, 1, "3.1", "")
{
    char name[128];
    struct stat status;

    umask(0);
    unique_name(name, sizeof name, "mode");
    errno = 0;
    mqd_t mq = pmq_create(name, 2, 16);
    int saved_errno = errno;
    mq_unlink(name);
    ck_assert_msg(mq != (mqd_t)-1, "pmq_create(\"%s\", 2, 16) failed: %s", name,
                  strerror(saved_errno));
    ck_assert_msg(fstat(mq, &status) == 0, "fstat on the queue: %s", strerror(errno));
    ck_assert_msg((status.st_mode & 07777) == 0600,
                  "the queue's mode is %04o; expected 0600 (only its owner reads and writes)",
                  (unsigned int)(status.st_mode & 07777));
    mq_close(mq);
}
END_TEST

/*
 * pmq_create(name, maxmsg, msgsize); a queue it makes is closed and removed at
 * once. Returns 1 when it made one; else 0, with its errno in *error.
 */
static int created(const char *name, long maxmsg, long msgsize, int *error)
{
    errno = 0;
    mqd_t mq = pmq_create(name, maxmsg, msgsize);
    *error = errno;
    if (mq == (mqd_t)-1)
        return 0;
    mq_close(mq);
    mq_unlink(name);
    return 1;
}

/* pmq_create(name, maxmsg, msgsize) must fail with expected_errno and leave no queue. */
static void expect_create_refused(const char *name, long maxmsg, long msgsize,
                                  int expected_errno, const char *why)
{
    int error;
    int made = created(name, maxmsg, msgsize, &error);

    ck_assert_msg(!made && error == expected_errno,
                  "pmq_create(\"%s\", %ld, %ld) gave %s; expected -1 with %s (%s)", name, maxmsg,
                  msgsize, made ? "a queue" : strerror(error), strerror(expected_errno), why);
}

LAB_TEST(pmq_create_fails_with_EEXIST_for_an_existing_queue_and_EINVAL_for_a_bad_name_or_size, 1, "3.1", "O_EXCL")
{
    char name[128], bare[128];
    mqd_t existing = make_queue(unique_name(name, sizeof name, "exists"), 2, 16, 0);

    errno = 0;
    mqd_t mq = pmq_create(name, 2, 16);
    int saved_errno = errno;
    mq_unlink(name);
    if (mq != (mqd_t)-1)
        mq_close(mq);
    mq_close(existing);
    ck_assert_msg(mq == (mqd_t)-1,
                  "pmq_create on an existing queue succeeded; expected EEXIST (O_CREAT | O_EXCL): "
                  "never take over a queue that someone else made");
    ck_assert_msg(saved_errno == EEXIST, "pmq_create on an existing queue failed with %s; "
                  "expected EEXIST", strerror(saved_errno));
    snprintf(bare, sizeof bare, "%s", name + 1);    /* the same name without its '/' */
    expect_create_refused(bare, 2, 16, EINVAL, "a name starts with '/'");
    expect_create_refused(name, 0, 16, EINVAL, "maxmsg must be at least 1");
    expect_create_refused(name, 2, 0, EINVAL, "msgsize must be at least 1");
}
END_TEST

/* ---------- limits: section 3.2 ---------- */

/* Read one number from a file of /proc/sys/fs/mqueue; fail the test when it cannot. */
static long mqueue_limit(const char *file)
{
    char path[128];
    long value = -1;
    FILE *stream;

    snprintf(path, sizeof path, "/proc/sys/fs/mqueue/%s", file);
    stream = fopen(path, "r");
    ck_assert_msg(stream != NULL, "test setup: fopen(%s): %s", path, strerror(errno));
    if (fscanf(stream, "%ld", &value) != 1)
        value = -1;
    fclose(stream);
    ck_assert_msg(value > 0, "test setup: %s holds no number", path);
    return value;
}

/* Does text hold the number value, not as a part of a longer number? */
static int names_number(const char *text, long long value)
{
    char digits[32];
    size_t length = (size_t)snprintf(digits, sizeof digits, "%lld", value);

    for (const char *at = strstr(text, digits); at != NULL; at = strstr(at + 1, digits)) {
        int digit_before = at > text && at[-1] >= '0' && at[-1] <= '9';
        int digit_after = at[length] >= '0' && at[length] <= '9';
        if (!digit_before && !digit_after)
            return 1;
    }
    return 0;
}

/*
 * Try pmq_create with sizes over a limit; check the errno and the explanation:
 * it names must_name and the number value, and not must_not_name (NULL: no
 * check). The sizes are over the kernel's hard limits, which nobody may pass.
 */
static void expect_limit_error(long maxmsg, long msgsize, int expected_errno,
                               const char *must_name, long long value,
                               const char *must_not_name)
{
    char name[128], reason[1024];
    int saved_errno;

    unique_name(name, sizeof name, "limit");
    ck_assert_msg(!created(name, maxmsg, msgsize, &saved_errno),
                  "pmq_create(\"%s\", %ld, %ld) succeeded; expected %s", name, maxmsg, msgsize,
                  strerror(expected_errno));
    ck_assert_msg(saved_errno == expected_errno, "pmq_create(\"%s\", %ld, %ld) failed with %s; "
                  "expected %s", name, maxmsg, msgsize, strerror(saved_errno),
                  strerror(expected_errno));
    reason[0] = '\0';
    const char *said = pmq_explain_create_error(saved_errno, name, maxmsg, msgsize, reason,
                                                sizeof reason);
    ck_assert_msg(said != NULL, "pmq_explain_create_error returned NULL; expected the buffer");
    ck_assert_msg(strstr(said, must_name) != NULL,
                  "pmq_explain_create_error(%s, \"%s\", %ld, %ld) said \"%s\"; expected it to "
                  "name %s", strerror(saved_errno), name, maxmsg, msgsize, said, must_name);
    ck_assert_msg(names_number(said, value),
                  "pmq_explain_create_error(%s, \"%s\", %ld, %ld) said \"%s\"; expected it to "
                  "give the limit's value, %lld", strerror(saved_errno), name, maxmsg, msgsize,
                  said, value);
    ck_assert_msg(must_not_name == NULL || strstr(said, must_not_name) == NULL,
                  "pmq_explain_create_error(%s, \"%s\", %ld, %ld) said \"%s\", which names %s; "
                  "but that limit was not broken", strerror(saved_errno), name, maxmsg, msgsize,
                  said, must_not_name);
}

LAB_TEST(pmq_create_error_names_msg_max_when_maxmsg_is_over_the_limit, 1, "3.2", "")
{
    /* 100000 is over msg_max, and over the kernel's hard limit of 65536 too. */
    expect_limit_error(100000, 16, EINVAL, "/proc/sys/fs/mqueue/msg_max",
                       mqueue_limit("msg_max"), "msgsize_max");
}
END_TEST

LAB_TEST(pmq_create_error_names_msgsize_max_when_msgsize_is_over_the_limit, 1, "3.2", "")
{
    /* 32 MiB is over msgsize_max, and over the kernel's hard limit of 16 MiB too. */
    expect_limit_error(2, 32L * 1024 * 1024, EINVAL, "/proc/sys/fs/mqueue/msgsize_max",
                       mqueue_limit("msgsize_max"), "/proc/sys/fs/mqueue/msg_max");
}
END_TEST

LAB_TEST(pmq_create_error_names_RLIMIT_MSGQUEUE_when_the_user_is_over_it, 1, "3.2", "")
{
    struct rlimit limit;

    /* Lowering a limit of one's own needs no privilege: allow 4 KiB of queues. */
    ck_assert_msg(getrlimit(RLIMIT_MSGQUEUE, &limit) == 0, "test setup: getrlimit: %s",
                  strerror(errno));
    limit.rlim_cur = 4096;
    ck_assert_msg(setrlimit(RLIMIT_MSGQUEUE, &limit) == 0, "test setup: setrlimit: %s",
                  strerror(errno));
    expect_limit_error(8, 1024, EMFILE, "RLIMIT_MSGQUEUE", 4096, "/proc/sys/fs/mqueue/msg_max");
}
END_TEST

/*
 * A size equal to its limit is not over it: with maxmsg exactly msg_max and
 * msgsize one over msgsize_max, only msgsize_max is broken (and the other way
 * round). A process that may go over the limits (CAP_SYS_RESOURCE) creates
 * such queues: then there is nothing to explain.
 */
static void expect_only_one_limit(long maxmsg, long msgsize, const char *broken,
                                  const char *kept)
{
    char name[128], reason[1024];
    int saved_errno;

    unique_name(name, sizeof name, "equal");
    if (created(name, maxmsg, msgsize, &saved_errno)) {
        lab_skip("this process may go over the queue limits (CAP_SYS_RESOURCE)");
        return;
    }
    ck_assert_msg(saved_errno == EINVAL, "pmq_create(\"%s\", %ld, %ld) failed with %s; "
                  "expected EINVAL", name, maxmsg, msgsize, strerror(saved_errno));
    const char *said = pmq_explain_create_error(EINVAL, name, maxmsg, msgsize, reason,
                                                sizeof reason);
    ck_assert_msg(said != NULL && strstr(said, broken) != NULL && strstr(said, kept) == NULL,
                  "pmq_explain_create_error(EINVAL, \"%s\", %ld, %ld) said \"%s\"; expected it "
                  "to name %s and not %s: a size equal to its limit is not over it", name,
                  maxmsg, msgsize, said != NULL ? said : "(NULL)", broken, kept);
}

LAB_TEST(pmq_create_error_names_only_the_limit_that_is_broken, 1, "3.2", "a size equal to its limit is not over it")
{
    long msg_max = mqueue_limit("msg_max"), msgsize_max = mqueue_limit("msgsize_max");
    char name[128], reason[1024];

    /* Both sizes equal to their limits: neither is over, so neither is named
     * (the explanation is asked for directly, as mq_open would not fail). */
    unique_name(name, sizeof name, "at-limits");
    const char *said = pmq_explain_create_error(EINVAL, name, msg_max, msgsize_max, reason,
                                                sizeof reason);
    ck_assert_msg(said != NULL && strstr(said, "msg_max") == NULL &&
                  strstr(said, "msgsize_max") == NULL,
                  "pmq_explain_create_error(EINVAL, \"%s\", %ld, %ld), both sizes equal to their "
                  "limits (msg_max %ld, msgsize_max %ld), said \"%s\"; expected it to name "
                  "neither limit: a size equal to its limit is not over it", name, msg_max,
                  msgsize_max, msg_max, msgsize_max, said != NULL ? said : "(NULL)");
    expect_only_one_limit(msg_max, msgsize_max + 1, "msgsize_max", "msg_max");
    expect_only_one_limit(msg_max + 1, msgsize_max, "msg_max", "msgsize_max");
}
END_TEST

LAB_TEST(pmq_create_error_explains_a_bad_name_a_size_below_1_ENOSPC_and_EEXIST, 1, "3.2", "")
{
    char reason[1024];
    const char *said;
    long queues_max = mqueue_limit("queues_max");

    said = pmq_explain_create_error(EINVAL, "orders", 10, 100, reason, sizeof reason);
    ck_assert_msg(said != NULL && strstr(said, "orders") != NULL && strstr(said, "/proc") == NULL,
                  "pmq_explain_create_error(EINVAL, \"orders\", 10, 100) said \"%s\"; expected "
                  "it to say that \"orders\" is not a queue name (no leading '/'), naming no "
                  "limit", said != NULL ? said : "(NULL)");
    said = pmq_explain_create_error(EINVAL, "/orders", 0, 100, reason, sizeof reason);
    ck_assert_msg(said != NULL && strstr(said, "/proc") == NULL && names_number(said, 0),
                  "pmq_explain_create_error(EINVAL, \"/orders\", 0, 100) said \"%s\"; expected "
                  "it to say that maxmsg 0 is below 1, naming no limit",
                  said != NULL ? said : "(NULL)");
    /* A one-letter name is a name; sizes of exactly 1 are not below 1. */
    said = pmq_explain_create_error(EINVAL, "/o", 0, 100, reason, sizeof reason);
    ck_assert_msg(said != NULL && strstr(said, "not a queue name") == NULL && names_number(said, 0),
                  "pmq_explain_create_error(EINVAL, \"/o\", 0, 100) said \"%s\"; expected "
                  "it to say that maxmsg 0 is below 1: \"/o\" is a queue name",
                  said != NULL ? said : "(NULL)");
    said = pmq_explain_create_error(EINVAL, "/orders", 4, 0, reason, sizeof reason);
    ck_assert_msg(said != NULL && strstr(said, "/proc") == NULL && names_number(said, 0),
                  "pmq_explain_create_error(EINVAL, \"/orders\", 4, 0) said \"%s\"; expected "
                  "it to say that msgsize 0 is below 1, naming no limit",
                  said != NULL ? said : "(NULL)");
    said = pmq_explain_create_error(EINVAL, "/orders", 1, 32L * 1024 * 1024, reason, sizeof reason);
    ck_assert_msg(said != NULL && strstr(said, "/proc/sys/fs/mqueue/msgsize_max") != NULL,
                  "pmq_explain_create_error(EINVAL, \"/orders\", 1, 33554432) said \"%s\"; "
                  "expected it to name /proc/sys/fs/mqueue/msgsize_max: maxmsg 1 is not below 1, "
                  "the message size is over its limit", said != NULL ? said : "(NULL)");
    said = pmq_explain_create_error(EINVAL, "/orders", 100000, 1, reason, sizeof reason);
    ck_assert_msg(said != NULL && strstr(said, "/proc/sys/fs/mqueue/msg_max") != NULL,
                  "pmq_explain_create_error(EINVAL, \"/orders\", 100000, 1) said \"%s\"; "
                  "expected it to name /proc/sys/fs/mqueue/msg_max: msgsize 1 is not below 1, "
                  "the message count is over its limit", said != NULL ? said : "(NULL)");
    said = pmq_explain_create_error(ENOSPC, "/orders", 2, 16, reason, sizeof reason);
    ck_assert_msg(said != NULL && strstr(said, "/proc/sys/fs/mqueue/queues_max") != NULL &&
                  names_number(said, queues_max),
                  "pmq_explain_create_error(ENOSPC, \"/orders\", 2, 16) said \"%s\"; expected it "
                  "to name /proc/sys/fs/mqueue/queues_max and its value, %ld",
                  said != NULL ? said : "(NULL)", queues_max);
    said = pmq_explain_create_error(EEXIST, "/orders", 2, 16, reason, sizeof reason);
    ck_assert_msg(said != NULL && strstr(said, "/orders") != NULL,
                  "pmq_explain_create_error(EEXIST, \"/orders\", 2, 16) said \"%s\"; expected it "
                  "to say that the queue /orders exists, naming it", said != NULL ? said : "(NULL)");
}
END_TEST

LAB_TEST(pmq_create_error_never_writes_past_the_buffer, 1, "3.2", "snprintf")
{
    const int errors[] = { EINVAL, EINVAL, EMFILE, ENOSPC, EEXIST, EACCES, EPERM };
    const long maxmsgs[] = { 100000, 2, 8, 2, 2, 2, 2 };
    const char *names[] = { "/orders", "orders", "/orders", "/orders", "/orders", "/a/b", "/o" };
    enum { SIZE = 12 };
    char area[SIZE + 64], whole[1024];

    /* A sentence worth cutting: the explanation of EEXIST names the queue. */
    const char *said = pmq_explain_create_error(EEXIST, "/orders", 2, 16, whole, sizeof whole);
    ck_assert_msg(said != NULL && strstr(said, "/orders") != NULL,
                  "pmq_explain_create_error(EEXIST, \"/orders\", 2, 16) said \"%s\"; expected it "
                  "to name the queue /orders", said != NULL ? said : "(NULL)");
    for (size_t i = 0; i < sizeof errors / sizeof errors[0]; i++) {
        memset(area, '#', sizeof area);
        said = pmq_explain_create_error(errors[i], names[i], maxmsgs[i], 16, area, SIZE);
        size_t length = strnlen(area, SIZE);
        ck_assert_msg(said == area, "pmq_explain_create_error returned %p; expected the buffer "
                      "it was given, %p", (const void *)said, (void *)area);
        ck_assert_msg(length < SIZE, "pmq_explain_create_error(%s, ..., buffer, %d) left no "
                      "'\\0' in the %d bytes of the buffer", strerror(errors[i]), SIZE, SIZE);
        for (size_t j = SIZE; j < sizeof area; j++)
            ck_assert_msg(area[j] == '#', "pmq_explain_create_error(%s, ..., buffer, %d) wrote "
                          "past the %d bytes it was given, at byte %zu (snprintf cuts the "
                          "sentence; sprintf and strcpy do not)", strerror(errors[i]), SIZE,
                          SIZE, j);
    }
}
END_TEST

/* ---------- counting: section 3.3 ---------- */

LAB_TEST(pmq_count_reads_mq_curmsgs, 1, "3.3", "")
{
    mqd_t mq = nameless_queue(4, 16, 0);
    char buffer[16];
    long counts[3];

    errno = 0;
    counts[0] = pmq_count(mq);
    ck_assert_msg(counts[0] == 0, "pmq_count on an empty queue gave %ld (errno %s); expected 0",
                  counts[0], strerror(errno));
    send_raw(mq, "one", 0);
    send_raw(mq, "two", 0);
    send_raw(mq, "three", 0);
    counts[1] = pmq_count(mq);
    ck_assert_msg(mq_receive(mq, buffer, sizeof buffer, NULL) != -1, "test: mq_receive: %s",
                  strerror(errno));
    counts[2] = pmq_count(mq);
    mq_close(mq);
    ck_assert_msg(counts[1] == 3, "pmq_count after 3 sends gave %ld; expected 3", counts[1]);
    ck_assert_msg(counts[2] == 2, "pmq_count after 3 sends and 1 receive gave %ld; expected 2",
                  counts[2]);
}
END_TEST

LAB_TEST(pmq_count_and_pmq_set_nonblocking_fail_with_EBADF_for_a_closed_descriptor, 1, "3.3", "check what mq_getattr returns")
{
    mqd_t mq = nameless_queue(2, 16, 0);
    mq_close(mq);       /* now a descriptor number that is no queue */

    errno = 0;
    long count = pmq_count(mq);
    int count_errno = errno;
    errno = 0;
    int result = pmq_set_nonblocking(mq, 1);
    int set_errno = errno;
    ck_assert_msg(count == -1 && count_errno == EBADF,
                  "pmq_count of a closed descriptor gave %ld (%s); expected -1 with EBADF (from "
                  "mq_getattr)", count, strerror(count_errno));
    ck_assert_msg(result == -1 && set_errno == EBADF,
                  "pmq_set_nonblocking of a closed descriptor gave %d (%s); expected -1 with EBADF",
                  result, strerror(set_errno));
}
END_TEST

/* ---------- blocking and non-blocking: section 3.4 ---------- */

LAB_TEST(pmq_open_sets_O_NONBLOCK_only_when_asked, 1, "3.4", "")
{
    char name[128];
    mqd_t made = make_queue(unique_name(name, sizeof name, "open"), 2, 16, 0);

    errno = 0;
    mqd_t nonblocking = pmq_open(name, 1);
    int nonblocking_errno = errno;
    mqd_t blocking = pmq_open(name, 0);
    int blocking_errno = errno;
    mq_unlink(name);
    mq_close(made);
    ck_assert_msg(nonblocking != (mqd_t)-1, "pmq_open(\"%s\", 1) failed: %s", name,
                  strerror(nonblocking_errno));
    ck_assert_msg(blocking != (mqd_t)-1, "pmq_open(\"%s\", 0) failed: %s", name,
                  strerror(blocking_errno));
    ck_assert_msg((flags_of(nonblocking) & O_NONBLOCK) != 0,
                  "pmq_open(name, 1) gave a blocking descriptor; expected O_NONBLOCK in mq_flags");
    ck_assert_msg((flags_of(blocking) & O_NONBLOCK) == 0,
                  "pmq_open(name, 0) gave a non-blocking descriptor; expected no O_NONBLOCK");
    ck_assert_msg(mq_send(nonblocking, "x", 1, 0) == 0,
                  "mq_send on pmq_open's descriptor failed: %s; expected O_RDWR", strerror(errno));
    ck_assert_msg(mq_receive(blocking, name, sizeof name, NULL) == 1,
                  "mq_receive on pmq_open's descriptor failed: %s; expected O_RDWR",
                  strerror(errno));
    mq_close(nonblocking);
    mq_close(blocking);
}
END_TEST

LAB_TEST(pmq_open_fails_with_ENOENT_and_creates_no_queue, 1, "3.4", "no O_CREAT")
{
    char name[128];
    struct mq_attr attr;

    unique_name(name, sizeof name, "missing");
    errno = 0;
    mqd_t mq = pmq_open(name, 0);
    int saved_errno = errno;
    mqd_t made = mq_open(name, O_RDWR);     /* did pmq_open create it? */
    int made_errno = errno;
    if (mq != (mqd_t)-1)
        mq_close(mq);
    if (made != (mqd_t)-1) {
        mq_getattr(made, &attr);
        mq_close(made);
        mq_unlink(name);
    }
    ck_assert_msg(mq == (mqd_t)-1 && saved_errno == ENOENT,
                  "pmq_open of a queue that does not exist gave %s; expected -1 with ENOENT",
                  mq == (mqd_t)-1 ? strerror(saved_errno) : "a descriptor");
    ck_assert_msg(made == (mqd_t)-1 && made_errno == ENOENT,
                  "after pmq_open of a missing queue the queue exists; expected pmq_open to open "
                  "queues that exist only, never to create one");
}
END_TEST

LAB_TEST(pmq_set_nonblocking_makes_receive_on_empty_fail_with_EAGAIN_at_once, 1, "3.4", "mq_setattr")
{
    mqd_t mq = nameless_queue(2, 16, 0);
    char buffer[16];

    errno = 0;
    int result = pmq_set_nonblocking(mq, 1);
    ck_assert_msg(result == 0, "pmq_set_nonblocking(mq, 1) returned %d: %s; expected 0", result,
                  strerror(errno));
    ck_assert_msg((flags_of(mq) & O_NONBLOCK) != 0,
                  "after pmq_set_nonblocking(mq, 1), mq_getattr shows no O_NONBLOCK in mq_flags");
    arm_alarm(3);
    double start = monotonic_seconds();
    ssize_t got = mq_receive(mq, buffer, sizeof buffer, NULL);
    int saved_errno = errno;
    double elapsed = monotonic_seconds() - start;
    disarm_alarm();
    mq_close(mq);
    ck_assert_msg(got == -1 && saved_errno == EAGAIN,
                  "mq_receive on an empty non-blocking queue gave %zd (%s) after %.2f s; "
                  "expected -1 with EAGAIN at once", got, strerror(saved_errno), elapsed);
}
END_TEST

LAB_TEST(pmq_set_nonblocking_0_makes_the_queue_blocking_again, 1, "3.4", "mq_setattr")
{
    mqd_t mq = nameless_queue(3, 24, O_NONBLOCK);
    struct mq_attr attr;

    errno = 0;
    int result = pmq_set_nonblocking(mq, 0);
    int saved_errno = errno;
    ck_assert_msg(mq_getattr(mq, &attr) == 0, "test: mq_getattr: %s", strerror(errno));
    mq_close(mq);
    ck_assert_msg(result == 0, "pmq_set_nonblocking(mq, 0) returned %d: %s; expected 0", result,
                  strerror(saved_errno));
    ck_assert_msg((attr.mq_flags & O_NONBLOCK) == 0,
                  "after pmq_set_nonblocking(mq, 0) mq_flags still has O_NONBLOCK");
    ck_assert_msg(attr.mq_maxmsg == 3 && attr.mq_msgsize == 24,
                  "after pmq_set_nonblocking the queue has maxmsg %ld and msgsize %ld; "
                  "expected 3 and 24 unchanged", attr.mq_maxmsg, attr.mq_msgsize);
}
END_TEST

LAB_TEST(pmq_send_and_receive_on_a_nonblocking_descriptor_fail_with_EAGAIN_at_once, 1, "3.4", "")
{
    mqd_t empty = nameless_queue(2, 16, O_NONBLOCK);
    mqd_t full = nameless_queue(1, 16, O_NONBLOCK);
    char *data = (char *)"untouched";

    send_raw(full, "first", 0);
    arm_alarm(3);
    errno = 0;
    double start = monotonic_seconds();
    ssize_t got = pmq_receive(empty, &data, NULL, PMQ_NO_TIMEOUT);
    int receive_errno = errno;
    double receive_elapsed = monotonic_seconds() - start;
    errno = 0;
    start = monotonic_seconds();
    int result = pmq_send(full, "second", 6, 0, PMQ_NO_TIMEOUT);
    int send_errno = errno;
    double send_elapsed = monotonic_seconds() - start;
    disarm_alarm();
    long count = curmsgs_of(full);
    mq_close(empty);
    mq_close(full);
    ck_assert_msg(got == -1 && receive_errno == EAGAIN,
                  "pmq_receive on an empty non-blocking queue gave %zd (%s) after %.2f s; "
                  "expected -1 with EAGAIN at once%s", got, strerror(receive_errno),
                  receive_elapsed, after_earlier_hang());
    ck_assert_msg(data == NULL, "pmq_receive failed but did not set *data to NULL");
    ck_assert_msg(result == -1 && send_errno == EAGAIN,
                  "pmq_send on a full non-blocking queue gave %d (%s) after %.2f s; "
                  "expected -1 with EAGAIN at once%s", result, strerror(send_errno),
                  send_elapsed, after_earlier_hang());
    ck_assert_msg(count == 1, "the full queue holds %ld messages after the failed send; expected 1",
                  count);
}
END_TEST

/*
 * A child calls pmq_receive (no timeout) on an empty queue. The test waits
 * until the child sleeps in the queue code; when interrupt != 0 it runs the
 * child's signal handler and waits until the child sleeps again; then it
 * sends "wake!" with priority 3, which the child must return.
 */
static void expect_receive_to_wait_for_a_message(int interrupt)
{
    mqd_t mq = nameless_queue(2, 32, 0);
    char seen[256], result[256];
    int status = 0;

    ck_assert_msg(share_signal_counter() == 0, "test setup: mmap: %s", strerror(errno));
    pid_t child = fork_child();
    ck_assert_msg(child != -1, "test setup: fork: %s", strerror(errno));
    if (child == 0) {
        char *data;
        unsigned int priority;
        count_sigusr1(0);       /* no SA_RESTART: mq_receive fails with EINTR */
        ssize_t got = pmq_receive(mq, &data, &priority, PMQ_NO_TIMEOUT);
        if (got == -1)
            child_exit_errno();
        _exit(got == 5 && memcmp(data, "wake!", 5) == 0 && priority == 3 ? CHILD_DONE
                                                                          : CHILD_WRONG_MESSAGE);
    }
    int asleep = wait_until_asleep_in(child, MQ_WAIT, seen, sizeof seen);
    int again = asleep && (!interrupt || interrupt_and_wait_until_asleep_again(child, MQ_WAIT,
                                                                               seen, sizeof seen));
    int sent = again ? mq_send(mq, "wake!", 5, 3) : -1;
    int ended = wait_for_child_or_say(child, 10, &status, seen, sizeof seen);
    mq_close(mq);
    ck_assert_msg(asleep, "pmq_receive on an empty blocking queue did not wait in the kernel "
                  "(%s; %s); expected it to sleep until a message arrives",
                  seen, child_result(status, result, sizeof result));
    ck_assert_msg(again, "after a signal handler ran, pmq_receive did not wait again (%s; %s); "
                  "expected it to retry the receive that failed with EINTR", seen,
                  child_result(status, result, sizeof result));
    ck_assert_msg(sent == 0, "test: mq_send: %s", strerror(errno));
    ck_assert_msg(ended == 0, "pmq_receive still waited 10 s after a message arrived (%s)", seen);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == CHILD_DONE,
                  "after %sthe send woke pmq_receive, %s; expected it to return \"wake!\" "
                  "with priority 3", interrupt ? "a signal handler ran and " : "",
                  child_result(status, result, sizeof result));
}

LAB_TEST_WITH_TIMEOUT(pmq_receive_on_an_empty_queue_blocks_until_a_message_arrives, 1, "3.4", "", 30)
{
    expect_receive_to_wait_for_a_message(0);
}
END_TEST

/*
 * A child calls pmq_send (timeout -5: no limit) on a full queue. The test
 * waits until the child sleeps in the queue code; when interrupt != 0 it
 * runs the child's signal handler and waits until the child sleeps again;
 * then it receives, which makes room: the child's message must go in.
 */
static void expect_send_to_wait_for_room(int interrupt)
{
    mqd_t mq = nameless_queue(1, 16, 0);
    char seen[256], result[256], buffer[16];
    int status = 0;

    send_raw(mq, "first", 0);
    ck_assert_msg(share_signal_counter() == 0, "test setup: mmap: %s", strerror(errno));
    pid_t child = fork_child();
    ck_assert_msg(child != -1, "test setup: fork: %s", strerror(errno));
    if (child == 0) {
        count_sigusr1(0);
        /* Any negative timeout means "no limit", like PMQ_NO_TIMEOUT. */
        if (pmq_send(mq, "second", 6, 0, -5) == -1)
            child_exit_errno();
        _exit(CHILD_DONE);
    }
    int asleep = wait_until_asleep_in(child, MQ_WAIT, seen, sizeof seen);
    int again = asleep && (!interrupt || interrupt_and_wait_until_asleep_again(child, MQ_WAIT,
                                                                               seen, sizeof seen));
    long count_while_asleep = curmsgs_of(mq);
    ssize_t first = again ? mq_receive(mq, buffer, sizeof buffer, NULL) : -1;
    int ended = wait_for_child_or_say(child, 10, &status, seen, sizeof seen);
    ssize_t second = ended == 0 ? mq_receive(mq, buffer, sizeof buffer, NULL) : -1;
    mq_close(mq);
    ck_assert_msg(asleep, "pmq_send(timeout -5, no limit) on a full blocking queue did not "
                  "wait in the kernel (%s; %s); expected it to sleep until there is room",
                  seen, child_result(status, result, sizeof result));
    ck_assert_msg(again, "after a signal handler ran, pmq_send did not wait again (%s; %s); "
                  "expected it to retry the send that failed with EINTR", seen,
                  child_result(status, result, sizeof result));
    ck_assert_msg(count_while_asleep == 1, "while pmq_send waited the queue held %ld messages; "
                  "expected 1", count_while_asleep);
    ck_assert_msg(first == 5, "test: mq_receive of the first message gave %zd", first);
    ck_assert_msg(ended == 0, "pmq_send still waited 10 s after a receive made room (%s)", seen);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == CHILD_DONE,
                  "after %sa receive made room, %s; expected pmq_send to succeed",
                  interrupt ? "a signal handler ran and " : "",
                  child_result(status, result, sizeof result));
    ck_assert_msg(second == 6 && memcmp(buffer, "second", 6) == 0,
                  "the queue then held %zd bytes \"%.*s\"; expected \"second\"", second,
                  second > 0 ? (int)second : 0, buffer);
}

LAB_TEST_WITH_TIMEOUT(pmq_send_on_a_full_queue_blocks_until_a_message_is_received, 1, "3.4", "", 30)
{
    expect_send_to_wait_for_room(0);
}
END_TEST

/* ---------- sending and receiving: section 3.5 ---------- */

LAB_TEST(pmq_receive_returns_the_message_its_length_and_priority, 1, "3.5", "")
{
    mqd_t mq = nameless_queue(2, 64, 0);

    send_raw(mq, "hello", 7);
    expect_message(mq, "hello", 5, 7, "after mq_send(\"hello\", priority 7)");
    mq_close(mq);
}
END_TEST

LAB_TEST(pmq_receive_takes_a_message_of_the_full_msgsize, 1, "3.5", "the buffer is mq_msgsize bytes")
{
    enum { SIZE = 5000 };
    mqd_t mq = nameless_queue(1, SIZE, 0);
    static char message[SIZE];
    char *data = NULL;

    for (int i = 0; i < SIZE; i++)
        message[i] = (char)('a' + i % 26);
    ck_assert_msg(mq_send(mq, message, SIZE, 0) == 0, "test setup: mq_send: %s", strerror(errno));
    errno = 0;
    ssize_t got = pmq_receive(mq, &data, NULL, PMQ_NO_TIMEOUT);
    int saved_errno = errno;
    mq_close(mq);
    ck_assert_msg(got != -1, "pmq_receive of a %d-byte message from a queue with mq_msgsize %d "
                  "failed with %s; expected the message (the buffer must be mq_msgsize bytes, "
                  "from mq_getattr, and priority may be NULL)", SIZE, SIZE, strerror(saved_errno));
    ck_assert_msg(got == SIZE && memcmp(data, message, SIZE) == 0,
                  "pmq_receive gave %zd bytes; expected the %d bytes sent", got, SIZE);
    free(data);
}
END_TEST

LAB_TEST(pmq_messages_keep_NUL_bytes_zero_length_and_boundaries, 1, "3.5", "messages are bytes, not strings")
{
    mqd_t mq = nameless_queue(4, 16, 0);
    int results[3];

    errno = 0;
    results[0] = pmq_send(mq, "a\0b", 3, 0, PMQ_NO_TIMEOUT);
    results[1] = pmq_send(mq, "", 0, 0, PMQ_NO_TIMEOUT);
    results[2] = pmq_send(mq, "cd", 2, 0, PMQ_NO_TIMEOUT);
    ck_assert_msg(results[0] == 0 && results[1] == 0 && results[2] == 0,
                  "pmq_send of \"a\\0b\", \"\" and \"cd\" returned %d, %d, %d (%s); expected 0s",
                  results[0], results[1], results[2], strerror(errno));
    ck_assert_msg(curmsgs_of(mq) == 3, "the queue holds %ld messages; expected 3 (one per send)",
                  curmsgs_of(mq));
    expect_message(mq, "a\0b", 3, 0, "first message, with a NUL byte inside");
    expect_message(mq, "", 0, 0, "second message, of zero bytes");
    expect_message(mq, "cd", 2, 0, "third message");
    mq_close(mq);
}
END_TEST

LAB_TEST(pmq_send_passes_the_priority, 1, "3.5", "priorities")
{
    mqd_t mq = nameless_queue(4, 16, 0);
    char buffer[16];
    unsigned int priorities[3];
    ssize_t lengths[3];

    errno = 0;
    int low = pmq_send(mq, "low", 3, 1, PMQ_NO_TIMEOUT);
    int high = pmq_send(mq, "high", 4, 9, PMQ_NO_TIMEOUT);
    int highest = pmq_send(mq, "top", 3, 32767, PMQ_NO_TIMEOUT);
    ck_assert_msg(low == 0 && high == 0 && highest == 0,
                  "pmq_send returned %d, %d, %d (%s); expected 0s", low, high, highest,
                  strerror(errno));
    for (int i = 0; i < 3; i++)
        lengths[i] = mq_receive(mq, buffer, sizeof buffer, &priorities[i]);
    mq_close(mq);
    ck_assert_msg(lengths[0] == 3 && priorities[0] == 32767 && lengths[1] == 4 &&
                  priorities[1] == 9 && lengths[2] == 3 && priorities[2] == 1,
                  "after pmq_send of \"low\" (priority 1), \"high\" (9) and \"top\" (32767), "
                  "mq_receive found priorities %u, %u, %u; expected 32767, 9, 1",
                  priorities[0], priorities[1], priorities[2]);
}
END_TEST

LAB_TEST(pmq_receive_gives_the_highest_priority_first_and_fifo_within_a_priority, 1, "3.5", "priorities")
{
    mqd_t mq = nameless_queue(6, 16, 0);

    send_raw(mq, "a", 1);
    send_raw(mq, "b", 5);
    send_raw(mq, "c", 1);
    send_raw(mq, "d", 5);
    send_raw(mq, "e", 0);
    send_raw(mq, "f", 32767);
    expect_message(mq, "f", 1, 32767, "1st receive (sent: a/1 b/5 c/1 d/5 e/0 f/32767)");
    expect_message(mq, "b", 1, 5, "2nd receive (sent: a/1 b/5 c/1 d/5 e/0 f/32767)");
    expect_message(mq, "d", 1, 5, "3rd receive (sent: a/1 b/5 c/1 d/5 e/0 f/32767)");
    expect_message(mq, "a", 1, 1, "4th receive (sent: a/1 b/5 c/1 d/5 e/0 f/32767)");
    expect_message(mq, "c", 1, 1, "5th receive (sent: a/1 b/5 c/1 d/5 e/0 f/32767)");
    expect_message(mq, "e", 1, 0, "6th receive (sent: a/1 b/5 c/1 d/5 e/0 f/32767)");
    mq_close(mq);
}
END_TEST

LAB_TEST(pmq_send_of_more_than_msgsize_fails_with_EMSGSIZE_and_sends_nothing, 1, "3.5", "")
{
    mqd_t mq = nameless_queue(2, 16, 0);
    const char *text = "seventeen bytes!!";

    arm_alarm(3);
    errno = 0;
    int exact = pmq_send(mq, text, 16, 0, PMQ_NO_TIMEOUT);
    int exact_errno = errno;
    errno = 0;
    int over = pmq_send(mq, text, 17, 0, PMQ_NO_TIMEOUT);
    int over_errno = errno;
    disarm_alarm();
    long count = curmsgs_of(mq);
    ck_assert_msg(exact == 0, "pmq_send of 16 bytes to a queue with mq_msgsize 16 gave %d (%s); "
                  "expected 0: a message may be exactly mq_msgsize bytes", exact,
                  strerror(exact_errno));
    ck_assert_msg(over == -1 && over_errno == EMSGSIZE,
                  "pmq_send of 17 bytes to a queue with mq_msgsize 16 gave %d (%s); expected -1 "
                  "with EMSGSIZE", over, strerror(over_errno));
    ck_assert_msg(count == 1, "the queue holds %ld messages; expected 1, the 16-byte one", count);
    expect_message(mq, text, 16, 0, "the 16-byte message");
    mq_close(mq);
}
END_TEST

LAB_TEST(pmq_receive_frees_its_buffer_and_sets_data_NULL_when_it_fails, 1, "3.5", "free on every path")
{
    enum { TRIES = 64, SIZE = 8192 };
    mqd_t mq = nameless_queue(1, SIZE, O_NONBLOCK);
    mqd_t closed = nameless_queue(1, 16, 0);
    char *data = (char *)"untouched";

    mq_close(closed);       /* a descriptor number that is no queue */
    errno = 0;
    ssize_t got = pmq_receive(closed, &data, NULL, PMQ_NO_TIMEOUT);
    int closed_errno = errno;
    ck_assert_msg(got == -1 && closed_errno == EBADF && data == NULL,
                  "pmq_receive on a closed descriptor gave %zd (%s) and *data %s; expected -1 "
                  "with EBADF and *data NULL", got, strerror(closed_errno),
                  data == NULL ? "NULL" : "not NULL");

    size_t before = lab_bytes_in_use();
    for (int i = 0; i < TRIES; i++) {
        data = (char *)"untouched";
        got = pmq_receive(mq, &data, NULL, PMQ_NO_TIMEOUT);
        ck_assert_msg(got == -1 && errno == EAGAIN && data == NULL,
                      "pmq_receive on an empty non-blocking queue gave %zd (%s) and *data %s; "
                      "expected -1 with EAGAIN and *data NULL", got, strerror(errno),
                      data == NULL ? "NULL" : "not NULL");
    }
    size_t after = lab_bytes_in_use();
    mq_close(mq);
    ck_assert_msg(after < before + SIZE,
                  "%d failed pmq_receive calls on a queue with mq_msgsize %d left %zu more bytes "
                  "allocated; expected none: a receive that fails must free its buffer", TRIES,
                  SIZE, after > before ? after - before : 0);
}
END_TEST

/* ---------- timeouts: section 3.6 ---------- */

static double seconds_of(const struct timespec *time)
{
    return (double)time->tv_sec + (double)time->tv_nsec / 1e9;
}

/* pmq_deadline(timeout_ms) must be 0 <= tv_nsec < 1 s and now + timeout_ms on CLOCK_REALTIME. */
static void expect_deadline(long timeout_ms)
{
    struct timespec deadline = { -1, -1 };
    double before = realtime_seconds();
    errno = 0;
    int result = pmq_deadline(timeout_ms, &deadline);
    double after = realtime_seconds();
    double expected = timeout_ms / 1000.0;

    ck_assert_msg(result == 0, "pmq_deadline(%ld) returned %d (%s); expected 0",
                  timeout_ms, result, strerror(errno));
    ck_assert_msg(deadline.tv_nsec >= 0 && deadline.tv_nsec < 1000000000L,
                  "pmq_deadline(%ld) gave tv_nsec %ld; expected 0 to 999999999 "
                  "(carry whole seconds into tv_sec)", timeout_ms, deadline.tv_nsec);
    ck_assert_msg(seconds_of(&deadline) >= before + expected - 0.001 &&
                  seconds_of(&deadline) <= after + expected + 0.001,
                  "pmq_deadline(%ld) gave %.3f; expected %.3f (the CLOCK_REALTIME time now, "
                  "plus %.3f s): mq_timedsend and mq_timedreceive want an absolute time, "
                  "not a relative one", timeout_ms, seconds_of(&deadline),
                  before + expected, expected);
}

LAB_TEST(pmq_deadline_is_now_plus_the_timeout_on_CLOCK_REALTIME, 1, "3.6", "an absolute CLOCK_REALTIME deadline")
{
    const long timeouts[] = { 2500, 0, 3600L * 1000, 86400L * 1000 * 365 };

    for (size_t i = 0; i < sizeof timeouts / sizeof timeouts[0]; i++)
        expect_deadline(timeouts[i]);
    /* Every fraction of a second: whatever the clock's nanoseconds now, some
     * of these carry into tv_sec and some do not. */
    for (long milliseconds = 1; milliseconds < 1000; milliseconds++)
        expect_deadline(milliseconds);
}
END_TEST

LAB_TEST(pmq_deadline_fails_with_EINVAL_for_a_negative_timeout, 1, "3.6", "")
{
    const long timeouts[] = { -1, -1000, -1500 };

    for (size_t i = 0; i < sizeof timeouts / sizeof timeouts[0]; i++) {
        struct timespec deadline = { 12345, 678 };
        errno = 0;
        int result = pmq_deadline(timeouts[i], &deadline);
        int saved_errno = errno;
        ck_assert_msg(result == -1 && saved_errno == EINVAL,
                      "pmq_deadline(%ld) gave %d (%s); expected -1 with EINVAL: a negative "
                      "timeout has no deadline", timeouts[i], result, strerror(saved_errno));
        ck_assert_msg(deadline.tv_sec == 12345 && deadline.tv_nsec == 678,
                      "pmq_deadline(%ld) failed but changed *deadline; expected it untouched",
                      timeouts[i]);
    }
}
END_TEST

/* Fill the stack where the next call's locals will be with bytes that make
 * no valid deadline (tv_nsec far above a second): a function that passed a
 * struct timespec it never set would pass these (EINVAL from the kernel),
 * not zeros left there by luck (a deadline long past: ETIMEDOUT, as if right). */
static __attribute__((noinline)) void poison_stack(void)
{
    volatile unsigned char junk[4096];

    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = 0x55;
}

LAB_TEST(pmq_timed_calls_with_a_timeout_of_0_fail_with_ETIMEDOUT_at_once, 1, "3.6", "0 is a timeout, not the lack of one")
{
    mqd_t empty = nameless_queue(2, 16, 0);
    mqd_t full = nameless_queue(1, 16, 0);
    char *data = NULL;

    send_raw(full, "first", 0);
    arm_alarm(3);
    errno = 0;
    poison_stack();
    ssize_t got = pmq_receive(empty, &data, NULL, 0);
    int receive_errno = errno;
    errno = 0;
    poison_stack();
    int sent = pmq_send(full, "second", 6, 0, 0);
    int send_errno = errno;
    disarm_alarm();
    long count = curmsgs_of(full);
    mq_close(empty);
    mq_close(full);
    ck_assert_msg(got == -1 && receive_errno == ETIMEDOUT,
                  "pmq_receive(timeout 0) on an empty queue gave %zd (%s); expected -1 with "
                  "ETIMEDOUT at once%s%s", got, strerror(receive_errno),
                  receive_errno == EINTR ? ": it waited (is 0 taken for no timeout?)" :
                  receive_errno == EINVAL ? ": EINVAL is the kernel's answer to a deadline "
                  "that was never set (is the deadline computed for a timeout of 0 too?)" : "",
                  after_earlier_hang());
    ck_assert_msg(sent == -1 && send_errno == ETIMEDOUT,
                  "pmq_send(timeout 0) on a full queue gave %d (%s); expected -1 with ETIMEDOUT "
                  "at once%s%s", sent, strerror(send_errno),
                  send_errno == EINTR ? ": it waited (is 0 taken for no timeout?)" :
                  send_errno == EINVAL ? ": EINVAL is the kernel's answer to a deadline "
                  "that was never set (is the deadline computed for a timeout of 0 too?)" : "",
                  after_earlier_hang());
    ck_assert_msg(count == 1, "the full queue holds %ld messages after the failed send; "
                  "expected 1", count);
}
END_TEST

LAB_TEST_WITH_TIMEOUT(pmq_timed_receive_on_an_empty_queue_fails_with_ETIMEDOUT_after_the_timeout, 1, "3.6", "", 15)
{
    mqd_t mq = nameless_queue(2, 16, 0);
    char *data = NULL;

    arm_alarm(8);
    errno = 0;
    double start = monotonic_seconds();
    ssize_t got = pmq_receive(mq, &data, NULL, 400);
    int saved_errno = errno;
    double elapsed = monotonic_seconds() - start;
    disarm_alarm();
    mq_close(mq);
    ck_assert_msg(got == -1 && saved_errno == ETIMEDOUT,
                  "pmq_receive(timeout 400 ms) on an empty queue gave %zd (%s) after %.3f s; "
                  "expected -1 with ETIMEDOUT after 0.4 s%s", got, strerror(saved_errno), elapsed,
                  saved_errno == EINTR ? " (it was still waiting after 8 s)" : "");
    ck_assert_msg(elapsed >= 0.38, "pmq_receive(timeout 400 ms) gave up after %.3f s; expected "
                  "it to wait 0.4 s (is the deadline absolute, on CLOCK_REALTIME?)", elapsed);
    ck_assert_msg(elapsed <= 0.4 + 3.0 * timeout_scale(),
                  "pmq_receive(timeout 400 ms) returned after %.3f s; expected about 0.4 s",
                  elapsed);
}
END_TEST

LAB_TEST_WITH_TIMEOUT(pmq_timed_send_on_a_full_queue_fails_with_ETIMEDOUT_after_the_timeout, 1, "3.6", "", 15)
{
    mqd_t mq = nameless_queue(1, 16, 0);

    send_raw(mq, "first", 0);
    arm_alarm(8);
    errno = 0;
    double start = monotonic_seconds();
    int result = pmq_send(mq, "second", 6, 0, 300);
    int saved_errno = errno;
    double elapsed = monotonic_seconds() - start;
    disarm_alarm();
    long count = curmsgs_of(mq);
    mq_close(mq);
    ck_assert_msg(result == -1 && saved_errno == ETIMEDOUT,
                  "pmq_send(timeout 300 ms) on a full queue gave %d (%s) after %.3f s; "
                  "expected -1 with ETIMEDOUT after 0.3 s%s", result, strerror(saved_errno),
                  elapsed, saved_errno == EINTR ? " (it was still waiting after 8 s)" : "");
    ck_assert_msg(elapsed >= 0.28, "pmq_send(timeout 300 ms) gave up after %.3f s; expected "
                  "it to wait 0.3 s (is the deadline absolute, on CLOCK_REALTIME?)", elapsed);
    ck_assert_msg(elapsed <= 0.3 + 3.0 * timeout_scale(),
                  "pmq_send(timeout 300 ms) returned after %.3f s; expected about 0.3 s", elapsed);
    ck_assert_msg(count == 1, "the queue holds %ld messages; expected 1", count);
}
END_TEST

LAB_TEST_WITH_TIMEOUT(pmq_timed_receive_returns_a_message_sent_before_the_deadline, 1, "3.6", "", 30)
{
    mqd_t mq = nameless_queue(2, 32, 0);
    char seen[256], result[256];
    int status = 0;

    pid_t child = fork_child();
    ck_assert_msg(child != -1, "test setup: fork: %s", strerror(errno));
    if (child == 0) {
        char *data;
        unsigned int priority;
        ssize_t got = pmq_receive(mq, &data, &priority, 20000);
        if (got == -1)
            child_exit_errno();
        _exit(got == 4 && memcmp(data, "soon", 4) == 0 ? CHILD_DONE : CHILD_WRONG_MESSAGE);
    }
    int asleep = wait_until_asleep_in(child, MQ_WAIT, seen, sizeof seen);
    int sent = asleep ? mq_send(mq, "soon", 4, 0) : -1;
    int ended = wait_for_child(child, 10, &status);
    mq_close(mq);
    ck_assert_msg(asleep, "pmq_receive(timeout 20000 ms) on an empty queue did not wait "
                  "(%s; %s); expected it to wait for a message for up to 20 s",
                  seen, child_result(status, result, sizeof result));
    ck_assert_msg(sent == 0, "test: mq_send: %s", strerror(errno));
    ck_assert_msg(ended == 0, "pmq_receive(timeout 20000 ms) still waited 10 s after a send");
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == CHILD_DONE,
                  "after a message arrived, %s; expected pmq_receive to return \"soon\"",
                  child_result(status, result, sizeof result));
}
END_TEST

/* ---------- unlinking: section 3.7 ---------- */

LAB_TEST(pmq_unlink_removes_the_queue_name, 1, "3.7", "")
{
    char name[128], missing[128];
    mqd_t made = make_queue(unique_name(name, sizeof name, "unlink"), 2, 16, 0);

    errno = 0;
    int result = pmq_unlink(name);
    int saved_errno = errno;
    mqd_t reopened = mq_open(name, O_RDWR);
    int reopen_errno = errno;
    if (reopened != (mqd_t)-1)
        mq_close(reopened);
    mq_unlink(name);    /* in case pmq_unlink did not */
    int still_sends = mq_send(made, "x", 1, 0) == 0 && curmsgs_of(made) == 1;
    mq_close(made);
    unique_name(missing, sizeof missing, "never-created");
    errno = 0;
    int missing_result = pmq_unlink(missing);
    int missing_errno = errno;

    ck_assert_msg(result == 0, "pmq_unlink(\"%s\") returned %d (%s); expected 0", name, result,
                  strerror(saved_errno));
    ck_assert_msg(reopened == (mqd_t)-1 && reopen_errno == ENOENT,
                  "after pmq_unlink(\"%s\"), mq_open of that name %s; expected ENOENT: "
                  "the queue was left behind", name,
                  reopened != (mqd_t)-1 ? "still succeeded" : strerror(reopen_errno));
    ck_assert_msg(still_sends, "after pmq_unlink the descriptor that was open no longer "
                  "works; expected the queue to live on until its last descriptor closes");
    ck_assert_msg(missing_result == -1 && missing_errno == ENOENT,
                  "pmq_unlink of a queue that does not exist gave %d (%s); expected -1 with ENOENT",
                  missing_result, strerror(missing_errno));
}
END_TEST

/* ---------- signals: section 3.8 ---------- */

LAB_TEST_WITH_TIMEOUT(pmq_receive_waits_again_when_a_signal_handler_interrupts_it, 1, "3.8", "retry on EINTR", 40)
{
    expect_receive_to_wait_for_a_message(1);
}
END_TEST

LAB_TEST_WITH_TIMEOUT(pmq_send_waits_again_when_a_signal_handler_interrupts_it, 1, "3.8", "retry on EINTR", 40)
{
    expect_send_to_wait_for_room(1);
}
END_TEST

/*
 * A timed receive under a rain of signals: a handler runs every 100 ms, for
 * longer than the timeout. A retry that computes a new deadline never times
 * out while the signals come; one that keeps the first deadline times out
 * when it passes.
 */
LAB_TEST_WITH_TIMEOUT(pmq_timed_receive_keeps_its_deadline_when_signals_interrupt_it, 1, "3.8", "compute the deadline once, before the first try", 60)
{
    enum { TIMEOUT_MS = 1000 };
    mqd_t mq = nameless_queue(2, 16, 0);
    char seen[256], result[256];
    int status = 0, signals = 0;
    double limit = TIMEOUT_MS / 1000.0 + scaled(1.5);
    double rain = limit + scaled(1.0);

    ck_assert_msg(share_signal_counter() == 0, "test setup: mmap: %s", strerror(errno));
    pid_t child = fork_child();
    ck_assert_msg(child != -1, "test setup: fork: %s", strerror(errno));
    if (child == 0) {
        char *data;
        count_sigusr1(0);
        ssize_t got = pmq_receive(mq, &data, NULL, TIMEOUT_MS);
        if (got == -1)
            child_exit_errno();
        _exit(CHILD_WRONG_MESSAGE);
    }
    double start = monotonic_seconds();
    int asleep = wait_until_asleep_in(child, MQ_WAIT, seen, sizeof seen);
    pid_t reaped = 0;
    while (asleep && (reaped = waitpid(child, &status, WNOHANG)) == 0 &&
           monotonic_seconds() - start < rain) {
        kill(child, SIGUSR1);
        signals++;
        pause_milliseconds(100);
    }
    int ended = reaped == child ? 0 : wait_for_child_or_say(child, 10, &status, seen,
                                                            sizeof seen);
    double elapsed = monotonic_seconds() - start;
    mq_close(mq);
    ck_assert_msg(asleep, "pmq_receive(timeout %d ms) on an empty queue did not wait (%s; %s)",
                  TIMEOUT_MS, seen, child_result(status, result, sizeof result));
    ck_assert_msg(ended == 0, "pmq_receive(timeout %d ms) still waited 10 s after the signals "
                  "stopped (%s)", TIMEOUT_MS, seen);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == CHILD_ERRNO_BASE + ETIMEDOUT,
                  "pmq_receive(timeout %d ms), interrupted by a signal handler every 100 ms: %s; "
                  "expected it to wait again after each one and fail with ETIMEDOUT after "
                  "%d ms", TIMEOUT_MS, child_result(status, result, sizeof result), TIMEOUT_MS);
    ck_assert_msg(elapsed <= limit,
                  "pmq_receive(timeout %d ms), interrupted by a signal handler every 100 ms "
                  "(%d signals), returned after %.2f s; expected ETIMEDOUT after about %.1f s: "
                  "each retry must wait until the same deadline, not start a new timeout",
                  TIMEOUT_MS, signals, elapsed, TIMEOUT_MS / 1000.0);
}
END_TEST
