// SPDX-License-Identifier: GPL-2.0
/*
 * mslab's public allocation and free entry points, and the map of the
 * layers below them. An allocation goes down until a layer has an object:
 *
 *   alloc.c     mslab_cache_alloc*(), mslab_cache_free(): the entry points
 *   sheaf.h/.c  the CPU's sheaves, in caches with sheaves (the front end)
 *   cpu_slab.h/.c  the CPU's cpu slab, then its partial chain
 *   node.c      the node's partial slabs
 *   slab.c      a new slab from the buddy allocator
 *
 * A cache with debugging on (debug.c) has no cpu slab and no sheaf: its
 * allocations, and frees of its debug slabs' objects, go from here to
 * debug.c, which works on the node lists under list_lock. Many objects at
 * once go through bulk.c, which is also how the sheaves take objects from
 * and return them to the layers below. Each layer calls only those below
 * it; Documentation/design.rst draws the map.
 *
 * Lock order: a lock is only taken while holding locks above it, never
 * one below it.
 *   1. cpu_hotplug_lock (cpus_read_lock(): flushing every CPU, a layout
 *      switch, shrink, destroy, validate)
 *   2. mslab_mutex (cache.c: the cache list, creation and destruction,
 *      layout switches, module owners)
 *   3. mslab_flush_lock (cpu.c: the per-CPU flush work items; the work
 *      itself runs on the CPUs and takes the locks below)
 *   3a. mslab_pcs.busy (sheaf.h: a CPU's sheaves, held as a trylock that
 *      never waits): the sheaves call the layers below with it set
 *   4. either mslab_node.list_lock (spinlock, irqsave: node.c, debug.c,
 *      checks.c) or mslab_cpu.lock (local_lock, irqsave: cpu_slab.c),
 *      never both: a CPU gives slabs to its node, or takes them, after
 *      releasing its own lock
 *   5. mslab_slab.lock (spinlock, irqsave; only where there is no
 *      cmpxchg128: slab.c), under either lock of 4 or none
 *   6. mslab_node.all_lock (spinlock, irqsave: slab.c, node.h), under
 *      list_lock or none
 *   Taken alone, holding no other lock of mslab's:
 *   - mslab_barn.lock (spinlock, irqsave: sheaf.c)
 *   - mslab_tunables_lock (mutex: sysfs.c, writes of the tunables)
 *
 *   list_lock protects a node's partial and retired lists and their
 *   counts, each slab's on_node_partial, retired and empty_on_node, a
 *   debug slab's freelist and counters, and what validate and the traces
 *   read of its objects in use: the alloc track, the size a kmalloc user
 *   asked for and the kmalloc red zone (debug.c). It is taken from any
 *   context, so always with interrupts off. all_lock, for the node's
 *   all_slabs list, nests inside it (mslab_lock_all_slabs()) and is taken
 *   alone by new and freed slabs.
 *
 *   The per-CPU lock protects the CPU's cpu slab and partial chain, and
 *   serialises its slow paths. A plain slab's freelist and counters change
 *   only by mslab_slab_update_freelist(): cmpxchg128, or the slab's
 *   spinlock.
 *
 *   mslab_mutex also serialises switches of a cache's layout
 *   (debug_switch.c); the paths read s->layout without a lock and check it
 *   where it matters: where a cpu slab or cpu partial slab is installed,
 *   under the per-CPU lock (mslab_cache_is_plain(), cpu_slab.c), and where
 *   a debug slab is taken, under list_lock (debug.c).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <kunit/visibility.h>

#include "cache.h"
#include "cpu_slab.h"
#include "debug.h"
#include "sheaf.h"

/* === Allocation ========================================================= */

/* Where the fast paths found nothing: a debug cache, or the slow path. */
__mslab_hot
static noinline void *slab_alloc_slow(struct mslab_cache *s, gfp_t gfpflags,
				      int node, unsigned int orig_size,
				      unsigned long addr)
{
	struct mslab_layout *l = READ_ONCE(s->layout);

	mslab_stat(s, ALLOC_SLOWPATH);
	/* A debug cache has no cpu slab: its fast path always ends here. */
	if (unlikely(l != &s->plain))
		return mslab_debug_alloc(s, l, gfpflags, node,
					 orig_size ?: s->object_size, addr);
	return mslab_cpu_slab_alloc(s, gfpflags, node);
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
	void *object = NULL;

	might_alloc(gfpflags);
	if (mslab_use_sheaves(s) && node == NUMA_NO_NODE)
		object = mslab_sheaf_alloc(s, gfpflags);
	if (!object)
		object = mslab_cpu_slab_alloc_fast(s, node);
	if (unlikely(!object))
		object = slab_alloc_slow(s, gfpflags, node, orig_size, addr);
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
__mslab_hot
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
__mslab_hot
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

/* Free one object of a debug slab of @s: checked with the slab's layout. */
static noinline void free_debug_object(struct mslab_cache *s,
				       struct mslab_slab *slab, void *x,
				       unsigned long addr)
{
	if (!mslab_obj_in_slab(slab->layout, slab, x))
		mslab_report_free_error(s, x, addr,
					"not the start of an object");
	else if (mslab_debug_free(s, slab, x, x, 1, addr))
		mslab_stat(s, FREE_SLOWPATH);
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
	    mslab_sheaf_free(s, x, addr))
		return;
	mslab_count_free(s, mslab_cpu_slab_free(s, slab, x, x, 1, addr), 1);
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
__mslab_hot
void mslab_free_object(struct mslab_cache *s, struct mslab_slab *slab,
		       void *x, unsigned long addr)
{
	if (likely(slab->layout == &s->plain))
		free_plain_object(s, slab, x, addr);
	else
		free_debug_object(s, slab, x, addr);
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
__mslab_hot
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
		mslab_lookup_slab_checked(s, obj, _RET_IP_);
	} else {
		free_debug_object(s, slab, obj, _RET_IP_);
	}
}
EXPORT_SYMBOL_GPL(mslab_cache_free);

