/*
 * workload.c - the two workloads: ping-pong latency and one-way throughput.
 *
 * Latency: the parent sends a message and the child sends it straight back;
 * the time of each round trip goes into a list, for the median and the 99th
 * percentile. The parent checks every echo in full, outside the timed part.
 *
 * Throughput: the parent streams messages; the child checks every one in
 * full as it arrives. The clock starts after a warm-up and stops when the
 * child's acknowledgement (the last message, sent back) arrives: a writer
 * that only timed its own writes would time how fast the kernel or the ring
 * takes data in, not how fast it gets to the other side.
 *
 * Handout: handouts/06-ipc-speed.md, section 2.3.
 */
#include "workload.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

uint64_t now_ns(void)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

/* The messages to warm up with before the timed ones, in count mode. */
static unsigned long warmup_count(const struct run_limits *limits)
{
    return limits->count / 10 + 1;
}

static int failed(const char *what, char *why, size_t why_size)
{
    snprintf(why, why_size, "%s: %s", what, strerror(errno));
    return -1;
}

int latency_parent(const struct transport_ops *ops, void *state, struct message_set *set,
                   const struct run_limits *limits, struct samples *round_trips,
                   char *why, size_t why_size)
{
    unsigned char *reply = malloc(set->size);
    uint64_t start = now_ns(), timed_from = 0;
    unsigned long timed = 0;
    int warming = 1, result = -1;

    if (reply == NULL)
        return failed("malloc", why, why_size);
    for (uint64_t sequence = 0;; sequence++) {
        uint64_t before = now_ns();
        if (warming && (limits->count > 0 ? sequence >= warmup_count(limits)
                        : (double)(before - start) >= limits->seconds / 10 * 1e9)) {
            warming = 0;
            timed_from = before;
        }
        int last = !warming && (limits->count > 0 ? timed + 1 >= limits->count
                                : (double)(before - timed_from) >= limits->seconds * 1e9);
        const unsigned char *message =
            message_stamp(set, sequence, MESSAGE_ECHO | (last ? MESSAGE_END : 0));

        if (ops->send(state, message, set->size) == -1) {
            failed("send", why, why_size);
            goto out;
        }
        if (ops->recv(state, reply, set->size) == -1) {
            failed("recv", why, why_size);
            goto out;
        }
        uint64_t after = now_ns();
        if (message_check(set, reply, sequence, 1, why, why_size) == -1)
            goto out;
        if (!warming) {
            if (samples_add(round_trips, (double)(after - before)) == -1) {
                failed("malloc", why, why_size);
                goto out;
            }
            timed++;
        }
        if (last)
            break;
    }
    result = 0;
out:
    free(reply);
    return result;
}

/* Send messages number first, first + 1, ...: count of them, or for seconds
 * when count is 0. The last one asks for an echo and carries last_flags.
 * Sets *next to the number after the last. 0, or -1 with a reason in why. */
static int stream(const struct transport_ops *ops, void *state, struct message_set *set,
                  uint64_t first, unsigned long count, double seconds, uint32_t last_flags,
                  uint64_t *next, char *why, size_t why_size)
{
    uint64_t start = now_ns();
    uint64_t sequence = first;

    for (;;) {
        int last;
        if (count > 0)
            last = sequence - first + 1 >= count;
        else        /* the clock, every 16 messages: small messages go fast */
            last = (sequence - first) % 16 == 15 &&
                   (double)(now_ns() - start) >= seconds * 1e9;
        const unsigned char *message =
            message_stamp(set, sequence, last ? MESSAGE_ECHO | last_flags : 0);
        if (ops->send(state, message, set->size) == -1)
            return failed("send", why, why_size);
        sequence++;
        if (last)
            break;
    }
    *next = sequence;
    return 0;
}

/* Wait for the echo of message number sequence, and check it. */
static int acknowledged(const struct transport_ops *ops, void *state, struct message_set *set,
                        unsigned char *reply, uint64_t sequence, char *why, size_t why_size)
{
    if (ops->recv(state, reply, set->size) == -1)
        return failed("recv of the acknowledgement", why, why_size);
    return message_check(set, reply, sequence, 1, why, why_size);
}

int throughput_parent(const struct transport_ops *ops, void *state, struct message_set *set,
                      const struct run_limits *limits, double *seconds,
                      unsigned long *messages, char *why, size_t why_size)
{
    unsigned char *reply = malloc(set->size);
    uint64_t next, timed_from;
    int result = -1;

    if (reply == NULL)
        return failed("malloc", why, why_size);
    /* The warm-up: its last message is echoed, so the pipeline is empty after it. */
    if (stream(ops, state, set, 0, limits->count > 0 ? warmup_count(limits) : 0,
               limits->seconds / 10, 0, &next, why, why_size) == -1 ||
        acknowledged(ops, state, set, reply, next - 1, why, why_size) == -1)
        goto out;

    uint64_t start = now_ns();
    timed_from = next;
    if (stream(ops, state, set, timed_from, limits->count, limits->seconds, MESSAGE_END,
               &next, why, why_size) == -1 ||
        acknowledged(ops, state, set, reply, next - 1, why, why_size) == -1)
        goto out;
    *seconds = (double)(now_ns() - start) / 1e9;
    *messages = (unsigned long)(next - timed_from);
    result = 0;
out:
    free(reply);
    return result;
}

int workload_child(const struct transport_ops *ops, void *state, struct message_set *set,
                   int check_bodies, char *why, size_t why_size)
{
    unsigned char *message = malloc(set->size);
    int result = -1;

    if (message == NULL)
        return failed("malloc", why, why_size);
    for (uint64_t sequence = 0;; sequence++) {
        if (ops->recv(state, message, set->size) == -1) {
            failed("recv", why, why_size);
            break;
        }
        if (message_check(set, message, sequence, check_bodies, why, why_size) == -1)
            break;
        uint32_t flags = message_flags(message);
        if ((flags & MESSAGE_ECHO) && ops->send(state, message, set->size) == -1) {
            failed("send", why, why_size);
            break;
        }
        if (flags & MESSAGE_END) {
            result = 0;
            break;
        }
    }
    free(message);
    return result;
}
