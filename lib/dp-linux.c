/* dp-linux.c -- the "linux" datapath provider: the kernel's bridge and VXLAN
 * drivers, programmed over rtnetlink.
 *
 * Each logical switch is a bridge, named "vtb" plus 8 hex digits of a hash of
 * "<switch>:<logical switch>".  If the logical switch has a VNI and the
 * switch a tunnel IP, a VXLAN device ("vtx" plus the same digits) is a port
 * of the bridge: its FDB holds the remote MACs (unicast entries), the flood
 * list (all-zeros entry with one remote per replication target) and the
 * multicast groups (an entry for the group's MAC with one remote per
 * replication target: the driver sends frames to that MAC to these, not to
 * the flood list), and the bridge holds an entry that does not age for each
 * remote MAC, so that it does not flood frames to them.  (The bridge floods
 * multicast frames, to the VXLAN device among others.)
 *
 * A binding (port, 0) makes the port itself a port of the bridge.  A binding
 * (port, N) is a veth pair ("vtv" and "vtw" plus the same 8 hex digits of a
 * hash of "<switch>:<port>:<N>") and tc eBPF programs (see tc-vlan.h): the
 * "vtv" end is the port of the bridge, a program on the ingress of the "vtw"
 * end sends what the bridge sends to "vtv" out of the port, tagged N, and
 * the program on the ingress of the port sends frames tagged N, untagged,
 * into "vtv" as if received there, so that the bridge learns their source
 * MACs on "vtv".  The port's program also drops tagged frames of VLANs that
 * are not bound if the port has a binding for VLAN 0, which carries untagged
 * frames only.  (Neither 802.1Q VLAN devices nor bridge VLAN filtering are
 * needed, which not every kernel has.)  If the port goes away, its veth
 * pairs stay, taken down, until it comes back.
 *
 * Every device created here carries an alias "vtepd:ps=<switch>:<role>"
 * (roles "ls=<logical switch>", "vxlan:ls=<logical switch>", and
 * "vlan=<N>:port=<port>" and "vlan-peer=<N>:port=<port>" for the two ends of
 * a veth pair), which lets dp_linux_open() adopt them after a restart and
 * keeps vtepd from touching anything else.  dp_linux_close() leaves them,
 * and the tc programs, in place, so that a restart does not interrupt
 * forwarding; dp_linux_open() attaches the programs again, which replaces
 * each in one step, so that they refer to the devices' current ifindexes.
 *
 * A netlink socket subscribed to link and neighbour notifications keeps a
 * copy of the kernel's devices current, learns the MACs that the bridges
 * learn on bound ports, and tracks ports coming and going.  A socket filter
 * keeps from it the neighbour notifications that cannot be about learned
 * MACs, among them those about the entries that vtepd itself programs,
 * which would overflow it.  Once devices have stopped changing for a
 * moment, the provider checks that the kernel still has the devices of
 * 'actual': if someone deleted a bridge or a VXLAN device, it changes
 * 'actual' so that the next reconciliation creates them again.
 *
 * Remote MACs, flood list and multicast group entries go to the kernel in
 * batches: the FDB operations that come one after the other in one
 * dp_linux_execute() are sent together, up to DP_LINUX_FDB_BATCH requests,
 * each with its own result.  Bindings that are added (or removed) one after
 * the other in one dp_linux_execute() are finished together too: each
 * port's trunk program is synced once for all of them, after their devices
 * are there (or before their veth pairs go).
 *
 * The provider is in four files, which share dp-linux-private.h:
 *
 *   - dp-linux.c (this file): logical switches (bridges, VXLAN devices,
 *     the tunnel IP and the MAC ageing time), remote MACs, flood lists and
 *     multicast groups, notifications and ports, and the provider
 *     functions.
 *
 *   - dp-linux-links.c: the copy of the kernel's devices, what each one is
 *     to this switch (from its alias), and naming, creating, claiming and
 *     deleting this switch's devices, veth pairs included; the local MACs
 *     that the bridges learned.
 *
 *   - dp-linux-bind.c: bindings, the tc programs that carry them, and
 *     checking that the kernel still carries them and the devices of the
 *     logical switches after devices change; the bindings' counters.
 *
 *   - dp-linux-adopt.c: adopting what this switch's devices hold into
 *     'actual' when dp_linux_open() finds them after a restart, and
 *     reading a logical switch's MACs back for dump_macs. */

#include <config.h>
#include "dp-linux-private.h"

#include <errno.h>
#include <limits.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <poll.h>
#include <stdarg.h>
#include <string.h>

#include "coverage.h"
#include "netlink.h"
#include "netlink-socket.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "rtnl-fdb.h"
#include "rtnl-link.h"
#include "rtnl-neigh.h"
#include "sset.h"
#include "tc-vlan.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(dp_linux);

COVERAGE_DEFINE(dp_linux_notification);
COVERAGE_DEFINE(dp_linux_resync);
COVERAGE_DEFINE(dp_linux_fdb_batch);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* Most notifications that one dp_linux_run() processes. */
#define DP_LINUX_MAX_NOTIFICATIONS 1000

/* Most FDB requests sent to the kernel together. */
#define DP_LINUX_FDB_BATCH 1000

/* How long devices must stay unchanged, in ms, before dp_linux_run() checks
 * that the logical switches and bindings still have theirs.  The kernel
 * takes several steps to delete a bridge, for example, and notifies each:
 * it takes the ports out first, and deletes the bridge a few milliseconds
 * later. */
#define DP_LINUX_SETTLE_MS 100

/* Returns the dp_linux that contains 'dp'. */
static struct dp_linux *
dp_linux_cast(const struct dp *dp)
{
    return CONTAINER_OF(dp, struct dp_linux, up);
}

/* Records in dp->why, unless something is recorded already, what failed
 * with 'error' (if nonzero).  Returns 'error'. */
