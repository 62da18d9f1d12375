// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/mslab/<cache>/alloc_traces and free_traces, for caches
 * with owner tracking (SLAB_STORE_USER), in the format of SLUB's files of
 * the same names (mm/slub.c: slab_debugfs_show()): the objects in use,
 * grouped by where they were allocated (or last freed), most frequent
 * first, one line per site
 *
 *	<count> <function+offset> [waste=<total>/<each>]
 *		age=<min>/<avg>/<max> pid=<min>-<max> [cpus=<list>] [nodes=<list>]
 *
 * where waste, in alloc_traces of a kmalloc cache whose slabs keep the size
 * asked for, is the bytes of each object beyond it, as SLUB's.
 * followed by the site's stack. Ages are in jiffies. A debug cache has no
 * CPU slabs, so walking every slab of every node under its list_lock sees
 * each object's exact state.
 */

#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/jiffies.h>
#include <linux/math64.h>
#include <linux/nodemask.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/stackdepot.h>

#include <kunit/visibility.h>

#include "cache.h"
#include "debug.h"
#include "node.h"

/* One allocation (or free) site and what its objects have in common. */
struct location {
	unsigned long count;
	unsigned long addr;
	unsigned int handle;
	/* Bytes of each object beyond the size asked for (kmalloc). */
	unsigned int waste;
	long long sum;
	long min_time, max_time;
	long min_pid, max_pid;
	struct cpumask cpus;
	nodemask_t nodes;
};

struct loc_track {
	unsigned long max;
	unsigned long count;
	struct location *loc;
};

/* Room for @max locations; the walk runs under list_lock, so no sleeping. */
static bool alloc_loc_track(struct loc_track *t, unsigned long max)
{
	struct location *l;

	l = kvmalloc_array(max, sizeof(*l), GFP_NOWAIT | __GFP_NOWARN);
	if (!l)
		return false;
	if (t->count)
		memcpy(l, t->loc, sizeof(*l) * t->count);
	kvfree(t->loc);
	t->max = max;
	t->loc = l;
	return true;
}

/* The order of the table: by address, then stack, then waste. */
static int cmp_site(const struct location *l, unsigned long addr,
		    unsigned int handle, unsigned int waste)
{
	if (addr != l->addr)
		return addr < l->addr ? -1 : 1;
	if (handle != l->handle)
		return handle < l->handle ? -1 : 1;
	if (waste != l->waste)
		return waste < l->waste ? -1 : 1;
	return 0;
}

/* Count one object at its site @l. */
static void location_add(struct location *l, long age, int cpu, int pid,
			 int node)
{
	l->count++;
	l->sum += age;
	l->min_time = min(l->min_time, age);
	l->max_time = max(l->max_time, age);
	l->min_pid = min_t(long, l->min_pid, pid);
	l->max_pid = max_t(long, l->max_pid, pid);
	if (cpu >= 0 && cpu < nr_cpu_ids)
		__cpumask_set_cpu(cpu, &l->cpus);
	node_set(node, l->nodes);
}

/*
 * Count one object at its site. The table is kept sorted by site and
 * searched by bisection, as SLUB's add_location(): the walk runs under
 * list_lock with interrupts off, and a linear search would make a cache
 * with many sites quadratic there.
 */
static void add_location(struct loc_track *t, unsigned long addr,
			 unsigned int handle, unsigned int waste, int cpu,
			 int pid, unsigned long when, int node)
{
	unsigned long lo = 0, hi = t->count, mid;
	long age = jiffies - when;
	struct location *l;
	int cmp;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		cmp = cmp_site(&t->loc[mid], addr, handle, waste);
		if (!cmp) {
			location_add(&t->loc[mid], age, cpu, pid, node);
			return;
		}
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	/* A new site: insert it at @lo. */
	if (t->count >= t->max && !alloc_loc_track(t, 2 * t->max))
		return;
	l = &t->loc[lo];
	memmove(l + 1, l, (t->count - lo) * sizeof(*l));
	t->count++;
	memset(l, 0, sizeof(*l));
	l->addr = addr;
	l->handle = handle;
	l->waste = waste;
	l->min_time = age;
	l->max_time = age;
	l->min_pid = pid;
	l->max_pid = pid;
	location_add(l, age, cpu, pid, node);
}

static int cmp_loc_by_count(const void *a, const void *b)
{
	const struct location *la = a, *lb = b;

	if (la->count == lb->count)
		return 0;
	return la->count > lb->count ? -1 : 1;
}

