// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "mslab_cache": the life of a cache as a client sees it.
 * Creation (name, size, sysfs directory) and the arguments it refuses,
 * duplicate names, destruction (of an empty cache, of NULL, and of a cache
 * that still holds objects, which is leaked and stays usable), NULL frees,
 * and the frees mslab refuses: a kmalloc() pointer, a stack address, the
 * middle of an object, another cache's object, an immediate double free
 * (on the fast and on the slow path), and page allocator, large kmalloc()
 * and vmalloc memory.
 * Refused frees are counted through the "mslab_errors" resource rather than
 * printed, and the cache must work normally afterwards. The shrinker's
 * count of empty node partial slabs is exact and its first step frees as
 * many pages as asked.
 */

#include <linux/atomic.h>
#include <linux/cpu.h>
#include <linux/gfp.h>
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include <kunit/resource.h>
#include <kunit/test.h>

#include "mslab.h"
#include "mslab_kunit.h"

/* === Creation =========================================================== */

/* A new cache is named, counted, sized and has its sysfs directory. */
static void create_registers_cache(struct kunit *test)
{
	int caches = atomic_read(&mslab_nr_caches);
	struct mslab_cache *s;

	s = mslab_test_cache(test, "kunit-cache-create", 100, 0, 0, NULL);
	KUNIT_EXPECT_STREQ(test, s->name, "kunit-cache-create");
	KUNIT_EXPECT_EQ(test, mslab_cache_size(s), 100U);
	KUNIT_EXPECT_EQ(test, atomic_read(&mslab_nr_caches), caches + 1);
	KUNIT_EXPECT_FALSE(test, s->leaked);
	KUNIT_EXPECT_STREQ(test, kobject_name(&s->kobj), "kunit-cache-create");
	KUNIT_EXPECT_PTR_EQ(test, s->kobj.parent, &mslab_kset->kobj);
	KUNIT_EXPECT_TRUE(test, s->kobj.state_in_sysfs);
	/* No slab until the first allocation. */
	KUNIT_EXPECT_EQ(test, mslab_test_nr_slabs(s), 0L);
}

/* mslab_cache_size() is the size asked for, not the stride. */
static void cache_size_is_object_size(struct kunit *test)
{
	struct mslab_cache *s;

	s = mslab_test_cache(test, "kunit-cache-size", 13, 0,
			     SLAB_HWCACHE_ALIGN, NULL);
	KUNIT_EXPECT_EQ(test, mslab_cache_size(s), 13U);
	KUNIT_EXPECT_GT(test, s->layout->size, 13U);
}

/* Destroying an empty cache removes it; its name can be used again. */
static void destroy_frees_name_for_reuse(struct kunit *test)
{
	int caches = atomic_read(&mslab_nr_caches);
	long pages = mslab_test_pages_held();
	struct mslab_cache *s;
	void *obj;

	s = mslab_cache_create("kunit-cache-reuse", 64, 0, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, atomic_read(&mslab_nr_caches), caches + 1);
	obj = mslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_EXPECT_NOT_NULL(test, obj);
	mslab_cache_free(s, obj);
	mslab_cache_destroy(s);
	KUNIT_EXPECT_EQ(test, atomic_read(&mslab_nr_caches), caches);
	KUNIT_EXPECT_EQ(test, mslab_test_pages_held(), pages);

	s = mslab_test_cache(test, "kunit-cache-reuse", 128, 0, 0, NULL);
	KUNIT_EXPECT_EQ(test, mslab_cache_size(s), 128U);
	KUNIT_EXPECT_EQ(test, atomic_read(&mslab_nr_caches), caches + 1);
}

/* As kmem_cache_destroy(NULL). */
static void destroy_null_is_noop(struct kunit *test)
{
	int caches = atomic_read(&mslab_nr_caches);

	mslab_cache_destroy(NULL);
	KUNIT_EXPECT_EQ(test, atomic_read(&mslab_nr_caches), caches);
}

struct mslab_bad_args_case {
	const char *name;
	unsigned int size;
	unsigned int align;
	slab_flags_t flags;
	const char *desc;
};

