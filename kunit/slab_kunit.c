// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "mslab_slab": the states a slab goes through and the memory
 * the cache holds. On one CPU (UML) every step is deterministic, so the
 * tests follow single slabs: the cpu slab filling up and becoming full
 * (unfrozen, on no list), a full slab getting a free and joining the CPU
 * partial chain, shrink moving slabs to the node partial list and freeing
 * empty ones, node partial slabs being reused, empty slabs beyond
 * min_partial going back to the buddy allocator, the fast/slow path
 * counters adding up, order fallback and slab allocation failure (through
 * the fault injection counters mslab_fail_order and mslab_fail_slab), and
 * mslab_pages_held returning to where it was.
 */

#include <linux/atomic.h>
#include <linux/module.h>
#include <linux/slab.h>

#include <kunit/resource.h>
#include <kunit/test.h>

#include "mslab.h"
#include "mslab_kunit.h"

static unsigned long stat(struct mslab_cache *s, enum mslab_stat_item si)
{
	return mslab_stat_sum(s, si);
}

/* Allocate @nr objects into @objs, asserting each. */
static void alloc_objs(struct kunit *test, struct mslab_cache *s,
		       void **objs, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		objs[i] = mslab_cache_alloc(s, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL_MSG(test, objs[i], "allocation %u", i);
	}
}

static void free_objs(struct mslab_cache *s, void **objs, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		mslab_cache_free(s, objs[i]);
}

static void **alloc_array(struct kunit *test, unsigned int nr)
{
	void **objs = kunit_kcalloc(test, nr, sizeof(*objs), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, objs);
	return objs;
}

/* === State transitions ================================================== */

/*
 * cpu slab -> full -> cpu partial -> node partial -> cpu slab again, and
 * an empty slab freed by shrink.
 */
