/* dp-dummy.c -- an in-memory datapath, for unit tests, unprivileged runs
 * and controller test harnesses.
 *
 * It forwards nothing.  It accepts every operation that a kernel would
 * accept (a binding needs its port to exist) and keeps the result in
 * 'actual'.  unixctl commands play the part of the hardware:
 *
 *   dpdummy/port-add PORT...        a port appears
 *   dpdummy/port-del PORT...        a port goes away
 *   dpdummy/learn PORT VLAN MAC     a frame from MAC arrives on (PORT, VLAN)
 *   dpdummy/age PORT VLAN MAC       the learned MAC ages out */

#include <config.h>
#include "dp.h"

#include <errno.h>
#include "openvswitch/dynamic-string.h"
#include "openvswitch/vlog.h"
#include "unixctl.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(dp_dummy);

/* Rate limit for failed operations. */
static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* The one dummy datapath of this process (unixctl commands act on it). */
static struct dp *dummy_dp;

/* Returns the dummy datapath or replies an error to 'conn'. */
static struct dp *
dummy_get(struct unixctl_conn *conn)
{
    if (!dummy_dp) {
        unixctl_command_reply_error(conn, "no dummy datapath is open");
    }
    return dummy_dp;
}

/* "dpdummy/port-add PORT...". */
static void
dummy_unixctl_port_add(struct unixctl_conn *conn, int argc,
                       const char *argv[], void *aux OVS_UNUSED)
{
    struct dp *dp = dummy_get(conn);
    if (dp) {
        for (int i = 1; i < argc; i++) {
            sset_add(&dp->ports, argv[i]);
        }
        dp->ports_seq++;
        unixctl_command_reply(conn, NULL);
    }
}

/* "dpdummy/port-del PORT...": the port and what was learned on it go. */
static void
dummy_unixctl_port_del(struct unixctl_conn *conn, int argc,
                       const char *argv[], void *aux OVS_UNUSED)
{
    struct dp *dp = dummy_get(conn);
    if (dp) {
        for (int i = 1; i < argc; i++) {
            struct dp_local_mac *lm;

            sset_find_and_delete(&dp->ports, argv[i]);
            HMAP_FOR_EACH_SAFE (lm, node, &dp->local_macs) {
                if (!strcmp(lm->port, argv[i])) {
                    dp_local_mac_remove(&dp->local_macs, lm);
                    dp->local_macs_seq++;
                }
            }
        }
        dp->ports_seq++;
        unixctl_command_reply(conn, NULL);
    }
}

/* Parses the "PORT VLAN MAC" arguments of learn/age into the binding they
 * name and '*mac'.  Replies an error to 'conn' and returns NULL if they
 * are invalid or the binding does not exist. */
static const struct dp_binding *
dummy_parse_binding_mac(struct unixctl_conn *conn, struct dp *dp,
                        const char *argv[], struct eth_addr *mac)
{
    unsigned int vlan;

    if (!str_to_uint(argv[2], 10, &vlan) || vlan > 4095) {
        unixctl_command_reply_error(conn, "VLAN must be 0 to 4095");
        return NULL;
    }
    if (!eth_addr_from_string(argv[3], mac)) {
        unixctl_command_reply_error(conn, "invalid MAC address");
        return NULL;
    }
    const struct dp_binding *b
        = dp_state_find_binding(&dp->actual, argv[1], vlan);
    if (!b) {
        unixctl_command_reply_error(conn, "no such binding");
    }
    return b;
}

/* "dpdummy/learn PORT VLAN MAC". */
static void
dummy_unixctl_learn(struct unixctl_conn *conn, int argc OVS_UNUSED,
                    const char *argv[], void *aux OVS_UNUSED)
{
    struct dp *dp = dummy_get(conn);
    struct eth_addr mac;
    const struct dp_binding *b;

    if (dp && (b = dummy_parse_binding_mac(conn, dp, argv, &mac))) {
        unsigned int limit = dp->actual.local_mac_limit;

        /* Like the kernel's bridge, learn nothing new past the limit. */
        if (limit && !dp_local_mac_find(&dp->local_macs, b->ls, mac)
            && dp_count_local_macs_in_ls(dp, b->ls) >= limit) {
            unixctl_command_reply_error(conn, "learned MAC limit reached");
            return;
        }
        dp_local_mac_add(&dp->local_macs, b->ls, mac, b->port, b->vlan);
        dp->local_macs_seq++;
        unixctl_command_reply(conn, NULL);
    }
}

/* "dpdummy/age PORT VLAN MAC". */
static void
dummy_unixctl_age(struct unixctl_conn *conn, int argc OVS_UNUSED,
                  const char *argv[], void *aux OVS_UNUSED)
{
    struct dp *dp = dummy_get(conn);
    struct eth_addr mac;
    const struct dp_binding *b;

    if (dp && (b = dummy_parse_binding_mac(conn, dp, argv, &mac))) {
        struct dp_local_mac *lm
            = dp_local_mac_find(&dp->local_macs, b->ls, mac);
        if (lm) {
            dp_local_mac_remove(&dp->local_macs, lm);
            dp->local_macs_seq++;
        }
        unixctl_command_reply(conn, NULL);
    }
}

