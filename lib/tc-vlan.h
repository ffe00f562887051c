/* tc-vlan.h -- 802.1Q VLANs carried by tc eBPF programs.
 *
 * On kernels without 802.1Q VLAN devices (CONFIG_VLAN_8021Q) and without
 * bridge VLAN filtering, a VLAN of a "trunk" device is made to look like a
 * device of its own with a veth pair and two small eBPF programs of type
 * BPF_PROG_TYPE_SCHED_CLS, attached as "bpf" filters (direct action) to the
 * ingress hook of clsact qdiscs:
 *
 *   - the trunk program, on the trunk: a frame tagged with a VLAN it knows
 *     loses its tag and is redirected to the egress of the other end of
 *     that VLAN's "access" device (one end of the veth pair), so that the
 *     access device receives it, and counts it, as any frame sent to it;
 *
 *   - a tagger program, on the other end of each veth pair: a frame sent
 *     on the access device gets the VLAN's tag and is redirected to the
 *     egress of the trunk.
 *
 * The two programs are built here as arrays of eBPF instructions and
 * loaded once, with the bpf(2) system call, by tc_vlan_init(); no compiler
 * or library is involved.  What they do on each device comes from an eBPF
 * map that this module keeps up to date.  They are attached over
 * rtnetlink.  Attaching again replaces a device's program in one step, so
 * that no frame sees a device without one.  Only tc_vlan_init() needs
 * CAP_BPF; the rest needs CAP_NET_ADMIN alone.
 *
 * Every function is synchronous and returns 0 or a positive errno value. */

#ifndef VTEPD_TC_VLAN_H
#define VTEPD_TC_VLAN_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One VLAN of a trunk. */
struct tc_vlan_access {
    uint16_t vid;               /* VLAN ID, 1 to 4095. */
    int ifindex;                /* Device whose egress gets the VLAN's
                                 * frames, untagged: the veth peer of the
                                 * VLAN's access device. */
};

/* What the program on a trunk does with the frames that it receives. */
struct tc_vlan_trunk {
    struct tc_vlan_access *vlans; /* VLANs, in increasing order of 'vid'. */
    size_t n_vlans;             /* Number of 'vlans'. */
    size_t allocated;           /* Allocated elements of 'vlans'. */
    bool drop_other;            /* Drop frames tagged with a VLAN that is not
                                 * in 'vlans' (otherwise they go on as if
                                 * there were no program). */
};

void tc_vlan_trunk_init(struct tc_vlan_trunk *);
void tc_vlan_trunk_destroy(struct tc_vlan_trunk *);
void tc_vlan_trunk_add(struct tc_vlan_trunk *, uint16_t vid, int ifindex);
bool tc_vlan_trunk_is_empty(const struct tc_vlan_trunk *);
bool tc_vlan_trunk_equals(const struct tc_vlan_trunk *,
                          const struct tc_vlan_trunk *);

int tc_vlan_init(void);
int tc_vlan_set_trunk(int ifindex, const struct tc_vlan_trunk *);
int tc_vlan_set_tagger(int ifindex, uint16_t vid, int trunk_ifindex);
int tc_vlan_clear(int ifindex);
void tc_vlan_forget(int ifindex);

#endif /* tc-vlan.h */
