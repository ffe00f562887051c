#!/bin/bash
# 34-bfd-ovs-vtep.sh -- BFD between vtepd and OVS's ovs-vtep.
#
# hv1 (10.0.0.1) is vtepd, hv2 (10.1.0.1) ovs-vtep on an ovs-vswitchd with
# the userspace datapath, as in test 15.  With bfd_params:enable=true (100
# ms) on each switch's Tunnel row to the other, both sessions come up:
# vtepd's packets (VXLAN VNI 0 to UDP 3784) are what ovs-vtep's BFD tunnel
# port takes, and the other way round.  Cutting hv2 off the underlay takes
# hv1's session down; restoring it brings it back up.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=lib-ovs.sh
. "$(dirname "$0")/lib-ovs.sh"
vt_init

# bfd_up HOST TUNNEL: the session of HOST's TUNNEL is up and forwarding,
# and sees the remote one up.
bfd_up() {
    bfd_is "$1" "$2" state up && bfd_is "$1" "$2" forwarding true \
        && bfd_is "$1" "$2" remote_state up
}

step "hv1: vtepd; hv2: ovs-vtep on Open vSwitch"
classic_hosts
start_ovsdb hv1
configure_vtep hv1 hv1 10.0.0.1 p1 ls0 5000 00:00:00:00:00:02 10.1.0.1
start_vtepd hv1 hv1
ovs_vtep_host hv2 10.1.0.1/8 p1
configure_ls hv2 hv2 p1 0 ls0 5000 00:00:00:00:00:01 10.0.0.1
classic_ping

step "the Tunnel rows: vtepd's on hv1, ovs-vtep's on hv2"
wait_until 10 has_tunnel_to hv1 10.1.0.1 || fail "hv1 has no Tunnel row"
wait_until 30 has_tunnel_to hv2 10.0.0.1 || fail "hv2 has no Tunnel row"
t1=$(tunnel_to hv1 10.1.0.1)
t2=$(tunnel_to hv2 10.0.0.1)

step "bfd_params:enable=true on both: both sessions come up"
start_capture hv1 ul0 bfd udp port 4789
vtctl hv1 set Tunnel "$t1" bfd_params:enable=true bfd_params:min_rx=100 \
    bfd_params:min_tx=100
vtctl hv2 set Tunnel "$t2" bfd_params:enable=true bfd_params:min_rx=100 \
    bfd_params:min_tx=100
wait_until 30 bfd_up hv1 "$t1" \
    || fail "hv1's BFD is not up: $(vtq hv1 get Tunnel "$t1" bfd_status)"
wait_until 30 bfd_up hv2 "$t2" \
    || fail "hv2's BFD is not up: $(vtq hv2 get Tunnel "$t2" bfd_status)"
vtq hv1 get Tunnel "$t1" bfd_status
vtq hv2 get Tunnel "$t2" bfd_status
stop_capture bfd
capture_has bfd \
    '10\.1\.0\.1\.[0-9]+ > 10\.0\.0\.1\.4789: VXLAN.*vni 0 .*\.3784: ' \
    || fail "no BFD from ovs-vtep in VXLAN VNI 0: $(decode bfd | tail -n 3)"
capture_has bfd \
    '10\.0\.0\.1\.[0-9]+ > 10\.1\.0\.1\.4789: VXLAN.*vni 0 .*\.3784: ' \
    || fail "no BFD from vtepd in VXLAN VNI 0: $(decode bfd | tail -n 3)"
ping3 vm1 192.168.1.2

step "cutting hv2 off the underlay takes hv1's session down; back up after"
ip -n "$(ns underlay)" link set dev hv2 down
wait_until 10 bfd_is hv1 "$t1" state down \
    || fail "hv1's BFD did not go down: $(vtq hv1 get Tunnel "$t1" bfd_status)"
bfd_is hv1 "$t1" diagnostic "Control Detection Time Expired" \
    || fail "hv1's diagnostic: $(vtq hv1 get Tunnel "$t1" bfd_status)"
ip -n "$(ns underlay)" link set dev hv2 up
wait_until 30 bfd_up hv1 "$t1" \
    || fail "hv1's BFD is not up again: $(vtq hv1 get Tunnel "$t1" bfd_status)"
wait_until 30 bfd_up hv2 "$t2" \
    || fail "hv2's BFD is not up again: $(vtq hv2 get Tunnel "$t2" bfd_status)"
classic_ping

step "vtepd and ovs-vtep still running"
vtepd_alive hv1 || fail "hv1's vtepd died"
ovs_vtep_alive hv2 || fail "hv2's ovs-vtep died"
echo "PASS: BFD between vtepd and ovs-vtep"
