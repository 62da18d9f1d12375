// SPDX-License-Identifier: GPL-2.0
/*
 * mslab's kmalloc family: SLUB's size classes as mslab caches created at
 * module load ("mslab-kmalloc-<size>"), and larger requests served as
 * compound pages straight from the buddy allocator, as the kernel's
 * kmalloc_large() does. mslab_kfree() frees either, and objects of any
 * other mslab cache too.
 *
 * A large allocation's head page has its private field pointing at
 * mslab_large_marker, which no slab descriptor lookup accepts, so
 * mslab_kfree() tells the three kinds of pointer apart in O(1) and reports
 * any pointer mslab never handed out.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include <kunit/visibility.h>

#include "cache.h"
#include "debug.h"
#include "slab.h"

/* Largest kmalloc index: SLUB's kmalloc_index() numbering, 8 KiB. */
#define MSLAB_KMALLOC_MAX_INDEX	13

/* The caches of the size classes, by kmalloc index; set once at load. */
struct mslab_cache *mslab_kmalloc_caches[MSLAB_KMALLOC_MAX_INDEX + 1];
EXPORT_SYMBOL_IF_KUNIT(mslab_kmalloc_caches);

/*
 * SLUB's other kmalloc types: a cache's slabs come from the zone, the
 * mobility and the memory cgroup its own flags say, not the caller's, so
 * kmalloc() callers that ask for those get caches of their own, chosen
 * as SLUB's kmalloc_type() does:
 *   __GFP_DMA           mslab-dma-kmalloc-<size>, SLAB_CACHE_DMA: ZONE_DMA
 *   __GFP_RECLAIMABLE   mslab-kmalloc-rcl-<size>, SLAB_RECLAIM_ACCOUNT
 *   __GFP_ACCOUNT       mslab-kmalloc-cg-<size>, SLAB_ACCOUNT: charged
 * Each array is indexed as mslab_kmalloc_caches[].
 */
enum kmalloc_kind {
#ifdef CONFIG_ZONE_DMA
	KMALLOC_KIND_DMA,
#endif
	KMALLOC_KIND_RECLAIM,
#ifdef CONFIG_MEMCG
	KMALLOC_KIND_CGROUP,
#endif
	NR_KMALLOC_KINDS
};

static const struct {
	const char *prefix;
	slab_flags_t flags;
} kmalloc_kinds[NR_KMALLOC_KINDS] = {
#ifdef CONFIG_ZONE_DMA
	[KMALLOC_KIND_DMA] = { "mslab-dma-kmalloc", SLAB_CACHE_DMA },
#endif
	[KMALLOC_KIND_RECLAIM] = { "mslab-kmalloc-rcl", SLAB_RECLAIM_ACCOUNT },
#ifdef CONFIG_MEMCG
	[KMALLOC_KIND_CGROUP] = { "mslab-kmalloc-cg", SLAB_ACCOUNT },
#endif
};

static struct mslab_cache *
kmalloc_kind_caches[NR_KMALLOC_KINDS][MSLAB_KMALLOC_MAX_INDEX + 1];

/* The flags that choose another type (SLUB's KMALLOC_NOT_NORMAL_BITS). */
#define KMALLOC_NOT_NORMAL (__GFP_RECLAIMABLE |				\
			    (IS_ENABLED(CONFIG_ZONE_DMA) ? __GFP_DMA : 0) |	\
			    (IS_ENABLED(CONFIG_MEMCG) ? __GFP_ACCOUNT : 0))

/* The size class cache of a kmalloc of @size bytes with @flags. */
static struct mslab_cache *kmalloc_cache(size_t size, gfp_t flags)
{
	unsigned int index = mslab_kmalloc_index(size);
	enum kmalloc_kind kind;

	if (likely(!(flags & KMALLOC_NOT_NORMAL)))
		return mslab_kmalloc_caches[index];
	kind = KMALLOC_KIND_RECLAIM;
#ifdef CONFIG_MEMCG
	if (!(flags & __GFP_RECLAIMABLE))
		kind = KMALLOC_KIND_CGROUP;
#endif
#ifdef CONFIG_ZONE_DMA
	if (flags & __GFP_DMA)
		kind = KMALLOC_KIND_DMA;
#endif
	return kmalloc_kind_caches[kind][index];
}

