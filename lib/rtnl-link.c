/* rtnl-link.c -- rtnetlink requests about network devices. */

#include <config.h>
#include "rtnl-link.h"

#include <errno.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <string.h>
#include <sys/socket.h>

#include "coverage.h"
#include "netlink.h"
#include "netlink-socket.h"
#include "openvswitch/ofpbuf.h"
#include "util.h"

/* IFLA_BR_FDB_MAX_LEARNED, the bridge's cap on learned MACs (Linux 6.8).
 * Debian 12's kernel headers predate it; the value is kernel ABI. */
#define RTNL_BR_FDB_MAX_LEARNED 49

COVERAGE_DEFINE(rtnl_link_request);

/* Starts in 'msg' (uninitialized) a request of 'type' about device
 * 'ifindex' (0 if named by IFLA_IFNAME instead), in address family 'family',
 * with NLM_F_REQUEST and 'flags', and setting the IFF_* flags in 'set'. */
static void
rtnl_link_start(struct ofpbuf *msg, uint16_t type, uint32_t flags,
                uint8_t family, int ifindex, unsigned int set)
{
    struct ifinfomsg *ifi;

    ofpbuf_init(msg, 128);
    nl_msg_put_nlmsghdr(msg, sizeof *ifi, type, NLM_F_REQUEST | flags);
    ifi = ofpbuf_put_zeros(msg, sizeof *ifi);
    ifi->ifi_family = family;
    ifi->ifi_index = ifindex;
    ifi->ifi_flags = set;
    ifi->ifi_change = set;
}

/* Sends request 'msg' (with NLM_F_ACK) and frees it.  Returns 0 or the
 * kernel's errno. */
static int
rtnl_link_transact(struct ofpbuf *msg)
{
    int error;

    COVERAGE_INC(rtnl_link_request);
    nl_msg_nlmsghdr(msg)->nlmsg_flags |= NLM_F_ACK;
    error = nl_transact(NETLINK_ROUTE, msg, NULL);
    ofpbuf_uninit(msg);
    return error;
}

/* Parses IFLA_INFO_DATA attribute 'data' of a device of kind link->kind into
 * 'link'.  Returns false if it is malformed. */
static bool
rtnl_link_parse_data(const struct nlattr *data, struct rtnl_link *link)
{
    static const struct nl_policy bridge_policy[] = {
        [IFLA_BR_AGEING_TIME] = { .type = NL_A_U32, .optional = true },
        [RTNL_BR_FDB_MAX_LEARNED] = { .type = NL_A_U32, .optional = true },
        [IFLA_BR_MCAST_SNOOPING] = { .type = NL_A_U8, .optional = true },
    };
    static const struct nl_policy vxlan_policy[] = {
        [IFLA_VXLAN_ID] = { .type = NL_A_U32, .optional = true },
        [IFLA_VXLAN_LOCAL] = { .type = NL_A_BE32, .optional = true },
        [IFLA_VXLAN_PORT] = { .type = NL_A_BE16, .optional = true },
        [IFLA_VXLAN_UDP_CSUM] = { .type = NL_A_U8, .optional = true },
    };

    if (!strcmp(link->kind, "bridge")) {
        struct nlattr *a[ARRAY_SIZE(bridge_policy)];

        if (!nl_parse_nested(data, bridge_policy, a, ARRAY_SIZE(a))) {
            return false;
        }
        if (a[IFLA_BR_AGEING_TIME]) {
            link->br_ageing = nl_attr_get_u32(a[IFLA_BR_AGEING_TIME]);
        }
        link->br_mcast_snooping
            = (a[IFLA_BR_MCAST_SNOOPING]
               && nl_attr_get_u8(a[IFLA_BR_MCAST_SNOOPING]));
        if (a[RTNL_BR_FDB_MAX_LEARNED]) {
            link->br_max_learned
                = nl_attr_get_u32(a[RTNL_BR_FDB_MAX_LEARNED]);
        }
    } else if (!strcmp(link->kind, "vxlan")) {
        struct nlattr *a[ARRAY_SIZE(vxlan_policy)];

        if (!nl_parse_nested(data, vxlan_policy, a, ARRAY_SIZE(a))) {
            return false;
        }
        if (a[IFLA_VXLAN_ID]) {
            link->vxlan_id = nl_attr_get_u32(a[IFLA_VXLAN_ID]);
        }
        if (a[IFLA_VXLAN_LOCAL]) {
            link->vxlan_local = nl_attr_get_be32(a[IFLA_VXLAN_LOCAL]);
        }
        if (a[IFLA_VXLAN_PORT]) {
            link->vxlan_port = nl_attr_get_be16(a[IFLA_VXLAN_PORT]);
        }
        link->vxlan_udp_csum = (a[IFLA_VXLAN_UDP_CSUM]
                                && nl_attr_get_u8(a[IFLA_VXLAN_UDP_CSUM]));
    }
    return true;
}

