// SPDX-License-Identifier: GPL-2.0
/*
 * mslab_bench's SMP patterns: remote (one CPU allocates, another frees)
 * and allcpu (every CPU at once), with kthreads bound to CPUs.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "mslab_bench.h"

/* --- SMP patterns -------------------------------------------------------- */

/*
 * Single-producer single-consumer ring of objects. head is written by the
 * producer only, tail by the consumer only; each publishes with a release
 * and reads the other's with an acquire. abort tells the consumer that the
 * producer stopped early.
 */
struct bench_ring {
	unsigned long head ____cacheline_aligned_in_smp;
	unsigned long tail ____cacheline_aligned_in_smp;
	bool abort;
	void *slot[BENCH_RING_SIZE] ____cacheline_aligned_in_smp;
};

/* The state shared by the threads of one timed SMP round. */
struct bench_smp {
	struct bench_cache *c;
	unsigned long ops;
	unsigned int batch;
	struct bench_ring *ring;
	struct completion start;
	struct completion done[BENCH_MAX_THREADS];
	atomic_t errors;
	/* allcpu: each thread's own loop */
	struct bench_run runs[BENCH_MAX_THREADS];
};

static void bench_spin(unsigned int *spins)
{
	cpu_relax();
	if (++*spins % BENCH_SPIN_RESCHED == 0)
		cond_resched();
}

static __always_inline void bench_body_produce(struct bench_smp *x,
					       const enum bench_kind kind)
{
	struct bench_ring *ring = x->ring;
	unsigned long head = 0;
	unsigned int spins = 0;
	void *p;

	for (head = 0; head < x->ops; head++) {
		p = bench_alloc(x->c, kind);
		if (unlikely(!p)) {
			atomic_inc(&x->errors);
			WRITE_ONCE(ring->abort, true);
			return;
		}
		/* Pairs with the consumer's release: its slot reads are done. */
		while (head - smp_load_acquire(&ring->tail) >= BENCH_RING_SIZE)
			bench_spin(&spins);
		ring->slot[head % BENCH_RING_SIZE] = p;
		/* Publishes the slot; pairs with the consumer's acquire. */
		smp_store_release(&ring->head, head + 1);
	}
}

static __always_inline void bench_body_consume(struct bench_smp *x,
					       const enum bench_kind kind)
{
	struct bench_ring *ring = x->ring;
	unsigned long head, tail = 0;
	unsigned int spins = 0;

	while (tail < x->ops) {
		/* Pairs with the producer's release: slots up to head are set. */
		head = smp_load_acquire(&ring->head);
		if (head == tail) {
			if (READ_ONCE(ring->abort)) {
				/* Nothing published since: pairs as above. */
				if (smp_load_acquire(&ring->head) == tail)
					break;
			}
			bench_spin(&spins);
			continue;
		}
		for (; tail < head; tail++)
			bench_free(x->c, kind, ring->slot[tail % BENCH_RING_SIZE]);
		/* Hands the slots back; pairs with the producer's acquire. */
		smp_store_release(&ring->tail, tail);
	}
}

static noinline void bench_produce_kernel(struct bench_smp *x)
{
	bench_body_produce(x, BENCH_KERNEL);
}

static noinline void bench_produce_mslab(struct bench_smp *x)
{
	bench_body_produce(x, BENCH_MSLAB);
}

static noinline void bench_consume_kernel(struct bench_smp *x)
{
	bench_body_consume(x, BENCH_KERNEL);
}

static noinline void bench_consume_mslab(struct bench_smp *x)
{
	bench_body_consume(x, BENCH_MSLAB);
}

static int bench_producer_fn(void *data)
{
	struct bench_smp *x = data;

	wait_for_completion(&x->start);
	if (x->c->alloc->kind == BENCH_KERNEL)
		bench_produce_kernel(x);
	else
		bench_produce_mslab(x);
	kthread_complete_and_exit(&x->done[0], 0);
}

static int bench_consumer_fn(void *data)
{
	struct bench_smp *x = data;

	wait_for_completion(&x->start);
	if (x->c->alloc->kind == BENCH_KERNEL)
		bench_consume_kernel(x);
	else
		bench_consume_mslab(x);
	kthread_complete_and_exit(&x->done[1], 0);
}

