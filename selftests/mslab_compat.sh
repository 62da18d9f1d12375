#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Selftest of include/linux/mslab_compat.h, run as root in the QEMU VM
# (4 vCPUs, two NUMA nodes; scripts/vm-selftest.sh) under busybox sh.
#
# mslab_compat_client.ko is written in the kernel's slab API only and built
# with "-include mslab_compat.h" (selftests/modules/Kbuild). Loaded, it runs
# one kthread per CPU doing kmem_cache_*, kmalloc()..krealloc(), kfree_rcu()
# and bulk calls, and kfree()s memory of kstrdup()/kasprintf(); insmod
# fails if any of its checks failed. Then:
#
#  smp        it ran on every online CPU, with no error;
#  caches     its three caches are mslab's (/sys/kernel/mslab/<name>) and
#             not the kernel's (/sys/kernel/slab/<name>, /proc/slabinfo);
#  counters   the allocations of the mslab-kmalloc-* caches (alloc_fastpath
#             + alloc_slowpath) grew by at least the kmalloc-family calls
#             the client counted, and those of its own caches by at least
#             its cache and bulk allocations;
#  refused    mslab refused no free (no "refused to free" in the log);
#  unload     after rmmod of the client and a shrink of every cache,
#             debugfs reports "pages: 0" and only the size class caches;
#  kernel-rcu kfree_rcu() of kmemdup() memory (the kernel's) is not handed
#             to mslab (no "refused to free");
#  free-attr  a kmalloc() pointer freed by __free(kfree) goes back to mslab:
#             pages: 0 again afterwards;
#  reports    rmmod mslab succeeds; the kernel logged no report.
#
# MSLAB_MODULES names the directory holding the modules (default /modules).

DIR=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=selftests/ktap_helpers.sh
. "$DIR/ktap_helpers.sh"

MODULES=${MSLAB_MODULES:-/modules}
SECONDS_RUN=4
CLIENT_CACHES="mslab_compat_item mslab_compat_rcu mslab_compat_ctor"
STATS=/sys/kernel/debug/mslab/stats

ktap_print_header

ksft_require_mslab mslab mslab_compat_client

# insmod mslab, insmod client, smp, 3 caches x (mslab, not kernel),
# kmalloc counters, cache counters, refused, rmmod client, pages, caches,
# kernel-rcu insmod, kernel-rcu refused, free-attr insmod, free-attr pages,
# rmmod mslab, reports.
ktap_set_plan 21

tag="mslab_compat-$$"
ksft_dmesg_mark "$tag"

cleanup() {
	for m in mslab_compat_client mslab; do
		[ -d "/sys/module/$m" ] && rmmod "$m" 2>/dev/null
	done
}

# stat_total CACHE_GLOB STAT...: the sum of the STATs' totals (the first
# field of SLUB's "N C0=.. C1=.." format) over the caches matching the glob.
stat_total() {
	__glob=$1
	shift
	__sum=0
	for __d in /sys/kernel/mslab/$__glob; do
		[ -d "$__d" ] || continue
		for __s in "$@"; do
			__v=$(cut -d' ' -f1 "$__d/$__s" 2>/dev/null)
			__sum=$((__sum + ${__v:-0}))
		done
	done
	echo "$__sum"
}

# summary_field NAME: NAME=value from the client's summary line.
summary_field() {
	echo "$summary" | sed -n "s/.* $1=\([0-9]*\).*/\1/p"
}

refused_since() {
	dmesg | sed -n "/mslab-selftest: mark $1\$/,\$p" | grep 'refused to free'
}

if ! insmod "$MODULES/mslab.ko"; then
	ktap_test_fail "insmod mslab.ko"
	cleanup
	ktap_exit_fail_msg "cannot load mslab.ko"
fi
ktap_test_pass "insmod mslab.ko"
# The size classes, and their DMA twins where the kernel has ZONE_DMA.
nkmalloc=$(ls -d /sys/kernel/mslab/mslab-kmalloc-* /sys/kernel/mslab/mslab-dma-kmalloc-* 2>/dev/null | wc -l)

# --- the SMP run ----------------------------------------------------------

km_stats="alloc_fastpath alloc_slowpath"
km_before=$(stat_total 'mslab-kmalloc-*' $km_stats)
ncpus=$(grep -c ^processor /proc/cpuinfo)

ktap_print_msg "compat client: $SECONDS_RUN s on $ncpus CPUs"
ktap_test_result "insmod mslab_compat_client.ko (its checks passed)" \
	insmod "$MODULES/mslab_compat_client.ko" seconds="$SECONDS_RUN"
summary=$(dmesg | grep 'mslab_compat_client: cpus=' | tail -n 1 |
	sed 's/^\[[^]]*\] *//')
