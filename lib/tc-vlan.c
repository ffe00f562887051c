/* tc-vlan.c -- 802.1Q VLANs carried by tc eBPF programs.
 *
 * When a frame reaches the tc ingress hook, the kernel has already taken an
 * 802.1Q (or 802.1ad) tag out of the frame into the socket buffer's
 * metadata, which __sk_buff shows as vlan_present, vlan_proto and vlan_tci;
 * on the way out, a tag in the metadata goes back into the frame (or to the
 * NIC, which inserts it).  So the programs never touch frame data: they
 * only move the tag with bpf_skb_vlan_pop() and bpf_skb_vlan_push() and
 * pass the frame on with bpf_redirect().
 *
 * There are two programs, loaded once by tc_vlan_init(), and one hash map
 * that says what they do on each device: a key is (ifindex, slot), a value
 * (ifindex, vid).  On a trunk T, slot V (1 to 4095) holds the device P
 * that gets T's frames of VLAN V, and slot TC_VLAN_SLOT_OTHER, if present,
 * says to drop frames tagged with a VLAN that has no slot; on the other end
 * of a veth pair, slot TC_VLAN_SLOT_TAGGER holds the trunk and VLAN its
 * frames go to.  Changing what a device does is a map update, which needs
 * no privilege beyond the map's file descriptor; attaching a program needs
 * only CAP_NET_ADMIN.  Only creating the map and loading the programs needs
 * CAP_BPF (or root), which is why vtepd does that before it drops
 * privileges.
 *
 * The trunk program:
 *
 *         r6 = r1                          ; the __sk_buff
 *         r2 = skb->vlan_present
 *         if r2 == 0 goto pass             ; untagged
 *         r2 = skb->vlan_proto
 *         if r2 != htons(0x8100) goto other
 *         r7 = skb->vlan_tci & 0xfff
 *         if r7 == 0 goto priority         ; priority-tagged (VLAN 0)
 *         r0 = lookup(skb->ifindex, r7)
 *         if r0 == 0 goto other
 *         r8 = r0->ifindex
 *         r0 = bpf_skb_vlan_pop(r6)
 *         if r0 != 0 goto drop
 *         r0 = bpf_redirect(r8, 0)         ; out of P, so into the
 *         exit                             ; access device
 *     drop:
 *         r0 = TC_ACT_SHOT
 *         exit
 *     other:
 *         r0 = lookup(skb->ifindex, TC_VLAN_SLOT_OTHER)
 *         if r0 == 0 goto pass
 *         r0 = TC_ACT_SHOT
 *         exit
 *     priority:
 *         bpf_skb_vlan_pop(r6)             ; untagged, then
 *     pass:
 *         r0 = TC_ACT_UNSPEC               ; carry on: other filters, then
 *         exit                             ; the bridge or the host
 *
 * The tagger program:
 *
 *         r6 = r1
 *         r0 = lookup(skb->ifindex, TC_VLAN_SLOT_TAGGER)
 *         if r0 == 0 goto drop
 *         r7 = r0->ifindex                 ; the trunk
 *         r0 = bpf_skb_vlan_push(r6, htons(0x8100), r0->vid)
 *         if r0 != 0 goto drop
 *         r0 = bpf_redirect(r7, 0)         ; egress of the trunk
 *         exit
 *     drop:
 *         r0 = TC_ACT_SHOT
 *         exit
 *
 * where lookup(ifindex, slot) stores the key at r10 - 8 and calls
 * bpf_map_lookup_elem().  Frames that a program does not handle end with
 * TC_ACT_UNSPEC rather than TC_ACT_OK, so that other filters on the device
 * still see them, as they would without vtepd.
 *
 * A filter of this module is the one with priority TC_VLAN_PRIO and handle
 * TC_VLAN_HANDLE on the ingress hook of a clsact qdisc. */

#include <config.h>
#include "tc-vlan.h"

#include <errno.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>
#include <linux/rtnetlink.h>
#include <stddef.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bitmap.h"
#include "coverage.h"
#include "hash.h"
#include "netlink.h"
#include "openvswitch/hmap.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/vlog.h"
#include "tc.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(tc_vlan);

