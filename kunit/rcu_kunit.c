// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "mslab_rcu": SLAB_TYPESAFE_BY_RCU caches, mslab_kfree_rcu()
 * and destroying a cache with RCU frees pending.
 *
 * A TYPESAFE_BY_RCU cache keeps its free pointer past the object, so a
 * freed object's contents survive the free, and gives an empty slab's pages
 * back only after a grace period: a reader inside rcu_read_lock() that
 * still holds a pointer to a freed object finds it in a slab of the same
 * cache, until the grace period ends (rcu_barrier()), when the pages go
 * back. An ordinary cache gives them back at once. mslab_kfree_rcu() frees
 * after a grace period, not before, for cache objects, size class objects
 * and large allocations. mslab_cache_destroy() right after
 * mslab_kfree_rcu() waits for those frees: the cache is really destroyed,
 * not leaked, and every page comes back.
 *
 * On one CPU (UML) without preemption, no grace period can end inside a
 * read-side critical section that does not sleep, so the checks made
 * there are deterministic.
 */

#include <linux/atomic.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <kunit/test.h>

#include "mslab.h"
#include "mslab_kunit.h"

/* An object freed with mslab_kfree_rcu(). */
struct rcu_obj {
	u64 id;
	struct rcu_head rcu;
	u8 payload[80];
};

/* The free pointer lies past the object, so contents survive a free. */
static void typesafe_free_pointer_outside_object(struct kunit *test)
{
	static const unsigned int sizes[] = { 8, 24, 64, 100, 192, 1000 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		unsigned int size = sizes[i];
		struct mslab_cache *s;
		void *a, *b;

		s = mslab_test_cache(test,
				     mslab_test_name(test, "kunit-rcu-fp-%u", size),
				     size, 0, SLAB_TYPESAFE_BY_RCU, NULL);
		KUNIT_EXPECT_GE_MSG(test, s->layout->offset, s->object_size,
				    "size %u", size);
		KUNIT_EXPECT_LE(test, s->layout->offset + (unsigned int)sizeof(void *),
				s->layout->size);

		/* Two objects, so one freed is linked to another. */
		a = mslab_cache_alloc(s, GFP_KERNEL);
		b = mslab_cache_alloc(s, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, a);
		KUNIT_ASSERT_NOT_NULL(test, b);
		memset(a, 0x5c, size);
		memset(b, 0xc5, size);
		mslab_cache_free(s, b);
		mslab_cache_free(s, a);
		KUNIT_EXPECT_NULL_MSG(test, memchr_inv(a, 0x5c, size),
				      "size %u: contents lost on free", size);
		KUNIT_EXPECT_NULL_MSG(test, memchr_inv(b, 0xc5, size),
				      "size %u: contents lost on free", size);
	}
}

/*
 * Free the last object of a slab that sits on the node partial list, with
 * min_partial 0, inside an RCU read-side critical section: the slab leaves
 * the cache. Return the slab's page count.
 */
static long free_last_object_of_node_partial_slab(struct kunit *test,
						  struct mslab_cache *s,
						  void **a, void **b)
{
	struct mslab_slab *slab;

	*a = mslab_cache_alloc(s, GFP_KERNEL);
	*b = mslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, *a);
	KUNIT_ASSERT_NOT_NULL(test, *b);
	slab = mslab_virt_to_slab(*a);
	KUNIT_ASSERT_PTR_EQ(test, slab, mslab_virt_to_slab(*b));
	memset(*a, 0x6b, s->object_size);
	/* The cpu slab goes to the node partial list. */
	mslab_cache_shrink(s);
	KUNIT_ASSERT_EQ(test, mslab_test_nr_slabs(s), 1L);
	KUNIT_ASSERT_EQ(test, mslab_test_nr_partial(s), 1UL);
	WRITE_ONCE(s->min_partial, 0);
	return 1L << slab->order;
}

/*
 * TYPESAFE_BY_RCU: the freed object's slab stays this cache's slab, pages
 * held, until a grace period has passed; then the pages go back.
 */
