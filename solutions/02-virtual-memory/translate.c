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
    uint64_t page_size = (uint64_t)sysconf(_SC_PAGESIZE);
    uint64_t offset = (uintptr_t)address % page_size;
    struct page_info info;

    if (pagemap_lookup(address, &info) == -1) {
        fprintf(stderr, "vmlab: pagemap entry of %p: %s\n", address, strerror(errno));
        return EXIT_FAILURE;
    }
    printf("translate: the page-table entry of %p (%s)\n", address, description);
    printf("address: %p\n", address);
    printf("page: %#" PRIx64 " (page size %" PRIu64 ", offset %" PRIu64 ")\n",
           (uint64_t)(uintptr_t)address - offset, page_size, offset);
    printf("entry: 0x%016" PRIx64 "\n", info.entry);
    printf("present: %s\n", yes_no(info.present));
    printf("swapped: %s\n", yes_no(info.swapped));
    printf("file_or_shared: %s\n", yes_no(info.file_or_shared));
    printf("exclusive: %s\n", yes_no(info.exclusive));
    printf("soft_dirty: %s\n", yes_no(info.soft_dirty));
    if (info.frame_visible)
        printf("frame: %#" PRIx64 " (physical address %#" PRIx64 ")\n", info.frame,
               info.frame * page_size + offset);
    else if (info.present)
        printf("frame: not-permitted (the kernel shows frame numbers only with "
               "CAP_SYS_ADMIN)\n");
    else
        printf("frame: none (the page is not in RAM)\n");
    return EXIT_SUCCESS;
    /* END TODO */
}
