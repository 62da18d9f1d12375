#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run shell commands in a QEMU VM booting Debian's 6.12 kernel.
#
#   scripts/vm-run.sh [-t TIMEOUT_S] [-n NAME] [-a KERNEL_ARGS]
#                     [-k KERNEL_IMAGE] [-c CPUS] [-N NODES]
#                     [-m MODULE.ko]... [--] 'shell command'...
#
# -k boots another image than Debian's (the debug kernel of
# scripts/debug-kernel.sh); the modules must have been built for it.
# -c and -N set the vCPUs (default 4) and NUMA nodes (default 2): one
# socket per node, the CPUs and the 2 GiB of memory split evenly.
#
# This is the SMP/NUMA twin of the UML runtime (scripts/kunit.sh): by
# default 4 vCPUs in two sockets, one NUMA node per socket, under TCG since
# there is no KVM. The initramfs is a static busybox with
# scripts/guest/vm-init.sh as /init, the given modules in /modules/,
# selftests/ in /selftests/, bench/bench.sh in /bench/ and
# tools/mslabinfo.sh as /bin/mslabinfo. It is cached in $MSLAB_CACHE/vm,
# keyed by a hash of those inputs; the commands travel in a second, per-run
# cpio appended to it as /cmds.sh.
#
# The commands run in order under busybox sh; the first one that fails ends
# the run. The console goes to stdout and $MSLAB_RESULTS/NAME-console.log.
# The exit status is that of the commands, but non-zero whenever the VM did
# not print vm-init.sh's sentinel (panic, hang, timeout: 124) or the console
# holds kernel reports (mslab_splats): those print their lines and exit 1
# when the commands themselves succeeded.
set -euo pipefail

. "$(dirname "$0")/lib.sh"

usage() {
	sed -n '6,8s/^#  *//p' "$0" >&2
	exit 2
}

timeout_s=${MSLAB_VM_TIMEOUT:-300}
name=vm
extra_args=
kernel=
cpus=4
nodes=2
modules=()
while getopts 't:n:a:k:c:N:m:h' opt; do
	case $opt in
	t) timeout_s=$OPTARG ;;
	n) name=$OPTARG ;;
	a) extra_args=$OPTARG ;;
	k) kernel=$OPTARG ;;
	c) cpus=$OPTARG ;;
	N) nodes=$OPTARG ;;
	m) [ -f "$OPTARG" ] || die "no such module: $OPTARG"
	   modules+=("$(realpath "$OPTARG")") ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || usage
[ "$nodes" -ge 1 ] && [ "$cpus" -ge "$nodes" ] && [ $((cpus % nodes)) -eq 0 ] ||
	die "-c $cpus -N $nodes: the CPUs must split evenly over the nodes"

[ -n "$kernel" ] || kernel=/boot/vmlinuz-$(mslab_abi)-amd64
[ -f "$kernel" ] || die "$kernel is missing (run scripts/setup.sh)"
busybox=/bin/busybox
[ -x "$busybox" ] || die "$busybox is missing (install busybox-static)"
command -v qemu-system-x86_64 >/dev/null ||
	die "qemu-system-x86_64 is missing (install qemu-system-x86)"

