/*
 * fork_pace.c - vmlab_paced: vmlab linked with wrappers of fork() and of the
 * wait calls (ld --wrap), so that a child that fork() returns to runs only
 * once its parent waits for it, or has exited.
 *
 * That is one order the scheduler may choose anyway, made certain: a parent
 * that reports "after the child wrote" without waiting prints that line
 * before the child's lines, every time, and a test can see it.
 *
 * The gate is a pipe: the child reads it before fork() returns 0 to it; the
 * parent closes its write end when it calls a wait function (or when it
 * exits), and the child's read then returns 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

pid_t __real_fork(void);
pid_t __real_wait(int *status);
pid_t __real_waitpid(pid_t pid, int *status, int options);
int __real_waitid(idtype_t type, id_t id, siginfo_t *info, int options);
pid_t __real_wait3(int *status, int options, struct rusage *usage);
pid_t __real_wait4(pid_t pid, int *status, int options, struct rusage *usage);

static int gate = -1;       /* the parent's write end, while a child waits */

/* Let the waiting child go. */
static void open_gate(void)
{
    if (gate != -1) {
        close(gate);
        gate = -1;
    }
}

pid_t __wrap_fork(void)
{
    int ends[2];
    char byte;

    open_gate();
    if (pipe2(ends, O_CLOEXEC) == -1)
        return __real_fork();       /* no pacing, but a fork all the same */
    pid_t pid = __real_fork();
    if (pid == 0) {
        close(ends[1]);
        while (read(ends[0], &byte, 1) == -1 && errno == EINTR)
            continue;
        close(ends[0]);
        return 0;
    }
    close(ends[0]);
    if (pid == -1) {
        int saved_errno = errno;
        close(ends[1]);
        errno = saved_errno;
        return -1;
    }
    gate = ends[1];
    return pid;
}

pid_t __wrap_wait(int *status)
{
    open_gate();
    return __real_wait(status);
}

pid_t __wrap_waitpid(pid_t pid, int *status, int options)
{
    open_gate();
    return __real_waitpid(pid, status, options);
}

int __wrap_waitid(idtype_t type, id_t id, siginfo_t *info, int options)
{
    open_gate();
    return __real_waitid(type, id, info, options);
}

pid_t __wrap_wait3(int *status, int options, struct rusage *usage)
{
    open_gate();
    return __real_wait3(status, options, usage);
}

pid_t __wrap_wait4(pid_t pid, int *status, int options, struct rusage *usage)
{
    open_gate();
    return __real_wait4(pid, status, options, usage);
}
