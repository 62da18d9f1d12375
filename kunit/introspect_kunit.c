// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites for what mslab shows of itself:
 *
 * "mslab_format": the helpers behind the sysfs and debugfs formats (fill
 * buckets, SLUB's "total N0=x" and "objs(slabs) C0=objs(slabs)" lines) and
 * the strict parsing of writes to tunables, as tables of inputs.
 *
 * "mslab_state": the state dump of /sys/kernel/debug/mslab/<cache>/state
 * and the slabinfo line, against a cache whose contents the test knows, and
 * the cache's debugfs directory. UML has one CPU, so every allocation and
 * free of the test goes through the cpu slab and partial chain the dump
 * shows.
 */

#include <linux/cpumask.h>
#include <linux/dcache.h>
#include <linux/debugfs.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <kunit/test.h>

#include "mslab.h"
#include "mslab_kunit.h"

/* === mslab_format ======================================================= */

struct fill_case {
	unsigned int inuse, objects, bucket;
	const char *name;
};

static const struct fill_case fill_cases[] = {
	{ 0, 21, 0, "empty" },
	{ 1, 21, 1, "<10%" },
	{ 1, 10, 2, "10-19%" },
	{ 5, 10, 6, "50-59%" },
	{ 9, 10, 10, "90-99%" },
	{ 20, 21, 10, "90-99%" },
	{ 21, 21, 11, "full" },
	{ 1, 1, 11, "full" },
	{ 22, 21, 11, "full" },		/* impossible, counted as full */
	{ 1, 32767, 1, "<10%" },
	{ 32766, 32767, 10, "90-99%" },
};

static void fill_case_to_desc(const struct fill_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%u of %u", c->inuse, c->objects);
}

KUNIT_ARRAY_PARAM(fill, fill_cases, fill_case_to_desc);

static void fill_bucket_and_name(struct kunit *test)
{
	const struct fill_case *c = test->param_value;
	unsigned int b = mslab_fill_bucket(c->inuse, c->objects);

	KUNIT_EXPECT_EQ(test, b, c->bucket);
	KUNIT_EXPECT_STREQ(test, mslab_fill_bucket_name(b), c->name);
}

static void fill_bucket_name_out_of_range(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, mslab_fill_bucket_name(MSLAB_FILL_BUCKETS), "?");
}

struct parse_case {
	const char *buf;
	unsigned long max;
	int err;
	unsigned long val;
};

static const struct parse_case parse_cases[] = {
	{ "5", 10, 0, 5 },
	{ "5\n", 10, 0, 5 },
	{ "+5", 10, 0, 5 },
	{ "0", 10, 0, 0 },
	{ "1024", MSLAB_MIN_PARTIAL_LIMIT, 0, 1024 },
	{ "1025", MSLAB_MIN_PARTIAL_LIMIT, -ERANGE, 0 },
	{ "32768", MSLAB_CPU_PARTIAL_LIMIT, 0, 32768 },
	{ "32769", MSLAB_CPU_PARTIAL_LIMIT, -ERANGE, 0 },
	{ "101", 100, -ERANGE, 0 },
	{ "18446744073709551615", ULONG_MAX, 0, ULONG_MAX },
	{ "18446744073709551616", ULONG_MAX, -ERANGE, 0 },
	{ "99999999999999999999999", ULONG_MAX, -ERANGE, 0 },
	{ "", 10, -EINVAL, 0 },
	{ "\n", 10, -EINVAL, 0 },
	{ "-1", 10, -EINVAL, 0 },
	{ "abc", 10, -EINVAL, 0 },
	{ " 5", 10, -EINVAL, 0 },
	{ "5x", 10, -EINVAL, 0 },
	{ "5 5", 10, -EINVAL, 0 },
	{ "0x5", 10, -EINVAL, 0 },
	{ "1.5", 10, -EINVAL, 0 },
	{ "5\n\n", 10, -EINVAL, 0 },
};

static void parse_case_to_desc(const struct parse_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%*pE\" max %lu",
		 (int)strlen(c->buf), c->buf, c->max);
}

KUNIT_ARRAY_PARAM(parse, parse_cases, parse_case_to_desc);

