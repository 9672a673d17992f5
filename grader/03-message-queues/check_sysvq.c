/*
 * check_sysvq.c - Check tests for lab 03, part 2: the System V message queue
 * library sysvq.c.
 *
 * Every test makes its own queues (IPC_PRIVATE, or the key of a temporary
 * file) and removes them before it asserts anything, so that a failing test
 * leaves nothing behind. A call that should not block runs under an alarm:
 * if it blocks, the alarm interrupts it and the test fails at once. Blocking
 * is observed from outside, in /proc/CHILD/stat and /proc/CHILD/wchan.
 *
 * Each test's name states the behaviour it checks; its failure message says
 * what was expected and what happened. The points table names the handout
 * section for each test.
 */
#define _GNU_SOURCE             /* MSG_EXCEPT, msg_cbytes */

#include "labcheck.h"
#include "lab03_check.h"
#include "sysvq.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <unistd.h>

/* Where a process waits in the kernel while msgrcv or msgsnd blocks (do_msgrcv here). */
static const char *const MSGRCV_WAIT[] = { "msgrcv", NULL };
static const char *const MSGSND_WAIT[] = { "msgsnd", NULL };

/* A message of any size the kernel allows (msgmax is 8192 by default). */
struct big_message {
    long type;
    char text[8192];
};

struct raw_message {
    long type;
    char text[256];
};

/* ---------- helpers ---------- */

/* A new queue without a key, made by the test itself, or fail the test. */
static int private_queue(void)
{
    int msqid = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
    ck_assert_msg(msqid != -1, "test setup: msgget(IPC_PRIVATE): %s", strerror(errno));
    return msqid;
}

static void remove_queue(int msqid)
{
    if (msqid != -1)
        msgctl(msqid, IPC_RMID, NULL);
}

/* fork_child, or remove the queue and fail the test. */
static pid_t fork_or_abort(int msqid)
{
    pid_t child = fork_child();

    if (child == -1) {
        int saved_errno = errno;
        remove_queue(msqid);
        ck_abort_msg("test setup: fork: %s", strerror(saved_errno));
    }
    return child;
}

/* Send a message with msgsnd itself; on failure remove the queue, then fail the test. */
static void send_raw(int msqid, long type, const char *text)
{
    struct raw_message message = { .type = type };
    size_t length = strlen(text);

    memcpy(message.text, text, length);
    if (msgsnd(msqid, &message, length, IPC_NOWAIT) == -1) {
        int saved_errno = errno;
        remove_queue(msqid);
        ck_abort_msg("test setup: msgsnd: %s", strerror(saved_errno));
    }
}

static struct msqid_ds queue_info(int msqid)
{
    struct msqid_ds info;
    memset(&info, 0, sizeof info);
    msgctl(msqid, IPC_STAT, &info);
    return info;
}

/* A temporary file in TMPDIR, for ftok; the caller unlinks it. */
static void make_key_file(char *path, size_t size)
{
    const char *directory = getenv("TMPDIR");
    int fd;

    snprintf(path, size, "%s/lab03-key-XXXXXX", directory != NULL ? directory : "/tmp");
    fd = mkstemp(path);
    ck_assert_msg(fd != -1, "test setup: mkstemp(%s): %s", path, strerror(errno));
    close(fd);
}

/*
 * A queue made by the test for the key of a fresh temporary file (its path in
 * path, its key in *key). A key is ftok's mix of the file's inode and device:
 * another queue may own it already, so try other files.
 */
static int keyed_queue(char *path, size_t size, key_t *key)
{
    for (int attempt = 0; attempt < 20; attempt++) {
        make_key_file(path, size);
        *key = ftok(path, SYSVQ_PROJECT);
        int msqid = *key == -1 ? -1 : msgget(*key, IPC_CREAT | IPC_EXCL | 0600);
        if (msqid != -1)
            return msqid;
        unlink(path);
    }
    ck_abort_msg("test setup: no free key for a queue: %s", strerror(errno));
    return -1;
}

/* One receive under test: what came back, or how it failed. */
struct received {
    ssize_t length;
    int error;
    long type;
    char text[256];
};

static struct received receive(int msqid, long type, int flags)
{
    struct received got;

