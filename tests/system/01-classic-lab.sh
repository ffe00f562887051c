#!/bin/bash
# 01-classic-lab.sh -- the classic two-hypervisor lab.
#
# hv1 (10.0.0.1) and hv2 (10.1.0.1) on one underlay segment, vm1 behind
# hv1's p1 and vm2 behind hv2's p1, logical switch ls0 with tunnel key 5000
# configured with vtep-ctl the drop-in way.  The VMs ping each other through
# VXLAN (VNI 5000 on UDP 4789, seen on the underlay), each vtepd publishes
# its VM's MAC in Ucast_Macs_Local and its own locator as unknown-dst in
# Mcast_Macs_Local, and vtepd/show and vtepd/dump-macs tell what it did.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
vt_init

step "namespaces: hv1, hv2, vm1, vm2, underlay"
classic_hosts

step "capture on hv1's underlay link"
start_capture hv1 ul0 underlay

step "databases, vtep-ctl configuration, vtepd"
classic_vteps

step "kernel objects on both hosts"
for h in hv1 hv2; do
    wait_until 10 has_vxlan_id "$h" 5000 \
        || fail "$h has no vxlan netdev with VNI 5000: $(vxlan_ids "$h")"
    ip -n "$(ns "$h")" -d link show type vxlan | matches 'dstport 4789' \
        || fail "$h's vxlan netdev does not use UDP port 4789"
    # RFC 7348: the UDP checksum SHOULD be zero; VTEPs such as OVS's
    # userspace datapath drop VXLAN whose checksum they cannot verify.
    ip -n "$(ns "$h")" -d link show type vxlan | matches ' noudpcsum ' \
        || fail "$h's vxlan netdev sends UDP checksums"
    vt_links "$h" vxlan | matches '^vtx[0-9a-f]{8}$' \
        || fail "$h's vxlan netdev is not named vtx<8 hex digits>"
    vt_links "$h" bridge | matches '^vtb[0-9a-f]{8}$' \
        || fail "$h has no bridge named vtb<8 hex digits>"
    # Nothing of vtepd's sends packets of its own into the logical switch:
    # no IPv6 address (router solicitations, MLD) on any of its devices,
    # and no multicast snooping (IGMP reports) on its bridges.
    for dev in $(vt_links "$h" bridge) $(vt_links "$h" vxlan); do
        [ -z "$(ip -n "$(ns "$h")" -6 -o addr show dev "$dev")" ] \
            || fail "$h's $dev has an IPv6 address"
    done
    for dev in $(vt_links "$h" bridge); do
        ip -n "$(ns "$h")" -d link show dev "$dev" \
            | matches ' mcast_snooping 0 ' \
            || fail "$h's bridge $dev snoops multicast"
    done
done

step "ping vm1 -> vm2 and vm2 -> vm1"
wait_until 30 ping_ok vm1 192.168.1.2 || fail "vm1 cannot ping vm2"
ping3 vm1 192.168.1.2
ping3 vm2 192.168.1.1
stop_capture underlay

step "the underlay saw VXLAN (UDP 4789, VNI 5000) carrying ARP and ICMP"
vxlan='\.4789: VXLAN, flags \[I\] \(0x08\), vni 5000 \|'
capture_has underlay "$vxlan" \
    || fail "no VXLAN VNI 5000 packet on the underlay"
capture_has underlay "$vxlan.*ARP.*who-has 192\.168\.1\.2 tell 192\.168\.1\.1" \
    || fail "no ARP request from vm1 inside VNI 5000 on the underlay"
capture_has underlay "$vxlan.*ARP.*Reply 192\.168\.1\.2 is-at 00:00:00:00:00:02" \
    || fail "no ARP reply from vm2 inside VNI 5000 on the underlay"
capture_has underlay "$vxlan.*192\.168\.1\.1 > 192\.168\.1\.2: ICMP echo request" \
    || fail "no ICMP echo request vm1 -> vm2 inside VNI 5000"
capture_has underlay "$vxlan.*192\.168\.1\.2 > 192\.168\.1\.1: ICMP echo reply" \
    || fail "no ICMP echo reply vm2 -> vm1 inside VNI 5000"
vnis=$(capture_vnis underlay)
if [ "$vnis" != 'vni 5000' ]; then
    fail "VXLAN on the underlay with VNIs other than 5000: $vnis"
fi
if capture_has underlay "$vxlan.*(IGMP|ICMP6|IPv6)"; then
    fail "the switches sent packets of their own into ls0:" \
         "$(decode underlay | grep -E "$vxlan.*(IGMP|ICMP6|IPv6)" | head -n 3)"
fi
decode underlay | grep -E "$vxlan.*ICMP echo" | sed -n 1,2p

step "Ucast_Macs_Local: vm1's MAC on hv1, vm2's MAC on hv2"
classic_local_macs
vtctl hv1 list Ucast_Macs_Local | matches 'logical_switch' \
    || fail "no Ucast_Macs_Local row on hv1"

step "Mcast_Macs_Local: unknown-dst with the switch's own locator"
wait_until 10 has_local_mcast hv1 ls0 "unknown-dst -> vxlan_over_ipv4/10.0.0.1" \
    || fail "hv1 has no Mcast_Macs_Local unknown-dst -> 10.0.0.1"
wait_until 10 has_local_mcast hv2 ls0 "unknown-dst -> vxlan_over_ipv4/10.1.0.1" \
    || fail "hv2 has no Mcast_Macs_Local unknown-dst -> 10.1.0.1"

step "vtepd/show and vtepd/dump-macs"
show=$(appctl hv1 vtepd/show) || fail "vtepd/show failed"
printf '%s\n' "$show"
text_has "$show" 'ls0' || fail "vtepd/show does not mention ls0"
text_has "$show" '5000' || fail "vtepd/show does not mention 5000"
macs=$(appctl hv1 vtepd/dump-macs ls0) || fail "vtepd/dump-macs ls0 failed"
printf '%s\n' "$macs"
text_has "$macs" '^local +00:00:00:00:00:01 +port +p1 +vlan +0$' \
    || fail "dump-macs lacks 'local 00:00:00:00:00:01 port p1 vlan 0'"
text_has "$macs" '^remote +00:00:00:00:00:02 +dst +10\.1\.0\.1$' \
    || fail "dump-macs lacks 'remote 00:00:00:00:00:02 dst 10.1.0.1'"
text_has "$macs" '^flood +dst +10\.1\.0\.1$' \
    || fail "dump-macs lacks 'flood dst 10.1.0.1'"

step "both vtepds still running"
vtepd_alive hv1 || fail "hv1's vtepd died"
vtepd_alive hv2 || fail "hv2's vtepd died"
echo "PASS: classic lab"
