#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Selftest of loading and unloading mslab again and again, run as root in
# the QEMU VM under busybox sh. CYCLES times: insmod mslab, insmod
# mslab_stress with a short run (one thread per CPU, remote frees,
# alloc_node on every node, its cache destroyed), rmmod mslab_stress, read
# mslab's page count, rmmod mslab. Every client run passes, mslab holds 0
# pages after each, every rmmod succeeds, and the system's free pages, and
# free pages plus slab pages (/proc/vmstat and the per-CPU page lists of
# /proc/zoneinfo, after drop_caches), end within 1% of where they started.
# No kernel report.
#
# MSLAB_MODULES names the directory holding the modules (default /modules).

DIR=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=selftests/ktap_helpers.sh
. "$DIR/ktap_helpers.sh"

MODULES=${MSLAB_MODULES:-/modules}
CYCLES=50
OPS=300

ktap_print_header
ksft_require_mslab mslab mslab_stress
# client runs, pages, rmmods, free pages, free + slab pages, reports.
ktap_set_plan 6

tag="mslab_cycles-$$"
ksft_dmesg_mark "$tag"

cleanup() {
	for m in mslab_stress mslab; do
		[ -d "/sys/module/$m" ] && rmmod "$m" 2>/dev/null
	done
}

vmstat() {
	sed -n "s/^$1 //p" /proc/vmstat
}

# free_pages, slab_pages: after dropping what can be dropped. Free pages
# include those on the CPUs' page lists (/proc/zoneinfo's pageset counts),
# which nr_free_pages leaves out and which come and go with any activity.
settle() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	pcp=$(awk '$1 == "count:" { n += $2 } END { print n + 0 }' /proc/zoneinfo)
	free_pages=$(($(vmstat nr_free_pages) + pcp))
	slab_pages=$(($(vmstat nr_slab_reclaimable) + $(vmstat nr_slab_unreclaimable)))
}

# within_1pct A B: B is within 1% of A.
within_1pct() {
	d=$(($2 - $1))
	[ "$d" -lt 0 ] && d=$((-d))
	[ $((d * 100)) -le "$1" ]
}

settle
free0=$free_pages
slab0=$slab_pages

runs_ok=0 pages_ok=0 rmmods_ok=0 cycle=0
while [ "$cycle" -lt "$CYCLES" ]; do
	cycle=$((cycle + 1))
	insmod "$MODULES/mslab.ko" || break
	ksft_dmesg_mark "$tag-$cycle"
	insmod "$MODULES/mslab_stress.ko" ops=$OPS seconds=300 &&
		ksft_stress_passed "$tag-$cycle" && runs_ok=$((runs_ok + 1))
	[ -d /sys/module/mslab_stress ] && rmmod mslab_stress
	pages=$(ksft_mslab_stat pages)
	if [ "$pages" = 0 ]; then
		pages_ok=$((pages_ok + 1))
	else
		ktap_print_msg "cycle $cycle: mslab holds $pages pages without clients"
	fi
	rmmod mslab && rmmod_ok=1 || rmmod_ok=0
	rmmods_ok=$((rmmods_ok + rmmod_ok))
	[ "$rmmod_ok" -eq 1 ] || break
done

settle
ktap_print_msg "$cycle cycles of $CYCLES: $runs_ok client runs passed, $pages_ok with 0 pages held, $rmmods_ok unloads"
ktap_print_msg "free pages: $free0 before, $free_pages after; slab pages: $slab0 before, $slab_pages after"
ktap_test_result "every client run passed" [ "$runs_ok" -eq "$CYCLES" ]
ktap_test_result "0 pages held after every cycle" [ "$pages_ok" -eq "$CYCLES" ]
ktap_test_result "every rmmod mslab succeeded" [ "$rmmods_ok" -eq "$CYCLES" ]
ktap_test_result "free pages back within 1% of the start" \
	within_1pct "$free0" "$free_pages"
ktap_test_result "free plus slab pages back within 1% of the start" \
	within_1pct $((free0 + slab0)) $((free_pages + slab_pages))

cleanup
ksft_test_no_reports "$tag"
ktap_finished
