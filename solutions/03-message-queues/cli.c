/*
 * cli.c - the helpers that mq and sysvmsg share (see cli.h).
 *
 * Handout: handouts/03-message-queues.md, section 4.1.
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int cli_parse_long(const char *text, long min, long max, long *value)
{
    char *end;
    long number;

    errno = 0;
    number = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || number < min || number > max)
        return -1;
    *value = number;
    return 0;
}

char *cli_read_all(FILE *stream, size_t max, size_t *length)
{
    size_t capacity = 4096, used = 0, got;
    char *buffer = malloc(capacity);

    if (buffer == NULL)
        return NULL;
    for (;;) {
        if (used == capacity) {
            char *bigger;
            if (capacity > max) {
                free(buffer);
                errno = EFBIG;
                return NULL;
            }
            bigger = realloc(buffer, capacity * 2);
            if (bigger == NULL) {
                free(buffer);
                return NULL;
            }
            buffer = bigger;
            capacity *= 2;
        }
        got = fread(buffer + used, 1, capacity - used, stream);
        used += got;
        if (got == 0)
            break;
    }
    if (ferror(stream)) {
        free(buffer);
        errno = EIO;
        return NULL;
    }
    if (used > max) {
        free(buffer);
        errno = EFBIG;
        return NULL;
    }
    *length = used;
    return buffer;
}

int cli_print_escaped(FILE *stream, const void *data, size_t length)
{
    const unsigned char *bytes = data;
    int result = 0;

    for (size_t i = 0; i < length && result >= 0; i++) {
        unsigned char byte = bytes[i];
        if (byte == '\\')
            result = fputs("\\\\", stream);
        else if (byte == '\n')
            result = fputs("\\n", stream);
        else if (byte == '\t')
            result = fputs("\\t", stream);
        else if (byte >= 0x20 && byte < 0x7f)
            result = putc(byte, stream);
        else
            result = fprintf(stream, "\\x%02x", byte);
    }
    return result < 0 ? -1 : 0;
}

int cli_error(const char *program, const char *what)
{
    int err = errno;

    fprintf(stderr, "%s: %s: %s\n", program, what, strerror(err));
    if (err == ENOSYS)
        fprintf(stderr, "%s: (ENOSYS: a function of the lab is still a TODO; "
                        "see handouts/03-message-queues.md)\n", program);
    return EXIT_ERROR;
}