int
dp_linux_fail(struct dp_linux *dp, int error, const char *format, ...)
{
    if (error && !dp->why.length) {
        va_list args;

        va_start(args, format);
        ds_put_format_valist(&dp->why, format, args);
        va_end(args);
    }
    return error;
}

/* Returns the bridge ageing time in centiseconds for 'actual'. */
uint32_t
dp_linux_ageing(const struct dp_linux *dp)
{
    return MIN(dp->up.actual.mac_ageing, UINT32_MAX / 100) * 100;
}

/* Logical switches. */

/* Makes sure that logical switch 'ls' has a bridge that is up and ages and
 * limits learned MACs as 'actual' says.  Returns 0 or an errno value. */
static int
dp_linux_ensure_bridge(struct dp_linux *dp, const char *ls)
{
    struct dp_linux_link *br = dp_linux_find_own(dp, DP_LINUX_BRIDGE, ls);
    uint32_t ageing = dp_linux_ageing(dp);
    uint32_t limit = dp->up.actual.local_mac_limit;
    struct rtnl_link want;
    char *alias, *key;
    int error;

    if (br) {
        error = 0;
        if (br->info.br_ageing != ageing) {
            error = dp_linux_fail(dp, rtnl_link_set_bridge_ageing(
                                      br->info.ifindex, ageing),
                                  "setting ageing time of %s",
                                  br->info.name);
            br->info.br_ageing = error ? br->info.br_ageing : ageing;
        }
        if (!error && br->info.br_max_learned != limit) {
            error = dp_linux_fail(dp, rtnl_link_set_bridge_max_learned(
                                      br->info.ifindex, limit),
                                  "setting learned MAC limit of %s",
                                  br->info.name);
            br->info.br_max_learned = error ? br->info.br_max_learned : limit;
        }
        if (!error && !(br->info.flags & IFF_UP)) {
            error = dp_linux_fail(dp, rtnl_link_set_up(br->info.ifindex),
                                  "bringing up %s", br->info.name);
        }
        return error;
    }

    memset(&want, 0, sizeof want);
    ovs_strlcpy(want.kind, "bridge", sizeof want.kind);
    want.br_ageing = ageing;
    want.br_max_learned = limit;
    key = xasprintf("%s:%s", dp->up.name, ls);
    alias = dp_linux_alias(dp, DP_LINUX_BRIDGE, ls, 0);
    error = dp_linux_create(dp, &want, key, alias, &br);
    free(alias);
    free(key);
    return error;
}

/* Forgets local MAC 'mac' of logical switch 'ls', if it has one: the
 * bridge entry of a remote MAC for 'mac' replaced the learned one.  The
 * kernel does not say so, since rtnl_fdb_filter_learned() keeps
 * notifications about the entries of remote MACs away. */
static void
dp_linux_forget_local_mac(struct dp_linux *dp, const char *ls,
                          struct eth_addr mac)
{
    struct dp_local_mac *lm = dp_local_mac_find(&dp->up.local_macs, ls, mac);

    if (lm) {
        dp_local_mac_remove(&dp->up.local_macs, lm);
        dp->up.local_macs_seq++;
    }
}

/* Sends the requests in 'batch' and empties it.  Returns 0 or the errno
 * value of the first request that failed. */
static int
dp_linux_send_batch(struct rtnl_fdb_batch *batch)
{
    int error;

    COVERAGE_INC(dp_linux_fdb_batch);
    error = rtnl_fdb_batch_execute(batch);
    rtnl_fdb_batch_clear(batch);
    return error;
}

/* Appends to 'batch' the additions of the flood list and the multicast
 * groups of 'dls' to VXLAN device 'vx'. */
static void
dp_linux_batch_add_lists(struct rtnl_fdb_batch *batch, int vx,
                         const struct dp_ls *dls)
{
    const struct dp_mcast_group *g;
    const char *ip_s;
    ovs_be32 ip;

    SSET_FOR_EACH (ip_s, &dls->flood_ips) {
        if (ip_parse(ip_s, &ip)) {
            rtnl_fdb_batch_add_flood(batch, vx, ip,
                                     dp_ls_get_tunnel_key(dls, ip_s));
        }
    }
    HMAP_FOR_EACH (g, node, &dls->mcast_groups) {
        SSET_FOR_EACH (ip_s, &g->ips) {
            if (ip_parse(ip_s, &ip)) {
                rtnl_fdb_batch_add_group(batch, vx, g->mac, ip,
                                         dp_ls_get_tunnel_key(dls, ip_s));
            }
        }
    }
}

/* ARP entries. */

/* Turns neighbour suppression on VXLAN device 'vx' on or off, as
 * 'suppress' says.  Returns 0 or an errno value. */
static int
dp_linux_set_neigh_suppress(struct dp_linux *dp, struct dp_linux_link *vx,
                            bool suppress)
{
    int error = rtnl_link_set_brport_neigh_suppress(vx->info.ifindex,
                                                    suppress);

    vx->neigh_suppress = error ? vx->neigh_suppress : suppress;
    return dp_linux_fail(dp, error, "turning %s neighbour suppression on %s",
                         suppress ? "on" : "off", vx->info.name);
}

/* DP_OP_ARP_ADD: the bridge of logical switch 'ls' answers ARP requests for
 * 'ip' with 'mac', and its VXLAN device suppresses them. */
static int
dp_linux_arp_add(struct dp_linux *dp, const char *ls, ovs_be32 ip,
                 struct eth_addr mac)
{
    struct dp_linux_link *br = dp_linux_find_own(dp, DP_LINUX_BRIDGE, ls);
    struct dp_linux_link *vx = dp_linux_find_own(dp, DP_LINUX_VXLAN, ls);
    int error;

