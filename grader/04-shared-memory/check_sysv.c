/*
 * check_sysv.c - Check tests for lab 04, part 4: System V shared memory and a
 * binary semaphore made of a System V semaphore set (sysv.c).
 *
 * Each test uses a key that no object has (checked first) and removes what it
 * made before it checks the results, so that a failing test leaves nothing
 * behind either.
 */
#include "labcheck.h"
#include "sysv.h"
#include "test_support.h"

#include <stdint.h>

/* ---------- helpers ---------- */

/* semop, watched (ld --wrap): when semop_fails_with is set, the next call fails
 * with it without being made (a creator's first semop never fails for real). */
int __real_semop(int semid, struct sembuf *operations, size_t count);

static int semop_fails_with;

int __wrap_semop(int semid, struct sembuf *operations, size_t count)
{
    if (semop_fails_with != 0) {
        errno = semop_fails_with;
        semop_fails_with = 0;
        return -1;
    }
    return __real_semop(semid, operations, count);
}

/* A random key that no semaphore set and no segment has. */
static key_t fresh_key(void)
{
    unsigned int seed = (unsigned int)getpid() ^ (unsigned int)(monotonic_seconds() * 1e6);
    for (int attempt = 0; attempt < 1000; attempt++) {
        key_t key = (key_t)(rand_r(&seed) & 0x7fffffff);
        if (key == IPC_PRIVATE)
            continue;
        if (semget(key, 1, 0) == -1 && errno == ENOENT && shmget(key, 1, 0) == -1 &&
            errno == ENOENT)
            return key;
    }
    ck_abort_msg("test setup: found no free System V key");
    return IPC_PRIVATE;
}

/* Remove whatever semaphore set and segment have this key. */
static void remove_key(key_t key)
{
    int id = semget(key, 1, 0);
    if (id != -1)
        semctl(id, 0, IPC_RMID);
    id = shmget(key, 1, 0);
    if (id != -1)
        shmctl(id, IPC_RMID, NULL);
}

static int semaphore_value(int semid)
{
    return semctl(semid, 0, GETVAL);
}

static time_t last_operation_time(int semid)
{
    struct semid_ds info;
    union semun argument = { .buf = &info };
    if (semctl(semid, 0, IPC_STAT, argument) == -1)
        return -1;
    return info.sem_otime;
}

/* Call binsem_open(key) or fail, removing what the key names first. */
static int open_or_fail(key_t key)
{
    errno = 0;
    int semid = binsem_open(key);
    int saved_errno = errno;
    if (semid == -1)
        remove_key(key);
    ck_assert_msg(semid != -1, "binsem_open(%#x) returned -1 (errno %d: %s); expected the id of "
                  "a new semaphore set", (unsigned int)key, saved_errno, strerror(saved_errno));
    return semid;
}

/* What a child reports about one call. */
struct call_report {
    volatile int returned;
    volatile int result;
    volatile int error;
};

/* ---------- shared memory ---------- */

