// SPDX-License-Identifier: GPL-2.0
/*
 * mslab debugging's checks (mm/slub.c under CONFIG_SLUB_DEBUG): the free
 * patterns an object gets, and the checks of red zones, poison, padding,
 * free pointers and a slab's counters, which repair what they find as
 * SLUB's do; validate (the sysfs file), and the leaked objects of a dying
 * cache. debug.c's allocation and free paths call them under the slab's
 * node list_lock; every report is report.c's.
 *
 * Lock order: cpu_hotplug_lock (validate) > mslab_mutex > the node's
 * list_lock and all_lock (mslab_lock_all_slabs()).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/cpu.h>
#include <linux/poison.h>
#include <linux/string.h>

#include <kunit/visibility.h>

#include "cache.h"
#include "debug_internal.h"
#include "node.h"

/* SLUB's init_object(): red zones to @val, poison the object. */
void mslab_init_object(struct mslab_cache *s, const struct mslab_layout *l,
		       void *object, u8 val)
{
	unsigned int poison_size = s->object_size;
	u8 *p = object;

	if (l->flags & SLAB_RED_ZONE) {
		memset(p - l->red_left_pad, val, l->red_left_pad);
		/* The bytes kmalloc gave beyond the size asked are red zone. */
		if (debug_orig_size(s, l) && val == SLUB_RED_ACTIVE)
			poison_size = get_orig_size(s, l, object);
	}
	if (l->flags & MSLAB_OBJECT_POISON) {
		memset(p, POISON_FREE, poison_size - 1);
		p[poison_size - 1] = POISON_END;
	}
	if (l->flags & SLAB_RED_ZONE)
		memset(p + poison_size, val, l->inuse - poison_size);
}

static void restore_bytes(struct mslab_cache *s, const char *message, u8 data,
			  void *from, void *to)
{
	mslab_slab_fix(s, "Restoring %s 0x%p-0x%p=0x%x", message, from, to - 1, data);
	memset(from, data, to - from);
}

/*
 * Are the @bytes at @start all @value? If not, report the overwritten run
 * and restore it.
 */
static bool check_bytes_and_report(struct mslab_cache *s,
				   struct mslab_slab *slab, u8 *object,
				   const char *what, u8 *start, u8 value,
				   unsigned int bytes, bool slab_obj_print)
{
	u8 *fault, *end;

	fault = memchr_inv(start, value, bytes);
	if (!fault)
		return true;

	end = start + bytes;
	while (end > fault && end[-1] == value)
		end--;

	mslab_report_overwritten(s, slab, object, what, fault, end, value,
				 slab_obj_print);
	restore_bytes(s, what, value, fault, end);
	return false;
}

static bool check_pad_bytes(struct mslab_cache *s, struct mslab_slab *slab,
			    u8 *p)
{
	const struct mslab_layout *l = slab->layout;
	unsigned int off = mslab_info_end(l);

	if (l->flags & SLAB_STORE_USER) {
		off += mslab_track_size();
		if (s->flags & SLAB_KMALLOC)
			off += sizeof(unsigned long);
	}
	if (size_from_object(l) == off)
		return true;
	return check_bytes_and_report(s, slab, p, "Object padding", p + off,
				      POISON_INUSE, size_from_object(l) - off,
				      true);
}

/* The leftover at the end of a poisoned slab (SLUB's slab_pad_check()). */
static void slab_pad_check(struct mslab_cache *s, struct mslab_slab *slab)
{
	const struct mslab_layout *l = slab->layout;
	u8 *start, *end, *pad, *fault;
	unsigned int remainder;

	if (!(l->flags & SLAB_POISON))
		return;
	start = slab_start(slab);
	end = start + slab_bytes(slab);
	remainder = slab_bytes(slab) % l->size;
	if (!remainder)
		return;
	pad = end - remainder;
	fault = memchr_inv(pad, POISON_INUSE, remainder);
	if (!fault)
		return;
	while (end > fault && end[-1] == POISON_INUSE)
		end--;

	mslab_report_pad_overwritten(s, slab, fault, end, pad, remainder);
	restore_bytes(s, "slab padding", POISON_INUSE, fault, end);
}

