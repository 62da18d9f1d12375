/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mslab internal definitions, shared by the module's .c files and its KUnit
 * suites. Not for client modules: they use <linux/mslab.h>.
 *
 * The structures follow SLUB in Linux 6.12 (mm/slab.h, mm/slub.c); where a
 * field has the same name as in SLUB it has the same meaning. The locking
 * rules are at the top of alloc.c.
 */
#ifndef _MSLAB_MSLAB_H
#define _MSLAB_MSLAB_H

#include <linux/atomic.h>
#include <linux/cache.h>
#include <linux/dcache.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/local_lock.h>
#include <linux/lockdep.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/nodemask.h>
#include <linux/percpu.h>
#include <linux/reciprocal_div.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/swab.h>
#include <linux/types.h>
#include <linux/uaccess.h>

#include <linux/mslab.h>

/*
 * The per-CPU freelist and its transaction id, and a slab's freelist and
 * counters, are each updated as one double word with cmpxchg128 where the
 * CPU has it (x86-64 with CX16). Elsewhere (UML) the per-CPU fast path
 * takes the per-CPU local_lock and slab updates take the slab's spinlock.
 */
#if defined(system_has_cmpxchg128) && defined(CONFIG_ARCH_SUPPORTS_INT128)
#define MSLAB_HAVE_CMPXCHG_DOUBLE 1
#define mslab_has_cmpxchg_double() system_has_cmpxchg128()
#else
#define mslab_has_cmpxchg_double() false
#endif

/*
 * SLUB's USE_LOCKLESS_FAST_PATH(). On PREEMPT_RT the per-CPU local_lock is
 * a sleeping lock that leaves preemption on: a slow path changing a CPU's
 * freelist under it could be preempted half-way by another task's lockless
 * fast path on that CPU. There the fast paths take the local_lock too.
 */
#if defined(MSLAB_HAVE_CMPXCHG_DOUBLE) && !defined(CONFIG_PREEMPT_RT)
#define MSLAB_LOCKLESS_FAST_PATH 1
#endif

/*
 * SLUB's slub_get_cpu_ptr(): keep a slow path on this CPU. On PREEMPT_RT
 * only migration is disabled, since the slow path takes sleeping locks and
 * may allocate; each of its local_lock sections then rechecks what another
 * task on the CPU may have changed in between, as it does for interrupts.
 */
#ifdef CONFIG_PREEMPT_RT
#define mslab_get_cpu_ptr(var)	({ migrate_disable(); this_cpu_ptr(var); })
#define mslab_put_cpu_ptr(var)	do { (void)(var); migrate_enable(); } while (0)
#else
#define mslab_get_cpu_ptr(var)	get_cpu_ptr(var)
#define mslab_put_cpu_ptr(var)	put_cpu_ptr(var)
#endif

/* A freelist pointer and a word that changes with it, as one double word. */
union mslab_freelist_aba {
	struct {
		void *freelist;
		unsigned long counter;
	};
#ifdef MSLAB_HAVE_CMPXCHG_DOUBLE
	u128 full;
#endif
} __aligned(2 * sizeof(void *));

/* === Statistics ========================================================= */

/*
 * Per-CPU event counters with SLUB 6.12's names and meanings (mm/slub.c:
 * enum stat_item), always on and bumped with raw_cpu_inc(). The list is
 * stat_items.h, which also makes their names (stats.c) and sysfs files
 * (sysfs.c): a counter is one line there.
 */
enum mslab_stat_item {
#define MSLAB_STAT(item, name) \
	item,
#include "stat_items.h"
#undef MSLAB_STAT
	NR_MSLAB_STAT_ITEMS
};

extern const char *const mslab_stat_names[NR_MSLAB_STAT_ITEMS];

/* === Slabs ============================================================== */

