/* dp-linux-adopt.c -- what the "linux" datapath provider reads back from
 * its devices: when it opens, the devices that a previous run left in place
 * (see dp-linux.c) say which logical switches, tunnel IP, MAC ageing time,
 * bindings, remote MACs, flood lists and multicast groups 'actual' starts
 * from; and the MACs of a logical switch as the kernel has them, for
 * dump_macs.
 *
 * An entry of a VXLAN device with a remote is, by its MAC, a flood list
 * entry (all-zeros MAC), a multicast group entry (a multicast MAC) or a
 * remote MAC (a unicast MAC). */

#include <config.h>
#include "dp-linux-private.h"

#include <errno.h>
#include <linux/neighbour.h>
#include <netinet/in.h>
#include <stdio.h>

#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "rtnl-fdb.h"
#include "rtnl-link.h"
#include "rtnl-neigh.h"
#include "sset.h"
#include "svec.h"

VLOG_DEFINE_THIS_MODULE(dp_linux_adopt);

/* Adopts logical switches, the tunnel IP, the MAC ageing time, the limit on
 * learned MACs and bindings from this switch's devices into 'actual'. */
static void
dp_linux_adopt_links(struct dp_linux *dp)
{
    struct dp_state *actual = &dp->up.actual;
    struct dp_linux_link *link;
    bool have_ageing = false;

    /* Logical switches, ageing time and learning limit, from bridges. */
    HMAP_FOR_EACH (link, own_node, &dp->own_links) {
        if (link->role == DP_LINUX_BRIDGE
            && !dp_state_find_ls(actual, link->ls)) {
            dp_state_add_ls(actual, link->ls, 0);
            if (!have_ageing) {
                actual->mac_ageing = link->info.br_ageing / 100;
                actual->local_mac_limit = link->info.br_max_learned;
                have_ageing = true;
            }
        }
    }

    /* Bridges left with another ageing time or limit (by an interrupted
     * DP_OP_SET_AGEING or DP_OP_SET_LOCAL_MAC_LIMIT) would never be fixed
     * otherwise; nor would those an older vtepd made, which snoop
     * multicast. */
    HMAP_FOR_EACH (link, own_node, &dp->own_links) {
        if (link->role != DP_LINUX_BRIDGE) {
            continue;
        }
        if (link->info.br_ageing != dp_linux_ageing(dp)) {
            VLOG_INFO("%s: setting ageing time of %s to %u s",
                      dp->up.name, link->info.name, actual->mac_ageing);
            if (!rtnl_link_set_bridge_ageing(link->info.ifindex,
                                             dp_linux_ageing(dp))) {
                link->info.br_ageing = dp_linux_ageing(dp);
            }
        }
        if (link->info.br_mcast_snooping
            && !rtnl_link_set_bridge_mcast_snooping(link->info.ifindex,
                                                    false)) {
            link->info.br_mcast_snooping = false;
        }
        if (link->info.br_max_learned != actual->local_mac_limit) {
            VLOG_INFO("%s: setting learned MAC limit of %s to %u",
                      dp->up.name, link->info.name, actual->local_mac_limit);
            if (!rtnl_link_set_bridge_max_learned(link->info.ifindex,
                                                  actual->local_mac_limit)) {
                link->info.br_max_learned = actual->local_mac_limit;
            }
        }
    }

    /* VNIs and tunnel IP, from VXLAN devices in those bridges.  A device
     * with another local IP than the first one leaves its logical switch
     * without a VNI in 'actual', so that it is replaced. */
    HMAP_FOR_EACH (link, own_node, &dp->own_links) {
        const struct dp_linux_link *br;
        struct dp_ls *ls;

        if (link->role != DP_LINUX_VXLAN) {
            continue;
        }
        br = dp_linux_find_own(dp, DP_LINUX_BRIDGE, link->ls);
        ls = dp_state_find_ls(actual, link->ls);
        if (!br || !ls || link->info.master != br->info.ifindex
            || !link->info.vxlan_id || !link->info.vxlan_local
            || link->info.vxlan_port != htons(RTNL_LINK_VXLAN_PORT)
            || link->info.vxlan_udp_csum) {
            continue;
        }
        if (!actual->tunnel_ip) {
            actual->tunnel_ip = link->info.vxlan_local;
        }
        if (link->info.vxlan_local == actual->tunnel_ip) {
            ls->vni = link->info.vxlan_id;
        } else {
            VLOG_WARN("%s: %s has local IP "IP_FMT", not "IP_FMT,
                      dp->up.name, link->info.name,
                      IP_ARGS(link->info.vxlan_local),
                      IP_ARGS(actual->tunnel_ip));
        }
    }

    /* Bindings, from the other ports of those bridges. */
    HMAP_FOR_EACH (link, node, &dp->links) {
        const struct dp_linux_link *br;
        const char *port;
        uint16_t vlan;

        br = dp_linux_bound_bridge(dp, link, &port, &vlan);
        if (br && !dp_state_find_binding(actual, port, vlan)) {
            dp_state_add_binding(actual, port, vlan, br->ls);
        }
    }
}