    memset(&got, 0, sizeof got);
    got.type = -12345;
    arm_alarm(3);
    errno = 0;
    got.length = sysvq_receive(msqid, type, got.text, sizeof got.text - 1, &got.type, flags);
    got.error = errno;
    disarm_alarm();
    return got;
}

/* Check one received message; describe what came instead. */
static void expect_received(const struct received *got, long type, const char *text,
                            const char *call)
{
    ck_assert_msg(got->length != -1, "%s failed with %s%s; expected the message \"%s\" of type %ld",
                  call, strerror(got->error),
                  got->error == EINTR ? " (it blocked: IPC_NOWAIT is in flags)" : "", text, type);
    ck_assert_msg(got->type == type && (size_t)got->length == strlen(text) &&
                  memcmp(got->text, text, strlen(text)) == 0,
                  "%s gave \"%.*s\" (%zd bytes) of type %ld; expected \"%s\" of type %ld", call,
                  (int)got->length, got->text, got->length, got->type, text, type);
}

/* ---------- keys: section 5.1 ---------- */

LAB_TEST(sysvq_key_is_ftok_of_the_path_with_project_M, 1, "5.1", "")
{
    char path[512];

    make_key_file(path, sizeof path);
    errno = 0;
    key_t key = sysvq_key(path);
    int saved_errno = errno;
    key_t expected = ftok(path, 'M');
    unlink(path);
    errno = 0;
    key_t missing = sysvq_key(path);
    int missing_errno = errno;

    ck_assert_msg(key == expected, "sysvq_key(\"%s\") gave 0x%08x (%s); expected ftok(path, 'M') "
                  "= 0x%08x", path, (unsigned int)key, strerror(saved_errno),
                  (unsigned int)expected);
    ck_assert_msg(missing == -1 && missing_errno == ENOENT,
                  "sysvq_key of a file that does not exist gave 0x%08x (%s); expected -1 with "
                  "ENOENT", (unsigned int)missing, strerror(missing_errno));
}
END_TEST

/* ---------- msgget, IPC_STAT, IPC_RMID: section 5.2 ---------- */

LAB_TEST(sysvq_create_makes_a_new_queue_with_mode_0600_and_fails_with_EEXIST_for_a_taken_key, 1, "5.2", "")
{
    char path[512];
    key_t key;

    errno = 0;
    int msqid = sysvq_create(IPC_PRIVATE);
    int saved_errno = errno;
    struct msqid_ds info = queue_info(msqid);
    remove_queue(msqid);
    ck_assert_msg(msqid != -1, "sysvq_create(IPC_PRIVATE) failed: %s; expected a new queue's id",
                  strerror(saved_errno));
    ck_assert_msg((info.msg_perm.mode & 0777) == 0600,
                  "the new queue's mode is %04o; expected 0600", info.msg_perm.mode & 0777);

    int existing = keyed_queue(path, sizeof path, &key);
    errno = 0;
    msqid = sysvq_create(key);
    saved_errno = errno;
    if (msqid != existing)
        remove_queue(msqid);
    remove_queue(existing);
    unlink(path);
    ck_assert_msg(msqid == -1, "sysvq_create(0x%08x) of a key that has a queue gave id %d%s; "
                  "expected EEXIST (IPC_CREAT | IPC_EXCL)", (unsigned int)key, msqid,
                  msqid == existing ? ", the existing queue" : "");
    ck_assert_msg(saved_errno == EEXIST, "sysvq_create of a key that has a queue failed with %s; "
                  "expected EEXIST", strerror(saved_errno));
}
END_TEST

LAB_TEST(sysvq_open_finds_the_queue_of_a_key_and_fails_with_ENOENT_without_one, 1, "5.2", "")
{
    char path[512];
    key_t key;
    int existing = keyed_queue(path, sizeof path, &key);

    errno = 0;
    int found = sysvq_open(key);
    int found_errno = errno;
    remove_queue(existing);
    errno = 0;
    int missing = sysvq_open(key);
    int missing_errno = errno;
    if (missing != -1)
        remove_queue(missing);
    unlink(path);
    ck_assert_msg(found == existing, "sysvq_open(0x%08x) gave %d (%s); expected %d, the id of "
                  "the queue of that key", (unsigned int)key, found, strerror(found_errno),
                  existing);
    ck_assert_msg(missing == -1 && missing_errno == ENOENT,
                  "sysvq_open of a key without a queue gave %d (%s); expected -1 with ENOENT "
                  "(do not create the queue when opening it)", missing, strerror(missing_errno));
}
END_TEST

