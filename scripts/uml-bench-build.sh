#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (or reuse) the UML kernel that `make bench` times mslab in.
#
# Like scripts/uml-build.sh, but from kunit/uml-bench.kunitconfig: no KASAN,
# lockdep or DEBUG_VM, so that the figures are those of the allocators and
# not of the debugging machinery. The build lives in
# $MSLAB_CACHE/uml-bench-build and is redone only when the source package
# version, the kunitconfig or this script change. `make check` never builds
# it.
#
# Prints the build directory on stdout.
set -euo pipefail

. "$(dirname "$0")/lib.sh"

kunitconfig="$MSLAB_ROOT/kunit/uml-bench.kunitconfig"
src_ver=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null) ||
	die "linux-source-6.12 is not installed (run scripts/setup.sh)"
src=$(mslab_kernel_src)
build="$MSLAB_CACHE/uml-bench-build"
build_log="$MSLAB_CACHE/uml-bench-build.log"
# The key ignores the kunitconfig's comments (but not "# CONFIG_... is not
# set"), so that editing them does not rebuild the kernel.
key=$({ grep -v -e '^#' -e '^$' "$kunitconfig"
	grep '^# CONFIG_.* is not set' "$kunitconfig"
	cat "$0"; } | sha256sum | cut -c1-16)
key="$src_ver-$key"

if [ -x "$build/linux" ] && [ "$(cat "$build/.mslab-key" 2>/dev/null)" = "$key" ]; then
	echo "$build"
	exit 0
fi

log "building the UML bench kernel in $build (about 6 minutes on 2 cores)"
start=$(date +%s)
mkdir -p "$build"
rm -f "$build/.mslab-key"
(cd "$src" && python3 tools/testing/kunit/kunit.py build --arch=um \
	--build_dir="$build" --kunitconfig="$kunitconfig" \
	--jobs="$(nproc)") >"$build_log" 2>&1 ||
	die "UML bench kernel build failed: see $build_log"
# Out-of-tree modules need the exported-symbol list and prepared scripts.
make -C "$src" O="$build" ARCH=um -j"$(nproc)" modules_prepare modules \
	>>"$build_log" 2>&1 ||
	die "UML bench modules_prepare failed: see $build_log"
echo "$key" >"$build/.mslab-key"
log "UML bench kernel built in $(($(date +%s) - start)) s"
echo "$build"
