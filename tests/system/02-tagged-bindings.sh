#!/bin/bash
# 02-tagged-bindings.sh -- VLAN bindings on one port.
#
# hv1's port p1 carries three logical switches: ls0 untagged (VLAN 0), ls10
# on VLAN 10 and ls20 on VLAN 20.  vm1 behind p1 has eth0 (ls0), eth0.10
# (ls10) and eth0.20 (ls20).  On hv2 each logical switch has an untagged
# port of its own: p1 (ls0, vm2a), p2 (ls10, vm2b), p3 (ls20, vm2c).
#
# Each logical switch's VMs ping each other; hv1 has a sub-interface for
# each of p1's VLANs 10 and 20 (p1.10 and p1.20 as 802.1Q devices, or
# vtepd's own devices for them, see lib/dp-linux.c), each a port of its
# logical switch's bridge; the VLAN 0 binding does not swallow tagged frames
# (VLANs 10 and 20 work while it is bound, and a broadcast on VLAN 10
# reaches vm2b only, neither vm2a nor vm2c); each VLAN's MAC is local in
# its own logical switch only.
#
# vm1's eth0.10 and eth0.20 are 802.1Q VLAN devices if the kernel has them
# (CONFIG_VLAN_8021Q), otherwise what tests/vlan-access makes; with neither,
# the test is skipped (exit 77).
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
vt_init

kernel_has_vlan || true      # Probed once, here, in this shell.
vm_vlans=$(vlan_support) \
    || skip "this kernel has no 802.1Q VLAN support (CONFIG_VLAN_8021Q)" \
            "and $VT_VLAN_ACCESS is not built"
echo "VMs' VLAN interfaces: $vm_vlans"

#          LS    VLAN  key   hv1-side MAC       far VM far port far MAC       subnet
lss=(
    "ls0   0     5000  00:00:00:00:00:01  vm2a   p1      00:00:00:00:00:02  192.168.0"
    "ls10  10    5010  00:00:00:00:00:11  vm2b   p2      00:00:00:00:00:12  192.168.10"
    "ls20  20    5020  00:00:00:00:00:21  vm2c   p3      00:00:00:00:00:22  192.168.20"
)

step "hv1 with vm1 (eth0, eth0.10, eth0.20) on p1; hv2 with vm2a/b/c"
add_host hv1 10.0.0.1/8
add_host hv2 10.1.0.1/8
add_vm vm1 hv1 p1 00:00:00:00:00:01 192.168.0.1/24
for entry in "${lss[@]}"; do
    read -r ls vlan key mac1 vm2 port2 mac2 net <<<"$entry"
    if [ "$vlan" != 0 ]; then
        add_vm_vlan vm1 "$vlan" "$mac1" "$net.1/24"
    fi
    add_vm "$vm2" hv2 "$port2" "$mac2" "$net.2/24"
done

step "configuration: three bindings on hv1's p1, one port each on hv2"
start_ovsdb hv1
start_ovsdb hv2
vtctl hv1 add-ps hv1
vtctl hv1 set Physical_Switch hv1 tunnel_ips=10.0.0.1
vtctl hv1 add-port hv1 p1
vtctl hv2 add-ps hv2
vtctl hv2 set Physical_Switch hv2 tunnel_ips=10.1.0.1
for entry in "${lss[@]}"; do
    read -r ls vlan key mac1 vm2 port2 mac2 net <<<"$entry"
    for h in hv1 hv2; do
        vtctl "$h" add-ls "$ls"
        vtctl "$h" set Logical_Switch "$ls" tunnel_key="$key"
    done
    vtctl hv1 bind-ls hv1 p1 "$vlan" "$ls"
    vtctl hv1 add-ucast-remote "$ls" "$mac2" 10.1.0.1
    vtctl hv1 add-mcast-remote "$ls" unknown-dst 10.1.0.1
    vtctl hv2 add-port hv2 "$port2"
    vtctl hv2 bind-ls hv2 "$port2" 0 "$ls"
    vtctl hv2 add-ucast-remote "$ls" "$mac1" 10.0.0.1
    vtctl hv2 add-mcast-remote "$ls" unknown-dst 10.0.0.1
