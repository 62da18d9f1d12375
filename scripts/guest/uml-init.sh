#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
#
# init of the UML kernel that runs mslab's KUnit suites (scripts/kunit.sh).
# Loading mslab_kunit.ko runs its suites; their KTAP goes to the console.

# First, so that scripts/kunit.sh can tell a kernel that never ran a user
# process (mslab_uml_started_init) from a failing test.
echo "mslab-uml: init started"
/bin/busybox mkdir -p /proc /sys /dev /tmp
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t debugfs debugfs /sys/kernel/debug
export PATH=/bin

fail() { echo "mslab-uml: FAIL $*"; }

busybox insmod /modules/mslab.ko || fail "insmod mslab.ko"
echo "mslab-uml: loading the KUnit suites"
busybox insmod /modules/mslab_kunit.ko || fail "insmod mslab_kunit.ko"
busybox rmmod mslab_kunit || fail "rmmod mslab_kunit"
busybox rmmod mslab || fail "rmmod mslab"
[ -e /sys/kernel/mslab ] && fail "/sys/kernel/mslab left after rmmod"
[ -e /sys/kernel/debug/mslab ] && fail "/sys/kernel/debug/mslab left after rmmod"
echo "mslab-uml: done"
busybox poweroff -f
