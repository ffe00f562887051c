/* rtnl-fdb.c -- rtnetlink requests about bridge and VXLAN forwarding
 * databases. */

#include <config.h>
#include "rtnl-fdb.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>

#include "coverage.h"
#include "netlink.h"
#include "netlink-socket.h"
#include "openvswitch/ofpbuf.h"
#include "util.h"

COVERAGE_DEFINE(rtnl_fdb_request);
COVERAGE_DEFINE(rtnl_fdb_dump);
COVERAGE_DEFINE(rtnl_fdb_filter);

/* Parses neighbour message 'msg' into 'fdb'.  Returns 0, EAFNOSUPPORT if it
 * is not about a bridge or VXLAN FDB (e.g. an ARP entry), or EINVAL if it is
 * malformed. */
int
rtnl_fdb_parse(const struct ofpbuf *msg, struct rtnl_fdb *fdb)
{
    static const struct nl_policy policy[] = {
        [NDA_LLADDR] = { .type = NL_A_UNSPEC, .min_len = ETH_ADDR_LEN,
                         .max_len = ETH_ADDR_LEN },
        [NDA_DST] = { .type = NL_A_UNSPEC, .min_len = sizeof(ovs_be32),
                      .max_len = sizeof(struct in6_addr), .optional = true },
        [NDA_MASTER] = { .type = NL_A_U32, .optional = true },
        [NDA_VNI] = { .type = NL_A_U32, .optional = true },
    };
    struct nlattr *attrs[ARRAY_SIZE(policy)];
    const struct ndmsg *ndm;

    ndm = ofpbuf_at(msg, NLMSG_HDRLEN, sizeof *ndm);
    if (!ndm) {
        return EINVAL;
    } else if (ndm->ndm_family != AF_BRIDGE) {
        return EAFNOSUPPORT;
    } else if (!nl_policy_parse(msg, NLMSG_HDRLEN + sizeof *ndm,
                                policy, attrs, ARRAY_SIZE(policy))) {
        return EINVAL;
    }

    memset(fdb, 0, sizeof *fdb);
    fdb->ifindex = ndm->ndm_ifindex;
    fdb->flags = ndm->ndm_flags;
    fdb->state = ndm->ndm_state;
    fdb->mac = nl_attr_get_eth_addr(attrs[NDA_LLADDR]);
    if (attrs[NDA_DST]) {
        fdb->has_dst = true;
        if (nl_attr_get_size(attrs[NDA_DST]) == sizeof(ovs_be32)) {
            fdb->dst = nl_attr_get_be32(attrs[NDA_DST]);
        }
    }
    if (attrs[NDA_MASTER]) {
        fdb->master = nl_attr_get_u32(attrs[NDA_MASTER]);
    }
    if (attrs[NDA_VNI]) {
        fdb->vni = nl_attr_get_u32(attrs[NDA_VNI]);
    }
    return 0;
}

/* NTF_* flags and NUD_* states that no entry that a bridge learned from
 * the source address of a frame has: a device's own entries (NTF_SELF, as
 * VXLAN remotes are), externally learned ones, a device's own address
 * (NUD_PERMANENT) and static entries (NUD_NOARP). */
#define RTNL_FDB_NOT_LEARNED_FLAGS (NTF_SELF | NTF_EXT_LEARNED)
#define RTNL_FDB_NOT_LEARNED_STATES (NUD_PERMANENT | NUD_NOARP)

/* Returns true if 'fdb' is a bridge entry that the bridge learned from the
 * source address of a frame (as opposed to a device's own address, a static
 * or externally learned entry, or a VXLAN remote). */
bool
rtnl_fdb_is_learned(const struct rtnl_fdb *fdb)
{
    return (fdb->master
            && !(fdb->flags & RTNL_FDB_NOT_LEARNED_FLAGS)
            && !(fdb->state & RTNL_FDB_NOT_LEARNED_STATES)
            && !fdb->has_dst);
}

