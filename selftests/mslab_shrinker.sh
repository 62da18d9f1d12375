#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Selftest of mslab's shrinker, run as root in the QEMU VM (4 vCPUs, two
# NUMA nodes; scripts/vm-selftest.sh) under busybox sh.
#
# mslab_pressure.ko leaves memory that mslab holds but does not use: on
# every CPU it allocates OBJECTS objects of the cache "mslab-pressure", then
# each CPU frees the objects of the next CPU but a few. The empty slabs stay
# on the CPUs' partial chains and, up to min_partial, on the node partial
# lists. Two rounds:
#
#  default      min_partial as computed: mostly per-CPU cached slabs;
#  min_partial  min_partial raised to 1024 through sysfs first: every
#               empty slab is kept on the node partial lists.
#
# Then a third round spreads the objects over NCACHES caches and prints
# what one reclaim pass costs: the shrinker's scans, the flush work items,
# the time in scans (debugfs stats).
#
# Each round reads "pages:" from /sys/kernel/debug/mslab/stats, asks the
# kernel to reclaim slab memory (echo 2 > /proc/sys/vm/drop_caches: the
# shrinkers run), reads it again, and passes when pages went down; both
# figures are printed. The objects still allocated must be intact after the
# shrinker ran (mslab_pressure's check). At the end, with the client gone,
# debugfs reports "pages: 0", mslab unloads and the kernel logged no report.
#
# MSLAB_MODULES names the directory holding the modules (default /modules).

DIR=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=selftests/ktap_helpers.sh
. "$DIR/ktap_helpers.sh"

MODULES=${MSLAB_MODULES:-/modules}
OBJECTS=4096
NCACHES=50
CACHE=/sys/kernel/mslab/mslab-pressure
PARAMS=/sys/module/mslab_pressure/parameters
STATS=/sys/kernel/debug/mslab/stats

ktap_print_header

ksft_require_mslab mslab mslab_pressure
if [ ! -w /proc/sys/vm/drop_caches ]; then
	ktap_skip_all "no /proc/sys/vm/drop_caches"
	exit "$KSFT_SKIP"
fi

# insmod mslab; per round: insmod, (min_partial), run, pages dropped,
# slabs dropped, check, rmmod; many caches: insmod, run, pages dropped,
# check, rmmod; then pages 0, rmmod mslab, reports.
ktap_set_plan $((1 + 6 + 7 + 5 + 3))

tag="mslab_shrinker-$$"
ksft_dmesg_mark "$tag"

cleanup() {
	for m in mslab_pressure mslab; do
		[ -d "/sys/module/$m" ] && rmmod "$m" 2>/dev/null
	done
}

stats_field() {
	sed -n "s/^$1:[[:space:]]*//p" "$STATS"
}

# first_field FILE: the total of a SLUB-format attribute ("N N0=.. N1=..").
first_field() {
	cut -d' ' -f1 "$1" 2>/dev/null
}

if ! insmod "$MODULES/mslab.ko"; then
	ktap_test_fail "insmod mslab.ko"
	cleanup
	ktap_exit_fail_msg "cannot load mslab.ko"
fi
ktap_test_pass "insmod mslab.ko"

