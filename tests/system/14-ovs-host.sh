#!/bin/bash
# 14-ovs-host.sh -- a plain Open vSwitch host with a VXLAN port reaches a
# VM behind vtepd.
#
# hv1 (10.0.0.1) runs vtepd: ls0 (key 5000) bound to p1, vm1
# (00:00:00:00:00:01, 192.168.1.1) behind it, vm2's MAC and the unknown-dst
# flood behind 10.1.0.1, all with vtep-ctl.  Host ovs1 (10.1.0.1) runs Open
# vSwitch as the common tutorial has it, with no OVSDB hardware_vtep and no
# controller: bridge br-int with vm2's port vnet0 (00:00:00:00:00:02,
# 192.168.1.2) and a VXLAN port vx0 to 10.0.0.1.  The userspace datapath
# (datapath_type=netdev) throughout, the underlay on br-phy (lib-ovs.sh).
# That datapath drops VXLAN whose UDP checksum it cannot verify, as it is
# over veth when the sender's kernel left it to offloading: vtepd sends
# zero UDP checksums, as RFC 7348 recommends, so nothing is needed here.
#
#   1. vx0 with options:key=5000, br-int with its NORMAL flow: vm1 and vm2
#      ping each other;
#   2. vx0 with options:key=flow, OpenFlow flows that set tun_id 5000 on
#      the way out and match it on the way in: they ping each other again;
#   3. the flow out sets tun_id 5001: vm2's frames reach hv1 with VNI 5001
#      and vtepd's datapath drops them, pings fail both ways; back to 5000,
#      pings work again.
#
# The underlay carries VNI 5000 on UDP 4789 both ways in 1 and 2.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=lib-ovs.sh
. "$(dirname "$0")/lib-ovs.sh"
vt_init

vxlan='\.4789: VXLAN, flags \[I\] \(0x08\), vni'
to_ovs1='10\.0\.0\.1\.[0-9]+ > 10\.1\.0\.1'$vxlan
to_hv1='10\.1\.0\.1\.[0-9]+ > 10\.0\.0\.1'$vxlan
vm1_vm2='192\.168\.1\.1 > 192\.168\.1\.2: ICMP echo'
vm2_vm1='192\.168\.1\.2 > 192\.168\.1\.1: ICMP echo'

# ping_both: vm1 and vm2 reach each other (waiting up to 30 s for the
# first answer, while ovs1 resolves 10.0.0.1), three pings each way.
ping_both() {
    wait_until 30 ping_ok vm1 192.168.1.2 || fail "vm1 cannot ping vm2 $*"
    wait_until 10 ping_ok vm2 192.168.1.1 || fail "vm2 cannot ping vm1 $*"
    ping3 vm1 192.168.1.2
    ping3 vm2 192.168.1.1
}

# check_underlay TAG: capture TAG holds the pings of both VMs in VNI 5000
# on UDP 4789 both ways, and no other VNI.
check_underlay() {
    local vnis
    capture_has "$1" "$to_ovs1 5000 \|.*$vm1_vm2 request" \
        || fail "no echo request vm1 -> vm2 in VNI 5000 to ovs1 ($1)"
    capture_has "$1" "$to_hv1 5000 \|.*$vm2_vm1 reply" \
        || fail "no echo reply vm2 -> vm1 in VNI 5000 to hv1 ($1)"
    capture_has "$1" "$to_hv1 5000 \|.*$vm2_vm1 request" \
        || fail "no echo request vm2 -> vm1 in VNI 5000 to hv1 ($1)"
    capture_has "$1" "$to_ovs1 5000 \|.*$vm1_vm2 reply" \
        || fail "no echo reply vm1 -> vm2 in VNI 5000 to ovs1 ($1)"
    vnis=$(capture_vnis "$1")
    [ "$vnis" = 'vni 5000' ] \
        || fail "VXLAN on the underlay with VNIs other than 5000 ($1): $vnis"
}

# flow_out KEY: ovs1's flow from vm2's port into the tunnel, with tun_id
# KEY (replaces the one there).
flow_out() {
    ovs_ofctl ovs1 add-flow br-int \
        "in_port=vnet0,actions=set_field:$1->tun_id,output:vx0" \
        || fail "cannot add ovs1's flow vnet0 -> vx0 (tun_id $1)"
}