/* Reads FDB entries and calls 'cb' with each one and 'aux': those of bridge
 * 'master' (its own, those of its ports and the ports' own entries), or of
 * every device (bridge entries and devices' own entries, such as a VXLAN
 * device's remotes) if 'master' is 0.  Returns 0 or an errno value (after
 * calling 'cb' with what could be read).
 *
 * For each dump, whatever its filter, the kernel visits every device of
 * the namespace; for each part of a dump (about 32 kB), it walks the
 * entries of the device it resumes at from the first.  With thousands of
 * devices, one dump of all of them therefore costs far less than one dump
 * per bridge or per port; a device with many entries costs the same in
 * either. */
int
rtnl_fdb_dump(int master,
              void (*cb)(const struct rtnl_fdb *, void *aux), void *aux)
{
    uint64_t stub[NL_DUMP_BUFSIZE / 8];
    struct ofpbuf request, reply, buf;
    struct ifinfomsg *ifi;
    struct nl_dump dump;

    /* The kernel takes a request header the size of struct ifinfomsg (as
     * "bridge fdb show" sends) as asking for a dump filtered by IFLA_MASTER
     * if it is there. */
    ofpbuf_init(&request, 64);
    nl_msg_put_nlmsghdr(&request, sizeof *ifi, RTM_GETNEIGH, NLM_F_REQUEST);
    ifi = ofpbuf_put_zeros(&request, sizeof *ifi);
    ifi->ifi_family = AF_BRIDGE;
    if (master) {
        nl_msg_put_u32(&request, IFLA_MASTER, master);
    }
    COVERAGE_INC(rtnl_fdb_request);
    COVERAGE_INC(rtnl_fdb_dump);
    nl_dump_start(&dump, NETLINK_ROUTE, &request);
    ofpbuf_uninit(&request);

    ofpbuf_use_stub(&buf, stub, sizeof stub);
    while (nl_dump_next(&dump, &reply, &buf)) {
        struct rtnl_fdb fdb;

        if (!rtnl_fdb_parse(&reply, &fdb)) {
            cb(&fdb, aux);
        }
    }
    ofpbuf_uninit(&buf);
    return nl_dump_done(&dump);
}

/* Attaches to netlink socket 'fd' a classic BPF filter that drops the
 * neighbour messages (RTM_NEWNEIGH, RTM_DELNEIGH) that rtnl_fdb_is_learned()
 * would reject for their family, NTF_* flags or NUD_* state: those of other
 * families than AF_BRIDGE (ARP and NDP entries), and entries that no bridge
 * learned, among them every entry that a batch adds.  The kernel then does
 * not queue them on the socket at all, so that programming many FDB entries
 * cannot overflow it.  Other messages pass.  Returns 0 or an errno value. */
int
rtnl_fdb_filter_learned(int fd)
{
    /* Offsets in a message: struct nlmsghdr, then struct ndmsg.  Classic
     * BPF loads half-words in network byte order, hence htons() on the
     * constants that they are compared with. */
    enum {
        TYPE = offsetof(struct nlmsghdr, nlmsg_type),
        FAMILY = NLMSG_HDRLEN + offsetof(struct ndmsg, ndm_family),
        STATE = NLMSG_HDRLEN + offsetof(struct ndmsg, ndm_state),
        FLAGS = NLMSG_HDRLEN + offsetof(struct ndmsg, ndm_flags),
    };
    struct sock_filter code[] = {
        /* 0 */ BPF_STMT(BPF_LD | BPF_H | BPF_ABS, TYPE),
        /* 1 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, htons(RTM_NEWNEIGH), 1, 0),
        /* 2 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, htons(RTM_DELNEIGH), 0, 6),
        /* 3 */ BPF_STMT(BPF_LD | BPF_B | BPF_ABS, FAMILY),
        /* 4 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_BRIDGE, 0, 5),
        /* 5 */ BPF_STMT(BPF_LD | BPF_B | BPF_ABS, FLAGS),
        /* 6 */ BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K,
                         RTNL_FDB_NOT_LEARNED_FLAGS, 3, 0),
        /* 7 */ BPF_STMT(BPF_LD | BPF_H | BPF_ABS, STATE),
        /* 8 */ BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K,
                         htons(RTNL_FDB_NOT_LEARNED_STATES), 1, 0),
        /* 9 */ BPF_STMT(BPF_RET | BPF_K, UINT32_MAX),     /* Pass. */
        /* 10 */ BPF_STMT(BPF_RET | BPF_K, 0),             /* Drop. */
    };
    struct sock_fprog prog = {
        .len = ARRAY_SIZE(code),
        .filter = code,
    };

    COVERAGE_INC(rtnl_fdb_filter);
    return (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog)
            ? errno : 0);
}

