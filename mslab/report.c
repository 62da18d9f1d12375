// SPDX-License-Identifier: GPL-2.0
/*
 * mslab's reports: what a client did wrong (freeing a foreign pointer,
 * another cache's object, the middle of an object, a double free), said
 * once in the log with the cache's name and the caller, never a crash; and
 * what debugging found (checks.c, debug.c), in SLUB's format: "BUG <cache>:
 * what" with the object's trailer, then "FIX <cache>: what was done about
 * it", and SLAB_TRACE's lines.
 *
 * Under KUnit, errors are counted instead of printed when the running test
 * holds a named resource "mslab_errors" (SLUB's "slab_errors" pattern).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/panic.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/stackdepot.h>
#include <linux/stacktrace.h>

#include <kunit/test-bug.h>
#include <kunit/test.h>

#include "cache.h"
#include "debug_internal.h"

/**
 * mslab_count_kunit_error() - count an error for the running KUnit test
 *
 * Return: true if a test is counting errors (the report is then silent).
 */
bool mslab_count_kunit_error(void)
{
#if IS_ENABLED(CONFIG_KUNIT)
	struct kunit_resource *resource;
	struct kunit *test = kunit_get_current_test();

	if (!test)
		return false;
	resource = kunit_find_named_resource(test, "mslab_errors");
	if (!resource)
		return false;
	(*(int *)resource->data)++;
	kunit_put_resource(resource);
	return true;
#else
	return false;
#endif
}

/**
 * mslab_report_free_error() - report a free that mslab refused
 * @s: the cache the object was freed to, or NULL (mslab_kfree())
 * @obj: the pointer
 * @caller: return address of the free call
 * @fmt: what is wrong with it, printf-style
 */
void mslab_report_free_error(struct mslab_cache *s, const void *obj,
			     unsigned long caller, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	if (mslab_count_kunit_error())
		return;
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	if (s)
		pr_err("cache %s: refused to free %p from %pS: %pV\n",
		       s->name, obj, (void *)caller, &vaf);
	else
		pr_err("refused to free %p from %pS: %pV\n",
		       obj, (void *)caller, &vaf);
	va_end(args);
}

/* === Debugging's reports ================================================ */

void mslab_print_section(char *level, char *text, u8 *addr,
			 unsigned int length)
{
	print_hex_dump(level, text, DUMP_PREFIX_ADDRESS, 16, 1, addr, length,
		       1);
}

