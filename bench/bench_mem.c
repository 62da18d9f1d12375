// SPDX-License-Identifier: GPL-2.0
/*
 * mslab_bench's debugfs files: mem, the memory measurement a shell drives
 * one cache and phase at a time, and ab, the A/B of mslab's module
 * parameters (see bench_main.c).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>

#include "mslab_bench.h"

/* --- memory: the debugfs control file ------------------------------------ */

/* The one cache under memory measurement; all under bench_mem_lock. */
static struct {
	struct bench_cache c;
	void **objs;
	unsigned int *perm;
	unsigned int count;
	unsigned int live;
	bool active;
} bench_mem;

static DEFINE_MUTEX(bench_mem_lock);
static struct dentry *bench_debugfs;

/* Both files take one command per write, of fewer than this many bytes. */
#define BENCH_COMMAND_LEN 64

/*
 * Copy the command written to mem or ab into @buf.
 * Return: the command without the blanks around it, or an ERR_PTR.
 */
static char *bench_copy_command(char buf[BENCH_COMMAND_LEN],
				const char __user *ubuf, size_t len)
{
	if (len >= BENCH_COMMAND_LEN)
		return ERR_PTR(-EINVAL);
	if (copy_from_user(buf, ubuf, len))
		return ERR_PTR(-EFAULT);
	buf[len] = '\0';
	return strim(buf);
}

static void bench_mem_free_all(void)
{
	unsigned int i;

	for (i = 0; i < bench_mem.count; i++) {
		if (!bench_mem.objs[i])
			continue;
		if (bench_mem.c.k)
			kmem_cache_free(bench_mem.c.k, bench_mem.objs[i]);
		else
			mslab_cache_free(bench_mem.c.m, bench_mem.objs[i]);
		bench_mem.objs[i] = NULL;
	}
	bench_mem.live = 0;
}

static void bench_mem_del(void)
{
	if (!bench_mem.active)
		return;
	bench_mem_free_all();
	bench_cache_destroy(&bench_mem.c);
	kvfree(bench_mem.objs);
	kvfree(bench_mem.perm);
	bench_mem.objs = NULL;
	bench_mem.perm = NULL;
	bench_mem.count = 0;
	bench_mem.active = false;
}

const struct bench_alloc *bench_alloc_by_name(const char *name)
{
	unsigned int a;

	for (a = 0; a < nr_bench_allocs; a++)
		if (!strcmp(bench_allocs[a].name, name))
			return &bench_allocs[a];
	return NULL;
}

static int bench_mem_new(const char *name, unsigned int objsize,
			 unsigned int count)
{
	const struct bench_alloc *a = bench_alloc_by_name(name);
	int err;

	if (!a || !objsize || !count || count > 10000000)
		return -EINVAL;
	bench_mem_del();
	bench_mem.objs = kvcalloc(count, sizeof(void *), GFP_KERNEL);
	bench_mem.perm = kvmalloc_array(count, sizeof(unsigned int),
					GFP_KERNEL);
	if (!bench_mem.objs || !bench_mem.perm) {
		err = -ENOMEM;
		goto fail;
	}
	err = bench_cache_create(&bench_mem.c, a, "m", objsize);
	if (err)
		goto fail;
	bench_mem.count = count;
	bench_mem.live = 0;
	bench_mem.active = true;
	return 0;
fail:
	kvfree(bench_mem.objs);
	kvfree(bench_mem.perm);
	bench_mem.objs = NULL;
	bench_mem.perm = NULL;
	return err;
}

static int bench_mem_fill(void)
{
	unsigned int i;
	void *p;

	for (i = 0; i < bench_mem.count; i++) {
		if (bench_mem.objs[i])
			continue;
		if (bench_mem.c.k)
			p = kmem_cache_alloc_noprof(bench_mem.c.k, GFP_KERNEL);
		else
			p = mslab_cache_alloc(bench_mem.c.m, GFP_KERNEL);
		if (!p)
			return -ENOMEM;
		bench_mem.objs[i] = p;
		bench_mem.live++;
		if (i % 4096 == 0)
			cond_resched();
	}
	return 0;
}

