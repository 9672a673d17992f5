/*
 * picture.c - layout --svg FILE: an SVG picture of this process's memory
 * (picture.h). Given code: you do not need to change it.
 *
 * The picture is a column of bands, the highest address at the top: the
 * kernel's half, then every region of /proc/self/maps. A band is
 * HEIGHT_PER_BIT * log2(size) pixels high, so a page and a gigabyte both fit;
 * an unmapped gap between two regions is a break of fixed height, labelled
 * with its size. An object is marked inside its band at the height that its
 * offset in the region gives, and labelled on the right.
 *
 * Every band and object carries its numbers as attributes (data-start,
 * data-end, data-address, data-segment), so that a test can check the drawing.
 *
 * Handout: handouts/01-memory-layout.md, section 5.6.
 */
#include "picture.h"
#include "maps.h"
#include "segment.h"

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KERNEL_START ((uintptr_t)0xffff800000000000ULL)   /* the kernel's half, to 2^64 */
#define USER_END ((uintptr_t)0x0000800000000000ULL)       /* the end of the user's half */

enum {
    MAX_BANDS = 256,        /* regions drawn; a longer map is cut (and says so) */
    WIDTH = 860,
    ADDRESS_X = 10,         /* left column: the addresses of the edges */
    BAND_X = 140,
    BAND_WIDTH = 310,
    LABEL_X = 490,          /* right column: the objects */
    TOP = 78,               /* below the title and the legend */
    BREAK_HEIGHT = 24,
    LINE_HEIGHT = 14,       /* between two labels of objects */
};

static const double HEIGHT_PER_BIT = 2.0;      /* pixels per doubling of a size */

struct band {
    uintptr_t start, end;   /* end is exclusive; the kernel's half ends at 0 (2^64) */
    char perms[5];
    char name[64];          /* the file name without its folders, [heap], ... or "" */
    enum segment segment;
    double top, bottom;     /* y of the upper (higher address) and lower edges */
};

struct mark {
    const struct picture_object *object;
    const struct band *band;        /* NULL when no region holds the object */
    enum segment segment;           /* classify_address() of the object */
};

static const char *const colours[] = {
    [SEG_UNKNOWN] = "#e9ecef", [SEG_TEXT] = "#f4a259",  [SEG_RODATA] = "#f7d488",
    [SEG_DATA] = "#8ac926",    [SEG_BSS] = "#c5e99b",   [SEG_HEAP] = "#5bc0eb",
    [SEG_MMAP] = "#a0c4ff",    [SEG_LIBRARY] = "#cdb4db", [SEG_STACK] = "#ff8fa3",
    [SEG_KERNEL] = "#adb5bd",
};

/* log2(size) for size >= 1, without libm: the whole part from the highest
 * bit, the fraction bit by bit by squaring the mantissa. */
static double log2_of(uint64_t size)
{
    double mantissa, fraction = 0;
    int bits = 0;

    for (uint64_t rest = size; rest > 1; rest >>= 1)
        bits++;
    mantissa = (double)size / (double)((uint64_t)1 << bits);
    for (double bit = 0.5; bit > 1e-6; bit /= 2) {
        mantissa *= mantissa;
        if (mantissa >= 2) {
            mantissa /= 2;
            fraction += bit;
        }
    }
    return bits + fraction;
}

/* "4 KiB", "1.3 MiB", "41 TiB": size in the largest unit below it. */
static const char *human_size(uint64_t size, char *text, size_t length)
{
    static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
    double value = (double)size;
    int unit = 0;

    while (value >= 1024 && unit < 6) {
        value /= 1024;
        unit++;
    }
    snprintf(text, length, value < 10 && unit > 0 ? "%.1f %s" : "%.0f %s", value, units[unit]);
    return text;
}

/* Write text with &, <, >, " and ' escaped. */
static void put_escaped(FILE *svg, const char *text)
{
    for (; *text != '\0'; text++) {
        switch (*text) {
        case '&':  fputs("&amp;", svg); break;
        case '<':  fputs("&lt;", svg); break;
        case '>':  fputs("&gt;", svg); break;
        case '"':  fputs("&quot;", svg); break;
        case '\'': fputs("&apos;", svg); break;
        default:   fputc(*text, svg); break;
        }
    }
}

