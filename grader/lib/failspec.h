/*
 * failspec.h - read a failure specification of the test-only failure
 * injection (lab 02's VMLAB_FAIL, lab 04's LAB04_FAIL, lab 05's
 * PIPELAB_FAIL): "NAME:N[:ERRNO][,NAME:N[:ERRNO]...]", the Nth call (from 1)
 * of NAME fails with ERRNO. Each lab's wrappers count the calls and say which
 * names there are and whether an ERRNO or a list may be given.
 */
#ifndef FAILSPEC_H
#define FAILSPEC_H

/* One item of a specification. */
struct failspec {
    int name;       /* index of NAME in the names the caller gave */
    long call;      /* N: the call that fails, from 1 */
    int error;      /* ERRNO's value, or 0 when the item gives none */
};

/*
 * Read spec into items (at most capacity of them). NAME must be one of
 * names[0..name_count); ERRNO is a name such as EAGAIN (the table in
 * failspec.c) or a positive number. Returns how many items spec has (0 for
 * ""), or -1 when it does not follow the syntax or has more than capacity.
 * Makes no system call and allocates nothing: the wrappers of read, fork,
 * mmap and the others call it.
 */
int failspec_parse(const char *spec, const char *const names[], int name_count,
                   struct failspec items[], int capacity);

#endif
