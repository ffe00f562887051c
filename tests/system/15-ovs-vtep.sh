#!/bin/bash
# 15-ovs-vtep.sh -- vtepd and OVS's ovs-vtep emulator interoperate.
#
# hv1 (10.0.0.1) is vtepd against its own hardware_vtep database; hv2
# (10.1.0.1) is Open vSwitch's reference VTEP emulator, ovs-vtep, on an
# ovs-vswitchd with the userspace datapath, whose one ovsdb-server serves
# both the Open_vSwitch and the hardware_vtep databases.  Both switches are
# configured with vtep-ctl only: ls0 with tunnel key 5000, vm1 behind hv1's
# p1, vm2 behind hv2's p1, a Ucast_Macs_Remote for the other VM and an
# unknown-dst Mcast_Macs_Remote towards the other switch.  The VMs ping each
# other, the underlay carries ARP and ICMP in VXLAN VNI 5000 on UDP 4789
# both ways, and each switch publishes its VM's MAC in Ucast_Macs_Local
# (hv1's written by vtepd, hv2's by ovs-vtep).  Without the Ucast_Macs_Remote
# rows the VMs still ping each other through the unknown-dst flooding of
# both switches, and so they do with replication_mode=source_node.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=lib-ovs.sh
. "$(dirname "$0")/lib-ovs.sh"
vt_init

# ls_ovs_bridge HOST LS: the OVS bridge that ovs-vtep made on HOST for
# logical switch LS.
ls_ovs_bridge() {
    ovs_vsctl "$1" --bare --columns=name find Bridge \
        "external_ids:logical_switch_name=$2" 2>/dev/null
}

# ls_flows HOST LS MATCH: the flows of LS's bridge on HOST that match
# MATCH.  Fails if there is no such bridge yet.
ls_flows() {
    local br
    br=$(ls_ovs_bridge "$1" "$2")
    [ -n "$br" ] || return 1
    ovs_ofctl "$1" dump-flows "$br" "$3" 2>/dev/null
}

# ls_has_flow HOST LS MATCH REGEX: a flow of LS's bridge on HOST that
# matches MATCH also matches extended REGEX.
ls_has_flow() {
    local flows
    flows=$(ls_flows "$1" "$2" "$3") || return 1
    text_has "$flows" "$4"
}

# ls_lacks_flow HOST LS MATCH REGEX: LS's bridge on HOST exists and none of
# its flows that match MATCH matches extended REGEX.
ls_lacks_flow() {
    local flows
    flows=$(ls_flows "$1" "$2" "$3") || return 1
    ! text_has "$flows" "$4"
}

# ping_both_ways: vm1 and vm2 reach each other (waiting up to 30 s for
# the first answer), with fresh ARP caches.
ping_both_ways() {
    on vm1 ip neigh flush all
    on vm2 ip neigh flush all
    wait_until 30 ping_ok vm1 192.168.1.2 || fail "vm1 cannot ping vm2"
    ping3 vm1 192.168.1.2
    on vm1 ip neigh flush all
    on vm2 ip neigh flush all
    wait_until 10 ping_ok vm2 192.168.1.1 || fail "vm2 cannot ping vm1"
    ping3 vm2 192.168.1.1
}

step "namespaces: hv1, hv2, vm1, vm2, underlay"
classic_hosts
start_capture hv1 ul0 underlay udp port 4789

step "hv1: vtepd with its hardware_vtep database"
start_ovsdb hv1
configure_vtep hv1 hv1 10.0.0.1 p1 ls0 5000 00:00:00:00:00:02 10.1.0.1
start_vtepd hv1 hv1

step "hv2: Open vSwitch (userspace datapath, br-phy) and ovs-vtep"
ovs_vtep_host hv2 10.1.0.1/8 p1
vtctl hv2 get Physical_Switch hv2 description | matches 'OVS VTEP Emulator' \
    || fail "hv2's Physical_Switch is not described as ovs-vtep's"
configure_ls hv2 hv2 p1 0 ls0 5000 00:00:00:00:00:01 10.0.0.1

step "hv1's kernel datapath and hv2's ovs-vtep bridge for ls0"
wait_until 10 has_vxlan_id hv1 5000 \
    || fail "hv1 has no vxlan netdev with VNI 5000: $(vxlan_ids hv1)"
wait_until 10 remote_fdb_is hv1 \
        "00:00:00:00:00:00 10.1.0.1;00:00:00:00:00:02 10.1.0.1;" \
    || fail "hv1's VXLAN FDB is not vm2 + flood to hv2: $(remote_fdb hv1)"
wait_until 20 ls_has_flow hv2 ls0 table=1 \
        'dl_dst=00:00:00:00:00:01 actions=output' \
    || fail "ovs-vtep has no flow for vm1's MAC: $(ls_flows hv2 ls0 table=1)"
ovs_vsctl hv2 --columns=name,type,options list Interface \
    | matches 'key="?5000"?' \
    || fail "ovs-vtep made no VXLAN port with key 5000"

step "ucast + unknown-dst remotes: ping vm1 <-> vm2"
ping_both_ways
stop_capture underlay

