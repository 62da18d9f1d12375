#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the QEMU initramfs that scripts/vm-run.sh builds.
#
# Mounts the pseudo file systems the tests read (proc, sysfs, devtmpfs,
# debugfs), runs the commands vm-run.sh put in /cmds.sh, prints a sentinel
# line carrying their exit code and powers the VM off. vm-run.sh treats a
# missing sentinel (panic, hang, timeout) as a failure, so this script must
# reach the echo whatever the commands did.

/bin/busybox mkdir -p /proc /sys /dev /tmp /run
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
# The initramfs carries /dev/console, but be sure stdio is the serial console.
exec </dev/console >/dev/console 2>&1

if ! grep -qw cx16 /proc/cpuinfo; then
	echo "mslab-vm: warning: the CPU model lacks cmpxchg16b (cx16)"
fi

cd /
sh /cmds.sh
rc=$?
echo "mslab-vm: exit=$rc"
poweroff -f
