#!/bin/bash
# 13-linux-vxlan-host.sh -- a plain Linux VXLAN host reaches a VM behind
# vtepd.
#
# hv1 (10.0.0.1) runs vtepd: ls0 (key 5000) bound to p1, vm1
# (00:00:00:00:00:01, 192.168.1.1) behind it.  Host lx (10.1.0.1) runs no
# OVSDB at all: it is set up by hand the way the libvirt/KVM guides do it,
# a vxlan netdev (VNI 5000, UDP 4789, unicast "remote 10.0.0.1") and vm2's
# port vnet0 (00:00:00:00:00:02, 192.168.1.2) on a Linux bridge br0.  hv1
# knows lx only from vtep-ctl remotes.
#
#   1. with only the unknown-dst remote 10.1.0.1, vm1 and vm2 ping each
#      other (vm1's frames to vm2 are flooded);
#   2. with the ucast remote of vm2's MAC as well, they still do, hv1's
#      kernel has that remote MAC, the underlay carries VNI 5000 on UDP 4789
#      both ways, and hv1's Ucast_Macs_Local holds vm1's MAC, not vm2's;
#   3. once both remotes are deleted, pings fail both ways: the traffic
#      went through what vtepd programmed;
#   4. lx made the other way of the guides ("bridge fdb append" of the
#      all-zero MAC instead of "remote"), remotes back on hv1: pings work.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
vt_init

vm1_mac=00:00:00:00:00:01
vm2_mac=00:00:00:00:00:02

# ping_both: vm1 and vm2 reach each other (waiting up to 20 s for the
# first answer).
ping_both() {
    wait_until 20 ping_ok vm1 192.168.1.2 || fail "vm1 cannot ping vm2 $*"
    wait_until 10 ping_ok vm2 192.168.1.1 || fail "vm2 cannot ping vm1 $*"
}

# lx_vxlan ARGS...: on lx, the guides' vxlan5000 (VNI 5000, UDP 4789, over
# ul0) with ARGS, a port of br0.
lx_vxlan() {
    on lx ip link add vxlan5000 type vxlan id 5000 dstport 4789 \
        local 10.1.0.1 dev ul0 "$@" || fail "cannot make lx's vxlan5000"
    on lx ip link set dev vxlan5000 master br0 up
}

step "namespaces: hv1 (10.0.0.1) with vm1 on p1, lx (10.1.0.1) with vm2"
add_host hv1 10.0.0.1/8
add_host lx 10.1.0.1/8
add_vm vm1 hv1 p1 "$vm1_mac" 192.168.1.1/24
add_vm vm2 lx vnet0 "$vm2_mac" 192.168.1.2/24

step "lx by hand: bridge br0 with vnet0 and vxlan5000 (remote 10.0.0.1)"
on lx ip link add br0 type bridge
on lx ip link set dev vnet0 master br0
on lx ip link set dev br0 up
lx_vxlan remote 10.0.0.1
vx=$(on lx ip -d link show dev vxlan5000 | grep -E '^ +vxlan id ') || true
printf '%s\n' "$vx"
text_has "$vx" \
    'vxlan id 5000 remote 10\.0\.0\.1 local 10\.1\.0\.1 .*dstport 4789' \
    || fail "lx's vxlan5000 is not VNI 5000 to 10.0.0.1 on UDP 4789"
bridge -n "$(ns lx)" fdb show dev vxlan5000 \
    | matches '^00:00:00:00:00:00 dst 10\.0\.0\.1 ' \
    || fail "lx's vxlan5000 has no default destination 10.0.0.1"

step "hv1: ls0 (key 5000) on p1, only the unknown-dst remote 10.1.0.1"
start_ovsdb hv1
vtctl hv1 add-ps hv1
vtctl hv1 set Physical_Switch hv1 tunnel_ips=10.0.0.1
vtctl hv1 add-port hv1 p1
vtctl hv1 add-ls ls0
vtctl hv1 set Logical_Switch ls0 tunnel_key=5000
vtctl hv1 bind-ls hv1 p1 0 ls0
vtctl hv1 add-mcast-remote ls0 unknown-dst 10.1.0.1
start_vtepd hv1 hv1
wait_until 10 remote_fdb_is hv1 '00:00:00:00:00:00 10.1.0.1;' \
    || fail "hv1's VXLAN FDB is not just the flood entry: $(remote_fdb hv1)"

step "1. flooding only: vm1 <-> vm2"
ping_both "with only the unknown-dst remote"

