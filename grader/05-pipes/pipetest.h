/*
 * pipetest.h - what the Check suites of lab 05 share.
 *
 * The code under test forks, execs, waits and blocks, so each test runs it in
 * a child process of its own (its own process group) with a deadline: a test
 * never hangs, and a hang gets a message that says why. The child reports
 * through a struct outcome in shared memory and through memfds standing in
 * for its standard input, output and error.
 *
 * Include it after defining _GNU_SOURCE (memfd_create, waitid).
 */
#ifndef PIPETEST_H
#define PIPETEST_H

#include "labcheck.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

/* What the child saw, shared with the test. */
struct outcome {
    int result;                 /* what the function under test returned */
    int error;                  /* errno right after it */
    int fds_before;             /* open descriptors before the call */
    int fds_after;              /* ... and after it */
    char fd_list[512];          /* the descriptors left open after it, "4 -> pipe:[12]" */
    pid_t leftover;             /* a child not waited for, or 0 */
    char leftover_state;        /* its state from /proc/PID/stat (Z: zombie) */
    char leftover_command[80];
    long values[8];             /* numbers a test wants to bring back */
};

/* seconds * CK_TIMEOUT_MULTIPLIER, as the grader's TIMEOUT_SCALE asks. */
static inline unsigned scaled(unsigned seconds)
{
    const char *multiplier = getenv("CK_TIMEOUT_MULTIPLIER");
    long factor = multiplier != NULL ? strtol(multiplier, NULL, 10) : 1;
    return seconds * (unsigned)(factor >= 1 ? factor : 1);
}

