#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The kernel's own lib/test_meminit.c, unmodified, on the kernel's SLUB and
# on mslab in the same boot, run as root in the QEMU VM under busybox sh:
#
#   kernel_test_meminit.sh SHEAVES     (mslab's module parameter, 0 or 1)
#
# selftests/kernel/Kbuild builds the file twice: test_meminit.ko as the
# kernel does, and mslab_test_meminit.ko with include/linux/mslab_compat.h,
# so that its kmalloc(), kfree(), kmem_cache_*() and bulk calls go to
# mslab. The test runs at module load and prints "all 131 tests passed!" or
# "failures: N out of 131"; it checks that memory is zeroed as the boot's
# init_on_alloc and init_on_free demand (page allocator, kmalloc, caches
# with and without constructors, SLAB_TYPESAFE_BY_RCU, bulk).
#
# test_meminit has no exit function, so neither module can be unloaded,
# and mslab stays pinned: each run needs a boot of its own, which is why
# this is not one of the mslab_*.sh tests run_all.sh runs.
# scripts/vm-selftest.sh boots the VM for it with Debian's default
# (init_on_alloc=1), init_on_alloc=1 init_on_free=1 and init_on_alloc=0
# init_on_free=1, each with both front ends. With both options off the
# test expects zeroed memory that nobody zeroes, and fails on the kernel's
# SLUB too (70 or 71 of 131 here): such a boot skips.

DIR=$(cd "$(dirname "$0")" && pwd)
. "$DIR/ktap_helpers.sh"

MODULES=${MSLAB_MODULES:-/modules}

ktap_print_header

sheaves=${1:-0}
front="slab front end"
[ "$sheaves" = 1 ] && front="sheaves"

ksft_require_mslab mslab test_meminit mslab_test_meminit

init=$(dmesg | grep -o 'mem auto-init: .*heap alloc:.*' | tail -n 1)
ktap_print_msg "boot: $(cat /proc/cmdline)"
ktap_print_msg "${init:-no mem auto-init line in the kernel log}"
case $init in
*"heap alloc:on"* | *"heap free:on"*) ;;
*)	ktap_skip_all "init_on_alloc and init_on_free are both off: test_meminit expects zeroed memory and fails on the kernel's SLUB too"
	exit "$KSFT_SKIP" ;;
esac

ktap_set_plan 5
tag="kernel_test_meminit-$$"
ksft_dmesg_mark "$tag"

# run_meminit MODULE: load it; the test's verdict is its summary line.
run_meminit() {
	insmod "$MODULES/$1.ko" 2>/dev/null
	_line=$(dmesg | sed -n "/mslab-selftest: mark $tag\$/,\$p" |
		grep -E "$1: (all [0-9]+ tests passed!|failures: )" | tail -n 1)
	ktap_print_msg "${_line:-$1 printed no summary}"
	case $_line in
	*"all 131 tests passed!") return 0 ;;
	esac
	dmesg | sed -n "/mslab-selftest: mark $tag\$/,\$p" |
		grep -E "$1: " | sed 's/^/#   /'
	return 1
}

ktap_test_result "the kernel's SLUB: test_meminit passes 131 of 131" \
	run_meminit test_meminit
ktap_test_result "insmod mslab.ko sheaves=$sheaves" \
	insmod "$MODULES/mslab.ko" sheaves="$sheaves"
ktap_test_result "mslab, $front: test_meminit passes 131 of 131" \
	run_meminit mslab_test_meminit
ktap_test_result "mslab, $front: test_meminit destroyed its caches" \
	test ! -e /sys/kernel/mslab/test_cache
ksft_test_no_reports "$tag"
ktap_finished
