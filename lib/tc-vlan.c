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
 * The trunk program, for VLANs V1..Vn whose access devices' veth peers are
 * P1..Pn:
 *
 *         r6 = r1                          ; the __sk_buff
 *         r2 = skb->vlan_present
 *         if r2 == 0 goto pass             ; untagged
 *         r2 = skb->vlan_proto
 *         if r2 != htons(0x8100) goto other
 *         r7 = skb->vlan_tci & 0xfff
 *         if r7 == 0 goto priority         ; priority-tagged (VLAN 0)
 *         if r7 != V1 goto +2
 *         r8 = P1
 *         goto redirect
 *         ...                              ; the same for V2..Vn
 *     other:
 *         r0 = TC_ACT_SHOT or TC_ACT_UNSPEC (see drop_other)
 *         exit
 *     priority:
 *         bpf_skb_vlan_pop(r6)             ; untagged, then
 *     pass:
 *         r0 = TC_ACT_UNSPEC               ; carry on: other filters, then
 *         exit                             ; the bridge or the host
 *     redirect:
 *         if bpf_skb_vlan_pop(r6) != 0 goto drop
 *         r0 = bpf_redirect(r8, 0)         ; out of the peer, so into
 *         exit                             ; the access device
 *     drop:
 *         r0 = TC_ACT_SHOT
 *         exit
 *
 * (the "redirect" block only if n > 0: the verifier rejects unreachable
 * instructions).  A tagger program, for VLAN V and trunk T:
 *
 *         if bpf_skb_vlan_push(r1, htons(0x8100), V) != 0 goto drop
 *         r0 = bpf_redirect(T, 0)          ; egress of the trunk
 *         exit
 *     drop:
 *         r0 = TC_ACT_SHOT
 *         exit
 *
 * Frames that a program does not handle end with TC_ACT_UNSPEC rather than
 * TC_ACT_OK, so that other filters on the device still see them, as they
 * would without vtepd.
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

#include "coverage.h"
#include "netlink.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/vlog.h"
#include "tc.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(tc_vlan);

COVERAGE_DEFINE(tc_vlan_prog_load);
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
#define I_AND_IMM(DST, IMM)                                             \
    TC_VLAN_INSN(BPF_ALU64 | BPF_AND | BPF_K, DST, 0, 0, IMM)
#define I_LOAD_SKB(DST, FIELD)                                          \
    TC_VLAN_INSN(BPF_LDX | BPF_W | BPF_MEM, DST, R6,                    \
                 offsetof(struct __sk_buff, FIELD), 0)
#define I_JEQ_IMM(DST, IMM, OFF)                                        \
    TC_VLAN_INSN(BPF_JMP | BPF_JEQ | BPF_K, DST, 0, OFF, IMM)
#define I_JNE_IMM(DST, IMM, OFF)                                        \
    TC_VLAN_INSN(BPF_JMP | BPF_JNE | BPF_K, DST, 0, OFF, IMM)
#define I_JA(OFF) TC_VLAN_INSN(BPF_JMP | BPF_JA, 0, 0, OFF, 0)
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
 * had 'vid'. */
