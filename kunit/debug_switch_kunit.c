// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "mslab_debug_switch", switching debugging at run time
 * (debug_switch.c): each debug flag switched on and off while objects are live,
 * the old objects still freed by the rules they were allocated with, the new
 * ones checked, the slabs of each layout counted, sheaves set aside while
 * debugging is on, a red zone on a 32 KiB cache given a higher order (as SLUB
 * does), a flag that is no debug flag refused with nothing changed,
 * alloc_traces grouping many sites, and switches racing with allocations and
 * frees.
 */

#include <linux/completion.h>
#include <linux/ctype.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/poison.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <kunit/test.h>

#include "mslab_kunit.h"

#define LIVE	40

struct flag_case {
	const char *desc;
	slab_flags_t flag;
};

static const struct flag_case flag_cases[] = {
	{ "F", SLAB_CONSISTENCY_CHECKS },
	{ "Z", SLAB_RED_ZONE },
	{ "P", SLAB_POISON },
	{ "U", SLAB_STORE_USER },
	{ "FZPU", MSLAB_DEBUG_DEFAULT_FLAGS },
};

KUNIT_ARRAY_PARAM_DESC(flag, flag_cases, desc);

static void alloc_all(struct kunit *test, struct mslab_cache *s, void **p,
		      unsigned int n, u8 fill)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		p[i] = mslab_cache_alloc(s, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
		memset(p[i], fill, s->object_size);
	}
}

/* Every object of @p still holds @fill, then goes back to @s. */
static void check_and_free_all(struct kunit *test, struct mslab_cache *s,
			       void **p, unsigned int n, u8 fill)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_NULL(test, memchr_inv(p[i], fill, s->object_size));
		mslab_cache_free(s, p[i]);
	}
}

static struct mslab_slab *slab_of(void *p)
{
	return mslab_virt_to_slab(p);
}

/* The "slabs=" figure of a layout's line in the sysfs file "layouts". */
static long layouts_figure(struct kunit *test, struct mslab_cache *s,
			   const char *flags)
{
	char *buf, *line;
	long slabs = -1;

	buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_GT(test, mslab_layouts_show(s, buf), 0);
	for (line = buf; line && *line; line = strchr(line, '\n') + 1) {
		size_t len = strlen(flags);
		char *f;

		if (strncmp(line, flags, len) || line[len] != ' ')
			continue;
		f = strstr(line, "slabs=");
		KUNIT_ASSERT_NOT_NULL(test, f);
		f = strsep(&f, "\n ");	/* "slabs=N", up to what follows */
		KUNIT_ASSERT_EQ(test, kstrtol(f + strlen("slabs="), 10, &slabs),
				0);
		break;
	}
	return slabs;
}

/*
 * Switch a flag on with objects live: they stay where they are, new ones
 * come from slabs of the new layout, both kinds are freed correctly, and
 * validate finds nothing wrong. Then off again.
 */
