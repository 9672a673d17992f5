/*
 * check_pool.c - Check tests for lab 04, part 3: a counting semaphore as a
 * pool of N instances shared by many processes (pool.c).
 *
 * The crowd tests start 2N worker processes. Each takes an instance and then
 * holds it until the test closes a pipe (the gate). Once every worker is
 * asleep - holding an instance at the gate, or waiting in pool_acquire - the
 * number of holders can no longer change, and the test reads it.
 */
#include "fail_calls.h"
#include "labcheck.h"
#include "pool.h"
#include "test_support.h"

#include <limits.h>
#include <stdint.h>
#include <time.h>

enum { INSTANCES = 3, WORKERS = 2 * INSTANCES };

/* ---------- helpers ---------- */

static struct pool *create_or_fail(unsigned int size)
{
    errno = 0;
    struct pool *pool = pool_create(size);
    int saved_errno = errno;
    ck_assert_msg(pool != NULL, "pool_create(%u) returned NULL (errno %d: %s); expected a pool",
                  size, saved_errno, strerror(saved_errno));
    return pool;
}

static int free_instances(struct pool *pool)
{
    int value = -1;
    ck_assert_msg(sem_getvalue(&pool->free_instances, &value) == 0,
                  "sem_getvalue on the pool's semaphore failed: %s", strerror(errno));
    return value;
}

/* What the workers share with the test. */
struct crowd {
    unsigned int arrived;           /* workers that reached pool_acquire */
    unsigned int holding;           /* workers holding an instance now */
    unsigned int most_holding;      /* the most that ever held one at once */
    unsigned int failures;
    int failed_errno;
};

