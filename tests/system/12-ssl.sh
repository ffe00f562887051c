#!/bin/bash
# 12-ssl.sh -- vtepd reaches its database over SSL.
#
# A PKI made with ovs-pki signs a certificate for ovsdb-server and one for
# vtepd.  ovsdb-server listens with pssl: on the loopback of a namespace of
# the test's own; vtepd connects with ssl: and its key, certificate and CA
# certificate, plays the switch and writes a learned MAC back.  A vtepd
# without the CA certificate's trust (another PKI) does not get in.  A
# plain tcp: database connection is warned about in the log.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
vt_init

pki=$VT_DIR/pki
port=6641

step "a PKI: one CA, a certificate for ovsdb-server and one for vtepd"
ovs-pki --dir="$pki" init >/dev/null 2>&1 || fail "ovs-pki init failed"
(cd "$VT_DIR" && ovs-pki --dir="$pki" req+sign server controller \
     >/dev/null 2>&1) || fail "ovs-pki req+sign server failed"
(cd "$VT_DIR" && ovs-pki --dir="$pki" req+sign vtepd switch \
     >/dev/null 2>&1) || fail "ovs-pki req+sign vtepd failed"
ca=$pki/switchca/cacert.pem
sca=$pki/controllerca/cacert.pem

step "ovsdb-server with pssl: on the namespace's loopback"
vt_add_ns d1
start_ovsdb d1
configure_vtep d1 d1 10.0.0.1 p1 ls0 5000 00:00:00:00:00:02 10.1.0.1
appctl_ovsdb() {
    ovs-appctl --timeout=10 -t "$VT_DIR/d1-ovsdb.ctl" "$@"
}
# Started again with the SSL settings, on the same database.
vt_kill_pidfile "$VT_DIR/d1-ovsdb.pid"
VT_PIDFILES+=("$VT_DIR/d1-ovsdb.pid")
on d1 ovsdb-server "$VT_DIR/d1.db" \
    --remote="punix:$VT_DIR/d1.sock" --remote="pssl:$port:127.0.0.1" \
    --private-key="$VT_DIR/server-privkey.pem" \
    --certificate="$VT_DIR/server-cert.pem" --ca-cert="$ca" \
    --pidfile="$VT_DIR/d1-ovsdb.pid" --unixctl="$VT_DIR/d1-ovsdb.ctl" \
    -vconsole:off --log-file="$VT_DIR/d1-ovsdb.log" --detach --no-chdir \
    || fail "ovsdb-server with SSL did not start"

step "vtepd over ssl: plays the switch and writes back"
VT_PIDFILES+=("$VT_DIR/d1-vtepd.pid")
vtepd_cmd d1
on d1 "${VTEPD_CMD[@]}" --db="ssl:127.0.0.1:$port" --datapath=dummy \
    --private-key="$VT_DIR/vtepd-privkey.pem" \
    --certificate="$VT_DIR/vtepd-cert.pem" --ca-cert="$sca" \
    --pidfile="$VT_DIR/d1-vtepd.pid" --unixctl="$VT_DIR/d1-vtepd.ctl" \
    -vconsole:off -vfile:info --log-file="$VT_DIR/d1-vtepd.log" \
    --detach --no-chdir d1 \
    || fail "vtepd with SSL did not start"
appctl d1 dpdummy/port-add p1
wait_until 10 show_has d1 'binding: port p1 VLAN 0' \
    || fail "vtepd over SSL did not program the switch"
show_has d1 "database: ssl:127.0.0.1:$port \(connected\)" \
    || fail "vtepd/show does not show the SSL connection"
appctl d1 dpdummy/learn p1 0 00:00:00:00:00:01
wait_until 10 has_local_mac d1 ls0 00:00:00:00:00:01 \
    || fail "vtepd over SSL did not write the learned MAC"
grep -q 'not encrypted' "$VT_DIR/d1-vtepd.log" \
    && fail "an SSL connection was called unencrypted"
appctl d1 exit

step "a certificate from another PKI is refused"
ovs-pki --dir="$VT_DIR/pki2" init >/dev/null 2>&1 \
    || fail "ovs-pki init (second PKI) failed"
(cd "$VT_DIR" && ovs-pki --dir="$VT_DIR/pki2" req+sign rogue switch \
     >/dev/null 2>&1) || fail "ovs-pki req+sign rogue failed"
VT_PIDFILES+=("$VT_DIR/rogue.pid")
vtepd_cmd rogue
ip netns exec "$(ns d1)" "${VTEPD_CMD[@]}" --db="ssl:127.0.0.1:$port" --datapath=dummy \
    --private-key="$VT_DIR/rogue-privkey.pem" \
    --certificate="$VT_DIR/rogue-cert.pem" --ca-cert="$sca" \
    --pidfile="$VT_DIR/rogue.pid" --unixctl="$VT_DIR/rogue.ctl" \
    -vconsole:off -vfile:info --log-file="$VT_DIR/rogue.log" \
    --no-chdir d1 &
VT_PIDS+=("$!")
# refused: ovsdb-server has turned the rogue certificate away, and the
# rogue vtepd has seen its connection dropped.
refused() {
    grep -Eq 'certificate verify failed|unknown ca|alert' \
        "$VT_DIR/d1-ovsdb.log" "$VT_DIR/rogue.log" 2>/dev/null \
        && grep -q 'connection dropped' "$VT_DIR/rogue.log" 2>/dev/null
}
wait_until 15 refused || fail "nothing shows the rogue certificate refused"
wait_until 10 test -S "$VT_DIR/rogue.ctl" \
    || fail "the rogue vtepd made no control socket"
# Had it got in, it would have read d1's tunnel IP and programmed it.
show=$(ovs-appctl -t "$VT_DIR/rogue.ctl" vtepd/show) \
    || fail "the rogue vtepd does not answer"
text_has "$show" 'tunnel IP: 10\.0\.0\.1' \
    && fail "a vtepd with a foreign certificate got in: $show"
grep -q 'datapath changes' "$VT_DIR/rogue.log" \
    && fail "a vtepd with a foreign certificate programmed the datapath"
ovs-appctl -t "$VT_DIR/rogue.ctl" exit

step "plain tcp: is warned about"
appctl_ovsdb ovsdb-server/add-remote "ptcp:6642:127.0.0.1" >/dev/null
VT_PIDFILES+=("$VT_DIR/tcp.pid")
vtepd_cmd tcp
on d1 "${VTEPD_CMD[@]}" --db="tcp:127.0.0.1:6642" --datapath=dummy \
    --pidfile="$VT_DIR/tcp.pid" --unixctl="$VT_DIR/tcp.ctl" \
    -vconsole:off -vfile:info --log-file="$VT_DIR/tcp.log" \
    --detach --no-chdir d1 || fail "vtepd over tcp did not start"
grep -q 'WARN.*tcp:127.0.0.1:6642.*not encrypted' "$VT_DIR/tcp.log" \
    || fail "no warning about the plain TCP connection"
ovs-appctl -t "$VT_DIR/tcp.ctl" exit
echo "PASS: ssl"
