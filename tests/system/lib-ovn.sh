# shellcheck shell=bash
# tests/system/lib-ovn.sh -- OVN around vtepd for the system tests.
#
# Sourced after lib.sh and lib-ovs.sh by the tests that run vtepd under
# OVN: the OVN Northbound and Southbound databases, ovn-northd,
# ovn-controller on an Open vSwitch hypervisor (userspace datapath, see
# lib-ovs.sh) and ovn-controller-vtep between the Southbound database and a
# hardware_vtep database that vtepd plays a switch of.
#
# Every daemon runs in the namespace of a host of the test, detached, with
# its pid file $VT_DIR/HOST-NAME.pid (registered in VT_PIDFILES, so
# vt_cleanup stops it) and its log $VT_DIR/HOST-ovn-*.log (which
# vt_print_logs shows when a test fails).  The databases and ovn-northd
# take --unixctl=$VT_DIR/HOST-NAME.ctl; ovn-controller and
# ovn-controller-vtep (OVN 23.03) have no --unixctl and make
# NAME.PID.ctl in their run directory $VT_DIR/HOST-ovn/ (see ovn_appctl).
# The databases listen on unix sockets in $VT_DIR, which every namespace
# reaches:
#
#   $VT_DIR/ovn-nb.sock   OVN_Northbound (nbctl)
#   $VT_DIR/ovn-sb.sock   OVN_Southbound (sbctl, ovn-controller,
#                         ovn-controller-vtep)

VT_OVN_NB_SCHEMA=${VT_OVN_NB_SCHEMA:-/usr/share/ovn/ovn-nb.ovsschema}
VT_OVN_SB_SCHEMA=${VT_OVN_SB_SCHEMA:-/usr/share/ovn/ovn-sb.ovsschema}

# ovn_require_tools: fails unless OVN's programs and schemas are installed.
ovn_require_tools() {
    local tool
    for tool in ovn-northd ovn-nbctl ovn-sbctl ovn-controller \
                ovn-controller-vtep; do
        command -v "$tool" >/dev/null 2>&1 \
            || fail "required tool '$tool' not found (ovn-central," \
                    "ovn-host, ovn-controller-vtep)"
    done
    [ -f "$VT_OVN_NB_SCHEMA" ] || fail "$VT_OVN_NB_SCHEMA not found"
    [ -f "$VT_OVN_SB_SCHEMA" ] || fail "$VT_OVN_SB_SCHEMA not found"
}

# ovn_start_db HOST NAME SCHEMA: an ovsdb-server in HOST's namespace with a
# fresh database of SCHEMA, served on $VT_DIR/ovn-NAME.sock.
ovn_start_db() {
    local host=$1 name=$2 schema=$3 db=$VT_DIR/ovn-$2.db
    rm -f "$db"
    ovsdb-tool create "$db" "$schema" \
        || fail "ovsdb-tool create $db failed"
    VT_PIDFILES+=("$VT_DIR/$host-ovn-$name.pid")
    on "$host" ovsdb-server "$db" \
        --remote="punix:$VT_DIR/ovn-$name.sock" \
        --pidfile="$VT_DIR/$host-ovn-$name.pid" \
        --unixctl="$VT_DIR/$host-ovn-$name.ctl" \
        -vconsole:off --log-file="$VT_DIR/$host-ovn-$name.log" \
        --detach --no-chdir \
        || fail "ovsdb-server for OVN's $name database did not start"
    wait_until 10 test -S "$VT_DIR/ovn-$name.sock" \
        || fail "ovsdb-server for OVN's $name database made no socket"
}

# start_ovn_central HOST: OVN's Northbound and Southbound databases and
# ovn-northd, in HOST's namespace (a namespace of their own, without an
# underlay link, is created if HOST does not exist yet).
start_ovn_central() {
    local host=$1
    ovn_require_tools
    vt_ns_exists "$(ns "$host")" || vt_add_ns "$host"
    ovn_start_db "$host" nb "$VT_OVN_NB_SCHEMA"
    ovn_start_db "$host" sb "$VT_OVN_SB_SCHEMA"
    nbctl init || fail "ovn-nbctl init failed"
    VT_PIDFILES+=("$VT_DIR/$host-ovn-northd.pid")
    on "$host" ovn-northd \
        --ovnnb-db="unix:$VT_DIR/ovn-nb.sock" \
        --ovnsb-db="unix:$VT_DIR/ovn-sb.sock" \
        --pidfile="$VT_DIR/$host-ovn-northd.pid" \
        --unixctl="$VT_DIR/$host-ovn-northd.ctl" \
        -vconsole:off --log-file="$VT_DIR/$host-ovn-northd.log" \
        --detach --no-chdir \
        || fail "ovn-northd did not start"
    # northd is up once it has made SB_Global and the Northbound database
    # has seen its answer.
    wait_until 10 nbctl --wait=sb sync \
        || fail "ovn-northd does not answer (nbctl --wait=sb sync)"
}

