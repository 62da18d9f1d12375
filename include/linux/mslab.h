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

#include <linux/gfp_types.h>
#include <linux/slab.h>
#include <linux/types.h>

#define MSLAB_VERSION "0.2"

struct mslab_cache;

struct mslab_cache *mslab_cache_create(const char *name, unsigned int size,
				       unsigned int align, slab_flags_t flags,
				       void (*ctor)(void *));
void mslab_cache_destroy(struct mslab_cache *s);
void *mslab_cache_alloc(struct mslab_cache *s, gfp_t gfpflags);
void *mslab_cache_alloc_node(struct mslab_cache *s, gfp_t gfpflags, int node);
void mslab_cache_free(struct mslab_cache *s, void *obj);
int mslab_cache_shrink(struct mslab_cache *s);
unsigned int mslab_cache_size(struct mslab_cache *s);

#endif /* _LINUX_MSLAB_H */