COVERAGE_DEFINE(tc_vlan_prog_load);
COVERAGE_DEFINE(tc_vlan_map_update);
COVERAGE_DEFINE(tc_vlan_request);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* Priority and handle of this module's filters.  Priority 1 runs them
 * before filters added without an explicit priority (tc gives those 49152
 * and below). */
#define TC_VLAN_PRIO 1
#define TC_VLAN_HANDLE 1

/* License of the programs.  None of the helpers they call is GPL-only;
 * "GPL" keeps them loadable should that ever change. */
#define TC_VLAN_LICENSE "GPL"

/* Bytes of verifier log kept when a program does not load. */
#define TC_VLAN_LOG_SIZE 65536

/* Slots of a device in the map that are not VLANs (see the top). */
#define TC_VLAN_SLOT_TAGGER 0       /* Of a tagger: its trunk and VLAN. */
#define TC_VLAN_SLOT_OTHER 0x1000   /* Of a trunk: drop other VLANs. */

/* Slots of a device: TC_VLAN_SLOT_TAGGER, VLANs 1 to 4095 and
 * TC_VLAN_SLOT_OTHER. */
#define TC_VLAN_N_SLOTS (TC_VLAN_SLOT_OTHER + 1)

/* Most entries in the map: every VLAN of every bound port, with room to
 * spare.  Entries are allocated as they are added (BPF_F_NO_PREALLOC). */
#define TC_VLAN_MAP_SIZE 1048576

/* A key of the map. */
struct tc_vlan_key {
    uint32_t ifindex;           /* Device whose ingress program looks. */
    uint32_t slot;              /* VLAN, or TC_VLAN_SLOT_*. */
};

/* A value of the map. */
struct tc_vlan_value {
    uint32_t ifindex;           /* Device to redirect to. */
    uint32_t vid;               /* For TC_VLAN_SLOT_TAGGER: VLAN to tag. */
};

/* One entry of the map, as this module last wrote it. */
struct tc_vlan_entry {
    struct tc_vlan_key key;     /* Key. */
    struct tc_vlan_value value; /* Value. */
};

/* The entries of one device in the map. */
struct tc_vlan_dev {
    struct hmap_node node;      /* In 'devs', by ifindex. */
    int ifindex;                /* Device. */
    struct tc_vlan_entry *entries;  /* Its entries, or, if 'unsure', every
                                     * entry it may have. */
    size_t n;                   /* Number of 'entries'. */
    bool unsure;                /* An update failed half-way: the map's
                                 * values are not known. */
};

/* The kernel objects of this module, made once by tc_vlan_init(). */
static int map_fd = -1;         /* The map. */
static int trunk_fd = -1;       /* The trunk program. */
static int tagger_fd = -1;      /* The tagger program. */
static int init_error;          /* tc_vlan_init()'s result, once tried. */
static bool init_tried;         /* tc_vlan_init() was called. */
static struct hmap devs = HMAP_INITIALIZER(&devs);  /* struct tc_vlan_dev,
                                                     * what the map holds. */

/* eBPF registers. */
enum {
    R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10
};

/* Instructions (see the kernel's Documentation/bpf/standardization). */
#define TC_VLAN_INSN(CODE, DST, SRC, OFF, IMM)                          \
    ((struct bpf_insn) { .code = (CODE), .dst_reg = (DST),              \
                         .src_reg = (SRC), .off = (OFF), .imm = (IMM) })
#define I_MOV_REG(DST, SRC)                                             \
    TC_VLAN_INSN(BPF_ALU64 | BPF_MOV | BPF_X, DST, SRC, 0, 0)
#define I_MOV_IMM(DST, IMM)                                             \
    TC_VLAN_INSN(BPF_ALU64 | BPF_MOV | BPF_K, DST, 0, 0, IMM)
#define I_ADD_IMM(DST, IMM)                                             \
    TC_VLAN_INSN(BPF_ALU64 | BPF_ADD | BPF_K, DST, 0, 0, IMM)
#define I_AND_IMM(DST, IMM)                                             \
    TC_VLAN_INSN(BPF_ALU64 | BPF_AND | BPF_K, DST, 0, 0, IMM)
#define I_LOAD_SKB(DST, FIELD)                                          \
    TC_VLAN_INSN(BPF_LDX | BPF_W | BPF_MEM, DST, R6,                    \
                 offsetof(struct __sk_buff, FIELD), 0)
