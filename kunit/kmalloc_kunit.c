// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "mslab_kmalloc": the kmalloc family of <linux/mslab.h>.
 *
 * Every request size from 1 to 8192 bytes is served by the smallest size
 * class that holds it, an object of the cache "mslab-kmalloc-<class>" (the
 * expected class is computed here from the list of classes, independently
 * of mslab's own lookup table); larger requests are compound pages of the
 * order get_order() gives, counted in mslab_large_pages and
 * mslab_pages_held. ksize() is at least the size asked for and all of it is
 * writable (KASAN watches the pages, and a neighbour object must survive);
 * power-of-two sizes are naturally aligned. Size 0 gives ZERO_SIZE_PTR,
 * kfree() of NULL and ZERO_SIZE_PTR does nothing, kfree() frees objects of
 * any mslab cache, and a pointer mslab never handed out is counted through
 * the "mslab_errors" resource and left alone. krealloc() keeps contents,
 * shrinks in place and honours __GFP_ZERO; kmalloc_array() and kcalloc()
 * refuse overflowing sizes; kzalloc() zeroes reused memory; kmalloc_node()
 * returns memory of the node asked for.
 */

#include <linux/atomic.h>
#include <linux/gfp.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/numa.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include <kunit/test.h>

#include "mslab.h"
#include "mslab_kunit.h"

/* SLUB's kmalloc size classes, in size order. */
static const unsigned int kmalloc_classes[] = {
	8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192,
};

/* Highest index of mslab_kmalloc_caches[]. */
#define KMALLOC_MAX_INDEX	13

/* The class that should serve @size bytes; 0 for the large path. */
static unsigned int expected_class(size_t size)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kmalloc_classes); i++)
		if (size <= kmalloc_classes[i])
			return kmalloc_classes[i];
	return 0;
}

static long large_pages(void)
{
	return mslab_large_pages();
}

KUNIT_DEFINE_ACTION_WRAPPER(vfree_action, vfree, const void *);
KUNIT_DEFINE_ACTION_WRAPPER(kfree_action, kfree, const void *);

static void free_pages_action(void *page)
{
	struct page *p = page;

	__free_pages(p, compound_order(p));
}

/*
 * Objects of the size classes in use: each class cache is shrunk first,
 * so no CPU slab hides free objects in its count.
 */
static unsigned long kmalloc_inuse(void)
{
	unsigned long inuse = 0;
	unsigned int i;

	for (i = 0; i <= KMALLOC_MAX_INDEX; i++) {
		struct mslab_cache *s = mslab_kmalloc_caches[i];

		if (!s)
			continue;
		mslab_cache_shrink(s);
		inuse += mslab_count_inuse(s);
	}
	return inuse;
}

/*
 * @p of @size bytes came from the right class cache: the start of one of
 * its objects, of the cache named after the class.
 */
static void check_class_object(struct kunit *test, const void *p, size_t size)
{
	unsigned int class = expected_class(size);
	struct mslab_slab *slab = mslab_virt_to_slab(p);
	char name[32];

	KUNIT_ASSERT_NOT_NULL_MSG(test, slab, "size %zu: %p is not in a slab",
				  size, p);
	snprintf(name, sizeof(name), "mslab-kmalloc-%u", class);
	KUNIT_EXPECT_STREQ_MSG(test, slab->cache->name, name, "size %zu", size);
	KUNIT_EXPECT_EQ_MSG(test, slab->cache->object_size, class,
			    "size %zu", size);
	KUNIT_EXPECT_TRUE_MSG(test, mslab_obj_in_slab(slab->layout, slab, p),
			      "size %zu: %p is not the start of an object",
			      size, p);
	KUNIT_EXPECT_TRUE(test, mslab_owns(p));
}

/* === Size classes ======================================================= */

