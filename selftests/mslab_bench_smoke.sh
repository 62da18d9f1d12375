#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Smoke test of mslab's benchmark (make bench), so that it never rots: runs
# selftests/bench/bench.sh with tiny loop counts in the QEMU VM and checks
# that it printed a well-formed table and CSV, with every pattern and
# positive figures. It checks no timing: that is make bench's business.
#
#  timing   "csv,time" lines for every pattern (reuse, batch-fifo and
#           batch-shuffled at 4 batch sizes, worst, the sweep at every size,
#           kmalloc at every sweep size, bulk at every bulk size, debug at
#           every flag set and size, the hardening A/B, and with 2 or more
#           CPUs remote and allcpu), each for the kernel and the
#           mslab variant (for kmalloc: mslab's kmalloc caches, the row
#           named after mslab's front end, slab by default; for debug:
#           slab; for the hardening A/B: slab_h0, slab_h1, sheaves_h0 and
#           sheaves_h1), with 13
#           fields, min <= median <= max, median > 0 and a ratio > 0; the
#           table header and the env line
#  memory   "csv,mem" lines for every size, phase and allocator, with the
#           live count of the phase, objs_per_slab > 0, pages > 0 and an
#           efficiency in (0, 100]
#  unload   mslab_bench and mslab unload, mslab held 0 pages, and the
#           kernel logged no report
#
# MSLAB_MODULES names the directory holding the modules (default /modules).

DIR=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=selftests/ktap_helpers.sh
. "$DIR/ktap_helpers.sh"

MODULES=${MSLAB_MODULES:-/modules}
TMPDIR=${TMPDIR:-/tmp}
LOOPS=1000
REPS=2
MEM_SIZES="64 700"
MEM_OBJS=2000
# Keep in step with mslab_bench.c: bench_batches[], sweep_sizes[],
# bulk_sizes[], debug_flags x debug_sizes, bench_ab_batches[].
BATCHES="1 10 100 1000"
NR_SWEEP=13
NR_BULK=11
NR_DEBUG=12
NR_AB_BATCHES=2
ALLOCS="kernel mslab"

ktap_print_header

ksft_require_mslab mslab mslab_bench

ncpus=$(grep -c ^processor /proc/cpuinfo)
# run, env, header, 11 patterns, memory, pages, unload, reports
ktap_set_plan 18

tag="mslab_bench_smoke-$$"
ksft_dmesg_mark "$tag"
out="$TMPDIR/mslab_bench_smoke.$$"

start=$(date +%s)
sh "$DIR/bench/bench.sh" -l "$LOOPS" -r "$REPS" -s "$MEM_SIZES" \
	-n "$MEM_OBJS" >"$out.sh" 2>&1
rc=$?
ktap_print_msg "bench.sh ran for $(($(date +%s) - start)) s, exit $rc"
sed 's/^/#   /' "$out.sh"
ktap_test_result "bench.sh -l $LOOPS -r $REPS runs" [ "$rc" -eq 0 ]

# The kernel's lines since the mark, without timestamps and prefix.
dmesg | sed -n "/mslab-selftest: mark $tag\$/,\$p" |
	sed -n 's/^\[[ 0-9.]*\] *mslab_bench: //p' >"$out.k"
grep '^csv,time,' "$out.k" >"$out.time"

ktap_test_result "env line" grep -q '^env: cpus=' "$out.k"
ktap_test_result "table header" grep -q '^pattern .*ratio$' "$out.k"

