/* dp.c -- datapath provider registry and the helpers every provider uses. */

#include <config.h>
#include "dp.h"

#include <errno.h>
#include "openvswitch/dynamic-string.h"
#include "openvswitch/vlog.h"
#include "simap.h"
#include "timeval.h"
#include "util.h"

VLOG_DEFINE_THIS_MODULE(dp);

/* Every datapath provider vtepd knows. */
static const struct dp_class *const dp_classes[] = {
    &dp_linux_class,
    &dp_dummy_class,
};

/* Returns the provider of type 'type', or NULL if there is none. */
const struct dp_class *
dp_class_lookup(const char *type)
{
    for (size_t i = 0; i < ARRAY_SIZE(dp_classes); i++) {
        if (!strcmp(dp_classes[i]->type, type)) {
            return dp_classes[i];
        }
    }
    return NULL;
}

/* Does what a datapath of type 'type' needs done while the process still
 * has all its privileges (see struct dp_class).  Returns 0 or an errno
 * value (EAFNOSUPPORT for an unknown type); the provider logs why. */
int
dp_prepare(const char *type)
{
    const struct dp_class *class = dp_class_lookup(type);

    return (!class ? EAFNOSUPPORT
            : class->prepare ? class->prepare()
            : 0);
}

/* Opens the datapath of type 'type' for physical switch 'name'.  Returns 0
 * and stores it in '*dpp', or an errno value (EAFNOSUPPORT for an unknown
 * type) and stores NULL. */
int
dp_open(const char *type, const char *name, struct dp **dpp)
{
    const struct dp_class *class = dp_class_lookup(type);

    *dpp = NULL;
    if (!class) {
        VLOG_ERR("unknown datapath type \"%s\"", type);
        return EAFNOSUPPORT;
    }
    int error = class->open(name, dpp);
    if (error) {
        VLOG_ERR("%s: opening %s datapath failed (%s)",
                 name, type, ovs_strerror(error));
        *dpp = NULL;
    }
    return error;
}

/* Closes 'dp' (if nonnull), leaving what it programmed in place. */
void
dp_close(struct dp *dp)
{
    if (dp) {
        dp->class->close(dp);
    }
}

/* Processes pending events of 'dp'. */
void
dp_run(struct dp *dp)
{
    dp->class->run(dp);
}

/* Makes poll_block() wake up when 'dp' has events. */
void
dp_wait(struct dp *dp)
{
    dp->class->wait(dp);
}

/* Operations that dp_execute() hands to a provider at once when there are
 * many, so that it can log its progress in between. */
#define DP_CHUNK 10000

/* Executes the 'total' operations in 'ops' on 'dp' in chunks of DP_CHUNK,
 * logging its progress at most once a second (a first sync of a large
 * database may take a while). */
static void
dp_execute_in_chunks(struct dp *dp, struct ovs_list *ops, size_t total)
{
    struct ovs_list done = OVS_LIST_INITIALIZER(&done);
    long long int start = time_msec();
    long long int next_log = start + 1000;
    size_t n_done = 0;

    VLOG_INFO("%s: applying %"PRIuSIZE" datapath changes", dp->name, total);
    while (!ovs_list_is_empty(ops)) {
        struct ovs_list chunk = OVS_LIST_INITIALIZER(&chunk);
        struct ovs_list *end = ovs_list_front(ops);
        size_t n = 0;

        while (end != ops && n < DP_CHUNK) {
            end = end->next;
            n++;
        }
        ovs_list_splice(&chunk, ovs_list_front(ops), end);
        dp->class->execute(dp, &chunk);
        ovs_list_splice(&done, ovs_list_front(&chunk), &chunk);
        n_done += n;

        long long int now = time_msec();
        if (now >= next_log && n_done < total) {
            VLOG_INFO("%s: %"PRIuSIZE" of %"PRIuSIZE" datapath changes "
                      "applied", dp->name, n_done, total);
            next_log = now + 1000;
        }
    }
    VLOG_INFO("%s: applied %"PRIuSIZE" datapath changes in %lld ms",
              dp->name, total, time_msec() - start);
    ovs_list_splice(ops, ovs_list_front(&done), &done);
}