step "2. ucast remote of vm2's MAC as well"
vtctl hv1 add-ucast-remote ls0 "$vm2_mac" 10.1.0.1
wait_until 10 remote_fdb_is hv1 \
    "00:00:00:00:00:00 10.1.0.1;$vm2_mac 10.1.0.1;" \
    || fail "hv1's VXLAN FDB lacks vm2's MAC: $(remote_fdb hv1)"
start_capture hv1 ul0 underlay udp port 4789
on vm1 ip neigh flush all
on vm2 ip neigh flush all
ping3 vm1 192.168.1.2
ping3 vm2 192.168.1.1
stop_capture underlay

step "the underlay carried VNI 5000 on UDP 4789 both ways"
vxlan='\.4789: VXLAN, flags \[I\] \(0x08\), vni 5000 \|'
to_lx='10\.0\.0\.1\.[0-9]+ > 10\.1\.0\.1'$vxlan
to_hv1='10\.1\.0\.1\.[0-9]+ > 10\.0\.0\.1'$vxlan
vm1_vm2='192\.168\.1\.1 > 192\.168\.1\.2: ICMP echo'
vm2_vm1='192\.168\.1\.2 > 192\.168\.1\.1: ICMP echo'
capture_has underlay \
    "$to_lx.*ARP.*who-has 192\.168\.1\.2 tell 192\.168\.1\.1" \
    || fail "no ARP request of vm1 in VNI 5000 from hv1 to lx"
capture_has underlay "$to_lx.*$vm1_vm2 request" \
    || fail "no echo request vm1 -> vm2 in VNI 5000 from hv1 to lx"
capture_has underlay "$to_hv1.*$vm2_vm1 reply" \
    || fail "no echo reply vm2 -> vm1 in VNI 5000 from lx to hv1"
capture_has underlay "$to_hv1.*$vm2_vm1 request" \
    || fail "no echo request vm2 -> vm1 in VNI 5000 from lx to hv1"
capture_has underlay "$to_lx.*$vm1_vm2 reply" \
    || fail "no echo reply vm1 -> vm2 in VNI 5000 from hv1 to lx"
vnis=$(capture_vnis underlay)
[ "$vnis" = 'vni 5000' ] \
    || fail "VXLAN on the underlay with VNIs other than 5000: $vnis"
decode underlay | grep -E 'ICMP echo' | sed -n 1,2p

step "hv1's Ucast_Macs_Local: vm1's MAC, not vm2's"
wait_until 10 has_local_mac hv1 ls0 "$vm1_mac" \
    || fail "hv1's Ucast_Macs_Local lacks vm1's MAC"
[ "$(local_macs hv1 ls0)" = "$vm1_mac" ] \
    || fail "hv1's local MACs are not just vm1's: $(local_macs hv1 ls0)"
vtctl hv1 list-local-macs ls0

step "3. both remotes deleted: pings fail both ways"
vtctl hv1 del-ucast-remote ls0 "$vm2_mac"
vtctl hv1 del-mcast-remote ls0 unknown-dst 10.1.0.1
wait_until 10 remote_fdb_is hv1 '' \
    || fail "hv1 kept VXLAN FDB entries: $(remote_fdb hv1)"
wait_until 10 ping_fails vm1 192.168.1.2 \
    || fail "vm1 still reaches vm2 without any remote on hv1"
ping_fails vm2 192.168.1.1 \
    || fail "vm2 still reaches vm1 without any remote on hv1"
on vm1 ip neigh flush all
ping_fails vm1 192.168.1.2 \
    || fail "vm1 resolves and reaches vm2 without any remote on hv1"

step "4. lx with 'bridge fdb append' instead of 'remote'; remotes back"
on lx ip link del dev vxlan5000
lx_vxlan
bridge -n "$(ns lx)" fdb append 00:00:00:00:00:00 dev vxlan5000 dst 10.0.0.1
bridge -n "$(ns lx)" fdb show dev vxlan5000
vtctl hv1 add-ucast-remote ls0 "$vm2_mac" 10.1.0.1
vtctl hv1 add-mcast-remote ls0 unknown-dst 10.1.0.1
wait_until 10 remote_fdb_is hv1 \
    "00:00:00:00:00:00 10.1.0.1;$vm2_mac 10.1.0.1;" \
    || fail "hv1's VXLAN FDB is not back: $(remote_fdb hv1)"
on vm1 ip neigh flush all
on vm2 ip neigh flush all
ping_both "with lx's flood entry made by 'bridge fdb append'"

vtepd_alive hv1 || fail "hv1's vtepd died"
echo "PASS: Linux VXLAN host"