/* The regions of /proc/self/maps, lowest first. Returns how many, or -1. */
static int read_bands(struct band *bands, int *cut)
{
    FILE *maps = fopen("/proc/self/maps", "r");
    char *line = NULL;
    size_t capacity = 0;
    ssize_t length;
    int count = 0;

    *cut = 0;
    if (maps == NULL) {
        perror("layout: picture: /proc/self/maps");
        return -1;
    }
    while ((length = getline(&line, &capacity, maps)) != -1) {
        struct map_region region;
        if (length > 0 && line[length - 1] == '\n')
            line[length - 1] = '\0';
        if (maps_parse_line(line, &region) == -1) {
            fprintf(stderr, "layout: picture: cannot parse the maps line '%s': %s\n", line,
                    strerror(errno));
            count = -1;
            break;
        }
        if (count == MAX_BANDS) {
            (*cut)++;
            continue;
        }
        struct band *band = &bands[count++];
        const char *slash = strrchr(region.path, '/');
        band->start = region.start;
        band->end = region.end;
        memcpy(band->perms, region.perms, sizeof band->perms);
        snprintf(band->name, sizeof band->name, "%.*s", (int)sizeof band->name - 1,
                 slash != NULL && region.path[0] == '/' ? slash + 1 : region.path);
    }
    free(line);
    fclose(maps);
    return count;
}

static double band_height(const struct band *band)
{
    return HEIGHT_PER_BIT * log2_of(band->end - band->start);
}

/* An edge's address in the left column, at height y. */
static void put_edge(FILE *svg, double y, uintptr_t address)
{
    fprintf(svg, "<text class=\"edge\" x=\"%d\" y=\"%.1f\">%016" PRIxPTR "</text>\n",
            ADDRESS_X, y + 3.5, address);
}

/* A break for the unmapped addresses from low to high (high exclusive, 0 for 2^64). */
static double put_break(FILE *svg, double y, uintptr_t low, uintptr_t high, const char *what)
{
    char size[32];
    double middle = y + BREAK_HEIGHT / 2.0;

    fprintf(svg, "<g class=\"gap\" data-start=\"0x%" PRIxPTR "\" data-end=\"0x%" PRIxPTR "\">\n",
            low, high);
    fprintf(svg, "<path d=\"M%d %.1f l10 -4 l10 8 l10 -8 l10 8 l10 -4\" class=\"zigzag\"/>\n",
            BAND_X - 25, middle);
    fprintf(svg, "<text x=\"%d\" y=\"%.1f\" class=\"gap-text\">%s: %s</text>\n</g>\n",
            BAND_X + 35, middle + 4, what, human_size(high - low, size, sizeof size));
    return y + BREAK_HEIGHT;
}

/* A region's band, with inside: its segment, permissions, name and size. */
static void put_band(FILE *svg, const struct band *band, const char *inside)
{
    char size[32];

    fprintf(svg, "<g class=\"region\" data-start=\"0x%" PRIxPTR "\" data-end=\"0x%" PRIxPTR
            "\" data-segment=\"%s\" data-top=\"%.1f\" data-bottom=\"%.1f\">\n", band->start,
            band->end, segment_name(band->segment), band->top, band->bottom);
    fprintf(svg, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\"/>\n",
            BAND_X, band->top, BAND_WIDTH, band->bottom - band->top, colours[band->segment]);
    fprintf(svg, "<text x=\"%d\" y=\"%.1f\">", BAND_X + 6, (band->top + band->bottom) / 2 + 4);
    put_escaped(svg, inside);
    fprintf(svg, " (%s)</text>\n</g>\n", human_size(band->end - band->start, size, sizeof size));
}

/* Place every region below y; returns the y below the lowest. */
static double put_regions(FILE *svg, struct band *bands, int count, double y)
{
    uintptr_t above = USER_END;     /* the start of the band drawn last */

    for (int i = count - 1; i >= 0; i--) {
        struct band *band = &bands[i];
        if (band->start >= KERNEL_START)
            continue;               /* [vsyscall]: inside the kernel's band */
        if (band->end < above) {
            y = put_break(svg, y, band->end, above, "unmapped");
            put_edge(svg, y, band->end);
        }
        band->top = y;
        band->bottom = y + band_height(band);
        band->segment = classify_address((const void *)band->start);
        char inside[100];
        snprintf(inside, sizeof inside, "%s %s %s", segment_name(band->segment), band->perms,
                 band->name[0] != '\0' ? band->name : "anonymous");
        put_band(svg, band, inside);
        put_edge(svg, band->bottom, band->start);
        y = band->bottom;
        above = band->start;
    }
    if (above > 0) {
        y = put_break(svg, y, 0, above, "unmapped");
        put_edge(svg, y, 0);
    }
    return y;
}

