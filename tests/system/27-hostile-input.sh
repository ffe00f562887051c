#!/bin/bash
# 27-hostile-input.sh -- thousands of malformed and adversarial rows.
#
# The classic lab, with vm1 pinging vm2 20 times a second on ls0 all along.
# Then, written into hv1's database with ovsdb-client (see
# tests/system/hostile-rows.py):
#
#  - transactions that the schema forbids, which ovsdb-server refuses, so
#    that they never reach vtepd: VLANs out of 0 to 4095, an encapsulation
#    other than vxlan_over_ipv4 (the schema's enum has no other value, so
#    vtepd's encapsulation_unsupported cannot happen through the database,
#    nor locator_missing: a remote MAC must have a locator), an empty
#    locator set, a locator that does not exist, named UUIDs never made, a
#    second ls0, ls0 deleted while rows refer to it;
#  - 2000 remote MACs in ls0 that do not parse (wrong digits, groups and
#    separators, junk, format directives, control characters, 3000-byte
#    strings, multicast MACs, and strings that a lenient scanf() takes for
#    vm1's MAC), 500 behind locators whose dst_ip does not parse, 20 more
#    for vm2's MAC behind other (higher) endpoints;
#  - logical switches bound on p2 with tunnel keys out of the 24-bit range
#    (some whose low 24 or 32 bits are ls0's 5000), with ls0's key, two
#    with one key; eight more Physical_Port rows named p1 binding VLAN 0 to
#    switches of their own, and a port that is not a network device.  The
#    switch whose name sorts first keeps a disputed key or VLAN (vtepd(8));
#    all of these sort after ls0;
#  - a locator set of 2000 locators (400 unusable), used by unknown-dst,
#    multicast groups and junk rows of ls0 and by a source_node logical
#    switch on p2, which so floods to 1600 endpoints;
#  - rows that name rows later in their transaction, a logical switch
#    deleted and made again under its name in one transaction;
#  - then 8 s of churn: rows added and deleted again, a binding and a key
#    flipping, as fast as ovsdb-client goes.
#
# Throughout, vtepd stays up and answers vtepd/show within 10 s, and ls0
# loses no ping: the kernel forwards whatever vtepd does, so a lost ping
# means that vtepd touched ls0's entries or binding, which it must not (so
# none may be lost under valgrind either).  switch_fault_status and
# port_fault_status hold the faults of the bad rows, the kernel holds
# exactly what the well-formed rows ask, and the log has the faults,
# rate-limited (far fewer lines than bad rows, and no line forged by a
# string in a row).  Once the rows are deleted, the faults clear, the
# kernel holds exactly the classic lab again, and vtepd goes back to idle.
# The test prints the rows written, pings sent and lost, log lines, the
# slowest vtepd/show and the time taken.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
vt_init

HOSTILE=$VT_TOP/tests/system/hostile-rows.py
CHURN_SECONDS=8
CLASSIC_FDB='00:00:00:00:00:00 10.1.0.1;00:00:00:00:00:02 10.1.0.1;'

# hostile ARGS...: hostile-rows.py against hv1's database.
hostile() {
    python3 "$HOSTILE" "unix:$VT_DIR/hv1.sock" "$VT_DIR/hostile.json" "$@"
}

# sorted_values HOST TABLE COLUMN NAME: the values of set column COLUMN of
# the rows of TABLE named NAME, sorted and unique, on one line.
sorted_values() {
    local out
    out=$(vtq "$1" --bare --columns="$3" find "$2" name="$4") || return 1
    tr ' ' '\n' <<<"$out" | grep . | sort -u | tr '\n' ' ' | sed 's/ $//'
}

# port_faults_are PORT VALUES: the port_fault_status of hv1's rows named
# PORT (together) is VALUES.
port_faults_are() {
    [ "$(sorted_values hv1 Physical_Port port_fault_status "$1")" = "$2" ]
}

