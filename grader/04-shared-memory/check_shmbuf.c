/*
 * check_shmbuf.c - Check tests for lab 04, part 1: opening, waiting on,
 * closing and removing the buffer of shmpipe (shmbuf.c).
 *
 * Each test uses buffer names of its own, "/lab04-RUNID-PID-what", and removes
 * every name it may have made before it asserts anything. What a process has
 * open is read from /proc/self: its descriptors (/proc/self/fd) and its
 * mappings (/proc/self/maps, where the object NAME is /dev/shm/NAME and its
 * semaphores /dev/shm/sem.NAME.ready and /dev/shm/sem.NAME.consumed).
 */
#include "fail_calls.h"
#include "labcheck.h"
#include "shmbuf.h"
#include "test_support.h"

#include <fcntl.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>

/* ---------- helpers ---------- */

/* A buffer name that no other test, process or run uses: "/lab04-RUNID-PID-what". */
static const char *unique_name(char *name, size_t size, const char *what)
{
    const char *run = getenv("GRADER_RUN_ID");

    snprintf(name, size, "/lab04-%s-%d-%s", run != NULL ? run : "manual", (int)getpid(), what);
    return name;
}

/* NAME.SUFFIX, the name of one of the buffer's semaphores. */
static const char *semaphore_of(char *result, size_t size, const char *name, const char *suffix)
{
    snprintf(result, size, "%s.%s", name, suffix);
    return result;
}

/* Remove whatever the test or the code under test made for buffer name. */
static void remove_names(const char *name)
{
    char semaphore[320];

    shm_unlink(name);
    sem_unlink(semaphore_of(semaphore, sizeof semaphore, name, "ready"));
    sem_unlink(semaphore_of(semaphore, sizeof semaphore, name, "consumed"));
}

/*
 * How many mappings of this process are of a file of buffer name: the object
 * /dev/shm/NAME or a semaphore /dev/shm/sem.NAME.ready or .consumed. They are
 * found by inode: glibc makes a semaphore under a temporary name and renames
 * it, so /proc/self/maps may show another name. The first mapping's line goes
 * to seen.
 */
static int mappings_of(const char *name, char *seen, size_t size)
{
    static const char *const formats[] = { "/dev/shm/%s", "/dev/shm/sem.%s.ready",
                                           "/dev/shm/sem.%s.consumed" };
    unsigned long inodes[3];
    char path[512], line[1024];
    struct stat status;
    int count = 0;

    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, formats[i], name + 1);
        inodes[i] = stat(path, &status) == 0 ? (unsigned long)status.st_ino : 0;
    }
    FILE *maps = fopen("/proc/self/maps", "r");
    ck_assert_msg(maps != NULL, "test: fopen(/proc/self/maps): %s", strerror(errno));
    seen[0] = '\0';
    while (fgets(line, sizeof line, maps) != NULL) {
        unsigned long inode;
        char *path_start = strstr(line, "/dev/shm/");
        if (path_start == NULL || sscanf(line, "%*s %*s %*s %*s %lu", &inode) != 1)
            continue;
        for (int i = 0; i < 3; i++) {
            if (inodes[i] != 0 && inode == inodes[i]) {
                if (count++ == 0)
                    snprintf(seen, size, "%.*s", (int)strcspn(path_start, "\n"), path_start);
                break;
            }
        }
    }
    fclose(maps);
    return count;
}

/* The value of a semaphore, or -1. */
static int value_of(sem_t *semaphore)
{
    int value = -1;

    if (sem_getvalue(semaphore, &value) == -1)
        return -1;
    return value;
}

/* The permission bits of file path, as "0600", or "missing". */
static void mode_of(const char *path, char *mode, size_t size)
{
    struct stat status;

    if (stat(path, &status) == 0)
        snprintf(mode, size, "%04o", (unsigned int)(status.st_mode & 0777));
    else
        snprintf(mode, size, "missing");
}

/* ---------- opening: section 3.2 ---------- */

