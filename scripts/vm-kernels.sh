#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernels Debian 12 users run besides 6.12 generic (which the selftest
# stage covers in full): 6.1, 6.1-rt and 6.12-rt, as setup.sh resolved
# them from the archive (mslab_kernels).
#
# 1. DKMS: the DKMS sources (make dkms-src) are added to a private DKMS tree
#    and "dkms build -k" builds mslab.ko for each of the four kernels,
#    6.12 generic included. The dkms.conf version must be MSLAB_VERSION.
# 2. For each other kernel: mslab and its test modules built W=1 -Werror
#    against its headers, and one VM boot of that kernel (4 vCPUs, 2 nodes)
#    running the selftests a kernel port can break: load/unload, geometry
#    against that kernel's SLUB, the SMP stress with CPU hotplug,
#    introspection, debugging, and on the RT kernels the debug switch. The
#    6.1 boot loads the mslab.ko DKMS built, not the one of step 2.
#
# Each kernel is booted with slab_nomerge: 6.1 has no SLAB_NO_MERGE, and
# the geometry test must see the kernel's own cache of each size, not one
# it was merged into.
set -euo pipefail

. "$(dirname "$0")/lib.sh"

logdir="$MSLAB_RESULTS"
mkdir -p "$logdir"
# The tests each boot runs: the RT kernels also mslab_switch.sh, whose
# locking is what RT changes.
tests="module core smp introspect slab_debug"
rt_tests="$tests switch"

# What mslab_vm_boot adds to.
passed=0
failed=0
skipped=0
problems=0

# --- DKMS ---------------------------------------------------------------

dkms_dir="$MSLAB_ROOT/build/dkms"
version=$(sed -n 's/^#define MSLAB_VERSION "\(.*\)"/\1/p' "$MSLAB_ROOT/include/linux/mslab.h")
dkms_version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$MSLAB_ROOT/dkms.conf")
dkms_ok() {
	echo "ok $1"
	passed=$((passed + 1))
}
dkms_fail() {
	echo "not ok $1"
	failed=$((failed + 1))
}

if [ "$version" = "$dkms_version" ]; then
	dkms_ok "dkms.conf version $dkms_version is MSLAB_VERSION"
else
	dkms_fail "dkms.conf version $dkms_version is MSLAB_VERSION ($version)"
fi
rm -rf "$dkms_dir"
mkdir -p "$dkms_dir/tree"
make -s -C "$MSLAB_ROOT" dkms-src DKMS_SRC="$dkms_dir/src/mslab-$version" ||
	die "make dkms-src failed"
dkms_args=(-m mslab -v "$version" --sourcetree "$dkms_dir/src"
	   --dkmstree "$dkms_dir/tree")
if dkms add "${dkms_args[@]}" >"$logdir/dkms-add.log" 2>&1; then
	dkms_ok "dkms add"
else
	cat "$logdir/dkms-add.log" >&2
	dkms_fail "dkms add"
fi
# dkms_ko RELEASE: the mslab.ko DKMS built for RELEASE, compressed as that
# kernel's modules are (.ko.xz on 6.12); nothing when there is none.
dkms_ko() {
	ls "$dkms_dir/tree/mslab/$version/$1/$(uname -m)/module/"mslab.ko* \
		2>/dev/null | head -n 1
}
for release in "$(mslab_abi)-amd64" $(mslab_kernels | cut -d' ' -f2); do
	if dkms build "${dkms_args[@]}" -k "$release" \
			>"$logdir/dkms-build-$release.log" 2>&1 &&
			[ -n "$(dkms_ko "$release")" ]; then
		dkms_ok "dkms build -k $release"
	else
		tail -n 20 "$logdir/dkms-build-$release.log" >&2
		dkms_fail "dkms build -k $release"
	fi
done

# --- Each other kernel: build and boot ----------------------------------

while read -r name release; do
	obj="$MSLAB_ROOT/build/vm-$name"
	build_log="$logdir/kernels-$name-build.log"
	if ! mslab_build_vm_modules "$obj" "$build_log" \
			"/usr/src/linux-headers-$release"; then
		tail -n 30 "$build_log" >&2
		log "$name: building mslab against $release failed"
		problems=$((problems + 1))
		continue
	fi
	if grep -q 'warning:' "$build_log"; then
		log "$name: build warnings (see $build_log)"
		problems=$((problems + 1))
	fi
	mod_args=()
	for k in $(find "$obj" -name '*.ko' | LC_ALL=C sort); do
		if [ "$name" = 6.1 ] && [ "${k##*/}" = mslab.ko ]; then
			k=$(dkms_ko "$release")
			case $k in
			*.ko) ;;
			*) log "6.1: no uncompressed mslab.ko from DKMS ($k)"
			   problems=$((problems + 1))
			   continue ;;
			esac
		fi
		mod_args+=(-m "$k")
	done
	case $name in
	*-rt) these=$rt_tests ;;
	*) these=$tests ;;
	esac
	# 25,000 allocations per stress thread, half the full suite's.
	mslab_vm_boot "kernel-$name" "slab_nomerge" \
		"MSLAB_SMP_OPS=25000 sh /selftests/run_all.sh $these" \
		-k "/boot/vmlinuz-$release" "${mod_args[@]}"
done < <(mslab_kernels)

failed=$((failed + problems))
mslab_record kernels "$passed" "$failed" "$skipped"
log "other kernels: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