/* Pages held by large kmalloc allocations, per CPU as mslab_pages_held(). */
static DEFINE_PER_CPU(long, large_pages);

/* Pages held by large kmalloc allocations: the sum of the CPUs' counts. */
long mslab_large_pages(void)
{
	return mslab_pcpu_sum(&large_pages);
}
EXPORT_SYMBOL_IF_KUNIT(mslab_large_pages);

/* What a large allocation's head page private field points to. */
static const char mslab_large_marker[] = "mslab large kmalloc";

/*
 * Size class of sizes up to 192 bytes, by (size - 1) / 8 (SLUB's
 * size_index[]): index 1 is the 96-byte class and 2 the 192-byte one, the
 * others are powers of two.
 */
static const u8 size_index[24] = {
	3, 4, 5, 5, 6, 6, 6, 6,	/* 8 .. 64 */
	1, 1, 1, 1,		/* 72 .. 96 */
	7, 7, 7, 7,		/* 104 .. 128 */
	2, 2, 2, 2, 2, 2, 2, 2	/* 136 .. 192 */
};

/**
 * mslab_kmalloc_index() - size class index of a kmalloc size
 * @size: 1 to MSLAB_KMALLOC_MAX_CACHE_SIZE
 *
 * Return: the index in mslab_kmalloc_caches[].
 */
unsigned int mslab_kmalloc_index(size_t size)
{
	if (size <= 192)
		return size_index[(size - 1) / 8];
	return fls(size - 1);
}
EXPORT_SYMBOL_IF_KUNIT(mslab_kmalloc_index);

static bool is_large_kmalloc(struct page *page)
{
	return page_private(page) == (unsigned long)mslab_large_marker;
}

static void *mslab_kmalloc_large(size_t size, gfp_t flags, int node)
{
	unsigned int order = get_order(size);
	struct page *page;

	if (unlikely(order > MAX_PAGE_ORDER))
		return NULL;
	flags |= __GFP_COMP;
	if (node == NUMA_NO_NODE)
		page = alloc_pages(flags, order);
	else
		page = alloc_pages_node(node, flags, order);
	if (!page)
		return NULL;
	set_page_private(page, (unsigned long)mslab_large_marker);
	this_cpu_add(large_pages, 1L << order);
	mslab_pages_held_add(1L << order);
	/* Counted as SUnreclaim, as the kernel counts its large kmallocs. */
	mslab_account_slab_pages(page, order, false, 1);
	return page_address(page);
}

static void kfree_large(struct page *page)
{
	unsigned int order = compound_order(page);

	this_cpu_sub(large_pages, 1L << order);
	mslab_pages_held_add(-(1L << order));
	mslab_account_slab_pages(page, order, false, -1);
	set_page_private(page, 0);
	__free_pages(page, order);
}

/*
 * A set of kmalloc size classes of a subsystem's own (the kernel's
 * kmem_buckets, 6.11): "<name>-<size>" caches whose slabs no other kmalloc
 * user shares, so that a use-after-free elsewhere cannot reach its
 * objects. Large allocations are the buddy allocator's, as for kmalloc.
 */
struct mslab_buckets {
	struct mslab_cache *caches[MSLAB_KMALLOC_MAX_INDEX + 1];
};

/*
 * Allocate for mslab_kmalloc*() and the buckets (@b, or NULL for the size
 * classes), recording @caller in owner tracking.
 */
__mslab_hot
static void *kmalloc_node_caller_b(struct mslab_buckets *b, size_t size,
				   gfp_t flags, int node, unsigned long caller)
{
	struct mslab_cache *s;

	if (unlikely(!size))
		return ZERO_SIZE_PTR;
	if (unlikely(node != NUMA_NO_NODE &&
		     (node < 0 || node >= nr_node_ids || !node_possible(node))))
		node = NUMA_NO_NODE;
	if (unlikely(size > MSLAB_KMALLOC_MAX_CACHE_SIZE))
		return mslab_kmalloc_large(size, flags, node);
	if (unlikely(b))
		s = b->caches[mslab_kmalloc_index(size)];
	else
		s = kmalloc_cache(size, flags);
	return mslab_alloc_caller(s, flags, node, size, caller);
}

