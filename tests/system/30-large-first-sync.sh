#!/bin/bash
# 30-large-first-sync.sh -- a first sync of a large database, and what the
# log says while it runs.
#
# hv1's database gets 21,000 more remote MACs in ls0 (behind ten tunnel
# endpoints of a network no host is on) before hv1's vtepd starts.  The first
# reconciliation is then over 21,000 datapath changes, which vtepd applies
# in chunks of 10,000: the log says how many it is applying, how far it got
# (at most once a second) and when it is done, and how long that took.
# The kernel then holds every MAC, and vm1 reaches vm2.  Deleting the
# 21,000 in one transaction is logged the same way and leaves the kernel
# with vm2's MAC alone.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
vt_init

n=21000

# remote_mac_count HOST: how many remote MACs (not the flood entries) the
# VXLAN device of ls0 on HOST holds.
remote_mac_count() {
    local vx
    vx=$(ip -n "$(ns "$1")" -d -o link show type vxlan \
             | awk '/ vxlan id 5000 / {sub(/:$/, "", $2); sub(/@.*/, "", $2);
                                       print $2}')
    [ -n "$vx" ] || return 1
    bridge -n "$(ns "$1")" fdb show dev "$vx" \
        | grep ' dst ' | grep -vc '^00:00:00:00:00:00 '
}

remote_mac_count_is() {
    [ "$(remote_mac_count "$1")" = "$2" ]
}

# transact FILE: runs the transaction in FILE (JSON, too large for
# ovsdb-client's command line) on hv1's database, over JSON-RPC.
transact() {
    python3 - "$VT_DIR/hv1.sock" "$1" <<'PY' || fail "the transaction failed"
import json, socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
with open(sys.argv[2]) as f:
    params = json.load(f)
s.sendall(json.dumps({"method": "transact", "params": params,
                      "id": 1}).encode())
buf, dec = "", json.JSONDecoder()
while True:
    data = s.recv(1 << 20)
    if not data:
        sys.exit("connection closed")
    buf += data.decode()
    try:
        msg, _ = dec.raw_decode(buf)
    except ValueError:
        continue
    if msg.get("id") != 1:
        buf = ""
        continue
    errors = [r for r in msg["result"] if r and "error" in r]
    if msg.get("error") or errors:
        sys.exit("transaction error: %s" % (msg.get("error") or errors[0]))
    break
PY
}

# applied_lines N: how many times vtepd logged that it applied N datapath
# changes.
applied_lines() {
    grep -c "hv1: applied $1 datapath changes in [0-9]* ms" \
        "$VT_DIR/hv1-vtepd.log" || true
}

step "the classic lab with $n more remote MACs in hv1's database"
classic_hosts
start_ovsdb hv1
start_ovsdb hv2
configure_vtep hv1 hv1 10.0.0.1 p1 ls0 5000 00:00:00:00:00:02 10.1.0.1
configure_vtep hv2 hv2 10.1.0.1 p1 ls0 5000 00:00:00:00:00:01 10.0.0.1
ls_uuid=$(vtq hv1 --bare --columns=_uuid find Logical_Switch name=ls0)
python3 - "$n" "$ls_uuid" > "$VT_DIR/add.json" <<'PY'
import json, sys
n, ls = int(sys.argv[1]), sys.argv[2]
ops = ["hardware_vtep"]
for j in range(10):
    ops.append({"op": "insert", "table": "Physical_Locator",
                "uuid-name": "loc%d" % j,
                "row": {"dst_ip": "10.2.0.%d" % (j + 1),
                        "encapsulation_type": "vxlan_over_ipv4"}})
for i in range(n):
    ops.append({"op": "insert", "table": "Ucast_Macs_Remote",
                "row": {"MAC": "02:00:00:%02x:%02x:%02x"
                               % (i >> 16, (i >> 8) & 0xff, i & 0xff),
                        "logical_switch": ["uuid", ls],
                        "locator": ["named-uuid", "loc%d" % (i % 10)]}})
print(json.dumps(ops))
PY
transact "$VT_DIR/add.json"
[ "$(count_rows hv1 Ucast_Macs_Remote)" = $((n + 1)) ] \
    || fail "the database does not hold $((n + 1)) remote MACs"

step "hv1's vtepd starts: the first sync is logged as it goes"
start_vtepd hv1 hv1
start_vtepd hv2 hv2
wait_until 120 remote_mac_count_is hv1 $((n + 1)) \
    || fail "hv1's kernel holds $(remote_mac_count hv1) remote MACs," \
            "not $((n + 1))"
wait_until 10 grep -q "hv1: applied [0-9]* datapath changes in [0-9]* ms" \
    "$VT_DIR/hv1-vtepd.log" || fail "vtepd did not log the end of the sync"
total=$(sed -n 's/.*hv1: applying \([0-9]*\) datapath changes$/\1/p' \
            "$VT_DIR/hv1-vtepd.log" | head -n 1)
[ -n "$total" ] && [ "$total" -gt "$n" ] \
    || fail "vtepd did not log the start of the sync of over $n changes"
[ "$(applied_lines "$total")" = 1 ] \
    || fail "vtepd did not log that it applied the $total changes"
grep "hv1: \(applying\|applied\|[0-9]* of\) .*datapath changes" \
    "$VT_DIR/hv1-vtepd.log" | sed 's/.*|//'
classic_ping

step "the $n deleted in one transaction: logged the same way"
echo '["hardware_vtep", {"op": "delete", "table": "Ucast_Macs_Remote",
       "where": [["MAC", "!=", "00:00:00:00:00:02"]]}]' > "$VT_DIR/del.json"
transact "$VT_DIR/del.json"
wait_until 120 remote_mac_count_is hv1 1 \
    || fail "hv1's kernel holds $(remote_mac_count hv1) remote MACs, not 1"
wait_until 10 grep -q "hv1: applied $n datapath changes in" \
    "$VT_DIR/hv1-vtepd.log" || fail "vtepd did not log the deletion"
grep -q "hv1: applying $n datapath changes$" "$VT_DIR/hv1-vtepd.log" \
    || fail "vtepd did not log the start of the deletion"
classic_ping

vtepd_alive hv1 || fail "hv1's vtepd died"
echo "PASS: large first sync"
