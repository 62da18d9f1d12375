#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (or reuse) the debug x86-64 kernel for the QEMU VM: Debian's
# linux-source-6.12 with tinyconfig plus scripts/debug-kernel.config
# (SMP, NUMA, CPU hotplug, modules, lockdep, DEBUG_VM, DEBUG_PAGEALLOC,
# DEBUG_LIST) and a flavour's fragment, redone only when the source
# package, the config fragments or this recipe change. The tree is
# prepared for out-of-tree modules (M=). Every option the fragments set
# must survive olddefconfig: one that a dependency dropped fails the
# build, named.
#
#   scripts/debug-kernel.sh [kasan|kcsan|rt]
#
#   kasan  (default) debug-kernel-kasan.config: generic inline KASAN, in
#          $MSLAB_CACHE/debug-build
#   kcsan  debug-kernel-kcsan.config: KCSAN (which excludes KASAN), in
#          $MSLAB_CACHE/debug-build-kcsan
#   rt     debug-kernel-rt.config: PREEMPT_RT, with the raw spinlock
#          nesting checks, in $MSLAB_CACHE/debug-build-rt
#
# Prints the build directory on stdout; its bzImage is
# arch/x86/boot/bzImage.
set -euo pipefail

. "$(dirname "$0")/lib.sh"

# How this script builds; bump when its steps change, to rebuild.
RECIPE=1

flavour=${1:-kasan}
case $flavour in
kasan)	build="$MSLAB_CACHE/debug-build" ;;
kcsan)	build="$MSLAB_CACHE/debug-build-kcsan" ;;
rt)	build="$MSLAB_CACHE/debug-build-rt" ;;
*)	die "unknown flavour '$flavour' (kasan, kcsan, rt)" ;;
esac
configs=("$MSLAB_ROOT/scripts/debug-kernel.config"
	 "$MSLAB_ROOT/scripts/debug-kernel-$flavour.config")
build_log="$build.log"

src_ver=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null) ||
	die "linux-source-6.12 is not installed (run scripts/setup.sh)"
src=$(mslab_kernel_src)
key="$src_ver-$(mslab_config_key "${configs[0]}" "recipe $RECIPE" \
	"$(cat "${configs[1]}")")"
if mslab_cached_build "$build" arch/x86/boot/bzImage "$key"; then
	echo "$build"
	exit 0
fi

log "building the $flavour debug kernel in $build"
start=$(date +%s)
mkdir -p "$build"
rm -f "$build/.mslab-key"
{
	make -C "$src" O="$build" ARCH=x86_64 tinyconfig
	(cd "$src" && ./scripts/kconfig/merge_config.sh -m -O "$build" \
		"$build/.config" "${configs[@]}")
	make -C "$src" O="$build" ARCH=x86_64 olddefconfig
} >"$build_log" 2>&1 || die "configuring the debug kernel failed: see $build_log"

# Every option of the fragments as asked (the last fragment's word for
# an option), or a clear error.
declare -A want
while read -r line; do
	case $line in
	CONFIG_*=*) want[${line%%=*}]=$line ;;
	"# CONFIG_"*" is not set") sym=${line#\# }; want[${sym%% *}]=$line ;;
	esac
done < <(cat "${configs[@]}")
missing=0
for sym in "${!want[@]}"; do
	if ! grep -qxF "${want[$sym]}" "$build/.config"; then
		log "debug kernel: '${want[$sym]}' did not survive olddefconfig"
		missing=$((missing + 1))
	fi
done
[ "$missing" -eq 0 ] || die "debug kernel config: $missing option(s) dropped (see above)"

make -C "$src" O="$build" ARCH=x86_64 -j"$(nproc)" bzImage modules \
	>>"$build_log" 2>&1 || die "debug kernel build failed: see $build_log"
make -C "$src" O="$build" ARCH=x86_64 -j"$(nproc)" modules_prepare \
	>>"$build_log" 2>&1 || die "debug kernel modules_prepare failed: see $build_log"
echo "$key" >"$build/.mslab-key"
log "debug kernel built in $(($(date +%s) - start)) s"
echo "$build"
