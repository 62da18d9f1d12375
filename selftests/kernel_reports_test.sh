#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host-side test of the kernel-report check (selftests/kernel_reports.awk),
# run by scripts/vm-selftest.sh before it boots the VM: every run's verdict
# rests on it. Synthetic logs go through scripts/lib.sh's mslab_splats, as
# the console logs do, and through busybox's awk, as dmesg does in the VM;
# each case names the lines that must be reported, no more, no fewer. Prints
# KTAP; exits 0 when every point passed.

set -u

DIR=$(cd "$(dirname "$0")" && pwd)
. "$DIR/../scripts/lib.sh"
. "$DIR/ktap_helpers.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

awks=(host)
if busybox awk 'BEGIN { exit 0 }' 2>/dev/null; then
	awks+=(busybox)
fi

# reported AWK LOG: the numbers of the lines reported, space-separated.
reported() {
	if [ "$1" = host ]; then
		mslab_splats "$2"
	else
		MSLAB_REPORT_RE=$KSFT_REPORT_RE busybox awk \
			-f "$DIR/kernel_reports.awk" "$2"
	fi | cut -d: -f1 | tr '\n' ' ' | sed 's/ $//'
}

# check DESCRIPTION EXPECTED_LINES: one point; the log is on stdin.
check() {
	local desc=$1 want=$2 a got ok=1

	cat >"$tmp/log"
	for a in "${awks[@]}"; do
		got=$(reported "$a" "$tmp/log")
		if [ "$got" != "$want" ]; then
			ktap_print_msg "$a awk reported lines '$got', expected '$want'"
			ok=
		fi
	done
	if [ -n "$ok" ]; then
		ktap_test_pass "$desc"
	else
		ktap_test_fail "$desc"
	fi
}

B='[   10.000001] mslab-selftest: expect-reports begin leak-1'
E='[   10.000009] mslab-selftest: expect-reports end leak-1'
MBUG='[   10.000002] mslab: BUG leak-a: Objects remaining on mslab_cache_destroy()'
MFIX='[   10.000003] mslab: FIX leak-a: Object at 0x00000000deadbeef not freed'
ALLOC='[   10.000004] mslab: Allocated in leaker_alloc+0x2c/0x60 [mslab_leaker] age=5 cpu=1 pid=99'

ktap_print_header
ktap_set_plan 14
ktap_print_msg "awk: ${awks[*]}"

ktap_test_result "ktap_helpers.sh's KSFT_REPORT_RE is lib.sh's MSLAB_SPLAT_RE" \
	test "$KSFT_REPORT_RE" = "$MSLAB_SPLAT_RE"

check "a clean log has no report" "" <<EOF
[    0.000000] Linux version 6.12
[    1.000000] mslab: version 0.3 loaded
$ALLOC
EOF

check "every kind of report is found outside a window" "1 2 3 4 5 6 7" <<'EOF'
[    1.0] WARNING: CPU: 1 PID: 2 at mm/foo.c:1 bar+0x1/0x2
[    1.1] BUG: unable to handle page fault for address: 0000000000000008
[    1.2] Oops: 0002 [#1] PREEMPT SMP NOPTI
[    1.3] BUG: KASAN: slab-use-after-free in foo+0x1/0x2
[    1.4] Call Trace:
[    1.5] mslab: BUG demo-request: Freepointer corrupt
[    1.6] BUG kmalloc-64 (Not tainted): Object already free
EOF

check "mslab's BUG and FIX lines inside a window are expected" "" <<EOF
$B
$MBUG
[   10.000003] mslab: -----------------------------------------------------
$ALLOC
[   10.000005]  leaker_alloc+0x2c/0x60 [mslab_leaker]
$MFIX
[   10.000006] mslab: mslab_cache_destroy leak-a: 3 objects remaining; cache leaked
$E
EOF

check "mslab's BUG lines before and after the window are reports" "1 4" <<EOF
$MBUG
$B
$E
$MBUG
EOF

check "WARNING, Oops, BUG:, KASAN and Call Trace inside a window are reports" \
	"3 4 5 6 7 8" <<EOF
$B
$MBUG
[   10.1] WARNING: CPU: 1 PID: 99 at mslab/cache.c:480 mslab_cache_destroy+0x1/0x2 [mslab]
[   10.2] Call Trace:
[   10.3] Oops: general protection fault, probably for non-canonical address
[   10.4] BUG: KASAN: use-after-free in leaker_exit+0x1/0x2
[   10.5] BUG: sleeping function called from invalid context
[   10.6] BUG kmalloc-64 (Not tainted): Object already free
$E
EOF

check "another module's 'BUG <name>:' inside a window is a report" "2" <<EOF
$B
[   10.1] other: BUG leak-a: Objects remaining
$E
EOF

check "a window never ended is a report (on its begin line)" "1" <<EOF
$B
$MBUG
EOF

check "an end with no window open is a report" "1 2" <<EOF
$E
$MBUG
EOF

check "an end that names another window ends nothing" "3" <<EOF
$B
$MBUG
[   10.000009] mslab-selftest: expect-reports end leak-2
$E
EOF

check "a window begun inside another is a report" "2" <<EOF
$B
[   10.000005] mslab-selftest: expect-reports begin leak-2
[   10.000009] mslab-selftest: expect-reports end leak-2
EOF

check "markers and reports amid a test's console output are found" "" <<EOF
# ok 3 insmod mslab_leaker.ko$B
# # ok 4 some test point$MBUG
$E
EOF

check "a marker line with more after the name is no marker" "2 3" <<EOF
${B}x y
$MBUG
${E}
EOF

check "KCSAN reports count when a function of the race is in an mslab module" "2 5" <<'EOF'
[   20.000001] ==================================================================
[   20.000002] BUG: KCSAN: data-race in get_freelist [mslab] / mslab_cache_free+0x1/0x2 [mslab]
[   20.000003] BUG: KCSAN: data-race in __hrtimer_run_queues / hrtimer_active
[   20.000004] BUG: KCSAN: data-race in copy_process / do_exit
[   20.000005] BUG: KCSAN: data-race in stress_thread_fn [mslab_stress] / tick_sched_timer
EOF

ktap_finished
