/*
 * vm_trace.c - vmlab_traced: vmlab linked with wrappers (ld --wrap) that
 * write what the experiments do to memory into the file named by the
 * environment variable VMLAB_TRACE, one line per event (without it they only
 * pass each call on):
 *
 *   read_pages start=0x... length=N
 *   write_pages start=0x... length=N
 *   munmap start=0x... length=N zero_pages=N|-
 *   pagemap_lookup address=0x...
 *   SIGSEGV si_addr=0x... access=read|write|unknown
 *   mmap start=0x... length=N
 *
 * zero_pages counts the pages of the range whose every byte is 0 when it is
 * unmapped ("-" for a range that read_pages or write_pages never had: it may
 * be unreadable). access is the kind of access that faulted, from the page
 * fault's error code in the signal's context (x86-64; "unknown" elsewhere):
 * the SIGSEGV handler of protection.c is called from a handler of the
 * trace's own, which sigaction() installs in its place.
 *
 * So a test can tell a pass that reads from one that writes on every kernel,
 * also where a read allocates a page of its own (no zero page: zero_page.h),
 * and a read from a write that faults the same way.
 *
 * VMLAB_FAIL=NAME:N makes the Nth call (from 1) of NAME - mmap, mprotect or
 * resident_pages - fail with ENOMEM, as on a machine out of memory: so a
 * test can take the ways out that a real run seldom takes (the message, the
 * exit status, the mappings released). A setting of another form stops the
 * program (status 125) with a message (lib/failspec.c reads it).
 */
#define _GNU_SOURCE
#include "failspec.h"
#include "faults.h"
#include "pagemap.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

int __real_read_pages(const void *start, size_t length, struct fault_counts *caused);
int __real_write_pages(void *start, size_t length, unsigned char value,
                       struct fault_counts *caused);
int __real_pagemap_lookup(const void *address, struct page_info *info);
int __real_munmap(void *address, size_t length);
int __real_sigaction(int signal_number, const struct sigaction *action,
                     struct sigaction *old);
void *__real_mmap(void *address, size_t length, int protection, int flags, int fd,
                  off_t offset);
int __real_mprotect(void *address, size_t length, int protection);
long __real_resident_pages(void);

static int trace_fd = -2;                   /* -2: not opened yet; -1: no trace */
static struct sigaction student_action;     /* what protection.c installed */

/* Up to 64 ranges given to read_pages or write_pages, so readable. */
static struct { const char *start; size_t length; } touched[64];
static int touched_count;

static int trace(void)
{
    if (trace_fd == -2) {
        const char *path = getenv("VMLAB_TRACE");
        trace_fd = path == NULL ? -1
                 : open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    }
    return trace_fd;
}

/* The calls that VMLAB_FAIL may name, and how many of each were made. */
enum { MMAP, MPROTECT, RESIDENT_PAGES, FAILING_NAMES };
static const char *const failing_names[FAILING_NAMES] = { "mmap", "mprotect", "resident_pages" };
static int calls[FAILING_NAMES];

/* Is this call of failing_names[which] the one that VMLAB_FAIL names? */
static int injected_failure(int which)
{
    static int failure_count = -1;          /* -1: VMLAB_FAIL not read yet */
    static struct failspec failure;

    if (failure_count == -1) {
        const char *setting = getenv("VMLAB_FAIL");
        failure_count = setting == NULL ? 0
                      : failspec_parse(setting, failing_names, FAILING_NAMES, &failure, 1);
        if (failure_count == -1 || (failure_count == 1 && failure.error != 0)) {
            fprintf(stderr, "vm_trace: VMLAB_FAIL=%s: expected NAME:N, NAME mmap, mprotect "
                    "or resident_pages\n", setting);
            exit(125);
        }
    }
    ++calls[which];
    if (failure_count == 0 || failure.name != which || failure.call != calls[which])
        return 0;
    errno = ENOMEM;
    return 1;
}

static void trace_line(const char *text, size_t length)
{
    if (trace() >= 0 && write(trace_fd, text, length) < 0)
        return;
}

static void remember(const void *start, size_t length)
{
    if (length > 0 && touched_count < 64) {
        touched[touched_count].start = start;
        touched[touched_count].length = length;
        touched_count++;
    }
}

/* After a call of read_pages or write_pages: remember and trace it. */
static int traced_touch(const char *name, const void *start, size_t length, int result)
{
    char line[128];

    if (trace() >= 0) {
        if (result == 0)
            remember(start, length);
        trace_line(line, (size_t)snprintf(line, sizeof line, "%s start=%p length=%zu\n",
                                          name, start, length));
    }
    return result;
}

