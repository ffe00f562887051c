/* vtep-db.c -- the rows vtepd writes into the hardware_vtep database. */

#include <config.h>
#include "vtep-db.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include "dp.h"
#include "faults.h"
#include "hash.h"
#include "model.h"
#include "openvswitch/hmap.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "switch-config.h"
#include "tunnel-bfd.h"
#include "util.h"
#include "uuid.h"
#include "vtep-idl.h"

VLOG_DEFINE_THIS_MODULE(vtep_db);

/* The encapsulation of every locator vtepd writes. */
#define VTEP_DB_ENCAP "vxlan_over_ipv4"

/* Returns true if string sets 'a' (of 'n_a') and 'b' differ. */
static bool
strings_differ(char **a, size_t n_a, const struct sset *b)
{
    if (n_a != sset_count(b)) {
        return true;
    }
    for (size_t i = 0; i < n_a; i++) {
        if (!sset_contains(b, a[i])) {
            return true;
        }
    }
    return false;
}

/* Sets string-set column values 'b' through 'setter' on 'row' if they
 * differ from the current 'a' (of 'n_a'). */
static void
sync_strings(const void *row, char **a, size_t n_a, const struct sset *b,
             void (*setter)(const void *, const char **, size_t))
{
    if (strings_differ(a, n_a, b)) {
        const char **array = sset_array(b);
        setter(row, array, sset_count(b));
        free(array);
    }
}

/* Adapts vteprec_physical_switch_set_tunnel_ips() to sync_strings(). */
static void
set_tunnel_ips(const void *ps, const char **ips, size_t n)
{
    vteprec_physical_switch_set_tunnel_ips(ps, ips, n);
}

/* Adapts vteprec_physical_switch_set_management_ips() to sync_strings(). */
static void
set_management_ips(const void *ps, const char **ips, size_t n)
{
    vteprec_physical_switch_set_management_ips(ps, ips, n);
}

/* Adapts vteprec_physical_switch_set_switch_fault_status() to
 * sync_strings(). */
static void
set_switch_fault_status(const void *ps, const char **values, size_t n)
{
    vteprec_physical_switch_set_switch_fault_status(ps, values, n);
}

/* Adapts vteprec_physical_port_set_port_fault_status() to sync_strings(). */
static void
set_port_fault_status(const void *port, const char **values, size_t n)
{
    vteprec_physical_port_set_port_fault_status(port, values, n);
}

/* Makes switch_fault_status of switch row 'ps' and port_fault_status of
 * each of its ports say what 'ctx->faults' says; a value goes as soon as
 * its cause does. */
static void
vtep_db_sync_faults(const struct vtep_db_ctx *ctx,
                    const struct vteprec_physical_switch *ps)
{
    struct sset none = SSET_INITIALIZER(&none);

    sync_strings(ps, ps->switch_fault_status, ps->n_switch_fault_status,
                 &ctx->faults->switch_status, set_switch_fault_status);
    for (size_t i = 0; i < ps->n_ports; i++) {
        const struct vteprec_physical_port *port = ps->ports[i];
        const struct sset *status = faults_port_status(ctx->faults,
                                                       port->name);

        sync_strings(port, port->port_fault_status,
                     port->n_port_fault_status, status ? status : &none,
                     set_port_fault_status);
    }
    sset_destroy(&none);
}

/* Sets the counters of 'row' to 's', where they differ. */
static void
vtep_db_set_stats(const struct vteprec_logical_binding_stats *row,
                  const struct dp_binding_stats *s)
{
    if (row->packets_from_local != s->packets_from_local) {
        vteprec_logical_binding_stats_set_packets_from_local(
            row, s->packets_from_local);
    }
    if (row->bytes_from_local != s->bytes_from_local) {
        vteprec_logical_binding_stats_set_bytes_from_local(
            row, s->bytes_from_local);
    }
    if (row->packets_to_local != s->packets_to_local) {
        vteprec_logical_binding_stats_set_packets_to_local(
            row, s->packets_to_local);
    }
    if (row->bytes_to_local != s->bytes_to_local) {
        vteprec_logical_binding_stats_set_bytes_to_local(
            row, s->bytes_to_local);
    }
}

