/* dp.h -- the datapath provider interface.
 *
 * A datapath provider programs one physical switch's forwarding state into
 * something that forwards frames: the Linux kernel ("linux", over
 * rtnetlink) or memory ("dummy", for unit tests and unprivileged runs).
 * It is a small vtable in the style of OVS's netdev_class and dpif_class.
 *
 * The provider keeps 'actual', the state it has programmed (adopted at open
 * time from what the datapath already holds, then updated by every
 * successful operation), and 'local_macs', the MACs learned on bound ports.
 * The daemon computes operations with reconcile.c and hands them to
 * dp_execute(); it never touches the datapath otherwise. */

#ifndef VTEPD_DP_H
#define VTEPD_DP_H 1

#include <stdbool.h>
#include <stdint.h>
#include "dp-state.h"
#include "openvswitch/list.h"
#include "sset.h"

struct ds;

/* The kinds of operation on a datapath.  Listed in the order reconcile.c
 * emits them: removals first, then additions. */
enum dp_op_type {
    DP_OP_BIND_DEL,         /* Remove binding (port, vlan). */
    DP_OP_MAC_DEL,          /* Remove remote MAC 'mac' from 'ls'. */
    DP_OP_FLOOD_DEL,        /* Remove 'ip' from the flood list of 'ls'. */
    DP_OP_MCAST_DEL,        /* Remove 'ip' from multicast group 'mac' of
                             * 'ls' (the group goes with its last one). */
    DP_OP_ARP_DEL,          /* Stop answering ARP for host 'ip' in 'ls'. */
    DP_OP_LS_DEL,           /* Remove logical switch 'ls' and its state. */
    DP_OP_SET_TUNNEL_IP,    /* Local tunnel IP becomes 'ip'. */
    DP_OP_SET_AGEING,       /* Local MAC ageing time becomes 'ageing'. */
    DP_OP_SET_LOCAL_MAC_LIMIT,  /* Most MACs learned per logical switch
                                 * becomes 'local_mac_limit'. */
    DP_OP_LS_ADD,           /* Add logical switch 'ls' with 'vni'. */
    DP_OP_LS_SET_VNI,       /* Change the VNI of 'ls' to 'vni'. */
    DP_OP_BIND_ADD,         /* Bind (port, vlan) to 'ls'. */
    DP_OP_MAC_ADD,          /* Add or move remote MAC 'mac' in 'ls' to
                             * tunnel endpoint 'ip'. */
    DP_OP_FLOOD_ADD,        /* Add 'ip' to the flood list of 'ls'. */
    DP_OP_MCAST_ADD,        /* Add 'ip' to multicast group 'mac' of 'ls'
                             * (adding the group if needed). */
    DP_OP_ARP_ADD,          /* Answer ARP for host 'ip' in 'ls' with remote
                             * MAC 'mac' (in place of another MAC). */
};

/* One operation.  Which members are used depends on 'type'. */
struct dp_op {
    struct ovs_list list_node;  /* In a list of operations. */
    enum dp_op_type type;       /* What to do. */
    char *ls;                   /* Logical switch name. */
    char *port;                 /* Port name, for bindings. */
    uint16_t vlan;              /* VLAN, for bindings. */
    uint32_t vni;               /* VNI, for LS_ADD and LS_SET_VNI. */
    struct eth_addr mac;        /* MAC, for MAC_*, MCAST_*, ARP_ADD. */
    ovs_be32 ip;                /* Tunnel IP, for MAC_ADD, FLOOD_*,
                                 * MCAST_*, SET_TUNNEL_IP; host IP, for
                                 * ARP_*. */
    uint32_t key;               /* VNI of the entry, 0 for the logical
                                 * switch's, for MAC_ADD, FLOOD_* and
                                 * MCAST_* (a Physical_Locator
                                 * tunnel_key). */
    unsigned int ageing;        /* Seconds, for SET_AGEING. */
    unsigned int local_mac_limit;   /* For SET_LOCAL_MAC_LIMIT, 0 for no
                                     * limit. */
    int error;                  /* Set by dp_execute(): 0 or errno. */
};

/* An open datapath.  Providers embed this as their first member. */
struct dp {
    const struct dp_class *class;   /* Provider. */
    char *name;                     /* Physical switch name. */
    struct dp_state actual;         /* What the datapath holds now. */
    struct hmap local_macs;         /* Learned MACs: struct dp_local_mac. */
    uint64_t local_macs_seq;        /* Changes when 'local_macs' changes. */
    struct sset ports;              /* Ports that exist in the datapath. */
    uint64_t ports_seq;             /* Changes when 'ports' changes. */
};

/* A datapath provider. */
struct dp_class {
    const char *type;           /* "linux", "dummy". */

    /* Makes, before vtepd drops privileges (daemonize_start() with
     * --user), what later needs more of them than the rest of the
     * datapath's work.  0 or errno; NULL if there is nothing to do. */
    int (*prepare)(void);

    /* Opens the datapath of physical switch 'name', adopting what it
     * already holds for that switch into 'actual'.  0 or errno. */
    int (*open)(const char *name, struct dp **dpp);

    /* Closes 'dp', leaving the programmed state in place. */
    void (*close)(struct dp *dp);

    /* Processes pending datapath events (learned and aged MACs, ports
     * appearing or going away), and arranges for poll_block() to wake
     * up for the next ones. */
    void (*run)(struct dp *dp);
    void (*wait)(struct dp *dp);

    /* Carries out each operation in 'ops', in order, setting each one's
     * 'error' and updating 'actual' for those that succeed. */
    void (*execute)(struct dp *dp, struct ovs_list *ops);

    /* Appends to 'out' the MACs of logical switch 'ls' as the datapath
     * itself has them (local and remote), one per line.  0 or errno. */
    int (*dump_macs)(struct dp *dp, const char *ls, struct ds *out);

    /* Reads the counters of each binding in 'actual' into its 'stats'.
     * NULL if the datapath has no counters. */
    void (*refresh_stats)(struct dp *dp);
};

extern const struct dp_class dp_linux_class;
extern const struct dp_class dp_dummy_class;

const struct dp_class *dp_class_lookup(const char *type);

int dp_prepare(const char *type);
int dp_open(const char *type, const char *name, struct dp **dpp);
void dp_close(struct dp *);
void dp_run(struct dp *);
void dp_wait(struct dp *);
size_t dp_execute(struct dp *, struct ovs_list *ops);
int dp_dump_macs(struct dp *, const char *ls, struct ds *out);
void dp_refresh_stats(struct dp *);

/* Helpers for providers. */
void dp_init(struct dp *, const struct dp_class *, const char *name);
void dp_uninit(struct dp *);
void dp_apply_to_state(struct dp_state *, const struct dp_op *);
void dp_note_binding_gone(const struct dp_state *actual,
                          const struct dp_op *, struct dp_state *gone);
void dp_forget_local_macs_of_bindings(struct dp *,
                                      const struct dp_state *gone);
void dp_forget_local_macs_of_binding(struct dp *, const char *port,
                                     uint16_t vlan);
void dp_forget_local_macs_of_ls(struct dp *, const char *ls);
size_t dp_count_local_macs_in_ls(const struct dp *, const char *ls);
void dp_get_full_switches(const struct dp *, struct sset *full);

/* Operations. */
struct dp_op *dp_op_create(enum dp_op_type);
void dp_op_destroy(struct dp_op *);
void dp_ops_destroy(struct ovs_list *ops);
const char *dp_op_type_to_string(enum dp_op_type);
void dp_op_format(const struct dp_op *, struct ds *);

#endif /* dp.h */
