/*
 * transports.c - the list of transports that ipcbench knows.
 */
#include "transport.h"

#include <string.h>

const struct transport_ops *const all_transports[] = {
    &pipe_transport,
    &pipe_1m_transport,
    &fifo_transport,
    &unix_transport,
    &tcp_transport,
    &posixmq_transport,
    &sysvmq_transport,
    &shm_posixsem_transport,
    &shm_sysvsem_transport,
    &shm_spsc_transport,
    NULL,
};

const struct transport_ops *transport_find(const char *name)
{
    for (int i = 0; all_transports[i] != NULL; i++)
        if (strcmp(all_transports[i]->name, name) == 0)
            return all_transports[i];
    return NULL;
}
