#!/bin/bash
# tests/bench/local-learning.sh -- how fast learned MACs reach the database.
#
# Usage: tests/bench/local-learning.sh [-t TRIALS] [-g GAP] [-r REMOTE] [N...]
#        (defaults: 100 trials 50 ms apart, no remote MACs, bursts of 1000
#        and 10000)
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
while getopts t:g:r:h opt; do
    case $opt in
        t) trials=$OPTARG ;;
        g) gap=$OPTARG ;;
        r) remote=$OPTARG ;;
        *) sed -n '4,6s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
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
bench_init

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
    --trials "$trials" --gap "$(awk -v g="$gap" 'BEGIN { print g / 1000 }')" \
    --bursts "${sizes[@]}" --port p1 --ls-uuid "$ls_uuid" \
    --timeout "$timeout_s" --pid "$vpid" --pid "$opid" \
    >"$VT_DIR/learn.out" || fail "learning benchmark failed"
out=$VT_DIR/learn.out
rx_dropped=$(ip -n "$(ns hv1)" -s -j link show dev p1 \
             | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["stats64"]["rx"]["dropped"])')
rss=$(bench_rss_mib "$vpid")
lost=$(bench_log_count 0 'notifications lost')

printf '\nlocal learning: frame from a new source MAC on a bound port -> '
printf 'its Ucast_Macs_Local row\n'
printf '%s\n' "$(bench_machine)"
if [ "$remote" -gt 0 ]; then
    printf 'ls0 also holds %s remote MACs\n' "$remote"
fi
if [ "$trials" -gt 0 ]; then
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
        printf '  (%s trials saw no row within %s s)\n' \
            "$(bench_json "$out" trials.missed)" "$timeout_s"
    fi
fi

printf '\nbursts, seconds from the first frame sent:\n'
printf '  %7s %8s %8s %8s %8s %7s %7s | %8s %8s %8s %7s\n' \
    N sent 'first' median 'all' 'cpu.vd' 'cpu.db' unbind.c gone rows \
    'cpu.vd'
i=0
for n in "${sizes[@]}"; do
    b=bursts.$i
    printf '  %7s %8s %8s %8s %8s %7s %7s | %8s %8s %8s %7s\n' "$n" \
        "$(bench_json "$out" "$b.send_s")" \
        "$(bench_json "$out" "$b.first_row_s")" \
        "$(bench_json "$out" "$b.median_row_s")" \
        "$(bench_json "$out" "$b.rows_s")" \
        "$(bench_json "$out" "$b.cpu_learn_s.$vpid")" \
        "$(bench_json "$out" "$b.cpu_learn_s.$opid")" \
        "$(bench_json "$out" "$b.unbind_commit_s")" \
        "$(bench_json "$out" "$b.unbind_gone_s")" \
        "$(bench_json "$out" "$b.unbind_rows")" \
        "$(bench_json "$out" "$b.cpu_unbind_s.$vpid")"
    if [ "$(bench_json "$out" "$b.rows_seen")" != "$n" ]; then
        printf '  (only %s of %s rows appeared)\n' \
            "$(bench_json "$out" "$b.rows_seen")" "$n"
    fi
    i=$((i + 1))
done
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
