# shellcheck shell=bash
# tests/system/lib.sh -- helpers for vtepd's system tests.
#
# Sourced by tests/system/NN-*.sh and utilities/vtep-lab-classic.sh.  Every
# run gets a scratch directory and a namespace prefix of its own, so parallel
# or leftover runs never clash:
#
#   VT_DIR      scratch directory (default: a fresh mktemp -d); databases,
#               sockets, pid files, logs and captures live here.
#   VT_PREFIX   namespace name prefix (default: vt$$); the namespace of
#               host "hv1" is "$VT_PREFIX-hv1", the underlay is
#               "$VT_PREFIX-underlay".
#   VTEPD       the daemon to test (default: vtepd/vtepd of this tree).
#   VT_VLAN_ACCESS  the tool that gives VMs VLAN interfaces (default:
#               tests/vlan-access of the tree that VTEPD was built in).
#   VT_VERBOSE  if 1, vtctl echoes each vtep-ctl command before running it.
#   VT_KEEP_DIR if 1, the scratch directory is kept even after success.
#   VTEPD_SANITIZERS  if "yes" (vtepd built with -fsanitize=address,undefined,
#               see "make check-sanitizers"), vtepd's sanitizer reports go
#               to the scratch directory, vtepd is stopped with "exit" at the
#               end so that LeakSanitizer runs, and a test whose vtepd
#               reported anything fails.
#   VTEPD_WRAPPER  an array: a command, with its arguments, that starts
#               vtepd (e.g. setpriv(1)), or empty.
#   VTEPD_VALGRIND  if "yes", vtepd runs under valgrind memcheck, whose
#               reports go to the scratch directory; vtepd is stopped with
#               "exit" at the end, and a test whose vtepd had a memory error
#               or a definite leak fails.
#
# The cleanup registered by vt_init (on_exit, on EXIT, INT and TERM) kills
# exactly the processes this run started (by their pid files, after checking
# that the pid still runs a command line that names our scratch directory)
# and deletes exactly the namespaces this run created.  Deleting a namespace
# deletes the links in it, and with them the peers of its veth pairs.
#
# Tests use only the helpers here and never a fixed sleep: conditions are
# polled with wait_until.

VT_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VTEPD=${VTEPD:-$VT_TOP/vtepd/vtepd}
VT_VLAN_ACCESS=${VT_VLAN_ACCESS:-$(dirname "$VTEPD")/../tests/vlan-access}
VT_SCHEMA=${VT_SCHEMA:-/usr/share/openvswitch/vtep.ovsschema}
VT_VERBOSE=${VT_VERBOSE:-0}
VT_KEEP_DIR=${VT_KEEP_DIR:-0}

VT_NAMESPACES=()        # Namespaces this run created, in creation order.
VT_PIDFILES=()          # Pid files of daemons this run started.
VT_PIDS=()              # Pids of background helpers (tcpdump) we started.
VT_HOSTS=()             # Hosts added with add_host.
VT_CLEANED=0
VT_NO_CLEANUP=0         # Set to 1 to leave everything running at exit.
VT_STATUS=0

# ---------------------------------------------------------------------------
# Messages and failure.

vt_log() {
    printf '%s\n' "$*" >&2
}

# fail MESSAGE...: report a failed assertion and exit non-zero.  The EXIT
# trap then prints the daemons' logs and cleans up.
fail() {
    printf 'FAIL: %s\n' "$*" >&2
    exit 1
}

# step MESSAGE...: announce a step of a test.
step() {
    printf '=== %s\n' "$*" >&2
}

# ---------------------------------------------------------------------------
# Set-up and tear-down.

vt_require_root() {
    if [ "$(id -u)" -ne 0 ]; then
        printf 'FAIL: %s must run as root (network namespaces, ' "$0" >&2
        printf 'ovsdb-server and vtepd in them)\n' >&2
        exit 1
    fi
}

vt_require_tools() {
    local tool
    for tool in ip bridge ovsdb-tool ovsdb-server vtep-ctl ovs-appctl \
                tcpdump ping timeout; do
        command -v "$tool" >/dev/null 2>&1 \
            || fail "required tool '$tool' not found"
    done
    [ -f "$VT_SCHEMA" ] || fail "$VT_SCHEMA not found (openvswitch-vtep)"
}

