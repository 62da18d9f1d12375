// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for mslab's debugging (debug.c): SLUB 6.12's object layout
 * with red zones, poison and owner tracking, the eight scenarios of the
 * kernel's lib/slub_kunit.c with the same error counts, and what mslab
 * adds: double frees, frees to the wrong cache, checks on allocation and
 * free, a corrupted freelist that is never followed, and validate after
 * each kind of corruption.
 *
 * Errors are counted, not printed, through the "mslab_errors" resource:
 * each BUG and each FIX counts one, as SLUB's "slab_errors".
 *
 * Unlike SLUB's, mslab's objects are plain page memory that KASAN does not
 * track object by object, so the cases slub_kunit skips under KASAN
 * (writes into free objects) run here too.
 */

#include <linux/mm.h>
#include <linux/poison.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <kunit/test.h>

#include "mslab_kunit.h"

/**
 * mslab_debug_kmalloc() - allocate from a kmalloc-like cache
 * @s: a cache, SLAB_KMALLOC | SLAB_STORE_USER to keep @size
 * @gfpflags: as for mslab_cache_alloc(); __GFP_ZERO zeroes @size bytes
 * @size: bytes asked for, at most the object size: the rest of the object
 *	  is red zone (SLAB_RED_ZONE)
 *
 * SLUB's __kmalloc_cache_noprof() for a cache of its own, as kmalloc size
 * classes with owner tracking record the size asked for: what the suites
 * use to test the kmalloc red zone on a cache of their own. (Test-only;
 * mslab's kmalloc does this through mslab_alloc_caller() itself.)
 *
 * Context: any context @gfpflags allow.
 * Return: the object, or NULL.
 */
void *mslab_debug_kmalloc(struct mslab_cache *s, gfp_t gfpflags, size_t size)
{
	if (!size || size > s->object_size)
		return NULL;
	return mslab_alloc_caller(s, gfpflags, NUMA_NO_NODE, size, _RET_IP_);
}

static struct mslab_cache *debug_cache(struct kunit *test, const char *name,
				       unsigned int size, slab_flags_t flags)
{
	return mslab_test_cache(test, name, size, 0, flags, NULL);
}

static void validate(struct kunit *test, struct mslab_cache *s)
{
	KUNIT_EXPECT_EQ(test, mslab_validate_cache(s), 0);
}

/* === Layout ============================================================= */

struct layout_case {
	const char *desc;
	unsigned int size;
	slab_flags_t flags;
	/* Expected geometry, in words (W) and tracks (T) where they count. */
	unsigned int stride, inuse, offset, red_left_pad;
};

#define W	sizeof(void *)

/* The layout calculate_sizes() gives the same caches (8-byte alignment). */
static const struct layout_case layout_cases[] = {
	{ "Z-64", 64, SLAB_RED_ZONE, 64 + W + W + W, 64 + W, 32, W },
	{ "P-64", 64, SLAB_POISON, 64 + W, 64, 64, 0 },
	{ "Z-4", 4, SLAB_RED_ZONE, 8 + W + W + W, 8, 8, W },
	{ "P-60", 60, SLAB_POISON, 64 + W, 64, 64, 0 },
	{ "F-64", 64, SLAB_CONSISTENCY_CHECKS, 64, 64, 32, 0 },
};

KUNIT_ARRAY_PARAM_DESC(layout, layout_cases, desc);

static void layout_matches_calculate_sizes(struct kunit *test)
{
	const struct layout_case *c = test->param_value;
	struct mslab_cache *s;

	s = debug_cache(test, mslab_test_name(test, "kunit-dbg-layout-%s",
					      c->desc), c->size, c->flags);
	KUNIT_EXPECT_EQ(test, s->layout->size, c->stride);
	KUNIT_EXPECT_EQ(test, s->layout->inuse, c->inuse);
	KUNIT_EXPECT_EQ(test, s->layout->offset, c->offset);
	KUNIT_EXPECT_EQ(test, s->layout->red_left_pad, c->red_left_pad);
	KUNIT_EXPECT_EQ(test, s->sheaf_capacity, 0U);
}