LAB_TEST(shmbuf_open_makes_the_object_and_the_semaphores_with_their_first_values, 2, "3.2", "")
{
    char name[128], object[160], ready_file[200], consumed_file[200];
    struct shmbuf buffer;
    struct stat status;

    unique_name(name, sizeof name, "open");
    umask(0);
    errno = 0;
    int result = shmbuf_open(name, &buffer);
    int saved_errno = errno;
    snprintf(object, sizeof object, "/dev/shm%s", name);
    int stat_result = stat(object, &status);
    snprintf(ready_file, sizeof ready_file, "/dev/shm/sem.%s.ready", name + 1);
    snprintf(consumed_file, sizeof consumed_file, "/dev/shm/sem.%s.consumed", name + 1);
    char ready_mode[16], consumed_mode[16];
    mode_of(ready_file, ready_mode, sizeof ready_mode);
    mode_of(consumed_file, consumed_mode, sizeof consumed_mode);
    int ready = result == 0 ? value_of(buffer.ready) : -2;
    int consumed = result == 0 ? value_of(buffer.consumed) : -2;
    remove_names(name);
    ck_assert_msg(result == 0, "shmbuf_open(\"%s\") returned %d (%s); expected 0", name, result,
                  strerror(saved_errno));
    ck_assert_msg(stat_result == 0, "after shmbuf_open(\"%s\"), %s does not exist", name, object);
    ck_assert_msg(status.st_size == (off_t)sizeof(struct shared_buffer),
                  "the shared memory object %s is %lld bytes long; expected %zu, the size of a "
                  "struct shared_buffer (ftruncate: a new object has 0 bytes)", object,
                  (long long)status.st_size, sizeof(struct shared_buffer));
    ck_assert_msg((status.st_mode & 0777) == 0600, "the object's mode is %04o; expected 0600",
                  (unsigned int)(status.st_mode & 0777));
    ck_assert_msg(ready == 0 && consumed == 1,
                  "a new buffer's semaphores are ready %d and consumed %d; expected 0 and 1",
                  ready, consumed);
    ck_assert_msg(strcmp(ready_mode, "0600") == 0 && strcmp(consumed_mode, "0600") == 0,
                  "with umask 0, the semaphore files %s and %s have modes %s and %s; expected "
                  "0600 for both, like the object: sem_open(\"NAME.ready\", O_CREAT, 0600, 0) "
                  "(section 3.2)", ready_file, consumed_file, ready_mode, consumed_mode);
    buffer.shared->length = 7;      /* the mapping is usable */
    ck_assert_msg(shmbuf_close(&buffer) == 0, "shmbuf_close failed: %s", strerror(errno));
}
END_TEST

LAB_TEST(shmbuf_open_of_an_existing_buffer_shares_it_and_keeps_the_semaphore_values, 2, "3.2", "either side first")
{
    char name[128];
    struct shmbuf first, second;

    unique_name(name, sizeof name, "again");
    int opened = shmbuf_open(name, &first);
    int saved_errno = errno;
    if (opened == -1) {
        remove_names(name);
        ck_abort_msg("shmbuf_open(\"%s\") failed: %s", name, strerror(saved_errno));
    }
    first.shared->length = 1234;
    sem_post(first.ready);          /* ready 1, consumed 1 */
    sem_wait(first.consumed);       /* consumed 0 */
    errno = 0;
    int again = shmbuf_open(name, &second);
    saved_errno = errno;
    int ready = again == 0 ? value_of(second.ready) : -2;
    int consumed = again == 0 ? value_of(second.consumed) : -2;
    size_t length = again == 0 ? second.shared->length : 0;
    remove_names(name);
    ck_assert_msg(again == 0, "a second shmbuf_open(\"%s\") of an existing buffer returned %d "
                  "(%s); expected 0: either side may start first", name, again,
                  strerror(saved_errno));
    ck_assert_msg(length == 1234, "the second opening sees length %zu in the buffer; expected "
                  "1234, what the first one wrote (the same object, mapped MAP_SHARED)", length);
    ck_assert_msg(ready == 1 && consumed == 0,
                  "after ready was posted and consumed taken, a second shmbuf_open sees ready "
                  "%d and consumed %d; expected 1 and 0: opening an existing semaphore must not "
                  "change its value (sem_open with O_CREAT, without O_EXCL)", ready, consumed);
    shmbuf_close(&second);
    shmbuf_close(&first);
}
END_TEST