void
tc_vlan_trunk_add(struct tc_vlan_trunk *trunk, uint16_t vid, int ifindex)
{
    size_t i;

    ovs_assert(vid > 0 && vid <= TC_VLAN_VID_MASK);
    for (i = 0; i < trunk->n_vlans && trunk->vlans[i].vid < vid; i++) {
        continue;
    }
    if (i < trunk->n_vlans && trunk->vlans[i].vid == vid) {
        trunk->vlans[i].ifindex = ifindex;
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

/* Appends the end that the trunk and tagger programs share, after a call to
 * a VLAN helper whose result is in r0:
 *
 *         if r0 != 0 goto drop
 *         r1 = <what 'load_target' loads: the device to send to>
 *         r0 = bpf_redirect(r1, 0)         ; out of that device
 *         exit
 *     drop:
 *         r0 = TC_ACT_SHOT
 *         exit */
static void
tc_vlan_emit_redirect(struct tc_vlan_prog *prog, struct bpf_insn load_target)
{
    size_t to_drop = tc_vlan_emit(prog, I_JNE_IMM(R0, 0, 0));

    tc_vlan_emit(prog, load_target);
    tc_vlan_emit(prog, I_MOV_IMM(R2, 0));
    tc_vlan_emit(prog, I_CALL(BPF_FUNC_redirect));
    tc_vlan_emit(prog, I_EXIT());

    /* drop: */
    tc_vlan_land(prog, to_drop);
    tc_vlan_emit(prog, I_MOV_IMM(R0, TC_ACT_SHOT));
    tc_vlan_emit(prog, I_EXIT());
}

/* Builds into 'prog' (uninitialized) the trunk program for 'trunk'. */
static void
tc_vlan_build_trunk(struct tc_vlan_prog *prog,
                    const struct tc_vlan_trunk *trunk)
{
    size_t to_pass, to_other, to_priority;
    size_t *to_redirect;

    memset(prog, 0, sizeof *prog);
    to_redirect = xmalloc((trunk->n_vlans + 1) * sizeof *to_redirect);

    tc_vlan_emit(prog, I_MOV_REG(R6, R1));
    tc_vlan_emit(prog, I_LOAD_SKB(R2, vlan_present));
    to_pass = tc_vlan_emit(prog, I_JEQ_IMM(R2, 0, 0));
    tc_vlan_emit(prog, I_LOAD_SKB(R2, vlan_proto));
    to_other = tc_vlan_emit(prog, I_JNE_IMM(R2, htons(ETH_P_8021Q), 0));
    tc_vlan_emit(prog, I_LOAD_SKB(R7, vlan_tci));
    tc_vlan_emit(prog, I_AND_IMM(R7, TC_VLAN_VID_MASK));
    to_priority = tc_vlan_emit(prog, I_JEQ_IMM(R7, 0, 0));
    for (size_t i = 0; i < trunk->n_vlans; i++) {
        tc_vlan_emit(prog, I_JNE_IMM(R7, trunk->vlans[i].vid, 2));
        tc_vlan_emit(prog, I_MOV_IMM(R8, trunk->vlans[i].ifindex));
        to_redirect[i] = tc_vlan_emit(prog, I_JA(0));
    }

    /* other: */
    tc_vlan_land(prog, to_other);
    tc_vlan_emit(prog, I_MOV_IMM(R0, (trunk->drop_other
                                      ? TC_ACT_SHOT : TC_ACT_UNSPEC)));
    tc_vlan_emit(prog, I_EXIT());

    /* priority: */
    tc_vlan_land(prog, to_priority);
    tc_vlan_emit(prog, I_MOV_REG(R1, R6));
    tc_vlan_emit(prog, I_CALL(BPF_FUNC_skb_vlan_pop));

    /* pass: */
    tc_vlan_land(prog, to_pass);
    tc_vlan_emit(prog, I_MOV_IMM(R0, TC_ACT_UNSPEC));
    tc_vlan_emit(prog, I_EXIT());

    if (trunk->n_vlans) {
        /* redirect: */
        for (size_t i = 0; i < trunk->n_vlans; i++) {
            tc_vlan_land(prog, to_redirect[i]);
        }
        tc_vlan_emit(prog, I_MOV_REG(R1, R6));
        tc_vlan_emit(prog, I_CALL(BPF_FUNC_skb_vlan_pop));
        tc_vlan_emit_redirect(prog, I_MOV_REG(R1, R8));
    }
    free(to_redirect);
}

/* Builds into 'prog' (uninitialized) the tagger program for VLAN 'vid' of
 * trunk 'trunk_ifindex'. */
static void
tc_vlan_build_tagger(struct tc_vlan_prog *prog, uint16_t vid,
                     int trunk_ifindex)
{
    memset(prog, 0, sizeof *prog);
    tc_vlan_emit(prog, I_MOV_IMM(R2, htons(ETH_P_8021Q)));
    tc_vlan_emit(prog, I_MOV_IMM(R3, vid));
    tc_vlan_emit(prog, I_CALL(BPF_FUNC_skb_vlan_push));
    tc_vlan_emit_redirect(prog, I_MOV_IMM(R1, trunk_ifindex));
}

/* Loading programs. */

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
    VLOG_ERR_RL(&rl, "loading eBPF program %s (%"PRIuSIZE" instructions) "
                "failed (%s)%s%s", name, prog->n, ovs_strerror(error),
                log[0] ? ": " : "", log);
    free(log);
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

/* Loads 'prog' under 'name' and attaches it to the ingress hook of device
 * 'ifindex', in place of the program that this module had there, if any.
 * Returns 0 or an errno value (logged only if the kernel refused the
 * program itself, with the verifier's reasons). */
static int
tc_vlan_attach(int ifindex, const struct tc_vlan_prog *prog,
               const char *name)
{
    struct ofpbuf msg;
    size_t options;
    int error, fd;

    /* A clsact qdisc (TC_EGRESS), which has an ingress hook too, unless the
     * device has one, or an ingress qdisc, which offers the same hook. */
    COVERAGE_INC(tc_vlan_request);
    error = tc_add_del_qdisc(ifindex, true, 0, TC_EGRESS);
    if (error && error != EEXIST) {
        return error;
    }

    error = tc_vlan_load(prog, name, &fd);
    if (error) {
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
    error = tc_transact(&msg, NULL);

    /* The filter holds its own reference to the program. */
    close(fd);
    return error;
}

/* Attaches to the ingress hook of device 'ifindex' the trunk program for
 * 'trunk' (which must not be empty), in place of the program that this
 * module had there, if any.  Returns 0 or an errno value. */
int
tc_vlan_set_trunk(int ifindex, const struct tc_vlan_trunk *trunk)
{
    struct tc_vlan_prog prog;
    int error;

    ovs_assert(!tc_vlan_trunk_is_empty(trunk));
    tc_vlan_build_trunk(&prog, trunk);
    error = tc_vlan_attach(ifindex, &prog, "vtepd_trunk");
    free(prog.insns);
    return error;
}

/* Attaches to the ingress hook of device 'ifindex' the tagger program that
 * sends each frame, tagged with VLAN 'vid' (1 to 4095), out of device
 * 'trunk_ifindex', in place of the program that this module had there, if
 * any.  Returns 0 or an errno value. */
int
tc_vlan_set_tagger(int ifindex, uint16_t vid, int trunk_ifindex)
{
    struct tc_vlan_prog prog;
    int error;

    ovs_assert(vid > 0 && vid <= TC_VLAN_VID_MASK);
    tc_vlan_build_tagger(&prog, vid, trunk_ifindex);
    error = tc_vlan_attach(ifindex, &prog, "vtepd_tagger");
    free(prog.insns);
    return error;
}

/* Removes the program that this module attached to device 'ifindex', if
 * any.  The clsact qdisc stays, as other filters may use it.  Returns 0
 * (also if there was no such program, qdisc or device) or an errno
 * value. */
int
tc_vlan_clear(int ifindex)
{
    struct ofpbuf msg;
    int error;

    tc_vlan_filter_request(&msg, RTM_DELTFILTER, 0, ifindex);
    COVERAGE_INC(tc_vlan_request);
    error = tc_transact(&msg, NULL);
    /* ENOENT: no filter; EINVAL: no qdisc to hold one. */
    return error == ENOENT || error == ENODEV || error == EINVAL ? 0 : error;
}