/*
 * mslab's own slab descriptor. The kernel's struct slab and PG_slab belong
 * to the kernel's SLUB, so mslab keeps its descriptor out of line and finds
 * it in O(1) from the head page's private field (mslab_virt_to_slab()).
 *
 * A slab is in exactly one of these states (SLUB's scheme):
 *   cpu slab:	   frozen, owned by one CPU (mslab_cpu.slab)
 *   cpu partial:  !frozen, on one CPU's partial chain (mslab_cpu.partial)
 *   node partial: !frozen && on_node_partial, on mslab_node.partial
 *   retired:	   !frozen && retired, on mslab_node.retired: a slab with
 *		   free objects whose layout is no longer the cache's
 *		   current one; it takes frees, never allocations, and goes
 *		   back to the buddy allocator once empty
 *   full:	   !frozen, on no list, freelist == NULL
 */
struct mslab_slab {
	union {
		struct {
			/* First free object; NULL when all are in use. */
			void *freelist;
			union {
				unsigned long counters;
				struct {
					/* Objects handed out (or on a cpu freelist). */
					unsigned int inuse:16;
					/* Objects in this slab; set once. */
					unsigned int objects:15;
					/* Owned by a CPU as its cpu slab. */
					unsigned int frozen:1;
				};
			};
		};
		/* freelist + counters change together: see slab_update_freelist(). */
		union mslab_freelist_aba freelist_counter;
	};
	/* The cache this slab belongs to; set once. */
	struct mslab_cache *cache;
	/* How its objects are laid out; set once (see struct mslab_layout). */
	struct mslab_layout *layout;
	/* Head page of the 2^order block; back pointer checked by lookups. */
	struct page *page;
	/* The first object: page_address(page) + the layout's red_left_pad. */
	void *base;
	union {
		/* On the node partial list: under mslab_node.list_lock. */
		struct list_head slab_list;
		/* On a CPU partial chain: under that CPU's mslab_cpu.lock. */
		struct {
			struct mslab_slab *next;
			/* Slabs on the chain from here on (valid in the head). */
			int slabs;
		};
		/* Freed after a grace period (SLAB_TYPESAFE_BY_RCU caches). */
		struct rcu_head rcu_head;
	};
	/* On every slab of its node: under mslab_node.list_lock. */
	struct list_head all_list;
	/* Set and cleared under mslab_node.list_lock (SLUB's PG_workingset). */
	bool on_node_partial;
	/* On the node partial list with no object in use: in its nr_empty. */
	bool empty_on_node;
	/*
	 * On mslab_node.retired rather than partial: its layout is not the
	 * cache's current one. Under mslab_node.list_lock.
	 */
	bool retired;
	/*
	 * Debug caches: a consistency check failed on this slab, which is no
	 * longer used: all its objects count as in use, so it is never freed
	 * (SLUB's policy: leak a corrupted slab rather than trust it). Under
	 * mslab_node.list_lock.
	 */
	bool corrupt;
	unsigned short order;
	int node;
#ifndef MSLAB_HAVE_CMPXCHG_DOUBLE
	/* Protects freelist + counters where there is no cmpxchg128. */
	spinlock_t lock;
#endif
};

/* === Per-CPU and per-node structures ==================================== */

/*
 * The per-CPU state of a cache. freelist/tid are changed by the lockless
 * fast paths with this_cpu cmpxchg128; everything else under @lock.
 */
struct mslab_cpu {
	union {
		struct {
			/* Next free object of @slab, for this CPU only. */
			void **freelist;
			/* Transaction id: bumped by every change of freelist. */
			unsigned long tid;
		};
		union mslab_freelist_aba freelist_tid;
	};
	/* The cpu slab (frozen), or NULL. Under @lock. */
	struct mslab_slab *slab;
	/* Chain of cpu partial slabs (!frozen), or NULL. Under @lock. */
	struct mslab_slab *partial;
	/* Serialises the slow paths on this CPU (and the fast path on UML). */
	local_lock_t lock;
	/* Event counters; racy increments are acceptable. */
	unsigned int stat[NR_MSLAB_STAT_ITEMS];
};

/* === Sheaves' barns ==================================================== */

struct mslab_pcs;

/* Limits of a barn's lists, as SLUB's MAX_FULL_SHEAVES/MAX_EMPTY_SHEAVES. */
#define MSLAB_BARN_MAX_FULL	10
#define MSLAB_BARN_MAX_EMPTY	10

