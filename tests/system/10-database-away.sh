#!/bin/bash
# 10-database-away.sh -- vtepd without its database.
#
# vtepd started before its ovsdb-server keeps running, keeps trying to
# connect, and does not spin: between two connection attempts its main
# loop wakes up only a handful of times (coverage counter
# poll_zero_timeout).  MACs learned meanwhile are written once the
# database is there.  When the database goes away again, vtepd keeps the
# datapath as it is, writes what it learned in between when the database
# is back, and programs what was changed in the database meanwhile.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
vt_init

# zero_timeouts: how often d1's vtepd was woken at once by its own request.
zero_timeouts() {
    appctl d1 coverage/read-counter poll_zero_timeout
}

# attempts: how many connections d1's vtepd tried to open (the reconnect
# log goes quiet after a while, the coverage counter does not; it is
# brought up to date about once a second).
attempts() {
    appctl d1 coverage/read-counter stream_open
}

# attempts_over N: d1's vtepd tried more than N connections.
attempts_over() {
    [ "$(attempts)" -gt "$1" ]
}

# no_busy_loop WHAT: between two connection attempts, d1's vtepd was woken
# at once only a handful of times; prints the figure, labelled WHAT.
no_busy_loop() {
    local before after n
    before=$(zero_timeouts)
    n=$(attempts)
    wait_until 20 attempts_over "$n" \
        || fail "vtepd stopped trying to connect"
    after=$(zero_timeouts)
    echo "immediate wake-ups $1: $((after - before))"
    [ $((after - before)) -lt 20 ] \
        || fail "vtepd woke up $((after - before)) times at once: a busy loop"
}

step "vtepd starts before its database"
vt_add_ns d1
# Without --detach: a detaching vtepd returns only once it has read the
# database and programmed the datapath.
VT_PIDFILES+=("$VT_DIR/d1-vtepd.pid")
vtepd_cmd d1
# "ip netns exec" directly (not the "on" function, a shell function that
# would put it in a subshell), so that $! is vtepd itself.
ip netns exec "$(ns d1)" "${VTEPD_CMD[@]}" --db="unix:$VT_DIR/d1.sock" --datapath=dummy \
    --pidfile="$VT_DIR/d1-vtepd.pid" --unixctl="$VT_DIR/d1-vtepd.ctl" \
    -vconsole:off -vfile:info --log-file="$VT_DIR/d1-vtepd.log" \
    --no-chdir d1 &
VT_PIDS+=("$!")
wait_until 10 test -S "$VT_DIR/d1-vtepd.ctl" \
    || fail "vtepd did not create its control socket"
wait_until 10 attempts_over 1 \
    || fail "vtepd does not try to connect"

step "no busy loop while the database is away"
no_busy_loop "between two connection attempts"
vtepd_alive d1 || fail "vtepd died without its database"
appctl d1 dpdummy/port-add p1

step "the database appears: vtepd connects and programs the switch"
start_ovsdb d1
configure_vtep d1 d1 10.0.0.1 p1 ls0 5000 00:00:00:00:00:02 10.1.0.1
wait_until 15 show_has d1 'binding: port p1 VLAN 0' \
    || fail "vtepd did not program the switch once the database came"
appctl d1 dpdummy/learn p1 0 00:00:00:00:00:01
wait_until 5 has_local_mac d1 ls0 00:00:00:00:00:01 \
    || fail "learned MAC not written"

step "the database goes away: the datapath stays, learning goes on"
vt_kill_pidfile "$VT_DIR/d1-ovsdb.pid"
wait_until 10 not show_has d1 '\(connected\)' \
    || fail "vtepd did not notice that the database went away"
appctl d1 dpdummy/learn p1 0 00:00:00:00:00:03
appctl d1 dpdummy/age p1 0 00:00:00:00:00:01
no_busy_loop "with writes pending"
text_has "$(appctl d1 vtepd/dump-macs ls0)" '^remote 00:00:00:00:00:02 ' \
    || fail "the datapath lost its remote MAC with the database"

step "the database is back, changed meanwhile: vtepd catches up"
ovsdb-tool transact "$VT_DIR/d1.db" '["hardware_vtep",
    {"op": "delete", "table": "Ucast_Macs_Remote", "where": []}]' >/dev/null
VT_PIDFILES+=("$VT_DIR/d1-ovsdb.pid")
on d1 ovsdb-server "$VT_DIR/d1.db" --remote="punix:$VT_DIR/d1.sock" \
    --pidfile="$VT_DIR/d1-ovsdb.pid" --unixctl="$VT_DIR/d1-ovsdb.ctl" \
    -vconsole:off --log-file="$VT_DIR/d1-ovsdb.log" --detach --no-chdir
wait_until 15 has_local_mac d1 ls0 00:00:00:00:00:03 \
    || fail "the MAC learned while the database was away was not written"
wait_until 5 not has_local_mac d1 ls0 00:00:00:00:00:01 \
    || fail "the MAC aged while the database was away is still there"
# remote_gone: the remote MAC deleted meanwhile left the datapath.
remote_gone() {
    ! appctl d1 vtepd/dump-macs ls0 | grep '^remote ' >/dev/null
}
wait_until 5 remote_gone \
    || fail "the remote MAC deleted meanwhile is still programmed"
vtepd_alive d1 || fail "vtepd died"
echo "PASS: database away"
