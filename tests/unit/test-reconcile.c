/* test-reconcile.c -- unit tests of reconcile().
 *
 * The states are built with the dp_state_*() helpers.  Each test checks the
 * exact operations that reconcile() emits, in order; a property test then
 * checks, on many generated pairs of states, that carrying out the
 * operations with dp_apply_to_state() turns the actual state into the
 * desired one. */

#include <config.h>

#include <check.h>

#include "reconcile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dp.h"
#include "dp-state.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/list.h"
#include "packets.h"
#include "sset.h"
#include "util.h"

/* Helpers. */

/* Returns 's' as an IPv4 address. */
static ovs_be32
ip(const char *s)
{
    ovs_be32 addr;

    ck_assert_msg(ip_parse(s, &addr), "bad IP %s in test", s);
    return addr;
}

/* Returns 's' as an Ethernet address. */
static struct eth_addr
mac(const char *s)
{
    struct eth_addr ea;

    ck_assert_msg(eth_addr_from_string(s, &ea), "bad MAC %s in test", s);
    return ea;
}

/* Adds remote MAC 'mac_s' behind 'ip_s' to logical switch 'ls'. */
static void
add_remote(struct dp_ls *ls, const char *mac_s, const char *ip_s)
{
    dp_ls_set_remote_mac(ls, mac(mac_s), ip(ip_s));
}