/* Compares two VLANs for bsearch(). */
static int
compare_vlans(const void *a_, const void *b_)
{
    const int64_t *a = a_;
    const int64_t *b = b_;
    return *a < *b ? -1 : *a > *b;
}

/* Returns true if 'port' has a vlan_stats row for 'vlan'.  The IDL keeps a
 * map's keys sorted, as the database does, so a binary search finds it:
 * ports with thousands of bindings are common at scale. */
static bool
port_has_vlan_stats(const struct vteprec_physical_port *port, int64_t vlan)
{
    if (!port->n_vlan_stats) {
        return false;           /* bsearch() wants an array, even empty. */
    }
    const int64_t *key = bsearch(&vlan, port->key_vlan_stats,
                                 port->n_vlan_stats,
                                 sizeof *port->key_vlan_stats, compare_vlans);
    return key && port->value_vlan_stats[key - port->key_vlan_stats];
}

/* Makes vlan_stats of each port of switch row 'ps' hold a
 * Logical_Binding_Stats row for each of its bindings that the datapath
 * carries, with the datapath's counters, and no other. */
static void
vtep_db_sync_stats(const struct vtep_db_ctx *ctx,
                   const struct vteprec_physical_switch *ps)
{
    for (size_t i = 0; i < ps->n_ports; i++) {
        const struct vteprec_physical_port *port = ps->ports[i];

        /* Existing entries: update, or drop those without a binding. */
        for (size_t j = 0; j < port->n_vlan_stats; j++) {
            int64_t vlan = port->key_vlan_stats[j];
            const struct dp_binding *b
                = (vlan >= 0 && vlan <= 4095
                   ? dp_state_find_binding(&ctx->dp->actual, port->name, vlan)
                   : NULL);
            if (b && port->value_vlan_stats[j]) {
                vtep_db_set_stats(port->value_vlan_stats[j], &b->stats);
            } else {
                vteprec_physical_port_update_vlan_stats_delkey(port, vlan);
            }
        }

        /* New entries for bindings without one. */
        for (size_t j = 0; j < port->n_vlan_bindings; j++) {
            int64_t vlan = port->key_vlan_bindings[j];
            const struct dp_binding *b
                = (vlan >= 0 && vlan <= 4095
                   ? dp_state_find_binding(&ctx->dp->actual, port->name, vlan)
                   : NULL);
            if (b && !port_has_vlan_stats(port, vlan)) {
                const struct vteprec_logical_binding_stats *row
                    = vteprec_logical_binding_stats_insert(ctx->txn);
                vtep_db_set_stats(row, &b->stats);
                vteprec_physical_port_update_vlan_stats_setkey(port, vlan,
                                                               row);
            }
        }
    }
}

/* Fills 'keep' with, for each port name of switch row 'ps', the row of
 * that name to keep.  Several rows have one name when a write of this
 * switch was committed although its transaction seemed to fail (e.g. a
 * cluster member died in between) and was then made again.  The row with
 * the most bindings is kept, then the one with the lowest UUID, so that
 * every switch of a cluster picks the same. */
static void
vtep_db_pick_ports(const struct vteprec_physical_switch *ps,
                   struct shash *keep)
{
    for (size_t i = 0; i < ps->n_ports; i++) {
        const struct vteprec_physical_port *port = ps->ports[i];
        const struct vteprec_physical_port *best
            = shash_find_data(keep, port->name);

        if (!best || port->n_vlan_bindings > best->n_vlan_bindings
            || (port->n_vlan_bindings == best->n_vlan_bindings
                && uuid_compare_3way(&port->header_.uuid,
                                     &best->header_.uuid) < 0)) {
            shash_replace(keep, port->name, port);
        }
    }
}

/* Creates or updates, from the configuration file, the Physical_Switch row
 * of this switch and its Physical_Port rows (one for each datapath port
 * that matches a configured pattern). */
