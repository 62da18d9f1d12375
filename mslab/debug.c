// SPDX-License-Identifier: GPL-2.0
/*
 * mslab debugging: SLUB 6.12's red zones, poisoning, owner tracking,
 * consistency checks and validation (mm/slub.c under CONFIG_SLUB_DEBUG),
 * for caches created with SLAB_CONSISTENCY_CHECKS (F), SLAB_RED_ZONE (Z),
 * SLAB_POISON (P) or SLAB_STORE_USER (U).
 *
 * The layout of an object's stride (geometry.c, SLUB's calculate_sizes()):
 *
 *   base of stride	left red zone, red_left_pad bytes (Z)
 *   object		object_size bytes; poisoned 0x6b...0xa5 (P)
 *   object_size	right red zone up to inuse (Z): 0xbb free, 0xcc in use
 *   inuse		free pointer, if it may not live inside the object
 *			alloc and free tracks (U), kmalloc orig_size (U and
 *			SLAB_KMALLOC), padding 0x5a (P) up to size
 *
 * and the slab's leftover at its end is padding 0x5a too (P).
 *
 * A debug cache has no cpu slabs and no sheaves, so its users always miss
 * the fast paths: every allocation comes here, and so does every free of an
 * object of a debug slab (a slab built with a debug layout, layout.c),
 * whatever the cache's flags are now. Both run under the slab's node
 * list_lock, which for a debug slab protects its freelist, counters and
 * corrupt flag (in place of slab_update_freelist()), as SLUB's
 * alloc_single_from_partial() and free_to_partial_list() do. Each slab is
 * checked with the layout and flags it was built with (slab->layout).
 * Only SLAB_CONSISTENCY_CHECKS checks each allocation and free, as in SLUB:
 * red zones and poison alone are checked by validate (and the free path
 * always refuses a free of the object at the head of the freelist).
 *
 * Errors are reported in SLUB's format: "BUG <cache>: what" with the
 * object's trailer, then "FIX <cache>: what was done about it". While a
 * KUnit test holds the named resource "mslab_errors", each BUG and each
 * FIX is counted instead of printed (report.c). Nothing here WARNs or
 * follows a free pointer it has not checked: a slab whose metadata fails
 * a check is marked corrupt, its objects all count as in use, and it is
 * never used or freed again (SLUB's policy: leak it).
 *
 * Lock order: cpu_hotplug_lock (validate) > mslab_node.list_lock; printing
 * happens under list_lock with interrupts off, as in SLUB.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/cpu.h>
#include <linux/jiffies.h>
#include <linux/panic.h>
#include <linux/poison.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/stackdepot.h>
#include <linux/stacktrace.h>
#include <linux/string.h>

#include <kunit/visibility.h>

#include "cache.h"
#include "debug.h"
#include "node.h"
#include "slab.h"

#if IS_ENABLED(CONFIG_STACKDEPOT) && IS_ENABLED(CONFIG_STACKTRACE)
#define MSLAB_HAVE_STACKDEPOT 1
#endif

/* SLUB's struct track, of the same size: where and when, and the stack. */
struct mslab_track {
	unsigned long addr;	/* Called from address */
#ifdef CONFIG_STACKDEPOT
	depot_stack_handle_t handle;
#endif
	int cpu;		/* Was running on cpu */
	int pid;		/* Pid context */
	unsigned long when;	/* When did the operation occur */
};

enum mslab_track_item { TRACK_ALLOC, TRACK_FREE };

/* Return addresses kept per stack (SLUB's TRACK_ADDRS_COUNT). */
#define MSLAB_TRACK_ADDRS	16

unsigned int mslab_track_size(void)
{
	return 2 * sizeof(struct mslab_track);
}
EXPORT_SYMBOL_IF_KUNIT(mslab_track_size);

/**
 * mslab_debug_layout_init() - get ready for slabs of a new debug layout
 * @l: the layout
 */
void mslab_debug_layout_init(const struct mslab_layout *l)
{
#ifdef MSLAB_HAVE_STACKDEPOT
	/* Without a depot the tracks keep the caller's address only. */
	if (l->flags & SLAB_STORE_USER)
		stack_depot_init();
#endif
}

