#!/bin/bash
# 21-binding-stats.sh -- Logical_Binding_Stats from the kernel's counters.
#
# hv1's port p1 carries two bindings: VLAN 0 to ls0 (key 5000) and VLAN 10
# to ls1 (key 5001); vm1 sits on both (eth0 untagged, eth0.10 tagged), and
# so does vm2 behind hv2.  hv1's vtepd reads the counters every second
# (--stats-interval=1).  With the neighbours fixed (no ARP), 20 pings on
# ls0 add exactly 20 frames of 98 bytes to packets/bytes_from_local and
# _to_local of (p1, 0), and 10 pings on ls1 add exactly 10 to (p1, 10) and
# nothing to (p1, 0); the two always add up to what the kernel counted on
# p1.  Unbinding VLAN 10 removes its vlan_stats entry.  hv2's vtepd reads
# the counters hourly (--stats-interval=3600), so only "vtepd/show", which
# reads them anew, can make hv2's figures add up to its p1's counters after
# the pings, and the database then gets the same figures.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
vt_init

# stats_row HOST PORT VLAN: the uuid of the Logical_Binding_Stats row of
# (PORT, VLAN) on HOST, empty if none.
stats_row() {
    vtq "$1" --bare --columns=vlan_stats find Physical_Port name="$2" \
        | tr ' ' '\n' | sed -n "s/^$3=//p"
}

# no_stats_row HOST PORT VLAN: (PORT, VLAN) has no Logical_Binding_Stats.
no_stats_row() {
    [ -z "$(stats_row "$1" "$2" "$3")" ]
}

# counters HOST PORT VLAN: "PACKETS_FROM BYTES_FROM PACKETS_TO BYTES_TO" of
# (PORT, VLAN) on HOST.
counters() {
    local row c out=""
    row=$(stats_row "$1" "$2" "$3")
    [ -n "$row" ] || return 1
    for c in packets_from_local bytes_from_local packets_to_local \
             bytes_to_local; do
        out="$out $(vtq "$1" get Logical_Binding_Stats "$row" "$c")"
    done
    echo "${out# }"
}

# plus COUNTERS PACKETS BYTES: COUNTERS with PACKETS and BYTES added in
# both directions.
plus() {
    local pf bf pt bt
    read -r pf bf pt bt <<<"$1"
    echo "$((pf + $2)) $((bf + $3)) $((pt + $2)) $((bt + $3))"
}

# counters_are HOST PORT VLAN WANT: counters HOST PORT VLAN is WANT.
counters_are() {
    [ "$(counters "$1" "$2" "$3")" = "$4" ]
}

# expect_counters PORT VLAN WANT: hv1's counters of (PORT, VLAN) become
# WANT within 10 s.
expect_counters() {
    wait_until 10 counters_are hv1 "$1" "$2" "$3" \
        || fail "($1, $2) counts '$(counters hv1 "$1" "$2")', not '$3'"
    echo "($1, $2): $3"
}

# port_counters HOST PORT: the kernel's "RX_PACKETS RX_BYTES TX_PACKETS
# TX_BYTES" of device PORT of HOST.
port_counters() {
    local c out=""
    for c in rx_packets rx_bytes tx_packets tx_bytes; do
        out="$out $(on "$1" cat "/sys/class/net/$2/statistics/$c")"
    done
    echo "${out# }"
}

# add COUNTERS COUNTERS: the sum of two counter lines.
add() {
    local a b
    read -r -a a <<<"$1"
    read -r -a b <<<"$2"
    echo "$((a[0] + b[0])) $((a[1] + b[1])) $((a[2] + b[2])) $((a[3] + b[3]))"
}

# settled: hv1's counters of (p1, 0) and (p1, 10) add up to what the kernel
# counted on p1, i.e. vtepd has read the counters since traffic stopped.
settled() {
    local c0 c10
    c0=$(counters hv1 p1 0) && c10=$(counters hv1 p1 10) || return 1
    [ "$(add "$c0" "$c10")" = "$(port_counters hv1 p1)" ]
}

# shown_counters SHOW PORT VLAN: "PACKETS_FROM BYTES_FROM PACKETS_TO
# BYTES_TO" of (PORT, VLAN) in SHOW, the output of "vtepd/show".
shown_counters() {
    sed -n "s/^ *binding: port $2 VLAN $3 (from local \([0-9]*\) packets \([0-9]*\) bytes, to local \([0-9]*\) packets \([0-9]*\) bytes)\$/\1 \2 \3 \4/p" <<<"$1"
}

# fix_neighbour VM IP MAC DEV: a permanent neighbour entry, so that VM sends
# no ARP while the test counts frames.
fix_neighbour() {
    on "$1" ip neigh replace "$2" lladdr "$3" dev "$4" nud permanent
}

