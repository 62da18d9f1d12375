// SPDX-License-Identifier: GPL-2.0
/*
 * mslab object layout: where each object, its free pointer and its debug
 * metadata sit in a slab, alignment and slab order (SLUB's geometry), computed
 * for each layout a cache uses (debug_switch.c) with SLUB 6.12's rules
 * (mm/slub.c: calculate_sizes(), calculate_order(), calc_slab_order();
 * mm/slab_common.c: calculate_alignment()), so that a cache has the same order,
 * objects per slab and stride as the kernel's cache created with the same
 * arguments and debug flags. On kernels before 6.8 the slab order follows their
 * SLUB's rule instead (calculate_order_before_6_8()), since the point is to
 * match the SLUB beside it.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cache.h>
#include <linux/cpumask.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/slab.h>

#include <kunit/visibility.h>

#include "cache.h"
#include "debug.h"

/**
 * mslab_calculate_alignment() - object alignment for a new cache
 * @flags: SLAB_* flags of the cache
 * @align: alignment the creator asked for (0 or a power of two)
 * @size: object size
 *
 * SLAB_HWCACHE_ALIGN aligns to a cache line, or to a fraction of one for
 * objects small enough to share a line, but never below @align.
 *
 * Return: the alignment, at least a word.
 */
unsigned int mslab_calculate_alignment(slab_flags_t flags, unsigned int align,
				       unsigned int size)
{
	if (flags & SLAB_HWCACHE_ALIGN) {
		unsigned int ralign = cache_line_size();

		while (size <= ralign / 2)
			ralign /= 2;
		align = max(align, ralign);
	}
	align = max_t(unsigned int, align, ARCH_SLAB_MINALIGN);
	return ALIGN(align, sizeof(void *));
}
EXPORT_SYMBOL_IF_KUNIT(mslab_calculate_alignment);

/* The smallest order in range whose leftover is at most 1/@fract. */
static unsigned int calc_slab_order(unsigned int size, unsigned int min_order,
				    unsigned int max_order, unsigned int fract)
{
	unsigned int order;

	for (order = min_order; order <= max_order; order++) {
		unsigned int slab_size = (unsigned int)PAGE_SIZE << order;

		if (slab_size % size <= slab_size / fract)
			break;
	}
	return order;
}

/**
 * mslab_calculate_order_before_6_8() - SLUB's slab order before Linux 6.8
 * @size: object stride, at most a slab of MSLAB_MAX_ORDER
 * @min_objects: objects wanted per slab (from the CPU count), at most what
 *		 a slab of MSLAB_MAX_ORDER holds
 *
 * 6.1's calculate_order(): for min_objects down to 2, the smallest order
 * holding them that wastes at most 1/16, 1/8 or 1/4 of the slab; else the
 * smallest order holding one object. 6.8 ("attempt to find layouts up to
 * 1/2 waste") keeps min_objects and accepts up to 1/2 instead: for strides
 * of 10,928 to 12,280 bytes 6.1 gives order 2 (one object in 16 KiB) where
 * 6.12 gives order 3 (two in 32 KiB); for the other strides up to 64 KiB
 * they agree.
 *
 * Return: the order.
 */
unsigned int mslab_calculate_order_before_6_8(unsigned int size,
					      unsigned int min_objects)
{
	unsigned int fraction, order;

	for (; min_objects > 1; min_objects--) {
		for (fraction = 16; fraction >= 4; fraction /= 2) {
			order = calc_slab_order(size,
						get_order(min_objects * size),
						MSLAB_MAX_ORDER, fraction);
			if (order <= MSLAB_MAX_ORDER)
				return order;
		}
	}
	return get_order(size);
}
EXPORT_SYMBOL_IF_KUNIT(mslab_calculate_order_before_6_8);

/**
 * mslab_calculate_order() - preferred slab order for an object stride
 * @size: object stride
 *
 * SLUB 6.12's rule: enough objects per slab for the machine's CPU count
 * (4 * (fls(cpus) + 1)), then the smallest order up to MSLAB_MAX_ORDER
 * wasting at most 1/16 of the slab, else 1/8, 1/4, 1/2. Before 6.8, the
 * kernel's own rule (mslab_calculate_order_before_6_8()). A stride larger
 * than a slab of MSLAB_MAX_ORDER (a 32 KiB object with debug metadata)
 * gets the order of one object, as SLUB's calculate_order() gives it.
 *
 * Return: the order, or -E2BIG when one object does not fit a block of
 * the buddy allocator (MAX_PAGE_ORDER).
 */
