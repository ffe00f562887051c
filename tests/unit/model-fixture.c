/* model-fixture.c -- hand-made hardware_vtep rows and checkers for
 * test-model.c.
 *
 * See model-fixture.h. */

#include <config.h>

#include "model-fixture.h"

#include <check.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "dp-state.h"
#include "model.h"
#include "openvswitch/dynamic-string.h"
#include "packets.h"
#include "sset.h"
#include "svec.h"
#include "util.h"
#include "vtep-idl.h"

/* Hand-made rows.
 *
 * Every row, and every array a row points to, is allocated with row_alloc()
 * and freed all at once by rows_free(), at the end of each test. */

/* Encapsulation that the datapath supports. */
#define VXLAN "vxlan_over_ipv4"

static void **allocs;           /* Everything row_alloc() returned. */
static size_t n_allocs;         /* Number of 'allocs'. */
static size_t allocated_allocs; /* Capacity of 'allocs'. */

/* Returns 'size' zeroed bytes that rows_free() will free. */
static void *
row_alloc(size_t size)
{
    if (n_allocs >= allocated_allocs) {
        allocs = x2nrealloc(allocs, &allocated_allocs, sizeof *allocs);
    }
    allocs[n_allocs] = xzalloc(size);
    return allocs[n_allocs++];
}

/* Frees everything row_alloc() returned. */
void
rows_free(void)
{
    for (size_t i = 0; i < n_allocs; i++) {
        free(allocs[i]);
    }
    free(allocs);
    allocs = NULL;
    n_allocs = allocated_allocs = 0;
}

/* Returns string literal 's' as the IDL's nonconst 'char *'.  The code under
 * test never writes to row strings. */
char *
S(const char *s)
{
    return CONST_CAST(char *, s);
}

/* Returns a new Logical_Switch row 'name' with tunnel_key 'key' (NO_KEY for
 * none) and replication_mode 'mode' (NULL for none). */
struct vteprec_logical_switch *
ls_new(const char *name, int64_t key, const char *mode)
{
    struct vteprec_logical_switch *ls = row_alloc(sizeof *ls);

    ls->name = S(name);
    ls->description = S("");
    ls->replication_mode = mode ? S(mode) : NULL;
    if (key != NO_KEY) {
        ls->tunnel_key = row_alloc(sizeof *ls->tunnel_key);
        *ls->tunnel_key = key;
        ls->n_tunnel_key = 1;
    }
    return ls;
}

/* Returns a new Physical_Locator row for 'dst_ip' with encapsulation
 * 'encap'. */
struct vteprec_physical_locator *
locator_new(const char *dst_ip, const char *encap)
{
    struct vteprec_physical_locator *loc = row_alloc(sizeof *loc);

    loc->dst_ip = S(dst_ip);
    loc->encapsulation_type = S(encap);
    return loc;
}

/* Returns a new VXLAN-over-IPv4 Physical_Locator row for 'dst_ip'. */
struct vteprec_physical_locator *
vxlan(const char *dst_ip)
{
    return locator_new(dst_ip, VXLAN);
}

/* Returns a new VXLAN-over-IPv4 Physical_Locator row for 'dst_ip' with
 * tunnel_key 'key'. */
struct vteprec_physical_locator *
vxlan_key(const char *dst_ip, int64_t key)
{
    struct vteprec_physical_locator *loc = vxlan(dst_ip);

    loc->tunnel_key = row_alloc(sizeof *loc->tunnel_key);
    *loc->tunnel_key = key;
    loc->n_tunnel_key = 1;
    return loc;
}

/* Returns a new Physical_Port row 'name' without VLAN bindings. */
struct vteprec_physical_port *
port_new(const char *name)
{
    struct vteprec_physical_port *port = row_alloc(sizeof *port);

    port->name = S(name);
    port->description = S("");
    port->key_vlan_bindings
        = row_alloc(MAX_ITEMS * sizeof *port->key_vlan_bindings);
    port->value_vlan_bindings
        = row_alloc(MAX_ITEMS * sizeof *port->value_vlan_bindings);
    return port;
}

/* Adds the binding of 'vlan' to 'ls' to 'port'. */
void
port_bind(struct vteprec_physical_port *port, int64_t vlan,
          struct vteprec_logical_switch *ls)
{
    ck_assert_uint_lt(port->n_vlan_bindings, MAX_ITEMS);
    port->key_vlan_bindings[port->n_vlan_bindings] = vlan;
    port->value_vlan_bindings[port->n_vlan_bindings] = ls;
    port->n_vlan_bindings++;
}

