/* dp-linux-bind.c -- bindings of the "linux" datapath provider, and
 * checking that the kernel still has what 'actual' says.
 *
 * It owns how a binding (port, VLAN) is carried (see dp-linux.c): the port
 * in the bridge of its logical switch for VLAN 0, the binding's veth pair
 * and its tagger program otherwise; the trunk program of each bound port,
 * and dp_linux.trunks, the record of what this switch last left on each
 * port; and checking, after devices changed, that the kernel still carries
 * every binding, taking down ("parking") the veth pairs of ports that are
 * gone, and still has the bridge and VXLAN device of every logical switch,
 * which someone may have deleted. */

#include <config.h>
#include "dp-linux-private.h"

#include <errno.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <string.h>

#include "coverage.h"
#include "hash.h"
#include "openvswitch/hmap.h"
#include "openvswitch/vlog.h"
#include "rtnl-link.h"
#include "sset.h"
#include "tc-vlan.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(dp_linux_bind);

COVERAGE_DEFINE(dp_linux_self_heal);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* Trunk programs as last left on ports. */

/* Returns the record of the trunk program left on port 'port', or NULL. */
static struct dp_linux_trunk *
dp_linux_trunk_find(const struct dp_linux *dp, const char *port)
{
    struct dp_linux_trunk *t;

    HMAP_FOR_EACH_WITH_HASH (t, node, hash_string(port, 0), &dp->trunks) {
        if (!strcmp(t->port, port)) {
            return t;
        }
    }
    return NULL;
}

/* Frees trunk record 't', which is in dp->trunks. */
void
dp_linux_trunk_remove(struct dp_linux *dp, struct dp_linux_trunk *t)
{
    hmap_remove(&dp->trunks, &t->node);
    tc_vlan_trunk_destroy(&t->cfg);
    free(t->port);
    free(t);
}

/* Forgets what 'dp' knows about the trunk program of port 'port', which
 * went away with the port, or may not be what 'dp' left there. */
void
dp_linux_trunk_forget(struct dp_linux *dp, const char *port)
{
    struct dp_linux_trunk *t = dp_linux_trunk_find(dp, port);

    if (t) {
        dp_linux_trunk_remove(dp, t);
    }
}

/* Bindings. */

/* Computes into 'want' (uninitialized) the trunk program that port 'port'
 * needs: for the VLAN of each of this switch's veth pairs on the port, but
 * 'skip' (if it is 1 to 4095), out of the pair's "vtw" end into its bridge
 * end, which so counts the frames as received; dropping tagged
 * frames of other VLANs if the port is in one of this switch's bridges (a
 * binding for VLAN 0) and 'skip' is not 0. */
static void
dp_linux_trunk_want(const struct dp_linux *dp,
                    const struct dp_linux_link *port, int skip,
                    struct tc_vlan_trunk *want)
{
    const struct dp_linux_link *link, *master;

    tc_vlan_trunk_init(want);
    HMAP_FOR_EACH (link, own_node, &dp->own_links) {
        if (link->role == DP_LINUX_VLAN_PEER && link->vlan != skip
            && !strcmp(link->port, port->info.name)) {
            tc_vlan_trunk_add(want, link->vlan, link->info.ifindex);
        }
    }
    master = dp_linux_link_find(dp, port->info.master);
    want->drop_other = (master && master->role == DP_LINUX_BRIDGE
                        && skip != 0);
}

/* Makes the trunk program of port 'port' what dp_linux_trunk_want() gives
 * for 'skip' (-1 for none): attaches it, in place of the one there, or
 * removes the one there if the port needs none.  Does nothing if that is
 * what this switch last left on the port.  Returns 0 or an errno value. */
