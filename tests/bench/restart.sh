#!/bin/bash
# tests/bench/restart.sh -- restarting vtepd with thousands of logical
# switches in the kernel, a paced stream running across a tunnel.
#
# Usage: tests/bench/restart.sh [-l LS] [-m MACS] [-v VTEPS] [-g GAP]
#                               [-t TIMEOUT]
#        (defaults: the state of scale.sh: 4000 logical switches, 25 remote
#        MACs each, 10 remote VTEPs; pings 10 ms apart; give up after
#        1800 s)
#
# The set-up of tests/bench/scale.sh (logical switches ls1 .. lsLS, each
# bound to its own VLAN of hv1's trunk port p1, remote MACs and a flood
# entry each), plus a remote VTEP: namespace lx, on the underlay with the
# IP of ls1's flood locator, is a plain Linux VXLAN host (a bridge with a
# vxlan device, VNI 10001, remote 10.0.0.1, and VM vm2 on it, as in
# tests/system/13-linux-vxlan-host.sh).  vm1 (behind p1) reaches vm2 through
# its eth0.1 (VLAN 1, so ls1) and the tunnel; ls1 also has vm2's MAC as a
# remote MAC.
#
# Once vtepd has converged and is idle, vm1 pings vm2 every GAP ms, and
# vtepd is stopped (SIGTERM) and started again.  The script reports:
#
#   - how many FDB dumps and resyncs each start of vtepd needed;
#   - how long vtepd took to exit;
#   - from starting it again: when it logged what it adopted from the
#     kernel, when "vtepd --detach" returned (its first reconciliation
#     against the database was done, so the kernel was converged again),
#     and when it stopped working; its CPU time and memory;
#   - what the restart changed in the kernel: datapath changes vtepd
#     logged, link notifications about its netdevs and remote MACs that
#     the kernel notified again (followed through rtnetlink), whether its
#     netdevs kept their ifindexes;
#   - packets lost by the stream, and the longest run of lost ones.
#
# Prints figures; it is not a pass/fail test (it exits non-zero only if
# something did not happen at all).  Needs root.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=../system/lib.sh
. "$(dirname "$0")/../system/lib.sh"
# shellcheck source-path=SCRIPTDIR source=bench-lib.sh
. "$(dirname "$0")/bench-lib.sh"

gap_ms=10
bench_scale_options g gap_ms 5,9 "$@"
bench_init
total=$((n_ls * n_macs))
gap=$(awk -v g="$gap_ms" 'BEGIN { printf "%.3f", g / 1000 }')
# ls1's flood entry goes to VTEP 1 mod VTEPS (see vtepbench.py scale-build).
j=$((1 % n_vteps))
lx_ip=10.1.$((j / 250)).$((j % 250 + 1))
vm2_mac=02:00:00:00:02:01

# own_ifindexes: "NAME IFINDEX" of hv1's netdevs named like vtepd's, sorted.
own_ifindexes() {
    ip -n "$(ns hv1)" -o link show 2>/dev/null \
        | awk '{ name = $2; sub(/:$/, "", name); sub(/@.*/, "", name)
                 if (name ~ /^vt[bxvw][0-9a-f]+$/ && length(name) == 11) {
                     idx = $1; sub(/:$/, "", idx); print name, idx } }' \
        | sort
}

# lost_run TAG: the longest run of consecutive sequence numbers that ping
# stream TAG got no reply for, and the last one sent, as "RUN LAST".
lost_run() {
    awk '/ icmp_seq=/ { s = $0; sub(/.*icmp_seq=/, "", s); sub(/ .*/, "", s)
                        got[s + 0] = 1; if (s + 0 > max) max = s + 0 }
         / packets transmitted/ { sent = $1 }
         END { run = 0; best = 0
               for (i = 1; i <= sent; i++) {
                   if (i in got) run = 0; else if (++run > best) best = run
               }
               print best, sent }' "$VT_DIR/$1.out"
}

step "namespaces hv1, vm1 (eth0.1 on VLAN 1), lx ($lx_ip) with vm2"
bench_scale_hosts
add_vm_vlan vm1 1 02:00:00:00:01:01 192.168.1.1/24
add_host lx "$lx_ip/8"
add_vm vm2 lx vnet0 "$vm2_mac" 192.168.1.2/24
on lx ip link add br0 type bridge
on lx ip link set dev vnet0 master br0
on lx ip link set dev br0 up
on lx ip link add vxlan10001 type vxlan id 10001 dstport 4789 \
    local "$lx_ip" remote 10.0.0.1 dev ul0 || fail "cannot make lx's vxlan"
on lx ip link set dev vxlan10001 master br0 up

step "database: $n_ls logical switches, $total remote MACs, $n_vteps VTEPs"
bench_scale_db "$n_ls" "$n_macs" "$n_vteps" "$VT_DIR/build.out"
vtctl hv1 add-ucast-remote ls1 "$vm2_mac" "$lx_ip"

step "vtepd on an empty kernel, until every remote MAC is in"
bench_scale_start "$total" "$n_ls" "$timeout_s" "$VT_DIR/start.out"
vt_log "$(cat "$VT_DIR/start.out")"
python3 "$BENCH_PY" wait-idle --pid "$(bench_pid vtepd)" --quiet 1 \
    --timeout "$timeout_s" || fail "vtepd is still busy"
