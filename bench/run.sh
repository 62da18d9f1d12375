#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: mslab against the kernel's own SLUB, in the same boot, under
# UML and in QEMU. Not a pass/fail test; Documentation/bench.rst says how to
# read the figures.
#
#   bench/run.sh [uml] [qemu]        (default: both)
#
#   uml   the UML bench kernel (bench/uml-bench-build.sh: no KASAN,
#         lockdep or DEBUG_VM), one CPU at native speed, pinned to one host
#         CPU: the ratios that count for single-CPU paths
#   qemu  Debian's 6.12 kernel under TCG, 4 vCPUs in 2 NUMA nodes, booted
#         with init_on_alloc=0 and kfence.sample_interval=0: the SMP
#         patterns (remote free, all CPUs); emulated timing, so shape and
#         same-run ratios only, and loop counts 5 times smaller
#
# Both run bench/bench.sh in the guest, which loads
# mslab_bench.ko (bench/bench_*.c). The tables go to stdout,
# build/results/bench-<runtime>.txt and bench-<runtime>-summary.txt (with
# the debug flags', the hardening A/B's and the init A/B's tables), the
# figures to build/results/bench-<runtime>-{time,mem,debug,hardening,init}.csv
# and bench-<runtime>.json, the console to
# build/results/bench-<runtime>-console.log.
#
# Environment:
#   MSLAB_BENCH_VARIANTS    mslab variants, "name[:flags[:capacity]]"
#                           comma-separated (default "slab,sheaves": both
#                           front ends); each is an mslab cache compared
#                           with the kernel's (bench/bench_*.c)
#   MSLAB_BENCH_KMALLOC     front ends of mslab's kmalloc caches for the
#                           kmalloc pattern, comma-separated (default
#                           "slab,sheaves"): mslab is reloaded with each
#                           sheaves= value in turn ("" for one run with
#                           mslab's default)
#   MSLAB_BENCH_REPS        timed rounds per pattern (default 5)
#   MSLAB_BENCH_UML_LOOPS   pairs per timed loop under UML (default 1000000)
#   MSLAB_BENCH_QEMU_LOOPS  pairs per timed loop in QEMU (default 200000)
#   MSLAB_BENCH_ARGS        more bench/bench.sh options for both,
#                           e.g. "-p reuse,batch -s 64" (patterns, memory
#                           sizes; see that script)
#   MSLAB_BENCH_CPU         host CPU the UML kernel is pinned to (default
#                           the last one)
set -euo pipefail

. "$(dirname "$0")/../scripts/lib.sh"

runtimes=("$@")
[ ${#runtimes[@]} -gt 0 ] || runtimes=(uml qemu)
for rt in "${runtimes[@]}"; do
	case $rt in
	uml|qemu) ;;
	*) die "unknown runtime '$rt' (uml, qemu)" ;;
	esac
done

variants=${MSLAB_BENCH_VARIANTS:-slab,sheaves}
kfronts=${MSLAB_BENCH_KMALLOC-slab,sheaves}
kopt=
[ -z "$kfronts" ] || kopt="-k $kfronts"
reps=${MSLAB_BENCH_REPS:-5}
extra=${MSLAB_BENCH_ARGS:-}
mkdir -p "$MSLAB_RESULTS"

