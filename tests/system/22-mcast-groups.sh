#!/bin/bash
# 22-mcast-groups.sh -- Mcast_Macs_Remote rows for multicast MACs.
#
# Three hypervisors hv1 (10.0.0.1), hv2 (10.1.0.1), hv3 (10.2.0.1) with ls0
# (key 5000) and one VM each; hv1's ls0 has replication_mode=source_node.
# hv1's unknown-dst Mcast_Macs_Remote lists hv2 only, and a row for the
# multicast MAC 01:00:5e:01:02:03 lists hv2 and hv3.  hv1's VXLAN device
# then has an entry for that MAC with both as remotes, besides the flood
# entry to hv2, which vtepd/dump-macs and vtepd/show report; a frame that
# vm1 sends to that MAC reaches vm2 and vm3, a broadcast frame vm2 only.  A
# restarted vtepd adopts the group as it is.  A unicast MAC in
# Mcast_Macs_Remote is a fault.  Once the row loses hv2, then goes, its
# entries go, and the multicast frame follows unknown-dst: it reaches vm2
# only.  Last, the entries go with the logical switch.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
vt_init

GROUP=01:00:5e:01:02:03
BCAST=ff:ff:ff:ff:ff:ff

step "three hypervisors, one VM each"
command -v python3 >/dev/null || fail "python3 not found (sends raw frames)"
three_hosts

step "hv1: unknown-dst -> hv2, $GROUP -> hv2 and hv3 (source_node)"
hub_switch source_node
vtctl hv1 add-mcast-remote ls0 unknown-dst 10.1.0.1
vtctl hv1 add-mcast-remote ls0 "$GROUP" 10.1.0.1
vtctl hv1 add-mcast-remote ls0 "$GROUP" 10.2.0.1
vtctl hv1 list-remote-macs ls0
spoke_switches
for h in hv1 hv2 hv3; do
    start_vtepd "$h" "$h"
done

# send_frame MAC: vm1 sends one Ethernet frame to MAC, from its own MAC, of
# the local experimental ethertype 0x88b5 (nothing in the lab sends any).
send_frame() {
    on vm1 python3 -c '
import socket, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("eth0", 0))
dst = bytes.fromhex(sys.argv[1].replace(":", ""))
s.send(dst + bytes.fromhex("000000000001") + b"\x88\xb5"
       + b"vtepd 22-mcast-groups".ljust(46, b"\0"))
' "$1"
}

# frame_count TAG MAC: how many of vm1's frames to MAC capture TAG holds.
frame_count() {
    capture_count "$1" "00:00:00:00:00:01 > $2, ethertype .*0x88b5"
}

# frame_count_is_at_least TAG MAC N: capture TAG holds N or more of vm1's
# frames to MAC.
frame_count_is_at_least() {
    [ "$(frame_count "$1" "$2")" -ge "$3" ]
}

# frame_reaches MAC TAG: vm1 sends a frame to MAC; capture TAG holds one.
frame_reaches() {
    send_frame "$1"
    frame_count_is_at_least "$2" "$1" 1
}

# start_captures TAG: captures vm1's frames on vm2 and vm3 into TAG-vm2 and
# TAG-vm3.
start_captures() {
    start_capture vm2 eth0 "$1-vm2" ether proto 0x88b5
    start_capture vm3 eth0 "$1-vm3" ether proto 0x88b5
}

# stop_captures TAG: stops the captures of start_captures TAG.
stop_captures() {
    stop_capture "$1-vm2"
    stop_capture "$1-vm3"
}

# check_reaches_both TAG MAC: a frame from vm1 to MAC reaches vm2 and vm3.
check_reaches_both() {
    local tag=$1 mac=$2
    start_captures "$tag"
    wait_until 15 frame_reaches "$mac" "$tag-vm2" \
        || fail "vm1's frame to $mac never reached vm2"
    wait_until 10 frame_reaches "$mac" "$tag-vm3" \
        || fail "vm1's frame to $mac never reached vm3"
    stop_captures "$tag"
    echo "frames to $mac: vm2 saw $(frame_count "$tag-vm2" "$mac")," \
         "vm3 saw $(frame_count "$tag-vm3" "$mac")"
}