static void *kmalloc_node_caller(size_t size, gfp_t flags, int node,
				 unsigned long caller)
{
	return kmalloc_node_caller_b(NULL, size, flags, node, caller);
}

/**
 * mslab_kmalloc_node() - allocate memory on a NUMA node
 * @size: bytes; 0 gives ZERO_SIZE_PTR
 * @flags: GFP flags, as for kmalloc()
 * @node: the node, or NUMA_NO_NODE
 *
 * Context: any context @flags allow.
 * Return: the memory, ZERO_SIZE_PTR for @size 0, or NULL.
 */
void *mslab_kmalloc_node(size_t size, gfp_t flags, int node)
{
	return kmalloc_node_caller(size, flags, node, _RET_IP_);
}
EXPORT_SYMBOL_GPL(mslab_kmalloc_node);

/**
 * mslab_kmalloc() - allocate memory
 * @size: bytes; 0 gives ZERO_SIZE_PTR
 * @flags: GFP flags, as for kmalloc(); __GFP_ZERO zeroes the memory
 *
 * Up to MSLAB_KMALLOC_MAX_CACHE_SIZE bytes come from the size class caches,
 * power-of-two sizes naturally aligned; more come from the buddy
 * allocator.
 *
 * Context: any context @flags allow.
 * Return: the memory, ZERO_SIZE_PTR for @size 0, or NULL.
 */
__mslab_hot
void *mslab_kmalloc(size_t size, gfp_t flags)
{
	return kmalloc_node_caller(size, flags, NUMA_NO_NODE, _RET_IP_);
}
EXPORT_SYMBOL_GPL(mslab_kmalloc);

/*
 * Bytes an object of @slab may use (SLUB's __ksize()): the object alone
 * where red zones or poison guard what follows, else up to the metadata.
 */
static size_t slab_ksize(struct mslab_slab *slab)
{
	const struct mslab_layout *l = slab->layout;

	if (l->flags & (SLAB_RED_ZONE | SLAB_POISON))
		return slab->cache->object_size;
	if (l->flags & SLAB_STORE_USER)
		return l->inuse;
	return mslab_freeptr_outside_object(l) ? l->inuse : l->size;
}

/**
 * mslab_owns() - is this memory mslab's?
 * @p: any pointer
 *
 * Context: any.
 * Return: true if @p points into a slab of an mslab cache or into a large
 * mslab_kmalloc() allocation.
 */
bool mslab_owns(const void *p)
{
	if (ZERO_OR_NULL_PTR(p))
		return false;
	if (mslab_virt_to_slab(p))
		return true;
	return virt_addr_valid(p) &&
	       is_large_kmalloc(compound_head(virt_to_page(p)));
}
EXPORT_SYMBOL_GPL(mslab_owns);

/**
 * mslab_ksize() - the usable size of an allocation
 * @p: memory from mslab_kmalloc() or any mslab cache
 *
 * Return: bytes usable from @p, at least the size asked for; 0 for NULL,
 * ZERO_SIZE_PTR and memory that is not mslab's (reported).
 */
size_t mslab_ksize(const void *p)
{
	struct mslab_slab *slab;
	struct page *page;

	if (unlikely(ZERO_OR_NULL_PTR(p)))
		return 0;
	slab = mslab_virt_to_slab(p);
	if (likely(slab)) {
		/* The caller may use it all now: no kmalloc red zone. */
		if (unlikely(mslab_slab_debug(slab)))
			mslab_debug_resize(slab->cache, slab, (void *)p,
					   slab->cache->object_size, 0);
		return slab_ksize(slab);
	}
	if (virt_addr_valid(p)) {
		page = compound_head(virt_to_page(p));
		if (is_large_kmalloc(page))
			return page_size(page);
	}
	mslab_report_free_error(NULL, p, _RET_IP_,
				"size asked of memory not allocated by mslab");
	return 0;
}
EXPORT_SYMBOL_GPL(mslab_ksize);

