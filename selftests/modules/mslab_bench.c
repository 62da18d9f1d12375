// SPDX-License-Identifier: GPL-2.0
/*
 * mslab_bench: mslab against the kernel's own SLUB, in the same boot.
 *
 * Loading the module runs the timing patterns named by @patterns and prints
 * one table row and one CSV line per pattern and allocator; its debugfs file
 * /sys/kernel/debug/mslab_bench/mem then drives the memory measurement, one
 * cache at a time, so that a shell can read the cache's sysfs directory
 * between the phases. scripts/bench.sh runs it under UML and in QEMU,
 * selftests/bench/bench.sh inside the guest; Documentation/bench.rst has
 * the method and how to read the results.
 *
 * The method is Brouer's time_bench and Babka's sheaves bench
 * (perf-anchors.md section 0):
 *
 *  - the same test body runs against a kernel kmem_cache (SLAB_NO_MERGE;
 *    kfence off: kmem_cache_create() refuses SLAB_SKIP_KFENCE, so the
 *    guest runs with kfence.sample_interval=0) and an mslab cache of the
 *    same size, align and flags. Each body is a static __always_inline function instantiated
 *    once per allocator kind, with the kind a constant, so the allocator's
 *    entry points are direct calls: there is no indirect call per operation,
 *    only one per timed loop;
 *  - a timed loop is >= @loops alloc+free pairs between two clock reads
 *    (ktime_get_ns(), and get_cycles() where it is not 0), and results are
 *    per pair;
 *  - the allocators take turns, A B A B, for @reps timed rounds after one
 *    warm-up round that is thrown away; the figures are the median, min and
 *    max over the rounds, and the ratio is of the medians;
 *  - no preempt_disable() around a loop; cond_resched() between loops.
 *
 * Allocators: "kernel" (the reference) and one to three mslab variants
 * from @variants, "name[:flags[:capacity]]" each: a name starting with
 * "sheaves" or "slab" creates the cache with that front end
 * (mslab_cache_create_args(): MSLAB_FRONT_SHEAVES, MSLAB_FRONT_SLAB), any
 * other name with the module's default; flags (hex) are added to that
 * cache's creation flags, capacity is its sheaf_capacity (0: by size).
 * variants="slab,sheaves" compares both front ends with the kernel in one
 * boot; every variant's ratio is to the kernel.
 *
 * Patterns (@patterns, comma-separated, or "all"):
 *   reuse    alloc, barrier, free of the same object
 *   batch    N allocs then N frees, N = 1, 10, 100, 1000, freed FIFO
 *            ("batch-fifo") and in a shuffled order ("batch-shuffled")
 *   worst    N = @worst_batch allocs, then frees ordered so that
 *            neighbours come from different slabs (only the allocs and frees
 *            are timed, not the reordering)
 *   sweep    batch @sweep_batch FIFO at each of @sweep_sizes
 *   kmalloc  the sweep's batches and sizes through the kernel's kmalloc()
 *            and kfree() against mslab_kmalloc() and mslab_kfree(); the
 *            mslab row, named @kmalloc_front, uses mslab's kmalloc caches,
 *            whose front end is mslab.ko's parameter "sheaves" (the
 *            variants do not apply)
 *   bulk     kmem_cache_alloc_bulk() then kmem_cache_free_bulk() of N
 *            objects against mslab_cache_alloc_bulk() and
 *            mslab_cache_free_bulk(), N = each of @bulk_sizes; figures per
 *            object
 *   debug    the kernel's cache and an mslab cache of the slab front end,
 *            both created with each flag set of @debug_flags (SLUB's
 *            letters F, Z, P, U, and none), at each of @debug_sizes: reuse
 *            ("debug-reuse") and batch @debug_batch FIFO ("debug-fifoN"),
 *            the flag set as the row's param; @debug_loops pairs per loop
 *            for the sets with flags
 *   init     the kernel's cache and an mslab cache of each front end (slab,
 *            sheaves) with the kernel's init_on_alloc and init_on_free
 *            switched at run time (their static keys) between the timed
 *            loops: both off, then each setting of @init_settings (alloc,
 *            free, both), in one rotation; reuse and batch @init_batch FIFO
 *            at each of @init_sizes. The boot's values are restored after.
 *            Not with a boot's init_on_free=1; the settings with
 *            init_on_free not under KASAN or page poisoning
 *   remote   a producer kthread on CPU 0 allocates, a consumer on another
 *            CPU frees (one of the same node and one of another, when there
 *            are), through a ring, @remote_loops objects (loops / 10: a
 *            handover costs tens of pairs); needs 2 CPUs
 *   allcpu   every online CPU runs batch @allcpu_batch FIFO at once on the
 *            same cache; per-CPU ns per pair, averaged; needs 2 CPUs
 *
 * Output, all with the "mslab_bench: " prefix: an "env" line (CPUs, nodes,
 * the kernel's hardening, init_on_alloc and init_on_free), the table, and
 * CSV lines
 *   csv,time,PATTERN,PARAM,SIZE,ALLOC,OPS,REPS,MEDIAN_NS,MIN_NS,MAX_NS,MEDIAN_CYCLES,RATIO
 * (ns and cycles per pair, per object for bulk; cycles "-" when
 * get_cycles() is 0; RATIO is ALLOC's median over the kernel's); the init
 * pattern's rows are
 *   csv,init,PATTERN,PARAM,SIZE,SETTING,ALLOC,OPS,REPS,MEDIAN_NS,MIN_NS,MAX_NS,MEDIAN_CYCLES,RATIO
 * with SETTING off, alloc, free or both and RATIO ALLOC's median over its
 * own with both off.
 *
 * The memory control file takes one command per write:
 *   new ALLOC SIZE COUNT   create ALLOC's cache of SIZE bytes for COUNT objects
 *   fill                   allocate COUNT objects
 *   half                   free a random half of them (the same half for
 *                          every allocator: a fixed seed)
 *   shrink                 kmem_cache_shrink() / mslab_cache_shrink()
 *   del                    free what is left and destroy the cache
 * and reads back the allocators, the cache's sysfs directory and the number
 * of live objects.
 *
 * The A/B control file /sys/kernel/debug/mslab_bench/ab times mslab caches
 * created under different mslab module parameters (hardened,
 * random_freelist: each cache reads them when it is created), in one
 * rotation with the kernel's cache:
 *   add NAME               create NAME's mslab cache of @size bytes now
 *                          (front end by NAME, as in @variants), and the
 *                          kernel's with the first
 *   run                    reuse ("ab-reuse") and batch 100 and 1000 FIFO
 *                          ("ab-batch-fifo") on every cache, then destroy
 *                          them
 *   clear                  destroy them without timing
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/ctype.h>
#include <linux/debugfs.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mslab.h>
#include <linux/mutex.h>
#include <linux/nodemask.h>
#include <linux/prandom.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/timex.h>
#include <linux/topology.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

static char *patterns = "all";
module_param(patterns, charp, 0444);
MODULE_PARM_DESC(patterns, "Timing patterns to run at load: reuse,batch,worst,sweep,kmalloc,bulk,debug,init,remote,allcpu, \"all\" or \"\" (default all)");

static unsigned int loops = 1000000;
module_param(loops, uint, 0444);
MODULE_PARM_DESC(loops, "Alloc+free pairs per timed loop, at least 1000 (default 1000000)");

static unsigned int reps = 5;
module_param(reps, uint, 0444);
MODULE_PARM_DESC(reps, "Timed rounds per pattern and allocator, after one warm-up round (default 5)");

static unsigned int size = 64;
module_param(size, uint, 0444);
MODULE_PARM_DESC(size, "Object size of every pattern but the sweep (default 64)");

static unsigned int align;
module_param(align, uint, 0444);
MODULE_PARM_DESC(align, "Alignment of the caches (default 0)");

static unsigned int cache_flags;
module_param(cache_flags, uint, 0444);
MODULE_PARM_DESC(cache_flags, "SLAB_* flags of both caches, e.g. 0x2000 for SLAB_HWCACHE_ALIGN (default 0)");

static char *variants = "mslab";
module_param(variants, charp, 0444);
MODULE_PARM_DESC(variants, "mslab variants, \"name[:flags[:capacity]]\" comma-separated; names sheaves* and slab* pick that front end (default mslab)");

static unsigned int sweep_sizes[16] = {
	8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192,
};

static unsigned int nr_sweep_sizes = 13;
module_param_array(sweep_sizes, uint, &nr_sweep_sizes, 0444);
MODULE_PARM_DESC(sweep_sizes, "Object sizes of the sweep (default 8,16,...,8192)");

static unsigned int sweep_batch = 100;
module_param(sweep_batch, uint, 0444);
MODULE_PARM_DESC(sweep_batch, "Batch of the sweep (default 100)");

static char *kmalloc_front = "mslab";
module_param(kmalloc_front, charp, 0444);
MODULE_PARM_DESC(kmalloc_front, "Name of the mslab row of the kmalloc pattern: the front end mslab's sheaves parameter gives its kmalloc caches, slab or sheaves (default mslab)");

static unsigned int bulk_sizes[16] = {
	1, 2, 4, 8, 16, 30, 32, 64, 128, 158, 250,
};

static unsigned int nr_bulk_sizes = 11;
module_param_array(bulk_sizes, uint, &nr_bulk_sizes, 0444);
MODULE_PARM_DESC(bulk_sizes, "Objects per bulk call of the bulk pattern (default 1,2,4,8,16,30,32,64,128,158,250)");

static unsigned int worst_batch = 1024;
module_param(worst_batch, uint, 0444);
MODULE_PARM_DESC(worst_batch, "Objects per round of the worst-order pattern (default 1024)");

static unsigned int remote_loops;
module_param(remote_loops, uint, 0444);
MODULE_PARM_DESC(remote_loops, "Objects per timed remote round; 0: loops / 10, at least 1000 (default 0)");

static unsigned int allcpu_batch = 100;
module_param(allcpu_batch, uint, 0444);
MODULE_PARM_DESC(allcpu_batch, "Batch each CPU runs in the allcpu pattern (default 100)");

static char *debug_flags = "none,F,Z,P,U,FZPU";
module_param(debug_flags, charp, 0444);
MODULE_PARM_DESC(debug_flags, "Flag sets of the debug pattern in SLUB's letters (F consistency checks, Z red zone, P poison, U store user; \"none\" or \"-\": none), comma-separated (default none,F,Z,P,U,FZPU)");

static unsigned int debug_sizes[8] = { 256, 64 };
static unsigned int nr_debug_sizes = 2;
module_param_array(debug_sizes, uint, &nr_debug_sizes, 0444);
MODULE_PARM_DESC(debug_sizes, "Object sizes of the debug pattern (default 256,64)");

static unsigned int debug_batch = 100;
module_param(debug_batch, uint, 0444);
MODULE_PARM_DESC(debug_batch, "Batch of the debug pattern's FIFO rows (default 100)");

static unsigned int debug_loops;
module_param(debug_loops, uint, 0444);
MODULE_PARM_DESC(debug_loops, "Pairs per timed loop of the debug pattern's caches with debug flags; 0: loops / 10, at least 1000 (default 0)");

static unsigned int init_sizes[8] = { 64, 256, 1024 };
static unsigned int nr_init_sizes = 3;
module_param_array(init_sizes, uint, &nr_init_sizes, 0444);
MODULE_PARM_DESC(init_sizes, "Object sizes of the init pattern (default 64,256,1024)");

static unsigned int init_batch = 100;
module_param(init_batch, uint, 0444);
MODULE_PARM_DESC(init_batch, "Batch of the init pattern's FIFO rows (default 100)");

static char *init_settings = "alloc,free,both";
module_param(init_settings, charp, 0444);
MODULE_PARM_DESC(init_settings, "Settings of the init pattern timed against both off: alloc (init_on_alloc=1), free (init_on_free=1), both, comma-separated (default alloc,free,both)");

#define BENCH_MAX_ALLOCS	5
#define BENCH_MAX_VARIANTS	3
#define BENCH_MAX_DEBUG_SETS	8
#define BENCH_MAX_REPS		31
#define BENCH_MAX_BATCH		4096
#define BENCH_MAX_BULK		1024
#define BENCH_NAME_LEN		40
#define BENCH_ALLOC_NAME_LEN	16
#define BENCH_RING_SIZE		256
#define BENCH_SPIN_RESCHED	1024
#define BENCH_MAX_THREADS	64
#define BENCH_SEED		0x6d736c6162ULL

static const unsigned int bench_batches[] = { 1, 10, 100, 1000 };

/*
 * The kinds of allocator a body is generated for. Every mslab variant is
 * BENCH_MSLAB: the front end is a property of the cache, not of the call.
 * BENCH_KMALLOC and BENCH_MSLAB_KMALLOC have no cache of their own: they
 * allocate the cache's size with kmalloc() and mslab_kmalloc().
 */
