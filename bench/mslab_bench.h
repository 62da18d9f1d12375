/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mslab_bench, one module of four files: bench_main.c (parameters, caches,
 * statistics and output, set-up), bench_time.c (the single-CPU timing
 * patterns and their test bodies), bench_smp.c (the SMP patterns) and
 * bench_mem.c (the debugfs files mem and ab). What they share is here.
 */
#ifndef _MSLAB_BENCH_H
#define _MSLAB_BENCH_H

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

/* The kmalloc pattern's two: the kernel's kmalloc() and mslab_kmalloc(). */
extern struct bench_alloc bench_kmalloc_allocs[2];
extern struct bench_alloc bench_allocs[BENCH_MAX_ALLOCS];
extern unsigned int nr_bench_allocs;

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

typedef void (*bench_body_fn)(struct bench_run *r);

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

/* bench_main.c: the module parameters (see there) */
extern char *patterns;
extern unsigned int loops;
extern unsigned int reps;
extern unsigned int size;
extern char *variants;
extern unsigned int sweep_sizes[16];
extern unsigned int nr_sweep_sizes;
extern unsigned int sweep_batch;
extern char *kmalloc_front;
extern unsigned int bulk_sizes[16];
extern unsigned int nr_bulk_sizes;
extern unsigned int worst_batch;
extern unsigned int remote_loops;
extern unsigned int allcpu_batch;
extern char *debug_flags;
extern unsigned int debug_sizes[8];
extern unsigned int nr_debug_sizes;
extern unsigned int debug_batch;
extern unsigned int debug_loops;
extern unsigned int init_sizes[8];
extern unsigned int nr_init_sizes;
extern unsigned int init_batch;
extern char *init_settings;

/* bench_main.c: caches, statistics and output */
int bench_cache_create(struct bench_cache *c,
		       const struct bench_alloc *a, const char *tag,
		       unsigned int objsize);
void bench_cache_shrink(struct bench_cache *c);
void bench_cache_destroy(struct bench_cache *c);
void bench_caches_destroy(struct bench_cache *cs);
int bench_caches_create_of(struct bench_cache *cs,
			   const struct bench_alloc *allocs,
			   unsigned int nr, unsigned int objsize);
int bench_caches_create(struct bench_cache *cs, unsigned int objsize);
void bench_stats_init(struct bench_stats *st,
		      const struct bench_cache *cs);
void bench_record(struct bench_stats *st, unsigned int a,
		  unsigned int rep, const struct bench_time *t);
void bench_summary(const u64 *v, unsigned int n, u64 *med, u64 *lo,
		   u64 *hi);
const char *bench_cyc(char *buf, size_t len, u64 mcyc);
const char *bench_ns(char *buf, size_t len, u64 ps);
void bench_print(const char *pattern, const char *param,
		 unsigned int objsize, const struct bench_stats *st);
int bench_measure(const char *pattern, const char *param,
		  unsigned int objsize, struct bench_cache *cs,
		  struct bench_run *r, const bench_body_fn *fns);

/* bench_time.c: the single-CPU patterns */
extern const bench_body_fn bench_reuse_fns[NR_BENCH_KINDS];
extern const bench_body_fn bench_fifo_fns[NR_BENCH_KINDS];
unsigned long bench_rounds(unsigned int batch);
int bench_reuse(void);
void bench_shuffle(unsigned int *v, unsigned int n,
		   struct rnd_state *rnd);
int bench_batch_on(struct bench_cache *cs, const bench_body_fn *fns,
		   unsigned int objsize, unsigned int batch,
		   bool shuffled, unsigned int nloops,
		   const char *pattern, const char *param);
int bench_batches_all(void);
int bench_sweep(void);
int bench_kmalloc(void);
int bench_bulk(void);
int bench_worst(void);
int bench_parse_debug_flags(void);
int bench_debug(void);
bool bench_in_list(const char *list, const char *name);
bool bench_init_settings_bad(void);
int bench_init(void);

/* bench_smp.c: the SMP patterns */
int bench_remote(void);
int bench_allcpu(void);

/* bench_mem.c: the debugfs files mem and ab */
const struct bench_alloc *bench_alloc_by_name(const char *name);
bool bench_name_ok(const char *name);
void bench_mem_init(void);
void bench_mem_exit(void);

#endif /* _MSLAB_BENCH_H */
