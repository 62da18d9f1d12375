// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for mslab's sheaf front end (mslab/sheaf.c): refills and
 * flushes a sheaf at a time, spare and barn exchanges, the counters that
 * say which path served each allocation, double-free detection, and that
 * shrink and destroy give every object and page back.
 *
 * UML has one CPU and nothing interrupts a test inside a sheaf operation,
 * so every count here is exact.
 */

#include <linux/slab.h>

#include <kunit/test.h>

#include "mslab_kunit.h"

#define TEST_CAPACITY	8

static unsigned long stat(struct mslab_cache *s, enum mslab_stat_item si)
{
	return mslab_stat_sum(s, si);
}

/* A cache with sheaves of @capacity objects, destroyed when the test ends. */
static struct mslab_cache *sheaf_cache(struct kunit *test, const char *name,
				       unsigned int size, unsigned int capacity)
{
	struct mslab_cache_args args = {
		.front_end = MSLAB_FRONT_SHEAVES,
		.sheaf_capacity = capacity,
	};

	return mslab_test_cache_args(test, name, size, &args, 0);
}

static void **test_objs(struct kunit *test, unsigned int nr)
{
	void **objs = kunit_kcalloc(test, nr, sizeof(*objs), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, objs);
	return objs;
}

/*
 * The first allocation refills the sheaf with a sheaf's worth of objects
 * and is a slow path; the next capacity - 1 are served from the sheaf.
 */
