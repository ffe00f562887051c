#!/bin/bash
# 20-vtep-lab.sh -- utilities/vtep-lab: labs from a YAML topology.
#
# Broken topology files are refused with FILE:LINE and what is wrong, and
# nothing is created.  The shipped classic.yaml comes up: status shows both
# hosts with their namespaces and daemons, vm1 and vm2 ping each other
# through "vtep-lab ping", status then shows the MACs the switches learned
# and the remotes, "vtep-lab exec" runs commands in a VM's or a host's
# namespace (where vtep-ctl and ovs-appctl find the host's database and
# vtepd unaided).  A second "up" of the same topology (same state
# directory, or same namespace names) is refused and leaves the first lab
# alone.  "down" removes every namespace, process, pid file and directory
# the lab made.  three-hosts.yaml comes up with source_node replication
# (each host floods to both others) and every VM pings every other one.  A
# topology with a VM on VLAN 10 (made by tests/vlan-access) pings across.
# An "up" whose ovsdb-server for hv2, or whose vtepd for hv2, cannot start
# fails and leaves nothing behind.
#
# Every lab lives in $VT_DIR/lab-TAG with namespaces $VT_PREFIX-TAG-*; the
# EXIT hook takes them all down with "vtep-lab down", whatever happened.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
vt_init
# shellcheck source-path=SCRIPTDIR source=lib-lab.sh
. "$(dirname "$0")/lib-lab.sh"

CLASSIC=$VT_TOP/utilities/topologies/classic.yaml
THREE=$VT_TOP/utilities/topologies/three-hosts.yaml

# left_nothing TAG: nothing of lab TAG is left: no namespace, no process
# naming its state directory, no state directory.
left_nothing() {
    local tag=$1 left
    left=$(lab_namespaces "$VT_PREFIX-$tag-")
    [ -z "$left" ] || fail "lab $tag left namespaces: ${left//$'\n'/ }"
    left=$(lab_pids "$VT_DIR/lab-$tag/")
    [ -z "$left" ] || fail "lab $tag left processes: ${left//$'\n'/ }"
    [ ! -e "$VT_DIR/lab-$tag" ] || fail "lab $tag left $VT_DIR/lab-$tag"
}

# lab_save_logs: copies the labs' daemon logs into $VT_DIR, as
# lab-TAG-HOST-vtepd.log and lab-TAG-HOST-ovsdb.log, where lib.sh's
# vt_print_logs shows them.
lab_save_logs() {
    local f host lab
    for f in "$VT_DIR"/lab-*/*/vtepd.log "$VT_DIR"/lab-*/*/ovsdb-server.log; do
        [ -f "$f" ] || continue
        host=$(basename "$(dirname "$f")")
        lab=$(basename "$(dirname "$(dirname "$f")")")
        case $f in
            */vtepd.log) cp "$f" "$VT_DIR/$lab-$host-vtepd.log" ;;
            *) cp "$f" "$VT_DIR/$lab-$host-ovsdb.log" ;;
        esac
    done
}

# lab_sweep: removes, and reports, what "vtep-lab down" should have
# removed but left: processes naming a lab's state directory and
# namespaces named with this run's prefix.
lab_sweep() {
    local pid ns
    for pid in $(lab_pids "$VT_DIR/lab-"); do
        vt_log "warning: vtep-lab left process $pid"
        vt_kill_pid "$pid"
    done
    for ns in $(lab_namespaces "$VT_PREFIX-"); do
        vt_log "warning: vtep-lab left namespace $ns"
        ip netns del "$ns"
    done
}

# lab_on_exit: the EXIT hook: keeps the labs' logs if the test failed,
# takes every lab down with "vtep-lab down", sweeps what that left, then
# goes on with lib.sh's on_exit.
lab_on_exit() {
    local status=$? entry
    set +e
    trap '' PIPE
    [ "$status" -eq 0 ] || lab_save_logs
    for entry in "${LABS[@]}"; do
        lab "${entry%% *}" down "${entry#* }" >/dev/null \
            || vt_log "warning: vtep-lab down ${entry#* } failed"
    done
    lab_sweep
    # on_exit takes the test's exit status from $?.
    (exit "$status")
    on_exit
}
trap lab_on_exit EXIT

