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
#
# For comparison, host "ov1" and VM "ovm1" are the same with OVS's ovs-vtep
# (Debian's openvswitch-vtep) in place of vtepd, on an ovs-vswitchd with
# the userspace datapath (tests/system/lib-ovs.sh): physical switch ov1 is
# an OVS bridge with port p1, and ovs-vtep makes one more bridge for ls0.

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../system/lib-ovs.sh
. "$BENCH_DIR/../system/lib-ovs.sh"
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
    # A failing command here (a log without warnings) must not stop the
    # cleanup half-way.
    set +e
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

# bench_scale_options LETTER VAR USAGE ARG...: the options of scale.sh and
# restart.sh.  Sets n_ls (-l, default 4000), n_macs (-m, 25), n_vteps (-v,
# 10) and timeout_s (-t, 1800), and the variable named VAR with option
# -LETTER (the caller sets its default).  On a bad option prints lines
# USAGE (a sed range such as 4,8) of the script, without "# ", and exits 2.
bench_scale_options() {
    local letter=$1 var=$2 usage=$3 opt OPTIND=1
    shift 3
    n_ls=4000
    n_macs=25
    n_vteps=10
    timeout_s=1800
    while getopts "l:m:v:$letter:t:h" opt; do
        case $opt in
            l) n_ls=$OPTARG ;;
            m) n_macs=$OPTARG ;;
            v) n_vteps=$OPTARG ;;
            t) timeout_s=$OPTARG ;;
            "$letter") printf -v "$var" %s "$OPTARG" ;;
            *) sed -n "${usage}s/^# \{0,1\}//p" "$0" >&2; exit 2 ;;
        esac
    done
    shift $((OPTIND - 1))
    [ $# = 0 ] || fail "unexpected arguments: $*"
    bench_sizes "$n_ls" "$n_macs" "$n_vteps" "${!var}" "$timeout_s"
    [ "$n_ls" -le 4094 ] || fail "-l: at most 4094 logical switches (VLANs)"
}

# bench_hosts: namespaces hv1 (tunnel IP 10.0.0.1 on "ul0") and vm1 (eth0,
# whose peer is hv1's p1).  Not every kernel has the dummy driver, so ul0
# is a veth whose peer stays in hv1.
bench_hosts() {
    bench_host hv1 vm1
}

