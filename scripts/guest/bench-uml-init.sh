#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
#
# init of the UML bench kernel (bench/run.sh): mounts proc, sysfs and
# debugfs, runs bench/bench.sh with the arguments bench/run.sh
# left in /bench-args, prints a sentinel with its exit status and powers off.
# The root is a hostfs directory whose /bin holds busybox and its applets.

# First, so that bench/run.sh can tell a kernel that never ran a user
# process (mslab_uml_started_init) from a failing benchmark.
echo "mslab-uml-bench: init started"
/bin/busybox mkdir -p /proc /sys /dev /tmp
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t debugfs debugfs /sys/kernel/debug
# The hostfs root is read-only and the kernel has no devtmpfs: /dev/null
# on a ramfs.
/bin/busybox mount -t ramfs ramfs /dev
/bin/busybox mknod /dev/null c 1 3
export PATH=/bin
export MSLAB_MODULES=/modules

echo "mslab-uml-bench: start"
# shellcheck disable=SC2046 # the arguments are one line of words
eval set -- $(cat /bench-args)
sh /bench/bench.sh "$@"
echo "mslab-uml-bench: exit=$?"
poweroff -f
