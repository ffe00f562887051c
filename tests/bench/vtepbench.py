#!/usr/bin/env python3
"""vtepbench.py -- the measuring half of vtepd's benchmarks (tests/bench).

The shell scripts build namespaces, the database and vtepd with
tests/system/lib.sh and call this program (in the right namespace) for the
parts that need exact timestamps.  Only the standard library is used.

Subcommands:

  remote-txn --ls-uuid UUID --n N [--locators L] [--first I] [--net A.B]
             [--locator-uuid LOC] --out FILE
      Writes the params of an OVSDB "transact" request to FILE: N
      Ucast_Macs_Remote rows in logical switch UUID, MACs 02:aa:... numbered
      from I (default 1), spread over L (default 100) new Physical_Locator
      rows A.B.0.1, A.B.0.2, ... (default 10.1), or all behind the existing
      Physical_Locator row LOC.
  remote-txn --delete --out FILE
      The same for deleting every Ucast_Macs_Remote row.

  remote-run --db SOCKET --txn FILE --vxlan DEV --n N --mode insert|delete
             [--timeout S] [--pid PID...]
      Run in the namespace of vtepd.  Subscribes to the kernel's neighbour
      notifications, sends the transaction in FILE, and reports (one JSON
      object on stdout) the time from sending it to the commit reply and to
      the moment the kernel FDB of DEV holds (insert) or no longer holds
      (delete) the N MACs: a MAC counts once both its VXLAN entry (with dst)
      and its bridge entry were notified.  Also the CPU time that the
      processes PID used meanwhile and, for the first PID (vtepd), when it
      last ran before staying idle for 0.3 s ("busy_s").

  wait-idle --pid PID [--quiet S]
      Waits until process PID used no CPU time for S seconds (0.5).

  learn --db SOCKET --ifname DEV [--trials T] [--gap S] [--bursts N...]
        [--port P --ls-uuid UUID] [--timeout S] [--pid PID...]
      Run in the namespace of a VM whose DEV is bound to the logical
      switch.  Monitors Ucast_Macs_Local over OVSDB (update notifications,
      no polling).  T trials, S seconds apart: one frame from a fresh
      source MAC, time until its row appears.  Then for each N: a child
      process sends N frames from N fresh MACs as fast as a raw socket
      takes them; time until all N rows are there; then (with --port) the
      binding of port P, VLAN 0, is removed, the time until every
      Ucast_Macs_Local row is gone is measured, and the binding restored
      (to logical switch UUID).  Prints one JSON object on stdout.  The
      first PID is vtepd's: the measurements start, and each burst after
      the binding was restored, once it used no CPU time for 0.5 s.
      --ready CMD [--settle S]: instead, once the shell command CMD
      succeeds, and S (2) seconds later (ovs-vtep, which is never idle).
      --rate R: bursts send at most R frames per second (ovs-vswitchd's
      userspace datapath drops what its socket buffer cannot hold).

  ovs-run --db SOCKET --txn FILE --mgmt SOCKET --mode insert|delete
          [--interval S] [--timeout S] [--pid PID...]
      remote-run for ovs-vtep: sends the transaction and dumps the flows of
      the bridge whose OpenFlow management socket is SOCKET every S seconds
      (0.1) with ovs-ofctl until it has a remote MAC flow for every MAC in
      FILE (insert) or none (delete).  Reports the time to the commit
      reply, to the end of that dump, and the resolution (from the start
      of the dump before it).

  plot --data FILE --out SVG [--title T] [--note TEXT]
      Plots what "remote-macs.sh -d FILE" wrote as an SVG: seconds to the
      last MAC in (out of) the datapath against N, log-log, per
      implementation.

  scale-build --db SOCKET --ls L --macs M --vteps V [--port P]
              [--first-vlan F] [--key-base K] [--flood] [--chunk C]
      Fills the database for the scale benchmarks: L Logical_Switch rows
      ls1 .. lsL (tunnel keys K+1 .. K+L, default K 10000), bound to VLANs
      F .. F+L-1 (default 1) of port P (default p1, which must exist), in
      one transaction; then L * M Ucast_Macs_Remote rows (MACs numbered
      from 1, the M of logical switch i being i*M-M+1 .. i*M) over V
      Physical_Locator rows 10.1.0.1 .. 10.1.0.V (logical switch i's MACs
      start at VTEP i mod V and go round), in transactions of C rows
      (default 25000); with --flood, also an unknown-dst Mcast_Macs_Remote
      row per logical switch, to VTEP i mod V.  Prints one JSON object
      (seconds each transaction took, UUIDs of ls1 and the locators).

  fdb-watch --n N [--flood F] [--timeout S] [--pidfile FILE] [-- CMD...]
      Run in the namespace of vtepd.  Follows the kernel's link and
      neighbour notifications from the start; runs CMD (e.g. vtepd
      --detach, which returns once its first reconciliation was tried),
      and reports (one JSON object on stdout), in seconds from starting
      CMD: when CMD returned, when the first and last of vtepd's netdevs
      (vtb, vtx, vtv, vtw) appeared and how many, when the first and the
      last of the N remote MACs (02:aa:...) had both their VXLAN entry
      (with dst) and bridge entry notified, and when F VXLAN devices had a
      flood entry (all-zero MAC with dst).  With --pidfile, also the CPU
      time (from /proc/PID/schedstat) and memory of the process it names
      until then, and when it last ran before staying idle for 0.3 s
      ("busy_s") and its CPU time until then.

  idle-cpu --pid PID [--seconds S]
      The CPU time process PID uses over S seconds (default 60), from
      /proc/PID/schedstat (ns) and /proc/PID/stat (clock ticks), and as a
      percentage of one core.  Prints one JSON object on stdout.
"""

import argparse
import codecs
import json
import math
import os
import re
import select
import socket
import struct
import subprocess
import sys
import threading
import time

# ---------------------------------------------------------------------------
# OVSDB JSON-RPC over a unix socket.


class OvsdbError(Exception):
    pass