    if (!br) {
        return dp_linux_fail(dp, ENOENT, "logical switch %s has no bridge",
                             ls);
    }
    error = dp_linux_fail(dp, rtnl_neigh_add(br->info.ifindex, ip, mac),
                          "adding ARP entry "IP_FMT" on %s", IP_ARGS(ip),
                          br->info.name);
    if (!error && vx && !vx->neigh_suppress) {
        error = dp_linux_set_neigh_suppress(dp, vx, true);
    }
    return error;
}

/* DP_OP_ARP_DEL: the bridge of logical switch 'ls' no longer answers ARP
 * requests for 'ip'; without ARP entries left, its VXLAN device stops
 * suppressing them. */
static int
dp_linux_arp_del(struct dp_linux *dp, const char *ls, ovs_be32 ip)
{
    struct dp_linux_link *br = dp_linux_find_own(dp, DP_LINUX_BRIDGE, ls);
    struct dp_linux_link *vx = dp_linux_find_own(dp, DP_LINUX_VXLAN, ls);
    const struct dp_ls *dls = dp_state_find_ls(&dp->up.actual, ls);
    int error = 0;

    if (br) {
        error = dp_linux_fail(dp, rtnl_neigh_del(br->info.ifindex, ip),
                              "removing ARP entry "IP_FMT" from %s",
                              IP_ARGS(ip), br->info.name);
    }
    /* 'actual' loses the entry once this returns. */
    if (!error && vx && dls && hmap_count(&dls->arp_entries) <= 1) {
        error = dp_linux_set_neigh_suppress(dp, vx, false);
    }
    return error;
}

/* Puts the remote MACs, the flood list and the multicast groups that
 * 'actual' has for logical switch 'ls' into its VXLAN device 'vx' (again),
 * replacing what is there for the same MACs, and turns on neighbour
 * suppression if 'ls' has ARP entries (which stay on the bridge).  Returns
 * 0 or an errno value. */
static int
dp_linux_reinstall(struct dp_linux *dp, const char *ls,
                   struct dp_linux_link *vx)
{
    const struct dp_ls *dls = dp_state_find_ls(&dp->up.actual, ls);
    const struct dp_remote_mac *rm;
    struct rtnl_fdb_batch batch;
    int error = 0;

    if (!dls) {
        return 0;
    }

    rtnl_fdb_batch_init(&batch);
    HMAP_FOR_EACH (rm, node, &dls->remote_macs) {
        rtnl_fdb_batch_add_remote(&batch, vx->info.ifindex, rm->mac,
                                  rm->dst_ip, rm->key);
        if (batch.n >= DP_LINUX_FDB_BATCH) {
            int e = dp_linux_send_batch(&batch);

            error = error ? error : e;
        }
    }
    dp_linux_batch_add_lists(&batch, vx->info.ifindex, dls);
    if (batch.n) {
        int e = dp_linux_send_batch(&batch);

        error = error ? error : e;
    }
    rtnl_fdb_batch_destroy(&batch);

    if (!error) {
        HMAP_FOR_EACH (rm, node, &dls->remote_macs) {
            dp_linux_forget_local_mac(dp, ls, rm->mac);
        }
        if (!hmap_is_empty(&dls->arp_entries)) {
            error = dp_linux_set_neigh_suppress(dp, vx, true);
        }
    }
    return dp_linux_fail(dp, error, "installing %"PRIuSIZE" remote MACs, "
                         "%"PRIuSIZE" flood entries and %"PRIuSIZE" "
                         "multicast groups on %s",
                         hmap_count(&dls->remote_macs),
                         sset_count(&dls->flood_ips),
                         hmap_count(&dls->mcast_groups), vx->info.name);
}

/* Makes the VXLAN device of logical switch 'ls' match VNI 'vni' and local
 * address 'local' (and send zero UDP checksums, as RFC 7348 recommends and
 * other VTEPs do): absent if either is 0, otherwise (re)created as needed,
 * since the kernel cannot change these on an existing device.  A new device
 * gets the remote MACs and flood list that 'actual' has for 'ls', and so
 * does a device that matches although 'actual' has another VNI or local
 * address (an operation that made it did not complete, and it may lack
 * entries) or that was outside the bridge (which dropped its entries for
 * it).  Returns 0 or an errno value. */
static int
dp_linux_sync_vxlan(struct dp_linux *dp, const char *ls, uint32_t vni,
                    ovs_be32 local)
{
    struct dp_linux_link *br = dp_linux_find_own(dp, DP_LINUX_BRIDGE, ls);
    struct dp_linux_link *vx = dp_linux_find_own(dp, DP_LINUX_VXLAN, ls);
    struct rtnl_link want;
    char *alias, *key;
    int error;

    if (!br) {
        return dp_linux_fail(dp, ENOENT, "logical switch %s has no bridge",
                             ls);
    }
    if (vx && vni && local
        && vx->info.vxlan_id == vni && vx->info.vxlan_local == local
        && vx->info.vxlan_port == htons(RTNL_LINK_VXLAN_PORT)
        && !vx->info.vxlan_udp_csum) {
        const struct dp_ls *dls = dp_state_find_ls(&dp->up.actual, ls);
        bool stale = (dls && (dls->vni != vni
                              || dp->up.actual.tunnel_ip != local));

        if (vx->info.master != br->info.ifindex) {
            /* Ours but outside the bridge: plug it back in. */
            error = rtnl_link_enslave(vx->info.ifindex, br->info.ifindex);
            if (!error) {
                error = rtnl_link_set_brport_learning(vx->info.ifindex,
                                                      false);
            }
            if (error) {
                return dp_linux_fail(dp, error, "adding %s to %s",
                                     vx->info.name, br->info.name);
            }
            vx->info.master = br->info.ifindex;
            stale = true;
        }
        return stale ? dp_linux_reinstall(dp, ls, vx) : 0;
    }

    if (vx) {
        error = dp_linux_delete(dp, vx);
        if (error) {
            return error;
        }
    }
    if (!vni || !local) {
        return 0;
    }

    memset(&want, 0, sizeof want);
    ovs_strlcpy(want.kind, "vxlan", sizeof want.kind);
    want.master = br->info.ifindex;
    want.vxlan_id = vni;
    want.vxlan_local = local;
    want.vxlan_port = htons(RTNL_LINK_VXLAN_PORT);
    key = xasprintf("%s:%s", dp->up.name, ls);
    alias = dp_linux_alias(dp, DP_LINUX_VXLAN, ls, 0);
    error = dp_linux_create(dp, &want, key, alias, &vx);
    free(alias);
    free(key);

    return error ? error : dp_linux_reinstall(dp, ls, vx);
}

