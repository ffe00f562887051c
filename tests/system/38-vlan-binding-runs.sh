#!/bin/bash
# 38-vlan-binding-runs.sh -- many VLAN bindings of two ports changed in one
# transaction.
#
# hv1's ports p1 (vm1) and p2 (vm2) both carry VLANs 1 to N: vm1's eth0.V
# and vm2's eth0.V (made by tests/vlan-access, see add_vm_vlan) are in
# logical switch lsV, and their untagged eth0 in ls0.  One transaction binds
# all 2 x (N + 1) of them.  vtepd makes a veth pair for each tagged
# binding and syncs each port's trunk program once for all of its VLANs, so
# the coverage counter dp_linux_trunk_sync goes up by 2 (one per port), not
# by 2N, and its log says how many bindings it added on how many ports.
# vm1 then reaches vm2 on every VLAN and untagged.  One transaction unbinds
# the odd VLANs of both ports: their veth pairs go, each program is synced
# once more, the odd VLANs carry no frames any longer and the others still
# do.  After a restart, vtepd attaches each port's program once, and
# everything that is still bound works.  One last transaction unbinds the
# rest, VLAN 0 included: each port's program goes (one sync each), and so
# do all the veth pairs.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
vt_init

n=32

# syncs: how many times hv1's vtepd changed a port's trunk program (the
# coverage counter is brought up to date about once a second).
syncs() {
    appctl hv1 coverage/read-counter dp_linux_trunk_sync
}

# syncs_at_least N: hv1's vtepd changed trunk programs at least N times.
syncs_at_least() {
    [ "$(syncs)" -ge "$1" ]
}

# expect_syncs N WHAT: hv1's vtepd has changed trunk programs exactly N
# times, once the counter is up to date.
expect_syncs() {
    wait_until 10 syncs_at_least "$1" \
        || fail "vtepd synced trunk programs $(syncs) times, not $1 ($2)"
    [ "$(syncs)" = "$1" ] \
        || fail "vtepd synced trunk programs $(syncs) times, not $1 ($2)"
    echo "trunk program syncs: $1 ($2)"
}

# vlans FIRST STEP: the VLANs FIRST, FIRST + STEP, ... up to N.
vlans() {
    seq "$1" "$2" "$n"
}

# bind_cmds CMD VLAN...: vtep-ctl arguments for one transaction that runs
# CMD ("bind-ls" or "unbind-ls") for VLAN... of both ports.
bind_cmds() {
    local cmd=$1 vlan port
    shift
    for vlan; do
        for port in p1 p2; do
            if [ "$cmd" = bind-ls ]; then
                printf -- '-- %s hv1 %s %s ls%s ' "$cmd" "$port" "$vlan" \
                    "$vlan"
            else
                printf -- '-- %s hv1 %s %s ' "$cmd" "$port" "$vlan"
            fi
        done
    done
}

# pair_ok PORT VLAN: hv1 has the veth pair of binding (PORT, VLAN), with its
# bridge end up and in a bridge.
pair_ok() {
    local vtv
    vtv=$(vlan_dev hv1 "$1" "$2") || return 1
    [ -n "$(link_master hv1 "$vtv")" ] \
        && ip -n "$(ns hv1)" -o link show dev "$vtv" | matches '[<,]UP[,>]'
}

# pair_count: how many veth pairs hv1's vtepd has (bridge ends).
pair_count() {
    ip -n "$(ns hv1)" -o link show 2>/dev/null \
        | grep -c "alias vtepd:ps=hv1:vlan=" \
        || true
}

# pair_count_is N: hv1's vtepd has N veth pairs.
pair_count_is() {
    [ "$(pair_count)" = "$1" ]
}

# trunk_prog PORT: hv1's PORT has vtepd's trunk program on its ingress.
trunk_prog() {
    on hv1 tc filter show dev "$1" ingress | matches ' vtepd_trunk '
}

# ping_vlans VLAN...: vm1 reaches vm2 on each VLAN (0: untagged).
ping_vlans() {
    local vlan
    for vlan; do
        wait_until 30 ping_ok vm1 "10.$vlan.0.2" \
            || fail "vm1 cannot reach vm2 (10.$vlan.0.2) on VLAN $vlan"
    done
    echo "vm1 reaches vm2 on VLANs $*"
}

step "hv1 with vm1 on p1 and vm2 on p2, each untagged and on VLANs 1-$n"
add_host hv1 10.0.0.1/8
add_vm vm1 hv1 p1 02:01:00:00:00:00 10.0.0.1/24
add_vm vm2 hv1 p2 02:02:00:00:00:00 10.0.0.2/24
for vlan in $(vlans 1 1); do
    add_vm_vlan vm1 "$vlan" "$(printf '02:01:00:00:00:%02x' "$vlan")" \
        "10.$vlan.0.1/24"
    add_vm_vlan vm2 "$vlan" "$(printf '02:02:00:00:00:%02x' "$vlan")" \
        "10.$vlan.0.2/24"
