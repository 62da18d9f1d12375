// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "mslab_kvmalloc": the calls the compat header maps the
 * kernel's kvmalloc family, kmalloc_size_roundup() and
 * kmem_cache_alloc_lru() to. kvmalloc memory is mslab's kmalloc memory
 * up to what the buddy allocator can give in one block, the kernel's
 * vmalloc memory beyond (never in atomic context); mslab_kvfree() and
 * mslab_kvrealloc() take either, keeping contents. kmalloc_size_roundup()
 * says exactly what ksize() then reports. An object from
 * mslab_cache_alloc_lru() goes on a list_lru and comes off it. Buckets
 * (kmem_buckets) have size classes of their own.
 */

#include <linux/list_lru.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include <kunit/test.h>

#include "mslab.h"
#include "mslab_kunit.h"

/* More than one block of the buddy allocator can hold. */
#define BEYOND_BUDDY	((PAGE_SIZE << MAX_PAGE_ORDER) + PAGE_SIZE)

static void fill(void *p, size_t size, u8 seed)
{
	u8 *b = p;
	size_t i;

	for (i = 0; i < size; i++)
		b[i] = seed + i * 7;
}

static bool filled(const void *p, size_t size, u8 seed)
{
	const u8 *b = p;
	size_t i;

	for (i = 0; i < size; i++)
		if (b[i] != (u8)(seed + i * 7))
			return false;
	return true;
}

/* Up to a buddy block: mslab's memory, size classes or large kmalloc. */
static void kvmalloc_from_mslab(struct kunit *test)
{
	static const size_t sizes[] = { 1, 100, PAGE_SIZE, 8192, 100000,
					PAGE_SIZE << MAX_PAGE_ORDER };
	unsigned int i;
	void *p;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		p = mslab_kvmalloc_node(sizes[i], GFP_KERNEL, NUMA_NO_NODE);
		KUNIT_ASSERT_NOT_NULL_MSG(test, p, "size %zu", sizes[i]);
		KUNIT_EXPECT_TRUE_MSG(test, mslab_owns(p), "size %zu", sizes[i]);
		KUNIT_EXPECT_FALSE(test, is_vmalloc_addr(p));
		fill(p, sizes[i], i);
		KUNIT_EXPECT_TRUE(test, filled(p, sizes[i], i));
		mslab_kvfree(p);
	}
	KUNIT_EXPECT_PTR_EQ(test, ZERO_SIZE_PTR,
			    mslab_kvmalloc_node(0, GFP_KERNEL, NUMA_NO_NODE));
	mslab_kvfree(NULL);
	mslab_kvfree(ZERO_SIZE_PTR);
}

/* Beyond it: the kernel's vmalloc, zeroed on request; not when atomic. */
static void kvmalloc_falls_back_to_vmalloc(struct kunit *test)
{
	u8 *p;

	p = mslab_kvmalloc_node(BEYOND_BUDDY, GFP_KERNEL | __GFP_ZERO, 0);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(p));
	KUNIT_EXPECT_FALSE(test, mslab_owns(p));
	KUNIT_EXPECT_EQ(test, 0, p[0]);
	KUNIT_EXPECT_EQ(test, 0, p[BEYOND_BUDDY - 1]);
	fill(p, BEYOND_BUDDY, 3);
	mslab_kvfree(p);

	p = mslab_kvmalloc_node(BEYOND_BUDDY, GFP_NOFS, NUMA_NO_NODE);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(p));
	mslab_kvfree(p);

	KUNIT_EXPECT_NULL(test, mslab_kvmalloc_node(BEYOND_BUDDY,
						    GFP_ATOMIC | __GFP_NOWARN,
						    NUMA_NO_NODE));
}

