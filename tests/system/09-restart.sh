#!/bin/bash
# 09-restart.sh -- restarting vtepd adopts the kernel's state and loses no
# frame; what changed while it was down is applied when it is back.
#
# Classic lab (ls0, key 5000, vm1 behind hv1's p1, vm2 behind hv2's p1)
# plus a tagged binding: ls10 (key 5010) on VLAN 10 of hv1's p1 (vm1's
# eth0.10), untagged on hv2's p2 (vm2b).  On hv1, vm3 sits on p3 in ls0 as
# well, and ls0 has two more remote MACs (00:..:97, 00:..:99 on hv2).  Next
# to vtepd's own devices, hv1's namespace holds devices that look like ours
# but are not: a bridge named vtb... without an alias, and a bridge, a VXLAN
# device (with a flood entry) and a veth pair whose aliases name another
# physical switch ("vtepd:ps=other:...", "vtepd:ps=hv10:...").
#
#   1. hv1's vtepd stops (SIGTERM) and starts again while vm1 pings vm2
#      (ls0) and vm2b (ls10, VLAN 10) every 10 ms: no packet is lost, and
#      the restarted vtepd adopts the kernel objects instead of recreating
#      them: its bridges, VXLAN devices and veth pair keep their ifindexes,
#      the tc programs on p1, p3 and the veth pair do the same (same eBPF
#      tag), the FDB entries of its VXLAN devices are the same, and no
#      device or FDB entry of ours is deleted, not even for a moment (seen
#      by "ip monitor link" and "bridge monitor fdb" running across the
#      restart).  It adopts the MACs that the bridges learned (vm1's and
#      vm3's in ls0, eth0.10's in ls10), so its Ucast_Macs_Local rows stay
#      as they were.
#   2. The same with SIGKILL, which leaves a stale pid file (and control
#      socket) behind: vtepd starts all the same.
#   3. While hv1's vtepd is down, the operator deletes remote MAC 99, adds
#      98, moves 97 to another tunnel endpoint (hv3), unbinds VLAN 10 and
#      deletes ls10 (clearing its remote and local MACs), and vm3's MAC
#      leaves ls0's bridge (as if aged out).  Once vtepd is back, the kernel
#      holds exactly the new state within a few seconds: ls0's VXLAN FDB is
#      the new remote MACs and the flood entry, ls10's bridge, VXLAN device
#      and veth pair are gone, and p1's tc program no longer has VLAN 10
#      (its entries in the eBPF map are those of p3, which has no VLAN:
#      "drop other VLANs" alone, and the map has nothing left of the veth
#      pair's tagger); ls0's devices
#      are the same as before; Ucast_Macs_Local has vm1's MAC only, and
#      Mcast_Macs_Local ls0's row only.  A ping stream in ls0 running across
#      all of it loses no packet.
#   4. The foreign devices are exactly as the test made them after every
#      restart (same ifindex, flags, master, alias, details and FDB).
#
# Each ping stream prints "packets lost: N of M".
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
vt_init
command -v bpftool >/dev/null || fail "bpftool not found (reads the eBPF map of VLANs)"

PREFIX='vtepd:ps=hv1:'

# dev_table HOST: one line per netdev of HOST named like vtepd's (vtb, vtx,
# vtv, vtw and 8 hex digits), sorted by name: "NAME IFINDEX up|down
# master=MASTER alias=ALIAS".
dev_table() {
    ip -n "$(ns "$1")" -o link show \
        | awk '{ name = $2; sub(/:$/, "", name); sub(/@.*/, "", name)
                 if (name !~ /^vt[bxvw][0-9a-f]+$/ || length(name) != 11) next
                 idx = $1; sub(/:$/, "", idx)
                 up = ($3 ~ /[<,]UP[,>]/) ? "up" : "down"
                 master = "-"
                 for (i = 3; i < NF; i++) if ($i == "master") master = $(i + 1)
                 alias = "-"
                 if (match($0, / alias [^ ]+/))
                     alias = substr($0, RSTART + 7, RLENGTH - 7)
                 print name, idx, up, "master=" master, "alias=" alias }' \
        | sort
}

