/* reconcile.c -- desired vs. actual datapath state, as operations. */

#include <config.h>
#include "reconcile.h"

#include <arpa/inet.h>
#include "dp.h"
#include "util.h"

/* Appends a new operation of 'type' on logical switch 'ls' (may be NULL) to
 * 'ops' and returns it. */
static struct dp_op *
add_op(struct ovs_list *ops, enum dp_op_type type, const char *ls)
{
    struct dp_op *op = dp_op_create(type);

    op->ls = nullable_xstrdup(ls);
    ovs_list_push_back(ops, &op->list_node);
    return op;
}

/* Appends a binding operation for 'b' to 'ops'. */
static void
add_binding_op(struct ovs_list *ops, enum dp_op_type type,
               const struct dp_binding *b)
{
    struct dp_op *op = add_op(ops, type, b->ls);

    op->port = xstrdup(b->port);
    op->vlan = b->vlan;
}

/* Appends a flood-list operation on 'ls' for dotted-quad 'ip', with the
 * VNI that 'ls' has for it, to 'ops'. */
static void
add_flood_op(struct ovs_list *ops, enum dp_op_type type,
             const struct dp_ls *ls, const char *ip)
{
    struct dp_op *op = add_op(ops, type, ls->name);

    inet_pton(AF_INET, ip, &op->ip);
    op->key = dp_ls_get_tunnel_key(ls, ip);
}

/* Appends an operation on multicast group 'mac' of 'ls' for dotted-quad
 * 'ip', with the VNI that 'ls' has for it, to 'ops'. */
static void
add_mcast_op(struct ovs_list *ops, enum dp_op_type type,
             const struct dp_ls *ls, struct eth_addr mac, const char *ip)
{
    struct dp_op *op = add_op(ops, type, ls->name);

    op->mac = mac;
    inet_pton(AF_INET, ip, &op->ip);
    op->key = dp_ls_get_tunnel_key(ls, ip);
}

/* Returns true if 'a' and 'b' (which may be NULL) send the flood and
 * multicast group entries to dotted-quad 'ip' with different VNIs. */
static bool
tunnel_key_differs(const struct dp_ls *a, const struct dp_ls *b,
                  const char *ip)
{
    return ((a ? dp_ls_get_tunnel_key(a, ip) : 0)
            != (b ? dp_ls_get_tunnel_key(b, ip) : 0));
}

/* Returns true if multicast group 'mac' of 'ls' (may be NULL) has remote
 * 'ip', a dotted quad. */
static bool
has_mcast_ip(const struct dp_ls *ls, struct eth_addr mac, const char *ip)
{
    const struct dp_mcast_group *g = (ls
                                      ? dp_ls_find_mcast_group(ls, mac)
                                      : NULL);
    return g && sset_contains(&g->ips, ip);
}

/* Appends to 'ops' an operation of 'type' on 'ls' for each remote of a
 * multicast group of 'from' that the same group of 'to' (may be NULL)
 * lacks, or has with another VNI. */
static void
add_mcast_ops(struct ovs_list *ops, enum dp_op_type type,
              const struct dp_ls *from, const struct dp_ls *to)
{
    const struct dp_mcast_group *g;

    HMAP_FOR_EACH (g, node, &from->mcast_groups) {
        const char *ip;
        SSET_FOR_EACH (ip, &g->ips) {
            if (!has_mcast_ip(to, g->mac, ip)
                || tunnel_key_differs(from, to, ip)) {
                add_mcast_op(ops, type, from, g->mac, ip);
            }
        }
    }
}

/* Appends a remote MAC operation on 'ls' for 'rm' to 'ops'. */
static void
add_mac_op(struct ovs_list *ops, enum dp_op_type type, const char *ls,
           const struct dp_remote_mac *rm)
{
    struct dp_op *op = add_op(ops, type, ls);

    op->mac = rm->mac;
    op->ip = rm->dst_ip;
    op->key = rm->key;
}

