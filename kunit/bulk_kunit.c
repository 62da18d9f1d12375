// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "mslab_bulk": mslab_cache_alloc_bulk(),
 * mslab_cache_free_bulk() and mslab_kfree_bulk().
 *
 * alloc_bulk returns n distinct, valid objects of the cache for counts from
 * one object to more than three slabs, zeroed with __GFP_ZERO, also with
 * interrupts off; free_bulk takes objects of many slabs in any order
 * (shuffled, interleaved) and leaves freelists that hand every object out
 * exactly once again; kfree_bulk takes a mix of caches, size classes,
 * large allocations, NULL and ZERO_SIZE_PTR. Allocation is all or nothing:
 * with slab allocation failing (mslab_fail_slab) alloc_bulk returns 0 and
 * gives back what it took, so no object stays in use and no page is kept.
 * A bulk allocation across a run-time debug switch takes its remaining
 * objects from debug slabs, not one new plain slab per object.
 */

#include <linux/atomic.h>
#include <linux/irqflags.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include <kunit/static_stub.h>
#include <kunit/test.h>

#include "mslab.h"
#include "mslab_kunit.h"

/* Object size of the bulk caches: 42 objects in an order-0 slab. */
#define BULK_SIZE	96

static int cmp_ptr(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a;
	unsigned long y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/* Fisher-Yates with a fixed seed: the same order on every run. */
static void shuffle(void **p, size_t n, u64 seed)
{
	struct rnd_state rnd;
	size_t i;

	prandom_seed_state(&rnd, seed);
	for (i = n; i > 1; i--) {
		size_t j = prandom_u32_state(&rnd) % i;

		swap(p[i - 1], p[j]);
	}
}

static void **alloc_array(struct kunit *test, size_t n)
{
	void **p = kunit_kcalloc(test, n, sizeof(*p), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	return p;
}

/*
 * @p[0..n) are n distinct objects of @s, each the start of an object of a
 * slab of @s, none overlapping another. Sorts a copy of @p.
 */
static void check_distinct_objects(struct kunit *test, struct mslab_cache *s,
				   void **p, size_t n)
{
	unsigned int bad = 0;
	void **sorted;
	size_t i;

	for (i = 0; i < n; i++) {
		struct mslab_slab *slab = mslab_virt_to_slab(p[i]);

		if (!slab || slab->cache != s ||
		    !mslab_obj_in_slab(slab->layout, slab, p[i])) {
			if (!bad++)
				kunit_info(test, "entry %zu: %p is not an object of %s",
					   i, p[i], s->name);
		}
	}
	KUNIT_EXPECT_EQ_MSG(test, bad, 0U, "entries that are not objects");

	sorted = alloc_array(test, n);
	memcpy(sorted, p, n * sizeof(*p));
	sort(sorted, n, sizeof(*sorted), cmp_ptr, NULL);
	/* Each object's stride is that of its own slab's layout. */
	for (i = 1; i < n; i++) {
		struct mslab_slab *slab = mslab_virt_to_slab(sorted[i - 1]);

		if (!slab || (unsigned long)(sorted[i] - sorted[i - 1]) <
			     slab->layout->size)
			break;
	}
	KUNIT_EXPECT_EQ_MSG(test, i < n ? i : n, n,
			    "objects %p and %p overlap or repeat",
			    i < n ? sorted[i - 1] : NULL, i < n ? sorted[i] : NULL);
}

/* Fill every object with its index, then check none was overwritten. */
static void write_and_check(struct kunit *test, struct mslab_cache *s,
			    void **p, size_t n)
{
	unsigned int bad = 0;
	size_t i;

	for (i = 0; i < n; i++)
		memset(p[i], (u8)i, s->object_size);
	for (i = 0; i < n; i++)
		if (memchr_inv(p[i], (u8)i, s->object_size))
			bad++;
	KUNIT_EXPECT_EQ_MSG(test, bad, 0U, "objects overwritten by others");
}

/* === alloc_bulk ========================================================= */

/* Counts of the alloc_bulk table; 0 stands for three slabs and one. */
static const size_t bulk_counts[] = { 1, 2, 16, 100, 250, 0 };

static void bulk_count_to_desc(const size_t *n, char *desc)
{
	if (*n)
		snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%zu", *n);
	else
		snprintf(desc, KUNIT_PARAM_DESC_SIZE, "3-slabs-plus-1");
}

KUNIT_ARRAY_PARAM(bulk_count, bulk_counts, bulk_count_to_desc);

/*
 * alloc_bulk gives n distinct objects; free_bulk of them, shuffled, gives
 * back every object and, after a shrink, every page.
 */
static void alloc_bulk_returns_n_distinct_objects(struct kunit *test)
{
	const size_t *param = test->param_value;
	int *errors = mslab_test_count_errors(test);
	long held = mslab_test_pages_held();
	struct mslab_cache *s;
	size_t n;
	void **p;
	int got;

	s = mslab_test_cache(test, mslab_test_name(test, "kunit-bulk-%zu",
						   *param),
			     BULK_SIZE, 0, 0, NULL);
	n = *param ?: 3 * mslab_oo_objects(s->layout->oo) + 1;
	p = alloc_array(test, n);

	got = mslab_cache_alloc_bulk(s, GFP_KERNEL, n, p);
	KUNIT_ASSERT_EQ(test, got, (int)n);
	check_distinct_objects(test, s, p, n);
	write_and_check(test, s, p, n);
	mslab_cache_shrink(s);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(s), (unsigned long)n);
	KUNIT_EXPECT_GE(test, mslab_test_nr_slabs(s) * mslab_oo_objects(s->layout->oo),
			(long)n);

	shuffle(p, n, n);
	mslab_cache_free_bulk(s, n, p);
	mslab_cache_shrink(s);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(s), 0UL);
	KUNIT_EXPECT_EQ(test, mslab_test_nr_slabs(s), 0L);
	KUNIT_EXPECT_EQ(test, mslab_test_pages_held(), held);
	KUNIT_EXPECT_EQ(test, *errors, 0);
}

