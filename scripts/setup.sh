#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what mslab needs from Debian's archive, idempotently.
#
# The 6.12 image/headers pair is resolved from the archive through the
# linux-headers-6.12-amd64 meta-package, so no ABI number is hard-coded: when
# Debian moves to a newer 6.12 point release, the next run follows it.
#
# Prints the resolved ABI in $MSLAB_CACHE/abi for the other scripts.
#
# The other kernels Debian 12 users run (scripts/vm-kernels.sh builds and
# boots mslab on each) are resolved the same way, each from its
# meta-package, into $MSLAB_CACHE/kernels, a line "NAME RELEASE" each:
#   6.1      linux-headers-amd64          Debian 12's default kernel
#   6.1-rt   linux-headers-rt-amd64       its PREEMPT_RT flavour
#   6.12-rt  linux-headers-6.12-rt-amd64  6.12's PREEMPT_RT flavour
# with their headers and unsigned images, and dkms (with openssl, which
# signs what it builds; scripts/vm-kernels.sh).
set -euo pipefail

. "$(dirname "$0")/lib.sh"

BASE_PKGS="linux-source-6.12 qemu-system-x86 busybox-static sparse
	flex bison bc libelf-dev libssl-dev cpio kmod make gcc python3
	gnuplot-nox perl xz-utils libc6-dev patch dkms openssl"

# NAME META-PACKAGE of each other kernel (see above).
EXTRA_KERNELS="6.1:linux-headers-amd64 6.1-rt:linux-headers-rt-amd64
	6.12-rt:linux-headers-6.12-rt-amd64"

have_all() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed' || return 1
	done
}

sudo_cmd=""
[ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"

apt_updated=0
apt_update() {
	[ $apt_updated -eq 1 ] && return 0
	log "apt-get update"
	$sudo_cmd apt-get update -qq || die "apt-get update failed: no Debian archive reachable"
	apt_updated=1
}

resolve_abi() {
	local dep
	# Depends: linux-headers-6.12.117+deb12-amd64
	dep=$(apt-cache depends linux-headers-6.12-amd64 2>/dev/null |
		sed -n 's/^ *Depends: linux-headers-\(6\.12\.[^ ]*\)-amd64$/\1/p' | head -n1)
	echo "$dep"
}

# The release a headers meta-package depends on, e.g. 6.1.0-57-rt-amd64.
resolve_release() {
	apt-cache depends "$1" 2>/dev/null |
		sed -n 's/^ *Depends: linux-headers-\([0-9][^ ]*\)$/\1/p' | head -n1
}

# The packages of the kernels in $MSLAB_CACHE/kernels.
kernel_pkgs() {
	local name release
	while read -r name release; do
		echo "linux-image-$release-unsigned linux-headers-$release"
	done <"$MSLAB_CACHE/kernels"
}

mkdir -p "$MSLAB_CACHE"

abi=""
[ -f "$MSLAB_CACHE/abi" ] && abi=$(cat "$MSLAB_CACHE/abi")
# Fast path: everything already installed for the ABIs resolved last time.
# shellcheck disable=SC2046,SC2086
if [ -n "$abi" ] && [ -f "$MSLAB_CACHE/kernels" ] &&
		have_all $BASE_PKGS "linux-image-$abi-amd64-unsigned" \
		"linux-headers-$abi-amd64" $(kernel_pkgs); then
	exit 0
fi

apt_update
abi=$(resolve_abi)
[ -n "$abi" ] || die "cannot resolve the 6.12 ABI from linux-headers-6.12-amd64 in the archive"
kernels_new="$MSLAB_CACHE/kernels.new"
: >"$kernels_new"
for k in $EXTRA_KERNELS; do
	release=$(resolve_release "${k#*:}")
	[ -n "$release" ] || die "cannot resolve a kernel from ${k#*:} in the archive"
	echo "${k%%:*} $release" >>"$kernels_new"
done
mv "$kernels_new" "$MSLAB_CACHE/kernels"
pkgs="$BASE_PKGS linux-image-$abi-amd64-unsigned linux-headers-$abi-amd64
	$(kernel_pkgs)"
# shellcheck disable=SC2086
if ! have_all $pkgs; then
	log "installing: $(echo $pkgs | tr '\n' ' ')"
	# shellcheck disable=SC2086
	# INITRD=No: the VMs boot their own initramfs; building Debian's
	# for each kernel would cost minutes.
	DEBIAN_FRONTEND=noninteractive INITRD=No $sudo_cmd apt-get install -y -qq \
		--no-install-recommends $pkgs >"$MSLAB_CACHE/apt.log" 2>&1 ||
		die "apt-get install failed (see $MSLAB_CACHE/apt.log): $(tail -n 3 "$MSLAB_CACHE/apt.log")"
fi
echo "$abi" >"$MSLAB_CACHE/abi"
log "Debian 6.12 ABI: $abi; other kernels: $(cut -d' ' -f2 "$MSLAB_CACHE/kernels" | tr '\n' ' ')"
