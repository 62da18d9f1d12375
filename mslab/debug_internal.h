/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by debug.c (the debug allocation and free paths), checks.c (the
 * checks, validate, leaks) and report.c (every report): the metadata of a
 * debug layout's objects, and the functions each offers the others. Calls
 * go debug.c -> checks.c -> report.c.
 *
 * Every function here works on one slab's objects with that slab's layout
 * (slab->layout, "l"), which may differ from the cache's current one.
 */
#ifndef _MSLAB_DEBUG_INTERNAL_H
#define _MSLAB_DEBUG_INTERNAL_H

#include <linux/stackdepot.h>

#include "debug.h"
#include "slab.h"

#if IS_ENABLED(CONFIG_STACKDEPOT) && IS_ENABLED(CONFIG_STACKTRACE)
#define MSLAB_HAVE_STACKDEPOT 1
#endif

enum mslab_track_item { TRACK_ALLOC, TRACK_FREE };

/* Return addresses kept per stack (SLUB's TRACK_ADDRS_COUNT). */
#define MSLAB_TRACK_ADDRS	16

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
static inline bool check_valid_pointer(struct mslab_slab *slab, void *object)
{
	return !object || mslab_obj_in_slab(slab->layout, slab, object);
}

static inline struct mslab_track *get_track(const struct mslab_layout *l,
					    void *object, enum mslab_track_item item)
{
	struct mslab_track *p = object + mslab_info_end(l);

	return p + item;
}

static inline unsigned long *orig_size_ptr(const struct mslab_layout *l,
					   void *object)
{
	return object + mslab_info_end(l) + mslab_track_size();
}

/* The size a kmalloc user asked for; never trusted beyond object_size. */
static inline unsigned int get_orig_size(struct mslab_cache *s,
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

/* checks.c */
void mslab_init_object(struct mslab_cache *s, const struct mslab_layout *l,
		       void *object, u8 val);
bool mslab_check_slab(struct mslab_cache *s, struct mslab_slab *slab);
bool mslab_alloc_consistency_checks(struct mslab_cache *s,
				    struct mslab_slab *slab, void *object);
bool mslab_free_consistency_checks(struct mslab_cache *s,
				   struct mslab_slab *slab, void *object);
void mslab_mark_slab_corrupt(struct mslab_cache *s, struct mslab_slab *slab);

/* report.c */
void mslab_print_section(char *level, char *text, u8 *addr,
			 unsigned int length);
void mslab_print_slab_info(const struct mslab_slab *slab);
void mslab_print_tracking(const struct mslab_layout *l, void *object);
__printf(2, 3)
void mslab_slab_bug(struct mslab_cache *s, const char *fmt, ...);
__printf(2, 3)
void mslab_slab_fix(struct mslab_cache *s, const char *fmt, ...);
void mslab_object_err(struct mslab_cache *s, struct mslab_slab *slab,
		      u8 *object, const char *reason);
__printf(3, 4)
void mslab_slab_err(struct mslab_cache *s, struct mslab_slab *slab,
		    const char *fmt, ...);
void mslab_report_overwritten(struct mslab_cache *s, struct mslab_slab *slab,
			      u8 *object, const char *what, u8 *fault,
			      u8 *end, u8 value, bool slab_obj_print);
void mslab_report_pad_overwritten(struct mslab_cache *s,
				  struct mslab_slab *slab, u8 *fault, u8 *end,
				  u8 *pad, unsigned int remainder);
void mslab_report_partial_count(struct mslab_cache *s, unsigned long counted,
				unsigned long counter);
void mslab_report_leaked_object(struct mslab_slab *slab, void *object);
void mslab_trace(struct mslab_cache *s, struct mslab_slab *slab,
		 void *object, bool alloc);

#endif /* _MSLAB_DEBUG_INTERNAL_H */
