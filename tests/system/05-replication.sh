#!/bin/bash
# 05-replication.sh -- Logical_Switch replication_mode.
#
# Three hypervisors hv1 (10.0.0.1), hv2 (10.1.0.1), hv3 (10.2.0.1) with ls0
# (key 5000) and one VM each.  hv1's unknown-dst Mcast_Macs_Remote lists
# both hv2 and hv3.  With replication_mode=source_node hv1 replicates a
# broadcast itself: it has two all-zero MAC VXLAN entries and vm1's ARP
# request reaches vm2 and vm3.  With service_node, and with the column
# unset (the schema's default is service_node), hv1 sends it to one
# locator only: one all-zero MAC entry, and only that host's VM sees it.
# With a full mesh of source_node switches, a broadcast that came in from a
# tunnel is never sent into a tunnel again (split horizon).
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
vt_init

step "three hypervisors, one VM each"
three_hosts

step "hv1: unknown-dst -> hv2 and hv3, replication_mode=source_node"
hub_switch source_node
vtctl hv1 add-mcast-remote ls0 unknown-dst 10.1.0.1
vtctl hv1 add-mcast-remote ls0 unknown-dst 10.2.0.1
vtctl hv1 list-remote-macs ls0
spoke_switches
for h in hv1 hv2 hv3; do
    start_vtepd "$h" "$h"
done

# check_source_node IP: both vm2 and vm3 see vm1's broadcast.
check_source_node() {
    local ip=$1
    wait_until 10 flood_count_is hv1 2 \
        || fail "hv1 does not flood to 2 locators: $(remote_fdb hv1)"
    flood_dsts_are hv1 "10.1.0.1 10.2.0.1" \
        || fail "hv1 floods to $(flood_dsts hv1 | tr '\n' ' '), not hv2 and hv3"
    remote_fdb hv1
    start_capture vm2 eth0 "vm2-$ip" arp
    start_capture vm3 eth0 "vm3-$ip" arp
    wait_until 15 flood_reaches_any "$ip" "vm2-$ip" \
        || fail "vm1's broadcast (ARP for $ip) never reached vm2"
    wait_until 10 flood_reaches_any "$ip" "vm3-$ip" \
        || fail "vm1's broadcast (ARP for $ip) never reached vm3"
    stop_capture "vm2-$ip"
    stop_capture "vm3-$ip"
    echo "ARP requests for $ip: vm2 saw $(arp_count "vm2-$ip" "$ip")," \
         "vm3 saw $(arp_count "vm3-$ip" "$ip")"
}

# check_service_node IP: exactly one of vm2 and vm3 sees vm1's broadcast,
# the one behind the single locator hv1 floods to.
check_service_node() {
    local ip=$1 dst n2 n3
    wait_until 10 flood_count_is hv1 1 \
        || fail "hv1 does not flood to exactly 1 locator: $(remote_fdb hv1)"
    remote_fdb hv1
    dst=$(flood_dsts hv1)
    case $dst in
        10.1.0.1|10.2.0.1) ;;
        *) fail "hv1 floods to $dst, neither hv2 nor hv3" ;;
    esac
    start_capture vm2 eth0 "vm2-$ip" arp
    start_capture vm3 eth0 "vm3-$ip" arp
    wait_until 15 flood_reaches_any "$ip" "vm2-$ip" "vm3-$ip" \
        || fail "vm1's broadcast (ARP for $ip) reached neither vm2 nor vm3"
    # One more broadcast after the first one arrived: a copy to the other
    # host would have arrived by the time this one is answered or not.
    send_arp "$ip"
    stop_capture "vm2-$ip"
    stop_capture "vm3-$ip"
    n2=$(arp_count "vm2-$ip" "$ip")
    n3=$(arp_count "vm3-$ip" "$ip")
    echo "ARP requests for $ip: vm2 saw $n2, vm3 saw $n3 (hv1 floods to $dst)"
    if [ "$dst" = 10.1.0.1 ]; then
        if [ "$n2" -eq 0 ] || [ "$n3" -ne 0 ]; then
            fail "flooding to hv2 only, but vm2 saw $n2 and vm3 saw $n3"
        fi
    elif [ "$n3" -eq 0 ] || [ "$n2" -ne 0 ]; then
        fail "flooding to hv3 only, but vm2 saw $n2 and vm3 saw $n3"
    fi
}

step "source_node: vm1's broadcast reaches vm2 and vm3"
check_source_node 192.168.1.101

step "service_node: vm1's broadcast reaches exactly one of them"
vtctl hv1 set Logical_Switch ls0 replication_mode=service_node
check_service_node 192.168.1.102

step "back to source_node"
vtctl hv1 set Logical_Switch ls0 replication_mode=source_node
check_source_node 192.168.1.103

step "replication_mode unset (default service_node)"
vtctl hv1 clear Logical_Switch ls0 replication_mode
check_service_node 192.168.1.104

step "hv2 and hv3 flood to hv1 only"
for h in hv2 hv3; do
    [ "$(remote_fdb "$h")" = "00:00:00:00:00:00 10.0.0.1" ] \
        || fail "$h's VXLAN FDB is not just the flood entry to hv1: $(remote_fdb "$h")"
done

step "split horizon: full mesh, source_node everywhere, nothing re-flooded"
for h in hv2 hv3; do
    vtctl "$h" set Logical_Switch ls0 replication_mode=source_node
done
vtctl hv2 add-mcast-remote ls0 unknown-dst 10.2.0.1
vtctl hv3 add-mcast-remote ls0 unknown-dst 10.1.0.1
vtctl hv1 set Logical_Switch ls0 replication_mode=source_node
for h in hv1 hv2 hv3; do
    wait_until 10 flood_count_is "$h" 2 \
        || fail "$h does not flood to 2 locators: $(remote_fdb "$h")"
done
start_capture hv1 ul0 mesh-hv1 udp port 4789
start_capture hv3 ul0 mesh-hv3 udp port 4789
wait_until 15 flood_reaches_any 192.168.1.105 mesh-hv3 \
    || fail "vm1's broadcast did not reach hv3's underlay"
send_arp 192.168.1.105
stop_capture mesh-hv1
stop_capture mesh-hv3
# Every copy of vm1's ARP that reaches hv3 comes straight from hv1: hv2
# got its own copy from a tunnel and must not send it into one again.
n_direct=$(capture_count mesh-hv3 \
    '10\.0\.0\.1\.[0-9]+ > 10\.2\.0\.1\.4789.*tell 192\.168\.1\.1')
n_relayed=$(capture_count mesh-hv3 \
    '10\.1\.0\.1\.[0-9]+ > 10\.2\.0\.1\.4789.*tell 192\.168\.1\.1')
n_back=$(capture_count mesh-hv1 \
    '> 10\.0\.0\.1\.4789.*who-has [0-9.]+ tell 192\.168\.1\.1')
echo "vm1's ARP at hv3: $n_direct from hv1, $n_relayed relayed by hv2;" \
     "back at hv1: $n_back"
[ "$n_direct" -gt 0 ] || fail "hv3 got no ARP straight from hv1"
[ "$n_relayed" -eq 0 ] || fail "hv2 re-flooded a tunnel frame into a tunnel"
[ "$n_back" -eq 0 ] || fail "vm1's ARP came back to hv1 through a tunnel"

for h in hv1 hv2 hv3; do
    vtepd_alive "$h" || fail "$h's vtepd died"
done
echo "PASS: replication"
