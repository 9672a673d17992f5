/*
 * lab03_check.h - what the two Check suites of lab 03 share: unique queue
 * names, watching a child from outside (/proc/PID/stat and /proc/PID/wchan),
 * waiting with deadlines, signals sent to a child that counts them, and an
 * alarm that turns a call that should not block into a quick failure
 * instead of a hang.
 *
 * Every deadline is multiplied by TIMEOUT_SCALE. No test sleeps to wait for
 * an event: it polls what it waits for, with a deadline. When one test sees
 * a call hang (its alarm rings), the later tests of the run wait 1 s for
 * calls that should return at once, not 3 s: one cause does not make every
 * test wait in turn. The clock, the scale, the state of a process and a wait
 * status in words come from grader/lib/labchild.h.
 */
#ifndef LAB03_CHECK_H
#define LAB03_CHECK_H

#include "labchild.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Seconds since the epoch on CLOCK_REALTIME, the clock of the timed calls' deadlines. */
static inline double realtime_seconds(void)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

/* A name for a POSIX queue that no other run, process or test uses:
 * "/lab03-RUNID-PID-what". */
static inline const char *unique_name(char *buffer, size_t size, const char *what)
{
    const char *run = getenv("GRADER_RUN_ID");
    snprintf(buffer, size, "/lab03-%s-%d-%s", run != NULL ? run : "manual", (int)getpid(), what);
    return buffer;
}

/* Pause 10 ms between two looks at what we wait for. */
static inline void poll_pause(void)
{
    pause_milliseconds(10);
}

/* The kernel function a sleeping process waits in, from /proc/PID/wchan ("0" or "" when hidden). */
static inline void process_wchan(pid_t pid, char *buffer, size_t size)
{
    char path[64];
    FILE *file;
    size_t length = 0;

    snprintf(path, sizeof path, "/proc/%d/wchan", (int)pid);
    buffer[0] = '\0';
    file = fopen(path, "r");
    if (file == NULL)
        return;
    length = fread(buffer, 1, size - 1, file);
    buffer[length] = '\0';
    fclose(file);
}

/* Does wchan contain one of the NULL-terminated names, or does the kernel hide it ("0")? */
static inline int wchan_matches(const char *wchan, const char *const *names)
{
    if (wchan[0] == '\0' || strcmp(wchan, "0") == 0)
        return 1;
    for (; *names != NULL; names++)
        if (strstr(wchan, *names) != NULL)
            return 1;
    return 0;
}

/* Where a process is, for a failure message: "it sleeps in wq_sleep", "its state is R". */
static inline const char *describe_process(pid_t pid, char *buffer, size_t size)
{
    char wchan[128];
    char state = process_state(pid);

    if (state == 'Z' || state == 'X') {
        snprintf(buffer, size, "it has ended");
    } else if (state == 'S') {
        process_wchan(pid, wchan, sizeof wchan);
        snprintf(buffer, size, "it sleeps in %s", wchan[0] != '\0' ? wchan : "the kernel");
    } else {
        snprintf(buffer, size, "its state is %c", state);
    }
    return buffer;
}

/*
 * Wait (at most 10 s, scaled) until process pid sleeps (state S) in a kernel
 * function whose name contains one of names. Returns 1 when it does; 0 when it ended or the time
 * ran out, with what was last seen in seen ("exited", "state R", "S in pipe_read").
 */
static inline int wait_until_asleep_in(pid_t pid, const char *const *names, char *seen,
                                       size_t size)
{
    double deadline = monotonic_seconds() + scaled(10.0);
    char wchan[128];
    char state;

    for (;;) {
        state = process_state(pid);
        if (state == 'Z' || state == 'X') {
            snprintf(seen, size, "it ended");
            return 0;
        }
        if (state == 'S') {
            process_wchan(pid, wchan, sizeof wchan);
            if (wchan_matches(wchan, names))
                return 1;
            snprintf(seen, size, "it sleeps in %s", wchan);
        } else {
            snprintf(seen, size, "its state is %c", state);
        }
        if (monotonic_seconds() > deadline)
            return 0;
        poll_pause();
    }
}

/*
 * Wait (at most seconds, scaled) for child pid to end and set *status.
 * Returns 0; or -1 when it did not end in time: then what it was doing goes
 * to seen (size bytes; "it sleeps in wq_sleep"), and it is killed and reaped.
 */
static inline int wait_for_child_or_say(pid_t pid, double seconds, int *status, char *seen,
                                        size_t size)
{
    double deadline = monotonic_seconds() + scaled(seconds);
    pid_t done;

    for (;;) {
        done = waitpid(pid, status, WNOHANG);
        if (done == pid)
            return 0;
        if (done == -1 && errno != EINTR)
            return -1;
        if (monotonic_seconds() > deadline) {
            describe_process(pid, seen, size);
            kill_and_reap(pid);
            return -1;
        }
        poll_pause();
    }
}

static inline int wait_for_child(pid_t pid, double seconds, int *status)
{
    char seen[160];

    return wait_for_child_or_say(pid, seconds, status, seen, sizeof seen);
}

/* Fork a child that dies with the test process, whatever ends the test. -1 on failure. */
static inline pid_t fork_child(void)
{
    pid_t parent = getpid();
    pid_t pid = fork();

    if (pid == 0) {
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 || getppid() != parent)
            _exit(63);      /* not a CHILD_ERRNO_BASE status */
    }
    return pid;
}

