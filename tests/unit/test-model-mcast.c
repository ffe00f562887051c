/* test-model-mcast.c -- unit tests of the replication lists that
 * model_build() makes from Mcast_Macs_Remote rows: the flood list
 * (unknown-dst) with source_node and service_node replication, and the
 * multicast groups of multicast MACs.
 *
 * Rows are made by hand in memory, as in test-model.c (see
 * model-fixture.h). */

#include <config.h>

#include <check.h>

#include "model.h"

#include <stdlib.h>
#include <string.h>

#include "dp-state.h"
#include "model-fixture.h"
#include "packets.h"
#include "util.h"
#include "vtep-idl.h"

/* With replication_mode source_node the flood list has every usable
 * locator, once. */
START_TEST(test_source_node_floods_all)
{
    struct dp_state desired;
    struct faults problems;
    struct lab lab;

    lab_init(&lab);
    lab.ls0->replication_mode = S("source_node");
    lab.mcast->locator_set = mcast_new("unknown-dst", lab.ls0, 4,
                                       vxlan("10.1.0.20"),
                                       vxlan("9.255.0.1"),
                                       vxlan("10.1.0.3"),
                                       vxlan("10.1.0.20"))->locator_set;
    build(&lab.t.in, &desired, &problems);

    assert_no_problems(&problems);
    assert_flood(assert_ls(&desired, "ls0", 5000), 3,
                 "10.1.0.20", "9.255.0.1", "10.1.0.3");

    cleanup(&desired, &problems);
}
END_TEST

/* With replication_mode service_node, or none, the flood list has exactly
 * one locator: the numerically lowest IP. */
START_TEST(test_service_node_floods_lowest)
{
    static const char *const modes[] = { "service_node", NULL };

    for (size_t i = 0; i < ARRAY_SIZE(modes); i++) {
        struct dp_state desired;
        struct faults problems;
        struct lab lab;

        lab_init(&lab);
        lab.ls0->replication_mode = modes[i] ? S(modes[i]) : NULL;
        lab.mcast->locator_set = mcast_new("unknown-dst", lab.ls0, 4,
                                           vxlan("10.1.0.20"),
                                           vxlan("10.1.0.3"),
                                           vxlan("9.255.0.1"),
                                           vxlan("10.1.0.9"))->locator_set;
        build(&lab.t.in, &desired, &problems);

        assert_no_problems(&problems);
        assert_flood(assert_ls(&desired, "ls0", 5000), 1, "9.255.0.1");

        cleanup(&desired, &problems);
    }
}
END_TEST

/* With service_node replication, a list holds the lowest service node
 * whose tunnel BFD does not call down: the flood list and a multicast
 * group alike.  If BFD calls them all down, the lowest still.  Every
 * service node, chosen or not, is in desired->service_nodes and so among
 * the switch's tunnels (with the lab's remote MAC's 10.1.0.1).
 * source_node replication ignores BFD. */
