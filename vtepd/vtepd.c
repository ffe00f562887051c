/* vtepd -- a hardware VTEP emulator: plays one Physical_Switch of the
 * hardware_vtep database and programs it into a datapath. */

#include <config.h>

#include <errno.h>
#include <getopt.h>
#if HAVE_DECL_MALLOC_TRIM
#include <malloc.h>
#endif
#include <arpa/inet.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "command-line.h"
#include "coverage.h"
#include "daemon.h"
#include "dirs.h"
#include "dp.h"
#include "fatal-signal.h"
#include "fault-log.h"
#include "faults.h"
#include "memory.h"
#include "model.h"
#include "openvswitch/dynamic-string.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "openvswitch/poll-loop.h"
#include "privileges.h"
#include "reconcile.h"
#include "remote-mac-cond.h"
#include "simap.h"
#include "smap.h"
#include "stream-ssl.h"
#include "stream.h"
#include "switch-config.h"
#include "timeval.h"
#include "tunnel-bfd.h"
#include "unixctl.h"
#include "util.h"
#include "vtep-db.h"
#include "vtep-idl.h"

VLOG_DEFINE_THIS_MODULE(vtepd);

COVERAGE_DEFINE(model_rebuild);
COVERAGE_DEFINE(model_rebuild_needed);
COVERAGE_DEFINE(model_update);

/* Command-line settings. */
static char *db_remote;             /* --db: hardware_vtep database. */
static char *unixctl_path;          /* --unixctl: control socket. */
static char *config_file;           /* --config: YAML file, or NULL. */
static char *datapath_type;         /* --datapath: provider type. */
static char *ps_name;               /* Physical switch to play. */
static unsigned int stats_interval = 5; /* --stats-interval: seconds between
                                         * binding counter updates, 0 for
                                         * none. */
static struct model_limits limits = {   /* --max-macs-per-ls, --max-macs,
                                         * --max-local-macs-per-ls. */
    .max_macs_per_ls = 1000000,
    .max_macs = 1000000,
    .max_local_macs_per_ls = 1000000,
};
static struct switch_config config; /* Parsed --config file. */

/* Longest wait before retrying datapath operations that failed, in ms. */
#define VTEPD_MAX_RETRY_MS 8000

/* Wait before computing the database writes again after a transaction
 * failed, in ms. */
#define VTEPD_DB_RETRY_MS 1000

/* The daemon's state, shared by the main loop and unixctl commands. */
struct vtepd {
    struct ovsdb_idl_loop idl_loop; /* Database connection. */
    struct ovsdb_idl_index *ls_by_name; /* Logical_Switch rows by name. */
    struct remote_mac_cond mac_cond;    /* Which remote MACs the IDL
                                         * replicates. */
    bool macs_synced;               /* Has the IDL held the remote MACs of
                                     * every bound logical switch, once? */
    struct dp *dp;                  /* Datapath. */
    struct tunnel_bfd *bfd;         /* BFD on the switch's tunnels. */
    struct dp_state desired;        /* Desired datapath, from the model. */
    struct faults faults;           /* What the switch cannot do. */
    struct fault_log fault_log;     /* The log lines about 'faults'. */
    struct sset remote_ips;         /* Remote tunnel endpoints 'desired'
                                     * uses: the switch's tunnels. */
    struct sset down_tunnels;       /* Remote tunnel IPs whose BFD session
                                     * says they cannot forward, which
                                     * service_node replication avoids. */
    unsigned int model_seqno;       /* model_input_seqno() that 'desired'
                                     * was built at. */
    unsigned int ucast_seqno;       /* Ucast_Macs_Remote's table seqno that
                                     * 'desired' is up to date with. */
    unsigned int locator_seqno;     /* Physical_Locator's table seqno last
                                     * checked for model_locator_modified(). */
    bool rebuild_due;               /* The next reconciliation rebuilds the
                                     * model (something other than
                                     * Ucast_Macs_Remote rows changed, or
                                     * the last pass did not finish). */
    unsigned int idl_seqno;         /* IDL seqno the database writes were
                                     * computed at. */
    uint64_t ports_seq;             /* dp->ports_seq at the last build. */
    uint64_t local_macs_seq;        /* dp->local_macs_seq last written. */
    struct sset full_switches;      /* Logical switches that learned as
                                     * many local MACs as they may. */
    bool db_dirty;                  /* Database writes are due. */
    bool stats_dirty;               /* Only counters are to be written. */
    bool reconcile_due;             /* Reconciliation is due. */
    long long int retry_at;         /* When to retry failed ops, or
                                     * LLONG_MAX. */
    int retry_ms;                   /* Current retry backoff. */
    size_t n_failed;                /* Ops that failed in the last pass. */
    bool exiting;                   /* "exit" was requested. */
    long long int stats_at;         /* When to read the binding counters
                                     * next, or LLONG_MAX. */
};

OVS_NO_RETURN static void usage(void);
static void parse_options(int argc, char *argv[]);
static void warn_plain_tcp(const char *remotes);
static unixctl_cb_func vtepd_unixctl_exit;
static unixctl_cb_func vtepd_unixctl_show;
static unixctl_cb_func vtepd_unixctl_dump_macs;

