// SPDX-License-Identifier: GPL-2.0
/*
 * mslab allocation and free paths: SLUB 6.12's per-CPU slabs, per-CPU
 * partial lists and per-node partial lists (mm/slub.c), reimplemented on
 * mslab's own slab descriptors.
 *
 * Fast paths. Each CPU owns one frozen "cpu slab" whose free objects it
 * takes from a private freelist (mslab_cpu.freelist) and frees back to it.
 * Where the CPU has cmpxchg128 (and the kernel is not PREEMPT_RT, see
 * MSLAB_LOCKLESS_FAST_PATH) the fast paths take no lock and disable
 * nothing: freelist and a transaction id (tid) are replaced together with
 * this_cpu_try_cmpxchg128(), and every other change of the per-CPU freelist
 * bumps the tid, so a fast path that was preempted, migrated or interrupted
 * fails its cmpxchg and retries. Elsewhere (UML, PREEMPT_RT) the fast paths
 * run under the per-CPU local_lock: with interrupts off, or on PREEMPT_RT
 * with the CPU's sleeping lock held and migration off.
 *
 * Slow paths. Objects freed by a CPU that does not own the slab go straight
 * to the slab's own freelist (slab->freelist + counters, one cmpxchg128).
 * A full slab that gets a free becomes a cpu partial slab of the freeing
 * CPU; when a CPU's partial chain exceeds cpu_partial_slabs it is drained
 * to the per-node partial lists. An allocation that finds the cpu freelist
 * empty refills it from the slab's freelist (remote frees), else takes a
 * cpu partial slab, else a node partial slab (with some more as cpu
 * partials), else a remote node's partial slab, else a new slab from the
 * buddy allocator. Empty slabs beyond min_partial per node go back to the
 * buddy allocator.
 *
 * In a cache with sheaves (sheaf.c) the fast paths first try the CPU's
 * object array; these paths are then its slow path. Bulk operations are in
 * bulk.c, flushing CPUs and CPU hotplug in cpu.c.
 *
 * Lock order:
 *   1. cpu_hotplug_lock (cpus_read_lock(), for flushing every CPU)
 *   2. mslab_mutex (cache list; creation and destruction)
 *   3. mslab_node.list_lock (spinlock, irqsave)
 *   4. mslab_cpu.lock (local_lock, irqsave)
 *   5. mslab_slab.lock (spinlock, only where there is no cmpxchg128)
 *   6. mslab_node.all_lock (spinlock, irqsave; takes no other lock)
 *   (mslab_barn.lock, sheaf.c, nests inside none of these and takes none)
 *
 *   list_lock protects a node's partial and retired lists and their
 *   counts, and each slab's on_node_partial and retired. It is taken from
 *   any context, so always with interrupts off. The node's all_lock, for
 *   its all_slabs list, nests inside it (mslab_lock_all_slabs()) and is
 *   taken alone by new and freed slabs (slab.c).
 *
 *   mslab_mutex also serialises switches of a cache's layout (layout.c);
 *   the paths here read s->layout without a lock and check it where it
 *   matters, under the per-CPU lock or list_lock (see layout.c).
 *
 *   The per-CPU lock protects the CPU's slab and partial chain, and
 *   serialises its slow paths. It is a local_lock: on !PREEMPT_RT it only
 *   disables interrupts, and lockdep checks it. get_partial_node() takes it
 *   under list_lock to put slabs on the CPU's partial chain, so code holding
 *   it must never take a list_lock.
 *
 *   A slab's freelist and counters change only by slab_update_freelist():
 *   cmpxchg128, or the slab's spinlock with interrupts off.
 *
 *   The frozen bit says a CPU owns the slab: only that CPU takes objects
 *   from it; other CPUs free to it without moving it between lists.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/interrupt.h>
#include <linux/lockdep.h>
#include <linux/log2.h>
#include <linux/prefetch.h>
#include <linux/sched/mm.h>
#include <linux/timex.h>
#include <linux/workqueue.h>

#include <kunit/visibility.h>

#include "mslab.h"

/* === Per-CPU structures ================================================= */

/**
 * mslab_init_cpu_slabs() - initialise a new cache's per-CPU structures
 * @s: the cache
 */
void mslab_init_cpu_slabs(struct mslab_cache *s)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct mslab_cpu *c = per_cpu_ptr(s->cpu_slab, cpu);

		local_lock_init(&c->lock);
		c->tid = cpu;	/* see mslab_next_tid() */
	}
}

static inline bool node_match(struct mslab_slab *slab, int node)
{
	return node == NUMA_NO_NODE || mslab_slab_nid(slab) == node;
}

/* === Slab freelist updates ============================================== */

#ifndef MSLAB_HAVE_CMPXCHG_DOUBLE
static bool slab_update_freelist_locked(struct mslab_slab *slab,
					void *freelist_old,
					unsigned long counters_old,
					void *freelist_new,
					unsigned long counters_new)
{
	unsigned long flags;
	bool ok = false;

	spin_lock_irqsave(&slab->lock, flags);
	if (slab->freelist == freelist_old && slab->counters == counters_old) {
		slab->freelist = freelist_new;
		slab->counters = counters_new;
		ok = true;
	}
	spin_unlock_irqrestore(&slab->lock, flags);
	return ok;
}
#endif