START_TEST(test_service_node_avoids_down_tunnels)
{
    static const struct {
        const char *down;           /* Tunnels BFD calls down. */
        const char *chosen;         /* The expected service node. */
    } cases[] = {
        { "", "10.1.0.3" },
        { "10.1.0.3", "10.1.0.9" },
        { "10.1.0.9", "10.1.0.3" },
        { "10.1.0.3 10.1.0.9", "10.1.0.20" },
        { "10.1.0.3 10.1.0.9 10.1.0.20", "10.1.0.3" },
        { "10.7.7.7 10.1.0.3", "10.1.0.9" },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct sset down = SSET_INITIALIZER(&down);
        struct dp_state desired;
        struct faults problems;
        struct lab lab;

        sset_from_delimited_string(&down, cases[i].down, " ");
        lab_init(&lab);
        lab.t.in.down_tunnels = &down;
        lab.mcast->locator_set = mcast_new("unknown-dst", lab.ls0, 3,
                                           vxlan("10.1.0.20"),
                                           vxlan("10.1.0.3"),
                                           vxlan("10.1.0.9"))->locator_set;
        input_add_mcast(&lab.t, mcast_new("01:00:5e:01:02:03", lab.ls0, 3,
                                          vxlan("10.1.0.9"),
                                          vxlan("10.1.0.20"),
                                          vxlan("10.1.0.3")));
        build(&lab.t.in, &desired, &problems);

        assert_no_problems(&problems);
        struct dp_ls *ls0 = assert_ls(&desired, "ls0", 5000);
        assert_flood(ls0, 1, cases[i].chosen);
        assert_group(ls0, "01:00:5e:01:02:03", 1, cases[i].chosen);
        char *nodes = ips_to_string(&desired.service_nodes);
        ck_assert_str_eq(nodes, "10.1.0.20 10.1.0.3 10.1.0.9");
        free(nodes);

        struct sset tunnels = SSET_INITIALIZER(&tunnels);
        dp_state_get_remote_ips(&desired, &tunnels);
        char *s = ips_to_string(&tunnels);
        ck_assert_str_eq(s, "10.1.0.1 10.1.0.20 10.1.0.3 10.1.0.9");
        free(s);
        sset_destroy(&tunnels);

        cleanup(&desired, &problems);
        sset_destroy(&down);
    }

    /* source_node: every locator, whatever BFD says, and no service
     * nodes. */
    struct sset down = SSET_INITIALIZER(&down);
    struct dp_state desired;
    struct faults problems;
    struct lab lab;

    sset_add(&down, "10.1.0.3");
    lab_init(&lab);
    lab.t.in.down_tunnels = &down;
    lab.ls0->replication_mode = S("source_node");
    lab.mcast->locator_set = mcast_new("unknown-dst", lab.ls0, 2,
                                       vxlan("10.1.0.3"),
                                       vxlan("10.1.0.9"))->locator_set;
    build(&lab.t.in, &desired, &problems);
    assert_flood(assert_ls(&desired, "ls0", 5000), 2, "10.1.0.3",
                 "10.1.0.9");
    ck_assert_uint_eq(sset_count(&desired.service_nodes), 0);
    cleanup(&desired, &problems);
    sset_destroy(&down);
}
END_TEST

/* The schema lets a logical switch have several unknown-dst rows.  With
 * source_node replication the flood list has the locators of all of them;
 * with service_node, still only the lowest IP of all, whatever the row
 * order, so that the choice is stable. */
START_TEST(test_several_unknown_dst_rows)
{
    static const char *const modes[] = { "source_node", "service_node" };

    for (size_t i = 0; i < ARRAY_SIZE(modes); i++) {
        for (int order = 0; order < 2; order++) {
            struct dp_state desired;
            struct faults problems;
            struct lab lab;

            lab_init(&lab);
            lab.ls0->replication_mode = S(modes[i]);
            lab.t.in.n_mcast = 0;
            struct vteprec_mcast_macs_remote *low
                = mcast_new("unknown-dst", lab.ls0, 2, vxlan("10.1.0.7"),
                            vxlan("10.1.0.3"));
            struct vteprec_mcast_macs_remote *high
                = mcast_new("unknown-dst", lab.ls0, 1, vxlan("10.1.0.5"));
            input_add_mcast(&lab.t, order ? high : low);
            input_add_mcast(&lab.t, order ? low : high);
            build(&lab.t.in, &desired, &problems);

            assert_no_problems(&problems);
            struct dp_ls *ls0 = assert_ls(&desired, "ls0", 5000);
            const char *expected = (i == 0
                                    ? "10.1.0.3 10.1.0.5 10.1.0.7"
                                    : "10.1.0.3");
            char *flood = flood_to_string(ls0);
            ck_assert_msg(!strcmp(flood, expected),
                          "%s, %s row first: flood list is {%s}, expected "
                          "{%s}", modes[i], order ? "higher" : "lower",
                          flood, expected);
            free(flood);

            cleanup(&desired, &problems);
        }
    }
}
END_TEST

