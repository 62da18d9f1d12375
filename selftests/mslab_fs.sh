#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Two of the kernel's own file systems on mslab, run as root in the QEMU VM
# (4 vCPUs, two NUMA nodes; scripts/vm-selftest.sh) under busybox sh.
#
# selftests/kernel/fs/Kbuild builds fs/minix and fs/fat of Debian's
# linux-source-6.12, unmodified, with include/linux/mslab_compat.h:
# mslab_minix.ko, mslab_fat.ko and mslab_vfat.ko. Their inode caches
# (minix_inode_cache, fat_inode_cache: SLAB_RECLAIM_ACCOUNT|SLAB_ACCOUNT, a
# constructor, allocated by the VFS's alloc_inode_sb(), freed after an RCU
# grace period), fat_cache and their kmalloc()s are then mslab's. This is
# mslab under a real client it was not written for: inodes the kernel puts
# on the superblock's list_lru, finds the node and memory cgroup of from
# their page, and frees through the file system's ->free_inode.
#
# The VM has no /lib/modules: loop.ko and the code page and I/O charset
# vfat loads at mount (nls_cp437, nls_ascii: Debian's defaults) are
# Debian's own modules, which scripts/lib.sh (mslab_debian_modules) puts
# beside the built ones.
#
# For each file system, twice: from the root cgroup, and with all the file
# system work done by a shell in a child memory cgroup (cgroup2, +memory),
# where the kernel's list_lru_add_obj() looks up the memory cgroup of each
# inode from its page. One cycle:
#
#   modules   insmod mslab.ko and the file system's modules;
#   cgroup    the shell doing the work is in the cgroup meant;
#   loop      an 8 MiB image in /tmp on a loop device (losetup);
#   mkfs      minix v1 (30-character names, 1024 inodes; Debian's busybox
#             has no mkfs.minix, so mkfs_minix below writes what
#             util-linux's "mkfs.minix -1 -n 30 -i 1024" writes) or FAT32
#             (busybox mkdosfs);
#   mount     and fill: a tree of 227 files of 0 bytes to 600 KB (direct,
#             indirect and double indirect minix zones, long vfat names)
#             in 20 directories, 8 of them nested;
#   caches    each cache of the file system is in /sys/kernel/mslab with at
#             least one object per inode of the tree (fat_cache: at least
#             one), and is not the kernel's (/sys/kernel/slab,
#             /proc/slabinfo);
#   remount   sync, umount, drop caches, mount again: every file's md5sum,
#             and the numbers of files and directories, are the tree's;
#   unload    umount, losetup -d, rmmod the file system's modules; once
#             every cache is shrunk mslab holds no page (debugfs stats
#             "pages: 0"); rmmod mslab.
#
# The memory cgroup's memory.current before and after the fill is printed,
# not checked. Any kernel report fails the test.
#
# MSLAB_MODULES names the directory holding the modules (default /modules).

# Lists of modules and caches are split into words on purpose; most
# functions run through point, must and ktap_test_result.
# shellcheck disable=SC2046,SC2086,SC2317

DIR=$(cd "$(dirname "$0")" && pwd)
SELF="$DIR/$(basename "$0")"
# shellcheck source=selftests/ktap_helpers.sh
. "$DIR/ktap_helpers.sh"

MODULES=${MSLAB_MODULES:-/modules}
STATS=/sys/kernel/debug/mslab/stats
CG_ROOT=/sys/fs/cgroup
CG="$CG_ROOT/mslab-fs"
DEBIAN_MODULES="loop nls_cp437 nls_ascii"
IMAGE_KB=8192
MINIX_INODES=1024

# The file systems, by the type mount knows them by: their modules in load
# order, and their caches.
fs_modules() {
	case $1 in
	minix)	echo mslab_minix ;;
	vfat)	echo mslab_fat mslab_vfat ;;
	esac
}

fs_caches() {
	case $1 in
	minix)	echo minix_inode_cache ;;
	vfat)	echo fat_inode_cache fat_cache ;;
	esac
}

count_words() {
	echo $#
}

# --- minix v1 mkfs ---------------------------------------------------------

# le_byte N, le16 N, le32 N: N as little-endian bytes on stdout.
le_byte() {
	# shellcheck disable=SC2059 # the format is the byte's octal escape
	printf "\\$(printf %03o $(($1 & 255)))"
}

le16() {
	le_byte "$1"
	le_byte $(($1 >> 8))
}

le32() {
	le16 $(($1 & 65535))
	le16 $(($1 >> 16))
}

