#!/bin/bash
# 11-self-heal.sh -- vtepd creates again what someone deletes behind its
# back.
#
# Classic lab (ls0, key 5000, vm1 behind hv1's p1, vm2 behind hv2's p1)
# plus a tagged binding: ls10 (key 5010) on VLAN 10 of hv1's p1 (vm1's
# eth0.10), untagged on hv2's p2 (vm2b).  On hv1, by hand ("ip link del"):
#
#   1. ls0's VXLAN device goes: vtepd creates it again, with VNI 5000, in
#      ls0's bridge, with ls0's remote MAC and flood entry (and the bridge
#      entry of the remote MAC), and vm1 and vm2 ping each other again;
#   2. ls0's bridge goes (which takes p1 out of it): vtepd creates it
#      again, with its VXLAN device and their entries, p1 in it, and the
#      pings work again; vm1's MAC is local again;
#   3. the "vtw" end of the veth pair of binding (p1, 10) goes, and with it
#      the "vtv" end: vtepd creates the pair again, in ls10's bridge, with
#      its tagger program, and vm1 (eth0.10) and vm2b ping each other again.
#
# ls10 is untouched by 1 and 2 and ls0 by 3.  Both vtepds keep running, and
# hv1's vtepd logs no error.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
vt_init

# vx_of HOST VNI: HOST's VXLAN device with VNI.
vx_of() {
    ip -n "$(ns "$1")" -d -o link show type vxlan \
        | awk -v vni="$2" '$0 ~ (" vxlan id " vni " ") {
                               name = $2; sub(/:$/, "", name)
                               sub(/@.*/, "", name); print name }'
}

# ifindex HOST DEV: the ifindex of HOST's DEV.
ifindex() {
    ip -n "$(ns "$1")" -o link show dev "$2" 2>/dev/null | cut -d: -f1
}

# peer_of HOST DEV: the other end of HOST's veth DEV.
peer_of() {
    ip -n "$(ns "$1")" -o link show dev "$2" 2>/dev/null \
        | sed -n 's/^[0-9]*: [^@]*@\([^:]*\): .*/\1/p'
}

# tunnel_ok HOST VNI RMAC RIP: HOST has a VXLAN device with VNI, in a
# bridge, whose FDB holds remote MAC RMAC towards RIP and the flood entry
# towards RIP, and the bridge's FDB the entry of RMAC on that device.
tunnel_ok() {
    local vx br fdb
    vx=$(vx_of "$1" "$2")
    [ -n "$vx" ] || return 1
    br=$(link_master "$1" "$vx")
    [[ $br == vtb* ]] || return 1
    fdb=$(bridge -n "$(ns "$1")" fdb show dev "$vx")
    text_has "$fdb" "^$3 dst $4 self permanent" \
        && text_has "$fdb" "^00:00:00:00:00:00 dst $4 self permanent" \
        && text_has "$fdb" "^$3 (extern_learn )?master $br( |$)" \
        && text_has "$fdb" "^$3 .*extern_learn"
}

# vlan_pair_ok HOST PORT VLAN VNI: HOST has the veth pair of binding (PORT,
# VLAN), both ends up, the bridge end in the bridge of the logical switch
# with VNI and the other end with vtepd's tagger program.
vlan_pair_ok() {
    local vtv vtw br
    vtv=$(vlan_dev "$1" "$2" "$3") || return 1
    vtw=$(peer_of "$1" "$vtv")
    br=$(ls_bridge "$1" "$4") || return 1
    [[ $vtv == vtv* && $vtw == vtw* ]] \
        && [ "$(link_master "$1" "$vtv")" = "$br" ] \
        && ip -n "$(ns "$1")" -o link show dev "$vtv" | matches ',UP[,>]' \
        && ip -n "$(ns "$1")" -o link show dev "$vtw" | matches ',UP[,>]' \
        && on "$1" tc filter show dev "$vtw" ingress \
               | matches ' bpf .*vtepd_tagger direct-action'
}

# ping10: vm1 (eth0.10) and vm2b reach each other in ls10.
ping10() {
    wait_until 30 ping_ok vm1 192.168.10.2 \
        || fail "vm1 cannot ping vm2b (192.168.10.2)"
    wait_until 10 ping_ok vm2b 192.168.10.1 \
        || fail "vm2b cannot ping vm1 (192.168.10.1)"
}

