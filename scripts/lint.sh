#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Lint mslab's C sources with the kernel's own tools:
#  - scripts/checkpatch.pl --strict from linux-source-6.12, on every .c/.h:
#    0 errors, 0 warnings, 0 checks, with one type ignored:
#    MACRO_ARG_UNUSED, which every user of a list like mslab/stat_items.h
#    trips (the enum takes a counter's constant, not its file name);
#    MACRO_ARG_REUSE, its real cousin, stays on;
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

# checkpatch: a file at a time, so a failure names its file; as many at
# once as there are CPUs (each is a perl start-up: 40 s in turn on 2
# cores). Each prints its report and then "PASS file" or "FAIL file".
checkpatch_one() {
	local out
	if out=$(perl "$src/scripts/checkpatch.pl" --no-tree --strict \
			--ignore MACRO_ARG_UNUSED \
			--show-types --quiet --file "$1" 2>&1); then
		echo "PASS $1"
	else
		printf '%s\nFAIL %s\n' "$out" "$1"
	fi
}
export -f checkpatch_one
export src
report="$MSLAB_RESULTS/checkpatch.log"
printf '%s\0' "${files[@]}" |
	xargs -0 -n 1 -P "$(nproc)" bash -c 'checkpatch_one "$1"' _ >"$report"
grep -v '^PASS ' "$report" | grep -v '^FAIL ' || true
while read -r f; do
	log "checkpatch: $f"
done < <(sed -n 's/^FAIL //p' "$report")
passed=$((passed + $(grep -c '^PASS ' "$report" || true)))
failed=$((failed + $(grep -c '^FAIL ' "$report" || true)))
if [ $((passed + failed)) -ne "${#files[@]}" ]; then
	log "checkpatch: $((passed + failed)) results for ${#files[@]} files"
	failed=$((failed + 1))
fi

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
