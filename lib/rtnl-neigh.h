/* rtnl-neigh.h -- IPv4 neighbour (ARP) entries over rtnetlink.
 *
 * vtepd adds a permanent ARP entry on a logical switch's bridge for each
 * remote host whose IPv4 address the database gives
 * (Ucast_Macs_Remote.ipaddr); with neighbour suppression on the bridge's
 * VXLAN port, the bridge then answers ARP requests for that address itself
 * instead of flooding them into the tunnels.
 *
 * Every function is synchronous and returns 0 or a positive errno value. */

#ifndef VTEPD_RTNL_NEIGH_H
#define VTEPD_RTNL_NEIGH_H 1

#include "openvswitch/types.h"
#include "packets.h"

int rtnl_neigh_add(int ifindex, ovs_be32 ip, struct eth_addr);
int rtnl_neigh_del(int ifindex, ovs_be32 ip);
int rtnl_neigh_dump(void (*cb)(int ifindex, ovs_be32 ip, struct eth_addr,
                               void *aux),
                    void *aux);

#endif /* rtnl-neigh.h */
