/* model.c -- the desired datapath of one physical switch, built from the
 * hardware_vtep rows that concern it. */

#include <config.h>
#include "model.h"

#include <arpa/inet.h>
#include <ctype.h>
#include "faults.h"
#include "hash.h"
#include "openvswitch/shash.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "util.h"
#include "vtep-idl.h"

VLOG_DEFINE_THIS_MODULE(model);

/* Highest VXLAN network identifier (24 bits). */
#define MODEL_MAX_VNI 0xffffff

/* The only encapsulation the datapath supports. */
#define MODEL_ENCAP "vxlan_over_ipv4"

/* Parses 'string' as a unicast IPv4 address into '*ip'.  Returns false for
 * anything else (0.0.0.0, multicast, broadcast, or not an address). */
static bool
parse_unicast_ip(const char *string, ovs_be32 *ip)
{
    return (ip_parse(string, ip) && *ip && !ip_is_multicast(*ip)
            && *ip != OVS_BE32_MAX);
}

/* Parses 's' as an Ethernet address into '*mac': six groups of one or two
 * hexadecimal digits separated by colons, and nothing else.  Returns false,
 * storing all-zeros, for anything else.  eth_addr_from_string() is too
 * lenient for rows that anyone may write: its scanf() takes signs, "0x"
 * prefixes, leading spaces and groups that overflow a byte, so that it
 * reads "00:00:00:00:00:101" or "00:00:00:00:00:+1" as 00:00:00:00:00:01. */
bool
model_parse_mac(const char *s, struct eth_addr *mac)
{
    for (int i = 0; i < ETH_ADDR_LEN; i++) {
        int value = 0;
        int n;

        if (i && *s++ != ':') {
            goto error;
        }
        for (n = 0; n < 2 && isxdigit((unsigned char) *s); n++) {
            value = value * 16 + hexit_value(*s++);
        }
        if (!n) {
            goto error;
        }
        mac->ea[i] = value;
    }
    if (!*s) {
        return true;
    }

error:
    *mac = eth_addr_zero;
    return false;
}

/* Returns the one IPv4 tunnel IP of 'ps' in '*ip' and true, or stores 0,
 * records a switch fault in 'faults' and returns false. */
bool
model_parse_tunnel_ip(const struct vteprec_physical_switch *ps, ovs_be32 *ip,
                      struct faults *faults)
{
    *ip = 0;
    if (ps->n_tunnel_ips != 1) {
        faults_add_switch(faults, FAULT_UNSPECIFIED,
                          ps->n_tunnel_ips ? "tunnel_ip_multiple"
                                           : "tunnel_ip_missing",
                          "Physical_Switch %s has %"PRIuSIZE" tunnel IPs; "
                          "exactly one IPv4 address is supported",
                          ps->name, ps->n_tunnel_ips);
        return false;
    }
    if (!parse_unicast_ip(ps->tunnel_ips[0], ip)) {
        faults_add_switch(faults, FAULT_UNSPECIFIED, "tunnel_ip_invalid",
                          "Physical_Switch %s tunnel IP \"%s\" is not a "
                          "unicast IPv4 address", ps->name, ps->tunnel_ips[0]);
        *ip = 0;
        return false;
    }
    return true;
}

/* Returns the VNI for 'ls': its tunnel_key if that is a valid VNI, else 0
 * (no tunnel), recording a fault for an out-of-range key. */
static uint32_t
ls_vni(const struct vteprec_logical_switch *ls, struct faults *faults)
{
    if (!ls->n_tunnel_key || !*ls->tunnel_key) {
        return 0;
    }
    int64_t key = *ls->tunnel_key;
    if (key < 0 || key > MODEL_MAX_VNI) {
        faults_add_switch(faults, FAULT_UNSPECIFIED, "tunnel_key_invalid",
                          "Logical_Switch %s tunnel_key %"PRId64" is out of "
                          "range for a VXLAN VNI (1 to %d)", ls->name, key,
                          MODEL_MAX_VNI);
        return 0;
    }
    return key;
}

/* Returns true if the row's logical switch is bound on this switch, that
 * is, 'desired' has it. */
static struct dp_ls *
bound_ls(struct dp_state *desired, const struct vteprec_logical_switch *ls)
{
    return ls ? dp_state_find_ls(desired, ls->name) : NULL;
}

/* Parses the tunnel endpoint of 'loc' into '*ip'.  Returns false, recording
 * a fault, if it is not usable.  The fault names the row as "TABLE MAC in
 * LS"; nothing is formatted unless there is one (this runs for every remote
 * MAC). */
static bool
locator_ip(const struct vteprec_physical_locator *loc, const char *table,
           const char *mac, const char *ls, ovs_be32 *ip,
           struct faults *faults)
{
    if (!loc) {
        faults_add_switch(faults, FAULT_UNSPECIFIED, "locator_missing",
                          "%s %s in %s has no locator", table, mac, ls);
        return false;
    }
    if (strcmp(loc->encapsulation_type, MODEL_ENCAP)) {
        faults_add_switch(faults, FAULT_UNSPECIFIED,
                          "encapsulation_unsupported",
                          "%s %s in %s: locator %s has unsupported "
                          "encapsulation \"%s\"", table, mac, ls,
                          loc->dst_ip, loc->encapsulation_type);
        return false;
    }
    if (!parse_unicast_ip(loc->dst_ip, ip)) {
        faults_add_switch(faults, FAULT_UNSPECIFIED, "locator_ip_invalid",
                          "%s %s in %s: locator dst_ip \"%s\" is not a "
                          "unicast IPv4 address", table, mac, ls,
                          loc->dst_ip);
        return false;
    }
    return true;
}

