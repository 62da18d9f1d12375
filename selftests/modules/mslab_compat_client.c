// SPDX-License-Identifier: GPL-2.0
/*
 * mslab_compat_client: a client written only in the kernel's slab API
 * (kmem_cache_*, KMEM_CACHE(), kmalloc() and friends, kfree_rcu(), the bulk
 * calls), for selftests/mslab_compat.sh. It names no mslab symbol: its
 * Kbuild line adds "-include include/linux/mslab_compat.h", and that header
 * alone sends its allocations to mslab.
 *
 * mode=smp (the default): loading it creates three caches, with
 * KMEM_CACHE(), the 6.12 struct kmem_cache_args form of
 * kmem_cache_create() (SLAB_TYPESAFE_BY_RCU) and the legacy five-argument
 * form (with a constructor), and runs one kthread per online CPU for
 * @seconds. Each thread allocates and frees objects of the caches (some
 * freed by other threads), kmalloc()s, kzalloc()s, kcalloc()s and
 * krealloc()s sizes from 8 bytes to 5 pages, frees objects of caches and
 * size classes with kfree_rcu(), allocates and frees in bulk
 * (kmem_cache_alloc_bulk(), kmem_cache_free_bulk(), kfree_bulk()), and
 * kfree()s memory of the kernel's own helpers (kstrdup(), kasprintf(),
 * kmemdup()). Every object is filled with a pattern that is checked before
 * it is freed. The summary line in the kernel log (one line, wrapped
 * here) gives the counts:
 *
 *   mslab_compat_client: cpus=4 kmalloc=N large=N cache_allocs=N bulk=N
 *                        kfree_rcu=N kernel_allocs=N errors=0
 *
 * where kmalloc counts the kmalloc-family calls of at most 8192 bytes (each
 * one allocation from a size class). insmod fails if any check failed. The
 * caches stay until rmmod, so the test can look for them in sysfs.
 *
 * mode=kernel-rcu: kfree_rcu() of memory from the kernel's kmemdup(), as
 * any module does; mode=free-attr: a kmalloc() pointer declared
 * __free(kfree), freed by scope-based cleanup. Both must free through the
 * allocator the memory came from.
 *
 * No pr_fmt() here: with the header given by -include, <linux/printk.h>
 * has already defined it, and a redefinition warns (an error with -Werror).
 */

#include <linux/atomic.h>
#include <linux/cleanup.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

static unsigned int seconds = 3;
module_param(seconds, uint, 0444);
MODULE_PARM_DESC(seconds, "Duration of the SMP run in seconds (default 3)");

static char *mode = "smp";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "smp (default), kernel-rcu or free-attr");

/* An object of the KMEM_CACHE() cache. */
struct mslab_compat_item {
	u64 seed;
	struct rcu_head rcu;
	u32 words[24];
};

/* An object freed with kfree_rcu() after kmalloc(). */
struct compat_rcu_blob {
	u32 tag;
	struct rcu_head rcu;
	u8 data[100];
};

#define CTOR_SIZE	200
#define CTOR_BYTE	0x5e
#define BULK_COUNT	32
#define POOL_MAX	256

static struct kmem_cache *item_cache, *rcu_cache, *ctor_cache;
/*
 * The kernel's kmem_buckets have no destroy call; mslab's are destroyed
 * with mslab_buckets_destroy() (the one call here outside the kernel's
 * API), so that the client leaves no cache behind.
 */
static kmem_buckets *buckets;

static atomic_long_t nr_kmalloc, nr_large, nr_cache_allocs, nr_bulk;
static atomic_long_t nr_kfree_rcu, nr_kernel_allocs, nr_errors;

/* Objects handed between threads: freed by another CPU than allocated. */
static DEFINE_SPINLOCK(pool_lock);
static struct mslab_compat_item *pool[POOL_MAX];
static unsigned int pool_len;

static const size_t kmalloc_sizes[] = {
	8, 24, 64, 96, 100, 192, 256, 512, 1000, 2048, 4096, 8192,
	8193, 5 * PAGE_SIZE,
};

static void error(const char *what, unsigned long where)
{
	if (atomic_long_inc_return(&nr_errors) <= 5)
		pr_err(KBUILD_MODNAME ": check failed: %s (%lu)\n", what, where);
}

/* Count one kmalloc-family allocation of @size bytes. */
static void count_kmalloc(size_t size)
{
	if (size <= 8192)
		atomic_long_inc(&nr_kmalloc);
	else
		atomic_long_inc(&nr_large);
}

