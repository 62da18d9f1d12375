// SPDX-License-Identifier: GPL-2.0
/*
 * mslab's cpu slab layer: SLUB 6.12's per-CPU slabs and per-CPU partial
 * lists (mm/slub.c), below the sheaves and above the node lists.
 *
 * Each CPU owns one frozen "cpu slab" whose free objects it takes from a
 * private freelist (mslab_cpu.freelist) and frees back to it: the fast
 * paths, inline in cpu_slab.h. Where the CPU has cmpxchg128 (and the kernel
 * is not PREEMPT_RT, see MSLAB_LOCKLESS_FAST_PATH) they take no lock and
 * disable nothing: freelist and a transaction id (tid) are replaced
 * together with this_cpu_try_cmpxchg128(), and every other change of the
 * per-CPU freelist bumps the tid, so a fast path that was preempted,
 * migrated or interrupted fails its cmpxchg and retries. Elsewhere (UML,
 * PREEMPT_RT) the fast paths run under the per-CPU local_lock: with
 * interrupts off, or on PREEMPT_RT with the CPU's sleeping lock held and
 * migration off.
 *
 * Here are the slow paths. Objects freed by a CPU that does not own the
 * slab go straight to the slab's own freelist (slab->freelist + counters,
 * one cmpxchg128). A full slab that gets a free becomes a cpu partial slab
 * of the freeing CPU; when a CPU's partial chain exceeds cpu_partial_slabs
 * it is drained to the node lists. An allocation that finds the cpu
 * freelist empty refills it from the slab's freelist (remote frees), else
 * takes a cpu partial slab, else a node's partial slabs (node.c), else a
 * new slab from the buddy allocator (slab.c).
 *
 * The per-CPU lock (mslab_cpu.lock) protects the CPU's slab and partial
 * chain and serialises its slow paths. It is a local_lock: on !PREEMPT_RT
 * it only disables interrupts, and lockdep checks it. No other mslab lock
 * is taken under it. The frozen bit says a CPU owns the slab: only that
 * CPU takes objects from it; other CPUs free to it without moving it
 * between lists.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/lockdep.h>
#include <linux/nodemask.h>

#include "cpu_slab.h"
#include "node.h"
#include "slab.h"

/*
 * What the slow path's steps return, besides an object or NULL, when the
 * CPU gained a cpu slab meanwhile and the slow path starts over. Never an
 * object: objects are never in the last page of the address space.
 */
#define CPU_SLAB_RETRY	((void *)-1L)

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

/*
 * Take the cpu slab away from @c: its slab and private freelist, with the
 * tid bumped so racing fast paths fail. Under the CPU's lock, or for a CPU
 * that is dead.
 */
static struct mslab_slab *take_cpu_slab(struct mslab_cpu *c, void **freelist)
{
	struct mslab_slab *slab = c->slab;

	*freelist = c->freelist;
	c->slab = NULL;
	c->freelist = NULL;
	c->tid = mslab_next_tid(c->tid);
	return slab;
}

/*
 * Take a cpu slab's whole freelist for the CPU (SLUB's get_freelist()). The
 * slab stays frozen while it has free objects; if it has none it is
 * unfrozen and becomes a full slab on no list.
 */
__mslab_hot
static void *get_freelist(struct mslab_cache *s, struct mslab_slab *slab)
{
	struct mslab_slab_state old, new;

	lockdep_assert_held(this_cpu_ptr(&s->cpu_slab->lock));
	do {
		mslab_read_slab_state(slab, &old);
		new.counters = old.counters;
		/* From the snapshot: the counters word changes under us. */
		new.inuse = old.objects;
		new.frozen = !!old.freelist;
		new.freelist = NULL;
	} while (!mslab_slab_update_freelist(s, slab, &old, &new));
	return old.freelist;
}