/* SLUB's check_object(): @val is SLUB_RED_ACTIVE for an object in use. */
static bool check_object(struct mslab_cache *s, struct mslab_slab *slab,
			 void *object, u8 val)
{
	const struct mslab_layout *l = slab->layout;
	u8 *endobject = object + s->object_size;
	unsigned int orig_size;
	u8 *p = object;
	bool ret = true;

	if (l->flags & SLAB_RED_ZONE) {
		if (!check_bytes_and_report(s, slab, object, "Left Redzone",
					    object - l->red_left_pad, val,
					    l->red_left_pad, ret))
			ret = false;
		if (!check_bytes_and_report(s, slab, object, "Right Redzone",
					    endobject, val,
					    l->inuse - s->object_size, ret))
			ret = false;
		if (debug_orig_size(s, l) && val == SLUB_RED_ACTIVE) {
			orig_size = get_orig_size(s, l, object);
			if (s->object_size > orig_size &&
			    !check_bytes_and_report(s, slab, object,
						    "kmalloc Redzone",
						    p + orig_size, val,
						    s->object_size - orig_size,
						    ret))
				ret = false;
		}
	} else if ((l->flags & SLAB_POISON) && s->object_size < l->inuse) {
		if (!check_bytes_and_report(s, slab, p, "Alignment padding",
					    endobject, POISON_INUSE,
					    l->inuse - s->object_size, ret))
			ret = false;
	}

	if (l->flags & SLAB_POISON) {
		if (val != SLUB_RED_ACTIVE && (l->flags & MSLAB_OBJECT_POISON)) {
			if (!check_bytes_and_report(s, slab, p, "Poison", p,
						    POISON_FREE,
						    s->object_size - 1, ret))
				ret = false;
			if (!check_bytes_and_report(s, slab, p, "End Poison",
						    p + s->object_size - 1,
						    POISON_END, 1, ret))
				ret = false;
		}
		if (!check_pad_bytes(s, slab, p))
			ret = false;
	}

	/*
	 * The free pointer of an object in use is only meaningful when it
	 * lies outside the object.
	 */
	if ((mslab_freeptr_outside_object(l) || val != SLUB_RED_ACTIVE) &&
	    !check_valid_pointer(slab, mslab_get_freepointer(l, p))) {
		mslab_object_err(s, slab, p, "Freepointer corrupt");
		/* Lose the rest of the freelist: the object count is now off. */
		mslab_set_freepointer(l, p, NULL);
		ret = false;
	}
	return ret;
}

bool mslab_check_slab(struct mslab_cache *s, struct mslab_slab *slab)
{
	const struct mslab_layout *l = slab->layout;
	unsigned int maxobj = mslab_order_objects(slab->order, l->size);

	if (slab->objects > maxobj) {
		mslab_slab_err(s, slab, "objects %u > max %u", slab->objects, maxobj);
		return false;
	}
	if (slab->inuse > slab->objects) {
		mslab_slab_err(s, slab, "inuse %u > max %u", slab->inuse,
			       slab->objects);
		return false;
	}
	if (slab->corrupt) {
		mslab_slab_err(s, slab,
			       "Slab disabled since mslab metadata consistency check failed");
		return false;
	}
	slab_pad_check(s, slab);
	return true;
}

/* Give up on a slab: nothing is allocated from or freed to it again. */
void mslab_mark_slab_corrupt(struct mslab_cache *s, struct mslab_slab *slab)
{
	struct mslab_node *n = s->node[mslab_slab_nid(slab)];

	lockdep_assert_held(&n->list_lock);
	mslab_slab_fix(s, "Marking all objects used");
	slab->inuse = slab->objects;
	slab->freelist = NULL;
	slab->corrupt = true;
	if (mslab_on_node_list(slab))
		mslab_remove_partial(n, slab);
}

/*
 * Is @search on the slab's freelist? With @search NULL, check the whole
 * freelist and the object count, repairing both as SLUB's on_freelist():
 * Return: whether @search was found, or for NULL whether the freelist is
 * usable.
 */