static const struct mslab_bad_args_case mslab_bad_args_cases[] = {
	{ NULL, 64, 0, 0, "null-name" },
	{ "", 64, 0, 0, "empty-name" },
	{ "kunit/bad", 64, 0, 0, "slash-in-name" },
	{ "kunit-bad-size0", 0, 0, 0, "size-0" },
	{ "kunit-bad-size", (PAGE_SIZE << 3) + 1, 0, 0, "size-over-8-pages" },
	{ "kunit-bad-size", UINT_MAX, 0, 0, "size-uint-max" },
	{ "kunit-bad-align", 64, 3, 0, "align-3" },
	{ "kunit-bad-align", 64, 48, 0, "align-48" },
	{ "kunit-bad-align", 64, PAGE_SIZE * 2, 0, "align-over-page" },
	{ "kunit-bad-flags", 64, 0, SLAB_NOLEAKTRACE, "noleaktrace" },
	{ "kunit-bad-flags", 64, 0, SLAB_CACHE_DMA32, "cache-dma32" },
	{ "kunit-bad-flags", 64, 0, SLAB_POISON | SLAB_NOLEAKTRACE,
	  "poison-with-noleaktrace" },
};

KUNIT_ARRAY_PARAM_DESC(mslab_bad_args, mslab_bad_args_cases, desc);

/* Refused arguments give NULL and create nothing. */
static void create_rejects_invalid_arguments(struct kunit *test)
{
	const struct mslab_bad_args_case *p = test->param_value;
	int caches = atomic_read(&mslab_nr_caches);
	struct mslab_cache *s;

	s = mslab_cache_create(p->name, p->size, p->align, p->flags, NULL);
	if (s)
		kunit_add_action(test, mslab_cache_destroy_action, s);
	KUNIT_EXPECT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, atomic_read(&mslab_nr_caches), caches);
}

/* A name exists only once; the first cache is unaffected. */
static void create_rejects_duplicate_name(struct kunit *test)
{
	struct mslab_cache *s, *dup;
	int caches;

	s = mslab_test_cache(test, "kunit-cache-dup", 64, 0, 0, NULL);
	caches = atomic_read(&mslab_nr_caches);
	dup = mslab_cache_create("kunit-cache-dup", 128, 0, 0, NULL);
	if (dup)
		kunit_add_action(test, mslab_cache_destroy_action, dup);
	KUNIT_EXPECT_NULL(test, dup);
	KUNIT_EXPECT_EQ(test, atomic_read(&mslab_nr_caches), caches);
	KUNIT_EXPECT_EQ(test, mslab_cache_size(s), 64U);
	KUNIT_EXPECT_FALSE(test, s->leaked);
}

/* === Destroy with live objects ========================================== */

struct leaked_cache {
	struct mslab_cache *s;
	void *obj;
};

/* Free what the test did not get to free, then destroy for real. */
static void leaked_cache_cleanup(void *data)
{
	struct leaked_cache *lc = data;

	if (!lc->s)
		return;
	mslab_cache_free(lc->s, lc->obj);
	mslab_cache_destroy(lc->s);
}

/*
 * Destroying a cache that holds an object reports "Objects remaining" with
 * the object (SLUB's list_slab_objects(): two errors) and keeps the cache,
 * usable: the object is freed through it later and a second destroy then
 * frees everything.
 */
static void destroy_with_live_object_leaks_cache(struct kunit *test)
{
	int *errors = mslab_test_count_errors(test);
	int caches = atomic_read(&mslab_nr_caches);
	long pages = mslab_test_pages_held();
	struct mslab_cache *s, *dup;
	struct leaked_cache *lc;
	void *other;

	lc = kunit_kzalloc(test, sizeof(*lc), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, lc);
	s = mslab_cache_create("kunit-cache-leaked", 192, 0, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	lc->s = s;
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, leaked_cache_cleanup,
						  lc));

	lc->obj = mslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, lc->obj);
	memset(lc->obj, 0x6b, 192);

	mslab_cache_destroy(s);
	KUNIT_EXPECT_TRUE(test, s->leaked);
	KUNIT_EXPECT_EQ(test, *errors, 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&mslab_nr_caches), caches + 1);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(s), 1UL);
	KUNIT_EXPECT_GT(test, mslab_test_pages_held(), pages);
	/* The object's memory was left alone... */
	KUNIT_EXPECT_PTR_EQ(test, mslab_virt_to_slab(lc->obj)->cache, s);
	KUNIT_EXPECT_NULL(test, memchr_inv(lc->obj, 0x6b, 192));
	/* ...the name is still taken... */
	dup = mslab_cache_create("kunit-cache-leaked", 64, 0, 0, NULL);
	if (dup)
		kunit_add_action(test, mslab_cache_destroy_action, dup);
	KUNIT_EXPECT_NULL(test, dup);
	/* ...and the cache still allocates and frees. */
	other = mslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_EXPECT_NOT_NULL(test, other);
	KUNIT_EXPECT_PTR_NE(test, other, lc->obj);
	mslab_cache_free(s, other);

	/* A second destroy while the object lives changes nothing. */
	mslab_cache_destroy(s);
	KUNIT_EXPECT_EQ(test, atomic_read(&mslab_nr_caches), caches + 1);
	KUNIT_EXPECT_EQ(test, *errors, 2);

	mslab_cache_free(s, lc->obj);
	lc->obj = NULL;
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(s), 0UL);
	lc->s = NULL;
	mslab_cache_destroy(s);
	KUNIT_EXPECT_EQ(test, atomic_read(&mslab_nr_caches), caches);
	KUNIT_EXPECT_EQ(test, mslab_test_pages_held(), pages);

	/* Really gone: the name is free again. */
	s = mslab_test_cache(test, "kunit-cache-leaked", 64, 0, 0, NULL);
	KUNIT_EXPECT_FALSE(test, s->leaked);
}