/* Context for dp_linux_adopt_fdb_cb(). */
struct dp_linux_adopt_ctx {
    struct dp_linux *dp;        /* Datapath. */
    size_t n_flood;             /* Flood list entries adopted. */
    size_t n_mcast;             /* Multicast group entries adopted. */
};

/* Returns the logical switch in 'actual' whose remote MACs, flood list and
 * multicast groups the entries of device 'ifindex' are, or NULL if it is not
 * one of this switch's VXLAN devices that dp_linux_adopt_links() adopted
 * (that is, with its logical switch's VNI). */
static struct dp_ls *
dp_linux_adopt_vxlan_ls(const struct dp_linux *dp, int ifindex)
{
    const struct dp_linux_link *link = dp_linux_link_find(dp, ifindex);
    struct dp_ls *ls = (link && link->role == DP_LINUX_VXLAN
                        ? dp_state_find_ls(&dp->up.actual, link->ls)
                        : NULL);

    return ls && ls->vni && ls->vni == link->info.vxlan_id ? ls : NULL;
}

/* rtnl_fdb_dump() callback: adopts an entry with a remote of one of this
 * switch's VXLAN devices, with its VNI, into the device's logical switch,
 * as a remote MAC, a flood list entry or a multicast group entry, and
 * otherwise an entry that one of its bridges learned on a bound port as a
 * local MAC.  Leaves other entries, among them those of devices that are not
 * this switch's, alone. */
static void
dp_linux_adopt_fdb_cb(const struct rtnl_fdb *fdb, void *ctx_)
{
    struct dp_linux_adopt_ctx *ctx = ctx_;
    struct dp_ls *ls = (fdb->flags & NTF_SELF && fdb->dst
                        ? dp_linux_adopt_vxlan_ls(ctx->dp, fdb->ifindex)
                        : NULL);
    char ip[INET_ADDRSTRLEN];
    uint32_t key;

    if (!ls) {
        dp_linux_load_local_mac(ctx->dp, fdb);
        return;
    }

    key = fdb->vni != ls->vni ? fdb->vni : 0;
    snprintf(ip, sizeof ip, IP_FMT, IP_ARGS(fdb->dst));
    if (eth_addr_is_zero(fdb->mac)) {
        ctx->n_flood += sset_add(&ls->flood_ips, ip) != NULL;
        dp_ls_set_tunnel_key(ls, ip, key);
    } else if (eth_addr_is_multicast(fdb->mac)) {
        ctx->n_mcast += dp_ls_add_mcast_ip(ls, fdb->mac, fdb->dst);
        dp_ls_set_tunnel_key(ls, ip, key);
    } else {
        dp_ls_set_remote_mac(ls, fdb->mac, fdb->dst)->key = key;
    }
}

/* rtnl_neigh_dump() callback: adopts a permanent ARP entry on the bridge of
 * one of this switch's logical switches. */
static void
dp_linux_adopt_arp_cb(int ifindex, ovs_be32 ip, struct eth_addr mac,
                      void *dp_)
{
    struct dp_linux *dp = dp_;
    const struct dp_linux_link *br = dp_linux_link_find(dp, ifindex);
    struct dp_ls *ls = (br && br->role == DP_LINUX_BRIDGE
                        ? dp_state_find_ls(&dp->up.actual, br->ls)
                        : NULL);

    if (ls) {
        dp_ls_set_arp(ls, ip, mac);
    }
}

/* Turns neighbour suppression on, as it should be, on the VXLAN device of
 * each logical switch that has ARP entries. */
static void
dp_linux_adopt_neigh_suppress(struct dp_linux *dp)
{
    struct dp_linux_link *link;

    HMAP_FOR_EACH (link, own_node, &dp->own_links) {
        const struct dp_ls *ls = (link->role == DP_LINUX_VXLAN
                                  ? dp_state_find_ls(&dp->up.actual, link->ls)
                                  : NULL);

        if (ls && !hmap_is_empty(&ls->arp_entries)) {
            link->neigh_suppress = !rtnl_link_set_brport_neigh_suppress(
                link->info.ifindex, true);
        }
    }
}

/* Adopts into 'actual' the logical switches, tunnel IP, MAC ageing time,
 * bindings, remote MACs, flood lists, multicast groups and ARP entries that
 * this switch's devices hold, and the local MACs that its bridges learned,
 * and stores in '*n_flood' and '*n_mcast' the numbers of flood list and
 * multicast group entries adopted.  Expects the devices to be read already.
 * Reads the whole FDB in one dump and sorts its entries out by device (see
 * rtnl_fdb_dump()).  Returns 0 or an errno value. */