int mslab_calculate_order(unsigned int size)
{
	unsigned int nr_cpus, min_objects, max_objects, min_order, order;
	unsigned int fraction;

	if (get_order(size) > MAX_PAGE_ORDER)
		return -E2BIG;
	if (get_order(size) > MSLAB_MAX_ORDER)
		return get_order(size);
	/* As SLUB: present CPUs, unless the arch reports only one so far. */
	nr_cpus = num_present_cpus();
	if (nr_cpus <= 1)
		nr_cpus = nr_cpu_ids;
	min_objects = 4 * (fls(nr_cpus) + 1);
	max_objects = max(mslab_order_objects(MSLAB_MAX_ORDER, size), 1U);
	min_objects = min(min_objects, max_objects);
	/* The rule of the SLUB beside mslab (mslab_backport.h). */
	if (MSLAB_SLUB_ORDER_BEFORE_6_8)
		return mslab_calculate_order_before_6_8(size, min_objects);

	min_order = get_order(min_objects * size);
	if (mslab_order_objects(min_order, size) > MSLAB_MAX_OBJS_PER_SLAB)
		return get_order(size * MSLAB_MAX_OBJS_PER_SLAB) - 1;

	for (fraction = 16; fraction > 1; fraction /= 2) {
		order = calc_slab_order(size, min_order, MSLAB_MAX_ORDER,
					fraction);
		if (order <= MSLAB_MAX_ORDER)
			return order;
	}
	return get_order(size);
}
EXPORT_SYMBOL_IF_KUNIT(mslab_calculate_order);

/* SLUB's set_cpu_partial(): objects kept on each CPU's partial list. */
static void set_cpu_partial(struct mslab_cache *s, unsigned int size)
{
	unsigned int nr_objects;

	if (size >= PAGE_SIZE)
		nr_objects = 6;
	else if (size >= 1024)
		nr_objects = 24;
	else if (size >= 256)
		nr_objects = 52;
	else
		nr_objects = 120;
	s->cpu_partial = nr_objects;
	/* Partial slabs are assumed half full: two slabs' worth per limit. */
	s->cpu_partial_slabs = DIV_ROUND_UP(nr_objects * 2,
					    mslab_oo_objects(s->plain.oo));
}

/**
 * mslab_set_tunables() - a new cache's min_partial and cpu_partial
 * @s: the cache, with its layout for new slabs chosen
 *
 * From the stride of the layout the cache is created with, as SLUB
 * computes them from the stride of its only layout.
 */
void mslab_set_tunables(struct mslab_cache *s)
{
	unsigned int size = s->layout->size;

	s->min_partial = clamp_t(unsigned long, ilog2(size) / 2,
				 MSLAB_MIN_PARTIAL, MSLAB_MAX_PARTIAL);
	set_cpu_partial(s, size);
}

/*
 * Relocate the free pointer after the object when the first word of a free
 * object must not be overwritten: a constructed object, or one RCU readers
 * may still look at after it is freed, keeps its contents; a poisoned one
 * holds the poison; a red-zoned object smaller than a word, or one whose
 * right red zone may start inside it (kmalloc with owner tracking, which
 * red-zones past the size asked for), has no word to spare.
 */
static bool freeptr_after_object(const struct mslab_cache *s,
				 slab_flags_t flags)
{
	return (flags & (SLAB_TYPESAFE_BY_RCU | SLAB_POISON)) || s->ctor ||
	       ((flags & SLAB_RED_ZONE) &&
		(s->object_size < sizeof(void *) ||
		 ((flags & SLAB_KMALLOC) && (flags & SLAB_STORE_USER))));
}

