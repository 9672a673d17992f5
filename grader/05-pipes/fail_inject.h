/*
 * fail_inject.h - make the Nth call of fork, pipe or dup2 fail (fail_inject.c,
 * linked with ld --wrap into lab 05's test-only builds).
 */
#ifndef FAIL_INJECT_H
#define FAIL_INJECT_H

/*
 * From now on, in this process (and the children it forks, which go on
 * counting from its counts), the calls that failures names fail: the syntax
 * of PIPELAB_FAIL, "NAME:N[:ERRNO],...", e.g. "fork:2:EAGAIN". The counts
 * start again from 0; "" makes every call succeed again.
 */
void fail_inject_arm(const char *failures);

#endif