/* Initializes 'batch' as empty. */
void
rtnl_fdb_batch_init(struct rtnl_fdb_batch *batch)
{
    batch->requests = NULL;
    batch->errors = NULL;
    batch->n = 0;
    batch->allocated = 0;
}

/* Frees 'batch' and the requests it still holds. */
void
rtnl_fdb_batch_destroy(struct rtnl_fdb_batch *batch)
{
    rtnl_fdb_batch_clear(batch);
    free(batch->requests);
    free(batch->errors);
    rtnl_fdb_batch_init(batch);
}

/* Empties 'batch', freeing the requests that it still holds (those not yet
 * sent) and forgetting the results of those sent. */
void
rtnl_fdb_batch_clear(struct rtnl_fdb_batch *batch)
{
    for (size_t i = 0; i < batch->n; i++) {
        ofpbuf_delete(batch->requests[i]);
    }
    batch->n = 0;
}

/* Appends to 'batch' a neighbour request of 'type' (RTM_NEWNEIGH or
 * RTM_DELNEIGH) with 'nlflags' for the entry for 'mac' on device 'ifindex',
 * with NTF_* 'ntf' and NUD_* 'state', NDA_DST 'dst' if it is nonzero, and
 * NDA_VNI 'vni' if it is nonzero (else the VXLAN device's own VNI
 * applies). */
static void
rtnl_fdb_batch_put(struct rtnl_fdb_batch *batch, uint16_t type,
                   uint32_t nlflags, int ifindex, uint8_t ntf,
                   uint16_t state, struct eth_addr mac, ovs_be32 dst,
                   uint32_t vni)
{
    struct ofpbuf *msg = ofpbuf_new(64);
    struct ndmsg *ndm;

    /* No NLM_F_ACK: the kernel handles the requests of a batch while
     * rtnl_fdb_batch_execute() sends them, and answers only those that
     * fail, so that a batch of N requests does not need N replies. */
    nl_msg_put_nlmsghdr(msg, sizeof *ndm, type, NLM_F_REQUEST | nlflags);
    ndm = ofpbuf_put_zeros(msg, sizeof *ndm);
    ndm->ndm_family = AF_BRIDGE;
    ndm->ndm_ifindex = ifindex;
    ndm->ndm_flags = ntf;
    ndm->ndm_state = state;
    nl_msg_put_unspec(msg, NDA_LLADDR, &mac, sizeof mac);
    if (dst) {
        nl_msg_put_be32(msg, NDA_DST, dst);
    }
    if (vni) {
        nl_msg_put_u32(msg, NDA_VNI, vni);
    }

    if (batch->n >= batch->allocated) {
        batch->requests = x2nrealloc(batch->requests, &batch->allocated,
                                     sizeof *batch->requests);
        batch->errors = xrealloc(batch->errors,
                                 batch->allocated * sizeof *batch->errors);
    }
    batch->errors[batch->n] = 0;
    batch->requests[batch->n++] = msg;
}