/* Make a slab taken off a node partial list a cpu slab (freeze_slab()). */
static void *freeze_slab(struct mslab_cache *s, struct mslab_slab *slab)
{
	struct mslab_slab_state old, new;

	do {
		mslab_read_slab_state(slab, &old);
		new.counters = old.counters;
		new.inuse = slab->objects;
		new.frozen = 1;
		new.freelist = NULL;
	} while (!mslab_slab_update_freelist(s, slab, &old, &new));
	return old.freelist;
}

/* === Per-CPU partial chains ============================================= */

/*
 * Put a chain of slabs with free objects (linked by ->next, each ->slabs
 * counted from the chain's end) on this CPU's partial chain (SLUB's
 * put_cpu_partial()). With @drain, a chain already at cpu_partial_slabs
 * first goes to the node lists.
 *
 * Return: false, with nothing done, while debugging is on: the caller gives
 * the slabs back to their nodes. Checked under the CPU's lock, so once a
 * switch (debug_switch.c) has flushed this CPU no plain slab joins its chain.
 */
__mslab_hot
static bool put_cpu_partial(struct mslab_cache *s, struct mslab_slab *chain,
			    bool drain)
{
	struct mslab_slab *oldslab, *slab, *slab_to_put = NULL;
	unsigned long flags;
	int slabs = 0;

	local_lock_irqsave(&s->cpu_slab->lock, flags);
	if (unlikely(!mslab_cache_is_plain(s))) {
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
	for (slab = chain; ; slab = slab->next) {
		slab->slabs += slabs;
		if (!slab->next)
			break;
	}
	slab->next = oldslab;
	this_cpu_write(s->cpu_slab->partial, chain);
	local_unlock_irqrestore(&s->cpu_slab->lock, flags);

	if (slab_to_put) {
		mslab_node_put_partials(s, slab_to_put);
		mslab_stat(s, CPU_PARTIAL_DRAIN);
	}
	return true;
}

/* One slab for this CPU's partial chain, or back to its node. */
__mslab_hot
static void put_cpu_partial_slab(struct mslab_cache *s,
				 struct mslab_slab *slab, bool drain,
				 enum mslab_stat_item si)
{
	slab->next = NULL;
	slab->slabs = 1;
	if (likely(put_cpu_partial(s, slab, drain)))
		mslab_stat(s, si);
	else
		mslab_node_put_partials(s, slab);
}

/*
 * The slab count of a CPU's partial chain, read without the CPU's lock as
 * SLUB does. The head may leave the chain meanwhile, and the field shares
 * its word with list links: an impossible value reads as 0.
 */
unsigned int mslab_chain_slabs_racy(struct mslab_slab *head)
{
	/* Racy by design: checked for sanity below. */
	int slabs = data_race(READ_ONCE(head->slabs));

	if (slabs < 0 || slabs > 2 * MSLAB_CPU_PARTIAL_LIMIT)
		return 0;
	return slabs;
}

/* === Deactivation and flushing ========================================== */

/*
 * Give up a cpu slab (SLUB's deactivate_slab()): splice the CPU's private
 * freelist back onto the slab's, unfreeze it, and put it where its fill
 * says: node partial list, no list (full), or back to the buddy allocator.
 */
__mslab_hot
static void deactivate_slab(struct mslab_cache *s, struct mslab_slab *slab,
			    void *freelist)
{
	struct mslab_node *n = s->node[mslab_slab_nid(slab)];
	enum mslab_stat_item tail = DEACTIVATE_TO_HEAD;
	void *freelist_tail = NULL, *iter;
	struct mslab_slab_state old, new;
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
		mslab_read_slab_state(slab, &old);
		new.counters = old.counters;
		new.frozen = 0;
		if (freelist_tail) {
			new.inuse -= free_delta;
			mslab_set_freepointer(&s->plain, freelist_tail, old.freelist);
			new.freelist = freelist;
		} else {
			new.freelist = old.freelist;
		}
	} while (!mslab_slab_update_freelist(s, slab, &old, &new));

	/* Racy peek, as SLUB's: one slab too many or too few is kept. */
	if (!new.inuse && !data_race(mslab_keep_empty(s, n, slab))) {
		mslab_stat(s, DEACTIVATE_EMPTY);
		mslab_discard_slab(s, slab);
	} else if (new.freelist) {
		mslab_node_add_partial(s, slab, tail);
		mslab_stat(s, tail);
	} else {
		mslab_stat(s, DEACTIVATE_FULL);
	}
}

