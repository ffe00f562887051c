#!/bin/bash
# 17-ovn-controller-vtep-db.sh -- what ovn-controller-vtep writes, with
# vtepd playing the switch.
#
# OVN's Northbound and Southbound databases and ovn-northd; VTEP gateway
# gw1 (10.1.0.1) with its hardware_vtep database, ports p0 and p1 (vm0 and
# vm1 behind them), vtepd playing switch gw1 and ovn-controller-vtep.  The
# hypervisors are fake chassis made with ovn-sbctl (ch0 on 10.2.0.5, ch1 on
# 10.2.0.6) with logical ports bound to them, so this is about the
# databases; at each step vtepd must follow in the kernel (bridges, vxlan
# netdevs, their VNIs, local IPs and FDB entries) and stay up:
#
#   1. chassis: gw1 becomes a Chassis with one VXLAN encap on its tunnel IP
#      and other_config:is-vtep=true, which come back when deleted;
#   2. bindings: the Chassis' vtep_logical_switches follows the logical
#      switches bound on gw1's ports, and vtepd's bridges and VLAN pairs
#      follow the bindings;
#   3. conflicts: two VTEP logical switches bound by two vtep ports of one
#      OVN logical switch both get its key, and vtepd keeps the tunnel for
#      the one whose name sorts first and reports the other; a second vtep
#      port for the same VTEP logical switch is ignored; the same VTEP
#      logical switch through a second physical switch of the database is
#      fine in the same OVN logical switch, and in another one only one of
#      the two OVN datapaths gets it, whose key vtepd then uses; vtepd
#      ignores the other physical switch's rows;
#   4. tunnel key: set to the datapath key, reset to 0 when the port stops
#      being a vtep port (vtepd deletes the vxlan netdev, keeps the bridge)
#      and set again;
#   5. Ucast_Macs_Remote: one row per MAC and logical switch, following the
#      port's addresses; a MAC twice in one logical switch gives one row,
#      the same MAC in two logical switches a row in each; vtepd has the
#      matching FDB entries on each logical switch's vxlan netdev;
#   6. Mcast_Macs_Remote: one unknown-dst row per logical switch whose
#      locators are the chassis with ports in it, following chassis that
#      come, move (encap IP) and go; vtepd floods to exactly those;
#   7. tunnel_ips: a new tunnel IP of gw1 moves the Chassis' encap and
#      vtepd's vxlan netdevs and Mcast_Macs_Local.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=lib-ovs.sh
. "$(dirname "$0")/lib-ovs.sh"
# shellcheck source-path=SCRIPTDIR source=lib-ovn.sh
. "$(dirname "$0")/lib-ovn.sh"
vt_init

ocv=ovn-controller-vtep
zero=00:00:00:00:00:00

# vni_dev HOST VNI: the vxlan netdev of HOST with VNI.
vni_dev() {
    ip -n "$(ns "$1")" -d -o link show type vxlan \
        | awk -v vni="$2" '$0 ~ (" vxlan id " vni " ") {
                               name = $2; sub(/:$/, "", name)
                               sub(/@.*/, "", name); print name }'
}

# vni_ls HOST VNI: the logical switch whose vxlan netdev has VNI, from the
# netdev's alias (vtepd:ps=PS:vxlan:ls=LS).
vni_ls() {
    local dev
    dev=$(vni_dev "$1" "$2")
    [ -n "$dev" ] || return 1
    ip -n "$(ns "$1")" -o link show dev "$dev" \
        | sed -n 's/.* alias vtepd:ps=[^ ]*:ls=\([^ ]*\).*/\1/p'
}

# vni_local HOST VNI: the local (source) IP of HOST's vxlan netdev with VNI.
vni_local() {
    ip -n "$(ns "$1")" -d -o link show type vxlan \
        | awk -v vni="$2" '$0 ~ (" vxlan id " vni " ") {
                               for (i = 1; i < NF; i++)
                                   if ($i == "local") print $(i + 1) }'
}

vni_local_is() {
    [ "$(vni_local "$1" "$2")" = "$3" ]
}