#define I_LOAD_W(DST, SRC, OFF)                                         \
    TC_VLAN_INSN(BPF_LDX | BPF_W | BPF_MEM, DST, SRC, OFF, 0)
#define I_STORE_W(DST, OFF, SRC)                                        \
    TC_VLAN_INSN(BPF_STX | BPF_W | BPF_MEM, DST, SRC, OFF, 0)
#define I_STORE_W_IMM(DST, OFF, IMM)                                    \
    TC_VLAN_INSN(BPF_ST | BPF_W | BPF_MEM, DST, 0, OFF, IMM)
#define I_JEQ_IMM(DST, IMM, OFF)                                        \
    TC_VLAN_INSN(BPF_JMP | BPF_JEQ | BPF_K, DST, 0, OFF, IMM)
#define I_JNE_IMM(DST, IMM, OFF)                                        \
    TC_VLAN_INSN(BPF_JMP | BPF_JNE | BPF_K, DST, 0, OFF, IMM)
#define I_CALL(FUNC) TC_VLAN_INSN(BPF_JMP | BPF_CALL, 0, 0, 0, FUNC)
#define I_EXIT() TC_VLAN_INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

/* VLAN ID bits of a TCI. */
#define TC_VLAN_VID_MASK 0x0fff

/* A program being built. */
struct tc_vlan_prog {
    struct bpf_insn *insns;     /* Instructions. */
    size_t n;                   /* Number of 'insns'. */
    size_t allocated;           /* Allocated elements of 'insns'. */
};

/* Trunk configurations. */

/* Initializes 'trunk' with no VLANs that does not drop anything. */
void
tc_vlan_trunk_init(struct tc_vlan_trunk *trunk)
{
    trunk->vlans = NULL;
    trunk->n_vlans = 0;
    trunk->allocated = 0;
    trunk->drop_other = false;
}

/* Frees what 'trunk' holds. */
void
tc_vlan_trunk_destroy(struct tc_vlan_trunk *trunk)
{
    free(trunk->vlans);
    tc_vlan_trunk_init(trunk);
}

/* Makes frames of VLAN 'vid' (1 to 4095) on 'trunk' go to the ingress of
 * device 'ifindex', instead of where they went before if 'trunk' already
 * had 'vid'.  Takes constant time if 'vid' is above every VLAN that 'trunk'
 * has, so that adding VLANs in increasing order takes linear time. */
void
tc_vlan_trunk_add(struct tc_vlan_trunk *trunk, uint16_t vid, int ifindex)
{
    size_t i;

    ovs_assert(vid > 0 && vid <= TC_VLAN_VID_MASK);
    for (i = trunk->n_vlans; i > 0 && trunk->vlans[i - 1].vid > vid; i--) {
        continue;
    }
    if (i > 0 && trunk->vlans[i - 1].vid == vid) {
        trunk->vlans[i - 1].ifindex = ifindex;
        return;
    }

    if (trunk->n_vlans >= trunk->allocated) {
        trunk->vlans = x2nrealloc(trunk->vlans, &trunk->allocated,
                                  sizeof *trunk->vlans);
    }
    memmove(&trunk->vlans[i + 1], &trunk->vlans[i],
            (trunk->n_vlans - i) * sizeof *trunk->vlans);
    trunk->vlans[i].vid = vid;
    trunk->vlans[i].ifindex = ifindex;
    trunk->n_vlans++;
}

/* Returns true if 'trunk' does nothing to any frame, that is, if a trunk
 * needs no program for it. */
bool
tc_vlan_trunk_is_empty(const struct tc_vlan_trunk *trunk)
{
    return !trunk->n_vlans && !trunk->drop_other;
}

/* Returns true if 'a' and 'b' do the same.  (Member by member: the
 * padding in struct tc_vlan_access is not initialized.) */
bool
tc_vlan_trunk_equals(const struct tc_vlan_trunk *a,
                     const struct tc_vlan_trunk *b)
{
    if (a->drop_other != b->drop_other || a->n_vlans != b->n_vlans) {
        return false;
    }
    for (size_t i = 0; i < a->n_vlans; i++) {
        if (a->vlans[i].vid != b->vlans[i].vid
            || a->vlans[i].ifindex != b->vlans[i].ifindex) {
            return false;
        }
    }
    return true;
}

/* Building programs. */

