// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "mslab_gfp": the gfp flags a slab is allocated with, as
 * SLUB 6.12's new_slab() and allocate_slab() choose them. A static stub
 * stands in for mslab_alloc_slab_page(), records each call's flags and
 * order and calls the page allocator itself (or fails the call, to see the
 * fallback). What reaches the page allocator: the caller's reclaim and
 * placement flags, never its __GFP_ZERO, __GFP_MOVABLE, __GFP_ACCOUNT or
 * zone modifiers; the cache's own (__GFP_COMP, __GFP_RECLAIMABLE for
 * SLAB_RECLAIM_ACCOUNT, __GFP_ACCOUNT for SLAB_ACCOUNT); a first attempt
 * at the preferred order that neither warns nor retries nor, where the
 * caller may reclaim, reclaims or dips into reserves; then the minimum
 * order with the caller's own flags.
 */

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/module.h>

#include <kunit/static_stub.h>
#include <kunit/test.h>

#include "mslab.h"
#include "mslab_kunit.h"

#define MAX_CALLS	4

struct slab_page_calls {
	unsigned int n;
	gfp_t flags[MAX_CALLS];
	unsigned int order[MAX_CALLS];
	/* Fail the first call, so that the fallback is taken. */
	bool fail_first;
};

static struct page *recording_alloc_slab_page(gfp_t flags, int node,
					      unsigned int order)
{
	struct kunit *test = kunit_get_current_test();
	struct slab_page_calls *calls = test->priv;

	if (calls->n < MAX_CALLS) {
		calls->flags[calls->n] = flags;
		calls->order[calls->n] = order;
	}
	if (calls->n++ == 0 && calls->fail_first)
		return NULL;
	return alloc_pages(flags, order);
}

static struct slab_page_calls *record_calls(struct kunit *test)
{
	struct slab_page_calls *calls;

	calls = kunit_kzalloc(test, sizeof(*calls), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, calls);
	test->priv = calls;
	kunit_activate_static_stub(test, mslab_alloc_slab_page,
				   recording_alloc_slab_page);
	return calls;
}

/* @flags has every one of @bits. */
static void expect_has(struct kunit *test, gfp_t flags, gfp_t bits)
{
	KUNIT_EXPECT_EQ_MSG(test, (__force unsigned int)(flags & bits),
			    (__force unsigned int)bits, "%pGg lacks %pGg",
			    &flags, &bits);
}

/* @flags has none of @bits. */
static void expect_has_none(struct kunit *test, gfp_t flags, gfp_t bits)
{
	gfp_t both = flags & bits;

	KUNIT_EXPECT_EQ_MSG(test, (__force unsigned int)both, 0U,
			    "%pGg has %pGg", &flags, &both);
}

/* The caller's object flags stay with the object, not the slab. */
static void gfp_caller_flags_masked(struct kunit *test)
{
	struct slab_page_calls *calls = record_calls(test);
	struct mslab_cache *s;
	gfp_t f;
	void *p;

	s = mslab_test_cache(test, "gfp-masked", 256, 0, 0, NULL);
	p = mslab_cache_alloc(s, GFP_KERNEL | __GFP_ZERO | __GFP_MOVABLE |
			      __GFP_ACCOUNT | __GFP_DMA | __GFP_NOWARN);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_GE(test, calls->n, 1);
	f = calls->flags[0];
	expect_has_none(test, f, __GFP_ZERO | __GFP_MOVABLE | __GFP_ACCOUNT |
			__GFP_DMA | __GFP_DMA32 | __GFP_HIGHMEM);
	expect_has(test, f, __GFP_COMP | __GFP_NOWARN | __GFP_IO | __GFP_FS);
	mslab_cache_free(s, p);
}

/* A slab allocation that may not sleep stays one that may not sleep. */
static void gfp_atomic_stays_atomic(struct kunit *test)
{
	struct slab_page_calls *calls = record_calls(test);
	struct mslab_cache *s;
	void *p;

	s = mslab_test_cache(test, "gfp-atomic", 256, 0, 0, NULL);
	p = mslab_cache_alloc(s, GFP_ATOMIC);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_GE(test, calls->n, 1);
	expect_has_none(test, calls->flags[0], __GFP_DIRECT_RECLAIM);
	expect_has(test, calls->flags[0], __GFP_HIGH);
	mslab_cache_free(s, p);
}

/* The cache's own flags: its reclaimability, and SLAB_ACCOUNT's charge. */
static void gfp_cache_flags_added(struct kunit *test)
{
	struct slab_page_calls *calls = record_calls(test);
	struct mslab_cache *s;
	void *p;

	s = mslab_test_cache(test, "gfp-reclaim", 256, 0,
			     SLAB_RECLAIM_ACCOUNT | SLAB_ACCOUNT, NULL);
	p = mslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_GE(test, calls->n, 1);
	expect_has(test, calls->flags[0], __GFP_RECLAIMABLE | __GFP_COMP);
	if (SLAB_ACCOUNT)
		expect_has(test, calls->flags[0], __GFP_ACCOUNT);
	mslab_cache_free(s, p);
}

/*
 * A cache whose preferred order is above its minimum: the first attempt
 * quietly, without retry or reclaim or reserves; failing that, the
 * minimum order with the caller's flags.
 */
static void gfp_high_order_then_fallback(struct kunit *test)
{
	struct slab_page_calls *calls = record_calls(test);
	struct mslab_cache *s;
	gfp_t f;
	void *p;

	s = mslab_test_cache(test, "gfp-order", 2000, 0, 0, NULL);
	KUNIT_ASSERT_GT(test, mslab_oo_order(s->plain.oo),
			mslab_oo_order(s->plain.min));
	calls->fail_first = true;
	p = mslab_cache_alloc(s, GFP_KERNEL | __GFP_NOFAIL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_EQ(test, calls->n, 2);

	f = calls->flags[0];
	KUNIT_EXPECT_EQ(test, calls->order[0], mslab_oo_order(s->plain.oo));
	expect_has(test, f, __GFP_NOWARN | __GFP_NORETRY | __GFP_NOMEMALLOC);
	expect_has_none(test, f, __GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM |
			__GFP_NOFAIL);

	f = calls->flags[1];
	KUNIT_EXPECT_EQ(test, calls->order[1], mslab_oo_order(s->plain.min));
	expect_has(test, f, __GFP_DIRECT_RECLAIM | __GFP_NOFAIL);
	expect_has_none(test, f, __GFP_NORETRY | __GFP_NOMEMALLOC);
	KUNIT_EXPECT_EQ(test, 1, mslab_stat_sum(s, ORDER_FALLBACK));
	mslab_cache_free(s, p);
}

static struct kunit_case mslab_gfp_cases[] = {
	KUNIT_CASE(gfp_caller_flags_masked),
	KUNIT_CASE(gfp_atomic_stays_atomic),
	KUNIT_CASE(gfp_cache_flags_added),
	KUNIT_CASE(gfp_high_order_then_fallback),
	{}
};

static struct kunit_suite mslab_gfp_suite = {
	.name = "mslab_gfp",
	.test_cases = mslab_gfp_cases,
};

kunit_test_suite(mslab_gfp_suite);