# put FILE OFFSET: write stdin into FILE at byte OFFSET.
put() {
	dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

# fill_bits FILE BLOCK BIT: set the bits from BIT to the end of the bitmap
# in the 1 KiB block BLOCK of FILE.
fill_bits() {
	_byte=$(($3 / 8))
	le_byte $(((255 << ($3 % 8)) & 255)) | put "$1" $(($2 * 1024 + _byte))
	_rest=$((1023 - _byte))
	[ "$_rest" -gt 0 ] || return 0
	dd if=/dev/zero bs="$_rest" count=1 2>/dev/null | tr '\000' '\377' |
		put "$1" $(($2 * 1024 + _byte + 1))
}

# mkfs_minix DEV KBYTES INODES: what util-linux's "mkfs.minix -1 -n 30 -i
# INODES DEV KBYTES" writes (the same bytes but the root's mtime): minix v1
# with 30-character names, 1 KiB zones, an empty root directory, and
# bitmaps of a block each (KBYTES <= 8192, INODES <= 8160). The blocks up
# to the root directory's are put together in a file, field by field, and
# written to DEV at once.
mkfs_minix() {
	_dev=$1 _zones=$2 _inodes=$3 _meta="${TMPDIR:-/tmp}/mkfs_minix.$$"
	_first=$((2 + 1 + 1 + (_inodes + 31) / 32))
	[ "$_zones" -le 8192 ] && [ "$_inodes" -le 8160 ] || return
	dd if=/dev/zero of="$_meta" bs=1024 count=$((_first + 1)) 2>/dev/null ||
		return
	# The super block: s_ninodes, s_nzones, s_imap_blocks, s_zmap_blocks,
	# s_firstdatazone, s_log_zone_size, s_max_size, s_magic (0x138f: v1,
	# 30-character names), s_state (MINIX_VALID_FS).
	{ le16 "$_inodes"; le16 "$_zones"; le16 1; le16 1; le16 "$_first"
	  le16 0; le32 $(((7 + 512 + 512 * 512) * 1024)); le16 $((0x138f))
	  le16 1; } | put "$_meta" 1024 &&
	# Inode bitmap: bit 0 (there is no inode 0), inode 1 (the root), the
	# bits past the last inode. Zone bitmap: bit 0, the root directory's
	# zone (bit 1), the bits past the last zone.
	le_byte 3 | put "$_meta" 2048 &&
	fill_bits "$_meta" 2 $((_inodes + 1)) &&
	le_byte 3 | put "$_meta" 3072 &&
	fill_bits "$_meta" 3 $((_zones - _first + 1)) &&
	# Inode 1: a directory (040755) of two 32-byte entries, 2 links, in
	# the first data zone: "." and "..", both inode 1.
	{ le16 16877; le16 0; le32 64; le32 "$(date +%s)"; le_byte 0
	  le_byte 2; le16 "$_first"; } | put "$_meta" 4096 &&
	{ le16 1; printf .; } | put "$_meta" $((_first * 1024)) &&
	{ le16 1; printf ..; } | put "$_meta" $((_first * 1024 + 32)) &&
	dd if="$_meta" of="$_dev" bs=1024 conv=notrunc 2>/dev/null
	_rc=$?
	rm -f "$_meta"
	return "$_rc"
}

# --- the tree every cycle copies in ----------------------------------------

# make_tree DIR: 227 files in 20 directories under DIR (which must not
# exist), their md5sums in DIR.md5, the counts in DIR.counts ("FILES
# DIRS"). One awk writes them all: under TCG a process each would cost
# seconds. Sizes around the 512 B, 1 KiB and 4 KiB boundaries, past
# minix's 7 direct zones, up to double indirect zones (600,000 B); names
# in mixed case of more than 8.3 characters, so vfat writes long names.
make_tree() {
	mkdir -p "$1" || return
	awk -v root="$1" 'BEGIN {
		srand(1)
		chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
		for (i = 0; i < 4096; i++)
			pool = pool substr(chars, int(rand() * 64) + 1, 1)
		nsz = split("0 1 17 511 512 513 1023 1024 1025 2047 2048 4095 " \
			"4096 4097 7167 7168 7169 8192 12000 16384 33000 65536", sz, " ")
		# The directories and how many files each holds: the root 40,
		# a chain of 8 nested ones 5 each, 12 side by side 12 each.
		nd = 0
		dir[nd] = ""; nf[nd++] = 40
		path = ""
		for (d = 1; d <= 8; d++) {
			path = path "Level-" d "/"
			dir[nd] = path; nf[nd++] = 5
		}
		for (d = 1; d <= 12; d++) {
			dir[nd] = sprintf("Side-Dir-%02d/", d); nf[nd++] = 12
		}
		mk = "mkdir -p"
		for (d = 1; d < nd; d++)
			mk = mk " " root "/" dir[d]
		if (system(mk) != 0)
			exit 1
		n = 0
		for (d = 0; d < nd; d++)
			for (j = 0; j < nf[d]; j++) {
				emit(root "/" dir[d] "File-" n ".Data", sz[n % nsz + 1], n)
				n++
			}
		emit(root "/Big-300k.Data", 300000, n++)
		emit(root "/Big-600k.Data", 600000, n++)
	}
	function emit(f, size, seed,    off, len) {
		printf "" > f
		off = (seed * 131) % 2048
		while (size > 0) {
			len = size > 2048 ? 2048 : size
			printf "%s", substr(pool, off + 1, len) > f
			size -= len
			off = (off + 977) % 2048
		}
		close(f)
	}' || return
	# And random bytes, NULs included.
	dd if=/dev/urandom of="$1/Random.Bin" bs=1024 count=200 2>/dev/null ||
		return
	(cd "$1" && find . -type f | sort | xargs md5sum) >"$1.md5" || return
	echo "$(find "$1" -type f | wc -l) $(find "$1" -mindepth 1 -type d | wc -l)" \
		>"$1.counts"
}

