/*
 * test_support.h - what the Check suites of lab 04 share: deadlines scaled by
 * TIMEOUT_SCALE, the state of a child process from /proc, waiting for a child
 * with a deadline, and memory that the test shares with its children.
 *
 * Tests never sleep for a fixed time to let something happen: they wait for an
 * event (a child asleep in state S, a child's exit, a counter in shared memory)
 * and give up only at a generous deadline.
 */
#ifndef TEST_SUPPORT_H
#define TEST_SUPPORT_H

#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Seconds within which something that takes microseconds must have happened. */
enum { SOON = 3 };

/* seconds multiplied by TIMEOUT_SCALE (a slow machine sets it). */
static inline double scaled(double seconds)
{
    const char *scale = getenv("TIMEOUT_SCALE");
    int factor = scale != NULL ? atoi(scale) : 1;
    return seconds * (factor >= 1 ? factor : 1);
}

static inline double monotonic_seconds(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

static inline void pause_briefly(void)
{
    struct timespec interval = { 0, 2 * 1000 * 1000 };     /* 2 ms between polls */
    nanosleep(&interval, NULL);
}

/* The state letter of a process from /proc/PID/stat (R, S, D, Z, ...), X when gone. */
static inline char process_state(pid_t pid)
{
    char path[64], line[512];
    FILE *stat;
    char *after_name;

    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    stat = fopen(path, "r");
    if (stat == NULL)
        return 'X';
    if (fgets(line, sizeof line, stat) == NULL) {
        fclose(stat);
        return 'X';
    }
    fclose(stat);
    after_name = strrchr(line, ')');
    return after_name != NULL && after_name[1] == ' ' ? after_name[2] : 'X';
}

/* Wait until the child pid is asleep (S) or has ended. Returns its state then,
 * or 'R' if it is still running at the deadline. */
static inline char wait_until_asleep_or_gone(pid_t pid, double seconds)
{
    double deadline = monotonic_seconds() + scaled(seconds);
    for (;;) {
        char state = process_state(pid);
        if (state == 'S' || state == 'Z' || state == 'X')
            return state;
        if (monotonic_seconds() > deadline)
            return 'R';
        pause_briefly();
    }
}

/* Wait for the child pid to exit within the deadline. Returns 1 and sets
 * *status when it did; 0 when it is still there. */
static inline int wait_for_exit(pid_t pid, double seconds, int *status)
{
    double deadline = monotonic_seconds() + scaled(seconds);
    for (;;) {
        pid_t done = waitpid(pid, status, WNOHANG);
        if (done == pid)
            return 1;
        if (done == -1 && errno != EINTR) {
            *status = 0;
            return 1;
        }
        if (monotonic_seconds() > deadline)
            return 0;
        pause_briefly();
    }
}

/* Kill a child (if it is still there) and reap it. */
static inline void kill_and_reap(pid_t pid)
{
    if (pid <= 0)
        return;
    kill(pid, SIGKILL);
    while (waitpid(pid, NULL, 0) == -1 && errno == EINTR)
        continue;
}

/* How a child ended, in words: "exited with status 1", "was killed by signal 11 (...)". */
static inline const char *how_it_ended(int status)
{
    static char text[128];
    if (WIFEXITED(status))
        snprintf(text, sizeof text, "exited with status %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(text, sizeof text, "was killed by signal %d (%s)", WTERMSIG(status),
                 strsignal(WTERMSIG(status)));
    else
        snprintf(text, sizeof text, "ended with wait status %#x", status);
    return text;
}

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