static void typesafe_slab_pages_kept_until_grace_period(struct kunit *test)
{
	int *errors = mslab_test_count_errors(test);
	long held = mslab_test_pages_held(), slab_pages, during, slabs;
	struct mslab_slab *slab_during;
	bool same_cache, contents_kept;
	struct mslab_cache *s;
	void *a, *b;

	MSLAB_TEST_REQUIRES_UP(test);
	s = mslab_test_cache(test, "kunit-rcu-typesafe", 128, 0,
			     SLAB_TYPESAFE_BY_RCU, NULL);
	slab_pages = free_last_object_of_node_partial_slab(test, s, &a, &b);

	rcu_read_lock();
	mslab_cache_free(s, b);
	mslab_cache_free(s, a);
	/* The slab left the cache, but its pages are still its slab. */
	slabs = mslab_test_nr_slabs(s);
	during = mslab_test_pages_held();
	slab_during = mslab_virt_to_slab(a);
	same_cache = slab_during && slab_during->cache == s;
	contents_kept = !memchr_inv(a, 0x6b, s->object_size);
	rcu_read_unlock();

	KUNIT_EXPECT_EQ(test, slabs, 0L);
	KUNIT_EXPECT_EQ(test, during, held + slab_pages);
	KUNIT_EXPECT_TRUE_MSG(test, same_cache,
			      "freed object not in a slab of its cache before the grace period");
	KUNIT_EXPECT_TRUE(test, contents_kept);

	rcu_barrier();
	KUNIT_EXPECT_EQ(test, mslab_test_pages_held(), held);
	KUNIT_EXPECT_NULL(test, mslab_virt_to_slab(a));
	KUNIT_EXPECT_EQ(test, *errors, 0);
}

/* The same with an ordinary cache: the pages go back at once. */
static void plain_slab_pages_freed_at_once(struct kunit *test)
{
	long held = mslab_test_pages_held(), during;
	struct mslab_slab *slab_during;
	struct mslab_cache *s;
	void *a, *b;

	MSLAB_TEST_REQUIRES_UP(test);
	s = mslab_test_cache(test, "kunit-rcu-plain", 128, 0, 0, NULL);
	free_last_object_of_node_partial_slab(test, s, &a, &b);

	rcu_read_lock();
	mslab_cache_free(s, b);
	mslab_cache_free(s, a);
	during = mslab_test_pages_held();
	slab_during = mslab_virt_to_slab(a);
	rcu_read_unlock();

	KUNIT_EXPECT_EQ(test, mslab_test_nr_slabs(s), 0L);
	KUNIT_EXPECT_EQ(test, during, held);
	KUNIT_EXPECT_NULL(test, slab_during);
}

/*
 * A freed TYPESAFE_BY_RCU object may be reused at once, but only as an
 * object of the same cache: what a reader finds there is always one.
 */
static void typesafe_object_reused_within_cache(struct kunit *test)
{
	struct mslab_cache *s;
	struct mslab_slab *slab;
	bool same_cache;
	void *a, *b;

	s = mslab_test_cache(test, "kunit-rcu-reuse", 256, 0,
			     SLAB_TYPESAFE_BY_RCU, NULL);
	a = mslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	rcu_read_lock();
	mslab_cache_free(s, a);
	b = mslab_cache_alloc(s, GFP_ATOMIC);
	slab = mslab_virt_to_slab(a);
	same_cache = slab && slab->cache == s;
	rcu_read_unlock();
	KUNIT_EXPECT_TRUE(test, same_cache);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_PTR_EQ(test, b, a);
	mslab_cache_free(s, b);
}

/* === mslab_kfree_rcu() ================================================== */

/*
 * Objects of a cache, of a size class and a large allocation, freed with
 * mslab_kfree_rcu(): still in use right after the call, freed after a
 * grace period.
 */
