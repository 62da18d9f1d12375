// SPDX-License-Identifier: GPL-2.0
/*
 * mslab's second front end: per-CPU object arrays in front of the per-CPU
 * slabs, in the style of SLUB's sheaves (Linux 6.18/7.0) and Bonwick's
 * magazines (USENIX 2001). Its fast paths, one pop and one push, are inline
 * in sheaf.h; this file has what they fall back to, the barns, flushing
 * and set-up.
 *
 * Each CPU has a main sheaf it allocates from and frees to, objects[--size]
 * and objects[size++], and a spare swapped in when main runs empty or
 * full. Each node has a barn (Bonwick's depot) of full and empty sheaves
 * that CPUs exchange theirs with. Only when the barn has nothing to offer
 * do objects move between sheaves and slabs, a sheaf's worth at a time,
 * through bulk.c's take/return interface: the layer below.
 *
 * The fast paths disable preemption and set the CPU's busy flag: no atomic
 * instruction, no interrupt disabling. An interrupt arriving while the flag
 * is set takes the slab front end instead, which is interrupt-safe, so
 * sheaves never need to be. On PREEMPT_RT they disable migration instead,
 * set the flag with a CPU-local cmpxchg, and a task that preempts one
 * inside the sheaves takes the slab front end as an interrupt would
 * (mslab_pcs_enter()).
 *
 * Objects of other nodes, and allocations for a given node, bypass the
 * sheaves, so a sheaf holds objects of its CPU's node only.
 *
 * Lock order: barn->lock nests inside nothing of mslab's and takes nothing.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/moduleparam.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/topology.h>

#include <kunit/visibility.h>

#include "bulk.h"
#include "sheaf.h"

/* Module-wide default front end for caches that do not choose one. */
bool mslab_sheaves_default;
module_param_named(sheaves, mslab_sheaves_default, bool, 0444);
MODULE_PARM_DESC(sheaves,
		 "Give caches a per-CPU object-array front end (sheaves) unless they choose (default: no)");

/**
 * mslab_sheaf_default_capacity() - objects per sheaf for an object size
 * @size: object stride
 *
 * As SLUB's: fewer objects for bigger ones, rounded so the sheaf fills a
 * kmalloc bucket of 64, 128, 256 or 512 bytes.
 *
 * Return: the capacity.
 */
unsigned int mslab_sheaf_default_capacity(unsigned int size)
{
	unsigned int bytes;

	if (size >= PAGE_SIZE)
		bytes = 64;
	else if (size >= 1024)
		bytes = 128;
	else if (size >= 256)
		bytes = 256;
	else
		bytes = 512;
	return (bytes - sizeof(struct mslab_sheaf)) / sizeof(void *);
}
EXPORT_SYMBOL_IF_KUNIT(mslab_sheaf_default_capacity);

static struct mslab_sheaf *alloc_sheaf(struct mslab_cache *s, gfp_t gfp,
				       int node)
{
	struct mslab_sheaf *sheaf;

	sheaf = kmalloc_node(struct_size(sheaf, objects, s->sheaf_capacity),
			     gfp, node);
	if (sheaf) {
		sheaf->size = 0;
		mslab_stat(s, SHEAF_ALLOC);
	}
	return sheaf;
}

static void free_sheaf(struct mslab_cache *s, struct mslab_sheaf *sheaf)
{
	kfree(sheaf);
	mslab_stat(s, SHEAF_FREE);
}

/* Return a sheaf's objects to their slabs. */
static void flush_sheaf(struct mslab_cache *s, struct mslab_sheaf *sheaf)
{
	if (!sheaf->size)
		return;
	mslab_stat_add(s, SHEAF_FLUSH, sheaf->size);
	mslab_return_objects(s, sheaf->size, sheaf->objects, _RET_IP_);
	sheaf->size = 0;
}

/* === Barns ============================================================== */

static struct mslab_barn *local_barn(struct mslab_cache *s)
{
	return &s->node[numa_mem_id()]->barn;
}

