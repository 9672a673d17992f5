/*
 * translate.c - vmlab translate: print the page-table entry behind one
 * virtual address of this process, as /proc/self/pagemap shows it.
 *
 * Handout: handouts/02-virtual-memory.md, section 5.5.
 */
#include "experiments.h"

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int translate_address(const void *address, const char *description)
{
    /* TODO (handout section 5.5): pagemap_lookup(address); on failure print
     * "vmlab: pagemap entry of ADDRESS: REASON" on stderr and fail. Else print
     * the lines "translate: ...", "address: ", "page: ", "entry: 0x%016...",
     * "present: ", "swapped: ", "file_or_shared: ", "exclusive: ",
     * "soft_dirty: " (yes or no), and "frame: 0x... (physical address 0x...)",
     * "frame: not-permitted (...)" or "frame: none (...)". */
    (void)address;
    (void)description;
    fprintf(stderr, "vmlab: translate_address() is not written yet "
                    "(TODO in translate.c, handouts/02-virtual-memory.md section 5.5)\n");
    return EXIT_FAILURE;
    /* END TODO */
}
