// SPDX-License-Identifier: GPL-2.0
/*
 * mslab state dump: a snapshot of where a cache's slabs are (each CPU's
 * cpu slab and partial chain, each node's partial list, every slab's fill)
 * for /sys/kernel/debug/mslab/<cache>/state, and the /proc/slabinfo-style
 * line of /sys/kernel/debug/mslab/slabinfo.
 *
 * Consistency. The snapshot takes the locks the data needs, never a global
 * stop:
 *
 *  - a CPU's cpu slab, freelist and partial chain change only on that CPU
 *    under its local_lock (or, for freelist and tid, by its lockless fast
 *    paths, which cannot run while the lock is held with interrupts off).
 *    A local_lock cannot be taken from another CPU, so the snapshot runs on
 *    the CPU itself, in a work item (work_on_cpu(), as SLUB's flush_all()
 *    flushes), under cpus_read_lock() so the CPU stays online. Each CPU's
 *    part is therefore exact at one instant; different CPUs are snapshot
 *    one after the other.
 *  - a node's partial list and its list of all slabs are walked under its
 *    list_lock: the lists, their lengths and the slab counts are exact at
 *    one instant.
 *  - the objects in use of a slab no CPU owns can drop at any time (frees
 *    from any CPU are lockless), so they are a snapshot of each slab; for
 *    a cpu slab the objects on its CPU's freelist are subtracted, as taken
 *    by that CPU's snapshot.
 *
 * So each line is exact when it was taken, and the whole dump is exact when
 * the cache is quiescent; under concurrent allocation the parts are a few
 * microseconds apart.
 */

#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/local_lock.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include <kunit/visibility.h>

#include "cache.h"
#include "cpu_slab.h"
#include "debug.h"
#include "node.h"
#include "slab.h"
#include "state.h"

/* Tries at copying a node partial list that grows while it is allocated. */
#define STATE_NODE_TRIES	4
/* Partial slabs per line in the dump. */
#define STATE_PER_LINE		10

/* A slab's fill from one read of its counters; returns its frozen bit. */
static bool fill_of(struct mslab_slab_fill *f, struct mslab_slab *slab)
{
	struct mslab_slab_state st;

	st.counters = READ_ONCE(slab->counters);
	f->inuse = st.inuse;
	f->objects = st.objects;
	f->node = READ_ONCE(slab->node);
	return st.frozen;
}

struct state_cpu_args {
	struct mslab_cache *s;
	struct mslab_cpu_state *cs;
};

/* Runs on the CPU whose state it takes. */
static long snapshot_this_cpu(void *arg)
{
	struct state_cpu_args *a = arg;
	struct mslab_cache *s = a->s;
	struct mslab_cpu_state *cs = a->cs;
	struct mslab_slab *slab;
	struct mslab_cpu *c;
	unsigned long flags;

	local_lock_irqsave(&s->cpu_slab->lock, flags);
	c = this_cpu_ptr(s->cpu_slab);
	cs->taken = true;
	slab = c->slab;
	cs->slab = slab;
	if (slab) {
		unsigned int free = 0;
		void *p;

		fill_of(&cs->cpu_slab, slab);
		/* Only this CPU changes its freelist; bounded if corrupted. */
		for (p = c->freelist; p && free < cs->cpu_slab.objects;
		     p = mslab_get_freepointer(&s->plain, p))
			free++;
		cs->cpu_free = free;
		/* inuse counts what the CPU took: users' objects and ours. */
		cs->remote_free = cs->cpu_slab.objects - cs->cpu_slab.inuse;
		cs->cpu_slab.inuse -= min_t(unsigned int, free,
					    cs->cpu_slab.inuse);
	}
	for (slab = c->partial; slab; slab = slab->next) {
		if (cs->nr_partial < MSLAB_STATE_CHAIN_MAX)
			fill_of(&cs->partial[cs->nr_partial], slab);
		cs->nr_partial++;
	}
	local_unlock_irqrestore(&s->cpu_slab->lock, flags);
	return 0;
}

/* Objects of a frozen slab in users' hands, from its CPU's snapshot. */
static unsigned int frozen_inuse(const struct mslab_state *st,
				 struct mslab_slab *slab, unsigned int inuse)
{
	int cpu;

