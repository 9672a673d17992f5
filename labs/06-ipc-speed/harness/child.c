/*
 * child.c - the second process of every measurement.
 *
 * Both processes wait for each other all the time, so a process that dies
 * must not leave the other waiting forever. The child asks the kernel to
 * kill it when the parent dies (PR_SET_PDEATHSIG). The parent watches
 * SIGCHLD: a child that ends with an error (its message is on stderr) stops
 * the whole run at once.
 *
 * Handout: handouts/06-ipc-speed.md, section 2.1.
 */
#include "child.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t watched;   /* the pid of the child whose failure ends the run */
static char failure_message[200];       /* written by the handler */
static size_t failure_length;

static void on_child_signal(int signal_number)
{
    int saved_errno = errno;
    siginfo_t info;
    pid_t pid = watched;

    (void)signal_number;
    if (pid > 0) {
        memset(&info, 0, sizeof info);
        /* WNOWAIT: look, but leave the child to child_wait. */
        if (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
            info.si_pid == pid && !(info.si_code == CLD_EXITED && info.si_status == 0)) {
            ssize_t ignored = write(STDERR_FILENO, failure_message, failure_length);
            (void)ignored;
            _exit(1);
        }
    }
    errno = saved_errno;
}

int child_watch_init(void)
{
    struct sigaction action;

    memset(&action, 0, sizeof action);
    action.sa_handler = SIG_IGN;
    if (sigaction(SIGPIPE, &action, NULL) == -1)
        return -1;
    action.sa_handler = on_child_signal;
    action.sa_flags = SA_RESTART | SA_NOCLDSTOP;
    sigemptyset(&action.sa_mask);
    return sigaction(SIGCHLD, &action, NULL);
}

pid_t child_start(const char *what, const struct cpu_plan *plan)
{
    pid_t parent = getpid();

    int length = snprintf(failure_message, sizeof failure_message,
                          "ipcbench: %s: the child process failed (see above); stopping\n", what);
    if (length < 0)
        length = 0;
    if ((size_t)length >= sizeof failure_message)
        length = sizeof failure_message - 1;
    failure_length = (size_t)length;
    fflush(NULL);           /* nothing buffered is printed twice */
    pid_t pid = fork();
    if (pid == -1)
        return -1;
    if (pid == 0) {
        watched = 0;
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1 || getppid() != parent) {
            perror("ipcbench: child: prctl");
            _exit(1);
        }
        if (placement_apply(plan, SIDE_CHILD) == -1) {
            fprintf(stderr, "ipcbench: %s: child: sched_setaffinity: %s\n", what, strerror(errno));
            _exit(1);
        }
        return 0;
    }
    watched = pid;
    if (placement_apply(plan, SIDE_PARENT) == -1) {
        int saved_errno = errno;
        child_stop(pid);
        errno = saved_errno;
        return -1;
    }
    return pid;
}

int child_wait(pid_t pid, char *why, size_t why_size)
{
    int status;

    watched = 0;
    while (waitpid(pid, &status, 0) == -1) {
        if (errno != EINTR) {
            snprintf(why, why_size, "waitpid: %s", strerror(errno));
            return -1;
        }
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    if (WIFSIGNALED(status))
        snprintf(why, why_size, "the child was killed by signal %d (%s)", WTERMSIG(status),
                 strsignal(WTERMSIG(status)));
    else
        snprintf(why, why_size, "the child exited with status %d", WEXITSTATUS(status));
    return -1;
}

void child_stop(pid_t pid)
{
    watched = 0;
    kill(pid, SIGKILL);
    while (waitpid(pid, NULL, 0) == -1 && errno == EINTR)
        continue;
}