/* Free what mslab_kfree() and the RCU callback are given. */
__mslab_hot
static void kfree_addr(const void *p, unsigned long caller)
{
	void *x = (void *)p;
	struct mslab_slab *slab;
	struct page *page;

	slab = mslab_virt_to_slab(x);
	if (likely(slab)) {
		mslab_free_object(slab->cache, slab, x, caller);
		return;
	}
	if (virt_addr_valid(x)) {
		page = compound_head(virt_to_page(x));
		if (is_large_kmalloc(page)) {
			if (unlikely(x != page_address(page))) {
				mslab_report_free_error(NULL, x, caller,
							"not the start of a large allocation");
				return;
			}
			kfree_large(page);
			return;
		}
	}
	mslab_report_free_error(NULL, x, caller,
				"not memory allocated by mslab");
}

/**
 * mslab_kfree() - free memory from mslab_kmalloc() or any mslab cache
 * @p: the memory; NULL and ZERO_SIZE_PTR are ignored
 *
 * A pointer mslab never handed out is reported and ignored.
 *
 * Context: any.
 */
__mslab_hot
void mslab_kfree(const void *p)
{
	if (unlikely(ZERO_OR_NULL_PTR(p)))
		return;
	kfree_addr(p, _RET_IP_);
}
EXPORT_SYMBOL_GPL(mslab_kfree);

/**
 * mslab_kfree_bulk() - free an array of mslab allocations
 * @size: entries in @p
 * @p: pointers from mslab_kmalloc() or any mslab cache, any mix
 *
 * Context: any.
 */
void mslab_kfree_bulk(size_t size, void **p)
{
	mslab_cache_free_bulk(NULL, size, p);
}
EXPORT_SYMBOL_GPL(mslab_kfree_bulk);

/*
 * Resize @p where it is, if it has room for @new_size: zero what becomes
 * the user's for __GFP_ZERO and init_on_alloc, and move the kmalloc red
 * zone of a debug object to @new_size (as SLUB does from 6.14; 6.12 lifted
 * it with ksize()). @slab is @p's, NULL for a large allocation. Fills
 * @used with the bytes the user had.
 */
static bool krealloc_in_place(struct mslab_slab *slab, const void *p,
			      size_t new_size, gfp_t flags, size_t *used)
{
	bool debug = slab && unlikely(mslab_slab_debug(slab));
	void *x = (void *)p;
	size_t room;
	bool zero;

	if (likely(slab))
		room = slab_ksize(slab);
	else
		room = page_size(compound_head(virt_to_page(p)));
	*used = room;
	if (debug)
		*used = mslab_debug_orig_size(slab->cache, slab, x);
	if (new_size > room)
		return false;
	zero = slab ? mslab_want_init_on_alloc(flags, slab->cache) :
		      want_init_on_alloc(flags);
	if (debug) {
		/* The same, under the lock validate checks red zones with. */
		mslab_debug_resize(slab->cache, slab, x, new_size,
				   zero ? room : 0);
	} else if (zero) {
		if (*used < new_size)
			memset(x + *used, 0, new_size - *used);
		else
			memset(x + new_size, 0, room - new_size);
	}
	return true;
}

/**
 * mslab_krealloc() - resize an allocation, keeping its contents
 * @p: memory from mslab_kmalloc(), or NULL (then as mslab_kmalloc())
 * @new_size: bytes wanted; 0 frees @p and gives ZERO_SIZE_PTR
 * @flags: GFP flags for a new allocation; with __GFP_ZERO (and under
 *	   init_on_alloc), bytes past the old size read as zero
 *
 * Shrinks and grows in place while @new_size fits the object.
 *
 * Context: any context @flags allow.
 * Return: the memory (maybe @p), or NULL with @p untouched.
 */