/* Executes the operations in 'ops' on 'dp'.  Returns how many failed. */
size_t
dp_execute(struct dp *dp, struct ovs_list *ops)
{
    struct dp_op *op;
    size_t n_failed = 0;

    size_t n_ops = ovs_list_size(ops);
    if (n_ops > DP_CHUNK) {
        dp_execute_in_chunks(dp, ops, n_ops);
    } else {
        dp->class->execute(dp, ops);
    }
    LIST_FOR_EACH (op, list_node, ops) {
        if (op->error) {
            n_failed++;
        }
    }
    return n_failed;
}

/* Appends the MACs of logical switch 'ls', as 'dp' holds them, to 'out'. */
int
dp_dump_macs(struct dp *dp, const char *ls, struct ds *out)
{
    return dp->class->dump_macs(dp, ls, out);
}

/* Reads the counters of the bindings in dp->actual, if 'dp' has any. */
void
dp_refresh_stats(struct dp *dp)
{
    if (dp->class->refresh_stats) {
        dp->class->refresh_stats(dp);
    }
}

/* Initializes the generic part of a provider's datapath. */
void
dp_init(struct dp *dp, const struct dp_class *class, const char *name)
{
    dp->class = class;
    dp->name = xstrdup(name);
    dp_state_init(&dp->actual);
    hmap_init(&dp->local_macs);
    dp->local_macs_seq = 0;
    sset_init(&dp->ports);
    dp->ports_seq = 0;
}

/* Frees the generic part of a provider's datapath. */
void
dp_uninit(struct dp *dp)
{
    free(dp->name);
    dp_state_destroy(&dp->actual);
    dp_local_macs_clear(&dp->local_macs);
    hmap_destroy(&dp->local_macs);
    sset_destroy(&dp->ports);
}

/* Updates 'state' as operation 'op' does when it succeeds. */
void
dp_apply_to_state(struct dp_state *state, const struct dp_op *op)
{
    struct dp_ls *ls = op->ls ? dp_state_find_ls(state, op->ls) : NULL;
    struct dp_arp_entry *arp;
    struct dp_binding *b;
    struct dp_remote_mac *rm;

    switch (op->type) {
    case DP_OP_BIND_DEL:
        b = dp_state_find_binding(state, op->port, op->vlan);
        if (b) {
            dp_state_remove_binding(state, b);
        }
        break;
    case DP_OP_MAC_DEL:
        rm = ls ? dp_ls_find_remote_mac(ls, op->mac) : NULL;
        if (rm) {
            dp_ls_remove_remote_mac(ls, rm);
        }
        break;
    case DP_OP_FLOOD_DEL:
        if (ls) {
            char ip[INET_ADDRSTRLEN];
            sset_find_and_delete(&ls->flood_ips,
                                 inet_ntop(AF_INET, &op->ip, ip, sizeof ip));
        }
        break;
    case DP_OP_MCAST_DEL:
        if (ls) {
            dp_ls_remove_mcast_ip(ls, op->mac, op->ip);
        }
        break;
    case DP_OP_ARP_DEL:
        arp = ls ? dp_ls_find_arp(ls, op->ip) : NULL;
        if (arp) {
            dp_ls_remove_arp(ls, arp);
        }
        break;
    case DP_OP_LS_DEL:
        if (ls) {
            dp_state_remove_ls(state, ls);
        }
        break;
    case DP_OP_SET_TUNNEL_IP:
        state->tunnel_ip = op->ip;
        break;
    case DP_OP_SET_AGEING:
        state->mac_ageing = op->ageing;
        break;
    case DP_OP_SET_LOCAL_MAC_LIMIT:
        state->local_mac_limit = op->local_mac_limit;
        break;
    case DP_OP_LS_ADD:
        if (!ls) {
            dp_state_add_ls(state, op->ls, op->vni);
        }
        break;
    case DP_OP_LS_SET_VNI:
        if (ls) {
            ls->vni = op->vni;
        }
        break;
    case DP_OP_BIND_ADD:
        b = dp_state_find_binding(state, op->port, op->vlan);
        if (b) {
            free(b->ls);
            b->ls = xstrdup(op->ls);
        } else {
            dp_state_add_binding(state, op->port, op->vlan, op->ls);
        }
        break;
    case DP_OP_MAC_ADD:
        if (ls) {
            dp_ls_set_remote_mac(ls, op->mac, op->ip)->key = op->key;
        }
        break;
    case DP_OP_FLOOD_ADD:
        if (ls) {
            char ip[INET_ADDRSTRLEN];
            inet_ntop(AF_INET, &op->ip, ip, sizeof ip);
            sset_add(&ls->flood_ips, ip);
            dp_ls_set_tunnel_key(ls, ip, op->key);
        }
        break;
    case DP_OP_MCAST_ADD:
        if (ls) {
            char ip[INET_ADDRSTRLEN];
            dp_ls_add_mcast_ip(ls, op->mac, op->ip);
            dp_ls_set_tunnel_key(ls, inet_ntop(AF_INET, &op->ip, ip, sizeof ip),
                                op->key);
        }
        break;
    case DP_OP_ARP_ADD:
        if (ls) {
            dp_ls_set_arp(ls, op->ip, op->mac);
        }
        break;
    }
}