/* Trade an empty sheaf for a full one from the barn, if it has one. */
static struct mslab_sheaf *barn_swap_empty_for_full(struct mslab_cache *s,
						    struct mslab_sheaf *empty)
{
	struct mslab_barn *barn = local_barn(s);
	struct mslab_sheaf *full = NULL;
	unsigned long flags;

	/* Racy peek: a wrong guess costs a lock or a refill. */
	if (!data_race(barn->nr_full)) {
		mslab_stat(s, BARN_GET_FAIL);
		return NULL;
	}
	spin_lock_irqsave(&barn->lock, flags);
	if (barn->nr_full) {
		full = list_first_entry(&barn->full, struct mslab_sheaf,
					barn_list);
		list_del(&full->barn_list);
		barn->nr_full--;
		if (barn->nr_empty < MSLAB_BARN_MAX_EMPTY) {
			list_add(&empty->barn_list, &barn->empty);
			barn->nr_empty++;
			empty = NULL;
		}
	}
	spin_unlock_irqrestore(&barn->lock, flags);
	if (!full) {
		mslab_stat(s, BARN_GET_FAIL);
		return NULL;
	}
	if (empty)
		free_sheaf(s, empty);
	mslab_stat(s, BARN_GET);
	return full;
}

/*
 * Trade a full sheaf for an empty one: put it in the barn if there is room,
 * and take an empty sheaf from the barn or a new one.
 */
static struct mslab_sheaf *barn_swap_full_for_empty(struct mslab_cache *s,
						    struct mslab_sheaf *full)
{
	struct mslab_barn *barn = local_barn(s);
	struct mslab_sheaf *empty = NULL;
	unsigned long flags;

	/* Racy peek: a wrong guess costs a lock or a flush. */
	if (data_race(barn->nr_full) >= MSLAB_BARN_MAX_FULL) {
		mslab_stat(s, BARN_PUT_FAIL);
		return NULL;
	}
	spin_lock_irqsave(&barn->lock, flags);
	if (barn->nr_full >= MSLAB_BARN_MAX_FULL) {
		spin_unlock_irqrestore(&barn->lock, flags);
		mslab_stat(s, BARN_PUT_FAIL);
		return NULL;
	}
	if (barn->nr_empty) {
		empty = list_first_entry(&barn->empty, struct mslab_sheaf,
					 barn_list);
		list_del(&empty->barn_list);
		barn->nr_empty--;
	} else {
		empty = alloc_sheaf(s, GFP_NOWAIT | __GFP_NOWARN,
				    numa_mem_id());
	}
	if (empty) {
		list_add(&full->barn_list, &barn->full);
		barn->nr_full++;
	}
	spin_unlock_irqrestore(&barn->lock, flags);
	if (empty)
		mslab_stat(s, BARN_PUT);
	else
		mslab_stat(s, BARN_PUT_FAIL);
	return empty;
}

/**
 * mslab_barns_shrink() - empty every node's barn
 * @s: the cache
 *
 * Objects of full sheaves go back to their slabs; the sheaves are freed.
 *
 * Context: process context.
 */
void mslab_barns_shrink(struct mslab_cache *s)
{
	struct mslab_sheaf *sheaf, *t;
	unsigned long flags;
	int node;

	if (!s->sheaf_capacity)
		return;
	for_each_node(node) {
		struct mslab_barn *barn = &s->node[node]->barn;
		LIST_HEAD(full);
		LIST_HEAD(empty);

		spin_lock_irqsave(&barn->lock, flags);
		list_splice_init(&barn->full, &full);
		list_splice_init(&barn->empty, &empty);
		barn->nr_full = 0;
		barn->nr_empty = 0;
		spin_unlock_irqrestore(&barn->lock, flags);

		list_for_each_entry_safe(sheaf, t, &full, barn_list) {
			flush_sheaf(s, sheaf);
			free_sheaf(s, sheaf);
		}
		list_for_each_entry_safe(sheaf, t, &empty, barn_list)
			free_sheaf(s, sheaf);
	}
}

