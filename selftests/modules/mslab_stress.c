// SPDX-License-Identifier: GPL-2.0
/*
 * mslab_stress: SMP and NUMA stress client of mslab, for the selftests.
 *
 * Loading it runs the whole test inside module init and makes insmod fail
 * (-EINVAL) when anything went wrong, so a shell test needs only insmod's
 * exit status and the summary line in the kernel log:
 *
 *   mslab_stress: allocated=N freed=N remote_freed=N pattern_errors=N node_errors=N ...
 *
 * It creates the cache "mslab-stress" of @size bytes and starts one kthread
 * per online CPU. The threads are placed with set_cpus_allowed_ptr(), not
 * kthread_bind(), so that taking a CPU offline during the run migrates its
 * thread instead of being refused. For @seconds, each thread allocates
 * objects, fills each one with a pattern derived from its address and the
 * thread's seed, keeps up to STRESS_LOCAL_MAX of them, frees some itself
 * and hands a share to other threads through their mailboxes; a thread
 * frees what it finds in its own mailbox (remote frees: mostly objects of
 * slabs another CPU allocated from). Every object's pattern is checked
 * before it is freed. With @hold, init also allocates that many objects as
 * the threads start and keeps them, checked and freed at the end: slabs
 * from before a change made during the run (a debug switch through sysfs)
 * stay in use meanwhile. A signal to insmod ends the run early.
 *
 * With @ops, each thread stops after that many allocations instead, and
 * @seconds only bounds the run: a run cut by it fails ("timeout"), so the
 * figures of a slow kernel (KASAN, KCSAN under TCG) are those of a fast one.
 *
 * @mode picks the paths the threads take:
 *   alloc     mslab_cache_alloc()/mslab_cache_free() (the default), on the
 *             front end mslab's "sheaves" parameter chooses;
 *   sheaves   the same on a cache created with sheaves;
 *   bulk      mslab_cache_alloc_bulk()/mslab_cache_free_bulk(), also for
 *             the objects other threads send;
 *   rcu       some objects are published in RCU-protected slots and, when
 *             replaced, freed with mslab_kfree_rcu(); every thread reads
 *             random slots under rcu_read_lock() and checks the pattern,
 *             which must hold until the grace period ends;
 *   typesafe  the cache is SLAB_TYPESAFE_BY_RCU and a replaced object is
 *             freed at once; readers check that word 0 still holds some
 *             thread's seed: the memory stays an object of the cache (its
 *             free pointer outside the object, its slab not given back to
 *             the page allocator) until a grace period has passed;
 *   krealloc  objects come from mslab_kmalloc(@size) (the cache
 *             mslab-kmalloc-<size class>), are freed with mslab_kfree(), and
 *             after each allocation are resized in place to half their size
 *             with __GFP_ZERO and back: the half regained must read zero.
 *             mslab_smp.sh switches red zones and owner tracking on for
 *             that kmalloc cache and runs validate under the stress: the
 *             kmalloc red zone moves under validate's feet;
 *   churn     each thread creates its own cache, allocates STRESS_CHURN_OBJS
 *             objects, frees them (empty slabs stay for the shrinker) and
 *             destroys it, @ops times: cache destroy racing the shrinker
 *             (mslab_smp.sh drops caches meanwhile) and other creates.
 *             With @churn_names, threads share that many names: a create
 *             refused while another thread's cache of the name lives is
 *             retried (names_taken), and creates race destroys of the
 *             same name.
 *
 * Then the threads are stopped, every object still held is freed, the
 * counts must match, and mslab_cache_alloc_node() is checked with
 * page_to_nid() on every node that has memory. The cache is destroyed
 * before init returns: the module holds nothing while loaded and its exit
 * does nothing.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mslab.h>
#include <linux/nodemask.h>
#include <linux/random.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/wait.h>

static unsigned int seconds = 10;
module_param(seconds, uint, 0444);
MODULE_PARM_DESC(seconds, "Duration of the SMP stress phase in seconds (default 10)");

static unsigned int size = 192;
module_param(size, uint, 0444);
MODULE_PARM_DESC(size, "Object size of the stress cache in bytes (default 192)");

static unsigned int hold;
module_param(hold, uint, 0444);
MODULE_PARM_DESC(hold, "Objects allocated as the threads start and kept until they stop, at most 4096 (default 0)");

static unsigned int ops;
module_param(ops, uint, 0444);
MODULE_PARM_DESC(ops, "Allocations (churn: cache lifetimes) per thread; 0 runs for @seconds (default 0)");

static char *mode = "alloc";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "alloc, sheaves, bulk, rcu, typesafe, krealloc or churn (default alloc)");

static unsigned int churn_names;
module_param(churn_names, uint, 0444);
MODULE_PARM_DESC(churn_names, "churn: threads share this many cache names, 0 for one each (default 0)");

enum stress_mode {
	STRESS_ALLOC,
	STRESS_SHEAVES,
	STRESS_BULK,
	STRESS_RCU,
	STRESS_TYPESAFE,
	STRESS_KREALLOC,
	STRESS_CHURN,
};

static const char *const stress_mode_names[] = {
	[STRESS_ALLOC] = "alloc",
	[STRESS_SHEAVES] = "sheaves",
	[STRESS_BULK] = "bulk",
	[STRESS_RCU] = "rcu",
	[STRESS_TYPESAFE] = "typesafe",
	[STRESS_KREALLOC] = "krealloc",
	[STRESS_CHURN] = "churn",
};

static enum stress_mode stress_mode;

/* Objects a thread keeps live at most. */
#define STRESS_LOCAL_MAX	512
/* Objects waiting in one thread's mailbox at most. */
#define STRESS_MBOX_MAX		256
/* Most objects allocated in one round. */
#define STRESS_BATCH		64
/* One object in STRESS_REMOTE_SHARE released goes to another thread. */
#define STRESS_REMOTE_SHARE	4
/* Objects per node in the alloc_node check. */
#define STRESS_NODE_OBJS	64
/* Largest object size accepted. */
#define STRESS_MAX_SIZE		(8 * PAGE_SIZE)
/* Most objects held for the whole run. */
#define STRESS_HOLD_MAX		4096