/* DP_OP_LS_ADD. */
static int
dp_linux_ls_add(struct dp_linux *dp, const char *ls, uint32_t vni)
{
    char *alias = dp_linux_alias(dp, DP_LINUX_VXLAN, ls, 0);
    bool too_long = strlen(alias) >= RTNL_LINK_ALIAS_SIZE;
    int error;

    free(alias);
    if (too_long) {
        return dp_linux_fail(dp, ENAMETOOLONG,
                             "names too long for a device alias");
    }

    error = dp_linux_ensure_bridge(dp, ls);
    return error ? error : dp_linux_sync_vxlan(dp, ls, vni,
                                               dp->up.actual.tunnel_ip);
}

/* DP_OP_LS_DEL. */
static int
dp_linux_ls_del(struct dp_linux *dp, const char *ls)
{
    struct dp_linux_link *vx = dp_linux_find_own(dp, DP_LINUX_VXLAN, ls);
    struct dp_linux_link *br;
    int error = vx ? dp_linux_delete(dp, vx) : 0;

    br = dp_linux_find_own(dp, DP_LINUX_BRIDGE, ls);
    if (!error && br) {
        error = dp_linux_delete(dp, br);
    }
    if (!error) {
        dp_forget_local_macs_of_ls(&dp->up, ls);
    }
    return error;
}

/* DP_OP_SET_TUNNEL_IP. */
static int
dp_linux_set_tunnel_ip(struct dp_linux *dp, ovs_be32 ip)
{
    const struct dp_ls *ls;
    int error = 0;

    HMAP_FOR_EACH (ls, node, &dp->up.actual.switches) {
        int e = dp_linux_sync_vxlan(dp, ls->name, ls->vni, ip);

        error = error ? error : e;
    }
    return error;
}

/* DP_OP_SET_AGEING. */
static int
dp_linux_set_ageing(struct dp_linux *dp, unsigned int ageing)
{
    const struct dp_ls *ls;
    int error = 0;

    if (ageing > UINT32_MAX / 100) {
        return dp_linux_fail(dp, EINVAL, "ageing time out of range");
    }
    HMAP_FOR_EACH (ls, node, &dp->up.actual.switches) {
        struct dp_linux_link *br = dp_linux_find_own(dp, DP_LINUX_BRIDGE,
                                                     ls->name);

        if (br && br->info.br_ageing != ageing * 100) {
            int e = rtnl_link_set_bridge_ageing(br->info.ifindex,
                                                ageing * 100);

            if (!e) {
                br->info.br_ageing = ageing * 100;
            }
            error = error ? error : dp_linux_fail(dp, e, "setting ageing "
                                                  "time of %s",
                                                  br->info.name);
        }
    }
    return error;
}

/* DP_OP_SET_LOCAL_MAC_LIMIT. */
static int
dp_linux_set_local_mac_limit(struct dp_linux *dp, unsigned int limit)
{
    const struct dp_ls *ls;
    int error = 0;

    HMAP_FOR_EACH (ls, node, &dp->up.actual.switches) {
        struct dp_linux_link *br = dp_linux_find_own(dp, DP_LINUX_BRIDGE,
                                                     ls->name);

        if (br && br->info.br_max_learned != limit) {
            int e = rtnl_link_set_bridge_max_learned(br->info.ifindex, limit);

            if (!e) {
                br->info.br_max_learned = limit;
            }
            error = error ? error : dp_linux_fail(dp, e, "setting learned "
                                                  "MAC limit of %s",
                                                  br->info.name);
        }
    }
    return error;
}

/* Remote MACs, flood lists and multicast groups. */

/* An FDB operation whose requests wait in a struct dp_linux_fdb_ops. */
struct dp_linux_fdb_op {
    struct dp_op *op;           /* DP_OP_MAC_*, DP_OP_FLOOD_* or
                                 * DP_OP_MCAST_*. */
    const struct dp_linux_link *vx; /* VXLAN device that it changes. */
    size_t start;               /* Index of its first request. */
    size_t n;                   /* Number of its requests. */
};

/* FDB operations that go to the kernel together: consecutive ones of one
 * dp_linux_execute(), up to DP_LINUX_FDB_BATCH requests.  Between queuing
 * and sending, no device changes. */
struct dp_linux_fdb_ops {
    struct rtnl_fdb_batch batch;    /* Their requests. */
    struct dp_linux_fdb_op *ops;    /* The operations, in order. */
    size_t n;                       /* Number of 'ops'. */
    size_t allocated;               /* Allocated elements of 'ops'. */
};

/* Returns true if 'op' changes remote MACs, flood lists or multicast
 * groups. */
static bool
dp_linux_is_fdb_op(const struct dp_op *op)
{
    return (op->type == DP_OP_MAC_ADD || op->type == DP_OP_MAC_DEL
            || op->type == DP_OP_FLOOD_ADD || op->type == DP_OP_FLOOD_DEL
            || op->type == DP_OP_MCAST_ADD || op->type == DP_OP_MCAST_DEL);
}

/* Returns true if FDB operation 'op' adds entries (rather than removing
 * them). */