static void switch_flag_with_live_objects(struct kunit *test)
{
	const struct flag_case *c = test->param_value;
	int *errors = mslab_test_count_errors(test);
	void *old[LIVE], *new[LIVE], *after[LIVE];
	struct mslab_layout *debug;
	struct mslab_cache *s;
	unsigned int i;

	s = mslab_test_cache(test, mslab_test_name(test, "kunit-switch-%s",
						   c->desc), 100, 0, 0, NULL);
	alloc_all(test, s, old, LIVE, 0x11);
	KUNIT_EXPECT_PTR_EQ(test, s->layout, &s->plain);

	KUNIT_ASSERT_EQ(test, mslab_cache_set_debug(s, c->flag, c->flag), 0);
	debug = s->layout;
	KUNIT_EXPECT_PTR_NE(test, debug, &s->plain);
	KUNIT_EXPECT_EQ(test, s->flags & MSLAB_DEBUG_FLAGS, c->flag);
	KUNIT_EXPECT_EQ(test, debug->flags & MSLAB_DEBUG_FLAGS, c->flag);
	/* Each CPU gave its slabs back: no fast path is left. */
	KUNIT_EXPECT_NULL(test, READ_ONCE(mslab_test_cpu(s)->slab));
	KUNIT_EXPECT_NULL(test, READ_ONCE(mslab_test_cpu(s)->partial));

	alloc_all(test, s, new, LIVE, 0x22);
	for (i = 0; i < LIVE; i++) {
		KUNIT_EXPECT_PTR_EQ(test, slab_of(old[i])->layout, &s->plain);
		KUNIT_EXPECT_PTR_EQ(test, slab_of(new[i])->layout, debug);
	}
	KUNIT_EXPECT_GT(test, mslab_layout_nr_slabs(s, debug), 0L);
	KUNIT_EXPECT_EQ(test, layouts_figure(test, s, c->desc),
			mslab_layout_nr_slabs(s, debug));
	KUNIT_EXPECT_EQ(test, layouts_figure(test, s, "-"),
			mslab_layout_nr_slabs(s, &s->plain));
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(s), 2UL * LIVE);
	KUNIT_EXPECT_EQ(test, mslab_validate_cache(s), 0);

	/* The old objects go back by the plain rules, then their slabs. */
	check_and_free_all(test, s, old, LIVE, 0x11);
	mslab_cache_shrink(s);
	KUNIT_EXPECT_EQ(test, mslab_layout_nr_slabs(s, &s->plain), 0L);

	/* Off again, with the debug objects live. */
	KUNIT_ASSERT_EQ(test, mslab_cache_set_debug(s, c->flag, 0), 0);
	KUNIT_EXPECT_PTR_EQ(test, s->layout, &s->plain);
	KUNIT_EXPECT_EQ(test, s->flags & MSLAB_DEBUG_FLAGS, 0);
	alloc_all(test, s, after, LIVE, 0x33);
	for (i = 0; i < LIVE; i++)
		KUNIT_EXPECT_PTR_EQ(test, slab_of(after[i])->layout,
				    &s->plain);
	/* The debug slabs can still be checked. */
	KUNIT_EXPECT_EQ(test, mslab_validate_cache(s), 0);
	check_and_free_all(test, s, new, LIVE, 0x22);
	check_and_free_all(test, s, after, LIVE, 0x33);

	KUNIT_EXPECT_EQ(test, mslab_count_inuse(s), 0UL);
	mslab_cache_shrink(s);
	/* Retired debug slabs went back to the buddy allocator once empty. */
	KUNIT_EXPECT_EQ(test, mslab_layout_nr_slabs(s, debug), 0L);
	KUNIT_EXPECT_EQ(test, *errors, 0);
}

/* What each flag brings to the objects allocated after the switch. */
static void switched_flag_takes_effect(struct kunit *test)
{
	const struct flag_case *c = test->param_value;
	int *errors = mslab_test_count_errors(test);
	struct mslab_cache *s;
	unsigned long addr, when;
	unsigned int handle;
	int cpu, pid;
	u8 *p, *q;

	s = mslab_test_cache(test, mslab_test_name(test, "kunit-effect-%s",
						   c->desc), 64, 0, 0, NULL);
	q = mslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, q);
	KUNIT_ASSERT_EQ(test, mslab_cache_set_debug(s, c->flag, c->flag), 0);
	p = mslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);

	if (c->flag & SLAB_STORE_USER) {
		mslab_debug_track(slab_of(p), p, true, &addr, &handle, &cpu,
				  &pid, &when);
		KUNIT_EXPECT_NE(test, addr, 0UL);
		KUNIT_EXPECT_EQ(test, pid, current->pid);
	}
	if (c->flag & SLAB_RED_ZONE) {
		/* An overflow of the new object is found... */
		p[64] = 0x12;
		KUNIT_EXPECT_EQ(test, mslab_validate_cache(s), 0);
		KUNIT_EXPECT_EQ(test, *errors, 2);
		*errors = 0;
	}
	mslab_cache_free(s, p);
	if (c->flag & SLAB_POISON) {
		/* ...and so is a write after free, */
		KUNIT_EXPECT_EQ(test, p[0], POISON_FREE);
		p[10] = 0x9a;
		KUNIT_EXPECT_EQ(test, mslab_validate_cache(s), 0);
		KUNIT_EXPECT_EQ(test, *errors, 2);
		*errors = 0;
	}
	if (c->flag & SLAB_CONSISTENCY_CHECKS) {
		/* ...and a double free of it, */
		p = mslab_cache_alloc(s, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, p);
		mslab_cache_free(s, p);
		mslab_cache_free(s, p);
		KUNIT_EXPECT_GT(test, *errors, 0);
		*errors = 0;
	}
	/* ...but the object from before the switch has no metadata. */
	mslab_cache_free(s, q);
	KUNIT_EXPECT_EQ(test, mslab_validate_cache(s), 0);
	KUNIT_EXPECT_EQ(test, *errors, 0);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(s), 0UL);
}

