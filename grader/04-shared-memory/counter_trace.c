/*
 * counter_trace.c - counter_traced: counter linked with wrappers (ld --wrap)
 * of sem_wait, sem_trywait, sem_timedwait and sem_post that watch the mutex
 * from inside: how many processes held it at the same time. When the program
 * ends (the parent's exit), they write to the file named by the environment
 * variable COUNTER_TRACE (without it they only pass each call on):
 *
 *   waits N         successful sem_wait, sem_trywait and sem_timedwait calls
 *   posts N         sem_post calls
 *   most_inside N   the most processes between a successful wait and their post
 *   empty_holds N   holds of the mutex (a wait to the next post of the same
 *                   process) in which the counter did not move
 *
 * A process counts as inside from the moment its wait returned to the moment
 * it calls sem_post: with a semaphore that excludes, the one inside leaves
 * before the next one's wait can return, so most_inside is at most 1. A
 * counter that never takes its mutex has waits 0, and one whose semaphore
 * does not exclude (a copy in each child's own memory, a value above 1) has
 * most_inside 2 or more as soon as two children overlap: both are certain
 * after a few increments, where lost updates are a matter of chance that
 * needs a hundred million increments to be sure of. The counter is the
 * volatile long right after the mutex (struct shared_counter, given in
 * counter.c): a child that adds 1 between its sem_wait and its sem_post has no
 * empty hold; one that adds before it waits, or after it posts, has them all.
 *
 * It also wraps mmap, munmap, sem_init, sem_destroy and shm_unlink, which only
 * fail when LAB04_FAIL says so (create_counter's and destroy_counter's
 * failures). shmpipe_traced links this file too, for its failures of sem_wait,
 * sem_post, munmap and shm_unlink (without COUNTER_TRACE nothing is watched).
 *
 * Each wrapper first asks fail_inject.c (linked with it) whether LAB04_FAIL
 * makes this call fail; a call made to fail is not made, and not traced. A
 * wait also tells fail_inject.c that a child begins to count (the check of
 * the start barrier).
 */
#define _GNU_SOURCE
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

int __real_sem_wait(sem_t *semaphore);
int __real_sem_trywait(sem_t *semaphore);
int __real_sem_timedwait(sem_t *semaphore, const struct timespec *deadline);
int __real_sem_post(sem_t *semaphore);
void *__real_mmap(void *address, size_t length, int protection, int flags, int fd, off_t offset);
int __real_munmap(void *address, size_t length);
int __real_sem_init(sem_t *semaphore, int pshared, unsigned int value);
int __real_sem_destroy(sem_t *semaphore);
int __real_shm_unlink(const char *name);

/* fail_inject.c: 1 (errno set) when LAB04_FAIL makes this call of name fail;
 * and, in a child, "it begins to count now" (the start barrier's check). */
int lab04_injected_failure(const char *name);
void lab04_child_counts(void);

/* Shared by the program and all its children: made before main(), so before fork(). */
struct mutex_watch {
    long waits;
    long posts;
    long inside;
    long most_inside;
    long empty_holds;
};

/* As counter.c defines it (given code): the counter right after the mutex. */
struct shared_counter_layout {
    sem_t mutex;
    volatile long value;
};

static const volatile long *value_next_to(const sem_t *mutex)
{
    return &((const struct shared_counter_layout *)(const void *)mutex)->value;
}

/* In this process: holding the mutex, and the counter when it took it. */
static int holding;
static long value_when_taken;

static struct mutex_watch *watch;
static pid_t parent;

__attribute__((constructor)) static void start_watch(void)
{
    if (getenv("COUNTER_TRACE") == NULL)
        return;
    watch = __real_mmap(NULL, sizeof *watch, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                        -1, 0);
    if (watch == MAP_FAILED) {
        perror("counter_trace: mmap");
        exit(EXIT_FAILURE);
    }
    parent = getpid();
}

