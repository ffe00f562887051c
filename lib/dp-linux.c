/* dp-linux.c -- the "linux" datapath provider: the kernel's bridge and VXLAN
 * drivers, programmed over rtnetlink.
 *
 * Each logical switch is a bridge, named "vtb" plus 8 hex digits of a hash of
 * "<switch>:<logical switch>".  If the logical switch has a VNI and the
 * switch a tunnel IP, a VXLAN device ("vtx" plus the same digits) is a port
 * of the bridge: its FDB holds the remote MACs (unicast entries) and the
 * flood list (all-zeros entry with one remote per replication target), and
 * the bridge holds an entry that does not age for each remote MAC, so that
 * it does not flood frames to them.
 *
 * A binding (port, 0) makes the port itself a port of the bridge.  A binding
 * (port, N) is a veth pair ("vtv" and "vtw" plus the same 8 hex digits of a
 * hash of "<switch>:<port>:<N>") and tc eBPF programs (see tc-vlan.h): the
 * "vtv" end is the port of the bridge, a program on the ingress of the "vtw"
 * end sends what the bridge sends to "vtv" out of the port, tagged N, and
 * the program on the ingress of the port sends frames tagged N, untagged,
 * into "vtv" as if received there, so that the bridge learns their source
 * MACs on "vtv".  The port's program also drops tagged frames of VLANs that
 * are not bound if the port has a binding for VLAN 0, which carries untagged
 * frames only.  (Neither 802.1Q VLAN devices nor bridge VLAN filtering are
 * needed, which not every kernel has.)  If the port goes away, its veth
 * pairs stay, taken down, until it comes back.
 *
 * Every device created here carries an alias "vtepd:ps=<switch>:<role>"
 * (roles "ls=<logical switch>", "vxlan:ls=<logical switch>", and
 * "vlan=<N>:port=<port>" and "vlan-peer=<N>:port=<port>" for the two ends of
 * a veth pair), which lets dp_linux_open() adopt them after a restart and
 * keeps vtepd from touching anything else.  dp_linux_close() leaves them,
 * and the tc programs, in place, so that a restart does not interrupt
 * forwarding; dp_linux_open() attaches the programs again, which replaces
 * each in one step, so that they refer to the devices' current ifindexes.
 *
 * A netlink socket subscribed to link and neighbour notifications keeps a
 * copy of the kernel's devices current, learns the MACs that the bridges
 * learn on bound ports, and tracks ports coming and going. */

#include <config.h>
#include "dp.h"

#include <errno.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <poll.h>
#include <stdarg.h>
#include <string.h>

#include "coverage.h"
#include "hash.h"
#include "netlink.h"
#include "netlink-socket.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "openvswitch/ofpbuf.h"
#include "openvswitch/poll-loop.h"
#include "openvswitch/vlog.h"
#include "packets.h"
#include "rtnl-fdb.h"
#include "rtnl-link.h"
#include "sset.h"
#include "svec.h"
#include "switch-config.h"
#include "tc-vlan.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(dp_linux);

COVERAGE_DEFINE(dp_linux_notification);
COVERAGE_DEFINE(dp_linux_resync);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

/* Most notifications that one dp_linux_run() processes. */
#define DP_LINUX_MAX_NOTIFICATIONS 1000

/* How many names are tried for a new device before giving up. */
#define DP_LINUX_MAX_NAME_TRIES 8

/* What a device is to this physical switch, as its alias tells. */
enum dp_linux_role {
    DP_LINUX_NONE,              /* Not one of this switch's devices. */
    DP_LINUX_BRIDGE,            /* Bridge of a logical switch. */
    DP_LINUX_VXLAN,             /* VXLAN device of a logical switch. */
    DP_LINUX_VLAN,              /* Bridge end of the veth pair of a
                                 * (port, N) binding ("vtv"). */
    DP_LINUX_VLAN_PEER,         /* Other end of that veth pair ("vtw"). */
};

/* A network device, as the kernel last reported it. */
struct dp_linux_link {
    struct hmap_node node;      /* In dp_linux.links, by ifindex. */
    struct hmap_node name_node; /* In dp_linux.links_by_name, by name. */
    struct hmap_node own_node;  /* In dp_linux.own_links, if 'role'. */
    enum dp_linux_role role;    /* What it is to this switch. */
    const char *ls;             /* Logical switch (points into info.alias)
                                 * for DP_LINUX_BRIDGE and _VXLAN. */
    const char *port;           /* Port (points into info.alias) for
                                 * DP_LINUX_VLAN and _VLAN_PEER. */
    uint16_t vlan;              /* VLAN for DP_LINUX_VLAN and _VLAN_PEER. */
    int tagger_port;            /* DP_LINUX_VLAN_PEER: ifindex of the port
                                 * that its tagger program sends to, 0 if
                                 * not known to have one. */
    struct rtnl_link info;      /* What the kernel said. */
};

/* The trunk program (see tc-vlan.h) that this switch last left on a port.
 * It goes when the port does. */
struct dp_linux_trunk {
    struct hmap_node node;      /* In dp_linux.trunks, by port name. */
    char *port;                 /* Port name. */
    int ifindex;                /* The port's ifindex. */
    struct tc_vlan_trunk cfg;   /* What the program does (empty: none). */
};

/* A Linux datapath. */
struct dp_linux {
    struct dp up;               /* Generic part. */
    struct nl_sock *sock;       /* In RTNLGRP_LINK and RTNLGRP_NEIGH. */
    char *prefix;               /* "vtepd:ps=<switch>:". */
    struct hmap links;          /* All devices, by ifindex. */
    struct hmap links_by_name;  /* All devices, by name. */
    struct hmap own_links;      /* Devices with a role, by role key. */
    struct hmap trunks;         /* Contains struct dp_linux_trunk. */
    bool more;                  /* Notifications left for the next run? */
    bool check_bindings;        /* Devices changed since bindings were last
                                 * checked? */
    struct ds why;              /* What failed, for the operation's log
                                 * message. */
};

/* Returns the dp_linux that contains 'dp'. */
static struct dp_linux *
dp_linux_cast(const struct dp *dp)
{
    return CONTAINER_OF(dp, struct dp_linux, up);
}

/* Records in dp->why, unless something is recorded already, what failed
 * with 'error' (if nonzero).  Returns 'error'. */
static int OVS_PRINTF_FORMAT(3, 4)
dp_linux_fail(struct dp_linux *dp, int error, const char *format, ...)
{
    if (error && !dp->why.length) {
        va_list args;

        va_start(args, format);
        ds_put_format_valist(&dp->why, format, args);
        va_end(args);
    }
    return error;
}

/* Trunk programs as last left on ports. */

/* Returns the record of the trunk program left on port 'port', or NULL. */
static struct dp_linux_trunk *
dp_linux_trunk_find(const struct dp_linux *dp, const char *port)
{
    struct dp_linux_trunk *t;

    HMAP_FOR_EACH_WITH_HASH (t, node, hash_string(port, 0), &dp->trunks) {
        if (!strcmp(t->port, port)) {
            return t;
        }
    }
    return NULL;
}

/* Frees trunk record 't', which is in dp->trunks. */
static void
dp_linux_trunk_remove(struct dp_linux *dp, struct dp_linux_trunk *t)
{
    hmap_remove(&dp->trunks, &t->node);
    tc_vlan_trunk_destroy(&t->cfg);
    free(t->port);
    free(t);
}

/* Forgets what 'dp' knows about the trunk program of port 'port', which
 * went away with the port, or may not be what 'dp' left there. */
static void
dp_linux_trunk_forget(struct dp_linux *dp, const char *port)
{
    struct dp_linux_trunk *t = dp_linux_trunk_find(dp, port);

    if (t) {
        dp_linux_trunk_remove(dp, t);
    }
}

/* Devices. */

/* If 's' starts with 'prefix', returns what follows it, otherwise NULL. */
static const char *
dp_linux_skip(const char *s, const char *prefix)
{
    size_t n = strlen(prefix);

    return strncmp(s, prefix, n) ? NULL : s + n;
}

/* Returns true if 'role' is one of the ends of a binding's veth pair. */
static bool
dp_linux_role_is_vlan(enum dp_linux_role role)
{
    return role == DP_LINUX_VLAN || role == DP_LINUX_VLAN_PEER;
}

/* Returns the key of a device with 'role' in dp_linux.own_links: 'name'
 * (the port for the ends of a veth pair, otherwise the logical switch) and,
 * for the ends of a veth pair, 'vlan'. */
static uint32_t
dp_linux_own_hash(enum dp_linux_role role, const char *name, uint16_t vlan)
{
    uint32_t hash = hash_string(name, role);

    return dp_linux_role_is_vlan(role) ? hash_int(vlan, hash) : hash;
}

/* Returns a new string with the alias of this switch's device with 'role',
 * for logical switch 'name' (DP_LINUX_BRIDGE, DP_LINUX_VXLAN) or for VLAN
 * 'vlan' of port 'name' (DP_LINUX_VLAN, DP_LINUX_VLAN_PEER). */