# vt_init: the first thing a test does after sourcing this file.
vt_init() {
    vt_require_root
    vt_require_tools
    VT_PREFIX=${VT_PREFIX:-vt$$}
    if [ -z "${VT_DIR:-}" ]; then
        VT_DIR=$(mktemp -d "${TMPDIR:-/tmp}/vtepd-systest.XXXXXX")
    else
        mkdir -p "$VT_DIR"
    fi
    # Keep OVS tools away from the system's run, log and database
    # directories.
    export OVS_RUNDIR=$VT_DIR OVS_LOGDIR=$VT_DIR OVS_DBDIR=$VT_DIR
    trap on_exit EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

# vt_print_logs: show what the daemons logged, for debugging a failure:
# their warnings and errors, then the end of each log without the
# debug-level chatter of netlink and the poll loop.
vt_print_logs() {
    local f
    for f in "$VT_DIR"/*-vtepd.log "$VT_DIR"/*-ovsdb.log \
             "$VT_DIR"/*-vswitchd.log "$VT_DIR"/*-ovs-vtep.log \
             "$VT_DIR"/*-ovn*.log; do
        [ -f "$f" ] || continue
        printf '\n----- warnings and errors in %s -----\n' "$f" >&2
        grep -E '\|(WARN|ERR|EMER)\|' "$f" | tail -n 20 >&2
        printf -- '----- tail of %s -----\n' "$f" >&2
        grep -Ev '\|(netlink_socket|poll_loop|reconnect|jsonrpc)\|DBG\|' "$f" \
            | tail -n 40 >&2
    done
}

# vt_pid_is_ours PID: true if PID runs a command line that mentions our
# scratch directory, i.e. is a process this run started.
vt_pid_is_ours() {
    local pid=$1 cmdline
    [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
    cmdline=$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null) || return 1
    case $cmdline in
        *"$VT_DIR"*) return 0 ;;
        *) return 1 ;;
    esac
}

vt_pid_alive() {
    kill -0 "$1" 2>/dev/null
}

# vt_kill_pid PID: terminates PID, escalating to SIGKILL if it lingers.
vt_kill_pid() {
    local pid=$1 i
    vt_pid_alive "$pid" || return 0
    kill -TERM "$pid" 2>/dev/null || return 0
    for ((i = 0; i < 100; i++)); do
        vt_pid_alive "$pid" || return 0
        # A child of this shell lingers as a zombie until it is reaped.
        if [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" = Z ]; then
            wait "$pid" 2>/dev/null || true
            return 0
        fi
        sleep 0.05
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

# vt_kill_pidfile FILE: kills the daemon named in pid file FILE, if it is
# ours.
vt_kill_pidfile() {
    local file=$1 pid
    [ -f "$file" ] || return 0
    pid=$(cat "$file" 2>/dev/null) || return 0
    if vt_pid_is_ours "$pid"; then
        vt_kill_pid "$pid"
    fi
}

vt_cleanup() {
    local i pid ns f
    [ "$VT_CLEANED" = 1 ] && return 0
    VT_CLEANED=1
    for pid in "${VT_PIDS[@]}"; do
        vt_kill_pid "$pid"
    done
    # Under the sanitizers or valgrind, vtepd exits by itself, so that the
    # leak check runs (a process killed by a signal is not checked).
    if vt_checked; then
        for f in "${VT_PIDFILES[@]}"; do
            case $f in
                *-vtepd.pid)
                    pid=$(cat "$f" 2>/dev/null) || continue
                    vt_pid_is_ours "$pid" || continue
                    ovs-appctl --timeout=5 -t "${f%.pid}.ctl" exit \
                        >/dev/null 2>&1 || true
                    wait_until 30 not vt_pid_is_ours "$pid" || true
                    ;;
            esac
        done
    fi
    # Daemons in reverse start order: vtepd before its ovsdb-server.
    for ((i = ${#VT_PIDFILES[@]} - 1; i >= 0; i--)); do
        vt_kill_pidfile "${VT_PIDFILES[i]}"
    done
    for ((i = ${#VT_NAMESPACES[@]} - 1; i >= 0; i--)); do
        ns=${VT_NAMESPACES[i]}
        if vt_ns_exists "$ns"; then
            ip netns del "$ns" 2>/dev/null \
                || vt_log "warning: could not delete namespace $ns"
        fi
    done
}

# vt_checked: vtepd runs under the sanitizers or valgrind.
vt_checked() {
    [ "${VTEPD_SANITIZERS:-}" = yes ] || [ "${VTEPD_VALGRIND:-}" = yes ]
}

# vt_sanitizer_reports: with VTEPD_SANITIZERS=yes, prints what
# AddressSanitizer or UndefinedBehaviorSanitizer reported in vtepd (written
# to $VT_DIR/HOST-vtepd.{asan,ubsan}.PID); with VTEPD_VALGRIND=yes, what
# valgrind reported ($VT_DIR/HOST-vtepd.valgrind.PID: memory errors and
# definite leaks).  Fails if there was anything.
vt_sanitizer_reports() {
    local f found=0
    vt_checked || return 0
    for f in "$VT_DIR"/*-vtepd.asan.* "$VT_DIR"/*-vtepd.ubsan.* \
             "$VT_DIR"/*-vtepd.valgrind.*; do
        # Each tool writes only what it found (valgrind runs with -q).
        [ -s "$f" ] || continue
        found=1
        printf '\n----- report %s -----\n' "$f" >&2
        cat "$f" >&2
    done
    if [ "$found" = 1 ]; then
        printf 'FAIL: vtepd has memory errors or leaks\n' >&2
        return 1
    fi
}

on_exit() {
    VT_STATUS=$?
    trap - EXIT INT TERM
    # Clean up even if whoever reads our output has gone away.
    trap '' PIPE
    if [ "$VT_NO_CLEANUP" = 1 ]; then
        return "$VT_STATUS"
    fi
    vt_cleanup
    vt_sanitizer_reports || VT_STATUS=1
    if [ "$VT_STATUS" -ne 0 ] && [ -n "${VT_DIR:-}" ]; then
        vt_print_logs
        printf '\n(scratch directory kept: %s)\n' "$VT_DIR" >&2
    elif [ "$VT_KEEP_DIR" != 1 ] && [ -n "${VT_DIR:-}" ] \
         && [ -d "$VT_DIR" ]; then
        rm -rf "$VT_DIR"
    fi
    exit "$VT_STATUS"
}

# ---------------------------------------------------------------------------
# Polling.

# wait_until TIMEOUT CMD...: runs CMD every 0.05 s until it succeeds (returns
# 0) or TIMEOUT seconds have passed (returns 1).
wait_until() {
    local timeout=$1 deadline
    shift
    deadline=$(( $(date +%s%N) + ${timeout%.*} * 1000000000 ))
    while :; do
        if "$@"; then
            return 0
        fi
        if [ "$(date +%s%N)" -ge "$deadline" ]; then
            vt_log "wait_until: timed out after ${timeout}s: $*"
            return 1
        fi
        sleep 0.05
    done
}

# matches REGEX: some line of standard input matches extended REGEX.  Reads
# all of its input (unlike grep -q), so that under "set -o pipefail" the
# writer never dies of SIGPIPE and fails the pipeline.
matches() {
    grep -E -- "$1" >/dev/null
}

# text_has TEXT REGEX: some line of TEXT matches extended REGEX.
text_has() {
    grep -E -- "$2" >/dev/null <<<"$1"
}

# not CMD...: succeeds if CMD fails (for wait_until).
not() {
    ! "$@"
}

# ---------------------------------------------------------------------------
# Namespaces and links.

# ns NAME: the namespace of host or VM NAME.
ns() {
    printf '%s-%s\n' "$VT_PREFIX" "$1"
}

vt_ns_exists() {
    [ -e "/run/netns/$1" ]
}

# on NAME CMD...: runs CMD in the namespace of host or VM NAME.
on() {
    local name=$1
    shift
    ip netns exec "$(ns "$name")" "$@"
}

# vt_add_ns NAME: creates the namespace of NAME with lo up.
vt_add_ns() {
    local n
    n=$(ns "$1")
    vt_ns_exists "$n" && fail "namespace $n already exists"
    ip netns add "$n" || fail "cannot create namespace $n"
    VT_NAMESPACES+=("$n")
    ip -n "$n" link set dev lo up
}

# vt_underlay: the shared underlay segment, a bridge in its own namespace.
vt_underlay() {
    vt_ns_exists "$(ns underlay)" && return 0
    vt_add_ns underlay
    ip -n "$(ns underlay)" link add name br0 mtu 1600 type bridge
    ip -n "$(ns underlay)" link set dev br0 up
}

# add_host NAME IP/PREFIX: a hypervisor namespace NAME whose underlay link
# "ul0" (MTU 1600, so that VXLAN's 50 bytes of overhead fit around a 1500
# byte frame) has IP/PREFIX and plugs into the underlay bridge.
add_host() {
    local name=$1 addr=$2 ul
    vt_underlay
    ul=$(ns underlay)
    vt_add_ns "$name"
    vt_quiet_ns "$name"
    ip -n "$ul" link add name "$name" mtu 1600 type veth \
        peer name ul0 mtu 1600 netns "$(ns "$name")" \
        || fail "cannot create the underlay link of $name"
    ip -n "$ul" link set dev "$name" master br0 up
    ip -n "$(ns "$name")" addr add "$addr" dev ul0
    ip -n "$(ns "$name")" link set dev ul0 up
    VT_HOSTS+=("$name")
}

# vt_quiet_ns NAME: no IPv6 in NAME, so that captures hold only what a
# test sends.
vt_quiet_ns() {
    ip netns exec "$(ns "$1")" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 \
        net.ipv6.conf.default.disable_ipv6=1 >/dev/null 2>&1 || true
}

# add_vm NAME HOST PORT MAC IP/PREFIX [VLAN]: a VM namespace NAME whose eth0
# is a veth whose peer is PORT in HOST's namespace.  Without VLAN, eth0 has
# MAC and IP; with VLAN, eth0.VLAN does (tagged frames on PORT).
add_vm() {
    local name=$1 host=$2 port=$3 mac=$4 addr=$5 vlan=${6:-}
    vt_add_ns "$name"
    vt_quiet_ns "$name"
    ip -n "$(ns "$name")" link add name eth0 type veth \
        peer name "$port" netns "$(ns "$host")" \
        || fail "cannot create $name's eth0 / $host's $port"
    ip -n "$(ns "$host")" link set dev "$port" up
    if [ -z "$vlan" ]; then
        ip -n "$(ns "$name")" link set dev eth0 address "$mac"
        ip -n "$(ns "$name")" addr add "$addr" dev eth0
        ip -n "$(ns "$name")" link set dev eth0 up
    else
        ip -n "$(ns "$name")" link set dev eth0 up
        add_vm_vlan "$name" "$vlan" "$mac" "$addr"
    fi
}

# add_vm_vlan NAME VLAN MAC IP/PREFIX: adds eth0.VLAN with MAC and IP to VM
# NAME (one VM can so sit in several logical switches through one port).
# The kernels the tests run on have no 802.1Q VLAN devices, so eth0.VLAN is
# what tests/vlan-access makes: a veth pair and tc eBPF programs that tag
# what eth0.VLAN sends with VLAN on eth0 and hand it the frames tagged VLAN
# that arrive on eth0, untagged (see tests/vlan-access.c).
add_vm_vlan() {
    local name=$1 vlan=$2 mac=$3 addr=$4
    [ -x "$VT_VLAN_ACCESS" ] \
        || fail "vlan-access not found at $VT_VLAN_ACCESS (build the tree," \
                "or set VT_VLAN_ACCESS)"
    on "$name" "$VT_VLAN_ACCESS" eth0 "$vlan" "eth0.$vlan" "$mac" \
        || fail "$VT_VLAN_ACCESS could not make eth0.$vlan in $name"
    ip -n "$(ns "$name")" addr add "$addr" dev "eth0.$vlan" \
        || fail "cannot give eth0.$vlan in $name address $addr"
}

# ---------------------------------------------------------------------------
# ovsdb-server, vtep-ctl, vtepd.

# start_ovsdb HOST: a new hardware_vtep database served on $VT_DIR/HOST.sock
# by an ovsdb-server running in HOST's namespace.
start_ovsdb() {
    local db=$VT_DIR/$1.db
    rm -f "$db"
    ovsdb-tool create "$db" "$VT_SCHEMA" \
        || fail "ovsdb-tool create $db failed"
    run_ovsdb "$1"
}

# run_ovsdb HOST: an ovsdb-server in HOST's namespace serving the database
# $VT_DIR/HOST.db, as it is, on $VT_DIR/HOST.sock.
run_ovsdb() {
    local host=$1 db=$VT_DIR/$1.db
    rm -f "$VT_DIR/$host.sock"
    VT_PIDFILES+=("$VT_DIR/$host-ovsdb.pid")
    on "$host" ovsdb-server "$db" \
        --remote="punix:$VT_DIR/$host.sock" \
        --pidfile="$VT_DIR/$host-ovsdb.pid" \
        --unixctl="$VT_DIR/$host-ovsdb.ctl" \
        -vconsole:off --log-file="$VT_DIR/$host-ovsdb.log" \
        --detach --no-chdir \
        || fail "ovsdb-server for $host did not start"
    wait_until 10 test -S "$VT_DIR/$host.sock" \
        || fail "ovsdb-server for $host did not create its socket"
}

# vtctl HOST ARGS...: vtep-ctl against HOST's database.  With VT_VERBOSE=1
# the command is shown first.
vtctl() {
    local host=$1
    shift
    if [ "$VT_VERBOSE" = 1 ]; then
        printf '[%s]$ vtep-ctl %s\n' "$host" "$*"
    fi
    vtq "$host" "$@"
}

# vtq HOST ARGS...: vtctl, never shown (for queries that checks repeat).
vtq() {
    local host=$1
    shift
    vtep-ctl --timeout=10 --db="unix:$VT_DIR/$host.sock" "$@"
}

# vtepd_cmd NAME: sets VTEPD_CMD to the command that runs vtepd, behind
# VTEPD_WRAPPER if set; with VTEPD_SANITIZERS=yes or VTEPD_VALGRIND=yes its
# reports go to $VT_DIR/NAME-vtepd.*, where vt_sanitizer_reports finds
# them.  For tests that start vtepd in a way of their own.
vtepd_cmd() {
    [ -x "$VTEPD" ] || fail "vtepd not found at $VTEPD (build it, or set VTEPD)"
    VTEPD_CMD=("$VTEPD")
    if [ "${VTEPD_SANITIZERS:-}" = yes ]; then
        VTEPD_CMD=(env
             "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$VT_DIR/$1-vtepd.asan"
             "UBSAN_OPTIONS=${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}print_stacktrace=1:log_path=$VT_DIR/$1-vtepd.ubsan"
             "$VTEPD")
    elif [ "${VTEPD_VALGRIND:-}" = yes ]; then
        VTEPD_CMD=(valgrind -q --leak-check=full
             --errors-for-leak-kinds=definite --show-leak-kinds=definite
             "--log-file=$VT_DIR/$1-vtepd.valgrind.%p" "$VTEPD")
    fi
    if [ -n "${VTEPD_WRAPPER+set}" ]; then
        VTEPD_CMD=("${VTEPD_WRAPPER[@]}" "${VTEPD_CMD[@]}")
    fi
}

# start_vtepd HOST PS [ARGS...]: vtepd for physical switch PS, in HOST's
# namespace, against HOST's database.
start_vtepd() {
    local host=$1 ps=$2
    shift 2
    vtepd_cmd "$host"
    VT_PIDFILES+=("$VT_DIR/$host-vtepd.pid")
    on "$host" "${VTEPD_CMD[@]}" \
        --db="unix:$VT_DIR/$host.sock" \
        --pidfile="$VT_DIR/$host-vtepd.pid" \
        -vconsole:off -vfile:dbg \
        --log-file="$VT_DIR/$host-vtepd.log" \
        --unixctl="$VT_DIR/$host-vtepd.ctl" \
        --detach --no-chdir \
        "$@" "$ps" \
        || fail "vtepd for $host did not start"
    wait_until 10 test -S "$VT_DIR/$host-vtepd.ctl" \
        || fail "vtepd for $host did not create its control socket"
}

# stop_vtepd HOST: stops HOST's vtepd (leaving the kernel state it made).
stop_vtepd() {
    local file=$VT_DIR/$1-vtepd.pid pid
    pid=$(cat "$file") || fail "no pid file $file"
    vt_pid_is_ours "$pid" || fail "vtepd of $1 (pid $pid) is not running"
    vt_kill_pid "$pid"
}

# vtepd_alive HOST: the vtepd of HOST still runs.
vtepd_alive() {
    local pid
    pid=$(cat "$VT_DIR/$1-vtepd.pid" 2>/dev/null) || return 1
    vt_pid_is_ours "$pid"
}

# appctl HOST CMD...: ovs-appctl to HOST's vtepd.
appctl() {
    local host=$1
    shift
    ovs-appctl --timeout=10 -t "$VT_DIR/$host-vtepd.ctl" "$@"
}

# show_has HOST REGEX: HOST's vtepd/show output matches REGEX.
show_has() {
    text_has "$(appctl "$1" vtepd/show 2>/dev/null)" "$2"
}

# ---------------------------------------------------------------------------
# Packet captures.

# start_capture NAME IFACE TAG [FILTER...]: tcpdump on IFACE in NAME's
# namespace into $VT_DIR/TAG.pcap, returns once tcpdump listens.
start_capture() {
    local name=$1 iface=$2 tag=$3 pid
    shift 3
    rm -f "$VT_DIR/$tag.pcap" "$VT_DIR/$tag.err"
    ip netns exec "$(ns "$name")" tcpdump -Z root -U --immediate-mode -n -i "$iface" \
        -w "$VT_DIR/$tag.pcap" "$@" >/dev/null 2>"$VT_DIR/$tag.err" &
    pid=$!
    VT_PIDS+=("$pid")
    printf '%s\n' "$pid" > "$VT_DIR/$tag.capture-pid"
    wait_until 10 grep -qs 'listening on' "$VT_DIR/$tag.err" \
        || fail "tcpdump on $name/$iface did not start: $(cat "$VT_DIR/$tag.err")"
}

# stop_capture TAG: stops the capture TAG.
stop_capture() {
    local pid
    pid=$(cat "$VT_DIR/$1.capture-pid") || fail "no capture $1"
    vt_kill_pid "$pid"
}

# decode TAG [ARGS...]: the capture TAG as text, one packet per line: the
# lines that "tcpdump -nn -e -v" prints for a packet (outer headers, then
# encapsulated frames) joined with " | ".
decode() {
    local tag=$1
    shift
    tcpdump -r "$VT_DIR/$tag.pcap" -nn -e -v "$@" 2>/dev/null \
        | awk '/^[0-9]+:[0-9]+:[0-9]+\.[0-9]+ / {
                   if (rec != "") print rec
                   rec = $0
                   next
               }
               { sub(/^[ \t]+/, ""); rec = rec " | " $0 }
               END { if (rec != "") print rec }'
}

# capture_has TAG REGEX: a decoded packet of TAG matches extended REGEX.
capture_has() {
    decode "$1" | matches "$2"
}

# capture_count TAG REGEX: how many decoded packets of TAG match REGEX.
capture_count() {
    decode "$1" | grep -Ec -- "$2" || true
}

# capture_vnis TAG: the VNIs of the VXLAN packets of TAG, as "vni N" lines,
# sorted and unique.
capture_vnis() {
    decode "$1" | grep -Eo 'vni [0-9]+' | sort -u || true
}

# ---------------------------------------------------------------------------
# Checks on the datapath and database.

# ping_ok VM IP: one ping from VM to IP gets an answer.
ping_ok() {
    on "$1" ping -n -q -c 1 -W 1 "$2" >/dev/null 2>&1
}

# ping_fails VM IP: one ping from VM to IP gets no answer.
ping_fails() {
    ! ping_ok "$@"
}

# vt_links HOST TYPE: names of HOST's links of kind TYPE (bridge, vxlan...).
vt_links() {
    ip -n "$(ns "$1")" -o link show type "$2" | awk -F': ' '{print $2}' \
        | sed 's/@.*//'
}

# has_link HOST DEV: HOST's namespace has netdev DEV.
has_link() {
    ip -n "$(ns "$1")" link show dev "$2" >/dev/null 2>&1
}

# link_master HOST DEV: the device DEV of HOST is a port of (a bridge).
link_master() {
    ip -n "$(ns "$1")" -o link show dev "$2" 2>/dev/null \
        | sed -n 's/.* master \([^ ]*\) .*/\1/p'
}

# ls_bridge HOST VNI: the bridge whose VXLAN port has VNI, i.e. the bridge
# of the logical switch with tunnel key VNI.
ls_bridge() {
    local dev
    dev=$(ip -n "$(ns "$1")" -d -o link show type vxlan \
              | awk -v vni="$2" '$0 ~ (" vxlan id " vni " ") {
                                     name = $2; sub(/:$/, "", name)
                                     sub(/@.*/, "", name); print name }')
    [ -n "$dev" ] && link_master "$1" "$dev"
}

# vlan_dev HOST PORT VLAN: the device of HOST through which frames tagged
# VLAN on PORT enter and leave a bridge: the bridge end of vtepd's veth pair
# for that binding, whose alias says so (see lib/dp-linux.c).
vlan_dev() {
    ip -n "$(ns "$1")" -o link show \
        | awk -v want=":vlan=$3:port=$2" '
              match($0, / alias [^ ]+/) {
                  a = substr($0, RSTART + 7, RLENGTH - 7)
                  if (length(a) > length(want) \
                      && substr(a, length(a) - length(want) + 1) == want) {
                      name = $2; sub(/:$/, "", name); sub(/@.*/, "", name)
                      print name; found = 1
                  }
              }
              END { exit !found }'
}

# ls_netdevs HOST: HOST's vtepd-made netdevs, one per line: bridges (vtb*),
# VXLAN devices (vtx*) and the veth pairs of VLAN bindings (vtv*, vtw*).
ls_netdevs() {
    ip -n "$(ns "$1")" -o link show | awk -F': ' '{print $2}' \
        | sed 's/@.*//' | grep -E '^vt[bxvw][0-9a-f]{8}$' || true
}

no_ls_netdevs() {
    [ -z "$(ls_netdevs "$1")" ]
}

# vxlan_ids HOST: the VNIs of HOST's vxlan netdevs, one per line.
vxlan_ids() {
    ip -n "$(ns "$1")" -d link show type vxlan \
        | sed -n 's/.*vxlan id \([0-9]*\).*/\1/p'
}

has_vxlan_id() {
    vxlan_ids "$1" | grep -x -- "$2" >/dev/null
}

# remote_fdb HOST: HOST's VXLAN forwarding entries as "MAC DST" lines,
# sorted.
remote_fdb() {
    bridge -n "$(ns "$1")" fdb show \
        | awk '$3 ~ /^vtx/ { for (i = 1; i < NF; i++) if ($i == "dst") \
                                 print $1, $(i + 1) }' \
        | sort -u
}

# remote_fdb_is HOST LINES: remote_fdb HOST, its lines joined each ending
# with ";", is LINES.
remote_fdb_is() {
    [ "$(remote_fdb "$1" | tr '\n' ';')" = "$2" ]
}

# count_flood HOST: how many all-zero MAC (flood) VXLAN entries HOST has.
count_flood() {
    remote_fdb "$1" | grep -c '^00:00:00:00:00:00 ' || true
}

flood_count_is() {
    [ "$(count_flood "$1")" = "$2" ]
}

# flood_dsts HOST: the tunnel IPs HOST floods to, one per line.
flood_dsts() {
    remote_fdb "$1" | awk '$1 == "00:00:00:00:00:00" {print $2}'
}

# flood_dsts_are HOST IPS: HOST floods to IPS (separated by spaces), only.
flood_dsts_are() {
    [ "$(flood_dsts "$1" | tr '\n' ' ')" = "$2 " ]
}

# send_arp IP: makes vm1 (192.168.1.1) broadcast an ARP request for IP
# (which no one has).
send_arp() {
    on vm1 ip neigh flush all
    ping_fails vm1 "$1" || fail "someone answered for $1"
}

# arp_seen TAG IP: capture TAG holds vm1's ARP request for IP.
arp_seen() {
    capture_has "$1" "who-has ${2//./\\.} tell 192\.168\.1\.1"
}

# arp_count TAG IP: how many of vm1's ARP requests for IP capture TAG holds.
arp_count() {
    capture_count "$1" "who-has ${2//./\\.} tell 192\.168\.1\.1"
}

# flood_reaches_any IP TAG...: sends an ARP request for IP from vm1 and
# tells whether any capture TAG has seen one.
flood_reaches_any() {
    local ip=$1 tag
    shift
    send_arp "$ip"
    for tag; do
        arp_seen "$tag" "$ip" && return 0
    done
    return 1
}

# local_macs HOST LS: the MACs in HOST's Ucast_Macs_Local for LS.  Fails if
# the database cannot be read.
local_macs() {
    local out
    out=$(vtq "$1" list-local-macs "$2" 2>/dev/null) || return 1
    awk '/^ucast-mac-local/ {u = 1; next} /^$/ {u = 0} u {print $1}' <<<"$out"
}

# local_ipaddr HOST MAC: the ipaddr of HOST's Ucast_Macs_Local row for MAC.
local_ipaddr() {
    vtq "$1" --bare --columns=ipaddr find Ucast_Macs_Local "MAC=\"$2\""
}

# local_ipaddr_is HOST MAC IP: HOST's Ucast_Macs_Local row for MAC has
# ipaddr IP.
local_ipaddr_is() {
    [ "$(local_ipaddr "$1" "$2")" = "$3" ]
}

# tunnel_to HOST IP: the uuid of HOST's Tunnel row to remote IP, or nothing.
tunnel_to() {
    local loc
    loc=$(vtq "$1" --bare --columns=_uuid find Physical_Locator \
              dst_ip="$2") || return 1
    [ -n "$loc" ] || return 1
    vtq "$1" --bare --columns=_uuid find Tunnel remote="$loc"
}

# has_tunnel_to HOST IP: HOST has a Tunnel row to IP.
has_tunnel_to() {
    [ -n "$(tunnel_to "$1" "$2")" ]
}

# bfd_status_key HOST TUNNEL KEY: the value of bfd_status:KEY of HOST's
# TUNNEL row, without quotes, or nothing.
bfd_status_key() {
    vtq "$1" --if-exists get Tunnel "$2" "bfd_status:$3" 2>/dev/null \
        | tr -d '"'
}

# bfd_is HOST TUNNEL KEY VALUE: bfd_status:KEY of HOST's TUNNEL is VALUE.
bfd_is() {
    [ "$(bfd_status_key "$1" "$2" "$3")" = "$4" ]
}

# log_since_adopted HOST: HOST's vtepd log after its last "adopted" line
# (what a restarted vtepd did once it had read the kernel's state).
log_since_adopted() {
    awk '/: adopted / { buf = ""; next } { buf = buf $0 "\n" }
         END { printf "%s", buf }' "$VT_DIR/$1-vtepd.log"
}

# switch_faults HOST PS: the switch_fault_status values of PS in HOST's
# database, sorted, on one line.  Fails if the database cannot be read.
switch_faults() {
    local out
    out=$(vtq "$1" --bare --columns=switch_fault_status find Physical_Switch \
              name="$2") || return 1
    tr ' ' '\n' <<<"$out" | { grep . || true; } | sort | tr '\n' ' ' \
        | sed 's/ $//'
}

# switch_faults_are HOST PS VALUES: switch_faults HOST PS is VALUES.
switch_faults_are() {
    local out
    out=$(switch_faults "$1" "$2") || return 1
    [ "$out" = "$3" ]
}

# has_local_mac HOST LS MAC: MAC is in HOST's Ucast_Macs_Local for LS.
has_local_mac() {
    local macs
    macs=$(local_macs "$1" "$2") || return 1
    grep -ix -- "$3" >/dev/null <<<"$macs"
}

# lacks_local_mac HOST LS MAC: the database can be read and MAC is not in
# HOST's Ucast_Macs_Local for LS.
lacks_local_mac() {
    local macs
    macs=$(local_macs "$1" "$2") || return 1
    ! grep -ix -- "$3" >/dev/null <<<"$macs"
}

# local_mcast HOST LS: "MAC -> LOCATOR" lines of HOST's Mcast_Macs_Local.
local_mcast() {
    local out
    out=$(vtq "$1" list-local-macs "$2" 2>/dev/null) || return 1
    awk '/^mcast-mac-local/ {m = 1; next} /^$/ {m = 0} m {print $1, $2, $3}' \
        <<<"$out"
}

has_local_mcast() {
    local lines
    lines=$(local_mcast "$1" "$2") || return 1
    grep -xF -- "$3" >/dev/null <<<"$lines"
}

# count_rows HOST TABLE: number of rows in TABLE of HOST's database ("?" if
# it cannot be read).
count_rows() {
    local out
    if ! out=$(vtq "$1" --bare --columns=_uuid list "$2" 2>/dev/null); then
        echo '?'
        return 1
    fi
    grep -c . <<<"$out" || true
}

rows_are() {
    [ "$(count_rows "$1" "$2")" = "$3" ]
}

# ---------------------------------------------------------------------------
# The classic lab: two hypervisors on one underlay segment, one VM each, one
# logical switch (tunnel key 5000) spanning both.

# configure_vtep HOST PS TUNNEL_IP PORT LS KEY REMOTE_MAC REMOTE_IP: the
# drop-in configuration of the classic lab on one switch.
configure_vtep() {
    local host=$1 ps=$2 tip=$3 port=$4 ls=$5 key=$6 rmac=$7 rip=$8
    vtctl "$host" add-ps "$ps"
    vtctl "$host" set Physical_Switch "$ps" tunnel_ips="$tip"
    vtctl "$host" add-port "$ps" "$port"
    configure_ls "$host" "$ps" "$port" 0 "$ls" "$key" "$rmac" "$rip"
}

# configure_ls HOST PS PORT VLAN LS KEY REMOTE_MAC REMOTE_IP: logical switch
# LS with tunnel key KEY, bound to (PORT, VLAN) of PS, with REMOTE_MAC and
# the unknown-dst flood behind the remote VTEP REMOTE_IP.
configure_ls() {
    local host=$1 ps=$2 port=$3 vlan=$4 ls=$5 key=$6 rmac=$7 rip=$8
    vtctl "$host" add-ls "$ls"
    vtctl "$host" set Logical_Switch "$ls" tunnel_key="$key"
    vtctl "$host" bind-ls "$ps" "$port" "$vlan" "$ls"
    vtctl "$host" add-ucast-remote "$ls" "$rmac" "$rip"
    vtctl "$host" add-mcast-remote "$ls" unknown-dst "$rip"
}

# classic_hosts: the classic lab's namespaces.
#   hv1 10.0.0.1/8, vm1 00:00:00:00:00:01 192.168.1.1/24 on hv1's p1
#   hv2 10.1.0.1/8, vm2 00:00:00:00:00:02 192.168.1.2/24 on hv2's p1
classic_hosts() {
    add_host hv1 10.0.0.1/8
    add_host hv2 10.1.0.1/8
    add_vm vm1 hv1 p1 00:00:00:00:00:01 192.168.1.1/24
    add_vm vm2 hv2 p1 00:00:00:00:00:02 192.168.1.2/24
}

# three_hosts: three hypervisors hv1 (10.0.0.1), hv2 (10.1.0.1) and hv3
# (10.2.0.1) with a database each, and vmN (00:00:00:00:00:0N,
# 192.168.1.N/24) behind hvN's p1.
three_hosts() {
    local n
    for n in 1 2 3; do
        add_host "hv$n" "10.$((n - 1)).0.1/8"
        add_vm "vm$n" "hv$n" p1 "00:00:00:00:00:0$n" "192.168.1.$n/24"
        start_ovsdb "hv$n"
    done
}

# hub_switch [MODE]: in three_hosts, hv1's switch (tunnel IP 10.0.0.1)
# with ls0 (key 5000, replication_mode MODE if given) bound to p1, and no
# remote rows yet.
hub_switch() {
    vtctl hv1 add-ps hv1
    vtctl hv1 set Physical_Switch hv1 tunnel_ips=10.0.0.1
    vtctl hv1 add-port hv1 p1
    vtctl hv1 add-ls ls0
    vtctl hv1 set Logical_Switch ls0 tunnel_key=5000 \
        ${1:+replication_mode="$1"}
    vtctl hv1 bind-ls hv1 p1 0 ls0
}

# spoke_switches: in three_hosts, the switches of hv2 and hv3 with ls0
# (key 5000) bound to p1 and their unknown-dst towards hv1 (10.0.0.1).
spoke_switches() {
    local h
    for h in hv2 hv3; do
        vtctl "$h" add-ps "$h"
        vtctl "$h" set Physical_Switch "$h" \
            tunnel_ips="10.$((${h#hv} - 1)).0.1"
        vtctl "$h" add-port "$h" p1
        vtctl "$h" add-ls ls0
        vtctl "$h" set Logical_Switch ls0 tunnel_key=5000
        vtctl "$h" bind-ls "$h" p1 0 ls0
        vtctl "$h" add-mcast-remote ls0 unknown-dst 10.0.0.1
    done
}

# classic_vteps: the classic lab's databases, configured the drop-in way
# with vtep-ctl, and a vtepd for each.
classic_vteps() {
    start_ovsdb hv1
    start_ovsdb hv2
    configure_vtep hv1 hv1 10.0.0.1 p1 ls0 5000 00:00:00:00:00:02 10.1.0.1
    configure_vtep hv2 hv2 10.1.0.1 p1 ls0 5000 00:00:00:00:00:01 10.0.0.1
    start_vtepd hv1 hv1
    start_vtepd hv2 hv2
}

# classic_lab: the whole classic lab, vtepds running.
classic_lab() {
    classic_hosts
    classic_vteps
}

# classic_ping: waits (up to 30 s) for vm1 and vm2 to reach each other.
classic_ping() {
    wait_until 30 ping_ok vm1 192.168.1.2 \
        || fail "vm1 cannot ping vm2 (192.168.1.2)"
    wait_until 10 ping_ok vm2 192.168.1.1 \
        || fail "vm2 cannot ping vm1 (192.168.1.1)"
}

# classic_local_macs: in the classic lab, hv1's Ucast_Macs_Local for ls0
# becomes exactly vm1's MAC and hv2's exactly vm2's (shown): only MACs
# learned on bound ports are local, not the remote VM's, which the bridge
# also learns (from the tunnel).
classic_local_macs() {
    wait_until 10 has_local_mac hv1 ls0 00:00:00:00:00:01 \
        || fail "hv1's Ucast_Macs_Local lacks vm1's MAC"
    wait_until 10 has_local_mac hv2 ls0 00:00:00:00:00:02 \
        || fail "hv2's Ucast_Macs_Local lacks vm2's MAC"
    vtctl hv1 list-local-macs ls0
    vtctl hv2 list-local-macs ls0
    [ "$(local_macs hv1 ls0)" = 00:00:00:00:00:01 ] \
        || fail "hv1's local MACs are not just vm1's: $(local_macs hv1 ls0)"
    [ "$(local_macs hv2 ls0)" = 00:00:00:00:00:02 ] \
        || fail "hv2's local MACs are not just vm2's: $(local_macs hv2 ls0)"
}

# ping3 VM IP: "ping -c 3 -W 1" from VM to IP, shown, all three answered.
ping3() {
    local out
    out=$(on "$1" ping -n -c 3 -W 1 "$2" 2>&1) || true
    printf '%s\n' "$out"
    text_has "$out" '3 packets transmitted, 3 received' \
        || fail "ping from $1 to $2 lost packets"
}

# ---------------------------------------------------------------------------
# Ping streams.

# Background helpers (pings and monitors), registered in VT_PIDS like
# captures, so that the cleanup kills them if the test fails.

# start_bg TAG NAME CMD...: runs CMD in NAME's namespace in the background,
# output to $VT_DIR/TAG.out; stores its pid in $VT_DIR/TAG.pid.  (Not
# through "on": a shell function in the background is a subshell, and
# killing it would not kill CMD.)
start_bg() {
    local tag=$1 name=$2 pid
    shift 2
    ip netns exec "$(ns "$name")" "$@" >"$VT_DIR/$tag.out" 2>&1 &
    pid=$!
    VT_PIDS+=("$pid")
    printf '%s\n' "$pid" >"$VT_DIR/$tag.pid"
}

bg_pid() {
    cat "$VT_DIR/$1.pid"
}

# replies TAG: how many echo replies ping stream TAG received so far.
replies() {
    grep -c ' bytes from .* icmp_seq=' "$VT_DIR/$1.out" || true
}

replies_above() {
    [ "$(replies "$1")" -gt "$2" ]
}

# start_stream TAG VM IP COUNT [INTERVAL]: COUNT pings from VM to IP, one
# every INTERVAL seconds (default 0.01), in the background; returns once
# replies come back.
start_stream() {
    local tag=$1 vm=$2 ip=$3 count=$4 interval=${5:-0.01}
    start_bg "$tag" "$vm" ping -n -i "$interval" -c "$count" -W 2 "$ip"
    wait_until 10 replies_above "$tag" 10 \
        || fail "ping stream $tag ($vm -> $ip) gets no replies:" \
                "$(cat "$VT_DIR/$tag.out")"
}

# stream_alive TAG: ping stream TAG is still sending (has not finished).
stream_alive() {
    vt_pid_alive "$(bg_pid "$1")" && ! grep -q 'packets transmitted' \
        "$VT_DIR/$1.out"
}


# end_stream TAG: waits for ping stream TAG to finish, prints "packets
# lost: N of M" and fails unless N is 0.
end_stream() {
    local tag=$1 sent got
    wait "$(bg_pid "$tag")" || true
    sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' \
               "$VT_DIR/$tag.out")
    got=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' "$VT_DIR/$tag.out")
    if [ -z "$sent" ] || [ -z "$got" ]; then
        fail "ping stream $tag did not finish: $(tail -n 3 "$VT_DIR/$tag.out")"
    fi
    echo "$tag: packets lost: $((sent - got)) of $sent"
    [ "$((sent - got))" = 0 ] \
        || fail "ping stream $tag lost $((sent - got)) of $sent packets"
}
