// SPDX-License-Identifier: GPL-2.0
/*
 * mslab: a SLUB-style slab allocator as a loadable module.
 *
 * Module entry and exit. The design and the locking rules are described at
 * the top of alloc.c; the structures in mslab.h.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/rcupdate.h>

#include "cache.h"
#include "slab.h"

static int __init mslab_init(void)
{
	int err;

	err = mslab_slab_init();
	if (err)
		return err;
	err = mslab_memcg_init();
	if (err)
		goto out_slab;
	err = mslab_cpu_init();
	if (err)
		goto out_memcg;
	err = mslab_sysfs_init();
	if (err)
		goto out_alloc;
	mslab_debugfs_init();
	err = mslab_kmalloc_init();
	if (err)
		goto out_debugfs;
	err = mslab_shrinker_init();
	if (err)
		goto out_kmalloc;
	err = mslab_owners_init();
	if (err)
		goto out_shrinker;
	pr_info("version %s loaded\n", MSLAB_VERSION);
	return 0;

out_shrinker:
	mslab_shrinker_exit();
out_kmalloc:
	mslab_kmalloc_exit();
out_debugfs:
	mslab_debugfs_exit();
	mslab_sysfs_exit();
out_alloc:
	mslab_cpu_exit();
out_memcg:
	mslab_memcg_exit();
out_slab:
	mslab_slab_exit();
	return err;
}

static void __exit mslab_exit(void)
{
	long pages;

	mslab_owners_exit();
	mslab_shrinker_exit();
	/* Pending mslab_kfree_rcu() frees run mslab's code: let them finish. */
	rcu_barrier();
	mslab_kmalloc_exit();
	mslab_cache_exit();
	/* RCU-deferred slab frees too. */
	rcu_barrier();
	mslab_debugfs_exit();
	mslab_sysfs_exit();
	mslab_cpu_exit();
	mslab_memcg_exit();
	mslab_slab_exit();
	pages = mslab_pages_held();
	if (pages)
		pr_err("unload: %ld pages still accounted as held\n", pages);
	pr_info("unloaded\n");
}

module_init(mslab_init);
module_exit(mslab_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("mslab: SLUB-style slab caches on pages from the buddy allocator");
MODULE_VERSION(MSLAB_VERSION);
