# SPDX-License-Identifier: GPL-2.0
#
# Print the kernel reports in a kernel log (a console log or dmesg) as
# "LINE:text", as grep -n would, and exit 0 when there is one, 1 when the
# log is clean:
#
#	MSLAB_REPORT_RE='WARNING:|BUG:|...' awk -f kernel_reports.awk LOG
#
# A report is a line matching the extended regular expression
# MSLAB_REPORT_RE (from the environment: scripts/lib.sh's MSLAB_SPLAT_RE on
# the host, ktap_helpers.sh's KSFT_REPORT_RE in the VM), with one exception.
# A selftest that makes mslab report on purpose (a leak, a corruption) puts
# the action between two marker lines (ktap_helpers.sh's
# ksft_expect_reports_begin and ksft_expect_reports_end):
#
#	mslab-selftest: expect-reports begin NAME
#	mslab-selftest: expect-reports end NAME
#
# Inside such a window the headlines of mslab's own reports,
# "mslab: BUG <cache>: ..." and "mslab: FIX <cache>: ..." (SLUB's format,
# mslab/debug.c), are not reports. Everything else still is, inside a
# window as outside: a WARNING, a "BUG:", an Oops, a KASAN report, a call
# trace, another module's BUG. So is a broken window: a begin inside an
# open window, an end that closes no open window of that name, a window
# never ended (the VM died in it, or the test forgot the end).
#
# KCSAN reports data races anywhere in the kernel; one counts only when a
# function of the race, as its headline names them, is in one of mslab's
# modules ("BUG: KCSAN: data-race in A [mslab] / B"). The kernel's own
# races are not mslab's to fix; scripts/vm-debug.sh lists them apart.
#
# Kernel lines can land in the middle of a line the test printed on the
# console, so no pattern is anchored at the start of a line. POSIX awk:
# this runs under busybox in the VM.

BEGIN {
	report_re = ENVIRON["MSLAB_REPORT_RE"]
	if (report_re == "") {
		print "kernel_reports.awk: MSLAB_REPORT_RE is not set" > "/dev/stderr"
		exit 2
	}
	expected_re = "mslab: (BUG|FIX) [^ ]+: "
	marker_re = "mslab-selftest: expect-reports (begin|end) [A-Za-z0-9_.-]+$"
	window = ""
	found = 0
}

function report(text) {
	print FNR ":" text
	found = 1
}

$0 ~ marker_re {
	what = $(NF - 1)
	name = $NF
	if (what == "begin") {
		if (window != "")
			report($0 " (inside window " window ", never ended)")
		window = name
		window_line = FNR
	} else if (window != name) {
		report($0 " (no window " name " is open)")
	} else {
		window = ""
	}
	next
}

/BUG: KCSAN: / && !/\[mslab/ {
	next
}

$0 ~ report_re {
	if (window != "" && $0 ~ expected_re)
		next
	report($0)
}

END {
	if (report_re == "")
		exit 2
	if (window != "") {
		print window_line ":mslab-selftest: expect-reports window " \
			window " was never ended"
		found = 1
	}
	exit found ? 0 : 1
}
