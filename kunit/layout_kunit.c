// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "mslab_layout": the layout mslab_cache_create() gives a
 * cache. The object stride, free pointer offset, alignment, preferred and
 * minimum slab order, min_partial and cpu_partial are checked against
 * SLUB 6.12's rules (mm/slub.c: calculate_sizes(), calculate_order(),
 * calc_slab_order(), set_cpu_partial(); mm/slab_common.c:
 * calculate_alignment()), which this file recomputes on its own, and
 * against exact values worked out by hand for a uniprocessor with 4 KiB
 * pages and 64-byte cache lines (the UML kernel).
 */

#include <linux/cache.h>
#include <linux/cpumask.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <kunit/test.h>

#include "mslab.h"
#include "mslab_kunit.h"

/* === SLUB 6.12's rules, recomputed ====================================== */

/* calculate_order()'s minimum object count: from the CPUs present. */
static unsigned int ref_min_objects(void)
{
	unsigned int nr_cpus = num_present_cpus();

	if (nr_cpus <= 1)
		nr_cpus = nr_cpu_ids;
	return 4 * (fls(nr_cpus) + 1);
}

/* calculate_order() with slub_max_order = 3 and no boot parameters. */
static int ref_order(unsigned int size)
{
	unsigned int max_slab = PAGE_SIZE << MSLAB_MAX_ORDER;
	unsigned int min_objects, min_order, order, fract;

	if (size > max_slab)
		return -E2BIG;
	min_objects = min(ref_min_objects(), max(max_slab / size, 1U));
	min_order = get_order(min_objects * size);
	for (fract = 16; fract > 1; fract /= 2) {
		for (order = min_order; order <= MSLAB_MAX_ORDER; order++) {
			unsigned int slab_size = PAGE_SIZE << order;

			if (slab_size % size <= slab_size / fract)
				return order;
		}
	}
	return get_order(size);
}

/* calculate_alignment() */
static unsigned int ref_align(slab_flags_t flags, unsigned int align,
			      unsigned int size)
{
	if (flags & SLAB_HWCACHE_ALIGN) {
		unsigned int ralign = cache_line_size();

		while (size <= ralign / 2)
			ralign /= 2;
		align = max(align, ralign);
	}
	align = max_t(unsigned int, align, ARCH_SLAB_MINALIGN);
	return ALIGN(align, sizeof(void *));
}

/* set_cpu_partial() */
static unsigned int ref_cpu_partial(unsigned int size)
{
	if (size >= PAGE_SIZE)
		return 6;
	if (size >= 1024)
		return 24;
	if (size >= 256)
		return 52;
	return 120;
}

static void geometry_test_ctor(void *object)
{
}

/* === mslab_calculate_order() ============================================ */

/* Every stride from a word to the largest slab gets SLUB's order. */
static void calculate_order_follows_slub(struct kunit *test)
{
	unsigned int min_objects = ref_min_objects();
	unsigned int size;

	for (size = sizeof(void *); size <= PAGE_SIZE << MSLAB_MAX_ORDER;
	     size += sizeof(void *)) {
		int order = mslab_calculate_order(size);
		unsigned int objects, want_objects;

		KUNIT_ASSERT_EQ_MSG(test, order, ref_order(size),
				    "stride %u", size);
		KUNIT_ASSERT_LE_MSG(test, order, MSLAB_MAX_ORDER,
				    "stride %u", size);
		KUNIT_ASSERT_GE_MSG(test, order, get_order(size),
				    "stride %u", size);
		/* Enough objects for the CPUs, as far as the largest slab allows. */
		objects = mslab_order_objects(order, size);
		want_objects = min(min_objects,
				   mslab_order_objects(MSLAB_MAX_ORDER, size));
		KUNIT_ASSERT_GE_MSG(test, objects, want_objects,
				    "stride %u order %d", size, order);
	}
}

/* A few strides whose order does not depend on the CPU count. */
static void calculate_order_exact_values(struct kunit *test)
{
	MSLAB_TEST_REQUIRES(test, PAGE_SIZE == 4096);

	KUNIT_EXPECT_EQ(test, mslab_calculate_order(8), 0);
	KUNIT_EXPECT_EQ(test, mslab_calculate_order(64), 0);
	KUNIT_EXPECT_EQ(test, mslab_calculate_order(256), 0);
	KUNIT_EXPECT_EQ(test, mslab_calculate_order(2112), 3);
	KUNIT_EXPECT_EQ(test, mslab_calculate_order(3072), 3);
	KUNIT_EXPECT_EQ(test, mslab_calculate_order(4096), 3);
	KUNIT_EXPECT_EQ(test, mslab_calculate_order(8192), 3);
	KUNIT_EXPECT_EQ(test, mslab_calculate_order(32768), 3);
}

