/* test-model-limits.c -- unit tests of the caps on MACs in model_build()
 * (struct model_limits).
 *
 * Rows are made by hand in memory, as in test-model.c (see
 * model-fixture.h). */

#include <config.h>

#include <check.h>

#include "model.h"

#include <stdlib.h>

#include "dp-state.h"
#include "model-fixture.h"
#include "packets.h"
#include "util.h"
#include "vtep-idl.h"

/* Adds to 'lab' logical switch "ls1" (key 5001), bound to VLAN 1 of p1, and
 * Ucast_Macs_Remote rows 00:00:00:00:01:0N for N in 1..'n' (at most 5) in
 * ls1 behind 10.1.0.1, added in decreasing order.  Returns ls1. */
static struct vteprec_logical_switch *
add_ls1_macs(struct lab *lab, int n)
{
    static const char *const macs[] = {
        "00:00:00:00:01:01", "00:00:00:00:01:02", "00:00:00:00:01:03",
        "00:00:00:00:01:04", "00:00:00:00:01:05",
    };
    struct vteprec_logical_switch *ls1 = ls_new("ls1", 5001, NULL);

    ovs_assert(n <= ARRAY_SIZE(macs));
    port_bind(lab->p1, 1, ls1);
    for (int i = n - 1; i >= 0; i--) {
        input_add_ucast(&lab->t, ucast_new(macs[i], ls1, lab->remote));
    }
    return ls1;
}

/* Without caps, every MAC is programmed and nothing is a fault. */
START_TEST(test_no_limits)
{
    struct dp_state desired;
    struct faults problems;
    struct lab lab;

    lab_init(&lab);
    add_ls1_macs(&lab, 5);
    build(&lab.t.in, &desired, &problems);

    assert_no_problems(&problems);
    ck_assert_uint_eq(dp_state_count_remote_macs(&desired), 6);
    cleanup(&desired, &problems);
}
END_TEST

/* A cap per logical switch keeps the lowest MACs of a switch that has more,
 * whatever the order of the rows, leaves the others alone, and is a
 * mac_table_exhaustion fault. */
START_TEST(test_limit_per_ls)
{
    struct dp_state desired;
    struct faults problems;
    struct lab lab;

    lab_init(&lab);
    add_ls1_macs(&lab, 5);
    lab.t.in.limits.max_macs_per_ls = 3;
    build(&lab.t.in, &desired, &problems);

    struct dp_ls *ls1 = assert_ls(&desired, "ls1", 5001);
    ck_assert_uint_eq(hmap_count(&ls1->remote_macs), 3);
    assert_remote(ls1, "00:00:00:00:01:01", "10.1.0.1");
    assert_remote(ls1, "00:00:00:00:01:02", "10.1.0.1");
    assert_remote(ls1, "00:00:00:00:01:03", "10.1.0.1");
    struct dp_ls *ls0 = assert_ls(&desired, "ls0", 5000);
    assert_remote(ls0, "00:00:00:00:00:02", "10.1.0.1");

    assert_n_problems(&problems, 1);
    assert_problem(&problems, "Logical_Switch ls1 has 5 remote MACs",
                   "limit of 3 per logical switch");
    assert_switch_status(&problems, "mac_table_exhaustion",
                         "remote_mac_limit", NULL);
    cleanup(&desired, &problems);
}
END_TEST

/* A cap on all MACs keeps the lowest by logical switch name, then MAC. */
START_TEST(test_limit_total)
{
    struct dp_state desired;
    struct faults problems;
    struct lab lab;

    lab_init(&lab);
    add_ls1_macs(&lab, 5);
    lab.t.in.limits.max_macs = 4;
    build(&lab.t.in, &desired, &problems);

    ck_assert_uint_eq(dp_state_count_remote_macs(&desired), 4);
    struct dp_ls *ls0 = assert_ls(&desired, "ls0", 5000);
    assert_remote(ls0, "00:00:00:00:00:02", "10.1.0.1");
    struct dp_ls *ls1 = assert_ls(&desired, "ls1", 5001);
    assert_remote(ls1, "00:00:00:00:01:01", "10.1.0.1");
    assert_remote(ls1, "00:00:00:00:01:02", "10.1.0.1");
    assert_remote(ls1, "00:00:00:00:01:03", "10.1.0.1");

    assert_n_problems(&problems, 1);
    assert_problem(&problems, "6 remote MACs", "limit of 4 in all");
    assert_switch_status(&problems, "mac_table_exhaustion",
                         "remote_mac_limit", NULL);
    cleanup(&desired, &problems);
}
END_TEST

/* Exactly at a cap is not past it. */
START_TEST(test_limit_reached_exactly)
{
    struct dp_state desired;
    struct faults problems;
    struct lab lab;

    lab_init(&lab);
    add_ls1_macs(&lab, 5);
    lab.t.in.limits.max_macs_per_ls = 5;
    lab.t.in.limits.max_macs = 6;
    build(&lab.t.in, &desired, &problems);

    assert_no_problems(&problems);
    ck_assert_uint_eq(dp_state_count_remote_macs(&desired), 6);
    cleanup(&desired, &problems);
}
END_TEST

/* The cap on learned MACs goes into the desired datapath as is, whatever
 * the database holds (even no Physical_Switch), and is no fault by
 * itself. */
START_TEST(test_local_mac_limit_copied)
{
    static const unsigned int limits[] = { 0, 1, 3, 1000000 };

    for (size_t i = 0; i < ARRAY_SIZE(limits); i++) {
        struct dp_state desired;
        struct faults problems;
        struct lab lab;

        lab_init(&lab);
        lab.t.in.limits.max_local_macs_per_ls = limits[i];
        build(&lab.t.in, &desired, &problems);
        ck_assert_uint_eq(desired.local_mac_limit, limits[i]);
        assert_no_problems(&problems);
        cleanup(&desired, &problems);

        lab_init(&lab);
        lab.t.in.ps = NULL;
        lab.t.in.limits.max_local_macs_per_ls = limits[i];
        build(&lab.t.in, &desired, &problems);
        ck_assert_uint_eq(desired.local_mac_limit, limits[i]);
        cleanup(&desired, &problems);
    }
}
END_TEST

/* Returns the suite of all the tests above. */
static Suite *
model_limits_suite(void)
{
    Suite *s = suite_create("model-limits");
    TCase *tc = tcase_create("model_limits");

    tcase_add_test(tc, test_no_limits);
    tcase_add_test(tc, test_limit_per_ls);
    tcase_add_test(tc, test_limit_total);
    tcase_add_test(tc, test_limit_reached_exactly);
    tcase_add_test(tc, test_local_mac_limit_copied);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return run_suite(model_limits_suite());
}
