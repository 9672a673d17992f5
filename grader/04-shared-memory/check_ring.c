/*
 * check_ring.c - Check tests for lab 04, part 2: the bounded buffer (ring.c)
 * shared by producer and consumer processes.
 *
 * Every blocking test waits for an event - a child asleep in state S, a child's
 * exit - and gives up at a deadline (SOON seconds, times TIMEOUT_SCALE), or
 * sooner when a child that has nothing left to wait for sleeps on
 * (wait_for_exit_unless_asleep: a deadlock or a lost wake-up, for certain).
 * Children report through memory they share with the test and end with _exit().
 */
#define _GNU_SOURCE         /* sched_setaffinity */
#include "fail_calls.h"
#include "labcheck.h"
#include "ring.h"
#include "test_support.h"

#include <sched.h>
#include <stdint.h>

/* ---------- helpers ---------- */

static struct ring *create_or_fail(unsigned int slots)
{
    errno = 0;
    struct ring *ring = ring_create(slots);
    int saved_errno = errno;
    ck_assert_msg(ring != NULL, "ring_create(%u) returned NULL (errno %d: %s); expected a ring",
                  slots, saved_errno, strerror(saved_errno));
    return ring;
}

/* The payload of an item is a pattern of its producer and sequence, so that a
 * torn or stale item shows. */
static struct item make_item(unsigned int producer, unsigned int sequence)
{
    struct item item;
    item.producer = producer;
    item.sequence = sequence;
    for (unsigned int i = 0; i < ITEM_PAYLOAD; i++)
        item.payload[i] = (unsigned char)(producer * 97u + sequence * 31u + i);
    return item;
}

static int item_is_intact(const struct item *item)
{
    struct item expected = make_item(item->producer, item->sequence);
    return memcmp(item->payload, expected.payload, ITEM_PAYLOAD) == 0;
}

/* What a child that calls ring_put or ring_get once reports. */
struct call_report {
    volatile int returned;      /* 1 once the call returned */
    volatile int result;
    volatile int error;         /* errno after the call */
    struct item item;           /* the item ring_get gave */
};

/* A child that puts one item and reports. */
static pid_t put_in_child(struct ring *ring, struct item item, struct call_report *report)
{
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        errno = 0;
        report->result = ring_put(ring, &item);
        report->error = errno;
        report->returned = 1;
        _exit(0);
    }
    return pid;
}

/* A child that gets one item and reports. */
static pid_t get_in_child(struct ring *ring, struct call_report *report)
{
    pid_t pid = fork_or_fail();
    if (pid == 0) {
        errno = 0;
        report->result = ring_get(ring, &report->item);
        report->error = errno;
        report->returned = 1;
        _exit(0);
    }
    return pid;
}

static void expect_call_ok(const char *call, const struct call_report *report)
{
    ck_assert_msg(report->returned && report->result == 0,
                  "%s in a child process returned %d (errno %d: %s); expected 0", call,
                  report->result, report->error, strerror(report->error));
}

/* ---------- one process ---------- */

LAB_TEST(ring_create_rejects_a_bad_slot_count_with_EINVAL, 2, "4.2", "")
{
    unsigned int bad[] = { 0, RING_MAX_SLOTS + 1 };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        errno = 0;
        struct ring *ring = ring_create(bad[i]);
        int saved_errno = errno;
        ck_assert_msg(ring == NULL && saved_errno == EINVAL,
                      "ring_create(%u) returned %p with errno %d (%s); expected NULL with "
                      "errno EINVAL (a ring has 1 to RING_MAX_SLOTS = %d slots)",
                      bad[i], (void *)ring, saved_errno, strerror(saved_errno), RING_MAX_SLOTS);
    }
    struct ring *ring = create_or_fail(RING_MAX_SLOTS);
    ck_assert_msg(ring->slots == RING_MAX_SLOTS && ring->in == 0 && ring->out == 0,
                  "ring_create(%d) made a ring with slots %u, in %u, out %u; expected %d, 0, 0",
                  RING_MAX_SLOTS, ring->slots, ring->in, ring->out, RING_MAX_SLOTS);
    ck_assert_msg(ring_destroy(ring) == 0, "ring_destroy failed: %s", strerror(errno));
    ck_assert_msg(!still_mapped(ring, sizeof *ring),
                  "after ring_destroy the ring is still mapped; expected it unmapped (munmap)");
}
END_TEST