/* Adds to 'faults' the bound ports that the datapath does not have.  New
 * bindings of such ports are left out of the desired datapath: they are
 * programmed when the port appears (which triggers a reconciliation), so
 * nothing is retried in the meantime.  Bindings the datapath already has
 * stay, so that a port that goes away for a moment finds them again. */
static void
drop_missing_port_bindings(struct vtepd *v, struct faults *faults)
{
    struct dp_binding *b;

    HMAP_FOR_EACH_SAFE (b, node, &v->desired.bindings) {
        if (!sset_contains(&v->dp->ports, b->port)) {
            const struct dp_binding *have
                = dp_state_find_binding(&v->dp->actual, b->port, b->vlan);

            faults_add_port(faults, b->port, FAULT_UNSPECIFIED,
                            "port_missing", "Physical_Port %s: no such "
                            "network device", b->port);
            if (!have || strcmp(have->ls, b->ls)) {
                dp_state_remove_binding(&v->desired, b);
            }
        }
    }
}

/* Adds to 'faults' the logical switches whose learned MACs reached the
 * limit. */
static void
add_full_switch_faults(const struct vtepd *v, struct faults *faults)
{
    const char *ls;

    SSET_FOR_EACH (ls, &v->full_switches) {
        faults_add_switch(faults, FAULT_MAC_TABLE_EXHAUSTION,
                          "local_mac_limit", "Logical_Switch %s has learned "
                          "the limit of %u local MACs; new ones are not "
                          "learned", ls, v->dp->actual.local_mac_limit);
    }
}

/* Notes which logical switches learned as many local MACs as they may; a
 * change in that set changes the faults, so it makes a reconciliation
 * due. */
static void
check_full_switches(struct vtepd *v)
{
    struct sset full = SSET_INITIALIZER(&full);

    dp_get_full_switches(v->dp, &full);
    if (!sset_equals(&full, &v->full_switches)) {
        sset_swap(&full, &v->full_switches);
        v->reconcile_due = v->rebuild_due = true;
    }
    sset_destroy(&full);
}

/* Adds to 'faults' the operations in 'ops' that the datapath failed: a
 * binding that cannot be made is a fault of its port, anything else one of
 * the switch.  The faults stay until a retry succeeds. */
static void
add_failed_ops(const struct ovs_list *ops, struct faults *faults)
{
    const struct dp_op *op;

    LIST_FOR_EACH (op, list_node, ops) {
        if (!op->error) {
            continue;
        }

        struct ds s = DS_EMPTY_INITIALIZER;
        dp_op_format(op, &s);
        if (op->type == DP_OP_BIND_ADD) {
            faults_add_port(faults, op->port, FAULT_INVALID_VLAN_MAP,
                            "binding_failed", "datapath failed: %s",
                            ds_cstr(&s));
        } else {
            faults_add_switch(faults, FAULT_UNSPECIFIED, "datapath_error",
                              "datapath failed: %s", ds_cstr(&s));
        }
        ds_destroy(&s);
    }
}

/* Notes which tunnels BFD calls down.  A change moves service_node
 * replication lists off or back onto them, so it makes a reconciliation
 * due, and is logged. */
static void
check_down_tunnels(struct vtepd *v)
{
    struct sset down = SSET_INITIALIZER(&down);
    const char *ip;

    tunnel_bfd_get_down(v->bfd, &down);
    if (!sset_equals(&down, &v->down_tunnels)) {
        SSET_FOR_EACH (ip, &down) {
            if (!sset_contains(&v->down_tunnels, ip)) {
                VLOG_INFO("%s: BFD says the tunnel to %s cannot forward; "
                          "service node replication avoids it", ps_name, ip);
            }
        }
        SSET_FOR_EACH (ip, &v->down_tunnels) {
            if (!sset_contains(&down, ip)) {
                VLOG_INFO("%s: the tunnel to %s is no longer down for BFD",
                          ps_name, ip);
            }
        }
        sset_swap(&down, &v->down_tunnels);
        v->reconcile_due = v->rebuild_due = true;
        poll_immediate_wake();
    }
    sset_destroy(&down);
}

/* A pass with at least this many datapath changes gives the memory it freed
 * back to the system afterwards. */
#define VTEPD_TRIM_OPS 1000

/* Returns the memory that the C library holds free (e.g. what a large
 * database update and its many datapath changes used for a moment) to the
 * system, after a pass of 'n_ops' datapath changes, if that is many. */
static void
trim_memory(size_t n_ops)
{
#if HAVE_DECL_MALLOC_TRIM
    if (n_ops >= VTEPD_TRIM_OPS) {
        malloc_trim(0);
    }
#else
    (void) n_ops;
#endif
}

/* Logs each of the 'n_ops' operations in 'ops' at debug level, then a
 * summary. */
static void
log_ops(const struct ovs_list *ops, size_t n_ops, size_t n_failed)
{
    /* Providers log failures themselves, with the reason.  The list can
     * hold hundreds of thousands of changes: walk it only to log them. */
    if (VLOG_IS_DBG_ENABLED()) {
        const struct dp_op *op;

        LIST_FOR_EACH (op, list_node, ops) {
            struct ds s = DS_EMPTY_INITIALIZER;
            dp_op_format(op, &s);
            VLOG_DBG("%s: %s", ps_name, ds_cstr(&s));
            ds_destroy(&s);
        }
    }
    VLOG_INFO("%s: %"PRIuSIZE" datapath changes, %"PRIuSIZE" failed",
              ps_name, n_ops, n_failed);
}

