// SPDX-License-Identifier: GPL-2.0
/*
 * mslab debugfs interface: /sys/kernel/debug/mslab/.
 *
 *   stats       module-wide counters, one "name: value" per line
 *   fail_order  the next N slab allocations fail at the preferred order
 *   fail_slab   the next N slab allocations fail outright
 *
 * As everywhere in the kernel, debugfs failures are not errors: the
 * allocator works without its debugfs files.
 */

#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include <kunit/visibility.h>

#include "mslab.h"

struct dentry *mslab_debugfs_root;
EXPORT_SYMBOL_IF_KUNIT(mslab_debugfs_root);

static int stats_show(struct seq_file *seq, void *v)
{
	seq_printf(seq, "pages: %ld\n", atomic_long_read(&mslab_pages_held));
	seq_printf(seq, "caches: %d\n", atomic_read(&mslab_nr_caches));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

void mslab_debugfs_init(void)
{
	mslab_debugfs_root = debugfs_create_dir("mslab", NULL);
	debugfs_create_file("stats", 0444, mslab_debugfs_root, NULL,
			    &stats_fops);
	debugfs_create_atomic_t("fail_order", 0600, mslab_debugfs_root,
				&mslab_fail_order);
	debugfs_create_atomic_t("fail_slab", 0600, mslab_debugfs_root,
				&mslab_fail_slab);
}

void mslab_debugfs_exit(void)
{
	debugfs_remove_recursive(mslab_debugfs_root);
	mslab_debugfs_root = NULL;
}