/* Appends to 'batch' the addition of 'entry' of remote MAC 'mac' behind
 * VXLAN device 'vxlan' towards remote VTEP 'dst' with VNI 'vni' (see
 * rtnl_fdb_batch_add_remote()), in place of an existing entry for 'mac'. */
void
rtnl_fdb_batch_add_remote_entry(struct rtnl_fdb_batch *batch,
                                enum rtnl_fdb_remote_entry entry, int vxlan,
                                struct eth_addr mac, ovs_be32 dst,
                                uint32_t vni)
{
    uint32_t flags = NLM_F_CREATE | NLM_F_REPLACE;

    if (entry == RTNL_FDB_REMOTE_VXLAN) {
        rtnl_fdb_batch_put(batch, RTM_NEWNEIGH, flags, vxlan, NTF_SELF,
                           NUD_PERMANENT, mac, dst, vni);
    } else {
        rtnl_fdb_batch_put(batch, RTM_NEWNEIGH, flags, vxlan,
                           NTF_MASTER | NTF_EXT_LEARNED, NUD_NOARP, mac, 0,
                           0);
    }
}

/* Appends to 'batch' the removal of 'entry' of remote MAC 'mac' behind
 * VXLAN device 'vxlan'. */
void
rtnl_fdb_batch_del_remote_entry(struct rtnl_fdb_batch *batch,
                                enum rtnl_fdb_remote_entry entry, int vxlan,
                                struct eth_addr mac)
{
    rtnl_fdb_batch_put(batch, RTM_DELNEIGH, 0, vxlan,
                       entry == RTNL_FDB_REMOTE_VXLAN ? NTF_SELF : NTF_MASTER,
                       0, mac, 0, 0);
}

/* Appends to 'batch' what sends frames for 'mac' through VXLAN device
 * 'vxlan' to remote VTEP 'dst', with VNI 'vni' (0: the device's): the VXLAN
 * entry, and an entry in the bridge,
 * so that the bridge forwards rather than floods frames to 'mac', one
 * request each, in the order of enum rtnl_fdb_remote_entry.  Replaces
 * existing entries for 'mac'.
 *
 * The bridge entry is "externally learned" rather than static: it does not
 * age either, but if 'mac' shows up on a local port, learning turns it into
 * an ordinary entry there, which ages.  (Learning moves a static entry too,
 * but it stays static, so a host that moved in would never age out.) */
void
rtnl_fdb_batch_add_remote(struct rtnl_fdb_batch *batch, int vxlan,
                          struct eth_addr mac, ovs_be32 dst, uint32_t vni)
{
    for (int i = 0; i < RTNL_FDB_REMOTE_N_ENTRIES; i++) {
        rtnl_fdb_batch_add_remote_entry(batch, i, vxlan, mac, dst, vni);
    }
}

/* Appends to 'batch' the removal of both entries that
 * rtnl_fdb_batch_add_remote() adds, in the same order. */
void
rtnl_fdb_batch_del_remote(struct rtnl_fdb_batch *batch, int vxlan,
                          struct eth_addr mac)
{
    for (int i = 0; i < RTNL_FDB_REMOTE_N_ENTRIES; i++) {
        rtnl_fdb_batch_del_remote_entry(batch, i, vxlan, mac);
    }
}

/* Appends to 'batch' the addition of 'dst', with VNI 'vni' (0: the
 * device's), to the remotes of the entry for multicast or all-zeros MAC
 * 'mac' of VXLAN device 'vxlan': the driver sends a copy of every frame to
 * 'mac' to each remote of that entry. */
void
rtnl_fdb_batch_add_group(struct rtnl_fdb_batch *batch, int vxlan,
                         struct eth_addr mac, ovs_be32 dst, uint32_t vni)
{
    rtnl_fdb_batch_put(batch, RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_APPEND,
                       vxlan, NTF_SELF, NUD_PERMANENT, mac, dst, vni);
}

/* Appends to 'batch' the removal of 'dst', with VNI 'vni' (0: the
 * device's; the kernel matches the VNI too), from the remotes of the entry
 * for multicast or all-zeros MAC 'mac' of VXLAN device 'vxlan' (and of the
 * entry, if that was its last remote). */
