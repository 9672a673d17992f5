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
    SEG_LIBRARY,    /* any other file mapped: a shared library such as libc */
    SEG_STACK,      /* the main thread's stack: [stack] */
    SEG_KERNEL,     /* pages the kernel provides: [vdso], [vvar], [vvar_vclock], [vsyscall] */
};

/*
 * The segment that addr, an address in this process, belongs to. Decided in
 * this order (handout section 4.1):
 *   &edata <= addr < &end, whatever region holds it: SEG_BSS, also in the
 *       anonymous region that a large BSS spills into [spec:classify-bss-by-symbols];
 *   no region of /proc/self/maps holds addr: SEG_UNKNOWN [spec:classify-unmapped-unknown];
 *   the region's path is [heap]: SEG_HEAP [spec:classify-heap];
 *   [stack]: SEG_STACK [spec:classify-stack];
 *   [vdso], [vvar], [vvar_vclock] or [vsyscall]: SEG_KERNEL [spec:classify-kernel];
 *   "" or [anon:NAME]: SEG_MMAP [spec:classify-anonymous];
 *   the file of this program (/proc/self/exe): by permissions, x: SEG_TEXT,
 *       else w: SEG_DATA, else SEG_RODATA [spec:classify-program-by-perms];
 *   any other path that starts with '/': SEG_LIBRARY [spec:classify-other-file];
 *   anything else: SEG_UNKNOWN [spec:classify-other-unknown].
 */
enum segment classify_address(const void *addr);

/* "text", "rodata", ... or "unknown". */
const char *segment_name(enum segment segment);

#endif
