// SPDX-License-Identifier: GPL-2.0
/*
 * mslab bulk allocation and free (SLUB 6.12's kmem_cache_alloc_bulk() and
 * kmem_cache_free_bulk()): many objects under one acquisition of the
 * per-CPU lock, and frees grouped per slab into detached freelists.
 *
 * Two levels: the users' entry points, mslab_cache_alloc_bulk() and
 * mslab_cache_free_bulk(), which count the users' statistics and check
 * every pointer freed; and the interface the slab layers offer the layers
 * above, mslab_take_objects() and mslab_return_objects(), which the
 * sheaves refill and flush through and which trust their objects. Below
 * both are the cpu slab layer (cpu_slab.c) and, for debug caches, debug.c.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>

#include "bulk.h"
#include "cache.h"
#include "cpu_slab.h"
#include "debug.h"

/**
 * mslab_take_objects() - take objects from the slab layers
 * @s: the cache
 * @gfpflags: as for mslab_cache_alloc()
 * @size: number of objects
 * @p: array of @size pointers to fill
 * @slow: if not NULL, set to the number of objects that took a slow path
 *	  (a debug cache's every one)
 *
 * All or nothing: from this CPU's freelist, or a debug cache's slabs one
 * object at a time, each checked.
 *
 * Context: any context @gfpflags allow.
 * Return: @size, or 0 with nothing taken.
 */
int mslab_take_objects(struct mslab_cache *s, gfp_t gfpflags, size_t size,
		       void **p, size_t *slow)
{
	struct mslab_layout *l = READ_ONCE(s->layout);
	size_t taken = 0, nr_slow = 0;

	if (!size)
		return 0;
	might_alloc(gfpflags);
	if (likely(l == &s->plain)) {
		taken = mslab_cpu_slab_take(s, gfpflags, size, p, &nr_slow);
		if (likely(taken == size))
			goto done;
		/*
		 * Debugging switched on meanwhile: the rest come from debug
		 * slabs. Otherwise there was no memory.
		 */
		l = READ_ONCE(s->layout);
		if (l == &s->plain)
			goto fail;
	}
	for (; taken < size; taken++) {
		nr_slow++;
		p[taken] = mslab_debug_alloc(s, l, gfpflags, NUMA_NO_NODE,
					     s->object_size, _RET_IP_);
		if (unlikely(!p[taken]))
			goto fail;
	}
done:
	if (slow)
		*slow = nr_slow;
	return size;
fail:
	mslab_return_objects(s, taken, p, _RET_IP_);
	return 0;
}

/**
 * mslab_cache_alloc_bulk() - allocate several objects at once
 * @s: the cache
 * @gfpflags: as for mslab_cache_alloc(); __GFP_ZERO zeroes every object
 * @size: number of objects
 * @p: array of @size pointers to fill
 *
 * All or nothing, as kmem_cache_alloc_bulk().
 *
 * Context: any context @gfpflags allow.
 * Return: @size, or 0 with nothing allocated.
 */
int mslab_cache_alloc_bulk(struct mslab_cache *s, gfp_t gfpflags, size_t size,
			   void **p)
{
	size_t i, slow;

	if (!mslab_take_objects(s, gfpflags, size, p, &slow))
		return 0;
	mslab_stat_add(s, ALLOC_FASTPATH, size - slow);
	mslab_stat_add(s, ALLOC_SLOWPATH, slow);
	if (unlikely(mslab_want_init_on_alloc(gfpflags, s) ||
		     mslab_want_init_on_free(s)))
		for (i = 0; i < size; i++)
			mslab_init_new_object(s, p[i], gfpflags, 0);
	return size;
}
EXPORT_SYMBOL_GPL(mslab_cache_alloc_bulk);

/* A run of objects of one slab, linked for one free (SLUB's). */
struct detached_freelist {
	struct mslab_slab *slab;
	struct mslab_cache *s;
	void *tail;
	void *freelist;
	int cnt;
};

/*
 * Take the last valid object of @p and link to it every other object of
 * its slab found among the entries looked at, moving them to the end of
 * the array; stop after three entries of other slabs in a row
 * (SLUB's build_detached_freelist()). Invalid pointers are reported and
 * dropped; a large kmalloc allocation is freed on the spot.
 *
 * Return: the entries of @p left to free.
 */