/* === Frees mslab refuses ================================================ */

/* Freeing NULL (or ZERO_SIZE_PTR) does nothing and reports nothing. */
static void free_null_is_noop(struct kunit *test)
{
	int *errors = mslab_test_count_errors(test);
	struct mslab_cache *s;
	void *obj;

	s = mslab_test_cache(test, "kunit-cache-free-null", 64, 0, 0, NULL);
	obj = mslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, obj);

	mslab_cache_free(s, NULL);
	mslab_cache_free(s, ZERO_SIZE_PTR);
	KUNIT_EXPECT_EQ(test, *errors, 0);
	KUNIT_EXPECT_EQ(test, mslab_stat_sum(s, FREE_FASTPATH) +
			mslab_stat_sum(s, FREE_SLOWPATH), 0UL);

	mslab_cache_free(s, obj);
	KUNIT_EXPECT_EQ(test, mslab_stat_sum(s, FREE_FASTPATH) +
			mslab_stat_sum(s, FREE_SLOWPATH), 1UL);
	mslab_cache_shrink(s);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(s), 0UL);
	KUNIT_EXPECT_EQ(test, *errors, 0);
}

KUNIT_DEFINE_ACTION_WRAPPER(vfree_action, vfree, const void *);

/* Free the order-1 compound page of frees_of_page_memory_are_counted(). */
static void free_pages_action(void *page)
{
	__free_pages(page, 1);
}

static int cmp_ptr(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a;
	unsigned long y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/* Allocate @nr objects, all distinct, then free them all. */
static void check_cache_works(struct kunit *test, struct mslab_cache *s,
			      unsigned int nr)
{
	void **objs;
	unsigned int i;

	objs = kunit_kcalloc(test, nr, sizeof(*objs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, objs);
	for (i = 0; i < nr; i++) {
		objs[i] = mslab_cache_alloc(s, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
		memset(objs[i], 0x5a, s->object_size);
	}
	mslab_cache_shrink(s);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(s), (unsigned long)nr);

	sort(objs, nr, sizeof(*objs), cmp_ptr, NULL);
	for (i = 1; i < nr; i++)
		KUNIT_EXPECT_GE_MSG(test, (unsigned long)(objs[i] - objs[i - 1]),
				    (unsigned long)s->layout->size,
				    "objects %p and %p overlap",
				    objs[i - 1], objs[i]);

	for (i = 0; i < nr; i++)
		mslab_cache_free(s, objs[i]);
	mslab_cache_shrink(s);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(s), 0UL);
	KUNIT_EXPECT_EQ(test, mslab_test_nr_slabs(s), 0L);
}

/*
 * Each kind of bad pointer is refused once, silently under this test, and
 * leaves the cache intact: no object handed out twice, counts exact.
 */
static void invalid_frees_are_counted(struct kunit *test)
{
	int *errors = mslab_test_count_errors(test);
	struct mslab_cache *s, *other;
	void *obj, *foreign, *km;
	unsigned long frees;
	int on_stack = 0;

	s = mslab_test_cache(test, "kunit-cache-badfree", 256, 0, 0, NULL);
	other = mslab_test_cache(test, "kunit-cache-badfree-other", 256, 0, 0,
				 NULL);
	obj = mslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	foreign = mslab_cache_alloc(other, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, foreign);
	km = kunit_kmalloc(test, 256, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, km);

	mslab_cache_free(s, km);
	KUNIT_EXPECT_EQ(test, *errors, 1);
	mslab_cache_free(s, &on_stack);
	KUNIT_EXPECT_EQ(test, *errors, 2);
	mslab_cache_free(s, obj + 1);
	KUNIT_EXPECT_EQ(test, *errors, 3);
	mslab_cache_free(s, foreign);
	KUNIT_EXPECT_EQ(test, *errors, 4);
	KUNIT_EXPECT_EQ(test, mslab_stat_sum(s, FREE_FASTPATH) +
			mslab_stat_sum(s, FREE_SLOWPATH), 0UL);
	KUNIT_EXPECT_EQ(test, on_stack, 0);

	mslab_cache_free(s, obj);
	frees = mslab_stat_sum(s, FREE_FASTPATH) +
		mslab_stat_sum(s, FREE_SLOWPATH);
	KUNIT_EXPECT_EQ(test, frees, 1UL);
	mslab_cache_free(s, obj);
	KUNIT_EXPECT_EQ(test, *errors, 5);

	/* The other cache still owns its object. */
	mslab_cache_shrink(other);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(other), 1UL);
	mslab_cache_free(other, foreign);
	mslab_cache_shrink(other);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(other), 0UL);

	/* @s lost nothing and hands nothing out twice. */
	mslab_cache_shrink(s);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(s), 0UL);
	check_cache_works(test, s, 2 * mslab_oo_objects(s->layout->oo) + 1);
	KUNIT_EXPECT_EQ(test, *errors, 5);
}

