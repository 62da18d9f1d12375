// SPDX-License-Identifier: GPL-2.0
/*
 * mslab under memory pressure: a shrinker, so the kernel's reclaim (kswapd,
 * direct reclaim, drop_caches) can take back the memory mslab holds but
 * does not use: every CPU's cached slabs and every empty slab, as
 * mslab_cache_shrink() does for one cache. SLUB has no such shrinker; its
 * per-CPU and empty slabs wait for kmem_cache_shrink() or new allocations.
 *
 * Reclaim can run inside any allocation, including one made with
 * cpu_hotplug_lock or mslab_mutex held, so the scan only trylocks both and
 * gives up (SHRINK_STOP) rather than deadlock.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/shrinker.h>

#include "mslab.h"

static struct shrinker *mslab_shrinker;

/* Pages in slabs of @s that a flush and shrink may free: an estimate. */
static unsigned long reclaimable_pages(struct mslab_cache *s)
{
	unsigned long slabs = 0;
	int cpu, node;

	/* Descriptors are SLAB_TYPESAFE_BY_RCU: safe to read if stale. */
	rcu_read_lock();
	for_each_online_cpu(cpu) {
		struct mslab_cpu *c = per_cpu_ptr(s->cpu_slab, cpu);
		struct mslab_slab *partial = READ_ONCE(c->partial);

		if (partial)
			slabs += READ_ONCE(partial->slabs);
	}
	rcu_read_unlock();
	for_each_node(node) {
		struct mslab_node *n = s->node[node];

		if (n)	/* An estimate is all count_objects() needs. */
			slabs += data_race(n->nr_partial); /* racy peek */
	}
	return slabs << mslab_oo_order(READ_ONCE(s->layout)->oo);
}

static unsigned long mslab_shrink_count(struct shrinker *shrink,
					struct shrink_control *sc)
{
	unsigned long pages = 0;
	struct mslab_cache *s;

	if (!mutex_trylock(&mslab_mutex))
		return 0;
	list_for_each_entry(s, &mslab_caches, list)
		pages += reclaimable_pages(s);
	mutex_unlock(&mslab_mutex);
	return pages ?: SHRINK_EMPTY;
}

static unsigned long mslab_shrink_scan(struct shrinker *shrink,
				       struct shrink_control *sc)
{
	long before = atomic_long_read(&mslab_pages_held);
	struct mslab_cache *s;
	long freed;

	if (!cpus_read_trylock())
		return SHRINK_STOP;
	if (!mutex_trylock(&mslab_mutex)) {
		cpus_read_unlock();
		return SHRINK_STOP;
	}
	list_for_each_entry(s, &mslab_caches, list) {
		mslab_flush_all(s, false);
		mslab_shrink_nodes(s);
	}
	mutex_unlock(&mslab_mutex);
	cpus_read_unlock();

	/* SLAB_TYPESAFE_BY_RCU caches' pages come back after a grace period. */
	freed = before - atomic_long_read(&mslab_pages_held);
	return freed > 0 ? freed : 0;
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