static int
dp_linux_sync_trunk(struct dp_linux *dp, const struct dp_linux_link *port,
                    int skip)
{
    struct dp_linux_trunk *t = dp_linux_trunk_find(dp, port->info.name);
    struct tc_vlan_trunk want;
    bool empty;
    int error;

    dp_linux_trunk_want(dp, port, skip, &want);
    if (t && t->ifindex == port->info.ifindex
        && tc_vlan_trunk_equals(&t->cfg, &want)) {
        tc_vlan_trunk_destroy(&want);
        return 0;
    }

    empty = tc_vlan_trunk_is_empty(&want);
    error = (empty
             ? tc_vlan_clear(port->info.ifindex)
             : tc_vlan_set_trunk(port->info.ifindex, &want));
    if (error) {
        /* What is on the port now is not known. */
        dp_linux_trunk_forget(dp, port->info.name);
        tc_vlan_trunk_destroy(&want);
        return dp_linux_fail(dp, error, "%s the tc program of %s",
                             empty ? "removing" : "attaching",
                             port->info.name);
    }

    VLOG_DBG("%s: tc program of %s: %"PRIuSIZE" VLANs%s", dp->up.name,
             port->info.name, want.n_vlans,
             want.drop_other ? ", other tagged frames dropped" : "");
    if (!t) {
        t = xzalloc(sizeof *t);
        t->port = xstrdup(port->info.name);
        hmap_insert(&dp->trunks, &t->node, hash_string(t->port, 0));
    } else {
        tc_vlan_trunk_destroy(&t->cfg);
    }
    t->ifindex = port->info.ifindex;
    t->cfg = want;
    return 0;
}

/* Makes sure that the tagger program on 'vtw', the other end of the veth
 * pair of a binding for VLAN vtw->vlan of 'port', sends to 'port'.  Returns
 * 0 or an errno value. */
static int
dp_linux_sync_tagger(struct dp_linux *dp, struct dp_linux_link *vtw,
                     const struct dp_linux_link *port)
{
    int error;

    if (vtw->tagger_port == port->info.ifindex) {
        return 0;
    }
    error = tc_vlan_set_tagger(vtw->info.ifindex, vtw->vlan,
                               port->info.ifindex);
    vtw->tagger_port = error ? 0 : port->info.ifindex;
    return dp_linux_fail(dp, error, "attaching the tc program of %s",
                         vtw->info.name);
}

/* Returns true if 'vtv' and 'vtw' are both nonnull and the two ends of one
 * veth pair. */
static bool
dp_linux_is_pair(const struct dp_linux_link *vtv,
                 const struct dp_linux_link *vtw)
{
    return (vtv && vtw
            && vtv->info.lower == vtw->info.ifindex
            && vtw->info.lower == vtv->info.ifindex);
}

/* Makes frames of binding ('port', 'vlan'), 'vlan' 1 to 4095, enter bridge
 * 'br' through the binding's veth pair (created if needed), and frames that
 * the bridge sends there leave 'port' tagged 'vlan' (the port's own program
 * aside).  Returns 0 or an errno value. */
static int
dp_linux_bind_tagged(struct dp_linux *dp, const struct dp_linux_link *port,
                     uint16_t vlan, const struct dp_linux_link *br)
{
    const char *name = port->info.name;
    struct dp_linux_link *vtv, *vtw;
    int error = 0;

    vtv = dp_linux_find_vlan(dp, DP_LINUX_VLAN, name, vlan);
    vtw = dp_linux_find_vlan(dp, DP_LINUX_VLAN_PEER, name, vlan);
    if (!dp_linux_is_pair(vtv, vtw)) {
        /* None, or half of one: start again. */
        error = vtv ? dp_linux_delete(dp, vtv) : 0;
        if (!error && vtw) {
            error = dp_linux_delete(dp, vtw);
        }
        if (!error) {
            error = dp_linux_create_veth(dp, port, vlan, br, &vtv, &vtw);
        }
        if (error) {
            return error;
        }
    }

    /* The tagger first, so that nothing that the bridge sends reaches the
     * "vtw" end's own stack. */
    error = dp_linux_sync_tagger(dp, vtw, port);
    if (!error && !(vtw->info.flags & IFF_UP)) {
        error = dp_linux_fail(dp, rtnl_link_set_up(vtw->info.ifindex),
                              "bringing up %s", vtw->info.name);
        vtw->info.flags |= error ? 0 : IFF_UP;
    }
    if (!error && (vtv->info.master != br->info.ifindex
                   || !(vtv->info.flags & IFF_UP))) {
        error = dp_linux_fail(dp, rtnl_link_enslave(vtv->info.ifindex,
                                                    br->info.ifindex),
                              "adding %s to %s", vtv->info.name,
                              br->info.name);
        if (!error) {
            vtv->info.master = br->info.ifindex;
            vtv->info.flags |= IFF_UP;
        }
    }
    return error;
}

