#!/usr/bin/env python3
# hostile-rows.py -- malformed and adversarial hardware_vtep rows, written
# with "ovsdb-client transact", for tests/system/27-hostile-input.sh.
#
# Usage: hostile-rows.py DB STATE COMMAND [ARGS...]
#
#   DB      the database, e.g. unix:/path/hv1.sock (physical switch "hv1",
#           tunnel IP 10.0.0.1, port p1 bound to ls0, key 5000, remote MAC
#           00:00:00:00:00:02 and unknown-dst behind 10.1.0.1, and a port
#           p2 without bindings, as the test sets it up).
#   STATE   a JSON file where "flood" notes the rows it found and made, for
#           "churn" and "clean".
#
# Commands (each prints what it wrote as "NAME: N" lines):
#
#   reject  transactions that ovsdb-server must refuse, because the schema
#           forbids them (they never reach vtepd); fails if one commits.
#   flood   the hostile rows, in several transactions (see flood() below).
#   churn SECONDS
#           rows added and deleted again, as fast as ovsdb-client goes, for
#           SECONDS.
#   clean   deletes every row that "flood" and "churn" made.
#
# A command-line argument holds at most 128 kB (MAX_ARG_STRLEN), so big
# writes go in several transactions, none larger than MAX_TXN bytes.

import json
import subprocess
import sys
import time

MAX_TXN = 120000
ENCAP = "vxlan_over_ipv4"

# How many rows of each kind "flood" writes.
N_BAD_MACS = 2000       # Ucast_Macs_Remote in ls0, MACs that do not parse.
N_BAD_IPS = 500         # Ucast_Macs_Remote in ls0 behind unparsable IPs.
N_CONFLICTS = 20        # vm2's MAC in ls0 behind other (higher) IPs.
N_TWINS = 8             # More Physical_Port rows named p1 binding VLAN 0.
N_BIG_GOOD = 1600       # Usable locators in the big locator set...
N_BIG_BAD = 400         # ...and unusable ones.
N_BIG_GROUPS = 5        # Multicast groups of ls0 that use the big set.

# Strings that are not MAC addresses but that scanf("%hhx:...") would take
# for vm1's 00:00:00:00:00:01.
VM1_LOOKALIKES = ["00:00:00:00:00:101", "00:00:00:00:00:+1",
                  " 00:00:00:00:00:01", "00:00:00:00:00:0x1",
                  "00:00:00:00:00:-255", "0x0:0:0:0:0:1"]


def die(msg):
    """Exits with 'msg' as the error."""
    sys.stderr.write("hostile-rows.py: %s\n" % msg)
    sys.exit(1)


class Db:
    """A hardware_vtep database reached with ovsdb-client."""

    def __init__(self, remote):
        self.remote = remote
        self.n_txns = 0

    def transact(self, ops):
        """Runs 'ops' as one transaction; returns ovsdb-server's results
        (one per operation, and one more if the commit failed)."""
        txn = json.dumps(["hardware_vtep"] + ops, separators=(",", ":"))
        if len(txn) > MAX_TXN:
            die("transaction of %d bytes is too large" % len(txn))
        p = subprocess.run(["ovsdb-client", "--timeout=30", "transact",
                            self.remote, txn],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True)
        if p.returncode:
            die("ovsdb-client failed: %s" % p.stderr.strip())
        self.n_txns += 1
        return json.loads(p.stdout)

    def commit(self, ops):
        """Runs 'ops' as one transaction, which must commit; returns the
        results."""
        results = self.transact(ops)
        errors = [r for r in results if isinstance(r, dict) and "error" in r]
        if errors or len(results) != len(ops):
            die("transaction failed: %s" % json.dumps(errors)[:2000])
        return results

    def commit_chunks(self, ops_lists, extra=None):
        """Commits the operation lists in 'ops_lists' (each a unit that
        must stay in one transaction) in as few transactions as fit, each
        transaction followed by the operations that 'extra', if given,
        returns for its operations.  Returns the results of the units'
        operations, in order."""
        results = []
        batch = []

        def flush():
            if not batch:
                return
            ops = [op for unit in batch for op in unit]
            tail = extra(ops) if extra else []
            res = self.commit(ops + tail)
            results.extend(res[:len(ops)])
            batch.clear()

        size = 0
        for unit in ops_lists:
            n = len(json.dumps(unit, separators=(",", ":")))
            if batch and size + n > MAX_TXN * 0.8:
                flush()
                size = 0
            batch.append(unit)
            size += n
        flush()
        return results

    def select(self, table, where, columns=None):
        """Returns the rows of 'table' that match 'where'."""
        op = {"op": "select", "table": table, "where": where}
        if columns:
            op["columns"] = columns
        return self.commit([op])[0]["rows"]

    def uuid_of(self, table, where):
        """Returns the UUID of the one row of 'table' that matches
        'where'."""
        rows = self.select(table, where, ["_uuid"])
        if len(rows) != 1:
            die("%d rows in %s match %s" % (len(rows), table, where))
        return rows[0]["_uuid"][1]