# own_devs HOST: the lines of dev_table HOST of hv1's vtepd's devices.
own_devs() {
    dev_table "$1" | grep -F " alias=$PREFIX" || true
}

own_devs_are() {
    [ "$(own_devs hv1)" = "$1" ]
}

# own_dev ROLE: the name of hv1's vtepd's device whose alias is
# "vtepd:ps=hv1:ROLE".
own_dev() {
    dev_table hv1 | awk -v a="alias=$PREFIX$1" '$5 == a { print $1 }'
}

# foreign_state: everything about the foreign devices of hv1: their
# dev_table lines, "ip -d" details (without the bridges' running timers)
# and FDB entries.
foreign_state() {
    local dev
    dev_table hv1 | grep -vF " alias=$PREFIX" || true
    for dev in "${foreign_devs[@]}"; do
        ip -n "$(ns hv1)" -d -o link show dev "$dev" \
            | sed -E 's/ [a-z_]+_timer +[0-9.]+//g'
        bridge -n "$(ns hv1)" fdb show dev "$dev" | sed "s/^/$dev fdb: /"
    done
}

# tc_state DEV...: hv1's tc ingress filters on each DEV, one line per
# device, without the program ids (a program attached again gets a new id,
# but the same tag if it is the same program).
tc_state() {
    local dev
    for dev; do
        printf '%s: %s\n' "$dev" \
               "$(on hv1 tc filter show dev "$dev" ingress \
                      | sed -E 's/ id [0-9]+//' | tr '\n' ' ')"
    done
}

# vlan_map: the keys of the eBPF map of VLANs that vtepd's trunk program on
# hv1's p1 uses, one "IFINDEX SLOT" per line, sorted (SLOT: a VLAN that
# the device sends to a binding, 4096 for "drop other VLANs", 0 for a
# tagger; see lib/tc-vlan.c).
vlan_map() {
    local prog map
    prog=$(on hv1 tc filter show dev p1 ingress \
               | sed -n 's/.* vtepd_trunk .* id \([0-9]*\) .*/\1/p')
    [ -n "$prog" ] || return 1
    map=$(bpftool -j prog show id "$prog" \
              | python3 -c 'import json, sys; print(json.load(sys.stdin)["map_ids"][0])') \
        || return 1
    bpftool -j map dump id "$map" | python3 -c '
import json, sys
for entry in json.load(sys.stdin):
    key = bytes(int(b, 16) for b in entry["key"])
    print(int.from_bytes(key[:4], "little"), int.from_bytes(key[4:], "little"))
' | sort -n
}

# trunk_slots DEV: what vtepd's trunk program on hv1's DEV does: the slots
# of DEV's ifindex in vlan_map, on one line.
trunk_slots() {
    local idx map
    idx=$(on hv1 cat "/sys/class/net/$1/ifindex") || return 1
    map=$(vlan_map) || return 1
    awk -v idx="$idx" '$1 == idx {print $2}' <<<"$map" | tr '\n' ' ' \
        | sed 's/ $//'
}

# vlan_map_devs_are DEV...: vlan_map has entries for these devices of hv1
# and no others.
vlan_map_devs_are() {
    local dev want=() map
    for dev; do
        want+=("$(on hv1 cat "/sys/class/net/$dev/ifindex")") || return 1
    done
    map=$(vlan_map) || return 1
    [ "$(cut -d' ' -f1 <<<"$map" | sort -un | tr '\n' ' ')" \
      = "$(printf '%s\n' "${want[@]}" | sort -un | tr '\n' ' ')" ]
}

trunk_slots_are() {
    [ "$(trunk_slots "$1")" = "$2" ]
}

# prog_tag DEV: the tag of vtepd's trunk program on hv1's DEV.
prog_tag() {
    on hv1 tc filter show dev "$1" ingress \
        | sed -n 's/.* vtepd_trunk .* tag \([0-9a-f]*\).*/\1/p'
}

# local_macs_are LS MACS: hv1's local MACs in LS are MACS (one per line).
local_macs_are() {
    local macs
    macs=$(local_macs hv1 "$1") || return 1
    [ "$macs" = "$2" ]
}

