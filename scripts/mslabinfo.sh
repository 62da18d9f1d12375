#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# mslabinfo: a table of mslab's caches from /sys/kernel/mslab, in the spirit
# of the kernel's tools/mm/slabinfo. POSIX sh + awk, so it runs in the VM's
# busybox. Usage: mslabinfo [-n] (-n: add the per-node split of objects)
#
#   Objects   objects in use (SLUB's "objects": cpu slabs count as full)
#   Objsize   object size as created
#   Slabs/Part/Cpu  all slabs / on node partial lists / cpu and cpu partial
#   O/S Ord   objects per slab and slab order
#   %Ef       object bytes in use / bytes of the slabs (slabinfo's %Ef)
#   Memory    bytes held in slabs (slabs of the preferred order)

sysfs=${MSLAB_SYSFS:-/sys/kernel/mslab}
nodes=0
[ "$1" = "-n" ] && nodes=1

if [ ! -d "$sysfs" ]; then
	echo "mslabinfo: $sysfs not found (is mslab.ko loaded?)" >&2
	exit 1
fi
page=$(getconf PAGESIZE 2>/dev/null || echo 4096)

first() { read -r v _ <"$1" && echo "$v"; }

for c in "$sysfs"/*/; do
	[ -d "$c" ] || continue
	n=$(basename "$c")
	printf '%s %s %s %s %s %s %s %s "%s"\n' "$n" \
		"$(first "$c/objects")" "$(cat "$c/object_size")" \
		"$(first "$c/slabs")" "$(first "$c/partial")" \
		"$(first "$c/cpu_slabs")" "$(cat "$c/objs_per_slab")" \
		"$(cat "$c/order")" "$(cut -d' ' -f2- "$c/objects")"
done | awk -v page="$page" -v nodes="$nodes" '
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
	mem = $4 * page
	for (i = 0; i < $8; i++)	# busybox awk may lack pow()
		mem *= 2
	eff = mem ? int($2 * $3 * 100 / mem) : 0
	printf "%-24s %8d %7d %15s %4d %3d %4d %8s\n", $1, $2, $3,
	       $4 "/" $5 "/" $6, $7, $8, eff, human(mem)
	if (nodes) {
		split($0, q, "\"")
		if (q[2] != "") printf "%-24s   %s\n", "", q[2]
	}
	total += mem
}
END { printf "%-24s %55s\n", "Total", human(total) }'