/* Deactivate a cpu slab taken away from its CPU, if there was one. */
static void flush_cpu_slab(struct mslab_cache *s, struct mslab_slab *slab,
			   void *freelist)
{
	if (slab) {
		deactivate_slab(s, slab, freelist);
		mslab_stat(s, CPUSLAB_FLUSH);
	}
}

/**
 * mslab_cpu_slab_flush_local() - give this CPU's slabs back to the nodes
 * @s: the cache
 *
 * The cpu slab and the partial chain.
 *
 * Context: process context, on the CPU whose slabs are flushed (the flush
 * work of cpu.c).
 */
void mslab_cpu_slab_flush_local(struct mslab_cache *s)
{
	struct mslab_slab *slab, *partial;
	unsigned long flags;
	struct mslab_cpu *c;
	void *freelist;

	local_lock_irqsave(&s->cpu_slab->lock, flags);
	c = this_cpu_ptr(s->cpu_slab);
	slab = take_cpu_slab(c, &freelist);
	partial = c->partial;
	c->partial = NULL;
	local_unlock_irqrestore(&s->cpu_slab->lock, flags);

	flush_cpu_slab(s, slab, freelist);
	if (partial)
		mslab_node_put_partials(s, partial);
}

/**
 * mslab_cpu_slab_flush_dead() - give a dead CPU's slabs back to the nodes
 * @s: the cache
 * @cpu: a CPU that is offline: nothing runs on it, so no lock is needed
 *
 * Context: CPU hotplug teardown, mslab_mutex held.
 */
void mslab_cpu_slab_flush_dead(struct mslab_cache *s, unsigned int cpu)
{
	struct mslab_cpu *c = per_cpu_ptr(s->cpu_slab, cpu);
	struct mslab_slab *slab, *partial;
	void *freelist;

	slab = take_cpu_slab(c, &freelist);
	partial = c->partial;
	c->partial = NULL;
	flush_cpu_slab(s, slab, freelist);
	if (partial)
		mslab_node_put_partials(s, partial);
}

/* === Allocation ========================================================= */

/* Hand out the first object of @freelist; the rest is the CPU's. */
__mslab_hot
static void *load_freelist(struct mslab_cache *s, struct mslab_cpu *c,
			   void *freelist, unsigned long flags)
{
	lockdep_assert_held(this_cpu_ptr(&s->cpu_slab->lock));
	c->freelist = mslab_get_freepointer(&s->plain, freelist);
	c->tid = mslab_next_tid(c->tid);
	local_unlock_irqrestore(&s->cpu_slab->lock, flags);
	return freelist;
}

/*
 * Slow path step 1: an object of the cpu slab, which the fast path found
 * without one: what other CPUs freed to it meanwhile. A cpu slab of
 * another node than @node asks for is deactivated; @node becomes
 * NUMA_NO_NODE when it has no memory to satisfy it.
 *
 * Return: the object, or NULL when the CPU is left without a cpu slab.
 */
