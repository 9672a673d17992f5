/*
 * shmregion.c - a POSIX shared memory region for a parent and its child.
 *
 * shm_open makes a file in /dev/shm (a tmpfs: memory, not disk), ftruncate
 * gives it a size, mmap with MAP_SHARED maps it: stores by one process are
 * seen by every process that maps it. Mapped before fork(), the region is
 * inherited by the child at the same address.
 *
 * Handout: handouts/06-ipc-speed.md, section 5.1.
 */
#include "shmregion.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

void *shm_region_create(const char *name, size_t size)
{
    char path[NAME_MAX];
    int length = snprintf(path, sizeof path, "/%s", name);

    if (length < 0 || length >= (int)sizeof path) {
        errno = ENAMETOOLONG;
        return NULL;
    }
    int fd = shm_open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd == -1)
        return NULL;
    void *base = MAP_FAILED;
    if (ftruncate(fd, (off_t)size) == 0)
        base = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    int saved_errno = errno;
    shm_unlink(path);       /* the mapping keeps the memory; the name can go */
    close(fd);
    if (base == MAP_FAILED) {
        errno = saved_errno;
        return NULL;
    }
    return base;
}

int shm_region_destroy(void *base, size_t size)
{
    return munmap(base, size);
}