	for (cpu = 0; cpu < nr_cpu_ids; cpu++)
		if (st->cpus[cpu].slab == slab)
			return st->cpus[cpu].cpu_slab.inuse;
	return inuse;	/* Became a cpu slab after the snapshot. */
}

/*
 * Walk a node's lists under its list_lock. Returns -EAGAIN when the partial
 * list has more slabs than @ns has room for, with ns->nr_partial set.
 */
static int snapshot_node(struct mslab_state *st, struct mslab_node *n,
			 struct mslab_node_state *ns)
{
	struct mslab_slab *slab;
	unsigned long flags;
	int ret = 0;

	memset(ns->hist, 0, sizeof(ns->hist));
	ns->nr_slabs = 0;
	ns->objects = 0;
	ns->inuse = 0;
	ns->nr_partial = 0;

	mslab_lock_all_slabs(n, &flags);
	list_for_each_entry(slab, &n->all_slabs, all_list) {
		struct mslab_slab_fill f;

		if (fill_of(&f, slab))
			f.inuse = frozen_inuse(st, slab, f.inuse);
		ns->nr_slabs++;
		ns->objects += f.objects;
		ns->inuse += f.inuse;
		ns->hist[mslab_fill_bucket(f.inuse, f.objects)]++;
	}
	list_for_each_entry(slab, &n->partial, slab_list) {
		if (ns->nr_partial < ns->room)
			fill_of(&ns->partial[ns->nr_partial], slab);
		ns->nr_partial++;
	}
	if (ns->nr_partial > ns->room)
		ret = -EAGAIN;
	ns->nr_retired = n->nr_retired;
	mslab_unlock_all_slabs(n, flags);
	return ret;
}

static int snapshot_nodes(struct mslab_state *st, gfp_t gfp)
{
	int node, b;

	for_each_node(node) {
		struct mslab_node *n = st->s->node[node];
		struct mslab_node_state *ns = &st->nodes[node];
		/* A guess at the room needed; snapshot_node() checks it. */
		unsigned long want = data_race(n->nr_partial) + 16;
		int tries;

		for (tries = 0; tries < STATE_NODE_TRIES; tries++) {
			kvfree(ns->partial);
			ns->partial = kvmalloc_array(want, sizeof(*ns->partial),
						     gfp);
			if (!ns->partial)
				return -ENOMEM;
			ns->room = want;
			if (snapshot_node(st, n, ns) != -EAGAIN)
				break;
			want = ns->nr_partial + ns->nr_partial / 4 + 16;
		}
		/* Still growing: the dump says how many it left out. */
		st->nr_slabs += ns->nr_slabs;
		st->objects += ns->objects;
		st->inuse += ns->inuse;
		for (b = 0; b < MSLAB_FILL_BUCKETS; b++)
			st->hist[b] += ns->hist[b];
	}
	return 0;
}

/**
 * mslab_state_free() - free a snapshot
 * @st: the snapshot, or NULL
 */
void mslab_state_free(struct mslab_state *st)
{
	int node;

	if (!st)
		return;
	if (st->nodes)
		for (node = 0; node < nr_node_ids; node++)
			kvfree(st->nodes[node].partial);
	kfree(st->nodes);
	kvfree(st->cpus);
	kfree(st);
}
EXPORT_SYMBOL_IF_KUNIT(mslab_state_free);

/**
 * mslab_state_take() - take a snapshot of where a cache's slabs are
 * @s: the cache
 *
 * Each online CPU's part is taken on that CPU under its local_lock, each
 * node's under its list_lock (see the top of this file).
 *
 * Context: process context; may sleep. Takes cpus_read_lock(), the
 * per-CPU locks and the node list_locks one at a time; must not be called
 * with mslab_mutex held by a CPU hotplug callback's waiter.
 * Return: the snapshot, to free with mslab_state_free(), or an ERR_PTR.
 */
struct mslab_state *mslab_state_take(struct mslab_cache *s)
{
	struct mslab_state *st;
	int cpu, err;

	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return ERR_PTR(-ENOMEM);
	st->s = s;
	st->cpus = kvcalloc(nr_cpu_ids, sizeof(*st->cpus), GFP_KERNEL);
	st->nodes = kcalloc(nr_node_ids, sizeof(*st->nodes), GFP_KERNEL);
	if (!st->cpus || !st->nodes) {
		err = -ENOMEM;
		goto fail;
	}

