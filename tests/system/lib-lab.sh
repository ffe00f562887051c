# shellcheck shell=bash
# tests/system/lib-lab.sh -- what the vtep-lab tests share.
#
# Sourced after lib.sh by the tests that drive utilities/vtep-lab.  A test
# may bring up several labs, each under a TAG of its own: its state lives
# in $VT_DIR/lab-TAG and its namespaces are named $VT_PREFIX-TAG-*.

VTEP_LAB=$VT_TOP/utilities/vtep-lab
LABS=()         # "TAG FILE" of every lab this run tried to bring up.

# lab TAG ARGS...: vtep-lab ARGS for this run's lab TAG, with this run's
# vtepd and vlan-access, its state in $VT_DIR/lab-TAG and its namespaces
# named $VT_PREFIX-TAG-*.
lab() {
    local tag=$1
    shift
    "$VTEP_LAB" --vtepd "$VTEPD" --vlan-access "$VT_VLAN_ACCESS" \
        --state-dir "$VT_DIR/lab-$tag" --prefix "$VT_PREFIX-$tag" "$@"
}

# lab_up TAG FILE: "vtep-lab up FILE" for lab TAG; the EXIT hook takes it
# down (also if it fails).
lab_up() {
    LABS+=("$1 $2")
    lab "$1" up "$2"
}

# lab_pids TEXT: the processes whose command line contains TEXT (grep
# reads TEXT from a file, so that its own command line does not).
lab_pids() {
    grep -lsF -f <(printf '%s\n' "$1") /proc/[0-9]*/cmdline \
        | sed -n 's#^/proc/\([0-9]*\)/cmdline$#\1#p' || true
}

# lab_namespaces PREFIX: the namespaces whose name starts with PREFIX.
lab_namespaces() {
    ip netns list | awk -v p="$1" 'index($1, p) == 1 {print $1}'
}

# lab_ping_ok TAG FILE A B: one "vtep-lab ping" from A to B gets an answer.
lab_ping_ok() {
    lab "$1" ping --count 1 "$2" "$3" "$4" >/dev/null 2>&1
}

# ping_through TAG FILE A B: once "vtep-lab ping" from A to B has worked,
# three pings in a row get through.
ping_through() {
    local out
    wait_until 30 lab_ping_ok "$@" \
        || fail "vtep-lab ping $3 $4 never worked (lab $1)"
    out=$(lab "$1" ping "$2" "$3" "$4") || true
    printf '%s\n' "$out"
    text_has "$out" '3 packets transmitted, 3 received' \
        || fail "vtep-lab ping $3 $4 lost packets (lab $1)"
}

# check_svg FILE NAMES...: FILE is well-formed XML, an SVG, whose texts
# include each of NAMES as a word.
check_svg() {
    local file=$1
    shift
    python3 - "$file" "$@" <<'PY' || fail "$file is not a good drawing"
import re, sys
import xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "{http://www.w3.org/2000/svg}svg", root.tag
words = set(re.findall(r"[^\s(),]+", " ".join(root.itertext())))
missing = [name for name in sys.argv[2:] if name not in words]
assert not missing, f"missing names: {missing}"
PY
}