/* The 13 class caches exist, named after their sizes, one per index. */
static void kmalloc_class_caches_exist(struct kunit *test)
{
	unsigned int i, found = 0;
	char name[32];

	for (i = 0; i <= KMALLOC_MAX_INDEX; i++)
		if (mslab_kmalloc_caches[i])
			found++;
	KUNIT_EXPECT_EQ(test, found, (unsigned int)ARRAY_SIZE(kmalloc_classes));

	for (i = 0; i < ARRAY_SIZE(kmalloc_classes); i++) {
		unsigned int size = kmalloc_classes[i];
		unsigned int idx = mslab_kmalloc_index(size);
		struct mslab_cache *s;

		KUNIT_ASSERT_LE(test, idx, KMALLOC_MAX_INDEX);
		s = mslab_kmalloc_caches[idx];
		KUNIT_ASSERT_NOT_NULL_MSG(test, s, "no cache for size %u", size);
		snprintf(name, sizeof(name), "mslab-kmalloc-%u", size);
		KUNIT_EXPECT_STREQ(test, s->name, name);
		KUNIT_EXPECT_EQ(test, s->object_size, size);
		if (is_power_of_2(size))
			KUNIT_EXPECT_EQ_MSG(test, s->align,
					    min_t(unsigned int, size, PAGE_SIZE),
					    "cache %s", s->name);
	}
}

struct kmalloc_size_case {
	size_t size;
	/* The class serving it, or 0 for a compound page of @order. */
	unsigned int class;
	unsigned int order;
	const char *desc;
};

static const struct kmalloc_size_case kmalloc_size_cases[] = {
	{ 1, 8, 0, "1" },
	{ 8, 8, 0, "8" },
	{ 9, 16, 0, "9" },
	{ 64, 64, 0, "64" },
	{ 65, 96, 0, "65" },
	{ 96, 96, 0, "96" },
	{ 97, 128, 0, "97" },
	{ 128, 128, 0, "128" },
	{ 129, 192, 0, "129" },
	{ 192, 192, 0, "192" },
	{ 193, 256, 0, "193" },
	{ 257, 512, 0, "257" },
	{ 4096, 4096, 0, "4096" },
	{ 4097, 8192, 0, "4097" },
	{ 8192, 8192, 0, "8192" },
	{ 8193, 0, 2, "8193" },
	{ 3 * PAGE_SIZE, 0, 2, "3-pages" },
	{ 4 * PAGE_SIZE, 0, 2, "4-pages" },
	{ 4 * PAGE_SIZE + 1, 0, 3, "4-pages-plus-1" },
	{ 16 * PAGE_SIZE, 0, 4, "16-pages" },
	{ 100 * PAGE_SIZE, 0, 7, "100-pages" },
	{ 256 * PAGE_SIZE, 0, 8, "256-pages" },
};

KUNIT_ARRAY_PARAM_DESC(kmalloc_size, kmalloc_size_cases, desc);

/*
 * One size: the class or the large path as expected, ksize() covering the
 * request and writable to its end, natural alignment for powers of two,
 * and every page back after kfree().
 */
