/* test-model.c -- unit tests of model_build().
 *
 * The hardware_vtep rows are made by hand in memory (zero-initialized IDL
 * structs, as the IDL would fill them in; see model-fixture.h), so no
 * database is involved.  Every test builds the desired dp_state of one
 * physical switch and checks it field by field, together with the problems
 * that model_build() reports. */

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

/* The tests. */

/* The classic lab gives exactly its one LS, binding, remote MAC and flood
 * entry, with the tunnel IP and ageing, and no problems. */
START_TEST(test_classic_lab)
{
    struct dp_state desired;
    struct faults problems;
    struct lab lab;

    lab_init(&lab);
    build(&lab.t.in, &desired, &problems);

    assert_no_problems(&problems);
    ck_assert(desired.tunnel_ip == ip("10.0.0.1"));
    ck_assert_uint_eq(desired.mac_ageing, 300);
    ck_assert_uint_eq(hmap_count(&desired.switches), 1);
    ck_assert_uint_eq(hmap_count(&desired.bindings), 1);
    assert_binding(&desired, "p1", 0, "ls0");

    struct dp_ls *ls0 = assert_ls(&desired, "ls0", 5000);
    ck_assert_uint_eq(hmap_count(&ls0->remote_macs), 1);
    assert_remote(ls0, "00:00:00:00:00:02", "10.1.0.1");
    assert_flood(ls0, 1, "10.1.0.1");
    ck_assert_uint_eq(dp_state_count_remote_macs(&desired), 1);

    cleanup(&desired, &problems);
}
END_TEST

/* Logical switches that no port of this switch binds are left out, and so
 * are their remote MACs and flood lists, even broken ones. */
START_TEST(test_unbound_ls_left_out)
{
    struct dp_state desired;
    struct faults problems;
    struct lab lab;

    lab_init(&lab);
    struct vteprec_logical_switch *ls1 = ls_new("ls1", 5001, "source_node");
    struct vteprec_logical_switch *ls2 = ls_new("ls2", 99999999, NULL);

    /* ls1 is bound on a port of another switch only. */
    struct vteprec_physical_port *other = port_new("p9");
    port_bind(other, 0, ls1);

    input_add_ucast(&lab.t, ucast_new("00:00:00:00:00:03", ls1,
                                      vxlan("10.1.0.3")));
    input_add_ucast(&lab.t, ucast_new("garbage", ls1, vxlan("10.1.0.3")));
    input_add_ucast(&lab.t, ucast_new("00:00:00:00:00:04", ls2,
                                      vxlan("not-an-ip")));
    input_add_ucast(&lab.t, ucast_new("00:00:00:00:00:05", NULL,
                                      vxlan("10.1.0.5")));
    input_add_mcast(&lab.t, mcast_new("unknown-dst", ls1, 2,
                                      vxlan("10.1.0.3"),
                                      locator_new("10.1.0.4", "stt")));
    input_add_mcast(&lab.t, mcast_new("unknown-dst", NULL, 1,
                                      vxlan("10.1.0.6")));
    build(&lab.t.in, &desired, &problems);

    assert_no_problems(&problems);
    ck_assert_uint_eq(hmap_count(&desired.switches), 1);
    ck_assert_ptr_null(dp_state_find_ls(&desired, "ls1"));
    ck_assert_ptr_null(dp_state_find_ls(&desired, "ls2"));
    ck_assert_uint_eq(hmap_count(&desired.bindings), 1);
    ck_assert_ptr_null(dp_state_find_binding(&desired, "p9", 0));

    struct dp_ls *ls0 = assert_ls(&desired, "ls0", 5000);
    ck_assert_uint_eq(dp_state_count_remote_macs(&desired), 1);
    assert_remote(ls0, "00:00:00:00:00:02", "10.1.0.1");
    assert_flood(ls0, 1, "10.1.0.1");

    cleanup(&desired, &problems);
}
END_TEST

/* One port can bind several VLANs, to the same or different logical
 * switches, and a logical switch can be bound on several ports; each
 * logical switch appears once. */
START_TEST(test_several_vlans)
{
    struct dp_state desired;
    struct faults problems;
    struct lab lab;

    lab_init(&lab);
    struct vteprec_logical_switch *ls1 = ls_new("ls1", 5001, NULL);
    port_bind(lab.p1, 10, ls1);
    port_bind(lab.p1, 4095, lab.ls0);
    port_bind(lab.p1, 1, ls1);

    struct vteprec_physical_port *p2 = port_new("p2");
    port_bind(p2, 0, ls1);
    port_bind(p2, 10, lab.ls0);
    ps_add_port(lab.ps, p2);
    ps_add_port(lab.ps, port_new("p3"));
    build(&lab.t.in, &desired, &problems);

    assert_no_problems(&problems);
    ck_assert_uint_eq(hmap_count(&desired.switches), 2);
    assert_ls(&desired, "ls0", 5000);
    struct dp_ls *ls1_dp = assert_ls(&desired, "ls1", 5001);
    ck_assert_uint_eq(hmap_count(&desired.bindings), 6);
    assert_binding(&desired, "p1", 0, "ls0");
    assert_binding(&desired, "p1", 1, "ls1");
    assert_binding(&desired, "p1", 10, "ls1");
    assert_binding(&desired, "p1", 4095, "ls0");
    assert_binding(&desired, "p2", 0, "ls1");
    assert_binding(&desired, "p2", 10, "ls0");

    /* ls1 has no remote rows. */
    ck_assert_uint_eq(hmap_count(&ls1_dp->remote_macs), 0);
    assert_flood(ls1_dp, 0);

    cleanup(&desired, &problems);
}
END_TEST