# vni_fdb HOST VNI: "MAC DST" lines of the FDB of HOST's vxlan netdev with
# VNI, sorted (the all-zero MAC is the flood list).
vni_fdb() {
    local dev
    dev=$(vni_dev "$1" "$2")
    [ -n "$dev" ] || return 1
    bridge -n "$(ns "$1")" fdb show dev "$dev" \
        | awk '{ for (i = 1; i < NF; i++) if ($i == "dst") \
                     print $1, $(i + 1) }' \
        | sort -u
}

# vni_fdb_is HOST VNI LINES: vni_fdb HOST VNI, each line ending with ";",
# is LINES.
vni_fdb_is() {
    local out
    out=$(vni_fdb "$1" "$2") || return 1
    [ "$(tr '\n' ';' <<<"$out" | sed 's/^;$//')" = "$3" ]
}

# bridge_count HOST: how many logical switch bridges vtepd has on HOST.
bridge_count() {
    vt_links "$1" bridge | grep -c '^vtb' || true
}

bridge_count_is() {
    [ "$(bridge_count "$1")" = "$2" ]
}

# vxlan_ids_are HOST IDS: HOST's VNIs, sorted and separated by spaces, are
# IDS.
vxlan_ids_are() {
    [ "$(vxlan_ids "$1" | sort -n | tr '\n' ' ' | sed 's/ $//')" = "$2" ]
}

# ocv_warned REGEX: ovn-controller-vtep logged a warning matching REGEX.
ocv_warned() {
    ovn_log_has gw1 "$ocv" "\\|WARN\\|.*$1"
}

# vtepd_sane: gw1's vtepd still runs, answers and logged no error.
vtepd_sane() {
    vtepd_alive gw1 || fail "gw1's vtepd died"
    appctl gw1 vtepd/show >/dev/null || fail "gw1's vtepd does not answer"
    if grep -E '\|(ERR|EMER)\|' "$VT_DIR/gw1-vtepd.log" >&2; then
        fail "gw1's vtepd logged errors"
    fi
}

# bind_fake_vif LS LSP ADDRESSES CHASSIS: logical port LSP in OVN logical
# switch LS with ADDRESSES, bound to fake chassis CHASSIS.
bind_fake_vif() {
    nbctl lsp-add "$1" "$2" -- lsp-set-addresses "$2" "$3"
    nbctl --wait=sb sync
    sbctl lsp-bind "$2" "$4"
}

step "namespaces: gw1 (10.1.0.1), vm0 behind p0, vm1 behind p1"
add_host gw1 10.1.0.1/8
add_vm vm0 gw1 p0 00:00:00:00:0a:00 192.168.10.1/24
add_vm vm1 gw1 p1 00:00:00:00:0a:01 192.168.11.1/24

step "OVN central, gw1's database, vtepd, ovn-controller-vtep"
start_ovn_central central
start_ovsdb gw1
vtctl gw1 add-ps gw1 -- set Physical_Switch gw1 tunnel_ips=10.1.0.1 \
    -- add-port gw1 p0 -- add-port gw1 p1
start_vtepd gw1 gw1
start_ovn_controller_vtep gw1

step "1. chassis gw1: one VXLAN encap on 10.1.0.1, is-vtep"
wait_until 10 sb_has_chassis gw1 || fail "no Chassis gw1"
wait_until 10 sb_encap_ip_is gw1 vxlan 10.1.0.1 \
    || fail "gw1's VXLAN encap is not on 10.1.0.1: $(sb_encap_ips gw1 vxlan)"
encaps=$(sbq --bare --columns=type find Encap chassis_name=gw1)
[ "$encaps" = vxlan ] || fail "gw1 has encaps other than one vxlan: $encaps"
sb_vtep_lswitches_are gw1 "" \
    || fail "gw1 has vtep_logical_switches already: $(sb_vtep_lswitches gw1)"
# gw1_is_vtep: Chassis gw1 has other_config:is-vtep=true.
gw1_is_vtep() {
    [ "$(sbq get Chassis gw1 other_config:is-vtep 2>/dev/null)" = '"true"' ]
}
gw1_is_vtep || fail "Chassis gw1 lacks other_config:is-vtep=true"
sbctl remove Chassis gw1 other_config is-vtep
wait_until 10 gw1_is_vtep || fail "ovn-controller-vtep did not put is-vtep back"
sbctl chassis-del gw1
wait_until 10 ocv_warned 'Chassis for VTEP physical switch \(gw1\) disappears' \
    || fail "ovn-controller-vtep did not warn about the deleted chassis"
