#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Selftest of mslab's leak reports, run as root in the QEMU VM
# (scripts/vm-selftest.sh) under busybox sh. mslab_leaker.ko creates two
# caches with owner tracking (SLAB_STORE_USER) and allocates their objects
# in its function leaker_alloc(); mslab.ko is loaded with
# slab_debug=T,leak-kept, so leak-kept's allocations are traced
# (SLAB_TRACE: "TRACE leak-kept alloc 0x...", then the stack):
#
#  rmmod mslab_leaker  destroys leak-destroyed with 3 objects live:
#                      mslab_cache_destroy() reports "BUG leak-destroyed:
#                      Objects remaining on mslab_cache_destroy()", each
#                      object "Allocated in leaker_alloc+0x.../0x...
#                      [mslab_leaker]" with its stack, and "3 objects
#                      remaining; cache leaked". As the module goes, mslab
#                      reports leak-kept, which it never destroyed: "module
#                      mslab_leaker unloaded without destroying cache
#                      leak-kept (2 objects in use)", "BUG leak-kept:
#                      Objects remaining on delete_module()" and each object
#                      allocated in leaker_alloc, named while its symbols
#                      still resolve. Both caches stay in mslab, and mslab's
#                      debugfs pages are exactly their slabs.
#  rmmod mslab         frees both caches, saying which was left by the
#                      unloaded mslab_leaker, without listing their objects
#                      again, and unloads with no page still held.
#
# Both rmmods run in expected-reports windows (ksft_expect_reports_begin in
# ktap_helpers.sh), so mslab's BUG lines there do not fail the run; any
# other kernel report does, in the windows or outside them.
#
# MSLAB_MODULES names the directory holding the modules (default /modules).

DIR=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=selftests/ktap_helpers.sh
. "$DIR/ktap_helpers.sh"

MODULES=${MSLAB_MODULES:-/modules}
SYSFS=/sys/kernel/mslab
STATS=/sys/kernel/debug/mslab/stats
# Keep in step with selftests/modules/mslab_leaker.c.
DESTROYED_LIVE=3
KEPT_LIVE=2
# The allocation site as %pS prints it while mslab_leaker is loaded (GCC
# may suffix a clone: leaker_alloc.constprop.0).
SITE_RE='Allocated in leaker_alloc(\.[a-z]+\.[0-9]+)*\+0x[0-9a-f]+/0x[0-9a-f]+ \[mslab_leaker\] age='

ktap_print_header
ksft_require_mslab mslab mslab_leaker
ktap_set_plan 19

tag="mslab_leak-$$"
win_destroy="leak-destroy-$$"
win_unload="leak-unload-$$"
tmp=${TMPDIR:-/tmp}/mslab_leak.$$
mkdir -p "$tmp"

# Leave no module behind for the next test, whatever failed.
cleanup() {
	for m in mslab_leaker mslab; do
		[ -d "/sys/module/$m" ] && rmmod "$m" 2>/dev/null
	done
	rm -rf "$tmp"
}

# stats_get NAME: the value on the line "NAME: N" of mslab's debugfs stats.
stats_get() {
	sed -n "s/^$1:[[:space:]]*//p" "$STATS"
}

# count RE FILE: the number of lines of FILE matching the ERE RE.
count() {
	grep -E -c "$1" "$2"
}

# section FILE CACHE: the lines of FILE from each "BUG CACHE:" report to the
# line that ends it (the count line, another cache's report or unload line).
section() {
	awk -v c="$2" '
		$0 ~ "mslab: BUG " c ": " { on = 1; print; next }
		on && /mslab: (BUG |unload|mslab_cache_destroy )/ { on = 0 }
		on' "$1"
}

# absent RE FILE: no line of FILE matches the basic RE.
absent() {
	! grep -q "$1" "$2"
}

# both CMD CMD: both shell commands succeed.
both() {
	eval "$1" && eval "$2"
}

# Show a window's log when a check on it failed.
dump_window() {
	ktap_print_msg "kernel log of the window:"
	sed 's/^/#   /' "$1"
}

ksft_dmesg_mark "$tag"

# leak-kept is traced too: each allocation in the log with its stack.
ktap_test_result "insmod mslab.ko slab_debug=T,leak-kept" \
	insmod "$MODULES/mslab.ko" slab_debug=T,leak-kept
# The size classes, and their DMA twins where the kernel has ZONE_DMA.
nkmalloc=$(ls -d "$SYSFS"/mslab-kmalloc-* "$SYSFS"/mslab-dma-kmalloc-* 2>/dev/null | wc -l)
pages0=$(stats_get pages)
ktap_test_result "insmod mslab_leaker.ko" insmod "$MODULES/mslab_leaker.ko"
ktap_test_result "leak-destroyed and leak-kept have owner tracking, leak-kept tracing" \
	test "$(cat $SYSFS/leak-destroyed/store_user 2>/dev/null)$(cat $SYSFS/leak-kept/store_user 2>/dev/null)$(cat $SYSFS/leak-destroyed/trace 2>/dev/null)$(cat $SYSFS/leak-kept/trace 2>/dev/null)" = 1101
