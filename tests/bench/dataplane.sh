#!/bin/bash
# tests/bench/dataplane.sh -- TCP throughput through vtepd's kernel
# datapath, hand-configured kernel VXLAN, and ovs-vtep.
#
# Usage: tests/bench/dataplane.sh [-r RUNS] [-d SECONDS] [-n]
#        (defaults: 3 runs of 10 s for each set-up; -n: without ovs-vtep)
#
# The classic two-host lab (tests/system/lib.sh): hv1 (10.0.0.1) and hv2
# (10.1.0.1) on one underlay bridge (MTU 1600), vm1 (192.168.1.1) behind
# hv1's p1 and vm2 (192.168.1.2) behind hv2's p1, logical switch ls0 with
# tunnel key 5000.  iperf3 sends TCP from vm1 to vm2 (one stream, SECONDS
# long) through each of:
#
#   vtepd    hv1 and hv2 run vtepd, configured with vtep-ctl (the remote
#            MAC of the other VM and the unknown-dst flood entry);
#   kernel   the same namespaces, vtepd stopped and its devices and tc
#            programs deleted, then by hand what vtepd makes: a bridge
#            (no multicast snooping), a VXLAN device (VNI 5000, UDP 4789,
#            no learning, no UDP checksum) and p1 in it, the other VM's MAC
#            and the flood entry in the VXLAN FDB;
#   ovs-vtep two more hosts, ov1 (10.2.0.1) and ov2 (10.3.0.1), on the same
#            underlay, each Open vSwitch on the userspace datapath (the
#            kernels this runs on need not have the openvswitch module)
#            with Debian's ovs-vtep (tests/system/lib-ovs.sh), VMs ovm1
#            and ovm2, configured the same way; the VMs compute their TCP
#            checksums (ethtool -K eth0 tx off), which OVS 3.1's userspace
#            datapath would otherwise send out unfinished.
#
# vtepd and kernel alternate, run after run, so that other load on the
# machine affects both alike; ovs-vtep's runs come last.  The script prints
# the median (and the range) of each, in Gbit/s as iperf3's receiver
# counted it, and the ratios vtepd / kernel and vtepd / ovs-vtep.
#
# Prints figures; it is not a pass/fail test (it exits non-zero only if
# something did not happen at all).  Needs root, iperf3 and, for ovs-vtep,
# ethtool.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=../system/lib.sh
. "$(dirname "$0")/../system/lib.sh"
# shellcheck source-path=SCRIPTDIR source=../system/lib-ovs.sh
. "$(dirname "$0")/../system/lib-ovs.sh"
# shellcheck source-path=SCRIPTDIR source=bench-lib.sh
. "$(dirname "$0")/bench-lib.sh"

runs=3
secs=10
with_ovs=1
while getopts r:d:nh opt; do
    case $opt in
        r) runs=$OPTARG ;;
        d) secs=$OPTARG ;;
        n) with_ovs=0 ;;
        *) sed -n '5,6s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
[ $# = 0 ] || fail "unexpected arguments: $*"
bench_sizes "$runs" "$secs"
bench_init
command -v iperf3 >/dev/null 2>&1 || fail "iperf3 not found"
if [ "$with_ovs" = 1 ]; then
    command -v ethtool >/dev/null 2>&1 || fail "ethtool not found"
fi

# iperf_run VM SERVER-VM IP TAG: one iperf3 run from VM to IP (SERVER-VM's,
# where an iperf3 server runs); appends the receiver's Gbit/s to
# $VT_DIR/TAG.gbps.
iperf_run() {
    local vm=$1 ip=$3 tag=$4 json=$VT_DIR/$4.json
    on "$vm" iperf3 -c "$ip" -t "$secs" -J >"$json" 2>&1 \
        || fail "iperf3 $vm -> $ip ($tag) failed: $(tail -n 5 "$json")"
    python3 - "$json" >>"$VT_DIR/$tag.gbps" <<'EOF' || fail "$vm -> $ip ($tag)"
import json, sys
r = json.load(open(sys.argv[1]))
if "sum_received" not in r.get("end", {}):
    sys.exit("iperf3: %s" % r.get("error", "no result"))
print("%.3f" % (r["end"]["sum_received"]["bits_per_second"] / 1e9))
EOF
    vt_log "$tag: $(tail -n 1 "$VT_DIR/$tag.gbps") Gbit/s"
}

# iperf_server VM: an iperf3 server in VM, in the background.
iperf_server() {
    start_bg "iperf-$1" "$1" iperf3 -s --forceflush
    wait_until 10 grep -qs 'Server listening' "$VT_DIR/iperf-$1.out" \
        || fail "iperf3 server in $1 did not start"
}

# stats TAG: "median min max" of $VT_DIR/TAG.gbps.
stats() {
    sort -n "$VT_DIR/$1.gbps" \
        | awk '{ v[NR] = $1 } END {
                   if (NR % 2) m = v[(NR + 1) / 2]
                   else m = (v[NR / 2] + v[NR / 2 + 1]) / 2
                   printf "%.2f %.2f %.2f\n", m, v[1], v[NR] }'
}

# kernel_vxlan HOST TUNNEL_IP REMOTE_IP REMOTE_MAC: by hand, on HOST, what
# vtepd makes for ls0 bound to p1.
kernel_vxlan() {
    local h=$1 n
    n=$(ns "$1")
    ip -n "$n" link add br0 type bridge mcast_snooping 0
    ip -n "$n" link add vxlan0 type vxlan id 5000 local "$2" dstport 4789 \
        nolearning noudpcsum || fail "cannot make $h's vxlan0"
    ip -n "$n" link set dev vxlan0 master br0
    bridge -n "$n" link set dev vxlan0 learning off
    ip -n "$n" link set dev p1 master br0
    ip -n "$n" link set dev vxlan0 up
    ip -n "$n" link set dev br0 up
    bridge -n "$n" fdb append 00:00:00:00:00:00 dev vxlan0 dst "$3"
    bridge -n "$n" fdb add "$4" dev vxlan0 dst "$3" self permanent
    bridge -n "$n" fdb add "$4" dev vxlan0 master static
}

