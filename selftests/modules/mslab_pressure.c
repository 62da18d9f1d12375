// SPDX-License-Identifier: GPL-2.0
/*
 * mslab_pressure: leaves memory that mslab holds but does not use, for the
 * shrinker test (selftests/mslab_shrinker.sh).
 *
 * Loading it creates the cache "mslab-pressure" of @size bytes (with
 * @caches, also "mslab-pressure-2" ... "mslab-pressure-<caches>", each
 * CPU's objects spread over them in turn) and nothing else, so the test
 * can tune the cache in sysfs first (a high min_partial
 * keeps every empty slab on the node partial lists). Writing 1 to
 * /sys/module/mslab_pressure/parameters/run then starts one kthread per
 * online CPU: each allocates @objects objects and fills them with a
 * pattern; once all have, each frees the objects of the next CPU's thread,
 * all but the first @keep. Those remote frees leave empty slabs on the
 * freeing CPUs' partial chains and on the node partial lists. Writing 1 to
 * .../parameters/check checks the pattern of the objects kept (the
 * shrinker must not have taken their slabs) and frees them; the write fails
 * with EINVAL if a pattern broke. Both log a line:
 *
 *   mslab_pressure: run: cpus=4 allocated=N freed=N kept=N
 *   mslab_pressure: check: kept=N broken=0
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mslab.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

static unsigned int objects = 4096;
module_param(objects, uint, 0444);
MODULE_PARM_DESC(objects, "Objects each CPU allocates (default 4096)");

static unsigned int size = 256;
module_param(size, uint, 0444);
MODULE_PARM_DESC(size, "Object size in bytes (default 256)");

static unsigned int keep = 32;
module_param(keep, uint, 0444);
MODULE_PARM_DESC(keep, "Objects of each CPU kept allocated until check (default 32)");

#define PRESSURE_MAX_CACHES	100

static unsigned int nr_caches = 1;
module_param_named(caches, nr_caches, uint, 0444);
MODULE_PARM_DESC(caches, "Caches the objects are spread over, at most 100 (default 1)");

static struct mslab_cache *caches[PRESSURE_MAX_CACHES];

/* The cache of a thread's object @i. */
static struct mslab_cache *cache_of(unsigned int i)
{
	return caches[i % nr_caches];
}

/* Serialises run, check and unload. */
static DEFINE_MUTEX(pressure_lock);

struct pressure_thread {
	struct task_struct *task;
	struct completion done;
	void **objs;
	unsigned int cpu;
	unsigned int nr;	/* entries of objs in use, from 0 */
	unsigned long freed;
};

static struct pressure_thread *threads;
static unsigned int nr_threads;
static atomic_t nr_allocated;
static DECLARE_COMPLETION(all_allocated);

static u8 pattern(const void *p)
{
	return (u8)((unsigned long)p >> 5) | 1;
}

static int pressure_thread_fn(void *arg)
{
	struct pressure_thread *pt = arg;
	struct pressure_thread *next;
	unsigned int i;

	for (i = 0; i < objects; i++) {
		void *p = mslab_cache_alloc(cache_of(i), GFP_KERNEL);

		if (!p)
			break;
		memset(p, pattern(p), size);
		pt->objs[i] = p;
		cond_resched();
	}
	pt->nr = i;
	if (atomic_inc_return(&nr_allocated) == nr_threads)
		complete_all(&all_allocated);
	wait_for_completion(&all_allocated);

	/* Free the next thread's objects: mostly slabs of another CPU. */
	next = &threads[(pt - threads + 1) % nr_threads];
	for (i = keep; i < next->nr; i++) {
		mslab_cache_free(cache_of(i), next->objs[i]);
		next->objs[i] = NULL;
		pt->freed++;
	}
	complete(&pt->done);
	return 0;
}

static void free_threads(void)
{
	unsigned int i, j;

	for (i = 0; i < nr_threads; i++) {
		for (j = 0; j < threads[i].nr; j++)
			if (threads[i].objs[j])
				mslab_cache_free(cache_of(j), threads[i].objs[j]);
		kvfree(threads[i].objs);
	}
	kfree(threads);
	threads = NULL;
	nr_threads = 0;
}

