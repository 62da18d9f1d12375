// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "mslab_init": the kernel's init_on_alloc and init_on_free
 * boot options, as SLUB 6.12 applies them (slab_want_init_on_alloc(),
 * slab_want_init_on_free()), on every path that hands out or takes back an
 * object: the fast and slow paths of both front ends, bulk, kmalloc and
 * debug slabs. Debian boots with init_on_alloc=1, so this is what users'
 * code meets by default.
 *
 * init_on_alloc is set by the cases themselves, through the kernel's own
 * static key (exported: want_init_on_alloc() reads it from modules), and
 * restored when each case ends. init_on_free is what the kernel was booted
 * with, and each case checks what it demands. The KUnit kernel boots with
 * init_on_free=0: its own SLUB cannot run with init_on_free under KASAN
 * (its kfree() zeroes metadata KASAN guards, and KASAN reports it at boot),
 * nor have it switched at run time, so init_on_free=1 is tested in QEMU
 * with Debian's kernel, by the kernel's own lib/test_meminit.c
 * (selftests/mslab_meminit.sh). Objects are filled with garbage and freed;
 * what comes back, and what a freed object holds, is then read.
 */

#include <linux/jump_label.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <kunit/test.h>

#include "mslab.h"
#include "mslab_kunit.h"

#define GARBAGE		0xa5
#define NR_OBJECTS	64
#define OBJECT_SIZE	200
#define CTOR_BYTE	0x3c

static void set_init_on_alloc(bool on)
{
	if (on)
		static_key_enable(&init_on_alloc.key);
	else
		static_key_disable(&init_on_alloc.key);
}

static int init_suite_init(struct kunit *test)
{
	bool *saved;

	saved = kunit_kzalloc(test, sizeof(*saved), GFP_KERNEL);
	if (!saved)
		return -ENOMEM;
	*saved = static_key_enabled(&init_on_alloc.key);
	test->priv = saved;
	return 0;
}

static void init_suite_exit(struct kunit *test)
{
	bool *saved = test->priv;

	set_init_on_alloc(*saved);
}

static const enum mslab_front_end init_fronts[] = {
	MSLAB_FRONT_SLAB, MSLAB_FRONT_SHEAVES,
};