static bool on_freelist(struct mslab_cache *s, struct mslab_slab *slab,
			void *search)
{
	const struct mslab_layout *l = slab->layout;
	unsigned int max_objects, nr = 0;
	void *fp, *object = NULL;

	fp = slab->freelist;
	while (fp && nr <= slab->objects) {
		if (fp == search)
			return true;
		if (!check_valid_pointer(slab, fp)) {
			if (object) {
				mslab_object_err(s, slab, object, "Freechain corrupt");
				mslab_set_freepointer(l, object, NULL);
			} else {
				mslab_slab_err(s, slab, "Freepointer corrupt");
				slab->freelist = NULL;
				slab->inuse = slab->objects;
				mslab_slab_fix(s, "Freelist cleared");
				return false;
			}
			break;
		}
		object = fp;
		fp = mslab_get_freepointer(l, object);
		nr++;
	}
	if (fp && nr > slab->objects) {
		/* A loop: more free objects than the slab has. */
		mslab_slab_err(s, slab, "Freelist loops");
		slab->freelist = NULL;
		slab->inuse = slab->objects;
		mslab_slab_fix(s, "Freelist cleared");
		return false;
	}

	max_objects = mslab_order_objects(slab->order, l->size);
	if (max_objects > MSLAB_MAX_OBJS_PER_SLAB)
		max_objects = MSLAB_MAX_OBJS_PER_SLAB;
	if (slab->objects != max_objects) {
		mslab_slab_err(s, slab, "Wrong number of objects. Found %u but should be %u",
			       slab->objects, max_objects);
		slab->objects = max_objects;
		mslab_slab_fix(s, "Number of objects adjusted");
	}
	if (nr > slab->objects)
		nr = slab->objects;
	if (slab->inuse != slab->objects - nr) {
		mslab_slab_err(s, slab, "Wrong object count. Counter is %u but counted were %u",
			       slab->inuse, slab->objects - nr);
		slab->inuse = slab->objects - nr;
		mslab_slab_fix(s, "Object count adjusted");
	}
	return !search;
}

/* Mark the free objects of a slab in @map (SLUB's __fill_map()). */
static void fill_map(unsigned long *map, struct mslab_cache *s,
		     struct mslab_slab *slab)
{
	const struct mslab_layout *l = slab->layout;
	unsigned int nr = 0;
	void *p;

	bitmap_zero(map, slab->objects);
	for (p = slab->freelist; p && nr < slab->objects;
	     p = mslab_get_freepointer(l, p), nr++) {
		if (!check_valid_pointer(slab, p))
			break;
		__set_bit(mslab_obj_index(slab, p), map);
	}
}

bool mslab_alloc_consistency_checks(struct mslab_cache *s,
				    struct mslab_slab *slab, void *object)
{
	if (!mslab_check_slab(s, slab))
		return false;
	if (!check_valid_pointer(slab, object)) {
		mslab_object_err(s, slab, object, "Freelist Pointer check fails");
		return false;
	}
	return check_object(s, slab, object, SLUB_RED_INACTIVE);
}

bool mslab_free_consistency_checks(struct mslab_cache *s,
				   struct mslab_slab *slab, void *object)
{
	if (!check_valid_pointer(slab, object)) {
		mslab_slab_err(s, slab, "Invalid object pointer 0x%p", object);
		return false;
	}
	if (on_freelist(s, slab, object)) {
		mslab_object_err(s, slab, object, "Object already free");
		return false;
	}
	if (!check_object(s, slab, object, SLUB_RED_ACTIVE))
		return false;
	if (unlikely(s != slab->cache)) {
		mslab_object_err(s, slab, object, "page slab pointer corrupt.");
		return false;
	}
	return true;
}

/* SLUB's validate_slab(). */
static void validate_slab(struct mslab_cache *s, struct mslab_slab *slab,
			  unsigned long *obj_map)
{
	const struct mslab_layout *l = slab->layout;
	unsigned int i;
	void *p;

	if (!mslab_check_slab(s, slab) || !on_freelist(s, slab, NULL))
		return;
	/* Now the freelist is known to be good. */
	fill_map(obj_map, s, slab);
	for (i = 0, p = slab->base; i < slab->objects; i++, p += l->size) {
		u8 val = test_bit(i, obj_map) ? SLUB_RED_INACTIVE :
						SLUB_RED_ACTIVE;

		if (!check_object(s, slab, p, val))
			break;
	}
}