enum bench_kind {
	BENCH_KERNEL,
	BENCH_MSLAB,
	BENCH_KMALLOC,
	BENCH_MSLAB_KMALLOC,
	NR_BENCH_KINDS,
};

/* An allocator under test: bench_allocs[0] is the kernel's. */
struct bench_alloc {
	char name[BENCH_ALLOC_NAME_LEN];
	enum bench_kind kind;
	/* flags added to @cache_flags at creation (the debug pattern's too) */
	slab_flags_t flags;
	/* mslab variants: the creation arguments beyond the common ones */
	enum mslab_front_end front_end;
	unsigned int sheaf_capacity;
};

static struct bench_alloc bench_allocs[BENCH_MAX_ALLOCS];
static unsigned int nr_bench_allocs;

/* The kmalloc pattern's two: the kernel's kmalloc() and mslab_kmalloc(). */
static struct bench_alloc bench_kmalloc_allocs[2] = {
	{ .name = "kernel", .kind = BENCH_KMALLOC },
	{ .name = "mslab", .kind = BENCH_MSLAB_KMALLOC },
};

/* A cache of one allocator; the name lives as long as the cache. */
struct bench_cache {
	const struct bench_alloc *alloc;
	unsigned int size;
	char name[BENCH_NAME_LEN];
	char sysfs[BENCH_NAME_LEN + 24];
	struct kmem_cache *k;
	struct mslab_cache *m;
};

/* One timed loop's figures. */
struct bench_time {
	u64 ns;
	u64 cycles;
	u64 ops;
};

/* What a body needs; set up by the pattern, the cache changes per turn. */
struct bench_run {
	struct bench_cache *c;
	unsigned long rounds;
	unsigned int batch;
	void **ptrs;
	const unsigned int *order;
	/* worst: the objects with their slab, the free order, group starts */
	struct bench_ent *ents;
	unsigned int *groups;
	int err;
	struct bench_time t;
};

struct bench_ent {
	unsigned long slab;
	void *p;
};

/* --- allocator entry points, resolved at compile time -------------------- */

static __always_inline void *bench_alloc(const struct bench_cache *c,
					 const enum bench_kind kind)
{
	/*
	 * The _noprof entry points: with CONFIG_MEM_ALLOC_PROFILING the
	 * kmem_cache_alloc() and kmalloc() macros add allocation-tag
	 * accounting that mslab does not do. c->size is not a compile-time
	 * constant, so kmalloc_noprof() looks the size class up at run time,
	 * as mslab_kmalloc() does.
	 */
	switch (kind) {
	case BENCH_KERNEL:
		return kmem_cache_alloc_noprof(c->k, GFP_KERNEL);
	case BENCH_KMALLOC:
		return kmalloc_noprof(c->size, GFP_KERNEL);
	case BENCH_MSLAB_KMALLOC:
		return mslab_kmalloc(c->size, GFP_KERNEL);
	default:
		return mslab_cache_alloc(c->m, GFP_KERNEL);
	}
}

static __always_inline void bench_free(const struct bench_cache *c,
				       const enum bench_kind kind, void *p)
{
	switch (kind) {
	case BENCH_KERNEL:
		kmem_cache_free(c->k, p);
		break;
	case BENCH_KMALLOC:
		kfree(p);
		break;
	case BENCH_MSLAB_KMALLOC:
		mslab_kfree(p);
		break;
	default:
		mslab_cache_free(c->m, p);
		break;
	}
}

/* @n objects into @p, all or nothing: @n, or 0 with nothing allocated. */
static __always_inline int bench_alloc_bulk(const struct bench_cache *c,
					    const enum bench_kind kind,
					    size_t n, void **p)
{
	if (kind == BENCH_KERNEL)
		return kmem_cache_alloc_bulk_noprof(c->k, GFP_KERNEL, n, p);
	return mslab_cache_alloc_bulk(c->m, GFP_KERNEL, n, p);
}

static __always_inline void bench_free_bulk(const struct bench_cache *c,
					    const enum bench_kind kind,
					    size_t n, void **p)
{
	if (kind == BENCH_KERNEL)
		kmem_cache_free_bulk(c->k, n, p);
	else
		mslab_cache_free_bulk(c->m, n, p);
}

static __always_inline void bench_clock_start(struct bench_time *t)
{
	t->ns = ktime_get_ns();
	t->cycles = get_cycles();
}

static __always_inline void bench_clock_stop(struct bench_time *t)
{
	t->cycles = get_cycles() - t->cycles;
	t->ns = ktime_get_ns() - t->ns;
}

/* --- the test bodies ----------------------------------------------------- */

/* alloc, barrier, free of the same object: @rounds pairs. */
static __always_inline void bench_body_reuse(struct bench_run *r,
					     const enum bench_kind kind)
{
	const struct bench_cache *c = r->c;
	unsigned long i;
	void *p;

	bench_clock_start(&r->t);
	for (i = 0; i < r->rounds; i++) {
		p = bench_alloc(c, kind);
		if (unlikely(!p)) {
			r->err = -ENOMEM;
			break;
		}
		barrier();
		bench_free(c, kind, p);
	}
	bench_clock_stop(&r->t);
	r->t.ops = i;
}

/*
 * @batch allocs then @batch frees, @rounds times; the frees in allocation
 * order, or in the precomputed @order when @shuffled.
 */
static __always_inline void bench_body_batch(struct bench_run *r,
					     const enum bench_kind kind,
					     const bool shuffled)
{
	const struct bench_cache *c = r->c;
	unsigned int j, n = r->batch;
	void **ptrs = r->ptrs;
	unsigned long i;

	bench_clock_start(&r->t);
	for (i = 0; i < r->rounds; i++) {
		for (j = 0; j < n; j++) {
			ptrs[j] = bench_alloc(c, kind);
			if (unlikely(!ptrs[j]))
				goto fail;
		}
		for (j = 0; j < n; j++)
			bench_free(c, kind, ptrs[shuffled ? r->order[j] : j]);
	}
	bench_clock_stop(&r->t);
	r->t.ops = i * n;
	return;
fail:
	bench_clock_stop(&r->t);
	while (j--)
		bench_free(c, kind, ptrs[j]);
	r->err = -ENOMEM;
}

/*
 * @batch objects in one bulk alloc, then one bulk free, @rounds times; the
 * figures are per object. Both bulk frees may reorder r->ptrs, which the
 * next bulk alloc overwrites.
 */
static __always_inline void bench_body_bulk(struct bench_run *r,
					    const enum bench_kind kind)
{
	const struct bench_cache *c = r->c;
	unsigned int n = r->batch;
	void **ptrs = r->ptrs;
	unsigned long i;

	bench_clock_start(&r->t);
	for (i = 0; i < r->rounds; i++) {
		if (unlikely(bench_alloc_bulk(c, kind, n, ptrs) != n)) {
			r->err = -ENOMEM;
			break;
		}
		bench_free_bulk(c, kind, n, ptrs);
	}
	bench_clock_stop(&r->t);
	r->t.ops = i * n;
}

static int bench_ent_cmp(const void *a, const void *b)
{
	const struct bench_ent *x = a, *y = b;

	if (x->slab != y->slab)
		return x->slab < y->slab ? -1 : 1;
	return 0;
}

/*
 * Put r->ents[] (objects with their slab) into r->ptrs[] so that
 * neighbours come from different slabs: sorted by slab, then taken
 * round-robin from one slab after the other (slab_bulk_test03's order).
 */
static void bench_worst_order(struct bench_run *r)
{
	unsigned int i, g, k = 0, ng = 0, n = r->batch, idx, depth;

	sort(r->ents, n, sizeof(*r->ents), bench_ent_cmp, NULL);
	for (i = 0; i < n; i++)
		if (!i || r->ents[i].slab != r->ents[i - 1].slab)
			r->groups[ng++] = i;
	r->groups[ng] = n;
	for (depth = 0; k < n; depth++) {
		for (g = 0; g < ng; g++) {
			idx = r->groups[g] + depth;
			if (idx < r->groups[g + 1])
				r->ptrs[k++] = r->ents[idx].p;
		}
	}
}

/*
 * @batch allocs, then frees in the worst order, @rounds times. The allocs
 * and the frees are timed; finding the slabs and reordering is not.
 */
static __always_inline void bench_body_worst(struct bench_run *r,
					     const enum bench_kind kind)
{
	const struct bench_cache *c = r->c;
	struct bench_time seg, sum = { };
	unsigned int j, n = r->batch;
	unsigned long i;

	for (i = 0; i < r->rounds; i++) {
		bench_clock_start(&seg);
		for (j = 0; j < n; j++) {
			r->ents[j].p = bench_alloc(c, kind);
			if (unlikely(!r->ents[j].p))
				break;
		}
		bench_clock_stop(&seg);
		sum.ns += seg.ns;
		sum.cycles += seg.cycles;
		if (unlikely(j < n)) {
			while (j--)
				bench_free(c, kind, r->ents[j].p);
			r->err = -ENOMEM;
			break;
		}
		for (j = 0; j < n; j++)
			r->ents[j].slab =
				(unsigned long)virt_to_head_page(r->ents[j].p);
		bench_worst_order(r);

		bench_clock_start(&seg);
		for (j = 0; j < n; j++)
			bench_free(c, kind, r->ptrs[j]);
		bench_clock_stop(&seg);
		sum.ns += seg.ns;
		sum.cycles += seg.cycles;
	}
	sum.ops = i * n;
	r->t = sum;
}

