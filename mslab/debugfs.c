// SPDX-License-Identifier: GPL-2.0
/*
 * mslab debugfs interface: /sys/kernel/debug/mslab/.
 *
 * As everywhere in the kernel, debugfs failures are not errors: the
 * allocator works without its debugfs files.
 */

#include <linux/debugfs.h>

#include <kunit/visibility.h>

#include "mslab.h"

struct dentry *mslab_debugfs_root;
EXPORT_SYMBOL_IF_KUNIT(mslab_debugfs_root);

void mslab_debugfs_init(void)
{
	mslab_debugfs_root = debugfs_create_dir("mslab", NULL);
}

void mslab_debugfs_exit(void)
{
	debugfs_remove_recursive(mslab_debugfs_root);
	mslab_debugfs_root = NULL;
}
