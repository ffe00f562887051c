/* remote-mac-cond.h -- which Ucast_Macs_Remote rows the IDL replicates.
 *
 * vtepd needs the remote MACs of the logical switches bound on its own
 * physical switch only.  A struct remote_mac_cond keeps the IDL's condition
 * on Ucast_Macs_Remote to those logical switches, as ovn-controller does
 * with the southbound database.  It grows the condition by at most
 * REMOTE_MAC_COND_CHUNK logical switches at a time, each step once the
 * last is in effect, so that a large database arrives in several updates of
 * moderate size rather than in one: each update's JSON is freed before the
 * next arrives, and the next one's rows fill the holes it left, instead of
 * leaving a heap that is half holes between the rows. */

#ifndef VTEPD_REMOTE_MAC_COND_H
#define VTEPD_REMOTE_MAC_COND_H 1

#include <stdbool.h>
#include "uuidset.h"

struct ovsdb_idl;

/* Logical switches added to the condition at a time. */
#define REMOTE_MAC_COND_CHUNK 512

/* The condition on Ucast_Macs_Remote. */
struct remote_mac_cond {
    struct uuidset switches;    /* Logical switches in the condition last
                                 * set. */
    unsigned int seqno;         /* Condition seqno from which it is in
                                 * effect. */
    bool connected;             /* Was the IDL connected at the last
                                 * remote_mac_cond_run()? */
    unsigned int input_seqno;   /* Seqno of the bindings last looked at. */
    bool complete;              /* Did the condition then cover them all? */
};

void remote_mac_cond_init(struct remote_mac_cond *, struct ovsdb_idl *);
void remote_mac_cond_destroy(struct remote_mac_cond *);
bool remote_mac_cond_run(struct remote_mac_cond *, struct ovsdb_idl *,
                         const char *ps_name);

#endif /* remote-mac-cond.h */