/*
 * One copy of each body per allocator kind: the kind is a constant in each,
 * so bench_alloc() and bench_free() compile to direct calls.
 */
static noinline void bench_reuse_kernel(struct bench_run *r)
{
	bench_body_reuse(r, BENCH_KERNEL);
}

static noinline void bench_reuse_mslab(struct bench_run *r)
{
	bench_body_reuse(r, BENCH_MSLAB);
}

static noinline void bench_fifo_kernel(struct bench_run *r)
{
	bench_body_batch(r, BENCH_KERNEL, false);
}

static noinline void bench_fifo_mslab(struct bench_run *r)
{
	bench_body_batch(r, BENCH_MSLAB, false);
}

static noinline void bench_fifo_kmalloc(struct bench_run *r)
{
	bench_body_batch(r, BENCH_KMALLOC, false);
}

static noinline void bench_fifo_mslab_kmalloc(struct bench_run *r)
{
	bench_body_batch(r, BENCH_MSLAB_KMALLOC, false);
}

static noinline void bench_shuffled_kernel(struct bench_run *r)
{
	bench_body_batch(r, BENCH_KERNEL, true);
}

static noinline void bench_shuffled_mslab(struct bench_run *r)
{
	bench_body_batch(r, BENCH_MSLAB, true);
}

static noinline void bench_worst_kernel(struct bench_run *r)
{
	bench_body_worst(r, BENCH_KERNEL);
}

static noinline void bench_worst_mslab(struct bench_run *r)
{
	bench_body_worst(r, BENCH_MSLAB);
}

static noinline void bench_bulk_kernel(struct bench_run *r)
{
	bench_body_bulk(r, BENCH_KERNEL);
}

static noinline void bench_bulk_mslab(struct bench_run *r)
{
	bench_body_bulk(r, BENCH_MSLAB);
}

typedef void (*bench_body_fn)(struct bench_run *r);

static const bench_body_fn bench_reuse_fns[NR_BENCH_KINDS] = {
	[BENCH_KERNEL] = bench_reuse_kernel,
	[BENCH_MSLAB] = bench_reuse_mslab,
};

static const bench_body_fn bench_fifo_fns[NR_BENCH_KINDS] = {
	[BENCH_KERNEL] = bench_fifo_kernel,
	[BENCH_MSLAB] = bench_fifo_mslab,
};

static const bench_body_fn bench_kmalloc_fns[NR_BENCH_KINDS] = {
	[BENCH_KMALLOC] = bench_fifo_kmalloc,
	[BENCH_MSLAB_KMALLOC] = bench_fifo_mslab_kmalloc,
};

static const bench_body_fn bench_shuffled_fns[NR_BENCH_KINDS] = {
	[BENCH_KERNEL] = bench_shuffled_kernel,
	[BENCH_MSLAB] = bench_shuffled_mslab,
};

static const bench_body_fn bench_worst_fns[NR_BENCH_KINDS] = {
	[BENCH_KERNEL] = bench_worst_kernel,
	[BENCH_MSLAB] = bench_worst_mslab,
};

static const bench_body_fn bench_bulk_fns[NR_BENCH_KINDS] = {
	[BENCH_KERNEL] = bench_bulk_kernel,
	[BENCH_MSLAB] = bench_bulk_mslab,
};

/* --- caches -------------------------------------------------------------- */

/* Create @a's cache of @objsize bytes, named mslab_bench-TAG-NAME-SIZE. */
static int bench_cache_create(struct bench_cache *c,
			      const struct bench_alloc *a, const char *tag,
			      unsigned int objsize)
{
	slab_flags_t flags = (__force slab_flags_t)cache_flags;

	memset(c, 0, sizeof(*c));
	c->alloc = a;
	c->size = objsize;
	if (a->kind == BENCH_KMALLOC || a->kind == BENCH_MSLAB_KMALLOC) {
		/* No cache: the size classes of the kmalloc family. */
		snprintf(c->name, sizeof(c->name), "%s-kmalloc-%u", a->name,
			 objsize);
		return 0;
	}
	snprintf(c->name, sizeof(c->name), "mslab_bench-%s-%s-%u", tag,
		 a->name, objsize);
	if (a->kind == BENCH_KERNEL) {
		/*
		 * kmem_cache_create() refuses SLAB_SKIP_KFENCE (it is not in
		 * SLAB_FLAGS_PERMITTED); kfence is kept off by its boot-time
		 * sample interval of 0 instead, which bench.sh reports.
		 */
		c->k = kmem_cache_create(c->name, objsize, align,
					 flags | a->flags | SLAB_NO_MERGE, NULL);
		snprintf(c->sysfs, sizeof(c->sysfs), "/sys/kernel/slab/%s",
			 c->name);
	} else {
		struct mslab_cache_args args = {
			.align = align,
			.front_end = a->front_end,
			.sheaf_capacity = a->sheaf_capacity,
		};

		c->m = mslab_cache_create_args(c->name, objsize, &args,
					       flags | a->flags);
		snprintf(c->sysfs, sizeof(c->sysfs), "/sys/kernel/mslab/%s",
			 c->name);
	}
	if (!c->k && !c->m) {
		pr_err("cannot create cache %s\n", c->name);
		return -ENOMEM;
	}
	return 0;
}

static void bench_cache_shrink(struct bench_cache *c)
{
	if (c->k)
		kmem_cache_shrink(c->k);
	if (c->m)
		mslab_cache_shrink(c->m);
}

static void bench_cache_destroy(struct bench_cache *c)
{
	kmem_cache_destroy(c->k);
	c->k = NULL;
	if (c->m)
		mslab_cache_destroy(c->m);
	c->m = NULL;
}

static void bench_caches_destroy(struct bench_cache *cs)
{
	unsigned int a;

	for (a = 0; a < BENCH_MAX_ALLOCS && cs[a].alloc; a++)
		bench_cache_destroy(&cs[a]);
}

/*
 * One cache of @objsize bytes per allocator of @allocs[0..@nr), into
 * @cs[], which ends with an entry of NULL alloc when @nr is below
 * BENCH_MAX_ALLOCS.
 */
static int bench_caches_create_of(struct bench_cache *cs,
				  const struct bench_alloc *allocs,
				  unsigned int nr, unsigned int objsize)
{
	unsigned int a;
	int err;

	memset(cs, 0, BENCH_MAX_ALLOCS * sizeof(*cs));
	for (a = 0; a < nr; a++) {
		err = bench_cache_create(&cs[a], &allocs[a], "t", objsize);
		if (err) {
			bench_caches_destroy(cs);
			return err;
		}
	}
	return 0;
}

/* The caches of the kernel and of every mslab variant. */
static int bench_caches_create(struct bench_cache *cs, unsigned int objsize)
{
	return bench_caches_create_of(cs, bench_allocs, nr_bench_allocs,
				      objsize);
}

/* The number of allocators of @cs[]. */
static unsigned int bench_caches_nr(const struct bench_cache *cs)
{
	unsigned int a;

	for (a = 0; a < BENCH_MAX_ALLOCS && cs[a].alloc; a++)
		;
	return a;
}

/* --- statistics and output ----------------------------------------------- */

/* Per-pair figures of each timed round, in picoseconds and millicycles. */
struct bench_stats {
	u64 ps[BENCH_MAX_ALLOCS][BENCH_MAX_REPS];
	u64 mcyc[BENCH_MAX_ALLOCS][BENCH_MAX_REPS];
	u64 ops;
	unsigned int nr;
	/* the allocators, [0] the kernel's */
	const char *names[BENCH_MAX_ALLOCS];
	unsigned int nr_allocs;
};

/* Take the allocators of @cs[] (bench_caches_create_of()) for @st. */
static void bench_stats_init(struct bench_stats *st,
			     const struct bench_cache *cs)
{
	unsigned int a;

	st->nr_allocs = bench_caches_nr(cs);
	for (a = 0; a < st->nr_allocs; a++)
		st->names[a] = cs[a].alloc->name;
}

static void bench_record(struct bench_stats *st, unsigned int a,
			 unsigned int rep, const struct bench_time *t)
{
	u64 ops = max_t(u64, t->ops, 1);

	st->ps[a][rep] = div64_u64(t->ns * 1000, ops);
	st->mcyc[a][rep] = div64_u64(t->cycles * 1000, ops);
	st->ops = t->ops;
}

static int bench_u64_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Median (the lower one of an even count), min and max of @v[0..@n). */
static void bench_summary(const u64 *v, unsigned int n, u64 *med, u64 *lo,
			  u64 *hi)
{
	u64 s[BENCH_MAX_REPS];

	memcpy(s, v, n * sizeof(*v));
	sort(s, n, sizeof(*s), bench_u64_cmp, NULL);
	*med = s[(n - 1) / 2];
	*lo = s[0];
	*hi = s[n - 1];
}

/* "12.3" from millicycles, into @buf; "-" for 0 (no get_cycles()). */
static const char *bench_cyc(char *buf, size_t len, u64 mcyc)
{
	if (mcyc)
		snprintf(buf, len, "%llu.%01llu", div64_u64(mcyc, 1000),
			 div64_u64(mcyc % 1000, 100));
	else
		strscpy(buf, "-", len);
	return buf;
}

/* "12.34" from picoseconds, into @buf. */
static const char *bench_ns(char *buf, size_t len, u64 ps)
{
	u64 cents = div64_u64(ps + 5, 10);

	snprintf(buf, len, "%llu.%02llu", div64_u64(cents, 100),
		 cents - div64_u64(cents, 100) * 100);
	return buf;
}

static bool bench_header_done;

static void bench_print_header(void)
{
	if (bench_header_done)
		return;
	bench_header_done = true;
	pr_info("%-15s %-6s %5s %-8s %24s %24s %7s\n", "pattern", "param",
		"size", "alloc", "SLUB ns/pair [min-max]",
		"alloc ns/pair [min-max]", "ratio");
}

/* The table rows and CSV lines of one pattern run. */
static void bench_print(const char *pattern, const char *param,
			unsigned int objsize, const struct bench_stats *st)
{
	u64 kmed, kmin, kmax, med, lo, hi, cmed, cmin, cmax, ratio;
	char b1[24], b2[24], b3[24], cyc[24], k[80], m[80];
	unsigned int a;

	bench_print_header();
	bench_summary(st->ps[0], st->nr, &kmed, &kmin, &kmax);
	snprintf(k, sizeof(k), "%s [%s-%s]", bench_ns(b1, sizeof(b1), kmed),
		 bench_ns(b2, sizeof(b2), kmin), bench_ns(b3, sizeof(b3), kmax));
	for (a = 0; a < st->nr_allocs; a++) {
		bench_summary(st->ps[a], st->nr, &med, &lo, &hi);
		bench_summary(st->mcyc[a], st->nr, &cmed, &cmin, &cmax);
		ratio = div64_u64(med * 1000 + kmed / 2, max_t(u64, kmed, 1));
		bench_cyc(cyc, sizeof(cyc), cmed);
		if (a) {
			snprintf(m, sizeof(m), "%s [%s-%s]",
				 bench_ns(b1, sizeof(b1), med),
				 bench_ns(b2, sizeof(b2), lo),
				 bench_ns(b3, sizeof(b3), hi));
			pr_info("%-15s %-6s %5u %-8s %24s %24s %3llu.%03llu\n",
				pattern, param, objsize, st->names[a],
				k, m, ratio / 1000, ratio % 1000);
		}
		pr_info("csv,time,%s,%s,%u,%s,%llu,%u,%s,%s,%s,%s,%llu.%03llu\n",
			pattern, param, objsize, st->names[a], st->ops,
			st->nr, bench_ns(b1, sizeof(b1), med),
			bench_ns(b2, sizeof(b2), lo),
			bench_ns(b3, sizeof(b3), hi), cyc, ratio / 1000,
			ratio % 1000);
	}
}