wait_until 10 sb_has_chassis gw1 || fail "Chassis gw1 did not come back"
wait_until 10 sb_encap_ip_is gw1 vxlan 10.1.0.1 \
    || fail "gw1's encap did not come back: $(sb_encap_ips gw1 vxlan)"
vtepd_sane
vtepd_no_faults gw1 || fail "vtepd reports: $(vtepd_faults gw1)"

step "2. bindings: Chassis vtep_logical_switches and vtepd's devices"
vtctl gw1 add-ls ls0 -- bind-ls gw1 p0 100 ls0 -- bind-ls gw1 p0 200 ls0 \
    -- bind-ls gw1 p1 300 ls0
wait_until 10 sb_vtep_lswitches_are gw1 ls0 \
    || fail "gw1's vtep_logical_switches is not ls0: $(sb_vtep_lswitches gw1)"
for b in "p0 100" "p0 200" "p1 300"; do
    # shellcheck disable=SC2086
    wait_until 10 vlan_dev gw1 $b >/dev/null \
        || fail "vtepd made no VLAN pair for binding $b"
done
bridge_count_is gw1 1 || fail "gw1 has $(bridge_count gw1) bridges, not 1"
[ -z "$(vxlan_ids gw1)" ] || fail "gw1 has a vxlan netdev before any key"
vtctl gw1 add-ls ls1 -- bind-ls gw1 p0 300 ls1
wait_until 10 sb_vtep_lswitches_are gw1 "ls0 ls1" \
    || fail "gw1's vtep_logical_switches is not ls0 ls1:" \
            "$(sb_vtep_lswitches gw1)"
wait_until 10 bridge_count_is gw1 2 \
    || fail "gw1 has $(bridge_count gw1) bridges, not 2"
vtctl gw1 unbind-ls gw1 p0 200
wait_until 10 not vlan_dev gw1 p0 200 \
    || fail "vtepd kept the VLAN pair of p0 200"
sb_vtep_lswitches_are gw1 "ls0 ls1" \
    || fail "unbinding one of ls0's ports changed vtep_logical_switches:" \
            "$(sb_vtep_lswitches gw1)"
vtctl gw1 unbind-ls gw1 p0 100 -- unbind-ls gw1 p1 300
wait_until 10 sb_vtep_lswitches_are gw1 ls1 \
    || fail "gw1's vtep_logical_switches is not ls1: $(sb_vtep_lswitches gw1)"
wait_until 10 bridge_count_is gw1 1 \
    || fail "gw1 has $(bridge_count gw1) bridges, not 1"
vtctl gw1 unbind-ls gw1 p0 300
wait_until 10 sb_vtep_lswitches_are gw1 "" \
    || fail "gw1 still has vtep_logical_switches $(sb_vtep_lswitches gw1)"
wait_until 10 no_ls_netdevs gw1 \
    || fail "vtepd left devices without bindings: $(ls_netdevs gw1)"
vtepd_sane

step "3. conflicts: ls0 and ls1 in one OVN logical switch share its key"
nbctl ls-add br-test
vtctl gw1 bind-ls gw1 p0 100 ls0 -- bind-ls gw1 p1 300 ls0
add_vtep_lsp br-test gw1-ls0 gw1 ls0
wait_until 10 sb_pb_chassis_is gw1-ls0 gw1 \
    || fail "gw1-ls0 is not bound to gw1: '$(sb_pb_chassis gw1-ls0)'"
k0=$(sb_dp_key br-test)
wait_until 10 vtep_ls_key_is gw1 ls0 "$k0" \
    || fail "ls0's tunnel_key is '$(vtep_ls_key gw1 ls0)', not $k0"
[ "$(vtep_ls_repl gw1 ls0)" = source_node ] \
    || fail "ls0's replication_mode is '$(vtep_ls_repl gw1 ls0)'"