# --- one cycle's file system work (run as "mslab_fs.sh cycle ...") --------

# The cycle runs in a shell of its own, so that it can move into a memory
# cgroup with all it starts. It prints "ok DESC" or "not ok DESC" per
# test point, and comments, for the test to report.

# point DESC COMMAND [ARG]...: one test point. After an essential step
# failed (must), the points that follow fail without running.
point() {
	_desc=$1
	shift
	if [ -n "$FATAL" ]; then
		echo "not ok $_desc (not run: $FATAL failed)"
		return 1
	fi
	if "$@"; then
		echo "ok $_desc"
		return 0
	fi
	echo "not ok $_desc"
	return 1
}

# must DESC COMMAND [ARG]...: an essential point.
must() {
	point "$@" || FATAL=${FATAL:-$1}
}

# join_cgroup CGROUP: move this shell into CGROUP (empty: stay in the
# root) and check where it is.
join_cgroup() {
	if [ -n "$1" ]; then
		echo $$ >"$1/cgroup.procs" || return
	fi
	_want=${1#"$CG_ROOT"}
	_in=$(sed -n 's/^0:://p' /proc/self/cgroup)
	ktap_print_msg "the shell runs in cgroup $_in"
	[ "$_in" = "${_want:-/}" ]
}

attach_loop() {
	dd if=/dev/zero of="$IMG" bs=1024 count="$IMAGE_KB" 2>/dev/null &&
		LOOPDEV=$(losetup -f) && [ -b "$LOOPDEV" ] &&
		losetup "$LOOPDEV" "$IMG"
}

make_fs() {
	case $FS in
	minix)	mkfs_minix "$LOOPDEV" "$IMAGE_KB" "$MINIX_INODES" ;;
	vfat)	mkdosfs -n MSLAB "$LOOPDEV" >/dev/null ;;
	esac
}

mount_fs() {
	mkdir -p "$MNT" && mount -t "$FS" "$LOOPDEV" "$MNT"
}

print_memory_current() {
	[ -n "$CGROUP" ] || return 0
	ktap_print_msg "memory.current of ${CGROUP#"$CG_ROOT"} $1: $(cat "$CGROUP/memory.current")"
}

# counts_are FILES DIRS: the mounted tree holds that many of each.
counts_are() {
	_f=$(find "$MNT" -type f | wc -l)
	_d=$(find "$MNT" -mindepth 1 -type d | wc -l)
	ktap_print_msg "$FS: $_f files, $_d directories"
	[ "$_f" -eq "$1" ] && [ "$_d" -eq "$2" ]
}

fill() {
	print_memory_current "before the fill"
	cp -R "$TREE/." "$MNT/" && sync || return
	print_memory_current "after the fill"
	if [ -n "$CGROUP" ]; then
		ktap_print_msg "memory.stat of ${CGROUP#"$CG_ROOT"} after the fill: $(grep -E '^(file|kernel|slab) ' "$CGROUP/memory.stat" | tr '\n' ' ')"
	fi
	counts_are "$NFILES" "$NDIRS"
}

