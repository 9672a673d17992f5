/*
 * labchild.h - helpers for Check tests that start, watch and reap child
 * processes: deadlines scaled by TIMEOUT_SCALE, a clock no clock change
 * moves, a short pause between two looks, the state of a process from
 * /proc/PID/stat, waiting (with a deadline) until a child sleeps or ends,
 * killing and reaping a child, and a wait status in words.
 *
 * A test never sleeps for a fixed time to let something happen: it looks
 * at what it waits for every LOOK_INTERVAL_MS and gives up only at a
 * deadline. The helpers make no Check calls, so a forked child may use them
 * too; a call that cannot fail here but does ends the process (abort).
 * Plain C11 and POSIX, all static inline: include it, nothing to link.
 */
#ifndef LABCHILD_H
#define LABCHILD_H

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Milliseconds between two looks at what a test waits for. */
enum { LOOK_INTERVAL_MS = 2 };

/* Say which call failed, and why, and stop: Check reports the test as killed by SIGABRT. */
static inline void labchild_abort(const char *call)
{
    fprintf(stderr, "labchild: %s: %s\n", call, strerror(errno));
    abort();
}

/*
 * The factor every deadline is multiplied by: TIMEOUT_SCALE (the grader
 * sets it, and CK_TIMEOUT_MULTIPLIER to the same value), or else
 * CK_TIMEOUT_MULTIPLIER; 1 when neither is set or the value is not a
 * number of at least 1. Leaves errno as it was.
 */
static inline double timeout_scale(void)
{
    int saved_errno = errno;
    const char *text = getenv("TIMEOUT_SCALE");
    char *end;
    double factor;

    if (text == NULL || text[0] == '\0')
        text = getenv("CK_TIMEOUT_MULTIPLIER");
    if (text == NULL || text[0] == '\0')
        return 1.0;
    errno = 0;
    factor = strtod(text, &end);
    if (errno != 0 || end == text || *end != '\0' || !(factor >= 1.0 && factor <= 1e6))
        factor = 1.0;
    errno = saved_errno;
    return factor;
}

/* seconds multiplied by timeout_scale(): a deadline that a slow machine stretches. */
static inline double scaled(double seconds)
{
    return seconds * timeout_scale();
}