/* Free a random half, the same indices for every allocator. */
static void bench_mem_half(void)
{
	struct rnd_state rnd;
	unsigned int i, idx;

	prandom_seed_state(&rnd, BENCH_SEED);
	bench_shuffle(bench_mem.perm, bench_mem.count, &rnd);
	for (i = 0; i < bench_mem.count / 2; i++) {
		idx = bench_mem.perm[i];
		if (!bench_mem.objs[idx])
			continue;
		if (bench_mem.c.k)
			kmem_cache_free(bench_mem.c.k, bench_mem.objs[idx]);
		else
			mslab_cache_free(bench_mem.c.m, bench_mem.objs[idx]);
		bench_mem.objs[idx] = NULL;
		bench_mem.live--;
	}
}

static int bench_mem_command(char *cmd)
{
	unsigned int objsize, count;
	char name[BENCH_ALLOC_NAME_LEN];

	if (sscanf(cmd, "new %15s %u %u", name, &objsize, &count) == 3)
		return bench_mem_new(name, objsize, count);
	if (!bench_mem.active)
		return -ENOENT;
	if (!strcmp(cmd, "fill"))
		return bench_mem_fill();
	if (!strcmp(cmd, "half")) {
		bench_mem_half();
		return 0;
	}
	if (!strcmp(cmd, "shrink")) {
		bench_cache_shrink(&bench_mem.c);
		return 0;
	}
	if (!strcmp(cmd, "del")) {
		bench_mem_del();
		return 0;
	}
	return -EINVAL;
}

static ssize_t bench_mem_write(struct file *file, const char __user *ubuf,
			       size_t len, loff_t *ppos)
{
	char buf[BENCH_COMMAND_LEN], *cmd = bench_copy_command(buf, ubuf, len);
	int err;

	if (IS_ERR(cmd))
		return PTR_ERR(cmd);
	mutex_lock(&bench_mem_lock);
	err = bench_mem_command(cmd);
	mutex_unlock(&bench_mem_lock);
	return err ? err : len;
}

static int bench_mem_show(struct seq_file *seq, void *v)
{
	unsigned int a;

	seq_puts(seq, "allocators:");
	for (a = 0; a < nr_bench_allocs; a++)
		seq_printf(seq, " %s", bench_allocs[a].name);
	seq_putc(seq, '\n');
	mutex_lock(&bench_mem_lock);
	if (bench_mem.active) {
		seq_printf(seq, "cache: %s\n", bench_mem.c.name);
		seq_printf(seq, "sysfs: %s\n", bench_mem.c.sysfs);
		seq_printf(seq, "count: %u\n", bench_mem.count);
		seq_printf(seq, "live: %u\n", bench_mem.live);
	}
	mutex_unlock(&bench_mem_lock);
	return 0;
}

DEFINE_SHOW_STORE_ATTRIBUTE(bench_mem);

/* An allocator's name: letters, digits and '_', not "kernel". */
bool bench_name_ok(const char *name)
{
	size_t i;

	if (!name)
		return false;
	for (i = 0; name[i]; i++)
		if (!isalnum(name[i]) && name[i] != '_')
			return false;
	return i && i < BENCH_ALLOC_NAME_LEN && strcmp(name, "kernel");
}

/* --- A/B of mslab's module parameters: the debugfs control file ab ------- */

/*
 * mslab caches created one at a time from the shell, each under mslab's
 * module parameters of that moment (hardened, random_freelist: read at
 * creation), then timed together with the kernel's, A B C ...; all under
 * bench_ab_lock. bench_ab.allocs[0] and bench_ab.cs[0] are the kernel's.
 */
static struct {
	struct bench_alloc allocs[BENCH_MAX_ALLOCS];
	struct bench_cache cs[BENCH_MAX_ALLOCS];
	unsigned int nr;
} bench_ab;

static DEFINE_MUTEX(bench_ab_lock);

static const unsigned int bench_ab_batches[] = { 100, 1000 };

static int bench_ab_clear(void)
{
	bench_caches_destroy(bench_ab.cs);
	memset(&bench_ab, 0, sizeof(bench_ab));
	return 0;
}

