// SPDX-License-Identifier: GPL-2.0
/*
 * mslab slabs: blocks of 2^order pages from the buddy allocator, carved into
 * objects, with mslab's own descriptor.
 *
 * The kernel's struct slab and PG_slab belong to the kernel's SLUB, so an
 * mslab slab is an ordinary compound page whose head page's private field
 * points to a struct mslab_slab; the descriptor points back at the page.
 * mslab_virt_to_slab() checks both directions, which makes freeing a pointer
 * mslab never handed out a clean error instead of a corruption. Pages go
 * back to the buddy allocator with private cleared, as they came.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>

#include <kunit/visibility.h>

#include "cache.h"
#include "debug.h"
#include "slab.h"

/* Descriptors come from a kernel cache: mslab cannot allocate its own. */
static struct kmem_cache *mslab_slab_desc_cache;

/*
 * Pages mslab holds, slabs and large kmallocs: a count per CPU, added to
 * on the CPU that allocates or frees, summed by mslab_pages_held(). A
 * global atomic would be a cache line every CPU writes on every new and
 * freed slab.
 */
static DEFINE_PER_CPU(long, pages_held);

void mslab_pages_held_add(long nr)
{
	this_cpu_add(pages_held, nr);
}

/**
 * mslab_pages_held() - pages mslab holds, over all caches
 *
 * Exact once allocations stop; meanwhile a sum of each CPU's count in
 * turn, which readers (debugfs stats, the shrinker) only need roughly.
 *
 * Return: the number of pages.
 */
long mslab_pages_held(void)
{
	return mslab_pcpu_sum(&pages_held);
}
EXPORT_SYMBOL_IF_KUNIT(mslab_pages_held);

atomic_t mslab_fail_order = ATOMIC_INIT(0);
EXPORT_SYMBOL_IF_KUNIT(mslab_fail_order);
atomic_t mslab_fail_slab = ATOMIC_INIT(0);
EXPORT_SYMBOL_IF_KUNIT(mslab_fail_slab);

/* Consume one injected failure from @counter, if any is pending. */
static bool should_fail(atomic_t *counter)
{
	return atomic_add_unless(counter, -1, 0);
}

/**
 * mslab_alloc_slab_page() - the one call of the page allocator for slabs
 * @flags: the gfp flags the page allocator gets
 * @node: preferred node, or NUMA_NO_NODE
 * @order: the slab's order
 *
 * KUnit can stand in for it (KUNIT_STATIC_STUB_REDIRECT, nothing without
 * CONFIG_KUNIT) to see the flags a slab is allocated with.
 *
 * Return: the head page, or NULL.
 */
struct page *mslab_alloc_slab_page(gfp_t flags, int node, unsigned int order)
{
	KUNIT_STATIC_STUB_REDIRECT(mslab_alloc_slab_page, flags, node, order);
	if (node == NUMA_NO_NODE)
		return alloc_pages(flags, order);
	return alloc_pages_node(node, flags, order);
}
EXPORT_SYMBOL_IF_KUNIT(mslab_alloc_slab_page);

/*
 * What of an allocation's gfp flags reaches the page allocator (SLUB's
 * new_slab(), with mm/internal.h's masks, which modules cannot include):
 * how hard to try and reclaim, and where; not the caller's __GFP_ZERO,
 * __GFP_MOVABLE, __GFP_ACCOUNT or zone modifiers, which concern objects,
 * not slabs. The cache adds its own (s->allocflags).
 */
#define MSLAB_GFP_RECLAIM_MASK (__GFP_RECLAIM | __GFP_HIGH | __GFP_IO | \
				__GFP_FS | __GFP_NOWARN | __GFP_RETRY_MAYFAIL | \
				__GFP_NOFAIL | __GFP_NORETRY | __GFP_MEMALLOC | \
				__GFP_NOMEMALLOC | __GFP_NOLOCKDEP)
#define MSLAB_GFP_CONSTRAINT_MASK (__GFP_HARDWALL | __GFP_THISNODE)
/* Flags a slab allocator must never be given (SLUB's GFP_SLAB_BUG_MASK). */
#define MSLAB_GFP_NOT_FOR_SLABS (__GFP_DMA32 | __GFP_HIGHMEM | \
				 ~__GFP_BITS_MASK)

/*
 * A caller's gfp flags as the page allocator gets them for a slab. Flags no
 * slab allocator accepts are dropped with a warning that names the cache,
 * as SLUB's kmalloc_fix_flags() does, but without a stack dump.
 */
static gfp_t slab_gfp(struct mslab_cache *s, gfp_t flags)
{
	if (unlikely(flags & MSLAB_GFP_NOT_FOR_SLABS)) {
		gfp_t bad = flags & MSLAB_GFP_NOT_FOR_SLABS;

		pr_warn_ratelimited("cache %s: unexpected gfp %#x (%pGg), fixed up to %#x\n",
				    s->name, (__force unsigned int)bad, &bad,
				    (__force unsigned int)(flags & ~bad));
		flags &= ~MSLAB_GFP_NOT_FOR_SLABS;
	}
	return flags & (MSLAB_GFP_RECLAIM_MASK | MSLAB_GFP_CONSTRAINT_MASK);
}