static void worker(struct pool *pool, struct crowd *crowd, int gate)
{
    char byte;
    ssize_t got;

    __atomic_add_fetch(&crowd->arrived, 1, __ATOMIC_SEQ_CST);
    if (pool_acquire(pool) == -1) {
        crowd->failed_errno = errno;
        __atomic_add_fetch(&crowd->failures, 1, __ATOMIC_SEQ_CST);
        _exit(1);
    }
    unsigned int now = __atomic_add_fetch(&crowd->holding, 1, __ATOMIC_SEQ_CST);
    unsigned int most = __atomic_load_n(&crowd->most_holding, __ATOMIC_SEQ_CST);
    while (now > most && !__atomic_compare_exchange_n(&crowd->most_holding, &most, now, 0,
                                                      __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
        continue;
    do
        got = read(gate, &byte, 1);     /* end of file: the test opened the gate */
    while (got == -1 && errno == EINTR);
    __atomic_sub_fetch(&crowd->holding, 1, __ATOMIC_SEQ_CST);
    if (pool_release(pool) == -1) {
        crowd->failed_errno = errno;
        __atomic_add_fetch(&crowd->failures, 1, __ATOMIC_SEQ_CST);
        _exit(1);
    }
    _exit(0);
}

struct scene {
    struct pool *pool;
    struct crowd *crowd;
    pid_t workers[WORKERS];
    int gate;                       /* the write end: closing it opens the gate */
};

/* Start the workers and wait until every one is asleep. Returns the number of
 * processes holding an instance then. */
static unsigned int start_crowd(struct scene *scene)
{
    int gate[2];

    scene->pool = create_or_fail(INSTANCES);
    scene->crowd = test_shared_memory(sizeof *scene->crowd);
    ck_assert_msg(pipe(gate) == 0, "test setup: pipe: %s", strerror(errno));
    for (int i = 0; i < WORKERS; i++) {
        scene->workers[i] = fork_or_fail();
        if (scene->workers[i] == 0) {
            close(gate[1]);
            worker(scene->pool, scene->crowd, gate[0]);
        }
    }
    close(gate[0]);
    scene->gate = gate[1];

    double deadline = monotonic_seconds() + scaled(SOON);
    for (;;) {
        int asleep = 0, gone = 0;
        for (int i = 0; i < WORKERS; i++) {
            char state = process_state(scene->workers[i]);
            asleep += state == 'S';
            gone += state == 'Z' || state == 'X';
        }
        if (gone > 0 || __atomic_load_n(&scene->crowd->failures, __ATOMIC_SEQ_CST) > 0) {
            close(scene->gate);
            for (int i = 0; i < WORKERS; i++)
                kill_and_reap(scene->workers[i]);
            ck_abort_msg("pool_acquire failed in a worker process (errno %d: %s); expected it "
                         "to take a free instance or to wait for one",
                         scene->crowd->failed_errno, strerror(scene->crowd->failed_errno));
        }
        if (asleep == WORKERS &&
            __atomic_load_n(&scene->crowd->arrived, __ATOMIC_SEQ_CST) == WORKERS)
            return __atomic_load_n(&scene->crowd->holding, __ATOMIC_SEQ_CST);
        if (monotonic_seconds() > deadline) {
            close(scene->gate);
            for (int i = 0; i < WORKERS; i++)
                kill_and_reap(scene->workers[i]);
            ck_abort_msg("the %d worker processes did not all settle within %.0f s (each "
                         "should hold an instance or wait in pool_acquire)", WORKERS,
                         scaled(SOON));
        }
        pause_briefly();
    }
}

/* Open the gate and reap the workers. Returns how many did not finish in time. */
static int finish_crowd(struct scene *scene, int *failed)
{
    int late = 0, status;

    close(scene->gate);
    *failed = 0;
    for (int i = 0; i < WORKERS; i++) {
        if (!wait_for_exit(scene->workers[i], SOON, &status)) {
            late++;
            kill_and_reap(scene->workers[i]);
        } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            (*failed)++;
        }
    }
    return late;
}

/* ---------- tests ---------- */

LAB_TEST(pool_create_rejects_0_instances_with_EINVAL, 1, "5.1", "")
{
    errno = 0;
    struct pool *pool = pool_create(0);
    int saved_errno = errno;
    ck_assert_msg(pool == NULL && saved_errno == EINVAL,
                  "pool_create(0) returned %p with errno %d (%s); expected NULL with EINVAL",
                  (void *)pool, saved_errno, strerror(saved_errno));
    pool = create_or_fail(5);
    ck_assert_msg(free_instances(pool) == 5,
                  "a new pool of 5 has %d free instances (the semaphore's value); expected 5",
                  free_instances(pool));
    ck_assert_msg(pool_destroy(pool) == 0, "pool_destroy failed: %s", strerror(errno));
    ck_assert_msg(!still_mapped(pool, sizeof *pool),
                  "after pool_destroy the pool is still mapped; expected it unmapped (munmap)");
}
END_TEST

/* A pool_create that returned NULL with errno error, where what failed: NULL,
 * that errno, and what it had mapped unmapped. */
static void expect_create_failure(struct pool *pool, int saved_errno, int error, const char *what)
{
    ck_assert_msg(pool == NULL && saved_errno == error,
                  "%s, pool_create returned %p with errno %d (%s); expected NULL with errno %s "
                  "(section 5.1)", what, (void *)pool,
                  saved_errno, strerror(saved_errno), strerror(error));
    ck_assert_msg(last_mapping == NULL || !still_mapped(last_mapping, sizeof(struct pool)),
                  "%s, pool_create returned NULL but left the pool it had mapped mapped; "
                  "expected it to munmap what it mapped before it returns NULL (section 5.1)",
                  what);
}

/* pool_destroy of a new pool with call made to fail: -1 with that errno. */
static void expect_destroy_to_fail(enum failing_call call, const char *what)
{
    struct pool *pool = create_or_fail(2);
    fail_call(call, 1, EINVAL);
    errno = 0;
    expect_failure_passed_on("pool_destroy", what, pool_destroy(pool), "5.1");
}

/* The calls that a real run never sees fail are made to fail (fail_calls.h),
 * except sem_init: a value above SEM_VALUE_MAX makes it fail for real. */
LAB_TEST(pool_create_and_pool_destroy_that_fail_say_so_and_leave_nothing_mapped, 1, "5.1", "undo what was done")
{
    watch_mappings();
    errno = 0;
    struct pool *pool = pool_create(0);
    expect_create_failure(pool, errno, EINVAL, "for 0 instances");

    fail_call(FAIL_MMAP, 1, ENOMEM);
    errno = 0;
    pool = pool_create(2);
    int saved_errno = errno;
    stop_failing();
    expect_create_failure(pool, saved_errno, ENOMEM, "when mmap fails with ENOMEM");

    watch_mappings();
    errno = 0;
    pool = pool_create((unsigned int)SEM_VALUE_MAX + 1u);
    expect_create_failure(pool, errno, EINVAL, "for SEM_VALUE_MAX + 1 instances (sem_init "
                          "fails with EINVAL: a semaphore holds at most SEM_VALUE_MAX)");

    expect_destroy_to_fail(FAIL_SEM_DESTROY, "sem_destroy");
    expect_destroy_to_fail(FAIL_MUNMAP, "munmap");
}
END_TEST

LAB_TEST_WITH_TIMEOUT(pool_lets_n_processes_hold_an_instance_at_once, 2, "5.1", "", 15)
{
    struct scene scene;
    int failed;
    unsigned int holding = start_crowd(&scene);
    finish_crowd(&scene, &failed);
    ck_assert_msg(holding >= INSTANCES,
                  "%d processes asked a pool of %d instances for one: only %u held one while "
                  "the others waited; expected %d at once (is the semaphore's initial value "
                  "the number of instances?)", WORKERS, INSTANCES, holding, INSTANCES);
}
END_TEST

LAB_TEST_WITH_TIMEOUT(pool_never_lets_more_than_n_processes_hold_an_instance, 2, "5.1", "in shared memory", 15)
{
    struct scene scene;
    int failed;
    unsigned int holding = start_crowd(&scene);
    finish_crowd(&scene, &failed);
    ck_assert_msg(holding <= INSTANCES,
                  "%d processes asked a pool of %d instances for one: %u held one at the same "
                  "time; expected at most %d. Does every process count on the same semaphore? "
                  "It must live in memory they all share (mmap MAP_SHARED before fork(), "
                  "sem_init(..., 1, N)); in malloc'd memory each child has its own copy.",
                  WORKERS, INSTANCES, holding, INSTANCES);
}
END_TEST

LAB_TEST_WITH_TIMEOUT(pool_release_lets_a_waiting_process_in, 2, "5.1", "", 15)
{
    struct scene scene;
    int failed;
    unsigned int holding = start_crowd(&scene);
    int late = finish_crowd(&scene, &failed);
    ck_assert_msg(late == 0,
                  "after the holders gave their instances back, %d of the %d processes waiting "
                  "in pool_acquire were not let in within %.0f s: does pool_release post the "
                  "semaphore that the others wait on?", late, WORKERS - INSTANCES, scaled(SOON));
    ck_assert_msg(failed == 0, "%d workers failed in pool_acquire or pool_release (errno %d: %s)",
                  failed, scene.crowd->failed_errno, strerror(scene.crowd->failed_errno));
    ck_assert_msg(holding == INSTANCES && scene.crowd->most_holding == INSTANCES,
                  "%u processes held an instance at once (%u at most); expected %d",
                  holding, scene.crowd->most_holding, INSTANCES);
    ck_assert_msg(free_instances(scene.pool) == INSTANCES,
                  "after every worker gave its instance back the pool has %d free; expected %d",
                  free_instances(scene.pool), INSTANCES);
}
END_TEST

/* What a child that calls pool_acquire_timed once reports. */
struct timed_report {
    volatile int returned;
    volatile int result;
    volatile int error;
    volatile double seconds;        /* how long the call took */
};

static pid_t acquire_timed_in_child(struct pool *pool, unsigned int milliseconds,
                                    struct timed_report *report)
{
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        double start = monotonic_seconds();
        errno = 0;
        report->result = pool_acquire_timed(pool, milliseconds);
        report->error = errno;
        report->seconds = monotonic_seconds() - start;
        report->returned = 1;
        _exit(0);
    }
    return pid;
}