	cpus_read_lock();
	for_each_online_cpu(cpu) {
		struct state_cpu_args args = { .s = s, .cs = &st->cpus[cpu] };

		work_on_cpu(cpu, snapshot_this_cpu, &args);
	}
	cpus_read_unlock();

	err = snapshot_nodes(st, GFP_KERNEL);
	if (err)
		goto fail;
	return st;
fail:
	mslab_state_free(st);
	return ERR_PTR(err);
}
EXPORT_SYMBOL_IF_KUNIT(mslab_state_take);

static void print_fill(struct seq_file *m, const struct mslab_slab_fill *f)
{
	seq_printf(m, " %u/%u", f->inuse, f->objects);
}

static void print_hist_line(struct seq_file *m, const char *name,
			    const unsigned long *hist, unsigned long total)
{
	int b;

	seq_printf(m, "%-10s", name);
	for (b = 0; b < MSLAB_FILL_BUCKETS; b++)
		seq_printf(m, " %7lu", hist[b]);
	seq_printf(m, " %8lu\n", total);
}

/**
 * mslab_state_print() - print a snapshot (the debugfs "state" file)
 * @m: the seq_file
 * @st: a snapshot of mslab_state_take()
 *
 * The format is described in Documentation/debugfs.rst.
 */
void mslab_state_print(struct seq_file *m, const struct mslab_state *st)
{
	const struct mslab_cache *s = st->s;
	const struct mslab_layout *l = READ_ONCE(s->layout);
	int cpu, node, b, i;

	seq_printf(m, "cache %s: object_size %u slab_size %u objs_per_slab %u order %u\n",
		   s->name, s->object_size, l->size, mslab_oo_objects(l->oo),
		   mslab_oo_order(l->oo));
	seq_printf(m, "tunables: min_partial %lu cpu_partial %u cpu_partial_slabs %u\n",
		   READ_ONCE(s->min_partial), READ_ONCE(s->cpu_partial),
		   READ_ONCE(s->cpu_partial_slabs));
	seq_printf(m, "total: slabs %lu objects %lu inuse %lu\n",
		   st->nr_slabs, st->objects, st->inuse);

	seq_puts(m, "\n# cpu slabs: inuse/objects (objects in users' hands), node, free on the cpu freelist, freed by other cpus\n");
	for_each_possible_cpu(cpu) {
		const struct mslab_cpu_state *cs = &st->cpus[cpu];

		if (!cs->taken) {
			seq_printf(m, "cpu%d offline\n", cpu);
			continue;
		}
		if (cs->slab)
			seq_printf(m, "cpu%d slab %u/%u node %d cpu_free %u remote_free %u\n",
				   cpu, cs->cpu_slab.inuse, cs->cpu_slab.objects,
				   cs->cpu_slab.node, cs->cpu_free,
				   cs->remote_free);
		else
			seq_printf(m, "cpu%d slab none\n", cpu);
		seq_printf(m, "cpu%d partial %u:", cpu, cs->nr_partial);
		for (i = 0; i < min(cs->nr_partial, MSLAB_STATE_CHAIN_MAX); i++) {
			print_fill(m, &cs->partial[i]);
			seq_printf(m, "@N%d", cs->partial[i].node);
		}
		if (cs->nr_partial > MSLAB_STATE_CHAIN_MAX)
			seq_printf(m, " ... %u more",
				   cs->nr_partial - MSLAB_STATE_CHAIN_MAX);
		seq_putc(m, '\n');
	}

	seq_puts(m, "\n# nodes: every slab of the node; then the node partial list, head first\n");
	for_each_node(node) {
		const struct mslab_node_state *ns = &st->nodes[node];
		unsigned long shown = min(ns->nr_partial, ns->room);

		seq_printf(m, "node%d slabs %lu objects %lu inuse %lu partial %lu retired %lu\n",
			   node, ns->nr_slabs, ns->objects, ns->inuse,
			   ns->nr_partial, ns->nr_retired);
		for (i = 0; i < shown; i++) {
			if (i % STATE_PER_LINE == 0)
				seq_printf(m, "node%d partial", node);
			print_fill(m, &ns->partial[i]);
			if (i % STATE_PER_LINE == STATE_PER_LINE - 1 ||
			    i == shown - 1)
				seq_putc(m, '\n');
		}
		if (ns->nr_partial > shown)
			seq_printf(m, "node%d partial ... %lu more\n", node,
				   ns->nr_partial - shown);
	}

	seq_puts(m, "\n# fill histogram: slabs by share of their objects in use\n");
	seq_printf(m, "%-10s", "hist");
	for (b = 0; b < MSLAB_FILL_BUCKETS; b++)
		seq_printf(m, " %7s", mslab_fill_bucket_name(b));
	seq_printf(m, " %8s\n", "slabs");
	for_each_node(node) {
		char name[16];

		snprintf(name, sizeof(name), "hist-N%d", node);
		print_hist_line(m, name, st->nodes[node].hist,
				st->nodes[node].nr_slabs);
	}
	print_hist_line(m, "hist-all", st->hist, st->nr_slabs);
}
EXPORT_SYMBOL_IF_KUNIT(mslab_state_print);

