#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make run: mslab in a real kernel. Builds mslab and the demo client against
# Debian's 6.12 headers, boots that kernel in QEMU (4 vCPUs, two NUMA
# nodes), loads mslab and the demo client (selftests/modules/mslab_demo.c:
# three caches, objects on both nodes, 40% freed at random), and prints the
# state of the caches: mslabinfo's table and fill histograms, one cache's
# counters and per-CPU lists (debugfs state), the pages mslab holds; then
# unloads both and shows every page went back. It also draws a PNG of the
# caches' memory and slab fill (tools/mslab-plot.sh, gnuplot on the host,
# from figures the VM printed) and says where it is.
set -euo pipefail

. "$(dirname "$0")/lib.sh"

obj="$MSLAB_ROOT/build/vm"
mkdir -p "$MSLAB_RESULTS"
build_log="$MSLAB_RESULTS/run-build.log"
mslab_build_vm_modules "$obj" "$build_log" || {
	cat "$build_log" >&2
	die "building mslab against Debian's headers failed"
}

cache=/sys/kernel/mslab/demo-request
log "booting Debian's 6.12 kernel in QEMU (4 vCPUs, 2 NUMA nodes; about 15 s)"
set +e
"$MSLAB_ROOT/scripts/vm-run.sh" -n run -t 300 \
	-m "$obj/mslab/mslab.ko" -m "$obj/selftests/modules/mslab_demo.ko" -- \
	'echo "mslab-run: begin"' \
	'echo "\$ insmod mslab.ko && insmod mslab_demo.ko"' \
	'insmod /modules/mslab.ko' \
	'insmod /modules/mslab_demo.ko' \
	'echo; echo "\$ mslabinfo -n"; mslabinfo -n' \
	'echo; echo "\$ mslabinfo -f"; mslabinfo -f' \
	"echo; echo '\$ head -n 14 /sys/kernel/debug/mslab/demo-request/state'" \
	'head -n 14 /sys/kernel/debug/mslab/demo-request/state' \
	"echo; echo '\$ geometry, tunables and lists of $cache'" \
	"for f in order objs_per_slab slab_size min_partial cpu_partial partial cpu_slabs; do echo \"\$f: \$(cat $cache/\$f)\"; done" \
	"echo; echo '\$ per-CPU counters of demo-request (sum C<cpu>=n)'" \
	"for f in alloc_fastpath alloc_slowpath free_fastpath free_slowpath alloc_slab cpu_partial_free alloc_from_partial free_slab; do printf '%-18s %s\n' \$f \"\$(cat $cache/\$f)\"; done" \
	'echo; echo "\$ cat /sys/kernel/debug/mslab/stats"; cat /sys/kernel/debug/mslab/stats' \
	'echo "mslab-plot: begin"' \
	'mslabinfo -d | sed "s/^/plot-mem /"' \
	'mslabinfo -d -f | sed "s/^/plot-fill /"' \
	'echo "mslab-plot: end"' \
	'echo; echo "\$ rmmod mslab_demo; cat /sys/kernel/debug/mslab/stats"' \
	'rmmod mslab_demo; cat /sys/kernel/debug/mslab/stats' \
	'rmmod mslab' \
	'echo "mslab-run: end"' >"$MSLAB_RESULTS/run-vm.out"
rc=$?
set -e

# The demo's output, and the kernel's messages from mslab and the demo.
sed -n '/^mslab-run: begin/,/^mslab-run: end/p' "$MSLAB_RESULTS/run-console.log" |
	grep -v '^mslab-run:' | grep -Ev '^\[ *[0-9.]+\] |^mslab-plot: |^plot-' || true
echo
grep -E '^\[ *[0-9.]+\] (mslab|mslab_demo):' "$MSLAB_RESULTS/run-console.log" |
	sed 's/^/kernel: /' || true
if [ $rc -ne 0 ]; then
	tail -n 40 "$MSLAB_RESULTS/run-vm.out" >&2
	die "the demo run failed (rc $rc): see $MSLAB_RESULTS/run-console.log"
fi
png="$MSLAB_RESULTS/run-caches.png"
if "$MSLAB_ROOT/tools/mslab-plot.sh" "$MSLAB_RESULTS/run-console.log" "$png"; then
	log "picture of the caches (memory, slab fill): $png"
else
	log "could not draw $png"
fi
log "full console log: $MSLAB_RESULTS/run-console.log"
