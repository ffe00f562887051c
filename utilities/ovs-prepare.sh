#!/bin/sh
# ovs-prepare.sh -- prepare an Open vSwitch build tree for vtepd to link
# against, from Debian's openvswitch-source package.
#
# Usage: utilities/ovs-prepare.sh [DIR]
#
# DIR defaults to $VTEPD_OVS_DIR, or /usr/local/src/vtepd-ovs, which is
# where vtepd's configure looks when given no --with-ovs-* option.  The
# tree is unpacked, configured and built once; later runs find the stamp
# file and return at once, so the script is idempotent.
set -eu

dir=${1:-${VTEPD_OVS_DIR:-/usr/local/src/vtepd-ovs}}
tarball=/usr/src/openvswitch/openvswitch.tar.gz
stamp=$dir/.vtepd-ovs-built

if [ ! -f "$tarball" ]; then
    echo "$0: $tarball not found; install openvswitch-source" >&2
    exit 1
fi

# The stamp records which tarball the build came from, so that an update of
# openvswitch-source triggers a rebuild.
want="$(cksum < "$tarball") prefix=/usr"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] \
   && [ -f "$dir/lib/.libs/libopenvswitch.a" ] \
   && [ -f "$dir/vtep/.libs/libvtep.a" ]; then
    echo "OVS tree in $dir is ready"
    exit 0
fi

echo "Preparing OVS tree in $dir (unpack, configure, build)"
rm -rf "$dir"
mkdir -p "$dir"
tar -xzf "$tarball" -C "$dir" --strip-components=1
cd "$dir"
[ -x configure ] || ./boot.sh
# The same directories as Debian's Open vSwitch packages, so that defaults
# compiled into libopenvswitch (e.g. the database socket in OVS_RUNDIR)
# match the ovsdb-server and vtep-ctl installed on the system.
./configure --prefix=/usr --localstatedir=/var --sysconfdir=/etc \
    --enable-static --disable-shared --disable-ssl-check \
    CFLAGS="-g -O2 -fPIC" > configure.log 2>&1 \
    || { tail -30 configure.log >&2; exit 1; }
jobs=$(nproc 2>/dev/null || echo 2)
make -j"$jobs" > build.log 2>&1 || { tail -30 build.log >&2; exit 1; }
echo "$want" > "$stamp"
echo "OVS tree in $dir is ready"