step "the underlay saw VXLAN (UDP 4789, VNI 5000) carrying ARP and ICMP both ways"
to_hv2='10\.0\.0\.1\.[0-9]+ > 10\.1\.0\.1\.4789: VXLAN, flags \[I\] \(0x08\), vni 5000 \|'
to_hv1='10\.1\.0\.1\.[0-9]+ > 10\.0\.0\.1\.4789: VXLAN, flags \[I\] \(0x08\), vni 5000 \|'
capture_has underlay "$to_hv2.*ARP.*who-has 192\.168\.1\.2 tell 192\.168\.1\.1" \
    || fail "no ARP request vm1 -> vm2 in VNI 5000 from hv1 to hv2"
capture_has underlay "$to_hv1.*ARP.*who-has 192\.168\.1\.1 tell 192\.168\.1\.2" \
    || fail "no ARP request vm2 -> vm1 in VNI 5000 from hv2 to hv1"
capture_has underlay "$to_hv1.*ARP.*Reply 192\.168\.1\.2 is-at 00:00:00:00:00:02" \
    || fail "no ARP reply from vm2 in VNI 5000 from hv2 to hv1"
capture_has underlay "$to_hv2.*ARP.*Reply 192\.168\.1\.1 is-at 00:00:00:00:00:01" \
    || fail "no ARP reply from vm1 in VNI 5000 from hv1 to hv2"
capture_has underlay "$to_hv2.*192\.168\.1\.1 > 192\.168\.1\.2: ICMP echo request" \
    || fail "no ICMP echo request vm1 -> vm2 in VNI 5000 from hv1 to hv2"
capture_has underlay "$to_hv1.*192\.168\.1\.2 > 192\.168\.1\.1: ICMP echo reply" \
    || fail "no ICMP echo reply vm2 -> vm1 in VNI 5000 from hv2 to hv1"
capture_has underlay "$to_hv1.*192\.168\.1\.2 > 192\.168\.1\.1: ICMP echo request" \
    || fail "no ICMP echo request vm2 -> vm1 in VNI 5000 from hv2 to hv1"
capture_has underlay "$to_hv2.*192\.168\.1\.1 > 192\.168\.1\.2: ICMP echo reply" \
    || fail "no ICMP echo reply vm1 -> vm2 in VNI 5000 from hv1 to hv2"
vnis=$(capture_vnis underlay)
[ "$vnis" = 'vni 5000' ] \
    || fail "VXLAN on the underlay with VNIs other than 5000: $vnis"
decode underlay | grep -E 'ICMP echo' | sed -n 1,2p

step "Ucast_Macs_Local: vm1's MAC on hv1 (vtepd), vm2's MAC on hv2 (ovs-vtep)"
classic_local_macs
wait_until 10 has_local_mcast hv1 ls0 "unknown-dst -> vxlan_over_ipv4/10.0.0.1" \
    || fail "hv1 has no Mcast_Macs_Local unknown-dst -> 10.0.0.1"
wait_until 10 has_local_mcast hv2 ls0 "unknown-dst -> vxlan_over_ipv4/10.1.0.1" \
    || fail "hv2 has no Mcast_Macs_Local unknown-dst -> 10.1.0.1"

step "unknown-dst remotes only: the VMs reach each other by flooding"
vtctl hv1 del-ucast-remote ls0 00:00:00:00:00:02
vtctl hv2 del-ucast-remote ls0 00:00:00:00:00:01
vtctl hv1 list-remote-macs ls0
vtctl hv2 list-remote-macs ls0
wait_until 10 remote_fdb_is hv1 "00:00:00:00:00:00 10.1.0.1;" \
    || fail "hv1's VXLAN FDB is not just the flood to hv2: $(remote_fdb hv1)"
wait_until 20 ls_lacks_flow hv2 ls0 table=1 \
        'dl_dst=00:00:00:00:00:01 actions=output' \
    || fail "ovs-vtep kept its flow for vm1's MAC: $(ls_flows hv2 ls0 table=1)"
start_capture hv1 ul0 flood udp port 4789
ping_both_ways
stop_capture flood
capture_has flood "$to_hv2.*192\.168\.1\.1 > 192\.168\.1\.2: ICMP echo request" \
    || fail "no flooded ICMP echo request vm1 -> vm2 in VNI 5000"
capture_has flood "$to_hv1.*192\.168\.1\.2 > 192\.168\.1\.1: ICMP echo request" \
    || fail "no flooded ICMP echo request vm2 -> vm1 in VNI 5000"
remote_fdb_is hv1 "00:00:00:00:00:00 10.1.0.1;" \
    || fail "hv1 learned a remote MAC it was not given: $(remote_fdb hv1)"

step "replication_mode=source_node on both switches"
vtctl hv1 set Logical_Switch ls0 replication_mode=source_node
vtctl hv2 set Logical_Switch ls0 replication_mode=source_node
wait_until 20 grep -qs 'ls0 replication mode changed to source_node' \
        "$VT_DIR/hv2-ovs-vtep.log" \
    || fail "ovs-vtep did not take up replication_mode source_node"
wait_until 10 flood_count_is hv1 1 \
    || fail "hv1 does not flood to exactly hv2: $(remote_fdb hv1)"
ping_both_ways

step "vtepd and ovs-vtep still running"
vtepd_alive hv1 || fail "hv1's vtepd died"
ovs_vtep_alive hv2 || fail "hv2's ovs-vtep died"
echo "PASS: vtepd and ovs-vtep"
