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
	/* On every slab of its node: under mslab_node.all_lock. */
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
/*
 * Bounds of the writable tunables. min_partial: empty slabs kept per node
 * (SLUB computes 5..10). cpu_partial: objects per CPU (SLUB computes at
 * most 120); the bound keeps cpu_partial * 2 and the slab count far from
 * overflow.
 */
#define MSLAB_MIN_PARTIAL_LIMIT	1024UL
#define MSLAB_CPU_PARTIAL_LIMIT	32768UL

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
 * the debug metadata are (layout.c, SLUB's calculate_sizes()), the slab
 * order, and how free pointers are encoded and shuffled (hardening.c).
 *
 * A cache's "plain" layout has no debug metadata; a cache gets one more
 * layout per combination of debug flags it has been given, at creation or
 * later through sysfs (debug_switch.c). Every slab keeps the layout it was built
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
 * under mslab_mutex (debug_switch.c). The tunables (min_partial, cpu_partial, ...)
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
	 * flags in force. READ_ONCE(); it changes only in debug_switch.c.
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
	 * fast paths to test; READ_ONCE(), changed by debug_switch.c.
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

/*
 * Is the cache's current layout its plain one: may CPUs hold its slabs? A
 * layout switch (debug_switch.c) changes the answer, then flushes every CPU; so
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

#endif /* _MSLAB_MSLAB_H */
