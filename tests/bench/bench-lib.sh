# shellcheck shell=bash
# tests/bench/bench-lib.sh -- what vtepd's benchmarks share.
#
# Sourced by tests/bench/*.sh after tests/system/lib.sh, whose helpers
# (namespaces, ovsdb-server, vtep-ctl, vtepd, cleanup) the benchmarks use.
# Adds:
#
#   BENCH_LOG   vtepd's log file level (default: info, what a deployment
#               runs with; the system tests use dbg, which logs every
#               datapath operation and netlink message and so measures the
#               logging more than vtepd).
#   VT_KEEP_DIR if 1, the scratch directory is kept (it is otherwise
#               removed, also when a benchmark fails, after the daemons'
#               logs were printed).
#
# The host namespace "hv1" has an underlay device "ul0" (one end of a veth
# pair whose other end, "ul0p", is there too) with the tunnel IP
# 10.0.0.1/8, and the VM namespace "vm1" an eth0 whose veth peer is hv1's
# port p1.  Logical switch ls0 (tunnel key 5000) is bound to (p1, 0).

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck disable=SC2034  # used by the scripts that source this file
BENCH_PY=$BENCH_DIR/vtepbench.py
BENCH_LOG=${BENCH_LOG:-info}

# bench_init: vt_init, with a cleanup that also removes the scratch
# directory when the benchmark fails (after printing the daemons' logs).
bench_init() {
    BENCH_LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
    vt_init
    command -v python3 >/dev/null 2>&1 || fail "python3 not found"
    trap bench_on_exit EXIT
}

bench_on_exit() {
    local status=$?
    trap - EXIT INT TERM
    trap '' PIPE
    vt_cleanup
    if [ "$status" -ne 0 ] && [ -n "${VT_DIR:-}" ]; then
        vt_print_logs
    fi
    if [ "$VT_KEEP_DIR" = 1 ]; then
        printf '(scratch directory kept: %s)\n' "$VT_DIR" >&2
    elif [ -n "${VT_DIR:-}" ] && [ -d "$VT_DIR" ]; then
        rm -rf "$VT_DIR"
    fi
    exit "$status"
}

# bench_sizes ARG...: checks that every ARG is a positive integer.
bench_sizes() {
    local n
    for n; do
        case $n in
            '' | *[!0-9]* | 0*) fail "not a positive integer: '$n'" ;;
        esac
    done
}

# bench_hosts: namespaces hv1 (tunnel IP 10.0.0.1 on "ul0") and vm1 (eth0,
# whose peer is hv1's p1).  Not every kernel has the dummy driver, so ul0
# is a veth whose peer stays in hv1.
bench_hosts() {
    vt_add_ns hv1
    vt_quiet_ns hv1
    ip -n "$(ns hv1)" link add name ul0 type veth peer name ul0p \
        || fail "cannot create hv1's ul0"
    ip -n "$(ns hv1)" link set dev ul0p up
    ip -n "$(ns hv1)" addr add 10.0.0.1/8 dev ul0
    ip -n "$(ns hv1)" link set dev ul0 up
    add_vm vm1 hv1 p1 02:00:00:00:00:01 192.168.1.1/24
}

# bench_configure: hv1's database with physical switch hv1 (tunnel IP
# 10.0.0.1), port p1 and ls0 (tunnel key 5000) bound to (p1, 0).
bench_configure() {
    start_ovsdb hv1
    vtctl hv1 add-ps hv1
    vtctl hv1 set Physical_Switch hv1 tunnel_ips=10.0.0.1
    vtctl hv1 add-port hv1 p1
    vtctl hv1 add-ls ls0
    vtctl hv1 set Logical_Switch ls0 tunnel_key=5000
    vtctl hv1 bind-ls hv1 p1 0 ls0
}

# bench_start_vtepd: (re)starts hv1's vtepd, logging at $BENCH_LOG, and
# waits until ls0's VXLAN device is in its bridge with p1.
bench_start_vtepd() {
    if vtepd_alive hv1; then
        stop_vtepd hv1
    fi
    start_vtepd hv1 hv1 "-vfile:$BENCH_LOG"
    wait_until 30 bench_ready || fail "vtepd did not set up ls0"
}

bench_ready() {
    local br
    br=$(ls_bridge hv1 5000) || return 1
    [ -n "$br" ] && [ "$(link_master hv1 p1)" = "$br" ]
}

# bench_vxlan: the name of ls0's VXLAN device.
bench_vxlan() {
    vt_links hv1 vxlan | grep -m1 '^vtx'
}

# bench_pid NAME: the pid of hv1's daemon NAME (vtepd or ovsdb).
bench_pid() {
    cat "$VT_DIR/hv1-$1.pid"
}

# bench_rss_mib PID: the resident set size of PID in MiB.
bench_rss_mib() {
    awk '/^VmRSS:/ { printf "%.1f\n", $2 / 1024 }' "/proc/$1/status"
}

# bench_ls_uuid: the UUID of ls0's row.
bench_ls_uuid() {
    vtq hv1 get Logical_Switch ls0 _uuid
}

# bench_json FILE KEY: the value of KEY (a dotted path) in the JSON object
# in FILE, "-" if it is null or missing, numbers with 3 decimals.
bench_json() {
    python3 - "$1" "$2" <<'EOF'
import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    v = v.get(k) if isinstance(v, dict) else (
        v[int(k)] if isinstance(v, list) and int(k) < len(v) else None)
if v is None:
    print("-")
elif isinstance(v, float):
    print("%.3f" % v)
else:
    print(v)
EOF
}

# bench_log_count WALL REGEX: how many lines of hv1's vtepd log logged after
# Unix time WALL match REGEX.
bench_log_count() {
    python3 - "$VT_DIR/hv1-vtepd.log" "$1" "$2" <<'EOF'
import calendar, re, sys, time
path, since, pattern = sys.argv[1], float(sys.argv[2]), re.compile(sys.argv[3])
n = 0
for line in open(path, errors="replace"):
    if not pattern.search(line):
        continue
    stamp = line.split("|", 1)[0]
    try:
        t = calendar.timegm(time.strptime(stamp[:19], "%Y-%m-%dT%H:%M:%S"))
        t += float("0" + stamp[19:].rstrip("Z"))
    except ValueError:
        continue
    n += t >= since - 0.001
print(n)
EOF
}

# bench_machine: two lines about the machine and what ran the benchmark
# (the load average: other work on the machine skews the figures).
bench_machine() {
    printf '%s, %s CPUs, kernel %s, %s\n' \
        "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)" \
        "$(nproc)" "$(uname -r)" "$("$VTEPD" --version | head -n 1)"
    printf 'load average at the start: %s; now: %s\n' "$BENCH_LOAD" \
        "$(cut -d' ' -f1-3 /proc/loadavg)"
}