# round NAME MIN_PARTIAL: one round; MIN_PARTIAL empty for the default.
round() {
	name=$1
	min_partial=$2

	ktap_test_result "$name: insmod mslab_pressure.ko objects=$OBJECTS" \
		insmod "$MODULES/mslab_pressure.ko" objects="$OBJECTS"
	if [ -n "$min_partial" ]; then
		ktap_test_result "$name: min_partial set to $min_partial" \
			sh -c "echo $min_partial >$CACHE/min_partial &&
			       test \"\$(cat $CACHE/min_partial)\" = $min_partial"
	fi
	ktap_print_msg "$name: min_partial $(cat "$CACHE/min_partial" 2>/dev/null), cpu_partial $(cat "$CACHE/cpu_partial" 2>/dev/null), order $(cat "$CACHE/order" 2>/dev/null), objs_per_slab $(cat "$CACHE/objs_per_slab" 2>/dev/null)"

	ktap_test_result "$name: allocate on every CPU, free on the next" \
		sh -c "echo 1 >$PARAMS/run"
	dmesg | grep 'mslab_pressure: run:' | tail -n 1 |
		sed 's/^\[[^]]*\] */# /'

	before=$(stats_field pages)
	slabs_before=$(first_field "$CACHE/slabs")
	partial_before=$(first_field "$CACHE/partial")
	sync
	echo 2 >/proc/sys/vm/drop_caches
	after=$(stats_field pages)
	slabs_after=$(first_field "$CACHE/slabs")
	partial_after=$(first_field "$CACHE/partial")

	ktap_print_msg "$name: shrinker: pages before ${before:-?}, after ${after:-?} (released $((${before:-0} - ${after:-0})))"
	ktap_print_msg "$name: mslab-pressure slabs ${slabs_before:-?} -> ${slabs_after:-?}, node partial ${partial_before:-?} -> ${partial_after:-?}"
	if [ -n "$before" ] && [ -n "$after" ] && [ "$after" -lt "$before" ]; then
		ktap_test_pass "$name: drop_caches: mslab's pages went down"
	else
		ktap_test_fail "$name: drop_caches: mslab's pages went down"
	fi
	if [ -n "$slabs_before" ] && [ -n "$slabs_after" ] &&
	   [ "$slabs_after" -lt "$slabs_before" ]; then
		ktap_test_pass "$name: drop_caches: mslab-pressure's slabs went down"
	else
		ktap_test_fail "$name: drop_caches: mslab-pressure's slabs went down"
	fi

	ktap_test_result "$name: objects kept are intact after the shrinker" \
		sh -c "echo 1 >$PARAMS/check"
	dmesg | grep 'mslab_pressure: check:' | tail -n 1 |
		sed 's/^\[[^]]*\] */# /'
	ktap_test_result "$name: rmmod mslab_pressure" rmmod mslab_pressure
}

round default ""
round min_partial 1024

# --- one reclaim pass over many caches ------------------------------------

# NCACHES caches, each with empty slabs on its CPUs and nodes: what one
# drop_caches pass costs (the shrinker's scans, flush work items, time)
# and frees, as figures; the test points are that it freed pages and the
# objects kept are intact.
stat() {
	stats_field "$1"
}
ktap_test_result "caches: insmod mslab_pressure.ko caches=$NCACHES" \
	insmod "$MODULES/mslab_pressure.ko" caches=$NCACHES objects="$OBJECTS"
ktap_test_result "caches: allocate on every CPU over $NCACHES caches, free on the next" \
	sh -c "echo 1 >$PARAMS/run"
before=$(stat pages) works=$(stat flush_works) scans=$(stat shrink_scans)
flushes=$(stat shrink_flushes) ns=$(stat shrink_ns)
echo 2 >/proc/sys/vm/drop_caches
after=$(stat pages)
ktap_print_msg "caches: one drop_caches pass over $NCACHES caches: $(($(stat shrink_scans) - scans)) scans, $(($(stat flush_works) - works)) flush work items, $(($(stat shrink_flushes) - flushes)) caches flushed, $((($(stat shrink_ns) - ns) / 1000)) us in scans; pages $before -> $after"
ktap_test_result "caches: drop_caches: mslab's pages went down" \
	[ "${after:-0}" -lt "${before:-0}" ]
ktap_test_result "caches: objects kept are intact after the shrinker" \
	sh -c "echo 1 >$PARAMS/check"
ktap_test_result "caches: rmmod mslab_pressure" rmmod mslab_pressure

sed 's/^/#   /' "$STATS"
ktap_test_result "debugfs stats: pages: 0 with the client gone" \
	test "$(stats_field pages)" = 0

ktap_test_result "rmmod mslab" rmmod mslab

ksft_test_no_reports "$tag"

cleanup
ktap_finished