LAB_TEST_WITH_TIMEOUT(pool_acquire_timed_gives_up_with_ETIMEDOUT_after_the_timeout, 2, "5.2", "", 15)
{
    enum { TIMEOUT_MS = 300 };
    struct pool *pool = create_or_fail(2);
    struct timed_report *report = test_shared_memory(sizeof *report);
    int status;

    ck_assert_msg(pool_acquire(pool) == 0 && pool_acquire(pool) == 0,
                  "pool_acquire on a pool of 2 failed: %s", strerror(errno));
    pid_t child = acquire_timed_in_child(pool, TIMEOUT_MS, report);
    if (!wait_for_exit(child, TIMEOUT_MS / 1000.0 + SOON, &status)) {
        kill_and_reap(child);
        ck_abort_msg("pool_acquire_timed(pool, %d) on a pool with no free instance had not "
                     "returned after %.1f s; expected it to give up after %d ms", TIMEOUT_MS,
                     TIMEOUT_MS / 1000.0 + scaled(SOON), TIMEOUT_MS);
    }
    ck_assert_msg(report->returned && report->result == -1 && report->error == ETIMEDOUT,
                  "pool_acquire_timed(pool, %d) on a pool with no free instance returned %d "
                  "with errno %d (%s); expected -1 with errno ETIMEDOUT", TIMEOUT_MS,
                  report->result, report->error, strerror(report->error));
    ck_assert_msg(report->seconds >= (TIMEOUT_MS - 10) / 1000.0,
                  "pool_acquire_timed(pool, %d) gave up after %.3f s; expected it to wait "
                  "%d ms. sem_timedwait takes an absolute CLOCK_REALTIME time (now + timeout), "
                  "not a duration: a duration is a time in 1970, long past.", TIMEOUT_MS,
                  report->seconds, TIMEOUT_MS);
    ck_assert_msg(free_instances(pool) == 0,
                  "after a timed out pool_acquire_timed the pool has %d free instances; "
                  "expected 0 (giving up takes nothing and gives nothing back)",
                  free_instances(pool));
}
END_TEST

