#!/bin/bash
# 32-database-outage.sh -- the database away for a minute, then back changed,
# or back without vtepd's rows.
#
# The classic lab, with a ping stream from vm1 to vm2 (one every 50 ms)
# running throughout.
#
#   1. hv1's ovsdb-server is stopped for $VT_OUTAGE seconds (default 60).
#      Meanwhile the database file is changed offline (remote MAC 98 added
#      with ovsdb-tool), forwarding goes on, and vtepd keeps running.  Once
#      the server is back, vtepd reconnects (with libopenvswitch's backoff)
#      and programs the change.  The test prints how long the reconnection
#      and the convergence after it took.
#   2. hv1's ovsdb-server is stopped again and started on a copy of the
#      database made before vtepd ever ran: the configuration only, without
#      any row vtepd writes, as a controller's backup would be.  vtepd
#      writes its rows again (Ucast_Macs_Local, Mcast_Macs_Local, Tunnel,
#      Logical_Binding_Stats) and the kernel loses remote MAC 98, which the
#      copy lacks.
#
# The ping stream loses no packet.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
vt_init

VT_OUTAGE=${VT_OUTAGE:-60}

# now: seconds since the epoch, with fractions.
now() {
    date +%s.%N
}

# since T: seconds from T to now, to the hundredth.
since() {
    awk -v a="$1" -v b="$(now)" 'BEGIN {printf "%.2f", b - a}'
}

# stop_ovsdb HOST: stops HOST's ovsdb-server.
stop_ovsdb() {
    vt_kill_pidfile "$VT_DIR/$1-ovsdb.pid"
    ! vt_pid_alive "$(cat "$VT_DIR/$1-ovsdb.pid")" \
        || fail "$1's ovsdb-server did not stop"
}

# connected_count: how often hv1's vtepd logged that it connected.
connected_count() {
    grep -c 'reconnect|INFO|unix:.*hv1\.sock: connected' \
        "$VT_DIR/hv1-vtepd.log" || true
}

connected_count_is() {
    [ "$(connected_count)" = "$1" ]
}

# row_counts_are N: hv1's database holds N rows each of Ucast_Macs_Local,
# Mcast_Macs_Local, Tunnel and Logical_Binding_Stats.
row_counts_are() {
    local table
    for table in Ucast_Macs_Local Mcast_Macs_Local Tunnel \
                 Logical_Binding_Stats; do
        rows_are hv1 "$table" "$1" || return 1
    done
}

classic_fdb='00:00:00:00:00:00 10.1.0.1;00:00:00:00:00:02 10.1.0.1;'

step "the classic lab, hv1's configuration saved before vtepd starts"
classic_hosts
start_ovsdb hv1
start_ovsdb hv2
configure_vtep hv1 hv1 10.0.0.1 p1 ls0 5000 00:00:00:00:00:02 10.1.0.1
configure_vtep hv2 hv2 10.1.0.1 p1 ls0 5000 00:00:00:00:00:01 10.0.0.1
cp "$VT_DIR/hv1.db" "$VT_DIR/hv1-config.db"
start_vtepd hv1 hv1
start_vtepd hv2 hv2
classic_ping
classic_local_macs
wait_until 10 row_counts_are 1 || fail "hv1 did not write its rows"
start_stream outage vm1 192.168.1.2 $(((VT_OUTAGE + 30) * 20)) 0.05

step "1. hv1's database away for $VT_OUTAGE s, changed meanwhile"
ls_uuid=$(vtq hv1 --bare --columns=_uuid find Logical_Switch name=ls0)
loc_uuid=$(vtq hv1 --bare --columns=_uuid find Physical_Locator \
               dst_ip=10.1.0.1)
n=$(connected_count)
stop_ovsdb hv1
t_down=$(now)
ovsdb-tool transact "$VT_DIR/hv1.db" '["hardware_vtep",
    {"op": "insert", "table": "Ucast_Macs_Remote",
     "row": {"MAC": "00:00:00:00:00:98",
             "logical_switch": ["uuid", "'"$ls_uuid"'"],
             "locator": ["uuid", "'"$loc_uuid"'"]}}]' >/dev/null \
    || fail "ovsdb-tool transact failed"
# The outage lasts VT_OUTAGE seconds whatever happens; each second, what
# must hold meanwhile is checked.
while [ "$(since "$t_down" | cut -d. -f1)" -lt "$VT_OUTAGE" ]; do
    stream_alive outage || fail "the ping stream ended while the database was away"
    vtepd_alive hv1 || fail "hv1's vtepd died while the database was away"
    remote_fdb_is hv1 "$classic_fdb" \
        || fail "hv1's kernel changed while the database was away: $(remote_fdb hv1)"
    sleep 1
done
echo "database away for $(since "$t_down") s; replies so far: $(replies outage)"
run_ovsdb hv1
t_back=$(now)
wait_until 20 connected_count_is $((n + 1)) \
    || fail "hv1's vtepd did not reconnect"
t_connected=$(now)
wait_until 10 remote_fdb_is hv1 \
    "$classic_fdb""00:00:00:00:00:98 10.1.0.1;" \
    || fail "hv1 did not program the MAC added meanwhile: $(remote_fdb hv1)"
echo "converged $(since "$t_connected") s after reconnecting, which was" \
     "$(awk -v a="$t_back" -v b="$t_connected" 'BEGIN {printf "%.2f", b - a}') s" \
     "(the reconnection backoff) after the database was back"
rows_are hv1 Tunnel 1 || fail "hv1's Tunnel rows: $(vtq hv1 list Tunnel)"

step "2. hv1's database back as its configuration alone"
n=$(connected_count)
stop_ovsdb hv1
cp "$VT_DIR/hv1-config.db" "$VT_DIR/hv1.db"
run_ovsdb hv1
t_back=$(now)
row_counts_are 0 || fail "the saved configuration holds rows of vtepd's"
wait_until 20 connected_count_is $((n + 1)) \
    || fail "hv1's vtepd did not reconnect"
wait_until 10 row_counts_are 1 \
    || fail "hv1's vtepd did not write its rows again"
has_local_mac hv1 ls0 00:00:00:00:00:01 \
    || fail "hv1's Ucast_Macs_Local lacks vm1's MAC"
wait_until 10 remote_fdb_is hv1 "$classic_fdb" \
    || fail "hv1's kernel kept the MAC the copy lacks: $(remote_fdb hv1)"
echo "rows written again $(since "$t_back") s after the database was back"
stream_alive outage || fail "the ping stream ended too early; make it longer"

step "the ping stream lost nothing"
end_stream outage
vtepd_alive hv1 || fail "hv1's vtepd died"
echo "PASS: database outage"
