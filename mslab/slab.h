/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The slab layer (slab.c): slabs from and back to the buddy allocator, and
 * the one way a plain slab's freelist and counters change once published,
 * slab_update_freelist(). A debug slab's change only under its node's
 * list_lock (debug.c), as no CPU ever owns one.
 */
#ifndef _MSLAB_SLAB_H
#define _MSLAB_SLAB_H

#include "mslab.h"

struct mslab_slab *mslab_new_slab(struct mslab_cache *s,
				  struct mslab_layout *l, gfp_t flags,
				  int node);
void mslab_discard_slab(struct mslab_cache *s, struct mslab_slab *slab);
void mslab_account_slab_pages(struct page *page, unsigned int order,
			      bool reclaimable, int sign);
struct page *mslab_alloc_slab_page(gfp_t flags, int node, unsigned int order);
int mslab_slab_init(void);
void mslab_slab_exit(void);

/* A snapshot of a slab's freelist and counters, for building an update. */
struct mslab_slab_state {
	void *freelist;
	union {
		unsigned long counters;
		struct {
			unsigned int inuse:16;
			unsigned int objects:15;
			unsigned int frozen:1;
		};
	};
};

static inline void mslab_read_slab_state(struct mslab_slab *slab,
					 struct mslab_slab_state *st)
{
	/* Racy reads: mslab_slab_update_freelist() fails if they were stale. */
	st->freelist = READ_ONCE(slab->freelist);
	st->counters = READ_ONCE(slab->counters);
}

#ifndef MSLAB_HAVE_CMPXCHG_DOUBLE
bool mslab_slab_update_freelist_locked(struct mslab_slab *slab,
				       struct mslab_slab_state *old,
				       struct mslab_slab_state *new);
#endif

/*
 * Replace a slab's freelist and counters with @new if they still are @old:
 * the only way either is modified once a plain slab is published (SLUB's
 * slab_update_freelist()).
 */
static inline bool mslab_slab_update_freelist(struct mslab_cache *s,
					      struct mslab_slab *slab,
					      struct mslab_slab_state *old,
					      struct mslab_slab_state *new)
{
	bool ok;

#ifdef MSLAB_HAVE_CMPXCHG_DOUBLE
	union mslab_freelist_aba o = {
		.freelist = old->freelist, .counter = old->counters
	};
	union mslab_freelist_aba n = {
		.freelist = new->freelist, .counter = new->counters
	};

	ok = try_cmpxchg128(&slab->freelist_counter.full, &o.full, n.full);
#else
	ok = mslab_slab_update_freelist_locked(slab, old, new);
#endif
	if (unlikely(!ok))
		mslab_stat(s, CMPXCHG_DOUBLE_FAIL);
	return ok;
}

/*
 * Build the update that links @head..@tail (@cnt objects) onto a slab's
 * freelist, after the checks that catch a double free; @old is what it is
 * built on.
 *
 * Return: false (with nothing changed) if the free was refused.
 */
static inline bool mslab_slab_free_prepare(struct mslab_cache *s,
					   struct mslab_slab *slab,
					   void *head, void *tail, int cnt,
					   unsigned long addr,
					   struct mslab_slab_state *old,
					   struct mslab_slab_state *new)
{
	mslab_read_slab_state(slab, old);
	if (unlikely(old->freelist == head)) {
		mslab_report_free_error(s, head, addr, "double free");
		return false;
	}
	if (unlikely(old->inuse < cnt)) {
		mslab_report_free_error(s, head, addr,
					"double free: more frees than objects in use");
		return false;
	}
	mslab_set_freepointer(&s->plain, tail, old->freelist);
	new->counters = old->counters;
	new->inuse -= cnt;
	new->freelist = head;
	return true;
}

/*
 * A slab's inuse, read without a lock: an upper bound when the slab is not
 * frozen, as frees by other CPUs may lower it at any time.
 */
static inline unsigned int mslab_slab_inuse(const struct mslab_slab *slab)
{
	struct mslab_slab_state st;

	st.counters = READ_ONCE(slab->counters);
	return st.inuse;
}

#endif /* _MSLAB_SLAB_H */
