#!/bin/bash
# tests/bench/remote-macs.sh -- how fast remote MACs reach the kernel, with
# ovs-vtep side by side.
#
# Usage: tests/bench/remote-macs.sh [-o MAX] [-d FILE] [N...]
#        (defaults: N = 1000 10000 100000, ovs-vtep up to N = 10000)
#
# One host namespace runs ovsdb-server (hardware_vtep) and vtepd (linux
# datapath); logical switch ls0 (tunnel key 5000) is bound to port p1.  For
# each N, with a freshly started vtepd:
#
#   1. ONE transaction inserts N Ucast_Macs_Remote rows spread over 100
#      new Physical_Locator rows (10.1.0.1 to 10.1.0.100): the time from
#      sending it to its commit reply, and to the moment the last of the N
#      MACs is in the kernel FDB; vtepd's resident memory afterwards;
#   2. once vtepd is idle again, one more row behind an existing locator,
#      then one more with a new locator: the time until that one MAC is in
#      the kernel FDB, i.e. the cost of a small change to a large table
#      (remote MACs, which vtepd follows row by row, with or without a new
#      locator);
#   3. once vtepd is idle again, ONE transaction deletes all N + 2 rows:
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
# Then vtepd is stopped and the same three steps run against OVS's
# ovs-vtep (Debian's openvswitch-vtep, on an ovs-vswitchd with the
# userspace datapath, in a host namespace of its own set up like vtepd's)
# for each N up to MAX (-o, default 10000; -o 0: vtepd only).  ovs-vtep
# programs a remote MAC as an OpenFlow flow "table=1,dl_dst=MAC,
# actions=TUNNEL-PORT" in its bridge for ls0, so its datapath time is until
# the last MAC's flow is there (or gone), found by "ovs-ofctl dump-flows"
# every 0.1 s; the printed resolution is the time from the start of the
# dump before to the end of the dump that saw it.  ovs-vtep is not
# restarted between the sizes, and steps 2 and 3 start as soon as the step
# before is done: it polls both databases every second and is never idle.
#
# -d FILE also writes the figures to FILE, one line per implementation and
# N (tests/bench/growth.sh plots them).
#
# Prints figures; it is not a pass/fail test (it exits non-zero only if
# something did not happen at all).  Needs root.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=../system/lib.sh
. "$(dirname "$0")/../system/lib.sh"
# shellcheck source-path=SCRIPTDIR source=bench-lib.sh
. "$(dirname "$0")/bench-lib.sh"

ovs_max=10000
data=
while getopts o:d:h opt; do
    case $opt in
        o) ovs_max=$OPTARG ;;
        d) data=$OPTARG ;;
        *) sed -n '5,6s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
if [ $# -gt 0 ]; then
    sizes=("$@")
else
    sizes=(1000 10000 100000)
fi
bench_sizes "${sizes[@]}"
case $ovs_max in *[!0-9]* | '') fail "-o: not a number: '$ovs_max'" ;; esac
bench_init
if [ -n "$data" ]; then
    printf '# impl N commit kernel +1 del.commit del.kernel resolution\n' \
        >"$data" || fail "cannot write $data"
fi

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

# ovs_run NAME MODE: sends transaction $VT_DIR/NAME.json to ov1's database
# and waits until ovs-vtep's bridge for ls0 has a flow for every MAC it
# inserts (MODE insert) or none for a remote MAC (delete); the figures go
# to $VT_DIR/NAME.out.
ovs_run() {
    on ov1 python3 "$BENCH_PY" ovs-run --db "unix:$VT_DIR/ov1.sock" \
        --txn "$VT_DIR/$1.json" --mgmt "$(bench_ovs_mgmt)" --mode "$2" \
        --timeout "$timeout_s" --pid "${ovs_pids[0]}" \
        --pid "${ovs_pids[1]}" --pid "${ovs_pids[2]}" >"$VT_DIR/$1.out" \
        || fail "N=$n: ovs-vtep: $1 incomplete: $(cat "$VT_DIR/$1.out")"
}

