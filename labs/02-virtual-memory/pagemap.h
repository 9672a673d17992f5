/*
 * pagemap.h - look up this process's page table through /proc/self/pagemap.
 *
 * /proc/self/pagemap holds one 64-bit entry per virtual page, in page order:
 * the entry of the page that holds address va is at byte offset
 * (va / page size) * 8. An entry's bits (Documentation/admin-guide/mm/pagemap.rst):
 *
 *   63     present: the page is in RAM
 *   62     swapped: the page is in swap
 *   61     file-page or shared-anonymous
 *   57-60  (other flags; this lab ignores them)
 *   56     exclusively mapped: this process is the page's only user
 *   55     soft-dirty: written since the soft-dirty bits were last cleared
 *   0-54   page frame number (PFN) when present; reads 0 without CAP_SYS_ADMIN
 *
 * Handout: handouts/02-virtual-memory.md, section 3.
 */
#ifndef PAGEMAP_H
#define PAGEMAP_H

#include <stdint.h>

struct page_info {
    uint64_t entry;         /* the raw 64-bit entry */
    int present;            /* bit 63 */
    int swapped;            /* bit 62 */
    int file_or_shared;     /* bit 61 */
    int exclusive;          /* bit 56 */
    int soft_dirty;         /* bit 55 */
    int frame_visible;      /* 1 when frame is the page's frame number; 0 when the
                               page is not present or the kernel hid the number */
    uint64_t frame;         /* bits 0-54 when frame_visible, else 0 */
};

/*
 * Fill every field of *info from the pagemap entry. A present page whose
 * frame number reads 0 has a hidden frame number (the reader lacks
 * CAP_SYS_ADMIN): frame_visible is 0, and the flag bits are still valid.
 */
void pagemap_decode(uint64_t entry, struct page_info *info);

/*
 * Read and decode the pagemap entry of the page that holds address, in this
 * process. Returns 0, or -1 with errno set: the errno of the failed call, or
 * EINVAL when the address is beyond the user address space (the read finds
 * no entry there).
 */
int pagemap_lookup(const void *address, struct page_info *info);

#endif