# bench_report NAME CONSOLE: print the tables of a guest's console and
# write the CSV and JSON files; non-zero when the run did not complete.
bench_report() {
	local name=$1 console=$2 out="$MSLAB_RESULTS/bench-$1"
	local lines="$out.lines"

	# The bench's lines, without carriage returns and printk timestamps.
	tr -d '\r' <"$console" |
		sed -n 's/^\(\[[ 0-9.]*\] \)\{0,1\}mslab_bench: //p' >"$lines"
	grep -v '^csv,' "$lines" >"$out.txt" || true
	{
		echo "pattern,param,size,alloc,ops,reps,median_ns,min_ns,max_ns,median_cycles,ratio"
		sed -n 's/^csv,time,//p' "$lines"
	} >"$out-time.csv"
	{
		echo "size,phase,alloc,live,object_size,slab_size,order,objs_per_slab,slabs,pages,partial,cpu_slabs,loss_bytes,efficiency_pct,mslab_debugfs_pages"
		sed -n 's/^csv,mem,//p' "$lines"
	} >"$out-mem.csv"
	# The init A/B's rows: each allocator under each setting of
	# init_on_alloc and init_on_free, ratio to its own with both off.
	{
		echo "pattern,param,size,setting,alloc,ops,reps,median_ns,min_ns,max_ns,median_cycles,ratio_off"
		sed -n 's/^csv,init,//p' "$lines"
	} >"$out-init.csv"
	rm -f "$lines"

	# One row per pattern, a column per allocator: median ns (ratio);
	# then the debug flags', the hardening A/B's and the init A/B's
	# tables, whose figures also go to
	# bench-<runtime>-{debug,hardening,init}.csv.
	python3 - "$out-time.csv" "$out-debug.csv" "$out-hardening.csv" \
		"$out-init.csv" >"$out-summary.txt" <<'PY'
import csv, sys
tcsv, dcsv, hcsv, icsv = sys.argv[1:5]
# A pattern measured in two loads (kmalloc, once per front end) has a
# kernel figure in each: a row per load, each ratio to its own kernel.
rows, allocs, seq = {}, [], {}
debug, ab = [], []
for r in csv.DictReader(open(tcsv)):
    if r["pattern"].startswith("debug-"):
        debug.append(r)
        continue
    if r["pattern"].startswith("ab-"):
        ab.append(r)
        continue
    key = (r["pattern"], r["param"], r["size"])
    if r["alloc"] == "kernel" and "kernel" in rows.get(key + (seq.get(key, 0),), {}):
        seq[key] = seq.get(key, 0) + 1
    rows.setdefault(key + (seq.get(key, 0),), {})[r["alloc"]] = r
    if r["alloc"] not in allocs:
        allocs.append(r["alloc"])
if rows:
    print("%-15s %-6s %5s" % ("pattern", "param", "size") +
          "".join(" %17s" % a for a in allocs))
for key, by in rows.items():
    cells = []
    for a in allocs:
        r = by.get(a)
        if not r:
            cells.append(" %17s" % "-")
        elif a == "kernel":
            cells.append(" %17s" % r["median_ns"])
        else:
            cells.append(" %17s" % ("%s (%s)" % (r["median_ns"], r["ratio"])))
    print("%-15s %-6s %5s" % key[:3] + "".join(cells))

def ratio(a, b):
    return "%.2f" % (float(a) / float(b)) if float(b) > 0 else "-"

# Debug flags: each allocator's figure, its ratio to its own flag-less
# cache of the same pattern and size, and mslab's ratio to SLUB.
med = {(r["pattern"], r["size"], r["param"], r["alloc"]): r["median_ns"]
       for r in debug}
out = []
for r in debug:
    if r["alloc"] == "kernel":
        continue
    p, size, fl, a = r["pattern"], r["size"], r["param"], r["alloc"]
    k = med.get((p, size, fl, "kernel"))
    k0 = med.get((p, size, "none", "kernel"))
    m0 = med.get((p, size, "none", a))
    out.append([p, size, fl, a, k, k0 and ratio(k, k0) or "-",
                r["median_ns"], m0 and ratio(r["median_ns"], m0) or "-",
                r["ratio"]])
with open(dcsv, "w") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["pattern", "size", "flags", "alloc", "slub_ns",
                "slub_ratio_none", "mslab_ns", "mslab_ratio_none",
                "ratio"])
    w.writerows(out)
if out:
    print()
    print("debug flags: median ns per pair, x none = to the same allocator's flag-less cache, mslab/SLUB")
    print("%-15s %5s %-5s %10s %7s %10s %7s %10s" % (
        "pattern", "size", "flags", "SLUB", "x none", "mslab", "x none",
        "mslab/SLUB"))
    for o in out:
        print("%-15s %5s %-5s %10s %7s %10s %7s %10s" % tuple(
            o[:3] + o[4:]))

# Hardening A/B: NAME_h0 against NAME_h1 (hardened and random_freelist
# off, on), each front end; ratio on/off.
out = []
by = {}
for r in ab:
    by.setdefault((r["pattern"], r["param"], r["size"]), {})[r["alloc"]] = r
for (p, param, size), rs in by.items():
    for a in rs:
        if not a.endswith("_h0") or a[:-3] + "_h1" not in rs:
            continue
        off, on = rs[a], rs[a[:-3] + "_h1"]
        out.append([p, param, size, a[:-3], rs["kernel"]["median_ns"],
                    off["median_ns"], off["ratio"], on["median_ns"],
                    on["ratio"], ratio(on["median_ns"], off["median_ns"])])
with open(hcsv, "w") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["pattern", "param", "size", "front_end", "slub_ns",
                "off_ns", "off_ratio", "on_ns", "on_ratio", "on_off"])
    w.writerows(out)