/* Adds 'ip_s' to multicast group 'mac_s' of logical switch 'ls'. */
static void
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
static struct dp_ls *
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
static void
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
            dp_ls_set_remote_mac(copy, rm->mac, rm->dst_ip);
        }
        SSET_FOR_EACH (s, &ls->flood_ips) {
            sset_add(&copy->flood_ips, s);
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

/* Returns true if 'a' and 'b' hold the same switches, bindings, remote
 * MACs, flood lists, multicast groups, ARP entries, tunnel IP and learned
 * MAC limit,
 * and, if 'ageing' is true, the same ageing time. */
static bool
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
            || !groups_equal(als, bls)) {
            return false;
        }
        HMAP_FOR_EACH (rm, node, &als->remote_macs) {
            const struct dp_remote_mac *brm
                = dp_ls_find_remote_mac(bls, rm->mac);
            if (!brm || brm->dst_ip != rm->dst_ip) {
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
static char *
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

/* An operation that a test expects.  Only the members that 'type' uses are
 * compared. */
struct exp_op {
    enum dp_op_type type;
    const char *ls;             /* NULL for SET_TUNNEL_IP, SET_AGEING,
                                 * SET_LOCAL_MAC_LIMIT. */
    const char *port;           /* For bindings. */
    uint16_t vlan;              /* For bindings. */
    uint32_t vni;               /* For LS_ADD, LS_SET_VNI. */
    const char *mac;            /* For MAC_*, MCAST_*, ARP_ADD. */
    const char *ip;             /* For MAC_ADD, FLOOD_*, MCAST_*, ARP_*,
                                 * SET_TUNNEL_IP. */
    unsigned int ageing;        /* For SET_AGEING. */
    unsigned int local_mac_limit;   /* For SET_LOCAL_MAC_LIMIT. */
};

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
static void
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
static void
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
static void
run(const struct dp_state *desired, const struct dp_state *actual,
    struct ovs_list *ops)
{
    ovs_list_init(ops);
    reconcile(desired, actual, ops);
    assert_ops_ordered(ops, false);
}

/* Carries out every operation in 'ops' on 'state'. */
static void
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
static void
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

/* The tests. */

/* Two empty states need no operation. */
START_TEST(test_empty)
{
    struct dp_state desired, actual;
    struct ovs_list ops;

    dp_state_init(&desired);
    dp_state_init(&actual);
    run(&desired, &actual, &ops);
    assert_ops(&ops, NULL, 0);

    dp_ops_destroy(&ops);
    dp_state_destroy(&desired);
    dp_state_destroy(&actual);
}
END_TEST

/* An empty datapath gets the classic lab in exactly six operations. */
START_TEST(test_classic_from_empty)
{
    static const struct exp_op exp[] = {
        { .type = DP_OP_SET_TUNNEL_IP, .ip = "10.0.0.1" },
        { .type = DP_OP_SET_AGEING, .ageing = 300 },
        { .type = DP_OP_LS_ADD, .ls = "ls0", .vni = 5000 },
        { .type = DP_OP_BIND_ADD, .ls = "ls0", .port = "p1", .vlan = 0 },
        { .type = DP_OP_MAC_ADD, .ls = "ls0", .mac = "00:00:00:00:00:02",
          .ip = "10.1.0.1" },
        { .type = DP_OP_FLOOD_ADD, .ls = "ls0", .ip = "10.1.0.1" },
    };
    struct dp_state desired, actual;
    struct ovs_list ops;

    classic_init(&desired);
    dp_state_init(&actual);
    run(&desired, &actual, &ops);
    assert_ops(&ops, exp, ARRAY_SIZE(exp));

    /* The operations carry nothing they do not need. */
    const struct dp_op *op;
    LIST_FOR_EACH (op, list_node, &ops) {
        if (op->type != DP_OP_BIND_ADD) {
            ck_assert_ptr_null(op->port);
        }
        ck_assert_int_eq(op->error, 0);
    }
    assert_converges(&desired, &actual);

    dp_ops_destroy(&ops);
    dp_state_destroy(&desired);
    dp_state_destroy(&actual);
}
END_TEST

/* Tearing the classic lab down entirely: bindings go first, then the
 * logical switch, whose MACs and flood entries go with it; tunnel IP and
 * ageing are left alone (ageing 0 means "leave as is"), but for the
 * tunnel IP becoming 0. */
START_TEST(test_classic_to_empty)
{
    static const struct exp_op exp[] = {
        { .type = DP_OP_BIND_DEL, .ls = "ls0", .port = "p1", .vlan = 0 },
        { .type = DP_OP_LS_DEL, .ls = "ls0" },
        { .type = DP_OP_SET_TUNNEL_IP, .ip = NULL },
    };
    struct dp_state desired, actual;
    struct ovs_list ops;

    dp_state_init(&desired);
    classic_init(&actual);
    run(&desired, &actual, &ops);
    assert_ops(&ops, exp, ARRAY_SIZE(exp));
    assert_converges(&desired, &actual);

    dp_ops_destroy(&ops);
    dp_state_destroy(&desired);
    dp_state_destroy(&actual);
}
END_TEST

/* Equal states, built separately or copied, need no operation. */
START_TEST(test_equal_states)
{
    struct dp_state desired, actual, copy;
    struct ovs_list ops;

    classic_init(&desired);
    classic_init(&actual);
    struct dp_ls *ls1 = dp_state_add_ls(&desired, "ls1", 0);
    dp_state_add_binding(&desired, "p2", 4095, "ls1");
    add_remote(ls1, "00:00:00:00:00:03", "10.1.0.3");
    sset_add(&ls1->flood_ips, "10.1.0.3");
    sset_add(&ls1->flood_ips, "10.1.0.4");
    state_clone(&copy, &desired);

    run(&desired, &copy, &ops);
    assert_ops(&ops, NULL, 0);
    run(&copy, &desired, &ops);
    assert_ops(&ops, NULL, 0);

    /* The same, built in another order. */
    ls1 = dp_state_add_ls(&actual, "ls1", 0);
    sset_add(&ls1->flood_ips, "10.1.0.4");
    sset_add(&ls1->flood_ips, "10.1.0.3");
    add_remote(ls1, "00:00:00:00:00:03", "10.1.0.3");
    dp_state_add_binding(&actual, "p2", 4095, "ls1");
    run(&desired, &actual, &ops);
    assert_ops(&ops, NULL, 0);

    dp_state_destroy(&desired);
    dp_state_destroy(&actual);
    dp_state_destroy(&copy);
}
END_TEST

/* A binding that is no longer wanted is removed, and that is all. */
START_TEST(test_remove_binding)
{
    static const struct exp_op exp[] = {
        { .type = DP_OP_BIND_DEL, .ls = "ls0", .port = "p1", .vlan = 10 },
    };
    struct dp_state desired, actual;
    struct ovs_list ops;

    classic_init(&desired);
    classic_init(&actual);
    dp_state_add_binding(&actual, "p1", 10, "ls0");
    run(&desired, &actual, &ops);
    assert_ops(&ops, exp, ARRAY_SIZE(exp));
    assert_converges(&desired, &actual);

    dp_ops_destroy(&ops);
    dp_state_destroy(&desired);
    dp_state_destroy(&actual);
}
END_TEST

/* A binding moved to another logical switch is removed, then added. */
START_TEST(test_move_binding)
{
    static const struct exp_op exp[] = {
        { .type = DP_OP_BIND_DEL, .ls = "ls0", .port = "p1", .vlan = 0 },
        { .type = DP_OP_BIND_ADD, .ls = "ls1", .port = "p1", .vlan = 0 },
    };
    struct dp_state desired, actual;
    struct ovs_list ops;

    classic_init(&desired);
    classic_init(&actual);
    dp_state_add_ls(&desired, "ls1", 5001);
    dp_state_add_ls(&actual, "ls1", 5001);
    dp_state_add_binding(&desired, "p2", 0, "ls0");
    dp_state_add_binding(&actual, "p2", 0, "ls0");
    free(dp_state_find_binding(&desired, "p1", 0)->ls);
    dp_state_find_binding(&desired, "p1", 0)->ls = xstrdup("ls1");
    run(&desired, &actual, &ops);
    assert_ops(&ops, exp, ARRAY_SIZE(exp));
    assert_converges(&desired, &actual);

    dp_ops_destroy(&ops);
    dp_state_destroy(&desired);
    dp_state_destroy(&actual);
}
END_TEST

/* A binding moved to a new logical switch that replaces the old one. */
START_TEST(test_move_binding_to_new_ls)
{
    static const struct exp_op exp[] = {
        { .type = DP_OP_BIND_DEL, .ls = "ls0", .port = "p1", .vlan = 0 },
        { .type = DP_OP_LS_DEL, .ls = "ls0" },
        { .type = DP_OP_LS_ADD, .ls = "ls1", .vni = 5000 },
        { .type = DP_OP_BIND_ADD, .ls = "ls1", .port = "p1", .vlan = 0 },
        { .type = DP_OP_MAC_ADD, .ls = "ls1", .mac = "00:00:00:00:00:02",
          .ip = "10.1.0.1" },
        { .type = DP_OP_FLOOD_ADD, .ls = "ls1", .ip = "10.1.0.1" },
    };
    struct dp_state desired, actual;
    struct ovs_list ops;

    classic_init(&actual);
    dp_state_init(&desired);
    desired.tunnel_ip = actual.tunnel_ip;
    desired.mac_ageing = actual.mac_ageing;
    struct dp_ls *ls1 = dp_state_add_ls(&desired, "ls1", 5000);
    dp_state_add_binding(&desired, "p1", 0, "ls1");
    add_remote(ls1, "00:00:00:00:00:02", "10.1.0.1");
    sset_add(&ls1->flood_ips, "10.1.0.1");
    run(&desired, &actual, &ops);
    assert_ops(&ops, exp, ARRAY_SIZE(exp));
    assert_converges(&desired, &actual);

    dp_ops_destroy(&ops);
    dp_state_destroy(&desired);
    dp_state_destroy(&actual);
}
END_TEST

/* Removing a logical switch removes its bindings first, then the switch,
 * without removing its remote MACs and flood entries one by one. */
START_TEST(test_remove_ls)
{
    static const struct exp_op exp[] = {
        { .type = DP_OP_BIND_DEL, .ls = "ls0", .port = "p1", .vlan = 0 },
        { .type = DP_OP_BIND_DEL, .ls = "ls0", .port = "p2", .vlan = 7 },
        { .type = DP_OP_LS_DEL, .ls = "ls0" },
    };
    struct dp_state desired, actual;
    struct ovs_list ops;

    classic_init(&actual);
    struct dp_ls *ls0 = dp_state_find_ls(&actual, "ls0");
    add_remote(ls0, "00:00:00:00:00:03", "10.1.0.2");
    sset_add(&ls0->flood_ips, "10.1.0.2");
    dp_state_add_binding(&actual, "p2", 7, "ls0");
    struct dp_ls *ls1 = dp_state_add_ls(&actual, "ls1", 5001);
    dp_state_add_binding(&actual, "p3", 0, "ls1");
    add_remote(ls1, "00:00:00:00:00:04", "10.1.0.4");

    state_clone(&desired, &actual);
    dp_state_remove_binding(&desired,
                            dp_state_find_binding(&desired, "p1", 0));
    dp_state_remove_binding(&desired,
                            dp_state_find_binding(&desired, "p2", 7));
    dp_state_remove_ls(&desired, dp_state_find_ls(&desired, "ls0"));

    run(&desired, &actual, &ops);
    assert_ops(&ops, exp, ARRAY_SIZE(exp));
    assert_converges(&desired, &actual);

    dp_ops_destroy(&ops);
    dp_state_destroy(&desired);
    dp_state_destroy(&actual);
}
END_TEST

/* A changed VNI is changed in place. */
START_TEST(test_vni_change)
{
    static const struct exp_op exp[] = {
        { .type = DP_OP_LS_SET_VNI, .ls = "ls0", .vni = 16777215 },
    };
    struct dp_state desired, actual;
    struct ovs_list ops;

    classic_init(&desired)->vni = 16777215;
    classic_init(&actual);
    run(&desired, &actual, &ops);
    assert_ops(&ops, exp, ARRAY_SIZE(exp));
    assert_converges(&desired, &actual);
    dp_ops_destroy(&ops);

    /* To and from VNI 0 too. */
    dp_state_find_ls(&desired, "ls0")->vni = 0;
    run(&desired, &actual, &ops);
    ck_assert_uint_eq(ovs_list_size(&ops), 1);
    assert_converges(&desired, &actual);
    dp_ops_destroy(&ops);
    run(&actual, &desired, &ops);
    ck_assert_uint_eq(ovs_list_size(&ops), 1);
    assert_converges(&actual, &desired);
    dp_ops_destroy(&ops);

    dp_state_destroy(&desired);
    dp_state_destroy(&actual);
}
END_TEST

/* A new logical switch and a changed VNI in the same run: LS_ADD before
 * LS_SET_VNI, as enum dp_op_type lists them. */
START_TEST(test_ls_add_and_set_vni)
{
    struct dp_state desired, actual;
    struct ovs_list ops;

    /* Several switches, so that hash order cannot hide a problem. */
    dp_state_init(&desired);
    dp_state_init(&actual);
    for (int i = 0; i < 16; i++) {
        char name[16];

        snprintf(name, sizeof name, "ls%d", i);
        dp_state_add_ls(&desired, name, 100 + i);
        if (i % 2) {
            dp_state_add_ls(&actual, name, 200 + i);
        }
    }
    run(&desired, &actual, &ops);
    ck_assert_uint_eq(ovs_list_size(&ops), 16);
    assert_converges(&desired, &actual);
    assert_ops_ordered(&ops, true);

    dp_ops_destroy(&ops);
    dp_state_destroy(&desired);
    dp_state_destroy(&actual);
}
END_TEST

/* A remote MAC moved to another tunnel endpoint is just added again. */
START_TEST(test_mac_moved)
{
    static const struct exp_op exp[] = {
        { .type = DP_OP_MAC_ADD, .ls = "ls0", .mac = "00:00:00:00:00:02",
          .ip = "10.1.0.9" },
    };
    struct dp_state desired, actual;
    struct ovs_list ops;

    add_remote(classic_init(&desired), "00:00:00:00:00:02", "10.1.0.9");
    classic_init(&actual);
    run(&desired, &actual, &ops);
    assert_ops(&ops, exp, ARRAY_SIZE(exp));
    assert_converges(&desired, &actual);

    dp_ops_destroy(&ops);
    dp_state_destroy(&desired);
    dp_state_destroy(&actual);
}
END_TEST

/* A remote MAC that is no longer wanted is removed. */
START_TEST(test_mac_deleted)
{
    static const struct exp_op exp[] = {
        { .type = DP_OP_MAC_DEL, .ls = "ls0", .mac = "00:00:00:00:00:03" },
    };
    struct dp_state desired, actual;
    struct ovs_list ops;

    classic_init(&desired);
    add_remote(classic_init(&actual), "00:00:00:00:00:03", "10.1.0.1");
    run(&desired, &actual, &ops);
    assert_ops(&ops, exp, ARRAY_SIZE(exp));
    assert_converges(&desired, &actual);

    dp_ops_destroy(&ops);
    dp_state_destroy(&desired);
    dp_state_destroy(&actual);
}
END_TEST

/* A changed flood list loses the old entries and gains the new ones; the
 * entries it keeps are left alone. */
START_TEST(test_flood_change)
{
    static const struct exp_op exp[] = {
        { .type = DP_OP_FLOOD_DEL, .ls = "ls0", .ip = "10.1.0.1" },
        { .type = DP_OP_FLOOD_ADD, .ls = "ls0", .ip = "10.1.0.2" },
    };
    static const struct exp_op exp2[] = {
        { .type = DP_OP_FLOOD_ADD, .ls = "ls0", .ip = "10.1.0.1" },
        { .type = DP_OP_FLOOD_ADD, .ls = "ls0", .ip = "192.168.7.1" },
    };
    struct dp_state desired, actual;
    struct ovs_list ops;

    struct dp_ls *ls0 = classic_init(&desired);
    sset_clear(&ls0->flood_ips);
    sset_add(&ls0->flood_ips, "10.1.0.2");
    classic_init(&actual);
    run(&desired, &actual, &ops);
    assert_ops(&ops, exp, ARRAY_SIZE(exp));
    assert_converges(&desired, &actual);
    dp_ops_destroy(&ops);

    /* From {10.1.0.2} to {10.1.0.1, 10.1.0.2, 192.168.7.1}. */
    dp_state_destroy(&actual);
    state_clone(&actual, &desired);
    sset_add(&ls0->flood_ips, "10.1.0.1");
    sset_add(&ls0->flood_ips, "192.168.7.1");
    run(&desired, &actual, &ops);
    assert_ops(&ops, exp2, ARRAY_SIZE(exp2));
    assert_converges(&desired, &actual);
    dp_ops_destroy(&ops);

    dp_state_destroy(&desired);
    dp_state_destroy(&actual);
}
END_TEST

/* Changed multicast groups lose the remotes they no longer have, a group
 * that goes loses all of them, and new remotes and groups are added; the
 * remotes that stay are left alone, and so is the flood list.  Removals
 * come before additions. */
START_TEST(test_mcast_group_change)
{
    static const struct exp_op exp[] = {
        { .type = DP_OP_MCAST_DEL, .ls = "ls0", .mac = "01:00:5e:01:02:03",
          .ip = "10.3.0.1" },
        { .type = DP_OP_MCAST_DEL, .ls = "ls0", .mac = "33:33:00:00:00:01",
          .ip = "10.1.0.1" },
        { .type = DP_OP_MCAST_DEL, .ls = "ls0", .mac = "33:33:00:00:00:01",
          .ip = "10.2.0.1" },
        { .type = DP_OP_MCAST_ADD, .ls = "ls0", .mac = "01:00:5e:01:02:03",
          .ip = "10.2.0.1" },
        { .type = DP_OP_MCAST_ADD, .ls = "ls0", .mac = "01:00:5e:00:00:fb",
          .ip = "10.1.0.1" },
    };
    struct dp_state desired, actual;
    struct ovs_list ops;

    struct dp_ls *want = classic_init(&desired);
    add_group_ip(want, "01:00:5e:01:02:03", "10.1.0.1");
    add_group_ip(want, "01:00:5e:01:02:03", "10.2.0.1");
    add_group_ip(want, "01:00:5e:00:00:fb", "10.1.0.1");
    struct dp_ls *have = classic_init(&actual);
    add_group_ip(have, "01:00:5e:01:02:03", "10.1.0.1");
    add_group_ip(have, "01:00:5e:01:02:03", "10.3.0.1");
    add_group_ip(have, "33:33:00:00:00:01", "10.1.0.1");
    add_group_ip(have, "33:33:00:00:00:01", "10.2.0.1");
    run(&desired, &actual, &ops);
    assert_ops(&ops, exp, ARRAY_SIZE(exp));
    assert_converges(&desired, &actual);
    dp_ops_destroy(&ops);

    /* A remote in both the flood list and a group is two entries. */
    dp_state_destroy(&actual);
    classic_init(&actual);
    run(&desired, &actual, &ops);
    ck_assert_uint_eq(ovs_list_size(&ops), 3);
    assert_converges(&desired, &actual);
    dp_ops_destroy(&ops);

    dp_state_destroy(&desired);
    dp_state_destroy(&actual);
}
END_TEST

/* The multicast groups of a new logical switch are added after its flood
 * list; those of a logical switch that goes away go with it, without
 * operations of their own. */
START_TEST(test_mcast_group_with_ls)
{
    static const struct exp_op exp_add[] = {
        { .type = DP_OP_LS_ADD, .ls = "ls1", .vni = 5001 },
        { .type = DP_OP_FLOOD_ADD, .ls = "ls1", .ip = "10.1.0.1" },
        { .type = DP_OP_MCAST_ADD, .ls = "ls1", .mac = "01:00:5e:01:02:03",
          .ip = "10.1.0.1" },
        { .type = DP_OP_MCAST_ADD, .ls = "ls1", .mac = "01:00:5e:01:02:03",
          .ip = "10.2.0.1" },
    };
    static const struct exp_op exp_del[] = {
        { .type = DP_OP_LS_DEL, .ls = "ls1" },
    };
    struct dp_state desired, actual;
    struct ovs_list ops;

    classic_init(&desired);
    classic_init(&actual);
    struct dp_ls *ls1 = dp_state_add_ls(&desired, "ls1", 5001);
    sset_add(&ls1->flood_ips, "10.1.0.1");
    add_group_ip(ls1, "01:00:5e:01:02:03", "10.1.0.1");
    add_group_ip(ls1, "01:00:5e:01:02:03", "10.2.0.1");

    run(&desired, &actual, &ops);
    assert_ops(&ops, exp_add, ARRAY_SIZE(exp_add));
    assert_converges(&desired, &actual);
    dp_ops_destroy(&ops);

    run(&actual, &desired, &ops);
    assert_ops(&ops, exp_del, ARRAY_SIZE(exp_del));
    assert_converges(&actual, &desired);
    dp_ops_destroy(&ops);

    dp_state_destroy(&desired);
    dp_state_destroy(&actual);
}
END_TEST

/* dp_apply_to_state() keeps a multicast group only while it has remotes,
 * and the operations print their MAC and IP. */
START_TEST(test_mcast_ops_apply)
{
    struct dp_op *add = dp_op_create(DP_OP_MCAST_ADD);
    struct dp_op *del = dp_op_create(DP_OP_MCAST_DEL);
    struct ds s = DS_EMPTY_INITIALIZER;
    struct dp_state state;

    dp_state_init(&state);
    struct dp_ls *ls0 = dp_state_add_ls(&state, "ls0", 5000);
    add->ls = xstrdup("ls0");
    add->mac = mac("01:00:5e:01:02:03");
    add->ip = ip("10.1.0.1");
    del->ls = xstrdup("ls0");
    del->mac = add->mac;
    del->ip = add->ip;

    dp_apply_to_state(&state, add);
    dp_apply_to_state(&state, add);
    const struct dp_mcast_group *g
        = dp_ls_find_mcast_group(ls0, mac("01:00:5e:01:02:03"));
    ck_assert_ptr_nonnull(g);
    ck_assert_uint_eq(sset_count(&g->ips), 1);
    ck_assert(sset_contains(&g->ips, "10.1.0.1"));
    dp_apply_to_state(&state, del);
    ck_assert_ptr_null(dp_ls_find_mcast_group(ls0, add->mac));
    dp_apply_to_state(&state, del);
    ck_assert(hmap_is_empty(&ls0->mcast_groups));

    dp_op_format(add, &s);
    ck_assert_str_eq(ds_cstr(&s),
                     "mcast-add ls=ls0 mac=01:00:5e:01:02:03 ip=10.1.0.1");
    ds_clear(&s);
    dp_op_format(del, &s);
    ck_assert_str_eq(ds_cstr(&s),
                     "mcast-del ls=ls0 mac=01:00:5e:01:02:03 ip=10.1.0.1");

    ds_destroy(&s);
    dp_op_destroy(add);
    dp_op_destroy(del);
    dp_state_destroy(&state);
}
END_TEST

/* A changed tunnel IP is set, and that is all. */
START_TEST(test_tunnel_ip_change)
{
    static const struct exp_op exp[] = {
        { .type = DP_OP_SET_TUNNEL_IP, .ip = "10.0.0.2" },
    };
    struct dp_state desired, actual;
    struct ovs_list ops;

    classic_init(&desired);
    desired.tunnel_ip = ip("10.0.0.2");
    classic_init(&actual);
    run(&desired, &actual, &ops);
    assert_ops(&ops, exp, ARRAY_SIZE(exp));
    assert_converges(&desired, &actual);

    dp_ops_destroy(&ops);
    dp_state_destroy(&desired);
    dp_state_destroy(&actual);
}
END_TEST

/* A changed ageing time is set; an ageing time of 0 in the desired state
 * leaves the datapath's as it is. */
START_TEST(test_ageing_change)
{
    static const struct exp_op exp[] = {
        { .type = DP_OP_SET_AGEING, .ageing = 600 },
    };
    struct dp_state desired, actual;
    struct ovs_list ops;

    classic_init(&desired);
    desired.mac_ageing = 600;
    classic_init(&actual);
    run(&desired, &actual, &ops);
    assert_ops(&ops, exp, ARRAY_SIZE(exp));
    assert_converges(&desired, &actual);
    dp_ops_destroy(&ops);

    desired.mac_ageing = 0;
    run(&desired, &actual, &ops);
    assert_ops(&ops, NULL, 0);

    dp_state_destroy(&desired);
    dp_state_destroy(&actual);
}
END_TEST

/* A changed learned MAC limit is set, 0 (no limit) included; an equal one
 * gives no operation. */
START_TEST(test_local_mac_limit_change)
{
    static const unsigned int limits[] = { 1000, 3, 0 };
    struct dp_state desired, actual;
    struct ovs_list ops;

    classic_init(&desired);
    classic_init(&actual);
    for (size_t i = 0; i < ARRAY_SIZE(limits); i++) {
        const struct exp_op exp[] = {
            { .type = DP_OP_SET_LOCAL_MAC_LIMIT,
              .local_mac_limit = limits[i] },
        };

        desired.local_mac_limit = limits[i];
        run(&desired, &actual, &ops);
        assert_ops(&ops, exp, ARRAY_SIZE(exp));
        assert_converges(&desired, &actual);
        apply_all(&actual, &ops);
        dp_ops_destroy(&ops);
    }
    run(&desired, &actual, &ops);
    assert_ops(&ops, NULL, 0);

    dp_state_destroy(&desired);
    dp_state_destroy(&actual);
}
END_TEST

/* An ARP entry is added after the remote MACs, changed in place when its
 * MAC changes, and removed before the logical switch goes; one of a
 * logical switch that goes away goes with it. */
START_TEST(test_arp_change)
{
    static const struct exp_op add[] = {
        { .type = DP_OP_ARP_ADD, .ls = "ls0", .ip = "192.168.1.2",
          .mac = "00:00:00:00:00:02" },
    };
    static const struct exp_op move[] = {
        { .type = DP_OP_MAC_ADD, .ls = "ls0", .mac = "00:00:00:00:00:03",
          .ip = "10.1.0.1" },
        { .type = DP_OP_ARP_ADD, .ls = "ls0", .ip = "192.168.1.2",
          .mac = "00:00:00:00:00:03" },
    };
    static const struct exp_op del[] = {
        { .type = DP_OP_ARP_DEL, .ls = "ls0", .ip = "192.168.1.2" },
    };
    struct dp_state desired, actual;
    struct ovs_list ops;

    classic_init(&desired);
    classic_init(&actual);
    struct dp_ls *ls0 = dp_state_find_ls(&desired, "ls0");
    dp_ls_set_arp(ls0, ip("192.168.1.2"), mac("00:00:00:00:00:02"));
    run(&desired, &actual, &ops);
    assert_ops(&ops, add, ARRAY_SIZE(add));
    assert_converges(&desired, &actual);
    apply_all(&actual, &ops);
    dp_ops_destroy(&ops);

    dp_ls_set_remote_mac(ls0, mac("00:00:00:00:00:03"), ip("10.1.0.1"));
    dp_ls_set_arp(ls0, ip("192.168.1.2"), mac("00:00:00:00:00:03"));
    run(&desired, &actual, &ops);
    assert_ops(&ops, move, ARRAY_SIZE(move));
    assert_converges(&desired, &actual);
    apply_all(&actual, &ops);
    dp_ops_destroy(&ops);

    dp_ls_remove_arp(ls0, dp_ls_find_arp(ls0, ip("192.168.1.2")));
    run(&desired, &actual, &ops);
    assert_ops(&ops, del, ARRAY_SIZE(del));
    assert_converges(&desired, &actual);
    apply_all(&actual, &ops);
    dp_ops_destroy(&ops);

    /* A logical switch that goes takes its entries: no ARP_DEL. */
    dp_ls_set_arp(dp_state_find_ls(&actual, "ls0"), ip("192.168.1.2"),
                  mac("00:00:00:00:00:03"));
    dp_state_clear(&desired);
    run(&desired, &actual, &ops);
    struct dp_op *op;
    LIST_FOR_EACH (op, list_node, &ops) {
        ck_assert_int_ne(op->type, DP_OP_ARP_DEL);
    }
    assert_converges(&desired, &actual);
    dp_ops_destroy(&ops);

    dp_state_destroy(&desired);
    dp_state_destroy(&actual);
}
END_TEST

/* Property test. */

/* Deterministic pseudo-random numbers (a 32-bit LCG). */
static uint32_t
lcg_next(uint32_t *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return *seed >> 16;
}

/* Returns a pseudo-random number from 0 to 'n' - 1. */
static uint32_t
lcg_below(uint32_t *seed, uint32_t n)
{
    return lcg_next(seed) % n;
}

/* Returns a pseudo-random element of array 'ARRAY'. */
#define PICK(SEED, ARRAY) ((ARRAY)[lcg_below(SEED, ARRAY_SIZE(ARRAY))])

/* The small universe that generated states draw from, so that two states
 * share much and differ a little. */
static const char *const gen_ls_names[] = { "ls0", "ls1", "ls2", "ls3" };
static const uint32_t gen_vnis[] = { 0, 1, 5000, 5001, 16777215 };
static const char *const gen_ports[] = { "p1", "p2", "p3" };
static const uint16_t gen_vlans[] = { 0, 1, 10, 4095 };
static const char *const gen_macs[] = {
    "00:00:00:00:00:01", "00:00:00:00:00:02", "00:00:00:00:00:03",
    "02:00:00:00:00:04", "ff:ff:ff:ff:ff:fe",
};
static const char *const gen_ips[] = {
    "10.1.0.1", "10.1.0.2", "10.1.0.10", "192.168.0.1",
};
static const char *const gen_group_macs[] = {
    "01:00:5e:01:02:03", "33:33:00:00:00:01",
};
static const char *const gen_tunnel_ips[] = {
    "0.0.0.0", "10.0.0.1", "10.0.0.2",
};
static const unsigned int gen_ageings[] = { 0, 300, 600 };

/* Gives a random VNI, remote MACs, flood list and multicast groups to
 * 'ls'. */
static void
gen_ls_contents(uint32_t *seed, struct dp_ls *ls)
{
    ls->vni = PICK(seed, gen_vnis);
    for (size_t i = 0; i < ARRAY_SIZE(gen_macs); i++) {
        if (!lcg_below(seed, 3)) {
            add_remote(ls, gen_macs[i], PICK(seed, gen_ips));
        }
    }
    for (size_t i = 0; i < ARRAY_SIZE(gen_ips); i++) {
        if (!lcg_below(seed, 3)) {
            sset_add(&ls->flood_ips, gen_ips[i]);
        }
    }
    for (size_t i = 0; i < ARRAY_SIZE(gen_group_macs); i++) {
        for (size_t j = 0; j < ARRAY_SIZE(gen_ips); j++) {
            if (!lcg_below(seed, 3)) {
                add_group_ip(ls, gen_group_macs[i], gen_ips[j]);
            }
        }
    }
}

/* Adds a random remote to a random multicast group of 'ls', or removes it
 * if the group has it. */
static void
gen_toggle_group_ip(uint32_t *seed, struct dp_ls *ls)
{
    struct eth_addr ea = mac(PICK(seed, gen_group_macs));
    ovs_be32 addr = ip(PICK(seed, gen_ips));

    if (!dp_ls_add_mcast_ip(ls, ea, addr)) {
        dp_ls_remove_mcast_ip(ls, ea, addr);
    }
}

/* Binds ('port', 'vlan') in 'state' to a random one of its logical
 * switches, if it has any. */
static void
gen_binding(uint32_t *seed, struct dp_state *state, const char *port,
            uint16_t vlan)
{
    size_t n = hmap_count(&state->switches);
    const struct dp_ls *ls;
    size_t i = 0;
    size_t k;

    if (!n) {
        return;
    }
    k = lcg_below(seed, n);
    HMAP_FOR_EACH (ls, node, &state->switches) {
        if (i++ == k) {
            dp_state_add_binding(state, port, vlan, ls->name);
            return;
        }
    }
}

/* Initializes 'state' as a random datapath. */
static void
gen_state(uint32_t *seed, struct dp_state *state)
{
    dp_state_init(state);
    state->tunnel_ip = ip(PICK(seed, gen_tunnel_ips));
    state->mac_ageing = PICK(seed, gen_ageings);
    for (size_t i = 0; i < ARRAY_SIZE(gen_ls_names); i++) {
        if (lcg_below(seed, 3)) {
            gen_ls_contents(seed, dp_state_add_ls(state, gen_ls_names[i],
                                                  0));
        }
    }
    for (size_t i = 0; i < ARRAY_SIZE(gen_ports); i++) {
        for (size_t j = 0; j < ARRAY_SIZE(gen_vlans); j++) {
            if (!lcg_below(seed, 3)) {
                gen_binding(seed, state, gen_ports[i], gen_vlans[j]);
            }
        }
    }
}

/* Initializes 'state' as a copy of 'base' with a few random changes. */
static void
gen_variant(uint32_t *seed, struct dp_state *state,
            const struct dp_state *base)
{
    struct dp_binding *b;
    struct dp_ls *ls;

    state_clone(state, base);
    if (!lcg_below(seed, 4)) {
        state->tunnel_ip = ip(PICK(seed, gen_tunnel_ips));
    }
    if (!lcg_below(seed, 4)) {
        state->mac_ageing = PICK(seed, gen_ageings);
    }
    HMAP_FOR_EACH_SAFE (ls, node, &state->switches) {
        struct dp_remote_mac *rm;

        switch (lcg_below(seed, 8)) {
        case 0:
            /* The switch goes, with its bindings. */
            HMAP_FOR_EACH_SAFE (b, node, &state->bindings) {
                if (!strcmp(b->ls, ls->name)) {
                    dp_state_remove_binding(state, b);
                }
            }
            dp_state_remove_ls(state, ls);
            continue;
        case 1:
            ls->vni = PICK(seed, gen_vnis);
            break;
        }
        HMAP_FOR_EACH_SAFE (rm, node, &ls->remote_macs) {
            switch (lcg_below(seed, 6)) {
            case 0:
                dp_ls_remove_remote_mac(ls, rm);
                break;
            case 1:
                rm->dst_ip = ip(PICK(seed, gen_ips));
                break;
            }
        }
        if (!lcg_below(seed, 3)) {
            const char *s = PICK(seed, gen_ips);
            if (!sset_find_and_delete(&ls->flood_ips, s)) {
                sset_add(&ls->flood_ips, s);
            }
        }
        if (!lcg_below(seed, 4)) {
            add_remote(ls, PICK(seed, gen_macs), PICK(seed, gen_ips));
        }
        if (!lcg_below(seed, 3)) {
            gen_toggle_group_ip(seed, ls);
        }
    }
    for (size_t i = 0; i < ARRAY_SIZE(gen_ls_names); i++) {
        if (!dp_state_find_ls(state, gen_ls_names[i])
            && !lcg_below(seed, 4)) {
            gen_ls_contents(seed, dp_state_add_ls(state, gen_ls_names[i],
                                                  0));
        }
    }

    /* Rebind a few bindings, choosing them first so as not to insert into
     * 'state->bindings' while iterating over it. */
    struct dp_binding **rebind = xmalloc(hmap_count(&state->bindings)
                                         * sizeof *rebind + 1);
    size_t n_rebind = 0;
    HMAP_FOR_EACH (b, node, &state->bindings) {
        if (!lcg_below(seed, 5)) {
            rebind[n_rebind++] = b;
        }
    }
    for (size_t i = 0; i < n_rebind; i++) {
        char *port = xstrdup(rebind[i]->port);
        uint16_t vlan = rebind[i]->vlan;

        dp_state_remove_binding(state, rebind[i]);
        gen_binding(seed, state, port, vlan);
        free(port);
    }
    free(rebind);

    for (size_t i = 0; i < ARRAY_SIZE(gen_ports); i++) {
        uint16_t vlan = PICK(seed, gen_vlans);
        if (!dp_state_find_binding(state, gen_ports[i], vlan)
            && !lcg_below(seed, 4)) {
            gen_binding(seed, state, gen_ports[i], vlan);
        }
    }
}

/* For many generated pairs of states, carrying out reconcile(desired,
 * actual) on a copy of 'actual' gives 'desired', after which reconcile()
 * has nothing to do; both for unrelated states and for states that differ
 * a little.  Also, reconcile() of a state with itself is empty. */
START_TEST(test_property)
{
    uint32_t seed = 12345;
    size_t n_ops = 0;

    for (int i = 0; i < 200; i++) {
        struct dp_state desired, actual;
        struct ovs_list ops;

        gen_state(&seed, &actual);
        if (i % 2) {
            gen_state(&seed, &desired);
        } else {
            gen_variant(&seed, &desired, &actual);
        }

        run(&desired, &actual, &ops);
        n_ops += ovs_list_size(&ops);
        dp_ops_destroy(&ops);
        assert_converges(&desired, &actual);
        assert_converges(&actual, &desired);

        run(&desired, &desired, &ops);
        ck_assert(ovs_list_is_empty(&ops));

        dp_state_destroy(&desired);
        dp_state_destroy(&actual);
    }

    /* The generator must actually produce differences. */
    ck_assert_uint_gt(n_ops, 1000);
}
END_TEST

/* Returns the suite of all the tests above. */
static Suite *
reconcile_suite(void)
{
    Suite *s = suite_create("reconcile");
    TCase *tc = tcase_create("reconcile");

    tcase_add_test(tc, test_empty);
    tcase_add_test(tc, test_classic_from_empty);
    tcase_add_test(tc, test_classic_to_empty);
    tcase_add_test(tc, test_equal_states);
    tcase_add_test(tc, test_remove_binding);
    tcase_add_test(tc, test_move_binding);
    tcase_add_test(tc, test_move_binding_to_new_ls);
    tcase_add_test(tc, test_remove_ls);
    tcase_add_test(tc, test_vni_change);
    tcase_add_test(tc, test_ls_add_and_set_vni);
    tcase_add_test(tc, test_mac_moved);
    tcase_add_test(tc, test_mac_deleted);
    tcase_add_test(tc, test_flood_change);
    tcase_add_test(tc, test_mcast_group_change);
    tcase_add_test(tc, test_mcast_group_with_ls);
    tcase_add_test(tc, test_mcast_ops_apply);
    tcase_add_test(tc, test_tunnel_ip_change);
    tcase_add_test(tc, test_ageing_change);
    tcase_add_test(tc, test_local_mac_limit_change);
    tcase_add_test(tc, test_arp_change);
    tcase_add_test(tc, test_property);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(reconcile_suite());
    int n_failed;

    srunner_run_all(sr, CK_NORMAL);
    n_failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return n_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