/* Returns the key of ('port', 'vlan') in the map of model_add_bindings(),
 * in a malloc()'d string (the VLAN first: a port name may hold spaces). */
static char *
binding_key(const char *port, int64_t vlan)
{
    return xasprintf("%"PRId64" %s", vlan, port);
}

/* Adds the bindings of 'ps' and their logical switches to 'desired'.  Of
 * several bindings of one (port, VLAN), possible with several Physical_Port
 * rows of one name, the one to the logical switch whose name sorts first is
 * kept, whatever the order of the rows (as with tunnel keys, see
 * model_check_vnis()). */
static void
model_add_bindings(const struct vteprec_physical_switch *ps,
                   struct dp_state *desired, struct faults *faults)
{
    struct shash keepers = SHASH_INITIALIZER(&keepers);

    /* First the logical switch that keeps each (port, VLAN)... */
    for (size_t i = 0; i < ps->n_ports; i++) {
        const struct vteprec_physical_port *port = ps->ports[i];

        for (size_t j = 0; j < port->n_vlan_bindings; j++) {
            int64_t vlan = port->key_vlan_bindings[j];
            const struct vteprec_logical_switch *ls
                = port->value_vlan_bindings[j];

            if (vlan < 0 || vlan > 4095 || !ls) {
                continue;
            }
            char *key = binding_key(port->name, vlan);
            const struct vteprec_logical_switch *keeper
                = shash_find_data(&keepers, key);
            if (!keeper || strcmp(ls->name, keeper->name) < 0) {
                shash_replace(&keepers, key, CONST_CAST(void *, ls));
            }
            free(key);
        }
    }

    /* ...then the bindings. */
    for (size_t i = 0; i < ps->n_ports; i++) {
        const struct vteprec_physical_port *port = ps->ports[i];

        for (size_t j = 0; j < port->n_vlan_bindings; j++) {
            int64_t vlan = port->key_vlan_bindings[j];
            const struct vteprec_logical_switch *ls
                = port->value_vlan_bindings[j];

            if (vlan < 0 || vlan > 4095) {
                faults_add_port(faults, port->name, FAULT_INVALID_VLAN_MAP,
                                "vlan_invalid", "Physical_Port %s: VLAN "
                                "%"PRId64" is out of range (0 to 4095)",
                                port->name, vlan);
                continue;
            }
            if (!ls) {
                continue;
            }
            char *key = binding_key(port->name, vlan);
            const struct vteprec_logical_switch *keeper
                = shash_find_data(&keepers, key);
            free(key);
            if (keeper != ls
                || dp_state_find_binding(desired, port->name, vlan)) {
                faults_add_port(faults, port->name, FAULT_INVALID_VLAN_MAP,
                                "vlan_conflict", "Physical_Port %s: VLAN "
                                "%"PRId64" is bound twice (several ports of "
                                "that name); keeping the binding to %s",
                                port->name, vlan, keeper->name);
                continue;
            }
            if (!dp_state_find_ls(desired, ls->name)) {
                dp_state_add_ls(desired, ls->name, ls_vni(ls, faults));
            }
            dp_state_add_binding(desired, port->name, vlan, ls->name);
        }
    }
    shash_destroy(&keepers);
}

/* Leaves each VNI to one logical switch of 'desired', the one whose name
 * sorts first, whatever the order of the rows: the others get no tunnel,
 * and a fault naming the one that keeps it is recorded for each. */
static void
model_check_vnis(struct dp_state *desired, struct faults *faults)
{
    struct hmap owners = HMAP_INITIALIZER(&owners);
    struct vni_owner {
        struct hmap_node node;  /* In 'owners', by VNI. */
        uint32_t vni;           /* The VNI. */
        struct dp_ls *ls;       /* Logical switch that keeps it. */
    };
    struct vni_owner *owner;
    struct dp_ls *ls;

    /* First the owner of each VNI... */
    HMAP_FOR_EACH (ls, node, &desired->switches) {
        bool found = false;

        if (!ls->vni) {
            continue;
        }
        HMAP_FOR_EACH_WITH_HASH (owner, node, hash_int(ls->vni, 0),
                                 &owners) {
            if (owner->vni == ls->vni) {
                found = true;
                break;
            }
        }
        if (!found) {
            owner = xmalloc(sizeof *owner);
            owner->vni = ls->vni;
            owner->ls = ls;
            hmap_insert(&owners, &owner->node, hash_int(ls->vni, 0));
        } else if (strcmp(ls->name, owner->ls->name) < 0) {
            owner->ls = ls;
        }
    }

    /* ...then the others lose it. */
    HMAP_FOR_EACH (ls, node, &desired->switches) {
        if (!ls->vni) {
            continue;
        }
        HMAP_FOR_EACH_WITH_HASH (owner, node, hash_int(ls->vni, 0),
                                 &owners) {
            if (owner->vni == ls->vni) {
                break;
            }
        }
        if (owner->ls != ls) {
            faults_add_switch(faults, FAULT_UNSPECIFIED,
                              "tunnel_key_conflict", "Logical_Switch %s has "
                              "tunnel_key %"PRIu32", which %s has too; %s "
                              "gets no tunnel", ls->name, ls->vni,
                              owner->ls->name, ls->name);
            ls->vni = 0;
        }
    }

    HMAP_FOR_EACH_POP (owner, node, &owners) {
        free(owner);
    }
    hmap_destroy(&owners);
}

/* Records in ls->tunnel_keys the tunnel_key of locator 'loc' (if it has a
 * usable one) of a row of 'ls'.  Of several locators of one IP in one
 * logical switch with different keys, the lowest key is kept, with a
 * fault. */
