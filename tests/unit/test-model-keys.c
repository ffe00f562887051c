/* test-model-keys.c -- unit tests of the Physical_Locator tunnel_key
 * column in model_build(): the key-per-tunnel model of vtep(5).
 *
 * Rows are made by hand in memory, as in test-model.c (see
 * model-fixture.h). */

#include <config.h>

#include <check.h>

#include "model.h"

#include "dp-state.h"
#include "model-fixture.h"
#include "packets.h"
#include "util.h"
#include "vtep-idl.h"

/* Asserts that the entries of 'ls' to 'ip_s' carry VNI 'key' (0: the
 * logical switch's). */
static void
assert_key(const struct dp_ls *ls, const char *ip_s, uint32_t key)
{
    ck_assert_msg(dp_ls_get_tunnel_key(ls, ip_s) == key,
                  "entries of %s to %s carry VNI %"PRIu32", not %"PRIu32,
                  ls->name, ip_s, dp_ls_get_tunnel_key(ls, ip_s), key);
}

/* Asserts that remote MAC 'mac_s' of 'ls' carries VNI 'key'. */
static void
assert_mac_key(const struct dp_ls *ls, const char *mac_s, uint32_t key)
{
    const struct dp_remote_mac *rm = dp_ls_find_remote_mac(ls, mac(mac_s));

    ck_assert_msg(rm, "no remote MAC %s", mac_s);
    ck_assert_msg(rm->key == key, "remote MAC %s carries VNI %"PRIu32", not "
                  "%"PRIu32, mac_s, rm->key, key);
}

/* A logical switch without a tunnel_key whose locators have keys: it
 * receives on the lowest key, and sends to each locator with its own. */
START_TEST(test_key_per_tunnel)
{
    struct dp_state desired;
    struct faults problems;
    struct lab lab;

    lab_init(&lab);
    lab.ls0->n_tunnel_key = 0;
    lab.ls0->replication_mode = S("source_node");
    lab.ucast->locator = vxlan_key("10.1.0.1", 7100);
    input_add_ucast(&lab.t, ucast_new("00:00:00:00:00:03", lab.ls0,
                                      vxlan_key("10.2.0.1", 7000)));
    lab.mcast->locator_set = mcast_new("unknown-dst", lab.ls0, 3,
                                       vxlan_key("10.1.0.1", 7100),
                                       vxlan_key("10.2.0.1", 7000),
                                       vxlan("10.3.0.1"))->locator_set;
    build(&lab.t.in, &desired, &problems);

    assert_no_problems(&problems);
    struct dp_ls *ls0 = assert_ls(&desired, "ls0", 7000);
    assert_flood(ls0, 3, "10.1.0.1", "10.2.0.1", "10.3.0.1");
    assert_key(ls0, "10.1.0.1", 7100);
    assert_key(ls0, "10.2.0.1", 0);
    assert_key(ls0, "10.3.0.1", 0);
    assert_mac_key(ls0, "00:00:00:00:00:02", 7100);
    assert_mac_key(ls0, "00:00:00:00:00:03", 0);
    cleanup(&desired, &problems);
}
END_TEST

/* A key on the switch's own locator, in a row of the logical switch, is
 * the key it receives on, even if another locator's key is lower. */
START_TEST(test_own_locator_key)
{
    struct dp_state desired;
    struct faults problems;
    struct lab lab;

    lab_init(&lab);
    lab.ls0->n_tunnel_key = 0;
    lab.ucast->locator = vxlan_key("10.1.0.1", 7100);
    lab.mcast->locator_set = mcast_new("unknown-dst", lab.ls0, 2,
                                       vxlan_key("10.1.0.1", 7100),
                                       vxlan_key("10.0.0.1", 7200))
                             ->locator_set;
    build(&lab.t.in, &desired, &problems);

    assert_no_problems(&problems);
    struct dp_ls *ls0 = assert_ls(&desired, "ls0", 7200);
    assert_flood(ls0, 1, "10.1.0.1");
    assert_key(ls0, "10.1.0.1", 7100);
    assert_mac_key(ls0, "00:00:00:00:00:02", 7100);
    cleanup(&desired, &problems);
}
END_TEST

/* With a tunnel_key of its own, a logical switch receives on that; a
 * locator's key, where set, still gives the VNI sent to that locator. */