# nbctl ARGS...: ovn-nbctl against the Northbound database.  With
# VT_VERBOSE=1 the command is shown first.
nbctl() {
    if [ "$VT_VERBOSE" = 1 ]; then
        printf '[ovn]$ ovn-nbctl %s\n' "$*"
    fi
    ovn-nbctl --timeout=10 --db="unix:$VT_DIR/ovn-nb.sock" "$@"
}

# sbctl ARGS...: ovn-sbctl against the Southbound database.  With
# VT_VERBOSE=1 the command is shown first.
sbctl() {
    if [ "$VT_VERBOSE" = 1 ]; then
        printf '[ovn]$ ovn-sbctl %s\n' "$*"
    fi
    sbq "$@"
}

# sbq ARGS...: sbctl, never shown (for queries that checks repeat).
sbq() {
    ovn-sbctl --timeout=10 --db="unix:$VT_DIR/ovn-sb.sock" "$@"
}

# start_ovn_controller HOST IP: ovn-controller in HOST's namespace for the
# Open vSwitch of HOST (start_ovs, and ovs_br_phy with IP as the tunnel
# address), as chassis HOST with Geneve and VXLAN encapsulations on IP (the
# VTEP gateways speak VXLAN only) and a userspace integration bridge
# br-int.  Returns once br-int exists and chassis HOST is in the
# Southbound database.
start_ovn_controller() {
    local host=$1 ip=$2
    ovs_vsctl "$host" set Open_vSwitch . \
        external_ids:system-id="$host" \
        external_ids:ovn-remote="unix:$VT_DIR/ovn-sb.sock" \
        external_ids:ovn-encap-type=geneve,vxlan \
        external_ids:ovn-encap-ip="$ip" \
        external_ids:ovn-bridge-datapath-type=netdev \
        || fail "cannot configure OVN on $host's Open vSwitch"
    # ovn-controller reaches br-int's OpenFlow socket in ovs-vswitchd's run
    # directory, which lib-ovs.sh made $VT_DIR/HOST-ovs.  It has no
    # --unixctl: its control socket is ovn-controller.PID.ctl in its run
    # directory OVN_RUNDIR.
    mkdir -p "$VT_DIR/$host-ovn"
    VT_PIDFILES+=("$VT_DIR/$host-ovn-controller.pid")
    on "$host" env OVS_RUNDIR="$VT_DIR/$host-ovs" \
        OVN_RUNDIR="$VT_DIR/$host-ovn" \
        ovn-controller "unix:$VT_DIR/$host-ovs.sock" \
        --pidfile="$VT_DIR/$host-ovn-controller.pid" \
        -vconsole:off --log-file="$VT_DIR/$host-ovn-controller.log" \
        --detach --no-chdir \
        || fail "ovn-controller for $host did not start"
    wait_until 10 ovn_ctl_exists "$host" ovn-controller \
        || fail "ovn-controller for $host made no control socket"
    wait_until 20 ovs_vsctl "$host" br-exists br-int \
        || fail "ovn-controller of $host did not create br-int"
    wait_until 20 sb_has_chassis "$host" \
        || fail "ovn-controller of $host did not register chassis $host"
}

# ovn_hypervisor HOST IP/PREFIX: an OVN hypervisor on host HOST (made with
# add_host HOST IP/PREFIX): Open vSwitch, br-phy with the underlay address,
# ovn-controller.
ovn_hypervisor() {
    local host=$1 addr=$2
    start_ovs "$host"
    ovs_br_phy "$host" "$addr"
    start_ovn_controller "$host" "${addr%/*}"
}

# add_ovn_vif VM HOST PORT MAC IP/PREFIX LSP: a VM namespace VM (add_vm)
# whose veth peer PORT in HOST's namespace is a port of HOST's br-int
# bound to the OVN logical switch port LSP (external_ids:iface-id).
add_ovn_vif() {
    local vm=$1 host=$2 port=$3 mac=$4 addr=$5 lsp=$6
    add_vm "$vm" "$host" "$port" "$mac" "$addr"
    ovs_vsctl "$host" add-port br-int "$port" \
        -- set Interface "$port" external_ids:iface-id="$lsp" \
        || fail "cannot plug $port into $host's br-int"
}

