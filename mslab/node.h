/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The node layer (node.c): each node's partial and retired lists, their
 * counts and its all_slabs list. Everything done under a node's list_lock
 * is here, but for debug.c's allocations and frees, which move a debug
 * slab between the lists with the helpers below (a debug slab's freelist
 * is under list_lock too).
 */
#ifndef _MSLAB_NODE_H
#define _MSLAB_NODE_H

#include "mslab.h"
#include "slab.h"

/*
 * A slab on the node partial list has no object in use: count it for the
 * shrinker (mslab_shrink_empty()). Under list_lock.
 */
static inline void mslab_note_empty(struct mslab_node *n,
				    struct mslab_slab *slab)
{
	if (!slab->empty_on_node) {
		slab->empty_on_node = true;
		n->nr_empty++;
	}
}

/* It has objects in use again (a debug slab allocates on the list). */
static inline void mslab_note_in_use(struct mslab_node *n,
				     struct mslab_slab *slab)
{
	if (slab->empty_on_node) {
		slab->empty_on_node = false;
		n->nr_empty--;
	}
}

/*
 * Put a slab with free objects on its node's partial list, or on the
 * retired list when its layout is no longer the cache's current one. Under
 * list_lock, which mslab_node_sort_lists() also holds after a layout
 * switch, so no slab of another layout stays on a partial list.
 */
static inline void mslab_add_partial(struct mslab_cache *s,
				     struct mslab_node *n,
				     struct mslab_slab *slab,
				     enum mslab_stat_item tail)
{
	lockdep_assert_held(&n->list_lock);
	if (unlikely(slab->layout != READ_ONCE(s->layout))) {
		list_add_tail(&slab->slab_list, &n->retired);
		n->nr_retired++;
		slab->retired = true;
		return;
	}
	n->nr_partial++;
	if (tail == DEACTIVATE_TO_TAIL)
		list_add_tail(&slab->slab_list, &n->partial);
	else
		list_add(&slab->slab_list, &n->partial);
	slab->on_node_partial = true;
	/* No free makes it empty without list_lock: it stays as it is. */
	if (!mslab_slab_inuse(slab))
		mslab_note_empty(n, slab);
}

/*
 * Should an empty slab stay on its node for reuse? Only up to min_partial
 * slabs, and only of the current layout: a retired slab goes back to the
 * buddy allocator once empty. Under list_lock, or a racy guess.
 */
static inline bool mslab_keep_empty(struct mslab_cache *s,
				    struct mslab_node *n,
				    struct mslab_slab *slab)
{
	return slab->layout == READ_ONCE(s->layout) &&
	       n->nr_partial < READ_ONCE(s->min_partial);
}

/* Take a slab off its node's partial or retired list. */
static inline void mslab_remove_partial(struct mslab_node *n,
					struct mslab_slab *slab)
{
	lockdep_assert_held(&n->list_lock);
	list_del(&slab->slab_list);
	if (unlikely(slab->retired)) {
		slab->retired = false;
		n->nr_retired--;
		return;
	}
	slab->on_node_partial = false;
	n->nr_partial--;
	mslab_note_in_use(n, slab);
}

/* Is the slab on one of its node's lists (under list_lock)? */
static inline bool mslab_on_node_list(const struct mslab_slab *slab)
{
	return slab->on_node_partial || slab->retired;
}

/* Take a node's list_lock and all_lock, interrupts off, to walk all_slabs. */
static inline void mslab_lock_all_slabs(struct mslab_node *n,
					unsigned long *flags)
	__acquires(&n->list_lock) __acquires(&n->all_lock)
{
	spin_lock_irqsave(&n->list_lock, *flags);
	spin_lock(&n->all_lock);
}

static inline void mslab_unlock_all_slabs(struct mslab_node *n,
					  unsigned long flags)
	__releases(&n->all_lock) __releases(&n->list_lock)
{
	spin_unlock(&n->all_lock);
	spin_unlock_irqrestore(&n->list_lock, flags);
}

/* Taking and giving back slabs: the cpu slab layer's interface. */
struct mslab_slab *mslab_node_get_partial(struct mslab_cache *s, int node,
					  struct mslab_slab **chain);
void mslab_node_put_partials(struct mslab_cache *s, struct mslab_slab *chain);
void mslab_node_add_partial(struct mslab_cache *s, struct mslab_slab *slab,
			    enum mslab_stat_item tail);
int mslab_node_free(struct mslab_cache *s, struct mslab_slab *slab,
		    void *head, void *tail, int cnt, unsigned long addr,
		    struct mslab_slab_state *old);

/* Whole-cache operations: shrinking, a layout switch, teardown, figures. */
void mslab_node_init(struct mslab_node *n);
int mslab_shrink_nodes(struct mslab_cache *s);
unsigned long mslab_shrink_empty(struct mslab_cache *s,
				 unsigned long max_pages);
void mslab_node_sort_lists(struct mslab_cache *s, struct mslab_node *n);
void mslab_discard_all_slabs(struct mslab_cache *s);
unsigned long mslab_count_inuse(struct mslab_cache *s);
unsigned long mslab_count_partial(struct mslab_node *n, bool free);

#endif /* _MSLAB_NODE_H */