/* How a child that ran a queue call reports: 0 done, 1 wrong message, 64 + errno failed. */
enum { CHILD_DONE = 0, CHILD_WRONG_MESSAGE = 1, CHILD_ERRNO_BASE = 64 };

static inline const char *child_result(int status, char *buffer, size_t size)
{
    char how[128];

    if (WIFEXITED(status) && WEXITSTATUS(status) == CHILD_DONE)
        snprintf(buffer, size, "it succeeded");
    else if (WIFEXITED(status) && WEXITSTATUS(status) == CHILD_WRONG_MESSAGE)
        snprintf(buffer, size, "it returned the wrong message");
    else if (WIFEXITED(status) && WEXITSTATUS(status) >= CHILD_ERRNO_BASE)
        snprintf(buffer, size, "it failed with %s",
                 strerror(WEXITSTATUS(status) - CHILD_ERRNO_BASE));
    else
        snprintf(buffer, size, "the child %s", describe_wait_status(status, how, sizeof how));
    return buffer;
}

static inline void child_exit_errno(void)
{
    _exit(CHILD_ERRNO_BASE + (errno < 190 ? errno : 0));
}

/* The file that says "a call hung in an earlier test of this run" ($TMPDIR/lab03-hung). */
static char hung_marker[512];

/* The alarm rang: the call under test blocked. Leave the mark for the later tests. */
static inline void on_alarm(int signal_number)
{
    int fd;

    (void)signal_number;
    if (hung_marker[0] == '\0')
        return;
    fd = open(hung_marker, O_WRONLY | O_CREAT, 0600);     /* both async-signal-safe */
    if (fd != -1)
        close(fd);
}

/* Did a call hang in an earlier test of this run? */
static inline int a_call_hung_before(void)
{
    return hung_marker[0] != '\0' && access(hung_marker, F_OK) == 0;
}

/*
 * Arm an alarm (seconds, scaled) that interrupts a blocking call with EINTR
 * (no SA_RESTART), so that a call that should fail at once but waits makes
 * the test fail quickly, with its clean-up done, instead of hanging. After a
 * hang in an earlier test, 1 s (scaled) is enough.
 */
static inline void arm_alarm(unsigned int seconds)
{
    const char *directory = getenv("TMPDIR");
    struct sigaction action;

    snprintf(hung_marker, sizeof hung_marker, "%s/lab03-hung",
             directory != NULL ? directory : "/tmp");
    if (a_call_hung_before())
        seconds = 1;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_alarm;
    sigemptyset(&action.sa_mask);
    sigaction(SIGALRM, &action, NULL);
    alarm(seconds * (unsigned int)timeout_scale());
}

static inline void disarm_alarm(void)
{
    alarm(0);
}

/* "; an earlier test saw a call hang too, so this one waited 1 s", or "". */
static inline const char *after_earlier_hang(void)
{
    return a_call_hung_before() ? " (an earlier test saw a call hang too, so this one "
                                  "waited 1 s instead of 3)" : "";
}

/*
 * Signals to a child: the child counts, in memory it shares with the test,
 * how often its handler ran, so that the test knows that the signal arrived
 * and was handled before it looks at what the child does next.
 */
static volatile sig_atomic_t *signals_handled;

static inline void count_signal(int signal_number)
{
    (void)signal_number;
    (*signals_handled)++;
}

/* Before fork: the shared counter. Fails (returns -1) only when mmap does. */
static inline int share_signal_counter(void)
{
    void *page = mmap(NULL, sizeof *signals_handled, PROT_READ | PROT_WRITE,
                      MAP_SHARED | MAP_ANONYMOUS, -1, 0);

    if (page == MAP_FAILED)
        return -1;
    signals_handled = page;
    *signals_handled = 0;
    return 0;
}

/* In the child: count SIGUSR1, with SA_RESTART when restart != 0. */
static inline void count_sigusr1(int restart)
{
    struct sigaction action;

    memset(&action, 0, sizeof action);
    action.sa_handler = count_signal;
    action.sa_flags = restart ? SA_RESTART : 0;
    sigemptyset(&action.sa_mask);
    if (sigaction(SIGUSR1, &action, NULL) == -1)
        _exit(62);
}

/*
 * Send SIGUSR1 to child pid and wait (10 s, scaled) until its handler has
 * run, then until it sleeps again in one of the kernel functions names.
 * Returns 1 when it does; 0 with what was seen instead in seen.
 */
static inline int interrupt_and_wait_until_asleep_again(pid_t pid, const char *const *names,
                                                         char *seen, size_t size)
{
    sig_atomic_t before = *signals_handled;
    double deadline = monotonic_seconds() + scaled(10.0);

    if (kill(pid, SIGUSR1) == -1) {
        snprintf(seen, size, "kill: %s", strerror(errno));
        return 0;
    }
    while (*signals_handled == before) {
        char state = process_state(pid);
        if (state == 'Z' || state == 'X') {
            snprintf(seen, size, "it ended when the signal came");
            return 0;
        }
        if (monotonic_seconds() > deadline) {
            snprintf(seen, size, "its handler did not run in 10 s");
            return 0;
        }
        poll_pause();
    }
    return wait_until_asleep_in(pid, names, seen, size);
}

#endif