# vtx_fdb: the FDB entries on hv1's VXLAN devices (ours and the foreign
# one), sorted: remote MACs and flood lists, and the bridge entries that
# point at the VXLAN devices.
vtx_fdb() {
    bridge -n "$(ns hv1)" fdb show | grep -E ' dev vtx[0-9a-f]{8} ' | sort
}

# ls_fdb LS: "MAC DST" lines of the FDB of hv1's VXLAN device of LS.
ls_fdb() {
    local vx
    vx=$(own_dev "vxlan:ls=$1")
    [ -n "$vx" ] || return 1
    bridge -n "$(ns hv1)" fdb show dev "$vx" \
        | awk '{ for (i = 1; i < NF; i++) if ($i == "dst") print $1, $(i + 1) }' \
        | sort -u
}

ls_fdb_is() {
    [ "$(ls_fdb "$1" | tr '\n' ';')" = "$2" ]
}

# local_rows: hv1's Ucast_Macs_Local rows, "UUID MAC LS-NAME", sorted.
local_rows() {
    local uuid mac ls
    vtq hv1 --format=csv --data=bare --no-headings \
        --columns=_uuid,MAC,logical_switch list Ucast_Macs_Local \
        | while IFS=, read -r uuid mac ls; do
              echo "$uuid $mac $(vtq hv1 --bare get Logical_Switch "$ls" name)"
          done | sort
}

# snapshot: what a restart of hv1's vtepd must not change.
snapshot() {
    echo "== devices"
    dev_table hv1
    echo "== tc"
    tc_state p1 p3 "$(own_dev 'vlan-peer=10:port=p1')"
    echo "== VXLAN FDB"
    vtx_fdb
    echo "== Ucast_Macs_Local"
    local_rows
}

snapshot_is() {
    [ "$(snapshot)" = "$1" ]
}

# adopted_count: how many times hv1's vtepd logged what it adopted.
adopted_count() {
    grep -c ': adopted ' "$VT_DIR/hv1-vtepd.log" || true
}

adopted_count_is() {
    [ "$(adopted_count)" = "$1" ]
}

# stream_after TAG: after the restart, stream TAG is still running and gets
# 20 more replies (so it spanned the restart and forwarding is back).
stream_after() {
    local tag=$1 n
    stream_alive "$tag" \
        || fail "ping stream $tag ended before vtepd was back; make it longer"
    n=$(replies "$tag")
    echo "$tag: vtepd back after $n replies"
    wait_until 10 replies_above "$tag" $((n + 20)) \
        || fail "ping stream $tag gets no replies after the restart"
}

# The monitors report every change of hv1's links and FDB.  mark0, a bridge
# of the test's own, is changed until a monitor reports it: it is then
# listening.
poke_link() {
    ip -n "$(ns hv1)" link set dev mark0 mtu $((1280 + RANDOM % 200))
    grep -q mark0 "$VT_DIR/mon-link.out"
}

poke_fdb() {
    bridge -n "$(ns hv1)" fdb add 00:00:5e:00:53:01 dev mark0 self local
    bridge -n "$(ns hv1)" fdb del 00:00:5e:00:53:01 dev mark0 self local
    grep -q 'Deleted 00:00:5e:00:53:01' "$VT_DIR/mon-fdb.out"
}

start_monitors() {
    start_bg mon-link hv1 ip monitor link
    start_bg mon-fdb hv1 bridge monitor fdb
    wait_until 10 poke_link || fail "ip monitor link reports nothing"
    wait_until 10 poke_fdb || fail "bridge monitor fdb reports nothing"
}

# stop_monitors: stops the monitors and fails if they saw one of our
# devices, or a port, or an FDB entry of our VXLAN devices, deleted.
stop_monitors() {
    local deleted tag
    for tag in mon-link mon-fdb; do
        vt_pid_alive "$(bg_pid "$tag")" \
            || fail "$tag ended early: $(cat "$VT_DIR/$tag.out")"
    done
    vt_kill_pid "$(bg_pid mon-link)"
    vt_kill_pid "$(bg_pid mon-fdb)"
    deleted=$(grep -E '^Deleted ' "$VT_DIR/mon-link.out" "$VT_DIR/mon-fdb.out" \
                  | grep -E ' (vt[bxvw][0-9a-f]{8}|p[13])[:@ ]' || true)
    [ -z "$deleted" ] \
        || fail "devices or FDB entries were deleted across the restart:" \
                "$deleted"
}