/* A cache created with debugging loses it for new slabs, and regains it. */
static void switch_created_debug_cache(struct kunit *test)
{
	int *errors = mslab_test_count_errors(test);
	struct mslab_layout *created;
	struct mslab_cache *s;
	void *p[LIVE], *q[LIVE];
	unsigned int i;

	s = mslab_test_cache(test, "kunit-switch-created", 200, 0,
			     SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER,
			     NULL);
	created = s->layout;
	alloc_all(test, s, p, LIVE, 0x44);
	KUNIT_ASSERT_EQ(test, mslab_cache_set_debug(s, MSLAB_DEBUG_FLAGS, 0),
			0);
	/* Plain objects, from the fast path. */
	alloc_all(test, s, q, LIVE, 0x55);
	for (i = 0; i < LIVE; i++)
		KUNIT_EXPECT_PTR_EQ(test, slab_of(q[i])->layout, &s->plain);
	KUNIT_EXPECT_NOT_NULL(test, READ_ONCE(mslab_test_cpu(s)->slab));
	KUNIT_EXPECT_EQ(test, s->plain.size, 200U);

	/* Back to the layout it was created with, the same object. */
	KUNIT_ASSERT_EQ(test,
			mslab_cache_set_debug(s, MSLAB_DEBUG_FLAGS,
					      SLAB_RED_ZONE | SLAB_POISON |
					      SLAB_STORE_USER), 0);
	KUNIT_EXPECT_PTR_EQ(test, s->layout, created);
	check_and_free_all(test, s, q, LIVE, 0x55);
	check_and_free_all(test, s, p, LIVE, 0x44);
	KUNIT_EXPECT_EQ(test, mslab_validate_cache(s), 0);
	KUNIT_EXPECT_EQ(test, *errors, 0);
	mslab_cache_shrink(s);
	KUNIT_EXPECT_EQ(test, mslab_layout_nr_slabs(s, &s->plain), 0L);
}

