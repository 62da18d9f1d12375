// SPDX-License-Identifier: GPL-2.0
/*
 * mslab sysfs interface: /sys/kernel/mslab/<cache>/, one kobject per cache,
 * with the names, modes and formats of SLUB 6.12's /sys/kernel/slab/<cache>/
 * (mm/slub.c: slab_attrs[]), so tools written for SLUB read mslab too.
 *
 * The kobject is embedded in struct mslab_cache and its release frees the
 * cache: a file held open across mslab_cache_destroy() keeps the structure
 * alive, and kobject_del() waits for readers already inside a show().
 *
 * Writes are parsed strictly (format.c): anything but a decimal number in
 * range, or the one command word a file takes, is refused with -EINVAL or
 * -ERANGE and changes nothing. Documentation/ABI/testing/sysfs-kernel-mslab
 * describes every file.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/kobject.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include <kunit/visibility.h>

#include "cache.h"
#include "cpu_slab.h"
#include "debug.h"
#include "node.h"
#include "slab.h"
#include "state.h"

struct kset *mslab_kset;
EXPORT_SYMBOL_IF_KUNIT(mslab_kset);

struct mslab_attribute {
	struct attribute attr;
	ssize_t (*show)(struct mslab_cache *s, char *buf);
	ssize_t (*store)(struct mslab_cache *s, const char *x, size_t count);
	/* A statistics file shows and clears counter @stat (no show/store). */
	bool is_stat;
	enum mslab_stat_item stat;
};

#define to_mslab_cache(k) container_of(k, struct mslab_cache, kobj)
#define to_mslab_attr(a) container_of(a, struct mslab_attribute, attr)

#define MSLAB_ATTR_RO(_name) \
	static struct mslab_attribute _name##_attr = __ATTR_RO_MODE(_name, 0400)
#define MSLAB_ATTR(_name) \
	static struct mslab_attribute _name##_attr = __ATTR_RW_MODE(_name, 0600)

/* Serialises writes of the tunables, so related fields change together. */
static DEFINE_MUTEX(mslab_tunables_lock);

/* === Geometry and tunables ============================================== */

/* Geometry files show the layout new slabs get: see also "layouts". */
static ssize_t slab_size_show(struct mslab_cache *s, char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(s->layout)->size);
}
MSLAB_ATTR_RO(slab_size);

static ssize_t object_size_show(struct mslab_cache *s, char *buf)
{
	return sysfs_emit(buf, "%u\n", s->object_size);
}
MSLAB_ATTR_RO(object_size);

static ssize_t objs_per_slab_show(struct mslab_cache *s, char *buf)
{
	return sysfs_emit(buf, "%u\n", mslab_oo_objects(READ_ONCE(s->layout)->oo));
}
MSLAB_ATTR_RO(objs_per_slab);

static ssize_t order_show(struct mslab_cache *s, char *buf)
{
	return sysfs_emit(buf, "%u\n", mslab_oo_order(READ_ONCE(s->layout)->oo));
}
MSLAB_ATTR_RO(order);

static ssize_t align_show(struct mslab_cache *s, char *buf)
{
	return sysfs_emit(buf, "%u\n", s->align);
}
MSLAB_ATTR_RO(align);

static ssize_t min_partial_show(struct mslab_cache *s, char *buf)
{
	return sysfs_emit(buf, "%lu\n", READ_ONCE(s->min_partial));
}

static ssize_t min_partial_store(struct mslab_cache *s, const char *buf,
				 size_t length)
{
	unsigned long min;
	int err;

	err = mslab_parse_ulong(buf, MSLAB_MIN_PARTIAL_LIMIT, &min);
	if (err)
		return err;
	WRITE_ONCE(s->min_partial, min);
	return length;
}
MSLAB_ATTR(min_partial);

static ssize_t cpu_partial_show(struct mslab_cache *s, char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(s->cpu_partial));
}

static ssize_t cpu_partial_store(struct mslab_cache *s, const char *buf,
				 size_t length)
{
	unsigned long objects;
	int err;

	err = mslab_parse_ulong(buf, MSLAB_CPU_PARTIAL_LIMIT, &objects);
	if (err)
		return err;
	/* As slub_set_cpu_partial(): slabs assumed half full. */
	mutex_lock(&mslab_tunables_lock);
	WRITE_ONCE(s->cpu_partial, objects);
	WRITE_ONCE(s->cpu_partial_slabs,
		   DIV_ROUND_UP(objects * 2, mslab_oo_objects(s->plain.oo)));
	mutex_unlock(&mslab_tunables_lock);
	/* As SLUB: apply the new limit to what the CPUs hold now. */
	cpus_read_lock();
	mslab_flush_all(s, false);
	cpus_read_unlock();
	return length;
}
MSLAB_ATTR(cpu_partial);

