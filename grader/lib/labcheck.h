/*
 * labcheck.h - the part of every lab's Check suite that is the same in all labs.
 *
 * A lab's test file defines its tests with START_TEST/END_TEST and a function
 * lab_suite() that adds each one with lab_add_test(). labcheck.c provides main().
 */
#ifndef LABCHECK_H
#define LABCHECK_H

#include <check.h>

/* Seconds a test may run before Check stops it; CK_TIMEOUT_MULTIPLIER scales it. */
enum { LAB_DEFAULT_TIMEOUT = 10 };

/*
 * Add one test to the suite, in a test case of its own that carries the test's
 * name, so that results, filters and timeouts are per test.
 * timeout_seconds 0 means LAB_DEFAULT_TIMEOUT.
 */
void lab_add_test(Suite *suite, const TTest *test, double timeout_seconds);

/* Defined by each lab's test file: the suite with all of the lab's tests. */
Suite *lab_suite(void);

#endif
