/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mslab: a SLUB-style slab allocator as a loadable module.
 *
 * Public interface for client modules. The names and semantics mirror the
 * kernel's kmem_cache API (include/linux/slab.h), so a kmem_cache user
 * switches to mslab by renaming: kmem_cache_create() becomes
 * mslab_cache_create() and so on. Flags are the kernel's own SLAB_* values;
 * the ones mslab does not support are refused by name at create time.
 *
 * Build a client module with -I<mslab>/include and
 * KBUILD_EXTRA_SYMBOLS=<mslab>/Module.symvers; see README.
 */
#ifndef _LINUX_MSLAB_H
#define _LINUX_MSLAB_H

#include <linux/compiler.h>
#include <linux/gfp_types.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/types.h>

#include <linux/mslab_backport.h>

#define MSLAB_VERSION "0.3"

struct mslab_cache;
struct rcu_head;

struct mslab_cache *mslab_cache_create(const char *name, unsigned int size,
				       unsigned int align, slab_flags_t flags,
				       void (*ctor)(void *));

/* The per-CPU front end of a cache. */
enum mslab_front_end {
	MSLAB_FRONT_DEFAULT,	/* as the module parameter "sheaves" says */
	MSLAB_FRONT_SLAB,	/* SLUB 6.12: per-CPU slabs and partial lists */
	MSLAB_FRONT_SHEAVES,	/* per-CPU object arrays in front of those */
};

/* Creation arguments beyond the name, size and flags (cf. kmem_cache_args). */
struct mslab_cache_args {
	/* Object alignment: 0 or a power of two up to a page. */
	unsigned int align;
	/* Run once per object when its slab is populated, or NULL. */
	void (*ctor)(void *object);
	enum mslab_front_end front_end;
	/* Objects per sheaf with sheaves; 0 picks one by object size. */
	unsigned int sheaf_capacity;
};

struct mslab_cache *mslab_cache_create_args(const char *name, unsigned int size,
					    const struct mslab_cache_args *args,
					    slab_flags_t flags);
void mslab_cache_destroy(struct mslab_cache *s);
void *mslab_cache_alloc(struct mslab_cache *s, gfp_t gfpflags);
void *mslab_cache_alloc_node(struct mslab_cache *s, gfp_t gfpflags, int node);
struct list_lru;
void *mslab_cache_alloc_lru(struct mslab_cache *s, struct list_lru *lru,
			    gfp_t gfpflags);
void mslab_cache_free(struct mslab_cache *s, void *obj);
int mslab_cache_shrink(struct mslab_cache *s);
unsigned int mslab_cache_size(struct mslab_cache *s);

int mslab_cache_alloc_bulk(struct mslab_cache *s, gfp_t gfpflags, size_t size,
			   void **p);
void mslab_cache_free_bulk(struct mslab_cache *s, size_t size, void **p);

/*
 * The kmalloc family: size classes 8, 16, 32, 64, 96, 128, 192, 256, 512,
 * 1k, 2k, 4k and 8k are mslab caches ("mslab-kmalloc-<size>"); larger
 * requests are compound pages straight from the buddy allocator.
 */
#define MSLAB_KMALLOC_MAX_CACHE_SIZE	8192

void *mslab_kmalloc(size_t size, gfp_t flags);
void *mslab_kmalloc_node(size_t size, gfp_t flags, int node);
void *mslab_krealloc(const void *p, size_t new_size, gfp_t flags);
void mslab_kfree(const void *p);
size_t mslab_ksize(const void *p);
void mslab_kfree_bulk(size_t size, void **p);
bool mslab_owns(const void *p);
void *mslab_kmalloc_node_track_caller(size_t size, gfp_t flags, int node,
				      unsigned long caller);
size_t mslab_kmalloc_size_roundup(size_t size);

/*
 * Buckets: kmalloc size classes of a subsystem's own, "<name>-<size>" (the
 * kernel's kmem_buckets); free with mslab_kfree().
 */
struct mslab_buckets;
struct mslab_buckets *mslab_buckets_create(const char *name,
					   slab_flags_t flags,
					   void (*ctor)(void *));
void mslab_buckets_destroy(struct mslab_buckets *b);
void *mslab_buckets_alloc_node_track_caller(struct mslab_buckets *b,
					    size_t size, gfp_t flags, int node,
					    unsigned long caller);
void *mslab_buckets_kvmalloc_node(struct mslab_buckets *b, size_t size,
				  gfp_t flags, int node);

/* kvmalloc: mslab's kmalloc first, the kernel's vmalloc beyond a page. */
void *mslab_kvmalloc_node(size_t size, gfp_t flags, int node);
void *mslab_kvrealloc(const void *p, size_t size, gfp_t flags);
void mslab_kvfree(const void *p);

static inline void *mslab_kzalloc(size_t size, gfp_t flags)
{
	return mslab_kmalloc(size, flags | __GFP_ZERO);
}

static inline void *mslab_kmalloc_array(size_t n, size_t size, gfp_t flags)
{
	size_t bytes;

	if (unlikely(check_mul_overflow(n, size, &bytes)))
		return NULL;
	return mslab_kmalloc(bytes, flags);
}

static inline void *mslab_kcalloc(size_t n, size_t size, gfp_t flags)
{
	return mslab_kmalloc_array(n, size, flags | __GFP_ZERO);
}

/*
 * mslab_kfree_rcu(ptr, rhf): free @ptr, allocated by mslab, after an RCU
 * grace period, using the struct rcu_head member @rhf of *@ptr (as the
 * kernel's kfree_rcu()). mslab_kfree_rcu_mightsleep(ptr) needs no rcu_head
 * and waits for the grace period itself.
 */
void mslab_kfree_call_rcu(struct rcu_head *head);
void mslab_kfree_rcu_mightsleep(const void *p);

#define mslab_kfree_rcu(ptr, rhf)					\
do {									\
	typeof(ptr) ___p = (ptr);					\
									\
	if (___p)							\
		mslab_kfree_call_rcu((void *)___p +			\
				     offsetof(typeof(*___p), rhf));	\
} while (0)

#endif /* _LINUX_MSLAB_H */
