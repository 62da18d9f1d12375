#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run mslab's selftests: every mslab_*.sh next to this script, or those whose
# names contain one of the arguments (run_all.sh [PATTERN]...). Without
# arguments, the tests that need a kernel of their own (DEBUG_KERNEL_ONLY:
# mslab_faults.sh needs the kernel's fault injection, which the debug
# kernel of scripts/vm-debug.sh has and Debian's lacks) are left out.
#
# Output follows the kernel's kselftest runner: each test's own KTAP, lines
# prefixed with "# ", then one "ok"/"not ok" line per test. The last line
# is a "# Totals:" line that sums the tests' own Totals (their test points);
# a test that failed without counting a failure (crash, bail out, no
# Totals) adds an error, one that skipped as a whole adds a skip.
# scripts/vm-selftest.sh records those sums. Exits non-zero if any test
# failed. POSIX sh: this runs under busybox in the VM.
#
# Tests read their modules from $MSLAB_MODULES (default /modules).

DIR=$(cd "$(dirname "$0")" && pwd)
MSLAB_MODULES=${MSLAB_MODULES:-/modules}
export MSLAB_MODULES
TMPDIR=${TMPDIR:-/tmp}

DEBUG_KERNEL_ONLY="mslab_faults.sh"

tests=
for t in "$DIR"/mslab_*.sh; do
	[ -f "$t" ] || continue
	name=$(basename "$t")
	if [ $# -eq 0 ]; then
		case " $DEBUG_KERNEL_ONLY " in *" $name "*) continue ;; esac
	else
		match=
		for p in "$@"; do
			case $name in *"$p"*) match=1 ;; esac
		done
		[ -n "$match" ] || continue
	fi
	tests="$tests $t"
done

count=0
for t in $tests; do
	count=$((count + 1))
done

echo "TAP version 13"
echo "1..$count"

pass=0 fail=0 skip=0 error=0 failed_tests=0 num=0
out="$TMPDIR/mslab-selftest.$$.out"
status="$TMPDIR/mslab-selftest.$$.rc"
for t in $tests; do
	num=$((num + 1))
	name=$(basename "$t")
	hdr="selftests: mslab: $name"
	echo "# $hdr"
	{
		sh "$t" 2>&1
		echo $? >"$status"
	} | tee "$out" | sed 's/^/# /'
	rc=$(cat "$status")

	totals=$(grep '^# Totals: ' "$out" | tail -n 1)
	if [ -n "$totals" ]; then
		t_pass=$(echo "$totals" | sed -n 's/.* pass:\([0-9]*\).*/\1/p')
		t_fail=$(echo "$totals" | sed -n 's/.* fail:\([0-9]*\).*/\1/p')
		t_skip=$(echo "$totals" | sed -n 's/.* skip:\([0-9]*\).*/\1/p')
		t_error=$(echo "$totals" | sed -n 's/.* error:\([0-9]*\).*/\1/p')
		pass=$((pass + ${t_pass:-0}))
		fail=$((fail + ${t_fail:-0}))
		skip=$((skip + ${t_skip:-0}))
		error=$((error + ${t_error:-0}))
	else
		t_fail=0 t_error=0
		case $rc in
		0) pass=$((pass + 1)) ;;
		4) skip=$((skip + 1)) ;;
		esac
	fi

	case $rc in
	0)	echo "ok $num $hdr" ;;
	4)	echo "ok $num $hdr # SKIP" ;;
	*)	echo "not ok $num $hdr # exit=$rc"
		failed_tests=$((failed_tests + 1))
		# Make the failure count even if the test counted none.
		[ $((${t_fail:-0} + ${t_error:-0})) -gt 0 ] ||
			error=$((error + 1)) ;;
	esac
done
rm -f "$out" "$status"

echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:$skip error:$error"
[ "$failed_tests" -eq 0 ] && [ $((fail + error)) -eq 0 ]
