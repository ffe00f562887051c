#!/bin/bash
# 08-dummy-datapath.sh -- the in-memory datapath and its unixctl commands,
# against a real ovsdb-server and vtep-ctl.
#
# A binding of a port the datapath does not have is reported by vtepd/show
# and waits, without failing operations: it is applied as soon as
# dpdummy/port-add makes the port appear.  dpdummy/learn puts a MAC into Ucast_Macs_Local (with
# the switch's own locator), dpdummy/age takes it out, and so does the
# port going away.  vtepd/dump-macs shows the remote MACs and flood list.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
vt_init

step "drop-in switch d1 on the dummy datapath"
vt_add_ns d1
start_ovsdb d1
configure_vtep d1 d1 10.0.0.1 p1 ls0 5000 00:00:00:00:00:02 10.1.0.1
vtctl d1 add-mcast-remote ls0 unknown-dst 10.2.0.1
start_vtepd d1 d1 --datapath=dummy

step "p1 does not exist yet: the binding waits, reported, not retried"
wait_until 10 show_has d1 'fault: Physical_Port p1: no such network device' \
    || fail "vtepd/show does not report the missing port"
show_has d1 'binding: port p1' && fail "binding of a missing port applied"
show_has d1 'operations failed' && fail "a missing port made an operation fail"

step "dpdummy/port-add p1: the binding is applied at once"
appctl d1 dpdummy/port-add p1
wait_until 5 show_has d1 'binding: port p1 VLAN 0' \
    || fail "binding not applied after the port appeared"
out=$(appctl d1 vtepd/dump-macs ls0)
printf '%s\n' "$out"
text_has "$out" '^remote 00:00:00:00:00:02 dst 10.1.0.1$' \
    || fail "dump-macs lacks the remote MAC"
# Replication mode unset: service_node, one locator (the lowest IP).
text_has "$out" '^flood  dst 10.1.0.1$' || fail "dump-macs lacks the flood"
text_has "$out" '10.2.0.1' && fail "service_node floods to two locators"

step "source_node: the flood list has every locator"
vtctl d1 set Logical_Switch ls0 replication_mode=source_node
wait_until 5 show_has d1 'flood: 10.2.0.1' \
    || fail "source_node did not add the second locator"

step "dpdummy/learn: the MAC appears in Ucast_Macs_Local"
appctl d1 dpdummy/learn p1 0 00:00:00:00:00:01
wait_until 5 has_local_mac d1 ls0 00:00:00:00:00:01 \
    || fail "learned MAC not in Ucast_Macs_Local"
vtq d1 list-local-macs ls0 | grep '00:00:00:00:00:01 -> vxlan_over_ipv4/10.0.0.1' >/dev/null \
    || fail "learned MAC does not have the switch's own locator"
if appctl d1 dpdummy/learn p9 0 00:00:00:00:00:09 2>/dev/null; then
    fail "learning on an unbound port was accepted"
fi

step "dpdummy/age: the MAC leaves Ucast_Macs_Local"
appctl d1 dpdummy/age p1 0 00:00:00:00:00:01
wait_until 5 not has_local_mac d1 ls0 00:00:00:00:00:01 \
    || fail "aged MAC stayed in Ucast_Macs_Local"

step "the port goes away: its MACs go with it"
appctl d1 dpdummy/learn p1 0 00:00:00:00:00:03
wait_until 5 has_local_mac d1 ls0 00:00:00:00:00:03 \
    || fail "learned MAC not in Ucast_Macs_Local"
appctl d1 dpdummy/port-del p1
wait_until 5 not has_local_mac d1 ls0 00:00:00:00:00:03 \
    || fail "MAC of a removed port stayed in Ucast_Macs_Local"

step "bad rows are reported, skipped, and cleared when fixed"
ls_uuid=$(vtq d1 get Logical_Switch ls0 _uuid)
vtq d1 -- --id=@l create Physical_Locator dst_ip=not-an-ip \
       encapsulation_type=vxlan_over_ipv4 \
    -- create Ucast_Macs_Remote MAC='"00:00:00:00:00:07"' \
       logical_switch="$ls_uuid" locator=@l >/dev/null
vtq d1 -- --id=@l create Physical_Locator dst_ip=10.3.0.1 \
       encapsulation_type=vxlan_over_ipv4 \
    -- create Ucast_Macs_Remote MAC='"zz:00:00:00:00:08"' \
       logical_switch="$ls_uuid" locator=@l >/dev/null
vtctl d1 set Logical_Switch ls0 tunnel_key=16777216
vtctl d1 set Physical_Switch d1 tunnel_ips='["10.0.0.1","10.0.0.2"]'
wait_until 5 show_has d1 'fault: .*has 2 tunnel IPs' \
    || fail "two tunnel IPs not reported"
show_has d1 'fault: .*dst_ip "not-an-ip" is not a unicast IPv4 address' \
    || fail "bad locator IP not reported"
show_has d1 'fault: .*"zz:00:00:00:00:08" is not a MAC address' \
    || fail "bad MAC not reported"
show_has d1 'fault: .*tunnel_key 16777216 is out of range' \
    || fail "out-of-range tunnel_key not reported"
grep -q 'WARN.*is not a MAC address' "$VT_DIR/d1-vtepd.log" \
    || fail "bad MAC not logged"
text_has "$(appctl d1 vtepd/dump-macs ls0)" '^remote 00:00:00:00:00:02 ' \
    || fail "a good remote MAC was lost because of bad rows"
vtctl d1 set Physical_Switch d1 tunnel_ips=10.0.0.1
vtctl d1 set Logical_Switch ls0 tunnel_key=5000
wait_until 5 not show_has d1 'tunnel IPs' \
    || fail "fixed tunnel IPs still reported"
wait_until 5 grep -q 'resolved: .*tunnel IPs' "$VT_DIR/d1-vtepd.log" \
    || fail "the fix was not logged as resolved"

step "a new tunnel IP: the local rows move to the new locator"
appctl d1 dpdummy/port-add p1
wait_until 5 show_has d1 'binding: port p1 VLAN 0' \
    || fail "binding not applied after the port came back"
appctl d1 dpdummy/learn p1 0 00:00:00:00:00:05
# local_rows: d1's local MAC rows as "MAC -> LOCATOR" lines.
local_rows() {
    vtq d1 list-local-macs ls0 | awk '/->/ {print $1, $2, $3}'
}
wait_until 5 has_local_mac d1 ls0 00:00:00:00:00:05 \
    || fail "learned MAC not in Ucast_Macs_Local"
vtctl d1 set Physical_Switch d1 tunnel_ips=10.0.0.9
# moved: every local row has the new locator, and both kinds are there.
moved() {
    local rows
    rows=$(local_rows)
    text_has "$rows" '^00:00:00:00:00:05 -> vxlan_over_ipv4/10\.0\.0\.9$' \
        && text_has "$rows" '^unknown-dst -> vxlan_over_ipv4/10\.0\.0\.9$' \
        && ! text_has "$rows" '10\.0\.0\.1$'
}
wait_until 5 moved || fail "local rows did not move to 10.0.0.9: $(local_rows)"
local_rows

vtepd_alive d1 || fail "vtepd died"
echo "PASS: dummy datapath"
