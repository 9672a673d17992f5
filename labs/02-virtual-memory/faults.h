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

/* The faults this process has taken so far (getrusage(RUSAGE_SELF): ru_minflt
 * and ru_majflt) [spec:faults-now-getrusage]. Returns 0, or -1 with errno set. */
int faults_now(struct fault_counts *counts);

/*
 * A fresh private anonymous mapping of count pages, readable and writable
 * [spec:fresh-pages-mapping], with transparent huge pages turned off
 * (MADV_NOHUGEPAGE) [spec:fresh-pages-no-huge-pages], so that the first touch
 * of every page faults on its own. Never memory used before: not from malloc
 * [spec:fresh-pages-never-recycled]. Returns the first page, or NULL (never
 * MAP_FAILED) with errno set [spec:fresh-pages-null-on-failure]; when madvise
 * fails, the mapping is unmapped first [spec:fresh-pages-madvise-failure].
 */
void *fresh_pages(size_t count);

/* Unmap count pages from fresh_pages() [spec:release-pages-unmaps]. Returns 0, or
 * -1 with munmap's errno (EINVAL when pages is not the start of a page)
 * [spec:release-pages-errno]. */
int release_pages(void *pages, size_t count);

/*
 * Read (read_pages) or write value to (write_pages) the first byte of every
 * page from start up to start + length [spec:touch-first-byte-of-every-page],
 * and store in *caused the faults that this caused, counted just around the
 * touching [spec:touch-counts-its-own-faults]. start must be the first byte
 * of a page, else -1 with EINVAL before anything is touched
 * [spec:touch-unaligned-einval]; a partial last page is touched too
 * [spec:touch-partial-last-page]; a length of 0 touches nothing and stores 0
 * faults [spec:touch-length-0]. Pages are steps of sysconf(_SC_PAGESIZE)
 * [spec:touch-page-size-from-sysconf]. read_pages only reads: it works on
 * read-only memory and changes no byte [spec:read-pages-only-reads].
 * Returns 0 or -1 with errno set.
 */
int read_pages(const void *start, size_t length, struct fault_counts *caused);
int write_pages(void *start, size_t length, unsigned char value,
                struct fault_counts *caused);

/* This process's resident set size in pages: the second field of
 * /proc/self/statm [spec:resident-pages-statm], read with open and read, not
 * fopen (whose buffer comes from malloc) [spec:resident-pages-no-malloc].
 * Returns -1 with the errno of the call that failed [spec:resident-pages-errno]. */
long resident_pages(void);

#endif
