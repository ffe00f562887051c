#!/bin/bash
# tests/bench/local-learning.sh -- how fast learned MACs reach the database.
#
# Usage: tests/bench/local-learning.sh [-t TRIALS] [-g GAP] [-r REMOTE]
#            [-o MAX] [-T TRIALS] [N...]
#        (defaults: 100 trials 50 ms apart, no remote MACs, bursts of 1000
#        and 10000; ovs-vtep: 20 trials, bursts up to 1000)
#
# One host namespace runs ovsdb-server (hardware_vtep) and vtepd (linux
# datapath); logical switch ls0 (tunnel key 5000) is bound to port p1,
# whose veth peer is eth0 of a VM namespace.  From the VM, with a raw
# socket (tests/bench/vtepbench.py):
#
#   - TRIALS times, one frame from a fresh source MAC, GAP ms apart: the
#     time from sending it until its Ucast_Macs_Local row appears;
#   - for each N, N frames from N fresh source MACs as fast as the socket
#     takes them: the time until all N rows are there; then the binding is
#     removed (one transaction) and the time until every Ucast_Macs_Local
#     row is gone is measured; the binding is then restored.
#
# The rows are followed with an OVSDB monitor ("monitor" request, update
# notifications with the arrival time of each row), so nothing is polled.
# Measurements start once vtepd is idle (used no CPU time for 0.5 s), and
# so does each burst after the binding was restored.
#
# With -r REMOTE, ls0 first gets REMOTE Ucast_Macs_Remote rows (one
# transaction, 100 locators), to show what a large remote table costs the
# learning path.  Unbinding then also takes the logical switch, and with it
# the REMOTE entries, out of the kernel (a logical switch is only there
# while bound), which "gone" includes; rebinding installs them again before
# the next burst starts.
#
# Then vtepd is stopped and the same is measured with OVS's ovs-vtep
# (Debian's openvswitch-vtep, on an ovs-vswitchd with the userspace
# datapath, in host and VM namespaces of its own set up like vtepd's): it
# learns a source MAC with an OpenFlow "learn" flow in its bridge for ls0,
# reads those flows once a second and adds each new MAC with "vtep-ctl
# add-ucast-local".  It is slow, so it gets -T TRIALS single MACs (default
# 20) and only the bursts of at most MAX MACs (-o, default 1000; -o 0:
# vtepd only; never with -r).  ovs-vtep is never idle (it polls every
# second), so its measurements start once its learning flow is in place
# (after a rebinding: in the new bridge it makes) and 2 s have passed.
# Its bursts are paced to 2,000 frames per second: ovs-vswitchd's
# userspace datapath reads p1 through a socket that holds only a few
# hundred frames and drops the rest of a burst sent at full speed.
#
# Prints figures; it is not a pass/fail test (it exits non-zero only if
# something did not happen at all).  Needs root.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=../system/lib.sh
. "$(dirname "$0")/../system/lib.sh"
# shellcheck source-path=SCRIPTDIR source=bench-lib.sh
. "$(dirname "$0")/bench-lib.sh"

trials=100
gap=50
remote=0
ovs_max=1000
ovs_trials=20
# ovs-vswitchd's userspace datapath reads p1 through a socket whose buffer
# holds a few hundred frames: its bursts are paced to this many frames per
# second, or most of them would be dropped before ovs-vtep sees them.
ovs_rate=2000
while getopts t:g:r:o:T:h opt; do
    case $opt in
        t) trials=$OPTARG ;;
        g) gap=$OPTARG ;;
        r) remote=$OPTARG ;;
        o) ovs_max=$OPTARG ;;
        T) ovs_trials=$OPTARG ;;
        *) sed -n '4,7s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
if [ $# -gt 0 ]; then
    sizes=("$@")
else
    sizes=(1000 10000)
fi
bench_sizes "${sizes[@]}"
case $trials in *[!0-9]* | '') fail "-t: not a number: '$trials'" ;; esac
case $remote in *[!0-9]* | '') fail "-r: not a number: '$remote'" ;; esac
case $gap in *[!0-9]* | '') fail "-g: not a number of ms: '$gap'" ;; esac
case $ovs_max in *[!0-9]* | '') fail "-o: not a number: '$ovs_max'" ;; esac
case $ovs_trials in
    *[!0-9]* | '') fail "-T: not a number: '$ovs_trials'" ;;
esac
if [ "$remote" -gt 0 ]; then
    ovs_max=0
fi
ovs_sizes=()
for n in "${sizes[@]}"; do
    if [ "$n" -le "$ovs_max" ]; then
        ovs_sizes+=("$n")
    fi
done
gap_s=$(awk -v g="$gap" 'BEGIN { print g / 1000 }')
bench_init

