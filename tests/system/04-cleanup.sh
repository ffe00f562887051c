#!/bin/bash
# 04-cleanup.sh -- what the database no longer asks for leaves the kernel
# and the database.
#
# Classic lab.  Unbinding hv1's p1 takes vm1's MAC out of Ucast_Macs_Local
# and ls0's bridge, vxlan netdev and remote FDB entries out of hv1's
# namespace; binding again restores ping.  Deleting one Ucast_Macs_Remote
# row removes exactly that FDB entry.  Deleting the logical switch removes
# all its kernel objects and leaves no Ucast_Macs_Local or Mcast_Macs_Local
# row behind, whether it goes step by step (unbind and clear the remotes,
# vtepd drops its local rows, then del-ls) or all in one transaction; in
# between, a re-created ls0 works again.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
vt_init

step "classic lab"
classic_lab
classic_ping
wait_until 10 has_local_mac hv1 ls0 00:00:00:00:00:01 \
    || fail "hv1's Ucast_Macs_Local lacks vm1's MAC"
[ -n "$(ls_netdevs hv1)" ] || fail "hv1 has no vtb*/vtx* netdevs"
ls_netdevs hv1

step "unbind-ls hv1 p1 0: vm1's MAC and ls0's netdevs leave hv1"
vtctl hv1 unbind-ls hv1 p1 0
wait_until 10 lacks_local_mac hv1 ls0 00:00:00:00:00:01 \
    || fail "vm1's MAC stayed in hv1's Ucast_Macs_Local after unbind"
wait_until 10 no_ls_netdevs hv1 \
    || fail "hv1 kept $(ls_netdevs hv1 | tr '\n' ' ')after unbind"
[ -z "$(remote_fdb hv1)" ] \
    || fail "hv1 kept VXLAN FDB entries after unbind: $(remote_fdb hv1)"
has_link hv1 p1 \
    || fail "hv1's port p1 disappeared with the unbind"
ip -n "$(ns hv1)" -o link show dev p1 | matches ' master ' \
    && fail "hv1's p1 is still enslaved after unbind"
ping_fails vm1 192.168.1.2 || fail "vm1 still reaches vm2 while unbound"
has_local_mac hv2 ls0 00:00:00:00:00:02 \
    || fail "hv2 lost vm2's MAC because hv1 unbound"

step "bind-ls hv1 p1 0 ls0 again: ping works"
vtctl hv1 bind-ls hv1 p1 0 ls0
classic_ping
wait_until 10 has_local_mac hv1 ls0 00:00:00:00:00:01 \
    || fail "vm1's MAC did not come back to hv1's Ucast_Macs_Local"

step "del-ucast-remote removes exactly that FDB entry"
wait_until 10 remote_fdb_is hv1 \
    "00:00:00:00:00:00 10.1.0.1;00:00:00:00:00:02 10.1.0.1;" \
    || fail "hv1's VXLAN FDB is not the flood entry and vm2's MAC: $(remote_fdb hv1)"
vtctl hv1 del-ucast-remote ls0 00:00:00:00:00:02
wait_until 10 remote_fdb_is hv1 "00:00:00:00:00:00 10.1.0.1;" \
    || fail "after del-ucast-remote hv1's VXLAN FDB is: $(remote_fdb hv1)"
bridge -n "$(ns hv1)" fdb show | grep ' dst ' || true
text_has "$(appctl hv1 vtepd/dump-macs ls0)" '^remote ' \
    && fail "vtepd/dump-macs still shows a remote MAC"
# Unknown unicast still floods to hv2, so the VMs still reach each other.
classic_ping

step "delete ls0 the operator's way: unbind, clear remotes, then del-ls"
# del-ls fails while any row refers to ls0, so vtepd must drop its
# Ucast_Macs_Local and Mcast_Macs_Local rows of ls0 once ls0 is no longer
# bound on its switch.
vtctl hv1 -- unbind-ls hv1 p1 0 -- clear-remote-macs ls0
wait_until 10 no_ls_netdevs hv1 \
    || fail "hv1 kept $(ls_netdevs hv1 | tr '\n' ' ')after unbind"
wait_until 10 rows_are hv1 Ucast_Macs_Local 0 \
    || fail "vtepd kept Ucast_Macs_Local rows of unbound ls0: $(vtq hv1 list Ucast_Macs_Local)"
wait_until 10 rows_are hv1 Mcast_Macs_Local 0 \
    || fail "vtepd kept Mcast_Macs_Local rows of unbound ls0: $(vtq hv1 list Mcast_Macs_Local)"
vtctl hv1 del-ls ls0 || fail "del-ls ls0 failed"
wait_until 10 not show_has hv1 'ls0' \
    || fail "vtepd/show still mentions ls0 after del-ls"
no_ls_netdevs hv1 || fail "hv1 has $(ls_netdevs hv1 | tr '\n' ' ')after del-ls"

step "re-create ls0 on hv1: ping works again"
configure_ls hv1 hv1 p1 0 ls0 5000 00:00:00:00:00:02 10.1.0.1
classic_ping
wait_until 10 has_local_mac hv1 ls0 00:00:00:00:00:01 \
    || fail "vm1's MAC did not come back to hv1's Ucast_Macs_Local"
wait_until 10 has_local_mcast hv1 ls0 "unknown-dst -> vxlan_over_ipv4/10.0.0.1" \
    || fail "hv1's Mcast_Macs_Local unknown-dst did not come back"

step "delete ls0 at once (unbind, clear remotes and locals, del-ls: one transaction)"
[ -n "$(ls_netdevs hv1)" ] || fail "hv1 has no vtb*/vtx* netdevs before del-ls"
vtctl hv1 -- unbind-ls hv1 p1 0 -- clear-remote-macs ls0 \
    -- clear-local-macs ls0 -- del-ls ls0
wait_until 10 no_ls_netdevs hv1 \
    || fail "hv1 kept $(ls_netdevs hv1 | tr '\n' ' ')after del-ls"
[ -z "$(remote_fdb hv1)" ] \
    || fail "hv1 kept VXLAN FDB entries after del-ls: $(remote_fdb hv1)"
# A round trip through vtepd's control socket: it has seen the deletion and
# finished what it does in the database about it.
appctl hv1 vtepd/show
show_has hv1 'ls0' && fail "vtepd/show still mentions ls0 after del-ls"
rows_are hv1 Ucast_Macs_Local 0 \
    || fail "Ucast_Macs_Local rows on hv1 after del-ls: $(vtq hv1 list Ucast_Macs_Local)"
rows_are hv1 Mcast_Macs_Local 0 \
    || fail "Mcast_Macs_Local rows on hv1 after del-ls: $(vtq hv1 list Mcast_Macs_Local)"

step "the other switch is untouched"
has_vxlan_id hv2 5000 || fail "hv2 lost its VNI 5000"
has_local_mac hv2 ls0 00:00:00:00:00:02 || fail "hv2 lost vm2's MAC"
vtepd_alive hv1 || fail "hv1's vtepd died"
vtepd_alive hv2 || fail "hv2's vtepd died"
echo "PASS: cleanup"
