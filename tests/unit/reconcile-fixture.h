/* reconcile-fixture.h -- what the reconcile() unit tests share: building
 * and comparing states, and checking the operations that reconcile()
 * emits.  The tests also use model-fixture.h's ip(), mac() and
 * run_suite(). */

#ifndef VTEPD_RECONCILE_FIXTURE_H
#define VTEPD_RECONCILE_FIXTURE_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dp.h"
#include "dp-state.h"
#include "openvswitch/list.h"

/* An operation that a test expects.  Only the members that 'type' uses are
 * compared. */
struct exp_op {
    enum dp_op_type type;       /* Kind of operation. */
    const char *ls;             /* NULL for SET_TUNNEL_IP, SET_AGEING,
                                 * SET_LOCAL_MAC_LIMIT. */
    const char *port;           /* For bindings. */
    uint16_t vlan;              /* For bindings. */
    uint32_t vni;               /* For LS_ADD, LS_SET_VNI. */
    const char *mac;            /* For MAC_*, MCAST_*, ARP_ADD. */
    const char *ip;             /* For MAC_ADD, FLOOD_*, MCAST_*, ARP_*,
                                 * SET_TUNNEL_IP. */
    unsigned int ageing;        /* For SET_AGEING. */
    unsigned int local_mac_limit;   /* For SET_LOCAL_MAC_LIMIT. */
};

/* Adds remote MAC 'mac_s' behind 'ip_s' to logical switch 'ls'. */
void add_remote(struct dp_ls *ls, const char *mac_s, const char *ip_s);

/* Adds 'ip_s' to multicast group 'mac_s' of logical switch 'ls'. */
void add_group_ip(struct dp_ls *ls, const char *mac_s, const char *ip_s);

/* Initializes 'state' as the classic lab: tunnel IP 10.0.0.1, ageing 300,
 * logical switch "ls0" with VNI 5000 bound to port "p1" VLAN 0, remote MAC
 * 00:00:00:00:00:02 behind 10.1.0.1, and 10.1.0.1 as the flood list.
 * Returns "ls0". */
struct dp_ls *classic_init(struct dp_state *state);

/* Initializes 'dst' as a deep copy of 'src'. */
void state_clone(struct dp_state *dst, const struct dp_state *src);

/* Returns true if 'a' and 'b' hold the same switches, bindings, remote
 * MACs, flood lists, multicast groups, ARP entries, tunnel IP and learned
 * MAC limit,
 * and, if 'ageing' is true, the same ageing time. */
bool states_equal(const struct dp_state *a, const struct dp_state *b,
                  bool ageing);

/* Returns a malloc()'d description of 'ops', one per line, for failure
 * messages. */
char *ops_to_string(const struct ovs_list *ops);

/* Asserts that 'ops' is the 'n' operations in 'exp': the same types in the
 * same order and, within a run of operations of one type (whose order
 * depends on hashing), the same members in any order. */
void assert_ops(const struct ovs_list *ops, const struct exp_op *exp, size_t n);

/* Asserts that the types in 'ops' never go down in enum dp_op_type order,
 * that is, removals come first, in enum order, then additions in enum
 * order (but for LS_ADD and LS_SET_VNI, which may come in any order
 * between themselves unless 'strict' is true). */
void assert_ops_ordered(const struct ovs_list *ops, bool strict);

/* Runs reconcile(desired, actual) into 'ops', which it initializes, and
 * checks the order of the result. */
void run(const struct dp_state *desired, const struct dp_state *actual,
         struct ovs_list *ops);

/* Carries out every operation in 'ops' on 'state'. */
void apply_all(struct dp_state *state, const struct ovs_list *ops);

/* Asserts that carrying out reconcile(desired, actual) on a copy of
 * 'actual' gives 'desired' (but for an ageing time of 0, which means
 * "leave as is"), after which reconcile() has nothing more to do. */
void assert_converges(const struct dp_state *desired,
                      const struct dp_state *actual);

/* Returns a deterministic pseudo-random number from 0 to 'n' - 1 (a 32-bit
 * LCG on '*seed'), for the property tests. */
uint32_t lcg_below(uint32_t *seed, uint32_t n);

#endif /* reconcile-fixture.h */