# to_kernel: stops the vtepds, deletes what they made, sets up kernel_vxlan.
to_kernel() {
    local h dev
    for h in hv1 hv2; do
        stop_vtepd "$h"
        for dev in $(ls_netdevs "$h" 2>/dev/null); do
            ip -n "$(ns "$h")" link del dev "$dev" 2>/dev/null || true
        done
        on "$h" tc qdisc del dev p1 clsact 2>/dev/null || true
    done
    kernel_vxlan hv1 10.0.0.1 10.1.0.1 00:00:00:00:00:02
    kernel_vxlan hv2 10.1.0.1 10.0.0.1 00:00:00:00:00:01
    classic_ping
}

# to_vtepd: deletes the hand-made devices and starts the vtepds again.
to_vtepd() {
    local h
    for h in hv1 hv2; do
        ip -n "$(ns "$h")" link set dev p1 nomaster
        ip -n "$(ns "$h")" link del dev vxlan0
        ip -n "$(ns "$h")" link del dev br0
        start_vtepd "$h" "$h" "-vfile:$BENCH_LOG"
    done
    classic_ping
}

step "classic lab: hv1, hv2, vm1, vm2, vtepd on both"
classic_hosts
start_ovsdb hv1
start_ovsdb hv2
configure_vtep hv1 hv1 10.0.0.1 p1 ls0 5000 00:00:00:00:00:02 10.1.0.1
configure_vtep hv2 hv2 10.1.0.1 p1 ls0 5000 00:00:00:00:00:01 10.0.0.1
start_vtepd hv1 hv1 "-vfile:$BENCH_LOG"
start_vtepd hv2 hv2 "-vfile:$BENCH_LOG"
classic_ping
iperf_server vm2

for ((i = 1; i <= runs; i++)); do
    step "run $i of $runs: vtepd"
    iperf_run vm1 vm2 192.168.1.2 vtepd
    step "run $i of $runs: kernel VXLAN by hand"
    to_kernel
    iperf_run vm1 vm2 192.168.1.2 kernel
    if [ "$i" -lt "$runs" ]; then
        to_vtepd
    fi
done

if [ "$with_ovs" = 1 ]; then
    step "ovs-vtep: ov1 (10.2.0.1) and ov2 (10.3.0.1), ovm1 and ovm2"
    for n in 1 2; do
        add_host "ov$n" "10.$((n + 1)).0.1/8"
        add_vm "ovm$n" "ov$n" p1 "00:00:00:00:00:0$n" "192.168.1.$n/24"
        ovs_vtep_host "ov$n" "10.$((n + 1)).0.1/8" p1
    done
    # OVS 3.1's userspace datapath does not complete the checksums that a
    # veth leaves to offloading (it sends such TCP segments into the tunnel
    # with bad checksums, and connections never open), so the VMs compute
    # them.
    for n in 1 2; do
        on "ovm$n" ethtool -K eth0 tx off >/dev/null \
            || fail "cannot turn off ovm$n's checksum offloading"
    done
    configure_ls ov1 ov1 p1 0 ls0 5000 00:00:00:00:00:02 10.3.0.1
    configure_ls ov2 ov2 p1 0 ls0 5000 00:00:00:00:00:01 10.2.0.1
    wait_until 60 ping_ok ovm1 192.168.1.2 \
        || fail "ovm1 cannot ping ovm2 through ovs-vtep"
    iperf_server ovm2
    for ((i = 1; i <= runs; i++)); do
        step "run $i of $runs: ovs-vtep"
        iperf_run ovm1 ovm2 192.168.1.2 ovs-vtep
    done
fi

read -r v_med v_min v_max <<<"$(stats vtepd)"
read -r k_med k_min k_max <<<"$(stats kernel)"
printf '\ndata plane: iperf3 TCP, one stream, vm1 -> vm2 through VXLAN '
printf '(VNI 5000), %d runs of %d s each, Gbit/s (receiver)\n' "$runs" "$secs"
printf '%s\n\n' "$(bench_machine)"
printf '%-10s %8s %8s %8s\n' '' median min max
printf '%-10s %8s %8s %8s\n' vtepd "$v_med" "$v_min" "$v_max"
printf '%-10s %8s %8s %8s\n' kernel "$k_med" "$k_min" "$k_max"
if [ "$with_ovs" = 1 ]; then
    read -r o_med o_min o_max <<<"$(stats ovs-vtep)"
    printf '%-10s %8s %8s %8s\n' ovs-vtep "$o_med" "$o_min" "$o_max"
fi
printf '\nvtepd / kernel VXLAN by hand: %s (medians)\n' \
    "$(awk -v a="$v_med" -v b="$k_med" 'BEGIN { printf "%.3f", a / b }')"
if [ "$with_ovs" = 1 ]; then
    printf 'vtepd / ovs-vtep (userspace datapath): %s\n' \
        "$(awk -v a="$v_med" -v b="$o_med" 'BEGIN { printf "%.1f", a / b }')"
fi
printf 'runs, in order: vtepd %s; kernel %s\n' \
    "$(tr '\n' ' ' <"$VT_DIR/vtepd.gbps")" \
    "$(tr '\n' ' ' <"$VT_DIR/kernel.gbps")"
