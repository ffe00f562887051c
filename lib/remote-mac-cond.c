/* remote-mac-cond.c -- which Ucast_Macs_Remote rows the IDL replicates. */

#include <config.h>
#include "remote-mac-cond.h"

#include "coverage.h"
#include "model.h"
#include "openvswitch/vlog.h"
#include "ovsdb-idl.h"
#include "schema/vtep-idl.h"

VLOG_DEFINE_THIS_MODULE(remote_mac_cond);

COVERAGE_DEFINE(remote_mac_cond_change);

/* Sets the IDL's condition on Ucast_Macs_Remote to the rows of the logical
 * switches in 'c->switches' (none if it is empty) and returns the
 * condition seqno from which it is in effect. */
static unsigned int
remote_mac_cond_set(const struct remote_mac_cond *c, struct ovsdb_idl *idl)
{
    struct ovsdb_idl_condition cond = OVSDB_IDL_CONDITION_INIT(&cond);
    const struct uuidset_node *node;

    /* No clause at all is a condition that no row meets. */
    UUIDSET_FOR_EACH (node, &c->switches) {
        vteprec_ucast_macs_remote_add_clause_logical_switch(&cond, OVSDB_F_EQ,
                                                            &node->uuid);
    }
    unsigned int seqno = vteprec_ucast_macs_remote_set_condition(idl, &cond);
    ovsdb_idl_condition_destroy(&cond);
    return seqno;
}

/* Initializes 'c' and sets the condition of 'idl', before it connects, to
 * no remote MAC: the first update then holds everything but them. */
void
remote_mac_cond_init(struct remote_mac_cond *c, struct ovsdb_idl *idl)
{
    uuidset_init(&c->switches);
    c->seqno = remote_mac_cond_set(c, idl);
    c->connected = false;
    c->input_seqno = 0;
    c->complete = false;
}

/* Frees what 'c' holds. */
void
remote_mac_cond_destroy(struct remote_mac_cond *c)
{
    uuidset_destroy(&c->switches);
}

/* Stores in 'bound' the logical switches bound on a port of 'ps' (none if
 * 'ps' is NULL). */
static void
remote_mac_cond_bound(const struct vteprec_physical_switch *ps,
                      struct uuidset *bound)
{
    for (size_t i = 0; ps && i < ps->n_ports; i++) {
        const struct vteprec_physical_port *port = ps->ports[i];

        for (size_t j = 0; j < port->n_vlan_bindings; j++) {
            const struct vteprec_logical_switch *ls
                = port->value_vlan_bindings[j];

            if (ls) {
                uuidset_insert(bound, &ls->header_.uuid);
            }
        }
    }
}

/* Returns a value that changes when the bindings of a physical switch may
 * have changed. */
static unsigned int
remote_mac_cond_input_seqno(const struct ovsdb_idl *idl)
{
    return (ovsdb_idl_table_get_seqno(idl, &vteprec_table_physical_switch)
            + ovsdb_idl_table_get_seqno(idl, &vteprec_table_physical_port));
}

/* Brings the condition of 'idl' on Ucast_Macs_Remote closer to the logical
 * switches bound on physical switch 'ps_name': once the last change is in
 * effect, it drops the switches no longer bound and adds up to
 * REMOTE_MAC_COND_CHUNK of those newly bound.  Returns true if the IDL
 * holds the remote MACs of every logical switch bound on the switch, that
 * is, if the condition covers them all and is in effect.  Cheap unless the
 * bindings changed or the condition is still growing: to be called at every
 * iteration of the main loop, after the IDL's run, so that it sees every
 * new connection. */
bool
remote_mac_cond_run(struct remote_mac_cond *c, struct ovsdb_idl *idl,
                    const char *ps_name)
{
    bool connected = ovsdb_idl_is_connected(idl);

    if (connected && !c->connected) {
        /* On a new connection, the IDL asked again for the conditions it
         * had, and may count them as in effect without a reply: asking for
         * the same condition again gives the seqno to wait for now. */
        c->seqno = remote_mac_cond_set(c, idl);
    }
    c->connected = connected;
    if ((int) (ovsdb_idl_get_condition_seqno(idl) - c->seqno) < 0) {
        return false;
    }

    unsigned int input_seqno = remote_mac_cond_input_seqno(idl);
    if (c->complete && input_seqno == c->input_seqno) {
        return true;
    }
    c->input_seqno = input_seqno;

    struct uuidset bound = UUIDSET_INITIALIZER(&bound);
    struct uuidset_node *node;
    size_t n_dropped = 0, n_added = 0, n_missing = 0;

    remote_mac_cond_bound(model_find_ps(idl, ps_name), &bound);
    UUIDSET_FOR_EACH_SAFE (node, &c->switches) {
        if (!uuidset_contains(&bound, &node->uuid)) {
            uuidset_delete(&c->switches, node);
            n_dropped++;
        }
    }
    UUIDSET_FOR_EACH (node, &bound) {
        if (!uuidset_contains(&c->switches, &node->uuid)) {
            if (n_added < REMOTE_MAC_COND_CHUNK) {
                uuidset_insert(&c->switches, &node->uuid);
                n_added++;
            } else {
                n_missing++;
            }
        }
    }
    uuidset_destroy(&bound);

    c->complete = !n_dropped && !n_added;
    if (!c->complete) {
        COVERAGE_INC(remote_mac_cond_change);
        VLOG_DBG("asking for the remote MACs of %"PRIuSIZE" more logical "
                 "switches, %"PRIuSIZE" fewer (%"PRIuSIZE" to go)",
                 n_added, n_dropped, n_missing);
        c->seqno = remote_mac_cond_set(c, idl);
    }
    return c->complete;
}