/* A binding to no logical switch is ignored. */
START_TEST(test_binding_without_ls)
{
    struct dp_state desired;
    struct faults problems;
    struct lab lab;

    lab_init(&lab);
    port_bind(lab.p1, 7, NULL);
    build(&lab.t.in, &desired, &problems);

    assert_no_problems(&problems);
    ck_assert_uint_eq(hmap_count(&desired.bindings), 1);
    ck_assert_ptr_null(dp_state_find_binding(&desired, "p1", 7));

    cleanup(&desired, &problems);
}
END_TEST

/* A logical switch without a tunnel key, or with key 0, gets VNI 0 (no
 * tunnel) without a problem; the largest VNI is accepted as is. */
START_TEST(test_ls_key_none_or_zero)
{
    struct dp_state desired;
    struct faults problems;
    struct lab lab;

    lab_init(&lab);
    port_bind(lab.p1, 1, ls_new("nokey", NO_KEY, NULL));
    port_bind(lab.p1, 2, ls_new("zero", 0, NULL));
    port_bind(lab.p1, 3, ls_new("one", 1, NULL));
    port_bind(lab.p1, 4, ls_new("max", 16777215, NULL));
    build(&lab.t.in, &desired, &problems);

    assert_no_problems(&problems);
    ck_assert_uint_eq(hmap_count(&desired.switches), 5);
    assert_ls(&desired, "nokey", 0);
    assert_ls(&desired, "zero", 0);
    assert_ls(&desired, "one", 1);
    assert_ls(&desired, "max", 16777215);
    assert_binding(&desired, "p1", 1, "nokey");
    assert_binding(&desired, "p1", 2, "zero");

    cleanup(&desired, &problems);
}
END_TEST

/* A tunnel key that is not a 24-bit VNI gives VNI 0 and a problem, but the
 * logical switch and its binding stay. */
START_TEST(test_ls_key_out_of_range)
{
    struct dp_state desired;
    struct faults problems;
    struct lab lab;

    lab_init(&lab);
    port_bind(lab.p1, 1, ls_new("big", 16777216, NULL));
    port_bind(lab.p1, 2, ls_new("neg", -1, NULL));
    port_bind(lab.p1, 3, ls_new("huge", INT64_MAX, NULL));
    build(&lab.t.in, &desired, &problems);

    assert_n_problems(&problems, 3);
    assert_problem(&problems, "big", "16777216");
    assert_problem(&problems, "neg", "-1");
    assert_problem(&problems, "huge", "tunnel_key");
    assert_switch_status(&problems, "unspecified_fault", "tunnel_key_invalid",
                         NULL);
    assert_ls(&desired, "big", 0);
    assert_ls(&desired, "neg", 0);
    assert_ls(&desired, "huge", 0);
    assert_binding(&desired, "p1", 1, "big");
    assert_binding(&desired, "p1", 2, "neg");
    assert_binding(&desired, "p1", 3, "huge");
    assert_ls(&desired, "ls0", 5000);

    cleanup(&desired, &problems);
}
END_TEST

/* A logical switch bound twice with a bad key is reported once. */
START_TEST(test_ls_key_problem_once)
{
    struct dp_state desired;
    struct faults problems;
    struct lab lab;

    lab_init(&lab);
    struct vteprec_logical_switch *big = ls_new("big", 16777216, NULL);
    struct vteprec_physical_port *p2 = port_new("p2");
    port_bind(lab.p1, 1, big);
    port_bind(p2, 1, big);
    ps_add_port(lab.ps, p2);
    build(&lab.t.in, &desired, &problems);

    assert_n_problems(&problems, 1);
    assert_problem(&problems, "big", "16777216");
    assert_binding(&desired, "p1", 1, "big");
    assert_binding(&desired, "p2", 1, "big");

    cleanup(&desired, &problems);
}
END_TEST

/* A VLAN outside 0 to 4095 gives a problem and its binding is skipped; a
 * logical switch bound only that way is left out. */
START_TEST(test_vlan_out_of_range)
{
    struct dp_state desired;
    struct faults problems;
    struct lab lab;

    lab_init(&lab);
    struct vteprec_logical_switch *ls1 = ls_new("ls1", 5001, NULL);
    port_bind(lab.p1, 4096, ls1);
    port_bind(lab.p1, -1, ls1);
    port_bind(lab.p1, 5, lab.ls0);
    input_add_ucast(&lab.t, ucast_new("00:00:00:00:00:03", ls1,
                                      vxlan("10.1.0.3")));
    build(&lab.t.in, &desired, &problems);

    assert_n_problems(&problems, 2);
    assert_problem(&problems, "p1", "4096");
    assert_problem(&problems, "p1", "-1");
    assert_port_status(&problems, "p1", "invalid_vlan_map", "vlan_invalid",
                       NULL);
    assert_switch_status(&problems, NULL);
    ck_assert_uint_eq(hmap_count(&desired.switches), 1);
    ck_assert_ptr_null(dp_state_find_ls(&desired, "ls1"));
    ck_assert_uint_eq(hmap_count(&desired.bindings), 2);
    assert_binding(&desired, "p1", 0, "ls0");
    assert_binding(&desired, "p1", 5, "ls0");
    ck_assert_uint_eq(dp_state_count_remote_macs(&desired), 1);

    cleanup(&desired, &problems);
}
END_TEST

