/*
 * pipetest.h - what the Check suites of lab 05 share.
 *
 * The code under test forks, execs, waits and blocks, so each test runs it in
 * a child process of its own (its own process group) with a deadline: a test
 * never hangs, and a hang gets a message that says who waited for what (the
 * state, /proc/PID/wchan and pipes of that process and of its children, no
 * pids). Once a function has hung, the next tests give it a short deadline.
 * The child reports through a struct outcome in shared memory and through
 * memfds standing in for its standard input, output and error.
 *
 * Include it after defining _GNU_SOURCE (memfd_create, waitid).
 */
#ifndef PIPETEST_H
#define PIPETEST_H

#include "labcheck.h"
#include "labchild.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
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

static inline struct outcome *shared_outcome(void)
{
    struct outcome *outcome = mmap(NULL, sizeof *outcome, PROT_READ | PROT_WRITE,
                                   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    ck_assert_msg(outcome != MAP_FAILED, "test setup: mmap: %s", strerror(errno));
    memset(outcome, 0, sizeof *outcome);
    return outcome;
}

/* Bytes of memory in use (mallinfo2): the heap's allocated chunks and the
 * mmapped ones. A freed chunk of up to 1032 bytes waits in glibc's per-thread
 * cache, which counts as in use: a difference of up to LEAK_SLACK bytes after
 * a call is not a leak. */
enum { LEAK_SLACK = 4096 };

static inline long memory_in_use(void)
{
    struct mallinfo2 info = mallinfo2();
    return (long)(info.uordblks + info.hblkhd);
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

/* ---------- a deadline, and what a hang looked like ---------- */

/* Seconds a call gets once an earlier test of this suite saw the same
 * function hang: one cause, such as a forgotten close(), makes every test
 * hang, and waiting the whole deadline in each of them teaches nothing new. */
enum { AGAIN_SECONDS = 2 };

/*
 * Memory that every test of a suite and every process it starts share:
 * Check forks each test from one process, which maps this page before
 * main(). It holds the functions seen hanging in this run of the suite, and
 * how many signals the process under test has handled.
 */
struct suite_memory {
    char hung[8][48];
    volatile sig_atomic_t interruptions;
};
static struct suite_memory *suite_memory;

__attribute__((constructor)) static void map_suite_memory(void)
{
    void *page = mmap(NULL, sizeof *suite_memory, PROT_READ | PROT_WRITE,
                      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    suite_memory = page == MAP_FAILED ? NULL : page;
}

static inline int hung_before(const char *what)
{
    for (int i = 0; suite_memory != NULL && i < 8; i++)
        if (strcmp(suite_memory->hung[i], what) == 0)
            return 1;
    return 0;
}

static inline void note_hang(const char *what)
{
    for (int i = 0; suite_memory != NULL && i < 8 && !hung_before(what); i++)
        if (suite_memory->hung[i][0] == '\0')
            snprintf(suite_memory->hung[i], sizeof suite_memory->hung[i], "%s", what);
}

/* What /proc/PID/wchan names, in words: where a sleeping process waits. */
static inline const char *waiting_in(const char *wchan)
{
    static const struct {
        const char *part, *words;
    } known[] = {
        { "pipe_read", "in read() on an empty pipe" },
        { "pipe_write", "in write() on a full pipe" },
        { "wait_for_partner", "in open() of a FIFO, waiting for the other end" },
        { "do_wait", "in waitpid(), waiting for a child to end" },
        { "poll", "in poll()" },
        { "select", "in select()" },
        { "futex", "on a futex (a lock or a semaphore)" },
        { "nanosleep", "in sleep()" },
        { "sigsuspend", "waiting for a signal" },
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strstr(wchan, known[i].part) != NULL)
            return known[i].words;
    return NULL;
}

/* Append to text (size bytes, used so far *used) what printf would print. */
__attribute__((format(printf, 4, 5)))
static inline void append(char *text, size_t size, size_t *used, const char *format, ...)
{
    va_list arguments;
    if (*used >= size)
        return;
    va_start(arguments, format);
    int n = vsnprintf(text + *used, size - *used, format, arguments);
    va_end(arguments);
    if (n > 0)
        *used = *used + (size_t)n < size ? *used + (size_t)n : size;
}

/* A small file of /proc as a string ("" if unreadable): its first line only,
 * but all of fdinfo/N. */
static inline void read_proc(pid_t pid, const char *file, char *text, size_t size)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, file);
    text[0] = '\0';
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd == -1)
        return;
    ssize_t got = read(fd, text, size - 1);
    close(fd);
    text[got > 0 ? got : 0] = '\0';
    for (ssize_t i = 0; i < got; i++)
        if (text[i] == '\0')
            text[i] = ' ';          /* cmdline: the words apart */
    if (strncmp(file, "fdinfo/", 7) != 0)
        text[strcspn(text, "\n")] = '\0';
    size_t length = strlen(text);
    while (length > 0 && text[length - 1] == ' ')
        text[--length] = '\0';
}