/*
 * 6.1's rule (for kernels before 6.8): it lowers min_objects rather than
 * accept more than 1/4 waste. Strides of 10,928 to 12,280 bytes, two per
 * 32 KiB slab at most, are where it differs from 6.12's (order 2: one
 * object in 16 KiB; 6.12 takes order 3); elsewhere up to 8 KiB the two
 * agree, which is why the kernel's own caches of 6.1 matched mslab's
 * before mslab had this rule.
 */
static void calculate_order_before_6_8(struct kunit *test)
{
	unsigned int min_objects = ref_min_objects(), size;

	MSLAB_TEST_REQUIRES(test, PAGE_SIZE == 4096);

	KUNIT_EXPECT_EQ(test, mslab_calculate_order_before_6_8(10928, 2), 2);
	KUNIT_EXPECT_EQ(test, mslab_calculate_order_before_6_8(12280, 2), 2);
	KUNIT_EXPECT_EQ(test, mslab_calculate_order_before_6_8(12288, 2), 3);
	KUNIT_EXPECT_EQ(test, ref_order(10928), 3);
	for (size = 8; size <= 8192; size += 8) {
		unsigned int objects = min(min_objects,
					   max((PAGE_SIZE << MSLAB_MAX_ORDER) / size, 1U));

		KUNIT_ASSERT_EQ_MSG(test,
				    mslab_calculate_order_before_6_8(size, objects),
				    ref_order(size), "stride %u", size);
	}
}

/*
 * A stride larger than a slab of slub_max_order gets the order of one
 * object (SLUB's calculate_order()); one larger than the buddy allocator's
 * largest block has none.
 */
static void calculate_order_too_big(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test,
			mslab_calculate_order((PAGE_SIZE << MSLAB_MAX_ORDER) + 1),
			MSLAB_MAX_ORDER + 1);
	KUNIT_EXPECT_EQ(test,
			mslab_calculate_order(PAGE_SIZE << (MSLAB_MAX_ORDER + 1)),
			MSLAB_MAX_ORDER + 1);
	KUNIT_EXPECT_EQ(test,
			mslab_calculate_order((PAGE_SIZE << MAX_PAGE_ORDER) + 1),
			-E2BIG);
}

/* === mslab_calculate_alignment() ======================================== */

struct mslab_align_case {
	slab_flags_t flags;
	unsigned int align;
	unsigned int size;
	unsigned int expected;
	const char *desc;
};

/* Expected values for 64-byte cache lines and 8-byte words. */
static const struct mslab_align_case mslab_align_cases[] = {
	{ 0, 0, 1, 8, "none-1" },
	{ 0, 0, 100, 8, "none-100" },
	{ 0, 4, 100, 8, "align4-rounds-to-word" },
	{ 0, 16, 8, 16, "align16" },
	{ 0, 4096, 8, 4096, "align4096" },
	{ SLAB_HWCACHE_ALIGN, 0, 8, 8, "hwcache-8" },
	{ SLAB_HWCACHE_ALIGN, 0, 16, 16, "hwcache-16" },
	{ SLAB_HWCACHE_ALIGN, 0, 24, 32, "hwcache-24" },
	{ SLAB_HWCACHE_ALIGN, 0, 32, 32, "hwcache-32" },
	{ SLAB_HWCACHE_ALIGN, 0, 33, 64, "hwcache-33" },
	{ SLAB_HWCACHE_ALIGN, 0, 4096, 64, "hwcache-4096" },
	{ SLAB_HWCACHE_ALIGN, 128, 8, 128, "hwcache-align128" },
	{ SLAB_HWCACHE_ALIGN, 16, 100, 64, "hwcache-align16-100" },
};

KUNIT_ARRAY_PARAM_DESC(mslab_align, mslab_align_cases, desc);