void *mslab_krealloc(const void *p, size_t new_size, gfp_t flags)
{
	struct mslab_slab *slab;
	size_t used;
	void *n;

	if (unlikely(!new_size)) {
		mslab_kfree(p);
		return ZERO_SIZE_PTR;
	}
	if (ZERO_OR_NULL_PTR(p))
		return mslab_kmalloc(new_size, flags);
	slab = mslab_virt_to_slab(p);
	if (unlikely(!slab && !mslab_owns(p))) {
		mslab_report_free_error(NULL, p, _RET_IP_,
					"krealloc of memory not allocated by mslab");
		return NULL;
	}
	if (krealloc_in_place(slab, p, new_size, flags, &used))
		return (void *)p;

	n = kmalloc_node_caller(new_size, flags, NUMA_NO_NODE, _RET_IP_);
	if (!n)
		return NULL;
	memcpy(n, p, used);
	mslab_kfree(p);
	return n;
}
EXPORT_SYMBOL_GPL(mslab_krealloc);

/**
 * mslab_kmalloc_node_track_caller() - mslab_kmalloc_node() for a helper
 * @size: bytes
 * @flags: GFP flags
 * @node: the node, or NUMA_NO_NODE
 * @caller: the address owner tracking records, the helper's caller
 *
 * What kmalloc_track_caller() and kmalloc_node_track_caller() call, for
 * allocation helpers (kstrdup()-like) whose memory should be traced to
 * their callers.
 *
 * Context: any context @flags allow.
 * Return: as mslab_kmalloc_node().
 */
void *mslab_kmalloc_node_track_caller(size_t size, gfp_t flags, int node,
				      unsigned long caller)
{
	return kmalloc_node_caller(size, flags, node, caller);
}
EXPORT_SYMBOL_GPL(mslab_kmalloc_node_track_caller);

/**
 * mslab_kmalloc_size_roundup() - the size mslab_kmalloc() really gives
 * @size: bytes a caller would ask for
 *
 * As kmalloc_size_roundup(): the object size of the size class, a whole
 * number of pages for large allocations.
 *
 * Return: the usable size of a @size-byte mslab_kmalloc(); @size for 0 and
 * for sizes no allocation can have.
 */
size_t mslab_kmalloc_size_roundup(size_t size)
{
	if (size && size <= MSLAB_KMALLOC_MAX_CACHE_SIZE)
		return mslab_kmalloc_caches[mslab_kmalloc_index(size)]->object_size;
	if (size && get_order(size) <= MAX_PAGE_ORDER)
		return PAGE_SIZE << get_order(size);
	return size;
}
EXPORT_SYMBOL_GPL(mslab_kmalloc_size_roundup);

/*
 * The flags of kvmalloc()'s first, physically contiguous attempt: beyond
 * a page, quietly and without trying hard, since vmalloc can take over
 * (the kernel's kmalloc_gfp_adjust()).
 */
static gfp_t kvmalloc_gfp(gfp_t flags, size_t size)
{
	if (size > PAGE_SIZE) {
		flags |= __GFP_NOWARN;
		if (!(flags & __GFP_RETRY_MAYFAIL))
			flags |= __GFP_NORETRY;
		flags &= ~__GFP_NOFAIL;
	}
	return flags;
}

/*
 * kvmalloc from buckets @b (NULL: the size classes), recording @caller in
 * owner tracking for the kmalloc part.
 */
static void *kvmalloc_node_caller_b(struct mslab_buckets *b, size_t size,
				    gfp_t flags, int node, unsigned long caller)
{
	void *p;

	p = kmalloc_node_caller_b(b, size, kvmalloc_gfp(flags, size), node,
				  caller);
	if (p || size <= PAGE_SIZE)
		return p;
	if (!gfpflags_allow_blocking(flags) || size > INT_MAX)
		return NULL;
	if (node != NUMA_NO_NODE &&
	    (flags & ~(__GFP_ZERO | __GFP_NOWARN)) == GFP_KERNEL)
		return flags & __GFP_ZERO ? vzalloc_node(size, node) :
					    vmalloc_node(size, node);
	return __vmalloc(size, flags);
}