static u8 pattern(const void *p, u64 seed)
{
	return (u8)(((unsigned long)p >> 4) ^ seed);
}

static void fill(void *p, size_t size, u64 seed)
{
	memset(p, pattern(p, seed), size);
}

static bool intact(const void *p, size_t size, u64 seed)
{
	return !memchr_inv(p, pattern(p, seed), size);
}

static void ctor(void *p)
{
	memset(p, CTOR_BYTE, CTOR_SIZE);
}

/* === One thread's work ================================================== */

static void item_release(struct mslab_compat_item *it)
{
	if (!intact(it->words, sizeof(it->words), it->seed))
		error("item pattern", it->seed);
	kmem_cache_free(item_cache, it);
}

/* Cache objects: local frees, frees by other threads, kmem_cache_zalloc. */
static void work_caches(u64 seed)
{
	struct mslab_compat_item *it[16], *remote = NULL;
	unsigned int i;
	void *p;

	for (i = 0; i < ARRAY_SIZE(it); i++) {
		it[i] = kmem_cache_alloc(item_cache, GFP_KERNEL);
		if (!it[i]) {
			error("kmem_cache_alloc", i);
			continue;
		}
		atomic_long_inc(&nr_cache_allocs);
		it[i]->seed = seed + i;
		fill(it[i]->words, sizeof(it[i]->words), it[i]->seed);
	}
	for (i = 0; i < ARRAY_SIZE(it); i++) {
		if (!it[i])
			continue;
		if (i % 4) {
			item_release(it[i]);
		} else {
			/* Leave one for another thread, take one back. */
			spin_lock(&pool_lock);
			if (pool_len)
				remote = pool[--pool_len];
			if (pool_len < POOL_MAX)
				pool[pool_len++] = it[i];
			else
				remote = remote ?: it[i];
			spin_unlock(&pool_lock);
			if (remote)
				item_release(remote);
			remote = NULL;
		}
	}

	p = kmem_cache_zalloc(item_cache, GFP_KERNEL);
	if (p) {
		atomic_long_inc(&nr_cache_allocs);
		if (memchr_inv(p, 0, sizeof(struct mslab_compat_item)))
			error("kmem_cache_zalloc not zeroed", 0);
		kmem_cache_free(item_cache, p);
	} else {
		error("kmem_cache_zalloc", 0);
	}

	p = kmem_cache_alloc(ctor_cache, GFP_KERNEL);
	if (p) {
		atomic_long_inc(&nr_cache_allocs);
		if (memchr_inv(p, CTOR_BYTE, CTOR_SIZE))
			error("constructed state", 0);
		kmem_cache_free(ctor_cache, p);
	} else {
		error("kmem_cache_alloc ctor", 0);
	}

	p = kmem_cache_alloc(rcu_cache, GFP_KERNEL);
	if (p) {
		atomic_long_inc(&nr_cache_allocs);
		fill(p, kmem_cache_size(rcu_cache), seed);
		kmem_cache_free(rcu_cache, p);
	} else {
		error("kmem_cache_alloc typesafe", 0);
	}
}

/* The kmalloc family over the size classes and past them. */
static void work_kmalloc(u64 seed)
{
	u8 *p, *q, byte = (u8)seed | 1;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kmalloc_sizes); i++) {
		size_t size = kmalloc_sizes[i];

		p = kmalloc(size, GFP_KERNEL);
		if (!p) {
			error("kmalloc", size);
			continue;
		}
		count_kmalloc(size);
		if (ksize(p) < size)
			error("ksize below the size asked for", size);
		fill(p, ksize(p), seed);
		if (!intact(p, ksize(p), seed))
			error("kmalloc pattern", size);
		kfree(p);

		p = kzalloc(size, GFP_KERNEL);
		if (!p) {
			error("kzalloc", size);
			continue;
		}
		count_kmalloc(size);
		if (memchr_inv(p, 0, size))
			error("kzalloc not zeroed", size);
		kfree(p);
	}

	p = kcalloc(10, 30, GFP_KERNEL);
	if (p) {
		count_kmalloc(300);
		if (memchr_inv(p, 0, 300))
			error("kcalloc not zeroed", 300);
		kfree(p);
	} else {
		error("kcalloc", 300);
	}
	if (kmalloc_array(SIZE_MAX / 4, 8, GFP_KERNEL))
		error("kmalloc_array overflow not refused", 0);
	if (kcalloc(2, SIZE_MAX / 2 + 1, GFP_KERNEL))
		error("kcalloc overflow not refused", 0);

	/* krealloc: grow through classes and to the large path. */
	p = kmalloc(50, GFP_KERNEL);
	if (!p) {
		error("kmalloc", 50);
		return;
	}
	count_kmalloc(50);
	/* The contents move: a pattern that does not depend on the address. */
	memset(p, byte, 50);
	q = krealloc(p, 3000, GFP_KERNEL);
	if (!q) {
		kfree(p);
		error("krealloc", 3000);
		return;
	}
	if (memchr_inv(q, byte, 50))
		error("krealloc lost contents", 3000);
	p = krealloc(q, 20000, GFP_KERNEL);
	if (!p) {
		kfree(q);
		error("krealloc", 20000);
		return;
	}
	if (memchr_inv(p, byte, 50))
		error("krealloc lost contents", 20000);
	q = krealloc(p, 40, GFP_KERNEL);
	if (q != p)
		error("krealloc did not shrink in place", 40);
	kfree(q);
}