/* After a ring_create that returned NULL: what it had mapped is unmapped. */
static void expect_nothing_left_mapped(const char *what)
{
    ck_assert_msg(last_mapping == NULL || !still_mapped(last_mapping, sizeof(struct ring)),
                  "%s, ring_create returned NULL but left the ring it had mapped mapped; "
                  "expected it to munmap what it mapped before it returns NULL (section 4.2)",
                  what);
}

/* ring_create(4) with the nth call of call made to fail with error: NULL with that errno. */
static void expect_create_to_fail(enum failing_call call, int nth, int error, const char *what)
{
    fail_call(call, nth, error);
    errno = 0;
    struct ring *ring = ring_create(4);
    int saved_errno = errno;
    stop_failing();
    ck_assert_msg(ring == NULL && saved_errno == error,
                  "when %s fails with %s, ring_create(4) returned %p with errno %d (%s); "
                  "expected NULL with errno %s, the errno of the call that failed (section 4.2)",
                  what, strerror(error), (void *)ring, saved_errno, strerror(saved_errno),
                  strerror(error));
    expect_nothing_left_mapped(what);
}

/* ring_destroy of a new ring with the nth call of call made to fail: -1 with that errno. */
static void expect_destroy_to_fail(enum failing_call call, int nth, const char *what)
{
    struct ring *ring = create_or_fail(4);
    fail_call(call, nth, EINVAL);
    errno = 0;
    expect_failure_passed_on("ring_destroy", what, ring_destroy(ring), "4.2");
}

/* The calls that a real run never sees fail are made to fail (fail_calls.h). */
LAB_TEST(ring_create_and_ring_destroy_that_fail_say_so_and_leave_nothing_mapped, 1, "4.2", "undo what was done")
{
    watch_mappings();
    errno = 0;
    struct ring *ring = ring_create(0);
    int saved_errno = errno;
    ck_assert_msg(ring == NULL && saved_errno == EINVAL,
                  "ring_create(0) returned %p with errno %d (%s); expected NULL with EINVAL",
                  (void *)ring, saved_errno, strerror(saved_errno));
    expect_nothing_left_mapped("for 0 slots (EINVAL)");
    expect_create_to_fail(FAIL_MMAP, 1, ENOMEM, "mmap");
    expect_create_to_fail(FAIL_SEM_INIT, 2, EINVAL, "the second sem_init");
    expect_destroy_to_fail(FAIL_SEM_DESTROY, 1, "the first sem_destroy");
    expect_destroy_to_fail(FAIL_SEM_DESTROY, 3, "the third sem_destroy");
    expect_destroy_to_fail(FAIL_MUNMAP, 1, "munmap");
}
END_TEST

LAB_TEST(ring_returns_items_in_the_order_they_were_put, 3, "4.3", "")
{
    /* 3 items at a time through 4 slots: in and out wrap around many times. */
    struct ring *ring = create_or_fail(4);
    unsigned int next_put = 0, next_get = 0;
    for (int round = 0; round < 20; round++) {
        for (int i = 0; i < 3; i++) {
            struct item item = make_item(0, next_put++);
            ck_assert_msg(ring_put(ring, &item) == 0, "ring_put of item %u failed: %s",
                          next_put - 1, strerror(errno));
        }
        for (int i = 0; i < 3; i++) {
            struct item item;
            memset(&item, 0, sizeof item);
            ck_assert_msg(ring_get(ring, &item) == 0, "ring_get failed: %s", strerror(errno));
            ck_assert_msg(item.sequence == next_get && item.producer == 0 && item_is_intact(&item),
                          "ring_get gave item %u%s; expected item %u, the oldest (after %u puts "
                          "and %u gets through a ring of 4 slots: do in and out wrap at the "
                          "number of slots?)", item.sequence,
                          item_is_intact(&item) ? "" : " with a wrong payload", next_get,
                          next_put, next_get);
            next_get++;
        }
    }
    ck_assert_msg(ring_destroy(ring) == 0, "ring_destroy failed: %s", strerror(errno));
}
END_TEST

