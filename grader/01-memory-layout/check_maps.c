/*
 * check_maps.c - Check tests for lab 01: the maps parser, the region look-up
 * and the classification of addresses in this (the test's own) process.
 *
 * Each test's name states the behaviour it checks; its failure message says
 * what was expected and what happened. The points table names the handout
 * section for each test.
 */
#include "labcheck.h"
#include "maps.h"
#include "segment.h"

#include <dirent.h>
#include <errno.h>
#include <malloc.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

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

LAB_TEST(parse_reads_start_and_end_as_hex, 3, "3.2", "")
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
}
END_TEST

LAB_TEST(parse_reads_64_bit_addresses, 3, "3.2", "addresses are 64 bits")
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

LAB_TEST(parse_gives_an_empty_path_to_an_anonymous_mapping, 3, "3.1", "")
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

LAB_TEST(parse_keeps_the_deleted_suffix, 2, "3.1", "")
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

LAB_TEST(parse_rejects_malformed_lines_with_EINVAL, 5, "3.3", "")
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

LAB_TEST(parse_reads_every_line_of_proc_self_maps, 3, "3.2", "")
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

/* ---------- maps_find ---------- */

static void find_ok(pid_t pid, uintptr_t address, struct map_region *region)
{
    errno = 0;
    int result = maps_find(pid, address, region);
    int saved_errno = errno;
    ck_assert_msg(result == 0, "maps_find(%d, %#lx) returned %d (errno %d: %s); expected 0",
                  (int)pid, (unsigned long)address, result, saved_errno, strerror(saved_errno));
    ck_assert_msg(region->start <= address && address < region->end,
                  "maps_find(%d, %#lx) gave the region %#lx-%#lx, which does not hold it "
                  "(a region holds start <= address < end)",
                  (int)pid, (unsigned long)address, (unsigned long)region->start,
                  (unsigned long)region->end);
}

LAB_TEST(find_returns_the_region_holding_a_stack_address, 3, "3.4", "")
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

LAB_TEST(find_treats_the_end_address_as_outside_the_region, 4, "3.4", "the end is exclusive")
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

/* How many file descriptors this process has open. */
static int open_descriptors(void)
{
    DIR *fds = opendir("/proc/self/fd");
    struct dirent *entry;
    int count = 0;

    ck_assert_msg(fds != NULL, "test setup: /proc/self/fd: %s", strerror(errno));
    while ((entry = readdir(fds)) != NULL)
        if (entry->d_name[0] != '.')
            count++;
    closedir(fds);
    return count;
}

LAB_TEST(find_closes_the_maps_file, 2, "3.4", "")
{
    int local = 0;
    struct map_region region;
    int before = open_descriptors();

    for (int i = 0; i < 3; i++) {
        find_ok(0, (uintptr_t)&local, &region);
        errno = 0;
        ck_assert_msg(maps_find(0, 0, &region) == -1 && errno == ENOENT,
                      "maps_find(0, 0) did not fail with ENOENT");
    }
    int after = open_descriptors();
    ck_assert_msg(after == before,
                  "%d file descriptors were open before 6 calls of maps_find and %d after: "
                  "close /proc/PID/maps on every path out of maps_find (fclose)",
                  before, after);
}
END_TEST

LAB_TEST(find_reads_the_map_of_another_process, 4, "3.5", "")
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
                  "maps_find(%d, %p) for a page the child mapped returned %d; expected 0 "
                  "(read /proc/%d/maps)", (int)child, (void *)child_page, in_child, (int)child);
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
                  "maps_find(%d) for a process that has exited returned %d with errno %d (%s); "
                  "expected -1 with errno ENOENT from opening /proc/%d/maps",
                  (int)child, result, saved_errno, strerror(saved_errno), (int)child);
}
END_TEST

/* ---------- classify_address ---------- */

LAB_TEST(classify_a_function_as_text, 2, "4.2", "")
{
    expect_segment("a function", (const void *)&test_function, SEG_TEXT);
}
END_TEST

LAB_TEST(classify_a_string_literal_and_a_const_global_as_rodata, 3, "4.2", "")
{
    expect_segment("a string literal", "a literal string", SEG_RODATA);
    expect_segment("a const global", &test_const_global, SEG_RODATA);
}
END_TEST

LAB_TEST(classify_an_initialized_global_and_static_local_as_data, 3, "4.2", "")
{
    expect_segment("an initialized global", &test_initialized_global, SEG_DATA);
    expect_segment("an initialized static local", test_static_local(), SEG_DATA);
}
END_TEST

LAB_TEST(classify_zero_and_uninitialized_globals_as_bss, 4, "4.3", "")
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

LAB_TEST(classify_anonymous_mappings_as_mmap, 3, "4.4", "")
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
