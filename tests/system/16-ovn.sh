#!/bin/bash
# 16-ovn.sh -- vtepd as the VTEP gateway of a whole OVN deployment.
#
# OVN's Northbound and Southbound databases and ovn-northd in a namespace of
# their own; hypervisor hv1 (10.0.0.1) with Open vSwitch (userspace
# datapath, br-phy) and ovn-controller, vm1 (00:00:00:00:00:01,
# 192.168.1.1) on its br-int as logical port lp-vm1; VTEP gateway gw1
# (10.1.0.1) with its hardware_vtep database, vtepd playing switch gw1, vm2
# (00:00:00:00:00:02, 192.168.1.2) behind port p1 bound (VLAN 0) to the
# VTEP logical switch ls0, and ovn-controller-vtep between the two.  In the
# Northbound database, logical switch ls0 has lp-vm1 and a vtep port for
# (gw1, ls0) with addresses "unknown".
#
# This proves that vtepd works under OVN: gw1 becomes a VTEP chassis with
# ls0; ovn-controller-vtep gives ls0 the OVN datapath's tunnel key and
# source_node replication and writes vm1's MAC and the unknown-dst flood
# towards hv1, which vtepd programs into the kernel (a vxlan netdev with
# the key as VNI and zero UDP checksums, which hv1's userspace datapath
# needs, and FDB entries towards hv1); vm1 and vm2 ping each other through
# VXLAN whose VNI is the datapath key (seen on the underlay); vm2's MAC is
# local in gw1's database and hv1's datapath forwards to it; and unbinding
# p1 takes the data path down again (ping fails, vtepd deletes ls0's
# devices, ovn-controller-vtep resets the key).
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=lib-ovs.sh
. "$(dirname "$0")/lib-ovs.sh"
# shellcheck source-path=SCRIPTDIR source=lib-ovn.sh
. "$(dirname "$0")/lib-ovn.sh"
vt_init

mac1=00:00:00:00:00:01
mac2=00:00:00:00:00:02

step "namespaces: hv1 (10.0.0.1), gw1 (10.1.0.1), vm2 behind gw1's p1"
add_host hv1 10.0.0.1/8
add_host gw1 10.1.0.1/8
add_vm vm2 gw1 p1 "$mac2" 192.168.1.2/24
start_capture gw1 ul0 underlay udp port 4789

step "OVN central: Northbound, Southbound, ovn-northd"
start_ovn_central central

step "hypervisor hv1: Open vSwitch, br-phy, ovn-controller, vm1 on br-int"
ovn_hypervisor hv1 10.0.0.1/8
add_ovn_vif vm1 hv1 vif1 "$mac1" 192.168.1.1/24 lp-vm1

step "VTEP gw1: hardware_vtep database, vtepd, ovn-controller-vtep"
start_ovsdb gw1
vtctl gw1 add-ps gw1
vtctl gw1 set Physical_Switch gw1 tunnel_ips=10.1.0.1
vtctl gw1 add-port gw1 p1
vtctl gw1 add-ls ls0
vtctl gw1 bind-ls gw1 p1 0 ls0
start_vtepd gw1 gw1
start_ovn_controller_vtep gw1

step "OVN Northbound: ls0 with lp-vm1 and the vtep port lp-gw1"
nbctl ls-add ls0 \
    -- lsp-add ls0 lp-vm1 \
    -- lsp-set-addresses lp-vm1 "$mac1 192.168.1.1"
add_vtep_lsp ls0 lp-gw1 gw1 ls0
nbctl --wait=sb sync

step "Southbound: gw1 is a VTEP chassis with ls0, its ports are bound"
wait_until 10 sb_has_chassis gw1 || fail "no Chassis gw1 in the Southbound"
wait_until 10 sb_vtep_lswitches_are gw1 ls0 \
    || fail "Chassis gw1's vtep_logical_switches is not [ls0]:" \
            "$(sb_vtep_lswitches gw1)"
is_vtep=$(sbq get Chassis gw1 other_config:is-vtep 2>/dev/null) || true
[ "$is_vtep" = '"true"' ] \
    || fail "Chassis gw1 has no other_config:is-vtep=true ($is_vtep)"
sb_encap_ip_is gw1 vxlan 10.1.0.1 \
    || fail "Chassis gw1's VXLAN encap is not on 10.1.0.1: $(sb_encap_ips gw1 vxlan)"
wait_until 10 sb_pb_chassis_is lp-gw1 gw1 \
    || fail "lp-gw1 is not bound to gw1: '$(sb_pb_chassis lp-gw1)'"
wait_until 20 sb_pb_chassis_is lp-vm1 hv1 \
    || fail "lp-vm1 is not bound to hv1: '$(sb_pb_chassis lp-vm1)'"
sbctl show