# check_reaches_vm2_only TAG MAC: a frame from vm1 to MAC reaches vm2 but
# not vm3.
check_reaches_vm2_only() {
    local tag=$1 mac=$2 n2 n3
    start_captures "$tag"
    wait_until 15 frame_reaches "$mac" "$tag-vm2" \
        || fail "vm1's frame to $mac never reached vm2"
    # One more after the first one arrived: a copy to hv3 would have
    # arrived by the time this one has reached vm2.
    send_frame "$mac"
    wait_until 10 frame_count_is_at_least "$tag-vm2" "$mac" 2 \
        || fail "vm1's second frame to $mac did not reach vm2"
    stop_captures "$tag"
    n2=$(frame_count "$tag-vm2" "$mac")
    n3=$(frame_count "$tag-vm3" "$mac")
    echo "frames to $mac: vm2 saw $n2, vm3 saw $n3"
    [ "$n3" -eq 0 ] || fail "vm3 saw $n3 of vm1's frames to $mac"
}

# dump_has REGEX: hv1's vtepd/dump-macs ls0 has a line matching REGEX.
dump_has() {
    text_has "$(appctl hv1 vtepd/dump-macs ls0)" "$1"
}

# adopted_count: how many times hv1's vtepd logged what it adopted.
adopted_count() {
    grep -c ': adopted ' "$VT_DIR/hv1-vtepd.log" || true
}

adopted_count_is() {
    [ "$(adopted_count)" = "$1" ]
}

# hv1's VXLAN FDB (remote_fdb_is): the flood entry, then with vm2's MAC.
flood_fdb="00:00:00:00:00:00 10.1.0.1;"
vm2_fdb="${flood_fdb}00:00:00:00:00:02 10.1.0.1;"
group_fdb="${flood_fdb}$GROUP 10.1.0.1;$GROUP 10.2.0.1;"

step "hv1's kernel, vtepd/dump-macs and vtepd/show have the group"
wait_until 10 remote_fdb_is hv1 "$group_fdb" \
    || fail "hv1's VXLAN FDB is not the flood entry and the group:" \
            "$(remote_fdb hv1)"
bridge -n "$(ns hv1)" fdb show | grep -F "$GROUP" \
    || fail "bridge fdb show on hv1 lacks $GROUP"
appctl hv1 vtepd/dump-macs ls0
for dst in 10.1.0.1 10.2.0.1; do
    dump_has "^mcast  $GROUP dst ${dst//./\\.}\$" \
        || fail "vtepd/dump-macs ls0 lacks 'mcast  $GROUP dst $dst'"
done
dump_has '^flood  dst 10\.1\.0\.1$' \
    || fail "vtepd/dump-macs ls0 lacks 'flood  dst 10.1.0.1'"
dump_has '^remote ' && fail "vtepd/dump-macs ls0 shows a remote MAC"
appctl hv1 vtepd/show
show_has hv1 "^    mcast $GROUP: 10\\.1\\.0\\.1 10\\.2\\.0\\.1\$" \
    || fail "vtepd/show lacks the group line"
show_has hv1 '^    flood: 10\.1\.0\.1$' \
    || fail "vtepd/show lacks the flood line"
show_has hv1 '^  tunnels: 10\.1\.0\.1 10\.2\.0\.1$' \
    || fail "vtepd/show does not list hv3's tunnel, which the group uses"
wait_until 10 rows_are hv1 Tunnel 2 \
    || fail "hv1 has $(count_rows hv1 Tunnel) Tunnel rows, not 2"
for h in hv2 hv3; do
    remote_fdb_is "$h" "00:00:00:00:00:00 10.0.0.1;" \
        || fail "$h's VXLAN FDB is not just the flood entry to hv1:" \
                "$(remote_fdb "$h")"
done

step "vm1's frame to $GROUP reaches vm2 and vm3"
check_reaches_both group "$GROUP"

step "vm1's broadcast frame follows unknown-dst: vm2 only"
check_reaches_vm2_only bcast "$BCAST"

step "a restarted vtepd adopts the group as it is"
n=$(adopted_count)
stop_vtepd hv1
remote_fdb_is hv1 "$group_fdb" \
    || fail "hv1's VXLAN FDB changed when vtepd stopped: $(remote_fdb hv1)"
start_vtepd hv1 hv1
wait_until 10 adopted_count_is $((n + 1)) \
    || fail "the restarted vtepd did not log what it adopted"
grep ': adopted ' "$VT_DIR/hv1-vtepd.log" | tail -n 1 | sed 's/.*|//'
adopted='1 logical switches, 1 bindings, 0 remote MACs, 1 flood entries'
adopted+=', 2 multicast group entries'
grep ': adopted ' "$VT_DIR/hv1-vtepd.log" | tail -n 1 \
    | matches ": adopted $adopted" \
    || fail "the restarted vtepd did not adopt the group as one"