/**
 * mslab_kvmalloc_node() - mslab_kmalloc_node(), else vmalloc
 * @size: bytes
 * @flags: GFP flags; vmalloc is tried only where they allow sleeping
 * @node: the node, or NUMA_NO_NODE
 *
 * As the kernel's kvmalloc_node(): mslab's kmalloc first, then, for more
 * than a page, the kernel's vmalloc. vmalloc takes @node only with
 * GFP_KERNEL (and __GFP_ZERO): other flags get memory from any node.
 *
 * Context: any context @flags allow.
 * Return: the memory, ZERO_SIZE_PTR for @size 0, or NULL.
 */
void *mslab_kvmalloc_node(size_t size, gfp_t flags, int node)
{
	return kvmalloc_node_caller_b(NULL, size, flags, node, _RET_IP_);
}
EXPORT_SYMBOL_GPL(mslab_kvmalloc_node);

/**
 * mslab_buckets_kvmalloc_node() - mslab_kvmalloc_node() from buckets
 * @b: buckets from mslab_buckets_create(), or NULL for mslab's size classes
 * @size: bytes
 * @flags: GFP flags; vmalloc is tried only where they allow sleeping
 * @node: the node, or NUMA_NO_NODE
 *
 * What kmem_buckets_valloc() calls.
 *
 * Context: any context @flags allow.
 * Return: the memory, ZERO_SIZE_PTR for @size 0, or NULL.
 */
void *mslab_buckets_kvmalloc_node(struct mslab_buckets *b, size_t size,
				  gfp_t flags, int node)
{
	return kvmalloc_node_caller_b(b, size, flags, node, _RET_IP_);
}
EXPORT_SYMBOL_GPL(mslab_buckets_kvmalloc_node);

/**
 * mslab_buckets_alloc_node_track_caller() - allocate from buckets
 * @b: buckets from mslab_buckets_create(), or NULL for mslab's size classes
 * @size: bytes; 0 gives ZERO_SIZE_PTR
 * @flags: GFP flags, as for kmalloc()
 * @node: the node, or NUMA_NO_NODE
 * @caller: the address owner tracking records
 *
 * What kmem_buckets_alloc() and kmem_buckets_alloc_track_caller() call.
 *
 * Context: any context @flags allow.
 * Return: the memory, ZERO_SIZE_PTR for @size 0, or NULL.
 */
void *mslab_buckets_alloc_node_track_caller(struct mslab_buckets *b,
					    size_t size, gfp_t flags, int node,
					    unsigned long caller)
{
	return kmalloc_node_caller_b(b, size, flags, node, caller);
}
EXPORT_SYMBOL_GPL(mslab_buckets_alloc_node_track_caller);

/**
 * mslab_kvfree() - free mslab_kvmalloc_node() memory
 * @p: memory from mslab_kvmalloc_node() or mslab_kmalloc(), NULL, or
 *     ZERO_SIZE_PTR
 *
 * Context: as vfree() for vmalloc memory, else any.
 */
void mslab_kvfree(const void *p)
{
	if (is_vmalloc_addr(p))
		vfree(p);
	else
		mslab_kfree(p);
}
EXPORT_SYMBOL_GPL(mslab_kvfree);

/**
 * mslab_kvrealloc() - resize mslab_kvmalloc_node() memory
 * @p: memory from mslab_kvmalloc_node() or mslab_kmalloc(), or NULL
 * @size: bytes wanted
 * @flags: GFP flags for a new allocation
 *
 * As the kernel's kvrealloc(): vmalloc memory is resized by the kernel's
 * kvrealloc() (vrealloc() is not exported); mslab memory in place where it
 * fits, else moved to a new mslab_kmalloc() or vmalloc allocation.
 *
 * Context: any context @flags allow.
 * Return: the memory (maybe @p), or NULL with @p untouched.
 */
void *mslab_kvrealloc(const void *p, size_t size, gfp_t flags)
{
	void *n;

	if (is_vmalloc_addr(p))
		return kvrealloc(p, size, flags);
	n = mslab_krealloc(p, size, kvmalloc_gfp(flags, size));
	if (n || size <= PAGE_SIZE)
		return n;
	n = kvmalloc_node_caller_b(NULL, size, flags, NUMA_NO_NODE, _RET_IP_);
	if (!n)
		return NULL;
	if (p) {
		/* krealloc() failed: @size exceeds what @p has. */
		memcpy(n, p, mslab_ksize(p));
		mslab_kfree(p);
	}
	return n;
}
EXPORT_SYMBOL_GPL(mslab_kvrealloc);

