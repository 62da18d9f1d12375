/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cpu slab layer (cpu_slab.c): each CPU's frozen cpu slab, with its
 * private freelist, and its chain of cpu partial slabs, SLUB 6.12's
 * struct kmem_cache_cpu. The fast paths are inline here for the public
 * entry points (alloc.c); the rest is in cpu_slab.c, which takes slabs
 * from and gives them back to the node layer (node.c).
 *
 * Only plain slabs are ever cpu slabs or cpu partial slabs: a debug slab's
 * objects go through debug.c. A CPU checks that the cache is plain
 * (cache_is_plain()) under its per-CPU lock before it installs a cpu slab
 * or chains partial slabs, which is what a layout switch relies on
 * (debug_switch.c).
 */
#ifndef _MSLAB_CPU_SLAB_H
#define _MSLAB_CPU_SLAB_H

#include <linux/prefetch.h>

#include "mslab.h"
#include "slab.h"

/*
 * A tid starts at the CPU number and advances by a power of two at least
 * NR_CPUS, so two CPUs never share one: a fast path migrated to another CPU
 * fails its cmpxchg there.
 */
#define MSLAB_TID_STEP roundup_pow_of_two(CONFIG_NR_CPUS)

static inline unsigned long mslab_next_tid(unsigned long tid)
{
	return tid + MSLAB_TID_STEP;
}

/* What became of a free, for the callers' statistics. */
enum mslab_freed {
	MSLAB_FREED_NONE,	/* refused and reported (a double free) */
	MSLAB_FREED_FAST,	/* onto this CPU's freelist: free_fastpath */
	MSLAB_FREED_SLOW,	/* onto the slab's freelist: free_slowpath */
	MSLAB_FREED_NOT_CPU_SLAB, /* cpu_slab.h only: not this CPU's slab */
};

/* Count a user's free (not mslab's own) by the path it took. */
static __always_inline void mslab_count_free(struct mslab_cache *s,
					     enum mslab_freed how, int cnt)
{
	if (how == MSLAB_FREED_FAST)
		mslab_stat_add(s, FREE_FASTPATH, cnt);
	else if (how == MSLAB_FREED_SLOW)
		mslab_stat_add(s, FREE_SLOWPATH, cnt);
}

void mslab_init_cpu_slabs(struct mslab_cache *s);
void *mslab_cpu_slab_alloc(struct mslab_cache *s, gfp_t gfpflags, int node);
size_t mslab_cpu_slab_take(struct mslab_cache *s, gfp_t gfpflags,
			   size_t size, void **p, size_t *slow);
enum mslab_freed mslab_cpu_slab_free_slow(struct mslab_cache *s,
					  struct mslab_slab *slab, void *head,
					  void *tail, int cnt,
					  unsigned long addr);
void mslab_cpu_slab_flush_local(struct mslab_cache *s);
void mslab_cpu_slab_flush_dead(struct mslab_cache *s, unsigned int cpu);
unsigned int mslab_chain_slabs_racy(struct mslab_slab *head);

static inline bool mslab_node_match(struct mslab_slab *slab, int node)
{
	return node == NUMA_NO_NODE || mslab_slab_nid(slab) == node;
}

#ifdef MSLAB_LOCKLESS_FAST_PATH
#ifdef CONFIG_X86_64
/*
 * x86's this_cpu_try_cmpxchg128() falls back to an out-of-line emulation for
 * CPUs without CX16, which the kernel does not export to modules. mslab
 * refuses to load on such CPUs (mslab_cpu_init()), so it can issue the
 * %gs-relative cmpxchg16b directly: atomic against this CPU's interrupts,
 * without a lock prefix, as the kernel's SLUB does.
 */
#define mslab_this_cpu_try_cmpxchg128(_var, _ovalp, _nval)		\
({									\
	bool success;							\
	u128 *_oval = (u128 *)(_ovalp);					\
	union {								\
		u128 var;						\
		struct {						\
			u64 low, high;					\
		};							\
	} old__, new__;							\
									\
	old__.var = *_oval;						\
	new__.var = _nval;						\
	asm volatile("cmpxchg16b " __percpu_arg([var])			\
		     CC_SET(z)						\
		     : CC_OUT(z) (success),				\
		       [var] "+m" (__my_cpu_var(_var)),			\
		       "+a" (old__.low),				\
		       "+d" (old__.high)				\
		     : "b" (new__.low),					\
		       "c" (new__.high)					\
		     : "memory");					\
	if (unlikely(!success))						\
		*_oval = old__.var;					\
	likely(success);						\
})
#else
#define mslab_this_cpu_try_cmpxchg128 this_cpu_try_cmpxchg128
#endif

static __always_inline bool update_cpu_freelist_fast(struct mslab_cache *s,
						     void *freelist_old,
						     void *freelist_new,
						     unsigned long tid)
{
	union mslab_freelist_aba old = { .freelist = freelist_old, .counter = tid };
	union mslab_freelist_aba new = {
		.freelist = freelist_new, .counter = mslab_next_tid(tid)
	};

	return mslab_this_cpu_try_cmpxchg128(s->cpu_slab->freelist_tid.full,
					     &old.full, new.full);
}

/**
 * mslab_cpu_slab_alloc_fast() - an object off this CPU's freelist
 * @s: the cache
 * @node: the node asked for, or NUMA_NO_NODE
 *
 * Context: any; takes no lock.
 * Return: the object, or NULL for mslab_cpu_slab_alloc().
 */
