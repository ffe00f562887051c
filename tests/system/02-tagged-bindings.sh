#!/bin/bash
# 02-tagged-bindings.sh -- VLAN bindings on one port.
#
# hv1's port p1 carries three logical switches: ls0 untagged (VLAN 0), ls10
# on VLAN 10 and ls20 on VLAN 20.  vm1 behind p1 has eth0 (ls0), eth0.10
# (ls10) and eth0.20 (ls20) (made by tests/vlan-access, see add_vm_vlan).
# On hv2 each logical switch has an untagged port of its own: p1 (ls0,
# vm2a), p2 (ls10, vm2b), p3 (ls20, vm2c).
#
# hv1 carries each tagged binding with a veth pair in its logical switch's
# bridge and tc eBPF programs: one on the pair's other end, one on p1.
# Each logical switch's VMs ping each other; on the wire between vm1 and
# hv1, frames of ls10 and ls20 carry 802.1Q tags 10 and 20 and frames of
# ls0 none; the VLAN 0 binding does not swallow tagged frames (VLANs 10 and
# 20 work while it is bound, and a broadcast on VLAN 10 reaches vm2b only,
# neither vm2a nor vm2c); each VLAN's MAC is local in its own logical
# switch only, with its IPv4 address (from ARP).  Restarting hv1's vtepd
# loses no frame and keeps the veth pairs.  When p1 goes away the pairs go
# down and their MACs stop being local; when it comes back, all three
# bindings work again.  Frames tagged
# with a VLAN that is not bound (30) are dropped: they reach no VM on hv2
# and their MAC is local nowhere.  Unbinding a VLAN deletes its veth pair;
# unbinding the last binding of p1 removes p1's tc program.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
vt_init

#          LS    VLAN  key   hv1-side MAC       far VM far port far MAC       subnet
lss=(
    "ls0   0     5000  00:00:00:00:00:01  vm2a   p1      00:00:00:00:00:02  192.168.0"
    "ls10  10    5010  00:00:00:00:00:11  vm2b   p2      00:00:00:00:00:12  192.168.10"
    "ls20  20    5020  00:00:00:00:00:21  vm2c   p3      00:00:00:00:00:22  192.168.20"
)

# link_line HOST DEV: "ip -o link show" of HOST's DEV.
link_line() {
    ip -n "$(ns "$1")" -o link show dev "$2" 2>/dev/null
}

# peer_of HOST DEV: the other end of HOST's veth DEV.
peer_of() {
    link_line "$1" "$2" | sed -n 's/^[0-9]*: [^@]*@\([^:]*\): .*/\1/p'
}

# is_up HOST DEV: HOST's DEV is administratively up.
is_up() {
    link_line "$1" "$2" | matches '<([^>]*,)?UP[,>]'
}

# ifindex HOST DEV: the ifindex of HOST's DEV.
ifindex() {
    link_line "$1" "$2" | cut -d: -f1
}

# vlan_pair_ok VLAN KEY: hv1 has the veth pair of binding (p1, VLAN), up,
# with the bridge end ("vtv") in the bridge of the logical switch with
# tunnel key KEY, and the other end ("vtw") marked as such and with a
# tagger program on its ingress.
vlan_pair_ok() {
    local vtv vtw br
    vtv=$(vlan_dev hv1 p1 "$1") || return 1
    vtw=$(peer_of hv1 "$vtv")
    br=$(ls_bridge hv1 "$2") || return 1
    [[ $vtv == vtv* && $vtw == vtw* && $br == vtb* ]] || return 1
    [ "$(link_master hv1 "$vtv")" = "$br" ] \
        && link_line hv1 "$vtw" \
               | matches "alias vtepd:ps=hv1:vlan-peer=$1:port=p1\$" \
        && is_up hv1 "$vtv" && is_up hv1 "$vtw" \
        && on hv1 tc filter show dev "$vtw" ingress \
               | matches ' bpf .*vtepd_tagger direct-action'
}

# pairs: "NAME IFINDEX" of each end of hv1's veth pairs for p1's VLANs 10
# and 20.
pairs() {
    local vlan vtv dev
    for vlan in 10 20; do
        vtv=$(vlan_dev hv1 p1 "$vlan") || return 1
        for dev in "$vtv" "$(peer_of hv1 "$vtv")"; do
            echo "$dev $(ifindex hv1 "$dev")"
        done
    done
}

# no_pair VLAN_RE: hv1 has no end of a veth pair for p1 VLAN_RE (an extended
# regex).
no_pair() {
    ! ip -n "$(ns hv1)" -o link show \
        | matches "alias vtepd:ps=hv1:vlan(-peer)?=$1:port=p1\$"
}

# trunk_prog_ok: hv1's p1 has vtepd's trunk program on its ingress.
trunk_prog_ok() {
    on hv1 tc filter show dev p1 ingress \
        | matches ' bpf .*handle 0x1 vtepd_trunk direct-action'
}

