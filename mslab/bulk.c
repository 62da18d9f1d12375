// SPDX-License-Identifier: GPL-2.0
/*
 * mslab bulk allocation and free (SLUB 6.12's kmem_cache_alloc_bulk() and
 * kmem_cache_free_bulk()): many objects under one acquisition of the
 * per-CPU lock, and frees grouped per slab into detached freelists. The
 * sheaf front end refills and flushes its arrays through the same code.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>

#include "mslab.h"

/* A debug cache's objects one by one, each checked. */
static int alloc_bulk_debug(struct mslab_cache *s, struct mslab_layout *l,
			    gfp_t gfpflags, size_t size, void **p, bool user)
{
	size_t i;

	for (i = 0; i < size; i++) {
		if (user)
			mslab_stat(s, ALLOC_SLOWPATH);
		p[i] = mslab_debug_alloc(s, l, gfpflags, NUMA_NO_NODE,
					 s->object_size, _RET_IP_);
		if (unlikely(!p[i])) {
			mslab_free_bulk(s, i, p, user, _RET_IP_);
			return 0;
		}
	}
	return size;
}

/**
 * mslab_alloc_bulk() - allocate several objects from the slab layer
 * @s: the cache
 * @gfpflags: as for mslab_cache_alloc()
 * @size: number of objects
 * @p: array of @size pointers to fill
 * @user: count them as the user's allocations (alloc_fastpath and
 *	  alloc_slowpath), not as a sheaf refill
 *
 * All or nothing: takes objects from this CPU's freelist under one
 * acquisition of the per-CPU lock, refilling it through the slow path as
 * needed (SLUB's __kmem_cache_alloc_bulk()).
 *
 * Context: any context @gfpflags allow.
 * Return: @size, or 0 with nothing allocated.
 */
int mslab_alloc_bulk(struct mslab_cache *s, gfp_t gfpflags, size_t size,
		     void **p, bool user)
{
	struct mslab_layout *l = READ_ONCE(s->layout);
	struct mslab_cpu *c;
	unsigned long flags;
	size_t i;

	if (!size)
		return 0;
	might_alloc(gfpflags);
	if (unlikely(l != &s->plain))
		return alloc_bulk_debug(s, l, gfpflags, size, p, user);

	c = mslab_get_cpu_ptr(s->cpu_slab);
	local_lock_irqsave(&s->cpu_slab->lock, flags);
	for (i = 0; i < size; i++) {
		void *object = c->freelist;

		if (unlikely(!object)) {
			/*
			 * The slow path takes the lock itself and may sleep
			 * for a new slab; bump the tid first so racing fast
			 * paths see the freelist changed under them.
			 */
			c->tid = mslab_next_tid(c->tid);
			local_unlock_irqrestore(&s->cpu_slab->lock, flags);
			if (user)
				mslab_stat(s, ALLOC_SLOWPATH);
			p[i] = mslab_slab_alloc_slow(s, gfpflags, NUMA_NO_NODE, c);
			if (unlikely(!p[i]))
				goto error;
			/*
			 * Debugging switched on meanwhile: the slow path gave
			 * one object and installed no slab (layout.c). The
			 * rest come from debug slabs, not a new plain slab
			 * each.
			 */
			l = READ_ONCE(s->layout);
			if (unlikely(l != &s->plain)) {
				mslab_put_cpu_ptr(s->cpu_slab);
				if (alloc_bulk_debug(s, l, gfpflags, size - i - 1,
						     p + i + 1, user))
					return size;
				mslab_free_bulk(s, i + 1, p, user, _RET_IP_);
				return 0;
			}
			c = this_cpu_ptr(s->cpu_slab);
			local_lock_irqsave(&s->cpu_slab->lock, flags);
			continue;
		}
		c->freelist = mslab_get_freepointer(&s->plain, object);
		p[i] = object;
		if (user)
			mslab_stat(s, ALLOC_FASTPATH);
	}
	c->tid = mslab_next_tid(c->tid);
	local_unlock_irqrestore(&s->cpu_slab->lock, flags);
	mslab_put_cpu_ptr(s->cpu_slab);
	return size;

error:
	mslab_put_cpu_ptr(s->cpu_slab);
	mslab_free_bulk(s, i, p, user, _RET_IP_);
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
	size_t i;

	if (!mslab_alloc_bulk(s, gfpflags, size, p, true))
		return 0;
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
				      bool user, unsigned long addr)
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
	if (!user) {
		/* Objects of @s from mslab's own sheaves: checked when freed. */
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
		df->slab = mslab_free_to_slab(s, object, addr);
		if (!df->slab)
			return size;
		df->s = s;
	}
	if (unlikely(user && !mslab_obj_in_slab(df->slab->layout, df->slab,
						object))) {
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
	init = user && l == &df->s->plain && mslab_want_init_on_free(df->s);
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

/**
 * mslab_free_bulk() - free several objects to the slab layer
 * @s: the cache of every object, or NULL for any mslab memory
 * @size: number of entries in @p
 * @p: the objects; the array is reordered
 * @user: the user's frees, counted and checked; else objects mslab itself
 *	  holds (a sheaf flush, an undone refill): @s is set and each is
 *	  known to be a valid object of @s, so it is not checked again
 * @addr: the caller, for reports
 *
 * Context: any.
 */
void mslab_free_bulk(struct mslab_cache *s, size_t size, void **p, bool user,
		     unsigned long addr)
{
	while (size) {
		struct detached_freelist df;

		size = build_detached_freelist(s, size, p, &df, user, addr);
		if (df.slab)
			mslab_slab_free(df.s, df.slab, df.freelist, df.tail,
					df.cnt, addr, user);
	}
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
	mslab_free_bulk(s, size, p, true, _RET_IP_);
}
EXPORT_SYMBOL_GPL(mslab_cache_free_bulk);
