/*
 * check_vm.c - Check tests for lab 02: decoding and reading /proc/self/pagemap,
 * counting page faults, fresh pages, touching pages one by one, and RSS.
 *
 * The tests compare the student's functions with the test's own reading of the
 * kernel's interfaces (getrusage, /proc/self/pagemap, mincore, /proc/self/smaps,
 * /proc/self/statm). Fault counts are exact: on a fresh anonymous mapping with
 * transparent huge pages off, every first touch of a page is one minor fault.
 *
 * Each test runs in a forked process. After fork, the child's first run of a
 * piece of code or first write to a stack page can fault too, so the tests that
 * count faults warm up first (warm_up()).
 *
 * The page size: this file replaces sysconf() for the code it is linked with.
 * It tells the truth unless a test sets pretend_page_size; the tests named
 * ..._page_size_from_sysconf pretend pages four times as large as the real ones,
 * which catches code that has 4096 written into it even on a 4 KiB machine.
 */
#define _GNU_SOURCE     /* setresuid, setresgid */
#include "labcheck.h"
#include "labchild.h"
#include "../01-memory-layout/hang_guard.h"
#include "zero_page.h"
#include "faults.h"
#include "pagemap.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---------- a sysconf() that can pretend another page size ---------- */

static long pretend_page_size;          /* 0: tell the truth */

extern long __sysconf(int name);        /* glibc's own sysconf */

long sysconf(int name)
{
    if (name == _SC_PAGESIZE && pretend_page_size != 0)
        return pretend_page_size;
    return __sysconf(name);
}

/* ---------- a hang costs one long wait (hang_guard.h; the manifest wraps these) ---------- */

int __real_pagemap_lookup(const void *address, struct page_info *info);
void *__real_fresh_pages(size_t count);
int __real_read_pages(const void *start, size_t length, struct fault_counts *caused);
int __real_write_pages(void *start, size_t length, unsigned char value,
                       struct fault_counts *caused);
long __real_resident_pages(void);

int __wrap_pagemap_lookup(const void *address, struct page_info *info)
{
    guard_enter("pagemap_lookup(%p)", address);
    int result = __real_pagemap_lookup(address, info);
    guard_leave();
    return result;
}

void *__wrap_fresh_pages(size_t count)
{
    guard_enter("fresh_pages(%zu)", count);
    void *result = __real_fresh_pages(count);
    guard_leave();
    return result;
}

int __wrap_read_pages(const void *start, size_t length, struct fault_counts *caused)
{
    guard_enter("read_pages(%p, %zu)", start, length);
    int result = __real_read_pages(start, length, caused);
    guard_leave();
    return result;
}

int __wrap_write_pages(void *start, size_t length, unsigned char value,
                       struct fault_counts *caused)
{
    guard_enter("write_pages(%p, %zu, %u)", start, length, value);
    int result = __real_write_pages(start, length, value, caused);
    guard_leave();
    return result;
}

long __wrap_resident_pages(void)
{
    guard_enter("resident_pages()");
    long result = __real_resident_pages();
    guard_leave();
    return result;
}

/* ---------- calls that fail when a test asks (the manifest wraps madvise, munmap, read, pread) ---------- */

int __real_madvise(void *address, size_t length, int advice);
int __real_munmap(void *address, size_t length);

static int madvise_fails_with;          /* an errno; 0: madvise works */
static void *madvised_address, *unmapped_address;
static size_t madvised_length, unmapped_length;

int __wrap_madvise(void *address, size_t length, int advice)
{
    madvised_address = address;
    madvised_length = length;
    if (madvise_fails_with != 0) {
        errno = madvise_fails_with;
        return -1;
    }
    return __real_madvise(address, length, advice);
}

/* read and pread fail with read_fails_with when it is set; failed_reads counts
 * them (a student who reads through stdio cannot be made to fail: libc's
 * own reads are not wrapped). */
ssize_t __real_read(int fd, void *buffer, size_t size);
ssize_t __real_pread(int fd, void *buffer, size_t size, off_t offset);

static int read_fails_with, failed_reads;

ssize_t __wrap_read(int fd, void *buffer, size_t size)
{
    if (read_fails_with != 0) {
        failed_reads++;
        errno = read_fails_with;
        return -1;
    }
    return __real_read(fd, buffer, size);
}

ssize_t __wrap_pread(int fd, void *buffer, size_t size, off_t offset)
{
    if (read_fails_with != 0) {
        failed_reads++;
        errno = read_fails_with;
        return -1;
    }
    return __real_pread(fd, buffer, size, offset);
}

/* Every read and pread fails with EIO from now until reads_work_again(). */
static void make_reads_fail(void)
{
    failed_reads = 0;
    read_fails_with = EIO;
    errno = 0;
}

/* Reads work again; returns how many failed (0: the code read through
 * stdio, whose reads cannot be made to fail). */
static int reads_work_again(void)
{
    read_fails_with = 0;
    return failed_reads;
}

int __wrap_munmap(void *address, size_t length)
{
    unmapped_address = address;
    unmapped_length = length;
    return __real_munmap(address, length);
}

/* ---------- the test's own view of the kernel ---------- */

#define BIT_PRESENT         (UINT64_C(1) << 63)
#define BIT_SWAPPED         (UINT64_C(1) << 62)
#define BIT_FILE_OR_SHARED  (UINT64_C(1) << 61)
#define BIT_EXCLUSIVE       (UINT64_C(1) << 56)
#define BIT_SOFT_DIRTY      (UINT64_C(1) << 55)
#define FRAME_MASK          ((UINT64_C(1) << 55) - 1)

enum { NOBODY_ID = 65534 };

/* The real page size, whatever sysconf() pretends. */
static size_t real_page_size(void)
{
    return (size_t)getpagesize();
}

/* Read the pagemap entry of address into *entry. Returns 0 or -1. */
static int raw_entry(const void *address, uint64_t *entry)
{
    off_t offset = (off_t)((uintptr_t)address / real_page_size() * sizeof *entry);
    int fd = open("/proc/self/pagemap", O_RDONLY);
    ssize_t got;

    if (fd == -1)
        return -1;
    got = pread(fd, entry, sizeof *entry, offset);
    close(fd);
    return got == (ssize_t)sizeof *entry ? 0 : -1;
}

/* The pagemap entry of address, read by the test itself. */
static uint64_t reference_entry(const void *address)
{
    uint64_t entry = 0;

    ck_assert_msg(raw_entry(address, &entry) == 0, "test setup: reading /proc/self/pagemap: %s",
                  strerror(errno));
    return entry;
}

