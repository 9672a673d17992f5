/*
 * args.h - the options that counter and sysvcount share: -p and -i.
 *
 * Given code: both programs read their options with it, so the rules (how
 * many processes, how many increments) are written once.
 *
 * Handout: handouts/04-shared-memory.md, sections 6.4 and 7.
 */
#ifndef ARGS_H
#define ARGS_H

enum { MAX_PROCESSES = 64 };

/* One option that getopt() returned, with its argument:
 *   -p PROCESSES   a whole number from 1 to MAX_PROCESSES, into *processes;
 *   -i INCREMENTS  a whole number from 0 to max_increments, into *increments.
 * Returns 0, or -1 if option is neither, or its argument is not all a number
 * in range (then nothing is stored): the caller prints its usage. */
int parse_count_option(int option, const char *argument, long max_increments,
                       long *processes, long *increments);

#endif