wait_until 10 has_vxlan_id gw1 "$k0" \
    || fail "gw1 has no vxlan netdev with VNI $k0: $(vxlan_ids gw1)"
vni_local_is gw1 "$k0" 10.1.0.1 \
    || fail "VNI $k0's local IP is '$(vni_local gw1 "$k0")', not 10.1.0.1"
vtctl gw1 bind-ls gw1 p0 200 ls1
add_vtep_lsp br-test gw1-ls1 gw1 ls1
wait_until 10 sb_pb_chassis_is gw1-ls1 gw1 \
    || fail "gw1-ls1 is not bound to gw1: '$(sb_pb_chassis gw1-ls1)'"
wait_until 10 vtep_ls_key_is gw1 ls1 "$k0" \
    || fail "ls1's tunnel_key is '$(vtep_ls_key gw1 ls1)', not $k0"
wait_until 10 show_has gw1 "Logical_Switch ls1 has tunnel_key $k0, which ls0 has too" \
    || fail "vtepd does not report ls1's duplicate key: $(vtepd_faults gw1)"
vxlan_ids_are gw1 "$k0" || fail "gw1's VNIs are not just $k0: $(vxlan_ids gw1)"
[ "$(vni_ls gw1 "$k0")" = ls0 ] \
    || fail "VNI $k0 is not ls0's but '$(vni_ls gw1 "$k0")'s"
bridge_count_is gw1 2 || fail "gw1 has $(bridge_count gw1) bridges, not 2"

step "3. conflicts: a second vtep port for ls0 is ignored"
add_vtep_lsp br-test gw1-ls0-dup gw1 ls0
wait_until 10 ocv_warned 'ls0.*has already been associated with logical port' \
    || fail "ovn-controller-vtep did not warn about gw1-ls0-dup"
# one_of_ls0_ports_bound: exactly one of gw1-ls0 and gw1-ls0-dup is bound
# (to gw1).
one_of_ls0_ports_bound() {
    local a b
    a=$(sb_pb_chassis gw1-ls0) || return 1
    b=$(sb_pb_chassis gw1-ls0-dup) || return 1
    case $a:$b in
        gw1: | :gw1) return 0 ;;
        *) return 1 ;;
    esac
}
wait_until 10 one_of_ls0_ports_bound \
    || fail "not exactly one of gw1-ls0 and gw1-ls0-dup is bound:" \
            "'$(sb_pb_chassis gw1-ls0)' '$(sb_pb_chassis gw1-ls0-dup)'"
sb_pb_chassis_is gw1-ls1 gw1 || fail "gw1-ls1 lost its chassis"
vxlan_ids_are gw1 "$k0" || fail "gw1's VNIs are not just $k0: $(vxlan_ids gw1)"
nbctl lsp-del gw1-ls0-dup
wait_until 10 sb_pb_chassis_is gw1-ls0 gw1 \
    || fail "gw1-ls0 is not bound to gw1: '$(sb_pb_chassis gw1-ls0)'"
nbctl lsp-del gw1-ls1
wait_until 10 vtep_ls_key_is gw1 ls1 0 \
    || fail "ls1's tunnel_key was not reset: '$(vtep_ls_key gw1 ls1)'"
wait_until 10 vtepd_no_faults gw1 \
    || fail "vtepd still reports: $(vtepd_faults gw1)"
vxlan_ids_are gw1 "$k0" || fail "gw1's VNIs are not just $k0: $(vxlan_ids gw1)"
[ "$(vni_ls gw1 "$k0")" = ls0 ] || fail "VNI $k0 is not ls0's"

step "3. ls0 also through physical switch gwv, in the same OVN switch: fine"
# The Logical_Switch row ls0 is shared by every physical switch of the
# database.  Through a second switch gwv of the same database, in the same
# OVN logical switch, both vtep ports are bound and ls0 keeps its key;
# vtepd ignores gwv's rows.
vtctl gw1 add-ps gwv -- add-port gwv pv0 -- bind-ls gwv pv0 100 ls0
wait_until 10 sb_vtep_lswitches_are gwv ls0 \
    || fail "Chassis gwv's vtep_logical_switches: $(sb_vtep_lswitches gwv)"
