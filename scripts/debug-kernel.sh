#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (or reuse) the debug x86-64 kernel for the QEMU VM: Debian's
# linux-source-6.12 with tinyconfig plus scripts/debug-kernel.config
# (SMP, NUMA, CPU hotplug, modules, and KASAN, lockdep, DEBUG_VM,
# DEBUG_PAGEALLOC, DEBUG_LIST), in $MSLAB_CACHE/debug-build, redone only
# when the source package, the config fragment or this recipe change. The
# tree is prepared for out-of-tree modules (M=). Every option the fragment
# sets must survive olddefconfig: one that a dependency dropped fails the
# build, named.
#
# Prints the build directory on stdout; its bzImage is
# arch/x86/boot/bzImage.
set -euo pipefail

. "$(dirname "$0")/lib.sh"

# How this script builds; bump when its steps change, to rebuild.
RECIPE=1

config="$MSLAB_ROOT/scripts/debug-kernel.config"
build="$MSLAB_CACHE/debug-build"
build_log="$MSLAB_CACHE/debug-build.log"

src_ver=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null) ||
	die "linux-source-6.12 is not installed (run scripts/setup.sh)"
src=$(mslab_kernel_src)
key="$src_ver-$(mslab_config_key "$config" "recipe $RECIPE")"
if mslab_cached_build "$build" arch/x86/boot/bzImage "$key"; then
	echo "$build"
	exit 0
fi

log "building the debug kernel (KASAN, lockdep) in $build"
start=$(date +%s)
mkdir -p "$build"
rm -f "$build/.mslab-key"
{
	make -C "$src" O="$build" ARCH=x86_64 tinyconfig
	(cd "$src" && ./scripts/kconfig/merge_config.sh -m -O "$build" \
		"$build/.config" "$config")
	make -C "$src" O="$build" ARCH=x86_64 olddefconfig
} >"$build_log" 2>&1 || die "configuring the debug kernel failed: see $build_log"

# Every option of the fragment as asked, or a clear error.
missing=0
while read -r line; do
	case $line in
	CONFIG_*=*) want=$line ;;
	"# CONFIG_"*" is not set") want=$line ;;
	*) continue ;;
	esac
	if ! grep -qxF "$want" "$build/.config"; then
		log "debug kernel: '$want' did not survive olddefconfig"
		missing=$((missing + 1))
	fi
done <"$config"
[ "$missing" -eq 0 ] || die "debug kernel config: $missing option(s) dropped (see above)"

make -C "$src" O="$build" ARCH=x86_64 -j"$(nproc)" bzImage modules \
	>>"$build_log" 2>&1 || die "debug kernel build failed: see $build_log"
make -C "$src" O="$build" ARCH=x86_64 -j"$(nproc)" modules_prepare \
	>>"$build_log" 2>&1 || die "debug kernel modules_prepare failed: see $build_log"
echo "$key" >"$build/.mslab-key"
log "debug kernel built in $(($(date +%s) - start)) s"
echo "$build"