LAB_TEST_WITH_TIMEOUT(sysv_shm_is_shared_between_processes_and_removed, 2, "6.1", "", 15)
{
    enum { SIZE = 8192 };
    key_t key = fresh_key();
    struct call_report *child_report = test_shared_memory(sizeof *child_report);
    int status;

    errno = 0;
    int shmid = sysv_shm_open(key, SIZE);
    int saved_errno = errno;
    if (shmid == -1)
        remove_key(key);
    ck_assert_msg(shmid != -1, "sysv_shm_open(%#x, %d) returned -1 (errno %d: %s); expected the "
                  "id of a new segment", (unsigned int)key, SIZE, saved_errno,
                  strerror(saved_errno));
    unsigned char *memory = sysv_shm_attach(shmid);
    saved_errno = errno;
    if (memory == NULL || memory == (void *)-1)
        remove_key(key);
    ck_assert_msg(memory != NULL && memory != (void *)-1,
                  "sysv_shm_attach(%d) returned %p (errno %d: %s); expected an address",
                  shmid, (void *)memory, saved_errno, strerror(saved_errno));

    int nonzero = 0;
    for (int i = 0; i < SIZE; i++)
        nonzero += memory[i] != 0;

    /* Another process finds the segment by its key and writes into it. */
    pid_t child = fork_or_fail();
    if (child == 0) {
        int id = sysv_shm_open(key, SIZE);
        child_report->result = id;
        unsigned char *mine = id == -1 ? NULL : sysv_shm_attach(id);
        if (mine == NULL || mine == (void *)-1)
            _exit(1);
        for (int i = 0; i < SIZE; i++)
            mine[i] = (unsigned char)(i * 7 + 1);
        child_report->returned = sysv_shm_detach(mine) == 0;
        _exit(0);
    }
    int child_done = wait_for_exit(child, SOON, &status);
    if (!child_done)
        kill_and_reap(child);
    int differences = 0;
    for (int i = 0; i < SIZE; i++)
        differences += memory[i] != (unsigned char)(i * 7 + 1);

    struct shmid_ds info;
    int stat_result = shmctl(shmid, IPC_STAT, &info);
    int detach_result = sysv_shm_detach(memory);
    struct shmid_ds after_detach;
    shmctl(shmid, IPC_STAT, &after_detach);
    int remove_result = sysv_shm_remove(shmid);
    int gone = shmctl(shmid, IPC_STAT, &after_detach) == -1;
    remove_key(key);

    ck_assert_msg(child_done && child_report->result == shmid,
                  "another process's sysv_shm_open with the same key gave id %d; expected %d, "
                  "the id of the existing segment", child_report->result, shmid);
    ck_assert_msg(differences == 0,
                  "%d of %d bytes another process wrote into the segment were not seen through "
                  "this process's attachment", differences, SIZE);
    ck_assert_msg(stat_result == 0 && info.shm_segsz >= SIZE,
                  "the segment has %zu bytes; expected %d", (size_t)info.shm_segsz, SIZE);
    ck_assert_msg(nonzero == 0, "a new segment had %d bytes that were not 0; expected it "
                  "zero-filled", nonzero);
    ck_assert_msg((info.shm_perm.mode & 0777) == 0600, "the segment's mode is %04o; expected "
                  "0600", (unsigned int)(info.shm_perm.mode & 0777));
    ck_assert_msg(child_report->returned, "sysv_shm_detach failed in the other process");
    ck_assert_msg(detach_result == 0 && after_detach.shm_nattch == 0,
                  "after sysv_shm_detach the segment has %lu attachments; expected 0 (shmdt)",
                  (unsigned long)after_detach.shm_nattch);
    ck_assert_msg(remove_result == 0 && gone,
                  "after sysv_shm_remove the segment %d still exists; expected it removed "
                  "(shmctl IPC_RMID)", shmid);
}
END_TEST

LAB_TEST(sysv_shm_attach_reports_failure_with_NULL_and_errno, 2, "6.1", "shmat fails with (void *) -1")
{
    /* The id of a segment that no longer exists. */
    int shmid = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
    ck_assert_msg(shmid != -1, "test setup: shmget: %s", strerror(errno));
    ck_assert_msg(shmctl(shmid, IPC_RMID, NULL) == 0, "test setup: shmctl: %s", strerror(errno));

    errno = 0;
    void *address = sysv_shm_attach(shmid);
    int saved_errno = errno;
    ck_assert_msg(address == NULL && saved_errno == EINVAL,
                  "sysv_shm_attach(%d), a removed segment, returned %p with errno %d (%s); "
                  "expected NULL with errno EINVAL. shmat() reports failure with (void *) -1, "
                  "not NULL: compare its result with (void *) -1.", shmid, address, saved_errno,
                  strerror(saved_errno));
}
END_TEST

/* ---------- the binary semaphore ---------- */

/* The permission bits of semaphore set semid and its number of semaphores, or -1. */
static int set_mode(int semid, int *semaphores)
{
    struct semid_ds info;
    union semun argument = { .buf = &info };
    *semaphores = -1;
    if (semctl(semid, 0, IPC_STAT, argument) == -1)
        return -1;
    *semaphores = (int)info.sem_nsems;
    return (int)(info.sem_perm.mode & 0777);
}

