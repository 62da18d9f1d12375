#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# mslab's benchmark inside the guest (the UML bench kernel or the QEMU VM),
# under busybox sh. bench/run.sh (make bench) runs it with full loop
# counts, selftests/mslab_bench_smoke.sh with tiny ones.
#
#   bench.sh [-l LOOPS] [-r REPS] [-p PATTERNS] [-v VARIANTS]
#            [-s "MEMORY SIZES"] [-n MEMORY_OBJECTS] [-o "MODULE PARAMS"]
#            [-m "MSLAB PARAMS"] [-k KMALLOC_FRONT_ENDS]
#
# 1. Loads mslab.ko (unless loaded; with -m's parameters, e.g.
#    "hardened=0 random_freelist=0" to match a kernel built without SLUB's
#    freelist hardening) and mslab_bench.ko (with -o's), whose init runs
#    the timing patterns (-p, default all; "none" for none) with -l pairs
#    per timed loop and -r timed rounds, and prints the table and the
#    "csv,time,..." lines to the kernel log (Documentation/bench.rst).
#    The kmalloc pattern is not part of this load: see 3; nor is the
#    hardening A/B: see 4. The init A/B (pattern "init") is: the module
#    switches the kernel's init_on_alloc and init_on_free between its
#    timed loops, times the kernel's cache and an mslab cache of each front
#    end under each setting, prints "csv,init,..." lines, and restores the
#    boot's values.
# 2. Measures memory through /sys/kernel/debug/mslab_bench/mem: for each
#    size of -s and each allocator (the kernel, then each mslab variant of
#    -v), one cache at a time: allocate -n objects, free a random half,
#    shrink; after each phase it reads the cache's sysfs directory and
#    prints a table row and a line
#      mslab_bench: csv,mem,SIZE,PHASE,ALLOC,LIVE,OBJECT_SIZE,SLAB_SIZE,
#        ORDER,OBJS_PER_SLAB,SLABS,PAGES,PARTIAL,CPU_SLABS,LOSS,EFF,DEBUGFS_PAGES
#    with slabinfo's definitions (tools/mm/slabinfo.c): PAGES = SLABS <<
#    ORDER, LOSS = PAGES * PAGE_SIZE - LIVE * OBJECT_SIZE bytes, EFF =
#    LIVE * OBJECT_SIZE * 100 / (PAGES * PAGE_SIZE). LIVE is the number of
#    objects the bench holds (slabinfo uses the "objects" attribute, which
#    also counts the free objects of per-CPU slabs). DEBUGFS_PAGES is
#    mslab's own count of the pages it holds (all caches), "-" for the
#    kernel.
# 3. The kmalloc pattern (kmalloc() against mslab_kmalloc()), after the
#    memory measurement, whose check that mslab's page count equals the
#    bench cache's needs mslab's kmalloc caches empty: mslab_bench is
#    loaded again with patterns=kmalloc. The pattern measures mslab's
#    kmalloc caches, whose front end is mslab's module parameter "sheaves";
#    its mslab row is named after it, slab or sheaves. With -k (e.g.
#    "slab,sheaves") and an mslab this script loaded, it runs once per
#    front end named, each time with mslab reloaded with that sheaves=.
#    It runs after 4.
# 4. The hardening A/B (pattern "hardening"), in the load of 1, through
#    /sys/kernel/debug/mslab_bench/ab: with mslab's parameters hardened and
#    random_freelist set to 0, then to 1, it creates an mslab cache of each
#    front end under each setting (slab_h0, sheaves_h0, slab_h1,
#    sheaves_h1: each cache reads them when created), times them with the
#    kernel's in one rotation, and sets the parameters back.
# 5. Unloads what it loaded. Exits non-zero on any failure.
#
# Modules come from $MSLAB_MODULES (default /modules).

MODULES=${MSLAB_MODULES:-/modules}
PAGE_SIZE=4096

loops=1000000
reps=5
patterns=all
variants=mslab
memsizes="8 64 192 256 700 1024 4096"
memobjs=100000
params=
mslab_params=
kfronts=
# Keep in step with bench_patterns[] in bench/bench_main.c.
# "hardening" is this script's (4).
all_patterns="reuse,batch,worst,sweep,kmalloc,bulk,debug,init,remote,allcpu,hardening"

