/* reconcile-fixture.c -- what the reconcile() unit tests share (see
 * reconcile-fixture.h). */

#include <config.h>

#include <check.h>

#include "reconcile-fixture.h"

#include <stdlib.h>
#include <string.h>

#include "model-fixture.h"
#include "openvswitch/dynamic-string.h"
#include "packets.h"
#include "reconcile.h"
#include "sset.h"
#include "util.h"

/* Adds remote MAC 'mac_s' behind 'ip_s' to logical switch 'ls'. */
void
add_remote(struct dp_ls *ls, const char *mac_s, const char *ip_s)
{
    dp_ls_set_remote_mac(ls, mac(mac_s), ip(ip_s));
}

/* Adds 'ip_s' to multicast group 'mac_s' of logical switch 'ls'. */
void
add_group_ip(struct dp_ls *ls, const char *mac_s, const char *ip_s)
{
    dp_ls_add_mcast_ip(ls, mac(mac_s), ip(ip_s));
}

/* Returns true if 'a' and 'b' have the same multicast groups. */
static bool
groups_equal(const struct dp_ls *a, const struct dp_ls *b)
{
    const struct dp_mcast_group *ag;

    if (hmap_count(&a->mcast_groups) != hmap_count(&b->mcast_groups)) {
        return false;
    }
    HMAP_FOR_EACH (ag, node, &a->mcast_groups) {
        const struct dp_mcast_group *bg = dp_ls_find_mcast_group(b, ag->mac);
        if (!bg || !sset_equals(&ag->ips, &bg->ips)) {
            return false;
        }
    }
    return true;
}

/* Initializes 'state' as the classic lab: tunnel IP 10.0.0.1, ageing 300,
 * logical switch "ls0" with VNI 5000 bound to port "p1" VLAN 0, remote MAC
 * 00:00:00:00:00:02 behind 10.1.0.1, and 10.1.0.1 as the flood list.
 * Returns "ls0". */
struct dp_ls *
classic_init(struct dp_state *state)
{
    dp_state_init(state);
    state->tunnel_ip = ip("10.0.0.1");
    state->mac_ageing = 300;

    struct dp_ls *ls0 = dp_state_add_ls(state, "ls0", 5000);
    dp_state_add_binding(state, "p1", 0, "ls0");
    add_remote(ls0, "00:00:00:00:00:02", "10.1.0.1");
    sset_add(&ls0->flood_ips, "10.1.0.1");
    return ls0;
}

/* Initializes 'dst' as a deep copy of 'src'. */
void
state_clone(struct dp_state *dst, const struct dp_state *src)
{
    const struct dp_binding *b;
    const struct dp_ls *ls;

    dp_state_init(dst);
    dst->tunnel_ip = src->tunnel_ip;
    dst->mac_ageing = src->mac_ageing;
    dst->local_mac_limit = src->local_mac_limit;
    HMAP_FOR_EACH (ls, node, &src->switches) {
        struct dp_ls *copy = dp_state_add_ls(dst, ls->name, ls->vni);
        const struct dp_remote_mac *rm;
        const char *s;

        HMAP_FOR_EACH (rm, node, &ls->remote_macs) {
            dp_ls_set_remote_mac(copy, rm->mac, rm->dst_ip)->key = rm->key;
        }
        SSET_FOR_EACH (s, &ls->flood_ips) {
            sset_add(&copy->flood_ips, s);
        }
        const struct simap_node *key;
        SIMAP_FOR_EACH (key, &ls->tunnel_keys) {
            dp_ls_set_tunnel_key(copy, key->name, key->data);
        }
        const struct dp_mcast_group *g;
        HMAP_FOR_EACH (g, node, &ls->mcast_groups) {
            SSET_FOR_EACH (s, &g->ips) {
                sset_add(&dp_ls_add_mcast_group(copy, g->mac)->ips, s);
            }
        }
        const struct dp_arp_entry *arp;
        HMAP_FOR_EACH (arp, node, &ls->arp_entries) {
            dp_ls_set_arp(copy, arp->ip, arp->mac);
        }
    }
    HMAP_FOR_EACH (b, node, &src->bindings) {
        dp_state_add_binding(dst, b->port, b->vlan, b->ls);
    }
}

/* Returns true if the flood list and multicast group entries of 'a' go to
 * each remote with the same VNI in 'b' (which has the same entries). */