LAB_TEST(binsem_open_creates_a_semaphore_with_value_1, 2, "6.3", "")
{
    key_t key = fresh_key();
    int semid = open_or_fail(key);
    int found = semget(key, 1, 0);
    int value = semaphore_value(semid);
    int semaphores;
    int mode = set_mode(semid, &semaphores);
    time_t operation_time = last_operation_time(semid);
    errno = 0;
    int remove_result = binsem_remove(semid);
    int remove_errno = errno;
    int gone = semaphore_value(semid) == -1;
    remove_key(key);

    ck_assert_msg(found == semid, "binsem_open(%#x) returned %d, but the set with that key is %d",
                  (unsigned int)key, semid, found);
    ck_assert_msg(value == 1, "a new binary semaphore has the value %d; expected 1 (free)", value);
    ck_assert_msg(operation_time > 0,
                  "the new semaphore's sem_otime is 0: other processes cannot tell that it is "
                  "initialised. Set the value with semop() (which sets sem_otime), not semctl "
                  "SETVAL.");
    ck_assert_msg(mode == 0600 && semaphores == 1, "the new semaphore set's mode is %04o and "
                  "it has %d semaphores; expected 0600 and 1, a set of one: "
                  "semget(key, 1, IPC_CREAT | IPC_EXCL | 0600) (section 6.3)", (unsigned int)mode,
                  semaphores);
    ck_assert_msg(remove_result == 0 && gone,
                  "binsem_remove(%d) returned %d (errno %s) and the set %s; expected it removed "
                  "(semctl IPC_RMID)", semid, remove_result, strerror(remove_errno),
                  gone ? "is gone" : "still exists");

    /* A creator that exits: its +1 stays (no SEM_UNDO on it). */
    key = fresh_key();
    int status;
    pid_t child = fork_or_fail();
    if (child == 0)
        _exit(binsem_open(key) == -1 ? 1 : 0);
    int child_done = wait_for_exit(child, SOON, &status);
    if (!child_done)
        kill_and_reap(child);
    semid = semget(key, 1, 0);
    value = semid == -1 ? -1 : semaphore_value(semid);
    remove_key(key);
    ck_assert_msg(child_done && WIFEXITED(status) && WEXITSTATUS(status) == 0 && value == 1,
                  "a process that created the semaphore with binsem_open and then exited left "
                  "the value %d; expected 1: the creator's semop +1 has no SEM_UNDO, so that the "
                  "1 stays after it exits (section 6.3)", value);

    /* A creator whose semop fails (made to fail): -1, and no set left half made. */
    key = fresh_key();
    semop_fails_with = ERANGE;
    errno = 0;
    semid = binsem_open(key);
    int saved_errno = errno;
    semop_fails_with = 0;
    int left = semget(key, 1, 0);
    remove_key(key);
    ck_assert_msg(semid == -1 && saved_errno == ERANGE && left == -1,
                  "when the creator's semop fails with ERANGE, binsem_open returned %d (errno "
                  "%d: %s) and %s the set; expected -1 with ERANGE, and the set removed "
                  "(semctl IPC_RMID): a set nobody initialised makes every later binsem_open "
                  "wait and fail (section 6.3)", semid, saved_errno, strerror(saved_errno),
                  left == -1 ? "removed" : "left");
}
END_TEST

LAB_TEST_WITH_TIMEOUT(binsem_open_of_an_existing_semaphore_keeps_its_value, 2, "6.3", "", 15)
{
    key_t key = fresh_key();
    int semid = open_or_fail(key);
    int wait_result = binsem_wait(semid);
    int value_taken = semaphore_value(semid);

    /* A second process opens the semaphore while the first holds it. */
    struct call_report *report = test_shared_memory(sizeof *report);
    int status;
    pid_t child = fork_or_fail();
    if (child == 0) {
        errno = 0;
        report->result = binsem_open(key);
        report->error = errno;
        report->returned = 1;
        _exit(0);
    }
    int child_done = wait_for_exit(child, SOON, &status);
    if (!child_done)
        kill_and_reap(child);
    int value_after_open = semaphore_value(semid);
    int post_result = binsem_post(semid);
    int value_after_post = semaphore_value(semid);
    remove_key(key);

    ck_assert_msg(wait_result == 0 && value_taken == 0,
                  "binsem_wait on a free semaphore returned %d and left the value %d; "
                  "expected 0 and 0", wait_result, value_taken);
    ck_assert_msg(child_done && report->returned && report->result == semid,
                  "binsem_open in a second process %s %d (errno %s); expected %d, the id of "
                  "the existing set", child_done ? "returned" : "did not return, last", report->result,
                  strerror(report->error), semid);
    ck_assert_msg(value_after_open == 0,
                  "while one process held the semaphore (value 0), binsem_open in another "
                  "process set it to %d: only the creator may set the initial value, or two "
                  "processes hold the mutex at once", value_after_open);
    ck_assert_msg(post_result == 0 && value_after_post == 1,
                  "binsem_post returned %d and left the value %d; expected 0 and 1",
                  post_result, value_after_post);
}
END_TEST

