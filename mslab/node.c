// SPDX-License-Identifier: GPL-2.0
/*
 * mslab's node layer: each NUMA node's lists of slabs, SLUB 6.12's
 * struct kmem_cache_node (mm/slub.c), below the cpu slabs (cpu_slab.c) and
 * above the slab pages (slab.c).
 *
 * A node keeps its partial slabs, which no CPU owns, on @partial; slabs
 * with free objects whose layout is no longer the cache's current one on
 * @retired (debug_switch.c switches layouts); and every slab it has, whatever
 * its state, on @all_slabs. The cpu slab layer takes a partial slab with a
 * few more for its CPU's partial chain, gives back chains of slabs and
 * slabs it deactivates, and sends here the frees that may empty a slab on
 * a list. Empty slabs beyond min_partial go back to the buddy allocator.
 *
 * Locking: list_lock protects both lists, their counts and each slab's
 * on_node_partial, retired and empty_on_node. It is taken from any context,
 * so always with interrupts off, and no other mslab lock is taken under
 * it but the node's all_lock (mslab_lock_all_slabs()); the lock order is
 * at the top of alloc.c. debug.c allocates and frees debug slabs' objects
 * under it with the helpers of node.h.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/nodemask.h>
#include <linux/timex.h>

#include <kunit/visibility.h>

#include "node.h"

/**
 * mslab_node_init() - set up a cache's new node structure
 * @n: zeroed
 */
void mslab_node_init(struct mslab_node *n)
{
	spin_lock_init(&n->list_lock);
	INIT_LIST_HEAD(&n->partial);
	INIT_LIST_HEAD(&n->retired);
	spin_lock_init(&n->all_lock);
	INIT_LIST_HEAD(&n->all_slabs);
	atomic_long_set(&n->nr_slabs, 0);
	atomic_long_set(&n->total_objects, 0);
}

/* === Slabs for the CPUs ================================================= */

/*
 * Take partial slabs from a node (SLUB's get_partial_node()): the first for
 * a cpu slab, and on @chain, linked by ->next, up to half the cpu partial
 * limit more for the CPU's partial chain.
 */
__mslab_hot
static struct mslab_slab *get_partial_node(struct mslab_cache *s,
					   struct mslab_node *n,
					   struct mslab_slab **chain)
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
		 * looked. Its slow path then finds out (cpu_slab.c).
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
			slab->next = *chain;
			slab->slabs = ++partial_slabs;
			*chain = slab;
			if (partial_slabs > READ_ONCE(s->cpu_partial_slabs) / 2)
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
static struct mslab_slab *get_any_partial(struct mslab_cache *s,
					  struct mslab_slab **chain)
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
		slab = get_partial_node(s, n, chain);
		if (slab)
			return slab;
	}
	return NULL;
}

/**
 * mslab_node_get_partial() - partial slabs for a CPU (SLUB's get_partial())
 * @s: the cache
 * @node: the node asked for, or NUMA_NO_NODE for the local one or, with a
 *	  chance, another
 * @chain: set to a chain of more partial slabs of the same node for the
 *	   CPU's partial chain, linked by ->next, each with its ->slabs
 *	   counted from the chain's end; or left NULL
 *
 * A caller that named a node gets slabs of that node only:
 * mslab_cache_alloc_node() promises memory on the node it was asked for
 * whenever that node has memory. (SLUB may also hand out another node's
 * partial slab unless __GFP_THISNODE is given.) The slabs are on no list
 * when this returns, not yet frozen: the caller freezes the first and puts
 * the chain on its CPU, or gives them back with mslab_node_put_partials().
 *
 * Return: a partial slab of the current layout, or NULL.
 */
__mslab_hot
struct mslab_slab *mslab_node_get_partial(struct mslab_cache *s, int node,
					  struct mslab_slab **chain)
{
	struct mslab_slab *slab;
	int searchnode = node == NUMA_NO_NODE ? numa_mem_id() : node;

	*chain = NULL;
	slab = get_partial_node(s, s->node[searchnode], chain);
	if (slab || node != NUMA_NO_NODE)
		return slab;
	return get_any_partial(s, chain);
}

