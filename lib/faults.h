/* faults.h -- what a physical switch cannot do, for the log, vtepd/show and
 * the fault status columns of the hardware_vtep database.
 *
 * Each fault has a message (one log line) and goes into the status set of
 * the switch or of one of its ports: the vtep(5) value that fits (such as
 * "unspecified_fault" or "invalid_vlan_map") and vtepd's more specific
 * value (such as "tunnel_ip_missing"), both listed in vtepd(8).  Control
 * characters in a message (from strings in the database) are escaped, so
 * that each message is one line. */

#ifndef VTEPD_FAULTS_H
#define VTEPD_FAULTS_H 1

#include "openvswitch/compiler.h"
#include "openvswitch/shash.h"
#include "sset.h"
#include "svec.h"

/* vtep(5) values of switch_fault_status and port_fault_status. */
#define FAULT_UNSPECIFIED "unspecified_fault"
#define FAULT_INVALID_VLAN_MAP "invalid_vlan_map"
#define FAULT_MAC_TABLE_EXHAUSTION "mac_table_exhaustion"

/* The faults of one physical switch. */
struct faults {
    struct svec messages;       /* Log lines, sorted and unique once
                                 * faults_finish() ran. */
    struct sset switch_status;  /* Physical_Switch switch_fault_status. */
    struct shash port_status;   /* Physical_Port name -> struct sset *:
                                 * that port's port_fault_status. */
};

void faults_init(struct faults *);
void faults_destroy(struct faults *);
void faults_clear(struct faults *);
void faults_swap(struct faults *, struct faults *);
void faults_finish(struct faults *);

void faults_add_switch(struct faults *, const char *status, const char *code,
                       const char *format, ...) OVS_PRINTF_FORMAT(4, 5);
void faults_add_port(struct faults *, const char *port, const char *status,
                     const char *code, const char *format, ...)
    OVS_PRINTF_FORMAT(5, 6);

const struct sset *faults_port_status(const struct faults *,
                                      const char *port);

#endif /* faults.h */
