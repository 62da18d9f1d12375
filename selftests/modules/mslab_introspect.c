// SPDX-License-Identifier: GPL-2.0
/*
 * mslab_introspect: the client of selftests/mslab_introspect.sh, which
 * checks mslab's sysfs and debugfs figures against what a client really
 * holds.
 *
 * At load it creates two caches whose stride is their object size (so it
 * knows how many objects a slab holds from the slab's page order):
 *
 *   intro-small   64 bytes
 *   intro-big     1024 bytes, SLAB_HWCACHE_ALIGN
 *
 * allocates @objects objects in each, alternating over the nodes that have
 * memory with mslab_cache_alloc_node(), and frees every @free_every-th.
 * Then, through its module parameters (/sys/module/mslab_introspect/
 * parameters/):
 *
 *   truth    (read) what the client holds, found from its own objects with
 *            page_to_nid() and compound_head(), one line per cache and node:
 *            "<cache> N<node> objects <n> slabs <n> partial <n>
 *             objects_partial <n> full <n>", after a line
 *            "<cache> allocs <n> frees <n> live <n> objs_per_slab <n>".
 *            Slabs and partial count the slabs holding live objects (what
 *            mslab has once shrunk: no cpu slab, no empty slab).
 *   churn    (write N) N allocations and frees of one intro-small object
 *            each, on the writing CPU.
 *   cycle    (write S) start a kthread, on the last online CPU, that for S
 *            seconds creates a cache "intro-cycle-<n>", allocates and frees
 *            objects on it and destroys it; "cycling" reads 1 meanwhile and
 *            "cycles" counts the caches it destroyed.
 *
 * Unloading stops the kthread, frees every object and destroys the caches.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mslab.h>
#include <linux/mutex.h>
#include <linux/nodemask.h>
#include <linux/slab.h>
#include <linux/sort.h>

static unsigned int objects = 3000;
module_param(objects, uint, 0444);
MODULE_PARM_DESC(objects, "Objects allocated in each cache at load (default 3000)");

static unsigned int free_every = 3;
module_param(free_every, uint, 0444);
MODULE_PARM_DESC(free_every, "Free every n-th object at load (default 3)");

#define INTRO_CACHES	2
#define INTRO_CYCLE_OBJS	64

static const struct {
	const char *name;
	unsigned int size;
	slab_flags_t flags;
} intro_specs[INTRO_CACHES] = {
	{ "intro-small", 64, 0 },
	{ "intro-big", 1024, SLAB_HWCACHE_ALIGN },
};

struct intro_cache {
	struct mslab_cache *cache;
	void **objs;		/* @objects slots, NULL where freed */
	unsigned long allocs, frees;
};

static struct intro_cache intro[INTRO_CACHES];
/* Serialises churn, truth and unload. */
static DEFINE_MUTEX(intro_lock);

static struct task_struct *cycle_task;
static unsigned int cycles;
module_param(cycles, uint, 0444);
MODULE_PARM_DESC(cycles, "Caches created and destroyed by the cycle kthread");
static bool cycling;
module_param(cycling, bool, 0444);
MODULE_PARM_DESC(cycling, "The cycle kthread is running");

/* One slab holding live objects of the client. */
struct intro_slab {
	struct page *head;
	unsigned int live;
};

static int cmp_ptr(const void *a, const void *b)
{
	unsigned long x = (unsigned long)*(void * const *)a;
	unsigned long y = (unsigned long)*(void * const *)b;

	return x < y ? -1 : x > y;
}

/* What the client holds on one node of one cache. */
struct intro_node {
	unsigned long objects, slabs, partial, objects_partial, full;
};