static void
locator_key_add(struct dp_ls *ls, const struct vteprec_physical_locator *loc,
                struct faults *faults)
{
    char s[INET_ADDRSTRLEN];
    ovs_be32 ip;

    if (!loc || !loc->n_tunnel_key || !parse_unicast_ip(loc->dst_ip, &ip)) {
        return;
    }
    int64_t key = *loc->tunnel_key;
    if (key < 1 || key > MODEL_MAX_VNI) {
        faults_add_switch(faults, FAULT_UNSPECIFIED, "locator_key_invalid",
                          "Physical_Locator %s of %s: tunnel_key %"PRId64
                          " is out of range for a VXLAN VNI (1 to %d)",
                          loc->dst_ip, ls->name, key, MODEL_MAX_VNI);
        return;
    }

    inet_ntop(AF_INET, &ip, s, sizeof s);
    uint32_t old = dp_ls_get_tunnel_key(ls, s);
    if (old && old != key) {
        faults_add_switch(faults, FAULT_UNSPECIFIED, "locator_key_conflict",
                          "Logical_Switch %s has locators of %s with "
                          "tunnel_key %"PRIu32" and %"PRId64"; using the "
                          "lowest", ls->name, s, old, key);
        key = MIN(old, key);
    }
    dp_ls_set_tunnel_key(ls, s, key);
}

/* Gives the bound logical switches of 'desired' the VNIs of the
 * Physical_Locator tunnel_key columns (the key-per-tunnel model of
 * vtep(5)): the entries to a locator's IP carry its key (ls->tunnel_keys).
 * A logical switch without a tunnel_key of its own receives on the key of
 * the switch's own locator, if a row of it names one with a key, else on
 * the lowest key of its locators: that becomes its 'vni' (and the key of
 * the switch's own locator for it in the rows it writes, see vtep-db.c);
 * the entries to locators without a key carry it too. */
static void
model_add_locator_keys(const struct model_input *in,
                       struct dp_state *desired, struct faults *faults)
{
    struct sset keyed = SSET_INITIALIZER(&keyed); /* Logical switches with
                                                   * a tunnel_key. */
    char own[INET_ADDRSTRLEN];

    inet_ntop(AF_INET, &desired->tunnel_ip, own, sizeof own);

    for (size_t i = 0; i < in->n_ucast; i++) {
        const struct vteprec_ucast_macs_remote *row = in->ucast[i];
        struct dp_ls *ls;

        /* Most rows have no key: skip them before looking anything up. */
        if (!row->locator || !row->locator->n_tunnel_key
            || !(ls = bound_ls(desired, row->logical_switch))) {
            continue;
        }
        locator_key_add(ls, row->locator, faults);
        if (row->logical_switch->n_tunnel_key) {
            sset_add(&keyed, ls->name);
        }
    }
    for (size_t i = 0; i < in->n_mcast; i++) {
        const struct vteprec_mcast_macs_remote *row = in->mcast[i];
        const struct vteprec_physical_locator_set *set = row->locator_set;
        struct dp_ls *ls = bound_ls(desired, row->logical_switch);

        for (size_t j = 0; ls && set && j < set->n_locators; j++) {
            locator_key_add(ls, set->locators[j], faults);
        }
        if (ls && row->logical_switch->n_tunnel_key) {
            sset_add(&keyed, ls->name);
        }
    }

    struct dp_ls *ls;
    HMAP_FOR_EACH (ls, node, &desired->switches) {
        struct simap_node *node;

        if (!ls->vni && !sset_contains(&keyed, ls->name)) {
            uint32_t own_key = dp_ls_get_tunnel_key(ls, own);

            SIMAP_FOR_EACH (node, &ls->tunnel_keys) {
                if (!ls->vni || node->data < ls->vni) {
                    ls->vni = node->data;
                }
            }
            ls->vni = own_key ? own_key : ls->vni;
        }
        SIMAP_FOR_EACH_SAFE (node, &ls->tunnel_keys) {
            if (node->data == ls->vni) {
                simap_delete(&ls->tunnel_keys, node);
            }
        }
    }
    sset_destroy(&keyed);
}

/* Adds the remote unicast MACs of bound logical switches to 'desired'. */
static void
model_add_ucast(const struct model_input *in, struct dp_state *desired,
                struct faults *faults)
{
    for (size_t i = 0; i < in->n_ucast; i++) {
        const struct vteprec_ucast_macs_remote *row = in->ucast[i];
        struct dp_ls *ls = bound_ls(desired, row->logical_switch);
        struct eth_addr mac;
        ovs_be32 ip;

        if (!ls) {
            continue;
        }
        if (!model_parse_mac(row->MAC, &mac)) {
            faults_add_switch(faults, FAULT_UNSPECIFIED, "remote_mac_invalid",
                              "Ucast_Macs_Remote in %s: \"%s\" is not a MAC "
                              "address", ls->name, row->MAC);
            continue;
        }
        if (eth_addr_is_zero(mac) || eth_addr_is_multicast(mac)) {
            faults_add_switch(faults, FAULT_UNSPECIFIED, "remote_mac_invalid",
                              "Ucast_Macs_Remote in %s: %s is not a unicast "
                              "MAC address", ls->name, row->MAC);
            continue;
        }
        if (!locator_ip(row->locator, "Ucast_Macs_Remote", row->MAC,
                        ls->name, &ip, faults)
            || ip == desired->tunnel_ip) {
            continue;
        }

        struct dp_remote_mac *old = dp_ls_find_remote_mac(ls, mac);
        if (old && old->dst_ip != ip) {
            faults_add_switch(faults, FAULT_UNSPECIFIED, "remote_mac_conflict",
                              "Ucast_Macs_Remote "ETH_ADDR_FMT" in %s has "
                              "several locators; using the lowest IP",
                              ETH_ADDR_ARGS(mac), ls->name);
            if (ntohl(old->dst_ip) < ntohl(ip)) {
                old->n_rows++;
                continue;
            }
        }
        struct dp_remote_mac *rm = dp_ls_set_remote_mac(ls, mac, ip);
        rm->n_rows++;
        if (!simap_is_empty(&ls->tunnel_keys)) {
            char s[INET_ADDRSTRLEN];
            rm->key = dp_ls_get_tunnel_key(ls, inet_ntop(AF_INET, &ip, s,
                                                         sizeof s));
        }
    }
}