/* A Ucast_Macs_Remote row whose MAC does not parse gives a problem and is
 * skipped; the other rows are kept.  Upper case MACs are fine. */
START_TEST(test_malformed_mac)
{
    struct dp_state desired;
    struct faults problems;
    struct lab lab;

    lab_init(&lab);
    input_add_ucast(&lab.t, ucast_new("not-a-mac", lab.ls0, lab.remote));
    input_add_ucast(&lab.t, ucast_new("00:00:00:00:00:03:04", lab.ls0,
                                      lab.remote));
    input_add_ucast(&lab.t, ucast_new("", lab.ls0, lab.remote));
    input_add_ucast(&lab.t, ucast_new("00:00:00:00:00:0A", lab.ls0,
                                      vxlan("10.1.0.2")));
    build(&lab.t.in, &desired, &problems);

    assert_n_problems(&problems, 3);
    assert_problem(&problems, "\"not-a-mac\"", "ls0");
    assert_problem(&problems, "\"00:00:00:00:00:03:04\"", "ls0");
    assert_problem(&problems, "\"\"", "ls0");
    assert_switch_status(&problems, "unspecified_fault", "remote_mac_invalid",
                         NULL);

    struct dp_ls *ls0 = assert_ls(&desired, "ls0", 5000);
    ck_assert_uint_eq(hmap_count(&ls0->remote_macs), 2);
    assert_remote(ls0, "00:00:00:00:00:02", "10.1.0.1");
    assert_remote(ls0, "00:00:00:00:00:0a", "10.1.0.2");
    assert_flood(ls0, 1, "10.1.0.1");

    cleanup(&desired, &problems);
}
END_TEST

/* A locator whose dst_ip is not a usable IPv4 address gives a problem, and
 * the remote MAC or flood entry is skipped. */
START_TEST(test_malformed_locator_ip)
{
    struct dp_state desired;
    struct faults problems;
    struct lab lab;

    lab_init(&lab);
    input_add_ucast(&lab.t, ucast_new("00:00:00:00:00:03", lab.ls0,
                                      vxlan("10.1.0")));
    input_add_ucast(&lab.t, ucast_new("00:00:00:00:00:04", lab.ls0,
                                      vxlan("fe80::1")));
    input_add_ucast(&lab.t, ucast_new("00:00:00:00:00:05", lab.ls0,
                                      vxlan("0.0.0.0")));
    input_add_ucast(&lab.t, ucast_new("00:00:00:00:00:06", lab.ls0, NULL));
    input_add_mcast(&lab.t, mcast_new("unknown-dst", lab.ls0, 1,
                                      vxlan("256.1.1.1")));
    build(&lab.t.in, &desired, &problems);

    assert_n_problems(&problems, 5);
    assert_problem(&problems, "00:00:00:00:00:03", "\"10.1.0\"");
    assert_problem(&problems, "00:00:00:00:00:04", "\"fe80::1\"");
    assert_problem(&problems, "00:00:00:00:00:05", "\"0.0.0.0\"");
    assert_problem(&problems, "00:00:00:00:00:06", "no locator");
    assert_problem(&problems, "unknown-dst", "\"256.1.1.1\"");
    assert_switch_status(&problems, "unspecified_fault", "locator_ip_invalid",
                         "locator_missing", NULL);

    struct dp_ls *ls0 = assert_ls(&desired, "ls0", 5000);
    ck_assert_uint_eq(hmap_count(&ls0->remote_macs), 1);
    assert_remote(ls0, "00:00:00:00:00:02", "10.1.0.1");
    assert_flood(ls0, 1, "10.1.0.1");

    cleanup(&desired, &problems);
}
END_TEST

/* A locator with another encapsulation than vxlan_over_ipv4 gives a
 * problem, and the remote MAC or flood entry is skipped. */
START_TEST(test_non_vxlan_encap)
{
    struct dp_state desired;
    struct faults problems;
    struct lab lab;

    lab_init(&lab);
    struct vteprec_logical_switch *ls1 = ls_new("ls1", 5001, "source_node");
    port_bind(lab.p1, 1, ls1);
    input_add_ucast(&lab.t, ucast_new("00:00:00:00:00:03", lab.ls0,
                                      locator_new("10.1.0.3", "stt")));
    input_add_mcast(&lab.t, mcast_new("unknown-dst", ls1, 2,
                                      locator_new("10.1.0.4", "gre"),
                                      vxlan("10.1.0.5")));
    build(&lab.t.in, &desired, &problems);

    assert_n_problems(&problems, 2);
    assert_problem(&problems, "00:00:00:00:00:03", "\"stt\"");
    assert_problem(&problems, "10.1.0.4", "\"gre\"");
    assert_switch_status(&problems, "unspecified_fault",
                         "encapsulation_unsupported", NULL);

    struct dp_ls *ls0 = assert_ls(&desired, "ls0", 5000);
    ck_assert_uint_eq(hmap_count(&ls0->remote_macs), 1);
    struct dp_ls *ls1_dp = assert_ls(&desired, "ls1", 5001);
    assert_flood(ls1_dp, 1, "10.1.0.5");

    cleanup(&desired, &problems);
}
END_TEST

