/* reconcile.h -- the smallest set of datapath operations that turns one
 * dp_state into another.  Pure data, no I/O. */

#ifndef VTEPD_RECONCILE_H
#define VTEPD_RECONCILE_H 1

#include "dp-state.h"
#include "openvswitch/list.h"

/* Appends to 'ops' (a list of struct dp_op) what must be done to the
 * datapath holding 'actual' so that it holds 'desired'. */
void reconcile(const struct dp_state *desired, const struct dp_state *actual,
               struct ovs_list *ops);
bool reconcile_remote_macs(const struct dp_state *actual,
                           const struct hmap *touched, struct ovs_list *ops);

#endif /* reconcile.h */
