#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Selftest of mslab's slab_debug= module parameter, run as root in the QEMU
# VM (scripts/vm-selftest.sh) under busybox sh. mslab.ko is loaded with
#
#	slab_debug="FZx,mslab-kmalloc-64;U,mslab-kmalloc-1*,demo-*"
#
# and the size class caches it creates at load must show it: kmalloc-64
# gets consistency checks and red zones (and a red-zoned stride), the caches
# whose names start with mslab-kmalloc-1 get owner tracking, the others
# nothing; the unknown letter 'x' is reported; validate works on a debug
# cache and is refused on the others. The demo client's caches get owner
# tracking too, and their debugfs alloc_traces name the demo's allocation
# sites (in SLUB's format: count, function, age, pid). Unloading leaves
# nothing behind.

DIR=$(dirname "$0")
. "$DIR/ktap_helpers.sh"

MODULES=${MSLAB_MODULES:-/modules}
SYSFS=/sys/kernel/mslab

ktap_print_header
ksft_require_mslab mslab mslab_demo
ktap_set_plan 14

flags() {
	c=$SYSFS/$1
	echo "$(cat "$c/sanity_checks")$(cat "$c/red_zone")$(cat "$c/poison")$(cat "$c/store_user")"
}

tag="mslab_slab_debug-$$"
ksft_dmesg_mark "$tag"
ktap_test_result "insmod mslab.ko slab_debug=..." \
	insmod "$MODULES/mslab.ko" "slab_debug=FZx,mslab-kmalloc-64;U,mslab-kmalloc-1*,demo-*"

ktap_print_msg "flags F Z P U: kmalloc-64 $(flags mslab-kmalloc-64), kmalloc-128 $(flags mslab-kmalloc-128), kmalloc-1024 $(flags mslab-kmalloc-1024), kmalloc-8 $(flags mslab-kmalloc-8)"
ktap_test_result "mslab-kmalloc-64 has F and Z" \
	test "$(flags mslab-kmalloc-64)" = 1100
ktap_test_result "mslab-kmalloc-1* have U" \
	test "$(flags mslab-kmalloc-128)$(flags mslab-kmalloc-1024)" = 00010001
ktap_test_result "other caches have no debugging" \
	test "$(flags mslab-kmalloc-8)$(flags mslab-kmalloc-256)" = 00000000
ktap_test_result "the red zone widens kmalloc-64's stride" \
	test "$(cat $SYSFS/mslab-kmalloc-64/slab_size)" -gt 64
ktap_test_result "the unsupported option 'x' is reported" \
	sh -c "dmesg | grep -q \"slab_debug: option 'x' is not supported\""
ktap_test_result "validate runs on a debug cache" \
	sh -c "echo 1 > $SYSFS/mslab-kmalloc-64/validate"
ktap_test_result "validate is refused on a cache without debugging" \
	sh -c "! echo 1 > $SYSFS/mslab-kmalloc-8/validate 2>/dev/null"
DEBUGFS=/sys/kernel/debug/mslab
ktap_test_result "insmod mslab_demo.ko" insmod "$MODULES/mslab_demo.ko"
traces=$DEBUGFS/demo-request/alloc_traces
if [ -r "$traces" ]; then
	head -n 4 "$traces" | sed 's/^/# /'
fi
ktap_test_result "demo-request has alloc_traces and free_traces" \
	test -r "$traces" -a -r "$DEBUGFS/demo-request/free_traces"
ktap_test_result "alloc_traces names the demo's allocation site" \
	sh -c "grep -E '^ *[0-9]+ .*\\[mslab_demo\\] age=[0-9]' $traces >/dev/null"
ktap_test_result "rmmod mslab_demo" rmmod mslab_demo
ktap_test_result "rmmod mslab" rmmod mslab
ksft_test_no_reports "$tag"
ktap_finished
