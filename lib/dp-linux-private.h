/* dp-linux-private.h -- what the pieces of the "linux" datapath provider
 * share, for them alone: the datapath and its copy of the kernel's devices,
 * and the functions that one piece calls in another.  See dp-linux.c for
 * how the provider works and which piece owns what. */

#ifndef VTEPD_DP_LINUX_PRIVATE_H
#define VTEPD_DP_LINUX_PRIVATE_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "dp.h"
#include "openvswitch/compiler.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/shash.h"
#include "rtnl-link.h"
#include "tc-vlan.h"

struct nl_sock;
struct rtnl_fdb;

/* What a device is to this physical switch, as its alias tells. */
enum dp_linux_role {
    DP_LINUX_NONE,              /* Not one of this switch's devices. */
    DP_LINUX_BRIDGE,            /* Bridge of a logical switch. */
    DP_LINUX_VXLAN,             /* VXLAN device of a logical switch. */
    DP_LINUX_VLAN,              /* Bridge end of the veth pair of a
                                 * (port, N) binding ("vtv"). */
    DP_LINUX_VLAN_PEER,         /* Other end of that veth pair ("vtw"). */
};

/* A network device, as the kernel last reported it. */
struct dp_linux_link {
    struct hmap_node node;      /* In dp_linux.links, by ifindex. */
    struct hmap_node name_node; /* In dp_linux.links_by_name, by name. */
    struct hmap_node own_node;  /* In dp_linux.own_links, if 'role'. */
    enum dp_linux_role role;    /* What it is to this switch. */
    const char *ls;             /* Logical switch (points into info.alias)
                                 * for DP_LINUX_BRIDGE and _VXLAN. */
    const char *port;           /* Port (points into info.alias) for
                                 * DP_LINUX_VLAN and _VLAN_PEER. */
    uint16_t vlan;              /* VLAN for DP_LINUX_VLAN and _VLAN_PEER. */
    int tagger_port;            /* DP_LINUX_VLAN_PEER: ifindex of the port
                                 * that its tagger program sends to, 0 if
                                 * not known to have one. */
    bool neigh_suppress;        /* DP_LINUX_VXLAN: this switch turned on
                                 * neighbour suppression on it. */
    struct rtnl_link info;      /* What the kernel said. */
};

/* The trunk program (see tc-vlan.h) that this switch last left on a port.
 * It goes when the port does. */
struct dp_linux_trunk {
    struct hmap_node node;      /* In dp_linux.trunks, by port name. */
    char *port;                 /* Port name. */
    int ifindex;                /* The port's ifindex. */
    struct tc_vlan_trunk cfg;   /* What the program does (empty: none). */
};

/* Consecutive binding operations of one dp_linux_execute(), all of one
 * type, that dp_linux_bind_flush() finishes together, so that the trunk
 * program of each of their ports is synced once for all of them. */
struct dp_linux_bind_ops {
    struct dp_linux_bind_op *ops;   /* The operations, in order. */
    size_t n;                   /* Number of 'ops'. */
    size_t allocated;           /* Allocated elements of 'ops'. */
    struct hmap ports;          /* Their ports: struct dp_linux_port_sync,
                                 * by name. */
    long long int start;        /* When the first of 'ops' was queued. */
};

/* A Linux datapath. */
struct dp_linux {
    struct dp up;               /* Generic part. */
    struct nl_sock *sock;       /* In RTNLGRP_LINK and RTNLGRP_NEIGH. */
    char *prefix;               /* "vtepd:ps=<switch>:". */
    struct hmap links;          /* All devices, by ifindex. */
    struct hmap links_by_name;  /* All devices, by name. */
    struct hmap own_links;      /* Devices with a role, by role key. */
    uint64_t links_seq;         /* Changes when a device comes, goes or
                                 * changes. */
    uint64_t ports_links_seq;   /* 'links_seq' that dp->up.ports were
                                 * computed at. */
    struct shash port_counters; /* Bound port's name -> struct
                                 * rtnl_link_stats64 *: its counters at the
                                 * last dp_linux_refresh_stats(). */
    uint64_t counters_links_seq; /* 'links_seq' at that refresh. */
    struct hmap trunks;         /* Contains struct dp_linux_trunk. */
    bool more;                  /* Notifications left for the next run? */
    bool arp_more;              /* ARP frames left for the next run? */
    long long int check_at;     /* When to check that the kernel still has
                                 * the devices of the logical switches and
                                 * bindings: a while after devices last
                                 * changed, LLONG_MAX if they did not
                                 * since the last check. */
    struct ds why;              /* What failed, for the operation's log
                                 * message. */
};

