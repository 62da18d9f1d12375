#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Does mslab's UML kernel run user processes on hosts whose XSAVE area is
# not this machine's? (scripts/patches/uml-6.12-host-xsave-size.patch: these
# are the smaller areas, where the unpatched kernel worked too; the patch
# must not break them.)
#
#   scripts/uml-hosts.sh [UML_BUILD_DIR]      (default: the KUnit kernel)
#
# Each "host" is a QEMU guest (Debian's 6.12 kernel, TCG) with a CPU model
# whose XSAVE area differs: the guest kernel is the host UML runs on. UML
# boots from a hostfs root inside the guest, and its init (user processes,
# whose FP state UML saves and restores with PTRACE_{GET,SET}REGSET at the
# size the guest's CPU makes it) runs two floating-point sums at once and
# prints them; both must equal the host's. One test point per CPU model, KTAP on stdout; UML's console
# and the guest's are in $MSLAB_RESULTS/uml-hosts-<model>.log. Records the
# counts as the stage "uml-hosts" for scripts/check.sh.
#
# The models (QEMU 7.2 under TCG emulates x87, SSE, AVX and PKU, not
# AVX-512 or AMX):
#   max               XSAVE with PKRU: 2,696 bytes, the size UML 6.12 assumes
#   max,pku=off       x87+SSE+AVX+MPX: 1,088 bytes
#   SandyBridge       x87+SSE+AVX: 832 bytes
#   max,xsave=off     no XSAVE: UML falls back to PTRACE_GETFPREGS
set -euo pipefail

. "$(dirname "$0")/lib.sh"

uml=${1:-$("$MSLAB_ROOT/scripts/uml-build.sh")}
[ -x "$uml/linux" ] || die "no UML kernel at $uml/linux"
abi=$(mslab_abi)
kernel=/boot/vmlinuz-$abi-amd64
[ -f "$kernel" ] || die "$kernel is missing (run scripts/setup.sh)"

models=("max" "max,pku=off" "SandyBridge" "max,xsave=off")
timeout_s=${MSLAB_VM_TIMEOUT:-300}
mkdir -p "$MSLAB_RESULTS"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/mslab-uml-hosts.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# The guest's initramfs: busybox, the UML kernel (stripped: only its text
# matters here) and, as UML's hostfs root, a directory whose init prints
# the marker and powers UML off.
root="$tmp/root"
mkdir -p "$root"/{bin,dev,proc,sys,tmp,uml/bin,uml/proc,uml/dev,uml/tmp}
cp /bin/busybox "$root/bin/busybox"
cp /bin/busybox "$root/uml/bin/busybox"
mknod "$root/dev/console" c 5 1 2>/dev/null || true
strip -o "$root/linux" "$uml/linux"
# UML is a dynamically linked host program: its libraries come along.
for lib in $(ldd "$uml/linux" | grep -o '/[^ ]*'); do
	mkdir -p "$root$(dirname "$lib")"
	cp -L "$lib" "$root$lib"
done
# Two processes summing in floating point at once, so UML switches between
# them with their FP registers live: a state saved or restored wrong shows
# as a wrong sum. The host's busybox gives the expected one.
sum='BEGIN { s = 0; for (i = 1; i <= 20000; i++) s += 1.0 / i; printf "%.12f", s }'
expected=$(/bin/busybox awk "$sum")
cat >"$root/uml/init" <<EOF
#!/bin/busybox sh
echo "mslab-uml-hosts: a user process ran"
# A background job's stdin is /dev/null, and hostfs has no devices.
/bin/busybox mount -t ramfs ramfs /dev
/bin/busybox mknod /dev/null c 1 3
/bin/busybox awk '$sum' >/tmp/a &
/bin/busybox awk '$sum' >/tmp/b
wait
echo "mslab-uml-hosts: sums \$(/bin/busybox cat /tmp/a) \$(/bin/busybox cat /tmp/b) expected $expected"
/bin/busybox poweroff -f
EOF
cat >"$root/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
echo "mslab-uml-hosts: guest flags: $(grep -m1 '^flags' /proc/cpuinfo |
	tr ' ' '\n' | grep -E '^(xsave|avx|avx2|avx512f|pku|ospke|amx_tile)$' |
	tr '\n' ' ')"
mkdir -p /tmp/uml-tmp
mount -t tmpfs -o exec tmpfs /tmp/uml-tmp
chmod 755 /uml/init
TMPDIR=/tmp/uml-tmp /linux mem=256M console=tty rw rootfstype=hostfs \
	hostfs=/uml init=/init </dev/null 2>&1
echo "mslab-uml-hosts: uml exit=$?"
poweroff -f
EOF
chmod 755 "$root/init" "$root/uml/init"
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet |
	gzip -1) >"$tmp/initramfs.cpio.gz"

echo "TAP version 13"
echo "1..${#models[@]}"
passed=0
failed=0
i=0
for model in "${models[@]}"; do
	i=$((i + 1))
	log_file="$MSLAB_RESULTS/uml-hosts-${model//,/_}.log"
	start=$SECONDS
	timeout --kill-after=10 "$timeout_s" qemu-system-x86_64 \
		-nographic -no-reboot -nic none -cpu "$model" -m 2G -smp 1 \
		-kernel "$kernel" -initrd "$tmp/initramfs.cpio.gz" \
		-append "console=ttyS0 panic=-1 loglevel=4 rdinit=/init" \
		</dev/null 2>&1 | tr -d '\r' >"$log_file" || true
	flags=$(grep -a -o 'guest flags: .*' "$log_file" | cut -d: -f2- | xargs)
	fp=$(grep -a -o 'Host FP state (NT_X86_XSTATE): [0-9]* bytes' "$log_file" |
		grep -o '[0-9]* bytes' || echo "no XSAVE regset")
	what="-cpu $model [${flags:-?}]: FP state $fp, $((SECONDS - start)) s"
	if grep -a -q "^mslab-uml-hosts: sums $expected $expected expected" \
			"$log_file"; then
		echo "ok $i UML ran a user process on $what"
		passed=$((passed + 1))
	else
		echo "not ok $i UML ran a user process on $what"
		grep -a -E 'fp regs|fp_registers|FP buffer|Kernel panic|sums|uml exit=' \
			"$log_file" | sed 's/^/# /' || true
		failed=$((failed + 1))
	fi
done
echo "# Totals: pass:$passed fail:$failed xfail:0 xpass:0 skip:0 error:0"
mslab_record uml-hosts "$passed" "$failed" 0
[ "$failed" -eq 0 ]
