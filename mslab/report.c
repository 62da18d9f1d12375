// SPDX-License-Identifier: GPL-2.0
/*
 * mslab error reports: what a client did wrong (freeing a foreign pointer,
 * another cache's object, the middle of an object, a double free), said
 * once in the log with the cache's name and the caller, never a crash.
 *
 * Under KUnit, errors are counted instead of printed when the running test
 * holds a named resource "mslab_errors" (SLUB's "slab_errors" pattern).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/printk.h>

#include <kunit/test-bug.h>
#include <kunit/test.h>

#include "cache.h"

/**
 * mslab_count_kunit_error() - count an error for the running KUnit test
 *
 * Return: true if a test is counting errors (the report is then silent).
 */
bool mslab_count_kunit_error(void)
{
#if IS_ENABLED(CONFIG_KUNIT)
	struct kunit_resource *resource;
	struct kunit *test = kunit_get_current_test();

	if (!test)
		return false;
	resource = kunit_find_named_resource(test, "mslab_errors");
	if (!resource)
		return false;
	(*(int *)resource->data)++;
	kunit_put_resource(resource);
	return true;
#else
	return false;
#endif
}

/**
 * mslab_report_free_error() - report a free that mslab refused
 * @s: the cache the object was freed to, or NULL (mslab_kfree())
 * @obj: the pointer
 * @caller: return address of the free call
 * @fmt: what is wrong with it, printf-style
 */
void mslab_report_free_error(struct mslab_cache *s, const void *obj,
			     unsigned long caller, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	if (mslab_count_kunit_error())
		return;
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	if (s)
		pr_err("cache %s: refused to free %p from %pS: %pV\n",
		       s->name, obj, (void *)caller, &vaf);
	else
		pr_err("refused to free %p from %pS: %pV\n",
		       obj, (void *)caller, &vaf);
	va_end(args);
}
