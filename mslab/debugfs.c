// SPDX-License-Identifier: GPL-2.0
/*
 * mslab debugfs interface: /sys/kernel/debug/mslab/.
 *
 *   stats          module-wide counters, one "name: value" per line: pages,
 *                  caches, and the work of CPU flushes and shrinker scans
 *   slabinfo       every cache in /proc/slabinfo's version 2.1 format
 *   fail_order     the next N slab allocations fail at the preferred order
 *   fail_slab      the next N slab allocations fail outright
 *   <cache>/state  where the cache's slabs are: each CPU's cpu slab and
 *                  partial chain, each node's partial list, a fill histogram
 *                  (state.c; Documentation/debugfs.rst)
 *
 * As everywhere in the kernel, debugfs failures are not errors: the
 * allocator works without its debugfs files.
 *
 * A cache's directory is created with its sysfs kobject and removed before
 * it (sysfs.c). debugfs_remove() waits for readers inside a read, and an
 * open file holds a reference on the module, so a state file never reads
 * a cache that is gone.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dcache.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include <kunit/visibility.h>

#include "cache.h"
#include "slab.h"
#include "state.h"

struct dentry *mslab_debugfs_root;
EXPORT_SYMBOL_IF_KUNIT(mslab_debugfs_root);

static int stats_show(struct seq_file *seq, void *v)
{
	seq_printf(seq, "pages: %ld\n", mslab_pages_held());
	seq_printf(seq, "caches: %d\n", atomic_read(&mslab_nr_caches));
	/* Work done so far by CPU flushes and the shrinker's scans. */
	seq_printf(seq, "flush_works: %ld\n", atomic_long_read(&mslab_flush_works));
	seq_printf(seq, "shrink_scans: %ld\n", atomic_long_read(&mslab_shrink_scans));
	seq_printf(seq, "shrink_freed: %ld\n", atomic_long_read(&mslab_shrink_freed));
	seq_printf(seq, "shrink_flushes: %ld\n",
		   atomic_long_read(&mslab_shrink_flushes));
	seq_printf(seq, "shrink_ns: %ld\n", atomic_long_read(&mslab_shrink_ns));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

/* slabinfo: as /proc/slabinfo (mm/slab_common.c), under mslab_mutex. */
static void *slabinfo_start(struct seq_file *m, loff_t *pos)
{
	mutex_lock(&mslab_mutex);
	return seq_list_start_head(&mslab_caches, *pos);
}

static void *slabinfo_next(struct seq_file *m, void *p, loff_t *pos)
{
	return seq_list_next(p, &mslab_caches, pos);
}

static void slabinfo_stop(struct seq_file *m, void *p)
{
	mutex_unlock(&mslab_mutex);
}

static int slabinfo_show(struct seq_file *m, void *p)
{
	/* The header is printed even when there is no cache. */
	if (p == &mslab_caches)
		mslab_slabinfo_header(m);
	else
		mslab_slabinfo_show(m, list_entry(p, struct mslab_cache, list));
	return 0;
}

static const struct seq_operations slabinfo_sops = {
	.start = slabinfo_start,
	.next = slabinfo_next,
	.stop = slabinfo_stop,
	.show = slabinfo_show,
};
DEFINE_SEQ_ATTRIBUTE(slabinfo);

static int state_show(struct seq_file *m, void *v)
{
	struct mslab_state *st;

	st = mslab_state_take(m->private);
	if (IS_ERR(st))
		return PTR_ERR(st);
	mslab_state_print(m, st);
	mslab_state_free(st);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(state);

/**
 * mslab_debugfs_add() - create /sys/kernel/debug/mslab/<cache>/
 * @s: the cache, fully set up
 *
 * Context: process context.
 */
void mslab_debugfs_add(struct mslab_cache *s)
{
	struct dentry *dir;

	if (IS_ERR_OR_NULL(mslab_debugfs_root))
		return;
	/* A cache named like a file of the root ("stats") goes without. */
	dir = debugfs_lookup(s->name, mslab_debugfs_root);
	if (dir) {
		dput(dir);
		pr_info("cache %s: no debugfs directory, the name is taken\n",
			s->name);
		return;
	}
	dir = debugfs_create_dir(s->name, mslab_debugfs_root);
	debugfs_create_file("state", 0400, dir, s, &state_fops);
	mslab_debugfs_add_traces(s, dir);
}

/**
 * mslab_debugfs_remove() - remove /sys/kernel/debug/mslab/<cache>/
 * @s: the cache
 *
 * Context: process context; waits for readers inside a read of its files.
 */
void mslab_debugfs_remove(struct mslab_cache *s)
{
	struct dentry *dir, *state = NULL;

	if (IS_ERR_OR_NULL(mslab_debugfs_root))
		return;
	dir = debugfs_lookup(s->name, mslab_debugfs_root);
	if (!dir)
		return;
	/* Only the directory mslab_debugfs_add() made for @s. */
	if (d_is_dir(dir))
		state = debugfs_lookup("state", dir);
	if (state && d_inode(state)->i_private == s)
		debugfs_remove(dir);
	dput(state);
	dput(dir);
}

void mslab_debugfs_init(void)
{
	mslab_debugfs_root = debugfs_create_dir("mslab", NULL);
	debugfs_create_file("stats", 0444, mslab_debugfs_root, NULL,
			    &stats_fops);
	debugfs_create_file("slabinfo", 0400, mslab_debugfs_root, NULL,
			    &slabinfo_fops);
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
