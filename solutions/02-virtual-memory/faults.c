/*
 * faults.c - count page faults, get fresh pages, touch pages one by one.
 *
 * Handout: handouts/02-virtual-memory.md, section 4.
 */
#include "faults.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

int faults_now(struct fault_counts *counts)
{
    /* TODO (handout section 4.1): getrusage(RUSAGE_SELF, ...): ru_minflt, ru_majflt. */
    struct rusage usage;

    if (getrusage(RUSAGE_SELF, &usage) == -1)
        return -1;
    counts->minor = usage.ru_minflt;
    counts->major = usage.ru_majflt;
    return 0;
    /* END TODO */
}

void *fresh_pages(size_t count)
{
    /* TODO (handout section 4.2): mmap count pages (the page size from
     * sysconf), private and anonymous, then madvise(MADV_NOHUGEPAGE). Return
     * NULL, not MAP_FAILED, when something fails (and unmap what you mapped). */
    size_t length = count * (size_t)sysconf(_SC_PAGESIZE);
    void *pages;
    int saved_errno;

    pages = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (pages == MAP_FAILED)
        return NULL;
    if (madvise(pages, length, MADV_NOHUGEPAGE) == -1) {
        saved_errno = errno;
        munmap(pages, length);
        errno = saved_errno;
        return NULL;
    }
    return pages;
    /* END TODO */
}

int release_pages(void *pages, size_t count)
{
    /* TODO (handout section 4.2): munmap what fresh_pages(count) mapped. */
    return munmap(pages, count * (size_t)sysconf(_SC_PAGESIZE));
    /* END TODO */
}

/* Set *caused to the faults counted since before. */
static int faults_since(const struct fault_counts *before, struct fault_counts *caused)
{
    struct fault_counts after;

    if (faults_now(&after) == -1)
        return -1;
    caused->minor = after.minor - before->minor;
    caused->major = after.major - before->major;
    return 0;
}

int read_pages(const void *start, size_t length, struct fault_counts *caused)
{
    /* TODO (handout section 4.3): fail with EINVAL unless start is the first
     * byte of a page; count faults; read the byte at start + offset for every
     * offset = 0, page size, 2 * page size, ... below length, through a
     * volatile pointer; store the faults this caused (faults_since). */
    size_t page_size = (size_t)sysconf(_SC_PAGESIZE);
    const volatile unsigned char *bytes = start;
    struct fault_counts before;
    unsigned char sink = 0;

    if ((uintptr_t)start % page_size != 0) {
        errno = EINVAL;
        return -1;
    }
    if (faults_now(&before) == -1)
        return -1;
    for (size_t offset = 0; offset < length; offset += page_size)
        sink ^= bytes[offset];      /* volatile: the compiler must really read */
    (void)sink;
    return faults_since(&before, caused);
    /* END TODO */
}

int write_pages(void *start, size_t length, unsigned char value,
                struct fault_counts *caused)
{
    /* TODO (handout section 4.3): as read_pages(), but store value in the
     * first byte of every page. */
    size_t page_size = (size_t)sysconf(_SC_PAGESIZE);
    volatile unsigned char *bytes = start;
    struct fault_counts before;

    if ((uintptr_t)start % page_size != 0) {
        errno = EINVAL;
        return -1;
    }
    if (faults_now(&before) == -1)
        return -1;
    for (size_t offset = 0; offset < length; offset += page_size)
        bytes[offset] = value;
    return faults_since(&before, caused);
    /* END TODO */
}

long resident_pages(void)
{
    /* TODO (handout section 4.4): read /proc/self/statm with open and read
     * (not fopen: its buffer comes from malloc) and return its second field,
     * the resident set size in pages. */
    /* open and read, not fopen: fopen's buffer would come from malloc and
     * could itself add resident pages. */
    char text[128];
    long size, resident;
    ssize_t got;
    int fd, saved_errno;

    fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
    if (fd == -1)
        return -1;
    got = read(fd, text, sizeof text - 1);
    if (got == -1) {
        saved_errno = errno;
        close(fd);
        errno = saved_errno;
        return -1;
    }
    if (close(fd) == -1)
        return -1;
    text[got] = '\0';
    if (sscanf(text, "%ld %ld", &size, &resident) != 2) {
        errno = EINVAL;
        return -1;
    }
    return resident;
    /* END TODO */
}