# ls0_fdb: the forwarding entries of ls0's VXLAN device on hv1.
ls0_fdb() {
    bridge -n "$(ns hv1)" fdb show br "$(ls_bridge hv1 5000)" \
        | awk '$3 ~ /^vtx/ { for (i = 1; i < NF; i++) if ($i == "dst") \
                                 print $1, $(i + 1) }' | sort -u
}

# ls0_fdb_is LINES: ls0_fdb, lines each ending with ";", is LINES.
ls0_fdb_is() {
    [ "$(ls0_fdb | tr '\n' ';')" = "$1" ]
}

# show_ms: how long hv1's vtepd takes to answer vtepd/show, in ms; fails if
# it does not answer within 10 s.
show_ms() {
    local t0 t1
    t0=$(date +%s%N)
    ovs-appctl --timeout=10 -t "$VT_DIR/hv1-vtepd.ctl" vtepd/show \
        >/dev/null || return 1
    t1=$(date +%s%N)
    echo $(( (t1 - t0) / 1000000 ))
}

# watch_while PID: while PID runs, checks every 0.2 s that hv1's vtepd is
# alive and answers vtepd/show within 10 s; then waits for PID and returns
# its exit status.  Keeps the slowest answer in $slowest_ms.
watch_while() {
    local pid=$1 ms
    while vt_pid_alive "$pid"; do
        vtepd_alive hv1 || fail "hv1's vtepd died"
        ms=$(show_ms) || fail "hv1's vtepd did not answer vtepd/show in 10 s"
        [ "$ms" -gt "$slowest_ms" ] && slowest_ms=$ms
        sleep 0.2
    done
    wait "$pid"
}

# cpu_ticks: user and system clock ticks hv1's vtepd has used.
cpu_ticks() {
    awk '{print $14 + $15}' "/proc/$(cat "$VT_DIR/hv1-vtepd.pid")/stat"
}

# vtepd_idle: hv1's vtepd used at most 2% of a CPU over one second.
vtepd_idle() {
    local before after
    before=$(cpu_ticks)
    sleep 1
    after=$(cpu_ticks)
    [ $((after - before)) -le $(( $(getconf CLK_TCK) / 50 )) ]
}

# log_count REGEX: lines of hv1's vtepd log that match REGEX.
log_count() {
    grep -Ec -- "$1" "$VT_DIR/hv1-vtepd.log" || true
}

# source_floods: how many flood entries towards 10.64.x.y (the big locator
# set) hv1 has.
source_floods() {
    remote_fdb hv1 | grep -c '^00:00:00:00:00:00 10\.64\.' || true
}

# source_floods_are N: hv1 has N flood entries towards the big set.
source_floods_are() {
    [ "$(source_floods)" = "$1" ]
}

step "the classic lab, and p2 on hv1 for the hostile bindings"
command -v python3 >/dev/null || fail "python3 not found"
classic_hosts
ip -n "$(ns hv1)" link add name p2 type veth peer name p2peer
ip -n "$(ns hv1)" link set dev p2 up
classic_vteps
vtctl hv1 add-port hv1 p2
classic_ping
wait_until 10 remote_fdb_is hv1 "$CLASSIC_FDB" \
    || fail "hv1's FDB is not the classic lab's: $(remote_fdb hv1)"

step "vm1 pings vm2 20 times a second from now on"
ip netns exec "$(ns vm1)" ping -n -i 0.05 -W 1 192.168.1.2 \
    >"$VT_DIR/ping.out" 2>&1 &
ping_pid=$!
VT_PIDS+=("$ping_pid")
start=$(date +%s)
slowest_ms=0

step "what the schema forbids, ovsdb-server refuses"
hostile reject

step "the flood"
hostile flood >"$VT_DIR/flood.out" &
watch_while $! || fail "writing the hostile rows failed"
cat "$VT_DIR/flood.out"
rows=$(sed -n 's/^rows: //p' "$VT_DIR/flood.out")

