/*
 * check_maps.c - Check tests for lab 01: the maps parser, the region look-up
 * and the classification of addresses in this (the test's own) process.
 *
 * Each test's name states the behaviour it checks; its failure message says
 * what was expected and what happened; its declaration names the handout
 * section that explains it. grader/01-memory-layout/spec.tsv says which test
 * checks which sentence of maps.h, segment.h and the handout.
 */
#define _GNU_SOURCE     /* setresuid, setresgid */
#include "labcheck.h"
#include "labchild.h"
#include "hang_guard.h"
#include "maps.h"
#include "segment.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <malloc.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---------- a hang costs one long wait (hang_guard.h; the manifest wraps these) ---------- */

int __real_maps_parse_line(const char *line, struct map_region *region);
int __real_maps_find(pid_t pid, uintptr_t addr, struct map_region *region);
enum segment __real_classify_address(const void *addr);

static const char *visible(const char *line);

int __wrap_maps_parse_line(const char *line, struct map_region *region)
{
    guard_enter("maps_parse_line(\"%.60s\")", visible(line));
    int result = __real_maps_parse_line(line, region);
    guard_leave();
    return result;
}

int __wrap_maps_find(pid_t pid, uintptr_t addr, struct map_region *region)
{
    guard_enter("maps_find(%s, %#lx)", pid == 0 ? "0" : "a child's pid", (unsigned long)addr);
    int result = __real_maps_find(pid, addr, region);
    guard_leave();
    return result;
}

enum segment __wrap_classify_address(const void *addr)
{
    guard_enter("classify_address(%p)", addr);
    enum segment result = __real_classify_address(addr);
    guard_leave();
    return result;
}

/* ---------- helpers ---------- */

/* The line with its newline written as \n, so that a message stays on one line. */
static const char *visible(const char *line)
{
    static char shown[512];
    size_t n = 0;

    for (; *line != '\0' && n + 3 < sizeof shown; line++) {
        if (*line == '\n') {
            shown[n++] = '\\';
            shown[n++] = 'n';
        } else {
            shown[n++] = *line;
        }
    }
    shown[n] = '\0';
    return shown;
}

/* Parse line and fail the test, showing the line and errno, if that fails. */
static void parse_ok(const char *line, struct map_region *region)
{
    errno = 0;
    int result = maps_parse_line(line, region);
    int saved_errno = errno;
    ck_assert_msg(result == 0,
                  "maps_parse_line(\"%s\") returned %d (errno %d: %s); expected 0",
                  visible(line), result, saved_errno, strerror(saved_errno));
}

static size_t page_size(void)
{
    return (size_t)sysconf(_SC_PAGESIZE);
}