/* count fresh anonymous pages, transparent huge pages off, aligned to alignment bytes. */
static char *map_aligned(size_t count, size_t alignment)
{
    size_t page = real_page_size();
    size_t length = count * page + alignment;
    char *raw = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    ck_assert_msg(raw != MAP_FAILED, "test setup: mmap: %s", strerror(errno));
    ck_assert_msg(madvise(raw, length, MADV_NOHUGEPAGE) == 0, "test setup: madvise: %s",
                  strerror(errno));
    return (char *)(((uintptr_t)raw + alignment - 1) / alignment * alignment);
}

static char *map_fresh(size_t count)
{
    return map_aligned(count, real_page_size());
}

/* Which of count pages from start are resident (mincore), as a string of 0 and 1. */
static const char *residency(const void *start, size_t count)
{
    static char shown[1100];
    unsigned char resident[1024];

    ck_assert(count < sizeof resident);
    ck_assert_msg(mincore((void *)start, count * real_page_size(), resident) == 0,
                  "test setup: mincore(%p): %s", start, strerror(errno));
    for (size_t i = 0; i < count; i++)
        shown[i] = (resident[i] & 1) ? '1' : '0';
    shown[count] = '\0';
    return shown;
}

static struct fault_counts reference_faults(void)
{
    struct rusage usage;
    ck_assert_msg(getrusage(RUSAGE_SELF, &usage) == 0, "test setup: getrusage: %s",
                  strerror(errno));
    return (struct fault_counts){ usage.ru_minflt, usage.ru_majflt };
}

/* The resident field of /proc/self/statm, read by the test itself. */
static long reference_resident(void)
{
    char text[128];
    long size = -1, resident = -1;
    int fd = open("/proc/self/statm", O_RDONLY);
    ssize_t got;

    ck_assert_msg(fd != -1, "test setup: /proc/self/statm: %s", strerror(errno));
    got = read(fd, text, sizeof text - 1);
    close(fd);
    ck_assert_msg(got > 0, "test setup: reading /proc/self/statm: %s", strerror(errno));
    text[got] = '\0';
    ck_assert_msg(sscanf(text, "%ld %ld", &size, &resident) == 2,
                  "test setup: /proc/self/statm says \"%s\"", text);
    return resident;
}

/* Write to stack pages below this one, so that later calls do not fault on them. */
static void touch_stack(void)
{
    volatile char stack[64 * 1024];
    for (size_t i = 0; i < sizeof stack; i += 512)
        stack[i] = 1;
}

/*
 * Run the code under test once, so that its first-time faults (code pages,
 * copy-on-write of data and stack pages in this forked process) do not count.
 * page is the page size the test is about to use (it may be a pretend one).
 */
static void warm_up(size_t page)
{
    struct fault_counts counts;
    char *pages = map_aligned(page / real_page_size() * 2, page);

    touch_stack();
    reference_faults();
    reference_resident();
    faults_now(&counts);
    write_pages(pages, page, 1, &counts);
    read_pages(pages, page, &counts);
    write_pages(pages, page, 1, &counts);
    resident_pages();
    faults_now(&counts);
}

/* The fault counts caused by write_pages() or read_pages(), or fail the test. */
static struct fault_counts touch(const char *how, void *start, size_t length)
{
    struct fault_counts caused = { -1, -1 };
    int result;

    errno = 0;
    if (strcmp(how, "write") == 0)
        result = write_pages(start, length, 1, &caused);
    else
        result = read_pages(start, length, &caused);
    int saved_errno = errno;
    ck_assert_msg(result == 0, "%s_pages(%p, %zu, ...) returned %d (errno %d: %s); expected 0",
                  how, start, length, result, saved_errno, strerror(saved_errno));
    return caused;
}

/* A struct page_info filled with a pattern, to see which fields were set. */
static void scribble(struct page_info *info)
{
    memset(info, 0xa5, sizeof *info);
}

static void lookup_ok(const void *address, struct page_info *info)
{
    scribble(info);
    errno = 0;
    int result = pagemap_lookup(address, info);
    int saved_errno = errno;
    ck_assert_msg(result == 0, "pagemap_lookup(%p) returned %d (errno %d: %s); expected 0%s",
                  address, result, saved_errno, strerror(saved_errno),
                  saved_errno == EINVAL ? ". EINVAL: the read found no entry there, as if the "
                  "address were beyond the user address space: is the offset (address / page "
                  "size) * 8?" : "");
}

/* Decode entry and check every field against what the bits say. */
static void expect_decoded(uint64_t entry, const char *what)
{
    struct page_info info;
    int present = (entry & BIT_PRESENT) != 0;
    uint64_t frame = present ? entry & FRAME_MASK : 0;

    scribble(&info);
    pagemap_decode(entry, &info);
    ck_assert_msg(info.entry == entry,
                  "pagemap_decode(%#018" PRIx64 ") (%s): entry is %#" PRIx64 ", expected the raw "
                  "entry itself (is pagemap_decode written yet? TODO in pagemap.c)",
                  entry, what, info.entry);
    ck_assert_msg(info.present == present && info.swapped == ((entry & BIT_SWAPPED) != 0) &&
                  info.file_or_shared == ((entry & BIT_FILE_OR_SHARED) != 0) &&
                  info.exclusive == ((entry & BIT_EXCLUSIVE) != 0) &&
                  info.soft_dirty == ((entry & BIT_SOFT_DIRTY) != 0),
                  "pagemap_decode(%#018" PRIx64 ") (%s) gave present=%d swapped=%d "
                  "file_or_shared=%d exclusive=%d soft_dirty=%d; expected %d %d %d %d %d "
                  "(bits 63, 62, 61, 56, 55; each 0 or 1)",
                  entry, what, info.present, info.swapped, info.file_or_shared, info.exclusive,
                  info.soft_dirty, present, (entry & BIT_SWAPPED) != 0,
                  (entry & BIT_FILE_OR_SHARED) != 0, (entry & BIT_EXCLUSIVE) != 0,
                  (entry & BIT_SOFT_DIRTY) != 0);
    ck_assert_msg(info.frame == frame && info.frame_visible == (frame != 0),
                  "pagemap_decode(%#018" PRIx64 ") (%s) gave frame=%#" PRIx64 " frame_visible=%d; "
                  "expected frame=%#" PRIx64 " frame_visible=%d (the frame is bits 0-54 of a "
                  "present page; 0 there means hidden, not frame 0)",
                  entry, what, info.frame, info.frame_visible, frame, frame != 0);
}

/* ---------- pagemap_decode ---------- */

LAB_TEST(decode_reads_the_present_bit, 2, "3.2", "")
{
    expect_decoded(BIT_PRESENT | 0x1234, "present, frame 0x1234");
    expect_decoded(0, "an empty entry");
}
END_TEST

