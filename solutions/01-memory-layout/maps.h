/*
 * maps.h - read the memory map of a process from /proc/PID/maps.
 *
 * Every line of /proc/PID/maps describes one region of the virtual address space:
 *
 *   55d0c8a01000-55d0c8a02000 r-xp 00001000 08:01 1234567    /home/you/layout
 *   start        end          perms offset  dev   inode      path
 *
 * Handout: handouts/01-memory-layout.md, section 3.
 */
#ifndef MAPS_H
#define MAPS_H

#include <limits.h>
#include <stdint.h>
#include <sys/types.h>

struct map_region {
    uintptr_t start;            /* first address of the region */
    uintptr_t end;              /* first address AFTER the region (exclusive) */
    char perms[5];              /* "r-xp": read, write, execute, private/shared */
    unsigned long offset;       /* offset in the mapped file */
    unsigned int dev_major;     /* device of the mapped file, e.g. 08:01 */
    unsigned int dev_minor;
    unsigned long inode;        /* inode of the mapped file, 0 when anonymous */
    char path[PATH_MAX];        /* file, [heap], [stack], [vdso], ... or "" */
};

/*
 * Parse one line of /proc/PID/maps (with or without its trailing newline).
 * Returns 0 and fills *region, or returns -1 with errno = EINVAL when the line
 * is malformed. Never reads past the end of the line.
 */
int maps_parse_line(const char *line, struct map_region *region);

/*
 * Find the region of process pid (0 means this process) that contains addr.
 * Returns 0 and fills *region; -1 with errno = ENOENT when no region contains
 * addr; -1 with the errno of the failed call when /proc/PID/maps cannot be read.
 */
int maps_find(pid_t pid, uintptr_t addr, struct map_region *region);

#endif