/* Forgets the local MACs that 'dp' learned on the bindings of 'gone' (whose
 * other contents do not matter), in one pass over them however many
 * bindings go at once.  Shrinks the table after a removal, since every later
 * pass over it visits each of its buckets. */
void
dp_forget_local_macs_of_bindings(struct dp *dp, const struct dp_state *gone)
{
    struct dp_local_mac *lm;
    bool changed = false;

    if (!hmap_is_empty(&gone->bindings)) {
        HMAP_FOR_EACH_SAFE (lm, node, &dp->local_macs) {
            if (dp_state_find_binding(gone, lm->port, lm->vlan)) {
                dp_local_mac_remove(&dp->local_macs, lm);
                changed = true;
            }
        }
    }
    if (changed) {
        dp->local_macs_seq++;
        hmap_shrink(&dp->local_macs);
    }
}

/* Adds to 'gone', for dp_forget_local_macs_of_bindings(), the binding that
 * 'op' takes out of its logical switch in 'actual' before it applies there:
 * a binding it removes, or one it binds to another logical switch. */
void
dp_note_binding_gone(const struct dp_state *actual, const struct dp_op *op,
                     struct dp_state *gone)
{
    if (op->type == DP_OP_BIND_DEL) {
        dp_state_add_binding(gone, op->port, op->vlan, op->ls);
    } else if (op->type == DP_OP_BIND_ADD) {
        const struct dp_binding *old = dp_state_find_binding(actual, op->port,
                                                             op->vlan);
        if (old && strcmp(old->ls, op->ls)) {
            dp_state_add_binding(gone, op->port, op->vlan, old->ls);
        }
    }
}

/* Forgets the local MACs that 'dp' learned on binding (port, vlan). */
void
dp_forget_local_macs_of_binding(struct dp *dp, const char *port,
                                uint16_t vlan)
{
    struct dp_state gone;

    dp_state_init(&gone);
    dp_state_add_binding(&gone, port, vlan, "");
    dp_forget_local_macs_of_bindings(dp, &gone);
    dp_state_destroy(&gone);
}

/* Forgets the local MACs that 'dp' learned in logical switch 'ls'. */
void
dp_forget_local_macs_of_ls(struct dp *dp, const char *ls)
{
    struct dp_local_mac *lm;
    bool changed = false;

    HMAP_FOR_EACH_SAFE (lm, node, &dp->local_macs) {
        if (!strcmp(lm->ls, ls)) {
            dp_local_mac_remove(&dp->local_macs, lm);
            changed = true;
        }
    }
    if (changed) {
        dp->local_macs_seq++;
        hmap_shrink(&dp->local_macs);
    }
}

/* Returns how many local MACs 'dp' learned in logical switch 'ls'. */
size_t
dp_count_local_macs_in_ls(const struct dp *dp, const char *ls)
{
    const struct dp_local_mac *lm;
    size_t n = 0;

    HMAP_FOR_EACH (lm, node, &dp->local_macs) {
        n += !strcmp(lm->ls, ls);
    }
    return n;
}

/* Adds to 'full' the name of each logical switch of 'dp' that learned as
 * many local MACs as its actual state's limit allows: the datapath learns
 * no new MACs there. */
void
dp_get_full_switches(const struct dp *dp, struct sset *full)
{
    unsigned int limit = dp->actual.local_mac_limit;
    struct simap counts = SIMAP_INITIALIZER(&counts);
    const struct dp_local_mac *lm;

    if (limit) {
        HMAP_FOR_EACH (lm, node, &dp->local_macs) {
            if (simap_increase(&counts, lm->ls, 1) == limit) {
                sset_add(full, lm->ls);
            }
        }
    }
    simap_destroy(&counts);
}

