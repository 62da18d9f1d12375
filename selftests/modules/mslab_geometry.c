// SPDX-License-Identifier: GPL-2.0
/*
 * mslab_geometry: caches of mslab and of the kernel's SLUB side by side, so
 * that selftests/mslab_core.sh can compare their geometry.
 *
 * For every size in geo_sizes and every variant in geo_variants (plain,
 * SLAB_HWCACHE_ALIGN, align 64, a constructor, and the debug layouts of
 * SLAB_RED_ZONE, SLAB_POISON and all four debug flags), it creates a
 * kernel cache
 * with kmem_cache_create() and SLAB_NO_MERGE, named
 * "mslabgeo-k-<size>-<variant>", and an mslab cache with the same arguments,
 * named "mslabgeo-m-<size>-<variant>". Their order, objs_per_slab,
 * slab_size, object_size and align are then in /sys/kernel/slab/<k>/ and
 * /sys/kernel/mslab/<m>/. The caches hold no objects and live until rmmod.
 *
 * A cache that cannot be created is logged and left out; the test reports
 * it missing. The lists here and in mslab_core.sh must stay in step.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mslab.h>
#include <linux/slab.h>

static const unsigned int geo_sizes[] = {
	8, 16, 24, 32, 40, 48, 56, 64, 72, 96, 128, 192, 256, 264, 384, 512,
	700, 1024, 1536, 2048, 3000, 4096, 5000, 8192, 11264,
};

/* The constructor of the "ctor" variant: it only has to exist. */
static void geo_ctor(void *obj)
{
	*(unsigned char *)obj = 0;
}

static const struct geo_variant {
	const char *name;
	unsigned int align;
	slab_flags_t flags;
	void (*ctor)(void *obj);
} geo_variants[] = {
	{ .name = "plain" },
	{ .name = "hw", .flags = SLAB_HWCACHE_ALIGN },
	{ .name = "a64", .align = 64 },
	{ .name = "ctor", .ctor = geo_ctor },
	/* Debug layouts: SLUB's calculate_sizes() with CONFIG_SLUB_DEBUG. */
	{ .name = "z", .flags = SLAB_RED_ZONE },
	{ .name = "p", .flags = SLAB_POISON },
	{ .name = "fzpu", .flags = SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE |
				   SLAB_POISON | SLAB_STORE_USER },
};

#define GEO_NR_SIZES	ARRAY_SIZE(geo_sizes)
#define GEO_NR_VARIANTS	ARRAY_SIZE(geo_variants)
#define GEO_NAME_LEN	32

/* One pair of caches; the names stay allocated as long as the caches. */
struct geo_pair {
	char kname[GEO_NAME_LEN];
	char mname[GEO_NAME_LEN];
	struct kmem_cache *k;
	struct mslab_cache *m;
};

static struct geo_pair geo_pairs[GEO_NR_SIZES][GEO_NR_VARIANTS];

static void geo_destroy_all(void)
{
	struct geo_pair *p;
	unsigned int i, j;

	for (i = 0; i < GEO_NR_SIZES; i++) {
		for (j = 0; j < GEO_NR_VARIANTS; j++) {
			p = &geo_pairs[i][j];
			kmem_cache_destroy(p->k);
			p->k = NULL;
			if (p->m)
				mslab_cache_destroy(p->m);
			p->m = NULL;
		}
	}
}

static int __init mslab_geometry_init(void)
{
	const struct geo_variant *v;
	unsigned int i, j, nk = 0, nm = 0;
	struct geo_pair *p;

	for (i = 0; i < GEO_NR_SIZES; i++) {
		for (j = 0; j < GEO_NR_VARIANTS; j++) {
			p = &geo_pairs[i][j];
			v = &geo_variants[j];
			snprintf(p->kname, sizeof(p->kname), "mslabgeo-k-%u-%s",
				 geo_sizes[i], v->name);
			snprintf(p->mname, sizeof(p->mname), "mslabgeo-m-%u-%s",
				 geo_sizes[i], v->name);

			p->k = kmem_cache_create(p->kname, geo_sizes[i],
						 v->align,
						 v->flags | SLAB_NO_MERGE,
						 v->ctor);
			if (p->k)
				nk++;
			else
				pr_err("kmem_cache_create(%s) failed\n",
				       p->kname);

			p->m = mslab_cache_create(p->mname, geo_sizes[i],
						  v->align, v->flags, v->ctor);
			if (p->m)
				nm++;
			else
				pr_err("mslab_cache_create(%s) failed\n",
				       p->mname);
		}
	}
	pr_info("%u kernel caches, %u mslab caches of %zu\n", nk, nm,
		GEO_NR_SIZES * GEO_NR_VARIANTS);
	if (!nk && !nm)
		return -ENOMEM;
	return 0;
}

static void __exit mslab_geometry_exit(void)
{
	geo_destroy_all();
}

module_init(mslab_geometry_init);
module_exit(mslab_geometry_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("mslab geometry test: mslab and SLUB caches of the same sizes, aligns and flags");