if out:
    print()
    print("hardening A/B: mslab caches made with hardened=random_freelist=0 (off) and 1 (on), median ns per pair (ratio to SLUB)")
    print("%-15s %-6s %5s %-8s %8s %16s %16s %6s" % (
        "pattern", "param", "size", "front", "SLUB", "off", "on",
        "on/off"))
    for o in out:
        print("%-15s %-6s %5s %-8s %8s %16s %16s %6s" % (
            o[0], o[1], o[2], o[3], o[4], "%s (%s)" % (o[5], o[6]),
            "%s (%s)" % (o[7], o[8]), o[9]))

# Init A/B: for each pattern, size, setting and mslab front end, SLUB's
# and mslab's medians with both keys off and under the setting, each
# one's on/off, and mslab/SLUB under the setting.
med = {}
for r in csv.DictReader(open(icsv)):
    med[(r["pattern"], r["param"], r["size"], r["setting"],
         r["alloc"])] = r["median_ns"]
out = []
for (p, param, size, setting, a) in med:
    if setting == "off" or a == "kernel":
        continue
    ko = med.get((p, param, size, "off", "kernel"))
    kn = med.get((p, param, size, setting, "kernel"))
    mo = med.get((p, param, size, "off", a))
    mn = med[(p, param, size, setting, a)]
    if ko is None or kn is None or mo is None:
        continue
    out.append([p, param, size, setting, a, ko, kn, ratio(kn, ko), mo, mn,
                ratio(mn, mo), ratio(mn, kn)])
# Grouped by pattern and size, in the module's order, then by setting.
first = {}
for i, k in enumerate(med):
    first.setdefault(k[:3], i)
    first.setdefault(k[3], i)
    first.setdefault(k[4], i)
out.sort(key=lambda o: (first[tuple(o[:3])], first[o[3]], first[o[4]]))
if out:
    print()
    print("init A/B: median ns per pair (ratio on/off), same boot; alloc: init_on_alloc=1, free: init_on_free=1, both: the two; off: neither")
    print("%-11s %-5s %5s %-7s %-8s %9s %15s %9s %15s %7s" % (
        "pattern", "param", "size", "setting", "front", "SLUB off",
        "SLUB on (x)", "mslab off", "mslab on (x)", "m/S on"))
    for o in out:
        print("%-11s %-5s %5s %-7s %-8s %9s %15s %9s %15s %7s" % (
            o[0], o[1], o[2], o[3], o[4], o[5], "%s (%s)" % (o[6], o[7]),
            o[8], "%s (%s)" % (o[9], o[10]), o[11]))
PY
	python3 - "$name" "$out-time.csv" "$out-mem.csv" "$out.txt" \
		"$out-debug.csv" "$out-hardening.csv" "$out-init.csv" \
		>"$out.json" <<'PY'
import csv, json, sys
name, tcsv, mcsv, txt, dcsv, hcsv, icsv = sys.argv[1:8]
env = [l.strip() for l in open(txt) if l.startswith(("env:", "guest:"))]
def rows(path):
    out = []
    for r in csv.DictReader(open(path)):
        for k, v in r.items():
            try:
                r[k] = int(v)
            except ValueError:
                try:
                    r[k] = float(v)
                except ValueError:
                    pass
        out.append(r)
    return out
json.dump({"runtime": name, "env": env, "time": rows(tcsv),
           "memory": rows(mcsv), "debug": rows(dcsv),
           "hardening": rows(hcsv), "init": rows(icsv)}, sys.stdout,
          indent=1)
print()
PY

	echo
	echo "=== $name ==="
	cat "$out.txt"
	if [ -s "$out-summary.txt" ]; then
		echo
		echo "--- $name: median ns per alloc+free pair, per object for bulk (ratio to the kernel's SLUB) ---"
		cat "$out-summary.txt"
	fi
	echo "(CSV: $out-{time,mem,debug,hardening,init}.csv; JSON: $out.json)"

	if ! grep -q '^done$' "$out.txt"; then
		log "$name: the bench did not complete: see $console"
		return 1
	fi
	if mslab_splats "$console" >"$MSLAB_RESULTS/bench-$name-splats.txt"; then
		log "$name: kernel reports in $console:"
		head -n 20 "$MSLAB_RESULTS/bench-$name-splats.txt" >&2
		return 1
	fi
	return 0
}

