#!/bin/bash
# 28-vtep-lab-topologies.sh -- utilities/vtep-lab's routed underlay and
# remotes learned through OVN.
#
# Broken "underlay.segments", "kind", "ovn" and related keys are refused
# with FILE:LINE and what is wrong, and nothing is created.
#
# routed.yaml comes up: hv1 (10.0.0.1) on segment net1 and hv2 (10.1.0.1)
# on segment net2, joined by the router namespace, which forwards; each
# host routes to the other segment through the router, vtepd's VXLAN
# devices are bound to no device (so that they follow those routes); vm1
# and vm2 ping each other, and a capture on net2's bridge shows their VXLAN
# between the two subnets' addresses, hv1's with one hop less (the router
# forwarded them).  "graph" draws the router and both segments, "compose"
# makes a network per segment and a router container.  "down" leaves no
# namespace, process, directory or link behind.
#
# ovn.yaml comes up: OVN's central node on the underlay, vtep hosts hv1 and
# hv2 with ovn-controller-vtep, ovs host hv3 with ovn-controller; every
# logical port is bound to its chassis, vm1 pings vm3 (ls0) and vm2 pings
# vm4 (ls1), across VXLAN with the OVN datapaths' keys 100 and 101.  The
# VTEPs' Ucast_Macs_Remote and Mcast_Macs_Remote rows point at hv3 and
# were written by ovn-controller-vtep alone (the databases' transaction
# logs say so: vtep-lab wrote no remote and no key), and vtepd programmed
# them.  "down" leaves nothing behind.
#
# An "up" of either whose vtepd for hv2, or whose ovn-controller, cannot
# start fails and leaves nothing behind.
#
# Every lab lives in $VT_DIR/lab-TAG with namespaces $VT_PREFIX-TAG-*; the
# EXIT hook takes them all down with "vtep-lab down", whatever happened.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
vt_init
# shellcheck source-path=SCRIPTDIR source=lib-lab.sh
. "$(dirname "$0")/lib-lab.sh"

ROUTED=$VT_TOP/utilities/topologies/routed.yaml
OVN=$VT_TOP/utilities/topologies/ovn.yaml

# root_links: the names of the network devices of this (the root)
# namespace, sorted.
root_links() {
    ip -o link show | awk -F': ' '{sub(/@.*/, "", $2); print $2}' | sort
}

# left_nothing TAG LINKS: nothing of lab TAG is left: no namespace, no
# process naming its state directory, no state directory, and the root
# namespace's devices are LINKS (root_links before the lab came up).
left_nothing() {
    local tag=$1 left
    left=$(lab_namespaces "$VT_PREFIX-$tag-")
    [ -z "$left" ] || fail "lab $tag left namespaces: ${left//$'\n'/ }"
    left=$(lab_pids "$VT_DIR/lab-$tag/")
    [ -z "$left" ] || fail "lab $tag left processes: ${left//$'\n'/ }"
    [ ! -e "$VT_DIR/lab-$tag" ] || fail "lab $tag left $VT_DIR/lab-$tag"
    [ "$(root_links)" = "$2" ] \
        || fail "lab $tag changed the root namespace's devices:" \
                "$(diff <(printf '%s\n' "$2") <(root_links) | tr '\n' ' ')"
}