/* Map count fresh pages, readable, or fail the test. */
static char *map_pages(size_t count)
{
    void *pages = mmap(NULL, count * page_size(), PROT_READ,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ck_assert_msg(pages != MAP_FAILED, "test setup: mmap: %s", strerror(errno));
    return pages;
}

static void expect_segment(const char *what, const void *address, enum segment expected)
{
    enum segment got = classify_address(address);
    ck_assert_msg(got == expected, "classify_address(%s at %p) gave %s; expected %s",
                  what, address, segment_name(got), segment_name(expected));
}

/* Objects of every kind, in the test program itself. */
int test_initialized_global = 42;
int test_zero_global = 0;
int test_uninitialized_global;
const int test_const_global = 7;

static int test_function(void)
{
    return 1;
}

static int *test_static_local(void)
{
    static int calls = 1;
    return &calls;
}

/* ---------- maps_parse_line ---------- */

LAB_TEST(parse_reads_start_and_end_as_hex, 2, "3.2", "")
{
    struct map_region region;
    parse_ok("55d0c8a01000-55d0c8a02000 r-xp 00001000 08:01 1234567                    /usr/bin/layout\n",
             &region);
    ck_assert_msg(region.start == 0x55d0c8a01000,
                  "start: got %#lx, expected 0x55d0c8a01000", (unsigned long)region.start);
    ck_assert_msg(region.end == 0x55d0c8a02000,
                  "end: got %#lx, expected 0x55d0c8a02000", (unsigned long)region.end);
}
END_TEST

LAB_TEST(parse_reads_perms_offset_device_and_inode, 3, "3.2", "")
{
    struct map_region region;
    parse_ok("7f12a4c00000-7f12a4c26000 r--s 0017c000 fe:1f 332835   /usr/lib/x86_64-linux-gnu/libc.so.6",
             &region);
    ck_assert_msg(strcmp(region.perms, "r--s") == 0, "perms: got \"%s\", expected \"r--s\"",
                  region.perms);
    ck_assert_msg(region.offset == 0x17c000,
                  "offset: got %#lx, expected 0x17c000 (the offset is hexadecimal)",
                  region.offset);
    ck_assert_msg(region.dev_major == 0xfe && region.dev_minor == 0x1f,
                  "device: got %x:%x, expected fe:1f (major and minor are hexadecimal)",
                  region.dev_major, region.dev_minor);
    ck_assert_msg(region.inode == 332835, "inode: got %lu, expected 332835 (decimal)",
                  region.inode);
    ck_assert_msg(strcmp(region.path, "/usr/lib/x86_64-linux-gnu/libc.so.6") == 0,
                  "path: got \"%s\", expected \"/usr/lib/x86_64-linux-gnu/libc.so.6\"",
                  region.path);

    /* Every combination of [r-][w-][x-][ps] is a permission string: a
     * write-only private page prints "-w-p". */
    const char *letters[4][2] = { { "r", "-" }, { "w", "-" }, { "x", "-" }, { "p", "s" } };
    for (int combination = 0; combination < 16; combination++) {
        char perms[5], line[128];
        for (int i = 0; i < 4; i++)
            perms[i] = letters[i][(combination >> i) & 1][0];
        perms[4] = '\0';
        snprintf(line, sizeof line, "7f12a4c00000-7f12a4c26000 %s 00000000 00:00 0 ", perms);
        errno = 0;
        int result = maps_parse_line(line, &region);
        int saved_errno = errno;
        ck_assert_msg(result == 0 && strcmp(region.perms, perms) == 0,
                      "maps_parse_line(\"%s\") returned %d (errno %s) with perms \"%s\"; "
                      "expected 0 and perms \"%s\": each place holds its letter or '-' "
                      "([r-][w-][x-], then p or s)",
                      line, result, strerror(saved_errno), result == 0 ? region.perms : "",
                      perms);
    }
}
END_TEST

LAB_TEST(parse_reads_64_bit_addresses, 2, "3.2", "addresses are 64 bits")
{
    struct map_region region;
    parse_ok("ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]",
             &region);
    ck_assert_msg(region.start == (uintptr_t)0xffffffffff600000ULL &&
                  region.end == (uintptr_t)0xffffffffff601000ULL,
                  "got %#lx-%#lx, expected 0xffffffffff600000-0xffffffffff601000: "
                  "addresses need 64 unsigned bits (uintptr_t, strtoull), not int or strtol",
                  (unsigned long)region.start, (unsigned long)region.end);
    ck_assert_msg(strcmp(region.path, "[vsyscall]") == 0, "path: got \"%s\", expected \"[vsyscall]\"",
                  region.path);
}
END_TEST

LAB_TEST(parse_gives_an_empty_path_to_an_anonymous_mapping, 2, "3.1", "")
{
    const char *lines[] = {
        "7fc705693000-7fc705797000 rw-p 00000000 00:00 0 \n",   /* as the kernel writes it */
        "7fc705693000-7fc705797000 rw-p 00000000 00:00 0",
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        struct map_region region;
        memset(region.path, 'x', sizeof region.path);
        parse_ok(lines[i], &region);
        ck_assert_msg(region.path[0] == '\0', "path of \"%s\": got \"%.40s\", expected \"\"",
                      visible(lines[i]), region.path);
        ck_assert_msg(region.inode == 0, "inode: got %lu, expected 0", region.inode);
    }
}
END_TEST

LAB_TEST(parse_keeps_spaces_in_a_path, 2, "3.1", "")
{
    struct map_region region;
    parse_ok("7f0000000000-7f0000001000 r--p 00000000 08:01 42         /tmp/my lab/a file.so\n",
             &region);
    ck_assert_msg(strcmp(region.path, "/tmp/my lab/a file.so") == 0,
                  "path: got \"%s\", expected \"/tmp/my lab/a file.so\" (everything after "
                  "the inode's padding, without the newline)", region.path);
}
END_TEST

LAB_TEST(parse_keeps_the_deleted_suffix, 1, "3.1", "")
{
    struct map_region region;
    parse_ok("7f0000000000-7f0000001000 r-xp 00000000 08:01 42         /tmp/old.so (deleted)\n",
             &region);
    ck_assert_msg(strcmp(region.path, "/tmp/old.so (deleted)") == 0,
                  "path: got \"%s\", expected \"/tmp/old.so (deleted)\"", region.path);
}
END_TEST

LAB_TEST(parse_reads_bracketed_names, 2, "3.1", "")
{
    const char *names[] = { "[heap]", "[stack]", "[vdso]", "[vvar]", "[vvar_vclock]",
                            "[anon:glibc: malloc arena]" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char line[200];
        struct map_region region;
        snprintf(line, sizeof line, "7ffd1c000000-7ffd1c021000 rw-p 00000000 00:00 0      %s\n",
                 names[i]);
        parse_ok(line, &region);
        ck_assert_msg(strcmp(region.path, names[i]) == 0, "path: got \"%s\", expected \"%s\"",
                      region.path, names[i]);
    }
}
END_TEST

LAB_TEST(parse_rejects_malformed_lines_with_EINVAL, 4, "3.3", "")
{
    const char *bad[] = {
        "",
        "\n",
        "hello world",
        "55d0c8a01000",
        "55d0c8a01000-",
        "55d0c8a01000-55d0c8a02000",
        "55d0c8a01000-55d0c8a02000 r-xp",
        "55d0c8a01000-55d0c8a02000 r-xp 00001000 08:01",
        "55d0c8a01000 55d0c8a02000 r-xp 00001000 08:01 1234 /bin/x",
        "zz-55d0c8a02000 r-xp 00001000 08:01 1234 /bin/x",
        "55d0c8a02000-55d0c8a01000 r-xp 00001000 08:01 1234 /bin/x",   /* end before start */
        "55d0c8a01000-55d0c8a02000 rwxq 00001000 08:01 1234 /bin/x",   /* q is no permission */
        "55d0c8a01000-55d0c8a02000 Rw-p 00001000 08:01 1234 /bin/x",   /* each place: its letter or - */
        "55d0c8a01000-55d0c8a02000 r?-p 00001000 08:01 1234 /bin/x",
        "55d0c8a01000-55d0c8a02000 rw?p 00001000 08:01 1234 /bin/x",
        "55d0c8a01000-55d0c8a02000 wr-p 00001000 08:01 1234 /bin/x",
        "55d0c8a01000-55d0c8a02000 r- 00001000 08:01 1234 /bin/x",
        "55d0c8a01000-55d0c8a02000 r-xp 00001000 0801 1234 /bin/x",     /* device without : */
        "55d0c8a01000-55d0c8a02000 r-xp 00001000 08:01 12x4 /bin/x",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct map_region region;
        errno = 0;
        int result = maps_parse_line(bad[i], &region);
        int saved_errno = errno;
        ck_assert_msg(result == -1 && saved_errno == EINVAL,
                      "maps_parse_line(\"%s\") returned %d with errno %d (%s); "
                      "expected -1 with errno EINVAL",
                      visible(bad[i]), result, saved_errno, strerror(saved_errno));
    }
}
END_TEST

LAB_TEST(parse_reads_every_line_of_proc_self_maps, 2, "3.2", "")
{
    FILE *maps = fopen("/proc/self/maps", "r");
    char line[4096 + 200];
    uintptr_t previous_end = 0;
    int lines = 0;

    ck_assert_msg(maps != NULL, "test setup: /proc/self/maps: %s", strerror(errno));
    while (fgets(line, sizeof line, maps) != NULL) {
        struct map_region region;
        parse_ok(line, &region);
        ck_assert_msg(region.start >= previous_end,
                      "line \"%s\" starts at %#lx, before the previous line's end %#lx",
                      visible(line), (unsigned long)region.start, (unsigned long)previous_end);
        previous_end = region.end;
        lines++;
    }
    fclose(maps);
    ck_assert_msg(lines > 5, "read only %d lines from /proc/self/maps", lines);
}
END_TEST

/* Expect maps_parse_line(line) to fail with EINVAL; why says what is wrong with it. */
static void expect_einval(const char *line, const char *why)
{
    struct map_region region;
    errno = 0;
    int result = maps_parse_line(line, &region);
    int saved_errno = errno;
    ck_assert_msg(result == -1 && saved_errno == EINVAL,
                  "maps_parse_line(\"%.120s%s\") returned %d with errno %d (%s); expected -1 "
                  "with errno EINVAL: %s", visible(line), strlen(line) > 120 ? "..." : "",
                  result, saved_errno, strerror(saved_errno), why);
}

LAB_TEST(parse_rejects_an_empty_range_where_start_equals_end, 1, "3.3", "start >= end")
{
    expect_einval("55d0c8a01000-55d0c8a01000 r-xp 00001000 08:01 1234 /bin/x",
                  "start == end is an empty range, and a region holds at least one byte");
    struct map_region region;
    parse_ok("55d0c8a01000-55d0c8a01001 r-xp 00001000 08:01 1234 /bin/x", &region);
}
END_TEST

LAB_TEST(parse_rejects_a_number_too_large_for_64_bits, 2, "3.2", "strtoull sets ERANGE")
{
    /* strtoull gives ULLONG_MAX and ERANGE; sscanf silently gives a wrong number. */
    expect_einval("1ffffffffffffffff-2ffffffffffffffff r-xp 00001000 08:01 1234 /bin/x",
                  "17 hex digits do not fit in 64 bits (strtoull sets errno to ERANGE)");
    expect_einval("55d0c8a01000-155d0c8a02000000000 r-xp 00001000 08:01 1234 /bin/x",
                  "the end has 19 hex digits, which do not fit in 64 bits");
    expect_einval("55d0c8a01000-55d0c8a02000 r-xp 100000000000000000 08:01 1234 /bin/x",
                  "the offset has 18 hex digits, which do not fit in 64 bits");
    expect_einval("55d0c8a01000-55d0c8a02000 r-xp 00001000 08:01 99999999999999999999 /bin/x",
                  "the inode 99999999999999999999 is more than 64 bits hold");
    struct map_region region;
    parse_ok("55d0c8a01000-55d0c8a02000 r-xp 00001000 08:01 18446744073709551615 /bin/x",
             &region);
    ck_assert_msg(region.inode == ULONG_MAX, "inode: got %lu, expected 18446744073709551615 "
                  "(the largest 64-bit number still fits)", region.inode);
}
END_TEST

LAB_TEST(parse_takes_a_path_of_PATH_MAX_minus_1_bytes_but_not_PATH_MAX, 2, "3.3", "room for the terminating NUL")
{
    static char line[PATH_MAX + 100];
    static struct map_region region;
    const char *prefix = "7f0000000000-7f0000001000 r--p 00000000 08:01 42    ";
    size_t prefix_length = strlen(prefix);

    /* A path of PATH_MAX - 1 bytes fits in path[PATH_MAX] with its '\0'. */
    memcpy(line, prefix, prefix_length);
    memset(line + prefix_length, 'a', PATH_MAX - 1);
    line[prefix_length] = '/';
    strcpy(line + prefix_length + PATH_MAX - 1, "\n");
    errno = 0;
    int result = maps_parse_line(line, &region);
    int saved_errno = errno;
    ck_assert_msg(result == 0, "maps_parse_line() of a line whose path is %d bytes long "
                  "returned %d (errno %s); expected 0: path[%d] holds it and its '\\0'",
                  PATH_MAX - 1, result, strerror(saved_errno), PATH_MAX);
    ck_assert_msg(strlen(region.path) == PATH_MAX - 1 &&
                  strncmp(region.path, line + prefix_length, PATH_MAX - 1) == 0,
                  "a path of %d bytes came back as %zu bytes", PATH_MAX - 1, strlen(region.path));
    /* One more byte, and it does not. */
    memset(line + prefix_length, 'a', PATH_MAX);
    line[prefix_length] = '/';
    strcpy(line + prefix_length + PATH_MAX, "\n");
    expect_einval(line, "the path is PATH_MAX bytes long, and path[PATH_MAX] has no room "
                  "left for its '\\0'");
}
END_TEST

/* What the child of parse_never_reads_past_the_end_of_the_line saw for one prefix. */
struct prefix_result {
    size_t length;          /* of the prefix */
    int done;               /* 0: about to parse it; 1: parsed */
    int result;
    int saved_errno;
};

/*
 * The child parses every prefix of a line, each copied so that its '\0' is
 * the last byte before a page that may not be read. It reports each prefix
 * before and after parsing it, so that the parent can name the one that
 * crashed, and check the results.
 */
static void parse_every_prefix(const char *line, int report)
{
    size_t page = page_size();
    char *pages = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                       -1, 0);

    if (pages == MAP_FAILED || mprotect(pages + page, page, PROT_NONE) == -1)
        _exit(2);
    for (size_t length = 0; length <= strlen(line); length++) {
        char *copy = pages + page - length - 1;
        struct map_region region;
        struct prefix_result seen = { length, 0, 0, 0 };
        memcpy(copy, line, length);
        copy[length] = '\0';
        if (write(report, &seen, sizeof seen) != (ssize_t)sizeof seen)
            _exit(2);
        errno = 0;
        seen.result = maps_parse_line(copy, &region);
        seen.saved_errno = errno;
        seen.done = 1;
        if (write(report, &seen, sizeof seen) != (ssize_t)sizeof seen)
            _exit(2);
    }
    _exit(0);
}