/* A tunable is set only from a well-formed number in range. */
static void parse_ulong_is_strict(struct kunit *test)
{
	const struct parse_case *c = test->param_value;
	unsigned long val = 12345;

	KUNIT_EXPECT_EQ(test, mslab_parse_ulong(c->buf, c->max, &val), c->err);
	KUNIT_EXPECT_EQ(test, val, c->err ? 12345UL : c->val);
}

static void command_words(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, mslab_is_command("1", "1"));
	KUNIT_EXPECT_TRUE(test, mslab_is_command("1\n", "1"));
	KUNIT_EXPECT_TRUE(test, mslab_is_command("0\n", "0"));
	KUNIT_EXPECT_FALSE(test, mslab_is_command("", "1"));
	KUNIT_EXPECT_FALSE(test, mslab_is_command("\n", "1"));
	KUNIT_EXPECT_FALSE(test, mslab_is_command("11", "1"));
	KUNIT_EXPECT_FALSE(test, mslab_is_command("1x", "1"));
	KUNIT_EXPECT_FALSE(test, mslab_is_command("1 ", "1"));
	KUNIT_EXPECT_FALSE(test, mslab_is_command("1\n\n", "1"));
	KUNIT_EXPECT_FALSE(test, mslab_is_command("00", "0"));
	KUNIT_EXPECT_FALSE(test, mslab_is_command("2", "1"));
}

/* "total N0=x N1=y\n", the node list only where there are several nodes. */
static void emit_nodes_format(struct kunit *test)
{
	unsigned long *nodes;
	char *buf;
	int len;

	buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	nodes = kunit_kcalloc(test, nr_node_ids, sizeof(*nodes), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_NOT_NULL(test, nodes);

	len = mslab_emit_nodes(buf, 0, nodes, &node_states[N_POSSIBLE]);
	KUNIT_EXPECT_STREQ(test, buf, "0\n");
	KUNIT_EXPECT_EQ(test, len, 2);

	nodes[0] = 42;
	mslab_emit_nodes(buf, 0, nodes, &node_states[N_POSSIBLE]);
	if (nr_node_ids == 1)
		KUNIT_EXPECT_STREQ(test, buf, "42\n");
	else
		KUNIT_EXPECT_STREQ(test, buf, "42 N0=42\n");

	/* Appends at @len, as show_slab_objects() builds its line. */
	len = sysfs_emit(buf, "x");
	mslab_emit_nodes(buf, len, nodes, &node_states[N_POSSIBLE]);
	KUNIT_EXPECT_EQ(test, buf[0], 'x');
	KUNIT_EXPECT_EQ(test, buf[1], '4');
}

/* SLUB's "objs(slabs) C<cpu>=objs(slabs)", slabs assumed half full. */
static void emit_cpu_partial_format(struct kunit *test)
{
	unsigned int *slabs;
	char *buf, want[32];
	int cpu = cpumask_first(cpu_online_mask);

	buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	slabs = kunit_kcalloc(test, nr_cpu_ids, sizeof(*slabs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_NOT_NULL(test, slabs);

	mslab_emit_cpu_partial(buf, 21, slabs, cpumask_of(cpu));
	KUNIT_EXPECT_STREQ(test, buf, "0(0)\n");

	slabs[cpu] = 3;
	mslab_emit_cpu_partial(buf, 21, slabs, cpumask_of(cpu));
	snprintf(want, sizeof(want), "31(3) C%d=31(3)\n", cpu);
	KUNIT_EXPECT_STREQ(test, buf, want);

	/* A CPU outside the mask is not listed. */
	mslab_emit_cpu_partial(buf, 21, slabs, cpu_none_mask);
	KUNIT_EXPECT_STREQ(test, buf, "0(0)\n");
}

static struct kunit_case mslab_format_test_cases[] = {
	KUNIT_CASE_PARAM(fill_bucket_and_name, fill_gen_params),
	KUNIT_CASE(fill_bucket_name_out_of_range),
	KUNIT_CASE_PARAM(parse_ulong_is_strict, parse_gen_params),
	KUNIT_CASE(command_words),
	KUNIT_CASE(emit_nodes_format),
	KUNIT_CASE(emit_cpu_partial_format),
	{}
};

static struct kunit_suite mslab_format_test_suite = {
	.name = "mslab_format",
	.test_cases = mslab_format_test_cases,
};

/* === mslab_state ======================================================== */

#define STATE_SIZE	64

KUNIT_DEFINE_ACTION_WRAPPER(state_free_action, mslab_state_free,
			    struct mslab_state *);

static struct mslab_state *take_state(struct kunit *test,
				      struct mslab_cache *s)
{
	struct mslab_state *st = mslab_state_take(s);

	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(st));
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, state_free_action, st));
	return st;
}

