#!/bin/bash
# 31-arp-suppression.sh -- ARP requests answered by the switch from
# Ucast_Macs_Remote.ipaddr, and Ucast_Macs_Local.ipaddr from ARP.
#
# The classic lab.  Each switch's Ucast_Macs_Local row for its VM gets the
# VM's IPv4 address from the VM's ARP requests, and keeps it when vtepd
# restarts.  hv1's Ucast_Macs_Remote row for vm2's MAC gets ipaddr
# 192.168.1.2: hv1's bridge of ls0 gets a permanent ARP entry for it and
# its VXLAN device neighbour suppression, so vm1's ARP request for vm2 is
# answered on hv1 and never crosses the underlay, while the ping itself
# does.  hv2 has no ipaddr for vm1, so vm2's ARP request for vm1 crosses.
# Restarting hv1's vtepd keeps the entry (adopted, not re-added).  An
# ipaddr that is not an IPv4 address is a remote_ipaddr_invalid fault and
# programs no entry; clearing ipaddr removes the entry and turns
# suppression off, and vm1's request crosses the underlay again.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
vt_init

vxlan='\.4789: VXLAN, flags \[I\] \(0x08\), vni 5000 \|'

# arp_entries HOST: the permanent ARP entries on HOST's bridge of ls0, as
# "IP MAC" lines.
arp_entries() {
    local br
    br=$(ls_bridge "$1" 5000) || return 1
    ip -n "$(ns "$1")" -4 neigh show dev "$br" nud permanent \
        | awk '{print $1, $3}'
}

arp_entries_are() {
    [ "$(arp_entries "$1")" = "$2" ]
}

# neigh_suppress HOST: "on" or "off", the neighbour suppression of HOST's
# VXLAN device of ls0.
neigh_suppress() {
    local vx
    vx=$(vt_links "$1" vxlan) || return 1
    ip -n "$(ns "$1")" -d link show dev "$vx" \
        | sed -n 's/.* neigh_suppress \(on\|off\).*/\1/p'
}

neigh_suppress_is() {
    [ "$(neigh_suppress "$1")" = "$2" ]
}

# set_ipaddr VALUE: sets the ipaddr of hv1's row for vm2's MAC.
set_ipaddr() {
    local row
    row=$(vtq hv1 --bare --columns=_uuid find Ucast_Macs_Remote \
              'MAC="00:00:00:00:00:02"') || fail "no row for vm2's MAC on hv1"
    vtctl hv1 set Ucast_Macs_Remote "$row" ipaddr="\"$1\""
}

# arp_round FROM TAG TO: flushes FROM's neighbour cache, captures hv1's
# underlay while FROM pings TO once, and stops the capture.
arp_round() {
    on "$1" ip neigh flush all
    start_capture hv1 ul0 "$2"
    wait_until 20 ping_ok "$1" "$3" || fail "$1 cannot ping $3"
    # tcpdump drops what it has not read from its socket yet when it is
    # stopped, which a loaded machine makes likely: wait for the packet.
    wait_until 5 capture_has "$2" "$vxlan.*ICMP echo request" \
        || fail "the ping did not cross the underlay ($2)"
    stop_capture "$2"
}

step "the classic lab: local MACs get their hosts' IPv4 addresses"
classic_lab
classic_ping
wait_until 10 local_ipaddr_is hv1 00:00:00:00:00:01 192.168.1.1 \
    || fail "hv1's row for vm1 has ipaddr '$(local_ipaddr hv1 00:00:00:00:00:01)'"
wait_until 10 local_ipaddr_is hv2 00:00:00:00:00:02 192.168.1.2 \
    || fail "hv2's row for vm2 has ipaddr '$(local_ipaddr hv2 00:00:00:00:00:02)'"
arp_entries_are hv1 "" || fail "hv1 has ARP entries: $(arp_entries hv1)"
neigh_suppress_is hv1 off || fail "hv1 suppresses ARP with no entries"

step "ipaddr 192.168.1.2 for vm2's MAC on hv1: ARP answered on hv1"
set_ipaddr 192.168.1.2
wait_until 10 arp_entries_are hv1 "192.168.1.2 00:00:00:00:00:02" \
    || fail "hv1's ARP entries: $(arp_entries hv1)"
neigh_suppress_is hv1 on || fail "hv1's VXLAN device does not suppress ARP"
show_has hv1 'arp 192.168.1.2: 00:00:00:00:00:02' \
    || fail "vtepd/show does not list the ARP entry"
arp_round vm1 known 192.168.1.2
capture_has known "ARP.*who-has 192\.168\.1\.2" \
    && fail "vm1's ARP request for vm2 crossed the underlay"
on vm1 ip neigh show 192.168.1.2 | matches 'lladdr 00:00:00:00:00:02' \
    || fail "vm1 did not learn vm2's MAC from hv1's answer"
echo "known ipaddr: $(capture_count known "$vxlan") VXLAN packets, none ARP"

step "hv2 has no ipaddr for vm1: vm2's ARP request crosses"
arp_round vm2 unknown 192.168.1.1
capture_has unknown "$vxlan.*ARP.*who-has 192\.168\.1\.1 tell 192\.168\.1\.2" \
    || fail "vm2's ARP request for vm1 did not cross the underlay"

step "hv1's vtepd restarted: the entry is adopted"
stop_vtepd hv1
start_vtepd hv1 hv1
wait_until 10 grep -q 'adopted .* logical switches' "$VT_DIR/hv1-vtepd.log" \
    || fail "hv1's vtepd did not adopt"
classic_ping
arp_entries_are hv1 "192.168.1.2 00:00:00:00:00:02" \
    || fail "hv1's ARP entries after the restart: $(arp_entries hv1)"
neigh_suppress_is hv1 on || fail "hv1 stopped suppressing after the restart"
local_ipaddr_is hv1 00:00:00:00:00:01 192.168.1.1 \
    || fail "hv1's row for vm1 lost its ipaddr in the restart"
[ "$(grep -c 'arp-add ls=ls0' "$VT_DIR/hv1-vtepd.log")" = 1 ] \
    || fail "hv1's restarted vtepd added the ARP entry again"

step "an ipaddr that is not an IPv4 address: a fault, no entry"
set_ipaddr 192.168.1.300
wait_until 10 arp_entries_are hv1 "" \
    || fail "hv1 kept an ARP entry: $(arp_entries hv1)"
wait_until 10 show_has hv1 'ipaddr "192.168.1.300" is not a unicast IPv4 address' \
    || fail "vtepd/show does not explain the bad ipaddr"
vtq hv1 --bare --columns=switch_fault_status list Physical_Switch \
    | matches remote_ipaddr_invalid || fail "no remote_ipaddr_invalid fault"
neigh_suppress_is hv1 off || fail "hv1 still suppresses ARP"

step "ipaddr cleared: vm1's ARP request crosses again"
set_ipaddr ""
wait_until 10 not show_has hv1 'is not a unicast IPv4 address' \
    || fail "the fault did not clear"
arp_round vm1 cleared 192.168.1.2
capture_has cleared "$vxlan.*ARP.*who-has 192\.168\.1\.2 tell 192\.168\.1\.1" \
    || fail "vm1's ARP request did not cross the underlay without ipaddr"

vtepd_alive hv1 || fail "hv1's vtepd died"
echo "PASS: ARP suppression"
