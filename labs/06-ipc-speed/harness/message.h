/*
 * message.h - the messages of ipcbench: numbered, and checked on arrival.
 *
 * A message of size bytes (at least MESSAGE_MIN) is laid out as:
 *   bytes 0-7     sequence number (0, 1, 2, ...)
 *   bytes 8-11    flags: MESSAGE_ECHO, MESSAGE_END
 *   bytes 12-15   size
 *   bytes 16...   a body of pseudo-random bytes, one of MESSAGE_BODIES kinds
 *   last 8 bytes  the sequence number again
 * The receiver checks the numbers and compares the body with the one that was
 * sent (both processes have the bodies), so that a lost, repeated, shifted,
 * torn or stale byte shows.
 */
#ifndef MESSAGE_H
#define MESSAGE_H

#include <stddef.h>
#include <stdint.h>

enum { MESSAGE_MIN = 32, MESSAGE_BODIES = 3 };

enum message_flags {
    MESSAGE_ECHO = 1,   /* the receiver sends this message back */
    MESSAGE_END = 2,    /* the last message of a run */
};

/* The messages one side sends: MESSAGE_BODIES buffers of size bytes, used in
 * turn. Made before fork(), they are the same in both processes. */
struct message_set {
    size_t size;
    unsigned char *buffer[MESSAGE_BODIES];
};

/* Make the buffers. 0, or -1 with errno set. */
int messages_create(struct message_set *set, size_t size);
void messages_destroy(struct message_set *set);

/* Stamp message number sequence with flags and return its buffer. */
const unsigned char *message_stamp(struct message_set *set, uint64_t sequence,
                                   uint32_t flags);

/* Check that got is message number sequence, whole. body_too = 0 checks only
 * the numbers. 0, or -1 with a sentence saying what is wrong in why. */
int message_check(const struct message_set *set, const unsigned char *got,
                  uint64_t sequence, int body_too, char *why, size_t why_size);

/* The flags of a received message. */
uint32_t message_flags(const unsigned char *message);

#endif