/* Brings the desired datapath and the datapath up to date with the
 * Ucast_Macs_Remote rows inserted and deleted since the last pass, when
 * nothing else changed, at the cost of those rows only, and sets '*n_ops'
 * to the number of datapath changes that took.  Returns false if it takes
 * a full rebuild (see model_update_ucast()), having changed nothing in the
 * datapath. */
static bool
vtepd_update_ucast(struct vtepd *v, size_t *n_ops)
{
    struct model_ucast_changes changes;
    struct hmap touched = HMAP_INITIALIZER(&touched);
    struct ovs_list ops = OVS_LIST_INITIALIZER(&ops);
    bool ok;

    ok = (model_ucast_changes_from_idl(v->idl_loop.idl, &changes)
          && model_update_ucast(&changes, &limits, &v->desired, &touched)
          && reconcile_remote_macs(&v->dp->actual, &touched, &ops));
    model_ucast_changes_destroy(&changes);
    dp_mac_keys_destroy(&touched);
    if (!ok) {
        COVERAGE_INC(model_rebuild_needed);
        dp_ops_destroy(&ops);
        return false;
    }

    COVERAGE_INC(model_update);
    *n_ops = ovs_list_size(&ops);
    if (*n_ops) {
        size_t n_failed = dp_execute(v->dp, &ops);
        log_ops(&ops, *n_ops, n_failed);
        if (n_failed) {
            /* The full pass retries them and reports them as faults. */
            v->reconcile_due = v->rebuild_due = true;
            poll_immediate_wake();
        }
    }
    dp_ops_destroy(&ops);

    sset_clear(&v->remote_ips);
    dp_state_get_remote_ips(&v->desired, &v->remote_ips);
    return true;
}

/* Brings the datapath to what the database asks: for changes of
 * Ucast_Macs_Remote rows alone, through vtepd_update_ucast(), otherwise by
 * rebuilding the desired datapath from the database. */
static void
vtepd_reconcile(struct vtepd *v)
{
    struct ovsdb_idl *idl = v->idl_loop.idl;
    struct faults faults;
    unsigned int ageing = (config_file ? config.mac_ageing
                           : SWITCH_CONFIG_DEFAULT_AGEING);

    bool rebuild = v->rebuild_due;
    size_t n_ops;
    v->rebuild_due = false;
    if (!rebuild && vtepd_update_ucast(v, &n_ops)) {
        /* The rows deleted since the last pass go with the tracking. */
        ovsdb_idl_track_clear(idl);
        trim_memory(n_ops);
        return;
    }
    ovsdb_idl_track_clear(idl);
    COVERAGE_INC(model_rebuild);

    faults_init(&faults);
    dp_state_clear(&v->desired);
    model_build_from_idl(idl, ps_name, ageing, &limits, &v->down_tunnels,
                         &v->desired, &faults);
    drop_missing_port_bindings(v, &faults);
    add_full_switch_faults(v, &faults);

    struct ovs_list ops = OVS_LIST_INITIALIZER(&ops);
    reconcile(&v->desired, &v->dp->actual, &ops);
    n_ops = ovs_list_size(&ops);
    if (n_ops) {
        v->n_failed = dp_execute(v->dp, &ops);
        add_failed_ops(&ops, &faults);
        log_ops(&ops, n_ops, v->n_failed);
    } else {
        v->n_failed = 0;
    }
    dp_ops_destroy(&ops);
    trim_memory(n_ops);

    sset_clear(&v->remote_ips);
    dp_state_get_remote_ips(&v->desired, &v->remote_ips);

    faults_finish(&faults);
    fault_log_changes(&v->fault_log, ps_name, &v->faults, &faults);
    faults_swap(&v->faults, &faults);
    faults_destroy(&faults);

    if (v->n_failed) {
        v->retry_at = time_msec() + v->retry_ms;
        v->retry_ms = MIN(v->retry_ms * 2, VTEPD_MAX_RETRY_MS);
    } else {
        v->retry_at = LLONG_MAX;
        v->retry_ms = 1000;
    }
    v->db_dirty = true;
}

/* Adds what vtepd holds in memory to 'usage', for memory/show and the
 * memory reports in the log. */
static void
vtepd_get_memory_usage(const struct vtepd *v, struct simap *usage)
{
    const struct dp_state *actual = &v->dp->actual;

    simap_increase(usage, "logical-switches", hmap_count(&actual->switches));
    simap_increase(usage, "bindings", hmap_count(&actual->bindings));
    simap_increase(usage, "remote-macs", dp_state_count_remote_macs(actual));
    simap_increase(usage, "local-macs", hmap_count(&v->dp->local_macs));
    simap_increase(usage, "bfd-sessions", tunnel_bfd_count(v->bfd));
    ovsdb_idl_get_memory_usage(v->idl_loop.idl, usage);
}