static void
vtep_db_sync_switch(const struct vtep_db_ctx *ctx)
{
    const struct switch_config *cfg = ctx->cfg;
    const struct vteprec_physical_switch *ps = model_find_ps(ctx->idl,
                                                             cfg->name);
    if (!ps) {
        const struct vteprec_global *global
            = vteprec_global_first(ctx->idl);
        if (!global) {
            global = vteprec_global_insert(ctx->txn);
        }
        ps = vteprec_physical_switch_insert(ctx->txn);
        vteprec_physical_switch_set_name(ps, cfg->name);
        vteprec_global_update_switches_addvalue(global, ps);
        ovsdb_idl_txn_add_comment(ctx->txn, "vtepd: create Physical_Switch "
                                  "%s", cfg->name);
        VLOG_INFO("%s: creating Physical_Switch row", cfg->name);
    }

    const char *description = cfg->description ? cfg->description : "";
    if (strcmp(ps->description, description)) {
        vteprec_physical_switch_set_description(ps, description);
    }

    struct sset ips = SSET_INITIALIZER(&ips);
    if (cfg->tunnel_ip) {
        sset_add(&ips, cfg->tunnel_ip);
    }
    sync_strings(ps, ps->tunnel_ips, ps->n_tunnel_ips, &ips, set_tunnel_ips);
    sset_destroy(&ips);
    sync_strings(ps, ps->management_ips, ps->n_management_ips,
                 &cfg->management_ips, set_management_ips);

    /* Ports: one row per matching datapath port.  Rows of ports that no
     * longer match go, and so do those of ports that no longer exist,
     * unless they carry bindings: those must survive a port that goes away
     * for a moment. */
    struct shash keep = SHASH_INITIALIZER(&keep);
    vtep_db_pick_ports(ps, &keep);
    struct sset have = SSET_INITIALIZER(&have);
    for (size_t i = 0; i < ps->n_ports; i++) {
        const struct vteprec_physical_port *port = ps->ports[i];
        const struct switch_config_port *cp;

        if (shash_find_data(&keep, port->name) != port) {
            /* A row this switch wrote twice; a duplicate that carries
             * bindings is left to whoever put them there. */
            if (!port->n_vlan_bindings) {
                VLOG_INFO("%s: removing duplicate Physical_Port %s",
                          cfg->name, port->name);
                vteprec_physical_switch_update_ports_delvalue(ps, port);
                vteprec_physical_port_delete(port);
            }
            continue;
        }
        if (!switch_config_match_port(cfg, port->name, &cp)
            || (!sset_contains(&ctx->dp->ports, port->name)
                && !port->n_vlan_bindings)) {
            VLOG_INFO("%s: removing Physical_Port %s", cfg->name,
                      port->name);
            vteprec_physical_switch_update_ports_delvalue(ps, port);
            vteprec_physical_port_delete(port);
            continue;
        }
        sset_add(&have, port->name);
        const char *pdesc = cp->description ? cp->description : "";
        if (strcmp(port->description, pdesc)) {
            vteprec_physical_port_set_description(port, pdesc);
        }
    }
    const char *name;
    SSET_FOR_EACH (name, &ctx->dp->ports) {
        const struct switch_config_port *cp;
        if (!sset_contains(&have, name)
            && switch_config_match_port(cfg, name, &cp)) {
            const struct vteprec_physical_port *port
                = vteprec_physical_port_insert(ctx->txn);
            vteprec_physical_port_set_name(port, name);
            vteprec_physical_port_set_description(
                port, cp->description ? cp->description : "");
            vteprec_physical_switch_update_ports_addvalue(ps, port);
            VLOG_INFO("%s: adding Physical_Port %s", cfg->name, name);
        }
    }
    sset_destroy(&have);
    shash_destroy(&keep);
}

/* This switch's own Physical_Locators, found or inserted on first use, and
 * which local MAC rows belong to this switch. */