/* Mcast_Macs_Remote rows other than unknown-dst make no flood entries (a
 * multicast MAC makes a multicast group, the broadcast MAC nothing, since
 * broadcast frames follow unknown-dst, and anything else a fault), and an
 * unknown-dst row without a locator set or with an empty one makes none
 * either. */
START_TEST(test_mcast_other_macs)
{
    struct dp_state desired;
    struct faults problems;
    struct lab lab;

    lab_init(&lab);
    struct vteprec_logical_switch *ls1 = ls_new("ls1", 5001, "source_node");
    struct vteprec_logical_switch *ls2 = ls_new("ls2", 5002, NULL);
    port_bind(lab.p1, 1, ls1);
    port_bind(lab.p1, 2, ls2);
    input_add_mcast(&lab.t, mcast_new("01:00:5e:00:00:01", lab.ls0, 1,
                                      vxlan("10.1.0.0")));
    input_add_mcast(&lab.t, mcast_new("ff:ff:ff:ff:ff:ff", ls1, 1,
                                      vxlan("10.1.0.2")));
    input_add_mcast(&lab.t, mcast_new("unknown-src", ls1, 1,
                                      vxlan("10.1.0.3")));
    input_add_mcast(&lab.t, mcast_new("unknown-dst", ls1, 0));
    struct vteprec_mcast_macs_remote *no_set
        = mcast_new("unknown-dst", ls2, 1, vxlan("10.1.0.4"));
    no_set->locator_set = NULL;
    input_add_mcast(&lab.t, no_set);
    build(&lab.t.in, &desired, &problems);

    assert_n_problems(&problems, 1);
    assert_problem(&problems, "Mcast_Macs_Remote in ls1", "\"unknown-src\"");
    assert_switch_status(&problems, "unspecified_fault", "mcast_mac_invalid",
                         NULL);
    struct dp_ls *ls0 = assert_ls(&desired, "ls0", 5000);
    assert_flood(ls0, 1, "10.1.0.1");
    assert_n_groups(ls0, 1);
    assert_group(ls0, "01:00:5e:00:00:01", 1, "10.1.0.0");
    struct dp_ls *ls1_dp = assert_ls(&desired, "ls1", 5001);
    assert_flood(ls1_dp, 0);
    assert_n_groups(ls1_dp, 0);
    struct dp_ls *ls2_dp = assert_ls(&desired, "ls2", 5002);
    assert_flood(ls2_dp, 0);
    assert_n_groups(ls2_dp, 0);
    ck_assert_uint_eq(dp_state_count_remote_macs(&desired), 1);

    cleanup(&desired, &problems);
}
END_TEST

/* A multicast MAC's Mcast_Macs_Remote row gives a multicast group of its
 * own, apart from the flood list.  With source_node replication the group
 * has every usable locator of the row but the switch's own tunnel IP.  The
 * MAC may be in upper case. */
START_TEST(test_mcast_group_source_node)
{
    struct dp_state desired;
    struct faults problems;
    struct lab lab;

    lab_init(&lab);
    lab.ls0->replication_mode = S("source_node");
    input_add_mcast(&lab.t, mcast_new("01:00:5E:01:02:03", lab.ls0, 3,
                                      vxlan("10.2.0.1"), vxlan("10.0.0.1"),
                                      vxlan("10.1.0.1")));
    build(&lab.t.in, &desired, &problems);

    assert_no_problems(&problems);
    struct dp_ls *ls0 = assert_ls(&desired, "ls0", 5000);
    assert_flood(ls0, 1, "10.1.0.1");
    assert_n_groups(ls0, 1);
    assert_group(ls0, "01:00:5e:01:02:03", 2, "10.1.0.1", "10.2.0.1");
    ck_assert_uint_eq(dp_state_count_remote_macs(&desired), 1);

    cleanup(&desired, &problems);
}
END_TEST

