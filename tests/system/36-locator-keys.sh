#!/bin/bash
# 36-locator-keys.sh -- Physical_Locator tunnel_key: the key-per-tunnel
# model of vtep(5).
#
# Three hypervisors hv1 (10.0.0.1), hv2 (10.1.0.1), hv3 (10.2.0.1), one VM
# each, and ls0 without a tunnel_key anywhere.  The keys are on the
# locators:
#   hv1: vm2 behind (10.1.0.1, key 6002), vm3 behind (10.2.0.1, key 6003),
#        unknown-dst to both (source_node);
#   hv2: vm1 behind (10.0.0.1, key 6002), unknown-dst to it;
#   hv3: vm1 behind (10.0.0.1, key 6002), unknown-dst to it and to hv3's
#        own locator with key 6003.
# A switch sends to each locator with that locator's key, and receives on
# the key of its own locator if a row names one (hv3: 6003), else on the
# lowest key of its locators (hv1 and hv2: 6002); the Ucast_Macs_Local rows
# it writes carry that own locator.  vm1 pings vm2 and vm3, and the
# underlay shows each VNI.  A restart adopts the keys without changing an
# entry; changing a locator's key moves the traffic to the new VNI.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
vt_init

# keyed_ls HOST TUNNEL_IP: HOST's switch with port p1 bound to ls0, which
# has no tunnel_key.
keyed_ls() {
    vtctl "$1" add-ps "$1"
    vtctl "$1" set Physical_Switch "$1" tunnel_ips="$2"
    vtctl "$1" add-port "$1" p1
    vtctl "$1" add-ls ls0
    vtctl "$1" bind-ls "$1" p1 0 ls0
}

# keyed_locator HOST IP KEY: the uuid of HOST's Physical_Locator for IP
# with tunnel_key KEY, or nothing.
keyed_locator() {
    vtq "$1" --bare --columns=_uuid find Physical_Locator dst_ip="$2" \
        tunnel_key="$3"
}

# locator_ref HOST IP KEY ID: sets 'ref' to the uuid of HOST's locator (IP,
# KEY), or, if there is none, to @ID and appends to 'create' the vtep-ctl
# command that creates it in the same transaction (a locator that no row
# refers to would not last).
locator_ref() {
    ref=$(keyed_locator "$1" "$2" "$3")
    if [ -z "$ref" ]; then
        ref=@$4
        create+=(-- "--id=@$4" create Physical_Locator dst_ip="$2"
                 encapsulation_type=vxlan_over_ipv4 tunnel_key="$3")
    fi
}

# keyed_remote HOST MAC IP KEY: Ucast_Macs_Remote MAC of ls0 behind (IP,
# KEY) in HOST's database.
keyed_remote() {
    local ref create=()
    locator_ref "$1" "$3" "$4" l
    vtctl "$1" "${create[@]}" -- create Ucast_Macs_Remote MAC="\"$2\"" \
        logical_switch="$(vtq "$1" get Logical_Switch ls0 _uuid)" \
        locator="$ref" >/dev/null
}

# keyed_flood HOST IP:KEY...: the unknown-dst Mcast_Macs_Remote of ls0 in
# HOST's database, to the locators IP with tunnel_key KEY.
keyed_flood() {
    local host=$1 refs=() ref create=() l n=0
    shift
    for l; do
        locator_ref "$host" "${l%:*}" "${l#*:}" "l$((n++))"
        refs+=("$ref")
    done
    vtctl "$host" "${create[@]}" -- --id=@s create Physical_Locator_Set \
        "locators=[$(IFS=,; echo "${refs[*]}")]" \
        -- create Mcast_Macs_Remote MAC=unknown-dst \
        logical_switch="$(vtq "$host" get Logical_Switch ls0 _uuid)" \
        locator_set=@s >/dev/null
}

# local_mac_key HOST MAC: the tunnel_key of the locator of HOST's
# Ucast_Macs_Local row for MAC.
local_mac_key() {
    local loc
    loc=$(vtq "$1" --bare --columns=locator find Ucast_Macs_Local \
              MAC="\"$2\"") || return 1
    [ -n "$loc" ] || return 1
    vtq "$1" get Physical_Locator "$loc" tunnel_key
}

local_mac_key_is() {
    [ "$(local_mac_key "$1" "$2")" = "$3" ]
}

# dump_has HOST LINE: HOST's vtepd/dump-macs ls0 has LINE (a regex).
dump_has() {
    appctl "$1" vtepd/dump-macs ls0 | grep -Eq -- "$2"
}

# vni_seen TAG SRC DST VNI: capture TAG has VXLAN from SRC to DST with VNI.
vni_seen() {
    capture_has "$1" "${2//./\\.}\\.[0-9]+ > ${3//./\\.}\\.4789: VXLAN.*vni $4 "
}

step "three hypervisors, ls0 keyed on the locators only"
three_hosts
keyed_ls hv1 10.0.0.1
vtctl hv1 set Logical_Switch ls0 replication_mode=source_node
keyed_remote hv1 00:00:00:00:00:02 10.1.0.1 6002
keyed_remote hv1 00:00:00:00:00:03 10.2.0.1 6003
keyed_flood hv1 10.1.0.1:6002 10.2.0.1:6003
keyed_ls hv2 10.1.0.1
keyed_remote hv2 00:00:00:00:00:01 10.0.0.1 6002
keyed_flood hv2 10.0.0.1:6002
keyed_ls hv3 10.2.0.1
keyed_remote hv3 00:00:00:00:00:01 10.0.0.1 6002
keyed_flood hv3 10.0.0.1:6002 10.2.0.1:6003
for h in hv1 hv2 hv3; do
    start_vtepd "$h" "$h"
done