def uuid(u):
    """The OVSDB form of UUID 'u'."""
    return ["uuid", u]


def named(name):
    """A reference to the row that this transaction inserts as 'name'."""
    return ["named-uuid", name]


def insert(table, row, name=None):
    """An operation that inserts 'row' into 'table', named 'name'."""
    op = {"op": "insert", "table": table, "row": row}
    if name:
        op["uuid-name"] = name
    return op


def locator(dst_ip, name):
    """An operation that inserts a vxlan_over_ipv4 locator for 'dst_ip'."""
    return insert("Physical_Locator",
                  {"dst_ip": dst_ip, "encapsulation_type": ENCAP}, name)


def bad_mac(i):
    """The i'th of many distinct MAC strings that are not unicast MAC
    addresses: wrong digits, groups, separators, trailing or leading
    junk, format directives, control characters, very long strings, and
    multicast MACs in a unicast table."""
    a, b = (i >> 8) & 0xff, i & 0xff
    kinds = [
        "zz:00:00:00:%02x:%02x" % (a, b),
        "00:00:00:%02x:%02x" % (a, b),
        "00:00:00:%02x:%02x:00:00" % (a, b),
        "00:00:00:00:%02x:%02x " % (a, b),
        " 00:00:00:00:%02x:%02x" % (a, b),
        "00:00:00:00:%02x:1%02x" % (a, b),
        "00:00:00:00:%02x:+%x" % (a, b),
        "00:00:00:00:%02x:-%x" % (a, b),
        "00:00:00:00:%02x:0x%x" % (a, b),
        "00-00-00-00-%02x-%02x" % (a, b),
        "0000.00%02x.%02x00" % (a, b),
        "%%s%%n%%x%%d-%d" % i,
        "line\nbreak %d|WARN|forged" % i,
        "tab\tand\rreturn %d" % i,
        "\u00fcn\u00efc\u00f6d\u00e9-%d" % i,
        "01:00:5e:00:%02x:%02x" % (a, b),
        ("x" * 3000 + "-%d") % i if i % 100 == 16 else "y%d" % i,
    ]
    return kinds[i % len(kinds)]


def bad_ip(i):
    """The i'th of many distinct strings that are not a unicast IPv4
    address."""
    a, b = (i >> 8) & 0xff, i & 0xff
    kinds = [
        "10.1.%d.%d" % (a, 256 + b),
        "not-an-ip-%d" % i,
        "10.%d.%d" % (a, b),
        "10.1.%d.%d/24" % (a, b),
        " 10.1.%d.%d" % (a, b),
        "10.1.%d.%d " % (a, b),
        "224.1.%d.%d" % (a, b),
        "::ffff:10.1.%d.%d" % (a, b),
        "fe80::%x" % i,
        "010.1.%d.%d" % (a, b),
        "0x0a.1.%d.%d" % (a, b),
        "10.1.%d.%d\n|WARN|forged" % (a, b),
        "%%n%%s-%d" % i,
        "255.255.255.255" if i == 13 else "0.0.0.0" if i == 26 else
        "10.1.%d.%d.1" % (a, b),
    ]
    return kinds[i % len(kinds)]