LAB_TEST(parse_never_reads_past_the_end_of_the_line, 2, "3.3", "")
{
    const char *line = "55d0c8a01000-55d0c8a02000 r-xp 00001000 08:01 1234 /bin/x";
    /* Every prefix shorter than this lacks a field; every longer one is a line. */
    size_t first_complete = strlen("55d0c8a01000-55d0c8a02000 r-xp 00001000 08:01 1");
    struct prefix_result seen = { 0, 0, 0, 0 }, wrong = { 0, 0, 0, 0 };
    int channel[2], status, found_wrong = 0;

    ck_assert_msg(pipe(channel) == 0, "test setup: pipe: %s", strerror(errno));
    pid_t child = fork();
    ck_assert_msg(child != -1, "test setup: fork: %s", strerror(errno));
    if (child == 0) {
        close(channel[0]);
        parse_every_prefix(line, channel[1]);
    }
    close(channel[1]);
    while (read(channel[0], &seen, sizeof seen) == (ssize_t)sizeof seen) {
        int expected_ok = seen.length >= first_complete;
        if (seen.done && !found_wrong &&
            (expected_ok ? seen.result != 0 : seen.result != -1 || seen.saved_errno != EINVAL)) {
            wrong = seen;
            found_wrong = 1;
        }
    }
    close(channel[0]);
    if (!wait_for_exit(child, 10, &status)) {
        kill_and_reap(child);
        ck_abort_msg("maps_parse_line(\"%.*s\") did not return within %.0f s (a loop that "
                     "never stops at the '\\0'?)", (int)seen.length, line, scaled(10));
    }
    ck_assert_msg(!WIFSIGNALED(status),
                  "maps_parse_line(\"%.*s\") %s: it read past the '\\0' that ends the line "
                  "(this test puts the '\\0' just before a page that may not be read). Check "
                  "for the end of the string before each character you look at: strnlen(p, 4) "
                  "before the permissions, not memcpy", (int)seen.length, line,
                  how_it_ended(status));
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "test setup: the child %s",
                  how_it_ended(status));
    ck_assert_msg(!found_wrong, "maps_parse_line(\"%.*s\") returned %d (errno %d: %s); "
                  "expected %s", (int)wrong.length, line, wrong.result, wrong.saved_errno,
                  strerror(wrong.saved_errno), wrong.length >= first_complete ? "0: it is a "
                  "complete line" : "-1 with errno EINVAL: a field is missing");
}
END_TEST

