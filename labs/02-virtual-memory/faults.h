/*
 * faults.h - count the page faults that touching memory causes.
 *
 * A minor fault is one the kernel resolves without I/O: it maps a page that
 * is already in RAM (the zero page, a page-cache page) or a newly zeroed
 * frame. A major fault waits for a disk read (swap or a file).
 *
 * Page sizes come from sysconf(_SC_PAGESIZE), never from the number 4096:
 * pages are 16 KiB or 64 KiB on some machines.
 *
 * Handout: handouts/02-virtual-memory.md, section 4.
 */
#ifndef FAULTS_H
#define FAULTS_H

#include <stddef.h>

struct fault_counts {
    long minor;             /* faults resolved without I/O */
    long major;             /* faults that waited for I/O */
};

/* The faults this process has taken so far (getrusage). Returns 0 or -1. */
int faults_now(struct fault_counts *counts);

/*
 * A fresh private anonymous mapping of count pages, readable and writable,
 * with transparent huge pages turned off (MADV_NOHUGEPAGE), so that the first
 * touch of every page faults on its own. Never memory used before. Returns
 * the first page, or NULL with errno set.
 */
void *fresh_pages(size_t count);

/* Unmap count pages from fresh_pages(). Returns 0 or -1. */
int release_pages(void *pages, size_t count);

/*
 * Read (read_pages) or write value to (write_pages) the first byte of every
 * page from start up to start + length, and store in *caused the faults that
 * this caused. start must be the first byte of a page (else EINVAL); a partial
 * last page is touched too. Returns 0 or -1 with errno set.
 */
int read_pages(const void *start, size_t length, struct fault_counts *caused);
int write_pages(void *start, size_t length, unsigned char value,
                struct fault_counts *caused);

/* This process's resident set size in pages (/proc/self/statm), or -1. */
long resident_pages(void);

#endif