/* Published slots per thread (rcu, typesafe). */
#define STRESS_PUB_SLOTS	8
/* One allocated object in STRESS_PUB_SHARE replaces a published one. */
#define STRESS_PUB_SHARE	8
/* Slots a thread reads per round (rcu, typesafe). */
#define STRESS_READS		16
/* Objects of one churn cache's life. */
#define STRESS_CHURN_OBJS	256

#define STRESS_GOLDEN		0x9e3779b97f4a7c15UL

/*
 * One per thread. The mailbox is filled by the other threads and emptied by
 * its owner; it is protected by mbox_lock. The rest is the owner's only
 * (and init's, once the thread has stopped).
 */
struct stress_thread {
	struct task_struct *task;
	unsigned int idx;
	unsigned int cpu;
	unsigned long seed;
	unsigned int nr_local;
	/* Room for the published objects too, once the thread has stopped. */
	void *local[STRESS_LOCAL_MAX + STRESS_PUB_SLOTS];

	unsigned int allocated;		/* allocations (churn: lifetimes) */

	spinlock_t mbox_lock;		/* protects nr_mbox and mbox */
	unsigned int nr_mbox;
	void *mbox[STRESS_MBOX_MAX];
	void *drain[STRESS_MBOX_MAX];	/* owner's copy of the mailbox */

	/*
	 * Published objects (rcu, typesafe): written by the owner only, with
	 * rcu_assign_pointer(); read by every thread under rcu_read_lock().
	 */
	void __rcu *pub[STRESS_PUB_SLOTS];
};

/*
 * In rcu mode words 1 and 2 of an object hold the rcu_head of
 * mslab_kfree_rcu() once it is retired: the pattern skips them.
 */
struct stress_rcu_obj {
	unsigned long seed;
	struct rcu_head rcu;
};