/*
 * Replace a slab's freelist and counters if neither changed since they were
 * read: the only way either is modified once the slab is published.
 */
static inline bool slab_update_freelist(struct mslab_cache *s,
					struct mslab_slab *slab,
					void *freelist_old,
					unsigned long counters_old,
					void *freelist_new,
					unsigned long counters_new)
{
	bool ok;

#ifdef MSLAB_HAVE_CMPXCHG_DOUBLE
	union mslab_freelist_aba old = {
		.freelist = freelist_old, .counter = counters_old
	};
	union mslab_freelist_aba new = {
		.freelist = freelist_new, .counter = counters_new
	};

	ok = try_cmpxchg128(&slab->freelist_counter.full, &old.full, new.full);
#else
	ok = slab_update_freelist_locked(slab, freelist_old, counters_old,
					 freelist_new, counters_new);
#endif
	if (unlikely(!ok))
		mslab_stat(s, CMPXCHG_DOUBLE_FAIL);
	return ok;
}

static inline void read_slab_state(struct mslab_slab *slab,
				   struct mslab_slab_state *st)
{
	/* Racy reads: slab_update_freelist() fails if they were stale. */
	st->freelist = READ_ONCE(slab->freelist);
	st->counters = READ_ONCE(slab->counters);
}

/*
 * Take a cpu slab's whole freelist for the CPU (SLUB's get_freelist()). The
 * slab stays frozen while it has free objects; if it has none it is
 * unfrozen and becomes a full slab on no list.
 */
static void *get_freelist(struct mslab_cache *s, struct mslab_slab *slab)
{
	struct mslab_slab_state old, new;

	lockdep_assert_held(this_cpu_ptr(&s->cpu_slab->lock));
	do {
		read_slab_state(slab, &old);
		new.counters = old.counters;
		/* From the snapshot: the counters word changes under us. */
		new.inuse = old.objects;
		new.frozen = !!old.freelist;
	} while (!slab_update_freelist(s, slab, old.freelist, old.counters,
				       NULL, new.counters));
	return old.freelist;
}

/* Make a slab taken off a node partial list the cpu slab (freeze_slab()). */
static void *freeze_slab(struct mslab_cache *s, struct mslab_slab *slab)
{
	struct mslab_slab_state old, new;

	do {
		read_slab_state(slab, &old);
		new.counters = old.counters;
		new.inuse = slab->objects;
		new.frozen = 1;
	} while (!slab_update_freelist(s, slab, old.freelist, old.counters,
				       NULL, new.counters));
	return old.freelist;
}

/* === Node partial lists ================================================= */

static bool put_cpu_partial(struct mslab_cache *s, struct mslab_slab *slab,
			    bool drain);

/*
 * Take partial slabs from a node: the first to become the cpu slab, and up
 * to half the cpu partial limit more for the CPU's partial chain.
 */
static struct mslab_slab *get_partial_node(struct mslab_cache *s,
					   struct mslab_node *n)
{
	struct mslab_slab *slab, *slab2, *partial = NULL;
	unsigned int partial_slabs = 0;
	unsigned long flags;

	/* Racy check: a wrong guess only costs an extra lock or a new slab. */
	if (!n || !data_race(n->nr_partial))
		return NULL;

	spin_lock_irqsave(&n->list_lock, flags);
	list_for_each_entry_safe(slab, slab2, &n->partial, slab_list) {
		/*
		 * The partial list holds slabs of the current layout only:
		 * debug ones if debugging was switched on after our caller
		 * looked. Its slow path then finds out (retry_load_slab).
		 */
		if (unlikely(slab->layout != &s->plain))
			break;
		mslab_remove_partial(n, slab);
		if (!partial) {
			partial = slab;
			mslab_stat(s, ALLOC_FROM_PARTIAL);
			if (!READ_ONCE(s->cpu_partial_slabs))
				break;
		} else {
			if (unlikely(!put_cpu_partial(s, slab, false))) {
				/* Debugging was switched on: see layout.c. */
				mslab_add_partial(s, n, slab,
						  DEACTIVATE_TO_TAIL);
				break;
			}
			mslab_stat(s, CPU_PARTIAL_NODE);
			if (++partial_slabs > READ_ONCE(s->cpu_partial_slabs) / 2)
				break;
		}
	}
	spin_unlock_irqrestore(&n->list_lock, flags);
	return partial;
}

/*
 * Take partial slabs from another node, as SLUB does: only with a chance of
 * remote_node_defrag_ratio in 1024, and only from nodes that have more
 * partial slabs than they keep anyway.
 */
static struct mslab_slab *get_any_partial(struct mslab_cache *s)
{
	unsigned int ratio = READ_ONCE(s->remote_node_defrag_ratio);
	int local = numa_mem_id();
	struct mslab_slab *slab;
	int nid;

	if (nr_node_ids == 1 || !ratio || get_cycles() % 1024 > ratio)
		return NULL;
	for_each_node_state(nid, N_NORMAL_MEMORY) {
		struct mslab_node *n = s->node[nid];

		if (nid == local || !n ||
		    /* Racy peek: get_partial_node() rechecks under the lock. */
		    data_race(n->nr_partial) <= READ_ONCE(s->min_partial))
			continue;
		slab = get_partial_node(s, n);
		if (slab)
			return slab;
	}
	return NULL;
}

