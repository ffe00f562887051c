#!/bin/bash
# 26-raft-cluster.sh -- vtepd on a clustered (RAFT) database whose members
# die under load.
#
# The classic lab, but hv1's database is a cluster of three ovsdb-servers
# (ovsdb-tool create-cluster and join-cluster, Raft over unix sockets in the
# scratch directory, clients on a unix socket per member), and hv1's vtepd
# plays its switch from a YAML file (--config, ports "p*"), so that it owns
# the Physical_Switch and Physical_Port rows.  hv1's vtepd is given the
# three members' remotes; everything the test writes to or reads from
# hv1's database goes through vtep-ctl given the same three (vtep-ctl talks
# to the leader only).  vm1 pings vm2.
#
# Two rounds, in each of which a writer (vtep-ctl, one transaction per MAC
# change, like a controller) streams 300 additions and 90 deletions of
# remote MACs in ls0 and logs which transactions were acknowledged:
#
#   1. Some 160 transactions in, the cluster's leader dies (SIGKILL).
#   2. The member killed in round 1 is started again and catches up; then,
#      some 160 transactions in, the member hv1's vtepd is connected to
#      dies (SIGKILL), whatever its role.
#
# While the member dies, hv1's vtepd has writes of its own to make: a MAC
# learned on p1 and a new port device just before the kill, another of each
# just after it (and one of each earlier in the stream).  After each round:
#
#   - the remote MACs in hv1's database (read from the leader) and the
#     kernel's VXLAN FDB of hv1 are the same set, flood entry included;
#   - every acknowledged addition is in the database unless an acknowledged
#     deletion followed it, no acknowledged deletion is, and nothing else;
#   - vtepd's own rows are all there, each once: Ucast_Macs_Local exactly
#     vm1's MAC and the MACs learned so far, Physical_Port exactly p1 and
#     the port devices made so far, one Physical_Switch, one Tunnel (to
#     hv2), one Mcast_Macs_Local and one Logical_Binding_Stats row;
#   - vm1 and vm2 still ping each other.
#
# And in each round, hv1's kernel has the first MAC added after the kill
# within 5 s of its acknowledgement: vtepd does not wait for the leader.
#
# Prints for each round: which member died and which one hv1's vtepd was
# using, how many transactions were acknowledged, the writer's longest wait
# for an acknowledgement, when a new leader was elected, how long after the
# kill (and after its acknowledgement) hv1's kernel had the first MAC added
# after the kill, and how long after the stream hv1's kernel held exactly
# the committed state.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
vt_init

MEMBERS=(c1 c2 c3)
KILLED=                 # The member the last round killed.
HV1_DB=unix:$VT_DIR/hv1-c1.sock,unix:$VT_DIR/hv1-c2.sock,unix:$VT_DIR/hv1-c3.sock
N_ADDS=300              # Remote MAC additions per round.
DEL_LAG=30              # MAC I is deleted after addition I + DEL_LAG...
                        # ...if I is a multiple of 3.

# vtq HOST ARGS...: lib.sh's vtq, except that hv1's database is the
# cluster: vtep-ctl is given the remotes of all of its members (and with
# it vtctl, configure_ls, has_local_mac and the other readers of lib.sh).
vtq() {
    local host=$1 db
    shift
    if [ "$host" = hv1 ]; then
        db=$HV1_DB
    else
        db=unix:$VT_DIR/$host.sock
    fi
    vtep-ctl --timeout=10 --db="$db" "$@"
}

# secs_since T: seconds from $EPOCHREALTIME value T to now, to 0.01 s.
secs_since() {
    awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f\n", b - a }'
}

# ---------------------------------------------------------------------------
# The cluster.

# start_member M: starts cluster member M (c1, c2 or c3) of hv1's
# database, in hv1's namespace.
start_member() {
    local m=$1
    VT_PIDFILES+=("$VT_DIR/hv1-$m-ovsdb.pid")
    on hv1 ovsdb-server "$VT_DIR/hv1-$m.db" \
        --remote="punix:$VT_DIR/hv1-$m.sock" \
        --pidfile="$VT_DIR/hv1-$m-ovsdb.pid" \
        --unixctl="$VT_DIR/hv1-$m-ovsdb.ctl" \
        -vconsole:off --log-file="$VT_DIR/hv1-$m-ovsdb.log" \
        --detach --no-chdir \
        || fail "ovsdb-server for member $m did not start"
}

