// SPDX-License-Identifier: GPL-2.0
/*
 * Switching debugging per cache at run time, with a layout per set of debug
 * flags.
 *
 * A cache has its plain layout (no debug metadata) and one more layout for
 * each combination of debug flags it has been given, made when first
 * needed and kept until the cache is freed (struct mslab_layout). Every
 * slab is built with the layout current at the time and keeps it for life:
 * its objects are allocated and freed by that layout's rules, so a live
 * object is never reinterpreted. SLUB fixes its debug flags at boot;
 * writing a cache's sanity_checks, red_zone, poison or store_user in sysfs
 * switches them here, and the switch takes effect for new slabs.
 *
 * A switch, under cpus_read_lock() and mslab_mutex:
 *
 *  1. Find or make the layout of the new flags.
 *  2. Publish it: s->layout, then the debug bits of s->flags. From then on
 *     new slabs get it, and the allocation slow path hands allocations to
 *     debug.c (debugging on) or to the slab front end (off).
 *  3. Flush every online CPU, not only those seen holding slabs: cpu slabs,
 *     cpu partial chains and sheaves go back to the node lists. A CPU
 *     checks s->layout under its per-CPU lock before it installs a cpu
 *     slab or chains a partial slab (alloc.c), and the flush runs on that
 *     CPU under the same lock after step 2, so afterwards no CPU allocates
 *     from a plain slab while debugging is on.
 *  4. Sort each node's lists under its list_lock: partial slabs of other
 *     layouts move to the retired list, retired slabs of the new layout
 *     back to the partial list, and empty retired slabs go back to the
 *     buddy allocator. mslab_add_partial() sorts under the same lock, so
 *     the partial lists hold only slabs of the current layout from then on.
 *
 * Allocations only ever take from slabs of the current layout (a racing
 * slow path that finds a slab of another layout stops there, alloc.c and
 * debug.c); retired slabs only take frees and are freed once empty. Slabs
 * of every layout keep counting in the cache's figures, and the sysfs file
 * "layouts" says how many slabs have which layout.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/err.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include <kunit/visibility.h>

#include "cache.h"
#include "debug.h"
#include "node.h"

/*
 * The layout for @debug, made on first use.
 * Return: the layout, or an ERR_PTR: -E2BIG when an object with that
 * metadata does not fit a slab, -ENOMEM.
 */
static struct mslab_layout *layout_get(struct mslab_cache *s,
				       slab_flags_t debug)
{
	unsigned int idx = mslab_layout_index(debug);
	struct mslab_layout *l = s->layouts[idx];
	int err;

	lockdep_assert_held(&mslab_mutex);
	if (l)
		return l;
	l = kzalloc(sizeof(*l), GFP_KERNEL);
	if (!l)
		return ERR_PTR(-ENOMEM);
	err = mslab_calculate_layout(s, l, debug);
	if (!err)
		err = mslab_layout_randomize(s, l);
	if (err) {
		kfree(l);
		return ERR_PTR(err);
	}
	mslab_debug_layout_init(l);
	/* Lockless readers (sysfs) see it whole. */
	smp_store_release(&s->layouts[idx], l);
	return l;
}

/**
 * mslab_layouts_init() - a new cache's layouts
 * @s: the cache, with its plain layout computed and its debug flags set
 *
 * Context: mslab_mutex held.
 * Return: 0, -E2BIG when an object with the debug metadata does not fit a
 * slab, or -ENOMEM.
 */
int mslab_layouts_init(struct mslab_cache *s)
{
	slab_flags_t debug = s->flags & MSLAB_DEBUG_FLAGS;
	struct mslab_layout *l;
	int err;

	err = mslab_layout_randomize(s, &s->plain);
	if (err)
		return err;
	s->layouts[0] = &s->plain;
	s->layout = &s->plain;
	if (debug) {
		l = layout_get(s, debug);
		if (IS_ERR(l))
			return PTR_ERR(l);
		s->layout = l;
	}
	return 0;
}

/**
 * mslab_layouts_free() - free a cache's layouts
 * @s: a cache with no slab left
 */
void mslab_layouts_free(struct mslab_cache *s)
{
	unsigned int i;

	for (i = 0; i < MSLAB_NR_LAYOUTS; i++) {
		struct mslab_layout *l = s->layouts[i];

		if (!l)
			continue;
		kfree(l->random_seq);
		if (l != &s->plain)
			kfree(l);
		s->layouts[i] = NULL;
	}
}

