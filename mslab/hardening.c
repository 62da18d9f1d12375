// SPDX-License-Identifier: GPL-2.0
/*
 * mslab freelist hardening, on by default as in Debian's kernel:
 *
 *  - encoded free pointers (SLUB's CONFIG_SLAB_FREELIST_HARDENED): see
 *    mslab_set_freepointer() in mslab.h; each cache draws its key here;
 *  - randomised freelists (SLUB's CONFIG_SLAB_FREELIST_RANDOM,
 *    init_cache_random_seq() and shuffle_freelist()): each cache has a
 *    random permutation of its object offsets, and each new slab links its
 *    free objects in that order from a random start, so where the next
 *    allocation lands is not predictable from the last.
 *
 * Both are chosen when a cache is created, from the module parameters
 * "hardened" and "random_freelist", so their cost can be measured A/B; every
 * layout of the cache (debug_switch.c) shares its key and has its own order.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/moduleparam.h>
#include <linux/random.h>
#include <linux/slab.h>

#include <kunit/visibility.h>

#include "cache.h"
#include "slab.h"

bool mslab_hardened = true;
EXPORT_SYMBOL_IF_KUNIT(mslab_hardened);
module_param_named(hardened, mslab_hardened, bool, 0644);
MODULE_PARM_DESC(hardened,
		 "Store free pointers encoded in caches created from now on (default: yes)");

bool mslab_random_freelist = true;
EXPORT_SYMBOL_IF_KUNIT(mslab_random_freelist);
module_param_named(random_freelist, mslab_random_freelist, bool, 0644);
MODULE_PARM_DESC(random_freelist,
		 "Link new slabs' free objects in a random order in caches created from now on (default: yes)");

/**
 * mslab_hardening_init() - choose a new cache's hardening
 * @s: the cache, before its layouts are computed: each copies the key
 */
void mslab_hardening_init(struct mslab_cache *s)
{
	s->plain.random = 0;
	if (READ_ONCE(mslab_hardened)) {
		/* 0 means "not hardened": draw until it is not. */
		do {
			s->plain.random = get_random_long();
		} while (!s->plain.random);
	}
	s->random_freelist = READ_ONCE(mslab_random_freelist);
}

/**
 * mslab_layout_randomize() - draw a layout's random object order
 * @s: the cache
 * @l: one of its layouts, computed and not yet in use
 *
 * Return: 0 or -ENOMEM.
 */
int mslab_layout_randomize(struct mslab_cache *s, struct mslab_layout *l)
{
	unsigned int count = mslab_oo_objects(l->oo), i;

	if (!s->random_freelist || count < 2)
		return 0;

	l->random_seq = kcalloc(count, sizeof(*l->random_seq), GFP_KERNEL);
	if (!l->random_seq)
		return -ENOMEM;
	for (i = 0; i < count; i++)
		l->random_seq[i] = i;
	/* Fisher-Yates, as the kernel's freelist_randomize(). */
	for (i = count - 1; i > 0; i--) {
		/* Not inside swap(), which evaluates its arguments twice. */
		unsigned int j = get_random_u32_below(i + 1);

		swap(l->random_seq[i], l->random_seq[j]);
	}
	/* Keep offsets, not indices: one multiplication less per object. */
	for (i = 0; i < count; i++)
		l->random_seq[i] *= l->size;
	return 0;
}

/**
 * mslab_shuffle_freelist() - link a new slab's objects in random order
 * @l: a layout with a random sequence
 * @base: the slab's first object
 * @objects: objects in this slab; fewer than the sequence holds when the
 *	     slab has the fallback order, and entries beyond are skipped
 *
 * Return: the first free object.
 */
void *mslab_shuffle_freelist(const struct mslab_layout *l, void *base,
			     unsigned int objects)
{
	unsigned int count = mslab_oo_objects(l->oo);
	unsigned int pos = get_random_u32_below(count), i;
	unsigned long limit = (unsigned long)objects * l->size;
	void *head = NULL, *prev = NULL;

	for (i = 0; i < count; i++) {
		unsigned int off = l->random_seq[(pos + i) % count];
		void *p = base + off;

		if (off >= limit)
			continue;
		if (prev)
			mslab_set_freepointer(l, prev, p);
		else
			head = p;
		prev = p;
	}
	mslab_set_freepointer(l, prev, NULL);
	return head;
}