# lab_on_exit: the EXIT hook: keeps the labs' logs if the test failed,
# takes every lab down, removes what that left, then goes on with
# lib.sh's on_exit.
lab_on_exit() {
    local status=$? entry f pid ns node kind
    set +e
    trap '' PIPE
    # After a failure, the daemons' logs, as $VT_DIR/lab-TAG-NODE-KIND.log,
    # where vt_print_logs shows them.
    for f in "$VT_DIR"/lab-*/*/*.log; do
        if [ "$status" -eq 0 ] || [ ! -f "$f" ]; then
            continue
        fi
        node=$(basename "$(dirname "$(dirname "$f")")")-$(basename "$(dirname "$f")")
        kind=$(basename "$f" .log)
        case $kind in
            ovsdb-server) kind=ovsdb ;;
            ovs-vswitchd) kind=vswitchd ;;
        esac
        cp "$f" "$VT_DIR/$node-$kind.log"
    done
    for entry in "${LABS[@]}"; do
        lab "${entry%% *}" down "${entry#* }" >/dev/null \
            || vt_log "warning: vtep-lab down ${entry#* } failed"
    done
    for pid in $(lab_pids "$VT_DIR/lab-"); do
        vt_log "warning: vtep-lab left process $pid"
        vt_kill_pid "$pid"
    done
    for ns in $(lab_namespaces "$VT_PREFIX-"); do
        vt_log "warning: vtep-lab left namespace $ns"
        ip netns del "$ns"
    done
    (exit "$status")
    on_exit
}
trap lab_on_exit EXIT

# refused BASE NAME SED REGEX: "vtep-lab up" of topology BASE edited with
# sed script SED fails with "FILE:" and a message matching REGEX, and
# creates nothing.
refused() {
    local file=$VT_DIR/$2.yaml out
    sed -e "$3" "$1" >"$file"
    if out=$(lab bad up "$file" 2>&1); then
        fail "vtep-lab up accepted $2.yaml"
    fi
    printf '%s\n' "$out"
    case $out in
        "$file:"*) ;;
        *) fail "the error for $2.yaml does not start with $file:" ;;
    esac
    text_has "${out#"$file:"}" "^$4" \
        || fail "the error for $2.yaml does not match $4"
    [ -z "$(lab_namespaces "$VT_PREFIX-bad-")" ] \
        || fail "vtep-lab up of $2.yaml created namespaces"
    [ ! -e "$VT_DIR/lab-bad" ] || fail "vtep-lab up of $2.yaml left state"
}

# written_by DB TABLE: the comments of the transactions in the log of
# database file DB that inserted rows into TABLE, one per line (their
# first line: the program that wrote them).
written_by() {
    ovsdb-tool show-log -m "$1" \
        | awk -v t="table $2 insert row" '
              /^record [0-9]+:/ {
                  who = $0; sub(/^[^"]*"/, "", who); sub(/"$/, "", who)
                  sub(/ .*/, "", who)
              }
              index($0, t) { print who }' | sort -u
}

step "broken topologies: FILE:LINE and what is wrong, nothing created"
refused "$ROUTED" one-segment '/^    net2:/d' \
    "15: underlay.segments: a routed underlay needs at least two segments"
refused "$ROUTED" subnet-and-segments 's/^underlay:$/underlay:\n  subnet: 10.0.0.0\/8/' \
    "14: underlay: give either 'subnet' \(one segment\) or 'segments'"
refused "$ROUTED" no-router 's/, router: 10.1.0.254//' \
    "16: underlay.segments.net2: missing key 'router'"
refused "$ROUTED" router-outside 's/router: 10.1.0.254/router: 10.2.0.254/' \
    "16: underlay.segments.net2.router: 10.2.0.254 is not in the segment's subnet 10.1.0.0/24"
refused "$ROUTED" overlap 's#10.1.0.0/24#10.0.0.0/16#' \
    "16: underlay.segments.net2.subnet: 10.0.0.0/16 overlaps segment net1's 10.0.0.0/24"
refused "$ROUTED" long-segment 's/^    net1:/    net1-too-long:/' \
    "15: underlay.segments: 'net1-too-long' is longer than 12 characters"
refused "$ROUTED" no-segment 's/hv2: {ip: 10.1.0.1}/hv2: {ip: 10.5.0.1}/' \
    "19: hosts.hv2.ip: 10.5.0.1 is in no underlay segment \(net1 10.0.0.0/24, net2 10.1.0.0/24\)"
refused "$ROUTED" router-ip 's/hv2: {ip: 10.1.0.1}/hv2: {ip: 10.1.0.254}/' \
    "19: hosts.hv2.ip: 10.1.0.254 is the router's address on segment net2"
refused "$ROUTED" router-name 's/^  hv2:/  router:/' \
    "19: hosts: 'router' is reserved for the underlay's router"