static char *
dp_linux_alias(const struct dp_linux *dp, enum dp_linux_role role,
               const char *name, uint16_t vlan)
{
    switch (role) {
    case DP_LINUX_BRIDGE:
        return xasprintf("%sls=%s", dp->prefix, name);
    case DP_LINUX_VXLAN:
        return xasprintf("%svxlan:ls=%s", dp->prefix, name);
    case DP_LINUX_VLAN:
        return xasprintf("%svlan=%"PRIu16":port=%s", dp->prefix, vlan, name);
    case DP_LINUX_VLAN_PEER:
        return xasprintf("%svlan-peer=%"PRIu16":port=%s", dp->prefix, vlan,
                         name);
    case DP_LINUX_NONE:
    default:
        OVS_NOT_REACHED();
    }
}

/* Parses 'rest', what follows "vlan=" or "vlan-peer=" in an alias, as
 * "<N>:port=<port>", into '*vlan' and '*port' (which points into 'rest').
 * Returns true if successful. */
static bool
dp_linux_parse_vlan_alias(const char *rest, uint16_t *vlan,
                          const char **port)
{
    unsigned int n = 0;
    const char *p;

    for (p = rest; *p >= '0' && *p <= '9' && n <= 4095; p++) {
        n = n * 10 + (*p - '0');
    }
    if (p == rest || n < 1 || n > 4095) {
        return false;
    }
    *port = dp_linux_skip(p, ":port=");
    *vlan = n;
    return *port && **port && strlen(*port) < IFNAMSIZ;
}

/* Returns the device with ifindex 'ifindex', or NULL. */
static struct dp_linux_link *
dp_linux_link_find(const struct dp_linux *dp, int ifindex)
{
    struct dp_linux_link *link;

    HMAP_FOR_EACH_WITH_HASH (link, node, hash_int(ifindex, 0), &dp->links) {
        if (link->info.ifindex == ifindex) {
            return link;
        }
    }
    return NULL;
}

/* Returns the device named 'name', or NULL. */
static struct dp_linux_link *
dp_linux_link_find_by_name(const struct dp_linux *dp, const char *name)
{
    struct dp_linux_link *link;

    HMAP_FOR_EACH_WITH_HASH (link, name_node, hash_string(name, 0),
                             &dp->links_by_name) {
        if (!strcmp(link->info.name, name)) {
            return link;
        }
    }
    return NULL;
}

/* Returns this switch's bridge (for DP_LINUX_BRIDGE) or VXLAN device (for
 * DP_LINUX_VXLAN) of logical switch 'ls', or NULL. */
static struct dp_linux_link *
dp_linux_find_own(const struct dp_linux *dp, enum dp_linux_role role,
                  const char *ls)
{
    struct dp_linux_link *link;

    HMAP_FOR_EACH_WITH_HASH (link, own_node, dp_linux_own_hash(role, ls, 0),
                             &dp->own_links) {
        if (link->role == role && !strcmp(link->ls, ls)) {
            return link;
        }
    }
    return NULL;
}

/* Returns this switch's end 'role' (DP_LINUX_VLAN or DP_LINUX_VLAN_PEER)
 * of the veth pair of binding ('port', 'vlan'), or NULL. */
static struct dp_linux_link *
dp_linux_find_vlan(const struct dp_linux *dp, enum dp_linux_role role,
                   const char *port, uint16_t vlan)
{
    struct dp_linux_link *link;

    HMAP_FOR_EACH_WITH_HASH (link, own_node,
                             dp_linux_own_hash(role, port, vlan),
                             &dp->own_links) {
        if (link->role == role && link->vlan == vlan
            && !strcmp(link->port, port)) {
            return link;
        }
    }
    return NULL;
}

/* Returns true if 'link' could be a physical port: anything but the
 * loopback device and devices that vtepd made (for any switch). */
static bool
dp_linux_is_port(const struct dp_linux_link *link)
{
    return (strcmp(link->info.name, "lo")
            && !dp_linux_skip(link->info.alias, "vtepd:"));
}

/* If frames of a binding enter a bridge through 'link', that is, if 'link'
 * is a port (VLAN 0) or the bridge end of this switch's veth pair for VLAN N
 * of a port, stores that port's name (valid as long as 'link' is known) and
 * VLAN in '*port' and '*vlan' and returns true.  Otherwise returns false. */
static bool
dp_linux_link_binding(const struct dp_linux_link *link,
                      const char **port, uint16_t *vlan)
{
    if (link->role == DP_LINUX_VLAN) {
        *port = link->port;
        *vlan = link->vlan;
        return true;
    } else if (dp_linux_is_port(link)) {
        *port = link->info.name;
        *vlan = 0;
        return true;
    }
    return false;
}

/* Sets the role of 'link' from its alias and kind and indexes it in
 * dp->own_links if it has one. */
static void
dp_linux_classify(struct dp_linux *dp, struct dp_linux_link *link)
{
    const struct rtnl_link *info = &link->info;
    const char *rest = dp_linux_skip(info->alias, dp->prefix);
    const char *s;

    link->role = DP_LINUX_NONE;
    link->ls = NULL;
    link->port = NULL;
    link->vlan = 0;
    if (!rest) {
        return;
    } else if (!strcmp(info->kind, "bridge")) {
        link->ls = dp_linux_skip(rest, "ls=");
        link->role = link->ls ? DP_LINUX_BRIDGE : DP_LINUX_NONE;
    } else if (!strcmp(info->kind, "vxlan")) {
        link->ls = dp_linux_skip(rest, "vxlan:ls=");
        link->role = link->ls ? DP_LINUX_VXLAN : DP_LINUX_NONE;
    } else if (!strcmp(info->kind, "veth")) {
        if ((s = dp_linux_skip(rest, "vlan="))
            && dp_linux_parse_vlan_alias(s, &link->vlan, &link->port)) {
            link->role = DP_LINUX_VLAN;
        } else if ((s = dp_linux_skip(rest, "vlan-peer="))
                   && dp_linux_parse_vlan_alias(s, &link->vlan,
                                                &link->port)) {
            link->role = DP_LINUX_VLAN_PEER;
        }
    }

    if (link->role) {
        hmap_insert(&dp->own_links, &link->own_node,
                    dp_linux_own_hash(link->role,
                                      link->ls ? link->ls : link->port,
                                      link->vlan));
    }
}

/* Forgets the local MACs learned through 'link', which stops being what it
 * was (it is going away or being renamed), and, if it is a port, the trunk
 * program that went with it. */
static void
dp_linux_link_gone(struct dp_linux *dp, const struct dp_linux_link *link)
{
    const struct dp_binding *b;

    if (link->role == DP_LINUX_VLAN) {
        dp_forget_local_macs_of_binding(&dp->up, link->port, link->vlan);
    } else if (dp_linux_is_port(link)) {
        /* Hosts behind the port are gone for all its bindings.
         * dp_linux_check_bindings() takes the port's veth pairs down, which
         * flushes what the bridges learned on them. */
        HMAP_FOR_EACH (b, node, &dp->up.actual.bindings) {
            if (!strcmp(b->port, link->info.name)) {
                dp_forget_local_macs_of_binding(&dp->up, b->port, b->vlan);
            }
        }
        dp_linux_trunk_forget(dp, link->info.name);
    }
}

/* Adds device 'info' to what 'dp' knows, or updates it, and returns it. */
static struct dp_linux_link *
dp_linux_link_update(struct dp_linux *dp, const struct rtnl_link *info)
{
    struct dp_linux_link *link = dp_linux_link_find(dp, info->ifindex);

    if (!link) {
        link = xzalloc(sizeof *link);
        hmap_insert(&dp->links, &link->node, hash_int(info->ifindex, 0));
    } else {
        if (strcmp(link->info.name, info->name)) {
            dp_linux_link_gone(dp, link);
        }
        hmap_remove(&dp->links_by_name, &link->name_node);
        if (link->role) {
            hmap_remove(&dp->own_links, &link->own_node);
        }
    }
    link->info = *info;
    hmap_insert(&dp->links_by_name, &link->name_node,
                hash_string(info->name, 0));
    dp_linux_classify(dp, link);
    return link;
}

/* Removes 'link' from what 'dp' knows and frees it. */
static void
dp_linux_link_remove(struct dp_linux *dp, struct dp_linux_link *link)
{
    dp_linux_link_gone(dp, link);
    hmap_remove(&dp->links, &link->node);
    hmap_remove(&dp->links_by_name, &link->name_node);
    if (link->role) {
        hmap_remove(&dp->own_links, &link->own_node);
    }
    free(link);
}

/* Forgets every device, without side effects. */
static void
dp_linux_links_clear(struct dp_linux *dp)
{
    struct dp_linux_link *link;

    HMAP_FOR_EACH_POP (link, node, &dp->links) {
        free(link);
    }
    hmap_clear(&dp->links_by_name);
    hmap_clear(&dp->own_links);
}

