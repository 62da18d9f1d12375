// SPDX-License-Identifier: GPL-2.0
/*
 * mslab_leaker: a client that leaks on purpose, for selftests/mslab_leak.sh.
 *
 * Two caches with owner tracking (SLAB_STORE_USER), whose objects are all
 * allocated by leaker_alloc(), the allocation site the reports must name:
 *
 *   leak-destroyed  LEAK_DESTROYED_ALLOC objects allocated at load, the
 *                   first LEAK_DESTROYED_FREE of them freed; rmmod destroys
 *                   the cache with the others still allocated, so
 *                   mslab_cache_destroy() reports them and keeps the cache
 *   leak-kept       LEAK_KEPT objects allocated at load and the cache never
 *                   destroyed: `rmmod mslab` reports and frees it
 *
 * Nothing touches the leaked objects once they are allocated; their memory
 * goes back to the buddy allocator when mslab unloads.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mslab.h>
#include <linux/slab.h>
#include <linux/string.h>

#define LEAK_DESTROYED_ALLOC	5
#define LEAK_DESTROYED_FREE	2
#define LEAK_KEPT		2

static struct mslab_cache *leak_destroyed;
static struct mslab_cache *leak_kept;
static void *destroyed_objs[LEAK_DESTROYED_ALLOC];
static void *kept_objs[LEAK_KEPT];

/*
 * The allocation site of every object: not inlined (into the __init code,
 * whose text and symbols are gone after loading) and no tail call, so the
 * owner tracking records an address inside this function.
 */
static noinline unsigned int leaker_alloc(struct mslab_cache *s, void **objs,
					  unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		objs[i] = mslab_cache_alloc(s, GFP_KERNEL);
		if (!objs[i])
			break;
		memset(objs[i], 0x4c, mslab_cache_size(s));
	}
	return i;
}

static void leaker_free(struct mslab_cache *s, void **objs, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		mslab_cache_free(s, objs[i]);
		objs[i] = NULL;
	}
}

static int __init mslab_leaker_init(void)
{
	leak_destroyed = mslab_cache_create("leak-destroyed", 192, 0,
					    SLAB_STORE_USER, NULL);
	leak_kept = mslab_cache_create("leak-kept", 256, 0, SLAB_STORE_USER,
				       NULL);
	if (!leak_destroyed || !leak_kept)
		goto fail;

	if (leaker_alloc(leak_destroyed, destroyed_objs,
			 LEAK_DESTROYED_ALLOC) != LEAK_DESTROYED_ALLOC)
		goto fail;
	if (leaker_alloc(leak_kept, kept_objs, LEAK_KEPT) != LEAK_KEPT)
		goto fail;
	leaker_free(leak_destroyed, destroyed_objs, LEAK_DESTROYED_FREE);

	pr_info("leak-destroyed: %u objects live, leak-kept: %u objects live\n",
		LEAK_DESTROYED_ALLOC - LEAK_DESTROYED_FREE, LEAK_KEPT);
	return 0;

fail:
	/* Leak nothing when loading fails: free what was allocated. */
	if (leak_destroyed) {
		leaker_free(leak_destroyed, destroyed_objs,
			    LEAK_DESTROYED_ALLOC);
		mslab_cache_destroy(leak_destroyed);
	}
	if (leak_kept) {
		leaker_free(leak_kept, kept_objs, LEAK_KEPT);
		mslab_cache_destroy(leak_kept);
	}
	pr_err("cannot set up the caches\n");
	return -ENOMEM;
}

static void __exit mslab_leaker_exit(void)
{
	/* Reports the live objects of leak-destroyed; leak-kept is left. */
	mslab_cache_destroy(leak_destroyed);
}

module_init(mslab_leaker_init);
module_exit(mslab_leaker_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("mslab leaker: leaks objects and a cache, for the leak reports");