/* ---------- blocking and waking across processes ---------- */

LAB_TEST_WITH_TIMEOUT(ring_get_waits_on_an_empty_ring_until_another_process_puts, 3, "4.2", "pshared = 1", 15)
{
    struct ring *ring = create_or_fail(4);
    struct call_report *reports = test_shared_memory(2 * sizeof *reports);
    struct call_report *got = &reports[0], *put = &reports[1];
    int status;

    pid_t consumer = get_in_child(ring, got);
    char state = wait_until_asleep(consumer, SOON, 0);
    if (state != 'S') {
        kill_and_reap(consumer);
        ck_abort_msg("ring_get on an empty ring %s (returned %d, errno %s); expected it to "
                     "wait in sem_wait for an item", got->returned ? "returned" : "did not wait",
                     got->result, strerror(got->error));
    }

    pid_t producer = put_in_child(ring, make_item(7, 0), put);
    if (!wait_for_exit_unless_asleep(producer, SOON, &status)) {
        kill_and_reap(producer);
        kill_and_reap(consumer);
        ck_abort_msg("deadlock: while a consumer waited in ring_get on the empty ring, "
                     "ring_put in another process went to sleep and did not return (or ran "
                     "for %.0f s). The waiting "
                     "consumer holds the mutex, so the producer can never take it to add the "
                     "item. In ring_get, wait on filled_slots BEFORE taking the mutex.",
                     scaled(SOON));
    }
    expect_call_ok("ring_put", put);
    if (!wait_for_exit_unless_asleep(consumer, SOON, &status)) {
        kill_and_reap(consumer);
        ck_abort_msg("a consumer waiting in ring_get was not woken after another process put "
                     "an item (it slept on, or had not ended %.0f s later): are the semaphores "
                     "inside the shared mapping and "
                     "process-shared (sem_init(&sem, 1, value): pshared = 1)?", scaled(SOON));
    }
    expect_call_ok("ring_get", got);
    ck_assert_msg(got->item.producer == 7 && got->item.sequence == 0 && item_is_intact(&got->item),
                  "ring_get gave item (producer %u, sequence %u); expected the item put by "
                  "the other process (producer 7, sequence 0)", got->item.producer,
                  got->item.sequence);
}
END_TEST

LAB_TEST_WITH_TIMEOUT(ring_put_waits_on_a_full_ring_until_another_process_gets, 3, "4.4", "", 15)
{
    enum { SLOTS = 4 };
    struct ring *ring = create_or_fail(SLOTS);
    struct call_report *got = test_shared_memory(sizeof *got);
    volatile unsigned int *puts_returned = test_shared_memory(sizeof *puts_returned);
    int status;

    /* The producer fills the ring, then tries to put one item more. */
    pid_t producer = fork_or_fail();
    if (producer == 0) {
        for (unsigned int i = 0; i <= SLOTS; i++) {
            struct item item = make_item(3, i);
            if (ring_put(ring, &item) == -1)
                _exit(1);
            *puts_returned = i + 1;
        }
        _exit(0);
    }
    char state = wait_until_asleep(producer, SOON, 0);
    if (state != 'S' || *puts_returned != SLOTS) {
        kill_and_reap(producer);
        ck_abort_msg("a producer putting %d items into a ring of %d slots %s after %u puts "
                     "returned; expected it to wait in the %d%s put until a slot is free",
                     SLOTS + 1, SLOTS, state == 'S' ? "waited" : "did not wait",
                     *puts_returned, SLOTS + 1, "th");
    }

    pid_t consumer = get_in_child(ring, got);
    if (!wait_for_exit_unless_asleep(consumer, SOON, &status)) {
        kill_and_reap(consumer);
        kill_and_reap(producer);
        ck_abort_msg("deadlock: while a producer waited in ring_put for a free slot, "
                     "ring_get in another process went to sleep and did not return (or ran "
                     "for %.0f s). The waiting "
                     "producer holds the mutex, so no consumer can take it to free a slot. "
                     "In ring_put, wait on free_slots BEFORE taking the mutex.", scaled(SOON));
    }
    expect_call_ok("ring_get", got);
    if (!wait_for_exit_unless_asleep(producer, SOON, &status)) {
        kill_and_reap(producer);
        ck_abort_msg("a producer waiting in ring_put on a full ring was not woken after another "
                     "process took an item (it slept on, or had not ended %.0f s later): are "
                     "the semaphores inside "
                     "the shared mapping and process-shared (pshared = 1)?", scaled(SOON));
    }
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                  "the producer's ring_put failed after it was woken");
    ck_assert_msg(got->item.sequence == 0 && got->item.producer == 3,
                  "ring_get on a full ring gave item %u; expected item 0, the oldest",
                  got->item.sequence);
    for (unsigned int i = 1; i <= SLOTS; i++) {
        struct item item;
        ck_assert_msg(ring_get(ring, &item) == 0, "ring_get failed: %s", strerror(errno));
        ck_assert_msg(item.sequence == i, "ring_get gave item %u; expected item %u",
                      item.sequence, i);
    }
}
END_TEST