/* What a Ucast_Macs_Remote row means for model_update_ucast(). */
enum model_ucast_kind {
    MODEL_UCAST_IGNORED,        /* Nothing: its logical switch is not bound
                                 * here, or it points at this switch. */
    MODEL_UCAST_MAC,            /* A plain remote MAC. */
    MODEL_UCAST_COMPLEX         /* A fault, an ARP address or a locator
                                 * key: only a full build gets it right. */
};

/* Classifies Ucast_Macs_Remote 'row' against 'desired' as model_add_ucast()
 * would treat it.  For MODEL_UCAST_MAC, sets '*lsp', '*mac' and '*ip' to
 * the remote MAC the row asks for. */
static enum model_ucast_kind
model_classify_ucast(const struct vteprec_ucast_macs_remote *row,
                     struct dp_state *desired, struct dp_ls **lsp,
                     struct eth_addr *mac, ovs_be32 *ip)
{
    if ((row->ipaddr && row->ipaddr[0])
        || (row->locator && row->locator->n_tunnel_key)) {
        return MODEL_UCAST_COMPLEX;
    }

    struct dp_ls *ls = bound_ls(desired, row->logical_switch);
    if (!ls) {
        return MODEL_UCAST_IGNORED;
    } else if (ls->arp_rows) {
        /* A row with an ipaddr gives an ARP entry only while some row
         * programs its MAC. */
        return MODEL_UCAST_COMPLEX;
    }
    if (!model_parse_mac(row->MAC, mac) || eth_addr_is_zero(*mac)
        || eth_addr_is_multicast(*mac)) {
        return MODEL_UCAST_COMPLEX;
    }

    /* locator_ip() fails only with a fault. */
    struct faults scratch;
    faults_init(&scratch);
    bool ok = locator_ip(row->locator, "Ucast_Macs_Remote", row->MAC,
                         ls->name, ip, &scratch);
    faults_destroy(&scratch);
    if (!ok) {
        return MODEL_UCAST_COMPLEX;
    }
    if (*ip == desired->tunnel_ip) {
        return MODEL_UCAST_IGNORED;
    }
    *lsp = ls;
    return MODEL_UCAST_MAC;
}

/* Returns true if 'n' is below 'cap' (if 'below') or at most 'cap' (if
 * not), or if 'cap' is 0 (no cap). */
static bool
model_count_fits(size_t n, size_t cap, bool below)
{
    return !cap || (below ? n < cap : n <= cap);
}

/* Returns true if no count of remote MACs in 'desired' reaches (if
 * 'below') or exceeds (if not) its cap in 'limits': a model_build() of
 * 'desired' then left out none of them. */
static bool
model_within_limits(const struct model_limits *limits,
                    const struct dp_state *desired, bool below)
{
    const struct dp_ls *ls;
    size_t total = 0;

    if (!limits->max_macs_per_ls && !limits->max_macs) {
        return true;
    }
    HMAP_FOR_EACH (ls, node, &desired->switches) {
        size_t n = hmap_count(&ls->remote_macs);
        if (!model_count_fits(n, limits->max_macs_per_ls, below)) {
            return false;
        }
        total += n;
    }
    return model_count_fits(total, limits->max_macs, below);
}

/* Applies the insertion (if 'insert') or deletion of Ucast_Macs_Remote
 * 'row' to 'desired' and adds the MAC it touches to 'touched'.  Returns
 * false if that takes a full build: the row needs one (see
 * model_classify_ucast()), or another row asks for its MAC too. */
static bool
model_apply_ucast_row(const struct vteprec_ucast_macs_remote *row,
                      bool insert, struct dp_state *desired,
                      struct hmap *touched)
{
    struct eth_addr mac;
    struct dp_ls *ls;
    ovs_be32 ip;

    switch (model_classify_ucast(row, desired, &ls, &mac, &ip)) {
    case MODEL_UCAST_IGNORED:
        return true;
    case MODEL_UCAST_COMPLEX:
        return false;
    case MODEL_UCAST_MAC:
    default:
        break;
    }

    struct dp_remote_mac *rm = dp_ls_find_remote_mac(ls, mac);
    if (!insert) {
        if (!rm || rm->n_rows != 1 || rm->dst_ip != ip) {
            return false;
        }
        dp_ls_remove_remote_mac(ls, rm);
    } else {
        if (rm) {
            return false;
        }
        rm = dp_ls_set_remote_mac(ls, mac, ip);
        rm->n_rows = 1;
        if (!simap_is_empty(&ls->tunnel_keys)) {
            char s[INET_ADDRSTRLEN];
            rm->key = dp_ls_get_tunnel_key(ls, inet_ntop(AF_INET, &ip, s,
                                                         sizeof s));
        }
    }
    dp_mac_keys_add(touched, ls, mac);
    return true;
}