/* Collect the tracks of every object in use. */
static void collect(struct mslab_cache *s, bool alloc, struct loc_track *t,
		    unsigned long *map)
{
	struct mslab_slab *slab;
	unsigned long flags;
	int node;

	for_each_node(node) {
		struct mslab_node *n = s->node[node];

		mslab_lock_all_slabs(n, &flags);
		list_for_each_entry(slab, &n->all_slabs, all_list) {
			unsigned int i;

			/* Only slabs built with owner tracking have tracks. */
			if (!(slab->layout->flags & SLAB_STORE_USER) ||
			    slab->corrupt)
				continue;
			mslab_debug_free_map(s, slab, map);
			for (i = 0; i < slab->objects; i++) {
				void *p = slab->base + i * slab->layout->size;
				unsigned int handle, waste = 0;
				unsigned long addr, when;
				int cpu, pid;

				if (test_bit(i, map))
					continue;
				mslab_debug_track(slab, p, alloc, &addr,
						  &handle, &cpu, &pid, &when);
				if (alloc)
					waste = s->object_size -
						mslab_debug_orig_size(s, slab,
								      p);
				add_location(t, addr, handle, waste, cpu, pid,
					     when, node);
			}
		}
		mslab_unlock_all_slabs(n, flags);
	}
}

static void show_location(struct seq_file *seq, struct location *l)
{
	seq_printf(seq, "%7ld ", l->count);
	if (l->addr)
		seq_printf(seq, "%pS", (void *)l->addr);
	else
		seq_puts(seq, "<not-available>");
	if (l->waste)
		seq_printf(seq, " waste=%lu/%u", l->count * l->waste,
			   l->waste);
	if (l->sum != l->min_time)
		seq_printf(seq, " age=%ld/%llu/%ld", l->min_time,
			   div_u64(l->sum, l->count), l->max_time);
	else
		seq_printf(seq, " age=%ld", l->min_time);
	if (l->min_pid != l->max_pid)
		seq_printf(seq, " pid=%ld-%ld", l->min_pid, l->max_pid);
	else
		seq_printf(seq, " pid=%ld", l->min_pid);
	if (num_online_cpus() > 1 && !cpumask_empty(&l->cpus))
		seq_printf(seq, " cpus=%*pbl", cpumask_pr_args(&l->cpus));
	if (nr_online_nodes > 1 && !nodes_empty(l->nodes))
		seq_printf(seq, " nodes=%*pbl", nodemask_pr_args(&l->nodes));
#ifdef CONFIG_STACKDEPOT
	if (l->handle) {
		unsigned long *entries;
		unsigned int nr, j;

		nr = stack_depot_fetch(l->handle, &entries);
		seq_puts(seq, "\n");
		for (j = 0; j < nr; j++)
			seq_printf(seq, "        %pS\n", (void *)entries[j]);
	}
#endif
	seq_puts(seq, "\n");
}

/**
 * mslab_traces_show() - the contents of alloc_traces or free_traces
 * @seq: the file, whose private is the cache
 * @alloc: alloc_traces, else free_traces
 *
 * Return: 0 or -ENOMEM.
 */
int mslab_traces_show(struct seq_file *seq, bool alloc)
{
	struct mslab_cache *s = seq->private;
	struct loc_track t = { };
	unsigned long *map, i;

	/*
	 * No layout is added while the map sized for every layout so far is
	 * in use: a debug switch takes mslab_mutex to add one.
	 */
	mutex_lock(&mslab_mutex);
	map = bitmap_alloc(mslab_max_objects(s), GFP_KERNEL);
	if (!map || !alloc_loc_track(&t, 16)) {
		mutex_unlock(&mslab_mutex);
		bitmap_free(map);
		return -ENOMEM;
	}
	collect(s, alloc, &t, map);
	mutex_unlock(&mslab_mutex);
	bitmap_free(map);

	sort(t.loc, t.count, sizeof(*t.loc), cmp_loc_by_count, NULL);
	for (i = 0; i < t.count; i++)
		show_location(seq, &t.loc[i]);
	if (!t.count)
		seq_puts(seq, "No data\n");
	kvfree(t.loc);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(mslab_traces_show);

static int alloc_traces_show(struct seq_file *seq, void *v)
{
	return mslab_traces_show(seq, true);
}
DEFINE_SHOW_ATTRIBUTE(alloc_traces);

static int free_traces_show(struct seq_file *seq, void *v)
{
	return mslab_traces_show(seq, false);
}
DEFINE_SHOW_ATTRIBUTE(free_traces);

/**
 * mslab_debugfs_add_traces() - the trace files of a cache's directory
 * @s: the cache; its slabs with owner tracking are listed, which it may
 *     get at any time (store_user in sysfs), so the files are always there
 * @dir: /sys/kernel/debug/mslab/<cache>/
 */
void mslab_debugfs_add_traces(struct mslab_cache *s, struct dentry *dir)
{
	debugfs_create_file("alloc_traces", 0400, dir, s, &alloc_traces_fops);
	debugfs_create_file("free_traces", 0400, dir, s, &free_traces_fops);
}
