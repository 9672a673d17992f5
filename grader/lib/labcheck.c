/*
 * labcheck.c - main() for every lab's Check suite.
 *
 * Usage: SUITE [--list]
 *
 * Runs every test in a forked process of its own, so that a crash or a hang
 * fails only that test. Each test case is tagged with its test's name, so
 * that CK_INCLUDE_TAGS="NAME NAME..." runs just those tests. Results go where
 * CK_TAP_LOG_FILE_NAME says ("-": standard output, where the grader reads
 * them); what the code under test prints goes to stderr instead, and the
 * suite cannot be traced or read through /proc by another process of its
 * user (it is not dumpable).
 *
 * A forked test that calls exit(0) looks like a pass to Check. So that the grader
 * can tell, every test that really reaches its end writes its name to the file
 * named by GRADER_COMPLETED_FILE (a checked teardown runs only after a test
 * returned normally).
 *
 * --list prints the tests as the source declares them, one per line:
 * NAME<TAB>POINTS<TAB>SECTION<TAB>HINT<TAB>TIMEOUT (grader/lint compares it
 * with what the grader reads from the source).
 */
#include "labcheck.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

/* Append "NAME" (or "NAME<TAB>DETAIL") for the running test to the file that
 * the environment variable VARIABLE names, if it names one. */
static void note_test(const char *variable, const char *detail)
{
    const char *filename = getenv(variable);
    const char *name = tcase_name();
    int fd;

    if (filename == NULL || name == NULL)
        return;
    fd = open(filename, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd == -1) {
        fprintf(stderr, "labcheck: %s: %s\n", filename, strerror(errno));
        return;
    }
    if (detail == NULL)
        dprintf(fd, "%s\n", name);
    else
        dprintf(fd, "%s\t%s\n", name, detail);
    close(fd);
}

/* A test that calls lab_skip() is reported skipped, with the reason, instead
 * of passed. */
void lab_skip(const char *reason)
{
    note_test("GRADER_SKIPPED_FILE", reason);
}

/* The checked teardown: the test reached its end. */
static void mark_completed(void)
{
    note_test("GRADER_COMPLETED_FILE", NULL);
}

/* The checked setup, in the test's own process: what the code under test
 * prints goes to stderr, so that it never mixes with Check's TAP on stdout;
 * and the test's processes are dumpable again (a test may read the map of a
 * child it forked), unlike the runner that holds the TAP. */
static void keep_stdout_for_results(void)
{
    fflush(stdout);
    if (dup2(STDERR_FILENO, STDOUT_FILENO) == -1)
        fprintf(stderr, "labcheck: dup2: %s\n", strerror(errno));
    if (prctl(PR_SET_DUMPABLE, 1) == -1)
        fprintf(stderr, "labcheck: prctl: %s\n", strerror(errno));
}

/* The tests that LAB_TEST put in the section "lab_tests" (the linker defines these two). */
extern const struct lab_test *const __start_lab_tests[];
extern const struct lab_test *const __stop_lab_tests[];

/* Source order: the order of the lines that declare the tests. */
static int by_line(const void *a, const void *b)
{
    const struct lab_test *first = *(const struct lab_test *const *)a;
    const struct lab_test *second = *(const struct lab_test *const *)b;

    return first->test->line - second->test->line;
}

static const struct lab_test *tests[1000];
static size_t test_count;

static void collect_tests(void)
{
    for (const struct lab_test *const *entry = __start_lab_tests;
         entry < __stop_lab_tests && test_count < sizeof tests / sizeof tests[0]; entry++)
        tests[test_count++] = *entry;
    qsort(tests, test_count, sizeof tests[0], by_line);
}

/* One test case per test, carrying the test's name, so that results, filters
 * and timeouts are per test. */
static Suite *lab_suite(void)
{
    Suite *suite = suite_create("lab");

    for (size_t i = 0; i < test_count; i++) {
        TCase *tcase = tcase_create(tests[i]->test->name);
        double seconds = tests[i]->timeout_seconds;

        if (seconds <= 0)
            seconds = LAB_DEFAULT_TIMEOUT;
        tcase_set_timeout(tcase, seconds);
        tcase_set_tags(tcase, tests[i]->test->name);   /* CK_INCLUDE_TAGS picks tests */
        tcase_add_checked_fixture(tcase, keep_stdout_for_results, mark_completed);
        tcase_add_test(tcase, tests[i]->test);
        suite_add_tcase(suite, tcase);
    }
    return suite;
}

int main(int argc, char **argv)
{
    SRunner *runner;
    int failed;

    /* Other processes of the same user (a program the tests started, say)
     * cannot open /proc/PID/fd of this one, nor trace it. */
    if (prctl(PR_SET_DUMPABLE, 0) == -1)
        fprintf(stderr, "labcheck: prctl: %s\n", strerror(errno));
    collect_tests();
    if (argc == 2 && strcmp(argv[1], "--list") == 0) {
        for (size_t i = 0; i < test_count; i++)
            printf("%s\t%d\t%s\t%s\t%g\n", tests[i]->test->name, tests[i]->points,
                   tests[i]->section, tests[i]->hint, tests[i]->timeout_seconds);
        return EXIT_SUCCESS;
    }
    if (argc != 1) {
        fprintf(stderr, "usage: %s [--list]\n", argv[0]);
        return 2;
    }

    runner = srunner_create(lab_suite());
    srunner_set_fork_status(runner, CK_FORK);   /* whatever CK_FORK says */
    srunner_run_all(runner, CK_SILENT);
    failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