/*
 * shmbuf_open(name) must fail and leave nothing open. With a name of 244
 * characters after its '/', the object and NAME.ready can be made, but the
 * file of NAME.consumed, /dev/shm/sem.NAME.consumed, would be longer than 255
 * characters: sem_open fails after everything else was opened.
 */
static void expect_open_to_fail_cleanly(const char *name, const char *what, int error)
{
    struct shmbuf buffer;
    char seen[512];

    int descriptors = lab_open_descriptors();
    errno = 0;
    int result = shmbuf_open(name, &buffer);
    int saved_errno = errno;
    stop_failing();
    int descriptors_after = lab_open_descriptors();
    int mappings = mappings_of(name, seen, sizeof seen);
    remove_names(name);
    ck_assert_msg(result == -1 && saved_errno != 0 && (error == 0 || saved_errno == error),
                  "shmbuf_open of %s returned %d (errno %d: %s); expected -1 with errno %s",
                  what, result, saved_errno, strerror(saved_errno),
                  error == 0 ? "set" : strerror(error));
    ck_assert_msg(descriptors_after == descriptors,
                  "shmbuf_open of %s failed, and left %d more descriptors open than before; "
                  "expected none: undo what was done (close)", what,
                  descriptors_after - descriptors);
    ck_assert_msg(mappings == 0,
                  "shmbuf_open of %s failed, and left %d mappings of the buffer's files (%s); "
                  "expected none: undo what was done (munmap the object, sem_close the "
                  "semaphore that was opened)", what, mappings, seen);
}

LAB_TEST(shmbuf_open_that_fails_leaves_nothing_open, 2, "3.2", "undo what was done")
{
    char name[300], prefix[128];
    struct shmbuf buffer;

    /* First, an opening that works (so that a function that always fails does not pass). */
    unique_name(name, sizeof name, "works");
    int opened = shmbuf_open(name, &buffer);
    int saved_errno = errno;
    if (opened == 0)
        shmbuf_close(&buffer);
    remove_names(name);
    ck_assert_msg(opened == 0, "shmbuf_open(\"%s\") failed: %s; expected it to work", name,
                  strerror(saved_errno));

    unique_name(prefix, sizeof prefix, "long-");
    snprintf(name, sizeof name, "%s%0*d", prefix, (int)(245 - strlen(prefix)), 0);
    ck_assert_msg(strlen(name) == 245, "test setup: a name of %zu characters", strlen(name));
    expect_open_to_fail_cleanly(name, "a name whose semaphore NAME.consumed is too long", 0);
    expect_open_to_fail_cleanly("/lab04/not-a-name", "/lab04/not-a-name (a second slash)", 0);

    /* Calls that do not fail in a real run, made to fail (fail_calls.h). */
    unique_name(name, sizeof name, "mmap");
    fail_call(FAIL_MMAP, 1, ENOMEM);
    expect_open_to_fail_cleanly(name, "a buffer whose mmap fails with ENOMEM", ENOMEM);
    unique_name(name, sizeof name, "ready");
    fail_call(FAIL_SEM_OPEN, 1, EACCES);
    expect_open_to_fail_cleanly(name, "a buffer whose first sem_open fails with EACCES", EACCES);

    /* ftruncate fails: a file size limit (RLIMIT_FSIZE) below the object's size
     * gives EFBIG (and SIGXFSZ, ignored here) after shm_open made the object. */
    struct rlimit limit, small;
    ck_assert_msg(getrlimit(RLIMIT_FSIZE, &limit) == 0, "test setup: getrlimit: %s",
                  strerror(errno));
    small = limit;
    small.rlim_cur = 100;
    signal(SIGXFSZ, SIG_IGN);
    ck_assert_msg(setrlimit(RLIMIT_FSIZE, &small) == 0, "test setup: setrlimit: %s",
                  strerror(errno));
    unique_name(name, sizeof name, "fsize");
    int descriptors = lab_open_descriptors();
    errno = 0;
    int result = shmbuf_open(name, &buffer);
    saved_errno = errno;
    int descriptors_after = lab_open_descriptors();
    setrlimit(RLIMIT_FSIZE, &limit);
    if (result == 0)
        shmbuf_close(&buffer);
    char seen[512];
    int mappings = mappings_of(name, seen, sizeof seen);
    remove_names(name);
    ck_assert_msg(result == -1 && saved_errno == EFBIG,
                  "with a file size limit of 100 bytes, ftruncate of the object fails with EFBIG; "
                  "shmbuf_open returned %d (errno %s); expected -1 with EFBIG, the errno of the "
                  "call that failed", result, strerror(saved_errno));
    ck_assert_msg(descriptors_after == descriptors,
                  "shmbuf_open failed at ftruncate, and left %d more descriptors open than "
                  "before; expected none: close the object's descriptor before returning -1",
                  descriptors_after - descriptors);
    ck_assert_msg(mappings == 0,
                  "shmbuf_open failed at ftruncate, and left %d mappings of the object (%s); "
                  "expected none: a mapping made before the failure is undone (munmap)",
                  mappings, seen);
}
END_TEST