/* The kernel's half at the top, naming the regions of the map that lie in it. */
static double put_kernel(FILE *svg, struct band *kernel, const struct band *bands, int count,
                         double y)
{
    char inside[200] = "kernel space, no access";

    for (int i = 0; i < count; i++) {
        if (bands[i].start >= KERNEL_START) {
            size_t used = strlen(inside);
            snprintf(inside + used, sizeof inside - used, "; %s at %" PRIxPTR, bands[i].name,
                     bands[i].start);
        }
    }
    *kernel = (struct band){ .start = KERNEL_START, .end = 0, .perms = "----",
                             .segment = SEG_KERNEL, .top = y };
    kernel->bottom = y + band_height(kernel);
    put_edge(svg, y, UINTPTR_MAX);
    put_band(svg, kernel, inside);
    put_edge(svg, kernel->bottom, KERNEL_START);
    y = put_break(svg, kernel->bottom, USER_END, KERNEL_START, "not valid addresses");
    put_edge(svg, y, USER_END);
    return y;
}

/* Higher addresses first. */
static int by_address_down(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)((const struct mark *)a)->object->address;
    uintptr_t y = (uintptr_t)((const struct mark *)b)->object->address;
    return (x < y) - (x > y);
}

/* Mark each object in its band and label it on the right; returns the lowest y used. */
static double put_objects(FILE *svg, struct mark *marks, int count, const struct band *bands,
                          int bands_count, const struct band *kernel, double y)
{
    double label_y = TOP;

    for (int i = 0; i < count; i++) {
        uintptr_t address = (uintptr_t)marks[i].object->address;
        marks[i].segment = classify_address(marks[i].object->address);
        marks[i].band = address >= KERNEL_START ? kernel : NULL;
        for (int b = 0; b < bands_count && marks[i].band == NULL; b++)
            if (bands[b].start <= address && address < bands[b].end && address < KERNEL_START)
                marks[i].band = &bands[b];
    }
    qsort(marks, (size_t)count, sizeof marks[0], by_address_down);
    for (int i = 0; i < count; i++) {
        const struct band *band = marks[i].band;
        uintptr_t address = (uintptr_t)marks[i].object->address;
        if (band == NULL)
            continue;
        double share = (double)(address - band->start) / (double)(band->end - band->start);
        double marker = band->bottom - share * (band->bottom - band->top);
        marker = marker < band->top + 1 ? band->top + 1 : marker;
        marker = marker > band->bottom - 1 ? band->bottom - 1 : marker;
        label_y = marker > label_y + LINE_HEIGHT ? marker : label_y + LINE_HEIGHT;
        fprintf(svg, "<g class=\"object\" data-address=\"%p\" data-segment=\"%s\" "
                "data-marker-y=\"%.1f\" data-name=\"", marks[i].object->address,
                segment_name(marks[i].segment), marker);
        put_escaped(svg, marks[i].object->name);
        fprintf(svg, "\">\n<path d=\"M%d %.1f l8 -4 v8 z\" class=\"marker\"/>\n",
                BAND_X + BAND_WIDTH, marker);
        fprintf(svg, "<polyline points=\"%d,%.1f %d,%.1f %d,%.1f\" class=\"leader\"/>\n",
                BAND_X + BAND_WIDTH + 8, marker, LABEL_X - 14, label_y - 4, LABEL_X - 4,
                label_y - 4);
        fprintf(svg, "<rect x=\"%d\" y=\"%.1f\" width=\"9\" height=\"9\" fill=\"%s\"/>\n",
                LABEL_X, label_y - 8.5, colours[marks[i].segment]);
        fprintf(svg, "<text x=\"%d\" y=\"%.1f\">", LABEL_X + 13, label_y);
        put_escaped(svg, marks[i].object->name);
        fprintf(svg, " <tspan class=\"address\">%p</tspan></text>\n</g>\n",
                marks[i].object->address);
    }
    y = label_y > y ? label_y : y;
    for (int i = 0; i < count; i++) {
        if (marks[i].band != NULL)
            continue;
        y += LINE_HEIGHT;
        fprintf(svg, "<text x=\"%d\" y=\"%.1f\" class=\"lost\">no region holds ", ADDRESS_X, y);
        put_escaped(svg, marks[i].object->name);
        fprintf(svg, " at %p</text>\n", marks[i].object->address);
    }
    return y;
}

