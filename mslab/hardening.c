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
 * "hardened" and "random_freelist", so their cost can be measured A/B.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/moduleparam.h>
#include <linux/random.h>
#include <linux/slab.h>

#include <kunit/visibility.h>

#include "mslab.h"

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
 * mslab_hardening_init() - draw a new cache's key and random order
 * @s: the cache, with its geometry set
 *
 * Return: 0 or -ENOMEM.
 */
int mslab_hardening_init(struct mslab_cache *s)
{
	unsigned int count = mslab_oo_objects(s->oo), i;

	if (READ_ONCE(mslab_hardened)) {
		/* 0 means "not hardened": draw until it is not. */
		do {
			s->random = get_random_long();
		} while (!s->random);
	}
	if (!READ_ONCE(mslab_random_freelist) || count < 2)
		return 0;

	s->random_seq = kcalloc(count, sizeof(*s->random_seq), GFP_KERNEL);
	if (!s->random_seq)
		return -ENOMEM;
	for (i = 0; i < count; i++)
		s->random_seq[i] = i;
	/* Fisher-Yates, as the kernel's freelist_randomize(). */
	for (i = count - 1; i > 0; i--) {
		/* Not inside swap(), which evaluates its arguments twice. */
		unsigned int j = get_random_u32_below(i + 1);

		swap(s->random_seq[i], s->random_seq[j]);
	}
	/* Keep offsets, not indices: one multiplication less per object. */
	for (i = 0; i < count; i++)
		s->random_seq[i] *= s->size;
	return 0;
}

void mslab_hardening_free(struct mslab_cache *s)
{
	kfree(s->random_seq);
	s->random_seq = NULL;
}

/**
 * mslab_shuffle_freelist() - link a new slab's objects in random order
 * @s: a cache with a random sequence
 * @base: the slab's first object
 * @objects: objects in this slab; fewer than the sequence holds when the
 *	     slab has the fallback order, and entries beyond are skipped
 *
 * Return: the first free object.
 */
void *mslab_shuffle_freelist(struct mslab_cache *s, void *base,
			     unsigned int objects)
{
	unsigned int count = mslab_oo_objects(s->oo);
	unsigned int pos = get_random_u32_below(count), i;
	unsigned long limit = (unsigned long)objects * s->size;
	void *head = NULL, *prev = NULL;

	for (i = 0; i < count; i++) {
		unsigned int off = s->random_seq[(pos + i) % count];
		void *p = base + off;

		if (off >= limit)
			continue;
		if (prev)
			mslab_set_freepointer(s, prev, p);
		else
			head = p;
		prev = p;
	}
	mslab_set_freepointer(s, prev, NULL);
	return head;
}
