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
    (void)info;
    (void)context;
    /* END TODO */
}

/* Read or write the byte at address. Returns 1 if that raised SIGSEGV, else 0. */
static int access_faults(volatile char *address, int write)
{
    /* TODO (handout section 5.2): sigsetjmp(recovery, 1): 0 the first time;
     * then read or write *address. When the handler jumps back, sigsetjmp
     * returns 1 and so does this function. */
    (void)address;
    (void)write;
    (void)recovery;
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
    (void)on_sigsegv;
    (void)access_faults;
    (void)report;
    fprintf(stderr, "vmlab: protection_experiment() is not written yet "
                    "(TODO in protection.c, handouts/02-virtual-memory.md section 5.2)\n");
    return EXIT_FAILURE;
    /* END TODO */
}
