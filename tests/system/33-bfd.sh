#!/bin/bash
# 33-bfd.sh -- BFD on the Tunnel rows.
#
# In the classic lab, bfd_params:enable=true (min_rx and min_tx 100 ms) on
# each switch's Tunnel row to the other brings both sessions up: bfd_status
# shows state up and forwarding true, and the underlay carries the control
# packets inside VXLAN with VNI 0, to UDP port 3784.  Cutting hv2 off the
# underlay takes hv1's session down within about three intervals, with
# diagnostic "Control Detection Time Expired"; restoring the link brings it
# back up.  The VMs' pings work all along (but while the link is cut).
# Setting bfd_params:enable=false ends the session and clears bfd_status.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
vt_init

# bfd_up HOST TUNNEL: the session of HOST's TUNNEL is up and forwarding.
bfd_up() {
    bfd_is "$1" "$2" state up && bfd_is "$1" "$2" forwarding true \
        && bfd_is "$1" "$2" enabled true
}

# bfd_cleared HOST TUNNEL: HOST's TUNNEL has an empty bfd_status.
bfd_cleared() {
    [ "$(vtq "$1" get Tunnel "$2" bfd_status)" = "{}" ]
}

# now_ms: the time in milliseconds.
now_ms() {
    echo $(( $(date +%s%N) / 1000000 ))
}

step "the classic lab, with a Tunnel row each way"
classic_lab
classic_ping
wait_until 10 has_tunnel_to hv1 10.1.0.1 || fail "hv1 has no Tunnel row"
wait_until 10 has_tunnel_to hv2 10.0.0.1 || fail "hv2 has no Tunnel row"
t1=$(tunnel_to hv1 10.1.0.1)
t2=$(tunnel_to hv2 10.0.0.1)

step "bfd_params:enable=true on both brings both sessions up"
start_capture hv1 ul0 bfd udp port 4789
vtctl hv1 set Tunnel "$t1" bfd_params:enable=true bfd_params:min_rx=100 \
    bfd_params:min_tx=100
vtctl hv2 set Tunnel "$t2" bfd_params:enable=true bfd_params:min_rx=100 \
    bfd_params:min_tx=100
wait_until 10 bfd_up hv1 "$t1" \
    || fail "hv1's BFD is not up: $(vtq hv1 get Tunnel "$t1" bfd_status)"
wait_until 10 bfd_up hv2 "$t2" \
    || fail "hv2's BFD is not up: $(vtq hv2 get Tunnel "$t2" bfd_status)"
wait_until 10 bfd_is hv1 "$t1" remote_state up \
    || fail "hv1 does not see hv2's session up"
wait_until 10 bfd_is hv2 "$t2" remote_state up \
    || fail "hv2 does not see hv1's session up"
show_has hv1 '^  bfd 10\.1\.0\.1: state up, forwarding true, .*remote state up$' \
    || fail "vtepd/show does not give the session's state: $(appctl hv1 vtepd/show)"
vtq hv1 get Tunnel "$t1" bfd_status
vtq hv2 get Tunnel "$t2" bfd_status
appctl hv1 bfd/show | grep -E 'Detect|TX Interval|RX Interval' || true

step "the underlay carries BFD in VXLAN with VNI 0 to UDP port 3784"
wait_until 10 capture_has bfd \
    '10\.0\.0\.1\.[0-9]+ > 10\.1\.0\.1\.4789: VXLAN.*vni 0 .*\.3784: ' \
    || fail "no BFD from hv1 to hv2 in VXLAN VNI 0: $(decode bfd | tail -n 3)"
wait_until 10 capture_has bfd \
    '10\.1\.0\.1\.[0-9]+ > 10\.0\.0\.1\.4789: VXLAN.*vni 0 .*\.3784: ' \
    || fail "no BFD from hv2 to hv1 in VXLAN VNI 0: $(decode bfd | tail -n 3)"
stop_capture bfd
decode bfd | awk '/vni 0 / && !n++'
ping3 vm1 192.168.1.2

step "cutting hv2 off the underlay takes hv1's session down"
start=$(now_ms)
ip -n "$(ns underlay)" link set dev hv2 down
wait_until 10 bfd_is hv1 "$t1" state down \
    || fail "hv1's BFD did not go down: $(vtq hv1 get Tunnel "$t1" bfd_status)"
took=$(( $(now_ms) - start ))
echo "hv1's session went down after $took ms (min_rx 100 ms, mult 3)"
bfd_is hv1 "$t1" diagnostic "Control Detection Time Expired" \
    || fail "hv1's diagnostic is '$(bfd_status_key hv1 "$t1" diagnostic)'"
bfd_is hv1 "$t1" forwarding false || fail "hv1 still forwards"
show_has hv1 '^  bfd 10\.1\.0\.1: state down, forwarding false, diagnostic "Control Detection Time Expired"' \
    || fail "vtepd/show does not give the session's state: $(appctl hv1 vtepd/show)"
[ "$took" -lt 2000 ] || fail "detection took $took ms"

step "restoring the link brings it back up"
start=$(now_ms)
ip -n "$(ns underlay)" link set dev hv2 up
wait_until 10 bfd_up hv1 "$t1" \
    || fail "hv1's BFD is not up again: $(vtq hv1 get Tunnel "$t1" bfd_status)"
wait_until 10 bfd_up hv2 "$t2" \
    || fail "hv2's BFD is not up again: $(vtq hv2 get Tunnel "$t2" bfd_status)"
echo "up again after $(( $(now_ms) - start )) ms"
classic_ping
ping3 vm2 192.168.1.1

step "bfd_params:enable=false ends the session and clears bfd_status"
vtctl hv1 set Tunnel "$t1" bfd_params:enable=false
wait_until 10 bfd_cleared hv1 "$t1" \
    || fail "hv1's bfd_status is $(vtq hv1 get Tunnel "$t1" bfd_status)"
[ -z "$(appctl hv1 bfd/show)" ] || fail "hv1 still has a session"
wait_until 10 bfd_is hv2 "$t2" state down \
    || fail "hv2's BFD did not go down: $(vtq hv2 get Tunnel "$t2" bfd_status)"
vtq hv2 get Tunnel "$t2" bfd_status
ping3 vm1 192.168.1.2

step "vtepds still running"
vtepd_alive hv1 || fail "hv1's vtepd died"
vtepd_alive hv2 || fail "hv2's vtepd died"
echo "PASS: bfd"