static void put_header(FILE *svg, int height)
{
    fprintf(svg, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
            "viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans Mono, monospace\" font-size=\"11\">\n",
            WIDTH, height, WIDTH, height);
    fputs("<style>.edge{fill:#495057;font-size:10px} .gap-text{fill:#6c757d;font-style:italic}"
          " .zigzag{fill:none;stroke:#6c757d;stroke-width:1.5} rect{stroke:#343a40;stroke-width:0.6}"
          " .marker{fill:#d00000} .leader{fill:none;stroke:#d00000;stroke-width:0.8}"
          " .address{fill:#495057} .lost{fill:#d00000} .title{font-size:14px;font-weight:bold}"
          "</style>\n", svg);
    fprintf(svg, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"white\" stroke=\"none\"/>\n",
            WIDTH, height);
    fprintf(svg, "<text x=\"%d\" y=\"20\" class=\"title\">The memory of this process, highest "
            "address at the top</text>\n", ADDRESS_X);
    fprintf(svg, "<text x=\"%d\" y=\"37\">A band's height is %.0f px per doubling of the "
            "region's size (log2); breaks are unmapped gaps.</text>\n", ADDRESS_X,
            HEIGHT_PER_BIT);
    for (int s = SEG_TEXT; s <= SEG_KERNEL; s++) {
        int x = ADDRESS_X + (s - SEG_TEXT) * 88;
        fprintf(svg, "<rect x=\"%d\" y=\"47\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                "<text x=\"%d\" y=\"57\">%s</text>\n", x, colours[s], x + 16,
                segment_name((enum segment)s));
    }
}

int picture_write(const char *path, const struct picture_object *objects, int count)
{
    struct band bands[MAX_BANDS], kernel;
    struct mark *marks = calloc((size_t)(count > 0 ? count : 1), sizeof *marks);
    char *body = NULL;
    size_t body_size = 0;
    int bands_count, cut, status = 0;
    FILE *svg, *drawing;
    double y;

    if (marks == NULL) {
        perror("layout: picture");
        return -1;
    }
    for (int i = 0; i < count; i++)
        marks[i].object = &objects[i];
    bands_count = read_bands(bands, &cut);
    /* The body first, in memory: the picture's height is known only at the end. */
    drawing = bands_count == -1 ? NULL : open_memstream(&body, &body_size);
    if (drawing == NULL) {
        if (bands_count != -1)
            perror("layout: picture");
        free(marks);
        return -1;
    }
    y = put_kernel(drawing, &kernel, bands, bands_count, TOP);
    y = put_regions(drawing, bands, bands_count, y);
    y = put_objects(drawing, marks, count, bands, bands_count, &kernel, y);
    if (cut > 0)
        fprintf(drawing, "<text x=\"%d\" y=\"%.1f\" class=\"lost\">%d more regions are "
                "not drawn</text>\n", ADDRESS_X, y += LINE_HEIGHT, cut);
    free(marks);
    if (fclose(drawing) == EOF) {
        perror("layout: picture");
        free(body);
        return -1;
    }

    svg = fopen(path, "w");
    if (svg == NULL) {
        fprintf(stderr, "layout: %s: %s\n", path, strerror(errno));
        free(body);
        return -1;
    }
    put_header(svg, (int)y + 20);
    fwrite(body, 1, body_size, svg);
    fputs("</svg>\n", svg);
    free(body);
    if (ferror(svg)) {
        fprintf(stderr, "layout: %s: write error\n", path);
        status = -1;
    }
    if (fclose(svg) == EOF) {
        fprintf(stderr, "layout: %s: %s\n", path, strerror(errno));
        status = -1;
    }
    return status;
}