/* "fd 4 = pipe:[123] (write end)" for each pipe or FIFO process pid holds,
 * from descriptor from on. */
static inline void describe_pipes(pid_t pid, int from, char *text, size_t size, size_t *used)
{
    char path[64];
    int count = 0;
    snprintf(path, sizeof path, "/proc/%d/fd", (int)pid);
    DIR *dir = opendir(path);
    struct dirent *entry;
    while (dir != NULL && (entry = readdir(dir)) != NULL) {
        char link[320], target[128], info[256];
        struct stat status;
        if (entry->d_name[0] == '.' || atoi(entry->d_name) < from)
            continue;
        snprintf(link, sizeof link, "%s/%s", path, entry->d_name);
        if (stat(link, &status) == -1 || !S_ISFIFO(status.st_mode))
            continue;
        ssize_t length = readlink(link, target, sizeof target - 1);
        target[length > 0 ? length : 0] = '\0';
        char *slash = strrchr(target, '/');
        snprintf(link, sizeof link, "fdinfo/%s", entry->d_name);
        read_proc(pid, link, info, sizeof info);
        char *flags = strstr(info, "flags:");
        long mode = flags != NULL ? strtol(flags + 6, NULL, 8) & O_ACCMODE : -1;
        append(text, size, used, "%s fd %s = %s%s", count++ == 0 ? ", holding" : ",",
               entry->d_name, slash != NULL ? "FIFO " : "", slash != NULL ? slash + 1 : target);
        append(text, size, used, "%s", mode == O_RDONLY ? " (read end)" :
                                        mode == O_WRONLY ? " (write end)" :
                                        mode == O_RDWR ? " (read and write)" : "");
    }
    if (dir != NULL)
        closedir(dir);
    if (count == 0)
        append(text, size, used, ", holding no pipe");
}

/* What process pid (called label) and its descendants were doing. */
static inline void describe_tree(pid_t pid, const char *label, int depth, char *text,
                                 size_t size, size_t *used)
{
    char state[512], wchan[64], children[256], command[64];
    read_proc(pid, "stat", state, sizeof state);
    char *after_name = strrchr(state, ')');
    char letter = after_name != NULL && after_name[1] == ' ' ? after_name[2] : 'X';
    read_proc(pid, "wchan", wchan, sizeof wchan);
    const char *words = waiting_in(wchan);
    append(text, size, used, "%s%s was ", depth == 0 ? "" : "; ", label);
    if (letter == 'S' || letter == 'D')
        append(text, size, used, "asleep %s", words != NULL ? words : wchan);
    else if (letter == 'R')
        append(text, size, used, "running (not waiting for anything: a loop?)");
    else if (letter == 'Z')
        append(text, size, used, "a zombie (it had ended, nobody had waited for it)");
    else
        append(text, size, used, "in state %c", letter);
    describe_pipes(pid, depth == 0 ? 3 : 0, text, size, used);   /* the caller's 0-2 are the test's */

    char path[64];
    snprintf(path, sizeof path, "task/%d/children", (int)pid);
    read_proc(pid, path, children, sizeof children);
    for (char *next = children; depth < 4 && *next != '\0';) {
        char *end;
        long child = strtol(next, &end, 10);
        if (end == next)
            break;
        next = end;
        char name[160];
        read_proc((pid_t)child, "cmdline", command, sizeof command);
        if (command[0] == '\0')
            read_proc((pid_t)child, "comm", command, sizeof command);
        snprintf(name, sizeof name, "%s child '%s'", depth == 0 ? "its" : "and its", command);
        describe_tree((pid_t)child, name, depth + 1, text, size, used);
    }
}

/* When the last finishes_within() returned 0: how long it waited, and who
 * waited for what at that moment. One line: it goes in a test's message. */
static char hang_text[2048];

static inline const char *hang_details(void)
{
    return hang_text;
}

/* Start body(arg) in a child process (a process group of its own) with
 * standard input, output and error from in, out and err (-1: unchanged). */
static inline pid_t start_body(void (*body)(void *), void *arg, int in, int out, int err)
{
    pid_t child = fork();
    ck_assert_msg(child != -1, "test setup: fork: %s", strerror(errno));
    if (child == 0) {
        setpgid(0, 0);
        if ((in != -1 && dup2(in, STDIN_FILENO) == -1) ||
            (out != -1 && dup2(out, STDOUT_FILENO) == -1) ||
            (err != -1 && dup2(err, STDERR_FILENO) == -1))
            _exit(125);
        body(arg);
        _exit(0);
    }
    setpgid(child, child);      /* no race with the child's own setpgid */
    return child;
}