/*
 * Allocate the pages of a new slab (SLUB's allocate_slab()): the preferred
 * order first, quietly, without retrying and, where the caller may
 * reclaim, without reclaiming or dipping into reserves, since a smaller
 * order will do; then the minimum order (one object) with the caller's
 * own flags.
 */
static struct page *allocate_slab_pages(struct mslab_cache *s,
					struct mslab_layout *l,
					gfp_t flags, int node,
					struct mslab_oo *oo)
{
	struct page *page = NULL;
	gfp_t alloc_gfp;

	flags |= s->allocflags;
	if (should_fail(&mslab_fail_slab))
		return NULL;

	*oo = l->oo;
	alloc_gfp = (flags | __GFP_NOWARN | __GFP_NORETRY) & ~__GFP_NOFAIL;
	if ((alloc_gfp & __GFP_DIRECT_RECLAIM) &&
	    mslab_oo_order(l->oo) > mslab_oo_order(l->min))
		alloc_gfp = (alloc_gfp | __GFP_NOMEMALLOC) & ~__GFP_RECLAIM;
	if (!should_fail(&mslab_fail_order))
		page = mslab_alloc_slab_page(alloc_gfp, node, mslab_oo_order(*oo));
	if (unlikely(!page)) {
		*oo = l->min;
		page = mslab_alloc_slab_page(flags, node, mslab_oo_order(*oo));
		if (unlikely(!page))
			return NULL;
		mslab_stat(s, ORDER_FALLBACK);
	}
	return page;
}

/*
 * /proc/meminfo's Slab, SReclaimable and SUnreclaim count mslab's slabs
 * too, as the kernel's (node counters in bytes; SLUB's account_slab()).
 */
void mslab_account_slab_pages(struct page *page, unsigned int order,
			      bool reclaimable, int sign)
{
	mod_node_page_state(page_pgdat(page),
			    reclaimable ? NR_SLAB_RECLAIMABLE_B :
					  NR_SLAB_UNRECLAIMABLE_B,
			    sign * (long)(PAGE_SIZE << order));
}

/*
 * Run the constructor on every object (SLUB constructs objects once, when
 * a slab is populated, and never again while they cycle through the
 * cache), and link them into a freelist: in address order, or in the
 * cache's random order.
 */
static void *build_freelist(struct mslab_cache *s,
			    const struct mslab_layout *l, void *base,
			    unsigned int objects)
{
	void *p = base;
	unsigned int i;

	if (s->ctor)
		for (i = 0; i < objects; i++)
			s->ctor(base + i * l->size);
	/* A debug slab's free pointers may lie in the poison: link last. */
	if (l->random_seq)
		return mslab_shuffle_freelist(l, base, objects);
	for (i = 0; i < objects; i++, p += l->size)
		mslab_set_freepointer(l, p, i + 1 < objects ? p + l->size : NULL);
	return base;
}

/**
 * mslab_new_slab() - allocate and populate a new slab
 * @s: the cache
 * @l: the layout of the slab: &s->plain or one of s->layouts[]
 * @flags: gfp flags of the allocation that needs the slab
 * @node: preferred node, or NUMA_NO_NODE
 *
 * A plain slab comes back frozen with all objects in use, its freelist in
 * slab->freelist for the caller to take: the state of a new cpu slab. A
 * debug slab (which never becomes a cpu slab) comes back unfrozen with no
 * object in use, its objects red-zoned and poisoned.
 *
 * Context: may sleep if @flags allow it; no mslab lock held.
 * Return: the slab, or NULL when no memory could be had.
 */
