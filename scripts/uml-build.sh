#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (or reuse) the UML kernel that runs mslab's KUnit suites.
#
# The kernel comes from Debian's linux-source-6.12 and is built by the
# kernel's own tools/testing/kunit/kunit.py from kunit/uml.kunitconfig. Source
# and build trees live in $MSLAB_CACHE; the build is redone only when the
# source package version, the kunitconfig or this script change.
#
# Prints the build directory on stdout.
set -euo pipefail

. "$(dirname "$0")/lib.sh"

kunitconfig="$MSLAB_ROOT/kunit/uml.kunitconfig"
src_ver=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null) ||
	die "linux-source-6.12 is not installed (run scripts/setup.sh)"
src=$(mslab_kernel_src)
build="$MSLAB_CACHE/uml-build"
key=$(cat "$kunitconfig" "$0" | sha256sum | cut -c1-16)
key="$src_ver-$key"

if [ -x "$build/linux" ] && [ "$(cat "$build/.mslab-key" 2>/dev/null)" = "$key" ]; then
	echo "$build"
	exit 0
fi

log "building the UML kernel in $build (about 10 minutes on 2 cores)"
start=$(date +%s)
mkdir -p "$build"
rm -f "$build/.mslab-key"
(cd "$src" && python3 tools/testing/kunit/kunit.py build --arch=um \
	--build_dir="$build" --kunitconfig="$kunitconfig" \
	--jobs="$(nproc)") >"$MSLAB_CACHE/uml-build.log" 2>&1 ||
	die "UML kernel build failed: see $MSLAB_CACHE/uml-build.log"
# Out-of-tree modules need the exported-symbol list and prepared scripts;
# kunit.py's build only makes the kernel image.
make -C "$src" O="$build" ARCH=um -j"$(nproc)" modules_prepare modules \
	>>"$MSLAB_CACHE/uml-build.log" 2>&1 ||
	die "UML modules_prepare failed: see $MSLAB_CACHE/uml-build.log"
echo "$key" >"$build/.mslab-key"
log "UML kernel built in $(($(date +%s) - start)) s"
echo "$build"
