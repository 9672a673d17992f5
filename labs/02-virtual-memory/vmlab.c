/*
 * vmlab.c - experiments on this process's own memory that show what virtual
 * memory promises: isolation, protection, demand paging and copy-on-write;
 * and the page-table entry behind an address.
 *
 * Usage: vmlab isolation|protection|demand|cow
 *        vmlab translate ADDRESS|--self
 *
 *   isolation   after fork, the same address holds different values
 *   protection  SIGSEGV, caught, for three kinds of forbidden access
 *   demand      page faults and RSS as fresh pages are read and written
 *   cow         a page shared after fork, copied at the first write
 *   translate   the pagemap entry of ADDRESS (hex, 0x...) or of a local variable
 *
 * Handout: handouts/02-virtual-memory.md, section 5.
 */
#include "experiments.h"

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

const char *yes_no(int value)
{
    return value ? "yes" : "no";
}

const char *frame_text(const struct page_info *info, char *text, size_t size)
{
    if (info->frame_visible)
        snprintf(text, size, "%#" PRIx64, info->frame);
    else if (info->present)
        snprintf(text, size, "not-permitted");
    else
        snprintf(text, size, "none");
    return text;
}

int wait_for_child(pid_t child)
{
    int status;

    while (waitpid(child, &status, 0) == -1) {
        if (errno != EINTR) {
            perror("vmlab: waitpid");
            return -1;
        }
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "vmlab: the child process failed (wait status %#x)\n",
                (unsigned)status);
        return -1;
    }
    return 0;
}

static _Noreturn void usage(void)
{
    fprintf(stderr, "usage: vmlab isolation|protection|demand|cow\n"
                    "       vmlab translate ADDRESS|--self\n");
    exit(2);
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "isolation") == 0)
        return isolation_experiment();
    if (argc == 2 && strcmp(argv[1], "protection") == 0)
        return protection_experiment();
    if (argc == 2 && strcmp(argv[1], "demand") == 0)
        return demand_experiment();
    if (argc == 2 && strcmp(argv[1], "cow") == 0)
        return cow_experiment();
    if (argc == 3 && strcmp(argv[1], "translate") == 0) {
        if (strcmp(argv[2], "--self") == 0) {
            int local_variable = 2;
            return translate_address(&local_variable, "a local variable of vmlab's main()");
        }
        char *end;
        errno = 0;
        unsigned long long address = strtoull(argv[2], &end, 16);
        if (errno != 0 || end == argv[2] || *end != '\0' || argv[2][0] == '-' ||
            address > UINTPTR_MAX) {
            fprintf(stderr, "vmlab: '%s' is not an address (hexadecimal, e.g. 0x7ffd12345000)\n",
                    argv[2]);
            usage();
        }
        return translate_address((const void *)(uintptr_t)address, "the address given");
    }
    usage();
}