/* ---------- maps_find ---------- */

static void find_ok(pid_t pid, uintptr_t address, struct map_region *region)
{
    errno = 0;
    int result = maps_find(pid, address, region);
    int saved_errno = errno;
    ck_assert_msg(result == 0, "maps_find(%s, %#lx) returned %d (errno %d: %s); expected 0",
                  pid == 0 ? "0" : "a child's pid", (unsigned long)address, result,
                  saved_errno, strerror(saved_errno));
    ck_assert_msg(region->start <= address && address < region->end,
                  "maps_find(%s, %#lx) gave the region %#lx-%#lx, which does not hold it "
                  "(a region holds start <= address < end)",
                  pid == 0 ? "0" : "a child's pid", (unsigned long)address,
                  (unsigned long)region->start, (unsigned long)region->end);
}

LAB_TEST(find_returns_the_region_holding_a_stack_address, 2, "3.4", "")
{
    int local = 0;
    struct map_region region;
    find_ok(0, (uintptr_t)&local, &region);
    ck_assert_msg(strcmp(region.path, "[stack]") == 0,
                  "a local variable's region has path \"%s\"; expected \"[stack]\"", region.path);
}
END_TEST

LAB_TEST(find_returns_the_region_holding_a_heap_address, 2, "3.4", "")
{
    char *block = malloc(32);
    struct map_region region;
    ck_assert_msg(block != NULL, "test setup: malloc failed");
    find_ok(0, (uintptr_t)block, &region);
    ck_assert_msg(strcmp(region.path, "[heap]") == 0,
                  "malloc(32)'s region has path \"%s\"; expected \"[heap]\"", region.path);
    free(block);
}
END_TEST