/* Applies 'changes' to 'desired', which model_build() made from the
 * Ucast_Macs_Remote rows before them and the same other input, and adds
 * to 'touched' (a set of struct dp_mac_key) the remote MACs that may have
 * changed.  Returns true if 'desired' is now what model_build() gives for
 * the rows after them, with the same faults.  Returns false if the changes
 * need a full build: they concern a fault, a conflict, a duplicate, an ARP
 * address, a locator key or a MAC cap.  'desired' may then be partly
 * updated, and is to be rebuilt.
 *
 * This is what keeps a change of a few rows cheap with many remote MACs:
 * its cost is that of the rows changed, not of the table. */
bool
model_update_ucast(const struct model_ucast_changes *changes,
                   const struct model_limits *limits,
                   struct dp_state *desired, struct hmap *touched)
{
    if (!model_within_limits(limits, desired, true)) {
        return false;
    }

    /* Deletions first, so that a row that replaces another in one batch
     * finds its MAC gone. */
    for (size_t i = 0; i < changes->n_deleted; i++) {
        if (!model_apply_ucast_row(changes->deleted[i], false, desired,
                                   touched)) {
            return false;
        }
    }
    for (size_t i = 0; i < changes->n_inserted; i++) {
        if (!model_apply_ucast_row(changes->inserted[i], true, desired,
                                   touched)) {
            return false;
        }
    }
    return model_within_limits(limits, desired, false);
}

/* One remote MAC of 'desired', for sorting by model_cap_macs(). */
struct model_mac_ref {
    struct dp_ls *ls;           /* Its logical switch. */
    struct dp_remote_mac *rm;   /* The MAC. */
};

/* qsort() comparison of struct model_mac_ref: by logical switch name, then
 * by MAC. */
static int
model_mac_ref_cmp(const void *a_, const void *b_)
{
    const struct model_mac_ref *a = a_, *b = b_;
    int cmp = a->ls == b->ls ? 0 : strcmp(a->ls->name, b->ls->name);

    if (cmp) {
        return cmp;
    }
    uint64_t x = eth_addr_to_uint64(a->rm->mac);
    uint64_t y = eth_addr_to_uint64(b->rm->mac);
    return x < y ? -1 : x > y;
}

/* Appends the remote MACs of 'ls' to 'refs' (of '*n', with '*allocated'
 * room). */
static void
model_mac_refs_add(struct dp_ls *ls, struct model_mac_ref **refs, size_t *n,
                   size_t *allocated)
{
    struct dp_remote_mac *rm;

    HMAP_FOR_EACH (rm, node, &ls->remote_macs) {
        if (*n >= *allocated) {
            *refs = x2nrealloc(*refs, allocated, sizeof **refs);
        }
        (*refs)[(*n)++] = (struct model_mac_ref) { .ls = ls, .rm = rm };
    }
}

/* Keeps the first 'cap' of the 'n' remote MACs in 'refs' in the order of
 * model_mac_ref_cmp() and removes the others from their logical switches,
 * so that which MACs a cap leaves out does not depend on the order of the
 * rows. */
static void
model_cap_macs(struct model_mac_ref *refs, size_t n, size_t cap)
{
    qsort(refs, n, sizeof *refs, model_mac_ref_cmp);
    for (size_t i = cap; i < n; i++) {
        dp_ls_remove_remote_mac(refs[i].ls, refs[i].rm);
    }
}

/* Applies the caps of 'limits' on remote MACs to 'desired': past a cap,
 * the lowest MACs (by logical switch name, then MAC) are programmed and a
 * mac_table_exhaustion fault says how many were left out. */
static void
model_apply_limits(const struct model_limits *limits,
                   struct dp_state *desired, struct faults *faults)
{
    struct model_mac_ref *refs = NULL;
    size_t n = 0, allocated = 0;
    struct dp_ls *ls;

    if (limits->max_macs_per_ls) {
        HMAP_FOR_EACH (ls, node, &desired->switches) {
            size_t count = hmap_count(&ls->remote_macs);

            if (count > limits->max_macs_per_ls) {
                faults_add_switch(faults, FAULT_MAC_TABLE_EXHAUSTION,
                                  "remote_mac_limit", "Logical_Switch %s has "
                                  "%"PRIuSIZE" remote MACs, more than the "
                                  "limit of %"PRIuSIZE" per logical switch; "
                                  "the lowest %"PRIuSIZE" are programmed",
                                  ls->name, count, limits->max_macs_per_ls,
                                  limits->max_macs_per_ls);
                n = 0;
                model_mac_refs_add(ls, &refs, &n, &allocated);
                model_cap_macs(refs, n, limits->max_macs_per_ls);
            }
        }
    }

    size_t total = dp_state_count_remote_macs(desired);
    if (limits->max_macs && total > limits->max_macs) {
        faults_add_switch(faults, FAULT_MAC_TABLE_EXHAUSTION,
                          "remote_mac_limit", "%"PRIuSIZE" remote MACs, "
                          "more than the limit of %"PRIuSIZE" in all; the "
                          "lowest %"PRIuSIZE" (by logical switch, then MAC) "
                          "are programmed", total, limits->max_macs,
                          limits->max_macs);
        n = 0;
        HMAP_FOR_EACH (ls, node, &desired->switches) {
            model_mac_refs_add(ls, &refs, &n, &allocated);
        }
        model_cap_macs(refs, n, limits->max_macs);
    }
    free(refs);
}