# A change after the restart: once it is in the kernel, the first
# reconciliation has run too.
vtctl hv1 add-ucast-remote ls0 00:00:00:00:00:02 10.1.0.1
wait_until 10 remote_fdb_is hv1 "${vm2_fdb}$GROUP 10.1.0.1;$GROUP 10.2.0.1;" \
    || fail "hv1's VXLAN FDB after the restart: $(remote_fdb hv1)"
log_since_adopted hv1 | matches ': (mcast|flood|mac)-del |: mcast-add ' \
    && fail "the restarted vtepd changed the group:" \
            "$(log_since_adopted hv1 | grep -E ': (mcast|flood|mac)-|: mcast-')"
show_has hv1 "^    mcast $GROUP: 10\\.1\\.0\\.1 10\\.2\\.0\\.1\$" \
    || fail "the restarted vtepd does not show the group"
check_reaches_both restart "$GROUP"

step "a unicast MAC in Mcast_Macs_Remote is a fault"
vtctl hv1 add-mcast-remote ls0 00:00:00:00:00:05 10.2.0.1
wait_until 10 switch_faults_are hv1 hv1 "mcast_mac_invalid unspecified_fault" \
    || fail "hv1's switch_fault_status: $(switch_faults hv1 hv1)"
fault='Mcast_Macs_Remote in ls0: 00:00:00:00:00:05 is not a multicast MAC'
show_has hv1 "^  fault: $fault address\$" \
    || fail "vtepd/show lacks the fault: $(appctl hv1 vtepd/show)"
vtctl hv1 del-mcast-remote ls0 00:00:00:00:00:05 10.2.0.1
wait_until 10 switch_faults_are hv1 hv1 "" \
    || fail "hv1's switch_fault_status did not clear: $(switch_faults hv1 hv1)"
remote_fdb hv1 | matches '^00:00:00:00:00:05 ' \
    && fail "the unicast Mcast_Macs_Remote row reached hv1's kernel"

step "the group loses hv2: only hv3 is left"
vtctl hv1 del-mcast-remote ls0 "$GROUP" 10.1.0.1
wait_until 10 remote_fdb_is hv1 "${vm2_fdb}$GROUP 10.2.0.1;" \
    || fail "hv1's VXLAN FDB: $(remote_fdb hv1)"
wait_until 10 show_has hv1 "^    mcast $GROUP: 10\\.2\\.0\\.1\$" \
    || fail "vtepd/show: $(appctl hv1 vtepd/show)"

step "the group row goes: its entries go, and $GROUP follows unknown-dst"
vtctl hv1 del-mcast-remote ls0 "$GROUP" 10.2.0.1
rows_are hv1 Mcast_Macs_Remote 1 \
    || fail "Mcast_Macs_Remote: $(vtq hv1 list Mcast_Macs_Remote)"
wait_until 10 remote_fdb_is hv1 "$vm2_fdb" \
    || fail "hv1 still has group entries: $(remote_fdb hv1)"
bridge -n "$(ns hv1)" fdb show | matches "^$GROUP " \
    && fail "bridge fdb show on hv1 still has $GROUP"
dump_has '^mcast ' && fail "vtepd/dump-macs ls0 still shows the group"
show_has hv1 '^    mcast ' && fail "vtepd/show still shows the group"
wait_until 10 show_has hv1 '^  tunnels: 10\.1\.0\.1$' \
    || fail "vtepd/show still lists hv3's tunnel: $(appctl hv1 vtepd/show)"
wait_until 10 rows_are hv1 Tunnel 1 \
    || fail "hv1 has $(count_rows hv1 Tunnel) Tunnel rows, not 1"
check_reaches_vm2_only nogroup "$GROUP"

step "the group's entries go with the logical switch"
vtctl hv1 add-mcast-remote ls0 "$GROUP" 10.2.0.1
wait_until 10 remote_fdb_is hv1 "${vm2_fdb}$GROUP 10.2.0.1;" \
    || fail "the group did not come back: $(remote_fdb hv1)"
vtctl hv1 unbind-ls hv1 p1 0
wait_until 10 no_ls_netdevs hv1 \
    || fail "hv1 still has ls0's devices: $(ls_netdevs hv1)"
[ -z "$(remote_fdb hv1)" ] || fail "hv1's VXLAN FDB: $(remote_fdb hv1)"
wait_until 10 not show_has hv1 'Logical_Switch ls0' \
    || fail "vtepd/show still shows ls0: $(appctl hv1 vtepd/show)"
show_has hv1 'datapath operations failed' \
    && fail "datapath operations failed: $(appctl hv1 vtepd/show)"

for h in hv1 hv2 hv3; do
    vtepd_alive "$h" || fail "$h's vtepd died"
done
echo "PASS: multicast groups"