# start_ovn_controller_vtep HOST: ovn-controller-vtep in HOST's namespace,
# between HOST's hardware_vtep database (start_ovsdb HOST) and OVN's
# Southbound database.
start_ovn_controller_vtep() {
    local host=$1
    # No --unixctl either: the control socket goes to the run directory.
    mkdir -p "$VT_DIR/$host-ovn"
    VT_PIDFILES+=("$VT_DIR/$host-ovn-controller-vtep.pid")
    on "$host" env OVS_RUNDIR="$VT_DIR/$host-ovn" \
        OVN_RUNDIR="$VT_DIR/$host-ovn" \
        ovn-controller-vtep \
        --vtep-db="unix:$VT_DIR/$host.sock" \
        --ovnsb-db="unix:$VT_DIR/ovn-sb.sock" \
        --pidfile="$VT_DIR/$host-ovn-controller-vtep.pid" \
        -vconsole:off --log-file="$VT_DIR/$host-ovn-controller-vtep.log" \
        --detach --no-chdir \
        || fail "ovn-controller-vtep for $host did not start"
    wait_until 10 ovn_ctl_exists "$host" ovn-controller-vtep \
        || fail "ovn-controller-vtep for $host made no control socket"
}

# ovn_ctl HOST NAME: the control socket of HOST's daemon NAME
# (ovn-controller, ovn-controller-vtep), which is NAME.PID.ctl in the run
# directory $VT_DIR/HOST-ovn.
ovn_ctl() {
    local pid
    pid=$(cat "$VT_DIR/$1-$2.pid" 2>/dev/null) || return 1
    printf '%s\n' "$VT_DIR/$1-ovn/$2.$pid.ctl"
}

# ovn_ctl_exists HOST NAME: HOST's daemon NAME has made its control socket.
ovn_ctl_exists() {
    local ctl
    ctl=$(ovn_ctl "$1" "$2") && [ -S "$ctl" ]
}

# ovn_appctl HOST NAME ARGS...: ovs-appctl to HOST's daemon NAME
# (ovn-controller, ovn-controller-vtep).
ovn_appctl() {
    local host=$1 name=$2 ctl
    shift 2
    ctl=$(ovn_ctl "$host" "$name") || fail "$host's $name has no pid file"
    ovs-appctl --timeout=10 -t "$ctl" "$@"
}

# ovn_daemon_alive HOST NAME: the daemon NAME (e.g. ovn-controller-vtep)
# started for HOST still runs.
ovn_daemon_alive() {
    local pid
    pid=$(cat "$VT_DIR/$1-$2.pid" 2>/dev/null) || return 1
    vt_pid_is_ours "$pid"
}

# ovn_log_has HOST NAME REGEX: the log of HOST's daemon NAME (e.g.
# ovn-controller-vtep) has a line matching extended REGEX.
ovn_log_has() {
    grep -Eq -- "$3" "$VT_DIR/$1-$2.log" 2>/dev/null
}

# ---------------------------------------------------------------------------
# Checks on the Southbound database.

# sb_has_chassis NAME: the Southbound database has Chassis NAME.
sb_has_chassis() {
    [ -n "$(sbq --bare --columns=_uuid find Chassis name="$1" 2>/dev/null)" ]
}

# sb_encap_ips CHASSIS TYPE: the IPs of CHASSIS's encapsulations of TYPE
# (geneve, vxlan), one per line.
sb_encap_ips() {
    sbq --bare --columns=ip find Encap chassis_name="$1" type="$2" 2>/dev/null
}

# sb_encap_ip_is CHASSIS TYPE IP: CHASSIS has exactly one encapsulation of
# TYPE, on IP.
sb_encap_ip_is() {
    [ "$(sb_encap_ips "$1" "$2")" = "$3" ]
}

# sb_vtep_lswitches CHASSIS: CHASSIS's vtep_logical_switches, sorted, on
# one line separated by spaces.
sb_vtep_lswitches() {
    sbq --bare --columns=vtep_logical_switches find Chassis name="$1" \
        2>/dev/null | tr ' ' '\n' | sed '/^$/d' | sort | tr '\n' ' ' \
        | sed 's/ $//'
}

# sb_vtep_lswitches_are CHASSIS LIST: sb_vtep_lswitches CHASSIS is LIST.
sb_vtep_lswitches_are() {
    [ "$(sb_vtep_lswitches "$1")" = "$2" ]
}

# sb_dp_key LS: the tunnel key of the Southbound Datapath_Binding of OVN
# logical switch LS.
sb_dp_key() {
    sbq --bare --columns=tunnel_key find Datapath_Binding \
        external_ids:name="$1"
}

# sb_pb_chassis LSP: the Chassis name LSP's Port_Binding is bound to
# (empty if none).
sb_pb_chassis() {
    local uuid
    uuid=$(sbq --bare --columns=chassis find Port_Binding \
               logical_port="$1" 2>/dev/null) || return 1
    [ -n "$uuid" ] || return 0
    sbq --bare --columns=name list Chassis "$uuid"
}

