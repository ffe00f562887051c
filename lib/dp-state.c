/* dp-state.c -- plain-data description of a datapath. */

#include <config.h>
#include "dp-state.h"

#include <arpa/inet.h>
#include "hash.h"
#include "util.h"

/* Initializes 'state' as an empty datapath. */
void
dp_state_init(struct dp_state *state)
{
    state->tunnel_ip = 0;
    state->mac_ageing = 0;
    state->local_mac_limit = 0;
    hmap_init(&state->switches);
    hmap_init(&state->bindings);
    sset_init(&state->service_nodes);
}

/* Frees everything 'state' holds. */
void
dp_state_destroy(struct dp_state *state)
{
    if (state) {
        dp_state_clear(state);
        hmap_destroy(&state->switches);
        hmap_destroy(&state->bindings);
        sset_destroy(&state->service_nodes);
    }
}

/* Removes every logical switch and binding from 'state'. */
void
dp_state_clear(struct dp_state *state)
{
    struct dp_ls *ls;
    HMAP_FOR_EACH_SAFE (ls, node, &state->switches) {
        dp_state_remove_ls(state, ls);
    }
    struct dp_binding *b;
    HMAP_FOR_EACH_SAFE (b, node, &state->bindings) {
        dp_state_remove_binding(state, b);
    }
    sset_clear(&state->service_nodes);
    state->tunnel_ip = 0;
    state->mac_ageing = 0;
    state->local_mac_limit = 0;
}

/* Returns the logical switch named 'name' in 'state', or NULL. */
struct dp_ls *
dp_state_find_ls(const struct dp_state *state, const char *name)
{
    struct dp_ls *ls;
    HMAP_FOR_EACH_WITH_HASH (ls, node, hash_string(name, 0),
                             &state->switches) {
        if (!strcmp(ls->name, name)) {
            return ls;
        }
    }
    return NULL;
}

/* Adds logical switch 'name' with 'vni' to 'state', which must not have it
 * yet, and returns it. */
struct dp_ls *
dp_state_add_ls(struct dp_state *state, const char *name, uint32_t vni)
{
    struct dp_ls *ls = xmalloc(sizeof *ls);

    ls->name = xstrdup(name);
    ls->vni = vni;
    hmap_init(&ls->remote_macs);
    sset_init(&ls->flood_ips);
    hmap_init(&ls->mcast_groups);
    hmap_init(&ls->arp_entries);
    simap_init(&ls->tunnel_keys);
    ls->arp_rows = false;
    hmap_insert(&state->switches, &ls->node, hash_string(name, 0));
    return ls;
}

/* Removes 'ls' and everything it holds from 'state' and frees it. */
void
dp_state_remove_ls(struct dp_state *state, struct dp_ls *ls)
{
    struct dp_remote_mac *rm;
    HMAP_FOR_EACH_POP (rm, node, &ls->remote_macs) {
        free(rm);
    }
    hmap_destroy(&ls->remote_macs);
    sset_destroy(&ls->flood_ips);
    dp_ls_clear_mcast_groups(ls);
    hmap_destroy(&ls->mcast_groups);
    struct dp_arp_entry *arp;
    HMAP_FOR_EACH_POP (arp, node, &ls->arp_entries) {
        free(arp);
    }
    hmap_destroy(&ls->arp_entries);
    simap_destroy(&ls->tunnel_keys);
    hmap_remove(&state->switches, &ls->node);
    free(ls->name);
    free(ls);
}

/* Returns the hash of binding key (port, vlan). */
static uint32_t
dp_binding_hash(const char *port, uint16_t vlan)
{
    return hash_int(vlan, hash_string(port, 0));
}

/* Returns the binding of (port, vlan) in 'state', or NULL. */
struct dp_binding *
dp_state_find_binding(const struct dp_state *state, const char *port,
                      uint16_t vlan)
{
    struct dp_binding *b;
    HMAP_FOR_EACH_WITH_HASH (b, node, dp_binding_hash(port, vlan),
                             &state->bindings) {
        if (b->vlan == vlan && !strcmp(b->port, port)) {
            return b;
        }
    }
    return NULL;
}