/* One iteration of the main loop, up to (not including) poll_block(). */
static void
vtepd_run(struct vtepd *v, struct unixctl_server *unixctl)
{
    struct ovsdb_idl *idl = v->idl_loop.idl;
    struct ovsdb_idl_txn *txn = ovsdb_idl_loop_run(&v->idl_loop);
    bool connected = ovsdb_idl_has_ever_connected(idl);

    /* Commands first, so that what they change in the datapath (e.g. in the
     * dummy one) is seen below in the same iteration. */
    unixctl_server_run(unixctl);
    dp_run(v->dp);
    if (tunnel_bfd_run(v->bfd)) {
        v->db_dirty = true;
        check_down_tunnels(v);
    }
    fault_log_run(&v->fault_log);
    memory_run();
    if (memory_should_report()) {
        struct simap usage = SIMAP_INITIALIZER(&usage);
        vtepd_get_memory_usage(v, &usage);
        memory_report(&usage);
        simap_destroy(&usage);
    }

    /* The model is rebuilt when the rows it reads change or ports come and
     * go; the database writes are recomputed on any change of the database
     * (e.g. someone deleted a row vtepd wrote). */
    unsigned int model_seqno = model_input_seqno(idl);
    if (model_seqno != v->model_seqno || v->dp->ports_seq != v->ports_seq) {
        v->model_seqno = model_seqno;
        v->ports_seq = v->dp->ports_seq;
        v->reconcile_due = v->rebuild_due = true;
    }
    unsigned int ucast_seqno
        = ovsdb_idl_table_get_seqno(idl, &vteprec_table_ucast_macs_remote);
    if (ucast_seqno != v->ucast_seqno) {
        v->ucast_seqno = ucast_seqno;
        v->reconcile_due = true;
    }
    unsigned int locator_seqno
        = ovsdb_idl_table_get_seqno(idl, &vteprec_table_physical_locator);
    if (locator_seqno != v->locator_seqno) {
        v->locator_seqno = locator_seqno;
        if (model_locator_modified(idl)) {
            v->reconcile_due = v->rebuild_due = true;
        }
    }
    unsigned int idl_seqno = ovsdb_idl_get_seqno(idl);
    if (idl_seqno != v->idl_seqno) {
        v->idl_seqno = idl_seqno;
        v->db_dirty = true;
    }
    if (time_msec() >= v->retry_at) {
        v->reconcile_due = v->rebuild_due = true;
    }
    if (time_msec() >= v->stats_at) {
        dp_refresh_stats(v->dp);
        v->stats_at = time_msec() + stats_interval * 1000LL;
        v->stats_dirty = true;
    }
    if (v->dp->local_macs_seq != v->local_macs_seq) {
        v->local_macs_seq = v->dp->local_macs_seq;
        v->db_dirty = true;
        check_full_switches(v);
    }
    /* Until the IDL has held the remote MACs of every bound logical switch
     * once, a reconciliation would take out of the kernel those still on
     * their way (at a restart, all of them), and the database writes and
     * BFD sessions, which follow the desired datapath, would go by one that
     * is not built yet. */
    if (remote_mac_cond_run(&v->mac_cond, idl, ps_name) && connected) {
        v->macs_synced = true;
    }
    bool ready = connected && v->macs_synced;
    if (v->reconcile_due && ready) {
        v->reconcile_due = false;
        vtepd_reconcile(v);
    }
    /* The BFD sessions follow the Tunnel rows and the tunnel IP, which
     * change only with the database or a reconciliation. */
    if (v->db_dirty && ready) {
        tunnel_bfd_configure(v->bfd, model_find_ps(idl, ps_name),
                             v->desired.tunnel_ip);
        check_down_tunnels(v);
    }

    /* Without a transaction (one is still being committed, or the database
     * is away), the writes wait: the IDL wakes the loop when they can go. */
    if (txn && (v->db_dirty || v->stats_dirty) && ready) {
        struct vtep_db_ctx ctx = {
            .idl = idl,
            .ls_by_name = v->ls_by_name,
            .txn = txn,
            .ps_name = ps_name,
            .cfg = config_file ? &config : NULL,
            .desired = &v->desired,
            .faults = &v->faults,
            .remote_ips = &v->remote_ips,
            .dp = v->dp,
            .bfd = v->bfd,
        };
        if (v->db_dirty) {
            vtep_db_run(&ctx);
        } else {
            vtep_db_run_stats(&ctx);
        }
        v->db_dirty = v->stats_dirty = false;
    }

    if (!ovsdb_idl_loop_commit_and_wait(&v->idl_loop)) {
        /* The transaction failed (e.g. the connection dropped, another
         * client changed the rows first, or the server refused it):
         * compute the writes again, at the latest in a second, since a
         * refusal brings no change from the database to wake up for. */
        v->db_dirty = true;
        poll_timer_wait(VTEPD_DB_RETRY_MS);
    }

    /* Detach once the first reconciliation has been tried; operations that
     * failed are retried in the background. */
    if (connected && !v->reconcile_due) {
        daemonize_complete();
    }
}

/* Arranges for poll_block() to wake up when there is work. */
static void
vtepd_wait(struct vtepd *v, struct unixctl_server *unixctl)
{
    dp_wait(v->dp);
    tunnel_bfd_wait(v->bfd);
    fault_log_wait(&v->fault_log);
    unixctl_server_wait(unixctl);
    memory_wait();
    if (v->retry_at != LLONG_MAX) {
        poll_timer_wait_until(v->retry_at);
    }
    poll_timer_wait_until(v->stats_at);
    if (v->exiting) {
        poll_immediate_wake();
    }
}