/* Returns a new Physical_Switch row 'name' without ports or tunnel IPs. */
struct vteprec_physical_switch *
ps_new(const char *name)
{
    struct vteprec_physical_switch *ps = row_alloc(sizeof *ps);

    ps->name = S(name);
    ps->description = S("");
    ps->ports = row_alloc(MAX_ITEMS * sizeof *ps->ports);
    ps->tunnel_ips = row_alloc(MAX_ITEMS * sizeof *ps->tunnel_ips);
    return ps;
}

/* Adds 'port' to 'ps'. */
void
ps_add_port(struct vteprec_physical_switch *ps,
            struct vteprec_physical_port *port)
{
    ck_assert_uint_lt(ps->n_ports, MAX_ITEMS);
    ps->ports[ps->n_ports++] = port;
}

/* Adds 'ip' to the tunnel IPs of 'ps'. */
void
ps_add_tunnel_ip(struct vteprec_physical_switch *ps, const char *ip)
{
    ck_assert_uint_lt(ps->n_tunnel_ips, MAX_ITEMS);
    ps->tunnel_ips[ps->n_tunnel_ips++] = S(ip);
}

/* Returns a new Ucast_Macs_Remote row for 'mac' in 'ls' behind 'loc'. */
struct vteprec_ucast_macs_remote *
ucast_new(const char *mac, struct vteprec_logical_switch *ls,
          struct vteprec_physical_locator *loc)
{
    struct vteprec_ucast_macs_remote *row = row_alloc(sizeof *row);

    row->MAC = S(mac);
    row->ipaddr = S("");
    row->logical_switch = ls;
    row->locator = loc;
    return row;
}

/* Returns a new Mcast_Macs_Remote row for 'mac' in 'ls' with a locator set
 * of the 'n' locators that follow. */
struct vteprec_mcast_macs_remote *
mcast_new(const char *mac, struct vteprec_logical_switch *ls, size_t n, ...)
{
    struct vteprec_mcast_macs_remote *row = row_alloc(sizeof *row);
    struct vteprec_physical_locator_set *set = row_alloc(sizeof *set);
    va_list args;

    set->locators = row_alloc((n ? n : 1) * sizeof *set->locators);
    va_start(args, n);
    for (size_t i = 0; i < n; i++) {
        set->locators[i] = va_arg(args, struct vteprec_physical_locator *);
    }
    va_end(args);
    set->n_locators = n;

    row->MAC = S(mac);
    row->ipaddr = S("");
    row->logical_switch = ls;
    row->locator_set = set;
    return row;
}

/* Initializes 't' for physical switch 'ps' (may be NULL), without rows. */
void
input_init(struct test_input *t, const struct vteprec_physical_switch *ps,
           unsigned int mac_ageing)
{
    memset(t, 0, sizeof *t);
    t->in.ps = ps;
    t->in.ucast = t->ucast;
    t->in.mcast = t->mcast;
    t->in.mac_ageing = mac_ageing;
}

/* Adds Ucast_Macs_Remote 'row' to 't'. */
void
input_add_ucast(struct test_input *t,
                const struct vteprec_ucast_macs_remote *row)
{
    ck_assert_uint_lt(t->in.n_ucast, MAX_ITEMS);
    t->ucast[t->in.n_ucast++] = row;
}

/* Adds Mcast_Macs_Remote 'row' to 't'. */
void
input_add_mcast(struct test_input *t,
                const struct vteprec_mcast_macs_remote *row)
{
    ck_assert_uint_lt(t->in.n_mcast, MAX_ITEMS);
    t->mcast[t->in.n_mcast++] = row;
}

/* Fills in 'lab' with the classic lab. */
void
lab_init(struct lab *lab)
{
    lab->ls0 = ls_new("ls0", 5000, NULL);
    lab->p1 = port_new("p1");
    port_bind(lab->p1, 0, lab->ls0);
    lab->ps = ps_new("sw0");
    ps_add_port(lab->ps, lab->p1);
    ps_add_tunnel_ip(lab->ps, "10.0.0.1");
    lab->remote = vxlan("10.1.0.1");
    lab->ucast = ucast_new("00:00:00:00:00:02", lab->ls0, lab->remote);
    lab->mcast = mcast_new("unknown-dst", lab->ls0, 1, lab->remote);

    input_init(&lab->t, lab->ps, 300);
    input_add_ucast(&lab->t, lab->ucast);
    input_add_mcast(&lab->t, lab->mcast);
}

/* Checking the results. */

/* Returns 's' as an IPv4 address. */
ovs_be32
ip(const char *s)
{
    ovs_be32 addr;

    ck_assert_msg(ip_parse(s, &addr), "bad IP %s in test", s);
    return addr;
}

