/* test-model-arp.c -- unit tests of the ARP entries that model_build()
 * makes from Ucast_Macs_Remote.ipaddr.
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

/* Asserts that 'ls' has 'n' ARP entries. */
static void
assert_n_arp(const struct dp_ls *ls, size_t n)
{
    ck_assert_uint_eq(hmap_count(&ls->arp_entries), n);
}

/* Asserts that 'ls' answers ARP for 'ip_s' with 'mac_s'. */
static void
assert_arp(const struct dp_ls *ls, const char *ip_s, const char *mac_s)
{
    const struct dp_arp_entry *arp = dp_ls_find_arp(ls, ip(ip_s));

    ck_assert_msg(arp, "no ARP entry for %s", ip_s);
    ck_assert_msg(eth_addr_equals(arp->mac, mac(mac_s)),
                  "ARP entry for %s is "ETH_ADDR_FMT", not %s", ip_s,
                  ETH_ADDR_ARGS(arp->mac), mac_s);
}

/* Without ipaddr there is no ARP entry; with one, there is. */
START_TEST(test_ipaddr_gives_entry)
{
    struct dp_state desired;
    struct faults problems;
    struct lab lab;

    lab_init(&lab);
    build(&lab.t.in, &desired, &problems);
    assert_n_arp(assert_ls(&desired, "ls0", 5000), 0);
    cleanup(&desired, &problems);

    lab_init(&lab);
    lab.ucast->ipaddr = S("192.168.1.2");
    build(&lab.t.in, &desired, &problems);
    assert_no_problems(&problems);
    struct dp_ls *ls0 = assert_ls(&desired, "ls0", 5000);
    assert_n_arp(ls0, 1);
    assert_arp(ls0, "192.168.1.2", "00:00:00:00:00:02");
    cleanup(&desired, &problems);
}
END_TEST

/* An ipaddr that is not a unicast IPv4 address is a fault and gives no
 * entry; the MAC is programmed all the same. */
START_TEST(test_bad_ipaddr)
{
    static const char *const bad[] = {
        "192.168.1.300", "fe80::1", "banana", "0.0.0.0", "224.0.0.1",
        "255.255.255.255",
    };

    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        struct dp_state desired;
        struct faults problems;
        struct lab lab;

        lab_init(&lab);
        lab.ucast->ipaddr = S(bad[i]);
        build(&lab.t.in, &desired, &problems);
        struct dp_ls *ls0 = assert_ls(&desired, "ls0", 5000);
        assert_n_arp(ls0, 0);
        assert_remote(ls0, "00:00:00:00:00:02", "10.1.0.1");
        assert_n_problems(&problems, 1);
        assert_problem(&problems, bad[i], "is not a unicast IPv4 address");
        assert_switch_status(&problems, "unspecified_fault",
                             "remote_ipaddr_invalid", NULL);
        cleanup(&desired, &problems);
    }
}
END_TEST

/* Two MACs with one ipaddr: the lowest MAC answers, whatever the order of
 * the rows, and the switch says so. */
START_TEST(test_ipaddr_conflict)
{
    for (int order = 0; order < 2; order++) {
        struct vteprec_ucast_macs_remote *other;
        struct dp_state desired;
        struct faults problems;
        struct lab lab;

        lab_init(&lab);
        lab.ucast->ipaddr = S("192.168.1.2");
        other = ucast_new(order ? "00:00:00:00:00:01" : "00:00:00:00:00:03",
                          lab.ls0, lab.remote);
        other->ipaddr = S("192.168.1.2");
        input_add_ucast(&lab.t, other);
        build(&lab.t.in, &desired, &problems);

        struct dp_ls *ls0 = assert_ls(&desired, "ls0", 5000);
        assert_n_arp(ls0, 1);
        assert_arp(ls0, "192.168.1.2",
                   order ? "00:00:00:00:00:01" : "00:00:00:00:00:02");
        assert_problem(&problems, "several remote MACs have ipaddr "
                       "192.168.1.2", "the lowest answers ARP");
        assert_switch_status(&problems, "unspecified_fault",
                             "remote_ipaddr_conflict", NULL);
        cleanup(&desired, &problems);
    }
}
END_TEST

/* A MAC left out (here, by the cap on remote MACs) has no ARP entry. */
START_TEST(test_no_entry_for_unprogrammed_mac)
{
    struct vteprec_ucast_macs_remote *other;
    struct dp_state desired;
    struct faults problems;
    struct lab lab;

    lab_init(&lab);
    lab.ucast->ipaddr = S("192.168.1.2");
    other = ucast_new("00:00:00:00:00:09", lab.ls0, lab.remote);
    other->ipaddr = S("192.168.1.9");
    input_add_ucast(&lab.t, other);
    lab.t.in.limits.max_macs_per_ls = 1;
    build(&lab.t.in, &desired, &problems);

    struct dp_ls *ls0 = assert_ls(&desired, "ls0", 5000);
    assert_n_arp(ls0, 1);
    assert_arp(ls0, "192.168.1.2", "00:00:00:00:00:02");
    cleanup(&desired, &problems);
}
END_TEST

/* Returns the suite of all the tests above. */
static Suite *
model_arp_suite(void)
{
    Suite *s = suite_create("model-arp");
    TCase *tc = tcase_create("model_arp");

    tcase_add_test(tc, test_ipaddr_gives_entry);
    tcase_add_test(tc, test_bad_ipaddr);
    tcase_add_test(tc, test_ipaddr_conflict);
    tcase_add_test(tc, test_no_entry_for_unprogrammed_mac);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return run_suite(model_arp_suite());
}
