/*
 * zero_page.h - does this kernel map the shared zero page when a program
 * reads a page of private anonymous memory that it never wrote?
 *
 * Linux does (the reads of lab 02's demand paging cost no memory), but some
 * kernels do not: on a Firecracker VM's 6.18 kernel a read fault allocates a
 * page of its own, exclusive and counted in RSS, exactly like a write. The
 * tests of what the zero page promises skip there, and say why.
 * Used by check_vm.c and zero_page_probe.c (for the Bats tests).
 */
#ifndef ZERO_PAGE_H
#define ZERO_PAGE_H

#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#define NO_ZERO_PAGE_HERE "this kernel does not map the shared zero page for a read " \
    "(a read of an untouched page allocates a page of its own, like a write), so what " \
    "the zero page promises cannot be seen here; the handout's section 5.3 explains"

/* 1 when a read maps the zero page (present, not exclusive), 0 when it does
 * not, 1 too when it cannot tell (then the tests say what they see). */
static inline int kernel_maps_the_zero_page(void)
{
    long page = sysconf(_SC_PAGESIZE);
    uint64_t entry = 0;
    int fd, answer = 1;
    char *pages = mmap(NULL, 2 * (size_t)page, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    if (pages == MAP_FAILED)
        return 1;
    (void)*(volatile char *)pages;
    fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    if (fd != -1) {
        off_t offset = (off_t)((uintptr_t)pages / (uintptr_t)page * sizeof entry);
        if (pread(fd, &entry, sizeof entry, offset) == (ssize_t)sizeof entry)
            answer = !((entry >> 63) & 1) || !((entry >> 56) & 1);
        close(fd);
    }
    munmap(pages, 2 * (size_t)page);
    return answer;
}

#endif