void
rtnl_fdb_batch_del_group(struct rtnl_fdb_batch *batch, int vxlan,
                         struct eth_addr mac, ovs_be32 dst, uint32_t vni)
{
    rtnl_fdb_batch_put(batch, RTM_DELNEIGH, 0, vxlan, NTF_SELF, 0, mac, dst,
                       vni);
}

/* Appends to 'batch' the addition of 'dst', with VNI 'vni' (0: the
 * device's), to the flood list of VXLAN device 'vxlan': the all-zeros entry,
 * with which the driver sends a copy of every frame without a more specific
 * entry to each of its remotes. */
void
rtnl_fdb_batch_add_flood(struct rtnl_fdb_batch *batch, int vxlan,
                         ovs_be32 dst, uint32_t vni)
{
    rtnl_fdb_batch_add_group(batch, vxlan, eth_addr_zero, dst, vni);
}

/* Appends to 'batch' the removal of 'dst', with VNI 'vni', from the flood
 * list of VXLAN device 'vxlan'. */
void
rtnl_fdb_batch_del_flood(struct rtnl_fdb_batch *batch, int vxlan,
                         ovs_be32 dst, uint32_t vni)
{
    rtnl_fdb_batch_del_group(batch, vxlan, eth_addr_zero, dst, vni);
}

/* Returns true if 'error' from request 'nlh' means that the kernel
 * already holds what the request asks for: the removal of an entry that
 * does not exist, or the addition to the flood list or a multicast group
 * of a remote that it has. */
static bool
rtnl_fdb_error_is_done(const struct nlmsghdr *nlh, int error)
{
    return (nlh->nlmsg_type == RTM_DELNEIGH
            ? error == ENOENT
            : error == EEXIST && nlh->nlmsg_flags & NLM_F_APPEND);
}

/* Sends the requests in 'batch' to the kernel, all at once (in as few
 * system calls as nl_transact_multiple() can manage), and records each
 * one's result for rtnl_fdb_batch_error().  A removal of an entry that does
 * not exist and an addition to a flood list or multicast group that holds
 * the remote already count as success.  Returns 0 if every request
 * succeeded, otherwise the errno value of the first that failed.  Call
 * rtnl_fdb_batch_clear() before adding requests again. */
int
rtnl_fdb_batch_execute(struct rtnl_fdb_batch *batch)
{
    struct nl_transaction *txns, **txnps;
    int error = 0;

    if (!batch->n) {
        return 0;
    }

    txns = xmalloc(batch->n * sizeof *txns);
    txnps = xmalloc(batch->n * sizeof *txnps);
    for (size_t i = 0; i < batch->n; i++) {
        ovs_assert(batch->requests[i]);
        txns[i].request = batch->requests[i];
        txns[i].reply = NULL;
        txns[i].error = 0;
        txnps[i] = &txns[i];
    }
    COVERAGE_ADD(rtnl_fdb_request, batch->n);
    nl_transact_multiple(NETLINK_ROUTE, txnps, batch->n);

    for (size_t i = 0; i < batch->n; i++) {
        int e = txns[i].error;

        if (e && rtnl_fdb_error_is_done(nl_msg_nlmsghdr(txns[i].request),
                                        e)) {
            e = 0;
        }
        batch->errors[i] = e;
        error = error ? error : e;
        ofpbuf_delete(batch->requests[i]);
        batch->requests[i] = NULL;
    }
    free(txnps);
    free(txns);
    return error;
}

/* Returns the result of request 'i' of 'batch', which
 * rtnl_fdb_batch_execute() sent: 0 or an errno value. */
int
rtnl_fdb_batch_error(const struct rtnl_fdb_batch *batch, size_t i)
{
    ovs_assert(i < batch->n && !batch->requests[i]);
    return batch->errors[i];
}