static void kmalloc_size_served_by_expected_class(struct kunit *test)
{
	const struct kmalloc_size_case *c = test->param_value;
	long held = mslab_test_pages_held(), large = large_pages();
	int *errors = mslab_test_count_errors(test);
	size_t ks;
	void *p;

	p = mslab_kmalloc(c->size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_PTR_NE(test, p, ZERO_SIZE_PTR);
	KUNIT_EXPECT_EQ(test, expected_class(c->size), c->class);
	ks = mslab_ksize(p);
	KUNIT_EXPECT_GE(test, ks, c->size);

	if (c->class) {
		check_class_object(test, p, c->size);
		KUNIT_EXPECT_EQ(test, ks, (size_t)c->class);
		KUNIT_EXPECT_EQ(test, large_pages(), large);
	} else {
		KUNIT_EXPECT_NULL(test, mslab_virt_to_slab(p));
		KUNIT_EXPECT_TRUE(test, mslab_owns(p));
		KUNIT_EXPECT_TRUE(test, mslab_owns(p + c->size - 1));
		KUNIT_EXPECT_EQ(test, ks, PAGE_SIZE << c->order);
		KUNIT_EXPECT_EQ(test, large_pages() - large, 1L << c->order);
		KUNIT_EXPECT_EQ(test, mslab_test_pages_held() - held,
				1L << c->order);
		KUNIT_EXPECT_TRUE(test, IS_ALIGNED((unsigned long)p, PAGE_SIZE));
	}
	if (is_power_of_2(c->size))
		KUNIT_EXPECT_TRUE_MSG(test, IS_ALIGNED((unsigned long)p, c->size),
				      "%p of size %zu is not naturally aligned",
				      p, c->size);

	/* All of ksize() is the caller's. */
	memset(p, 0x5a, ks);
	KUNIT_EXPECT_NULL(test, memchr_inv(p, 0x5a, ks));

	mslab_kfree(p);
	KUNIT_EXPECT_EQ(test, large_pages(), large);
	if (!c->class)
		KUNIT_EXPECT_EQ(test, mslab_test_pages_held(), held);
	KUNIT_EXPECT_EQ(test, *errors, 0);
}

/*
 * Every size from 1 to 8192 bytes, each object filled to its ksize()
 * while the object allocated just before it stays allocated: a ksize()
 * beyond the object would overwrite the neighbour's pattern, or spill over
 * the slab's pages (KASAN).
 */
static void kmalloc_every_size_to_max_cache_size(struct kunit *test)
{
	unsigned long inuse = kmalloc_inuse();
	int *errors = mslab_test_count_errors(test);
	unsigned int bad_class = 0, bad_ksize = 0, bad_align = 0;
	size_t size;

	for (size = 1; size <= MSLAB_KMALLOC_MAX_CACHE_SIZE; size++) {
		unsigned int class = expected_class(size);
		struct mslab_slab *slab;
		size_t ks, ks_nb;
		void *p, *nb;

		nb = mslab_kmalloc(size, GFP_KERNEL);
		p = mslab_kmalloc(size, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, nb);
		KUNIT_ASSERT_NOT_NULL(test, p);
		slab = mslab_virt_to_slab(p);
		KUNIT_ASSERT_NOT_NULL(test, slab);
		if (slab->cache->object_size != class ||
		    !mslab_obj_in_slab(slab->layout, slab, p)) {
			if (!bad_class++)
				kunit_info(test, "size %zu: from %s, expected class %u",
					   size, slab->cache->name, class);
		}
		ks = mslab_ksize(p);
		ks_nb = mslab_ksize(nb);
		if (ks < size || ks > slab->layout->size ||
		    (slab->layout->offset >= slab->layout->inuse &&
		     ks > slab->layout->offset)) {
			if (!bad_ksize++)
				kunit_info(test, "size %zu: ksize %zu", size, ks);
		}
		if (is_power_of_2(size) && !IS_ALIGNED((unsigned long)p, size))
			bad_align++;

		memset(nb, 0xa5, ks_nb);
		memset(p, 0x3c, ks);
		if (memchr_inv(nb, 0xa5, ks_nb) || memchr_inv(p, 0x3c, ks)) {
			if (!bad_ksize++)
				kunit_info(test, "size %zu: objects overlap", size);
		}
		mslab_kfree(p);
		mslab_kfree(nb);
	}
	KUNIT_EXPECT_EQ_MSG(test, bad_class, 0U, "sizes from the wrong class");
	KUNIT_EXPECT_EQ_MSG(test, bad_ksize, 0U, "sizes with a wrong ksize");
	KUNIT_EXPECT_EQ_MSG(test, bad_align, 0U,
			    "power-of-two sizes not naturally aligned");
	KUNIT_EXPECT_EQ(test, *errors, 0);
	KUNIT_EXPECT_EQ(test, kmalloc_inuse(), inuse);
}

/* Size 0 is ZERO_SIZE_PTR; NULL and ZERO_SIZE_PTR are freed silently. */
static void kmalloc_zero_size_and_null(struct kunit *test)
{
	int *errors = mslab_test_count_errors(test);
	long held = mslab_test_pages_held();

	KUNIT_EXPECT_PTR_EQ(test, mslab_kmalloc(0, GFP_KERNEL), ZERO_SIZE_PTR);
	KUNIT_EXPECT_PTR_EQ(test, mslab_kzalloc(0, GFP_KERNEL), ZERO_SIZE_PTR);
	KUNIT_EXPECT_PTR_EQ(test, mslab_kmalloc_node(0, GFP_KERNEL, 0),
			    ZERO_SIZE_PTR);
	KUNIT_EXPECT_PTR_EQ(test, mslab_kcalloc(0, 16, GFP_KERNEL),
			    ZERO_SIZE_PTR);
	KUNIT_EXPECT_PTR_EQ(test, mslab_kmalloc_array(16, 0, GFP_KERNEL),
			    ZERO_SIZE_PTR);

	mslab_kfree(NULL);
	mslab_kfree(ZERO_SIZE_PTR);
	mslab_kfree_bulk(0, NULL);
	KUNIT_EXPECT_EQ(test, mslab_ksize(NULL), (size_t)0);
	KUNIT_EXPECT_EQ(test, mslab_ksize(ZERO_SIZE_PTR), (size_t)0);
	KUNIT_EXPECT_FALSE(test, mslab_owns(NULL));
	KUNIT_EXPECT_FALSE(test, mslab_owns(ZERO_SIZE_PTR));
	KUNIT_EXPECT_EQ(test, *errors, 0);
	KUNIT_EXPECT_EQ(test, mslab_test_pages_held(), held);
}

/* === kfree() ============================================================ */

/* kfree() frees objects of ordinary mslab caches too, as the kernel's. */
static void kfree_frees_objects_of_any_cache(struct kunit *test)
{
	int *errors = mslab_test_count_errors(test);
	struct mslab_cache *s, *rcu;
	unsigned int i, nr;
	void **objs;

	s = mslab_test_cache(test, "kunit-kmalloc-kfree", 200, 0, 0, NULL);
	rcu = mslab_test_cache(test, "kunit-kmalloc-kfree-rcu", 72, 0,
			       SLAB_TYPESAFE_BY_RCU, NULL);
	nr = 2 * mslab_oo_objects(s->layout->oo) + 1;
	objs = kunit_kcalloc(test, nr, sizeof(*objs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, objs);

	for (i = 0; i < nr; i++) {
		objs[i] = mslab_cache_alloc(s, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
		KUNIT_EXPECT_GE(test, mslab_ksize(objs[i]), (size_t)200);
		KUNIT_EXPECT_LE(test, mslab_ksize(objs[i]), (size_t)s->layout->size);
	}
	mslab_cache_shrink(s);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(s), (unsigned long)nr);
	for (i = 0; i < nr; i++)
		mslab_kfree(objs[i]);
	mslab_cache_shrink(s);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(s), 0UL);
	KUNIT_EXPECT_EQ(test, mslab_test_nr_slabs(s), 0L);

	/* ksize() stops short of a free pointer kept past the object. */
	objs[0] = mslab_cache_alloc(rcu, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, objs[0]);
	KUNIT_EXPECT_GE(test, mslab_ksize(objs[0]), (size_t)72);
	KUNIT_EXPECT_LE(test, mslab_ksize(objs[0]), (size_t)rcu->layout->offset);
	mslab_kfree(objs[0]);
	mslab_cache_shrink(rcu);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(rcu), 0UL);
	KUNIT_EXPECT_EQ(test, *errors, 0);
}

