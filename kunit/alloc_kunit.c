// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "mslab_alloc": what mslab_cache_alloc() hands out. For a table
 * of sizes, alignments and flags, every object of several slabs is aligned
 * to the cache's alignment, is the start of an object of a slab of that
 * cache, overlaps no other object and is writable over its whole size
 * (KASAN watches). __GFP_ZERO zeroes objects even when they are reused with
 * garbage in them; a constructor runs exactly once per object, when its
 * slab is populated, and constructed state survives free and reallocation.
 * Allocation on node 0, on NUMA_NO_NODE, and with GFP_ATOMIC with
 * interrupts off (lockdep and DEBUG_ATOMIC_SLEEP watch) works.
 */

#include <linux/atomic.h>
#include <linux/irqflags.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/numa.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include <kunit/test.h>

#include "mslab.h"
#include "mslab_kunit.h"

/* Byte a constructed object of the ctor tests is filled with. */
#define CTOR_BYTE	0x3c
/* Garbage written into objects before they are freed. */
#define GARBAGE_BYTE	0xff

/* Object size of the ctor tests' cache. */
#define CTOR_SIZE	200

static atomic_t ctor_calls = ATOMIC_INIT(0);

/* The constructor of the size table's caches: the first byte only. */
static void counting_ctor(void *object)
{
	atomic_inc(&ctor_calls);
	*(u8 *)object = CTOR_BYTE;
}

/* The constructor of the ctor tests' cache: the whole object. */
static void filling_ctor(void *object)
{
	atomic_inc(&ctor_calls);
	memset(object, CTOR_BYTE, CTOR_SIZE);
}

struct mslab_size_case {
	unsigned int size;
	unsigned int align;
	slab_flags_t flags;
	bool ctor;
	const char *desc;
};

static const struct mslab_size_case mslab_size_cases[] = {
	{ 1, 0, 0, false, "1" },
	{ 8, 0, 0, false, "8" },
	{ 24, 0, SLAB_HWCACHE_ALIGN, false, "24-hwcache" },
	{ 40, 64, 0, false, "40-align64" },
	{ 96, 0, 0, false, "96" },
	{ 100, 0, SLAB_HWCACHE_ALIGN, false, "100-hwcache" },
	{ 200, 0, 0, true, "200-ctor" },
	{ 256, 0, 0, false, "256" },
	{ 700, 0, 0, false, "700" },
	{ 1024, 0, SLAB_RECLAIM_ACCOUNT, false, "1024-reclaim" },
	{ 2048, 0, SLAB_HWCACHE_ALIGN, true, "2048-hwcache-ctor" },
	{ 3000, 512, 0, false, "3000-align512" },
	{ 4096, 0, 0, false, "4096" },
	{ 4100, 4096, 0, false, "4100-align4096" },
	{ 8192, 0, 0, false, "8192" },
	{ 32768, 0, 0, false, "32768" },
};

KUNIT_ARRAY_PARAM_DESC(mslab_size, mslab_size_cases, desc);

static struct mslab_cache *size_case_cache(struct kunit *test,
					   const char *what)
{
	const struct mslab_size_case *p = test->param_value;
	const char *name;

	name = mslab_test_name(test, "kunit-%s-%s", what, p->desc);
	return mslab_test_cache(test, name, p->size, p->align, p->flags,
				p->ctor ? counting_ctor : NULL);
}

