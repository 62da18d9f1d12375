/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mslab_backport.h: the kernel interfaces mslab is written against (those
 * of 6.12) on the older kernels it also builds for, 6.1 first.
 *
 * mslab, its clients and its tests are written as 6.12 code. This header is
 * the one place that knows older kernels: where a kernel lacks an interface,
 * it supplies one with the modern name and meaning, built from what that
 * kernel has. Everything is detected by feature, never by version number,
 * since distributions backport interfaces into their stable kernels:
 *  - a macro's presence (#ifdef) where the interface is a macro;
 *  - for functions, a grep of the kernel's headers at build time
 *    (include/mslab_backport.mk defines MSLAB_HAVE_<NAME>, and
 *    MSLAB_BACKPORT_PROBED). Those shims exist only in a build that
 *    includes that file, as mslab's own Kbuild files do: a client module
 *    built without it keeps its kernel's interfaces as they are.
 * Each shim says which kernel brought the interface, so it can go when mslab
 * stops supporting the kernels before it.
 *
 * Included by <linux/mslab.h>, so every mslab source and client sees it.
 *
 * Headers that came later are not included here (sparse 0.6.4, Debian 12's,
 * has no __has_include()): the sprintf() family is in <linux/kernel.h> on
 * every kernel (in sprintf.h, which kernel.h includes, since 6.6), and
 * <linux/slab.h> brings cleanup.h (DEFINE_FREE(), __free()) where it
 * exists (6.5).
 */
#ifndef _LINUX_MSLAB_BACKPORT_H
#define _LINUX_MSLAB_BACKPORT_H

#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/memcontrol.h>
#include <linux/mmzone.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <linux/stdarg.h>
#include <linux/types.h>
#include <linux/vmalloc.h>

/* === Page orders ======================================================== */

/*
 * 6.8: MAX_PAGE_ORDER, the largest order the buddy allocator gives, and
 * NR_PAGE_ORDERS. Until 6.4 MAX_ORDER was one past the largest order, from
 * 6.4 the largest order itself: tell them apart by MAX_ORDER_NR_PAGES,
 * which always was the largest block's size in pages.
 */
#ifndef MAX_PAGE_ORDER
/*
 * So the kernel predates 6.8, whose SLUB also changed how it picks a
 * cache's slab order: mslab follows the rule of the SLUB beside it
 * (layout.c). That is a policy, not an interface, so this is the nearest
 * thing to a feature test it has.
 */
#define MSLAB_SLUB_ORDER_BEFORE_6_8 true
#if MAX_ORDER_NR_PAGES == (1 << MAX_ORDER)
#define MAX_PAGE_ORDER MAX_ORDER
#else
#define MAX_PAGE_ORDER (MAX_ORDER - 1)
#endif
#endif
#ifndef MSLAB_SLUB_ORDER_BEFORE_6_8
#define MSLAB_SLUB_ORDER_BEFORE_6_8 false
#endif
#ifndef NR_PAGE_ORDERS
#define NR_PAGE_ORDERS (MAX_PAGE_ORDER + 1)
#endif

/* === Caches ============================================================ */

/*
 * 6.12: struct kmem_cache_args, and kmem_cache_create() a macro that takes
 * it or the legacy arguments (the compat header maps both forms).
 */
#ifdef kmem_cache_create
#define MSLAB_HAVE_KMEM_CACHE_ARGS 1
#endif

/* === Slab flags ========================================================= */

/*
 * 6.5: SLAB_NO_MERGE. mslab never merges caches; on older kernels a cache
 * of the kernel's own that must not be merged needs "slab_nomerge" on the
 * kernel's command line, which the selftests that compare with SLUB pass.
 */
#ifndef SLAB_NO_MERGE
#define SLAB_NO_MERGE ((slab_flags_t __force)0U)
#endif

/*
 * 6.10: slab flags as bit numbers. SLUB's private __OBJECT_POISON was the
 * top bit before, and is the bit mslab uses there for its own.
 */
#ifndef __SLAB_FLAG_BIT
#define __SLAB_FLAG_BIT(nr) ((slab_flags_t __force)(1U << (nr)))
#define _SLAB_OBJECT_POISON 31
#endif

/* === Allocation profiling =============================================== */

/*
 * 6.10: the allocation calls are macros over *_noprof() functions (memory
 * allocation profiling). Before, the functions had the plain names.
 */
#ifndef alloc_hooks
#define kmem_cache_alloc_noprof kmem_cache_alloc
#define kmem_cache_alloc_node_noprof kmem_cache_alloc_node
#define kmem_cache_alloc_lru_noprof kmem_cache_alloc_lru
#define kmem_cache_alloc_bulk_noprof kmem_cache_alloc_bulk
#define kmalloc_noprof kmalloc
#endif

/*
 * What follows only mslab's own code needs (a client could get a clash:
 * 6.1's crypto/b128ops.h has a u128 of its own).
 */
#ifdef MSLAB_BACKPORT_PROBED

/* === Double-word cmpxchg ================================================ */

/*
 * 6.5: cmpxchg128() on u128, where cmpxchg_double() took the two words
 * apart. Only system_has_cmpxchg128(), u128 and try_cmpxchg128() are used.
 * On failure the old value is read again, not atomically: a caller that
 * loops must check it (mslab's callers re-read the state anyway).
 */
#if !defined(system_has_cmpxchg128) && defined(system_has_cmpxchg_double) && \
	defined(CONFIG_ARCH_SUPPORTS_INT128)