LAB_TEST(sysvq_count_reads_msg_qnum_and_fails_with_EINVAL_for_a_removed_queue, 1, "5.2", "check what msgctl returns")
{
    int msqid = private_queue();

    errno = 0;
    long empty = sysvq_count(msqid);
    int saved_errno = errno;
    send_raw(msqid, 1, "a");
    send_raw(msqid, 2, "b");
    send_raw(msqid, 1, "c");
    long three = sysvq_count(msqid);
    remove_queue(msqid);
    errno = 0;
    long removed = sysvq_count(msqid);
    int removed_errno = errno;
    ck_assert_msg(empty == 0, "sysvq_count of an empty queue gave %ld (%s); expected 0", empty,
                  strerror(saved_errno));
    ck_assert_msg(three == 3, "sysvq_count after 3 sends gave %ld; expected 3", three);
    ck_assert_msg(removed == -1 && removed_errno == EINVAL,
                  "sysvq_count of a removed queue gave %ld (%s); expected -1 with EINVAL (from "
                  "msgctl IPC_STAT)", removed, strerror(removed_errno));
}
END_TEST

LAB_TEST(sysvq_remove_destroys_the_queue, 1, "5.2", "")
{
    int msqid = private_queue();
    struct msqid_ds info;

    errno = 0;
    int result = sysvq_remove(msqid);
    int saved_errno = errno;
    int still_there = msgctl(msqid, IPC_STAT, &info) == 0;
    remove_queue(msqid);
    ck_assert_msg(result == 0, "sysvq_remove returned %d (%s); expected 0", result,
                  strerror(saved_errno));
    ck_assert_msg(!still_there, "after sysvq_remove the queue is still there (IPC_STAT works); "
                  "expected it gone (IPC_RMID)");
}
END_TEST

/* ---------- msgsnd: section 5.3 ---------- */

LAB_TEST(sysvq_send_stores_exactly_the_payload_bytes, 1, "5.3", "msgsz counts the text only")
{
    int msqid = private_queue();
    struct raw_message message;

    errno = 0;
    int result = sysvq_send(msqid, 4, "hello", 5, 0);
    int saved_errno = errno;
    struct msqid_ds info = queue_info(msqid);
    memset(&message, 0, sizeof message);
    ssize_t length = msgrcv(msqid, &message, sizeof message.text, 0, IPC_NOWAIT);
    remove_queue(msqid);
    ck_assert_msg(result == 0, "sysvq_send(id, 4, \"hello\", 5, 0) returned %d (%s); expected 0",
                  result, strerror(saved_errno));
    ck_assert_msg(info.msg_qnum == 1, "after one send the queue holds %lu messages; expected 1",
                  (unsigned long)info.msg_qnum);
    ck_assert_msg(info.msg_cbytes == 5,
                  "after sending the 5 bytes \"hello\" the queue holds %lu bytes; expected 5: "
                  "msgsnd's msgsz counts the text only, not the long mtype in front of it",
                  (unsigned long)info.msg_cbytes);
    ck_assert_msg(length == 5 && message.type == 4 && memcmp(message.text, "hello", 5) == 0,
                  "msgrcv found %zd bytes \"%.*s\" of type %ld; expected \"hello\" of type 4",
                  length, length > 0 ? (int)length : 0, message.text, message.type);
}
END_TEST

/*
 * A text far too long (1 MiB) is refused with EINVAL before anything is
 * copied: copied first into a structure of SYSVQ_MAX_TEXT bytes, it would run
 * over the stack. In a child, so that such a crash is reported here, with the
 * queue removed.
 */
