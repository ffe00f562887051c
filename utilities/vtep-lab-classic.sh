#!/bin/bash
# utilities/vtep-lab-classic.sh -- the classic two-hypervisor vtepd lab.
#
# Usage: utilities/vtep-lab-classic.sh [--keep]
#        utilities/vtep-lab-classic.sh --down
#
# Builds, in network namespaces, two hypervisors on one underlay segment:
#
#   lab-hv1  10.0.0.1/8   vm1 (lab-vm1) 00:00:00:00:00:01 192.168.1.1/24 on p1
#   lab-hv2  10.1.0.1/8   vm2 (lab-vm2) 00:00:00:00:00:02 192.168.1.2/24 on p1
#   lab-underlay          the bridge between them
#
# Each hypervisor runs an ovsdb-server with the hardware_vtep database and a
# vtepd playing the physical switch of the same name, configured with
# vtep-ctl the drop-in way (logical switch ls0, tunnel key 5000).  The script
# shows each vtep-ctl command, pings vm1 -> vm2 and vm2 -> vm1, shows both
# switches' "vtep-ctl list-local-macs ls0" and "vtepd/show", then tears
# everything down.  With --keep it leaves the lab running and tells how to
# use it and take it down (--down).  Running it again first removes what a
# previous --keep run left (the names are fixed), so it can be run any
# number of times in a row.  Needs root and a built vtepd (vtepd/vtepd, or
# $VTEPD).  State lives in $VTEP_LAB_DIR (default /run/vtepd-lab).
set -eu -o pipefail

keep=0
down=0
case ${1:-} in
    '') ;;
    --keep) keep=1 ;;
    --down) down=1 ;;
    -h|--help)
        sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//'
        exit 0
        ;;
    *)
        echo "usage: $0 [--keep | --down]" >&2
        exit 2
        ;;
esac

VT_PREFIX=lab
VT_DIR=${VTEP_LAB_DIR:-/run/vtepd-lab}
# shellcheck source-path=SCRIPTDIR source=../tests/system/lib.sh
. "$(dirname "$0")/../tests/system/lib.sh"

LAB_NAMES=(vm1 vm2 hv1 hv2 underlay)

# lab_down: removes whatever a lab run left: its daemons (by their pid files
# in $VT_DIR, if the pid still runs a command naming $VT_DIR), its
# namespaces (by their fixed names) and $VT_DIR.  Sets LAB_FOUND to 1 if
# there was anything to remove.
LAB_FOUND=0
lab_down() {
    local f name n
    LAB_FOUND=0
    for f in "$VT_DIR"/*-vtepd.pid "$VT_DIR"/*-ovsdb.pid; do
        [ -f "$f" ] || continue
        LAB_FOUND=1
        vt_kill_pidfile "$f"
    done
    for name in "${LAB_NAMES[@]}"; do
        n=$(ns "$name")
        if vt_ns_exists "$n"; then
            LAB_FOUND=1
            ip netns del "$n"
        fi
    done
    if [ -d "$VT_DIR" ]; then
        LAB_FOUND=1
        rm -rf "$VT_DIR"
    fi
}

vt_require_root
lab_down
if [ "$down" = 1 ]; then
    if [ "$LAB_FOUND" = 1 ]; then
        echo "lab torn down"
    else
        echo "no lab was up"
    fi
    exit 0
fi
if [ "$LAB_FOUND" = 1 ]; then
    echo "(removed the leftovers of a previous lab)"
fi
vt_init

# show CMD...: prints CMD, then runs it.
show() {
    printf '$ %s\n' "$*"
    "$@"
}

echo "=== namespaces: lab-hv1, lab-hv2, lab-vm1, lab-vm2, lab-underlay"
classic_hosts

echo
echo "=== hardware_vtep databases and their configuration (vtep-ctl)"
start_ovsdb hv1
start_ovsdb hv2
VT_VERBOSE=1
configure_vtep hv1 hv1 10.0.0.1 p1 ls0 5000 00:00:00:00:00:02 10.1.0.1
configure_vtep hv2 hv2 10.1.0.1 p1 ls0 5000 00:00:00:00:00:01 10.0.0.1
VT_VERBOSE=0

echo
echo "=== vtepd on each hypervisor ($VTEPD)"
start_vtepd hv1 hv1
start_vtepd hv2 hv2
echo "vtepd hv1: pid $(cat "$VT_DIR/hv1-vtepd.pid"), log $VT_DIR/hv1-vtepd.log"
echo "vtepd hv2: pid $(cat "$VT_DIR/hv2-vtepd.pid"), log $VT_DIR/hv2-vtepd.log"

echo
echo "=== ping vm1 -> vm2 and vm2 -> vm1"
wait_until 30 ping_ok vm1 192.168.1.2 || fail "vm1 cannot reach vm2"
# Forget the neighbours so that the pings below start with ARP, and watch
# hv1's underlay link meanwhile.
ip -n "$(ns vm1)" neigh flush all
ip -n "$(ns vm2)" neigh flush all
start_capture hv1 ul0 underlay udp port 4789
echo "\$ ip netns exec $(ns vm1) ping -c 3 -W 1 192.168.1.2"
ping3 vm1 192.168.1.2
echo "\$ ip netns exec $(ns vm2) ping -c 3 -W 1 192.168.1.1"
ping3 vm2 192.168.1.1
stop_capture underlay

echo
echo "=== the underlay (hv1's ul0): VXLAN on UDP 4789, ARP first"
decode underlay | grep -E 'ARP|ICMP echo' \
    | sed -n '1,4{s/ | /\n      /g;p}'
capture_has underlay 'UDP.*\.4789: VXLAN.*vni 5000.*ARP' \
    || fail "no ARP inside VXLAN VNI 5000 on the underlay"

echo
echo "=== what the switches learned"
wait_until 10 has_local_mac hv1 ls0 00:00:00:00:00:01 \
    || fail "hv1 did not learn vm1's MAC"
wait_until 10 has_local_mac hv2 ls0 00:00:00:00:00:02 \
    || fail "hv2 did not learn vm2's MAC"
for h in hv1 hv2; do
    echo "[$h]\$ vtep-ctl list-local-macs ls0"
    vtq "$h" list-local-macs ls0
done
for h in hv1 hv2; do
    echo "[$h]\$ ovs-appctl -t $VT_DIR/$h-vtepd.ctl vtepd/show"
    appctl "$h" vtepd/show
done

if [ "$keep" = 1 ]; then
    VT_NO_CLEANUP=1
    cat <<EOF

=== the lab stays up
  ip netns exec $(ns vm1) ping 192.168.1.2
  vtep-ctl --db=unix:$VT_DIR/hv1.sock show
  ovs-appctl -t $VT_DIR/hv1-vtepd.ctl vtepd/dump-macs ls0
  ip netns exec $(ns hv1) bridge fdb show
  logs: $VT_DIR/*.log
Tear it down with: $0 --down
EOF
else
    echo
    echo "=== tearing the lab down (--keep leaves it up)"
fi
