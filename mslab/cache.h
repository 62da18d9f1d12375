/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Everything beside the allocation layers: caches' creation and
 * destruction, geometry and layouts, hardening, flushing CPUs, kmalloc,
 * memory cgroups, the shrinker, sysfs and debugfs. These call into the
 * layers (alloc.c to slab.c); the layers call none of them but the
 * layout helpers.
 */
#ifndef _MSLAB_CACHE_H
#define _MSLAB_CACHE_H

#include "mslab.h"

/* === Module-wide state ================================================== */

/* Serialises cache creation and destruction; protects mslab_caches. */
extern struct mutex mslab_mutex;
extern struct list_head mslab_caches;

/* Caches in existence, leaked ones included. */
extern atomic_t mslab_nr_caches;

/* /sys/kernel/mslab: the parent of every cache's kobject. */
extern struct kset *mslab_kset;
/* /sys/kernel/debug/mslab */
extern struct dentry *mslab_debugfs_root;

/* layout.c: object layout, alignment, slab order (SLUB's calculate_sizes()) */
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

/* alloc.c: the entry points' helpers for kmalloc.c */
void *mslab_alloc_caller(struct mslab_cache *s, gfp_t gfpflags, int node,
			 unsigned int orig_size, unsigned long addr);
void mslab_free_object(struct mslab_cache *s, struct mslab_slab *slab,
		       void *x, unsigned long addr);

/* cpu.c: flushing CPUs' slabs and sheaves, CPU hotplug */
void mslab_flush_all(struct mslab_cache *s, bool every_cpu);
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

/* debug_switch.c: debug layouts, switching debugging at run time */
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

/* debug_param.c: the slab_debug= module parameter */
slab_flags_t mslab_slab_debug_flags(const char *spec, const char *name,
				    bool *found);
/* "FZPUT" or "-", and the NUL. */
#define MSLAB_DEBUG_LETTERS_LEN	6
const char *mslab_debug_letters(slab_flags_t flags, char *buf);
slab_flags_t mslab_apply_slab_debug(const char *name, slab_flags_t flags);

/* cache.c */
struct mslab_cache *mslab_cache_create_caller(const char *name,
					      unsigned int size,
					      const struct mslab_cache_args *args,
					      slab_flags_t flags,
					      unsigned long caller);
void mslab_free_cache(struct mslab_cache *s);
void mslab_cache_exit(void);

/* owners.c: the modules that create caches */
void mslab_record_owner(struct mslab_cache *s, unsigned long caller);
int mslab_owners_init(void);
void mslab_owners_exit(void);

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

#endif /* _MSLAB_CACHE_H */
