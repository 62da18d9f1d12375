#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check stage "debug": mslab's SMP selftests under the kernel's own
# detectors, on the three debug kernels of scripts/debug-kernel.sh (built
# once from Debian's linux-source-6.12 and cached):
#
#   kasan  generic inline KASAN, lockdep (PROVE_LOCKING), DEBUG_ATOMIC_SLEEP,
#          DEBUG_VM, DEBUG_LIST, DEBUG_PAGEALLOC booted with
#          debug_pagealloc=on, fault injection; 4 vCPUs in two nodes.
#          Runs mslab_smp.sh (12,000 allocations per CPU thread and run),
#          mslab_switch.sh and mslab_faults.sh.
#   kcsan  KCSAN with the same lockdep and DEBUG_* options; 8 vCPUs in four
#          nodes. Runs mslab_smp.sh, with 5,000 allocations per CPU thread
#          and run (MSLAB_SMP_OPS) rather than 50,000: 8 vCPUs under TCG on
#          2 host cores and KCSAN's watchpoints make each one slower.
#   rt     PREEMPT_RT with the same lockdep and DEBUG_* options, and the
#          raw spinlock nesting checks; 4 vCPUs in two nodes. Runs
#          mslab_smp.sh (5,000 allocations per thread and run; its
#          validate run switches debugging under the stress): mslab's RT
#          paths (locked fast paths, slow paths with migration disabled,
#          the sheaves' cmpxchg claim) under lockdep. mslab_switch.sh runs
#          on Debian's RT kernels (stage kernels).
#
# Each runs mslab_smp.sh's krealloc run with 20 rounds of validate
# (MSLAB_KREALLOC_ROUNDS) rather than 100: the race it hunts is the
# Debian kernels' to find, with their faster rounds.
#
# The modules are built for each kernel in its own shadow tree
# (build/vm-kasan, build/vm-kcsan). Every report fails the run as in the
# selftest stage (scripts/lib.sh's mslab_splats): KASAN, lockdep, DEBUG_VM,
# DEBUG_LIST, and KCSAN's data races in mslab's modules. KCSAN's reports of
# races in the rest of the kernel are listed in
# $MSLAB_RESULTS/debug-kcsan-foreign.txt and counted, not failed.
#
# Records its counts as "debug" for scripts/check.sh.
set -euo pipefail

. "$(dirname "$0")/lib.sh"

passed=0
failed=0
skipped=0
problems=0

# The tests each kernel runs and its VM.
declare -A tests=(
	[kasan]="MSLAB_SMP_OPS=12000 MSLAB_KREALLOC_ROUNDS=20 sh /selftests/run_all.sh smp switch faults"
	[kcsan]="MSLAB_SMP_OPS=5000 MSLAB_KREALLOC_ROUNDS=20 sh /selftests/run_all.sh smp"
	[rt]="MSLAB_SMP_OPS=5000 MSLAB_KREALLOC_ROUNDS=20 sh /selftests/run_all.sh smp"
)
declare -A vm_opts=(
	[kasan]="-c 4 -N 2"
	[kcsan]="-c 8 -N 4"
	[rt]="-c 4 -N 2"
)
declare -A kernel_args=(
	[kasan]="debug_pagealloc=on"
	[kcsan]=""
	[rt]=""
)

for flavour in kasan kcsan rt; do
	start=$(date +%s)
	if ! build=$("$MSLAB_ROOT/scripts/debug-kernel.sh" "$flavour"); then
		log "the $flavour debug kernel did not build"
		problems=$((problems + 1))
		continue
	fi
	obj="$MSLAB_ROOT/build/vm-$flavour"
	build_log="$MSLAB_RESULTS/debug-$flavour-build.log"
	if ! mslab_build_vm_modules "$obj" "$build_log" "$build"; then
		cat "$build_log" >&2
		log "building mslab for the $flavour debug kernel failed"
		problems=$((problems + 1))
		continue
	fi
	mod_args=()
	for m in mslab mslab_stress mslab_faults; do
		mod_args+=(-m "$(find "$obj" -name "$m.ko" | head -n 1)")
	done
	# shellcheck disable=SC2206 # the options split into words
	opts=(${vm_opts[$flavour]})
	MSLAB_VM_TIMEOUT=${MSLAB_VM_TIMEOUT:-1200} mslab_vm_boot "debug-$flavour" \
		"${kernel_args[$flavour]}" "${tests[$flavour]}" \
		-k "$build/arch/x86/boot/bzImage" "${opts[@]}" "${mod_args[@]}"
	if [ "$flavour" = kcsan ]; then
		foreign="$MSLAB_RESULTS/debug-kcsan-foreign.txt"
		grep -a 'BUG: KCSAN: ' "$MSLAB_RESULTS/debug-kcsan-console.log" |
			grep -v '\[mslab' | sed 's/^\[[^]]*\] *//' | sort | uniq -c \
			>"$foreign" || true
		log "KCSAN: $(grep -a -c 'BUG: KCSAN: .*\[mslab' "$MSLAB_RESULTS/debug-kcsan-console.log" || true) reports in mslab's code, $(awk '{ n += $1 } END { print n + 0 }' "$foreign") elsewhere in the kernel (listed in $foreign)"
	fi
	log "the $flavour debug kernel: $(($(date +%s) - start)) s"
done

failed=$((failed + problems))
mslab_record debug "$passed" "$failed" "$skipped"
log "selftests on the debug kernels: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