/* ---------- waiting: section 3.3 ---------- */

LAB_TEST_WITH_TIMEOUT(shmbuf_wait_waits_again_when_a_signal_handler_interrupts_it, 2, "4.5", "retry on EINTR", 20)
{
    sem_t *semaphore = test_shared_memory(sizeof *semaphore);
    volatile int *result = test_shared_memory(2 * sizeof *result);
    int status;

    ck_assert_msg(sem_init(semaphore, 1, 0) == 0, "test setup: sem_init: %s", strerror(errno));
    share_signal_count();
    pid_t child = fork_or_fail();
    if (child == 0) {
        count_sigusr1();
        errno = 0;
        result[0] = shmbuf_wait(semaphore);
        result[1] = errno;
        _exit(0);
    }
    char first = wait_until_asleep(child, SOON, 0);
    char again = first == 'S' ? interrupt_and_wait_until_asleep_again(child) : first;
    if (again == 'S')
        sem_post(semaphore);
    int ended = wait_for_exit(child, SOON, &status);
    if (!ended)
        kill_and_reap(child);
    ck_assert_msg(first == 'S', "shmbuf_wait on a semaphore of value 0 did not wait (it "
                  "returned %d, errno %s)", result[0], strerror(result[1]));
    ck_assert_msg(again == 'S', "after a signal handler interrupted shmbuf_wait, it returned %d "
                  "(errno %s); expected it to wait again: sem_wait fails with EINTR when a "
                  "handler without SA_RESTART runs - call it again in a loop", result[0],
                  strerror(result[1]));
    ck_assert_msg(ended && result[0] == 0,
                  "after the semaphore was posted, shmbuf_wait %s (result %d, errno %s); "
                  "expected it to return 0", ended ? "returned" : "still waited", result[0],
                  strerror(result[1]));
}
END_TEST

/* ---------- closing and removing: section 3.5 ---------- */

/* shmbuf_close with the nth call of call made to fail with EINVAL (fail_calls.h):
 * -1 with EINVAL, and the other two files unmapped all the same. */
