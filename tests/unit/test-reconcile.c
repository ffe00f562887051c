/* test-reconcile.c -- unit tests of reconcile(), one case at a time.
 *
 * The states are built with the dp_state_*() helpers.  Each test checks the
 * exact operations that reconcile() emits, in order (see
 * reconcile-fixture.h), and that carrying them out gives the desired
 * state.  test-reconcile-property.c checks the same on generated states. */

#include <config.h>

#include <check.h>

#include "reconcile.h"

#include <stdlib.h>
#include <string.h>

#include "dp.h"
#include "dp-state.h"
#include "model-fixture.h"
#include "openvswitch/list.h"
#include "packets.h"
#include "reconcile-fixture.h"
#include "sset.h"
#include "util.h"

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
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return run_suite(reconcile_suite());
}
