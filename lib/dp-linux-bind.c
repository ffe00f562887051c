/* dp-linux-bind.c -- bindings of the "linux" datapath provider, and
 * checking that the kernel still has what 'actual' says.
 *
 * It owns how a binding (port, VLAN) is carried (see dp-linux.c): the port
 * in the bridge of its logical switch for VLAN 0, the binding's veth pair
 * and its tagger program otherwise; the trunk program of each bound port,
 * and dp_linux.trunks, the record of what this switch last left on each
 * port; and checking, after devices changed, that the kernel still carries
 * every binding, taking down ("parking") the veth pairs of ports that are
 * gone, and still has the bridge and VXLAN device of every logical switch,
 * which someone may have deleted. */

#include <config.h>
#include "dp-linux-private.h"

#include <errno.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <string.h>

#include "bitmap.h"
#include "coverage.h"
#include "hash.h"
#include "openvswitch/hmap.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "rtnl-link.h"
#include "sset.h"
#include "tc-vlan.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(dp_linux_bind);

COVERAGE_DEFINE(dp_linux_self_heal);
COVERAGE_DEFINE(dp_linux_trunk_sync);

static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(5, 20);

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
void
dp_linux_trunk_remove(struct dp_linux *dp, struct dp_linux_trunk *t)
{
    hmap_remove(&dp->trunks, &t->node);
    tc_vlan_trunk_destroy(&t->cfg);
    free(t->port);
    free(t);
}

/* Forgets what 'dp' knows about the trunk program of port 'port', which
 * went away with the port, or may not be what 'dp' left there. */
void
dp_linux_trunk_forget(struct dp_linux *dp, const char *port)
{
    struct dp_linux_trunk *t = dp_linux_trunk_find(dp, port);

    if (t) {
        dp_linux_trunk_remove(dp, t);
    }
}

/* Bindings. */

/* VLANs 0 to 4095, as bits of a bitmap. */
#define DP_LINUX_N_VLANS 4096

/* Most binding operations in a run that dp_linux_bind_flush() logs at debug
 * level; it logs larger runs at info level, so that a large first sync says
 * what its bindings took. */
#define DP_LINUX_BIND_LOG_DBG 100

/* A port whose trunk program dp_linux_sync_ports() syncs once for several
 * of its bindings: those that a run of binding operations changes, or all
 * of them when they are checked. */
struct dp_linux_port_sync {
    struct hmap_node node;      /* In a map of ports, by name. */
    char *name;                 /* Port name. */
    struct dp_linux_link *link; /* The port, or NULL if it is gone or
                                 * reading it failed. */
    unsigned long skip[BITMAP_N_LONGS(DP_LINUX_N_VLANS)];
                                /* VLANs whose bindings are going away: the
                                 * program carries none of VLANs 1 to 4095
                                 * here, and stops dropping other tagged
                                 * frames if VLAN 0 is here. */
    unsigned long vlans[BITMAP_N_LONGS(DP_LINUX_N_VLANS)];
                                /* VLANs of this switch's veth pairs on the
                                 * port, found by dp_linux_sync_ports(). */
    bool bring_up;              /* Bring the port up once it has its
                                 * program. */
    int error;                  /* 0, or how reading the port or syncing
                                 * its program failed. */
    char *why;                  /* What failed, if 'error'. */
};

/* A binding operation in a struct dp_linux_bind_ops. */
struct dp_linux_bind_op {
    struct dp_op *op;           /* DP_OP_BIND_ADD or DP_OP_BIND_DEL. */
    struct dp_linux_port_sync *port;    /* Its port. */
    int error;                  /* 0, or how its own work failed. */
    char *why;                  /* What failed, if 'error'. */
};

/* Returns the record of port 'name' in 'ports', or NULL. */
static struct dp_linux_port_sync *
dp_linux_port_sync_find(const struct hmap *ports, const char *name)
{
    struct dp_linux_port_sync *s;

    HMAP_FOR_EACH_WITH_HASH (s, node, hash_string(name, 0), ports) {
        if (!strcmp(s->name, name)) {
            return s;
        }
    }
    return NULL;
}

