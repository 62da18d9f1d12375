#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# SLAB_ACCOUNT and /proc/meminfo, run as root in the QEMU VM under busybox
# sh.
#
# The kernel exports no per-object charging, so mslab charges slab pages:
# a SLAB_ACCOUNT cache's slabs go to the memory cgroup of the task whose
# allocation made them (Documentation/design.rst). mslab_account.ko, loaded
# by a shell in a child memory cgroup, keeps 8192 objects of 512 bytes in
# each of an mslab cache with SLAB_ACCOUNT, one without, and
# kmalloc(GFP_KERNEL_ACCOUNT) (mslab-kmalloc-cg-512). Points:
#   charged    the child's memory.current rose by at least the slab pages
#              of the two charged caches (their sysfs slabs << order), less
#              what the CPUs' charge stocks may have held before
#   plain      and by less than those plus half the uncharged cache's: the
#              cache without SLAB_ACCOUNT was not charged (its 4 MiB exceed
#              the stocks of 4 CPUs, 1 MiB, and the shell's own pages)
#   meminfo    /proc/meminfo's Slab rose by at least 90% of all three
#              caches' pages (SUnreclaim: none is reclaimable)
#   uncharged  unloading (from the root cgroup) gave the child back the
#              charged pages, less what the charge stocks may keep, and
#              Slab fell by 90% of all three
# and the loads, unloads and no kernel report.

DIR=$(cd "$(dirname "$0")" && pwd)
. "$DIR/ktap_helpers.sh"

MODULES=${MSLAB_MODULES:-/modules}
SYSFS=/sys/kernel/mslab
CG_ROOT=/sys/fs/cgroup
CG="$CG_ROOT/mslab-memcg"
OBJECTS=8192
SIZE=512
PAGE_SIZE=4096
# memory.current moves in batches: each CPU keeps up to 64 pages charged
# in advance, or uncharged late (the kernel's MEMCG_CHARGE_BATCH stock).
STOCK=$((64 * PAGE_SIZE * $(grep -c ^processor /proc/cpuinfo)))

ktap_print_header

ksft_require_mslab mslab mslab_account

if ! grep -q " $CG_ROOT cgroup2 " /proc/mounts; then
	mount -t cgroup2 cgroup2 "$CG_ROOT" 2>/dev/null
fi
if ! grep -qw memory "$CG_ROOT/cgroup.controllers" 2>/dev/null; then
	ktap_skip_all "no memory controller in cgroup2"
	exit "$KSFT_SKIP"
fi
echo +memory >"$CG_ROOT/cgroup.subtree_control"
mkdir -p "$CG"

ktap_set_plan 10
tag="mslab_memcg-$$"
ksft_dmesg_mark "$tag"

# Bytes of the slabs of cache $1: its slab count shifted by its order.
cache_bytes() {
	_slabs=$(cut -d' ' -f1 "$SYSFS/$1/slabs" 2>/dev/null)
	_order=$(cat "$SYSFS/$1/order" 2>/dev/null)
	echo $(( ${_slabs:-0} * (PAGE_SIZE << ${_order:-0}) ))
}

# A /proc/meminfo field in bytes.
meminfo() {
	echo $(( $(sed -n "s/^$1: *\([0-9]*\) kB/\1/p" /proc/meminfo) * 1024 ))
}

ktap_test_result "insmod mslab.ko" insmod "$MODULES/mslab.ko"

cur0=$(cat "$CG/memory.current")
slab0=$(meminfo Slab)
unrecl0=$(meminfo SUnreclaim)
ktap_test_result "insmod mslab_account.ko by a shell in memory cgroup ${CG#"$CG_ROOT"}" \
	sh -c "echo \$\$ >'$CG/cgroup.procs' && insmod '$MODULES/mslab_account.ko' objects=$OBJECTS size=$SIZE"
cur1=$(cat "$CG/memory.current")
slab1=$(meminfo Slab)
unrecl1=$(meminfo SUnreclaim)

charged=$(( $(cache_bytes mslab-account-charged) + $(cache_bytes mslab-kmalloc-cg-$SIZE) ))
plain=$(cache_bytes mslab-account-plain)
rise=$((cur1 - cur0))
ktap_print_msg "slab bytes: charged caches $charged, plain cache $plain"
ktap_print_msg "memory.current: $cur0 -> $cur1 (+$rise)"
ktap_print_msg "meminfo Slab: $slab0 -> $slab1, SUnreclaim: $unrecl0 -> $unrecl1"
ktap_print_msg "memory.stat: $(grep -E '^(kernel|slab|sock|percpu) ' "$CG/memory.stat" | tr '\n' ' ')"

ktap_test_result "charged: memory.current rose by the SLAB_ACCOUNT and kmalloc-cg slabs ($rise >= $charged - $STOCK)" \
	test "$charged" -gt 0 -a "$rise" -ge $((charged - STOCK))
ktap_test_result "plain: the cache without SLAB_ACCOUNT was not charged ($rise < $charged + $plain / 2)" \
	test "$plain" -gt 0 -a "$rise" -lt $((charged + plain / 2))
ktap_test_result "meminfo: Slab and SUnreclaim rose by 90% of mslab's slabs at least" \
	test $(( (slab1 - slab0) * 10 )) -ge $(( (charged + plain) * 9 )) -a \
	     $(( (unrecl1 - unrecl0) * 10 )) -ge $(( (charged + plain) * 9 ))

ktap_test_result "rmmod mslab_account" rmmod mslab_account
cur2=$(cat "$CG/memory.current")
slab2=$(meminfo Slab)
ktap_print_msg "after rmmod: memory.current $cur2, Slab $slab2"
ktap_test_result "uncharged: memory.current fell by the charged slabs ($((cur1 - cur2)) >= $charged - $STOCK)" \
	test $((cur1 - cur2)) -ge $((charged - STOCK))
ktap_test_result "meminfo: Slab fell by 90% of mslab's slabs at least" \
	test $(( (slab1 - slab2) * 10 )) -ge $(( (charged + plain) * 9 ))
ktap_test_result "rmmod mslab" rmmod mslab
rmdir "$CG" 2>/dev/null

ksft_test_no_reports "$tag"
ktap_finished
