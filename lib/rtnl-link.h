/* rtnl-link.h -- rtnetlink requests about network devices.
 *
 * The few link operations that the "linux" datapath provider needs, built
 * on libopenvswitch's Netlink helpers: reading one device or all of them,
 * creating bridges, VXLAN devices and veth pairs, and changing the
 * attributes that vtepd manages.  Every function is synchronous and returns
 * 0 or the positive errno value that the kernel reported. */

#ifndef VTEPD_RTNL_LINK_H
#define VTEPD_RTNL_LINK_H 1

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "openvswitch/types.h"
#include "packets.h"

struct ofpbuf;

/* Longest device alias, including the null terminator (the kernel's
 * IFALIASZ). */
#define RTNL_LINK_ALIAS_SIZE 256

/* Default VXLAN UDP port (IANA). */
#define RTNL_LINK_VXLAN_PORT 4789

/* A network device, as an RTM_NEWLINK message describes it, or as
 * rtnl_link_create() should create it. */
struct rtnl_link {
    int ifindex;                /* Interface index. */
    char name[IFNAMSIZ];        /* Interface name. */
    char alias[RTNL_LINK_ALIAS_SIZE]; /* IFLA_IFALIAS, "" if none. */
    unsigned int flags;         /* IFF_* flags. */
    int master;                 /* IFLA_MASTER (bridge), 0 if none. */
    int lower;                  /* IFLA_LINK (a veth's peer), 0 if none. */
    unsigned int mtu;           /* IFLA_MTU, 0 if unknown (or, to create,
                                 * the kernel's default). */
    char kind[16];              /* IFLA_INFO_KIND, "" if none. */

    /* Kind-specific (IFLA_INFO_DATA), 0 if absent. */
    uint32_t br_ageing;         /* "bridge": ageing time, centiseconds. */
    uint32_t br_max_learned;    /* "bridge": most MACs it learns, 0 for no
                                 * limit. */
    bool br_mcast_snooping;     /* "bridge": snoops IGMP/MLD (and so sends
                                 * IGMP reports of its own). */
    uint32_t vxlan_id;          /* "vxlan": VNI. */
    ovs_be32 vxlan_local;       /* "vxlan": local IPv4 address. */
    ovs_be16 vxlan_port;        /* "vxlan": UDP destination port. */
    bool vxlan_udp_csum;        /* "vxlan": sends UDP checksums (vtepd's
                                 * devices do not: RFC 7348 asks for 0). */

    /* Only for rtnl_link_create(). */
    char peer[IFNAMSIZ];        /* "veth": name of the other end. */
};

int rtnl_link_parse(const struct ofpbuf *msg, struct rtnl_link *);
int rtnl_link_get(const char *name, struct rtnl_link *);
int rtnl_link_dump(void (*cb)(const struct rtnl_link *, void *aux),
                   void *aux);

struct rtnl_link_stats64;
int rtnl_link_get_stats(const int *ifindexes, size_t n,
                        struct rtnl_link_stats64 *, int *errors);

int rtnl_link_create(const struct rtnl_link *);
int rtnl_link_delete(int ifindex);
int rtnl_link_claim(int ifindex, const char *alias);
int rtnl_link_enslave(int ifindex, int master);
int rtnl_link_release(int ifindex);
int rtnl_link_set_up(int ifindex);
int rtnl_link_set_down(int ifindex);
int rtnl_link_set_address(int ifindex, struct eth_addr);
int rtnl_link_set_bridge_ageing(int ifindex, uint32_t ageing);
int rtnl_link_set_bridge_max_learned(int ifindex, uint32_t max);
int rtnl_link_set_bridge_mcast_snooping(int ifindex, bool snooping);
int rtnl_link_set_brport_learning(int ifindex, bool learning);
int rtnl_link_set_brport_neigh_suppress(int ifindex, bool suppress);

#endif /* rtnl-link.h */