/* kfree_rcu() of cache objects and of kmalloc() memory. */
static void work_kfree_rcu(u64 seed)
{
	struct mslab_compat_item *it;
	struct compat_rcu_blob *b;

	it = kmem_cache_alloc(item_cache, GFP_KERNEL);
	if (it) {
		atomic_long_inc(&nr_cache_allocs);
		it->seed = seed;
		kfree_rcu(it, rcu);
		atomic_long_inc(&nr_kfree_rcu);
	} else {
		error("kmem_cache_alloc", 0);
	}

	b = kmalloc(sizeof(*b), GFP_KERNEL);
	if (b) {
		count_kmalloc(sizeof(*b));
		b->tag = (u32)seed;
		kfree_rcu(b, rcu);
		atomic_long_inc(&nr_kfree_rcu);
	} else {
		error("kmalloc", sizeof(*b));
	}
}

/* The bulk calls, and kfree_bulk() of a mix of sizes. */
static void work_bulk(u64 seed)
{
	void *objs[BULK_COUNT];
	unsigned int i;
	int n;

	n = kmem_cache_alloc_bulk(item_cache, GFP_KERNEL, BULK_COUNT, objs);
	if (n != BULK_COUNT) {
		error("kmem_cache_alloc_bulk", n);
		if (n > 0)
			kmem_cache_free_bulk(item_cache, n, objs);
		return;
	}
	atomic_long_add(n, &nr_bulk);
	for (i = 0; i < BULK_COUNT; i++)
		fill(objs[i], sizeof(struct mslab_compat_item), seed);
	for (i = 0; i < BULK_COUNT; i++)
		if (!intact(objs[i], sizeof(struct mslab_compat_item), seed))
			error("bulk pattern", i);
	kmem_cache_free_bulk(item_cache, BULK_COUNT, objs);

	for (i = 0; i < BULK_COUNT; i++) {
		size_t size = kmalloc_sizes[i % ARRAY_SIZE(kmalloc_sizes)];

		objs[i] = kmalloc(size, GFP_KERNEL);
		if (objs[i])
			count_kmalloc(size);
		else
			error("kmalloc for kfree_bulk", size);
	}
	kfree_bulk(BULK_COUNT, objs);
}

/* Memory of the kernel's own helpers goes back to the kernel by kfree(). */
static void work_kernel_memory(u64 seed)
{
	const char *c;
	char *s, *t;

	s = kstrdup("mslab compat client", GFP_KERNEL);
	t = kasprintf(GFP_KERNEL, "seed %llu", seed);
	if (!s || !t) {
		error("kstrdup/kasprintf", 0);
	} else {
		atomic_long_add(2, &nr_kernel_allocs);
		if (strcmp(s, "mslab compat client") || ksize(s) < 20 ||
		    ksize(t) < strlen(t) + 1)
			error("kernel memory", 0);
	}
	kfree(s);
	kfree(t);

	/* A kernel cache used by a header's macro: the kernel's names_cachep. */
	s = __getname();
	if (!s) {
		error("__getname", 0);
	} else {
		strscpy(s, "/mslab/compat", PATH_MAX);
		__putname(s);
	}

	/* kfree_const(): the kernel's kstrdup_const() copy, or mslab's. */
	c = kstrdup_const("mslab compat", GFP_KERNEL);
	if (!c)
		error("kstrdup_const", 0);
	kfree_const(c);
	s = kmalloc(24, GFP_KERNEL);
	if (s) {
		count_kmalloc(24);
		kfree_const(s);
	}
}