/* === RCU freeing ======================================================== */

/* The start of the allocation that holds @x (an rcu_head inside it). */
static void *allocation_start(void *x)
{
	struct mslab_slab *slab = mslab_virt_to_slab(x);

	if (slab)
		return slab->base + mslab_obj_index(slab, x) * slab->layout->size;
	return page_address(compound_head(virt_to_page(x)));
}

/*
 * Frees queued by mslab_kfree_call_rcu() and mslab_kfree_rcu_mightsleep()
 * and not yet done, counted on the CPU that queues and the CPU that runs
 * the callback: the sum is never below the truth. mslab_cache_destroy()
 * waits for a grace period's callbacks only when it is not 0.
 */
static DEFINE_PER_CPU(long, rcu_frees_pending);

/* Are frees queued behind a grace period (a barrier would wait for them)? */
bool mslab_rcu_frees_pending(void)
{
	return mslab_pcpu_sum(&rcu_frees_pending) != 0;
}

static void kfree_rcu_cb(struct rcu_head *head)
{
	kfree_addr(allocation_start(head), _RET_IP_);
	this_cpu_dec(rcu_frees_pending);
}

/**
 * mslab_kfree_call_rcu() - free an allocation after an RCU grace period
 * @head: the struct rcu_head inside the allocation; use mslab_kfree_rcu()
 *
 * mslab_cache_destroy() and module unload wait for these frees.
 *
 * Context: any.
 */
void mslab_kfree_call_rcu(struct rcu_head *head)
{
	this_cpu_inc(rcu_frees_pending);
	call_rcu(head, kfree_rcu_cb);
}
EXPORT_SYMBOL_GPL(mslab_kfree_call_rcu);

/* A free of mslab_kfree_rcu_mightsleep(): the memory has no rcu_head. */
struct deferred_free {
	struct rcu_head rcu;
	const void *p;
};

static void deferred_free_cb(struct rcu_head *head)
{
	struct deferred_free *d = container_of(head, struct deferred_free, rcu);

	mslab_kfree(d->p);
	kfree(d);
	this_cpu_dec(rcu_frees_pending);
}

/**
 * mslab_kfree_rcu_mightsleep() - free after an RCU grace period
 * @p: memory from mslab_kmalloc() or an mslab cache, or NULL
 *
 * As kvfree_rcu_mightsleep(): the free is queued behind a grace period
 * with a small record from the kernel's kmalloc, and the call returns at
 * once; only when that record cannot be had without sleeping does it wait
 * for a grace period itself, then free. mslab_cache_destroy() and module
 * unload wait for the queued frees.
 *
 * Context: process context; may sleep.
 */
void mslab_kfree_rcu_mightsleep(const void *p)
{
	struct deferred_free *d;

	might_sleep();
	if (ZERO_OR_NULL_PTR(p))
		return;
	d = kmalloc(sizeof(*d), GFP_NOWAIT | __GFP_NOWARN);
	if (likely(d)) {
		d->p = p;
		this_cpu_inc(rcu_frees_pending);
		call_rcu(&d->rcu, deferred_free_cb);
		return;
	}
	synchronize_rcu();
	mslab_kfree(p);
}
EXPORT_SYMBOL_GPL(mslab_kfree_rcu_mightsleep);

/* === Size class caches ================================================== */

/* The size classes in size order, with their kmalloc index. */
static const struct {
	u8 index;
	u16 size;
} kmalloc_classes[] = {
	{ 3, 8 }, { 4, 16 }, { 5, 32 }, { 6, 64 }, { 1, 96 }, { 7, 128 },
	{ 2, 192 }, { 8, 256 }, { 9, 512 }, { 10, 1024 }, { 11, 2048 },
	{ 12, 4096 }, { 13, 8192 },
};

