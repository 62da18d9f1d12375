// SPDX-License-Identifier: GPL-2.0
/*
 * mslab sysfs interface: /sys/kernel/mslab/, with one kobject per cache
 * below it, named and formatted as SLUB's /sys/kernel/slab/.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kobject.h>

#include <kunit/visibility.h>

#include "mslab.h"

struct kset *mslab_kset;
EXPORT_SYMBOL_IF_KUNIT(mslab_kset);

int mslab_sysfs_init(void)
{
	mslab_kset = kset_create_and_add("mslab", NULL, kernel_kobj);
	if (!mslab_kset) {
		pr_err("cannot create /sys/kernel/mslab\n");
		return -ENOMEM;
	}
	return 0;
}

void mslab_sysfs_exit(void)
{
	kset_unregister(mslab_kset);
	mslab_kset = NULL;
}
