#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Selftest of the mslab module's life cycle, run as root in the QEMU VM
# (scripts/vm-selftest.sh) under busybox sh.
#
# Loads and unloads mslab.ko twice, so that state a first unload leaves
# behind (a sysfs or debugfs entry, a cache) breaks the second load. Each
# round checks that /sys/kernel/mslab and /sys/kernel/debug/mslab appear
# with the module and vanish without it, that /sys/module/mslab/version
# exists, and that the kernel logged no report (warning, BUG, oops) meanwhile.
#
# MSLAB_MODULES names the directory holding mslab.ko (default /modules).

DIR=$(cd "$(dirname "$0")" && pwd)
. "$DIR/ktap_helpers.sh"

MODULES=${MSLAB_MODULES:-/modules}
ROUNDS=2
CHECKS=8

ktap_print_header

ksft_require_mslab mslab

ktap_set_plan $((ROUNDS * CHECKS))

round=1
while [ "$round" -le "$ROUNDS" ]; do
	tag="mslab_module-$round-$$"
	ksft_dmesg_mark "$tag"

	ktap_test_result "round $round: insmod mslab.ko" \
		insmod "$MODULES/mslab.ko"
	ktap_test_result "round $round: /sys/kernel/mslab exists after insmod" \
		test -d /sys/kernel/mslab
	ktap_test_result "round $round: /sys/kernel/debug/mslab exists after insmod" \
		test -d /sys/kernel/debug/mslab
	ktap_test_result "round $round: /sys/module/mslab/version exists" \
		test -s /sys/module/mslab/version
	[ -r /sys/module/mslab/version ] &&
		ktap_print_msg "mslab version $(cat /sys/module/mslab/version)"

	ktap_test_result "round $round: rmmod mslab" rmmod mslab
	ktap_test_result "round $round: /sys/kernel/mslab gone after rmmod" \
		test ! -e /sys/kernel/mslab
	ktap_test_result "round $round: /sys/kernel/debug/mslab gone after rmmod" \
		test ! -e /sys/kernel/debug/mslab

	if reports=$(ksft_dmesg_reports "$tag"); then
		ktap_print_msg "kernel reports since insmod:"
		echo "$reports" | sed 's/^/#   /'
		ktap_test_fail "round $round: no kernel reports in dmesg"
	else
		ktap_test_pass "round $round: no kernel reports in dmesg"
	fi

	# Leave no module behind for the next round or the next test.
	[ -d /sys/module/mslab ] && rmmod mslab 2>/dev/null
	round=$((round + 1))
done

ktap_finished