step "faults, and the kernel holds what the well-formed rows ask"
expected_faults="locator_ip_invalid mcast_mac_invalid remote_mac_conflict"
expected_faults+=" remote_mac_invalid tunnel_key_conflict tunnel_key_invalid"
expected_faults+=" unspecified_fault"
wait_until 60 switch_faults_are hv1 hv1 "$expected_faults" \
    || fail "switch_fault_status is" \
            "'$(sorted_values hv1 Physical_Switch switch_fault_status hv1)'"
wait_until 10 port_faults_are p1 "invalid_vlan_map vlan_conflict" \
    || fail "p1's port_fault_status is" \
            "'$(sorted_values hv1 Physical_Port port_fault_status p1)'"
wait_until 10 port_faults_are p3-missing "port_missing unspecified_fault" \
    || fail "p3-missing's port_fault_status is" \
            "'$(sorted_values hv1 Physical_Port port_fault_status p3-missing)'"
port_faults_are p2 "" \
    || fail "p2's port_fault_status is" \
            "'$(sorted_values hv1 Physical_Port port_fault_status p2)'"
ls0_expected=$CLASSIC_FDB
for g in 0 1 2 3 4; do
    ls0_expected+="01:00:5e:7f:00:0$g 10.64.0.1;"
done
wait_until 30 ls0_fdb_is "$ls0_expected" \
    || fail "ls0's FDB on hv1 is not what its good rows ask: $(ls0_fdb)"
wait_until 30 source_floods_are 1600 \
    || fail "ls4-source floods to $(source_floods) endpoints, not 1600"
# Every other logical switch gets no VXLAN entry: ls0's and ls4-source's
# are all there is.
[ "$(remote_fdb hv1 | wc -l)" = $(( 1600 + 7 )) ] \
    || fail "hv1 has VXLAN entries for bad rows: $(remote_fdb hv1 \
                                                  | grep -v ' 10\.64\.')"
has_vxlan_id hv1 7000 || fail "no VXLAN device for ls2-twin-a's key 7000"
for vni in 16777216 9000; do
    not has_vxlan_id hv1 $vni || fail "a VXLAN device with VNI $vni"
done
[ "$(vxlan_ids hv1 | grep -cx 5000)" = 1 ] \
    || fail "not exactly one VXLAN device with VNI 5000"
[ "$(link_master hv1 p1)" = "$(ls_bridge hv1 5000)" ] \
    || fail "p1 is no longer a port of ls0's bridge"
wait_until 30 rows_are hv1 Tunnel 1601 \
    || fail "hv1 has $(count_rows hv1 Tunnel) Tunnel rows, not 1601"
ping_ok vm1 192.168.1.2 || fail "ls0 stopped forwarding"
show_has hv1 'fault: Ucast_Macs_Remote in ls0: "zz:00:00:00:00:00" is not a MAC' \
    || fail "vtepd/show lacks a bad MAC's fault"
# Control characters are escaped: no string forges a line of its own.
show_has hv1 '^  fault: Ucast_Macs_Remote in ls0: "line\\nbreak 12\|WARN\|forged"' \
    || fail "vtepd/show does not escape a newline in a MAC"
not show_has hv1 '^break' || fail "a MAC broke a line of vtepd/show"
echo "faults: [$(sorted_values hv1 Physical_Switch switch_fault_status hv1)]"

step "churn for ${CHURN_SECONDS}s"
hostile churn "$CHURN_SECONDS" >"$VT_DIR/churn.out" &
watch_while $! || fail "the churn failed"
cat "$VT_DIR/churn.out"
churn_rows=$(sed -n 's/^churn_rows: //p' "$VT_DIR/churn.out")
wait_until 60 ls0_fdb_is "$ls0_expected" \
    || fail "ls0's FDB on hv1 after the churn: $(ls0_fdb)"
wait_until 30 switch_faults_are hv1 hv1 "$expected_faults" \
    || fail "switch_fault_status after the churn is" \
            "'$(sorted_values hv1 Physical_Switch switch_fault_status hv1)'"