struct own_locator {
    const char *ip;                 /* Own tunnel IP, NULL if none. */
    const struct vteprec_physical_locator *row;     /* The one without a
                                                     * tunnel_key, NULL
                                                     * until used. */
    struct hmap keyed;              /* Those with a tunnel_key, as used:
                                     * struct own_keyed_locator. */
    bool owns_all;                  /* The database serves this switch only,
                                     * so every Ucast_Macs_Local and
                                     * unknown-dst Mcast_Macs_Local row is
                                     * this switch's, whatever its locator
                                     * (e.g. an old tunnel IP's). */
};

/* One of this switch's own Physical_Locators with a tunnel_key: that of
 * the logical switches of the key-per-tunnel model that receive on it. */
struct own_keyed_locator {
    struct hmap_node node;      /* In own_locator.keyed, by 'key'. */
    uint32_t key;               /* Its tunnel_key. */
    const struct vteprec_physical_locator *row;     /* The row. */
};

/* Returns the tunnel_key of 'loc', 0 if it has none. */
static uint32_t
locator_key(const struct vteprec_physical_locator *loc)
{
    return loc->n_tunnel_key ? *loc->tunnel_key : 0;
}

/* Returns the tunnel_key (0 for none) of the switch's own locator for
 * logical switch 'ls_name', whose row is 'ls_row': with a tunnel_key of
 * its own, none; in the key-per-tunnel model, the key it receives on (its
 * VNI in 'desired', see model.c). */
static uint32_t
own_locator_key(const struct vtep_db_ctx *ctx,
                const struct vteprec_logical_switch *ls_row)
{
    const struct dp_ls *dls = (ls_row
                               ? dp_state_find_ls(ctx->desired, ls_row->name)
                               : NULL);

    return dls && !ls_row->n_tunnel_key ? dls->vni : 0;
}

/* Returns the Physical_Locator for this switch's tunnel IP with tunnel_key
 * 'key' (0: none), inserting it into the transaction if the database has
 * none. */
static const struct vteprec_physical_locator *
vtep_db_own_locator(const struct vtep_db_ctx *ctx, struct own_locator *own,
                    uint32_t key)
{
    const struct vteprec_physical_locator *loc;
    struct own_keyed_locator *k = NULL;

    if (!key && own->row) {
        return own->row;
    }
    HMAP_FOR_EACH_WITH_HASH (k, node, hash_int(key, 0), &own->keyed) {
        if (k->key == key) {
            return k->row;
        }
    }
    loc = NULL;
    const struct vteprec_physical_locator *row;
    VTEPREC_PHYSICAL_LOCATOR_FOR_EACH (row, ctx->idl) {
        if (!strcmp(row->dst_ip, own->ip) && locator_key(row) == key
            && !strcmp(row->encapsulation_type, VTEP_DB_ENCAP)) {
            loc = row;
            break;
        }
    }
    if (!loc) {
        struct vteprec_physical_locator *new
            = vteprec_physical_locator_insert(ctx->txn);
        vteprec_physical_locator_set_dst_ip(new, own->ip);
        vteprec_physical_locator_set_encapsulation_type(new, VTEP_DB_ENCAP);
        if (key) {
            int64_t key64 = key;
            vteprec_physical_locator_set_tunnel_key(new, &key64, 1);
        }
        loc = new;
    }
    if (!key) {
        own->row = loc;
    } else {
        k = xmalloc(sizeof *k);
        k->key = key;
        k->row = loc;
        hmap_insert(&own->keyed, &k->node, hash_int(key, 0));
    }
    return loc;
}

/* Tells 'idl' not to report changes to the columns that only vtepd writes
 * and never reads back as input (the fault status, the binding counters,
 * the tunnels' BFD status), so that writing them makes neither the model be
 * rebuilt nor every other write be recomputed.  vtepd writes them again
 * when they change, and the counters at every refresh.
 *
 * The same goes for Physical_Switch's tunnels, which the model does not
 * read: a Tunnel row that vtepd adds for a new remote locator must not make
 * it rebuild the model.  Tunnel rows are not root rows and nothing else
 * refers to them, so any change to the column (by vtepd or by a controller)
 * comes with the insertion or deletion of a Tunnel row, which is
 * reported. */
