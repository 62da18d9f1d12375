// SPDX-License-Identifier: GPL-2.0
/*
 * mslab_faults: every allocation mslab makes fails in turn, through the
 * kernel's own fault injection (Documentation/fault-injection/).
 *
 * A task's fail_nth (what /proc/<pid>/fail-nth writes) makes the Nth fault
 * point the task passes fail: with CONFIG_FAIL_PAGE_ALLOC a page
 * allocation, with CONFIG_FAILSLAB an allocation from the kernel's slab
 * caches. selftests/mslab_faults.sh configures both to count every
 * allocation (min-order 0, sleeping ones too, probability 0 so that
 * nothing else fails) and loads this module, whose init runs each scenario
 * below for N = 1, 2, 3 ... with fail_nth = N, until the scenario passes
 * fewer than N fault points:
 *
 *   create    create a cache, allocate and free one object, destroy it;
 *   slabs     fill and empty the first slabs of a cache, then shrink it;
 *   sheaves   the same on a cache with sheaves: sheaf refills and flushes;
 *   bulk      mslab_cache_alloc_bulk() and mslab_cache_free_bulk();
 *   nodes     mslab_cache_alloc_node() on every node with memory;
 *   kmalloc   a small and a large mslab_kmalloc(), krealloc() across
 *             size classes into a large allocation;
 *   kvmalloc  mslab_kvmalloc_node() large enough to fall back to vmalloc
 *             when the pages are refused.
 *
 * Each run that met its fault must have failed cleanly (an error return,
 * nothing held) or absorbed it (mslab retries at a lower order); then the
 * same scenario without a fault must succeed: the cache still works. The
 * caches shrink after each run so the next one allocates slabs again.
 * Whether anything leaked is for the shell: mslab's page count once this
 * module is gone, and the kernel's reports.
 *
 * @scenario runs one of them only (selftests/mslab_faults.sh runs each in
 * its own insmod, to check mslab's page count after each).
 *
 * Init prints one line per scenario and "mslab_faults: passed", or
 * "mslab_faults: FAILED" and returns -EINVAL. It holds nothing once it
 * returns.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

/* 6.1's fault-inject.h uses bool and gfp_t without including them. */
#include <linux/types.h>
#include <linux/fault-inject.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mslab.h>
#include <linux/nodemask.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

static char *scenario;
module_param(scenario, charp, 0444);
MODULE_PARM_DESC(scenario, "Run only this scenario (default: all)");

#ifdef CONFIG_FAULT_INJECTION

/* Objects a scenario allocates: a few slabs' worth. */
#define FAULTS_OBJS		100
/* More fault points than any scenario has: a walk that reaches it fails. */
#define FAULTS_MAX_POINTS	2000

static struct mslab_cache *faults_slab_cache;
static struct mslab_cache *faults_sheaf_cache;
static void *faults_objs[FAULTS_OBJS];

/* Free the first @n of faults_objs to @s, then shrink @s. */
static void faults_put(struct mslab_cache *s, unsigned int n)
{
	while (n--)
		mslab_cache_free(s, faults_objs[n]);
	mslab_cache_shrink(s);
}

static int faults_create(void)
{
	struct mslab_cache *s;
	void *obj;

	s = mslab_cache_create("mslab-faults-create", 192, 0, 0, NULL);
	if (!s)
		return -ENOMEM;
	obj = mslab_cache_alloc(s, GFP_KERNEL);
	if (obj)
		mslab_cache_free(s, obj);
	mslab_cache_destroy(s);
	return obj ? 0 : -ENOMEM;
}

/* Fill FAULTS_OBJS objects of @s and free them all. */
static int faults_fill(struct mslab_cache *s)
{
	unsigned int n;

	for (n = 0; n < FAULTS_OBJS; n++) {
		faults_objs[n] = mslab_cache_alloc(s, GFP_KERNEL);
		if (!faults_objs[n])
			break;
		memset(faults_objs[n], 0x5a, mslab_cache_size(s));
	}
	faults_put(s, n);
	return n == FAULTS_OBJS ? 0 : -ENOMEM;
}

static int faults_slabs(void)
{
	return faults_fill(faults_slab_cache);
}

static int faults_sheaves(void)
{
	return faults_fill(faults_sheaf_cache);
}

static int faults_bulk(void)
{
	int got;

	got = mslab_cache_alloc_bulk(faults_slab_cache, GFP_KERNEL,
				     FAULTS_OBJS, faults_objs);
	if (got)
		mslab_cache_free_bulk(faults_slab_cache, got, faults_objs);
	mslab_cache_shrink(faults_slab_cache);
	/* Bulk allocation is all or nothing. */
	return got == FAULTS_OBJS ? 0 : -ENOMEM;
}

static int faults_nodes(void)
{
	unsigned int n = 0, per_node = FAULTS_OBJS / num_node_state(N_MEMORY);
	int nid, ret = 0;

	for_each_node_state(nid, N_MEMORY) {
		unsigned int i;

		for (i = 0; i < per_node && n < FAULTS_OBJS; i++) {
			faults_objs[n] = mslab_cache_alloc_node(faults_slab_cache,
								GFP_KERNEL, nid);
			if (!faults_objs[n]) {
				ret = -ENOMEM;
				break;
			}
			n++;
		}
	}
	faults_put(faults_slab_cache, n);
	return ret;
}