/* 6.5's typedef, as a macro: a type of the kernel's own name. */
#define u128 unsigned __int128

#define system_has_cmpxchg128() system_has_cmpxchg_double()

static __always_inline bool try_cmpxchg128(u128 *ptr, u128 *oldp, u128 new)
{
	union {
		u128 full;
		unsigned long word[2];
	} *p = (void *)ptr, *o = (void *)oldp, n = { .full = new };

	if (cmpxchg_double(&p->word[0], &p->word[1], o->word[0], o->word[1],
			   n.word[0], n.word[1]))
		return true;
	o->word[0] = READ_ONCE(p->word[0]);
	o->word[1] = READ_ONCE(p->word[1]);
	return false;
}
#endif

/*
 * 6.8: x86's per-CPU operands are written __my_cpu_var(var); before, the
 * per-CPU lvalue itself was the operand (__percpu meant nothing to gcc).
 */
#if defined(CONFIG_X86) && !defined(__my_cpu_var)
#define __my_cpu_var(var) (var)
#endif

/* === KUnit ============================================================= */

/* 6.3: KUnit's static stubs. Without them a stub redirects nothing. */
#ifdef MSLAB_HAVE_KUNIT_STATIC_STUB_H
#include <kunit/static_stub.h>
#else
#define KUNIT_STATIC_STUB_REDIRECT(...) do { } while (0)
#endif

/* === Reallocation ====================================================== */

/*
 * 6.11: kvrealloc(p, size, flags); before, the caller gave the old size
 * too. For vmalloc memory that is what is mapped before the guard page
 * that follows every vmalloc area, whole pages.
 */
#ifdef MSLAB_HAVE_KVREALLOC_OLDSIZE
static inline void *mslab_backport_kvrealloc(const void *p, size_t size,
					     gfp_t flags)
{
	size_t old = 0;

	if (is_vmalloc_addr(p)) {
		while (vmalloc_to_page(p + old))
			old += PAGE_SIZE;
	} else if (p) {
		old = ksize(p);
	}
	return kvrealloc(p, old, size, flags);
}

#define kvrealloc mslab_backport_kvrealloc
#endif

/* === Shrinkers ========================================================== */

/*
 * 6.7: shrinkers are allocated by shrinker_alloc() and freed by
 * shrinker_free(); before, the user embedded one and named it at
 * register_shrinker().
 */
#ifndef MSLAB_HAVE_SHRINKER_ALLOC
struct mslab_backport_shrinker {
	struct shrinker shrinker;
	char name[32];
};

static inline __printf(2, 3)
struct shrinker *shrinker_alloc(unsigned int flags, const char *fmt, ...)
{
	struct mslab_backport_shrinker *b = kzalloc(sizeof(*b), GFP_KERNEL);
	va_list args;

	if (!b)
		return NULL;
	va_start(args, fmt);
	vsnprintf(b->name, sizeof(b->name), fmt, args);
	va_end(args);
	b->shrinker.flags = flags;
	b->shrinker.seeks = DEFAULT_SEEKS;
	return &b->shrinker;
}

static inline void shrinker_register(struct shrinker *shrinker)
{
	struct mslab_backport_shrinker *b =
		container_of(shrinker, struct mslab_backport_shrinker, shrinker);

	/* Fails only without memory, leaving the shrinker unregistered. */
	if (register_shrinker(shrinker, "%s", b->name))
		pr_warn("%s: cannot register the shrinker\n", b->name);
}

static inline void shrinker_free(struct shrinker *shrinker)
{
	if (!shrinker)
		return;
	/* Does nothing for a shrinker that is not registered. */
	unregister_shrinker(shrinker);
	kfree(container_of(shrinker, struct mslab_backport_shrinker, shrinker));
}
#endif

/* === Memory cgroups ===================================================== */

/* 6.5: memcg_kmem_enabled() became memcg_kmem_online(). */
#ifndef MSLAB_HAVE_MEMCG_KMEM_ONLINE
#define memcg_kmem_online() memcg_kmem_enabled()
#endif

/* 6.4: page_memcg_check() became folio_memcg_check(). */
#ifndef MSLAB_HAVE_FOLIO_MEMCG_CHECK
#define folio_memcg_check(folio) page_memcg_check(&(folio)->page)
#endif

/* === Threads (the test modules') ======================================== */

/* 6.6: kthread_stop() and put_task_struct() in one call. */
#ifndef MSLAB_HAVE_KTHREAD_STOP_PUT
static inline int kthread_stop_put(struct task_struct *k)
{
	int ret = kthread_stop(k);

	put_task_struct(k);
	return ret;
}
#endif

#endif /* MSLAB_BACKPORT_PROBED */

/* === Files (the test modules') ========================================== */

/* 6.5: a seq_file attribute with a write method. */
#ifndef DEFINE_SHOW_STORE_ATTRIBUTE
#define DEFINE_SHOW_STORE_ATTRIBUTE(__name)				\
static int __name ## _open(struct inode *inode, struct file *file)	\
{									\
	return single_open(file, __name ## _show, inode->i_private);	\
}									\
									\
static const struct file_operations __name ## _fops = {			\
	.owner		= THIS_MODULE,					\
	.open		= __name ## _open,				\
	.read		= seq_read,					\
	.write		= __name ## _write,				\
	.llseek		= seq_lseek,					\
	.release	= single_release,				\
}
#endif

#endif /* _LINUX_MSLAB_BACKPORT_H */