static struct mslab_cache *stress_cache;
/* The @hold long-lived objects, in thread 0's pattern. */
static void **stress_held;
static struct stress_thread **stress_threads;
static unsigned int stress_nr_threads;
static unsigned long stress_deadline;
/* Threads still in their run; the last one out wakes init. */
static atomic_t stress_running = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(stress_done_wq);

static atomic64_t stress_allocated = ATOMIC64_INIT(0);
static atomic64_t stress_freed = ATOMIC64_INIT(0);
static atomic64_t stress_remote_freed = ATOMIC64_INIT(0);
static atomic64_t stress_pattern_errors = ATOMIC64_INIT(0);
static atomic64_t stress_alloc_failures = ATOMIC64_INIT(0);
static atomic64_t stress_node_errors = ATOMIC64_INIT(0);
static atomic64_t stress_reads = ATOMIC64_INIT(0);
static atomic64_t stress_published = ATOMIC64_INIT(0);
static atomic64_t stress_names_taken = ATOMIC64_INIT(0);

/* The first word of the pattern after the seed (see stress_rcu_obj). */
static unsigned int stress_first_word(void)
{
	return stress_mode == STRESS_RCU ?
	       sizeof(struct stress_rcu_obj) / sizeof(unsigned long) : 1;
}

static inline unsigned long stress_word(const void *obj, unsigned long seed,
					unsigned int i)
{
	return (unsigned long)obj ^ seed ^ (i * STRESS_GOLDEN);
}

/*
 * Word 0 holds the owner's seed, whose low bits are the owner's index, so
 * whoever frees the object can check it; every other word and the tail
 * bytes depend on the object's address and that seed.
 */
static void stress_fill(void *obj, unsigned long seed)
{
	unsigned long *w = obj;
	unsigned int words = size / sizeof(unsigned long);
	unsigned char *tail = obj;
	unsigned int i;

	/* Marked: typesafe readers load word 0 of objects being reused. */
	WRITE_ONCE(w[0], seed);
	for (i = stress_first_word(); i < words; i++)
		w[i] = stress_word(obj, seed, i);
	for (i = words * sizeof(unsigned long); i < size; i++)
		tail[i] = (unsigned char)stress_word(obj, seed, i);
}

/* Is @seed that of one of the threads? */
static bool stress_seed_valid(unsigned long seed)
{
	unsigned long owner = seed & 0xffff;

	return owner < stress_nr_threads && stress_threads[owner]->seed == seed;
}

static bool stress_check(const void *obj)
{
	const unsigned long *w = obj;
	unsigned int words = size / sizeof(unsigned long);
	const unsigned char *tail = obj;
	unsigned long seed = w[0];
	unsigned int i = 0;

	if (!stress_seed_valid(seed))
		goto bad;
	for (i = stress_first_word(); i < words; i++)
		if (w[i] != stress_word(obj, seed, i))
			goto bad;
	for (i = words * sizeof(unsigned long); i < size; i++)
		if (tail[i] != (unsigned char)stress_word(obj, seed, i))
			goto bad;
	return true;
bad:
	/* Report the first few only: a broken allocator would flood the log. */
	if (atomic64_inc_return(&stress_pattern_errors) <= 5)
		pr_err("pattern error in object %p (word 0 %lx, word %u)\n",
		       obj, seed, i);
	return false;
}

/*
 * An object of the run: the stress cache's, or in krealloc mode
 * mslab_kmalloc()'s, resized in place to half and back with __GFP_ZERO.
 */
