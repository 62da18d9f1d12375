/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Allocate from mslab without changing a line of a module written against
 * the kernel's slab API.
 *
 * Include this header first in each source file, or pass it with -include
 * on the file's build line (ccflags-y or CFLAGS_<file>.o in its Kbuild),
 * and rebuild: kmem_cache_*(), KMEM_CACHE(),
 * the kmalloc family, kfree_rcu() and the bulk calls then go to mslab.
 * struct kmem_cache becomes struct mslab_cache.
 *
 * Covered: kmem_cache_create() (both the legacy 5-argument form and the
 * 6.12 struct kmem_cache_args form), kmem_cache_create_usercopy(),
 * KMEM_CACHE(), KMEM_CACHE_USERCOPY(), kmem_cache_alloc(),
 * kmem_cache_zalloc(), kmem_cache_alloc_node(), kmem_cache_alloc_lru(),
 * kmem_cache_free(), kmem_cache_destroy(), kmem_cache_shrink(),
 * kmem_cache_size(), kmem_cache_alloc_bulk(), kmem_cache_free_bulk(),
 * kmalloc(), kzalloc(), kcalloc(), kmalloc_array(), kmalloc_node(),
 * kzalloc_node(), kcalloc_node(), kmalloc_track_caller(),
 * kmalloc_node_track_caller(), kmalloc_size_roundup(), krealloc(),
 * krealloc_array(), kfree(), kfree_sensitive(), kfree_const(),
 * __free(kfree), kfree_bulk(), ksize(), kvmalloc(), kvzalloc(),
 * kvmalloc_node(), kvzalloc_node(), kvmalloc_array(), kvcalloc(),
 * kvcalloc_node(), kvrealloc(), kvfree(), kvfree_sensitive(),
 * __free(kvfree), kfree_rcu(), kvfree_rcu(), kfree_rcu_mightsleep().
 * SLAB_ACCOUNT charges slab pages, not objects (mslab/memcg.c).
 *
 * The freeing calls, ksize() and krealloc() also accept memory of the
 * kernel's own allocator and pass it on to it: the kernel's helpers
 * (kstrdup(), kmemdup(), kasprintf() ...) still allocate from the kernel,
 * and their results are kfree()d as usual. So do the kv*() calls, which
 * also free and resize the kernel's vmalloc memory, where kvmalloc() puts
 * what mslab's kmalloc cannot hold.
 *
 * With -include, a module that defines pr_fmt itself gets a "pr_fmt
 * redefined" warning (an error with -Werror), since this header already
 * pulled in printk.h: include the header after the module's own pr_fmt
 * instead.
 *
 * Not covered (these still use the kernel's allocator, see README):
 * devm_kmalloc(), and flags mslab refuses at create time. The usercopy
 * region and kmem_cache_args.freeptr_offset are ignored: mslab keeps the
 * free pointer of SLAB_TYPESAFE_BY_RCU caches outside the object anyway.
 */
#ifndef _LINUX_MSLAB_COMPAT_H
#define _LINUX_MSLAB_COMPAT_H

#include <linux/err.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include <linux/mslab.h>

/* === Caches ============================================================= */

/*
 * The kernel's own caches keep the kernel's type and allocator: headers use
 * some in macros (fs.h's __getname() allocates from names_cachep). The
 * headers that declare them are included above, before struct kmem_cache
 * becomes struct mslab_cache below, and the allocation and free calls
 * choose by the type of the cache they are given. These helpers, defined
 * before the rename, take the kernel's caches.
 */
static inline void *mslab_compat_kernel_alloc(struct kmem_cache *s, gfp_t flags)
{
	return kmem_cache_alloc_noprof(s, flags);
}

static inline void *mslab_compat_kernel_alloc_node(struct kmem_cache *s,
						   gfp_t flags, int node)
{
	return kmem_cache_alloc_node_noprof(s, flags, node);
}

static inline void *mslab_compat_kernel_alloc_lru(struct kmem_cache *s,
						  struct list_lru *lru,
						  gfp_t flags)
{
	return kmem_cache_alloc_lru_noprof(s, lru, flags);
}

static inline void mslab_compat_kernel_free(struct kmem_cache *s, void *p)
{
	kmem_cache_free(s, p);
}

/* Never defined: its type is the kernel's struct kmem_cache pointer. */
struct kmem_cache *mslab_compat_kernel_cache_type(void);
#define mslab_compat_kernel_cache typeof(mslab_compat_kernel_cache_type())

/* Call @kernel_fn for a kernel cache @s, @mslab_fn for any other. */
#define mslab_compat_call(kernel_fn, mslab_fn, s, ...)			\
	__builtin_choose_expr(__builtin_types_compatible_p(typeof(s),	\
					mslab_compat_kernel_cache),	\
			      kernel_fn, mslab_fn)((s), __VA_ARGS__)

#define kmem_cache mslab_cache

#ifdef MSLAB_HAVE_KMEM_CACHE_ARGS
/* kmem_cache_create(name, size, args, flags): 6.12's new form. */
static inline struct mslab_cache *
mslab_compat_create_4(const char *name, unsigned int size,
		      struct kmem_cache_args *args, slab_flags_t flags)
{
	return mslab_cache_create(name, size, args ? args->align : 0, flags,
				  args ? args->ctor : NULL);
}
#endif

/* kmem_cache_create(name, size, align, flags, ctor): the legacy form. */
static inline struct mslab_cache *
mslab_compat_create_5(const char *name, unsigned int size, unsigned int align,
		      slab_flags_t flags, void (*ctor)(void *))
{
	return mslab_cache_create(name, size, align, flags, ctor);
}

static inline struct mslab_cache *
mslab_compat_create_usercopy(const char *name, unsigned int size,
			     unsigned int align, slab_flags_t flags,
			     unsigned int useroffset, unsigned int usersize,
			     void (*ctor)(void *))
{
	return mslab_cache_create(name, size, align, flags, ctor);
}

/*
 * Either form of 6.12's kmem_cache_create(), by the number of arguments;
 * kernels before struct kmem_cache_args (6.12) have only the legacy one.
 */
#undef kmem_cache_create
#ifdef MSLAB_HAVE_KMEM_CACHE_ARGS
#include <linux/args.h>	/* since 6.7, so on every kernel with the args */
#define kmem_cache_create(...)						\
	CONCATENATE(mslab_compat_create_, COUNT_ARGS(__VA_ARGS__))(__VA_ARGS__)
#else
#define kmem_cache_create(...) mslab_compat_create_5(__VA_ARGS__)
#endif

#undef kmem_cache_create_usercopy
#define kmem_cache_create_usercopy(...)					\
	mslab_compat_create_usercopy(__VA_ARGS__)

#undef KMEM_CACHE
#define KMEM_CACHE(type, flags)						\
	mslab_cache_create(#type, sizeof(struct type),			\
			   __alignof__(struct type), (flags), NULL)

#undef KMEM_CACHE_USERCOPY
#define KMEM_CACHE_USERCOPY(type, flags, ...)	KMEM_CACHE(type, flags)

#undef kmem_cache_alloc
#define kmem_cache_alloc(s, flags)					\
	mslab_compat_call(mslab_compat_kernel_alloc, mslab_cache_alloc,	\
			  s, (flags))
#undef kmem_cache_zalloc
#define kmem_cache_zalloc(s, flags)	kmem_cache_alloc(s, (flags) | __GFP_ZERO)
#undef kmem_cache_alloc_node
#define kmem_cache_alloc_node(s, flags, node)				\
	mslab_compat_call(mslab_compat_kernel_alloc_node,		\
			  mslab_cache_alloc_node, s, (flags), (node))
#undef kmem_cache_alloc_lru
#define kmem_cache_alloc_lru(s, lru, flags)				\
	mslab_compat_call(mslab_compat_kernel_alloc_lru,		\
			  mslab_cache_alloc_lru, s, (lru), (flags))
#define kmem_cache_free(s, p)						\
	mslab_compat_call(mslab_compat_kernel_free, mslab_cache_free, s, (p))
#define kmem_cache_destroy		mslab_cache_destroy
#define kmem_cache_shrink		mslab_cache_shrink
#define kmem_cache_size			mslab_cache_size
#undef kmem_cache_alloc_bulk
#define kmem_cache_alloc_bulk(s, flags, size, p)			\
	mslab_cache_alloc_bulk((s), (flags), (size), (p))
#define kmem_cache_free_bulk		mslab_cache_free_bulk

/* === kmalloc ============================================================ */

/*
 * Memory that is not mslab's goes to the kernel's kfree(), ksize(),
 * krealloc() ...: a module still gets some memory from the kernel's own
 * helpers (kstrdup(), kmemdup() ...). These helpers are defined before the
 * kernel's names are redefined below, so inside them those are the
 * kernel's.
 */
static inline void mslab_compat_kfree(const void *p)
{
	if (mslab_owns(p))
		mslab_kfree(p);
	else
		kfree(p);
}

static inline void mslab_compat_kfree_sensitive(const void *p)
{
	if (mslab_owns(p)) {
		memzero_explicit((void *)p, mslab_ksize(p));
		mslab_kfree(p);
	} else {
		kfree_sensitive(p);
	}
}

static inline size_t mslab_compat_ksize(const void *p)
{
	return mslab_owns(p) ? mslab_ksize(p) : ksize(p);
}

static inline void *mslab_compat_krealloc(const void *p, size_t size,
					  gfp_t flags)
{
	if (!ZERO_OR_NULL_PTR(p) && !mslab_owns(p))
		return krealloc(p, size, flags);
	return mslab_krealloc(p, size, flags);
}

static inline void *mslab_compat_krealloc_array(void *p, size_t n,
						size_t size, gfp_t flags)
{
	size_t bytes;

	if (unlikely(check_mul_overflow(n, size, &bytes)))
		return NULL;
	return mslab_compat_krealloc(p, bytes, flags);
}

static inline void mslab_compat_kfree_bulk(size_t size, void **p)
{
	size_t i;

	for (i = 0; i < size; i++)
		mslab_compat_kfree(p[i]);
}

static inline void *mslab_compat_kcalloc_node(size_t n, size_t size,
					      gfp_t flags, int node)
{
	size_t bytes;

	if (unlikely(check_mul_overflow(n, size, &bytes)))
		return NULL;
	return mslab_kmalloc_node(bytes, flags | __GFP_ZERO, node);
}

static inline void mslab_compat_kfree_const(const void *p)
{
	if (mslab_owns(p))
		mslab_kfree(p);
	else
		kfree_const(p);	/* .rodata, or the kernel's */
}

/* kvmalloc() memory is mslab's kmalloc memory or the kernel's vmalloc. */
static inline void mslab_compat_kvfree(const void *p)
{
	if (mslab_owns(p))
		mslab_kfree(p);
	else
		kvfree(p);
}

static inline void mslab_compat_kvfree_sensitive(const void *p, size_t len)
{
	if (mslab_owns(p)) {
		memzero_explicit((void *)p, len);
		mslab_kfree(p);
	} else {
		kvfree_sensitive(p, len);
	}
}

static inline void *mslab_compat_kvrealloc(const void *p, size_t size,
					   gfp_t flags)
{
	if (!ZERO_OR_NULL_PTR(p) && !mslab_owns(p) && !is_vmalloc_addr(p))
		return kvrealloc(p, size, flags);
	return mslab_kvrealloc(p, size, flags);
}

static inline void *mslab_compat_kvmalloc_array_node(size_t n, size_t size,
						     gfp_t flags, int node)
{
	size_t bytes;

	if (unlikely(check_mul_overflow(n, size, &bytes)))
		return NULL;
	return mslab_kvmalloc_node(bytes, flags, node);
}

/* Scope-based cleanup, where the kernel has it (6.5). */
#ifdef DEFINE_FREE
static inline void mslab_compat_kvfree_cleanup(void *p)
{
	if (!IS_ERR_OR_NULL(p))
		mslab_compat_kvfree(p);
}

DEFINE_FREE(mslab_compat_kvfree, void *, mslab_compat_kvfree_cleanup(_T))

static inline void mslab_compat_kfree_cleanup(void *p)
{
	if (!IS_ERR_OR_NULL(p))
		mslab_compat_kfree(p);
}

/* __free(kfree) (scope-based cleanup) must free through mslab too. */
DEFINE_FREE(mslab_compat_kfree, void *, mslab_compat_kfree_cleanup(_T))
#endif

#undef kmalloc
#define kmalloc(size, flags)		mslab_kmalloc((size), (flags))
#undef kzalloc
#define kzalloc(size, flags)		mslab_kzalloc((size), (flags))
#undef kmalloc_node
#define kmalloc_node(size, flags, node)					\
	mslab_kmalloc_node((size), (flags), (node))
#undef kzalloc_node
#define kzalloc_node(size, flags, node)					\
	mslab_kmalloc_node((size), (flags) | __GFP_ZERO, (node))
#undef kmalloc_array
#define kmalloc_array(n, size, flags)	mslab_kmalloc_array((n), (size), (flags))
#undef kcalloc
#define kcalloc(n, size, flags)		mslab_kcalloc((n), (size), (flags))
#undef kcalloc_node
#define kcalloc_node(n, size, flags, node)				\
	mslab_compat_kcalloc_node((n), (size), (flags), (node))
#undef krealloc
#define krealloc(p, size, flags)	mslab_compat_krealloc((p), (size), (flags))
#undef krealloc_array
#define krealloc_array(p, n, size, flags)				\
	mslab_compat_krealloc_array((p), (n), (size), (flags))
#undef kmalloc_track_caller
#define kmalloc_track_caller(size, flags)				\
	mslab_kmalloc_node_track_caller((size), (flags), NUMA_NO_NODE,	\
					_RET_IP_)
#undef kmalloc_node_track_caller
#define kmalloc_node_track_caller(size, flags, node)			\
	mslab_kmalloc_node_track_caller((size), (flags), (node), _RET_IP_)
#define kmalloc_size_roundup		mslab_kmalloc_size_roundup
#define kfree				mslab_compat_kfree
#define kfree_sensitive			mslab_compat_kfree_sensitive
#define kfree_const			mslab_compat_kfree_const
#define ksize				mslab_compat_ksize
#define kfree_bulk			mslab_compat_kfree_bulk
#ifdef DEFINE_FREE
#define __free_kfree			__free_mslab_compat_kfree
#endif

/* === kmem_buckets ====================================================== */

/*
 * The kernel never destroys its buckets; those of a module are its
 * caches, reported as left behind when it unloads (or destroyed with
 * mslab_buckets_destroy()).
 */
static inline struct mslab_buckets *
mslab_compat_buckets_create(const char *name, slab_flags_t flags,
			    unsigned int useroffset, unsigned int usersize,
			    void (*ctor)(void *))
{
	return mslab_buckets_create(name, flags, ctor);
}

#define kmem_buckets			struct mslab_buckets
#define kmem_buckets_create		mslab_compat_buckets_create
#undef kmem_buckets_alloc
#define kmem_buckets_alloc(b, size, flags)				\
	mslab_buckets_alloc_node_track_caller((b), (size), (flags),	\
					      NUMA_NO_NODE, _THIS_IP_)
#undef kmem_buckets_alloc_track_caller
#define kmem_buckets_alloc_track_caller(b, size, flags)			\
	mslab_buckets_alloc_node_track_caller((b), (size), (flags),	\
					      NUMA_NO_NODE, _RET_IP_)
#undef kmem_buckets_valloc
#define kmem_buckets_valloc(b, size, flags)				\
	mslab_buckets_kvmalloc_node((b), (size), (flags), NUMA_NO_NODE)

/* === kvmalloc =========================================================== */

#undef kvmalloc_node
#define kvmalloc_node(size, flags, node)				\
	mslab_kvmalloc_node((size), (flags), (node))
#undef kvmalloc
#define kvmalloc(size, flags)						\
	mslab_kvmalloc_node((size), (flags), NUMA_NO_NODE)
#undef kvzalloc
#define kvzalloc(size, flags)						\
	mslab_kvmalloc_node((size), (flags) | __GFP_ZERO, NUMA_NO_NODE)
#undef kvzalloc_node
#define kvzalloc_node(size, flags, node)				\
	mslab_kvmalloc_node((size), (flags) | __GFP_ZERO, (node))
#undef kvmalloc_array
#define kvmalloc_array(n, size, flags)					\
	mslab_compat_kvmalloc_array_node((n), (size), (flags), NUMA_NO_NODE)
#undef kvcalloc
#define kvcalloc(n, size, flags)					\
	mslab_compat_kvmalloc_array_node((n), (size), (flags) | __GFP_ZERO, \
					 NUMA_NO_NODE)
#undef kvcalloc_node
#define kvcalloc_node(n, size, flags, node)				\
	mslab_compat_kvmalloc_array_node((n), (size), (flags) | __GFP_ZERO, \
					 (node))
#undef kvrealloc
#define kvrealloc(p, size, flags)	mslab_compat_kvrealloc((p), (size), (flags))
#define kvfree				mslab_compat_kvfree
#define kvfree_sensitive		mslab_compat_kvfree_sensitive
#ifdef DEFINE_FREE
#define __free_kvfree			__free_mslab_compat_kvfree
#endif

/* === RCU ================================================================ */

/* @head is the rcu_head inside the allocation at @p. */
static inline void mslab_compat_kfree_call_rcu(void *p, struct rcu_head *head)
{
	if (mslab_owns(p))
		mslab_kfree_call_rcu(head);
	else
		kvfree_call_rcu(head, p);
}

static inline void mslab_compat_kfree_rcu_mightsleep(void *p)
{
	if (mslab_owns(p))
		mslab_kfree_rcu_mightsleep(p);
	else if (p)
		kvfree_call_rcu(NULL, p);
}

#undef kfree_rcu
#define kfree_rcu(ptr, rhf)						\
do {									\
	typeof(ptr) ___p = (ptr);					\
									\
	if (___p)							\
		mslab_compat_kfree_call_rcu(___p, (void *)___p +	\
					    offsetof(typeof(*___p), rhf)); \
} while (0)
#undef kvfree_rcu
#define kvfree_rcu(ptr, rhf)		kfree_rcu(ptr, rhf)
#undef kfree_rcu_mightsleep
#define kfree_rcu_mightsleep(ptr)	mslab_compat_kfree_rcu_mightsleep(ptr)

#endif /* _LINUX_MSLAB_COMPAT_H */