static bool
dp_linux_fdb_op_adds(const struct dp_op *op)
{
    return (op->type == DP_OP_MAC_ADD || op->type == DP_OP_FLOOD_ADD
            || op->type == DP_OP_MCAST_ADD);
}

/* Checks whether FDB operation 'op' can be carried out, and stores in
 * '*vxp' the VXLAN device that it changes, or NULL if it changes only
 * 'actual' (a logical switch without a tunnel keeps its remote MACs, flood
 * list and multicast groups in 'actual' until its VXLAN device is created;
 * a removal from a logical switch that is gone has nothing to do).  Returns
 * 0 or an errno value. */
static int
dp_linux_fdb_prepare(struct dp_linux *dp, const struct dp_op *op,
                     const struct dp_linux_link **vxp)
{
    bool add = dp_linux_fdb_op_adds(op);
    const struct dp_ls *ls = dp_state_find_ls(&dp->up.actual, op->ls);
    const struct dp_linux_link *vx;

    *vxp = NULL;
    if (!ls) {
        return add ? dp_linux_fail(dp, ENOENT, "no logical switch %s",
                                   op->ls) : 0;
    }
    vx = dp_linux_find_own(dp, DP_LINUX_VXLAN, op->ls);
    if (!vx || !dp_linux_find_own(dp, DP_LINUX_BRIDGE, op->ls)) {
        /* The tunnel must be there if the logical switch has a VNI and
         * the switch a tunnel IP: dp_linux_run() notices that it went away
         * and has it created again. */
        return (add && ls->vni && dp->up.actual.tunnel_ip
                ? dp_linux_fail(dp, ENODEV, "logical switch %s has no "
                                "tunnel", op->ls)
                : 0);
    }
    *vxp = vx;
    return 0;
}

/* Appends FDB operation 'op', which changes VXLAN device 'vx', to 'fdb'. */
static void
dp_linux_fdb_queue(struct dp_linux_fdb_ops *fdb, struct dp_op *op,
                   const struct dp_linux_link *vx)
{
    struct rtnl_fdb_batch *batch = &fdb->batch;
    struct dp_linux_fdb_op *f;

    if (fdb->n >= fdb->allocated) {
        fdb->ops = x2nrealloc(fdb->ops, &fdb->allocated, sizeof *fdb->ops);
    }
    f = &fdb->ops[fdb->n++];
    f->op = op;
    f->vx = vx;
    f->start = batch->n;

    switch (op->type) {
    case DP_OP_MAC_ADD:
        rtnl_fdb_batch_add_remote(batch, vx->info.ifindex, op->mac, op->ip,
                                  op->key);
        break;
    case DP_OP_MAC_DEL:
        rtnl_fdb_batch_del_remote(batch, vx->info.ifindex, op->mac);
        break;
    case DP_OP_FLOOD_ADD:
        rtnl_fdb_batch_add_flood(batch, vx->info.ifindex, op->ip, op->key);
        break;
    case DP_OP_FLOOD_DEL:
        rtnl_fdb_batch_del_flood(batch, vx->info.ifindex, op->ip, op->key);
        break;
    case DP_OP_MCAST_ADD:
        rtnl_fdb_batch_add_group(batch, vx->info.ifindex, op->mac, op->ip,
                                 op->key);
        break;
    case DP_OP_MCAST_DEL:
        rtnl_fdb_batch_del_group(batch, vx->info.ifindex, op->mac, op->ip,
                                 op->key);
        break;
    case DP_OP_BIND_DEL:
    case DP_OP_LS_DEL:
    case DP_OP_SET_TUNNEL_IP:
    case DP_OP_SET_AGEING:
    case DP_OP_SET_LOCAL_MAC_LIMIT:
    case DP_OP_LS_ADD:
    case DP_OP_LS_SET_VNI:
    case DP_OP_BIND_ADD:
    default:
        OVS_NOT_REACHED();
    }
    f->n = batch->n - f->start;
}

/* Returns the result of FDB operation 'f', whose requests in 'batch' were
 * sent: 0 or the errno value of the first of them that failed.  Sets
 * '*partial' to whether some of them succeeded and others failed. */
static int
dp_linux_fdb_result(const struct rtnl_fdb_batch *batch,
                    const struct dp_linux_fdb_op *f, bool *partial)
{
    size_t n_failed = 0;
    int error = 0;

    for (size_t i = f->start; i < f->start + f->n; i++) {
        int e = rtnl_fdb_batch_error(batch, i);

        if (e) {
            error = error ? error : e;
            n_failed++;
        }
    }
    *partial = n_failed && n_failed < f->n;
    return error;
}

/* Appends to 'undo' what puts back, as 'actual' has them, the entries that
 * remote MAC operation 'f' changed although it failed (its requests in
 * 'batch' were sent): towards the remote that 'actual' has for the MAC, or
 * none if it has none. */
static void
dp_linux_fdb_undo(const struct dp_linux *dp,
                  const struct rtnl_fdb_batch *batch,
                  const struct dp_linux_fdb_op *f,
                  struct rtnl_fdb_batch *undo)
{
    const struct dp_op *op = f->op;
    const struct dp_ls *ls = dp_state_find_ls(&dp->up.actual, op->ls);
    const struct dp_remote_mac *rm = (ls
                                      ? dp_ls_find_remote_mac(ls, op->mac)
                                      : NULL);
    int vx = f->vx->info.ifindex;

    for (int i = 0; i < RTNL_FDB_REMOTE_N_ENTRIES; i++) {
        if (!rtnl_fdb_batch_error(batch, f->start + i)) {
            if (rm) {
                rtnl_fdb_batch_add_remote_entry(undo, i, vx, op->mac,
                                                rm->dst_ip, rm->key);
            } else {
                rtnl_fdb_batch_del_remote_entry(undo, i, vx, op->mac);
            }
        }
    }
}