/* With replication_mode service_node, or none, a multicast group has one
 * locator: the lowest IP over all the rows of its MAC, whatever their
 * order, and whatever the flood list has. */
START_TEST(test_mcast_group_service_node)
{
    static const char *const modes[] = { "service_node", NULL };

    for (size_t i = 0; i < ARRAY_SIZE(modes); i++) {
        for (int order = 0; order < 2; order++) {
            struct dp_state desired;
            struct faults problems;
            struct lab lab;

            lab_init(&lab);
            lab.ls0->replication_mode = modes[i] ? S(modes[i]) : NULL;
            struct vteprec_mcast_macs_remote *high
                = mcast_new("01:00:5e:01:02:03", lab.ls0, 2,
                            vxlan("10.2.0.1"), vxlan("10.3.0.1"));
            struct vteprec_mcast_macs_remote *low
                = mcast_new("01:00:5e:01:02:03", lab.ls0, 2,
                            vxlan("10.0.0.1"), vxlan("10.1.0.5"));
            input_add_mcast(&lab.t, order ? low : high);
            input_add_mcast(&lab.t, order ? high : low);
            build(&lab.t.in, &desired, &problems);

            assert_no_problems(&problems);
            struct dp_ls *ls0 = assert_ls(&desired, "ls0", 5000);
            assert_flood(ls0, 1, "10.1.0.1");
            assert_n_groups(ls0, 1);
            assert_group(ls0, "01:00:5e:01:02:03", 1, "10.1.0.5");

            cleanup(&desired, &problems);
        }
    }
}
END_TEST

/* Several rows of one multicast MAC in one logical switch make one group,
 * the union of their locators; other MACs, and the same MAC in another
 * logical switch, make groups of their own; rows of a logical switch that
 * is not bound make none.  The groups' locators are tunnels in use. */
START_TEST(test_mcast_group_union)
{
    struct dp_state desired;
    struct faults problems;
    struct lab lab;

    lab_init(&lab);
    lab.ls0->replication_mode = S("source_node");
    struct vteprec_logical_switch *ls1 = ls_new("ls1", 5001, "source_node");
    struct vteprec_logical_switch *ls9 = ls_new("ls9", 5009, "source_node");
    port_bind(lab.p1, 1, ls1);
    input_add_mcast(&lab.t, mcast_new("01:00:5e:01:02:03", lab.ls0, 2,
                                      vxlan("10.1.0.1"), vxlan("10.2.0.1")));
    input_add_mcast(&lab.t, mcast_new("01:00:5e:01:02:03", lab.ls0, 2,
                                      vxlan("10.2.0.1"), vxlan("10.3.0.1")));
    input_add_mcast(&lab.t, mcast_new("33:33:00:00:00:01", lab.ls0, 1,
                                      vxlan("10.4.0.1")));
    input_add_mcast(&lab.t, mcast_new("01:00:5e:01:02:03", ls1, 1,
                                      vxlan("10.5.0.1")));
    input_add_mcast(&lab.t, mcast_new("01:00:5e:01:02:03", ls9, 1,
                                      vxlan("10.6.0.1")));
    build(&lab.t.in, &desired, &problems);

    assert_no_problems(&problems);
    struct dp_ls *ls0 = assert_ls(&desired, "ls0", 5000);
    assert_flood(ls0, 1, "10.1.0.1");
    assert_n_groups(ls0, 2);
    assert_group(ls0, "01:00:5e:01:02:03", 3,
                 "10.1.0.1", "10.2.0.1", "10.3.0.1");
    assert_group(ls0, "33:33:00:00:00:01", 1, "10.4.0.1");
    struct dp_ls *ls1_dp = assert_ls(&desired, "ls1", 5001);
    assert_flood(ls1_dp, 0);
    assert_n_groups(ls1_dp, 1);
    assert_group(ls1_dp, "01:00:5e:01:02:03", 1, "10.5.0.1");
    ck_assert_ptr_null(dp_state_find_ls(&desired, "ls9"));

    struct sset tunnels = SSET_INITIALIZER(&tunnels);
    dp_state_get_remote_ips(&desired, &tunnels);
    char *s = ips_to_string(&tunnels);
    ck_assert_str_eq(s, "10.1.0.1 10.2.0.1 10.3.0.1 10.4.0.1 10.5.0.1");
    free(s);
    sset_destroy(&tunnels);

    cleanup(&desired, &problems);
}
END_TEST