# cache_in_mslab CACHE MIN: CACHE is mslab's and has at least MIN objects
# in use.
cache_in_mslab() {
	_o=$(cut -d' ' -f1 "/sys/kernel/mslab/$1/objects" 2>/dev/null)
	ktap_print_msg "$1: ${_o:-no} objects in /sys/kernel/mslab/$1"
	[ -n "$_o" ] && [ "$_o" -ge "$2" ]
}

cache_not_kernel() {
	[ ! -e "/sys/kernel/slab/$1" ] && ! grep -q "^$1 " /proc/slabinfo
}

sync_umount() {
	sync && umount "$MNT"
}

remount() {
	echo 3 >/proc/sys/vm/drop_caches && mount_fs
}

# verify: the remounted tree is the one copied in.
verify() {
	counts_are "$NFILES" "$NDIRS" || return
	(cd "$MNT" && md5sum -c -s "$TREE.md5") || {
		(cd "$MNT" && md5sum -c "$TREE.md5" 2>&1) | grep -v ': OK$' |
			head -n 10 | sed 's/^/# /'
		return 1
	}
}

is_mounted() {
	grep -q " $MNT " /proc/mounts
}

# fs_cycle FS CGROUP WORK: the cycle's file system work, in CGROUP (empty:
# the root cgroup).
fs_cycle() {
	FS=$1 CGROUP=$2 WORK=$3
	TREE="$WORK/tree"
	IMG="$WORK/$FS.img"
	MNT="$WORK/mnt"
	read -r NFILES NDIRS <"$TREE.counts"
	# The tree's inodes: its files and directories, and the root.
	ninodes=$((NFILES + NDIRS + 1))
	FATAL=
	LOOPDEV=

	if [ -n "$CGROUP" ]; then
		must "the shell moved into memory cgroup ${CGROUP#"$CG_ROOT"}" \
			join_cgroup "$CGROUP"
	else
		must "the shell runs in the root cgroup" join_cgroup ""
	fi
	must "losetup: an ${IMAGE_KB} KiB image on a loop device" attach_loop
	must "mkfs $FS" make_fs
	must "mount -t $FS" mount_fs
	must "fill: the tree's $NFILES files and $NDIRS directories copied in" fill
	for c in $(fs_caches "$FS"); do
		min=$ninodes
		[ "$c" = fat_cache ] && min=1
		point "$c is mslab's, $min or more objects" \
			cache_in_mslab "$c" "$min"
		point "$c is not the kernel's (/sys/kernel/slab, /proc/slabinfo)" \
			cache_not_kernel "$c"
	done
	must "sync, umount" sync_umount
	must "drop caches, mount again" remount
	point "every file's md5sum and the counts after the remount" verify
	point "umount" umount "$MNT"
	point "losetup -d" losetup -d "$LOOPDEV"

	is_mounted && umount "$MNT"
	[ -n "$LOOPDEV" ] && losetup -d "$LOOPDEV" 2>/dev/null
	rm -f "$IMG"
	return 0
}

if [ "${1:-}" = cycle ]; then
	shift
	fs_cycle "$@"
	exit 0
fi

# --- the test ----------------------------------------------------------------

# The points of a cycle's file system work: cgroup, losetup, mkfs, mount,
# fill, two per cache, umount, remount, verify, umount, losetup -d.
cycle_points() {
	echo $((10 + 2 * $(count_words $(fs_caches "$1"))))
}

# run_cycle FS CGROUP LABEL: the cycle's work in a shell of its own (moved
# into CGROUP when given), its points reported as LABEL's.
run_cycle() {
	_want=$(cycle_points "$1")
	_got=0
	sh "$SELF" cycle "$1" "$2" "$WORK" >"$WORK/cycle.out" 2>&1
	while IFS= read -r _line; do
		case $_line in
		"ok "*)	ktap_test_pass "$3: ${_line#ok }"
			_got=$((_got + 1)) ;;
		"not ok "*)
			ktap_test_fail "$3: ${_line#not ok }"
			_got=$((_got + 1)) ;;
		"#"*)	echo "$_line" ;;
		*)	echo "# $_line" ;;
		esac
	done <"$WORK/cycle.out"
	while [ "$_got" -lt "$_want" ]; do
		_got=$((_got + 1))
		ktap_test_fail "$3: point $_got of $_want (the cycle ended before it)"
	done
	# Whatever the cycle left behind.
	grep -q " $WORK/mnt " /proc/mounts && umount "$WORK/mnt"
	losetup -a 2>/dev/null | grep -F "$WORK/" | cut -d: -f1 |
		while read -r _d; do losetup -d "$_d"; done
}

insmod_all() {
	for _m in "$@"; do
		insmod "$MODULES/$_m.ko" || return
	done
}