static void expect_far_too_long_refused(void)
{
    enum { FAR_TOO_LONG = 1024 * 1024 };
    char *text = malloc(FAR_TOO_LONG);
    int msqid, status = 0;
    char how[128];

    ck_assert_msg(text != NULL, "test setup: malloc of 1 MiB failed");
    memset(text, 'L', FAR_TOO_LONG);
    msqid = private_queue();
    pid_t child = fork_or_abort(msqid);
    if (child == 0) {
        errno = 0;
        if (sysvq_send(msqid, 2, text, FAR_TOO_LONG, IPC_NOWAIT) == 0)
            _exit(CHILD_DONE);
        child_exit_errno();
    }
    int ended = wait_for_child(child, 10, &status) == 0;
    long count = (long)queue_info(msqid).msg_qnum;
    remove_queue(msqid);
    free(text);
    ck_assert_msg(ended, "sysvq_send of 1 MiB (SYSVQ_MAX_TEXT is %d) did not return in 10 s; "
                  "expected -1 with EINVAL at once", SYSVQ_MAX_TEXT);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == CHILD_ERRNO_BASE + EINVAL,
                  "sysvq_send of 1 MiB (SYSVQ_MAX_TEXT is %d): %s; expected -1 with EINVAL, "
                  "before anything is copied (check the length first: the structure holds "
                  "SYSVQ_MAX_TEXT bytes)", SYSVQ_MAX_TEXT,
                  child_result(status, how, sizeof how));
    ck_assert_msg(count == 0, "after a refused send of 1 MiB the queue holds %ld messages; "
                  "expected none", count);
}

LAB_TEST(sysvq_send_takes_exactly_SYSVQ_MAX_TEXT_bytes_and_refuses_more, 1, "5.3", "")
{
    int msqid = private_queue();
    static char text[SYSVQ_MAX_TEXT + 1];
    static struct big_message message;

    for (size_t i = 0; i < sizeof text; i++)
        text[i] = (char)('A' + i % 26);
    errno = 0;
    int exact = sysvq_send(msqid, 2, text, SYSVQ_MAX_TEXT, IPC_NOWAIT);
    int exact_errno = errno;
    errno = 0;
    int over = sysvq_send(msqid, 2, text, SYSVQ_MAX_TEXT + 1, IPC_NOWAIT);
    int over_errno = errno;
    long count = (long)queue_info(msqid).msg_qnum;
    ssize_t length = msgrcv(msqid, &message, sizeof message.text, 0, IPC_NOWAIT);
    remove_queue(msqid);
    ck_assert_msg(exact == 0, "sysvq_send of exactly SYSVQ_MAX_TEXT (%d) bytes gave %d (%s); "
                  "expected 0: the longest message fits", SYSVQ_MAX_TEXT, exact,
                  strerror(exact_errno));
    ck_assert_msg(over == -1 && over_errno == EINVAL,
                  "sysvq_send of SYSVQ_MAX_TEXT + 1 (%d) bytes gave %d (%s); expected -1 with "
                  "EINVAL", SYSVQ_MAX_TEXT + 1, over, strerror(over_errno));
    ck_assert_msg(count == 1, "after those two sends the queue holds %ld messages; expected 1",
                  count);
    ck_assert_msg(length == SYSVQ_MAX_TEXT && memcmp(message.text, text, SYSVQ_MAX_TEXT) == 0,
                  "the message in the queue has %zd bytes%s; expected the %d bytes sent", length,
                  length == SYSVQ_MAX_TEXT ? ", not those sent" : "", SYSVQ_MAX_TEXT);
    expect_far_too_long_refused();
}
END_TEST

LAB_TEST(sysvq_send_with_a_type_below_1_fails_with_EINVAL, 1, "5.3", "")
{
    int msqid = private_queue();

    errno = 0;
    int zero = sysvq_send(msqid, 0, "x", 1, IPC_NOWAIT);
    int zero_errno = errno;
    errno = 0;
    int negative = sysvq_send(msqid, -3, "x", 1, IPC_NOWAIT);
    int negative_errno = errno;
    long count = (long)queue_info(msqid).msg_qnum;
    remove_queue(msqid);
    ck_assert_msg(zero == -1 && zero_errno == EINVAL && negative == -1 &&
                  negative_errno == EINVAL,
                  "sysvq_send with type 0 gave %d (%s), with type -3 %d (%s); expected -1 with "
                  "EINVAL for both: a type is 1 or more", zero, strerror(zero_errno), negative,
                  strerror(negative_errno));
    ck_assert_msg(count == 0, "the queue holds %ld messages; expected none", count);
}
END_TEST