/*
 * A partial slab for a new cpu slab. A caller that named a node gets slabs
 * of that node only: mslab_cache_alloc_node() promises memory on the node
 * it was asked for whenever that node has memory. (SLUB may also hand out
 * another node's partial slab unless __GFP_THISNODE is given.)
 */
static struct mslab_slab *get_partial(struct mslab_cache *s, int node)
{
	struct mslab_slab *slab;
	int searchnode = node == NUMA_NO_NODE ? numa_mem_id() : node;

	slab = get_partial_node(s, s->node[searchnode]);
	if (slab || node != NUMA_NO_NODE)
		return slab;
	return get_any_partial(s);
}

/* === Per-CPU partial lists ============================================== */

/*
 * Move a chain of cpu partial slabs to their nodes' partial lists (SLUB's
 * __put_partials()); empty ones beyond min_partial are freed instead.
 */
void mslab_put_partials_list(struct mslab_cache *s,
			     struct mslab_slab *partial_slab)
{
	struct mslab_slab *slab, *slab_to_discard = NULL;
	unsigned long flags;

	while (partial_slab) {
		struct mslab_node *n = s->node[mslab_slab_nid(partial_slab)];

		/* Take each node's lock once for a run of its slabs. */
		spin_lock_irqsave(&n->list_lock, flags);
		while (partial_slab &&
		       s->node[mslab_slab_nid(partial_slab)] == n) {
			slab = partial_slab;
			partial_slab = slab->next;
			/*
			 * Unfrozen, so remote frees may still lower inuse;
			 * once it reads 0 nothing is left to free and the
			 * slab is ours.
			 */
			if (unlikely(!mslab_slab_inuse(slab) &&
				     !mslab_keep_empty(s, n, slab))) {
				slab->next = slab_to_discard;
				slab_to_discard = slab;
			} else {
				mslab_add_partial(s, n, slab,
						  DEACTIVATE_TO_TAIL);
				mslab_stat(s, FREE_ADD_PARTIAL);
			}
		}
		spin_unlock_irqrestore(&n->list_lock, flags);
	}

	while (slab_to_discard) {
		slab = slab_to_discard;
		slab_to_discard = slab_to_discard->next;
		mslab_stat(s, DEACTIVATE_EMPTY);
		mslab_discard_slab(s, slab);
	}
}

/* Drain this CPU's partial chain to the node lists. */
void mslab_put_partials(struct mslab_cache *s)
{
	struct mslab_slab *partial_slab;
	unsigned long flags;

	local_lock_irqsave(&s->cpu_slab->lock, flags);
	partial_slab = this_cpu_read(s->cpu_slab->partial);
	this_cpu_write(s->cpu_slab->partial, NULL);
	local_unlock_irqrestore(&s->cpu_slab->lock, flags);

	if (partial_slab)
		mslab_put_partials_list(s, partial_slab);
}

/*
 * Put a slab with free objects on this CPU's partial chain. With @drain, a
 * chain already at cpu_partial_slabs first goes to the node lists.
 *
 * Return: false, with nothing done, while debugging is on: the caller puts
 * the slab on its node's lists. Checked under the CPU's lock, so once a
 * switch (layout.c) has flushed this CPU no plain slab joins its chain.
 */
static bool put_cpu_partial(struct mslab_cache *s, struct mslab_slab *slab,
			    bool drain)
{
	struct mslab_slab *oldslab, *slab_to_put = NULL;
	unsigned long flags;
	int slabs = 0;

	local_lock_irqsave(&s->cpu_slab->lock, flags);
	if (unlikely(READ_ONCE(s->layout) != &s->plain)) {
		local_unlock_irqrestore(&s->cpu_slab->lock, flags);
		return false;
	}
	oldslab = this_cpu_read(s->cpu_slab->partial);
	if (oldslab) {
		if (drain &&
		    oldslab->slabs >= READ_ONCE(s->cpu_partial_slabs)) {
			slab_to_put = oldslab;
			oldslab = NULL;
		} else {
			slabs = oldslab->slabs;
		}
	}
	slabs++;
	slab->slabs = slabs;
	slab->next = oldslab;
	this_cpu_write(s->cpu_slab->partial, slab);
	local_unlock_irqrestore(&s->cpu_slab->lock, flags);

	if (slab_to_put) {
		mslab_put_partials_list(s, slab_to_put);
		mslab_stat(s, CPU_PARTIAL_DRAIN);
	}
	return true;
}

/* === Deactivation and flushing ========================================== */

/*
 * Give up a cpu slab (SLUB's mslab_deactivate_slab()): splice the CPU's private
 * freelist back onto the slab's, unfreeze it, and put it where its fill
 * says: node partial list, no list (full), or back to the buddy allocator.
 */
