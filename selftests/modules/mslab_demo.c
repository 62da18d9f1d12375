// SPDX-License-Identifier: GPL-2.0
/*
 * mslab_demo: the demo client that `make run` loads after mslab.ko.
 *
 * It plays a small subsystem with three object types, each in a cache of
 * its own, and leaves them in a state worth looking at in
 * /sys/kernel/mslab/ and /sys/kernel/debug/mslab/:
 *
 *   demo-inode    600 bytes, a constructor that sets up the lock and the
 *                 list head inside each object
 *   demo-request  192 bytes, SLAB_HWCACHE_ALIGN
 *   demo-buffer   1024 bytes
 *
 * Init allocates demo_counts[] objects of each, one in DEMO_NODE_SHARE on
 * an explicit NUMA node (round robin over the nodes that have memory), then
 * frees a random ~40% of them, which leaves partial slabs behind. The rest
 * live until rmmod, which frees them and destroys the caches.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mslab.h>
#include <linux/nodemask.h>
#include <linux/numa.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

/* Percentage of the objects freed at init. */
#define DEMO_FREE_PERCENT	40
/* One allocation in DEMO_NODE_SHARE asks for an explicit node. */
#define DEMO_NODE_SHARE		4

#define DEMO_INODE_SIZE		600

/* What a demo-inode object holds; the cache's objects are 600 bytes. */
struct demo_inode {
	spinlock_t lock;	/* protects list (unused by the demo) */
	struct list_head list;
	unsigned long ino;
};

/*
 * Objects of a cache with a constructor must go back to the cache in their
 * constructed state: an unlocked lock and an empty list.
 */
static void demo_inode_ctor(void *obj)
{
	struct demo_inode *inode = obj;

	spin_lock_init(&inode->lock);
	INIT_LIST_HEAD(&inode->list);
	inode->ino = 0;
}

enum demo_type {
	DEMO_INODE,
	DEMO_REQUEST,
	DEMO_BUFFER,
	NR_DEMO_TYPES,
};

static const struct demo_spec {
	const char *name;
	unsigned int size;
	slab_flags_t flags;
	void (*ctor)(void *obj);
	unsigned int count;
} demo_specs[NR_DEMO_TYPES] = {
	[DEMO_INODE] = { "demo-inode", DEMO_INODE_SIZE, 0, demo_inode_ctor, 5000 },
	[DEMO_REQUEST] = { "demo-request", 192, SLAB_HWCACHE_ALIGN, NULL, 20000 },
	[DEMO_BUFFER] = { "demo-buffer", 1024, 0, NULL, 3000 },
};

struct demo_cache {
	struct mslab_cache *cache;
	void **objs;		/* count slots, NULL where freed */
	unsigned int live;
	unsigned int on_node;	/* allocated with mslab_cache_alloc_node() */
};

static struct demo_cache demo_caches[NR_DEMO_TYPES];

/* The next node that has memory after @nid, wrapping around. */
static int demo_next_node(int nid)
{
	nid = next_node(nid, node_states[N_MEMORY]);
	if (nid >= MAX_NUMNODES)
		nid = first_node(node_states[N_MEMORY]);
	return nid;
}

/*
 * Not inlined into the __init code, whose text is freed after loading:
 * with owner tracking (slab_debug=U) this is the allocation site that
 * alloc_traces names.
 */
static noinline void *demo_alloc(enum demo_type type, unsigned int i, int *nid)
{
	struct demo_cache *dc = &demo_caches[type];
	struct demo_inode *inode;
	void *obj;

	if (i % DEMO_NODE_SHARE == 0) {
		*nid = demo_next_node(*nid);
		obj = mslab_cache_alloc_node(dc->cache, GFP_KERNEL, *nid);
		if (obj)
			dc->on_node++;
	} else {
		obj = mslab_cache_alloc(dc->cache, GFP_KERNEL);
	}
	if (!obj)
		return NULL;

	switch (type) {
	case DEMO_INODE:
		inode = obj;
		/* The constructor ran, or the object came back unchanged. */
		if (WARN_ON_ONCE(!list_empty(&inode->list) || inode->ino))
			INIT_LIST_HEAD(&inode->list);
		inode->ino = i + 1;
		break;
	case DEMO_REQUEST:
		memset(obj, 0, demo_specs[type].size);
		break;
	default:
		memset(obj, 0xa5, demo_specs[type].size);
		break;
	}
	return obj;
}

static void demo_free(enum demo_type type, unsigned int i)
{
	struct demo_cache *dc = &demo_caches[type];
	struct demo_inode *inode;

	if (!dc->objs[i])
		return;
	if (type == DEMO_INODE) {
		/* Back to the constructed state. */
		inode = dc->objs[i];
		inode->ino = 0;
	}
	mslab_cache_free(dc->cache, dc->objs[i]);
	dc->objs[i] = NULL;
	dc->live--;
}

static void demo_teardown(void)
{
	struct demo_cache *dc;
	unsigned int i;
	int t;

	for (t = 0; t < NR_DEMO_TYPES; t++) {
		dc = &demo_caches[t];
		if (dc->objs) {
			for (i = 0; i < demo_specs[t].count; i++)
				demo_free(t, i);
			kvfree(dc->objs);
			dc->objs = NULL;
		}
		if (dc->cache)
			mslab_cache_destroy(dc->cache);
		dc->cache = NULL;
	}
}

static int demo_setup(enum demo_type type)
{
	const struct demo_spec *spec = &demo_specs[type];
	struct demo_cache *dc = &demo_caches[type];
	unsigned int i, freed = 0;
	int nid = NUMA_NO_NODE;

	dc->cache = mslab_cache_create(spec->name, spec->size, 0, spec->flags,
				       spec->ctor);
	if (!dc->cache)
		return -ENOMEM;
	dc->objs = kvcalloc(spec->count, sizeof(void *), GFP_KERNEL);
	if (!dc->objs)
		return -ENOMEM;

	for (i = 0; i < spec->count; i++) {
		dc->objs[i] = demo_alloc(type, i, &nid);
		if (!dc->objs[i])
			return -ENOMEM;
		dc->live++;
	}
	for (i = 0; i < spec->count; i++) {
		if (get_random_u32_below(100) < DEMO_FREE_PERCENT) {
			demo_free(type, i);
			freed++;
		}
	}
	pr_info("%s: %u bytes, allocated %u (%u on explicit nodes), freed %u, live %u\n",
		spec->name, mslab_cache_size(dc->cache), spec->count,
		dc->on_node, freed, dc->live);
	return 0;
}

static int __init mslab_demo_init(void)
{
	int t, ret;

	BUILD_BUG_ON(sizeof(struct demo_inode) > DEMO_INODE_SIZE);

	for (t = 0; t < NR_DEMO_TYPES; t++) {
		ret = demo_setup(t);
		if (ret) {
			pr_err("%s: setup failed: %d\n", demo_specs[t].name,
			       ret);
			demo_teardown();
			return ret;
		}
	}
	pr_info("ready: see /sys/kernel/mslab/demo-*/ and /sys/kernel/debug/mslab/\n");
	return 0;
}

static void __exit mslab_demo_exit(void)
{
	demo_teardown();
	pr_info("all objects freed, caches destroyed\n");
}

module_init(mslab_demo_init);
module_exit(mslab_demo_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("mslab demo client: three caches with live objects on both NUMA nodes");
