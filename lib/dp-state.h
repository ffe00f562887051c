/* dp-state.h -- what a datapath holds for one physical switch.
 *
 * The same plain-data structure describes both the desired datapath (built
 * from the database by model.c) and the actual one (kept by each datapath
 * provider), so that reconcile.c can compare the two. */

#ifndef VTEPD_DP_STATE_H
#define VTEPD_DP_STATE_H 1

#include <stdbool.h>
#include <stdint.h>
#include "openvswitch/hmap.h"
#include "openvswitch/types.h"
#include "packets.h"
#include "simap.h"
#include "sset.h"

/* Local MAC ageing time, in seconds, of a datapath that has not been told
 * another one. */
#define DP_STATE_DEFAULT_AGEING 300

/* A remote unicast MAC: frames to 'mac' go through the tunnel to 'dst_ip'. */
struct dp_remote_mac {
    struct hmap_node node;      /* In dp_ls.remote_macs, by eth_addr hash. */
    struct eth_addr mac;        /* Remote host's MAC. */
    ovs_be32 dst_ip;            /* Remote VTEP's tunnel IP. */
    uint32_t key;               /* VNI that frames to 'mac' carry, 0 for
                                 * the logical switch's 'vni' (a
                                 * Physical_Locator tunnel_key). */
    uint32_t n_rows;            /* Desired state only: how many database
                                 * rows ask for 'mac' (more than one: a
                                 * conflict or a duplicate). */
};

/* A (logical switch, MAC) pair, in a set of remote MACs to look at again
 * (see model_update_ucast() and reconcile_remote_macs()). */
struct dp_mac_key {
    struct hmap_node node;      /* In the set, by MAC and 'ls'. */
    const struct dp_ls *ls;     /* The logical switch, in a desired state. */
    struct eth_addr mac;        /* The MAC. */
};

/* An IPv4 address of a remote host, which the switch answers ARP requests
 * for itself instead of flooding them into the tunnels (Ucast_Macs_Remote
 * ipaddr). */
struct dp_arp_entry {
    struct hmap_node node;      /* In dp_ls.arp_entries, by IP hash. */
    ovs_be32 ip;                /* The host's IPv4 address. */
    struct eth_addr mac;        /* Its MAC, a remote MAC of the switch. */
};

/* A multicast group: frames to 'mac' go through the tunnel to each of
 * 'ips', instead of to the flood list.  Never empty. */
struct dp_mcast_group {
    struct hmap_node node;      /* In dp_ls.mcast_groups, by eth_addr hash. */
    struct eth_addr mac;        /* Multicast MAC, not the broadcast one. */
    struct sset ips;            /* Remote tunnel IPs, dotted quads in
                                 * canonical form. */
};

/* One logical switch instantiated in the datapath. */
struct dp_ls {
    struct hmap_node node;      /* In dp_state.switches, by name hash. */
    char *name;                 /* Logical_Switch name. */
    uint32_t vni;               /* VXLAN network identifier; 0 = no tunnel. */
    struct hmap remote_macs;    /* Contains struct dp_remote_mac. */
    struct sset flood_ips;      /* BUM replication list: remote tunnel IPs,
                                 * dotted quads in canonical form. */
    struct hmap mcast_groups;   /* Contains struct dp_mcast_group. */
    struct hmap arp_entries;    /* Contains struct dp_arp_entry. */
    struct simap tunnel_keys;   /* The VNI of the entries to each remote
                                 * tunnel IP (dotted quad), where it is not
                                 * 'vni' (a Physical_Locator tunnel_key).
                                 * In an actual state, only that of the
                                 * flood and multicast group entries:
                                 * remote MACs carry their own. */
    bool arp_rows;              /* Desired state only: a Ucast_Macs_Remote
                                 * row of this logical switch has an
                                 * ipaddr, so that its ARP entries depend
                                 * on which MACs are programmed. */
};

/* What went through a binding, as Logical_Binding_Stats counts it: "from
 * local" is what the port's side sent into the logical switch, "to local"
 * what the logical switch sent out of it. */
struct dp_binding_stats {
    uint64_t packets_from_local;
    uint64_t bytes_from_local;
    uint64_t packets_to_local;
    uint64_t bytes_to_local;
};

/* A (port, VLAN) -> logical switch binding. */
struct dp_binding {
    struct hmap_node node;      /* In dp_state.bindings. */
    char *port;                 /* Physical port (netdev) name. */
    uint16_t vlan;              /* 0 = untagged frames only, else 1-4095. */
    char *ls;                   /* Name of the bound dp_ls. */
    struct dp_binding_stats stats;  /* Counters, in a datapath's actual
                                     * state (dp_refresh_stats()); zero in a
                                     * desired state. */
};

