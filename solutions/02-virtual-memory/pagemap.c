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
    info->entry = entry;
    info->present = (entry & PAGEMAP_PRESENT) != 0;
    info->swapped = (entry & PAGEMAP_SWAPPED) != 0;
    info->file_or_shared = (entry & PAGEMAP_FILE_OR_SHARED) != 0;
    info->exclusive = (entry & PAGEMAP_EXCLUSIVE) != 0;
    info->soft_dirty = (entry & PAGEMAP_SOFT_DIRTY) != 0;
    /* Without CAP_SYS_ADMIN the kernel writes 0 where the frame number goes:
     * no present page lives in frame 0, so 0 means "hidden", not "frame 0". */
    info->frame = info->present ? entry & PAGEMAP_FRAME_MASK : 0;
    info->frame_visible = info->frame != 0;
    /* END TODO */
}

int pagemap_lookup(const void *address, struct page_info *info)
{
    /* TODO (handout section 3.3): open /proc/self/pagemap, read the 8-byte
     * entry at offset (address / page size) * 8 with pread, close the file,
     * and decode the entry. The page size comes from sysconf(_SC_PAGESIZE).
     * A read of 0 bytes means no entry (beyond the user address space): EINVAL. */
    uint64_t page_size = (uint64_t)sysconf(_SC_PAGESIZE);
    uint64_t page_number = (uintptr_t)address / page_size;
    off_t offset = (off_t)(page_number * sizeof(uint64_t));
    uint64_t entry;
    ssize_t got;
    int fd, saved_errno;

    fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    if (fd == -1)
        return -1;
    got = pread(fd, &entry, sizeof entry, offset);
    if (got == -1) {
        saved_errno = errno;
        close(fd);
        errno = saved_errno;
        return -1;
    }
    if (close(fd) == -1)
        return -1;
    if (got != (ssize_t)sizeof entry) {
        errno = EINVAL;         /* no entry there: beyond the user address space */
        return -1;
    }
    pagemap_decode(entry, info);
    return 0;
    /* END TODO */
}