static void kfree_rcu_frees_after_grace_period(struct kunit *test)
{
	int *errors = mslab_test_count_errors(test);
	long large = mslab_large_pages();
	unsigned long s_inuse, k_inuse, k_before;
	struct rcu_obj *obj, *kobj, *big;
	struct mslab_cache *s, *k;
	long big_during;

	MSLAB_TEST_REQUIRES_UP(test);
	s = mslab_test_cache(test, "kunit-rcu-kfree", sizeof(*obj), 0, 0,
			     NULL);
	obj = mslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	kobj = mslab_kmalloc(sizeof(*kobj), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, kobj);
	k = mslab_virt_to_slab(kobj)->cache;
	big = mslab_kmalloc(4 * PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, big);
	obj->id = 1;
	kobj->id = 2;
	big->id = 3;

	/* Off the cpu slabs: in use is then exact, whatever the path. */
	mslab_cache_shrink(s);
	mslab_cache_shrink(k);
	KUNIT_ASSERT_EQ(test, mslab_count_inuse(s), 1UL);
	k_before = mslab_count_inuse(k);
	KUNIT_ASSERT_GE(test, k_before, 1UL);

	rcu_read_lock();
	mslab_kfree_rcu(obj, rcu);
	mslab_kfree_rcu(kobj, rcu);
	mslab_kfree_rcu(big, rcu);
	s_inuse = mslab_count_inuse(s);
	k_inuse = mslab_count_inuse(k);
	big_during = mslab_large_pages() - large;
	rcu_read_unlock();

	KUNIT_EXPECT_EQ_MSG(test, s_inuse, 1UL, "freed before a grace period");
	KUNIT_EXPECT_EQ_MSG(test, k_inuse, k_before,
			    "freed before a grace period");
	KUNIT_EXPECT_EQ_MSG(test, big_during, 4L, "freed before a grace period");

	rcu_barrier();
	mslab_cache_shrink(s);
	mslab_cache_shrink(k);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(s), 0UL);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(k), k_before - 1);
	KUNIT_EXPECT_EQ(test, mslab_large_pages(), large);
	KUNIT_EXPECT_EQ(test, *errors, 0);
}

/* An rcu_head anywhere in the object: the whole object is freed. */
static void kfree_rcu_with_head_in_the_middle(struct kunit *test)
{
	struct mid {
		u8 before[200];
		struct rcu_head rcu;
		u8 after[40];
	} *p[6];
	int *errors = mslab_test_count_errors(test);
	struct mslab_cache *s;
	unsigned int i;

	s = mslab_test_cache(test, "kunit-rcu-mid", sizeof(struct mid), 0, 0,
			     NULL);
	for (i = 0; i < ARRAY_SIZE(p); i++) {
		p[i] = mslab_cache_alloc(s, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
	}
	for (i = 0; i < ARRAY_SIZE(p); i++)
		mslab_kfree_rcu(p[i], rcu);
	p[0] = NULL;
	mslab_kfree_rcu(p[0], rcu);	/* NULL: nothing */
	rcu_barrier();
	mslab_cache_shrink(s);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(s), 0UL);
	KUNIT_EXPECT_EQ(test, *errors, 0);
}

#define MIGHTSLEEP_FREES	16

/*
 * mslab_kfree_rcu_mightsleep() queues its frees behind one grace period
 * rather than wait for one per call (as kvfree_rcu_mightsleep()): 16 calls
 * return before a grace period that began before them has ended (this
 * kernel is uniprocessor and the calls do not sleep, so none can end), and
 * after rcu_barrier() everything is freed.
 */
static void kfree_rcu_mightsleep_frees(struct kunit *test)
{
	int *errors = mslab_test_count_errors(test);
	long large = mslab_large_pages();
	void *obj[MIGHTSLEEP_FREES], *big;
	struct mslab_cache *s;
	unsigned long cookie;
	unsigned int i;

	s = mslab_test_cache(test, "kunit-rcu-mightsleep", 64, 0, 0, NULL);
	for (i = 0; i < MIGHTSLEEP_FREES; i++) {
		obj[i] = mslab_cache_alloc(s, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, obj[i]);
	}
	big = mslab_kmalloc(3 * PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, big);
	cookie = get_state_synchronize_rcu();
	for (i = 0; i < MIGHTSLEEP_FREES; i++)
		mslab_kfree_rcu_mightsleep(obj[i]);
	mslab_kfree_rcu_mightsleep(big);
	mslab_kfree_rcu_mightsleep(NULL);
	KUNIT_EXPECT_FALSE_MSG(test, poll_state_synchronize_rcu(cookie),
			       "a grace period per call");
	rcu_barrier();
	mslab_cache_shrink(s);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(s), 0UL);
	KUNIT_EXPECT_EQ(test, mslab_large_pages(), large);
	KUNIT_EXPECT_EQ(test, *errors, 0);
}