static void *stress_alloc_object(void)
{
	unsigned int half = size / 2;
	unsigned char *obj;
	unsigned int i;

	if (stress_mode != STRESS_KREALLOC)
		return mslab_cache_alloc(stress_cache, GFP_KERNEL);
	obj = mslab_kmalloc(size, GFP_KERNEL);
	if (!obj)
		return NULL;
	memset(obj, 0xa5, size);
	if (mslab_krealloc(obj, half, GFP_KERNEL | __GFP_ZERO) != obj ||
	    mslab_krealloc(obj, size, GFP_KERNEL | __GFP_ZERO) != obj) {
		if (atomic64_inc_return(&stress_pattern_errors) <= 5)
			pr_err("krealloc of %p did not resize it in place\n",
			       obj);
		return obj;
	}
	for (i = half; i < size; i++)
		if (obj[i]) {
			if (atomic64_inc_return(&stress_pattern_errors) <= 5)
				pr_err("object %p regained by krealloc: byte %u is %#x, not 0\n",
				       obj, i, obj[i]);
			break;
		}
	return obj;
}

/* Every object of a run is freed here (the held ones too). */
static void stress_free_object(void *obj)
{
	if (stress_mode == STRESS_KREALLOC)
		mslab_kfree(obj);
	else
		mslab_cache_free(stress_cache, obj);
}

static void stress_free(void *obj, bool remote)
{
	stress_check(obj);
	stress_free_object(obj);
	atomic64_inc(&stress_freed);
	if (remote)
		atomic64_inc(&stress_remote_freed);
}

/* Check and free @n objects of @objs, in one call in bulk mode. */
static void stress_free_many(void **objs, unsigned int n, bool remote)
{
	unsigned int i;

	if (stress_mode != STRESS_BULK) {
		for (i = 0; i < n; i++)
			stress_free(objs[i], remote);
		return;
	}
	for (i = 0; i < n; i++)
		stress_check(objs[i]);
	mslab_cache_free_bulk(stress_cache, n, objs);
	atomic64_add(n, &stress_freed);
	if (remote)
		atomic64_add(n, &stress_remote_freed);
}

/* Free what other threads left in @t's mailbox. */
static void stress_drain_mbox(struct stress_thread *t)
{
	unsigned int n;

	spin_lock(&t->mbox_lock);
	n = t->nr_mbox;
	memcpy(t->drain, t->mbox, n * sizeof(void *));
	t->nr_mbox = 0;
	spin_unlock(&t->mbox_lock);

	stress_free_many(t->drain, n, true);
}

/* Hand @obj to another thread; false when its mailbox is full. */
static bool stress_send(struct stress_thread *t, void *obj)
{
	struct stress_thread *to;
	unsigned int i;
	bool sent = false;

	i = get_random_u32_below(stress_nr_threads - 1);
	if (i >= t->idx)
		i++;
	to = stress_threads[i];

	spin_lock(&to->mbox_lock);
	if (to->nr_mbox < STRESS_MBOX_MAX) {
		to->mbox[to->nr_mbox++] = obj;
		sent = true;
	}
	spin_unlock(&to->mbox_lock);
	return sent;
}

/*
 * Release a random number of @t's objects, picked at random; in bulk mode
 * the ones kept local are freed in one call, from t->drain (free while the
 * mailbox is not being drained).
 */
static void stress_release(struct stress_thread *t)
{
	unsigned int n = get_random_u32_below(t->nr_local + 1);
	unsigned int i, nr_bulk = 0;
	void *obj;

	while (n--) {
		i = get_random_u32_below(t->nr_local);
		obj = t->local[i];
		t->local[i] = t->local[--t->nr_local];

		if (stress_nr_threads > 1 &&
		    !get_random_u32_below(STRESS_REMOTE_SHARE)) {
			/* The receiver checks the pattern. */
			if (stress_send(t, obj))
				continue;
		}
		if (stress_mode == STRESS_BULK && nr_bulk < STRESS_MBOX_MAX)
			t->drain[nr_bulk++] = obj;
		else
			stress_free(obj, false);
	}
	stress_free_many(t->drain, nr_bulk, false);
}

/* Free an object that was published and has been replaced. */
static void stress_retire(void *obj)
{
	stress_check(obj);
	if (stress_mode == STRESS_RCU)
		mslab_kfree_rcu((struct stress_rcu_obj *)obj, rcu);
	else
		mslab_cache_free(stress_cache, obj);
	atomic64_inc(&stress_freed);
}