int
main(int argc, char *argv[])
{
    struct unixctl_server *unixctl;
    struct vtepd v;
    int error;

    /* Whatever the umask it was started with, nothing vtepd creates (pid
     * file, log file, control socket) is writable by group or others. */
    umask(umask(0) | S_IWGRP | S_IWOTH);

    ovs_cmdl_proctitle_init(argc, argv);
    set_program_name(argv[0]);
    service_start(&argc, &argv);
    parse_options(argc, argv);
    fatal_ignore_sigpipe();

    /* With --user, keep the capabilities that programming the kernel
     * needs (CAP_NET_ADMIN and friends), after making what needs more. */
    dp_prepare(datapath_type);
    if (!strcmp(datapath_type, "linux")) {
        tunnel_bfd_prepare();
    }
    daemonize_start(!strcmp(datapath_type, "linux"));
    privileges_drop_extra();

    error = unixctl_server_create(unixctl_path, &unixctl);
    if (error) {
        ovs_fatal(error, "could not create unixctl server");
    }

    memset(&v, 0, sizeof v);
    v.idl_loop = (struct ovsdb_idl_loop) OVSDB_IDL_LOOP_INITIALIZER(
        ovsdb_idl_create(db_remote, &vteprec_idl_class, true, true));
    /* Any member of a cluster will do, as for ovn-controller: a follower's
     * data are the leader's a moment later (the IDL never moves to a member
     * older than what it has seen) and it passes writes on to the leader.
     * Holding out for the leader would leave the switch blind for seconds
     * after a leader dies, while the IDL backs off from member to member. */
    ovsdb_idl_set_leader_only(v.idl_loop.idl, false);
    v.ls_by_name = vtep_db_create_ls_index(v.idl_loop.idl);
    remote_mac_cond_init(&v.mac_cond, v.idl_loop.idl);
    vtep_db_omit_alerts(v.idl_loop.idl);
    dp_state_init(&v.desired);
    faults_init(&v.faults);
    fault_log_init(&v.fault_log);
    sset_init(&v.remote_ips);
    sset_init(&v.down_tunnels);
    sset_init(&v.full_switches);
    v.idl_seqno = ovsdb_idl_get_seqno(v.idl_loop.idl);
    v.model_seqno = model_input_seqno(v.idl_loop.idl);
    v.rebuild_due = true;
    model_track_changes(v.idl_loop.idl);
    v.retry_at = LLONG_MAX;
    v.retry_ms = 1000;
    v.stats_at = stats_interval ? time_msec() : LLONG_MAX;

    error = dp_open(datapath_type, ps_name, &v.dp);
    if (error) {
        ovs_fatal(error, "%s: could not open %s datapath", ps_name,
                  datapath_type);
    }
    v.ports_seq = v.dp->ports_seq - 1;
    v.bfd = tunnel_bfd_create();
    VLOG_INFO("%s: playing physical switch on %s datapath, database %s",
              ps_name, datapath_type, db_remote);
    warn_plain_tcp(db_remote);

    unixctl_command_register("exit", "", 0, 0, vtepd_unixctl_exit, &v);
    unixctl_command_register("vtepd/show", "", 0, 0, vtepd_unixctl_show, &v);
    unixctl_command_register("vtepd/dump-macs", "LOGICAL-SWITCH", 1, 1,
                             vtepd_unixctl_dump_macs, &v);

    while (!v.exiting) {
        vtepd_run(&v, unixctl);
        vtepd_wait(&v, unixctl);
        if (!v.exiting) {
            poll_block();
        }
        if (should_service_stop()) {
            v.exiting = true;
        }
    }

    VLOG_INFO("%s: exiting; the datapath keeps forwarding", ps_name);
    unixctl_server_destroy(unixctl);
    tunnel_bfd_destroy(v.bfd);
    dp_close(v.dp);
    dp_state_destroy(&v.desired);
    faults_destroy(&v.faults);
    sset_destroy(&v.remote_ips);
    sset_destroy(&v.down_tunnels);
    sset_destroy(&v.full_switches);
    remote_mac_cond_destroy(&v.mac_cond);
    ovsdb_idl_loop_destroy(&v.idl_loop);
    switch_config_destroy(&config);
    free(db_remote);
    free(unixctl_path);
    free(config_file);
    free(datapath_type);
    free(ps_name);
    service_stop();
    return 0;
}

/* Warns about each plain "tcp:" remote in 'remotes' (a comma-separated
 * list): the switch's configuration would cross the network unencrypted. */
static void
warn_plain_tcp(const char *remotes)
{
    char *copy = xstrdup(remotes);
    char *save_ptr = NULL;

    for (char *r = strtok_r(copy, ",", &save_ptr); r;
         r = strtok_r(NULL, ",", &save_ptr)) {
        if (!strncmp(r, "tcp:", 4)) {
            VLOG_WARN("%s: database connection %s is not encrypted; use ssl: "
                      "(see vtepd(8))", ps_name, r);
        }
    }
    free(copy);
}

/* Returns 'optarg' as the value of MAC limit option 'option' (0 for none);
 * exits if it is not a number from 0 to 'max'. */
