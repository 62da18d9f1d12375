#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Smoke test of mslab's benchmark (make bench), so that it never rots: runs
# bench/bench.sh with tiny loop counts in the QEMU VM and checks
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
#  init     "csv,init" lines of the init A/B: reuse and batch-fifo at
#           every size, for the kernel, slab and sheaves, with
#           init_on_alloc off and on (init_settings=alloc: see the run
#           below for why not init_on_free), with 14 fields,
#           min <= median <= max, median > 0, a ratio > 0 and 1.000 for
#           off; the kernel's init_on_alloc and init_on_free as the boot
#           set them afterwards: the module's own check, the same values
#           in the env line of every load (the kmalloc load comes after
#           the init A/B) and in the boot's "mem auto-init" line
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
# Keep in step with bench/bench_*.c: bench_batches[], sweep_sizes[],
# bulk_sizes[], debug_flags x debug_sizes, bench_ab_batches[],
# init_sizes[].
BATCHES="1 10 100 1000"
NR_SWEEP=13
NR_BULK=11
NR_DEBUG=12
NR_AB_BATCHES=2
NR_INIT=3
ALLOCS="kernel mslab"

ktap_print_header

ksft_require_mslab mslab mslab_bench

ncpus=$(grep -c ^processor /proc/cpuinfo)
# run, env, header, 11 patterns, init rows, init restored, memory,
# pages, unload, reports
ktap_set_plan 20

tag="mslab_bench_smoke-$$"
ksft_dmesg_mark "$tag"
out="$TMPDIR/mslab_bench_smoke.$$"

start=$(date +%s)
# Only init_on_alloc is switched here: switching init_on_free on at run
# time lets the page allocator skip zeroing __GFP_ZERO pages freed before
# (Documentation/bench.rst), which make check's kernel must not risk.
sh "$DIR/../bench/bench.sh" -l "$LOOPS" -r "$REPS" -s "$MEM_SIZES" \
	-n "$MEM_OBJS" -o init_settings=alloc >"$out.sh" 2>&1
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

# The init A/B: every pattern, size, setting and allocator once.
check_init() {
	settings="off alloc"
	grep '^csv,init,' "$out.k" >"$out.init"
	awk -F, -v reps="$REPS" -v n="$NR_INIT" -v settings="$settings" '
		NF == 14 && $9 == reps && $10 + 0 > 0 &&
		$11 + 0 <= $10 + 0 && $10 + 0 <= $12 + 0 && $14 + 0 > 0 &&
		$8 + 0 > 0 && ($6 != "off" || $14 == "1.000") {
			good[$3 "," $6 "," $7]++
			next
		}
		{ print "# bad init row: " $0; bad = 1 }
		END {
			ns = split(settings, st, " ")
			split("reuse batch-fifo", pat, " ")
			split("kernel slab sheaves", al, " ")
			for (i = 1; i <= 2; i++)
				for (j = 1; j <= ns; j++)
					for (k = 1; k <= 3; k++) {
						key = pat[i] "," st[j] "," al[k]
						if (good[key] != n) {
							print "# " key ": " good[key] + 0 " rows, want " n
							bad = 1
						}
					}
			exit bad
		}' "$out.init"
}

# init_on_alloc and init_on_free after the init A/B, as the boot set them.
check_init_restored() {
	ok=0
	grep -q "^init: restored the boot's" "$out.k" || {
		ktap_print_msg "no \"init: restored\" line"
		ok=1
	}
	vals=$(sed -n 's/^env: .* \(init_on_alloc=[01] init_on_free=[01]\) .*/\1/p' \
		"$out.k" | sort -u)
	n=$(echo "$vals" | grep -c .)
	ktap_print_msg "env lines: ${vals:-none}"
	if [ "$n" -ne 1 ] || [ "$(grep -c '^env: ' "$out.k")" -lt 2 ]; then
		ktap_print_msg "want one init_on_alloc/init_on_free value in 2 or more loads' env lines"
		ok=1
	fi
	# The boot's own line: "mem auto-init: stack:..., heap alloc:on, heap
	# free:off", unless the log ring lost it.
	boot=$(dmesg | sed -n 's/.*mem auto-init: .*heap alloc:\([a-z]*\), heap free:\([a-z]*\).*/\1 \2/p' | head -n 1)
	if [ -n "$boot" ]; then
		# shellcheck disable=SC2086 # two words
		set -- $boot
		want="init_on_alloc=$([ "$1" = on ] && echo 1 || echo 0) init_on_free=$([ "$2" = on ] && echo 1 || echo 0)"
		ktap_print_msg "boot: heap alloc:$1 heap free:$2"
		if [ "$vals" != "$want" ]; then
			ktap_print_msg "env has $vals, the boot $want"
			ok=1
		fi
	fi
	return $ok
}

if grep -q '^init: skipped' "$out.k"; then
	ktap_print_msg "$(grep '^init: skipped' "$out.k")"
	ktap_test_skip "init A/B rows"
else
	ktap_test_result "init A/B rows" check_init
fi
ktap_test_result "init_on_alloc and init_on_free restored" check_init_restored
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