static bool
entry_keys_equal(const struct dp_ls *a, const struct dp_ls *b)
{
    const struct dp_mcast_group *g;
    const char *ip;

    SSET_FOR_EACH (ip, &a->flood_ips) {
        if (dp_ls_get_tunnel_key(a, ip) != dp_ls_get_tunnel_key(b, ip)) {
            return false;
        }
    }
    HMAP_FOR_EACH (g, node, &a->mcast_groups) {
        SSET_FOR_EACH (ip, &g->ips) {
            if (dp_ls_get_tunnel_key(a, ip) != dp_ls_get_tunnel_key(b, ip)) {
                return false;
            }
        }
    }
    return true;
}

/* Returns true if 'a' and 'b' hold the same switches, bindings, remote
 * MACs, flood lists, multicast groups (all with the same VNIs), ARP
 * entries, tunnel IP and learned MAC limit, and, if 'ageing' is true, the
 * same ageing time. */
bool
states_equal(const struct dp_state *a, const struct dp_state *b,
             bool ageing)
{
    const struct dp_binding *ab;
    const struct dp_ls *als;

    if (a->tunnel_ip != b->tunnel_ip
        || a->local_mac_limit != b->local_mac_limit
        || (ageing && a->mac_ageing != b->mac_ageing)
        || hmap_count(&a->switches) != hmap_count(&b->switches)
        || hmap_count(&a->bindings) != hmap_count(&b->bindings)) {
        return false;
    }
    HMAP_FOR_EACH (als, node, &a->switches) {
        const struct dp_ls *bls = dp_state_find_ls(b, als->name);
        const struct dp_remote_mac *rm;

        if (!bls || bls->vni != als->vni
            || hmap_count(&bls->remote_macs) != hmap_count(&als->remote_macs)
            || !sset_equals(&als->flood_ips, &bls->flood_ips)
            || !groups_equal(als, bls)
            || !entry_keys_equal(als, bls)) {
            return false;
        }
        HMAP_FOR_EACH (rm, node, &als->remote_macs) {
            const struct dp_remote_mac *brm
                = dp_ls_find_remote_mac(bls, rm->mac);
            if (!brm || brm->dst_ip != rm->dst_ip || brm->key != rm->key) {
                return false;
            }
        }
        if (hmap_count(&als->arp_entries) != hmap_count(&bls->arp_entries)) {
            return false;
        }
        const struct dp_arp_entry *arp;
        HMAP_FOR_EACH (arp, node, &als->arp_entries) {
            const struct dp_arp_entry *barp = dp_ls_find_arp(bls, arp->ip);
            if (!barp || !eth_addr_equals(barp->mac, arp->mac)) {
                return false;
            }
        }
    }
    HMAP_FOR_EACH (ab, node, &a->bindings) {
        const struct dp_binding *bb
            = dp_state_find_binding(b, ab->port, ab->vlan);
        if (!bb || strcmp(bb->ls, ab->ls)) {
            return false;
        }
    }
    return true;
}

/* Returns a malloc()'d description of 'ops', one per line, for failure
 * messages. */
char *
ops_to_string(const struct ovs_list *ops)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    const struct dp_op *op;

    LIST_FOR_EACH (op, list_node, ops) {
        ds_put_cstr(&s, "\n  ");
        dp_op_format(op, &s);
    }
    if (ovs_list_is_empty(ops)) {
        ds_put_cstr(&s, " (none)");
    }
    return ds_steal_cstr(&s);
}

/* Returns true if 'op' is what 'exp' describes. */
static bool
op_matches(const struct dp_op *op, const struct exp_op *exp)
{
    if (op->type != exp->type
        || !op->ls != !exp->ls
        || (op->ls && strcmp(op->ls, exp->ls))
        || op->error) {
        return false;
    }
    switch (exp->type) {
    case DP_OP_BIND_DEL:
    case DP_OP_BIND_ADD:
        return op->port && !strcmp(op->port, exp->port)
               && op->vlan == exp->vlan;
    case DP_OP_MAC_DEL:
        return eth_addr_equals(op->mac, mac(exp->mac));
    case DP_OP_MAC_ADD:
    case DP_OP_MCAST_DEL:
    case DP_OP_MCAST_ADD:
        return eth_addr_equals(op->mac, mac(exp->mac))
               && op->ip == ip(exp->ip);
    case DP_OP_FLOOD_DEL:
    case DP_OP_FLOOD_ADD:
    case DP_OP_SET_TUNNEL_IP:
        return op->ip == (exp->ip ? ip(exp->ip) : 0);
    case DP_OP_LS_ADD:
    case DP_OP_LS_SET_VNI:
        return op->vni == exp->vni;
    case DP_OP_SET_AGEING:
        return op->ageing == exp->ageing;
    case DP_OP_SET_LOCAL_MAC_LIMIT:
        return op->local_mac_limit == exp->local_mac_limit;
    case DP_OP_ARP_ADD:
        return op->ip == ip(exp->ip) && eth_addr_equals(op->mac, mac(exp->mac));
    case DP_OP_ARP_DEL:
        return op->ip == ip(exp->ip);
    case DP_OP_LS_DEL:
        return true;
    }
    return false;
}