static void calculate_alignment_exact(struct kunit *test)
{
	const struct mslab_align_case *p = test->param_value;

	MSLAB_TEST_REQUIRES(test, cache_line_size() == 64);
	MSLAB_TEST_REQUIRES(test, ARCH_SLAB_MINALIGN <= sizeof(void *));

	KUNIT_EXPECT_EQ(test, mslab_calculate_alignment(p->flags, p->align,
							p->size),
			p->expected);
	KUNIT_EXPECT_EQ(test, ref_align(p->flags, p->align, p->size),
			p->expected);
}

/* === Created caches: SLUB's rules over many sizes ======================= */

/* The sizes each variant is created with: 8 bytes to two pages. */
static const unsigned int mslab_geometry_sizes[] = {
	8, 16, 24, 32, 40, 48, 64, 72, 96, 100, 128, 192, 200, 256, 320,
	500, 512, 700, 1000, 1024, 1500, 2000, 2048, 3000, 4096, 5000, 8192,
};

struct mslab_variant_case {
	unsigned int align;
	slab_flags_t flags;
	bool ctor;
	const char *desc;
};

static const struct mslab_variant_case mslab_variant_cases[] = {
	{ 0, 0, false, "plain" },
	{ 64, 0, false, "align64" },
	{ 0, SLAB_HWCACHE_ALIGN, false, "hwcache" },
	{ 0, 0, true, "ctor" },
	{ 64, SLAB_HWCACHE_ALIGN, true, "hwcache-align64-ctor" },
	{ 0, SLAB_RECLAIM_ACCOUNT | SLAB_NO_MERGE, false, "reclaim-nomerge" },
};

KUNIT_ARRAY_PARAM_DESC(mslab_variant, mslab_variant_cases, desc);

/* Check a created cache's layout against the rules. */
static void check_layout(struct kunit *test, struct mslab_cache *s,
			 unsigned int size, unsigned int align,
			 slab_flags_t flags, bool ctor)
{
	unsigned int word = sizeof(void *);
	unsigned int want_align = ref_align(flags, align, size);
	unsigned int want_size;

	KUNIT_EXPECT_EQ(test, s->object_size, size);
	KUNIT_EXPECT_EQ(test, mslab_cache_size(s), size);
	KUNIT_EXPECT_EQ(test, s->align, want_align);
	KUNIT_EXPECT_TRUE(test, is_power_of_2(s->align));
	KUNIT_EXPECT_GE(test, s->align, max(align, word));
	KUNIT_EXPECT_EQ(test, s->layout->inuse, ALIGN(size, word));

	if (ctor) {
		/* Constructed state survives a free: the pointer is past it. */
		KUNIT_EXPECT_EQ(test, s->layout->offset, ALIGN(size, word));
		want_size = ALIGN(ALIGN(size, word) + word, want_align);
	} else {
		/* Mid-object, away from the edges overflows hit. */
		KUNIT_EXPECT_EQ(test, s->layout->offset, ALIGN_DOWN(size / 2, word));
		KUNIT_EXPECT_LE(test, s->layout->offset + word, ALIGN(size, word));
		want_size = ALIGN(size, want_align);
	}
	KUNIT_EXPECT_EQ(test, s->layout->size, want_size);
	KUNIT_EXPECT_EQ(test, s->layout->size % s->align, 0);
	KUNIT_EXPECT_LE(test, s->layout->offset + word, s->layout->size);
	KUNIT_EXPECT_TRUE(test, IS_ALIGNED(s->layout->offset, word));
}

static void check_orders(struct kunit *test, struct mslab_cache *s)
{
	unsigned int order = mslab_oo_order(s->layout->oo);
	unsigned int min_order = mslab_oo_order(s->layout->min);

	KUNIT_EXPECT_EQ(test, (int)order, ref_order(s->layout->size));
	KUNIT_EXPECT_EQ(test, (int)order, mslab_calculate_order(s->layout->size));
	KUNIT_EXPECT_EQ(test, mslab_oo_objects(s->layout->oo),
			(unsigned int)(PAGE_SIZE << order) / s->layout->size);

	/* The minimum order is the smallest that holds one object. */
	KUNIT_EXPECT_EQ(test, min_order, get_order(s->layout->size));
	KUNIT_EXPECT_GE(test, (unsigned int)PAGE_SIZE << min_order, s->layout->size);
	if (min_order)
		KUNIT_EXPECT_LT(test, (unsigned int)PAGE_SIZE << (min_order - 1),
				s->layout->size);
	KUNIT_EXPECT_EQ(test, mslab_oo_objects(s->layout->min),
			(unsigned int)(PAGE_SIZE << min_order) / s->layout->size);
	KUNIT_EXPECT_GE(test, mslab_oo_objects(s->layout->min), 1U);
	KUNIT_EXPECT_LE(test, min_order, order);
	/* Bitmaps sized for the cache hold any of its slabs. */
	KUNIT_EXPECT_GE(test, mslab_max_objects(s),
			max(mslab_oo_objects(s->layout->oo),
			    mslab_oo_objects(s->layout->min)));
}