step "ovn-controller-vtep: ls0's tunnel_key is the datapath key, source_node"
key=$(sb_dp_key ls0)
[ -n "$key" ] || fail "no Datapath_Binding for ls0"
wait_until 10 vtep_ls_key_is gw1 ls0 "$key" \
    || fail "ls0's tunnel_key is '$(vtep_ls_key gw1 ls0)', not $key"
wait_until 10 vtep_ls_repl_is gw1 ls0 source_node \
    || fail "ls0's replication_mode is '$(vtep_ls_repl gw1 ls0)'"

step "Ucast/Mcast_Macs_Remote towards hv1, in gw1's kernel by vtepd"
wait_until 10 remote_macs_are gw1 ls0 "$mac1 10.0.0.1;" \
    || fail "Ucast_Macs_Remote of ls0 is not $mac1 -> 10.0.0.1:" \
            "$(remote_macs gw1 ls0)"
wait_until 10 remote_mcast_are gw1 ls0 "unknown-dst 10.0.0.1;" \
    || fail "Mcast_Macs_Remote of ls0 is not unknown-dst -> 10.0.0.1:" \
            "$(remote_mcast gw1 ls0)"
vtctl gw1 list-remote-macs ls0
wait_until 10 has_vxlan_id gw1 "$key" \
    || fail "gw1 has no vxlan netdev with VNI $key: $(vxlan_ids gw1)"
wait_until 10 remote_fdb_is gw1 "00:00:00:00:00:00 10.0.0.1;$mac1 10.0.0.1;" \
    || fail "gw1's VXLAN FDB is not vm1 + flood to hv1: $(remote_fdb gw1)"
remote_fdb gw1
ip -n "$(ns gw1)" -d link show type vxlan \
    | matches " vxlan id $key local 10\\.1\\.0\\.1 .*dstport 4789 " \
    || fail "gw1's vxlan netdev is not VNI $key from 10.1.0.1 on UDP 4789"
# RFC 7348: the outer UDP checksum SHOULD be zero.  hv1's userspace
# datapath verifies a non-zero one, and over the veth underlay a Linux
# sender leaves it to offloading, unfinished: hv1 would drop every packet
# from gw1 at tunnel pop.
ip -n "$(ns gw1)" -d link show type vxlan | matches ' noudpcsum ' \
    || fail "gw1's vxlan netdev sends UDP checksums (hv1 drops them)"
vtepd_no_faults gw1 \
    || fail "vtepd finds problems in ovn-controller-vtep's rows:" \
            "$(vtepd_faults gw1)"

step "hv1: a VXLAN tunnel to gw1 and the flow that takes VNI $key in"
# hv1_tunnel_to_gw1: hv1's br-int has a VXLAN port to gw1's tunnel IP.
hv1_tunnel_to_gw1() {
    ovs_vsctl hv1 --bare --columns=options find Interface type=vxlan \
        2>/dev/null | matches 'remote_ip=(")?10\.1\.0\.1'
}
wait_until 10 hv1_tunnel_to_gw1 \
    || fail "hv1's br-int has no VXLAN port to 10.1.0.1"
# hv1_takes_vni: hv1's br-int takes VNI $key from gw1's tunnel in (the
# flow that sets the datapath from the tunnel key and the inport to the
# vtep port).
hv1_takes_vni() {
    ovs_ofctl hv1 dump-flows br-int table=0 2>/dev/null \
        | matches "priority=110,tun_id=0x$(printf '%x' "$key"),in_port="
}
wait_until 10 hv1_takes_vni \
    || fail "hv1's br-int has no table 0 flow for tun_id $key from gw1"

step "ping vm1 -> vm2 and vm2 -> vm1"
wait_until 30 ping_ok vm1 192.168.1.2 || fail "vm1 cannot ping vm2"
ping3 vm1 192.168.1.2
ping3 vm2 192.168.1.1

step "gw1's Ucast_Macs_Local has vm2's MAC, Mcast_Macs_Local gw1's locator"
wait_until 10 has_local_mac gw1 ls0 "$mac2" \
    || fail "gw1's Ucast_Macs_Local lacks vm2's MAC"
[ "$(local_macs gw1 ls0)" = "$mac2" ] \
    || fail "gw1's local MACs are not just vm2's: $(local_macs gw1 ls0)"
wait_until 10 has_local_mcast gw1 ls0 "unknown-dst -> vxlan_over_ipv4/10.1.0.1" \
    || fail "gw1 has no Mcast_Macs_Local unknown-dst -> 10.1.0.1"
vtctl gw1 list-local-macs ls0

