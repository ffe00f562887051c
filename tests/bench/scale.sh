#!/bin/bash
# tests/bench/scale.sh -- vtepd with thousands of logical switches.
#
# Usage: tests/bench/scale.sh [-l LS] [-m MACS] [-v VTEPS] [-i IDLE]
#                             [-t TIMEOUT]
#        (defaults: 4000 logical switches, 25 remote MACs each, 10 remote
#        VTEPs, idle CPU over 60 s, give up after 1800 s)
#
# One host namespace runs ovsdb-server (hardware_vtep) and vtepd (linux
# datapath).  The database is filled first, in a few large transactions
# (tests/bench/vtepbench.py scale-build): LS logical switches ls1 .. lsLS
# (tunnel keys 10001 ...), each bound to its own VLAN (1 .. LS) of trunk
# port p1, each with MACS Ucast_Macs_Remote rows spread over VTEPS
# Physical_Locator rows (10.1.0.1 ...) and one unknown-dst
# Mcast_Macs_Remote row.  Then vtepd starts on an empty kernel and the
# script reports:
#
#   - the time from starting vtepd until its first netdev and its last one
#     appeared, until the last remote MAC had both its VXLAN and its bridge
#     entry, until every VXLAN device had its flood entry, and until
#     "vtepd --detach" returned (its first reconciliation done); all from
#     rtnetlink notifications followed from before the start, not polled;
#   - when vtepd stopped working after that, and its CPU time until then;
#   - its resident memory (VmRSS) and peak (VmHWM) once converged;
#   - its CPU time while idle over IDLE seconds (from /proc/PID/schedstat,
#     in percent of one core), with the binding counters refreshed every
#     5 s as by default;
#   - the netdevs it created, by kind.
#
# A VLAN binding on this kernel is a veth pair and tc eBPF programs (see
# lib/tc-vlan.c), so each logical switch has a bridge, a VXLAN device and a
# veth pair: four netdevs.
#
# Prints figures; it is not a pass/fail test (it exits non-zero only if
# something did not happen at all).  Needs root.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=../system/lib.sh
. "$(dirname "$0")/../system/lib.sh"
# shellcheck source-path=SCRIPTDIR source=bench-lib.sh
. "$(dirname "$0")/bench-lib.sh"

idle_s=60
bench_scale_options i idle_s 4,8 "$@"
bench_init
total=$((n_ls * n_macs))

step "namespaces hv1 and vm1"
bench_scale_hosts

step "database: $n_ls logical switches, $total remote MACs, $n_vteps VTEPs"
t=$(date +%s.%N)
bench_scale_db "$n_ls" "$n_macs" "$n_vteps" "$VT_DIR/build.out"
build_s=$(awk -v t="$t" -v n="$(date +%s.%N)" 'BEGIN { printf "%.1f", n - t }')
vt_log "database filled in $build_s s (transactions:" \
    "$(bench_json "$VT_DIR/build.out" txn_s) s)"
opid=$(bench_pid ovsdb)

step "vtepd on an empty kernel, until every remote MAC is in"
bench_netdevs
out=$VT_DIR/start.out
bench_scale_start "$total" "$n_ls" "$timeout_s" "$out"
vt_log "$(cat "$out")"
vpid=$(bench_pid vtepd)
wall=$(bench_json "$out" wall_start)
adopted=$(bench_log_first "$wall" ': adopted ')
changes=$(bench_log_first "$wall" ' datapath changes, ')
changes_line=$(grep ' datapath changes, ' "$VT_DIR/hv1-vtepd.log" | head -n 1 \
                   | sed 's/.*|//') || true
lost=$(bench_log_count "$wall" 'notifications lost')
rss=$(bench_rss_mib "$vpid")
hwm=$(awk '/^VmHWM:/ { printf "%.1f\n", $2 / 1024 }' "/proc/$vpid/status")
netdevs=$(bench_netdevs)
ovsdb_rss=$(bench_rss_mib "$opid")

step "vtepd idle for $idle_s s"
python3 "$BENCH_PY" wait-idle --pid "$vpid" --quiet 1 \
    || fail "vtepd is still busy"
python3 "$BENCH_PY" idle-cpu --pid "$vpid" --seconds "$idle_s" \
    >"$VT_DIR/idle.out" || fail "vtepd went away"
vt_log "$(cat "$VT_DIR/idle.out")"
rss_idle=$(bench_rss_mib "$vpid")
vtepd_alive hv1 || fail "vtepd died"

printf '\nscale: %d logical switches, each on its own VLAN of one port, ' \
    "$n_ls"
printf '%d remote MACs each (%d in all) over %d VTEPs, one flood entry ' \
    "$n_macs" "$total" "$n_vteps"
printf 'each\n%s\n' "$(bench_machine)"
printf 'database filled in %s s (transactions: %s s)\n\n' "$build_s" \
    "$(bench_json "$VT_DIR/build.out" txn_s)"
printf 'seconds from starting vtepd (empty kernel; rtnetlink, not polled):\n'
printf '  %-44s %s\n' \
    'read the kernel, logged "adopted"' "$adopted" \
    'first netdev' "$(bench_json "$out" first_link_s)" \
    'last netdev' "$(bench_json "$out" last_link_s)" \
    'first remote MAC in' "$(bench_json "$out" first_mac_s)" \
    'last remote MAC in (converged)' "$(bench_json "$out" kernel_s)" \
    'last flood entry in' "$(bench_json "$out" flood_s)" \
    'first reconciliation logged' "$changes" \
    '"vtepd --detach" returned' "$(bench_json "$out" cmd_s)" \
    'vtepd idle (no CPU for 0.3 s) after' "$(bench_json "$out" busy_s)"
printf '  %-44s %s\n' \
    'vtepd CPU time until converged (s)' "$(bench_json "$out" cpu_s)" \
    'vtepd CPU time until idle (s)' "$(bench_json "$out" cpu_busy_s)" \
    '"notifications lost" logged' "$lost"
printf '  first reconciliation: %s\n\n' "${changes_line:--}"
printf 'memory (MiB): vtepd VmRSS %s once converged, %s after idling; ' \
    "$rss" "$rss_idle"
printf 'VmHWM %s; ovsdb-server VmRSS %s\n' "$hwm" "$ovsdb_rss"
printf 'idle CPU over %s s: %s %% of a core (%s s; clock ticks: %s s)\n' \
    "$(bench_json "$VT_DIR/idle.out" seconds)" \
    "$(bench_json "$VT_DIR/idle.out" percent)" \
    "$(bench_json "$VT_DIR/idle.out" sched_cpu_s)" \
    "$(bench_json "$VT_DIR/idle.out" stat_cpu_s)"
printf 'netdevs in the namespace: %s\n' "$netdevs"
