/*
 * labcheck.h - the part of every lab's Check suite that is the same in all labs.
 *
 * A lab's test file declares each test once, with its points and the handout
 * section that explains it, in place of Check's START_TEST:
 *
 *     LAB_TEST(find_closes_the_maps_file, 2, "3.4", "")
 *     {
 *         ...
 *     }
 *     END_TEST
 *
 * The fourth argument is a short hint of the test's own ("" for none), shown
 * after the section's title; LAB_TEST_WITH_TIMEOUT adds the seconds the test
 * may run (LAB_DEFAULT_TIMEOUT otherwise; CK_TIMEOUT_MULTIPLIER scales both).
 * Keep a declaration on one line: the grader reads the test list, the points
 * and the sections from the source, and grader/lint checks that what it reads
 * is what the suite runs (SUITE --list).
 *
 * Every declaration puts a pointer to its test in the section "lab_tests" of
 * the program; labcheck.c, which provides main(), runs them in source order,
 * each in a test case of its own.
 */
#ifndef LABCHECK_H
#define LABCHECK_H

#include <check.h>
#include <stddef.h>
#include <sys/resource.h>

/* Seconds a test may run before Check stops it; CK_TIMEOUT_MULTIPLIER scales it. */
enum { LAB_DEFAULT_TIMEOUT = 10 };

struct lab_test {
    const TTest *test;          /* Check's name, function, file and line */
    int points;
    const char *section;        /* of the handout, e.g. "3.4" */
    const char *hint;           /* "" for none */
    double timeout_seconds;     /* 0 means LAB_DEFAULT_TIMEOUT */
};

#define LAB_TEST_WITH_TIMEOUT(name, test_points, handout_section, test_hint, seconds)     \
    static void name##_fn(int _i CK_ATTRIBUTE_UNUSED);                                   \
    static const TTest name##_ttest = {#name, name##_fn, __FILE__, __LINE__};            \
    static const struct lab_test name##_lab_test =                                       \
        {&name##_ttest, test_points, handout_section, test_hint, seconds};               \
    static const struct lab_test *const name##_entry                                     \
        __attribute__((used, section("lab_tests"))) = &name##_lab_test;                  \
    static void name##_fn(int _i CK_ATTRIBUTE_UNUSED)

#define LAB_TEST(name, test_points, handout_section, test_hint) \
    LAB_TEST_WITH_TIMEOUT(name, test_points, handout_section, test_hint, 0)

/*
 * Mark the running test skipped, with the reason, when what it checks cannot
 * be seen on this machine (a kernel that behaves otherwise, a missing
 * privilege); then return from the test. A skipped test counts neither for
 * nor against the student.
 */
void lab_skip(const char *reason);

/*
 * How many file descriptors this process has open, from /proc/self/fd (the
 * descriptor used to read that folder not counted). Tests compare it before
 * and after a call to show that the call closed what it opened.
 */
int lab_open_descriptors(void);

/*
 * Lower this process's soft limit of open files to its lowest free
 * descriptor, so that the next call that makes a descriptor (open, socket,
 * pipe, dup) fails with EMFILE; returns the limit as it was, for
 * lab_give_back_file_descriptors() (the test's own end opens files too).
 */
struct rlimit lab_use_up_file_descriptors(void);
void lab_give_back_file_descriptors(const struct rlimit *limit);

/*
 * Bytes this process has allocated with malloc now (all arenas, and blocks
 * malloc made with mmap): tests compare it before and after calls to show
 * that the calls free what they allocate.
 */
size_t lab_bytes_in_use(void);

#endif