/* Makes frames of binding (port, vlan) enter the bridge of logical switch
 * 'ls', and frames from the bridge leave through the binding: the port
 * itself is a port of the bridge for VLAN 0, the binding's veth pair for
 * other VLANs.  Updates the port's trunk program to match.  Returns 0 or an
 * errno value (ENODEV if there is no such port). */
static int
dp_linux_bind(struct dp_linux *dp, const char *port_name, uint16_t vlan,
              const char *ls)
{
    struct dp_linux_link *br = dp_linux_find_own(dp, DP_LINUX_BRIDGE, ls);
    struct dp_linux_link *port;
    int error;

    if (!br) {
        return dp_linux_fail(dp, ENOENT, "logical switch %s has no bridge",
                             ls);
    }
    error = dp_linux_refresh(dp, port_name, &port);
    if (error) {
        return dp_linux_fail(dp, error, "reading port %s", port_name);
    } else if (!dp_linux_is_port(port)) {
        return dp_linux_fail(dp, EINVAL, "%s cannot be a port", port_name);
    }

    if (vlan) {
        error = dp_linux_bind_tagged(dp, port, vlan, br);
    } else if (port->info.master != br->info.ifindex
               || !(port->info.flags & IFF_UP)) {
        error = dp_linux_fail(dp, rtnl_link_enslave(port->info.ifindex,
                                                    br->info.ifindex),
                              "adding %s to %s", port_name, br->info.name);
        if (!error) {
            port->info.master = br->info.ifindex;
            port->info.flags |= IFF_UP;
        }
    }
    if (!error) {
        error = dp_linux_sync_trunk(dp, port, -1);
    }
    if (!error && !(port->info.flags & IFF_UP)) {
        error = dp_linux_fail(dp, rtnl_link_set_up(port->info.ifindex),
                              "bringing up %s", port_name);
        port->info.flags |= error ? 0 : IFF_UP;
    }
    return error;
}

/* Takes binding (port, vlan) out of its bridge: the port for VLAN 0, the
 * veth pair (deleted) for other VLANs.  Updates the port's trunk program
 * first, so that a restart in between still finds, adopts and then removes
 * the rest of the binding.  Returns 0 (also if the port is gone) or an
 * errno value. */
int
dp_linux_unbind(struct dp_linux *dp, const char *port_name, uint16_t vlan)
{
    struct dp_linux_link *port, *master;
    int error;

    error = dp_linux_refresh(dp, port_name, &port);
    if (error && error != ENODEV) {
        return dp_linux_fail(dp, error, "reading port %s", port_name);
    }
    if (port) {
        error = dp_linux_sync_trunk(dp, port, vlan);
        if (error) {
            return error;
        }
    }

    if (vlan) {
        struct dp_linux_link *vtv, *vtw;

        /* Deleting either end deletes both. */
        vtv = dp_linux_find_vlan(dp, DP_LINUX_VLAN, port_name, vlan);
        vtw = dp_linux_find_vlan(dp, DP_LINUX_VLAN_PEER, port_name, vlan);
        error = vtv ? dp_linux_delete(dp, vtv) : 0;
        if (!error && vtw) {
            error = dp_linux_delete(dp, vtw);
        }
        return error;
    } else if (!port) {
        return 0;
    }

    /* Only take the port out of a bridge of this switch. */
    master = dp_linux_link_find(dp, port->info.master);
    if (master && master->role == DP_LINUX_BRIDGE) {
        error = rtnl_link_release(port->info.ifindex);
        if (error && error != ENODEV) {
            return dp_linux_fail(dp, error, "taking %s out of %s",
                                 port->info.name, master->info.name);
        }
        port->info.master = 0;
    }
    return 0;
}

/* DP_OP_BIND_ADD. */
int
dp_linux_bind_add(struct dp_linux *dp, const struct dp_op *op)
{
    const struct dp_binding *b = dp_state_find_binding(&dp->up.actual,
                                                       op->port, op->vlan);
    int error = dp_linux_bind(dp, op->port, op->vlan, op->ls);

    if (!error && b && strcmp(b->ls, op->ls)) {
        dp_forget_local_macs_of_binding(&dp->up, op->port, op->vlan);
    }
    return error;
}