# member_alive M: member M runs.
member_alive() {
    local pid
    pid=$(cat "$VT_DIR/hv1-$1-ovsdb.pid" 2>/dev/null) || return 1
    vt_pid_is_ours "$pid"
}

# cluster_status M: "cluster/status" of member M.
cluster_status() {
    ovs-appctl --timeout=5 -t "$VT_DIR/hv1-$1-ovsdb.ctl" \
        cluster/status hardware_vtep 2>/dev/null
}

# leader: the member that is leader, as that member says; fails if none.
leader() {
    local m
    for m in "${MEMBERS[@]}"; do
        member_alive "$m" || continue
        if cluster_status "$m" | matches '^Role: leader$'; then
            echo "$m"
            return 0
        fi
    done
    return 1
}

# in_cluster M: member M is a member of the cluster, with a leader it
# knows, and has applied everything it has committed.
in_cluster() {
    local s
    s=$(cluster_status "$1") || return 1
    text_has "$s" '^Status: cluster member$' \
        && text_has "$s" '^Leader: [^u]' \
        && text_has "$s" '^Entries not yet applied: 0$'
}

# all_in_cluster: every member is in the cluster and one is leader.
all_in_cluster() {
    local m
    for m in "${MEMBERS[@]}"; do
        in_cluster "$m" || return 1
    done
    leader >/dev/null
}

# vtepd_member: the member hv1's vtepd connected to last, as its log says.
vtepd_member() {
    sed -n 's/.*|reconnect|INFO|unix:.*\/hv1-\(c[123]\)\.sock: connected$/\1/p' \
        "$VT_DIR/hv1-vtepd.log" | tail -n 1
}