LAB_TEST(decode_reads_each_flag_bit_on_its_own, 1, "3.2", "")
{
    expect_decoded(BIT_PRESENT | BIT_EXCLUSIVE | 0x42, "present and exclusive");
    expect_decoded(BIT_PRESENT | BIT_FILE_OR_SHARED | 0x42, "a present file page");
    expect_decoded(BIT_PRESENT | BIT_SOFT_DIRTY | 0x42, "present and soft-dirty");
    expect_decoded(BIT_SWAPPED | 0x2a1, "swapped out");
    expect_decoded(BIT_SOFT_DIRTY, "only soft-dirty");
    expect_decoded(BIT_EXCLUSIVE, "only exclusive");
    expect_decoded(BIT_FILE_OR_SHARED, "only file-or-shared");
    expect_decoded(BIT_PRESENT | BIT_FILE_OR_SHARED | BIT_EXCLUSIVE | BIT_SOFT_DIRTY | 7,
                   "every flag but swapped");
}
END_TEST

LAB_TEST(decode_takes_the_frame_from_bits_0_to_54, 2, "3.2", "the frame is bits 0-54")
{
    /* Bits 57-60 are other flags: they are not part of the frame number. */
    uint64_t other_flags = UINT64_C(0xf) << 57;
    expect_decoded(BIT_PRESENT | FRAME_MASK, "present, every frame bit set");
    expect_decoded(BIT_PRESENT | other_flags | BIT_EXCLUSIVE | UINT64_C(0x13c8e7),
                   "present with bits 57-60 set, frame 0x13c8e7");
    expect_decoded(BIT_PRESENT | (UINT64_C(1) << 54), "present, frame bit 54 only");
}
END_TEST

LAB_TEST(decode_reports_frame_0_of_a_present_page_as_hidden, 2, "3.4", "")
{
    /* What an unprivileged reader sees for a present page it wrote. */
    expect_decoded(BIT_PRESENT | BIT_EXCLUSIVE, "present, exclusive, frame hidden");
    expect_decoded(BIT_PRESENT, "present, frame hidden");
}
END_TEST

LAB_TEST(decode_gives_no_frame_for_a_page_that_is_not_present, 1, "3.2", "")
{
    /* A swapped page's low bits hold its swap type and offset, not a frame. */
    expect_decoded(BIT_SWAPPED | BIT_EXCLUSIVE | UINT64_C(0x3ffe1), "swapped, swap bits set");
    expect_decoded(UINT64_C(0x1234), "not present, low bits set");
}
END_TEST

/* ---------- pagemap_lookup ---------- */

LAB_TEST(lookup_says_an_untouched_page_is_not_present, 2, "3.3", "")
{
    char *page = map_fresh(1);
    struct page_info info;

    lookup_ok(page, &info);
    ck_assert_msg(info.entry == reference_entry(page) && !info.present && !info.frame_visible,
                  "pagemap_lookup(%p), a page never touched, gave entry %#" PRIx64
                  " present=%d frame_visible=%d; expected entry %#" PRIx64 ", not present",
                  (void *)page, info.entry, info.present, info.frame_visible,
                  reference_entry(page));
}
END_TEST

LAB_TEST(lookup_says_a_written_page_is_present_and_exclusive, 2, "3.3", "offset = address / page size * 8")
{
    char *pages = map_fresh(3);
    size_t page = real_page_size();
    struct page_info info;

    pages[page] = 1;
    uint64_t expected = reference_entry(pages + page);
    lookup_ok(pages + page, &info);
    ck_assert_msg(info.entry == expected,
                  "pagemap_lookup(%p), a page just written, gave entry %#018" PRIx64
                  "; /proc/self/pagemap holds %#018" PRIx64 " for it (is the offset "
                  "(address / page size) * 8?)", (void *)(pages + page), info.entry, expected);
    ck_assert_msg(info.present && info.exclusive && !info.file_or_shared && !info.swapped,
                  "pagemap_lookup(%p), a private page just written, gave present=%d "
                  "exclusive=%d file_or_shared=%d swapped=%d; expected 1 1 0 0",
                  (void *)(pages + page), info.present, info.exclusive, info.file_or_shared,
                  info.swapped);
    lookup_ok(pages, &info);
    ck_assert_msg(!info.present, "pagemap_lookup(%p), the untouched page before the written "
                  "one, says present", (void *)pages);
}
END_TEST

LAB_TEST(lookup_finds_the_entry_of_any_address_in_the_page, 2, "3.3", "")
{
    char *pages = map_fresh(2);
    size_t page = real_page_size();
    struct page_info info;
    const char *inside[] = { pages + 1, pages + page / 2, pages + page - 1 };

    pages[0] = 1;
    for (size_t i = 0; i < sizeof inside / sizeof inside[0]; i++) {
        lookup_ok(inside[i], &info);
        ck_assert_msg(info.present && info.entry == reference_entry(pages),
                      "pagemap_lookup(%p), %zu bytes into a written page, gave entry %#"
                      PRIx64 "; expected the page's entry %#" PRIx64,
                      (const void *)inside[i], (size_t)(inside[i] - pages), info.entry,
                      reference_entry(pages));
    }
    lookup_ok(pages + page, &info);
    ck_assert_msg(!info.present, "pagemap_lookup(%p), the first byte of the next, untouched "
                  "page, says present", (void *)(pages + page));
}
END_TEST

LAB_TEST(lookup_sees_the_zero_page_behind_a_read, 2, "3.3", "")
{
    if (!kernel_maps_the_zero_page()) {
        lab_skip(NO_ZERO_PAGE_HERE);
        return;
    }
    char *pages = map_fresh(2);
    volatile char *bytes = pages;
    struct page_info info;

    (void)bytes[0];
    lookup_ok(pages, &info);
    ck_assert_msg(info.present && !info.exclusive && info.entry == reference_entry(pages),
                  "pagemap_lookup(%p), an untouched page just read, gave entry %#" PRIx64
                  " present=%d exclusive=%d; expected entry %#" PRIx64 ": present (mapped to "
                  "the shared zero page), not exclusive", (void *)pages, info.entry,
                  info.present, info.exclusive, reference_entry(pages));
}
END_TEST

LAB_TEST(lookup_marks_file_pages_and_shared_memory, 2, "3.1", "")
{
    size_t page = real_page_size();
    struct page_info info;
    int fd = open("/proc/self/exe", O_RDONLY);
    ck_assert_msg(fd != -1, "test setup: /proc/self/exe: %s", strerror(errno));
    volatile char *file = mmap(NULL, page, PROT_READ, MAP_PRIVATE, fd, 0);
    ck_assert_msg(file != MAP_FAILED, "test setup: mmap of the test program: %s",
                  strerror(errno));
    close(fd);
    (void)file[0];
    lookup_ok((const void *)file, &info);
    ck_assert_msg(info.present && info.file_or_shared,
                  "pagemap_lookup(%p), a page of a file just read, gave present=%d "
                  "file_or_shared=%d; expected 1 1 (bit 61)", (void *)file, info.present,
                  info.file_or_shared);

    char *shared = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    ck_assert_msg(shared != MAP_FAILED, "test setup: mmap: %s", strerror(errno));
    shared[0] = 1;
    lookup_ok(shared, &info);
    ck_assert_msg(info.present && info.file_or_shared,
                  "pagemap_lookup(%p), a shared anonymous page just written, gave present=%d "
                  "file_or_shared=%d; expected 1 1 (bit 61)", (void *)shared, info.present,
                  info.file_or_shared);
}
END_TEST

