/* dp-linux.c -- the "linux" datapath provider: the kernel's bridge and VXLAN
 * drivers, programmed over rtnetlink.
 *
 * Each logical switch is a bridge, named "vtb" plus 8 hex digits of a hash of
 * "<switch>:<logical switch>".  If the logical switch has a VNI and the
 * switch a tunnel IP, a VXLAN device ("vtx" plus the same digits) is a port
 * of the bridge: its FDB holds the remote MACs (unicast entries) and the
 * flood list (all-zeros entry with one remote per replication target), and
 * the bridge holds an entry that does not age for each remote MAC, so that
 * it does not flood frames to them.
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
 * learn on bound ports, and tracks ports coming and going.
 *
 * The provider is in four files, which share dp-linux-private.h:
 *
 *   - dp-linux.c (this file): logical switches (bridges, VXLAN devices,
 *     the tunnel IP and the MAC ageing time), remote MACs and flood lists,
 *     local MACs, notifications and ports, and the provider functions.
 *
 *   - dp-linux-links.c: the copy of the kernel's devices, what each one is
 *     to this switch (from its alias), and naming, creating, claiming and
 *     deleting this switch's devices, veth pairs included.
 *
 *   - dp-linux-bind.c: bindings, the tc programs that carry them, and
 *     checking that the kernel still carries them after devices change.
 *
 *   - dp-linux-adopt.c: adopting what this switch's devices hold into
 *     'actual' when dp_linux_open() finds them after a restart. */

#include <config.h>
#include "dp-linux-private.h"

#include <errno.h>
#include <linux/neighbour.h>
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
#include "sset.h"
#include "svec.h"
#include "switch-config.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(dp_linux);

COVERAGE_DEFINE(dp_linux_notification);
COVERAGE_DEFINE(dp_linux_resync);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* Most notifications that one dp_linux_run() processes. */
#define DP_LINUX_MAX_NOTIFICATIONS 1000

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

/* Makes sure that logical switch 'ls' has a bridge that is up and ages MACs
 * as 'actual' says.  Returns 0 or an errno value. */
static int
dp_linux_ensure_bridge(struct dp_linux *dp, const char *ls)
{
    struct dp_linux_link *br = dp_linux_find_own(dp, DP_LINUX_BRIDGE, ls);
    uint32_t ageing = dp_linux_ageing(dp);
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
        if (!error && !(br->info.flags & IFF_UP)) {
            error = dp_linux_fail(dp, rtnl_link_set_up(br->info.ifindex),
                                  "bringing up %s", br->info.name);
        }
        return error;
    }

    memset(&want, 0, sizeof want);
    ovs_strlcpy(want.kind, "bridge", sizeof want.kind);
    want.br_ageing = ageing;
    key = xasprintf("%s:%s", dp->up.name, ls);
    alias = dp_linux_alias(dp, DP_LINUX_BRIDGE, ls, 0);
    error = dp_linux_create(dp, &want, key, alias, &br);
    free(alias);
    free(key);
    return error;
}

/* Puts the remote MACs and the flood list that 'actual' has for logical
 * switch 'ls' into its new VXLAN device 'vx'.  Returns 0 or an errno
 * value. */
static int
dp_linux_reinstall(struct dp_linux *dp, const char *ls,
                   const struct dp_linux_link *vx)
{
    const struct dp_ls *dls = dp_state_find_ls(&dp->up.actual, ls);
    const struct dp_remote_mac *rm;
    struct rtnl_fdb_batch batch;
    const char *ip_s;

    if (!dls) {
        return 0;
    }

    rtnl_fdb_batch_init(&batch);
    HMAP_FOR_EACH (rm, node, &dls->remote_macs) {
        rtnl_fdb_batch_add_remote(&batch, vx->info.ifindex, rm->mac,
                                  rm->dst_ip);
    }
    SSET_FOR_EACH (ip_s, &dls->flood_ips) {
        ovs_be32 ip;

        if (ip_parse(ip_s, &ip)) {
            rtnl_fdb_batch_add_flood(&batch, vx->info.ifindex, ip);
        }
    }
    return dp_linux_fail(dp, rtnl_fdb_batch_execute(&batch),
                         "installing %"PRIuSIZE" remote MACs and "
                         "%"PRIuSIZE" flood entries on %s",
                         hmap_count(&dls->remote_macs),
                         sset_count(&dls->flood_ips), vx->info.name);
}