void mslab_deactivate_slab(struct mslab_cache *s, struct mslab_slab *slab,
			   void *freelist)
{
	struct mslab_node *n = s->node[mslab_slab_nid(slab)];
	enum mslab_stat_item tail = DEACTIVATE_TO_HEAD;
	void *freelist_tail = NULL, *iter;
	struct mslab_slab_state old, new;
	unsigned long flags;
	int free_delta = 0;

	if (READ_ONCE(slab->freelist)) {
		mslab_stat(s, DEACTIVATE_REMOTE_FREES);
		tail = DEACTIVATE_TO_TAIL;
	}

	/* Count the CPU's free objects and find the last one. */
	for (iter = freelist; iter; iter = mslab_get_freepointer(&s->plain, iter)) {
		freelist_tail = iter;
		free_delta++;
	}

	do {
		read_slab_state(slab, &old);
		new.counters = old.counters;
		new.frozen = 0;
		if (freelist_tail) {
			new.inuse -= free_delta;
			mslab_set_freepointer(&s->plain, freelist_tail, old.freelist);
			new.freelist = freelist;
		} else {
			new.freelist = old.freelist;
		}
	} while (!slab_update_freelist(s, slab, old.freelist, old.counters,
				       new.freelist, new.counters));

	/* Racy peek, as SLUB's: one slab too many or too few is kept. */
	if (!new.inuse && !data_race(mslab_keep_empty(s, n, slab))) {
		mslab_stat(s, DEACTIVATE_EMPTY);
		mslab_discard_slab(s, slab);
	} else if (new.freelist) {
		spin_lock_irqsave(&n->list_lock, flags);
		mslab_add_partial(s, n, slab, tail);
		spin_unlock_irqrestore(&n->list_lock, flags);
		mslab_stat(s, tail);
	} else {
		mslab_stat(s, DEACTIVATE_FULL);
	}
}

/* === Allocation ========================================================= */

/*
 * The slow path of allocation (SLUB's mslab_slab_alloc_slow()), entered with
 * preemption disabled and @c the current CPU's structure: it may return
 * with @c stale, as it enables preemption to allocate a new slab.
 */
void *mslab_slab_alloc_slow(struct mslab_cache *s, gfp_t gfpflags, int node,
			    struct mslab_cpu *c)
{
	struct mslab_slab *slab;
	unsigned long flags;
	void *freelist;

reread_slab:
	slab = READ_ONCE(c->slab);
	if (!slab) {
		/* A node without memory cannot satisfy a node constraint. */
		if (unlikely(node != NUMA_NO_NODE &&
			     !node_state(node, N_NORMAL_MEMORY)))
			node = NUMA_NO_NODE;
		goto new_slab;
	}

	if (unlikely(!node_match(slab, node))) {
		if (!node_state(node, N_NORMAL_MEMORY)) {
			node = NUMA_NO_NODE;
		} else {
			mslab_stat(s, ALLOC_NODE_MISMATCH);
			goto deactivate;
		}
	}

	local_lock_irqsave(&s->cpu_slab->lock, flags);
	if (unlikely(slab != c->slab)) {
		local_unlock_irqrestore(&s->cpu_slab->lock, flags);
		goto reread_slab;
	}
	freelist = c->freelist;
	if (freelist)
		goto load_freelist;

	/* The CPU used up its freelist: take what others freed meanwhile. */
	freelist = get_freelist(s, slab);
	if (!freelist) {
		c->slab = NULL;
		c->tid = mslab_next_tid(c->tid);
		local_unlock_irqrestore(&s->cpu_slab->lock, flags);
		mslab_stat(s, DEACTIVATE_BYPASS);
		goto new_slab;
	}
	mslab_stat(s, ALLOC_REFILL);

load_freelist:
	lockdep_assert_held(this_cpu_ptr(&s->cpu_slab->lock));
	c->freelist = mslab_get_freepointer(&s->plain, freelist);
	c->tid = mslab_next_tid(c->tid);
	local_unlock_irqrestore(&s->cpu_slab->lock, flags);
	return freelist;

deactivate:
	local_lock_irqsave(&s->cpu_slab->lock, flags);
	if (slab != c->slab) {
		local_unlock_irqrestore(&s->cpu_slab->lock, flags);
		goto reread_slab;
	}
	freelist = c->freelist;
	c->slab = NULL;
	c->freelist = NULL;
	c->tid = mslab_next_tid(c->tid);
	local_unlock_irqrestore(&s->cpu_slab->lock, flags);
	mslab_deactivate_slab(s, slab, freelist);

new_slab:
	while (READ_ONCE(c->partial)) {
		local_lock_irqsave(&s->cpu_slab->lock, flags);
		if (unlikely(c->slab)) {
			local_unlock_irqrestore(&s->cpu_slab->lock, flags);
			goto reread_slab;
		}
		slab = c->partial;
		if (unlikely(!slab)) {
			local_unlock_irqrestore(&s->cpu_slab->lock, flags);
			break;
		}
		c->partial = slab->next;
		if (likely(node_match(slab, node))) {
			c->slab = slab;
			freelist = get_freelist(s, slab);
			mslab_stat(s, CPU_PARTIAL_ALLOC);
			if (likely(freelist))
				goto load_freelist;
			/* Cannot happen: cpu partial slabs have free objects. */
			c->slab = NULL;
			local_unlock_irqrestore(&s->cpu_slab->lock, flags);
			continue;
		}
		local_unlock_irqrestore(&s->cpu_slab->lock, flags);
		slab->next = NULL;
		mslab_put_partials_list(s, slab);
	}

	slab = get_partial(s, node);
	if (slab) {
		freelist = freeze_slab(s, slab);
		goto retry_load_slab;
	}

	/* Enable preemption (and interrupts, if allowed) to get pages. */
	mslab_put_cpu_ptr(s->cpu_slab);
	slab = mslab_new_slab(s, &s->plain, gfpflags, node);
	c = mslab_get_cpu_ptr(s->cpu_slab);
	if (unlikely(!slab))
		return NULL;