static void full_slab_moves_through_partial_lists(struct kunit *test)
{
	long pages = mslab_test_pages_held();
	struct mslab_slab *a, *b;
	struct mslab_cache *s;
	struct mslab_cpu *c;
	unsigned int i, n;
	void **objs, *x;

	MSLAB_TEST_REQUIRES_UP(test);
	s = mslab_test_cache(test, "kunit-slab-states", 256, 0, 0, NULL);
	n = mslab_oo_objects(s->layout->oo);
	objs = alloc_array(test, n + 1);
	c = mslab_test_cpu(s);

	/* One slab, all of it taken by this CPU. */
	alloc_objs(test, s, objs, n);
	KUNIT_EXPECT_EQ(test, stat(s, ALLOC_SLAB), 1UL);
	a = mslab_virt_to_slab(objs[0]);
	KUNIT_ASSERT_NOT_NULL(test, a);
	for (i = 1; i < n; i++)
		KUNIT_EXPECT_PTR_EQ(test, mslab_virt_to_slab(objs[i]), a);
	KUNIT_EXPECT_PTR_EQ(test, c->slab, a);
	KUNIT_EXPECT_NULL(test, c->freelist);
	KUNIT_EXPECT_EQ(test, (unsigned int)a->frozen, 1U);
	KUNIT_EXPECT_EQ(test, (unsigned int)a->objects, n);
	KUNIT_EXPECT_EQ(test, mslab_test_pages_held(),
			pages + (1L << mslab_oo_order(s->layout->oo)));

	/* One more: a second slab; the first is full, on no list. */
	alloc_objs(test, s, objs + n, 1);
	b = mslab_virt_to_slab(objs[n]);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_PTR_NE(test, a, b);
	KUNIT_EXPECT_EQ(test, stat(s, ALLOC_SLAB), 2UL);
	KUNIT_EXPECT_EQ(test, stat(s, DEACTIVATE_BYPASS), 1UL);
	KUNIT_EXPECT_PTR_EQ(test, c->slab, b);
	KUNIT_EXPECT_EQ(test, (unsigned int)a->frozen, 0U);
	KUNIT_EXPECT_NULL(test, a->freelist);
	KUNIT_EXPECT_EQ(test, (unsigned int)a->inuse, n);
	KUNIT_EXPECT_FALSE(test, a->on_node_partial);
	KUNIT_EXPECT_EQ(test, mslab_test_nr_partial(s), 0UL);
	KUNIT_EXPECT_EQ(test, mslab_test_nr_slabs(s), 2L);

	/* A free to the full slab makes it this CPU's partial slab. */
	mslab_cache_free(s, objs[0]);
	KUNIT_EXPECT_EQ(test, stat(s, FREE_SLOWPATH), 1UL);
	KUNIT_EXPECT_EQ(test, stat(s, CPU_PARTIAL_FREE), 1UL);
	KUNIT_EXPECT_PTR_EQ(test, c->partial, a);
	KUNIT_EXPECT_EQ(test, (unsigned int)a->frozen, 0U);
	KUNIT_EXPECT_EQ(test, (unsigned int)a->inuse, n - 1);
	KUNIT_EXPECT_PTR_EQ(test, a->freelist, objs[0]);
	KUNIT_EXPECT_FALSE(test, a->on_node_partial);

	/* A free to the cpu slab is a fast path one. */
	mslab_cache_free(s, objs[n]);
	KUNIT_EXPECT_EQ(test, stat(s, FREE_FASTPATH), 1UL);
	KUNIT_EXPECT_PTR_EQ(test, c->slab, b);

	/*
	 * Shrink flushes the CPU: the partial slab goes to the node list,
	 * the now empty cpu slab back to the buddy allocator.
	 */
	mslab_cache_shrink(s);
	KUNIT_EXPECT_NULL(test, c->slab);
	KUNIT_EXPECT_NULL(test, c->partial);
	KUNIT_EXPECT_EQ(test, mslab_test_nr_partial(s), 1UL);
	KUNIT_EXPECT_TRUE(test, a->on_node_partial);
	KUNIT_EXPECT_EQ(test, mslab_test_nr_slabs(s), 1L);
	KUNIT_EXPECT_EQ(test, stat(s, FREE_SLAB), 1UL);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(s), (unsigned long)n - 1);
	KUNIT_EXPECT_EQ(test, mslab_test_pages_held(),
			pages + (1L << mslab_oo_order(s->layout->oo)));

	/* The next allocation takes the node partial slab's free object. */
	x = mslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_EXPECT_PTR_EQ(test, x, objs[0]);
	KUNIT_EXPECT_EQ(test, stat(s, ALLOC_FROM_PARTIAL), 1UL);
	KUNIT_EXPECT_EQ(test, stat(s, ALLOC_SLAB), 2UL);
	KUNIT_EXPECT_PTR_EQ(test, c->slab, a);
	KUNIT_EXPECT_EQ(test, (unsigned int)a->frozen, 1U);
	KUNIT_EXPECT_FALSE(test, a->on_node_partial);
	KUNIT_EXPECT_EQ(test, mslab_test_nr_partial(s), 0UL);
	objs[0] = x;

	free_objs(s, objs, n);
	mslab_cache_shrink(s);
	KUNIT_EXPECT_EQ(test, mslab_test_nr_slabs(s), 0L);
	KUNIT_EXPECT_EQ(test, mslab_test_nr_partial(s), 0UL);
	KUNIT_EXPECT_EQ(test, mslab_test_pages_held(), pages);
}

/*
 * Many slabs emptied one after another: the CPU partial chain is drained
 * to the node list at cpu_partial_slabs, which keeps no more than
 * min_partial slabs; the rest go back to the buddy allocator at once.
 */
static void empty_slabs_beyond_min_partial_are_freed(struct kunit *test)
{
	long pages = mslab_test_pages_held();
	unsigned int n, nr, nslabs;
	struct mslab_cache *s;
	void **objs;

	MSLAB_TEST_REQUIRES_UP(test);
	/* Few objects per slab and a short cpu partial chain. */
	s = mslab_test_cache(test, "kunit-slab-min-partial", 1024, 0, 0, NULL);
	n = mslab_oo_objects(s->layout->oo);
	nslabs = s->min_partial + 3 * s->cpu_partial_slabs + 2;
	nr = nslabs * n;
	objs = alloc_array(test, nr);

	alloc_objs(test, s, objs, nr);
	KUNIT_EXPECT_EQ(test, stat(s, ALLOC_SLAB), (unsigned long)nslabs);
	KUNIT_EXPECT_EQ(test, mslab_test_nr_slabs(s), (long)nslabs);
	KUNIT_EXPECT_EQ(test, mslab_test_pages_held(),
			pages + ((long)nslabs << mslab_oo_order(s->layout->oo)));

	free_objs(s, objs, nr);
	KUNIT_EXPECT_GE(test, stat(s, CPU_PARTIAL_DRAIN), 1UL);
	KUNIT_EXPECT_LE(test, mslab_test_nr_partial(s), s->min_partial);
	KUNIT_EXPECT_GE(test, stat(s, FREE_SLAB), 1UL);
	/* Kept: node partials, this CPU's partial chain and its cpu slab. */
	KUNIT_EXPECT_LE(test, mslab_test_nr_slabs(s),
			(long)(s->min_partial + s->cpu_partial_slabs + 1));
	KUNIT_EXPECT_EQ(test, mslab_test_nr_slabs(s),
			(long)(nslabs - stat(s, FREE_SLAB)));

	/* Shrink frees every empty slab, min_partial or not. */
	mslab_cache_shrink(s);
	KUNIT_EXPECT_EQ(test, mslab_test_nr_slabs(s), 0L);
	KUNIT_EXPECT_EQ(test, mslab_test_nr_partial(s), 0UL);
	KUNIT_EXPECT_EQ(test, stat(s, FREE_SLAB), (unsigned long)nslabs);
	KUNIT_EXPECT_EQ(test, mslab_test_pages_held(), pages);
}