/* Adds binding (port, vlan) -> 'ls' to 'state', which must not have one for
 * (port, vlan) yet, and returns it. */
struct dp_binding *
dp_state_add_binding(struct dp_state *state, const char *port, uint16_t vlan,
                     const char *ls)
{
    struct dp_binding *b = xzalloc(sizeof *b);

    b->port = xstrdup(port);
    b->vlan = vlan;
    b->ls = xstrdup(ls);
    hmap_insert(&state->bindings, &b->node, dp_binding_hash(port, vlan));
    return b;
}

/* Removes 'b' from 'state' and frees it. */
void
dp_state_remove_binding(struct dp_state *state, struct dp_binding *b)
{
    hmap_remove(&state->bindings, &b->node);
    free(b->port);
    free(b->ls);
    free(b);
}

/* Returns the remote MAC 'mac' of 'ls', or NULL. */
struct dp_remote_mac *
dp_ls_find_remote_mac(const struct dp_ls *ls, struct eth_addr mac)
{
    struct dp_remote_mac *rm;
    HMAP_FOR_EACH_WITH_HASH (rm, node, hash_mac(mac, 0, 0),
                             &ls->remote_macs) {
        if (eth_addr_equals(rm->mac, mac)) {
            return rm;
        }
    }
    return NULL;
}

/* Makes 'mac' a remote MAC of 'ls' behind 'dst_ip', with the logical
 * switch's VNI (adding it or moving it), and returns it. */
struct dp_remote_mac *
dp_ls_set_remote_mac(struct dp_ls *ls, struct eth_addr mac, ovs_be32 dst_ip)
{
    struct dp_remote_mac *rm = dp_ls_find_remote_mac(ls, mac);

    if (!rm) {
        rm = xmalloc(sizeof *rm);
        rm->mac = mac;
        rm->n_rows = 0;
        hmap_insert(&ls->remote_macs, &rm->node, hash_mac(mac, 0, 0));
    }
    rm->dst_ip = dst_ip;
    rm->key = 0;
    return rm;
}

/* Removes 'rm' from 'ls' and frees it. */
void
dp_ls_remove_remote_mac(struct dp_ls *ls, struct dp_remote_mac *rm)
{
    hmap_remove(&ls->remote_macs, &rm->node);
    free(rm);
}

/* Returns the VNI of the flood and multicast group entries of 'ls' to
 * remote tunnel IP 'ip' (a dotted quad), 0 for the logical switch's. */
uint32_t
dp_ls_get_tunnel_key(const struct dp_ls *ls, const char *ip)
{
    return simap_get(&ls->tunnel_keys, ip);
}

/* Makes 'key' (0: the logical switch's VNI) the VNI of the flood and
 * multicast group entries of 'ls' to remote tunnel IP 'ip'. */
void
dp_ls_set_tunnel_key(struct dp_ls *ls, const char *ip, uint32_t key)
{
    if (key) {
        simap_put(&ls->tunnel_keys, ip, key);
    } else {
        simap_find_and_delete(&ls->tunnel_keys, ip);
    }
}

/* Returns the ARP entry of 'ls' for 'ip', or NULL. */
struct dp_arp_entry *
dp_ls_find_arp(const struct dp_ls *ls, ovs_be32 ip)
{
    struct dp_arp_entry *arp;
    HMAP_FOR_EACH_WITH_HASH (arp, node, hash_int((OVS_FORCE uint32_t) ip, 0),
                             &ls->arp_entries) {
        if (arp->ip == ip) {
            return arp;
        }
    }
    return NULL;
}

/* Makes 'ls' answer ARP requests for 'ip' with 'mac', adding the entry or
 * changing its MAC, and returns it. */
struct dp_arp_entry *
dp_ls_set_arp(struct dp_ls *ls, ovs_be32 ip, struct eth_addr mac)
{
    struct dp_arp_entry *arp = dp_ls_find_arp(ls, ip);

    if (!arp) {
        arp = xmalloc(sizeof *arp);
        arp->ip = ip;
        hmap_insert(&ls->arp_entries, &arp->node,
                    hash_int((OVS_FORCE uint32_t) ip, 0));
    }
    arp->mac = mac;
    return arp;
}