/* alloc_bulk with __GFP_ZERO zeroes reused objects full of garbage. */
static void alloc_bulk_gfp_zero(struct kunit *test)
{
	struct mslab_cache *s;
	unsigned int bad = 0;
	size_t i, n;
	void **p;

	s = mslab_test_cache(test, "kunit-bulk-zero", 200, 0, 0, NULL);
	n = 2 * mslab_oo_objects(s->layout->oo) + 5;
	p = alloc_array(test, n);
	KUNIT_ASSERT_EQ(test, mslab_cache_alloc_bulk(s, GFP_KERNEL, n, p),
			(int)n);
	for (i = 0; i < n; i++)
		memset(p[i], 0xff, 200);
	mslab_cache_free_bulk(s, n, p);

	KUNIT_ASSERT_EQ(test, mslab_cache_alloc_bulk(s, GFP_KERNEL | __GFP_ZERO,
						     n, p), (int)n);
	for (i = 0; i < n; i++)
		if (memchr_inv(p[i], 0, 200))
			bad++;
	KUNIT_EXPECT_EQ_MSG(test, bad, 0U, "objects not zeroed");
	mslab_cache_free_bulk(s, n, p);
	mslab_cache_shrink(s);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(s), 0UL);
}

/*
 * GFP_ATOMIC with interrupts off, new slabs included (lockdep and
 * DEBUG_ATOMIC_SLEEP watch).
 */
static void alloc_bulk_atomic_with_irqs_off(struct kunit *test)
{
	struct mslab_cache *s;
	unsigned long flags;
	size_t n;
	void **p;
	int got;

	s = mslab_test_cache(test, "kunit-bulk-atomic", 512, 0, 0, NULL);
	n = 2 * mslab_oo_objects(s->layout->oo) + 1;
	p = alloc_array(test, n);

	local_irq_save(flags);
	got = mslab_cache_alloc_bulk(s, GFP_ATOMIC, n, p);
	if (got)
		mslab_cache_free_bulk(s, got, p);
	local_irq_restore(flags);

	KUNIT_EXPECT_EQ(test, got, (int)n);
	mslab_cache_shrink(s);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(s), 0UL);
}

