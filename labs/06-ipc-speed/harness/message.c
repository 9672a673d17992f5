/*
 * message.c - the messages of ipcbench: numbered, and checked on arrival.
 *
 * The bodies are made once, before fork(); sending message n only writes its
 * number into the head and tail of buffer n % 3. The receiver has the same
 * three bodies and compares: three different bodies in turn mean that a
 * receiver who reads an old message instead of the new one (a stale ring
 * slot) sees a wrong body, not just a wrong number.
 *
 * Handout: handouts/06-ipc-speed.md, section 2.3.
 */
#include "message.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { HEADER = 16, TRAILER = 8 };

static uint64_t load64(const unsigned char *p)
{
    uint64_t value;
    memcpy(&value, p, sizeof value);
    return value;
}

static uint32_t load32(const unsigned char *p)
{
    uint32_t value;
    memcpy(&value, p, sizeof value);
    return value;
}

/* xorshift64: a quick pseudo-random sequence, the same in every run. */
static uint64_t next_random(uint64_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state;
}

int messages_create(struct message_set *set, size_t size)
{
    memset(set, 0, sizeof *set);
    if (size < MESSAGE_MIN || size > UINT32_MAX) {
        errno = EINVAL;
        return -1;
    }
    set->size = size;
    for (int kind = 0; kind < MESSAGE_BODIES; kind++) {
        uint64_t state = 0x9e3779b97f4a7c15u * (uint64_t)(kind + 1);
        set->buffer[kind] = malloc(size);
        if (set->buffer[kind] == NULL) {
            messages_destroy(set);
            errno = ENOMEM;
            return -1;
        }
        for (size_t i = 0; i < size; i++)
            set->buffer[kind][i] = (unsigned char)(next_random(&state) >> 56);
    }
    return 0;
}

void messages_destroy(struct message_set *set)
{
    for (int kind = 0; kind < MESSAGE_BODIES; kind++) {
        free(set->buffer[kind]);
        set->buffer[kind] = NULL;
    }
}

const unsigned char *message_stamp(struct message_set *set, uint64_t sequence, uint32_t flags)
{
    unsigned char *message = set->buffer[sequence % MESSAGE_BODIES];
    uint32_t size = (uint32_t)set->size;

    memcpy(message, &sequence, 8);
    memcpy(message + 8, &flags, 4);
    memcpy(message + 12, &size, 4);
    memcpy(message + set->size - TRAILER, &sequence, 8);
    return message;
}

uint32_t message_flags(const unsigned char *message)
{
    return load32(message + 8);
}

int message_check(const struct message_set *set, const unsigned char *got, uint64_t sequence,
                  int body_too, char *why, size_t why_size)
{
    uint64_t head = load64(got), tail = load64(got + set->size - TRAILER);
    uint32_t size = load32(got + 12);

    if (head != sequence) {
        snprintf(why, why_size, "message %" PRIu64 " of %zu bytes: its first 8 bytes say "
                 "message %" PRIu64 " (bytes lost, repeated or out of order)",
                 sequence, set->size, head);
        return -1;
    }
    if (size != set->size) {
        snprintf(why, why_size, "message %" PRIu64 " of %zu bytes: its header says %" PRIu32
                 " bytes", sequence, set->size, size);
        return -1;
    }
    if (tail != sequence) {
        snprintf(why, why_size, "message %" PRIu64 " of %zu bytes: its last 8 bytes say "
                 "message %" PRIu64 " (the message is torn: bytes lost or out of place)",
                 sequence, set->size, tail);
        return -1;
    }
    if (body_too) {
        /* memcmp: glibc's compares 32 bytes at a time, at 25-40 GB/s here, so
         * the check does not slow down the transport it checks. */
        const unsigned char *body = got + HEADER;
        const unsigned char *sent = set->buffer[sequence % MESSAGE_BODIES] + HEADER;
        size_t body_size = set->size - HEADER - TRAILER;
        if (memcmp(body, sent, body_size) != 0) {
            size_t first = 0;
            while (body[first] == sent[first])
                first++;
            snprintf(why, why_size, "message %" PRIu64 " of %zu bytes: byte %zu is %u where "
                     "%u was sent (a stale, shifted or garbled body)",
                     sequence, set->size, HEADER + first, body[first], sent[first]);
            return -1;
        }
    }
    return 0;
}