/* Removes ARP entry 'arp' from 'ls' and frees it. */
void
dp_ls_remove_arp(struct dp_ls *ls, struct dp_arp_entry *arp)
{
    hmap_remove(&ls->arp_entries, &arp->node);
    free(arp);
}

/* Returns the multicast group 'mac' of 'ls', or NULL. */
struct dp_mcast_group *
dp_ls_find_mcast_group(const struct dp_ls *ls, struct eth_addr mac)
{
    struct dp_mcast_group *g;
    HMAP_FOR_EACH_WITH_HASH (g, node, hash_mac(mac, 0, 0),
                             &ls->mcast_groups) {
        if (eth_addr_equals(g->mac, mac)) {
            return g;
        }
    }
    return NULL;
}

/* Returns the multicast group 'mac' of 'ls', adding it without remotes if
 * 'ls' has none.  The caller must give it a remote. */
struct dp_mcast_group *
dp_ls_add_mcast_group(struct dp_ls *ls, struct eth_addr mac)
{
    struct dp_mcast_group *g = dp_ls_find_mcast_group(ls, mac);

    if (!g) {
        g = xmalloc(sizeof *g);
        g->mac = mac;
        sset_init(&g->ips);
        hmap_insert(&ls->mcast_groups, &g->node, hash_mac(mac, 0, 0));
    }
    return g;
}

/* Removes 'g' from 'ls' and frees it. */
void
dp_ls_remove_mcast_group(struct dp_ls *ls, struct dp_mcast_group *g)
{
    hmap_remove(&ls->mcast_groups, &g->node);
    sset_destroy(&g->ips);
    free(g);
}

/* Removes every multicast group of 'ls'. */
void
dp_ls_clear_mcast_groups(struct dp_ls *ls)
{
    struct dp_mcast_group *g;
    HMAP_FOR_EACH_SAFE (g, node, &ls->mcast_groups) {
        dp_ls_remove_mcast_group(ls, g);
    }
}

/* Adds remote 'ip' to multicast group 'mac' of 'ls', adding the group if
 * needed.  Returns true if the group did not have 'ip' yet. */
bool
dp_ls_add_mcast_ip(struct dp_ls *ls, struct eth_addr mac, ovs_be32 ip)
{
    char s[INET_ADDRSTRLEN];

    return sset_add(&dp_ls_add_mcast_group(ls, mac)->ips,
                    inet_ntop(AF_INET, &ip, s, sizeof s)) != NULL;
}

/* Removes remote 'ip' from multicast group 'mac' of 'ls', and the group if
 * that was its last remote. */
void
dp_ls_remove_mcast_ip(struct dp_ls *ls, struct eth_addr mac, ovs_be32 ip)
{
    struct dp_mcast_group *g = dp_ls_find_mcast_group(ls, mac);
    char s[INET_ADDRSTRLEN];

    if (g) {
        sset_find_and_delete(&g->ips, inet_ntop(AF_INET, &ip, s, sizeof s));
        if (sset_is_empty(&g->ips)) {
            dp_ls_remove_mcast_group(ls, g);
        }
    }
}

/* Returns the number of remote MACs over all logical switches of 'state'. */
size_t
dp_state_count_remote_macs(const struct dp_state *state)
{
    const struct dp_ls *ls;
    size_t n = 0;

    HMAP_FOR_EACH (ls, node, &state->switches) {
        n += hmap_count(&ls->remote_macs);
    }
    return n;
}

/* Adds ('ls', 'mac') to 'keys', a set of struct dp_mac_key, unless it is
 * there already. */
void
dp_mac_keys_add(struct hmap *keys, const struct dp_ls *ls,
                struct eth_addr mac)
{
    uint32_t hash = hash_mac(mac, 0, hash_pointer(ls, 0));
    struct dp_mac_key *k;