# bench_build_modules OBJ LOG KDIR [MAKE ARGS]: build only mslab.ko and
# mslab_bench.ko in the shadow tree OBJ, so that the bench does not depend
# on the other client modules.
bench_build_modules() {
	local obj=$1 build_log=$2 kdir=$3

	shift 3
	[ -f "$kdir/Makefile" ] || die "$kdir is missing (run scripts/setup.sh)"
	mslab_shadow_tree "$obj"
	find "$obj" -name '*.ko' -delete
	make -C "$kdir" "$@" M="$obj" W=1 KCFLAGS=-Werror -j"$(nproc)" \
		mslab/mslab.ko bench/mslab_bench.ko \
		>"$build_log" 2>&1 || {
		cat "$build_log" >&2
		return 1
	}
}

run_uml() {
	local uml obj root console rc cpu
	# The bench kernel has no SLUB freelist hardening or randomisation
	# (bench/uml-bench.kunitconfig): mslab runs without them too.
	local args="-l ${MSLAB_BENCH_UML_LOOPS:-1000000} -r $reps -v $variants"
	args="$args -m 'hardened=0 random_freelist=0' $kopt $extra"

	uml=$("$MSLAB_ROOT/bench/uml-bench-build.sh")
	obj="$MSLAB_ROOT/build/um-bench"
	root="$MSLAB_CACHE/uml-bench-root"
	console="$MSLAB_RESULTS/bench-uml-console.log"

	log "building mslab and mslab_bench for the UML bench kernel"
	bench_build_modules "$obj" "$MSLAB_RESULTS/bench-uml-build.log" \
		"$uml" ARCH=um ||
		die "building mslab against the UML bench kernel failed"

	# A hostfs root: busybox and its applets, the init, the modules, the
	# guest script and its arguments.
	rm -rf "$root"
	mkdir -p "$root"/{bin,proc,sys,dev,tmp,modules,bench}
	cp /bin/busybox "$root/bin/busybox"
	for a in $(/bin/busybox --list); do
		[ "$a" = busybox ] || ln -sf busybox "$root/bin/$a"
	done
	cp "$obj/mslab/mslab.ko" "$obj/bench/mslab_bench.ko" \
		"$root/modules/"
	cp "$MSLAB_ROOT/bench/bench.sh" "$root/bench/bench.sh"
	cp "$MSLAB_ROOT/scripts/guest/bench-uml-init.sh" "$root/init"
	chmod +x "$root/init"
	echo "$args" >"$root/bench-args"

	cpu=${MSLAB_BENCH_CPU:-$(($(nproc) - 1))}
	log "UML bench: bench.sh $args (pinned to host CPU $cpu)"
	local start=$SECONDS
	set +e
	taskset -c "$cpu" timeout --kill-after=10 "${MSLAB_UML_TIMEOUT:-1800}" \
		"$uml/linux" mem=2G console=tty rootfstype=hostfs \
		hostfs="$root" init=/init </dev/null >"$console" 2>&1
	rc=$?
	set -e
	log "UML bench ran for $((SECONDS - start)) s (status $rc)"
	mslab_uml_started_init "$console" 'mslab-uml-bench: init started' ||
		return 1
	bench_report uml "$console"
}

run_qemu() {
	local obj="$MSLAB_ROOT/build/vm-bench" rc
	local args="-l ${MSLAB_BENCH_QEMU_LOOPS:-200000} -r $reps -v $variants $kopt $extra"

	log "building mslab and mslab_bench against Debian's headers"
	bench_build_modules "$obj" "$MSLAB_RESULTS/bench-qemu-build.log" \
		"/usr/src/linux-headers-$(mslab_abi)-amd64" ||
		die "building mslab against Debian's headers failed"
	log "QEMU bench: bench.sh $args"
	set +e
	"$MSLAB_ROOT/scripts/vm-run.sh" -n bench-qemu \
		-t "${MSLAB_VM_TIMEOUT:-900}" \
		-a "init_on_alloc=0 kfence.sample_interval=0" \
		-m "$obj/mslab/mslab.ko" \
		-m "$obj/bench/mslab_bench.ko" \
		-- "sh /bench/bench.sh $args" \
		>"$MSLAB_RESULTS/bench-qemu-vm.out" 2>&1
	rc=$?
	set -e
	grep '^mslab: VM ran' "$MSLAB_RESULTS/bench-qemu-vm.out" >&2 || true
	[ $rc -eq 0 ] || log "QEMU bench: vm-run.sh exited $rc"
	bench_report qemu "$MSLAB_RESULTS/bench-qemu-console.log"
}

failed=0
for rt in "${runtimes[@]}"; do
	"run_$rt" || failed=$((failed + 1))
done
[ "$failed" -eq 0 ]