/* Owner tracking adds two tracks, and the kmalloc size with SLAB_KMALLOC. */
static void layout_with_tracks(struct kunit *test)
{
	unsigned int t = mslab_track_size();
	struct mslab_cache *s;

	s = debug_cache(test, "kunit-dbg-layout-U", 64, SLAB_STORE_USER);
	KUNIT_EXPECT_EQ(test, s->layout->size, 64 + t);
	KUNIT_EXPECT_EQ(test, s->layout->offset, 32U);

	/* slub_kunit's kmalloc cache: free pointer out, orig_size kept. */
	s = debug_cache(test, "kunit-dbg-layout-KZU", 32,
			SLAB_KMALLOC | SLAB_STORE_USER | SLAB_RED_ZONE);
	KUNIT_EXPECT_EQ(test, s->layout->inuse, 32 + W);
	KUNIT_EXPECT_EQ(test, s->layout->offset, 32 + W);
	KUNIT_EXPECT_EQ(test, s->layout->size, 32 + W + W + t + W + W + W);

	s = debug_cache(test, "kunit-dbg-layout-FZPU", 64,
			SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON |
			SLAB_STORE_USER);
	KUNIT_EXPECT_EQ(test, s->layout->size, 64 + W + W + t + W + W);
	KUNIT_EXPECT_EQ(test, s->layout->offset, 64 + W);
}

/* ksize() of a red-zoned or poisoned object is its size (SLUB's). */
static void ksize_is_object_size(struct kunit *test)
{
	struct mslab_cache *s;
	void *p;

	s = debug_cache(test, "kunit-dbg-ksize", 60, SLAB_RED_ZONE);
	p = mslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, mslab_ksize(p), (size_t)60);
	mslab_cache_free(s, p);
}

/* Allocated and free objects carry SLUB's byte patterns. */
static void patterns_on_alloc_and_free(struct kunit *test)
{
	struct mslab_cache *s;
	u8 *p;

	s = debug_cache(test, "kunit-dbg-patterns", 64,
			SLAB_RED_ZONE | SLAB_POISON);
	p = mslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_NULL(test, memchr_inv(p - W, SLUB_RED_ACTIVE, W));
	KUNIT_EXPECT_NULL(test, memchr_inv(p, POISON_FREE, 63));
	KUNIT_EXPECT_EQ(test, p[63], POISON_END);
	KUNIT_EXPECT_NULL(test, memchr_inv(p + 64, SLUB_RED_ACTIVE, W));
	memset(p, 0x11, 64);
	mslab_cache_free(s, p);
	KUNIT_EXPECT_NULL(test, memchr_inv(p - W, SLUB_RED_INACTIVE, W));
	KUNIT_EXPECT_NULL(test, memchr_inv(p, POISON_FREE, 63));
	KUNIT_EXPECT_EQ(test, p[63], POISON_END);
	KUNIT_EXPECT_NULL(test, memchr_inv(p + 64, SLUB_RED_INACTIVE, W));
}

/* === lib/slub_kunit.c (6.12) ============================================ */

static void test_clobber_zone(struct kunit *test)
{
	int *errors = mslab_test_count_errors(test);
	struct mslab_cache *s;
	u8 *p;

	s = debug_cache(test, "TestSlub_RZ_alloc", 64, SLAB_RED_ZONE);
	p = mslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	p[64] = 0x12;

	validate(test, s);
	KUNIT_EXPECT_EQ(test, 2, *errors);

	mslab_cache_free(s, p);
}