/* The allcpu threads: index i runs x->runs[i] on its own CPU. */
struct bench_smp_thread {
	struct bench_smp *x;
	unsigned int idx;
};

static struct bench_smp_thread bench_threads[BENCH_MAX_THREADS];

static int bench_allcpu_fn(void *data)
{
	struct bench_smp_thread *th = data;
	struct bench_smp *x = th->x;
	struct bench_run *r = &x->runs[th->idx];

	wait_for_completion(&x->start);
	bench_fifo_fns[x->c->alloc->kind](r);
	if (r->err)
		atomic_inc(&x->errors);
	kthread_complete_and_exit(&x->done[th->idx], 0);
}

/* Start @fn on @cpu, waiting for x->start; NULL on failure. */
static struct task_struct *bench_thread(int (*fn)(void *), void *data,
					unsigned int cpu, const char *what)
{
	struct task_struct *t;

	t = kthread_create(fn, data, "mslab_bench/%s%u", what, cpu);
	if (IS_ERR(t))
		return NULL;
	kthread_bind(t, cpu);
	wake_up_process(t);
	return t;
}

/* One timed remote round: producer on @pcpu, consumer on @ccpu. */
static int bench_remote_round(struct bench_smp *x, unsigned int pcpu,
			      unsigned int ccpu, struct bench_time *t)
{
	unsigned int started = 0;

	memset(x->ring, 0, sizeof(*x->ring));
	init_completion(&x->start);
	init_completion(&x->done[0]);
	init_completion(&x->done[1]);
	atomic_set(&x->errors, 0);
	if (bench_thread(bench_producer_fn, x, pcpu, "p"))
		started |= 1;
	if (bench_thread(bench_consumer_fn, x, ccpu, "c"))
		started |= 2;
	if (started != 3) {
		/* A lone thread must not wait for its partner. */
		WRITE_ONCE(x->ring->abort, true);
		x->ops = 0;
	}
	bench_clock_start(t);
	complete_all(&x->start);
	if (started & 1)
		wait_for_completion(&x->done[0]);
	if (started & 2)
		wait_for_completion(&x->done[1]);
	bench_clock_stop(t);
	t->ops = x->ops;
	if (started != 3 || atomic_read(&x->errors))
		return -ENOMEM;
	return 0;
}

static int bench_remote_pair(struct bench_cache *cs, unsigned int pcpu,
			     unsigned int ccpu)
{
	struct bench_stats *st;
	struct bench_smp *x;
	struct bench_time t;
	unsigned int rep, a;
	char param[16];
	int err = -ENOMEM;

	st = kzalloc(sizeof(*st), GFP_KERNEL);
	x = kzalloc(sizeof(*x), GFP_KERNEL);
	if (x)
		x->ring = kzalloc(sizeof(*x->ring), GFP_KERNEL);
	if (!st || !x || !x->ring)
		goto out;
	bench_stats_init(st, cs);
	err = 0;
	for (rep = 0; rep <= reps && !err; rep++) {
		for (a = 0; a < nr_bench_allocs && !err; a++) {
			x->c = &cs[a];
			x->ops = remote_loops ?: max(1000U, loops / 10);
			err = bench_remote_round(x, pcpu, ccpu, &t);
			if (err)
				pr_err("remote %u>%u: %s failed\n", pcpu, ccpu,
				       cs[a].name);
			else if (rep)
				bench_record(st, a, rep - 1, &t);
			cond_resched();
		}
	}
	st->nr = reps;
	snprintf(param, sizeof(param), "%u>%u", pcpu, ccpu);
	if (!err)
		bench_print("remote", param, size, st);
out:
	if (x)
		kfree(x->ring);
	kfree(x);
	kfree(st);
	return err;
}

/*
 * Producer on the first online CPU; consumers on the next CPU of its node
 * and on the first CPU of another node, where there are.
 */