static ssize_t ctor_show(struct mslab_cache *s, char *buf)
{
	if (!s->ctor)
		return 0;
	return sysfs_emit(buf, "%pS\n", s->ctor);
}
MSLAB_ATTR_RO(ctor);

static ssize_t shrink_show(struct mslab_cache *s, char *buf)
{
	return 0;
}

static ssize_t shrink_store(struct mslab_cache *s, const char *buf,
			    size_t length)
{
	if (!mslab_is_command(buf, "1"))
		return -EINVAL;
	mslab_cache_shrink(s);
	return length;
}
MSLAB_ATTR(shrink);

static ssize_t remote_node_defrag_ratio_show(struct mslab_cache *s, char *buf)
{
	return sysfs_emit(buf, "%u\n",
			  READ_ONCE(s->remote_node_defrag_ratio) / 10);
}

static ssize_t remote_node_defrag_ratio_store(struct mslab_cache *s,
					      const char *buf, size_t length)
{
	unsigned long ratio;
	int err;

	err = mslab_parse_ulong(buf, 100, &ratio);
	if (err)
		return err;
	WRITE_ONCE(s->remote_node_defrag_ratio, ratio * 10);
	return length;
}
MSLAB_ATTR(remote_node_defrag_ratio);

/* mslab does not merge caches: no cache has aliases. */
static ssize_t aliases_show(struct mslab_cache *s, char *buf)
{
	return sysfs_emit(buf, "%d\n", s->refcount < 0 ? 0 : s->refcount - 1);
}
MSLAB_ATTR_RO(aliases);

/* The hardened usercopy region: mslab has no whitelist, as SLUB's 0. */
static ssize_t usersize_show(struct mslab_cache *s, char *buf)
{
	return sysfs_emit(buf, "%u\n", 0U);
}
MSLAB_ATTR_RO(usersize);

/* Objects per sheaf; 0 for a cache without sheaves (SLUB 6.18's file). */
static ssize_t sheaf_capacity_show(struct mslab_cache *s, char *buf)
{
	return sysfs_emit(buf, "%u\n", s->sheaf_capacity);
}
MSLAB_ATTR_RO(sheaf_capacity);

/* "1" or "0": whether the cache was created with a SLAB_* flag. */
#define MSLAB_FLAG_ATTR(_name, _flag)					\
static ssize_t _name##_show(struct mslab_cache *s, char *buf)		\
{									\
	return sysfs_emit(buf, "%d\n", !!(s->flags & (_flag)));		\
}									\
MSLAB_ATTR_RO(_name)

MSLAB_FLAG_ATTR(hwcache_align, SLAB_HWCACHE_ALIGN);
MSLAB_FLAG_ATTR(reclaim_account, SLAB_RECLAIM_ACCOUNT);
MSLAB_FLAG_ATTR(destroy_by_rcu, SLAB_TYPESAFE_BY_RCU);
MSLAB_FLAG_ATTR(cache_dma, SLAB_CACHE_DMA);
/*
 * The debug flags in force for new slabs, "1" or "0". Unlike SLUB's,
 * writable: "1" or "0" switches the flag for new slabs (debug_switch.c), while
 * live objects keep the checks they were allocated with.
 */
#define MSLAB_DEBUG_ATTR(_name, _flag)					\
static const slab_flags_t _name##_flag = (_flag);			\
									\