add_vtep_lsp br-test gwv-ls0 gwv ls0
wait_until 10 sb_pb_chassis_is gwv-ls0 gwv \
    || fail "gwv-ls0 is not bound to gwv: '$(sb_pb_chassis gwv-ls0)'"
sb_pb_chassis_is gw1-ls0 gw1 || fail "gw1-ls0 lost its chassis"
vtep_ls_key_is gw1 ls0 "$k0" \
    || fail "ls0's tunnel_key moved to '$(vtep_ls_key gw1 ls0)'"
vxlan_ids_are gw1 "$k0" || fail "gw1's VNIs are not just $k0: $(vxlan_ids gw1)"
vtepd_no_faults gw1 \
    || fail "vtepd has problems with another switch's rows: $(vtepd_faults gw1)"
nbctl lsp-del gwv-ls0
wait_until 10 sb_pb_chassis_is gw1-ls0 gw1 \
    || fail "gw1-ls0 is not bound to gw1: '$(sb_pb_chassis gw1-ls0)'"

step "3. conflicts: ls0 through gwv in a second OVN logical switch"
# ovn-controller-vtep binds ls0 to one OVN datapath only, that of whichever
# of gw1-ls0 and gwv-ls0 it meets first, and ls0's tunnel_key is that
# datapath's key.  vtepd follows.
nbctl ls-add br-void
add_vtep_lsp br-void gwv-ls0 gwv ls0
kv=$(sb_dp_key br-void)
wait_until 10 sb_has_chassis gwv || fail "no Chassis gwv"
wait_until 10 ocv_warned 'logical switch \(ls0\), on vtep gateway chassis \(gw[1v]\) has already been associated with logical datapath' \
    || fail "ovn-controller-vtep did not warn about ls0 in two datapaths"
# one_ls0_datapath_bound: exactly one of gw1-ls0 (br-test) and gwv-ls0
# (br-void) is bound, and ls0's tunnel_key is its datapath's key.
one_ls0_datapath_bound() {
    local a b
    a=$(sb_pb_chassis gw1-ls0) || return 1
    b=$(sb_pb_chassis gwv-ls0) || return 1
    case $a:$b in
        gw1:) vtep_ls_key_is gw1 ls0 "$k0" ;;
        :gwv) vtep_ls_key_is gw1 ls0 "$kv" ;;
        *) return 1 ;;
    esac
}
wait_until 10 one_ls0_datapath_bound \
    || fail "not exactly one of gw1-ls0 and gwv-ls0 is bound, with its key:" \
            "'$(sb_pb_chassis gw1-ls0)' '$(sb_pb_chassis gwv-ls0)'" \
            "key $(vtep_ls_key gw1 ls0)"
kls0=$(vtep_ls_key gw1 ls0)
vtctl gw1 list Logical_Switch ls0
wait_until 10 vxlan_ids_are gw1 "$kls0" \
    || fail "gw1's VNIs are not just ls0's key $kls0: $(vxlan_ids gw1)"
[ "$(vni_ls gw1 "$kls0")" = ls0 ] || fail "VNI $kls0 is not ls0's"
vtepd_no_faults gw1 \
    || fail "vtepd has problems with another switch's rows: $(vtepd_faults gw1)"
nbctl ls-del br-void
vtctl gw1 del-ps gwv
wait_until 10 not sb_has_chassis gwv || fail "Chassis gwv stayed"
wait_until 10 sb_pb_chassis_is gw1-ls0 gw1 \
    || fail "gw1-ls0 is not bound to gw1: '$(sb_pb_chassis gw1-ls0)'"
wait_until 10 vtep_ls_key_is gw1 ls0 "$k0" \
    || fail "ls0's tunnel_key is '$(vtep_ls_key gw1 ls0)', not $k0"
wait_until 10 vxlan_ids_are gw1 "$k0" \
    || fail "gw1's VNIs are not just $k0: $(vxlan_ids gw1)"
vtepd_sane

step "4. tunnel key: reset when gw1-ls0 stops being a vtep port, set again"
nbctl lsp-set-type gw1-ls0 ""
wait_until 10 vtep_ls_key_is gw1 ls0 0 \
    || fail "ls0's tunnel_key was not reset: '$(vtep_ls_key gw1 ls0)'"
