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

# Extract Debian's linux-source-6.12 tarball once per package version and
# print the tree's path. checkpatch.pl, kunit.py and the UML kernel come from
# here.
mslab_kernel_src() {
	local ver dir tarball=/usr/src/linux-source-6.12.tar.xz
	ver=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null) ||
		die "linux-source-6.12 is not installed (run scripts/setup.sh)"
	dir="$MSLAB_CACHE/src-$ver/linux-source-6.12"
	if [ ! -f "$dir/.mslab-extracted" ]; then
		log "extracting $tarball"
		rm -rf "$MSLAB_CACHE/src-$ver"
		mkdir -p "$MSLAB_CACHE/src-$ver"
		tar -C "$MSLAB_CACHE/src-$ver" -xJf "$tarball" ||
			die "cannot extract $tarball"
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
		Kbuild mslab include kunit selftests) | while read -r f; do
		[ -f "$MSLAB_ROOT/$f" ] || continue
		mkdir -p "$dst/$(dirname "$f")"
		ln -sf "$MSLAB_ROOT/$f" "$dst/$f"
	done
}

# Build mslab and the client/test modules against Debian's 6.12 headers in
# the shadow tree $1, logging to $2. The .ko files are left in $1.
mslab_build_vm_modules() {
	local obj=$1 build_log=$2
	local kdir="/usr/src/linux-headers-$(mslab_abi)-amd64"

	[ -f "$kdir/Makefile" ] || die "$kdir is missing (run scripts/setup.sh)"
	log "building mslab against $kdir"
	mslab_shadow_tree "$obj"
	find "$obj" -name '*.ko' -delete
	make -C "$kdir" M="$obj" W=1 KCFLAGS=-Werror -j"$(nproc)" modules \
		>"$build_log" 2>&1
}

# How mslab_uml_kernel builds; bump when its steps change, to rebuild.
MSLAB_UML_RECIPE=1

# Build (or reuse) a UML kernel from Debian's linux-source-6.12 with the
# kernel's own kunit.py and the kunitconfig $1, in $MSLAB_CACHE/$2 (log in
# $MSLAB_CACHE/$2.log), with what out-of-tree modules need. Redone only when
# the source package version, the kunitconfig (comments aside, but not
# "# CONFIG_... is not set") or MSLAB_UML_RECIPE change. Prints the build
# directory on stdout.
mslab_uml_kernel() {
	local kunitconfig=$1 build="$MSLAB_CACHE/$2"
	local build_log="$MSLAB_CACHE/$2.log" src src_ver key start

	src_ver=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null) ||
		die "linux-source-6.12 is not installed (run scripts/setup.sh)"
	src=$(mslab_kernel_src)
	key=$({ grep -v -e '^#' -e '^$' "$kunitconfig"
		grep '^# CONFIG_.* is not set' "$kunitconfig"
		echo "recipe $MSLAB_UML_RECIPE"; } | sha256sum | cut -c1-16)
	key="$src_ver-$key"
	if [ -x "$build/linux" ] &&
	   [ "$(cat "$build/.mslab-key" 2>/dev/null)" = "$key" ]; then
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
