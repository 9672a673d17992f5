/*
 * futex.c - sleeping until a word of shared memory changes.
 *
 * A futex is a 32-bit word in memory plus a queue of sleepers that the kernel
 * keeps for that address. POSIX semaphores and mutexes are built on it: they
 * enter the kernel only to sleep or to wake a sleeper. glibc has no wrapper,
 * so we call syscall(SYS_futex, ...). Not FUTEX_PRIVATE_FLAG: the word is
 * shared by two processes.
 *
 * Handout: handouts/06-ipc-speed.md, section 6.4.
 */
#include "futex.h"

#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <unistd.h>

int futex_wait(_Atomic uint32_t *word, uint32_t expected)
{
    if (syscall(SYS_futex, (uint32_t *)word, FUTEX_WAIT, expected, NULL, NULL, 0) == -1 &&
        errno != EAGAIN && errno != EINTR)
        return -1;
    return 0;
}

int futex_wake(_Atomic uint32_t *word)
{
    if (syscall(SYS_futex, (uint32_t *)word, FUTEX_WAKE, INT_MAX, NULL, NULL, 0) == -1)
        return -1;
    return 0;
}
