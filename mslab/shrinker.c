// SPDX-License-Identifier: GPL-2.0
/*
 * mslab under memory pressure: a shrinker, so the kernel's reclaim (kswapd,
 * direct reclaim, drop_caches) can take back the memory mslab holds but
 * does not use. SLUB has no such shrinker; its per-CPU and empty slabs
 * wait for kmem_cache_shrink() or new allocations.
 *
 * count_objects() reports, in pages, what a scan can free:
 *   - the empty slabs on the node partial lists, counted exactly in each
 *     node's nr_empty (kept up to date under list_lock);
 *   - the slabs the CPUs hold (cpu slabs and partial chains, read without
 *     their locks as sysfs does): a flush frees those of them that are
 *     empty, so this part is an upper bound.
 * scan_objects() frees in proportion to nr_to_scan, cheapest first:
 *   1. empty node partial slabs, cache after cache, touching no CPU;
 *   2. only if that freed less than asked, a cache at a time: flush its
 *      CPUs (a work item on each CPU that holds something), then free
 *      what became empty.
 * The next scan starts at the cache where the last one stopped, so a long
 * list of caches is worked through in turn, not always from its head.
 *
 * Reclaim can run inside any allocation, including one made with
 * cpu_hotplug_lock or mslab_mutex held, so the scan only trylocks both and
 * gives up (SHRINK_STOP) rather than deadlock.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/ktime.h>
#include <linux/shrinker.h>

#include "cache.h"
#include "cpu_slab.h"
#include "node.h"

static struct shrinker *mslab_shrinker;

/* What the scans did, for debugfs stats. */
atomic_long_t mslab_shrink_scans = ATOMIC_LONG_INIT(0);
atomic_long_t mslab_shrink_freed = ATOMIC_LONG_INIT(0);
atomic_long_t mslab_shrink_flushes = ATOMIC_LONG_INIT(0);
atomic_long_t mslab_shrink_ns = ATOMIC_LONG_INIT(0);

/* Pages of the cache's empty node partial slabs: step 1 frees them. */
static unsigned long empty_pages(struct mslab_cache *s)
{
	unsigned long slabs = 0;
	int node;

	for_each_node(node) {
		struct mslab_node *n = s->node[node];

		if (n)	/* Racy peek: an estimate is all reclaim needs. */
			slabs += data_race(n->nr_empty);
	}
	return slabs << mslab_oo_order(READ_ONCE(s->layout)->oo);
}

/* Pages of the slabs the CPUs hold: step 2 frees the empty ones. */
static unsigned long cpu_held_pages(struct mslab_cache *s)
{
	unsigned long slabs = 0;
	int cpu;

	/* Descriptors are SLAB_TYPESAFE_BY_RCU: safe to read if stale. */
	rcu_read_lock();
	for_each_online_cpu(cpu) {
		struct mslab_cpu *c = per_cpu_ptr(s->cpu_slab, cpu);
		struct mslab_slab *partial;

		/* Racy: the CPU changes both under its own lock meanwhile. */
		partial = data_race(READ_ONCE(c->partial));
		/* As racy: a slab more or less in an estimate. */
		if (data_race(READ_ONCE(c->slab)))
			slabs++;
		if (partial)
			slabs += mslab_chain_slabs_racy(partial);
	}
	rcu_read_unlock();
	return slabs << mslab_oo_order(s->plain.oo);
}

/* Do the CPUs hold anything of @s that a flush could give back? */
static bool cpus_hold_slabs(struct mslab_cache *s)
{
	/* Objects in sheaves keep their slabs in use: no cheap look. */
	return s->sheaf_capacity || cpu_held_pages(s);
}

static unsigned long mslab_shrink_count(struct shrinker *shrink,
					struct shrink_control *sc)
{
	unsigned long pages = 0;
	struct mslab_cache *s;

	if (!mutex_trylock(&mslab_mutex))
		return 0;
	list_for_each_entry(s, &mslab_caches, list)
		pages += empty_pages(s) + cpu_held_pages(s);
	mutex_unlock(&mslab_mutex);
	return pages ?: SHRINK_EMPTY;
}

static unsigned long mslab_shrink_scan(struct shrinker *shrink,
				       struct shrink_control *sc)
{
	unsigned long want = sc->nr_to_scan, freed = 0;
	struct mslab_cache *s, *stop = NULL;
	u64 start = ktime_get_ns();

	if (!cpus_read_trylock())
		return SHRINK_STOP;
	if (!mutex_trylock(&mslab_mutex)) {
		cpus_read_unlock();
		return SHRINK_STOP;
	}
	list_for_each_entry(s, &mslab_caches, list) {
		freed += mslab_shrink_empty(s, want - freed);
		if (freed >= want) {
			stop = s;
			break;
		}
	}
	if (!stop) {
		list_for_each_entry(s, &mslab_caches, list) {
			if (!cpus_hold_slabs(s))
				continue;
			mslab_flush_all(s, false);
			atomic_long_inc(&mslab_shrink_flushes);
			freed += mslab_shrink_empty(s, want - freed);
			if (freed >= want) {
				stop = s;
				break;
			}
		}
	}
	/* The next scan starts here. */
	if (stop)
		list_rotate_to_front(&stop->list, &mslab_caches);
	mutex_unlock(&mslab_mutex);
	cpus_read_unlock();

	atomic_long_inc(&mslab_shrink_scans);
	atomic_long_add(freed, &mslab_shrink_freed);
	atomic_long_add(ktime_get_ns() - start, &mslab_shrink_ns);
	return freed;
}

int mslab_shrinker_init(void)
{
	mslab_shrinker = shrinker_alloc(0, "mslab");
	if (!mslab_shrinker) {
		pr_err("cannot allocate a shrinker\n");
		return -ENOMEM;
	}
	mslab_shrinker->count_objects = mslab_shrink_count;
	mslab_shrinker->scan_objects = mslab_shrink_scan;
	shrinker_register(mslab_shrinker);
	return 0;
}

void mslab_shrinker_exit(void)
{
	shrinker_free(mslab_shrinker);
}
