/*
 * futex.h - sleeping until a word of shared memory changes.
 */
#ifndef FUTEX_H
#define FUTEX_H

#include <stdatomic.h>
#include <stdint.h>

/*
 * Sleep while *word == expected. The kernel compares the word and puts the
 * caller to sleep in one step, so a futex_wake that follows a change of the
 * word cannot be missed. Returns 0 when woken, at once when *word is no
 * longer expected, and on a signal: the caller checks its condition again.
 * -1 with errno set only on a real error (EFAULT, EINVAL, ENOSYS).
 * word must be in memory that both processes map (MAP_SHARED).
 */
int futex_wait(_Atomic uint32_t *word, uint32_t expected);

/* Wake every process sleeping in futex_wait on word. 0, or -1 with errno set. */
int futex_wake(_Atomic uint32_t *word);

#endif