step "classic lab, plus ls10 on VLAN 10 of hv1's p1 and on hv2's p2"
classic_lab
add_vm vm2b hv2 p2 00:00:00:00:00:12 192.168.10.2/24
add_vm_vlan vm1 10 00:00:00:00:00:11 192.168.10.1/24
configure_ls hv1 hv1 p1 10 ls10 5010 00:00:00:00:00:12 10.1.0.1
vtctl hv2 add-port hv2 p2
configure_ls hv2 hv2 p2 0 ls10 5010 00:00:00:00:00:11 10.0.0.1
classic_ping
ping10
wait_until 10 tunnel_ok hv1 5000 00:00:00:00:00:02 10.1.0.1 \
    || fail "hv1's tunnel of ls0 is not complete"
wait_until 10 tunnel_ok hv1 5010 00:00:00:00:00:12 10.1.0.1 \
    || fail "hv1's tunnel of ls10 is not complete"
wait_until 10 vlan_pair_ok hv1 p1 10 5010 \
    || fail "hv1 has no veth pair for VLAN 10 of p1"
br10=$(ls_bridge hv1 5010)
vx10=$(vx_of hv1 5010)
idx10="$(ifindex hv1 "$br10") $(ifindex hv1 "$vx10")"

step "hv1's VXLAN device of ls0 deleted by hand"
vx=$(vx_of hv1 5000)
old=$(ifindex hv1 "$vx")
ip -n "$(ns hv1)" link del "$vx"
wait_until 10 tunnel_ok hv1 5000 00:00:00:00:00:02 10.1.0.1 \
    || fail "hv1's VXLAN device of ls0 is not back with its FDB entries"
[ "$(ifindex hv1 "$(vx_of hv1 5000)")" != "$old" ] \
    || fail "hv1's VXLAN device of ls0 is the old one"
bridge -n "$(ns hv1)" fdb show dev "$(vx_of hv1 5000)"
classic_ping

step "hv1's bridge of ls0 deleted by hand"
br=$(ls_bridge hv1 5000)
old=$(ifindex hv1 "$br")
ip -n "$(ns hv1)" link del "$br"
wait_until 10 tunnel_ok hv1 5000 00:00:00:00:00:02 10.1.0.1 \
    || fail "hv1's bridge of ls0 is not back with its tunnel"
br=$(ls_bridge hv1 5000)
[ "$(ifindex hv1 "$br")" != "$old" ] \
    || fail "hv1's bridge of ls0 is the old one"
wait_until 10 eval '[ "$(link_master hv1 p1)" = "$br" ]' \
    || fail "hv1's p1 is not in the new bridge of ls0 $br"
classic_ping
wait_until 10 has_local_mac hv1 ls0 00:00:00:00:00:01 \
    || fail "vm1's MAC is not local in ls0 again"

step "ls10 untouched so far"
[ "$(ifindex hv1 "$br10") $(ifindex hv1 "$vx10")" = "$idx10" ] \
    || fail "hv1's devices of ls10 changed"
ping10

step "hv1's vtw end of the veth pair of VLAN 10 deleted by hand"
vtv=$(vlan_dev hv1 p1 10)
vtw=$(peer_of hv1 "$vtv")
old=$(ifindex hv1 "$vtw")
idx0="$(ifindex hv1 "$br") $(ifindex hv1 "$(vx_of hv1 5000)")"
ip -n "$(ns hv1)" link del "$vtw"
wait_until 10 vlan_pair_ok hv1 p1 10 5010 \
    || fail "hv1's veth pair of VLAN 10 is not back"
vtw=$(peer_of hv1 "$(vlan_dev hv1 p1 10)")
[ "$(ifindex hv1 "$vtw")" != "$old" ] \
    || fail "hv1's veth pair of VLAN 10 is the old one"
ping10
wait_until 10 has_local_mac hv1 ls10 00:00:00:00:00:11 \
    || fail "vm1's MAC is not local in ls10 again"
[ "$(ifindex hv1 "$br") $(ifindex hv1 "$(vx_of hv1 5000)")" = "$idx0" ] \
    || fail "hv1's devices of ls0 changed"
classic_ping

step "both vtepds still running, no error in hv1's log"
vtepd_alive hv1 || fail "hv1's vtepd died"
vtepd_alive hv2 || fail "hv2's vtepd died"
if grep -E '\|(ERR|EMER)\|' "$VT_DIR/hv1-vtepd.log"; then
    fail "hv1's vtepd logged errors"
fi
grep -E '\|WARN\|' "$VT_DIR/hv1-vtepd.log" || true
echo "PASS: self-heal"