LAB_TEST(find_treats_the_end_address_as_outside_the_region, 3, "3.4", "the end is exclusive")
{
    /* Three adjacent regions: r--, ---, r--. */
    size_t page = page_size();
    char *pages = map_pages(3);
    ck_assert_msg(mprotect(pages + page, page, PROT_NONE) == 0, "test setup: mprotect: %s",
                  strerror(errno));

    struct map_region region;
    find_ok(0, (uintptr_t)(pages + page), &region);
    ck_assert_msg(region.start == (uintptr_t)(pages + page) && strcmp(region.perms, "---p") == 0,
                  "maps_find(%p) gave %#lx-%#lx %s; expected the ---p region that starts "
                  "there: a region's end address is the first address AFTER it",
                  (void *)(pages + page), (unsigned long)region.start,
                  (unsigned long)region.end, region.perms);
    find_ok(0, (uintptr_t)(pages + page - 1), &region);
    ck_assert_msg(region.start == (uintptr_t)pages,
                  "maps_find(%p), the last byte of the first page, gave the region at %#lx; "
                  "expected %p", (void *)(pages + page - 1), (unsigned long)region.start,
                  (void *)pages);
    munmap(pages, 3 * page);
}
END_TEST

LAB_TEST(find_fails_with_ENOENT_for_an_unmapped_address, 3, "3.4", "")
{
    size_t page = page_size();
    char *pages = map_pages(3);
    ck_assert_msg(munmap(pages + page, page) == 0, "test setup: munmap: %s", strerror(errno));

    struct map_region region;
    errno = 0;
    int result = maps_find(0, (uintptr_t)(pages + page), &region);
    int saved_errno = errno;
    ck_assert_msg(result == -1 && saved_errno == ENOENT,
                  "maps_find(%p), an address no region holds, returned %d with errno %d (%s); "
                  "expected -1 with errno ENOENT", (void *)(pages + page), result,
                  saved_errno, strerror(saved_errno));
    munmap(pages, page);
    munmap(pages + 2 * page, page);
}
END_TEST

LAB_TEST(find_closes_the_maps_file, 2, "3.4", "")
{
    int local = 0;
    struct map_region region;
    int before = lab_open_descriptors();

    for (int i = 0; i < 3; i++) {
        find_ok(0, (uintptr_t)&local, &region);
        errno = 0;
        ck_assert_msg(maps_find(0, 0, &region) == -1 && errno == ENOENT,
                      "maps_find(0, 0) did not fail with ENOENT");
    }
    int after = lab_open_descriptors();
    ck_assert_msg(after == before,
                  "%d file descriptors were open before 6 calls of maps_find and %d after: "
                  "close /proc/PID/maps on every path out of maps_find (fclose)",
                  before, after);
}
END_TEST