/* === Layout helpers ===================================================== */

/*
 * Every function here works on one slab's objects with that slab's layout
 * (slab->layout, "l"), which may differ from the cache's current one.
 */

static inline void *slab_start(const struct mslab_slab *slab)
{
	return slab->base - slab->layout->red_left_pad;
}

static inline unsigned int slab_bytes(const struct mslab_slab *slab)
{
	return PAGE_SIZE << slab->order;
}

/* Bytes of a stride from the object on (SLUB's size_from_object()). */
static inline unsigned int size_from_object(const struct mslab_layout *l)
{
	return l->size - l->red_left_pad;
}

static inline bool debug_orig_size(const struct mslab_cache *s,
				   const struct mslab_layout *l)
{
	return (l->flags & SLAB_STORE_USER) && (s->flags & SLAB_KMALLOC);
}

/* Is @object NULL or the start of an object of @slab? */
static bool check_valid_pointer(struct mslab_slab *slab, void *object)
{
	return !object || mslab_obj_in_slab(slab->layout, slab, object);
}

static struct mslab_track *get_track(const struct mslab_layout *l,
				     void *object, enum mslab_track_item item)
{
	struct mslab_track *p = object + mslab_info_end(l);

	return p + item;
}

static unsigned long *orig_size_ptr(const struct mslab_layout *l,
				    void *object)
{
	return object + mslab_info_end(l) + mslab_track_size();
}

static void set_orig_size(struct mslab_cache *s, const struct mslab_layout *l,
			  void *object, unsigned int orig_size)
{
	if (debug_orig_size(s, l))
		*orig_size_ptr(l, object) = orig_size;
}

/* The size a kmalloc user asked for; never trusted beyond object_size. */
static unsigned int get_orig_size(struct mslab_cache *s,
				  const struct mslab_layout *l, void *object)
{
	unsigned long size;

	if (!debug_orig_size(s, l))
		return s->object_size;
	size = *orig_size_ptr(l, object);
	if (!size || size > s->object_size)
		return s->object_size;
	return size;
}

/* === Owner tracking ===================================================== */

static noinline depot_stack_handle_t set_track_prepare(gfp_t gfp)
{
#ifdef MSLAB_HAVE_STACKDEPOT
	unsigned long entries[MSLAB_TRACK_ADDRS];
	unsigned int nr;

	nr = stack_trace_save(entries, ARRAY_SIZE(entries), 3);
	return stack_depot_save(entries, nr, gfp);
#else
	return 0;
#endif
}

static void set_track_update(const struct mslab_layout *l, void *object,
			     enum mslab_track_item item, unsigned long addr,
			     depot_stack_handle_t handle)
{
	struct mslab_track *t = get_track(l, object, item);

#ifdef CONFIG_STACKDEPOT
	t->handle = handle;
#endif
	t->addr = addr;
	t->cpu = raw_smp_processor_id();
	t->pid = current->pid;
	t->when = jiffies;
}

static void init_tracking(const struct mslab_layout *l, void *object)
{
	if (l->flags & SLAB_STORE_USER)
		memset(get_track(l, object, TRACK_ALLOC), 0, mslab_track_size());
}

static void print_track(const char *what, struct mslab_track *t,
			unsigned long pr_time)
{
	if (!t->addr)
		return;
	pr_err("%s in %pS age=%lu cpu=%u pid=%d\n", what, (void *)t->addr,
	       pr_time - t->when, t->cpu, t->pid);
#ifdef MSLAB_HAVE_STACKDEPOT
	if (t->handle)
		stack_depot_print(t->handle);
	else
		pr_err("object allocation/free stack trace missing\n");
#endif
}

static void print_tracking(const struct mslab_layout *l, void *object)
{
	unsigned long pr_time = jiffies;

	if (!(l->flags & SLAB_STORE_USER))
		return;
	print_track("Allocated", get_track(l, object, TRACK_ALLOC), pr_time);
	print_track("Freed", get_track(l, object, TRACK_FREE), pr_time);
}

/* === Reports ============================================================ */

