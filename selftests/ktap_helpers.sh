# SPDX-License-Identifier: GPL-2.0
#
# KTAP output helpers for mslab's selftests. Source, do not run.
#
# Modelled on the kernel's tools/testing/selftests/kselftest/ktap_helpers.sh,
# but POSIX sh only: the selftests run under busybox sh in the QEMU VM
# (scripts/vm-run.sh), which has no bash. A test prints a header and a plan,
# one test point per check, then calls ktap_finished, which prints the
# "# Totals:" line that scripts/vm-selftest.sh counts and exits 0 when every
# planned point passed or was skipped, 1 otherwise.

# shellcheck disable=SC2034 # the KSFT_* exit codes are for the tests

KTAP_TESTNO=1
KTAP_CNT_PASS=0
KTAP_CNT_FAIL=0
KTAP_CNT_SKIP=0

KSFT_PASS=0
KSFT_FAIL=1
KSFT_XFAIL=2
KSFT_XPASS=3
KSFT_SKIP=4

KSFT_NUM_TESTS=0

ktap_print_header() {
	echo "TAP version 13"
}

ktap_print_msg() {
	echo "# $*"
}

ktap_set_plan() {
	KSFT_NUM_TESTS=$1
	echo "1..$KSFT_NUM_TESTS"
}

# Skip the whole test: print an empty plan; the caller exits $KSFT_SKIP.
ktap_skip_all() {
	echo "1..0 # SKIP $*"
}

# __ktap_test RESULT DESCRIPTION [DIRECTIVE]
__ktap_test() {
	if [ -n "${3:-}" ]; then
		echo "$1 $KTAP_TESTNO $2 # $3"
	else
		echo "$1 $KTAP_TESTNO $2"
	fi
	KTAP_TESTNO=$((KTAP_TESTNO + 1))
}

ktap_test_pass() {
	__ktap_test "ok" "$1"
	KTAP_CNT_PASS=$((KTAP_CNT_PASS + 1))
}

ktap_test_skip() {
	__ktap_test "ok" "$1" "SKIP"
	KTAP_CNT_SKIP=$((KTAP_CNT_SKIP + 1))
}

ktap_test_fail() {
	__ktap_test "not ok" "$1"
	KTAP_CNT_FAIL=$((KTAP_CNT_FAIL + 1))
}

# ktap_test_result DESCRIPTION COMMAND [ARG]...: one point, passing when
# COMMAND succeeds.
ktap_test_result() {
	__ktap_desc=$1
	shift
	if "$@"; then
		ktap_test_pass "$__ktap_desc"
	else
		ktap_test_fail "$__ktap_desc"
	fi
}

ktap_print_totals() {
	echo "# Totals: pass:$KTAP_CNT_PASS fail:$KTAP_CNT_FAIL xfail:0 xpass:0 skip:$KTAP_CNT_SKIP error:0"
}

ktap_exit_fail_msg() {
	echo "Bail out! $*"
	ktap_print_totals
	exit "$KSFT_FAIL"
}

ktap_finished() {
	ktap_print_totals
	if [ $((KTAP_CNT_PASS + KTAP_CNT_SKIP)) -eq "$KSFT_NUM_TESTS" ]; then
		exit "$KSFT_PASS"
	fi
	exit "$KSFT_FAIL"
}

# Kernel reports in the log, as scripts/lib.sh's MSLAB_SPLAT_RE finds them in
# the console: mark the log before an action, then list the reports since.
KSFT_REPORT_RE='WARNING:|BUG:|BUG [^ ]+( \([^)]*\))?:|Oops:|KASAN:|UBSAN:|general protection fault|Kernel panic|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|INFO: task .* blocked|Call Trace:|kernel BUG at|list_add corruption|list_del corruption'

# The directory of the tests and of kernel_reports.awk.
KSFT_DIR=$(cd "$(dirname "$0")" && pwd)

# ksft_dmesg_mark TAG: write a marker line into the kernel log.
ksft_dmesg_mark() {
	echo "mslab-selftest: mark $1" >/dev/kmsg
}

# ksft_dmesg_reports TAG: print the kernel reports logged since the marker
# TAG, as "LINE:text" counted from the marker; non-zero when there are none.
# mslab's reports inside an expected-reports window do not count. A marker
# the kernel's log buffer has overwritten (a flood of reports can) is a
# report itself: what followed it can no longer be read.
ksft_dmesg_reports() {
	__log=$(dmesg | sed -n "/mslab-selftest: mark $1\$/,\$p")
	if [ -z "$__log" ]; then
		echo "0:mslab-selftest: mark $1 is no longer in the kernel log (overwritten): its reports cannot be read"
		return 0
	fi
	echo "$__log" |
		MSLAB_REPORT_RE=$KSFT_REPORT_RE awk -f "$KSFT_DIR/kernel_reports.awk"
}