# ping_all WAIT: vm1 and each far VM reach each other in every logical
# switch, waiting up to WAIT seconds for the first ping.
ping_all() {
    local entry ls vlan key mac1 vm2 port2 mac2 net
    for entry in "${lss[@]}"; do
        read -r ls vlan key mac1 vm2 port2 mac2 net <<<"$entry"
        wait_until "$1" ping_ok vm1 "$net.2" \
            || fail "vm1 cannot reach $vm2 ($net.2) in $ls (VLAN $vlan)"
        wait_until 10 ping_ok "$vm2" "$net.1" \
            || fail "$vm2 cannot reach vm1 ($net.1) in $ls (VLAN $vlan)"
        echo "$ls (VLAN $vlan, key $key): vm1 <-> $vm2 ok"
    done
}

# never_within SECONDS CMD...: CMD fails every time it is tried (every 0.05
# s) for SECONDS seconds.
never_within() {
    local deadline=$(( $(date +%s%N) + $1 * 1000000000 ))
    shift
    while [ "$(date +%s%N)" -lt "$deadline" ]; do
        if "$@"; then
            vt_log "never_within: succeeded: $*"
            return 1
        fi
        sleep 0.05
    done
}

step "hv1 with vm1 (eth0, eth0.10, eth0.20) on p1; hv2 with vm2a/b/c"
add_host hv1 10.0.0.1/8
add_host hv2 10.1.0.1/8
add_vm vm1 hv1 p1 00:00:00:00:00:01 192.168.0.1/24
for entry in "${lss[@]}"; do
    read -r ls vlan key mac1 vm2 port2 mac2 net <<<"$entry"
    if [ "$vlan" != 0 ]; then
        add_vm_vlan vm1 "$vlan" "$mac1" "$net.1/24"
    fi
    add_vm "$vm2" hv2 "$port2" "$mac2" "$net.2/24"
done

step "configuration: three bindings on hv1's p1, one port each on hv2"
start_ovsdb hv1
start_ovsdb hv2
vtctl hv1 add-ps hv1
vtctl hv1 set Physical_Switch hv1 tunnel_ips=10.0.0.1
vtctl hv1 add-port hv1 p1
vtctl hv2 add-ps hv2
vtctl hv2 set Physical_Switch hv2 tunnel_ips=10.1.0.1
for entry in "${lss[@]}"; do
    read -r ls vlan key mac1 vm2 port2 mac2 net <<<"$entry"
    for h in hv1 hv2; do
        vtctl "$h" add-ls "$ls"
        vtctl "$h" set Logical_Switch "$ls" tunnel_key="$key"
    done
    vtctl hv1 bind-ls hv1 p1 "$vlan" "$ls"
    vtctl hv1 add-ucast-remote "$ls" "$mac2" 10.1.0.1
    vtctl hv1 add-mcast-remote "$ls" unknown-dst 10.1.0.1
    vtctl hv2 add-port hv2 "$port2"
    vtctl hv2 bind-ls hv2 "$port2" 0 "$ls"
    vtctl hv2 add-ucast-remote "$ls" "$mac1" 10.0.0.1
    vtctl hv2 add-mcast-remote "$ls" unknown-dst 10.0.0.1
done
vtctl hv1 show
start_vtepd hv1 hv1
start_vtepd hv2 hv2

step "hv1 carries VLANs 10 and 20 with veth pairs and tc eBPF programs"
for entry in "${lss[@]}"; do
    read -r ls vlan key mac1 vm2 port2 mac2 net <<<"$entry"
    [ "$vlan" = 0 ] && continue
    wait_until 10 vlan_pair_ok "$vlan" "$key" \
        || fail "hv1 has no working veth pair for p1 VLAN $vlan in $ls"
    vtv=$(vlan_dev hv1 p1 "$vlan")
    echo "$ls: VLAN $vlan of p1 is $vtv (in $(link_master hv1 "$vtv"))" \
         "and $(peer_of hv1 "$vtv")"
    on hv1 tc filter show dev "$(peer_of hv1 "$vtv")" ingress
done
wait_until 10 trunk_prog_ok || fail "hv1's p1 has no vtepd_trunk tc program"
on hv1 tc filter show dev p1 ingress
ip -n "$(ns hv1)" -br link show

step "pings within each logical switch (VLAN 0 bound as well)"
ping_all 30

step "on the wire, ls10 and ls20 frames are tagged 10 and 20, ls0 frames not"
start_capture hv1 p1 wire
for entry in "${lss[@]}"; do
    read -r ls vlan key mac1 vm2 port2 mac2 net <<<"$entry"
    ping_ok vm1 "$net.2" || fail "vm1 cannot reach $vm2 ($net.2) in $ls"