LAB_TEST(find_reads_the_map_of_another_process, 3, "3.5", "")
{
    int to_parent[2], to_child[2];
    ck_assert_msg(pipe(to_parent) == 0 && pipe(to_child) == 0, "test setup: pipe: %s",
                  strerror(errno));
    pid_t child = fork();
    ck_assert_msg(child != -1, "test setup: fork: %s", strerror(errno));
    if (child == 0) {
        /* The child maps a page the parent does not have, reports its address,
         * and waits until the parent closes its pipe. */
        char *page = mmap(NULL, page_size(), PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        char byte;
        close(to_parent[0]);
        close(to_child[1]);
        if (page == MAP_FAILED || write(to_parent[1], &page, sizeof page) != sizeof page)
            _exit(1);
        while (read(to_child[0], &byte, 1) > 0)
            continue;
        _exit(0);
    }
    close(to_parent[1]);
    close(to_child[0]);
    char *child_page = NULL;
    ssize_t got = read(to_parent[0], &child_page, sizeof child_page);
    struct map_region region;
    int in_child = -1, in_parent, parent_errno;
    if (got == (ssize_t)sizeof child_page) {
        in_child = maps_find(child, (uintptr_t)child_page, &region);
        errno = 0;
        in_parent = maps_find(0, (uintptr_t)child_page, &region);
        parent_errno = errno;
    }
    close(to_child[1]);
    close(to_parent[0]);
    waitpid(child, NULL, 0);

    ck_assert_msg(got == (ssize_t)sizeof child_page, "test setup: the child did not report");
    ck_assert_msg(in_child == 0,
                  "maps_find(the child's pid, %p) for a page the child mapped returned %d; "
                  "expected 0: read /proc/PID/maps of that pid", (void *)child_page, in_child);
    ck_assert_msg(in_parent == -1 && parent_errno == ENOENT,
                  "maps_find(0, %p) in the parent returned %d (errno %s); expected -1 with "
                  "ENOENT: the page exists only in the child's address space",
                  (void *)child_page, in_parent, strerror(parent_errno));
}
END_TEST

LAB_TEST(find_fails_for_a_process_that_does_not_exist, 2, "3.5", "")
{
    pid_t child = fork();
    ck_assert_msg(child != -1, "test setup: fork: %s", strerror(errno));
    if (child == 0)
        _exit(0);
    waitpid(child, NULL, 0);    /* now no process has this pid */

    struct map_region region;
    int local = 0;
    errno = 0;
    int result = maps_find(child, (uintptr_t)&local, &region);
    int saved_errno = errno;
    ck_assert_msg(result == -1 && saved_errno == ENOENT,
                  "maps_find() with the pid of a child that has exited (and was reaped) "
                  "returned %d with errno %d (%s); expected -1 with errno ENOENT, from opening "
                  "its /proc/PID/maps, which is gone", result, saved_errno,
                  strerror(saved_errno));
}
END_TEST

/* Become nobody when root, and check that CAP_SYS_PTRACE (bit 19) is gone;
 * 0, or -1 with the reason in error. */
static int become_nobody(char *error, size_t size)
{
    enum { NOBODY = 65534 };
    unsigned long long effective = 0;
    char line[256];
    FILE *status;

    if (geteuid() == 0 &&
        (setgroups(0, NULL) == -1 || setresgid(NOBODY, NOBODY, NOBODY) == -1 ||
         setresuid(NOBODY, NOBODY, NOBODY) == -1)) {
        snprintf(error, size, "root cannot become the user nobody here (%s)", strerror(errno));
        return -1;
    }
    status = fopen("/proc/self/status", "r");
    while (status != NULL && fgets(line, sizeof line, status) != NULL)
        if (sscanf(line, "CapEff: %llx", &effective) == 1)
            break;
    if (status != NULL)
        fclose(status);
    if (effective & (1ULL << 19)) {
        snprintf(error, size, "this user keeps CAP_SYS_PTRACE, which may read every map");
        return -1;
    }
    return 0;
}

/* What the reader of the map of a process it may not read saw. */
struct denied_report {
    char setup_error[160];      /* empty when the reader could try */
    int result;
    int saved_errno;
};

LAB_TEST(find_passes_on_EACCES_for_a_map_it_may_not_read, 2, "3.5", "keep fopen's errno")
{
    int to_target[2], ready[2], channel[2];
    struct denied_report report;
    int local = 0, status;
    char byte;

    ck_assert_msg(pipe(to_target) == 0 && pipe(ready) == 0 && pipe(channel) == 0,
                  "test setup: pipe: %s", strerror(errno));
    /* The target makes itself undumpable: only a process with CAP_SYS_PTRACE may
     * read its map now. It waits until the test closes its pipe. */
    pid_t target = fork();
    ck_assert_msg(target != -1, "test setup: fork: %s", strerror(errno));
    if (target == 0) {
        close(to_target[1]);
        close(ready[0]);
        if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1 || write(ready[1], "r", 1) != 1)
            _exit(1);
        while (read(to_target[0], &byte, 1) > 0)
            continue;
        _exit(0);
    }
    close(to_target[0]);
    close(ready[1]);
    ssize_t got = read(ready[0], &byte, 1);
    close(ready[0]);
    /* The reader drops root (and with it CAP_SYS_PTRACE), then asks. */
    pid_t reader = got == 1 ? fork() : -1;
    if (reader == 0) {
        memset(&report, 0, sizeof report);
        if (become_nobody(report.setup_error, sizeof report.setup_error) == 0) {
            struct map_region region;
            errno = 0;
            report.result = maps_find(target, (uintptr_t)&local, &region);
            report.saved_errno = errno;
        }
        _exit(write(channel[1], &report, sizeof report) == (ssize_t)sizeof report ? 0 : 1);
    }
    close(channel[1]);
    got = reader > 0 ? read(channel[0], &report, sizeof report) : 0;
    close(channel[0]);
    close(to_target[1]);
    if (reader > 0 && !wait_for_exit(reader, 10, &status))
        kill_and_reap(reader);
    if (!wait_for_exit(target, 10, &status))
        kill_and_reap(target);

    ck_assert_msg(got == (ssize_t)sizeof report, "test setup: the process that calls maps_find() "
                  "reported nothing (did maps_find() crash?)");
    if (report.setup_error[0] != '\0') {
        lab_skip(report.setup_error);
        return;
    }
    ck_assert_msg(report.result == -1 && report.saved_errno == EACCES,
                  "maps_find() of the map of a process that this one may not read returned %d "
                  "with errno %d (%s); expected -1 with errno EACCES, the errno of fopen(). "
                  "Keep the errno of the call that failed: set ENOENT only when no region "
                  "holds the address", report.result, report.saved_errno,
                  strerror(report.saved_errno));
}
END_TEST

