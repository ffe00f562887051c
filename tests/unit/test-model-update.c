/* test-model-update.c -- a property test of model_update_ucast() and
 * reconcile_remote_macs(): over many generated batches of inserted and
 * deleted Ucast_Macs_Remote rows, whenever the incremental update says it
 * holds, the desired state and its faults are what a full model_build() of
 * the rows gives, and the operations it leads to bring a datapath that had
 * the old state to the new one.  When it says it does not, a full build
 * takes over, as in vtepd. */

#include <config.h>

#include <check.h>

#include "model.h"

#include "dp.h"
#include "dp-state.h"
#include "faults.h"
#include "model-fixture.h"
#include "openvswitch/list.h"
#include "reconcile.h"
#include "reconcile-fixture.h"
#include "util.h"
#include "vtep-idl.h"

/* Most rows alive at once. */
#define MAX_ROWS 48

/* MACs that rows draw from: few, so that rows collide, and two that are
 * faults. */
static const char *const gen_macs[] = {
    "00:00:00:00:00:02", "00:00:00:00:00:03", "00:00:00:00:00:04",
    "00:00:00:00:00:05", "02:00:00:00:00:06", "02:00:00:00:00:07",
    "00:00:00:00:00:08", "zz:00:00:00:00:09", "01:00:5e:00:00:01",
};

/* The world of one run: the classic lab, a second bound logical switch, an
 * unbound one, and locators of several kinds. */
struct world {
    struct lab lab;                                  /* ps, ls0, p1. */
    struct vteprec_logical_switch *switches[3];      /* ls0, ls1, ls2. */
    struct vteprec_physical_locator *locators[6];    /* See world_init(). */
    const struct vteprec_ucast_macs_remote *rows[MAX_ROWS]; /* Alive. */
    size_t n_rows;                                   /* In 'rows'. */
    struct model_limits limits;                      /* Caps. */
};

/* Initializes 'w', with a cap of 'per_ls_cap' remote MACs per logical
 * switch (0: none). */
static void
world_init(struct world *w, size_t per_ls_cap)
{
    lab_init(&w->lab);
    w->switches[0] = w->lab.ls0;
    w->switches[1] = ls_new("ls1", 5001, NULL);
    port_bind(w->lab.p1, 10, w->switches[1]);
    w->switches[2] = ls_new("ls2", 5002, NULL);     /* Not bound. */
    w->locators[0] = w->lab.remote;                 /* 10.1.0.1 */
    w->locators[1] = vxlan("10.1.0.2");
    w->locators[2] = vxlan("10.0.9.9");             /* Lower. */
    w->locators[3] = vxlan("10.0.0.1");             /* This switch. */
    w->locators[4] = vxlan_key("10.1.0.3", 7000);   /* A key. */
    w->locators[5] = vxlan("300.1.0.1");            /* A fault. */
    w->rows[0] = w->lab.ucast;
    w->n_rows = 1;
    memset(&w->limits, 0, sizeof w->limits);
    w->limits.max_macs_per_ls = per_ls_cap;
}

/* Builds, as vtepd does, 'desired' and 'faults' (both uninitialized) from
 * the rows alive in 'w'. */
static void
world_build(const struct world *w, struct dp_state *desired,
            struct faults *faults)
{
    struct model_input in = w->lab.t.in;

    in.ucast = CONST_CAST(const struct vteprec_ucast_macs_remote **,
                          w->rows);
    in.n_ucast = w->n_rows;
    in.limits = w->limits;
    dp_state_init(desired);
    faults_init(faults);
    model_build(&in, desired, faults);
}

/* Returns a new row, mostly plain, sometimes one that needs a full
 * build. */
static const struct vteprec_ucast_macs_remote *
gen_row(struct world *w, uint32_t *seed)
{
    const char *mac = gen_macs[lcg_below(seed, lcg_below(seed, 8)
                                         ? 7 : ARRAY_SIZE(gen_macs))];
    struct vteprec_logical_switch *ls = w->switches[lcg_below(seed, 3)];
    struct vteprec_physical_locator *loc
        = w->locators[lcg_below(seed, lcg_below(seed, 4) ? 3 : 6)];
    struct vteprec_ucast_macs_remote *row = ucast_new(mac, ls, loc);

    if (!lcg_below(seed, 12)) {
        row->ipaddr = S("192.168.1.9");
    }
    return row;
}

/* Asserts that 'a' and 'b' are the same datapath, with nothing for
 * reconcile() to do between them either way. */
static void
assert_same_state(const struct dp_state *a, const struct dp_state *b,
                  const char *what, int round)
{
    struct ovs_list ops;

    ovs_list_init(&ops);
    reconcile(a, b, &ops);
    ck_assert_msg(ovs_list_is_empty(&ops), "round %d: %s differs:\n%s",
                  round, what, ops_to_string(&ops));
    dp_ops_destroy(&ops);
    ck_assert_msg(states_equal(a, b, true), "round %d: %s differs", round,
                  what);
}

/* Runs 'rounds' batches of up to 3 changes from 'seed' on a world with a
 * per-logical-switch cap of 'cap'; returns in '*n_incremental' and
 * '*n_full' how many batches each path took. */
