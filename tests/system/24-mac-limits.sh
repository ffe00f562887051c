#!/bin/bash
# 24-mac-limits.sh -- the cap on remote MACs per logical switch.
#
# The classic lab with hv1's vtepd started with --max-macs-per-ls=3.  Four
# more remote MACs in ls0 make six: the kernel gets the lowest three (vm2's
# among them, so vm1 still reaches vm2), switch_fault_status says
# mac_table_exhaustion and remote_mac_limit, and the log says how many were
# left out.  Deleting MACs below the cap clears the fault and programs the
# ones left.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
vt_init

# switch_faults_are HOST PS VALUES: the switch_fault_status of PS, sorted,
# on one line, is VALUES.
switch_faults_are() {
    local out
    out=$(vtq "$1" --bare --columns=switch_fault_status find Physical_Switch \
              name="$2") || return 1
    [ "$(tr ' ' '\n' <<<"$out" | grep . | sort | tr '\n' ' ' \
         | sed 's/ $//')" = "$3" ]
}

step "the classic lab, hv1 with at most 3 remote MACs per logical switch"
classic_hosts
start_ovsdb hv1
start_ovsdb hv2
configure_vtep hv1 hv1 10.0.0.1 p1 ls0 5000 00:00:00:00:00:02 10.1.0.1
configure_vtep hv2 hv2 10.1.0.1 p1 ls0 5000 00:00:00:00:00:01 10.0.0.1
start_vtepd hv1 hv1 --max-macs-per-ls=3
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

vtepd_alive hv1 || fail "hv1's vtepd died"
echo "PASS: MAC limits"