wait_until 30 ping_ok vm1 192.168.1.2 || fail "vm1 cannot ping vm2"
first_s=$(bench_json "$VT_DIR/start.out" kernel_s)
counters=$(bench_counter rtnl_fdb_dump dp_linux_resync)
read -r first_dumps first_resyncs <<<"$counters"
devs_before=$(own_ifindexes)
netdevs_before=$(bench_netdevs)

step "stream vm1 -> vm2 every $gap_ms ms; vtepd stopped (SIGTERM), started"
start_bg stream vm1 ping -n -i "$gap" -W 2 192.168.1.2
wait_until 10 replies_above stream 20 \
    || fail "the stream gets no replies: $(cat "$VT_DIR/stream.out")"
t=$(date +%s.%N)
stop_vtepd hv1
stop_s=$(awk -v t="$t" -v n="$(date +%s.%N)" 'BEGIN { printf "%.3f", n - t }')
out=$VT_DIR/restart.out
# No remote MAC and no flood entry to wait for: the kernel has them all.
bench_scale_start 0 0 "$timeout_s" "$out"
vt_log "$(cat "$out")"
vpid=$(bench_pid vtepd)
wall=$(bench_json "$out" wall_start)
python3 "$BENCH_PY" wait-idle --pid "$vpid" --quiet 1 --timeout "$timeout_s" \
    || fail "vtepd is still busy"
n=$(replies stream)
wait_until 10 replies_above stream $((n + 100)) \
    || fail "the stream gets no replies after the restart"
kill -INT "$(bg_pid stream)"
wait "$(bg_pid stream)" || true
sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$VT_DIR/stream.out")
got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$VT_DIR/stream.out")
if [ -z "$sent" ] || [ -z "$got" ]; then
    fail "the stream did not finish: $(tail -n 3 "$VT_DIR/stream.out")"
fi
read -r run _ <<<"$(lost_run stream)"
counters=$(bench_counter rtnl_fdb_dump dp_linux_resync)
read -r dumps resyncs <<<"$counters"
adopted=$(bench_log_first "$wall" ': adopted ')
adopted_line=$(grep ': adopted ' "$VT_DIR/hv1-vtepd.log" | tail -n 1 \
                   | sed 's/.*|//')
changes=$(bench_log_count "$wall" ' datapath changes, ')
changes_line=
if [ "$changes" != 0 ]; then
    changes_line="$(bench_log_first "$wall" ' datapath changes, ') s: $(grep \
        ' datapath changes, ' "$VT_DIR/hv1-vtepd.log" | tail -n "$changes" \
        | sed 's/.*|//' | tr '\n' ';')"
fi
lost_notes=$(bench_log_count "$wall" 'notifications lost')
devs_after=$(own_ifindexes)
if [ "$devs_before" = "$devs_after" ]; then
    same=yes
else
    same="no ($(diff <(echo "$devs_before") <(echo "$devs_after") \
                    | grep -c '^[<>]') lines differ)"
fi
vtepd_alive hv1 || fail "vtepd died"

printf '\nrestart: %d logical switches on their own VLANs, %d remote MACs ' \
    "$n_ls" "$total"
printf 'over %d VTEPs; vtepd stopped (SIGTERM) and started again\n' \
    "$n_vteps"
printf '%s\n' "$(bench_machine)"
printf 'first start (empty kernel): converged after %s s; ' "$first_s"
printf '%s FDB dumps, %s resyncs\n' "$first_dumps" "$first_resyncs"
printf 'netdevs: %s\n\n' "$netdevs_before"
printf '  %-48s %s\n' \
    'SIGTERM -> vtepd exited (s)' "$stop_s"
printf 'seconds from starting vtepd again:\n'
printf '  %-48s %s\n' \
    'read the kernel, logged "adopted"' "$adopted" \
    '"vtepd --detach" returned (converged again)' \
    "$(bench_json "$out" cmd_s)" \
    'vtepd idle (no CPU for 0.3 s) after' "$(bench_json "$out" busy_s)" \
    'vtepd CPU time until then (s)' "$(bench_json "$out" cpu_busy_s)" \
    'FDB dumps, resyncs (coverage counters)' "$dumps, $resyncs" \
    'vtepd VmRSS / VmHWM once converged (MiB)' \
    "$(awk -v r="$(bench_json "$out" rss_kib)" \
           -v h="$(bench_json "$out" hwm_kib)" \
           'BEGIN { printf "%.1f / %.1f", r / 1024, h / 1024 }')"
printf 'what the restart changed:\n'
printf '  %-48s %s\n' \
    'reconciliations with datapath changes logged' "$changes" \
    'vtepd netdevs notified (created or changed)' \
    "$(bench_json "$out" links)" \
    'remote MACs notified again (VXLAN and bridge)' \
    "$(bench_json "$out" macs)" \
    'netdevs kept their names and ifindexes' "$same" \
    '"notifications lost" logged' "$lost_notes"
printf '  adopted: %s\n' "$adopted_line"
[ "$changes" = 0 ] || printf '  changes, the first after %s\n' "$changes_line"
printf '\nstream vm1 -> vm2 (VLAN 1, ls1, tunnel to %s), one ping every ' \
    "$lx_ip"
printf '%s ms: %d sent, %d lost, longest run lost %d (%s ms)\n' "$gap_ms" \
    "$sent" "$((sent - got))" "$run" "$((run * gap_ms))"