static int pressure_run(void)
{
	unsigned long allocated = 0, freed = 0;
	unsigned int cpu, i, n = 0;

	if (threads)
		return -EBUSY;
	threads = kcalloc(num_online_cpus(), sizeof(*threads), GFP_KERNEL);
	if (!threads)
		return -ENOMEM;
	for_each_online_cpu(cpu) {
		if (n == num_online_cpus())
			break;
		threads[n].cpu = cpu;
		init_completion(&threads[n].done);
		threads[n].objs = kvcalloc(objects, sizeof(void *), GFP_KERNEL);
		if (!threads[n].objs)
			break;
		n++;
	}
	nr_threads = n;
	if (n < num_online_cpus()) {
		free_threads();
		return -ENOMEM;
	}

	atomic_set(&nr_allocated, 0);
	reinit_completion(&all_allocated);
	for (i = 0; i < n; i++) {
		struct pressure_thread *pt = &threads[i];

		pt->task = kthread_create(pressure_thread_fn, pt,
					  "mslab_pressure/%u", pt->cpu);
		if (IS_ERR(pt->task)) {
			/* Count it as done, so the others do not wait. */
			pr_err("cannot start a thread on cpu %u\n", pt->cpu);
			if (atomic_inc_return(&nr_allocated) == n)
				complete_all(&all_allocated);
			complete(&pt->done);
			continue;
		}
		kthread_bind(pt->task, pt->cpu);
		wake_up_process(pt->task);
	}
	for (i = 0; i < n; i++) {
		wait_for_completion(&threads[i].done);
		allocated += threads[i].nr;
		freed += threads[i].freed;
	}
	pr_info("run: cpus=%u allocated=%lu freed=%lu kept=%lu\n",
		n, allocated, freed, allocated - freed);
	return allocated == (unsigned long)n * objects ? 0 : -ENOMEM;
}

static int pressure_check(void)
{
	unsigned long kept = 0, broken = 0;
	unsigned int i, j;

	if (!threads)
		return -EINVAL;
	for (i = 0; i < nr_threads; i++) {
		for (j = 0; j < threads[i].nr; j++) {
			void *p = threads[i].objs[j];

			if (!p)
				continue;
			kept++;
			if (memchr_inv(p, pattern(p), size))
				broken++;
		}
	}
	free_threads();
	pr_info("check: kept=%lu broken=%lu\n", kept, broken);
	return broken ? -EINVAL : 0;
}

static int param_set_trigger(const char *val, const struct kernel_param *kp)
{
	bool go;
	int err;

	err = kstrtobool(val, &go);
	if (err || !go)
		return err;
	mutex_lock(&pressure_lock);
	err = kp->arg ? pressure_check() : pressure_run();
	mutex_unlock(&pressure_lock);
	return err;
}

static const struct kernel_param_ops trigger_ops = {
	.set = param_set_trigger,
};

/* The check trigger is told apart by a non-NULL arg. */
static bool check_arg;

module_param_cb(run, &trigger_ops, NULL, 0200);
MODULE_PARM_DESC(run, "Write 1: allocate on every CPU, free on the next one");
module_param_cb(check, &trigger_ops, &check_arg, 0200);
MODULE_PARM_DESC(check, "Write 1: check and free the objects kept");

static void destroy_caches(void)
{
	unsigned int i;

	for (i = 0; i < nr_caches; i++)
		mslab_cache_destroy(caches[i]);
}

static int __init pressure_init(void)
{
	char name[32];
	unsigned int i;

	if (!size || !objects || keep > objects || !nr_caches ||
	    nr_caches > PRESSURE_MAX_CACHES)
		return -EINVAL;
	for (i = 0; i < nr_caches; i++) {
		if (i)
			snprintf(name, sizeof(name), "mslab-pressure-%u", i + 1);
		else
			strscpy(name, "mslab-pressure", sizeof(name));
		caches[i] = mslab_cache_create(name, size, 0, 0, NULL);
		if (!caches[i]) {
			destroy_caches();
			return -ENOMEM;
		}
	}
	return 0;
}

static void __exit pressure_exit(void)
{
	mutex_lock(&pressure_lock);
	if (threads)
		free_threads();
	mutex_unlock(&pressure_lock);
	destroy_caches();
}

module_init(pressure_init);
module_exit(pressure_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("mslab client leaving empty slabs for the shrinker test");