/*
 * A node partial slab that becomes empty stays while the node keeps fewer
 * than min_partial slabs; with min_partial 0 it is freed by that free.
 */
static void min_partial_zero_frees_empty_slab_at_once(struct kunit *test)
{
	long pages = mslab_test_pages_held();
	struct mslab_cache *s;
	struct mslab_slab *b;
	unsigned int n;
	void **objs;

	MSLAB_TEST_REQUIRES_UP(test);
	s = mslab_test_cache(test, "kunit-slab-min-partial-0", 256, 0, 0,
			     NULL);
	n = mslab_oo_objects(s->layout->oo);
	objs = alloc_array(test, n + 1);

	/* A full slab, and one with one object on the node partial list. */
	alloc_objs(test, s, objs, n + 1);
	mslab_cache_shrink(s);
	b = mslab_virt_to_slab(objs[n]);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_TRUE(test, b->on_node_partial);
	KUNIT_EXPECT_EQ(test, mslab_test_nr_partial(s), 1UL);

	/* Default min_partial (5): the empty slab is kept. */
	mslab_cache_free(s, objs[n]);
	KUNIT_EXPECT_EQ(test, mslab_test_nr_partial(s), 1UL);
	KUNIT_EXPECT_EQ(test, mslab_test_nr_slabs(s), 2L);
	KUNIT_EXPECT_EQ(test, stat(s, FREE_REMOVE_PARTIAL), 0UL);

	/* Reuse it, then empty it again with min_partial 0. */
	objs[n] = mslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, objs[n]);
	KUNIT_EXPECT_PTR_EQ(test, mslab_virt_to_slab(objs[n]), b);
	mslab_cache_shrink(s);
	KUNIT_EXPECT_TRUE(test, b->on_node_partial);
	WRITE_ONCE(s->min_partial, 0);
	mslab_cache_free(s, objs[n]);
	KUNIT_EXPECT_EQ(test, stat(s, FREE_REMOVE_PARTIAL), 1UL);
	KUNIT_EXPECT_EQ(test, mslab_test_nr_partial(s), 0UL);
	KUNIT_EXPECT_EQ(test, mslab_test_nr_slabs(s), 1L);

	/* The full slab empties on the CPU's partial chain; shrink frees it. */
	free_objs(s, objs, n);
	mslab_cache_shrink(s);
	KUNIT_EXPECT_EQ(test, mslab_test_nr_slabs(s), 0L);
	KUNIT_EXPECT_EQ(test, mslab_test_pages_held(), pages);
}

