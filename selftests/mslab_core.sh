#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Selftest of mslab's cache core, run as root in the QEMU VM (4 vCPUs, two
# NUMA nodes; scripts/vm-selftest.sh) under busybox sh. Four parts:
#
#  geometry   mslab_geometry.ko creates, for 25 sizes from 8 to 11264 bytes and
#             7 variants (plain, SLAB_HWCACHE_ALIGN, align 64, a ctor, and
#             the debug layouts SLAB_RED_ZONE, SLAB_POISON and all four
#             debug flags), a kernel cache (SLAB_NO_MERGE) and an mslab
#             cache with the same arguments. Each pair's order,
#             objs_per_slab, slab_size, object_size, align and debug flag
#             files must be equal in /sys/kernel/slab/<k>/ and
#             /sys/kernel/mslab/<m>/: one test point per pair, and the
#             table as KTAP comments.
#  stress     mslab_stress.ko runs one kthread per CPU for STRESS_SECONDS,
#             allocating, checking patterns and freeing locally and on other
#             CPUs, then checks alloc_node on every node with page_to_nid;
#             its insmod fails on any error. cpu3 goes offline and back
#             online during the run.
#  pages      with every client gone, mslab's debugfs stats report
#             "pages: 0" and as many caches as there are kmalloc size
#             classes (/sys/kernel/mslab/mslab-kmalloc-*).
#  unload     rmmod mslab succeeds and the kernel logged no report
#             (WARNING, BUG, oops...) since the test began.
#
# MSLAB_MODULES names the directory holding the modules (default /modules).

DIR=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=selftests/ktap_helpers.sh
. "$DIR/ktap_helpers.sh"

MODULES=${MSLAB_MODULES:-/modules}
STRESS_SECONDS=12
HOTPLUG_CPU=3

# Keep in step with geo_sizes[] and geo_variants[] in
# selftests/modules/mslab_geometry.c.
GEO_SIZES="8 16 24 32 40 48 56 64 72 96 128 192 256 264 384 512 700 1024 1536
	2048 3000 4096 5000 8192 11264"
GEO_VARIANTS="plain hw a64 ctor z p fzpu"
GEO_ATTRS="order objs_per_slab slab_size object_size align sanity_checks
	red_zone poison store_user"

ktap_print_header

ksft_require_mslab mslab mslab_geometry mslab_stress

ngeo=0
for size in $GEO_SIZES; do
	for v in $GEO_VARIANTS; do
		ngeo=$((ngeo + 1))
	done
done
# insmod mslab, insmod + rmmod mslab_geometry, the pairs, stress insmod,
# validate, hotplug, rmmod mslab_stress, pages, caches, rmmod mslab,
# reports.
ktap_set_plan $((ngeo + 11))

tag="mslab_core-$$"
ksft_dmesg_mark "$tag"

# Leave no module behind for the next test, whatever failed.
cleanup() {
	for m in mslab_stress mslab_geometry mslab; do
		[ -d "/sys/module/$m" ] && rmmod "$m" 2>/dev/null
	done
	[ -e "/sys/devices/system/cpu/cpu$HOTPLUG_CPU/online" ] &&
		echo 1 >"/sys/devices/system/cpu/cpu$HOTPLUG_CPU/online" 2>/dev/null
}

if ! insmod "$MODULES/mslab.ko"; then
	ktap_test_fail "insmod mslab.ko"
	cleanup
	ktap_exit_fail_msg "cannot load mslab.ko"
fi
ktap_test_pass "insmod mslab.ko"

# --- geometry -------------------------------------------------------------

# geo_read DIR: set $vals to the GEO_ATTRS of the cache in DIR, "-" for a
# missing one. With the shell's own read: a fork per file (cat in a command
# substitution) made this loop take a minute under TCG.
geo_read() {
	vals=
	for a in $GEO_ATTRS; do
		val=
		{ read -r val <"$1/$a"; } 2>/dev/null
		vals="${vals:+$vals }${val:--}"
	done
}

# geo_fmt ORDER OBJS SLAB_SIZE OBJECT_SIZE ALIGN: set $fmt to
# "order/objs/slab_size".
geo_fmt() {
	fmt="$1/$2/$3"
}

ktap_test_result "insmod mslab_geometry.ko" insmod "$MODULES/mslab_geometry.ko"

