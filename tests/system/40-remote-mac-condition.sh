#!/bin/bash
# 40-remote-mac-condition.sh -- vtepd replicates the remote MACs of the
# logical switches bound on its own switch only, and asks for those of many
# logical switches a few hundred at a time, without a glitch at a restart.
#
# Classic lab.  On hv1:
#   1. lsfar, bound nowhere on hv1, gets 200 remote MACs: vtepd's IDL does
#      not hold them (memory/show counts its cells); once lsfar is bound on
#      VLAN 20 of p1, all 200 reach the kernel.
#   2. 600 more logical switches are bound on VLANs of p1, one remote MAC
#      each: vtepd asks for their MACs in more than one step (coverage
#      counter remote_mac_cond_change), and all reach the kernel.  After a
#      restart, which asks again step by step, vtepd programs no remote MAC
#      and removes none: it reconciles only once it holds them all.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
vt_init

n_far=200
n_many=600

# idl_cells: the number of database cells hv1's vtepd holds.
idl_cells() {
    appctl hv1 memory/show | tr ' ' '\n' \
        | sed -n 's/^idl-cells-hardware_vtep://p'
}

# counter NAME: the total of hv1's vtepd coverage counter NAME.
counter() {
    appctl hv1 coverage/read-counter "$1"
}

# n_remote_macs PREFIX: how many of hv1's VXLAN entries have a MAC that
# starts with PREFIX.
n_remote_macs() {
    remote_fdb hv1 | grep -c "^$1" || true
}

n_remote_macs_is() {
    [ "$(n_remote_macs "$1")" = "$2" ]
}

step "classic lab"
classic_lab
classic_ping

step "$n_far remote MACs of a logical switch not bound on hv1"
vtctl hv1 add-ls lsfar
vtctl hv1 set Logical_Switch lsfar tunnel_key=7000
before=$(idl_cells)
args=()
for i in $(seq 1 "$n_far"); do
    args+=(-- add-ucast-remote lsfar "$(printf '02:00:00:aa:%02x:%02x' \
                                           $((i / 256)) $((i % 256)))" \
           10.1.0.1)
done
vtctl hv1 "${args[@]:1}"
[ "$(vtq hv1 --bare --columns=_uuid find Ucast_Macs_Remote | grep -c .)" \
  -ge "$n_far" ] || fail "the database does not hold lsfar's MACs"
after=$(idl_cells)
echo "IDL cells: $before before, $after after"
[ "$after" -lt $((before + n_far)) ] \
    || fail "hv1's vtepd replicated lsfar's remote MACs: $before -> $after cells"

step "lsfar bound on VLAN 20 of hv1's p1: its MACs reach the kernel"
vtctl hv1 bind-ls hv1 p1 20 lsfar
wait_until 20 n_remote_macs_is 02:00:00:aa: "$n_far" \
    || fail "$(n_remote_macs 02:00:00:aa:) of lsfar's $n_far MACs in the kernel"
[ "$(idl_cells)" -ge $((after + n_far)) ] \
    || fail "hv1's vtepd does not hold lsfar's MACs: $(idl_cells) cells"
classic_ping

step "$n_many more logical switches bound on VLANs of p1, a MAC each"
changes=$(counter remote_mac_cond_change)
args=()
for i in $(seq 1 "$n_many"); do
    args+=(-- add-ls "lsm$i"
           -- set Logical_Switch "lsm$i" tunnel_key=$((8000 + i))
           -- bind-ls hv1 p1 $((100 + i)) "lsm$i"
           -- add-ucast-remote "lsm$i" \
              "$(printf '02:00:00:bb:%02x:%02x' $((i / 256)) $((i % 256)))" \
              10.1.0.1)
done
vtctl hv1 "${args[@]:1}"
wait_until 60 n_remote_macs_is 02:00:00:bb: "$n_many" \
    || fail "$(n_remote_macs 02:00:00:bb:) of $n_many MACs in the kernel"
[ "$(counter remote_mac_cond_change)" -ge $((changes + 2)) ] \
    || fail "the MACs of $n_many logical switches came in one step:" \
            "$(counter remote_mac_cond_change) after $changes"

step "a restart asks step by step and changes no remote MAC"
stop_vtepd hv1
start_vtepd hv1 hv1
wait_until 10 grep -q ': adopted ' "$VT_DIR/hv1-vtepd.log" \
    || fail "hv1's vtepd adopted nothing"
wait_until 30 eval '[ "$(counter remote_mac_cond_change)" -ge 2 ]' \
    || fail "the restarted vtepd asked for the remote MACs in one step"
wait_until 30 show_has hv1 "^  Logical_Switch lsm$n_many: VNI $((8000 + n_many))" \
    || fail "the restarted vtepd does not show lsm$n_many"
if log_since_adopted hv1 | grep -E ': mac-(add|del) '; then
    fail "the restarted vtepd reprogrammed remote MACs"
fi
n_remote_macs_is 02:00:00:bb: "$n_many" \
    || fail "$(n_remote_macs 02:00:00:bb:) of $n_many MACs left after the restart"
n_remote_macs_is 02:00:00:aa: "$n_far" \
    || fail "$(n_remote_macs 02:00:00:aa:) of lsfar's MACs left after the restart"
classic_ping

vtepd_alive hv1 || fail "hv1's vtepd died"
echo "PASS: remote MAC condition"