static void validate_node(struct mslab_cache *s, struct mslab_node *n,
			  unsigned long *obj_map)
{
	unsigned long flags, partial = 0;
	struct mslab_slab *slab;

	mslab_lock_all_slabs(n, &flags);
	list_for_each_entry(slab, &n->all_slabs, all_list) {
		/*
		 * Already reported, and no longer used; or a plain slab,
		 * whose freelist changes without this lock.
		 */
		if (slab->corrupt || !mslab_slab_debug(slab))
			continue;
		validate_slab(s, slab, obj_map);
	}
	list_for_each_entry(slab, &n->partial, slab_list)
		partial++;
	if (partial != n->nr_partial)
		mslab_report_partial_count(s, partial, n->nr_partial);
	mslab_unlock_all_slabs(n, flags);
}

/* Has the cache slabs of a debug layout, whether debugging is on or not? */
static bool has_debug_slabs(struct mslab_cache *s)
{
	unsigned int i;

	for (i = 1; i < MSLAB_NR_LAYOUTS; i++) {
		struct mslab_layout *l = READ_ONCE(s->layouts[i]);

		if (l && mslab_layout_nr_slabs(s, l))
			return true;
	}
	return false;
}

/**
 * mslab_validate_cache() - check every debug slab of a cache
 * @s: the cache
 *
 * What writing 1 to /sys/kernel/mslab/<cache>/validate does (SLUB's
 * validate_slab_cache()): every debug slab's counters, freelist, red
 * zones, poison and padding, reported as BUG and repaired (FIX) as SLUB
 * does. Plain slabs (allocated while debugging was off) have nothing to
 * check and are skipped.
 *
 * Context: process context; takes cpu_hotplug_lock, mslab_mutex and the
 * node list_locks.
 * Return: 0, -EINVAL for a cache with debugging off and no debug slab, or
 * -ENOMEM.
 */
int mslab_validate_cache(struct mslab_cache *s)
{
	unsigned long *obj_map;
	int node, ret = 0;

	cpus_read_lock();
	/*
	 * No layout is added while the map sized for every layout so far is
	 * in use: a debug switch takes mslab_mutex to add one.
	 */
	mutex_lock(&mslab_mutex);
	if (!mslab_cache_debug(s) && !has_debug_slabs(s)) {
		ret = -EINVAL;
		goto out;
	}
	obj_map = bitmap_alloc(mslab_max_objects(s), GFP_KERNEL);
	if (!obj_map) {
		ret = -ENOMEM;
		goto out;
	}
	mslab_flush_all(s, false);
	for_each_node(node)
		validate_node(s, s->node[node], obj_map);
	bitmap_free(obj_map);
out:
	mutex_unlock(&mslab_mutex);
	cpus_read_unlock();
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(mslab_validate_cache);

/**
 * mslab_debug_free_map() - mark the free objects of a slab in a bitmap
 * @s: a debug cache
 * @slab: one of its slabs, with its node's list_lock held
 * @map: a bitmap of at least @slab->objects bits
 */
void mslab_debug_free_map(struct mslab_cache *s, struct mslab_slab *slab,
			  unsigned long *map)
{
	fill_map(map, s, slab);
}

/**
 * mslab_list_leaked_objects() - report the live objects of a dying cache
 * @s: the cache, with its CPUs flushed
 * @where: the function the cache is dying in, for the report
 *
 * SLUB's list_slab_objects(): one BUG per slab that still has objects in
 * use, then each object with its offset and, with SLAB_STORE_USER, where
 * it was allocated. Under KUnit each counts as an error instead.
 *
 * Context: process context.
 */
void mslab_list_leaked_objects(struct mslab_cache *s, const char *where)
{
	unsigned long *map, flags;
	struct mslab_slab *slab;
	unsigned int i;
	int node;
	void *p;

	map = bitmap_alloc(mslab_max_objects(s), GFP_KERNEL);
	if (!map)
		return;
	for_each_node(node) {
		struct mslab_node *n = s->node[node];

		mslab_lock_all_slabs(n, &flags);
		list_for_each_entry(slab, &n->all_slabs, all_list) {
			const struct mslab_layout *l = slab->layout;

			if (!mslab_slab_inuse(slab))
				continue;
			if (!mslab_count_kunit_error())
				mslab_slab_bug(s, "Objects remaining on %s()", where);
			fill_map(map, s, slab);
			for (i = 0; i < slab->objects; i++) {
				p = slab->base + i * l->size;
				if (!test_bit(i, map))
					mslab_report_leaked_object(slab, p);
			}
		}
		mslab_unlock_all_slabs(n, flags);
	}
	bitmap_free(map);
}