LAB_TEST(sysvq_send_with_IPC_NOWAIT_on_a_full_queue_fails_with_EAGAIN, 1, "5.5", "")
{
    int msqid = private_queue();
    struct msqid_ds info = queue_info(msqid);

    info.msg_qbytes = 8;    /* room for 8 bytes: lowering needs no privilege */
    if (msgctl(msqid, IPC_SET, &info) == -1) {
        remove_queue(msqid);
        ck_abort_msg("test setup: msgctl(IPC_SET): %s", strerror(errno));
    }
    send_raw(msqid, 1, "12345678");
    arm_alarm(3);
    errno = 0;
    int result = sysvq_send(msqid, 1, "x", 1, IPC_NOWAIT);
    int saved_errno = errno;
    disarm_alarm();
    long count = (long)queue_info(msqid).msg_qnum;
    remove_queue(msqid);
    ck_assert_msg(result == -1 && saved_errno == EAGAIN,
                  "sysvq_send(..., IPC_NOWAIT) on a full queue gave %d (%s); expected -1 with "
                  "EAGAIN%s", result, strerror(saved_errno),
                  saved_errno == EINTR ? " at once: it blocked (pass flags to msgsnd)" : "");
    ck_assert_msg(count == 1, "the full queue holds %ld messages; expected 1", count);
}
END_TEST

/* ---------- msgrcv: section 5.4 ---------- */

LAB_TEST(sysvq_receive_returns_the_text_its_length_and_type, 1, "5.4", "")
{
    int msqid = private_queue();
    struct raw_message message = { .type = 9 };

    memcpy(message.text, "a\0b\0c", 5);
    if (msgsnd(msqid, &message, 5, IPC_NOWAIT) == -1) {
        remove_queue(msqid);
        ck_abort_msg("test setup: msgsnd: %s", strerror(errno));
    }
    struct received got = receive(msqid, 0, IPC_NOWAIT);
    remove_queue(msqid);
    ck_assert_msg(got.length == 5 && got.type == 9 && memcmp(got.text, "a\0b\0c", 5) == 0,
                  "sysvq_receive gave %zd bytes (%s) of type %ld; expected the 5 bytes "
                  "\"a\\0b\\0c\" of type 9", got.length,
                  got.length == -1 ? strerror(got.error) : "other bytes", got.type);
}
END_TEST

LAB_TEST(sysvq_receive_into_a_small_buffer_fails_with_E2BIG, 1, "5.4", "")
{
    int msqid = private_queue();
    char area[64];

    send_raw(msqid, 1, "0123456789");
    memset(area, '#', sizeof area);
    arm_alarm(3);
    errno = 0;
    ssize_t length = sysvq_receive(msqid, 0, area, 4, NULL, IPC_NOWAIT);
    int saved_errno = errno;
    disarm_alarm();
    long count = (long)queue_info(msqid).msg_qnum;
    remove_queue(msqid);
    ck_assert_msg(memchr(area + 4, '0', sizeof area - 4) == NULL &&
                  memchr(area + 4, '9', sizeof area - 4) == NULL,
                  "sysvq_receive(size 4) wrote past the 4 bytes it was given");
    ck_assert_msg(length == -1 && saved_errno == E2BIG,
                  "sysvq_receive(size 4) of a 10-byte message gave %zd (%s); expected -1 with "
                  "E2BIG", length, strerror(saved_errno));
    ck_assert_msg(count == 1, "after E2BIG the queue holds %ld messages; expected the message "
                  "to stay", count);
}
END_TEST

LAB_TEST(sysvq_receive_never_asks_for_more_than_SYSVQ_MAX_TEXT, 1, "5.4", "the structure holds SYSVQ_MAX_TEXT bytes")
{
    int msqid = private_queue();
    static struct big_message message = { .type = 6 };
    static char area[8192];
    enum { LONG_TEXT = SYSVQ_MAX_TEXT + 904 };

    memset(message.text, 'z', LONG_TEXT);
    if (msgsnd(msqid, &message, LONG_TEXT, IPC_NOWAIT) == -1) {
        int saved_errno = errno;
        remove_queue(msqid);
        ck_abort_msg("test setup: msgsnd of %d bytes: %s", LONG_TEXT, strerror(saved_errno));
    }
    arm_alarm(3);
    errno = 0;
    ssize_t length = sysvq_receive(msqid, 0, area, sizeof area, NULL, IPC_NOWAIT);
    int saved_errno = errno;
    disarm_alarm();
    long count = (long)queue_info(msqid).msg_qnum;
    remove_queue(msqid);
    ck_assert_msg(length == -1 && saved_errno == E2BIG,
                  "sysvq_receive(size %zu) of a %d-byte message (sent by another program) gave "
                  "%zd (%s); expected -1 with E2BIG: ask msgrcv for at most SYSVQ_MAX_TEXT (%d) "
                  "bytes, all that a struct sysvq_message holds, whatever size says",
                  sizeof area, LONG_TEXT, length, strerror(saved_errno), SYSVQ_MAX_TEXT);
    ck_assert_msg(count == 1, "after E2BIG the queue holds %ld messages; expected the message "
                  "to stay", count);
}
END_TEST