static void print_section(char *level, char *text, u8 *addr,
			  unsigned int length)
{
	print_hex_dump(level, text, DUMP_PREFIX_ADDRESS, 16, 1, addr, length,
		       1);
}

static void print_slab_info(const struct mslab_slab *slab)
{
	pr_err("Slab 0x%p objects=%u used=%u fp=0x%p flags=%pGp\n",
	       slab, slab->objects, slab->inuse, slab->freelist,
	       &slab->page->flags);
}

static __printf(2, 3) void slab_bug(struct mslab_cache *s, const char *fmt,
				    ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_err("=============================================================================\n");
	pr_err("BUG %s: %pV\n", s->name, &vaf);
	pr_err("-----------------------------------------------------------------------------\n\n");
	va_end(args);
}

static __printf(2, 3) void slab_fix(struct mslab_cache *s, const char *fmt,
				    ...)
{
	struct va_format vaf;
	va_list args;

	if (mslab_count_kunit_error())
		return;
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_err("FIX %s: %pV\n", s->name, &vaf);
	va_end(args);
}

static void print_trailer(struct mslab_cache *s, struct mslab_slab *slab,
			  u8 *p)
{
	const struct mslab_layout *l = slab->layout;
	u8 *addr = slab_start(slab);
	unsigned int off;

	print_tracking(l, p);
	print_slab_info(slab);
	pr_err("Object 0x%p @offset=%tu fp=0x%p\n\n", p, p - addr,
	       mslab_get_freepointer(l, p));

	if (l->flags & SLAB_RED_ZONE)
		print_section(KERN_ERR, "Redzone  ", p - l->red_left_pad,
			      l->red_left_pad);
	else if (p > addr + 16)
		print_section(KERN_ERR, "Bytes b4 ", p - 16, 16);

	print_section(KERN_ERR, "Object   ", p,
		      min_t(unsigned int, s->object_size, PAGE_SIZE));
	if (l->flags & SLAB_RED_ZONE)
		print_section(KERN_ERR, "Redzone  ", p + s->object_size,
			      l->inuse - s->object_size);

	off = mslab_info_end(l);
	if (l->flags & SLAB_STORE_USER)
		off += mslab_track_size();
	if (debug_orig_size(s, l))
		off += sizeof(unsigned long);
	if (off != size_from_object(l))
		/* The filler starts with the free pointer. */
		print_section(KERN_ERR, "Padding  ", p + off,
			      size_from_object(l) - off);
}

/* The kernel is still sound: mslab's memory is not the kernel's. */
static void taint_bad_page(void)
{
	add_taint(TAINT_BAD_PAGE, LOCKDEP_STILL_OK);
}

static void object_err(struct mslab_cache *s, struct mslab_slab *slab,
		       u8 *object, const char *reason)
{
	if (mslab_count_kunit_error())
		return;
	slab_bug(s, "%s", reason);
	if (!object || !check_valid_pointer(slab, object)) {
		print_slab_info(slab);
		pr_err("Invalid pointer 0x%p\n", object);
	} else {
		print_trailer(s, slab, object);
	}
	taint_bad_page();
}

static __printf(3, 4) void slab_err(struct mslab_cache *s,
				    struct mslab_slab *slab,
				    const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	if (mslab_count_kunit_error())
		return;
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	slab_bug(s, "%pV", &vaf);
	va_end(args);
	print_slab_info(slab);
	taint_bad_page();
}

/* The caller's stack, a frame a line, as stack_depot_print() does. */
static void print_current_stack(void)
{
#ifdef CONFIG_STACKTRACE
	unsigned long entries[MSLAB_TRACK_ADDRS];
	unsigned int nr;

	nr = stack_trace_save(entries, ARRAY_SIZE(entries), 2);
	stack_trace_print(entries, nr, 1);
#endif
}

/*
 * SLUB's trace() (SLAB_TRACE): each allocation and free of a traced slab
 * in the log, a free with the object's contents, and the caller's stack.
 * SLUB calls dump_stack(); mslab prints the frames only, as the owner
 * tracks do, without a "Call Trace:" that reads as a kernel report.
 */