/* Adds to 'desired' an ARP entry for the IPv4 address of each remote MAC
 * it programs whose Ucast_Macs_Remote row gives one (ipaddr), so that the
 * switch answers ARP requests for it itself.  An address that is not a
 * unicast IPv4 address is a remote_ipaddr_invalid fault; one that several
 * MACs of a logical switch claim, a remote_ipaddr_conflict fault (the
 * lowest MAC keeps it). */
static void
model_add_arp(const struct model_input *in, struct dp_state *desired,
              struct faults *faults)
{
    for (size_t i = 0; i < in->n_ucast; i++) {
        const struct vteprec_ucast_macs_remote *row = in->ucast[i];
        struct dp_ls *ls = bound_ls(desired, row->logical_switch);
        const struct dp_arp_entry *old;
        struct eth_addr mac;
        ovs_be32 ip;

        if (!ls || !row->ipaddr || !row->ipaddr[0]) {
            continue;
        }
        ls->arp_rows = true;
        if (!model_parse_mac(row->MAC, &mac)
            || !dp_ls_find_remote_mac(ls, mac)) {
            continue;
        }
        if (!ip_parse(row->ipaddr, &ip) || !ip
            || ip_is_multicast(ip) || ip == htonl(UINT32_MAX)) {
            faults_add_switch(faults, FAULT_UNSPECIFIED,
                              "remote_ipaddr_invalid", "Ucast_Macs_Remote "
                              ETH_ADDR_FMT" in %s: ipaddr \"%s\" is not a "
                              "unicast IPv4 address", ETH_ADDR_ARGS(mac),
                              ls->name, row->ipaddr);
            continue;
        }
        old = dp_ls_find_arp(ls, ip);
        if (old && !eth_addr_equals(old->mac, mac)) {
            faults_add_switch(faults, FAULT_UNSPECIFIED,
                              "remote_ipaddr_conflict", "Logical_Switch %s: "
                              "several remote MACs have ipaddr "IP_FMT"; the "
                              "lowest answers ARP for it", ls->name,
                              IP_ARGS(ip));
            if (eth_addr_compare_3way(old->mac, mac) < 0) {
                continue;
            }
        }
        dp_ls_set_arp(ls, ip, mac);
    }
}

/* Returns true if 'ls' replicates BUM to every locator (source_node). */
static bool
is_source_node(const struct vteprec_logical_switch *ls)
{
    return ls->replication_mode
           && !strcmp(ls->replication_mode, "source_node");
}

/* The service_node choice for one replication list of one logical switch,
 * while model_add_mcast() reads the rows. */
struct service_choice {
    struct dp_ls *ls;           /* Logical switch. */
    struct eth_addr mac;        /* Group MAC; all-zero for unknown-dst. */
    ovs_be32 healthy;           /* Lowest locator whose tunnel BFD does not
                                 * call down, 0 if none so far. */
    ovs_be32 any;               /* Lowest locator, 0 if none so far. */
};

/* Adds tunnel endpoint 'ip' to replication list 'mac' of 'ls': its flood
 * list if 'mac' is all-zero (unknown-dst), else multicast group 'mac'. */
static void
mcast_list_add(struct dp_ls *ls, struct eth_addr mac, ovs_be32 ip)
{
    if (eth_addr_is_zero(mac)) {
        char s[INET_ADDRSTRLEN];
        sset_add(&ls->flood_ips, inet_ntop(AF_INET, &ip, s, sizeof s));
    } else {
        dp_ls_add_mcast_ip(ls, mac, ip);
    }
}

/* Returns the entry of 'choices' (struct service_choice, by MAC and
 * logical switch name) for replication list 'mac' of 'ls', adding it if
 * needed. */
static struct service_choice *
service_choice_get(struct shash *choices, struct dp_ls *ls,
                   struct eth_addr mac)
{
    char *key = xasprintf(ETH_ADDR_FMT" %s", ETH_ADDR_ARGS(mac), ls->name);
    struct service_choice *choice = shash_find_data(choices, key);

    if (choice) {
        free(key);
    } else {
        choice = xzalloc(sizeof *choice);
        choice->ls = ls;
        choice->mac = mac;
        shash_add_nocopy(choices, key, choice);
    }
    return choice;
}

/* Lowers 'cur' (0: none yet) to 'ip' if 'ip' is the lower address. */
static void
lower_ip(ovs_be32 *cur, ovs_be32 ip)
{
    if (!*cur || ntohl(ip) < ntohl(*cur)) {
        *cur = ip;
    }
}

/* Parses the MAC of Mcast_Macs_Remote row 'row' of 'ls' into '*mac': the
 * all-zero MAC for unknown-dst, else a multicast MAC.  Returns false for
 * the broadcast MAC, which gets no list of its own (broadcast frames follow
 * unknown-dst), and, recording a fault, for anything that is not a
 * multicast MAC. */
static bool
mcast_row_mac(const struct vteprec_mcast_macs_remote *row,
              const struct dp_ls *ls, struct eth_addr *mac,
              struct faults *faults)
{
    if (!strcmp(row->MAC, "unknown-dst")) {
        *mac = eth_addr_zero;
        return true;
    }
    if (!model_parse_mac(row->MAC, mac)) {
        faults_add_switch(faults, FAULT_UNSPECIFIED, "mcast_mac_invalid",
                          "Mcast_Macs_Remote in %s: \"%s\" is not a MAC "
                          "address", ls->name, row->MAC);
        return false;
    }
    if (!eth_addr_is_multicast(*mac)) {
        faults_add_switch(faults, FAULT_UNSPECIFIED, "mcast_mac_invalid",
                          "Mcast_Macs_Remote in %s: %s is not a multicast "
                          "MAC address", ls->name, row->MAC);
        return false;
    }
    if (eth_addr_is_broadcast(*mac)) {
        VLOG_DBG("Mcast_Macs_Remote %s in %s: broadcast frames follow "
                 "unknown-dst", row->MAC, ls->name);
        return false;
    }
    return true;
}