wait_until 10 not has_vxlan_id gw1 "$k0" \
    || fail "vtepd kept the vxlan netdev of VNI $k0 after key 0"
[ -z "$(vxlan_ids gw1)" ] || fail "gw1 has VNIs $(vxlan_ids gw1) with key 0"
bridge_count_is gw1 2 \
    || fail "gw1 has $(bridge_count gw1) bridges, not 2 (ls0, ls1 bound)"
vtepd_no_faults gw1 || fail "vtepd reports for key 0: $(vtepd_faults gw1)"
nbctl lsp-set-type gw1-ls0 vtep
wait_until 10 vtep_ls_key_is gw1 ls0 "$k0" \
    || fail "ls0's tunnel_key did not come back: '$(vtep_ls_key gw1 ls0)'"
wait_until 10 has_vxlan_id gw1 "$k0" \
    || fail "vtepd did not make VNI $k0 again: $(vxlan_ids gw1)"
vtepd_sane

step "5. Ucast_Macs_Remote: vif0 on fake chassis ch0 (10.2.0.5)"
sbctl chassis-add ch0 vxlan 10.2.0.5
bind_fake_vif br-test vif0 f0:ab:cd:ef:01:02 ch0
wait_until 10 remote_macs_are gw1 ls0 "f0:ab:cd:ef:01:02 10.2.0.5;" \
    || fail "ls0's Ucast_Macs_Remote: $(remote_macs gw1 ls0)"
wait_until 10 vni_fdb_is gw1 "$k0" \
        "$zero 10.2.0.5;f0:ab:cd:ef:01:02 10.2.0.5;" \
    || fail "VNI $k0's FDB: $(vni_fdb gw1 "$k0")"

step "5. the same MAC twice in one logical switch: one row"
bind_fake_vif br-test vif1 f0:ab:cd:ef:01:02 ch0
wait_until 10 ocv_warned 'MAC address \(f0:ab:cd:ef:01:02\) has already been known to be on logical port' \
    || fail "ovn-controller-vtep did not warn about the duplicate MAC"
remote_macs_are gw1 ls0 "f0:ab:cd:ef:01:02 10.2.0.5;" \
    || fail "ls0's Ucast_Macs_Remote: $(remote_macs gw1 ls0)"
vni_fdb_is gw1 "$k0" "$zero 10.2.0.5;f0:ab:cd:ef:01:02 10.2.0.5;" \
    || fail "VNI $k0's FDB: $(vni_fdb gw1 "$k0")"
nbctl --wait=sb lsp-del vif1

step "5. rows follow vif0's addresses"
nbctl lsp-set-addresses vif0 f0:ab:cd:ef:01:02 f0:ab:cd:ef:01:03
wait_until 10 remote_macs_are gw1 ls0 \
        "f0:ab:cd:ef:01:02 10.2.0.5;f0:ab:cd:ef:01:03 10.2.0.5;" \
    || fail "ls0's Ucast_Macs_Remote: $(remote_macs gw1 ls0)"
wait_until 10 vni_fdb_is gw1 "$k0" \
        "$zero 10.2.0.5;f0:ab:cd:ef:01:02 10.2.0.5;f0:ab:cd:ef:01:03 10.2.0.5;" \
    || fail "VNI $k0's FDB: $(vni_fdb gw1 "$k0")"
nbctl lsp-set-addresses vif0 "f0:ab:cd:ef:01:04 192.168.0.1"
wait_until 10 remote_macs_are gw1 ls0 "f0:ab:cd:ef:01:04 10.2.0.5;" \
    || fail "ls0's Ucast_Macs_Remote: $(remote_macs gw1 ls0)"
wait_until 10 vni_fdb_is gw1 "$k0" \
        "$zero 10.2.0.5;f0:ab:cd:ef:01:04 10.2.0.5;" \
    || fail "VNI $k0's FDB: $(vni_fdb gw1 "$k0")"