/* ---------- signals ---------- */

LAB_TEST_WITH_TIMEOUT(ring_get_waits_again_when_a_signal_interrupts_it, 2, "4.5", "", 15)
{
    struct ring *ring = create_or_fail(4);
    struct call_report *reports = test_shared_memory(2 * sizeof *reports);
    struct call_report *got = &reports[0], *put = &reports[1];
    int status;

    share_signal_count();
    pid_t consumer = fork_or_fail();
    if (consumer == 0) {
        count_sigusr1();        /* no SA_RESTART: sem_wait fails with EINTR */
        errno = 0;
        got->result = ring_get(ring, &got->item);
        got->error = errno;
        got->returned = 1;
        _exit(0);
    }
    char first = wait_until_asleep(consumer, SOON, 0);
    char again = first == 'S' ? interrupt_and_wait_until_asleep_again(consumer) : first;
    if (again != 'S') {
        kill_and_reap(consumer);
        ck_abort_msg("ring_get on an empty ring %s (returned %d, errno %d: %s); expected it to "
                     "wait%s", first != 'S' ? "did not wait" : "did not wait again after a "
                     "signal handler ran", got->result, got->error, strerror(got->error),
                     first != 'S' ? "" : " again: sem_wait fails with EINTR when a handler "
                     "without SA_RESTART runs - call it again in a loop");
    }

    pid_t producer = put_in_child(ring, make_item(5, 0), put);
    int producer_done = wait_for_exit_unless_asleep(producer, SOON, &status);
    int consumer_done = wait_for_exit_unless_asleep(consumer, SOON, &status);
    if (!producer_done)
        kill_and_reap(producer);
    if (!consumer_done)
        kill_and_reap(consumer);
    ck_assert_msg(producer_done,
                  "deadlock: while a consumer waited in ring_get on the empty ring, ring_put in "
                  "another process went to sleep and did not return (or ran for %.0f s). The "
                  "waiting consumer holds the "
                  "mutex: in ring_get, wait on filled_slots BEFORE taking the mutex.",
                  scaled(SOON));
    ck_assert_msg(consumer_done,
                  "after a signal interrupted ring_get, an item put by another process did "
                  "not reach it (it slept on, or had not ended %.0f s later)", scaled(SOON));
    expect_call_ok("ring_get, interrupted by a signal handler,", got);
    ck_assert_msg(got->item.producer == 5 && got->item.sequence == 0,
                  "ring_get gave item (producer %u, sequence %u); expected (5, 0)",
                  got->item.producer, got->item.sequence);
}
END_TEST

