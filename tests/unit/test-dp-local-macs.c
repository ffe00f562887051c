/* test-dp-local-macs.c -- unit tests of how a datapath forgets the MACs it
 * learned: on the bindings that go (one or many at once) or move to another
 * logical switch and in the logical switches that go, and nothing else. */

#include <config.h>

#include "dp.h"

#include <check.h>
#include <stdlib.h>

#include "dp-state.h"
#include "sset.h"
#include "util.h"

/* The learned MACs of the tests: MAC i was learned in 'ls' on binding
 * ('port', 'vlan'). */
static const struct {
    const char *ls;             /* Logical switch. */
    const char *port;           /* Port of the binding. */
    uint16_t vlan;              /* VLAN of the binding. */
} macs[] = {
    { "ls0", "p1", 0 },
    { "ls0", "p1", 0 },
    { "ls1", "p1", 10 },
    { "ls0", "p2", 0 },
    { "ls1", "p2", 10 },
    { "ls1", "p2", 10 },
    { "ls2", "p12", 0 },        /* "p1" with "2" appended, VLAN 0. */
};

/* Returns the MAC that the tests give to entry 'i' of macs[]. */
static struct eth_addr
mac_of(size_t i)
{
    struct eth_addr mac = ETH_ADDR_C(00, 00, 00, 00, 01, 00);

    mac.ea[5] = i + 1;
    return mac;
}

/* Initializes 'dp' (a dummy datapath's generic part) with every MAC of
 * macs[] learned. */
static void
learn_all(struct dp *dp)
{
    dp_init(dp, &dp_dummy_class, "hv1");
    for (size_t i = 0; i < ARRAY_SIZE(macs); i++) {
        dp_local_mac_add(&dp->local_macs, macs[i].ls, mac_of(i),
                         macs[i].port, macs[i].vlan);
    }
}

/* Asserts that 'dp' holds exactly the MACs of macs[] whose bit is set in
 * 'mask' (bit i for entry i). */
static void
assert_learned(const struct dp *dp, unsigned int mask)
{
    size_t n = 0;

    for (size_t i = 0; i < ARRAY_SIZE(macs); i++) {
        bool held = dp_local_mac_find(&dp->local_macs, macs[i].ls,
                                      mac_of(i)) != NULL;
        bool wanted = (mask >> i) & 1;

        ck_assert_msg(held == wanted, "MAC %"PRIuSIZE" (%s on %s VLAN %d) "
                      "is %s", i, macs[i].ls, macs[i].port, macs[i].vlan,
                      held ? "still held" : "gone");
        n += wanted;
    }
    ck_assert_uint_eq(hmap_count(&dp->local_macs), n);
}

/* All the MACs of macs[]. */
#define ALL ((1u << ARRAY_SIZE(macs)) - 1)

START_TEST(test_forget_bindings_at_once)
{
    struct dp_state gone;
    struct dp dp;

    learn_all(&dp);
    dp_state_init(&gone);
    dp_state_add_binding(&gone, "p1", 0, "ls0");
    dp_state_add_binding(&gone, "p2", 10, "ls1");

    dp_forget_local_macs_of_bindings(&dp, &gone);
    ck_assert_uint_eq(dp.local_macs_seq, 1);
    /* Only p1 VLAN 0 and p2 VLAN 10 lose theirs: not p1 VLAN 10, not p2
     * VLAN 0, not p12. */
    assert_learned(&dp, ALL & ~(1u << 0 | 1u << 1 | 1u << 4 | 1u << 5));

    dp_state_destroy(&gone);
    dp_uninit(&dp);
}
END_TEST

START_TEST(test_forget_nothing)
{
    struct dp_state gone;
    struct dp dp;

    learn_all(&dp);
    dp_state_init(&gone);

    /* No bindings, and bindings that learned nothing, change nothing. */
    dp_forget_local_macs_of_bindings(&dp, &gone);
    dp_state_add_binding(&gone, "p3", 0, "ls0");
    dp_state_add_binding(&gone, "p2", 20, "ls0");
    dp_state_add_binding(&gone, "p", 12, "ls2");
    dp_forget_local_macs_of_bindings(&dp, &gone);
    ck_assert_uint_eq(dp.local_macs_seq, 0);
    assert_learned(&dp, ALL);

    dp_state_destroy(&gone);
    dp_uninit(&dp);
}
END_TEST

START_TEST(test_forget_one_binding)
{
    struct dp dp;

    learn_all(&dp);
    dp_forget_local_macs_of_binding(&dp, "p1", 10);
    ck_assert_uint_eq(dp.local_macs_seq, 1);
    assert_learned(&dp, ALL & ~(1u << 2));

    dp_forget_local_macs_of_binding(&dp, "p1", 10);
    ck_assert_uint_eq(dp.local_macs_seq, 1);
    dp_uninit(&dp);
}
END_TEST