/* === /proc/slabinfo 2.1 ================================================= */

/**
 * mslab_slabinfo_get() - a cache's figures for its /proc/slabinfo line
 * @s: the cache
 * @info: filled in as SLUB's get_slabinfo()
 *
 * num_objs counts every slab's capacity; active_objs leaves out only the
 * free objects of node partial slabs, so objects on cpu freelists and cpu
 * partial slabs count as active, as in SLUB. active_slabs == num_slabs.
 */
void mslab_slabinfo_get(struct mslab_cache *s, struct mslab_slabinfo *info)
{
	unsigned long nr_free = 0;
	int node;

	memset(info, 0, sizeof(*info));
	for_each_node(node) {
		struct mslab_node *n = s->node[node];

		info->num_slabs += atomic_long_read(&n->nr_slabs);
		info->num_objs += atomic_long_read(&n->total_objects);
		nr_free += mslab_count_partial(n, true);
	}
	info->active_objs = info->num_objs - min(nr_free, info->num_objs);
	info->active_slabs = info->num_slabs;
	info->objects_per_slab = mslab_oo_objects(READ_ONCE(s->layout)->oo);
	info->cache_order = mslab_oo_order(READ_ONCE(s->layout)->oo);
}
EXPORT_SYMBOL_IF_KUNIT(mslab_slabinfo_get);

/**
 * mslab_slabinfo_header() - the two header lines of slabinfo version 2.1
 * @m: the seq_file
 */
void mslab_slabinfo_header(struct seq_file *m)
{
	seq_puts(m, "slabinfo - version: 2.1\n");
	seq_puts(m, "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>");
	seq_puts(m, " : tunables <limit> <batchcount> <sharedfactor>");
	seq_puts(m, " : slabdata <active_slabs> <num_slabs> <sharedavail>\n");
}
EXPORT_SYMBOL_IF_KUNIT(mslab_slabinfo_header);

/**
 * mslab_slabinfo_show() - a cache's line of slabinfo version 2.1
 * @m: the seq_file
 * @s: the cache
 *
 * As mm/slab_common.c's cache_show(): objsize is the stride (slab_size),
 * the tunables are 0 and sharedavail is 0.
 */
void mslab_slabinfo_show(struct seq_file *m, struct mslab_cache *s)
{
	struct mslab_slabinfo info;

	mslab_slabinfo_get(s, &info);
	seq_printf(m, "%-17s %6lu %6lu %6u %4u %4d",
		   s->name, info.active_objs, info.num_objs,
		   READ_ONCE(s->layout)->size,
		   info.objects_per_slab, 1 << info.cache_order);
	seq_printf(m, " : tunables %4u %4u %4u", 0, 0, 0);
	seq_printf(m, " : slabdata %6lu %6lu %6lu", info.active_slabs,
		   info.num_slabs, 0UL);
	seq_putc(m, '\n');
}
EXPORT_SYMBOL_IF_KUNIT(mslab_slabinfo_show);
