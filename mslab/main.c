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

#include "mslab.h"

static int __init mslab_init(void)
{
	int err;

	err = mslab_slab_init();
	if (err)
		return err;
	err = mslab_alloc_init();
	if (err)
		goto out_slab;
	err = mslab_sysfs_init();
	if (err)
		goto out_alloc;
	mslab_debugfs_init();
	pr_info("version %s loaded\n", MSLAB_VERSION);
	return 0;

out_alloc:
	mslab_alloc_exit();
out_slab:
	mslab_slab_exit();
	return err;
}

static void __exit mslab_exit(void)
{
	long pages;

	mslab_cache_exit();
	mslab_debugfs_exit();
	mslab_sysfs_exit();
	mslab_alloc_exit();
	mslab_slab_exit();
	pages = atomic_long_read(&mslab_pages_held);
	if (pages)
		pr_err("unload: %ld pages still accounted as held\n", pages);
	pr_info("unloaded\n");
}

module_init(mslab_init);
module_exit(mslab_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("mslab: SLUB-style slab caches on pages from the buddy allocator");
MODULE_VERSION(MSLAB_VERSION);