step "namespaces: hv1 (10.0.0.1) with vm1 on p1, ovs1 (10.1.0.1) with vm2"
add_host hv1 10.0.0.1/8
add_host ovs1 10.1.0.1/8
add_vm vm1 hv1 p1 00:00:00:00:00:01 192.168.1.1/24
add_vm vm2 ovs1 vnet0 00:00:00:00:00:02 192.168.1.2/24

step "hv1: ls0 (key 5000) on p1, vm2's MAC and unknown-dst at 10.1.0.1"
start_ovsdb hv1
configure_vtep hv1 hv1 10.0.0.1 p1 ls0 5000 00:00:00:00:00:02 10.1.0.1
start_vtepd hv1 hv1

step "ovs1: Open vSwitch, br-phy with 10.1.0.1, br-int with vnet0 and vx0"
start_ovs ovs1
ovs_br_phy ovs1 10.1.0.1/8
ovs_vsctl ovs1 add-br br-int -- set Bridge br-int datapath_type=netdev \
    -- add-port br-int vnet0 \
    -- add-port br-int vx0 -- set interface vx0 type=vxlan \
           options:remote_ip=10.0.0.1 options:key=5000 \
    || fail "cannot make ovs1's br-int"
ovs_vsctl ovs1 show
wait_until 10 has_vxlan_id hv1 5000 || fail "hv1 has no VNI 5000"

step "1. key=5000, NORMAL: vm1 <-> vm2"
start_capture hv1 ul0 normal udp port 4789
ping_both "(options:key=5000, NORMAL)"
stop_capture normal
check_underlay normal
decode normal | grep -E 'ICMP echo' | sed -n 1,2p
wait_until 10 has_local_mac hv1 ls0 00:00:00:00:00:01 \
    || fail "hv1's Ucast_Macs_Local lacks vm1's MAC"
[ "$(local_macs hv1 ls0)" = 00:00:00:00:00:01 ] \
    || fail "hv1's local MACs are not just vm1's: $(local_macs hv1 ls0)"

step "2. key=flow, tun_id set and matched by OpenFlow flows"
ovs_vsctl ovs1 del-port br-int vx0
ovs_vsctl ovs1 add-port br-int vx0 -- set interface vx0 type=vxlan \
    options:remote_ip=10.0.0.1 options:local_ip=10.1.0.1 options:key=flow \
    || fail "cannot make ovs1's vx0 with key=flow"
ovs_ofctl ovs1 del-flows br-int
flow_out 5000
ovs_ofctl ovs1 add-flow br-int \
    "in_port=vx0,tun_id=5000,actions=output:vnet0" \
    || fail "cannot add ovs1's flow vx0 -> vnet0"
ovs_vsctl ovs1 get Interface vx0 options
ovs_ofctl ovs1 dump-flows br-int --no-stats --names
on vm1 ip neigh flush all
on vm2 ip neigh flush all
start_capture hv1 ul0 flow udp port 4789
ping_both "(options:key=flow, tun_id 5000 by flows)"
stop_capture flow
check_underlay flow

step "3. tun_id 5001 on the way out: hv1 drops it, pings fail"
start_capture hv1 ul0 wrong udp port 4789
flow_out 5001
wait_until 10 ping_fails vm2 192.168.1.1 \
    || fail "vm2 still reaches vm1 with tun_id 5001"
ping_fails vm1 192.168.1.2 \
    || fail "vm1 still reaches vm2 with ovs1 sending tun_id 5001"
stop_capture wrong
capture_has wrong "$to_hv1 5001 \|.*$vm2_vm1 reply" \
    || fail "ovs1's echo replies did not reach hv1 with VNI 5001"
decode wrong | grep -E 'vni 5001' | sed -n 1p

step "tun_id back to 5000: pings work"
flow_out 5000
wait_until 10 ping_ok vm2 192.168.1.1 || fail "vm2 cannot ping vm1 again"
ping_ok vm1 192.168.1.2 || fail "vm1 cannot ping vm2 again"

vtepd_alive hv1 || fail "hv1's vtepd died"
echo "PASS: Open vSwitch host"