step "5. the same MAC in two logical switches: a row in each"
sbctl chassis-add ch1 vxlan 10.2.0.6
nbctl ls-add br-void
bind_fake_vif br-void vif2 f0:ab:cd:ef:01:04 ch1
add_vtep_lsp br-void gw1-ls1 gw1 ls1
k1=$(sb_dp_key br-void)
if [ -z "$k1" ] || [ "$k1" = "$k0" ]; then
    fail "br-void's datapath key is '$k1' (br-test's is $k0)"
fi
wait_until 10 vtep_ls_key_is gw1 ls1 "$k1" \
    || fail "ls1's tunnel_key is '$(vtep_ls_key gw1 ls1)', not $k1"
wait_until 10 remote_macs_are gw1 ls1 "f0:ab:cd:ef:01:04 10.2.0.6;" \
    || fail "ls1's Ucast_Macs_Remote: $(remote_macs gw1 ls1)"
remote_macs_are gw1 ls0 "f0:ab:cd:ef:01:04 10.2.0.5;" \
    || fail "ls0's Ucast_Macs_Remote: $(remote_macs gw1 ls0)"
vtctl gw1 list-remote-macs ls0
vtctl gw1 list-remote-macs ls1
wait_until 10 vni_fdb_is gw1 "$k1" \
        "$zero 10.2.0.6;f0:ab:cd:ef:01:04 10.2.0.6;" \
    || fail "VNI $k1's FDB: $(vni_fdb gw1 "$k1")"
vni_fdb_is gw1 "$k0" "$zero 10.2.0.5;f0:ab:cd:ef:01:04 10.2.0.5;" \
    || fail "VNI $k0's FDB: $(vni_fdb gw1 "$k0")"
vxlan_ids_are gw1 "$(printf '%s\n' "$k0" "$k1" | sort -n | tr '\n' ' ' \
                     | sed 's/ $//')" \
    || fail "gw1's VNIs are not $k0 and $k1: $(vxlan_ids gw1)"
[ "$(vni_ls gw1 "$k1")" = ls1 ] || fail "VNI $k1 is not ls1's"
remote_fdb gw1
vtepd_no_faults gw1 || fail "vtepd reports: $(vtepd_faults gw1)"

step "6. Mcast_Macs_Remote: one unknown-dst row, its locators the chassis"
[ "$(mcast_remote_rows gw1 ls0)" = 1 ] \
    || fail "ls0 has $(mcast_remote_rows gw1 ls0) Mcast_Macs_Remote rows"
remote_mcast_are gw1 ls0 "unknown-dst 10.2.0.5;" \
    || fail "ls0's Mcast_Macs_Remote: $(remote_mcast gw1 ls0)"
bind_fake_vif br-test vif3 f0:ab:cd:ef:03:03 ch1
wait_until 10 remote_mcast_are gw1 ls0 "unknown-dst 10.2.0.5;unknown-dst 10.2.0.6;" \
    || fail "ls0's Mcast_Macs_Remote: $(remote_mcast gw1 ls0)"
[ "$(mcast_remote_rows gw1 ls0)" = 1 ] \
    || fail "ls0 has $(mcast_remote_rows gw1 ls0) Mcast_Macs_Remote rows"
vtctl gw1 list-remote-macs ls0
wait_until 10 vni_fdb_is gw1 "$k0" \
        "$zero 10.2.0.5;$zero 10.2.0.6;f0:ab:cd:ef:01:04 10.2.0.5;f0:ab:cd:ef:03:03 10.2.0.6;" \
    || fail "VNI $k0's FDB: $(vni_fdb gw1 "$k0")"

step "6. ch1 moves to 10.2.0.7: locators and vtepd's FDB follow"
sbctl set Encap "$(sbq --bare --columns=_uuid find Encap chassis_name=ch1)" \
    ip=10.2.0.7
wait_until 10 remote_mcast_are gw1 ls0 "unknown-dst 10.2.0.5;unknown-dst 10.2.0.7;" \
    || fail "ls0's Mcast_Macs_Remote: $(remote_mcast gw1 ls0)"
wait_until 10 remote_macs_are gw1 ls0 \
        "f0:ab:cd:ef:01:04 10.2.0.5;f0:ab:cd:ef:03:03 10.2.0.7;" \
    || fail "ls0's Ucast_Macs_Remote: $(remote_macs gw1 ls0)"