/* A node's store of full and empty sheaves (SLUB's barn, Bonwick's depot). */
struct mslab_barn {
	/* Protects both lists and counts. */
	spinlock_t lock;
	struct list_head full;
	struct list_head empty;
	unsigned int nr_full;
	unsigned int nr_empty;
};

/*
 * Layouts of a cache: one per combination of F, Z, P, U and T (see
 * mslab_layout_index()).
 */
#define MSLAB_NR_LAYOUTS	32

/* The per-NUMA-node state of a cache. */
struct mslab_node {
	/* Protects both slab lists and their counts, list links. */
	spinlock_t list_lock;
	/* Number of slabs on @partial, and of those with no object in use. */
	unsigned long nr_partial;
	unsigned long nr_empty;
	/* Partial slabs, not owned by any CPU, all of the current layout. */
	struct list_head partial;
	/* Slabs with free objects of other layouts, and their number. */
	struct list_head retired;
	unsigned long nr_retired;
	/*
	 * Every slab of this node, whatever its state, under all_lock (which
	 * nests inside list_lock): new and freed slabs take only all_lock,
	 * not the lock of the partial lists; walkers take both
	 * (mslab_lock_all_slabs()), so debug slabs hold still.
	 */
	spinlock_t all_lock;
	struct list_head all_slabs;
	/*
	 * Slabs, their object capacity, and the slabs of each layout (by
	 * struct mslab_layout.index); read without the lock. Per node, not
	 * per cache or per layout: every new and freed slab writes them.
	 */
	atomic_long_t nr_slabs;
	atomic_long_t total_objects;
	atomic_long_t layout_slabs[MSLAB_NR_LAYOUTS];
	/* Full and empty sheaves, for caches with sheaves. */
	struct mslab_barn barn;
};

/* === Caches ============================================================= */

/* SLUB's "oo" word: order << 16 | objects. */
struct mslab_oo {
	unsigned int x;
};

#define MSLAB_OO_SHIFT		16
#define MSLAB_OO_MASK		((1U << MSLAB_OO_SHIFT) - 1)
/* A slab's object count must fit its 15-bit counter (SLUB's MAX_OBJS_PER_PAGE). */
#define MSLAB_MAX_OBJS_PER_SLAB	32767
/* Largest slab order used (SLUB's default slab_max_order). */
#define MSLAB_MAX_ORDER		PAGE_ALLOC_COSTLY_ORDER
/* SLUB's bounds on min_partial. */
#define MSLAB_MIN_PARTIAL	5
#define MSLAB_MAX_PARTIAL	10
/*
 * Bounds of the writable tunables. min_partial: empty slabs kept per node
 * (SLUB computes 5..10). cpu_partial: objects per CPU (SLUB computes at
 * most 120); the bound keeps cpu_partial * 2 and the slab count far from
 * overflow.
 */
#define MSLAB_MIN_PARTIAL_LIMIT	1024UL
#define MSLAB_CPU_PARTIAL_LIMIT	32768UL

static inline unsigned int mslab_order_objects(unsigned int order,
					       unsigned int size)
{
	return ((unsigned int)PAGE_SIZE << order) / size;
}

static inline struct mslab_oo mslab_oo_make(unsigned int order,
					    unsigned int size)
{
	struct mslab_oo x = {
		(order << MSLAB_OO_SHIFT) + mslab_order_objects(order, size)
	};

	return x;
}

static inline unsigned int mslab_oo_order(struct mslab_oo x)
{
	return x.x >> MSLAB_OO_SHIFT;
}

static inline unsigned int mslab_oo_objects(struct mslab_oo x)
{
	return x.x & MSLAB_OO_MASK;
}

/*
 * How a slab's objects are laid out: the stride, where the free pointer and
 * the debug metadata are (geometry.c, SLUB's calculate_sizes()), the slab
 * order, and how free pointers are encoded and shuffled (hardening.c).
 *
 * A cache's "plain" layout has no debug metadata; a cache gets one more
 * layout per combination of debug flags it has been given, at creation or
 * later through sysfs (layout.c). Every slab keeps the layout it was built
 * with for its whole life, so switching debugging at run time takes effect
 * for new slabs without touching live objects. A layout is immutable once
 * published and lives as long as its cache.
 */