LAB_TEST(sysvq_receive_type_0_takes_the_first_message, 1, "5.4", "received_type may be NULL")
{
    int msqid = private_queue();

    send_raw(msqid, 3, "three");
    send_raw(msqid, 1, "one");
    send_raw(msqid, 2, "two");
    struct received first = receive(msqid, 0, IPC_NOWAIT);
    struct received second = receive(msqid, 0, IPC_NOWAIT);
    char text[64];
    arm_alarm(3);
    errno = 0;
    ssize_t third = sysvq_receive(msqid, 0, text, sizeof text, NULL, IPC_NOWAIT);
    int third_errno = errno;
    disarm_alarm();
    remove_queue(msqid);
    expect_received(&first, 3, "three", "sysvq_receive(type 0) of types 3, 1, 2");
    expect_received(&second, 1, "one", "the second sysvq_receive(type 0) of types 3, 1, 2");
    ck_assert_msg(third == 3 && memcmp(text, "two", 3) == 0,
                  "the third sysvq_receive(type 0), with received_type NULL, gave %zd (%s); "
                  "expected the 3 bytes \"two\" (received_type may be NULL)", third,
                  third == -1 ? strerror(third_errno) : "other bytes");
}
END_TEST

LAB_TEST(sysvq_receive_a_positive_type_takes_the_first_message_of_that_type, 1, "5.4", "")
{
    int msqid = private_queue();

    send_raw(msqid, 3, "three");
    send_raw(msqid, 1, "one-a");
    send_raw(msqid, 2, "two");
    send_raw(msqid, 1, "one-b");
    struct received ones[2] = { receive(msqid, 1, IPC_NOWAIT), receive(msqid, 1, IPC_NOWAIT) };
    struct received two = receive(msqid, 2, IPC_NOWAIT);
    long left = (long)queue_info(msqid).msg_qnum;
    remove_queue(msqid);
    expect_received(&ones[0], 1, "one-a", "sysvq_receive(type 1) of 3, 1, 2, 1");
    expect_received(&ones[1], 1, "one-b", "the second sysvq_receive(type 1)");
    expect_received(&two, 2, "two", "sysvq_receive(type 2)");
    ck_assert_msg(left == 1, "%ld messages are left; expected 1 (the one of type 3)", left);
}
END_TEST

LAB_TEST(sysvq_receive_a_negative_type_takes_the_lowest_type_up_to_its_absolute_value, 1, "5.4", "")
{
    int msqid = private_queue();

    send_raw(msqid, 5, "five");
    send_raw(msqid, 3, "three");
    send_raw(msqid, 2, "two");
    send_raw(msqid, 4, "four");
    struct received lowest = receive(msqid, -4, IPC_NOWAIT);
    struct received next = receive(msqid, -4, IPC_NOWAIT);
    struct received none = receive(msqid, -1, IPC_NOWAIT);
    remove_queue(msqid);
    expect_received(&lowest, 2, "two", "sysvq_receive(type -4) of types 5, 3, 2, 4");
    expect_received(&next, 3, "three", "the second sysvq_receive(type -4)");
    ck_assert_msg(none.length == -1 && none.error == ENOMSG,
                  "sysvq_receive(type -1, IPC_NOWAIT) with only types 4 and 5 left gave %zd (%s); "
                  "expected -1 with ENOMSG", none.length, strerror(none.error));
}
END_TEST

