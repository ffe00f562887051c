/* dp-linux-links.c -- the "linux" datapath provider's copy of the kernel's
 * devices and of the MACs that its bridges learned, and the devices that it
 * creates and deletes.
 *
 * It owns dp_linux.links, .links_by_name and .own_links: reading the
 * kernel's devices into them, telling from a device's alias which of this
 * switch's devices it is (see dp-linux.c), and the life cycle of those
 * devices: naming, creating, marking with an alias ("claiming") and
 * deleting them, bridges and VXLAN devices as well as the veth pairs of
 * bindings.  It also keeps dp.local_macs, the MACs that this switch's
 * bridges learned on bound ports, from notifications and dumps. */

#include <config.h>
#include "dp-linux-private.h"

#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "hash.h"
#include "openvswitch/hmap.h"
#include "rtnl-fdb.h"
#include "rtnl-link.h"
#include "tc-vlan.h"
#include "util.h"

/* How many names are tried for a new device before giving up. */
#define DP_LINUX_MAX_NAME_TRIES 8

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
char *
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
struct dp_linux_link *
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
struct dp_linux_link *
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
struct dp_linux_link *
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
struct dp_linux_link *
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
bool
dp_linux_is_port(const struct dp_linux_link *link)
{
    return (strcmp(link->info.name, "lo")
            && !dp_linux_skip(link->info.alias, "vtepd:"));
}

/* If frames of a binding enter a bridge through 'link', that is, if 'link'
 * is a port (VLAN 0) or the bridge end of this switch's veth pair for VLAN N
 * of a port, stores that port's name (valid as long as 'link' is known) and
 * VLAN in '*port' and '*vlan' and returns true.  Otherwise returns false. */
bool
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
        struct dp_state gone;

        dp_state_init(&gone);
        HMAP_FOR_EACH (b, node, &dp->up.actual.bindings) {
            if (!strcmp(b->port, link->info.name)) {
                dp_state_add_binding(&gone, b->port, b->vlan, b->ls);
            }
        }
        dp_forget_local_macs_of_bindings(&dp->up, &gone);
        dp_state_destroy(&gone);
        dp_linux_trunk_forget(dp, link->info.name);
    }
}

/* Adds device 'info' to what 'dp' knows, or updates it, and returns it. */
struct dp_linux_link *
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
    dp->links_seq++;
    hmap_insert(&dp->links_by_name, &link->name_node,
                hash_string(info->name, 0));
    dp_linux_classify(dp, link);
    return link;
}

/* Removes 'link' from what 'dp' knows and frees it. */
void
dp_linux_link_remove(struct dp_linux *dp, struct dp_linux_link *link)
{
    dp_linux_link_gone(dp, link);
    dp->links_seq++;
    hmap_remove(&dp->links, &link->node);
    hmap_remove(&dp->links_by_name, &link->name_node);
    if (link->role) {
        hmap_remove(&dp->own_links, &link->own_node);
    }
    free(link);
}

/* Forgets every device, without side effects. */
void
dp_linux_links_clear(struct dp_linux *dp)
{
    struct dp_linux_link *link;

    HMAP_FOR_EACH_POP (link, node, &dp->links) {
        free(link);
    }
    dp->links_seq++;
    hmap_clear(&dp->links_by_name);
    hmap_clear(&dp->own_links);
}

/* rtnl_link_dump() callback: records a device. */
void
dp_linux_load_link_cb(const struct rtnl_link *info, void *dp)
{
    dp_linux_link_update(dp, info);
}

/* Reads device 'name' from the kernel into what 'dp' knows and stores it in
 * '*linkp'.  Returns 0, ENODEV, or another errno value. */
int
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

/* Returns true if 'name' is the name of a device.  Asks the kernel about a
 * name that no device known to 'dp' has, if 'ask', and then records the
 * device that has it, if any. */
static bool
dp_linux_name_taken(struct dp_linux *dp, const char *name, bool ask)
{
    struct dp_linux_link *link;

    return (dp_linux_link_find_by_name(dp, name)
            || (ask && !dp_linux_refresh(dp, name, &link)));
}