START_TEST(test_locator_key_with_ls_key)
{
    struct dp_state desired;
    struct faults problems;
    struct lab lab;

    lab_init(&lab);
    lab.ucast->locator = vxlan_key("10.1.0.1", 6000);
    lab.mcast->locator_set = mcast_new("unknown-dst", lab.ls0, 1,
                                       vxlan_key("10.1.0.1", 5000))
                             ->locator_set;
    input_add_ucast(&lab.t, ucast_new("00:00:00:00:00:03", lab.ls0,
                                      vxlan_key("10.2.0.1", 5000)));
    build(&lab.t.in, &desired, &problems);

    struct dp_ls *ls0 = assert_ls(&desired, "ls0", 5000);
    assert_n_problems(&problems, 1);
    assert_problem(&problems, "locators of 10.1.0.1", "6000 and 5000");
    assert_switch_status(&problems, "unspecified_fault",
                         "locator_key_conflict", NULL);
    assert_key(ls0, "10.1.0.1", 0);
    assert_mac_key(ls0, "00:00:00:00:00:02", 0);
    assert_mac_key(ls0, "00:00:00:00:00:03", 0);
    cleanup(&desired, &problems);

    lab_init(&lab);
    lab.ucast->locator = vxlan_key("10.1.0.1", 6000);
    lab.mcast->locator_set = mcast_new("unknown-dst", lab.ls0, 1,
                                       vxlan_key("10.1.0.1", 6000))
                             ->locator_set;
    build(&lab.t.in, &desired, &problems);
    assert_no_problems(&problems);
    ls0 = assert_ls(&desired, "ls0", 5000);
    assert_key(ls0, "10.1.0.1", 6000);
    assert_mac_key(ls0, "00:00:00:00:00:02", 6000);
    cleanup(&desired, &problems);
}
END_TEST

/* A key out of the VNI range is a fault and is ignored; a logical switch
 * with neither a key nor keyed locators has no tunnel, as before. */
START_TEST(test_bad_and_missing_keys)
{
    static const int64_t bad[] = { 0, -1, 16777216 };

    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        struct dp_state desired;
        struct faults problems;
        struct lab lab;

        lab_init(&lab);
        lab.ls0->n_tunnel_key = 0;
        lab.ucast->locator = vxlan_key("10.1.0.1", bad[i]);
        lab.mcast->locator_set = mcast_new("unknown-dst", lab.ls0, 1,
                                           vxlan_key("10.2.0.1", 7000))
                                 ->locator_set;
        build(&lab.t.in, &desired, &problems);

        assert_n_problems(&problems, 1);
        assert_problem(&problems, "Physical_Locator 10.1.0.1",
                       "out of range for a VXLAN VNI");
        assert_switch_status(&problems, "unspecified_fault",
                             "locator_key_invalid", NULL);
        struct dp_ls *ls0 = assert_ls(&desired, "ls0", 7000);
        assert_mac_key(ls0, "00:00:00:00:00:02", 0);
        cleanup(&desired, &problems);
    }

    struct dp_state desired;
    struct faults problems;
    struct lab lab;

    lab_init(&lab);
    lab.ls0->n_tunnel_key = 0;
    build(&lab.t.in, &desired, &problems);
    assert_no_problems(&problems);
    assert_ls(&desired, "ls0", 0);
    cleanup(&desired, &problems);
}
END_TEST

/* Two logical switches that receive on one key: the one whose name sorts
 * first keeps it, as with their own tunnel keys. */
START_TEST(test_receive_key_conflict)
{
    struct dp_state desired;
    struct faults problems;
    struct lab lab;

    lab_init(&lab);
    lab.ls0->n_tunnel_key = 0;
    lab.ucast->locator = vxlan_key("10.1.0.1", 5001);
    struct vteprec_logical_switch *ls1 = ls_new("ls1", 5001, NULL);
    port_bind(lab.p1, 10, ls1);
    build(&lab.t.in, &desired, &problems);

    assert_problem(&problems, "Logical_Switch ls1 has tunnel_key 5001",
                   "ls1 gets no tunnel");
    assert_switch_status(&problems, "unspecified_fault",
                         "tunnel_key_conflict", NULL);
    assert_ls(&desired, "ls0", 5001);
    assert_ls(&desired, "ls1", 0);
    cleanup(&desired, &problems);
}
END_TEST

/* Returns the suite of all the tests above. */
static Suite *
model_keys_suite(void)
{
    Suite *s = suite_create("model-keys");
    TCase *tc = tcase_create("model_keys");

    tcase_add_test(tc, test_key_per_tunnel);
    tcase_add_test(tc, test_own_locator_key);
    tcase_add_test(tc, test_locator_key_with_ls_key);
    tcase_add_test(tc, test_bad_and_missing_keys);
    tcase_add_test(tc, test_receive_key_conflict);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return run_suite(model_keys_suite());
}