__mslab_hot
static void *alloc_from_cpu_slab(struct mslab_cache *s, struct mslab_cpu *c,
				 int *node)
{
	struct mslab_slab *slab;
	unsigned long flags;
	void *freelist;

reread_slab:
	slab = READ_ONCE(c->slab);
	if (!slab) {
		/* A node without memory cannot satisfy a node constraint. */
		if (unlikely(*node != NUMA_NO_NODE &&
			     !node_state(*node, N_NORMAL_MEMORY)))
			*node = NUMA_NO_NODE;
		return NULL;
	}

	if (unlikely(!mslab_node_match(slab, *node))) {
		if (!node_state(*node, N_NORMAL_MEMORY)) {
			*node = NUMA_NO_NODE;
		} else {
			mslab_stat(s, ALLOC_NODE_MISMATCH);
			local_lock_irqsave(&s->cpu_slab->lock, flags);
			if (slab != c->slab) {
				local_unlock_irqrestore(&s->cpu_slab->lock,
							flags);
				goto reread_slab;
			}
			slab = take_cpu_slab(c, &freelist);
			local_unlock_irqrestore(&s->cpu_slab->lock, flags);
			deactivate_slab(s, slab, freelist);
			return NULL;
		}
	}

	local_lock_irqsave(&s->cpu_slab->lock, flags);
	if (unlikely(slab != c->slab)) {
		local_unlock_irqrestore(&s->cpu_slab->lock, flags);
		goto reread_slab;
	}
	freelist = c->freelist;
	if (freelist)
		return load_freelist(s, c, freelist, flags);

	/* The CPU used up its freelist: take what others freed meanwhile. */
	freelist = get_freelist(s, slab);
	if (!freelist) {
		/* Full and unfrozen by get_freelist(): on no list now. */
		take_cpu_slab(c, &freelist);
		local_unlock_irqrestore(&s->cpu_slab->lock, flags);
		mslab_stat(s, DEACTIVATE_BYPASS);
		return NULL;
	}
	mslab_stat(s, ALLOC_REFILL);
	return load_freelist(s, c, freelist, flags);
}

/*
 * Slow path step 2: make the first cpu partial slab of @node the cpu slab;
 * those of other nodes go to their node lists.
 *
 * Return: an object of it, NULL when the chain has none, or CPU_SLAB_RETRY
 * when the CPU gained a cpu slab meanwhile.
 */
__mslab_hot
static void *alloc_from_cpu_partial(struct mslab_cache *s,
				    struct mslab_cpu *c, int node)
{
	struct mslab_slab *slab;
	unsigned long flags;
	void *freelist;

	while (READ_ONCE(c->partial)) {
		local_lock_irqsave(&s->cpu_slab->lock, flags);
		if (unlikely(c->slab)) {
			local_unlock_irqrestore(&s->cpu_slab->lock, flags);
			return CPU_SLAB_RETRY;
		}
		slab = c->partial;
		if (unlikely(!slab)) {
			local_unlock_irqrestore(&s->cpu_slab->lock, flags);
			break;
		}
		c->partial = slab->next;
		if (likely(mslab_node_match(slab, node))) {
			/*
			 * Chained while the cache was plain: a layout switch
			 * flushes this CPU after this, under the same lock.
			 */
			c->slab = slab;
			freelist = get_freelist(s, slab);
			mslab_stat(s, CPU_PARTIAL_ALLOC);
			if (likely(freelist))
				return load_freelist(s, c, freelist, flags);
			/* Cannot happen: cpu partial slabs have free objects. */
			c->slab = NULL;
			local_unlock_irqrestore(&s->cpu_slab->lock, flags);
			continue;
		}
		local_unlock_irqrestore(&s->cpu_slab->lock, flags);
		slab->next = NULL;
		mslab_node_put_partials(s, slab);
	}
	return NULL;
}

/*
 * Slow path step 4: install @slab, frozen, with its free objects @freelist,
 * as the CPU's cpu slab, replacing one another context installed
 * meanwhile, and hand out its first object.
 */
__mslab_hot
static void *install_cpu_slab(struct mslab_cache *s, struct mslab_cpu *c,
			      struct mslab_slab *slab, void *freelist)
{
	struct mslab_slab *flush_slab;
	void *flush_freelist;
	unsigned long flags;