/* Sends the requests of the operations in 'fdb' together, undoes what
 * those that failed halfway did, finishes each operation (see
 * dp_linux_finish()) and empties 'fdb'. */
static void
dp_linux_fdb_flush(struct dp_linux *dp, struct dp_linux_fdb_ops *fdb)
{
    struct rtnl_fdb_batch *batch = &fdb->batch;
    struct rtnl_fdb_batch undo;
    size_t i;

    if (!fdb->n) {
        return;
    }
    COVERAGE_INC(dp_linux_fdb_batch);
    rtnl_fdb_batch_execute(batch);

    /* A remote MAC is two entries.  If only one of them changed, change it
     * back, so that the kernel holds nothing that 'actual' does not say.
     * (Flood list and multicast group operations are one request each.) */
    rtnl_fdb_batch_init(&undo);
    for (i = 0; i < fdb->n; i++) {
        const struct dp_linux_fdb_op *f = &fdb->ops[i];
        bool partial;

        if (dp_linux_fdb_result(batch, f, &partial) && partial) {
            dp_linux_fdb_undo(dp, batch, f, &undo);
        }
    }
    if (undo.n) {
        int error = dp_linux_send_batch(&undo);

        if (error) {
            VLOG_WARN_RL(&rl, "%s: could not restore the FDB entries of "
                         "operations that failed halfway (%s)", dp->up.name,
                         ovs_strerror(error));
        }
    }
    rtnl_fdb_batch_destroy(&undo);

    for (i = 0; i < fdb->n; i++) {
        const struct dp_linux_fdb_op *f = &fdb->ops[i];
        struct dp_op *op = f->op;
        bool add = dp_linux_fdb_op_adds(op);
        bool partial;
        int error;

        /* The bridge entry of a remote MAC replaces a learned one. */
        if (op->type == DP_OP_MAC_ADD
            && !rtnl_fdb_batch_error(batch,
                                     f->start + RTNL_FDB_REMOTE_BRIDGE)) {
            dp_linux_forget_local_mac(dp, op->ls, op->mac);
        }

        error = dp_linux_fdb_result(batch, f, &partial);
        ds_clear(&dp->why);
        dp_linux_fail(dp, error, "%s FDB entries of %s",
                      add ? "adding" : "removing", f->vx->info.name);
        dp_linux_finish(dp, op, error);
    }
    rtnl_fdb_batch_clear(batch);
    fdb->n = 0;
}

/* Ports and notifications. */

/* Recomputes dp->up.ports from the devices, if they changed since the last
 * time: with thousands of devices, a walk over all of them at every
 * wake-up would be most of what an idle vtepd does. */
static void
dp_linux_update_ports(struct dp_linux *dp)
{
    struct sset ports = SSET_INITIALIZER(&ports);
    const struct dp_linux_link *link;

    if (dp->ports_links_seq == dp->links_seq) {
        return;
    }
    dp->ports_links_seq = dp->links_seq;
    HMAP_FOR_EACH (link, node, &dp->links) {
        if (dp_linux_is_port(link)) {
            sset_add(&ports, link->info.name);
        }
    }
    if (!sset_equals(&ports, &dp->up.ports)) {
        sset_swap(&ports, &dp->up.ports);
        dp->up.ports_seq++;
    }
    sset_destroy(&ports);
}

/* Reads all devices and local MACs again, after notifications were lost. */
static void
dp_linux_resync(struct dp_linux *dp)
{
    int error;

    COVERAGE_INC(dp_linux_resync);
    nl_sock_drain(dp->sock);

    dp_linux_links_clear(dp);
    error = rtnl_link_dump(dp_linux_load_link_cb, dp);
    if (error) {
        VLOG_WARN_RL(&rl, "%s: reading devices failed (%s)",
                     dp->up.name, ovs_strerror(error));
    }

    dp_local_macs_clear(&dp->up.local_macs);
    dp->up.local_macs_seq++;
    error = dp_linux_load_local_macs(dp);
    if (error) {
        VLOG_WARN_RL(&rl, "%s: reading the bridge FDB failed (%s)",
                     dp->up.name, ovs_strerror(error));
    }
    dp->check_at = time_msec() + DP_LINUX_SETTLE_MS;
}

/* Processes notification 'msg'. */
static void
dp_linux_handle_notification(struct dp_linux *dp, const struct ofpbuf *msg)
{
    uint16_t type = nl_msg_nlmsghdr(msg)->nlmsg_type;
    struct rtnl_link info;
    struct rtnl_fdb fdb;

    COVERAGE_INC(dp_linux_notification);
    if ((type == RTM_NEWLINK || type == RTM_DELLINK)
        && !rtnl_link_parse(msg, &info)) {
        if (type == RTM_NEWLINK) {
            dp_linux_link_update(dp, &info);
        } else {
            struct dp_linux_link *link = dp_linux_link_find(dp, info.ifindex);

            if (link) {
                dp_linux_link_remove(dp, link);
            }
            tc_vlan_forget(info.ifindex);
        }
        dp->check_at = time_msec() + DP_LINUX_SETTLE_MS;
    } else if ((type == RTM_NEWNEIGH || type == RTM_DELNEIGH)
               && !rtnl_fdb_parse(msg, &fdb)) {
        dp_linux_handle_fdb(dp, &fdb, type == RTM_DELNEIGH);
    }
}

/* Provider functions. */

/* Frees 'dp' without touching the kernel. */
static void
dp_linux_destroy(struct dp_linux *dp)
{
    struct dp_linux_trunk *t;

    nl_sock_destroy(dp->sock);
    HMAP_FOR_EACH_SAFE (t, node, &dp->trunks) {
        dp_linux_trunk_remove(dp, t);
    }
    hmap_destroy(&dp->trunks);
    dp_linux_links_clear(dp);
    hmap_destroy(&dp->links);
    hmap_destroy(&dp->links_by_name);
    hmap_destroy(&dp->own_links);
    shash_destroy_free_data(&dp->port_counters);
    free(dp->prefix);
    ds_destroy(&dp->why);
    dp_uninit(&dp->up);
    free(dp);
}