/* Parses RTM_NEWLINK or RTM_DELLINK message 'msg' into 'link'.  Returns 0,
 * EAFNOSUPPORT if it is not about a device as such (e.g. a bridge port
 * message, family AF_BRIDGE), or EINVAL if it is malformed. */
int
rtnl_link_parse(const struct ofpbuf *msg, struct rtnl_link *link)
{
    static const struct nl_policy policy[] = {
        [IFLA_IFNAME] = { .type = NL_A_STRING },
        [IFLA_LINK] = { .type = NL_A_U32, .optional = true },
        [IFLA_MASTER] = { .type = NL_A_U32, .optional = true },
        [IFLA_MTU] = { .type = NL_A_U32, .optional = true },
        [IFLA_LINKINFO] = { .type = NL_A_NESTED, .optional = true },
        [IFLA_IFALIAS] = { .type = NL_A_STRING, .optional = true },
    };
    static const struct nl_policy linkinfo_policy[] = {
        [IFLA_INFO_KIND] = { .type = NL_A_STRING, .optional = true },
        [IFLA_INFO_DATA] = { .type = NL_A_NESTED, .optional = true },
    };
    struct nlattr *attrs[ARRAY_SIZE(policy)];
    struct nlattr *info[ARRAY_SIZE(linkinfo_policy)];
    const struct ifinfomsg *ifi;

    ifi = ofpbuf_at(msg, NLMSG_HDRLEN, sizeof *ifi);
    if (!ifi) {
        return EINVAL;
    } else if (ifi->ifi_family != AF_UNSPEC) {
        return EAFNOSUPPORT;
    } else if (!nl_policy_parse(msg, NLMSG_HDRLEN + sizeof *ifi,
                                policy, attrs, ARRAY_SIZE(policy))) {
        return EINVAL;
    }

    memset(link, 0, sizeof *link);
    link->ifindex = ifi->ifi_index;
    link->flags = ifi->ifi_flags;
    ovs_strlcpy(link->name, nl_attr_get_string(attrs[IFLA_IFNAME]),
                sizeof link->name);
    if (attrs[IFLA_IFALIAS]) {
        ovs_strlcpy(link->alias, nl_attr_get_string(attrs[IFLA_IFALIAS]),
                    sizeof link->alias);
    }
    if (attrs[IFLA_MASTER]) {
        link->master = nl_attr_get_u32(attrs[IFLA_MASTER]);
    }
    if (attrs[IFLA_LINK]) {
        link->lower = nl_attr_get_u32(attrs[IFLA_LINK]);
    }
    if (attrs[IFLA_MTU]) {
        link->mtu = nl_attr_get_u32(attrs[IFLA_MTU]);
    }
    if (attrs[IFLA_LINKINFO]) {
        if (!nl_parse_nested(attrs[IFLA_LINKINFO], linkinfo_policy,
                             info, ARRAY_SIZE(info))) {
            return EINVAL;
        }
        if (info[IFLA_INFO_KIND]) {
            ovs_strlcpy(link->kind, nl_attr_get_string(info[IFLA_INFO_KIND]),
                        sizeof link->kind);
        }
        if (info[IFLA_INFO_DATA]
            && !rtnl_link_parse_data(info[IFLA_INFO_DATA], link)) {
            return EINVAL;
        }
    }
    return 0;
}

/* Reads the device named 'name' into 'link'.  Returns 0, ENODEV if there is
 * no such device, or another errno value. */
