// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for mslab's module-level state: the sysfs and debugfs roots
 * that every cache hangs from.
 */

#include <linux/debugfs.h>
#include <linux/dcache.h>
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/string.h>

#include <kunit/test.h>

#include "cache.h"

/* /sys/kernel/mslab is a kset directly under /sys/kernel. */
static void sysfs_root_is_kset_under_kernel(struct kunit *test)
{
	struct kobject *kobj;

	KUNIT_ASSERT_NOT_NULL(test, mslab_kset);
	kobj = &mslab_kset->kobj;
	KUNIT_EXPECT_STREQ(test, kobject_name(kobj), "mslab");
	KUNIT_EXPECT_PTR_EQ(test, kobj->parent, kernel_kobj);
	KUNIT_EXPECT_TRUE(test, kobj->state_in_sysfs);
}

/* /sys/kernel/debug/mslab can be looked up by name from the debugfs root. */
static void debugfs_root_is_registered(struct kunit *test)
{
	struct dentry *d;

	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(mslab_debugfs_root));
	d = debugfs_lookup("mslab", NULL);
	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_EXPECT_PTR_EQ(test, d, mslab_debugfs_root);
	dput(d);
}

static struct kunit_case mslab_module_test_cases[] = {
	KUNIT_CASE(sysfs_root_is_kset_under_kernel),
	KUNIT_CASE(debugfs_root_is_registered),
	{}
};

static struct kunit_suite mslab_module_test_suite = {
	.name = "mslab_module",
	.test_cases = mslab_module_test_cases,
};

kunit_test_suites(&mslab_module_test_suite);

MODULE_DESCRIPTION("KUnit tests for mslab");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
