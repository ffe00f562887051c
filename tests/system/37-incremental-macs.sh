#!/bin/bash
# 37-incremental-macs.sh -- remote MACs inserted and deleted on their own
# reach the kernel without a rebuild of the model, and everything the
# incremental path cannot follow still comes out right through one.
#
# Classic lab.  On hv1: one remote MAC, then 50 in one transaction, are
# added and removed, and one behind a new locator (with its Tunnel row);
# the kernel follows and vtepd's coverage counters show model updates and
# no rebuild.  Then the cases that need a rebuild: a
# second row for a MAC behind a lower IP (a conflict: the lowest IP is
# programmed, with a fault, both cleared when the row goes) and a locator
# change of an existing row, and a new tunnel_key on a locator that only a
# multicast group uses.  (Rows with an IP address, which also need a
# rebuild, are test 31's.)  Last, a remote MAC whose bridge entry learning
# moved to vm1's port is removed: its VXLAN entry goes, the learned one
# stays.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
vt_init

# counter NAME: the total of hv1's vtepd coverage counter NAME.
counter() {
    appctl hv1 coverage/read-counter "$1"
}

# remote_dst MAC: the tunnel IP of hv1's VXLAN entry for MAC, if any.
remote_dst() {
    remote_fdb hv1 | awk -v mac="$1" '$1 == mac {print $2}'
}

# remote_dst_is MAC IP: hv1 sends frames to MAC through the tunnel to IP
# (nothing if IP is empty).
remote_dst_is() {
    [ "$(remote_dst "$1")" = "$2" ]
}

# n_remote_macs PREFIX: how many of hv1's VXLAN entries have a MAC that
# starts with PREFIX.
n_remote_macs() {
    remote_fdb hv1 | grep -c "^$1" || true
}

# group_has VNI: hv1's VXLAN entry of multicast group 01:00:5e:00:00:09
# goes to 10.0.9.8 with VNI.
group_has() {
    bridge -n "$(ns hv1)" fdb show \
        | matches "^01:00:5e:00:00:09 dev vtx[^ ]* dst 10\.0\.9\.8 vni $1 "
}

n_remote_macs_is() {
    [ "$(n_remote_macs "$1")" = "$2" ]
}

step "classic lab"
classic_lab
classic_ping
rebuilds=$(counter model_rebuild)
updates=$(counter model_update)
echo "after start: $rebuilds rebuilds, $updates updates"

step "one remote MAC added and removed, without a rebuild"
vtctl hv1 add-ucast-remote ls0 00:00:00:00:00:77 10.1.0.1
wait_until 10 remote_dst_is 00:00:00:00:00:77 10.1.0.1 \
    || fail "the new remote MAC is not in the kernel: $(remote_fdb hv1)"
vtctl hv1 del-ucast-remote ls0 00:00:00:00:00:77
wait_until 10 remote_dst_is 00:00:00:00:00:77 "" \
    || fail "the deleted remote MAC is still in the kernel"
[ "$(counter model_update)" -ge $((updates + 2)) ] \
    || fail "no incremental model update: $(counter model_update) after" \
            "$updates"
[ "$(counter model_rebuild)" = "$rebuilds" ] \
    || fail "the model was rebuilt $(( $(counter model_rebuild) - rebuilds ))" \
            "times for one remote MAC"
classic_ping

step "50 remote MACs in one transaction, added and removed"
args=()
for i in $(seq 10 59); do
    args+=(-- add-ucast-remote ls0 "00:00:00:00:01:$i" 10.1.0.1)
done
vtctl hv1 "${args[@]:1}"
wait_until 10 n_remote_macs_is 00:00:00:00:01: 50 \
    || fail "$(n_remote_macs 00:00:00:00:01:) of 50 remote MACs in the kernel"
args=()
for i in $(seq 10 59); do
    args+=(-- del-ucast-remote ls0 "00:00:00:00:01:$i")
done
vtctl hv1 "${args[@]:1}"
wait_until 10 n_remote_macs_is 00:00:00:00:01: 0 \
    || fail "$(n_remote_macs 00:00:00:00:01:) remote MACs left in the kernel"
[ "$(counter model_rebuild)" = "$rebuilds" ] \
    || fail "the model was rebuilt for remote MACs alone"
remote_dst_is 00:00:00:00:00:02 10.1.0.1 \
    || fail "vm2's remote MAC changed: $(remote_fdb hv1)"

step "a remote MAC behind a new locator, added and removed"
# The locator row comes and goes with the MAC, and vtepd adds and removes a
# Tunnel row for it: neither takes a rebuild.
vtctl hv1 add-ucast-remote ls0 00:00:00:00:00:55 10.0.5.5
wait_until 10 remote_dst_is 00:00:00:00:00:55 10.0.5.5 \
    || fail "the MAC behind a new locator is not in the kernel"
wait_until 10 has_tunnel_to hv1 10.0.5.5 \
    || fail "hv1 has no Tunnel row to the new locator"
vtctl hv1 del-ucast-remote ls0 00:00:00:00:00:55
wait_until 10 remote_dst_is 00:00:00:00:00:55 "" \
    || fail "the MAC behind the new locator stayed in the kernel"
wait_until 10 not has_tunnel_to hv1 10.0.5.5 \
    || fail "hv1's Tunnel row to the unused locator stayed"
[ "$(counter model_rebuild)" = "$rebuilds" ] \
    || fail "a new locator made vtepd rebuild its model"