static void test_next_pointer(struct kunit *test)
{
	int *errors = mslab_test_count_errors(test);
	unsigned long tmp, *ptr_addr;
	struct mslab_cache *s;
	u8 *p;

	s = debug_cache(test, "TestSlub_next_ptr_free", 64, SLAB_POISON);
	p = mslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	mslab_cache_free(s, p);

	ptr_addr = (unsigned long *)(p + s->layout->offset);
	tmp = *ptr_addr;
	p[s->layout->offset] = ~p[s->layout->offset];

	/* The corrupt freechain, the wrong inuse count, and its fix. */
	validate(test, s);
	KUNIT_EXPECT_EQ(test, 3, *errors);

	/* Repaired pointer: the inuse count is still wrong, and fixed. */
	*ptr_addr = tmp;
	*errors = 0;
	validate(test, s);
	KUNIT_EXPECT_EQ(test, 2, *errors);

	*errors = 0;
	validate(test, s);
	KUNIT_EXPECT_EQ(test, 0, *errors);
}

static void test_first_word(struct kunit *test)
{
	int *errors = mslab_test_count_errors(test);
	struct mslab_cache *s;
	u8 *p;

	s = debug_cache(test, "TestSlub_1th_word_free", 64, SLAB_POISON);
	p = mslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	mslab_cache_free(s, p);
	*p = 0x78;

	validate(test, s);
	KUNIT_EXPECT_EQ(test, 2, *errors);
}

static void test_clobber_50th_byte(struct kunit *test)
{
	int *errors = mslab_test_count_errors(test);
	struct mslab_cache *s;
	u8 *p;

	s = debug_cache(test, "TestSlub_50th_word_free", 64, SLAB_POISON);
	p = mslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	mslab_cache_free(s, p);
	p[50] = 0x9a;

	validate(test, s);
	KUNIT_EXPECT_EQ(test, 2, *errors);
}

static void test_clobber_redzone_free(struct kunit *test)
{
	int *errors = mslab_test_count_errors(test);
	struct mslab_cache *s;
	u8 *p;

	s = debug_cache(test, "TestSlub_RZ_free", 64, SLAB_RED_ZONE);
	p = mslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	mslab_cache_free(s, p);
	p[64] = 0xab;

	validate(test, s);
	KUNIT_EXPECT_EQ(test, 2, *errors);
}

static void test_kmalloc_redzone_access(struct kunit *test)
{
	int *errors = mslab_test_count_errors(test);
	struct mslab_cache *s;
	u8 *p;

	s = debug_cache(test, "TestSlub_RZ_kmalloc", 32,
			SLAB_KMALLOC | SLAB_STORE_USER | SLAB_RED_ZONE);
	p = mslab_debug_kmalloc(s, GFP_KERNEL, 18);
	KUNIT_ASSERT_NOT_NULL(test, p);

	OPTIMIZER_HIDE_VAR(p);
	p[18] = 0xab;
	p[19] = 0xab;

	validate(test, s);
	KUNIT_EXPECT_EQ(test, 2, *errors);

	mslab_cache_free(s, p);
}

struct test_kfree_rcu_struct {
	struct rcu_head rcu;
};

static const slab_flags_t kfree_rcu_flags[] = {
	SLAB_NO_MERGE, SLAB_RED_ZONE | SLAB_POISON | SLAB_CONSISTENCY_CHECKS,
};

static void kfree_rcu_flags_desc(const slab_flags_t *f, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "flags-%#x",
		 (__force unsigned int)*f);
}

KUNIT_ARRAY_PARAM(kfree_rcu_flags, kfree_rcu_flags, kfree_rcu_flags_desc);

static void test_kfree_rcu(struct kunit *test)
{
	const slab_flags_t *flags = test->param_value;
	int *errors = mslab_test_count_errors(test);
	int caches = atomic_read(&mslab_nr_caches);
	struct test_kfree_rcu_struct *p;
	struct mslab_cache *s;

	s = mslab_cache_create("TestSlub_kfree_rcu", sizeof(*p), 0, *flags,
			       NULL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	p = mslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);

	mslab_kfree_rcu(p, rcu);
	mslab_cache_destroy(s);

	KUNIT_EXPECT_EQ(test, 0, *errors);
	KUNIT_EXPECT_EQ(test, atomic_read(&mslab_nr_caches), caches);
}