/* Publish @obj in one of @t's slots, retiring the object it replaces. */
static void stress_publish(struct stress_thread *t, void *obj)
{
	unsigned int slot = get_random_u32_below(STRESS_PUB_SLOTS);
	void *old = rcu_dereference_protected(t->pub[slot], true);

	rcu_assign_pointer(t->pub[slot], obj);
	atomic64_inc(&stress_published);
	if (old)
		stress_retire(old);
}

/*
 * Read random published objects of any thread. In rcu mode the object
 * cannot have been freed before the grace period, so its whole pattern
 * holds. In typesafe mode it may have been freed and allocated again at
 * any moment, but it is still an object of the cache: word 0 holds the
 * seed of some thread (each fill writes it first, in one store).
 */
static void stress_read_published(void)
{
	struct stress_thread *owner;
	unsigned long seed;
	unsigned int i;
	void *obj;

	rcu_read_lock();
	for (i = 0; i < STRESS_READS; i++) {
		owner = stress_threads[get_random_u32_below(stress_nr_threads)];
		obj = rcu_dereference(owner->pub[get_random_u32_below(STRESS_PUB_SLOTS)]);
		if (!obj)
			continue;
		atomic64_inc(&stress_reads);
		if (stress_mode == STRESS_RCU) {
			stress_check(obj);
			continue;
		}
		seed = READ_ONCE(*(unsigned long *)obj);
		if (!stress_seed_valid(seed) &&
		    atomic64_inc_return(&stress_pattern_errors) <= 5)
			pr_err("typesafe object %p: word 0 %lx is no thread's seed\n",
			       obj, seed);
	}
	rcu_read_unlock();
}

/*
 * Take every published object back into its owner's t->local, once the
 * threads have stopped and a grace period has passed: no reader holds one.
 */
static void stress_unpublish_all(void)
{
	struct stress_thread *t;
	unsigned int i, slot;
	void *obj;

	for (i = 0; i < stress_nr_threads; i++) {
		t = stress_threads[i];
		for (slot = 0; slot < STRESS_PUB_SLOTS; slot++) {
			obj = rcu_dereference_protected(t->pub[slot], true);
			RCU_INIT_POINTER(t->pub[slot], NULL);
			if (obj)
				t->local[t->nr_local++] = obj;
		}
	}
	synchronize_rcu();
}

/* Allocate up to @n objects into t->local, in one call in bulk mode. */
static void stress_alloc_local(struct stress_thread *t, unsigned int n)
{
	unsigned int i, got = 0;
	void *obj;

	n = min(n, STRESS_LOCAL_MAX - t->nr_local);
	if (!n)
		return;
	if (stress_mode == STRESS_BULK) {
		got = mslab_cache_alloc_bulk(stress_cache, GFP_KERNEL, n,
					     &t->local[t->nr_local]);
		if (!got)
			atomic64_inc(&stress_alloc_failures);
		for (i = 0; i < got; i++)
			stress_fill(t->local[t->nr_local++], t->seed);
	} else {
		for (i = 0; i < n; i++) {
			obj = stress_alloc_object();
			if (!obj) {
				atomic64_inc(&stress_alloc_failures);
				continue;
			}
			stress_fill(obj, t->seed);
			t->local[t->nr_local++] = obj;
			got++;
		}
	}
	atomic64_add(got, &stress_allocated);
	t->allocated += n;
}

static void stress_alloc_batch(struct stress_thread *t)
{
	unsigned int n = 1 + get_random_u32_below(STRESS_BATCH);
	bool publish = stress_mode == STRESS_RCU ||
		       stress_mode == STRESS_TYPESAFE;

	if (ops)
		n = min(n, ops - t->allocated);
	stress_alloc_local(t, n);

	/* Publish one of the new objects now and then. */
	if (publish && t->nr_local && !get_random_u32_below(STRESS_PUB_SHARE))
		stress_publish(t, t->local[--t->nr_local]);
}

/*
 * One cache's life (churn): create, fill, free in random order, destroy.
 * The emptied slabs stay on the cache's lists until the destroy, for the
 * shrinker to race with.
 */