/* Creates device 'want' (see rtnl_link_create(); created down), under the
 * first name among those dp_linux_candidate_name() gives for 'key' that no
 * device has.  Returns 0 or an errno value.  (EEXIST may also mean that
 * another device has what must be unique, e.g. the VNI of a VXLAN
 * device.) */
static int
dp_linux_create_named(struct dp_linux *dp, struct rtnl_link *want,
                      const char *key)
{
    bool veth = !strcmp(want->kind, "veth");

    for (int i = 0; i < DP_LINUX_MAX_NAME_TRIES; i++) {
        int error;

        dp_linux_candidate_name(want, key, i);
        if (dp_linux_name_taken(dp, want->name, false)
            || (veth && dp_linux_name_taken(dp, want->peer, false))) {
            continue;
        }

        error = rtnl_link_create(want);
        if (error == EEXIST
            && (dp_linux_name_taken(dp, want->name, true)
                || (veth && dp_linux_name_taken(dp, want->peer, true)))) {
            /* A device that 'dp' has not heard of yet. */
            continue;
        }
        if (error == EEXIST && !strcmp(want->kind, "vxlan")) {
            return dp_linux_fail(dp, error, "creating vxlan device %s (does "
                                 "another device have VNI %"PRIu32"?)",
                                 want->name, want->vxlan_id);
        }
        return dp_linux_fail(dp, error, "creating %s device %s", want->kind,
                             want->name);
    }
    return dp_linux_fail(dp, EEXIST, "no free name for a new %s device",
                         want->kind);
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
int
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
int
dp_linux_delete(struct dp_linux *dp, struct dp_linux_link *link)
{
    int error = rtnl_link_delete(link->info.ifindex);

    if (error && error != ENODEV) {
        return dp_linux_fail(dp, error, "deleting %s", link->info.name);
    }
    tc_vlan_forget(link->info.ifindex);
    dp_linux_link_remove(dp, link);
    return 0;
}

/* Creates the veth pair of binding ('port', 'vlan'), down, with its bridge
 * end enslaved to bridge 'br', with the MTU of 'port', and stores its ends in
 * '*vtvp' (bridge end) and '*vtwp'.  Returns 0 or an errno value, in which
 * case it deletes the pair again (if it got as far as reading it back). */
int
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

/* Local MACs: what the bridges learned on bound ports. */

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

/* Returns the bridge of this switch that 'link' is a bound port of, storing
 * the binding it carries in '*port' and '*vlan', or NULL if 'link' is not
 * such a port. */
const struct dp_linux_link *
dp_linux_bound_bridge(const struct dp_linux *dp,
                      const struct dp_linux_link *link, const char **port,
                      uint16_t *vlan)
{
    const struct dp_linux_link *br = dp_linux_link_find(dp,
                                                        link->info.master);

    return (br && br->role == DP_LINUX_BRIDGE
            && dp_linux_link_binding(link, port, vlan)) ? br : NULL;
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
void
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

/* If 'fdb' is an entry that one of this switch's bridges learned on one of
 * its ports through which the frames of a binding enter, records it as a
 * local MAC.  Other entries, among them those of devices that are not this
 * switch's, are left alone. */
void
dp_linux_load_local_mac(struct dp_linux *dp, const struct rtnl_fdb *fdb)
{
    const struct dp_linux_link *link = dp_linux_link_find(dp, fdb->ifindex);
    const struct dp_linux_link *br;
    const char *port;
    uint16_t vlan;

    br = link ? dp_linux_bound_bridge(dp, link, &port, &vlan) : NULL;
    if (br && br->info.ifindex == fdb->master) {
        dp_linux_learn(dp, fdb, br);
    }
}

/* rtnl_fdb_dump() callback: dp_linux_load_local_mac(). */
static void
dp_linux_load_local_cb(const struct rtnl_fdb *fdb, void *dp)
{
    dp_linux_load_local_mac(dp, fdb);
}

/* Reads the local MACs that this switch's bridges learned on bound ports,
 * with one dump of the whole FDB: one dump per port would make the kernel
 * visit every device of the namespace for each (see rtnl_fdb_dump()).
 * Returns 0 or an errno value. */
int
dp_linux_load_local_macs(struct dp_linux *dp)
{
    return rtnl_fdb_dump(0, dp_linux_load_local_cb, dp);
}
