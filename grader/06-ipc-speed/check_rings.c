/*
 * check_rings.c - Check tests for lab 06, parts 2 and 3: the semaphore ring
 * (shm_posixsem.c) and the lock-free ring (spsc.c, through shm_spsc.c).
 *
 * Every blocking test waits for an event - a child asleep in state S, a
 * child's exit - and gives up only at a deadline (times TIMEOUT_SCALE).
 */
#include "labcheck.h"
#include "lab06_check.h"
#include "spsc.h"

#include <fcntl.h>

/* ---------- the semaphore ring ---------- */

LAB_TEST_WITH_TIMEOUT(semaphore_ring_carries_messages_of_every_size_both_ways, 4, "5.3", "", 20)
{
    check_every_size_both_ways(&shm_posixsem_transport);
}
END_TEST

LAB_TEST_WITH_TIMEOUT(semaphore_ring_is_a_byte_stream, 4, "5.4", "", 20)
{
    check_byte_stream(&shm_posixsem_transport);
}
END_TEST

LAB_TEST_WITH_TIMEOUT(semaphore_ring_reader_sleeps_while_the_ring_is_empty, 3, "5.2", "", 20)
{
    check_reader_sleeps(&shm_posixsem_transport);
}
END_TEST

LAB_TEST_WITH_TIMEOUT(semaphore_ring_writer_sleeps_while_the_ring_is_full_and_loses_nothing, 2, "5.2", "", 20)
{
    check_writer_sleeps_when_full(&shm_posixsem_transport);
}
END_TEST

LAB_TEST_WITH_TIMEOUT(semaphore_ring_goes_on_when_signals_interrupt_its_waits, 3, "5.3", "EINTR", 30)
{
    check_waits_go_on_after_signals(&shm_posixsem_transport);
}
END_TEST

LAB_TEST(semaphore_ring_create_fails_with_EEXIST_and_close_frees_its_struct, 1, "5.2", "undo and keep errno")
{
    char name[96], path[128];
    struct transport_config config = { .name = name, .dir = ".", .message_size = 64 };

    unique_name(name, sizeof name);
    snprintf(path, sizeof path, "/%s.posixsem", name);
    int taken = shm_open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
    ck_assert_msg(taken != -1, "test setup: shm_open(%s): %s", path, strerror(errno));
    int before = lab_open_descriptors();
    errno = 0;
    void *state = shm_posixsem_transport.create(&config);
    int saved_errno = errno, after = lab_open_descriptors();
    int again = shm_open(path, O_RDONLY, 0), still_there = again != -1;
    if (again != -1)
        close(again);
    if (state != NULL)
        shm_posixsem_transport.close(state);
    size_t kept = bytes_kept_by_creates(&shm_posixsem_transport, &config);
    close(taken);
    shm_unlink(path);
    size_t kept_by_close = bytes_kept_by_creates(&shm_posixsem_transport, &config);
    ck_assert_msg(state == NULL && saved_errno == EEXIST, "shm-posixsem: create() when the "
                  "shared memory object %s exists already returned %s (errno %d: %s); "
                  "expected NULL with errno EEXIST, from shm_region_create (a name that is "
                  "taken is not yours)", path, state == NULL ? "NULL" : "a state", saved_errno,
                  strerror(saved_errno));
    ck_assert_msg(after == before, "shm-posixsem: create() failed, but left %d descriptor(s) "
                  "open", after - before);
    ck_assert_msg(kept < MORE_CREATES * 16, "shm-posixsem: %d more calls of create() that "
                  "failed with EEXIST left %zu more bytes allocated; expected none: free the "
                  "struct before returning NULL", MORE_CREATES, kept);
    ck_assert_msg(still_there, "shm-posixsem: create() failed because %s existed, and "
                  "removed it: it was not its to remove", path);
    ck_assert_msg(kept_by_close < MORE_CREATES * 16, "shm-posixsem: %d more create() and "
                  "close(), with the name free, left %zu more bytes allocated; expected none: "
                  "close() must free the struct", MORE_CREATES, kept_by_close);
}
END_TEST