static void stress_churn(struct stress_thread *t)
{
	struct mslab_cache *s;
	unsigned int n = 0, i;
	char name[32];
	void *obj;

	snprintf(name, sizeof(name), "mslab-churn-%u",
		 churn_names ? t->idx % churn_names : t->idx);
	s = mslab_cache_create(name, size, 0, 0, NULL);
	if (!s && churn_names) {
		/* Another thread's cache of this name lives: wait, retry. */
		atomic64_inc(&stress_names_taken);
		usleep_range(500, 1000);
		return;
	}
	if (!s) {
		atomic64_inc(&stress_alloc_failures);
		goto out;
	}
	while (n < min(STRESS_CHURN_OBJS, STRESS_LOCAL_MAX)) {
		obj = mslab_cache_alloc(s, GFP_KERNEL);
		if (!obj) {
			atomic64_inc(&stress_alloc_failures);
			break;
		}
		stress_fill(obj, t->seed);
		t->local[n++] = obj;
	}
	atomic64_add(n, &stress_allocated);
	while (n) {
		i = get_random_u32_below(n);
		obj = t->local[i];
		t->local[i] = t->local[--n];
		stress_check(obj);
		mslab_cache_free(s, obj);
		atomic64_inc(&stress_freed);
	}
	mslab_cache_destroy(s);
out:
	t->allocated++;
}

/* Has @t done its share: @ops operations, or the time is up? */
static bool stress_thread_done(struct stress_thread *t)
{
	if (ops)
		return t->allocated >= ops;
	return !time_before(jiffies, stress_deadline);
}

static int stress_thread_fn(void *data)
{
	struct stress_thread *t = data;

	while (!kthread_should_stop() && !stress_thread_done(t) &&
	       (!ops || time_before(jiffies, stress_deadline))) {
		if (stress_mode == STRESS_CHURN) {
			stress_churn(t);
		} else {
			stress_drain_mbox(t);
			stress_alloc_batch(t);
			if (stress_mode == STRESS_RCU ||
			    stress_mode == STRESS_TYPESAFE)
				stress_read_published();
			stress_release(t);
		}
		cond_resched();
	}
	if (atomic_dec_and_test(&stress_running))
		wake_up(&stress_done_wq);

	/* Init frees what is left once every thread has stopped. */
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop()) {
			__set_current_state(TASK_RUNNING);
			break;
		}
		schedule();
	}
	return 0;
}

/* Stop every started thread, then free every object still held. */
static void stress_stop_and_drain(void)
{
	struct stress_thread *t;
	unsigned int i;

	for (i = 0; i < stress_nr_threads; i++) {
		t = stress_threads[i];
		if (t->task)
			kthread_stop_put(t->task);
		t->task = NULL;
	}
	stress_unpublish_all();
	for (i = 0; i < stress_nr_threads; i++) {
		t = stress_threads[i];
		stress_drain_mbox(t);
		while (t->nr_local)
			stress_free(t->local[--t->nr_local], false);
	}
}

static int stress_start_threads(void)
{
	struct stress_thread *t;
	unsigned int cpu, i = 0;
	int ret;

	stress_threads = kcalloc(num_online_cpus(), sizeof(*stress_threads),
				 GFP_KERNEL);
	if (!stress_threads)
		return -ENOMEM;

	for_each_online_cpu(cpu) {
		if (i == num_online_cpus())
			break;
		t = kzalloc_node(sizeof(*t), GFP_KERNEL, cpu_to_node(cpu));
		if (!t)
			return -ENOMEM;
		t->idx = i;
		t->cpu = cpu;
		t->seed = (get_random_long() << 16) | i;
		spin_lock_init(&t->mbox_lock);
		stress_threads[i] = t;
		/* The mailboxes of all threads exist before any thread runs. */
		stress_nr_threads = ++i;
	}

	for (i = 0; i < stress_nr_threads; i++) {
		t = stress_threads[i];
		t->task = kthread_create_on_node(stress_thread_fn, t,
						 cpu_to_node(t->cpu),
						 "mslab_stress/%u", t->cpu);
		if (IS_ERR(t->task)) {
			ret = PTR_ERR(t->task);
			t->task = NULL;
			return ret;
		}
		/* Held until kthread_stop_put(): the thread may end first. */
		get_task_struct(t->task);
		/* A CPU gone offline meanwhile: let the thread run anywhere. */
		if (set_cpus_allowed_ptr(t->task, cpumask_of(t->cpu)))
			pr_info("cpu%u went offline, its thread runs unbound\n",
				t->cpu);
	}
	atomic_set(&stress_running, stress_nr_threads);
	for (i = 0; i < stress_nr_threads; i++)
		wake_up_process(stress_threads[i]->task);
	return 0;
}

