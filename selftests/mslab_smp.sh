#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Selftest of mslab's SMP paths, sized by operations, not seconds, so that
# a slow kernel (KASAN, KCSAN, lockdep under TCG) runs the same work as a
# fast one. Run as root in the QEMU VM under busybox sh: in the main boot
# of Debian's kernel (4 vCPUs, two nodes) and in the debug kernels' boots
# (scripts/vm-debug.sh: KASAN with 4 vCPUs in two nodes, KCSAN with 8 vCPUs
# in four).
#
#  modes     mslab_stress.ko, OPS allocations per CPU thread, in each mode:
#            alloc, sheaves, bulk (mslab_cache_alloc_bulk/free_bulk), rcu
#            (mslab_kfree_rcu with readers checking published objects under
#            rcu_read_lock) and typesafe (SLAB_TYPESAFE_BY_RCU with readers);
#            a quarter of the frees are remote, objects cross nodes, and
#            cpu$HOTPLUG_CPU goes offline and back online again and again
#            during each run (at least once), while every file of the
#            cache's sysfs directory is read in a loop. Node placement is
#            checked on every node with memory.
#  validate  an alloc run with sanity_checks and store_user switched on
#            under the stress, and validate, alloc_traces and free_traces
#            read VALIDATE_ROUNDS times, CPU 3 going offline and online;
#            the run ends when those rounds are done.
#  krealloc  the same with objects of mslab_kmalloc(), resized in place to
#            half and back with __GFP_ZERO after each allocation, while red
#            zones and store_user are switched on for their kmalloc cache
#            and its validate and traces run KREALLOC_ROUNDS times: the
#            kmalloc red zone moves while validate checks it, and the
#            regained half must read zero.
#  churn     every thread creates, fills, empties and destroys its own cache
#            CHURN_OPS times while the shrinkers run in a loop
#            (drop_caches), and mslab's own sysfs shrink on every cache.
#  names     the churn again with each cache name shared by two threads: a
#            create of a name whose cache is being destroyed must wait for
#            its sysfs directory to go, not meet it (sysfs reports a
#            duplicate name, a failed create, a panic with SLAB_PANIC).
#  unload    no page held, rmmod mslab, no kernel report.
#
# MSLAB_MODULES names the directory holding the modules (default /modules).

DIR=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=selftests/ktap_helpers.sh
. "$DIR/ktap_helpers.sh"

MODULES=${MSLAB_MODULES:-/modules}
# Allocations per CPU thread and run; scripts/vm-debug.sh sets fewer for
# the debug kernels (MSLAB_SMP_OPS).
OPS=${MSLAB_SMP_OPS:-50000}
CHURN_OPS=40
# Only a bound: a run cut by it fails (mslab_stress reports "timeout").
BOUND_SECONDS=600
MODES="alloc sheaves bulk rcu typesafe"
STRESS_ARGS=
# Rounds of validate and the traces under the stress; more widen the window
# for KCSAN to catch a race between them and allocation (MSLAB_VALIDATE_ROUNDS).
VALIDATE_ROUNDS=${MSLAB_VALIDATE_ROUNDS:-20}
# The same for the krealloc run. Without krealloc's lock, 3,000 rounds on
# Debian's 6.12 with 4 vCPUs under TCG (64 ms a round) corrupted 36
# objects: one in 83 rounds. scripts/vm-debug.sh sets fewer for the slow
# debug kernels (MSLAB_KREALLOC_ROUNDS).
KREALLOC_ROUNDS=${MSLAB_KREALLOC_ROUNDS:-100}
HOTPLUG_CPU=3
CACHE=/sys/kernel/mslab/mslab-stress
TRACES=/sys/kernel/debug/mslab/mslab-stress
# The kmalloc cache of the krealloc run's objects (mslab_stress's size, 192).
KMALLOC_CACHE=/sys/kernel/mslab/mslab-kmalloc-192
KMALLOC_TRACES=/sys/kernel/debug/mslab/mslab-kmalloc-192
TMP=${TMPDIR:-/tmp}/mslab_smp.$$

ktap_print_header
ksft_require_mslab mslab mslab_stress

nmodes=0
for m in $MODES; do
	nmodes=$((nmodes + 1))
done
# insmod; per mode: stress, hotplug; validate: stress, hotplug, switch,
# validate; krealloc: stress, validate; churn: stress, shrinkers; names:
# stress; pages, rmmod, reports.
ktap_set_plan $((1 + 2 * nmodes + 4 + 2 + 2 + 1 + 3))

tag="mslab_smp-$$"
ksft_dmesg_mark "$tag"
mkdir -p "$TMP"
cpu_online="/sys/devices/system/cpu/cpu$HOTPLUG_CPU/online"