done
stop_capture wire
decode wire -c 40
for entry in "${lss[@]}"; do
    read -r ls vlan key mac1 vm2 port2 mac2 net <<<"$entry"
    esc="${net//./\\.}"
    if [ "$vlan" = 0 ]; then
        frame_re='ethertype (IPv4|ARP) \(0x080[06]\), length'
        framing=untagged
    else
        frame_re="ethertype 802\\.1Q \\(0x8100\\), length [0-9]+: vlan $vlan, "
        framing="tagged $vlan"
    fi
    for dir in "$esc\\.1 > $esc\\.2: ICMP echo request" \
               "$esc\\.2 > $esc\\.1: ICMP echo reply"; do
        capture_has wire "$frame_re.* \\| $dir" \
            || fail "no '$dir' frame $framing on p1"
    done
    # Every frame of the subnet, ARP included, is framed so.
    bad=$(decode wire | grep -E -- "$esc\\.[0-9]+[ ,:]" \
              | grep -Ev -- "$frame_re" || true)
    [ -z "$bad" ] || fail "frames of $ls on p1 not $framing: $bad"
    echo "$ls: frames on p1 $framing"
done

step "each MAC is local in its own logical switch only, with its IP"
for entry in "${lss[@]}"; do
    read -r ls vlan key mac1 vm2 port2 mac2 net <<<"$entry"
    wait_until 10 has_local_mac hv1 "$ls" "$mac1" \
        || fail "hv1's Ucast_Macs_Local lacks $mac1 in $ls"
    wait_until 10 local_ipaddr_is hv1 "$mac1" "$net.1" \
        || fail "hv1's Ucast_Macs_Local row for $mac1 in $ls lacks $net.1"
    [ "$(local_macs hv1 "$ls")" = "$mac1" ] \
        || fail "hv1's local MACs in $ls are not just $mac1: $(local_macs hv1 "$ls")"
    text_has "$(appctl hv1 vtepd/dump-macs "$ls")" \
        "^local +$mac1 +port +p1 +vlan +$vlan\$" \
        || fail "vtepd/dump-macs $ls lacks 'local $mac1 port p1 vlan $vlan'"
done

step "a broadcast on VLAN 10 reaches ls10 only"
for vm2 in vm2a vm2b vm2c; do
    start_capture "$vm2" eth0 "$vm2"
done
on vm1 ip neigh flush all
ping_fails vm1 192.168.10.77 || fail "someone answered for 192.168.10.77"
wait_until 10 capture_has vm2b 'who-has 192\.168\.10\.77' \
    || fail "vm1's broadcast on VLAN 10 did not reach vm2b"
for vm2 in vm2a vm2b vm2c; do
    stop_capture "$vm2"
done
capture_has vm2a 'who-has 192\.168\.10\.77' \
    && fail "vm1's broadcast on VLAN 10 leaked into ls0 (vm2a saw it)"
capture_has vm2c 'who-has 192\.168\.10\.77' \
    && fail "vm1's broadcast on VLAN 10 leaked into ls20 (vm2c saw it)"
capture_has vm2b 'vlan 10|802\.1Q' \
    && fail "vm2b received tagged frames (the tag must stay on hv1's side)"

step "restarting hv1's vtepd keeps the veth pairs and loses no frame"
pairs_before=$(pairs) || fail "hv1 lacks a veth pair"
on vm1 ping -n -q -i 0.05 -c 60 -W 1 192.168.10.2 \
    >"$VT_DIR/restart-ping.txt" 2>&1 &
ping_pid=$!
VT_PIDS+=("$ping_pid")
stop_vtepd hv1
start_vtepd hv1 hv1
wait "$ping_pid" || true
cat "$VT_DIR/restart-ping.txt"
matches ' 60 received' <"$VT_DIR/restart-ping.txt" \
    || fail "vm1 lost pings to vm2b while hv1's vtepd restarted"
wait_until 10 grep -q 'adopted 3 logical switches, 3 bindings' \
    "$VT_DIR/hv1-vtepd.log" \
    || fail "hv1's vtepd did not adopt the three bindings"
pairs_after=$(pairs) || fail "hv1 lost a veth pair with the restart"
[ "$pairs_after" = "$pairs_before" ] \
    || fail "the veth pairs changed with the restart: before" \
            "'$pairs_before', after '$pairs_after'"
trunk_prog_ok || fail "hv1's p1 lost its tc program with the restart"
ping_all 10

step "p1 goes away: the veth pairs go down, the MACs behind p1 are not local"
ip -n "$(ns vm1)" link del eth0
for vlan in 10 20; do
    vtv=$(vlan_dev hv1 p1 "$vlan") \
        || fail "the veth pair of VLAN $vlan went away with p1"
    wait_until 10 not is_up hv1 "$vtv" \
        || fail "$vtv (VLAN $vlan) stayed up without p1"