/* Opens the dummy datapath; there is at most one per process. */
static int
dummy_open(const char *name, struct dp **dpp)
{
    static bool registered;

    if (dummy_dp) {
        return EBUSY;
    }
    if (!registered) {
        unixctl_command_register("dpdummy/port-add", "PORT...", 1, INT_MAX,
                                 dummy_unixctl_port_add, NULL);
        unixctl_command_register("dpdummy/port-del", "PORT...", 1, INT_MAX,
                                 dummy_unixctl_port_del, NULL);
        unixctl_command_register("dpdummy/learn", "PORT VLAN MAC", 3, 3,
                                 dummy_unixctl_learn, NULL);
        unixctl_command_register("dpdummy/age", "PORT VLAN MAC", 3, 3,
                                 dummy_unixctl_age, NULL);
        registered = true;
    }
    dummy_dp = xmalloc(sizeof *dummy_dp);
    dp_init(dummy_dp, &dp_dummy_class, name);
    *dpp = dummy_dp;
    return 0;
}

/* Frees the dummy datapath. */
static void
dummy_close(struct dp *dp)
{
    dp_uninit(dp);
    free(dp);
    dummy_dp = NULL;
}

/* Nothing happens in the dummy datapath but what unixctl injects. */
static void
dummy_run(struct dp *dp OVS_UNUSED)
{
}

/* Nothing to wait for: unixctl wakes the loop itself. */
static void
dummy_wait(struct dp *dp OVS_UNUSED)
{
}

/* Applies each operation of 'ops' to the in-memory state.  A binding fails
 * with ENODEV if its port does not exist, as in the kernel.  The MACs
 * learned on the bindings that go or move to another logical switch are
 * forgotten in one pass at the end, as the linux datapath does. */
static void
dummy_execute(struct dp *dp, struct ovs_list *ops)
{
    struct dp_state unbound;
    struct dp_op *op;

    dp_state_init(&unbound);
    LIST_FOR_EACH (op, list_node, ops) {
        op->error = 0;
        if (op->type == DP_OP_BIND_ADD && !sset_contains(&dp->ports,
                                                         op->port)) {
            VLOG_WARN_RL(&rl, "%s: binding %s VLAN %"PRIu16" to %s: no such "
                         "port", dp->name, op->port, op->vlan, op->ls);
            op->error = ENODEV;
            continue;
        }
        dp_note_binding_gone(&dp->actual, op, &unbound);
        if (op->type == DP_OP_LS_DEL) {
            dp_forget_local_macs_of_ls(dp, op->ls);
        }
        dp_apply_to_state(&dp->actual, op);
    }
    dp_forget_local_macs_of_bindings(dp, &unbound);
    dp_state_destroy(&unbound);
}

/* Ends a line of dummy_dump_macs() in 'out' with " vni KEY" if 'key' is not
 * 0 (the logical switch's VNI), as the linux datapath's. */
static void
dummy_put_vni(struct ds *out, uint32_t key)
{
    if (key) {
        ds_put_format(out, " vni %"PRIu32, key);
    }
    ds_put_char(out, '\n');
}

/* Appends the MACs of 'ls_name' held in memory to 'out'. */
static int
dummy_dump_macs(struct dp *dp, const char *ls_name, struct ds *out)
{
    const struct dp_ls *ls = dp_state_find_ls(&dp->actual, ls_name);
    if (!ls) {
        return ENOENT;
    }

    const struct dp_local_mac *lm;
    HMAP_FOR_EACH (lm, node, &dp->local_macs) {
        if (!strcmp(lm->ls, ls_name)) {
            ds_put_format(out, "local  "ETH_ADDR_FMT" port %s vlan %"PRIu16
                          "\n", ETH_ADDR_ARGS(lm->mac), lm->port, lm->vlan);
        }
    }
    const struct dp_remote_mac *rm;
    HMAP_FOR_EACH (rm, node, &ls->remote_macs) {
        ds_put_format(out, "remote "ETH_ADDR_FMT" dst "IP_FMT,
                      ETH_ADDR_ARGS(rm->mac), IP_ARGS(rm->dst_ip));
        dummy_put_vni(out, rm->key);
    }
    const char *ip;
    SSET_FOR_EACH (ip, &ls->flood_ips) {
        ds_put_format(out, "flood  dst %s", ip);
        dummy_put_vni(out, dp_ls_get_tunnel_key(ls, ip));
    }
    const struct dp_mcast_group *g;
    HMAP_FOR_EACH (g, node, &ls->mcast_groups) {
        SSET_FOR_EACH (ip, &g->ips) {
            ds_put_format(out, "mcast  "ETH_ADDR_FMT" dst %s",
                          ETH_ADDR_ARGS(g->mac), ip);
            dummy_put_vni(out, dp_ls_get_tunnel_key(ls, ip));
        }
    }
    return 0;
}

/* The dummy datapath provider. */
const struct dp_class dp_dummy_class = {
    .type = "dummy",
    .open = dummy_open,
    .close = dummy_close,
    .run = dummy_run,
    .wait = dummy_wait,
    .execute = dummy_execute,
    .dump_macs = dummy_dump_macs,
};