LAB_TEST_WITH_TIMEOUT(ring_put_waits_again_when_a_signal_interrupts_it, 1, "4.5", "", 15)
{
    enum { SLOTS = 2 };
    struct ring *ring = create_or_fail(SLOTS);
    struct call_report *reports = test_shared_memory(2 * sizeof *reports);
    struct call_report *put = &reports[0], *got = &reports[1];
    int status;

    for (unsigned int i = 0; i < SLOTS; i++) {
        struct item item = make_item(4, i);
        ck_assert_msg(ring_put(ring, &item) == 0, "ring_put failed: %s", strerror(errno));
    }
    share_signal_count();
    pid_t producer = fork_or_fail();
    if (producer == 0) {
        struct item item = make_item(4, SLOTS);
        count_sigusr1();
        errno = 0;
        put->result = ring_put(ring, &item);
        put->error = errno;
        put->returned = 1;
        _exit(0);
    }
    char first = wait_until_asleep(producer, SOON, 0);
    char again = first == 'S' ? interrupt_and_wait_until_asleep_again(producer) : first;
    if (again != 'S') {
        kill_and_reap(producer);
        ck_abort_msg("ring_put on a full ring %s (returned %d, errno %d: %s); expected it to "
                     "wait%s", first != 'S' ? "did not wait" : "did not wait again after a "
                     "signal handler ran", put->result, put->error, strerror(put->error),
                     first != 'S' ? "" : " again: sem_wait fails with EINTR when a handler "
                     "without SA_RESTART runs - call it again in a loop");
    }

    pid_t consumer = get_in_child(ring, got);
    int consumer_done = wait_for_exit_unless_asleep(consumer, SOON, &status);
    int producer_done = wait_for_exit_unless_asleep(producer, SOON, &status);
    if (!consumer_done)
        kill_and_reap(consumer);
    if (!producer_done)
        kill_and_reap(producer);
    ck_assert_msg(consumer_done && producer_done,
                  "after a signal interrupted ring_put on a full ring, ring_get in another "
                  "process %s", consumer_done ? "returned, but the producer was not woken" :
                  "did not return (deadlock: wait on free_slots BEFORE taking the mutex)");
    expect_call_ok("ring_put, interrupted by a signal handler,", put);
    for (unsigned int i = 1; i <= SLOTS; i++) {
        struct item item;
        ck_assert_msg(ring_get(ring, &item) == 0, "ring_get failed: %s", strerror(errno));
        ck_assert_msg(item.sequence == i, "ring_get gave item %u; expected item %u: the one "
                      "the interrupted ring_put put last", item.sequence, i);
    }
}
END_TEST

/* ---------- many producers and consumers ----------
 *
 * A race shows only when two processes really run at once: the children wait
 * at a start barrier (a pipe the test closes) and each is pinned to a core of
 * its own, round robin, so that the two producers (and the two consumers) run
 * on different cores. Measured: without the mutex, with pshared = 0, or with a
 * mutex taken before a counting semaphore, this test failed 20 runs out of 20,
 * on an idle machine and with both cores busy with other work.
 */

enum {
    PRODUCERS = 2,
    CONSUMERS = 2,
    ITEMS_PER_PRODUCER = 100000,
    STRESS_SLOTS = 8,
    POISON = 0xffffffffu,       /* producer of the item that tells a consumer to stop */
};

struct stress {
    unsigned int delivered;                 /* items consumers got (atomic) */
    unsigned int copies[PRODUCERS][ITEMS_PER_PRODUCER];   /* how often each arrived */
    unsigned int corrupt;                   /* items with a wrong payload (atomic) */
    unsigned int out_of_order;              /* a producer's item after a later one */
    unsigned int unknown;                   /* items no producer made */
    int failed_errno;                       /* errno of a failed ring call */
};

static int wait_for_start(int barrier)
{
    char byte;
    ssize_t got;
    do
        got = read(barrier, &byte, 1);      /* end of file: the test closed it */
    while (got == -1 && errno == EINTR);
    return (int)got;
}

static void producer(struct ring *ring, struct stress *stress, unsigned int id, int barrier)
{
    if (wait_for_start(barrier) != 0)
        _exit(3);
    for (unsigned int sequence = 0; sequence < ITEMS_PER_PRODUCER; sequence++) {
        struct item item = make_item(id, sequence);
        if (ring_put(ring, &item) == -1) {
            stress->failed_errno = errno;
            _exit(1);
        }
    }
    _exit(0);
}