/* Appends 'insn' to 'prog' and returns its index. */
static size_t
tc_vlan_emit(struct tc_vlan_prog *prog, struct bpf_insn insn)
{
    if (prog->n >= prog->allocated) {
        prog->insns = x2nrealloc(prog->insns, &prog->allocated,
                                 sizeof *prog->insns);
    }
    prog->insns[prog->n] = insn;
    return prog->n++;
}

/* Makes jump instruction 'jump' of 'prog' go to the next instruction to be
 * emitted. */
static void
tc_vlan_land(struct tc_vlan_prog *prog, size_t jump)
{
    ptrdiff_t off = prog->n - (jump + 1);

    ovs_assert(off <= INT16_MAX);
    prog->insns[jump].off = off;
}

/* Appends to 'prog' "r0 = lookup(skb->ifindex, slot)": the map's value for
 * the device that the frame is on and the slot in register 'slot_reg', or
 * if that is R0, the constant 'slot'.  Uses the stack's last 8 bytes;
 * clobbers r1 to r5. */
static void
tc_vlan_emit_lookup(struct tc_vlan_prog *prog, int slot_reg, int32_t slot)
{
    tc_vlan_emit(prog, I_LOAD_SKB(R2, ifindex));
    tc_vlan_emit(prog, I_STORE_W(R10, -8, R2));
    tc_vlan_emit(prog, (slot_reg != R0
                        ? I_STORE_W(R10, -4, slot_reg)
                        : I_STORE_W_IMM(R10, -4, slot)));
    /* r1 = the map (a 64-bit load in two instructions). */
    tc_vlan_emit(prog, TC_VLAN_INSN(BPF_LD | BPF_DW | BPF_IMM, R1,
                                    BPF_PSEUDO_MAP_FD, 0, map_fd));
    tc_vlan_emit(prog, TC_VLAN_INSN(0, 0, 0, 0, 0));
    tc_vlan_emit(prog, I_MOV_REG(R2, R10));
    tc_vlan_emit(prog, I_ADD_IMM(R2, -8));
    tc_vlan_emit(prog, I_CALL(BPF_FUNC_map_lookup_elem));
}

/* Appends the end that the trunk and tagger programs share, after a call to
 * a VLAN helper whose result is in r0:
 *
 *         if r0 != 0 goto drop
 *         r0 = bpf_redirect(target, 0)     ; out of that device
 *         exit
 *     drop:
 *         r0 = TC_ACT_SHOT
 *         exit
 *
 * where 'target' is the register that holds the device to send to. */
static void
tc_vlan_emit_redirect(struct tc_vlan_prog *prog, int target)
{
    size_t to_drop = tc_vlan_emit(prog, I_JNE_IMM(R0, 0, 0));

    tc_vlan_emit(prog, I_MOV_REG(R1, target));
    tc_vlan_emit(prog, I_MOV_IMM(R2, 0));
    tc_vlan_emit(prog, I_CALL(BPF_FUNC_redirect));
    tc_vlan_emit(prog, I_EXIT());

    /* drop: */
    tc_vlan_land(prog, to_drop);
    tc_vlan_emit(prog, I_MOV_IMM(R0, TC_ACT_SHOT));
    tc_vlan_emit(prog, I_EXIT());
}