rmmod_loaded() {
	_rc=0
	for _m in "$@"; do
		[ -d "/sys/module/$_m" ] || continue
		rmmod "$_m" || _rc=1
	done
	return "$_rc"
}

reverse() {
	_r=
	for _w in "$@"; do
		_r="$_w${_r:+ $_r}"
	done
	echo "$_r"
}

# cycle FS CGROUP: one whole cycle, modules included.
cycle() {
	_fs=$1 _cg=$2
	_mods=$(fs_modules "$_fs")
	if [ -n "$_cg" ]; then
		_label="$_fs, memory cgroup ${_cg#"$CG_ROOT"}"
	else
		_label="$_fs, root cgroup"
	fi

	ktap_test_result "$_label: insmod mslab.ko" insmod "$MODULES/mslab.ko"
	for _m in $_mods; do
		ktap_test_result "$_label: insmod $_m.ko" insmod_all "$_m"
	done
	run_cycle "$_fs" "$_cg" "$_label"
	ktap_test_result "$_label: rmmod $(reverse $_mods)" \
		rmmod_loaded $(reverse $_mods)
	ksft_mslab_shrink_all
	[ -r "$STATS" ] && sed 's/^/#   /' "$STATS"
	ktap_test_result "$_label: debugfs stats: pages: 0 once the file system is gone" \
		test "$(ksft_mslab_stat pages 2>/dev/null)" = 0
	ktap_test_result "$_label: rmmod mslab" rmmod mslab
	rmmod_loaded mslab
}

# cgroup2 on /sys/fs/cgroup, the memory controller on for its children.
cgroup_setup() {
	if ! grep -q " $CG_ROOT cgroup2 " /proc/mounts; then
		mount -t cgroup2 cgroup2 "$CG_ROOT" || return
		CG_MOUNTED=1
	fi
	grep -qw memory "$CG_ROOT/cgroup.controllers" &&
		echo +memory >"$CG_ROOT/cgroup.subtree_control" &&
		grep -qw memory "$CG_ROOT/cgroup.subtree_control"
}

cleanup() {
	[ -d "$CG" ] && rmdir "$CG" 2>/dev/null
	[ -n "$CG_MOUNTED" ] && umount "$CG_ROOT" 2>/dev/null
	for _fs in vfat minix; do
		rmmod_loaded $(reverse $(fs_modules "$_fs")) 2>/dev/null
	done
	rmmod_loaded mslab $(reverse $DEBIAN_MODULES) 2>/dev/null
	rm -rf "$WORK"
}

ktap_print_header

FILESYSTEMS="minix vfat"
all_modules=$DEBIAN_MODULES
for fs in $FILESYSTEMS; do
	all_modules="$all_modules $(fs_modules "$fs")"
done
ksft_require_mslab mslab $all_modules

# Debian's modules, the tree, cgroup2; per file system two cycles (the
# modules' insmods, rmmod, pages, rmmod mslab, the work's points) and
# the child cgroup's mkdir and rmdir; the kernel log.
plan=3
for fs in $FILESYSTEMS; do
	nmods=$(count_words $(fs_modules "$fs"))
	plan=$((plan + 2 * (4 + nmods + $(cycle_points "$fs")) + 2))
done
ktap_set_plan $((plan + 1))

tag="mslab_fs-$$"
ksft_dmesg_mark "$tag"
WORK=${TMPDIR:-/tmp}/mslab-fs.$$
CG_MOUNTED=
rm -rf "$WORK"
mkdir -p "$WORK"
ktap_print_msg "$WORK is on the initramfs' $(awk '$2 == "/" { print $3 }' /proc/mounts)"

ktap_test_result "insmod Debian's $DEBIAN_MODULES" insmod_all $DEBIAN_MODULES
ktap_test_result "a tree of files to copy in" make_tree "$WORK/tree"
read -r nfiles ndirs <"$WORK/tree.counts"
ktap_print_msg "the tree: ${nfiles:-no} files, ${ndirs:-no} directories, $(du -s -k "$WORK/tree" | cut -f1) KiB"
ktap_test_result "cgroup2 at $CG_ROOT with the memory controller for its children" \
	cgroup_setup

for fs in $FILESYSTEMS; do
	cycle "$fs" ""
	ktap_test_result "$fs: mkdir the memory cgroup ${CG#"$CG_ROOT"}" mkdir "$CG"
	cycle "$fs" "$CG"
	ktap_test_result "$fs: rmdir the memory cgroup ${CG#"$CG_ROOT"}" rmdir "$CG"
done

ksft_test_no_reports "$tag"

cleanup
ktap_finished