while getopts 'l:r:p:v:s:n:o:m:k:' opt; do
	case $opt in
	l) loops=$OPTARG ;;
	r) reps=$OPTARG ;;
	p) patterns=$OPTARG ;;
	v) variants=$OPTARG ;;
	s) memsizes=$OPTARG ;;
	n) memobjs=$OPTARG ;;
	o) params=$OPTARG ;;
	m) mslab_params=$OPTARG ;;
	k) kfronts=$OPTARG ;;
	*) echo "usage: bench.sh [-l loops] [-r reps] [-p patterns] [-v variants] [-s sizes] [-n objects] [-o params] [-m mslab params] [-k kmalloc front ends]" >&2
	   exit 2 ;;
	esac
done
[ "$patterns" = none ] && patterns=
[ "$patterns" = all ] && patterns=$all_patterns

say() {
	echo "mslab_bench: $*"
}

fail() {
	say "FAIL: $*"
	cleanup
	exit 1
}

loaded_mslab=
cleanup() {
	if [ -d /sys/module/mslab_bench ]; then
		echo del >"$ctl" 2>/dev/null
		rmmod mslab_bench
	fi
	[ -n "$loaded_mslab" ] && [ -d /sys/module/mslab ] && rmmod mslab
}

# first FILE: the first field of a sysfs attribute ("12 N0=6 N1=6").
first() {
	# shellcheck disable=SC2046 # split into fields
	set -- $(cat "$1" 2>/dev/null)
	echo "${1:--}"
}

ctl=/sys/kernel/debug/mslab_bench/mem

if [ ! -d /sys/module/mslab ]; then
	# shellcheck disable=SC2086 # a list of module parameters
	insmod "$MODULES/mslab.ko" $mslab_params || fail "insmod mslab.ko"
	loaded_mslab=1
fi
[ -d /sys/module/mslab_bench ] && rmmod mslab_bench

# mslab_params_line: print mslab's parameters.
mslab_params_line() {
	mp=
	for f in /sys/module/mslab/parameters/*; do
		[ -r "$f" ] && mp="$mp ${f##*/}=$(cat "$f")"
	done
	say "mslab:${mp:- no parameters}"
}

# kmalloc_front: the front end of mslab's kmalloc caches, as loaded.
kmalloc_front() {
	case $(cat /sys/module/mslab/parameters/sheaves 2>/dev/null) in
	Y|y|1) echo sheaves ;;
	N|n|0) echo slab ;;
	*) echo mslab ;;
	esac
}

# bench_load PATTERNS: load mslab_bench, which runs the timing PATTERNS.
bench_load() {
	say "timing: patterns=${1:-none} loops=$loops reps=$reps variants=$variants $params"
	# shellcheck disable=SC2086 # $params is a list of module parameters
	insmod "$MODULES/mslab_bench.ko" patterns="$1" loops="$loops" \
		reps="$reps" variants="$variants" \
		kmalloc_front="$(kmalloc_front)" $params ||
		fail "insmod mslab_bench.ko (see the kernel log)"
}

# The kmalloc pattern apart, after the memory measurement (see 3).
kapart=
case ",$patterns," in
*,kmalloc,*)
	kapart=1
	patterns=$(echo ",$patterns," | sed 's/,kmalloc,/,/; s/^,//; s/,$//')
	if [ -n "$kfronts" ] && [ -z "$loaded_mslab" ]; then
		say "kmalloc: mslab was loaded already: -k $kfronts ignored"
		kfronts=
	fi
	;;
esac
# The hardening A/B apart too, after the memory measurement (see 4).
hapart=
case ",$patterns," in
*,hardening,*)
	hapart=1
	patterns=$(echo ",$patterns," | sed 's/,hardening,/,/; s/^,//; s/,$//')
	;;
esac
for fe in $(echo "$kfronts" | tr ',' ' '); do
	case $fe in
	slab|sheaves) ;;
	*) fail "-k: unknown front end $fe (slab, sheaves)" ;;
	esac
done

kfence=$(cat /sys/module/kfence/parameters/sample_interval 2>/dev/null)
say "guest: $(uname -r), kfence.sample_interval=${kfence:-none (no kfence)}, $(grep -c ^processor /proc/cpuinfo) CPUs"
mslab_params_line
bench_load "$patterns"

# kmalloc_apart: the kmalloc pattern in a load of its own, with the mslab
# loaded, or once per front end of -k, each with mslab reloaded.
kmalloc_apart() {
	if [ -z "$kfronts" ]; then
		rmmod mslab_bench || fail "rmmod mslab_bench"
		bench_load kmalloc
		return
	fi
	for fe in $(echo "$kfronts" | tr ',' ' '); do
		sv=0
		[ "$fe" = sheaves ] && sv=1
		rmmod mslab_bench || fail "rmmod mslab_bench"
		rmmod mslab || fail "rmmod mslab"
		# shellcheck disable=SC2086 # a list of module parameters
		insmod "$MODULES/mslab.ko" $mslab_params sheaves=$sv ||
			fail "insmod mslab.ko sheaves=$sv"
		mslab_params_line
		bench_load kmalloc
	done
}