ktap_print_msg "${summary:-no summary line from mslab_compat_client}"
cpus=$(summary_field cpus)
errors=$(summary_field errors)
if [ "${cpus:-0}" -eq "$ncpus" ] && [ "${errors:-1}" -eq 0 ]; then
	ktap_test_pass "client ran on all $ncpus CPUs without error"
else
	ktap_test_fail "client ran on all $ncpus CPUs without error"
fi

for c in $CLIENT_CACHES; do
	ktap_test_result "cache $c is in /sys/kernel/mslab" \
		test -d "/sys/kernel/mslab/$c"
	if [ -e "/sys/kernel/slab/$c" ] || grep -q "^$c " /proc/slabinfo; then
		ktap_test_fail "cache $c is not the kernel's (/sys/kernel/slab, /proc/slabinfo)"
	else
		ktap_test_pass "cache $c is not the kernel's (/sys/kernel/slab, /proc/slabinfo)"
	fi
done

km_after=$(stat_total 'mslab-kmalloc-*' $km_stats)
kmallocs=$(summary_field kmalloc)
ktap_print_msg "mslab-kmalloc-* allocations: $km_before before, $km_after after (+$((km_after - km_before))); client kmalloc calls: ${kmallocs:-?}"
if [ -n "$kmallocs" ] && [ "$kmallocs" -gt 0 ] &&
   [ $((km_after - km_before)) -ge "$kmallocs" ]; then
	ktap_test_pass "mslab-kmalloc-* counters grew by the client's kmalloc calls"
else
	ktap_test_fail "mslab-kmalloc-* counters grew by the client's kmalloc calls"
fi

own=0
for c in $CLIENT_CACHES; do
	own=$((own + $(stat_total "$c" $km_stats)))
done
cache_allocs=$(summary_field cache_allocs)
bulk=$(summary_field bulk)
ktap_print_msg "client caches' allocations: $own; client cache_allocs + bulk: ${cache_allocs:-?} + ${bulk:-?}"
if [ -n "$cache_allocs" ] && [ -n "$bulk" ] && [ "$cache_allocs" -gt 0 ] &&
   [ "$own" -ge $((cache_allocs + bulk)) ]; then
	ktap_test_pass "client caches' counters grew by its allocations"
else
	ktap_test_fail "client caches' counters grew by its allocations"
fi

if refused=$(refused_since "$tag"); then
	echo "$refused" | head -n 5 | sed 's/^/#   /'
	ktap_test_fail "mslab refused no free of the client"
else
	ktap_test_pass "mslab refused no free of the client"
fi

# --- unload: everything back ----------------------------------------------

if [ -d /sys/module/mslab_compat_client ]; then
	ktap_test_result "rmmod mslab_compat_client" rmmod mslab_compat_client
else
	ktap_test_fail "rmmod mslab_compat_client (not loaded)"
fi
ksft_mslab_shrink_all
sed 's/^/#   /' "$STATS"
ktap_test_result "debugfs stats: pages: 0 once the client is gone" \
	test "$(ksft_mslab_stat pages)" = 0
ktap_test_result "debugfs stats: caches: $nkmalloc (the size classes) once the client is gone" \
	test "$(ksft_mslab_stat caches)" = "$nkmalloc"

# --- kfree_rcu() of the kernel's memory -----------------------------------

tag2="mslab_compat-rcu-$$"
ksft_dmesg_mark "$tag2"
ktap_test_result "insmod mslab_compat_client.ko mode=kernel-rcu" \
	insmod "$MODULES/mslab_compat_client.ko" mode=kernel-rcu
[ -d /sys/module/mslab_compat_client ] && rmmod mslab_compat_client
if refused=$(refused_since "$tag2"); then
	echo "$refused" | head -n 3 | sed 's/^/#   /'
	ktap_test_fail "kfree_rcu() of kmemdup() memory goes to the kernel, not mslab"
else
	ktap_test_pass "kfree_rcu() of kmemdup() memory goes to the kernel, not mslab"
fi

# --- __free(kfree) --------------------------------------------------------

ktap_test_result "insmod mslab_compat_client.ko mode=free-attr" \
	insmod "$MODULES/mslab_compat_client.ko" mode=free-attr
[ -d /sys/module/mslab_compat_client ] && rmmod mslab_compat_client
ksft_mslab_shrink_all
pages=$(ksft_mslab_stat pages)
ktap_print_msg "free-attr: pages: $pages"
ktap_test_result "__free(kfree) gives a kmalloc() back to mslab (pages: 0)" \
	test "$pages" = 0

# --- unload ---------------------------------------------------------------

ktap_test_result "rmmod mslab" rmmod mslab

ksft_test_no_reports "$tag"

cleanup
ktap_finished