START_TEST(test_forget_switch)
{
    struct dp dp;

    learn_all(&dp);
    dp_forget_local_macs_of_ls(&dp, "ls1");
    ck_assert_uint_eq(dp.local_macs_seq, 1);
    assert_learned(&dp, ALL & ~(1u << 2 | 1u << 4 | 1u << 5));
    ck_assert_uint_eq(dp_count_local_macs_in_ls(&dp, "ls0"), 3);
    ck_assert_uint_eq(dp_count_local_macs_in_ls(&dp, "ls1"), 0);
    dp_uninit(&dp);
}
END_TEST

/* A MAC that moved to another binding is forgotten with the binding it is
 * on now, not with the one where it was first learned. */
START_TEST(test_forget_moved_mac)
{
    struct dp dp;

    learn_all(&dp);
    dp_local_mac_add(&dp.local_macs, macs[0].ls, mac_of(0), "p2", 0);
    dp_forget_local_macs_of_binding(&dp, "p1", 0);
    assert_learned(&dp, ALL & ~(1u << 1));
    dp_forget_local_macs_of_binding(&dp, "p2", 0);
    assert_learned(&dp, ALL & ~(1u << 0 | 1u << 1 | 1u << 3));
    dp_uninit(&dp);
}
END_TEST

/* Unbinding through the dummy datapath's dp_execute() forgets what the
 * binding learned. */
START_TEST(test_unbind_forgets)
{
    struct ovs_list ops = OVS_LIST_INITIALIZER(&ops);
    struct dp_op *op;
    struct dp dp;

    learn_all(&dp);
    op = dp_op_create(DP_OP_BIND_DEL);
    op->port = xstrdup("p2");
    op->vlan = 10;
    op->ls = xstrdup("ls1");
    ovs_list_push_back(&ops, &op->list_node);
    ck_assert_uint_eq(dp_execute(&dp, &ops), 0);
    assert_learned(&dp, ALL & ~(1u << 4 | 1u << 5));

    ovs_list_remove(&op->list_node);
    dp_op_destroy(op);
    dp_uninit(&dp);
}
END_TEST

/* Appends to 'ops' a binding of ('port', 'vlan') to 'ls'. */
static void
add_bind_op(struct ovs_list *ops, const char *port, uint16_t vlan,
            const char *ls)
{
    struct dp_op *op = dp_op_create(DP_OP_BIND_ADD);

    op->port = xstrdup(port);
    op->vlan = vlan;
    op->ls = xstrdup(ls);
    ovs_list_push_back(ops, &op->list_node);
}

/* Binding a bound VLAN to another logical switch through the dummy
 * datapath's dp_execute() forgets what it learned before; binding it again
 * to the same logical switch forgets nothing. */
START_TEST(test_rebind_forgets_moved)
{
    struct ovs_list ops = OVS_LIST_INITIALIZER(&ops);
    struct dp dp;

    learn_all(&dp);
    sset_add(&dp.ports, "p1");
    sset_add(&dp.ports, "p2");
    dp_state_add_binding(&dp.actual, "p1", 10, "ls1");
    dp_state_add_binding(&dp.actual, "p2", 10, "ls1");

    add_bind_op(&ops, "p2", 10, "ls1");
    ck_assert_uint_eq(dp_execute(&dp, &ops), 0);
    assert_learned(&dp, ALL);
    dp_ops_destroy(&ops);

    add_bind_op(&ops, "p1", 10, "ls2");
    add_bind_op(&ops, "p2", 10, "ls2");
    ck_assert_uint_eq(dp_execute(&dp, &ops), 0);
    assert_learned(&dp, ALL & ~(1u << 2 | 1u << 4 | 1u << 5));
    dp_ops_destroy(&ops);
    dp_uninit(&dp);
}
END_TEST

/* Returns the suite of this file. */
static Suite *
dp_local_macs_suite(void)
{
    Suite *s = suite_create("dp-local-macs");
    TCase *forget = tcase_create("forget");

    tcase_add_test(forget, test_forget_bindings_at_once);
    tcase_add_test(forget, test_forget_nothing);
    tcase_add_test(forget, test_forget_one_binding);
    tcase_add_test(forget, test_forget_switch);
    tcase_add_test(forget, test_forget_moved_mac);
    tcase_add_test(forget, test_unbind_forgets);
    tcase_add_test(forget, test_rebind_forgets_moved);
    suite_add_tcase(s, forget);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(dp_local_macs_suite());
    int n_failed;

    srunner_run_all(sr, CK_NORMAL);
    n_failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return n_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
