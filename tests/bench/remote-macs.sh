#!/bin/bash
# tests/bench/remote-macs.sh -- how fast remote MACs reach the kernel.
#
# Usage: tests/bench/remote-macs.sh [N...]     (default: 1000 10000 100000)
#
# One host namespace runs ovsdb-server (hardware_vtep) and vtepd (linux
# datapath); logical switch ls0 (tunnel key 5000) is bound to port p1.  For
# each N, with a freshly started vtepd:
#
#   1. ONE transaction inserts N Ucast_Macs_Remote rows spread over 100 new
#      Physical_Locator rows (10.1.0.1 to 10.1.0.100): the time from
#      sending it to its commit reply, and to the moment the last of the N
#      MACs is in the kernel FDB; vtepd's resident memory afterwards;
#   2. once vtepd is idle again, one more row (with a new locator): the
#      time until that one MAC is in the kernel FDB, i.e. the cost of a
#      small change to a large table;
#   3. once vtepd is idle again, ONE transaction deletes all N + 1 rows:
#      the time to its commit reply and until the last MAC is gone.
#
# The transactions are built as JSON files and sent over ovsdb-server's
# unix socket by tests/bench/vtepbench.py: "ovsdb-client transact" takes
# the transaction as one command-line argument, which Linux limits to
# 128 KiB (about 900 rows).  The kernel side is followed through rtnetlink
# neighbour notifications in vtepd's namespace, so nothing is polled (a
# dump of 100,000 entries takes seconds and would skew what it measures):
# a MAC counts once both its VXLAN entry (with dst) and its bridge entry
# were notified, with the resolution of the clock.  After each step a dump
# ("bridge fdb show") checks the count.
#
# Prints figures; it is not a pass/fail test (it exits non-zero only if
# something did not happen at all).  Needs root.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=../system/lib.sh
. "$(dirname "$0")/../system/lib.sh"
# shellcheck source-path=SCRIPTDIR source=bench-lib.sh
. "$(dirname "$0")/bench-lib.sh"

