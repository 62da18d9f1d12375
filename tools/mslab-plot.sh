#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Draw a PNG of mslab's caches from a VM console log:
#
#   tools/mslab-plot.sh CONSOLE_LOG OUT.png
#
# The log holds, between the lines "mslab-plot: begin" and "mslab-plot: end",
# "plot-mem" lines (mslabinfo -d: name objects objsize slabs partial cpu
# objs_per_slab order eff% memory_bytes) and "plot-fill" lines (mslabinfo
# -d -f: name and the slab counts of the 12 fill buckets), as scripts/run.sh
# has the VM print them. The picture has two panels: memory per cache (held
# in slabs, and in use by objects) and each cache's slab fill histogram (as
# a share of its slabs). Uses gnuplot on the host.
set -euo pipefail

. "$(dirname "$0")/../scripts/lib.sh"

[ $# -eq 2 ] || { sed -n '5p' "$0" | sed 's/^#  *//' >&2; exit 2; }
console=$1
out=$2
command -v gnuplot >/dev/null || die "gnuplot is missing (install gnuplot-nox)"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

sed -n '/^mslab-plot: begin/,/^mslab-plot: end/p' "$console" | tr -d '\r' >"$tmp/block"
awk '$1 == "plot-mem" { $1 = ""; print }' "$tmp/block" >"$tmp/mem.dat"
awk '$1 == "plot-fill" { $1 = ""; print }' "$tmp/block" >"$tmp/fill.raw"
[ -s "$tmp/mem.dat" ] || die "no plot data in $console"

# The fill histograms, one row per bucket and one column per cache, in
# percent of the cache's slabs.
awk '
BEGIN {
	split("empty <10% 10-19% 20-29% 30-39% 40-49% 50-59% 60-69% 70-79% 80-89% 90-99% full", b, " ")
}
{
	n++
	name[n] = $1
	total = 0
	for (i = 2; i <= 13; i++) total += $i
	for (i = 2; i <= 13; i++) pct[n, i - 1] = total ? 100 * $i / total : 0
}
END {
	printf "bucket"
	for (c = 1; c <= n; c++) printf " %s", name[c]
	printf "\n"
	for (i = 1; i <= 12; i++) {
		printf "\"%s\"", b[i]
		for (c = 1; c <= n; c++) printf " %.2f", pct[c, i]
		printf "\n"
	}
}' "$tmp/fill.raw" >"$tmp/fill.dat"
ncaches=$(wc -l <"$tmp/fill.raw")

gnuplot <<EOF
set terminal pngcairo size 1200,1000 font "sans,11"
set output "$out"
set multiplot layout 2,1 title "mslab: caches of the demo client (4 vCPUs, 2 NUMA nodes)" font "sans,14"

set title "Memory per cache"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set ylabel "MiB"
set yrange [0:*]
set grid ytics
set key top right
set xtics nomirror
plot "$tmp/mem.dat" using (\$10 / 1048576):xtic(1) title "held in slabs" lc rgb "#4e79a7", \
     "" using (\$2 * \$3 / 1048576) title "in use by objects" lc rgb "#f28e2b"

set title "Slab fill: share of each cache's slabs by objects in use"
set ylabel "% of the cache's slabs"
set xlabel "objects in use / objects per slab"
set key top left
plot for [i = 2:$((ncaches + 1))] "$tmp/fill.dat" using i:xtic(1) title columnheader(i)

unset multiplot
EOF
log "wrote $out"