/* A cache with sheaves sets them aside while debugging is on. */
static void switch_sheaf_cache(struct kunit *test)
{
	struct mslab_cache_args args = { .front_end = MSLAB_FRONT_SHEAVES };
	int *errors = mslab_test_count_errors(test);
	void *p[LIVE], *q[LIVE];
	struct mslab_cache *s;
	unsigned long fast;
	unsigned int i;

	s = mslab_cache_create_args("kunit-switch-sheaves", 128, &args, 0);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test,
						  mslab_cache_destroy_action,
						  s));
	KUNIT_ASSERT_GT(test, s->sheaf_capacity, 0U);
	alloc_all(test, s, p, LIVE, 0x66);
	for (i = 0; i < LIVE / 2; i++)
		mslab_cache_free(s, p[i]);	/* into the sheaves */

	KUNIT_ASSERT_EQ(test, mslab_cache_set_debug(s, SLAB_RED_ZONE,
						    SLAB_RED_ZONE), 0);
	KUNIT_EXPECT_FALSE(test, mslab_use_sheaves(s));
	fast = mslab_stat_sum(s, ALLOC_FASTPATH);
	alloc_all(test, s, q, LIVE, 0x77);
	/* Not from the sheaves, which were flushed: from red-zoned slabs. */
	KUNIT_EXPECT_EQ(test, mslab_stat_sum(s, ALLOC_FASTPATH), fast);
	for (i = 0; i < LIVE; i++)
		KUNIT_EXPECT_TRUE(test, slab_of(q[i])->layout->flags &
					SLAB_RED_ZONE);
	check_and_free_all(test, s, p + LIVE / 2, LIVE / 2, 0x66);

	KUNIT_ASSERT_EQ(test, mslab_cache_set_debug(s, SLAB_RED_ZONE, 0), 0);
	KUNIT_EXPECT_TRUE(test, mslab_use_sheaves(s));
	check_and_free_all(test, s, q, LIVE, 0x77);
	/* The first refills a sheaf, the second takes from it. */
	alloc_all(test, s, p, 2, 0x88);
	check_and_free_all(test, s, p, 2, 0x88);
	KUNIT_EXPECT_GT(test, mslab_stat_sum(s, ALLOC_FASTPATH), fast);
	/* No debug slab is left: the red-zoned ones went once empty. */
	KUNIT_EXPECT_EQ(test, mslab_validate_cache(s), -EINVAL);
	KUNIT_EXPECT_EQ(test, *errors, 0);
}

/* Owner tracking switched on for a kmalloc cache records the size asked. */
static void switch_kmalloc_orig_size(struct kunit *test)
{
	int *errors = mslab_test_count_errors(test);
	struct mslab_cache *s;
	u8 *p;

	s = mslab_test_cache(test, "kunit-switch-kmalloc", 32, 0,
			     SLAB_KMALLOC, NULL);
	KUNIT_ASSERT_EQ(test,
			mslab_cache_set_debug(s, MSLAB_DEBUG_FLAGS,
					      SLAB_RED_ZONE | SLAB_STORE_USER),
			0);
	p = mslab_debug_kmalloc(s, GFP_KERNEL | __GFP_ZERO, 18);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_NULL(test, memchr_inv(p, 0, 18));
	/* Bytes 18..31 are the kmalloc red zone: zeroing left them alone. */
	KUNIT_EXPECT_EQ(test, mslab_validate_cache(s), 0);
	KUNIT_EXPECT_EQ(test, *errors, 0);
	OPTIMIZER_HIDE_VAR(p);
	p[20] = 0xab;
	KUNIT_EXPECT_EQ(test, mslab_validate_cache(s), 0);
	KUNIT_EXPECT_EQ(test, *errors, 2);
	mslab_cache_free(s, p);
}

static void plain_again(void *cache)
{
	mslab_cache_set_debug(cache, MSLAB_DEBUG_FLAGS, 0);
}

/*
 * mslab-kmalloc-32, where mslab_kmalloc(18) goes, with red zones and owner
 * tracking until the test ends: the kmalloc red zone is its bytes 18..31.
 */
static struct mslab_cache *kmalloc_32_with_redzone(struct kunit *test)
{
	struct mslab_cache *s = mslab_kmalloc_caches[mslab_kmalloc_index(18)];

	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_EQ(test, s->object_size, 32U);
	KUNIT_ASSERT_EQ(test, s->flags & MSLAB_DEBUG_FLAGS, 0);
	KUNIT_ASSERT_EQ(test,
			mslab_cache_set_debug(s, MSLAB_DEBUG_FLAGS,
					      SLAB_RED_ZONE | SLAB_STORE_USER),
			0);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, plain_again,
							   s));
	return s;
}

/*
 * mslab_kmalloc() itself records the size asked for once a size class has
 * owner tracking, and red-zones the rest of the object (SLUB's kmalloc red
 * zone, lib/slub_kunit.c's test_kmalloc_redzone_access through the real
 * kmalloc path).
 */
