#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Selftest of what mslab lets one see, run as root in the QEMU VM (4 vCPUs,
# two NUMA nodes; scripts/vm-selftest.sh) under busybox sh:
#
#  files     every cache has SLUB 6.12's attribute files with SLUB's modes,
#            every file of every cache is readable, every cache has a
#            debugfs state file
#  figures   mslab_introspect.ko allocates in two caches on both nodes and
#            frees a third; once the caches are shrunk, objects, slabs,
#            partial, objects_partial, total_objects and cpu_slabs, in total
#            and per node, equal what the client finds from its own objects
#            (page_to_nid(), compound_head()); so do the state dump and the
#            debugfs slabinfo
#  stats     alloc_fastpath + alloc_slowpath equal the client's allocations
#            and free_fastpath + free_slowpath its frees, at load and across
#            a churn of N more; writing 0 clears a counter
#  writes    garbage, negative, huge and empty writes to every writable file
#            fail and change nothing; valid writes work
#  race      every file is read in a loop while a kthread on another CPU
#            creates and destroys caches; nothing crashes, nothing leaks
#  slabinfo  the kernel's tools/mm/slabinfo (selftests/bin/slabinfo, from
#            scripts/build-slabinfo.sh) over /sys/kernel/mslab bind-mounted
#            on /sys/kernel/slab shows the client's object counts (skipped
#            without the binary)
#  unload    pages back to 0, directories gone, no kernel report
#
# MSLAB_MODULES names the directory holding the modules (default /modules).

DIR=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=selftests/ktap_helpers.sh
. "$DIR/ktap_helpers.sh"

MODULES=${MSLAB_MODULES:-/modules}
SYSFS=/sys/kernel/mslab
DEBUGFS=/sys/kernel/debug/mslab
PARAMS=/sys/module/mslab_introspect/parameters
SLABINFO=${MSLAB_SLABINFO:-$DIR/bin/slabinfo}
CACHES="intro-small intro-big"
CHURN=1000
CYCLE_SECONDS=6

# SLUB 6.12's slab_attrs[] that apply to mslab, and their modes; mslab's
# own (sheaf_capacity as SLUB 6.18's, layouts), and the debug flags, which
# mslab can switch at run time.
RO_ATTRS="slab_size object_size objs_per_slab order objects objects_partial
	partial cpu_slabs slabs total_objects slabs_cpu_partial ctor aliases
	align hwcache_align reclaim_account destroy_by_rcu cache_dma usersize
	sheaf_capacity layouts"
STAT_ATTRS="alloc_fastpath alloc_slowpath free_fastpath free_slowpath
	free_frozen free_add_partial free_remove_partial alloc_from_partial
	alloc_slab alloc_refill alloc_node_mismatch free_slab cpuslab_flush
	deactivate_full deactivate_empty deactivate_to_head deactivate_to_tail
	deactivate_remote_frees deactivate_bypass order_fallback
	cmpxchg_double_cpu_fail cmpxchg_double_fail cpu_partial_alloc
	cpu_partial_free cpu_partial_node cpu_partial_drain
	sheaf_flush sheaf_refill sheaf_alloc sheaf_free barn_get barn_get_fail
	barn_put barn_put_fail"
RW_ATTRS="min_partial cpu_partial remote_node_defrag_ratio shrink validate
	sanity_checks red_zone poison store_user trace $STAT_ATTRS"

ktap_print_header

ksft_require_mslab mslab mslab_introspect

ktap_set_plan 43

tag="mslab_introspect-$$"
ksft_dmesg_mark "$tag"

cleanup() {
	grep -q ' /sys/kernel/slab ' /proc/mounts && umount /sys/kernel/slab
	for m in mslab_introspect mslab; do
		[ -d "/sys/module/$m" ] && rmmod "$m" 2>/dev/null
	done
}

# first FILE: the first word of FILE (the total of "total N0=x N1=y").
first() {
	read -r __v __rest <"$1" && echo "$__v"
}

# node_of FILE NODE: the "N<NODE>=" figure of FILE, 0 when absent.
node_of() {
	__v=$(tr ' ' '\n' <"$1" | sed -n "s/^N$2=//p")
	echo "${__v:-0}"
}

