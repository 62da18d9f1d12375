// SPDX-License-Identifier: GPL-2.0
/*
 * mslab_bench: mslab against the kernel's own SLUB, in the same boot.
 *
 * Loading the module runs the timing patterns named by @patterns and prints
 * one table row and one CSV line per pattern and allocator; its debugfs file
 * /sys/kernel/debug/mslab_bench/mem then drives the memory measurement, one
 * cache at a time, so that a shell can read the cache's sysfs directory
 * between the phases. bench/run.sh runs it under UML and in QEMU,
 * bench/bench.sh inside the guest; Documentation/bench.rst has
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

#include "mslab_bench.h"

char *patterns = "all";
module_param(patterns, charp, 0444);
MODULE_PARM_DESC(patterns, "Timing patterns to run at load: reuse,batch,worst,sweep,kmalloc,bulk,debug,init,remote,allcpu, \"all\" or \"\" (default all)");

unsigned int loops = 1000000;
module_param(loops, uint, 0444);
MODULE_PARM_DESC(loops, "Alloc+free pairs per timed loop, at least 1000 (default 1000000)");

unsigned int reps = 5;
module_param(reps, uint, 0444);
MODULE_PARM_DESC(reps, "Timed rounds per pattern and allocator, after one warm-up round (default 5)");

unsigned int size = 64;
module_param(size, uint, 0444);
MODULE_PARM_DESC(size, "Object size of every pattern but the sweep (default 64)");

static unsigned int align;
module_param(align, uint, 0444);
MODULE_PARM_DESC(align, "Alignment of the caches (default 0)");

static unsigned int cache_flags;
module_param(cache_flags, uint, 0444);
MODULE_PARM_DESC(cache_flags, "SLAB_* flags of both caches, e.g. 0x2000 for SLAB_HWCACHE_ALIGN (default 0)");

char *variants = "mslab";
module_param(variants, charp, 0444);
MODULE_PARM_DESC(variants, "mslab variants, \"name[:flags[:capacity]]\" comma-separated; names sheaves* and slab* pick that front end (default mslab)");

unsigned int sweep_sizes[16] = {
	8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192,
};

unsigned int nr_sweep_sizes = 13;
module_param_array(sweep_sizes, uint, &nr_sweep_sizes, 0444);
MODULE_PARM_DESC(sweep_sizes, "Object sizes of the sweep (default 8,16,...,8192)");

unsigned int sweep_batch = 100;
module_param(sweep_batch, uint, 0444);
MODULE_PARM_DESC(sweep_batch, "Batch of the sweep (default 100)");

char *kmalloc_front = "mslab";
module_param(kmalloc_front, charp, 0444);
MODULE_PARM_DESC(kmalloc_front, "Name of the mslab row of the kmalloc pattern: the front end mslab's sheaves parameter gives its kmalloc caches, slab or sheaves (default mslab)");

unsigned int bulk_sizes[16] = {
	1, 2, 4, 8, 16, 30, 32, 64, 128, 158, 250,
};

unsigned int nr_bulk_sizes = 11;
module_param_array(bulk_sizes, uint, &nr_bulk_sizes, 0444);
MODULE_PARM_DESC(bulk_sizes, "Objects per bulk call of the bulk pattern (default 1,2,4,8,16,30,32,64,128,158,250)");

unsigned int worst_batch = 1024;
module_param(worst_batch, uint, 0444);
MODULE_PARM_DESC(worst_batch, "Objects per round of the worst-order pattern (default 1024)");

unsigned int remote_loops;
module_param(remote_loops, uint, 0444);
MODULE_PARM_DESC(remote_loops, "Objects per timed remote round; 0: loops / 10, at least 1000 (default 0)");

unsigned int allcpu_batch = 100;
module_param(allcpu_batch, uint, 0444);
MODULE_PARM_DESC(allcpu_batch, "Batch each CPU runs in the allcpu pattern (default 100)");

char *debug_flags = "none,F,Z,P,U,FZPU";
module_param(debug_flags, charp, 0444);
MODULE_PARM_DESC(debug_flags, "Flag sets of the debug pattern in SLUB's letters (F consistency checks, Z red zone, P poison, U store user; \"none\" or \"-\": none), comma-separated (default none,F,Z,P,U,FZPU)");

unsigned int debug_sizes[8] = { 256, 64 };
unsigned int nr_debug_sizes = 2;
module_param_array(debug_sizes, uint, &nr_debug_sizes, 0444);
MODULE_PARM_DESC(debug_sizes, "Object sizes of the debug pattern (default 256,64)");

unsigned int debug_batch = 100;
module_param(debug_batch, uint, 0444);
MODULE_PARM_DESC(debug_batch, "Batch of the debug pattern's FIFO rows (default 100)");

unsigned int debug_loops;
module_param(debug_loops, uint, 0444);
MODULE_PARM_DESC(debug_loops, "Pairs per timed loop of the debug pattern's caches with debug flags; 0: loops / 10, at least 1000 (default 0)");

unsigned int init_sizes[8] = { 64, 256, 1024 };
unsigned int nr_init_sizes = 3;
module_param_array(init_sizes, uint, &nr_init_sizes, 0444);
MODULE_PARM_DESC(init_sizes, "Object sizes of the init pattern (default 64,256,1024)");

unsigned int init_batch = 100;
module_param(init_batch, uint, 0444);
MODULE_PARM_DESC(init_batch, "Batch of the init pattern's FIFO rows (default 100)");

char *init_settings = "alloc,free,both";
module_param(init_settings, charp, 0444);
MODULE_PARM_DESC(init_settings, "Settings of the init pattern timed against both off: alloc (init_on_alloc=1), free (init_on_free=1), both, comma-separated (default alloc,free,both)");

/* An allocator under test: bench_allocs[0] is the kernel's. */
struct bench_alloc bench_allocs[BENCH_MAX_ALLOCS];
unsigned int nr_bench_allocs;