/* dp_class "open": opens the datapath of physical switch 'name'. */
static int
dp_linux_open(const char *name, struct dp **dpp)
{
    struct dp_linux *dp = xzalloc(sizeof *dp);
    size_t n_flood = 0, n_mcast = 0;
    int error;

    dp_init(&dp->up, &dp_linux_class, name);
    dp->up.actual.mac_ageing = DP_STATE_DEFAULT_AGEING;
    dp->prefix = xasprintf("vtepd:ps=%s:", name);
    hmap_init(&dp->links);
    dp->links_seq = 1;
    shash_init(&dp->port_counters);
    hmap_init(&dp->links_by_name);
    hmap_init(&dp->own_links);
    hmap_init(&dp->trunks);
    dp->check_at = LLONG_MAX;
    ds_init(&dp->why);

    /* Subscribe first, so that no change is missed between the dumps and
     * the first notification. */
    error = nl_sock_create(NETLINK_ROUTE, &dp->sock);
    if (!error) {
        error = nl_sock_join_mcgroup(dp->sock, RTNLGRP_LINK);
    }
    if (!error) {
        /* Without the filter, only large changes could overflow the
         * socket. */
        int e = rtnl_fdb_filter_learned(nl_sock_fd(dp->sock));

        if (e) {
            VLOG_WARN("%s: filtering neighbour notifications failed (%s)",
                      name, ovs_strerror(e));
        }
        error = nl_sock_join_mcgroup(dp->sock, RTNLGRP_NEIGH);
    }
    if (!error) {
        error = rtnl_link_dump(dp_linux_load_link_cb, dp);
    }
    if (!error) {
        error = dp_linux_adopt(dp, &n_flood, &n_mcast);
    }
    if (error) {
        VLOG_ERR("%s: reading the kernel's state failed (%s)",
                 name, ovs_strerror(error));
        dp_linux_destroy(dp);
        *dpp = NULL;
        return error;
    }
    dp_linux_update_ports(dp);

    /* Takes down the veth pairs of ports that are gone, and attaches the tc
     * programs again, so that they use the devices' current ifindexes. */
    dp_linux_check_bindings(dp);

    VLOG_INFO("%s: adopted %"PRIuSIZE" logical switches, %"PRIuSIZE
              " bindings, %"PRIuSIZE" remote MACs, %"PRIuSIZE" flood "
              "entries, %"PRIuSIZE" multicast group entries and %"PRIuSIZE
              " local MACs (tunnel IP "IP_FMT", MAC ageing %u s)", name,
              hmap_count(&dp->up.actual.switches),
              hmap_count(&dp->up.actual.bindings),
              dp_state_count_remote_macs(&dp->up.actual), n_flood, n_mcast,
              hmap_count(&dp->up.local_macs),
              IP_ARGS(dp->up.actual.tunnel_ip), dp->up.actual.mac_ageing);
    *dpp = &dp->up;
    return 0;
}

/* dp_class "close": frees 'dp', leaving the kernel as it is. */
static void
dp_linux_close(struct dp *dp)
{
    dp_linux_destroy(dp_linux_cast(dp));
}

/* dp_class "prepare": loads the VLAN programs (which needs CAP_BPF) and
 * opens the ARP packet socket (CAP_NET_RAW) before privileges go. */
static int
dp_linux_prepare(void)
{
    int error = tc_vlan_init();
    int arp_error = dp_linux_arp_open();

    return error ? error : arp_error;
}

/* dp_class "run": processes the pending notifications, without blocking. */
static void
dp_linux_run(struct dp *dp_)
{
    struct dp_linux *dp = dp_linux_cast(dp_);
    uint64_t stub[4096 / 8];
    struct ofpbuf buf;
    int i;

    ofpbuf_use_stub(&buf, stub, sizeof stub);
    for (i = 0; i < DP_LINUX_MAX_NOTIFICATIONS; i++) {
        int error = nl_sock_recv(dp->sock, &buf, NULL, false);

        if (!error) {
            struct ofpbuf msgs = buf;
            struct ofpbuf msg;

            while (nl_msg_next(&msgs, &msg)) {
                dp_linux_handle_notification(dp, &msg);
            }
        } else if (error == ENOBUFS) {
            VLOG_WARN_RL(&rl, "%s: netlink notifications lost, reading the "
                         "kernel's state again", dp->up.name);
            dp_linux_resync(dp);
        } else {
            if (error != EAGAIN) {
                VLOG_WARN_RL(&rl, "%s: reading netlink notifications failed "
                             "(%s)", dp->up.name, ovs_strerror(error));
            }
            break;
        }
    }
    ofpbuf_uninit(&buf);

    /* Half-processed changes (e.g. a device created but not yet marked as
     * this switch's) must not show, so wait until all are in. */
    dp->more = i >= DP_LINUX_MAX_NOTIFICATIONS;

    /* After the notifications, which learn the MACs that ARP frames come
     * from. */
    dp_linux_arp_run(dp);
    if (!dp->more) {
        if (time_msec() >= dp->check_at) {
            dp->check_at = LLONG_MAX;
            dp_linux_check_switches(dp);
            dp_linux_check_bindings(dp);
        }
        dp_linux_update_ports(dp);
    }
}

/* dp_class "wait": wakes poll_block() up for the next notification. */
static void
dp_linux_wait(struct dp *dp_)
{
    struct dp_linux *dp = dp_linux_cast(dp_);

    dp_linux_arp_wait(dp);
    if (dp->more) {
        poll_immediate_wake();
    } else {
        nl_sock_wait(dp->sock, POLLIN);
        if (dp->check_at != LLONG_MAX) {
            poll_timer_wait_until(dp->check_at);
        }
    }
}