ping_ok vm1 192.168.1.2 || fail "ls0 stopped forwarding"

step "the hostile rows go: faults clear, the kernel is the classic lab's"
hostile clean
wait_until 60 switch_faults_are hv1 hv1 "" \
    || fail "switch_fault_status did not clear:" \
            "$(sorted_values hv1 Physical_Switch switch_fault_status hv1)"
wait_until 10 port_faults_are p1 "" || fail "p1's faults did not clear"
wait_until 30 remote_fdb_is hv1 "$CLASSIC_FDB" \
    || fail "hv1's FDB is not the classic lab's: $(remote_fdb hv1)"
wait_until 30 rows_are hv1 Tunnel 1 \
    || fail "hv1 has $(count_rows hv1 Tunnel) Tunnel rows, not 1"
wait_until 30 test "$(ls_netdevs hv1 | wc -l)" = 2 \
    || fail "hv1 has devices of gone logical switches: $(ls_netdevs hv1)"
memory=$(appctl hv1 memory/show)
echo "memory/show: $memory"
text_has "$memory" 'logical-switches:1 .*remote-macs:1( |$)' \
    || fail "vtepd still holds what the hostile rows asked"
not show_has hv1 'fault:' || fail "vtepd/show still lists a fault"
ms=$(show_ms) || fail "hv1's vtepd did not answer vtepd/show in 10 s"
[ "$ms" -gt "$slowest_ms" ] && slowest_ms=$ms
classic_ping
wait_until 30 vtepd_idle || fail "hv1's vtepd does not go back to idle"

step "ping loss, log lines, time"
kill -INT "$ping_pid"
wait "$ping_pid" || true
sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' "$VT_DIR/ping.out")
[ -n "$sent" ] || fail "no ping summary: $(tail -n 3 "$VT_DIR/ping.out")"
# The last request may still have been on its way when ping stopped.
lost=$(awk -v sent="$sent" '
           match($0, /icmp_seq=[0-9]+/) {
               got[substr($0, RSTART + 9, RLENGTH - 9)] = 1 }
           END { n = 0; for (i = 1; i < sent; i++) n += !(i in got); print n }
       ' "$VT_DIR/ping.out")
warns=$(log_count '\|fault_log\|WARN\|hv1: ')
resolved=$(log_count '\|fault_log\|INFO\|hv1: resolved: ')
dropped=$(log_count '\|fault_log\|WARN\|Dropped [0-9]+ log messages')
dropped_lines=$(sed -n \
    's/.*|fault_log|WARN|Dropped \([0-9]*\) log messages.*/\1/p' \
                    "$VT_DIR/hv1-vtepd.log" | awk '{n += $1} END {print n + 0}')
# A newline in "line\nbreak N|WARN|forged" (a MAC) or in "...\n|WARN|forged"
# (an IP) would start a line of its own.
forged=$(log_count '^(break [0-9]+)?\|WARN\|forged')
echo "rows written: $rows in the flood, $churn_rows in the churn"
echo "pings: $sent sent, $lost lost"
echo "log: $warns fault warnings ($dropped_lines more dropped, said in" \
     "$dropped lines), $resolved resolved lines"
echo "slowest vtepd/show: ${slowest_ms} ms"
echo "time: $(( $(date +%s) - start )) s"
[ "$lost" = 0 ] || fail "ls0 lost $lost pings"
[ "$warns" -gt 0 ] || fail "no fault was logged"
[ "$dropped" -gt 0 ] || fail "the log does not say it dropped warnings"
[ "$forged" = 0 ] || fail "$forged log lines forged by strings in rows"
[ $((warns * 20)) -lt "$rows" ] \
    || fail "$warns fault warnings for $rows rows: not rate-limited"
[ $((resolved * 20)) -lt "$rows" ] \
    || fail "$resolved resolved lines for $rows rows: not rate-limited"
vtepd_alive hv1 || fail "hv1's vtepd died"
echo "PASS: hostile input"