/* Only the process that started the program writes the trace, when it ends. */
__attribute__((destructor)) static void write_watch(void)
{
    if (watch == NULL || getpid() != parent)
        return;
    FILE *trace = fopen(getenv("COUNTER_TRACE"), "w");
    if (trace == NULL) {
        perror("counter_trace: COUNTER_TRACE");
        return;
    }
    fprintf(trace, "waits %ld\nposts %ld\nmost_inside %ld\nempty_holds %ld\n",
            __atomic_load_n(&watch->waits, __ATOMIC_SEQ_CST),
            __atomic_load_n(&watch->posts, __ATOMIC_SEQ_CST),
            __atomic_load_n(&watch->most_inside, __ATOMIC_SEQ_CST),
            __atomic_load_n(&watch->empty_holds, __ATOMIC_SEQ_CST));
    if (fclose(trace) == EOF)
        perror("counter_trace: COUNTER_TRACE");
}

/* After a successful wait on semaphore: one more process inside. */
static void entered(const sem_t *semaphore)
{
    if (watch == NULL)
        return;
    holding = 1;
    value_when_taken = *value_next_to(semaphore);
    __atomic_add_fetch(&watch->waits, 1, __ATOMIC_SEQ_CST);
    long now = __atomic_add_fetch(&watch->inside, 1, __ATOMIC_SEQ_CST);
    long most = __atomic_load_n(&watch->most_inside, __ATOMIC_SEQ_CST);
    while (now > most &&
           !__atomic_compare_exchange_n(&watch->most_inside, &most, now, 0,
                                        __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
        ;
}

int __wrap_sem_wait(sem_t *semaphore)
{
    if (lab04_injected_failure("sem_wait"))
        return -1;
    lab04_child_counts();
    int result = __real_sem_wait(semaphore);
    if (result == 0)
        entered(semaphore);
    return result;
}

int __wrap_sem_trywait(sem_t *semaphore)
{
    if (lab04_injected_failure("sem_trywait"))
        return -1;
    lab04_child_counts();
    int result = __real_sem_trywait(semaphore);
    if (result == 0)
        entered(semaphore);
    return result;
}

int __wrap_sem_timedwait(sem_t *semaphore, const struct timespec *deadline)
{
    if (lab04_injected_failure("sem_timedwait"))
        return -1;
    lab04_child_counts();
    int result = __real_sem_timedwait(semaphore, deadline);
    if (result == 0)
        entered(semaphore);
    return result;
}

/* Before the post: the process leaves before the next one can enter. */
int __wrap_sem_post(sem_t *semaphore)
{
    if (lab04_injected_failure("sem_post"))
        return -1;
    if (watch != NULL) {
        __atomic_add_fetch(&watch->posts, 1, __ATOMIC_SEQ_CST);
        __atomic_sub_fetch(&watch->inside, 1, __ATOMIC_SEQ_CST);
        if (holding && *value_next_to(semaphore) == value_when_taken)
            __atomic_add_fetch(&watch->empty_holds, 1, __ATOMIC_SEQ_CST);
        holding = 0;
    }
    return __real_sem_post(semaphore);
}

/* The parent's calls that a real run never sees fail: only LAB04_FAIL makes them. */
void *__wrap_mmap(void *address, size_t length, int protection, int flags, int fd, off_t offset)
{
    if (lab04_injected_failure("mmap"))
        return MAP_FAILED;
    return __real_mmap(address, length, protection, flags, fd, offset);
}

int __wrap_munmap(void *address, size_t length)
{
    if (lab04_injected_failure("munmap"))
        return -1;
    return __real_munmap(address, length);
}

int __wrap_sem_init(sem_t *semaphore, int pshared, unsigned int value)
{
    if (lab04_injected_failure("sem_init"))
        return -1;
    return __real_sem_init(semaphore, pshared, value);
}

int __wrap_sem_destroy(sem_t *semaphore)
{
    if (lab04_injected_failure("sem_destroy"))
        return -1;
    return __real_sem_destroy(semaphore);
}

int __wrap_shm_unlink(const char *name)
{
    if (lab04_injected_failure("shm_unlink"))
        return -1;
    return __real_shm_unlink(name);
}