int
dp_linux_adopt(struct dp_linux *dp, size_t *n_flood, size_t *n_mcast)
{
    struct dp_linux_adopt_ctx ctx = { .dp = dp, .n_flood = 0, .n_mcast = 0 };
    int error;

    dp_linux_adopt_links(dp);
    error = rtnl_fdb_dump(0, dp_linux_adopt_fdb_cb, &ctx);
    if (!error) {
        error = rtnl_neigh_dump(dp_linux_adopt_arp_cb, dp);
    }
    if (!error) {
        dp_linux_adopt_neigh_suppress(dp);
    }
    *n_flood = ctx.n_flood;
    *n_mcast = ctx.n_mcast;
    return error;
}

/* dump_macs. */

/* Context for dp_linux_dump_cb(). */
struct dp_linux_dump_ctx {
    const struct dp_linux *dp;  /* Datapath. */
    int bridge;                 /* The logical switch's bridge. */
    int vxlan;                  /* Its VXLAN device, 0 if none. */
    struct svec local;          /* "local ..." lines. */
    struct svec remote;         /* "remote ..." lines. */
    struct svec flood;          /* "flood ..." lines. */
    struct svec mcast;          /* "mcast ..." lines. */
};

/* rtnl_fdb_dump() callback for dp_linux_read_macs(). */
static void
dp_linux_dump_cb(const struct rtnl_fdb *fdb, void *ctx_)
{
    struct dp_linux_dump_ctx *ctx = ctx_;

    if (ctx->vxlan && fdb->ifindex == ctx->vxlan
        && fdb->flags & NTF_SELF && fdb->dst) {
        /* The kernel gives an entry's VNI where it is not the device's. */
        char *vni = (fdb->vni ? xasprintf(" vni %"PRIu32, fdb->vni)
                     : xstrdup(""));

        if (eth_addr_is_zero(fdb->mac)) {
            svec_add_nocopy(&ctx->flood, xasprintf("flood  dst "IP_FMT"%s",
                                                   IP_ARGS(fdb->dst), vni));
        } else if (eth_addr_is_multicast(fdb->mac)) {
            svec_add_nocopy(&ctx->mcast,
                            xasprintf("mcast  "ETH_ADDR_FMT" dst "IP_FMT"%s",
                                      ETH_ADDR_ARGS(fdb->mac),
                                      IP_ARGS(fdb->dst), vni));
        } else {
            svec_add_nocopy(&ctx->remote,
                            xasprintf("remote "ETH_ADDR_FMT" dst "IP_FMT"%s",
                                      ETH_ADDR_ARGS(fdb->mac),
                                      IP_ARGS(fdb->dst), vni));
        }
        free(vni);
    } else if (fdb->master == ctx->bridge && fdb->ifindex != ctx->vxlan
               && rtnl_fdb_is_learned(fdb)) {
        const struct dp_linux_link *link = dp_linux_link_find(ctx->dp,
                                                              fdb->ifindex);
        const char *port;
        uint16_t vlan;

        if (link && dp_linux_link_binding(link, &port, &vlan)) {
            svec_add_nocopy(&ctx->local,
                            xasprintf("local  "ETH_ADDR_FMT" port %s vlan "
                                      "%"PRIu16, ETH_ADDR_ARGS(fdb->mac),
                                      port, vlan));
        } else {
            svec_add_nocopy(&ctx->local,
                            xasprintf("local  "ETH_ADDR_FMT" ifindex %d",
                                      ETH_ADDR_ARGS(fdb->mac),
                                      fdb->ifindex));
        }
    }
}

/* Appends to 'out' the FDB entries of logical switch 'ls' as the kernel has
 * them, one per line: the local MACs, the remote MACs, the flood list and
 * the multicast group entries, each sorted.  Returns 0 or an errno value
 * (ENOENT if 'ls' has no bridge). */
int
dp_linux_read_macs(struct dp_linux *dp, const char *ls, struct ds *out)
{
    const struct dp_linux_link *br, *vx;
    struct dp_linux_dump_ctx ctx;
    struct svec *lists[4];
    int error;

    br = dp_linux_find_own(dp, DP_LINUX_BRIDGE, ls);
    if (!br) {
        return ENOENT;
    }
    vx = dp_linux_find_own(dp, DP_LINUX_VXLAN, ls);

    ctx.dp = dp;
    ctx.bridge = br->info.ifindex;
    ctx.vxlan = vx ? vx->info.ifindex : 0;
    svec_init(&ctx.local);
    svec_init(&ctx.remote);
    svec_init(&ctx.flood);
    svec_init(&ctx.mcast);
    error = rtnl_fdb_dump(br->info.ifindex, dp_linux_dump_cb, &ctx);

    lists[0] = &ctx.local;
    lists[1] = &ctx.remote;
    lists[2] = &ctx.flood;
    lists[3] = &ctx.mcast;
    for (size_t i = 0; i < ARRAY_SIZE(lists); i++) {
        const char *line;
        size_t j;

        svec_sort(lists[i]);
        SVEC_FOR_EACH (j, line, lists[i]) {
            ds_put_format(out, "%s\n", line);
        }
        svec_destroy(lists[i]);
    }
    return error;
}
