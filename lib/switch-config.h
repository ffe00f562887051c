/* switch-config.h -- the vtepd YAML configuration file.
 *
 * With --config=FILE, the physical switch that vtepd plays is described by
 * the file instead of by rows that an operator made with vtep-ctl.  See
 * vtepd.conf(5) for the format. */

#ifndef VTEPD_SWITCH_CONFIG_H
#define VTEPD_SWITCH_CONFIG_H 1

#include <stddef.h>
#include "dp-state.h"
#include "openvswitch/types.h"
#include "sset.h"
#include "svec.h"

/* Default local MAC ageing time, in seconds (the Linux bridge default). */
#define SWITCH_CONFIG_DEFAULT_AGEING DP_STATE_DEFAULT_AGEING

/* One entry of the "ports" list. */
struct switch_config_port {
    char *pattern;              /* Netdev name or fnmatch(3) glob. */
    char *description;          /* Physical_Port description, or NULL. */
};

/* A parsed configuration file. */
struct switch_config {
    char *name;                 /* Physical_Switch name (required). */
    char *description;          /* Physical_Switch description, or NULL. */
    char *tunnel_ip;            /* Tunnel IPv4 address, canonical, or NULL. */
    struct sset management_ips; /* Management IPv4 addresses, canonical. */
    struct switch_config_port *ports;   /* Ports, in file order. */
    size_t n_ports;                     /* Number of 'ports'. */
    unsigned int mac_ageing;    /* Local MAC ageing time, seconds. */
    char *datapath;             /* Datapath provider type ("linux"). */
};

void switch_config_init(struct switch_config *);
void switch_config_destroy(struct switch_config *);

/* Parses 'len' bytes of YAML in 'text' into 'cfg' (which must have been
 * initialized).  'file_name' is used only in error messages.  On failure
 * returns EINVAL and stores in '*errorp' a malloc()'d message of the form
 * "FILE:LINE:COLUMN: what was expected", leaving 'cfg' empty. */
int switch_config_parse(const char *text, size_t len, const char *file_name,
                        struct switch_config *cfg, char **errorp);

/* Reads and parses 'file_name', as switch_config_parse(). */
int switch_config_load(const char *file_name, struct switch_config *cfg,
                       char **errorp);

/* Returns true if port name 'name' matches one of the patterns of 'cfg',
 * and if so stores that entry in '*portp' (if nonnull). */
bool switch_config_match_port(const struct switch_config *cfg,
                              const char *name,
                              const struct switch_config_port **portp);

#endif /* switch-config.h */
