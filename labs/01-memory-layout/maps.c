/*
 * maps.c - parse /proc/PID/maps and find the region that holds an address.
 *
 * Handout: handouts/01-memory-layout.md, section 3.
 */
#include "maps.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* TODO (optional): helper functions of your own go here. */
/* END TODO */

int maps_parse_line(const char *line, struct map_region *region)
{
    /* TODO (handout section 3.2): split the line into its six fields and fill
     * *region. Return -1 with errno = EINVAL when a field is missing or
     * malformed, when start >= end, or when the path does not fit. */
    (void)line;
    (void)region;
    errno = ENOSYS;
    /* END TODO */
    return -1;
}

int maps_find(pid_t pid, uintptr_t addr, struct map_region *region)
{
    /* TODO (handout section 3.4): read /proc/self/maps (pid 0) or /proc/PID/maps
     * line by line, parse each line, and return the region whose range holds
     * addr. The end of a region is exclusive. No region: errno = ENOENT. */
    (void)pid;
    (void)addr;
    (void)region;
    errno = ENOSYS;
    return -1;
    /* END TODO */
}