/* === free_bulk ========================================================== */

/*
 * Objects of five slabs, allocated one by one, partly freed one by one so
 * their slabs have holes, the rest freed in one free_bulk in a shuffled
 * order. The freelists left behind hand out every object exactly once.
 */
static void free_bulk_mixed_slabs_shuffled(struct kunit *test)
{
	int *errors = mslab_test_count_errors(test);
	long held = mslab_test_pages_held();
	struct mslab_cache *s;
	size_t i, n, rest;
	unsigned int per;
	void **p;

	s = mslab_test_cache(test, "kunit-bulk-mixed", BULK_SIZE, 0, 0, NULL);
	per = mslab_oo_objects(s->layout->oo);
	n = 5 * per;
	p = alloc_array(test, n);
	for (i = 0; i < n; i++) {
		p[i] = mslab_cache_alloc(s, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
	}
	KUNIT_ASSERT_GE(test, mslab_test_nr_slabs(s), 5L);

	/* Every third object alone: holes in every slab. */
	rest = 0;
	for (i = 0; i < n; i++) {
		if (i % 3 == 1)
			mslab_cache_free(s, p[i]);
		else
			p[rest++] = p[i];
	}
	shuffle(p, rest, 12345);
	mslab_cache_free_bulk(s, rest, p);
	mslab_cache_shrink(s);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(s), 0UL);
	KUNIT_EXPECT_EQ(test, *errors, 0);

	/* Every object is handed out exactly once again. */
	KUNIT_ASSERT_EQ(test, mslab_cache_alloc_bulk(s, GFP_KERNEL, n, p),
			(int)n);
	check_distinct_objects(test, s, p, n);
	write_and_check(test, s, p, n);

	/* Interleaved: one object of each slab in turn. */
	sort(p, n, sizeof(*p), cmp_ptr, NULL);
	for (i = 0; i < n; i++) {
		size_t j = (i % 5) * per + i / 5;

		if (j < n && j > i)
			swap(p[i], p[j]);
	}
	mslab_cache_free_bulk(s, n, p);
	mslab_cache_shrink(s);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(s), 0UL);
	KUNIT_EXPECT_EQ(test, mslab_test_nr_slabs(s), 0L);
	KUNIT_EXPECT_EQ(test, mslab_test_pages_held(), held);
	KUNIT_EXPECT_EQ(test, *errors, 0);
}

/*
 * free_bulk to a cache refuses (counts) what is not its object and frees
 * everything else in the array.
 */
static void free_bulk_refuses_other_memory(struct kunit *test)
{
	int *errors = mslab_test_count_errors(test);
	struct mslab_cache *s, *other;
	void *p[8], *km, *foreign;
	size_t i;

	s = mslab_test_cache(test, "kunit-bulk-refuse", 64, 0, 0, NULL);
	other = mslab_test_cache(test, "kunit-bulk-refuse-other", 64, 0, 0,
				 NULL);
	km = kunit_kmalloc(test, 64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, km);
	foreign = mslab_cache_alloc(other, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, foreign);
	KUNIT_ASSERT_EQ(test, mslab_cache_alloc_bulk(s, GFP_KERNEL, 6, p), 6);

	p[6] = p[2];
	p[2] = foreign;
	p[7] = km;
	mslab_cache_free_bulk(s, ARRAY_SIZE(p), p);
	KUNIT_EXPECT_EQ(test, *errors, 2);
	mslab_cache_shrink(s);
	mslab_cache_shrink(other);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(s), 0UL);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(other), 1UL);
	mslab_cache_free(other, foreign);

	/* NULL entries are skipped, as kmem_cache_free_bulk() does. */
	KUNIT_ASSERT_EQ(test, mslab_cache_alloc_bulk(s, GFP_KERNEL, 4, p), 4);
	for (i = 4; i < ARRAY_SIZE(p); i++)
		p[i] = NULL;
	swap(p[1], p[5]);
	mslab_cache_free_bulk(s, ARRAY_SIZE(p), p);
	mslab_cache_shrink(s);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(s), 0UL);
	KUNIT_EXPECT_EQ(test, *errors, 2);

	/* The middle of an object of the same slab is refused, not linked. */
	KUNIT_ASSERT_EQ(test, mslab_cache_alloc_bulk(s, GFP_KERNEL, 4, p), 4);
	p[4] = p[3];
	p[3] = p[1] + 8;
	mslab_cache_free_bulk(s, 5, p);
	KUNIT_EXPECT_EQ(test, *errors, 3);
	mslab_cache_shrink(s);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(s), 0UL);
}

