#!/bin/bash
# 03-tunnel-key-change.sh -- a new tunnel_key is applied live.
#
# Classic lab with ls0 on key 5000; ping works.  Both sides move ls0 to key
# 6000: the kernel's vxlan netdevs carry VNI 6000 and ping works again.  Then
# only hv1 moves to 7000: hv1's VNI becomes 7000 and ping stops working,
# which shows that the key reaches the datapath and is not just shown.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
vt_init

step "classic lab, key 5000"
classic_lab
classic_ping
has_vxlan_id hv1 5000 || fail "hv1 has no VNI 5000: $(vxlan_ids hv1)"
has_vxlan_id hv2 5000 || fail "hv2 has no VNI 5000: $(vxlan_ids hv2)"

step "tunnel_key 5000 -> 6000 on both sides"
vtctl hv1 set Logical_Switch ls0 tunnel_key=6000
vtctl hv2 set Logical_Switch ls0 tunnel_key=6000
for h in hv1 hv2; do
    wait_until 10 has_vxlan_id "$h" 6000 \
        || fail "$h's vxlan netdev did not move to VNI 6000: $(vxlan_ids "$h")"
    [ "$(vxlan_ids "$h")" = 6000 ] \
        || fail "$h has VNIs other than 6000: $(vxlan_ids "$h" | tr '\n' ' ')"
done
ip -n "$(ns hv1)" -d link show type vxlan
classic_ping
ping3 vm1 192.168.1.2

step "the remote MACs and flood entries survived the key change"
remote_fdb hv1
remote_fdb hv1 | grep -x '00:00:00:00:00:02 10.1.0.1' >/dev/null \
    || fail "hv1 lost the remote MAC of vm2 in the key change"
remote_fdb hv1 | grep -x '00:00:00:00:00:00 10.1.0.1' >/dev/null \
    || fail "hv1 lost the flood entry to hv2 in the key change"
wait_until 10 has_local_mac hv1 ls0 00:00:00:00:00:01 \
    || fail "hv1's Ucast_Macs_Local lost vm1's MAC in the key change"

step "tunnel_key 6000 -> 7000 on hv1 only: ping must stop"
vtctl hv1 set Logical_Switch ls0 tunnel_key=7000
wait_until 10 has_vxlan_id hv1 7000 \
    || fail "hv1's vxlan netdev did not move to VNI 7000: $(vxlan_ids hv1)"
has_vxlan_id hv2 6000 || fail "hv2 left VNI 6000: $(vxlan_ids hv2)"
wait_until 15 ping_fails vm1 192.168.1.2 \
    || fail "vm1 still reaches vm2 with mismatched keys (7000 vs 6000)"
ping_fails vm2 192.168.1.1 \
    || fail "vm2 still reaches vm1 with mismatched keys (6000 vs 7000)"

step "hv2 follows to 7000: ping works again"
vtctl hv2 set Logical_Switch ls0 tunnel_key=7000
wait_until 10 has_vxlan_id hv2 7000 \
    || fail "hv2's vxlan netdev did not move to VNI 7000: $(vxlan_ids hv2)"
classic_ping

vtepd_alive hv1 || fail "hv1's vtepd died"
vtepd_alive hv2 || fail "hv2's vtepd died"
echo "PASS: tunnel key change"
