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
 * Per-CPU event counters with SLUB 6.12's names and meanings
 * (mm/slub.c: enum stat_item). Always on; bumped with raw_cpu_inc().
 */
enum mslab_stat_item {
	ALLOC_FASTPATH,		/* Allocation from cpu slab */
	ALLOC_SLOWPATH,		/* Allocation by getting a new cpu slab */
	FREE_FASTPATH,		/* Free to cpu slab */
	FREE_SLOWPATH,		/* Freeing not to cpu slab */
	FREE_FROZEN,		/* Freeing to frozen slab */
	FREE_ADD_PARTIAL,	/* Freeing moves slab to partial list */
	FREE_REMOVE_PARTIAL,	/* Freeing removes last object */
	ALLOC_FROM_PARTIAL,	/* Cpu slab acquired from node partial list */
	ALLOC_SLAB,		/* Cpu slab acquired from page allocator */
	ALLOC_REFILL,		/* Refill cpu slab from slab freelist */
	ALLOC_NODE_MISMATCH,	/* Switching cpu slab */
	FREE_SLAB,		/* Slab freed to the page allocator */
	CPUSLAB_FLUSH,		/* Abandoning of the cpu slab */
	DEACTIVATE_FULL,	/* Cpu slab was full when deactivated */
	DEACTIVATE_EMPTY,	/* Cpu slab was empty when deactivated */
	DEACTIVATE_TO_HEAD,	/* Cpu slab was moved to the head of partials */
	DEACTIVATE_TO_TAIL,	/* Cpu slab was moved to the tail of partials */
	DEACTIVATE_REMOTE_FREES,/* Slab contained remotely freed objects */
	DEACTIVATE_BYPASS,	/* Implicit deactivation */
	ORDER_FALLBACK,		/* Number of times fallback was necessary */
	CMPXCHG_DOUBLE_CPU_FAIL,/* Failures of this_cpu_cmpxchg_double */
	CMPXCHG_DOUBLE_FAIL,	/* Failures of slab freelist update */
	CPU_PARTIAL_ALLOC,	/* Used cpu partial on alloc */
	CPU_PARTIAL_FREE,	/* Refill cpu partial on free */
	CPU_PARTIAL_NODE,	/* Refill cpu partial from node partial */
	CPU_PARTIAL_DRAIN,	/* Drain cpu partial to node partial */
	/*
	 * The sheaf front end's, with the names of SLUB's sheaves (7.0). In a
	 * cache with sheaves, alloc_fastpath and free_fastpath count objects
	 * taken from and put in the CPU's sheaves, alloc_slowpath and
	 * free_slowpath the user's other ones; the objects sheaves take from
	 * and give back to the slabs count only here.
	 */
	SHEAF_FLUSH,		/* Objects flushed from a sheaf to slabs */
	SHEAF_REFILL,		/* Objects refilled into a sheaf from slabs */
	SHEAF_ALLOC,		/* Sheaves allocated */
	SHEAF_FREE,		/* Sheaves freed */
	BARN_GET,		/* Full sheaf taken from the barn */
	BARN_GET_FAIL,		/* No full sheaf in the barn */
	BARN_PUT,		/* Full sheaf put in the barn */
	BARN_PUT_FAIL,		/* No room for a full sheaf in the barn */
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

/* === Sheaves (the object-array front end) ============================== */

/*
 * An array of free objects (SLUB's newest sheaves, Bonwick's magazines).
 * Sized so the whole structure fills a kmalloc bucket exactly.
 */
struct mslab_sheaf {
	/* On a barn list: under the barn's lock. */
	struct list_head barn_list;
	/* Objects held, objects[0 .. size - 1]. */
	unsigned int size;
	void *objects[];
};

/* Largest sheaf capacity: a sheaf fills at most a 512-byte bucket. */
#define MSLAB_SHEAF_MAX_CAPACITY \
	((512 - sizeof(struct mslab_sheaf)) / sizeof(void *))

/*
 * A CPU's sheaves. Only that CPU touches them, with @busy set (mslab's
 * local_trylock()): a context of the CPU that finds @busy set uses the slab
 * path instead, so no interrupt is ever disabled. Preemption is off while
 * @busy is set, except on PREEMPT_RT: there a sheaf operation takes
 * sleeping locks (the barn's, the slab path's) and allocates, so only
 * migration is off, and another task of the CPU that finds @busy set falls
 * back to the slab path as an interrupt does.
 */
struct mslab_pcs {
	bool busy;
	/* Where objects are taken and put; never NULL. */
	struct mslab_sheaf *main;
	/* A second sheaf swapped in when main runs full or empty, or NULL. */
	struct mslab_sheaf *spare;
};

/*
 * Enter this CPU's sheaves of @pcs_base, or NULL when another context of
 * this CPU is inside them. Pairs with mslab_pcs_exit().
 */
static __always_inline struct mslab_pcs *
mslab_pcs_enter(struct mslab_pcs __percpu *pcs_base)
{
	struct mslab_pcs *pcs;

	if (IS_ENABLED(CONFIG_PREEMPT_RT)) {
		migrate_disable();
		pcs = this_cpu_ptr(pcs_base);
		/* Preemptible: test and set as one step against this CPU. */
		if (unlikely(cmpxchg_local(&pcs->busy, false, true))) {
			migrate_enable();
			return NULL;
		}
		return pcs;
	}
	preempt_disable();
	pcs = this_cpu_ptr(pcs_base);
	if (unlikely(READ_ONCE(pcs->busy))) {
		preempt_enable();
		return NULL;
	}
	WRITE_ONCE(pcs->busy, true);
	/* Interrupts on this CPU see busy before any change to the sheaves. */
	barrier();
	return pcs;
}

static __always_inline void mslab_pcs_exit(struct mslab_pcs *pcs)
{
	/* All changes to the sheaves are done before busy clears. */
	barrier();
	WRITE_ONCE(pcs->busy, false);
	if (IS_ENABLED(CONFIG_PREEMPT_RT))
		migrate_enable();
	else
		preempt_enable();
}

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

/* geometry.c */
int mslab_calculate_geometry(struct mslab_cache *s, unsigned int size,
			     unsigned int align);
int mslab_calculate_layout(struct mslab_cache *s, struct mslab_layout *l,
			   slab_flags_t debug);
void mslab_set_tunables(struct mslab_cache *s);
unsigned int mslab_calculate_alignment(slab_flags_t flags, unsigned int align,
				       unsigned int size);
int mslab_calculate_order(unsigned int size);
unsigned int mslab_calculate_order_before_6_8(unsigned int size,
					      unsigned int min_objects);

/* slab.c */
struct mslab_slab *mslab_new_slab(struct mslab_cache *s,
				  struct mslab_layout *l, gfp_t flags,
				  int node);
void mslab_discard_slab(struct mslab_cache *s, struct mslab_slab *slab);
void mslab_account_slab_pages(struct page *page, unsigned int order,
			      bool reclaimable, int sign);
struct page *mslab_alloc_slab_page(gfp_t flags, int node, unsigned int order);
int mslab_slab_init(void);
void mslab_slab_exit(void);

/* alloc.c: the slab front end's allocation and free paths */
void *mslab_alloc_caller(struct mslab_cache *s, gfp_t gfpflags, int node,
			 unsigned int orig_size, unsigned long addr);
void mslab_init_cpu_slabs(struct mslab_cache *s);
void *mslab_slab_alloc_slow(struct mslab_cache *s, gfp_t gfpflags, int node,
			    struct mslab_cpu *c);
void mslab_slab_free(struct mslab_cache *s, struct mslab_slab *slab,
		     void *head, void *tail, int cnt, unsigned long addr,
		     bool user);
void mslab_free_object(struct mslab_cache *s, struct mslab_slab *slab,
		       void *x, unsigned long addr);
struct mslab_slab *mslab_free_to_slab(struct mslab_cache *s, void *x,
				      unsigned long addr);
void mslab_deactivate_slab(struct mslab_cache *s, struct mslab_slab *slab,
			   void *freelist);
void mslab_put_partials_list(struct mslab_cache *s,
			     struct mslab_slab *partial_slab);
void mslab_put_partials(struct mslab_cache *s);

/* bulk.c */
int mslab_alloc_bulk(struct mslab_cache *s, gfp_t gfpflags, size_t size,
		     void **p, bool user);
void mslab_free_bulk(struct mslab_cache *s, size_t size, void **p,
		     bool user, unsigned long addr);

/* cpu.c: flushing CPUs' slabs, CPU hotplug */
void mslab_flush_all(struct mslab_cache *s, bool every_cpu);
void mslab_flush_cpu(struct mslab_cache *s, unsigned int cpu);
unsigned int mslab_chain_slabs_racy(struct mslab_slab *head);
extern atomic_long_t mslab_flush_works;
int mslab_cpu_init(void);
void mslab_cpu_exit(void);

/* hardening.c */
extern bool mslab_hardened;
extern bool mslab_random_freelist;
void mslab_hardening_init(struct mslab_cache *s);
int mslab_layout_randomize(struct mslab_cache *s, struct mslab_layout *l);
void *mslab_shuffle_freelist(const struct mslab_layout *l, void *base,
			     unsigned int objects);

/* layout.c: debug layouts, switching debugging at run time */
static inline unsigned int mslab_layout_index(slab_flags_t flags)
{
	return (flags & SLAB_CONSISTENCY_CHECKS ? 1 : 0) |
	       (flags & SLAB_RED_ZONE ? 2 : 0) |
	       (flags & SLAB_POISON ? 4 : 0) |
	       (flags & SLAB_STORE_USER ? 8 : 0) |
	       (flags & SLAB_TRACE ? 16 : 0);
}

/* Slabs of layout @l in cache @s now, over every node. */
static inline long mslab_layout_nr_slabs(struct mslab_cache *s,
					 const struct mslab_layout *l)
{
	long nr = 0;
	int node;

	for_each_node(node)
		if (s->node[node])
			nr += atomic_long_read(&s->node[node]->layout_slabs[l->index]);
	return nr;
}

int mslab_layouts_init(struct mslab_cache *s);
void mslab_layouts_free(struct mslab_cache *s);
int mslab_cache_set_debug(struct mslab_cache *s, slab_flags_t mask,
			  slab_flags_t set);
int mslab_layouts_show(struct mslab_cache *s, char *buf);
unsigned int mslab_max_objects(struct mslab_cache *s);

/* traces.c */
struct seq_file;
void mslab_debugfs_add_traces(struct mslab_cache *s, struct dentry *dir);
int mslab_traces_show(struct seq_file *seq, bool alloc);

/* slab_debug.c */
slab_flags_t mslab_slab_debug_flags(const char *spec, const char *name,
				    bool *found);
/* "FZPUT" or "-", and the NUL. */
#define MSLAB_DEBUG_LETTERS_LEN	6
const char *mslab_debug_letters(slab_flags_t flags, char *buf);
slab_flags_t mslab_apply_slab_debug(const char *name, slab_flags_t flags);

/* sheaf.c */
extern bool mslab_sheaves_default;
unsigned int mslab_sheaf_default_capacity(unsigned int size);
int mslab_sheaves_init(struct mslab_cache *s, unsigned int capacity);
void mslab_sheaves_free(struct mslab_cache *s);
void *mslab_sheaf_alloc(struct mslab_cache *s, gfp_t gfpflags);
bool mslab_sheaf_free(struct mslab_cache *s, void *obj, unsigned long addr);
void mslab_sheaves_flush_cpu(struct mslab_cache *s, unsigned int cpu);
void mslab_sheaves_flush_local(struct mslab_cache *s);
void mslab_barns_shrink(struct mslab_cache *s);

/* cache.c */
struct mslab_cache *mslab_cache_create_caller(const char *name,
					      unsigned int size,
					      const struct mslab_cache_args *args,
					      slab_flags_t flags,
					      unsigned long caller);
int mslab_shrink_nodes(struct mslab_cache *s);
void mslab_discard_all_slabs(struct mslab_cache *s);
unsigned long mslab_shrink_empty(struct mslab_cache *s,
				 unsigned long max_pages);

/* owners.c: the modules that create caches */
void mslab_record_owner(struct mslab_cache *s, unsigned long caller);
int mslab_owners_init(void);
void mslab_owners_exit(void);

/* cache.c */
unsigned long mslab_count_inuse(struct mslab_cache *s);
void mslab_free_cache(struct mslab_cache *s);
void mslab_cache_exit(void);

/* report.c */
__printf(4, 5)
void mslab_report_free_error(struct mslab_cache *s, const void *obj,
			     unsigned long caller, const char *fmt, ...);
bool mslab_count_kunit_error(void);

/* debug.c: SLUB's debugging (red zones, poisoning, owner tracking, checks) */

/* Set with SLAB_POISON when the objects themselves are poisoned (SLUB's). */
#define MSLAB_OBJECT_POISON __SLAB_FLAG_BIT(_SLAB_OBJECT_POISON)

/*
 * The flags that make a cache a debug cache (SLUB's SLAB_DEBUG_FLAGS).
 * While a cache has any, it uses no cpu slab and no sheaf: every
 * allocation goes through debug.c, and so does every free of an object of
 * a debug slab (one built with a debug layout), under the node's
 * list_lock, as SLUB's debug caches do.
 */
#define MSLAB_DEBUG_FLAGS (SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | \
			   SLAB_POISON | SLAB_STORE_USER | SLAB_TRACE)
