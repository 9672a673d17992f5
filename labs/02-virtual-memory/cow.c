/*
 * cow.c - vmlab cow: fork does not copy memory; it shares every private page
 * and marks it read-only. The first write, by either process, faults, and the
 * kernel copies that one page into a new frame for the writer.
 *
 * The parent writes 1 into a fresh page and forks. The child sees the page
 * shared (not exclusive, same frame as the parent), writes 2 (one minor
 * fault, a new frame), and exits. The parent still reads 1.
 *
 * Handout: handouts/02-virtual-memory.md, section 5.4.
 */
#include "experiments.h"
#include "faults.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One observation: "who: when: value=N frame=... exclusive=yes|no". */
static int report(const char *who, const char *when, const char *page)
{
    struct page_info info;
    char frame[32];

    if (pagemap_lookup(page, &info) == -1) {
        fprintf(stderr, "vmlab: pagemap entry of %p: %s\n", (const void *)page,
                strerror(errno));
        return -1;
    }
    printf("%s: %s: value=%d frame=%s exclusive=%s\n", who, when, page[0],
           frame_text(&info, frame, sizeof frame), yes_no(info.exclusive));
    return 0;
}

/* TODO (optional): helper functions of your own go here. */
/* END TODO */

int cow_experiment(void)
{
    /* TODO (handout section 5.4): fresh_pages(1); write 1 into it with
     * write_pages; print a header line; report("parent", "before fork", ...);
     * fflush(stdout); fork. The child reports ("child", "after fork"), writes 2
     * with write_pages, prints "child: writing 2: minor_faults=N
     * major_faults=N", reports ("child", "after writing 2") and exits. The
     * parent waits (wait_for_child), reports ("parent", "after the child
     * wrote"), prints "conclusion: ..." and releases the page. */
    (void)report;
    fprintf(stderr, "vmlab: cow_experiment() is not written yet "
                    "(TODO in cow.c, handouts/02-virtual-memory.md section 5.4)\n");
    return EXIT_FAILURE;
    /* END TODO */
}
