#!/bin/bash
# 23-vtep-lab-tools.sh -- utilities/vtep-lab's capture, graph and compose.
#
# "graph" draws classic.yaml and three-hosts.yaml (no lab up) as SVG that
# is well-formed XML and names every host, VM and logical switch.
# "compose" writes, for classic.yaml, a docker-compose.yml (a service per
# host, on the network "underlay" with the topology's subnet, each at its
# host's IP), a Dockerfile FROM debian:12 that builds vtepd, and the
# entrypoint script, which configures each host's switch as "up" does.
# Then classic.yaml comes up and "capture --ping vm1 vm2" (ARP caches
# flushed) decodes the VXLAN packets of the underlay: I flag, VNI 5000, UDP
# port 4789, the inner ARP request and reply and the ICMP echoes with the
# VMs' MACs and IPs; its pcap file reads with tcpdump.  A capture on a
# host's link with --seconds and no pings ends in time.  "down" removes
# the lab, captures included.
#
# The lab lives in $VT_DIR/lab with namespaces $VT_PREFIX-*; the EXIT hook
# takes it down with "vtep-lab down", whatever happened.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
vt_init
# shellcheck source-path=SCRIPTDIR source=lib-lab.sh
. "$(dirname "$0")/lib-lab.sh"

CLASSIC=$VT_TOP/utilities/topologies/classic.yaml
THREE=$VT_TOP/utilities/topologies/three-hosts.yaml
LAB_UP=0        # 1 once "vtep-lab up" was tried.

# lab ARGS...: vtep-lab ARGS with this run's vtepd, state directory
# ($VT_DIR/lab) and namespace prefix (in place of lib-lab.sh's, as this
# test has one lab only).
lab() {
    "$VTEP_LAB" --vtepd "$VTEPD" --vlan-access "$VT_VLAN_ACCESS" \
        --state-dir "$VT_DIR/lab" --prefix "$VT_PREFIX" "$@"
}