/* mslab_kvrealloc() keeps the contents across every kind of move. */
static void kvrealloc_keeps_contents(struct kunit *test)
{
	void *p, *q;

	p = mslab_kvmalloc_node(100, GFP_KERNEL, NUMA_NO_NODE);
	KUNIT_ASSERT_NOT_NULL(test, p);
	fill(p, 100, 9);

	/* In place (the 128-byte class), then to a larger class. */
	q = mslab_kvrealloc(p, 120, GFP_KERNEL);
	KUNIT_ASSERT_PTR_EQ(test, p, q);
	q = mslab_kvrealloc(p, 5000, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_TRUE(test, mslab_owns(q));
	KUNIT_EXPECT_TRUE(test, filled(q, 100, 9));
	fill(q, 5000, 11);

	/* From mslab to vmalloc. */
	p = mslab_kvrealloc(q, BEYOND_BUDDY, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(p));
	KUNIT_EXPECT_TRUE(test, filled(p, 5000, 11));

	/* vmalloc memory goes to the kernel's kvrealloc(). */
	q = mslab_kvrealloc(p, 2 * BEYOND_BUDDY, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_TRUE(test, filled(q, 5000, 11));
	mslab_kvfree(q);

	/* From nothing. */
	p = mslab_kvrealloc(NULL, 64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_TRUE(test, mslab_owns(p));
	mslab_kvfree(p);
}

/* kmalloc_size_roundup(): exactly what ksize() reports afterwards. */
static void size_roundup_is_ksize(struct kunit *test)
{
	size_t size;
	void *p;

	KUNIT_EXPECT_EQ(test, 0, mslab_kmalloc_size_roundup(0));
	for (size = 1; size <= 3 * PAGE_SIZE; size += size < 256 ? 1 : 61) {
		p = mslab_kmalloc(size, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p);
		KUNIT_EXPECT_EQ_MSG(test, mslab_ksize(p),
				    mslab_kmalloc_size_roundup(size),
				    "size %zu", size);
		mslab_kfree(p);
	}
	KUNIT_EXPECT_EQ(test, SIZE_MAX, mslab_kmalloc_size_roundup(SIZE_MAX));
}

/* An object of mslab_cache_alloc_lru() on a list_lru and off it again. */
static void alloc_lru_object_on_list(struct kunit *test)
{
	struct mslab_cache *s;
	struct list_lru lru;
	struct list_head *item;

	KUNIT_ASSERT_EQ(test, 0, list_lru_init(&lru));
	s = mslab_test_cache(test, "kv-lru", 96, 0, SLAB_ACCOUNT, NULL);
	item = mslab_cache_alloc_lru(s, &lru, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, item);
	INIT_LIST_HEAD(item);
	KUNIT_EXPECT_TRUE(test, list_lru_add_obj(&lru, item));
	KUNIT_EXPECT_EQ(test, 1, list_lru_count(&lru));
	KUNIT_EXPECT_TRUE(test, list_lru_del_obj(&lru, item));
	KUNIT_EXPECT_EQ(test, 0, list_lru_count(&lru));
	mslab_cache_free(s, item);
	list_lru_destroy(&lru);

	/* No list_lru: as mslab_cache_alloc(). */
	item = mslab_cache_alloc_lru(s, NULL, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, item);
	mslab_cache_free(s, item);
}

KUNIT_DEFINE_ACTION_WRAPPER(buckets_destroy_action, mslab_buckets_destroy,
			    struct mslab_buckets *);

/*
 * Buckets (kmem_buckets): every size class of their own, named after
 * them; large sizes from the buddy allocator, vmalloc beyond; freed by
 * mslab_kfree()/mslab_kvfree().
 */
static void buckets_own_size_classes(struct kunit *test)
{
	static const size_t sizes[] = { 1, 8, 24, 96, 100, 192, 200, 4096,
					8192 };
	struct mslab_buckets *b;
	struct mslab_slab *slab;
	char name[MSLAB_TEST_NAME_LEN];
	unsigned int i, class;
	void *p;

	b = mslab_buckets_create("kunit-bkt", 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
							   buckets_destroy_action,
							   b));
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		p = mslab_buckets_alloc_node_track_caller(b, sizes[i],
							  GFP_KERNEL,
							  NUMA_NO_NODE,
							  _THIS_IP_);
		KUNIT_ASSERT_NOT_NULL(test, p);
		slab = mslab_virt_to_slab(p);
		KUNIT_ASSERT_NOT_NULL(test, slab);
		class = mslab_kmalloc_caches[mslab_kmalloc_index(sizes[i])]->object_size;
		snprintf(name, sizeof(name), "kunit-bkt-%u", class);
		KUNIT_EXPECT_STREQ(test, slab->cache->name, name);
		KUNIT_EXPECT_TRUE(test, slab->cache->flags & SLAB_KMALLOC);
		memset(p, 0x3a, sizes[i]);
		mslab_kfree(p);
	}

	p = mslab_buckets_alloc_node_track_caller(b, 3 * PAGE_SIZE, GFP_KERNEL,
						  NUMA_NO_NODE, _THIS_IP_);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_NULL(test, mslab_virt_to_slab(p));
	KUNIT_EXPECT_TRUE(test, mslab_owns(p));
	mslab_kfree(p);

	p = mslab_buckets_kvmalloc_node(b, BEYOND_BUDDY, GFP_KERNEL,
					NUMA_NO_NODE);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_TRUE(test, is_vmalloc_addr(p));
	mslab_kvfree(p);
	p = mslab_buckets_kvmalloc_node(b, 64, GFP_KERNEL, NUMA_NO_NODE);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_STREQ(test, mslab_virt_to_slab(p)->cache->name,
			   "kunit-bkt-64");
	mslab_kvfree(p);
}

static struct kunit_case mslab_kvmalloc_cases[] = {
	KUNIT_CASE(kvmalloc_from_mslab),
	KUNIT_CASE(kvmalloc_falls_back_to_vmalloc),
	KUNIT_CASE(kvrealloc_keeps_contents),
	KUNIT_CASE(size_roundup_is_ksize),
	KUNIT_CASE(alloc_lru_object_on_list),
	KUNIT_CASE(buckets_own_size_classes),
	{}
};

static struct kunit_suite mslab_kvmalloc_suite = {
	.name = "mslab_kvmalloc",
	.test_cases = mslab_kvmalloc_cases,
};

kunit_test_suite(mslab_kvmalloc_suite);
