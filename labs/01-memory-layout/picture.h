/*
 * picture.h - draw the memory of this process as an SVG picture: the regions
 * of /proc/self/maps from the highest address at the top to the lowest, the
 * kernel's half above them, each region coloured by its segment (your
 * classify_address) and as high as log2 of its size, the unmapped gaps as
 * labelled breaks, and each object marked in its region.
 *
 * Given code: layout --svg FILE calls it. It reads the map with your
 * maps_parse_line and names segments with your classify_address, so the
 * picture is right as soon as they are.
 *
 * Handout: handouts/01-memory-layout.md, section 5.6.
 */
#ifndef PICTURE_H
#define PICTURE_H

struct picture_object {
    const char *name;
    const void *address;
};

/*
 * Write the picture of this process, with count objects marked, to the file
 * path (created or truncated). Returns 0, or -1 after printing
 * "layout: what: reason" on stderr.
 */
int picture_write(const char *path, const struct picture_object *objects, int count);

#endif