/* Appends the removals that take 'actual' towards 'desired' to 'ops'. */
static void
reconcile_removals(const struct dp_state *desired,
                   const struct dp_state *actual, struct ovs_list *ops)
{
    const struct dp_binding *b;
    HMAP_FOR_EACH (b, node, &actual->bindings) {
        const struct dp_binding *want
            = dp_state_find_binding(desired, b->port, b->vlan);
        if (!want || strcmp(want->ls, b->ls)) {
            add_binding_op(ops, DP_OP_BIND_DEL, b);
        }
    }

    /* Remote MACs, flood entries, multicast groups and ARP entries of a
     * logical switch that goes away go with it. */
    const struct dp_ls *ls;
    HMAP_FOR_EACH (ls, node, &actual->switches) {
        const struct dp_ls *want = dp_state_find_ls(desired, ls->name);
        if (!want) {
            continue;
        }
        const struct dp_remote_mac *rm;
        HMAP_FOR_EACH (rm, node, &ls->remote_macs) {
            if (!dp_ls_find_remote_mac(want, rm->mac)) {
                add_mac_op(ops, DP_OP_MAC_DEL, ls->name, rm);
            }
        }
    }
    HMAP_FOR_EACH (ls, node, &actual->switches) {
        const struct dp_ls *want = dp_state_find_ls(desired, ls->name);
        if (!want) {
            continue;
        }
        const char *ip;
        SSET_FOR_EACH (ip, &ls->flood_ips) {
            if (!sset_contains(&want->flood_ips, ip)
                || tunnel_key_differs(ls, want, ip)) {
                add_flood_op(ops, DP_OP_FLOOD_DEL, ls, ip);
            }
        }
    }
    HMAP_FOR_EACH (ls, node, &actual->switches) {
        const struct dp_ls *want = dp_state_find_ls(desired, ls->name);
        if (want) {
            add_mcast_ops(ops, DP_OP_MCAST_DEL, ls, want);
        }
    }
    HMAP_FOR_EACH (ls, node, &actual->switches) {
        const struct dp_ls *want = dp_state_find_ls(desired, ls->name);
        const struct dp_arp_entry *arp;

        if (!want) {
            continue;
        }
        HMAP_FOR_EACH (arp, node, &ls->arp_entries) {
            if (!dp_ls_find_arp(want, arp->ip)) {
                add_op(ops, DP_OP_ARP_DEL, ls->name)->ip = arp->ip;
            }
        }
    }
    HMAP_FOR_EACH (ls, node, &actual->switches) {
        if (!dp_state_find_ls(desired, ls->name)) {
            add_op(ops, DP_OP_LS_DEL, ls->name);
        }
    }
}

/* Appends the additions and changes that take 'actual' towards 'desired'
 * to 'ops'. */