LAB_TEST_WITH_TIMEOUT(pool_acquire_timed_takes_an_instance_free_or_released_in_time, 2, "5.2", "", 15)
{
    enum { TIMEOUT_MS = 20000 };
    struct pool *pool = create_or_fail(1);
    struct timed_report *reports = test_shared_memory(2 * sizeof *reports);
    int status;

    /* A free instance: taken at once. */
    pid_t child = acquire_timed_in_child(pool, TIMEOUT_MS, &reports[0]);
    if (!wait_for_exit(child, SOON, &status)) {
        kill_and_reap(child);
        ck_abort_msg("pool_acquire_timed(pool, %d) on a pool with a free instance had not "
                     "returned after %.0f s; expected it to take the instance at once",
                     TIMEOUT_MS, scaled(SOON));
    }
    ck_assert_msg(reports[0].result == 0,
                  "pool_acquire_timed(pool, %d) on a pool with a free instance returned %d "
                  "(errno %d: %s); expected 0", TIMEOUT_MS, reports[0].result, reports[0].error,
                  strerror(reports[0].error));
    ck_assert_msg(free_instances(pool) == 0,
                  "after pool_acquire_timed in another process took the only instance, this "
                  "process sees %d free; expected 0 (is the semaphore in memory that the "
                  "processes share?)", free_instances(pool));

    /* None free: the child waits until the test releases one. */
    child = acquire_timed_in_child(pool, TIMEOUT_MS, &reports[1]);
    if (wait_until_asleep(child, SOON, 0) != 'S') {
        kill_and_reap(child);
        ck_abort_msg("pool_acquire_timed(pool, %d) on a pool with no free instance returned "
                     "%d at once (errno %s); expected it to wait", TIMEOUT_MS, reports[1].result,
                     strerror(reports[1].error));
    }
    ck_assert_msg(pool_release(pool) == 0, "pool_release failed: %s", strerror(errno));
    if (!wait_for_exit(child, SOON, &status)) {
        kill_and_reap(child);
        ck_abort_msg("a process waiting in pool_acquire_timed(pool, %d) did not get the "
                     "instance another process released within %.0f s", TIMEOUT_MS,
                     scaled(SOON));
    }
    ck_assert_msg(reports[1].result == 0,
                  "pool_acquire_timed returned %d (errno %d: %s) when an instance was released "
                  "while it waited; expected 0", reports[1].result, reports[1].error,
                  strerror(reports[1].error));
    ck_assert_msg(pool_destroy(pool) == 0, "pool_destroy failed: %s", strerror(errno));
}
END_TEST

LAB_TEST(pool_acquire_timed_with_0_ms_never_waits, 1, "5.2", "")
{
    struct pool *pool = create_or_fail(1);
    struct timed_report *reports = test_shared_memory(2 * sizeof *reports);
    int status;

    /* A free instance is taken; with none free, 0 ms gives up at once. */
    for (int i = 0; i < 2; i++) {
        pid_t child = acquire_timed_in_child(pool, 0, &reports[i]);
        if (!wait_for_exit(child, SOON, &status)) {
            kill_and_reap(child);
            ck_abort_msg("pool_acquire_timed(pool, 0) on a pool with %s had not returned "
                         "after %.0f s; expected it never to wait", i == 0 ? "a free instance" :
                         "no free instance", scaled(SOON));
        }
    }
    ck_assert_msg(reports[0].result == 0,
                  "pool_acquire_timed(pool, 0) on a pool with a free instance returned %d "
                  "(errno %d: %s); expected 0: a free instance is taken without waiting",
                  reports[0].result, reports[0].error, strerror(reports[0].error));
    ck_assert_msg(reports[1].result == -1 && reports[1].error == ETIMEDOUT,
                  "pool_acquire_timed(pool, 0) on a pool with no free instance returned %d "
                  "(errno %d: %s); expected -1 with ETIMEDOUT", reports[1].result,
                  reports[1].error, strerror(reports[1].error));
}
END_TEST