/* "add NAME": NAME's mslab cache of @size bytes, the kernel's with the first. */
static int bench_ab_add(const char *name)
{
	struct bench_alloc *a;
	unsigned int i;
	int err;

	if (!bench_name_ok(name))
		return -EINVAL;
	for (i = 0; i < bench_ab.nr; i++)
		if (!strcmp(bench_ab.allocs[i].name, name))
			return -EEXIST;
	if (bench_ab.nr == BENCH_MAX_ALLOCS)
		return -ENOSPC;
	if (!bench_ab.nr) {
		a = &bench_ab.allocs[0];
		strscpy(a->name, "kernel", sizeof(a->name));
		a->kind = BENCH_KERNEL;
		err = bench_cache_create(&bench_ab.cs[0], a, "ab", size);
		if (err) {
			bench_ab_clear();
			return err;
		}
		bench_ab.nr = 1;
	}
	a = &bench_ab.allocs[bench_ab.nr];
	strscpy(a->name, name, sizeof(a->name));
	a->kind = BENCH_MSLAB;
	if (!strncmp(name, "sheaves", 7))
		a->front_end = MSLAB_FRONT_SHEAVES;
	else if (!strncmp(name, "slab", 4))
		a->front_end = MSLAB_FRONT_SLAB;
	else
		a->front_end = MSLAB_FRONT_DEFAULT;
	err = bench_cache_create(&bench_ab.cs[bench_ab.nr], a, "ab", size);
	if (err) {
		memset(&bench_ab.cs[bench_ab.nr], 0, sizeof(bench_ab.cs[0]));
		memset(a, 0, sizeof(*a));
		return err;
	}
	bench_ab.nr++;
	return 0;
}

/* "run": reuse and batch FIFO on every cache added, then destroy them. */
static int bench_ab_run(void)
{
	struct bench_run r = { .rounds = loops, .batch = 1 };
	char param[16];
	unsigned int i;
	int err;

	if (bench_ab.nr < 2)
		return -ENOENT;
	err = bench_measure("ab-reuse", "1", size, bench_ab.cs, &r,
			    bench_reuse_fns);
	for (i = 0; i < ARRAY_SIZE(bench_ab_batches) && !err; i++) {
		snprintf(param, sizeof(param), "%u", bench_ab_batches[i]);
		err = bench_batch_on(bench_ab.cs, bench_fifo_fns, size,
				     bench_ab_batches[i], false, loops,
				     "ab-batch-fifo", param);
	}
	bench_ab_clear();
	return err;
}

static int bench_ab_command(char *cmd)
{
	char name[BENCH_ALLOC_NAME_LEN];

	if (sscanf(cmd, "add %15s", name) == 1)
		return bench_ab_add(name);
	if (!strcmp(cmd, "run"))
		return bench_ab_run();
	if (!strcmp(cmd, "clear"))
		return bench_ab_clear();
	return -EINVAL;
}

static ssize_t bench_ab_write(struct file *file, const char __user *ubuf,
			      size_t len, loff_t *ppos)
{
	char buf[BENCH_COMMAND_LEN], *cmd = bench_copy_command(buf, ubuf, len);
	int err;

	if (IS_ERR(cmd))
		return PTR_ERR(cmd);
	mutex_lock(&bench_ab_lock);
	err = bench_ab_command(cmd);
	mutex_unlock(&bench_ab_lock);
	return err ? err : len;
}

static int bench_ab_show(struct seq_file *seq, void *v)
{
	unsigned int a;

	seq_puts(seq, "caches:");
	mutex_lock(&bench_ab_lock);
	for (a = 0; a < bench_ab.nr; a++)
		seq_printf(seq, " %s", bench_ab.cs[a].name);
	mutex_unlock(&bench_ab_lock);
	seq_putc(seq, '\n');
	return 0;
}

DEFINE_SHOW_STORE_ATTRIBUTE(bench_ab);

/* The debugfs files mem and ab, once the timing patterns are done. */
void bench_mem_init(void)
{
	bench_debugfs = debugfs_create_dir("mslab_bench", NULL);
	debugfs_create_file("mem", 0600, bench_debugfs, NULL, &bench_mem_fops);
	debugfs_create_file("ab", 0600, bench_debugfs, NULL, &bench_ab_fops);
}

/* Remove them, and the caches they hold. */
void bench_mem_exit(void)
{
	debugfs_remove_recursive(bench_debugfs);
	mutex_lock(&bench_mem_lock);
	bench_mem_del();
	mutex_unlock(&bench_mem_lock);
	mutex_lock(&bench_ab_lock);
	bench_ab_clear();
	mutex_unlock(&bench_ab_lock);
}