static void expect_close_to_fail(enum failing_call call, int nth, const char *what)
{
    char name[128], seen[512];
    struct shmbuf buffer;

    unique_name(name, sizeof name, "close-fails");
    if (shmbuf_open(name, &buffer) == -1) {
        int saved_errno = errno;
        remove_names(name);
        ck_abort_msg("shmbuf_open(\"%s\") failed: %s", name, strerror(saved_errno));
    }
    fail_call(call, nth, EINVAL);
    errno = 0;
    int result = shmbuf_close(&buffer);
    int saved_errno = errno;
    stop_failing();
    int left = mappings_of(name, seen, sizeof seen);
    remove_names(name);
    ck_assert_msg(result == -1 && saved_errno == EINVAL,
                  "when %s fails with EINVAL, shmbuf_close returned %d with errno %d (%s); "
                  "expected -1 with errno EINVAL", what, result, saved_errno,
                  strerror(saved_errno));
    ck_assert_msg(left <= 1,
                  "when %s fails, shmbuf_close leaves %d files of the buffer mapped (%s); "
                  "expected only that one: it unmaps and closes the others all the same (it "
                  "tries all three)", what, left, seen);
}

LAB_TEST(shmbuf_close_unmaps_the_buffer_and_closes_both_semaphores, 1, "3.5", "")
{
    char name[128], seen[512];
    struct shmbuf buffer;

    unique_name(name, sizeof name, "close");
    int descriptors = lab_open_descriptors();
    int opened = shmbuf_open(name, &buffer);
    int saved_errno = errno;
    int mapped = mappings_of(name, seen, sizeof seen);
    errno = 0;
    int result = opened == 0 ? shmbuf_close(&buffer) : -1;
    int close_errno = errno;
    int still_mapped = mappings_of(name, seen, sizeof seen);
    int descriptors_after = lab_open_descriptors();
    remove_names(name);
    ck_assert_msg(opened == 0, "shmbuf_open(\"%s\") failed: %s", name, strerror(saved_errno));
    ck_assert_msg(mapped == 3, "after shmbuf_open this process maps %d files of the buffer; "
                  "expected 3, the object and its two semaphores", mapped);
    ck_assert_msg(result == 0, "shmbuf_close returned %d (%s); expected 0", result,
                  strerror(close_errno));
    ck_assert_msg(still_mapped == 0, "after shmbuf_close this process still maps %d files of "
                  "the buffer (%s); expected none: munmap the object, sem_close both semaphores",
                  still_mapped, seen);
    ck_assert_msg(descriptors_after == descriptors,
                  "after shmbuf_open and shmbuf_close this process has %d more descriptors open "
                  "than before; expected none: shmbuf_open closes the object's descriptor once "
                  "it is mapped (section 3.2, step 3)", descriptors_after - descriptors);

    /* Calls that do not fail in a real run, made to fail (fail_calls.h). */
    expect_close_to_fail(FAIL_MUNMAP, 1, "munmap");
    expect_close_to_fail(FAIL_SEM_CLOSE, 1, "the first sem_close");
    expect_close_to_fail(FAIL_SEM_CLOSE, 2, "the second sem_close");
}
END_TEST

/* shmbuf_unlink of a buffer whose semaphore NAME.missing is gone: -1 with
 * ENOENT, the errno of that first failure, and the object and NAME.other removed. */
static void expect_unlink_without(const char *missing, const char *other)
{
    char name[128], semaphore[200], path[200];
    struct shmbuf buffer;
    struct stat status;

    unique_name(name, sizeof name, missing);
    if (shmbuf_open(name, &buffer) == -1) {
        int saved_errno = errno;
        remove_names(name);
        ck_abort_msg("shmbuf_open(\"%s\") failed: %s", name, strerror(saved_errno));
    }
    shmbuf_close(&buffer);
    sem_unlink(semaphore_of(semaphore, sizeof semaphore, name, missing));
    errno = 0;
    int result = shmbuf_unlink(name);
    int saved_errno = errno;
    snprintf(path, sizeof path, "/dev/shm%s", name);
    int object_left = stat(path, &status) == 0;
    snprintf(path, sizeof path, "/dev/shm/sem.%s.%s", name + 1, other);
    int other_left = stat(path, &status) == 0;
    remove_names(name);
    ck_assert_msg(result == -1 && saved_errno == ENOENT && !object_left && !other_left,
                  "shmbuf_unlink of a buffer without NAME.%s returned %d (errno %d: %s)%s%s; "
                  "expected -1 with ENOENT, the errno of the first failure, and the object and "
                  "NAME.%s removed", missing, result, saved_errno, strerror(saved_errno),
                  object_left ? ", and the object is left" : "",
                  other_left ? ", and the other semaphore is left" : "", other);
}