/* rtnl_link_dump() callback: records a device. */
static void
dp_linux_load_link_cb(const struct rtnl_link *info, void *dp)
{
    dp_linux_link_update(dp, info);
}

/* Reads device 'name' from the kernel into what 'dp' knows and stores it in
 * '*linkp'.  Returns 0, ENODEV, or another errno value. */
static int
dp_linux_refresh(struct dp_linux *dp, const char *name,
                 struct dp_linux_link **linkp)
{
    struct rtnl_link info;
    int error = rtnl_link_get(name, &info);

    *linkp = error ? NULL : dp_linux_link_update(dp, &info);
    return error;
}

/* Stores in want->name (and, for a veth pair, want->peer) the 'i'th name to
 * try for new device 'want', whose name derives from 'key' ("<switch>:<logical
 * switch>" for bridges and VXLAN devices, "<switch>:<port>:<N>" for the veth
 * pair of binding (port, N)). */
static void
dp_linux_candidate_name(struct rtnl_link *want, const char *key, int i)
{
    uint32_t hash = hash_string(key, i);

    if (!strcmp(want->kind, "veth")) {
        snprintf(want->name, sizeof want->name, "vtv%08"PRIx32, hash);
        snprintf(want->peer, sizeof want->peer, "vtw%08"PRIx32, hash);
    } else {
        snprintf(want->name, sizeof want->name, "%s%08"PRIx32,
                 !strcmp(want->kind, "bridge") ? "vtb" : "vtx", hash);
    }
}

/* Creates device 'want' (see rtnl_link_create(); created down), under the
 * first free name among those dp_linux_candidate_name() gives for 'key'.
 * Returns 0 or an errno value. */
static int
dp_linux_create_named(struct dp_linux *dp, struct rtnl_link *want,
                      const char *key)
{
    int error = EEXIST;

    for (int i = 0; i < DP_LINUX_MAX_NAME_TRIES && error == EEXIST; i++) {
        dp_linux_candidate_name(want, key, i);
        error = rtnl_link_create(want);
    }
    return dp_linux_fail(dp, error, "creating %s device %s", want->kind,
                         want->name);
}

/* Reads new device 'name' into 'info' and marks it with 'alias'.  Returns 0
 * or an errno value, in which case it deletes the device again (if it got as
 * far as reading it back). */
static int
dp_linux_claim_new(struct dp_linux *dp, const char *name, const char *alias,
                   struct rtnl_link *info)
{
    int error = rtnl_link_get(name, info);

    if (error) {
        return dp_linux_fail(dp, error, "reading new device %s", name);
    }
    error = dp_linux_fail(dp, rtnl_link_claim(info->ifindex, alias),
                          "setting alias of %s", name);
    if (error) {
        rtnl_link_delete(info->ifindex);
        return error;
    }
    ovs_strlcpy(info->alias, alias, sizeof info->alias);
    return 0;
}

/* Creates bridge or VXLAN device 'want' (see rtnl_link_create(); created
 * down), under the first free name among those dp_linux_candidate_name()
 * gives for 'key', marks it with 'alias' and brings it up.  A VXLAN device
 * also stops learning as a bridge port.  Stores the new device in '*linkp'.
 * Returns 0 or an errno value, in which case it deletes the device again (if
 * it got as far as reading it back). */
static int
dp_linux_create(struct dp_linux *dp, struct rtnl_link *want,
                const char *key, const char *alias,
                struct dp_linux_link **linkp)
{
    struct rtnl_link info;
    int error;

    error = dp_linux_create_named(dp, want, key);
    if (!error) {
        error = dp_linux_claim_new(dp, want->name, alias, &info);
    }
    if (error) {
        return error;
    }

    if (!strcmp(want->kind, "vxlan")) {
        error = dp_linux_fail(dp, rtnl_link_set_brport_learning(info.ifindex,
                                                                false),
                              "turning off learning on %s", info.name);
    }
    if (!error) {
        error = dp_linux_fail(dp, rtnl_link_set_up(info.ifindex),
                              "bringing up %s", info.name);
    }
    if (error) {
        rtnl_link_delete(info.ifindex);
        return error;
    }

    info.flags |= IFF_UP;
    *linkp = dp_linux_link_update(dp, &info);
    return 0;
}

/* Deletes this switch's device 'link'.  Returns 0 (also if it was gone
 * already) or an errno value. */
static int
dp_linux_delete(struct dp_linux *dp, struct dp_linux_link *link)
{
    int error = rtnl_link_delete(link->info.ifindex);

    if (error && error != ENODEV) {
        return dp_linux_fail(dp, error, "deleting %s", link->info.name);
    }
    dp_linux_link_remove(dp, link);
    return 0;
}

/* Creates the veth pair of binding ('port', 'vlan'), down, with its bridge
 * end enslaved to bridge 'br', with the MTU of 'port', and stores its ends in
 * '*vtvp' (bridge end) and '*vtwp'.  Returns 0 or an errno value, in which
 * case it deletes the pair again (if it got as far as reading it back). */
static int
dp_linux_create_veth(struct dp_linux *dp, const struct dp_linux_link *port,
                     uint16_t vlan, const struct dp_linux_link *br,
                     struct dp_linux_link **vtvp, struct dp_linux_link **vtwp)
{
    const char *port_name = port->info.name;
    char *alias = dp_linux_alias(dp, DP_LINUX_VLAN, port_name, vlan);
    char *peer_alias = dp_linux_alias(dp, DP_LINUX_VLAN_PEER, port_name,
                                      vlan);
    char *key = xasprintf("%s:%s:%"PRIu16, dp->up.name, port_name, vlan);
    struct rtnl_link want, info;
    int error = 0;

    if (strlen(peer_alias) >= RTNL_LINK_ALIAS_SIZE) {
        error = dp_linux_fail(dp, ENAMETOOLONG,
                              "names too long for a device alias");
        goto out;
    }

    memset(&want, 0, sizeof want);
    ovs_strlcpy(want.kind, "veth", sizeof want.kind);
    want.master = br->info.ifindex;
    want.mtu = port->info.mtu;
    error = dp_linux_create_named(dp, &want, key);
    if (!error) {
        error = dp_linux_claim_new(dp, want.name, alias, &info);
    }
    if (!error) {
        *vtvp = dp_linux_link_update(dp, &info);
        error = dp_linux_claim_new(dp, want.peer, peer_alias, &info);
        if (error) {
            /* Gone with its peer. */
            dp_linux_delete(dp, *vtvp);
        } else {
            *vtwp = dp_linux_link_update(dp, &info);
        }
    }
out:
    free(key);
    free(peer_alias);
    free(alias);
    return error;
}

/* Returns the bridge ageing time in centiseconds for 'actual'. */
static uint32_t
dp_linux_ageing(const struct dp_linux *dp)
{
    return MIN(dp->up.actual.mac_ageing, UINT32_MAX / 100) * 100;
}

/* Logical switches. */

/* Makes sure that logical switch 'ls' has a bridge that is up and ages MACs
 * as 'actual' says.  Returns 0 or an errno value. */
static int
dp_linux_ensure_bridge(struct dp_linux *dp, const char *ls)
{
    struct dp_linux_link *br = dp_linux_find_own(dp, DP_LINUX_BRIDGE, ls);
    uint32_t ageing = dp_linux_ageing(dp);
    struct rtnl_link want;
    char *alias, *key;
    int error;

    if (br) {
        error = 0;
        if (br->info.br_ageing != ageing) {
            error = dp_linux_fail(dp, rtnl_link_set_bridge_ageing(
                                      br->info.ifindex, ageing),
                                  "setting ageing time of %s",
                                  br->info.name);
            br->info.br_ageing = error ? br->info.br_ageing : ageing;
        }
        if (!error && !(br->info.flags & IFF_UP)) {
            error = dp_linux_fail(dp, rtnl_link_set_up(br->info.ifindex),
                                  "bringing up %s", br->info.name);
        }
        return error;
    }

    memset(&want, 0, sizeof want);
    ovs_strlcpy(want.kind, "bridge", sizeof want.kind);
    want.br_ageing = ageing;
    key = xasprintf("%s:%s", dp->up.name, ls);
    alias = dp_linux_alias(dp, DP_LINUX_BRIDGE, ls, 0);
    error = dp_linux_create(dp, &want, key, alias, &br);
    free(alias);
    free(key);
    return error;
}

/* Puts the remote MACs and the flood list that 'actual' has for logical
 * switch 'ls' into its new VXLAN device 'vx'.  Returns 0 or an errno
 * value. */