/* What slab_debug= with no letter turns on (SLUB's DEBUG_DEFAULT_FLAGS). */
#define MSLAB_DEBUG_DEFAULT_FLAGS (SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | \
				   SLAB_POISON | SLAB_STORE_USER)

/* Is debugging on for new objects: do allocations go through debug.c? */
static inline bool mslab_cache_debug(const struct mslab_cache *s)
{
	return unlikely(READ_ONCE(s->flags) & MSLAB_DEBUG_FLAGS);
}

/* Are a slab's objects handled by debug.c (under the node's list_lock)? */
static inline bool mslab_slab_debug(const struct mslab_slab *slab)
{
	return unlikely(slab->layout->flags & MSLAB_DEBUG_FLAGS);
}

/* Do objects go through the CPUs' sheaves? Not while debugging is on. */
static inline bool mslab_use_sheaves(const struct mslab_cache *s)
{
	return READ_ONCE(s->sheaves_on);
}

/*
 * init_on_alloc and init_on_free (the kernel's boot options, static keys
 * exported to modules), applied as SLUB 6.12's slab_want_init_on_alloc()
 * and slab_want_init_on_free(): never to a cache with a constructor, and
 * to SLAB_TYPESAFE_BY_RCU and poisoned caches only for __GFP_ZERO, since
 * their objects' contents must survive a free.
 */