/* A locator equal to the switch's own tunnel IP is skipped silently, for
 * remote MACs and for flood lists in both replication modes. */
START_TEST(test_own_tunnel_ip_skipped)
{
    struct dp_state desired;
    struct faults problems;
    struct lab lab;

    lab_init(&lab);
    struct vteprec_logical_switch *ls1 = ls_new("ls1", 5001, "source_node");
    struct vteprec_logical_switch *ls2 = ls_new("ls2", 5002, NULL);
    struct vteprec_physical_locator *self = vxlan("10.0.0.1");
    port_bind(lab.p1, 1, ls1);
    port_bind(lab.p1, 2, ls2);
    input_add_ucast(&lab.t, ucast_new("00:00:00:00:00:03", lab.ls0, self));
    input_add_mcast(&lab.t, mcast_new("unknown-dst", ls1, 2, self,
                                      vxlan("10.1.0.9")));
    input_add_mcast(&lab.t, mcast_new("unknown-dst", ls2, 2, self,
                                      vxlan("10.1.0.9")));
    build(&lab.t.in, &desired, &problems);

    assert_no_problems(&problems);
    struct dp_ls *ls0 = assert_ls(&desired, "ls0", 5000);
    ck_assert_uint_eq(hmap_count(&ls0->remote_macs), 1);
    ck_assert_ptr_null(dp_ls_find_remote_mac(ls0, mac("00:00:00:00:00:03")));
    assert_flood(assert_ls(&desired, "ls1", 5001), 1, "10.1.0.9");
    assert_flood(assert_ls(&desired, "ls2", 5002), 1, "10.1.0.9");

    cleanup(&desired, &problems);
}
END_TEST

/* A flood list made only of the own tunnel IP is empty. */
START_TEST(test_own_tunnel_ip_only)
{
    struct dp_state desired;
    struct faults problems;
    struct lab lab;

    lab_init(&lab);
    lab.mcast->locator_set->locators[0] = vxlan("10.0.0.1");
    build(&lab.t.in, &desired, &problems);

    assert_no_problems(&problems);
    assert_flood(assert_ls(&desired, "ls0", 5000), 0);

    cleanup(&desired, &problems);
}
END_TEST

/* Without exactly one IPv4 tunnel IP the tunnel IP is 0, with a problem;
 * the rest of the state is still built. */
START_TEST(test_tunnel_ip_problems)
{
    static const char *const cases[][2] = {
        { NULL, NULL },                 /* No tunnel IP. */
        { "10.0.0.1", "10.0.0.2" },     /* Two. */
        { "fd00::1", NULL },            /* IPv6. */
        { "0.0.0.0", NULL },            /* Unspecified. */
        { "10.0.0", NULL },             /* Malformed. */
    };
    static const char *const words[] = {
        "0 tunnel IPs", "2 tunnel IPs", "\"fd00::1\"", "\"0.0.0.0\"",
        "\"10.0.0\"",
    };
    static const char *const codes[] = {
        "tunnel_ip_missing", "tunnel_ip_multiple", "tunnel_ip_invalid",
        "tunnel_ip_invalid", "tunnel_ip_invalid",
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct dp_state desired;
        struct faults problems;
        struct lab lab;

        lab_init(&lab);
        lab.ps->n_tunnel_ips = 0;
        for (size_t j = 0; j < 2; j++) {
            if (cases[i][j]) {
                ps_add_tunnel_ip(lab.ps, cases[i][j]);
            }
        }
        build(&lab.t.in, &desired, &problems);

        assert_n_problems(&problems, 1);
        assert_problem(&problems, "sw0", words[i]);
        assert_switch_status(&problems, "unspecified_fault", codes[i], NULL);
        ck_assert(desired.tunnel_ip == 0);
        ck_assert_uint_eq(desired.mac_ageing, 300);
        assert_binding(&desired, "p1", 0, "ls0");
        struct dp_ls *ls0 = assert_ls(&desired, "ls0", 5000);
        assert_remote(ls0, "00:00:00:00:00:02", "10.1.0.1");
        assert_flood(ls0, 1, "10.1.0.1");

        cleanup(&desired, &problems);
    }
}
END_TEST