/* Print the truth of one cache into @buf at @len; returns the new length. */
static int intro_truth(struct intro_cache *ic, const char *name,
		       unsigned int size, char *buf, int len)
{
	unsigned int i, n = 0, per_slab = 0;
	struct intro_node *nodes;
	struct page **heads;
	int node;

	heads = kvcalloc(objects, sizeof(*heads), GFP_KERNEL);
	nodes = kcalloc(nr_node_ids, sizeof(*nodes), GFP_KERNEL);
	if (!heads || !nodes)
		goto out;
	for (i = 0; i < objects; i++)
		if (ic->objs[i])
			heads[n++] = compound_head(virt_to_page(ic->objs[i]));
	sort(heads, n, sizeof(*heads), cmp_ptr, NULL);

	for (i = 0; i < n; ) {
		struct page *head = heads[i];
		struct intro_node *in;
		unsigned int live = 0;

		while (i < n && heads[i] == head) {
			live++;
			i++;
		}
		per_slab = (PAGE_SIZE << compound_order(head)) / size;
		in = &nodes[page_to_nid(head)];
		in->objects += live;
		in->slabs++;
		if (live < per_slab) {
			in->partial++;
			in->objects_partial += live;
		} else {
			in->full++;
		}
	}

	len += sysfs_emit_at(buf, len, "%s allocs %lu frees %lu live %u objs_per_slab %u\n",
			     name, ic->allocs, ic->frees, n, per_slab);
	for_each_node_state(node, N_MEMORY)
		len += sysfs_emit_at(buf, len,
				     "%s N%d objects %lu slabs %lu partial %lu objects_partial %lu full %lu\n",
				     name, node, nodes[node].objects,
				     nodes[node].slabs, nodes[node].partial,
				     nodes[node].objects_partial,
				     nodes[node].full);
out:
	kfree(nodes);
	kvfree(heads);
	return len;
}

static int truth_get(char *buf, const struct kernel_param *kp)
{
	int t, len = 0;

	mutex_lock(&intro_lock);
	for (t = 0; t < INTRO_CACHES; t++)
		if (intro[t].cache)
			len = intro_truth(&intro[t], intro_specs[t].name,
					  intro_specs[t].size, buf, len);
	mutex_unlock(&intro_lock);
	return len;
}

static const struct kernel_param_ops truth_ops = {
	.get = truth_get,
};
module_param_cb(truth, &truth_ops, NULL, 0444);
MODULE_PARM_DESC(truth, "What the client holds, per cache and node");

static int churn_set(const char *val, const struct kernel_param *kp)
{
	struct intro_cache *ic = &intro[0];
	unsigned int n, i;
	int err;

	err = kstrtouint(val, 10, &n);
	if (err)
		return err;
	mutex_lock(&intro_lock);
	for (i = 0; i < n; i++) {
		void *p = mslab_cache_alloc(ic->cache, GFP_KERNEL);

		if (!p) {
			err = -ENOMEM;
			break;
		}
		ic->allocs++;
		mslab_cache_free(ic->cache, p);
		ic->frees++;
	}
	mutex_unlock(&intro_lock);
	return err;
}

static const struct kernel_param_ops churn_ops = {
	.set = churn_set,
};
module_param_cb(churn, &churn_ops, NULL, 0200);
MODULE_PARM_DESC(churn, "Write N: N allocations and frees in intro-small");

static int cycle_fn(void *arg)
{
	unsigned long end = jiffies + (unsigned long)arg * HZ;
	void *objs[INTRO_CYCLE_OBJS];
	char name[32];

	while (!kthread_should_stop() && time_before(jiffies, end)) {
		struct mslab_cache *s;
		unsigned int i, n = 0;

		snprintf(name, sizeof(name), "intro-cycle-%u", cycles);
		s = mslab_cache_create(name, 32 + (cycles % 8) * 96, 0, 0,
				       NULL);
		if (!s) {
			pr_err("cannot create %s\n", name);
			break;
		}
		for (i = 0; i < INTRO_CYCLE_OBJS; i++) {
			objs[n] = mslab_cache_alloc(s, GFP_KERNEL);
			if (objs[n])
				n++;
		}
		usleep_range(1000, 2000);
		for (i = 0; i < n; i++)
			mslab_cache_free(s, objs[i]);
		mslab_cache_destroy(s);
		WRITE_ONCE(cycles, cycles + 1);
		cond_resched();
	}
	WRITE_ONCE(cycling, false);
	/* Wait for kthread_stop() at unload or the next start. */
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ / 10);
	return 0;
}