/*
 * kvmalloc() memory is mslab's below a page and up to what mslab's kmalloc
 * gives; kvfree() takes it, and kmalloc() memory too (legal kernel code).
 */
static void work_kvmalloc(u64 seed)
{
	static const size_t sizes[] = { 100, 3000, 5 * PAGE_SIZE };
	unsigned int i;
	void *p;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		p = kvmalloc(sizes[i], GFP_KERNEL);
		if (!p) {
			error("kvmalloc", sizes[i]);
			continue;
		}
		/* The pattern of fill() depends on the address: a byte here. */
		memset(p, (u8)(seed + i), sizes[i]);
		p = kvrealloc(p, 2 * sizes[i], GFP_KERNEL);
		if (!p) {
			error("kvrealloc", sizes[i]);
			continue;
		}
		if (memchr_inv(p, (u8)(seed + i), sizes[i]))
			error("kvrealloc contents", sizes[i]);
		kvfree(p);
	}
	p = kmalloc(200, GFP_KERNEL);
	if (p) {
		count_kmalloc(200);
		kvfree(p);
	}
	p = kvcalloc(16, 64, GFP_KERNEL);
	if (p && !mslab_owns(p))
		error("kvcalloc from mslab", 1024);
	kvfree_sensitive(p, 16 * 64);

	/* The buckets' memory, from their own size classes, freed by kfree. */
	p = kmem_buckets_alloc(buckets, 100, GFP_KERNEL);
	if (!p)
		error("kmem_buckets_alloc", 100);
	kfree(p);
	p = kmem_buckets_valloc(buckets, 3 * PAGE_SIZE, GFP_KERNEL);
	if (!p)
		error("kmem_buckets_valloc", 3 * PAGE_SIZE);
	kvfree(p);
}

struct compat_thread {
	struct task_struct *task;
	struct completion done;
	unsigned int cpu;
};

static int compat_thread_fn(void *arg)
{
	struct compat_thread *ct = arg;
	unsigned long end = jiffies + seconds * HZ;
	u64 seed = (u64)ct->cpu << 32;

	do {
		work_caches(seed);
		work_kmalloc(seed);
		work_kfree_rcu(seed);
		work_bulk(seed);
		work_kernel_memory(seed);
		work_kvmalloc(seed);
		seed++;
		cond_resched();
	} while (time_before(jiffies, end));
	complete(&ct->done);
	return 0;
}

static void destroy_caches(void)
{
	mslab_buckets_destroy(buckets);
	buckets = NULL;
	kmem_cache_destroy(item_cache);
	kmem_cache_destroy(rcu_cache);
	kmem_cache_destroy(ctor_cache);
	item_cache = NULL;
	rcu_cache = NULL;
	ctor_cache = NULL;
}

static int create_caches(void)
{
#ifdef MSLAB_HAVE_KMEM_CACHE_ARGS
	struct kmem_cache_args args = { .align = 16 };

	rcu_cache = kmem_cache_create("mslab_compat_rcu", 120, &args,
				      SLAB_TYPESAFE_BY_RCU);
#else
	rcu_cache = kmem_cache_create("mslab_compat_rcu", 120, 16,
				      SLAB_TYPESAFE_BY_RCU, NULL);
#endif
	item_cache = KMEM_CACHE(mslab_compat_item, SLAB_HWCACHE_ALIGN);
	ctor_cache = kmem_cache_create("mslab_compat_ctor", CTOR_SIZE, 0, 0,
				       ctor);
	buckets = kmem_buckets_create("mslab_compat_bkt", 0, 0, 0, NULL);
	if (!item_cache || !rcu_cache || !ctor_cache || !buckets) {
		destroy_caches();
		return -ENOMEM;
	}
	return 0;
}

/*
 * The zone rules of SLUB: kmalloc(GFP_DMA) memory is in ZONE_DMA (the DMA
 * size classes), and a cache's slabs come from the zone its own flags
 * say, so a caller's __GFP_DMA does not put an ordinary cache's new slab
 * there.
 */
