#!/bin/bash
# tests/system/run.sh -- runs vtepd's system tests.
#
# Usage: tests/system/run.sh [TEST...]
#
# Runs every tests/system/[0-9]*.sh, or the TESTs named (as a path, a file
# name, a name without ".sh" or just its number, e.g. "01"), one after the
# other, each under a timeout of $VT_TEST_TIMEOUT seconds (default 300).
# Prints "PASS name (Ns)" or "FAIL name" (followed by the end of the test's
# output), and last the line "N passed, N failed".  No test is ever skipped:
# what a test needs, the tree builds or the kernel has (any other exit
# status than 0 is a failure).  Each test's full output goes to
# $VT_LOG_DIR/name.log (default: a new directory under /tmp, kept and named
# at the end if a test failed).  Exits 1 if any test failed.  Needs root, as
# the tests do.
set -u -o pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
timeout_s=${VT_TEST_TIMEOUT:-300}

tests=()
if [ $# -eq 0 ]; then
    for t in "$here"/[0-9]*.sh; do
        [ -f "$t" ] && tests+=("$t")
    done
else
    for arg; do
        found=
        for t in "$arg" "$here/$arg" "$here/$arg.sh" "$here/$arg"-*.sh; do
            if [ -f "$t" ]; then
                found=$t
                break
            fi
        done
        if [ -z "$found" ]; then
            echo "$0: no such test: $arg" >&2
            exit 2
        fi
        tests+=("$found")
    done
fi
if [ ${#tests[@]} -eq 0 ]; then
    echo "$0: no tests found in $here" >&2
    exit 2
fi

if [ -n "${VT_LOG_DIR:-}" ]; then
    log_dir=$VT_LOG_DIR
    mkdir -p "$log_dir"
else
    log_dir=$(mktemp -d "${TMPDIR:-/tmp}/vtepd-system-logs.XXXXXX")
fi

passed=0
failed=0
failed_names=()
for t in "${tests[@]}"; do
    name=$(basename "$t" .sh)
    log=$log_dir/$name.log
    start=$(date +%s)
    timeout --kill-after=30 "$timeout_s" bash "$t" </dev/null >"$log" 2>&1
    rc=$?
    secs=$(( $(date +%s) - start ))
    case $rc in
        0)
            echo "PASS $name (${secs}s)"
            passed=$((passed + 1))
            ;;
        *)
            echo "FAIL $name"
            if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
                echo "    timed out after ${timeout_s}s"
            else
                echo "    exit status $rc after ${secs}s"
            fi
            grep -E '^(FAIL|wait_until):' "$log" | sed 's/^/    /'
            echo "    ---- last lines of $log ----"
            tail -n 60 "$log" | sed 's/^/    /'
            echo "    ----"
            failed=$((failed + 1))
            failed_names+=("$name")
            ;;
    esac
done

if [ "$failed" -eq 0 ] && [ -z "${VT_LOG_DIR:-}" ]; then
    rm -rf "$log_dir"
else
    echo "logs in $log_dir"
fi
if [ "$failed" -gt 0 ]; then
    echo "failed: ${failed_names[*]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
