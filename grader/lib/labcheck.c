/*
 * labcheck.c - main() for every lab's Check suite.
 *
 * Usage: SUITE [--list]
 *
 * Runs every test in a forked process of its own, so that a crash or a hang
 * fails only that test. Results go where CK_TAP_LOG_FILE_NAME says; the grader
 * reads them from there, never from what the code under test prints.
 *
 * A forked test that calls exit(0) looks like a pass to Check. So that the grader
 * can tell, every test that really reaches its end writes its name to the file
 * named by GRADER_COMPLETED_FILE (a checked teardown runs only after a test
 * returned normally).
 *
 * --list prints the names of the tests, one per line.
 */
#include "labcheck.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void mark_completed(void)
{
    const char *filename = getenv("GRADER_COMPLETED_FILE");
    const char *name = tcase_name();
    int fd;

    if (filename == NULL || name == NULL)
        return;
    fd = open(filename, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd == -1) {
        fprintf(stderr, "labcheck: %s: %s\n", filename, strerror(errno));
        return;
    }
    dprintf(fd, "%s\n", name);
    close(fd);
}

static const char *test_names[1000];
static int test_count;

void lab_add_test(Suite *suite, const TTest *test, double timeout_seconds)
{
    TCase *tcase = tcase_create(test->name);

    if (timeout_seconds <= 0)
        timeout_seconds = LAB_DEFAULT_TIMEOUT;
    tcase_set_timeout(tcase, timeout_seconds);
    tcase_add_checked_fixture(tcase, NULL, mark_completed);
    tcase_add_test(tcase, test);
    suite_add_tcase(suite, tcase);
    if (test_count < (int)(sizeof test_names / sizeof test_names[0]))
        test_names[test_count++] = test->name;
}

int main(int argc, char **argv)
{
    Suite *suite = lab_suite();
    SRunner *runner;
    int failed;

    if (argc == 2 && strcmp(argv[1], "--list") == 0) {
        for (int i = 0; i < test_count; i++)
            printf("%s\n", test_names[i]);
        srunner_free(srunner_create(suite));   /* frees the suite too */
        return EXIT_SUCCESS;
    }
    if (argc != 1) {
        fprintf(stderr, "usage: %s [--list]\n", argv[0]);
        return 2;
    }

    runner = srunner_create(suite);
    srunner_set_fork_status(runner, CK_FORK);   /* whatever CK_FORK says */
    srunner_run_all(runner, CK_SILENT);
    failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