static int
dp_linux_reinstall(struct dp_linux *dp, const char *ls,
                   const struct dp_linux_link *vx)
{
    const struct dp_ls *dls = dp_state_find_ls(&dp->up.actual, ls);
    const struct dp_remote_mac *rm;
    struct rtnl_fdb_batch batch;
    const char *ip_s;

    if (!dls) {
        return 0;
    }

    rtnl_fdb_batch_init(&batch);
    HMAP_FOR_EACH (rm, node, &dls->remote_macs) {
        rtnl_fdb_batch_add_remote(&batch, vx->info.ifindex, rm->mac,
                                  rm->dst_ip);
    }
    SSET_FOR_EACH (ip_s, &dls->flood_ips) {
        ovs_be32 ip;

        if (ip_parse(ip_s, &ip)) {
            rtnl_fdb_batch_add_flood(&batch, vx->info.ifindex, ip);
        }
    }
    return dp_linux_fail(dp, rtnl_fdb_batch_execute(&batch),
                         "installing %"PRIuSIZE" remote MACs and "
                         "%"PRIuSIZE" flood entries on %s",
                         hmap_count(&dls->remote_macs),
                         sset_count(&dls->flood_ips), vx->info.name);
}

/* Makes the VXLAN device of logical switch 'ls' match VNI 'vni' and local
 * address 'local': absent if either is 0, otherwise (re)created as needed,
 * since the kernel cannot change either on an existing device.  A new device
 * gets the remote MACs and flood list that 'actual' has for 'ls'.  Returns 0
 * or an errno value. */
static int
dp_linux_sync_vxlan(struct dp_linux *dp, const char *ls, uint32_t vni,
                    ovs_be32 local)
{
    struct dp_linux_link *br = dp_linux_find_own(dp, DP_LINUX_BRIDGE, ls);
    struct dp_linux_link *vx = dp_linux_find_own(dp, DP_LINUX_VXLAN, ls);
    struct rtnl_link want;
    char *alias, *key;
    int error;

    if (!br) {
        return dp_linux_fail(dp, ENOENT, "logical switch %s has no bridge",
                             ls);
    }
    if (vx && vni && local
        && vx->info.vxlan_id == vni && vx->info.vxlan_local == local
        && vx->info.vxlan_port == htons(RTNL_LINK_VXLAN_PORT)) {
        if (vx->info.master == br->info.ifindex) {
            return 0;
        }
        /* Ours but outside the bridge: plug it back in. */
        error = rtnl_link_enslave(vx->info.ifindex, br->info.ifindex);
        if (!error) {
            error = rtnl_link_set_brport_learning(vx->info.ifindex, false);
        }
        if (!error) {
            vx->info.master = br->info.ifindex;
        }
        return dp_linux_fail(dp, error, "adding %s to %s",
                             vx->info.name, br->info.name);
    }

    if (vx) {
        error = dp_linux_delete(dp, vx);
        if (error) {
            return error;
        }
    }
    if (!vni || !local) {
        return 0;
    }

    memset(&want, 0, sizeof want);
    ovs_strlcpy(want.kind, "vxlan", sizeof want.kind);
    want.master = br->info.ifindex;
    want.vxlan_id = vni;
    want.vxlan_local = local;
    want.vxlan_port = htons(RTNL_LINK_VXLAN_PORT);
    want.vxlan_learning = false;
    key = xasprintf("%s:%s", dp->up.name, ls);
    alias = dp_linux_alias(dp, DP_LINUX_VXLAN, ls, 0);
    error = dp_linux_create(dp, &want, key, alias, &vx);
    free(alias);
    free(key);

    return error ? error : dp_linux_reinstall(dp, ls, vx);
}

/* DP_OP_LS_ADD. */
static int
dp_linux_ls_add(struct dp_linux *dp, const char *ls, uint32_t vni)
{
    char *alias = dp_linux_alias(dp, DP_LINUX_VXLAN, ls, 0);
    bool too_long = strlen(alias) >= RTNL_LINK_ALIAS_SIZE;
    int error;

    free(alias);
    if (too_long) {
        return dp_linux_fail(dp, ENAMETOOLONG,
                             "names too long for a device alias");
    }

    error = dp_linux_ensure_bridge(dp, ls);
    return error ? error : dp_linux_sync_vxlan(dp, ls, vni,
                                               dp->up.actual.tunnel_ip);
}

/* DP_OP_LS_DEL. */
static int
dp_linux_ls_del(struct dp_linux *dp, const char *ls)
{
    struct dp_linux_link *vx = dp_linux_find_own(dp, DP_LINUX_VXLAN, ls);
    struct dp_linux_link *br;
    int error = vx ? dp_linux_delete(dp, vx) : 0;

    br = dp_linux_find_own(dp, DP_LINUX_BRIDGE, ls);
    if (!error && br) {
        error = dp_linux_delete(dp, br);
    }
    if (!error) {
        dp_forget_local_macs_of_ls(&dp->up, ls);
    }
    return error;
}

/* DP_OP_SET_TUNNEL_IP. */
static int
dp_linux_set_tunnel_ip(struct dp_linux *dp, ovs_be32 ip)
{
    const struct dp_ls *ls;
    int error = 0;

    HMAP_FOR_EACH (ls, node, &dp->up.actual.switches) {
        int e = dp_linux_sync_vxlan(dp, ls->name, ls->vni, ip);

        error = error ? error : e;
    }
    return error;
}

/* DP_OP_SET_AGEING. */
static int
dp_linux_set_ageing(struct dp_linux *dp, unsigned int ageing)
{
    const struct dp_ls *ls;
    int error = 0;

    if (ageing > UINT32_MAX / 100) {
        return dp_linux_fail(dp, EINVAL, "ageing time out of range");
    }
    HMAP_FOR_EACH (ls, node, &dp->up.actual.switches) {
        struct dp_linux_link *br = dp_linux_find_own(dp, DP_LINUX_BRIDGE,
                                                     ls->name);

        if (br && br->info.br_ageing != ageing * 100) {
            int e = rtnl_link_set_bridge_ageing(br->info.ifindex,
                                                ageing * 100);

            if (!e) {
                br->info.br_ageing = ageing * 100;
            }
            error = error ? error : dp_linux_fail(dp, e, "setting ageing "
                                                  "time of %s",
                                                  br->info.name);
        }
    }
    return error;
}

/* Bindings. */

/* Computes into 'want' (uninitialized) the trunk program that port 'port'
 * needs: for the VLAN of each of this switch's veth pairs on the port, but
 * 'skip' (if it is 1 to 4095), to the pair's bridge end; dropping tagged
 * frames of other VLANs if the port is in one of this switch's bridges (a
 * binding for VLAN 0) and 'skip' is not 0. */
static void
dp_linux_trunk_want(const struct dp_linux *dp,
                    const struct dp_linux_link *port, int skip,
                    struct tc_vlan_trunk *want)
{
    const struct dp_linux_link *link, *master;

    tc_vlan_trunk_init(want);
    HMAP_FOR_EACH (link, own_node, &dp->own_links) {
        if (link->role == DP_LINUX_VLAN && link->vlan != skip
            && !strcmp(link->port, port->info.name)) {
            tc_vlan_trunk_add(want, link->vlan, link->info.ifindex);
        }
    }
    master = dp_linux_link_find(dp, port->info.master);
    want->drop_other = (master && master->role == DP_LINUX_BRIDGE
                        && skip != 0);
}

/* Makes the trunk program of port 'port' what dp_linux_trunk_want() gives
 * for 'skip' (-1 for none): attaches it, in place of the one there, or
 * removes the one there if the port needs none.  Does nothing if that is
 * what this switch last left on the port.  Returns 0 or an errno value. */
static int
dp_linux_sync_trunk(struct dp_linux *dp, const struct dp_linux_link *port,
                    int skip)
{
    struct dp_linux_trunk *t = dp_linux_trunk_find(dp, port->info.name);
    struct tc_vlan_trunk want;
    bool empty;
    int error;

    dp_linux_trunk_want(dp, port, skip, &want);
    if (t && t->ifindex == port->info.ifindex
        && tc_vlan_trunk_equals(&t->cfg, &want)) {
        tc_vlan_trunk_destroy(&want);
        return 0;
    }

    empty = tc_vlan_trunk_is_empty(&want);
    error = (empty
             ? tc_vlan_clear(port->info.ifindex)
             : tc_vlan_set_trunk(port->info.ifindex, &want));
    if (error) {
        /* What is on the port now is not known. */
        dp_linux_trunk_forget(dp, port->info.name);
        tc_vlan_trunk_destroy(&want);
        return dp_linux_fail(dp, error, "%s the tc program of %s",
                             empty ? "removing" : "attaching",
                             port->info.name);
    }

    VLOG_DBG("%s: tc program of %s: %"PRIuSIZE" VLANs%s", dp->up.name,
             port->info.name, want.n_vlans,
             want.drop_other ? ", other tagged frames dropped" : "");
    if (!t) {
        t = xzalloc(sizeof *t);
        t->port = xstrdup(port->info.name);
        hmap_insert(&dp->trunks, &t->node, hash_string(t->port, 0));
    } else {
        tc_vlan_trunk_destroy(&t->cfg);
    }
    t->ifindex = port->info.ifindex;
    t->cfg = want;
    return 0;
}

/* Makes sure that the tagger program on 'vtw', the other end of the veth
 * pair of a binding for VLAN vtw->vlan of 'port', sends to 'port'.  Returns
 * 0 or an errno value. */