# rx_dropped HOST: frames dropped on receipt by HOST's p1.
rx_dropped() {
    ip -n "$(ns "$1")" -s -j link show dev p1 | python3 -c \
        'import json,sys; print(json.load(sys.stdin)[0]["stats64"]["rx"]["dropped"])'
}

step "namespaces hv1 and vm1, database, ls0 bound to p1, vtepd"
bench_hosts
bench_configure
ls_uuid=$(bench_ls_uuid)
db=unix:$VT_DIR/hv1.sock
bench_start_vtepd
vpid=$(bench_pid vtepd)
opid=$(bench_pid ovsdb)

if [ "$remote" -gt 0 ]; then
    step "$remote remote MACs in ls0"
    python3 "$BENCH_PY" remote-txn --ls-uuid "$ls_uuid" --n "$remote" \
        --locators 100 --out "$VT_DIR/remote.json"
    on hv1 python3 "$BENCH_PY" remote-run --db "$db" \
        --txn "$VT_DIR/remote.json" --vxlan "$(bench_vxlan)" --n "$remote" \
        --mode insert --timeout $((60 + remote / 250)) >"$VT_DIR/remote.out" \
        || fail "the remote MACs did not reach the kernel"
fi

timeout_s=$((60 + ${sizes[-1]} / 100))
step "$trials single MACs, then bursts of ${sizes[*]} MACs"
on vm1 python3 "$BENCH_PY" learn --db "$db" --ifname eth0 \
    --trials "$trials" --gap "$gap_s" \
    --bursts "${sizes[@]}" --port p1 --ls-uuid "$ls_uuid" \
    --timeout "$timeout_s" --pid "$vpid" --pid "$opid" \
    >"$VT_DIR/learn.out" || fail "learning benchmark failed"
out=$VT_DIR/learn.out
rx_dropped=$(rx_dropped hv1)
rss=$(bench_rss_mib "$vpid")
lost=$(bench_log_count 0 'notifications lost')