def flood(db, st):
    """Writes the hostile rows; records in 'st' what the cleanup needs."""
    ls0 = db.uuid_of("Logical_Switch", [["name", "==", "ls0"]])
    loc = db.uuid_of("Physical_Locator", [["dst_ip", "==", "10.1.0.1"]])
    ps = db.uuid_of("Physical_Switch", [["name", "==", "hv1"]])
    p2 = db.uuid_of("Physical_Port", [["name", "==", "p2"]])
    st.update(ls0=ls0, loc=loc, ps=ps, p2=p2,
              ucast=db.uuid_of("Ucast_Macs_Remote", []),
              mcast=db.uuid_of("Mcast_Macs_Remote", []))
    counts = {}

    # Remote MACs in ls0 that do not parse, all behind hv2's locator; the
    # first ones would be vm1's MAC (local on hv1) to a lenient parser.
    macs = VM1_LOOKALIKES + [bad_mac(i) for i in range(N_BAD_MACS
                                                       - len(VM1_LOOKALIKES))]
    units = [[insert("Ucast_Macs_Remote",
                     {"MAC": mac, "logical_switch": uuid(ls0),
                      "locator": uuid(loc), "ipaddr": bad_ip(i)})]
             for i, mac in enumerate(macs)]
    db.commit_chunks(units)
    counts["bad_macs"] = N_BAD_MACS

    # Remote MACs in ls0 behind locators whose dst_ip does not parse; each
    # row comes before the locator it names.
    units = [[insert("Ucast_Macs_Remote",
                     {"MAC": "02:00:00:00:%02x:%02x" % (i >> 8, i & 0xff),
                      "logical_switch": uuid(ls0),
                      "locator": named("l%d" % i)}),
              locator(bad_ip(i), "l%d" % i)]
             for i in range(N_BAD_IPS)]
    db.commit_chunks(units)
    counts["bad_ips"] = N_BAD_IPS

    # vm2's MAC in ls0 again, behind other tunnel endpoints, written in
    # ways that all parse to that MAC; hv2 (10.1.0.1) has the lowest IP.
    spellings = ["00:00:00:00:00:02", "0:0:0:0:0:2", "00:00:00:00:0:02",
                 "00:0:00:0:00:2"]
    ops = []
    for i in range(N_CONFLICTS):
        ops += [locator("10.200.0.%d" % (i + 1), "c%d" % i),
                insert("Ucast_Macs_Remote",
                       {"MAC": spellings[i % len(spellings)],
                        "logical_switch": uuid(ls0),
                        "locator": named("c%d" % i)})]
    db.commit(ops)
    counts["conflicts"] = N_CONFLICTS

    # Logical switches bound on p2 (tagged) with keys out of the 24-bit VNI
    # range (among them keys whose low 32 or 24 bits are ls0's 5000), with
    # ls0's key (names that sort after ls0, which so keeps it), and two
    # with one key between them.  p2's bindings come before the switches
    # they name.
    bad_keys = [-1, 16777216, 2 ** 24 + 5000, 2 ** 32 + 5000, 2 ** 63 - 1,
                -2 ** 63]
    switches = [("ls1-badkey-%d" % i, k) for i, k in enumerate(bad_keys)]
    switches += [("ls0-dup-%d" % i, 5000) for i in range(3)]
    switches += [("ls2-twin-a", 7000), ("ls2-twin-b", 7000)]
    bindings = [[vlan + 1, named("s%d" % vlan)]
                for vlan in range(len(switches))]
    ops = [{"op": "update", "table": "Physical_Port",
            "where": [["_uuid", "==", uuid(p2)]],
            "row": {"vlan_bindings": ["map", bindings]}}]
    for i, (name, key) in enumerate(switches):
        ops.append(insert("Logical_Switch",
                          {"name": name, "tunnel_key": key}, "s%d" % i))
    db.commit(ops)
    counts["bad_switches"] = len(switches)

    # More Physical_Port rows named p1, each binding VLAN 0 to a switch of
    # its own, and a port that is not a network device; the switch's ports
    # get them before they exist in the transaction.
    ops = [{"op": "mutate", "table": "Physical_Switch",
            "where": [["_uuid", "==", uuid(ps)]],
            "mutations": [["ports", "insert",
                           ["set", [named("t%d" % i)
                                    for i in range(N_TWINS + 1)]]]]}]
    for i in range(N_TWINS):
        ops += [insert("Physical_Port",
                       {"name": "p1",
                        "vlan_bindings": ["map", [[0, named("h%d" % i)]]]},
                       "t%d" % i),
                insert("Logical_Switch",
                       {"name": "ls0-hijack-%d" % i,
                        "tunnel_key": 9000 + i}, "h%d" % i)]
    ops += [insert("Physical_Port",
                   {"name": "p3-missing",
                    "vlan_bindings": ["map", [[0, named("m")]]]},
                   "t%d" % N_TWINS),
            insert("Logical_Switch", {"name": "ls3-missing",
                                      "tunnel_key": 7300}, "m")]
    results = db.commit(ops)
    st["twins"] = [r["uuid"][1] for op, r in zip(ops, results)
                   if op.get("table") == "Physical_Port"]
    counts["twin_ports"] = N_TWINS + 1

    # The big locator set.  Physical_Locator and Physical_Locator_Set rows
    # live only while something refers to them, and the set is written at
    # once (its locators column is immutable): first the locators, each
    # batch kept by a set of a holder Mcast_Macs_Remote row in a logical
    # switch that no port binds...
    holder = db.commit([insert("Logical_Switch", {"name": "zz-holder"})])
    holder = holder[0]["uuid"][1]
    names = ["10.64.%d.%d" % ((i + 1) >> 8, (i + 1) & 0xff)
             for i in range(N_BIG_GOOD)]
    names += ["bad-locator-%s" % bad_ip(i) for i in range(N_BIG_BAD)]
    units = [[locator(ip, "b%d" % i)] for i, ip in enumerate(names)]

    def holder_row(ops):
        """A set of the locators that 'ops' insert, and a row to keep it."""
        return [insert("Physical_Locator_Set",
                       {"locators": ["set", [named(op["uuid-name"])
                                             for op in ops]]}, "hs"),
                insert("Mcast_Macs_Remote",
                       {"MAC": "unknown-dst", "logical_switch": uuid(holder),
                        "locator_set": named("hs")})]
    results = db.commit_chunks(units, holder_row)
    big = [r["uuid"][1] for r in results]

    # ...then, in one transaction, rows that use the set before the set
    # itself: in ls0, unknown-dst (hv2 stays the lowest IP, so the flood
    # target), multicast groups (one remote each, the lowest IP, as ls0
    # replicates through a service node), a unicast MAC and junk (not a
    # multicast MAC) and broadcast (ignored); and a source_node logical
    # switch, bound on p2 and flooding to every usable locator.
    ls0_rows = ["unknown-dst", "00:00:00:00:00:05", "junk", "ff:ff:ff:ff:ff:ff"]
    ls0_rows += ["01:00:5e:7f:00:%02x" % i for i in range(N_BIG_GROUPS)]
    ops = [insert("Mcast_Macs_Remote",
                  {"MAC": mac, "logical_switch": uuid(ls0),
                   "locator_set": named("big")}) for mac in ls0_rows]
    ops += [insert("Mcast_Macs_Remote",
                   {"MAC": "unknown-dst", "logical_switch": named("src"),
                    "locator_set": named("big")}),
            {"op": "mutate", "table": "Physical_Port",
             "where": [["_uuid", "==", uuid(p2)]],
             "mutations": [["vlan_bindings", "insert",
                            ["map", [[100, named("src")]]]]]},
            insert("Logical_Switch", {"name": "ls4-source",
                                      "tunnel_key": 7100,
                                      "replication_mode": "source_node"},
                   "src"),
            insert("Physical_Locator_Set",
                   {"locators": ["set", [uuid(u) for u in big]]}, "big"),
            {"op": "delete", "table": "Mcast_Macs_Remote",
             "where": [["logical_switch", "==", uuid(holder)]]},
            {"op": "delete", "table": "Logical_Switch",
             "where": [["_uuid", "==", uuid(holder)]]}]
    db.commit(ops)
    counts["big_set_locators"] = len(big)
    counts["big_set_rows"] = len(ls0_rows) + 1

    # A logical switch deleted and made again under its name, with
    # another key, in one transaction, p2's binding moving to the new row.
    ops = [insert("Logical_Switch", {"name": "ls5-phoenix",
                                     "tunnel_key": 7500}, "p"),
           {"op": "mutate", "table": "Physical_Port",
            "where": [["_uuid", "==", uuid(p2)]],
            "mutations": [["vlan_bindings", "insert",
                           ["map", [[200, named("p")]]]]]}]
    phoenix = db.commit(ops)[0]["uuid"][1]
    ops = [{"op": "mutate", "table": "Physical_Port",
            "where": [["_uuid", "==", uuid(p2)]],
            "mutations": [["vlan_bindings", "delete", ["set", [200]]]]},
           {"op": "delete", "table": "Logical_Switch",
            "where": [["_uuid", "==", uuid(phoenix)]]},
           {"op": "mutate", "table": "Physical_Port",
            "where": [["_uuid", "==", uuid(p2)]],
            "mutations": [["vlan_bindings", "insert",
                           ["map", [[200, named("p")]]]]]},
           insert("Logical_Switch", {"name": "ls5-phoenix",
                                     "tunnel_key": 16777217}, "p")]
    db.commit(ops)
    counts["phoenix"] = 2

    total = sum(counts.values())
    for k in sorted(counts):
        print("%s: %d" % (k, counts[k]))
    print("rows: %d" % total)
    print("transactions: %d" % db.n_txns)


