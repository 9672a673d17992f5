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
/* Read a hexadecimal number at *p (at least one digit) and move *p past it. */
static int parse_hex(const char **p, unsigned long long *value)
{
    const char *start = *p;
    char *after;

    if (!isxdigit((unsigned char)*start))
        return -1;
    errno = 0;
    *value = strtoull(start, &after, 16);
    if (errno != 0)
        return -1;
    *p = after;
    return 0;
}

/* Read a decimal number at *p (at least one digit) and move *p past it. */
static int parse_decimal(const char **p, unsigned long long *value)
{
    const char *start = *p;
    char *after;

    if (!isdigit((unsigned char)*start))
        return -1;
    errno = 0;
    *value = strtoull(start, &after, 10);
    if (errno != 0)
        return -1;
    *p = after;
    return 0;
}

/* Move *p past the character c; fail if it is not there. */
static int expect(const char **p, char c)
{
    if (**p != c)
        return -1;
    (*p)++;
    return 0;
}

static int valid_perms(const char *p)
{
    return (p[0] == 'r' || p[0] == '-') && (p[1] == 'w' || p[1] == '-') &&
           (p[2] == 'x' || p[2] == '-') && (p[3] == 'p' || p[3] == 's');
}
/* END TODO */

int maps_parse_line(const char *line, struct map_region *region)
{
    /* TODO (handout section 3.2): split the line into its six fields and fill
     * *region. Return -1 with errno = EINVAL when a field is missing or
     * malformed, when start >= end, or when the path does not fit. */
    const char *p = line;
    unsigned long long start, end, offset, major, minor, inode;
    size_t path_length;

    if (parse_hex(&p, &start) || expect(&p, '-') || parse_hex(&p, &end) ||
        expect(&p, ' '))
        goto malformed;
    if (start >= end)
        goto malformed;

    if (strnlen(p, 4) < 4 || !valid_perms(p))
        goto malformed;
    memcpy(region->perms, p, 4);
    region->perms[4] = '\0';
    p += 4;

    if (expect(&p, ' ') || parse_hex(&p, &offset) || expect(&p, ' ') ||
        parse_hex(&p, &major) || expect(&p, ':') || parse_hex(&p, &minor) ||
        expect(&p, ' ') || parse_decimal(&p, &inode))
        goto malformed;

    /* The path is everything after the spaces that pad the inode column. */
    if (*p != ' ' && *p != '\n' && *p != '\0')
        goto malformed;
    while (*p == ' ')
        p++;
    path_length = strcspn(p, "\n");
    if (path_length >= sizeof region->path)
        goto malformed;

    region->start = (uintptr_t)start;
    region->end = (uintptr_t)end;
    region->offset = (unsigned long)offset;
    region->dev_major = (unsigned int)major;
    region->dev_minor = (unsigned int)minor;
    region->inode = (unsigned long)inode;
    memcpy(region->path, p, path_length);
    region->path[path_length] = '\0';
    return 0;

malformed:
    errno = EINVAL;
    /* END TODO */
    return -1;
}

int maps_find(pid_t pid, uintptr_t addr, struct map_region *region)
{
    /* TODO (handout section 3.4): read /proc/self/maps (pid 0) or /proc/PID/maps
     * line by line, parse each line, and return the region whose range holds
     * addr. The end of a region is exclusive. No region: errno = ENOENT. */
    char filename[64];
    FILE *maps;
    char *line = NULL;
    size_t capacity = 0;
    int result = -1;
    int saved_errno = ENOENT;

    if (pid == 0)
        snprintf(filename, sizeof filename, "/proc/self/maps");
    else
        snprintf(filename, sizeof filename, "/proc/%d/maps", (int)pid);

    maps = fopen(filename, "r");
    if (maps == NULL)
        return -1;

    errno = 0;
    while (getline(&line, &capacity, maps) != -1) {
        if (maps_parse_line(line, region) == -1) {
            saved_errno = errno;
            break;
        }
        /* The end address belongs to the NEXT region: the test is start <= addr < end. */
        if (region->start <= addr && addr < region->end) {
            result = 0;
            break;
        }
    }
    if (result == -1 && ferror(maps))
        saved_errno = errno;

    free(line);
    fclose(maps);
    if (result == -1)
        errno = saved_errno;
    return result;
    /* END TODO */
}