void
vtep_db_omit_alerts(struct ovsdb_idl *idl)
{
    ovsdb_idl_omit_alert(idl, &vteprec_physical_switch_col_switch_fault_status);
    ovsdb_idl_omit_alert(idl, &vteprec_physical_switch_col_tunnels);
    ovsdb_idl_omit_alert(idl, &vteprec_physical_port_col_port_fault_status);
    ovsdb_idl_omit_alert(idl, &vteprec_physical_port_col_vlan_stats);
    ovsdb_idl_omit_alert(idl, &vteprec_tunnel_col_bfd_status);
    ovsdb_idl_omit_alert(idl,
                         &vteprec_logical_binding_stats_col_packets_from_local);
    ovsdb_idl_omit_alert(idl,
                         &vteprec_logical_binding_stats_col_bytes_from_local);
    ovsdb_idl_omit_alert(idl,
                         &vteprec_logical_binding_stats_col_packets_to_local);
    ovsdb_idl_omit_alert(idl,
                         &vteprec_logical_binding_stats_col_bytes_to_local);
}

/* Creates the index of Logical_Switch rows by name that vtep_db_run()
 * looks rows up in (once per learned MAC, so not by a scan of the table). */
struct ovsdb_idl_index *
vtep_db_create_ls_index(struct ovsdb_idl *idl)
{
    return ovsdb_idl_index_create1(idl, &vteprec_logical_switch_col_name);
}

/* Returns the Logical_Switch row named 'name', or NULL. */
static const struct vteprec_logical_switch *
find_ls_row(const struct vtep_db_ctx *ctx, const char *name)
{
    struct vteprec_logical_switch *key
        = vteprec_logical_switch_index_init_row(ctx->ls_by_name);
    vteprec_logical_switch_index_set_name(key, name);

    const struct vteprec_logical_switch *ls
        = vteprec_logical_switch_index_find(ctx->ls_by_name, key);
    vteprec_logical_switch_index_destroy_row(key);
    return ls;
}

/* Returns true if 'loc' is this switch's locator for tunnel IP 'ip' (which
 * may be NULL: no tunnel IP, no locator). */
static bool
is_own_locator(const struct vteprec_physical_locator *loc, const char *ip)
{
    return loc && ip && !strcmp(loc->dst_ip, ip);
}

/* Sets the ipaddr of 'row' to the IPv4 address of local MAC 'lm', if the
 * datapath saw one.  One that it has not seen (yet, since vtepd started)
 * leaves the row's as it is. */
static void
vtep_db_set_local_ipaddr(const struct vteprec_ucast_macs_local *row,
                         const struct dp_local_mac *lm)
{
    if (lm->ip) {
        char ip[INET_ADDRSTRLEN];

        snprintf(ip, sizeof ip, IP_FMT, IP_ARGS(lm->ip));
        if (!row->ipaddr || strcmp(row->ipaddr, ip)) {
            vteprec_ucast_macs_local_set_ipaddr(row, ip);
        }
    }
}

/* Makes this switch's Ucast_Macs_Local rows match the MACs the datapath
 * learned in logical switches bound here, with the switch's locator. */
static void
vtep_db_sync_ucast_local(const struct vtep_db_ctx *ctx,
                         struct own_locator *own)
{
    const char *ip = own->ip;
    const struct hmap *learned = &ctx->dp->local_macs;
    struct hmap seen = HMAP_INITIALIZER(&seen);
    const struct vteprec_ucast_macs_local *row;
    size_t n_added = 0, n_removed = 0;

    VTEPREC_UCAST_MACS_LOCAL_FOR_EACH_SAFE (row, ctx->idl) {
        struct eth_addr mac;

        bool own_loc = is_own_locator(row->locator, ip);
        if (!own_loc && !own->owns_all) {
            continue;
        }
        const char *ls = row->logical_switch ? row->logical_switch->name : "";
        const struct dp_local_mac *lm = NULL;
        if (!own_loc
            || locator_key(row->locator) != own_locator_key(ctx,
                                                            row->logical_switch)
            || !model_parse_mac(row->MAC, &mac)
            || !(lm = dp_local_mac_find(learned, ls, mac))
            || !dp_state_find_ls(ctx->desired, ls)
            || dp_local_mac_find(&seen, ls, mac)) {
            vteprec_ucast_macs_local_delete(row);
            n_removed++;
        } else {
            dp_local_mac_add(&seen, ls, mac, "", 0);
            vtep_db_set_local_ipaddr(row, lm);
        }
    }