static void consumer(struct ring *ring, struct stress *stress, int barrier)
{
    long last[PRODUCERS];
    for (int p = 0; p < PRODUCERS; p++)
        last[p] = -1;
    if (wait_for_start(barrier) != 0)
        _exit(3);
    for (;;) {
        struct item item;
        if (ring_get(ring, &item) == -1) {
            stress->failed_errno = errno;
            _exit(1);
        }
        if (item.producer == POISON)
            _exit(0);
        __atomic_add_fetch(&stress->delivered, 1, __ATOMIC_RELAXED);
        if (item.producer >= PRODUCERS || item.sequence >= ITEMS_PER_PRODUCER) {
            __atomic_add_fetch(&stress->unknown, 1, __ATOMIC_RELAXED);
            continue;
        }
        __atomic_add_fetch(&stress->copies[item.producer][item.sequence], 1, __ATOMIC_RELAXED);
        if (!item_is_intact(&item))
            __atomic_add_fetch(&stress->corrupt, 1, __ATOMIC_RELAXED);
        if ((long)item.sequence <= last[item.producer])
            __atomic_add_fetch(&stress->out_of_order, 1, __ATOMIC_RELAXED);
        last[item.producer] = item.sequence;
    }
}

/* Run this process on the index-th of the CPUs it may use (round robin), so
 * that two producers, or two consumers, run at the same time on two cores
 * rather than taking turns on one. */
static void spread_over_cpus(int index)
{
    cpu_set_t allowed, one;
    int count;

    if (sched_getaffinity(0, sizeof allowed, &allowed) == -1)
        return;
    count = CPU_COUNT(&allowed);
    if (count < 2)
        return;
    for (int cpu = 0, seen = 0; cpu < CPU_SETSIZE; cpu++) {
        if (!CPU_ISSET(cpu, &allowed))
            continue;
        if (seen++ == index % count) {
            CPU_ZERO(&one);
            CPU_SET(cpu, &one);
            sched_setaffinity(0, sizeof one, &one);
            return;
        }
    }
}

/* 1 if every child still running is asleep. */
static int all_asleep(const pid_t *pids, const int *running, int count)
{
    for (int i = 0; i < count; i++)
        if (running[i] && process_state(pids[i]) != 'S')
            return 0;
    return 1;
}