static __always_inline void *mslab_cpu_slab_alloc_fast(struct mslab_cache *s,
						       int node)
{
	struct mslab_slab *slab;
	struct mslab_cpu *c;
	unsigned long tid;
	void *object, *next;

redo:
	/*
	 * Read the tid before the freelist: if this task moves to another
	 * CPU or is interrupted after these reads, the tid in the cmpxchg
	 * no longer matches and we retry. The barrier keeps the order.
	 */
	c = raw_cpu_ptr(s->cpu_slab);
	tid = READ_ONCE(c->tid);
	barrier();
	object = c->freelist;
	slab = c->slab;
	if (unlikely(!object || !slab || !mslab_node_match(slab, node)))
		return NULL;
	/*
	 * @object may be taken and reused by an interrupt or another task on
	 * this CPU before the cmpxchg, its slab even freed: the value read is
	 * then garbage, but the tid changed and the cmpxchg fails.
	 */
	next = mslab_get_freepointer_safe(&s->plain, object);
	if (unlikely(!update_cpu_freelist_fast(s, object, next, tid))) {
		mslab_stat(s, CMPXCHG_DOUBLE_CPU_FAIL);
		goto redo;
	}
	prefetchw(next);
	mslab_stat(s, ALLOC_FASTPATH);
	return object;
}

static __always_inline enum mslab_freed
cpu_slab_free_fast(struct mslab_cache *s, struct mslab_slab *slab, void *head,
		   void *tail, unsigned long addr)
{
	struct mslab_cpu *c;
	unsigned long tid;
	void **freelist;

redo:
	/* The same tid protocol as mslab_cpu_slab_alloc_fast(). */
	c = raw_cpu_ptr(s->cpu_slab);
	tid = READ_ONCE(c->tid);
	barrier();
	if (unlikely(slab != READ_ONCE(c->slab)))
		return MSLAB_FREED_NOT_CPU_SLAB;
	freelist = READ_ONCE(c->freelist);
	if (unlikely(freelist == head)) {
		mslab_report_free_error(s, head, addr, "double free");
		return MSLAB_FREED_NONE;
	}
	mslab_set_freepointer(&s->plain, tail, freelist);
	if (unlikely(!update_cpu_freelist_fast(s, freelist, head, tid))) {
		mslab_stat(s, CMPXCHG_DOUBLE_CPU_FAIL);
		goto redo;
	}
	return MSLAB_FREED_FAST;
}
#else
/*
 * Without cmpxchg128, or on PREEMPT_RT, the fast paths are the same work
 * under the per-CPU local_lock.
 */
static __always_inline void *mslab_cpu_slab_alloc_fast(struct mslab_cache *s,
						       int node)
{
	struct mslab_cpu *c;
	unsigned long flags;
	void *object;

	local_lock_irqsave(&s->cpu_slab->lock, flags);
	c = this_cpu_ptr(s->cpu_slab);
	object = c->freelist;
	if (unlikely(!object || !c->slab || !mslab_node_match(c->slab, node))) {
		local_unlock_irqrestore(&s->cpu_slab->lock, flags);
		return NULL;
	}
	c->freelist = mslab_get_freepointer(&s->plain, object);
	c->tid = mslab_next_tid(c->tid);
	local_unlock_irqrestore(&s->cpu_slab->lock, flags);
	mslab_stat(s, ALLOC_FASTPATH);
	return object;
}

static __always_inline enum mslab_freed
cpu_slab_free_fast(struct mslab_cache *s, struct mslab_slab *slab, void *head,
		   void *tail, unsigned long addr)
{
	struct mslab_cpu *c;
	unsigned long flags;

	local_lock_irqsave(&s->cpu_slab->lock, flags);
	c = this_cpu_ptr(s->cpu_slab);
	if (unlikely(slab != c->slab)) {
		local_unlock_irqrestore(&s->cpu_slab->lock, flags);
		return MSLAB_FREED_NOT_CPU_SLAB;
	}
	if (unlikely(c->freelist == head)) {
		local_unlock_irqrestore(&s->cpu_slab->lock, flags);
		mslab_report_free_error(s, head, addr, "double free");
		return MSLAB_FREED_NONE;
	}
	mslab_set_freepointer(&s->plain, tail, c->freelist);
	c->freelist = head;
	c->tid = mslab_next_tid(c->tid);
	local_unlock_irqrestore(&s->cpu_slab->lock, flags);
	return MSLAB_FREED_FAST;
}
#endif

/**
 * mslab_cpu_slab_free() - free linked objects of one plain slab
 * @s: the cache
 * @slab: the slab of every object
 * @head: first object; each one's free pointer links to the next
 * @tail: last object
 * @cnt: number of objects
 * @addr: the caller, for reports
 *
 * To this CPU's freelist if @slab is its cpu slab, else to the slab's own
 * (SLUB's do_slab_free()).
 *
 * Context: any.
 * Return: how the objects were freed, or MSLAB_FREED_NONE if refused.
 */
static __always_inline enum mslab_freed
mslab_cpu_slab_free(struct mslab_cache *s, struct mslab_slab *slab,
		    void *head, void *tail, int cnt, unsigned long addr)
{
	enum mslab_freed ret = cpu_slab_free_fast(s, slab, head, tail, addr);

	if (ret == MSLAB_FREED_NOT_CPU_SLAB)
		ret = mslab_cpu_slab_free_slow(s, slab, head, tail, cnt, addr);
	return ret;
}

#endif /* _MSLAB_CPU_SLAB_H */