# refused NAME SED REGEX: "vtep-lab up" of the base topology edited with
# sed script SED fails with "FILE:" and a message matching REGEX, and
# creates nothing.
refused() {
    local file=$VT_DIR/$1.yaml out
    sed -e "$2" "$VT_DIR/base.yaml" >"$file"
    if out=$(lab bad up "$file" 2>&1); then
        fail "vtep-lab up accepted $1.yaml"
    fi
    printf '%s\n' "$out"
    case $out in
        "$file:"*) ;;
        *) fail "the error for $1.yaml does not start with $file:" ;;
    esac
    text_has "${out#"$file:"}" "^$3" \
        || fail "the error for $1.yaml does not match $3"
    left_nothing bad
}

# status_has TAG FILE REGEX: "vtep-lab status" of lab TAG succeeds and a
# line of it matches REGEX.
status_has() {
    local out
    out=$(lab "$1" status "$2" 2>&1) || return 1
    text_has "$out" "$3"
}

step "broken topologies: FILE:LINE and what is wrong, nothing created"
cat >"$VT_DIR/base.yaml" <<'YAML'
name: bad
underlay: {subnet: 10.0.0.0/8}
hosts:
  hv1: {ip: 10.0.0.1}
  hv2: {ip: 10.1.0.1}
vms:
  vm1: {host: hv1, port: p1, mac: "00:00:00:00:00:01", ip: 192.168.1.1/24}
  vm2: {host: hv2, port: p1, mac: "00:00:00:00:00:02", ip: 192.168.1.2/24}
logical_switches:
  ls0: {key: 5000}
bindings:
  - {host: hv1, port: p1, vlan: 0, ls: ls0}
  - {host: hv2, port: p1, vlan: 0, ls: ls0}
remotes: static
YAML
refused syntax '7s/}$//' \
    "8: while parsing a flow mapping: expected ',' or '}'"
refused unknown-key '/^remotes:/a colour: red' \
    "15: topology: unknown key 'colour'"
refused missing-key '/^underlay:/d' \
    "1: topology: missing key 'underlay'"
refused missing-ip '5s/ip: 10.1.0.1//' \
    "5: hosts.hv2: missing key 'ip'"
refused bad-mac 's/00:00:00:00:00:02/00:00:00:00:00:0g/' \
    "8: vms.vm2.mac: '00:00:00:00:00:0g' is not a MAC address"
refused bad-ip '5s/10.1.0.1/10.1.0.256/' \
    "5: hosts.hv2.ip: '10.1.0.256' is not an IPv4 address"
refused bad-vm-ip '8s#/24##' \
    "8: vms.vm2.ip: '192.168.1.2' is not an IPv4 address with a prefix"
refused bad-vlan '13s/vlan: 0/vlan: 4096/' \
    "13: bindings.vlan: 4096 is out of range \(0 to 4095\)"
refused bad-vni 's/key: 5000/key: 16777216/' \
    "10: logical_switches.ls0.key: 16777216 is out of range"
refused unknown-host '8s/host: hv2/host: hv3/' \
    "8: vms.vm2.host: no host 'hv3'"
refused unknown-ls '13s/ls: ls0/ls: ls1/' \
    "13: bindings.ls: no logical switch 'ls1'"
refused duplicate-key '8s/vm2:/vm1:/' \
    "8: vms: duplicate key 'vm1' \(first at line 7\)"
refused duplicate-name '8s/vm2:/hv2:/' \
    "8: vms.hv2: 'hv2' is already the name of a host \(line 5\)"
refused duplicate-binding '13s/hv2/hv1/' \
    "13: bindings: port p1 VLAN 0 of hv1 is bound already \(line 12\)"
refused controller 's/remotes: static/remotes: controller/' \
    "14: remotes: 'controller' is not supported"

step "classic.yaml: up, status shows both hosts"
lab_up c "$CLASSIC" || fail "vtep-lab up classic.yaml failed"
out=$(lab c status "$CLASSIC") || fail "vtep-lab status failed: $out"
printf '%s\n' "$out"
for h in hv1 hv2; do
    text_has "$out" \
        "^host $h \(tunnel ip [0-9.]+\): namespace $VT_PREFIX-c-$h ok" \
        || fail "status does not show host $h"