/* Returns a new operation of type 'type', all other members zero. */
struct dp_op *
dp_op_create(enum dp_op_type type)
{
    struct dp_op *op = xzalloc(sizeof *op);
    op->type = type;
    return op;
}

/* Frees 'op', which must not be in a list. */
void
dp_op_destroy(struct dp_op *op)
{
    if (op) {
        free(op->ls);
        free(op->port);
        free(op);
    }
}

/* Frees every operation in 'ops', leaving it empty. */
void
dp_ops_destroy(struct ovs_list *ops)
{
    struct dp_op *op;
    LIST_FOR_EACH_POP (op, list_node, ops) {
        dp_op_destroy(op);
    }
}

/* Returns the name of 'type', e.g. "mac-add". */
const char *
dp_op_type_to_string(enum dp_op_type type)
{
    switch (type) {
    case DP_OP_BIND_DEL: return "bind-del";
    case DP_OP_MAC_DEL: return "mac-del";
    case DP_OP_FLOOD_DEL: return "flood-del";
    case DP_OP_MCAST_DEL: return "mcast-del";
    case DP_OP_ARP_DEL: return "arp-del";
    case DP_OP_LS_DEL: return "ls-del";
    case DP_OP_SET_TUNNEL_IP: return "set-tunnel-ip";
    case DP_OP_SET_AGEING: return "set-ageing";
    case DP_OP_SET_LOCAL_MAC_LIMIT: return "set-local-mac-limit";
    case DP_OP_LS_ADD: return "ls-add";
    case DP_OP_LS_SET_VNI: return "ls-set-vni";
    case DP_OP_BIND_ADD: return "bind-add";
    case DP_OP_MAC_ADD: return "mac-add";
    case DP_OP_FLOOD_ADD: return "flood-add";
    case DP_OP_MCAST_ADD: return "mcast-add";
    case DP_OP_ARP_ADD: return "arp-add";
    }
    return "unknown";
}

/* Appends a one-line description of 'op' to 'out', e.g.
 * "mac-add ls=ls0 mac=00:00:00:00:00:02 ip=10.1.0.1". */
void
dp_op_format(const struct dp_op *op, struct ds *out)
{
    ds_put_cstr(out, dp_op_type_to_string(op->type));
    if (op->ls) {
        ds_put_format(out, " ls=%s", op->ls);
    }
    switch (op->type) {
    case DP_OP_BIND_DEL:
    case DP_OP_BIND_ADD:
        ds_put_format(out, " port=%s vlan=%"PRIu16, op->port, op->vlan);
        break;
    case DP_OP_MAC_DEL:
        ds_put_format(out, " mac="ETH_ADDR_FMT, ETH_ADDR_ARGS(op->mac));
        break;
    case DP_OP_MAC_ADD:
    case DP_OP_MCAST_DEL:
    case DP_OP_MCAST_ADD:
    case DP_OP_ARP_ADD:
        ds_put_format(out, " mac="ETH_ADDR_FMT" ip="IP_FMT,
                      ETH_ADDR_ARGS(op->mac), IP_ARGS(op->ip));
        break;
    case DP_OP_ARP_DEL:
    case DP_OP_FLOOD_DEL:
    case DP_OP_FLOOD_ADD:
    case DP_OP_SET_TUNNEL_IP:
        ds_put_format(out, " ip="IP_FMT, IP_ARGS(op->ip));
        break;
    case DP_OP_LS_ADD:
    case DP_OP_LS_SET_VNI:
        ds_put_format(out, " vni=%"PRIu32, op->vni);
        break;
    case DP_OP_SET_AGEING:
        ds_put_format(out, " ageing=%u", op->ageing);
        break;
    case DP_OP_SET_LOCAL_MAC_LIMIT:
        ds_put_format(out, " limit=%u", op->local_mac_limit);
        break;
    case DP_OP_LS_DEL:
        break;
    }
    if (op->key) {
        ds_put_format(out, " vni=%"PRIu32, op->key);
    }
    if (op->error) {
        ds_put_format(out, " (%s)", ovs_strerror(op->error));
    }
}