/* A seq_file writing into a buffer of the test. */
static struct seq_file *test_seq(struct kunit *test, size_t size)
{
	struct seq_file *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, m);
	m->buf = kunit_kzalloc(test, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m->buf);
	m->size = size;
	return m;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}

static unsigned long hist_sum(const unsigned long *hist)
{
	unsigned long sum = 0;
	int b;

	for (b = 0; b < MSLAB_FILL_BUCKETS; b++)
		sum += hist[b];
	return sum;
}

/* Allocate @n objects of @s into @objs, freed by the cache's destroy. */
static void alloc_n(struct kunit *test, struct mslab_cache *s, void **objs,
		    unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		objs[i] = mslab_cache_alloc(s, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, objs[i]);
	}
}

static void free_all(struct mslab_cache *s, void **objs, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (objs[i])
			mslab_cache_free(s, objs[i]);
}

/*
 * The dump counts exactly the objects in users' hands: the cpu slab's
 * objects on the CPU's freelist are not in use.
 */
static void state_counts_objects_in_use(struct kunit *test)
{
	struct mslab_cache *s;
	struct mslab_state *st;
	unsigned int ops, n, cpu;
	void **objs;

	MSLAB_TEST_REQUIRES_UP(test);
	s = mslab_test_cache(test, "kunit-state-count", STATE_SIZE, 0, 0, NULL);
	ops = mslab_oo_objects(s->layout->oo);
	n = 2 * ops + 3;
	objs = kunit_kcalloc(test, n, sizeof(*objs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, objs);
	alloc_n(test, s, objs, n);

	st = take_state(test, s);
	KUNIT_EXPECT_EQ(test, st->inuse, (unsigned long)n);
	KUNIT_EXPECT_EQ(test, st->nr_slabs, (unsigned long)mslab_test_nr_slabs(s));
	KUNIT_EXPECT_EQ(test, st->objects, st->nr_slabs * ops);
	KUNIT_EXPECT_EQ(test, hist_sum(st->hist), st->nr_slabs);
	/* Two full slabs, and a cpu slab with 3 objects in use. */
	KUNIT_EXPECT_EQ(test, st->hist[MSLAB_FILL_BUCKETS - 1], 2UL);
	cpu = raw_smp_processor_id();
	KUNIT_EXPECT_TRUE(test, st->cpus[cpu].taken);
	KUNIT_EXPECT_PTR_EQ(test, st->cpus[cpu].slab, mslab_test_cpu(s)->slab);
	KUNIT_EXPECT_EQ(test, (unsigned int)st->cpus[cpu].cpu_slab.inuse, 3U);
	KUNIT_EXPECT_EQ(test, st->cpus[cpu].cpu_free, ops - 3);
	KUNIT_EXPECT_EQ(test, st->cpus[cpu].remote_free, 0U);

	free_all(s, objs, n);
	st = take_state(test, s);
	KUNIT_EXPECT_EQ(test, st->inuse, 0UL);
	KUNIT_EXPECT_EQ(test, hist_sum(st->hist), st->nr_slabs);
}

/*
 * Freeing one object of each full slab puts it on the CPU's partial chain;
 * once shrunk they are on the node partial list, and the dump lists them
 * with their fill.
 */
static void state_lists_partial_slabs(struct kunit *test)
{
	struct mslab_cache *s;
	struct mslab_state *st;
	unsigned int ops, n, cpu, i;
	unsigned long partial = 0;
	int node;
	void **objs;

	MSLAB_TEST_REQUIRES_UP(test);
	s = mslab_test_cache(test, "kunit-state-partial", STATE_SIZE, 0, 0,
			     NULL);
	ops = mslab_oo_objects(s->layout->oo);
	n = 3 * ops;
	objs = kunit_kcalloc(test, n, sizeof(*objs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, objs);
	alloc_n(test, s, objs, n);
	/* Objects come slab after slab: one free in each of the first two. */
	mslab_cache_free(s, objs[0]);
	objs[0] = NULL;
	mslab_cache_free(s, objs[ops]);
	objs[ops] = NULL;

	cpu = raw_smp_processor_id();
	st = take_state(test, s);
	KUNIT_EXPECT_EQ(test, st->inuse, (unsigned long)n - 2);
	KUNIT_EXPECT_EQ(test, st->cpus[cpu].nr_partial, 2U);
	for (i = 0; i < 2; i++) {
		KUNIT_EXPECT_EQ(test, (unsigned int)st->cpus[cpu].partial[i].inuse,
				ops - 1);
		KUNIT_EXPECT_EQ(test,
				(unsigned int)st->cpus[cpu].partial[i].objects,
				ops);
	}

	mslab_cache_shrink(s);
	st = take_state(test, s);
	KUNIT_EXPECT_EQ(test, st->inuse, (unsigned long)n - 2);
	KUNIT_EXPECT_NULL(test, st->cpus[cpu].slab);
	KUNIT_EXPECT_EQ(test, st->cpus[cpu].nr_partial, 0U);
	for_each_node(node) {
		const struct mslab_node_state *ns = &st->nodes[node];

		partial += ns->nr_partial;
		for (i = 0; i < ns->nr_partial && i < ns->room; i++)
			KUNIT_EXPECT_EQ(test, (unsigned int)ns->partial[i].inuse,
					ops - 1);
	}
	KUNIT_EXPECT_EQ(test, partial, mslab_test_nr_partial(s));
	KUNIT_EXPECT_EQ(test, partial, 2UL);
	KUNIT_EXPECT_EQ(test, st->hist[mslab_fill_bucket(ops - 1, ops)], 2UL);
	KUNIT_EXPECT_EQ(test, st->hist[MSLAB_FILL_BUCKETS - 1], 1UL);
	free_all(s, objs, n);
}

/* The printed dump holds the figures of the snapshot. */
static void state_print_format(struct kunit *test)
{
	struct mslab_cache *s;
	struct mslab_state *st;
	struct seq_file *m;
	unsigned int ops, n;
	char *line;
	void **objs;

	MSLAB_TEST_REQUIRES_UP(test);
	s = mslab_test_cache(test, "kunit-state-print", STATE_SIZE, 0, 0, NULL);
	ops = mslab_oo_objects(s->layout->oo);
	n = ops + 1;
	objs = kunit_kcalloc(test, n, sizeof(*objs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, objs);
	alloc_n(test, s, objs, n);

	st = take_state(test, s);
	m = test_seq(test, 4 * PAGE_SIZE);
	mslab_state_print(m, st);
	KUNIT_ASSERT_FALSE(test, seq_has_overflowed(m));
	m->buf[m->count] = '\0';

	line = kasprintf(GFP_KERNEL, "object_size %u slab_size %u objs_per_slab %u order %u\n",
			 STATE_SIZE, s->layout->size, ops, mslab_oo_order(s->layout->oo));
	KUNIT_EXPECT_TRUE(test, str_has_prefix(m->buf, "cache kunit-state-print: "));
	KUNIT_EXPECT_NOT_NULL(test, strstr(m->buf, line));
	kfree(line);
	line = kasprintf(GFP_KERNEL, "total: slabs 2 objects %u inuse %u\n",
			 2 * ops, n);
	KUNIT_EXPECT_NOT_NULL(test, strstr(m->buf, line));
	kfree(line);
	line = kasprintf(GFP_KERNEL, "cpu%d slab 1/%u node 0 cpu_free %u remote_free 0\n",
			 raw_smp_processor_id(), ops, ops - 1);
	KUNIT_EXPECT_NOT_NULL(test, strstr(m->buf, line));
	kfree(line);
	KUNIT_EXPECT_NOT_NULL(test, strstr(m->buf, "\nhist-all "));
	KUNIT_EXPECT_NOT_NULL(test, strstr(m->buf, "empty"));
	free_all(s, objs, n);
}

/*
 * slabinfo 2.1: cpu freelists count as active, free objects on node partial
 * slabs do not, as SLUB's get_slabinfo().
 */
static void slabinfo_line(struct kunit *test)
{
	struct mslab_slabinfo info;
	struct mslab_cache *s;
	struct seq_file *m;
	unsigned int ops, n;
	char *want;
	void **objs;

	MSLAB_TEST_REQUIRES_UP(test);
	s = mslab_test_cache(test, "kunit-slabinfo", STATE_SIZE, 0, 0, NULL);
	ops = mslab_oo_objects(s->layout->oo);
	n = 2 * ops;
	objs = kunit_kcalloc(test, n, sizeof(*objs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, objs);
	alloc_n(test, s, objs, n);
	mslab_cache_free(s, objs[0]);
	objs[0] = NULL;
	mslab_cache_shrink(s);

	mslab_slabinfo_get(s, &info);
	KUNIT_EXPECT_EQ(test, info.num_slabs, 2UL);
	KUNIT_EXPECT_EQ(test, info.active_slabs, 2UL);
	KUNIT_EXPECT_EQ(test, info.num_objs, 2UL * ops);
	KUNIT_EXPECT_EQ(test, info.active_objs, (unsigned long)n - 1);
	KUNIT_EXPECT_EQ(test, info.objects_per_slab, ops);

	m = test_seq(test, PAGE_SIZE);
	mslab_slabinfo_show(m, s);
	m->buf[m->count] = '\0';
	/* The name in 17 columns, then SLUB's columns. */
	KUNIT_EXPECT_TRUE(test, str_has_prefix(m->buf, "kunit-slabinfo     "));
	want = kasprintf(GFP_KERNEL, "%6u %6u %6u %4u %4d : tunables    0    0    0",
			 n - 1, 2 * ops, s->layout->size, ops,
			 1 << mslab_oo_order(s->layout->oo));
	KUNIT_EXPECT_NOT_NULL(test, strstr(m->buf, want));
	kfree(want);
	KUNIT_EXPECT_TRUE(test,
			  ends_with(m->buf, " : slabdata      2      2      0\n"));

	m = test_seq(test, PAGE_SIZE);
	mslab_slabinfo_header(m);
	m->buf[m->count] = '\0';
	KUNIT_EXPECT_TRUE(test, !strncmp(m->buf, "slabinfo - version: 2.1\n# name ",
					 strlen("slabinfo - version: 2.1\n# name ")));
	free_all(s, objs, n);
}

/*
 * A cache's debugfs directory lives as long as the cache, and destroying a
 * cache whose name is taken in the root ("stats") leaves the root's file.
 */
static void debugfs_dir_follows_cache(struct kunit *test)
{
	struct mslab_cache *s;
	struct dentry *d;

	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(mslab_debugfs_root));
	s = mslab_cache_create("kunit-debugfs-dir", STATE_SIZE, 0, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	d = debugfs_lookup("kunit-debugfs-dir", mslab_debugfs_root);
	KUNIT_EXPECT_NOT_NULL(test, d);
	dput(d);
	mslab_cache_destroy(s);
	d = debugfs_lookup("kunit-debugfs-dir", mslab_debugfs_root);
	KUNIT_EXPECT_NULL(test, d);
	dput(d);

	s = mslab_cache_create("stats", STATE_SIZE, 0, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	mslab_cache_destroy(s);
	d = debugfs_lookup("stats", mslab_debugfs_root);
	KUNIT_EXPECT_NOT_NULL(test, d);
	if (d)
		KUNIT_EXPECT_FALSE(test, d_is_dir(d));
	dput(d);
}

static struct kunit_case mslab_state_test_cases[] = {
	KUNIT_CASE(state_counts_objects_in_use),
	KUNIT_CASE(state_lists_partial_slabs),
	KUNIT_CASE(state_print_format),
	KUNIT_CASE(slabinfo_line),
	KUNIT_CASE(debugfs_dir_follows_cache),
	{}
};

static struct kunit_suite mslab_state_test_suite = {
	.name = "mslab_state",
	.test_cases = mslab_state_test_cases,
};

kunit_test_suites(&mslab_format_test_suite, &mslab_state_test_suite);