	freelist = slab->freelist;
	slab->freelist = NULL;

retry_load_slab:
	local_lock_irqsave(&s->cpu_slab->lock, flags);
	if (unlikely(c->slab)) {
		/* Someone else filled this CPU's slot meanwhile: replace it. */
		void *flush_freelist = c->freelist;
		struct mslab_slab *flush_slab = c->slab;

		c->slab = NULL;
		c->freelist = NULL;
		c->tid = mslab_next_tid(c->tid);
		local_unlock_irqrestore(&s->cpu_slab->lock, flags);
		mslab_deactivate_slab(s, flush_slab, flush_freelist);
		mslab_stat(s, CPUSLAB_FLUSH);
		goto retry_load_slab;
	}
	if (unlikely(READ_ONCE(s->layout) != &s->plain)) {
		/*
		 * Debugging was switched on meanwhile, and this CPU may have
		 * been flushed already: take one object, as if allocated
		 * just before the switch, and do not install the slab.
		 */
		local_unlock_irqrestore(&s->cpu_slab->lock, flags);
		mslab_deactivate_slab(s, slab,
				      mslab_get_freepointer(&s->plain, freelist));
		return freelist;
	}
	c->slab = slab;
	goto load_freelist;
}

static void *__slab_alloc(struct mslab_cache *s, gfp_t gfpflags, int node,
			  unsigned int orig_size, unsigned long addr)
{
	struct mslab_layout *l = READ_ONCE(s->layout);
	struct mslab_cpu *c;
	void *p;

	mslab_stat(s, ALLOC_SLOWPATH);
	/* A debug cache has no cpu slab: its fast path always ends here. */
	if (unlikely(l != &s->plain))
		return mslab_debug_alloc(s, l, gfpflags, node,
					 orig_size ?: s->object_size, addr);
	/* Stay on this CPU: the slow path works on this CPU's structures. */
	c = mslab_get_cpu_ptr(s->cpu_slab);
	p = mslab_slab_alloc_slow(s, gfpflags, node, c);
	mslab_put_cpu_ptr(s->cpu_slab);
	return p;
}

#ifdef MSLAB_LOCKLESS_FAST_PATH
#ifdef CONFIG_X86_64
/*
 * x86's this_cpu_try_cmpxchg128() falls back to an out-of-line emulation for
 * CPUs without CX16, which the kernel does not export to modules. mslab
 * refuses to load on such CPUs (mslab_alloc_init()), so it can issue the
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

static inline bool update_cpu_freelist_fast(struct mslab_cache *s,
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

static __always_inline void *slab_alloc_fast(struct mslab_cache *s, int node)
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
	if (unlikely(!object || !slab || !node_match(slab, node)))
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
#else
/*
 * Without cmpxchg128, or on PREEMPT_RT, the fast path is the same work
 * under the local lock.
 */
static __always_inline void *slab_alloc_fast(struct mslab_cache *s, int node)
{
	struct mslab_cpu *c;
	unsigned long flags;
	void *object;

	local_lock_irqsave(&s->cpu_slab->lock, flags);
	c = this_cpu_ptr(s->cpu_slab);
	object = c->freelist;
	if (unlikely(!object || !c->slab || !node_match(c->slab, node))) {
		local_unlock_irqrestore(&s->cpu_slab->lock, flags);
		return NULL;
	}
	c->freelist = mslab_get_freepointer(&s->plain, object);
	c->tid = mslab_next_tid(c->tid);
	local_unlock_irqrestore(&s->cpu_slab->lock, flags);
	mslab_stat(s, ALLOC_FASTPATH);
	return object;
}
#endif

/* The sheaf front end's fast path: pop from this CPU's main sheaf. */
static __always_inline void *sheaf_alloc_fast(struct mslab_cache *s)
{
	struct mslab_pcs *pcs = mslab_pcs_enter(s->pcs);
	void *object = NULL;

	if (unlikely(!pcs))
		return NULL;
	if (likely(pcs->main->size))
		object = pcs->main->objects[--pcs->main->size];
	mslab_pcs_exit(pcs);
	if (likely(object))
		mslab_stat(s, ALLOC_FASTPATH);
	return object;
}

/* And its free: push on this CPU's main sheaf, if it has room. */
static __always_inline bool sheaf_free_fast(struct mslab_cache *s, void *x,
					    unsigned long addr)
{
	struct mslab_pcs *pcs = mslab_pcs_enter(s->pcs);
	struct mslab_sheaf *main;

	if (unlikely(!pcs))
		return false;
	main = pcs->main;
	if (unlikely(main->size >= s->sheaf_capacity)) {
		mslab_pcs_exit(pcs);
		return false;
	}
	/* The naive double-free check SLUB's hardened freelist makes. */
	if (unlikely(main->size && main->objects[main->size - 1] == x)) {
		mslab_pcs_exit(pcs);
		mslab_report_free_error(s, x, addr, "double free");
		return true;
	}
	main->objects[main->size++] = x;
	mslab_pcs_exit(pcs);
	mslab_stat(s, FREE_FASTPATH);
	return true;
}

/*
 * @orig_size: the size a kmalloc caller asked for, or 0 for the object
 * size: looked up only where needed, off the fast paths.
 */