step "hv1 and hv2, vm1 and vm2 on ls0 (untagged) and ls1 (VLAN 10)"
classic_hosts
add_vm_vlan vm1 10 00:00:00:00:01:01 192.168.2.1/24
add_vm_vlan vm2 10 00:00:00:00:01:02 192.168.2.2/24
start_ovsdb hv1
start_ovsdb hv2
configure_vtep hv1 hv1 10.0.0.1 p1 ls0 5000 00:00:00:00:00:02 10.1.0.1
configure_ls hv1 hv1 p1 10 ls1 5001 00:00:00:00:01:02 10.1.0.1
configure_vtep hv2 hv2 10.1.0.1 p1 ls0 5000 00:00:00:00:00:01 10.0.0.1
configure_ls hv2 hv2 p1 10 ls1 5001 00:00:00:00:01:01 10.0.0.1
start_vtepd hv1 hv1 --stats-interval=1
start_vtepd hv2 hv2 --stats-interval=3600
classic_ping
wait_until 10 ping_ok vm1 192.168.2.2 || fail "vm1 cannot ping vm2 on ls1"
fix_neighbour vm1 192.168.1.2 00:00:00:00:00:02 eth0
fix_neighbour vm2 192.168.1.1 00:00:00:00:00:01 eth0
fix_neighbour vm1 192.168.2.2 00:00:00:00:01:02 eth0.10
fix_neighbour vm2 192.168.2.1 00:00:00:00:01:01 eth0.10

step "a Logical_Binding_Stats row per binding"
wait_until 10 counters hv1 p1 0 >/dev/null || fail "no stats for (p1, 0)"
wait_until 10 counters hv1 p1 10 >/dev/null || fail "no stats for (p1, 10)"
vtctl hv1 list Logical_Binding_Stats

step "20 pings on ls0: 20 frames of 98 bytes each way on (p1, 0)"
wait_until 10 settled \
    || fail "(p1, 0) and (p1, 10) do not add up to p1's counters" \
            "$(port_counters hv1 p1)"
before0=$(counters hv1 p1 0)
before10=$(counters hv1 p1 10)
on vm1 ping -n -q -c 20 -i 0.01 -W 1 192.168.1.2 \
    | matches '20 packets transmitted, 20 received' \
    || fail "pings on ls0 were lost"
expect_counters p1 0 "$(plus "$before0" 20 1960)"
counters_are hv1 p1 10 "$before10" \
    || fail "(p1, 10) counted ls0's frames: $(counters hv1 p1 10)"
read -r pf bf pt bt <<<"$(counters hv1 p1 0)"
show_has hv1 "binding: port p1 VLAN 0 \\(from local $pf packets $bf bytes, to local $pt packets $bt bytes\\)" \
    || fail "vtepd/show does not show (p1, 0)'s counters"

step "10 pings on ls1: 10 frames of 98 bytes each way on (p1, 10) only"
before0=$(counters hv1 p1 0)
on vm1 ping -n -q -c 10 -i 0.01 -W 1 192.168.2.2 \
    | matches '10 packets transmitted, 10 received' \
    || fail "pings on ls1 were lost"
expect_counters p1 10 "$(plus "$before10" 10 980)"
counters_are hv1 p1 0 "$before0" \
    || fail "(p1, 0) counted ls1's frames: $(counters hv1 p1 0)"
wait_until 10 settled || fail "the bindings do not add up to p1's counters"

step "unbinding VLAN 10 removes its entry"
vtctl hv1 unbind-ls hv1 p1 10
wait_until 10 no_stats_row hv1 p1 10 \
    || fail "(p1, 10) still has a Logical_Binding_Stats row"
counters hv1 p1 0 >/dev/null || fail "(p1, 0) lost its row"

step "vtepd/show reads the counters anew, and the database follows"
# hv2 read its counters when it started, before any ping.
kernel2=$(port_counters hv2 p1)
show=$(appctl hv2 vtepd/show)
shown0=$(shown_counters "$show" p1 0)
shown10=$(shown_counters "$show" p1 10)
[ -n "$shown0" ] && [ -n "$shown10" ] \
    || fail "hv2's vtepd/show lacks a binding: $show"
[ "$(add "$shown0" "$shown10")" = "$kernel2" ] \
    || fail "hv2's vtepd/show: (p1, 0) '$shown0' and (p1, 10) '$shown10' do not add up to p1's '$kernel2'"
wait_until 10 counters_are hv2 p1 0 "$shown0" \
    || fail "hv2's database has (p1, 0) '$(counters hv2 p1 0)', not the '$shown0' shown"
echo "hv2: (p1, 0) $shown0, (p1, 10) $shown10, p1 $kernel2"

vtepd_alive hv1 || fail "hv1's vtepd died"
vtepd_alive hv2 || fail "hv2's vtepd died"
echo "PASS: binding stats"