# truth CACHE NODE FIELD: the client's figure (see mslab_introspect.c).
truth() {
	awk -v c="$1" -v n="N$2" -v f="$3" \
		'$1 == c && $2 == n { for (i = 3; i < NF; i += 2) if ($i == f) print $(i + 1) }' \
		"$PARAMS/truth"
}

# truth_total CACHE FIELD: the client's figure summed over the nodes.
truth_total() {
	awk -v c="$1" -v f="$2" \
		'$1 == c && $2 ~ /^N/ { for (i = 3; i < NF; i += 2) if ($i == f) s += $(i + 1) } END { print s + 0 }' \
		"$PARAMS/truth"
}

# truth_head CACHE FIELD: allocs, frees, live or objs_per_slab.
truth_head() {
	awk -v c="$1" -v f="$2" \
		'$1 == c && $2 == "allocs" { for (i = 2; i < NF; i += 2) if ($i == f) print $(i + 1) }' \
		"$PARAMS/truth"
}

if ! insmod "$MODULES/mslab.ko"; then
	ktap_test_fail "insmod mslab.ko"
	cleanup
	ktap_exit_fail_msg "cannot load mslab.ko"
fi
ktap_test_pass "insmod mslab.ko"
base_caches=$(sed -n 's/^caches: *//p' "$DEBUGFS/stats")

if ! insmod "$MODULES/mslab_introspect.ko"; then
	ktap_test_fail "insmod mslab_introspect.ko"
	cleanup
	ktap_exit_fail_msg "cannot load mslab_introspect.ko"
fi
ktap_test_pass "insmod mslab_introspect.ko"
ncaches=$(ls "$SYSFS" | wc -l)
ktap_print_msg "$ncaches caches in $SYSFS ($base_caches before the client)"

# --- files ----------------------------------------------------------------

