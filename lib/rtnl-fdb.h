/* rtnl-fdb.h -- rtnetlink requests about bridge and VXLAN forwarding
 * databases.
 *
 * Reading FDB entries (family AF_BRIDGE neighbour messages) and changing the
 * entries that make a bridge plus a VXLAN device a VTEP: remote unicast MACs,
 * the flood (head-end replication) list and the replication lists of
 * multicast MACs.  Changes go to the kernel in batches, built with
 * rtnl_fdb_batch_*() and sent together by rtnl_fdb_batch_execute(), which
 * keeps each request's own result.
 *
 * rtnl_fdb_filter_learned() keeps a notification socket from receiving
 * neighbour messages that cannot be about learned bridge entries, such as
 * those about the entries that a batch adds. */

#ifndef VTEPD_RTNL_FDB_H
#define VTEPD_RTNL_FDB_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "openvswitch/types.h"
#include "packets.h"

struct ofpbuf;

/* An FDB entry, as an RTM_NEWNEIGH or RTM_DELNEIGH message of family
 * AF_BRIDGE describes it. */
struct rtnl_fdb {
    int ifindex;                /* Device the entry points to. */
    uint8_t flags;              /* NTF_* flags. */
    uint16_t state;             /* NUD_* state. */
    struct eth_addr mac;        /* MAC address. */
    bool has_dst;               /* Has a VXLAN remote (NDA_DST)? */
    ovs_be32 dst;               /* VXLAN remote, 0 if none or not IPv4. */
    int master;                 /* Bridge holding the entry (NDA_MASTER),
                                 * 0 for a device's own entry. */
    uint32_t vni;               /* VXLAN remote's VNI (NDA_VNI), 0 if the
                                 * kernel gave none: the device's own. */
};

int rtnl_fdb_parse(const struct ofpbuf *msg, struct rtnl_fdb *);
bool rtnl_fdb_is_learned(const struct rtnl_fdb *);
int rtnl_fdb_dump(int master,
                  void (*cb)(const struct rtnl_fdb *, void *aux), void *aux);
int rtnl_fdb_filter_learned(int fd);

/* FDB changes to be sent to the kernel together. */
struct rtnl_fdb_batch {
    struct ofpbuf **requests;   /* Requests, in order; NULL once sent. */
    int *errors;                /* Each request's result, once sent: 0 or
                                 * an errno value. */
    size_t n;                   /* Number of 'requests' and 'errors'. */
    size_t allocated;           /* Allocated elements in both. */
};

/* The FDB entries of a remote MAC, in the order in which
 * rtnl_fdb_batch_add_remote() and rtnl_fdb_batch_del_remote() append one
 * request for each. */
enum rtnl_fdb_remote_entry {
    RTNL_FDB_REMOTE_VXLAN,      /* The VXLAN device's, with the remote. */
    RTNL_FDB_REMOTE_BRIDGE,     /* The bridge's, towards the VXLAN device. */
    RTNL_FDB_REMOTE_N_ENTRIES
};

void rtnl_fdb_batch_init(struct rtnl_fdb_batch *);
void rtnl_fdb_batch_destroy(struct rtnl_fdb_batch *);
void rtnl_fdb_batch_clear(struct rtnl_fdb_batch *);
void rtnl_fdb_batch_add_remote(struct rtnl_fdb_batch *, int vxlan,
                               struct eth_addr, ovs_be32 dst, uint32_t vni);
void rtnl_fdb_batch_del_remote(struct rtnl_fdb_batch *, int vxlan,
                               struct eth_addr);
void rtnl_fdb_batch_add_remote_entry(struct rtnl_fdb_batch *,
                                     enum rtnl_fdb_remote_entry, int vxlan,
                                     struct eth_addr, ovs_be32 dst,
                                     uint32_t vni);
void rtnl_fdb_batch_del_remote_entry(struct rtnl_fdb_batch *,
                                     enum rtnl_fdb_remote_entry, int vxlan,
                                     struct eth_addr);
void rtnl_fdb_batch_add_group(struct rtnl_fdb_batch *, int vxlan,
                              struct eth_addr, ovs_be32 dst, uint32_t vni);
void rtnl_fdb_batch_del_group(struct rtnl_fdb_batch *, int vxlan,
                              struct eth_addr, ovs_be32 dst, uint32_t vni);
void rtnl_fdb_batch_add_flood(struct rtnl_fdb_batch *, int vxlan,
                              ovs_be32 dst, uint32_t vni);
void rtnl_fdb_batch_del_flood(struct rtnl_fdb_batch *, int vxlan,
                              ovs_be32 dst, uint32_t vni);
int rtnl_fdb_batch_execute(struct rtnl_fdb_batch *);
int rtnl_fdb_batch_error(const struct rtnl_fdb_batch *, size_t i);

#endif /* rtnl-fdb.h */