LAB_TEST(sysvq_receive_with_MSG_EXCEPT_takes_the_first_message_of_another_type, 1, "5.4", "")
{
    int msqid = private_queue();

    send_raw(msqid, 3, "three-a");
    send_raw(msqid, 3, "three-b");
    send_raw(msqid, 1, "one");
    send_raw(msqid, 2, "two");
    struct received got = receive(msqid, 3, MSG_EXCEPT | IPC_NOWAIT);
    remove_queue(msqid);
    expect_received(&got, 1, "one", "sysvq_receive(type 3, MSG_EXCEPT) of types 3, 3, 1, 2");
}
END_TEST

LAB_TEST(sysvq_receive_with_IPC_NOWAIT_and_no_match_fails_with_ENOMSG, 1, "5.5", "")
{
    int msqid = private_queue();

    struct received empty = receive(msqid, 0, IPC_NOWAIT);
    send_raw(msqid, 2, "two");
    struct received other = receive(msqid, 5, IPC_NOWAIT);
    long left = (long)queue_info(msqid).msg_qnum;
    remove_queue(msqid);
    ck_assert_msg(empty.length == -1 && empty.error == ENOMSG,
                  "sysvq_receive(type 0, IPC_NOWAIT) on an empty queue gave %zd (%s); expected "
                  "-1 with ENOMSG (not EAGAIN: that is what msgsnd says)%s", empty.length,
                  strerror(empty.error),
                  empty.error == EINTR ? "; it blocked (pass flags to msgrcv)" : "");
    ck_assert_msg(other.length == -1 && other.error == ENOMSG,
                  "sysvq_receive(type 5, IPC_NOWAIT) with only a message of type 2 gave %zd (%s); "
                  "expected -1 with ENOMSG", other.length, strerror(other.error));
    ck_assert_msg(left == 1, "%ld messages are left; expected the one of type 2", left);
}
END_TEST

LAB_TEST_WITH_TIMEOUT(sysvq_receive_blocks_until_a_message_of_the_wanted_type_arrives, 1, "5.4", "", 30)
{
    int msqid = private_queue();
    char seen[256], result[256];
    int status = 0;

    pid_t child = fork_or_abort(msqid);
    if (child == 0) {
        char text[64];
        long type = 0;
        ssize_t length = sysvq_receive(msqid, 7, text, sizeof text, &type, 0);
        if (length == -1)
            child_exit_errno();
        _exit(length == 5 && type == 7 && memcmp(text, "seven", 5) == 0 ? CHILD_DONE
                                                                        : CHILD_WRONG_MESSAGE);
    }
    int asleep = wait_until_asleep_in(child, MSGRCV_WAIT, seen, sizeof seen);
    if (asleep) {
        struct raw_message three = { .type = 3 }, seven = { .type = 7 };
        memcpy(three.text, "three", 5);
        memcpy(seven.text, "seven", 5);
        msgsnd(msqid, &three, 5, IPC_NOWAIT);   /* not the wanted type: it must stay */
        msgsnd(msqid, &seven, 5, IPC_NOWAIT);
    }
    int ended = wait_for_child(child, 10, &status);
    long left = (long)queue_info(msqid).msg_qnum;
    remove_queue(msqid);
    ck_assert_msg(asleep, "sysvq_receive(type 7) on an empty queue did not wait in the kernel "
                  "(%s; %s); expected it to sleep until a message of type 7 arrives",
                  seen, child_result(status, result, sizeof result));
    ck_assert_msg(ended == 0, "sysvq_receive(type 7) still waited 10 s after a message of type 7 "
                  "arrived");
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == CHILD_DONE,
                  "after messages of type 3 and then 7 arrived, sysvq_receive(type 7): %s; "
                  "expected \"seven\" of type 7", child_result(status, result, sizeof result));
    ck_assert_msg(left == 1, "%ld messages are left; expected 1, the one of type 3", left);
}
END_TEST

/*
 * Start a child that calls sysvq_receive(msqid, 0, ..., 0) on an empty queue,
 * with a SIGUSR1 handler installed with SA_RESTART, and wait until it sleeps
 * in msgrcv. The child exits with child_exit_errno() or CHILD_DONE.
 */
static pid_t start_blocked_receiver(int msqid, char *seen, size_t size, int *asleep)
{
    if (share_signal_counter() == -1) {
        remove_queue(msqid);
        ck_abort_msg("test setup: mmap: %s", strerror(errno));
    }
    pid_t child = fork_or_abort(msqid);
    if (child == 0) {
        char text[64];
        count_sigusr1(1);
        if (sysvq_receive(msqid, 0, text, sizeof text, NULL, 0) == -1)
            child_exit_errno();
        _exit(CHILD_DONE);
    }
    *asleep = wait_until_asleep_in(child, MSGRCV_WAIT, seen, size);
    return child;
}