refused "$ROUTED" bridge-name 's/^  hv2:/  br-net1:/' \
    "19: hosts: 'br-net1' is the name of segment net1's bridge in the underlay's namespace"
refused "$ROUTED" ovs-static 's/hv2: {ip: 10.1.0.1}/hv2: {ip: 10.1.0.1, kind: ovs}/' \
    "19: hosts.hv2.kind: an ovs host needs remotes: ovn"
refused "$OVN" bad-kind 's/kind: ovs/kind: kvm/' \
    "21: hosts.hv3.kind: 'kvm' is not one of vtep, ovs"
refused "$OVN" no-ovn '/^ovn:/d' \
    "35: remotes: ovn needs the section 'ovn'"
refused "$OVN" ovn-static 's/^remotes: ovn/remotes: static/' \
    "36: ovn: only with remotes: ovn"
refused "$OVN" ovn-key 's/ls0: {key: 100}/ls0: {key: 5000}/' \
    "28: logical_switches.ls0.key: 5000 is out of range with remotes: ovn \(1 to 4095"
refused "$OVN" ovn-replication 's/ls0: {key: 100}/ls0: {key: 100, replication: source_node}/' \
    "28: logical_switches.ls0.replication: not with remotes: ovn"
refused "$OVN" central-ip 's/central: 10.0.0.254/central: 11.0.0.1/' \
    "36: ovn.central: 11.0.0.1 is not in the underlay subnet 10.0.0.0/8"
refused "$OVN" central-key 's/central: 10.0.0.254/centre: 10.0.0.254/' \
    "36: ovn: unknown key 'centre' \(expected: central\)"
refused "$OVN" central-host 's/central: 10.0.0.254/central: 10.0.0.1/' \
    "19: hosts.hv1.ip: 10.0.0.1 is the OVN central's address already"
refused "$OVN" ovs-no-vm 's/host: hv3, port: p1, ls: ls0/host: hv3, port: p9, ls: ls0/' \
    "33: bindings.port: port p9 of ovs host hv3 has no VM"
refused "$OVN" ovs-vlan 's/host: hv3, port: p1, ls: ls0/host: hv3, port: p1, vlan: 5, ls: ls0/' \
    "33: bindings.vlan: the ports of ovs host hv3 are untagged"
refused "$OVN" ovs-vm-vlan 's#ip: 192.168.1.3/24}#ip: 192.168.1.3/24, vlan: 3}#' \
    "25: vms.vm3.vlan: the VMs of ovs host hv3 are untagged"
refused "$OVN" ovs-port 's/host: hv3, port: p1, mac/host: hv3, port: br-int, mac/' \
    "25: vms.vm3.port: 'br-int' is reserved on an ovs host"

step "routed.yaml: up; the router forwards, each host routes through it"
links=$(root_links)
lab_up r "$ROUTED" || fail "vtep-lab up routed.yaml failed"
out=$(lab r status "$ROUTED") || fail "vtep-lab status failed: $out"
printf '%s\n' "$out"
text_has "$out" "^router \(10\.0\.0\.254 on net1, 10\.1\.0\.254 on net2\): namespace $VT_PREFIX-r-router ok$" \
    || fail "status does not show the router"
text_has "$out" '^  forwarding: on$' || fail "the router does not forward"
text_has "$out" '^  segment net2: 10\.1\.0\.0/24, bridge br-net2$' \
    || fail "status does not show segment net2"
lab r exec "$ROUTED" hv1 ip route show 10.1.0.0/24 \
    | matches '^10\.1\.0\.0/24 via 10\.0\.0\.254 dev ul0' \
    || fail "hv1 has no route to net2 through the router"
lab r exec "$ROUTED" hv2 ip route show 10.0.0.0/24 \
    | matches '^10\.0\.0\.0/24 via 10\.1\.0\.254 dev ul0' \
    || fail "hv2 has no route to net1 through the router"
[ "$(lab r exec "$ROUTED" hv1 ip route show default)" = "" ] \
    || fail "hv1 has a default route"

