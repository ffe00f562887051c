/* model.h -- the desired datapath of one physical switch, from the
 * hardware_vtep database.
 *
 * Pure data: model_build() reads IDL rows (which unit tests can also make
 * by hand) and does no I/O. */

#ifndef VTEPD_MODEL_H
#define VTEPD_MODEL_H 1

#include <stddef.h>
#include "dp-state.h"

struct faults;
struct hmap;
struct ovsdb_idl;
struct vteprec_physical_switch;
struct vteprec_ucast_macs_remote;
struct vteprec_mcast_macs_remote;

/* Caps on what model_build() programs; 0 means no cap. */
struct model_limits {
    size_t max_macs_per_ls;     /* Remote MACs in one logical switch. */
    size_t max_macs;            /* Remote MACs in all logical switches. */
    unsigned int max_local_macs_per_ls; /* MACs the datapath learns in one
                                         * logical switch. */
};

/* What model_build() reads. */
struct model_input {
    const struct vteprec_physical_switch *ps;   /* NULL if not (yet) in
                                                 * the database. */
    const struct vteprec_ucast_macs_remote **ucast;  /* All rows. */
    size_t n_ucast;                                  /* Number of 'ucast'. */
    const struct vteprec_mcast_macs_remote **mcast;  /* All rows. */
    size_t n_mcast;                                  /* Number of 'mcast'. */
    unsigned int mac_ageing;                    /* Seconds. */
    struct model_limits limits;                 /* Caps. */
    const struct sset *down_tunnels;            /* Remote tunnel IPs
                                                 * (dotted quads) whose BFD
                                                 * says they cannot
                                                 * forward, or NULL. */
};

/* Changes to the Ucast_Macs_Remote rows since a model_build(). */
struct model_ucast_changes {
    const struct vteprec_ucast_macs_remote **inserted; /* New rows. */
    size_t n_inserted;                                 /* Number of them. */
    const struct vteprec_ucast_macs_remote **deleted;  /* Rows gone, with
                                                        * their last
                                                        * values. */
    size_t n_deleted;                                  /* Number of them. */
};

void model_build(const struct model_input *, struct dp_state *desired,
                 struct faults *);
bool model_update_ucast(const struct model_ucast_changes *,
                        const struct model_limits *,
                        struct dp_state *desired, struct hmap *touched);
void model_build_from_idl(struct ovsdb_idl *, const char *ps_name,
                          unsigned int mac_ageing,
                          const struct model_limits *,
                          const struct sset *down_tunnels,
                          struct dp_state *desired, struct faults *);

void model_track_changes(struct ovsdb_idl *);
bool model_locator_modified(const struct ovsdb_idl *);
bool model_ucast_changes_from_idl(const struct ovsdb_idl *,
                                  struct model_ucast_changes *);
void model_ucast_changes_destroy(struct model_ucast_changes *);

unsigned int model_input_seqno(const struct ovsdb_idl *);
const struct vteprec_physical_switch *model_find_ps(struct ovsdb_idl *,
                                                    const char *name);
bool model_parse_mac(const char *, struct eth_addr *);
bool model_parse_tunnel_ip(const struct vteprec_physical_switch *,
                           ovs_be32 *ip, struct faults *);

#endif /* model.h */