/* sem_timedwait, watched (ld --wrap): the deadline of its last call. A
 * pool_acquire_timed that waits otherwise (sem_clockwait, say) is not watched. */
int __real_sem_timedwait(sem_t *semaphore, const struct timespec *deadline);

static struct timespec last_deadline;
static long deadlines_seen;

int __wrap_sem_timedwait(sem_t *semaphore, const struct timespec *deadline)
{
    if (deadline != NULL)
        last_deadline = *deadline;
    deadlines_seen++;
    return __real_sem_timedwait(semaphore, deadline);
}

/* CLOCK_REALTIME in nanoseconds. */
static int64_t realtime_nanoseconds(void)
{
    struct timespec now;
    ck_assert_msg(clock_gettime(CLOCK_REALTIME, &now) == 0, "test: clock_gettime: %s",
                  strerror(errno));
    return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

/* pool_acquire_timed(pool, milliseconds) on a pool with a free instance takes
 * it at once, and gives sem_timedwait (if it calls it) the deadline
 * CLOCK_REALTIME now + milliseconds: between the clock before the call and
 * after it, give or take a microsecond (a deadline from gettimeofday). */
static void expect_timed_acquire_at_once(struct pool *pool, unsigned int milliseconds)
{
    long seen = deadlines_seen;
    int64_t before = realtime_nanoseconds();
    errno = 0;
    int result = pool_acquire_timed(pool, milliseconds);
    int saved_errno = errno;
    int64_t after = realtime_nanoseconds();
    ck_assert_msg(result == 0,
                  "pool_acquire_timed(pool, %u) on a pool with a free instance returned %d "
                  "(errno %d: %s); expected 0%s", milliseconds, result, saved_errno,
                  strerror(saved_errno), saved_errno == EINVAL ? ": sem_timedwait refuses "
                  "a deadline whose tv_nsec is one second or more; carry it into tv_sec" : "");
    ck_assert_msg(pool_release(pool) == 0, "pool_release failed: %s", strerror(errno));
    if (deadlines_seen == seen)
        return;
    int64_t deadline = (int64_t)last_deadline.tv_sec * 1000000000 + last_deadline.tv_nsec;
    int64_t wanted = (int64_t)milliseconds * 1000000;
    ck_assert_msg(deadline >= before + wanted - 1000 && deadline <= after + wanted + 1000,
                  "pool_acquire_timed(pool, %u) gave sem_timedwait a deadline %.6f s after the "
                  "time of the call; expected %.3f s: CLOCK_REALTIME now plus the milliseconds, "
                  "milliseconds / 1000 into tv_sec and the rest, times 1000000, into tv_nsec, "
                  "with the carry (section 5.2)", milliseconds,
                  (double)(deadline - before / 2 - after / 2) / 1e9, milliseconds / 1000.0);
}

LAB_TEST(pool_acquire_timed_takes_any_number_of_milliseconds, 1, "5.2", "carry the nanoseconds into the seconds")
{
    struct pool *pool = create_or_fail(1);

    /* With an instance free, each call returns at once; but sem_timedwait
     * checks its deadline first: tv_nsec must be below one second. Every
     * fraction of a second: whatever the clock's nanoseconds now, some of
     * these need the carry. */
    for (unsigned int milliseconds = 1; milliseconds < 1000; milliseconds++)
        expect_timed_acquire_at_once(pool, milliseconds);
    expect_timed_acquire_at_once(pool, 3600u * 1000);
}
END_TEST

/* ---------- signals: section 5.1 and 5.2 ---------- */

LAB_TEST_WITH_TIMEOUT(pool_acquire_waits_again_when_a_signal_interrupts_it, 1, "5.1", "again after EINTR", 15)
{
    struct pool *pool = create_or_fail(1);
    volatile int *result = test_shared_memory(2 * sizeof *result);
    int status;

    ck_assert_msg(pool_acquire(pool) == 0, "pool_acquire failed: %s", strerror(errno));
    share_signal_count();
    pid_t child = fork_or_fail();
    if (child == 0) {
        count_sigusr1();
        errno = 0;
        result[0] = pool_acquire(pool);
        result[1] = errno;
        _exit(0);
    }
    char first = wait_until_asleep(child, SOON, 0);
    char again = first == 'S' ? interrupt_and_wait_until_asleep_again(child) : first;
    if (again == 'S')
        pool_release(pool);
    int ended = wait_for_exit(child, SOON, &status);
    if (!ended)
        kill_and_reap(child);
    ck_assert_msg(first == 'S', "pool_acquire on a pool with no free instance did not wait "
                  "(returned %d, errno %s)", result[0], strerror(result[1]));
    ck_assert_msg(again == 'S', "after a signal handler interrupted pool_acquire, it returned %d "
                  "(errno %d: %s); expected it to wait again: sem_wait fails with EINTR when a "
                  "handler without SA_RESTART runs - call it again in a loop", result[0],
                  result[1], strerror(result[1]));
    ck_assert_msg(ended && result[0] == 0,
                  "after the instance was released, pool_acquire %s (result %d, errno %s); "
                  "expected it to take it", ended ? "returned" : "still waited", result[0],
                  strerror(result[1]));
}
END_TEST

/*
 * A timed acquire under a rain of signals: a handler runs every 100 ms, for
 * longer than the timeout. A retry that computes a new deadline never times
 * out while the signals come; one that keeps the first deadline does.
 */
LAB_TEST_WITH_TIMEOUT(pool_acquire_timed_keeps_its_deadline_when_signals_interrupt_it, 1, "5.2", "the same deadline after EINTR", 60)
{
    enum { TIMEOUT_MS = 1000 };
    struct pool *pool = create_or_fail(1);
    struct timed_report *report = test_shared_memory(sizeof *report);
    double limit = TIMEOUT_MS / 1000.0 + scaled(1.5), rain = limit + scaled(1.0);
    int status = 0, signals = 0;

    ck_assert_msg(pool_acquire(pool) == 0, "pool_acquire failed: %s", strerror(errno));
    share_signal_count();
    pid_t child = fork_or_fail();
    if (child == 0) {
        count_sigusr1();
        double start = monotonic_seconds();
        errno = 0;
        report->result = pool_acquire_timed(pool, TIMEOUT_MS);
        report->error = errno;
        report->seconds = monotonic_seconds() - start;
        report->returned = 1;
        _exit(0);
    }
    double start = monotonic_seconds();
    char asleep = wait_until_asleep(child, SOON, 0);
    pid_t reaped = 0;
    while (asleep == 'S' && (reaped = waitpid(child, &status, WNOHANG)) == 0 &&
           monotonic_seconds() - start < rain) {
        kill(child, SIGUSR1);
        signals++;
        pause_milliseconds(100);
    }
    int ended = reaped == child || wait_for_exit(child, SOON, &status);
    double elapsed = monotonic_seconds() - start;
    if (!ended)
        kill_and_reap(child);
    ck_assert_msg(asleep == 'S', "pool_acquire_timed(pool, %d) on a pool with no free instance "
                  "did not wait (returned %d, errno %s)", TIMEOUT_MS, report->result,
                  strerror(report->error));
    ck_assert_msg(ended, "pool_acquire_timed(pool, %d) still waited %.0f s after the signals "
                  "stopped", TIMEOUT_MS, scaled(SOON));
    ck_assert_msg(report->returned && report->result == -1 && report->error == ETIMEDOUT,
                  "pool_acquire_timed(pool, %d), interrupted by a signal handler every 100 ms, "
                  "returned %d (errno %d: %s); expected it to wait again after each one and "
                  "fail with ETIMEDOUT", TIMEOUT_MS, report->result, report->error,
                  strerror(report->error));
    ck_assert_msg(elapsed <= limit,
                  "pool_acquire_timed(pool, %d), interrupted by a signal handler every 100 ms "
                  "(%d signals), returned after %.2f s; expected ETIMEDOUT after about %.1f s: "
                  "each retry must wait until the same deadline, not start a new timeout",
                  TIMEOUT_MS, signals, elapsed, TIMEOUT_MS / 1000.0);
}
END_TEST
