#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run mslab's selftests (selftests/mslab_*.sh) in the QEMU VM.
#
# The modules are built against Debian's 6.12 headers in a shadow tree
# (build/vm), so the in-tree objects and the UML build are left alone, and
# the VM (scripts/vm-run.sh: 4 vCPUs, two NUMA nodes, Debian's kernel) boots
# with all of them in /modules and runs selftests/run_all.sh. Its KTAP goes
# to the console; the "# Totals:" line that run_all.sh sums over the tests
# gives the counts recorded for check.sh. A VM that panicked, hung, timed out
# or logged a kernel report adds a failure, and so does a run in which no
# test passed or failed. This is the SMP twin of scripts/kunit.sh.
#
# First, on the host, selftests/kernel_reports_test.sh checks the kernel-report
# check itself (mslab_splats, and the expected-reports windows); its points
# count with the VM's.
set -euo pipefail

. "$(dirname "$0")/lib.sh"

obj="$MSLAB_ROOT/build/vm"
logdir="$MSLAB_RESULTS"
mkdir -p "$logdir"
build_log="$logdir/selftest-build.log"
host_log="$logdir/selftest-host.log"

bash "$MSLAB_ROOT/selftests/kernel_reports_test.sh" >"$host_log" 2>&1 || true
cat "$host_log"

mslab_build_vm_modules "$obj" "$build_log" || {
	cat "$build_log" >&2
	mslab_record selftest 0 1 0
	die "building mslab against Debian's headers failed"
}
# The kernel's tools/mm/slabinfo, built static for the VM (mslab_introspect.sh
# runs it over mslab's sysfs; without it those test points skip).
"$MSLAB_ROOT/scripts/build-slabinfo.sh" >/dev/null ||
	log "no static slabinfo: its test points skip"
mapfile -t kos < <(find "$obj" -name '*.ko' | LC_ALL=C sort)
mod_args=()
for k in "${kos[@]}"; do
	mod_args+=(-m "$k")
done

# What mslab_vm_boot adds to.
passed=0
failed=0
skipped=0
problems=0

# Every mslab_*.sh test with Debian's defaults (init_on_alloc=1).
mslab_vm_boot selftest "" "sh /selftests/run_all.sh" "${mod_args[@]}"
# The kernel's own test_meminit, a boot each (it cannot be unloaded), with
# both front ends and three settings of init_on_alloc/init_on_free.
for init in "" "init_on_alloc=1 init_on_free=1" "init_on_alloc=0 init_on_free=1"; do
	for sheaves in 0 1; do
		tag=${init:-default}
		tag=${tag//init_on_/}
		tag=${tag//=/}
		mslab_vm_boot "meminit-${tag// /-}-sheaves$sheaves" "$init" \
			"sh /selftests/kernel_test_meminit.sh $sheaves" "${mod_args[@]}"
	done
done

# Add the host-side points (kernel_reports_test.sh), after the check that
# the VM ran a test; no Totals line is a failure.
if grep -a -q '^# Totals: ' "$host_log"; then
	read -r hp hf hs < <(grep -a '^# Totals: ' "$host_log" | tail -n 1 | mslab_ktap_counts)
	passed=$((passed + hp))
	failed=$((failed + hf))
	skipped=$((skipped + hs))
else
	log "kernel_reports_test.sh printed no summary: see $host_log"
	problems=$((problems + 1))
fi

failed=$((failed + problems))
mslab_record selftest "$passed" "$failed" "$skipped"
log "selftests in QEMU: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