static __always_inline void *slab_alloc_node(struct mslab_cache *s,
					     gfp_t gfpflags, int node,
					     unsigned int orig_size,
					     unsigned long addr)
{
	void *object;

	might_alloc(gfpflags);
	object = NULL;
	if (mslab_use_sheaves(s) && node == NUMA_NO_NODE) {
		object = sheaf_alloc_fast(s);
		if (unlikely(!object))
			object = mslab_sheaf_alloc(s, gfpflags);
	}
	if (!object)
		object = slab_alloc_fast(s, node);
	if (unlikely(!object))
		object = __slab_alloc(s, gfpflags, node, orig_size, addr);
	if (likely(object))
		mslab_init_new_object(s, object, gfpflags, orig_size);
	return object;
}

/**
 * mslab_cache_alloc() - allocate an object from a cache
 * @s: the cache
 * @gfpflags: GFP_KERNEL, GFP_ATOMIC, ... as for kmem_cache_alloc(); these
 *	      decide whether a new slab may be allocated by sleeping, and
 *	      __GFP_ZERO zeroes the object
 *
 * Context: any context @gfpflags allow; the fast path takes no lock.
 * Return: the object, or NULL when no memory could be had.
 */
void *mslab_cache_alloc(struct mslab_cache *s, gfp_t gfpflags)
{
	return slab_alloc_node(s, gfpflags, NUMA_NO_NODE, 0, _RET_IP_);
}
EXPORT_SYMBOL_GPL(mslab_cache_alloc);

/**
 * mslab_cache_alloc_lru() - allocate an object its user puts on a list_lru
 * @s: the cache
 * @lru: the list_lru (a filesystem's inode or dentry list), or NULL
 * @gfpflags: as for mslab_cache_alloc()
 *
 * As kmem_cache_alloc_lru(): for a SLAB_ACCOUNT cache, the list of the
 * object's memory cgroup on @lru exists once this returns, so that
 * list_lru_add_obj() can take the object (memcg.c).
 *
 * Context: as mslab_cache_alloc().
 * Return: the object, or NULL when no memory could be had.
 */
void *mslab_cache_alloc_lru(struct mslab_cache *s, struct list_lru *lru,
			    gfp_t gfpflags)
{
	void *object;

	object = slab_alloc_node(s, gfpflags, NUMA_NO_NODE, 0, _RET_IP_);
	if (unlikely(object && lru && (s->flags & SLAB_ACCOUNT) &&
		     !mslab_memcg_prepare_lru(lru, object, gfpflags))) {
		mslab_cache_free(s, object);
		return NULL;
	}
	return object;
}
EXPORT_SYMBOL_GPL(mslab_cache_alloc_lru);

/**
 * mslab_cache_alloc_node() - allocate an object on a given NUMA node
 * @s: the cache
 * @gfpflags: as for mslab_cache_alloc()
 * @node: the node, or NUMA_NO_NODE for any
 *
 * Context: as mslab_cache_alloc().
 * Return: an object on @node when @node has memory, or NULL when no memory
 * could be had.
 */
void *mslab_cache_alloc_node(struct mslab_cache *s, gfp_t gfpflags, int node)
{
	return mslab_alloc_caller(s, gfpflags, node, 0, _RET_IP_);
}
EXPORT_SYMBOL_GPL(mslab_cache_alloc_node);

/**
 * mslab_alloc_caller() - mslab_cache_alloc_node() for mslab's own callers
 * @s: the cache
 * @gfpflags: as for mslab_cache_alloc()
 * @node: the node, or NUMA_NO_NODE; an impossible one counts as the latter
 * @orig_size: bytes asked for, at most s->object_size: what a kmalloc
 *	       cache with owner tracking records and red-zones beyond; 0 for
 *	       the object size
 * @addr: the caller to record in owner tracking (mslab_kmalloc()'s caller)
 *
 * Return: as mslab_cache_alloc_node().
 */
void *mslab_alloc_caller(struct mslab_cache *s, gfp_t gfpflags, int node,
			 unsigned int orig_size, unsigned long addr)
{
	if (unlikely(node != NUMA_NO_NODE &&
		     (node < 0 || node >= nr_node_ids || !node_possible(node))))
		node = NUMA_NO_NODE;
	return slab_alloc_node(s, gfpflags, node, orig_size, addr);
}
EXPORT_SYMBOL_IF_KUNIT(mslab_alloc_caller);

/* === Free =============================================================== */

/*
 * Link @head..@tail (@cnt objects) onto a slab's freelist as one update,
 * after the checks that catch a double free. Fills @old and @new with the
 * states before and after.
 *
 * Return: false (with nothing changed) if the free was refused.
 */
static bool slab_free_prepare(struct mslab_cache *s, struct mslab_slab *slab,
			      void *head, void *tail, int cnt,
			      unsigned long addr, struct mslab_slab_state *old,
			      struct mslab_slab_state *new)
{
	read_slab_state(slab, old);
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
 * Does this free empty an unfrozen slab that had free objects? Such a slab
 * may sit on a node partial list and then has to leave it, so the update
 * is done under the node's list_lock. (A slab that was full becomes a cpu
 * partial slab without the lock.)
 */
static inline bool slab_free_needs_list_lock(struct mslab_slab_state *old,
					     struct mslab_slab_state *new)
{
	return !new->inuse && !old->frozen && old->freelist;
}