/*
 * Run @fns on every allocator's cache in turn, A B A B, for one warm-up
 * round and @reps timed ones, then print.
 */
static int bench_measure(const char *pattern, const char *param,
			 unsigned int objsize, struct bench_cache *cs,
			 struct bench_run *r, const bench_body_fn *fns)
{
	struct bench_stats *st;
	unsigned int rep, a;
	int err = 0;

	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	bench_stats_init(st, cs);
	for (rep = 0; rep <= reps && !err; rep++) {
		for (a = 0; a < st->nr_allocs; a++) {
			r->c = &cs[a];
			r->err = 0;
			memset(&r->t, 0, sizeof(r->t));
			fns[cs[a].alloc->kind](r);
			err = r->err;
			if (err) {
				pr_err("%s %s size %u: %s failed (%d)\n",
				       pattern, param, objsize, cs[a].name,
				       err);
				break;
			}
			if (rep)
				bench_record(st, a, rep - 1, &r->t);
			cond_resched();
		}
	}
	st->nr = reps;
	if (!err)
		bench_print(pattern, param, objsize, st);
	kfree(st);
	return err;
}

/* --- single-CPU patterns ------------------------------------------------- */

static unsigned long bench_rounds(unsigned int batch)
{
	return max(1U, loops / batch);
}

static int bench_reuse(void)
{
	struct bench_cache cs[BENCH_MAX_ALLOCS];
	struct bench_run r = { .rounds = loops, .batch = 1 };
	int err;

	err = bench_caches_create(cs, size);
	if (err)
		return err;
	err = bench_measure("reuse", "1", size, cs, &r, bench_reuse_fns);
	bench_caches_destroy(cs);
	return err;
}

/* A permutation of 0..@n-1 from @rnd (Fisher-Yates). */
static void bench_shuffle(unsigned int *v, unsigned int n,
			  struct rnd_state *rnd)
{
	unsigned int i, j;

	for (i = 0; i < n; i++)
		v[i] = i;
	for (i = n - 1; i > 0; i--) {
		j = prandom_u32_state(rnd) % (i + 1);
		swap(v[i], v[j]);
	}
}

/*
 * Batch @batch of @objsize-byte objects on the caches @cs[] (of
 * bench_caches_create_of()) with the bodies @fns, frees in a shuffled
 * order when @shuffled; each timed loop is about @nloops pairs.
 */
static int bench_batch_on(struct bench_cache *cs, const bench_body_fn *fns,
			  unsigned int objsize, unsigned int batch,
			  bool shuffled, unsigned int nloops,
			  const char *pattern, const char *param)
{
	struct bench_run r = { .batch = batch };
	unsigned int *order = NULL;
	struct rnd_state rnd;
	int err;

	r.rounds = max(1U, nloops / batch);
	r.ptrs = kvmalloc_array(batch, sizeof(*r.ptrs), GFP_KERNEL);
	if (shuffled) {
		order = kvmalloc_array(batch, sizeof(*order), GFP_KERNEL);
		if (order) {
			prandom_seed_state(&rnd, BENCH_SEED + batch);
			bench_shuffle(order, batch, &rnd);
		}
		r.order = order;
	}
	err = -ENOMEM;
	if (r.ptrs && (!shuffled || order))
		err = bench_measure(pattern, param, objsize, cs, &r, fns);
	kvfree(order);
	kvfree(r.ptrs);
	return err;
}

/*
 * Batch @batch of @objsize-byte objects for the allocators @allocs[0..@nr)
 * with the bodies @fns, frees in a shuffled order when @shuffled.
 */
static int bench_batch_of(const struct bench_alloc *allocs, unsigned int nr,
			  const bench_body_fn *fns, unsigned int objsize,
			  unsigned int batch, bool shuffled,
			  const char *pattern)
{
	struct bench_cache cs[BENCH_MAX_ALLOCS];
	char param[16];
	int err;

	err = bench_caches_create_of(cs, allocs, nr, objsize);
	if (err)
		return err;
	snprintf(param, sizeof(param), "%u", batch);
	err = bench_batch_on(cs, fns, objsize, batch, shuffled, loops,
			     pattern, param);
	bench_caches_destroy(cs);
	return err;
}

static int bench_batch(unsigned int objsize, unsigned int batch,
		       bool shuffled, const char *pattern)
{
	return bench_batch_of(bench_allocs, nr_bench_allocs,
			      shuffled ? bench_shuffled_fns : bench_fifo_fns,
			      objsize, batch, shuffled, pattern);
}

static int bench_batches_all(void)
{
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(bench_batches); i++) {
		err = bench_batch(size, bench_batches[i], false, "batch-fifo");
		if (err)
			return err;
	}
	for (i = 0; i < ARRAY_SIZE(bench_batches); i++) {
		err = bench_batch(size, bench_batches[i], true,
				  "batch-shuffled");
		if (err)
			return err;
	}
	return 0;
}

static int bench_sweep(void)
{
	unsigned int i;
	int err;

	for (i = 0; i < nr_sweep_sizes; i++) {
		err = bench_batch(sweep_sizes[i], sweep_batch, false, "sweep");
		if (err)
			return err;
	}
	return 0;
}

/*
 * The sweep through the kmalloc family: the kernel's kmalloc() against
 * mslab_kmalloc(), whatever the variants; the mslab row is named
 * @kmalloc_front.
 */
static int bench_kmalloc(void)
{
	unsigned int i;
	int err;

	strscpy(bench_kmalloc_allocs[1].name, kmalloc_front,
		sizeof(bench_kmalloc_allocs[1].name));
	for (i = 0; i < nr_sweep_sizes; i++) {
		err = bench_batch_of(bench_kmalloc_allocs,
				     ARRAY_SIZE(bench_kmalloc_allocs),
				     bench_kmalloc_fns, sweep_sizes[i],
				     sweep_batch, false, "kmalloc");
		if (err)
			return err;
	}
	return 0;
}

/* One bulk alloc and one bulk free of N objects, N = each of bulk_sizes. */
static int bench_bulk(void)
{
	struct bench_cache cs[BENCH_MAX_ALLOCS];
	struct bench_run r = { };
	unsigned int i, n;
	char param[16];
	int err;

	r.ptrs = kvmalloc_array(BENCH_MAX_BULK, sizeof(*r.ptrs), GFP_KERNEL);
	if (!r.ptrs)
		return -ENOMEM;
	err = bench_caches_create(cs, size);
	if (err)
		goto out;
	for (i = 0; i < nr_bulk_sizes && !err; i++) {
		n = bulk_sizes[i];
		r.batch = n;
		r.rounds = bench_rounds(n);
		snprintf(param, sizeof(param), "%u", n);
		err = bench_measure("bulk", param, size, cs, &r,
				    bench_bulk_fns);
	}
	bench_caches_destroy(cs);
out:
	kvfree(r.ptrs);
	return err;
}

static int bench_worst(void)
{
	struct bench_run r = { .batch = worst_batch };
	struct bench_cache cs[BENCH_MAX_ALLOCS];
	char param[16];
	int err = -ENOMEM;

	r.rounds = bench_rounds(worst_batch);
	r.ptrs = kvmalloc_array(worst_batch, sizeof(*r.ptrs), GFP_KERNEL);
	r.ents = kvmalloc_array(worst_batch, sizeof(*r.ents), GFP_KERNEL);
	r.groups = kvmalloc_array(worst_batch + 1, sizeof(*r.groups),
				  GFP_KERNEL);
	if (!r.ptrs || !r.ents || !r.groups)
		goto out;
	err = bench_caches_create(cs, size);
	if (err)
		goto out;
	snprintf(param, sizeof(param), "%u", worst_batch);
	err = bench_measure("worst", param, size, cs, &r, bench_worst_fns);
	bench_caches_destroy(cs);
out:
	kvfree(r.groups);
	kvfree(r.ents);
	kvfree(r.ptrs);
	return err;
}

/* --- debug flags --------------------------------------------------------- */

/* A flag set of the debug pattern: SLAB_* flags and SLUB's letters. */
struct bench_debug_set {
	slab_flags_t flags;
	char name[8];
};

static struct bench_debug_set bench_debug_sets[BENCH_MAX_DEBUG_SETS];
static unsigned int nr_bench_debug_sets;

/* SLUB's letters of slab_debug=, as in mm/slub.c's parse_slub_debug_flags(). */
static const struct {
	char letter;
	slab_flags_t flag;
} bench_debug_letters[] = {
	{ 'F', SLAB_CONSISTENCY_CHECKS },
	{ 'Z', SLAB_RED_ZONE },
	{ 'P', SLAB_POISON },
	{ 'U', SLAB_STORE_USER },
};