/* model_parse_tunnel_ip() on its own. */
START_TEST(test_parse_tunnel_ip)
{
    struct vteprec_physical_switch *ps = ps_new("sw0");
    struct faults problems;
    ovs_be32 addr;

    faults_init(&problems);
    ps_add_tunnel_ip(ps, "192.0.2.7");
    ck_assert(model_parse_tunnel_ip(ps, &addr, &problems));
    ck_assert(addr == ip("192.0.2.7"));
    assert_no_problems(&problems);

    ps->tunnel_ips[0] = S("2001:db8::7");
    ck_assert(!model_parse_tunnel_ip(ps, &addr, &problems));
    ck_assert(addr == 0);
    assert_problem(&problems, "sw0", "2001:db8::7");
    assert_switch_status(&problems, "unspecified_fault", "tunnel_ip_invalid",
                         NULL);

    faults_destroy(&problems);
    rows_free();
}
END_TEST

/* Without a Physical_Switch row the state is empty, apart from the
 * ageing time, and there is no problem. */
START_TEST(test_no_ps)
{
    struct dp_state desired;
    struct faults problems;
    struct lab lab;

    lab_init(&lab);
    lab.t.in.ps = NULL;
    build(&lab.t.in, &desired, &problems);

    assert_no_problems(&problems);
    ck_assert(desired.tunnel_ip == 0);
    ck_assert_uint_eq(desired.mac_ageing, 300);
    ck_assert(hmap_is_empty(&desired.switches));
    ck_assert(hmap_is_empty(&desired.bindings));

    cleanup(&desired, &problems);
}
END_TEST

/* Nothing at all gives an empty state. */
START_TEST(test_empty_input)
{
    struct dp_state desired;
    struct faults problems;
    struct test_input t;

    input_init(&t, NULL, 0);
    build(&t.in, &desired, &problems);

    assert_no_problems(&problems);
    ck_assert(desired.tunnel_ip == 0);
    ck_assert_uint_eq(desired.mac_ageing, 0);
    ck_assert(hmap_is_empty(&desired.switches));
    ck_assert(hmap_is_empty(&desired.bindings));

    cleanup(&desired, &problems);
}
END_TEST

/* A remote MAC listed twice in one logical switch with different locators
 * goes to the lowest IP, whatever the row order, with one problem. */
START_TEST(test_duplicate_ucast)
{
    for (int order = 0; order < 2; order++) {
        struct dp_state desired;
        struct faults problems;
        struct lab lab;

        lab_init(&lab);
        struct vteprec_ucast_macs_remote *high
            = ucast_new("00:00:00:00:00:03", lab.ls0, vxlan("10.1.0.20"));
        struct vteprec_ucast_macs_remote *low
            = ucast_new("00:00:00:00:00:03", lab.ls0, vxlan("10.1.0.3"));
        struct vteprec_ucast_macs_remote *mid
            = ucast_new("00:00:00:00:00:03", lab.ls0, vxlan("10.1.0.9"));
        input_add_ucast(&lab.t, order ? low : high);
        input_add_ucast(&lab.t, mid);
        input_add_ucast(&lab.t, order ? high : low);
        build(&lab.t.in, &desired, &problems);

        assert_n_problems(&problems, 1);
        assert_problem(&problems, "00:00:00:00:00:03", "ls0");
        assert_switch_status(&problems, "unspecified_fault",
                             "remote_mac_conflict", NULL);
        struct dp_ls *ls0 = assert_ls(&desired, "ls0", 5000);
        ck_assert_uint_eq(hmap_count(&ls0->remote_macs), 2);
        assert_remote(ls0, "00:00:00:00:00:03", "10.1.0.3");
        assert_remote(ls0, "00:00:00:00:00:02", "10.1.0.1");

        cleanup(&desired, &problems);
    }
}
END_TEST

/* The same remote MAC twice with the same locator, or in two logical
 * switches, is no problem. */
START_TEST(test_duplicate_ucast_harmless)
{
    struct dp_state desired;
    struct faults problems;
    struct lab lab;

    lab_init(&lab);
    struct vteprec_logical_switch *ls1 = ls_new("ls1", 5001, NULL);
    port_bind(lab.p1, 1, ls1);
    input_add_ucast(&lab.t, ucast_new("00:00:00:00:00:02", lab.ls0,
                                      vxlan("10.1.0.1")));
    input_add_ucast(&lab.t, ucast_new("00:00:00:00:00:02", ls1,
                                      vxlan("10.1.0.2")));
    build(&lab.t.in, &desired, &problems);

    assert_no_problems(&problems);
    struct dp_ls *ls0 = assert_ls(&desired, "ls0", 5000);
    ck_assert_uint_eq(hmap_count(&ls0->remote_macs), 1);
    assert_remote(ls0, "00:00:00:00:00:02", "10.1.0.1");
    struct dp_ls *ls1_dp = assert_ls(&desired, "ls1", 5001);
    ck_assert_uint_eq(hmap_count(&ls1_dp->remote_macs), 1);
    assert_remote(ls1_dp, "00:00:00:00:00:02", "10.1.0.2");

    cleanup(&desired, &problems);
}
END_TEST

/* The MAC ageing time is copied as is, 0 included. */
START_TEST(test_mac_ageing_copied)
{
    static const unsigned int ageings[] = { 0, 1, 300, 1000000 };

    for (size_t i = 0; i < ARRAY_SIZE(ageings); i++) {
        struct dp_state desired;
        struct faults problems;
        struct lab lab;

        lab_init(&lab);
        lab.t.in.mac_ageing = ageings[i];
        build(&lab.t.in, &desired, &problems);

        assert_no_problems(&problems);
        ck_assert_uint_eq(desired.mac_ageing, ageings[i]);

        cleanup(&desired, &problems);
    }
}
END_TEST