/**
 * mslab_node_put_partials() - give a chain of slabs back to their nodes
 * @s: the cache
 * @chain: slabs with free objects or none, on no list and not frozen,
 *	   linked by ->next
 *
 * SLUB's __put_partials(): each goes on its node's partial list (or the
 * retired list, for another layout's), an empty one beyond min_partial
 * back to the buddy allocator.
 */
__mslab_hot
void mslab_node_put_partials(struct mslab_cache *s, struct mslab_slab *chain)
{
	struct mslab_slab *slab, *slab_to_discard = NULL;
	unsigned long flags;

	while (chain) {
		struct mslab_node *n = s->node[mslab_slab_nid(chain)];

		/* Take each node's lock once for a run of its slabs. */
		spin_lock_irqsave(&n->list_lock, flags);
		while (chain && s->node[mslab_slab_nid(chain)] == n) {
			slab = chain;
			chain = slab->next;
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

/**
 * mslab_node_add_partial() - put a slab with free objects on its node
 * @s: the cache
 * @slab: a slab just unfrozen, on no list
 * @tail: DEACTIVATE_TO_HEAD or DEACTIVATE_TO_TAIL
 */
void mslab_node_add_partial(struct mslab_cache *s, struct mslab_slab *slab,
			    enum mslab_stat_item tail)
{
	struct mslab_node *n = s->node[mslab_slab_nid(slab)];
	unsigned long flags;

	spin_lock_irqsave(&n->list_lock, flags);
	mslab_add_partial(s, n, slab, tail);
	spin_unlock_irqrestore(&n->list_lock, flags);
}

/**
 * mslab_node_free() - a free that may empty a slab on a node list
 * @s: the cache
 * @slab: a plain slab
 * @head: first object; each one's free pointer links to the next
 * @tail: last object
 * @cnt: number of objects
 * @addr: the caller, for reports
 * @old: set to the slab's state before the free
 *
 * The part of SLUB's __slab_free() under the node's list_lock: a free that
 * empties an unfrozen slab with free objects, which may sit on a node list
 * and then has to leave it. The slab goes back to the buddy allocator
 * unless the node keeps it.
 *
 * Return: -EINVAL if the free was refused (reported); 0 if done; 1 if the
 * slab changed state before the lock was taken: the objects are freed, and
 * the caller finishes as for a free without the lock, from @old.
 */
int mslab_node_free(struct mslab_cache *s, struct mslab_slab *slab,
		    void *head, void *tail, int cnt, unsigned long addr,
		    struct mslab_slab_state *old)
{
	struct mslab_node *n = s->node[mslab_slab_nid(slab)];
	struct mslab_slab_state new;
	unsigned long flags;

	spin_lock_irqsave(&n->list_lock, flags);
	do {
		if (!mslab_slab_free_prepare(s, slab, head, tail, cnt, addr,
					     old, &new)) {
			spin_unlock_irqrestore(&n->list_lock, flags);
			return -EINVAL;
		}
	} while (!mslab_slab_update_freelist(s, slab, old, &new));

	if (new.inuse || old->frozen || !old->freelist) {
		spin_unlock_irqrestore(&n->list_lock, flags);
		return 1;
	}
	/* Empty, but on a CPU's partial chain: not ours to move. */
	if (!mslab_on_node_list(slab)) {
		spin_unlock_irqrestore(&n->list_lock, flags);
		return 0;
	}
	/* Kept for reuse (only a node partial slab is): the shrinker's. */
	if (mslab_keep_empty(s, n, slab)) {
		mslab_note_empty(n, slab);
		spin_unlock_irqrestore(&n->list_lock, flags);
		return 0;
	}
	mslab_remove_partial(n, slab);
	mslab_stat(s, FREE_REMOVE_PARTIAL);
	spin_unlock_irqrestore(&n->list_lock, flags);
	mslab_discard_slab(s, slab);
	return 0;
}

/* === Whole caches ======================================================= */

/* Fill classes that shrink sorts partial lists into (SLUB's value). */
#define SHRINK_PROMOTE_MAX 32

/**
 * mslab_shrink_nodes() - free empty node partial slabs, sort the rest
 * @s: the cache, with its CPUs flushed by the caller
 *
 * Every empty slab on a node partial list goes back to the buddy
 * allocator; the others are sorted so the fullest are used first, which
 * lets the emptiest drain (SLUB's __kmem_cache_do_shrink()).
 *
 * Return: 0 if every node is now free of slabs, 1 otherwise.
 */
int mslab_shrink_nodes(struct mslab_cache *s)
{
	struct list_head promote[SHRINK_PROMOTE_MAX];
	struct mslab_slab *slab, *t;
	struct list_head discard;
	unsigned long flags;
	int node, i, ret = 0;

	for_each_node(node) {
		struct mslab_node *n = s->node[node];

		INIT_LIST_HEAD(&discard);
		for (i = 0; i < SHRINK_PROMOTE_MAX; i++)
			INIT_LIST_HEAD(promote + i);

		spin_lock_irqsave(&n->list_lock, flags);
		list_for_each_entry_safe(slab, t, &n->partial, slab_list) {
			/* Concurrent frees may lower inuse: an upper bound. */
			int free = slab->objects - mslab_slab_inuse(slab);

			if (free == slab->objects) {
				mslab_remove_partial(n, slab);
				list_add(&slab->slab_list, &discard);
			} else if (free > 0 && free <= SHRINK_PROMOTE_MAX) {
				list_move(&slab->slab_list, promote + free - 1);
			}
		}
		for (i = SHRINK_PROMOTE_MAX - 1; i >= 0; i--)
			list_splice(promote + i, &n->partial);
		/* Normally none: a retired slab is freed once empty. */
		list_for_each_entry_safe(slab, t, &n->retired, slab_list) {
			if (!mslab_slab_inuse(slab)) {
				mslab_remove_partial(n, slab);
				list_add(&slab->slab_list, &discard);
			}
		}
		spin_unlock_irqrestore(&n->list_lock, flags);

		list_for_each_entry_safe(slab, t, &discard, slab_list)
			mslab_discard_slab(s, slab);
		if (atomic_long_read(&n->nr_slabs))
			ret = 1;
	}
	return ret;
}

/**
 * mslab_shrink_empty() - free a cache's empty node partial slabs
 * @s: the cache
 * @max_pages: stop once this many pages are freed
 *
 * The shrinker's cheap step: only the slabs each node counts in nr_empty
 * go, no CPU is disturbed and nothing is sorted (mslab_shrink_nodes()
 * does all of that).
 *
 * Return: the pages freed.
 */
unsigned long mslab_shrink_empty(struct mslab_cache *s,
				 unsigned long max_pages)
{
	unsigned long flags, freed = 0;
	struct mslab_slab *slab, *t;
	LIST_HEAD(discard);
	int node;

	for_each_node(node) {
		struct mslab_node *n = s->node[node];

		/* Racy peek: a stale 0 leaves them to the next scan. */
		if (freed >= max_pages || !n || !data_race(n->nr_empty))
			continue;
		spin_lock_irqsave(&n->list_lock, flags);
		list_for_each_entry_safe(slab, t, &n->partial, slab_list) {
			if (freed >= max_pages || !n->nr_empty)
				break;
			/* A debug slab's count is exact under the lock too. */
			if (!slab->empty_on_node || mslab_slab_inuse(slab))
				continue;
			mslab_remove_partial(n, slab);
			list_add(&slab->slab_list, &discard);
			freed += 1UL << slab->order;
		}
		spin_unlock_irqrestore(&n->list_lock, flags);
	}
	list_for_each_entry_safe(slab, t, &discard, slab_list)
		mslab_discard_slab(s, slab);
	return freed;
}
EXPORT_SYMBOL_IF_KUNIT(mslab_shrink_empty);

/**
 * mslab_discard_all_slabs() - free every slab of a cache, in use or not
 * @s: a cache nobody can reach any more (its users are gone)
 *
 * Context: module unload only.
 */
void mslab_discard_all_slabs(struct mslab_cache *s)
{
	struct mslab_slab *slab;
	unsigned long flags;
	int node;

	for_each_node(node) {
		struct mslab_node *n = s->node[node];

		for (;;) {
			mslab_lock_all_slabs(n, &flags);
			slab = list_first_entry_or_null(&n->all_slabs,
							struct mslab_slab,
							all_list);
			if (slab && mslab_on_node_list(slab))
				mslab_remove_partial(n, slab);
			mslab_unlock_all_slabs(n, flags);
			if (!slab)
				break;
			mslab_discard_slab(s, slab);
		}
	}
}

/**
 * mslab_count_inuse() - objects of a cache in use, exactly
 * @s: the cache, with its CPUs flushed so cpu freelists hold nothing
 *
 * Return: the sum of inuse over every slab of every node.
 */
unsigned long mslab_count_inuse(struct mslab_cache *s)
{
	struct mslab_slab *slab;
	unsigned long flags, x = 0;
	int node;

	for_each_node(node) {
		struct mslab_node *n = s->node[node];

		mslab_lock_all_slabs(n, &flags);
		list_for_each_entry(slab, &n->all_slabs, all_list)
			x += mslab_slab_inuse(slab);
		mslab_unlock_all_slabs(n, flags);
	}
	return x;
}
EXPORT_SYMBOL_IF_KUNIT(mslab_count_inuse);

/**
 * mslab_node_sort_lists() - a node's lists after a layout switch
 * @s: the cache, its CPUs flushed since the switch to s->layout
 * @n: one of its nodes
 *
 * Step 4 of a switch (debug_switch.c): partial slabs of other layouts move to
 * the retired list, retired slabs of the new layout back to the partial
 * list, and empty ones go back to the buddy allocator.
 */
void mslab_node_sort_lists(struct mslab_cache *s, struct mslab_node *n)
{
	struct mslab_slab *slab, *t;
	unsigned long flags;
	LIST_HEAD(discard);
	LIST_HEAD(moved);

	spin_lock_irqsave(&n->list_lock, flags);
	list_for_each_entry_safe(slab, t, &n->partial, slab_list) {
		if (slab->layout == s->layout)
			continue;
		mslab_remove_partial(n, slab);
		list_add(&slab->slab_list, &moved);
	}
	list_for_each_entry_safe(slab, t, &n->retired, slab_list) {
		if (slab->layout != s->layout)
			continue;
		mslab_remove_partial(n, slab);
		list_add(&slab->slab_list, &moved);
	}
	list_for_each_entry_safe(slab, t, &moved, slab_list) {
		list_del(&slab->slab_list);
		if (!mslab_slab_inuse(slab) && !mslab_keep_empty(s, n, slab))
			list_add(&slab->slab_list, &discard);
		else
			mslab_add_partial(s, n, slab, DEACTIVATE_TO_TAIL);
	}
	spin_unlock_irqrestore(&n->list_lock, flags);

	list_for_each_entry_safe(slab, t, &discard, slab_list)
		mslab_discard_slab(s, slab);
}

/* Objects in use, or free with @free, of the slabs of one node list. */
static unsigned long count_list(struct list_head *list, bool free)
{
	struct mslab_slab *slab;
	unsigned long x = 0;

	list_for_each_entry(slab, list, slab_list)
		x += free ? slab->objects - mslab_slab_inuse(slab) :
			    mslab_slab_inuse(slab);
	return x;
}

/**
 * mslab_count_partial() - objects on a node's partial slabs
 * @n: the node
 * @free: count the free objects, else those in use
 *
 * Context: takes n->list_lock.
 * Return: the sum over the node partial and retired lists.
 */
unsigned long mslab_count_partial(struct mslab_node *n, bool free)
{
	unsigned long flags, x;

	spin_lock_irqsave(&n->list_lock, flags);
	x = count_list(&n->partial, free) + count_list(&n->retired, free);
	spin_unlock_irqrestore(&n->list_lock, flags);
	return x;
}
