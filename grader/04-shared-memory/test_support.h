/*
 * test_support.h - what the Check suites of lab 04 share: the deadline SOON,
 * memory that the test shares with its children, fork or fail, and signals
 * sent to a child that counts them in memory it shares with the test. Scaled
 * deadlines, the state of a child from /proc, waiting for a child to sleep
 * or exit, and killing and reaping it come from grader/lib/labchild.h.
 *
 * Tests never sleep for a fixed time to let something happen: they wait for an
 * event (a child asleep in state S, a child's exit, a counter in shared memory)
 * and give up only at a generous deadline.
 */
#ifndef TEST_SUPPORT_H
#define TEST_SUPPORT_H

#include "labchild.h"

#include <check.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Seconds within which something that takes microseconds must have happened. */
enum { SOON = 3 };

/* Zeroed memory that this test process and the children it forks share. */
static inline void *test_shared_memory(size_t size)
{
    void *memory = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    ck_assert_msg(memory != MAP_FAILED, "test setup: mmap: %s", strerror(errno));
    return memory;
}

/* Is [address, address + size) still mapped? msync fails with ENOMEM when it is not. */
static inline int still_mapped(void *address, size_t size)
{
    return msync(address, size, MS_ASYNC) == 0 || errno != ENOMEM;
}

/* fork(), or fail the test. */
static inline pid_t fork_or_fail(void)
{
    pid_t pid = fork();
    ck_assert_msg(pid != -1, "test setup: fork: %s", strerror(errno));
    return pid;
}

/* Where a child's SIGUSR1 handler counts the signals it handled. */
static volatile sig_atomic_t *signal_count;

static inline void count_one_signal(int signal_number)
{
    (void)signal_number;
    (*signal_count)++;
}

/* Before fork: the counter that a child's handler and the test share. */
static inline void share_signal_count(void)
{
    signal_count = test_shared_memory(sizeof *signal_count);
}

/* In a child: count SIGUSR1, without SA_RESTART, so that a wait it interrupts
 * fails with EINTR. Ends the child with status 2 if it cannot. */
static inline void count_sigusr1(void)
{
    struct sigaction action;

    memset(&action, 0, sizeof action);
    action.sa_handler = count_one_signal;
    sigemptyset(&action.sa_mask);
    if (sigaction(SIGUSR1, &action, NULL) == -1)
        _exit(2);
}

/*
 * Send SIGUSR1 to child, wait (SOON, scaled) until its handler has run, then
 * until the child is asleep again. Returns 'S' when it is; the state it ended
 * in (Z, X); 'R' when it does not sleep again in time; 'N' when the handler
 * did not run.
 */
static inline char interrupt_and_wait_until_asleep_again(pid_t child)
{
    sig_atomic_t before = *signal_count;
    double deadline = monotonic_seconds() + scaled(SOON);

    if (kill(child, SIGUSR1) == -1)
        return 'N';
    while (*signal_count == before) {
        char state = process_state(child);
        if (state == 'Z' || state == 'X')
            return state;
        if (monotonic_seconds() > deadline)
            return 'N';
        pause_briefly();
    }
    return wait_until_asleep(child, SOON, 0);
}

#endif