struct mslab_layout {
	/* Free pointer offset inside the stride. */
	unsigned int offset;
	/* Object stride in the slab, metadata included. */
	unsigned int size;
	/* For object index computation without a division. */
	struct reciprocal_value reciprocal_size;
	/* Free pointer encoding key (the cache's); 0: not hardened. */
	unsigned long random;
	/*
	 * Randomised freelists: object offsets in a random order, used from a
	 * random start for each new slab; NULL when not randomised.
	 */
	unsigned int *random_seq;
	/* The debug flags (MSLAB_DEBUG_FLAGS, MSLAB_OBJECT_POISON) it serves. */
	slab_flags_t flags;
	/*
	 * Offset to metadata: object size rounded to a word, plus a word of
	 * right red zone when SLAB_RED_ZONE leaves no room for one.
	 */
	unsigned int inuse;
	/* Left red zone before each object (SLAB_RED_ZONE), else 0. */
	unsigned int red_left_pad;
	/* Preferred and fallback (smallest) order/objects. */
	struct mslab_oo oo;
	struct mslab_oo min;
	/*
	 * Its place in the cache's layouts[] and in the nodes' layout_slabs
	 * (mslab_layout_nr_slabs()). The layout holds nothing written after
	 * creation: the plain one sits among the fields the fast paths read.
	 */
	unsigned int index;
};

/*
 * A cache. Its plain layout is computed once by mslab_cache_create() and
 * is read-only; debug layouts are added and the current one switched only
 * under mslab_mutex (layout.c). The tunables (min_partial, cpu_partial, ...)
 * are single words read with READ_ONCE() by the paths that use them.
 */
struct mslab_cache {
	struct mslab_cpu __percpu *cpu_slab;
	/*
	 * SLAB_* flags. The debug ones follow the current layout and change
	 * with it (WRITE_ONCE(), under mslab_mutex); the others are fixed.
	 */
	slab_flags_t flags;
	/* Empty slabs kept on each node's partial list. */
	unsigned long min_partial;
	/*
	 * The layout without debug metadata: the only one the cpu slabs, the
	 * fast paths and the sheaves ever use. Fixed at creation.
	 */
	struct mslab_layout plain;
	/* Object size as the user asked for it. */
	unsigned int object_size;
	/* Objects kept on cpu partial lists, and the slab count it implies. */
	unsigned int cpu_partial;
	unsigned int cpu_partial_slabs;
	/*
	 * The layout of new slabs: &plain, or the debug layout of the debug
	 * flags in force. READ_ONCE(); it changes only in layout.c.
	 */
	struct mslab_layout *layout;
	/* Every layout made so far, by mslab_layout_index(); [0] is &plain. */
	struct mslab_layout *layouts[MSLAB_NR_LAYOUTS];
	/* gfp flags every slab allocation of this cache adds. */
	gfp_t allocflags;
	/* Users of this cache (1: mslab has no merging). */
	int refcount;
	void (*ctor)(void *object);
	/* Object alignment. */
	unsigned int align;
	const char *name;
	/*
	 * On mslab_caches, under mslab_mutex; on cache.c's
	 * caches_in_teardown while mslab_cache_destroy() removes its
	 * directories.
	 */
	struct list_head list;
	/* /sys/kernel/mslab/<name>; frees this structure on release. */
	struct kobject kobj;
	/* Chance (0..1023 scale, as SLUB) of taking remote partial slabs. */
	unsigned int remote_node_defrag_ratio;
	/* Set once destroy found live objects: the cache is leaked. */
	bool leaked;
	/* Its module unloaded without destroying it (owners.c). */
	bool orphaned;
	/* The module that created it, "" for the kernel (owners.c). */
	char owner[MODULE_NAME_LEN];
	/* New slabs' freelists are shuffled (the layouts' random_seq). */
	bool random_freelist;
	/* Objects per sheaf; 0: no sheaves, the slab front end only. */
	unsigned int sheaf_capacity;
	/*
	 * Sheaves in use: sheaf_capacity and no debugging. One word for the
	 * fast paths to test; READ_ONCE(), changed by layout.c.
	 */
	bool sheaves_on;
	/* Each CPU's sheaves, if sheaf_capacity. */
	struct mslab_pcs __percpu *pcs;
	/* One per possible node, nr_node_ids entries. */
	struct mslab_node *node[];
};