def churn(db, st, seconds):
    """Adds and deletes rows for 'seconds': bad MACs in ls0, good MACs in
    a logical switch bound on p2 whose key flips between valid and not,
    and its binding."""
    ls0, loc, p2 = st["ls0"], st["loc"], st["p2"]
    end = time.monotonic() + seconds
    n_rows = 0
    it = 0
    while time.monotonic() < end:
        key = 7600 if it % 2 else 2 ** 24 + it
        ops = [insert("Logical_Switch", {"name": "ls6-churn",
                                         "tunnel_key": key}, "c"),
               {"op": "mutate", "table": "Physical_Port",
                "where": [["_uuid", "==", uuid(p2)]],
                "mutations": [["vlan_bindings", "insert",
                               ["map", [[300, named("c")]]]]]},
               locator("10.65.0.%d" % (it % 200 + 1), "cl")]
        for i in range(20):
            ops.append(insert("Ucast_Macs_Remote",
                              {"MAC": bad_mac(10000 + it * 20 + i),
                               "logical_switch": uuid(ls0),
                               "locator": uuid(loc), "ipaddr": "churn"}))
            ops.append(insert("Ucast_Macs_Remote",
                              {"MAC": "02:00:01:%02x:%02x:%02x"
                                      % (it >> 8 & 0xff, it & 0xff, i),
                               "logical_switch": named("c"),
                               "locator": named("cl"),
                               "ipaddr": "churn"}))
        ls = db.commit(ops)[0]["uuid"][1]
        n_rows += len(ops)
        db.commit(churn_cleanup_ops(st, ls))
        it += 1
    print("churn_transactions: %d" % db.n_txns)
    print("churn_rows: %d" % n_rows)


