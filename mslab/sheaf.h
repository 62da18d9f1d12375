/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sheaf front end (sheaf.c): per-CPU object arrays in front of the cpu
 * slabs. Its fast paths, one pop and one push, are here and nowhere else:
 * the public entry points of alloc.c inline them. When main is empty or
 * full they carry on in sheaf.c, still inside the CPU's sheaves, which
 * exchange sheaves with the barn and, last, move objects between sheaves
 * and slabs through bulk.c's take/return interface.
 */
#ifndef _MSLAB_SHEAF_H
#define _MSLAB_SHEAF_H

#include "mslab.h"

/*
 * An array of free objects (SLUB's newest sheaves, Bonwick's magazines).
 * Sized so the whole structure fills a kmalloc bucket exactly.
 */
struct mslab_sheaf {
	/* On a barn list: under the barn's lock. */
	struct list_head barn_list;
	/* Objects held, objects[0 .. size - 1]. */
	unsigned int size;
	void *objects[];
};

/* Largest sheaf capacity: a sheaf fills at most a 512-byte bucket. */
#define MSLAB_SHEAF_MAX_CAPACITY \
	((512 - sizeof(struct mslab_sheaf)) / sizeof(void *))

/*
 * A CPU's sheaves. Only that CPU touches them, with @busy set (mslab's
 * local_trylock()): a context of the CPU that finds @busy set uses the slab
 * path instead, so no interrupt is ever disabled. Preemption is off while
 * @busy is set, except on PREEMPT_RT: there a sheaf operation takes
 * sleeping locks (the barn's, the slab path's) and allocates, so only
 * migration is off, and another task of the CPU that finds @busy set falls
 * back to the slab path as an interrupt does.
 */
struct mslab_pcs {
	bool busy;
	/* Where objects are taken and put; never NULL. */
	struct mslab_sheaf *main;
	/* A second sheaf swapped in when main runs full or empty, or NULL. */
	struct mslab_sheaf *spare;
};

/*
 * Enter this CPU's sheaves of @pcs_base, or NULL when another context of
 * this CPU is inside them. Pairs with mslab_pcs_exit().
 */
static __always_inline struct mslab_pcs *
mslab_pcs_enter(struct mslab_pcs __percpu *pcs_base)
{
	struct mslab_pcs *pcs;

	if (IS_ENABLED(CONFIG_PREEMPT_RT)) {
		migrate_disable();
		pcs = this_cpu_ptr(pcs_base);
		/* Preemptible: test and set as one step against this CPU. */
		if (unlikely(cmpxchg_local(&pcs->busy, false, true))) {
			migrate_enable();
			return NULL;
		}
		return pcs;
	}
	preempt_disable();
	pcs = this_cpu_ptr(pcs_base);
	if (unlikely(READ_ONCE(pcs->busy))) {
		preempt_enable();
		return NULL;
	}
	WRITE_ONCE(pcs->busy, true);
	/* Interrupts on this CPU see busy before any change to the sheaves. */
	barrier();
	return pcs;
}

static __always_inline void mslab_pcs_exit(struct mslab_pcs *pcs)
{
	/* All changes to the sheaves are done before busy clears. */
	barrier();
	WRITE_ONCE(pcs->busy, false);
	if (IS_ENABLED(CONFIG_PREEMPT_RT))
		migrate_enable();
	else
		preempt_enable();
}

/* Do objects go through the CPUs' sheaves? Not while debugging is on. */
static inline bool mslab_use_sheaves(const struct mslab_cache *s)
{
	return READ_ONCE(s->sheaves_on);
}

/* sheaf.c: when main is empty or full; called inside the sheaves. */
void *mslab_sheaf_alloc_slow(struct mslab_cache *s, struct mslab_pcs *pcs,
			     gfp_t gfpflags);
struct mslab_sheaf *mslab_sheaf_make_room(struct mslab_cache *s,
					  struct mslab_pcs *pcs,
					  unsigned long addr);

/**
 * mslab_sheaf_alloc() - allocate from this CPU's sheaves
 * @s: a cache with sheaves on
 * @gfpflags: as for mslab_cache_alloc()
 *
 * Context: any context @gfpflags allow.
 * Return: an object, or NULL for the caller to use the cpu slab.
 */
static __always_inline void *mslab_sheaf_alloc(struct mslab_cache *s,
					       gfp_t gfpflags)
{
	struct mslab_pcs *pcs = mslab_pcs_enter(s->pcs);
	struct mslab_sheaf *main;
	void *object;

	if (unlikely(!pcs))
		return NULL;
	main = pcs->main;
	if (unlikely(!main->size))
		return mslab_sheaf_alloc_slow(s, pcs, gfpflags);
	object = main->objects[--main->size];
	mslab_pcs_exit(pcs);
	mslab_stat(s, ALLOC_FASTPATH);
	return object;
}

/**
 * mslab_sheaf_free() - free to this CPU's sheaves
 * @s: a cache with sheaves on
 * @obj: a valid object of a plain slab of @s, of this CPU's node
 * @addr: the caller, for reports
 *
 * Context: any.
 * Return: true if done (freed, or refused as a double free), false for the
 * caller to free it to its slab.
 */
static __always_inline bool mslab_sheaf_free(struct mslab_cache *s,
					     void *obj, unsigned long addr)
{
	struct mslab_pcs *pcs = mslab_pcs_enter(s->pcs);
	struct mslab_sheaf *main;

	if (unlikely(!pcs))
		return false;
	main = pcs->main;
	if (unlikely(main->size >= s->sheaf_capacity))
		main = mslab_sheaf_make_room(s, pcs, addr);
	/* The naive double-free check SLUB's hardened freelist makes. */
	if (unlikely(main->size && main->objects[main->size - 1] == obj)) {
		mslab_pcs_exit(pcs);
		mslab_report_free_error(s, obj, addr, "double free");
		return true;
	}
	main->objects[main->size++] = obj;
	mslab_pcs_exit(pcs);
	mslab_stat(s, FREE_FASTPATH);
	return true;
}

extern bool mslab_sheaves_default;
unsigned int mslab_sheaf_default_capacity(unsigned int size);
int mslab_sheaves_init(struct mslab_cache *s, unsigned int capacity);
void mslab_sheaves_free(struct mslab_cache *s);
void mslab_sheaves_flush_cpu(struct mslab_cache *s, unsigned int cpu);
void mslab_sheaves_flush_local(struct mslab_cache *s);
void mslab_barns_shrink(struct mslab_cache *s);

#endif /* _MSLAB_SHEAF_H */
