/*
 * fail_inject.c - failure injection for the test-only builds counter_traced
 * and sysvcount_traced: wrappers (ld --wrap) of read, shmget, shmat, shmdt,
 * semget, semop and fork, and the hook that counter_trace.c's wrappers ask,
 * make one chosen call fail, so that a test can take the ways out that a
 * real run never takes: a sem_post or a shmdt that fails, a start barrier
 * that cannot be read, a fork that fails.
 *
 *   LAB04_FAIL=[child:]NAME:N:ERRNO
 *
 * makes the Nth call (from 1) of NAME fail with ERRNO (a name such as EINVAL,
 * or a number; lib/failspec.c reads the setting), without making it: -1
 * (shmat: (void *) -1) and errno set.
 * The calls are counted over the program and all its child processes
 * together; with "child:" only the calls that the children make count (so a
 * test need not know what the parent does first). NAME is read, shmget,
 * shmat, shmdt, semget, semop, fork, sem_wait, sem_trywait, sem_timedwait or
 * sem_post; in counter_traced and shmpipe_traced also mmap, munmap, sem_init,
 * sem_destroy and shm_unlink (counter_trace.c's wrappers).
 *
 * LAB04_CALLS=FILE: when the program ends (the parent's exit), FILE gets one
 * line "NAME ALL CHILDREN" per name: the calls of NAME that all the processes
 * made, and those the children made, failed ones included, so that a test
 * can tell that a child stopped at its failure. Without either variable the
 * wrappers only pass each call on.
 *
 * The start barrier: with either variable set, the parent's fork() returns
 * only once the new child is asleep (at the barrier), has begun to count
 * (its first wait on the mutex: sem_wait, sem_trywait, sem_timedwait, or a
 * semop that takes), or has ended; so a child that does not wait at the
 * barrier begins to count before the next child is forked, every time. FILE
 * then also gets the line "first_count_after_forks N": how many children the
 * parent had forked when the first child began to count ("none" when no
 * child counted). With a barrier that opens once all children exist, N is
 * the number of children.
 *
 * The increments under the semaphore (sysvcount): FILE also gets the line
 * "empty_holds N": how many times a process gave the semaphore back (a semop
 * that adds) with the counter - the long at the start of the segment it
 * attached - where it was when it took it (a semop that takes). A child that
 * adds 1 between binsem_wait and binsem_post has none.
 */
#define _GNU_SOURCE
#include "failspec.h"
#include "labchild.h"

#include <errno.h>
#include <limits.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <unistd.h>

ssize_t __real_read(int fd, void *buffer, size_t size);
int __real_shmget(key_t key, size_t size, int flags);
int __real_semget(key_t key, int count, int flags);
void *__real_shmat(int shmid, const void *address, int flags);
int __real_shmdt(const void *address);
int __real_semop(int semid, struct sembuf *operations, size_t count);
pid_t __real_fork(void);

/* Called by counter_trace.c's wrappers too. */
int lab04_injected_failure(const char *name);
void lab04_child_counts(void);

static const char *const names[] = {
    "read", "shmget", "shmat", "shmdt", "semget", "semop", "fork",
    "sem_wait", "sem_trywait", "sem_timedwait", "sem_post",
    "mmap", "munmap", "sem_init", "sem_destroy", "shm_unlink",
};
enum { NAMES = sizeof names / sizeof names[0] };

/* Shared by the program and all its children: made before main(), so before fork(). */
struct call_counts {
    long calls[NAMES];          /* every process */
    long child_calls[NAMES];    /* the children only */
    long forks;                 /* children the parent has forked */
    long counting;              /* children that have begun to count */
    long first_count_after_forks;   /* forks when the first began; LONG_MAX: none yet */
    long empty_holds;           /* semaphore holds in which the counter did not move */
};

static struct call_counts *counts;
static pid_t parent;
static int fail_name = -1, fail_children_only, fail_errno;
static long fail_call;