static void refill_then_fast_allocations(struct kunit *test)
{
	struct mslab_cache *s = sheaf_cache(test, "mslab-test-sheaf-refill", 64,
					    TEST_CAPACITY);
	void **objs = test_objs(test, TEST_CAPACITY + 1);
	unsigned int i;

	MSLAB_TEST_REQUIRES_UP(test);
	KUNIT_EXPECT_EQ(test, s->sheaf_capacity, TEST_CAPACITY);
	for (i = 0; i < TEST_CAPACITY + 1; i++) {
		objs[i] = mslab_cache_alloc(s, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
	}
	/* Refills at the 1st and the 9th allocation. */
	KUNIT_EXPECT_EQ(test, stat(s, SHEAF_REFILL), 2UL * TEST_CAPACITY);
	KUNIT_EXPECT_EQ(test, stat(s, ALLOC_SLOWPATH), 2UL);
	KUNIT_EXPECT_EQ(test, stat(s, ALLOC_FASTPATH),
			(unsigned long)TEST_CAPACITY - 1);

	for (i = 0; i < TEST_CAPACITY + 1; i++)
		mslab_cache_free(s, objs[i]);
	/* Main had capacity - 1 free slots; then a new main, the full spare. */
	KUNIT_EXPECT_EQ(test, stat(s, FREE_FASTPATH),
			(unsigned long)TEST_CAPACITY + 1);
	KUNIT_EXPECT_EQ(test, stat(s, FREE_SLOWPATH), 0UL);
}

/*
 * Freeing more than two sheaves' worth sends full sheaves to the barn;
 * allocating them again takes them back before any refill from slabs.
 */
static void full_sheaves_go_through_the_barn(struct kunit *test)
{
	const unsigned int nr = 5 * TEST_CAPACITY;
	struct mslab_cache *s = sheaf_cache(test, "mslab-test-sheaf-barn", 128,
					    TEST_CAPACITY);
	void **objs = test_objs(test, nr);
	unsigned long refills, fast;
	unsigned int i;

	MSLAB_TEST_REQUIRES_UP(test);
	/* Bulk allocation bypasses the sheaves: they start empty. */
	KUNIT_ASSERT_EQ(test, mslab_cache_alloc_bulk(s, GFP_KERNEL, nr, objs),
			(int)nr);
	KUNIT_EXPECT_EQ(test, stat(s, SHEAF_REFILL), 0UL);
	for (i = 0; i < nr; i++)
		mslab_cache_free(s, objs[i]);
	/* Main, then spare, then three full sheaves to the barn. */
	KUNIT_EXPECT_EQ(test, stat(s, BARN_PUT), 3UL);
	KUNIT_EXPECT_EQ(test, stat(s, FREE_FASTPATH), (unsigned long)nr);

	refills = stat(s, SHEAF_REFILL);
	fast = stat(s, ALLOC_FASTPATH);
	for (i = 0; i < nr; i++) {
		objs[i] = mslab_cache_alloc(s, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
	}
	KUNIT_EXPECT_EQ(test, stat(s, BARN_GET), 3UL);
	/* Every object came back from a sheaf: no refill from the slabs. */
	KUNIT_EXPECT_EQ(test, stat(s, SHEAF_REFILL), refills);
	KUNIT_EXPECT_EQ(test, stat(s, ALLOC_FASTPATH) - fast,
			(unsigned long)nr);
	for (i = 0; i < nr; i++)
		mslab_cache_free(s, objs[i]);
}

/* Shrink returns every sheaved object to the slabs and every page. */
static void shrink_flushes_sheaves_and_barns(struct kunit *test)
{
	const unsigned int nr = 200;
	long pages = mslab_test_pages_held();
	struct mslab_cache *s = sheaf_cache(test, "mslab-test-sheaf-shrink",
					    192, TEST_CAPACITY);
	void **objs = test_objs(test, nr);
	unsigned int i;

	for (i = 0; i < nr; i++) {
		objs[i] = mslab_cache_alloc(s, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
	}
	for (i = 0; i < nr; i++)
		mslab_cache_free(s, objs[i]);
	KUNIT_EXPECT_GT(test, mslab_count_inuse(s), 0UL);

	s->min_partial = 0;
	mslab_cache_shrink(s);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(s), 0UL);
	KUNIT_EXPECT_EQ(test, mslab_test_nr_slabs(s), 0L);
	KUNIT_EXPECT_EQ(test, mslab_test_pages_held(), pages);
	KUNIT_EXPECT_EQ(test, stat(s, SHEAF_FLUSH), stat(s, SHEAF_REFILL));
}

/* Freeing the object just freed is caught before it enters the sheaf. */
static void double_free_to_sheaf_is_counted(struct kunit *test)
{
	struct mslab_cache *s = sheaf_cache(test, "mslab-test-sheaf-double", 64,
					    TEST_CAPACITY);
	int *errors = mslab_test_count_errors(test);
	void *a, *b;

	a = mslab_cache_alloc(s, GFP_KERNEL);
	b = mslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	mslab_cache_free(s, a);
	mslab_cache_free(s, a);
	KUNIT_EXPECT_EQ(test, *errors, 1);
	mslab_cache_free(s, b);
	KUNIT_EXPECT_EQ(test, *errors, 1);
	/* The cache still hands out distinct objects. */
	a = mslab_cache_alloc(s, GFP_KERNEL);
	b = mslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_EXPECT_PTR_NE(test, a, b);
	mslab_cache_free(s, a);
	mslab_cache_free(s, b);
}

/* Zeroing applies to objects served from a sheaf too. */
static void gfp_zero_from_sheaf(struct kunit *test)
{
	struct mslab_cache *s = sheaf_cache(test, "mslab-test-sheaf-zero", 96,
					    TEST_CAPACITY);
	u8 *p;
	int i;

	p = mslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	memset(p, 0xa5, 96);
	mslab_cache_free(s, p);
	/* The same object comes back from the sheaf (LIFO). */
	KUNIT_ASSERT_PTR_EQ(test, (u8 *)mslab_cache_alloc(s, GFP_KERNEL |
							    __GFP_ZERO), p);
	for (i = 0; i < 96; i++)
		KUNIT_ASSERT_EQ(test, p[i], 0);
	mslab_cache_free(s, p);
}

/* Default capacities fill a 512/256/128/64-byte bucket, as SLUB's. */
static void default_capacity_by_size(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, mslab_sheaf_default_capacity(64),
			(unsigned int)MSLAB_SHEAF_MAX_CAPACITY);
	KUNIT_EXPECT_EQ(test, mslab_sheaf_default_capacity(256),
			(unsigned int)((256 - sizeof(struct mslab_sheaf)) /
				       sizeof(void *)));
	KUNIT_EXPECT_EQ(test, mslab_sheaf_default_capacity(1024),
			(unsigned int)((128 - sizeof(struct mslab_sheaf)) /
				       sizeof(void *)));
	KUNIT_EXPECT_EQ(test, mslab_sheaf_default_capacity(PAGE_SIZE),
			(unsigned int)((64 - sizeof(struct mslab_sheaf)) /
				       sizeof(void *)));
}

/* A capacity beyond the largest sheaf is refused; the slab front end is kept. */
static void front_end_choice(struct kunit *test)
{
	struct mslab_cache_args args = {
		.front_end = MSLAB_FRONT_SHEAVES,
		.sheaf_capacity = MSLAB_SHEAF_MAX_CAPACITY + 1,
	};
	struct mslab_cache *s;
	int before = atomic_read(&mslab_nr_caches);

	KUNIT_EXPECT_NULL(test, mslab_cache_create_args("mslab-test-sheaf-big",
							64, &args, 0));
	KUNIT_EXPECT_EQ(test, atomic_read(&mslab_nr_caches), before);

	args.front_end = MSLAB_FRONT_SLAB;
	args.sheaf_capacity = 0;
	s = mslab_cache_create_args("mslab-test-sheaf-none", 64, &args, 0);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, s->sheaf_capacity, 0U);
	KUNIT_EXPECT_NULL(test, s->pcs);
	mslab_cache_destroy(s);

	args.front_end = MSLAB_FRONT_SHEAVES;
	s = mslab_cache_create_args("mslab-test-sheaf-default", 64, &args, 0);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, s->sheaf_capacity,
			mslab_sheaf_default_capacity(s->layout->size));
	mslab_cache_destroy(s);
}

static struct kunit_case mslab_sheaf_test_cases[] = {
	KUNIT_CASE(refill_then_fast_allocations),
	KUNIT_CASE(full_sheaves_go_through_the_barn),
	KUNIT_CASE(shrink_flushes_sheaves_and_barns),
	KUNIT_CASE(double_free_to_sheaf_is_counted),
	KUNIT_CASE(gfp_zero_from_sheaf),
	KUNIT_CASE(default_capacity_by_size),
	KUNIT_CASE(front_end_choice),
	{}
};

static struct kunit_suite mslab_sheaf_test_suite = {
	.name = "mslab_sheaf",
	.test_cases = mslab_sheaf_test_cases,
};

kunit_test_suite(mslab_sheaf_test_suite);
