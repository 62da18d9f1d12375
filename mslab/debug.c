// SPDX-License-Identifier: GPL-2.0
/*
 * mslab debugging: SLUB 6.12's red zones, poisoning, owner tracking,
 * consistency checks and validation (mm/slub.c under CONFIG_SLUB_DEBUG),
 * for caches created with SLAB_CONSISTENCY_CHECKS (F), SLAB_RED_ZONE (Z),
 * SLAB_POISON (P) or SLAB_STORE_USER (U). This file has the debug caches'
 * allocation and free paths; checks.c the checks, validate and leaks;
 * report.c every report.
 *
 * The layout of an object's stride (layout.c, SLUB's calculate_sizes()):
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
 * object of a debug slab (a slab built with a debug layout, debug_switch.c),
 * whatever the cache's flags are now. Both run under the slab's node
 * list_lock, which for a debug slab protects its freelist, counters and
 * corrupt flag (in place of mslab_slab_update_freelist(): no CPU ever owns
 * a debug slab) and the tracks, kmalloc sizes and red zones of its objects
 * (validate and the traces read them under it), as SLUB's
 * alloc_single_from_partial() and free_to_partial_list() do, and move the
 * slab between the node's lists with node.h's helpers. Each slab is
 * checked with the layout and flags it was built with (slab->layout). Only
 * SLAB_CONSISTENCY_CHECKS checks each allocation and free, as in SLUB: red
 * zones and poison alone are checked by validate (and the free path always
 * refuses a free of the object at the head of the freelist).
 *
 * Nothing here WARNs or follows a free pointer it has not checked: a slab
 * whose metadata fails a check is marked corrupt, its objects all count as
 * in use, and it is never used or freed again (SLUB's policy: leak it).
 *
 * Lock order: the node's list_lock, then nothing of mslab's; printing
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
#include "debug_internal.h"
#include "node.h"

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

static void set_orig_size(struct mslab_cache *s, const struct mslab_layout *l,
			  void *object, unsigned int orig_size)
{
	if (debug_orig_size(s, l))
		*orig_size_ptr(l, object) = orig_size;
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
		mslab_init_object(s, l, p, SLUB_RED_INACTIVE);
		init_tracking(l, p);
	}
}

/* === Allocation ========================================================= */

/*
 * What one allocation records in its object: the size asked for, and the
 * owner track (SLAB_STORE_USER). The track is written under list_lock with
 * the rest, so that alloc_traces, which reads the tracks of objects in use
 * under list_lock (traces.c), never sees one half written.
 */
struct alloc_record {
	unsigned int orig_size;
	unsigned long addr;
	depot_stack_handle_t handle;
};

/*
 * Take the first free object of a slab (SLUB's alloc_single_from_partial()
 * and alloc_debug_processing()).
 * Return: the object, or NULL when the slab failed a check and was given up.
 */
static void *alloc_single(struct mslab_cache *s, struct mslab_node *n,
			  struct mslab_slab *slab,
			  const struct alloc_record *rec)
{
	const struct mslab_layout *l = slab->layout;
	void *object = slab->freelist;
	void *next;

	lockdep_assert_held(&n->list_lock);
	if ((l->flags & SLAB_CONSISTENCY_CHECKS) &&
	    !mslab_alloc_consistency_checks(s, slab, object))
		goto bad;
	/* Even unchecked, never follow a free pointer out of the slab. */
	next = mslab_get_freepointer(l, object);
	if (!check_valid_pointer(slab, next)) {
		mslab_object_err(s, slab, object, "Freechain corrupt");
		goto bad;
	}
	slab->freelist = next;
	slab->inuse++;
	mslab_note_in_use(n, slab);
	mslab_trace(s, slab, object, true);
	set_orig_size(s, l, object, rec->orig_size);
	mslab_init_object(s, l, object, SLUB_RED_ACTIVE);
	if (l->flags & SLAB_STORE_USER)
		set_track_update(l, object, TRACK_ALLOC, rec->addr,
				 rec->handle);
	if (slab->inuse == slab->objects && slab->on_node_partial)
		mslab_remove_partial(n, slab);
	return object;

bad:
	mslab_mark_slab_corrupt(s, slab);
	return NULL;
}

/* An object of a partial slab of layout @l (the current one, normally). */
static void *alloc_from_partial(struct mslab_cache *s,
				struct mslab_layout *l, struct mslab_node *n,
				const struct alloc_record *rec)
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
		object = alloc_single(s, n, slab, rec);
	}
	spin_unlock_irqrestore(&n->list_lock, flags);
	return object;
}

