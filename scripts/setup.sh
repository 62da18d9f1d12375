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
set -euo pipefail

. "$(dirname "$0")/lib.sh"

BASE_PKGS="linux-source-6.12 qemu-system-x86 busybox-static sparse
	flex bison bc libelf-dev libssl-dev cpio kmod make gcc python3
	gnuplot-nox perl xz-utils libc6-dev patch"

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

mkdir -p "$MSLAB_CACHE"

abi=""
[ -f "$MSLAB_CACHE/abi" ] && abi=$(cat "$MSLAB_CACHE/abi")
# Fast path: everything already installed for the ABI resolved last time.
# shellcheck disable=SC2086
if [ -n "$abi" ] && have_all $BASE_PKGS "linux-image-$abi-amd64-unsigned" \
		"linux-headers-$abi-amd64"; then
	exit 0
fi

apt_update
abi=$(resolve_abi)
[ -n "$abi" ] || die "cannot resolve the 6.12 ABI from linux-headers-6.12-amd64 in the archive"
pkgs="$BASE_PKGS linux-image-$abi-amd64-unsigned linux-headers-$abi-amd64"
# shellcheck disable=SC2086
if ! have_all $pkgs; then
	log "installing: $(echo $pkgs | tr '\n' ' ')"
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq \
		--no-install-recommends $pkgs >"$MSLAB_CACHE/apt.log" 2>&1 ||
		die "apt-get install failed (see $MSLAB_CACHE/apt.log): $(tail -n 3 "$MSLAB_CACHE/apt.log")"
fi
echo "$abi" >"$MSLAB_CACHE/abi"
log "Debian 6.12 ABI: $abi"