# sb_pb_chassis_is LSP CHASSIS: LSP's Port_Binding is bound to CHASSIS
# (an empty CHASSIS: to none).
sb_pb_chassis_is() {
    local c
    c=$(sb_pb_chassis "$1") || return 1
    [ "$c" = "$2" ]
}

# ---------------------------------------------------------------------------
# Checks on the hardware_vtep database (what ovn-controller-vtep writes).

# vtep_ls_key HOST LS: the tunnel_key of Logical_Switch LS in HOST's
# database (empty if unset).
vtep_ls_key() {
    vtq "$1" --bare --columns=tunnel_key find Logical_Switch name="$2" \
        2>/dev/null
}

vtep_ls_key_is() {
    [ "$(vtep_ls_key "$1" "$2")" = "$3" ]
}

# vtep_ls_repl HOST LS: the replication_mode of Logical_Switch LS.
vtep_ls_repl() {
    vtq "$1" --bare --columns=replication_mode find Logical_Switch \
        name="$2" 2>/dev/null
}

vtep_ls_repl_is() {
    [ "$(vtep_ls_repl "$1" "$2")" = "$3" ]
}

# remote_rows HOST LS KIND: "MAC IP" lines of the KIND rows ("ucast" or
# "mcast": one line per locator of the row's set) of HOST's
# Ucast/Mcast_Macs_Remote for LS, sorted.  Fails if the database cannot be
# read.
remote_rows() {
    local out
    out=$(vtq "$1" list-remote-macs "$2" 2>/dev/null) || return 1
    awk -v head="$3-mac-remote" '$1 == head {r = 1; next} /^$/ {r = 0}
         r {ip = $3; sub(/^vxlan_over_ipv4\//, "", ip); print $1, ip}' \
        <<<"$out" | sort
}

# remote_rows_are HOST LS KIND LINES: remote_rows HOST LS KIND, its lines
# each ending with ";", is LINES.
remote_rows_are() {
    local out
    out=$(remote_rows "$1" "$2" "$3") || return 1
    [ "$(tr '\n' ';' <<<"$out" | sed 's/^;$//')" = "$4" ]
}

# remote_macs HOST LS: remote_rows HOST LS ucast.
remote_macs() {
    remote_rows "$1" "$2" ucast
}

# remote_macs_are HOST LS LINES: remote_rows_are HOST LS ucast LINES.
remote_macs_are() {
    remote_rows_are "$1" "$2" ucast "$3"
}

# remote_mcast HOST LS: remote_rows HOST LS mcast.
remote_mcast() {
    remote_rows "$1" "$2" mcast
}

# remote_mcast_are HOST LS LINES: remote_rows_are HOST LS mcast LINES.
remote_mcast_are() {
    remote_rows_are "$1" "$2" mcast "$3"
}

# mcast_remote_rows HOST LS: how many Mcast_Macs_Remote rows HOST's
# database has for LS ("?" if it cannot be read).
mcast_remote_rows() {
    local uuid out
    if ! uuid=$(vtq "$1" --bare --columns=_uuid find Logical_Switch \
                    name="$2" 2>/dev/null) || [ -z "$uuid" ] \
       || ! out=$(vtq "$1" --bare --columns=_uuid find Mcast_Macs_Remote \
                      logical_switch="$uuid" 2>/dev/null); then
        echo '?'
        return 1
    fi
    grep -c . <<<"$out" || true
}

# ---------------------------------------------------------------------------
# The Northbound side of a VTEP gateway.

# add_vtep_lsp LS LSP PS VTEP_LS: a logical switch port LSP of type vtep in
# OVN logical switch LS for logical switch VTEP_LS of physical switch PS,
# with addresses "unknown" (the MACs behind the gateway are not known to
# OVN).
add_vtep_lsp() {
    nbctl lsp-add "$1" "$2" \
        -- lsp-set-type "$2" vtep \
        -- lsp-set-options "$2" vtep-physical-switch="$3" \
                                vtep-logical-switch="$4" \
        -- lsp-set-addresses "$2" unknown \
        || fail "cannot add vtep port $2 for $3/$4 to $1"
}

# ---------------------------------------------------------------------------
# vtepd's view.

# vtepd_faults HOST: the faults that HOST's vtepd reports in vtepd/show,
# one per line (empty if none).
vtepd_faults() {
    local out
    out=$(appctl "$1" vtepd/show 2>/dev/null) || return 1
    sed -n 's/^  fault: //p' <<<"$out"
}

# vtepd_no_faults HOST: HOST's vtepd answers and reports no fault.
vtepd_no_faults() {
    local out
    out=$(vtepd_faults "$1") || return 1
    [ -z "$out" ]
}