int
rtnl_link_get(const char *name, struct rtnl_link *link)
{
    struct ofpbuf request;
    struct ofpbuf *reply;
    int error;

    /* A GET is answered by the device itself, so no NLM_F_ACK. */
    rtnl_link_start(&request, RTM_GETLINK, 0, AF_UNSPEC, 0, 0);
    nl_msg_put_string(&request, IFLA_IFNAME, name);
    COVERAGE_INC(rtnl_link_request);
    error = nl_transact(NETLINK_ROUTE, &request, &reply);
    ofpbuf_uninit(&request);
    if (!error) {
        error = rtnl_link_parse(reply, link);
        ofpbuf_delete(reply);
    }
    return error;
}

/* Reads every device and calls 'cb' with each one and 'aux'.  Returns 0 or
 * an errno value (after calling 'cb' with what could be read). */
int
rtnl_link_dump(void (*cb)(const struct rtnl_link *, void *aux), void *aux)
{
    uint64_t stub[NL_DUMP_BUFSIZE / 8];
    struct ofpbuf request, reply, buf;
    struct nl_dump dump;

    rtnl_link_start(&request, RTM_GETLINK, 0, AF_UNSPEC, 0, 0);
    COVERAGE_INC(rtnl_link_request);
    nl_dump_start(&dump, NETLINK_ROUTE, &request);
    ofpbuf_uninit(&request);

    ofpbuf_use_stub(&buf, stub, sizeof stub);
    while (nl_dump_next(&dump, &reply, &buf)) {
        struct rtnl_link link;

        if (!rtnl_link_parse(&reply, &link)) {
            cb(&link, aux);
        }
    }
    ofpbuf_uninit(&buf);
    return nl_dump_done(&dump);
}

/* Parses RTM_NEWSTATS message 'msg' into '*ifindex' and 'stats'.  Returns
 * true if it has the 64-bit link counters, false if not (or if it is
 * malformed). */
static bool
rtnl_link_parse_stats(const struct ofpbuf *msg, int *ifindex,
                      struct rtnl_link_stats64 *stats)
{
    const struct if_stats_msg *ifsm = ofpbuf_at(msg, NLMSG_HDRLEN,
                                                sizeof *ifsm);
    const struct nlattr *attr
        = (ifsm ? nl_attr_find(msg, NLMSG_HDRLEN + sizeof *ifsm,
                               IFLA_STATS_LINK_64)
           : NULL);

    if (!attr) {
        return false;
    }
    /* Newer kernels may append members: take the ones we know. */
    memset(stats, 0, sizeof *stats);
    memcpy(stats, nl_attr_get(attr),
           MIN(nl_attr_get_size(attr), sizeof *stats));
    *ifindex = ifsm->ifindex;
    return true;
}

/* Number of devices whose counters rtnl_link_get_stats() asks for in one
 * nl_transact_multiple(), with requests and replies on the stack. */
#define RTNL_LINK_STATS_CHUNK 64

/* Reads the packet and byte counters of the 'n' devices 'ifindexes' into
 * 'stats' (of 'n' elements, in the same order), with one RTM_GETSTATS
 * request each, sent together; the kernel's work is that of these devices
 * only, not of all of them as with a dump.  Sets 'errors[i]' to 0 or the
 * errno value of device 'i' (ENODEV if it went away).  Returns 0 or the
 * first of those errno values. */
int
rtnl_link_get_stats(const int *ifindexes, size_t n,
                    struct rtnl_link_stats64 *stats, int *errors)
{
    int error = 0;