/*
 * Memory from the page allocator and vmalloc is not mslab's either, large
 * kmalloc() (compound pages without PG_slab) included.
 */
static void frees_of_page_memory_are_counted(struct kunit *test)
{
	int *errors = mslab_test_count_errors(test);
	struct mslab_cache *s;
	struct page *page;
	void *big, *vm;

	s = mslab_test_cache(test, "kunit-cache-pagefree", 64, 0, 0, NULL);
	big = kunit_kmalloc(test, 4 * PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, big);
	vm = vmalloc(PAGE_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, vm);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, vfree_action, vm));
	page = alloc_pages(GFP_KERNEL | __GFP_COMP, 1);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, free_pages_action,
						  page));

	mslab_cache_free(s, big);
	mslab_cache_free(s, big + PAGE_SIZE);
	mslab_cache_free(s, vm);
	mslab_cache_free(s, page_address(page));
	mslab_cache_free(s, page_address(page) + PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, *errors, 5);
	KUNIT_EXPECT_EQ(test, mslab_stat_sum(s, FREE_FASTPATH) +
			mslab_stat_sum(s, FREE_SLOWPATH), 0UL);
	check_cache_works(test, s, mslab_oo_objects(s->layout->oo) + 1);
}

/*
 * A double free caught on the slow path (the object's slab is not the cpu
 * slab) is refused too, and the slab's count of objects in use is intact.
 */