__mslab_hot
struct mslab_slab *mslab_new_slab(struct mslab_cache *s,
				  struct mslab_layout *l, gfp_t flags,
				  int node)
{
	struct mslab_slab *slab;
	struct mslab_node *n;
	struct mslab_oo oo;
	struct page *page;
	unsigned long irqflags;
	gfp_t desc_gfp;

	flags = slab_gfp(s, flags);
	page = allocate_slab_pages(s, l, flags, node, &oo);
	if (unlikely(!page))
		return NULL;
	/*
	 * The descriptor with the caller's reclaim flags (__GFP_NOFAIL,
	 * __GFP_NORETRY, __GFP_MEMALLOC ... hold for it too), on the slab's
	 * node, where the paths that touch one touch the other.
	 */
	desc_gfp = flags & MSLAB_GFP_RECLAIM_MASK;
	slab = kmem_cache_alloc_node(mslab_slab_desc_cache,
				     desc_gfp | __GFP_ZERO, page_to_nid(page));
	if (unlikely(!slab)) {
		__free_pages(page, mslab_oo_order(oo));
		return NULL;
	}

	slab->cache = s;
	slab->layout = l;
	slab->base = page_address(page) + l->red_left_pad;
	slab->order = mslab_oo_order(oo);
	slab->node = page_to_nid(page);
	slab->objects = mslab_oo_objects(oo);
	if (mslab_slab_debug(slab)) {
		mslab_debug_init_slab(s, slab);
		slab->inuse = 0;
		slab->frozen = 0;
	} else {
		slab->inuse = slab->objects;
		slab->frozen = 1;
	}
	slab->freelist = build_freelist(s, l, slab->base, slab->objects);
#ifndef MSLAB_HAVE_CMPXCHG_DOUBLE
	spin_lock_init(&slab->lock);
#endif
	/* Publish: lookups check page->private, then slab->page. */
	WRITE_ONCE(slab->page, page);
	set_page_private(page, (unsigned long)slab);

	n = s->node[slab->node];
	spin_lock_irqsave(&n->all_lock, irqflags);
	list_add(&slab->all_list, &n->all_slabs);
	spin_unlock_irqrestore(&n->all_lock, irqflags);
	atomic_long_inc(&n->nr_slabs);
	atomic_long_inc(&n->layout_slabs[l->index]);
	atomic_long_add(slab->objects, &n->total_objects);
	mslab_pages_held_add(1L << slab->order);
	mslab_account_slab_pages(page, slab->order,
				 s->flags & SLAB_RECLAIM_ACCOUNT, 1);
	mslab_stat(s, ALLOC_SLAB);
	return slab;
}
EXPORT_SYMBOL_IF_KUNIT(mslab_new_slab);

/* Return a slab's pages, clean, and its descriptor. */
__mslab_hot
static void free_slab(struct mslab_slab *slab)
{
	struct page *page = slab->page;

	mslab_pages_held_add(-(1L << slab->order));
	mslab_account_slab_pages(page, slab->order,
				 slab->cache->flags & SLAB_RECLAIM_ACCOUNT, -1);
	set_page_private(page, 0);
	WRITE_ONCE(slab->page, NULL);
	__free_pages(page, slab->order);
	kmem_cache_free(mslab_slab_desc_cache, slab);
}

static void rcu_free_slab(struct rcu_head *h)
{
	free_slab(container_of(h, struct mslab_slab, rcu_head));
}

/**
 * mslab_discard_slab() - give an empty slab's pages back to the buddy allocator
 * @s: the cache
 * @slab: a slab on no list and with no object in use
 *
 * The slab leaves the cache at once. For a SLAB_TYPESAFE_BY_RCU cache its
 * pages go back only after an RCU grace period, so a reader that found an
 * object under rcu_read_lock() still reads an object of this cache.
 *
 * Context: any; takes the slab's node all_lock.
 */
__mslab_hot
void mslab_discard_slab(struct mslab_cache *s, struct mslab_slab *slab)
{
	struct mslab_node *n = s->node[slab->node];
	unsigned long flags;

	spin_lock_irqsave(&n->all_lock, flags);
	list_del(&slab->all_list);
	spin_unlock_irqrestore(&n->all_lock, flags);
	atomic_long_dec(&n->nr_slabs);
	atomic_long_dec(&n->layout_slabs[slab->layout->index]);
	atomic_long_sub(slab->objects, &n->total_objects);
	mslab_stat(s, FREE_SLAB);

	if (s->flags & SLAB_TYPESAFE_BY_RCU)
		call_rcu(&slab->rcu_head, rcu_free_slab);
	else
		free_slab(slab);
}
EXPORT_SYMBOL_IF_KUNIT(mslab_discard_slab);

/**
 * mslab_lookup_slab_checked() - the slab of an object freed to a cache
 * @s: the cache the caller frees @x to
 * @x: the pointer freed
 * @addr: the caller, for reports
 *
 * Looks the slab up and checks it is one of @s; frees nothing.
 *
 * Return: the slab, or NULL after reporting why @x cannot be freed to @s:
 * not mslab memory, or another cache's object.
 */
struct mslab_slab *mslab_lookup_slab_checked(struct mslab_cache *s, void *x,
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

int mslab_slab_init(void)
{
	/*
	 * Type-stable under RCU: sysfs and debugfs readers look at other
	 * CPUs' slabs without their locks, and a descriptor freed meanwhile
	 * must still read as a descriptor. Cache-line aligned: remote frees
	 * cmpxchg a slab's freelist and counters, and two descriptors on one
	 * line would make frees to unrelated slabs contend.
	 */
	mslab_slab_desc_cache = kmem_cache_create("mslab_slab",
						  sizeof(struct mslab_slab),
						  sizeof(union mslab_freelist_aba),
						  SLAB_TYPESAFE_BY_RCU |
						  SLAB_HWCACHE_ALIGN, NULL);
	if (!mslab_slab_desc_cache) {
		pr_err("cannot create the slab descriptor cache\n");
		return -ENOMEM;
	}
	return 0;
}

void mslab_slab_exit(void)
{
	kmem_cache_destroy(mslab_slab_desc_cache);
}
