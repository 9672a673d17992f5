/*
 * args.c - the options that counter and sysvcount share, checked whole.
 *
 * atoi("12x") is 12 and atoi("x") is 0: strtol says where the number ended
 * and whether it overflowed, so that a typing mistake is reported, not run.
 *
 * Handout: handouts/04-shared-memory.md, sections 6.4 and 7.
 */
#include "args.h"

#include <errno.h>
#include <stdlib.h>

/* The decimal number that is all of text, from min to max, into *value: 0; else -1. */
static int parse_number(const char *text, long min, long max, long *value)
{
    char *end;

    errno = 0;
    long number = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || number < min || number > max)
        return -1;
    *value = number;
    return 0;
}

int parse_count_option(int option, const char *argument, long max_increments,
                       long *processes, long *increments)
{
    if (option == 'p')
        return parse_number(argument, 1, MAX_PROCESSES, processes);
    if (option == 'i')
        return parse_number(argument, 0, max_increments, increments);
    return -1;
}