cleanup() {
	touch "$TMP/stop"
	wait
	[ -d /sys/module/mslab_stress ] && rmmod mslab_stress 2>/dev/null
	[ -d /sys/module/mslab ] && rmmod mslab 2>/dev/null
	[ -e "$cpu_online" ] && echo 1 >"$cpu_online" 2>/dev/null
	rm -rf "$TMP"
}

# The summary line mslab_stress printed since the mark NAME.
stress_summary() {
	dmesg | sed -n "/mslab-selftest: mark $1\$/,\$p" |
		grep 'mslab_stress: allocated=' | tail -n 1 | sed 's/^\[[^]]*\] *//'
}

# Background loops, each until $TMP/stop exists; each writes its count of
# completed rounds to $TMP/<name>.
hotplug_loop() {
	n=0
	while [ ! -e "$TMP/stop" ]; do
		echo 0 >"$cpu_online" || break
		echo 1 >"$cpu_online" || break
		n=$((n + 1))
	done
	echo "$n" >"$TMP/hotplug"
}

# Every readable file of the cache's sysfs directory and mslab's debugfs
# stats: the racy counter reads (slabs, objects, partial, cpu_slabs...)
# under the stress, for KCSAN to see.
sysfs_loop() {
	n=0
	while [ ! -e "$TMP/stop" ] && [ -d "$CACHE" ]; do
		for f in "$CACHE"/* /sys/kernel/debug/mslab/stats; do
			[ -r "$f" ] && [ -f "$f" ] && cat "$f" >/dev/null 2>&1
		done
		n=$((n + 1))
	done
	echo "$n" >"$TMP/sysfs"
}

# validate_rounds ROUNDS DIR TRACES FLAG...: switches each debug FLAG on
# for the cache of sysfs directory DIR, then runs its validate and reads
# its alloc_traces and free_traces (in debugfs directory TRACES) ROUNDS
# times; prints the rounds that passed and failed.
validate_rounds() {
	rounds=$1 dir=$2 traces=$3
	shift 3
	for flag in "$@"; do
		echo 1 >"$dir/$flag"
	done
	n=0 bad=0
	while [ $((n + bad)) -lt "$rounds" ]; do
		if echo 1 >"$dir/validate" &&
		   cat "$traces/alloc_traces" "$traces/free_traces" >/dev/null; then
			n=$((n + 1))
		else
			bad=$((bad + 1))
		fi
	done
	echo "$n $bad"
}

# The drivers of runs that last until they are done (run_stress with OPS 0).
validate_loop() {
	validate_rounds "$VALIDATE_ROUNDS" "$CACHE" "$TRACES" sanity_checks \
		store_user >"$TMP/validate"
}

# Switched off again at the end: other tests' kmalloc caches are plain.
kmalloc_validate_loop() {
	validate_rounds "$KREALLOC_ROUNDS" "$KMALLOC_CACHE" "$KMALLOC_TRACES" \
		red_zone store_user >"$TMP/validate"
	echo 0 >"$KMALLOC_CACHE/red_zone"
	echo 0 >"$KMALLOC_CACHE/store_user"
}

# validate_point NAME: one test point for the validate rounds of run NAME.
validate_point() {
	read -r n bad <"$TMP/validate"
	ktap_print_msg "$1: $n rounds of validate, alloc_traces and free_traces, $bad failed"
	ktap_test_result "$1: validate and the traces ran during the stress" \
		[ "${n:-0}" -ge 1 -a "${bad:-1}" -eq 0 ]
}

shrink_loop() {
	n=0
	while [ ! -e "$TMP/stop" ]; do
		echo 2 >/proc/sys/vm/drop_caches
		ksft_mslab_shrink_all 2>/dev/null
		n=$((n + 1))
	done
	echo "$n" >"$TMP/shrink"
}

# Wait up to 10 s for the stress cache, i.e. for the run to have begun.
wait_for_cache() {
	i=0
	while [ ! -d "$CACHE" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -d "$CACHE" ]
}

# run_stress NAME MODE OPS [LOOP]...: insmod mslab_stress for MODE (and
# the parameters in STRESS_ARGS) while the named background loops run from
# the moment the cache exists; one test point for the stress. The loops'
# counts are left in $TMP. With OPS 0 the run lasts until the first loop
# is done, then a signal ends it.
run_stress() {
	name=$1 mode=$2 ops=$3
	shift 3
	ksft_dmesg_mark "$tag-$name"
	rm -f "$TMP"/*
	# shellcheck disable=SC2086 # STRESS_ARGS splits into parameters
	insmod "$MODULES/mslab_stress.ko" mode="$mode" ops="$ops" \
		seconds=$BOUND_SECONDS $STRESS_ARGS &
	stress_pid=$!
	[ "$mode" = churn ] || wait_for_cache
	pids=
	for loop in "$@"; do
		"$loop" &
		pids="$pids $!"
	done
	if [ "$ops" -eq 0 ]; then
		# shellcheck disable=SC2086 # the first of the pids
		set -- $pids
		wait "$1"
		kill "$stress_pid"
		wait "$stress_pid"
		rc=0	# killed: the log says how the run went
	else
		wait "$stress_pid"
		rc=$?
	fi
	touch "$TMP/stop"
	for p in $pids; do
		wait "$p"
	done
	summary=$(stress_summary "$tag-$name")
	ktap_print_msg "$name: ${summary:-no summary line from mslab_stress in dmesg}"
	if [ "$rc" -eq 0 ] && ksft_stress_passed "$tag-$name"; then
		ktap_test_pass "$name: mslab_stress mode=$mode ops=$ops passed"
	else
		ktap_print_msg "$name: insmod mslab_stress.ko exited $rc"
		ktap_test_fail "$name: mslab_stress mode=$mode ops=$ops passed"
	fi
	[ -d /sys/module/mslab_stress ] && rmmod mslab_stress
}

# count NAME: the rounds the loop NAME completed.
count() {
	cat "$TMP/$1" 2>/dev/null || echo 0
}

hotplug_point() {
	n=$(count hotplug)
	ktap_print_msg "$1: cpu$HOTPLUG_CPU went offline and online $n times"
	ktap_test_result "$1: cpu$HOTPLUG_CPU offline and online during the run" \
		[ "$n" -ge 1 ]
}

if ! insmod "$MODULES/mslab.ko"; then
	ktap_test_fail "insmod mslab.ko"
	cleanup
	ktap_exit_fail_msg "cannot load mslab.ko"
fi
ktap_test_pass "insmod mslab.ko"

ncpus=$(grep -c ^processor /proc/cpuinfo)
nnodes=$(ls -d /sys/devices/system/node/node[0-9]* 2>/dev/null | wc -l)
ktap_print_msg "$ncpus CPUs, $nnodes nodes, $OPS allocations per CPU thread and mode"

hotplug=
[ -w "$cpu_online" ] && hotplug=hotplug_loop
for mode in $MODES; do
	run_stress "$mode" "$mode" "$OPS" $hotplug sysfs_loop
	ktap_print_msg "$mode: $(count sysfs) rounds of reading the cache's sysfs files"
	if [ -n "$hotplug" ]; then
		hotplug_point "$mode"
	else
		ktap_test_skip "$mode: cpu$HOTPLUG_CPU offline and online (no $cpu_online)"
	fi
done

# --- validate and the traces racing allocation ----------------------------

# Until the loop is done: every allocation takes the debug paths now.
run_stress validate alloc 0 validate_loop $hotplug
if [ -n "$hotplug" ]; then
	hotplug_point validate
else
	ktap_test_skip "validate: cpu$HOTPLUG_CPU offline and online (no $cpu_online)"
fi
switched=$(dmesg | sed -n "/mslab-selftest: mark $tag-validate\$/,\$p" |
	grep -c 'cache mslab-stress: debugging .* for new slabs')
ktap_test_result "validate: sanity_checks and store_user switched on under the stress" \
	[ "$switched" -eq 2 ]
validate_point validate

# --- krealloc moving the kmalloc red zone under validate -----------------

run_stress krealloc krealloc 0 kmalloc_validate_loop
validate_point krealloc

# --- cache destroy racing the shrinkers -----------------------------------

run_stress churn churn "$CHURN_OPS" shrink_loop
n=$(count shrink)
ktap_print_msg "churn: $n rounds of drop_caches and sysfs shrink"
ktap_test_result "churn: the shrinkers ran during the churn" [ "$n" -ge 1 ]

# --- cache create racing destroy of the same name -------------------------

# Pairs of threads share a name: one's create meets the other's destroy.
STRESS_ARGS=churn_names=$((ncpus / 2))
run_stress names churn "$CHURN_OPS"
STRESS_ARGS=

# --- unload ---------------------------------------------------------------

pages=$(ksft_mslab_stat pages)
ktap_print_msg "pages held without clients: $pages"
ktap_test_result "debugfs stats: pages: 0 with every client gone" [ "$pages" = 0 ]
ktap_test_result "rmmod mslab" rmmod mslab

ksft_test_no_reports "$tag"

cleanup
ktap_finished