vmdir="$MSLAB_CACHE/vm"
mkdir -p "$vmdir" "$MSLAB_RESULTS"
tmp=$(mktemp -d "$vmdir/run.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# Files of selftests/ that go into the image, not build products, and the
# benchmark's guest script (/bench/bench.sh).
image_files() {
	(cd "$MSLAB_ROOT" && {
		find selftests -type f \
			! -name '*.o' ! -name '*.ko' ! -name '*.mod' \
			! -name '*.mod.c' ! -name '*.cmd' ! -name '*.order' \
			! -name 'Module.symvers' ! -name '.*' -print
		echo bench/bench.sh
	} | LC_ALL=C sort)
}

# The base image: everything but the commands.
key=$({
	sha256sum "$busybox" "$MSLAB_ROOT/scripts/guest/vm-init.sh" \
		"$MSLAB_ROOT/tools/mslabinfo.sh" | cut -d' ' -f1
	image_files | while read -r f; do
		echo "$f $(sha256sum <"$MSLAB_ROOT/$f" | cut -d' ' -f1)"
	done
	for m in "${modules[@]}"; do
		echo "$(basename "$m") $(sha256sum <"$m" | cut -d' ' -f1)"
	done
} | sha256sum | cut -c1-16)
base="$vmdir/initramfs-$key.cpio.gz"
if [ ! -f "$base" ]; then
	log "building initramfs $base"
	root="$tmp/root"
	mkdir -p "$root"/{bin,dev,proc,sys,tmp,run,modules}
	cp "$busybox" "$root/bin/busybox"
	cp "$MSLAB_ROOT/scripts/guest/vm-init.sh" "$root/init"
	chmod 755 "$root/init"
	cp "$MSLAB_ROOT/tools/mslabinfo.sh" "$root/bin/mslabinfo"
	chmod 755 "$root/bin/mslabinfo"
	# Without /dev/console the kernel starts init with no stdio.
	mknod "$root/dev/console" c 5 1 2>/dev/null ||
		log "cannot mknod /dev/console (not root?): init reopens it"
	for m in "${modules[@]}"; do
		cp "$m" "$root/modules/"
	done
	image_files | while read -r f; do
		mkdir -p "$root/$(dirname "$f")"
		cp "$MSLAB_ROOT/$f" "$root/$f"
	done
	(cd "$root" && find . | LC_ALL=C sort |
		cpio -o -H newc -R 0:0 --quiet | gzip -1) >"$tmp/base.cpio.gz"
	mv "$tmp/base.cpio.gz" "$base"
	# Keep the few most recent images.
	ls -t "$vmdir"/initramfs-*.cpio.gz | tail -n +9 | xargs -r rm -f
fi
touch "$base"

# The commands: each runs in turn, the first failure is the run's status.
mkdir "$tmp/cmds"
{
	for c in "$@"; do
		printf '%s\n' "$c"
		printf '__rc=$?; [ "$__rc" -eq 0 ] || exit "$__rc"\n'
	done
} >"$tmp/cmds/cmds.sh"
(cd "$tmp/cmds" && echo cmds.sh | cpio -o -H newc -R 0:0 --quiet | gzip -1) \
	>"$tmp/cmds.cpio.gz"
# The kernel unpacks concatenated archives in order.
cat "$base" "$tmp/cmds.cpio.gz" >"$tmp/initramfs.cpio.gz"

# Sockets match the NUMA nodes: with plain -smp 4 the kernel WARNs that an
# LLC sibling sits on another node. -cpu max offers cmpxchg16b (cx16) under
# TCG; the default qemu64 model does not, and mslab needs it.
log_file="$MSLAB_RESULTS/$name-console.log"
per_node=$((cpus / nodes))
topology=(-smp "$cpus,sockets=$nodes,cores=$per_node,threads=1")
for ((node = 0; node < nodes; node++)); do
	topology+=(-object "memory-backend-ram,id=m$node,size=$((2048 / nodes))M"
		   -numa "node,nodeid=$node,cpus=$((node * per_node))-$(((node + 1) * per_node - 1)),memdev=m$node")
done

# Two ways a TCG guest gets stuck that say nothing about mslab, each seen in
# about one boot of a hundred; without this the run ends only at its
# timeout. boot_watchdog stops such a VM (found by its initramfs, unique
# to this run) and leaves a mark for the retry below:
#  - boot-stuck: the kernel has not started init after boot_timeout_s (a
#    CPU's timer stopped firing, RCU stalls during boot);
#  - int3-stuck: an RCU stall whose stalled task sits in exc_int3, a CPU
#    spinning on an int3 that kernel text patching (text_poke_bp) left in
#    code TCG had translated: seen in the kernel's own timer interrupt.
boot_timeout_s=${MSLAB_VM_BOOT_TIMEOUT:-240}
stop_vm() {
	log "$2: stopping the VM"
	touch "$tmp/$1"
	pkill -f -- "$tmp/initramfs.cpio.gz"
}

boot_watchdog() {
	local waited=0

	while sleep 5; do
		waited=$((waited + 5))
		if ! grep -a -q 'Run /init as init process' "$log_file"; then
			[ "$waited" -lt "$boot_timeout_s" ] && continue
			stop_vm boot-stuck "the kernel did not start init within ${boot_timeout_s}s"
			return
		fi
		if grep -a -A40 'rcu: INFO: .* detected stalls' "$log_file" |
				grep -a -q 'exc_int3'; then
			stop_vm int3-stuck "an RCU stall on a CPU spinning in exc_int3 (TCG and kernel text patching)"
			return
		fi
	done
}

boot_vm() {
	log "booting $kernel (timeout ${timeout_s}s, console in $log_file)"
	start=$(date +%s.%N)
	rm -f "$tmp/boot-stuck" "$tmp/int3-stuck"
	: >"$log_file"
	boot_watchdog &
	watchdog=$!
	set +e
	timeout --kill-after=10 "$timeout_s" qemu-system-x86_64 \
		-nographic -no-reboot -nic none \
		-cpu max -m 2G "${topology[@]}" \
		-kernel "$kernel" -initrd "$tmp/initramfs.cpio.gz" \
		-append "console=ttyS0 panic=-1 oops=panic loglevel=7 rdinit=/init $extra_args" \
		</dev/null 2>&1 | stdbuf -oL tr -d '\r' | tee "$log_file"
	qemu_rc=${PIPESTATUS[0]}
	kill "$watchdog" 2>/dev/null
	wait "$watchdog" 2>/dev/null
	set -e
	# The console's last line ("reboot: Power down") has no newline.
	[ -z "$(tail -c 1 "$log_file")" ] || echo
	end=$(date +%s.%N)
	log "VM ran for $(awk "BEGIN { printf \"%.1f\", $end - $start }")s"
}

# Did the kernel report something before it started init, i.e. before any
# command or module of ours ran, or never start it (boot_watchdog)? Seen
# under TCG with Debian's kernel: an Oops on an int3 left by text patching,
# in the timer code during boot (once in about 60 boots), and a boot stuck
# in RCU stalls after a CPU's timer stopped (once in about 100).
died_before_init() {
	local init_line report_line

	[ ! -e "$tmp/boot-stuck" ] || return 0
	report_line=$(mslab_splats "$log_file" | head -n 1 | cut -d: -f1)
	[ -n "$report_line" ] || return 1
	init_line=$(grep -a -n -m1 'Run /init as init process' "$log_file" |
		cut -d: -f1)
	[ -z "$init_line" ] || [ "$report_line" -lt "$init_line" ]
}

# Did QEMU itself die of a signal before the kernel started init? Seen once
# under TCG: QEMU killed by SIGSEGV (status 139) 4.5 s into the boot,
# during PCI enumeration. (124 and 137 are timeout's; the watchdog's stops
# leave their marks.)
qemu_died_before_init() {
	[ "$qemu_rc" -gt 128 ] && [ "$qemu_rc" -ne 137 ] &&
		[ ! -e "$tmp/boot-stuck" ] && [ ! -e "$tmp/int3-stuck" ] &&
		! grep -a -q 'Run /init as init process' "$log_file"
}

boot_vm
# Such a boot says nothing about mslab: boot once more, keeping its log.
if died_before_init || [ -e "$tmp/int3-stuck" ] || qemu_died_before_init; then
	cp "$log_file" "$MSLAB_RESULTS/$name-console-boot1.log"
	if [ -e "$tmp/boot-stuck" ]; then
		why="the kernel did not start init"
	elif [ -e "$tmp/int3-stuck" ]; then
		why="a CPU spun on a stale int3"
	elif qemu_died_before_init; then
		why="QEMU died of signal $((qemu_rc - 128)) before init ran"
	else
		why="the kernel failed before init ran (line $(mslab_splats "$log_file" | head -n 1))"
	fi
	log "$why; booting again, the first log is $name-console-boot1.log"
	boot_vm
fi

rc=$(grep -a -o 'mslab-vm: exit=[0-9]*' "$log_file" | tail -n 1 | cut -d= -f2 || true)
if [ -z "$rc" ]; then
	if [ "$qemu_rc" -eq 124 ] || [ "$qemu_rc" -eq 137 ]; then
		log "VM timed out after ${timeout_s}s"
		rc=124
	else
		log "VM ended without the sentinel (panic? qemu status $qemu_rc)"
		rc=1
	fi
fi
if mslab_splats "$log_file" >"$MSLAB_RESULTS/$name-splats.txt"; then
	log "kernel reports in the console log:"
	head -n 40 "$MSLAB_RESULTS/$name-splats.txt" >&2
	[ "$rc" -ne 0 ] || rc=1
fi
[ "$rc" -eq 0 ] || log "VM run failed with status $rc"
exit "$rc"