static int
dp_linux_sync_tagger(struct dp_linux *dp, struct dp_linux_link *vtw,
                     const struct dp_linux_link *port)
{
    int error;

    if (vtw->tagger_port == port->info.ifindex) {
        return 0;
    }
    error = tc_vlan_set_tagger(vtw->info.ifindex, vtw->vlan,
                               port->info.ifindex);
    vtw->tagger_port = error ? 0 : port->info.ifindex;
    return dp_linux_fail(dp, error, "attaching the tc program of %s",
                         vtw->info.name);
}

/* Returns true if 'vtv' and 'vtw' are both nonnull and the two ends of one
 * veth pair. */
static bool
dp_linux_is_pair(const struct dp_linux_link *vtv,
                 const struct dp_linux_link *vtw)
{
    return (vtv && vtw
            && vtv->info.lower == vtw->info.ifindex
            && vtw->info.lower == vtv->info.ifindex);
}

/* Makes frames of binding ('port', 'vlan'), 'vlan' 1 to 4095, enter bridge
 * 'br' through the binding's veth pair (created if needed), and frames that
 * the bridge sends there leave 'port' tagged 'vlan' (the port's own program
 * aside).  Returns 0 or an errno value. */
static int
dp_linux_bind_tagged(struct dp_linux *dp, const struct dp_linux_link *port,
                     uint16_t vlan, const struct dp_linux_link *br)
{
    const char *name = port->info.name;
    struct dp_linux_link *vtv, *vtw;
    int error = 0;

    vtv = dp_linux_find_vlan(dp, DP_LINUX_VLAN, name, vlan);
    vtw = dp_linux_find_vlan(dp, DP_LINUX_VLAN_PEER, name, vlan);
    if (!dp_linux_is_pair(vtv, vtw)) {
        /* None, or half of one: start again. */
        error = vtv ? dp_linux_delete(dp, vtv) : 0;
        if (!error && vtw) {
            error = dp_linux_delete(dp, vtw);
        }
        if (!error) {
            error = dp_linux_create_veth(dp, port, vlan, br, &vtv, &vtw);
        }
        if (error) {
            return error;
        }
    }

    /* The tagger first, so that nothing that the bridge sends reaches the
     * "vtw" end's own stack. */
    error = dp_linux_sync_tagger(dp, vtw, port);
    if (!error && !(vtw->info.flags & IFF_UP)) {
        error = dp_linux_fail(dp, rtnl_link_set_up(vtw->info.ifindex),
                              "bringing up %s", vtw->info.name);
        vtw->info.flags |= error ? 0 : IFF_UP;
    }
    if (!error && (vtv->info.master != br->info.ifindex
                   || !(vtv->info.flags & IFF_UP))) {
        error = dp_linux_fail(dp, rtnl_link_enslave(vtv->info.ifindex,
                                                    br->info.ifindex),
                              "adding %s to %s", vtv->info.name,
                              br->info.name);
        if (!error) {
            vtv->info.master = br->info.ifindex;
            vtv->info.flags |= IFF_UP;
        }
    }
    return error;
}

/* Makes frames of binding (port, vlan) enter the bridge of logical switch
 * 'ls', and frames from the bridge leave through the binding: the port
 * itself is a port of the bridge for VLAN 0, the binding's veth pair for
 * other VLANs.  Updates the port's trunk program to match.  Returns 0 or an
 * errno value (ENODEV if there is no such port). */
static int
dp_linux_bind(struct dp_linux *dp, const char *port_name, uint16_t vlan,
              const char *ls)
{
    struct dp_linux_link *br = dp_linux_find_own(dp, DP_LINUX_BRIDGE, ls);
    struct dp_linux_link *port;
    int error;

    if (!br) {
        return dp_linux_fail(dp, ENOENT, "logical switch %s has no bridge",
                             ls);
    }
    error = dp_linux_refresh(dp, port_name, &port);
    if (error) {
        return dp_linux_fail(dp, error, "reading port %s", port_name);
    } else if (!dp_linux_is_port(port)) {
        return dp_linux_fail(dp, EINVAL, "%s cannot be a port", port_name);
    }

    if (vlan) {
        error = dp_linux_bind_tagged(dp, port, vlan, br);
    } else if (port->info.master != br->info.ifindex
               || !(port->info.flags & IFF_UP)) {
        error = dp_linux_fail(dp, rtnl_link_enslave(port->info.ifindex,
                                                    br->info.ifindex),
                              "adding %s to %s", port_name, br->info.name);
        if (!error) {
            port->info.master = br->info.ifindex;
            port->info.flags |= IFF_UP;
        }
    }
    if (!error) {
        error = dp_linux_sync_trunk(dp, port, -1);
    }
    if (!error && !(port->info.flags & IFF_UP)) {
        error = dp_linux_fail(dp, rtnl_link_set_up(port->info.ifindex),
                              "bringing up %s", port_name);
        port->info.flags |= error ? 0 : IFF_UP;
    }
    return error;
}

/* Takes binding (port, vlan) out of its bridge: the port for VLAN 0, the
 * veth pair (deleted) for other VLANs.  Updates the port's trunk program
 * first, so that a restart in between still finds, adopts and then removes
 * the rest of the binding.  Returns 0 (also if the port is gone) or an
 * errno value. */
static int
dp_linux_unbind(struct dp_linux *dp, const char *port_name, uint16_t vlan)
{
    struct dp_linux_link *port, *master;
    int error;

    error = dp_linux_refresh(dp, port_name, &port);
    if (error && error != ENODEV) {
        return dp_linux_fail(dp, error, "reading port %s", port_name);
    }
    if (port) {
        error = dp_linux_sync_trunk(dp, port, vlan);
        if (error) {
            return error;
        }
    }

    if (vlan) {
        struct dp_linux_link *vtv, *vtw;

        /* Deleting either end deletes both. */
        vtv = dp_linux_find_vlan(dp, DP_LINUX_VLAN, port_name, vlan);
        vtw = dp_linux_find_vlan(dp, DP_LINUX_VLAN_PEER, port_name, vlan);
        error = vtv ? dp_linux_delete(dp, vtv) : 0;
        if (!error && vtw) {
            error = dp_linux_delete(dp, vtw);
        }
        return error;
    } else if (!port) {
        return 0;
    }

    /* Only take the port out of a bridge of this switch. */
    master = dp_linux_link_find(dp, port->info.master);
    if (master && master->role == DP_LINUX_BRIDGE) {
        error = rtnl_link_release(port->info.ifindex);
        if (error && error != ENODEV) {
            return dp_linux_fail(dp, error, "taking %s out of %s",
                                 port->info.name, master->info.name);
        }
        port->info.master = 0;
    }
    return 0;
}

/* DP_OP_BIND_ADD. */
static int
dp_linux_bind_add(struct dp_linux *dp, const struct dp_op *op)
{
    const struct dp_binding *b = dp_state_find_binding(&dp->up.actual,
                                                       op->port, op->vlan);
    int error = dp_linux_bind(dp, op->port, op->vlan, op->ls);

    if (!error && b && strcmp(b->ls, op->ls)) {
        dp_forget_local_macs_of_binding(&dp->up, op->port, op->vlan);
    }
    return error;
}

/* Takes down the bridge end of the veth pair of tagged binding 'b', whose
 * port is gone, so that its bridge forgets the MACs learned there (as
 * dp_linux_link_gone() did) and sends nothing there until the port is
 * back. */
static void
dp_linux_park(struct dp_linux *dp, const struct dp_binding *b)
{
    struct dp_linux_link *vtv = dp_linux_find_vlan(dp, DP_LINUX_VLAN,
                                                   b->port, b->vlan);
    int error;

    if (!vtv || !(vtv->info.flags & IFF_UP)) {
        return;
    }
    error = rtnl_link_set_down(vtv->info.ifindex);
    if (error) {
        VLOG_WARN_RL(&rl, "%s: taking down %s of port %s VLAN %"PRIu16
                     " failed (%s)", dp->up.name, vtv->info.name, b->port,
                     b->vlan, ovs_strerror(error));
    } else {
        VLOG_INFO_RL(&rl, "%s: port %s is gone, %s of its VLAN %"PRIu16
                     " is down until it is back", dp->up.name, b->port,
                     vtv->info.name, b->vlan);
        vtv->info.flags &= ~IFF_UP;
    }
}

/* Returns true if the devices of binding 'b' of bridge 'br', on existing
 * port 'port', are as dp_linux_bind() leaves them (the programs aside). */
static bool
dp_linux_binding_ok(const struct dp_linux *dp, const struct dp_binding *b,
                    const struct dp_linux_link *br,
                    const struct dp_linux_link *port)
{
    const struct dp_linux_link *vtv, *vtw;

    if (!b->vlan) {
        return port->info.master == br->info.ifindex;
    }
    vtv = dp_linux_find_vlan(dp, DP_LINUX_VLAN, b->port, b->vlan);
    vtw = dp_linux_find_vlan(dp, DP_LINUX_VLAN_PEER, b->port, b->vlan);
    return (dp_linux_is_pair(vtv, vtw)
            && vtv->info.master == br->info.ifindex
            && vtv->info.flags & IFF_UP
            && vtw->info.flags & IFF_UP);
}