static void stress_free_threads(void)
{
	unsigned int i;

	for (i = 0; i < stress_nr_threads; i++)
		kfree(stress_threads[i]);
	kfree(stress_threads);
	stress_threads = NULL;
	stress_nr_threads = 0;
}

/* mslab_cache_alloc_node() must return memory of the requested node. */
static void stress_check_nodes(unsigned int *nr_nodes)
{
	void *objs[STRESS_NODE_OBJS];
	int nid, got;
	unsigned int i;

	*nr_nodes = 0;
	for_each_node_state(nid, N_MEMORY) {
		(*nr_nodes)++;
		for (i = 0; i < STRESS_NODE_OBJS; i++) {
			objs[i] = mslab_cache_alloc_node(stress_cache,
							 GFP_KERNEL, nid);
			if (!objs[i]) {
				atomic64_inc(&stress_alloc_failures);
				continue;
			}
			atomic64_inc(&stress_allocated);
			got = page_to_nid(virt_to_page(objs[i]));
			if (got != nid) {
				if (atomic64_inc_return(&stress_node_errors) <= 5)
					pr_err("object %p for node %d is on node %d\n",
					       objs[i], nid, got);
			}
		}
		for (i = 0; i < STRESS_NODE_OBJS; i++) {
			if (!objs[i])
				continue;
			mslab_cache_free(stress_cache, objs[i]);
			atomic64_inc(&stress_freed);
		}
	}
}

/*
 * Objects that live through the whole run: a cache's slabs from before a
 * change (a debug switch through sysfs, say) stay in use meanwhile.
 */
static void stress_hold_objects(void)
{
	unsigned int i;

	stress_held = kcalloc(hold, sizeof(*stress_held), GFP_KERNEL);
	if (!stress_held) {
		atomic64_add(hold, &stress_alloc_failures);
		return;
	}
	for (i = 0; i < hold; i++) {
		stress_held[i] = mslab_cache_alloc(stress_cache, GFP_KERNEL);
		if (!stress_held[i]) {
			atomic64_inc(&stress_alloc_failures);
			continue;
		}
		stress_fill(stress_held[i], stress_threads[0]->seed);
		atomic64_inc(&stress_allocated);
	}
}

static void stress_release_held(void)
{
	unsigned int i;

	for (i = 0; stress_held && i < hold; i++)
		if (stress_held[i])
			stress_free(stress_held[i], false);
	kfree(stress_held);
	stress_held = NULL;
}

/* The cache of the run: sheaves or SLAB_TYPESAFE_BY_RCU as @mode says. */
static struct mslab_cache *stress_create_cache(void)
{
	struct mslab_cache_args args = {};
	slab_flags_t flags = 0;

	if (stress_mode == STRESS_SHEAVES)
		args.front_end = MSLAB_FRONT_SHEAVES;
	if (stress_mode == STRESS_TYPESAFE)
		flags |= SLAB_TYPESAFE_BY_RCU;
	return mslab_cache_create_args("mslab-stress", size, &args, flags);
}

/* Threads that stopped short of @ops (the @seconds bound cut the run). */
static unsigned int stress_threads_short(void)
{
	unsigned int i, n = 0;

	for (i = 0; ops && i < stress_nr_threads; i++)
		if (stress_threads[i]->allocated < ops)
			n++;
	return n;
}

