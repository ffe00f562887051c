#!/bin/bash
# 06-isolation.sh -- logical switches are isolated from each other.
#
# Two logical switches, lsA (key 100) and lsB (key 200), span hv1 and hv2.
# Their VMs use the SAME MAC and IP addresses: vmA1 and vmB1 are both
# 00:00:00:00:00:01 / 192.168.1.1 (on hv1's ports pa and pb), vmA2 and vmB2
# both 00:00:00:00:00:02 / 192.168.1.2 (on hv2's pa and pb).  Pings work
# within each logical switch; while lsA carries traffic (a broadcast and
# pings of a size nobody else uses), a capture in vmB2 sees none of it, and
# the underlay carries it with VNI 100 only.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
vt_init

step "hv1, hv2; vmA1, vmB1 on hv1; vmA2, vmB2 on hv2 (same MACs and IPs)"
add_host hv1 10.0.0.1/8
add_host hv2 10.1.0.1/8
add_vm vmA1 hv1 pa 00:00:00:00:00:01 192.168.1.1/24
add_vm vmB1 hv1 pb 00:00:00:00:00:01 192.168.1.1/24
add_vm vmA2 hv2 pa 00:00:00:00:00:02 192.168.1.2/24
add_vm vmB2 hv2 pb 00:00:00:00:00:02 192.168.1.2/24

step "lsA (key 100) on pa, lsB (key 200) on pb, on both switches"
declare -A tunnel_ip=([hv1]=10.0.0.1 [hv2]=10.1.0.1)
declare -A other_ip=([hv1]=10.1.0.1 [hv2]=10.0.0.1)
declare -A other_mac=([hv1]=00:00:00:00:00:02 [hv2]=00:00:00:00:00:01)
for h in hv1 hv2; do
    start_ovsdb "$h"
    vtctl "$h" add-ps "$h"
    vtctl "$h" set Physical_Switch "$h" tunnel_ips="${tunnel_ip[$h]}"
    vtctl "$h" add-port "$h" pa
    vtctl "$h" add-port "$h" pb
    vtctl "$h" add-ls lsA
    vtctl "$h" set Logical_Switch lsA tunnel_key=100
    vtctl "$h" add-ls lsB
    vtctl "$h" set Logical_Switch lsB tunnel_key=200
    vtctl "$h" bind-ls "$h" pa 0 lsA
    vtctl "$h" bind-ls "$h" pb 0 lsB
    for ls in lsA lsB; do
        vtctl "$h" add-ucast-remote "$ls" "${other_mac[$h]}" "${other_ip[$h]}"
        vtctl "$h" add-mcast-remote "$ls" unknown-dst "${other_ip[$h]}"
    done
done
start_vtepd hv1 hv1
start_vtepd hv2 hv2

step "two vxlan netdevs (VNIs 100, 200) and two bridges per host"
for h in hv1 hv2; do
    wait_until 10 has_vxlan_id "$h" 100 || fail "$h has no VNI 100"
    wait_until 10 has_vxlan_id "$h" 200 || fail "$h has no VNI 200"
    [ "$(vt_links "$h" bridge | grep -c '^vtb')" = 2 ] \
        || fail "$h does not have 2 vtb bridges: $(vt_links "$h" bridge)"
done

step "pings within each logical switch"
wait_until 30 ping_ok vmA1 192.168.1.2 || fail "vmA1 cannot ping vmA2"
wait_until 30 ping_ok vmB1 192.168.1.2 || fail "vmB1 cannot ping vmB2"
ping_ok vmA2 192.168.1.1 || fail "vmA2 cannot ping vmA1"
ping_ok vmB2 192.168.1.1 || fail "vmB2 cannot ping vmB1"

step "the same MAC is local in both logical switches"
for ls in lsA lsB; do
    wait_until 10 has_local_mac hv1 "$ls" 00:00:00:00:00:01 \
        || fail "hv1's Ucast_Macs_Local lacks 00:00:00:00:00:01 in $ls"
    wait_until 10 has_local_mac hv2 "$ls" 00:00:00:00:00:02 \
        || fail "hv2's Ucast_Macs_Local lacks 00:00:00:00:00:02 in $ls"