/**
 * mslab_max_objects() - the most objects a slab of the cache can have
 * @s: the cache
 *
 * Over every layout made so far; a bitmap of this many bits covers any
 * slab of the cache, whatever its layout.
 *
 * Return: the number of objects.
 */
unsigned int mslab_max_objects(struct mslab_cache *s)
{
	unsigned int i, max = 0;

	for (i = 0; i < MSLAB_NR_LAYOUTS; i++) {
		struct mslab_layout *l = READ_ONCE(s->layouts[i]);

		if (l)
			max = max(max, mslab_oo_objects(l->oo));
	}
	return max;
}
EXPORT_SYMBOL_IF_KUNIT(mslab_max_objects);

/**
 * mslab_cache_set_debug() - switch a cache's debugging at run time
 * @s: the cache
 * @mask: the debug flags to change (of MSLAB_DEBUG_FLAGS)
 * @set: which of them to switch on; the others in @mask go off
 *
 * Live objects keep the layout and checks they were allocated with; new
 * allocations come from slabs laid out for @debug. See the top of this
 * file.
 *
 * Context: process context; may sleep. Takes cpus_read_lock() and
 * mslab_mutex.
 * Return: 0; -EINVAL for a flag outside MSLAB_DEBUG_FLAGS; -E2BIG when an
 * object with the new metadata does not fit a slab; -ENOMEM. On error
 * nothing changed, and the log says why.
 */
int mslab_cache_set_debug(struct mslab_cache *s, slab_flags_t mask,
			  slab_flags_t set)
{
	char from[MSLAB_DEBUG_LETTERS_LEN], to[MSLAB_DEBUG_LETTERS_LEN];
	struct mslab_layout *l;
	slab_flags_t debug;
	int node, err = 0;

	if ((mask | set) & ~MSLAB_DEBUG_FLAGS)
		return -EINVAL;
	cpus_read_lock();
	mutex_lock(&mslab_mutex);
	debug = (s->flags & MSLAB_DEBUG_FLAGS & ~mask) | (set & mask);
	if (debug == (s->flags & MSLAB_DEBUG_FLAGS))
		goto out;
	l = debug ? layout_get(s, debug) : &s->plain;
	if (IS_ERR(l)) {
		err = PTR_ERR(l);
		pr_err("cache %s: cannot switch debugging to %s: %pe\n",
		       s->name, mslab_debug_letters(debug, to), l);
		goto out;
	}
	pr_info("cache %s: debugging %s -> %s for new slabs\n", s->name,
		mslab_debug_letters(s->flags, from),
		mslab_debug_letters(debug, to));
	/* The slow paths read the layout without a lock: publish it whole. */
	smp_store_release(&s->layout, l);
	WRITE_ONCE(s->flags, (s->flags & ~MSLAB_DEBUG_FLAGS) | debug);
	WRITE_ONCE(s->sheaves_on, s->sheaf_capacity && !debug);
	mslab_flush_all(s, true);
	for_each_node(node)
		mslab_node_sort_lists(s, s->node[node]);
out:
	mutex_unlock(&mslab_mutex);
	cpus_read_unlock();
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(mslab_cache_set_debug);

/**
 * mslab_layouts_show() - the sysfs file "layouts"
 * @s: the cache
 * @buf: a sysfs page
 *
 * One line per layout that is current or has slabs: its debug flags, the
 * stride, objects per slab, order and number of slabs, the current one
 * marked; e.g. "FZPU size=320 objects=12 order=0 slabs=3 current".
 *
 * Return: the bytes written.
 */
int mslab_layouts_show(struct mslab_cache *s, char *buf)
{
	struct mslab_layout *cur = READ_ONCE(s->layout);
	unsigned int i;
	char name[MSLAB_DEBUG_LETTERS_LEN];
	int len = 0;

	for (i = 0; i < MSLAB_NR_LAYOUTS; i++) {
		struct mslab_layout *l = READ_ONCE(s->layouts[i]);
		long slabs;

		if (!l)
			continue;
		slabs = mslab_layout_nr_slabs(s, l);
		if (!slabs && l != cur)
			continue;
		len += sysfs_emit_at(buf, len,
				     "%s size=%u objects=%u order=%u slabs=%ld%s\n",
				     mslab_debug_letters(l->flags, name), l->size,
				     mslab_oo_objects(l->oo),
				     mslab_oo_order(l->oo), slabs,
				     l == cur ? " current" : "");
	}
	return len;
}
EXPORT_SYMBOL_IF_KUNIT(mslab_layouts_show);