/*
 * Pointers mslab never handed out, or not the start of an allocation, are
 * counted and ignored: the memory stays as it was and stays allocated.
 */
static void kfree_foreign_pointers_are_counted(struct kunit *test)
{
	int *errors = mslab_test_count_errors(test);
	unsigned long inuse = kmalloc_inuse();
	long large = large_pages();
	struct page *page, *comp;
	void *km, *vm, *big, *obj;
	int on_stack = 42;

	km = kmalloc(128, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, km);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, kfree_action, km));
	memset(km, 0x11, 128);
	vm = vmalloc(PAGE_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, vm);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, vfree_action, vm));
	page = alloc_pages(GFP_KERNEL, 0);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, free_pages_action, page));
	comp = alloc_pages(GFP_KERNEL | __GFP_COMP, 2);
	KUNIT_ASSERT_NOT_NULL(test, comp);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, free_pages_action, comp));
	big = mslab_kmalloc(5 * PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, big);
	obj = mslab_kmalloc(100, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, obj);

	KUNIT_EXPECT_FALSE(test, mslab_owns(km));
	KUNIT_EXPECT_FALSE(test, mslab_owns(&on_stack));
	KUNIT_EXPECT_FALSE(test, mslab_owns(vm));
	KUNIT_EXPECT_FALSE(test, mslab_owns(page_address(page)));
	KUNIT_EXPECT_FALSE(test, mslab_owns(page_address(comp) + PAGE_SIZE));
	KUNIT_EXPECT_TRUE(test, mslab_owns(big));
	KUNIT_EXPECT_TRUE(test, mslab_owns(obj));

	mslab_kfree(km);
	KUNIT_EXPECT_EQ(test, *errors, 1);
	mslab_kfree(&on_stack);
	KUNIT_EXPECT_EQ(test, *errors, 2);
	mslab_kfree(vm);
	KUNIT_EXPECT_EQ(test, *errors, 3);
	mslab_kfree(page_address(page));
	KUNIT_EXPECT_EQ(test, *errors, 4);
	mslab_kfree(page_address(comp));
	mslab_kfree(page_address(comp) + 2 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, *errors, 6);
	/* The middle of a large allocation, in its head and a tail page. */
	mslab_kfree(big + 64);
	mslab_kfree(big + 3 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, *errors, 8);
	/* The middle of a slab object. */
	mslab_kfree(obj + 8);
	KUNIT_EXPECT_EQ(test, *errors, 9);
	/* ksize() of foreign memory is 0, reported too. */
	KUNIT_EXPECT_EQ(test, mslab_ksize(vm), (size_t)0);
	KUNIT_EXPECT_EQ(test, *errors, 10);

	/* Nothing was touched or freed. */
	KUNIT_EXPECT_EQ(test, on_stack, 42);
	KUNIT_EXPECT_NULL(test, memchr_inv(km, 0x11, 128));
	KUNIT_EXPECT_EQ(test, large_pages() - large, 8L);
	KUNIT_EXPECT_EQ(test, kmalloc_inuse(), inuse + 1);
	memset(big, 0x22, 5 * PAGE_SIZE);
	memset(obj, 0x33, 100);

	mslab_kfree(big);
	mslab_kfree(obj);
	KUNIT_EXPECT_EQ(test, *errors, 10);
	KUNIT_EXPECT_EQ(test, large_pages(), large);
	KUNIT_EXPECT_EQ(test, kmalloc_inuse(), inuse);

	/* A second kfree() of the same object is refused, not a corruption. */
	obj = mslab_kmalloc(100, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	mslab_kfree(obj);
	mslab_kfree(obj);
	KUNIT_EXPECT_EQ(test, *errors, 11);
	KUNIT_EXPECT_EQ(test, kmalloc_inuse(), inuse);
}