static ssize_t _name##_show(struct mslab_cache *s, char *buf)		\
{									\
	return sysfs_emit(buf, "%d\n",					\
			  !!(READ_ONCE(s->flags) & _name##_flag));	\
}									\
									\
static ssize_t _name##_store(struct mslab_cache *s, const char *buf,	\
			     size_t length)				\
{									\
	return debug_flag_store(s, _name##_flag, buf, length);		\
}									\
MSLAB_ATTR(_name)

static ssize_t debug_flag_store(struct mslab_cache *s, slab_flags_t flag,
				const char *buf, size_t length)
{
	unsigned long on;
	int err;

	err = mslab_parse_ulong(buf, 1, &on);
	if (!err)
		err = mslab_cache_set_debug(s, flag, on ? flag : 0);
	return err ?: length;
}

MSLAB_DEBUG_ATTR(sanity_checks, SLAB_CONSISTENCY_CHECKS);
MSLAB_DEBUG_ATTR(red_zone, SLAB_RED_ZONE);
MSLAB_DEBUG_ATTR(poison, SLAB_POISON);
MSLAB_DEBUG_ATTR(store_user, SLAB_STORE_USER);
MSLAB_DEBUG_ATTR(trace, SLAB_TRACE);

/* Slabs per layout: which debugging the cache's slabs were built with. */
static ssize_t layouts_show(struct mslab_cache *s, char *buf)
{
	return mslab_layouts_show(s, buf);
}
MSLAB_ATTR_RO(layouts);

static ssize_t validate_show(struct mslab_cache *s, char *buf)
{
	return 0;
}

/*
 * "1" checks every debug slab of the cache, reporting in the log; as SLUB,
 * -EINVAL for anything else and for a cache without debugging.
 */
static ssize_t validate_store(struct mslab_cache *s, const char *buf,
			      size_t length)
{
	int ret;

	if (!mslab_is_command(buf, "1"))
		return -EINVAL;
	ret = mslab_validate_cache(s);
	return ret < 0 ? ret : length;
}
MSLAB_ATTR(validate);

/* === Slab and object counts ============================================= */

/* What show_slab_objects() counts, as SLUB's SO_* flags. */
#define SO_ALL		BIT(0)	/* every slab */
#define SO_PARTIAL	BIT(1)	/* node partial slabs, retired ones too */
#define SO_CPU		BIT(2)	/* cpu slabs and cpu partial slabs */
#define SO_OBJECTS	BIT(3)	/* objects in use, not slabs */
#define SO_TOTAL	BIT(4)	/* object capacity, not slabs */

/* Count other CPUs' slabs without their locks, as SLUB does. */
static void count_cpu_slabs(struct mslab_cache *s, unsigned long flags,
			    unsigned long *nodes)
{
	int cpu;

	/* Descriptors are SLAB_TYPESAFE_BY_RCU: safe to read if stale. */
	rcu_read_lock();
	for_each_possible_cpu(cpu) {
		struct mslab_cpu *c = per_cpu_ptr(s->cpu_slab, cpu);
		struct mslab_slab *slab = READ_ONCE(c->slab);

		if (slab) {
			unsigned long x = 1;

			if (flags & SO_TOTAL)
				x = slab->objects;
			else if (flags & SO_OBJECTS)
				x = mslab_slab_inuse(slab);
			nodes[READ_ONCE(slab->node)] += x;
		}
		slab = READ_ONCE(c->partial);
		if (slab && !(flags & (SO_TOTAL | SO_OBJECTS)))
			nodes[READ_ONCE(slab->node)] += mslab_chain_slabs_racy(slab);
	}
	rcu_read_unlock();
}

/* Print "total N0=x N1=y" as SLUB's show_slab_objects(). */
static ssize_t show_slab_objects(struct mslab_cache *s, char *buf,
				 unsigned long flags)
{
	unsigned long *nodes;
	int node, len;

	nodes = kcalloc(nr_node_ids, sizeof(*nodes), GFP_KERNEL);
	if (!nodes)
		return -ENOMEM;

	if (flags & SO_CPU)
		count_cpu_slabs(s, flags, nodes);

	for_each_node(node) {
		struct mslab_node *n = s->node[node];
		unsigned long x;

		if (flags & SO_ALL) {
			if (flags & SO_TOTAL)
				x = atomic_long_read(&n->total_objects);
			else if (flags & SO_OBJECTS)
				x = atomic_long_read(&n->total_objects) -
				    mslab_count_partial(n, true);
			else
				x = atomic_long_read(&n->nr_slabs);
			nodes[node] += x;
		} else if (flags & SO_PARTIAL) {
			if (flags & SO_OBJECTS)
				x = mslab_count_partial(n, false);
			else	/* Racy snapshots, as SLUB's. */
				x = data_race(n->nr_partial +
					      n->nr_retired);
			nodes[node] += x;
		}
	}

	len = mslab_emit_nodes(buf, 0, nodes, &node_states[N_NORMAL_MEMORY]);
	kfree(nodes);
	return len;
}

#define MSLAB_COUNT_ATTR(_name, _flags)					\
static ssize_t _name##_show(struct mslab_cache *s, char *buf)		\
{									\
	return show_slab_objects(s, buf, _flags);			\
}									\
MSLAB_ATTR_RO(_name)

MSLAB_COUNT_ATTR(slabs, SO_ALL);
MSLAB_COUNT_ATTR(objects, SO_ALL | SO_OBJECTS);
MSLAB_COUNT_ATTR(total_objects, SO_ALL | SO_TOTAL);
MSLAB_COUNT_ATTR(partial, SO_PARTIAL);
MSLAB_COUNT_ATTR(objects_partial, SO_PARTIAL | SO_OBJECTS);
MSLAB_COUNT_ATTR(cpu_slabs, SO_CPU);

/* "objs(slabs) C0=objs(slabs) ...", as SLUB's slabs_cpu_partial_show(). */
static ssize_t slabs_cpu_partial_show(struct mslab_cache *s, char *buf)
{
	unsigned int *slabs;
	int cpu, len;

	slabs = kcalloc(nr_cpu_ids, sizeof(*slabs), GFP_KERNEL);
	if (!slabs)
		return -ENOMEM;
	rcu_read_lock();
	for_each_online_cpu(cpu) {
		struct mslab_slab *slab;

		slab = READ_ONCE(per_cpu_ptr(s->cpu_slab, cpu)->partial);
		if (slab)
			slabs[cpu] = mslab_chain_slabs_racy(slab);
	}
	rcu_read_unlock();
	len = mslab_emit_cpu_partial(buf, mslab_oo_objects(s->plain.oo), slabs,
				     cpu_online_mask);
	kfree(slabs);
	return len;
}
MSLAB_ATTR_RO(slabs_cpu_partial);

/* === Statistics ========================================================= */

/* "sum C0=x C1=y", as SLUB's show_stat(). */
static ssize_t show_stat(struct mslab_cache *s, char *buf,
			 enum mslab_stat_item si)
{
	int cpu, len;

	len = sysfs_emit(buf, "%lu", mslab_stat_sum(s, si));
	for_each_online_cpu(cpu) {
		/* Racy snapshot of a counter that is bumped without atomics. */
		unsigned int x = data_race(per_cpu_ptr(s->cpu_slab, cpu)->stat[si]);

		if (x)
			len += sysfs_emit_at(buf, len, " C%d=%u", cpu, x);
	}
	len += sysfs_emit_at(buf, len, "\n");
	return len;
}

/* Writing 0 clears a counter on every CPU; nothing else is accepted. */
static ssize_t clear_stat(struct mslab_cache *s, const char *buf,
			  size_t length, enum mslab_stat_item si)
{
	int cpu;

	if (!mslab_is_command(buf, "0"))
		return -EINVAL;
	for_each_online_cpu(cpu)
		per_cpu_ptr(s->cpu_slab, cpu)->stat[si] = 0;
	return length;
}

/*
 * One file per counter of stat_items.h, named as the counter, in the
 * order of the list and so of enum mslab_stat_item.
 */
static struct mslab_attribute mslab_stat_attrs[] = {
#define MSLAB_STAT(item, file) \
	{ .attr = { .name = __stringify(file), .mode = 0600 }, \
	  .is_stat = true, .stat = item },
#include "stat_items.h"
#undef MSLAB_STAT
};

/* Their group's attributes, from mslab_stat_attrs[] (mslab_sysfs_init()). */
static struct attribute *mslab_stat_attr_list[NR_MSLAB_STAT_ITEMS + 1];

static const struct attribute_group mslab_stat_group = {
	.attrs = mslab_stat_attr_list,
};

static struct attribute *mslab_attrs[] = {
	&slab_size_attr.attr,
	&object_size_attr.attr,
	&objs_per_slab_attr.attr,
	&order_attr.attr,
	&align_attr.attr,
	&min_partial_attr.attr,
	&cpu_partial_attr.attr,
	&ctor_attr.attr,
	&shrink_attr.attr,
	&remote_node_defrag_ratio_attr.attr,
	&aliases_attr.attr,
	&usersize_attr.attr,
	&sheaf_capacity_attr.attr,
	&hwcache_align_attr.attr,
	&reclaim_account_attr.attr,
	&destroy_by_rcu_attr.attr,
	&cache_dma_attr.attr,
	&sanity_checks_attr.attr,
	&trace_attr.attr,
	&red_zone_attr.attr,
	&poison_attr.attr,
	&store_user_attr.attr,
	&layouts_attr.attr,
	&validate_attr.attr,
	&slabs_cpu_partial_attr.attr,
	&slabs_attr.attr,
	&objects_attr.attr,
	&total_objects_attr.attr,
	&partial_attr.attr,
	&objects_partial_attr.attr,
	&cpu_slabs_attr.attr,
	NULL
};

static const struct attribute_group mslab_group = {
	.attrs = mslab_attrs,
};

static const struct attribute_group *mslab_groups[] = {
	&mslab_group,
	&mslab_stat_group,
	NULL
};

/* === kobject plumbing =================================================== */

static ssize_t mslab_attr_show(struct kobject *kobj, struct attribute *attr,
			       char *buf)
{
	struct mslab_attribute *attribute = to_mslab_attr(attr);

	if (attribute->is_stat)
		return show_stat(to_mslab_cache(kobj), buf, attribute->stat);
	if (!attribute->show)
		return -EIO;
	return attribute->show(to_mslab_cache(kobj), buf);
}

static ssize_t mslab_attr_store(struct kobject *kobj, struct attribute *attr,
				const char *buf, size_t len)
{
	struct mslab_attribute *attribute = to_mslab_attr(attr);

	if (attribute->is_stat)
		return clear_stat(to_mslab_cache(kobj), buf, len,
				  attribute->stat);
	if (!attribute->store)
		return -EIO;
	return attribute->store(to_mslab_cache(kobj), buf, len);
}

static void mslab_kobj_release(struct kobject *kobj)
{
	mslab_free_cache(to_mslab_cache(kobj));
}

static const struct sysfs_ops mslab_sysfs_ops = {
	.show = mslab_attr_show,
	.store = mslab_attr_store,
};

static const struct kobj_type mslab_ktype = {
	.sysfs_ops = &mslab_sysfs_ops,
	.release = mslab_kobj_release,
	.default_groups = mslab_groups,
};

/**
 * mslab_sysfs_add() - publish a new cache in /sys/kernel/mslab/
 * @s: the cache, fully set up
 *
 * Also creates its directory in /sys/kernel/debug/mslab/.
 *
 * Return: 0, or an errno after which @s has been freed.
 */
int mslab_sysfs_add(struct mslab_cache *s)
{
	int err;

	s->kobj.kset = mslab_kset;
	err = kobject_init_and_add(&s->kobj, &mslab_ktype, NULL, "%s", s->name);
	if (err) {
		pr_err("cache %s: cannot add to sysfs: %d\n", s->name, err);
		kobject_put(&s->kobj);
		return err;
	}
	kobject_uevent(&s->kobj, KOBJ_ADD);
	mslab_debugfs_add(s);
	return 0;
}

/**
 * mslab_sysfs_unlink() - remove a cache's sysfs and debugfs directories
 * @s: the cache
 *
 * Waits for the readers and writers of their files; the name is free for
 * another cache once this returns. Call mslab_sysfs_put() after.
 *
 * Context: process context; may sleep; not under mslab_mutex, which the
 * files' handlers take.
 */
void mslab_sysfs_unlink(struct mslab_cache *s)
{
	mslab_debugfs_remove(s);
	kobject_del(&s->kobj);
}

/**
 * mslab_sysfs_put() - drop mslab's reference to a cache
 * @s: the cache; freed once no sysfs reader holds it
 */
void mslab_sysfs_put(struct mslab_cache *s)
{
	kobject_put(&s->kobj);
}

/**
 * mslab_sysfs_remove() - unpublish a cache and drop mslab's reference
 * @s: the cache; freed once no sysfs reader holds it
 *
 * Context: process context; may sleep.
 */
void mslab_sysfs_remove(struct mslab_cache *s)
{
	mslab_sysfs_unlink(s);
	mslab_sysfs_put(s);
}

int mslab_sysfs_init(void)
{
	int i;

	BUILD_BUG_ON(ARRAY_SIZE(mslab_stat_attrs) != NR_MSLAB_STAT_ITEMS);
	for (i = 0; i < NR_MSLAB_STAT_ITEMS; i++)
		mslab_stat_attr_list[i] = &mslab_stat_attrs[i].attr;
	mslab_kset = kset_create_and_add("mslab", NULL, kernel_kobj);
	if (!mslab_kset) {
		pr_err("cannot create /sys/kernel/mslab\n");
		return -ENOMEM;
	}
	return 0;
}

void mslab_sysfs_exit(void)
{
	kset_unregister(mslab_kset);
	mslab_kset = NULL;
}