ktap_print_msg "geometry, kernel SLUB vs mslab: order/objs_per_slab/slab_size"
ktap_print_msg " size variant  kernel           mslab"
geo_diffs=0
for size in $GEO_SIZES; do
	for v in $GEO_VARIANTS; do
		geo_read "/sys/kernel/slab/mslabgeo-k-$size-$v"
		k=$vals
		geo_read "/sys/kernel/mslab/mslabgeo-m-$size-$v"
		m=$vals
		# shellcheck disable=SC2086 # split into the values
		geo_fmt $k
		kf=$fmt
		# shellcheck disable=SC2086
		geo_fmt $m
		mf=$fmt
		line=$(printf '%5s %-7s  kernel:%-15s  mslab:%s' \
			"$size" "$v" "$kf" "$mf")
		if [ "$k" = "$m" ] && [ "${k#*-}" = "$k" ]; then
			ktap_print_msg "$line"
			ktap_test_pass "geometry $size $v"
		else
			ktap_print_msg "$line  DIFFERS"
			ktap_print_msg "   ($GEO_ATTRS) kernel: $k  mslab: $m"
			ktap_test_fail "geometry $size $v"
			geo_diffs=$((geo_diffs + 1))
		fi
	done
done
ktap_print_msg "geometry: $geo_diffs of $ngeo cache pairs differ"

# validate through sysfs: debug caches accept 1, a plain cache refuses it.
vok=1
for v in z p fzpu; do
	echo 1 >"/sys/kernel/mslab/mslabgeo-m-64-$v/validate" || vok=0
done
echo 1 >/sys/kernel/mslab/mslabgeo-m-64-plain/validate 2>/dev/null && vok=0
ktap_test_result "validate: debug caches only" [ "$vok" -eq 1 ]

ktap_test_result "rmmod mslab_geometry" rmmod mslab_geometry

# --- stress with CPU hotplug ----------------------------------------------

ncpus=$(grep -c ^processor /proc/cpuinfo)
ktap_print_msg "stress: $STRESS_SECONDS s on $ncpus CPUs, cpu$HOTPLUG_CPU offline from 3 s to 6 s"
insmod "$MODULES/mslab_stress.ko" seconds="$STRESS_SECONDS" &
stress_pid=$!

cpu_online="/sys/devices/system/cpu/cpu$HOTPLUG_CPU/online"
hotplug=skip
sleep 3
if [ -w "$cpu_online" ]; then
	hotplug=fail
	if echo 0 >"$cpu_online"; then
		ktap_print_msg "cpu$HOTPLUG_CPU offline: $(cat "$cpu_online")"
		sleep 3
		if echo 1 >"$cpu_online"; then
			ktap_print_msg "cpu$HOTPLUG_CPU online: $(cat "$cpu_online")"
			[ "$(cat "$cpu_online")" = 1 ] && hotplug=pass
		fi
	fi
fi

wait "$stress_pid"
stress_rc=$?
summary=$(dmesg | grep 'mslab_stress: allocated=' | tail -n 1 |
	sed 's/^\[[^]]*\] *//')
ktap_print_msg "${summary:-no summary line from mslab_stress in dmesg}"
if [ "$stress_rc" -eq 0 ] && ksft_stress_passed "$tag"; then
	ktap_test_pass "stress: insmod mslab_stress.ko"
else
	ktap_print_msg "insmod mslab_stress.ko exited $stress_rc"
	ktap_test_fail "stress: insmod mslab_stress.ko"
fi
hotplug_desc="stress: cpu$HOTPLUG_CPU offline and online during the run"
case $hotplug in
pass)	ktap_test_pass "$hotplug_desc" ;;
skip)	ktap_test_skip "$hotplug_desc (no $cpu_online)" ;;
*)	ktap_test_fail "$hotplug_desc" ;;
esac

if [ -d /sys/module/mslab_stress ]; then
	ktap_test_result "rmmod mslab_stress" rmmod mslab_stress
else
	ktap_test_fail "rmmod mslab_stress (not loaded)"
fi

# --- pages held once every client is gone ---------------------------------

stats=/sys/kernel/debug/mslab/stats
if [ -r "$stats" ]; then
	sed 's/^/#   /' "$stats"
fi
ktap_test_result "debugfs stats: pages: 0 with every client gone" \
	grep -Eq '^pages:[[:space:]]*0$' "$stats"
# mslab's own caches remain: the kmalloc size classes, created at load.
# The size classes, and their DMA twins where the kernel has ZONE_DMA.
nkmalloc=$(ls -d /sys/kernel/mslab/mslab-kmalloc-* /sys/kernel/mslab/mslab-dma-kmalloc-* 2>/dev/null | wc -l)
ktap_test_result "debugfs stats: caches: $nkmalloc (the size classes) with every client gone" \
	grep -Eq "^caches:[[:space:]]*$nkmalloc\$" "$stats"

# --- unload ---------------------------------------------------------------

ktap_test_result "rmmod mslab" rmmod mslab

ksft_test_no_reports "$tag"

cleanup
ktap_finished
