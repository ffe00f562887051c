#!/bin/bash
# 39-notification-overflow.sh -- after its notification socket overflowed,
# vtepd reads the MACs that its bridges learned again, with one FDB dump.
#
# Classic lab (ls0, key 5000, vm1 behind hv1's p1, vm2 behind hv2's p1)
# plus, on hv1, vm3 on p3 in ls0 and ls10 (key 5010) on VLAN 10 of p1
# (vm1's eth0.10).  hv1's vtepd is stopped (SIGSTOP) while thousands of
# link changes of a bridge of the test's own fill its netlink socket until
# the kernel drops notifications.  Meanwhile, ls0's bridge learns vm3's MAC
# on p3 and ls10's bridge vm1's eth0.10 MAC (on the veth pair of the
# binding), and vm1's MAC leaves ls0's bridge, all three unnoticed.  Once
# vtepd runs again (SIGCONT), it logs the lost notifications and reads the
# kernel again: Ucast_Macs_Local has vm3's MAC in ls0 and eth0.10's in ls10
# but no longer vm1's.  vtepd sent one FDB dump when it started and one per
# resync (coverage counters rtnl_fdb_dump and dp_linux_resync), not one per
# bound port.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
vt_init

# socket_drops: how many notifications the kernel dropped for hv1's
# vtepd's netlink sockets (the "Drops" of /proc/net/netlink, which names
# sockets by inode).
socket_drops() {
    local pid inodes
    pid=$(cat "$VT_DIR/hv1-vtepd.pid") || return 1
    inodes=$(find "/proc/$pid/fd" -lname 'socket:*' -printf '%l\n' \
                 | tr -dc '0-9\n')
    on hv1 cat /proc/net/netlink \
        | awk -v inodes="$inodes" '
              BEGIN { n = split(inodes, a, "\n"); for (i = 1; i <= n; i++) own[a[i]] = 1 }
              NR > 1 && $2 == 0 && ($10 in own) { drops += $9 }
              END { print drops + 0 }'
}

# flood_links N: N changes of the MTU of hv1's bridge mark0, one link
# notification each.
flood_links() {
    local i
    for ((i = 0; i < $1; i++)); do
        echo "link set dev mark0 mtu $((1400 + i % 2))"
    done | ip -n "$(ns hv1)" -batch - || fail "cannot change mark0's MTU"
}

# counters NAME...: hv1's vtepd's coverage counters NAME..., on one line.
# vtepd adds what it counted to the totals that ovs-appctl reads at most
# once a second, when its main loop next wakes up: they are read once a
# second has passed and one more request has woken it.
counters() {
    local name
    sleep 1.1
    appctl hv1 version >/dev/null
    for name; do
        appctl hv1 coverage/read-counter "$name"
    done | tr '\n' ' ' | sed 's/ $//'
}

# local_macs_are HOST LS MACS: HOST's local MACs in LS are MACS (one per
# line).
local_macs_are() {
    local macs
    macs=$(local_macs "$1" "$2") || return 1
    [ "$macs" = "$3" ]
}

step "classic lab, vm3 on hv1's p3 in ls0, ls10 on VLAN 10 of hv1's p1"
classic_hosts
add_vm vm3 hv1 p3 00:00:00:00:00:03 192.168.1.3/24
add_vm_vlan vm1 10 00:00:00:00:00:11 192.168.10.1/24
ip -n "$(ns hv1)" link add name mark0 type bridge
classic_vteps
vtctl hv1 add-port hv1 p3
vtctl hv1 bind-ls hv1 p3 0 ls0
configure_ls hv1 hv1 p1 10 ls10 5010 00:00:00:00:00:12 10.1.0.1
classic_ping
wait_until 10 local_macs_are hv1 ls0 00:00:00:00:00:01 \
    || fail "hv1's local MACs in ls0 are not just vm1's: $(local_macs hv1 ls0)"
wait_until 10 show_has hv1 'Logical_Switch ls10: VNI 5010' \
    || fail "hv1's vtepd did not set up ls10: $(appctl hv1 vtepd/show)"
local_macs_are hv1 ls10 "" \
    || fail "hv1 has local MACs in ls10 already: $(local_macs hv1 ls10)"
grep -q 'notifications lost' "$VT_DIR/hv1-vtepd.log" \
    && fail "hv1's vtepd lost notifications before the test made it"

step "hv1's vtepd stopped; link changes until its socket overflows"
pid=$(cat "$VT_DIR/hv1-vtepd.pid")
vt_pid_is_ours "$pid" || fail "hv1's vtepd (pid $pid) is not running"
kill -STOP "$pid"
for ((round = 0; round < 20; round++)); do
    [ "$(socket_drops)" -gt 0 ] && break
    flood_links 5000
done
drops=$(socket_drops)
[ "$drops" -gt 0 ] || { kill -CONT "$pid"; fail "the socket never overflowed"; }
echo "notifications dropped: $drops"

step "unnoticed: vm3's MAC and eth0.10's learned, vm1's MAC gone"
# vm3_learned: vm3 pings vm2 once; ls0's bridge then has vm3's MAC on p3.
vm3_learned() {
    on vm3 ping -n -c 1 -W 1 192.168.1.2 >/dev/null || true
    bridge -n "$(ns hv1)" fdb show dev p3 | grep -q '^00:00:00:00:00:03 '
}
on vm1 ping -n -c 2 -W 1 -I eth0.10 192.168.10.2 || true
bridge -n "$(ns hv1)" fdb del 00:00:00:00:00:01 dev p1 master \
    || fail "cannot remove vm1's MAC from ls0's bridge"
wait_until 10 vm3_learned \
    || fail "ls0's bridge did not learn vm3's MAC:" \
            "$(bridge -n "$(ns hv1)" fdb show dev p3)"

step "hv1's vtepd continues: it reads the learned MACs again"
kill -CONT "$pid"
wait_until 10 grep -q 'notifications lost' "$VT_DIR/hv1-vtepd.log" \
    || fail "hv1's vtepd did not notice the lost notifications"
wait_until 10 local_macs_are hv1 ls0 00:00:00:00:00:03 \
    || fail "hv1's local MACs in ls0 are not just vm3's: $(local_macs hv1 ls0)"
wait_until 10 local_macs_are hv1 ls10 00:00:00:00:00:11 \
    || fail "hv1's local MACs in ls10 are not eth0.10's: $(local_macs hv1 ls10)"
vtctl hv1 list-local-macs ls0
vtctl hv1 list-local-macs ls10
read -r dumps resyncs <<<"$(counters rtnl_fdb_dump dp_linux_resync)"
echo "FDB dumps: $dumps, resyncs: $resyncs"
[ "$resyncs" -ge 1 ] || fail "hv1's vtepd counted no resync"
[ "$dumps" = $((resyncs + 1)) ] \
    || fail "hv1's vtepd sent $dumps FDB dumps for its start and" \
            "$resyncs resyncs, not one each"
show_has hv1 'datapath operations failed' \
    && fail "datapath operations failed: $(appctl hv1 vtepd/show)"
ping_ok vm3 192.168.1.2 || fail "vm3 cannot reach vm2"
vtepd_alive hv1 || fail "hv1's vtepd died"
echo "PASS: notification overflow"