if [ $# -gt 0 ]; then
    sizes=("$@")
else
    sizes=(1000 10000 100000)
fi
bench_sizes "${sizes[@]}"
bench_init

# vxlan_dst_count DEV: how many remote MACs (entries with dst, all-zero
# flood entries excepted) the kernel FDB of DEV holds.
vxlan_dst_count() {
    bridge -n "$(ns hv1)" fdb show dev "$1" \
        | awk '$1 != "00:00:00:00:00:00" && / dst / { n++ } END { print n + 0 }'
}

# run NAME N MODE: sends transaction $VT_DIR/NAME.json and waits until N
# MACs are in (MODE insert) or gone from (delete) the kernel FDB; the
# figures go to $VT_DIR/NAME.out.
run() {
    on hv1 python3 "$BENCH_PY" remote-run --db "$db" \
        --txn "$VT_DIR/$1.json" --vxlan "$vx" --n "$2" --mode "$3" \
        --timeout "$timeout_s" --pid "$vpid" --pid "$opid" \
        >"$VT_DIR/$1.out" \
        || fail "N=$n: $1 incomplete: $(cat "$VT_DIR/$1.out")"
}

# idle: waits until vtepd used no CPU time for half a second.
idle() {
    python3 "$BENCH_PY" wait-idle --pid "$vpid" \
        || fail "N=$n: vtepd is still busy"
}

step "namespace hv1, database, ls0 bound to p1"
bench_hosts
bench_configure
ls_uuid=$(bench_ls_uuid)
db=unix:$VT_DIR/hv1.sock

fmt='%7s %8s %8s %7s %8s %8s %7s | %7s %7s %6s %6s %6s %7s %4s\n'
rows=()
for n in "${sizes[@]}"; do
    step "N=$n: fresh vtepd, transactions built"
    started=$(date +%s.%N)
    bench_start_vtepd
    vx=$(bench_vxlan)
    vpid=$(bench_pid vtepd)
    opid=$(bench_pid ovsdb)
    python3 "$BENCH_PY" remote-txn --ls-uuid "$ls_uuid" --n "$n" \
        --locators 100 --out "$VT_DIR/insert.json"
    python3 "$BENCH_PY" remote-txn --ls-uuid "$ls_uuid" --n 1 \
        --first $((n + 1)) --locators 1 --net 10.2 --out "$VT_DIR/one.json"
    python3 "$BENCH_PY" remote-txn --delete --out "$VT_DIR/delete.json"
    timeout_s=$((60 + n / 250))

    step "N=$n: insert in one transaction"
    run insert "$n" insert
    have=$(vxlan_dst_count "$vx")
    [ "$have" = "$n" ] \
        || fail "N=$n: the kernel FDB of $vx has $have remote MACs"
    rss=$(bench_rss_mib "$vpid")
    ovsdb_rss=$(bench_rss_mib "$opid")
    idle

    step "N=$n: one more"
    run one 1 insert
    idle

    step "N=$n: delete all in one transaction"
    run delete $((n + 1)) delete
    have=$(vxlan_dst_count "$vx")
    [ "$have" = 0 ] || fail "N=$n: $have remote MACs left in $vx after delete"
    rss_del=$(bench_rss_mib "$vpid")
    lost=$(bench_log_count "$started" 'notifications lost')

    ins=$VT_DIR/insert.out
    del=$VT_DIR/delete.out
    one_ms=$(bench_json "$VT_DIR/one.out" kernel_s)
    if [ "$one_ms" != - ]; then
        one_ms=$(awk -v s="$one_ms" 'BEGIN { printf "%.1f", s * 1000 }')
    fi
    # shellcheck disable=SC2059
    rows+=("$(printf "$fmt" "$n" \
        "$(bench_json "$ins" commit_s)" "$(bench_json "$ins" kernel_s)" \
        "$one_ms" \
        "$(bench_json "$del" commit_s)" "$(bench_json "$del" kernel_s)" \
        "$rss" \
        "$(bench_json "$ins" busy_s)" "$(bench_json "$del" busy_s)" \
        "$(bench_json "$ins" "cpu_s.$vpid")" \
        "$(bench_json "$ins" "cpu_s.$opid")" \
        "$(bench_json "$del" "cpu_s.$vpid")" \
        "$rss_del" "$lost")")
    vt_log "N=$n: ${rows[-1]} (ovsdb-server RSS ${ovsdb_rss} MiB)"
done

printf '\nremote MACs: one transaction inserts N Ucast_Macs_Remote rows '
printf '(100 locators), one deletes them\n'
printf '%s\n' "$(bench_machine)"
printf 'seconds from sending the transaction; kernel = last FDB entry '
printf 'notified (rtnetlink, not polled)\n\n'
# shellcheck disable=SC2059
printf "$fmt" N commit kernel '+1 ms' 'del.cmt' 'del.kern' 'RSS MiB' \
    'busy.in' 'busy.dl' 'cpu.vd' 'cpu.db' 'cpu.vd' 'RSS.del' lost
printf '%s\n' "${rows[@]}"
cat <<'EOF'

commit    insertion: sending -> commit reply (ovsdb-server's work)
kernel    insertion: sending -> last of the N remote MACs in the kernel FDB
+1 ms     then, vtepd idle again, one more row (with a new locator):
          sending -> that MAC in the kernel FDB, in milliseconds
del.cmt   deletion of all N + 1 rows: sending -> commit reply
del.kern  deletion: sending -> last remote MAC gone from the kernel FDB
RSS MiB   vtepd's VmRSS after the insertion (RSS.del: after the deletion)
busy.*    sending -> the end of vtepd's work (it then used no CPU time for
          0.3 s; 5 ms resolution), e.g. re-reading the kernel's state
          after its netlink notifications overflowed (insertion, deletion)
cpu.vd    CPU time (user + system) vtepd used from sending until the kernel
          was done (insertion, deletion); cpu.db: ovsdb-server, insertion
lost      how many times this vtepd logged "netlink notifications lost"
          (and read the kernel's whole state again)
EOF