# ovs_flow_count: how many remote MAC flows ovs-vtep's bridge for ls0 has.
ovs_flow_count() {
    ovs_ofctl ov1 dump-flows "$(bench_ovs_bridge)" cookie=0/-1,table=1 \
        | grep -c 'dl_dst=02:aa:' || true
}

# ovs_no_tunnels: ovs-vtep has removed every tunnel port (and BFD port).
ovs_no_tunnels() {
    [ -z "$(ovs_vsctl ov1 list-ports vtep_bfd)" ] \
        && ! ovs_vsctl ov1 list-ports "$(bench_ovs_bridge)" | grep -q '^vx'
}

# ms SECONDS: SECONDS in milliseconds with one decimal ("-" stays).
ms() {
    if [ "$1" = - ]; then
        printf '%s\n' -
    else
        awk -v s="$1" 'BEGIN { printf "%.1f\n", s * 1000 }'
    fi
}

# datum IMPL N INSERT ONE DELETE: a line of the data file (-d) from the
# figures of the three steps.
datum() {
    [ -n "$data" ] || return 0
    printf '%s %s %s %s %s %s %s %s\n' "$1" "$2" \
        "$(bench_json "$3" commit_s)" "$(bench_json "$3" kernel_s)" \
        "$(bench_json "$4" kernel_s)" \
        "$(bench_json "$5" commit_s)" "$(bench_json "$5" kernel_s)" \
        "$(bench_json "$3" resolution_s)" >>"$data"
}

# idle: waits until vtepd used no CPU time for half a second.
# ms1 SECONDS: SECONDS in milliseconds with one decimal ("-" stays).
ms1() {
    if [ "$1" = - ]; then
        echo -
    else
        awk -v s="$1" 'BEGIN { printf "%.1f", s * 1000 }'
    fi
}

idle() {
    python3 "$BENCH_PY" wait-idle --pid "$vpid" \
        || fail "N=$n: vtepd is still busy"
}

step "namespace hv1, database, ls0 bound to p1"
bench_hosts
bench_configure
ls_uuid=$(bench_ls_uuid)
db=unix:$VT_DIR/hv1.sock

fmt='%7s %8s %8s %7s %7s %8s %8s %7s | %7s %7s %6s %6s %6s %7s %4s\n'
rows=()
declare -A v_ins v_one v_del
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

    step "N=$n: one more, behind an existing locator"
    loc_uuid=$(vtq hv1 --bare --columns=_uuid find Physical_Locator \
                   dst_ip=10.1.0.1)
    python3 "$BENCH_PY" remote-txn --ls-uuid "$ls_uuid" --n 1 \
        --first $((n + 2)) --locator-uuid "$loc_uuid" \
        --out "$VT_DIR/one-old.json"
    run one-old 1 insert
    idle

    step "N=$n: one more, with a new locator"
    run one 1 insert
    idle

    step "N=$n: delete all in one transaction"
    run delete $((n + 2)) delete
    have=$(vxlan_dst_count "$vx")
    [ "$have" = 0 ] || fail "N=$n: $have remote MACs left in $vx after delete"
    rss_del=$(bench_rss_mib "$vpid")
    lost=$(bench_log_count "$started" 'notifications lost')

    ins=$VT_DIR/insert.out
    del=$VT_DIR/delete.out
    one_ms=$(ms1 "$(bench_json "$VT_DIR/one.out" kernel_s)")
    one_old_ms=$(ms1 "$(bench_json "$VT_DIR/one-old.out" kernel_s)")
    # shellcheck disable=SC2059
    rows+=("$(printf "$fmt" "$n" \
        "$(bench_json "$ins" commit_s)" "$(bench_json "$ins" kernel_s)" \
        "$one_old_ms" "$one_ms" \
        "$(bench_json "$del" commit_s)" "$(bench_json "$del" kernel_s)" \
        "$rss" \
        "$(bench_json "$ins" busy_s)" "$(bench_json "$del" busy_s)" \
        "$(bench_json "$ins" "cpu_s.$vpid")" \
        "$(bench_json "$ins" "cpu_s.$opid")" \
        "$(bench_json "$del" "cpu_s.$vpid")" \
        "$rss_del" "$lost")")
    vt_log "N=$n: ${rows[-1]} (ovsdb-server RSS ${ovsdb_rss} MiB)"
    v_ins[$n]=$(bench_json "$ins" kernel_s)
    v_one[$n]=$(bench_json "$VT_DIR/one.out" kernel_s)
    v_del[$n]=$(bench_json "$del" kernel_s)
    datum vtepd "$n" "$ins" "$VT_DIR/one.out" "$del"