static void kmalloc_records_orig_size(struct kunit *test)
{
	int *errors = mslab_test_count_errors(test);
	struct mslab_cache *s;
	u8 *p;

	s = kmalloc_32_with_redzone(test);

	p = mslab_kmalloc(18, GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_PTR_EQ(test, slab_of(p)->cache, s);
	KUNIT_EXPECT_NULL(test, memchr_inv(p, 0, 18));
	KUNIT_EXPECT_EQ(test, mslab_validate_cache(s), 0);
	KUNIT_EXPECT_EQ(test, *errors, 0);

	OPTIMIZER_HIDE_VAR(p);
	p[18] = 0xab;
	p[19] = 0xab;
	KUNIT_EXPECT_EQ(test, mslab_validate_cache(s), 0);
	KUNIT_EXPECT_EQ(test, *errors, 2);
	mslab_kfree(p);
}

/*
 * ksize() says the whole object may be used: as SLUB's
 * skip_orig_size_check(), the kmalloc red zone of that object is gone, so
 * krealloc() growing in place (zeroing the new bytes for __GFP_ZERO),
 * kfree_sensitive() zeroing ksize() bytes, and a user writing what ksize()
 * promised are no overwrites; validate leaves those bytes alone.
 */
static void ksize_lifts_kmalloc_redzone(struct kunit *test)
{
	int *errors = mslab_test_count_errors(test);
	struct mslab_cache *s;
	u8 *p, *q;

	s = kmalloc_32_with_redzone(test);

	/* krealloc(p, 20, __GFP_ZERO) of an 18-byte object: in place. */
	p = mslab_kmalloc(18, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	memset(p, 0x11, 18);
	q = mslab_krealloc(p, 20, GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_PTR_EQ(test, p, q);
	KUNIT_EXPECT_NULL(test, memchr_inv(q, 0x11, 18));
	KUNIT_EXPECT_NULL(test, memchr_inv(q + 18, 0, 2));
	KUNIT_EXPECT_EQ(test, mslab_validate_cache(s), 0);
	KUNIT_EXPECT_EQ(test, *errors, 0);
	mslab_kfree(q);
	KUNIT_EXPECT_EQ(test, *errors, 0);

	/* Writing all of what ksize() gave: validate keeps the bytes. */
	p = mslab_kmalloc(18, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_EQ(test, mslab_ksize(p), 32);
	memset(p, 0x22, mslab_ksize(p));
	KUNIT_EXPECT_EQ(test, mslab_validate_cache(s), 0);
	KUNIT_EXPECT_NULL(test, memchr_inv(p, 0x22, 32));
	KUNIT_EXPECT_EQ(test, *errors, 0);

	/* kfree_sensitive() zeroes ksize() bytes before freeing. */
	memzero_explicit(p, mslab_ksize(p));
	mslab_kfree(p);
	KUNIT_EXPECT_EQ(test, mslab_validate_cache(s), 0);
	KUNIT_EXPECT_EQ(test, *errors, 0);
}

static noinline void *traces_kmalloc(size_t size)
{
	void *p = mslab_kmalloc(size, GFP_KERNEL);

	/* Not a tail call: the caller recorded must be this function. */
	OPTIMIZER_HIDE_VAR(p);
	return p;
}

/*
 * alloc_traces of a size class with owner tracking switched on: the site
 * and, as SLUB's, the bytes of each object beyond the size asked for.
 */
static void kmalloc_traces_show_waste(struct kunit *test)
{
	struct seq_file seq = { };
	struct mslab_cache *s;
	void *p[3];
	unsigned int i;

	s = mslab_kmalloc_caches[mslab_kmalloc_index(18)];
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_EQ(test, mslab_cache_set_debug(s, SLAB_STORE_USER,
						    SLAB_STORE_USER), 0);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, plain_again,
							   s));
	for (i = 0; i < ARRAY_SIZE(p); i++) {
		p[i] = traces_kmalloc(18);
		KUNIT_ASSERT_NOT_NULL(test, p[i]);
	}

	seq.size = 4 * PAGE_SIZE;
	seq.buf = kunit_kzalloc(test, seq.size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, seq.buf);
	seq.private = s;
	KUNIT_EXPECT_EQ(test, mslab_traces_show(&seq, true), 0);
	kunit_info(test, "%.*s", (int)min_t(size_t, seq.count, 200), seq.buf);
	/* 3 objects of 32 bytes for 18 asked: 14 each, 42 in all. */
	KUNIT_EXPECT_NOT_NULL(test,
			      strnstr(seq.buf, " traces_kmalloc", seq.count));
	KUNIT_EXPECT_NOT_NULL(test,
			      strnstr(seq.buf, " waste=42/14 ", seq.count));
	for (i = 0; i < ARRAY_SIZE(p); i++)
		mslab_kfree(p[i]);
}

#define TRACE_SITES	300

/*
 * alloc_traces groups objects by site through a table sorted by site (as
 * SLUB's): 300 sites met in a scrambled order, site i holding i % 4 + 1
 * objects, give one line per site with its own count, most first.
 */
static void traces_group_many_sites(struct kunit *test)
{
	unsigned long base = (unsigned long)traces_group_many_sites;
	unsigned int i, j, site, lines = 0, total = 0, prev = UINT_MAX, n = 0;
	struct seq_file seq = { };
	struct mslab_cache *s;
	unsigned long count;
	const char *line;
	void **p;

	s = mslab_test_cache(test, "kunit-traces-sites", 32, 0,
			     SLAB_STORE_USER, NULL);
	p = kunit_kcalloc(test, TRACE_SITES * 4, sizeof(*p), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	for (i = 0; i < TRACE_SITES; i++) {
		/* 7 is prime to 300: every site once, out of order. */
		site = (i * 7) % TRACE_SITES;
		for (j = 0; j <= site % 4; j++) {
			p[n] = mslab_alloc_caller(s, GFP_KERNEL, NUMA_NO_NODE,
						  0, base + 4 * site);
			KUNIT_ASSERT_NOT_NULL(test, p[n]);
			n++;
		}
	}

	seq.size = 64 * PAGE_SIZE;
	seq.buf = kunit_kzalloc(test, seq.size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, seq.buf);
	seq.private = s;
	KUNIT_ASSERT_EQ(test, mslab_traces_show(&seq, true), 0);
	KUNIT_ASSERT_LT(test, seq.count, seq.size);
	/* Site lines: a count right-aligned in 7 columns; stack lines: 8 spaces. */
	for (line = seq.buf; line < seq.buf + seq.count;
	     line = strchrnul(line, '\n') + 1) {
		if (!isdigit(line[6]) || line[7] != ' ' ||
		    sscanf(line, "%lu", &count) != 1)
			continue;
		lines++;
		total += count;
		KUNIT_EXPECT_LE(test, count, (unsigned long)prev);
		prev = count;
	}
	KUNIT_EXPECT_EQ(test, lines, TRACE_SITES);
	KUNIT_EXPECT_EQ(test, total, n);
	for (i = 0; i < n; i++)
		mslab_cache_free(s, p[i]);
}

/*
 * T (SLAB_TRACE) logs each allocation and free of a traced slab: a debug
 * layout of the plain geometry, so allocations leave the fast path. (The
 * log lines themselves are checked in QEMU, mslab_leak.sh.)
 */
static void trace_is_a_debug_layout(struct kunit *test)
{
	int *errors = mslab_test_count_errors(test);
	unsigned long fast, slow;
	struct mslab_cache *s;
	void *p[2];

	s = mslab_test_cache(test, "kunit-trace", 64, 0, 0, NULL);
	KUNIT_ASSERT_EQ(test, mslab_cache_set_debug(s, SLAB_TRACE, SLAB_TRACE),
			0);
	KUNIT_EXPECT_TRUE(test, s->layout->flags & SLAB_TRACE);
	KUNIT_EXPECT_EQ(test, s->layout->size, s->plain.size);
	KUNIT_EXPECT_EQ(test, s->layout->offset, s->plain.offset);
	fast = mslab_stat_sum(s, ALLOC_FASTPATH);
	slow = mslab_stat_sum(s, ALLOC_SLOWPATH);
	alloc_all(test, s, p, ARRAY_SIZE(p), 0x5a);
	KUNIT_EXPECT_EQ(test, mslab_stat_sum(s, ALLOC_FASTPATH), fast);
	KUNIT_EXPECT_EQ(test, mslab_stat_sum(s, ALLOC_SLOWPATH), slow + 2);
	KUNIT_EXPECT_TRUE(test, slab_of(p[0])->layout->flags & SLAB_TRACE);
	KUNIT_EXPECT_EQ(test, mslab_validate_cache(s), 0);
	check_and_free_all(test, s, p, ARRAY_SIZE(p), 0x5a);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(s), 0UL);
	KUNIT_EXPECT_EQ(test, *errors, 0);
}

/*
 * A red zone on a 32 KiB cache makes its stride larger than a slab of
 * slub_max_order: SLUB gives such a layout the order of one object (4),
 * and so does mslab, with the cache's old slabs still in use. A flag
 * outside the debug flags is refused, and nothing changes.
 */
static void switch_beyond_max_order(struct kunit *test)
{
	struct mslab_cache *s;
	struct mslab_slab *slab;
	void *p, *q;

	s = mslab_test_cache(test, "kunit-switch-big", PAGE_SIZE << 3, 0, 0,
			     NULL);
	p = mslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, mslab_cache_set_debug(s, SLAB_NOLEAKTRACE,
						    SLAB_NOLEAKTRACE),
			-EINVAL);
	KUNIT_EXPECT_PTR_EQ(test, s->layout, &s->plain);
	KUNIT_ASSERT_EQ(test, mslab_cache_set_debug(s, SLAB_RED_ZONE,
						    SLAB_RED_ZONE), 0);
	KUNIT_EXPECT_TRUE(test, s->flags & SLAB_RED_ZONE);
	KUNIT_EXPECT_EQ(test, mslab_oo_order(s->layout->oo), MSLAB_MAX_ORDER + 1);
	KUNIT_EXPECT_EQ(test, mslab_oo_objects(s->layout->oo), 1U);
	q = mslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, q);
	slab = slab_of(q);
	KUNIT_EXPECT_EQ(test, slab->order, MSLAB_MAX_ORDER + 1);
	KUNIT_EXPECT_TRUE(test, slab->layout->flags & SLAB_RED_ZONE);
	memset(q, 0x5a, PAGE_SIZE << 3);
	KUNIT_EXPECT_EQ(test, mslab_validate_cache(s), 0);
	mslab_cache_free(s, q);
	mslab_cache_free(s, p);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(s), 0UL);
}

