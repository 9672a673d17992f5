/*
 * workload.h - the two workloads: ping-pong latency and one-way throughput.
 */
#ifndef WORKLOAD_H
#define WORKLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "message.h"
#include "stats.h"
#include "transport.h"

/* How long a measurement runs: count messages (count > 0), or else seconds.
 * A warm-up of about a tenth of that comes first and is not counted. */
struct run_limits {
    unsigned long count;
    double seconds;
};

/* Nanoseconds on the monotonic clock. */
uint64_t now_ns(void);

/*
 * The parent's side of the latency workload: send a message, wait for the
 * child to send it back, again and again; add each round trip's time (ns)
 * to round_trips. 0, or -1 with a reason in why.
 */
int latency_parent(const struct transport_ops *ops, void *state, struct message_set *set,
                   const struct run_limits *limits, struct samples *round_trips,
                   char *why, size_t why_size);

/*
 * The parent's side of the throughput workload: send messages one way as
 * fast as the transport takes them; the clock stops when the child's
 * acknowledgement of the last one arrives. Sets *seconds and *messages (the
 * timed ones). 0, or -1 with a reason in why.
 */
int throughput_parent(const struct transport_ops *ops, void *state, struct message_set *set,
                      const struct run_limits *limits, double *seconds,
                      unsigned long *messages, char *why, size_t why_size);

/*
 * The child's side of both: receive messages in order, check each one
 * (bodies too if check_bodies), send back those marked MESSAGE_ECHO, stop
 * after the one marked MESSAGE_END. 0, or -1 with a reason in why.
 */
int workload_child(const struct transport_ops *ops, void *state, struct message_set *set,
                   int check_bodies, char *why, size_t why_size);

#endif
