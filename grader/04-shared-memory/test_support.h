/*
 * test_support.h - what the Check suites of lab 04 share: the deadline SOON,
 * memory that the test shares with its children, and fork or fail. Scaled
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

/* fork(), or fail the test. */
static inline pid_t fork_or_fail(void)
{
    pid_t pid = fork();
    ck_assert_msg(pid != -1, "test setup: fork: %s", strerror(errno));
    return pid;
}

#endif