static void check_tunables(struct kunit *test, struct mslab_cache *s,
			   slab_flags_t flags)
{
	unsigned int cpu_partial = ref_cpu_partial(s->layout->size);

	KUNIT_EXPECT_EQ(test, s->min_partial,
			clamp_t(unsigned long, ilog2(s->layout->size) / 2,
				MSLAB_MIN_PARTIAL, MSLAB_MAX_PARTIAL));
	KUNIT_EXPECT_GE(test, s->min_partial, 5UL);
	KUNIT_EXPECT_LE(test, s->min_partial, 10UL);
	KUNIT_EXPECT_EQ(test, s->cpu_partial, cpu_partial);
	KUNIT_EXPECT_EQ(test, s->cpu_partial_slabs,
			DIV_ROUND_UP(cpu_partial * 2, mslab_oo_objects(s->layout->oo)));
	KUNIT_EXPECT_TRUE(test, s->allocflags & __GFP_COMP);
	KUNIT_EXPECT_EQ(test, !!(s->allocflags & __GFP_RECLAIMABLE),
			!!(flags & SLAB_RECLAIM_ACCOUNT));
	KUNIT_EXPECT_EQ(test, s->refcount, 1);
}

static void created_cache_follows_slub_rules(struct kunit *test)
{
	const struct mslab_variant_case *p = test->param_value;
	void (*ctor)(void *) = p->ctor ? geometry_test_ctor : NULL;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(mslab_geometry_sizes); i++) {
		unsigned int size = mslab_geometry_sizes[i];
		struct mslab_cache *s;
		const char *name;

		name = mslab_test_name(test, "kunit-geo-%s-%u",
				       p->desc, size);
		s = mslab_test_cache(test, name, size, p->align, p->flags,
				     ctor);
		KUNIT_EXPECT_STREQ(test, s->name, name);
		KUNIT_EXPECT_EQ(test, s->flags, p->flags);
		KUNIT_EXPECT_PTR_EQ(test, s->ctor, ctor);
		check_layout(test, s, size, p->align, p->flags, p->ctor);
		check_orders(test, s);
		check_tunables(test, s, p->flags);
	}
}

/* === Created caches: exact values ======================================= */

struct mslab_exact_case {
	unsigned int size;
	unsigned int align;
	slab_flags_t flags;
	bool ctor;
	/* Expected: stride, free pointer offset, alignment. */
	unsigned int stride;
	unsigned int offset;
	unsigned int obj_align;
	/* Expected: oo and min. */
	unsigned int order;
	unsigned int objects;
	unsigned int min_order;
	unsigned int min_objects;
	/* Expected tunables. */
	unsigned long min_partial;
	unsigned int cpu_partial;
	unsigned int cpu_partial_slabs;
	const char *desc;
};

/*
 * Worked out by hand from SLUB 6.12's rules for 4 KiB pages, 64-byte cache
 * lines and one CPU (calculate_order() asks for 4 * (fls(1) + 1) = 8
 * objects). With 4 CPUs (16 objects), "700" and "1024" would have order 2;
 * the others do not depend on the CPU count.
 */