/* ---------- the lock-free ring ---------- */

LAB_TEST(lockfree_ring_init_rejects_a_capacity_that_is_not_a_power_of_two, 2, "6.2", "")
{
    static const size_t bad[] = { 0, 3, 1000, 4097, 6144 };
    struct spsc_ring *ring = aligned_alloc(SPSC_CACHE_LINE, spsc_size(8192));

    ck_assert_msg(ring != NULL, "test setup: aligned_alloc failed");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        errno = 0;
        int result = spsc_init(ring, bad[i]);
        int saved_errno = errno;
        ck_assert_msg(result == -1 && saved_errno == EINVAL, "spsc_init(ring, %zu) returned %d "
                      "(errno %d: %s); expected -1 with errno EINVAL: the capacity must be a "
                      "power of two", bad[i], result, saved_errno, strerror(saved_errno));
    }
    /* Powers of two: 2^0 too, and one far larger than this memory (init
     * only writes the header). */
    static const size_t good[] = { 8192, 1, 2, (size_t)1 << 40 };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        errno = 0;
        int result = spsc_init(ring, good[i]);
        int saved_errno = errno;
        ck_assert_msg(result == 0, "spsc_init(ring, %zu), a power of two, returned %d (errno "
                      "%d: %s); expected 0", good[i], result, saved_errno,
                      strerror(saved_errno));
    }
    free(ring);
}
END_TEST

/* spsc_init in memory full of other bytes: every field it owns gets its
 * starting value (handout 6.2), not what was there before. */
LAB_TEST(lockfree_ring_init_starts_counters_and_flags_at_0_and_cpus_at_minus_1, 1, "6.2", "every field")
{
    struct spsc_ring *ring = aligned_alloc(SPSC_CACHE_LINE, spsc_size(4096));

    ck_assert_msg(ring != NULL, "test setup: aligned_alloc failed");
    memset(ring, 0xA5, spsc_size(4096));
    errno = 0;
    int result = spsc_init(ring, 4096);
    int saved_errno = errno;
    ck_assert_msg(result == 0, "spsc_init(ring, 4096) returned %d (errno %d: %s); expected 0",
                  result, saved_errno, strerror(saved_errno));
    size_t head = atomic_load(&ring->head), tail = atomic_load(&ring->tail);
    ck_assert_msg(head == 0 && tail == 0 && ring->tail_seen == 0 && ring->head_seen == 0,
                  "after spsc_init, head %zu, tail %zu, tail_seen %zu, head_seen %zu; expected "
                  "all 0: an empty ring that no side has looked at yet", head, tail,
                  ring->tail_seen, ring->head_seen);
    unsigned reader_sleeping = atomic_load(&ring->reader_sleeping);
    unsigned writer_sleeping = atomic_load(&ring->writer_sleeping);
    ck_assert_msg(reader_sleeping == 0 && writer_sleeping == 0,
                  "after spsc_init, reader_sleeping %u and writer_sleeping %u; expected 0 and 0: "
                  "no side sleeps yet", reader_sleeping, writer_sleeping);
    int writer_cpu = atomic_load(&ring->writer_cpu), reader_cpu = atomic_load(&ring->reader_cpu);
    ck_assert_msg(writer_cpu == -1 && reader_cpu == -1,
                  "after spsc_init, writer_cpu %d and reader_cpu %d; expected -1 and -1 (\"not "
                  "yet\"): a CPU number would make a side skip its spin", writer_cpu, reader_cpu);
    ck_assert_msg(ring->capacity == 4096, "after spsc_init(ring, 4096), capacity is %zu",
                  ring->capacity);
    free(ring);
}
END_TEST

/* A ring of 4 KiB in memory shared with a child: the child writes 1.5 MiB in
 * writes of many sizes, the test reads them in reads of other sizes. */
static void write_through_small_ring(struct spsc_ring *ring, size_t total,
                                     struct child_report *report)
{
    unsigned char *buf = malloc(5000);
    size_t position = 0, size = 1;

