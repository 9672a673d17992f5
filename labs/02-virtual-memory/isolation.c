/*
 * isolation.c - vmlab isolation: after fork, parent and child print the same
 * virtual address for a global variable, yet when the child writes to it the
 * parent still reads its old value. Each process has a page table of its own,
 * so one virtual address leads to a different frame in each.
 *
 * Handout: handouts/02-virtual-memory.md, section 5.1.
 */
#include "experiments.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int global_value = 1;

/* One observation: "who: when: address=0x... value=N". */
static void report(const char *who, const char *when)
{
    printf("%s: %s: address=%p value=%d\n", who, when, (void *)&global_value, global_value);
}

int isolation_experiment(void)
{
    /* TODO (handout section 5.1): print a header line and report("parent",
     * "before fork"); fflush(stdout); fork. The child sets global_value to 2,
     * reports ("child", "after writing 2") and exits. The parent waits for it
     * (wait_for_child), reports ("parent", "after the child wrote") and prints
     * "conclusion: ...". */
    (void)report;
    fprintf(stderr, "vmlab: isolation_experiment() is not written yet "
                    "(TODO in isolation.c, handouts/02-virtual-memory.md section 5.1)\n");
    return EXIT_FAILURE;
    /* END TODO */
}