done

ovs_sizes=()
for n in "${sizes[@]}"; do
    if [ "$n" -le "$ovs_max" ]; then
        ovs_sizes+=("$n")
    fi
done
ovs_fmt='%7s %8s %8s %6s %8s %8s %8s %6s | %7s %7s %6s %7s\n'
ovs_rows=()
cmp_fmt='%7s | %8s %8s %6s | %8s %8s %6s | %8s %8s %6s\n'
cmp_rows=()
if [ ${#ovs_sizes[@]} -gt 0 ]; then
    step "ovs-vtep: vtepd stopped; host ov1, Open vSwitch, ovs-vtep, ls0"
    stop_vtepd hv1
    bench_ovs_start
    mapfile -t ovs_pids < <(bench_ovs_pids)
    ov_ls=$(vtq ov1 get Logical_Switch ls0 _uuid)
fi
for n in "${ovs_sizes[@]}"; do
    step "ovs-vtep, N=$n: transactions built"
    python3 "$BENCH_PY" remote-txn --ls-uuid "$ov_ls" --n "$n" \
        --locators 100 --out "$VT_DIR/ovs-insert.json"
    python3 "$BENCH_PY" remote-txn --ls-uuid "$ov_ls" --n 1 \
        --first $((n + 1)) --locators 1 --net 10.2 \
        --out "$VT_DIR/ovs-one.json"
    cp "$VT_DIR/delete.json" "$VT_DIR/ovs-delete.json"
    timeout_s=$((120 + n / 40))

    step "ovs-vtep, N=$n: insert in one transaction"
    ovs_run ovs-insert insert
    have=$(ovs_flow_count)
    [ "$have" = "$n" ] || fail "N=$n: ovs-vtep's bridge has $have MAC flows"

    step "ovs-vtep, N=$n: one more"
    ovs_run ovs-one insert

    step "ovs-vtep, N=$n: delete all in one transaction"
    ovs_run ovs-delete delete
    have=$(ovs_flow_count)
    [ "$have" = 0 ] || fail "N=$n: ovs-vtep's bridge kept $have MAC flows"
    wait_until 120 ovs_no_tunnels \
        || fail "N=$n: ovs-vtep did not remove its tunnels"

    ins=$VT_DIR/ovs-insert.out
    one=$VT_DIR/ovs-one.out
    del=$VT_DIR/ovs-delete.out
    # shellcheck disable=SC2059
    ovs_rows+=("$(printf "$ovs_fmt" "$n" \
        "$(bench_json "$ins" commit_s)" "$(bench_json "$ins" kernel_s)" \
        "$(bench_json "$ins" resolution_s)" \
        "$(ms "$(bench_json "$one" kernel_s)")" \
        "$(bench_json "$del" commit_s)" "$(bench_json "$del" kernel_s)" \
        "$(bench_json "$del" resolution_s)" \
        "$(bench_json "$ins" "cpu_s.${ovs_pids[0]}")" \
        "$(bench_json "$ins" "cpu_s.${ovs_pids[1]}")" \
        "$(bench_json "$ins" "cpu_s.${ovs_pids[2]}")" \
        "$(bench_json "$del" "cpu_s.${ovs_pids[0]}")")")
    vt_log "ovs-vtep N=$n: ${ovs_rows[-1]}"
    datum ovs-vtep "$n" "$ins" "$one" "$del"
    o_ins=$(bench_json "$ins" kernel_s)
    o_one=$(bench_json "$one" kernel_s)
    o_del=$(bench_json "$del" kernel_s)
    # shellcheck disable=SC2059
    cmp_rows+=("$(printf "$cmp_fmt" "$n" \
        "${v_ins[$n]}" "$o_ins" "$(bench_ratio "${v_ins[$n]}" "$o_ins")" \
        "$(ms "${v_one[$n]}")" "$(ms "$o_one")" \
        "$(bench_ratio "${v_one[$n]}" "$o_one")" \
        "${v_del[$n]}" "$o_del" "$(bench_ratio "${v_del[$n]}" "$o_del")")")
done

printf '\nremote MACs: one transaction inserts N Ucast_Macs_Remote rows '
printf '(100 locators), one deletes them\n'
printf '%s\n' "$(bench_machine)"
printf 'seconds from sending the transaction; kernel = last FDB entry '
printf 'notified (rtnetlink, not polled)\n\n'
# shellcheck disable=SC2059
printf "$fmt" N commit kernel '+1 ms' '+1L ms' 'del.cmt' 'del.kern' \
    'RSS MiB' \
    'busy.in' 'busy.dl' 'cpu.vd' 'cpu.db' 'cpu.vd' 'RSS.del' lost
printf '%s\n' "${rows[@]}"
cat <<'EOF'

commit    insertion: sending -> commit reply (ovsdb-server's work)
kernel    insertion: sending -> last of the N remote MACs in the kernel FDB
+1 ms     then, vtepd idle again, one more row behind an existing
          locator: sending -> that MAC in the kernel FDB, in milliseconds
+1L ms    then one more row with a new locator, likewise
del.cmt   deletion of all N + 2 rows: sending -> commit reply
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

if [ ${#ovs_rows[@]} -eq 0 ]; then
    exit 0
fi
printf '\novs-vtep of Open vSwitch %s (userspace datapath), ' \
    "$(bench_ovs_version)"
printf 'the same transactions, N up to %s\n' "$ovs_max"
printf 'seconds from sending the transaction; dp = last MAC flow in (out '
printf 'of) the bridge of ls0, polled\n\n'
# shellcheck disable=SC2059
printf "$ovs_fmt" N commit dp res '+1 ms' 'del.cmt' 'del.dp' res \
    'cpu.vt' 'cpu.sw' 'cpu.db' 'cpu.vt'
printf '%s\n' "${ovs_rows[@]}"
cat <<'EOF'

dp        sending -> the end of the first "ovs-ofctl dump-flows" of the
          bridge of ls0 (one every 0.1 s) with all N MAC flows (del.dp: none)
res       resolution of dp: from the start of the dump before that one to
          its end
+1 ms     then, right away, one more row (with a new locator): sending ->
          its flow, in milliseconds
cpu.vt    CPU time ovs-vtep used from sending until dp, with its ovs-vsctl,
          ovs-ofctl and vtep-ctl children (insertion, deletion); cpu.sw:
          ovs-vswitchd, cpu.db: ovsdb-server (insertion)
EOF

printf '\nside by side: seconds until the datapath has all the MACs (+1: '
printf 'ms; delete: none);\nratio = ovs-vtep / vtepd\n\n'
# shellcheck disable=SC2059
printf "$cmp_fmt" '' insert '' '' '+1 MAC' '' '' delete '' ''
# shellcheck disable=SC2059
printf "$cmp_fmt" N vtepd ovs-vtep ratio vtepd ovs-vtep ratio \
    vtepd ovs-vtep ratio
printf '%s\n' "${cmp_rows[@]}"
if [ ${#ovs_rows[@]} -lt ${#sizes[@]} ]; then
    printf '(ovs-vtep not run for N above %s: -o sets that limit)\n' \
        "$ovs_max"
fi