def churn_cleanup_ops(st, ls):
    """The operations that delete what one round of churn() added, with
    logical switch 'ls' and the rows that vtepd may have written for it."""
    return [{"op": "mutate", "table": "Physical_Port",
             "where": [["_uuid", "==", uuid(st["p2"])]],
             "mutations": [["vlan_bindings", "delete", ["set", [300]]]]},
            {"op": "delete", "table": "Ucast_Macs_Remote",
             "where": [["ipaddr", "==", "churn"]]},
            {"op": "delete", "table": "Mcast_Macs_Local",
             "where": [["logical_switch", "==", uuid(ls)]]},
            {"op": "delete", "table": "Ucast_Macs_Local",
             "where": [["logical_switch", "==", uuid(ls)]]},
            {"op": "delete", "table": "Logical_Switch",
             "where": [["_uuid", "==", uuid(ls)]]}]


def clean(db, st):
    """Deletes every row flood() and churn() made: first the bindings and
    the ports (which go once the switch no longer lists them), then, once
    vtepd has deleted its Mcast_Macs_Local rows of the logical switches no
    longer bound, the rows that refer to logical switches and the
    switches."""
    results = db.commit([
        {"op": "update", "table": "Physical_Port",
         "where": [["_uuid", "==", uuid(st["p2"])]],
         "row": {"vlan_bindings": ["map", []]}},
        {"op": "mutate", "table": "Physical_Switch",
         "where": [["_uuid", "==", uuid(st["ps"])]],
         "mutations": [["ports", "delete",
                        ["set", [uuid(u) for u in st["twins"]]]]]}])
    deadline = time.monotonic() + 120
    while db.select("Mcast_Macs_Local",
                    [["logical_switch", "!=", uuid(st["ls0"])]], ["_uuid"]):
        if time.monotonic() > deadline:
            die("vtepd keeps Mcast_Macs_Local rows of unbound switches")
        time.sleep(0.1)
    results += db.commit([
        {"op": "delete", "table": "Ucast_Macs_Remote",
         "where": [["_uuid", "!=", uuid(st["ucast"])]]},
        {"op": "delete", "table": "Mcast_Macs_Remote",
         "where": [["_uuid", "!=", uuid(st["mcast"])]]},
        {"op": "delete", "table": "Logical_Switch",
         "where": [["name", "!=", "ls0"]]}])
    print("deleted: %d" % sum(r.get("count", 0) for r in results[2:]))