/* Asserts that 'ops' is the 'n' operations in 'exp': the same types in the
 * same order and, within a run of operations of one type (whose order
 * depends on hashing), the same members in any order. */
void
assert_ops(const struct ovs_list *ops, const struct exp_op *exp, size_t n)
{
    char *s = ops_to_string(ops);
    bool *used = xcalloc(n ? n : 1, sizeof *used);
    const struct dp_op *op;
    size_t i = 0;

    ck_assert_msg(ovs_list_size(ops) == n, "expected %"PRIuSIZE" ops, got:%s",
                  n, s);
    LIST_FOR_EACH (op, list_node, ops) {
        bool found = false;

        ck_assert_msg(op->type == exp[i].type, "op %"PRIuSIZE" should be %s, "
                      "got:%s", i, dp_op_type_to_string(exp[i].type), s);
        for (size_t j = 0; j < n; j++) {
            if (!used[j] && op_matches(op, &exp[j])) {
                used[j] = found = true;
                break;
            }
        }
        ck_assert_msg(found, "op %"PRIuSIZE" is not expected, got:%s", i, s);
        i++;
    }
    free(used);
    free(s);
}

/* Returns the rank of 'type' in the order of enum dp_op_type, except that
 * if 'strict' is false LS_ADD and LS_SET_VNI rank the same. */
static int
op_rank(enum dp_op_type type, bool strict)
{
    return !strict && type == DP_OP_LS_SET_VNI ? DP_OP_LS_ADD : type;
}

/* Asserts that the types in 'ops' never go down in enum dp_op_type order,
 * that is, removals come first, in enum order, then additions in enum
 * order (but for LS_ADD and LS_SET_VNI, which may come in any order
 * between themselves unless 'strict' is true). */
void
assert_ops_ordered(const struct ovs_list *ops, bool strict)
{
    const struct dp_op *prev = NULL;
    const struct dp_op *op;

    LIST_FOR_EACH (op, list_node, ops) {
        if (prev && op_rank(op->type, strict) < op_rank(prev->type, strict)) {
            char *s = ops_to_string(ops);
            ck_abort_msg("%s comes after %s:%s",
                         dp_op_type_to_string(op->type),
                         dp_op_type_to_string(prev->type), s);
            free(s);
        }
        prev = op;
    }
}

/* Runs reconcile(desired, actual) into 'ops', which it initializes, and
 * checks the order of the result. */
void
run(const struct dp_state *desired, const struct dp_state *actual,
    struct ovs_list *ops)
{
    ovs_list_init(ops);
    reconcile(desired, actual, ops);
    assert_ops_ordered(ops, false);
}

/* Carries out every operation in 'ops' on 'state'. */
void
apply_all(struct dp_state *state, const struct ovs_list *ops)
{
    const struct dp_op *op;

    LIST_FOR_EACH (op, list_node, ops) {
        dp_apply_to_state(state, op);
    }
}

/* Asserts that carrying out reconcile(desired, actual) on a copy of
 * 'actual' gives 'desired' (but for an ageing time of 0, which means
 * "leave as is"), after which reconcile() has nothing more to do. */
void
assert_converges(const struct dp_state *desired,
                 const struct dp_state *actual)
{
    struct dp_state state;
    struct ovs_list ops;

    state_clone(&state, actual);
    run(desired, actual, &ops);
    apply_all(&state, &ops);
    dp_ops_destroy(&ops);

    ck_assert_msg(states_equal(desired, &state, desired->mac_ageing != 0),
                  "state after the operations differs from desired");
    if (!desired->mac_ageing) {
        ck_assert_uint_eq(state.mac_ageing, actual->mac_ageing);
    }

    run(desired, &state, &ops);
    if (!ovs_list_is_empty(&ops)) {
        char *s = ops_to_string(&ops);
        ck_abort_msg("second reconcile is not empty:%s", s);
        free(s);
    }
    dp_state_destroy(&state);
}

/* Returns a deterministic pseudo-random number from 0 to 'n' - 1 (a 32-bit
 * LCG on '*seed'), for the property tests. */
uint32_t
lcg_below(uint32_t *seed, uint32_t n)
{
    *seed = *seed * 1103515245u + 12345u;
    return (*seed >> 16) % n;
}
