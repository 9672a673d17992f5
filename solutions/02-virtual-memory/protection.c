/*
 * protection.c - vmlab protection: three accesses that the MMU refuses, each
 * turned by the kernel into SIGSEGV, caught with sigaction(SA_SIGINFO) and
 * left with siglongjmp:
 *
 *   kernel     reading an address in the kernel's half of the address space
 *   read-only  writing a page made read-only with mprotect
 *   guard      reading a PROT_NONE guard page
 *
 * The handler reports si_addr (the address that faulted) and si_code:
 * SEGV_MAPERR (nothing is mapped there) or SEGV_ACCERR (a mapping exists but
 * forbids this access).
 *
 * Handout: handouts/02-virtual-memory.md, section 5.2.
 */
#include "experiments.h"

#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

/* The first address of the upper (kernel) half on x86-64 and arm64. */
#define KERNEL_ADDRESS ((uintptr_t)0xffff800000000000ULL)

static sigjmp_buf recovery;                 /* where the handler jumps back to */
static void *volatile fault_address;        /* si_addr of the last SIGSEGV */
static volatile sig_atomic_t fault_code;    /* si_code of the last SIGSEGV */

static const char *code_name(int code)
{
    switch (code) {
    case SEGV_MAPERR: return "SEGV_MAPERR";
    case SEGV_ACCERR: return "SEGV_ACCERR";
    default:          return "other";
    }
}

/* One observation: "what: access address=0x... signal=..." */
static void report(const char *what, const char *access, const volatile void *address,
                   int faulted)
{
    printf("%s: %s address=%p", what, access, (const void *)address);
    if (faulted)
        printf(" signal=SIGSEGV si_addr=%p si_code=%s\n", fault_address,
               code_name(fault_code));
    else
        printf(" signal=none\n");
}

static void on_sigsegv(int signal_number, siginfo_t *info, void *context)
{
    /* TODO (handout section 5.2): keep si_addr and si_code in fault_address
     * and fault_code, then siglongjmp(recovery, 1). Never return: the
     * faulting instruction would run again, and fault again, forever. */
    (void)signal_number;
    (void)context;
    fault_address = info->si_addr;
    fault_code = info->si_code;
    /* Returning would run the faulting instruction again, and fault again,
     * forever. Jump back instead; sigsetjmp(..., 1) restores the signal mask,
     * which unblocks SIGSEGV for the next experiment. */
    siglongjmp(recovery, 1);
    /* END TODO */
}

/* Read or write the byte at address. Returns 1 if that raised SIGSEGV, else 0. */
static int access_faults(volatile char *address, int write)
{
    /* TODO (handout section 5.2): sigsetjmp(recovery, 1): 0 the first time;
     * then read or write *address. When the handler jumps back, sigsetjmp
     * returns 1 and so does this function. */
    if (sigsetjmp(recovery, 1) != 0)
        return 1;
    if (write)
        *address = 'w';
    else
        (void)*address;
    /* END TODO */
    return 0;
}

int protection_experiment(void)
{
    /* TODO (handout section 5.2): install on_sigsegv with sigaction and
     * SA_SIGINFO; print a header line; then report("kernel", "read", ...) on
     * KERNEL_ADDRESS; mmap two pages, write the first, mprotect it PROT_READ and
     * the second PROT_NONE; report a read and a write of the read-only page
     * ("read-only") and a read of the guard page ("guard"); munmap; print
     * "conclusion: ...". */
    size_t page_size = (size_t)sysconf(_SC_PAGESIZE);
    struct sigaction action = { 0 };
    char *pages;

    action.sa_sigaction = on_sigsegv;
    action.sa_flags = SA_SIGINFO;
    sigemptyset(&action.sa_mask);
    if (sigaction(SIGSEGV, &action, NULL) == -1) {
        perror("vmlab: sigaction");
        return EXIT_FAILURE;
    }
    printf("protection: three accesses that the MMU refuses, each caught as SIGSEGV\n");

    volatile char *kernel = (volatile char *)KERNEL_ADDRESS;
    report("kernel", "read", kernel, access_faults(kernel, 0));

    /* Two pages: the first becomes read-only, the second a guard page. */
    pages = mmap(NULL, 2 * page_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                 -1, 0);
    if (pages == MAP_FAILED) {
        perror("vmlab: mmap");
        return EXIT_FAILURE;
    }
    pages[100] = 'x';
    if (mprotect(pages, page_size, PROT_READ) == -1 ||
        mprotect(pages + page_size, page_size, PROT_NONE) == -1) {
        perror("vmlab: mprotect");
        munmap(pages, 2 * page_size);
        return EXIT_FAILURE;
    }
    report("read-only", "read", pages + 100, access_faults(pages + 100, 0));
    report("read-only", "write", pages + 100, access_faults(pages + 100, 1));
    report("guard", "read", pages + page_size, access_faults(pages + page_size, 0));
    if (munmap(pages, 2 * page_size) == -1) {
        perror("vmlab: munmap");
        return EXIT_FAILURE;
    }

    printf("conclusion: SEGV_MAPERR means no mapping holds the address (user code cannot "
           "see the kernel's half); SEGV_ACCERR means a mapping exists but its protection "
           "forbids the access. The process survives because the handler jumps away "
           "from the faulting instruction\n");
    return EXIT_SUCCESS;
    /* END TODO */
}