# hardening_ab: mslab caches of both front ends created with hardened=0
# random_freelist=0 and with both 1, timed with the kernel's in one load.
hardening_ab() {
	ab=/sys/kernel/debug/mslab_bench/ab
	pdir=/sys/module/mslab/parameters
	[ -w "$ab" ] || fail "no $ab (is debugfs mounted?)"
	if [ ! -w "$pdir/hardened" ] || [ ! -w "$pdir/random_freelist" ]; then
		fail "hardening: mslab's parameters are not writable"
	fi
	old_h=$(cat "$pdir/hardened")
	old_r=$(cat "$pdir/random_freelist")
	say "hardening: caches made with hardened=random_freelist=0 (_h0) and =1 (_h1)"
	for fe in slab sheaves; do
		for h in 0 1; do
			echo "$h" >"$pdir/hardened" ||
				fail "hardening: setting mslab's hardened"
			echo "$h" >"$pdir/random_freelist" ||
				fail "hardening: setting mslab's random_freelist"
			echo "add ${fe}_h$h" >"$ab" || fail "hardening: add ${fe}_h$h"
		done
	done
	echo "$old_h" >"$pdir/hardened"
	echo "$old_r" >"$pdir/random_freelist"
	echo run >"$ab" || fail "hardening: run (see the kernel log)"
}

if [ -z "$memsizes" ]; then
	[ -n "$hapart" ] && hardening_ab
	[ -n "$kapart" ] && kmalloc_apart
	cleanup
	say "done"
	exit 0
fi
[ -w "$ctl" ] || fail "no $ctl (is debugfs mounted?)"
allocs=$(sed -n 's/^allocators: //p' "$ctl")

# mem_row SIZE PHASE ALLOC DIR LIVE: one table row and one CSV line.
mem_row() {
	dir=$4
	[ -d "$dir" ] || fail "no sysfs directory $dir"
	dbg=-
	if [ "$3" != kernel ]; then
		dbg=$(sed -n 's/^pages: *//p' /sys/kernel/debug/mslab/stats)
	fi
	echo "$1 $2 $3 $5 $(first "$dir/object_size") $(first "$dir/slab_size") \
$(first "$dir/order") $(first "$dir/objs_per_slab") $(first "$dir/slabs") \
$(first "$dir/partial") $(first "$dir/cpu_slabs") ${dbg:--}" |
	awk -v ps="$PAGE_SIZE" '{
		size = $1; phase = $2; alloc = $3; live = $4; osz = $5
		ssz = $6; order = $7; ops = $8; slabs = $9; part = $10
		cpu = $11; dbg = $12
		# busybox awk may lack math support: no ^ operator.
		pages = slabs
		for (i = 0; i < order; i++)
			pages *= 2
		bytes = pages * ps
		used = live * osz
		loss = bytes - used
		eff = bytes > 0 ? used * 100 / bytes : 0
		printf "mslab_bench: %5d %-6s %-8s %7d %3d %3d %7d %8d %7d %4d %10.1f %5.1f\n",
			size, phase, alloc, live, ops, order, slabs, pages,
			part, cpu, loss / 1024, eff
		printf "mslab_bench: csv,mem,%d,%s,%s,%d,%d,%d,%d,%d,%d,%d,%d,%d,%d,%.1f,%s\n",
			size, phase, alloc, live, osz, ssz, order, ops, slabs,
			pages, part, cpu, loss, eff, dbg
	}' || fail "mem: awk"
}

say "memory: $memobjs objects per cache; after fill, after freeing a random half, after shrink"
say " size phase  alloc       live O/S ord   slabs    pages partial  cpu   loss KiB  eff%"
for size in $memsizes; do
	for a in $allocs; do
		echo "new $a $size $memobjs" >"$ctl" ||
			fail "mem: new $a $size $memobjs"
		dir=$(sed -n 's/^sysfs: //p' "$ctl")
		for phase in fill half shrink; do
			echo "$phase" >"$ctl" || fail "mem: $phase $a $size"
			live=$(sed -n 's/^live: //p' "$ctl")
			mem_row "$size" "$phase" "$a" "$dir" "$live"
		done
		echo del >"$ctl" || fail "mem: del $a $size"
	done
done

[ -n "$hapart" ] && hardening_ab
[ -n "$kapart" ] && kmalloc_apart
cleanup
say "done"