/* Checks that the kernel still carries every binding of 'actual' (a port
 * that went away and came back, or was taken out of its bridge, is not in
 * it any longer) and binds again those that it does not; takes down the veth
 * pairs of ports that are gone; and attaches again the tc programs that do
 * not match the devices' ifindexes, or that this switch did not attach since
 * it started. */
static void
dp_linux_check_bindings(struct dp_linux *dp)
{
    struct sset ports = SSET_INITIALIZER(&ports);
    const struct dp_binding *b;
    const char *name;

    dp->check_bindings = false;
    HMAP_FOR_EACH (b, node, &dp->up.actual.bindings) {
        const struct dp_linux_link *br, *port;
        int error;

        br = dp_linux_find_own(dp, DP_LINUX_BRIDGE, b->ls);
        port = dp_linux_link_find_by_name(dp, b->port);
        if (!br) {
            continue;
        } else if (!port) {
            if (b->vlan) {
                dp_linux_park(dp, b);
            }
            continue;
        }
        sset_add(&ports, b->port);

        ds_clear(&dp->why);
        if (dp_linux_binding_ok(dp, b, br, port)) {
            if (!b->vlan) {
                continue;
            }
            error = dp_linux_sync_tagger(
                dp, dp_linux_find_vlan(dp, DP_LINUX_VLAN_PEER, b->port,
                                       b->vlan),
                port);
        } else {
            VLOG_INFO_RL(&rl, "%s: port %s VLAN %"PRIu16" is not in "
                         "logical switch %s any longer, binding it again",
                         dp->up.name, b->port, b->vlan, b->ls);
            error = dp_linux_bind(dp, b->port, b->vlan, b->ls);
        }
        if (error) {
            /* ENODEV: the port is going away; its removal comes next. */
            VLOG_RL(&rl, error == ENODEV ? VLL_DBG : VLL_WARN,
                    "%s: restoring binding port %s VLAN %"PRIu16" failed: "
                    "%s (%s)", dp->up.name, b->port, b->vlan,
                    ds_cstr(&dp->why), ovs_strerror(error));
        }
    }

    SSET_FOR_EACH (name, &ports) {
        const struct dp_linux_link *port = dp_linux_link_find_by_name(dp,
                                                                      name);
        int error;

        ds_clear(&dp->why);
        error = port ? dp_linux_sync_trunk(dp, port, -1) : 0;
        if (error) {
            VLOG_RL(&rl, error == ENODEV ? VLL_DBG : VLL_WARN, "%s: %s (%s)",
                    dp->up.name, ds_cstr(&dp->why), ovs_strerror(error));
        }
    }
    sset_destroy(&ports);
}

/* Remote MACs and flood lists. */

/* DP_OP_MAC_ADD, DP_OP_MAC_DEL, DP_OP_FLOOD_ADD, DP_OP_FLOOD_DEL. */
static int
dp_linux_fdb_op(struct dp_linux *dp, const struct dp_op *op)
{
    bool add = op->type == DP_OP_MAC_ADD || op->type == DP_OP_FLOOD_ADD;
    const struct dp_linux_link *vx;
    struct rtnl_fdb_batch batch;

    if (!dp_state_find_ls(&dp->up.actual, op->ls)) {
        return add ? dp_linux_fail(dp, ENOENT, "no logical switch %s",
                                   op->ls) : 0;
    }
    vx = dp_linux_find_own(dp, DP_LINUX_VXLAN, op->ls);
    if (!vx || !dp_linux_find_own(dp, DP_LINUX_BRIDGE, op->ls)) {
        /* No tunnel yet: 'actual' keeps the entry, to be installed with the
         * VXLAN device. */
        return 0;
    }

    rtnl_fdb_batch_init(&batch);
    switch (op->type) {
    case DP_OP_MAC_ADD:
        rtnl_fdb_batch_add_remote(&batch, vx->info.ifindex, op->mac,
                                  op->ip);
        break;
    case DP_OP_MAC_DEL:
        rtnl_fdb_batch_del_remote(&batch, vx->info.ifindex, op->mac);
        break;
    case DP_OP_FLOOD_ADD:
        rtnl_fdb_batch_add_flood(&batch, vx->info.ifindex, op->ip);
        break;
    case DP_OP_FLOOD_DEL:
        rtnl_fdb_batch_del_flood(&batch, vx->info.ifindex, op->ip);
        break;
    case DP_OP_BIND_DEL:
    case DP_OP_LS_DEL:
    case DP_OP_SET_TUNNEL_IP:
    case DP_OP_SET_AGEING:
    case DP_OP_LS_ADD:
    case DP_OP_LS_SET_VNI:
    case DP_OP_BIND_ADD:
        OVS_NOT_REACHED();
    }
    return dp_linux_fail(dp, rtnl_fdb_batch_execute(&batch),
                         "%s FDB entries of %s", add ? "adding" : "removing",
                         vx->info.name);
}

/* Local MACs. */

/* If 'fdb' is an entry that bridge 'br' of this switch learned on a bound
 * port, records it as a local MAC and returns true; otherwise returns
 * false. */
static bool
dp_linux_learn(struct dp_linux *dp, const struct rtnl_fdb *fdb,
               const struct dp_linux_link *br)
{
    const struct dp_linux_link *link;
    const struct dp_binding *b;
    struct dp_local_mac *lm;
    const char *port;
    uint16_t vlan;

    if (!rtnl_fdb_is_learned(fdb)) {
        return false;
    }
    link = dp_linux_link_find(dp, fdb->ifindex);
    if (!link || !dp_linux_link_binding(link, &port, &vlan)) {
        return false;
    }
    b = dp_state_find_binding(&dp->up.actual, port, vlan);
    if (!b || strcmp(b->ls, br->ls)) {
        return false;
    }

    lm = dp_local_mac_find(&dp->up.local_macs, br->ls, fdb->mac);
    if (!lm || lm->vlan != vlan || strcmp(lm->port, port)) {
        dp_local_mac_add(&dp->up.local_macs, br->ls, fdb->mac, port, vlan);
        dp->up.local_macs_seq++;
    }
    return true;
}

/* Returns this switch's bridge that holds FDB entry 'fdb', or NULL. */
static const struct dp_linux_link *
dp_linux_fdb_bridge(const struct dp_linux *dp, const struct rtnl_fdb *fdb)
{
    const struct dp_linux_link *br = (fdb->master
                                      ? dp_linux_link_find(dp, fdb->master)
                                      : NULL);

    return br && br->role == DP_LINUX_BRIDGE ? br : NULL;
}

/* Processes a notification that bridge FDB entry 'fdb' was added or changed
 * or, if 'deleted', removed. */
static void
dp_linux_handle_fdb(struct dp_linux *dp, const struct rtnl_fdb *fdb,
                    bool deleted)
{
    const struct dp_linux_link *br = dp_linux_fdb_bridge(dp, fdb);
    struct dp_local_mac *lm;

    if (!br || (!deleted && dp_linux_learn(dp, fdb, br))) {
        return;
    }

    /* Gone, or not (any longer) learned on a bound port. */
    lm = dp_local_mac_find(&dp->up.local_macs, br->ls, fdb->mac);
    if (lm) {
        dp_local_mac_remove(&dp->up.local_macs, lm);
        dp->up.local_macs_seq++;
    }
}

/* rtnl_fdb_dump() callback: records a learned entry as a local MAC. */
static void
dp_linux_load_local_cb(const struct rtnl_fdb *fdb, void *dp_)
{
    struct dp_linux *dp = dp_;
    const struct dp_linux_link *br = dp_linux_fdb_bridge(dp, fdb);

    if (br) {
        dp_linux_learn(dp, fdb, br);
    }
}

/* Ports and notifications. */

/* Recomputes dp->up.ports from the devices. */
static void
dp_linux_update_ports(struct dp_linux *dp)
{
    struct sset ports = SSET_INITIALIZER(&ports);
    const struct dp_linux_link *link;

    HMAP_FOR_EACH (link, node, &dp->links) {
        if (dp_linux_is_port(link)) {
            sset_add(&ports, link->info.name);
        }
    }
    if (!sset_equals(&ports, &dp->up.ports)) {
        sset_swap(&ports, &dp->up.ports);
        dp->up.ports_seq++;
    }
    sset_destroy(&ports);
}