/* What a free that needed no list lock leaves to do. */
static void slab_free_unlocked_done(struct mslab_cache *s,
				    struct mslab_slab *slab,
				    struct mslab_slab_state *old)
{
	if (likely(old->frozen)) {
		mslab_stat(s, FREE_FROZEN);
	} else if (!old->freelist) {
		/* A full slab got a free object: a cpu partial now. */
		if (likely(put_cpu_partial(s, slab, true))) {
			mslab_stat(s, CPU_PARTIAL_FREE);
		} else {
			slab->next = NULL;
			mslab_put_partials_list(s, slab);
		}
	}
}

/*
 * The part of __slab_free() that runs under the slab's node list_lock.
 * Return: true if the objects were freed, false if the free was refused.
 */
static bool __slab_free_locked(struct mslab_cache *s, struct mslab_slab *slab,
			       void *head, void *tail, int cnt,
			       unsigned long addr)
{
	struct mslab_node *n = s->node[mslab_slab_nid(slab)];
	struct mslab_slab_state old, new;
	unsigned long flags;

	spin_lock_irqsave(&n->list_lock, flags);
	do {
		if (!slab_free_prepare(s, slab, head, tail, cnt, addr,
				       &old, &new)) {
			spin_unlock_irqrestore(&n->list_lock, flags);
			return false;
		}
	} while (!slab_update_freelist(s, slab, old.freelist, old.counters,
				       new.freelist, new.counters));

	if (!slab_free_needs_list_lock(&old, &new)) {
		/* The slab changed state before we had the lock. */
		spin_unlock_irqrestore(&n->list_lock, flags);
		slab_free_unlocked_done(s, slab, &old);
		return true;
	}
	/* Empty, but on a CPU's partial chain: not ours to move. */
	if (!mslab_on_node_list(slab)) {
		spin_unlock_irqrestore(&n->list_lock, flags);
		return true;
	}
	/* Kept for reuse (only a node partial slab is): the shrinker's. */
	if (mslab_keep_empty(s, n, slab)) {
		mslab_note_empty(n, slab);
		spin_unlock_irqrestore(&n->list_lock, flags);
		return true;
	}
	mslab_remove_partial(n, slab);
	mslab_stat(s, FREE_REMOVE_PARTIAL);
	spin_unlock_irqrestore(&n->list_lock, flags);
	mslab_discard_slab(s, slab);
	return true;
}

/*
 * Free objects @head..@tail (@cnt of them, linked) to a slab this CPU does
 * not own (SLUB's __slab_free()).
 */
static void __slab_free(struct mslab_cache *s, struct mslab_slab *slab,
			void *head, void *tail, int cnt, unsigned long addr,
			bool user)
{
	struct mslab_slab_state old, new;

	/* A debug slab is never a cpu slab: its fast path always ends here. */
	if (mslab_slab_debug(slab)) {
		mslab_debug_free(s, slab, head, tail, cnt, addr, user);
		return;
	}
	do {
		if (!slab_free_prepare(s, slab, head, tail, cnt, addr,
				       &old, &new))
			return;
		if (slab_free_needs_list_lock(&old, &new)) {
			if (__slab_free_locked(s, slab, head, tail, cnt,
					       addr) && user)
				mslab_stat_add(s, FREE_SLOWPATH, cnt);
			return;
		}
	} while (!slab_update_freelist(s, slab, old.freelist, old.counters,
				       new.freelist, new.counters));
	/* Counted once done, so refused frees are not frees. */
	if (user)
		mslab_stat_add(s, FREE_SLOWPATH, cnt);
	slab_free_unlocked_done(s, slab, &old);
}

#ifdef MSLAB_LOCKLESS_FAST_PATH
static __always_inline bool slab_free_fast(struct mslab_cache *s,
					   struct mslab_slab *slab, void *head,
					   void *tail, int cnt,
					   unsigned long addr, bool user)
{
	struct mslab_cpu *c;
	unsigned long tid;
	void **freelist;

redo:
	/* The same tid protocol as slab_alloc_fast(). */
	c = raw_cpu_ptr(s->cpu_slab);
	tid = READ_ONCE(c->tid);
	barrier();
	if (unlikely(slab != READ_ONCE(c->slab)))
		return false;
	freelist = READ_ONCE(c->freelist);
	if (unlikely(freelist == head)) {
		mslab_report_free_error(s, head, addr, "double free");
		return true;
	}
	mslab_set_freepointer(&s->plain, tail, freelist);
	if (unlikely(!update_cpu_freelist_fast(s, freelist, head, tid))) {
		mslab_stat(s, CMPXCHG_DOUBLE_CPU_FAIL);
		goto redo;
	}
	if (user)
		mslab_stat_add(s, FREE_FASTPATH, cnt);
	return true;
}
#else
static __always_inline bool slab_free_fast(struct mslab_cache *s,
					   struct mslab_slab *slab, void *head,
					   void *tail, int cnt,
					   unsigned long addr, bool user)
{
	struct mslab_cpu *c;
	unsigned long flags;

	local_lock_irqsave(&s->cpu_slab->lock, flags);
	c = this_cpu_ptr(s->cpu_slab);
	if (unlikely(slab != c->slab)) {
		local_unlock_irqrestore(&s->cpu_slab->lock, flags);
		return false;
	}
	if (unlikely(c->freelist == head)) {
		local_unlock_irqrestore(&s->cpu_slab->lock, flags);
		mslab_report_free_error(s, head, addr, "double free");
		return true;
	}
	mslab_set_freepointer(&s->plain, tail, c->freelist);
	c->freelist = head;
	c->tid = mslab_next_tid(c->tid);
	local_unlock_irqrestore(&s->cpu_slab->lock, flags);
	if (user)
		mslab_stat_add(s, FREE_FASTPATH, cnt);
	return true;
}
#endif

