/* tunnel-bfd.h -- BFD on the switch's tunnels (the Tunnel table).
 *
 * One BFD session (OVS's lib/bfd.c state machine) per Tunnel row of the
 * switch whose bfd_params:enable is true, keyed by the remote tunnel IP.
 * Control packets travel as ovs-vtep sends them: an Ethernet frame (IPv4,
 * UDP to port 3784) inside VXLAN with VNI 0, between the two tunnel IPs. */

#ifndef VTEPD_TUNNEL_BFD_H
#define VTEPD_TUNNEL_BFD_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "openvswitch/types.h"

struct smap;
struct sset;
struct tunnel_bfd;
struct vteprec_physical_switch;

int tunnel_bfd_prepare(void);

struct tunnel_bfd *tunnel_bfd_create(void);
void tunnel_bfd_destroy(struct tunnel_bfd *);

void tunnel_bfd_configure(struct tunnel_bfd *,
                          const struct vteprec_physical_switch *,
                          ovs_be32 tunnel_ip);
bool tunnel_bfd_run(struct tunnel_bfd *);
void tunnel_bfd_wait(const struct tunnel_bfd *);

void tunnel_bfd_get_status(const struct tunnel_bfd *, const char *remote_ip,
                           struct smap *status);
void tunnel_bfd_get_down(const struct tunnel_bfd *, struct sset *ips);
size_t tunnel_bfd_count(const struct tunnel_bfd *);

bool tunnel_bfd_parse_outer(const uint8_t *buf, size_t n, ovs_be32 local,
                            ovs_be32 *src, size_t *inner);

#endif /* tunnel-bfd.h */