LAB_TEST_WITH_TIMEOUT(ring_delivers_every_item_exactly_once_to_2_consumers_from_2_producers, 2, "4.3", "the mutex", 90)
{
    enum { CHILDREN = PRODUCERS + CONSUMERS + 1 };   /* the last one sends the poison */
    struct ring *ring = create_or_fail(STRESS_SLOTS);
    struct stress *stress = test_shared_memory(sizeof *stress);
    pid_t pids[CHILDREN] = { 0 };
    int running[CHILDREN] = { 0 }, statuses[CHILDREN] = { 0 };
    int barrier[2];

    /* Every child waits at the barrier (a pipe) until all exist: then they
     * start together, on both cores. */
    ck_assert_msg(pipe(barrier) == 0, "test setup: pipe: %s", strerror(errno));
    for (int i = 0; i < PRODUCERS + CONSUMERS; i++) {
        pids[i] = fork_or_fail();
        if (pids[i] == 0) {
            close(barrier[1]);
            spread_over_cpus(i);
            if (i < PRODUCERS)
                producer(ring, stress, (unsigned int)i, barrier[0]);
            consumer(ring, stress, barrier[0]);
        }
        running[i] = 1;
    }
    close(barrier[0]);
    close(barrier[1]);

    /* Watch: reap the children; when the producers are done, send each consumer
     * a poison item; give up when nothing moves while every child sleeps. */
    int poison_sent = 0, stalled = 0;
    unsigned int last_delivered = 0;
    double last_progress = monotonic_seconds();
    double deadline = last_progress + scaled(60);
    for (;;) {
        int producers_running = 0, children_running = 0;
        for (int i = 0; i < CHILDREN; i++) {
            if (running[i] && waitpid(pids[i], &statuses[i], WNOHANG) == pids[i])
                running[i] = 0;
            producers_running += i < PRODUCERS && running[i];
            children_running += running[i];
        }
        if (producers_running == 0 && !poison_sent) {
            pids[CHILDREN - 1] = fork_or_fail();
            if (pids[CHILDREN - 1] == 0) {
                struct item poison = make_item(0, 0);
                poison.producer = POISON;
                for (int i = 0; i < CONSUMERS; i++)
                    if (ring_put(ring, &poison) == -1)
                        _exit(1);
                _exit(0);
            }
            running[CHILDREN - 1] = 1;
            poison_sent = 1;
            continue;
        }
        if (children_running == 0)
            break;
        unsigned int delivered = __atomic_load_n(&stress->delivered, __ATOMIC_RELAXED);
        double now = monotonic_seconds();
        if (delivered != last_delivered) {
            last_delivered = delivered;
            last_progress = now;
        } else if (now - last_progress > scaled(2) && all_asleep(pids, running, CHILDREN)) {
            stalled = 1;
            break;
        }
        if (now > deadline)
            break;
        pause_briefly();
    }
    for (int i = 0; i < CHILDREN; i++)
        if (running[i])
            kill_and_reap(pids[i]);

    unsigned int expected = PRODUCERS * ITEMS_PER_PRODUCER;
    unsigned int missing = 0, duplicated = 0;
    for (int p = 0; p < PRODUCERS; p++)
        for (int s = 0; s < ITEMS_PER_PRODUCER; s++) {
            missing += stress->copies[p][s] == 0;
            duplicated += stress->copies[p][s] > 1;
        }
    /* Items went missing or came twice: report that first, it explains a stall too
     * (a consumer whose stop item was lost waits for ever). */
    if (duplicated > 0 || stress->corrupt > 0 || stress->unknown > 0 ||
        (poison_sent && missing > 0))
        ck_abort_msg("%d producers put %d items each through %d slots, %d consumers took "
                     "them: %u items arrived (expected %u); %u never arrived, %u arrived more "
                     "than once, %u had a torn payload, %u were made by no producer. Two "
                     "processes used the same slot at once: is every access to in, out and "
                     "the slots inside the mutex (sem_wait(mutex) ... sem_post(mutex))?",
                     PRODUCERS, ITEMS_PER_PRODUCER, STRESS_SLOTS, CONSUMERS, stress->delivered,
                     expected, missing, duplicated, stress->corrupt, stress->unknown);
    ck_assert_msg(!stalled, "after %u of %u items had arrived, nothing moved for %.0f s and "
                  "every producer and consumer was asleep: a deadlock (a process waits on a "
                  "counting semaphore while it holds the mutex?) or a lost wake-up (are the "
                  "semaphores inside the shared mapping, with pshared = 1?)",
                  last_delivered, expected, scaled(2));
    ck_assert_msg(poison_sent, "the producers did not finish within %.0f s (%u of %u items "
                  "arrived)", scaled(60), last_delivered, expected);
    for (int i = 0; i < CHILDREN; i++)
        ck_assert_msg(!running[i] && WIFEXITED(statuses[i]) && WEXITSTATUS(statuses[i]) == 0,
                      "a %s %s (errno of a failed ring call: %d, %s)",
                      i < PRODUCERS ? "producer"
                                    : i < CHILDREN - 1 ? "consumer" : "process putting the stop items",
                      running[i] ? "did not finish" : how_it_ended(statuses[i]),
                      stress->failed_errno, strerror(stress->failed_errno));
    ck_assert_msg(stress->delivered == expected && missing == 0,
                  "%u items arrived; expected %u", stress->delivered, expected);
    ck_assert_msg(stress->out_of_order == 0,
                  "%u times a consumer got an item of a producer before an item that producer "
                  "had put earlier; expected each producer's items in the order it put them",
                  stress->out_of_order);
}
END_TEST