/*
 * Free the linked objects @head..@tail (@cnt) of one slab. @user says
 * whether they are frees of the cache's user, counted as free_fastpath or
 * free_slowpath, or objects the sheaf front end returns to the slabs.
 */
static __always_inline void do_slab_free(struct mslab_cache *s,
					 struct mslab_slab *slab, void *head,
					 void *tail, int cnt, unsigned long addr,
					 bool user)
{
	if (!slab_free_fast(s, slab, head, tail, cnt, addr, user))
		__slab_free(s, slab, head, tail, cnt, addr, user);
}

/**
 * mslab_slab_free() - free linked objects of one slab
 * @s: the cache
 * @slab: the slab of every object
 * @head: first object; each one's free pointer links to the next
 * @tail: last object
 * @cnt: number of objects
 * @addr: the caller, for reports
 * @user: count them as the user's frees (free_fastpath/free_slowpath)
 *
 * Context: any.
 */
void mslab_slab_free(struct mslab_cache *s, struct mslab_slab *slab,
		     void *head, void *tail, int cnt, unsigned long addr,
		     bool user)
{
	do_slab_free(s, slab, head, tail, cnt, addr, user);
}

/* Free one object of a debug slab of @s: checked with the slab's layout. */
static noinline void free_debug_object(struct mslab_cache *s,
				       struct mslab_slab *slab, void *x,
				       unsigned long addr)
{
	if (mslab_obj_in_slab(slab->layout, slab, x))
		mslab_debug_free(s, slab, x, x, 1, addr, true);
	else
		mslab_report_free_error(s, x, addr,
					"not the start of an object");
}

/*
 * Free one object of a plain slab of @s, after checking it is the start of
 * one. Sheaves hold objects of plain slabs only.
 */
static __always_inline void free_plain_object(struct mslab_cache *s,
					      struct mslab_slab *slab,
					      void *x, unsigned long addr)
{
	if (unlikely(!mslab_obj_in_slab(&s->plain, slab, x))) {
		mslab_report_free_error(s, x, addr, "not the start of an object");
		return;
	}
	if (unlikely(mslab_want_init_on_free(s)))
		mslab_init_on_free_plain(s, x);
	/* Sheaves hold objects of their CPU's node only. */
	if (mslab_use_sheaves(s) && mslab_slab_nid(slab) == numa_mem_id() &&
	    (sheaf_free_fast(s, x, addr) || mslab_sheaf_free(s, x, addr)))
		return;
	do_slab_free(s, slab, x, x, 1, addr, true);
}

/**
 * mslab_free_object() - free one object to its slab
 * @s: the slab's cache
 * @slab: the slab holding @x
 * @x: the object; refused (reported) unless it is the start of one
 * @addr: the caller, for reports
 *
 * Context: any.
 */
void mslab_free_object(struct mslab_cache *s, struct mslab_slab *slab,
		       void *x, unsigned long addr)
{
	if (likely(slab->layout == &s->plain))
		free_plain_object(s, slab, x, addr);
	else
		free_debug_object(s, slab, x, addr);
}

/*
 * The slab of an object about to be freed to @s, or NULL after reporting
 * why @x cannot be: not mslab memory or another cache's object.
 */
struct mslab_slab *mslab_free_to_slab(struct mslab_cache *s, void *x,
				      unsigned long addr)
{
	struct mslab_slab *slab = mslab_virt_to_slab(x);

	if (unlikely(!slab)) {
		mslab_report_free_error(s, x, addr,
					"not an object allocated by mslab");
		return NULL;
	}
	if (unlikely(slab->cache != s)) {
		mslab_report_free_error(s, x, addr,
					"object of cache %s", slab->cache->name);
		return NULL;
	}
	return slab;
}

/**
 * mslab_cache_free() - return an object to its cache
 * @s: the cache the object was allocated from
 * @obj: the object; NULL is ignored
 *
 * A pointer that is not an object of @s (foreign memory, another cache's
 * object, the middle of an object) and an immediate double free are
 * reported in the log and ignored, never put on a freelist.
 *
 * Context: any; the fast path takes no lock.
 */
void mslab_cache_free(struct mslab_cache *s, void *obj)
{
	struct mslab_slab *slab;

	if (unlikely(ZERO_OR_NULL_PTR(obj)))
		return;
	slab = mslab_virt_to_slab(obj);
	/*
	 * The plain layout lives inside @s, so one test says both "a slab of
	 * @s" and "a plain slab": the fast paths'.
	 */
	if (likely(slab && slab->layout == &s->plain)) {
		free_plain_object(s, slab, obj, _RET_IP_);
	} else if (!slab || slab->cache != s) {
		/* Says which of the two it was. */
		mslab_free_to_slab(s, obj, _RET_IP_);
	} else {
		free_debug_object(s, slab, obj, _RET_IP_);
	}
}
EXPORT_SYMBOL_GPL(mslab_cache_free);