/* Builds into 'prog' (uninitialized) the trunk program. */
static void
tc_vlan_build_trunk(struct tc_vlan_prog *prog)
{
    size_t to_pass, to_other, to_other2, to_priority, to_pass2;

    memset(prog, 0, sizeof *prog);
    tc_vlan_emit(prog, I_MOV_REG(R6, R1));
    tc_vlan_emit(prog, I_LOAD_SKB(R2, vlan_present));
    to_pass = tc_vlan_emit(prog, I_JEQ_IMM(R2, 0, 0));
    tc_vlan_emit(prog, I_LOAD_SKB(R2, vlan_proto));
    to_other = tc_vlan_emit(prog, I_JNE_IMM(R2, htons(ETH_P_8021Q), 0));
    tc_vlan_emit(prog, I_LOAD_SKB(R7, vlan_tci));
    tc_vlan_emit(prog, I_AND_IMM(R7, TC_VLAN_VID_MASK));
    to_priority = tc_vlan_emit(prog, I_JEQ_IMM(R7, 0, 0));
    tc_vlan_emit_lookup(prog, R7, 0);
    to_other2 = tc_vlan_emit(prog, I_JEQ_IMM(R0, 0, 0));
    tc_vlan_emit(prog, I_LOAD_W(R8, R0, offsetof(struct tc_vlan_value,
                                                 ifindex)));
    tc_vlan_emit(prog, I_MOV_REG(R1, R6));
    tc_vlan_emit(prog, I_CALL(BPF_FUNC_skb_vlan_pop));
    tc_vlan_emit_redirect(prog, R8);

    /* other: */
    tc_vlan_land(prog, to_other);
    tc_vlan_land(prog, to_other2);
    tc_vlan_emit_lookup(prog, R0, TC_VLAN_SLOT_OTHER);
    to_pass2 = tc_vlan_emit(prog, I_JEQ_IMM(R0, 0, 0));
    tc_vlan_emit(prog, I_MOV_IMM(R0, TC_ACT_SHOT));
    tc_vlan_emit(prog, I_EXIT());

    /* priority: */
    tc_vlan_land(prog, to_priority);
    tc_vlan_emit(prog, I_MOV_REG(R1, R6));
    tc_vlan_emit(prog, I_CALL(BPF_FUNC_skb_vlan_pop));

    /* pass: */
    tc_vlan_land(prog, to_pass);
    tc_vlan_land(prog, to_pass2);
    tc_vlan_emit(prog, I_MOV_IMM(R0, TC_ACT_UNSPEC));
    tc_vlan_emit(prog, I_EXIT());
}

/* Builds into 'prog' (uninitialized) the tagger program. */
static void
tc_vlan_build_tagger(struct tc_vlan_prog *prog)
{
    size_t to_drop;

    memset(prog, 0, sizeof *prog);
    tc_vlan_emit(prog, I_MOV_REG(R6, R1));
    tc_vlan_emit_lookup(prog, R0, TC_VLAN_SLOT_TAGGER);
    to_drop = tc_vlan_emit(prog, I_JEQ_IMM(R0, 0, 0));
    tc_vlan_emit(prog, I_LOAD_W(R7, R0, offsetof(struct tc_vlan_value,
                                                 ifindex)));
    tc_vlan_emit(prog, I_LOAD_W(R3, R0, offsetof(struct tc_vlan_value,
                                                 vid)));
    tc_vlan_emit(prog, I_MOV_REG(R1, R6));
    tc_vlan_emit(prog, I_MOV_IMM(R2, htons(ETH_P_8021Q)));
    tc_vlan_emit(prog, I_CALL(BPF_FUNC_skb_vlan_push));
    tc_vlan_emit_redirect(prog, R7);

    /* drop (no entry): */
    tc_vlan_land(prog, to_drop);
    tc_vlan_emit(prog, I_MOV_IMM(R0, TC_ACT_SHOT));
    tc_vlan_emit(prog, I_EXIT());
}

/* Loading programs and the map. */

/* Calls bpf(2) to load 'prog' under 'name', with verifier log level
 * 'log_level' into 'log' of 'log_size' bytes.  Returns the program's file
 * descriptor or -1 (with errno set). */
static int
tc_vlan_bpf_load(const struct tc_vlan_prog *prog, const char *name,
                 uint32_t log_level, char *log, uint32_t log_size)
{
    union bpf_attr attr;

    memset(&attr, 0, sizeof attr);
    attr.prog_type = BPF_PROG_TYPE_SCHED_CLS;
    attr.insns = (uintptr_t) prog->insns;
    attr.insn_cnt = prog->n;
    attr.license = (uintptr_t) TC_VLAN_LICENSE;
    attr.log_level = log_level;
    attr.log_buf = (uintptr_t) log;
    attr.log_size = log_size;
    ovs_strlcpy(attr.prog_name, name, sizeof attr.prog_name);
    COVERAGE_INC(tc_vlan_prog_load);
    return syscall(__NR_bpf, BPF_PROG_LOAD, &attr, sizeof attr);
}

/* Loads 'prog' into the kernel under 'name' and stores its file descriptor
 * in '*fdp'.  Returns 0 or an errno value. */
