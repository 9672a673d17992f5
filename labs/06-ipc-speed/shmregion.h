/*
 * shmregion.h - a POSIX shared memory region for a parent and its child.
 */
#ifndef SHMREGION_H
#define SHMREGION_H

#include <stddef.h>

/*
 * Create the shared memory object /NAME (name has no slash), size bytes of
 * zeros, map it (MAP_SHARED) and remove its name at once: the mapping stays,
 * and a child forked afterwards shares it. Nothing is left in /dev/shm, even
 * if a process dies. Returns the address, or NULL with errno set.
 */
void *shm_region_create(const char *name, size_t size);

/* Unmap a region of shm_region_create. 0, or -1 with errno set. */
int shm_region_destroy(void *base, size_t size);

#endif