# A test that makes mslab report on purpose (a leak at rmmod, a corruption)
# wraps the action in an expected-reports window:
#
#	ksft_expect_reports_begin leak
#	rmmod mslab_leaker
#	ksft_expect_reports_end leak
#
# Between the two marker lines in the kernel log, the headlines of mslab's
# reports ("mslab: BUG <cache>: ...", "mslab: FIX <cache>: ...") are not
# kernel reports, neither for ksft_dmesg_reports here nor for the check of
# the console log on the host (scripts/lib.sh's mslab_splats). Anything else
# still is, in the window as outside it: a WARNING, an Oops, a "BUG:", a
# call trace; so are a window begun inside another, and one never ended.
# The test checks the reports it expected itself (ksft_dmesg_window).
# NAME: letters, digits, '_', '-' and '.'; unique in the run (add $$).

# ksft_expect_reports_begin NAME: open the window NAME in the kernel log.
ksft_expect_reports_begin() {
	echo "mslab-selftest: expect-reports begin $1" >/dev/kmsg
}

# ksft_expect_reports_end NAME: close the window NAME.
ksft_expect_reports_end() {
	echo "mslab-selftest: expect-reports end $1" >/dev/kmsg
}

# ksft_dmesg_window NAME: print the kernel log of the window NAME, its
# marker lines included.
ksft_dmesg_window() {
	dmesg | sed -n "/mslab-selftest: expect-reports begin $1\$/,/mslab-selftest: expect-reports end $1\$/p"
}

# Skip the whole test (exit KSFT_SKIP) unless it can run: as root, with
# mslab.ko and the named client modules in $MODULES, mslab not loaded yet
# (the test loads it), and debugfs mounted on /sys/kernel/debug.
#   ksft_require_mslab mslab mslab_stress ...
ksft_require_mslab() {
	if [ "$(id -u)" -ne 0 ]; then
		ktap_skip_all "must run as root"
		exit "$KSFT_SKIP"
	fi
	for m in "$@"; do
		if [ ! -f "$MODULES/$m.ko" ]; then
			ktap_skip_all "no $MODULES/$m.ko"
			exit "$KSFT_SKIP"
		fi
	done
	if [ -d /sys/module/mslab ]; then
		ktap_skip_all "mslab is already loaded"
		exit "$KSFT_SKIP"
	fi
	if [ ! -d /sys/kernel/debug ] || ! grep -qw debugfs /proc/mounts; then
		ktap_skip_all "debugfs is not mounted on /sys/kernel/debug"
		exit "$KSFT_SKIP"
	fi
}

# ksft_mslab_stat FIELD: a field of mslab's debugfs stats ("pages", "caches").
ksft_mslab_stat() {
	sed -n "s/^$1:[[:space:]]*//p" /sys/kernel/debug/mslab/stats
}

# ksft_stress_passed TAG: mslab_stress.ko ran and passed since
# ksft_dmesg_mark TAG, and no run of it failed. Its insmod status alone
# does not tell: when finit_module() fails, busybox insmod loads the module
# again with init_module(), so a failed run (init returned an error) can be
# followed by a second one that passes and makes insmod succeed.
ksft_stress_passed() {
	__log=$(dmesg | sed -n "/mslab-selftest: mark $1\$/,\$p")
	echo "$__log" | grep -q 'mslab_stress: passed' &&
		! echo "$__log" | grep -Eq 'mslab_stress: (FAILED|timeout|pattern error|object .* is on node|cannot|creating)'
}

# ksft_mslab_shrink_all: flush and shrink every mslab cache.
ksft_mslab_shrink_all() {
	for __d in /sys/kernel/mslab/*/; do
		[ -w "$__d/shrink" ] && echo 1 >"$__d/shrink"
	done
}

# One test point: the kernel logged no report (WARNING, BUG, KASAN ...)
# since ksft_dmesg_mark TAG; the reports, if any, are printed.
ksft_test_no_reports() {
	_reports=$(ksft_dmesg_reports "$1") || {
		ktap_test_pass "no kernel reports in dmesg"
		return
	}
	ktap_print_msg "kernel reports since the test began:"
	echo "$_reports" | sed 's/^/#   /'
	ktap_test_fail "no kernel reports in dmesg"
}