	local_lock_irqsave(&s->cpu_slab->lock, flags);
	while (unlikely(c->slab)) {
		flush_slab = take_cpu_slab(c, &flush_freelist);
		local_unlock_irqrestore(&s->cpu_slab->lock, flags);
		flush_cpu_slab(s, flush_slab, flush_freelist);
		local_lock_irqsave(&s->cpu_slab->lock, flags);
	}
	if (unlikely(!mslab_cache_is_plain(s))) {
		/*
		 * Debugging was switched on meanwhile, and this CPU may have
		 * been flushed already: take one object, as if allocated
		 * just before the switch, and do not install the slab.
		 */
		local_unlock_irqrestore(&s->cpu_slab->lock, flags);
		deactivate_slab(s, slab,
				mslab_get_freepointer(&s->plain, freelist));
		return freelist;
	}
	c->slab = slab;
	return load_freelist(s, c, freelist, flags);
}

/*
 * Slow path step 3: a new cpu slab, a node's partial slab (with a few more
 * for the CPU's partial chain) or a new one from the buddy allocator, for
 * which preemption is enabled: @c may belong to another CPU afterwards.
 */
__mslab_hot
static void *alloc_from_new_cpu_slab(struct mslab_cache *s, gfp_t gfpflags,
				     int node, struct mslab_cpu *c)
{
	struct mslab_slab *slab, *chain;
	void *freelist;

	slab = mslab_node_get_partial(s, node, &chain);
	if (slab) {
		if (chain) {
			unsigned int nr = chain->slabs;

			if (likely(put_cpu_partial(s, chain, false)))
				mslab_stat_add(s, CPU_PARTIAL_NODE, nr);
			else
				mslab_node_put_partials(s, chain);
		}
		freelist = freeze_slab(s, slab);
		return install_cpu_slab(s, c, slab, freelist);
	}

	/* Enable preemption (and interrupts, if allowed) to get pages. */
	mslab_put_cpu_ptr(s->cpu_slab);
	slab = mslab_new_slab(s, &s->plain, gfpflags, node);
	c = mslab_get_cpu_ptr(s->cpu_slab);
	if (unlikely(!slab))
		return NULL;

	freelist = slab->freelist;
	slab->freelist = NULL;
	return install_cpu_slab(s, c, slab, freelist);
}

/*
 * The slow path of allocation (SLUB's ___slab_alloc()), entered with the
 * CPU kept (mslab_get_cpu_ptr()) and @c its structure: it may return with
 * @c stale, as it lets the task move to get a new slab.
 */
__mslab_hot
static void *cpu_slab_alloc_slow(struct mslab_cache *s, gfp_t gfpflags,
				 int node, struct mslab_cpu *c)
{
	void *object;

	do {
		object = alloc_from_cpu_slab(s, c, &node);
		if (object)
			return object;
		object = alloc_from_cpu_partial(s, c, node);
	} while (object == CPU_SLAB_RETRY);
	if (object)
		return object;
	return alloc_from_new_cpu_slab(s, gfpflags, node, c);
}

/**
 * mslab_cpu_slab_alloc() - allocate when the fast path found nothing
 * @s: the cache, plain as the caller read it
 * @gfpflags: as for mslab_cache_alloc()
 * @node: the node, or NUMA_NO_NODE
 *
 * Context: any context @gfpflags allow.
 * Return: the object, or NULL.
 */
__mslab_hot
void *mslab_cpu_slab_alloc(struct mslab_cache *s, gfp_t gfpflags, int node)
{
	struct mslab_cpu *c;
	void *p;

	/* Stay on this CPU: the slow path works on this CPU's structures. */
	c = mslab_get_cpu_ptr(s->cpu_slab);
	p = cpu_slab_alloc_slow(s, gfpflags, node, c);
	mslab_put_cpu_ptr(s->cpu_slab);
	return p;
}