/* Returns 's' as an Ethernet address. */
struct eth_addr
mac(const char *s)
{
    struct eth_addr ea;

    ck_assert_msg(eth_addr_from_string(s, &ea), "bad MAC %s in test", s);
    return ea;
}

/* Runs model_build() on 'in' into 'desired' and 'problems', which it
 * initializes. */
void
build(const struct model_input *in, struct dp_state *desired,
      struct faults *problems)
{
    dp_state_init(desired);
    faults_init(problems);
    model_build(in, desired, problems);
}

/* Frees what build() initialized, and the hand-made rows. */
void
cleanup(struct dp_state *desired, struct faults *problems)
{
    dp_state_destroy(desired);
    faults_destroy(problems);
    rows_free();
}

/* Returns the number of problems that contain every one of the 'n'
 * substrings that follow. */
static size_t
count_problems(const struct faults *problems, size_t n, ...)
{
    const char *problem;
    size_t count = 0;
    size_t i;

    SVEC_FOR_EACH (i, problem, &problems->messages) {
        bool match = true;
        va_list args;

        va_start(args, n);
        for (size_t j = 0; j < n; j++) {
            if (!strstr(problem, va_arg(args, const char *))) {
                match = false;
            }
        }
        va_end(args);
        count += match;
    }
    return count;
}

/* Asserts that 'problems' is empty: no message, no fault status. */
void
assert_no_problems(const struct faults *problems)
{
    ck_assert_msg(problems->messages.n == 0, "unexpected problem: %s",
                  problems->messages.n ? problems->messages.names[0] : "");
    ck_assert_msg(sset_is_empty(&problems->switch_status),
                  "unexpected switch fault status");
    ck_assert_msg(shash_is_empty(&problems->port_status),
                  "unexpected port fault status");
}

/* Asserts that 'problems' has exactly 'n' messages. */
void
assert_n_problems(const struct faults *problems, size_t n)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    const char *problem;
    size_t i;

    SVEC_FOR_EACH (i, problem, &problems->messages) {
        ds_put_format(&s, "\n  %s", problem);
    }
    if (problems->messages.n != n) {
        ck_abort_msg("expected %"PRIuSIZE" problems, got %"PRIuSIZE":%s",
                     n, problems->messages.n, ds_cstr(&s));
    }
    ds_destroy(&s);
}

/* Asserts that exactly one message contains both 'a' and 'b'. */
void
assert_problem(const struct faults *problems, const char *a, const char *b)
{
    ck_assert_msg(count_problems(problems, 2, a, b) == 1,
                  "no single problem mentions \"%s\" and \"%s\" "
                  "(%"PRIuSIZE" problems)", a, b, problems->messages.n);
}

/* Asserts that 'have' (NULL: empty) holds exactly the NULL-terminated
 * values in 'args'; 'what' names the set in the failure message. */
static void
assert_status_set(const struct sset *have, const char *what, va_list args)
{
    struct sset want = SSET_INITIALIZER(&want);
    const char *value;

    while ((value = va_arg(args, const char *)) != NULL) {
        sset_add(&want, value);
    }
    if (have ? !sset_equals(have, &want) : !sset_is_empty(&want)) {
        struct ds s = DS_EMPTY_INITIALIZER;
        const char *v;

        SSET_FOR_EACH (v, &want) {
            ds_put_format(&s, " %s", v);
        }
        ds_put_cstr(&s, " but have");
        if (have) {
            SSET_FOR_EACH (v, have) {
                ds_put_format(&s, " %s", v);
            }
        }
        ck_abort_msg("%s: want%s", what, ds_cstr(&s));
    }
    sset_destroy(&want);
}

/* Asserts that switch_fault_status would be exactly the values that
 * follow, NULL-terminated. */
void
assert_switch_status(const struct faults *problems, ...)
{
    va_list args;

    va_start(args, problems);
    assert_status_set(&problems->switch_status, "switch_fault_status", args);
    va_end(args);
}

/* Asserts that the port_fault_status of 'port' would be exactly the values
 * that follow, NULL-terminated. */
void
assert_port_status(const struct faults *problems, const char *port, ...)
{
    va_list args;

    va_start(args, port);
    assert_status_set(faults_port_status(problems, port),
                      "port_fault_status", args);
    va_end(args);
}

/* Asserts that 'state' has logical switch 'name' with 'vni' and returns
 * it. */