static __always_inline bool mslab_want_init_on_alloc(gfp_t flags,
						     const struct mslab_cache *s)
{
	if (static_branch_maybe(CONFIG_INIT_ON_ALLOC_DEFAULT_ON,
				&init_on_alloc)) {
		if (s->ctor)
			return false;
		if (READ_ONCE(s->flags) & (SLAB_TYPESAFE_BY_RCU | SLAB_POISON))
			return flags & __GFP_ZERO;
		return true;
	}
	return flags & __GFP_ZERO;
}

static __always_inline bool mslab_want_init_on_free(const struct mslab_cache *s)
{
	if (static_branch_maybe(CONFIG_INIT_ON_FREE_DEFAULT_ON, &init_on_free))
		return !(s->ctor || (READ_ONCE(s->flags) &
				     (SLAB_TYPESAFE_BY_RCU | SLAB_POISON)));
	return false;
}

/* Is the free pointer after the object rather than inside it? */
static inline bool mslab_freeptr_outside_object(const struct mslab_layout *l)
{
	return l->offset >= l->inuse;
}

/*
 * init_on_free for an object of a plain slab: zero every byte its user may
 * have written (up to ksize(): the whole stride when the free pointer is
 * inside the object), before the free pointer is set.
 */
static __always_inline void mslab_init_on_free_plain(const struct mslab_cache *s,
						     void *x)
{
	const struct mslab_layout *l = &s->plain;

	memset(x, 0, mslab_freeptr_outside_object(l) ? l->inuse : l->size);
}