/* Seconds on CLOCK_MONOTONIC, which no change of the wall clock moves. */
static inline double monotonic_seconds(void)
{
    struct timespec now;

    if (clock_gettime(CLOCK_MONOTONIC, &now) == -1)
        labchild_abort("clock_gettime(CLOCK_MONOTONIC)");
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

/* Pause for milliseconds. A signal may end the pause early: the caller then looks sooner. */
static inline void pause_milliseconds(long milliseconds)
{
    struct timespec interval = { milliseconds / 1000, (milliseconds % 1000) * 1000 * 1000 };

    if (nanosleep(&interval, NULL) == -1 && errno != EINTR)
        labchild_abort("nanosleep");
}

/* The pause between two looks. */
static inline void pause_briefly(void)
{
    pause_milliseconds(LOOK_INTERVAL_MS);
}

/*
 * The state letter of process pid from /proc/PID/stat: R, S, D, Z, T, ...;
 * X when it is gone (reaped, or never there). Leaves errno as it was.
 */
static inline char process_state(pid_t pid)
{
    int saved_errno = errno;
    char path[64], line[512];
    char *after_name;
    FILE *stat_file;
    int got_line;

    if (snprintf(path, sizeof path, "/proc/%d/stat", (int)pid) >= (int)sizeof path)
        return 'X';
    stat_file = fopen(path, "r");
    if (stat_file == NULL) {
        errno = saved_errno;
        return 'X';
    }
    got_line = fgets(line, sizeof line, stat_file) != NULL;
    (void)fclose(stat_file);        /* read only: nothing to lose */
    errno = saved_errno;
    if (!got_line)
        return 'X';
    /* "PID (COMMAND) STATE ...": COMMAND may hold spaces and ')', so take the last ')'. */
    after_name = strrchr(line, ')');
    if (after_name == NULL || after_name[1] != ' ')
        return 'X';
    return after_name[2];
}

/*
 * Wait until process pid sleeps (state S) and is asleep at every look for
 * asleep_seconds (0: at one look). A process that spins, or yields the CPU
 * in a loop, is R at nearly every look; one that waits in the kernel (a
 * futex, a semaphore, a pipe) is S at all of them. Returns 'S'; the state
 * it ended in (Z, X); or 'R' when it was not asleep long enough within
 * seconds (scaled).
 */
static inline char wait_until_asleep(pid_t pid, double seconds, double asleep_seconds)
{
    double deadline = monotonic_seconds() + scaled(seconds);
    double asleep_since = -1.0;             /* < 0: not asleep at the last look */

    for (;;) {
        char state = process_state(pid);
        double now = monotonic_seconds();

        if (state == 'Z' || state == 'X')
            return state;
        if (state != 'S')
            asleep_since = -1.0;
        else if (asleep_since < 0.0)
            asleep_since = now;
        if (asleep_since >= 0.0 && now - asleep_since >= asleep_seconds)
            return 'S';
        if (now > deadline)
            return 'R';
        pause_briefly();
    }
}

/*
 * Wait for child pid to end, for at most seconds (scaled), and reap it;
 * with asleep_limit >= 0, give up too once it has been asleep (state S) at
 * every look for asleep_limit seconds. Returns 1 with its wait status in
 * *status; 0 when it is still there. A pid that is no child of ours to wait
 * for (already reaped) counts as ended, with *status 0.
 */
static inline int wait_for_exit_or_sleep(pid_t pid, double seconds, double asleep_limit,
                                         int *status)
{
    double deadline = monotonic_seconds() + scaled(seconds);
    double asleep_since = -1.0;             /* < 0: not asleep at the last look */

    for (;;) {
        pid_t ended = waitpid(pid, status, WNOHANG);
        if (ended == pid)
            return 1;
        if (ended == -1 && errno != EINTR) {
            *status = 0;
            return 1;
        }
        double now = monotonic_seconds();
        if (asleep_limit >= 0.0) {
            if (process_state(pid) != 'S')
                asleep_since = -1.0;
            else if (asleep_since < 0.0)
                asleep_since = now;
            if (asleep_since >= 0.0 && now - asleep_since >= asleep_limit)
                return 0;
        }
        if (now > deadline)
            return 0;
        pause_briefly();
    }
}

/*
 * Wait for child pid to end, for at most seconds (scaled), and reap it.
 * Returns 1 with its wait status in *status; 0 when it is still there at
 * the deadline. A pid that is no child of ours to wait for (already
 * reaped) counts as ended, with *status 0.
 */
static inline int wait_for_exit(pid_t pid, double seconds, int *status)
{
    return wait_for_exit_or_sleep(pid, seconds, -1.0, status);
}

/*
 * wait_for_exit, for a child that, done right, has nothing left to wait for
 * (what it waits for has been posted, or nobody else holds what it needs):
 * gives up (0) as soon as it has been asleep (state S) at every look for
 * LOST_WAKE_UP_MS (scaled), not only at the deadline. A process that was
 * woken is runnable (R) from that moment, whether it runs or not; one still
 * asleep that long after its wake-up was due will never be woken.
 */
enum { LOST_WAKE_UP_MS = 500 };

static inline int wait_for_exit_unless_asleep(pid_t pid, double seconds, int *status)
{
    return wait_for_exit_or_sleep(pid, seconds, scaled(LOST_WAKE_UP_MS / 1000.0), status);
}

/*
 * Kill child pid with SIGKILL, if it is still there, and reap it. Does
 * nothing for pid <= 0 (no child) or a pid that is gone. Leaves errno as it
 * was, so that a failure message written after it can still show errno.
 */
static inline void kill_and_reap(pid_t pid)
{
    int saved_errno = errno;

    if (pid > 0 && kill(pid, SIGKILL) == 0) {       /* a zombie can still be killed */
        while (waitpid(pid, NULL, 0) == -1 && errno == EINTR)
            continue;
    }
    errno = saved_errno;
}

/*
 * How a child ended, from its wait status, in text of size bytes:
 * "exited with status 1", "was killed by signal 11 (Segmentation fault)".
 * Returns text.
 */
static inline const char *describe_wait_status(int status, char *text, size_t size)
{
    /* A message cut short at size is still a message: snprintf's count is not needed. */
    if (WIFEXITED(status))
        (void)snprintf(text, size, "exited with status %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        (void)snprintf(text, size, "was killed by signal %d (%s)", WTERMSIG(status),
                       strsignal(WTERMSIG(status)));
    else
        (void)snprintf(text, size, "ended with wait status %#x", status);
    return text;
}

/* describe_wait_status in a buffer of its own, which the next call overwrites. */
static inline const char *how_it_ended(int status)
{
    static char text[128];

    return describe_wait_status(status, text, sizeof text);
}

#endif
