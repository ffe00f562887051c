/* rtnl-fdb.c -- rtnetlink requests about bridge and VXLAN forwarding
 * databases. */

#include <config.h>
#include "rtnl-fdb.h"

#include <errno.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>

#include "coverage.h"
#include "netlink.h"
#include "netlink-socket.h"
#include "openvswitch/ofpbuf.h"
#include "util.h"

COVERAGE_DEFINE(rtnl_fdb_request);

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
    return 0;
}

/* Returns true if 'fdb' is a bridge entry that the bridge learned from the
 * source address of a frame (as opposed to a device's own address, a static
 * or externally learned entry, or a VXLAN remote). */
bool
rtnl_fdb_is_learned(const struct rtnl_fdb *fdb)
{
    return (fdb->master
            && !(fdb->flags & (NTF_SELF | NTF_EXT_LEARNED))
            && !(fdb->state & NUD_PERMANENT)
            && !fdb->has_dst);
}

/* Reads the FDB entries of bridge 'master' (its own, those of its ports and
 * the ports' own entries), or of every device if 'master' is 0, and calls
 * 'cb' with each one and 'aux'.  Returns 0 or an errno value (after calling
 * 'cb' with what could be read). */
int
rtnl_fdb_dump(int master, void (*cb)(const struct rtnl_fdb *, void *aux),
              void *aux)
{
    uint64_t stub[NL_DUMP_BUFSIZE / 8];
    struct ofpbuf request, reply, buf;
    struct ifinfomsg *ifi;
    struct nl_dump dump;

    /* The kernel takes a request header the size of struct ifinfomsg (as
     * "bridge fdb show" sends) as asking for a dump filtered by
     * IFLA_MASTER. */
    ofpbuf_init(&request, 64);
    nl_msg_put_nlmsghdr(&request, sizeof *ifi, RTM_GETNEIGH, NLM_F_REQUEST);
    ifi = ofpbuf_put_zeros(&request, sizeof *ifi);
    ifi->ifi_family = AF_BRIDGE;
    if (master) {
        nl_msg_put_u32(&request, IFLA_MASTER, master);
    }
    COVERAGE_INC(rtnl_fdb_request);
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

/* Initializes 'batch' as empty. */
void
rtnl_fdb_batch_init(struct rtnl_fdb_batch *batch)
{
    batch->requests = NULL;
    batch->n = 0;
    batch->allocated = 0;
}

/* Frees 'batch' and the requests it still holds. */
void
rtnl_fdb_batch_destroy(struct rtnl_fdb_batch *batch)
{
    for (size_t i = 0; i < batch->n; i++) {
        ofpbuf_delete(batch->requests[i]);
    }
    free(batch->requests);
    rtnl_fdb_batch_init(batch);
}

/* Appends to 'batch' a neighbour request of 'type' (RTM_NEWNEIGH or
 * RTM_DELNEIGH) with 'nlflags' for the entry for 'mac' on device 'ifindex',
 * with NTF_* 'ntf' and NUD_* 'state', and NDA_DST 'dst' if it is
 * nonzero. */
static void
rtnl_fdb_batch_put(struct rtnl_fdb_batch *batch, uint16_t type,
                   uint32_t nlflags, int ifindex, uint8_t ntf,
                   uint16_t state, struct eth_addr mac, ovs_be32 dst)
{
    struct ofpbuf *msg = ofpbuf_new(64);
    struct ndmsg *ndm;

    nl_msg_put_nlmsghdr(msg, sizeof *ndm, type,
                        NLM_F_REQUEST | NLM_F_ACK | nlflags);
    ndm = ofpbuf_put_zeros(msg, sizeof *ndm);
    ndm->ndm_family = AF_BRIDGE;
    ndm->ndm_ifindex = ifindex;
    ndm->ndm_flags = ntf;
    ndm->ndm_state = state;
    nl_msg_put_unspec(msg, NDA_LLADDR, &mac, sizeof mac);
    if (dst) {
        nl_msg_put_be32(msg, NDA_DST, dst);
    }

    if (batch->n >= batch->allocated) {
        batch->requests = x2nrealloc(batch->requests, &batch->allocated,
                                     sizeof *batch->requests);
    }
    batch->requests[batch->n++] = msg;
}

/* Appends to 'batch' what sends frames for 'mac' through VXLAN device
 * 'vxlan' to remote VTEP 'dst': the VXLAN entry, and an entry in the bridge,
 * so that the bridge forwards rather than floods frames to 'mac'.  Replaces
 * existing entries for 'mac'.
 *
 * The bridge entry is "externally learned" rather than static: it does not
 * age either, but if 'mac' shows up on a local port, learning turns it into
 * an ordinary entry there, which ages.  (Learning moves a static entry too,
 * but it stays static, so a host that moved in would never age out.) */
void
rtnl_fdb_batch_add_remote(struct rtnl_fdb_batch *batch, int vxlan,
                          struct eth_addr mac, ovs_be32 dst)
{
    rtnl_fdb_batch_put(batch, RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE,
                       vxlan, NTF_SELF, NUD_PERMANENT, mac, dst);
    rtnl_fdb_batch_put(batch, RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE,
                       vxlan, NTF_MASTER | NTF_EXT_LEARNED, NUD_NOARP, mac,
                       0);
}

/* Appends to 'batch' the removal of both entries that
 * rtnl_fdb_batch_add_remote() adds. */
void
rtnl_fdb_batch_del_remote(struct rtnl_fdb_batch *batch, int vxlan,
                          struct eth_addr mac)
{
    rtnl_fdb_batch_put(batch, RTM_DELNEIGH, 0, vxlan, NTF_SELF, 0, mac, 0);
    rtnl_fdb_batch_put(batch, RTM_DELNEIGH, 0, vxlan, NTF_MASTER, 0, mac, 0);
}

/* Appends to 'batch' the addition of 'dst' to the flood list of VXLAN
 * device 'vxlan': the all-zeros entry, with which the driver sends a copy of
 * every frame without a more specific entry to each of its remotes. */
void
rtnl_fdb_batch_add_flood(struct rtnl_fdb_batch *batch, int vxlan,
                         ovs_be32 dst)
{
    rtnl_fdb_batch_put(batch, RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_APPEND,
                       vxlan, NTF_SELF, NUD_PERMANENT, eth_addr_zero, dst);
}

/* Appends to 'batch' the removal of 'dst' from the flood list of VXLAN
 * device 'vxlan'. */
void
rtnl_fdb_batch_del_flood(struct rtnl_fdb_batch *batch, int vxlan,
                         ovs_be32 dst)
{
    rtnl_fdb_batch_put(batch, RTM_DELNEIGH, 0, vxlan, NTF_SELF, 0,
                       eth_addr_zero, dst);
}

/* Sends the requests in 'batch' to the kernel and empties it.  Returns 0 if
 * every request succeeded (a removal of an entry that does not exist counts
 * as success), otherwise the errno value of the first that failed. */
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
        txns[i].request = batch->requests[i];
        txns[i].reply = NULL;
        txns[i].error = 0;
        txnps[i] = &txns[i];
    }
    COVERAGE_ADD(rtnl_fdb_request, batch->n);
    nl_transact_multiple(NETLINK_ROUTE, txnps, batch->n);

    for (size_t i = 0; i < batch->n && !error; i++) {
        const struct nlmsghdr *nlh = nl_msg_nlmsghdr(txns[i].request);

        if (txns[i].error != ENOENT || nlh->nlmsg_type != RTM_DELNEIGH) {
            error = txns[i].error;
        }
    }
    free(txnps);
    free(txns);
    rtnl_fdb_batch_destroy(batch);
    return error;
}
