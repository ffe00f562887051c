/* rtnl-neigh.c -- IPv4 neighbour (ARP) entries over rtnetlink. */

#include <config.h>
#include "rtnl-neigh.h"

#include <errno.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>

#include "coverage.h"
#include "netlink.h"
#include "netlink-socket.h"
#include "openvswitch/ofpbuf.h"
#include "util.h"

COVERAGE_DEFINE(rtnl_neigh_request);

/* Starts in 'msg' (uninitialized) a request of 'type' with 'flags' about
 * the IPv4 neighbour 'ip' of device 'ifindex' (0 for all devices). */
static void
rtnl_neigh_start(struct ofpbuf *msg, uint16_t type, uint32_t flags,
                 int ifindex, ovs_be32 ip)
{
    struct ndmsg *ndm;

    ofpbuf_init(msg, 64);
    nl_msg_put_nlmsghdr(msg, sizeof *ndm, type, NLM_F_REQUEST | flags);
    ndm = ofpbuf_put_zeros(msg, sizeof *ndm);
    ndm->ndm_family = AF_INET;
    ndm->ndm_ifindex = ifindex;
    ndm->ndm_state = NUD_PERMANENT;
    if (ip) {
        nl_msg_put_be32(msg, NDA_DST, ip);
    }
}

/* Sends request 'msg' (with NLM_F_ACK) and frees it.  Returns 0 or the
 * kernel's errno. */
static int
rtnl_neigh_transact(struct ofpbuf *msg)
{
    int error;

    COVERAGE_INC(rtnl_neigh_request);
    nl_msg_nlmsghdr(msg)->nlmsg_flags |= NLM_F_ACK;
    error = nl_transact(NETLINK_ROUTE, msg, NULL);
    ofpbuf_uninit(msg);
    return error;
}

/* Makes 'ip' a permanent neighbour of device 'ifindex' with MAC 'mac',
 * adding the entry or replacing the one there. */
int
rtnl_neigh_add(int ifindex, ovs_be32 ip, struct eth_addr mac)
{
    struct ofpbuf msg;

    rtnl_neigh_start(&msg, RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE,
                     ifindex, ip);
    nl_msg_put_unspec(&msg, NDA_LLADDR, &mac, sizeof mac);
    return rtnl_neigh_transact(&msg);
}

/* Removes neighbour 'ip' of device 'ifindex'.  Returns 0 also if there was
 * no such entry or device. */
int
rtnl_neigh_del(int ifindex, ovs_be32 ip)
{
    struct ofpbuf msg;
    int error;

    rtnl_neigh_start(&msg, RTM_DELNEIGH, 0, ifindex, ip);
    error = rtnl_neigh_transact(&msg);
    return error == ENOENT || error == ENODEV ? 0 : error;
}

/* Calls 'cb' for every permanent IPv4 neighbour with a MAC, of every
 * device: its device, address and MAC. */
int
rtnl_neigh_dump(void (*cb)(int ifindex, ovs_be32 ip, struct eth_addr,
                           void *aux),
                void *aux)
{
    static const struct nl_policy policy[] = {
        [NDA_DST] = { .type = NL_A_BE32 },
        [NDA_LLADDR] = { .type = NL_A_UNSPEC, .min_len = ETH_ADDR_LEN,
                         .max_len = ETH_ADDR_LEN, .optional = true },
    };
    uint64_t stub[NL_DUMP_BUFSIZE / 8];
    struct ofpbuf request, reply, buf;
    struct nl_dump dump;

    rtnl_neigh_start(&request, RTM_GETNEIGH, NLM_F_DUMP, 0, 0);
    COVERAGE_INC(rtnl_neigh_request);
    nl_dump_start(&dump, NETLINK_ROUTE, &request);
    ofpbuf_uninit(&request);

    ofpbuf_use_stub(&buf, stub, sizeof stub);
    while (nl_dump_next(&dump, &reply, &buf)) {
        struct nlattr *a[ARRAY_SIZE(policy)];
        const struct ndmsg *ndm;

        ndm = ofpbuf_at(&reply, NLMSG_HDRLEN, sizeof *ndm);
        if (ndm && ndm->ndm_family == AF_INET
            && ndm->ndm_state & NUD_PERMANENT
            && nl_policy_parse(&reply, NLMSG_HDRLEN + sizeof *ndm, policy,
                               a, ARRAY_SIZE(a))
            && a[NDA_LLADDR]) {
            struct eth_addr mac;

            memcpy(&mac, nl_attr_get(a[NDA_LLADDR]), sizeof mac);
            cb(ndm->ndm_ifindex, nl_attr_get_be32(a[NDA_DST]), mac, aux);
        }
    }
    ofpbuf_uninit(&buf);
    return nl_dump_done(&dump);
}
