// SPDX-License-Identifier: GPL-2.0
/*
 * mslab caches: creation with argument checking, destruction, shrinking,
 * and the list of all caches.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/interrupt.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/overflow.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/wait.h>

#include <kunit/visibility.h>

#include "cache.h"
#include "cpu_slab.h"
#include "debug.h"
#include "node.h"
#include "sheaf.h"

DEFINE_MUTEX(mslab_mutex);	/* Protects mslab_caches; see alloc.c */
LIST_HEAD(mslab_caches);

/*
 * Caches that mslab_cache_destroy() has taken off mslab_caches but whose
 * sysfs and debugfs directories are still going (under mslab_mutex). Their
 * names stay taken meanwhile: a create of the same name waits on
 * teardown_wq until teardowns (under mslab_mutex, read once outside it)
 * moves, rather than meet the old directory in sysfs.
 */
static LIST_HEAD(caches_in_teardown);
static unsigned long teardowns;
static DECLARE_WAIT_QUEUE_HEAD(teardown_wq);
atomic_t mslab_nr_caches = ATOMIC_INIT(0);
EXPORT_SYMBOL_IF_KUNIT(mslab_nr_caches);

/*
 * The SLAB_* flags mslab implements: SLAB_KMALLOC marks a kmalloc-like
 * cache, whose debug metadata keeps the size asked for. SLAB_ACCOUNT
 * charges the cache's slab pages, not each object, to a memory cgroup
 * (layout.c says which).
 */
#define MSLAB_SUPPORTED_FLAGS (SLAB_HWCACHE_ALIGN | SLAB_RECLAIM_ACCOUNT | \
			       SLAB_PANIC | SLAB_NO_MERGE | SLAB_CACHE_DMA | \
			       SLAB_TYPESAFE_BY_RCU | SLAB_KMALLOC | \
			       SLAB_ACCOUNT | MSLAB_DEBUG_FLAGS)

/* Names of the kernel's SLAB_* flags, to refuse an unsupported one by name. */
static const struct {
	slab_flags_t flag;
	const char *name;
} slab_flag_names[] = {
	{ SLAB_CONSISTENCY_CHECKS, "SLAB_CONSISTENCY_CHECKS" },
	{ SLAB_RED_ZONE, "SLAB_RED_ZONE" },
	{ SLAB_POISON, "SLAB_POISON" },
	{ SLAB_KMALLOC, "SLAB_KMALLOC" },
	{ SLAB_STORE_USER, "SLAB_STORE_USER" },
	{ SLAB_CACHE_DMA32, "SLAB_CACHE_DMA32" },
	{ SLAB_TYPESAFE_BY_RCU, "SLAB_TYPESAFE_BY_RCU" },
	{ SLAB_TRACE, "SLAB_TRACE" },
	{ SLAB_DEBUG_OBJECTS, "SLAB_DEBUG_OBJECTS" },
	{ SLAB_NOLEAKTRACE, "SLAB_NOLEAKTRACE" },
	{ SLAB_FAILSLAB, "SLAB_FAILSLAB" },
	{ SLAB_ACCOUNT, "SLAB_ACCOUNT" },
	{ SLAB_KASAN, "SLAB_KASAN" },
	{ SLAB_NO_USER_FLAGS, "SLAB_NO_USER_FLAGS" },
	{ SLAB_SKIP_KFENCE, "SLAB_SKIP_KFENCE" },
	{ SLAB_RECLAIM_ACCOUNT, "SLAB_RECLAIM_ACCOUNT" },
};

static const char *unsupported_flag_name(slab_flags_t flags)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(slab_flag_names); i++)
		if (slab_flag_names[i].flag & flags)
			return slab_flag_names[i].name;
	return "an unknown flag";
}

/* The cache called @name on @list (mslab_caches, caches_in_teardown). */
static struct mslab_cache *find_cache_on(struct list_head *list,
					 const char *name)
{
	struct mslab_cache *s;

	lockdep_assert_held(&mslab_mutex);
	list_for_each_entry(s, list, list)
		if (!strcmp(s->name, name))
			return s;
	return NULL;
}

