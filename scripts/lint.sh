#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Lint mslab's C sources with the kernel's own tools:
#  - scripts/checkpatch.pl --strict from linux-source-6.12, on every .c/.h:
#    0 errors, 0 warnings, 0 checks;
#  - sparse (C=2) against Debian's 6.12 headers: no report on mslab's files.
#    The UML-only KUnit sources are checked by sparse in the UML build
#    (scripts/kunit.sh does not; checkpatch does cover them).
set -euo pipefail

. "$(dirname "$0")/lib.sh"

src=$(mslab_kernel_src)
kdir="/usr/src/linux-headers-$(mslab_abi)-amd64"
mkdir -p "$MSLAB_RESULTS"
passed=0
failed=0

cd "$MSLAB_ROOT"
mapfile -t files < <(git ls-files --cached --others --exclude-standard \
	'*.[ch]' | sort)

# checkpatch: a file at a time, so a failure names its file.
for f in "${files[@]}"; do
	if out=$(perl "$src/scripts/checkpatch.pl" --no-tree --strict \
			--show-types --quiet --file "$f" 2>&1); then
		passed=$((passed + 1))
	else
		echo "$out"
		log "checkpatch: $f"
		failed=$((failed + 1))
	fi
done

# sparse: a full C=2 build in a shadow tree, so in-tree objects are untouched.
obj="$MSLAB_ROOT/build/sparse"
mslab_shadow_tree "$obj"
if ! make -C "$kdir" M="$obj" C=2 W=1 -j"$(nproc)" modules \
		>"$MSLAB_RESULTS/sparse.log" 2>&1; then
	cat "$MSLAB_RESULTS/sparse.log" >&2
	log "sparse build failed"
	failed=$((failed + 1))
elif grep -E "^$obj/.*: (warning|error):" "$MSLAB_RESULTS/sparse.log"; then
	log "sparse reported the lines above"
	failed=$((failed + 1))
else
	passed=$((passed + 1))
fi

mslab_record lint "$passed" "$failed"
log "lint: ${#files[@]} files checkpatch'd, sparse run; $passed passed, $failed failed"
[ "$failed" -eq 0 ]
