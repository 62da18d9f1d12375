#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Selftest of mslab's allocation failure paths, run as root in the QEMU VM
# on the KASAN debug kernel (scripts/vm-debug.sh), whose fault injection
# (CONFIG_FAIL_PAGE_ALLOC, CONFIG_FAILSLAB) it uses; skipped on a kernel
# without it (Debian's).
#
# fail_page_alloc and failslab are set to count every allocation (order 0
# too, sleeping ones too) and to fail none by chance (probability 0), with
# no stack dump (verbose 1: one log line per injected failure of an
# allocation that did not ask for __GFP_NOWARN). mslab_faults.ko then
# makes the Nth allocation of each scenario fail, for N = 1, 2, 3 ... (see
# selftests/modules/mslab_faults.c), one insmod per scenario: one test
# point per scenario, that every run failed cleanly or absorbed its fault,
# the scenario then worked without one, and mslab holds no page once the
# module is gone. Then mslab unloads and the kernel logged no report. The
# fault injection settings are restored.
#
# MSLAB_MODULES names the directory holding the modules (default /modules).

DIR=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=selftests/ktap_helpers.sh
. "$DIR/ktap_helpers.sh"

MODULES=${MSLAB_MODULES:-/modules}
FI=/sys/kernel/debug
# Keep in step with faults_scenarios[] in selftests/modules/mslab_faults.c.
SCENARIOS="create slabs sheaves bulk nodes kmalloc kvmalloc"

ktap_print_header
ksft_require_mslab mslab mslab_faults
if [ ! -d "$FI/fail_page_alloc" ] || [ ! -d "$FI/failslab" ]; then
	ktap_skip_all "no fault injection (CONFIG_FAIL_PAGE_ALLOC, CONFIG_FAILSLAB, CONFIG_FAULT_INJECTION_DEBUG_FS)"
	exit "$KSFT_SKIP"
fi

nscen=0
for sc in $SCENARIOS; do
	nscen=$((nscen + 1))
done
# insmod mslab, the scenarios, rmmod mslab_faults, pages, rmmod mslab,
# reports.
ktap_set_plan $((nscen + 5))

tag="mslab_faults-$$"
ksft_dmesg_mark "$tag"

# fi_set ATTR FILE VALUE: set a fault injection knob, saving the old value.
saved=
fi_set() {
	saved="$saved $1/$2=$(cat "$FI/$1/$2")"
	echo "$3" >"$FI/$1/$2"
}

cleanup() {
	for m in mslab_faults mslab; do
		[ -d "/sys/module/$m" ] && rmmod "$m" 2>/dev/null
	done
	for kv in $saved; do
		echo "${kv#*=}" >"$FI/${kv%%=*}"
	done
	saved=
}

for attr in fail_page_alloc failslab; do
	fi_set $attr probability 0
	fi_set $attr ignore-gfp-wait N
	fi_set $attr verbose 1
done
fi_set fail_page_alloc min-order 0
fi_set fail_page_alloc ignore-gfp-highmem N

if ! insmod "$MODULES/mslab.ko"; then
	ktap_test_fail "insmod mslab.ko"
	cleanup
	ktap_exit_fail_msg "cannot load mslab.ko"
fi
ktap_test_pass "insmod mslab.ko"

for sc in $SCENARIOS; do
	ksft_dmesg_mark "$tag-$sc"
	insmod "$MODULES/mslab_faults.ko" scenario="$sc"
	rc=$?
	[ -d /sys/module/mslab_faults ] && rmmod mslab_faults
	# The kmalloc size classes keep the slabs kmalloc filled: give
	# them back, so what remains is what a scenario leaked.
	ksft_mslab_shrink_all
	pages=$(ksft_mslab_stat pages)
	log=$(dmesg | sed -n "/mslab-selftest: mark $tag-$sc\$/,\$p")
	line=$(echo "$log" | grep "mslab_faults: $sc: [0-9]* fault points" |
		head -n 1 | sed 's/^\[[^]]*\] *//')
	ktap_print_msg "${line:-no line for $sc}; $pages pages held after"
	# At least one fault point, no error, and (busybox insmod loads a
	# module whose init failed a second time) no failed run in the log.
	if [ "$rc" -eq 0 ] && [ "$pages" = 0 ] &&
	   echo "$line" | grep -Eq ': [1-9][0-9]* fault points.*, 0 errors$' &&
	   ! echo "$log" | grep -q 'mslab_faults: FAILED'; then
		ktap_test_pass "$sc: each allocation failed in turn, the cache worked after each, 0 pages held after"
	else
		ktap_test_fail "$sc: each allocation failed in turn, the cache worked after each, 0 pages held after"
	fi
done
ktap_test_result "mslab_faults is not loaded" test ! -d /sys/module/mslab_faults

pages=$(ksft_mslab_stat pages)
ktap_print_msg "pages held without clients: $pages"
ktap_test_result "debugfs stats: pages: 0 with every client gone" [ "$pages" = 0 ]
ktap_test_result "rmmod mslab" rmmod mslab

cleanup
ksft_test_no_reports "$tag"
ktap_finished