step "routed.yaml: vm1 and vm2 ping each other across the router"
ping_through r "$ROUTED" vm1 vm2
ping_through r "$ROUTED" vm2 vm1
vxlan=$(lab r exec "$ROUTED" hv1 ip -d -o link show type vxlan)
printf '%s\n' "$vxlan"
text_has "$vxlan" ' vxlan id 5000 local 10\.0\.0\.1 ' \
    || fail "hv1 has no VXLAN device for VNI 5000 from 10.0.0.1"
if text_has "$vxlan" ' vxlan id .* dev '; then
    fail "hv1's VXLAN device is bound to a device"
fi

step "routed.yaml: capture on net2: VXLAN between 10.0.0.1 and 10.1.0.1"
# Forget the neighbours, so that the capture shows ARP too.
lab r exec "$ROUTED" vm1 ip neigh flush all
lab r exec "$ROUTED" vm2 ip neigh flush all
out=$(lab r capture --segment net2 --ping vm1 vm2 "$ROUTED") \
    || fail "capture failed: $out"
printf '%s\n' "$out"
text_has "$out" '^capturing VXLAN \(udp port 4789\) on br-net2 of underlay ' \
    || fail "capture is not on net2's bridge"
text_has "$out" '3 packets transmitted, 3 received' || fail "pings lost"
# hv1's packets crossed the router (one hop less), hv2's did not yet.
text_has "$out" '^  Internet Protocol Version 4, Src: 10\.0\.0\.1, Dst: 10\.1\.0\.1, Protocol: UDP \(17\), TTL: 63$' \
    || fail "no VXLAN from 10.0.0.1 to 10.1.0.1 forwarded by the router"
text_has "$out" '^  Internet Protocol Version 4, Src: 10\.1\.0\.1, Dst: 10\.0\.0\.1, Protocol: UDP \(17\), TTL: 64$' \
    || fail "no VXLAN from 10.1.0.1 to 10.0.0.1"
text_has "$out" '^  Virtual eXtensible Local Area Network, Flags: 0x08 \(I: VNI valid\), VNI: 5000$' \
    || fail "no VXLAN with VNI 5000"
text_has "$out" '^  Internet Protocol Version 4, Src: 192\.168\.1\.1, Dst: 192\.168\.1\.2, Protocol: ICMP \(1\)' \
    || fail "no ICMP from vm1 to vm2 inside"
text_has "$out" '^  Address Resolution Protocol \(request\), Sender MAC: 00:00:00:00:00:01, Sender IP: 192\.168\.1\.1, ' \
    || fail "no ARP request from vm1 inside"

step "routed.yaml: graph shows the router and both segments"
"$VTEP_LAB" graph -o "$VT_DIR/routed.svg" "$ROUTED" \
    || fail "vtep-lab graph routed.yaml failed"
check_svg "$VT_DIR/routed.svg" router net1 net2 10.0.0.0/24 10.1.0.0/24 \
    10.0.0.254 10.1.0.254 hv1 hv2 vm1 vm2 ls0

step "routed.yaml: compose makes a network per segment and a router"
"$VTEP_LAB" compose -o "$VT_DIR/compose" "$ROUTED" \
    || fail "vtep-lab compose routed.yaml failed"
python3 - "$VT_DIR/compose/docker-compose.yml" <<'PY' \
    || fail "docker-compose.yml does not match routed.yaml"
import sys
import yaml
with open(sys.argv[1]) as stream:
    doc = yaml.safe_load(stream)
services = doc["services"]
assert list(services) == ["router", "hv1", "hv2"], list(services)
router = services["router"]
assert router["networks"] == {"net1": {"ipv4_address": "10.0.0.254"},
                              "net2": {"ipv4_address": "10.1.0.254"}}, router
assert router["sysctls"] == {"net.ipv4.ip_forward": "1"}, router
assert services["hv1"]["networks"] == {"net1": {"ipv4_address": "10.0.0.1"}}
assert services["hv2"]["networks"] == {"net2": {"ipv4_address": "10.1.0.1"}}
nets = doc["networks"]
assert list(nets) == ["net1", "net2"], list(nets)
for name, subnet in (("net1", "10.0.0.0/24"), ("net2", "10.1.0.0/24")):
    config = nets[name]["ipam"]["config"][0]
    assert config["subnet"] == subnet, config
    assert config["gateway"] not in ("10.0.0.1", "10.1.0.1", "10.0.0.254",
                                     "10.1.0.254"), config
