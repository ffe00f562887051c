# shellcheck shell=bash
# tests/system/lib-ovs.sh -- Open vSwitch peers for vtepd's system tests.
#
# Sourced after lib.sh by the tests that put a real Open vSwitch next to
# vtepd: a plain OVS hypervisor, ovs-vtep, OVN's ovn-controller.  The
# kernels the tests run on need not have the openvswitch module, so every
# bridge here uses the userspace datapath (datapath_type=netdev), and the
# underlay link of an OVS host sits on a bridge "br-phy" that carries the
# host's tunnel IP, as userspace tunnelling requires.
#
# Each OVS instance runs in its host's namespace: an ovsdb-server with the
# Open_vSwitch database on $VT_DIR/HOST-ovs.sock (and, for ovs-vtep, the
# hardware_vtep database) and an ovs-vswitchd, both
# with pid files in $VT_DIR, so vt_cleanup stops them.  ovs-vswitchd's run
# directory (bridge management sockets) is $VT_DIR/HOST-ovs/, so two hosts
# may have bridges of the same name.

VT_OVS_SCHEMA=${VT_OVS_SCHEMA:-/usr/share/openvswitch/vswitch.ovsschema}

# start_ovs HOST [vtep]: an Open vSwitch (ovsdb-server and ovs-vswitchd) in
# HOST's namespace.  With "vtep", the same ovsdb-server also serves HOST's
# hardware_vtep database on $VT_DIR/HOST.sock (where lib.sh's vtctl looks),
# and both databases on $VT_DIR/HOST-ovs/db.sock, the default socket of
# ovs-vsctl and vtep-ctl with OVS_RUNDIR=$VT_DIR/HOST-ovs, as ovs-vtep
# runs them.
start_ovs() {
    local host=$1 with_vtep=${2:-} run=$VT_DIR/$1-ovs
    local dbs=("$VT_DIR/$1-ovs.db") remotes=("--remote=punix:$VT_DIR/$1-ovs.sock")
    [ -f "$VT_OVS_SCHEMA" ] \
        || fail "$VT_OVS_SCHEMA not found (openvswitch-common)"
    command -v ovs-vswitchd >/dev/null \
        || fail "ovs-vswitchd not found (openvswitch-switch)"
    mkdir -p "$run"
    rm -f "$VT_DIR/$host-ovs.db"
    ovsdb-tool create "$VT_DIR/$host-ovs.db" "$VT_OVS_SCHEMA" \
        || fail "ovsdb-tool create $VT_DIR/$host-ovs.db failed"
    if [ "$with_vtep" = vtep ]; then
        rm -f "$VT_DIR/$host.db"
        ovsdb-tool create "$VT_DIR/$host.db" "$VT_SCHEMA" \
            || fail "ovsdb-tool create $VT_DIR/$host.db failed"
        dbs+=("$VT_DIR/$host.db")
        remotes+=("--remote=punix:$VT_DIR/$host.sock"
                  "--remote=punix:$run/db.sock")
    fi
    VT_PIDFILES+=("$VT_DIR/$host-ovs-ovsdb.pid")
    on "$host" ovsdb-server "${dbs[@]}" "${remotes[@]}" \
        --pidfile="$VT_DIR/$host-ovs-ovsdb.pid" \
        --unixctl="$VT_DIR/$host-ovs-ovsdb.ctl" \
        -vconsole:off --log-file="$VT_DIR/$host-ovs-ovsdb.log" \
        --detach --no-chdir \
        || fail "ovsdb-server (Open_vSwitch) for $host did not start"
    wait_until 10 test -S "$VT_DIR/$host-ovs.sock" \
        || fail "ovsdb-server (Open_vSwitch) for $host made no socket"
    ovs_vsctl "$host" --no-wait init
    VT_PIDFILES+=("$VT_DIR/$host-vswitchd.pid")
    on "$host" env OVS_RUNDIR="$run" ovs-vswitchd "unix:$VT_DIR/$host-ovs.sock" \
        --pidfile="$VT_DIR/$host-vswitchd.pid" \
        --unixctl="$VT_DIR/$host-vswitchd.ctl" \
        -vconsole:off --log-file="$VT_DIR/$host-vswitchd.log" \
        --detach --no-chdir \
        || fail "ovs-vswitchd for $host did not start"
    wait_until 10 test -S "$VT_DIR/$host-vswitchd.ctl" \
        || fail "ovs-vswitchd for $host made no control socket"
}

# ovs_vsctl HOST ARGS...: ovs-vsctl against HOST's Open vSwitch.
ovs_vsctl() {
    local host=$1
    shift
    if [ "$VT_VERBOSE" = 1 ]; then
        printf '[%s]$ ovs-vsctl %s\n' "$host" "$*"
    fi
    ovs-vsctl --timeout=10 --db="unix:$VT_DIR/$host-ovs.sock" "$@"
}

