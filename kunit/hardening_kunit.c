// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for mslab's freelist hardening (mslab/hardening.c): free
 * pointers stored encoded and decoded back, and new slabs' freelists in a
 * random order that is a permutation of the slab's objects, different from
 * slab to slab; with the module parameters off, plain pointers and address
 * order.
 */

#include <linux/slab.h>

#include <kunit/test.h>

#include "mslab_kunit.h"

/* Set a module parameter for one test, restored however the test ends. */
struct param_restore {
	bool *param;
	bool value;
};

static void restore_param(void *data)
{
	struct param_restore *r = data;

	*r->param = r->value;
}

static void set_param(struct kunit *test, bool *param, bool value)
{
	struct param_restore *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, r);
	r->param = param;
	r->value = *param;
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, restore_param, r));
	*param = value;
}

/* The objects of a fresh slab, by index, in freelist order. */
static unsigned int freelist_order(struct kunit *test, struct mslab_cache *s,
				   struct mslab_slab *slab, unsigned int *idx)
{
	unsigned int n = 0;
	void *p;

	for (p = slab->freelist; p; p = mslab_get_freepointer(s->layout, p)) {
		KUNIT_ASSERT_LT(test, n, (unsigned int)slab->objects);
		KUNIT_ASSERT_TRUE(test, mslab_obj_in_slab(slab->layout, slab, p));
		idx[n++] = (p - slab->base) / s->layout->size;
	}
	return n;
}

/* Every index 0 .. n - 1 exactly once. */
static void expect_permutation(struct kunit *test, unsigned int *idx,
			       unsigned int n, unsigned int objects)
{
	unsigned long *seen = kunit_kcalloc(test, BITS_TO_LONGS(objects),
					    sizeof(long), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, seen);
	KUNIT_EXPECT_EQ(test, n, objects);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_FALSE(test, __test_and_set_bit(idx[i], seen));
}

static void hardened_pointers_are_encoded(struct kunit *test)
{
	struct mslab_cache *s;
	void **raw, *next, *a, *b;

	set_param(test, &mslab_hardened, true);
	s = mslab_test_cache(test, "mslab-test-hardened", 64, 0, 0, NULL);
	KUNIT_ASSERT_NE(test, s->plain.random, 0UL);

	a = mslab_cache_alloc(s, GFP_KERNEL);
	b = mslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	mslab_cache_free(s, b);
	mslab_cache_free(s, a);
	/* a's free pointer now leads to b; stored, it reads as neither. */
	raw = a + s->layout->offset;
	next = mslab_get_freepointer(s->layout, a);
	KUNIT_EXPECT_PTR_EQ(test, next, b);
	KUNIT_EXPECT_NE(test, (unsigned long)*raw, (unsigned long)b);
	KUNIT_EXPECT_EQ(test, (unsigned long)*raw ^ mslab_freeptr_key(s->layout, raw),
			(unsigned long)b);
	/* And the cache hands them out again. */
	KUNIT_EXPECT_PTR_EQ(test, mslab_cache_alloc(s, GFP_KERNEL), a);
	KUNIT_EXPECT_PTR_EQ(test, mslab_cache_alloc(s, GFP_KERNEL), b);
	mslab_cache_free(s, a);
	mslab_cache_free(s, b);
}

static void unhardened_pointers_are_plain(struct kunit *test)
{
	struct mslab_cache *s;
	void *a, *b;

	set_param(test, &mslab_hardened, false);
	s = mslab_test_cache(test, "mslab-test-unhardened", 64, 0, 0, NULL);
	KUNIT_ASSERT_EQ(test, s->plain.random, 0UL);
	a = mslab_cache_alloc(s, GFP_KERNEL);
	b = mslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	mslab_cache_free(s, b);
	mslab_cache_free(s, a);
	KUNIT_EXPECT_PTR_EQ(test, *(void **)(a + s->layout->offset), b);
	mslab_cache_free(s, mslab_cache_alloc(s, GFP_KERNEL));
}