static int faults_kmalloc(void)
{
	void *small, *large, *grown, *p;
	int ret = -ENOMEM;

	small = mslab_kmalloc(100, GFP_KERNEL);
	large = mslab_kmalloc(3 * PAGE_SIZE, GFP_KERNEL);
	grown = mslab_kmalloc(64, GFP_KERNEL);
	if (!small || !large || !grown)
		goto out;
	/* Through the size classes into a large allocation. */
	while (mslab_ksize(grown) <= PAGE_SIZE) {
		p = mslab_krealloc(grown, mslab_ksize(grown) * 4, GFP_KERNEL);
		if (!p)
			goto out;
		grown = p;
	}
	ret = 0;
out:
	mslab_kfree(small);
	mslab_kfree(large);
	mslab_kfree(grown);
	return ret;
}

static int faults_kvmalloc(void)
{
	void *p = mslab_kvmalloc_node(16 * PAGE_SIZE, GFP_KERNEL, NUMA_NO_NODE);

	mslab_kvfree(p);
	return p ? 0 : -ENOMEM;
}

static const struct {
	const char *name;
	int (*run)(void);
} faults_scenarios[] = {
	{ "create", faults_create },
	{ "slabs", faults_slabs },
	{ "sheaves", faults_sheaves },
	{ "bulk", faults_bulk },
	{ "nodes", faults_nodes },
	{ "kmalloc", faults_kmalloc },
	{ "kvmalloc", faults_kvmalloc },
};

/*
 * Run @run with the Nth fault point failing: true when it had N points
 * (the fault was injected), with its return in *@ret.
 */
static bool faults_run_nth(int (*run)(void), unsigned int nth, int *ret)
{
	unsigned int left;

	WRITE_ONCE(current->fail_nth, nth);
	*ret = run();
	left = READ_ONCE(current->fail_nth);
	WRITE_ONCE(current->fail_nth, 0);
	return !left;
}

/* Walk one scenario's fault points; the number of errors. */
static unsigned int faults_walk(const char *name, int (*run)(void))
{
	unsigned int nth, failed = 0, absorbed = 0, errors = 0;
	int ret;

	for (nth = 1; nth <= FAULTS_MAX_POINTS; nth++) {
		if (!faults_run_nth(run, nth, &ret)) {
			/* No Nth point: a clean run, which must succeed. */
			if (ret) {
				pr_err("%s: fails (%d) with no fault\n", name, ret);
				errors++;
			}
			break;
		}
		if (ret)
			failed++;
		else
			absorbed++;
		ret = run();
		if (ret) {
			pr_err("%s: fails (%d) after the fault at point %u\n",
			       name, ret, nth);
			errors++;
		}
	}
	if (nth > FAULTS_MAX_POINTS) {
		pr_err("%s: more than %u fault points\n", name,
		       FAULTS_MAX_POINTS);
		errors++;
	}
	pr_info("%s: %u fault points, each failed once: %u runs failed cleanly, %u absorbed the fault, %u errors\n",
		name, nth - 1, failed, absorbed, errors);
	return errors;
}

static int __init mslab_faults_init(void)
{
	struct mslab_cache_args sheaf_args = {
		.front_end = MSLAB_FRONT_SHEAVES,
		.sheaf_capacity = 16,
	};
	unsigned int i, ran = 0, errors = 0;

	faults_slab_cache = mslab_cache_create("mslab-faults-slab", 512, 0, 0,
					       NULL);
	faults_sheaf_cache = mslab_cache_create_args("mslab-faults-sheaf", 256,
						     &sheaf_args, 0);
	if (!faults_slab_cache || !faults_sheaf_cache) {
		pr_err("cannot create the caches\n");
		errors++;
		goto out;
	}
	for (i = 0; i < ARRAY_SIZE(faults_scenarios); i++) {
		if (scenario && strcmp(scenario, faults_scenarios[i].name))
			continue;
		errors += faults_walk(faults_scenarios[i].name,
				      faults_scenarios[i].run);
		ran++;
	}
	if (!ran) {
		pr_err("scenario=%s: no such scenario\n", scenario);
		errors++;
	}
out:
	mslab_cache_destroy(faults_sheaf_cache);
	mslab_cache_destroy(faults_slab_cache);
	if (errors) {
		pr_err("FAILED: %u errors\n", errors);
		return -EINVAL;
	}
	pr_info("passed\n");
	return 0;
}
#else
static int __init mslab_faults_init(void)
{
	pr_err("this kernel has no fault injection (CONFIG_FAULT_INJECTION)\n");
	return -EOPNOTSUPP;
}
#endif

/* Everything was freed and destroyed in init. */
static void __exit mslab_faults_exit(void)
{
}

module_init(mslab_faults_init);
module_exit(mslab_faults_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("mslab under the kernel's fault injection: each allocation fails in turn");