static void test_leak_destroy(struct kunit *test)
{
	int *errors = mslab_test_count_errors(test);
	int caches = atomic_read(&mslab_nr_caches);
	struct mslab_cache *s;
	void *p;

	s = mslab_cache_create("TestSlub_leak_destroy", 64, 0, SLAB_NO_MERGE,
			       NULL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	p = mslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);

	/* "Objects remaining" for the slab, and the object. */
	mslab_cache_destroy(s);
	KUNIT_EXPECT_EQ(test, 2, *errors);

	/* Unlike SLUB's, the leaked cache stays usable: clean up. */
	mslab_cache_free(s, p);
	mslab_cache_destroy(s);
	KUNIT_EXPECT_EQ(test, 2, *errors);
	KUNIT_EXPECT_EQ(test, atomic_read(&mslab_nr_caches), caches);
}

/* === Frees mslab refuses ================================================ */

#define FZPU (SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | \
	      SLAB_STORE_USER)

/* With consistency checks a double free is found on the freelist. */
static void double_free_checked(struct kunit *test)
{
	int *errors = mslab_test_count_errors(test);
	struct mslab_cache *s;
	void *p, *q;

	s = debug_cache(test, "kunit-dbg-double-free", 64, FZPU);
	p = mslab_cache_alloc(s, GFP_KERNEL);
	q = mslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_NOT_NULL(test, q);

	mslab_cache_free(s, p);
	mslab_cache_free(s, p);
	/* "Object already free", "Object ... not freed". */
	KUNIT_EXPECT_EQ(test, 2, *errors);

	/* Not at the head of the freelist any more: still found. */
	mslab_cache_free(s, q);
	mslab_cache_free(s, p);
	KUNIT_EXPECT_EQ(test, 4, *errors);

	validate(test, s);
	KUNIT_EXPECT_EQ(test, 4, *errors);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(s), 0UL);
}

/* Without them, the free of the freelist's head is still refused. */
static void double_free_unchecked(struct kunit *test)
{
	int *errors = mslab_test_count_errors(test);
	struct mslab_cache *s;
	void *p;

	s = debug_cache(test, "kunit-dbg-double-free-z", 64, SLAB_RED_ZONE);
	p = mslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	mslab_cache_free(s, p);
	mslab_cache_free(s, p);
	KUNIT_EXPECT_EQ(test, 2, *errors);
	validate(test, s);
	KUNIT_EXPECT_EQ(test, 2, *errors);
}

static void free_to_wrong_cache(struct kunit *test)
{
	int *errors = mslab_test_count_errors(test);
	struct mslab_cache *a, *b;
	void *p;

	a = debug_cache(test, "kunit-dbg-wrong-a", 64, FZPU);
	b = debug_cache(test, "kunit-dbg-wrong-b", 64, FZPU);
	p = mslab_cache_alloc(a, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);

	mslab_cache_free(b, p);
	KUNIT_EXPECT_EQ(test, 1, *errors);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(a), 1UL);

	mslab_cache_free(a, p);
	KUNIT_EXPECT_EQ(test, 1, *errors);
	validate(test, a);
	validate(test, b);
	KUNIT_EXPECT_EQ(test, 1, *errors);
}

/* A free that finds the red zone overwritten is refused; bytes restored. */
static void free_checks_red_zone(struct kunit *test)
{
	int *errors = mslab_test_count_errors(test);
	struct mslab_cache *s;
	u8 *p;

	s = debug_cache(test, "kunit-dbg-free-rz", 64, FZPU);
	p = mslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	p[64] = 0x12;

	mslab_cache_free(s, p);
	/* The overwrite, its repair, and the refused free. */
	KUNIT_EXPECT_EQ(test, 3, *errors);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(s), 1UL);

	validate(test, s);
	KUNIT_EXPECT_EQ(test, 3, *errors);
	mslab_cache_free(s, p);
	KUNIT_EXPECT_EQ(test, 3, *errors);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(s), 0UL);
}