static void trace(struct mslab_cache *s, struct mslab_slab *slab,
		  void *object, bool alloc)
{
	if (!(slab->layout->flags & SLAB_TRACE))
		return;
	pr_info("TRACE %s %s 0x%p inuse=%d fp=0x%p\n", s->name,
		alloc ? "alloc" : "free", object, slab->inuse, slab->freelist);
	if (!alloc)
		print_section(KERN_INFO, "Object ", object,
			      min_t(unsigned int, s->object_size, PAGE_SIZE));
	print_current_stack();
}

/* === Patterns and checks ================================================ */

/* SLUB's init_object(): red zones to @val, poison the object. */
static void init_object(struct mslab_cache *s, const struct mslab_layout *l,
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
	slab_fix(s, "Restoring %s 0x%p-0x%p=0x%x", message, from, to - 1, data);
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

	if (!mslab_count_kunit_error()) {
		pr_err("[%s overwritten] 0x%p-0x%p @offset=%tu. First byte 0x%x instead of 0x%x\n",
		       what, fault, end - 1, fault - (u8 *)slab_start(slab),
		       fault[0], value);
		if (slab_obj_print)
			object_err(s, slab, object, "Object corrupt");
	}
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

	if (!mslab_count_kunit_error()) {
		slab_bug(s, "Padding overwritten. 0x%p-0x%p @offset=%tu",
			 fault, end - 1, fault - start);
		print_section(KERN_ERR, "Padding ", pad, remainder);
		print_slab_info(slab);
		taint_bad_page();
	}
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
		object_err(s, slab, p, "Freepointer corrupt");
		/* Lose the rest of the freelist: the object count is now off. */
		mslab_set_freepointer(l, p, NULL);
		ret = false;
	}
	return ret;
}

static bool check_slab(struct mslab_cache *s, struct mslab_slab *slab)
{
	const struct mslab_layout *l = slab->layout;
	unsigned int maxobj = mslab_order_objects(slab->order, l->size);

	if (slab->objects > maxobj) {
		slab_err(s, slab, "objects %u > max %u", slab->objects, maxobj);
		return false;
	}
	if (slab->inuse > slab->objects) {
		slab_err(s, slab, "inuse %u > max %u", slab->inuse,
			 slab->objects);
		return false;
	}
	if (slab->corrupt) {
		slab_err(s, slab,
			 "Slab disabled since mslab metadata consistency check failed");
		return false;
	}
	slab_pad_check(s, slab);
	return true;
}