/*
 * With init_on_free a free object is zero but for a free pointer inside it:
 * clear that word of an object being handed out (SLUB's
 * maybe_wipe_obj_freeptr()). The plain layout puts it at half the object
 * size rounded down to a word, so the word lies inside the object of any
 * layout.
 */
static __always_inline void mslab_wipe_freeptr(const struct mslab_cache *s,
					       void *x)
{
	if (!mslab_freeptr_outside_object(&s->plain))
		*(void **)(x + s->plain.offset) = NULL;
}

/*
 * Bytes __GFP_ZERO and init_on_alloc clear: only those asked for where a
 * kmalloc cache's debugging red-zones the rest (SLUB's
 * slab_post_alloc_hook()).
 */
static inline unsigned int mslab_zero_size(struct mslab_cache *s,
					   unsigned int orig_size)
{
	if (orig_size && (s->flags & SLAB_KMALLOC) &&
	    (READ_ONCE(s->flags) & (SLAB_RED_ZONE | SLAB_STORE_USER)))
		return orig_size;
	return s->object_size;
}

/**
 * mslab_init_new_object() - the contents of an object being handed out
 * @s: its cache
 * @object: the object, off its freelist or sheaf
 * @gfpflags: the allocation's flags
 * @orig_size: bytes a kmalloc caller asked for, or 0
 *
 * Zeroes it for __GFP_ZERO and init_on_alloc, and clears its free pointer
 * where init_on_free left the rest zero (SLUB's slab_post_alloc_hook()).
 * Both tests are static branches: nothing when the options are off.
 */