# check_foreign: the foreign devices are as the test made them.
check_foreign() {
    local now
    now=$(foreign_state)
    if [ "$now" != "$foreign_before" ]; then
        diff <(echo "$foreign_before") <(echo "$now") >&2 || true
        fail "hv1's foreign devices changed ($1)"
    fi
}

# restart_check HOW: with both streams running, restarts hv1's vtepd (HOW:
# "TERM", "KILL") and checks that nothing changed.
restart_check() {
    local how=$1 before n pid now
    n=$(adopted_count)
    before=$(snapshot)
    start_monitors
    start_stream "ls0-$how" vm1 192.168.1.2 500
    start_stream "ls10-$how" vm1 192.168.10.2 500
    if [ "$how" = TERM ]; then
        stop_vtepd hv1
    else
        pid=$(cat "$VT_DIR/hv1-vtepd.pid")
        vt_pid_is_ours "$pid" || fail "hv1's vtepd (pid $pid) is not running"
        kill -KILL "$pid"
        wait_until 10 not vt_pid_is_ours "$pid" \
            || fail "hv1's vtepd survived SIGKILL"
        [ -f "$VT_DIR/hv1-vtepd.pid" ] \
            || fail "no stale pid file after SIGKILL"
    fi
    vtepd_alive hv1 && fail "hv1's vtepd still runs"
    start_vtepd hv1 hv1
    if [ "$how" = KILL ]; then
        if [ "$(cat "$VT_DIR/hv1-vtepd.pid")" = "$pid" ] \
           || ! vtepd_alive hv1; then
            fail "vtepd did not take over the stale pid file"
        fi
    fi
    wait_until 10 adopted_count_is $((n + 1)) \
        || fail "the restarted vtepd did not log what it adopted"
    grep ': adopted ' "$VT_DIR/hv1-vtepd.log" | tail -n 1 | sed 's/.*|//'
    grep ': adopted ' "$VT_DIR/hv1-vtepd.log" | tail -n 1 \
        | matches ': adopted 2 logical switches, 3 bindings, 4 remote MACs, 2 flood entries, 0 multicast group entries and 3 local MACs ' \
        || fail "the restarted vtepd did not adopt ls0, ls10, their" \
                "bindings, remote MACs, flood entries and local MACs"
    wait_until 10 show_has hv1 '^  Logical_Switch ls0: VNI 5000' \
        || fail "the restarted vtepd does not show ls0"
    wait_until 10 show_has hv1 '^  Logical_Switch ls10: VNI 5010' \
        || fail "the restarted vtepd does not show ls10"
    show_has hv1 'datapath operations failed' \
        && fail "datapath operations failed after the restart:" \
                "$(appctl hv1 vtepd/show)"
    stream_after "ls0-$how"
    stream_after "ls10-$how"
    if ! wait_until 10 snapshot_is "$before"; then
        now=$(snapshot)
        diff <(echo "$before") <(echo "$now") >&2 || true
        fail "the restart (SIG$how) changed kernel objects or local rows"
    fi
    end_stream "ls0-$how"
    end_stream "ls10-$how"
    stop_monitors
    check_foreign "SIG$how"
    vtepd_alive hv1 || fail "hv1's vtepd died after the restart"
}

step "namespaces: classic lab, vm1's eth0.10, vm2b on hv2's p2, vm3 on hv1's p3, hv3"
classic_hosts
add_vm_vlan vm1 10 00:00:00:00:00:11 192.168.10.1/24
add_vm vm2b hv2 p2 00:00:00:00:00:12 192.168.10.2/24
add_vm vm3 hv1 p3 00:00:00:00:00:03 192.168.1.3/24
add_host hv3 10.2.0.1/8

