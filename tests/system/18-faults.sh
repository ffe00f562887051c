#!/bin/bash
# 18-faults.sh -- switch_fault_status and port_fault_status.
#
# The classic lab, then, on hv1, one fault after another: a binding of a
# port that is not in the kernel, a binding the kernel refuses, a
# tunnel_key out of the VNI range, two
# logical switches with one tunnel_key, a remote MAC that does not parse,
# several tunnel IPs and none.  Each shows up in the fault status column of
# the switch or the port (the vtep(5) value and vtepd's own, see vtepd(8)),
# in vtepd/show and in the log, and clears when its cause does; meanwhile
# vm1 and vm2, on the well-formed ls0, keep pinging each other.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
vt_init

# port_faults HOST PORT: the port_fault_status values of PORT, as above.
port_faults() {
    vtq "$1" --bare --columns=port_fault_status find Physical_Port \
        name="$2" | tr ' ' '\n' | grep . | sort | tr '\n' ' ' | sed 's/ $//'
}

# port_faults_are HOST PORT VALUES: port_faults HOST PORT is VALUES.
port_faults_are() {
    [ "$(port_faults "$1" "$2")" = "$3" ]
}

# log_has HOST REGEX: HOST's vtepd log has a line matching REGEX.
log_has() {
    grep -E -- "$2" "$VT_DIR/$1-vtepd.log" >/dev/null
}

# expect_switch_fault VALUES SHOW_REGEX: hv1's switch_fault_status becomes
# VALUES and vtepd/show has a fault line matching SHOW_REGEX, while ls0
# still forwards.
expect_switch_fault() {
    wait_until 10 switch_faults_are hv1 hv1 "$1" \
        || fail "switch_fault_status is '$(switch_faults hv1 hv1)', not '$1'"
    show_has hv1 "fault: $2" || fail "vtepd/show has no fault '$2'"
    log_has hv1 "\|WARN\|hv1: $2" || fail "no warning '$2' in vtepd's log"
    ping_ok vm1 192.168.1.2 || fail "ls0 stopped forwarding"
    echo "switch_fault_status: [$1]"
}

# expect_switch_clear SHOW_REGEX: hv1's switch_fault_status empties, and
# the log says that the fault matching SHOW_REGEX is resolved.
expect_switch_clear() {
    wait_until 10 switch_faults_are hv1 hv1 "" \
        || fail "switch_fault_status did not clear: $(switch_faults hv1 hv1)"
    not show_has hv1 'fault:' || fail "vtepd/show still lists a fault"
    wait_until 5 log_has hv1 "\|INFO\|hv1: resolved: $1" \
        || fail "the log does not say '$1' was resolved"
}

step "the classic lab, no faults"
classic_lab
classic_ping
wait_until 10 switch_faults_are hv1 hv1 "" \
    || fail "unexpected switch_fault_status: $(switch_faults hv1 hv1)"
port_faults_are hv1 p1 "" || fail "unexpected port_fault_status on p1"

step "a binding of p9, which the kernel does not have"
vtctl hv1 add-port hv1 p9
vtctl hv1 add-ls ls9
vtctl hv1 set Logical_Switch ls9 tunnel_key=5009
vtctl hv1 bind-ls hv1 p9 0 ls9
wait_until 10 port_faults_are hv1 p9 "port_missing unspecified_fault" \
    || fail "p9's port_fault_status is '$(port_faults hv1 p9)'"
show_has hv1 'fault: Physical_Port p9: no such network device' \
    || fail "vtepd/show has no fault for p9"
port_faults_are hv1 p1 "" || fail "p1 got p9's fault"
switch_faults_are hv1 hv1 "" || fail "p9's fault went to the switch"
echo "p9 port_fault_status: [$(port_faults hv1 p9)]"

step "p9 appears: the fault clears and p9 is bound"
ip -n "$(ns hv1)" link add name p9 type veth peer name p9peer
ip -n "$(ns hv1)" link set dev p9 up
wait_until 10 port_faults_are hv1 p9 "" \
    || fail "p9's port_fault_status did not clear: $(port_faults hv1 p9)"
wait_until 10 has_vxlan_id hv1 5009 || fail "ls9 has no VXLAN device"
[ "$(link_master hv1 p9)" = "$(ls_bridge hv1 5009)" ] \
    || fail "p9 is not a port of ls9's bridge"

