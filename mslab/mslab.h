/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mslab internal definitions, shared by the module's .c files and its KUnit
 * suites. Not for client modules: they use <linux/mslab.h>.
 */
#ifndef _MSLAB_MSLAB_H
#define _MSLAB_MSLAB_H

#include <linux/dcache.h>
#include <linux/kobject.h>

#include <linux/mslab.h>

/* /sys/kernel/mslab: the parent of every cache's kobject. */
extern struct kset *mslab_kset;
/* /sys/kernel/debug/mslab */
extern struct dentry *mslab_debugfs_root;

int mslab_sysfs_init(void);
void mslab_sysfs_exit(void);
void mslab_debugfs_init(void);
void mslab_debugfs_exit(void);

#endif /* _MSLAB_MSLAB_H */
