/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by mslab's KUnit suites: caches that are destroyed when
 * the test ends however it ends, counting of refused frees, and readers of
 * a cache's slab state. The suites are linked into one module,
 * mslab_kunit.ko, whose MODULE_*() tags are in module_kunit.c.
 */
#ifndef _MSLAB_KUNIT_H
#define _MSLAB_KUNIT_H

#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/nodemask.h>
#include <linux/percpu.h>
#include <linux/smp.h>
#include <linux/types.h>

#include <kunit/resource.h>
#include <kunit/test.h>

/* The suites test every layer: they see all of mslab's headers. */
#include "bulk.h"
#include "cache.h"
#include "cpu_slab.h"
#include "debug.h"
#include "mslab.h"
#include "node.h"
#include "sheaf.h"
#include "slab.h"
#include "state.h"

/* Skip a case whose expectations need @cond (kfence_test.c's helper). */
#define MSLAB_TEST_REQUIRES(test, cond) do {				\
	if (!(cond))							\
		kunit_skip((test), "Test requires: " #cond);		\
} while (0)

/*
 * The slab state tests follow one CPU's cpu slab and partial chain: with
 * one CPU online (UML) every allocation and free of the test sees them.
 */
#define MSLAB_TEST_REQUIRES_UP(test)					\
	MSLAB_TEST_REQUIRES(test, num_online_cpus() == 1)

KUNIT_DEFINE_ACTION_WRAPPER(mslab_cache_destroy_action, mslab_cache_destroy,
			    struct mslab_cache *);

/*
 * Create a cache with mslab_cache_create_args() that is destroyed when the
 * test ends, however it ends, or fail the test. @name must be unique among
 * the caches that exist.
 */
static inline struct mslab_cache *
mslab_test_cache_args(struct kunit *test, const char *name, unsigned int size,
		      const struct mslab_cache_args *args, slab_flags_t flags)
{
	struct mslab_cache *s;

	s = mslab_cache_create_args(name, size, args, flags);
	KUNIT_ASSERT_NOT_NULL_MSG(test, s, "cannot create cache %s", name);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test,
						  mslab_cache_destroy_action,
						  s));
	return s;
}

/* The same with mslab_cache_create()'s arguments. */
static inline struct mslab_cache *
mslab_test_cache(struct kunit *test, const char *name, unsigned int size,
		 unsigned int align, slab_flags_t flags, void (*ctor)(void *))
{
	struct mslab_cache_args args = { .align = align, .ctor = ctor };

	return mslab_test_cache_args(test, name, size, &args, flags);
}

/* Longest name the tests give a cache, with its NUL. */
#define MSLAB_TEST_NAME_LEN	64

/* A cache name built from a format, freed when the test ends. */
static inline __printf(2, 3)
const char *mslab_test_name(struct kunit *test, const char *fmt, ...)
{
	va_list args;
	char *name;

	name = kunit_kzalloc(test, MSLAB_TEST_NAME_LEN, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, name);
	va_start(args, fmt);
	vsnprintf(name, MSLAB_TEST_NAME_LEN, fmt, args);
	va_end(args);
	return name;
}

/*
 * Count the frees mslab refuses during this test instead of printing them
 * (report.c looks up the running test's resource "mslab_errors").
 */
static inline int *mslab_test_count_errors(struct kunit *test)
{
	struct kunit_resource *res;
	int *errors;

	res = kunit_kzalloc(test, sizeof(*res), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, res);
	errors = kunit_kzalloc(test, sizeof(*errors), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, errors);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_named_resource(test, NULL, NULL, res,
						 "mslab_errors", errors));
	return errors;
}

/* This CPU's structure of @s: with one CPU, the only one in use. */
static inline struct mslab_cpu *mslab_test_cpu(struct mslab_cache *s)
{
	return per_cpu_ptr(s->cpu_slab, raw_smp_processor_id());
}

/* Slabs of @s over all nodes, whatever their state. */
static inline long mslab_test_nr_slabs(struct mslab_cache *s)
{
	long nr = 0;
	int node;

	for_each_node(node)
		if (s->node[node])
			nr += atomic_long_read(&s->node[node]->nr_slabs);
	return nr;
}

/* Slabs on the node partial lists of @s, over all nodes. */
static inline unsigned long mslab_test_nr_partial(struct mslab_cache *s)
{
	unsigned long nr = 0;
	int node;

	for_each_node(node)
		if (s->node[node])
			nr += READ_ONCE(s->node[node]->nr_partial);
	return nr;
}

static inline long mslab_test_pages_held(void)
{
	return mslab_pages_held();
}

/* debug_kunit.c: a kmalloc of @size bytes from a cache of the test's own. */
void *mslab_debug_kmalloc(struct mslab_cache *s, gfp_t gfpflags, size_t size);

#endif /* _MSLAB_KUNIT_H */