    /* Without a tunnel IP there is no locator to advertise MACs with. */
    const struct dp_local_mac *lm;
    HMAP_FOR_EACH (lm, node, learned) {
        const struct vteprec_logical_switch *ls_row;

        if (!ip || dp_local_mac_find(&seen, lm->ls, lm->mac)
            || !dp_state_find_ls(ctx->desired, lm->ls)
            || !(ls_row = find_ls_row(ctx, lm->ls))) {
            continue;
        }
        char mac[ETH_ADDR_STRLEN + 1];
        snprintf(mac, sizeof mac, ETH_ADDR_FMT, ETH_ADDR_ARGS(lm->mac));
        row = vteprec_ucast_macs_local_insert(ctx->txn);
        vteprec_ucast_macs_local_set_MAC(row, mac);
        vteprec_ucast_macs_local_set_logical_switch(row, ls_row);
        vteprec_ucast_macs_local_set_locator(
            row, vtep_db_own_locator(ctx, own, own_locator_key(ctx, ls_row)));
        vtep_db_set_local_ipaddr(row, lm);
        n_added++;
    }
    dp_local_macs_clear(&seen);
    hmap_destroy(&seen);

    if (n_added || n_removed) {
        ovsdb_idl_txn_add_comment(ctx->txn, "vtepd: %s: %"PRIuSIZE" local "
                                  "MACs learned, %"PRIuSIZE" gone",
                                  ctx->ps_name, n_added, n_removed);
        VLOG_DBG("%s: Ucast_Macs_Local +%"PRIuSIZE" -%"PRIuSIZE,
                 ctx->ps_name, n_added, n_removed);
    }
}

/* Returns true if 'set' holds exactly one locator, this switch's. */
static bool
is_own_locator_set(const struct vteprec_physical_locator_set *set,
                   const char *ip)
{
    return set && set->n_locators == 1
           && is_own_locator(set->locators[0], ip);
}

/* Makes the unknown-dst Mcast_Macs_Local rows towards this switch's locator
 * match the logical switches bound here: BUM for them reaches this switch
 * through its own tunnel IP. */
static void
vtep_db_sync_mcast_local(const struct vtep_db_ctx *ctx,
                         struct own_locator *own)
{
    const char *ip = own->ip;
    struct sset seen = SSET_INITIALIZER(&seen);
    const struct vteprec_mcast_macs_local *row;

    VTEPREC_MCAST_MACS_LOCAL_FOR_EACH_SAFE (row, ctx->idl) {
        if (strcmp(row->MAC, "unknown-dst")) {
            continue;
        }
        bool own_set = is_own_locator_set(row->locator_set, ip);
        if (!own_set && !own->owns_all) {
            continue;
        }
        const char *ls = row->logical_switch ? row->logical_switch->name : "";
        if (!own_set || !dp_state_find_ls(ctx->desired, ls)
            || (locator_key(row->locator_set->locators[0])
                != own_locator_key(ctx, row->logical_switch))
            || !sset_add(&seen, ls)) {
            vteprec_mcast_macs_local_delete(row);
        }
    }

    const struct dp_ls *ls;
    HMAP_FOR_EACH (ls, node, &ctx->desired->switches) {
        const struct vteprec_logical_switch *ls_row;

        if (!ip || sset_contains(&seen, ls->name)
            || !(ls_row = find_ls_row(ctx, ls->name))) {
            continue;
        }
        struct vteprec_physical_locator *loc
            = CONST_CAST(struct vteprec_physical_locator *,
                         vtep_db_own_locator(ctx, own,
                                             own_locator_key(ctx, ls_row)));
        const struct vteprec_physical_locator_set *set
            = vteprec_physical_locator_set_insert(ctx->txn);
        vteprec_physical_locator_set_set_locators(set, &loc, 1);

        row = vteprec_mcast_macs_local_insert(ctx->txn);
        vteprec_mcast_macs_local_set_MAC(row, "unknown-dst");
        vteprec_mcast_macs_local_set_logical_switch(row, ls_row);
        vteprec_mcast_macs_local_set_locator_set(row, set);
        ovsdb_idl_txn_add_comment(ctx->txn, "vtepd: %s: unknown-dst of %s "
                                  "to own locator", ctx->ps_name, ls->name);
    }
    sset_destroy(&seen);
}