PY
sh -n "$VT_DIR/compose/entrypoint.sh" || fail "entrypoint.sh is not valid sh"
for want in '^router\)$' '^    ip route add 10\.1\.0\.0/24 via 10\.0\.0\.254$' \
            '^    ip route add 10\.0\.0\.0/24 via 10\.1\.0\.254$'; do
    matches "$want" <"$VT_DIR/compose/entrypoint.sh" \
        || fail "entrypoint.sh lacks $want"
done

step "routed.yaml: down leaves nothing behind"
lab r down "$ROUTED" || fail "vtep-lab down routed.yaml failed"
left_nothing r "$links"

step "routed.yaml: an up whose vtepd for hv2 cannot start leaves nothing"
cat >"$VT_DIR/vtepd-no-hv2" <<EOF
#!/bin/sh
# vtepd, except for physical switch hv2 (the last argument).
for ps; do :; done
if [ "\$ps" = hv2 ]; then
    echo "vtepd: hv2 refused by the test" >&2
    exit 1
fi
exec $VTEPD "\$@"
EOF
chmod +x "$VT_DIR/vtepd-no-hv2"
LABS+=("rf $ROUTED")
if out=$(lab rf up --vtepd "$VT_DIR/vtepd-no-hv2" "$ROUTED" 2>&1); then
    fail "up worked with vtepd failing for hv2"
fi
printf '%s\n' "$out"
text_has "$out" 'vtepd for hv2 did not start.*removed everything' \
    || fail "the failure is not reported"
left_nothing rf "$links"

step "ovn.yaml: up; OVN binds every logical port to its chassis"
links=$(root_links)
start=$(date +%s)
lab_up o "$OVN" || fail "vtep-lab up ovn.yaml failed"
vt_log "ovn.yaml came up in $(( $(date +%s) - start )) s"
out=$(lab o status "$OVN") || fail "vtep-lab status failed: $out"
printf '%s\n' "$out"
for want in "^central \(OVN, 10\.0\.0\.254 ports 6641 and 6642\): namespace $VT_PREFIX-o-central ok$" \
            '^  ovnsb_db: running ' '^  ovn-northd: running ' \
            '^  port hv1:ls0 of ls0: on chassis hv1$' \
            '^  port hv2:ls1 of ls1: on chassis hv2$' \
            '^  port vm3 of ls0: on chassis hv3$' \
            '^  port vm4 of ls1: on chassis hv3$' \
            '^  ovn-controller-vtep: running ' '^  ovn-controller: running ' \
            "^host hv3 \(ovs, tunnel ip 10\.2\.0\.1\): namespace $VT_PREFIX-o-hv3 ok$"; do
    text_has "$out" "$want" || fail "status lacks $want"
done
[ "$(lab o exec "$OVN" central ovn-sbctl --bare --columns=name list Chassis \
         | sed '/^$/d' | sort | tr '\n' ' ')" = "hv1 hv2 hv3 " ] \
    || fail "OVN's chassis are not hv1, hv2 and hv3"

step "ovn.yaml: vm1 pings vm3 (ls0), vm2 pings vm4 (ls1)"
ping_through o "$OVN" vm1 vm3
ping_through o "$OVN" vm3 vm1
ping_through o "$OVN" vm2 vm4
ping_through o "$OVN" vm4 vm2

step "ovn.yaml: the remotes are ovn-controller-vtep's, programmed by vtepd"
[ "$(lab o exec "$OVN" hv1 vtep-ctl get Logical_Switch ls0 tunnel_key)" = 100 ] \
    || fail "hv1's ls0 does not have OVN's key 100"
[ "$(lab o exec "$OVN" hv2 vtep-ctl get Logical_Switch ls1 tunnel_key)" = 101 ] \
    || fail "hv2's ls1 does not have OVN's key 101"