    for (size_t base = 0; base < n; base += RTNL_LINK_STATS_CHUNK) {
        size_t k = MIN(n - base, RTNL_LINK_STATS_CHUNK);
        uint64_t request_stubs[RTNL_LINK_STATS_CHUNK][64 / 8];
        uint64_t reply_stubs[RTNL_LINK_STATS_CHUNK][512 / 8];
        struct ofpbuf requests[RTNL_LINK_STATS_CHUNK];
        struct ofpbuf replies[RTNL_LINK_STATS_CHUNK];
        struct nl_transaction txns[RTNL_LINK_STATS_CHUNK];
        struct nl_transaction *txnps[RTNL_LINK_STATS_CHUNK];

        for (size_t i = 0; i < k; i++) {
            struct if_stats_msg *ifsm;

            ofpbuf_use_stub(&requests[i], request_stubs[i],
                            sizeof request_stubs[i]);
            nl_msg_put_nlmsghdr(&requests[i], sizeof *ifsm, RTM_GETSTATS,
                                NLM_F_REQUEST);
            ifsm = ofpbuf_put_zeros(&requests[i], sizeof *ifsm);
            ifsm->family = AF_UNSPEC;
            ifsm->ifindex = ifindexes[base + i];
            ifsm->filter_mask = IFLA_STATS_FILTER_BIT(IFLA_STATS_LINK_64);
            ofpbuf_use_stub(&replies[i], reply_stubs[i],
                            sizeof reply_stubs[i]);
            txns[i].request = &requests[i];
            txns[i].reply = &replies[i];
            txns[i].error = 0;
            txnps[i] = &txns[i];
        }
        COVERAGE_ADD(rtnl_link_request, k);
        nl_transact_multiple(NETLINK_ROUTE, txnps, k);

        for (size_t i = 0; i < k; i++) {
            /* nl_transact_multiple() may have swapped the replies' buffers
             * between transactions: each one's own is 'txns[i].reply'. */
            int ifindex, e = txns[i].error;

            if (!e && (!rtnl_link_parse_stats(txns[i].reply, &ifindex,
                                              &stats[base + i])
                       || ifindex != ifindexes[base + i])) {
                e = EPROTO;
            }
            errors[base + i] = e;
            error = error ? error : e;
            ofpbuf_uninit(&requests[i]);
            ofpbuf_uninit(&replies[i]);
        }
    }
    return error;
}

/* Creates the device that 'want' describes: named want->name, of kind
 * want->kind ("bridge", "vxlan" or "veth", with the matching kind-specific
 * members; a veth pair's other end is named want->peer), enslaved to
 * want->master and on top of want->lower if those are nonzero, with MTU
 * want->mtu (both ends of a veth pair) if that is nonzero, and up if
 * want->flags has IFF_UP.  The alias cannot be set at creation; see
 * rtnl_link_claim().  Returns 0, EEXIST if a name is taken, or another
 * errno value (EOPNOTSUPP if the kernel lacks the kind or a feature asked
 * for). */
int
rtnl_link_create(const struct rtnl_link *want)
{
    size_t linkinfo, data;
    struct ofpbuf msg;

    rtnl_link_start(&msg, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL,
                    AF_UNSPEC, 0, want->flags & IFF_UP);
    nl_msg_put_string(&msg, IFLA_IFNAME, want->name);
    if (want->master) {
        nl_msg_put_u32(&msg, IFLA_MASTER, want->master);
    }
    if (want->lower) {
        nl_msg_put_u32(&msg, IFLA_LINK, want->lower);
    }
    if (want->mtu) {
        nl_msg_put_u32(&msg, IFLA_MTU, want->mtu);
    }

    linkinfo = nl_msg_start_nested(&msg, IFLA_LINKINFO);
    nl_msg_put_string(&msg, IFLA_INFO_KIND, want->kind);
    data = nl_msg_start_nested(&msg, IFLA_INFO_DATA);
    if (!strcmp(want->kind, "bridge")) {
        nl_msg_put_u32(&msg, IFLA_BR_AGEING_TIME, want->br_ageing);
        nl_msg_put_u8(&msg, IFLA_BR_MCAST_SNOOPING, want->br_mcast_snooping);
        if (want->br_max_learned) {
            nl_msg_put_u32(&msg, RTNL_BR_FDB_MAX_LEARNED,
                           want->br_max_learned);
        }
    } else if (!strcmp(want->kind, "vxlan")) {
        /* No learning: the remotes are those that vtepd programs. */
        nl_msg_put_u32(&msg, IFLA_VXLAN_ID, want->vxlan_id);
        nl_msg_put_be32(&msg, IFLA_VXLAN_LOCAL, want->vxlan_local);
        nl_msg_put_be16(&msg, IFLA_VXLAN_PORT, want->vxlan_port);
        nl_msg_put_u8(&msg, IFLA_VXLAN_LEARNING, 0);
        nl_msg_put_u8(&msg, IFLA_VXLAN_UDP_CSUM, want->vxlan_udp_csum);
    } else if (!strcmp(want->kind, "veth")) {
        size_t peer = nl_msg_start_nested(&msg, VETH_INFO_PEER);
        struct ifinfomsg *ifi = ofpbuf_put_zeros(&msg, sizeof *ifi);

        ifi->ifi_family = AF_UNSPEC;
        ifi->ifi_flags = ifi->ifi_change = want->flags & IFF_UP;
        nl_msg_put_string(&msg, IFLA_IFNAME, want->peer);
        if (want->mtu) {
            nl_msg_put_u32(&msg, IFLA_MTU, want->mtu);
        }
        nl_msg_end_nested(&msg, peer);
    }
    nl_msg_end_nested(&msg, data);
    nl_msg_end_nested(&msg, linkinfo);

    return rtnl_link_transact(&msg);
}

