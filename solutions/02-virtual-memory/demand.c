/*
 * demand.c - vmlab demand: memory is given on demand, one page at a time.
 *
 * Two fresh mappings of DEMAND_PAGES pages each:
 *   - the first is only read: every page costs a minor fault, and each is
 *     mapped to the one shared zero page, so RSS does not grow;
 *   - the second is written twice: the first pass costs one minor fault per
 *     page and RSS grows by one page per page written; the second pass costs
 *     nothing, because the pages are now in the page table.
 *
 * Handout: handouts/02-virtual-memory.md, section 5.3.
 */
#include "experiments.h"
#include "faults.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { DEMAND_PAGES = 512 };

/* One observation: "pass: pages=N minor_faults=N major_faults=N rss_growth=N". */
static void report(const char *pass, const struct fault_counts *faults, long rss_growth)
{
    printf("%s: pages=%d minor_faults=%ld major_faults=%ld rss_growth=%ld\n", pass,
           DEMAND_PAGES, faults->minor, faults->major, rss_growth);
}

/*
 * After the read pass: "zero-page: present=N exclusive=N frame=F same_frame=N",
 * where same_frame counts the pages in the frame of the first page.
 */
static void report_zero_page(int present, int exclusive, const struct page_info *first,
                             int same_frame)
{
    char frame[32];

    printf("zero-page: present=%d exclusive=%d frame=%s", present, exclusive,
           frame_text(first, frame, sizeof frame));
    if (first->frame_visible)
        printf(" same_frame=%d\n", same_frame);
    else
        printf(" same_frame=not-permitted\n");
}

/* TODO (optional): helper functions of your own go here. */
/* Look up every page of the read pass; report how many are present, exclusive
 * and in the frame of the first page. */
static int inspect_read_pages(const char *pages, size_t page_size)
{
    struct page_info first, info;
    int present = 0, exclusive = 0, same_frame = 0;

    for (size_t i = 0; i < DEMAND_PAGES; i++) {
        if (pagemap_lookup(pages + i * page_size, &info) == -1) {
            fprintf(stderr, "vmlab: pagemap entry of %p: %s\n",
                    (const void *)(pages + i * page_size), strerror(errno));
            return -1;
        }
        if (i == 0)
            first = info;
        present += info.present;
        exclusive += info.exclusive;
        same_frame += info.frame_visible && info.frame == first.frame;
    }
    report_zero_page(present, exclusive, &first, same_frame);
    return 0;
}

/* Touch pages (reading, or writing when write is set); report faults and RSS growth. */
static int measure(const char *pass, char *pages, size_t length, int write)
{
    struct fault_counts faults;
    long rss_before, rss_after;
    int result;

    rss_before = resident_pages();
    if (write)
        result = write_pages(pages, length, 1, &faults);
    else
        result = read_pages(pages, length, &faults);
    rss_after = resident_pages();
    if (rss_before == -1 || result == -1 || rss_after == -1) {
        fprintf(stderr, "vmlab: %s pass: %s\n", pass, strerror(errno));
        return -1;
    }
    report(pass, &faults, rss_after - rss_before);
    return 0;
}

/*
 * Code that runs for the first time faults too: libc's code is file-backed and
 * mapped on first use, many pages at once. Run the measuring code once on no
 * pages, so that the passes count only the pages they touch.
 */
static int warm_up(char *pages)
{
    struct fault_counts faults;

    if (resident_pages() == -1 || read_pages(pages, 0, &faults) == -1 ||
        write_pages(pages, 0, 0, &faults) == -1) {
        fprintf(stderr, "vmlab: warming up: %s\n", strerror(errno));
        return -1;
    }
    return 0;
}
/* END TODO */

int demand_experiment(void)
{
    /* TODO (handout section 5.3): two fresh_pages(DEMAND_PAGES) mappings.
     * Warm up: call the measuring functions once on no pages. Read the first
     * mapping (faults with read_pages, RSS growth with resident_pages before
     * and after) and report("read", ...); look up every page read with
     * pagemap_lookup and report_zero_page(...); write the second
     * mapping twice: report("write", ...) and report("rewrite", ...); release
     * both; print "conclusion: ...". */
    size_t page_size = (size_t)sysconf(_SC_PAGESIZE);
    size_t length = DEMAND_PAGES * page_size;
    char *read_area = fresh_pages(DEMAND_PAGES);
    char *write_area = fresh_pages(DEMAND_PAGES);
    int status = EXIT_FAILURE;

    if (read_area == NULL || write_area == NULL) {
        perror("vmlab: fresh_pages");
        goto out;
    }
    printf("demand: two fresh mappings of %d pages of %zu bytes (MADV_NOHUGEPAGE); "
           "the first is read, the second written twice\n", DEMAND_PAGES, page_size);
    if (warm_up(read_area) == -1 ||
        measure("read", read_area, length, 0) == -1 ||
        inspect_read_pages(read_area, page_size) == -1 ||
        measure("write", write_area, length, 1) == -1 ||
        measure("rewrite", write_area, length, 1) == -1)
        goto out;
    printf("conclusion: a page costs nothing until it is touched; the first touch is a "
           "minor fault. A read maps the shared zero page (RSS stays); a write gets a "
           "frame of its own (RSS grows). Touching it again costs no fault\n");
    status = EXIT_SUCCESS;
out:
    if (read_area != NULL && release_pages(read_area, DEMAND_PAGES) == -1) {
        perror("vmlab: release_pages");
        status = EXIT_FAILURE;
    }
    if (write_area != NULL && release_pages(write_area, DEMAND_PAGES) == -1) {
        perror("vmlab: release_pages");
        status = EXIT_FAILURE;
    }
    return status;
    /* END TODO */
}