static struct mslab_cache *find_cache(const char *name)
{
	return find_cache_on(&mslab_caches, name);
}

/*
 * Take mslab_mutex once no cache called @name is being destroyed: its
 * directories are gone and the name is free for sysfs.
 */
static void lock_name_free_of_teardown(const char *name)
{
	unsigned long seen;

	mutex_lock(&mslab_mutex);
	while (find_cache_on(&caches_in_teardown, name)) {
		seen = teardowns;
		mutex_unlock(&mslab_mutex);
		wait_event(teardown_wq, READ_ONCE(teardowns) != seen);
		mutex_lock(&mslab_mutex);
	}
}

/* Log why mslab_cache_create() refuses to create a cache. */
#define create_error(name, fmt, ...)					\
	pr_err("mslab_cache_create: cache %s: " fmt "\n", name, ##__VA_ARGS__)

/* Refuse what kmem_cache_create() would refuse, saying why. */
static int check_create_args(const char *name, unsigned int size,
			     unsigned int align, slab_flags_t flags)
{
	slab_flags_t unsupported = flags & ~MSLAB_SUPPORTED_FLAGS;

	if (!name || !*name) {
		create_error("(no name)", "a cache needs a name");
		return -EINVAL;
	}
	if (strchr(name, '/')) {
		create_error(name, "'/' is not allowed in a name");
		return -EINVAL;
	}
	if (in_interrupt()) {
		create_error(name, "called from interrupt context");
		return -EINVAL;
	}
	if (!size) {
		create_error(name, "object size 0");
		return -EINVAL;
	}
	if (size > (PAGE_SIZE << MSLAB_MAX_ORDER)) {
		create_error(name, "object size %u exceeds %lu, the largest slab",
			     size, PAGE_SIZE << MSLAB_MAX_ORDER);
		return -E2BIG;
	}
	if (align && !is_power_of_2(align)) {
		create_error(name, "alignment %u is not a power of two", align);
		return -EINVAL;
	}
	if (align > PAGE_SIZE) {
		create_error(name, "alignment %u exceeds a page", align);
		return -EINVAL;
	}
	if (unsupported) {
		create_error(name, "%s (%#lx) is not supported",
			     unsupported_flag_name(unsupported),
			     (unsigned long)(__force unsigned int)unsupported);
		return -EINVAL;
	}
	return 0;
}

static void free_cache_nodes(struct mslab_cache *s)
{
	int node;

	for (node = 0; node < nr_node_ids; node++)
		kfree(s->node[node]);
}

static int init_cache_nodes(struct mslab_cache *s)
{
	int node;

	for_each_node(node) {
		struct mslab_node *n = kzalloc_node(sizeof(*n), GFP_KERNEL, node);

		if (!n)
			return -ENOMEM;
		mslab_node_init(n);
		s->node[node] = n;
	}
	return 0;
}

/**
 * mslab_free_cache() - free a cache's structures
 * @s: a cache with no slab left, off mslab_caches
 *
 * Called by the cache kobject's release, or directly when creation fails
 * before the kobject exists.
 */
void mslab_free_cache(struct mslab_cache *s)
{
	mslab_sheaves_free(s);
	mslab_layouts_free(s);
	free_percpu(s->cpu_slab);
	free_cache_nodes(s);
	kfree_const(s->name);
	kfree(s);
}

/* Objects per sheaf for a new cache, or 0 for the slab front end only. */
static unsigned int sheaf_capacity(const struct mslab_cache *s,
				   const struct mslab_cache_args *args)
{
	/*
	 * As SLUB's: a debug cache checks every object, so no sheaves (a
	 * cache created with sheaves stops using them while debugging is
	 * switched on).
	 */
	if (mslab_cache_debug(s) || args->front_end == MSLAB_FRONT_SLAB ||
	    (args->front_end == MSLAB_FRONT_DEFAULT && !mslab_sheaves_default))
		return 0;
	return args->sheaf_capacity ?:
	       mslab_sheaf_default_capacity(s->plain.size);
}

static struct mslab_cache *create_cache(const char *name, unsigned int size,
					const struct mslab_cache_args *args,
					slab_flags_t flags)
{
	unsigned int align = args->align;
	struct mslab_cache *s;
	int err;

	s = kzalloc(struct_size(s, node, nr_node_ids), GFP_KERNEL);
	if (!s)
		return ERR_PTR(-ENOMEM);
	s->flags = flags;
	s->ctor = args->ctor;
	s->refcount = 1;
	/* SLUB's default: 100% in sysfs, stored out of 1024. */
	s->remote_node_defrag_ratio = 1000;
	mslab_hardening_init(s);
	err = mslab_calculate_geometry(s, size, align);
	if (err) {
		create_error(name, "object size %u does not fit a slab", size);
		kfree(s);
		return ERR_PTR(err);
	}
	err = mslab_layouts_init(s);
	if (err == -E2BIG)
		create_error(name, "object size %u with debug metadata does not fit a slab",
			     size);
	if (err)
		goto fail;
	mslab_set_tunables(s);

	err = -ENOMEM;
	s->name = kstrdup_const(name, GFP_KERNEL);
	s->cpu_slab = __alloc_percpu(sizeof(struct mslab_cpu),
				     2 * sizeof(void *));
	if (!s->name || !s->cpu_slab || init_cache_nodes(s) ||
	    mslab_sheaves_init(s, sheaf_capacity(s, args)))
		goto fail;
	mslab_init_cpu_slabs(s);

	err = mslab_sysfs_add(s);
	if (err)
		return ERR_PTR(err);	/* The kobject's release freed @s. */
	list_add(&s->list, &mslab_caches);
	atomic_inc(&mslab_nr_caches);
	return s;
fail:
	mslab_free_cache(s);
	return ERR_PTR(err);
}

/*
 * mslab_cache_create_args() for a creator at @caller: the module a cache
 * is charged to (owners.c).
 */
/**
 * mslab_cache_create_caller() - mslab_cache_create_args() for mslab itself
 * @name: as mslab_cache_create_args()
 * @size: as mslab_cache_create_args()
 * @args: as mslab_cache_create_args()
 * @flags: as mslab_cache_create_args()
 * @caller: an address in the code the cache belongs to (owners.c)
 *
 * Return: as mslab_cache_create_args().
 */
struct mslab_cache *mslab_cache_create_caller(const char *name,
					      unsigned int size,
					      const struct mslab_cache_args *args,
					      slab_flags_t flags,
					      unsigned long caller)
{
	struct mslab_cache *s;
	int err;

	flags = mslab_apply_slab_debug(name, flags);
	err = check_create_args(name, size, args->align, flags);
	if (!err && args->sheaf_capacity > MSLAB_SHEAF_MAX_CAPACITY) {
		create_error(name, "sheaf capacity %u exceeds %zu",
			     args->sheaf_capacity, MSLAB_SHEAF_MAX_CAPACITY);
		err = -EINVAL;
	}
	if (err) {
		s = ERR_PTR(err);
		goto out;
	}

	lock_name_free_of_teardown(name);
	if (find_cache(name)) {
		/* Ratelimited: a client may retry until the name is free. */
		pr_err_ratelimited("mslab_cache_create: cache %s: a cache of that name exists\n",
				   name);
		s = ERR_PTR(-EEXIST);
	} else {
		s = create_cache(name, size, args, flags);
		if (!IS_ERR(s))
			mslab_record_owner(s, caller);
	}
	mutex_unlock(&mslab_mutex);
out:
	if (IS_ERR(s)) {
		if (flags & SLAB_PANIC)
			panic("mslab_cache_create: cannot create cache %s: %pe\n",
			      name ?: "(null)", s);
		return NULL;
	}
	return s;
}

/**
 * mslab_cache_create_args() - create a cache, with more choices
 * @name: a unique name, shown in /sys/kernel/mslab/ and the logs; copied
 * @size: object size in bytes, as for mslab_cache_create()
 * @args: alignment, constructor and front end (sheaves or not, capacity)
 * @flags: as for mslab_cache_create()
 *
 * Context: process context; may sleep.
 * Return: the cache, or NULL with the reason in the log (a panic instead
 * with SLAB_PANIC).
 */
struct mslab_cache *mslab_cache_create_args(const char *name, unsigned int size,
					    const struct mslab_cache_args *args,
					    slab_flags_t flags)
{
	return mslab_cache_create_caller(name, size, args, flags, _RET_IP_);
}
EXPORT_SYMBOL_GPL(mslab_cache_create_args);

/**
 * mslab_cache_create() - create a cache
 * @name: a unique name, shown in /sys/kernel/mslab/ and the logs; copied
 * @size: object size in bytes, 1 to 8 pages (8 pages less a word with a
 *	  constructor, whose free pointer follows the object)
 * @align: required object alignment: 0 or a power of two up to a page
 * @flags: the kernel's SLAB_* flags; SLAB_HWCACHE_ALIGN,
 *	   SLAB_RECLAIM_ACCOUNT, SLAB_PANIC, SLAB_NO_MERGE, SLAB_CACHE_DMA,
 *	   SLAB_TYPESAFE_BY_RCU, SLAB_KMALLOC and the debug flags
 *	   SLAB_CONSISTENCY_CHECKS, SLAB_RED_ZONE, SLAB_POISON,
 *	   SLAB_STORE_USER and SLAB_TRACE are supported, any other is
 *	   refused
 * @ctor: constructor run once on each object when its slab is populated,
 *	  or NULL
 *
 * As kmem_cache_create(): the geometry (order, objects per slab, stride) is
 * that of SLUB 6.12 for the same arguments. While a cache of the same name
 * is being destroyed, this waits until its sysfs and debugfs directories
 * are gone; a name in use is refused.
 *
 * Context: process context; may sleep.
 * Return: the cache, or NULL with the reason in the log (a panic instead
 * with SLAB_PANIC).
 */
struct mslab_cache *mslab_cache_create(const char *name, unsigned int size,
				       unsigned int align, slab_flags_t flags,
				       void (*ctor)(void *))
{
	struct mslab_cache_args args = { .align = align, .ctor = ctor };

	return mslab_cache_create_caller(name, size, &args, flags, _RET_IP_);
}
EXPORT_SYMBOL_GPL(mslab_cache_create);

/* Slabs of @s over all nodes, whatever their state. */
static long mslab_cache_nr_slabs(struct mslab_cache *s)
{
	long nr = 0;
	int node;

	for_each_node(node)
		nr += atomic_long_read(&s->node[node]->nr_slabs);
	return nr;
}

/**
 * mslab_cache_shrink() - release the memory a cache holds but does not use
 * @s: the cache
 *
 * Flushes every CPU's slabs, frees every empty slab and sorts the partial
 * lists fullest first, as kmem_cache_shrink().
 *
 * Context: process context; may sleep.
 * Return: 0.
 */
int mslab_cache_shrink(struct mslab_cache *s)
{
	cpus_read_lock();
	/*
	 * Serialised with mslab_cache_destroy() (a sysfs shrink can run
	 * until destroy removes the cache's directory): destroy counts the
	 * slabs once its own shrink is done, and a slab this shrink has
	 * taken off a list but not yet freed would count as a leftover.
	 */
	mutex_lock(&mslab_mutex);
	mslab_flush_all(s, false);
	mslab_shrink_nodes(s);
	mutex_unlock(&mslab_mutex);
	cpus_read_unlock();
	return 0;
}
EXPORT_SYMBOL_GPL(mslab_cache_shrink);

/**
 * mslab_cache_destroy() - destroy a cache
 * @s: the cache, or NULL
 *
 * Waits for pending mslab_kfree_rcu() frees, then every slab goes back to
 * the buddy allocator (after a grace period for SLAB_TYPESAFE_BY_RCU
 * caches). If objects are still
 * allocated, their memory is left alone: the cache is kept (leaked) with
 * everything a live object needs, and the log names the cache and the count
 * of live objects, as kmem_cache_destroy() does.
 *
 * Context: process context; may sleep.
 */
void mslab_cache_destroy(struct mslab_cache *s)
{
	unsigned long live;

	if (!s)
		return;

	/*
	 * Pending mslab_kfree_rcu() frees may be objects of this cache.
	 * Only when there are some: a barrier waits for a grace period, and
	 * unloading mslab destroys every kmalloc cache.
	 */
	if (mslab_rcu_frees_pending())
		rcu_barrier();

	cpus_read_lock();
	mutex_lock(&mslab_mutex);
	mslab_flush_all(s, false);
	mslab_shrink_nodes(s);
	live = mslab_count_inuse(s);
	if (live) {
		if (!s->leaked) {
			mslab_list_leaked_objects(s, __func__);
			pr_err("%s %s: %lu objects remaining; cache leaked\n",
			       __func__, s->name, live);
		}
		s->leaked = true;
		mutex_unlock(&mslab_mutex);
		cpus_read_unlock();
		return;
	}
	/*
	 * With no object in use every slab is empty and the shrink freed it;
	 * one left over would be a bug of mslab's: free it rather than leak.
	 */
	if (WARN_ON_ONCE(mslab_cache_nr_slabs(s)))
		mslab_discard_all_slabs(s);
	/* Its name stays taken until its directories are gone. */
	list_move(&s->list, &caches_in_teardown);
	atomic_dec(&mslab_nr_caches);
	mutex_unlock(&mslab_mutex);
	cpus_read_unlock();

	/* A SLAB_TYPESAFE_BY_RCU cache's last slabs go after a grace period. */
	if (s->flags & SLAB_TYPESAFE_BY_RCU)
		rcu_barrier();
	/* Waits for sysfs and debugfs readers, which may take mslab_mutex. */
	mslab_sysfs_unlink(s);

	mutex_lock(&mslab_mutex);
	list_del(&s->list);
	WRITE_ONCE(teardowns, teardowns + 1);
	mutex_unlock(&mslab_mutex);
	wake_up_all(&teardown_wq);
	/* Frees @s once the last sysfs reader is gone. */
	mslab_sysfs_put(s);
}
EXPORT_SYMBOL_GPL(mslab_cache_destroy);

/**
 * mslab_cache_size() - the object size of a cache
 * @s: the cache
 *
 * Return: the size the cache was created with, as kmem_cache_size().
 */
unsigned int mslab_cache_size(struct mslab_cache *s)
{
	return s->object_size;
}
EXPORT_SYMBOL_GPL(mslab_cache_size);

/**
 * mslab_cache_exit() - free what client modules left behind at unload
 *
 * Client modules depend on mslab's symbols, so they are all gone by now:
 * nothing can reach a remaining cache. Report each and free its memory, so
 * no page stays allocated after rmmod.
 */
void mslab_cache_exit(void)
{
	struct mslab_cache *s, *t;
	LIST_HEAD(dead);

	cpus_read_lock();
	mutex_lock(&mslab_mutex);
	list_for_each_entry_safe(s, t, &mslab_caches, list) {
		unsigned long live;

		mslab_flush_all(s, false);
		live = mslab_count_inuse(s);

		if (s->leaked)
			pr_err("unload: cache %s was destroyed with objects in use (%lu objects in use); freeing it\n",
			       s->name, live);
		else if (s->orphaned)
			pr_err("unload: cache %s of unloaded module %s was not destroyed (%lu objects in use); freeing it\n",
			       s->name, s->owner, live);
		else
			pr_err("unload: cache %s was not destroyed (%lu objects in use); freeing it\n",
			       s->name, live);
		/* The others were reported when they were left. */
		if (live && !s->leaked && !s->orphaned)
			mslab_list_leaked_objects(s, "mslab_exit");
		list_move(&s->list, &dead);
		atomic_dec(&mslab_nr_caches);
		mslab_discard_all_slabs(s);
	}
	mutex_unlock(&mslab_mutex);
	cpus_read_unlock();

	/*
	 * Without the mutex: removing the sysfs files waits for writes in
	 * progress, and a debug flag write takes the mutex (debug_switch.c).
	 */
	list_for_each_entry_safe(s, t, &dead, list)
		mslab_sysfs_remove(s);
}