step "foreign devices in hv1 that look like vtepd's"
h1=$(ns hv1)
ip -n "$h1" link add name mark0 type bridge
ip -n "$h1" link add name vtb12345678 type bridge
ip -n "$h1" link set dev vtb12345678 up
ip -n "$h1" link add name vtb87654321 type bridge ageing_time 123400
ip -n "$h1" link set dev vtb87654321 alias 'vtepd:ps=other:ls=x'
ip -n "$h1" link add name vtx87654321 type vxlan id 7777 dstport 4789 nolearning
ip -n "$h1" link set dev vtx87654321 alias 'vtepd:ps=other:vxlan:ls=x' \
    master vtb87654321
bridge -n "$h1" fdb append 00:00:00:00:00:00 dev vtx87654321 dst 10.2.0.1
ip -n "$h1" link add name vtv87654321 type veth peer name vtw87654321
ip -n "$h1" link set dev vtv87654321 alias 'vtepd:ps=other:vlan=10:port=p1' \
    master vtb87654321
ip -n "$h1" link set dev vtw87654321 alias 'vtepd:ps=other:vlan-peer=10:port=p1'
ip -n "$h1" link add name vtb0000abcd type bridge
ip -n "$h1" link set dev vtb0000abcd alias 'vtepd:ps=hv10:ls=ls0' up
foreign_devs=(vtb12345678 vtb87654321 vtx87654321 vtv87654321 vtw87654321
              vtb0000abcd)
foreign_before=$(foreign_state)
dev_table hv1

step "classic lab databases and vtepds, plus ls10 on VLAN 10 and p3 in ls0"
classic_vteps
vtctl hv1 add-port hv1 p3
vtctl hv1 bind-ls hv1 p3 0 ls0
vtctl hv1 add-ucast-remote ls0 00:00:00:00:00:97 10.1.0.1
vtctl hv1 add-ucast-remote ls0 00:00:00:00:00:99 10.1.0.1
configure_ls hv1 hv1 p1 10 ls10 5010 00:00:00:00:00:12 10.1.0.1
vtctl hv2 add-ucast-remote ls0 00:00:00:00:00:03 10.0.0.1
vtctl hv2 add-port hv2 p2
configure_ls hv2 hv2 p2 0 ls10 5010 00:00:00:00:00:11 10.0.0.1

step "everything forwards; the MACs behind hv1 are local"
classic_ping
wait_until 30 ping_ok vm1 192.168.10.2 || fail "vm1 cannot reach vm2b over VLAN 10"
wait_until 10 ping_ok vm3 192.168.1.2 || fail "vm3 cannot reach vm2"
for entry in "ls0 00:00:00:00:00:01" "ls0 00:00:00:00:00:03" \
             "ls10 00:00:00:00:00:11"; do
    read -r ls mac <<<"$entry"
    wait_until 10 has_local_mac hv1 "$ls" "$mac" \
        || fail "hv1's Ucast_Macs_Local lacks $mac in $ls"
done
wait_until 10 ls_fdb_is ls0 "00:00:00:00:00:00 10.1.0.1;00:00:00:00:00:02 10.1.0.1;00:00:00:00:00:97 10.1.0.1;00:00:00:00:00:99 10.1.0.1;" \
    || fail "ls0's VXLAN FDB on hv1 is: $(ls_fdb ls0)"
[ "$(own_devs hv1 | wc -l)" = 6 ] \
    || fail "hv1's vtepd has not 2 bridges, 2 VXLAN devices and a veth" \
            "pair: $(own_devs hv1)"
[ -n "$(prog_tag p1)" ] || fail "hv1's p1 has no vtepd_trunk program"
[ -n "$(prog_tag p3)" ] || fail "hv1's p3 has no vtepd_trunk program"
trunk_slots_are p1 "10 4096" \
    || fail "p1's program does not carry VLAN 10 and drop others: $(trunk_slots p1)"
trunk_slots_are p3 4096 \
    || fail "p3's program does not just drop tagged frames: $(trunk_slots p3)"
check_foreign "first start"
snapshot

step "1. SIGTERM and start again, ping streams in ls0 and ls10 running"
restart_check TERM

step "2. SIGKILL (stale pid file) and start again, ping streams running"
restart_check KILL

