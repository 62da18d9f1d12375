/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Debugging (debug.c), init_on_alloc and init_on_free: SLUB's red zones,
 * poisoning, owner tracking and consistency checks, for caches with debug
 * flags; and what every allocation and free does to an object's contents.
 */
#ifndef _MSLAB_DEBUG_H
#define _MSLAB_DEBUG_H

#include <linux/stackdepot.h>

#include "mslab.h"

/* debug.c: SLUB's debugging (red zones, poisoning, owner tracking, checks) */

/* Set with SLAB_POISON when the objects themselves are poisoned (SLUB's). */
#define MSLAB_OBJECT_POISON __SLAB_FLAG_BIT(_SLAB_OBJECT_POISON)

/*
 * The flags that make a cache a debug cache (SLUB's SLAB_DEBUG_FLAGS).
 * While a cache has any, it uses no cpu slab and no sheaf: every
 * allocation goes through debug.c, and so does every free of an object of
 * a debug slab (one built with a debug layout), under the node's
 * list_lock, as SLUB's debug caches do.
 */
#define MSLAB_DEBUG_FLAGS (SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | \
			   SLAB_POISON | SLAB_STORE_USER | SLAB_TRACE)
/* What slab_debug= with no letter turns on (SLUB's DEBUG_DEFAULT_FLAGS). */
#define MSLAB_DEBUG_DEFAULT_FLAGS (SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | \
				   SLAB_POISON | SLAB_STORE_USER)

/* Is debugging on for new objects: do allocations go through debug.c? */
static inline bool mslab_cache_debug(const struct mslab_cache *s)
{
	return unlikely(READ_ONCE(s->flags) & MSLAB_DEBUG_FLAGS);
}

/* Are a slab's objects handled by debug.c (under the node's list_lock)? */
static inline bool mslab_slab_debug(const struct mslab_slab *slab)
{
	return unlikely(slab->layout->flags & MSLAB_DEBUG_FLAGS);
}

/*
 * init_on_alloc and init_on_free (the kernel's boot options, static keys
 * exported to modules), applied as SLUB 6.12's slab_want_init_on_alloc()
 * and slab_want_init_on_free(): never to a cache with a constructor, and
 * to SLAB_TYPESAFE_BY_RCU and poisoned caches only for __GFP_ZERO, since
 * their objects' contents must survive a free.
 */
static __always_inline bool mslab_want_init_on_alloc(gfp_t flags,
						     const struct mslab_cache *s)
{
	if (static_branch_maybe(CONFIG_INIT_ON_ALLOC_DEFAULT_ON,
				&init_on_alloc)) {
		if (s->ctor)
			return false;
		if (READ_ONCE(s->flags) & (SLAB_TYPESAFE_BY_RCU | SLAB_POISON))
			return flags & __GFP_ZERO;
		return true;
	}
	return flags & __GFP_ZERO;
}

static __always_inline bool mslab_want_init_on_free(const struct mslab_cache *s)
{
	if (static_branch_maybe(CONFIG_INIT_ON_FREE_DEFAULT_ON, &init_on_free))
		return !(s->ctor || (READ_ONCE(s->flags) &
				     (SLAB_TYPESAFE_BY_RCU | SLAB_POISON)));
	return false;
}

/* Is the free pointer after the object rather than inside it? */
static inline bool mslab_freeptr_outside_object(const struct mslab_layout *l)
{
	return l->offset >= l->inuse;
}

/*
 * init_on_free for an object of a plain slab: zero every byte its user may
 * have written (up to ksize(): the whole stride when the free pointer is
 * inside the object), before the free pointer is set.
 */
static __always_inline void mslab_init_on_free_plain(const struct mslab_cache *s,
						     void *x)
{
	const struct mslab_layout *l = &s->plain;

	memset(x, 0, mslab_freeptr_outside_object(l) ? l->inuse : l->size);
}

/*
 * With init_on_free a free object is zero but for a free pointer inside it:
 * clear that word of an object being handed out (SLUB's
 * maybe_wipe_obj_freeptr()). The plain layout puts it at half the object
 * size rounded down to a word, so the word lies inside the object of any
 * layout.
 */
static __always_inline void mslab_wipe_freeptr(const struct mslab_cache *s,
					       void *x)
{
	if (!mslab_freeptr_outside_object(&s->plain))
		*(void **)(x + s->plain.offset) = NULL;
}

/*
 * Bytes __GFP_ZERO and init_on_alloc clear: only those asked for where a
 * kmalloc cache's debugging red-zones the rest (SLUB's
 * slab_post_alloc_hook()).
 */
static inline unsigned int mslab_zero_size(struct mslab_cache *s,
					   unsigned int orig_size)
{
	if (orig_size && (s->flags & SLAB_KMALLOC) &&
	    (READ_ONCE(s->flags) & (SLAB_RED_ZONE | SLAB_STORE_USER)))
		return orig_size;
	return s->object_size;
}

/**
 * mslab_init_new_object() - the contents of an object being handed out
 * @s: its cache
 * @object: the object, off its freelist or sheaf
 * @gfpflags: the allocation's flags
 * @orig_size: bytes a kmalloc caller asked for, or 0
 *
 * Zeroes it for __GFP_ZERO and init_on_alloc, and clears its free pointer
 * where init_on_free left the rest zero (SLUB's slab_post_alloc_hook()).
 * Both tests are static branches: nothing when the options are off.
 */
static __always_inline void mslab_init_new_object(struct mslab_cache *s,
						  void *object, gfp_t gfpflags,
						  unsigned int orig_size)
{
	if (unlikely(mslab_want_init_on_alloc(gfpflags, s)))
		memset(object, 0, mslab_zero_size(s, orig_size));
	else if (unlikely(mslab_want_init_on_free(s)))
		mslab_wipe_freeptr(s, object);
}

/* Offset of the owner tracks: past the free pointer if it follows. */
static inline unsigned int mslab_info_end(const struct mslab_layout *l)
{
	if (mslab_freeptr_outside_object(l))
		return l->inuse + sizeof(void *);
	return l->inuse;
}

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

/* Bytes of the metadata that SLAB_STORE_USER adds (two tracks). */
static inline unsigned int mslab_track_size(void)
{
	return 2 * sizeof(struct mslab_track);
}

void mslab_debug_layout_init(const struct mslab_layout *l);
void mslab_debug_init_slab(struct mslab_cache *s, struct mslab_slab *slab);
void *mslab_debug_alloc(struct mslab_cache *s, struct mslab_layout *l,
			gfp_t gfpflags, int node, unsigned int orig_size,
			unsigned long addr);
bool mslab_debug_free(struct mslab_cache *s, struct mslab_slab *slab,
		      void *head, void *tail, int cnt, unsigned long addr);
int mslab_validate_cache(struct mslab_cache *s);
void mslab_debug_track(struct mslab_slab *slab, void *object, bool alloc,
		       unsigned long *addr, unsigned int *handle, int *cpu,
		       int *pid, unsigned long *when);
void mslab_debug_free_map(struct mslab_cache *s, struct mslab_slab *slab,
			  unsigned long *map);
unsigned int mslab_debug_orig_size(struct mslab_cache *s,
				   struct mslab_slab *slab, void *object);
void mslab_debug_resize(struct mslab_cache *s, struct mslab_slab *slab,
			void *object, unsigned int new_size, size_t zero_to);

void mslab_list_leaked_objects(struct mslab_cache *s, const char *where);

#endif /* _MSLAB_DEBUG_H */