static __always_inline void mslab_init_new_object(struct mslab_cache *s,
						  void *object, gfp_t gfpflags,
						  unsigned int orig_size)
{
	if (unlikely(mslab_want_init_on_alloc(gfpflags, s)))
		memset(object, 0, mslab_zero_size(s, orig_size));
	else if (unlikely(mslab_want_init_on_free(s)))
		mslab_wipe_freeptr(s, object);
}

/* Offset of the owner tracks: past the free pointer if it follows. */
static inline unsigned int mslab_info_end(const struct mslab_layout *l)
{
	if (mslab_freeptr_outside_object(l))
		return l->inuse + sizeof(void *);
	return l->inuse;
}

/* Bytes of the metadata that SLAB_STORE_USER adds (two tracks). */
unsigned int mslab_track_size(void);
void mslab_debug_layout_init(const struct mslab_layout *l);
void mslab_debug_init_slab(struct mslab_cache *s, struct mslab_slab *slab);
void *mslab_debug_alloc(struct mslab_cache *s, struct mslab_layout *l,
			gfp_t gfpflags, int node, unsigned int orig_size,
			unsigned long addr);
void mslab_debug_free(struct mslab_cache *s, struct mslab_slab *slab,
		      void *head, void *tail, int cnt, unsigned long addr,
		      bool user);
int mslab_validate_cache(struct mslab_cache *s);
void mslab_debug_track(struct mslab_slab *slab, void *object, bool alloc,
		       unsigned long *addr, unsigned int *handle, int *cpu,
		       int *pid, unsigned long *when);
void mslab_debug_free_map(struct mslab_cache *s, struct mslab_slab *slab,
			  unsigned long *map);
unsigned int mslab_debug_orig_size(struct mslab_cache *s,
				   struct mslab_slab *slab, void *object);
void mslab_debug_set_orig_size(struct mslab_cache *s, struct mslab_slab *slab,
			       void *object, unsigned int orig_size);

void *mslab_debug_kmalloc(struct mslab_cache *s, gfp_t gfpflags,
			  size_t size);
void mslab_list_leaked_objects(struct mslab_cache *s, const char *where);

/* kmalloc.c */
extern struct mslab_cache *mslab_kmalloc_caches[];
long mslab_large_pages(void);
bool mslab_rcu_frees_pending(void);
unsigned int mslab_kmalloc_index(size_t size);
int mslab_kmalloc_init(void);
void mslab_kmalloc_exit(void);

/* memcg.c: memory cgroups (SLAB_ACCOUNT, list_lru) */
struct list_lru;
bool mslab_memcg_prepare_lru(struct list_lru *lru, void *object,
			     gfp_t gfpflags);
int mslab_memcg_init(void);
void mslab_memcg_exit(void);

/* shrinker.c */
extern atomic_long_t mslab_shrink_scans;
extern atomic_long_t mslab_shrink_freed;
extern atomic_long_t mslab_shrink_flushes;
extern atomic_long_t mslab_shrink_ns;
int mslab_shrinker_init(void);
void mslab_shrinker_exit(void);