done

step "logical switches ls0 to ls$n, none bound yet"
start_ovsdb hv1
vtctl hv1 add-ps hv1
vtctl hv1 set Physical_Switch hv1 tunnel_ips=10.0.0.1
vtctl hv1 add-port hv1 p1
vtctl hv1 add-port hv1 p2
for vlan in 0 $(vlans 1 1); do
    vtctl hv1 add-ls "ls$vlan"
    vtctl hv1 set Logical_Switch "ls$vlan" tunnel_key=$((6000 + vlan))
done
start_vtepd hv1 hv1
wait_until 10 grep -q 'hv1: adopted ' "$VT_DIR/hv1-vtepd.log" \
    || fail "hv1's vtepd did not start"
[ "$(syncs)" = 0 ] || fail "vtepd synced a trunk program with no binding"

step "one transaction binds VLANs 0 to $n of p1 and p2"
# shellcheck disable=SC2046
vtctl hv1 $(bind_cmds bind-ls 0 $(vlans 1 1))
for vlan in $(vlans 1 1); do
    wait_until 10 pair_ok p1 "$vlan" \
        || fail "hv1 has no working veth pair for p1 VLAN $vlan"
    wait_until 10 pair_ok p2 "$vlan" \
        || fail "hv1 has no working veth pair for p2 VLAN $vlan"
done
wait_until 10 trunk_prog p1 || fail "p1 has no vtepd_trunk program"
wait_until 10 trunk_prog p2 || fail "p2 has no vtepd_trunk program"
# shellcheck disable=SC2046
ping_vlans 0 $(vlans 1 1)
expect_syncs 2 "binding $((2 * (n + 1))) VLANs of two ports"
grep -q "hv1: added $((2 * (n + 1))) bindings (0 failed) on 2 ports in" \
    "$VT_DIR/hv1-vtepd.log" \
    || fail "vtepd did not log the $((2 * (n + 1))) bindings it added"

step "one transaction unbinds the odd VLANs of p1 and p2"
# shellcheck disable=SC2046
vtctl hv1 $(bind_cmds unbind-ls $(vlans 1 2))
wait_until 10 pair_count_is $((n / 2 * 2)) \
    || fail "hv1 has $(pair_count) veth pairs, not $((n / 2 * 2))"
for vlan in $(vlans 1 2); do
    ! vlan_dev hv1 p1 "$vlan" >/dev/null \
        || fail "the veth pair of p1 VLAN $vlan stayed after unbind"
done
expect_syncs 4 "unbinding $n odd VLANs of two ports"
for vlan in 1 $((n / 2 + 1)) $((n - 1)); do
    ping_fails vm1 "10.$vlan.0.2" \
        || fail "vm1 still reaches vm2 on VLAN $vlan after unbind"
done
# shellcheck disable=SC2046
ping_vlans 0 $(vlans 2 2)

step "a restart attaches each port's program once"
stop_vtepd hv1
start_vtepd hv1 hv1
adopted="adopted $((n / 2 + 1)) logical switches, $((n + 2)) bindings"
wait_until 10 grep -q "$adopted" "$VT_DIR/hv1-vtepd.log" \
    || fail "hv1's vtepd did not adopt $((n + 2)) bindings"
expect_syncs 2 "restart with $((n + 2)) bindings on two ports"
trunk_prog p1 || fail "p1 lost its program with the restart"
trunk_prog p2 || fail "p2 lost its program with the restart"
# shellcheck disable=SC2046
ping_vlans 0 $(vlans 2 2)

step "one transaction unbinds the rest, VLAN 0 included"
# shellcheck disable=SC2046
vtctl hv1 $(bind_cmds unbind-ls 0 $(vlans 2 2))
wait_until 10 pair_count_is 0 \
    || fail "hv1 has $(pair_count) veth pairs left after unbinding all"
wait_until 10 not trunk_prog p1 \
    || fail "p1 kept its vtepd_trunk program after unbinding everything"
wait_until 10 not trunk_prog p2 \
    || fail "p2 kept its vtepd_trunk program after unbinding everything"
expect_syncs 4 "unbinding the rest of two ports"
ping_fails vm1 10.0.0.2 || fail "vm1 still reaches vm2 untagged"

vtepd_alive hv1 || fail "hv1's vtepd died"
echo "PASS: VLAN binding runs"