/* Makes the VXLAN device of logical switch 'ls' match VNI 'vni' and local
 * address 'local': absent if either is 0, otherwise (re)created as needed,
 * since the kernel cannot change either on an existing device.  A new device
 * gets the remote MACs and flood list that 'actual' has for 'ls'.  Returns 0
 * or an errno value. */
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
        && vx->info.vxlan_port == htons(RTNL_LINK_VXLAN_PORT)) {
        if (vx->info.master == br->info.ifindex) {
            return 0;
        }
        /* Ours but outside the bridge: plug it back in. */
        error = rtnl_link_enslave(vx->info.ifindex, br->info.ifindex);
        if (!error) {
            error = rtnl_link_set_brport_learning(vx->info.ifindex, false);
        }
        if (!error) {
            vx->info.master = br->info.ifindex;
        }
        return dp_linux_fail(dp, error, "adding %s to %s",
                             vx->info.name, br->info.name);
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
    want.vxlan_learning = false;
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

/* Remote MACs and flood lists. */

/* DP_OP_MAC_ADD, DP_OP_MAC_DEL, DP_OP_FLOOD_ADD, DP_OP_FLOOD_DEL. */
static int
dp_linux_fdb_op(struct dp_linux *dp, const struct dp_op *op)
{
    bool add = op->type == DP_OP_MAC_ADD || op->type == DP_OP_FLOOD_ADD;
    const struct dp_linux_link *vx;
    struct rtnl_fdb_batch batch;

    if (!dp_state_find_ls(&dp->up.actual, op->ls)) {
        return add ? dp_linux_fail(dp, ENOENT, "no logical switch %s",
                                   op->ls) : 0;
    }
    vx = dp_linux_find_own(dp, DP_LINUX_VXLAN, op->ls);
    if (!vx || !dp_linux_find_own(dp, DP_LINUX_BRIDGE, op->ls)) {
        /* No tunnel yet: 'actual' keeps the entry, to be installed with the
         * VXLAN device. */
        return 0;
    }

    rtnl_fdb_batch_init(&batch);
    switch (op->type) {
    case DP_OP_MAC_ADD:
        rtnl_fdb_batch_add_remote(&batch, vx->info.ifindex, op->mac,
                                  op->ip);
        break;
    case DP_OP_MAC_DEL:
        rtnl_fdb_batch_del_remote(&batch, vx->info.ifindex, op->mac);
        break;
    case DP_OP_FLOOD_ADD:
        rtnl_fdb_batch_add_flood(&batch, vx->info.ifindex, op->ip);
        break;
    case DP_OP_FLOOD_DEL:
        rtnl_fdb_batch_del_flood(&batch, vx->info.ifindex, op->ip);
        break;
    case DP_OP_BIND_DEL:
    case DP_OP_LS_DEL:
    case DP_OP_SET_TUNNEL_IP:
    case DP_OP_SET_AGEING:
    case DP_OP_LS_ADD:
    case DP_OP_LS_SET_VNI:
    case DP_OP_BIND_ADD:
        OVS_NOT_REACHED();
    }
    return dp_linux_fail(dp, rtnl_fdb_batch_execute(&batch),
                         "%s FDB entries of %s", add ? "adding" : "removing",
                         vx->info.name);
}

/* Local MACs. */

/* If 'fdb' is an entry that bridge 'br' of this switch learned on a bound
 * port, records it as a local MAC and returns true; otherwise returns
 * false. */
static bool
dp_linux_learn(struct dp_linux *dp, const struct rtnl_fdb *fdb,
               const struct dp_linux_link *br)
{
    const struct dp_linux_link *link;
    const struct dp_binding *b;
    struct dp_local_mac *lm;
    const char *port;
    uint16_t vlan;

    if (!rtnl_fdb_is_learned(fdb)) {
        return false;
    }
    link = dp_linux_link_find(dp, fdb->ifindex);
    if (!link || !dp_linux_link_binding(link, &port, &vlan)) {
        return false;
    }
    b = dp_state_find_binding(&dp->up.actual, port, vlan);
    if (!b || strcmp(b->ls, br->ls)) {
        return false;
    }

    lm = dp_local_mac_find(&dp->up.local_macs, br->ls, fdb->mac);
    if (!lm || lm->vlan != vlan || strcmp(lm->port, port)) {
        dp_local_mac_add(&dp->up.local_macs, br->ls, fdb->mac, port, vlan);
        dp->up.local_macs_seq++;
    }
    return true;
}

/* Returns this switch's bridge that holds FDB entry 'fdb', or NULL. */
static const struct dp_linux_link *
dp_linux_fdb_bridge(const struct dp_linux *dp, const struct rtnl_fdb *fdb)
{
    const struct dp_linux_link *br = (fdb->master
                                      ? dp_linux_link_find(dp, fdb->master)
                                      : NULL);

    return br && br->role == DP_LINUX_BRIDGE ? br : NULL;
}

/* Processes a notification that bridge FDB entry 'fdb' was added or changed
 * or, if 'deleted', removed. */
static void
dp_linux_handle_fdb(struct dp_linux *dp, const struct rtnl_fdb *fdb,
                    bool deleted)
{
    const struct dp_linux_link *br = dp_linux_fdb_bridge(dp, fdb);
    struct dp_local_mac *lm;

    if (!br || (!deleted && dp_linux_learn(dp, fdb, br))) {
        return;
    }

    /* Gone, or not (any longer) learned on a bound port. */
    lm = dp_local_mac_find(&dp->up.local_macs, br->ls, fdb->mac);
    if (lm) {
        dp_local_mac_remove(&dp->up.local_macs, lm);
        dp->up.local_macs_seq++;
    }
}

/* rtnl_fdb_dump() callback: records a learned entry as a local MAC. */
void
dp_linux_load_local_cb(const struct rtnl_fdb *fdb, void *dp_)
{
    struct dp_linux *dp = dp_;
    const struct dp_linux_link *br = dp_linux_fdb_bridge(dp, fdb);

    if (br) {
        dp_linux_learn(dp, fdb, br);
    }
}

/* Ports and notifications. */

/* Recomputes dp->up.ports from the devices. */
static void
dp_linux_update_ports(struct dp_linux *dp)
{
    struct sset ports = SSET_INITIALIZER(&ports);
    const struct dp_linux_link *link;

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
    error = rtnl_fdb_dump(0, dp_linux_load_local_cb, dp);
    if (error) {
        VLOG_WARN_RL(&rl, "%s: reading the bridge FDB failed (%s)",
                     dp->up.name, ovs_strerror(error));
    }
    dp->check_bindings = true;
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
        }
        dp->check_bindings = true;
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
    size_t n_flood = 0;
    int error;

    dp_init(&dp->up, &dp_linux_class, name);
    dp->up.actual.mac_ageing = SWITCH_CONFIG_DEFAULT_AGEING;
    dp->prefix = xasprintf("vtepd:ps=%s:", name);
    hmap_init(&dp->links);
    hmap_init(&dp->links_by_name);
    hmap_init(&dp->own_links);
    hmap_init(&dp->trunks);
    ds_init(&dp->why);

    /* Subscribe first, so that no change is missed between the dumps and
     * the first notification. */
    error = nl_sock_create(NETLINK_ROUTE, &dp->sock);
    if (!error) {
        error = nl_sock_join_mcgroup(dp->sock, RTNLGRP_LINK);
    }
    if (!error) {
        error = nl_sock_join_mcgroup(dp->sock, RTNLGRP_NEIGH);
    }
    if (!error) {
        error = rtnl_link_dump(dp_linux_load_link_cb, dp);
    }
    if (!error) {
        error = dp_linux_adopt(dp, &n_flood);
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
              "entries and %"PRIuSIZE" local MACs (tunnel IP "IP_FMT", MAC "
              "ageing %u s)", name, hmap_count(&dp->up.actual.switches),
              hmap_count(&dp->up.actual.bindings),
              dp_state_count_remote_macs(&dp->up.actual), n_flood,
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
    if (!dp->more) {
        if (dp->check_bindings) {
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

    if (dp->more) {
        poll_immediate_wake();
    } else {
        nl_sock_wait(dp->sock, POLLIN);
    }
}

/* Carries out 'op'.  Returns 0 or an errno value. */
static int
dp_linux_execute_op(struct dp_linux *dp, const struct dp_op *op)
{
    int error;

    switch (op->type) {
    case DP_OP_BIND_DEL:
        error = dp_linux_unbind(dp, op->port, op->vlan);
        if (!error) {
            dp_forget_local_macs_of_binding(&dp->up, op->port, op->vlan);
        }
        return error;
    case DP_OP_MAC_DEL:
    case DP_OP_FLOOD_DEL:
    case DP_OP_MAC_ADD:
    case DP_OP_FLOOD_ADD:
        return dp_linux_fdb_op(dp, op);
    case DP_OP_LS_DEL:
        return dp_linux_ls_del(dp, op->ls);
    case DP_OP_SET_TUNNEL_IP:
        return dp_linux_set_tunnel_ip(dp, op->ip);
    case DP_OP_SET_AGEING:
        return dp_linux_set_ageing(dp, op->ageing);
    case DP_OP_LS_ADD:
        return dp_linux_ls_add(dp, op->ls, op->vni);
    case DP_OP_LS_SET_VNI:
        if (!dp_state_find_ls(&dp->up.actual, op->ls)) {
            return dp_linux_fail(dp, ENOENT, "no logical switch %s", op->ls);
        }
        return dp_linux_sync_vxlan(dp, op->ls, op->vni,
                                   dp->up.actual.tunnel_ip);
    case DP_OP_BIND_ADD:
        return dp_linux_bind_add(dp, op);
    }
    OVS_NOT_REACHED();
}

/* dp_class "execute": carries out each operation in 'ops'. */
static void
dp_linux_execute(struct dp *dp_, struct ovs_list *ops)
{
    struct dp_linux *dp = dp_linux_cast(dp_);
    struct dp_op *op;

    LIST_FOR_EACH (op, list_node, ops) {
        int error;

        ds_clear(&dp->why);
        error = dp_linux_execute_op(dp, op);
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
}

/* Context for dp_linux_dump_cb(). */
struct dp_linux_dump_ctx {
    const struct dp_linux *dp;  /* Datapath. */
    int bridge;                 /* The logical switch's bridge. */
    int vxlan;                  /* Its VXLAN device, 0 if none. */
    struct svec local;          /* "local ..." lines. */
    struct svec remote;         /* "remote ..." lines. */
    struct svec flood;          /* "flood ..." lines. */
};

/* rtnl_fdb_dump() callback for dp_linux_dump_macs(). */
static void
dp_linux_dump_cb(const struct rtnl_fdb *fdb, void *ctx_)
{
    struct dp_linux_dump_ctx *ctx = ctx_;

    if (ctx->vxlan && fdb->ifindex == ctx->vxlan
        && fdb->flags & NTF_SELF && fdb->dst) {
        if (eth_addr_is_zero(fdb->mac)) {
            svec_add_nocopy(&ctx->flood, xasprintf("flood  dst "IP_FMT,
                                                   IP_ARGS(fdb->dst)));
        } else {
            svec_add_nocopy(&ctx->remote,
                            xasprintf("remote "ETH_ADDR_FMT" dst "IP_FMT,
                                      ETH_ADDR_ARGS(fdb->mac),
                                      IP_ARGS(fdb->dst)));
        }
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

/* dp_class "dump_macs": reads the FDB entries of logical switch 'ls' from
 * the kernel. */
static int
dp_linux_dump_macs(struct dp *dp_, const char *ls, struct ds *out)
{
    struct dp_linux *dp = dp_linux_cast(dp_);
    const struct dp_linux_link *br, *vx;
    struct dp_linux_dump_ctx ctx;
    struct svec *lists[3];
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
    error = rtnl_fdb_dump(br->info.ifindex, dp_linux_dump_cb, &ctx);

    lists[0] = &ctx.local;
    lists[1] = &ctx.remote;
    lists[2] = &ctx.flood;
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

const struct dp_class dp_linux_class = {
    .type = "linux",
    .open = dp_linux_open,
    .close = dp_linux_close,
    .run = dp_linux_run,
    .wait = dp_linux_wait,
    .execute = dp_linux_execute,
    .dump_macs = dp_linux_dump_macs,
};