/* Fill bench_debug_sets from @debug_flags. */
static int bench_parse_debug_flags(void)
{
	struct bench_debug_set *set;
	char *buf, *s, *tok;
	unsigned int i, j;
	int err = 0;

	nr_bench_debug_sets = 0;
	buf = kstrdup(debug_flags ? debug_flags : "", GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	s = buf;
	while ((tok = strsep(&s, ",")) != NULL && !err) {
		tok = strim(tok);
		if (!*tok)
			continue;
		if (nr_bench_debug_sets == BENCH_MAX_DEBUG_SETS) {
			pr_err("debug_flags: at most %d sets\n",
			       BENCH_MAX_DEBUG_SETS);
			err = -EINVAL;
			break;
		}
		set = &bench_debug_sets[nr_bench_debug_sets];
		set->flags = 0;
		if (!strcmp(tok, "-") || !strcmp(tok, "none")) {
			strscpy(set->name, "none", sizeof(set->name));
			nr_bench_debug_sets++;
			continue;
		}
		for (i = 0; tok[i] && !err; i++) {
			for (j = 0; j < ARRAY_SIZE(bench_debug_letters); j++)
				if (toupper(tok[i]) ==
				    bench_debug_letters[j].letter)
					break;
			if (j == ARRAY_SIZE(bench_debug_letters) ||
			    i >= sizeof(set->name) - 1) {
				pr_err("debug_flags: bad set \"%s\" (letters FZPU, or none)\n",
				       tok);
				err = -EINVAL;
				break;
			}
			set->flags |= bench_debug_letters[j].flag;
			set->name[i] = bench_debug_letters[j].letter;
		}
		set->name[i] = '\0';
		if (!err)
			nr_bench_debug_sets++;
	}
	kfree(buf);
	return err;
}

/*
 * One flag set at one size: the kernel's cache and an mslab cache of the
 * slab front end, both created with @set's flags; fast-path reuse, then
 * batch @debug_batch FIFO.
 */
static int bench_debug_one(const struct bench_debug_set *set,
			   unsigned int objsize)
{
	struct bench_alloc allocs[2] = {
		{ .name = "kernel", .kind = BENCH_KERNEL },
		{ .name = "slab", .kind = BENCH_MSLAB,
		  .front_end = MSLAB_FRONT_SLAB },
	};
	struct bench_cache cs[BENCH_MAX_ALLOCS];
	unsigned int nloops = loops;
	struct bench_run r = { .batch = 1 };
	char pattern[24];
	int err;

	/* Debug caches are 10 to 100 times slower: fewer pairs per loop. */
	if (set->flags)
		nloops = debug_loops ?: max(1000U, loops / 10);
	allocs[0].flags = set->flags;
	allocs[1].flags = set->flags;
	err = bench_caches_create_of(cs, allocs, ARRAY_SIZE(allocs), objsize);
	if (err)
		return err;
	r.rounds = nloops;
	err = bench_measure("debug-reuse", set->name, objsize, cs, &r,
			    bench_reuse_fns);
	snprintf(pattern, sizeof(pattern), "debug-fifo%u", debug_batch);
	if (!err)
		err = bench_batch_on(cs, bench_fifo_fns, objsize, debug_batch,
				     false, nloops, pattern, set->name);
	bench_caches_destroy(cs);
	return err;
}

/* Every flag set of @debug_flags at every size of @debug_sizes. */
static int bench_debug(void)
{
	unsigned int i, j;
	int err;

	for (i = 0; i < nr_debug_sizes; i++) {
		for (j = 0; j < nr_bench_debug_sets; j++) {
			err = bench_debug_one(&bench_debug_sets[j],
					      debug_sizes[i]);
			if (err)
				return err;
		}
	}
	return 0;
}

/* --- init_on_alloc and init_on_free ------------------------------------- */

/*
 * Is @name in the comma-separated @list? Whole items only: "free" is not
 * in "free2".
 */
static bool bench_in_list(const char *list, const char *name)
{
	const char *p = list ? list : "";
	size_t len = strlen(name);

	while (*p) {
		if (!strncmp(p, name, len) && (p[len] == ',' || !p[len]))
			return true;
		p = strchrnul(p, ',');
		if (*p)
			p++;
	}
	return false;
}

/* The init pattern's settings of the two keys; [0] is the reference. */
static const struct bench_init_setting {
	const char *name;
	bool on_alloc;
	bool on_free;
} bench_init_settings[] = {
	{ "off", false, false },
	{ "alloc", true, false },
	{ "free", false, true },
	{ "both", true, true },
};

#define BENCH_INIT_SETTINGS	ARRAY_SIZE(bench_init_settings)

/* The settings selected, as indices into bench_init_settings[]. */
struct bench_init_plan {
	unsigned int set[BENCH_INIT_SETTINGS];
	unsigned int nr;
	/* the boot's values of init_on_alloc and init_on_free */
	bool boot_alloc;
	bool boot_free;
};

/* Does @init_settings name anything but the settings? */
static bool bench_init_settings_bad(void)
{
	const char *p = init_settings ? init_settings : "";
	const char *end;
	unsigned int i;
	size_t len;

	for (; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, ',');
		len = end - p;
		for (i = 0; i < BENCH_INIT_SETTINGS; i++)
			if (strlen(bench_init_settings[i].name) == len &&
			    !strncmp(p, bench_init_settings[i].name, len))
				break;
		if (len && i == BENCH_INIT_SETTINGS) {
			pr_err("bad init_settings \"%s\" (alloc, free, both)\n",
			       init_settings);
			return true;
		}
	}
	return false;
}

static bool bench_init_alloc_on(void)
{
	return static_key_enabled(&init_on_alloc);
}

static bool bench_init_free_on(void)
{
	return static_key_enabled(&init_on_free);
}

/*
 * Switch the kernel's init_on_alloc and init_on_free, as the boot options
 * set them (mm/mm_init.c): for the kernel's SLUB, its page allocator and
 * mslab alike. Process context: static_key_enable() takes cpus_read_lock()
 * and the jump label mutex. Neither does anything when the key already has
 * the value.
 */
static void bench_init_switch(bool on_alloc, bool on_free)
{
	if (on_alloc)
		static_key_enable(&init_on_alloc.key);
	else
		static_key_disable(&init_on_alloc.key);
	if (on_free)
		static_key_enable(&init_on_free.key);
	else
		static_key_disable(&init_on_free.key);
}

/*
 * Why the settings with init_on_free are not run, or NULL. Under KASAN the
 * kernel's SLUB reports its own init_on_free memset of a freed object;
 * with page poisoning the page allocator would find its poison zeroed
 * (the boot gives page_poison precedence over both options).
 */
static const char *bench_init_free_unsafe(void)
{
	if (IS_ENABLED(CONFIG_KASAN))
		return "the kernel has KASAN";
	if (page_poisoning_enabled_static())
		return "page poisoning is on";
	return NULL;
}

static bool bench_init_header_done;

/*
 * The rows of one pattern at one size: each allocator under each setting,
 * with its ratio to its own figure with both keys off (@st[0]).
 */
static void bench_init_print(const char *pattern, const char *param,
			     unsigned int objsize,
			     const struct bench_init_plan *plan,
			     const struct bench_stats *st)
{
	u64 off, med, lo, hi, cmed, clo, chi, ratio;
	char b1[24], b2[24], b3[24], cyc[24], m[80];
	const char *setting;
	unsigned int a, i;

	if (!bench_init_header_done) {
		bench_init_header_done = true;
		pr_info("%-10s %-5s %5s %-7s %-8s %24s %7s\n", "init A/B",
			"param", "size", "setting", "alloc",
			"ns/pair [min-max]", "x off");
	}
	for (a = 0; a < st[0].nr_allocs; a++) {
		bench_summary(st[0].ps[a], st[0].nr, &off, &lo, &hi);
		for (i = 0; i < plan->nr; i++) {
			setting = bench_init_settings[plan->set[i]].name;
			bench_summary(st[i].ps[a], st[i].nr, &med, &lo, &hi);
			bench_summary(st[i].mcyc[a], st[i].nr, &cmed, &clo,
				      &chi);
			ratio = div64_u64(med * 1000 + off / 2,
					  max_t(u64, off, 1));
			snprintf(m, sizeof(m), "%s [%s-%s]",
				 bench_ns(b1, sizeof(b1), med),
				 bench_ns(b2, sizeof(b2), lo),
				 bench_ns(b3, sizeof(b3), hi));
			pr_info("%-10s %-5s %5u %-7s %-8s %24s %3llu.%03llu\n",
				pattern, param, objsize, setting,
				st[i].names[a], m, ratio / 1000, ratio % 1000);
			pr_info("csv,init,%s,%s,%u,%s,%s,%llu,%u,%s,%s,%s,%s,%llu.%03llu\n",
				pattern, param, objsize, setting,
				st[i].names[a], st[i].ops, st[i].nr,
				bench_ns(b1, sizeof(b1), med),
				bench_ns(b2, sizeof(b2), lo),
				bench_ns(b3, sizeof(b3), hi),
				bench_cyc(cyc, sizeof(cyc), cmed),
				ratio / 1000, ratio % 1000);
		}
	}
}

/*
 * Time @fns on every cache of @cs[] under every setting of @plan, for one
 * warm-up round and @reps timed ones: in each round, for each setting,
 * switch the keys, time each allocator in turn and switch them back to the
 * boot's before cond_resched(), so that other tasks run with the boot's
 * settings as much as they can. Each timed loop follows an untimed one of
 * 1/16 of its pairs under the same setting: under QEMU switching a key
 * patches code, whose translations the first loop after would rebuild.
 */