/* Reads all devices and local MACs again, after notifications were lost. */
static void
dp_linux_resync(struct dp_linux *dp)
{
    int error;

    COVERAGE_INC(dp_linux_resync);
    nl_sock_drain(dp->sock);

    dp_linux_links_clear(dp);
    error = rtnl_link_dump(dp_linux_load_link_cb, dp);
    if (error) {
        VLOG_WARN_RL(&rl, "%s: reading devices failed (%s)",
                     dp->up.name, ovs_strerror(error));
    }

    dp_local_macs_clear(&dp->up.local_macs);
    dp->up.local_macs_seq++;
    error = rtnl_fdb_dump(0, dp_linux_load_local_cb, dp);
    if (error) {
        VLOG_WARN_RL(&rl, "%s: reading the bridge FDB failed (%s)",
                     dp->up.name, ovs_strerror(error));
    }
    dp->check_bindings = true;
}

/* Processes notification 'msg'. */
static void
dp_linux_handle_notification(struct dp_linux *dp, const struct ofpbuf *msg)
{
    uint16_t type = nl_msg_nlmsghdr(msg)->nlmsg_type;
    struct rtnl_link info;
    struct rtnl_fdb fdb;

    COVERAGE_INC(dp_linux_notification);
    if ((type == RTM_NEWLINK || type == RTM_DELLINK)
        && !rtnl_link_parse(msg, &info)) {
        if (type == RTM_NEWLINK) {
            dp_linux_link_update(dp, &info);
        } else {
            struct dp_linux_link *link = dp_linux_link_find(dp, info.ifindex);

            if (link) {
                dp_linux_link_remove(dp, link);
            }
        }
        dp->check_bindings = true;
    } else if ((type == RTM_NEWNEIGH || type == RTM_DELNEIGH)
               && !rtnl_fdb_parse(msg, &fdb)) {
        dp_linux_handle_fdb(dp, &fdb, type == RTM_DELNEIGH);
    }
}

/* Adoption. */

/* Adopts logical switches, the tunnel IP, the MAC ageing time and bindings
 * from this switch's devices into 'actual'. */
static void
dp_linux_adopt_links(struct dp_linux *dp)
{
    struct dp_state *actual = &dp->up.actual;
    struct dp_linux_link *link;
    bool have_ageing = false;

    /* Logical switches and ageing time, from bridges. */
    HMAP_FOR_EACH (link, own_node, &dp->own_links) {
        if (link->role == DP_LINUX_BRIDGE
            && !dp_state_find_ls(actual, link->ls)) {
            dp_state_add_ls(actual, link->ls, 0);
            if (!have_ageing) {
                actual->mac_ageing = link->info.br_ageing / 100;
                have_ageing = true;
            }
        }
    }

    /* Bridges left with another ageing time (by an interrupted
     * DP_OP_SET_AGEING) would never be fixed otherwise. */
    HMAP_FOR_EACH (link, own_node, &dp->own_links) {
        if (link->role == DP_LINUX_BRIDGE
            && link->info.br_ageing != dp_linux_ageing(dp)) {
            VLOG_INFO("%s: setting ageing time of %s to %u s",
                      dp->up.name, link->info.name, actual->mac_ageing);
            if (!rtnl_link_set_bridge_ageing(link->info.ifindex,
                                             dp_linux_ageing(dp))) {
                link->info.br_ageing = dp_linux_ageing(dp);
            }
        }
    }

    /* VNIs and tunnel IP, from VXLAN devices in those bridges.  A device
     * with another local IP than the first one leaves its logical switch
     * without a VNI in 'actual', so that it is replaced. */
    HMAP_FOR_EACH (link, own_node, &dp->own_links) {
        const struct dp_linux_link *br;
        struct dp_ls *ls;

        if (link->role != DP_LINUX_VXLAN) {
            continue;
        }
        br = dp_linux_find_own(dp, DP_LINUX_BRIDGE, link->ls);
        ls = dp_state_find_ls(actual, link->ls);
        if (!br || !ls || link->info.master != br->info.ifindex
            || !link->info.vxlan_id || !link->info.vxlan_local
            || link->info.vxlan_port != htons(RTNL_LINK_VXLAN_PORT)) {
            continue;
        }
        if (!actual->tunnel_ip) {
            actual->tunnel_ip = link->info.vxlan_local;
        }
        if (link->info.vxlan_local == actual->tunnel_ip) {
            ls->vni = link->info.vxlan_id;
        } else {
            VLOG_WARN("%s: %s has local IP "IP_FMT", not "IP_FMT,
                      dp->up.name, link->info.name,
                      IP_ARGS(link->info.vxlan_local),
                      IP_ARGS(actual->tunnel_ip));
        }
    }

    /* Bindings, from the other ports of those bridges. */
    HMAP_FOR_EACH (link, node, &dp->links) {
        const struct dp_linux_link *br = dp_linux_link_find(dp,
                                                            link->info.master);
        const char *port;
        uint16_t vlan;

        if (br && br->role == DP_LINUX_BRIDGE
            && dp_linux_link_binding(link, &port, &vlan)
            && !dp_state_find_binding(actual, port, vlan)) {
            dp_state_add_binding(actual, port, vlan, br->ls);
        }
    }
}

/* Context for dp_linux_adopt_fdb_cb(). */
struct dp_linux_adopt_ctx {
    struct dp_linux *dp;        /* Datapath being opened. */
    size_t n_flood;             /* Flood list entries adopted. */
};

/* rtnl_fdb_dump() callback: adopts remote MACs and flood list entries from
 * this switch's VXLAN devices, and local MACs. */
static void
dp_linux_adopt_fdb_cb(const struct rtnl_fdb *fdb, void *ctx_)
{
    struct dp_linux_adopt_ctx *ctx = ctx_;
    struct dp_linux *dp = ctx->dp;
    const struct dp_linux_link *link = dp_linux_link_find(dp, fdb->ifindex);
    struct dp_ls *ls;

    if (!link || link->role != DP_LINUX_VXLAN) {
        dp_linux_load_local_cb(fdb, dp);
        return;
    }

    ls = dp_state_find_ls(&dp->up.actual, link->ls);
    if (ls && ls->vni == link->info.vxlan_id
        && fdb->flags & NTF_SELF && fdb->dst) {
        if (eth_addr_is_zero(fdb->mac)) {
            char ip[INET_ADDRSTRLEN];

            snprintf(ip, sizeof ip, IP_FMT, IP_ARGS(fdb->dst));
            ctx->n_flood += sset_add(&ls->flood_ips, ip) != NULL;
        } else {
            dp_ls_set_remote_mac(ls, fdb->mac, fdb->dst);
        }
    }
}

/* Provider functions. */

/* Frees 'dp' without touching the kernel. */
static void
dp_linux_destroy(struct dp_linux *dp)
{
    struct dp_linux_trunk *t;

    nl_sock_destroy(dp->sock);
    HMAP_FOR_EACH_SAFE (t, node, &dp->trunks) {
        dp_linux_trunk_remove(dp, t);
    }
    hmap_destroy(&dp->trunks);
    dp_linux_links_clear(dp);
    hmap_destroy(&dp->links);
    hmap_destroy(&dp->links_by_name);
    hmap_destroy(&dp->own_links);
    free(dp->prefix);
    ds_destroy(&dp->why);
    dp_uninit(&dp->up);
    free(dp);
}

/* dp_class "open": opens the datapath of physical switch 'name'. */
static int
dp_linux_open(const char *name, struct dp **dpp)
{
    struct dp_linux *dp = xzalloc(sizeof *dp);
    struct dp_linux_adopt_ctx ctx = { .dp = dp };
    int error;

    dp_init(&dp->up, &dp_linux_class, name);
    dp->up.actual.mac_ageing = SWITCH_CONFIG_DEFAULT_AGEING;
    dp->prefix = xasprintf("vtepd:ps=%s:", name);
    hmap_init(&dp->links);
    hmap_init(&dp->links_by_name);
    hmap_init(&dp->own_links);
    hmap_init(&dp->trunks);
    ds_init(&dp->why);

    /* Subscribe first, so that no change is missed between the dumps and
     * the first notification. */
    error = nl_sock_create(NETLINK_ROUTE, &dp->sock);
    if (!error) {
        error = nl_sock_join_mcgroup(dp->sock, RTNLGRP_LINK);
    }
    if (!error) {
        error = nl_sock_join_mcgroup(dp->sock, RTNLGRP_NEIGH);
    }
    if (!error) {
        error = rtnl_link_dump(dp_linux_load_link_cb, dp);
    }
    if (!error) {
        dp_linux_adopt_links(dp);
        error = rtnl_fdb_dump(0, dp_linux_adopt_fdb_cb, &ctx);
    }
    if (error) {
        VLOG_ERR("%s: reading the kernel's state failed (%s)",
                 name, ovs_strerror(error));
        dp_linux_destroy(dp);
        *dpp = NULL;
        return error;
    }
    dp_linux_update_ports(dp);

    /* Takes down the veth pairs of ports that are gone, and attaches the tc
     * programs again, so that they use the devices' current ifindexes. */
    dp_linux_check_bindings(dp);

    VLOG_INFO("%s: adopted %"PRIuSIZE" logical switches, %"PRIuSIZE
              " bindings, %"PRIuSIZE" remote MACs, %"PRIuSIZE" flood "
              "entries and %"PRIuSIZE" local MACs (tunnel IP "IP_FMT", MAC "
              "ageing %u s)", name, hmap_count(&dp->up.actual.switches),
              hmap_count(&dp->up.actual.bindings),
              dp_state_count_remote_macs(&dp->up.actual), ctx.n_flood,
              hmap_count(&dp->up.local_macs),
              IP_ARGS(dp->up.actual.tunnel_ip), dp->up.actual.mac_ageing);
    *dpp = &dp->up;
    return 0;
}