# check_time PATTERN ROWS [ALLOCS]: ROWS well-formed lines per allocator
# of ALLOCS (default $ALLOCS).
check_time() {
	ok=0
	for a in ${3:-$ALLOCS}; do
		n=$(awk -F, -v p="$1" -v a="$a" -v reps="$REPS" '
			$3 == p && $6 == a && NF == 13 && $8 == reps &&
			$9 + 0 > 0 && $10 + 0 <= $9 + 0 && $9 + 0 <= $11 + 0 &&
			$13 + 0 > 0 && $7 + 0 > 0 { n++ }
			END { print n + 0 }' "$out.time")
		if [ "$n" -ne "$2" ]; then
			ktap_print_msg "$1 $a: $n well-formed rows, want $2"
			ok=1
		fi
	done
	return $ok
}

# shellcheck disable=SC2086 # count the words
nb=$(set -- $BATCHES; echo $#)
ktap_test_result "pattern reuse" check_time reuse 1
ktap_test_result "pattern batch-fifo" check_time batch-fifo "$nb"
ktap_test_result "pattern batch-shuffled" check_time batch-shuffled "$nb"
ktap_test_result "pattern worst" check_time worst 1
ktap_test_result "pattern sweep" check_time sweep "$NR_SWEEP"
# mslab's kmalloc caches have the front end of its "sheaves" parameter,
# which bench.sh printed and named the mslab row after.
kfront=slab
grep -q '^mslab_bench: mslab:.* sheaves=[Yy1]' "$out.sh" && kfront=sheaves
ktap_test_result "pattern kmalloc" check_time kmalloc "$NR_SWEEP" \
	"kernel $kfront"
ktap_test_result "pattern bulk" check_time bulk "$NR_BULK"
# Every flag set at every size, reuse and batch FIFO, kernel against slab.
check_debug() {
	check_time debug-reuse "$NR_DEBUG" "kernel slab" &&
		check_time debug-fifo100 "$NR_DEBUG" "kernel slab"
}
ktap_test_result "pattern debug" check_debug
# bench.sh's hardening A/B: each front end with hardening off and on.
check_ab() {
	ab_allocs="kernel slab_h0 slab_h1 sheaves_h0 sheaves_h1"
	check_time ab-reuse 1 "$ab_allocs" &&
		check_time ab-batch-fifo "$NR_AB_BATCHES" "$ab_allocs"
}
ktap_test_result "hardening A/B" check_ab
if [ "$ncpus" -ge 2 ]; then
	# One consumer on the producer's node, one on another if there is.
	nodes=$(find /sys/devices/system/node -maxdepth 1 -name 'node[0-9]*' 2>/dev/null | wc -l)
	nremote=1
	[ "$nodes" -ge 2 ] && nremote=2
	ktap_test_result "pattern remote" check_time remote "$nremote"
	ktap_test_result "pattern allcpu" check_time allcpu 1
else
	ktap_test_skip "pattern remote (one CPU)"
	ktap_test_skip "pattern allcpu (one CPU)"
fi

# Memory: every size x phase x allocator, from bench.sh's output.
check_mem() {
	sed -n 's/^mslab_bench: csv,mem,//p' "$out.sh" >"$out.mem"
	awk -F, -v sizes="$MEM_SIZES" -v allocs="$ALLOCS" -v n="$MEM_OBJS" '
		{
			live = $2 == "fill" ? n : int(n / 2)
			if (NF == 15 && $4 == live && $8 > 0 && $10 > 0 &&
			    $14 > 0 && $14 <= 100)
				good[$1 "," $2 "," $3]++
			else
				print "bad memory row: " $0
		}
		END {
			ns = split(sizes, s, " ")
			na = split(allocs, a, " ")
			split("fill half shrink", ph, " ")
			bad = 0
			for (i = 1; i <= ns; i++)
				for (j = 1; j <= 3; j++)
					for (k = 1; k <= na; k++) {
						key = s[i] "," ph[j] "," a[k]
						if (good[key] != 1) {
							print "no memory row " key
							bad = 1
						}
					}
			exit bad
		}' "$out.mem" >"$out.memerr"
	st=$?
	sed 's/^/# /' "$out.memerr"
	return $st
}
ktap_test_result "memory rows for sizes $MEM_SIZES, $MEM_OBJS objects" check_mem

# bench.sh loaded mslab and unloads both modules when done.
unloaded() {
	[ ! -d /sys/module/mslab_bench ] && [ ! -d /sys/module/mslab ]
}
ktap_test_result "mslab_bench and mslab unloaded" unloaded
# mslab's count of pages held, read before unload by bench.sh: the last
# shrink row of each mslab cache matched the cache's slabs x pages.
check_pages() {
	awk -F, '$3 != "kernel" && $15 != $10 { bad = 1;
		print "# mslab debugfs pages " $15 " != sysfs pages " $10 }
		END { exit bad }' "$out.mem"
}
ktap_test_result "mslab's debugfs pages equal its caches' slabs x pages" \
	check_pages

ksft_test_no_reports "$tag"

for m in mslab_bench mslab; do
	[ -d "/sys/module/$m" ] && rmmod "$m" 2>/dev/null
done
rm -f "$out".*
ktap_finished