/* sysfs.c */
int mslab_sysfs_init(void);
void mslab_sysfs_exit(void);
int mslab_sysfs_add(struct mslab_cache *s);
void mslab_sysfs_remove(struct mslab_cache *s);
void mslab_sysfs_unlink(struct mslab_cache *s);
void mslab_sysfs_put(struct mslab_cache *s);

/* debugfs.c */
void mslab_debugfs_init(void);
void mslab_debugfs_exit(void);
void mslab_debugfs_add(struct mslab_cache *s);
void mslab_debugfs_remove(struct mslab_cache *s);

/* format.c: formats of the sysfs and debugfs files, parsing of writes */
#define MSLAB_FILL_BUCKETS	12	/* empty, <10%, 10-19% ... 90-99%, full */
unsigned int mslab_fill_bucket(unsigned int inuse, unsigned int objects);
const char *mslab_fill_bucket_name(unsigned int bucket);
int mslab_emit_nodes(char *buf, int len, const unsigned long *nodes,
		     const nodemask_t *mask);
int mslab_emit_cpu_partial(char *buf, unsigned int objs_per_slab,
			   const unsigned int *slabs, const struct cpumask *mask);
int mslab_parse_ulong(const char *buf, unsigned long max, unsigned long *val);
bool mslab_is_command(const char *buf, const char *word);

/*
 * Bounds of the writable tunables. min_partial: empty slabs kept per node
 * (SLUB computes 5..10). cpu_partial: objects per CPU (SLUB computes at
 * most 120); the bound keeps cpu_partial * 2 and the slab count far from
 * overflow.
 */
#define MSLAB_MIN_PARTIAL_LIMIT	1024UL
#define MSLAB_CPU_PARTIAL_LIMIT	32768UL

/* state.c: the debugfs state dump and slabinfo */

/* One slab as the state dump shows it. */
struct mslab_slab_fill {
	unsigned short inuse;
	unsigned short objects;
	int node;
};

/* Partial slabs of one CPU listed one by one; more are only counted. */
#define MSLAB_STATE_CHAIN_MAX	32U

/* One CPU's part of a snapshot, taken on that CPU under its local_lock. */
struct mslab_cpu_state {
	bool taken;			/* false: the CPU was offline */
	struct mslab_slab *slab;	/* identity only, never dereferenced */
	struct mslab_slab_fill cpu_slab; /* inuse: in users' hands */
	unsigned int cpu_free;		/* objects on the CPU's freelist */
	unsigned int remote_free;	/* freed to the slab by other CPUs */
	unsigned int nr_partial;	/* slabs on the partial chain */
	struct mslab_slab_fill partial[MSLAB_STATE_CHAIN_MAX];
};

/* One node's part, taken under its list_lock. */
struct mslab_node_state {
	unsigned long nr_slabs, objects, inuse;
	unsigned long hist[MSLAB_FILL_BUCKETS];
	unsigned long nr_partial;	/* slabs on the partial list */
	unsigned long nr_retired;	/* slabs on the retired list */
	unsigned long room;		/* entries of @partial */
	struct mslab_slab_fill *partial;
};

struct mslab_state {
	struct mslab_cache *s;
	struct mslab_cpu_state *cpus;	/* nr_cpu_ids entries */
	struct mslab_node_state *nodes;	/* nr_node_ids entries */
	unsigned long nr_slabs, objects, inuse;
	unsigned long hist[MSLAB_FILL_BUCKETS];
};

struct mslab_state *mslab_state_take(struct mslab_cache *s);
void mslab_state_free(struct mslab_state *st);
void mslab_state_print(struct seq_file *m, const struct mslab_state *st);

/* SLUB's struct slabinfo, the figures of a /proc/slabinfo line. */
struct mslab_slabinfo {
	unsigned long active_objs, num_objs, active_slabs, num_slabs;
	unsigned int objects_per_slab, cache_order;
};

unsigned long mslab_count_partial(struct mslab_node *n, bool free);
void mslab_slabinfo_get(struct mslab_cache *s, struct mslab_slabinfo *info);
void mslab_slabinfo_header(struct seq_file *m);
void mslab_slabinfo_show(struct seq_file *m, struct mslab_cache *s);

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