static int bench_init_measure(const char *pattern, const char *param,
			      unsigned int objsize,
			      const struct bench_init_plan *plan,
			      struct bench_cache *cs, struct bench_run *r,
			      const bench_body_fn *fns)
{
	const struct bench_init_setting *set;
	unsigned long rounds = r->rounds;
	unsigned int rep, i, a, nr;
	struct bench_stats *st;
	int err = 0;

	st = kvcalloc(plan->nr, sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	for (i = 0; i < plan->nr; i++)
		bench_stats_init(&st[i], cs);
	nr = st[0].nr_allocs;
	for (rep = 0; rep <= reps && !err; rep++) {
		for (i = 0; i < plan->nr && !err; i++) {
			set = &bench_init_settings[plan->set[i]];
			bench_init_switch(set->on_alloc, set->on_free);
			for (a = 0; a < nr; a++) {
				r->c = &cs[a];
				r->err = 0;
				r->rounds = max(1UL, rounds / 16);
				fns[cs[a].alloc->kind](r);
				r->rounds = rounds;
				memset(&r->t, 0, sizeof(r->t));
				if (!r->err)
					fns[cs[a].alloc->kind](r);
				err = r->err;
				if (err)
					break;
				if (rep)
					bench_record(&st[i], a, rep - 1, &r->t);
			}
			bench_init_switch(plan->boot_alloc, plan->boot_free);
			if (err)
				pr_err("init %s %s size %u %s: %s failed (%d)\n",
				       pattern, param, objsize, set->name,
				       cs[a].name, err);
			cond_resched();
		}
	}
	r->rounds = rounds;
	for (i = 0; i < plan->nr; i++)
		st[i].nr = reps;
	if (!err)
		bench_init_print(pattern, param, objsize, plan, st);
	kvfree(st);
	return err;
}

/* Reuse, then batch @init_batch FIFO, at @objsize bytes. */
static int bench_init_size(const struct bench_init_plan *plan,
			   unsigned int objsize)
{
	static const struct bench_alloc allocs[] = {
		{ .name = "kernel", .kind = BENCH_KERNEL },
		{ .name = "slab", .kind = BENCH_MSLAB,
		  .front_end = MSLAB_FRONT_SLAB },
		{ .name = "sheaves", .kind = BENCH_MSLAB,
		  .front_end = MSLAB_FRONT_SHEAVES },
	};
	struct bench_cache cs[BENCH_MAX_ALLOCS];
	struct bench_run r = { .rounds = loops, .batch = 1 };
	char param[16];
	int err;

	err = bench_caches_create_of(cs, allocs, ARRAY_SIZE(allocs), objsize);
	if (err)
		return err;
	err = bench_init_measure("reuse", "1", objsize, plan, cs, &r,
				 bench_reuse_fns);
	if (!err) {
		r.batch = init_batch;
		r.rounds = bench_rounds(init_batch);
		r.ptrs = kvmalloc_array(init_batch, sizeof(*r.ptrs),
					GFP_KERNEL);
		err = -ENOMEM;
		snprintf(param, sizeof(param), "%u", init_batch);
		if (r.ptrs)
			err = bench_init_measure("batch-fifo", param, objsize,
						 plan, cs, &r, bench_fifo_fns);
		kvfree(r.ptrs);
	}
	bench_caches_destroy(cs);
	return err;
}

/*
 * The cost of init_on_alloc and init_on_free, same boot: the kernel's cache
 * and mslab's of both front ends with the keys both off and under each
 * setting of @init_settings, then the boot's values back.
 *
 * A boot with init_on_free=1 is left alone: while init_on_free is on, the
 * page allocator hands out pages without clearing them even for
 * __GFP_ZERO, trusting that every free page was cleared when freed, so
 * pages freed while this had switched it off would stay dirty for the
 * rest of the boot. Switching it on from a boot's 0 has the same hole
 * while it is on (pages freed before are not clear): hence the short
 * windows of bench_init_measure(), which never allocate pages themselves
 * but for the caches' slabs (never __GFP_ZERO), and the option to leave
 * the free settings out (@init_settings).
 */
static int bench_init(void)
{
	struct bench_init_plan plan = { };
	const char *why = bench_init_free_unsafe();
	bool skipped = false, on_alloc, on_free;
	char names[32] = "";
	unsigned int i;
	int err = 0;

	plan.boot_alloc = bench_init_alloc_on();
	plan.boot_free = bench_init_free_on();
	if (plan.boot_free) {
		pr_info("init: skipped: the boot has init_on_free=1, which must not be switched off (pages freed meanwhile would stay dirty for __GFP_ZERO)\n");
		return 0;
	}
	plan.set[plan.nr++] = 0;
	for (i = 1; i < BENCH_INIT_SETTINGS; i++) {
		if (!bench_in_list(init_settings, bench_init_settings[i].name))
			continue;
		if (bench_init_settings[i].on_free && why) {
			skipped = true;
			continue;
		}
		plan.set[plan.nr++] = i;
	}
	if (skipped)
		pr_info("init: the settings with init_on_free skipped: %s\n",
			why);
	if (plan.nr < 2) {
		pr_info("init: skipped: no setting to time against off\n");
		return 0;
	}
	for (i = 0; i < plan.nr; i++) {
		if (i)
			strlcat(names, ",", sizeof(names));
		strlcat(names, bench_init_settings[plan.set[i]].name,
			sizeof(names));
	}
	pr_info("init: boot init_on_alloc=%d init_on_free=%d; settings %s\n",
		plan.boot_alloc, plan.boot_free, names);
	for (i = 0; i < nr_init_sizes && !err; i++)
		err = bench_init_size(&plan, init_sizes[i]);
	/* bench_init_measure() switched back after every setting; check. */
	bench_init_switch(plan.boot_alloc, plan.boot_free);
	on_alloc = bench_init_alloc_on();
	on_free = bench_init_free_on();
	if (on_alloc != plan.boot_alloc || on_free != plan.boot_free) {
		pr_err("init: init_on_alloc=%d init_on_free=%d, not the boot's %d %d\n",
		       on_alloc, on_free, plan.boot_alloc, plan.boot_free);
		return -EIO;
	}
	pr_info("init: restored the boot's init_on_alloc=%d init_on_free=%d\n",
		on_alloc, on_free);
	return err;
}

/* --- SMP patterns -------------------------------------------------------- */

/*
 * Single-producer single-consumer ring of objects. head is written by the
 * producer only, tail by the consumer only; each publishes with a release
 * and reads the other's with an acquire. abort tells the consumer that the
 * producer stopped early.
 */
struct bench_ring {
	unsigned long head ____cacheline_aligned_in_smp;
	unsigned long tail ____cacheline_aligned_in_smp;
	bool abort;
	void *slot[BENCH_RING_SIZE] ____cacheline_aligned_in_smp;
};

/* The state shared by the threads of one timed SMP round. */
struct bench_smp {
	struct bench_cache *c;
	unsigned long ops;
	unsigned int batch;
	struct bench_ring *ring;
	struct completion start;
	struct completion done[BENCH_MAX_THREADS];
	atomic_t errors;
	/* allcpu: each thread's own loop */
	struct bench_run runs[BENCH_MAX_THREADS];
};

static void bench_spin(unsigned int *spins)
{
	cpu_relax();
	if (++*spins % BENCH_SPIN_RESCHED == 0)
		cond_resched();
}

static __always_inline void bench_body_produce(struct bench_smp *x,
					       const enum bench_kind kind)
{
	struct bench_ring *ring = x->ring;
	unsigned long head = 0;
	unsigned int spins = 0;
	void *p;

	for (head = 0; head < x->ops; head++) {
		p = bench_alloc(x->c, kind);
		if (unlikely(!p)) {
			atomic_inc(&x->errors);
			WRITE_ONCE(ring->abort, true);
			return;
		}
		/* Pairs with the consumer's release: its slot reads are done. */
		while (head - smp_load_acquire(&ring->tail) >= BENCH_RING_SIZE)
			bench_spin(&spins);
		ring->slot[head % BENCH_RING_SIZE] = p;
		/* Publishes the slot; pairs with the consumer's acquire. */
		smp_store_release(&ring->head, head + 1);
	}
}

static __always_inline void bench_body_consume(struct bench_smp *x,
					       const enum bench_kind kind)
{
	struct bench_ring *ring = x->ring;
	unsigned long head, tail = 0;
	unsigned int spins = 0;

	while (tail < x->ops) {
		/* Pairs with the producer's release: slots up to head are set. */
		head = smp_load_acquire(&ring->head);
		if (head == tail) {
			if (READ_ONCE(ring->abort)) {
				/* Nothing published since: pairs as above. */
				if (smp_load_acquire(&ring->head) == tail)
					break;
			}
			bench_spin(&spins);
			continue;
		}
		for (; tail < head; tail++)
			bench_free(x->c, kind, ring->slot[tail % BENCH_RING_SIZE]);
		/* Hands the slots back; pairs with the producer's acquire. */
		smp_store_release(&ring->tail, tail);
	}
}

static noinline void bench_produce_kernel(struct bench_smp *x)
{
	bench_body_produce(x, BENCH_KERNEL);
}

static noinline void bench_produce_mslab(struct bench_smp *x)
{
	bench_body_produce(x, BENCH_MSLAB);
}

static noinline void bench_consume_kernel(struct bench_smp *x)
{
	bench_body_consume(x, BENCH_KERNEL);
}

static noinline void bench_consume_mslab(struct bench_smp *x)
{
	bench_body_consume(x, BENCH_MSLAB);
}

static int bench_producer_fn(void *data)
{
	struct bench_smp *x = data;

	wait_for_completion(&x->start);
	if (x->c->alloc->kind == BENCH_KERNEL)
		bench_produce_kernel(x);
	else
		bench_produce_mslab(x);
	kthread_complete_and_exit(&x->done[0], 0);
}

static int bench_consumer_fn(void *data)
{
	struct bench_smp *x = data;

	wait_for_completion(&x->start);
	if (x->c->alloc->kind == BENCH_KERNEL)
		bench_consume_kernel(x);
	else
		bench_consume_mslab(x);
	kthread_complete_and_exit(&x->done[1], 0);
}

/* The allcpu threads: index i runs x->runs[i] on its own CPU. */
struct bench_smp_thread {
	struct bench_smp *x;
	unsigned int idx;
};

static struct bench_smp_thread bench_threads[BENCH_MAX_THREADS];

static int bench_allcpu_fn(void *data)
{
	struct bench_smp_thread *th = data;
	struct bench_smp *x = th->x;
	struct bench_run *r = &x->runs[th->idx];

	wait_for_completion(&x->start);
	bench_fifo_fns[x->c->alloc->kind](r);
	if (r->err)
		atomic_inc(&x->errors);
	kthread_complete_and_exit(&x->done[th->idx], 0);
}

/* Start @fn on @cpu, waiting for x->start; NULL on failure. */
static struct task_struct *bench_thread(int (*fn)(void *), void *data,
					unsigned int cpu, const char *what)
{
	struct task_struct *t;

	t = kthread_create(fn, data, "mslab_bench/%s%u", what, cpu);
	if (IS_ERR(t))
		return NULL;
	kthread_bind(t, cpu);
	wake_up_process(t);
	return t;
}

/* One timed remote round: producer on @pcpu, consumer on @ccpu. */
static int bench_remote_round(struct bench_smp *x, unsigned int pcpu,
			      unsigned int ccpu, struct bench_time *t)
{
	unsigned int started = 0;

	memset(x->ring, 0, sizeof(*x->ring));
	init_completion(&x->start);
	init_completion(&x->done[0]);
	init_completion(&x->done[1]);
	atomic_set(&x->errors, 0);
	if (bench_thread(bench_producer_fn, x, pcpu, "p"))
		started |= 1;
	if (bench_thread(bench_consumer_fn, x, ccpu, "c"))
		started |= 2;
	if (started != 3) {
		/* A lone thread must not wait for its partner. */
		WRITE_ONCE(x->ring->abort, true);
		x->ops = 0;
	}
	bench_clock_start(t);
	complete_all(&x->start);
	if (started & 1)
		wait_for_completion(&x->done[0]);
	if (started & 2)
		wait_for_completion(&x->done[1]);
	bench_clock_stop(t);
	t->ops = x->ops;
	if (started != 3 || atomic_read(&x->errors))
		return -ENOMEM;
	return 0;
}

static int bench_remote_pair(struct bench_cache *cs, unsigned int pcpu,
			     unsigned int ccpu)
{
	struct bench_stats *st;
	struct bench_smp *x;
	struct bench_time t;
	unsigned int rep, a;
	char param[16];
	int err = -ENOMEM;

	st = kzalloc(sizeof(*st), GFP_KERNEL);
	x = kzalloc(sizeof(*x), GFP_KERNEL);
	if (x)
		x->ring = kzalloc(sizeof(*x->ring), GFP_KERNEL);
	if (!st || !x || !x->ring)
		goto out;
	bench_stats_init(st, cs);
	err = 0;
	for (rep = 0; rep <= reps && !err; rep++) {
		for (a = 0; a < nr_bench_allocs && !err; a++) {
			x->c = &cs[a];
			x->ops = remote_loops ?: max(1000U, loops / 10);
			err = bench_remote_round(x, pcpu, ccpu, &t);
			if (err)
				pr_err("remote %u>%u: %s failed\n", pcpu, ccpu,
				       cs[a].name);
			else if (rep)
				bench_record(st, a, rep - 1, &t);
			cond_resched();
		}
	}
	st->nr = reps;
	snprintf(param, sizeof(param), "%u>%u", pcpu, ccpu);
	if (!err)
		bench_print("remote", param, size, st);
out:
	if (x)
		kfree(x->ring);
	kfree(x);
	kfree(st);
	return err;
}

/*
 * Producer on the first online CPU; consumers on the next CPU of its node
 * and on the first CPU of another node, where there are.
 */
static int bench_remote(void)
{
	struct bench_cache cs[BENCH_MAX_ALLOCS];
	unsigned int p, cpu, same = nr_cpu_ids, other = nr_cpu_ids;
	int err;

	if (num_online_cpus() < 2) {
		pr_info("remote: skipped, one CPU\n");
		return 0;
	}
	p = cpumask_first(cpu_online_mask);
	for_each_online_cpu(cpu) {
		if (cpu == p)
			continue;
		if (cpu_to_node(cpu) == cpu_to_node(p)) {
			if (same == nr_cpu_ids)
				same = cpu;
		} else if (other == nr_cpu_ids) {
			other = cpu;
		}
	}
	err = bench_caches_create(cs, size);
	if (err)
		return err;
	if (same < nr_cpu_ids)
		err = bench_remote_pair(cs, p, same);
	if (!err && other < nr_cpu_ids)
		err = bench_remote_pair(cs, p, other);
	bench_caches_destroy(cs);
	return err;
}

/* One timed allcpu round; @t gets the mean of the CPUs' own times. */
static int bench_allcpu_round(struct bench_smp *x, struct bench_time *t)
{
	unsigned int cpu, i, n = 0, started = 0;
	struct bench_run *r;

	init_completion(&x->start);
	atomic_set(&x->errors, 0);
	for_each_online_cpu(cpu) {
		if (n == BENCH_MAX_THREADS)
			break;
		r = &x->runs[n];
		r->c = x->c;
		r->err = 0;
		memset(&r->t, 0, sizeof(r->t));
		init_completion(&x->done[n]);
		bench_threads[n].x = x;
		bench_threads[n].idx = n;
		if (!bench_thread(bench_allcpu_fn, &bench_threads[n], cpu,
				  "a")) {
			atomic_inc(&x->errors);
			break;
		}
		n++;
	}
	started = n;
	complete_all(&x->start);
	memset(t, 0, sizeof(*t));
	for (i = 0; i < started; i++) {
		wait_for_completion(&x->done[i]);
		t->ns += x->runs[i].t.ns;
		t->cycles += x->runs[i].t.cycles;
		t->ops += x->runs[i].t.ops;
	}
	/* Mean per-CPU time per pair: total time over total pairs. */
	return atomic_read(&x->errors) ? -ENOMEM : 0;
}

static int bench_allcpu(void)
{
	struct bench_cache cs[BENCH_MAX_ALLOCS];
	unsigned int rep, a, i, ncpu;
	struct bench_stats *st;
	struct bench_smp *x;
	struct bench_time t;
	char param[16];
	int err = -ENOMEM;

	ncpu = min_t(unsigned int, num_online_cpus(), BENCH_MAX_THREADS);
	if (ncpu < 2) {
		pr_info("allcpu: skipped, one CPU\n");
		return 0;
	}
	st = kzalloc(sizeof(*st), GFP_KERNEL);
	x = kvzalloc(sizeof(*x), GFP_KERNEL);
	if (!st || !x)
		goto out;
	x->batch = allcpu_batch;
	for (i = 0; i < ncpu; i++) {
		x->runs[i].batch = allcpu_batch;
		x->runs[i].rounds = bench_rounds(allcpu_batch);
		x->runs[i].ptrs = kvmalloc_array(allcpu_batch,
						 sizeof(void *), GFP_KERNEL);
		if (!x->runs[i].ptrs)
			goto out;
	}
	err = bench_caches_create(cs, size);
	if (err)
		goto out;
	bench_stats_init(st, cs);
	for (rep = 0; rep <= reps && !err; rep++) {
		for (a = 0; a < nr_bench_allocs && !err; a++) {
			x->c = &cs[a];
			err = bench_allcpu_round(x, &t);
			if (err)
				pr_err("allcpu: %s failed\n", cs[a].name);
			else if (rep)
				bench_record(st, a, rep - 1, &t);
			cond_resched();
		}
	}
	bench_caches_destroy(cs);
	st->nr = reps;
	snprintf(param, sizeof(param), "%ux%u", allcpu_batch, ncpu);
	if (!err)
		bench_print("allcpu", param, size, st);
out:
	if (x)
		for (i = 0; i < BENCH_MAX_THREADS; i++)
			kvfree(x->runs[i].ptrs);
	kvfree(x);
	kfree(st);
	return err;
}

/* --- memory: the debugfs control file ------------------------------------ */

/* The one cache under memory measurement; all under bench_mem_lock. */
static struct {
	struct bench_cache c;
	void **objs;
	unsigned int *perm;
	unsigned int count;
	unsigned int live;
	bool active;
} bench_mem;

static DEFINE_MUTEX(bench_mem_lock);
static struct dentry *bench_debugfs;

static void bench_mem_free_all(void)
{
	unsigned int i;

	for (i = 0; i < bench_mem.count; i++) {
		if (!bench_mem.objs[i])
			continue;
		if (bench_mem.c.k)
			kmem_cache_free(bench_mem.c.k, bench_mem.objs[i]);
		else
			mslab_cache_free(bench_mem.c.m, bench_mem.objs[i]);
		bench_mem.objs[i] = NULL;
	}
	bench_mem.live = 0;
}

static void bench_mem_del(void)
{
	if (!bench_mem.active)
		return;
	bench_mem_free_all();
	bench_cache_destroy(&bench_mem.c);
	kvfree(bench_mem.objs);
	kvfree(bench_mem.perm);
	bench_mem.objs = NULL;
	bench_mem.perm = NULL;
	bench_mem.count = 0;
	bench_mem.active = false;
}

static const struct bench_alloc *bench_alloc_by_name(const char *name)
{
	unsigned int a;

	for (a = 0; a < nr_bench_allocs; a++)
		if (!strcmp(bench_allocs[a].name, name))
			return &bench_allocs[a];
	return NULL;
}

static int bench_mem_new(const char *name, unsigned int objsize,
			 unsigned int count)
{
	const struct bench_alloc *a = bench_alloc_by_name(name);
	int err;

	if (!a || !objsize || !count || count > 10000000)
		return -EINVAL;
	bench_mem_del();
	bench_mem.objs = kvcalloc(count, sizeof(void *), GFP_KERNEL);
	bench_mem.perm = kvmalloc_array(count, sizeof(unsigned int),
					GFP_KERNEL);
	if (!bench_mem.objs || !bench_mem.perm) {
		err = -ENOMEM;
		goto fail;
	}
	err = bench_cache_create(&bench_mem.c, a, "m", objsize);
	if (err)
		goto fail;
	bench_mem.count = count;
	bench_mem.live = 0;
	bench_mem.active = true;
	return 0;
fail:
	kvfree(bench_mem.objs);
	kvfree(bench_mem.perm);
	bench_mem.objs = NULL;
	bench_mem.perm = NULL;
	return err;
}

static int bench_mem_fill(void)
{
	unsigned int i;
	void *p;

	for (i = 0; i < bench_mem.count; i++) {
		if (bench_mem.objs[i])
			continue;
		if (bench_mem.c.k)
			p = kmem_cache_alloc_noprof(bench_mem.c.k, GFP_KERNEL);
		else
			p = mslab_cache_alloc(bench_mem.c.m, GFP_KERNEL);
		if (!p)
			return -ENOMEM;
		bench_mem.objs[i] = p;
		bench_mem.live++;
		if (i % 4096 == 0)
			cond_resched();
	}
	return 0;
}

/* Free a random half, the same indices for every allocator. */
static void bench_mem_half(void)
{
	struct rnd_state rnd;
	unsigned int i, idx;

	prandom_seed_state(&rnd, BENCH_SEED);
	bench_shuffle(bench_mem.perm, bench_mem.count, &rnd);
	for (i = 0; i < bench_mem.count / 2; i++) {
		idx = bench_mem.perm[i];
		if (!bench_mem.objs[idx])
			continue;
		if (bench_mem.c.k)
			kmem_cache_free(bench_mem.c.k, bench_mem.objs[idx]);
		else
			mslab_cache_free(bench_mem.c.m, bench_mem.objs[idx]);
		bench_mem.objs[idx] = NULL;
		bench_mem.live--;
	}
}

static int bench_mem_command(char *cmd)
{
	unsigned int objsize, count;
	char name[BENCH_ALLOC_NAME_LEN];

	if (sscanf(cmd, "new %15s %u %u", name, &objsize, &count) == 3)
		return bench_mem_new(name, objsize, count);
	if (!bench_mem.active)
		return -ENOENT;
	if (!strcmp(cmd, "fill"))
		return bench_mem_fill();
	if (!strcmp(cmd, "half")) {
		bench_mem_half();
		return 0;
	}
	if (!strcmp(cmd, "shrink")) {
		bench_cache_shrink(&bench_mem.c);
		return 0;
	}
	if (!strcmp(cmd, "del")) {
		bench_mem_del();
		return 0;
	}
	return -EINVAL;
}

static ssize_t bench_mem_write(struct file *file, const char __user *ubuf,
			       size_t len, loff_t *ppos)
{
	char buf[64];
	int err;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	mutex_lock(&bench_mem_lock);
	err = bench_mem_command(strim(buf));
	mutex_unlock(&bench_mem_lock);
	return err ? err : len;
}

static int bench_mem_show(struct seq_file *seq, void *v)
{
	unsigned int a;

	seq_puts(seq, "allocators:");
	for (a = 0; a < nr_bench_allocs; a++)
		seq_printf(seq, " %s", bench_allocs[a].name);
	seq_putc(seq, '\n');
	mutex_lock(&bench_mem_lock);
	if (bench_mem.active) {
		seq_printf(seq, "cache: %s\n", bench_mem.c.name);
		seq_printf(seq, "sysfs: %s\n", bench_mem.c.sysfs);
		seq_printf(seq, "count: %u\n", bench_mem.count);
		seq_printf(seq, "live: %u\n", bench_mem.live);
	}
	mutex_unlock(&bench_mem_lock);
	return 0;
}

DEFINE_SHOW_STORE_ATTRIBUTE(bench_mem);

/* An allocator's name: letters, digits and '_', not "kernel". */
static bool bench_name_ok(const char *name)
{
	size_t i;

	if (!name)
		return false;
	for (i = 0; name[i]; i++)
		if (!isalnum(name[i]) && name[i] != '_')
			return false;
	return i && i < BENCH_ALLOC_NAME_LEN && strcmp(name, "kernel");
}

/* --- A/B of mslab's module parameters: the debugfs control file ab ------- */

/*
 * mslab caches created one at a time from the shell, each under mslab's
 * module parameters of that moment (hardened, random_freelist: read at
 * creation), then timed together with the kernel's, A B C ...; all under
 * bench_ab_lock. bench_ab.allocs[0] and bench_ab.cs[0] are the kernel's.
 */
static struct {
	struct bench_alloc allocs[BENCH_MAX_ALLOCS];
	struct bench_cache cs[BENCH_MAX_ALLOCS];
	unsigned int nr;
} bench_ab;

static DEFINE_MUTEX(bench_ab_lock);

static const unsigned int bench_ab_batches[] = { 100, 1000 };

static int bench_ab_clear(void)
{
	bench_caches_destroy(bench_ab.cs);
	memset(&bench_ab, 0, sizeof(bench_ab));
	return 0;
}

/* "add NAME": NAME's mslab cache of @size bytes, the kernel's with the first. */
static int bench_ab_add(const char *name)
{
	struct bench_alloc *a;
	unsigned int i;
	int err;

	if (!bench_name_ok(name))
		return -EINVAL;
	for (i = 0; i < bench_ab.nr; i++)
		if (!strcmp(bench_ab.allocs[i].name, name))
			return -EEXIST;
	if (bench_ab.nr == BENCH_MAX_ALLOCS)
		return -ENOSPC;
	if (!bench_ab.nr) {
		a = &bench_ab.allocs[0];
		strscpy(a->name, "kernel", sizeof(a->name));
		a->kind = BENCH_KERNEL;
		err = bench_cache_create(&bench_ab.cs[0], a, "ab", size);
		if (err) {
			bench_ab_clear();
			return err;
		}
		bench_ab.nr = 1;
	}
	a = &bench_ab.allocs[bench_ab.nr];
	strscpy(a->name, name, sizeof(a->name));
	a->kind = BENCH_MSLAB;
	if (!strncmp(name, "sheaves", 7))
		a->front_end = MSLAB_FRONT_SHEAVES;
	else if (!strncmp(name, "slab", 4))
		a->front_end = MSLAB_FRONT_SLAB;
	else
		a->front_end = MSLAB_FRONT_DEFAULT;
	err = bench_cache_create(&bench_ab.cs[bench_ab.nr], a, "ab", size);
	if (err) {
		memset(&bench_ab.cs[bench_ab.nr], 0, sizeof(bench_ab.cs[0]));
		memset(a, 0, sizeof(*a));
		return err;
	}
	bench_ab.nr++;
	return 0;
}

/* "run": reuse and batch FIFO on every cache added, then destroy them. */
static int bench_ab_run(void)
{
	struct bench_run r = { .rounds = loops, .batch = 1 };
	char param[16];
	unsigned int i;
	int err;

	if (bench_ab.nr < 2)
		return -ENOENT;
	err = bench_measure("ab-reuse", "1", size, bench_ab.cs, &r,
			    bench_reuse_fns);
	for (i = 0; i < ARRAY_SIZE(bench_ab_batches) && !err; i++) {
		snprintf(param, sizeof(param), "%u", bench_ab_batches[i]);
		err = bench_batch_on(bench_ab.cs, bench_fifo_fns, size,
				     bench_ab_batches[i], false, loops,
				     "ab-batch-fifo", param);
	}
	bench_ab_clear();
	return err;
}

static ssize_t bench_ab_write(struct file *file, const char __user *ubuf,
			      size_t len, loff_t *ppos)
{
	char buf[64], name[BENCH_ALLOC_NAME_LEN], *cmd;
	int err = -EINVAL;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	cmd = strim(buf);
	mutex_lock(&bench_ab_lock);
	if (sscanf(cmd, "add %15s", name) == 1)
		err = bench_ab_add(name);
	else if (!strcmp(cmd, "run"))
		err = bench_ab_run();
	else if (!strcmp(cmd, "clear"))
		err = bench_ab_clear();
	mutex_unlock(&bench_ab_lock);
	return err ? err : len;
}

static int bench_ab_show(struct seq_file *seq, void *v)
{
	unsigned int a;

	seq_puts(seq, "caches:");
	mutex_lock(&bench_ab_lock);
	for (a = 0; a < bench_ab.nr; a++)
		seq_printf(seq, " %s", bench_ab.cs[a].name);
	mutex_unlock(&bench_ab_lock);
	seq_putc(seq, '\n');
	return 0;
}

DEFINE_SHOW_STORE_ATTRIBUTE(bench_ab);

/* --- set-up -------------------------------------------------------------- */

/* Fill bench_allocs from @variants: the kernel first, then the variants. */
static int bench_parse_variants(void)
{
	unsigned int flags, capacity;
	char *buf, *s, *tok, *fl;
	struct bench_alloc *a;
	int err = 0;

	a = &bench_allocs[0];
	strscpy(a->name, "kernel", sizeof(a->name));
	a->kind = BENCH_KERNEL;
	nr_bench_allocs = 1;

	buf = kstrdup(variants ? variants : "", GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	s = buf;
	while ((tok = strsep(&s, ",")) != NULL) {
		tok = strim(tok);
		if (!*tok)
			continue;
		flags = 0;
		capacity = 0;
		fl = strchr(tok, ':');
		if (fl) {
			*fl++ = '\0';
			if (sscanf(fl, "%x:%u", &flags, &capacity) < 1 &&
			    sscanf(fl, ":%u", &capacity) < 1) {
				pr_err("variants: bad \"%s\"\n", fl);
				err = -EINVAL;
				break;
			}
		}
		if (!bench_name_ok(tok) || bench_alloc_by_name(tok)) {
			pr_err("variants: bad or repeated name \"%s\"\n", tok);
			err = -EINVAL;
			break;
		}
		if (nr_bench_allocs == BENCH_MAX_VARIANTS + 1) {
			pr_err("variants: at most %d\n", BENCH_MAX_VARIANTS);
			err = -EINVAL;
			break;
		}
		a = &bench_allocs[nr_bench_allocs++];
		strscpy(a->name, tok, sizeof(a->name));
		a->kind = BENCH_MSLAB;
		a->flags = (__force slab_flags_t)flags;
		a->sheaf_capacity = capacity;
		if (!strncmp(tok, "sheaves", 7))
			a->front_end = MSLAB_FRONT_SHEAVES;
		else if (!strncmp(tok, "slab", 4))
			a->front_end = MSLAB_FRONT_SLAB;
		else
			a->front_end = MSLAB_FRONT_DEFAULT;
	}
	kfree(buf);
	if (!err && nr_bench_allocs < 2) {
		pr_err("variants: no mslab variant\n");
		err = -EINVAL;
	}
	return err;
}

static const char *bench_preempt_model(void)
{
	if (preempt_model_full())
		return "full";
	if (preempt_model_voluntary())
		return "voluntary";
	return "none";
}

static void bench_print_env(void)
{
	pr_info("env: cpus=%u nodes=%u cycles=%s preempt=%s hz=%d freelist_hardened=%d freelist_random=%d kfence=%d init_on_alloc=%d init_on_free=%d loops=%u reps=%u size=%u align=%u flags=%#x\n",
		num_online_cpus(), num_online_nodes(),
		get_cycles() ? "yes" : "no", bench_preempt_model(), HZ,
		IS_ENABLED(CONFIG_SLAB_FREELIST_HARDENED),
		IS_ENABLED(CONFIG_SLAB_FREELIST_RANDOM),
		IS_ENABLED(CONFIG_KFENCE), want_init_on_alloc(GFP_KERNEL),
		want_init_on_free(), loops, reps, size, align, cache_flags);
}

static const struct {
	const char *name;
	int (*run)(void);
} bench_patterns[] = {
	{ "reuse", bench_reuse },
	{ "batch", bench_batches_all },
	{ "worst", bench_worst },
	{ "sweep", bench_sweep },
	{ "kmalloc", bench_kmalloc },
	{ "bulk", bench_bulk },
	{ "debug", bench_debug },
	{ "init", bench_init },
	{ "remote", bench_remote },
	{ "allcpu", bench_allcpu },
};

static bool bench_selected(const char *name)
{
	if (patterns && !strcmp(patterns, "all"))
		return true;
	return bench_in_list(patterns, name);
}

static int bench_check_params(void)
{
	unsigned int i, n = 0;

	if (loops < 1000 || !reps || reps > BENCH_MAX_REPS || !size ||
	    !sweep_batch || sweep_batch > BENCH_MAX_BATCH || !worst_batch ||
	    worst_batch > BENCH_MAX_BATCH || !allcpu_batch ||
	    allcpu_batch > BENCH_MAX_BATCH || !debug_batch ||
	    debug_batch > BENCH_MAX_BATCH ||
	    (debug_loops && debug_loops < 1000)) {
		pr_err("bad parameters: loops and debug_loops >= 1000, 1 <= reps <= %d, batches 1..%d\n",
		       BENCH_MAX_REPS, BENCH_MAX_BATCH);
		return -EINVAL;
	}
	for (i = 0; i < nr_debug_sizes; i++) {
		if (!debug_sizes[i]) {
			pr_err("bad debug size 0\n");
			return -EINVAL;
		}
	}
	for (i = 0; i < nr_init_sizes; i++) {
		if (!init_sizes[i]) {
			pr_err("bad init size 0\n");
			return -EINVAL;
		}
	}
	if (!init_batch || init_batch > BENCH_MAX_BATCH) {
		pr_err("bad init_batch %u: 1..%d\n", init_batch,
		       BENCH_MAX_BATCH);
		return -EINVAL;
	}
	if (bench_init_settings_bad())
		return -EINVAL;
	for (i = 0; i < nr_bulk_sizes; i++) {
		if (!bulk_sizes[i] || bulk_sizes[i] > BENCH_MAX_BULK) {
			pr_err("bad bulk size %u: 1..%d\n", bulk_sizes[i],
			       BENCH_MAX_BULK);
			return -EINVAL;
		}
	}
	if (!bench_name_ok(kmalloc_front)) {
		pr_err("bad kmalloc_front \"%s\"\n", kmalloc_front);
		return -EINVAL;
	}
	for (i = 0; i < ARRAY_SIZE(bench_patterns); i++)
		n += bench_selected(bench_patterns[i].name);
	if (patterns && *patterns && !n) {
		pr_err("no known pattern in \"%s\"\n", patterns);
		return -EINVAL;
	}
	return 0;
}

static int __init mslab_bench_init(void)
{
	unsigned int i;
	int err;

	err = bench_check_params();
	if (!err)
		err = bench_parse_variants();
	if (!err)
		err = bench_parse_debug_flags();
	if (err)
		return err;
	bench_print_env();
	for (i = 0; i < ARRAY_SIZE(bench_patterns); i++) {
		if (!bench_selected(bench_patterns[i].name))
			continue;
		err = bench_patterns[i].run();
		if (err) {
			pr_err("%s failed (%d)\n", bench_patterns[i].name, err);
			return err;
		}
	}
	pr_info("timing done\n");
	bench_debugfs = debugfs_create_dir("mslab_bench", NULL);
	debugfs_create_file("mem", 0600, bench_debugfs, NULL, &bench_mem_fops);
	debugfs_create_file("ab", 0600, bench_debugfs, NULL, &bench_ab_fops);
	return 0;
}

static void __exit mslab_bench_exit(void)
{
	debugfs_remove_recursive(bench_debugfs);
	mutex_lock(&bench_mem_lock);
	bench_mem_del();
	mutex_unlock(&bench_mem_lock);
	mutex_lock(&bench_ab_lock);
	bench_ab_clear();
	mutex_unlock(&bench_ab_lock);
}

module_init(mslab_bench_init);
module_exit(mslab_bench_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("mslab benchmark: the same test bodies against the kernel's SLUB and mslab caches");
