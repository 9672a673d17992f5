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
 * Fill every field of *info from the pagemap entry [spec:decode-every-field]:
 * entry is the raw value, and each flag is 0 or 1 [spec:decode-flags-0-or-1].
 * frame is bits 0-54 of a present page [spec:decode-frame-bits]; a present page
 * whose frame number reads 0 has a hidden frame number (the reader lacks
 * CAP_SYS_ADMIN): frame_visible is 0, frame is 0, and the flag bits are still
 * valid [spec:decode-hidden-frame]. A page that is not present has no frame:
 * frame 0, frame_visible 0, whatever its low bits say (a swapped page keeps
 * its place in swap there) [spec:decode-no-frame-when-absent].
 */
void pagemap_decode(uint64_t entry, struct page_info *info);

/*
 * Read and decode the pagemap entry of the page that holds address, in this
 * process: the entry at offset (address / page size) * 8 of
 * /proc/self/pagemap [spec:lookup-entry-of-the-page], with the page size from
 * sysconf(_SC_PAGESIZE) [spec:lookup-page-size-from-sysconf]. Any address in a
 * page gives that page's entry [spec:lookup-any-address-in-the-page].
 * Returns 0. Returns -1 with errno set:
 *   EINVAL  the address is beyond the user address space (the read finds
 *           no entry there) [spec:lookup-beyond-user-space-einval];
 *   the errno of open or pread when one of them fails [spec:lookup-errno-of-the-call].
 * The file is closed before every return [spec:lookup-closes-the-file].
 * Needs no privilege: without CAP_SYS_ADMIN the flags are right and the frame
 * is hidden [spec:lookup-unprivileged].
 */
int pagemap_lookup(const void *address, struct page_info *info);

#endif