/*
 * A slab that fails a check on allocation is given up: all its objects
 * count as in use, it is never used again, and destroy reports it.
 */
static void given_up_slab(struct kunit *test, struct mslab_cache *s, u8 *p,
			  int *errors, int expected)
{
	struct mslab_slab *slab = mslab_virt_to_slab(p);
	unsigned int objects = slab->objects;
	int caches = atomic_read(&mslab_nr_caches);
	void *q;

	q = mslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_EXPECT_EQ(test, expected, *errors);
	KUNIT_EXPECT_TRUE(test, slab->corrupt);
	KUNIT_EXPECT_PTR_NE(test, mslab_virt_to_slab(q), slab);
	KUNIT_EXPECT_EQ(test, mslab_slab_inuse(slab), objects);

	/* Given up slabs are not validated again. */
	validate(test, s);
	KUNIT_EXPECT_EQ(test, expected, *errors);

	mslab_cache_free(s, q);
	mslab_cache_destroy(s);
	KUNIT_EXPECT_TRUE(test, s->leaked);
	KUNIT_EXPECT_EQ(test, expected + 1 + (int)objects, *errors);
	KUNIT_EXPECT_EQ(test, atomic_read(&mslab_nr_caches), caches);
}

/* Consistency checks catch a write to a free object when it is allocated. */
static void alloc_checks_poison(struct kunit *test)
{
	int *errors = mslab_test_count_errors(test);
	struct mslab_cache *s;
	u8 *p;

	s = mslab_cache_create("kunit-dbg-alloc-poison", 64, 0,
			       SLAB_CONSISTENCY_CHECKS | SLAB_POISON, NULL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	p = mslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	mslab_cache_free(s, p);
	p[10] = 0x33;
	/* The poison, its repair, "Marking all objects used". */
	given_up_slab(test, s, p, errors, 3);
}

/* Even unchecked, a bad free pointer is never followed. */
static void corrupt_freelist_not_followed(struct kunit *test)
{
	int *errors = mslab_test_count_errors(test);
	struct mslab_cache *s;
	u8 *p;

	s = mslab_cache_create("kunit-dbg-bad-fp", 64, 0, SLAB_POISON, NULL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	p = mslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	mslab_cache_free(s, p);
	*(unsigned long *)(p + s->layout->offset) = 0x1234;
	/* Allocating @p would install it: "Freechain corrupt", fix. */
	given_up_slab(test, s, p, errors, 2);
}

/* === validate =========================================================== */

static void validate_refuses_non_debug_cache(struct kunit *test)
{
	struct mslab_cache *s = debug_cache(test, "kunit-dbg-plain", 64, 0);

	KUNIT_EXPECT_EQ(test, mslab_validate_cache(s), -EINVAL);
}

/* Many objects through every path, bulk included: nothing to report. */
static void validate_clean_cache(struct kunit *test)
{
	int *errors = mslab_test_count_errors(test);
	struct mslab_cache *s;
	unsigned int i, nr = 200;
	void **objs;

	objs = kunit_kcalloc(test, nr, sizeof(*objs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, objs);
	s = debug_cache(test, "kunit-dbg-clean", 100, FZPU);
	for (i = 0; i < nr; i++) {
		objs[i] = mslab_cache_alloc(s, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
		memset(objs[i], i, 100);
	}
	for (i = 0; i < nr; i += 2)
		mslab_cache_free(s, objs[i]);
	validate(test, s);
	for (i = 1; i < nr; i += 2)
		mslab_cache_free(s, objs[i]);
	KUNIT_ASSERT_EQ(test, mslab_cache_alloc_bulk(s, GFP_KERNEL, 64, objs),
			64);
	validate(test, s);
	mslab_cache_free_bulk(s, 64, objs);
	validate(test, s);
	KUNIT_EXPECT_EQ(test, 0, *errors);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(s), 0UL);
}

static void validate_left_red_zone(struct kunit *test)
{
	int *errors = mslab_test_count_errors(test);
	struct mslab_cache *s;
	u8 *p;

	s = debug_cache(test, "kunit-dbg-left-rz", 64, SLAB_RED_ZONE);
	p = mslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	p[-1] = 0;
	validate(test, s);
	KUNIT_EXPECT_EQ(test, 2, *errors);
	validate(test, s);
	KUNIT_EXPECT_EQ(test, 2, *errors);
	mslab_cache_free(s, p);
}

/* Poisoned caches: the word padding after an object, and the slab's end. */
static void validate_padding(struct kunit *test)
{
	int *errors = mslab_test_count_errors(test);
	struct mslab_slab *slab;
	struct mslab_cache *s;
	u8 *p, *end;

	s = debug_cache(test, "kunit-dbg-padding", 60, SLAB_POISON);
	p = mslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	p[61] = 0;
	validate(test, s);
	KUNIT_EXPECT_EQ(test, 2, *errors);

	slab = mslab_virt_to_slab(p);
	end = slab->base - s->layout->red_left_pad + (PAGE_SIZE << slab->order);
	KUNIT_ASSERT_NE(test, (PAGE_SIZE << slab->order) % s->layout->size, 0UL);
	end[-1] = 0;
	validate(test, s);
	KUNIT_EXPECT_EQ(test, 4, *errors);
	validate(test, s);
	KUNIT_EXPECT_EQ(test, 4, *errors);
	mslab_cache_free(s, p);
}

/* A corrupted inuse count is found and repaired. */
static void validate_inuse_count(struct kunit *test)
{
	int *errors = mslab_test_count_errors(test);
	struct mslab_slab *slab;
	struct mslab_cache *s;
	void *p;

	s = debug_cache(test, "kunit-dbg-inuse", 64, SLAB_RED_ZONE);
	p = mslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	slab = mslab_virt_to_slab(p);
	slab->inuse = 5;
	validate(test, s);
	KUNIT_EXPECT_EQ(test, 2, *errors);
	KUNIT_EXPECT_EQ(test, mslab_slab_inuse(slab), 1U);
	mslab_cache_free(s, p);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(s), 0UL);
}

static struct kunit_case mslab_debug_test_cases[] = {
	KUNIT_CASE_PARAM(layout_matches_calculate_sizes, layout_gen_params),
	KUNIT_CASE(layout_with_tracks),
	KUNIT_CASE(ksize_is_object_size),
	KUNIT_CASE(patterns_on_alloc_and_free),
	KUNIT_CASE(test_clobber_zone),
	KUNIT_CASE(test_next_pointer),
	KUNIT_CASE(test_first_word),
	KUNIT_CASE(test_clobber_50th_byte),
	KUNIT_CASE(test_clobber_redzone_free),
	KUNIT_CASE(test_kmalloc_redzone_access),
	KUNIT_CASE_PARAM(test_kfree_rcu, kfree_rcu_flags_gen_params),
	KUNIT_CASE(test_leak_destroy),
	KUNIT_CASE(double_free_checked),
	KUNIT_CASE(double_free_unchecked),
	KUNIT_CASE(free_to_wrong_cache),
	KUNIT_CASE(free_checks_red_zone),
	KUNIT_CASE(alloc_checks_poison),
	KUNIT_CASE(corrupt_freelist_not_followed),
	KUNIT_CASE(validate_refuses_non_debug_cache),
	KUNIT_CASE(validate_clean_cache),
	KUNIT_CASE(validate_left_red_zone),
	KUNIT_CASE(validate_padding),
	KUNIT_CASE(validate_inuse_count),
	{}
};

static struct kunit_suite mslab_debug_test_suite = {
	.name = "mslab_debug",
	.test_cases = mslab_debug_test_cases,
};

kunit_test_suites(&mslab_debug_test_suite);
