/* vtep-db.h -- the rows vtepd writes into the hardware_vtep database.
 *
 * vtep-db owns Physical_Switch and Physical_Port rows when the switch comes
 * from a configuration file, and the switch's own state in every mode:
 * Ucast_Macs_Local (learned MACs), Mcast_Macs_Local (unknown-dst towards
 * the own locator), the own Physical_Locator, the Tunnel rows of the
 * switch (and the locators of their remote ends, where missing), the
 * Logical_Binding_Stats rows of its bindings, and the switch_fault_status
 * and port_fault_status columns.  It writes nothing else. */

#ifndef VTEPD_VTEP_DB_H
#define VTEPD_VTEP_DB_H 1

#include "dp-state.h"

struct dp;
struct faults;
struct ovsdb_idl;
struct ovsdb_idl_index;
struct ovsdb_idl_txn;
struct sset;
struct switch_config;
struct tunnel_bfd;

/* What vtep_db_run() works from. */
struct vtep_db_ctx {
    struct ovsdb_idl *idl;              /* Database contents. */
    struct ovsdb_idl_index *ls_by_name; /* Logical_Switch rows by name, from
                                         * vtep_db_create_ls_index(). */
    struct ovsdb_idl_txn *txn;          /* Transaction to add writes to. */
    const char *ps_name;                /* Physical switch vtepd plays. */
    const struct switch_config *cfg;    /* Config file, NULL in drop-in
                                         * mode (vtep-ctl made the rows). */
    const struct dp_state *desired;     /* Desired datapath (model). */
    const struct faults *faults;        /* What the switch cannot do. */
    const struct sset *remote_ips;      /* Remote tunnel endpoints in use. */
    const struct dp *dp;                /* Datapath: local MACs, ports. */
    const struct tunnel_bfd *bfd;       /* BFD sessions, for bfd_status. */
};

struct ovsdb_idl_index *vtep_db_create_ls_index(struct ovsdb_idl *);
void vtep_db_omit_alerts(struct ovsdb_idl *);
void vtep_db_run(const struct vtep_db_ctx *);
void vtep_db_run_stats(const struct vtep_db_ctx *);

#endif /* vtep-db.h */