/* Takes down the bridge end of the veth pair of tagged binding 'b', whose
 * port is gone, so that its bridge forgets the MACs learned there (as
 * dp_linux_link_gone() did) and sends nothing there until the port is
 * back. */
static void
dp_linux_park(struct dp_linux *dp, const struct dp_binding *b)
{
    struct dp_linux_link *vtv = dp_linux_find_vlan(dp, DP_LINUX_VLAN,
                                                   b->port, b->vlan);
    int error;

    if (!vtv || !(vtv->info.flags & IFF_UP)) {
        return;
    }
    error = rtnl_link_set_down(vtv->info.ifindex);
    if (error) {
        VLOG_WARN_RL(&rl, "%s: taking down %s of port %s VLAN %"PRIu16
                     " failed (%s)", dp->up.name, vtv->info.name, b->port,
                     b->vlan, ovs_strerror(error));
    } else {
        VLOG_INFO_RL(&rl, "%s: port %s is gone, %s of its VLAN %"PRIu16
                     " is down until it is back", dp->up.name, b->port,
                     vtv->info.name, b->vlan);
        vtv->info.flags &= ~IFF_UP;
    }
}

/* Returns true if the devices of binding 'b' of bridge 'br', on existing
 * port 'port', are as dp_linux_bind() leaves them (the programs aside). */
static bool
dp_linux_binding_ok(const struct dp_linux *dp, const struct dp_binding *b,
                    const struct dp_linux_link *br,
                    const struct dp_linux_link *port)
{
    const struct dp_linux_link *vtv, *vtw;

    if (!b->vlan) {
        return port->info.master == br->info.ifindex;
    }
    vtv = dp_linux_find_vlan(dp, DP_LINUX_VLAN, b->port, b->vlan);
    vtw = dp_linux_find_vlan(dp, DP_LINUX_VLAN_PEER, b->port, b->vlan);
    return (dp_linux_is_pair(vtv, vtw)
            && vtv->info.master == br->info.ifindex
            && vtv->info.flags & IFF_UP
            && vtw->info.flags & IFF_UP);
}

/* Checks that the kernel still carries every binding of 'actual' (a port
 * that went away and came back, or was taken out of its bridge, is not in
 * it any longer) and binds again those that it does not; takes down the veth
 * pairs of ports that are gone; and attaches again the tc programs that do
 * not match the devices' ifindexes, or that this switch did not attach since
 * it started. */
void
dp_linux_check_bindings(struct dp_linux *dp)
{
    struct sset ports = SSET_INITIALIZER(&ports);
    const struct dp_binding *b;
    const char *name;

    HMAP_FOR_EACH (b, node, &dp->up.actual.bindings) {
        const struct dp_linux_link *br, *port;
        int error;

        br = dp_linux_find_own(dp, DP_LINUX_BRIDGE, b->ls);
        port = dp_linux_link_find_by_name(dp, b->port);
        if (!br) {
            continue;
        } else if (!port) {
            if (b->vlan) {
                dp_linux_park(dp, b);
            }
            continue;
        }
        sset_add(&ports, b->port);

        ds_clear(&dp->why);
        if (dp_linux_binding_ok(dp, b, br, port)) {
            if (!b->vlan) {
                continue;
            }
            error = dp_linux_sync_tagger(
                dp, dp_linux_find_vlan(dp, DP_LINUX_VLAN_PEER, b->port,
                                       b->vlan),
                port);
        } else {
            VLOG_INFO_RL(&rl, "%s: port %s VLAN %"PRIu16" is not in "
                         "logical switch %s any longer, binding it again",
                         dp->up.name, b->port, b->vlan, b->ls);
            error = dp_linux_bind(dp, b->port, b->vlan, b->ls);
        }
        if (error) {
            /* ENODEV: the port is going away; its removal comes next. */
            VLOG_RL(&rl, error == ENODEV ? VLL_DBG : VLL_WARN,
                    "%s: restoring binding port %s VLAN %"PRIu16" failed: "
                    "%s (%s)", dp->up.name, b->port, b->vlan,
                    ds_cstr(&dp->why), ovs_strerror(error));
        }
    }

    SSET_FOR_EACH (name, &ports) {
        const struct dp_linux_link *port = dp_linux_link_find_by_name(dp,
                                                                      name);
        int error;

        ds_clear(&dp->why);
        error = port ? dp_linux_sync_trunk(dp, port, -1) : 0;
        if (error) {
            VLOG_RL(&rl, error == ENODEV ? VLL_DBG : VLL_WARN, "%s: %s (%s)",
                    dp->up.name, ds_cstr(&dp->why), ovs_strerror(error));
        }
    }
    sset_destroy(&ports);
}

