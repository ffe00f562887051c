#!/bin/bash
# 29-least-privilege.sh -- vtepd running as a user other than root, with
# CAP_NET_ADMIN alone.
#
# The classic lab plus logical switch ls10 on VLAN 10 of each host's p1, so
# that both the untagged and the eBPF-carried tagged bindings are in use.
# hv1's vtepd is started by root with --user=nobody:nogroup (the
# libopenvswitch way); hv2's is started as nobody by setpriv(1) with
# ambient CAP_NET_ADMIN, CAP_BPF and CAP_NET_RAW (the systemd way,
# AmbientCapabilities=).
# Once running, each has uid nobody and CAP_NET_ADMIN alone (effective and
# permitted; no inheritable or ambient ones), and says so in its log; VMs
# ping on both logical switches; Ucast_Macs_Local is written, with the
# VMs' IPv4 addresses from ARP; and a binding made after
# start (ls20 on VLAN 20, needing a new veth pair, eBPF map entries and tc
# filters) works too, all without CAP_BPF.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
vt_init

command -v setpriv >/dev/null || fail "setpriv not found (util-linux)"
user=nobody
group=nogroup
uid=$(id -u "$user") || fail "no user $user"

# CAP_NET_ADMIN (12) alone, as /proc/PID/status shows capability sets.
net_admin_only=0000000000001000

# vtepd_pid HOST: the pid of HOST's vtepd.
vtepd_pid() {
    cat "$VT_DIR/$1-vtepd.pid"
}

# status_field HOST FIELD: field FIELD of HOST's vtepd's /proc status, its
# values separated by single spaces.
status_field() {
    awk -v f="$2:" '$1 == f {$1 = ""; sub(/^ /, ""); print}' \
        "/proc/$(vtepd_pid "$1")/status"
}

# check_privileges HOST: HOST's vtepd runs as $user with CAP_NET_ADMIN
# alone.
check_privileges() {
    local host=$1 field
    [ "$(status_field "$host" Uid)" = "$uid $uid $uid $uid" ] \
        || fail "$host's vtepd has uids $(status_field "$host" Uid)"
    for field in CapEff CapPrm; do
        [ "$(status_field "$host" "$field")" = "$net_admin_only" ] \
            || fail "$host's vtepd has $field $(status_field "$host" "$field")"
    done
    for field in CapInh CapAmb; do
        [ "$(status_field "$host" "$field")" = 0000000000000000 ] \
            || fail "$host's vtepd has $field $(status_field "$host" "$field")"
    done
    grep -q "running as uid $uid with CAP_NET_ADMIN alone" \
        "$VT_DIR/$host-vtepd.log" \
        || fail "$host's vtepd does not log its privileges"
    echo "$host: vtepd runs as uid $uid," \
         "CapEff $(status_field "$host" CapEff)"
}

# vlan_ping FROM TO: FROM's VLAN interface pings TO.
vlan_ping() {
    wait_until 20 ping_ok "$1" "$2" || fail "$1 cannot ping $2"
}

step "the classic lab with ls10 on VLAN 10, vtepd's files writable by $user"
classic_hosts
add_vm_vlan vm1 10 00:00:00:00:00:11 192.168.10.1/24
add_vm_vlan vm2 10 00:00:00:00:00:12 192.168.10.2/24
add_vm_vlan vm1 20 00:00:00:00:00:21 192.168.20.1/24
add_vm_vlan vm2 20 00:00:00:00:00:22 192.168.20.2/24
for h in hv1 hv2; do
    start_ovsdb "$h"
done
configure_vtep hv1 hv1 10.0.0.1 p1 ls0 5000 00:00:00:00:00:02 10.1.0.1
configure_vtep hv2 hv2 10.1.0.1 p1 ls0 5000 00:00:00:00:00:01 10.0.0.1
configure_ls hv1 hv1 p1 10 ls10 5010 00:00:00:00:00:12 10.1.0.1
configure_ls hv2 hv2 p1 10 ls10 5010 00:00:00:00:00:11 10.0.0.1
# The scratch directory holds vtepd's pid file and control socket, which
# vtepd makes after it changed user, and the databases' sockets, which it
# must be able to connect to.
chown "$user:$group" "$VT_DIR" "$VT_DIR"/hv1.sock "$VT_DIR"/hv2.sock
# Temporary files too (valgrind's, with VTEPD_VALGRIND=yes).
export TMPDIR=$VT_DIR
# vtepd itself, from a directory the user can read (the tree it was built
# in need not be).
cp "$VTEPD" "$VT_DIR/vtepd" || fail "cannot copy $VTEPD"
VTEPD=$VT_DIR/vtepd
setpriv --reuid="$user" --regid="$group" --clear-groups "$VTEPD" --version \
    >/dev/null \
    || fail "$user cannot run $VTEPD (is a directory above $VT_DIR closed" \
            "to others?)"

step "hv1: --user=$user:$group; hv2: setpriv with ambient capabilities"
start_vtepd hv1 hv1 --user="$user:$group"
VTEPD_WRAPPER=(setpriv --reuid="$user" --regid="$group" --clear-groups
               --inh-caps=-all,+net_admin,+bpf,+net_raw
               --ambient-caps=-all,+net_admin,+bpf,+net_raw
               --bounding-set=-all,+net_admin,+bpf,+net_raw)
start_vtepd hv2 hv2
unset VTEPD_WRAPPER
check_privileges hv1
check_privileges hv2

step "untagged and VLAN 10 bindings work"
classic_ping
vlan_ping vm1 192.168.10.2
vlan_ping vm2 192.168.10.1
classic_local_macs
wait_until 10 has_local_mac hv1 ls10 00:00:00:00:00:11 \
    || fail "hv1 did not write vm1's VLAN 10 MAC to Ucast_Macs_Local"
for entry in "hv1 00:00:00:00:00:01 192.168.1.1" \
             "hv2 00:00:00:00:00:02 192.168.1.2"; do
    read -r h mac addr <<<"$entry"
    wait_until 10 local_ipaddr_is "$h" "$mac" "$addr" \
        || fail "$h's Ucast_Macs_Local row for $mac lacks ipaddr $addr"
done

step "a VLAN 20 binding made while vtepd runs without CAP_BPF works"
configure_ls hv1 hv1 p1 20 ls20 5020 00:00:00:00:00:22 10.1.0.1
configure_ls hv2 hv2 p1 20 ls20 5020 00:00:00:00:00:21 10.0.0.1
vlan_ping vm1 192.168.20.2
vlan_ping vm2 192.168.20.1
check_privileges hv1
check_privileges hv2

for h in hv1 hv2; do
    vtepd_alive "$h" || fail "$h's vtepd died"
    ! grep -E '\|(ERR|EMER)\|' "$VT_DIR/$h-vtepd.log" \
        || fail "$h's vtepd logged errors"
done
echo "PASS: least privilege"