step "hv1's datapath carries vm2's MAC over the tunnel with gw1"
# OVN 23.03 does not read Ucast_Macs_Local (ovn-controller-vtep leaves it
# alone; the vtep port's address is "unknown"), so no Southbound row names
# vm2's MAC.  What OVN learns of it is in hv1's datapath: the flows the
# ping made send frames to vm2's MAC into VXLAN to gw1 with the datapath
# key, and take vm2's frames from gw1's tunnel with that key to vm1.
vni_hex=0x$(printf '%x' "$key")
hv1_flows_with_vm2() {
    local flows
    flows=$(ovs_appctl hv1 dpctl/dump-flows 2>/dev/null) || return 1
    text_has "$flows" "eth\\(src=$mac1(/[0-9a-f:]+)?,dst=$mac2(/[0-9a-f:]+)?\\).*tnl_push\\(.*ipv4\\(src=10\\.0\\.0\\.1,dst=10\\.1\\.0\\.1,.*udp\\([^)]*dst=4789[^)]*\\),vxlan\\(flags=0x8000000,vni=$vni_hex\\)" \
        && text_has "$flows" "^tunnel\\(tun_id=$vni_hex,src=10\\.1\\.0\\.1,dst=10\\.0\\.0\\.1,.*eth\\(src=$mac2(/[0-9a-f:]+)?,dst=$mac1(/[0-9a-f:]+)?\\)"
}
on vm1 ping -n -q -c 2 -i 0.2 -W 1 192.168.1.2 >/dev/null \
    || fail "vm1 lost pings to vm2"
wait_until 5 hv1_flows_with_vm2 \
    || fail "hv1's datapath has no flows between vm1 and vm2 over VXLAN:" \
            "$(ovs_appctl hv1 dpctl/dump-flows)"
stop_capture underlay

step "the underlay carried VXLAN (UDP 4789, VNI $key) both ways"
vxlan="\\.4789: VXLAN, flags \\[I\\] \\(0x08\\), vni $key \\|"
capture_has underlay "10\\.0\\.0\\.1\\.[0-9]+ > 10\\.1\\.0\\.1$vxlan.*192\\.168\\.1\\.1 > 192\\.168\\.1\\.2: ICMP echo request" \
    || fail "no ICMP echo request vm1 -> vm2 in VNI $key from hv1 to gw1"
capture_has underlay "10\\.1\\.0\\.1\\.[0-9]+ > 10\\.0\\.0\\.1$vxlan.*192\\.168\\.1\\.2 > 192\\.168\\.1\\.1: ICMP echo reply" \
    || fail "no ICMP echo reply vm2 -> vm1 in VNI $key from gw1 to hv1"
capture_has underlay "$vxlan.*ARP.*who-has 192\\.168\\.1\\.2 tell 192\\.168\\.1\\.1" \
    || fail "no ARP request from vm1 inside VNI $key"
vnis=$(capture_vnis underlay)
[ "$vnis" = "vni $key" ] \
    || fail "VXLAN on the underlay with VNIs other than $key: $vnis"
decode underlay | grep -E "$vxlan.*ICMP echo" | sed -n 1,2p

step "unbind p1: the data path goes away"
vtctl gw1 unbind-ls gw1 p1 0
wait_until 10 no_ls_netdevs gw1 \
    || fail "vtepd left devices for ls0 after the unbinding: $(ls_netdevs gw1)"
wait_until 10 vtep_ls_key_is gw1 ls0 0 \
    || fail "ovn-controller-vtep did not reset ls0's tunnel_key:" \
            "'$(vtep_ls_key gw1 ls0)'"
wait_until 10 sb_vtep_lswitches_are gw1 "" \
    || fail "Chassis gw1 still lists $(sb_vtep_lswitches gw1)"
wait_until 10 sb_pb_chassis_is lp-gw1 "" \
    || fail "lp-gw1 is still bound to '$(sb_pb_chassis lp-gw1)'"
wait_until 10 remote_macs_are gw1 ls0 "" \
    || fail "ls0 still has Ucast_Macs_Remote rows: $(remote_macs gw1 ls0)"
wait_until 10 lacks_local_mac gw1 ls0 "$mac2" \
    || fail "vm2's MAC is still local in ls0 after the unbinding"
[ -z "$(remote_fdb gw1)" ] \
    || fail "gw1 kept VXLAN FDB entries: $(remote_fdb gw1)"
wait_until 10 ping_fails vm1 192.168.1.2 \
    || fail "vm1 still reaches vm2 after the unbinding"
ping_fails vm2 192.168.1.1 || fail "vm2 still reaches vm1 after the unbinding"

step "every daemon still running"
vtepd_alive gw1 || fail "gw1's vtepd died"
ovn_daemon_alive gw1 ovn-controller-vtep || fail "ovn-controller-vtep died"
ovn_daemon_alive hv1 ovn-controller || fail "hv1's ovn-controller died"
echo "PASS: OVN end to end"