/* A snapshot of a slab's freelist and counters, for building an update. */
struct mslab_slab_state {
	void *freelist;
	union {
		unsigned long counters;
		struct {
			unsigned int inuse:16;
			unsigned int objects:15;
			unsigned int frozen:1;
		};
	};
};

/*
 * A slab's inuse, read without a lock: an upper bound when the slab is not
 * frozen, as frees by other CPUs may lower it at any time.
 */
static inline unsigned int mslab_slab_inuse(const struct mslab_slab *slab)
{
	struct mslab_slab_state st;

	st.counters = READ_ONCE(slab->counters);
	return st.inuse;
}

/*
 * A slab on the node partial list has no object in use: count it for the
 * shrinker (mslab_shrink_empty()). Under list_lock.
 */
static inline void mslab_note_empty(struct mslab_node *n,
				    struct mslab_slab *slab)
{
	if (!slab->empty_on_node) {
		slab->empty_on_node = true;
		n->nr_empty++;
	}
}

/* It has objects in use again (a debug slab allocates on the list). */
static inline void mslab_note_in_use(struct mslab_node *n,
				     struct mslab_slab *slab)
{
	if (slab->empty_on_node) {
		slab->empty_on_node = false;
		n->nr_empty--;
	}
}

/*
 * Put a slab with free objects on its node's partial list, or on the
 * retired list when its layout is no longer the cache's current one. Under
 * list_lock, which layout.c also holds to sort the lists after a switch, so
 * no slab of another layout stays on a partial list.
 */
static inline void mslab_add_partial(struct mslab_cache *s,
				     struct mslab_node *n,
				     struct mslab_slab *slab,
				     enum mslab_stat_item tail)
{
	lockdep_assert_held(&n->list_lock);
	if (unlikely(slab->layout != READ_ONCE(s->layout))) {
		list_add_tail(&slab->slab_list, &n->retired);
		n->nr_retired++;
		slab->retired = true;
		return;
	}
	n->nr_partial++;
	if (tail == DEACTIVATE_TO_TAIL)
		list_add_tail(&slab->slab_list, &n->partial);
	else
		list_add(&slab->slab_list, &n->partial);
	slab->on_node_partial = true;
	/* No free makes it empty without list_lock: it stays as it is. */
	if (!mslab_slab_inuse(slab))
		mslab_note_empty(n, slab);
}

/*
 * Should an empty slab stay on its node for reuse? Only up to min_partial
 * slabs, and only of the current layout: a retired slab goes back to the
 * buddy allocator once empty. Under list_lock, or a racy guess.
 */
static inline bool mslab_keep_empty(struct mslab_cache *s,
				    struct mslab_node *n,
				    struct mslab_slab *slab)
{
	return slab->layout == READ_ONCE(s->layout) &&
	       n->nr_partial < READ_ONCE(s->min_partial);
}

/* Take a slab off its node's partial or retired list. */
static inline void mslab_remove_partial(struct mslab_node *n,
					struct mslab_slab *slab)
{
	lockdep_assert_held(&n->list_lock);
	list_del(&slab->slab_list);
	if (unlikely(slab->retired)) {
		slab->retired = false;
		n->nr_retired--;
		return;
	}
	slab->on_node_partial = false;
	n->nr_partial--;
	mslab_note_in_use(n, slab);
}

/* Take a node's list_lock and all_lock, interrupts off, to walk all_slabs. */
static inline void mslab_lock_all_slabs(struct mslab_node *n,
					unsigned long *flags)
	__acquires(&n->list_lock) __acquires(&n->all_lock)
{
	spin_lock_irqsave(&n->list_lock, *flags);
	spin_lock(&n->all_lock);
}

static inline void mslab_unlock_all_slabs(struct mslab_node *n,
					  unsigned long flags)
	__releases(&n->all_lock) __releases(&n->list_lock)
{
	spin_unlock(&n->all_lock);
	spin_unlock_irqrestore(&n->list_lock, flags);
}

/* Is the slab on one of its node's lists (under list_lock)? */
static inline bool mslab_on_node_list(const struct mslab_slab *slab)
{
	return slab->on_node_partial || slab->retired;
}

static inline int mslab_slab_nid(const struct mslab_slab *slab)
{
	return slab->node;
}

#endif /* _MSLAB_MSLAB_H */