/* The first object of a new slab, which then joins the partial list. */
static void *alloc_from_new_slab(struct mslab_cache *s,
				 struct mslab_slab *slab,
				 const struct alloc_record *rec)
{
	struct mslab_node *n = s->node[mslab_slab_nid(slab)];
	unsigned long flags;
	void *object;

	spin_lock_irqsave(&n->list_lock, flags);
	object = alloc_single(s, n, slab, rec);
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
	struct alloc_record rec = { .orig_size = orig_size, .addr = addr };
	struct mslab_slab *slab;
	void *object;
	int searchnode;

	if (node != NUMA_NO_NODE && !node_state(node, N_NORMAL_MEMORY))
		node = NUMA_NO_NODE;
	searchnode = node == NUMA_NO_NODE ? numa_mem_id() : node;

	/* The stack is saved before list_lock: the depot may allocate. */
	if (l->flags & SLAB_STORE_USER)
		rec.handle = set_track_prepare(gfpflags);
	object = alloc_from_partial(s, l, s->node[searchnode], &rec);
	while (!object) {
		slab = mslab_new_slab(s, l, gfpflags, node);
		if (!slab)
			return NULL;
		/* Fails only if the new slab was corrupted meanwhile. */
		object = alloc_from_new_slab(s, slab, &rec);
	}
	return object;
}

/* === Free =============================================================== */

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
		mslab_slab_err(s, slab,
			       "Slab disabled since mslab metadata consistency check failed");
		goto out;
	}
	if ((l->flags & SLAB_CONSISTENCY_CHECKS) && !mslab_check_slab(s, slab))
		goto out;
	if (slab->inuse < *bulk_cnt) {
		mslab_slab_err(s, slab, "Slab has %d allocated objects but %d are to be freed",
			       slab->inuse, *bulk_cnt);
		goto out;
	}
	/* Unchecked caches still catch the immediate double free. */
	if (!(l->flags & SLAB_CONSISTENCY_CHECKS) && head == slab->freelist) {
		mslab_object_err(s, slab, object, "Object already free");
		goto out;
	}

next_object:
	if (++cnt > *bulk_cnt)
		goto out_cnt;
	if ((l->flags & SLAB_CONSISTENCY_CHECKS) &&
	    !mslab_free_consistency_checks(s, slab, object))
		goto out;
	if (l->flags & SLAB_STORE_USER)
		set_track_update(l, object, TRACK_FREE, addr, handle);
	mslab_trace(s, slab, object, false);
	/* The free pointer survives: poisoning moved it out of the object. */
	mslab_init_object(s, l, object, SLUB_RED_INACTIVE);
	if (object != tail) {
		object = mslab_get_freepointer(l, object);
		goto next_object;
	}
	checks_ok = true;

out_cnt:
	if (cnt != *bulk_cnt) {
		mslab_slab_err(s, slab, "Bulk free expected %d objects but found %d",
			       *bulk_cnt, cnt);
		*bulk_cnt = cnt;
		checks_ok = false;
	}
out:
	if (!checks_ok)
		mslab_slab_fix(s, "Object at 0x%p not freed", object);
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

/* === Owner tracks and kmalloc sizes, for other files ==================== */

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
 * mslab_debug_resize() - krealloc() or ksize() in place, on a debug slab
 * @s: the cache
 * @slab: a slab of @s, with a debug layout
 * @object: an object of @slab in use, of the caller
 * @new_size: the bytes the user has now, at most the usable size
 * @zero_to: 0, or the usable size (ksize) for __GFP_ZERO and init_on_alloc:
 *	     then the bytes the user gains are zeroed, and so are those it
 *	     gives up, up to @zero_to
 *
 * Where the slab's layout keeps the size asked for (SLAB_KMALLOC with
 * SLAB_STORE_USER), record @new_size and, with red zones, make the rest of
 * the object the kmalloc red zone again: krealloc() in place (as SLUB does
 * from 6.14), and ksize(), after which the user may use the whole object
 * (SLUB's skip_orig_size_check()).
 *
 * Under the slab's list_lock, where validate and alloc_traces read the
 * size and check the red zone: they see the object before or after, never
 * a red zone half zeroed or a size that does not match its red zone.
 *
 * Context: any context mslab_cache_free() may be called in.
 */
void mslab_debug_resize(struct mslab_cache *s, struct mslab_slab *slab,
			void *object, unsigned int new_size, size_t zero_to)
{
	const struct mslab_layout *l = slab->layout;
	struct mslab_node *n = s->node[mslab_slab_nid(slab)];
	unsigned int old_size;
	unsigned long flags;

	/* ksize() of an object whose layout keeps no size: nothing to move. */
	if (!zero_to && !debug_orig_size(s, l))
		return;
	spin_lock_irqsave(&n->list_lock, flags);
	if (zero_to) {
		old_size = get_orig_size(s, l, object);
		if (old_size < new_size)
			memset(object + old_size, 0, new_size - old_size);
		else
			memset(object + new_size, 0, zero_to - new_size);
	}
	if (debug_orig_size(s, l)) {
		set_orig_size(s, l, object, new_size);
		if ((l->flags & SLAB_RED_ZONE) && new_size < s->object_size)
			memset(object + new_size, SLUB_RED_ACTIVE,
			       s->object_size - new_size);
	}
	spin_unlock_irqrestore(&n->list_lock, flags);
}