class Ovsdb:
    """A minimal RFC 7047 client: requests, replies, notifications."""

    def __init__(self, path):
        if path.startswith("unix:"):
            path = path[5:]
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.buf = ""
        self.decoder = json.JSONDecoder()
        self.dec = codecs.getincrementaldecoder("utf-8")()
        self.next_id = 0
        self.replies = {}
        self.on_update = None

    def send(self, method, params):
        """Sends a request; returns its id."""
        rid = self.next_id
        self.next_id += 1
        self.send_raw(json.dumps({"method": method, "params": params,
                                  "id": rid}).encode())
        return rid

    def send_raw(self, data):
        self.sock.sendall(data)

    def _dispatch(self, msg, t_read):
        if msg.get("method") == "echo" and "id" in msg:
            self.send_raw(json.dumps({"result": msg["params"],
                                      "error": None,
                                      "id": msg["id"]}).encode())
        elif msg.get("method") in ("update", "update2", "update3"):
            if self.on_update:
                self.on_update(msg["params"][-1], t_read)
        elif "id" in msg and "result" in msg:
            self.replies[msg["id"]] = msg

    def poll(self, timeout):
        """Reads and dispatches what arrives within 'timeout' seconds;
        returns after the first read (or the timeout).  Notifications are
        stamped with the time the read that completed them returned."""
        r, _, _ = select.select([self.sock], [], [], max(timeout, 0))
        if not r:
            return
        data = self.sock.recv(1 << 20)
        t_read = time.monotonic()
        if not data:
            raise OvsdbError("ovsdb-server closed the connection")
        self.buf += self.dec.decode(data)
        # A message is an object: parsing is worth trying only if what was
        # read so far ends with "}" (large updates arrive in many reads).
        while self.buf.rstrip().endswith("}"):
            s = self.buf.lstrip()
            try:
                msg, end = self.decoder.raw_decode(s)
            except ValueError:
                self.buf = s
                break
            self.buf = s[end:]
            self._dispatch(msg, t_read)

    def wait_reply(self, rid, timeout=60.0):
        deadline = time.monotonic() + timeout
        while rid not in self.replies:
            left = deadline - time.monotonic()
            if left <= 0:
                raise OvsdbError("no reply from ovsdb-server in %g s"
                                 % timeout)
            self.poll(left)
        return self.replies.pop(rid)

    def transact(self, ops, timeout=60.0):
        rid = self.send("transact", ["hardware_vtep"] + ops)
        reply = self.wait_reply(rid, timeout)
        check_txn_reply(reply)
        return reply["result"]


def check_txn_reply(reply):
    if reply.get("error"):
        raise OvsdbError("transaction failed: %s" % reply["error"])
    for r in reply["result"]:
        if r and "error" in r:
            raise OvsdbError("transaction failed: %s" % r)


# ---------------------------------------------------------------------------
# CPU time of processes.

CLK_TCK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """utime + stime of 'pid' and of its children that it waited for
    (cutime + cstime) in seconds, or None.  ovs-vtep does its work in
    ovs-vsctl, ovs-ofctl and vtep-ctl children; vtepd and the OVS daemons
    have none."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return sum(int(x) for x in fields[11:15]) / CLK_TCK
    except (OSError, ValueError, IndexError):
        return None


def cpu_ns(pid):
    """Time 'pid' spent on a CPU, in ns (from /proc/PID/schedstat)."""
    try:
        with open("/proc/%d/schedstat" % pid) as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def cpu_snapshot(pids):
    return {pid: cpu_seconds(pid) for pid in pids}


def cpu_delta(before, after):
    out = {}
    for pid, b in before.items():
        a = after.get(pid)
        out[str(pid)] = None if a is None or b is None else round(a - b, 3)
    return out


# ---------------------------------------------------------------------------
# Remote MACs.


REMOTE_PREFIX = "02:aa:"


def remote_mac(i):
    return "02:%02x:%02x:%02x:%02x:%02x" % (
        0xaa, (i >> 24) & 0xff, (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff)


def cmd_remote_txn(args):
    if args.delete:
        ops = [{"op": "delete", "table": "Ucast_Macs_Remote", "where": []}]
    else:
        ops = []
        for j in range(0 if args.locator_uuid else args.locators):
            ops.append({"op": "insert", "table": "Physical_Locator",
                        "uuid-name": "loc%d" % j,
                        "row": {"dst_ip": "%s.%d.%d" % (args.net, j // 250,
                                                        j % 250 + 1),
                                "encapsulation_type": "vxlan_over_ipv4"}})
        ls = ["uuid", args.ls_uuid]
        for i in range(args.n):
            ops.append({"op": "insert", "table": "Ucast_Macs_Remote",
                        "row": {"MAC": remote_mac(args.first + i),
                                "logical_switch": ls,
                                "locator": (["uuid", args.locator_uuid]
                                            if args.locator_uuid else
                                            ["named-uuid",
                                             "loc%d" % (i % args.locators)])
                                }})
    with open(args.out, "w") as f:
        json.dump(["hardware_vtep"] + ops, f, separators=(",", ":"))


# Netlink constants (linux/netlink.h, linux/rtnetlink.h, linux/neighbour.h).
NETLINK_ROUTE = 0
RTMGRP_NEIGH = 0x4
RTM_NEWNEIGH = 28
RTM_DELNEIGH = 29
NLMSG_ERROR = 2
NLMSG_OVERRUN = 4
AF_BRIDGE = 7
NDA_DST = 1
NDA_LLADDR = 2
NDA_MASTER = 9
SO_RCVBUFFORCE = 33
NLMSG_HDR = struct.Struct("=IHHII")
NDMSG = struct.Struct("=BBHiHBB")
NLATTR = struct.Struct("=HH")


def parse_bridge_neigh(data, off, length):
    """Parses the neighbour message of 'length' bytes at 'off' in 'data'.
    Returns (ifindex, MAC as bytes, whether it has NDA_DST) for an FDB
    entry (family AF_BRIDGE), or (None, None, False) for anything else."""
    family, _, _, ifindex, _, _, _ = NDMSG.unpack_from(data, off + 16)
    if family != AF_BRIDGE:
        return None, None, False
    pos = off + 16 + NDMSG.size
    end = off + length
    mac = None
    has_dst = False
    while pos + 4 <= end:
        alen, atype = NLATTR.unpack_from(data, pos)
        if alen < 4:
            break
        atype &= 0x3fff
        if atype == NDA_LLADDR:
            mac = bytes(data[pos + 4:pos + 10])
        elif atype == NDA_DST:
            has_dst = True
        pos += (alen + 3) & ~3
    return ifindex, mac, has_dst


class FdbWatch:
    """Follows the VXLAN and bridge FDB entries of one VXLAN device from the
    kernel's neighbour notifications."""

    def __init__(self, ifindex, rcvbuf=1 << 29):
        self.ifindex = ifindex
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                  NETLINK_ROUTE)
        self.sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, rcvbuf)
        self.sock.bind((0, RTMGRP_NEIGH))
        self.sock.setblocking(False)
        self.vxlan = set()      # MACs with a VXLAN entry (with dst).
        self.bridge = set()     # MACs with a bridge entry on the device.
        self.vxlan_gone = set()
        self.bridge_gone = set()
        self.n_msgs = 0
        self.overrun = False

    def _handle(self, data, off, length):
        mtype = NLMSG_HDR.unpack_from(data, off)[1]
        if mtype not in (RTM_NEWNEIGH, RTM_DELNEIGH):
            return
        self.n_msgs += 1
        ifindex, mac, has_dst = parse_bridge_neigh(data, off, length)
        if ifindex != self.ifindex or mac is None or mac == b"\0" * 6:
            return
        if mtype == RTM_NEWNEIGH:
            (self.vxlan if has_dst else self.bridge).add(mac)
        else:
            (self.vxlan_gone if has_dst else self.bridge_gone).add(mac)

    def drain(self, done=None):
        """Processes every notification queued.  With 'done', stops as soon
        as done() holds after a read and returns the monotonic time of that
        moment (the notifications may keep coming while it reads, so the
        time the drain began would be too early); otherwise returns None."""
        while True:
            try:
                data = self.sock.recv(1 << 16)
            except BlockingIOError:
                return None
            except OSError as e:
                if e.errno == 105:      # ENOBUFS
                    self.overrun = True
                    continue
                raise
            off = 0
            while off + 16 <= len(data):
                length = NLMSG_HDR.unpack_from(data, off)[0]
                if length < 16:
                    break
                self._handle(data, off, length)
                off += (length + 3) & ~3
            if done and done():
                return time.monotonic()