/* Logical switches. */

/* Forgets, in 'actual', logical switch 'ls', whose bridge went away and
 * with it its FDB and local MACs, and its bindings, and deletes its VXLAN
 * device, if any, which is of no use without the bridge, so that the next
 * reconciliation creates them all again. */
static void
dp_linux_forget_ls(struct dp_linux *dp, struct dp_ls *ls)
{
    struct dp_state *actual = &dp->up.actual;
    struct dp_linux_link *vx = dp_linux_find_own(dp, DP_LINUX_VXLAN,
                                                 ls->name);
    struct dp_binding *b;

    if (vx) {
        ds_clear(&dp->why);
        if (dp_linux_delete(dp, vx)) {
            VLOG_WARN_RL(&rl, "%s: %s", dp->up.name, ds_cstr(&dp->why));
        }
    }
    HMAP_FOR_EACH_SAFE (b, node, &actual->bindings) {
        if (!strcmp(b->ls, ls->name)) {
            dp_state_remove_binding(actual, b);
        }
    }
    dp_forget_local_macs_of_ls(&dp->up, ls->name);
    dp_state_remove_ls(actual, ls);
}

/* Forgets, in 'actual', the VNI, remote MACs, flood list and multicast
 * groups of logical switch 'ls', whose VXLAN device went away or out of its
 * bridge, so that the next reconciliation installs them all again. */
static void
dp_linux_reset_ls(struct dp_ls *ls)
{
    struct dp_remote_mac *rm;

    HMAP_FOR_EACH_SAFE (rm, node, &ls->remote_macs) {
        dp_ls_remove_remote_mac(ls, rm);
    }
    sset_clear(&ls->flood_ips);
    dp_ls_clear_mcast_groups(ls);
    ls->vni = 0;
}

/* Checks that every logical switch of 'actual' still has its devices in the
 * kernel: its bridge and, if it has a VNI and the switch a tunnel IP, its
 * VXLAN device in that bridge.  Someone may have deleted them (e.g. with "ip
 * link del").  If they are not there, changes 'actual' to say so, and
 * advances dp->up.ports_seq so that the daemon reconciles, which creates
 * them again. */
void
dp_linux_check_switches(struct dp_linux *dp)
{
    struct dp_state *actual = &dp->up.actual;
    struct dp_ls *ls;
    bool changed = false;

    HMAP_FOR_EACH_SAFE (ls, node, &actual->switches) {
        const struct dp_linux_link *br, *vx;

        br = dp_linux_find_own(dp, DP_LINUX_BRIDGE, ls->name);
        vx = dp_linux_find_own(dp, DP_LINUX_VXLAN, ls->name);
        if (!br) {
            VLOG_WARN_RL(&rl, "%s: the bridge of logical switch %s is gone, "
                         "creating it again", dp->up.name, ls->name);
            dp_linux_forget_ls(dp, ls);
        } else if (ls->vni && actual->tunnel_ip
                   && (!vx || vx->info.master != br->info.ifindex)) {
            VLOG_WARN_RL(&rl, "%s: the VXLAN device of logical switch %s is "
                         "%s, installing it again", dp->up.name, ls->name,
                         vx ? "out of its bridge" : "gone");
            dp_linux_reset_ls(ls);
        } else {
            continue;
        }
        COVERAGE_INC(dp_linux_self_heal);
        changed = true;
    }
    if (changed) {
        dp->up.ports_seq++;
    }
}

/* A device's counters, as the last stats dump gave them. */
struct dp_linux_counters {
    struct hmap_node node;      /* In a map by ifindex. */
    int ifindex;                /* The device. */
    uint64_t rx_packets, rx_bytes;  /* Received. */
    uint64_t tx_packets, tx_bytes;  /* Sent. */
};

