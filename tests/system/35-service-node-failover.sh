#!/bin/bash
# 35-service-node-failover.sh -- service_node replication follows BFD.
#
# Three hypervisors hv1 (10.0.0.1), hv2 (10.1.0.1), hv3 (10.2.0.1) with ls0
# (key 5000) and one VM each.  hv1's unknown-dst row names hv2 and hv3 as
# service nodes, with the default replication_mode (service_node).  hv1
# keeps a Tunnel row to each, the one it does not use too, so that BFD can
# watch both.  With BFD up on both, hv1 floods to the lowest, hv2, and
# vm1's broadcast reaches vm2 only.  bfd/set-forwarding overrides move the
# flood too.  Cutting hv2 off the underlay takes its
# session down and moves the flood to hv3 (vm3 now sees the broadcast);
# vtepd/show marks hv2 down.  With hv3 cut off as well, BFD calls both
# down and hv1 floods to the lowest again.  Restoring the links brings the
# flood back to hv3, then to hv2.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
vt_init

# bfd_up HOST TUNNEL: the session of HOST's TUNNEL is up and forwarding.
bfd_up() {
    bfd_is "$1" "$2" state up && bfd_is "$1" "$2" forwarding true
}

# now_ms: the time in milliseconds.
now_ms() {
    echo $(( $(date +%s%N) / 1000000 ))
}

# broadcast_reaches VM OTHER IP: vm1's ARP request for IP reaches VM and,
# sent once more after that, never OTHER.
broadcast_reaches() {
    local vm=$1 other=$2 ip=$3 n
    start_capture "$vm" eth0 "$vm-$ip" arp
    start_capture "$other" eth0 "$other-$ip" arp
    wait_until 15 flood_reaches_any "$ip" "$vm-$ip" \
        || fail "vm1's broadcast (ARP for $ip) never reached $vm"
    send_arp "$ip"
    stop_capture "$vm-$ip"
    stop_capture "$other-$ip"
    n=$(arp_count "$other-$ip" "$ip")
    echo "ARP requests for $ip: $vm saw $(arp_count "$vm-$ip" "$ip")," \
         "$other saw $n"
    [ "$n" -eq 0 ] || fail "$other saw $n of vm1's broadcasts for $ip"
}

# moves_to IP WHAT: within 10 s, hv1 floods to IP only; prints how long
# since $start that took.
moves_to() {
    wait_until 10 flood_dsts_are hv1 "$1" \
        || fail "hv1 floods to '$(flood_dsts hv1 | tr '\n' ' ')', not $1" \
                "($2)"
    echo "hv1 floods to $1 after $(( $(now_ms) - start )) ms ($2)"
}

step "three hypervisors; hv1's unknown-dst names hv2 and hv3"
three_hosts
hub_switch
vtctl hv1 add-mcast-remote ls0 unknown-dst 10.2.0.1
vtctl hv1 add-mcast-remote ls0 unknown-dst 10.1.0.1
spoke_switches
for h in hv1 hv2 hv3; do
    start_vtepd "$h" "$h"
done

step "without BFD, hv1 floods to the lowest, and has a Tunnel row to both"
start=$(now_ms)
moves_to 10.1.0.1 "no BFD"
wait_until 10 has_tunnel_to hv1 10.1.0.1 || fail "hv1 has no Tunnel to hv2"
wait_until 10 has_tunnel_to hv1 10.2.0.1 || fail "hv1 has no Tunnel to hv3"
show_has hv1 '^  service nodes: 10\.1\.0\.1 10\.2\.0\.1$' \
    || fail "vtepd/show lacks the service nodes: $(appctl hv1 vtepd/show)"

step "BFD on every tunnel: both sessions of hv1 come up"
for h in hv2 hv3; do
    wait_until 10 has_tunnel_to "$h" 10.0.0.1 || fail "$h has no Tunnel row"
    vtctl "$h" set Tunnel "$(tunnel_to "$h" 10.0.0.1)" \
        bfd_params:enable=true bfd_params:min_rx=100 bfd_params:min_tx=100