/* Every allocation is a fast or a slow one, and so is every free. */
static void path_counters_add_up(struct kunit *test)
{
	unsigned long allocs = 0, frees = 0;
	unsigned int i, n, nr;
	struct mslab_cache *s;
	void **objs;

	s = mslab_test_cache(test, "kunit-slab-counters", 192, 0, 0, NULL);
	n = mslab_oo_objects(s->layout->oo);
	nr = 4 * n + 5;
	objs = alloc_array(test, nr);

	alloc_objs(test, s, objs, nr);
	allocs += nr;
	/* Every other object, then reallocate them. */
	for (i = 0; i < nr; i += 2, frees++)
		mslab_cache_free(s, objs[i]);
	for (i = 0; i < nr; i += 2, allocs++) {
		objs[i] = mslab_cache_alloc(s, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
	}
	mslab_cache_shrink(s);
	/* Back to front, across the partial lists. */
	for (i = nr; i-- > 0; frees++)
		mslab_cache_free(s, objs[i]);

	KUNIT_EXPECT_EQ(test, stat(s, ALLOC_FASTPATH) + stat(s, ALLOC_SLOWPATH),
			allocs);
	KUNIT_EXPECT_EQ(test, stat(s, FREE_FASTPATH) + stat(s, FREE_SLOWPATH),
			frees);
	KUNIT_EXPECT_GE(test, stat(s, ALLOC_SLOWPATH), stat(s, ALLOC_SLAB));
	KUNIT_EXPECT_GT(test, stat(s, ALLOC_FASTPATH), 0UL);
	KUNIT_EXPECT_GT(test, stat(s, FREE_SLOWPATH), 0UL);
	KUNIT_EXPECT_EQ(test, stat(s, CMPXCHG_DOUBLE_FAIL), 0UL);
	KUNIT_EXPECT_EQ(test, stat(s, CMPXCHG_DOUBLE_CPU_FAIL), 0UL);
	mslab_cache_shrink(s);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(s), 0UL);
	KUNIT_EXPECT_EQ(test, stat(s, FREE_SLAB), stat(s, ALLOC_SLAB));
}

/* === Fault injection ==================================================== */

static void reset_fault_injection(void *unused)
{
	atomic_set(&mslab_fail_order, 0);
	atomic_set(&mslab_fail_slab, 0);
}

static void inject_faults(struct kunit *test)
{
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, reset_fault_injection,
						  NULL));
}

/*
 * When the preferred order cannot be had, the slab has the minimum order
 * and holds its fewer objects; the next slab has the preferred order again.
 */
static void order_fallback_uses_min_order(struct kunit *test)
{
	long pages = mslab_test_pages_held();
	unsigned int n_min, n_oo;
	struct mslab_slab *slab;
	struct mslab_cache *s;
	void **objs;

	MSLAB_TEST_REQUIRES_UP(test);
	inject_faults(test);
	s = mslab_test_cache(test, "kunit-slab-fallback", 1024, 0, 0, NULL);
	KUNIT_ASSERT_GT(test, mslab_oo_order(s->layout->oo), mslab_oo_order(s->layout->min));
	n_min = mslab_oo_objects(s->layout->min);
	n_oo = mslab_oo_objects(s->layout->oo);
	objs = alloc_array(test, n_min + 1);

	atomic_set(&mslab_fail_order, 1);
	alloc_objs(test, s, objs, 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&mslab_fail_order), 0);
	KUNIT_EXPECT_EQ(test, stat(s, ORDER_FALLBACK), 1UL);
	slab = mslab_virt_to_slab(objs[0]);
	KUNIT_ASSERT_NOT_NULL(test, slab);
	KUNIT_EXPECT_EQ(test, (unsigned int)slab->order,
			mslab_oo_order(s->layout->min));
	KUNIT_EXPECT_EQ(test, (unsigned int)slab->objects, n_min);
	KUNIT_EXPECT_EQ(test, mslab_test_pages_held(),
			pages + (1L << mslab_oo_order(s->layout->min)));

	/* The small slab fills up; the next one is of the preferred order. */
	alloc_objs(test, s, objs + 1, n_min);
	KUNIT_EXPECT_EQ(test, stat(s, ALLOC_SLAB), 2UL);
	KUNIT_EXPECT_EQ(test, stat(s, ORDER_FALLBACK), 1UL);
	slab = mslab_virt_to_slab(objs[n_min]);
	KUNIT_ASSERT_NOT_NULL(test, slab);
	KUNIT_EXPECT_EQ(test, (unsigned int)slab->order,
			mslab_oo_order(s->layout->oo));
	KUNIT_EXPECT_EQ(test, (unsigned int)slab->objects, n_oo);
	KUNIT_EXPECT_EQ(test, mslab_test_pages_held(),
			pages + (1L << mslab_oo_order(s->layout->min)) +
			(1L << mslab_oo_order(s->layout->oo)));

	free_objs(s, objs, n_min + 1);
	mslab_cache_shrink(s);
	KUNIT_EXPECT_EQ(test, mslab_test_nr_slabs(s), 0L);
	KUNIT_EXPECT_EQ(test, mslab_test_pages_held(), pages);
}