/* rtnl_link_dump_stats() callback: adds the counters of 'ifindex' to the
 * map 'map_'. */
static void
dp_linux_counters_cb(int ifindex, const struct rtnl_link_stats64 *stats,
                     void *map_)
{
    struct hmap *map = map_;
    struct dp_linux_counters *c = xmalloc(sizeof *c);

    c->ifindex = ifindex;
    c->rx_packets = stats->rx_packets;
    c->rx_bytes = stats->rx_bytes;
    c->tx_packets = stats->tx_packets;
    c->tx_bytes = stats->tx_bytes;
    hmap_insert(map, &c->node, hash_int(ifindex, 0));
}

/* Returns the counters of 'link' in 'map', or NULL. */
static const struct dp_linux_counters *
dp_linux_counters_find(const struct hmap *map,
                       const struct dp_linux_link *link)
{
    const struct dp_linux_counters *c;

    if (link) {
        HMAP_FOR_EACH_WITH_HASH (c, node, hash_int(link->info.ifindex, 0),
                                 map) {
            if (c->ifindex == link->info.ifindex) {
                return c;
            }
        }
    }
    return NULL;
}

/* Returns 'a - b', or 0 if 'b' is larger (counters read at slightly
 * different times). */
static uint64_t
dp_linux_minus(uint64_t a, uint64_t b)
{
    return a > b ? a - b : 0;
}

/* Reads every device's counters (one dump) into the stats of the bindings
 * in 'actual'.  A binding (port, N) counts what
 * the bridge end of its veth pair received (from the port's side) and sent.
 * A binding (port, 0) counts what the port itself received and sent, less
 * what its tagged bindings on the same port counted.  Tagged frames of
 * VLANs without a binding, which the port drops, count as received. */
void
dp_linux_refresh_stats(struct dp_linux *dp)
{
    struct hmap counters = HMAP_INITIALIZER(&counters);
    struct dp_binding *b;

    int error = rtnl_link_dump_stats(dp_linux_counters_cb, &counters);
    if (error) {
        static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
        VLOG_WARN_RL(&rl, "%s: reading device counters failed (%s)",
                     dp->up.name, ovs_strerror(error));
    }

    /* Tagged bindings first, from their veth pairs. */
    HMAP_FOR_EACH (b, node, &dp->up.actual.bindings) {
        const struct dp_linux_counters *c;

        if (b->vlan
            && (c = dp_linux_counters_find(
                    &counters, dp_linux_find_vlan(dp, DP_LINUX_VLAN,
                                                  b->port, b->vlan)))) {
            b->stats.packets_from_local = c->rx_packets;
            b->stats.bytes_from_local = c->rx_bytes;
            b->stats.packets_to_local = c->tx_packets;
            b->stats.bytes_to_local = c->tx_bytes;
        }
    }

    /* Then untagged ones, from their ports, less the tagged traffic. */
    HMAP_FOR_EACH (b, node, &dp->up.actual.bindings) {
        const struct dp_linux_counters *c;
        const struct dp_binding *t;

        if (b->vlan
            || !(c = dp_linux_counters_find(
                     &counters, dp_linux_link_find_by_name(dp, b->port)))) {
            continue;
        }
        struct dp_binding_stats s = {
            .packets_from_local = c->rx_packets,
            .bytes_from_local = c->rx_bytes,
            .packets_to_local = c->tx_packets,
            .bytes_to_local = c->tx_bytes,
        };
        HMAP_FOR_EACH (t, node, &dp->up.actual.bindings) {
            if (t->vlan && !strcmp(t->port, b->port)) {
                s.packets_from_local = dp_linux_minus(
                    s.packets_from_local, t->stats.packets_from_local);
                s.bytes_from_local = dp_linux_minus(
                    s.bytes_from_local, t->stats.bytes_from_local);
                s.packets_to_local = dp_linux_minus(
                    s.packets_to_local, t->stats.packets_to_local);
                s.bytes_to_local = dp_linux_minus(
                    s.bytes_to_local, t->stats.bytes_to_local);
            }
        }
        b->stats = s;
    }

    struct dp_linux_counters *c;
    HMAP_FOR_EACH_POP (c, node, &counters) {
        free(c);
    }
    hmap_destroy(&counters);
}