/*
 * Wait for the child of start_body() at most seconds (scaled; AGAIN_SECONDS
 * once `what`, the function under test, has hung in an earlier test).
 * Returns 1 when it finished in time (its wait status in *wait_status), 0
 * when the deadline passed: hang_details() then says what it and its
 * children were doing. Either way, whatever is left of its process group is
 * killed.
 */
static inline int finished_within(pid_t child, double seconds, const char *what,
                                   int *wait_status)
{
    int again = hung_before(what);
    double limit = scaled(again ? AGAIN_SECONDS : seconds);
    double deadline = monotonic_seconds() + limit;
    int finished = 1;

    for (;;) {
        siginfo_t info;
        memset(&info, 0, sizeof info);
        if (waitid(P_PID, (id_t)child, &info, WEXITED | WNOHANG | WNOWAIT) == -1) {
            ck_assert_msg(errno == EINTR, "test setup: waitid: %s", strerror(errno));
            continue;
        }
        if (info.si_pid == child)
            break;
        if (monotonic_seconds() > deadline) {
            size_t used = 0;
            char label[80];
            append(hang_text, sizeof hang_text, &used, "did not return within %.0f s (the "
                   "test stopped it)%s; at that moment ", limit,
                   again ? ", the short deadline of a function that has hung in an earlier "
                           "test" : "");
            snprintf(label, sizeof label, "the process calling %s()", what);
            describe_tree(child, label, 0, hang_text, sizeof hang_text, &used);
            note_hang(what);
            finished = 0;
            break;
        }
        pause_briefly();
    }
    kill(-child, SIGKILL);      /* the group's stragglers (and the child, if it hangs) */
    while (waitpid(child, wait_status, 0) == -1)
        ck_assert_msg(errno == EINTR, "test setup: waitpid: %s", strerror(errno));
    return finished;
}

/* start_body(), then finished_within(). */
static inline int finishes_within(double seconds, const char *what, void (*body)(void *),
                                  void *arg, int in, int out, int err, int *wait_status)
{
    return finished_within(start_body(body, arg, in, out, err), seconds, what, wait_status);
}

/* ---------- signals that interrupt a blocking call ---------- */

static void count_interruption(int signal_number)
{
    (void)signal_number;
    if (suite_memory != NULL)
        suite_memory->interruptions++;
}

/* In the process under test: handle SIGUSR1 without SA_RESTART, so that a
 * blocking call it interrupts (waitpid, read, write, poll) fails with EINTR
 * instead of being restarted by the kernel. */
static inline void let_SIGUSR1_interrupt(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    sigemptyset(&action.sa_mask);
    action.sa_handler = count_interruption;
    action.sa_flags = 0;
    if (sigaction(SIGUSR1, &action, NULL) == -1)
        _exit(125);
}

/* Whether process pid sleeps in a kernel function whose name holds part. */
static inline int asleep_in(pid_t pid, const char *part)
{
    char wchan[64];
    char state = process_state(pid);
    read_proc(pid, "wchan", wchan, sizeof wchan);
    return (state == 'S' || state == 'D') && strstr(wchan, part) != NULL;
}

/* Wait until process pid sleeps in part (1), or has ended, or seconds
 * (scaled) have passed (0 for both). */
static inline int wait_until_asleep_in(pid_t pid, const char *part, double seconds)
{
    double deadline = monotonic_seconds() + scaled(seconds);
    while (!asleep_in(pid, part)) {
        char state = process_state(pid);
        if (state == 'Z' || state == 'X' || monotonic_seconds() > deadline)
            return 0;
        pause_briefly();
    }
    return 1;
}

/* Send SIGUSR1 to process pid each time it sleeps in part, times times, and
 * each time wait until its handler has run (the call it slept in has been
 * interrupted). Returns how many it handled. A process that does not go back
 * to sleep there (it gave up, or went on) gets no more. */
static inline int interrupt_while_asleep_in(pid_t pid, const char *part, int times)
{
    ck_assert_msg(suite_memory != NULL, "test setup: no shared memory for the signal count");
    suite_memory->interruptions = 0;
    for (int sent = 0; sent < times && wait_until_asleep_in(pid, part, 5); sent++) {
        ck_assert_msg(kill(pid, SIGUSR1) == 0, "test setup: kill: %s", strerror(errno));
        double deadline = monotonic_seconds() + scaled(5);
        while (suite_memory->interruptions <= sent && monotonic_seconds() < deadline)
            pause_briefly();
    }
    return suite_memory->interruptions;
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
