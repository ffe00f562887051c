/* dp-linux-adopt.c -- what the "linux" datapath provider finds when it
 * opens: this switch's devices, left in place by a previous run (see
 * dp-linux.c), say which logical switches, tunnel IP, MAC ageing time,
 * bindings, remote MACs and flood lists 'actual' starts from. */

#include <config.h>
#include "dp-linux-private.h"

#include <linux/neighbour.h>
#include <netinet/in.h>
#include <stdio.h>

#include "openvswitch/hmap.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "rtnl-fdb.h"
#include "rtnl-link.h"
#include "sset.h"

VLOG_DEFINE_THIS_MODULE(dp_linux_adopt);

/* Adopts logical switches, the tunnel IP, the MAC ageing time and bindings
 * from this switch's devices into 'actual'. */
static void
dp_linux_adopt_links(struct dp_linux *dp)
{
    struct dp_state *actual = &dp->up.actual;
    struct dp_linux_link *link;
    bool have_ageing = false;

    /* Logical switches and ageing time, from bridges. */
    HMAP_FOR_EACH (link, own_node, &dp->own_links) {
        if (link->role == DP_LINUX_BRIDGE
            && !dp_state_find_ls(actual, link->ls)) {
            dp_state_add_ls(actual, link->ls, 0);
            if (!have_ageing) {
                actual->mac_ageing = link->info.br_ageing / 100;
                have_ageing = true;
            }
        }
    }

    /* Bridges left with another ageing time (by an interrupted
     * DP_OP_SET_AGEING) would never be fixed otherwise. */
    HMAP_FOR_EACH (link, own_node, &dp->own_links) {
        if (link->role == DP_LINUX_BRIDGE
            && link->info.br_ageing != dp_linux_ageing(dp)) {
            VLOG_INFO("%s: setting ageing time of %s to %u s",
                      dp->up.name, link->info.name, actual->mac_ageing);
            if (!rtnl_link_set_bridge_ageing(link->info.ifindex,
                                             dp_linux_ageing(dp))) {
                link->info.br_ageing = dp_linux_ageing(dp);
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
            || link->info.vxlan_port != htons(RTNL_LINK_VXLAN_PORT)) {
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
        const struct dp_linux_link *br = dp_linux_link_find(dp,
                                                            link->info.master);
        const char *port;
        uint16_t vlan;

        if (br && br->role == DP_LINUX_BRIDGE
            && dp_linux_link_binding(link, &port, &vlan)
            && !dp_state_find_binding(actual, port, vlan)) {
            dp_state_add_binding(actual, port, vlan, br->ls);
        }
    }
}

/* Context for dp_linux_adopt_fdb_cb(). */
struct dp_linux_adopt_ctx {
    struct dp_linux *dp;        /* Datapath being opened. */
    size_t n_flood;             /* Flood list entries adopted. */
};

/* rtnl_fdb_dump() callback: adopts remote MACs and flood list entries from
 * this switch's VXLAN devices, and local MACs. */
static void
dp_linux_adopt_fdb_cb(const struct rtnl_fdb *fdb, void *ctx_)
{
    struct dp_linux_adopt_ctx *ctx = ctx_;
    struct dp_linux *dp = ctx->dp;
    const struct dp_linux_link *link = dp_linux_link_find(dp, fdb->ifindex);
    struct dp_ls *ls;

    if (!link || link->role != DP_LINUX_VXLAN) {
        dp_linux_load_local_cb(fdb, dp);
        return;
    }

    ls = dp_state_find_ls(&dp->up.actual, link->ls);
    if (ls && ls->vni == link->info.vxlan_id
        && fdb->flags & NTF_SELF && fdb->dst) {
        if (eth_addr_is_zero(fdb->mac)) {
            char ip[INET_ADDRSTRLEN];

            snprintf(ip, sizeof ip, IP_FMT, IP_ARGS(fdb->dst));
            ctx->n_flood += sset_add(&ls->flood_ips, ip) != NULL;
        } else {
            dp_ls_set_remote_mac(ls, fdb->mac, fdb->dst);
        }
    }
}

/* Adopts into 'actual' the logical switches, tunnel IP, MAC ageing time,
 * bindings, remote MACs and flood lists that this switch's devices hold,
 * and the local MACs that its bridges learned, and stores in '*n_flood' the
 * number of flood list entries adopted.  Expects the devices to be read
 * already.  Returns 0 or an errno value. */
int
dp_linux_adopt(struct dp_linux *dp, size_t *n_flood)
{
    struct dp_linux_adopt_ctx ctx = { .dp = dp };
    int error;

    dp_linux_adopt_links(dp);
    error = rtnl_fdb_dump(0, dp_linux_adopt_fdb_cb, &ctx);
    *n_flood = ctx.n_flood;
    return error;
}