LAB_TEST_WITH_TIMEOUT(binsem_open_waits_until_the_creator_has_set_the_value, 2, "6.3", "", 15)
{
    key_t key = fresh_key();
    struct call_report *report = test_shared_memory(sizeof *report);
    int status;

    /* A creator that has made the set but not yet set its value. */
    int semid = semget(key, 1, IPC_CREAT | IPC_EXCL | 0600);
    ck_assert_msg(semid != -1, "test setup: semget: %s", strerror(errno));

    pid_t child = fork_or_fail();
    if (child == 0) {
        errno = 0;
        report->result = binsem_open(key);
        report->error = errno;
        report->returned = 1;
        _exit(0);
    }
    (void)wait_until_asleep(child, SOON, 0);   /* then look: did it return early? */
    /* A slow creator: it takes 1 s (binsem_open gives it about 5 s) to set the value. */
    pause_milliseconds(1000);
    int returned_early = report->returned;
    int value_early = semaphore_value(semid);

    /* Now the creator initialises it: one semop sets the value and sem_otime. */
    struct sembuf up = { .sem_num = 0, .sem_op = 1, .sem_flg = 0 };
    int init_result = semop(semid, &up, 1);
    int child_done = wait_for_exit(child, SOON, &status);
    if (!child_done)
        kill_and_reap(child);
    int value = semaphore_value(semid);
    remove_key(key);

    ck_assert_msg(init_result == 0, "test setup: semop: %s", strerror(errno));
    ck_assert_msg(!returned_early,
                  "binsem_open returned %d (errno %s) while the set's creator had not yet set "
                  "its value (sem_otime was 0, 1 s after it was made), and the value was then "
                  "%d; expected it to wait until sem_otime is not 0 - the creator's first semop "
                  "- for about 5 s before it gives up (a poll every millisecond, 5000 times)",
                  report->result, strerror(report->error), value_early);
    ck_assert_msg(child_done && report->result == semid,
                  "once the creator had set the value, binsem_open %s %d (errno %s); expected "
                  "it to return %d within %.0f s", child_done ? "returned" : "had not returned,",
                  report->result, strerror(report->error), semid, scaled(SOON));
    ck_assert_msg(value == 1, "after binsem_open the value is %d; expected the creator's 1",
                  value);
}
END_TEST

LAB_TEST_WITH_TIMEOUT(binsem_wait_blocks_while_another_process_holds_it, 2, "6.2", "", 15)
{
    key_t key = fresh_key();
    int semid = open_or_fail(key);
    struct call_report *report = test_shared_memory(sizeof *report);
    int status;

    int wait_result = binsem_wait(semid);
    pid_t child = fork_or_fail();
    if (child == 0) {
        errno = 0;
        report->result = binsem_wait(semid);
        report->error = errno;
        report->returned = 1;
        if (report->result == 0)
            binsem_post(semid);
        _exit(0);
    }
    char state = wait_until_asleep(child, SOON, 0);
    int returned_early = report->returned;
    int post_result = binsem_post(semid);
    int child_done = wait_for_exit(child, SOON, &status);
    if (!child_done)
        kill_and_reap(child);
    int value = semaphore_value(semid);
    remove_key(key);

    ck_assert_msg(wait_result == 0, "binsem_wait on a free semaphore failed");
    ck_assert_msg(state == 'S' && !returned_early,
                  "binsem_wait in a second process returned %d (errno %s) while the first held "
                  "the semaphore; expected it to wait", report->result, strerror(report->error));
    ck_assert_msg(post_result == 0 && child_done && report->result == 0,
                  "after the holder's binsem_post, the waiting process's binsem_wait %s "
                  "within %.0f s", child_done ? "failed" : "did not return", scaled(SOON));
    ck_assert_msg(value == 1, "after both processes took and gave back the semaphore its value "
                  "is %d; expected 1", value);
}
END_TEST