/* So does creating such a cache with a red zone (slab_debug=Z). */
static void create_red_zone_beyond_max_order(struct kunit *test)
{
	struct mslab_cache *s;
	void *p;

	s = mslab_test_cache(test, "kunit-create-big-z", PAGE_SIZE << 3, 0,
			     SLAB_RED_ZONE, NULL);
	KUNIT_EXPECT_EQ(test, mslab_oo_order(s->layout->oo), MSLAB_MAX_ORDER + 1);
	p = mslab_cache_alloc(s, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	memset(p, 0xa5, PAGE_SIZE << 3);
	KUNIT_EXPECT_EQ(test, mslab_validate_cache(s), 0);
	mslab_cache_free(s, p);
}

/* === Switches racing with allocations and frees ========================= */

struct churn {
	struct mslab_cache *s;
	struct completion done;
	unsigned long rounds;
	unsigned long bad;
	bool stop;
};

#define CHURN_OBJS	64

static int churn_thread(void *arg)
{
	struct churn *ch = arg;
	void *p[CHURN_OBJS];
	unsigned int i;

	while (!READ_ONCE(ch->stop)) {
		for (i = 0; i < CHURN_OBJS; i++) {
			p[i] = mslab_cache_alloc(ch->s, GFP_KERNEL);
			if (p[i])
				memset(p[i], i, ch->s->object_size);
		}
		for (i = 0; i < CHURN_OBJS; i++) {
			if (!p[i] ||
			    memchr_inv(p[i], i, ch->s->object_size))
				ch->bad++;
			mslab_cache_free(ch->s, p[i]);
		}
		ch->rounds++;
		cond_resched();
	}
	complete(&ch->done);
	return 0;
}

static void switch_while_allocating(struct kunit *test)
{
	static const slab_flags_t cycle[] = {
		SLAB_RED_ZONE, SLAB_POISON | SLAB_STORE_USER, 0,
		MSLAB_DEBUG_DEFAULT_FLAGS, SLAB_CONSISTENCY_CHECKS, 0,
	};
	int *errors = mslab_test_count_errors(test);
	struct task_struct *task;
	struct churn *ch;
	unsigned int i;

	ch = kunit_kzalloc(test, sizeof(*ch), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ch);
	ch->s = mslab_test_cache(test, "kunit-switch-race", 72, 0, 0, NULL);
	init_completion(&ch->done);
	task = kthread_run(churn_thread, ch, "mslab-churn");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));

	for (i = 0; i < 5 * ARRAY_SIZE(cycle); i++) {
		int ret;

		KUNIT_EXPECT_EQ(test,
				mslab_cache_set_debug(ch->s, MSLAB_DEBUG_FLAGS,
						      cycle[i % ARRAY_SIZE(cycle)]),
				0);
		usleep_range(1000, 2000);
		/* Racing too; -EINVAL when no debug slab exists right now. */
		ret = mslab_validate_cache(ch->s);
		KUNIT_EXPECT_TRUE_MSG(test, ret == 0 || ret == -EINVAL,
				      "validate: %d", ret);
	}
	WRITE_ONCE(ch->stop, true);
	wait_for_completion(&ch->done);

	KUNIT_EXPECT_GT(test, ch->rounds, 0UL);
	KUNIT_EXPECT_EQ(test, ch->bad, 0UL);
	KUNIT_EXPECT_EQ(test, *errors, 0);
	mslab_cache_shrink(ch->s);
	KUNIT_EXPECT_EQ(test, mslab_count_inuse(ch->s), 0UL);
	KUNIT_EXPECT_EQ(test, mslab_test_nr_slabs(ch->s), 0L);
}

static struct kunit_case mslab_layout_test_cases[] = {
	KUNIT_CASE_PARAM(switch_flag_with_live_objects, flag_gen_params),
	KUNIT_CASE_PARAM(switched_flag_takes_effect, flag_gen_params),
	KUNIT_CASE(switch_created_debug_cache),
	KUNIT_CASE(switch_sheaf_cache),
	KUNIT_CASE(switch_kmalloc_orig_size),
	KUNIT_CASE(kmalloc_records_orig_size),
	KUNIT_CASE(ksize_lifts_kmalloc_redzone),
	KUNIT_CASE(kmalloc_traces_show_waste),
	KUNIT_CASE(traces_group_many_sites),
	KUNIT_CASE(trace_is_a_debug_layout),
	KUNIT_CASE(switch_beyond_max_order),
	KUNIT_CASE(create_red_zone_beyond_max_order),
	KUNIT_CASE_SLOW(switch_while_allocating),
	{}
};

static struct kunit_suite mslab_layout_test_suite = {
	.name = "mslab_debug_switch",
	.test_cases = mslab_layout_test_cases,
};

kunit_test_suites(&mslab_layout_test_suite);
