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
 * Parse one line of /proc/PID/maps, with or without its trailing newline
 * [spec:parse-newline-optional]. Returns 0 and fills every field of *region
 * [spec:parse-fields]: start and end as 64-bit numbers [spec:parse-64-bit];
 * the path is the rest of the line after the spaces that pad the inode,
 * spaces and " (deleted)" included [spec:parse-path-rest-of-line], and ""
 * for anonymous memory, whose line ends "0 " [spec:parse-anonymous-empty-path].
 *
 * Returns -1 with errno = EINVAL, and leaves *region undefined, when the line
 * is malformed [spec:parse-malformed-einval]: a field missing, empty or
 * followed by junk, a wrong separator, permissions other than [r-][w-][x-][ps];
 * when a number does not fit in 64 bits [spec:parse-number-overflow]; when
 * start >= end (a region holds at least one byte) [spec:parse-start-below-end];
 * or when the path does not fit in path[] with its '\0', that is, when it is
 * PATH_MAX bytes or longer [spec:parse-path-max].
 * Never reads past the '\0' that ends the line [spec:parse-stays-in-the-line].
 */
int maps_parse_line(const char *line, struct map_region *region);

/*
 * Find the region of process pid (0 means this process [spec:find-pid-0]) that
 * contains addr: start <= addr < end, the end is exclusive [spec:find-end-exclusive].
 * Lines of any length are read whole [spec:find-long-lines].
 * Returns 0 and fills *region. Returns -1 with errno set:
 *   ENOENT  no region contains addr [spec:find-not-found-enoent];
 *   the errno of the failed call when /proc/PID/maps cannot be opened or
 *           read: ENOENT when the process does not exist, EACCES when this
 *           process may not read its map [spec:find-open-errno];
 *   EINVAL  a line of the map does not parse [spec:find-malformed-einval].
 * On every return the file is closed and the line buffer freed
 * [spec:find-releases-everything].
 */
int maps_find(pid_t pid, uintptr_t addr, struct map_region *region);

#endif