static void double_free_to_non_cpu_slab_is_counted(struct kunit *test)
{
	int *errors = mslab_test_count_errors(test);
	struct mslab_cache *s;
	unsigned int i, n;
	void **objs;

	MSLAB_TEST_REQUIRES_UP(test);
	s = mslab_test_cache(test, "kunit-cache-double-slow", 512, 0, 0, NULL);
	n = mslab_oo_objects(s->layout->oo);
	objs = kunit_kcalloc(test, n + 1, sizeof(*objs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, objs);
	/* Fill a slab and start another: the first is full, off the CPU. */
	for (i = 0; i <= n; i++) {
		objs[i] = mslab_cache_alloc(s, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
	}
	KUNIT_ASSERT_PTR_NE(test, mslab_virt_to_slab(objs[0]),
			    mslab_test_cpu(s)->slab);

	mslab_cache_free(s, objs[1]);
	mslab_cache_free(s, objs[1]);
	KUNIT_EXPECT_EQ(test, *errors, 1);
	KUNIT_EXPECT_EQ(test, (unsigned int)mslab_virt_to_slab(objs[0])->inuse,
			n - 1);
	objs[1] = NULL;

	for (i = 0; i <= n; i++)
		mslab_cache_free(s, objs[i]);
	mslab_cache_shrink(s);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(s), 0UL);
	KUNIT_EXPECT_EQ(test, *errors, 1);
	check_cache_works(test, s, n + 1);
}

/* A cache records the module that created it: this suite's. */
static void cache_records_owner(struct kunit *test)
{
	struct mslab_cache *s;

	s = mslab_test_cache(test, "kunit-owner", 64, 0, 0, NULL);
	KUNIT_EXPECT_STREQ(test, s->owner, "mslab_kunit");
	KUNIT_EXPECT_FALSE(test, s->orphaned);
	/* mslab's own size classes are mslab's. */
	KUNIT_EXPECT_STREQ(test, mslab_kmalloc_caches[mslab_kmalloc_index(8)]->owner,
			   "mslab");
}

/* Empty slabs on the node partial lists, as the nodes count them. */
static unsigned long nr_empty(struct mslab_cache *s)
{
	unsigned long nr = 0;
	int node;

	for_each_node(node)
		nr += READ_ONCE(s->node[node]->nr_empty);
	return nr;
}

/*
 * The shrinker's first step: each node counts its empty partial slabs
 * exactly, and mslab_shrink_empty() frees as many pages as asked, no more,
 * never a slab with an object in use.
 */
static void shrink_empty_counts_and_frees_as_asked(struct kunit *test)
{
	int *errors = mslab_test_count_errors(test);
	unsigned int per, order, i;
	struct mslab_cache *s;
	long slabs;
	void **p;
	size_t nr;

	s = mslab_test_cache(test, "kunit-shrink-empty", 256, 0, 0, NULL);
	/* Keep every empty slab on its node. */
	WRITE_ONCE(s->min_partial, 64);
	per = mslab_oo_objects(s->plain.oo);
	order = mslab_oo_order(s->plain.oo);
	nr = 6 * per;
	p = kunit_kcalloc(test, nr, sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	for (i = 0; i < nr; i++) {
		p[i] = mslab_cache_alloc(s, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
	}
	/* p[0] keeps its slab in use. */
	for (i = 1; i < nr; i++)
		mslab_cache_free(s, p[i]);
	cpus_read_lock();
	mslab_flush_all(s, false);
	cpus_read_unlock();
	slabs = mslab_test_nr_slabs(s);
	KUNIT_ASSERT_GE(test, slabs, 6L);
	KUNIT_EXPECT_EQ(test, nr_empty(s), (unsigned long)slabs - 1);

	KUNIT_EXPECT_EQ(test, mslab_shrink_empty(s, 1UL << order), 1UL << order);
	KUNIT_EXPECT_EQ(test, nr_empty(s), (unsigned long)slabs - 2);
	KUNIT_EXPECT_EQ(test, mslab_shrink_empty(s, ULONG_MAX),
			(unsigned long)(slabs - 2) << order);
	KUNIT_EXPECT_EQ(test, nr_empty(s), 0UL);
	KUNIT_EXPECT_EQ(test, mslab_test_nr_slabs(s), 1L);
	KUNIT_EXPECT_EQ(test, mslab_shrink_empty(s, ULONG_MAX), 0UL);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(s), 1UL);

	/* Emptied on the node list, it is counted again. */
	mslab_cache_free(s, p[0]);
	KUNIT_EXPECT_EQ(test, nr_empty(s), 1UL);
	KUNIT_EXPECT_EQ(test, *errors, 0);
}

static struct kunit_case mslab_cache_test_cases[] = {
	KUNIT_CASE(cache_records_owner),
	KUNIT_CASE(create_registers_cache),
	KUNIT_CASE(cache_size_is_object_size),
	KUNIT_CASE(destroy_frees_name_for_reuse),
	KUNIT_CASE(destroy_null_is_noop),
	KUNIT_CASE_PARAM(create_rejects_invalid_arguments,
			 mslab_bad_args_gen_params),
	KUNIT_CASE(create_rejects_duplicate_name),
	KUNIT_CASE(destroy_with_live_object_leaks_cache),
	KUNIT_CASE(free_null_is_noop),
	KUNIT_CASE(invalid_frees_are_counted),
	KUNIT_CASE(frees_of_page_memory_are_counted),
	KUNIT_CASE(double_free_to_non_cpu_slab_is_counted),
	KUNIT_CASE(shrink_empty_counts_and_frees_as_asked),
	{}
};

static struct kunit_suite mslab_cache_test_suite = {
	.name = "mslab_cache",
	.test_cases = mslab_cache_test_cases,
};

kunit_test_suites(&mslab_cache_test_suite);