/*
 * kfree_bulk of a shuffled mix: two caches, five size classes, large
 * allocations, NULL and ZERO_SIZE_PTR.
 */
static void kfree_bulk_mixed_caches_and_large(struct kunit *test)
{
	static const size_t kmalloc_sizes[] = { 8, 100, 200, 4096, 8192 };
	int *errors = mslab_test_count_errors(test);
	long large = mslab_large_pages();
	struct mslab_cache *a, *b, *k[ARRAY_SIZE(kmalloc_sizes)];
	size_t i, j, n = 0, cap = 200;
	unsigned long k_inuse[ARRAY_SIZE(kmalloc_sizes)];
	void **p;

	a = mslab_test_cache(test, "kunit-bulk-kfree-a", 48, 0, 0, NULL);
	b = mslab_test_cache(test, "kunit-bulk-kfree-b", 700, 0,
			     SLAB_HWCACHE_ALIGN, NULL);
	p = alloc_array(test, cap);
	for (j = 0; j < ARRAY_SIZE(kmalloc_sizes); j++) {
		void *x = mslab_kmalloc(kmalloc_sizes[j], GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, x);
		k[j] = mslab_virt_to_slab(x)->cache;
		mslab_kfree(x);
		mslab_cache_shrink(k[j]);
		k_inuse[j] = mslab_count_inuse(k[j]);
	}

	for (i = 0; i < 60; i++) {
		p[n] = mslab_cache_alloc(a, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p[n++]);
		if (i % 2) {
			p[n] = mslab_cache_alloc(b, GFP_KERNEL);
			KUNIT_ASSERT_NOT_NULL(test, p[n++]);
		}
		if (i % 3 == 0) {
			p[n] = mslab_kmalloc(kmalloc_sizes[i % 5], GFP_KERNEL);
			KUNIT_ASSERT_NOT_NULL(test, p[n++]);
		}
		if (i % 20 == 0) {
			p[n] = mslab_kmalloc(3 * PAGE_SIZE * (i / 20 + 1),
					     GFP_KERNEL);
			KUNIT_ASSERT_NOT_NULL(test, p[n++]);
			p[n++] = NULL;
			p[n++] = ZERO_SIZE_PTR;
		}
	}
	KUNIT_ASSERT_LE(test, n, cap);
	KUNIT_EXPECT_GT(test, mslab_large_pages(), large);
	shuffle(p, n, 777);

	mslab_kfree_bulk(n, p);
	KUNIT_EXPECT_EQ(test, *errors, 0);
	KUNIT_EXPECT_EQ(test, mslab_large_pages(), large);
	mslab_cache_shrink(a);
	mslab_cache_shrink(b);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(a), 0UL);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(b), 0UL);
	for (j = 0; j < ARRAY_SIZE(kmalloc_sizes); j++) {
		mslab_cache_shrink(k[j]);
		KUNIT_EXPECT_EQ_MSG(test, mslab_count_inuse(k[j]), k_inuse[j],
				    "cache %s", k[j]->name);
	}
}

/* === All or nothing ===================================================== */

static void clear_fail_slab(void *unused)
{
	atomic_set(&mslab_fail_slab, 0);
}