/* Carries out 'op', which is neither an FDB nor a binding operation.
 * Returns 0 or an errno value. */
static int
dp_linux_execute_op(struct dp_linux *dp, const struct dp_op *op)
{
    switch (op->type) {
    case DP_OP_LS_DEL:
        return dp_linux_ls_del(dp, op->ls);
    case DP_OP_SET_TUNNEL_IP:
        return dp_linux_set_tunnel_ip(dp, op->ip);
    case DP_OP_SET_AGEING:
        return dp_linux_set_ageing(dp, op->ageing);
    case DP_OP_SET_LOCAL_MAC_LIMIT:
        return dp_linux_set_local_mac_limit(dp, op->local_mac_limit);
    case DP_OP_LS_ADD:
        return dp_linux_ls_add(dp, op->ls, op->vni);
    case DP_OP_LS_SET_VNI:
        if (!dp_state_find_ls(&dp->up.actual, op->ls)) {
            return dp_linux_fail(dp, ENOENT, "no logical switch %s", op->ls);
        }
        return dp_linux_sync_vxlan(dp, op->ls, op->vni,
                                   dp->up.actual.tunnel_ip);
    case DP_OP_ARP_ADD:
        return dp_linux_arp_add(dp, op->ls, op->ip, op->mac);
    case DP_OP_ARP_DEL:
        return dp_linux_arp_del(dp, op->ls, op->ip);
    case DP_OP_BIND_DEL:
    case DP_OP_MAC_DEL:
    case DP_OP_FLOOD_DEL:
    case DP_OP_MCAST_DEL:
    case DP_OP_BIND_ADD:
    case DP_OP_MAC_ADD:
    case DP_OP_FLOOD_ADD:
    case DP_OP_MCAST_ADD:
    default:
        OVS_NOT_REACHED();
    }
}

/* Sets 'op''s result to 'error' and, if it succeeded, applies it to
 * 'actual'; if it failed, logs why (from dp->why). */
void
dp_linux_finish(struct dp_linux *dp, struct dp_op *op, int error)
{
    if (!error) {
        dp_apply_to_state(&dp->up.actual, op);
    } else if (!VLOG_DROP_WARN(&rl)) {
        struct ds s = DS_EMPTY_INITIALIZER;

        dp_op_format(op, &s);
        VLOG_WARN("%s: %s failed: %s%s(%s)", dp->up.name, ds_cstr(&s),
                  ds_cstr(&dp->why), dp->why.length ? " " : "",
                  ovs_strerror(error));
        ds_destroy(&s);
    }
    op->error = error;
}

/* Returns true if 'op' adds or removes a binding. */
static bool
dp_linux_is_bind_op(const struct dp_op *op)
{
    return op->type == DP_OP_BIND_ADD || op->type == DP_OP_BIND_DEL;
}

/* dp_class "execute": carries out each operation in 'ops'.  Consecutive
 * FDB operations go to the kernel together; consecutive binding operations
 * of one type are finished together, with each port's trunk program synced
 * once for all of them. */
static void
dp_linux_execute(struct dp *dp_, struct ovs_list *ops)
{
    struct dp_linux *dp = dp_linux_cast(dp_);
    struct dp_linux_bind_ops bind;
    struct dp_linux_fdb_ops fdb;
    struct dp_op *op;

    memset(&fdb, 0, sizeof fdb);
    rtnl_fdb_batch_init(&fdb.batch);
    dp_linux_bind_ops_init(&bind);
    LIST_FOR_EACH (op, list_node, ops) {
        int error;

        if (dp_linux_is_bind_op(op)) {
            dp_linux_fdb_flush(dp, &fdb);
            dp_linux_bind_queue(dp, &bind, op);
            continue;
        }
        dp_linux_bind_flush(dp, &bind);
        if (dp_linux_is_fdb_op(op)) {
            const struct dp_linux_link *vx;

            ds_clear(&dp->why);
            error = dp_linux_fdb_prepare(dp, op, &vx);
            if (!error && vx) {
                dp_linux_fdb_queue(&fdb, op, vx);
                if (fdb.batch.n >= DP_LINUX_FDB_BATCH) {
                    dp_linux_fdb_flush(dp, &fdb);
                }
                continue;
            }
            /* Finished at once, maybe before operations queued earlier:
             * no two operations of one pass are about the same entry. */
        } else {
            dp_linux_fdb_flush(dp, &fdb);
            ds_clear(&dp->why);
            error = dp_linux_execute_op(dp, op);
        }
        dp_linux_finish(dp, op, error);
    }
    dp_linux_fdb_flush(dp, &fdb);
    dp_linux_bind_flush(dp, &bind);
    dp_linux_bind_ops_destroy(&bind);
    rtnl_fdb_batch_destroy(&fdb.batch);
    free(fdb.ops);
}

/* dp_class "dump_macs": reads the FDB entries of logical switch 'ls' from
 * the kernel. */
static int
dp_linux_dump_macs(struct dp *dp, const char *ls, struct ds *out)
{
    return dp_linux_read_macs(dp_linux_cast(dp), ls, out);
}

/* dp_class "refresh_stats": reads the bindings' counters from the kernel. */
static void
dp_linux_refresh_stats_cb(struct dp *dp)
{
    dp_linux_refresh_stats(dp_linux_cast(dp));
}

const struct dp_class dp_linux_class = {
    .type = "linux",
    .prepare = dp_linux_prepare,
    .open = dp_linux_open,
    .close = dp_linux_close,
    .run = dp_linux_run,
    .wait = dp_linux_wait,
    .execute = dp_linux_execute,
    .dump_macs = dp_linux_dump_macs,
    .refresh_stats = dp_linux_refresh_stats_cb,
};
