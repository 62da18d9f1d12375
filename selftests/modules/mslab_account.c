// SPDX-License-Identifier: GPL-2.0
/*
 * mslab_account: memory that a memory cgroup must be charged for, and
 * memory it must not be, for selftests/mslab_memcg.sh.
 *
 * Loading it, from a task of the cgroup to charge (insmod runs the init in
 * its own context), allocates and keeps @objects objects of @size bytes
 * from each of:
 *   mslab-account-charged  an mslab cache with SLAB_ACCOUNT
 *   mslab-account-plain    an mslab cache without it
 *   kmalloc(GFP_KERNEL_ACCOUNT), mslab's mslab-kmalloc-cg-<size>
 * so that the slab pages of the first and the third go to the cgroup and
 * those of the second do not. Everything is freed and the caches destroyed
 * at unload. It logs one line:
 *
 *   mslab_account: objects=N size=N allocated=N
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mslab.h>
#include <linux/slab.h>
#include <linux/string.h>

static unsigned int objects = 4096;
module_param(objects, uint, 0444);
MODULE_PARM_DESC(objects, "Objects kept of each kind (default 4096)");

static unsigned int size = 512;
module_param(size, uint, 0444);
MODULE_PARM_DESC(size, "Object size in bytes, a kmalloc size (default 512)");

static struct mslab_cache *charged, *plain;
static void **charged_objs, **plain_objs, **kmalloc_objs;

static void free_all(void)
{
	unsigned int i;

	for (i = 0; i < objects; i++) {
		if (charged_objs)
			mslab_cache_free(charged, charged_objs[i]);
		if (plain_objs)
			mslab_cache_free(plain, plain_objs[i]);
		if (kmalloc_objs)
			mslab_kfree(kmalloc_objs[i]);
	}
	kvfree(charged_objs);
	kvfree(plain_objs);
	kvfree(kmalloc_objs);
	mslab_cache_destroy(charged);
	mslab_cache_destroy(plain);
}

static int __init account_init(void)
{
	unsigned int i;

	if (!objects || !size || size > MSLAB_KMALLOC_MAX_CACHE_SIZE)
		return -EINVAL;
	charged = mslab_cache_create("mslab-account-charged", size, 0,
				     SLAB_ACCOUNT, NULL);
	plain = mslab_cache_create("mslab-account-plain", size, 0, 0, NULL);
	/* The pointer arrays from the kernel, zeroed: NULL is never freed. */
	charged_objs = kvcalloc(objects, sizeof(void *), GFP_KERNEL);
	plain_objs = kvcalloc(objects, sizeof(void *), GFP_KERNEL);
	kmalloc_objs = kvcalloc(objects, sizeof(void *), GFP_KERNEL);
	if (!charged || !plain || !charged_objs || !plain_objs ||
	    !kmalloc_objs)
		goto fail;
	for (i = 0; i < objects; i++) {
		charged_objs[i] = mslab_cache_alloc(charged, GFP_KERNEL);
		plain_objs[i] = mslab_cache_alloc(plain, GFP_KERNEL);
		kmalloc_objs[i] = mslab_kmalloc(size, GFP_KERNEL_ACCOUNT);
		if (!charged_objs[i] || !plain_objs[i] || !kmalloc_objs[i])
			goto fail;
		memset(charged_objs[i], 0x5c, size);
		memset(plain_objs[i], 0x5c, size);
		memset(kmalloc_objs[i], 0x5c, size);
	}
	pr_info("objects=%u size=%u allocated=%u\n", objects, size,
		3 * objects);
	return 0;

fail:
	free_all();
	return -ENOMEM;
}

static void __exit account_exit(void)
{
	free_all();
}

module_init(account_init);
module_exit(account_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("mslab: memory charged to a memory cgroup, and not");