# lab_on_exit: the EXIT hook: keeps the daemons' logs if the test failed,
# takes the lab down, then goes on with lib.sh's on_exit.
lab_on_exit() {
    local status=$? f
    set +e
    trap '' PIPE
    if [ "$status" -ne 0 ]; then
        for f in "$VT_DIR"/lab/*/vtepd.log; do
            [ -f "$f" ] || continue
            cp "$f" "$VT_DIR/$(basename "$(dirname "$f")")-vtepd.log"
        done
    fi
    if [ "$LAB_UP" = 1 ]; then
        lab down "$CLASSIC" >/dev/null \
            || vt_log "warning: vtep-lab down failed"
    fi
    (exit "$status")
    on_exit
}
trap lab_on_exit EXIT

# lab_ping_ok: one "vtep-lab ping" from vm1 to vm2 gets an answer (in place
# of lib-lab.sh's).
lab_ping_ok() {
    lab ping --count 1 "$CLASSIC" vm1 vm2 >/dev/null 2>&1
}

step "graph: classic.yaml and three-hosts.yaml as SVG, every name in it"
out=$("$VTEP_LAB" graph -o "$VT_DIR/classic.svg" "$CLASSIC") \
    || fail "vtep-lab graph classic.yaml failed"
printf '%s\n' "$out"
check_svg "$VT_DIR/classic.svg" hv1 hv2 vm1 vm2 ls0 5000 10.0.0.1 \
    00:00:00:00:00:02 192.168.1.2/24
"$VTEP_LAB" graph -o - "$THREE" >"$VT_DIR/three.svg" \
    || fail "vtep-lab graph three-hosts.yaml failed"
check_svg "$VT_DIR/three.svg" hv1 hv2 hv3 vm1 vm2 vm3 ls0 source_node
[ "$(grep -c 'VXLAN VNI 5000' "$VT_DIR/three.svg")" = 3 ] \
    || fail "three-hosts.svg does not show 3 tunnels"

step "compose: docker-compose.yml, Dockerfile and entrypoint for classic.yaml"
"$VTEP_LAB" compose -o "$VT_DIR/compose" "$CLASSIC" \
    || fail "vtep-lab compose failed"
python3 - "$VT_DIR/compose/docker-compose.yml" <<'PY' \
    || fail "docker-compose.yml does not match classic.yaml"
import sys
import yaml
with open(sys.argv[1]) as stream:
    doc = yaml.safe_load(stream)
services = doc["services"]
assert list(services) == ["hv1", "hv2"], list(services)
for name, ip in (("hv1", "10.0.0.1"), ("hv2", "10.1.0.1")):
    service = services[name]
    assert service["networks"]["underlay"]["ipv4_address"] == ip, service
    assert service["privileged"] is True, service
    assert service["environment"]["VTEP_HOST"] == name, service
    assert service["build"]["dockerfile"].endswith("/Dockerfile"), service
config = doc["networks"]["underlay"]["ipam"]["config"]
assert config[0]["subnet"] == "10.0.0.0/8", config
assert config[0]["gateway"] not in ("10.0.0.1", "10.1.0.1"), config
PY
dockerfile=$(cat "$VT_DIR/compose/Dockerfile")
text_has "$dockerfile" '^FROM debian:12$' || fail "Dockerfile is not FROM debian:12"
for want in 'apt-get install' 'openvswitch-vtep' 'utilities/ovs-prepare\.sh' \
            '\./boot\.sh' '\./configure' '&& make &&' 'make install'; do
    text_has "$dockerfile" "$want" || fail "Dockerfile lacks $want"
done
entrypoint=$VT_DIR/compose/entrypoint.sh
[ -x "$entrypoint" ] || fail "no executable entrypoint.sh"
sh -n "$entrypoint" || fail "entrypoint.sh is not valid sh"
for want in '^hv1\)$' '^hv2\)$' '^    vm vm1 p1 00:00:00:00:00:01 192\.168\.1\.1/24 0$' \
            'set Physical_Switch hv2 tunnel_ips=10\.1\.0\.1' \
            'bind-ls hv1 p1 0 ls0' \
            'add-ucast-remote ls0 00:00:00:00:00:02 10\.1\.0\.1' \
            'add-mcast-remote ls0 unknown-dst 10\.0\.0\.1' 'exec vtepd '; do
    matches "$want" <"$entrypoint" || fail "entrypoint.sh lacks $want"
done

step "classic.yaml: up; capture --ping vm1 vm2 decodes VXLAN, ARP and ICMP"
LAB_UP=1
lab up "$CLASSIC" || fail "vtep-lab up classic.yaml failed"
wait_until 30 lab_ping_ok || fail "vm1 never pinged vm2"
# Forget the neighbours, so that the capture shows ARP too.
lab exec "$CLASSIC" vm1 ip neigh flush all
lab exec "$CLASSIC" vm2 ip neigh flush all
out=$(lab capture --ping vm1 vm2 "$CLASSIC") || fail "capture failed: $out"
printf '%s\n' "$out"
pcap=$(sed -n 's/^capturing .* into \(.*\.pcap\)$/\1/p' <<<"$out")
[ -n "$pcap" ] || fail "capture did not say where the pcap is"
[ "${pcap#"$VT_DIR/lab/"}" != "$pcap" ] || fail "$pcap is not in the state directory"
text_has "$out" '3 packets transmitted, 3 received' || fail "pings lost"
v='^  Virtual eXtensible Local Area Network, Flags: 0x08 \(I: VNI valid\), VNI: 5000$'
text_has "$out" "$v" || fail "no VXLAN header with I and VNI 5000"
text_has "$out" '^  Internet Protocol Version 4, Src: 10\.0\.0\.1, Dst: 10\.1\.0\.1, Protocol: UDP \(17\)' \
    || fail "no outer IPv4 from hv1 to hv2"
text_has "$out" '^  User Datagram Protocol, Src Port: [0-9]+, Dst Port: 4789$' \
    || fail "no UDP to port 4789"
text_has "$out" '^  Ethernet II, Src: 00:00:00:00:00:01, Dst: ff:ff:ff:ff:ff:ff, Type: ARP \(0x0806\)$' \
    || fail "no inner broadcast ARP from vm1"
text_has "$out" '^  Address Resolution Protocol \(request\), Sender MAC: 00:00:00:00:00:01, Sender IP: 192\.168\.1\.1, Target MAC: 00:00:00:00:00:00, Target IP: 192\.168\.1\.2$' \
    || fail "no ARP request from vm1 for vm2"
text_has "$out" '^  Address Resolution Protocol \(reply\), Sender MAC: 00:00:00:00:00:02, Sender IP: 192\.168\.1\.2, Target MAC: 00:00:00:00:00:01, Target IP: 192\.168\.1\.1$' \
    || fail "no ARP reply from vm2"
text_has "$out" '^  Ethernet II, Src: 00:00:00:00:00:01, Dst: 00:00:00:00:00:02, Type: IPv4 \(0x0800\)$' \
    || fail "no inner IPv4 frame from vm1 to vm2"
text_has "$out" '^  Internet Protocol Version 4, Src: 192\.168\.1\.2, Dst: 192\.168\.1\.1, Protocol: ICMP \(1\)' \
    || fail "no inner IPv4 from vm2 to vm1"
for seq in 1 2 3; do
    text_has "$out" "^  Internet Control Message Protocol, Type: 8 \(Echo \(ping\) request\), Code: 0, Id: [0-9]+, Seq: $seq$" \
        || fail "no echo request $seq"
    text_has "$out" "^  Internet Control Message Protocol, Type: 0 \(Echo \(ping\) reply\), Code: 0, Id: [0-9]+, Seq: $seq$" \
        || fail "no echo reply $seq"
done
frames=$(grep -c '^Frame ' <<<"$out")
text_has "$out" "^$frames packets, $frames VXLAN$" || fail "wrong summary"
[ -s "$pcap" ] || fail "no pcap file $pcap"
read_back=$(tcpdump -r "$pcap" -nn 2>/dev/null \
                | grep -Ec '^[0-9]+:[0-9]+:[0-9.]+ ' || true)
[ "$read_back" = "$frames" ] \
    || fail "tcpdump reads $read_back packets in $pcap, not $frames"

step "capture --host hv2 --seconds 1 with no traffic ends in time, empty"
start=$(date +%s)
out=$(lab capture --host hv2 --seconds 1 -w "$VT_DIR/quiet.pcap" "$CLASSIC") \
    || fail "capture --seconds failed: $out"
printf '%s\n' "$out"
[ $(( $(date +%s) - start )) -le 10 ] || fail "capture --seconds 1 took too long"
text_has "$out" 'on ul0 of hv2 ' || fail "not captured on hv2's ul0"
text_has "$out" '^[0-9]+ packets?, [0-9]+ VXLAN$' || fail "no summary"
tcpdump -r "$VT_DIR/quiet.pcap" >/dev/null 2>&1 || fail "quiet.pcap does not read"

step "down removes the lab and its captures"
LAB_UP=0
lab down "$CLASSIC" || fail "vtep-lab down failed"
[ ! -e "$VT_DIR/lab" ] || fail "$VT_DIR/lab is still there"
left=$(ip netns list | awk -v p="$VT_PREFIX-" 'index($1, p) == 1 {print $1}')
[ -z "$left" ] || fail "namespaces left: ${left//$'\n'/ }"

echo "PASS: vtep-lab tools"