/* Returns a Physical_Locator row for remote tunnel endpoint 'ip': one of
 * 'locators' (vxlan_over_ipv4 locators by dst_ip), preferring one without a
 * tunnel_key, or a new one. */
static const struct vteprec_physical_locator *
vtep_db_remote_locator(const struct vtep_db_ctx *ctx, struct shash *locators,
                       const char *ip)
{
    const struct vteprec_physical_locator *loc = shash_find_data(locators,
                                                                 ip);
    if (!loc) {
        loc = vteprec_physical_locator_insert(ctx->txn);
        vteprec_physical_locator_set_dst_ip(loc, ip);
        vteprec_physical_locator_set_encapsulation_type(loc, VTEP_DB_ENCAP);
        shash_add(locators, ip, loc);
    }
    return loc;
}

/* Fills 'locators' with this database's vxlan_over_ipv4 locators, by
 * dst_ip; of several with one dst_ip, the one without a tunnel_key. */
static void
vtep_db_index_locators(const struct vtep_db_ctx *ctx, struct shash *locators)
{
    const struct vteprec_physical_locator *loc;

    VTEPREC_PHYSICAL_LOCATOR_FOR_EACH (loc, ctx->idl) {
        if (strcmp(loc->encapsulation_type, VTEP_DB_ENCAP)) {
            continue;
        }
        const struct vteprec_physical_locator *other
            = shash_find_data(locators, loc->dst_ip);
        if (!other) {
            shash_add(locators, loc->dst_ip, loc);
        } else if (other->n_tunnel_key && !loc->n_tunnel_key) {
            shash_replace(locators, loc->dst_ip, loc);
        }
    }
}

/* Makes the tunnels of switch row 'ps' hold one Tunnel row from its
 * locator to each remote tunnel endpoint in use.  A row that is already
 * there for an endpoint is kept, whoever made it (a controller that wants
 * BFD on a tunnel makes the row itself).  A row for an endpoint no longer
 * in use goes, unless it has bfd_params: that is a controller's, and stays
 * until the controller removes it.  The log lines are rate-limited: a
 * locator set can name thousands of endpoints. */
static void
vtep_db_sync_tunnels(const struct vtep_db_ctx *ctx,
                     const struct vteprec_physical_switch *ps,
                     struct own_locator *own)
{
    static struct vlog_rate_limit rl = VLOG_RATE_LIMIT_INIT(20, 50);

    if (!own->ip) {
        return;
    }

    struct sset have = SSET_INITIALIZER(&have);
    for (size_t i = 0; i < ps->n_tunnels; i++) {
        const struct vteprec_tunnel *t = ps->tunnels[i];
        const char *remote = t->remote ? t->remote->dst_ip : NULL;

        if (remote && is_own_locator(t->local, own->ip)
            && sset_contains(ctx->remote_ips, remote)
            && sset_add(&have, remote)) {
            continue;
        }
        if (!smap_is_empty(&t->bfd_params)) {
            continue;
        }
        vteprec_physical_switch_update_tunnels_delvalue(ps, t);
        VLOG_INFO_RL(&rl, "%s: removing Tunnel to %s", ctx->ps_name,
                     remote ? remote : "(no locator)");
    }

