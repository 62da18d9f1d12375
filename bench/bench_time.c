// SPDX-License-Identifier: GPL-2.0
/*
 * mslab_bench's single-CPU timing patterns (reuse, batch, worst, sweep,
 * kmalloc, bulk, debug, init) and the test bodies they time, one instance
 * per allocator kind (see bench_main.c for the method).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "mslab_bench.h"

static const unsigned int bench_batches[] = { 1, 10, 100, 1000 };

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

const bench_body_fn bench_reuse_fns[NR_BENCH_KINDS] = {
	[BENCH_KERNEL] = bench_reuse_kernel,
	[BENCH_MSLAB] = bench_reuse_mslab,
};

const bench_body_fn bench_fifo_fns[NR_BENCH_KINDS] = {
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

/* --- single-CPU patterns ------------------------------------------------- */

unsigned long bench_rounds(unsigned int batch)
{
	return max(1U, loops / batch);
}

int bench_reuse(void)
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
void bench_shuffle(unsigned int *v, unsigned int n,
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
int bench_batch_on(struct bench_cache *cs, const bench_body_fn *fns,
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

int bench_batches_all(void)
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

int bench_sweep(void)
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
int bench_kmalloc(void)
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
int bench_bulk(void)
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

int bench_worst(void)
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
int bench_parse_debug_flags(void)
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
int bench_debug(void)
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
bool bench_in_list(const char *list, const char *name)
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
bool bench_init_settings_bad(void)
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
int bench_init(void)
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