/* Problems come out sorted and without duplicates. */
START_TEST(test_problems_sorted_unique)
{
    struct dp_state desired;
    struct faults problems;
    struct lab lab;

    lab_init(&lab);
    lab.ps->n_tunnel_ips = 0;
    input_add_ucast(&lab.t, ucast_new("zz", lab.ls0, lab.remote));
    input_add_ucast(&lab.t, ucast_new("zz", lab.ls0, lab.remote));
    input_add_ucast(&lab.t, ucast_new("aa", lab.ls0, lab.remote));
    build(&lab.t.in, &desired, &problems);

    assert_n_problems(&problems, 3);
    for (size_t i = 1; i < problems.messages.n; i++) {
        ck_assert_int_lt(strcmp(problems.messages.names[i - 1], problems.messages.names[i]),
                         0);
    }

    cleanup(&desired, &problems);
}
END_TEST

/* Zero and multicast MACs in Ucast_Macs_Remote are not unicast: each gives
 * a problem and is skipped (a zero MAC would clash with the flood list). */
START_TEST(test_non_unicast_mac)
{
    struct dp_state desired;
    struct faults problems;
    struct lab lab;

    lab_init(&lab);
    input_add_ucast(&lab.t, ucast_new("00:00:00:00:00:00", lab.ls0,
                                      lab.remote));
    input_add_ucast(&lab.t, ucast_new("ff:ff:ff:ff:ff:ff", lab.ls0,
                                      lab.remote));
    input_add_ucast(&lab.t, ucast_new("01:00:5e:00:00:01", lab.ls0,
                                      lab.remote));
    build(&lab.t.in, &desired, &problems);

    assert_n_problems(&problems, 3);
    assert_problem(&problems, "00:00:00:00:00:00", "not a unicast MAC");
    assert_problem(&problems, "ff:ff:ff:ff:ff:ff", "not a unicast MAC");
    assert_problem(&problems, "01:00:5e:00:00:01", "not a unicast MAC");

    struct dp_ls *ls0 = assert_ls(&desired, "ls0", 5000);
    ck_assert_uint_eq(hmap_count(&ls0->remote_macs), 1);
    assert_remote(ls0, "00:00:00:00:00:02", "10.1.0.1");

    cleanup(&desired, &problems);
}
END_TEST

/* Multicast and broadcast locator or tunnel IPs are not unicast. */
START_TEST(test_non_unicast_ips)
{
    struct dp_state desired;
    struct faults problems;
    struct lab lab;

    lab_init(&lab);
    input_add_ucast(&lab.t, ucast_new("00:00:00:00:00:03", lab.ls0,
                                      vxlan("239.1.1.1")));
    input_add_ucast(&lab.t, ucast_new("00:00:00:00:00:04", lab.ls0,
                                      vxlan("255.255.255.255")));
    build(&lab.t.in, &desired, &problems);

    assert_n_problems(&problems, 2);
    assert_problem(&problems, "00:00:00:00:00:03", "\"239.1.1.1\"");
    assert_problem(&problems, "00:00:00:00:00:04", "\"255.255.255.255\"");
    struct dp_ls *ls0 = assert_ls(&desired, "ls0", 5000);
    ck_assert_uint_eq(hmap_count(&ls0->remote_macs), 1);
    cleanup(&desired, &problems);

    lab_init(&lab);
    lab.ps->tunnel_ips[0] = S("224.0.0.1");
    build(&lab.t.in, &desired, &problems);
    ck_assert(!desired.tunnel_ip);
    assert_problem(&problems, "\"224.0.0.1\"", "not a unicast IPv4");
    cleanup(&desired, &problems);
}
END_TEST

/* Two bound logical switches with the same tunnel_key: the one whose name
 * sorts first keeps it, the other gets no tunnel, and a problem says so,
 * whatever the order of the rows. */
START_TEST(test_duplicate_vni)
{
    for (int order = 0; order < 2; order++) {
        struct dp_state desired;
        struct faults problems;
        struct lab lab;

        lab_init(&lab);
        struct vteprec_logical_switch *lsa = ls_new("lsa", 7000, NULL);
        struct vteprec_logical_switch *lsz = ls_new("lsz", 7000, NULL);
        struct vteprec_physical_port *p2 = port_new("p2");
        port_bind(p2, 0, order ? lsz : lsa);
        port_bind(p2, 10, order ? lsa : lsz);
        ps_add_port(lab.ps, p2);
        build(&lab.t.in, &desired, &problems);

        assert_n_problems(&problems, 1);
        assert_problem(&problems, "Logical_Switch lsz has tunnel_key 7000",
                       "which lsa has too");
        assert_switch_status(&problems, "unspecified_fault",
                             "tunnel_key_conflict", NULL);
        assert_ls(&desired, "lsa", 7000);
        assert_ls(&desired, "lsz", 0);
        assert_ls(&desired, "ls0", 5000);
        cleanup(&desired, &problems);
    }
}
END_TEST