done
text_has "$out" "^underlay: namespace $VT_PREFIX-c-underlay ok" \
    || fail "status does not show the underlay"
[ "$(grep -c '^  \(ovsdb-server\|vtepd\): running' <<<"$out")" = 4 ] \
    || fail "status does not show 2 ovsdb-servers and 2 vtepds running"

step "classic.yaml: vm1 and vm2 ping each other (vtep-lab ping)"
ping_through c "$CLASSIC" vm1 vm2
ping_through c "$CLASSIC" vm2 vm1

step "classic.yaml: status shows the learned MACs and the remotes"
wait_until 10 status_has c "$CLASSIC" \
    '^    local  00:00:00:00:00:01 -> vxlan_over_ipv4/10\.0\.0\.1$' \
    || fail "status does not show vm1's MAC learned on hv1"
wait_until 10 status_has c "$CLASSIC" \
    '^    local  00:00:00:00:00:02 -> vxlan_over_ipv4/10\.1\.0\.1$' \
    || fail "status does not show vm2's MAC learned on hv2"
status_has c "$CLASSIC" \
    '^    remote 00:00:00:00:00:02 -> vxlan_over_ipv4/10\.1\.0\.1$' \
    || fail "status does not show hv1's remote for vm2"
lab c status --ping "$CLASSIC" | tee "$VT_DIR/matrix" | tail -n 3
grep -E '^  vm1 +- +ok$' "$VT_DIR/matrix" >/dev/null \
    || fail "the ping matrix does not show vm1 -> vm2"

step "classic.yaml: vtep-lab exec in a VM and in a host"
out=$(lab c exec "$CLASSIC" vm1 ip -o addr show dev eth0) \
    || fail "exec in vm1 failed"
text_has "$out" 'inet 192\.168\.1\.1/24' || fail "vm1's eth0: $out"
[ "$(lab c exec "$CLASSIC" hv1 vtep-ctl list-ps)" = hv1 ] \
    || fail "vtep-ctl in hv1 does not find hv1's database"
lab c exec "$CLASSIC" hv2 ovs-appctl -t vtepd vtepd/show \
    | matches '^Physical_Switch hv2 ' \
    || fail "ovs-appctl in hv2 does not find hv2's vtepd"
if lab c exec "$CLASSIC" vm2 false; then
    fail "exec does not pass the command's failure on"
fi

step "classic.yaml: a second up is refused and leaves the first alone"
if lab c up "$CLASSIC"; then
    fail "a second up with the same state directory worked"
fi
LABS+=("clash $CLASSIC")
if out=$("$VTEP_LAB" --vtepd "$VTEPD" --state-dir "$VT_DIR/lab-clash" \
         --prefix "$VT_PREFIX-c" up "$CLASSIC" 2>&1); then
    fail "an up with namespace names already in use worked"
fi
printf '%s\n' "$out"
text_has "$out" "namespace $VT_PREFIX-c-underlay exists already" \
    || fail "the clash is not reported"
left_nothing clash
lab c status "$CLASSIC" >/dev/null || fail "the first lab is damaged"
wait_until 10 lab_ping_ok c "$CLASSIC" vm1 vm2 \
    || fail "vm1 no longer pings vm2"

