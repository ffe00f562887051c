#!/bin/bash
# tests/run-all.sh -- vtepd's whole test suite, for CI.
#
# Usage: tests/run-all.sh   (as root, in a configured and built tree)
#
# 1. The unit tests: "make check".  Each Check test case counts as one test:
#    the "Checks: N, Failures: F, Errors: E" lines that Check writes to
#    tests/unit/*.log are added up (N - F - E passed, F + E failed).  A test
#    program that wrote no such line (it crashed, or was not built) counts
#    as one failure, and so does a "make check" that failed without any
#    failed test to show for it (a build error).
# 2. The system tests: tests/system/run.sh, whose last line is
#    "N passed, N failed".
#
# The last line is "N passed, N failed" for both together; the exit status
# is 1 if anything failed.
set -u -o pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top" || exit 1

unit_passed=0
unit_failed=0

echo "=== unit tests (make check)"
if [ ! -f Makefile ]; then
    echo "no Makefile in $top: run ./boot.sh && ./configure && make first" >&2
    unit_failed=1
else
    rm -f tests/unit/*.log tests/unit/*.trs
    make -j2 check
    make_rc=$?
    for log in tests/unit/*.log; do
        [ -f "$log" ] || continue
        counts=$(sed -n 's/.*Checks: \([0-9]*\), Failures: \([0-9]*\), Errors: \([0-9]*\).*/\1 \2 \3/p' "$log")
        if [ -z "$counts" ]; then
            echo "$log: no Check summary (crashed?): counted as 1 failure"
            unit_failed=$((unit_failed + 1))
            continue
        fi
        while read -r n f e; do
            unit_passed=$((unit_passed + n - f - e))
            unit_failed=$((unit_failed + f + e))
        done <<<"$counts"
    done
    if [ "$make_rc" -ne 0 ] && [ "$unit_failed" -eq 0 ]; then
        echo "make check failed (exit $make_rc) with no failed test: counted as 1 failure"
        unit_failed=1
    fi
fi
echo "unit tests: $unit_passed passed, $unit_failed failed"

echo "=== system tests (tests/system/run.sh)"
sys_out=$(mktemp "${TMPDIR:-/tmp}/vtepd-run-all.XXXXXX")
bash tests/system/run.sh | tee "$sys_out"
sys_rc=${PIPESTATUS[0]}
summary=$(tail -n 1 "$sys_out")
rm -f "$sys_out"
if [[ $summary =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
    sys_passed=${BASH_REMATCH[1]}
    sys_failed=${BASH_REMATCH[2]}
else
    sys_passed=0
    sys_failed=0
fi
if [ "$sys_rc" -ne 0 ] && [ "$sys_failed" -eq 0 ]; then
    echo "tests/system/run.sh failed (exit $sys_rc): counted as 1 failure"
    sys_failed=1
fi
echo "system tests: $sys_passed passed, $sys_failed failed"

passed=$((unit_passed + sys_passed))
failed=$((unit_failed + sys_failed))
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