def reject(db):
    """Transactions that the schema forbids: ovsdb-server must refuse each,
    so that such rows never reach vtepd."""
    ls0 = db.uuid_of("Logical_Switch", [["name", "==", "ls0"]])
    p2 = db.uuid_of("Physical_Port", [["name", "==", "p2"]])
    bad = {
        # VLANs out of the range 0 to 4095.
        "vlan_4096": [{"op": "mutate", "table": "Physical_Port",
                       "where": [["_uuid", "==", uuid(p2)]],
                       "mutations": [["vlan_bindings", "insert",
                                      ["map", [[4096, uuid(ls0)]]]]]}],
        "vlan_negative": [{"op": "mutate", "table": "Physical_Port",
                           "where": [["_uuid", "==", uuid(p2)]],
                           "mutations": [["vlan_bindings", "insert",
                                          ["map", [[-1, uuid(ls0)]]]]]}],
        # An encapsulation other than vxlan_over_ipv4: the schema's enum
        # has no other value.
        "encapsulation": [
            locator("10.66.0.1", "l"),
            insert("Physical_Locator",
                   {"dst_ip": "10.66.0.2",
                    "encapsulation_type": "vxlan_over_ipv6"}, "l6"),
            insert("Physical_Locator_Set",
                   {"locators": ["set", [named("l"), named("l6")]]}, "s"),
            insert("Mcast_Macs_Remote",
                   {"MAC": "unknown-dst", "logical_switch": uuid(ls0),
                    "locator_set": named("s")})],
        # An empty locator set.
        "empty_set": [
            insert("Physical_Locator_Set", {"locators": ["set", []]}, "s"),
            insert("Mcast_Macs_Remote",
                   {"MAC": "unknown-dst", "logical_switch": uuid(ls0),
                    "locator_set": named("s")})],
        # A remote MAC without a locator, one whose locator is gone, one
        # in a logical switch that does not exist.
        "no_locator": [insert("Ucast_Macs_Remote",
                              {"MAC": "00:00:00:00:00:09",
                               "logical_switch": uuid(ls0)})],
        "dangling_locator": [insert("Ucast_Macs_Remote",
                                    {"MAC": "00:00:00:00:00:09",
                                     "logical_switch": uuid(ls0),
                                     "locator": uuid(
                                         "0badc0de-0000-4000-8000-"
                                         "000000000001")})],
        "named_never_made": [insert("Ucast_Macs_Remote",
                                    {"MAC": "00:00:00:00:00:09",
                                     "logical_switch": named("nowhere"),
                                     "locator": named("nothing")})],
        # A second logical switch named ls0.
        "duplicate_name": [insert("Logical_Switch",
                                  {"name": "ls0", "tunnel_key": 5001})],
        # ls0 deleted while rows refer to it.
        "delete_referenced": [{"op": "delete", "table": "Logical_Switch",
                               "where": [["name", "==", "ls0"]]}],
    }
    for name, ops in sorted(bad.items()):
        results = db.transact(ops)
        if not any(isinstance(r, dict) and "error" in r for r in results):
            die("ovsdb-server accepted %s: %s" % (name, json.dumps(ops)))
        print("rejected %s: %s" % (
            name, [r for r in results
                   if isinstance(r, dict) and "error" in r][0]["error"]))
    print("rejected: %d" % len(bad))


def main():
    """Runs the command on the command line."""
    if len(sys.argv) < 4:
        die("usage: hostile-rows.py DB STATE COMMAND [ARGS...]")
    db = Db(sys.argv[1])
    state_file, command = sys.argv[2], sys.argv[3]
    if command == "reject":
        reject(db)
        return
    if command == "flood":
        st = {}
        flood(db, st)
        with open(state_file, "w") as f:
            json.dump(st, f)
        return
    with open(state_file) as f:
        st = json.load(f)
    if command == "churn":
        churn(db, st, float(sys.argv[4]))
    elif command == "clean":
        clean(db, st)
    else:
        die("unknown command %s" % command)


if __name__ == "__main__":
    main()
