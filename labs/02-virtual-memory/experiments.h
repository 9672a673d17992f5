/*
 * experiments.h - the experiments of vmlab, one per file, and the small
 * helpers they share (in vmlab.c).
 *
 * Each experiment prints what it did, what it observed and a conclusion, and
 * returns the program's exit status: EXIT_SUCCESS or EXIT_FAILURE.
 *
 * Handout: handouts/02-virtual-memory.md, section 5.
 */
#ifndef EXPERIMENTS_H
#define EXPERIMENTS_H

#include "pagemap.h"

#include <stddef.h>
#include <sys/types.h>

int isolation_experiment(void);     /* isolation.c,  section 5.1 */
int protection_experiment(void);    /* protection.c, section 5.2 */
int demand_experiment(void);        /* demand.c,     section 5.3 */
int cow_experiment(void);           /* cow.c,        section 5.4 */

/* Print the page-table entry of address (translate.c, section 5.5). */
int translate_address(const void *address, const char *description);

/* "yes" or "no". */
const char *yes_no(int value);

/* The frame as text: "0x1a2b3", "not-permitted" (hidden) or "none" (not present). */
const char *frame_text(const struct page_info *info, char *text, size_t size);

/* Wait for a child; 0 when it exited with status 0, else -1 (with a message). */
int wait_for_child(pid_t child);

#endif