/* === Destroy with RCU frees pending ===================================== */

static const slab_flags_t destroy_flags[] = { 0, SLAB_TYPESAFE_BY_RCU };

static void destroy_flags_to_desc(const slab_flags_t *f, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s",
		 *f & SLAB_TYPESAFE_BY_RCU ? "typesafe-by-rcu" : "plain");
}

KUNIT_ARRAY_PARAM(destroy_flags, destroy_flags, destroy_flags_to_desc);

/*
 * Destroy right after mslab_kfree_rcu() of every object of several slabs:
 * the frees run first, the cache is destroyed (not leaked) and every page
 * comes back by the time destroy returns.
 */
static void destroy_waits_for_pending_kfree_rcu(struct kunit *test)
{
	const slab_flags_t *flags = test->param_value;
	int caches = atomic_read(&mslab_nr_caches);
	long held = mslab_test_pages_held();
	struct mslab_cache *s;
	struct rcu_obj **objs;
	unsigned int i, n;

	s = mslab_cache_create("kunit-rcu-destroy", sizeof(struct rcu_obj), 0,
			       *flags, NULL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	n = 3 * mslab_oo_objects(s->layout->oo) + 1;
	objs = kunit_kcalloc(test, n, sizeof(*objs), GFP_KERNEL);
	if (!objs)
		mslab_cache_destroy(s);
	KUNIT_ASSERT_NOT_NULL(test, objs);
	for (i = 0; i < n; i++) {
		objs[i] = mslab_cache_alloc(s, GFP_KERNEL);
		if (!objs[i])
			break;
	}
	KUNIT_EXPECT_EQ(test, i, n);
	KUNIT_EXPECT_GT(test, mslab_test_pages_held(), held);
	KUNIT_EXPECT_EQ(test, atomic_read(&mslab_nr_caches), caches + 1);
	n = i;

	/*
	 * No CPU holds a slab: destroy then has no flush to sleep in, which
	 * on one CPU would end a grace period and run the frees anyway.
	 */
	mslab_cache_shrink(s);
	for (i = 0; i < n; i++)
		mslab_kfree_rcu(objs[i], rcu);
	mslab_cache_destroy(s);

	KUNIT_EXPECT_EQ_MSG(test, atomic_read(&mslab_nr_caches), caches,
			    "cache leaked: destroyed with RCU frees pending");
	KUNIT_EXPECT_EQ(test, mslab_test_pages_held(), held);
	/* The name is free again: the cache is really gone. */
	s = mslab_test_cache(test, "kunit-rcu-destroy", 64, 0, 0, NULL);
	KUNIT_EXPECT_NOT_NULL(test, s);
}

static struct kunit_case mslab_rcu_test_cases[] = {
	KUNIT_CASE(typesafe_free_pointer_outside_object),
	KUNIT_CASE(typesafe_slab_pages_kept_until_grace_period),
	KUNIT_CASE(plain_slab_pages_freed_at_once),
	KUNIT_CASE(typesafe_object_reused_within_cache),
	KUNIT_CASE(kfree_rcu_frees_after_grace_period),
	KUNIT_CASE(kfree_rcu_with_head_in_the_middle),
	KUNIT_CASE(kfree_rcu_mightsleep_frees),
	KUNIT_CASE_PARAM(destroy_waits_for_pending_kfree_rcu,
			 destroy_flags_gen_params),
	{}
};

static struct kunit_suite mslab_rcu_test_suite = {
	.name = "mslab_rcu",
	.test_cases = mslab_rcu_test_cases,
};

kunit_test_suites(&mslab_rcu_test_suite);