static int
tc_vlan_load(const struct tc_vlan_prog *prog, const char *name, int *fdp)
{
    int error;
    char *log;

    *fdp = tc_vlan_bpf_load(prog, name, 0, NULL, 0);
    if (*fdp >= 0) {
        return 0;
    }
    error = errno;

    /* Again with a log, to say why. */
    log = xzalloc(TC_VLAN_LOG_SIZE);
    *fdp = tc_vlan_bpf_load(prog, name, 1, log, TC_VLAN_LOG_SIZE);
    if (*fdp >= 0) {
        free(log);
        return 0;
    }
    VLOG_ERR("loading eBPF program %s (%"PRIuSIZE" instructions) failed "
             "(%s)%s%s", name, prog->n, ovs_strerror(error),
             log[0] ? ": " : "", log);
    free(log);
    return error;
}

/* Creates the map into 'map_fd'.  Returns 0 or an errno value. */
static int
tc_vlan_create_map(void)
{
    union bpf_attr attr;

    memset(&attr, 0, sizeof attr);
    attr.map_type = BPF_MAP_TYPE_HASH;
    attr.key_size = sizeof(struct tc_vlan_key);
    attr.value_size = sizeof(struct tc_vlan_value);
    attr.max_entries = TC_VLAN_MAP_SIZE;
    attr.map_flags = BPF_F_NO_PREALLOC;
    ovs_strlcpy(attr.map_name, "vtepd_vlans", sizeof attr.map_name);
    map_fd = syscall(__NR_bpf, BPF_MAP_CREATE, &attr, sizeof attr);
    if (map_fd < 0) {
        int error = errno;
        VLOG_ERR("creating the eBPF map of VLANs failed (%s)",
                 ovs_strerror(error));
        return error;
    }
    return 0;
}

/* Creates the map and loads the two programs, once; it needs CAP_BPF and
 * CAP_NET_ADMIN (or root), unlike everything else in this module, so vtepd
 * calls it before it drops privileges.  Returns 0 or an errno value, the
 * same on every call. */
int
tc_vlan_init(void)
{
    struct tc_vlan_prog prog;

    if (init_tried) {
        return init_error;
    }
    init_tried = true;

    init_error = tc_vlan_create_map();
    if (!init_error) {
        tc_vlan_build_trunk(&prog);
        init_error = tc_vlan_load(&prog, "vtepd_trunk", &trunk_fd);
        free(prog.insns);
    }
    if (!init_error) {
        tc_vlan_build_tagger(&prog);
        init_error = tc_vlan_load(&prog, "vtepd_tagger", &tagger_fd);
        free(prog.insns);
    }
    if (init_error) {
        VLOG_ERR("VLAN bindings (802.1Q tags) will fail: they need CAP_BPF "
                 "at start (%s)", ovs_strerror(init_error));
    }
    return init_error;
}

/* The map's entries. */

/* Calls bpf(2) command 'cmd' (BPF_MAP_UPDATE_ELEM or BPF_MAP_DELETE_ELEM)
 * on the map for 'e'.  Returns 0 or an errno value. */
static int
tc_vlan_map_op(int cmd, const struct tc_vlan_entry *e)
{
    union bpf_attr attr;

    memset(&attr, 0, sizeof attr);
    attr.map_fd = map_fd;
    attr.key = (uintptr_t) &e->key;
    if (cmd == BPF_MAP_UPDATE_ELEM) {
        /* The kernel refuses a deletion with these set. */
        attr.value = (uintptr_t) &e->value;
        attr.flags = BPF_ANY;
    }
    COVERAGE_INC(tc_vlan_map_update);
    if (syscall(__NR_bpf, cmd, &attr, sizeof attr) < 0) {
        return errno;
    }
    return 0;
}

/* Returns the record of what the map holds for device 'ifindex', or
 * NULL. */
static struct tc_vlan_dev *
tc_vlan_dev_find(int ifindex)
{
    struct tc_vlan_dev *dev;

    HMAP_FOR_EACH_WITH_HASH (dev, node, hash_int(ifindex, 0), &devs) {
        if (dev->ifindex == ifindex) {
            return dev;
        }
    }
    return NULL;
}

/* Returns true if 'a' and 'b' are the same value.  (Member by member: a
 * struct's padding need not be initialized.) */
static bool
tc_vlan_value_equals(const struct tc_vlan_value *a,
                     const struct tc_vlan_value *b)
{
    return a->ifindex == b->ifindex && a->vid == b->vid;
}

