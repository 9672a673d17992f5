/*
 * child.h - the second process of every measurement.
 */
#ifndef CHILD_H
#define CHILD_H

#include <stddef.h>
#include <sys/types.h>

#include "placement.h"

/* Once, at the start: ignore SIGPIPE (a write to a dead peer fails with
 * EPIPE instead) and watch for a child that fails. 0, or -1 with errno. */
int child_watch_init(void);

/*
 * fork() a child for the measurement called what. In the child (return 0):
 * it dies when the parent dies, and runs where plan says. In the parent
 * (return the pid): runs where plan says, and if the child ends with an
 * error before child_wait or child_stop, prints that and exits at once:
 * the parent may be waiting for a message that will never come.
 * -1 with errno set if fork or the placement fails.
 */
pid_t child_start(const char *what, const struct cpu_plan *plan);

/* The parent, at the end: wait for the child. 0 if it exited with status 0,
 * or -1 with a reason in why. */
int child_wait(pid_t pid, char *why, size_t why_size);

/* The parent, after an error of its own: kill the child and wait for it. */
void child_stop(pid_t pid);

#endif