lab o exec "$OVN" hv1 vtep-ctl list-remote-macs ls0 | tee "$VT_DIR/hv1-remotes"
matches '^  00:00:00:00:00:03 -> vxlan_over_ipv4/10\.2\.0\.1$' <"$VT_DIR/hv1-remotes" \
    || fail "hv1 has no Ucast_Macs_Remote for vm3 behind hv3"
matches '^  unknown-dst -> vxlan_over_ipv4/10\.2\.0\.1$' <"$VT_DIR/hv1-remotes" \
    || fail "hv1 has no unknown-dst Mcast_Macs_Remote to hv3"
lab o exec "$OVN" hv2 vtep-ctl list-remote-macs ls1 \
    | matches '^  00:00:00:00:00:04 -> vxlan_over_ipv4/10\.2\.0\.1$' \
    || fail "hv2 has no Ucast_Macs_Remote for vm4 behind hv3"
for h in hv1 hv2; do
    for table in Ucast_Macs_Remote Mcast_Macs_Remote; do
        who=$(written_by "$VT_DIR/lab-o/$h/vtep.db" "$table")
        [ "$who" = ovn-controller-vtep ] \
            || fail "$h's $table rows were written by: ${who:-nobody}"
    done
done
lab o exec "$OVN" hv1 bridge fdb show | tee "$VT_DIR/hv1-fdb" \
    | matches '^00:00:00:00:00:03 dev vtx[0-9a-f]+ dst 10\.2\.0\.1 ' \
    || fail "hv1's vtepd did not program vm3's MAC towards hv3"
matches '^00:00:00:00:00:00 dev vtx[0-9a-f]+ dst 10\.2\.0\.1 ' <"$VT_DIR/hv1-fdb" \
    || fail "hv1's vtepd did not program the flood towards hv3"

step "ovn.yaml: capture: VXLAN with OVN's key between hv1 and hv3"
out=$(lab o capture --ping vm1 vm3 "$OVN") || fail "capture failed: $out"
printf '%s\n' "$out"
text_has "$out" '3 packets transmitted, 3 received' || fail "pings lost"
text_has "$out" '^  Internet Protocol Version 4, Src: 10\.0\.0\.1, Dst: 10\.2\.0\.1, Protocol: UDP \(17\)' \
    || fail "no VXLAN from hv1 to hv3"
text_has "$out" '^  Internet Protocol Version 4, Src: 10\.2\.0\.1, Dst: 10\.0\.0\.1, Protocol: UDP \(17\)' \
    || fail "no VXLAN from hv3 to hv1"
text_has "$out" '^  Virtual eXtensible Local Area Network, Flags: 0x08 \(I: VNI valid\), VNI: 100$' \
    || fail "no VXLAN with OVN's key 100"

step "ovn.yaml: graph shows the central node and the ovs host"
"$VTEP_LAB" graph -o "$VT_DIR/ovn.svg" "$OVN" || fail "vtep-lab graph ovn.yaml failed"
check_svg "$VT_DIR/ovn.svg" central 10.0.0.254 OVS 10.2.0.1 hv3 vm4 ls1 101

step "ovn.yaml: down leaves nothing behind"
lab o down "$OVN" || fail "vtep-lab down ovn.yaml failed"
left_nothing o "$links"

step "ovn.yaml: an up whose ovn-controller cannot start leaves nothing"
mkdir -p "$VT_DIR/bin"
cat >"$VT_DIR/bin/ovn-controller" <<'EOF'
#!/bin/sh
echo "ovn-controller: refused by the test" >&2
exit 1
EOF
chmod +x "$VT_DIR/bin/ovn-controller"
LABS+=("of $OVN")
if out=$(PATH=$VT_DIR/bin:$PATH lab of up "$OVN" 2>&1); then
    fail "up worked with ovn-controller failing"
fi
printf '%s\n' "$out"
text_has "$out" 'ovn-controller for hv3 did not start.*removed everything' \
    || fail "the failure is not reported"
left_nothing of "$links"

echo "PASS: vtep-lab topologies"