/* Makes the map's entries for device 'ifindex' the 'n' in 'want' (all with
 * key.ifindex 'ifindex', at most one per slot), which this function takes:
 * new and changed ones first, so that a program never finds a slot it needs
 * empty, then the ones to go.  Takes time linear in the number of entries
 * (old and new).  Returns 0 or an errno value. */
static int
tc_vlan_sync_entries(int ifindex, struct tc_vlan_entry *want, size_t n)
{
    struct tc_vlan_dev *dev = tc_vlan_dev_find(ifindex);
    unsigned long *known = bitmap_allocate(TC_VLAN_N_SLOTS);
    unsigned long *wanted = bitmap_allocate(TC_VLAN_N_SLOTS);
    struct tc_vlan_value *values = xmalloc(TC_VLAN_N_SLOTS * sizeof *values);
    int error = 0;
    size_t i;

    if (!dev) {
        dev = xzalloc(sizeof *dev);
        dev->ifindex = ifindex;
        hmap_insert(&devs, &dev->node, hash_int(ifindex, 0));
    }

    /* The map's value of each slot, where it is known ('known'), by slot,
     * and the slots that stay ('wanted'), so that each entry is looked up
     * in constant time. */
    for (i = 0; i < dev->n && !dev->unsure; i++) {
        uint32_t slot = dev->entries[i].key.slot;

        bitmap_set1(known, slot);
        values[slot] = dev->entries[i].value;
    }
    for (i = 0; i < n; i++) {
        bitmap_set1(wanted, want[i].key.slot);
    }

    for (i = 0; i < n && !error; i++) {
        uint32_t slot = want[i].key.slot;

        if (!bitmap_is_set(known, slot)
            || !tc_vlan_value_equals(&values[slot], &want[i].value)) {
            error = tc_vlan_map_op(BPF_MAP_UPDATE_ELEM, &want[i]);
        }
    }
    for (i = 0; i < dev->n && !error; i++) {
        if (!bitmap_is_set(wanted, dev->entries[i].key.slot)) {
            int e = tc_vlan_map_op(BPF_MAP_DELETE_ELEM, &dev->entries[i]);
            error = e == ENOENT ? 0 : e;
        }
    }
    free(values);
    bitmap_free(wanted);
    bitmap_free(known);

    if (error) {
        /* The map may hold any of the old and new entries: keep them all,
         * so that the next sync writes every wanted one and deletes every
         * other. */
        VLOG_WARN_RL(&rl, "updating the eBPF map of VLANs for ifindex %d "
                     "failed (%s)", ifindex, ovs_strerror(error));
        want = xrealloc(want, (n + dev->n) * sizeof *want);
        memcpy(&want[n], dev->entries, dev->n * sizeof *want);
        n += dev->n;
    }
    free(dev->entries);
    dev->entries = want;
    dev->n = n;
    dev->unsure = error != 0;
    if (!n) {
        hmap_remove(&devs, &dev->node);
        free(dev->entries);
        free(dev);
    }
    return error;
}

/* Attaching programs. */

/* Starts in 'msg' (uninitialized) a request of 'type' with NLM_F_ACK and
 * 'flags' about this module's filter on the ingress hook of device
 * 'ifindex'. */
static void
tc_vlan_filter_request(struct ofpbuf *msg, int type, unsigned int flags,
                       int ifindex)
{
    struct tcmsg *tcm = tc_make_request(ifindex, type, NLM_F_ACK | flags,
                                        msg);

    tcm->tcm_parent = TC_INGRESS_PARENT;
    tcm->tcm_handle = TC_VLAN_HANDLE;
    tcm->tcm_info = tc_make_handle(TC_VLAN_PRIO, htons(ETH_P_ALL));
    nl_msg_put_string(msg, TCA_KIND, "bpf");
}

/* Attaches program 'fd', loaded as 'name', to the ingress hook of device
 * 'ifindex', in place of the program that this module had there, if any.
 * Returns 0 or an errno value. */