# ovs_appctl HOST ARGS...: ovs-appctl to HOST's ovs-vswitchd.
ovs_appctl() {
    local host=$1
    shift
    ovs-appctl --timeout=10 -t "$VT_DIR/$host-vswitchd.ctl" "$@"
}

# ovs_ofctl HOST CMD BRIDGE ARGS...: "ovs-ofctl CMD BRIDGE ARGS..." to a
# bridge of HOST's ovs-vswitchd, through the bridge's management socket.
ovs_ofctl() {
    local host=$1 cmd=$2 br=$3
    shift 3
    ovs-ofctl --timeout=10 "$cmd" "unix:$VT_DIR/$host-ovs/$br.mgmt" "$@"
}

# ovs_br_phy HOST IP/PREFIX: puts HOST's underlay link ul0 on a userspace
# bridge "br-phy" and moves the underlay address IP/PREFIX from ul0 to
# br-phy, so that ovs-vswitchd's userspace tunnels find their route and
# neighbours there.
ovs_br_phy() {
    local host=$1 addr=$2
    ovs_vsctl "$host" add-br br-phy \
        -- set Bridge br-phy datapath_type=netdev \
        -- add-port br-phy ul0 \
        || fail "cannot make br-phy on $host"
    ip -n "$(ns "$host")" addr del "$addr" dev ul0 2>/dev/null || true
    wait_until 10 has_link "$host" br-phy \
        || fail "ovs-vswitchd of $host did not create br-phy's tap"
    ip -n "$(ns "$host")" link set dev br-phy mtu 1600 up
    ip -n "$(ns "$host")" addr add "$addr" dev br-phy \
        || fail "cannot give $host's br-phy $addr"
}

# ovs-vtep: OVS's reference VTEP emulator.
VT_OVS_VTEP=${VT_OVS_VTEP:-/usr/share/openvswitch/scripts/ovs-vtep}
# Debian's Python module "ovs" is that of /usr/bin/python3, which need not
# be the python3 first in PATH.
VT_OVS_PYTHON=${VT_OVS_PYTHON:-/usr/bin/python3}

# start_ovs_vtep HOST PS: ovs-vtep for physical switch PS (an OVS bridge of
# the same name) in HOST's namespace.  Its pid file and log in $VT_DIR put
# our scratch directory on its command line, so vt_cleanup stops it.
start_ovs_vtep() {
    local host=$1 ps=$2
    [ -f "$VT_OVS_VTEP" ] || fail "$VT_OVS_VTEP not found (openvswitch-vtep)"
    command -v ovs-ofctl >/dev/null \
        || fail "ovs-ofctl not found (openvswitch-common)"
    "$VT_OVS_PYTHON" -c 'import ovs.daemon' 2>/dev/null \
        || fail "$VT_OVS_PYTHON has no Python module ovs (python3-openvswitch)"
    VT_PIDFILES+=("$VT_DIR/$host-ovs-vtep.pid")
    on "$host" env OVS_RUNDIR="$VT_DIR/$host-ovs" \
        "$VT_OVS_PYTHON" "$VT_OVS_VTEP" "$ps" \
        --pidfile="$VT_DIR/$host-ovs-vtep.pid" \
        --log-file="$VT_DIR/$host-ovs-vtep.log" \
        --detach --no-chdir \
        || fail "ovs-vtep for $host did not start"
}

# ovs_vtep_host HOST IP/LEN PORT: HOST as an ovs-vtep switch on the OVS
# userspace datapath: Open vSwitch with the hardware_vtep database, IP/LEN
# on br-phy, an OVS bridge named HOST with PORT, Physical_Switch HOST with
# tunnel IP IP, and ovs-vtep, which has copied PORT into Physical_Port.
ovs_vtep_host() {
    local host=$1 addr=$2 port=$3
    start_ovs "$host" vtep
    ovs_br_phy "$host" "$addr"
    ovs_vsctl "$host" add-br "$host" \
        -- set Bridge "$host" datapath_type=netdev \
        -- add-port "$host" "$port" \
        || fail "cannot make OVS bridge $host with $port"
    vtctl "$host" add-ps "$host"
    vtctl "$host" set Physical_Switch "$host" tunnel_ips="${addr%/*}"
    start_ovs_vtep "$host" "$host"
    wait_until 20 has_pport "$host" "$host" "$port" \
        || fail "ovs-vtep did not copy $port into $host's Physical_Port table"
}

# ovs_vtep_alive HOST: HOST's ovs-vtep still runs.
ovs_vtep_alive() {
    local pid
    pid=$(cat "$VT_DIR/$1-ovs-vtep.pid" 2>/dev/null) || return 1
    vt_pid_is_ours "$pid"
}

# has_pport HOST PS PORT: PS has Physical_Port PORT in HOST's database.
has_pport() {
    vtq "$1" list-ports "$2" 2>/dev/null | matches "^$3\$"
}