/* dp-linux.c. */
int dp_linux_fail(struct dp_linux *, int error, const char *format, ...)
    OVS_PRINTF_FORMAT(3, 4);
void dp_linux_finish(struct dp_linux *, struct dp_op *, int error);
uint32_t dp_linux_ageing(const struct dp_linux *);

/* dp-linux-links.c: the copy of the kernel's devices and local MACs, and
 * devices that this switch creates and deletes. */
char *dp_linux_alias(const struct dp_linux *, enum dp_linux_role,
                     const char *name, uint16_t vlan);
struct dp_linux_link *dp_linux_link_find(const struct dp_linux *,
                                         int ifindex);
struct dp_linux_link *dp_linux_link_find_by_name(const struct dp_linux *,
                                                 const char *name);
struct dp_linux_link *dp_linux_find_own(const struct dp_linux *,
                                        enum dp_linux_role, const char *ls);
struct dp_linux_link *dp_linux_find_vlan(const struct dp_linux *,
                                         enum dp_linux_role,
                                         const char *port, uint16_t vlan);
bool dp_linux_is_port(const struct dp_linux_link *);
const struct dp_linux_link *dp_linux_bound_bridge(
    const struct dp_linux *, const struct dp_linux_link *,
    const char **port, uint16_t *vlan);
bool dp_linux_link_binding(const struct dp_linux_link *,
                           const char **port, uint16_t *vlan);
struct dp_linux_link *dp_linux_link_update(struct dp_linux *,
                                           const struct rtnl_link *);
void dp_linux_link_remove(struct dp_linux *, struct dp_linux_link *);
void dp_linux_links_clear(struct dp_linux *);
void dp_linux_load_link_cb(const struct rtnl_link *, void *dp);
void dp_linux_handle_fdb(struct dp_linux *, const struct rtnl_fdb *,
                         bool deleted);
void dp_linux_load_local_mac(struct dp_linux *, const struct rtnl_fdb *);
int dp_linux_load_local_macs(struct dp_linux *);
int dp_linux_refresh(struct dp_linux *, const char *name,
                     struct dp_linux_link **linkp);
int dp_linux_create(struct dp_linux *, struct rtnl_link *want,
                    const char *key, const char *alias,
                    struct dp_linux_link **linkp);
int dp_linux_delete(struct dp_linux *, struct dp_linux_link *);
int dp_linux_create_veth(struct dp_linux *, const struct dp_linux_link *port,
                         uint16_t vlan, const struct dp_linux_link *br,
                         struct dp_linux_link **vtvp,
                         struct dp_linux_link **vtwp);

/* dp-linux-bind.c: bindings, and the tc programs that carry them; checking
 * that the kernel still has what 'actual' says; the bindings' counters. */
void dp_linux_trunk_remove(struct dp_linux *, struct dp_linux_trunk *);
void dp_linux_trunk_forget(struct dp_linux *, const char *port);
void dp_linux_bind_ops_init(struct dp_linux_bind_ops *);
void dp_linux_bind_ops_destroy(struct dp_linux_bind_ops *);
void dp_linux_bind_queue(struct dp_linux *, struct dp_linux_bind_ops *,
                         struct dp_op *);
void dp_linux_bind_flush(struct dp_linux *, struct dp_linux_bind_ops *);
void dp_linux_check_bindings(struct dp_linux *);
void dp_linux_check_switches(struct dp_linux *);
void dp_linux_refresh_stats(struct dp_linux *);

/* dp-linux-adopt.c: what a restart finds, and what dump_macs shows. */
int dp_linux_adopt(struct dp_linux *, size_t *n_flood, size_t *n_mcast);
int dp_linux_read_macs(struct dp_linux *, const char *ls, struct ds *);

/* dp-linux-arp.c: the IPv4 addresses of local MACs, from ARP. */
int dp_linux_arp_open(void);
void dp_linux_arp_run(struct dp_linux *);
void dp_linux_arp_wait(const struct dp_linux *);

#endif /* dp-linux-private.h */