int __wrap_read_pages(const void *start, size_t length, struct fault_counts *caused)
{
    return traced_touch("read_pages", start, length, __real_read_pages(start, length, caused));
}

int __wrap_write_pages(void *start, size_t length, unsigned char value,
                       struct fault_counts *caused)
{
    return traced_touch("write_pages", start, length,
                        __real_write_pages(start, length, value, caused));
}

int __wrap_pagemap_lookup(const void *address, struct page_info *info)
{
    char line[96];

    if (trace() >= 0)
        trace_line(line, (size_t)snprintf(line, sizeof line,
                                          "pagemap_lookup address=%p\n", address));
    return __real_pagemap_lookup(address, info);
}

/* The pages of [start, start + length) whose every byte is 0, or -1 when no
 * range read_pages or write_pages had starts there. */
static long zero_pages(const char *start, size_t length)
{
    size_t page_size = (size_t)sysconf(_SC_PAGESIZE);
    long zero = 0;
    int known = 0;

    for (int i = 0; i < touched_count; i++)
        known |= touched[i].start == start;
    if (!known)
        return -1;
    for (size_t offset = 0; offset < length; offset += page_size) {
        size_t size = length - offset < page_size ? length - offset : page_size;
        const char *page = start + offset;
        zero += page[0] == 0 && memcmp(page, page + 1, size - 1) == 0;
    }
    return zero;
}

int __wrap_munmap(void *address, size_t length)
{
    char line[160], count[32] = "-";

    if (trace() >= 0) {
        long zero = zero_pages(address, length);
        if (zero >= 0)
            snprintf(count, sizeof count, "%ld", zero);
        trace_line(line, (size_t)snprintf(line, sizeof line,
                                          "munmap start=%p length=%zu zero_pages=%s\n",
                                          address, length, count));
    }
    return __real_munmap(address, length);
}

void *__wrap_mmap(void *address, size_t length, int protection, int flags, int fd,
                  off_t offset)
{
    char line[96];
    void *result;

    if (injected_failure(MMAP))
        return MAP_FAILED;
    result = __real_mmap(address, length, protection, flags, fd, offset);
    if (result != MAP_FAILED && trace() >= 0)
        trace_line(line, (size_t)snprintf(line, sizeof line, "mmap start=%p length=%zu\n",
                                          result, length));
    return result;
}

int __wrap_mprotect(void *address, size_t length, int protection)
{
    if (injected_failure(MPROTECT))
        return -1;
    return __real_mprotect(address, length, protection);
}

long __wrap_resident_pages(void)
{
    if (injected_failure(RESIDENT_PAGES))
        return -1;
    return __real_resident_pages();
}

/* Async-signal-safe: "SIGSEGV si_addr=0x... access=...\n". */
static void on_sigsegv(int signal_number, siginfo_t *info, void *context)
{
    static const char digits[] = "0123456789abcdef";
    char line[96] = "SIGSEGV si_addr=0x";
    size_t length = strlen(line);
    uintptr_t address = (uintptr_t)info->si_addr;
    const char *access = "unknown";
    int shift = 60;

    while (shift > 0 && (address >> shift) == 0)
        shift -= 4;
    for (; shift >= 0; shift -= 4)
        line[length++] = digits[(address >> shift) & 0xf];
#if defined(__x86_64__)
    /* Bit 1 of the page fault's error code: the access was a write. */
    access = (((ucontext_t *)context)->uc_mcontext.gregs[REG_ERR] & 2) ? "write" : "read";
#endif
    memcpy(line + length, " access=", 8);
    length += 8;
    memcpy(line + length, access, strlen(access));
    length += strlen(access);
    line[length++] = '\n';
    trace_line(line, length);
    if (student_action.sa_flags & SA_SIGINFO)
        student_action.sa_sigaction(signal_number, info, context);
    else if (student_action.sa_handler != SIG_DFL && student_action.sa_handler != SIG_IGN)
        student_action.sa_handler(signal_number);
    else {
        signal(SIGSEGV, SIG_DFL);               /* fault again, as without the trace */
    }
}

int __wrap_sigaction(int signal_number, const struct sigaction *action,
                     struct sigaction *old)
{
    struct sigaction ours;

    if (signal_number != SIGSEGV || action == NULL || trace() < 0)
        return __real_sigaction(signal_number, action, old);
    ours = *action;
    if (!(action->sa_flags & SA_SIGINFO) &&
        (action->sa_handler == SIG_DFL || action->sa_handler == SIG_IGN))
        return __real_sigaction(signal_number, action, old);
    ours.sa_sigaction = on_sigsegv;
    ours.sa_flags |= SA_SIGINFO;
    if (__real_sigaction(signal_number, &ours, old) == -1)
        return -1;
    student_action = *action;
    return 0;
}