/* What an unprivileged child saw; it reports through a pipe. */
struct unprivileged_report {
    char setup_error[200];          /* empty when the child could drop CAP_SYS_ADMIN */
    int result;
    int saved_errno;
    struct page_info info;
    uint64_t reference;
};

/* Drop to nobody if root; then check that CAP_SYS_ADMIN (bit 21) is gone. */
static int drop_privileges(char *error, size_t size)
{
    char line[256];
    unsigned long long effective = 0;
    FILE *status;

    if (geteuid() == 0 &&
        (setgroups(0, NULL) == -1 || setresgid(NOBODY_ID, NOBODY_ID, NOBODY_ID) == -1 ||
         setresuid(NOBODY_ID, NOBODY_ID, NOBODY_ID) == -1 ||
         prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) == -1)) {
        snprintf(error, size, "could not become nobody: %s", strerror(errno));
        return -1;
    }
    status = fopen("/proc/self/status", "r");
    if (status == NULL) {
        snprintf(error, size, "/proc/self/status: %s", strerror(errno));
        return -1;
    }
    while (fgets(line, sizeof line, status) != NULL)
        if (sscanf(line, "CapEff: %llx", &effective) == 1)
            break;
    fclose(status);
    if (effective & (1ULL << 21)) {
        snprintf(error, size, "this user keeps CAP_SYS_ADMIN (CapEff %llx)", effective);
        return -1;
    }
    return 0;
}

