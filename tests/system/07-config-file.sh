#!/bin/bash
# 07-config-file.sh -- the switch from a YAML file (--config).
#
# A broken file stops vtepd at start with FILE:LINE:COLUMN and what was
# expected.  A good file makes vtepd create its Physical_Switch (name,
# description, tunnel IP, management IPs) and a Physical_Port for every
# kernel port matching the file's glob; a port that appears later gets a row
# and one that goes away loses it.  The operator then only binds with
# vtep-ctl and the classic lab pings.  With mac_ageing_time 10, a learned
# MAC leaves Ucast_Macs_Local once its VM falls silent.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
vt_init

# has_port HOST PS PORT: PS in HOST's database has Physical_Port PORT.
has_port() {
    vtq "$1" list-ports "$2" 2>/dev/null | grep -x -- "$3" >/dev/null
}

# refused FILE REGEX: vtepd does not start with configuration FILE (read
# from standard input) and says why in a message matching REGEX.
refused() {
    local file=$VT_DIR/$1 out
    cat >"$file"
    vtepd_cmd refused
    if out=$("${VTEPD_CMD[@]}" --config="$file" --datapath=dummy \
             --db="unix:$VT_DIR/none.sock" -vconsole:off 2>&1); then
        fail "vtepd started with the broken file $1"
    fi
    printf '%s\n' "$out"
    text_has "$out" "$2" || fail "the error for $1 does not match: $2"
}

step "a broken file: vtepd refuses to start, naming file, line and column"
refused bad.yaml "bad.yaml:2:12: expected an IPv4 address for 'tunnel_ip'" \
    <<'YAML'
name: hv1
tunnel_ip: not-an-ip
YAML
refused bad2.yaml 'bad2.yaml:[0-9]+:[0-9]+: ' <<'YAML'
name: hv1
ports: [p1
YAML
refused bad3.yaml "bad3.yaml:1:1: missing required key 'name'" <<'YAML'
tunnel_ip: 10.0.0.1
YAML

step "good files: vtepd makes its Physical_Switch and Physical_Port rows"
classic_hosts
for h in hv1 hv2; do
    if [ $h = hv1 ]; then tip=10.0.0.1; else tip=10.1.0.1; fi
    cat >"$VT_DIR/$h.yaml" <<YAML
name: $h
description: "config-file switch $h"
tunnel_ip: $tip
management_ips: [$tip]
ports:
  - "p*"
mac_ageing_time: 10
YAML
    start_ovsdb $h
    start_vtepd $h $h --config="$VT_DIR/$h.yaml"
done
wait_until 10 has_port hv1 hv1 p1 \
    || fail "hv1's Physical_Port p1 was not created"
[ "$(vtq hv1 get Physical_Switch hv1 description)" = \
  '"config-file switch hv1"' ] || fail "description not set"
[ "$(vtq hv1 get Physical_Switch hv1 tunnel_ips)" = '["10.0.0.1"]' ] \
    || fail "tunnel_ips not set"
[ "$(vtq hv1 get Physical_Switch hv1 management_ips)" = '["10.0.0.1"]' ] \
    || fail "management_ips not set"
[ "$(vtq hv1 list-ps)" = hv1 ] || fail "hv1's database has other switches"

step "the operator binds with vtep-ctl; ping works"
for h in hv1 hv2; do
    if [ $h = hv1 ]; then rmac=00:00:00:00:00:02 rip=10.1.0.1
    else rmac=00:00:00:00:00:01 rip=10.0.0.1; fi
    configure_ls $h $h p1 0 ls0 5000 $rmac $rip
done
classic_ping
wait_until 10 has_local_mac hv1 ls0 00:00:00:00:00:01 \
    || fail "vm1's MAC is not in hv1's Ucast_Macs_Local"
show_has hv1 'MAC ageing: 10 s' || fail "vtepd/show lacks the ageing time"

step "a port appearing later gets a row; one that goes gets none"
ip -n "$(ns hv1)" link add name p2 type veth peer name q2
wait_until 10 has_port hv1 hv1 p2 \
    || fail "Physical_Port p2 was not created for the new netdev"
has_port hv1 hv1 q2 \
    && fail "q2 does not match p* but got a Physical_Port"
ip -n "$(ns hv1)" link del p2
wait_until 10 not has_port hv1 hv1 p2 \
    || fail "Physical_Port p2 stayed after its netdev went away"

step "a bound port that goes away keeps its row and its binding"
# p3_enslaved: hv1's p3 is a port of one of vtepd's bridges.
p3_enslaved() {
    ip -n "$(ns hv1)" -o link show dev p3 2>/dev/null \
        | grep -E ' master vtb[0-9a-f]{8} ' >/dev/null
}
ip -n "$(ns hv1)" link add name p3 type veth peer name q3
wait_until 10 has_port hv1 hv1 p3 || fail "Physical_Port p3 was not created"
vtctl hv1 bind-ls hv1 p3 0 ls0
wait_until 10 p3_enslaved || fail "binding of p3 not programmed"
ip -n "$(ns hv1)" link del p3
wait_until 10 show_has hv1 'fault: Physical_Port p3: no such network device' \
    || fail "vtepd/show does not report the missing port"
has_port hv1 hv1 p3 || fail "Physical_Port p3 went away with its netdev"
text_has "$(vtq hv1 get Physical_Port p3 vlan_bindings)" '^\{0=' \
    || fail "p3 lost its binding while its netdev was away"
ip -n "$(ns hv1)" link add name p3 type veth peer name q3
wait_until 10 p3_enslaved || fail "p3 was not bound again when it came back"
wait_until 10 not show_has hv1 'fault: Physical_Port p3' \
    || fail "the missing-port problem was not cleared"

step "a second Physical_Port row of a port (a write committed twice) goes"
# port_rows NAME: how many Physical_Port rows of hv1 are named NAME.
port_rows() {
    vtq hv1 --bare --columns=_uuid find Physical_Port name="$1" | grep -c .
}
vtq hv1 -- --id=@p create Physical_Port name=p1 \
       -- add Physical_Switch hv1 ports @p >/dev/null
wait_until 10 test "$(port_rows p1)" = 1 \
    || fail "$(port_rows p1) Physical_Port rows named p1 stay"
text_has "$(vtq hv1 get Physical_Port p1 vlan_bindings)" '^\{0=' \
    || fail "the row of p1 that was kept is not the bound one"
grep -q 'removing duplicate Physical_Port p1' "$VT_DIR/hv1-vtepd.log" \
    || fail "the removal of the duplicate is not logged"
classic_ping

step "vm1 falls silent: its MAC ages out of Ucast_Macs_Local"
wait_until 60 not has_local_mac hv1 ls0 00:00:00:00:00:01 \
    || fail "vm1's MAC did not age out with mac_ageing_time 10"
has_local_mcast hv1 ls0 'unknown-dst -> vxlan_over_ipv4/10.0.0.1' \
    || fail "the unknown-dst Mcast_Macs_Local row went with the MAC"
echo "PASS: config file"
