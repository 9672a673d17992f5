/*
 * check_private.c - an example of an instructor's private tests for lab 01:
 * kept out of the students' distribution, given to the grader with
 * grade --extra grader/extra-example (or make grade-all EXTRA=...), graded as
 * a private part of the lab and hidden from the student until the grades are
 * published. Written like any Check suite of the lab (grader/README.md).
 */
#include "labcheck.h"
#include "maps.h"

#include <errno.h>
#include <string.h>

LAB_TEST(private_parse_rejects_a_region_whose_start_is_its_end, 3, "3.3", "")
{
    struct map_region region;
    int result;

    errno = 0;
    result = maps_parse_line("7f0000001000-7f0000001000 r--p 00000000 00:00 0\n", &region);
    ck_assert_msg(result == -1 && errno == EINVAL,
                  "maps_parse_line of a line whose start equals its end returned %d (errno %d: "
                  "%s); expected -1 with EINVAL (start >= end is malformed)",
                  result, errno, strerror(errno));
}
END_TEST
