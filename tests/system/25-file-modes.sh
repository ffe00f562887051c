#!/bin/bash
# 25-file-modes.sh -- vtepd's control socket, pid file and log file are
# writable by their owner alone, whatever the umask vtepd starts with.
#
# hv1 with its database and a vtepd (linux datapath) started under umask
# 000: none of the files it creates has a group or other write bit, and
# the control socket answers.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
vt_init

# writable_by_others FILE...: the FILEs that group or others may write.
writable_by_others() {
    find "$@" -maxdepth 0 -perm /022
}

step "hv1 with a vtepd started under umask 000"
add_host hv1 10.0.0.1/8
start_ovsdb hv1
configure_vtep hv1 hv1 10.0.0.1 p1 ls0 5000 00:00:00:00:00:02 10.1.0.1
saved_umask=$(umask)
umask 000
start_vtepd hv1 hv1
umask "$saved_umask"
show_has hv1 'Physical_Switch hv1' || fail "vtepd does not answer"

step "its files are writable by their owner alone"
files=("$VT_DIR/hv1-vtepd.ctl" "$VT_DIR/hv1-vtepd.pid"
       "$VT_DIR/hv1-vtepd.log")
stat -c '%A %n' "${files[@]}"
loose=$(writable_by_others "${files[@]}")
[ -z "$loose" ] || fail "writable by group or others: $loose"

vtepd_alive hv1 || fail "hv1's vtepd died"
echo "PASS: file modes"
