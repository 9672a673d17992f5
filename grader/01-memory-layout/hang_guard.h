/*
 * hang_guard.h - one hang in the student's code costs one long wait, not one
 * per test. Used by the Check suites of labs 01 and 02.
 *
 * The suite is linked with -Wl,--wrap=NAME for each student function that
 * could loop (the manifest's ldlibs), and defines __wrap_NAME, which calls
 * __real_NAME between guard_enter("NAME(...)") and guard_leave(). A watchdog
 * thread, started at the first guarded call of a test, watches the call:
 *
 *   - the first call of the suite's run that does not return within
 *     GUARD_FIRST_SECONDS (scaled; less than Check's own timeout) fails its
 *     test with a message that names the call, and is recorded in a page that
 *     every test of the run shares (mapped before Check forks the tests);
 *   - after that, a call that does not return within GUARD_LATER_SECONDS
 *     fails its test at once, naming the first one.
 *
 * A process that the test forks keeps no watchdog (threads do not survive
 * fork): the test's own deadline watches it.
 */
#ifndef HANG_GUARD_H
#define HANG_GUARD_H

#include "labcheck.h"
#include "labchild.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/mman.h>

enum { GUARD_FIRST_SECONDS = 8, GUARD_LATER_SECONDS = 2 };

/* The first hang of the run, shared by every test (NULL if the page could not be mapped). */
struct hang_record {
    atomic_int seen;
    char what[240];
};

static struct hang_record *hang_record;
static atomic_int guard_depth;          /* guarded calls under way in this process */
static _Atomic double guard_since;      /* when the outermost one began */
static char guard_what[240];            /* what it is, for the message */
static atomic_int guard_watching;       /* 1 once the watchdog runs in this process */

__attribute__((constructor)) static void hang_record_share(void)
{
    void *page = mmap(NULL, sizeof *hang_record, PROT_READ | PROT_WRITE,
                      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    hang_record = page == MAP_FAILED ? NULL : page;
}

static double guard_limit(void)
{
    int earlier = hang_record != NULL && atomic_load(&hang_record->seen);
    return scaled(earlier ? GUARD_LATER_SECONDS : GUARD_FIRST_SECONDS);
}

static void *guard_watch(void *unused)
{
    (void)unused;
    /* Its first steps fault its stack in; then it says that it runs. */
    pause_milliseconds(1);
    (void)guard_limit();
    (void)monotonic_seconds();
    atomic_store(&guard_watching, 1);
    for (;;) {
        pause_milliseconds(20);
        if (atomic_load(&guard_depth) == 0 ||
            monotonic_seconds() - atomic_load(&guard_since) <= guard_limit())
            continue;
        if (hang_record == NULL || atomic_exchange(&hang_record->seen, 1) == 0) {
            if (hang_record != NULL)
                snprintf(hang_record->what, sizeof hang_record->what, "%s", guard_what);
            ck_abort_msg("%s did not return within %.0f s: a loop that never ends, or a call "
                         "that waits for something that never comes? (Once one call hangs, "
                         "the other tests give each call only %.0f s.)", guard_what,
                         scaled(GUARD_FIRST_SECONDS), scaled(GUARD_LATER_SECONDS));
        }
        ck_abort_msg("%s did not return within %.0f s. An earlier test waited %.0f s for %s, "
                     "which did not return either: fix that one first", guard_what,
                     scaled(GUARD_LATER_SECONDS), scaled(GUARD_FIRST_SECONDS),
                     hang_record->what);
    }
    return NULL;
}

/* Before a guarded call: what it is (printf format). Leaves errno as it was. */
__attribute__((format(printf, 1, 2))) static void guard_enter(const char *format, ...)
{
    int saved_errno = errno;
    va_list arguments;
    pthread_t watchdog;

    if (atomic_fetch_add(&guard_depth, 1) == 0) {
        va_start(arguments, format);
        vsnprintf(guard_what, sizeof guard_what, format, arguments);
        va_end(arguments);
        atomic_store(&guard_since, monotonic_seconds());
    }
    if (atomic_load(&guard_watching) == 0 && pthread_create(&watchdog, NULL, guard_watch, NULL) == 0) {
        pthread_detach(watchdog);
        /* Wait until it runs: its first steps must not fall in a measurement. */
        while (atomic_load(&guard_watching) == 0)
            pause_milliseconds(1);
    }
    errno = saved_errno;
}

/* After a guarded call. Leaves errno as it was. */
static void guard_leave(void)
{
    atomic_fetch_sub(&guard_depth, 1);
}

#endif
