/*
 * failspec.c - read the failure specification "NAME:N[:ERRNO][,...]" of the
 * test-only failure injection (failspec.h) into items: which name, which
 * call, which errno.
 */
#include "failspec.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The errno names a specification may give (any other as a number). */
static const struct { const char *name; int value; } errno_names[] = {
    { "EACCES", EACCES }, { "EAGAIN", EAGAIN }, { "EBADF", EBADF }, { "EBUSY", EBUSY },
    { "EFAULT", EFAULT }, { "EIDRM", EIDRM }, { "EINTR", EINTR }, { "EINVAL", EINVAL },
    { "EIO", EIO }, { "EMFILE", EMFILE }, { "ENFILE", ENFILE }, { "ENOMEM", ENOMEM },
    { "ENOSPC", ENOSPC }, { "EOVERFLOW", EOVERFLOW },
};

/* Does text (length characters) spell word? */
static int spells(const char *text, size_t length, const char *word)
{
    return strlen(word) == length && strncmp(text, word, length) == 0;
}

/* The errno that text (length characters) names or numbers; 0 for none. */
static int errno_value(const char *text, size_t length)
{
    char *end;
    long number;

    for (size_t i = 0; i < sizeof errno_names / sizeof errno_names[0]; i++)
        if (spells(text, length, errno_names[i].name))
            return errno_names[i].value;
    if (length == 0 || text[0] < '0' || text[0] > '9')
        return 0;
    number = strtol(text, &end, 10);
    if (end != text + length || number < 1 || number > 4095)
        return 0;
    return (int)number;
}

/* One item, "NAME:N[:ERRNO]" (length characters), into item; -1 when it is not one. */
static int parse_item(const char *text, size_t length, const char *const names[],
                      int name_count, struct failspec *item)
{
    const char *colon = memchr(text, ':', length);
    char *end;

    if (colon == NULL)
        return -1;
    item->name = -1;
    for (int i = 0; i < name_count; i++)
        if (spells(text, (size_t)(colon - text), names[i]))
            item->name = i;
    if (item->name == -1 || colon[1] < '0' || colon[1] > '9')
        return -1;
    item->call = strtol(colon + 1, &end, 10);
    item->error = 0;
    if (item->call < 1)
        return -1;
    if (end == text + length)
        return 0;
    if (*end != ':')
        return -1;
    item->error = errno_value(end + 1, (size_t)(text + length - end - 1));
    return item->error == 0 ? -1 : 0;
}

int failspec_parse(const char *spec, const char *const names[], int name_count,
                   struct failspec items[], int capacity)
{
    int count = 0;

    if (*spec == '\0')
        return 0;
    for (;;) {
        size_t length = strcspn(spec, ",");
        if (count == capacity ||
            parse_item(spec, length, names, name_count, &items[count]) == -1)
            return -1;
        count++;
        if (spec[length] == '\0')
            return count;
        spec += length + 1;
    }
}