step "classic.yaml: down removes every namespace and process"
pidfiles=("$VT_DIR"/lab-c/*/*.pid)
[ ${#pidfiles[@]} = 4 ] || fail "expected 4 pid files: ${pidfiles[*]}"
pids=$(cat "${pidfiles[@]}")
lab c down "$CLASSIC" || fail "vtep-lab down failed"
# (A daemon that exited may stay a zombie, with no command line, until
# init reaps it.)
for pid in $pids; do
    vt_pid_is_ours "$pid" && fail "pid $pid still runs after down"
done
for f in "${pidfiles[@]}"; do
    [ ! -e "$f" ] || fail "$f is still there after down"
done
left_nothing c
if lab c status "$CLASSIC"; then
    fail "status of a lab that is down succeeds"
fi
lab c down "$CLASSIC" | matches 'is not up' || fail "a second down fails"

step "three-hosts.yaml: source_node replication, every VM pings every VM"
lab_up t "$THREE" || fail "vtep-lab up three-hosts.yaml failed"
[ "$(lab t exec "$THREE" hv1 vtep-ctl get Logical_Switch ls0 \
         replication_mode)" = source_node ] \
    || fail "hv1's ls0 is not source_node"
floods=$(lab t exec "$THREE" hv1 bridge fdb show \
             | grep -c '^00:00:00:00:00:00 .* dst ' || true)
[ "$floods" = 2 ] || fail "hv1 floods to $floods hosts, not 2"
for a in vm1 vm2 vm3; do
    for b in vm1 vm2 vm3; do
        [ "$a" = "$b" ] && continue
        wait_until 30 lab_ping_ok t "$THREE" "$a" "$b" \
            || fail "$a cannot ping $b"
    done
done
lab t status --ping "$THREE" | tee "$VT_DIR/matrix" | tail -n 4
[ "$(grep -E '^  vm[123] ' "$VT_DIR/matrix" | grep -ow ok | wc -l)" = 6 ] \
    || fail "the ping matrix is not all ok"
lab t down "$THREE" || fail "vtep-lab down three-hosts.yaml failed"
left_nothing t

step "a VM on VLAN 10 (vlan-access) pings an untagged one across"
cat >"$VT_DIR/vlan.yaml" <<'YAML'
name: vlan
underlay: {subnet: 10.0.0.0/8}
hosts:
  hv1: {ip: 10.0.0.1}
  hv2: {ip: 10.1.0.1}
vms:
  vm1: {host: hv1, port: p1, mac: "00:00:00:00:00:11", ip: 192.168.10.1/24,
        vlan: 10}
  vm2: {host: hv2, port: p1, mac: "00:00:00:00:00:12", ip: 192.168.10.2/24}
logical_switches:
  ls10: {key: 5010}
bindings:
  - {host: hv1, port: p1, vlan: 10, ls: ls10}
  - {host: hv2, port: p1, ls: ls10}
YAML
lab_up v "$VT_DIR/vlan.yaml" || fail "vtep-lab up vlan.yaml failed"
lab v exec "$VT_DIR/vlan.yaml" vm1 ip -o addr show dev eth0.10 \
    | matches 'inet 192\.168\.10\.1/24' || fail "vm1 has no eth0.10"
ping_through v "$VT_DIR/vlan.yaml" vm1 vm2
ping_through v "$VT_DIR/vlan.yaml" vm2 vm1
lab v down "$VT_DIR/vlan.yaml" || fail "vtep-lab down vlan.yaml failed"
left_nothing v

step "an up whose ovsdb-server for hv2 cannot start leaves nothing behind"
mkdir -p "$VT_DIR/bin"
cat >"$VT_DIR/bin/ovsdb-server" <<EOF
#!/bin/sh
# ovsdb-server, except for hv2's database.
case "\$*" in
    */hv2/*) echo "ovsdb-server: hv2 refused by the test" >&2; exit 1 ;;
esac
exec $(command -v ovsdb-server) "\$@"
EOF
chmod +x "$VT_DIR/bin/ovsdb-server"
LABS+=("o $THREE")
if out=$(PATH=$VT_DIR/bin:$PATH lab o up "$THREE" 2>&1); then
    fail "up worked with ovsdb-server failing for hv2"
fi
printf '%s\n' "$out"
text_has "$out" 'ovsdb-server for hv2 did not start.*removed everything' \
    || fail "the failure is not reported"
left_nothing o

step "an up whose vtepd for hv2 cannot start leaves nothing behind"
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
LABS+=("h $THREE")
if out=$(lab h up --vtepd "$VT_DIR/vtepd-no-hv2" "$THREE" 2>&1); then
    fail "up worked with vtepd failing for hv2"
fi
printf '%s\n' "$out"
text_has "$out" 'vtepd for hv2 did not start.*removed everything' \
    || fail "the failure is not reported"
left_nothing h

echo "PASS: vtep-lab"