/**
 * mslab_calculate_layout() - lay out objects and slabs for some debug flags
 * @s: the cache, with object_size, align, ctor and its other flags set
 * @l: the layout to fill
 * @debug: debug flags (MSLAB_DEBUG_FLAGS) the layout serves
 *
 * SLUB 6.12's calculate_sizes(). An object's stride is, in order: the
 * left red zone (SLAB_RED_ZONE), the object, its padding to a word (a
 * word more with SLAB_RED_ZONE if there is none: the right red zone), then
 * the metadata: the free pointer when it may not live inside the object,
 * the alloc and free tracks (SLAB_STORE_USER) and the size asked of a
 * kmalloc cache, and a word of padding with SLAB_RED_ZONE; all rounded up
 * to the alignment. Otherwise the free pointer lives in the middle of a
 * free object, away from the edges that buffer overflows hit first.
 *
 * Return: 0, or -E2BIG when an object does not fit a slab of the largest
 * order.
 */
int mslab_calculate_layout(struct mslab_cache *s, struct mslab_layout *l,
			   slab_flags_t debug)
{
	slab_flags_t flags = (s->flags & ~(MSLAB_DEBUG_FLAGS |
					   MSLAB_OBJECT_POISON)) |
			     (debug & MSLAB_DEBUG_FLAGS);
	unsigned int size = s->object_size, stride;
	int order;

	/* Poison the objects themselves only if nobody reads a free one. */
	if ((flags & SLAB_POISON) && !(flags & SLAB_TYPESAFE_BY_RCU) &&
	    !s->ctor)
		flags |= MSLAB_OBJECT_POISON;
	l->flags = flags & (MSLAB_DEBUG_FLAGS | MSLAB_OBJECT_POISON);

	stride = ALIGN(size, sizeof(void *));
	/* Room for a right red zone. */
	if ((flags & SLAB_RED_ZONE) && stride == size)
		stride += sizeof(void *);
	l->inuse = stride;

	if (freeptr_after_object(s, flags)) {
		l->offset = stride;
		stride += sizeof(void *);
	} else {
		l->offset = ALIGN_DOWN(size / 2, sizeof(void *));
	}

	if (flags & SLAB_STORE_USER) {
		stride += mslab_track_size();
		if (flags & SLAB_KMALLOC)
			stride += sizeof(unsigned long);
	}

	l->red_left_pad = 0;
	if (flags & SLAB_RED_ZONE) {
		/* Catch writes before an object ahead of its metadata. */
		stride += sizeof(void *);
		l->red_left_pad = ALIGN(sizeof(void *), s->align);
		stride += l->red_left_pad;
	}
	stride = ALIGN(stride, s->align);
	l->size = stride;
	l->reciprocal_size = reciprocal_value(stride);

	order = mslab_calculate_order(stride);
	if (order < 0)
		return order;
	l->oo = mslab_oo_make(order, stride);
	l->min = mslab_oo_make(get_order(stride), stride);
	l->random = s->plain.random;
	l->random_seq = NULL;
	l->index = mslab_layout_index(debug);
	return 0;
}

/**
 * mslab_calculate_geometry() - a new cache's alignment and plain layout
 * @s: the cache, with flags and ctor set
 * @size: object size
 * @align: requested alignment (0 or a power of two)
 *
 * Return: 0, or -E2BIG when an object does not fit a slab of the largest
 * order.
 */
int mslab_calculate_geometry(struct mslab_cache *s, unsigned int size,
			     unsigned int align)
{
	s->object_size = size;
	s->align = mslab_calculate_alignment(s->flags, align, size);

	s->allocflags = __GFP_COMP;
	if (s->flags & SLAB_CACHE_DMA)
		s->allocflags |= GFP_DMA;
	if (s->flags & SLAB_RECLAIM_ACCOUNT)
		s->allocflags |= __GFP_RECLAIMABLE;
	/*
	 * The kernel exports no per-object memory cgroup charging
	 * (obj_cgroup_charge()), so SLAB_ACCOUNT charges whole slabs: each
	 * slab's pages go to the memory cgroup of the task whose allocation
	 * made the slab, and are uncharged when the slab is freed. Objects
	 * later taken from that slab by tasks of other cgroups are not
	 * charged to them, and an object's memory cgroup, for list_lru, is
	 * that of its slab (alloc.c, mslab_cache_alloc_lru()).
	 */
	if (s->flags & SLAB_ACCOUNT)
		s->allocflags |= __GFP_ACCOUNT;

	return mslab_calculate_layout(s, &s->plain, 0);
}
