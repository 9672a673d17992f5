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
 * Each test runs in a runner of its own, beside a watcher process that, just
 * before the test's time runs out, writes what its processes wait for into
 * GRADER_HANG_DIR/NAME.hang (grader/lib/describe-hang). Once two tests have
 * timed out, the next ones get 2 s (one cause usually hangs them all), noted
 * in GRADER_HANG_DIR/NAME.shortened.
 *
 * --list prints the tests as the source declares them, one per line:
 * NAME<TAB>POINTS<TAB>SECTION<TAB>HINT<TAB>TIMEOUT (grader/lint compares it
 * with what the grader reads from the source).
 */
#include "labcheck.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
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

int lab_open_descriptors(void)
{
    DIR *fds = opendir("/proc/self/fd");
    struct dirent *entry;
    int count = 0;

    ck_assert_msg(fds != NULL, "test setup: opendir(/proc/self/fd): %s", strerror(errno));
    while ((entry = readdir(fds)) != NULL)
        if (entry->d_name[0] != '.' && atoi(entry->d_name) != dirfd(fds))
            count++;
    closedir(fds);
    return count;
}

struct rlimit lab_use_up_file_descriptors(void)
{
    int lowest_free = dup(0);
    struct rlimit limit, lowered;

    ck_assert_msg(lowest_free != -1, "test setup: dup: %s", strerror(errno));
    close(lowest_free);
    ck_assert_msg(getrlimit(RLIMIT_NOFILE, &limit) == 0, "test setup: getrlimit: %s",
                  strerror(errno));
    lowered = limit;
    lowered.rlim_cur = (rlim_t)lowest_free;
    ck_assert_msg(setrlimit(RLIMIT_NOFILE, &lowered) == 0, "test setup: setrlimit: %s",
                  strerror(errno));
    return limit;
}

void lab_give_back_file_descriptors(const struct rlimit *limit)
{
    ck_assert_msg(setrlimit(RLIMIT_NOFILE, limit) == 0, "test setup: setrlimit: %s",
                  strerror(errno));
}

size_t lab_bytes_in_use(void)
{
    struct mallinfo2 info = mallinfo2();
    return info.uordblks + info.hblkhd;
}