/* Two Physical_Port rows of the same name binding the same VLAN: the
 * binding to the logical switch whose name sorts first is kept and a
 * problem names the port. */
START_TEST(test_duplicate_binding)
{
    struct dp_state desired;
    struct faults problems;
    struct lab lab;

    lab_init(&lab);
    struct vteprec_logical_switch *ls1 = ls_new("ls1", 5001, NULL);
    struct vteprec_physical_port *twin = port_new("p1");
    port_bind(twin, 0, ls1);
    ps_add_port(lab.ps, twin);
    build(&lab.t.in, &desired, &problems);

    assert_n_problems(&problems, 1);
    assert_problem(&problems, "Physical_Port p1: VLAN 0 is bound twice",
                   "keeping the binding to ls0");
    assert_port_status(&problems, "p1", "invalid_vlan_map", "vlan_conflict",
                       NULL);
    ck_assert_uint_eq(hmap_count(&desired.bindings), 1);
    ck_assert_ptr_null(dp_state_find_ls(&desired, "ls1"));
    cleanup(&desired, &problems);
}
END_TEST

/* Strings that scanf("%hhx:...") would take for a MAC address, with signs,
 * "0x", spaces or a group that overflows a byte, are not MAC addresses:
 * each gives a problem and is skipped, in Ucast_Macs_Remote and in
 * Mcast_Macs_Remote.  One hexadecimal digit per group, in either case, is
 * fine. */
START_TEST(test_lenient_macs_refused)
{
    static const char *const bad[] = {
        "00:00:00:00:00:101", "00:00:00:00:00:+1", " 00:00:00:00:00:01",
        "00:00:00:00:00:0x1", "00:00:00:00:00:-255", "0x0:0:0:0:0:1",
        "00:00:00:00:00:01 ", "00:00:00:00:00:", ":00:00:00:00:00",
        "00:00:00:00:00:001",
    };
    struct dp_state desired;
    struct faults problems;
    struct lab lab;

    lab_init(&lab);
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        struct eth_addr ea;

        ck_assert_msg(!model_parse_mac(bad[i], &ea), "took \"%s\"", bad[i]);
        ck_assert(eth_addr_is_zero(ea));
        input_add_ucast(&lab.t, ucast_new(bad[i], lab.ls0, lab.remote));
    }
    input_add_ucast(&lab.t, ucast_new("0:0:0:0:0:3", lab.ls0, lab.remote));
    input_add_ucast(&lab.t, ucast_new("00:00:00:00:0a:0B", lab.ls0,
                                      lab.remote));
    input_add_mcast(&lab.t, mcast_new("01:00:5e:00:00:+1", lab.ls0, 1,
                                      lab.remote));
    build(&lab.t.in, &desired, &problems);

    assert_n_problems(&problems, ARRAY_SIZE(bad) + 1);
    assert_problem(&problems, "\"00:00:00:00:00:101\" is not a MAC", "ls0");
    assert_problem(&problems, "Mcast_Macs_Remote in ls0",
                   "\"01:00:5e:00:00:+1\" is not a MAC");
    assert_switch_status(&problems, "mcast_mac_invalid", "remote_mac_invalid",
                         "unspecified_fault", NULL);

    struct dp_ls *ls0 = assert_ls(&desired, "ls0", 5000);
    ck_assert_uint_eq(hmap_count(&ls0->remote_macs), 3);
    assert_remote(ls0, "00:00:00:00:00:02", "10.1.0.1");
    assert_remote(ls0, "00:00:00:00:00:03", "10.1.0.1");
    assert_remote(ls0, "00:00:00:00:0a:0b", "10.1.0.1");
    assert_n_groups(ls0, 0);

    cleanup(&desired, &problems);
}
END_TEST

/* A problem that quotes a string with control characters escapes them, so
 * that it stays one line (and cannot forge another in the log). */
START_TEST(test_problem_escaped)
{
    struct dp_state desired;
    struct faults problems;
    struct lab lab;

    lab_init(&lab);
    input_add_ucast(&lab.t, ucast_new("a\nb\tc\\d\x01", lab.ls0,
                                      lab.remote));
    build(&lab.t.in, &desired, &problems);

    assert_n_problems(&problems, 1);
    ck_assert_str_eq(problems.messages.names[0],
                     "Ucast_Macs_Remote in ls0: \"a\\nb\\tc\\\\d\\x01\" is "
                     "not a MAC address");

    cleanup(&desired, &problems);
}
END_TEST

/* Physical_Port rows named p1 binding VLAN 0 to other logical switches,
 * before or after the one that binds it to ls0: ls0 sorts first and keeps
 * the binding, whatever the order of the rows, and the others are left
 * out; "aa" sorts before ls0 and takes it. */
