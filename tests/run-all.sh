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
# 3. The system tests again, with vtepd under valgrind memcheck
#    (VTEPD_VALGRIND=yes, see tests/system/lib.sh): a memory error or a
#    definite leak fails the test.
# 4. The unit and system tests again, built with AddressSanitizer and
#    UndefinedBehaviorSanitizer in a copy of the tree (the files git tracks
#    or would track, as they are now) under $TMPDIR: a report fails the
#    test.  Set VT_SKIP_CHECKED=1 to leave out 3 and 4 while developing.
# 5. The fuzzers: "make fuzz-run" (tests/fuzz/README.md) builds the libFuzzer
#    targets with clang and runs each for $VT_FUZZ_SECONDS seconds (default
#    60) on a scratch copy of its corpus.  Each target counts as one test,
#    from its "NAME: passed" or "NAME: failed" line; a "make fuzz-run" that
#    failed without a failed target to show for it (a build error) counts
#    as one failure.
#
# The last line is "N passed, N failed" for all of them together; the exit
# status is 1 if anything failed.
set -u -o pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top" || exit 1

passed=0
failed=0

# count PASSED FAILED LABEL: adds to the totals and says so.
count() {
    echo "$3: $1 passed, $2 failed"
    passed=$((passed + $1))
    failed=$((failed + $2))
}

# unit_tests DIR LABEL [VAR=VALUE...]: "make check" in built tree DIR, with
# the environment variables given, counted as above.
unit_tests() {
    local dir=$1 label=$2 make_rc log counts n f e
    local unit_passed=0 unit_failed=0
    shift 2
    echo "=== $label"
    if [ ! -f "$dir/Makefile" ]; then
        echo "no Makefile in $dir: run ./boot.sh && ./configure && make first" >&2
        count 0 1 "$label"
        return
    fi
    rm -f "$dir"/tests/unit/*.log "$dir"/tests/unit/*.trs
    env "$@" make -C "$dir" -j2 check
    make_rc=$?
    for log in "$dir"/tests/unit/*.log; do
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
    count "$unit_passed" "$unit_failed" "$label"
}

# system_tests LABEL [VAR=VALUE...]: tests/system/run.sh with the
# environment variables given, counted from its last line.
system_tests() {
    local label=$1 out rc summary sys_passed=0 sys_failed=0
    shift
    echo "=== $label"
    out=$(mktemp "${TMPDIR:-/tmp}/vtepd-run-all.XXXXXX")
    env "$@" bash tests/system/run.sh | tee "$out"
    rc=${PIPESTATUS[0]}
    summary=$(tail -n 1 "$out")
    rm -f "$out"
    if [[ $summary =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
        sys_passed=${BASH_REMATCH[1]}
        sys_failed=${BASH_REMATCH[2]}
    fi
    if [ "$rc" -ne 0 ] && [ "$sys_failed" -eq 0 ]; then
        echo "tests/system/run.sh failed (exit $rc): counted as 1 failure"
        sys_failed=1
    fi
    count "$sys_passed" "$sys_failed" "$label"
}

# sanitizer_build DIR: a copy of this tree in DIR, configured with this
# one's arguments and built with the sanitizers.  Returns non-zero if that
# fails.
sanitizer_build() {
    local dir=$1 cflags args
    cflags=$(make -s -C "$top" print-sanitizer-cflags) || return 1
    args=$("$top/config.status" --config) || return 1
    git -C "$top" ls-files -co --exclude-standard -z \
        | (cd "$top" && tar --null -cf - -T -) | tar -xf - -C "$dir" \
        || return 1
    (cd "$dir" && ./boot.sh && eval "./configure $args" CFLAGS="'$cflags'" \
         && make -j2) >"$dir/build.log" 2>&1 \
        || { tail -n 30 "$dir/build.log"; return 1; }
}

# fuzzers LABEL: "make fuzz-run" in this tree, counted as above.
fuzzers() {
    local label=$1 out rc fuzz_passed fuzz_failed
    echo "=== $label"
    out=$(mktemp "${TMPDIR:-/tmp}/vtepd-run-all.XXXXXX")
    make -C "$top" fuzz-run FUZZ_SECONDS="${VT_FUZZ_SECONDS:-60}" | tee "$out"
    rc=${PIPESTATUS[0]}
    fuzz_passed=$(grep -c '^fuzz-[a-z-]*: passed$' "$out")
    fuzz_failed=$(grep -c '^fuzz-[a-z-]*: failed' "$out")
    rm -f "$out"
    if [ "$rc" -ne 0 ] && [ "$fuzz_failed" -eq 0 ]; then
        echo "make fuzz-run failed (exit $rc) with no failed fuzzer: counted as 1 failure"
        fuzz_failed=1
    fi
    count "$fuzz_passed" "$fuzz_failed" "$label"
}

unit_tests "$top" "unit tests"
system_tests "system tests"

if [ "${VT_SKIP_CHECKED:-0}" != 1 ]; then
    system_tests "system tests under valgrind" VTEPD_VALGRIND=yes

    san=$(mktemp -d "${TMPDIR:-/tmp}/vtepd-sanitizers.XXXXXX")
    echo "=== building with the sanitizers in $san"
    if sanitizer_build "$san"; then
        unit_tests "$san" "unit tests with the sanitizers" \
            ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1
        system_tests "system tests with the sanitizers" VTEPD_SANITIZERS=yes \
            "VTEPD=$san/vtepd/vtepd" "VT_VLAN_ACCESS=$san/tests/vlan-access"
        rm -rf "$san"
    else
        echo "building with the sanitizers failed (tree kept in $san)"
        count 0 1 "sanitizer build"
    fi
fi

fuzzers "fuzzers"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