static inline void mslab_stat(const struct mslab_cache *s,
			      enum mslab_stat_item si)
{
	/* The rmw is racy on a preemptible kernel, but this is acceptable. */
	raw_cpu_inc(s->cpu_slab->stat[si]);
}

static inline void mslab_stat_add(const struct mslab_cache *s,
				  enum mslab_stat_item si, int v)
{
	raw_cpu_add(s->cpu_slab->stat[si], v);
}

/* Sum of a counter over all possible CPUs. */
unsigned long mslab_stat_sum(struct mslab_cache *s, enum mslab_stat_item si);

/* === Module-wide state ================================================== */

/* Serialises cache creation and destruction; protects mslab_caches. */
extern struct mutex mslab_mutex;
extern struct list_head mslab_caches;

/*
 * The sum of a count kept per CPU (pages held, RCU frees pending): each
 * CPU adds to its own, readers sum them; racy, never torn.
 */
static inline long mslab_pcpu_sum(long __percpu *count)
{
	long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(*per_cpu_ptr(count, cpu));
	return sum;
}

/* Pages held by mslab, over all caches (slab.c; per-CPU counts). */
long mslab_pages_held(void);
void mslab_pages_held_add(long nr);
/* Caches in existence, leaked ones included. */
extern atomic_t mslab_nr_caches;

/*
 * Fault injection for tests: while positive, each slab allocation
 * decrements the counter and fails at the preferred order (fallback to
 * the minimum order, ORDER_FALLBACK) or fails outright. Set from KUnit or
 * /sys/kernel/debug/mslab/fail_order and fail_slab.
 */
extern atomic_t mslab_fail_order;
extern atomic_t mslab_fail_slab;

/* /sys/kernel/mslab: the parent of every cache's kobject. */
extern struct kset *mslab_kset;
/* /sys/kernel/debug/mslab */
extern struct dentry *mslab_debugfs_root;

/*
 * Is the cache's current layout its plain one: may CPUs hold its slabs? A
 * layout switch (layout.c) changes the answer, then flushes every CPU; so
 * the places where a CPU installs a cpu slab or chains a cpu partial slab
 * (cpu_slab.c) ask under the CPU's lock.
 */
static inline bool mslab_cache_is_plain(const struct mslab_cache *s)
{
	return READ_ONCE(s->layout) == &s->plain;
}

/* report.c: a free refused, in the log (and counted for KUnit) */
__printf(4, 5)
void mslab_report_free_error(struct mslab_cache *s, const void *obj,
			     unsigned long caller, const char *fmt, ...);
bool mslab_count_kunit_error(void);

/*
 * Free pointers inside objects are stored encoded in hardened caches
 * (SLUB's CONFIG_SLAB_FREELIST_HARDENED, freelist_ptr_encode()): XORed with
 * a per-cache random word and the byte-swapped address they are stored at,
 * so an overflow or use-after-free write cannot plant a chosen pointer, and
 * a leaked one does not reveal a heap address.
 */
static inline unsigned long mslab_freeptr_key(const struct mslab_layout *l,
					      void *ptr_addr)
{
	return l->random ^ swab((unsigned long)ptr_addr);
}

/* SLUB's get_freepointer(): the next free object after @object. */
static inline void *mslab_get_freepointer(const struct mslab_layout *l,
					  void *object)
{
	void **ptr_addr = object + l->offset;
	unsigned long v = (unsigned long)*ptr_addr;

	if (l->random)
		v ^= mslab_freeptr_key(l, ptr_addr);
	return (void *)v;
}

/*
 * SLUB's get_freepointer_safe(), for the lockless allocation fast path:
 * between its read of the cpu freelist and this read, another task on the
 * CPU may allocate @object, free it, and its slab may go back to the page
 * allocator. The value read is then garbage and the cmpxchg on the tid
 * fails, but with debug_pagealloc the page is unmapped and a plain load
 * would fault: read it without faulting. (A debug_pagealloc_enabled_static()
 * key, so free otherwise.)
 */