/* A whole datapath. */
struct dp_state {
    ovs_be32 tunnel_ip;         /* Local VTEP tunnel IP, 0 if none. */
    unsigned int mac_ageing;    /* Local MAC ageing time, seconds. */
    unsigned int local_mac_limit;   /* Most MACs learned per logical
                                     * switch, 0 for no limit. */
    struct hmap switches;       /* Contains struct dp_ls. */
    struct hmap bindings;       /* Contains struct dp_binding. */
    struct sset service_nodes;  /* Desired state only: every remote tunnel
                                 * IP that a service_node replication list
                                 * names, chosen or not, as dotted quads.
                                 * The switch keeps a tunnel (and its BFD
                                 * session) to each, so that BUM traffic
                                 * can move to another when one fails. */
};

/* A MAC learned on a bound port. */
struct dp_local_mac {
    struct hmap_node node;      /* In the provider's local MAC table. */
    char *ls;                   /* Logical switch it was learned in. */
    struct eth_addr mac;        /* Learned source MAC. */
    char *port;                 /* Port it was learned on. */
    uint16_t vlan;              /* VLAN of the binding, 0 if untagged. */
    ovs_be32 ip;                /* IPv4 address its ARP frames gave, 0 if
                                 * none yet. */
};

void dp_state_init(struct dp_state *);
void dp_state_destroy(struct dp_state *);
void dp_state_clear(struct dp_state *);

struct dp_ls *dp_state_find_ls(const struct dp_state *, const char *name);
struct dp_ls *dp_state_add_ls(struct dp_state *, const char *name,
                              uint32_t vni);
void dp_state_remove_ls(struct dp_state *, struct dp_ls *);

struct dp_binding *dp_state_find_binding(const struct dp_state *,
                                         const char *port, uint16_t vlan);
struct dp_binding *dp_state_add_binding(struct dp_state *, const char *port,
                                        uint16_t vlan, const char *ls);
void dp_state_remove_binding(struct dp_state *, struct dp_binding *);

struct dp_remote_mac *dp_ls_find_remote_mac(const struct dp_ls *,
                                            struct eth_addr);
struct dp_remote_mac *dp_ls_set_remote_mac(struct dp_ls *, struct eth_addr,
                                           ovs_be32 dst_ip);
void dp_ls_remove_remote_mac(struct dp_ls *, struct dp_remote_mac *);
uint32_t dp_ls_get_tunnel_key(const struct dp_ls *, const char *ip);
void dp_ls_set_tunnel_key(struct dp_ls *, const char *ip, uint32_t key);
struct dp_arp_entry *dp_ls_find_arp(const struct dp_ls *, ovs_be32 ip);
struct dp_arp_entry *dp_ls_set_arp(struct dp_ls *, ovs_be32 ip,
                                   struct eth_addr);
void dp_ls_remove_arp(struct dp_ls *, struct dp_arp_entry *);

struct dp_mcast_group *dp_ls_find_mcast_group(const struct dp_ls *,
                                              struct eth_addr);
struct dp_mcast_group *dp_ls_add_mcast_group(struct dp_ls *,
                                             struct eth_addr);
void dp_ls_remove_mcast_group(struct dp_ls *, struct dp_mcast_group *);
void dp_ls_clear_mcast_groups(struct dp_ls *);
bool dp_ls_add_mcast_ip(struct dp_ls *, struct eth_addr, ovs_be32 ip);
void dp_ls_remove_mcast_ip(struct dp_ls *, struct eth_addr, ovs_be32 ip);

size_t dp_state_count_remote_macs(const struct dp_state *);

void dp_mac_keys_add(struct hmap *keys, const struct dp_ls *,
                     struct eth_addr);
void dp_mac_keys_destroy(struct hmap *keys);
void dp_state_get_remote_ips(const struct dp_state *, struct sset *ips);

/* Local MAC tables (hmap of struct dp_local_mac keyed by ls + mac). */
uint32_t dp_local_mac_hash(const char *ls, struct eth_addr);
struct dp_local_mac *dp_local_mac_find(const struct hmap *, const char *ls,
                                       struct eth_addr);
struct dp_local_mac *dp_local_mac_add(struct hmap *, const char *ls,
                                      struct eth_addr, const char *port,
                                      uint16_t vlan);
void dp_local_mac_remove(struct hmap *, struct dp_local_mac *);
void dp_local_macs_clear(struct hmap *);

#endif /* dp-state.h */
