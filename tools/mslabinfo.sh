#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# mslabinfo: a table of mslab's caches from /sys/kernel/mslab, in the spirit
# of the kernel's tools/mm/slabinfo. POSIX sh + awk + sort, so it runs in the
# VM's busybox.
#
#   mslabinfo [-n] [-s|-m|-o|-l|-p|-e] [-r] [-z] [-f] [-d] [-w SECONDS [-c COUNT]]
#
#   -n   add the per-node split of objects under each cache
#   -s   sort by object size     -m  sort by memory     -o  sort by objects
#   -l   sort by slabs           -p  sort by partial slabs
#   -e   sort by efficiency (lowest first); default: by name
#   -r   reverse the order
#   -z   include caches with no slab (left out by default, as slabinfo)
#   -f   fill histogram instead: each cache's slabs by the share of their
#        objects in use (from debugfs <cache>/state; needs debugfs)
#   -d   data: one tab-separated line per cache, raw numbers, no header
#        (name objects objsize slabs partial cpu objs_per_slab order eff%
#        memory_bytes; with -f: name and the 12 bucket counts), for scripts
#   -w   watch: redraw every SECONDS seconds until interrupted
#   -c   with -w: stop after COUNT tables
#
# Columns:
#   Objects   objects in use (SLUB's "objects": cpu slabs count as full)
#   Objsize   object size as created
#   Slabs/Part/Cpu  all slabs / on node partial lists / cpu and cpu partial
#   O/S Ord   objects per slab and slab order
#   %Ef       object bytes in use / bytes of the slabs (slabinfo's %Ef)
#   Memory    bytes held in slabs (slabs of the preferred order)

sysfs=${MSLAB_SYSFS:-/sys/kernel/mslab}
debugfs=${MSLAB_DEBUGFS:-/sys/kernel/debug/mslab}
nodes=0 key= reverse=0 zero=0 data=0 watch= count=0 fill=0

usage() {
	sed -n '8,24s/^# \{0,1\}//p' "$0" >&2
	exit 2
}

while getopts 'nsmolperzfdw:c:h' opt; do
	case $opt in
	n) nodes=1 ;;
	s) key=size ;;
	m) key=mem ;;
	o) key=objects ;;
	l) key=slabs ;;
	p) key=partial ;;
	e) key=eff ;;
	r) reverse=1 ;;
	z) zero=1 ;;
	f) fill=1 ;;
	d) data=1 ;;
	w) watch=$OPTARG ;;
	c) count=$OPTARG ;;
	*) usage ;;
	esac
done
case $watch in
'') ;;
*[!0-9]* | 0) echo "mslabinfo: -w takes a whole number of seconds" >&2; exit 2 ;;
esac
case $count in
*[!0-9]*) echo "mslabinfo: -c takes a count" >&2; exit 2 ;;
esac

if [ ! -d "$sysfs" ]; then
	echo "mslabinfo: $sysfs not found (is mslab.ko loaded?)" >&2
	exit 1
fi
page=$(getconf PAGESIZE 2>/dev/null || echo 4096)
tab=$(printf '\t')

first() { read -r v _ <"$1" && echo "$v"; }

# One tab-separated line of raw figures per cache.
rows() {
	for c in "$sysfs"/*/; do
		[ -d "$c" ] || continue
		n=$(basename "$c")
		# A cache destroyed while we read: skip it.
		objs=$(first "$c/objects" 2>/dev/null) || continue
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$objs" \
			"$(cat "$c/object_size")" "$(first "$c/slabs")" \
			"$(first "$c/partial")" "$(first "$c/cpu_slabs")" \
			"$(cat "$c/objs_per_slab")" "$(cat "$c/order")" \
			"$(cut -d' ' -f2- "$c/objects")"
	done 2>/dev/null | awk -F "$tab" -v OFS="$tab" -v page="$page" -v zero="$zero" '
	{
		if (!zero && $4 == 0) next
		mem = $4 * page
		for (i = 0; i < $8; i++)	# busybox awk may lack pow()
			mem *= 2
		eff = mem ? int($2 * $3 * 100 / mem) : 0
		nodes = ($9 ~ /^N[0-9]/) ? $9 : ""
		print $1, $2, $3, $4, $5, $6, $7, $8, eff, mem, nodes
	}'
}

# Sort the rows: numbers descending (efficiency ascending), names ascending.
# A key's own modifiers override the global ones, so "r" goes in the key.
sorted() {
	case $key in
	size) k=3 dir=nr ;;
	objects) k=2 dir=nr ;;
	slabs) k=4 dir=nr ;;
	partial) k=5 dir=nr ;;
	eff) k=9 dir=n ;;
	mem) k=10 dir=nr ;;
	*) k=1 dir= ;;
	esac
	if [ "$reverse" -eq 1 ]; then
		case $dir in
		*r) dir=${dir%r} ;;
		*) dir=${dir}r ;;
		esac
	fi
	rows | sort -t "$tab" -k"$k,$k$dir" -k1,1
}

table() {
	sorted | awk -F "$tab" -v nodes="$nodes" '
	function human(b) {
		if (b >= 1048576) return sprintf("%.1fM", b / 1048576)
		if (b >= 1024) return sprintf("%.1fK", b / 1024)
		return b
	}
	BEGIN {
		printf "%-24s %8s %7s %15s %4s %3s %4s %8s\n", "Name", "Objects",
		       "Objsize", "Slabs/Part/Cpu", "O/S", "Ord", "%Ef", "Memory"
	}
	{
		printf "%-24s %8d %7d %15s %4d %3d %4d %8s\n", $1, $2, $3,
		       $4 "/" $5 "/" $6, $7, $8, $9, human($10)
		if (nodes && $11 != "") printf "%-24s   %s\n", "", $11
		total += $10
	}
	END { printf "%-24s %55s\n", "Total", human(total) }'
}

# The fill histogram of each cache, in the order of the table: the
# "hist-all" line of its debugfs state file.
fills() {
	sorted | cut -f1 | while read -r n; do
		awk -v n="$n" -v OFS="$tab" '$1 == "hist-all" {
			$1 = n; $NF = ""; sub(/\t$/, ""); print }' \
			"$debugfs/$n/state" 2>/dev/null
	done
}

fill_table() {
	hdr=$(for f in "$debugfs"/*/state; do
		awk '$1 == "hist" { $1 = ""; $NF = ""; print; exit }' "$f" && break
	done 2>/dev/null)
	printf '%-24s' "Fill (slabs)"
	for h in $hdr; do
		printf ' %6s' "$h"
	done
	echo
	fills | awk -F "$tab" '{
		printf "%-24s", $1
		for (i = 2; i <= NF; i++) printf " %6d", $i
		printf "\n" }'
}

if [ "$fill" -eq 1 ] && [ ! -d "$debugfs" ]; then
	echo "mslabinfo: -f needs $debugfs (mount debugfs)" >&2
	exit 1
fi
if [ "$fill" -eq 1 ]; then
	table() { fill_table; }
fi
if [ "$data" -eq 1 ]; then
	if [ "$fill" -eq 1 ]; then
		fills
	else
		sorted | cut -f1-10
	fi
	exit 0
fi
if [ -z "$watch" ]; then
	table
	exit 0
fi
i=0
while :; do
	printf '\033[H\033[2J'
	echo "mslabinfo: every ${watch}s, $(date '+%H:%M:%S')"
	table
	i=$((i + 1))
	[ "$count" -gt 0 ] && [ "$i" -ge "$count" ] && break
	sleep "$watch"
done
