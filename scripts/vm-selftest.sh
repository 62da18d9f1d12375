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

timeout_s=${MSLAB_VM_TIMEOUT:-600}
obj="$MSLAB_ROOT/build/vm"
logdir="$MSLAB_RESULTS"
mkdir -p "$logdir"
build_log="$logdir/selftest-build.log"
log_file="$logdir/selftest-console.log"
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

# run_all.sh's own Totals (unprefixed) sums the tests' Totals; without it
# (the VM died mid-run) sum the tests' own ("# # Totals") that made it out.
counts() {
	grep -a -o 'pass:[0-9]* fail:[0-9]* xfail:[0-9]* xpass:[0-9]* skip:[0-9]* error:[0-9]*' |
		sed 's/[a-z]*://g' |
		awk '{ p += $1; f += $2 + $4 + $6; s += $5 } END { print p + 0, f + 0, s + 0 }'
}

passed=0
failed=0
skipped=0
problems=0

# run_boot NAME KERNEL_ARGS COMMAND: boot the VM once with every module,
# run COMMAND (run_all.sh or one test: each prints an unprefixed "# Totals"
# line) and add its counts; a VM that died, hung or logged a kernel report
# adds a problem.
run_boot() {
	local name=$1 args=$2 cmd=$3 vm_rc p f k sentinel
	local log_file="$logdir/$name-console.log"

	log "booting the VM (${args:-default arguments}) with ${#kos[@]} module(s): $cmd"
	set +e
	"$MSLAB_ROOT/scripts/vm-run.sh" -n "$name" -t "$timeout_s" -a "$args" \
		"${mod_args[@]}" -- "$cmd" >"$logdir/$name-vm.out"
	vm_rc=$?
	set -e

	# The KTAP, from its header to the sentinel (kernel lines interleave).
	sed -n '/^TAP version 13/,/^mslab-vm: exit=/p' "$log_file"

	if grep -a -q '^# Totals: ' "$log_file"; then
		read -r p f k < <(grep -a '^# Totals: ' "$log_file" | tail -n 1 | counts)
	else
		log "run_all.sh printed no summary: see $log_file"
		read -r p f k < <(grep -a '^# # Totals: ' "$log_file" | counts)
		problems=$((problems + 1))
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + k))

	sentinel=$(grep -a -o 'mslab-vm: exit=[0-9]*' "$log_file" | tail -n 1 | cut -d= -f2 || true)
	if [ -z "$sentinel" ]; then
		log "the VM did not finish (panic, hang or timeout): see $log_file"
		problems=$((problems + 1))
	elif [ "$sentinel" -ne 0 ] && [ "$f" -eq 0 ]; then
		log "run_all.sh failed (exit $sentinel) without counting a failure"
		problems=$((problems + 1))
	fi
	if mslab_splats "$log_file" >/dev/null; then
		log "kernel reports in the VM console log: see $logdir/$name-splats.txt"
		problems=$((problems + 1))
	fi
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		log "no selftest ran in $log_file"
		problems=$((problems + 1))
	fi
	[ "$vm_rc" -eq 0 ] || [ $((f + problems)) -gt 0 ] || {
		log "vm-run.sh failed (exit $vm_rc): see $logdir/$name-vm.out"
		problems=$((problems + 1))
	}
}

# Every mslab_*.sh test with Debian's defaults (init_on_alloc=1).
run_boot selftest "" "sh /selftests/run_all.sh"
# The kernel's own test_meminit, a boot each (it cannot be unloaded), with
# both front ends and three settings of init_on_alloc/init_on_free.
for init in "" "init_on_alloc=1 init_on_free=1" "init_on_alloc=0 init_on_free=1"; do
	for sheaves in 0 1; do
		tag=${init:-default}
		tag=${tag//init_on_/}
		tag=${tag//=/}
		run_boot "meminit-${tag// /-}-sheaves$sheaves" "$init" \
			"sh /selftests/kernel_test_meminit.sh $sheaves"
	done
done

# Add the host-side points (kernel_reports_test.sh), after the check that
# the VM ran a test; no Totals line is a failure.
if grep -a -q '^# Totals: ' "$host_log"; then
	read -r hp hf hs < <(grep -a '^# Totals: ' "$host_log" | tail -n 1 | counts)
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
