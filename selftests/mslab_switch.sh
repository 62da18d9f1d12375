#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Selftest of switching debugging per cache at run time, run as root in the
# QEMU VM (4 vCPUs, two NUMA nodes; scripts/vm-selftest.sh) under busybox
# sh. For each front end (sheaves=0, the slab front end; sheaves=1):
#
#  - mslab_stress.ko runs one kthread per CPU on its cache mslab-stress,
#    allocating, checking patterns and freeing locally and on other CPUs,
#    and keeps HOLD objects from the start to the end;
#  - meanwhile this script writes sanity_checks, red_zone, poison and
#    store_user of /sys/kernel/mslab/mslab-stress through a cycle of
#    combinations, reads each back, and samples the file "layouts" (slabs
#    per layout) and validate; while debugging is on, the held objects'
#    plain slabs and the new debug slabs must both show;
#  - then it stops the stress (a signal to insmod ends its run), which must
#    end with every object freed and no pattern error.
#
# Bad writes ("2", "on") are refused with the flags unchanged. Unloading
# leaves no page held and the kernel logs no report.
#
# MSLAB_MODULES names the directory holding the modules (default /modules).

DIR=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=selftests/ktap_helpers.sh
. "$DIR/ktap_helpers.sh"

MODULES=${MSLAB_MODULES:-/modules}
# Stopped by a signal once the cycle is done; this is only a bound.
STRESS_SECONDS=300
HOLD=256
CACHE=/sys/kernel/mslab/mslab-stress
# F Z P U to write, in turn; a second between two.
CYCLE="0100 0111 1000 0001 0000"
NCYCLE=5

ktap_print_header
ksft_require_mslab mslab mslab_stress
# Per front end: insmod mslab, the cache appears, bad writes refused,
# every write read back, validate, more than one layout, stress passed,
# rmmod mslab_stress, pages 0, rmmod mslab; then no reports.
ktap_set_plan 21

tag="mslab_switch-$$"
ksft_dmesg_mark "$tag"

flags() {
	echo "$(cat "$CACHE/sanity_checks")$(cat "$CACHE/red_zone")$(cat "$CACHE/poison")$(cat "$CACHE/store_user")"
}

# set_flags FZPU: write each of the four files.
set_flags() {
	echo "${1%???}" >"$CACHE/sanity_checks" &&
	echo "$(echo "$1" | cut -c2)" >"$CACHE/red_zone" &&
	echo "$(echo "$1" | cut -c3)" >"$CACHE/poison" &&
	echo "${1#???}" >"$CACHE/store_user"
}

# since TAG: the kernel log from the marker TAG on.
since() {
	dmesg | sed -n "/mslab-selftest: mark $1\$/,\$p"
}

run() {
	fe=$1
	ktap_test_result "sheaves=$fe: insmod mslab.ko" \
		insmod "$MODULES/mslab.ko" sheaves="$fe"
	ksft_dmesg_mark "$tag-$fe"
	insmod "$MODULES/mslab_stress.ko" seconds="$STRESS_SECONDS" \
		hold="$HOLD" &
	stress_pid=$!
	i=0
	while [ ! -d "$CACHE" ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	ktap_test_result "sheaves=$fe: mslab-stress appears" test -d "$CACHE"

	before=$(flags)
	bad=0
	for v in 2 on; do
		if echo "$v" >"$CACHE/red_zone" 2>/dev/null; then
			bad=1
		fi
	done
	ktap_test_result "sheaves=$fe: writes of 2 and on are refused, flags unchanged" \
		test "$bad" -eq 0 -a "$(flags)" = "$before"

	wrote=0
	readback=0
	validated=0
	multi=0
	for want in $CYCLE; do
		[ -d "$CACHE" ] || break
		if set_flags "$want"; then
			wrote=$((wrote + 1))
			[ "$(flags)" = "$want" ] && readback=$((readback + 1))
		fi
		sleep 1
		layouts=$(cat "$CACHE/layouts")
		echo "$layouts" | sed "s/^/# $want layouts: /"
		# The held objects' plain slabs, and the current debug ones.
		if [ "$want" != 0000 ] &&
		   echo "$layouts" | grep -q '^- .*slabs=[1-9]' &&
		   echo "$layouts" | grep -q 'slabs=[1-9][0-9]* current$'; then
			multi=$((multi + 1))
		fi
		if [ "$want" != 0000 ]; then
			echo 1 >"$CACHE/validate" &&
				validated=$((validated + 1))
		fi
	done
	ktap_print_msg "sheaves=$fe: $wrote switches written, $readback read back, $validated validated, $multi samples with plain and debug slabs"
	ktap_test_result "sheaves=$fe: every switch written and read back" \
		test "$wrote" -eq $NCYCLE -a "$readback" -eq $NCYCLE
	ktap_test_result "sheaves=$fe: validate runs during the stress" \
		test "$validated" -eq $((NCYCLE - 1))
	ktap_test_result "sheaves=$fe: plain and debug slabs side by side" \
		test "$multi" -eq $((NCYCLE - 1))

	kill "$stress_pid"
	wait "$stress_pid"
	summary=$(since "$tag-$fe" | grep 'mslab_stress: allocated=' |
		sed 's/^\[[^]]*\] *//')
	ktap_print_msg "${summary:-no summary line from mslab_stress in dmesg}"
	ktap_test_result "sheaves=$fe: stress passed (every object freed, patterns intact)" \
		ksft_stress_passed "$tag-$fe"
	ktap_test_result "sheaves=$fe: rmmod mslab_stress" rmmod mslab_stress
	ktap_test_result "sheaves=$fe: debugfs stats: pages: 0 without clients" \
		grep -Eq '^pages:[[:space:]]*0$' /sys/kernel/debug/mslab/stats
	ktap_test_result "sheaves=$fe: rmmod mslab" rmmod mslab
}

run 0
run 1

ksft_test_no_reports "$tag"

cleanup() {
	rmmod mslab_stress 2>/dev/null
	rmmod mslab 2>/dev/null
}
cleanup
ktap_finished