struct dp_ls *
assert_ls(const struct dp_state *state, const char *name, uint32_t vni)
{
    struct dp_ls *ls = dp_state_find_ls(state, name);

    ck_assert_msg(ls != NULL, "logical switch %s is missing", name);
    ck_assert_uint_eq(ls->vni, vni);
    return ls;
}

/* Asserts that 'state' binds ('port', 'vlan') to 'ls'. */
void
assert_binding(const struct dp_state *state, const char *port,
               uint16_t vlan, const char *ls)
{
    struct dp_binding *b = dp_state_find_binding(state, port, vlan);

    ck_assert_msg(b != NULL, "binding %s/%"PRIu16" is missing", port, vlan);
    ck_assert_str_eq(b->port, port);
    ck_assert_uint_eq(b->vlan, vlan);
    ck_assert_str_eq(b->ls, ls);
}

/* Asserts that 'ls' has remote MAC 'mac_s' behind 'ip_s'. */
void
assert_remote(const struct dp_ls *ls, const char *mac_s, const char *ip_s)
{
    struct dp_remote_mac *rm = dp_ls_find_remote_mac(ls, mac(mac_s));

    ck_assert_msg(rm != NULL, "remote MAC %s is missing in %s", mac_s,
                  ls->name);
    ck_assert_msg(rm->dst_ip == ip(ip_s), "remote MAC %s in %s is behind "
                  IP_FMT", not %s", mac_s, ls->name, IP_ARGS(rm->dst_ip),
                  ip_s);
}

/* Returns the dotted quads in 'ips' as a malloc()'d string, sorted,
 * separated by spaces. */
char *
ips_to_string(const struct sset *ips)
{
    const char **sorted = sset_sort(ips);
    struct ds s = DS_EMPTY_INITIALIZER;

    for (size_t i = 0; i < sset_count(ips); i++) {
        ds_put_format(&s, "%s%s", i ? " " : "", sorted[i]);
    }
    free(sorted);
    return ds_steal_cstr(&s);
}

/* Returns the flood list of 'ls' as a malloc()'d string, sorted, separated
 * by spaces. */
char *
flood_to_string(const struct dp_ls *ls)
{
    return ips_to_string(&ls->flood_ips);
}

/* Asserts that the flood list of 'ls' is exactly the 'n' dotted quads that
 * follow. */
void
assert_flood(const struct dp_ls *ls, size_t n, ...)
{
    va_list args;

    if (sset_count(&ls->flood_ips) != n) {
        char *flood = flood_to_string(ls);
        ck_abort_msg("flood list of %s is {%s}, expected %"PRIuSIZE
                     " entries", ls->name, flood, n);
        free(flood);
    }
    va_start(args, n);
    for (size_t i = 0; i < n; i++) {
        const char *s = va_arg(args, const char *);
        ck_assert_msg(sset_contains(&ls->flood_ips, s),
                      "flood list of %s lacks %s", ls->name, s);
    }
    va_end(args);
}

/* Asserts that 'ls' has exactly 'n' multicast groups. */
void
assert_n_groups(const struct dp_ls *ls, size_t n)
{
    ck_assert_msg(hmap_count(&ls->mcast_groups) == n, "%s has %"PRIuSIZE
                  " multicast groups, expected %"PRIuSIZE, ls->name,
                  hmap_count(&ls->mcast_groups), n);
}

/* Asserts that multicast group 'mac_s' of 'ls' is exactly the 'n' dotted
 * quads that follow (none: 'ls' has no such group). */
void
assert_group(const struct dp_ls *ls, const char *mac_s, size_t n, ...)
{
    const struct dp_mcast_group *g = dp_ls_find_mcast_group(ls, mac(mac_s));
    struct sset want = SSET_INITIALIZER(&want);
    va_list args;

    va_start(args, n);
    for (size_t i = 0; i < n; i++) {
        sset_add(&want, va_arg(args, const char *));
    }
    va_end(args);

    if (!n) {
        ck_assert_msg(g == NULL, "%s has multicast group %s", ls->name,
                      mac_s);
    } else if (!g || !sset_equals(&g->ips, &want)) {
        char *have = g ? ips_to_string(&g->ips) : xstrdup("(none)");
        char *exp = ips_to_string(&want);
        ck_abort_msg("multicast group %s of %s is {%s}, expected {%s}",
                     mac_s, ls->name, have, exp);
        free(have);
        free(exp);
    }
    sset_destroy(&want);
}

/* Runs the tests of 's' (and frees it); returns the exit status for main():
 * EXIT_SUCCESS if all passed. */
int
run_suite(Suite *s)
{
    SRunner *sr = srunner_create(s);
    int n_failed;

    srunner_run_all(sr, CK_NORMAL);
    n_failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return n_failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