static int __init mslab_stress_init(void)
{
	s64 allocated, freed, remote, pattern, nodes, failures;
	unsigned long bound = (unsigned long)seconds * HZ + HZ;
	unsigned int nr_nodes = 0, nr_short = 0;
	bool interrupted = false;
	int ret;

	ret = match_string(stress_mode_names, ARRAY_SIZE(stress_mode_names),
			   mode);
	if (ret < 0) {
		pr_err("mode=%s: not one of alloc, sheaves, bulk, rcu, typesafe, krealloc, churn\n",
		       mode);
		return -EINVAL;
	}
	stress_mode = ret;
	if (size < sizeof(unsigned long) || size > STRESS_MAX_SIZE ||
	    (stress_mode == STRESS_RCU && size < sizeof(struct stress_rcu_obj))) {
		pr_err("size=%u: must be %zu to %lu bytes\n", size,
		       sizeof(struct stress_rcu_obj), STRESS_MAX_SIZE);
		return -EINVAL;
	}
	if (hold > STRESS_HOLD_MAX) {
		pr_err("hold=%u: at most %u objects\n", hold, STRESS_HOLD_MAX);
		return -EINVAL;
	}

	stress_cache = stress_create_cache();
	if (!stress_cache) {
		pr_err("creating mslab-stress (%u bytes, mode %s) failed\n",
		       size, mode);
		return -ENOMEM;
	}

	stress_deadline = jiffies + seconds * HZ;
	ret = stress_start_threads();
	if (ret) {
		pr_err("cannot start the threads: %d\n", ret);
	} else {
		if (hold)
			stress_hold_objects();
		pr_info("%u threads, mode %s, %u ops per thread, at most %u s, objects of %u bytes, %u held\n",
			stress_nr_threads, stress_mode_names[stress_mode], ops,
			seconds, size, hold);
		/* Until every thread is done; a signal ends the run early. */
		interrupted = wait_event_interruptible_timeout(stress_done_wq,
							       !atomic_read(&stress_running),
							       bound) < 0;
	}
	stress_stop_and_drain();
	if (!ret && !interrupted)
		nr_short = stress_threads_short();
	stress_release_held();

	if (!ret)
		stress_check_nodes(&nr_nodes);

	allocated = atomic64_read(&stress_allocated);
	freed = atomic64_read(&stress_freed);
	remote = atomic64_read(&stress_remote_freed);
	pattern = atomic64_read(&stress_pattern_errors);
	nodes = atomic64_read(&stress_node_errors);
	failures = atomic64_read(&stress_alloc_failures);
	pr_info("allocated=%lld freed=%lld remote_freed=%lld pattern_errors=%lld node_errors=%lld alloc_failures=%lld threads=%u nodes=%u mode=%s published=%lld reads=%lld names_taken=%lld\n",
		allocated, freed, remote, pattern, nodes, failures,
		stress_nr_threads, nr_nodes, stress_mode_names[stress_mode],
		(s64)atomic64_read(&stress_published),
		(s64)atomic64_read(&stress_reads),
		(s64)atomic64_read(&stress_names_taken));
	if (nr_short)
		pr_err("timeout: %u of %u threads did fewer than %u ops in %u s\n",
		       nr_short, stress_nr_threads, ops, seconds);

	stress_free_threads();
	mslab_cache_destroy(stress_cache);
	stress_cache = NULL;

	if (ret)
		return ret;
	if (allocated != freed || pattern || nodes || failures ||
	    !allocated || !nr_nodes || nr_short) {
		pr_err("FAILED\n");
		return -EINVAL;
	}
	pr_info("passed\n");
	return 0;
}

/* Everything was freed and destroyed in init. */
static void __exit mslab_stress_exit(void)
{
}

module_init(mslab_stress_init);
module_exit(mslab_stress_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("mslab SMP/NUMA stress client: per-CPU threads, remote frees, bulk, RCU, churn, alloc_node");