if [ "$ovs_trials" -gt 0 ] || [ ${#ovs_sizes[@]} -gt 0 ]; then
    step "ovs-vtep: vtepd stopped; hosts ov1 and ovm1, Open vSwitch, ovs-vtep"
    stop_vtepd hv1
    bench_ovs_start
    mapfile -t ovs_pids < <(bench_ovs_pids)
    step "ovs-vtep: $ovs_trials single MACs, then bursts of" \
        "${ovs_sizes[*]:-no} MACs"
    ovs_timeout=60
    if [ ${#ovs_sizes[@]} -gt 0 ]; then
        ovs_timeout=$((60 + ${ovs_sizes[-1]} / 10))
    fi
    on ovm1 python3 "$BENCH_PY" learn --db "unix:$VT_DIR/ov1.sock" \
        --ifname eth0 --trials "$ovs_trials" --gap "$gap_s" \
        --bursts "${ovs_sizes[@]}" --port p1 \
        --ls-uuid "$(vtq ov1 get Logical_Switch ls0 _uuid)" \
        --timeout "$ovs_timeout" --ready "$(bench_ovs_ready_cmd)" \
        --settle 2 --rate "$ovs_rate" --pid "${ovs_pids[0]}" \
        --pid "${ovs_pids[1]}" --pid "${ovs_pids[2]}" \
        >"$VT_DIR/ovs-learn.out" \
        || fail "learning benchmark with ovs-vtep failed"
    ovs_out=$VT_DIR/ovs-learn.out
    ovs_rx_dropped=$(rx_dropped ov1)
fi

# trials_table OUT TRIALS: the single MAC figures of learn output OUT.
trials_table() {
    local out=$1
    printf '\nsingle MACs (%s trials, %s ms apart), ms:\n' \
        "$(bench_json "$out" trials.n)" "$gap"
    printf '  %8s %8s %8s %8s %8s %8s\n' min p50 p90 p99 max mean
    printf '  %8s %8s %8s %8s %8s %8s\n' \
        "$(bench_json "$out" trials.min_ms)" \
        "$(bench_json "$out" trials.p50_ms)" \
        "$(bench_json "$out" trials.p90_ms)" \
        "$(bench_json "$out" trials.p99_ms)" \
        "$(bench_json "$out" trials.max_ms)" \
        "$(bench_json "$out" trials.mean_ms)"
    if [ "$(bench_json "$out" trials.missed)" != 0 ]; then
        printf '  (%s trials saw no row in time)\n' \
            "$(bench_json "$out" trials.missed)"
    fi
}

# bursts_table OUT PID1 PID2 N...: the burst figures of learn output OUT,
# with the CPU time of PID1 (the VTEP) and PID2 (its ovsdb-server).
bursts_table() {
    local out=$1 p1=$2 p2=$3 i=0 n b
    shift 3
    printf '\nbursts, seconds from the first frame sent:\n'
    printf '  %7s %8s %8s %8s %8s %7s %7s | %8s %8s %8s %7s\n' \
        N sent 'first' median 'all' 'cpu.vd' 'cpu.db' unbind.c gone rows \
        'cpu.vd'
    for n; do
        b=bursts.$i
        printf '  %7s %8s %8s %8s %8s %7s %7s | %8s %8s %8s %7s\n' "$n" \
            "$(bench_json "$out" "$b.send_s")" \
            "$(bench_json "$out" "$b.first_row_s")" \
            "$(bench_json "$out" "$b.median_row_s")" \
            "$(bench_json "$out" "$b.rows_s")" \
            "$(bench_json "$out" "$b.cpu_learn_s.$p1")" \
            "$(bench_json "$out" "$b.cpu_learn_s.$p2")" \
            "$(bench_json "$out" "$b.unbind_commit_s")" \
            "$(bench_json "$out" "$b.unbind_gone_s")" \
            "$(bench_json "$out" "$b.unbind_rows")" \
            "$(bench_json "$out" "$b.cpu_unbind_s.$p1")"
        if [ "$(bench_json "$out" "$b.rows_seen")" != "$n" ]; then
            printf '  (only %s of %s rows appeared)\n' \
                "$(bench_json "$out" "$b.rows_seen")" "$n"
        fi
        i=$((i + 1))
    done
}

printf '\nlocal learning: frame from a new source MAC on a bound port -> '
printf 'its Ucast_Macs_Local row\n'
printf '%s\n' "$(bench_machine)"
if [ "$remote" -gt 0 ]; then
    printf 'ls0 also holds %s remote MACs\n' "$remote"
fi
printf '\n--- vtepd\n'
if [ "$trials" -gt 0 ]; then
    trials_table "$out"
fi
bursts_table "$out" "$vpid" "$opid" "${sizes[@]}"
cat <<EOF

sent      time the raw socket took to send the N frames
first     first frame sent -> first of the N rows in Ucast_Macs_Local
median    ... -> half of them, all: ... -> all N
cpu.vd    CPU time (user + system) vtepd used meanwhile; cpu.db ovsdb-server's
unbind.c  sending the unbinding transaction -> its commit reply
gone      sending it -> every Ucast_Macs_Local row gone (rows: how many)
vtepd RSS at the end: $rss MiB; frames dropped on p1: $rx_dropped; vtepd
logged "netlink notifications lost" (and re-read the kernel's state) $lost
times
EOF

if [ -z "${ovs_out:-}" ]; then
    exit 0
fi
printf '\n--- ovs-vtep of Open vSwitch %s (userspace datapath)\n' \
    "$(bench_ovs_version)"
if [ "$ovs_trials" -gt 0 ]; then
    trials_table "$ovs_out"
fi
if [ ${#ovs_sizes[@]} -gt 0 ]; then
    bursts_table "$ovs_out" "${ovs_pids[0]}" "${ovs_pids[2]}" \
        "${ovs_sizes[@]}"
fi
cat <<EOF

the same columns; cpu.vd is ovs-vtep's CPU time with its ovs-vsctl,
ovs-ofctl and vtep-ctl children (not ovs-vswitchd's)
frames dropped on ov1's p1: $ovs_rx_dropped
EOF

# row LABEL VTEPD OVS-VTEP: a line of the side-by-side table.
row() {
    printf '  %-31s %10s %10s %7s\n' "$1" "$2" "$3" "$(bench_ratio "$2" "$3")"
}

printf '\nside by side (ratio = ovs-vtep / vtepd)\n'
printf '  %-31s %10s %10s %7s\n' '' vtepd ovs-vtep ratio
if [ "$trials" -gt 0 ] && [ "$ovs_trials" -gt 0 ]; then
    for k in p50 p99 mean; do
        row "single MAC, $k (ms)" "$(bench_json "$out" "trials.${k}_ms")" \
            "$(bench_json "$ovs_out" "trials.${k}_ms")"
    done
fi
i=0
for n in "${ovs_sizes[@]}"; do
    # The bursts of ovs-vtep are the first ones of vtepd's.
    row "burst of $n: all rows (s)" "$(bench_json "$out" "bursts.$i.rows_s")" \
        "$(bench_json "$ovs_out" "bursts.$i.rows_s")"
    row "burst of $n: unbind, gone (s)" \
        "$(bench_json "$out" "bursts.$i.unbind_gone_s")" \
        "$(bench_json "$ovs_out" "bursts.$i.unbind_gone_s")"
    i=$((i + 1))
done
if [ ${#ovs_sizes[@]} -lt ${#sizes[@]} ]; then
    printf '  (ovs-vtep: no bursts above %s MACs; -o sets that limit)\n' \
        "$ovs_max"
fi
if [ "$ovs_trials" -lt "$trials" ]; then
    printf '  (ovs-vtep: %s single MAC trials, vtepd %s; -T sets them)\n' \
        "$ovs_trials" "$trials"
fi