# One stat for every file (a stat per file cost 40 s under TCG); awk
# checks each cache for each attribute and its mode.
# shellcheck disable=SC2086 # the lists, one word per attribute
problems=$(stat -c '%a %n' "$SYSFS"/*/* | awk -v ro="$(echo $RO_ATTRS)" \
	-v rw="$(echo $RW_ATTRS)" '
	BEGIN {
		n = split(ro, r, " ")
		for (i = 1; i <= n; i++)
			want[r[i]] = "400"
		n = split(rw, w, " ")
		for (i = 1; i <= n; i++)
			want[w[i]] = "600"
	}
	{
		dir = $2
		sub("/[^/]*$", "", dir)
		seen[dir] = 1
		mode[$2] = $1
	}
	END {
		for (c in seen)
			for (a in want)
				if (!((c "/" a) in mode))
					print "missing: " c "/" a
				else if (mode[c "/" a] != want[a])
					print "mode " mode[c "/" a] ", not " want[a] ": " c "/" a
	}')
missing=0 badmode=0
if [ -n "$problems" ]; then
	echo "$problems" | sed 's/^/# /'
	missing=$(echo "$problems" | grep -c '^missing: ')
	badmode=$(echo "$problems" | grep -c '^mode ')
fi
ktap_test_result "sysfs: SLUB's attribute files in every cache" [ "$missing" -eq 0 ]
ktap_test_result "sysfs: SLUB's modes (0400 read-only, 0600 writable)" [ "$badmode" -eq 0 ]

# One cat for all (a fork per file cost 80 s under TCG): it reads on past
# a file it cannot read and names that file on stderr.
set -- "$SYSFS"/*/*
nfiles=$#
errs=$(cat "$@" 2>&1 >/dev/null)
unreadable=0
[ -z "$errs" ] || unreadable=$(echo "$errs" | wc -l)
[ -z "$errs" ] || ktap_print_msg "cannot read: $errs"
ktap_print_msg "read $nfiles sysfs files"
ktap_test_result "sysfs: every file of every cache readable" [ "$unreadable" -eq 0 ]

nostate=0
for c in "$SYSFS"/*; do
	n=$(basename "$c")
	cat "$DEBUGFS/$n/state" >/dev/null || nostate=$((nostate + 1))
done
head -n 3 "$DEBUGFS/slabinfo" | sed 's/^/#   /'
ktap_test_result "debugfs: a readable state file per cache, and slabinfo" \
	[ "$nostate" -eq 0 -a \
	"$(head -n 1 "$DEBUGFS/slabinfo")" = "slabinfo - version: 2.1" ]

flags_ok=1
[ "$(cat "$SYSFS/intro-big/hwcache_align")" = 1 ] || flags_ok=0
[ "$(cat "$SYSFS/intro-small/hwcache_align")" = 0 ] || flags_ok=0
for c in $CACHES; do
	for a in aliases reclaim_account destroy_by_rcu cache_dma usersize \
		sanity_checks trace red_zone poison store_user; do
		[ "$(cat "$SYSFS/$c/$a")" = 0 ] || {
			ktap_print_msg "$c/$a: $(cat "$SYSFS/$c/$a")"
			flags_ok=0
		}
	done
done
ktap_test_result "sysfs: flag files (hwcache_align 1 only for intro-big, others 0)" \
	[ "$flags_ok" -eq 1 ]

# --- stats at load (before anything else touches the caches) --------------

for c in $CACHES; do
	allocs=$(truth_head "$c" allocs)
	frees=$(truth_head "$c" frees)
	a=$(($(first "$SYSFS/$c/alloc_fastpath") + $(first "$SYSFS/$c/alloc_slowpath")))
	f=$(($(first "$SYSFS/$c/free_fastpath") + $(first "$SYSFS/$c/free_slowpath")))
	ktap_print_msg "$c: client allocs $allocs frees $frees; alloc_fastpath + alloc_slowpath $a, free_fastpath + free_slowpath $f"
	ktap_test_result "stats: $c alloc_fastpath + alloc_slowpath == allocations ($allocs)" \
		[ "$a" = "$allocs" ]
	ktap_test_result "stats: $c free_fastpath + free_slowpath == frees ($frees)" \
		[ "$f" = "$frees" ]
done

c=intro-small
a0=$(($(first "$SYSFS/$c/alloc_fastpath") + $(first "$SYSFS/$c/alloc_slowpath")))
f0=$(($(first "$SYSFS/$c/free_fastpath") + $(first "$SYSFS/$c/free_slowpath")))
echo "$CHURN" >"$PARAMS/churn"
a1=$(($(first "$SYSFS/$c/alloc_fastpath") + $(first "$SYSFS/$c/alloc_slowpath")))
f1=$(($(first "$SYSFS/$c/free_fastpath") + $(first "$SYSFS/$c/free_slowpath")))
ktap_print_msg "$c after $CHURN alloc/free pairs: allocs +$((a1 - a0)), frees +$((f1 - f0)); alloc_fastpath $(cat "$SYSFS/$c/alloc_fastpath")"
ktap_test_result "stats: $CHURN more allocations counted once each" [ $((a1 - a0)) -eq "$CHURN" ]
ktap_test_result "stats: $CHURN more frees counted once each" [ $((f1 - f0)) -eq "$CHURN" ]

# --- figures --------------------------------------------------------------

nodes=$(ls -d /sys/devices/system/node/node[0-9]* 2>/dev/null | wc -l)
for c in $CACHES; do
	echo 1 >"$SYSFS/$c/shrink"
done
sed 's/^/#   truth: /' "$PARAMS/truth"

# check_figure CACHE ATTR TRUTHFIELD: total and every node agree.
check_figure() {
	__ok=0
	__want=$(truth_total "$1" "$3")
	__got=$(first "$SYSFS/$1/$2")
	[ "$__got" = "$__want" ] || __ok=1
	for __n in $(seq 0 $((nodes - 1))); do
		__w=$(truth "$1" "$__n" "$3")
		__g=$(node_of "$SYSFS/$1/$2" "$__n")
		[ "$__g" = "${__w:-0}" ] || __ok=1
	done
	[ "$__ok" -eq 0 ] || ktap_print_msg "$1/$2: '$(cat "$SYSFS/$1/$2")', client: $3 $__want"
	return "$__ok"
}

for c in $CACHES; do
	ops=$(truth_head "$c" objs_per_slab)
	ktap_print_msg "$c: objects $(cat "$SYSFS/$c/objects"), slabs $(cat "$SYSFS/$c/slabs"), partial $(cat "$SYSFS/$c/partial")"
	ktap_test_result "figures: $c objects (total and per node)" check_figure "$c" objects objects
	ktap_test_result "figures: $c slabs (total and per node)" check_figure "$c" slabs slabs
	ktap_test_result "figures: $c partial (total and per node)" check_figure "$c" partial partial
	ktap_test_result "figures: $c objects_partial (total and per node)" \
		check_figure "$c" objects_partial objects_partial
	want=$(($(truth_total "$c" slabs) * ops))
	ktap_test_result "figures: $c total_objects == slabs * objs_per_slab ($want)" \
		[ "$(first "$SYSFS/$c/total_objects")" = "$want" -a \
		"$(cat "$SYSFS/$c/objs_per_slab")" = "$ops" ]
	ktap_test_result "figures: $c cpu_slabs 0 and slabs_cpu_partial 0(0) once shrunk" \
		[ "$(first "$SYSFS/$c/cpu_slabs")" = 0 -a \
		"$(cat "$SYSFS/$c/slabs_cpu_partial")" = "0(0)" ]
	if [ "$nodes" -ge 2 ]; then
		ktap_test_result "figures: $c has objects on node 0 and node 1" \
			[ "$(node_of "$SYSFS/$c/objects" 0)" -gt 0 -a \
			"$(node_of "$SYSFS/$c/objects" 1)" -gt 0 ]
	else
		ktap_test_skip "figures: $c has objects on node 0 and node 1 (one node)"
	fi

	state="$DEBUGFS/$c/state"
	live=$(truth_head "$c" live)
	s_inuse=$(sed -n 's/^total: slabs [0-9]* objects [0-9]* inuse //p' "$state")
	s_slabs=$(awk '$1 == "hist-all" { print $NF }' "$state")
	s_part=$(awk '$1 ~ /^node[0-9]+$/ && $2 == "slabs" { for (i = 3; i < NF; i++) if ($i == "partial" || $i == "retired") s += $(i + 1) } END { print s + 0 }' "$state")
	s_sum=$(awk '$1 == "hist-all" { for (i = 2; i < NF; i++) s += $i } END { print s + 0 }' "$state")
	ktap_print_msg "$c state: inuse $s_inuse, slabs $s_slabs (histogram sum $s_sum), node partial $s_part"
	ktap_test_result "debugfs: $c state: inuse == live, histogram == slabs, partial lists == partial" \
		[ "$s_inuse" = "$live" -a "$s_slabs" = "$(first "$SYSFS/$c/slabs")" -a \
		"$s_sum" = "$s_slabs" -a "$s_part" = "$(first "$SYSFS/$c/partial")" ]

	line=$(awk -v c="$c" '$1 == c' "$DEBUGFS/slabinfo")
	ktap_print_msg "slabinfo: $line"
	set -- $line
	ktap_test_result "debugfs: $c slabinfo active_objs == live, num_objs == total_objects, slabs" \
		[ "$2" = "$live" -a "$3" = "$(first "$SYSFS/$c/total_objects")" -a \
		"${15}" = "$(first "$SYSFS/$c/slabs")" ]
done

# --- slabinfo over the bind mount -----------------------------------------

if [ -x "$SLABINFO" ] && [ -d /sys/kernel/slab ] &&
		mount --bind "$SYSFS" /sys/kernel/slab; then
	out=$("$SLABINFO" 2>&1)
	echo "$out" | sed 's/^/#   /'
	for c in $CACHES; do
		got=$(echo "$out" | awk -v c="$c" '$1 == c { print $2 }')
		ktap_test_result "tools/mm/slabinfo over the bind mount: $c objects == live" \
			[ "$got" = "$(truth_head "$c" live)" ]
	done
	"$SLABINFO" -r intro-small 2>&1 | head -n 30 | sed 's/^/#   /'
	umount /sys/kernel/slab
else
	for c in $CACHES; do
		ktap_test_skip "tools/mm/slabinfo over the bind mount: $c (no $SLABINFO)"
	done
fi

# --- writes ---------------------------------------------------------------

# refuse FILE VALUE...: every write fails and leaves FILE's content as it was.
refused=0 accepted=0
refuse() {
	__f=$1
	shift
	for __v in "$@"; do
		# Single-line files: read, a builtin, saves a fork per check.
		read -r __before <"$__f"
		if printf '%s\n' "$__v" >"$__f" 2>/dev/null; then
			ktap_print_msg "accepted '$__v' in $__f"
			accepted=$((accepted + 1))
		elif read -r __after <"$__f"; [ "$__after" != "$__before" ]; then
			ktap_print_msg "'$__v' changed $__f"
			accepted=$((accepted + 1))
		else
			refused=$((refused + 1))
		fi
	done
}

COMMON_BAD="abc -1 '' 99999999999999999999999 18446744073709551616 ' 5' 5x 0x5 '5 5' 1.5 -0x1"
for c in "$SYSFS"/*; do
	case $(basename "$c") in
	intro-*) full=1 ;;
	*) full=0 ;;
	esac
	if [ "$full" -eq 1 ]; then
		eval refuse "$c/min_partial" "$COMMON_BAD" 1025 4294967296
		eval refuse "$c/cpu_partial" "$COMMON_BAD" 32769 4294967296
		eval refuse "$c/remote_node_defrag_ratio" "$COMMON_BAD" 101 4294967296
		refuse "$c/shrink" 0 2 abc "" -1 11 1x "1 "
		refuse "$c/validate" 1 0 abc "" -1
		for a in $STAT_ATTRS; do
			refuse "$c/$a" 1 abc "" -1 00 0x0 "0 0" 99999999999999999999999
		done
	else
		for a in min_partial cpu_partial remote_node_defrag_ratio; do
			refuse "$c/$a" abc -1 "" 99999999999999999999999
		done
		refuse "$c/shrink" 2 ""
		refuse "$c/validate" 1
		for a in $STAT_ATTRS; do
			refuse "$c/$a" abc
		done
	fi
done
ktap_print_msg "writes refused: $refused, accepted or changing a file: $accepted"
ktap_test_result "writes: garbage, negative, huge, empty refused and changed nothing" \
	[ "$accepted" -eq 0 -a "$refused" -gt 0 ]

c="$SYSFS/intro-small"
valid=1
for pair in min_partial:7 cpu_partial:30 remote_node_defrag_ratio:50; do
	a=${pair%%:*}
	v=${pair#*:}
	old=$(cat "$c/$a")
	echo "$v" >"$c/$a" && [ "$(cat "$c/$a")" = "$v" ] || valid=0
	echo "$old" >"$c/$a" && [ "$(cat "$c/$a")" = "$old" ] || valid=0
done
echo 1 >"$c/shrink" || valid=0
echo 0 >"$c/alloc_fastpath" && [ "$(cat "$c/alloc_fastpath")" = 0 ] || valid=0
ktap_test_result "writes: valid values accepted, read back, restored; 0 clears a counter" \
	[ "$valid" -eq 1 ]

# --- race: read everything while caches come and go -----------------------

rounds=0
if echo "$CYCLE_SECONDS" >"$PARAMS/cycle"; then
	while [ "$(cat "$PARAMS/cycling")" = Y ]; do
		# read, a builtin: an open and a read of each file, no fork.
		for f in "$SYSFS"/*/*; do
			{ read -r _ <"$f"; } 2>/dev/null
		done
		for f in "$DEBUGFS"/*/state "$DEBUGFS/slabinfo"; do
			cat "$f" >/dev/null 2>&1
		done
		rounds=$((rounds + 1))
	done
fi
cycled=$(cat "$PARAMS/cycles")
ktap_print_msg "race: $rounds rounds of reading every file while $cycled caches were created and destroyed"
ktap_test_result "race: reads during cache creation and destruction" \
	[ "$rounds" -gt 0 -a "$cycled" -gt 0 ]
left=$(ls -d "$SYSFS"/intro-cycle-* "$DEBUGFS"/intro-cycle-* 2>/dev/null | wc -l)
ktap_test_result "race: no cycled cache left in sysfs or debugfs" [ "$left" -eq 0 ]

# --- unload ---------------------------------------------------------------

ktap_test_result "rmmod mslab_introspect" rmmod mslab_introspect
sed 's/^/#   /' "$DEBUGFS/stats"
ktap_test_result "debugfs stats: pages: 0 with the client gone" \
	grep -Eq '^pages:[[:space:]]*0$' "$DEBUGFS/stats"
ktap_test_result "debugfs stats: caches back to $base_caches" \
	grep -Eq "^caches:[[:space:]]*$base_caches\$" "$DEBUGFS/stats"
left=$(ls -d "$SYSFS"/intro-* "$DEBUGFS"/intro-* 2>/dev/null | wc -l)
ktap_test_result "sysfs and debugfs directories of the client's caches gone" \
	[ "$left" -eq 0 ]
ktap_test_result "rmmod mslab" rmmod mslab

ksft_test_no_reports "$tag"

cleanup
ktap_finished