def busy_until(pid, quiet, deadline):
    """Returns the monotonic time (5 ms resolution) at which process 'pid'
    last ran before it stayed idle (used no CPU time) for 'quiet' seconds,
    or 'deadline'."""
    last = cpu_ns(pid)
    t_last = time.monotonic()
    while True:
        time.sleep(0.005)
        now = time.monotonic()
        ns = cpu_ns(pid)
        if ns != last:
            last, t_last = ns, now
        elif now - t_last >= quiet or now >= deadline:
            return t_last


def cmd_remote_run(args):
    ifindex = socket.if_nametoindex(args.vxlan)
    watch = FdbWatch(ifindex)
    db = Ovsdb(args.db)
    with open(args.txn) as f:
        params = json.load(f)
    request = json.dumps({"method": "transact", "params": params,
                          "id": 4242}, separators=(",", ":")).encode()
    pids = [int(p) for p in args.pid]
    n = args.n
    busy_pid = pids[0] if pids else None

    def complete():
        if args.mode == "insert":
            return len(watch.vxlan) >= n and len(watch.bridge) >= n
        return len(watch.vxlan_gone) >= n and len(watch.bridge_gone) >= n

    # The reply (the only message on this connection) can be megabytes of
    # UUIDs: it is parsed after the measurement, so that the parsing delays
    # neither the reply's timestamp nor the reading of notifications.  It
    # is complete when it parses; that is only tried when what was read so
    # far ends with "}".
    reply = bytearray()
    cpu0 = cpu_snapshot(pids)
    wall0 = time.time()
    t0 = time.monotonic()
    db.send_raw(request)
    t_commit = t_kernel = None
    deadline = t0 + args.timeout
    while t_commit is None or t_kernel is None:
        now = time.monotonic()
        if now > deadline:
            break
        r, _, _ = select.select([db.sock, watch.sock], [], [],
                                min(0.5, deadline - now))
        t_read = time.monotonic()
        if watch.sock in r:
            if t_kernel is None:
                t_done = watch.drain(complete)
                if t_done is not None:
                    t_kernel = t_done - t0
            else:
                watch.drain()
        if db.sock in r:
            data = db.sock.recv(1 << 22)
            if not data:
                raise OvsdbError("ovsdb-server closed the connection")
            reply += data
            if reply.rstrip().endswith(b"}"):
                try:
                    msg = json.loads(reply)
                except ValueError:
                    continue
                t_commit = t_read - t0
                check_txn_reply(msg)
    cpu1 = cpu_snapshot(pids)

    # Until when vtepd keeps working (e.g. reads the kernel's state again).
    t_busy = None
    if busy_pid and t_kernel is not None:
        t_busy = busy_until(busy_pid, 0.3, deadline) - t0
    if args.mode == "insert":
        seen = (len(watch.vxlan), len(watch.bridge))
    else:
        seen = (len(watch.vxlan_gone), len(watch.bridge_gone))
    json.dump({"commit_s": t_commit, "kernel_s": t_kernel, "busy_s": t_busy,
               "wall_start": wall0, "notifications": watch.n_msgs,
               "vxlan_entries": seen[0], "bridge_entries": seen[1],
               "monitor_overrun": watch.overrun,
               "cpu_s": cpu_delta(cpu0, cpu1)}, sys.stdout)
    print()
    return 0 if t_commit is not None and t_kernel is not None else 1


# ---------------------------------------------------------------------------
# Remote MACs in ovs-vtep's OpenFlow flows.

FLOW_DL_DST = re.compile(r"\bdl_dst=([0-9a-f:]{17})\b")


def txn_macs(params):
    """The MACs of the Ucast_Macs_Remote rows that transaction 'params'
    inserts."""
    return {op["row"]["MAC"].lower() for op in params[1:]
            if op.get("op") == "insert"
            and op.get("table") == "Ucast_Macs_Remote"}


class FlowPoller(threading.Thread):
    """Dumps the remote MAC flows of ovs-vtep's logical switch bridge (table
    1, cookie 0: ovs-vtep's "dl_dst=MAC,action=PORT" flows; learned MACs
    have cookie 0x5000) with ovs-ofctl every 'interval' seconds, until
    'done(macs)' holds for the set of MACs of one dump."""

    def __init__(self, mgmt, interval, done, deadline):
        super().__init__(daemon=True)
        self.cmd = ["ovs-ofctl", "--timeout=10", "dump-flows",
                    "unix:" + mgmt, "cookie=0/-1,table=1"]
        self.interval = interval
        self.done = done
        self.deadline = deadline
        self.t_done = None      # End of the first dump for which done().
        self.t_prev = None      # Start of the dump before that one.
        self.polls = 0
        self.failed = 0         # Dumps that failed (timed out).
        self.dump_s = []        # How long each dump took.
        self.error = None
        self.last = set()

    def run(self):
        t_prev = time.monotonic()
        while time.monotonic() < self.deadline:
            t_start = time.monotonic()
            try:
                p = subprocess.run(self.cmd, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE,
                                   universal_newlines=True)
            except OSError as e:
                self.error = str(e)
                return
            t_end = time.monotonic()
            if p.returncode:
                # ovs-vswitchd can be too busy to answer (e.g. while it
                # adds or removes many tunnel ports): try again.
                self.failed += 1
                self.error = p.stderr.strip() or "exit %d" % p.returncode
                continue
            self.polls += 1
            self.dump_s.append(t_end - t_start)
            self.last = set(FLOW_DL_DST.findall(p.stdout))
            if self.done(self.last):
                self.t_done, self.t_prev = t_end, t_prev
                self.error = None
                return
            t_prev = t_start
            time.sleep(max(0.0, min(self.interval,
                                    self.deadline - time.monotonic())))