static int cmp_ptr(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a;
	unsigned long y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/* @obj is a whole object of a slab of @s, aligned as @s promises. */
static void check_object(struct kunit *test, struct mslab_cache *s,
			 void *obj)
{
	struct mslab_slab *slab = mslab_virt_to_slab(obj);
	void *end;

	KUNIT_ASSERT_NOT_NULL_MSG(test, slab, "%p is not in a slab", obj);
	KUNIT_EXPECT_PTR_EQ(test, slab->cache, s);
	KUNIT_EXPECT_TRUE_MSG(test, mslab_obj_in_slab(slab->layout, slab, obj),
			      "%p is not an object of its slab", obj);
	KUNIT_EXPECT_TRUE_MSG(test, IS_ALIGNED((unsigned long)obj, s->align),
			      "%p is not aligned to %u", obj, s->align);
	end = slab->base + (PAGE_SIZE << slab->order);
	KUNIT_EXPECT_LE(test, (unsigned long)obj + s->object_size,
			(unsigned long)end);
	KUNIT_EXPECT_PTR_EQ(test, slab->base, page_address(slab->page));
}

/*
 * The objects of three slabs and one more: each checked, written over its
 * whole size, and all pairwise apart by at least the stride.
 */
static void alloc_objects_are_aligned_and_distinct(struct kunit *test)
{
	struct mslab_cache *s = size_case_cache(test, "objs");
	unsigned int i, nr = 3 * mslab_oo_objects(s->layout->oo) + 1;
	long pages = mslab_test_pages_held();
	void **objs;

	objs = kunit_kcalloc(test, nr, sizeof(*objs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, objs);
	for (i = 0; i < nr; i++) {
		objs[i] = mslab_cache_alloc(s, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
		check_object(test, s, objs[i]);
		memset(objs[i], i & 0xff, s->object_size);
	}
	KUNIT_EXPECT_GE(test, mslab_test_nr_slabs(s), 4L);
	KUNIT_EXPECT_GT(test, mslab_test_pages_held(), pages);

	/* Nothing written since was overwritten by another object. */
	for (i = 0; i < nr; i++)
		KUNIT_EXPECT_NULL_MSG(test, memchr_inv(objs[i], i & 0xff,
						       s->object_size),
				      "object %u at %p was overwritten",
				      i, objs[i]);

	sort(objs, nr, sizeof(*objs), cmp_ptr, NULL);
	for (i = 1; i < nr; i++)
		KUNIT_ASSERT_GE_MSG(test,
				    (unsigned long)(objs[i] - objs[i - 1]),
				    (unsigned long)s->layout->size,
				    "objects %p and %p overlap",
				    objs[i - 1], objs[i]);

	for (i = 0; i < nr; i++)
		mslab_cache_free(s, objs[i]);
	mslab_cache_shrink(s);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(s), 0UL);
	KUNIT_EXPECT_EQ(test, mslab_test_nr_slabs(s), 0L);
	KUNIT_EXPECT_EQ(test, mslab_test_pages_held(), pages);
}

/* __GFP_ZERO zeroes fresh objects and reused ones full of garbage. */
static void alloc_gfp_zero_zeroes_reused_objects(struct kunit *test)
{
	struct mslab_cache *s = size_case_cache(test, "zero");
	unsigned int i, nr = mslab_oo_objects(s->layout->oo) + 1;
	unsigned long slabs;
	void **objs;

	objs = kunit_kcalloc(test, nr, sizeof(*objs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, objs);
	for (i = 0; i < nr; i++) {
		objs[i] = mslab_cache_alloc(s, GFP_KERNEL | __GFP_ZERO);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
		KUNIT_EXPECT_NULL(test, memchr_inv(objs[i], 0, s->object_size));
		memset(objs[i], GARBAGE_BYTE, s->object_size);
	}
	slabs = mslab_stat_sum(s, ALLOC_SLAB);
	for (i = 0; i < nr; i++)
		mslab_cache_free(s, objs[i]);

	for (i = 0; i < nr; i++) {
		objs[i] = mslab_cache_alloc(s, GFP_KERNEL | __GFP_ZERO);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
		KUNIT_EXPECT_NULL_MSG(test,
				      memchr_inv(objs[i], 0, s->object_size),
				      "reused object %u not zeroed", i);
	}
	/* The objects were reused, not taken from new slabs. */
	KUNIT_EXPECT_EQ(test, mslab_stat_sum(s, ALLOC_SLAB), slabs);
	for (i = 0; i < nr; i++)
		mslab_cache_free(s, objs[i]);
}

/*
 * The constructor runs once for every object of every new slab, never at
 * allocation, and what it built survives a free (the free pointer lies past
 * the object).
 */
static void ctor_runs_once_per_object(struct kunit *test)
{
	unsigned int i, n, nr, calls;
	struct mslab_cache *s;
	void **objs, **more;

	atomic_set(&ctor_calls, 0);
	s = mslab_test_cache(test, "kunit-alloc-ctor", CTOR_SIZE, 0, 0,
			     filling_ctor);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctor_calls), 0);
	n = mslab_oo_objects(s->layout->oo);
	nr = 2 * n + 3;
	objs = kunit_kcalloc(test, nr, sizeof(*objs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, objs);

	for (i = 0; i < nr; i++) {
		objs[i] = mslab_cache_alloc(s, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
		KUNIT_EXPECT_NULL(test, memchr_inv(objs[i], CTOR_BYTE, CTOR_SIZE));
	}
	KUNIT_EXPECT_EQ(test, mslab_stat_sum(s, ALLOC_SLAB), 3UL);
	calls = atomic_read(&ctor_calls);
	KUNIT_EXPECT_EQ(test, calls, 3 * n);

	for (i = 0; i < nr; i++)
		mslab_cache_free(s, objs[i]);
	KUNIT_EXPECT_EQ(test, (unsigned int)atomic_read(&ctor_calls), calls);

	for (i = 0; i < nr; i++) {
		objs[i] = mslab_cache_alloc(s, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
		KUNIT_EXPECT_NULL_MSG(test, memchr_inv(objs[i], CTOR_BYTE, CTOR_SIZE),
				      "constructed state of %p lost", objs[i]);
	}
	KUNIT_EXPECT_EQ(test, mslab_stat_sum(s, ALLOC_SLAB), 3UL);
	KUNIT_EXPECT_EQ(test, (unsigned int)atomic_read(&ctor_calls), calls);

	/* One slab more: exactly one slab's worth of constructor calls. */
	more = kunit_kcalloc(test, n, sizeof(*more), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, more);
	for (i = 0; i < n; i++) {
		more[i] = mslab_cache_alloc(s, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, more[i]);
	}
	KUNIT_EXPECT_EQ(test, mslab_stat_sum(s, ALLOC_SLAB), 4UL);
	KUNIT_EXPECT_EQ(test, (unsigned int)atomic_read(&ctor_calls), 4 * n);

	for (i = 0; i < n; i++)
		mslab_cache_free(s, more[i]);
	for (i = 0; i < nr; i++)
		mslab_cache_free(s, objs[i]);
	KUNIT_EXPECT_EQ(test, (unsigned int)atomic_read(&ctor_calls), 4 * n);
}

/* Node 0 exists on every machine; NUMA_NO_NODE and bad nodes mean "any". */
static void alloc_node_works(struct kunit *test)
{
	struct mslab_cache *s;
	void *a, *b, *c, *d;

	s = mslab_test_cache(test, "kunit-alloc-node", 128, 0, 0, NULL);
	a = mslab_cache_alloc_node(s, GFP_KERNEL, 0);
	KUNIT_ASSERT_NOT_NULL(test, a);
	check_object(test, s, a);
	KUNIT_EXPECT_EQ(test, mslab_slab_nid(mslab_virt_to_slab(a)), 0);
	KUNIT_EXPECT_EQ(test, page_to_nid(virt_to_page(a)), 0);

	b = mslab_cache_alloc_node(s, GFP_KERNEL, NUMA_NO_NODE);
	KUNIT_ASSERT_NOT_NULL(test, b);
	check_object(test, s, b);
	KUNIT_EXPECT_PTR_NE(test, a, b);

	c = mslab_cache_alloc_node(s, GFP_KERNEL | __GFP_ZERO, nr_node_ids);
	KUNIT_ASSERT_NOT_NULL(test, c);
	check_object(test, s, c);
	KUNIT_EXPECT_NULL(test, memchr_inv(c, 0, 128));

	d = mslab_cache_alloc_node(s, GFP_KERNEL, -5);
	KUNIT_ASSERT_NOT_NULL(test, d);
	check_object(test, s, d);

	mslab_cache_shrink(s);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(s), 4UL);
	mslab_cache_free(s, a);
	mslab_cache_free(s, b);
	mslab_cache_free(s, c);
	mslab_cache_free(s, d);
	mslab_cache_shrink(s);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(s), 0UL);
}

/*
 * GFP_ATOMIC with interrupts off, new slabs included: nothing may sleep
 * or take a lock in a way lockdep objects to.
 */
static void alloc_atomic_with_irqs_off(struct kunit *test)
{
	unsigned int i, nr;
	struct mslab_cache *s;
	unsigned long flags;
	void **objs;
	bool ok = true;

	s = mslab_test_cache(test, "kunit-alloc-atomic", 512, 0, 0, NULL);
	nr = 2 * mslab_oo_objects(s->layout->oo) + 1;
	objs = kunit_kcalloc(test, nr, sizeof(*objs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, objs);

	local_irq_save(flags);
	for (i = 0; i < nr; i++) {
		objs[i] = mslab_cache_alloc(s, GFP_ATOMIC);
		if (!objs[i])
			ok = false;
	}
	for (i = 0; i < nr; i++)
		mslab_cache_free(s, objs[i]);
	local_irq_restore(flags);

	KUNIT_EXPECT_TRUE(test, ok);
	KUNIT_EXPECT_GE(test, mslab_stat_sum(s, ALLOC_SLAB), 3UL);
	mslab_cache_shrink(s);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(s), 0UL);
}

static struct kunit_case mslab_alloc_test_cases[] = {
	KUNIT_CASE_PARAM(alloc_objects_are_aligned_and_distinct,
			 mslab_size_gen_params),
	KUNIT_CASE_PARAM(alloc_gfp_zero_zeroes_reused_objects,
			 mslab_size_gen_params),
	KUNIT_CASE(ctor_runs_once_per_object),
	KUNIT_CASE(alloc_node_works),
	KUNIT_CASE(alloc_atomic_with_irqs_off),
	{}
};

static struct kunit_suite mslab_alloc_test_suite = {
	.name = "mslab_alloc",
	.test_cases = mslab_alloc_test_cases,
};

kunit_test_suites(&mslab_alloc_test_suite);