static size_t build_detached_freelist(struct mslab_cache *s, size_t size,
				      void **p, struct detached_freelist *df,
				      bool checked, unsigned long addr)
{
	const struct mslab_layout *l;
	int lookahead = 3;
	size_t same;
	void *object;
	bool init;

	df->slab = NULL;
	object = p[--size];
	if (ZERO_OR_NULL_PTR(object))
		return size;
	if (!checked) {
		/* Objects of @s mslab holds: checked when they were freed. */
		df->slab = mslab_virt_to_slab(object);
		df->s = s;
	} else if (!s) {
		df->slab = mslab_virt_to_slab(object);
		if (!df->slab) {
			mslab_kfree(object);	/* large, or reported */
			return size;
		}
		df->s = df->slab->cache;
	} else {
		df->slab = mslab_lookup_slab_checked(s, object, addr);
		if (!df->slab)
			return size;
		df->s = s;
	}
	if (unlikely(checked &&
		     !mslab_obj_in_slab(df->slab->layout, df->slab, object))) {
		mslab_report_free_error(df->s, object, addr,
					"not the start of an object");
		df->slab = NULL;
		return size;
	}

	df->tail = object;
	df->freelist = object;
	df->cnt = 1;
	/* Linked as their slab's layout says: plain or debug. */
	l = df->slab->layout;
	/*
	 * init_on_free: the user's objects of a plain slab are zeroed here,
	 * a debug slab's by debug.c once its checks have passed; objects
	 * from sheaves were zeroed when they were freed into them.
	 */
	init = checked && l == &df->s->plain && mslab_want_init_on_free(df->s);
	if (init)
		mslab_init_on_free_plain(df->s, object);
	mslab_set_freepointer(l, object, NULL);

	same = size;
	while (size) {
		object = p[--size];
		/*
		 * The start of an object of df->slab lies in its pages: no
		 * need to look the slab up again.
		 */
		if (!ZERO_OR_NULL_PTR(object) && object != df->freelist &&
		    mslab_obj_in_slab(l, df->slab, object)) {
			if (init)
				mslab_init_on_free_plain(df->s, object);
			mslab_set_freepointer(l, object, df->freelist);
			df->freelist = object;
			df->cnt++;
			same--;
			if (size != same)
				swap(p[size], p[same]);
			continue;
		}
		if (!--lookahead)
			break;
	}
	return same;
}

/*
 * Free @p's objects one detached freelist at a time, each to its slab's
 * layer; with @checked, a user's, each checked and counted.
 */
static void free_objects(struct mslab_cache *s, size_t size, void **p,
			 bool checked, unsigned long addr)
{
	enum mslab_freed how;

	while (size) {
		struct detached_freelist df;

		size = build_detached_freelist(s, size, p, &df, checked, addr);
		if (!df.slab)
			continue;
		/* A debug slab is never a cpu slab: its frees are debug.c's. */
		if (mslab_slab_debug(df.slab))
			how = mslab_debug_free(df.s, df.slab, df.freelist,
					       df.tail, df.cnt, addr) ?
			      MSLAB_FREED_SLOW : MSLAB_FREED_NONE;
		else
			how = mslab_cpu_slab_free(df.s, df.slab, df.freelist,
						  df.tail, df.cnt, addr);
		if (checked)
			mslab_count_free(df.s, how, df.cnt);
	}
}

/**
 * mslab_return_objects() - give objects back to the slab layers
 * @s: the cache of every object
 * @size: number of entries in @p
 * @p: objects of @s that mslab handed out and holds (a sheaf's, an undone
 *     take): not checked again; the array is reordered
 * @addr: the caller, for reports
 *
 * Context: any.
 */
void mslab_return_objects(struct mslab_cache *s, size_t size, void **p,
			  unsigned long addr)
{
	free_objects(s, size, p, false, addr);
}

/**
 * mslab_cache_free_bulk() - free several objects at once
 * @s: the cache of every object, or NULL for objects of any mslab cache and
 *     mslab_kmalloc() memory (as kfree_bulk())
 * @size: number of entries in @p
 * @p: the objects, from any slabs and CPUs; the array is reordered
 *
 * Objects of one slab are linked into a detached freelist and freed with
 * one update of that slab.
 *
 * Context: any.
 */
void mslab_cache_free_bulk(struct mslab_cache *s, size_t size, void **p)
{
	free_objects(s, size, p, true, _RET_IP_);
}
EXPORT_SYMBOL_GPL(mslab_cache_free_bulk);