/* With no slab to be had, alloc_bulk on an empty cache returns 0. */
static void alloc_bulk_failure_on_empty_cache(struct kunit *test)
{
	long held = mslab_test_pages_held();
	struct mslab_cache *s;
	void *p[16];

	s = mslab_test_cache(test, "kunit-bulk-fail-empty", BULK_SIZE, 0, 0,
			     NULL);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, clear_fail_slab, NULL));
	atomic_set(&mslab_fail_slab, 1);
	KUNIT_EXPECT_EQ(test, mslab_cache_alloc_bulk(s, GFP_KERNEL,
						     ARRAY_SIZE(p), p), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&mslab_fail_slab), 0);
	mslab_cache_shrink(s);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(s), 0UL);
	KUNIT_EXPECT_EQ(test, mslab_test_nr_slabs(s), 0L);
	KUNIT_EXPECT_EQ(test, mslab_test_pages_held(), held);

	/* Failure is not sticky. */
	KUNIT_ASSERT_EQ(test, mslab_cache_alloc_bulk(s, GFP_KERNEL,
						     ARRAY_SIZE(p), p),
			(int)ARRAY_SIZE(p));
	mslab_cache_free_bulk(s, ARRAY_SIZE(p), p);
}

/*
 * A slab's worth of objects is had, the next slab is not: alloc_bulk
 * returns 0 and gives back the objects it had taken.
 */
static void alloc_bulk_failure_gives_back_partial_work(struct kunit *test)
{
	int *errors = mslab_test_count_errors(test);
	long held = mslab_test_pages_held();
	struct mslab_cache *s;
	unsigned int per;
	void **p, *first;
	size_t n;

	s = mslab_test_cache(test, "kunit-bulk-fail-partial", BULK_SIZE, 0, 0,
			     NULL);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, clear_fail_slab, NULL));
	per = mslab_oo_objects(s->layout->oo);
	n = per + 5;
	p = alloc_array(test, n);
	first = mslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, first);
	KUNIT_ASSERT_EQ(test, mslab_test_nr_slabs(s), 1L);

	/* per - 1 objects come from the slab, then a new slab fails. */
	atomic_set(&mslab_fail_slab, 1);
	KUNIT_EXPECT_EQ(test, mslab_cache_alloc_bulk(s, GFP_KERNEL, n, p), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&mslab_fail_slab), 0);
	mslab_cache_shrink(s);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(s), 1UL);
	KUNIT_EXPECT_EQ(test, mslab_test_nr_slabs(s), 1L);

	/* Twice in a row, from a cache that is not empty. */
	atomic_set(&mslab_fail_slab, 1);
	KUNIT_EXPECT_EQ(test, mslab_cache_alloc_bulk(s, GFP_KERNEL, n, p), 0);
	mslab_cache_shrink(s);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(s), 1UL);

	/* The objects given back are handed out again, each once. */
	KUNIT_ASSERT_EQ(test, mslab_cache_alloc_bulk(s, GFP_KERNEL, n, p),
			(int)n);
	check_distinct_objects(test, s, p, n);
	KUNIT_EXPECT_EQ(test, *errors, 0);
	mslab_cache_free_bulk(s, n, p);
	mslab_cache_free(s, first);
	mslab_cache_shrink(s);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(s), 0UL);
	KUNIT_EXPECT_EQ(test, mslab_test_nr_slabs(s), 0L);
	KUNIT_EXPECT_EQ(test, mslab_test_pages_held(), held);
	KUNIT_EXPECT_EQ(test, *errors, 0);
}

/* Switches its cache to red_zone when the second slab is allocated. */
struct switch_on_second_slab {
	struct mslab_cache *s;
	unsigned int calls;
};

static struct page *switching_alloc_slab_page(gfp_t flags, int node,
					      unsigned int order)
{
	struct kunit *test = kunit_get_current_test();
	struct switch_on_second_slab *sw = test->priv;

	if (sw->calls++ == 1)
		KUNIT_EXPECT_EQ(test, mslab_cache_set_debug(sw->s, SLAB_RED_ZONE,
							    SLAB_RED_ZONE), 0);
	return alloc_pages(flags, order);
}

