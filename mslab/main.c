// SPDX-License-Identifier: GPL-2.0
/*
 * mslab: a SLUB-style slab allocator as a loadable module.
 *
 * Module entry and exit: sets up the sysfs and debugfs roots that every
 * cache hangs from, and tears them down again on unload.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>

#include "mslab.h"

static int __init mslab_init(void)
{
	int err;

	err = mslab_sysfs_init();
	if (err)
		return err;
	mslab_debugfs_init();
	pr_info("version %s loaded\n", MSLAB_VERSION);
	return 0;
}

static void __exit mslab_exit(void)
{
	mslab_debugfs_exit();
	mslab_sysfs_exit();
	pr_info("unloaded\n");
}

module_init(mslab_init);
module_exit(mslab_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("mslab: SLUB-style slab caches on pages from the buddy allocator");
MODULE_VERSION(MSLAB_VERSION);