static void init_front_desc(const enum mslab_front_end *f, char *desc)
{
	strscpy(desc, *f == MSLAB_FRONT_SHEAVES ? "sheaves" : "slab",
		KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(init_front, init_fronts, init_front_desc);

static struct mslab_cache *init_cache(struct kunit *test, const char *what,
				      slab_flags_t flags, void (*ctor)(void *))
{
	const enum mslab_front_end *front = test->param_value;
	struct mslab_cache_args args = {
		.ctor = ctor,
		.front_end = front ? *front : MSLAB_FRONT_SLAB,
	};
	bool sheaves = front && *front == MSLAB_FRONT_SHEAVES;
	const char *name;

	name = mslab_test_name(test, "init-%s-%s", what,
			       sheaves ? "sheaves" : "slab");
	return mslab_test_cache_args(test, name, OBJECT_SIZE, &args, flags);
}

/* Bytes of @p[0 .. @size - 1] that are not zero. */
static unsigned int nonzero_bytes(const void *p, size_t size)
{
	const u8 *b = p;
	unsigned int n = 0;
	size_t i;

	for (i = 0; i < size; i++)
		n += b[i] != 0;
	return n;
}

/* Allocate @n objects, fill each with garbage, free them all. */
static void dirty_objects(struct kunit *test, struct mslab_cache *s,
			  void **objs, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		objs[i] = mslab_cache_alloc(s, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
		memset(objs[i], GARBAGE, s->object_size);
	}
	for (i = 0; i < n; i++)
		mslab_cache_free(s, objs[i]);
}

/* Allocate @n objects: how many hold a non-zero byte? Then free them. */
static unsigned int reallocate_dirty(struct kunit *test, struct mslab_cache *s,
				     void **objs, unsigned int n, gfp_t gfp)
{
	unsigned int i, dirty = 0;

	for (i = 0; i < n; i++) {
		objs[i] = mslab_cache_alloc(s, gfp);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
		dirty += nonzero_bytes(objs[i], s->object_size) != 0;
	}
	for (i = 0; i < n; i++)
		mslab_cache_free(s, objs[i]);
	return dirty;
}

/* init_on_alloc: reused objects come back zeroed, on both front ends. */
static void init_on_alloc_zeroes(struct kunit *test)
{
	void *objs[NR_OBJECTS];
	struct mslab_cache *s;

	set_init_on_alloc(true);
	s = init_cache(test, "alloc", 0, NULL);
	dirty_objects(test, s, objs, NR_OBJECTS);
	KUNIT_EXPECT_EQ(test, 0,
			reallocate_dirty(test, s, objs, NR_OBJECTS, GFP_KERNEL));
}

/*
 * init_on_alloc off: with init_on_free a freed object holds nothing of its
 * user's but, on a slab freelist, its free pointer, and is all zero when
 * handed out again; without it, nothing is zeroed (SLUB's rule: the reused
 * objects hold the garbage).
 */
static void init_on_free_as_booted(struct kunit *test)
{
	void *objs[NR_OBJECTS];
	struct mslab_cache *s;
	unsigned int i, fp_word;

	set_init_on_alloc(false);
	s = init_cache(test, "free", 0, NULL);
	fp_word = s->plain.offset;
	dirty_objects(test, s, objs, NR_OBJECTS);
	if (!want_init_on_free()) {
		kunit_info(test, "init_on_free=0: objects keep their contents");
		KUNIT_EXPECT_GT(test, reallocate_dirty(test, s, objs,
						       NR_OBJECTS, GFP_KERNEL), 0);
		return;
	}
	kunit_info(test, "init_on_free=1: objects are zeroed when freed");
	for (i = 0; i < NR_OBJECTS; i++) {
		u8 *p = objs[i];

		KUNIT_EXPECT_EQ_MSG(test, 0, nonzero_bytes(p, fp_word),
				    "object %u before its free pointer", i);
		KUNIT_EXPECT_EQ_MSG(test, 0,
				    nonzero_bytes(p + fp_word + sizeof(void *),
						  s->object_size - fp_word -
						  sizeof(void *)),
				    "object %u after its free pointer", i);
	}
	KUNIT_EXPECT_EQ(test, 0,
			reallocate_dirty(test, s, objs, NR_OBJECTS, GFP_KERNEL));
}

/*
 * Objects of a round that must come back zeroed: round 0 with
 * init_on_alloc, round 1 without it, where only init_on_free zeroes.
 */
static bool round_zeroes(unsigned int round)
{
	return round == 0 || want_init_on_free();
}

static const char *round_name(unsigned int round)
{
	return round ? "init_on_alloc=0" : "init_on_alloc=1";
}

/* The bulk calls, with init_on_alloc on and off. */
static void init_bulk(struct kunit *test)
{
	void *objs[NR_OBJECTS];
	struct mslab_cache *s;
	unsigned int i, dirty, round;

	s = init_cache(test, "bulk", 0, NULL);
	for (round = 0; round < 2; round++) {
		set_init_on_alloc(round == 0);
		KUNIT_ASSERT_EQ(test, NR_OBJECTS,
				mslab_cache_alloc_bulk(s, GFP_KERNEL,
						       NR_OBJECTS, objs));
		for (i = 0; i < NR_OBJECTS; i++)
			memset(objs[i], GARBAGE, s->object_size);
		mslab_cache_free_bulk(s, NR_OBJECTS, objs);

		KUNIT_ASSERT_EQ(test, NR_OBJECTS,
				mslab_cache_alloc_bulk(s, GFP_KERNEL,
						       NR_OBJECTS, objs));
		dirty = 0;
		for (i = 0; i < NR_OBJECTS; i++)
			dirty += nonzero_bytes(objs[i], s->object_size) != 0;
		if (round_zeroes(round))
			KUNIT_EXPECT_EQ_MSG(test, 0, dirty, "%s",
					    round_name(round));
		else
			KUNIT_EXPECT_GT_MSG(test, dirty, 0, "%s",
					    round_name(round));
		mslab_cache_free_bulk(s, NR_OBJECTS, objs);
	}
}

static void fill_ctor(void *object)
{
	memset(object, CTOR_BYTE, OBJECT_SIZE);
}

/*
 * Neither option touches a cache with a constructor; SLAB_TYPESAFE_BY_RCU
 * objects keep their contents across a free and are zeroed only for
 * __GFP_ZERO (SLUB's exceptions).
 */
static void init_exceptions(struct kunit *test)
{
	void *objs[NR_OBJECTS];
	struct mslab_cache *ctor, *rcu;
	unsigned int i;
	void *p;

	set_init_on_alloc(true);
	ctor = init_cache(test, "ctor", 0, fill_ctor);
	for (i = 0; i < NR_OBJECTS; i++) {
		objs[i] = mslab_cache_alloc(ctor, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
		KUNIT_EXPECT_EQ(test, CTOR_BYTE, ((u8 *)objs[i])[OBJECT_SIZE - 1]);
		KUNIT_EXPECT_EQ(test, CTOR_BYTE, ((u8 *)objs[i])[0]);
	}
	for (i = 0; i < NR_OBJECTS; i++)
		mslab_cache_free(ctor, objs[i]);

	rcu = init_cache(test, "rcu", SLAB_TYPESAFE_BY_RCU, NULL);
	p = mslab_cache_alloc(rcu, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	memset(p, GARBAGE, OBJECT_SIZE);
	rcu_read_lock();
	mslab_cache_free(rcu, p);
	/* Still readable and intact inside the read-side section. */
	KUNIT_EXPECT_EQ(test, OBJECT_SIZE, nonzero_bytes(p, OBJECT_SIZE));
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, 0,
			reallocate_dirty(test, rcu, objs, NR_OBJECTS,
					 GFP_KERNEL | __GFP_ZERO));
}

/* kmalloc: size classes and a large allocation, init_on_alloc on and off. */
static void init_kmalloc(struct kunit *test)
{
	static const size_t sizes[] = { 8, 24, 100, 192, 1000, 4096, 8192,
					20000 };
	unsigned int i, j, round, dirty;
	void *p[4];

	for (round = 0; round < 2; round++) {
		set_init_on_alloc(round == 0);
		for (i = 0; i < ARRAY_SIZE(sizes); i++) {
			dirty = 0;
			for (j = 0; j < ARRAY_SIZE(p); j++) {
				p[j] = mslab_kmalloc(sizes[i], GFP_KERNEL);
				KUNIT_ASSERT_NOT_NULL(test, p[j]);
				memset(p[j], GARBAGE, sizes[i]);
			}
			for (j = 0; j < ARRAY_SIZE(p); j++)
				mslab_kfree(p[j]);
			for (j = 0; j < ARRAY_SIZE(p); j++) {
				p[j] = mslab_kmalloc(sizes[i], GFP_KERNEL);
				KUNIT_ASSERT_NOT_NULL(test, p[j]);
				dirty += nonzero_bytes(p[j], sizes[i]) != 0;
			}
			for (j = 0; j < ARRAY_SIZE(p); j++)
				mslab_kfree(p[j]);
			/* Large ones: the page allocator's, the same options. */
			if (round_zeroes(round))
				KUNIT_EXPECT_EQ_MSG(test, 0, dirty, "size %zu, %s",
						    sizes[i], round_name(round));
			else
				KUNIT_EXPECT_GT_MSG(test, dirty, 0, "size %zu, %s",
						    sizes[i], round_name(round));
		}
	}
}

/*
 * Debug slabs: with owner tracking (U) and with red zones (Z), both options
 * apply as to plain slabs, and the checks find nothing wrong with the
 * zeroed objects.
 */
static void init_debug_slabs(struct kunit *test)
{
	static const slab_flags_t flags[] = { SLAB_STORE_USER, SLAB_RED_ZONE,
					      SLAB_CONSISTENCY_CHECKS |
					      SLAB_RED_ZONE | SLAB_STORE_USER };
	void *objs[NR_OBJECTS];
	struct mslab_cache *s;
	unsigned int i, round, dirty;
	int *errors;

	errors = mslab_test_count_errors(test);
	for (i = 0; i < ARRAY_SIZE(flags); i++) {
		s = init_cache(test, mslab_test_name(test, "debug%u", i),
			       flags[i], NULL);
		for (round = 0; round < 2; round++) {
			set_init_on_alloc(round == 0);
			dirty_objects(test, s, objs, NR_OBJECTS);
			dirty = reallocate_dirty(test, s, objs, NR_OBJECTS,
						 GFP_KERNEL);
			if (round_zeroes(round))
				KUNIT_EXPECT_EQ_MSG(test, 0, dirty, "flags %#x, %s",
						    (unsigned int)(__force u32)flags[i],
						    round_name(round));
			else
				KUNIT_EXPECT_GT_MSG(test, dirty, 0, "flags %#x, %s",
						    (unsigned int)(__force u32)flags[i],
						    round_name(round));
		}
		KUNIT_EXPECT_EQ(test, 0, mslab_validate_cache(s));
	}
	KUNIT_EXPECT_EQ(test, 0, *errors);
}

static struct kunit_case mslab_init_cases[] = {
	KUNIT_CASE_PARAM(init_on_alloc_zeroes, init_front_gen_params),
	KUNIT_CASE_PARAM(init_on_free_as_booted, init_front_gen_params),
	KUNIT_CASE_PARAM(init_bulk, init_front_gen_params),
	KUNIT_CASE_PARAM(init_exceptions, init_front_gen_params),
	KUNIT_CASE(init_kmalloc),
	KUNIT_CASE(init_debug_slabs),
	{}
};

static struct kunit_suite mslab_init_suite = {
	.name = "mslab_init",
	.init = init_suite_init,
	.exit = init_suite_exit,
	.test_cases = mslab_init_cases,
};

kunit_test_suite(mslab_init_suite);