/*
 * One bulk allocation of @slabs slabs' worth and @extra objects from a new
 * cache that switches to red_zone when its second slab is allocated; the
 * objects must be distinct and valid, and two plain slabs made: the first,
 * and the one the switch met.
 */
static void alloc_bulk_switching_on_second_slab(struct kunit *test,
						const char *name,
						unsigned int slabs,
						unsigned int extra)
{
	int *errors = mslab_test_count_errors(test);
	struct switch_on_second_slab *sw;
	struct mslab_cache *s;
	void **p;
	size_t n;

	s = mslab_test_cache(test, name, BULK_SIZE, 0, 0, NULL);
	n = slabs * mslab_oo_objects(s->plain.oo) + extra;
	p = alloc_array(test, n);
	sw = kunit_kzalloc(test, sizeof(*sw), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, sw);
	sw->s = s;
	test->priv = sw;
	kunit_activate_static_stub(test, mslab_alloc_slab_page,
				   switching_alloc_slab_page);

	KUNIT_ASSERT_EQ(test, mslab_cache_alloc_bulk(s, GFP_KERNEL, n, p),
			(int)n);
	kunit_deactivate_static_stub(test, mslab_alloc_slab_page);
	KUNIT_EXPECT_TRUE(test, s->flags & SLAB_RED_ZONE);
	KUNIT_EXPECT_EQ(test, mslab_layout_nr_slabs(s, &s->plain), 2L);
	check_distinct_objects(test, s, p, n);
	KUNIT_EXPECT_EQ(test, mslab_validate_cache(s), 0);
	mslab_cache_free_bulk(s, n, p);
	mslab_cache_shrink(s);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(s), 0UL);
	KUNIT_EXPECT_EQ(test, *errors, 0);
}

/*
 * A bulk allocation across a switch of debugging: the slow path that meets
 * the switch gives one object of its new plain slab and installs none
 * (debug_switch.c); the rest must come from debug slabs, not from one new
 * plain slab per object.
 */
static void alloc_bulk_across_debug_switch(struct kunit *test)
{
	alloc_bulk_switching_on_second_slab(test, "kunit-bulk-switch", 3, 0);
}

/*
 * The same, with the switch met by the slow path that gives the last
 * object (a slab's worth from the first slab, the last from the second):
 * the slow path has released the CPU's lock, and the bulk path must not
 * release it again on its way out (lockdep's "bad unlock balance").
 */
static void alloc_bulk_debug_switch_on_last_object(struct kunit *test)
{
	MSLAB_TEST_REQUIRES_UP(test);
	alloc_bulk_switching_on_second_slab(test, "kunit-bulk-switch-last",
					    1, 1);
}

static struct kunit_case mslab_bulk_test_cases[] = {
	KUNIT_CASE_PARAM(alloc_bulk_returns_n_distinct_objects,
			 bulk_count_gen_params),
	KUNIT_CASE(alloc_bulk_gfp_zero),
	KUNIT_CASE(alloc_bulk_atomic_with_irqs_off),
	KUNIT_CASE(free_bulk_mixed_slabs_shuffled),
	KUNIT_CASE(free_bulk_refuses_other_memory),
	KUNIT_CASE(kfree_bulk_mixed_caches_and_large),
	KUNIT_CASE(alloc_bulk_failure_on_empty_cache),
	KUNIT_CASE(alloc_bulk_failure_gives_back_partial_work),
	KUNIT_CASE(alloc_bulk_across_debug_switch),
	KUNIT_CASE(alloc_bulk_debug_switch_on_last_object),
	{}
};

static struct kunit_suite mslab_bulk_test_suite = {
	.name = "mslab_bulk",
	.test_cases = mslab_bulk_test_cases,
};

kunit_test_suites(&mslab_bulk_test_suite);