/*
 * Four new slabs of 8-byte objects (512 per slab): each freelist is a
 * permutation, and not all four are in the same order (the chance that
 * they are is (1/512)^3).
 */
static void random_freelists_are_permutations(struct kunit *test)
{
	const unsigned int nr_slabs = 4;
	struct mslab_slab *slabs[4];
	unsigned int *idx[4], objects, i, n;
	struct mslab_cache *s;
	bool differ = false;

	set_param(test, &mslab_random_freelist, true);
	s = mslab_test_cache(test, "mslab-test-random", 8, 0, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, s->plain.random_seq);
	objects = mslab_oo_objects(s->layout->oo);

	for (i = 0; i < nr_slabs; i++) {
		idx[i] = kunit_kcalloc(test, objects, sizeof(unsigned int),
				       GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, idx[i]);
		slabs[i] = mslab_new_slab(s, s->layout, GFP_KERNEL, NUMA_NO_NODE);
		KUNIT_ASSERT_NOT_NULL(test, slabs[i]);
		n = freelist_order(test, s, slabs[i], idx[i]);
		expect_permutation(test, idx[i], n, slabs[i]->objects);
		if (i && memcmp(idx[i], idx[0], objects * sizeof(unsigned int)))
			differ = true;
	}
	KUNIT_EXPECT_TRUE(test, differ);
	for (i = 0; i < nr_slabs; i++)
		mslab_discard_slab(s, slabs[i]);
}

static void plain_freelists_are_in_address_order(struct kunit *test)
{
	struct mslab_cache *s;
	struct mslab_slab *slab;
	unsigned int *idx, n, i;

	set_param(test, &mslab_random_freelist, false);
	s = mslab_test_cache(test, "mslab-test-ordered", 64, 0, 0, NULL);
	KUNIT_ASSERT_NULL(test, s->plain.random_seq);
	slab = mslab_new_slab(s, s->layout, GFP_KERNEL, NUMA_NO_NODE);
	KUNIT_ASSERT_NOT_NULL(test, slab);
	idx = kunit_kcalloc(test, slab->objects, sizeof(*idx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, idx);
	n = freelist_order(test, s, slab, idx);
	KUNIT_EXPECT_EQ(test, n, (unsigned int)slab->objects);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ(test, idx[i], i);
	mslab_discard_slab(s, slab);
}

/* A fallback-order slab takes the sequence's entries that fit it. */
static void random_freelist_of_fallback_slab(struct kunit *test)
{
	struct mslab_cache *s;
	struct mslab_slab *slab;
	unsigned int *idx, n;

	set_param(test, &mslab_random_freelist, true);
	s = mslab_test_cache(test, "mslab-test-random-min", 1024, 0, 0, NULL);
	KUNIT_ASSERT_GT(test, mslab_oo_order(s->layout->oo), mslab_oo_order(s->layout->min));
	atomic_set(&mslab_fail_order, 1);
	slab = mslab_new_slab(s, s->layout, GFP_KERNEL, NUMA_NO_NODE);
	atomic_set(&mslab_fail_order, 0);
	KUNIT_ASSERT_NOT_NULL(test, slab);
	KUNIT_ASSERT_EQ(test, (unsigned int)slab->objects,
			mslab_oo_objects(s->layout->min));
	idx = kunit_kcalloc(test, slab->objects, sizeof(*idx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, idx);
	n = freelist_order(test, s, slab, idx);
	expect_permutation(test, idx, n, slab->objects);
	mslab_discard_slab(s, slab);
}

static struct kunit_case mslab_hardening_test_cases[] = {
	KUNIT_CASE(hardened_pointers_are_encoded),
	KUNIT_CASE(unhardened_pointers_are_plain),
	KUNIT_CASE(random_freelists_are_permutations),
	KUNIT_CASE(plain_freelists_are_in_address_order),
	KUNIT_CASE(random_freelist_of_fallback_slab),
	{}
};

static struct kunit_suite mslab_hardening_test_suite = {
	.name = "mslab_hardening",
	.test_cases = mslab_hardening_test_cases,
};

kunit_test_suite(mslab_hardening_test_suite);