step "a conflict: a second row behind a lower IP"
# The locator of 10.0.9.9 exists first (through another MAC), so that the
# conflicting row changes Ucast_Macs_Remote alone.
vtctl hv1 add-ucast-remote ls0 00:00:00:00:00:99 10.0.9.9
wait_until 10 remote_dst_is 00:00:00:00:00:99 10.0.9.9 \
    || fail "00:00:00:00:00:99 is not in the kernel"
vtctl hv1 add-ucast-remote ls0 00:00:00:00:00:88 10.1.0.1
wait_until 10 remote_dst_is 00:00:00:00:00:88 10.1.0.1 \
    || fail "00:00:00:00:00:88 is not in the kernel"
needed=$(counter model_rebuild_needed)
ls_uuid=$(vtq hv1 get Logical_Switch ls0 _uuid)
loc_uuid=$(vtq hv1 --bare --columns=_uuid find Physical_Locator \
               dst_ip=10.0.9.9)
row=$(vtq hv1 create Ucast_Macs_Remote MAC='"00:00:00:00:00:88"' \
          logical_switch="$ls_uuid" locator="$loc_uuid")
wait_until 10 remote_dst_is 00:00:00:00:00:88 10.0.9.9 \
    || fail "the lowest IP of two rows is not programmed:" \
            "$(remote_dst 00:00:00:00:00:88)"
wait_until 10 switch_faults_are hv1 hv1 \
        "remote_mac_conflict unspecified_fault" \
    || fail "no fault for the conflict: $(switch_faults hv1 hv1)"
show_has hv1 'fault: .*00:00:00:00:00:88 in ls0 has several locators' \
    || fail "vtepd/show does not name the conflict"
[ "$(counter model_rebuild_needed)" -gt "$needed" ] \
    || fail "the conflict did not go through a rebuild"
vtq hv1 destroy Ucast_Macs_Remote "$row"
wait_until 10 remote_dst_is 00:00:00:00:00:88 10.1.0.1 \
    || fail "the remaining row's IP is not programmed again:" \
            "$(remote_dst 00:00:00:00:00:88)"
wait_until 10 switch_faults_are hv1 hv1 "" \
    || fail "the conflict fault stayed: $(switch_faults hv1 hv1)"

step "a row's locator changes"
vtctl hv1 add-ucast-remote ls0 00:00:00:00:00:88 10.0.9.9
wait_until 10 remote_dst_is 00:00:00:00:00:88 10.0.9.9 \
    || fail "the locator change did not reach the kernel:" \
            "$(remote_dst 00:00:00:00:00:88)"
[ "$(vtq hv1 --bare --columns=_uuid find Ucast_Macs_Remote \
         MAC='"00:00:00:00:00:88"' | grep -c .)" = 1 ] \
    || fail "vtep-ctl did not modify the row in place"

step "the tunnel_key of a locator that only a multicast group uses"
# No Ucast_Macs_Remote row refers to the locator, so only the change of the
# Physical_Locator row itself says that the group's entry needs another VNI.
vtctl hv1 -- --id=@l create Physical_Locator dst_ip=10.0.9.8 \
        encapsulation_type=vxlan_over_ipv4 tunnel_key=5555 \
    -- --id=@s create Physical_Locator_Set locators=@l \
    -- create Mcast_Macs_Remote MAC='"01:00:5e:00:00:09"' \
        logical_switch="$ls_uuid" locator_set=@s >/dev/null
wait_until 10 group_has 5555 \
    || fail "no group entry to 10.0.9.8 with VNI 5555: $(remote_fdb hv1)"
vtctl hv1 set Physical_Locator \
    "$(vtq hv1 --bare --columns=_uuid find Physical_Locator dst_ip=10.0.9.8)" \
    tunnel_key=5556
wait_until 10 group_has 5556 \
    || fail "the group entry to 10.0.9.8 did not move to VNI 5556"
group_has 5555 && fail "the group entry to 10.0.9.8 kept VNI 5555"
vtctl hv1 destroy Mcast_Macs_Remote \
    "$(vtq hv1 --bare --columns=_uuid find Mcast_Macs_Remote \
           MAC='"01:00:5e:00:00:09"')"
wait_until 10 not group_has 5556 \
    || fail "the group entry to 10.0.9.8 stayed"

step "a remote MAC that learning moved to a local port is removed"
# The bridge's entry is no longer towards the VXLAN device, so removing
# it fails: vtepd must still remove the VXLAN entry, and leave the learned
# one alone.
vtctl hv1 add-ucast-remote ls0 00:00:00:00:00:66 10.1.0.1
wait_until 10 remote_dst_is 00:00:00:00:00:66 10.1.0.1 \
    || fail "00:00:00:00:00:66 is not in the kernel"
br=$(ls_bridge hv1 5000)
on vm1 python3 -c '
import socket
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("eth0", 0))
s.send(bytes.fromhex("ffffffffffff" "000000000066" "88b5") + bytes(46))'
wait_until 10 has_local_mac hv1 ls0 00:00:00:00:00:66 \
    || fail "00:00:00:00:00:66 from vm1 was not learned"
vtctl hv1 del-ucast-remote ls0 00:00:00:00:00:66
wait_until 10 remote_dst_is 00:00:00:00:00:66 "" \
    || fail "the VXLAN entry of the removed remote MAC stayed"
bridge -n "$(ns hv1)" fdb show br "$br" | matches '^00:00:00:00:00:66 dev p1 ' \
    || fail "the learned entry of 00:00:00:00:00:66 on p1 is gone"
has_local_mac hv1 ls0 00:00:00:00:00:66 \
    || fail "00:00:00:00:00:66 is no longer local"

classic_ping

vtepd_alive hv1 || fail "hv1's vtepd died"
echo "PASS: incremental remote MACs"