/* === krealloc() ========================================================= */

/* krealloc(NULL) allocates; krealloc(p, 0) frees and gives ZERO_SIZE_PTR. */
static void krealloc_null_and_zero(struct kunit *test)
{
	int *errors = mslab_test_count_errors(test);
	unsigned long inuse = kmalloc_inuse();
	long large = large_pages();
	void *p;

	p = mslab_krealloc(NULL, 100, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_PTR_NE(test, p, ZERO_SIZE_PTR);
	check_class_object(test, p, 100);
	KUNIT_EXPECT_EQ(test, kmalloc_inuse(), inuse + 1);
	KUNIT_EXPECT_PTR_EQ(test, mslab_krealloc(p, 0, GFP_KERNEL),
			    ZERO_SIZE_PTR);
	KUNIT_EXPECT_EQ(test, kmalloc_inuse(), inuse);

	p = mslab_krealloc(ZERO_SIZE_PTR, 3 * PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, large_pages() - large, 4L);
	KUNIT_EXPECT_PTR_EQ(test, mslab_krealloc(p, 0, GFP_KERNEL),
			    ZERO_SIZE_PTR);
	KUNIT_EXPECT_EQ(test, large_pages(), large);

	KUNIT_EXPECT_PTR_EQ(test, mslab_krealloc(NULL, 0, GFP_KERNEL),
			    ZERO_SIZE_PTR);
	KUNIT_EXPECT_EQ(test, *errors, 0);
}

/* Growing through classes and into the large path keeps the contents. */
static void krealloc_grow_keeps_contents(struct kunit *test)
{
	static const size_t sizes[] = {
		1, 8, 9, 60, 96, 97, 192, 193, 1000, 4096, 5000, 8192, 8193,
		3 * PAGE_SIZE, 40 * PAGE_SIZE,
	};
	int *errors = mslab_test_count_errors(test);
	unsigned long inuse = kmalloc_inuse();
	long large = large_pages();
	size_t old = 0;
	unsigned int i;
	void *p = NULL;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		size_t j;
		u8 *q;

		q = mslab_krealloc(p, sizes[i], GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, q);
		KUNIT_EXPECT_GE(test, mslab_ksize(q), sizes[i]);
		if (expected_class(sizes[i]))
			check_class_object(test, q, sizes[i]);
		else
			KUNIT_EXPECT_NULL(test, mslab_virt_to_slab(q));
		for (j = 0; j < old; j++)
			if (q[j] != (u8)(j * 7 + 1))
				break;
		KUNIT_EXPECT_EQ_MSG(test, j, old,
				    "%zu -> %zu bytes: byte %zu lost",
				    old, sizes[i], j);
		for (j = old; j < sizes[i]; j++)
			q[j] = (u8)(j * 7 + 1);
		p = q;
		old = sizes[i];
	}
	mslab_kfree(p);
	KUNIT_EXPECT_EQ(test, large_pages(), large);
	KUNIT_EXPECT_EQ(test, kmalloc_inuse(), inuse);
	KUNIT_EXPECT_EQ(test, *errors, 0);
}