# bench_host HOST VM: namespaces HOST (tunnel IP 10.0.0.1 on "ul0") and VM
# (eth0, whose peer is HOST's p1).
bench_host() {
    local host=$1 vm=$2
    vt_add_ns "$host"
    vt_quiet_ns "$host"
    ip -n "$(ns "$host")" link add name ul0 type veth peer name ul0p \
        || fail "cannot create $host's ul0"
    ip -n "$(ns "$host")" link set dev ul0p up
    ip -n "$(ns "$host")" addr add 10.0.0.1/8 dev ul0
    ip -n "$(ns "$host")" link set dev ul0 up
    add_vm "$vm" "$host" p1 02:00:00:00:00:01 192.168.1.1/24
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

# bench_ovs_start: host ov1 and VM ovm1, with Open vSwitch (userspace
# datapath) and ovs-vtep for physical switch ov1, whose hardware_vtep
# database (on $VT_DIR/ov1.sock) has ls0 (tunnel key 5000) bound to
# (p1, 0); waits until ovs-vtep has made ls0's bridge and its learning flow.
bench_ovs_start() {
    bench_host ov1 ovm1
    ovs_vtep_host ov1 10.0.0.1/8 p1
    vtctl ov1 add-ls ls0
    vtctl ov1 set Logical_Switch ls0 tunnel_key=5000
    vtctl ov1 bind-ls ov1 p1 0 ls0
    wait_until 30 bench_ovs_ready || fail "ovs-vtep did not set up ls0"
}

# bench_ovs_bridge: the OVS bridge that ovs-vtep made for ls0 (empty if
# there is none).
bench_ovs_bridge() {
    ovs_vsctl ov1 --bare --columns=name find Bridge \
        external_ids:logical_switch_name=ls0 2>/dev/null
}

# bench_ovs_mgmt: the OpenFlow management socket of ls0's OVS bridge.
bench_ovs_mgmt() {
    local br
    br=$(bench_ovs_bridge)
    [ -n "$br" ] || fail "ovs-vtep has no bridge for ls0"
    printf '%s\n' "$VT_DIR/ov1-ovs/$br.mgmt"
}

# bench_ovs_ready: ovs-vtep has made ls0's bridge and the flow of p1's
# binding that learns source MACs.
bench_ovs_ready() {
    local br
    br=$(bench_ovs_bridge)
    [ -n "$br" ] && ovs_ofctl ov1 dump-flows "$br" table=0 2>/dev/null \
        | grep -q 'learn('
}

# bench_ovs_ready_cmd: bench_ovs_ready as one "sh -c" command line, for
# vtepbench.py.
bench_ovs_ready_cmd() {
    printf '%s' "br=\$(ovs-vsctl --timeout=10 --db=unix:$VT_DIR/ov1-ovs.sock" \
        " --bare --columns=name find Bridge" \
        " external_ids:logical_switch_name=ls0) && [ -n \"\$br\" ] &&" \
        " ovs-ofctl --timeout=10 dump-flows unix:$VT_DIR/ov1-ovs/\$br.mgmt" \
        " table=0 | grep -q 'learn('"
}

# bench_ovs_pids: the pids of ov1's ovs-vtep, ovs-vswitchd and ovsdb-server.
bench_ovs_pids() {
    cat "$VT_DIR/ov1-ovs-vtep.pid" "$VT_DIR/ov1-vswitchd.pid" \
        "$VT_DIR/ov1-ovs-ovsdb.pid"
}

# bench_ovs_version: ovs-vtep's Open vSwitch version.
bench_ovs_version() {
    ovs-vswitchd --version | sed -n '1s/.*) *//p'
}

# bench_ratio A B: B / A with 2 significant digits ("-" if either is "-").
bench_ratio() {
    awk -v a="$1" -v b="$2" 'BEGIN {
        if (a == "-" || b == "-" || a + 0 <= 0) { print "-"; exit }
        r = b / a
        if (r >= 100) printf "%d\n", r + 0.5
        else if (r >= 10) printf "%.0f\n", r
        else printf "%.2g\n", r
    }'
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

# bench_log_times WALL REGEX: the seconds from Unix time WALL to each line
# of hv1's vtepd log, logged after WALL, that matches REGEX, one per line.
bench_log_times() {
    python3 - "$VT_DIR/hv1-vtepd.log" "$1" "$2" <<'EOF'
import calendar, re, sys, time
path, since, pattern = sys.argv[1], float(sys.argv[2]), re.compile(sys.argv[3])
for line in open(path, errors="replace"):
    if not pattern.search(line):
        continue
    stamp = line.split("|", 1)[0]
    try:
        t = calendar.timegm(time.strptime(stamp[:19], "%Y-%m-%dT%H:%M:%S"))
        t += float("0" + stamp[19:].rstrip("Z"))
    except ValueError:
        continue
    if t >= since - 0.001:
        print("%.3f" % (t - since))
EOF
}

# bench_log_count WALL REGEX: how many lines of hv1's vtepd log logged after
# Unix time WALL match REGEX.
bench_log_count() {
    bench_log_times "$1" "$2" | wc -l
}

# bench_log_first WALL REGEX: seconds from Unix time WALL to the first line
# of hv1's vtepd log, logged after WALL, that matches REGEX ("-" if none).
bench_log_first() {
    local first
    first=$(bench_log_times "$1" "$2" | sed -n 1p)
    echo "${first:--}"
}

# bench_counter NAME...: hv1's vtepd's coverage counters NAME..., on one
# line.  vtepd adds what it counted to the totals that ovs-appctl reads at
# most once a second, when its main loop next wakes up, so the counters
# are read once a second has passed and one more request has woken it.
bench_counter() {
    local name
    sleep 1.1
    appctl hv1 version >/dev/null || fail "vtepd does not answer"
    for name; do
        appctl hv1 coverage/read-counter "$name" \
            || fail "cannot read coverage counter $name"
    done | tr '\n' ' ' | sed 's/ $//'
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

# ---------------------------------------------------------------------------
# The scale set-up (scale.sh, restart.sh): many logical switches, each bound
# to its own VLAN of one trunk port, with remote MACs behind ten VTEPs.

# bench_scale_hosts: namespace hv1 on the underlay (tunnel IP 10.0.0.1/8 on
# ul0) and VM namespace vm1 whose eth0 (untagged, 02:00:00:00:00:01) is the
# peer of hv1's trunk port p1.
bench_scale_hosts() {
    add_host hv1 10.0.0.1/8
    add_vm vm1 hv1 p1 02:00:00:00:00:01 192.168.0.1/24
}

# bench_scale_db LS MACS VTEPS OUT: hv1's database: physical switch hv1
# (tunnel IP 10.0.0.1) with port p1, then, with vtepbench.py scale-build,
# logical switches ls1 .. lsLS (tunnel keys 10001 ...) bound to VLANs 1 ..
# LS of p1, MACS remote MACs each over VTEPS locators 10.1.0.1 ..., and an
# unknown-dst flood entry each.  The figures go to OUT.
bench_scale_db() {
    start_ovsdb hv1
    vtctl hv1 add-ps hv1
    vtctl hv1 set Physical_Switch hv1 tunnel_ips=10.0.0.1
    vtctl hv1 add-port hv1 p1
    python3 "$BENCH_PY" scale-build --db "unix:$VT_DIR/hv1.sock" \
        --ls "$1" --macs "$2" --vteps "$3" --flood >"$4" \
        || fail "could not fill the database"
}

# bench_scale_start N FLOOD TIMEOUT OUT: starts hv1's vtepd (at $BENCH_LOG)
# under "vtepbench.py fdb-watch", which follows the kernel from before the
# start until the N remote MACs and FLOOD flood entries are in (at most
# TIMEOUT seconds) and writes its figures to OUT.
bench_scale_start() {
    vtepd_cmd hv1
    VT_PIDFILES+=("$VT_DIR/hv1-vtepd.pid")
    on hv1 python3 "$BENCH_PY" fdb-watch --n "$1" --flood "$2" \
        --timeout "$3" --pidfile "$VT_DIR/hv1-vtepd.pid" -- \
        "${VTEPD_CMD[@]}" --db="unix:$VT_DIR/hv1.sock" \
        --pidfile="$VT_DIR/hv1-vtepd.pid" \
        -vconsole:off "-vfile:$BENCH_LOG" \
        --log-file="$VT_DIR/hv1-vtepd.log" \
        --unixctl="$VT_DIR/hv1-vtepd.ctl" \
        --detach --no-chdir hv1 >"$4" \
        || fail "vtepd did not converge: $(cat "$4")"
}

# bench_netdevs: counts of hv1's netdevs by kind, on one line: vtepd's
# bridges (vtb), VXLAN devices (vtx), bridge ends (vtv) and access ends
# (vtw) of veth pairs, and all netdevs.
bench_netdevs() {
    ip -n "$(ns hv1)" -o link show 2>/dev/null \
        | awk -F': ' '{ name = $2; sub(/@.*/, "", name); all++
                        if (name ~ /^vt[bxvw][0-9a-f]+$/ \
                            && length(name) == 11)
                            n[substr(name, 1, 3)]++ }
                      END { printf "vtb %d vtx %d vtv %d vtw %d all %d\n",
                                   n["vtb"], n["vtx"], n["vtv"], n["vtw"],
                                   all }'
}
