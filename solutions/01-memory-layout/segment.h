/*
 * segment.h - name the part of the memory layout an address of THIS process
 * lives in: text, rodata, data, bss, heap, mmap, library, stack or kernel.
 *
 * Handout: handouts/01-memory-layout.md, section 4.
 */
#ifndef SEGMENT_H
#define SEGMENT_H

enum segment {
    SEG_UNKNOWN,    /* no region contains the address, or none of the below */
    SEG_TEXT,       /* machine code of the program */
    SEG_RODATA,     /* read-only data of the program: string literals, const globals */
    SEG_DATA,       /* initialized global and static variables */
    SEG_BSS,        /* zero-initialized and uninitialized global and static variables */
    SEG_HEAP,       /* memory from brk(): [heap] */
    SEG_MMAP,       /* anonymous mappings: mmap(), large malloc(), thread stacks */
    SEG_LIBRARY,    /* any part of a shared library such as libc */
    SEG_STACK,      /* the main thread's stack: [stack] */
    SEG_KERNEL,     /* pages the kernel provides: [vdso], [vvar], [vsyscall] */
};

/* The segment that addr, an address in this process, belongs to. */
enum segment classify_address(const void *addr);

/* "text", "rodata", ... or "unknown". */
const char *segment_name(enum segment segment);

#endif