    if (buf == NULL)
        _exit(1);
    while (position < total) {
        size_t piece = size < total - position ? size : total - position;
        fill_pattern(buf, piece, 11, position);
        if (spsc_write(ring, buf, piece) == -1) {
            snprintf(report->message, sizeof report->message, "the child's spsc_write(%zu "
                     "bytes) at byte %zu failed: %s", piece, position, strerror(errno));
            _exit(1);
        }
        position += piece;
        size = size * 2 + 3 < 5000 ? size * 2 + 3 : 1;      /* 1, 5, 13, ..., 4093, 1 */
    }
    free(buf);
    _exit(0);
}

LAB_TEST_WITH_TIMEOUT(lockfree_ring_wraps_around_a_small_ring, 4, "6.3", "the wrap", 20)
{
    size_t capacity = 4096, total = 1536 * 1024 + 77, position = 0, size = 4000;
    size_t region = spsc_size(capacity);
    struct spsc_ring *ring = mmap(NULL, region, PROT_READ | PROT_WRITE,
                                  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    struct child_report *report = mmap(NULL, sizeof *report, PROT_READ | PROT_WRITE,
                                       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    unsigned char *buf = allocate_or_fail(5000);

    ck_assert_msg(ring != MAP_FAILED && report != MAP_FAILED, "test setup: mmap: %s",
                  strerror(errno));
    errno = 0;
    int result = spsc_init(ring, capacity);
    int saved_errno = errno;
    ck_assert_msg(result == 0, "spsc_init(ring, %zu) returned %d (errno %d: %s); expected 0",
                  capacity, result, saved_errno, strerror(saved_errno));
    pid_t child = fork();
    ck_assert_msg(child != -1, "test setup: fork: %s", strerror(errno));
    if (child == 0)
        write_through_small_ring(ring, total, report);
    while (position < total) {
        size_t piece = size < total - position ? size : total - position;
        errno = 0;
        result = spsc_read(ring, buf, piece);
        saved_errno = errno;
        if (result != 0)
            kill_and_reap(child);
        ck_assert_msg(result == 0, "spsc_read(%zu bytes) at byte %zu of the stream returned %d "
                      "(errno %d: %s); expected 0", piece, position, result, saved_errno,
                      strerror(saved_errno));
        long wrong = first_wrong_byte(buf, piece, 11, position);
        if (wrong >= 0)
            kill_and_reap(child);
        ck_assert_msg(wrong < 0, "through a ring of %zu bytes, byte %zu of the stream (at "
                      "offset %zu of the ring, lap %zu) is %u; %u was written", capacity,
                      position + (size_t)wrong, (position + (size_t)wrong) % capacity,
                      (position + (size_t)wrong) / capacity, buf[wrong],
                      pattern_byte(11, position + (size_t)wrong));
        position += piece;
        size = size > 7 ? size - 7 : 4000;
    }
    int status = 0;
    if (!wait_for_exit(child, SOON, &status))
        kill_and_reap(child);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the writing child %s: %s",
                  how_it_ended(status), report->message);
    munmap(ring, region);
    munmap(report, sizeof *report);
    free(buf);
}
END_TEST

LAB_TEST_WITH_TIMEOUT(lockfree_ring_carries_messages_of_every_size_both_ways, 4, "6.3", "", 20)
{
    check_every_size_both_ways(&shm_spsc_transport);
}
END_TEST

LAB_TEST_WITH_TIMEOUT(lockfree_ring_is_a_byte_stream, 3, "6.3", "", 20)
{
    check_byte_stream(&shm_spsc_transport);
}
END_TEST

LAB_TEST_WITH_TIMEOUT(lockfree_ring_reader_sleeps_after_spinning, 4, "6.4", "", 20)
{
    check_reader_sleeps(&shm_spsc_transport);
}
END_TEST

LAB_TEST_WITH_TIMEOUT(lockfree_ring_writer_sleeps_while_the_ring_is_full_and_loses_nothing, 3, "6.4", "", 20)
{
    check_writer_sleeps_when_full(&shm_spsc_transport);
}
END_TEST
