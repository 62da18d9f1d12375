#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run mslab's KUnit suites under UML.
#
# The UML kernel (scripts/uml-build.sh) is built once with KASAN, lockdep and
# module support. mslab.ko and mslab_kunit.ko are built against it as
# out-of-tree modules, loaded from a hostfs root by a busybox init, and the
# console log is parsed by the kernel's own kunit.py. Then both modules are
# unloaded, so a leak or a splat at rmmod fails the run too. See
# Documentation/testing.rst for why modules rather than a tree overlay.
set -euo pipefail

. "$(dirname "$0")/lib.sh"

timeout_s=${MSLAB_UML_TIMEOUT:-600}
uml=$(scripts/uml-build.sh)
src=$(mslab_kernel_src)
obj="$MSLAB_ROOT/build/um"
root="$MSLAB_CACHE/uml-root"
logdir="$MSLAB_RESULTS"
mkdir -p "$logdir"
log_file="$logdir/kunit-console.log"

log "building mslab for UML"
mslab_shadow_tree "$obj"
make -C "$uml" ARCH=um M="$obj" W=1 KCFLAGS=-Werror -j"$(nproc)" modules \
	>"$logdir/kunit-build.log" 2>&1 || {
	cat "$logdir/kunit-build.log" >&2
	die "building mslab against the UML kernel failed"
}

# A hostfs root: static busybox, an init script and the modules.
mkdir -p "$root"/{bin,proc,sys,dev,tmp,modules}
cp /bin/busybox "$root/bin/busybox"
find "$root/modules" -name '*.ko' -delete
find "$obj" -name '*.ko' -exec cp {} "$root/modules/" \;
cp "$MSLAB_ROOT/scripts/guest/uml-init.sh" "$root/init"
chmod +x "$root/init"

log "booting UML ($(basename "$uml")/linux) to run the KUnit suites"
set +e
timeout --kill-after=10 "$timeout_s" "$uml/linux" mem=1G console=tty \
	rootfstype=hostfs hostfs="$root" init=/init \
	</dev/null >"$log_file" 2>&1
rc=$?
set -e

# A UML kernel that cannot run user processes here never reaches init:
# say why, rather than that kunit.py found no KTAP output.
if ! mslab_uml_started_init "$log_file" 'mslab-uml: init started'; then
	mslab_record kunit 0 1 0
	exit 1
fi

# The built-in KUnit executor prints an empty KTAP report at boot; parse
# only what follows the marker init prints before loading mslab_kunit.ko.
json="$logdir/kunit.json"
sed -n '/^mslab-uml: loading the KUnit suites/,$p' "$log_file" \
	>"$logdir/kunit-ktap.log"
python3 "$src/tools/testing/kunit/kunit.py" parse --json="$json" \
	"$logdir/kunit-ktap.log" >"$logdir/kunit-parse.log" 2>&1 || true
cat "$logdir/kunit-parse.log"

read -r passed failed skipped < <(python3 - "$json" <<'PY'
import json, sys
def walk(t, c):
    subs = t.get("sub_groups") or []
    for s in subs:
        walk(s, c)
    for case in t.get("test_cases") or []:
        st = case.get("status")
        c[{"PASS": 0, "SKIP": 2}.get(st, 1)] += 1
try:
    data = json.load(open(sys.argv[1]))
except Exception:
    print(0, 0, 0)
    sys.exit()
c = [0, 0, 0]
walk(data, c)
print(*c)
PY
)

problems=0
if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
	log "UML timed out after ${timeout_s}s"
	problems=$((problems + 1))
fi
if ! grep -q '^mslab-uml: done' "$log_file"; then
	log "UML init did not finish: see $log_file"
	problems=$((problems + 1))
fi
if grep -q '^mslab-uml: FAIL' "$log_file"; then
	grep '^mslab-uml: FAIL' "$log_file" >&2
	problems=$((problems + 1))
fi
if mslab_splats "$log_file" >"$logdir/kunit-splats.txt"; then
	log "kernel reports in the UML console log:"
	head -n 40 "$logdir/kunit-splats.txt" >&2
	problems=$((problems + 1))
fi
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
	log "no KUnit test ran"
	problems=$((problems + 1))
fi

failed=$((failed + problems))
mslab_record kunit "$passed" "$failed" "$skipped"
log "KUnit under UML: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
