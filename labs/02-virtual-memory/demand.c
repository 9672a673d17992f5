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
    (void)report;
    (void)report_zero_page;
    fprintf(stderr, "vmlab: demand_experiment() is not written yet "
                    "(TODO in demand.c, handouts/02-virtual-memory.md section 5.3)\n");
    return EXIT_FAILURE;
    /* END TODO */
}