void mslab_print_slab_info(const struct mslab_slab *slab)
{
	pr_err("Slab 0x%p objects=%u used=%u fp=0x%p flags=%pGp\n",
	       slab, slab->objects, slab->inuse, slab->freelist,
	       &slab->page->flags);
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

void mslab_print_tracking(const struct mslab_layout *l, void *object)
{
	unsigned long pr_time = jiffies;

	if (!(l->flags & SLAB_STORE_USER))
		return;
	print_track("Allocated", get_track(l, object, TRACK_ALLOC), pr_time);
	print_track("Freed", get_track(l, object, TRACK_FREE), pr_time);
}

void mslab_slab_bug(struct mslab_cache *s, const char *fmt,
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

void mslab_slab_fix(struct mslab_cache *s, const char *fmt,
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

	mslab_print_tracking(l, p);
	mslab_print_slab_info(slab);
	pr_err("Object 0x%p @offset=%tu fp=0x%p\n\n", p, p - addr,
	       mslab_get_freepointer(l, p));

	if (l->flags & SLAB_RED_ZONE)
		mslab_print_section(KERN_ERR, "Redzone  ", p - l->red_left_pad,
				    l->red_left_pad);
	else if (p > addr + 16)
		mslab_print_section(KERN_ERR, "Bytes b4 ", p - 16, 16);

	mslab_print_section(KERN_ERR, "Object   ", p,
			    min_t(unsigned int, s->object_size, PAGE_SIZE));
	if (l->flags & SLAB_RED_ZONE)
		mslab_print_section(KERN_ERR, "Redzone  ", p + s->object_size,
				    l->inuse - s->object_size);

	off = mslab_info_end(l);
	if (l->flags & SLAB_STORE_USER)
		off += mslab_track_size();
	if (debug_orig_size(s, l))
		off += sizeof(unsigned long);
	if (off != size_from_object(l))
		/* The filler starts with the free pointer. */
		mslab_print_section(KERN_ERR, "Padding  ", p + off,
				    size_from_object(l) - off);
}

/* The kernel is still sound: mslab's memory is not the kernel's. */
static void taint_bad_page(void)
{
	add_taint(TAINT_BAD_PAGE, LOCKDEP_STILL_OK);
}

void mslab_object_err(struct mslab_cache *s, struct mslab_slab *slab,
		      u8 *object, const char *reason)
{
	if (mslab_count_kunit_error())
		return;
	mslab_slab_bug(s, "%s", reason);
	if (!object || !check_valid_pointer(slab, object)) {
		mslab_print_slab_info(slab);
		pr_err("Invalid pointer 0x%p\n", object);
	} else {
		print_trailer(s, slab, object);
	}
	taint_bad_page();
}

void mslab_slab_err(struct mslab_cache *s,
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
	mslab_slab_bug(s, "%pV", &vaf);
	va_end(args);
	mslab_print_slab_info(slab);
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
void mslab_trace(struct mslab_cache *s, struct mslab_slab *slab,
		 void *object, bool alloc)
{
	if (!(slab->layout->flags & SLAB_TRACE))
		return;
	pr_info("TRACE %s %s 0x%p inuse=%d fp=0x%p\n", s->name,
		alloc ? "alloc" : "free", object, slab->inuse, slab->freelist);
	if (!alloc)
		mslab_print_section(KERN_INFO, "Object ", object,
				    min_t(unsigned int, s->object_size, PAGE_SIZE));
	print_current_stack();
}

/* A run of bytes that should all be @value, before checks.c restores it. */
void mslab_report_overwritten(struct mslab_cache *s, struct mslab_slab *slab,
			      u8 *object, const char *what, u8 *fault,
			      u8 *end, u8 value, bool slab_obj_print)
{
	if (mslab_count_kunit_error())
		return;
	pr_err("[%s overwritten] 0x%p-0x%p @offset=%tu. First byte 0x%x instead of 0x%x\n",
	       what, fault, end - 1, fault - (u8 *)slab_start(slab),
	       fault[0], value);
	if (slab_obj_print)
		mslab_object_err(s, slab, object, "Object corrupt");
}

/* The leftover at a poisoned slab's end, overwritten from @fault to @end. */
void mslab_report_pad_overwritten(struct mslab_cache *s,
				  struct mslab_slab *slab, u8 *fault, u8 *end,
				  u8 *pad, unsigned int remainder)
{
	if (mslab_count_kunit_error())
		return;
	mslab_slab_bug(s, "Padding overwritten. 0x%p-0x%p @offset=%tu",
		       fault, end - 1, fault - (u8 *)slab_start(slab));
	mslab_print_section(KERN_ERR, "Padding ", pad, remainder);
	mslab_print_slab_info(slab);
	taint_bad_page();
}

/* A node's partial list is not as long as its counter says (validate). */
void mslab_report_partial_count(struct mslab_cache *s, unsigned long counted,
				unsigned long counter)
{
	if (mslab_count_kunit_error())
		return;
	pr_err("cache %s: %lu partial slabs counted but counter=%lu\n",
	       s->name, counted, counter);
}

/* An object still in use in a cache being destroyed, after its BUG line. */
void mslab_report_leaked_object(struct mslab_slab *slab, void *object)
{
	if (mslab_count_kunit_error())
		return;
	pr_err("Object 0x%p @offset=%tu\n", object,
	       object - slab_start(slab));
	mslab_print_tracking(slab->layout, object);
}