/* A file whose path is about 3000 bytes long, in TMPDIR: its name, its folders. */
struct long_path {
    char path[PATH_MAX];
    char folders[16][PATH_MAX];
    int depth;
};

static void make_long_path(struct long_path *made)
{
    const char *tmp = getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp";
    char component[201], real[PATH_MAX];

    memset(component, 'd', 200);
    component[200] = '\0';
    made->depth = 0;
    /* The kernel shows the path without symbolic links. */
    ck_assert_msg(realpath(tmp, real) != NULL, "test setup: %s: %s", tmp, strerror(errno));
    snprintf(made->path, sizeof made->path, "%.1000s/maps-long-%d", real, (int)getpid());
    while (strlen(made->path) < 2900) {
        ck_assert_msg(mkdir(made->path, 0700) == 0, "test setup: mkdir: %s", strerror(errno));
        snprintf(made->folders[made->depth++], PATH_MAX, "%s", made->path);
        size_t used = strlen(made->path);
        snprintf(made->path + used, sizeof made->path - used, "/%s", component);
    }
    size_t used = strlen(made->path);
    snprintf(made->path + used, sizeof made->path - used, ".data");
}

static void remove_long_path(struct long_path *made)
{
    unlink(made->path);
    while (made->depth > 0)
        rmdir(made->folders[--made->depth]);
}