static void check_gfp_zones(void)
{
#ifdef CONFIG_ZONE_DMA
	struct kmem_cache *c;
	void *p;

	p = kmalloc(100, GFP_KERNEL | GFP_DMA);
	if (!p || page_zonenum(virt_to_page(p)) != ZONE_DMA)
		error("kmalloc(GFP_DMA) memory in ZONE_DMA", 100);
	kfree(p);

	c = kmem_cache_create("mslab_compat_zone", 64, 0, 0, NULL);
	if (!c) {
		error("kmem_cache_create mslab_compat_zone", 64);
		return;
	}
	p = kmem_cache_alloc(c, GFP_KERNEL | __GFP_DMA);
	if (!p || page_zonenum(virt_to_page(p)) == ZONE_DMA)
		error("an ordinary cache's slab kept out of ZONE_DMA", 64);
	kmem_cache_free(c, p);
	kmem_cache_destroy(c);
#endif
}

static int run_smp(void)
{
	struct compat_thread *threads;
	unsigned int cpu, n = 0, i;
	int err;

	check_gfp_zones();
	err = create_caches();
	if (err)
		return err;
	threads = kcalloc(nr_cpu_ids, sizeof(*threads), GFP_KERNEL);
	if (!threads) {
		destroy_caches();
		return -ENOMEM;
	}
	for_each_online_cpu(cpu) {
		struct compat_thread *ct = &threads[n];

		ct->cpu = cpu;
		init_completion(&ct->done);
		ct->task = kthread_create(compat_thread_fn, ct, "mslab_compat/%u",
					  cpu);
		if (IS_ERR(ct->task)) {
			error("kthread_create", cpu);
			continue;
		}
		kthread_bind(ct->task, cpu);
		wake_up_process(ct->task);
		n++;
	}
	for (i = 0; i < n; i++)
		wait_for_completion(&threads[i].done);
	kfree(threads);

	spin_lock(&pool_lock);
	while (pool_len)
		item_release(pool[--pool_len]);
	spin_unlock(&pool_lock);
	/* The kfree_rcu() frees are done once a grace period has passed. */
	rcu_barrier();

	pr_info(KBUILD_MODNAME ": cpus=%u kmalloc=%ld large=%ld cache_allocs=%ld bulk=%ld kfree_rcu=%ld kernel_allocs=%ld errors=%ld\n",
		n, atomic_long_read(&nr_kmalloc), atomic_long_read(&nr_large),
		atomic_long_read(&nr_cache_allocs), atomic_long_read(&nr_bulk),
		atomic_long_read(&nr_kfree_rcu),
		atomic_long_read(&nr_kernel_allocs),
		atomic_long_read(&nr_errors));
	if (atomic_long_read(&nr_errors)) {
		destroy_caches();
		return -EINVAL;
	}
	return 0;
}

/* kfree_rcu() of memory the kernel allocated (kmemdup()). */
static int run_kernel_rcu(void)
{
	struct compat_rcu_blob tmpl = { .tag = 7 }, *b;
	unsigned int i;

	for (i = 0; i < 8; i++) {
		b = kmemdup(&tmpl, sizeof(tmpl), GFP_KERNEL);
		if (!b)
			return -ENOMEM;
		kfree_rcu(b, rcu);
	}
	rcu_barrier();
	pr_info(KBUILD_MODNAME ": kernel-rcu: 8 kmemdup() objects freed with kfree_rcu()\n");
	return 0;
}

/*
 * A kmalloc() pointer freed by scope-based cleanup, __free(kfree), on
 * kernels that have it (6.5).
 */
static int run_free_attr(void)
{
#ifndef DEFINE_FREE
	pr_err(KBUILD_MODNAME ": free-attr: this kernel has no __free()\n");
	return -EOPNOTSUPP;
#else
	{
		void *p __free(kfree) = kmalloc(3 * PAGE_SIZE, GFP_KERNEL);

		if (!p)
			return -ENOMEM;
		memset(p, 0, 3 * PAGE_SIZE);
	}
	pr_info(KBUILD_MODNAME ": free-attr: a 3-page kmalloc() freed by __free(kfree)\n");
	return 0;
#endif
}

static int __init compat_client_init(void)
{
	if (!strcmp(mode, "smp"))
		return run_smp();
	if (!strcmp(mode, "kernel-rcu"))
		return run_kernel_rcu();
	if (!strcmp(mode, "free-attr"))
		return run_free_attr();
	pr_err(KBUILD_MODNAME ": unknown mode %s\n", mode);
	return -EINVAL;
}

static void __exit compat_client_exit(void)
{
	destroy_caches();
}

module_init(compat_client_init);
module_exit(compat_client_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("A kmem_cache/kmalloc client rebuilt for mslab by mslab_compat.h");
