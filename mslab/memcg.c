// SPDX-License-Identifier: GPL-2.0
/*
 * mslab and memory cgroups.
 *
 * The kernel exports no per-object charging (obj_cgroup_charge()), so a
 * SLAB_ACCOUNT cache charges whole slabs: its slab pages are allocated with
 * __GFP_ACCOUNT (layout.c), charged to the memory cgroup of the task
 * whose allocation made the slab and uncharged when the page allocator
 * takes them back. The memory cgroup of an object is therefore that of its
 * slab, which is also what the kernel's mem_cgroup_from_slab_obj() finds
 * for a page that is not the kernel's slab.
 *
 * That matters for list_lru: list_lru_add_obj(), which filesystems call
 * for their inodes and dentries, puts an object on the list of its memory
 * cgroup, and expects that list to exist. The kernel's own allocator
 * creates it in kmem_cache_alloc_lru() (memcg_list_lru_alloc(), which is
 * not exported). mslab_memcg_prepare_lru() has the kernel do the same for
 * an mslab object: one allocation with that list_lru from a kernel cache of
 * its own with SLAB_ACCOUNT, charged to the object's memory cgroup
 * (set_active_memcg()), freed at once. It is needed once per memory cgroup
 * and list_lru, and costs one xarray lookup after that.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/list_lru.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "cache.h"

#ifdef CONFIG_MEMCG

/* The kernel cache whose allocations make the kernel create lru lists. */
static struct kmem_cache *lru_probe_cache;

/*
 * The memory cgroup @object is charged to, with a reference, if its list
 * on @lru does not exist yet; else NULL.
 */
static struct mem_cgroup *memcg_without_list(struct list_lru *lru,
					     void *object)
{
	struct mem_cgroup *memcg;
	int id;

	rcu_read_lock();
	memcg = folio_memcg_check(virt_to_folio(object));
	id = memcg_kmem_id(memcg);
	/* The root's objects (id -1) go on the global list. */
	if (id < 0 || xa_load(&lru->xa, id) || !css_tryget(&memcg->css))
		memcg = NULL;
	rcu_read_unlock();
	return memcg;
}

/**
 * mslab_memcg_prepare_lru() - let an object go on a memcg-aware list_lru
 * @lru: the list_lru the caller will add @object to
 * @object: a new object of a SLAB_ACCOUNT cache
 * @gfpflags: the allocation's flags
 *
 * Context: any context @gfpflags allow.
 * Return: true when list_lru_add_obj() may take @object, false when the
 * list could not be allocated (the allocation must fail then, as SLUB's).
 */
bool mslab_memcg_prepare_lru(struct list_lru *lru, void *object,
			     gfp_t gfpflags)
{
	struct mem_cgroup *memcg, *old;
	void *probe;

	if (!memcg_kmem_online() || !lru->memcg_aware || !lru_probe_cache)
		return true;
	memcg = memcg_without_list(lru, object);
	if (likely(!memcg))
		return true;

	old = set_active_memcg(memcg);
	probe = kmem_cache_alloc_lru(lru_probe_cache, lru, gfpflags);
	set_active_memcg(old);
	css_put(&memcg->css);
	if (!probe)
		return false;
	kmem_cache_free(lru_probe_cache, probe);
	return true;
}

int mslab_memcg_init(void)
{
	lru_probe_cache = kmem_cache_create("mslab_lru_probe", sizeof(void *),
					    0, SLAB_ACCOUNT, NULL);
	if (!lru_probe_cache) {
		pr_err("cannot create the list_lru probe cache\n");
		return -ENOMEM;
	}
	return 0;
}

void mslab_memcg_exit(void)
{
	kmem_cache_destroy(lru_probe_cache);
}

#else /* !CONFIG_MEMCG */

bool mslab_memcg_prepare_lru(struct list_lru *lru, void *object,
			     gfp_t gfpflags)
{
	return true;
}

int mslab_memcg_init(void)
{
	return 0;
}

void mslab_memcg_exit(void)
{
}

#endif /* CONFIG_MEMCG */