LAB_TEST(find_reads_a_line_with_a_long_path, 2, "3.4", "getline, not a fixed buffer")
{
    static struct long_path made;
    static struct map_region region;
    size_t page = page_size();

    make_long_path(&made);
    int fd = open(made.path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    int sized = fd != -1 && ftruncate(fd, (off_t)page) == 0;
    char *mapped = sized ? mmap(NULL, page, PROT_READ, MAP_PRIVATE, fd, 0) : MAP_FAILED;
    int saved_errno = errno;
    if (fd != -1)
        close(fd);
    remove_long_path(&made);
    ck_assert_msg(mapped != MAP_FAILED, "test setup: mapping %s: %s", made.path,
                  strerror(saved_errno));

    errno = 0;
    int result = maps_find(0, (uintptr_t)mapped, &region);
    saved_errno = errno;
    munmap(mapped, page);
    ck_assert_msg(result == 0, "maps_find() of a page of a file whose path is %zu bytes long "
                  "returned %d (errno %d: %s); expected 0. Its maps line is longer than a "
                  "fixed buffer of fgets: read lines with getline, which grows its buffer",
                  strlen(made.path), result, saved_errno, strerror(saved_errno));
    ck_assert_msg(strncmp(region.path, made.path, strlen(made.path)) == 0,
                  "maps_find() of a page of a file whose path is %zu bytes long gave the path "
                  "\"%.60s...\" (%zu bytes); expected the file's path, \"%.60s...\"",
                  strlen(made.path), region.path, strlen(region.path), made.path);
}
END_TEST

/* ---------- classify_address ---------- */

LAB_TEST(classify_a_function_as_text, 2, "4.2", "")
{
    expect_segment("a function", (const void *)&test_function, SEG_TEXT);
}
END_TEST

LAB_TEST(classify_a_string_literal_and_a_const_global_as_rodata, 2, "4.2", "")
{
    expect_segment("a string literal", "a literal string", SEG_RODATA);
    expect_segment("a const global", &test_const_global, SEG_RODATA);
}
END_TEST

LAB_TEST(classify_an_initialized_global_and_static_local_as_data, 2, "4.2", "")
{
    expect_segment("an initialized global", &test_initialized_global, SEG_DATA);
    expect_segment("an initialized static local", test_static_local(), SEG_DATA);
}
END_TEST

LAB_TEST(classify_zero_and_uninitialized_globals_as_bss, 3, "4.3", "")
{
    expect_segment("a global initialized to 0", &test_zero_global, SEG_BSS);
    expect_segment("an uninitialized global", &test_uninitialized_global, SEG_BSS);
}
END_TEST

LAB_TEST(classify_a_small_malloc_as_heap, 2, "4.4", "")
{
    char *block = malloc(16);
    ck_assert_msg(block != NULL, "test setup: malloc failed");
    expect_segment("malloc(16)", block, SEG_HEAP);
    free(block);
}
END_TEST

LAB_TEST(classify_anonymous_mappings_as_mmap, 2, "4.4", "")
{
    ck_assert_msg(mallopt(M_MMAP_THRESHOLD, 128 * 1024) == 1, "test setup: mallopt failed");
    char *large = malloc(1024 * 1024);
    char *page = map_pages(1);
    ck_assert_msg(large != NULL, "test setup: malloc failed");
    expect_segment("malloc(1 MiB) above the mmap threshold", large, SEG_MMAP);
    expect_segment("a page from mmap()", page, SEG_MMAP);
    free(large);
    munmap(page, page_size());
}
END_TEST

LAB_TEST(classify_a_libc_function_as_library, 2, "4.5", "")
{
    expect_segment("printf", (const void *)&printf, SEG_LIBRARY);
}
END_TEST

LAB_TEST(classify_a_local_variable_as_stack, 2, "4.5", "")
{
    int local = 0;
    expect_segment("a local variable", &local, SEG_STACK);
}
END_TEST

LAB_TEST(classify_the_vdso_as_kernel, 2, "4.5", "")
{
    const void *vdso = (const void *)getauxval(AT_SYSINFO_EHDR);
    ck_assert_msg(vdso != NULL, "test setup: no vdso (getauxval(AT_SYSINFO_EHDR) is 0)");
    expect_segment("the vdso", vdso, SEG_KERNEL);
}
END_TEST

LAB_TEST(classify_an_unmapped_address_as_unknown, 2, "4.1", "")
{
    size_t page = page_size();
    char *pages = map_pages(3);
    ck_assert_msg(munmap(pages + page, page) == 0, "test setup: munmap: %s", strerror(errno));
    expect_segment("the page before a hole", pages, SEG_MMAP);
    expect_segment("a hole between two mappings", pages + page, SEG_UNKNOWN);
    munmap(pages, page);
    munmap(pages + 2 * page, page);
}
END_TEST

/* A large BSS: more than a page, so that it spills past the program file's
 * last page into an anonymous region. */
static char test_large_bss[256 * 1024];

LAB_TEST(classify_all_of_a_large_bss_as_bss, 2, "4.3", "check edata and end first")
{
    const char *last = &test_large_bss[sizeof test_large_bss - 1];

    /* The first byte shares the program file's last page; the last lies in the
     * anonymous region after it, which the table alone would call mmap. */
    expect_segment("the first byte of a 256 KiB zero global", test_large_bss, SEG_BSS);
    expect_segment("the last byte of a 256 KiB zero global", last, SEG_BSS);

    /* The bounds: &edata <= addr < &end. */
    extern char edata, end;
    expect_segment("&edata, the first byte of the BSS", &edata, SEG_BSS);
    enum segment past_the_end = classify_address(&end);
    ck_assert_msg(past_the_end != SEG_BSS,
                  "classify_address(&end at %p) gave bss; expected anything else: end is the "
                  "first address AFTER the BSS (&edata <= addr < &end)", (const void *)&end);
}
END_TEST

LAB_TEST(classify_the_kernels_other_pages_as_kernel, 2, "4.5", "[vvar], [vvar_vclock], [vsyscall]")
{
    const char *names[] = { "[vvar]", "[vvar_vclock]", "[vsyscall]" };
    FILE *maps = fopen("/proc/self/maps", "r");
    char line[512];
    int found = 0;

    ck_assert_msg(maps != NULL, "test setup: /proc/self/maps: %s", strerror(errno));
    while (fgets(line, sizeof line, maps) != NULL) {
        unsigned long long start, end;
        char path[64] = "";
        if (sscanf(line, "%llx-%llx %*s %*s %*s %*s %63s", &start, &end, path) < 2)
            continue;
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
            if (strcmp(path, names[i]) == 0) {
                found++;
                expect_segment(names[i], (const void *)(uintptr_t)start, SEG_KERNEL);
                expect_segment(names[i], (const void *)(uintptr_t)(end - 1), SEG_KERNEL);
            }
        }
    }
    fclose(maps);
    if (found == 0) {
        lab_skip("this process has none of [vvar], [vvar_vclock] and [vsyscall]");
        return;
    }
}
END_TEST

LAB_TEST(classify_a_mapped_data_file_as_library, 1, "4.5", "any other file")
{
    const char *tmp = getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp";
    char path[PATH_MAX];
    size_t page = page_size();

    snprintf(path, sizeof path, "%s/classify-%d.data", tmp, (int)getpid());
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    ck_assert_msg(fd != -1, "test setup: %s: %s", path, strerror(errno));
    unlink(path);
    ck_assert_msg(ftruncate(fd, (off_t)page) == 0, "test setup: ftruncate: %s", strerror(errno));
    char *data = mmap(NULL, page, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    ck_assert_msg(data != MAP_FAILED, "test setup: mmap: %s", strerror(errno));
    expect_segment("a page of a data file that the program mapped", data, SEG_LIBRARY);
    munmap(data, page);
}
END_TEST

LAB_TEST(classify_a_named_anonymous_region_as_mmap, 1, "4.4", "[anon:NAME]")
{
    size_t page = page_size();
    char *pages = map_pages(1);

    if (prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, (unsigned long)pages, page,
              (unsigned long)"lab 01 test") == -1) {
        munmap(pages, page);
        lab_skip("this kernel cannot name anonymous memory (prctl PR_SET_VMA_ANON_NAME "
                 "fails), so no [anon:NAME] region can be made here");
        return;
    }
    expect_segment("a page of anonymous memory named [anon:lab 01 test]", pages, SEG_MMAP);
    munmap(pages, page);
}
END_TEST