# SLAB_TRACE: "TRACE <cache> alloc 0x... inuse=N fp=0x...", then the stack.
dmesg | sed -n "/mslab-selftest: mark $tag\$/,\$p" >"$tmp/load.log"
traced=$(count 'mslab: TRACE leak-kept alloc 0x[0-9a-f]+ inuse=[0-9]+ fp=0x' "$tmp/load.log")
frames=$(count '^\[[ 0-9.]*\] +leaker_alloc(\.[a-z]+\.[0-9]+)*\+0x[0-9a-f]+/0x[0-9a-f]+ \[mslab_leaker\]' "$tmp/load.log")
ktap_print_msg "leak-kept: $traced allocations traced, $frames stacks through leaker_alloc"
ktap_test_result "each of the $KEPT_LIVE allocations of leak-kept is traced, with its stack" \
	test "$traced" -eq "$KEPT_LIVE" -a "$frames" -eq "$KEPT_LIVE"


# --- mslab_cache_destroy() with live objects -------------------------------

log1=$tmp/destroy.log
ksft_expect_reports_begin "$win_destroy"
rmmod mslab_leaker
rc=$?
ksft_expect_reports_end "$win_destroy"
ksft_dmesg_window "$win_destroy" >"$log1"
ktap_test_result "rmmod mslab_leaker (destroys leak-destroyed with objects live)" \
	test "$rc" -eq 0

section "$log1" leak-destroyed >"$tmp/destroyed"

fails=$KTAP_CNT_FAIL
ktap_test_result "the report names the cache and mslab_cache_destroy()" \
	grep -q 'mslab: BUG leak-destroyed: Objects remaining on mslab_cache_destroy()' "$log1"
ktap_test_result "the report counts $DESTROYED_LIVE objects remaining" \
	grep -q "mslab: mslab_cache_destroy leak-destroyed: $DESTROYED_LIVE objects remaining; cache leaked" "$log1"
ktap_test_result "it lists $DESTROYED_LIVE objects, each allocated in leaker_alloc [mslab_leaker]" \
	test "$(count 'mslab: Object 0x' "$tmp/destroyed")" -eq "$DESTROYED_LIVE" -a \
	     "$(count "$SITE_RE" "$tmp/destroyed")" -eq "$DESTROYED_LIVE"
# stack_depot_print(): one indented "%pS" line per frame.
ktap_test_result "each object's stack trace goes through leaker_alloc" \
	test "$(count '^\[[ 0-9.]*\]  +leaker_alloc(\.[a-z]+\.[0-9]+)*\+0x[0-9a-f]+/0x[0-9a-f]+ \[mslab_leaker\]' "$tmp/destroyed")" -eq "$DESTROYED_LIVE"
section "$log1" leak-kept >"$tmp/kept"
ktap_test_result "leak-kept, left behind, is reported as mslab_leaker goes" \
	grep -q "mslab: module mslab_leaker unloaded without destroying cache leak-kept ($KEPT_LIVE objects in use)" "$log1"
ktap_test_result "with its $KEPT_LIVE objects on delete_module(), each allocated in leaker_alloc [mslab_leaker]" \
	test "$(count 'mslab: BUG leak-kept: Objects remaining on delete_module\(\)' "$log1")" -ge 1 -a \
	     "$(count 'mslab: Object 0x' "$tmp/kept")" -eq "$KEPT_LIVE" -a \
	     "$(count "$SITE_RE" "$tmp/kept")" -eq "$KEPT_LIVE"
[ "$KTAP_CNT_FAIL" -eq "$fails" ] || dump_window "$log1"

# The leaked cache stays, and so does the undestroyed one, with their pages.
pages=$(stats_get pages)
held=0
for c in leak-destroyed leak-kept; do
	slabs=$(cut -d' ' -f1 "$SYSFS/$c/slabs" 2>/dev/null)
	order=$(cat "$SYSFS/$c/order" 2>/dev/null)
	held=$((held + ${slabs:-0} * (1 << ${order:-0})))
done
ktap_print_msg "debugfs: pages $pages0 before mslab_leaker, $pages after (its caches' slabs: $held); caches $(stats_get caches)"
ktap_test_result "both caches stay, holding all the pages mslab gained" \
	test "$(stats_get caches)" -eq $((nkmalloc + 2)) -a "$pages" -eq $((pages0 + held)) -a "$held" -gt 0

# --- rmmod mslab with a cache left by a client ------------------------------

log2=$tmp/unload.log
ksft_expect_reports_begin "$win_unload"
rmmod mslab
rc=$?
ksft_expect_reports_end "$win_unload"
ksft_dmesg_window "$win_unload" >"$log2"
ktap_test_result "rmmod mslab (with the two caches of mslab_leaker)" \
	test "$rc" -eq 0

fails=$KTAP_CNT_FAIL
ktap_test_result "unload frees leak-kept, left by the unloaded mslab_leaker" \
	grep -q "mslab: unload: cache leak-kept of unloaded module mslab_leaker was not destroyed ($KEPT_LIVE objects in use)" "$log2"
ktap_test_result "without listing its objects again" \
	absent 'BUG leak-kept' "$log2"
ktap_test_result "leak-destroyed is freed with its $DESTROYED_LIVE objects, not listed twice" \
	both "grep -q 'mslab: unload: cache leak-destroyed .*($DESTROYED_LIVE objects in use)' '$log2'" \
	     "! grep -q 'BUG leak-destroyed' '$log2'"
ktap_test_result "mslab unloads with no page still held" \
	both "grep -q 'mslab: unloaded' '$log2'" "! grep -q 'pages still accounted' '$log2'"
[ "$KTAP_CNT_FAIL" -eq "$fails" ] || dump_window "$log2"

ktap_test_result "/sys/kernel/mslab and /sys/kernel/debug/mslab are gone" \
	test ! -e "$SYSFS" -a ! -e /sys/kernel/debug/mslab

# Nothing but mslab's BUG lines in the windows, nothing at all outside.
ksft_test_no_reports "$tag"

cleanup
ktap_finished