static int
tc_vlan_attach(int ifindex, int fd, const char *name)
{
    struct ofpbuf msg;
    size_t options;
    int error;

    /* A clsact qdisc (TC_EGRESS), which has an ingress hook too, unless the
     * device has one, or an ingress qdisc, which offers the same hook. */
    COVERAGE_INC(tc_vlan_request);
    error = tc_add_del_qdisc(ifindex, true, 0, TC_EGRESS);
    if (error && error != EEXIST) {
        return error;
    }

    tc_vlan_filter_request(&msg, RTM_NEWTFILTER, NLM_F_CREATE | NLM_F_REPLACE,
                           ifindex);
    options = nl_msg_start_nested(&msg, TCA_OPTIONS);
    nl_msg_put_u32(&msg, TCA_BPF_FD, fd);
    nl_msg_put_string(&msg, TCA_BPF_NAME, name);
    nl_msg_put_u32(&msg, TCA_BPF_FLAGS, TCA_BPF_FLAG_ACT_DIRECT);
    nl_msg_end_nested(&msg, options);
    COVERAGE_INC(tc_vlan_request);
    return tc_transact(&msg, NULL);
}

/* Makes device 'ifindex' do what 'trunk' (which must not be empty) says,
 * with the trunk program on its ingress hook, in place of the program that
 * this module had there, if any.  Returns 0 or an errno value. */
int
tc_vlan_set_trunk(int ifindex, const struct tc_vlan_trunk *trunk)
{
    size_t n = trunk->n_vlans + trunk->drop_other;
    struct tc_vlan_entry *want = xcalloc(n ? n : 1, sizeof *want);
    int error = tc_vlan_init();

    ovs_assert(!tc_vlan_trunk_is_empty(trunk));
    if (error) {
        free(want);
        return error;
    }
    for (size_t i = 0; i < trunk->n_vlans; i++) {
        want[i].key.ifindex = ifindex;
        want[i].key.slot = trunk->vlans[i].vid;
        want[i].value.ifindex = trunk->vlans[i].ifindex;
    }
    if (trunk->drop_other) {
        want[n - 1].key.ifindex = ifindex;
        want[n - 1].key.slot = TC_VLAN_SLOT_OTHER;
    }
    error = tc_vlan_sync_entries(ifindex, want, n);
    return error ? error : tc_vlan_attach(ifindex, trunk_fd, "vtepd_trunk");
}

/* Attaches to the ingress hook of device 'ifindex' the tagger program, set
 * to send each frame, tagged with VLAN 'vid' (1 to 4095), out of device
 * 'trunk_ifindex', in place of the program that this module had there, if
 * any.  Returns 0 or an errno value. */
int
tc_vlan_set_tagger(int ifindex, uint16_t vid, int trunk_ifindex)
{
    struct tc_vlan_entry *want;
    int error = tc_vlan_init();

    ovs_assert(vid > 0 && vid <= TC_VLAN_VID_MASK);
    if (error) {
        return error;
    }
    want = xzalloc(sizeof *want);
    want->key.ifindex = ifindex;
    want->key.slot = TC_VLAN_SLOT_TAGGER;
    want->value.ifindex = trunk_ifindex;
    want->value.vid = vid;
    error = tc_vlan_sync_entries(ifindex, want, 1);
    return error ? error : tc_vlan_attach(ifindex, tagger_fd,
                                          "vtepd_tagger");
}

/* Removes the program that this module attached to device 'ifindex', if
 * any, and the map's entries for the device.  The clsact qdisc stays, as
 * other filters may use it.  Returns 0 (also if there was no such program,
 * qdisc or device) or an errno value. */
int
tc_vlan_clear(int ifindex)
{
    struct ofpbuf msg;
    int error;

    tc_vlan_filter_request(&msg, RTM_DELTFILTER, 0, ifindex);
    COVERAGE_INC(tc_vlan_request);
    error = tc_transact(&msg, NULL);
    /* ENOENT: no filter; EINVAL: no qdisc to hold one. */
    if (error == ENOENT || error == ENODEV || error == EINVAL) {
        error = 0;
    }
    if (!error && tc_vlan_dev_find(ifindex)) {
        error = tc_vlan_sync_entries(ifindex, NULL, 0);
    }
    return error;
}

/* Removes the map's entries for device 'ifindex', which no longer exists
 * (its filters went with it). */
void
tc_vlan_forget(int ifindex)
{
    if (tc_vlan_dev_find(ifindex)) {
        tc_vlan_sync_entries(ifindex, NULL, 0);
    }
}