/* Create the size class caches named @prefix-<size> with @flags. */
static int create_kmalloc_caches(struct mslab_cache **caches,
				 const char *prefix, slab_flags_t flags)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kmalloc_classes); i++) {
		unsigned int size = kmalloc_classes[i].size;
		/* Power-of-two sizes are naturally aligned, as kmalloc's. */
		unsigned int align = is_power_of_2(size) ?
				     min_t(unsigned int, size, PAGE_SIZE) : 0;
		struct mslab_cache *s;
		char name[32];

		snprintf(name, sizeof(name), "%s-%u", prefix, size);
		/* With owner tracking, objects keep the size asked for. */
		s = mslab_cache_create(name, size, align, SLAB_KMALLOC | flags,
				       NULL);
		if (!s)
			return -ENOMEM;
		caches[kmalloc_classes[i].index] = s;
	}
	return 0;
}

static void destroy_kmalloc_caches(struct mslab_cache **caches)
{
	unsigned int i;

	for (i = 0; i <= MSLAB_KMALLOC_MAX_INDEX; i++) {
		mslab_cache_destroy(caches[i]);
		caches[i] = NULL;
	}
}

/**
 * mslab_kmalloc_init() - create the size class caches
 *
 * Return: 0 or -ENOMEM; on failure no cache is left.
 */
int mslab_kmalloc_init(void)
{
	unsigned int kind;
	int err;

	err = create_kmalloc_caches(mslab_kmalloc_caches, "mslab-kmalloc", 0);
	for (kind = 0; !err && kind < NR_KMALLOC_KINDS; kind++)
		err = create_kmalloc_caches(kmalloc_kind_caches[kind],
					    kmalloc_kinds[kind].prefix,
					    kmalloc_kinds[kind].flags);
	if (err)
		mslab_kmalloc_exit();
	return err;
}

/* Destroy the size class caches; leftovers are reported by destroy. */
void mslab_kmalloc_exit(void)
{
	unsigned int kind;

	destroy_kmalloc_caches(mslab_kmalloc_caches);
	for (kind = 0; kind < NR_KMALLOC_KINDS; kind++)
		destroy_kmalloc_caches(kmalloc_kind_caches[kind]);
}

/* === Buckets ============================================================ */

/**
 * mslab_buckets_create() - kmalloc size classes of a subsystem's own
 * @name: the caches are "<name>-<size>"
 * @flags: SLAB_* flags for all of them
 * @ctor: constructor for all of them, or NULL
 *
 * As the kernel's kmem_buckets_create() (the usercopy region aside): the
 * caches are owned by the caller's module. Free their memory with
 * mslab_kfree(); mslab_buckets_destroy() destroys them.
 *
 * Context: process context; may sleep.
 * Return: the buckets, or NULL (the reason in the log).
 */
struct mslab_buckets *mslab_buckets_create(const char *name,
					   slab_flags_t flags,
					   void (*ctor)(void *))
{
	struct mslab_buckets *b;
	unsigned int i;

	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(kmalloc_classes); i++) {
		unsigned int size = kmalloc_classes[i].size;
		struct mslab_cache_args args = {
			/* Power-of-two sizes naturally aligned, as kmalloc's. */
			.align = is_power_of_2(size) ?
				 min_t(unsigned int, size, PAGE_SIZE) : 0,
			.ctor = ctor,
		};
		struct mslab_cache *s;
		char *cname;

		cname = kasprintf(GFP_KERNEL, "%s-%u", name, size);
		s = cname ? mslab_cache_create_caller(cname, size, &args,
						      SLAB_KMALLOC | flags,
						      _RET_IP_) : NULL;
		kfree(cname);
		if (!s) {
			mslab_buckets_destroy(b);
			return NULL;
		}
		b->caches[kmalloc_classes[i].index] = s;
	}
	return b;
}
EXPORT_SYMBOL_GPL(mslab_buckets_create);

/**
 * mslab_buckets_destroy() - destroy the caches of mslab_buckets_create()
 * @b: the buckets, or NULL
 *
 * Context: process context; may sleep.
 */
void mslab_buckets_destroy(struct mslab_buckets *b)
{
	if (!b)
		return;
	destroy_kmalloc_caches(b->caches);
	kfree(b);
}
EXPORT_SYMBOL_GPL(mslab_buckets_destroy);
