# SPDX-License-Identifier: GPL-2.0
# Shared shell helpers for mslab's scripts. Source, do not run.

MSLAB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Build trees, kernels and images live outside the work tree, reused across
# clones and sessions when their inputs are unchanged.
MSLAB_CACHE=${MSLAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mslab}
export MSLAB_ROOT MSLAB_CACHE

log() { printf 'mslab: %s\n' "$*" >&2; }
die() { printf 'mslab: error: %s\n' "$*" >&2; exit 1; }

# The Debian 6.12 ABI that setup.sh resolved (e.g. 6.12.117+deb12).
mslab_abi() {
	[ -f "$MSLAB_CACHE/abi" ] || die "run scripts/setup.sh first"
	cat "$MSLAB_CACHE/abi"
}

# The project's own patches to the 6.12 tree, applied in name order when it
# is extracted; each one's header says why (scripts/patches/README).
mslab_kernel_patches() {
	ls "$MSLAB_ROOT"/scripts/patches/*.patch 2>/dev/null | LC_ALL=C sort
}

# A short hash of what the patches change (from each one's first "diff"
# line on, so that editing a header rebuilds nothing): part of the tree's
# and the UML kernels' cache keys, so a changed patch rebuilds them.
mslab_kernel_patches_key() {
	local p
	for p in $(mslab_kernel_patches); do
		sed -n '/^diff /,$p' "$p"
	done | sha256sum | cut -c1-12
}

# Extract Debian's linux-source-6.12 tarball and apply the patches, once per
# package version and patch set, and print the tree's path. checkpatch.pl,
# kunit.py and the UML kernels come from here.
mslab_kernel_src() {
	local ver dir top p tarball=/usr/src/linux-source-6.12.tar.xz
	ver=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null) ||
		die "linux-source-6.12 is not installed (run scripts/setup.sh)"
	top="$MSLAB_CACHE/src-$ver-$(mslab_kernel_patches_key)"
	dir="$top/linux-source-6.12"
	if [ ! -f "$dir/.mslab-extracted" ]; then
		log "extracting $tarball"
		# Trees of other versions or patch sets are 1.5 GB each.
		rm -rf "$MSLAB_CACHE"/src-*
		mkdir -p "$top"
		tar -C "$top" -xJf "$tarball" ||
			die "cannot extract $tarball"
		for p in $(mslab_kernel_patches); do
			log "applying $(basename "$p")"
			patch -d "$dir" -p1 --forward --quiet <"$p" >&2 ||
				die "$(basename "$p") does not apply to $tarball ($ver)"
		done
		touch "$dir/.mslab-extracted"
	fi
	echo "$dir"
}

# Where a run's logs and per-stage pass/fail counts go; check.sh sums them.
MSLAB_RESULTS=${MSLAB_RESULTS:-$MSLAB_ROOT/build/results}
export MSLAB_RESULTS

# Record a stage's counts: mslab_record STAGE PASSED FAILED [SKIPPED]
mslab_record() {
	mkdir -p "$MSLAB_RESULTS"
	echo "$2 $3 ${4:-0}" >"$MSLAB_RESULTS/$1.counts"
}

# Kernel reports that make a run fail whatever the tests said: warnings,
# BUGs, oopses, KASAN and lockdep reports, panics. "BUG <cache>:" is the
# headline of mslab's reports, "BUG <cache> (Not tainted):" that of the
# kernel's SLUB. selftests/ktap_helpers.sh has the same list for the VM.
MSLAB_SPLAT_RE='WARNING:|BUG:|BUG [^ ]+( \([^)]*\))?:|Oops:|KASAN:|UBSAN:|general protection fault|Kernel panic|possible circular locking|possible recursive locking|inconsistent lock state|suspicious RCU usage|INFO: task .* blocked|Call Trace:|kernel BUG at|list_add corruption|list_del corruption'

# Print the kernel-report lines of a console log as "LINE:text"; non-zero
# when clean. Inside the windows a selftest declares with
# ksft_expect_reports_begin/_end, mslab's own report headlines do not count;
# anything else there still does (selftests/kernel_reports.awk).
mslab_splats() {
	MSLAB_REPORT_RE=$MSLAB_SPLAT_RE LC_ALL=C \
		awk -f "$MSLAB_ROOT/selftests/kernel_reports.awk" "$1"
}

# Make a directory of symlinks mirroring the module sources, so one source
# tree can be built against several kernels (the UML tree, Debian's headers)
# without their objects overwriting each other. Only source files are
# linked (tracked or not ignored by git): a link to a build product would
# let one build write through it into another's objects.
mslab_shadow_tree() {
	local dst=$1 f
	mkdir -p "$dst"
	# Drop links to files that are gone or were never sources.
	find "$dst" -type l -delete
	(cd "$MSLAB_ROOT" && git ls-files --cached --others --exclude-standard \
		Kbuild mslab include kunit selftests bench) | while read -r f; do
		[ -f "$MSLAB_ROOT/$f" ] || continue
		mkdir -p "$dst/$(dirname "$f")"
		ln -sf "$MSLAB_ROOT/$f" "$dst/$f"
	done
}

# Link the kernel's own test code that selftests/kernel/Kbuild builds (as
# the kernel does, and on mslab through the compat header) into the shadow
# tree $1: the repository holds none of the kernel's files.
mslab_link_kernel_tests() {
	local src dst="$1/selftests/kernel"

	src=$(mslab_kernel_src)
	mkdir -p "$dst"
	ln -sf "$src/lib/test_meminit.c" "$dst/test_meminit.c"
	ln -sf "$src/lib/test_meminit.c" "$dst/test_meminit_mslab.c"
	# fs/minix and fs/fat for selftests/kernel/fs/Kbuild: every source and
	# header, since some include others with quotes (minix.h, fat.h,
	# itree_common.c).
	for d in minix fat; do
		mkdir -p "$dst/fs/$d"
		ln -sf "$src/fs/$d"/*.[ch] "$dst/fs/$d/"
	done
}

# The modules of Debian's own kernel that selftests/mslab_fs.sh loads beside
# the file systems on mslab: loop, and the code page and I/O charset vfat
# loads at mount (CONFIG_FAT_DEFAULT_CODEPAGE=437,
# CONFIG_FAT_DEFAULT_IOCHARSET="ascii"). The VM has no /lib/modules, so
# they are taken from the installed linux-image package, decompressed into
# $1/debian, where vm-selftest.sh finds them with the built .ko files.
MSLAB_DEBIAN_MODULES="drivers/block/loop fs/nls/nls_cp437 fs/nls/nls_ascii"

mslab_debian_modules() {
	local dst="$1/debian" dir m
	dir="/lib/modules/$(mslab_abi)-amd64/kernel"

	mkdir -p "$dst"
	for m in $MSLAB_DEBIAN_MODULES; do
		if [ ! -f "$dir/$m.ko.xz" ]; then
			log "$dir/$m.ko.xz is missing (run scripts/setup.sh)"
			return 1
		fi
		xz -dc "$dir/$m.ko.xz" >"$dst/$(basename "$m").ko" || {
			log "cannot decompress $dir/$m.ko.xz"
			return 1
		}
	done
}

# Build mslab and the client/test modules against Debian's 6.12 headers (or
# the kernel build tree $3: the debug kernel's, another kernel's headers) in
# the shadow tree $1, logging to $2, and, for Debian's 6.12 kernel, add the
# Debian modules the selftests load (mslab_debian_modules) and the kernel's
# own test code (mslab_link_kernel_tests: 6.12's sources, run only in the
# selftest stage). The .ko files are left in $1.
mslab_build_vm_modules() {
	local obj=$1 build_log=$2
	local kdir=${3:-/usr/src/linux-headers-$(mslab_abi)-amd64}

	[ -f "$kdir/Makefile" ] || die "$kdir is missing (run scripts/setup.sh)"
	log "building mslab against $kdir"
	mslab_shadow_tree "$obj"
	# (mslab_shadow_tree removed the links of an earlier build.)
	[ -n "${3:-}" ] || mslab_link_kernel_tests "$obj"
	find "$obj" -name '*.ko' -delete
	make -C "$kdir" M="$obj" W=1 KCFLAGS=-Werror -j"$(nproc)" modules \
		>"$build_log" 2>&1 || return
	[ -n "${3:-}" ] || mslab_debian_modules "$obj"
}

# The other kernels setup.sh resolved, a line "NAME RELEASE" each
# (6.1 6.1.0-57-amd64).
mslab_kernels() {
	[ -f "$MSLAB_CACHE/kernels" ] || die "run scripts/setup.sh first"
	cat "$MSLAB_CACHE/kernels"
}

# The size of this host's XSAVE area in bytes (CPUID leaf 0xD, EBX: the
# size for the features the host kernel enabled), from a probe compiled once
# into the cache; "unknown" where that fails.
mslab_host_xsave_size() {
	local probe="$MSLAB_CACHE/host-xsave-size"
	if [ ! -x "$probe" ]; then
		mkdir -p "$MSLAB_CACHE"
		printf '%s\n' '#include <cpuid.h>' '#include <stdio.h>' \
			'int main(void) { unsigned int a, b, c, d;' \
			'if (!__get_cpuid_count(0xd, 0, &a, &b, &c, &d)) return 1;' \
			'printf("%u\n", b); return 0; }' |
			gcc -x c -o "$probe" - 2>/dev/null || { echo unknown; return; }
	fi
	"$probe" 2>/dev/null || echo unknown
}

# Did the UML kernel whose console log is $1 start its init, which prints $2
# first? If not, say why in one line and return 1. The known cause is a UML
# 6.12 kernel built without scripts/patches/uml-6.12-host-xsave-size.patch on
# a host whose XSAVE area is not 2,696 bytes: it dies at the first user
# process, and KUnit would only say that it found no KTAP output.
mslab_uml_started_init() {
	local console=$1 marker=$2 line sent
	grep -a -q -F "$marker" "$console" && return 0
	if line=$(grep -a -m1 -F "larger than UML's FP buffer" "$console"); then
		log "UML cannot run a user process on this host: $line"
	elif line=$(grep -a -m1 -E 'fp regs failed|fp_registers (failed|returned)' \
			"$console"); then
		sent=$(grep -a -o 'Host FP state (NT_X86_XSTATE): [0-9]*' "$console" |
			grep -o '[0-9]*$' | head -n 1)
		sent=${sent:+$sent bytes}
		sent=${sent:-2,696 bytes: this UML kernel lacks scripts/patches/uml-6.12-host-xsave-size.patch}
		log "UML cannot run a user process on this host: the host refused its FP registers (\"${line#*userspace - }\"); this host's XSAVE area is $(mslab_host_xsave_size) bytes (CPUID 0xD), UML sent $sent"
	else
		log "UML did not start its init (no \"$marker\" in $console); its last line: \"$(grep -a -v '^$' "$console" | tail -n 1)\""
	fi
	return 1
}

# A short hash of a kernel config fragment's settings (comments aside, but
# not "# CONFIG_... is not set") and of the further arguments, one a line:
# a kernel build's cache key.
mslab_config_key() {
	local config=$1

	shift
	{ grep -v -e '^#' -e '^$' "$config"
	  grep '^# CONFIG_.* is not set' "$config"
	  printf '%s\n' "$@"; } | sha256sum | cut -c1-16
}

# Is the kernel build in $1 done (its file $2 there) and of the key $3?
mslab_cached_build() {
	[ -e "$1/$2" ] && [ "$(cat "$1/.mslab-key" 2>/dev/null)" = "$3" ]
}

# How mslab_uml_kernel builds; bump when its steps change, to rebuild.
MSLAB_UML_RECIPE=2

# Build (or reuse) a UML kernel from Debian's linux-source-6.12 with the
# kernel's own kunit.py and the kunitconfig $1, in $MSLAB_CACHE/$2 (log in
# $MSLAB_CACHE/$2.log), with what out-of-tree modules need. Redone only when
# the source package version, the project's kernel patches, the kunitconfig
# (comments aside, but not "# CONFIG_... is not set") or MSLAB_UML_RECIPE
# change. Prints the build directory on stdout.
mslab_uml_kernel() {
	local kunitconfig=$1 build="$MSLAB_CACHE/$2"
	local build_log="$MSLAB_CACHE/$2.log" src src_ver key start

	src_ver=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null) ||
		die "linux-source-6.12 is not installed (run scripts/setup.sh)"
	src=$(mslab_kernel_src)
	key="$src_ver-$(mslab_config_key "$kunitconfig" \
		"recipe $MSLAB_UML_RECIPE" "patches $(mslab_kernel_patches_key)")"
	if mslab_cached_build "$build" linux "$key"; then
		echo "$build"
		return 0
	fi

	log "building the UML kernel $2 (about 7 minutes on 2 cores)"
	start=$(date +%s)
	mkdir -p "$build"
	rm -f "$build/.mslab-key"
	(cd "$src" && python3 tools/testing/kunit/kunit.py build --arch=um \
		--build_dir="$build" --kunitconfig="$kunitconfig" \
		--jobs="$(nproc)") >"$build_log" 2>&1 ||
		die "UML kernel build failed: see $build_log"
	# kunit.py builds the image only; out-of-tree modules also need the
	# exported-symbol list and the prepared scripts.
	make -C "$src" O="$build" ARCH=um -j"$(nproc)" modules_prepare modules \
		>>"$build_log" 2>&1 ||
		die "UML modules_prepare failed: see $build_log"
	echo "$key" >"$build/.mslab-key"
	log "UML kernel $2 built in $(($(date +%s) - start)) s"
	echo "$build"
}

# The counts "passed failed skipped" of the KTAP Totals lines on stdin,
# summed: failures include xpass and errors.
mslab_ktap_counts() {
	grep -a -o 'pass:[0-9]* fail:[0-9]* xfail:[0-9]* xpass:[0-9]* skip:[0-9]* error:[0-9]*' |
		sed 's/[a-z]*://g' |
		awk '{ p += $1; f += $2 + $4 + $6; s += $5 } END { print p + 0, f + 0, s + 0 }'
}

# mslab_vm_boot NAME KERNEL_ARGS COMMAND [VM_RUN_OPTION]...: boot the QEMU
# VM once (scripts/vm-run.sh with the options: -m modules, -k kernel, -c/-N
# topology), run COMMAND (run_all.sh or one test: each prints an unprefixed
# "# Totals" line), print its KTAP and add its counts to the caller's
# variables passed, failed and skipped. A VM that died, hung or logged a
# kernel report, or a run with no test, adds one to the caller's problems.
# The timeout is MSLAB_VM_TIMEOUT (default 600 s); the console log is
# $MSLAB_RESULTS/NAME-console.log.
mslab_vm_boot() {
	local name=$1 args=$2 cmd=$3 vm_rc p f k sentinel
	local log_file="$MSLAB_RESULTS/$name-console.log"
	shift 3

	log "booting the VM $name (${args:-default arguments}): $cmd"
	set +e
	"$MSLAB_ROOT/scripts/vm-run.sh" -n "$name" -t "${MSLAB_VM_TIMEOUT:-600}" \
		-a "$args" "$@" -- "$cmd" >"$MSLAB_RESULTS/$name-vm.out"
	vm_rc=$?
	set -e

	# The KTAP, from its header to the sentinel (kernel lines interleave).
	sed -n '/^TAP version 13/,/^mslab-vm: exit=/p' "$log_file"

	# run_all.sh's own Totals (unprefixed) sums the tests' Totals; without
	# it (the VM died mid-run) sum the tests' own ("# # Totals").
	if grep -a -q '^# Totals: ' "$log_file"; then
		read -r p f k < <(grep -a '^# Totals: ' "$log_file" | tail -n 1 | mslab_ktap_counts)
	else
		log "$name: run_all.sh printed no summary: see $log_file"
		read -r p f k < <(grep -a '^# # Totals: ' "$log_file" | mslab_ktap_counts)
		problems=$((problems + 1))
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + k))

	sentinel=$(grep -a -o 'mslab-vm: exit=[0-9]*' "$log_file" | tail -n 1 | cut -d= -f2 || true)
	if [ -z "$sentinel" ]; then
		log "$name: the VM did not finish (panic, hang or timeout): see $log_file"
		problems=$((problems + 1))
	elif [ "$sentinel" -ne 0 ] && [ "$f" -eq 0 ]; then
		log "$name: run_all.sh failed (exit $sentinel) without counting a failure"
		problems=$((problems + 1))
	fi
	if mslab_splats "$log_file" >/dev/null; then
		log "$name: kernel reports in the VM console log: see $MSLAB_RESULTS/$name-splats.txt"
		problems=$((problems + 1))
	fi
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		log "$name: no selftest ran in $log_file"
		problems=$((problems + 1))
	fi
	[ "$vm_rc" -eq 0 ] || [ $((f + problems)) -gt 0 ] || {
		log "$name: vm-run.sh failed (exit $vm_rc): see $MSLAB_RESULTS/$name-vm.out"
		problems=$((problems + 1))
	}
}