/* The locators of a multicast group's rows are checked as those of the
 * flood list: an unusable one is a fault and is skipped, the others are
 * kept; a group without a usable locator other than the switch's own
 * tunnel IP, or without locators at all, is left out. */
START_TEST(test_mcast_group_locators)
{
    struct dp_state desired;
    struct faults problems;
    struct lab lab;

    lab_init(&lab);
    lab.ls0->replication_mode = S("source_node");
    input_add_mcast(&lab.t, mcast_new("01:00:5e:00:00:fb", lab.ls0, 1,
                                      vxlan("10.0.0.1")));
    input_add_mcast(&lab.t, mcast_new("01:00:5e:01:02:03", lab.ls0, 3,
                                      vxlan("10.1.0"),
                                      locator_new("10.2.0.1", "stt"),
                                      vxlan("10.3.0.1")));
    input_add_mcast(&lab.t, mcast_new("01:00:5e:00:00:05", lab.ls0, 0));
    struct vteprec_mcast_macs_remote *no_set
        = mcast_new("01:00:5e:00:00:06", lab.ls0, 1, vxlan("10.4.0.1"));
    no_set->locator_set = NULL;
    input_add_mcast(&lab.t, no_set);
    build(&lab.t.in, &desired, &problems);

    assert_n_problems(&problems, 2);
    assert_problem(&problems, "01:00:5e:01:02:03", "\"10.1.0\"");
    assert_problem(&problems, "01:00:5e:01:02:03", "\"stt\"");
    assert_switch_status(&problems, "unspecified_fault", "locator_ip_invalid",
                         "encapsulation_unsupported", NULL);
    struct dp_ls *ls0 = assert_ls(&desired, "ls0", 5000);
    assert_flood(ls0, 1, "10.1.0.1");
    assert_n_groups(ls0, 1);
    assert_group(ls0, "01:00:5e:01:02:03", 1, "10.3.0.1");

    cleanup(&desired, &problems);
}
END_TEST

/* A Mcast_Macs_Remote row whose MAC is neither unknown-dst nor a MAC
 * address is a fault (mcast_mac_invalid) and is skipped; the other rows are
 * kept. */
START_TEST(test_mcast_mac_invalid)
{
    struct dp_state desired;
    struct faults problems;
    struct lab lab;

    lab_init(&lab);
    input_add_mcast(&lab.t, mcast_new("not-a-mac", lab.ls0, 1,
                                      vxlan("10.2.0.1")));
    input_add_mcast(&lab.t, mcast_new("01:00:5e:01:02", lab.ls0, 1,
                                      vxlan("10.2.0.1")));
    input_add_mcast(&lab.t, mcast_new("", lab.ls0, 1, vxlan("10.2.0.1")));
    input_add_mcast(&lab.t, mcast_new("UNKNOWN-DST", lab.ls0, 1,
                                      vxlan("10.2.0.1")));
    input_add_mcast(&lab.t, mcast_new("01:00:5e:01:02:03", lab.ls0, 1,
                                      vxlan("10.2.0.1")));
    build(&lab.t.in, &desired, &problems);

    assert_n_problems(&problems, 4);
    assert_problem(&problems, "Mcast_Macs_Remote in ls0",
                   "\"not-a-mac\" is not a MAC address");
    assert_problem(&problems, "Mcast_Macs_Remote in ls0",
                   "\"01:00:5e:01:02\" is not a MAC address");
    assert_problem(&problems, "Mcast_Macs_Remote in ls0",
                   "\"\" is not a MAC address");
    assert_problem(&problems, "Mcast_Macs_Remote in ls0",
                   "\"UNKNOWN-DST\" is not a MAC address");
    assert_switch_status(&problems, "unspecified_fault", "mcast_mac_invalid",
                         NULL);
    struct dp_ls *ls0 = assert_ls(&desired, "ls0", 5000);
    assert_flood(ls0, 1, "10.1.0.1");
    assert_n_groups(ls0, 1);
    assert_group(ls0, "01:00:5e:01:02:03", 1, "10.2.0.1");

    cleanup(&desired, &problems);
}
END_TEST