done
for entry in "${lss[@]}"; do
    read -r ls vlan key mac1 vm2 port2 mac2 net <<<"$entry"
    wait_until 10 lacks_local_mac hv1 "$ls" "$mac1" \
        || fail "$mac1 stayed local in $ls without p1"
done
vtepd_alive hv1 || fail "hv1's vtepd died when p1 went away"

step "p1 comes back: the bindings work again"
ip -n "$(ns vm1)" link add name eth0 type veth \
    peer name p1 netns "$(ns hv1)"
ip -n "$(ns hv1)" link set dev p1 up
ip -n "$(ns vm1)" link set dev eth0 address 00:00:00:00:00:01
ip -n "$(ns vm1)" addr add 192.168.0.1/24 dev eth0
ip -n "$(ns vm1)" link set dev eth0 up
for entry in "${lss[@]}"; do
    read -r ls vlan key mac1 vm2 port2 mac2 net <<<"$entry"
    [ "$vlan" = 0 ] && continue
    ip -n "$(ns vm1)" link del "eth0.$vlan"
    add_vm_vlan vm1 "$vlan" "$mac1" "$net.1/24"
    wait_until 10 vlan_pair_ok "$vlan" "$key" \
        || fail "the veth pair of VLAN $vlan did not come back up"
done
wait_until 10 trunk_prog_ok || fail "the new p1 has no vtepd_trunk program"
ping_all 30
for entry in "${lss[@]}"; do
    read -r ls vlan key mac1 vm2 port2 mac2 net <<<"$entry"
    wait_until 10 has_local_mac hv1 "$ls" "$mac1" \
        || fail "$mac1 did not become local in $ls again"
done

step "frames of VLAN 30, which is not bound, are dropped"
add_vm_vlan vm1 30 00:00:00:00:00:31 192.168.30.1/24
start_capture hv1 p1 vlan30
for vm2 in vm2a vm2b vm2c; do
    start_capture "$vm2" eth0 "$vm2-30"
done
ping_fails vm1 192.168.30.2 || fail "someone answered for 192.168.30.2"
wait_until 10 capture_has vlan30 \
    'vlan 30, .*who-has 192\.168\.30\.2' \
    || fail "vm1's ARP on VLAN 30 did not reach hv1's p1 tagged 30"
# ls0's VLAN 0 binding takes p1's untagged frames only: had the tagged
# frames crossed it, ls0's bridge would have learned their MAC at once.
text_has "$(appctl hv1 vtepd/dump-macs ls0)" '00:00:00:00:00:31' \
    && fail "hv1's ls0 bridge learned VLAN 30's MAC"
bridge -n "$(ns hv1)" fdb show | grep -i '00:00:00:00:00:31' \
    && fail "a bridge of hv1 learned VLAN 30's MAC"
for entry in "${lss[@]}"; do
    read -r ls vlan key mac1 vm2 port2 mac2 net <<<"$entry"
    never_within 2 has_local_mac hv1 "$ls" 00:00:00:00:00:31 \
        || fail "VLAN 30's MAC became local in $ls"
    lacks_local_mac hv1 "$ls" 00:00:00:00:00:31 \
        || fail "cannot read hv1's Ucast_Macs_Local for $ls"
done
for vm2 in vm2a vm2b vm2c; do
    stop_capture "$vm2-30"
    capture_has "$vm2-30" '192\.168\.30\.|00:00:00:00:00:31' \
        && fail "a frame of VLAN 30 reached $vm2"
done
stop_capture vlan30
# The VLANs that are bound still work.
ping_all 10

step "unbinding VLAN 10 deletes its veth pair; the last binding, p1's program"
vtctl hv1 unbind-ls hv1 p1 10
wait_until 10 no_pair 10 \
    || fail "the veth pair of VLAN 10 stayed after unbind"
wait_until 10 not ping_ok vm1 192.168.10.2 \
    || fail "vm1 still reaches vm2b over VLAN 10 after unbind"
ping_ok vm1 192.168.20.2 || fail "VLAN 20 broke when VLAN 10 was unbound"
ping_ok vm1 192.168.0.2 || fail "VLAN 0 broke when VLAN 10 was unbound"
vtctl hv1 -- unbind-ls hv1 p1 20 -- unbind-ls hv1 p1 0
wait_until 10 no_pair '[0-9]+' \
    || fail "veth pairs stayed after unbinding everything"
wait_until 10 not trunk_prog_ok \
    || fail "p1 kept its vtepd_trunk program after unbinding everything"
left=$(on hv1 tc filter show dev p1 ingress)
text_has "$left" vtepd && fail "p1 has a vtepd tc program left: $left"

vtepd_alive hv1 || fail "hv1's vtepd died"
vtepd_alive hv2 || fail "hv2's vtepd died"
echo "PASS: tagged bindings"
