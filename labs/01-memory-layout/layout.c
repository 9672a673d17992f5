/*
 * layout.c - print where each kind of object lives in this process's memory.
 *
 * Usage: layout [--maps] [--pause] [--svg FILE]
 *
 * One row per object, sorted by address:
 *
 *   SEGMENT  OBJECT                ADDRESS         REGION (from /proc/self/maps)
 *   text     main()                0x55d0c8a01139  55d0c8a01000-55d0c8a02000 r-xp /path/layout
 *
 * --maps      also print /proc/self/maps, each line followed by the objects it holds
 * --svg FILE  also draw this process's memory, with the objects, into FILE (picture.c)
 * --pause     then wait for Enter (or end of input), so that /proc/PID/maps can be
 *             read from another terminal
 *
 * Handout: handouts/01-memory-layout.md, section 5.
 */
#include "maps.h"
#include "picture.h"
#include "segment.h"

#include <errno.h>
#include <inttypes.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <unistd.h>

extern char **environ;
int main(int argc, char **argv);

/* One object of each kind. Where do you expect each one to live? */
int initialized_global = 42;
int zero_global = 0;
int uninitialized_global;
const int const_global = 7;
const char *string_literal = "a string literal";

enum { MAX_OBJECTS = 20, LARGE_SIZE = 1024 * 1024, MMAP_THRESHOLD = 128 * 1024 };

struct object {
    const char *name;       /* e.g. "main()" - no spaces */
    const void *address;
};

/* Memory that main() allocates for the table and frees at the end. */
struct allocations {
    void *small;            /* malloc(16): from the heap */
    void *large;            /* malloc(LARGE_SIZE): mmap'd by malloc */
    void *page;             /* one page from mmap() */
    size_t page_size;
};

static const int *static_local(void)
{
    static int calls = 1;
    return &calls;
}

/* Allocate a small block, a large block and one page. Returns 0 or -1. */
static int allocate_objects(struct allocations *allocations)
{
    /* TODO (handout section 5.2): fix malloc's mmap threshold with mallopt(),
     * malloc a small block (16 bytes) and a large one (LARGE_SIZE), and mmap
     * one page. */
    (void)allocations;
    fprintf(stderr, "layout: allocate_objects() is not written yet "
                    "(TODO in layout.c, handouts/01-memory-layout.md section 5.2)\n");
    return -1;
    /* END TODO */
}

static void release_objects(struct allocations *allocations)
{
    free(allocations->small);
    free(allocations->large);
    if (allocations->page != NULL && allocations->page != MAP_FAILED &&
        munmap(allocations->page, allocations->page_size) == -1)
        perror("layout: munmap");
}

/* Fill objects[] with one object of each kind. Returns how many. */
static int collect_objects(struct object *objects, const struct allocations *allocations,
                           const int *local_variable, char **argv)
{
    /* TODO (handout section 5.3): one entry per object kind, named as in the
     * handout: main(), string_literal, const_global, ..., environ, vdso. */
    (void)objects;
    (void)allocations;
    (void)local_variable;
    (void)argv;
    (void)static_local;
    fprintf(stderr, "layout: collect_objects() is not written yet "
                    "(TODO in layout.c, handouts/01-memory-layout.md section 5.3)\n");
    return -1;
    /* END TODO */
}

/* Print "start-end perms path" with the numbers as /proc/self/maps writes them. */
static void print_region(const struct map_region *region)
{
    printf("%08" PRIxPTR "-%08" PRIxPTR " %s", region->start, region->end, region->perms);
    if (region->path[0] != '\0')
        printf(" %s", region->path);
}

/* Print one row: segment, object, address, region. Returns 0 or -1. */
static int print_row(const struct object *object)
{
    /* TODO (handout section 5.4): look up the object's region with maps_find(),
     * then print its segment, name, address (%p) and region with print_region(). */
    (void)print_region;
    fprintf(stderr, "layout: print_row() is not written yet "
                    "(TODO in layout.c, handouts/01-memory-layout.md section 5.4)\n");
    (void)object;
    return -1;
    /* END TODO */
}

/* Print /proc/self/maps; after each line, the objects that live in it. */
static int print_annotated_maps(const struct object *objects, int count)
{
    /* TODO (handout section 5.5): print each line of THIS process's
     * /proc/self/maps, followed by "  <- " and the names of the objects whose
     * address lies in that line's region, separated by ", ". */
    (void)objects;
    (void)count;
    fprintf(stderr, "layout: print_annotated_maps() is not written yet "
                    "(TODO in layout.c, handouts/01-memory-layout.md section 5.5)\n");
    return -1;
    /* END TODO */
}

static int by_address(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)((const struct object *)a)->address;
    uintptr_t y = (uintptr_t)((const struct object *)b)->address;
    return (x > y) - (x < y);
}

static void usage(void)
{
    fprintf(stderr, "usage: layout [--maps] [--pause] [--svg FILE]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    int show_maps = 0, pause_at_end = 0;
    const char *svg_file = NULL;
    int local_variable = 0;
    struct allocations allocations = { NULL, NULL, NULL, 0 };
    struct object objects[MAX_OBJECTS];
    int count, status = EXIT_SUCCESS;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--maps") == 0)
            show_maps = 1;
        else if (strcmp(argv[i], "--pause") == 0)
            pause_at_end = 1;
        else if (strcmp(argv[i], "--svg") == 0 && i + 1 < argc)
            svg_file = argv[++i];
        else
            usage();
    }

    /* The first printf allocates stdout's buffer; do it before reading the maps. */
    printf("%-8s %-22s %14s  %s\n", "SEGMENT", "OBJECT", "ADDRESS", "REGION");

    if (allocate_objects(&allocations) == -1) {
        release_objects(&allocations);
        return EXIT_FAILURE;
    }
    count = collect_objects(objects, &allocations, &local_variable, argv);
    if (count <= 0) {
        release_objects(&allocations);
        return EXIT_FAILURE;
    }
    qsort(objects, (size_t)count, sizeof objects[0], by_address);

    for (int i = 0; i < count; i++)
        if (print_row(&objects[i]) == -1)
            status = EXIT_FAILURE;
    if (show_maps) {
        printf("\n");
        if (print_annotated_maps(objects, count) == -1)
            status = EXIT_FAILURE;
    }
    if (svg_file != NULL) {
        struct picture_object marks[MAX_OBJECTS];
        for (int i = 0; i < count; i++)
            marks[i] = (struct picture_object){ objects[i].name, objects[i].address };
        if (picture_write(svg_file, marks, count) == -1)
            status = EXIT_FAILURE;
    }

    if (pause_at_end) {
        if (fflush(stdout) == EOF)
            perror("layout: stdout");
        fprintf(stderr, "layout: paused (pid %d); press Enter to exit\n", (int)getpid());
        int c;
        while ((c = getchar()) != EOF && c != '\n')
            continue;
    }
    release_objects(&allocations);
    if (fflush(stdout) == EOF) {
        perror("layout: stdout");
        status = EXIT_FAILURE;
    }
    return status;
}
