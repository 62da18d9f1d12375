#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: every test mslab has, in order of cost.
#   lint      checkpatch.pl --strict and sparse          (scripts/lint.sh)
#   kunit     KUnit suites under UML, KASAN + lockdep    (scripts/kunit.sh)
#   uml-hosts that UML kernel on other XSAVE sizes, in QEMU (scripts/uml-hosts.sh)
#   selftest  kselftests in QEMU, 4 vCPUs, 2 NUMA nodes  (scripts/vm-selftest.sh)
#   kernels   DKMS builds for the four kernels; the SMP, geometry and debug
#             selftests on 6.1, 6.1-rt and 6.12-rt     (scripts/vm-kernels.sh)
#   debug     the SMP selftests on debug kernels: KASAN + lockdep + fault
#             injection, KCSAN with 8 vCPUs in 4 nodes  (scripts/vm-debug.sh)
# A failing stage does not stop the others. The last line is the sum over
# all stages, "N passed, M failed"; the exit code is non-zero on any failure
# or when no test ran.
set -uo pipefail

. "$(dirname "$0")/lib.sh"

rm -rf "$MSLAB_RESULTS"
mkdir -p "$MSLAB_RESULTS"
stages=(lint kunit uml-hosts vm-selftest vm-kernels vm-debug)
for stage in "${stages[@]}"; do
	start=$(date +%s)
	log "=== $stage ==="
	if "$MSLAB_ROOT/scripts/$stage.sh"; then
		status=ok
	else
		status=FAILED
	fi
	log "=== $stage: $status in $(($(date +%s) - start)) s ==="
done

passed=0
failed=0
skipped=0
for stage in lint kunit uml-hosts selftest kernels debug; do
	f="$MSLAB_RESULTS/$stage.counts"
	if [ ! -f "$f" ]; then
		log "stage $stage recorded no result"
		failed=$((failed + 1))
		continue
	fi
	read -r p fl sk <"$f"
	printf 'mslab: %-9s %4d passed, %d failed, %d skipped\n' "$stage" "$p" "$fl" "$sk"
	passed=$((passed + p))
	failed=$((failed + fl))
	skipped=$((skipped + sk))
done
[ "$passed" -gt 0 ] || failed=$((failed + 1))
summary="$passed passed, $failed failed"
[ "$skipped" -eq 0 ] || summary="$summary, $skipped skipped"
echo "$summary" >"$MSLAB_RESULTS/summary"
echo "$summary"
[ "$failed" -eq 0 ]
