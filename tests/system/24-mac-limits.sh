#!/bin/bash
# 24-mac-limits.sh -- the caps on remote and on learned MACs per logical
# switch.
#
# The classic lab with hv1's vtepd started with --max-macs-per-ls=3.  Four
# more remote MACs in ls0 make six: the kernel gets the lowest three (vm2's
# among them, so vm1 still reaches vm2), switch_fault_status says
# mac_table_exhaustion and remote_mac_limit, and the log says how many were
# left out.  Deleting MACs below the cap clears the fault and programs the
# ones left.
#
# Then the cap on learned MACs (--max-local-macs-per-ls=3): vm1 sends
# frames from ten MACs; the kernel's bridge learns vm1's own and two more,
# Ucast_Macs_Local holds those three, and the switch says
# mac_table_exhaustion and local_mac_limit.  Deleting the learned entries
# clears the fault; restarted with a limit of 5, vtepd changes the bridge it
# adopts, which then learns five.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
vt_init

step "the classic lab, hv1 with at most 3 remote MACs per logical switch"
classic_hosts
start_ovsdb hv1
start_ovsdb hv2
configure_vtep hv1 hv1 10.0.0.1 p1 ls0 5000 00:00:00:00:00:02 10.1.0.1
configure_vtep hv2 hv2 10.1.0.1 p1 ls0 5000 00:00:00:00:00:01 10.0.0.1
start_vtepd hv1 hv1 --max-macs-per-ls=3 --max-local-macs-per-ls=3
start_vtepd hv2 hv2
classic_ping

step "six remote MACs in ls0: the lowest three are programmed"
for m in 13 12 11 10 03; do
    vtctl hv1 add-ucast-remote ls0 "00:00:00:00:00:$m" 10.1.0.1
done
wait_until 10 switch_faults_are hv1 hv1 "mac_table_exhaustion remote_mac_limit" \
    || fail "no mac_table_exhaustion fault"
wait_until 10 remote_fdb_is hv1 \
    '00:00:00:00:00:00 10.1.0.1;00:00:00:00:00:02 10.1.0.1;00:00:00:00:00:03 10.1.0.1;00:00:00:00:00:10 10.1.0.1;' \
    || fail "the kernel does not hold the lowest three: $(remote_fdb hv1)"
show_has hv1 'fault: Logical_Switch ls0 has 6 remote MACs, more than the limit of 3' \
    || fail "vtepd/show does not explain the fault"
grep -q 'WARN|hv1: Logical_Switch ls0 has 6 remote MACs' \
    "$VT_DIR/hv1-vtepd.log" || fail "the log does not explain the fault"
classic_ping

step "back to three: the fault clears and the rest is programmed"
vtctl hv1 del-ucast-remote ls0 00:00:00:00:00:03
vtctl hv1 del-ucast-remote ls0 00:00:00:00:00:10
vtctl hv1 del-ucast-remote ls0 00:00:00:00:00:11
wait_until 10 switch_faults_are hv1 hv1 "" \
    || fail "the mac_table_exhaustion fault did not clear"
wait_until 10 remote_fdb_is hv1 \
    '00:00:00:00:00:00 10.1.0.1;00:00:00:00:00:02 10.1.0.1;00:00:00:00:00:12 10.1.0.1;00:00:00:00:00:13 10.1.0.1;' \
    || fail "the kernel does not hold the three left: $(remote_fdb hv1)"

# send_from_macs FIRST LAST: vm1 sends one broadcast frame, of the local
# experimental ethertype 0x88b5, from each MAC 02:00:00:00:00:NN for NN from
# FIRST to LAST (hexadecimal byte values).
send_from_macs() {
    on vm1 python3 -c '
import socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("eth0", 0))
for n in range(int(sys.argv[1], 16), int(sys.argv[2], 16) + 1):
    s.send(b"\xff" * 6 + bytes([2, 0, 0, 0, 0, n]) + b"\x88\xb5"
           + b"vtepd 24-mac-limits".ljust(46, b"\0"))
' "$1" "$2"
}

# learned_in_kernel HOST: the MACs HOST's bridge of ls0 learned, sorted, one
# per line.
learned_in_kernel() {
    local br
    br=$(ls_bridge "$1" 5000) || return 1
    bridge -n "$(ns "$1")" fdb show br "$br" \
        | awk '!/permanent|static|extern_learn|self/ {print $1}' | sort
}

# learned_count_is HOST N: HOST's bridge of ls0 learned N MACs, and
# Ucast_Macs_Local of ls0 holds N.
learned_count_is() {
    [ "$(learned_in_kernel "$1" | grep -c .)" -eq "$2" ] \
        && [ "$(local_macs "$1" ls0 | grep -c .)" -eq "$2" ]
}

step "ten new MACs behind vm1, at most 3 learned: the switch says so"
send_from_macs 01 0a
wait_until 10 switch_faults_are hv1 hv1 "local_mac_limit mac_table_exhaustion" \
    || fail "no local_mac_limit fault"
wait_until 10 learned_count_is hv1 3 \
    || fail "not 3 learned MACs: kernel $(learned_in_kernel hv1 | tr '\n' ' ')," \
            "database $(local_macs hv1 ls0 | tr '\n' ' ')"
has_local_mac hv1 ls0 00:00:00:00:00:01 || fail "vm1's MAC is not learned"
show_has hv1 'fault: Logical_Switch ls0 has learned the limit of 3 local MACs' \
    || fail "vtepd/show does not explain the fault"
show_has hv1 'learned MAC limit: 3 per logical switch' \
    || fail "vtepd/show does not give the limit"
echo "learned: $(learned_in_kernel hv1 | tr '\n' ' ')"
classic_ping

step "the learned MACs deleted: the fault clears"
br=$(ls_bridge hv1 5000) || fail "no bridge for ls0"
bridge -n "$(ns hv1)" fdb show br "$br" \
    | awk '/^02:00:00:00:00:/ && !/permanent|static/ {print $1, $3}' \
    | while read -r mac dev; do
          bridge -n "$(ns hv1)" fdb del "$mac" dev "$dev" master \
              || fail "cannot delete learned $mac"
      done
wait_until 10 switch_faults_are hv1 hv1 "" \
    || fail "the local_mac_limit fault did not clear"
wait_until 10 learned_count_is hv1 1 \
    || fail "not just vm1's MAC learned: $(local_macs hv1 ls0 | tr '\n' ' ')"

step "vtepd restarted with a limit of 5 sets it on the bridge it adopts"
br_index=$(on hv1 cat "/sys/class/net/$br/ifindex") \
    || fail "no ifindex for $br"
stop_vtepd hv1
start_vtepd hv1 hv1 --max-local-macs-per-ls=5
wait_until 10 show_has hv1 'learned MAC limit: 5 per logical switch' \
    || fail "vtepd did not take the new limit"
send_from_macs 11 1a
wait_until 10 learned_count_is hv1 5 \
    || fail "not 5 learned MACs: kernel $(learned_in_kernel hv1 | tr '\n' ' ')"
wait_until 10 switch_faults_are hv1 hv1 "local_mac_limit mac_table_exhaustion" \
    || fail "no local_mac_limit fault at 5"
[ "$(on hv1 cat "/sys/class/net/$br/ifindex")" = "$br_index" ] \
    || fail "the bridge was replaced, not adopted"

vtepd_alive hv1 || fail "hv1's vtepd died"
echo "PASS: MAC limits"
