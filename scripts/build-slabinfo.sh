#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the kernel's own tools/mm/slabinfo from Debian's linux-source-6.12,
# statically (the VM has no libc), and copy it to selftests/bin/slabinfo,
# where scripts/vm-run.sh puts it into the VM image with the rest of
# selftests/. selftests/mslab_introspect.sh runs it over /sys/kernel/mslab
# bind-mounted on /sys/kernel/slab, and skips that part without it.
#
# The binary is cached in $MSLAB_CACHE, keyed by the source package version;
# selftests/bin/ is git-ignored. Prints the path of the copy.
set -euo pipefail

. "$(dirname "$0")/lib.sh"

src=$(mslab_kernel_src)
ver=$(basename "$(dirname "$src")")
cached="$MSLAB_CACHE/slabinfo-$ver"
if [ ! -x "$cached" ]; then
	log "building tools/mm/slabinfo (static) from $src"
	gcc -static -O2 -Wall -o "$cached.tmp" "$src/tools/mm/slabinfo.c" ||
		die "cannot build slabinfo statically (libc6-dev provides libc.a)"
	mv "$cached.tmp" "$cached"
fi
mkdir -p "$MSLAB_ROOT/selftests/bin"
# Copy only when it differs: the VM image is keyed by the file's content.
cmp -s "$cached" "$MSLAB_ROOT/selftests/bin/slabinfo" ||
	cp "$cached" "$MSLAB_ROOT/selftests/bin/slabinfo"
echo "$MSLAB_ROOT/selftests/bin/slabinfo"
