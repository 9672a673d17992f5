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
/* The child's part: look, write 2, look again. Returns an exit status. */
static int child_writes(char *page, size_t page_size)
{
    struct fault_counts faults;

    if (report("child", "after fork", page) == -1)
        return EXIT_FAILURE;
    if (write_pages(page, page_size, 2, &faults) == -1) {
        perror("vmlab: write_pages");
        return EXIT_FAILURE;
    }
    printf("child: writing 2: minor_faults=%ld major_faults=%ld\n", faults.minor,
           faults.major);
    if (report("child", "after writing 2", page) == -1)
        return EXIT_FAILURE;
    return fflush(stdout) == EOF ? EXIT_FAILURE : EXIT_SUCCESS;
}
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
    size_t page_size = (size_t)sysconf(_SC_PAGESIZE);
    struct fault_counts faults;
    char *page = fresh_pages(1);
    int status = EXIT_FAILURE;

    if (page == NULL) {
        perror("vmlab: fresh_pages");
        return EXIT_FAILURE;
    }
    printf("cow: the parent writes 1 into a private page and forks; the child writes 2\n");
    if (write_pages(page, page_size, 1, &faults) == -1) {
        perror("vmlab: write_pages");
        goto out;
    }
    if (report("parent", "before fork", page) == -1)
        goto out;
    if (fflush(stdout) == EOF) {
        perror("vmlab: stdout");
        goto out;
    }

    pid_t child = fork();
    if (child == -1) {
        perror("vmlab: fork");
        goto out;
    }
    if (child == 0)
        exit(child_writes(page, page_size));
    if (wait_for_child(child) == -1)
        goto out;

    if (report("parent", "after the child wrote", page) == -1)
        goto out;
    printf("conclusion: after fork the page was shared, read-only, by both processes; "
           "the child's first write faulted once and the kernel gave the child a copy in "
           "a new frame. The parent kept its frame and its value\n");
    status = EXIT_SUCCESS;
out:
    if (release_pages(page, 1) == -1) {
        perror("vmlab: release_pages");
        status = EXIT_FAILURE;
    }
    return status;
    /* END TODO */
}