# dead PID: process PID is gone, or a zombie (a detached daemon is reaped
# by whoever adopted it, which may take its time).
dead() {
    ! vt_pid_alive "$1" \
        || [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" = Z ]
}

# kill_member M: SIGKILL to member M.
kill_member() {
    local pid
    pid=$(cat "$VT_DIR/hv1-$1-ovsdb.pid") || fail "no pid file for $1"
    vt_pid_is_ours "$pid" || fail "member $1 (pid $pid) is not running"
    kill -KILL "$pid"
    wait_until 10 dead "$pid" || fail "member $1 did not die"
}

# ---------------------------------------------------------------------------
# The writer.

# round_mac R I: remote MAC I of round R.
round_mac() {
    printf '02:00:00:0%x:%02x:%02x\n' "$1" $(($2 / 256)) $(($2 % 256))
}

# write_op R add|del I: one transaction of round R's writer: adds or
# deletes MAC I of round R, and logs "START END ok|fail add|del I MAC" to
# $VT_DIR/writer-R.log ($EPOCHREALTIME at its start and end).  Like a
# controller, it tries again until the transaction is acknowledged (for
# 30 s): vtep-ctl gives up at once when no member it tries is the leader,
# e.g. during an election, and may wait for one until its timeout (10 s)
# if its connection dropped.  Adding or deleting twice is harmless.
write_op() {
    local r=$1 op=$2 i=$3 mac start status
    mac=$(round_mac "$r" "$i")
    if [ "$op" = add ]; then
        set -- add-ucast-remote ls0 "$mac" 10.1.0.1
    else
        set -- del-ucast-remote ls0 "$mac"
    fi
    start=$EPOCHREALTIME
    if wait_until 30 vtep-ctl --timeout=10 --db="$HV1_DB" "$@" \
           2>>"$VT_DIR/writer-$r.err"; then
        status=ok
    else
        status=fail
    fi
    printf '%s %s %s %s %s %s\n' "$start" "$EPOCHREALTIME" "$status" "$op" \
        "$i" "$mac" >>"$VT_DIR/writer-$r.log"
}

# writer R: the controller-like writer of round R, run in the background.
# Adds MAC I of round R for I = 1..N_ADDS, each in a transaction of its own,
# and after each addition I that is a multiple of 3 deletes MAC I -
# DEL_LAG.  Creates $VT_DIR/writer-R.done at the end.
writer() {
    local r=$1 i
    : >"$VT_DIR/writer-$r.log"
    for ((i = 1; i <= N_ADDS; i++)); do
        write_op "$r" add "$i"
        if [ $((i % 3)) -eq 0 ] && [ "$i" -gt "$DEL_LAG" ]; then
            write_op "$r" del $((i - DEL_LAG))
        fi
    done
    : >"$VT_DIR/writer-$r.done"
}

# acks R: how many transactions of round R's writer were acknowledged.
acks() {
    grep -c ' ok ' "$VT_DIR/writer-$1.log" 2>/dev/null || true
}

acks_over() {
    [ "$(acks "$1")" -gt "$2" ]
}

# first_ack_after R T: "MAC END" of the first addition of round R that
# started after $EPOCHREALTIME value T, was acknowledged (at END) and is
# never deleted.
first_ack_after() {
    awk -v t="$2" -v lag="$DEL_LAG" -v n="$N_ADDS" '
        $1 > t && $3 == "ok" && $4 == "add" \
        && ($5 % 3 != 0 || $5 + lag > n) { print $6, $2; found = 1; exit }
        END { exit !found }' "$VT_DIR/writer-$1.log"
}

# ---------------------------------------------------------------------------
# What the database and the kernel hold.

# db_remote: hv1's remote MACs in ls0 as "MAC IP" lines, sorted, the
# unknown-dst row as the all-zero MAC (as remote_fdb shows the flood
# entry).  Fails if the database cannot be read.
db_remote() {
    local out
    out=$(vtq hv1 list-remote-macs ls0 2>/dev/null) || return 1
    awk '/^(ucast|mcast)-mac-remote$/ { u = 1; next }
         u && NF == 3 { ip = $3; sub(/.*\//, "", ip)
                        mac = ($1 == "unknown-dst") ? "00:00:00:00:00:00" : $1
                        print mac, ip }' <<<"$out" | sort -u
}

# kernel_is_db: hv1's kernel holds exactly the remote MACs of the database.
kernel_is_db() {
    local db
    db=$(db_remote) || return 1
    [ "$(remote_fdb hv1)" = "$db" ]
}

# fdb_has HOST MAC: HOST's VXLAN FDB has MAC.
fdb_has() {
    remote_fdb "$1" | matches "^$2 "
}

# check_writer R: the database has every acknowledged addition of round R
# that no acknowledged deletion followed, no MAC whose deletion was
# acknowledged, and no MAC of round R that the writer did not add.
check_writer() {
    local r=$1 db bad
    db=$(db_remote) || fail "hv1's database cannot be read"
    bad=$(awk -v r="$(round_mac "$r" 0 | cut -c1-11)" '
        FNR == NR { if ($3 == "ok") ok[$6, $4] = 1
                    planned[$6] = 1; if ($4 == "del") del[$6] = 1; next }
        { have[$1] = 1 }
        END {
            for (m in planned) {
                if (ok[m, "add"] && !del[m] && !have[m])
                    print "missing acknowledged addition " m
                if (ok[m, "del"] && have[m])
                    print "acknowledged deletion still there " m
            }
            for (m in have)
                if (index(m, r) == 1 && !planned[m])
                    print "never added " m
        }' "$VT_DIR/writer-$r.log" - <<<"$db")
    [ -z "$bad" ] || fail "round $r: $bad"
}

# ---------------------------------------------------------------------------
# hv1's own writes.

LEARNED=(00:00:00:00:00:01)     # MACs learned on hv1's p1 so far.
PORTS=(p1)                      # hv1's port devices so far.

# own_writes TAG: something for hv1's vtepd to write: MAC
# 02:00:00:00:ff:TAG is learned on p1 (a dynamic bridge FDB entry, as if
# a VM behind vm1 had sent a frame), and port device pTAG appears (a veth
# whose peer qTAG is no port).
own_writes() {
    local mac
    mac=02:00:00:00:ff:$1
    bridge -n "$(ns hv1)" fdb add "$mac" dev p1 master dynamic \
        || fail "cannot add learned MAC $mac on hv1's p1"
    ip -n "$(ns hv1)" link add name "p$1" type veth peer name "q$1" \
        || fail "cannot add port device p$1 to hv1"
    LEARNED+=("$mac")
    PORTS+=("p$1")
}

# sorted WORD...: the WORDs, one per line, sorted.
sorted() {
    printf '%s\n' "$@" | sort
}

local_macs_are_learned() {
    local macs
    macs=$(vtq hv1 --bare --columns=MAC list Ucast_Macs_Local 2>/dev/null) \
        || return 1
    [ "$(grep . <<<"$macs" | sort)" = "$(sorted "${LEARNED[@]}")" ]
}

ports_are_devices() {
    local names
    names=$(vtq hv1 --bare --columns=name list Physical_Port 2>/dev/null) \
        || return 1
    [ "$(grep . <<<"$names" | sort)" = "$(sorted "${PORTS[@]}")" ]
}

# check_own_rows: hv1's vtepd's rows are all in the database, each once.
check_own_rows() {
    wait_until 15 local_macs_are_learned \
        || fail "hv1's Ucast_Macs_Local is not the learned MACs:" \
                "$(vtq hv1 --bare --columns=MAC list Ucast_Macs_Local)"
    wait_until 15 ports_are_devices \
        || fail "hv1's Physical_Port rows are not its port devices:" \
                "$(vtq hv1 --bare --columns=name list Physical_Port)"
    wait_until 15 rows_are hv1 Physical_Switch 1 \
        || fail "not one Physical_Switch row"
    wait_until 15 rows_are hv1 Tunnel 1 || fail "not one Tunnel row"
    local remote
    remote=$(vtq hv1 --bare --columns=remote list Tunnel)
    [ "$(vtq hv1 get Physical_Locator "$remote" dst_ip)" = '"10.1.0.1"' ] \
        || fail "the Tunnel does not lead to hv2"
    wait_until 15 rows_are hv1 Mcast_Macs_Local 1 \
        || fail "not one Mcast_Macs_Local row"
    wait_until 15 rows_are hv1 Logical_Binding_Stats 1 \
        || fail "not one Logical_Binding_Stats row"
}

# ---------------------------------------------------------------------------

# round R VICTIM: round R of the stream; VICTIM is "leader" or "vtepd's"
# (the member hv1's vtepd is connected to).
round() {
    local r=$1 victim=$2 i n m mine role wpid t_kill t_ack t_end mac p pids

    step "round $r: a writer streams remote MAC changes; $victim member dies"
    rm -f "$VT_DIR/writer-$r.done"
    writer "$r" &
    wpid=$!
    VT_PIDS+=("$wpid")
    wait_until 30 acks_over "$r" 60 || fail "the writer does not get going"
    own_writes "${r}1"
    wait_until 30 acks_over "$r" 160 || fail "the writer does not go on"

    mine=$(vtepd_member)
    if [ "$victim" = leader ]; then
        m=$(leader) || fail "no leader"
    else
        m=$mine
    fi
    role=$(cluster_status "$m" | sed -n 's/^Role: //p')
    own_writes "${r}2"
    n=$(acks "$r")
    t_kill=$EPOCHREALTIME
    kill_member "$m"
    own_writes "${r}3"
    KILLED=$m
    echo "round $r: killed member $m ($role) after $n acknowledged" \
         "transactions; hv1's vtepd was using $mine"

    wait_until 30 leader >/dev/null || fail "no leader after the kill"
    if [ "$role" = leader ]; then
        echo "round $r: member $(leader) elected leader" \
             "$(secs_since "$t_kill") s after the kill"
    else
        echo "round $r: member $(leader) still leader"
    fi
    wait_until 60 first_ack_after "$r" "$t_kill" >/dev/null \
        || fail "no transaction acknowledged after the kill"
    # The cluster has a leader again, and vtepd was on a member that is in
    # the cluster, or moves to one at once: its kernel follows within a
    # moment (a client that waits for the leader may take several seconds
    # of reconnection backoff to find it).
    read -r mac t_ack < <(first_ack_after "$r" "$t_kill")
    wait_until 5 fdb_has hv1 "$mac" \
        || fail "hv1's kernel does not get $mac, added after the kill," \
                "within 5 s of its acknowledgement"
    echo "round $r: hv1's kernel has $mac, the first MAC added after the" \
         "kill, $(secs_since "$t_kill") s after the kill and" \
         "$(secs_since "$t_ack") s after its acknowledgement; vtepd now" \
         "uses $(vtepd_member)"

    wait_until 120 test -e "$VT_DIR/writer-$r.done" \
        || fail "the writer did not finish"
    t_end=$EPOCHREALTIME
    wait "$wpid" || fail "the writer failed"
    pids=()
    for p in "${VT_PIDS[@]}"; do
        [ "$p" = "$wpid" ] || pids+=("$p")
    done
    VT_PIDS=("${pids[@]}")
    wait_until 30 kernel_is_db \
        || fail "hv1's kernel does not hold the database's remote MACs:" \
                "$(diff <(db_remote) <(remote_fdb hv1) || true)"
    echo "round $r: hv1's kernel holds exactly the committed remote MACs" \
         "$(secs_since "$t_end") s after the stream"
    awk '{ n++; if ($3 == "ok") ok++; else failed++
           if ($2 - $1 > w) w = $2 - $1 }
         END { printf "round %d: %d transactions, %d acknowledged, %d " \
                      "failed; longest wait for an acknowledgement %.2f s\n",
                      r, n, ok, failed, w }' r="$r" "$VT_DIR/writer-$r.log"
    for ((i = 1; i <= r; i++)); do
        check_writer "$i"
    done
    check_own_rows
    echo "round $r: $(count_rows hv1 Ucast_Macs_Remote) remote MACs," \
         "${#LEARNED[@]} local MACs, ${#PORTS[@]} ports in the database"
    classic_ping
    vtepd_alive hv1 || fail "hv1's vtepd died"
}

step "hv1's database: a cluster of three members"
classic_hosts
# (It warns that a cluster keeps the schema's ephemeral columns.)
ovsdb-tool create-cluster "$VT_DIR/hv1-c1.db" "$VT_SCHEMA" \
    "unix:$VT_DIR/hv1-c1.raft" 2>"$VT_DIR/create-cluster.err" \
    || fail "ovsdb-tool create-cluster failed:" \
            "$(cat "$VT_DIR/create-cluster.err")"
for m in c2 c3; do
    ovsdb-tool join-cluster "$VT_DIR/hv1-$m.db" hardware_vtep \
        "unix:$VT_DIR/hv1-$m.raft" "unix:$VT_DIR/hv1-c1.raft" \
        || fail "ovsdb-tool join-cluster failed for $m"
done
for m in "${MEMBERS[@]}"; do
    start_member "$m"
done
wait_until 30 all_in_cluster || fail "the cluster did not form"
cluster_status "$(leader)"

step "hv1's vtepd on all three members, hv2 as usual; ping"
cat >"$VT_DIR/hv1.yaml" <<YAML
name: hv1
tunnel_ip: 10.0.0.1
ports:
  - "p*"
YAML
start_vtepd hv1 hv1 --config="$VT_DIR/hv1.yaml" --db="$HV1_DB"
wait_until 15 ports_are_devices || fail "hv1's vtepd did not write its ports"
configure_ls hv1 hv1 p1 0 ls0 5000 00:00:00:00:00:02 10.1.0.1
start_ovsdb hv2
configure_vtep hv2 hv2 10.1.0.1 p1 ls0 5000 00:00:00:00:00:01 10.0.0.1
start_vtepd hv2 hv2
classic_ping
classic_local_macs
echo "hv1's vtepd uses member $(vtepd_member)"

round 1 leader

step "the member killed in round 1 comes back"
start_member "$KILLED"
wait_until 30 all_in_cluster || fail "member $KILLED did not rejoin"
round 2 "vtepd's"

echo "PASS: RAFT cluster"