LAB_TEST_WITH_TIMEOUT(sysvq_receive_fails_with_EIDRM_when_the_queue_is_removed_while_it_waits, 1, "5.2", "", 30)
{
    int msqid = private_queue();
    char seen[256], result[256];
    int status = 0, asleep;

    pid_t child = start_blocked_receiver(msqid, seen, sizeof seen, &asleep);
    remove_queue(msqid);
    int ended = wait_for_child_or_say(child, 3, &status, seen, sizeof seen);
    ck_assert_msg(asleep, "sysvq_receive on an empty queue did not wait in the kernel (%s; %s)",
                  seen, child_result(status, result, sizeof result));
    ck_assert_msg(ended == 0, "sysvq_receive still waited 3 s after its queue was removed (%s); "
                  "expected it to fail with EIDRM", seen);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == CHILD_ERRNO_BASE + EIDRM,
                  "when its queue was removed, sysvq_receive: %s; expected it to fail with EIDRM",
                  child_result(status, result, sizeof result));
}
END_TEST

LAB_TEST_WITH_TIMEOUT(sysvq_receive_passes_EINTR_on_when_a_signal_handler_interrupts_it, 1, "5.5", "no retry in sysvq.c", 30)
{
    int msqid = private_queue();
    char seen[256], result[256];
    int status = 0, asleep;

    pid_t child = start_blocked_receiver(msqid, seen, sizeof seen, &asleep);
    if (asleep)
        kill(child, SIGUSR1);
    int ended = wait_for_child_or_say(child, 3, &status, seen, sizeof seen);
    remove_queue(msqid);
    ck_assert_msg(asleep, "sysvq_receive on an empty queue did not wait in the kernel (%s; %s)",
                  seen, child_result(status, result, sizeof result));
    ck_assert_msg(ended == 0, "after a signal handler ran, sysvq_receive went on waiting (%s); "
                  "expected it to fail with EINTR and leave the choice to its caller", seen);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == CHILD_ERRNO_BASE + EINTR,
                  "after a signal handler ran, sysvq_receive: %s; expected it to fail with "
                  "EINTR", child_result(status, result, sizeof result));
}
END_TEST

LAB_TEST_WITH_TIMEOUT(sysvq_send_on_a_full_queue_blocks_until_there_is_room, 1, "5.5", "", 30)
{
    int msqid = private_queue();
    struct msqid_ds info = queue_info(msqid);
    struct raw_message taken;
    char seen[256], result[256];
    int status = 0;

    info.msg_qbytes = 8;
    if (msgctl(msqid, IPC_SET, &info) == -1) {
        remove_queue(msqid);
        ck_abort_msg("test setup: msgctl(IPC_SET): %s", strerror(errno));
    }
    send_raw(msqid, 1, "12345678");
    pid_t child = fork_or_abort(msqid);
    if (child == 0) {
        if (sysvq_send(msqid, 2, "x", 1, 0) == -1)
            child_exit_errno();
        _exit(CHILD_DONE);
    }
    int asleep = wait_until_asleep_in(child, MSGSND_WAIT, seen, sizeof seen);
    ssize_t first = asleep ? msgrcv(msqid, &taken, sizeof taken.text, 1, IPC_NOWAIT) : -1;
    int ended = wait_for_child_or_say(child, 10, &status, seen, sizeof seen);
    long count = (long)queue_info(msqid).msg_qnum;
    remove_queue(msqid);
    ck_assert_msg(asleep, "sysvq_send(flags 0) on a full queue did not wait in the kernel "
                  "(%s; %s); expected it to sleep until there is room", seen,
                  child_result(status, result, sizeof result));
    ck_assert_msg(first == 8, "test: msgrcv of the first message gave %zd", first);
    ck_assert_msg(ended == 0, "sysvq_send still waited 10 s after a receive made room (%s)",
                  seen);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == CHILD_DONE && count == 1,
                  "after a receive made room, sysvq_send: %s, and the queue holds %ld "
                  "messages; expected it to send, and 1 message", child_result(status, result,
                  sizeof result), count);
}
END_TEST