/* dp_class "close": frees 'dp', leaving the kernel as it is. */
static void
dp_linux_close(struct dp *dp)
{
    dp_linux_destroy(dp_linux_cast(dp));
}

/* dp_class "run": processes the pending notifications, without blocking. */
static void
dp_linux_run(struct dp *dp_)
{
    struct dp_linux *dp = dp_linux_cast(dp_);
    uint64_t stub[4096 / 8];
    struct ofpbuf buf;
    int i;

    ofpbuf_use_stub(&buf, stub, sizeof stub);
    for (i = 0; i < DP_LINUX_MAX_NOTIFICATIONS; i++) {
        int error = nl_sock_recv(dp->sock, &buf, NULL, false);

        if (!error) {
            struct ofpbuf msgs = buf;
            struct ofpbuf msg;

            while (nl_msg_next(&msgs, &msg)) {
                dp_linux_handle_notification(dp, &msg);
            }
        } else if (error == ENOBUFS) {
            VLOG_WARN_RL(&rl, "%s: netlink notifications lost, reading the "
                         "kernel's state again", dp->up.name);
            dp_linux_resync(dp);
        } else {
            if (error != EAGAIN) {
                VLOG_WARN_RL(&rl, "%s: reading netlink notifications failed "
                             "(%s)", dp->up.name, ovs_strerror(error));
            }
            break;
        }
    }
    ofpbuf_uninit(&buf);

    /* Half-processed changes (e.g. a device created but not yet marked as
     * this switch's) must not show, so wait until all are in. */
    dp->more = i >= DP_LINUX_MAX_NOTIFICATIONS;
    if (!dp->more) {
        if (dp->check_bindings) {
            dp_linux_check_bindings(dp);
        }
        dp_linux_update_ports(dp);
    }
}

/* dp_class "wait": wakes poll_block() up for the next notification. */
static void
dp_linux_wait(struct dp *dp_)
{
    struct dp_linux *dp = dp_linux_cast(dp_);

    if (dp->more) {
        poll_immediate_wake();
    } else {
        nl_sock_wait(dp->sock, POLLIN);
    }
}

/* Carries out 'op'.  Returns 0 or an errno value. */
static int
dp_linux_execute_op(struct dp_linux *dp, const struct dp_op *op)
{
    int error;

    switch (op->type) {
    case DP_OP_BIND_DEL:
        error = dp_linux_unbind(dp, op->port, op->vlan);
        if (!error) {
            dp_forget_local_macs_of_binding(&dp->up, op->port, op->vlan);
        }
        return error;
    case DP_OP_MAC_DEL:
    case DP_OP_FLOOD_DEL:
    case DP_OP_MAC_ADD:
    case DP_OP_FLOOD_ADD:
        return dp_linux_fdb_op(dp, op);
    case DP_OP_LS_DEL:
        return dp_linux_ls_del(dp, op->ls);
    case DP_OP_SET_TUNNEL_IP:
        return dp_linux_set_tunnel_ip(dp, op->ip);
    case DP_OP_SET_AGEING:
        return dp_linux_set_ageing(dp, op->ageing);
    case DP_OP_LS_ADD:
        return dp_linux_ls_add(dp, op->ls, op->vni);
    case DP_OP_LS_SET_VNI:
        if (!dp_state_find_ls(&dp->up.actual, op->ls)) {
            return dp_linux_fail(dp, ENOENT, "no logical switch %s", op->ls);
        }
        return dp_linux_sync_vxlan(dp, op->ls, op->vni,
                                   dp->up.actual.tunnel_ip);
    case DP_OP_BIND_ADD:
        return dp_linux_bind_add(dp, op);
    }
    OVS_NOT_REACHED();
}

/* dp_class "execute": carries out each operation in 'ops'. */
static void
dp_linux_execute(struct dp *dp_, struct ovs_list *ops)
{
    struct dp_linux *dp = dp_linux_cast(dp_);
    struct dp_op *op;

    LIST_FOR_EACH (op, list_node, ops) {
        int error;

        ds_clear(&dp->why);
        error = dp_linux_execute_op(dp, op);
        if (!error) {
            dp_apply_to_state(&dp->up.actual, op);
        } else if (!VLOG_DROP_WARN(&rl)) {
            struct ds s = DS_EMPTY_INITIALIZER;

            dp_op_format(op, &s);
            VLOG_WARN("%s: %s failed: %s%s(%s)", dp->up.name, ds_cstr(&s),
                      ds_cstr(&dp->why), dp->why.length ? " " : "",
                      ovs_strerror(error));
            ds_destroy(&s);
        }
        op->error = error;
    }
}

/* Context for dp_linux_dump_cb(). */
struct dp_linux_dump_ctx {
    const struct dp_linux *dp;  /* Datapath. */
    int bridge;                 /* The logical switch's bridge. */
    int vxlan;                  /* Its VXLAN device, 0 if none. */
    struct svec local;          /* "local ..." lines. */
    struct svec remote;         /* "remote ..." lines. */
    struct svec flood;          /* "flood ..." lines. */
};

/* rtnl_fdb_dump() callback for dp_linux_dump_macs(). */
static void
dp_linux_dump_cb(const struct rtnl_fdb *fdb, void *ctx_)
{
    struct dp_linux_dump_ctx *ctx = ctx_;

    if (ctx->vxlan && fdb->ifindex == ctx->vxlan
        && fdb->flags & NTF_SELF && fdb->dst) {
        if (eth_addr_is_zero(fdb->mac)) {
            svec_add_nocopy(&ctx->flood, xasprintf("flood  dst "IP_FMT,
                                                   IP_ARGS(fdb->dst)));
        } else {
            svec_add_nocopy(&ctx->remote,
                            xasprintf("remote "ETH_ADDR_FMT" dst "IP_FMT,
                                      ETH_ADDR_ARGS(fdb->mac),
                                      IP_ARGS(fdb->dst)));
        }
    } else if (fdb->master == ctx->bridge && fdb->ifindex != ctx->vxlan
               && rtnl_fdb_is_learned(fdb)) {
        const struct dp_linux_link *link = dp_linux_link_find(ctx->dp,
                                                              fdb->ifindex);
        const char *port;
        uint16_t vlan;

        if (link && dp_linux_link_binding(link, &port, &vlan)) {
            svec_add_nocopy(&ctx->local,
                            xasprintf("local  "ETH_ADDR_FMT" port %s vlan "
                                      "%"PRIu16, ETH_ADDR_ARGS(fdb->mac),
                                      port, vlan));
        } else {
            svec_add_nocopy(&ctx->local,
                            xasprintf("local  "ETH_ADDR_FMT" ifindex %d",
                                      ETH_ADDR_ARGS(fdb->mac),
                                      fdb->ifindex));
        }
    }
}

/* dp_class "dump_macs": reads the FDB entries of logical switch 'ls' from
 * the kernel. */
static int
dp_linux_dump_macs(struct dp *dp_, const char *ls, struct ds *out)
{
    struct dp_linux *dp = dp_linux_cast(dp_);
    const struct dp_linux_link *br, *vx;
    struct dp_linux_dump_ctx ctx;
    struct svec *lists[3];
    int error;

    br = dp_linux_find_own(dp, DP_LINUX_BRIDGE, ls);
    if (!br) {
        return ENOENT;
    }
    vx = dp_linux_find_own(dp, DP_LINUX_VXLAN, ls);

    ctx.dp = dp;
    ctx.bridge = br->info.ifindex;
    ctx.vxlan = vx ? vx->info.ifindex : 0;
    svec_init(&ctx.local);
    svec_init(&ctx.remote);
    svec_init(&ctx.flood);
    error = rtnl_fdb_dump(br->info.ifindex, dp_linux_dump_cb, &ctx);

    lists[0] = &ctx.local;
    lists[1] = &ctx.remote;
    lists[2] = &ctx.flood;
    for (size_t i = 0; i < ARRAY_SIZE(lists); i++) {
        const char *line;
        size_t j;

        svec_sort(lists[i]);
        SVEC_FOR_EACH (j, line, lists[i]) {
            ds_put_format(out, "%s\n", line);
        }
        svec_destroy(lists[i]);
    }
    return error;
}

const struct dp_class dp_linux_class = {
    .type = "linux",
    .open = dp_linux_open,
    .close = dp_linux_close,
    .run = dp_linux_run,
    .wait = dp_linux_wait,
    .execute = dp_linux_execute,
    .dump_macs = dp_linux_dump_macs,
};