static void
run_world(uint32_t seed, int rounds, size_t cap, int *n_incremental,
          int *n_full)
{
    struct dp_state desired, actual;
    struct faults faults;
    struct world w;

    world_init(&w, cap);
    world_build(&w, &desired, &faults);
    state_clone(&actual, &desired);

    for (int round = 0; round < rounds; round++) {
        const struct vteprec_ucast_macs_remote *ins[3], *del[3];
        struct model_ucast_changes changes = {
            .inserted = ins, .deleted = del,
        };

        for (int n = 1 + lcg_below(&seed, 3); n > 0; n--) {
            bool insert = (w.n_rows < MAX_ROWS
                           && (!w.n_rows || lcg_below(&seed, 2)));
            if (insert) {
                ins[changes.n_inserted++] = w.rows[w.n_rows++]
                    = gen_row(&w, &seed);
            } else {
                size_t i = lcg_below(&seed, w.n_rows);
                bool is_new = false;
                /* A row inserted and deleted in one batch is not seen at
                 * all (the IDL skips it). */
                for (size_t j = 0; j < changes.n_inserted; j++) {
                    if (ins[j] == w.rows[i]) {
                        ins[j] = ins[--changes.n_inserted];
                        is_new = true;
                        break;
                    }
                }
                if (!is_new) {
                    del[changes.n_deleted++] = w.rows[i];
                }
                w.rows[i] = w.rows[--w.n_rows];
            }
        }

        struct dp_state fresh;
        struct faults fresh_faults;
        world_build(&w, &fresh, &fresh_faults);

        struct hmap touched = HMAP_INITIALIZER(&touched);
        struct ovs_list ops = OVS_LIST_INITIALIZER(&ops);
        if (model_update_ucast(&changes, &w.limits, &desired, &touched)
            && reconcile_remote_macs(&actual, &touched, &ops)) {
            (*n_incremental)++;
            assert_same_state(&fresh, &desired, "the updated model", round);
            ck_assert_msg(svec_equal(&faults.messages, &fresh_faults.messages)
                          && sset_equals(&faults.switch_status,
                                         &fresh_faults.switch_status),
                          "round %d: faults differ after an update", round);

            struct dp_op *op;
            LIST_FOR_EACH (op, list_node, &ops) {
                ck_assert_msg(op->type == DP_OP_MAC_ADD
                              || op->type == DP_OP_MAC_DEL,
                              "round %d: not a MAC operation", round);
                dp_apply_to_state(&actual, op);
            }
            assert_same_state(&fresh, &actual, "the datapath", round);
        } else {
            (*n_full)++;
            dp_state_destroy(&desired);
            dp_state_destroy(&actual);
            faults_destroy(&faults);
            world_build(&w, &desired, &faults);
            state_clone(&actual, &desired);
        }
        dp_state_destroy(&fresh);
        faults_destroy(&fresh_faults);
        dp_ops_destroy(&ops);
        dp_mac_keys_destroy(&touched);
    }
    dp_state_destroy(&desired);
    dp_state_destroy(&actual);
    faults_destroy(&faults);
    rows_free();
}

/* Without caps: most batches take the incremental path, and the others
 * (faults, conflicts, ARP addresses, keys) a full build. */
START_TEST(test_update_matches_build)
{
    int n_incremental = 0, n_full = 0;

    for (uint32_t seed = 1; seed <= 20; seed++) {
        run_world(seed, 200, 0, &n_incremental, &n_full);
    }
    ck_assert_msg(n_incremental > 1000 && n_full > 300,
                  "%d incremental and %d full passes: a path is not "
                  "exercised", n_incremental, n_full);
}
END_TEST

/* With a cap of 4 MACs per logical switch: updates hold until a count
 * reaches the cap, then a full build caps. */
START_TEST(test_update_with_caps)
{
    int n_incremental = 0, n_full = 0;

    for (uint32_t seed = 100; seed < 120; seed++) {
        run_world(seed, 200, 4, &n_incremental, &n_full);
    }
    ck_assert_msg(n_incremental > 300 && n_full > 300,
                  "%d incremental and %d full passes: a path is not "
                  "exercised", n_incremental, n_full);
}
END_TEST

/* A deleted row of a MAC that two rows ask for (the lower IP is
 * programmed) needs a full build: the update cannot know the other row. */
START_TEST(test_update_duplicate_delete)
{
    struct dp_state desired;
    struct faults faults;
    struct world w;

    world_init(&w, 0);
    w.rows[w.n_rows++] = ucast_new("00:00:00:00:00:02", w.lab.ls0,
                                   w.locators[2]);
    world_build(&w, &desired, &faults);
    const struct dp_ls *ls0 = assert_ls(&desired, "ls0", 5000);
    assert_remote(ls0, "00:00:00:00:00:02", "10.0.9.9");

    const struct vteprec_ucast_macs_remote *del[] = { w.rows[1] };
    struct model_ucast_changes changes = { .deleted = del, .n_deleted = 1 };
    struct hmap touched = HMAP_INITIALIZER(&touched);
    ck_assert(!model_update_ucast(&changes, &w.limits, &desired, &touched));
    dp_mac_keys_destroy(&touched);
    dp_state_destroy(&desired);
    faults_destroy(&faults);
    rows_free();
}
END_TEST

/* An update with nothing in it holds and touches nothing. */
START_TEST(test_update_empty)
{
    struct dp_state desired;
    struct faults faults;
    struct world w;

    world_init(&w, 0);
    world_build(&w, &desired, &faults);

    struct model_ucast_changes changes = { .n_inserted = 0 };
    struct hmap touched = HMAP_INITIALIZER(&touched);
    ck_assert(model_update_ucast(&changes, &w.limits, &desired, &touched));
    ck_assert(hmap_is_empty(&touched));
    dp_mac_keys_destroy(&touched);
    dp_state_destroy(&desired);
    faults_destroy(&faults);
    rows_free();
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("model_update_ucast");
    TCase *tc = tcase_create("update");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_update_matches_build);
    tcase_add_test(tc, test_update_with_caps);
    tcase_add_test(tc, test_update_duplicate_delete);
    tcase_add_test(tc, test_update_empty);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