/* A unicast or all-zeros MAC in Mcast_Macs_Remote is a fault too
 * (mcast_mac_invalid): it makes neither a group nor a remote MAC, and the
 * all-zeros MAC does not touch the flood list. */
START_TEST(test_mcast_mac_unicast)
{
    struct dp_state desired;
    struct faults problems;
    struct lab lab;

    lab_init(&lab);
    lab.ls0->replication_mode = S("source_node");
    input_add_mcast(&lab.t, mcast_new("00:00:00:00:00:05", lab.ls0, 1,
                                      vxlan("10.2.0.1")));
    input_add_mcast(&lab.t, mcast_new("02:00:00:00:00:01", lab.ls0, 1,
                                      vxlan("10.2.0.1")));
    input_add_mcast(&lab.t, mcast_new("00:00:00:00:00:00", lab.ls0, 1,
                                      vxlan("10.2.0.1")));
    build(&lab.t.in, &desired, &problems);

    assert_n_problems(&problems, 3);
    assert_problem(&problems, "Mcast_Macs_Remote in ls0: 00:00:00:00:00:05",
                   "is not a multicast MAC address");
    assert_problem(&problems, "Mcast_Macs_Remote in ls0: 02:00:00:00:00:01",
                   "is not a multicast MAC address");
    assert_problem(&problems, "Mcast_Macs_Remote in ls0: 00:00:00:00:00:00",
                   "is not a multicast MAC address");
    assert_switch_status(&problems, "unspecified_fault", "mcast_mac_invalid",
                         NULL);
    struct dp_ls *ls0 = assert_ls(&desired, "ls0", 5000);
    assert_flood(ls0, 1, "10.1.0.1");
    assert_n_groups(ls0, 0);
    ck_assert_uint_eq(hmap_count(&ls0->remote_macs), 1);
    assert_remote(ls0, "00:00:00:00:00:02", "10.1.0.1");

    cleanup(&desired, &problems);
}
END_TEST

/* Returns the suite of all the tests above. */
static Suite *
model_mcast_suite(void)
{
    Suite *s = suite_create("model-mcast");
    TCase *tc = tcase_create("model_mcast");

    tcase_add_test(tc, test_source_node_floods_all);
    tcase_add_test(tc, test_service_node_floods_lowest);
    tcase_add_test(tc, test_service_node_avoids_down_tunnels);
    tcase_add_test(tc, test_several_unknown_dst_rows);
    tcase_add_test(tc, test_mcast_other_macs);
    tcase_add_test(tc, test_mcast_group_source_node);
    tcase_add_test(tc, test_mcast_group_service_node);
    tcase_add_test(tc, test_mcast_group_union);
    tcase_add_test(tc, test_mcast_group_locators);
    tcase_add_test(tc, test_mcast_mac_invalid);
    tcase_add_test(tc, test_mcast_mac_unicast);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return run_suite(model_mcast_suite());
}