static int cycle_set(const char *val, const struct kernel_param *kp)
{
	struct task_struct *t;
	unsigned int seconds;
	int err;

	err = kstrtouint(val, 10, &seconds);
	if (err)
		return err;
	mutex_lock(&intro_lock);
	if (cycle_task) {
		if (READ_ONCE(cycling)) {
			mutex_unlock(&intro_lock);
			return -EBUSY;
		}
		kthread_stop(cycle_task);
		cycle_task = NULL;
	}
	WRITE_ONCE(cycling, true);
	t = kthread_create(cycle_fn, (void *)(unsigned long)seconds,
			   "mslab_intro_cycle");
	if (IS_ERR(t)) {
		WRITE_ONCE(cycling, false);
		mutex_unlock(&intro_lock);
		return PTR_ERR(t);
	}
	set_cpus_allowed_ptr(t, cpumask_of(cpumask_last(cpu_online_mask)));
	cycle_task = t;
	wake_up_process(t);
	mutex_unlock(&intro_lock);
	return 0;
}

static const struct kernel_param_ops cycle_ops = {
	.set = cycle_set,
};
module_param_cb(cycle, &cycle_ops, NULL, 0200);
MODULE_PARM_DESC(cycle, "Write S: create and destroy caches for S seconds");

static void intro_teardown(void)
{
	unsigned int i;
	int t;

	for (t = 0; t < INTRO_CACHES; t++) {
		struct intro_cache *ic = &intro[t];

		if (ic->objs) {
			for (i = 0; i < objects; i++)
				if (ic->objs[i])
					mslab_cache_free(ic->cache, ic->objs[i]);
			kvfree(ic->objs);
			ic->objs = NULL;
		}
		mslab_cache_destroy(ic->cache);
		ic->cache = NULL;
	}
}

static int intro_setup(int t)
{
	struct intro_cache *ic = &intro[t];
	int nid = first_node(node_states[N_MEMORY]);
	unsigned int i;

	ic->cache = mslab_cache_create(intro_specs[t].name, intro_specs[t].size,
				       0, intro_specs[t].flags, NULL);
	if (!ic->cache)
		return -ENOMEM;
	ic->objs = kvcalloc(objects, sizeof(void *), GFP_KERNEL);
	if (!ic->objs)
		return -ENOMEM;
	for (i = 0; i < objects; i++) {
		ic->objs[i] = mslab_cache_alloc_node(ic->cache, GFP_KERNEL, nid);
		if (!ic->objs[i])
			return -ENOMEM;
		ic->allocs++;
		nid = next_node(nid, node_states[N_MEMORY]);
		if (nid >= MAX_NUMNODES)
			nid = first_node(node_states[N_MEMORY]);
	}
	for (i = 0; free_every && i < objects; i += free_every) {
		mslab_cache_free(ic->cache, ic->objs[i]);
		ic->objs[i] = NULL;
		ic->frees++;
	}
	return 0;
}

static int __init mslab_introspect_init(void)
{
	int t, err;

	for (t = 0; t < INTRO_CACHES; t++) {
		err = intro_setup(t);
		if (err) {
			intro_teardown();
			return err;
		}
	}
	return 0;
}

static void __exit mslab_introspect_exit(void)
{
	mutex_lock(&intro_lock);
	if (cycle_task)
		kthread_stop(cycle_task);
	cycle_task = NULL;
	intro_teardown();
	mutex_unlock(&intro_lock);
}

module_init(mslab_introspect_init);
module_exit(mslab_introspect_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("mslab introspection test client: caches with known contents");