/**
 * mslab_cpu_slab_take() - take objects off this CPU's freelist
 * @s: the cache, plain as the caller read it
 * @gfpflags: as for mslab_cache_alloc()
 * @size: number of objects wanted
 * @p: array of @size pointers to fill
 * @slow: incremented for each time the slow path refilled the freelist
 *
 * Under one acquisition of the per-CPU lock, refilling the freelist through
 * the slow path as needed (SLUB's __kmem_cache_alloc_bulk()).
 *
 * Context: any context @gfpflags allow.
 * Return: @size; or fewer when the slow path found no memory, or when
 * debugging was switched on meanwhile (after the slow path's one object):
 * the caller takes the rest elsewhere or gives the objects back.
 */
size_t mslab_cpu_slab_take(struct mslab_cache *s, gfp_t gfpflags,
			   size_t size, void **p, size_t *slow)
{
	struct mslab_cpu *c;
	unsigned long flags;
	size_t i;

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
			(*slow)++;
			p[i] = cpu_slab_alloc_slow(s, gfpflags, NUMA_NO_NODE, c);
			if (unlikely(!p[i]))
				goto out;
			/* No slab was installed for the rest (debug_switch.c). */
			if (unlikely(!mslab_cache_is_plain(s))) {
				i++;
				goto out;
			}
			c = this_cpu_ptr(s->cpu_slab);
			local_lock_irqsave(&s->cpu_slab->lock, flags);
			continue;
		}
		c->freelist = mslab_get_freepointer(&s->plain, object);
		p[i] = object;
	}
	c->tid = mslab_next_tid(c->tid);
	local_unlock_irqrestore(&s->cpu_slab->lock, flags);
out:
	mslab_put_cpu_ptr(s->cpu_slab);
	return i;
}

/* === Free =============================================================== */

/* What a free that needed no list lock leaves to do. */
__mslab_hot
static void free_unlocked_done(struct mslab_cache *s, struct mslab_slab *slab,
			       struct mslab_slab_state *old)
{
	if (likely(old->frozen))
		mslab_stat(s, FREE_FROZEN);
	else if (!old->freelist)
		/* A full slab got a free object: a cpu partial now. */
		put_cpu_partial_slab(s, slab, true, CPU_PARTIAL_FREE);
}

/**
 * mslab_cpu_slab_free_slow() - free to a slab this CPU does not own
 * @s: the cache
 * @slab: a plain slab, not this CPU's cpu slab when the caller looked
 * @head: first object; each one's free pointer links to the next
 * @tail: last object
 * @cnt: number of objects
 * @addr: the caller, for reports
 *
 * SLUB's __slab_free(): onto the slab's own freelist. A free that empties
 * a slab that may sit on a node list is the node layer's.
 *
 * Context: any.
 * Return: MSLAB_FREED_SLOW, or MSLAB_FREED_NONE if refused (reported).
 */
__mslab_hot
enum mslab_freed mslab_cpu_slab_free_slow(struct mslab_cache *s,
					  struct mslab_slab *slab, void *head,
					  void *tail, int cnt,
					  unsigned long addr)
{
	struct mslab_slab_state old, new;
	int ret;

	do {
		if (!mslab_slab_free_prepare(s, slab, head, tail, cnt, addr,
					     &old, &new))
			return MSLAB_FREED_NONE;
		/*
		 * It empties an unfrozen slab that had free objects: that
		 * may be on a node list. (A slab that was full becomes a
		 * cpu partial slab without the node's lock.)
		 */
		if (!new.inuse && !old.frozen && old.freelist) {
			ret = mslab_node_free(s, slab, head, tail, cnt, addr,
					      &old);
			if (ret < 0)
				return MSLAB_FREED_NONE;
			if (ret > 0)
				free_unlocked_done(s, slab, &old);
			return MSLAB_FREED_SLOW;
		}
	} while (!mslab_slab_update_freelist(s, slab, &old, &new));
	free_unlocked_done(s, slab, &old);
	return MSLAB_FREED_SLOW;
}