step "each switch receives on its key"
wait_until 10 has_vxlan_id hv1 6002 || fail "hv1's VNIs: $(vxlan_ids hv1)"
wait_until 10 has_vxlan_id hv2 6002 || fail "hv2's VNIs: $(vxlan_ids hv2)"
wait_until 10 has_vxlan_id hv3 6003 || fail "hv3's VNIs: $(vxlan_ids hv3)"
show_has hv1 '^  Logical_Switch ls0: VNI 6002,' \
    || fail "hv1's vtepd/show: $(appctl hv1 vtepd/show)"
wait_until 10 dump_has hv1 '^remote 00:00:00:00:00:03 dst 10\.2\.0\.1 vni 6003$' \
    || fail "hv1's vm3 entry: $(appctl hv1 vtepd/dump-macs ls0)"
dump_has hv1 '^remote 00:00:00:00:00:02 dst 10\.1\.0\.1$' \
    || fail "hv1's vm2 entry: $(appctl hv1 vtepd/dump-macs ls0)"
dump_has hv1 '^flood  dst 10\.2\.0\.1 vni 6003$' \
    || fail "hv1's flood to hv3: $(appctl hv1 vtepd/dump-macs ls0)"
bridge -n "$(ns hv1)" fdb show | grep -E '^00:00:00:00:00:03 .*dst 10\.2\.0\.1 .*vni 6003' \
    || fail "the kernel has no VNI 6003 for vm3: $(bridge -n "$(ns hv1)" fdb show | grep dst)"
switch_faults_are hv1 hv1 "" || fail "hv1's faults: $(switch_faults hv1 hv1)"

step "vm1 reaches vm2 and vm3; the underlay carries each key"
start_capture hv1 ul0 keys udp port 4789
wait_until 30 ping_ok vm1 192.168.1.2 || fail "vm1 cannot ping vm2"
wait_until 30 ping_ok vm1 192.168.1.3 || fail "vm1 cannot ping vm3"
ping3 vm2 192.168.1.1
ping3 vm3 192.168.1.1
wait_until 10 vni_seen keys 10.0.0.1 10.2.0.1 6003 \
    || fail "no VNI 6003 from hv1 to hv3: $(decode keys | tail -n 4)"
wait_until 10 vni_seen keys 10.2.0.1 10.0.0.1 6002 \
    || fail "no VNI 6002 from hv3 to hv1: $(decode keys | tail -n 4)"
wait_until 10 vni_seen keys 10.0.0.1 10.1.0.1 6002 \
    || fail "no VNI 6002 from hv1 to hv2: $(decode keys | tail -n 4)"
stop_capture keys
capture_vnis keys

step "the switches advertise their MACs with their own keyed locator"
wait_until 10 local_mac_key_is hv3 00:00:00:00:00:03 6003 \
    || fail "hv3's vm3 row has locator key '$(local_mac_key hv3 00:00:00:00:00:03)'"
wait_until 10 local_mac_key_is hv1 00:00:00:00:00:01 6002 \
    || fail "hv1's vm1 row has locator key '$(local_mac_key hv1 00:00:00:00:00:01)'"
vtctl hv3 list-local-macs ls0

step "a restart adopts the keyed entries as they are"
stop_vtepd hv1
start_vtepd hv1 hv1
wait_until 10 grep -q ': adopted ' "$VT_DIR/hv1-vtepd.log" \
    || fail "hv1's vtepd adopted nothing"
ping3 vm1 192.168.1.3
log_since_adopted hv1 | matches ': (mac|flood)-(add|del) ' \
    && fail "the restarted vtepd reprogrammed entries"

step "a new key on both ends moves hv1-hv3 traffic to it"
vtctl hv1 set Physical_Locator "$(keyed_locator hv1 10.2.0.1 6003)" \
    tunnel_key=6004
vtctl hv3 set Physical_Locator "$(keyed_locator hv3 10.2.0.1 6003)" \
    tunnel_key=6004
wait_until 10 has_vxlan_id hv3 6004 || fail "hv3's VNIs: $(vxlan_ids hv3)"
wait_until 10 dump_has hv1 '^remote 00:00:00:00:00:03 dst 10\.2\.0\.1 vni 6004$' \
    || fail "hv1's vm3 entry: $(appctl hv1 vtepd/dump-macs ls0)"
dump_has hv1 '^flood  dst 10\.2\.0\.1 vni 6004$' \
    || fail "hv1's flood to hv3: $(appctl hv1 vtepd/dump-macs ls0)"
start_capture hv1 ul0 newkey udp port 4789
on vm1 ip neigh flush all
wait_until 30 ping_ok vm1 192.168.1.3 || fail "vm1 cannot ping vm3"
wait_until 10 vni_seen newkey 10.0.0.1 10.2.0.1 6004 \
    || fail "no VNI 6004 from hv1 to hv3: $(decode newkey | tail -n 4)"
stop_capture newkey
vni_seen newkey 10.0.0.1 10.2.0.1 6003 && fail "hv1 still sends VNI 6003"
wait_until 10 local_mac_key_is hv3 00:00:00:00:00:03 6004 \
    || fail "hv3's vm3 row has locator key '$(local_mac_key hv3 00:00:00:00:00:03)'"

step "a key out of range is a fault"
vtctl hv2 set Physical_Locator "$(keyed_locator hv2 10.0.0.1 6002)" \
    tunnel_key=16777216
wait_until 10 switch_faults_are hv2 hv2 "locator_key_invalid unspecified_fault" \
    || fail "hv2's faults: $(switch_faults hv2 hv2)"

step "vtepds still running"
for h in hv1 hv2 hv3; do
    vtepd_alive "$h" || fail "$h's vtepd died"
done
echo "PASS: locator-keys"