/*
 * Shrinking, and growing within ksize(), return the same pointer with the
 * contents kept; a failed grow returns NULL and leaves the memory alone.
 */
static void krealloc_shrinks_in_place(struct kunit *test)
{
	int *errors = mslab_test_count_errors(test);
	unsigned long inuse = kmalloc_inuse();
	long large = large_pages();
	void *p, *q;

	p = mslab_kmalloc(1000, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	memset(p, 0x77, 1000);
	KUNIT_EXPECT_PTR_EQ(test, mslab_krealloc(p, 1000, GFP_KERNEL), p);
	KUNIT_EXPECT_PTR_EQ(test, mslab_krealloc(p, 600, GFP_KERNEL), p);
	KUNIT_EXPECT_NULL(test, memchr_inv(p, 0x77, 600));
	KUNIT_EXPECT_PTR_EQ(test, mslab_krealloc(p, 1024, GFP_KERNEL), p);
	KUNIT_EXPECT_PTR_EQ(test, mslab_krealloc(p, 1, GFP_KERNEL), p);
	KUNIT_EXPECT_EQ(test, *(u8 *)p, 0x77);
	KUNIT_EXPECT_EQ(test, kmalloc_inuse(), inuse + 1);
	mslab_kfree(p);

	p = mslab_kmalloc(5 * PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	memset(p, 0x66, 5 * PAGE_SIZE);
	KUNIT_EXPECT_PTR_EQ(test, mslab_krealloc(p, 8 * PAGE_SIZE, GFP_KERNEL),
			    p);
	KUNIT_EXPECT_PTR_EQ(test, mslab_krealloc(p, 100, GFP_KERNEL), p);
	KUNIT_EXPECT_NULL(test, memchr_inv(p, 0x66, 100));
	KUNIT_EXPECT_EQ(test, large_pages() - large, 8L);

	/* More than the buddy allocator can give: NULL, @p untouched. */
	q = mslab_krealloc(p, (PAGE_SIZE << MAX_PAGE_ORDER) + 1,
			   GFP_KERNEL | __GFP_NOWARN);
	KUNIT_EXPECT_NULL(test, q);
	KUNIT_EXPECT_NULL(test, memchr_inv(p, 0x66, 5 * PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, large_pages() - large, 8L);
	mslab_kfree(p);

	KUNIT_EXPECT_EQ(test, large_pages(), large);
	KUNIT_EXPECT_EQ(test, kmalloc_inuse(), inuse);
	KUNIT_EXPECT_EQ(test, *errors, 0);
}

/*
 * __GFP_ZERO on every call, from the first allocation on (the kernel's
 * contract): the bytes past the size asked for read as zero after a shrink
 * in place, a grow in place and a move.
 */
static void krealloc_gfp_zero_zeroes_the_tail(struct kunit *test)
{
	const gfp_t gfp = GFP_KERNEL | __GFP_ZERO;
	int *errors = mslab_test_count_errors(test);
	u8 *p, *q;

	p = mslab_kzalloc(100, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_NULL(test, memchr_inv(p, 0, mslab_ksize(p)));
	memset(p, 0xaa, 100);

	q = mslab_krealloc(p, 40, gfp);
	KUNIT_ASSERT_PTR_EQ(test, q, p);
	KUNIT_EXPECT_NULL(test, memchr_inv(p, 0xaa, 40));
	KUNIT_EXPECT_NULL(test, memchr_inv(p + 40, 0, mslab_ksize(p) - 40));

	q = mslab_krealloc(p, 120, gfp);
	KUNIT_ASSERT_PTR_EQ(test, q, p);
	KUNIT_EXPECT_NULL(test, memchr_inv(p, 0xaa, 40));
	KUNIT_EXPECT_NULL(test, memchr_inv(p + 40, 0, 80));

	q = mslab_krealloc(p, 3000, gfp);
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_PTR_NE(test, q, p);
	KUNIT_EXPECT_NULL(test, memchr_inv(q, 0xaa, 40));
	KUNIT_EXPECT_NULL(test, memchr_inv(q + 40, 0, mslab_ksize(q) - 40));

	p = mslab_krealloc(q, 5 * PAGE_SIZE, gfp);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_NULL(test, memchr_inv(p, 0xaa, 40));
	KUNIT_EXPECT_NULL(test, memchr_inv(p + 40, 0, mslab_ksize(p) - 40));
	mslab_kfree(p);
	KUNIT_EXPECT_EQ(test, *errors, 0);
}

/* === Array sizes, zeroing, nodes ======================================== */

/* An element count times size that overflows gives NULL, nothing else. */
static void kmalloc_array_overflow_is_null(struct kunit *test)
{
	long held = mslab_test_pages_held();
	size_t n = 3;
	u64 *a;

	KUNIT_EXPECT_NULL(test, mslab_kmalloc_array(SIZE_MAX, 2, GFP_KERNEL));
	KUNIT_EXPECT_NULL(test, mslab_kmalloc_array(2, SIZE_MAX / 2 + 1,
						    GFP_KERNEL));
	KUNIT_EXPECT_NULL(test, mslab_kcalloc(SIZE_MAX / 8 + 1, 8, GFP_KERNEL));
	KUNIT_EXPECT_NULL(test, mslab_kcalloc(1UL << 33, 1UL << 31, GFP_KERNEL));
	/* No overflow, but more than any allocation can be. */
	KUNIT_EXPECT_NULL(test, mslab_kmalloc(SIZE_MAX, GFP_KERNEL | __GFP_NOWARN));
	KUNIT_EXPECT_NULL(test, mslab_kmalloc_array(SIZE_MAX / 2, 1,
						    GFP_KERNEL | __GFP_NOWARN));
	KUNIT_EXPECT_EQ(test, mslab_test_pages_held(), held);

	/* A product that fits is an ordinary allocation, zeroed by kcalloc. */
	a = mslab_kmalloc_array(n, sizeof(*a), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_GE(test, mslab_ksize(a), n * sizeof(*a));
	memset(a, 0xff, mslab_ksize(a));
	mslab_kfree(a);
	a = mslab_kcalloc(n, sizeof(*a), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_NULL(test, memchr_inv(a, 0, n * sizeof(*a)));
	mslab_kfree(a);
}

/* kzalloc() zeroes all of ksize(), even of a reused, dirty object. */
static void kzalloc_zeroes_reused_memory(struct kunit *test)
{
	static const size_t sizes[] = {
		1, 8, 24, 96, 100, 192, 200, 512, 2000, 4096, 8192, 8193,
		6 * PAGE_SIZE,
	};
	int *errors = mslab_test_count_errors(test);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		size_t size = sizes[i];
		void *p, *q;

		p = mslab_kmalloc(size, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p);
		memset(p, 0xee, mslab_ksize(p));
		mslab_kfree(p);
		q = mslab_kzalloc(size, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, q);
		KUNIT_EXPECT_NULL_MSG(test, memchr_inv(q, 0, mslab_ksize(q)),
				      "kzalloc(%zu) %s not zeroed", size,
				      p == q ? "(reused)" : "(new)");
		mslab_kfree(q);
	}
	KUNIT_EXPECT_EQ(test, *errors, 0);
}

/* kmalloc_node() on node 0 (every machine has it) and on any node. */
static void kmalloc_node_gives_memory_of_the_node(struct kunit *test)
{
	static const size_t sizes[] = { 16, 192, 4096, 8193, 9 * PAGE_SIZE };
	int *errors = mslab_test_count_errors(test);
	long large = large_pages();
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		void *p = mslab_kmalloc_node(sizes[i], GFP_KERNEL, 0);
		void *q = mslab_kmalloc_node(sizes[i], GFP_KERNEL | __GFP_ZERO,
					     NUMA_NO_NODE);

		KUNIT_ASSERT_NOT_NULL(test, p);
		KUNIT_ASSERT_NOT_NULL(test, q);
		KUNIT_EXPECT_EQ(test, page_to_nid(virt_to_page(p)), 0);
		KUNIT_EXPECT_GE(test, mslab_ksize(p), sizes[i]);
		KUNIT_EXPECT_NULL(test, memchr_inv(q, 0, sizes[i]));
		if (expected_class(sizes[i])) {
			check_class_object(test, p, sizes[i]);
			check_class_object(test, q, sizes[i]);
		}
		memset(p, 0x44, sizes[i]);
		mslab_kfree(p);
		mslab_kfree(q);
	}
	KUNIT_EXPECT_EQ(test, large_pages(), large);
	KUNIT_EXPECT_EQ(test, *errors, 0);
}

/*
 * kmalloc types (SLUB's kmalloc_type()): __GFP_RECLAIMABLE from the
 * reclaimable size classes, __GFP_ACCOUNT from the charged ones where the
 * kernel has memory cgroups, __GFP_DMA from ZONE_DMA ones where it has
 * that zone; each an ordinary size class cache otherwise.
 */
static void kmalloc_type_by_gfp(struct kunit *test)
{
	static const struct {
		gfp_t gfp;
		const char *name;
		slab_flags_t flag;
	} kinds[] = {
		{ GFP_KERNEL, "mslab-kmalloc-128", 0 },
		{ GFP_KERNEL | __GFP_RECLAIMABLE, "mslab-kmalloc-rcl-128",
		  SLAB_RECLAIM_ACCOUNT },
#ifdef CONFIG_MEMCG
		{ GFP_KERNEL_ACCOUNT, "mslab-kmalloc-cg-128", SLAB_ACCOUNT },
		{ GFP_KERNEL_ACCOUNT | __GFP_RECLAIMABLE,
		  "mslab-kmalloc-rcl-128", SLAB_RECLAIM_ACCOUNT },
#else
		{ GFP_KERNEL_ACCOUNT, "mslab-kmalloc-128", 0 },
#endif
#ifdef CONFIG_ZONE_DMA
		{ GFP_KERNEL | GFP_DMA, "mslab-dma-kmalloc-128", SLAB_CACHE_DMA },
#endif
	};
	struct mslab_slab *slab;
	unsigned int i;
	void *p;

	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		p = mslab_kmalloc(100, kinds[i].gfp);
		KUNIT_ASSERT_NOT_NULL(test, p);
		slab = mslab_virt_to_slab(p);
		KUNIT_ASSERT_NOT_NULL(test, slab);
		KUNIT_EXPECT_STREQ(test, slab->cache->name, kinds[i].name);
		KUNIT_EXPECT_EQ(test, slab->cache->flags & kinds[i].flag,
				kinds[i].flag);
		mslab_kfree(p);
	}
}

static struct kunit_case mslab_kmalloc_test_cases[] = {
	KUNIT_CASE(kmalloc_class_caches_exist),
	KUNIT_CASE_PARAM(kmalloc_size_served_by_expected_class,
			 kmalloc_size_gen_params),
	KUNIT_CASE(kmalloc_every_size_to_max_cache_size),
	KUNIT_CASE(kmalloc_zero_size_and_null),
	KUNIT_CASE(kfree_frees_objects_of_any_cache),
	KUNIT_CASE(kfree_foreign_pointers_are_counted),
	KUNIT_CASE(krealloc_null_and_zero),
	KUNIT_CASE(krealloc_grow_keeps_contents),
	KUNIT_CASE(krealloc_shrinks_in_place),
	KUNIT_CASE(krealloc_gfp_zero_zeroes_the_tail),
	KUNIT_CASE(kmalloc_array_overflow_is_null),
	KUNIT_CASE(kzalloc_zeroes_reused_memory),
	KUNIT_CASE(kmalloc_node_gives_memory_of_the_node),
	KUNIT_CASE(kmalloc_type_by_gfp),
	{}
};

static struct kunit_suite mslab_kmalloc_test_suite = {
	.name = "mslab_kmalloc",
	.test_cases = mslab_kmalloc_test_cases,
};

kunit_test_suites(&mslab_kmalloc_test_suite);
