/*
 * pagemap.c - read this process's page table entries from /proc/self/pagemap.
 *
 * Handout: handouts/02-virtual-memory.md, section 3.
 */
#include "pagemap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#define PAGEMAP_PRESENT         (UINT64_C(1) << 63)
#define PAGEMAP_SWAPPED         (UINT64_C(1) << 62)
#define PAGEMAP_FILE_OR_SHARED  (UINT64_C(1) << 61)
#define PAGEMAP_EXCLUSIVE       (UINT64_C(1) << 56)
#define PAGEMAP_SOFT_DIRTY      (UINT64_C(1) << 55)
#define PAGEMAP_FRAME_MASK      ((UINT64_C(1) << 55) - 1)

void pagemap_decode(uint64_t entry, struct page_info *info)
{
    /* TODO (handout section 3.2): set every field of *info from the bits of
     * entry. The frame is bits 0-54 of a present page; a present page whose
     * frame reads 0 has a hidden frame (section 3.4): frame_visible = 0. A page
     * that is not present has no frame: frame 0, frame_visible 0. */
    (void)entry;
    (void)info;
    /* END TODO */
}

int pagemap_lookup(const void *address, struct page_info *info)
{
    /* TODO (handout section 3.3): open /proc/self/pagemap, read the 8-byte
     * entry at offset (address / page size) * 8 with pread, close the file,
     * and decode the entry. The page size comes from sysconf(_SC_PAGESIZE).
     * A read of 0 bytes means no entry (beyond the user address space): EINVAL. */
    (void)address;
    (void)info;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}
