// SPDX-License-Identifier: GPL-2.0
/*
 * mslab and CPUs: taking the slabs (and sheaves) a CPU holds back to the
 * node lists, on every CPU for shrink and destroy, and for a CPU that goes
 * offline (a cpuhp "dead" state that runs on a surviving CPU, as SLUB's
 * slub_cpu_dead()): the sheaves first, whose objects go back through the
 * cpu slab layer, then the cpu slabs. The lock order is at the top of
 * alloc.c.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/workqueue.h>

#include <kunit/visibility.h>

#include "cache.h"
#include "cpu_slab.h"
#include "sheaf.h"

struct mslab_flush_work {
	struct work_struct work;
	struct mslab_cache *s;
	bool skip;
};

/* Serialises users of mslab_flush_work. */
static DEFINE_MUTEX(mslab_flush_lock);
/* Flush work items queued, for the figures in debugfs stats. */
atomic_long_t mslab_flush_works = ATOMIC_LONG_INIT(0);
static DEFINE_PER_CPU(struct mslab_flush_work, mslab_flush_work);
/* Per-CPU work items that flush a CPU's slabs on that CPU. */
static struct workqueue_struct *mslab_flushwq;

static void flush_cpu_slab_work(struct work_struct *w)
{
	struct mslab_flush_work *sfw =
		container_of(w, struct mslab_flush_work, work);

	mslab_sheaves_flush_local(sfw->s);
	mslab_cpu_slab_flush_local(sfw->s);
}

static bool has_cpu_slab(int cpu, struct mslab_cache *s)
{
	struct mslab_cpu *c = per_cpu_ptr(s->cpu_slab, cpu);

	/*
	 * Another CPU's sheaves cannot be looked at safely (it may free one
	 * at any time): a cache with sheaves flushes every CPU.
	 */
	if (s->sheaf_capacity)
		return true;
	/* Racy: a CPU that gains a slab meanwhile keeps it, as in SLUB. */
	return data_race(c->slab) || data_race(c->partial);
}

/* With @every_cpu, also the CPUs that look idle: see mslab_flush_all(). */
static void flush_all_cpus_locked(struct mslab_cache *s, bool every_cpu)
{
	struct mslab_flush_work *sfw;
	unsigned int cpu;

	/* cpus_read_lock() is held (lockdep_assert_cpus_held() is not exported). */
	mutex_lock(&mslab_flush_lock);
	for_each_online_cpu(cpu) {
		sfw = &per_cpu(mslab_flush_work, cpu);
		if (!every_cpu && !has_cpu_slab(cpu, s)) {
			sfw->skip = true;
			continue;
		}
		INIT_WORK(&sfw->work, flush_cpu_slab_work);
		sfw->skip = false;
		sfw->s = s;
		queue_work_on(cpu, mslab_flushwq, &sfw->work);
		atomic_long_inc(&mslab_flush_works);
	}
	for_each_online_cpu(cpu) {
		sfw = &per_cpu(mslab_flush_work, cpu);
		if (!sfw->skip)
			flush_work(&sfw->work);
	}
	mutex_unlock(&mslab_flush_lock);
}

/**
 * mslab_flush_all() - return every cached object and slab to the node lists
 * @s: the cache
 * @every_cpu: run the flush on every online CPU, not only on those seen
 *	       holding a slab: a CPU's slow path may be installing one right
 *	       now, and a layout switch must not miss it (debug_switch.c)
 *
 * Every CPU's sheaves, cpu slab and partial chain, and every node's barn.
 *
 * Context: process context, may sleep; cpus_read_lock() held.
 */
void mslab_flush_all(struct mslab_cache *s, bool every_cpu)
{
	/*
	 * Barns first: their objects go back through this CPU's slab paths
	 * and may leave slabs on its partial chain, which the CPU flush
	 * then takes.
	 */
	mslab_barns_shrink(s);
	flush_all_cpus_locked(s, every_cpu);
}
EXPORT_SYMBOL_IF_KUNIT(mslab_flush_all);

/* === CPU hotplug ======================================================== */

static enum cpuhp_state mslab_cpuhp_state;

/* Runs on a surviving CPU once @cpu is dead: nothing else touches its data. */
static int mslab_cpu_dead(unsigned int cpu)
{
	struct mslab_cache *s;

	mutex_lock(&mslab_mutex);
	list_for_each_entry(s, &mslab_caches, list) {
		mslab_sheaves_flush_cpu(s, cpu);
		mslab_cpu_slab_flush_dead(s, cpu);
	}
	mutex_unlock(&mslab_mutex);
	return 0;
}

int mslab_cpu_init(void)
{
	int ret;

#ifdef MSLAB_HAVE_CMPXCHG_DOUBLE
	if (!mslab_has_cmpxchg_double()) {
		pr_err("this CPU lacks the double-word cmpxchg mslab was built for\n");
		return -ENODEV;
	}
#endif
	mslab_flushwq = alloc_workqueue("mslab_flushwq", WQ_MEM_RECLAIM, 0);
	if (!mslab_flushwq)
		return -ENOMEM;
	ret = cpuhp_setup_state_nocalls(CPUHP_BP_PREPARE_DYN, "mm/mslab:dead",
					NULL, mslab_cpu_dead);
	if (ret < 0) {
		destroy_workqueue(mslab_flushwq);
		return ret;
	}
	mslab_cpuhp_state = ret;
	return 0;
}

void mslab_cpu_exit(void)
{
	cpuhp_remove_state_nocalls(mslab_cpuhp_state);
	destroy_workqueue(mslab_flushwq);
}