static size_t
parse_mac_limit(const char *option, unsigned long long int max)
{
    unsigned long long int value;

    if (!str_to_ullong(optarg, 10, &value) || value > max) {
        ovs_fatal(0, "%s=%s: not a number of MACs (0 for no limit)", option,
                  optarg);
    }
    return value;
}

/* Parses the command line into the settings above; exits on error. */
static void
parse_options(int argc, char *argv[])
{
    enum {
        OPT_DB = UCHAR_MAX + 1,
        OPT_UNIXCTL,
        OPT_CONFIG,
        OPT_DATAPATH,
        OPT_STATS_INTERVAL,
        OPT_MAX_MACS_PER_LS,
        OPT_MAX_MACS,
        OPT_MAX_LOCAL_MACS_PER_LS,
        OPT_PEER_CA_CERT,
        OPT_BOOTSTRAP_CA_CERT,
        VLOG_OPTION_ENUMS,
        DAEMON_OPTION_ENUMS,
        SSL_OPTION_ENUMS,
    };
    static const struct option long_options[] = {
        {"db", required_argument, NULL, OPT_DB},
        {"unixctl", required_argument, NULL, OPT_UNIXCTL},
        {"config", required_argument, NULL, OPT_CONFIG},
        {"datapath", required_argument, NULL, OPT_DATAPATH},
        {"stats-interval", required_argument, NULL, OPT_STATS_INTERVAL},
        {"max-macs-per-ls", required_argument, NULL, OPT_MAX_MACS_PER_LS},
        {"max-macs", required_argument, NULL, OPT_MAX_MACS},
        {"max-local-macs-per-ls", required_argument, NULL,
         OPT_MAX_LOCAL_MACS_PER_LS},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {"peer-ca-cert", required_argument, NULL, OPT_PEER_CA_CERT},
        {"bootstrap-ca-cert", required_argument, NULL, OPT_BOOTSTRAP_CA_CERT},
        VLOG_LONG_OPTIONS,
        DAEMON_LONG_OPTIONS,
        STREAM_SSL_LONG_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    char *short_options = ovs_cmdl_long_options_to_short_options(long_options);

    for (;;) {
        int c = getopt_long(argc, argv, short_options, long_options, NULL);
        if (c == -1) {
            break;
        }

        switch (c) {
        case OPT_DB:
            free(db_remote);
            db_remote = xstrdup(optarg);
            break;

        case OPT_UNIXCTL:
            free(unixctl_path);
            unixctl_path = xstrdup(optarg);
            break;

        case OPT_CONFIG:
            free(config_file);
            config_file = xstrdup(optarg);
            break;

        case OPT_DATAPATH:
            free(datapath_type);
            datapath_type = xstrdup(optarg);
            break;

        case OPT_STATS_INTERVAL:
            if (!str_to_uint(optarg, 10, &stats_interval)
                || stats_interval > 86400) {
                ovs_fatal(0, "--stats-interval=%s: not a number of seconds "
                          "from 0 to 86400", optarg);
            }
            break;

        case OPT_MAX_MACS_PER_LS:
            limits.max_macs_per_ls = parse_mac_limit("--max-macs-per-ls",
                                                     SIZE_MAX);
            break;

        case OPT_MAX_MACS:
            limits.max_macs = parse_mac_limit("--max-macs", SIZE_MAX);
            break;

        case OPT_MAX_LOCAL_MACS_PER_LS:
            /* The kernel's bridge takes a 32-bit limit. */
            limits.max_local_macs_per_ls
                = parse_mac_limit("--max-local-macs-per-ls", UINT32_MAX);
            break;

        case 'h':
            usage();

        case 'V':
            printf("%s (vtepd) %s\n", program_name, VTEPD_VERSION);
            printf("built against Open vSwitch %s\n", VERSION);
            exit(EXIT_SUCCESS);

        case OPT_PEER_CA_CERT:
            stream_ssl_set_peer_ca_cert_file(optarg);
            break;

        case OPT_BOOTSTRAP_CA_CERT:
            stream_ssl_set_ca_cert_file(optarg, true);
            break;

        VLOG_OPTION_HANDLERS
        DAEMON_OPTION_HANDLERS
        STREAM_SSL_OPTION_HANDLERS

        case '?':
            exit(EXIT_FAILURE);

        default:
            abort();
        }
    }
    free(short_options);

    argc -= optind;
    argv += optind;
    if (argc > 1) {
        ovs_fatal(0, "at most one non-option argument (the physical switch "
                  "name) is allowed; use --help for usage");
    }

    switch_config_init(&config);
    if (config_file) {
        char *error_msg;
        if (switch_config_load(config_file, &config, &error_msg)) {
            ovs_fatal(0, "%s", error_msg);
        }
        if (argc == 1 && strcmp(argv[0], config.name)) {
            ovs_fatal(0, "physical switch \"%s\" on the command line differs "
                      "from name \"%s\" in %s", argv[0], config.name,
                      config_file);
        }
        ps_name = xstrdup(config.name);
        if (!datapath_type) {
            datapath_type = xstrdup(config.datapath);
        }
    } else if (argc == 1) {
        ps_name = xstrdup(argv[0]);
    } else {
        ovs_fatal(0, "missing physical switch name (or --config=FILE); use "
                  "--help for usage");
    }
    if (!datapath_type) {
        datapath_type = xstrdup("linux");
    }
    if (!dp_class_lookup(datapath_type)) {
        ovs_fatal(0, "unknown datapath type \"%s\" (expected linux or "
                  "dummy)", datapath_type);
    }
    if (!db_remote) {
        db_remote = xasprintf("unix:%s/db.sock", ovs_rundir());
    }
}

/* Prints --help output and exits. */
static void
usage(void)
{
    printf("%s: hardware VTEP emulator\n"
           "usage: %s [OPTIONS] [PS-NAME]\n"
           "\n"
           "Plays physical switch PS-NAME of the hardware_vtep database (as\n"
           "made with vtep-ctl), or the switch described by --config.\n"
           "\n"
           "Options:\n"
           "  --db=DATABASE           connect to DATABASE\n"
           "                          (default: unix:%s/db.sock)\n"
           "  --config=FILE           take the switch from YAML FILE\n"
           "  --datapath=TYPE         datapath: linux (default) or dummy\n"
           "  --stats-interval=SECS   binding counter updates (default 5,"
           " 0: none)\n"
           "  --max-macs-per-ls=N     remote MACs per logical switch"
           " (default 1000000, 0: no limit)\n"
           "  --max-macs=N            remote MACs in all"
           " (default 1000000, 0: no limit)\n"
           "  --max-local-macs-per-ls=N  MACs learned per logical switch"
           " (default 1000000,\n"
           "                          0: no limit)\n"
           "  --unixctl=SOCKET        override default control socket name\n"
           "  -h, --help              display this help message\n"
           "  -V, --version           display version information\n",
           program_name, program_name, ovs_rundir());
    stream_usage("DATABASE", true, true, true);
    daemon_usage();
    vlog_usage();
    exit(EXIT_SUCCESS);
}

/* "exit": leaves the main loop; the datapath keeps what it has. */
static void
vtepd_unixctl_exit(struct unixctl_conn *conn, int argc OVS_UNUSED,
                   const char *argv[] OVS_UNUSED, void *v_)
{
    struct vtepd *v = v_;

    v->exiting = true;
    unixctl_command_reply(conn, NULL);
}

/* Appends 'lines' to 's', sorted, one per line, and frees them. */
static void
show_sorted_lines(struct svec *lines, struct ds *s)
{
    const char *line;
    size_t i;

    svec_sort(lines);
    SVEC_FOR_EACH (i, line, lines) {
        ds_put_format(s, "%s\n", line);
    }
    svec_destroy(lines);
}

/* Appends to 's' a line for each multicast group of 'ls', with its
 * remotes, both sorted. */
static void
show_mcast_groups(const struct dp_ls *ls, struct ds *s)
{
    struct svec lines = SVEC_EMPTY_INITIALIZER;
    const struct dp_mcast_group *g;

    HMAP_FOR_EACH (g, node, &ls->mcast_groups) {
        const char **ips = sset_sort(&g->ips);
        struct ds l = DS_EMPTY_INITIALIZER;

        ds_put_format(&l, "    mcast "ETH_ADDR_FMT":", ETH_ADDR_ARGS(g->mac));
        for (size_t j = 0; j < sset_count(&g->ips); j++) {
            ds_put_format(&l, " %s", ips[j]);
        }
        svec_add_nocopy(&lines, ds_steal_cstr(&l));
        free(ips);
    }
    show_sorted_lines(&lines, s);
}

/* Appends to 's' a line for each ARP entry of 'ls', sorted. */
static void
show_arp_entries(const struct dp_ls *ls, struct ds *s)
{
    struct svec lines = SVEC_EMPTY_INITIALIZER;
    const struct dp_arp_entry *arp;

    HMAP_FOR_EACH (arp, node, &ls->arp_entries) {
        svec_add_nocopy(&lines, xasprintf("    arp "IP_FMT": "ETH_ADDR_FMT,
                                          IP_ARGS(arp->ip),
                                          ETH_ADDR_ARGS(arp->mac)));
    }
    show_sorted_lines(&lines, s);
}

/* Appends to 's' a line with the service nodes that service_node
 * replication lists name, sorted, each marked "(down)" if BFD says its
 * tunnel cannot forward; nothing if there are none. */
static void
show_service_nodes(const struct vtepd *v, struct ds *s)
{
    const struct sset *nodes = &v->desired.service_nodes;
    const char **ips = sset_sort(nodes);

    if (sset_count(nodes)) {
        ds_put_cstr(s, "  service nodes:");
        for (size_t i = 0; i < sset_count(nodes); i++) {
            ds_put_format(s, " %s%s", ips[i],
                          (sset_contains(&v->down_tunnels, ips[i])
                           ? " (down)" : ""));
        }
        ds_put_char(s, '\n');
    }
    free(ips);
}

/* Appends to 's' a line for each tunnel in 'tunnels' that has a BFD
 * session, with its state, in the order of the tunnels' IPs. */
static void
show_bfd_sessions(const struct vtepd *v, const struct sset *tunnels,
                  struct ds *s)
{
    const char **ips = sset_sort(tunnels);

    for (size_t i = 0; i < sset_count(tunnels); i++) {
        struct smap status = SMAP_INITIALIZER(&status);

        tunnel_bfd_get_status(v->bfd, ips[i], &status);
        if (smap_get_bool(&status, "enabled", false)) {
            ds_put_format(s, "  bfd %s: state %s, forwarding %s, "
                          "diagnostic \"%s\", remote state %s\n", ips[i],
                          smap_get_def(&status, "state", "?"),
                          smap_get_def(&status, "forwarding", "?"),
                          smap_get_def(&status, "diagnostic", ""),
                          smap_get_def(&status, "remote_state", "?"));
        }
        smap_destroy(&status);
    }
    free(ips);
}

/* "vtepd/show": the switch, its ports, logical switches, bindings, tunnels
 * and MAC counts, as programmed.  The bindings' counters are read anew
 * (unless --stats-interval=0), and the database gets the same figures. */
static void
vtepd_unixctl_show(struct unixctl_conn *conn, int argc OVS_UNUSED,
                   const char *argv[] OVS_UNUSED, void *v_)
{
    struct vtepd *v = v_;
    const struct dp_state *actual = &v->dp->actual;
    struct ds s = DS_EMPTY_INITIALIZER;
    struct sset tunnels = SSET_INITIALIZER(&tunnels);

    if (stats_interval) {
        dp_refresh_stats(v->dp);
        v->stats_dirty = true;
        poll_immediate_wake();
    }

    ds_put_format(&s, "Physical_Switch %s (%s datapath)\n", ps_name,
                  v->dp->class->type);
    ds_put_format(&s, "  database: %s (%s)\n", db_remote,
                  ovsdb_idl_is_connected(v->idl_loop.idl)
                  ? "connected" : "not connected");
    if (actual->tunnel_ip) {
        ds_put_format(&s, "  tunnel IP: "IP_FMT"\n",
                      IP_ARGS(actual->tunnel_ip));
    } else {
        ds_put_cstr(&s, "  tunnel IP: none\n");
    }
    ds_put_format(&s, "  MAC ageing: %u s\n", actual->mac_ageing);
    if (actual->local_mac_limit) {
        ds_put_format(&s, "  learned MAC limit: %u per logical switch\n",
                      actual->local_mac_limit);
    } else {
        ds_put_cstr(&s, "  learned MAC limit: none\n");
    }

    const struct dp_ls *ls;
    HMAP_FOR_EACH (ls, node, &actual->switches) {
        ds_put_format(&s, "  Logical_Switch %s: VNI %"PRIu32", %"PRIuSIZE
                      " local MACs, %"PRIuSIZE" remote MACs\n", ls->name,
                      ls->vni, dp_count_local_macs_in_ls(v->dp, ls->name),
                      hmap_count(&ls->remote_macs));
        const struct dp_binding *b;
        HMAP_FOR_EACH (b, node, &actual->bindings) {
            if (!strcmp(b->ls, ls->name)) {
                ds_put_format(&s, "    binding: port %s VLAN %"PRIu16
                              " (from local %"PRIu64" packets %"PRIu64
                              " bytes, to local %"PRIu64" packets %"PRIu64
                              " bytes)\n", b->port, b->vlan,
                              b->stats.packets_from_local,
                              b->stats.bytes_from_local,
                              b->stats.packets_to_local,
                              b->stats.bytes_to_local);
            }
        }
        const char *ip;
        SSET_FOR_EACH (ip, &ls->flood_ips) {
            ds_put_format(&s, "    flood: %s\n", ip);
        }
        show_mcast_groups(ls, &s);
        show_arp_entries(ls, &s);
    }

    dp_state_get_remote_ips(actual, &tunnels);
    ds_put_cstr(&s, "  tunnels:");
    const char *ip;
    SSET_FOR_EACH (ip, &tunnels) {
        ds_put_format(&s, " %s", ip);
    }
    ds_put_char(&s, '\n');
    show_service_nodes(v, &s);
    SSET_FOR_EACH (ip, &v->desired.service_nodes) {
        sset_add(&tunnels, ip);
    }
    show_bfd_sessions(v, &tunnels, &s);

    const char *p;
    size_t i;
    SVEC_FOR_EACH (i, p, &v->faults.messages) {
        ds_put_format(&s, "  fault: %s\n", p);
    }
    if (v->n_failed) {
        ds_put_format(&s, "  %"PRIuSIZE" datapath operations failed; "
                      "retrying\n", v->n_failed);
    }

    unixctl_command_reply(conn, ds_cstr(&s));
    sset_destroy(&tunnels);
    ds_destroy(&s);
}

/* "vtepd/dump-macs LS": the local and remote MACs of logical switch LS as
 * the datapath holds them. */
static void
vtepd_unixctl_dump_macs(struct unixctl_conn *conn, int argc OVS_UNUSED,
                        const char *argv[], void *v_)
{
    struct vtepd *v = v_;
    struct ds s = DS_EMPTY_INITIALIZER;

    int error = dp_dump_macs(v->dp, argv[1], &s);
    if (error) {
        ds_clear(&s);
        ds_put_format(&s, "%s: %s", argv[1],
                      error == ENOENT ? "no such logical switch in the "
                      "datapath" : ovs_strerror(error));
        unixctl_command_reply_error(conn, ds_cstr(&s));
    } else {
        unixctl_command_reply(conn, ds_cstr(&s));
    }
    ds_destroy(&s);
}