START_TEST(test_duplicate_binding_order)
{
    for (int order = 0; order < 2; order++) {
        struct dp_state desired;
        struct faults problems;
        struct lab lab;

        lab_init(&lab);
        struct vteprec_physical_port *twin1 = port_new("p1");
        struct vteprec_physical_port *twin2 = port_new("p1");
        port_bind(twin1, 0, ls_new("ls1", 5001, NULL));
        port_bind(twin2, 0, ls_new("ls0-hijack", 5002, NULL));
        lab.ps->n_ports = 0;
        if (order) {
            ps_add_port(lab.ps, twin1);
            ps_add_port(lab.ps, twin2);
            ps_add_port(lab.ps, lab.p1);
        } else {
            ps_add_port(lab.ps, lab.p1);
            ps_add_port(lab.ps, twin2);
            ps_add_port(lab.ps, twin1);
        }
        build(&lab.t.in, &desired, &problems);

        assert_n_problems(&problems, 1);
        assert_problem(&problems, "Physical_Port p1: VLAN 0 is bound twice",
                       "keeping the binding to ls0");
        assert_port_status(&problems, "p1", "invalid_vlan_map",
                           "vlan_conflict", NULL);
        ck_assert_uint_eq(hmap_count(&desired.bindings), 1);
        assert_binding(&desired, "p1", 0, "ls0");
        ck_assert_uint_eq(hmap_count(&desired.switches), 1);
        assert_ls(&desired, "ls0", 5000);
        cleanup(&desired, &problems);

        lab_init(&lab);
        struct vteprec_physical_port *twin = port_new("p1");
        port_bind(twin, 0, ls_new("aa", 5003, NULL));
        if (order) {
            lab.ps->n_ports = 0;
            ps_add_port(lab.ps, twin);
            ps_add_port(lab.ps, lab.p1);
        } else {
            ps_add_port(lab.ps, twin);
        }
        build(&lab.t.in, &desired, &problems);

        assert_problem(&problems, "Physical_Port p1: VLAN 0 is bound twice",
                       "keeping the binding to aa");
        assert_binding(&desired, "p1", 0, "aa");
        ck_assert_uint_eq(hmap_count(&desired.switches), 1);
        assert_ls(&desired, "aa", 5003);
        cleanup(&desired, &problems);
    }
}
END_TEST

/* Four bound logical switches with one tunnel_key: the one whose name
 * sorts first keeps it, and the problem of each other names that one,
 * whatever the order of the rows. */
START_TEST(test_duplicate_vni_many)
{
    static const char *const names[] = { "lsm", "lsa", "lsz", "lsb" };

    for (int order = 0; order < 4; order++) {
        struct dp_state desired;
        struct faults problems;
        struct lab lab;

        lab_init(&lab);
        struct vteprec_physical_port *p2 = port_new("p2");
        for (int i = 0; i < 4; i++) {
            port_bind(p2, 10 + i,
                      ls_new(names[(i + order) % 4], 7000, NULL));
        }
        ps_add_port(lab.ps, p2);
        build(&lab.t.in, &desired, &problems);

        assert_n_problems(&problems, 3);
        assert_problem(&problems, "Logical_Switch lsb has tunnel_key 7000",
                       "which lsa has too");
        assert_problem(&problems, "Logical_Switch lsm has tunnel_key 7000",
                       "which lsa has too");
        assert_problem(&problems, "Logical_Switch lsz has tunnel_key 7000",
                       "which lsa has too");
        assert_ls(&desired, "lsa", 7000);
        assert_ls(&desired, "lsb", 0);
        assert_ls(&desired, "lsm", 0);
        assert_ls(&desired, "lsz", 0);
        cleanup(&desired, &problems);
    }
}
END_TEST

/* Returns the suite of all the tests above. */
static Suite *
model_suite(void)
{
    Suite *s = suite_create("model");
    TCase *tc = tcase_create("model_build");

    tcase_add_test(tc, test_classic_lab);
    tcase_add_test(tc, test_unbound_ls_left_out);
    tcase_add_test(tc, test_several_vlans);
    tcase_add_test(tc, test_binding_without_ls);
    tcase_add_test(tc, test_ls_key_none_or_zero);
    tcase_add_test(tc, test_ls_key_out_of_range);
    tcase_add_test(tc, test_ls_key_problem_once);
    tcase_add_test(tc, test_vlan_out_of_range);
    tcase_add_test(tc, test_malformed_mac);
    tcase_add_test(tc, test_malformed_locator_ip);
    tcase_add_test(tc, test_non_vxlan_encap);
    tcase_add_test(tc, test_own_tunnel_ip_skipped);
    tcase_add_test(tc, test_own_tunnel_ip_only);
    tcase_add_test(tc, test_tunnel_ip_problems);
    tcase_add_test(tc, test_parse_tunnel_ip);
    tcase_add_test(tc, test_no_ps);
    tcase_add_test(tc, test_empty_input);
    tcase_add_test(tc, test_non_unicast_mac);
    tcase_add_test(tc, test_non_unicast_ips);
    tcase_add_test(tc, test_duplicate_vni);
    tcase_add_test(tc, test_duplicate_binding);
    tcase_add_test(tc, test_duplicate_ucast);
    tcase_add_test(tc, test_duplicate_ucast_harmless);
    tcase_add_test(tc, test_mac_ageing_copied);
    tcase_add_test(tc, test_problems_sorted_unique);
    tcase_add_test(tc, test_lenient_macs_refused);
    tcase_add_test(tc, test_problem_escaped);
    tcase_add_test(tc, test_duplicate_binding_order);
    tcase_add_test(tc, test_duplicate_vni_many);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return run_suite(model_suite());
}