static void
reconcile_additions(const struct dp_state *desired,
                    const struct dp_state *actual, struct ovs_list *ops)
{
    if (desired->tunnel_ip != actual->tunnel_ip) {
        add_op(ops, DP_OP_SET_TUNNEL_IP, NULL)->ip = desired->tunnel_ip;
    }
    if (desired->mac_ageing && desired->mac_ageing != actual->mac_ageing) {
        add_op(ops, DP_OP_SET_AGEING, NULL)->ageing = desired->mac_ageing;
    }
    if (desired->local_mac_limit != actual->local_mac_limit) {
        add_op(ops, DP_OP_SET_LOCAL_MAC_LIMIT, NULL)->local_mac_limit
            = desired->local_mac_limit;
    }

    const struct dp_ls *ls;
    HMAP_FOR_EACH (ls, node, &desired->switches) {
        if (!dp_state_find_ls(actual, ls->name)) {
            add_op(ops, DP_OP_LS_ADD, ls->name)->vni = ls->vni;
        }
    }
    HMAP_FOR_EACH (ls, node, &desired->switches) {
        const struct dp_ls *have = dp_state_find_ls(actual, ls->name);
        if (have && have->vni != ls->vni) {
            add_op(ops, DP_OP_LS_SET_VNI, ls->name)->vni = ls->vni;
        }
    }

    const struct dp_binding *b;
    HMAP_FOR_EACH (b, node, &desired->bindings) {
        const struct dp_binding *have
            = dp_state_find_binding(actual, b->port, b->vlan);
        if (!have || strcmp(have->ls, b->ls)) {
            add_binding_op(ops, DP_OP_BIND_ADD, b);
        }
    }

    HMAP_FOR_EACH (ls, node, &desired->switches) {
        const struct dp_ls *have = dp_state_find_ls(actual, ls->name);
        const struct dp_remote_mac *rm;
        HMAP_FOR_EACH (rm, node, &ls->remote_macs) {
            const struct dp_remote_mac *old
                = have ? dp_ls_find_remote_mac(have, rm->mac) : NULL;
            if (!old || old->dst_ip != rm->dst_ip || old->key != rm->key) {
                add_mac_op(ops, DP_OP_MAC_ADD, ls->name, rm);
            }
        }
    }
    HMAP_FOR_EACH (ls, node, &desired->switches) {
        const struct dp_ls *have = dp_state_find_ls(actual, ls->name);
        const char *ip;
        SSET_FOR_EACH (ip, &ls->flood_ips) {
            if (!have || !sset_contains(&have->flood_ips, ip)
                || tunnel_key_differs(ls, have, ip)) {
                add_flood_op(ops, DP_OP_FLOOD_ADD, ls, ip);
            }
        }
    }
    HMAP_FOR_EACH (ls, node, &desired->switches) {
        add_mcast_ops(ops, DP_OP_MCAST_ADD, ls,
                      dp_state_find_ls(actual, ls->name));
    }
    HMAP_FOR_EACH (ls, node, &desired->switches) {
        const struct dp_ls *have = dp_state_find_ls(actual, ls->name);
        const struct dp_arp_entry *arp;

        HMAP_FOR_EACH (arp, node, &ls->arp_entries) {
            const struct dp_arp_entry *old
                = have ? dp_ls_find_arp(have, arp->ip) : NULL;
            if (!old || !eth_addr_equals(old->mac, arp->mac)) {
                struct dp_op *op = add_op(ops, DP_OP_ARP_ADD, ls->name);
                op->ip = arp->ip;
                op->mac = arp->mac;
            }
        }
    }
}

/* Appends to 'ops' what must be done to the datapath holding 'actual' so
 * that it holds 'desired': removals first, in the order of enum
 * dp_op_type, then additions. */
void
reconcile(const struct dp_state *desired, const struct dp_state *actual,
          struct ovs_list *ops)
{
    reconcile_removals(desired, actual, ops);
    reconcile_additions(desired, actual, ops);
}

/* Appends to 'ops' what must be done to the datapath holding 'actual' so
 * that it holds the remote MACs in 'touched' (a set of struct dp_mac_key,
 * whose logical switches are in a desired state) as their logical switches
 * have them, and nothing else: removals first, then additions.  Returns
 * false, appending nothing, if 'actual' lacks one of those logical
 * switches (then only a full reconcile() can bring it there). */
bool
reconcile_remote_macs(const struct dp_state *actual,
                      const struct hmap *touched, struct ovs_list *ops)
{
    const struct dp_mac_key *k;

    HMAP_FOR_EACH (k, node, touched) {
        if (!dp_state_find_ls(actual, k->ls->name)) {
            return false;
        }
    }
    HMAP_FOR_EACH (k, node, touched) {
        const struct dp_ls *have = dp_state_find_ls(actual, k->ls->name);
        const struct dp_remote_mac *old = dp_ls_find_remote_mac(have, k->mac);

        if (old && !dp_ls_find_remote_mac(k->ls, k->mac)) {
            add_mac_op(ops, DP_OP_MAC_DEL, have->name, old);
        }
    }
    HMAP_FOR_EACH (k, node, touched) {
        const struct dp_ls *have = dp_state_find_ls(actual, k->ls->name);
        const struct dp_remote_mac *old = dp_ls_find_remote_mac(have, k->mac);
        const struct dp_remote_mac *rm = dp_ls_find_remote_mac(k->ls, k->mac);

        if (rm && (!old || old->dst_ip != rm->dst_ip || old->key != rm->key)) {
            add_mac_op(ops, DP_OP_MAC_ADD, k->ls->name, rm);
        }
    }
    return true;
}
