/* model-fixture.h -- hand-made hardware_vtep rows and checkers for
 * test-model.c.
 *
 * The rows are zero-initialized IDL structs filled in as the IDL would, so
 * no database is involved.  Every row, and every array a row points to, is
 * freed all at once by rows_free() (which cleanup() calls) at the end of
 * each test. */

#ifndef VTEPD_MODEL_FIXTURE_H
#define VTEPD_MODEL_FIXTURE_H 1

#include <check.h>
#include <stddef.h>
#include <stdint.h>

#include "faults.h"
#include "model.h"
#include "openvswitch/types.h"
#include "packets.h"
#include "vtep-idl.h"

struct dp_ls;
struct dp_state;

/* Most bindings, ports, tunnel IPs, locators and rows that a test uses. */
#define MAX_ITEMS 16

/* A tunnel_key value meaning "the column is empty". */
#define NO_KEY INT64_MIN

/* Hand-made rows. */

/* Frees every hand-made row. */
void rows_free(void);

/* Returns string literal 's' as the IDL's nonconst 'char *'. */
char *S(const char *s);

/* New Logical_Switch 'name' with tunnel_key 'key' (NO_KEY for none) and
 * replication_mode 'mode' (NULL for none). */
struct vteprec_logical_switch *ls_new(const char *name, int64_t key,
                                      const char *mode);

/* New Physical_Locator for 'dst_ip' with encapsulation 'encap'. */
struct vteprec_physical_locator *locator_new(const char *dst_ip,
                                             const char *encap);

/* New VXLAN-over-IPv4 Physical_Locator for 'dst_ip'. */
struct vteprec_physical_locator *vxlan(const char *dst_ip);

/* New VXLAN-over-IPv4 Physical_Locator for 'dst_ip' with tunnel_key
 * 'key'. */
struct vteprec_physical_locator *vxlan_key(const char *dst_ip, int64_t key);

/* New Physical_Port 'name' without VLAN bindings. */
struct vteprec_physical_port *port_new(const char *name);

/* Adds the binding of 'vlan' to 'ls' to 'port'. */
void port_bind(struct vteprec_physical_port *port, int64_t vlan,
               struct vteprec_logical_switch *ls);

/* New Physical_Switch 'name' without ports or tunnel IPs. */
struct vteprec_physical_switch *ps_new(const char *name);

/* Adds 'port' to 'ps'. */
void ps_add_port(struct vteprec_physical_switch *ps,
                 struct vteprec_physical_port *port);

/* Adds 'ip' to the tunnel IPs of 'ps'. */
void ps_add_tunnel_ip(struct vteprec_physical_switch *ps, const char *ip);

/* New Ucast_Macs_Remote for 'mac' in 'ls' behind 'loc'. */
struct vteprec_ucast_macs_remote *ucast_new(
    const char *mac, struct vteprec_logical_switch *ls,
    struct vteprec_physical_locator *loc);

/* New Mcast_Macs_Remote for 'mac' in 'ls' with a locator set of the 'n'
 * locators that follow. */
struct vteprec_mcast_macs_remote *mcast_new(
    const char *mac, struct vteprec_logical_switch *ls, size_t n, ...);

/* What model_build() reads, with room for the rows. */
struct test_input {
    struct model_input in;
    const struct vteprec_ucast_macs_remote *ucast[MAX_ITEMS];
    const struct vteprec_mcast_macs_remote *mcast[MAX_ITEMS];
};

/* Initializes 't' for physical switch 'ps' (may be NULL), without rows. */
void input_init(struct test_input *t, const struct vteprec_physical_switch *ps,
                unsigned int mac_ageing);

/* Adds Ucast_Macs_Remote 'row' to 't'. */
void input_add_ucast(struct test_input *t,
                     const struct vteprec_ucast_macs_remote *row);

/* Adds Mcast_Macs_Remote 'row' to 't'. */
void input_add_mcast(struct test_input *t,
                     const struct vteprec_mcast_macs_remote *row);

/* The classic lab: physical switch "sw0" with tunnel IP 10.0.0.1 and port
 * "p1", whose VLAN 0 is bound to "ls0" (tunnel key 5000); remote MAC
 * 00:00:00:00:00:02 is behind 10.1.0.1, and so is the unknown-dst flood
 * target.  Tests modify it as they need. */
struct lab {
    struct vteprec_logical_switch *ls0;
    struct vteprec_physical_port *p1;
    struct vteprec_physical_switch *ps;
    struct vteprec_physical_locator *remote;
    struct vteprec_ucast_macs_remote *ucast;
    struct vteprec_mcast_macs_remote *mcast;
    struct test_input t;
};

/* Fills in 'lab' with the classic lab. */
void lab_init(struct lab *lab);

/* Checking the results. */

/* Returns 's' as an IPv4 address. */
ovs_be32 ip(const char *s);

/* Returns 's' as an Ethernet address. */
struct eth_addr mac(const char *s);

/* Runs model_build() on 'in' into 'desired' and 'problems', which it
 * initializes. */
void build(const struct model_input *in, struct dp_state *desired,
           struct faults *problems);

/* Frees what build() initialized, and the hand-made rows. */
void cleanup(struct dp_state *desired, struct faults *problems);

/* Asserts that 'problems' is empty: no message, no fault status. */
void assert_no_problems(const struct faults *problems);

/* Asserts that 'problems' has exactly 'n' messages. */
void assert_n_problems(const struct faults *problems, size_t n);

/* Asserts that exactly one message contains both 'a' and 'b'. */
void assert_problem(const struct faults *problems, const char *a,
                    const char *b);

/* Asserts that switch_fault_status would be exactly the values that
 * follow, NULL-terminated. */
void assert_switch_status(const struct faults *problems, ...);

/* Asserts that the port_fault_status of 'port' would be exactly the values
 * that follow, NULL-terminated (none: the port has no fault). */
void assert_port_status(const struct faults *problems, const char *port,
                        ...);

/* Asserts that 'state' has logical switch 'name' with 'vni'; returns it. */
struct dp_ls *assert_ls(const struct dp_state *state, const char *name,
                        uint32_t vni);

/* Asserts that 'state' binds ('port', 'vlan') to 'ls'. */
void assert_binding(const struct dp_state *state, const char *port,
                    uint16_t vlan, const char *ls);

/* Asserts that 'ls' has remote MAC 'mac_s' behind 'ip_s'. */
void assert_remote(const struct dp_ls *ls, const char *mac_s,
                   const char *ip_s);

/* Returns the flood list of 'ls' as a malloc()'d string, sorted, separated
 * by spaces. */
char *flood_to_string(const struct dp_ls *ls);

/* Returns the dotted quads in 'ips' as a malloc()'d string, sorted,
 * separated by spaces. */
char *ips_to_string(const struct sset *ips);

/* Asserts that the flood list of 'ls' is exactly the 'n' dotted quads that
 * follow. */
void assert_flood(const struct dp_ls *ls, size_t n, ...);

/* Asserts that 'ls' has exactly 'n' multicast groups. */
void assert_n_groups(const struct dp_ls *ls, size_t n);

/* Asserts that multicast group 'mac_s' of 'ls' is exactly the 'n' dotted
 * quads that follow (none: 'ls' has no such group). */
void assert_group(const struct dp_ls *ls, const char *mac_s, size_t n, ...);

/* Runs the tests of 's' (and frees it); returns the exit status for main():
 * EXIT_SUCCESS if all passed. */
int run_suite(Suite *s);

#endif /* model-fixture.h */