static const struct mslab_exact_case mslab_exact_cases[] = {
	{ 1, 0, 0, false, 8, 0, 8, 0, 512, 0, 512, 5, 120, 1, "1" },
	{ 8, 0, 0, false, 8, 0, 8, 0, 512, 0, 512, 5, 120, 1, "8" },
	{ 24, 0, SLAB_HWCACHE_ALIGN, false,
	  32, 8, 32, 0, 128, 0, 128, 5, 120, 2, "24-hwcache" },
	{ 96, 0, 0, false, 96, 48, 8, 0, 42, 0, 42, 5, 120, 6, "96" },
	{ 100, 0, SLAB_HWCACHE_ALIGN, false,
	  128, 48, 64, 0, 32, 0, 32, 5, 120, 8, "100-hwcache" },
	{ 8, 64, 0, true, 64, 8, 64, 0, 64, 0, 64, 5, 120, 4, "8-align64-ctor" },
	{ 200, 0, 0, true, 208, 200, 8, 0, 19, 0, 19, 5, 120, 13, "200-ctor" },
	{ 256, 0, 0, false, 256, 128, 8, 0, 16, 0, 16, 5, 52, 7, "256" },
	{ 700, 0, 0, false, 704, 344, 8, 1, 11, 0, 5, 5, 52, 10, "700" },
	{ 1024, 0, 0, false, 1024, 512, 8, 1, 8, 0, 4, 5, 24, 6, "1024" },
	{ 2048, 0, SLAB_HWCACHE_ALIGN, true,
	  2112, 2048, 64, 3, 15, 0, 1, 5, 24, 4, "2048-hwcache-ctor" },
	{ 3000, 512, 0, false,
	  3072, 1496, 512, 3, 10, 0, 1, 5, 24, 5, "3000-align512" },
	{ 4096, 0, 0, false, 4096, 2048, 8, 3, 8, 0, 1, 6, 6, 2, "4096" },
	{ 8192, 0, 0, false, 8192, 4096, 8, 3, 4, 1, 1, 6, 6, 3, "8192" },
	{ 32768, 0, 0, false,
	  32768, 16384, 8, 3, 1, 3, 1, 7, 6, 12, "32768" },
};

KUNIT_ARRAY_PARAM_DESC(mslab_exact, mslab_exact_cases, desc);

static void created_cache_exact_geometry(struct kunit *test)
{
	const struct mslab_exact_case *p = test->param_value;
	struct mslab_cache *s;
	const char *name;

	MSLAB_TEST_REQUIRES(test, PAGE_SIZE == 4096);
	MSLAB_TEST_REQUIRES(test, cache_line_size() == 64);
	MSLAB_TEST_REQUIRES(test, ref_min_objects() == 8);

	name = mslab_test_name(test, "kunit-exact-%s", p->desc);
	s = mslab_test_cache(test, name, p->size, p->align, p->flags,
			     p->ctor ? geometry_test_ctor : NULL);

	KUNIT_EXPECT_EQ(test, s->object_size, p->size);
	KUNIT_EXPECT_EQ(test, s->layout->size, p->stride);
	KUNIT_EXPECT_EQ(test, s->layout->offset, p->offset);
	KUNIT_EXPECT_EQ(test, s->align, p->obj_align);
	KUNIT_EXPECT_EQ(test, mslab_oo_order(s->layout->oo), p->order);
	KUNIT_EXPECT_EQ(test, mslab_oo_objects(s->layout->oo), p->objects);
	KUNIT_EXPECT_EQ(test, mslab_oo_order(s->layout->min), p->min_order);
	KUNIT_EXPECT_EQ(test, mslab_oo_objects(s->layout->min), p->min_objects);
	KUNIT_EXPECT_EQ(test, s->min_partial, p->min_partial);
	KUNIT_EXPECT_EQ(test, s->cpu_partial, p->cpu_partial);
	KUNIT_EXPECT_EQ(test, s->cpu_partial_slabs, p->cpu_partial_slabs);
}

static struct kunit_case mslab_geometry_test_cases[] = {
	KUNIT_CASE(calculate_order_follows_slub),
	KUNIT_CASE(calculate_order_exact_values),
	KUNIT_CASE(calculate_order_too_big),
	KUNIT_CASE(calculate_order_before_6_8),
	KUNIT_CASE_PARAM(calculate_alignment_exact, mslab_align_gen_params),
	KUNIT_CASE_PARAM(created_cache_follows_slub_rules,
			 mslab_variant_gen_params),
	KUNIT_CASE_PARAM(created_cache_exact_geometry, mslab_exact_gen_params),
	{}
};

static struct kunit_suite mslab_geometry_test_suite = {
	.name = "mslab_layout",
	.test_cases = mslab_geometry_test_cases,
};

kunit_test_suites(&mslab_geometry_test_suite);