/* Returns the record of port 'name' in 'ports', adding one for 'link' (the
 * port, or NULL), with no VLAN to skip, if there is none. */
static struct dp_linux_port_sync *
dp_linux_port_sync_get(struct hmap *ports, const char *name,
                       struct dp_linux_link *link)
{
    struct dp_linux_port_sync *s = dp_linux_port_sync_find(ports, name);

    if (!s) {
        s = xzalloc(sizeof *s);
        s->name = xstrdup(name);
        s->link = link;
        hmap_insert(ports, &s->node, hash_string(name, 0));
    }
    return s;
}

/* Records in 's' that it failed with 'error', if nonzero, for the reason in
 * dp->why. */
static void
dp_linux_port_sync_fail(struct dp_linux *dp, struct dp_linux_port_sync *s,
                        int error)
{
    if (error) {
        s->error = error;
        free(s->why);
        s->why = xstrdup(ds_cstr(&dp->why));
        s->link = NULL;
    }
}

/* Frees the records in 'ports' and empties it. */
static void
dp_linux_port_syncs_clear(struct hmap *ports)
{
    struct dp_linux_port_sync *s;

    HMAP_FOR_EACH_POP (s, node, ports) {
        free(s->why);
        free(s->name);
        free(s);
    }
}

/* Computes into 'want' (uninitialized) the trunk program that port 'port'
 * of 's' needs: for each VLAN in s->vlans but not in s->skip, out of the
 * "vtw" end of the VLAN's veth pair into its bridge end, which so counts
 * the frames as received; dropping tagged frames of other VLANs if the port
 * is in one of this switch's bridges (a binding for VLAN 0) and VLAN 0 is
 * not in s->skip.  Takes time linear in the number of VLANs. */
static void
dp_linux_trunk_want(const struct dp_linux *dp,
                    const struct dp_linux_link *port,
                    const struct dp_linux_port_sync *s,
                    struct tc_vlan_trunk *want)
{
    const struct dp_linux_link *master;
    size_t vlan;

    tc_vlan_trunk_init(want);
    BITMAP_FOR_EACH_1 (vlan, DP_LINUX_N_VLANS, s->vlans) {
        if (!bitmap_is_set(s->skip, vlan)) {
            /* dp_linux_sync_ports() has just found it.  In increasing
             * order, each VLAN takes constant time. */
            const struct dp_linux_link *vtw = dp_linux_find_vlan(
                dp, DP_LINUX_VLAN_PEER, s->name, vlan);
            tc_vlan_trunk_add(want, vlan, vtw->info.ifindex);
        }
    }
    master = dp_linux_link_find(dp, port->info.master);
    want->drop_other = (master && master->role == DP_LINUX_BRIDGE
                        && !bitmap_is_set(s->skip, 0));
}

/* Makes the trunk program of port 'port' 'want', which this function
 * takes: attaches it, in place of the one there, or removes the one there
 * if 'want' is empty.  Does nothing if that is what this switch last left
 * on the port.  Returns 0 or an errno value. */
static int
dp_linux_set_trunk(struct dp_linux *dp, const struct dp_linux_link *port,
                   struct tc_vlan_trunk *want)
{
    struct dp_linux_trunk *t = dp_linux_trunk_find(dp, port->info.name);
    bool empty;
    int error;

    if (t && t->ifindex == port->info.ifindex
        && tc_vlan_trunk_equals(&t->cfg, want)) {
        tc_vlan_trunk_destroy(want);
        return 0;
    }

    COVERAGE_INC(dp_linux_trunk_sync);
    empty = tc_vlan_trunk_is_empty(want);
    error = (empty
             ? tc_vlan_clear(port->info.ifindex)
             : tc_vlan_set_trunk(port->info.ifindex, want));
    if (error) {
        /* What is on the port now is not known. */
        dp_linux_trunk_forget(dp, port->info.name);
        tc_vlan_trunk_destroy(want);
        return dp_linux_fail(dp, error, "%s the tc program of %s",
                             empty ? "removing" : "attaching",
                             port->info.name);
    }

