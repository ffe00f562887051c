#!/bin/bash
# tests/bench/growth.sh -- how remote MAC convergence grows with the table,
# vtepd against ovs-vtep, as a plot.
#
# Usage: tests/bench/growth.sh [-o MAX] [-d DATA] [SVG [N...]]
#        (defaults: docs/growth.svg of this tree; N = 1000 2000 5000 10000
#        20000 50000 100000; ovs-vtep up to N = 10000)
#
# Runs tests/bench/remote-macs.sh for the sizes N (ovs-vtep for those up to
# MAX, -o; -o 0: vtepd only), which prints its tables, and writes what it
# measured to DATA (-d, default: SVG with ".dat" for ".svg"), then plots it
# to SVG with tests/bench/vtepbench.py: seconds from sending the insertion
# (deletion) to the last MAC in (out of) the datapath, against N, on log-log
# axes, one curve per implementation, and a line of slope 1 (linear
# growth) through each.  The plot needs only python3's standard library.
#
# Prints figures; it is not a pass/fail test.  Needs root.
set -eu -o pipefail

bench_dir=$(cd "$(dirname "$0")" && pwd)
ovs_max=10000
data=
while getopts o:d:h opt; do
    case $opt in
        o) ovs_max=$OPTARG ;;
        d) data=$OPTARG ;;
        *) sed -n '5,7s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
svg=${1:-$bench_dir/../../docs/growth.svg}
if [ $# -gt 0 ]; then
    shift
fi
if [ $# -gt 0 ]; then
    sizes=("$@")
else
    sizes=(1000 2000 5000 10000 20000 50000 100000)
fi
case $svg in
    *.svg) ;;
    *) printf 'growth.sh: %s: the plot'"'"'s name must end in .svg\n' \
           "$svg" >&2
       exit 2 ;;
esac
data=${data:-${svg%.svg}.dat}

started=$(date +%s)
"$bench_dir/remote-macs.sh" -o "$ovs_max" -d "$data" "${sizes[@]}"

note=$(printf '%s, %s CPUs, kernel %s; %s; ovs-vtep of Open vSwitch %s' \
    "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)" \
    "$(nproc)" "$(uname -r)" \
    "$("${VTEPD:-$bench_dir/../../vtepd/vtepd}" --version | head -n 1)" \
    "$(ovs-vswitchd --version | sed -n '1s/.*) *//p')")
python3 "$bench_dir/vtepbench.py" plot --data "$data" --out "$svg" \
    --note "$note"
printf '\ndata: %s\nplot: %s\n(%d s)\n' "$data" "$svg" \
    $(($(date +%s) - started))