/* === Allocation and free ================================================ */

/*
 * Refill: a sheaf's worth of objects from the slabs, outside the CPU's
 * sheaves since it may sleep; one goes to the caller, the rest into main
 * (or back to the slabs if main filled up meanwhile).
 */
static void *sheaf_refill_alloc(struct mslab_cache *s, gfp_t gfpflags)
{
	void *objects[MSLAB_SHEAF_MAX_CAPACITY];
	unsigned int n = s->sheaf_capacity, room;
	struct mslab_sheaf *main;
	struct mslab_pcs *pcs;

	if (!mslab_take_objects(s, gfpflags, n, objects, NULL))
		return NULL;
	mslab_stat_add(s, SHEAF_REFILL, n);

	pcs = mslab_pcs_enter(s->pcs);
	/* Debugging switched on meanwhile: no sheaf is filled (debug_switch.c). */
	if (pcs && unlikely(!mslab_use_sheaves(s))) {
		mslab_pcs_exit(pcs);
		pcs = NULL;
	}
	if (pcs) {
		main = pcs->main;
		room = min(s->sheaf_capacity - main->size, n - 1);
		memcpy(&main->objects[main->size], &objects[n - room],
		       room * sizeof(void *));
		main->size += room;
		mslab_pcs_exit(pcs);
		n -= room;
	}
	if (n > 1) {
		mslab_stat_add(s, SHEAF_FLUSH, n - 1);
		mslab_return_objects(s, n - 1, &objects[1], _RET_IP_);
	}
	return objects[0];
}

/**
 * mslab_sheaf_alloc_slow() - mslab_sheaf_alloc() when main is empty
 * @s: the cache
 * @pcs: this CPU's sheaves, entered; exited here
 * @gfpflags: as for mslab_cache_alloc()
 *
 * The spare if it has objects, else a full sheaf from the barn, else a
 * refill from the slabs.
 *
 * Return: an object, or NULL for the caller to use the cpu slab.
 */
void *mslab_sheaf_alloc_slow(struct mslab_cache *s, struct mslab_pcs *pcs,
			     gfp_t gfpflags)
{
	struct mslab_sheaf *full;
	void *object;

	if (pcs->spare && pcs->spare->size) {
		swap(pcs->main, pcs->spare);
	} else {
		full = barn_swap_empty_for_full(s, pcs->main);
		if (!full) {
			mslab_pcs_exit(pcs);
			object = sheaf_refill_alloc(s, gfpflags);
			if (object)
				mslab_stat(s, ALLOC_SLOWPATH);
			return object;
		}
		pcs->main = full;
	}
	object = pcs->main->objects[--pcs->main->size];
	mslab_pcs_exit(pcs);
	mslab_stat(s, ALLOC_FASTPATH);
	return object;
}

/**
 * mslab_sheaf_make_room() - mslab_sheaf_free() when main is full
 * @s: the cache
 * @pcs: this CPU's sheaves, entered
 * @addr: the caller, for reports
 *
 * An empty spare, else a new one with the full main kept as spare, else an
 * empty sheaf from the barn for the full main, else half of main goes back
 * to the slabs.
 *
 * Return: the main sheaf, with room for one object.
 */
struct mslab_sheaf *mslab_sheaf_make_room(struct mslab_cache *s,
					  struct mslab_pcs *pcs,
					  unsigned long addr)
{
	unsigned int half = s->sheaf_capacity / 2;
	struct mslab_sheaf *main = pcs->main, *empty;

	if (pcs->spare && !pcs->spare->size) {
		swap(pcs->main, pcs->spare);
		return pcs->main;
	}
	if (!pcs->spare) {
		/* Keep the full one as the spare, start an empty main. */
		empty = alloc_sheaf(s, GFP_NOWAIT | __GFP_NOWARN,
				    numa_mem_id());
		if (empty) {
			pcs->spare = main;
			pcs->main = empty;
			return empty;
		}
	}
	empty = barn_swap_full_for_empty(s, main);
	if (empty) {
		pcs->main = empty;
		return empty;
	}
	/* Nowhere to put a full sheaf: send half of it to the slabs. */
	mslab_stat_add(s, SHEAF_FLUSH, half);
	mslab_return_objects(s, half, &main->objects[main->size - half], addr);
	main->size -= half;
	return main;
}

