#!/bin/bash
# utilities/quickstart.sh -- from a fresh clone to a running lab or a test
# run, on Debian, as root.
#
# Usage: utilities/quickstart.sh lab [--keep]   the classic two-host lab
#        utilities/quickstart.sh test           the whole test suite
#
# Both first install the Debian packages that building and testing vtepd
# need (only those missing; "apt-get update" only if one is), prepare the
# Open vSwitch tree vtepd links against (utilities/ovs-prepare.sh, once),
# and build vtepd (./boot.sh if there is no configure, ./configure if there
# is no Makefile, then make).  Then "lab" runs utilities/vtep-lab-classic.sh
# and "test" runs tests/run-all.sh.  Running either again redoes only what
# is not done yet.
set -eu -o pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"

PACKAGES=(
    build-essential autoconf automake libtool pkg-config
    libyaml-dev check libssl-dev libcap-ng-dev libunbound-dev
    openvswitch-source openvswitch-common openvswitch-vtep
    openvswitch-switch python3-openvswitch
    ovn-central ovn-host ovn-controller-vtep
    python3 python3-yaml iproute2 iputils-ping procps tcpdump valgrind clang
    bpftool
)

usage() {
    echo "usage: $0 lab [--keep] | test" >&2
    exit 2
}

require_root() {
    if [ "$(id -u)" -ne 0 ]; then
        echo "$0: must run as root (apt-get, network namespaces)" >&2
        exit 1
    fi
}

installed() {
    [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" \
      = "install ok installed" ]
}

install_packages() {
    local p missing=()
    for p in "${PACKAGES[@]}"; do
        installed "$p" || missing+=("$p")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        echo "quickstart: packages already installed"
        return 0
    fi
    echo "quickstart: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    local log
    log=$(mktemp "${TMPDIR:-/tmp}/vtepd-apt.XXXXXX")
    if ! { apt-get update -qq \
           && apt-get install -y -qq --no-install-recommends "${missing[@]}"; \
         } >"$log" 2>&1; then
        tail -n 30 "$log" >&2
        rm -f "$log"
        echo "$0: installing packages failed" >&2
        exit 1
    fi
    rm -f "$log"
}

build() {
    echo "quickstart: Open vSwitch tree"
    sh utilities/ovs-prepare.sh
    if [ ! -x configure ]; then
        echo "quickstart: ./boot.sh"
        ./boot.sh
    fi
    if [ ! -f Makefile ]; then
        echo "quickstart: ./configure"
        ./configure
    fi
    echo "quickstart: make"
    make -j2
}

[ $# -ge 1 ] || usage
cmd=$1
shift
case $cmd in
    lab)
        require_root
        install_packages
        build
        exec bash utilities/vtep-lab-classic.sh "$@"
        ;;
    test)
        [ $# -eq 0 ] || usage
        require_root
        install_packages
        build
        exec bash tests/run-all.sh
        ;;
    *)
        usage
        ;;
esac