step "a binding the kernel refuses: br9 is a bridge, which cannot be a port"
ip -n "$(ns hv1)" link add name br9 type bridge
vtctl hv1 add-port hv1 br9
vtctl hv1 bind-ls hv1 br9 0 ls9
wait_until 10 port_faults_are hv1 br9 "binding_failed invalid_vlan_map" \
    || fail "br9's port_fault_status is '$(port_faults hv1 br9)'"
show_has hv1 'fault: datapath failed: bind-add .*port=br9' \
    || fail "vtepd/show has no fault for br9"
ping_ok vm1 192.168.1.2 || fail "ls0 stopped forwarding"
echo "br9 port_fault_status: [$(port_faults hv1 br9)]"
vtctl hv1 unbind-ls hv1 br9 0
wait_until 10 port_faults_are hv1 br9 "" \
    || fail "br9's port_fault_status did not clear: $(port_faults hv1 br9)"
not show_has hv1 'fault:' || fail "vtepd/show still lists a fault"

step "tunnel_key 16777216, out of the 24-bit VNI range"
vtctl hv1 set Logical_Switch ls9 tunnel_key=16777216
expect_switch_fault "tunnel_key_invalid unspecified_fault" \
    'Logical_Switch ls9 tunnel_key 16777216 is out of range'
not has_vxlan_id hv1 16777216 || fail "a VXLAN device with VNI 16777216"
vtctl hv1 set Logical_Switch ls9 tunnel_key=5009
expect_switch_clear 'Logical_Switch ls9 tunnel_key 16777216'
wait_until 10 has_vxlan_id hv1 5009 || fail "ls9 did not get VNI 5009 back"

step "ls9 takes ls0's tunnel_key 5000: ls0 keeps it"
vtctl hv1 set Logical_Switch ls9 tunnel_key=5000
expect_switch_fault "tunnel_key_conflict unspecified_fault" \
    'Logical_Switch ls9 has tunnel_key 5000, which ls0 has too'
[ "$(vxlan_ids hv1 | grep -cx 5000)" = 1 ] \
    || fail "not exactly one VXLAN device with VNI 5000"
vtctl hv1 set Logical_Switch ls9 tunnel_key=5009
expect_switch_clear 'Logical_Switch ls9 has tunnel_key 5000'

step "a Ucast_Macs_Remote whose MAC does not parse"
ls0=$(vtq hv1 --bare --columns=_uuid find Logical_Switch name=ls0)
loc=$(vtq hv1 --bare --columns=_uuid find Physical_Locator dst_ip=10.1.0.1)
bad=$(vtctl hv1 create Ucast_Macs_Remote MAC='"zz:00:00:00:00:09"' \
          logical_switch="$ls0" locator="$loc")
expect_switch_fault "remote_mac_invalid unspecified_fault" \
    'Ucast_Macs_Remote in ls0: "zz:00:00:00:00:09" is not a MAC address'
remote_fdb_is hv1 '00:00:00:00:00:00 10.1.0.1;00:00:00:00:00:02 10.1.0.1;' \
    || fail "the remote MACs in the kernel changed: $(remote_fdb hv1)"
vtctl hv1 destroy Ucast_Macs_Remote "$bad"
expect_switch_clear 'Ucast_Macs_Remote in ls0: "zz:00:00:00:00:09"'

step "two tunnel IPs, then none"
vtctl hv1 set Physical_Switch hv1 'tunnel_ips=["10.0.0.1","10.0.0.9"]'
wait_until 10 switch_faults_are hv1 hv1 \
    "tunnel_ip_multiple unspecified_fault" \
    || fail "switch_fault_status is '$(switch_faults hv1 hv1)'"
show_has hv1 'fault: Physical_Switch hv1 has 2 tunnel IPs' \
    || fail "vtepd/show has no fault for two tunnel IPs"
vtctl hv1 clear Physical_Switch hv1 tunnel_ips
wait_until 10 switch_faults_are hv1 hv1 \
    "tunnel_ip_missing unspecified_fault" \
    || fail "switch_fault_status is '$(switch_faults hv1 hv1)'"
vtctl hv1 set Physical_Switch hv1 tunnel_ips=10.0.0.1
expect_switch_clear 'Physical_Switch hv1 has 0 tunnel IPs'
classic_ping

step "vtepd still running"
vtepd_alive hv1 || fail "hv1's vtepd died"
echo "PASS: faults"