static int name_index(const char *name)
{
    for (int i = 0; i < NAMES; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

/* LAB04_FAIL's three fields (failspec.h) into fail_name, fail_call and fail_errno. */
static void parse_setting(const char *setting)
{
    const char *spec = setting;
    struct failspec failure;

    if (strncmp(spec, "child:", 6) == 0) {
        fail_children_only = 1;
        spec += 6;
    }
    if (failspec_parse(spec, names, NAMES, &failure, 1) != 1 || failure.error == 0) {
        fprintf(stderr, "fail_inject: LAB04_FAIL=%s: expected [child:]NAME:N:ERRNO\n", setting);
        exit(125);
    }
    fail_name = failure.name;
    fail_call = failure.call;
    fail_errno = failure.error;
}

__attribute__((constructor)) static void start_counting(void)
{
    const char *setting = getenv("LAB04_FAIL");

    if (setting == NULL && getenv("LAB04_CALLS") == NULL)
        return;
    if (setting != NULL)
        parse_setting(setting);
    counts = mmap(NULL, sizeof *counts, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                  -1, 0);
    if (counts == MAP_FAILED) {
        perror("fail_inject: mmap");
        exit(125);
    }
    counts->first_count_after_forks = LONG_MAX;
    parent = getpid();
}

/* Only the process that started the program writes the counts, when it ends. */
__attribute__((destructor)) static void write_counts(void)
{
    const char *path = getenv("LAB04_CALLS");

    if (counts == NULL || path == NULL || getpid() != parent)
        return;
    FILE *file = fopen(path, "w");
    if (file == NULL) {
        perror("fail_inject: LAB04_CALLS");
        return;
    }
    for (int i = 0; i < NAMES; i++)
        fprintf(file, "%s %ld %ld\n", names[i],
                __atomic_load_n(&counts->calls[i], __ATOMIC_SEQ_CST),
                __atomic_load_n(&counts->child_calls[i], __ATOMIC_SEQ_CST));
    long first = __atomic_load_n(&counts->first_count_after_forks, __ATOMIC_SEQ_CST);
    if (first == LONG_MAX)
        fprintf(file, "first_count_after_forks none\n");
    else
        fprintf(file, "first_count_after_forks %ld\n", first);
    fprintf(file, "empty_holds %ld\n", __atomic_load_n(&counts->empty_holds, __ATOMIC_SEQ_CST));
    if (fclose(file) == EOF)
        perror("fail_inject: LAB04_CALLS");
}

int lab04_injected_failure(const char *name)
{
    int index = name_index(name);
    long call, child_call = 0;

    if (counts == NULL || index == -1)
        return 0;
    call = __atomic_add_fetch(&counts->calls[index], 1, __ATOMIC_SEQ_CST);
    if (getpid() != parent)
        child_call = __atomic_add_fetch(&counts->child_calls[index], 1, __ATOMIC_SEQ_CST);
    if (fail_children_only)
        call = child_call;          /* 0 in the parent: never its call */
    if (index != fail_name || call != fail_call)
        return 0;
    errno = fail_errno;
    return 1;
}

ssize_t __wrap_read(int fd, void *buffer, size_t size)
{
    if (lab04_injected_failure("read"))
        return -1;
    return __real_read(fd, buffer, size);
}

int __wrap_shmget(key_t key, size_t size, int flags)
{
    if (lab04_injected_failure("shmget"))
        return -1;
    return __real_shmget(key, size, flags);
}

int __wrap_semget(key_t key, int count, int flags)
{
    if (lab04_injected_failure("semget"))
        return -1;
    return __real_semget(key, count, flags);
}

/* The counter of sysvcount: the long at the start of the segment this process
 * attached last (struct sysv_counter, given in sysvcount.c). */
static volatile long *attached_counter;

void *__wrap_shmat(int shmid, const void *address, int flags)
{
    if (lab04_injected_failure("shmat"))
        return (void *)-1;
    void *attached = __real_shmat(shmid, address, flags);
    if (attached != (void *)-1)
        attached_counter = attached;
    return attached;
}

int __wrap_shmdt(const void *address)
{
    if (lab04_injected_failure("shmdt"))
        return -1;
    return __real_shmdt(address);
}

/* In this process: holding the semaphore, and the counter when it took it. */
static int holding;
static long counter_when_taken;

int __wrap_semop(int semid, struct sembuf *operations, size_t count)
{
    if (lab04_injected_failure("semop"))
        return -1;
    int taking = count > 0 && operations != NULL && operations[0].sem_op < 0;
    if (taking)
        lab04_child_counts();       /* binsem_wait: the child counts */
    else if (count > 0 && operations != NULL && operations[0].sem_op > 0 && holding) {
        /* binsem_post: did the counter move while this process held the semaphore? */
        holding = 0;
        if (counts != NULL && attached_counter != NULL && *attached_counter == counter_when_taken)
            __atomic_add_fetch(&counts->empty_holds, 1, __ATOMIC_SEQ_CST);
    }
    int result = __real_semop(semid, operations, count);
    if (taking && result == 0 && attached_counter != NULL) {
        holding = 1;
        counter_when_taken = *attached_counter;
    }
    return result;
}

/* In a child, before its first wait on the mutex: it begins to count now. */
void lab04_child_counts(void)
{
    static int counted;         /* in this process; a child's copy starts at 0 */

    if (counts == NULL || getpid() == parent || counted)
        return;
    counted = 1;
    long forks = __atomic_load_n(&counts->forks, __ATOMIC_SEQ_CST);
    long first = __atomic_load_n(&counts->first_count_after_forks, __ATOMIC_SEQ_CST);
    while (forks < first &&
           !__atomic_compare_exchange_n(&counts->first_count_after_forks, &first, forks, 0,
                                        __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
        continue;
    __atomic_add_fetch(&counts->counting, 1, __ATOMIC_SEQ_CST);
}

/* In the parent, after it forked child: wait (2 s at most, scaled) until the
 * child is asleep, has begun to count, or has ended. A deadline that passes
 * only makes the order less certain; the program goes on. */
static void wait_until_the_child_settles(pid_t child, long counting_before)
{
    double deadline = monotonic_seconds() + scaled(2);

    for (;;) {
        char state = process_state(child);
        if (state == 'S' || state == 'Z' || state == 'X' ||
            __atomic_load_n(&counts->counting, __ATOMIC_SEQ_CST) > counting_before ||
            monotonic_seconds() > deadline)
            return;
        pause_briefly();
    }
}

pid_t __wrap_fork(void)
{
    if (lab04_injected_failure("fork"))
        return -1;
    long counting_before = counts == NULL ? 0 :
                           __atomic_load_n(&counts->counting, __ATOMIC_SEQ_CST);
    pid_t pid = __real_fork();
    if (pid > 0 && counts != NULL) {
        int saved_errno = errno;
        __atomic_add_fetch(&counts->forks, 1, __ATOMIC_SEQ_CST);
        wait_until_the_child_settles(pid, counting_before);
        errno = saved_errno;
    }
    return pid;
}