    struct shash locators = SHASH_INITIALIZER(&locators);
    const char *ip;
    SSET_FOR_EACH (ip, ctx->remote_ips) {
        if (sset_contains(&have, ip)) {
            continue;
        }
        if (shash_is_empty(&locators)) {
            vtep_db_index_locators(ctx, &locators);
        }
        const struct vteprec_tunnel *t = vteprec_tunnel_insert(ctx->txn);
        vteprec_tunnel_set_local(t, vtep_db_own_locator(ctx, own, 0));
        vteprec_tunnel_set_remote(t, vtep_db_remote_locator(ctx, &locators,
                                                            ip));
        vteprec_physical_switch_update_tunnels_addvalue(ps, t);
        VLOG_INFO_RL(&rl, "%s: adding Tunnel to %s", ctx->ps_name, ip);
    }
    shash_destroy(&locators);
    sset_destroy(&have);
}

/* Sets the bfd_status of each Tunnel row of switch row 'ps' that differs
 * from what its BFD session shows: the session's status with
 * bfd_params:enable true, nothing otherwise (as vtep(5) asks). */
static void
vtep_db_sync_bfd_status(const struct vtep_db_ctx *ctx,
                        const struct vteprec_physical_switch *ps)
{
    for (size_t i = 0; ctx->bfd && i < ps->n_tunnels; i++) {
        const struct vteprec_tunnel *t = ps->tunnels[i];
        struct smap status = SMAP_INITIALIZER(&status);

        if (smap_get_bool(&t->bfd_params, "enable", false)) {
            tunnel_bfd_get_status(ctx->bfd,
                                  t->remote ? t->remote->dst_ip : "",
                                  &status);
        }
        if (!smap_equal(&status, &t->bfd_status)) {
            vteprec_tunnel_set_bfd_status(t, &status);
        }
        smap_destroy(&status);
    }
}

/* Returns true if this switch is the only Physical_Switch in the database,
 * as when each switch has a database of its own (the usual case). */
static bool
vtep_db_is_sole_switch(const struct vtep_db_ctx *ctx)
{
    const struct vteprec_physical_switch *ps;
    bool found = false;

    VTEPREC_PHYSICAL_SWITCH_FOR_EACH (ps, ctx->idl) {
        if (strcmp(ps->name, ctx->ps_name)) {
            return false;
        }
        found = true;
    }
    return found;
}

/* Adds to 'ctx->txn' the writes that bring the binding counters in the
 * database up to date with the datapath, and nothing else (for a refresh of
 * the counters alone). */
void
vtep_db_run_stats(const struct vtep_db_ctx *ctx)
{
    const struct vteprec_physical_switch *ps = model_find_ps(ctx->idl,
                                                             ctx->ps_name);
    if (ps) {
        vtep_db_sync_stats(ctx, ps);
    }
}

/* Adds to 'ctx->txn' the writes that bring the database up to date with the
 * configuration and the datapath. */
void
vtep_db_run(const struct vtep_db_ctx *ctx)
{
    if (ctx->cfg) {
        vtep_db_sync_switch(ctx);
    }

    /* Without a tunnel IP the switch has no locator: its local MAC rows
     * go (where they can be told apart) until it has one again. */
    ovs_be32 tunnel_ip = ctx->desired->tunnel_ip;
    char ip[INET_ADDRSTRLEN];
    struct own_locator own = {
        .ip = tunnel_ip ? inet_ntop(AF_INET, &tunnel_ip, ip, sizeof ip) : NULL,
        .keyed = HMAP_INITIALIZER(&own.keyed),
        .owns_all = vtep_db_is_sole_switch(ctx),
    };
    vtep_db_sync_ucast_local(ctx, &own);
    vtep_db_sync_mcast_local(ctx, &own);

    /* The switch's own columns and rows. */
    const struct vteprec_physical_switch *ps = model_find_ps(ctx->idl,
                                                             ctx->ps_name);
    if (ps) {
        vtep_db_sync_tunnels(ctx, ps, &own);
        vtep_db_sync_bfd_status(ctx, ps);
        vtep_db_sync_faults(ctx, ps);
        vtep_db_sync_stats(ctx, ps);
    }

    struct own_keyed_locator *k;
    HMAP_FOR_EACH_POP (k, node, &own.keyed) {
        free(k);
    }
    hmap_destroy(&own.keyed);
}