step "3. changes while vtepd is down, ping stream in ls0 running"
ls0_devs=$(own_devs hv1 | grep -E 'alias=vtepd:ps=hv1:(vxlan:)?ls=ls0$')
[ "$(wc -l <<<"$ls0_devs")" = 2 ] || fail "ls0's devices: $ls0_devs"
ls10_devs=$(own_devs hv1 | grep -vE 'alias=vtepd:ps=hv1:(vxlan:)?ls=ls0$')
n=$(adopted_count)
start_stream ls0-changes vm1 192.168.1.2 1000
stop_vtepd hv1
vtctl hv1 del-ucast-remote ls0 00:00:00:00:00:99
vtctl hv1 add-ucast-remote ls0 00:00:00:00:00:98 10.1.0.1
vtctl hv1 -- del-ucast-remote ls0 00:00:00:00:00:97 \
    -- add-ucast-remote ls0 00:00:00:00:00:97 10.2.0.1
vtctl hv1 -- unbind-ls hv1 p1 10 -- clear-remote-macs ls10 \
    -- clear-local-macs ls10 -- del-ls ls10
bridge -n "$h1" fdb del 00:00:00:00:00:03 dev p3 master \
    || fail "cannot remove vm3's MAC from ls0's bridge"
stream_alive ls0-changes || fail "the ping stream ended while vtepd was down"
start_vtepd hv1 hv1
wait_until 10 adopted_count_is $((n + 1)) \
    || fail "the restarted vtepd did not log what it adopted"
grep ': adopted ' "$VT_DIR/hv1-vtepd.log" | tail -n 1 | sed 's/.*|//'
new_fdb="00:00:00:00:00:00 10.1.0.1;00:00:00:00:00:02 10.1.0.1;00:00:00:00:00:97 10.2.0.1;00:00:00:00:00:98 10.1.0.1;"
wait_until 5 ls_fdb_is ls0 "$new_fdb" \
    || fail "ls0's VXLAN FDB on hv1 is not the new one: $(ls_fdb ls0)"
wait_until 5 not show_has hv1 'Logical_Switch ls10' \
    || fail "vtepd/show still shows ls10: $(appctl hv1 vtepd/show)"
wait_until 5 own_devs_are "$ls0_devs" \
    || fail "hv1's devices are not just ls0's as before: $(own_devs hv1)"
while read -r dev idx rest; do
    has_link hv1 "$dev" && fail "$dev ($rest) of ls10 is still there"
    ip -n "$h1" -o link show | matches "^$idx: " \
        && fail "ifindex $idx of $dev ($rest) is still there"
done <<<"$ls10_devs"
wait_until 5 trunk_slots_are p1 4096 \
    || fail "p1's tc program still carries VLAN 10: $(trunk_slots p1)"
vlan_map_devs_are p1 p3 \
    || fail "the eBPF map of VLANs holds more than p1 and p3: $(vlan_map)"
wait_until 5 local_macs_are ls0 00:00:00:00:00:01 \
    || fail "hv1's local MACs in ls0 are not just vm1's: $(local_macs hv1 ls0)"
rows_are hv1 Ucast_Macs_Local 1 \
    || fail "Ucast_Macs_Local: $(vtq hv1 list Ucast_Macs_Local)"
wait_until 5 rows_are hv1 Mcast_Macs_Local 1 \
    || fail "Mcast_Macs_Local: $(vtq hv1 list Mcast_Macs_Local)"
has_local_mcast hv1 ls0 "unknown-dst -> vxlan_over_ipv4/10.0.0.1" \
    || fail "hv1 lost ls0's Mcast_Macs_Local row"
show_has hv1 'datapath operations failed' \
    && fail "datapath operations failed after the restart:" \
            "$(appctl hv1 vtepd/show)"
stream_after ls0-changes
end_stream ls0-changes
appctl hv1 vtepd/show
appctl hv1 vtepd/dump-macs ls0
tc_state p1 p3
ping_fails vm1 192.168.10.2 || fail "vm1 still reaches vm2b over VLAN 10"
ping_ok vm3 192.168.1.2 || fail "vm3 cannot reach vm2 any longer"
check_foreign "changes while down"

step "4. the foreign devices were never touched"
dev_table hv1 | grep -vF " alias=$PREFIX"
check_foreign "end"

vtepd_alive hv1 || fail "hv1's vtepd died"
vtepd_alive hv2 || fail "hv2's vtepd died"
echo "PASS: restarts"