static inline void *mslab_get_freepointer_safe(const struct mslab_layout *l,
					       void *object)
{
	void **ptr_addr = object + l->offset;
	unsigned long v;

	if (!debug_pagealloc_enabled_static())
		return mslab_get_freepointer(l, object);
	if (copy_from_kernel_nofault(&v, ptr_addr, sizeof(v)))
		return NULL;	/* Unmapped: the cmpxchg is bound to fail. */
	if (l->random)
		v ^= mslab_freeptr_key(l, ptr_addr);
	return (void *)v;
}

/* SLUB's set_freepointer(). */
static inline void mslab_set_freepointer(const struct mslab_layout *l,
					 void *object, void *fp)
{
	void **ptr_addr = object + l->offset;
	unsigned long v = (unsigned long)fp;

	if (l->random)
		v ^= mslab_freeptr_key(l, ptr_addr);
	*ptr_addr = (void *)v;
}

/**
 * mslab_virt_to_slab() - find the mslab slab holding an address
 * @x: any address
 *
 * An mslab slab's head page has its private field pointing to the slab's
 * descriptor, and the descriptor points back to the page. Inline: every
 * free starts here.
 *
 * Return: the slab, or NULL when @x is not in memory mslab allocated.
 */
static __always_inline struct mslab_slab *mslab_virt_to_slab(const void *x)
{
	struct mslab_slab *slab;
	struct page *page;

	if (unlikely(!virt_addr_valid(x)))
		return NULL;
	page = compound_head(virt_to_page(x));
	/* The kernel's own slab pages reuse the private word for counters. */
	if (unlikely(PageSlab(page)))
		return NULL;
	slab = (struct mslab_slab *)page_private(page);
	if (unlikely(!slab || !virt_addr_valid(slab)))
		return NULL;
	/*
	 * For a page that is not mslab's, @slab is whatever its owner keeps
	 * in private: a valid kernel address, but maybe not a descriptor, so
	 * read the back pointer without KASAN's checks.
	 */
	if (unlikely(READ_ONCE_NOCHECK(slab->page) != page))
		return NULL;
	return slab;
}

/**
 * mslab_obj_in_slab() - is @obj the start of an object of @slab?
 * @l: the slab's layout (the caller may know it without a load)
 * @slab: the slab
 * @obj: address to check
 *
 * Return: true when @obj is exactly the start of one of the slab's objects.
 */
static __always_inline bool mslab_obj_in_slab(const struct mslab_layout *l,
					      struct mslab_slab *slab,
					      const void *obj)
{
	unsigned long off = obj - slab->base;
	/*
	 * objects never changes once the slab is built, but it shares the
	 * counters word that other CPUs update with cmpxchg (inuse, frozen):
	 * the load of the word races, the bits read here do not (KCSAN).
	 */
	unsigned int objects = data_race((unsigned int)slab->objects);
	unsigned int idx;

	if (unlikely(obj < slab->base ||
		     off >= (unsigned long)objects * l->size))
		return false;
	idx = reciprocal_divide(off, l->reciprocal_size);
	return (unsigned long)idx * l->size == off;
}

/* The index of an object of @slab. */
static inline unsigned int mslab_obj_index(struct mslab_slab *slab,
					   const void *obj)
{
	return reciprocal_divide(obj - slab->base,
				 slab->layout->reciprocal_size);
}

/*
 * A tid starts at the CPU number and advances by a power of two at least
 * NR_CPUS, so two CPUs never share one: a fast path migrated to another CPU
 * fails its cmpxchg there.
 */
#define MSLAB_TID_STEP roundup_pow_of_two(CONFIG_NR_CPUS)

static inline unsigned long mslab_next_tid(unsigned long tid)
{
	return tid + MSLAB_TID_STEP;
}

static inline int mslab_slab_nid(const struct mslab_slab *slab)
{
	return slab->node;
}

#endif /* _MSLAB_MSLAB_H */