LAB_TEST(shmbuf_unlink_removes_the_three_names_and_tries_all_after_a_failure, 2, "3.5", "try all three")
{
    char name[128], semaphore[200], object[200];
    struct stat status;

    /* The two semaphores, but no shared memory object: shm_unlink fails first. */
    unique_name(name, sizeof name, "unlink");
    sem_t *ready = sem_open(semaphore_of(semaphore, sizeof semaphore, name, "ready"),
                            O_CREAT, 0600, 0);
    sem_t *consumed = sem_open(semaphore_of(semaphore, sizeof semaphore, name, "consumed"),
                               O_CREAT, 0600, 1);
    if (ready == SEM_FAILED || consumed == SEM_FAILED) {
        remove_names(name);
        ck_abort_msg("test setup: sem_open: %s", strerror(errno));
    }
    sem_close(ready);
    sem_close(consumed);
    errno = 0;
    int result = shmbuf_unlink(name);
    int saved_errno = errno;
    snprintf(object, sizeof object, "/dev/shm/sem.%s.ready", name + 1);
    int ready_left = stat(object, &status) == 0;
    snprintf(object, sizeof object, "/dev/shm/sem.%s.consumed", name + 1);
    int consumed_left = stat(object, &status) == 0;
    remove_names(name);
    ck_assert_msg(result == -1 && saved_errno == ENOENT,
                  "shmbuf_unlink of a buffer without its shared memory object returned %d "
                  "(%s); expected -1 with ENOENT, the errno of the first failure", result,
                  strerror(saved_errno));
    ck_assert_msg(!ready_left && !consumed_left,
                  "after shm_unlink failed, shmbuf_unlink left %s%s%s; expected it to remove "
                  "both semaphores all the same: try all three names",
                  ready_left ? "NAME.ready" : "", ready_left && consumed_left ? " and " : "",
                  consumed_left ? "NAME.consumed" : "");

    /* All three there: all three go. */
    struct shmbuf buffer;
    unique_name(name, sizeof name, "unlink-all");
    if (shmbuf_open(name, &buffer) == -1) {
        saved_errno = errno;
        remove_names(name);
        ck_abort_msg("shmbuf_open(\"%s\") failed: %s", name, strerror(saved_errno));
    }
    shmbuf_close(&buffer);
    errno = 0;
    result = shmbuf_unlink(name);
    saved_errno = errno;
    snprintf(object, sizeof object, "/dev/shm%s", name);
    int object_left = stat(object, &status) == 0;
    remove_names(name);
    ck_assert_msg(result == 0 && !object_left,
                  "shmbuf_unlink(\"%s\") returned %d (%s)%s; expected 0 and the three names gone",
                  name, result, strerror(saved_errno), object_left ? ", and the object is left" : "");

    /* One semaphore missing: the first failure is its sem_unlink. */
    expect_unlink_without("ready", "consumed");
    expect_unlink_without("consumed", "ready");

    /* Nothing there, and NAME.consumed too long for a semaphore's file (255
     * characters): ENOENT twice, then ENAMETOOLONG. The first failure counts. */
    char prefix[128], long_name[300];
    unique_name(prefix, sizeof prefix, "long-");
    snprintf(long_name, sizeof long_name, "%s%0*d", prefix, (int)(245 - strlen(prefix)), 0);
    errno = 0;
    result = shmbuf_unlink(long_name);
    saved_errno = errno;
    ck_assert_msg(result == -1 && saved_errno == ENOENT,
                  "shmbuf_unlink of a buffer of which nothing exists, with a name whose "
                  "NAME.consumed is too long for a semaphore (ENAMETOOLONG), returned %d (%s); "
                  "expected -1 with ENOENT, the errno of the first failure (shm_unlink)", result,
                  strerror(saved_errno));
}
END_TEST