/* Give up on a slab: nothing is allocated from or freed to it again. */
static void mark_slab_corrupt(struct mslab_cache *s, struct mslab_slab *slab)
{
	struct mslab_node *n = s->node[mslab_slab_nid(slab)];

	lockdep_assert_held(&n->list_lock);
	slab_fix(s, "Marking all objects used");
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
				object_err(s, slab, object, "Freechain corrupt");
				mslab_set_freepointer(l, object, NULL);
			} else {
				slab_err(s, slab, "Freepointer corrupt");
				slab->freelist = NULL;
				slab->inuse = slab->objects;
				slab_fix(s, "Freelist cleared");
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
		slab_err(s, slab, "Freelist loops");
		slab->freelist = NULL;
		slab->inuse = slab->objects;
		slab_fix(s, "Freelist cleared");
		return false;
	}

	max_objects = mslab_order_objects(slab->order, l->size);
	if (max_objects > MSLAB_MAX_OBJS_PER_SLAB)
		max_objects = MSLAB_MAX_OBJS_PER_SLAB;
	if (slab->objects != max_objects) {
		slab_err(s, slab, "Wrong number of objects. Found %u but should be %u",
			 slab->objects, max_objects);
		slab->objects = max_objects;
		slab_fix(s, "Number of objects adjusted");
	}
	if (nr > slab->objects)
		nr = slab->objects;
	if (slab->inuse != slab->objects - nr) {
		slab_err(s, slab, "Wrong object count. Counter is %u but counted were %u",
			 slab->inuse, slab->objects - nr);
		slab->inuse = slab->objects - nr;
		slab_fix(s, "Object count adjusted");
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

/* === Slab and object set-up ============================================= */

/**
 * mslab_debug_init_slab() - poison a new debug slab
 * @s: the cache
 * @slab: the new slab, with a debug layout, not yet published
 *
 * The padding (the whole slab first, with SLAB_POISON) and each object's
 * red zones and poison; constructors run afterwards.
 */
void mslab_debug_init_slab(struct mslab_cache *s, struct mslab_slab *slab)
{
	const struct mslab_layout *l = slab->layout;
	unsigned int i;
	void *p;

	if (l->flags & SLAB_POISON)
		memset(slab_start(slab), POISON_INUSE, slab_bytes(slab));
	if (!(l->flags & (SLAB_STORE_USER | SLAB_RED_ZONE |
			  MSLAB_OBJECT_POISON)))
		return;
	for (i = 0, p = slab->base; i < slab->objects; i++, p += l->size) {
		init_object(s, l, p, SLUB_RED_INACTIVE);
		init_tracking(l, p);
	}
}

/* === Allocation ========================================================= */

static bool alloc_consistency_checks(struct mslab_cache *s,
				     struct mslab_slab *slab, void *object)
{
	if (!check_slab(s, slab))
		return false;
	if (!check_valid_pointer(slab, object)) {
		object_err(s, slab, object, "Freelist Pointer check fails");
		return false;
	}
	return check_object(s, slab, object, SLUB_RED_INACTIVE);
}

/*
 * Take the first free object of a slab (SLUB's alloc_single_from_partial()
 * and alloc_debug_processing()).
 * Return: the object, or NULL when the slab failed a check and was given up.
 */
static void *alloc_single(struct mslab_cache *s, struct mslab_node *n,
			  struct mslab_slab *slab, unsigned int orig_size)
{
	const struct mslab_layout *l = slab->layout;
	void *object = slab->freelist;
	void *next;

	lockdep_assert_held(&n->list_lock);
	if ((l->flags & SLAB_CONSISTENCY_CHECKS) &&
	    !alloc_consistency_checks(s, slab, object))
		goto bad;
	/* Even unchecked, never follow a free pointer out of the slab. */
	next = mslab_get_freepointer(l, object);
	if (!check_valid_pointer(slab, next)) {
		object_err(s, slab, object, "Freechain corrupt");
		goto bad;
	}
	slab->freelist = next;
	slab->inuse++;
	mslab_note_in_use(n, slab);
	trace(s, slab, object, true);
	set_orig_size(s, l, object, orig_size);
	init_object(s, l, object, SLUB_RED_ACTIVE);
	if (slab->inuse == slab->objects && slab->on_node_partial)
		mslab_remove_partial(n, slab);
	return object;

bad:
	mark_slab_corrupt(s, slab);
	return NULL;
}

/* An object of a partial slab of layout @l (the current one, normally). */
static void *alloc_from_partial(struct mslab_cache *s,
				struct mslab_layout *l, struct mslab_node *n,
				unsigned int orig_size)
{
	struct mslab_slab *slab;
	unsigned long flags;
	void *object = NULL;

	/* Racy peek: a stale answer costs a lock or a new slab. */
	if (!n || !data_race(n->nr_partial))
		return NULL;
	spin_lock_irqsave(&n->list_lock, flags);
	while (!object &&
	       (slab = list_first_entry_or_null(&n->partial, struct mslab_slab,
						slab_list))) {
		/* Switched meanwhile: the partial list has another layout. */
		if (unlikely(slab->layout != l))
			break;
		if (unlikely(!slab->freelist)) {
			/* Cannot happen: a partial slab has free objects. */
			mslab_remove_partial(n, slab);
			continue;
		}
		object = alloc_single(s, n, slab, orig_size);
	}
	spin_unlock_irqrestore(&n->list_lock, flags);
	return object;
}

/* The first object of a new slab, which then joins the partial list. */
static void *alloc_from_new_slab(struct mslab_cache *s,
				 struct mslab_slab *slab,
				 unsigned int orig_size)
{
	struct mslab_node *n = s->node[mslab_slab_nid(slab)];
	unsigned long flags;
	void *object;

	spin_lock_irqsave(&n->list_lock, flags);
	object = alloc_single(s, n, slab, orig_size);
	if (object && slab->inuse < slab->objects)
		mslab_add_partial(s, n, slab, DEACTIVATE_TO_HEAD);
	spin_unlock_irqrestore(&n->list_lock, flags);
	return object;
}

/**
 * mslab_debug_alloc() - allocate an object of a debug cache
 * @s: a debug cache
 * @l: its current layout, a debug one, as the caller read it
 * @gfpflags: as for mslab_cache_alloc()
 * @node: NUMA node, or NUMA_NO_NODE
 * @orig_size: bytes the caller asked for (kmalloc), else s->object_size
 * @addr: the caller, for the alloc track
 *
 * Context: any context @gfpflags allow; no mslab lock held.
 * Return: the object, or NULL.
 */
void *mslab_debug_alloc(struct mslab_cache *s, struct mslab_layout *l,
			gfp_t gfpflags, int node, unsigned int orig_size,
			unsigned long addr)
{
	struct mslab_slab *slab;
	void *object;
	int searchnode;

	if (node != NUMA_NO_NODE && !node_state(node, N_NORMAL_MEMORY))
		node = NUMA_NO_NODE;
	searchnode = node == NUMA_NO_NODE ? numa_mem_id() : node;

	object = alloc_from_partial(s, l, s->node[searchnode], orig_size);
	while (!object) {
		slab = mslab_new_slab(s, l, gfpflags, node);
		if (!slab)
			return NULL;
		/* Fails only if the new slab was corrupted meanwhile. */
		object = alloc_from_new_slab(s, slab, orig_size);
	}
	if (l->flags & SLAB_STORE_USER)
		set_track_update(l, object, TRACK_ALLOC, addr,
				 set_track_prepare(gfpflags));
	return object;
}

/**
 * mslab_debug_kmalloc() - allocate from a kmalloc-like cache
 * @s: a cache, SLAB_KMALLOC | SLAB_STORE_USER to keep @size
 * @gfpflags: as for mslab_cache_alloc(); __GFP_ZERO zeroes @size bytes
 * @size: bytes asked for, at most the object size: the rest of the object
 *	  is red zone (SLAB_RED_ZONE)
 *
 * SLUB's __kmalloc_cache_noprof() for a cache of its own, as kmalloc size
 * classes with owner tracking record the size asked for.
 *
 * Context: any context @gfpflags allow.
 * Return: the object, or NULL.
 */
void *mslab_debug_kmalloc(struct mslab_cache *s, gfp_t gfpflags, size_t size)
{
	if (!size || size > s->object_size)
		return NULL;
	return mslab_alloc_caller(s, gfpflags, NUMA_NO_NODE, size, _RET_IP_);
}
EXPORT_SYMBOL_IF_KUNIT(mslab_debug_kmalloc);

/* === Free =============================================================== */

static bool free_consistency_checks(struct mslab_cache *s,
				    struct mslab_slab *slab, void *object)
{
	if (!check_valid_pointer(slab, object)) {
		slab_err(s, slab, "Invalid object pointer 0x%p", object);
		return false;
	}
	if (on_freelist(s, slab, object)) {
		object_err(s, slab, object, "Object already free");
		return false;
	}
	if (!check_object(s, slab, object, SLUB_RED_ACTIVE))
		return false;
	if (unlikely(s != slab->cache)) {
		object_err(s, slab, object, "page slab pointer corrupt.");
		return false;
	}
	return true;
}

/*
 * Check @cnt linked objects @head..@tail before they are freed, record the
 * free and give them their free patterns (SLUB's free_debug_processing()).
 * Return: true if all may be freed; false if none is.
 */
static bool free_debug_processing(struct mslab_cache *s,
				  struct mslab_slab *slab, void *head,
				  void *tail, int *bulk_cnt, unsigned long addr,
				  depot_stack_handle_t handle)
{
	const struct mslab_layout *l = slab->layout;
	bool checks_ok = false;
	void *object = head;
	int cnt = 0;

	if (slab->corrupt) {
		slab_err(s, slab,
			 "Slab disabled since mslab metadata consistency check failed");
		goto out;
	}
	if ((l->flags & SLAB_CONSISTENCY_CHECKS) && !check_slab(s, slab))
		goto out;
	if (slab->inuse < *bulk_cnt) {
		slab_err(s, slab, "Slab has %d allocated objects but %d are to be freed",
			 slab->inuse, *bulk_cnt);
		goto out;
	}
	/* Unchecked caches still catch the immediate double free. */
	if (!(l->flags & SLAB_CONSISTENCY_CHECKS) && head == slab->freelist) {
		object_err(s, slab, object, "Object already free");
		goto out;
	}

next_object:
	if (++cnt > *bulk_cnt)
		goto out_cnt;
	if ((l->flags & SLAB_CONSISTENCY_CHECKS) &&
	    !free_consistency_checks(s, slab, object))
		goto out;
	if (l->flags & SLAB_STORE_USER)
		set_track_update(l, object, TRACK_FREE, addr, handle);
	trace(s, slab, object, false);
	/* The free pointer survives: poisoning moved it out of the object. */
	init_object(s, l, object, SLUB_RED_INACTIVE);
	if (object != tail) {
		object = mslab_get_freepointer(l, object);
		goto next_object;
	}
	checks_ok = true;

out_cnt:
	if (cnt != *bulk_cnt) {
		slab_err(s, slab, "Bulk free expected %d objects but found %d",
			 *bulk_cnt, cnt);
		*bulk_cnt = cnt;
		checks_ok = false;
	}
out:
	if (!checks_ok)
		slab_fix(s, "Object at 0x%p not freed", object);
	return checks_ok;
}

/*
 * init_on_free for @cnt checked objects of a debug slab, linked from @head
 * to @tail: zero what the user may have written (the size asked for, for
 * kmalloc with a red zone past it), keeping the links. Debug layouts with
 * poison are excluded: their objects are poisoned instead (SLUB's rule).
 */
static void init_on_free_objects(struct mslab_cache *s,
				 struct mslab_slab *slab, void *head,
				 void *tail, int cnt)
{
	const struct mslab_layout *l = slab->layout;
	void *p = head, *next;

	while (cnt--) {
		next = p == tail ? NULL : mslab_get_freepointer(l, p);
		memset(p, 0, get_orig_size(s, l, p));
		if (next)
			mslab_set_freepointer(l, p, next);
		p = next;
	}
}

/**
 * mslab_debug_free() - free linked objects of one debug slab
 * @s: the cache
 * @slab: the slab of every object, with a debug layout
 * @head: first object; each one's free pointer links to the next
 * @tail: last object
 * @cnt: number of objects
 * @addr: the caller, for reports and the free track
 *
 * SLUB's free_to_partial_list(): all or none of the objects are freed.
 *
 * Context: any; takes the slab's node list_lock.
 * Return: true if they were freed, false if refused (reported).
 */
bool mslab_debug_free(struct mslab_cache *s, struct mslab_slab *slab,
		      void *head, void *tail, int cnt, unsigned long addr)
{
	const struct mslab_layout *l = slab->layout;
	struct mslab_node *n = s->node[mslab_slab_nid(slab)];
	depot_stack_handle_t handle = 0;
	bool freed = false, discard = false;
	unsigned long flags;

	if (l->flags & SLAB_STORE_USER)
		handle = set_track_prepare(__GFP_NOWARN);

	spin_lock_irqsave(&n->list_lock, flags);
	if (free_debug_processing(s, slab, head, tail, &cnt, addr, handle)) {
		if (unlikely(mslab_want_init_on_free(s)) &&
		    !(l->flags & SLAB_POISON))
			init_on_free_objects(s, slab, head, tail, cnt);
		slab->inuse -= cnt;
		mslab_set_freepointer(l, tail, slab->freelist);
		slab->freelist = head;
		freed = true;
		if (!slab->inuse && !mslab_keep_empty(s, n, slab))
			discard = true;
		if (!mslab_on_node_list(slab)) {
			if (!discard) {
				mslab_add_partial(s, n, slab,
						  DEACTIVATE_TO_TAIL);
				mslab_stat(s, FREE_ADD_PARTIAL);
			}
		} else if (discard) {
			mslab_remove_partial(n, slab);
			mslab_stat(s, FREE_REMOVE_PARTIAL);
		} else if (!slab->inuse && slab->on_node_partial) {
			mslab_note_empty(n, slab);
		}
	}
	spin_unlock_irqrestore(&n->list_lock, flags);

	if (discard)
		mslab_discard_slab(s, slab);
	return freed;
}

/* === Validation ========================================================= */

/* SLUB's validate_slab(). */
static void validate_slab(struct mslab_cache *s, struct mslab_slab *slab,
			  unsigned long *obj_map)
{
	const struct mslab_layout *l = slab->layout;
	unsigned int i;
	void *p;

	if (!check_slab(s, slab) || !on_freelist(s, slab, NULL))
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
	if (partial != n->nr_partial && !mslab_count_kunit_error())
		pr_err("cache %s: %lu partial slabs counted but counter=%lu\n",
		       s->name, partial, n->nr_partial);
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

/* === Leaks ============================================================== */

/**
 * mslab_debug_track() - an object's allocation or free track
 * @slab: a slab whose layout has SLAB_STORE_USER
 * @object: an object of @slab
 * @alloc: the allocation track, else the free track
 * @addr: set to the caller's address (0: none recorded)
 * @handle: set to the stack depot handle (0: none)
 * @cpu: set to the CPU
 * @pid: set to the pid
 * @when: set to the jiffies of the event
 */
void mslab_debug_track(struct mslab_slab *slab, void *object, bool alloc,
		       unsigned long *addr, unsigned int *handle, int *cpu,
		       int *pid, unsigned long *when)
{
	struct mslab_track *t = get_track(slab->layout, object,
					  alloc ? TRACK_ALLOC : TRACK_FREE);

	*addr = t->addr;
#ifdef CONFIG_STACKDEPOT
	*handle = t->handle;
#else
	*handle = 0;
#endif
	*cpu = t->cpu;
	*pid = t->pid;
	*when = t->when;
}
EXPORT_SYMBOL_IF_KUNIT(mslab_debug_track);

/**
 * mslab_debug_orig_size() - the size a kmalloc user asked for
 * @s: the cache
 * @slab: a slab of @s
 * @object: an object of @slab
 *
 * Return: the size recorded at allocation where the slab's layout keeps it
 * (SLAB_KMALLOC with SLAB_STORE_USER), else the object size.
 */
unsigned int mslab_debug_orig_size(struct mslab_cache *s,
				   struct mslab_slab *slab, void *object)
{
	return get_orig_size(s, slab->layout, object);
}

/**
 * mslab_debug_set_orig_size() - change the size a kmalloc user has
 * @s: the cache
 * @slab: a slab of @s
 * @object: an object of @slab in use, of the caller
 * @orig_size: the size the user now has, at most the object size
 *
 * Where the slab's layout keeps the size asked for (SLAB_KMALLOC with
 * SLAB_STORE_USER), record @orig_size and, with red zones, make the rest
 * of the object the kmalloc red zone again: krealloc() in place, and
 * ksize(), after which the user may use the whole object (SLUB's
 * skip_orig_size_check()). Nothing for other slabs.
 */
void mslab_debug_set_orig_size(struct mslab_cache *s, struct mslab_slab *slab,
			       void *object, unsigned int orig_size)
{
	const struct mslab_layout *l = slab->layout;

	if (!debug_orig_size(s, l))
		return;
	set_orig_size(s, l, object, orig_size);
	if ((l->flags & SLAB_RED_ZONE) && orig_size < s->object_size)
		memset(object + orig_size, SLUB_RED_ACTIVE,
		       s->object_size - orig_size);
}

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
				slab_bug(s, "Objects remaining on %s()", where);
			fill_map(map, s, slab);
			for (i = 0; i < slab->objects; i++) {
				p = slab->base + i * l->size;
				if (test_bit(i, map) || mslab_count_kunit_error())
					continue;
				pr_err("Object 0x%p @offset=%tu\n", p,
				       p - slab_start(slab));
				print_tracking(l, p);
			}
		}
		mslab_unlock_all_slabs(n, flags);
	}
	bitmap_free(map);
}