def cmd_ovs_run(args):
    db = Ovsdb(args.db)
    with open(args.txn) as f:
        params = json.load(f)
    request = json.dumps({"method": "transact", "params": params,
                          "id": 4242}, separators=(",", ":")).encode()
    pids = [int(p) for p in args.pid]
    if args.mode == "insert":
        want = txn_macs(params)

        def done(macs):
            return want <= macs
    else:
        def done(macs):
            return not any(m.startswith(REMOTE_PREFIX) for m in macs)

    reply = bytearray()
    cpu0 = cpu_snapshot(pids)
    t0 = time.monotonic()
    deadline = t0 + args.timeout
    db.send_raw(request)
    poller = FlowPoller(args.mgmt, args.interval, done, deadline)
    poller.start()
    t_commit = None
    while t_commit is None and time.monotonic() < deadline:
        r, _, _ = select.select([db.sock], [], [],
                                min(0.5, deadline - time.monotonic()))
        if not r:
            continue
        t_read = time.monotonic()
        data = db.sock.recv(1 << 22)
        if not data:
            raise OvsdbError("ovsdb-server closed the connection")
        reply += data
        if reply.rstrip().endswith(b"}"):
            try:
                msg = json.loads(reply)
            except ValueError:
                continue
            t_commit = t_read - t0
            check_txn_reply(msg)
    poller.join(max(0.0, deadline - time.monotonic()) + 35)
    cpu1 = cpu_snapshot(pids)
    if poller.error:
        print("vtepbench.py: ovs-ofctl dump-flows failed: %s" % poller.error,
              file=sys.stderr)
    t_dp = None if poller.t_done is None else poller.t_done - t0
    res = (None if poller.t_done is None
           else poller.t_done - max(poller.t_prev, t0))
    dumps = sorted(poller.dump_s)
    json.dump({"commit_s": t_commit, "kernel_s": t_dp, "resolution_s": res,
               "polls": poller.polls, "failed_polls": poller.failed,
               "dump_max_s": max(dumps) if dumps else None,
               "dump_p50_s": dumps[len(dumps) // 2] if dumps else None,
               "flows_seen": len(poller.last),
               "cpu_s": cpu_delta(cpu0, cpu1)}, sys.stdout)
    print()
    return 0 if t_commit is not None and t_dp is not None else 1


# ---------------------------------------------------------------------------
# Local learning.

ETH_P_ALL = 0x0003
ETHERTYPE = 0x88b5      # IEEE 802 local experimental.


class LocalMacs:
    """Ucast_Macs_Local, as an OVSDB monitor reports it, with the time each
    MAC row appeared and the time the table last lost a row."""

    def __init__(self, db):
        self.db = db
        self.rows = {}          # uuid -> MAC
        self.macs = {}          # MAC -> number of rows
        self.first_seen = {}    # MAC -> monotonic time its row appeared
        db.on_update = self.update
        rid = db.send("monitor", ["hardware_vtep", "bench",
                                  {"Ucast_Macs_Local":
                                   {"columns": ["MAC"]}}])
        reply = db.wait_reply(rid)
        if reply.get("error"):
            raise OvsdbError("monitor failed: %s" % reply["error"])
        self.update(reply["result"], time.monotonic())

    def update(self, updates, now):
        for uuid, change in updates.get("Ucast_Macs_Local", {}).items():
            new = change.get("new")
            if uuid in self.rows and not new:
                mac = self.rows.pop(uuid)
                self.macs[mac] -= 1
                if not self.macs[mac]:
                    del self.macs[mac]
            elif new and uuid not in self.rows:
                mac = new["MAC"].lower()
                self.rows[uuid] = mac
                self.macs[mac] = self.macs.get(mac, 0) + 1
                self.first_seen.setdefault(mac, now)

    def wait(self, cond, timeout):
        deadline = time.monotonic() + timeout
        while not cond():
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            self.db.poll(left)
        return True


def mac_bytes(prefix, i):
    return bytes([0x02, prefix, (i >> 24) & 0xff, (i >> 16) & 0xff,
                  (i >> 8) & 0xff, i & 0xff])


def mac_str(b):
    return ":".join("%02x" % x for x in b)


def frame(src):
    return b"\xff" * 6 + src + struct.pack("!H", ETHERTYPE) + b"\0" * 46


def send_frames(raw, frames, rate=0.0):
    """Sends every frame in 'frames' through raw socket 'raw', retrying
    while the device's queue is full; with a 'rate', at most that many
    frames per second."""
    t0 = time.monotonic()
    for i, fr in enumerate(frames):
        if rate and i % 10 == 0:
            ahead = t0 + i / rate - time.monotonic()
            if ahead > 0:
                time.sleep(ahead)
        while True:
            try:
                raw.send(fr)
                break
            except BlockingIOError:
                time.sleep(0.0001)
            except OSError as e:
                if e.errno != 105:      # ENOBUFS
                    raise
                time.sleep(0.0001)


def percentile(sorted_values, p):
    """Nearest-rank percentile."""
    if not sorted_values:
        return None
    k = max(0, min(len(sorted_values) - 1,
                   int(-(-p * len(sorted_values) // 100)) - 1))
    return sorted_values[k]


def set_binding(db, port, ls_uuid, bound):
    if bound:
        mutation = ["vlan_bindings", "insert",
                    ["map", [[0, ["uuid", ls_uuid]]]]]
    else:
        mutation = ["vlan_bindings", "delete", ["set", [0]]]
    db.transact([{"op": "mutate", "table": "Physical_Port",
                  "where": [["name", "==", port]],
                  "mutations": [mutation]}])


def wait_idle(db, pid, quiet=0.5, timeout=300.0):
    """Waits (reading 'db', if not None, meanwhile) until process 'pid' used
    no CPU time for 'quiet' seconds, or 'timeout' seconds passed.  Returns
    true if it did."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        c0 = cpu_ns(pid)
        end = time.monotonic() + quiet
        while time.monotonic() < end:
            if db:
                db.poll(end - time.monotonic())
            else:
                time.sleep(end - time.monotonic())
        c1 = cpu_ns(pid)
        if c0 is None or c1 is None or c1 == c0:
            return True
    return False


def settle(db, args, pids):
    """Waits until the VTEP is ready for the next measurement: with
    --ready, until the shell command args.ready succeeds (tried every
    0.1 s), then args.settle seconds more (ovs-vtep is never idle: it
    polls everything every second); otherwise until the first of 'pids'
    (vtepd) used no CPU time for 0.5 s."""
    if args.ready:
        deadline = time.monotonic() + args.timeout
        while subprocess.call(["sh", "-c", args.ready]) != 0:
            if time.monotonic() > deadline:
                raise OvsdbError("not ready after %g s: %s"
                                 % (args.timeout, args.ready))
            db.poll(0.1)
        end = time.monotonic() + args.settle
        while time.monotonic() < end:
            db.poll(end - time.monotonic())
    elif pids:
        wait_idle(db, pids[0])


def cmd_wait_idle(args):
    return 0 if wait_idle(None, args.pid, args.quiet, args.timeout) else 1


def cmd_learn(args):
    db = Ovsdb(args.db)
    local = LocalMacs(db)
    raw = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                        socket.htons(ETH_P_ALL))
    raw.bind((args.ifname, 0))
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 24)
    pids = [int(p) for p in args.pid]
    result = {"trials": None, "bursts": []}

    # vtepd must have finished what came before (e.g. remote MACs).
    settle(db, args, pids)

    # Single MACs, one at a time.
    lat = []
    missed = 0
    for i in range(args.trials):
        src = mac_bytes(0x10, i + 1)
        mac = mac_str(src)
        time.sleep(args.gap)
        db.poll(0)
        t0 = time.monotonic()
        raw.send(frame(src))
        if local.wait(lambda: mac in local.macs, args.timeout):
            lat.append((local.first_seen[mac] - t0) * 1000.0)
        else:
            missed += 1
    if args.trials:
        s = sorted(lat)
        result["trials"] = {
            "n": len(lat), "missed": missed,
            "min_ms": s[0] if s else None,
            "p50_ms": percentile(s, 50), "p90_ms": percentile(s, 90),
            "p99_ms": percentile(s, 99), "max_ms": s[-1] if s else None,
            "mean_ms": sum(s) / len(s) if s else None}

    # Bursts.
    for bi, n in enumerate(args.bursts):
        prefix = 0x20 + bi
        srcs = [mac_bytes(prefix, i + 1) for i in range(n)]
        macs = [mac_str(s) for s in srcs]
        frames = [frame(s) for s in srcs]
        db.poll(0)
        # A child process sends, so that this one reads the monitor's
        # updates (and timestamps them) meanwhile.
        go_r, go_w = os.pipe()
        done_r, done_w = os.pipe()
        child = os.fork()
        if not child:
            os.close(go_w)
            os.close(done_r)
            os.read(go_r, 1)
            t = time.monotonic()
            send_frames(raw, frames, args.rate)
            os.write(done_w, ("%.6f" % (time.monotonic() - t)).encode())
            os._exit(0)
        os.close(go_r)
        os.close(done_w)
        cpu0 = cpu_snapshot(pids)
        t0 = time.monotonic()
        os.write(go_w, b"g")
        missing = set(macs)

        def present():
            missing.difference_update([m for m in missing
                                       if m in local.macs])
            return not missing
        ok = local.wait(present, args.timeout)
        t_sent = float(os.read(done_r, 64) or "nan")
        os.waitpid(child, 0)
        for fd in (go_w, done_r):
            os.close(fd)
        t_all = time.monotonic() - t0 if ok else None
        # Rows seen at some point: ovs-vtep ages learned MACs out after
        # 15 s, which a slow burst may exceed.
        n_rows = sum(1 for m in macs if m in local.first_seen)
        cpu1 = cpu_snapshot(pids)
        entry = {"n": n, "send_s": t_sent, "rows_s": t_all,
                 "rows_seen": n_rows, "cpu_learn_s": cpu_delta(cpu0, cpu1)}
        if ok and n_rows:
            firsts = sorted(local.first_seen[m] - t0 for m in macs)
            entry["first_row_s"] = firsts[0]
            entry["median_row_s"] = firsts[len(firsts) // 2]

        # Unbinding: every row of the port goes.
        if args.port and args.ls_uuid:
            n_before = len(local.rows)
            cpu0 = cpu_snapshot(pids)
            t0 = time.monotonic()
            set_binding(db, args.port, args.ls_uuid, False)
            t_commit = time.monotonic() - t0
            ok = local.wait(lambda: not local.rows, args.timeout)
            t_gone = time.monotonic() - t0 if ok else None
            cpu1 = cpu_snapshot(pids)
            entry.update({"unbind_rows": n_before,
                          "unbind_commit_s": t_commit,
                          "unbind_gone_s": t_gone,
                          "rows_left": len(local.rows),
                          "cpu_unbind_s": cpu_delta(cpu0, cpu1)})
            set_binding(db, args.port, args.ls_uuid, True)
            # Let vtepd finish re-binding before the next burst (without
            # a binding, the logical switch went, and with it the remote
            # MACs, which it now installs again).
            settle(db, args, pids)
        result["bursts"].append(entry)

    json.dump(result, sys.stdout)
    print()
    return 0


# ---------------------------------------------------------------------------
# Plot of the growth benchmark.

PLOT_COLUMNS = ("impl", "n", "commit_s", "kernel_s", "one_s",
                "del_commit_s", "del_kernel_s", "resolution_s")
PLOT_STYLE = {"vtepd": "#1f5fbf", "ovs-vtep": "#d9661f"}


def read_growth(path):
    """The rows of a data file that "remote-macs.sh -d" wrote: a dict per
    line, numbers as floats, "-" as None."""
    rows = []
    with open(path) as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split()
            row = {"impl": fields[0], "n": int(fields[1])}
            for k, v in zip(PLOT_COLUMNS[2:], fields[2:]):
                row[k] = None if v == "-" else float(v)
            rows.append(row)
    return rows


def fmt_seconds(v):
    if v >= 1:
        return "%g s" % v
    return "%g ms" % (v * 1000)


def fmt_count(n):
    return "{:,}".format(int(n))


def cmd_plot(args):
    """Writes an SVG with, for each implementation, the time from sending
    the insertion (solid) or deletion (dashed) to the last remote MAC in
    (out of) the datapath against N, on log-log axes, with a dotted line
    of slope 1 (time proportional to N) through each insertion curve's
    first point."""
    rows = read_growth(args.data)
    series = {}
    for r in rows:
        series.setdefault(r["impl"], []).append(r)
    for pts in series.values():
        pts.sort(key=lambda r: r["n"])
    ns = [r["n"] for r in rows]
    ts = [r[k] for r in rows for k in ("kernel_s", "del_kernel_s")
          if r[k]]
    if not ns or not ts:
        raise OvsdbError("%s holds no figures" % args.data)
    x0 = 10 ** math.floor(math.log10(min(ns)))
    x1 = 10 ** math.ceil(math.log10(max(ns)))
    y0 = 10 ** math.floor(math.log10(min(ts)))
    y1 = 10 ** math.ceil(math.log10(max(ts)))
    x1, y1 = max(x1, x0 * 10), max(y1, y0 * 10)
    width, height = 780, 520
    left, right, top, bottom = 70, 190, 55, 70
    pw, ph = width - left - right, height - top - bottom

    def X(n):
        return left + pw * (math.log10(n) - math.log10(x0)) / (
            math.log10(x1) - math.log10(x0))

    def Y(t):
        return top + ph * (1 - (math.log10(t) - math.log10(y0)) / (
            math.log10(y1) - math.log10(y0)))

    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
           'viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">'
           % (width, height, width, height),
           '<rect width="100%" height="100%" fill="white"/>']
    with open(args.data) as f:
        out.append("<desc>%s\n%s</desc>" % (
            xml_escape(args.note or "remote-macs.sh -d"),
            xml_escape(f.read().strip())))
    title = args.title or "Remote MAC convergence against table size"
    out.append('<text x="%d" y="22" font-size="15" font-weight="bold">%s'
               '</text>' % (left, xml_escape(title)))
    out.append('<text x="%d" y="39" font-size="11" fill="#444">from '
               'sending one transaction of N rows (100 locators) to the '
               'last MAC in (out of) the datapath</text>' % left)
    if args.note:
        out.append('<text x="%d" y="%d" font-size="10" fill="#666">%s'
                   '</text>' % (left, height - 4, xml_escape(args.note)))
    # Grid and ticks.
    d = x0
    while d <= x1:
        for m in (1, 2, 5):
            v = d * m
            if v > x1:
                break
            x = X(v)
            major = m == 1
            out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" '
                       'stroke="%s"/>' % (x, top, x, top + ph,
                                          "#ccc" if major else "#eee"))
            out.append('<text x="%.1f" y="%d" text-anchor="middle"%s>%s'
                       '</text>' % (x, top + ph + 18,
                                    "" if major else ' fill="#666"',
                                    fmt_count(v)))
        d *= 10
    d = y0
    while d <= y1:
        y = Y(d)
        out.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ccc"/>'
                   % (left, y, left + pw, y))
        out.append('<text x="%d" y="%.1f" text-anchor="end">%s</text>'
                   % (left - 6, y + 4, fmt_seconds(d)))
        if d * 10 <= y1:
            for m in (2, 5):
                out.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" '
                           'stroke="#eee"/>' % (left, Y(d * m), left + pw,
                                                Y(d * m)))
        d *= 10
    out.append('<rect x="%d" y="%d" width="%d" height="%d" fill="none" '
               'stroke="#444"/>' % (left, top, pw, ph))
    out.append('<text x="%.1f" y="%d" text-anchor="middle">N, remote '
               'MACs (log scale)</text>' % (left + pw / 2, top + ph + 38))
    out.append('<text transform="translate(22 %.1f) rotate(-90)" '
               'text-anchor="middle">seconds (log scale)</text>'
               % (top + ph / 2))
    # Curves.
    legend = []
    for impl, pts in sorted(series.items(), key=lambda i: i[0] != "vtepd"):
        color = PLOT_STYLE.get(impl, "#444")
        for key, dash, what in (("kernel_s", "", "insert"),
                                ("del_kernel_s", "6,4", "delete")):
            p = [(r["n"], r[key]) for r in pts if r[key]]
            if not p:
                continue
            out.append('<polyline fill="none" stroke="%s" stroke-width="2"%s '
                       'points="%s"/>'
                       % (color, ' stroke-dasharray="%s"' % dash if dash
                          else "",
                          " ".join("%.1f,%.1f" % (X(n), Y(t))
                                   for n, t in p)))
            for n, t in p:
                out.append('<circle cx="%.1f" cy="%.1f" r="3" fill="%s"/>'
                           % (X(n), Y(t), color))
                if key == "kernel_s":
                    out.append('<text x="%.1f" y="%.1f" font-size="10" '
                               'fill="%s" stroke="white" stroke-width="3" '
                               'paint-order="stroke">%s</text>'
                               % (X(n) + 5, Y(t) - 6, color,
                                  "%.3g s" % t))
            legend.append((color, dash, "%s, %s" % (impl, what)))
        p = [(r["n"], r["kernel_s"]) for r in pts if r["kernel_s"]]
        if p:
            n0, t0 = p[0]
            n1 = min(x1, n0 * (y1 / t0))
            out.append('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" '
                       'stroke="%s" stroke-width="1" stroke-dasharray="1,3"/>'
                       % (X(n0), Y(t0), X(n1), Y(t0 * n1 / n0), color))
    legend.append(("#888", "1,3", "proportional to N"))
    ly = top + 10
    for color, dash, label in legend:
        out.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" '
                   'stroke-width="2"%s/>'
                   % (left + pw + 15, ly, left + pw + 45, ly, color,
                      ' stroke-dasharray="%s"' % dash if dash else ""))
        out.append('<text x="%d" y="%d">%s</text>'
                   % (left + pw + 52, ly + 4, xml_escape(label)))
        ly += 20
    out.append("</svg>")
    with open(args.out, "w") as f:
        f.write("\n".join(out) + "\n")
    return 0


def xml_escape(text):
    return (text.replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;"))
# Scale: many logical switches, each on its own VLAN, with remote MACs.


def cmd_scale_build(args):
    db = Ovsdb(args.db)
    out = {"txn_s": []}
    L, M, V = args.ls, args.macs, args.vteps

    # 1. The logical switches and the bindings of the port.
    ops = []
    for i in range(1, L + 1):
        ops.append({"op": "insert", "table": "Logical_Switch",
                    "uuid-name": "ls%d" % i,
                    "row": {"name": "ls%d" % i,
                            "tunnel_key": args.key_base + i}})
    bindings = [[args.first_vlan + i - 1, ["named-uuid", "ls%d" % i]]
                for i in range(1, L + 1)]
    ops.append({"op": "mutate", "table": "Physical_Port",
                "where": [["name", "==", args.port]],
                "mutations": [["vlan_bindings", "insert",
                               ["map", bindings]]]})
    t = time.monotonic()
    result = db.transact(ops, timeout=600)
    out["txn_s"].append(round(time.monotonic() - t, 3))
    if result[L].get("count") != 1:
        raise OvsdbError("no port %s to bind" % args.port)
    ls_uuids = [r["uuid"][1] for r in result[:L]]
    out["ls1_uuid"] = ls_uuids[0]

    # 2. The locators (with the first MACs, so that they are referenced
    # when committed) and the flood entries, then the MACs in chunks.
    def vtep(j):
        return "10.1.%d.%d" % (j // 250, j % 250 + 1)

    loc = [["named-uuid", "loc%d" % j] for j in range(V)]
    pending = []
    for j in range(V):
        pending.append({"op": "insert", "table": "Physical_Locator",
                        "uuid-name": "loc%d" % j,
                        "row": {"dst_ip": vtep(j),
                                "encapsulation_type": "vxlan_over_ipv4"}})
    if args.flood:
        for j in range(V):
            pending.append({"op": "insert", "table": "Physical_Locator_Set",
                            "uuid-name": "set%d" % j,
                            "row": {"locators": loc[j]}})
        for i in range(1, L + 1):
            pending.append({"op": "insert", "table": "Mcast_Macs_Remote",
                            "row": {"MAC": "unknown-dst",
                                    "logical_switch": ["uuid",
                                                       ls_uuids[i - 1]],
                                    "locator_set": ["named-uuid",
                                                    "set%d" % (i % V)]}})
    n_first = len(pending)
    first = True
    k = 0
    total = L * M
    while first or k < total:
        ops = pending
        pending = []
        end = min(total, k + args.chunk)
        for idx in range(k, end):
            i = idx // M + 1
            ops.append({"op": "insert", "table": "Ucast_Macs_Remote",
                        "row": {"MAC": remote_mac(idx + 1),
                                "logical_switch": ["uuid", ls_uuids[i - 1]],
                                "locator": loc[(i + idx % M) % V]}})
        k = end
        t = time.monotonic()
        result = db.transact(ops, timeout=600)
        out["txn_s"].append(round(time.monotonic() - t, 3))
        if first:
            loc = [["uuid", r["uuid"][1]] for r in result[:V]]
            out["locators"] = [x[1] for x in loc]
            first = False
    out["rows"] = {"Logical_Switch": L, "Ucast_Macs_Remote": total,
                   "Mcast_Macs_Remote": L if args.flood else 0,
                   "first_txn_ops": n_first}
    json.dump(out, sys.stdout)
    print()
    return 0


RTMGRP_LINK = 0x1
RTM_NEWLINK = 16
RTM_DELLINK = 17
IFINFOMSG = struct.Struct("=BxHiII")
IFLA_IFNAME = 3
MAC_PREFIX = b"\x02\xaa"


def proc_status_kib(pid, field):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


class ScaleWatch:
    """Follows vtepd's netdevs and the remote MACs (02:aa:...) and flood
    entries of every VXLAN device, from rtnetlink notifications."""

    def __init__(self, rcvbuf=1 << 30):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                  NETLINK_ROUTE)
        self.sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, rcvbuf)
        self.sock.bind((0, RTMGRP_NEIGH | RTMGRP_LINK))
        self.sock.setblocking(False)
        self.links = set()      # ifindexes of vtepd's netdevs seen.
        self.vxlan = set()      # remote MACs with a VXLAN entry (dst).
        self.bridge = set()     # remote MACs with a bridge entry.
        self.both = 0
        self.flood = set()      # ifindexes with a flood entry.
        self.t_link = [None, None]
        self.t_mac = [None, None]
        self.overrun = False
        self.n_msgs = 0

    def _link(self, data, off, length, now):
        ifindex = IFINFOMSG.unpack_from(data, off + 16)[2]
        if ifindex in self.links:
            return
        pos = off + 16 + IFINFOMSG.size
        end = off + length
        while pos + 4 <= end:
            alen, atype = NLATTR.unpack_from(data, pos)
            if alen < 4:
                break
            if atype & 0x3fff == IFLA_IFNAME:
                name = bytes(data[pos + 4:pos + alen]).rstrip(b"\0")
                if (len(name) == 11 and name[:2] == b"vt"
                        and name[2:3] in b"bxvw"):
                    self.links.add(ifindex)
                    if self.t_link[0] is None:
                        self.t_link[0] = now
                    self.t_link[1] = now
                return
            pos += (alen + 3) & ~3

    def _neigh(self, data, off, length, now):
        ifindex, mac, has_dst = parse_bridge_neigh(data, off, length)
        if mac is None:
            return
        if mac == b"\0" * 6:
            if has_dst:
                self.flood.add(ifindex)
            return
        if mac[:2] != MAC_PREFIX:
            return
        mine, other = ((self.vxlan, self.bridge) if has_dst
                       else (self.bridge, self.vxlan))
        if mac in mine:
            return
        mine.add(mac)
        if mac in other:
            self.both += 1
            if self.t_mac[0] is None:
                self.t_mac[0] = now
            self.t_mac[1] = now

    def drain(self):
        """Processes every notification queued, each stamped with the time
        the read that returned it ended."""
        while True:
            try:
                data = self.sock.recv(1 << 16)
            except BlockingIOError:
                return
            except OSError as e:
                if e.errno == 105:      # ENOBUFS
                    self.overrun = True
                    continue
                raise
            now = time.monotonic()
            off = 0
            while off + 16 <= len(data):
                length, mtype = NLMSG_HDR.unpack_from(data, off)[:2]
                if length < 16:
                    break
                self.n_msgs += 1
                if mtype == RTM_NEWLINK:
                    self._link(data, off, length, now)
                elif mtype == RTM_NEWNEIGH:
                    self._neigh(data, off, length, now)
                off += (length + 3) & ~3


def cmd_fdb_watch(args):
    import subprocess
    watch = ScaleWatch()
    t0 = time.monotonic()
    wall0 = time.time()
    res = {"wall_start": wall0}
    command = args.command
    if command[:1] == ["--"]:
        command = command[1:]
    proc = subprocess.Popen(command) if command else None
    t_cmd = None
    t_flood = None
    pid = None
    deadline = t0 + args.timeout

    def rel(t):
        return None if t is None else round(t - t0, 3)

    while True:
        now = time.monotonic()
        if proc and t_cmd is None and proc.poll() is not None:
            t_cmd = now
            res["cmd_status"] = proc.returncode
        if pid is None and args.pidfile and (t_cmd or not proc):
            try:
                with open(args.pidfile) as f:
                    pid = int(f.read().strip())
            except (OSError, ValueError):
                pass
        if t_flood is None and len(watch.flood) >= args.flood:
            t_flood = now
        done = (watch.both >= args.n and t_flood is not None
                and (t_cmd is not None or not proc))
        if done or now > deadline:
            break
        r, _, _ = select.select([watch.sock], [], [], 0.01)
        if r:
            watch.drain()
    t_end = time.monotonic()
    res.update({
        "cmd_s": rel(t_cmd), "first_link_s": rel(watch.t_link[0]),
        "last_link_s": rel(watch.t_link[1]), "links": len(watch.links),
        "first_mac_s": rel(watch.t_mac[0]), "kernel_s": rel(watch.t_mac[1]),
        "macs": watch.both, "flood_s": rel(t_flood),
        "flood": len(watch.flood), "notifications": watch.n_msgs,
        "overrun": watch.overrun,
        "complete": watch.both >= args.n and t_flood is not None})
    if pid:
        res["pid"] = pid
        res["cpu_s"] = round(cpu_ns(pid) / 1e9, 3)
        res["rss_kib"] = proc_status_kib(pid, "VmRSS")
        res["hwm_kib"] = proc_status_kib(pid, "VmHWM")
        if res["complete"]:
            res["busy_s"] = rel(busy_until(pid, 0.3, t_end + args.timeout))
            res["cpu_busy_s"] = round(cpu_ns(pid) / 1e9, 3)
    json.dump(res, sys.stdout)
    print()
    return 0 if res["complete"] else 1


def cmd_idle_cpu(args):
    """CPU time of PID over S seconds, from /proc/PID/stat (ticks) and
    /proc/PID/schedstat (ns)."""
    t0 = time.monotonic()
    c0, n0 = cpu_seconds(args.pid), cpu_ns(args.pid)
    time.sleep(args.seconds)
    c1, n1 = cpu_seconds(args.pid), cpu_ns(args.pid)
    dt = time.monotonic() - t0
    if None in (c0, c1, n0, n1):
        print("vtepbench.py: process %d is gone" % args.pid, file=sys.stderr)
        return 1
    json.dump({"seconds": round(dt, 3), "stat_cpu_s": round(c1 - c0, 3),
               "sched_cpu_s": round((n1 - n0) / 1e9, 6),
               "percent": round((n1 - n0) / 1e9 / dt * 100, 4)},
              sys.stdout)
    print()
    return 0


# ---------------------------------------------------------------------------


def main():
    p = argparse.ArgumentParser(
        description=__doc__.split("\n")[0],
        epilog=__doc__.split("\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)

    s = sub.add_parser("remote-txn")
    s.add_argument("--ls-uuid")
    s.add_argument("--n", type=int, default=0)
    s.add_argument("--locators", type=int, default=100)
    s.add_argument("--first", type=int, default=1)
    s.add_argument("--net", default="10.1")
    s.add_argument("--locator-uuid")
    s.add_argument("--delete", action="store_true")
    s.add_argument("--out", required=True)

    s = sub.add_parser("remote-run")
    s.add_argument("--db", required=True)
    s.add_argument("--txn", required=True)
    s.add_argument("--vxlan", required=True)
    s.add_argument("--n", type=int, required=True)
    s.add_argument("--mode", choices=["insert", "delete"], required=True)
    s.add_argument("--timeout", type=float, default=120.0)
    s.add_argument("--pid", action="append", default=[])

    s = sub.add_parser("wait-idle")
    s.add_argument("--pid", type=int, required=True)
    s.add_argument("--quiet", type=float, default=0.5)
    s.add_argument("--timeout", type=float, default=300.0)

    s = sub.add_parser("learn")
    s.add_argument("--db", required=True)
    s.add_argument("--ifname", required=True)
    s.add_argument("--trials", type=int, default=100)
    s.add_argument("--bursts", type=int, nargs="*", default=[])
    s.add_argument("--port")
    s.add_argument("--ls-uuid")
    s.add_argument("--timeout", type=float, default=120.0)
    s.add_argument("--gap", type=float, default=0.05)
    s.add_argument("--pid", action="append", default=[])
    s.add_argument("--ready")
    s.add_argument("--settle", type=float, default=2.0)
    s.add_argument("--rate", type=float, default=0.0)

    s = sub.add_parser("ovs-run")
    s.add_argument("--db", required=True)
    s.add_argument("--txn", required=True)
    s.add_argument("--mgmt", required=True)
    s.add_argument("--mode", choices=["insert", "delete"], required=True)
    s.add_argument("--timeout", type=float, default=300.0)
    s.add_argument("--interval", type=float, default=0.1)
    s.add_argument("--pid", action="append", default=[])

    s = sub.add_parser("plot")
    s.add_argument("--data", required=True)
    s.add_argument("--out", required=True)
    s.add_argument("--title", default="")
    s.add_argument("--note", default="")

    s = sub.add_parser("scale-build")
    s.add_argument("--db", required=True)
    s.add_argument("--ls", type=int, required=True)
    s.add_argument("--macs", type=int, default=25)
    s.add_argument("--vteps", type=int, default=10)
    s.add_argument("--port", default="p1")
    s.add_argument("--first-vlan", type=int, default=1)
    s.add_argument("--key-base", type=int, default=10000)
    s.add_argument("--flood", action="store_true")
    s.add_argument("--chunk", type=int, default=25000)

    s = sub.add_parser("fdb-watch")
    s.add_argument("--n", type=int, required=True)
    s.add_argument("--flood", type=int, default=0)
    s.add_argument("--timeout", type=float, default=600.0)
    s.add_argument("--pidfile")
    s.add_argument("command", nargs=argparse.REMAINDER)

    s = sub.add_parser("idle-cpu")
    s.add_argument("--pid", type=int, required=True)
    s.add_argument("--seconds", type=float, default=60.0)

    args = p.parse_args()
    try:
        return {"remote-txn": cmd_remote_txn, "remote-run": cmd_remote_run,
                "ovs-run": cmd_ovs_run, "wait-idle": cmd_wait_idle,
                "learn": cmd_learn, "plot": cmd_plot,
                "scale-build": cmd_scale_build, "fdb-watch": cmd_fdb_watch,
                "idle-cpu": cmd_idle_cpu}[args.cmd](args)
    except (OvsdbError, OSError) as e:
        print("vtepbench.py: %s" % e, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