done
vtctl hv1 show
start_vtepd hv1 hv1
start_vtepd hv2 hv2

step "hv1 has a sub-interface of p1 for VLANs 10 and 20, each in its LS's bridge"
# vlan_in_ls HOST PORT VLAN KEY: the device carrying VLAN of PORT (PORT
# itself for VLAN 0) is a port of the bridge of the logical switch with
# tunnel key KEY.
vlan_in_ls() {
    local dev br
    if [ "$3" = 0 ]; then dev=$2; else dev=$(vlan_dev "$1" "$2" "$3") || return 1; fi
    br=$(ls_bridge "$1" "$4") || return 1
    [ -n "$br" ] && [ "$(link_master "$1" "$dev")" = "$br" ]
}
for entry in "${lss[@]}"; do
    read -r ls vlan key mac1 vm2 port2 mac2 net <<<"$entry"
    wait_until 10 vlan_in_ls hv1 p1 "$vlan" "$key" \
        || fail "hv1 has no device for VLAN $vlan of p1 in $ls's bridge" \
                "(VLAN device: '$(vlan_dev hv1 p1 "$vlan")'," \
                "bridge of key $key: '$(ls_bridge hv1 "$key")')"
    if [ "$vlan" != 0 ]; then
        echo "$ls: VLAN $vlan of p1 is $(vlan_dev hv1 p1 "$vlan")," \
             "a port of $(ls_bridge hv1 "$key")"
    fi
done
ip -n "$(ns hv1)" -br link show

step "pings within each logical switch (VLAN 0 bound as well)"
for entry in "${lss[@]}"; do
    read -r ls vlan key mac1 vm2 port2 mac2 net <<<"$entry"
    wait_until 30 ping_ok vm1 "$net.2" \
        || fail "vm1 cannot reach $vm2 ($net.2) in $ls (VLAN $vlan)"
    wait_until 10 ping_ok "$vm2" "$net.1" \
        || fail "$vm2 cannot reach vm1 ($net.1) in $ls (VLAN $vlan)"
    echo "$ls (VLAN $vlan, key $key): vm1 <-> $vm2 ok"
done

step "each MAC is local in its own logical switch only"
for entry in "${lss[@]}"; do
    read -r ls vlan key mac1 vm2 port2 mac2 net <<<"$entry"
    wait_until 10 has_local_mac hv1 "$ls" "$mac1" \
        || fail "hv1's Ucast_Macs_Local lacks $mac1 in $ls"
    [ "$(local_macs hv1 "$ls")" = "$mac1" ] \
        || fail "hv1's local MACs in $ls are not just $mac1: $(local_macs hv1 "$ls")"
    text_has "$(appctl hv1 vtepd/dump-macs "$ls")" \
        "^local +$mac1 +port +p1 +vlan +$vlan\$" \
        || fail "vtepd/dump-macs $ls lacks 'local $mac1 port p1 vlan $vlan'"
done

step "a broadcast on VLAN 10 reaches ls10 only"
for vm2 in vm2a vm2b vm2c; do
    start_capture "$vm2" eth0 "$vm2"
done
on vm1 ip neigh flush all
ping_fails vm1 192.168.10.77 || fail "someone answered for 192.168.10.77"
wait_until 10 capture_has vm2b 'who-has 192\.168\.10\.77' \
    || fail "vm1's broadcast on VLAN 10 did not reach vm2b"
for vm2 in vm2a vm2b vm2c; do
    stop_capture "$vm2"
done
capture_has vm2a 'who-has 192\.168\.10\.77' \
    && fail "vm1's broadcast on VLAN 10 leaked into ls0 (vm2a saw it)"
capture_has vm2c 'who-has 192\.168\.10\.77' \
    && fail "vm1's broadcast on VLAN 10 leaked into ls20 (vm2c saw it)"
capture_has vm2b 'vlan 10|802\.1Q' \
    && fail "vm2b received tagged frames (the tag must stay on hv1's side)"

vtepd_alive hv1 || fail "hv1's vtepd died"
vtepd_alive hv2 || fail "hv2's vtepd died"
echo "PASS: tagged bindings"
