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
    printf("isolation: fork, then the child writes 2 into the global variable global_value\n");
    report("parent", "before fork");
    /* stdout is fully buffered when it is a pipe or a file: without this
     * fflush, the child would inherit the unwritten lines and print them too. */
    if (fflush(stdout) == EOF) {
        perror("vmlab: stdout");
        return EXIT_FAILURE;
    }

    pid_t child = fork();
    if (child == -1) {
        perror("vmlab: fork");
        return EXIT_FAILURE;
    }
    if (child == 0) {
        global_value = 2;
        report("child", "after writing 2");
        exit(fflush(stdout) == EOF ? EXIT_FAILURE : EXIT_SUCCESS);
    }
    if (wait_for_child(child) == -1)
        return EXIT_FAILURE;

    report("parent", "after the child wrote");
    printf("conclusion: the same virtual address holds %d in the parent and 2 in the child: "
           "each process has its own page table, which maps the address to a frame of its own\n",
           global_value);
    return EXIT_SUCCESS;
    /* END TODO */
}
