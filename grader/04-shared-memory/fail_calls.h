/*
 * fail_calls.h - for the Check suites of the buffer, the ring and the pool:
 * wrappers (ld --wrap) of mmap, munmap, sem_init, sem_destroy, sem_open and
 * sem_close that make one chosen call fail and remember the last mapping
 * made, so that a test can take the ways out that a real run never takes (an
 * mmap or a munmap that fails, a sem_destroy that fails: glibc's never does)
 * and see what a failed call left mapped.
 *
 *     fail_call(FAIL_SEM_INIT, 2, EINVAL);   the 2nd sem_init from now fails
 *     ... call the code under test ...
 *     stop_failing();
 *
 * A call made to fail is not made: it returns -1 (mmap: MAP_FAILED) with errno
 * set (sem_open: SEM_FAILED). Include this file in one source of a suite
 * linked with --wrap of all six (lab.json); the test's
 * own mmap calls (test_shared_memory) go through the wrappers too, so a test
 * sets a failure just before the call it aims at.
 */
#ifndef FAIL_CALLS_H
#define FAIL_CALLS_H

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <stdarg.h>
#include <string.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/types.h>

void *__real_mmap(void *address, size_t length, int protection, int flags, int fd, off_t offset);
int __real_munmap(void *address, size_t length);
int __real_sem_init(sem_t *semaphore, int pshared, unsigned int value);
int __real_sem_destroy(sem_t *semaphore);
sem_t *__real_sem_open(const char *name, int flags, ...);
int __real_sem_close(sem_t *semaphore);

enum failing_call {
    FAIL_NOTHING, FAIL_MMAP, FAIL_MUNMAP, FAIL_SEM_INIT, FAIL_SEM_DESTROY, FAIL_SEM_OPEN,
    FAIL_SEM_CLOSE,
};

static enum failing_call failing;       /* which call fails */
static int failing_countdown;           /* the how-manyth call of it from now */
static int failing_errno;
static void *last_mapping;              /* what the last successful mmap returned */

/* Make the nth call (from 1) of call, from now on, fail with error. */
static inline void fail_call(enum failing_call call, int nth, int error)
{
    failing = call;
    failing_countdown = nth;
    failing_errno = error;
    last_mapping = NULL;
}

static inline void stop_failing(void)
{
    failing = FAIL_NOTHING;
}

/* Forget the last mapping: what the next calls map is then last_mapping. */
static inline void watch_mappings(void)
{
    fail_call(FAIL_NOTHING, 0, 0);
}

/* 1 (errno set) when this call of call is the one to fail. */
static inline int fails_now(enum failing_call call)
{
    if (failing != call || --failing_countdown > 0)
        return 0;
    failing = FAIL_NOTHING;
    errno = failing_errno;
    return 1;
}

/* After a call of function in which what was made to fail with EINVAL: it
 * returned result, and errno (read first) must say EINVAL. Stops failing. */
static inline void expect_failure_passed_on(const char *function, const char *what, int result,
                                            const char *section)
{
    int saved_errno = errno;

    stop_failing();
    ck_assert_msg(result == -1 && saved_errno == EINVAL,
                  "when %s fails with EINVAL, %s returned %d with errno %d (%s); expected -1 "
                  "with errno EINVAL, the errno of the call that failed (section %s)", what,
                  function, result, saved_errno, strerror(saved_errno), section);
}

void *__wrap_mmap(void *address, size_t length, int protection, int flags, int fd, off_t offset)
{
    if (fails_now(FAIL_MMAP))
        return MAP_FAILED;
    void *mapping = __real_mmap(address, length, protection, flags, fd, offset);
    if (mapping != MAP_FAILED)
        last_mapping = mapping;
    return mapping;
}

int __wrap_munmap(void *address, size_t length)
{
    if (fails_now(FAIL_MUNMAP))
        return -1;
    return __real_munmap(address, length);
}

int __wrap_sem_init(sem_t *semaphore, int pshared, unsigned int value)
{
    if (fails_now(FAIL_SEM_INIT))
        return -1;
    return __real_sem_init(semaphore, pshared, value);
}

int __wrap_sem_destroy(sem_t *semaphore)
{
    if (fails_now(FAIL_SEM_DESTROY))
        return -1;
    return __real_sem_destroy(semaphore);
}

sem_t *__wrap_sem_open(const char *name, int flags, ...)
{
    mode_t mode = 0;
    unsigned int value = 0;

    if (flags & O_CREAT) {
        va_list arguments;
        va_start(arguments, flags);
        mode = va_arg(arguments, mode_t);
        value = va_arg(arguments, unsigned int);
        va_end(arguments);
    }
    if (fails_now(FAIL_SEM_OPEN))
        return SEM_FAILED;
    if (flags & O_CREAT)
        return __real_sem_open(name, flags, mode, value);
    return __real_sem_open(name, flags);
}

int __wrap_sem_close(sem_t *semaphore)
{
    if (fails_now(FAIL_SEM_CLOSE))
        return -1;
    return __real_sem_close(semaphore);
}

#endif
