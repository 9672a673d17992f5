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
    (void)counts;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}

void *fresh_pages(size_t count)
{
    /* TODO (handout section 4.2): mmap count pages (the page size from
     * sysconf), private and anonymous, then madvise(MADV_NOHUGEPAGE). Return
     * NULL, not MAP_FAILED, when something fails (and unmap what you mapped). */
    (void)count;
    errno = ENOSYS;
    return NULL;
    /* END TODO */
}

int release_pages(void *pages, size_t count)
{
    /* TODO (handout section 4.2): munmap what fresh_pages(count) mapped. */
    (void)pages;
    (void)count;
    errno = ENOSYS;
    return -1;
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
    (void)start;
    (void)length;
    (void)caused;
    (void)faults_since;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}

int write_pages(void *start, size_t length, unsigned char value,
                struct fault_counts *caused)
{
    /* TODO (handout section 4.3): as read_pages(), but store value in the
     * first byte of every page. */
    (void)start;
    (void)length;
    (void)value;
    (void)caused;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}

long resident_pages(void)
{
    /* TODO (handout section 4.4): read /proc/self/statm with open and read
     * (not fopen: its buffer comes from malloc) and return its second field,
     * the resident set size in pages. */
    errno = ENOSYS;
    return -1;
    /* END TODO */
}