LAB_TEST(lookup_without_CAP_SYS_ADMIN_hides_the_frame_but_keeps_the_flags, 2, "3.4", "")
{
    int channel[2];
    struct unprivileged_report report;

    ck_assert_msg(pipe(channel) == 0, "test setup: pipe: %s", strerror(errno));
    pid_t child = fork();
    ck_assert_msg(child != -1, "test setup: fork: %s", strerror(errno));
    if (child == 0) {
        memset(&report, 0, sizeof report);
        if (drop_privileges(report.setup_error, sizeof report.setup_error) == 0) {
            char *page = mmap(NULL, real_page_size(), PROT_READ | PROT_WRITE,
                              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (page == MAP_FAILED) {
                snprintf(report.setup_error, sizeof report.setup_error, "mmap: %s",
                         strerror(errno));
            } else {
                page[0] = 1;
                scribble(&report.info);
                errno = 0;
                report.result = pagemap_lookup(page, &report.info);
                report.saved_errno = errno;
                if (raw_entry(page, &report.reference) == -1)
                    snprintf(report.setup_error, sizeof report.setup_error,
                             "reading /proc/self/pagemap as nobody: %s", strerror(errno));
            }
        }
        ssize_t written = write(channel[1], &report, sizeof report);
        _exit(written == (ssize_t)sizeof report ? 0 : 1);
    }
    close(channel[1]);
    ssize_t got = read(channel[0], &report, sizeof report);
    int status;
    waitpid(child, &status, 0);
    ck_assert_msg(got == (ssize_t)sizeof report,
                  "the child process that called pagemap_lookup() as nobody reported nothing: "
                  "%s %d", WIFSIGNALED(status) ? "it was killed by signal" : "it exited with status",
                  WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    ck_assert_msg(report.setup_error[0] == '\0', "test setup: %s", report.setup_error);
    ck_assert_msg(report.result == 0,
                  "pagemap_lookup() without CAP_SYS_ADMIN returned %d (errno %d: %s); "
                  "expected 0: the flags are readable by anyone", report.result,
                  report.saved_errno, strerror(report.saved_errno));
    ck_assert_msg(report.info.entry == report.reference && report.info.present &&
                  report.info.exclusive,
                  "pagemap_lookup() without CAP_SYS_ADMIN of a written page gave entry %#"
                  PRIx64 " present=%d exclusive=%d; expected entry %#" PRIx64 ", present, "
                  "exclusive", report.info.entry, report.info.present, report.info.exclusive,
                  report.reference);
    ck_assert_msg(!report.info.frame_visible && report.info.frame == 0,
                  "pagemap_lookup() without CAP_SYS_ADMIN gave frame_visible=%d frame=%#"
                  PRIx64 "; expected 0 and 0: the kernel wrote 0 where the frame number goes, "
                  "which means \"not permitted\", not frame 0", report.info.frame_visible,
                  report.info.frame);
}
END_TEST

LAB_TEST(lookup_beyond_the_user_address_space_fails_with_EINVAL, 1, "3.3", "a short read")
{
    struct page_info info;
    const void *kernel = (const void *)(uintptr_t)0xffff800000000000ULL;

    scribble(&info);
    errno = 0;
    int result = pagemap_lookup(kernel, &info);
    int saved_errno = errno;
    ck_assert_msg(result == -1 && saved_errno == EINVAL,
                  "pagemap_lookup(%p), an address in the kernel's half, returned %d with errno "
                  "%d (%s); expected -1 with errno EINVAL (the read of /proc/self/pagemap "
                  "returns 0 bytes there)", kernel, result, saved_errno, strerror(saved_errno));
}
END_TEST

LAB_TEST(lookup_uses_the_page_size_from_sysconf, 2, "3.3", "the page size comes from sysconf")
{
    size_t page = real_page_size();
    char *written = map_fresh(1);
    struct page_info info;

    written[0] = 1;
    uint64_t expected = reference_entry(written);
    /* With pages 4 times as large, entry number N describes the addresses
     * from N * 4 * page on: the address 4 * written has written's entry. */
    pretend_page_size = (long)(4 * page);
    const void *alias = (const void *)((uintptr_t)written * 4);
    scribble(&info);
    errno = 0;
    int result = pagemap_lookup(alias, &info);
    int saved_errno = errno;
    pretend_page_size = 0;
    ck_assert_msg(result == 0 && info.entry == expected,
                  "with sysconf(_SC_PAGESIZE) made to return %zu, pagemap_lookup(%p) should "
                  "read entry number %#" PRIxPTR " (the address / %zu), at offset %#" PRIxPTR
                  " of /proc/self/pagemap, where this test put a present page (entry %#"
                  PRIx64 "); it returned %d (errno %s) with entry %#" PRIx64 ". Take the page "
                  "size from sysconf(_SC_PAGESIZE), never 4096", 4 * page, alias,
                  (uintptr_t)alias / (4 * page), 4 * page, (uintptr_t)alias / (4 * page) * 8,
                  expected, result, strerror(saved_errno), info.entry);
}
END_TEST

LAB_TEST(lookup_closes_the_pagemap_file, 1, "3.3", "on every way out")
{
    char *page = map_fresh(1);
    const void *kernel = (const void *)(uintptr_t)0xffff800000000000ULL;
    struct page_info info;

    page[0] = 1;
    lookup_ok(page, &info);
    int before = lab_open_descriptors();
    for (int i = 0; i < 100; i++)
        lookup_ok(page, &info);
    int after = lab_open_descriptors();
    ck_assert_msg(after == before, "after 100 calls of pagemap_lookup() %d more files are "
                  "open: close /proc/self/pagemap before returning", after - before);
    for (int i = 0; i < 100; i++)
        pagemap_lookup(kernel, &info);
    after = lab_open_descriptors();
    ck_assert_msg(after == before, "after 100 calls of pagemap_lookup(%p), which fail with "
                  "EINVAL, %d more files are open: close /proc/self/pagemap on the way out "
                  "of a failed call too", kernel, after - before);
    make_reads_fail();
    int result = pagemap_lookup(page, &info);
    int saved_errno = errno;
    for (int i = 0; i < 99; i++)
        pagemap_lookup(page, &info);
    if (reads_work_again() == 0)
        return;         /* read through stdio: its reads cannot be made to fail */
    after = lab_open_descriptors();
    ck_assert_msg(result == -1 && saved_errno == EIO, "pagemap_lookup(%p), whose pread this "
                  "test made fail with EIO, returned %d with errno %d (%s); expected -1 with "
                  "pread's errno, EIO", (void *)page, result, saved_errno, strerror(saved_errno));
    ck_assert_msg(after == before, "after 100 calls of pagemap_lookup(%p) whose pread failed, "
                  "%d more files are open: close /proc/self/pagemap on that way out too",
                  (void *)page, after - before);
}
END_TEST

/* what, called when open() could open no more files, gave result and saved_errno. */
static void expect_errno_of_open(const char *what, long result, int saved_errno)
{
    ck_assert_msg(result == -1 && saved_errno == EMFILE,
                  "%s when open() cannot open one more file returned %ld with errno %d (%s); "
                  "expected -1 with open()'s errno EMFILE (Too many open files)", what, result,
                  saved_errno, strerror(saved_errno));
}

LAB_TEST(lookup_fails_with_the_errno_of_open, 1, "3.3", "keep the errno of the call that failed")
{
    char *page = map_fresh(1);
    struct page_info info;

    page[0] = 1;
    struct rlimit limit = lab_use_up_file_descriptors();
    errno = 0;
    int result = pagemap_lookup(page, &info);
    int saved_errno = errno;
    lab_give_back_file_descriptors(&limit);
    expect_errno_of_open("pagemap_lookup()", result, saved_errno);
}
END_TEST

/* ---------- faults_now ---------- */

LAB_TEST(faults_now_matches_getrusage, 2, "4.1", "")
{
    struct fault_counts counts = { -1, -1 };

    warm_up(real_page_size());
    struct fault_counts before = reference_faults();
    errno = 0;
    int result = faults_now(&counts);
    int saved_errno = errno;
    struct fault_counts after = reference_faults();
    ck_assert_msg(result == 0, "faults_now() returned %d (errno %d: %s); expected 0", result,
                  saved_errno, strerror(saved_errno));
    ck_assert_msg(before.minor <= counts.minor && counts.minor <= after.minor &&
                  before.major <= counts.major && counts.major <= after.major,
                  "faults_now() gave minor=%ld major=%ld; getrusage(RUSAGE_SELF) said minor=%ld "
                  "major=%ld just before and minor=%ld major=%ld just after",
                  counts.minor, counts.major, before.minor, before.major, after.minor,
                  after.major);
}
END_TEST

LAB_TEST(faults_now_counts_one_minor_fault_per_written_page, 2, "4.1", "")
{
    enum { PAGES = 64 };
    size_t page = real_page_size();
    char *pages = map_fresh(PAGES);
    struct fault_counts before, after;

    warm_up(page);
    ck_assert_msg(faults_now(&before) == 0, "faults_now() failed: %s", strerror(errno));
    for (size_t i = 0; i < PAGES; i++)
        pages[i * page] = 1;
    ck_assert_msg(faults_now(&after) == 0, "faults_now() failed: %s", strerror(errno));
    ck_assert_msg(after.minor - before.minor == PAGES && after.major == before.major,
                  "writing %d fresh pages between two calls of faults_now() showed %ld minor "
                  "and %ld major faults; expected %d and 0", PAGES, after.minor - before.minor,
                  after.major - before.major, PAGES);
}
END_TEST

/* ---------- fresh_pages and release_pages ---------- */

static char *fresh_ok(size_t count)
{
    errno = 0;
    char *pages = fresh_pages(count);
    int saved_errno = errno;
    ck_assert_msg(pages != NULL && pages != MAP_FAILED,
                  "fresh_pages(%zu) returned %p (errno %d: %s); expected the first page",
                  count, (void *)pages, saved_errno, strerror(saved_errno));
    return pages;
}

LAB_TEST(fresh_pages_are_page_aligned_and_not_yet_in_memory, 2, "4.2", "")
{
    enum { PAGES = 32 };
    char *pages = fresh_ok(PAGES);
    char none[PAGES + 1];

    ck_assert_msg((uintptr_t)pages % real_page_size() == 0,
                  "fresh_pages(%d) returned %p, which is not the start of a page", PAGES,
                  (void *)pages);
    memset(none, '0', PAGES);
    none[PAGES] = '\0';
    const char *resident = residency(pages, PAGES);
    ck_assert_msg(strcmp(resident, none) == 0,
                  "pages of fresh_pages(%d) already in memory (mincore, 1 = resident): %s; "
                  "expected none: fresh pages were never touched", PAGES, resident);
    pages[(PAGES - 1) * real_page_size()] = 1;     /* all of it is writable */
}
END_TEST

/* The VmFlags line of the /proc/self/smaps entry that holds address. */
static const char *vm_flags(const void *address)
{
    static char flags[512];
    char line[512];
    unsigned long start, end;
    int inside = 0;
    FILE *smaps = fopen("/proc/self/smaps", "r");

    ck_assert_msg(smaps != NULL, "test setup: /proc/self/smaps: %s", strerror(errno));
    flags[0] = '\0';
    while (fgets(line, sizeof line, smaps) != NULL) {
        if (sscanf(line, "%lx-%lx ", &start, &end) == 2 && strchr(line, '-') < strchr(line, ' '))
            inside = start <= (uintptr_t)address && (uintptr_t)address < end;
        else if (inside && strncmp(line, "VmFlags:", 8) == 0) {
            snprintf(flags, sizeof flags, "%s", line + 8);
            flags[strcspn(flags, "\n")] = '\0';
            break;
        }
    }
    fclose(smaps);
    return flags;
}

LAB_TEST(fresh_pages_have_transparent_huge_pages_turned_off, 2, "4.2", "MADV_NOHUGEPAGE")
{
    enum { PAGES = 16 };
    char *pages = fresh_ok(PAGES);
    char padded[520];

    /* Every page: madvise over fewer bytes than the mapping splits it in two. */
    for (size_t i = 0; i < PAGES; i++) {
        const char *flags = vm_flags(pages + i * real_page_size());
        snprintf(padded, sizeof padded, " %s ", flags);
        ck_assert_msg(strstr(padded, " nh ") != NULL,
                      "page %zu of fresh_pages(%d) lies in a mapping with VmFlags \"%s\" in "
                      "/proc/self/smaps; expected the flag nh (no huge pages): call "
                      "madvise(MADV_NOHUGEPAGE) on all of it (its length in bytes: count * "
                      "page size)", i, PAGES, flags);
    }
}
END_TEST

LAB_TEST(fresh_pages_are_never_recycled_memory, 2, "4.2", "why not malloc")
{
    /* Allocate, write and release, again and again: memory that an earlier
     * round used must never come back, or its first write would cost nothing.
     * (The sizes shrink: that is when malloc hands out memory it had before.) */
    const size_t sizes[] = { 64, 16, 16, 8, 8, 8 };
    size_t page = real_page_size();

    warm_up(page);
    for (size_t round = 0; round < sizeof sizes / sizeof sizes[0]; round++) {
        size_t count = sizes[round];
        char *pages = fresh_ok(count);
        struct fault_counts before = reference_faults();
        for (size_t i = 0; i < count; i++)
            pages[i * page] = 1;
        struct fault_counts after = reference_faults();
        ck_assert_msg(after.minor - before.minor == (long)count,
                      "round %zu of fresh_pages(%zu), write every page, release_pages(): the "
                      "first write cost %ld minor faults, expected %zu: these pages were in "
                      "memory already. Memory from malloc() is recycled after free(); fresh "
                      "pages come from mmap()", round + 1, count, after.minor - before.minor,
                      count);
        errno = 0;
        ck_assert_msg(release_pages(pages, count) == 0, "release_pages(%p, %zu) failed: %s",
                      (void *)pages, count, strerror(errno));
    }
}
END_TEST

LAB_TEST(fresh_pages_returns_NULL_with_errno_when_mmap_fails, 1, "4.2", "")
{
    size_t impossible = SIZE_MAX / real_page_size() / 2;

    errno = 0;
    void *pages = fresh_pages(impossible);
    int saved_errno = errno;
    ck_assert_msg(pages == NULL && saved_errno == ENOMEM,
                  "fresh_pages(%zu), more memory than the address space holds, returned %p "
                  "with errno %d (%s); expected NULL with errno ENOMEM (mmap returns "
                  "MAP_FAILED, which is not NULL)", impossible, pages, saved_errno,
                  strerror(saved_errno));
}
END_TEST

LAB_TEST(fresh_pages_unmaps_its_mapping_when_madvise_fails, 1, "4.2", "keep madvise's errno")
{
    madvised_address = unmapped_address = NULL;
    madvised_length = unmapped_length = 0;
    madvise_fails_with = ENOMEM;
    errno = 0;
    void *pages = fresh_pages(3);
    int saved_errno = errno;
    madvise_fails_with = 0;
    ck_assert_msg(madvised_address != NULL, "fresh_pages(3) never called madvise: turn "
                  "transparent huge pages off with madvise(MADV_NOHUGEPAGE)");
    ck_assert_msg(pages == NULL && saved_errno == ENOMEM,
                  "fresh_pages(3), whose madvise this test made fail with ENOMEM, returned %p "
                  "with errno %d (%s); expected NULL with madvise's errno, ENOMEM (save errno "
                  "before munmap, and put it back after)", pages, saved_errno,
                  strerror(saved_errno));
    ck_assert_msg(unmapped_address == madvised_address && unmapped_length == madvised_length,
                  "when madvise fails, fresh_pages(3) unmaps its mapping (%p, %zu bytes) before "
                  "it returns NULL; the last munmap was of %p, %zu bytes", madvised_address,
                  madvised_length, unmapped_address, unmapped_length);
}
END_TEST

LAB_TEST(release_pages_fails_with_EINVAL_inside_a_page, 1, "4.2", "munmap's errno")
{
    char *pages = fresh_ok(2);

    errno = 0;
    int result = release_pages(pages + 8, 1);
    int saved_errno = errno;
    ck_assert_msg(result == -1 && saved_errno == EINVAL,
                  "release_pages(%p), 8 bytes into a page, returned %d with errno %d (%s); "
                  "expected -1 with munmap()'s errno EINVAL", (void *)(pages + 8), result,
                  saved_errno, strerror(saved_errno));
}
END_TEST

LAB_TEST(release_pages_unmaps_the_pages, 1, "4.2", "")
{
    enum { PAGES = 8 };
    unsigned char resident[PAGES];
    char *pages = fresh_ok(PAGES);

    pages[0] = 1;
    errno = 0;
    int result = release_pages(pages, PAGES);
    ck_assert_msg(result == 0, "release_pages(%p, %d) returned %d (errno %s); expected 0",
                  (void *)pages, PAGES, result, strerror(errno));
    for (int i = 0; i < PAGES; i++) {
        errno = 0;
        int mapped = mincore(pages + i * real_page_size(), real_page_size(), resident) == 0;
        ck_assert_msg(!mapped && errno == ENOMEM,
                      "page %d of %d is still mapped after release_pages(%p, %d)", i, PAGES,
                      (void *)pages, PAGES);
    }
}
END_TEST

/* ---------- write_pages and read_pages ---------- */

LAB_TEST(write_pages_costs_one_minor_fault_per_fresh_page, 1, "4.3", "")
{
    enum { PAGES = 64 };
    size_t page = real_page_size();
    char *pages = map_fresh(PAGES);

    warm_up(page);
    struct fault_counts caused = touch("write", pages, PAGES * page);
    ck_assert_msg(caused.minor == PAGES && caused.major == 0,
                  "write_pages() over %d fresh pages reported %ld minor and %ld major faults; "
                  "expected %d and 0", PAGES, caused.minor, caused.major, PAGES);
    const char *resident = residency(pages, PAGES);
    ck_assert_msg(strchr(resident, '0') == NULL,
                  "after write_pages() over %d pages, some are not in memory (mincore): %s",
                  PAGES, resident);
}
END_TEST

LAB_TEST(write_pages_again_costs_no_fault, 1, "4.3", "")
{
    enum { PAGES = 64 };
    size_t page = real_page_size();
    char *pages = map_fresh(PAGES);

    warm_up(page);
    touch("write", pages, PAGES * page);
    struct fault_counts caused = touch("write", pages, PAGES * page);
    ck_assert_msg(caused.minor == 0 && caused.major == 0,
                  "a second write_pages() over the same %d pages reported %ld minor and %ld "
                  "major faults; expected 0 and 0: the pages are mapped now", PAGES,
                  caused.minor, caused.major);
}
END_TEST

LAB_TEST(write_pages_stores_the_value_in_the_first_byte_of_every_page, 1, "4.3", "")
{
    enum { PAGES = 8 };
    size_t page = real_page_size();
    unsigned char *pages = (unsigned char *)map_fresh(PAGES);
    struct fault_counts caused;

    errno = 0;
    int result = write_pages(pages, PAGES * page, 0x5a, &caused);
    ck_assert_msg(result == 0, "write_pages(%p, %zu, 0x5a, ...) returned %d (errno %s)",
                  (void *)pages, PAGES * page, result, strerror(errno));
    for (size_t i = 0; i < PAGES; i++) {
        ck_assert_msg(pages[i * page] == 0x5a && pages[i * page + 1] == 0,
                      "after write_pages(..., 0x5a, ...) page %zu starts with %#x %#x; "
                      "expected 0x5a 0 (only the first byte of each page is written)", i,
                      pages[i * page], pages[i * page + 1]);
    }
}
END_TEST

LAB_TEST(read_pages_of_untouched_pages_maps_the_zero_page, 1, "4.3", "volatile reads")
{
    enum { PAGES = 64 };
    size_t page = real_page_size();
    char *pages = map_fresh(PAGES);

    warm_up(page);
    struct fault_counts caused = touch("read", pages, PAGES * page);
    ck_assert_msg(caused.minor == PAGES && caused.major == 0,
                  "read_pages() over %d untouched pages reported %ld minor and %ld major "
                  "faults; expected %d and 0: each first read maps the zero page",
                  PAGES, caused.minor, caused.major, PAGES);
    /* (Where the kernel gives a read a page of its own, a read and a write look alike.) */
    int zero_page = kernel_maps_the_zero_page();
    for (size_t i = 0; i < PAGES && zero_page; i++) {
        uint64_t entry = reference_entry(pages + i * page);
        ck_assert_msg((entry & BIT_PRESENT) && !(entry & BIT_EXCLUSIVE),
                      "after read_pages(), page %zu has pagemap entry %#" PRIx64 "; expected "
                      "present and not exclusive (the shared zero page). Did read_pages() "
                      "write?", i, entry);
    }
}
END_TEST

LAB_TEST(read_pages_only_reads, 2, "4.3", "read through a volatile pointer")
{
    enum { PAGES = 16 };
    size_t page = real_page_size();
    unsigned char *pages = (unsigned char *)map_fresh(PAGES);

    /* A pattern in every page, then the pages made read-only: a write would
     * kill the test process with SIGSEGV, on any kernel. */
    for (size_t i = 0; i < PAGES; i++)
        pages[i * page] = (unsigned char)(0x40 + i);
    ck_assert_msg(mprotect(pages, PAGES * page, PROT_READ) == 0, "test setup: mprotect: %s",
                  strerror(errno));
    /* First in a child, which a write would kill. */
    pid_t child = fork();
    ck_assert_msg(child != -1, "test setup: fork: %s", strerror(errno));
    if (child == 0) {
        struct fault_counts ignored;
        _exit(read_pages(pages, PAGES * page, &ignored) == 0 ? 0 : 1);
    }
    int status;
    if (!wait_for_exit(child, 10, &status)) {
        kill_and_reap(child);
        ck_abort_msg("read_pages() over %d read-only pages did not return within %.0f s",
                     PAGES, scaled(10));
    }
    ck_assert_msg(!WIFSIGNALED(status) || WTERMSIG(status) != SIGSEGV,
                  "read_pages() over %d read-only pages was killed by SIGSEGV: it wrote into "
                  "them. It must only read (through a const volatile pointer)", PAGES);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                  "read_pages() over %d read-only pages failed: the process %s", PAGES,
                  WIFEXITED(status) ? "saw it return -1" : how_it_ended(status));
    warm_up(page);
    struct fault_counts caused = touch("read", pages, PAGES * page);
    ck_assert_msg(caused.minor == 0 && caused.major == 0,
                  "read_pages() over %d pages already in memory reported %ld minor and %ld "
                  "major faults; expected 0 and 0", PAGES, caused.minor, caused.major);
    for (size_t i = 0; i < PAGES; i++)
        ck_assert_msg(pages[i * page] == 0x40 + i, "after read_pages(), page %zu starts with "
                      "%#x; expected %#zx as before: read_pages() must not write",
                      i, pages[i * page], 0x40 + i);
}
END_TEST

LAB_TEST(touching_nothing_when_the_length_is_0, 1, "4.3", "the warm-up of 5.3 passes 0")
{
    char *pages = map_fresh(2);
    struct fault_counts caused = { -1, -1 };

    warm_up(real_page_size());
    caused = touch("write", pages, 0);
    ck_assert_msg(caused.minor == 0 && caused.major == 0, "write_pages(%p, 0, ...) reported "
                  "%ld minor and %ld major faults; expected 0 and 0", (void *)pages,
                  caused.minor, caused.major);
    caused = touch("read", pages, 0);
    ck_assert_msg(caused.minor == 0 && caused.major == 0, "read_pages(%p, 0, ...) reported "
                  "%ld minor and %ld major faults; expected 0 and 0", (void *)pages,
                  caused.minor, caused.major);
    ck_assert_msg(strcmp(residency(pages, 2), "00") == 0, "write_pages() or read_pages() with "
                  "a length of 0 touched pages: resident pages %s, expected 00",
                  residency(pages, 2));
}
END_TEST

LAB_TEST(touching_reaches_a_partial_last_page, 1, "4.3", "")
{
    size_t page = real_page_size();
    char *pages = map_fresh(6);

    warm_up(page);
    struct fault_counts caused = touch("write", pages, 3 * page + 1);
    ck_assert_msg(caused.minor == 4,
                  "write_pages() over 3 pages and 1 byte caused %ld minor faults; expected 4: "
                  "the byte in the 4th page is part of the range", caused.minor);
    const char *resident = residency(pages, 6);
    ck_assert_msg(strcmp(resident, "111100") == 0,
                  "after write_pages() over 3 pages and 1 byte, the resident pages (mincore) "
                  "are %s; expected 111100", resident);
    caused = touch("read", pages + 4 * page, 1);
    ck_assert_msg(caused.minor == 1, "read_pages() of one byte caused %ld minor faults; "
                  "expected 1: the page that holds the byte is part of the range", caused.minor);
}
END_TEST

LAB_TEST(touching_rejects_a_start_that_is_not_page_aligned_with_EINVAL, 1, "4.3", "")
{
    char *pages = map_fresh(4);
    struct fault_counts caused;

    errno = 0;
    int result = write_pages(pages + 8, 2 * real_page_size(), 1, &caused);
    int saved_errno = errno;
    ck_assert_msg(result == -1 && saved_errno == EINVAL,
                  "write_pages(%p), 8 bytes into a page, returned %d with errno %d (%s); "
                  "expected -1 with errno EINVAL", (void *)(pages + 8), result, saved_errno,
                  strerror(saved_errno));
    errno = 0;
    result = read_pages(pages + 1, real_page_size(), &caused);
    saved_errno = errno;
    ck_assert_msg(result == -1 && saved_errno == EINVAL,
                  "read_pages(%p), 1 byte into a page, returned %d with errno %d (%s); "
                  "expected -1 with errno EINVAL", (void *)(pages + 1), result, saved_errno,
                  strerror(saved_errno));
    ck_assert_msg(strcmp(residency(pages, 4), "0000") == 0,
                  "write_pages() or read_pages() touched pages before failing with EINVAL: "
                  "resident pages %s", residency(pages, 4));
}
END_TEST

LAB_TEST(touching_steps_by_the_page_size_from_sysconf, 2, "4.3", "the page size comes from sysconf")
{
    enum { REAL_PAGES = 64 };
    size_t page = real_page_size(), pretend = 4 * page;
    char *written = map_aligned(REAL_PAGES, pretend);
    char *read = map_aligned(REAL_PAGES, pretend);

    pretend_page_size = (long)pretend;
    warm_up(pretend);
    struct fault_counts wrote = touch("write", written, REAL_PAGES * page);
    struct fault_counts was_read = touch("read", read, REAL_PAGES * page);
    pretend_page_size = 0;
    ck_assert_msg(wrote.minor == REAL_PAGES / 4 && was_read.minor == REAL_PAGES / 4,
                  "with sysconf(_SC_PAGESIZE) made to return %zu, write_pages() and "
                  "read_pages() over %zu bytes should touch one byte every %zu bytes: %d "
                  "faults each on this machine of %zu-byte pages; they caused %ld and %ld. "
                  "Take the page size from sysconf(_SC_PAGESIZE), never 4096",
                  pretend, REAL_PAGES * page, pretend, REAL_PAGES / 4, page, wrote.minor,
                  was_read.minor);
    const char *resident = residency(written, 8);
    ck_assert_msg(strcmp(resident, "10001000") == 0,
                  "with %zu-byte pretend pages, the first 8 real pages after write_pages() are "
                  "resident as %s (mincore); expected 10001000", pretend, resident);
}
END_TEST

/* ---------- resident_pages ---------- */

LAB_TEST(resident_pages_matches_proc_self_statm, 1, "4.4", "")
{
    warm_up(real_page_size());
    long before = reference_resident();
    errno = 0;
    long resident = resident_pages();
    int saved_errno = errno;
    long after = reference_resident();
    ck_assert_msg(resident != -1, "resident_pages() returned -1 (errno %d: %s)", saved_errno,
                  strerror(saved_errno));
    ck_assert_msg(before <= resident && resident <= after,
                  "resident_pages() gave %ld; /proc/self/statm's second field was %ld just "
                  "before and %ld just after (the RSS in pages, not in kB)", resident, before,
                  after);
}
END_TEST

LAB_TEST(resident_pages_fails_with_the_errno_of_open, 1, "4.4", "keep the errno of the call that failed")
{
    warm_up(real_page_size());
    struct rlimit limit = lab_use_up_file_descriptors();
    errno = 0;
    long resident = resident_pages();
    int saved_errno = errno;
    lab_give_back_file_descriptors(&limit);
    expect_errno_of_open("resident_pages()", resident, saved_errno);
}
END_TEST

LAB_TEST(resident_pages_closes_the_statm_file, 1, "4.4", "close what you open")
{
    ck_assert_msg(resident_pages() > 0, "resident_pages() returned -1: %s", strerror(errno));
    int before = lab_open_descriptors();
    for (int i = 0; i < 100; i++)
        resident_pages();
    int after = lab_open_descriptors();
    ck_assert_msg(after == before, "after 100 calls of resident_pages() %d more files are "
                  "open: close /proc/self/statm before returning", after - before);
    make_reads_fail();
    long result = resident_pages();
    int saved_errno = errno;
    for (int i = 0; i < 99; i++)
        resident_pages();
    if (reads_work_again() == 0)
        return;         /* read through stdio: its reads cannot be made to fail */
    after = lab_open_descriptors();
    ck_assert_msg(result == -1 && saved_errno == EIO, "resident_pages(), whose read this test "
                  "made fail with EIO, returned %ld with errno %d (%s); expected -1 with "
                  "read's errno, EIO", result, saved_errno, strerror(saved_errno));
    ck_assert_msg(after == before, "after 100 calls of resident_pages() whose read failed, %d "
                  "more files are open: close /proc/self/statm on that way out too",
                  after - before);
}
END_TEST

LAB_TEST(resident_pages_grows_with_written_pages_but_not_with_the_zero_page, 1, "4.4", "")
{
    /* statm's counters were approximate before Linux 6.16: allow a quarter. */
    enum { PAGES = 256, SLACK = PAGES / 4 };
    size_t page = real_page_size();
    char *read = map_fresh(PAGES);
    char *written = map_fresh(PAGES);

    warm_up(page);
    long start = resident_pages();
    touch("read", read, PAGES * page);
    long after_read = resident_pages();
    touch("write", written, PAGES * page);
    long after_write = resident_pages();
    /* (Where the kernel gives a read a page of its own, RSS grows with reads too.) */
    ck_assert_msg(start > 0 && (after_read - start < SLACK || !kernel_maps_the_zero_page()),
                  "resident_pages() went from %ld to %ld when %d untouched pages were read; "
                  "expected about no growth (they all map the zero page)", start, after_read,
                  PAGES);
    ck_assert_msg(after_write - after_read > PAGES - SLACK &&
                  after_write - after_read < PAGES + SLACK,
                  "resident_pages() went from %ld to %ld when %d fresh pages were written; "
                  "expected it to grow by about %d", after_read, after_write, PAGES, PAGES);
}
END_TEST
