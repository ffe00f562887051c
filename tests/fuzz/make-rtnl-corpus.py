#!/usr/bin/env python3
"""make-rtnl-corpus.py -- writes the seed corpus of tests/fuzz/fuzz-rtnl.

Each file is what one recv() from an rtnetlink socket could return: one or
more Netlink messages back to back.  The messages are built by hand with
struct packing, after the ones that the kernel sends vtepd (see lib/rtnl-
link.c and lib/rtnl-fdb.c), in host byte order as the kernel sends them.

Usage: tests/fuzz/make-rtnl-corpus.py [DIR]
(DIR defaults to tests/fuzz/corpus/rtnl next to this script.)  The output
is deterministic: run it again after changing it and commit the files.
"""

import os
import socket
import struct
import sys

# linux/rtnetlink.h, linux/netlink.h
NLMSG_DONE = 3
RTM_NEWLINK, RTM_DELLINK = 16, 17
RTM_NEWNEIGH, RTM_DELNEIGH = 28, 29
NLM_F_MULTI = 0x2

# linux/if_link.h
IFLA_ADDRESS, IFLA_IFNAME, IFLA_MTU, IFLA_LINK = 1, 3, 4, 5
IFLA_MASTER, IFLA_LINKINFO, IFLA_IFALIAS = 10, 18, 20
IFLA_INFO_KIND, IFLA_INFO_DATA = 1, 2
IFLA_BR_AGEING_TIME = 4
IFLA_VXLAN_ID, IFLA_VXLAN_LOCAL = 1, 4
IFLA_VXLAN_PORT, IFLA_VXLAN_UDP_CSUM = 15, 18

# linux/neighbour.h
NDA_DST, NDA_LLADDR, NDA_MASTER = 1, 2, 9
NTF_SELF, NTF_MASTER, NTF_EXT_LEARNED = 0x02, 0x04, 0x10
NUD_REACHABLE, NUD_NOARP, NUD_PERMANENT = 0x02, 0x40, 0x80

AF_UNSPEC, AF_INET, AF_BRIDGE = 0, 2, 7
IFF_UP = 0x1


def align4(data):
    """Pads 'data' to a multiple of 4 bytes, as NLA_ALIGN and NLMSG_ALIGN
    do."""
    return data + b"\0" * (-len(data) % 4)


def attr(kind, payload):
    """Returns Netlink attribute 'kind' with bytes 'payload', padded."""
    return align4(struct.pack("=HH", 4 + len(payload), kind) + payload)


def u8(kind, value):
    """Returns an 8-bit attribute."""
    return attr(kind, struct.pack("=B", value))


def u32(kind, value):
    """Returns a 32-bit attribute in host byte order."""
    return attr(kind, struct.pack("=I", value))


def be16(kind, value):
    """Returns a 16-bit attribute in network byte order."""
    return attr(kind, struct.pack("!H", value))


def string(kind, value):
    """Returns a null-terminated string attribute."""
    return attr(kind, value.encode() + b"\0")


def nested(kind, *attrs):
    """Returns a nested attribute holding 'attrs' (without NLA_F_NESTED,
    as the kernel sends IFLA_LINKINFO)."""
    return attr(kind, b"".join(attrs))


def ip4(kind, address):
    """Returns an IPv4 address attribute."""
    return attr(kind, socket.inet_pton(socket.AF_INET, address))


def ip6(kind, address):
    """Returns an IPv6 address attribute."""
    return attr(kind, socket.inet_pton(socket.AF_INET6, address))


def mac(kind, address):
    """Returns an Ethernet address attribute from "xx:xx:...:xx"."""
    return attr(kind, bytes(int(x, 16) for x in address.split(":")))


def nlmsg(kind, body, flags=0, seq=1):
    """Returns a Netlink message of type 'kind' holding 'body'."""
    body = align4(body)
    return struct.pack("=IHHII", 16 + len(body), kind, flags, seq, 0) + body


def link(kind, ifindex, *attrs, family=AF_UNSPEC, flags=IFF_UP):
    """Returns an RTM_*LINK message (struct ifinfomsg, then 'attrs')."""
    ifi = struct.pack("=BxHiII", family, 1, ifindex, flags, 0)
    return nlmsg(kind, ifi + b"".join(attrs))


def neigh(kind, ifindex, state, flags, *attrs, family=AF_BRIDGE):
    """Returns an RTM_*NEIGH message (struct ndmsg, then 'attrs')."""
    ndm = struct.pack("=BxxxiHBB", family, ifindex, state, flags, 0)
    return nlmsg(kind, ndm + b"".join(attrs))