done
t2=$(tunnel_to hv1 10.1.0.1)
t3=$(tunnel_to hv1 10.2.0.1)
for t in "$t2" "$t3"; do
    vtctl hv1 set Tunnel "$t" bfd_params:enable=true bfd_params:min_rx=100 \
        bfd_params:min_tx=100
done
wait_until 10 bfd_up hv1 "$t2" \
    || fail "hv1's BFD to hv2 is not up: $(vtq hv1 get Tunnel "$t2" bfd_status)"
wait_until 10 bfd_up hv1 "$t3" \
    || fail "hv1's BFD to hv3 is not up: $(vtq hv1 get Tunnel "$t3" bfd_status)"
start=$(now_ms)
moves_to 10.1.0.1 "both up"
broadcast_reaches vm2 vm3 192.168.1.101

step "bfd/set-forwarding moves the flood off hv2 and back"
start=$(now_ms)
appctl hv1 bfd/set-forwarding 10.1.0.1 false
moves_to 10.2.0.1 "forwarding to hv2 overridden to false"
start=$(now_ms)
appctl hv1 bfd/set-forwarding 10.1.0.1 normal
moves_to 10.1.0.1 "override removed"

step "hv2 cut off: its session goes down and the flood moves to hv3"
start=$(now_ms)
ip -n "$(ns underlay)" link set dev hv2 down
moves_to 10.2.0.1 "hv2 cut off"
bfd_is hv1 "$t2" forwarding false \
    || fail "hv1's BFD to hv2 forwards: $(vtq hv1 get Tunnel "$t2" bfd_status)"
bfd_is hv1 "$t2" diagnostic "Control Detection Time Expired" \
    || fail "diagnostic is '$(bfd_status_key hv1 "$t2" diagnostic)'"
show_has hv1 '^  service nodes: 10\.1\.0\.1 \(down\) 10\.2\.0\.1$' \
    || fail "vtepd/show does not mark hv2 down: $(appctl hv1 vtepd/show)"
grep -q 'tunnel to 10\.1\.0\.1 cannot forward; service node replication avoids it' \
    "$VT_DIR/hv1-vtepd.log" || fail "hv1's log does not say why"
broadcast_reaches vm3 vm2 192.168.1.102

step "hv3 cut off too: BFD calls both down, hv1 floods to the lowest"
start=$(now_ms)
ip -n "$(ns underlay)" link set dev hv3 down
moves_to 10.1.0.1 "both down"
bfd_is hv1 "$t3" forwarding false \
    || fail "hv1's BFD to hv3 forwards: $(vtq hv1 get Tunnel "$t3" bfd_status)"
show_has hv1 '^  service nodes: 10\.1\.0\.1 \(down\) 10\.2\.0\.1 \(down\)$' \
    || fail "vtepd/show does not mark both down: $(appctl hv1 vtepd/show)"

step "hv3 back: the flood moves to hv3"
start=$(now_ms)
ip -n "$(ns underlay)" link set dev hv3 up
wait_until 10 bfd_up hv1 "$t3" \
    || fail "hv1's BFD to hv3 is not up again: $(vtq hv1 get Tunnel "$t3" bfd_status)"
moves_to 10.2.0.1 "hv3 back"
broadcast_reaches vm3 vm2 192.168.1.103

step "hv2 back: the flood returns to hv2"
start=$(now_ms)
ip -n "$(ns underlay)" link set dev hv2 up
wait_until 10 bfd_up hv1 "$t2" \
    || fail "hv1's BFD to hv2 is not up again: $(vtq hv1 get Tunnel "$t2" bfd_status)"
moves_to 10.1.0.1 "hv2 back"
grep -q 'tunnel to 10\.1\.0\.1 is no longer down for BFD' \
    "$VT_DIR/hv1-vtepd.log" || fail "hv1's log does not say hv2 is back"
broadcast_reaches vm2 vm3 192.168.1.104

step "vtepds still running"
for h in hv1 hv2 hv3; do
    vtepd_alive "$h" || fail "$h's vtepd died"
done
echo "PASS: service-node-failover"