/* Adds the locators of Mcast_Macs_Remote row 'row' of 'ls' to replication
 * list 'mac' of 'ls' (see mcast_list_add()), or, for service_node
 * replication, to the candidates of the entry of 'choices' for that list
 * and to desired->service_nodes.  A locator in 'down' (dotted quads) is a
 * service node whose tunnel BFD calls down. */
static void
model_add_mcast_row(const struct vteprec_mcast_macs_remote *row,
                    struct dp_ls *ls, struct eth_addr mac,
                    struct dp_state *desired, const struct sset *down,
                    struct shash *choices, struct faults *faults)
{
    const struct vteprec_physical_locator_set *set = row->locator_set;
    bool all = is_source_node(row->logical_switch);
    struct service_choice *choice
        = all ? NULL : service_choice_get(choices, ls, mac);

    for (size_t j = 0; set && j < set->n_locators; j++) {
        ovs_be32 ip;

        if (!locator_ip(set->locators[j], "Mcast_Macs_Remote", row->MAC,
                        ls->name, &ip, faults)
            || ip == desired->tunnel_ip) {
            continue;
        }
        if (all) {
            mcast_list_add(ls, mac, ip);
            continue;
        }

        char s[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, &ip, s, sizeof s);
        sset_add(&desired->service_nodes, s);
        lower_ip(&choice->any, ip);
        if (!down || !sset_contains(down, s)) {
            lower_ip(&choice->healthy, ip);
        }
    }
}

/* Adds the replication lists of bound logical switches, from their
 * Mcast_Macs_Remote rows, to 'desired': the unknown-dst rows give the flood
 * list, the rows of a multicast MAC the multicast group of that MAC (the
 * union of the rows, if there are several).  With source_node replication
 * a list holds every locator.  With service_node (the default) it holds
 * one service node: the lowest IP, over all the rows of the list, among
 * those whose tunnel BFD does not call down (in 'in->down_tunnels'), so
 * that the choice is stable and moves when BFD sees a service node fail;
 * if BFD calls them all down, the lowest IP still. */
static void
model_add_mcast(const struct model_input *in, struct dp_state *desired,
                struct faults *faults)
{
    struct shash choices = SHASH_INITIALIZER(&choices);

    for (size_t i = 0; i < in->n_mcast; i++) {
        const struct vteprec_mcast_macs_remote *row = in->mcast[i];
        struct dp_ls *ls = bound_ls(desired, row->logical_switch);
        struct eth_addr mac;

        if (ls && mcast_row_mac(row, ls, &mac, faults)) {
            model_add_mcast_row(row, ls, mac, desired, in->down_tunnels,
                                &choices, faults);
        }
    }

    struct shash_node *node;
    SHASH_FOR_EACH (node, &choices) {
        const struct service_choice *choice = node->data;
        ovs_be32 ip = choice->healthy ? choice->healthy : choice->any;
        if (ip) {
            mcast_list_add(choice->ls, choice->mac, ip);
        }
    }
    shash_destroy_free_data(&choices);
}

/* Builds in 'desired' (which must be empty) the datapath that the rows in
 * 'in' ask of physical switch 'in->ps', and adds to 'faults' what in the
 * rows cannot be programmed.  The result holds only logical switches
 * bound on this switch, with their bindings, remote MACs, flood lists and
 * multicast groups. */
void
model_build(const struct model_input *in, struct dp_state *desired,
            struct faults *faults)
{
    desired->mac_ageing = in->mac_ageing;
    desired->local_mac_limit = in->limits.max_local_macs_per_ls;
    if (!in->ps) {
        return;
    }

    model_parse_tunnel_ip(in->ps, &desired->tunnel_ip, faults);
    model_add_bindings(in->ps, desired, faults);
    model_add_locator_keys(in, desired, faults);
    model_check_vnis(desired, faults);
    model_add_ucast(in, desired, faults);
    model_apply_limits(&in->limits, desired, faults);
    model_add_arp(in, desired, faults);
    model_add_mcast(in, desired, faults);
    faults_finish(faults);
}

/* Returns a value that changes whenever a table the model reads changes,
 * but for Ucast_Macs_Remote, whose changes model_update_ucast() may apply,
 * and Physical_Locator, whose rows matter only through the rows that refer
 * to them (see model_locator_modified()); and not when only other tables
 * change, such as the Ucast_Macs_Local rows that vtepd writes itself.  So
 * the model is rebuilt only when needed. */
unsigned int
model_input_seqno(const struct ovsdb_idl *idl)
{
    static const struct ovsdb_idl_table_class *const tables[] = {
        &vteprec_table_physical_switch,
        &vteprec_table_physical_port,
        &vteprec_table_logical_switch,
        &vteprec_table_mcast_macs_remote,
        &vteprec_table_physical_locator_set,
    };
    uint32_t hash = 0;

    for (size_t i = 0; i < ARRAY_SIZE(tables); i++) {
        hash = hash_int(ovsdb_idl_table_get_seqno(idl, tables[i]), hash);
    }
    return hash;
}

/* Returns the Physical_Switch row named 'name' in 'idl', or NULL. */
const struct vteprec_physical_switch *
model_find_ps(struct ovsdb_idl *idl, const char *name)
{
    const struct vteprec_physical_switch *ps;

    VTEPREC_PHYSICAL_SWITCH_FOR_EACH (ps, idl) {
        if (!strcmp(ps->name, name)) {
            return ps;
        }
    }
    return NULL;
}