/* The kmalloc pattern's two: the kernel's kmalloc() and mslab_kmalloc(). */
struct bench_alloc bench_kmalloc_allocs[2] = {
	{ .name = "kernel", .kind = BENCH_KMALLOC },
	{ .name = "mslab", .kind = BENCH_MSLAB_KMALLOC },
};

/* --- caches -------------------------------------------------------------- */

/* Create @a's cache of @objsize bytes, named mslab_bench-TAG-NAME-SIZE. */
int bench_cache_create(struct bench_cache *c,
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

void bench_cache_shrink(struct bench_cache *c)
{
	if (c->k)
		kmem_cache_shrink(c->k);
	if (c->m)
		mslab_cache_shrink(c->m);
}

void bench_cache_destroy(struct bench_cache *c)
{
	kmem_cache_destroy(c->k);
	c->k = NULL;
	if (c->m)
		mslab_cache_destroy(c->m);
	c->m = NULL;
}

void bench_caches_destroy(struct bench_cache *cs)
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
int bench_caches_create_of(struct bench_cache *cs,
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
int bench_caches_create(struct bench_cache *cs, unsigned int objsize)
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

/* Take the allocators of @cs[] (bench_caches_create_of()) for @st. */
void bench_stats_init(struct bench_stats *st,
		      const struct bench_cache *cs)
{
	unsigned int a;

	st->nr_allocs = bench_caches_nr(cs);
	for (a = 0; a < st->nr_allocs; a++)
		st->names[a] = cs[a].alloc->name;
}

void bench_record(struct bench_stats *st, unsigned int a,
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
void bench_summary(const u64 *v, unsigned int n, u64 *med, u64 *lo,
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
const char *bench_cyc(char *buf, size_t len, u64 mcyc)
{
	if (mcyc)
		snprintf(buf, len, "%llu.%01llu", div64_u64(mcyc, 1000),
			 div64_u64(mcyc % 1000, 100));
	else
		strscpy(buf, "-", len);
	return buf;
}

/* "12.34" from picoseconds, into @buf. */
const char *bench_ns(char *buf, size_t len, u64 ps)
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
void bench_print(const char *pattern, const char *param,
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
int bench_measure(const char *pattern, const char *param,
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
	bench_mem_init();
	return 0;
}

static void __exit mslab_bench_exit(void)
{
	bench_mem_exit();
}

module_init(mslab_bench_init);
module_exit(mslab_bench_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("mslab benchmark: the same test bodies against the kernel's SLUB and mslab caches");