int bench_remote(void)
{
	struct bench_cache cs[BENCH_MAX_ALLOCS];
	unsigned int p, cpu, same = nr_cpu_ids, other = nr_cpu_ids;
	int err;

	if (num_online_cpus() < 2) {
		pr_info("remote: skipped, one CPU\n");
		return 0;
	}
	p = cpumask_first(cpu_online_mask);
	for_each_online_cpu(cpu) {
		if (cpu == p)
			continue;
		if (cpu_to_node(cpu) == cpu_to_node(p)) {
			if (same == nr_cpu_ids)
				same = cpu;
		} else if (other == nr_cpu_ids) {
			other = cpu;
		}
	}
	err = bench_caches_create(cs, size);
	if (err)
		return err;
	if (same < nr_cpu_ids)
		err = bench_remote_pair(cs, p, same);
	if (!err && other < nr_cpu_ids)
		err = bench_remote_pair(cs, p, other);
	bench_caches_destroy(cs);
	return err;
}

/* One timed allcpu round; @t gets the mean of the CPUs' own times. */
static int bench_allcpu_round(struct bench_smp *x, struct bench_time *t)
{
	unsigned int cpu, i, n = 0, started = 0;
	struct bench_run *r;

	init_completion(&x->start);
	atomic_set(&x->errors, 0);
	for_each_online_cpu(cpu) {
		if (n == BENCH_MAX_THREADS)
			break;
		r = &x->runs[n];
		r->c = x->c;
		r->err = 0;
		memset(&r->t, 0, sizeof(r->t));
		init_completion(&x->done[n]);
		bench_threads[n].x = x;
		bench_threads[n].idx = n;
		if (!bench_thread(bench_allcpu_fn, &bench_threads[n], cpu,
				  "a")) {
			atomic_inc(&x->errors);
			break;
		}
		n++;
	}
	started = n;
	complete_all(&x->start);
	memset(t, 0, sizeof(*t));
	for (i = 0; i < started; i++) {
		wait_for_completion(&x->done[i]);
		t->ns += x->runs[i].t.ns;
		t->cycles += x->runs[i].t.cycles;
		t->ops += x->runs[i].t.ops;
	}
	/* Mean per-CPU time per pair: total time over total pairs. */
	return atomic_read(&x->errors) ? -ENOMEM : 0;
}

int bench_allcpu(void)
{
	struct bench_cache cs[BENCH_MAX_ALLOCS];
	unsigned int rep, a, i, ncpu;
	struct bench_stats *st;
	struct bench_smp *x;
	struct bench_time t;
	char param[16];
	int err = -ENOMEM;

	ncpu = min_t(unsigned int, num_online_cpus(), BENCH_MAX_THREADS);
	if (ncpu < 2) {
		pr_info("allcpu: skipped, one CPU\n");
		return 0;
	}
	st = kzalloc(sizeof(*st), GFP_KERNEL);
	x = kvzalloc(sizeof(*x), GFP_KERNEL);
	if (!st || !x)
		goto out;
	x->batch = allcpu_batch;
	for (i = 0; i < ncpu; i++) {
		x->runs[i].batch = allcpu_batch;
		x->runs[i].rounds = bench_rounds(allcpu_batch);
		x->runs[i].ptrs = kvmalloc_array(allcpu_batch,
						 sizeof(void *), GFP_KERNEL);
		if (!x->runs[i].ptrs)
			goto out;
	}
	err = bench_caches_create(cs, size);
	if (err)
		goto out;
	bench_stats_init(st, cs);
	for (rep = 0; rep <= reps && !err; rep++) {
		for (a = 0; a < nr_bench_allocs && !err; a++) {
			x->c = &cs[a];
			err = bench_allcpu_round(x, &t);
			if (err)
				pr_err("allcpu: %s failed\n", cs[a].name);
			else if (rep)
				bench_record(st, a, rep - 1, &t);
			cond_resched();
		}
	}
	bench_caches_destroy(cs);
	st->nr = reps;
	snprintf(param, sizeof(param), "%ux%u", allcpu_batch, ncpu);
	if (!err)
		bench_print("allcpu", param, size, st);
out:
	if (x)
		for (i = 0; i < BENCH_MAX_THREADS; i++)
			kvfree(x->runs[i].ptrs);
	kvfree(x);
	kfree(st);
	return err;
}