static inline struct outcome *shared_outcome(void)
{
    struct outcome *outcome = mmap(NULL, sizeof *outcome, PROT_READ | PROT_WRITE,
                                   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    ck_assert_msg(outcome != MAP_FAILED, "test setup: mmap: %s", strerror(errno));
    memset(outcome, 0, sizeof *outcome);
    return outcome;
}

/* A memfd holding text, its offset back at 0: a file that leaves nothing behind. */
static inline int memfd_with(const char *text)
{
    int fd = memfd_create("pipetest", MFD_CLOEXEC);
    ck_assert_msg(fd != -1, "test setup: memfd_create: %s", strerror(errno));
    size_t length = strlen(text);
    ck_assert_msg(write(fd, text, length) == (ssize_t)length, "test setup: write: %s",
                  strerror(errno));
    ck_assert_msg(lseek(fd, 0, SEEK_SET) == 0, "test setup: lseek: %s", strerror(errno));
    return fd;
}

/* Everything in the memfd fd, from its start, as a string (malloc'd). */
static inline char *memfd_text(int fd, size_t *length)
{
    off_t size = lseek(fd, 0, SEEK_END);
    ck_assert_msg(size >= 0, "test setup: lseek: %s", strerror(errno));
    char *text = malloc((size_t)size + 1);
    ck_assert_msg(text != NULL, "test setup: malloc failed");
    ssize_t got = pread(fd, text, (size_t)size, 0);
    ck_assert_msg(got == size, "test setup: pread: %s", strerror(errno));
    text[size] = '\0';
    if (length != NULL)
        *length = (size_t)size;
    return text;
}

/* The text shortened for a message, newlines shown as \n. */
static inline const char *shown(const char *text)
{
    static char buffer[4][200];
    static int next;
    char *out = buffer[next++ % 4];
    size_t n = 0;

    for (; *text != '\0' && n + 8 < sizeof buffer[0]; text++) {
        if (*text == '\n') {
            out[n++] = '\\';
            out[n++] = 'n';
        } else {
            out[n++] = *text;
        }
    }
    if (*text != '\0') {
        memcpy(out + n, "...", 3);
        n += 3;
    }
    out[n] = '\0';
    return out;
}

/* The number of open descriptors of this process, and their list. */
static inline int open_descriptors(char *list, size_t size)
{
    DIR *dir = opendir("/proc/self/fd");
    struct dirent *entry;
    int count = 0;
    size_t used = 0;

    if (list != NULL && size > 0)
        list[0] = '\0';
    if (dir == NULL)
        return -1;
    while ((entry = readdir(dir)) != NULL) {
        int fd = atoi(entry->d_name);
        if (entry->d_name[0] == '.' || fd == dirfd(dir))
            continue;
        count++;
        if (list != NULL && used < size) {
            char path[64], target[128];
            snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
            ssize_t length = readlink(path, target, sizeof target - 1);
            target[length > 0 ? length : 0] = '\0';
            int written = snprintf(list + used, size - used, "%s%d -> %s",
                                   used > 0 ? ", " : "", fd, target);
            if (written > 0)
                used += (size_t)written;
        }
    }
    closedir(dir);
    return count;
}

/* Record in outcome a child of ours that nobody waited for, if any. */
static inline void find_leftover_child(struct outcome *outcome)
{
    siginfo_t info;

    memset(&info, 0, sizeof info);
    /* WNOWAIT: look without reaping; WNOHANG: do not wait for a running one. */
    if (waitid(P_ALL, 0, &info, WEXITED | WNOHANG | WNOWAIT) == -1) {
        outcome->leftover = 0;          /* ECHILD: no child at all - good */
        return;
    }
    if (info.si_pid != 0) {
        outcome->leftover = info.si_pid;
        outcome->leftover_state = 'Z';
    } else {
        /* Children exist but none has ended: the kernel lists them. */
        char path[64];
        long pid = -1;
        snprintf(path, sizeof path, "/proc/self/task/%d/children", (int)getpid());
        FILE *file = fopen(path, "r");
        if (file != NULL) {
            if (fscanf(file, "%ld", &pid) != 1)
                pid = -1;
            fclose(file);
        }
        outcome->leftover = (pid_t)pid;
        outcome->leftover_state = 'R';
    }
    if (outcome->leftover > 0) {
        /* comm: a zombie has no command line any more, but keeps its name. */
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/comm", (int)outcome->leftover);
        FILE *file = fopen(path, "r");
        if (file != NULL) {
            if (fgets(outcome->leftover_command, sizeof outcome->leftover_command, file) == NULL)
                outcome->leftover_command[0] = '\0';
            outcome->leftover_command[strcspn(outcome->leftover_command, "\n")] = '\0';
            fclose(file);
        }
    }
}

/*
 * Run body(arg) in a child process (a process group of its own) with
 * standard input, output and error from in, out and err (-1: unchanged),
 * and wait for it at most scaled(seconds). Returns 1 when it finished in
 * time (its wait status in *wait_status), 0 when the deadline passed. Either
 * way, whatever is left of its process group is killed.
 */
static inline int finishes_within(unsigned seconds, void (*body)(void *), void *arg,
                                  int in, int out, int err, int *wait_status)
{
    pid_t child = fork();
    ck_assert_msg(child != -1, "test setup: fork: %s", strerror(errno));
    if (child == 0) {
        setpgid(0, 0);
        if ((in != -1 && dup2(in, STDIN_FILENO) == -1) ||
            (out != -1 && dup2(out, STDOUT_FILENO) == -1) ||
            (err != -1 && dup2(err, STDERR_FILENO) == -1))
            _exit(125);
        signal(SIGALRM, SIG_DFL);
        alarm(scaled(seconds));
        body(arg);
        _exit(0);
    }
    setpgid(child, child);      /* no race with the child's own setpgid */

    siginfo_t info;
    memset(&info, 0, sizeof info);
    while (waitid(P_PID, (id_t)child, &info, WEXITED | WNOWAIT) == -1)
        ck_assert_msg(errno == EINTR, "test setup: waitid: %s", strerror(errno));
    kill(-child, SIGKILL);      /* the group's stragglers; the child is a zombie */
    int status;
    while (waitpid(child, &status, 0) == -1)
        ck_assert_msg(errno == EINTR, "test setup: waitpid: %s", strerror(errno));
    *wait_status = status;
    return !(WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM);
}

/* Fail unless the child of finishes_within ran body to its end. */
static inline void expect_clean_end(const char *what, int wait_status)
{
    if (WIFSIGNALED(wait_status))
        ck_abort_msg("%s: the process calling it was killed by signal %d (%s)", what,
                     WTERMSIG(wait_status), strsignal(WTERMSIG(wait_status)));
    ck_assert_msg(WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0,
                  "%s: the process calling it exited with status %d before returning",
                  what, WEXITSTATUS(wait_status));
}

#endif