/*
 * When no slab can be had, allocation fails once the cpu slab is used up,
 * holds no more memory than before, and works again afterwards.
 */
static void slab_failure_returns_null_then_recovers(struct kunit *test)
{
	unsigned long slabs;
	struct mslab_cache *s;
	unsigned int n;
	long pages;
	void **objs;

	MSLAB_TEST_REQUIRES_UP(test);
	inject_faults(test);
	s = mslab_test_cache(test, "kunit-slab-failure", 256, 0, 0, NULL);
	n = mslab_oo_objects(s->layout->oo);
	objs = alloc_array(test, n + 1);

	alloc_objs(test, s, objs, 1);
	pages = mslab_test_pages_held();
	slabs = stat(s, ALLOC_SLAB);

	atomic_set(&mslab_fail_slab, 2);
	/* The cpu slab still serves... */
	alloc_objs(test, s, objs + 1, n - 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&mslab_fail_slab), 2);
	/* ...until it is used up. */
	KUNIT_EXPECT_NULL(test, mslab_cache_alloc(s, GFP_KERNEL));
	KUNIT_EXPECT_EQ(test, atomic_read(&mslab_fail_slab), 1);
	KUNIT_EXPECT_NULL(test, mslab_cache_alloc(s, GFP_KERNEL | __GFP_ZERO));
	KUNIT_EXPECT_EQ(test, atomic_read(&mslab_fail_slab), 0);
	KUNIT_EXPECT_EQ(test, mslab_test_pages_held(), pages);
	KUNIT_EXPECT_EQ(test, stat(s, ALLOC_SLAB), slabs);
	KUNIT_EXPECT_EQ(test, mslab_test_nr_slabs(s), 1L);
	mslab_cache_shrink(s);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(s), (unsigned long)n);

	/* The injected failures are used up: allocation works again. */
	alloc_objs(test, s, objs + n, 1);
	KUNIT_EXPECT_EQ(test, stat(s, ALLOC_SLAB), slabs + 1);
	KUNIT_EXPECT_PTR_NE(test, mslab_virt_to_slab(objs[n]),
			    mslab_virt_to_slab(objs[0]));

	free_objs(s, objs, n + 1);
	mslab_cache_shrink(s);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(s), 0UL);
	KUNIT_EXPECT_EQ(test, mslab_test_nr_slabs(s), 0L);
	KUNIT_EXPECT_EQ(test, mslab_test_pages_held(), pages -
			(1L << mslab_oo_order(s->layout->oo)));
}

/* A failed first allocation of an empty cache leaves nothing behind. */
static void slab_failure_on_empty_cache(struct kunit *test)
{
	long pages = mslab_test_pages_held();
	struct mslab_cache *s;
	void *obj;

	inject_faults(test);
	s = mslab_test_cache(test, "kunit-slab-failure-empty", 64, 0, 0, NULL);
	atomic_set(&mslab_fail_slab, 1);
	KUNIT_EXPECT_NULL(test, mslab_cache_alloc(s, GFP_KERNEL));
	KUNIT_EXPECT_EQ(test, mslab_test_nr_slabs(s), 0L);
	KUNIT_EXPECT_EQ(test, mslab_test_pages_held(), pages);
	KUNIT_EXPECT_EQ(test, stat(s, ALLOC_SLAB), 0UL);

	obj = mslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_EXPECT_NOT_NULL(test, obj);
	mslab_cache_free(s, obj);
}

static struct kunit_case mslab_slab_test_cases[] = {
	KUNIT_CASE(full_slab_moves_through_partial_lists),
	KUNIT_CASE(empty_slabs_beyond_min_partial_are_freed),
	KUNIT_CASE(min_partial_zero_frees_empty_slab_at_once),
	KUNIT_CASE(path_counters_add_up),
	KUNIT_CASE(order_fallback_uses_min_order),
	KUNIT_CASE(slab_failure_returns_null_then_recovers),
	KUNIT_CASE(slab_failure_on_empty_cache),
	{}
};

static struct kunit_suite mslab_slab_test_suite = {
	.name = "mslab_slab",
	.test_cases = mslab_slab_test_cases,
};

kunit_test_suites(&mslab_slab_test_suite);