/* === Flushing =========================================================== */

/**
 * mslab_sheaves_flush_local() - return this CPU's sheaved objects to slabs
 * @s: the cache
 *
 * Context: process context, on the CPU whose sheaves are flushed (the
 * flush work of cpu.c).
 */
void mslab_sheaves_flush_local(struct mslab_cache *s)
{
	struct mslab_sheaf *spare;
	struct mslab_pcs *pcs;

	if (!s->sheaf_capacity)
		return;
	pcs = mslab_pcs_enter(s->pcs);
	/*
	 * Process context cannot have interrupted a sheaf operation, but on
	 * PREEMPT_RT it can have preempted one: let that task finish.
	 */
	while (IS_ENABLED(CONFIG_PREEMPT_RT) && !pcs) {
		schedule_timeout_uninterruptible(1);
		pcs = mslab_pcs_enter(s->pcs);
	}
	if (WARN_ON_ONCE(!pcs))
		return;
	flush_sheaf(s, pcs->main);
	spare = pcs->spare;
	pcs->spare = NULL;
	mslab_pcs_exit(pcs);
	if (spare) {
		flush_sheaf(s, spare);
		free_sheaf(s, spare);
	}
}

/**
 * mslab_sheaves_flush_cpu() - return a dead CPU's sheaved objects to slabs
 * @s: the cache
 * @cpu: an offline CPU: nothing runs there
 *
 * Context: CPU hotplug teardown.
 */
void mslab_sheaves_flush_cpu(struct mslab_cache *s, unsigned int cpu)
{
	struct mslab_pcs *pcs;

	if (!s->sheaf_capacity)
		return;
	pcs = per_cpu_ptr(s->pcs, cpu);
	flush_sheaf(s, pcs->main);
	if (pcs->spare) {
		flush_sheaf(s, pcs->spare);
		free_sheaf(s, pcs->spare);
		pcs->spare = NULL;
	}
}

/* === Set-up ============================================================= */

/**
 * mslab_sheaves_init() - give a new cache its sheaves
 * @s: the cache, with geometry and nodes set up
 * @capacity: objects per sheaf (at most MSLAB_SHEAF_MAX_CAPACITY), or 0 for
 *	      none
 *
 * Return: 0 or -ENOMEM.
 */
int mslab_sheaves_init(struct mslab_cache *s, unsigned int capacity)
{
	int cpu, node;

	for_each_node(node) {
		struct mslab_barn *barn = &s->node[node]->barn;

		spin_lock_init(&barn->lock);
		INIT_LIST_HEAD(&barn->full);
		INIT_LIST_HEAD(&barn->empty);
	}
	if (!capacity)
		return 0;
	s->sheaf_capacity = min_t(unsigned int, capacity,
				  MSLAB_SHEAF_MAX_CAPACITY);
	s->sheaves_on = true;
	s->pcs = alloc_percpu(struct mslab_pcs);
	if (!s->pcs)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct mslab_pcs *pcs = per_cpu_ptr(s->pcs, cpu);

		pcs->main = alloc_sheaf(s, GFP_KERNEL, cpu_to_mem(cpu));
		if (!pcs->main)
			return -ENOMEM;
	}
	return 0;
}

/**
 * mslab_sheaves_free() - free a cache's (empty) sheaves
 * @s: the cache, flushed
 */
void mslab_sheaves_free(struct mslab_cache *s)
{
	int cpu;

	if (!s->pcs)
		return;
	for_each_possible_cpu(cpu) {
		struct mslab_pcs *pcs = per_cpu_ptr(s->pcs, cpu);

		kfree(pcs->main);
		kfree(pcs->spare);
	}
	free_percpu(s->pcs);
	s->pcs = NULL;
}
