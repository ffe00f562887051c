/* test-reconcile-property.c -- a property test of reconcile(): on many
 * generated pairs of states, carrying out the operations that reconcile()
 * emits with dp_apply_to_state() turns the actual state into the desired
 * one, and nothing is left to do. */

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

/* Makes 'key' (0: the logical switch's VNI) the VNI of every entry of 'ls'
 * to remote 'ip_s', as a Physical_Locator tunnel_key would. */
static void
gen_set_key(struct dp_ls *ls, const char *ip_s, uint32_t key)
{
    struct dp_remote_mac *rm;

    dp_ls_set_tunnel_key(ls, ip_s, key);
    HMAP_FOR_EACH (rm, node, &ls->remote_macs) {
        if (rm->dst_ip == ip(ip_s)) {
            rm->key = key;
        }
    }
}

/* Gives a random VNI, remote MACs, flood list, multicast groups and
 * per-remote VNIs to 'ls'. */
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
    for (size_t i = 0; i < ARRAY_SIZE(gen_ips); i++) {
        if (!lcg_below(seed, 4)) {
            gen_set_key(ls, gen_ips[i], PICK(seed, gen_vnis));
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
        if (!lcg_below(seed, 3)) {
            gen_set_key(ls, PICK(seed, gen_ips), PICK(seed, gen_vnis));
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

/* Returns the suite of the property test. */
static Suite *
reconcile_property_suite(void)
{
    Suite *s = suite_create("reconcile-property");
    TCase *tc = tcase_create("reconcile_property");

    tcase_add_test(tc, test_property);
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    return run_suite(reconcile_property_suite());
}
