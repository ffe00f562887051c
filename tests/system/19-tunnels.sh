#!/bin/bash
# 19-tunnels.sh -- the switch's Tunnel rows.
#
# In the classic lab, hv1's Physical_Switch lists one Tunnel row, from its
# own locator (10.0.0.1) to hv2's (10.1.0.1).  A remote MAC behind a new
# endpoint adds a Tunnel row, and its removal takes the row away.  A Tunnel
# row that a controller made itself, with bfd_params, is adopted when its
# endpoint comes into use (not duplicated) and left alone when it goes out
# of use; without bfd_params it goes too.  Removing every remote leaves no
# Tunnel row.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
vt_init

# locator_ip HOST UUID: the dst_ip of Physical_Locator UUID.
locator_ip() {
    vtq "$1" get Physical_Locator "$2" dst_ip | tr -d '"'
}

# tunnels HOST PS: "LOCAL REMOTE" for each Tunnel row of PS, sorted, joined
# with ";" (each ending with one).
tunnels() {
    local t l r
    for t in $(vtq "$1" get Physical_Switch "$2" tunnels | tr -d "[],"); do
        l=$(vtq "$1" --bare get Tunnel "$t" local)
        r=$(vtq "$1" --bare get Tunnel "$t" remote)
        printf '%s %s\n' "$(locator_ip "$1" "$l")" "$(locator_ip "$1" "$r")"
    done | sort | tr '\n' ';'
}

# tunnels_are HOST PS LINES: tunnels HOST PS is LINES.
tunnels_are() {
    [ "$(tunnels "$1" "$2")" = "$3" ]
}

# expect_tunnels LINES: hv1's tunnels become LINES.
expect_tunnels() {
    wait_until 10 tunnels_are hv1 hv1 "$1" \
        || fail "hv1's tunnels are '$(tunnels hv1 hv1)', not '$1'"
    echo "hv1 tunnels: $1"
}

# has_switch_fault HOST PS VALUE: VALUE is in switch_fault_status of PS.
has_switch_fault() {
    switch_faults "$1" "$2" | tr ' ' '\n' | grep -x -- "$3" >/dev/null
}

# barrier: returns once hv1's vtepd has written to the database what it had
# to write for every change made so far: it gets one more change (a remote
# MAC that does not parse) and answers it (with a fault), and vtepd handles
# changes, and commits its writes, in order.
barrier() {
    local ls loc bad
    ls=$(vtq hv1 --bare --columns=_uuid find Logical_Switch name=ls0)
    loc=$(vtq hv1 --bare --columns=_uuid find Physical_Locator dst_ip=10.1.0.1)
    bad=$(vtq hv1 create Ucast_Macs_Remote MAC='"barrier"' \
              logical_switch="$ls" locator="$loc")
    wait_until 10 has_switch_fault hv1 hv1 remote_mac_invalid \
        || fail "vtepd did not answer the barrier row"
    vtq hv1 destroy Ucast_Macs_Remote "$bad"
    wait_until 10 not has_switch_fault hv1 hv1 remote_mac_invalid \
        || fail "vtepd did not clear the barrier's fault"
}

step "the classic lab: one tunnel each way"
classic_lab
classic_ping
expect_tunnels "10.0.0.1 10.1.0.1;"
wait_until 10 tunnels_are hv2 hv2 "10.1.0.1 10.0.0.1;" \
    || fail "hv2's tunnels are '$(tunnels hv2 hv2)'"

step "a remote MAC behind 10.2.0.1 adds a tunnel; its removal removes it"
vtctl hv1 add-ucast-remote ls0 00:00:00:00:00:03 10.2.0.1
expect_tunnels "10.0.0.1 10.1.0.1;10.0.0.1 10.2.0.1;"
vtctl hv1 del-ucast-remote ls0 00:00:00:00:00:03
expect_tunnels "10.0.0.1 10.1.0.1;"

step "a controller's Tunnel row to 10.3.0.1 with bfd_params is adopted"
own=$(vtq hv1 --bare --columns=_uuid find Physical_Locator dst_ip=10.0.0.1)
vtctl hv1 -- --id=@r create Physical_Locator dst_ip=10.3.0.1 \
    encapsulation_type=vxlan_over_ipv4 \
    -- --id=@t create Tunnel local="$own" remote=@r bfd_params:enable=true \
    -- add Physical_Switch hv1 tunnels @t >/dev/null
expect_tunnels "10.0.0.1 10.1.0.1;10.0.0.1 10.3.0.1;"
vtctl hv1 add-ucast-remote ls0 00:00:00:00:00:04 10.3.0.1
wait_until 10 remote_fdb_is hv1 \
    '00:00:00:00:00:00 10.1.0.1;00:00:00:00:00:02 10.1.0.1;00:00:00:00:00:04 10.3.0.1;' \
    || fail "00:00:00:00:00:04 is not in the kernel: $(remote_fdb hv1)"
barrier
expect_tunnels "10.0.0.1 10.1.0.1;10.0.0.1 10.3.0.1;"
[ "$(vtq hv1 --bare --columns=bfd_params find Tunnel bfd_params:enable=true \
     | grep -c .)" = 1 ] || fail "the controller's Tunnel row lost bfd_params"

step "out of use, the controller's row stays; without bfd_params it goes"
vtctl hv1 del-ucast-remote ls0 00:00:00:00:00:04
wait_until 10 remote_fdb_is hv1 \
    '00:00:00:00:00:00 10.1.0.1;00:00:00:00:00:02 10.1.0.1;' \
    || fail "00:00:00:00:00:04 is still in the kernel: $(remote_fdb hv1)"
barrier
tunnels_are hv1 hv1 "10.0.0.1 10.1.0.1;10.0.0.1 10.3.0.1;" \
    || fail "the controller's Tunnel row went: $(tunnels hv1 hv1)"
t=$(vtq hv1 --bare --columns=_uuid find Tunnel bfd_params:enable=true)
vtctl hv1 clear Tunnel "$t" bfd_params
expect_tunnels "10.0.0.1 10.1.0.1;"

step "no remotes, no tunnels"
vtctl hv1 del-ucast-remote ls0 00:00:00:00:00:02
vtctl hv1 del-mcast-remote ls0 unknown-dst 10.1.0.1
expect_tunnels ""
rows_are hv1 Tunnel 0 || fail "Tunnel rows left: $(count_rows hv1 Tunnel)"

step "vtepd still running"
vtepd_alive hv1 || fail "hv1's vtepd died"
echo "PASS: tunnels"