/* Deletes device 'ifindex'.  Returns 0, ENODEV if there is no such device,
 * or another errno value. */
int
rtnl_link_delete(int ifindex)
{
    struct ofpbuf msg;

    rtnl_link_start(&msg, RTM_DELLINK, 0, AF_UNSPEC, ifindex, 0);
    return rtnl_link_transact(&msg);
}

/* Sets the alias of device 'ifindex' to 'alias' and turns off IPv6 address
 * generation on it, so that a device that only forwards frames does not send
 * any of its own (router solicitations, MLD reports) into a logical switch.
 * Meant for a device just created down, before it is brought up.  Returns 0
 * or an errno value. */
int
rtnl_link_claim(int ifindex, const char *alias)
{
    struct ofpbuf msg;
    size_t spec, inet6;
    int error;

    rtnl_link_start(&msg, RTM_SETLINK, 0, AF_UNSPEC, ifindex, 0);
    nl_msg_put_string(&msg, IFLA_IFALIAS, alias);
    spec = nl_msg_start_nested(&msg, IFLA_AF_SPEC);
    inet6 = nl_msg_start_nested(&msg, AF_INET6);
    nl_msg_put_u8(&msg, IFLA_INET6_ADDR_GEN_MODE, IN6_ADDR_GEN_MODE_NONE);
    nl_msg_end_nested(&msg, inet6);
    nl_msg_end_nested(&msg, spec);
    error = rtnl_link_transact(&msg);

    if (error == EAFNOSUPPORT) {
        /* A kernel without IPv6: then there is nothing to turn off. */
        rtnl_link_start(&msg, RTM_SETLINK, 0, AF_UNSPEC, ifindex, 0);
        nl_msg_put_string(&msg, IFLA_IFALIAS, alias);
        error = rtnl_link_transact(&msg);
    }
    return error;
}

/* Makes device 'ifindex' a port of bridge 'master' and brings it up.
 * Returns 0 or an errno value. */
int
rtnl_link_enslave(int ifindex, int master)
{
    struct ofpbuf msg;

    rtnl_link_start(&msg, RTM_SETLINK, 0, AF_UNSPEC, ifindex, IFF_UP);
    nl_msg_put_u32(&msg, IFLA_MASTER, master);
    return rtnl_link_transact(&msg);
}

/* Removes device 'ifindex' from its bridge.  Returns 0 or an errno value
 * (ENODEV if there is no such device). */
int
rtnl_link_release(int ifindex)
{
    struct ofpbuf msg;

    rtnl_link_start(&msg, RTM_SETLINK, 0, AF_UNSPEC, ifindex, 0);
    nl_msg_put_u32(&msg, IFLA_MASTER, 0);
    return rtnl_link_transact(&msg);
}

/* Brings device 'ifindex' up.  Returns 0 or an errno value. */
int
rtnl_link_set_up(int ifindex)
{
    struct ofpbuf msg;

    rtnl_link_start(&msg, RTM_SETLINK, 0, AF_UNSPEC, ifindex, IFF_UP);
    return rtnl_link_transact(&msg);
}

/* Brings device 'ifindex' down.  Returns 0 or an errno value. */
int
rtnl_link_set_down(int ifindex)
{
    struct ifinfomsg *ifi;
    struct ofpbuf msg;

    rtnl_link_start(&msg, RTM_SETLINK, 0, AF_UNSPEC, ifindex, 0);
    ifi = ofpbuf_at_assert(&msg, NLMSG_HDRLEN, sizeof *ifi);
    ifi->ifi_change = IFF_UP;
    return rtnl_link_transact(&msg);
}

/* Sets the MAC address of device 'ifindex' to 'mac'.  Returns 0 or an errno
 * value. */
