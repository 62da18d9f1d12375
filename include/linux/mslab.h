/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mslab: a SLUB-style slab allocator as a loadable module.
 *
 * Public interface for client modules. The names and semantics mirror the
 * kernel's kmem_cache API, so a kmem_cache user switches by renaming.
 */
#ifndef _LINUX_MSLAB_H
#define _LINUX_MSLAB_H

#define MSLAB_VERSION "0.1"

#endif /* _LINUX_MSLAB_H */