LAB_TEST_WITH_TIMEOUT(binsem_undo_frees_the_semaphore_of_a_process_that_dies, 2, "6.2", "", 15)
{
    key_t key = fresh_key();
    int semid = open_or_fail(key);
    struct call_report *report = test_shared_memory(sizeof *report);
    int status, gate[2];

    /* A process that takes and gives back: the value ends at 1, not 2. */
    pid_t child = fork_or_fail();
    if (child == 0)
        _exit(binsem_wait(semid) == 0 && binsem_post(semid) == 0 ? 0 : 1);
    int tidy_done = wait_for_exit(child, SOON, &status);
    if (!tidy_done)
        kill_and_reap(child);
    int value_after_tidy = semaphore_value(semid);

    /* A process that dies while it holds the semaphore. */
    ck_assert_msg(pipe(gate) == 0, "test setup: pipe: %s", strerror(errno));
    child = fork_or_fail();
    if (child == 0) {
        char byte;
        close(gate[1]);
        report->result = binsem_wait(semid);
        report->returned = 1;
        while (read(gate[0], &byte, 1) != 0)    /* wait to be killed */
            continue;
        _exit(0);
    }
    close(gate[0]);
    double deadline = monotonic_seconds() + scaled(SOON);
    while (!report->returned && monotonic_seconds() < deadline)
        pause_briefly();
    int value_held = semaphore_value(semid);
    kill_and_reap(child);
    close(gate[1]);
    int value_after_death = semaphore_value(semid);
    remove_key(key);

    ck_assert_msg(tidy_done && value_after_tidy == 1,
                  "after a process took the semaphore and gave it back, the value is %d; "
                  "expected 1 (use SEM_UNDO in both binsem_wait and binsem_post, or in "
                  "neither: the undo adjustments must cancel out)", value_after_tidy);
    ck_assert_msg(report->returned && report->result == 0 && value_held == 0,
                  "binsem_wait in a child returned %d and the value was %d; expected 0 and 0",
                  report->result, value_held);
    ck_assert_msg(value_after_death == 1,
                  "a process holding the semaphore was killed, and the value stayed %d: nobody "
                  "could ever take it again. With SEM_UNDO in binsem_wait and binsem_post the "
                  "kernel undoes a dead process's operations; expected the value 1",
                  value_after_death);
}
END_TEST

LAB_TEST_WITH_TIMEOUT(binsem_wait_waits_again_when_a_signal_interrupts_it, 1, "6.2", "again after EINTR", 15)
{
    key_t key = fresh_key();
    int semid = open_or_fail(key);
    struct call_report *report = test_shared_memory(sizeof *report);
    int status;

    int wait_result = binsem_wait(semid);
    share_signal_count();
    pid_t child = fork_or_fail();
    if (child == 0) {
        count_sigusr1();
        errno = 0;
        report->result = binsem_wait(semid);
        report->error = errno;
        report->returned = 1;
        if (report->result == 0)
            binsem_post(semid);
        _exit(0);
    }
    char first = wait_until_asleep(child, SOON, 0);
    char again = first == 'S' ? interrupt_and_wait_until_asleep_again(child) : first;
    int post_result = binsem_post(semid);
    int child_done = wait_for_exit(child, SOON, &status);
    if (!child_done)
        kill_and_reap(child);
    remove_key(key);

    ck_assert_msg(wait_result == 0, "binsem_wait on a free semaphore failed");
    ck_assert_msg(first == 'S', "binsem_wait in a second process returned %d (errno %s) while "
                  "the first held the semaphore; expected it to wait", report->result,
                  strerror(report->error));
    ck_assert_msg(again == 'S',
                  "after a signal handler interrupted binsem_wait, it returned %d (errno %d: %s); "
                  "expected it to wait again: semop fails with EINTR when a handler runs, even "
                  "one installed with SA_RESTART - call it again in a loop", report->result,
                  report->error, strerror(report->error));
    ck_assert_msg(post_result == 0 && child_done && report->result == 0,
                  "after the holder's binsem_post, the interrupted binsem_wait %s within %.0f s",
                  child_done ? "failed" : "did not return", scaled(SOON));
}
END_TEST