/* GRADER_HANG_DIR/NAME.shortened: the test had only SECONDS, and why. */
static void note_shortened(const char *name, double seconds)
{
    const char *dir = getenv("GRADER_HANG_DIR");
    char path[4096];
    FILE *file;

    if (dir == NULL)
        return;
    snprintf(path, sizeof path, "%s/%s.shortened", dir, name);
    file = fopen(path, "w");
    if (file == NULL)
        return;
    fprintf(file, "%g\n", seconds);
    fclose(file);
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
/* Is the test named in CK_INCLUDE_TAGS (names separated by spaces), or is
 * that variable not set? */
static int selected(const char *name)
{
    const char *tags = getenv("CK_INCLUDE_TAGS");
    size_t length = strlen(name);

    if (tags == NULL || *tags == '\0')
        return 1;
    for (const char *p = tags; (p = strstr(p, name)) != NULL; p += length)
        if ((p == tags || p[-1] == ' ') && (p[length] == ' ' || p[length] == '\0'))
            return 1;
    return 0;
}

/* The test process: the child of this runner that is not WATCHER. 0 if none. */
static pid_t test_process(pid_t runner, pid_t watcher)
{
    DIR *proc = opendir("/proc");
    struct dirent *entry;
    pid_t found = 0;

    if (proc == NULL)
        return 0;
    while (found == 0 && (entry = readdir(proc)) != NULL) {
        char path[64], stat[512];
        int pid = atoi(entry->d_name), ppid = 0;
        FILE *file;

        if (pid <= 0 || pid == watcher)
            continue;
        snprintf(path, sizeof path, "/proc/%d/stat", pid);
        file = fopen(path, "r");
        if (file == NULL)
            continue;
        if (fgets(stat, sizeof stat, file) != NULL) {
            const char *after_name = strrchr(stat, ')');
            if (after_name != NULL && sscanf(after_name, ") %*c %d", &ppid) == 1 && ppid == runner)
                found = pid;
        }
        fclose(file);
    }
    closedir(proc);
    return found;
}

/* A watcher: a process that sleeps until shortly before the test's time runs
 * out, then writes what the test process and its children wait for into
 * GRADER_HANG_DIR/NAME.hang (lib/describe-hang), for the timeout's message.
 * Returns its pid, or 0 when there is no such folder. */
static pid_t start_watcher(const char *name, double seconds)
{
    const char *dir = getenv("GRADER_HANG_DIR"), *lib = getenv("GRADER_LIB");
    const char *multiplier = getenv("CK_TIMEOUT_MULTIPLIER");
    pid_t runner = getpid(), watcher;

    if (dir == NULL || lib == NULL)
        return 0;
    if (multiplier != NULL && atof(multiplier) > 0)
        seconds *= atof(multiplier);
    watcher = fork();
    if (watcher != 0)
        return watcher == -1 ? 0 : watcher;

    double before_the_end = seconds * 0.75;
    struct timespec pause = { (time_t)before_the_end,
                              (long)((before_the_end - (time_t)before_the_end) * 1e9) };
    char program[4096], output[4096], pid_text[32];
    pid_t test;
    int fd;

    while (nanosleep(&pause, &pause) == -1 && errno == EINTR)
        continue;
    test = test_process(runner, getpid());
    if (test == 0)
        _exit(0);
    snprintf(program, sizeof program, "%s/describe-hang", lib);
    snprintf(output, sizeof output, "%s/%s.hang", dir, name);
    snprintf(pid_text, sizeof pid_text, "%d", (int)test);
    fd = open(output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd == -1 || dup2(fd, STDOUT_FILENO) == -1)
        _exit(1);
    execl(program, program, pid_text, "the test process", (char *)NULL);
    _exit(1);
}

/* Run one test, in a runner of its own, with its own timeout. Returns 1 when
 * its time ran out. */
static int run_one(const struct lab_test *test, double seconds)
{
    Suite *suite = suite_create("lab");
    TCase *tcase = tcase_create(test->test->name);
    SRunner *runner;
    pid_t watcher;
    int timed_out = 0;

    tcase_set_timeout(tcase, seconds);
    tcase_set_tags(tcase, test->test->name);
    tcase_add_checked_fixture(tcase, keep_stdout_for_results, mark_completed);
    tcase_add_test(tcase, test->test);
    suite_add_tcase(suite, tcase);
    runner = srunner_create(suite);
    srunner_set_fork_status(runner, CK_FORK);   /* whatever CK_FORK says */
    watcher = start_watcher(test->test->name, seconds);
    srunner_run_all(runner, CK_SILENT);
    if (srunner_ntests_failed(runner) > 0) {
        TestResult **results = srunner_failures(runner);
        timed_out = strcmp(tr_msg(results[0]), "Test timeout expired") == 0;
        free(results);
    }
    if (watcher > 0) {
        /* After a timeout the watcher may still be writing: a few seconds more. */
        for (int i = 0; timed_out && i < 50 && waitpid(watcher, NULL, WNOHANG) == 0; i++) {
            struct timespec tick = { 0, 100 * 1000 * 1000 };
            nanosleep(&tick, NULL);
        }
        kill(watcher, SIGKILL);
        waitpid(watcher, NULL, 0);
    }
    srunner_free(runner);
    return timed_out;
}

/* When this many tests of the suite have timed out, the next ones get only
 * SHORT_TIMEOUT seconds: one cause usually hangs them all, and waiting out
 * every one would only keep the student waiting. Each shortened test is
 * noted in GRADER_HANG_DIR/NAME.shortened, for its message. */
enum { HANGS_BEFORE_SHORTER = 2, SHORT_TIMEOUT = 2 };

int main(int argc, char **argv)
{
    int timeouts = 0;

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

    for (size_t i = 0; i < test_count; i++) {
        double seconds = tests[i]->timeout_seconds;

        if (!selected(tests[i]->test->name))
            continue;
        if (seconds <= 0)
            seconds = LAB_DEFAULT_TIMEOUT;
        if (timeouts >= HANGS_BEFORE_SHORTER && seconds > SHORT_TIMEOUT) {
            seconds = SHORT_TIMEOUT;
            note_shortened(tests[i]->test->name, seconds);
        }
        timeouts += run_one(tests[i], seconds);
    }
    return EXIT_SUCCESS;
}