    HMAP_FOR_EACH_WITH_HASH (k, node, hash, keys) {
        if (k->ls == ls && eth_addr_equals(k->mac, mac)) {
            return;
        }
    }
    k = xmalloc(sizeof *k);
    k->ls = ls;
    k->mac = mac;
    hmap_insert(keys, &k->node, hash);
}

/* Frees the members of 'keys', a set of struct dp_mac_key, and the set. */
void
dp_mac_keys_destroy(struct hmap *keys)
{
    struct dp_mac_key *k;

    HMAP_FOR_EACH_POP (k, node, keys) {
        free(k);
    }
    hmap_destroy(keys);
}

/* Returns the hash of local MAC key (ls, mac). */
uint32_t
dp_local_mac_hash(const char *ls, struct eth_addr mac)
{
    return hash_mac(mac, 0, hash_string(ls, 0));
}

/* Returns the entry for (ls, mac) in local MAC table 'macs', or NULL. */
struct dp_local_mac *
dp_local_mac_find(const struct hmap *macs, const char *ls,
                  struct eth_addr mac)
{
    struct dp_local_mac *lm;
    HMAP_FOR_EACH_WITH_HASH (lm, node, dp_local_mac_hash(ls, mac), macs) {
        if (eth_addr_equals(lm->mac, mac) && !strcmp(lm->ls, ls)) {
            return lm;
        }
    }
    return NULL;
}

/* Records in 'macs' that 'mac' was learned in 'ls' on (port, vlan), adding
 * the entry or moving it, and returns it. */
struct dp_local_mac *
dp_local_mac_add(struct hmap *macs, const char *ls, struct eth_addr mac,
                 const char *port, uint16_t vlan)
{
    struct dp_local_mac *lm = dp_local_mac_find(macs, ls, mac);

    if (!lm) {
        lm = xmalloc(sizeof *lm);
        lm->ls = xstrdup(ls);
        lm->mac = mac;
        lm->port = NULL;
        lm->ip = 0;
        hmap_insert(macs, &lm->node, dp_local_mac_hash(ls, mac));
    }
    if (!lm->port || strcmp(lm->port, port)) {
        free(lm->port);
        lm->port = xstrdup(port);
    }
    lm->vlan = vlan;
    return lm;
}

/* Adds to 'ips' every remote tunnel endpoint that 'state' uses, for remote
 * MACs, in a flood list or in a multicast group, or as a service node, as a
 * dotted-quad string: the switch's tunnels. */
void
dp_state_get_remote_ips(const struct dp_state *state, struct sset *ips)
{
    const struct dp_ls *ls;
    const char *node;

    SSET_FOR_EACH (node, &state->service_nodes) {
        sset_add(ips, node);
    }
    HMAP_FOR_EACH (ls, node, &state->switches) {
        const struct dp_mcast_group *g;
        const struct dp_remote_mac *rm;
        ovs_be32 last = 0;
        const char *ip;

        SSET_FOR_EACH (ip, &ls->flood_ips) {
            sset_add(ips, ip);
        }
        HMAP_FOR_EACH (g, node, &ls->mcast_groups) {
            SSET_FOR_EACH (ip, &g->ips) {
                sset_add(ips, ip);
            }
        }
        HMAP_FOR_EACH (rm, node, &ls->remote_macs) {
            /* Many MACs share an endpoint; format each one once. */
            if (rm->dst_ip != last) {
                char s[INET_ADDRSTRLEN];
                sset_add(ips, inet_ntop(AF_INET, &rm->dst_ip, s, sizeof s));
                last = rm->dst_ip;
            }
        }
    }
}

/* Removes 'lm' from 'macs' and frees it. */
void
dp_local_mac_remove(struct hmap *macs, struct dp_local_mac *lm)
{
    hmap_remove(macs, &lm->node);
    free(lm->ls);
    free(lm->port);
    free(lm);
}

/* Removes every entry of local MAC table 'macs'. */
void
dp_local_macs_clear(struct hmap *macs)
{
    struct dp_local_mac *lm;
    HMAP_FOR_EACH_SAFE (lm, node, macs) {
        dp_local_mac_remove(macs, lm);
    }
}