wait_until 10 vni_fdb_is gw1 "$k0" \
        "$zero 10.2.0.5;$zero 10.2.0.7;f0:ab:cd:ef:01:04 10.2.0.5;f0:ab:cd:ef:03:03 10.2.0.7;" \
    || fail "VNI $k0's FDB: $(vni_fdb gw1 "$k0")"
wait_until 10 vni_fdb_is gw1 "$k1" \
        "$zero 10.2.0.7;f0:ab:cd:ef:01:04 10.2.0.7;" \
    || fail "VNI $k1's FDB: $(vni_fdb gw1 "$k1")"
[ "$(mcast_remote_rows gw1 ls0)" = 1 ] \
    || fail "ls0 has $(mcast_remote_rows gw1 ls0) Mcast_Macs_Remote rows"

step "6. vif3 leaves ch1, then ch0 goes: locators and vtepd's FDB follow"
sbctl lsp-unbind vif3
wait_until 10 remote_mcast_are gw1 ls0 "unknown-dst 10.2.0.5;" \
    || fail "ls0's Mcast_Macs_Remote: $(remote_mcast gw1 ls0)"
wait_until 10 vni_fdb_is gw1 "$k0" \
        "$zero 10.2.0.5;f0:ab:cd:ef:01:04 10.2.0.5;" \
    || fail "VNI $k0's FDB: $(vni_fdb gw1 "$k0")"
sbctl chassis-del ch0
wait_until 10 remote_mcast_are gw1 ls0 "" \
    || fail "ls0's Mcast_Macs_Remote: $(remote_mcast gw1 ls0)"
wait_until 10 remote_macs_are gw1 ls0 "" \
    || fail "ls0's Ucast_Macs_Remote: $(remote_macs gw1 ls0)"
[ "$(mcast_remote_rows gw1 ls0)" = 0 ] \
    || fail "ls0 has $(mcast_remote_rows gw1 ls0) Mcast_Macs_Remote rows"
wait_until 10 vni_fdb_is gw1 "$k0" "" \
    || fail "VNI $k0's FDB: $(vni_fdb gw1 "$k0")"
vni_fdb_is gw1 "$k1" "$zero 10.2.0.7;f0:ab:cd:ef:01:04 10.2.0.7;" \
    || fail "VNI $k1's FDB: $(vni_fdb gw1 "$k1")"
vtepd_sane

step "7. tunnel_ips 10.1.0.1 -> 10.1.0.2: encap, vxlan netdevs, locator"
vtctl gw1 set Physical_Switch gw1 tunnel_ips=10.1.0.2
wait_until 10 sb_encap_ip_is gw1 vxlan 10.1.0.2 \
    || fail "gw1's VXLAN encap did not follow: $(sb_encap_ips gw1 vxlan)"
for k in "$k0" "$k1"; do
    wait_until 10 vni_local_is gw1 "$k" 10.1.0.2 \
        || fail "VNI $k's local IP is '$(vni_local gw1 "$k")', not 10.1.0.2"
done
for ls in ls0 ls1; do
    wait_until 10 has_local_mcast gw1 "$ls" \
            "unknown-dst -> vxlan_over_ipv4/10.1.0.2" \
        || fail "$ls's Mcast_Macs_Local is not unknown-dst -> 10.1.0.2:" \
                "$(local_mcast gw1 "$ls")"
done
vni_fdb_is gw1 "$k1" "$zero 10.2.0.7;f0:ab:cd:ef:01:04 10.2.0.7;" \
    || fail "VNI $k1's FDB did not survive: $(vni_fdb gw1 "$k1")"
vtep_ls_key_is gw1 ls0 "$k0" || fail "ls0's key changed"
vtep_ls_key_is gw1 ls1 "$k1" || fail "ls1's key changed"
appctl gw1 vtepd/show

step "vtepd and ovn-controller-vtep still running, no faults"
vtepd_sane
vtepd_no_faults gw1 || fail "vtepd reports: $(vtepd_faults gw1)"
ovn_daemon_alive gw1 "$ocv" || fail "ovn-controller-vtep died"
echo "PASS: ovn-controller-vtep's database with vtepd"