int
rtnl_link_set_address(int ifindex, struct eth_addr mac)
{
    struct ofpbuf msg;

    rtnl_link_start(&msg, RTM_SETLINK, 0, AF_UNSPEC, ifindex, 0);
    nl_msg_put_unspec(&msg, IFLA_ADDRESS, &mac, sizeof mac);
    return rtnl_link_transact(&msg);
}

/* Sets bridge attribute 'type' (an IFLA_BR_* of 'size' bytes, 1 or 4) of
 * bridge 'ifindex' to 'value'.  Returns 0 or an errno value. */
static int
rtnl_link_set_bridge_attr(int ifindex, uint16_t type, uint32_t value,
                          size_t size)
{
    size_t linkinfo, data;
    struct ofpbuf msg;

    /* Kind-specific attributes change through RTM_NEWLINK on an existing
     * device; RTM_SETLINK ignores IFLA_LINKINFO. */
    rtnl_link_start(&msg, RTM_NEWLINK, 0, AF_UNSPEC, ifindex, 0);
    linkinfo = nl_msg_start_nested(&msg, IFLA_LINKINFO);
    nl_msg_put_string(&msg, IFLA_INFO_KIND, "bridge");
    data = nl_msg_start_nested(&msg, IFLA_INFO_DATA);
    if (size == 1) {
        nl_msg_put_u8(&msg, type, value);
    } else {
        nl_msg_put_u32(&msg, type, value);
    }
    nl_msg_end_nested(&msg, data);
    nl_msg_end_nested(&msg, linkinfo);
    return rtnl_link_transact(&msg);
}

/* Sets the MAC ageing time of bridge 'ifindex' to 'ageing' centiseconds.
 * Returns 0 or an errno value. */
int
rtnl_link_set_bridge_ageing(int ifindex, uint32_t ageing)
{
    return rtnl_link_set_bridge_attr(ifindex, IFLA_BR_AGEING_TIME, ageing, 4);
}

/* Turns multicast snooping of bridge 'ifindex' on or off.  Returns 0 or an
 * errno value. */
int
rtnl_link_set_bridge_mcast_snooping(int ifindex, bool snooping)
{
    return rtnl_link_set_bridge_attr(ifindex, IFLA_BR_MCAST_SNOOPING,
                                     snooping, 1);
}

/* Sets the most MACs that bridge 'ifindex' learns to 'max' (0: no limit).
 * Returns 0 or an errno value; kernels before 6.8 ignore the request. */
int
rtnl_link_set_bridge_max_learned(int ifindex, uint32_t max)
{
    return rtnl_link_set_bridge_attr(ifindex, RTNL_BR_FDB_MAX_LEARNED, max,
                                     4);
}

/* Sets u8 bridge port attribute 'type' (an IFLA_BRPORT_*) of bridge port
 * 'ifindex' to 'value'.  Returns 0 or an errno value. */
static int
rtnl_link_set_brport_u8(int ifindex, uint16_t type, uint8_t value)
{
    struct ofpbuf msg;
    size_t protinfo;

    /* The bridge reads IFLA_PROTINFO as port attributes only if it is
     * marked nested; otherwise it takes it for a bare port state. */
    rtnl_link_start(&msg, RTM_SETLINK, 0, AF_BRIDGE, ifindex, 0);
    protinfo = nl_msg_start_nested(&msg, IFLA_PROTINFO | NLA_F_NESTED);
    nl_msg_put_u8(&msg, type, value);
    nl_msg_end_nested(&msg, protinfo);
    return rtnl_link_transact(&msg);
}

/* Turns MAC learning on or off on bridge port 'ifindex'.  Returns 0 or an
 * errno value. */
int
rtnl_link_set_brport_learning(int ifindex, bool learning)
{
    return rtnl_link_set_brport_u8(ifindex, IFLA_BRPORT_LEARNING, learning);
}

/* Turns neighbour suppression on or off on bridge port 'ifindex': with it
 * on, the bridge answers ARP requests for hosts behind the port that it
 * has neighbour entries for, and does not flood those requests to the
 * port.  Returns 0 or an errno value. */
int
rtnl_link_set_brport_neigh_suppress(int ifindex, bool suppress)
{
    return rtnl_link_set_brport_u8(ifindex, IFLA_BRPORT_NEIGH_SUPPRESS,
                                   suppress);
}