    VLOG_DBG("%s: tc program of %s: %"PRIuSIZE" VLANs%s", dp->up.name,
             port->info.name, want->n_vlans,
             want->drop_other ? ", other tagged frames dropped" : "");
    if (!t) {
        t = xzalloc(sizeof *t);
        t->port = xstrdup(port->info.name);
        hmap_insert(&dp->trunks, &t->node, hash_string(t->port, 0));
    } else {
        tc_vlan_trunk_destroy(&t->cfg);
    }
    t->ifindex = port->info.ifindex;
    t->cfg = *want;
    return 0;
}

/* Syncs the trunk program of each port in 'ports' that is there and has not
 * failed, to what dp_linux_trunk_want() gives, and then brings it up if it
 * is to be brought up.  Finds the VLANs of all of them in one walk over
 * this switch's devices, so that the time taken is linear in the number of
 * devices and VLANs.  Records in each port how it failed, if it did. */
static void
dp_linux_sync_ports(struct dp_linux *dp, struct hmap *ports)
{
    const struct dp_linux_link *link;
    struct dp_linux_port_sync *s;

    if (hmap_is_empty(ports)) {
        return;
    }
    HMAP_FOR_EACH (s, node, ports) {
        memset(s->vlans, 0, sizeof s->vlans);
    }
    HMAP_FOR_EACH (link, own_node, &dp->own_links) {
        if (link->role == DP_LINUX_VLAN_PEER
            && (s = dp_linux_port_sync_find(ports, link->port))) {
            bitmap_set1(s->vlans, link->vlan);
        }
    }

    HMAP_FOR_EACH (s, node, ports) {
        struct dp_linux_link *port = s->link;
        struct tc_vlan_trunk want;
        int error;

        if (!port) {
            continue;
        }
        ds_clear(&dp->why);
        dp_linux_trunk_want(dp, port, s, &want);
        error = dp_linux_set_trunk(dp, port, &want);
        if (!error && s->bring_up && !(port->info.flags & IFF_UP)) {
            error = dp_linux_fail(dp, rtnl_link_set_up(port->info.ifindex),
                                  "bringing up %s", port->info.name);
            port->info.flags |= error ? 0 : IFF_UP;
        }
        dp_linux_port_sync_fail(dp, s, error);
    }
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

/* Reads port 'name' from the kernel into '*portp'.  Returns 0 or an errno
 * value (ENODEV if there is no such device, EINVAL if it cannot be a
 * port). */
static int
dp_linux_read_port(struct dp_linux *dp, const char *name,
                   struct dp_linux_link **portp)
{
    int error = dp_linux_refresh(dp, name, portp);

    if (error) {
        return dp_linux_fail(dp, error, "reading port %s", name);
    } else if (!dp_linux_is_port(*portp)) {
        return dp_linux_fail(dp, EINVAL, "%s cannot be a port", name);
    }
    return 0;
}

/* Makes frames of binding ('port', 'vlan') enter the bridge of logical
 * switch 'ls', and frames from the bridge leave through the binding: the
 * port itself is a port of the bridge for VLAN 0, the binding's veth pair
 * for other VLANs.  Leaves the port's trunk program, and bringing the port
 * up, to dp_linux_sync_ports(), which does them once for all of the port's
 * bindings that change together.  Returns 0 or an errno value. */
static int
dp_linux_bind(struct dp_linux *dp, struct dp_linux_link *port, uint16_t vlan,
              const char *ls)
{
    struct dp_linux_link *br = dp_linux_find_own(dp, DP_LINUX_BRIDGE, ls);
    int error = 0;

    if (!br) {
        return dp_linux_fail(dp, ENOENT, "logical switch %s has no bridge",
                             ls);
    } else if (vlan) {
        return dp_linux_bind_tagged(dp, port, vlan, br);
    } else if (port->info.master != br->info.ifindex
               || !(port->info.flags & IFF_UP)) {
        error = dp_linux_fail(dp, rtnl_link_enslave(port->info.ifindex,
                                                    br->info.ifindex),
                              "adding %s to %s", port->info.name,
                              br->info.name);
        if (!error) {
            port->info.master = br->info.ifindex;
            port->info.flags |= IFF_UP;
        }
    }
    return error;
}

/* Takes binding (s->name, 'vlan') out of its bridge: the port for VLAN 0
 * (unless it is gone), the veth pair (deleted) for other VLANs.  The port's
 * trunk program must not use the pair any longer.  Returns 0 or an errno
 * value. */
static int
dp_linux_unbind(struct dp_linux *dp, const struct dp_linux_port_sync *s,
                uint16_t vlan)
{
    const struct dp_linux_link *master;
    struct dp_linux_link *port = s->link;
    int error;

    if (vlan) {
        struct dp_linux_link *vtv, *vtw;

        /* Deleting either end deletes both. */
        vtv = dp_linux_find_vlan(dp, DP_LINUX_VLAN, s->name, vlan);
        vtw = dp_linux_find_vlan(dp, DP_LINUX_VLAN_PEER, s->name, vlan);
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

/* Initializes 'bind' as empty. */
void
dp_linux_bind_ops_init(struct dp_linux_bind_ops *bind)
{
    bind->ops = NULL;
    bind->n = 0;
    bind->allocated = 0;
    hmap_init(&bind->ports);
    bind->start = 0;
}

/* Frees what 'bind', which dp_linux_bind_flush() emptied, holds. */
void
dp_linux_bind_ops_destroy(struct dp_linux_bind_ops *bind)
{
    ovs_assert(!bind->n);
    free(bind->ops);
    hmap_destroy(&bind->ports);
}

/* Returns the record in 'bind' of port 'name', adding it, with the port
 * read from the kernel, if there is none: for a binding to be added ('add')
 * or removed.  A removal does not fail if the port is gone: its veth pair
 * goes all the same. */
static struct dp_linux_port_sync *
dp_linux_bind_port(struct dp_linux *dp, struct dp_linux_bind_ops *bind,
                   const char *name, bool add)
{
    struct dp_linux_port_sync *s = dp_linux_port_sync_find(&bind->ports,
                                                           name);
    struct dp_linux_link *port;
    int error;

    if (s) {
        return s;
    }
    ds_clear(&dp->why);
    if (add) {
        error = dp_linux_read_port(dp, name, &port);
    } else {
        error = dp_linux_refresh(dp, name, &port);
        if (error == ENODEV) {
            error = 0;
        } else if (error) {
            dp_linux_fail(dp, error, "reading port %s", name);
        }
    }
    s = dp_linux_port_sync_get(&bind->ports, name, port);
    s->bring_up = add;
    dp_linux_port_sync_fail(dp, s, error);
    return s;
}

/* Appends binding operation 'op' (DP_OP_BIND_ADD or DP_OP_BIND_DEL) to
 * 'bind', which it flushes first if it holds operations of the other type.
 * Does at once what the binding alone needs: the devices of an addition
 * (see dp_linux_bind()); nothing for a removal, whose veth pair may only go
 * once the port's trunk program does not use it any longer. */
void
dp_linux_bind_queue(struct dp_linux *dp, struct dp_linux_bind_ops *bind,
                    struct dp_op *op)
{
    bool add = op->type == DP_OP_BIND_ADD;
    struct dp_linux_bind_op *b;

    if (bind->n && bind->ops[0].op->type != op->type) {
        dp_linux_bind_flush(dp, bind);
    }
    if (!bind->n) {
        bind->start = time_msec();
    }
    if (bind->n >= bind->allocated) {
        bind->ops = x2nrealloc(bind->ops, &bind->allocated,
                               sizeof *bind->ops);
    }
    b = &bind->ops[bind->n++];
    b->op = op;
    b->port = dp_linux_bind_port(dp, bind, op->port, add);
    b->error = 0;
    b->why = NULL;
    if (b->port->error) {
        return;
    }

    if (add) {
        ds_clear(&dp->why);
        b->error = dp_linux_bind(dp, b->port->link, op->vlan, op->ls);
        if (b->error) {
            b->why = xstrdup(ds_cstr(&dp->why));
        }
    } else {
        bitmap_set1(b->port->skip, op->vlan);
    }
}

/* Sets dp->why to 'why'. */
static void
dp_linux_set_why(struct dp_linux *dp, const char *why)
{
    ds_clear(&dp->why);
    ds_put_cstr(&dp->why, why);
}

/* Finishes each operation in 'bind' (see dp_linux_finish()), in order, and
 * empties 'bind'.  First syncs the trunk program of each of their ports,
 * once for all of them: after the devices of the additions are there, and
 * before the veth pairs of the removals go, so that a restart in between
 * still finds, adopts and then removes the rest of those bindings.  An
 * operation fails if its own work or its port failed, so that it is tried
 * again. */
void
dp_linux_bind_flush(struct dp_linux *dp, struct dp_linux_bind_ops *bind)
{
    struct dp_state gone;       /* The bindings whose MACs go. */
    size_t n_failed = 0;
    bool add;

    if (!bind->n) {
        return;
    }
    dp_state_init(&gone);
    add = bind->ops[0].op->type == DP_OP_BIND_ADD;
    dp_linux_sync_ports(dp, &bind->ports);

    for (size_t i = 0; i < bind->n; i++) {
        struct dp_linux_bind_op *b = &bind->ops[i];
        struct dp_op *op = b->op;
        int error = b->error;

        ds_clear(&dp->why);
        if (error) {
            dp_linux_set_why(dp, b->why);
        } else if (b->port->error) {
            error = b->port->error;
            dp_linux_set_why(dp, b->port->why);
        } else if (!add) {
            error = dp_linux_unbind(dp, b->port, op->vlan);
        }

        if (error) {
            n_failed++;
        } else {
            dp_note_binding_gone(&dp->up.actual, op, &gone);
        }
        dp_linux_finish(dp, op, error);
        free(b->why);
    }
    dp_forget_local_macs_of_bindings(&dp->up, &gone);
    dp_state_destroy(&gone);

    VLOG(bind->n > DP_LINUX_BIND_LOG_DBG ? VLL_INFO : VLL_DBG,
         "%s: %s %"PRIuSIZE" bindings (%"PRIuSIZE" failed) on %"PRIuSIZE
         " ports in %lld ms", dp->up.name, add ? "added" : "removed",
         bind->n, n_failed, hmap_count(&bind->ports),
         time_msec() - bind->start);
    dp_linux_port_syncs_clear(&bind->ports);
    bind->n = 0;
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
void
dp_linux_check_bindings(struct dp_linux *dp)
{
    struct hmap ports = HMAP_INITIALIZER(&ports);
    struct dp_linux_port_sync *s;
    const struct dp_binding *b;

    HMAP_FOR_EACH (b, node, &dp->up.actual.bindings) {
        const struct dp_linux_link *br;
        struct dp_linux_link *port;
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
        s = dp_linux_port_sync_get(&ports, b->port, port);

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
            error = dp_linux_read_port(dp, b->port, &port);
            if (!error) {
                s->link = port;
                error = dp_linux_bind(dp, port, b->vlan, b->ls);
            }
            s->bring_up = true;
        }
        if (error) {
            /* ENODEV: the port is going away; its removal comes next. */
            VLOG_RL(&rl, error == ENODEV ? VLL_DBG : VLL_WARN,
                    "%s: restoring binding port %s VLAN %"PRIu16" failed: "
                    "%s (%s)", dp->up.name, b->port, b->vlan,
                    ds_cstr(&dp->why), ovs_strerror(error));
        }
    }

    dp_linux_sync_ports(dp, &ports);
    HMAP_FOR_EACH (s, node, &ports) {
        if (s->error) {
            VLOG_RL(&rl, s->error == ENODEV ? VLL_DBG : VLL_WARN,
                    "%s: %s (%s)", dp->up.name, s->why,
                    ovs_strerror(s->error));
        }
    }
    dp_linux_port_syncs_clear(&ports);
    hmap_destroy(&ports);
}

/* Logical switches. */

/* Forgets, in 'actual', logical switch 'ls', whose bridge went away and
 * with it its FDB and local MACs, and its bindings, and deletes its VXLAN
 * device, if any, which is of no use without the bridge, so that the next
 * reconciliation creates them all again. */
static void
dp_linux_forget_ls(struct dp_linux *dp, struct dp_ls *ls)
{
    struct dp_state *actual = &dp->up.actual;
    struct dp_linux_link *vx = dp_linux_find_own(dp, DP_LINUX_VXLAN,
                                                 ls->name);
    struct dp_binding *b;

    if (vx) {
        ds_clear(&dp->why);
        if (dp_linux_delete(dp, vx)) {
            VLOG_WARN_RL(&rl, "%s: %s", dp->up.name, ds_cstr(&dp->why));
        }
    }
    HMAP_FOR_EACH_SAFE (b, node, &actual->bindings) {
        if (!strcmp(b->ls, ls->name)) {
            dp_state_remove_binding(actual, b);
        }
    }
    dp_forget_local_macs_of_ls(&dp->up, ls->name);
    dp_state_remove_ls(actual, ls);
}

/* Forgets, in 'actual', the VNI, remote MACs, flood list and multicast
 * groups of logical switch 'ls', whose VXLAN device went away or out of its
 * bridge, so that the next reconciliation installs them all again. */
static void
dp_linux_reset_ls(struct dp_ls *ls)
{
    struct dp_remote_mac *rm;

    HMAP_FOR_EACH_SAFE (rm, node, &ls->remote_macs) {
        dp_ls_remove_remote_mac(ls, rm);
    }
    sset_clear(&ls->flood_ips);
    dp_ls_clear_mcast_groups(ls);
    ls->vni = 0;
}

/* Checks that every logical switch of 'actual' still has its devices in the
 * kernel: its bridge and, if it has a VNI and the switch a tunnel IP, its
 * VXLAN device in that bridge.  Someone may have deleted them (e.g. with "ip
 * link del").  If they are not there, changes 'actual' to say so, and
 * advances dp->up.ports_seq so that the daemon reconciles, which creates
 * them again. */
void
dp_linux_check_switches(struct dp_linux *dp)
{
    struct dp_state *actual = &dp->up.actual;
    struct dp_ls *ls;
    bool changed = false;

    HMAP_FOR_EACH_SAFE (ls, node, &actual->switches) {
        const struct dp_linux_link *br, *vx;

        br = dp_linux_find_own(dp, DP_LINUX_BRIDGE, ls->name);
        vx = dp_linux_find_own(dp, DP_LINUX_VXLAN, ls->name);
        if (!br) {
            VLOG_WARN_RL(&rl, "%s: the bridge of logical switch %s is gone, "
                         "creating it again", dp->up.name, ls->name);
            dp_linux_forget_ls(dp, ls);
        } else if (ls->vni && actual->tunnel_ip
                   && (!vx || vx->info.master != br->info.ifindex)) {
            VLOG_WARN_RL(&rl, "%s: the VXLAN device of logical switch %s is "
                         "%s, installing it again", dp->up.name, ls->name,
                         vx ? "out of its bridge" : "gone");
            dp_linux_reset_ls(ls);
        } else {
            continue;
        }
        COVERAGE_INC(dp_linux_self_heal);
        changed = true;
    }
    if (changed) {
        dp->up.ports_seq++;
    }
}

/* Counters to read, with rtnl_link_get_stats(). */
struct dp_linux_reads {
    int *ifindexes;                     /* Devices. */
    struct rtnl_link_stats64 *stats;    /* Their counters, once read. */
    int *errors;                        /* 0 or errno value, once read. */
    size_t n;                           /* Number of devices. */
};

/* Makes 'r' ready for up to 'max' devices. */
static void
dp_linux_reads_init(struct dp_linux_reads *r, size_t max)
{
    r->ifindexes = xmalloc(max * sizeof *r->ifindexes);
    r->stats = xmalloc(max * sizeof *r->stats);
    r->errors = xmalloc(max * sizeof *r->errors);
    r->n = 0;
}

/* Frees what 'r' holds. */
static void
dp_linux_reads_destroy(struct dp_linux_reads *r)
{
    free(r->ifindexes);
    free(r->stats);
    free(r->errors);
}

/* Reads the counters of the devices in 'r' and logs the failures but those
 * of devices that went away (a notification says so). */
static void
dp_linux_reads_run(const struct dp_linux *dp, struct dp_linux_reads *r)
{
    if (rtnl_link_get_stats(r->ifindexes, r->n, r->stats, r->errors)) {
        for (size_t i = 0; i < r->n; i++) {
            if (r->errors[i] && r->errors[i] != ENODEV) {
                static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(1, 5);
                VLOG_WARN_RL(&rl, "%s: reading the counters of device %d "
                             "failed (%s)", dp->up.name, r->ifindexes[i],
                             ovs_strerror(r->errors[i]));
            }
        }
    }
}

/* Returns true if 'a' and 'b' have the same packet and byte counters. */
static bool
dp_linux_same_counters(const struct rtnl_link_stats64 *a,
                       const struct rtnl_link_stats64 *b)
{
    return (a->rx_packets == b->rx_packets && a->rx_bytes == b->rx_bytes
            && a->tx_packets == b->tx_packets && a->tx_bytes == b->tx_bytes);
}

/* Reads the counters of the bound ports into dp->port_counters (which
 * keeps only bound ports) and adds to 'moved' (name -> struct
 * rtnl_link_stats64 * in dp->port_counters) each port whose counters
 * changed since the last refresh, or every port if 'all'. */
static void
dp_linux_read_ports(struct dp_linux *dp, bool all, struct shash *moved)
{
    struct shash counters = SHASH_INITIALIZER(&counters);
    struct sset ports = SSET_INITIALIZER(&ports);
    const struct dp_binding *b;
    struct dp_linux_reads r;
    const char **names;
    const char *port;

    HMAP_FOR_EACH (b, node, &dp->up.actual.bindings) {
        sset_add(&ports, b->port);
    }
    dp_linux_reads_init(&r, sset_count(&ports));
    names = xmalloc(sset_count(&ports) * sizeof *names);
    SSET_FOR_EACH (port, &ports) {
        const struct dp_linux_link *link
            = dp_linux_link_find_by_name(dp, port);
        if (link) {
            names[r.n] = port;
            r.ifindexes[r.n++] = link->info.ifindex;
        }
    }
    dp_linux_reads_run(dp, &r);

    for (size_t i = 0; i < r.n; i++) {
        struct rtnl_link_stats64 *old
            = shash_find_and_delete(&dp->port_counters, names[i]);

        if (!r.errors[i]
            && (all || !old || !dp_linux_same_counters(old, &r.stats[i]))) {
            free(old);
            old = xmemdup(&r.stats[i], sizeof r.stats[i]);
            shash_add(moved, names[i], old);
        }
        if (old) {
            shash_add(&counters, names[i], old);
        }
    }
    /* What is left are ports no longer bound or no longer there. */
    shash_clear_free_data(&dp->port_counters);
    shash_swap(&dp->port_counters, &counters);
    shash_destroy(&counters);
    free(names);
    sset_destroy(&ports);
    dp_linux_reads_destroy(&r);
}

/* Returns 'a - b', or 0 if 'b' is larger (counters read at slightly
 * different times). */
static uint64_t
dp_linux_minus(uint64_t a, uint64_t b)
{
    return a > b ? a - b : 0;
}

/* Sets the counters of the untagged bindings on the ports in 'moved' to
 * those of the port less what the tagged bindings of the same port (whose
 * counters are up to date) counted. */
static void
dp_linux_untagged_stats(struct dp_linux *dp, const struct shash *moved)
{
    struct shash tagged = SHASH_INITIALIZER(&tagged);
    struct dp_binding *b;

    /* What the tagged bindings of each port counted, in all. */
    HMAP_FOR_EACH (b, node, &dp->up.actual.bindings) {
        if (b->vlan && shash_find(moved, b->port)) {
            struct dp_binding_stats *sum = shash_find_data(&tagged, b->port);

            if (!sum) {
                sum = xzalloc(sizeof *sum);
                shash_add(&tagged, b->port, sum);
            }
            sum->packets_from_local += b->stats.packets_from_local;
            sum->bytes_from_local += b->stats.bytes_from_local;
            sum->packets_to_local += b->stats.packets_to_local;
            sum->bytes_to_local += b->stats.bytes_to_local;
        }
    }

    HMAP_FOR_EACH (b, node, &dp->up.actual.bindings) {
        const struct rtnl_link_stats64 *port;

        if (!b->vlan && (port = shash_find_data(moved, b->port))) {
            static const struct dp_binding_stats zero;
            const struct dp_binding_stats *sum
                = shash_find_data(&tagged, b->port);

            sum = sum ? sum : &zero;
            b->stats.packets_from_local
                = dp_linux_minus(port->rx_packets, sum->packets_from_local);
            b->stats.bytes_from_local
                = dp_linux_minus(port->rx_bytes, sum->bytes_from_local);
            b->stats.packets_to_local
                = dp_linux_minus(port->tx_packets, sum->packets_to_local);
            b->stats.bytes_to_local
                = dp_linux_minus(port->tx_bytes, sum->bytes_to_local);
        }
    }
    shash_destroy_free_data(&tagged);
}

/* Reads the bindings' counters from the kernel into the stats of the
 * bindings in 'actual'.  A binding (port, N) counts what the bridge end of
 * its veth pair received (from the port's side) and sent.  A binding (port,
 * 0) counts what the port itself received and sent, less what its tagged
 * bindings on the same port counted.  Tagged frames of VLANs without a
 * binding, which the port drops, count as received.  A binding whose device
 * cannot be read keeps its counters.
 *
 * Every frame of a binding crosses its port, so the bindings of a port whose
 * counters did not move since the last refresh did not count anything
 * either: only the ports are read then (unless devices changed since), one
 * request each.  With thousands of tagged bindings on an idle trunk, that
 * is one request instead of thousands. */
void
dp_linux_refresh_stats(struct dp_linux *dp)
{
    bool all = dp->counters_links_seq != dp->links_seq;
    struct shash moved = SHASH_INITIALIZER(&moved);
    struct dp_linux_reads r;
    struct dp_binding **tagged;
    struct dp_binding *b;

    dp->counters_links_seq = dp->links_seq;
    dp_linux_read_ports(dp, all, &moved);
    if (shash_is_empty(&moved)) {
        shash_destroy(&moved);
        return;
    }

    /* The tagged bindings of the ports that moved, from their veth pairs. */
    dp_linux_reads_init(&r, hmap_count(&dp->up.actual.bindings));
    tagged = xmalloc(hmap_count(&dp->up.actual.bindings) * sizeof *tagged);
    HMAP_FOR_EACH (b, node, &dp->up.actual.bindings) {
        const struct dp_linux_link *vtv;

        if (b->vlan && shash_find(&moved, b->port)
            && (vtv = dp_linux_find_vlan(dp, DP_LINUX_VLAN, b->port,
                                         b->vlan))) {
            tagged[r.n] = b;
            r.ifindexes[r.n++] = vtv->info.ifindex;
        }
    }
    dp_linux_reads_run(dp, &r);
    for (size_t i = 0; i < r.n; i++) {
        if (!r.errors[i]) {
            b = tagged[i];
            b->stats.packets_from_local = r.stats[i].rx_packets;
            b->stats.bytes_from_local = r.stats[i].rx_bytes;
            b->stats.packets_to_local = r.stats[i].tx_packets;
            b->stats.bytes_to_local = r.stats[i].tx_bytes;
        }
    }
    free(tagged);
    dp_linux_reads_destroy(&r);

    dp_linux_untagged_stats(dp, &moved);
    shash_destroy(&moved);
}