done
vtctl hv1 list-local-macs lsA
vtctl hv1 list-local-macs lsB
text_has "$(appctl hv1 vtepd/dump-macs lsA)" \
    '^local +00:00:00:00:00:01 +port +pa +vlan +0$' \
    || fail "vtepd/dump-macs lsA lacks vmA1's MAC on port pa"
text_has "$(appctl hv1 vtepd/dump-macs lsB)" \
    '^local +00:00:00:00:00:01 +port +pb +vlan +0$' \
    || fail "vtepd/dump-macs lsB lacks vmB1's MAC on port pb"

# lsA's traffic: a broadcast nobody answers (ARP for .77), then pings of
# 1111 data bytes (ICMP length 1119) after flushing the ARP cache, so that
# the ARP request for .2 is a broadcast as well.
lsA_traffic() {
    on vmA1 ip neigh flush all
    ping_fails vmA1 192.168.1.77 || fail "someone answered for 192.168.1.77"
    on vmA1 ip neigh flush all
    on vmA1 ping -n -q -c 3 -i 0.2 -W 1 -s 1111 192.168.1.2 >/dev/null \
        || fail "vmA1 cannot ping vmA2 with 1111 bytes"
}
lsA_marks='who-has 192\.168\.1\.77|ICMP echo (request|reply).*length 1119'

step "lsA traffic: seen by vmA2, not by vmB2"
start_capture hv1 ul0 underlay udp port 4789
start_capture vmA2 eth0 vmA2
start_capture vmB2 eth0 vmB2
lsA_traffic
wait_until 10 capture_has vmA2 'who-has 192\.168\.1\.77' \
    || fail "lsA's broadcast did not reach vmA2"
wait_until 10 capture_has vmA2 'ICMP echo request.*length 1119' \
    || fail "lsA's pings did not reach vmA2"
# Everything lsA sent has reached vmA2 by now; a leak into lsB would have
# reached vmB2 as fast.
stop_capture vmA2
stop_capture vmB2
echo "vmA2 saw $(capture_count vmA2 "$lsA_marks") of lsA's frames," \
     "vmB2 saw $(capture_count vmB2 "$lsA_marks")"
if capture_has vmB2 "$lsA_marks"; then
    decode vmB2 >&2
    fail "lsA's frames leaked into lsB (seen by vmB2)"
fi

step "lsB traffic reaches vmB2 (the capture there works)"
start_capture vmB2 eth0 vmB2-lsB
on vmB1 ping -n -q -c 3 -i 0.2 -W 1 -s 1222 192.168.1.2 >/dev/null \
    || fail "vmB1 cannot ping vmB2 with 1222 bytes"
wait_until 10 capture_has vmB2-lsB 'ICMP echo request.*length 1230' \
    || fail "vmB2's capture did not see lsB's pings"
stop_capture vmB2-lsB
capture_has vmB2-lsB 'length 1119' && fail "vmB2 saw lsA's pings later"

step "the underlay carried lsA with VNI 100 and lsB with VNI 200 only"
wait_until 10 capture_has underlay 'vni 200 \|.*ICMP echo request.*length 1230' \
    || fail "no lsB ping with VNI 200 on the underlay"
stop_capture underlay
capture_has underlay 'vni 100 \|.*who-has 192\.168\.1\.77' \
    || fail "lsA's broadcast not on the underlay with VNI 100"
capture_has underlay 'vni 100 \|.*ICMP echo request.*length 1119' \
    || fail "lsA's ping not on the underlay with VNI 100"
capture_has underlay 'vni 200 \|.*(who-has 192\.168\.1\.77|length 1119)' \
    && fail "lsA's frames on the underlay with lsB's VNI 200"
capture_has underlay 'vni 100 \|.*length 1230' \
    && fail "lsB's frames on the underlay with lsA's VNI 100"

vtepd_alive hv1 || fail "hv1's vtepd died"
vtepd_alive hv2 || fail "hv2's vtepd died"
echo "PASS: isolation"
