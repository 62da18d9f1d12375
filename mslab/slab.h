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

/*
 * The sum of a count kept per CPU (pages held, RCU frees pending): each
 * CPU adds to its own, readers sum them; racy, never torn.
 */
static inline long mslab_pcpu_sum(long __percpu *count)
{
	long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(*per_cpu_ptr(count, cpu));
	return sum;
}

/* Pages held by mslab, over all caches (slab.c; per-CPU counts). */
long mslab_pages_held(void);
void mslab_pages_held_add(long nr);
/*
 * Fault injection for tests: while positive, each slab allocation
 * decrements the counter and fails at the preferred order (fallback to
 * the minimum order, ORDER_FALLBACK) or fails outright. Set from KUnit or
 * /sys/kernel/debug/mslab/fail_order and fail_slab.
 */
extern atomic_t mslab_fail_order;
extern atomic_t mslab_fail_slab;

/*
 * The out-of-line functions of the allocation and free paths, kept
 * together in .text.hot. Spread over alloc.c, cpu_slab.c, node.c, slab.c
 * and kmalloc.c they land on more pages, and in a third of the UML bench's
 * boots (module placements) the kmalloc pattern's slow paths ran 20-30%
 * slower than when they were all in one file; grouped, the ratio to SLUB
 * is back where it was (issue 16's note has the figures). Every layer's
 * file includes this header.
 */
#define __mslab_hot	__attribute__((__hot__))

struct mslab_slab *mslab_new_slab(struct mslab_cache *s,
				  struct mslab_layout *l, gfp_t flags,
				  int node);
void mslab_discard_slab(struct mslab_cache *s, struct mslab_slab *slab);
struct mslab_slab *mslab_lookup_slab_checked(struct mslab_cache *s, void *x,
					     unsigned long addr);
void mslab_account_slab_pages(struct page *page, unsigned int order,
			      bool reclaimable, int sign);
struct page *mslab_alloc_slab_page(gfp_t flags, int node, unsigned int order);
int mslab_slab_init(void);
void mslab_slab_exit(void);

/*
 * Free pointers inside objects are stored encoded in hardened caches
 * (SLUB's CONFIG_SLAB_FREELIST_HARDENED, freelist_ptr_encode()): XORed with
 * a per-cache random word and the byte-swapped address they are stored at,
 * so an overflow or use-after-free write cannot plant a chosen pointer, and
 * a leaked one does not reveal a heap address.
 */
static inline unsigned long mslab_freeptr_key(const struct mslab_layout *l,
					      void *ptr_addr)
{
	return l->random ^ swab((unsigned long)ptr_addr);
}

/* SLUB's get_freepointer(): the next free object after @object. */
static inline void *mslab_get_freepointer(const struct mslab_layout *l,
					  void *object)
{
	void **ptr_addr = object + l->offset;
	unsigned long v = (unsigned long)*ptr_addr;

	if (l->random)
		v ^= mslab_freeptr_key(l, ptr_addr);
	return (void *)v;
}

/*
 * SLUB's get_freepointer_safe(), for the lockless allocation fast path:
 * between its read of the cpu freelist and this read, another task on the
 * CPU may allocate @object, free it, and its slab may go back to the page
 * allocator. The value read is then garbage and the cmpxchg on the tid
 * fails, but with debug_pagealloc the page is unmapped and a plain load
 * would fault: read it without faulting. (A debug_pagealloc_enabled_static()
 * key, so free otherwise.)
 */
static inline void *mslab_get_freepointer_safe(const struct mslab_layout *l,
					       void *object)
{
	void **ptr_addr = object + l->offset;
	unsigned long v;

	if (!debug_pagealloc_enabled_static())
		return mslab_get_freepointer(l, object);
	if (copy_from_kernel_nofault(&v, ptr_addr, sizeof(v)))
		return NULL;	/* Unmapped: the cmpxchg is bound to fail. */
	if (l->random)
		v ^= mslab_freeptr_key(l, ptr_addr);
	return (void *)v;
}

/* SLUB's set_freepointer(). */
static inline void mslab_set_freepointer(const struct mslab_layout *l,
					 void *object, void *fp)
{
	void **ptr_addr = object + l->offset;
	unsigned long v = (unsigned long)fp;

	if (l->random)
		v ^= mslab_freeptr_key(l, ptr_addr);
	*ptr_addr = (void *)v;
}

/**
 * mslab_virt_to_slab() - find the mslab slab holding an address
 * @x: any address
 *
 * An mslab slab's head page has its private field pointing to the slab's
 * descriptor, and the descriptor points back to the page. Inline: every
 * free starts here.
 *
 * Return: the slab, or NULL when @x is not in memory mslab allocated.
 */
static __always_inline struct mslab_slab *mslab_virt_to_slab(const void *x)
{
	struct mslab_slab *slab;
	struct page *page;

	if (unlikely(!virt_addr_valid(x)))
		return NULL;
	page = compound_head(virt_to_page(x));
	/* The kernel's own slab pages reuse the private word for counters. */
	if (unlikely(PageSlab(page)))
		return NULL;
	slab = (struct mslab_slab *)page_private(page);
	if (unlikely(!slab || !virt_addr_valid(slab)))
		return NULL;
	/*
	 * For a page that is not mslab's, @slab is whatever its owner keeps
	 * in private: a valid kernel address, but maybe not a descriptor, so
	 * read the back pointer without KASAN's checks.
	 */
	if (unlikely(READ_ONCE_NOCHECK(slab->page) != page))
		return NULL;
	return slab;
}

/**
 * mslab_obj_in_slab() - is @obj the start of an object of @slab?
 * @l: the slab's layout (the caller may know it without a load)
 * @slab: the slab
 * @obj: address to check
 *
 * Return: true when @obj is exactly the start of one of the slab's objects.
 */
static __always_inline bool mslab_obj_in_slab(const struct mslab_layout *l,
					      struct mslab_slab *slab,
					      const void *obj)
{
	unsigned long off = obj - slab->base;
	/*
	 * objects never changes once the slab is built, but it shares the
	 * counters word that other CPUs update with cmpxchg (inuse, frozen):
	 * the load of the word races, the bits read here do not (KCSAN).
	 */
	unsigned int objects = data_race((unsigned int)slab->objects);
	unsigned int idx;

	if (unlikely(obj < slab->base ||
		     off >= (unsigned long)objects * l->size))
		return false;
	idx = reciprocal_divide(off, l->reciprocal_size);
	return (unsigned long)idx * l->size == off;
}

/* The index of an object of @slab. */
static inline unsigned int mslab_obj_index(struct mslab_slab *slab,
					   const void *obj)
{
	return reciprocal_divide(obj - slab->base,
				 slab->layout->reciprocal_size);
}

static inline int mslab_slab_nid(const struct mslab_slab *slab)
{
	return slab->node;
}

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
/*
 * mslab_slab_update_freelist() where there is no cmpxchg128 (UML): inline,
 * as the frees of a batch mostly go to slabs the CPU does not own.
 */
static inline bool
mslab_slab_update_freelist_locked(struct mslab_slab *slab,
				  struct mslab_slab_state *old,
				  struct mslab_slab_state *new)
{
	unsigned long flags;
	bool ok = false;

	spin_lock_irqsave(&slab->lock, flags);
	if (slab->freelist == old->freelist &&
	    slab->counters == old->counters) {
		slab->freelist = new->freelist;
		slab->counters = new->counters;
		ok = true;
	}
	spin_unlock_irqrestore(&slab->lock, flags);
	return ok;
}
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