/* Builds 'desired' for physical switch 'ps_name' from the rows in 'idl', as
 * model_build(), with 'down_tunnels' as model_input's. */
void
model_build_from_idl(struct ovsdb_idl *idl, const char *ps_name,
                     unsigned int mac_ageing,
                     const struct model_limits *limits,
                     const struct sset *down_tunnels,
                     struct dp_state *desired, struct faults *faults)
{
    struct model_input in = {
        .ps = model_find_ps(idl, ps_name),
        .mac_ageing = mac_ageing,
        .limits = *limits,
        .down_tunnels = down_tunnels,
    };
    size_t allocated = 0;

    if (!in.ps) {
        svec_add_nocopy(&faults->messages,
                        xasprintf("Physical_Switch %s is not in the database",
                                  ps_name));
    }

    const struct vteprec_ucast_macs_remote *ucast;
    VTEPREC_UCAST_MACS_REMOTE_FOR_EACH (ucast, idl) {
        if (in.n_ucast >= allocated) {
            in.ucast = x2nrealloc(in.ucast, &allocated, sizeof *in.ucast);
        }
        in.ucast[in.n_ucast++] = ucast;
    }

    allocated = 0;
    const struct vteprec_mcast_macs_remote *mcast;
    VTEPREC_MCAST_MACS_REMOTE_FOR_EACH (mcast, idl) {
        if (in.n_mcast >= allocated) {
            in.mcast = x2nrealloc(in.mcast, &allocated, sizeof *in.mcast);
        }
        in.mcast[in.n_mcast++] = mcast;
    }

    model_build(&in, desired, faults);
    free(in.ucast);
    free(in.mcast);
}

/* Asks 'idl' to track the changes of the Ucast_Macs_Remote rows, for
 * model_ucast_changes_from_idl(), and of the Physical_Locator rows, for
 * model_locator_modified(). */
void
model_track_changes(struct ovsdb_idl *idl)
{
    ovsdb_idl_track_add_column(idl, &vteprec_physical_locator_col_tunnel_key);
    ovsdb_idl_track_add_column(idl, &vteprec_ucast_macs_remote_col_MAC);
    ovsdb_idl_track_add_column(idl,
                               &vteprec_ucast_macs_remote_col_logical_switch);
    ovsdb_idl_track_add_column(idl, &vteprec_ucast_macs_remote_col_locator);
    ovsdb_idl_track_add_column(idl, &vteprec_ucast_macs_remote_col_ipaddr);
}

/* Appends 'row' to '*rows' (of '*n', with '*allocated' room). */
static void
model_rows_add(const struct vteprec_ucast_macs_remote ***rows, size_t *n,
               size_t *allocated, const struct vteprec_ucast_macs_remote *row)
{
    if (*n >= *allocated) {
        *rows = x2nrealloc(*rows, allocated, sizeof **rows);
    }
    (*rows)[(*n)++] = row;
}

/* Fills 'changes' (uninitialized) with the Ucast_Macs_Remote rows that
 * 'idl' tracked as inserted or deleted since ovsdb_idl_track_clear().
 * Returns false, with 'changes' empty, if a row that existed before was
 * modified: a deleted row's values are its last ones, and a modified row's
 * old values are gone, so only a full build can follow them. */
bool
model_ucast_changes_from_idl(const struct ovsdb_idl *idl,
                             struct model_ucast_changes *changes)
{
    const struct vteprec_ucast_macs_remote *row;
    size_t n_ins = 0, n_del = 0;

    memset(changes, 0, sizeof *changes);
    VTEPREC_UCAST_MACS_REMOTE_FOR_EACH_TRACKED (row, idl) {
        bool is_new = vteprec_ucast_macs_remote_is_new(row);
        bool deleted = vteprec_ucast_macs_remote_is_deleted(row);

        if (is_new && deleted) {
            continue;
        } else if (is_new) {
            model_rows_add(&changes->inserted, &changes->n_inserted, &n_ins,
                           row);
        } else if (deleted && !vteprec_ucast_macs_remote_row_get_seqno(
                       row, OVSDB_IDL_CHANGE_MODIFY)) {
            model_rows_add(&changes->deleted, &changes->n_deleted, &n_del,
                           row);
        } else {
            model_ucast_changes_destroy(changes);
            return false;
        }
    }
    return true;
}

/* Returns true if a Physical_Locator row that existed before the last
 * ovsdb_idl_track_clear() was modified since: only its tunnel_key can be,
 * and the rows that refer to it may then need another VNI, which only a full
 * build gives.  A locator inserted since is referred to only by rows
 * inserted since (which model_update_ucast() looks at) or by a
 * Physical_Locator_Set (whose table's change model_input_seqno() counts),
 * and a locator deleted is referred to by no row: neither changes the model
 * by itself. */
bool
model_locator_modified(const struct ovsdb_idl *idl)
{
    const struct vteprec_physical_locator *loc;

    VTEPREC_PHYSICAL_LOCATOR_FOR_EACH_TRACKED (loc, idl) {
        if (!vteprec_physical_locator_is_new(loc)
            && !vteprec_physical_locator_is_deleted(loc)) {
            return true;
        }
    }
    return false;
}

/* Frees what 'changes' holds (not the rows) and empties it. */
void
model_ucast_changes_destroy(struct model_ucast_changes *changes)
{
    free(changes->inserted);
    free(changes->deleted);
    memset(changes, 0, sizeof *changes);
}
