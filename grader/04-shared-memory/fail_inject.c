/*
 * fail_inject.c - failure injection for the test-only builds counter_traced
 * and sysvcount_traced: wrappers (ld --wrap) of read, shmget, shmat, shmdt
 * and semop, and the hook that counter_trace.c's sem_wait and sem_post
 * wrappers ask, make one chosen call fail, so that a test can take the ways
 * out that a real run never takes: a sem_post or a shmdt that fails, a start
 * barrier that cannot be read.
 *
 *   LAB04_FAIL=[child:]NAME:N:ERRNO
 *
 * makes the Nth call (from 1) of NAME fail with ERRNO (a name such as EINVAL,
 * or a number; lib/failspec.c reads the setting), without making it: -1
 * (shmat: (void *) -1) and errno set.
 * The calls are counted over the program and all its child processes
 * together; with "child:" only the calls that the children make count (so a
 * test need not know what the parent does first). NAME is read, shmget,
 * shmat, shmdt, semop, sem_wait, sem_trywait, sem_timedwait or sem_post.
 *
 * LAB04_CALLS=FILE: when the program ends (the parent's exit), FILE gets one
 * line "NAME ALL CHILDREN" per name: the calls of NAME that all the processes
 * made, and those the children made, failed ones included, so that a test
 * can tell that a child stopped at its failure. Without either variable the wrappers only pass each call on.
 */
#define _GNU_SOURCE
#include "failspec.h"

#include <errno.h>
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
void *__real_shmat(int shmid, const void *address, int flags);
int __real_shmdt(const void *address);
int __real_semop(int semid, struct sembuf *operations, size_t count);

/* Called by counter_trace.c's wrappers too. */
int lab04_injected_failure(const char *name);

static const char *const names[] = {
    "read", "shmget", "shmat", "shmdt", "semop",
    "sem_wait", "sem_trywait", "sem_timedwait", "sem_post",
};
enum { NAMES = sizeof names / sizeof names[0] };

/* Shared by the program and all its children: made before main(), so before fork(). */
struct call_counts {
    long calls[NAMES];          /* every process */
    long child_calls[NAMES];    /* the children only */
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

void *__wrap_shmat(int shmid, const void *address, int flags)
{
    if (lab04_injected_failure("shmat"))
        return (void *)-1;
    return __real_shmat(shmid, address, flags);
}

int __wrap_shmdt(const void *address)
{
    if (lab04_injected_failure("shmdt"))
        return -1;
    return __real_shmdt(address);
}

int __wrap_semop(int semid, struct sembuf *operations, size_t count)
{
    if (lab04_injected_failure("semop"))
        return -1;
    return __real_semop(semid, operations, count);
}