ALIAS = "vtepd:ps=hv1:ls=ls0"

BRIDGE = link(RTM_NEWLINK, 10,
              string(IFLA_IFNAME, "vtb1a2b3c4d"),
              u32(IFLA_MTU, 1500),
              string(IFLA_IFALIAS, ALIAS),
              nested(IFLA_LINKINFO,
                     string(IFLA_INFO_KIND, "bridge"),
                     nested(IFLA_INFO_DATA,
                            u32(IFLA_BR_AGEING_TIME, 30000))))

VXLAN = link(RTM_NEWLINK, 11,
             string(IFLA_IFNAME, "vtx1a2b3c4d"),
             u32(IFLA_MTU, 1450),
             u32(IFLA_MASTER, 10),
             string(IFLA_IFALIAS, ALIAS),
             nested(IFLA_LINKINFO,
                    string(IFLA_INFO_KIND, "vxlan"),
                    nested(IFLA_INFO_DATA,
                           u32(IFLA_VXLAN_ID, 5000),
                           ip4(IFLA_VXLAN_LOCAL, "10.0.0.1"),
                           be16(IFLA_VXLAN_PORT, 4789),
                           u8(IFLA_VXLAN_UDP_CSUM, 0))))

VETH = link(RTM_NEWLINK, 12,
            string(IFLA_IFNAME, "vtv1a2b3c4d"),
            u32(IFLA_LINK, 13),
            u32(IFLA_MASTER, 10),
            nested(IFLA_LINKINFO, string(IFLA_INFO_KIND, "veth")))

PORT = link(RTM_NEWLINK, 2,
            mac(IFLA_ADDRESS, "02:00:00:00:00:01"),
            string(IFLA_IFNAME, "p1"),
            u32(IFLA_MTU, 1500))

LEARNED = neigh(RTM_NEWNEIGH, 2, NUD_REACHABLE, NTF_MASTER,
                mac(NDA_LLADDR, "02:00:00:00:00:0a"),
                u32(NDA_MASTER, 10))

REMOTE = neigh(RTM_NEWNEIGH, 11, NUD_NOARP | NUD_PERMANENT, NTF_SELF,
               mac(NDA_LLADDR, "02:00:00:00:00:0b"),
               ip4(NDA_DST, "10.0.0.2"))

FLOOD_V6 = neigh(RTM_NEWNEIGH, 11, NUD_NOARP | NUD_PERMANENT, NTF_SELF,
                 mac(NDA_LLADDR, "00:00:00:00:00:00"),
                 ip6(NDA_DST, "fd00::2"))

CORPUS = {
    "newlink-bridge": BRIDGE,
    "newlink-vxlan": VXLAN,
    "newlink-veth": VETH,
    "newlink-port": PORT,
    "dellink-port": link(RTM_DELLINK, 2, string(IFLA_IFNAME, "p1"),
                         flags=0),
    "newlink-af-bridge": link(RTM_NEWLINK, 2, string(IFLA_IFNAME, "p1"),
                              u32(IFLA_MASTER, 10), family=AF_BRIDGE),
    "newneigh-learned": LEARNED,
    "newneigh-remote": REMOTE,
    "newneigh-flood-ipv6": FLOOD_V6,
    "delneigh-ext-learned": neigh(RTM_DELNEIGH, 2, NUD_REACHABLE,
                                  NTF_MASTER | NTF_EXT_LEARNED,
                                  mac(NDA_LLADDR, "02:00:00:00:00:0c"),
                                  u32(NDA_MASTER, 10)),
    "newneigh-arp": neigh(RTM_NEWNEIGH, 2, NUD_REACHABLE, 0,
                          ip4(NDA_DST, "192.0.2.1"),
                          mac(NDA_LLADDR, "02:00:00:00:00:0d"),
                          family=AF_INET),
    "dump-links": b"".join([BRIDGE, VXLAN, VETH, PORT,
                            nlmsg(NLMSG_DONE, struct.pack("=i", 0),
                                  NLM_F_MULTI)]),
    "dump-fdb": b"".join([LEARNED, REMOTE, FLOOD_V6,
                          nlmsg(NLMSG_DONE, struct.pack("=i", 0),
                                NLM_F_MULTI)]),
}


def main():
    """Writes every file of CORPUS into the directory given or the
    default."""
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "corpus",
                                                             "rtnl")
    os.makedirs(out, exist_ok=True)
    for name, data in sorted(CORPUS.items()):
        with open(os.path.join(out, name + ".bin"), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
