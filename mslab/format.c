// SPDX-License-Identifier: GPL-2.0
/*
 * mslab formatting and parsing helpers for the sysfs and debugfs files:
 * SLUB 6.12's "total N0=x N1=y" and "objs(slabs) C0=objs(slabs)" formats,
 * the fill buckets of the state dump's histogram, and the strict parsing
 * of what a user writes to a tunable. Pure functions, tested by KUnit
 * (kunit/format_kunit.c).
 */

#include <linux/cpumask.h>
#include <linux/kernel.h>
#include <linux/kstrtox.h>
#include <linux/nodemask.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include <kunit/visibility.h>

#include "state.h"

static const char *const mslab_fill_names[MSLAB_FILL_BUCKETS] = {
	"empty", "<10%", "10-19%", "20-29%", "30-39%", "40-49%", "50-59%",
	"60-69%", "70-79%", "80-89%", "90-99%", "full",
};

/**
 * mslab_fill_bucket() - the histogram bucket of a slab's fill
 * @inuse: objects of the slab in use
 * @objects: objects in the slab
 *
 * Return: 0 for an empty slab, MSLAB_FILL_BUCKETS - 1 for a full one (or
 * an impossible @inuse > @objects), else 1 + the tens of its percentage of
 * objects in use (1: under 10%, ..., 10: 90% to 99%).
 */
unsigned int mslab_fill_bucket(unsigned int inuse, unsigned int objects)
{
	if (!inuse)
		return 0;
	if (inuse >= objects)
		return MSLAB_FILL_BUCKETS - 1;
	return 1 + inuse * 10 / objects;
}
EXPORT_SYMBOL_IF_KUNIT(mslab_fill_bucket);

/**
 * mslab_fill_bucket_name() - the label of a fill bucket
 * @bucket: 0 to MSLAB_FILL_BUCKETS - 1
 *
 * Return: "empty", "<10%", "10-19%", ..., "90-99%", "full"; "?" out of range.
 */
const char *mslab_fill_bucket_name(unsigned int bucket)
{
	if (bucket >= MSLAB_FILL_BUCKETS)
		return "?";
	return mslab_fill_names[bucket];
}
EXPORT_SYMBOL_IF_KUNIT(mslab_fill_bucket_name);

/**
 * mslab_emit_nodes() - print "total N0=x N1=y\n" as show_slab_objects()
 * @buf: a sysfs page buffer
 * @len: bytes of @buf already used
 * @nodes: one count per node id, nr_node_ids entries
 * @mask: the nodes that may be listed (SLUB: N_NORMAL_MEMORY)
 *
 * The total covers every node; the per-node part is printed only on a
 * system with more than one possible node, for the nodes of @mask with a
 * non-zero count.
 *
 * Return: the new length of @buf.
 */
int mslab_emit_nodes(char *buf, int len, const unsigned long *nodes,
		     const nodemask_t *mask)
{
	unsigned long total = 0;
	int node;

	for (node = 0; node < nr_node_ids; node++)
		total += nodes[node];
	len += sysfs_emit_at(buf, len, "%lu", total);
	if (nr_node_ids > 1)
		for_each_node_mask(node, *mask)
			if (node < nr_node_ids && nodes[node])
				len += sysfs_emit_at(buf, len, " N%d=%lu",
						     node, nodes[node]);
	len += sysfs_emit_at(buf, len, "\n");
	return len;
}
EXPORT_SYMBOL_IF_KUNIT(mslab_emit_nodes);

/**
 * mslab_emit_cpu_partial() - print slabs_cpu_partial in SLUB's format
 * @buf: a sysfs page buffer
 * @objs_per_slab: objects in a slab of the cache
 * @slabs: slabs on each CPU's partial chain, nr_cpu_ids entries
 * @mask: the CPUs to list (SLUB: the online CPUs)
 *
 * "objs(slabs) C0=objs(slabs) C2=objs(slabs)\n": the objects are estimated
 * from the slab count with the slabs half full, as SLUB's
 * slabs_cpu_partial_show(); CPUs with no partial slab are left out.
 *
 * Return: the length of @buf.
 */
int mslab_emit_cpu_partial(char *buf, unsigned int objs_per_slab,
			   const unsigned int *slabs, const struct cpumask *mask)
{
	unsigned long total = 0;
	int cpu, len;

	for_each_cpu(cpu, mask)
		total += slabs[cpu];
	len = sysfs_emit(buf, "%lu(%lu)", total * objs_per_slab / 2, total);
	for_each_cpu(cpu, mask)
		if (slabs[cpu])
			len += sysfs_emit_at(buf, len, " C%d=%lu(%u)", cpu,
					     (unsigned long)slabs[cpu] *
					     objs_per_slab / 2, slabs[cpu]);
	len += sysfs_emit_at(buf, len, "\n");
	return len;
}
EXPORT_SYMBOL_IF_KUNIT(mslab_emit_cpu_partial);

/**
 * mslab_parse_ulong() - parse a tunable written to sysfs
 * @buf: what the user wrote, NUL-terminated (sysfs does that)
 * @max: the largest value accepted
 * @val: the value, set only on success
 *
 * A decimal number, optionally followed by one newline, as kstrtoul():
 * empty strings, signs other than a leading '+', spaces and any other
 * character are refused.
 *
 * Return: 0, -EINVAL for a malformed number, -ERANGE for one above @max
 * or beyond an unsigned long.
 */
int mslab_parse_ulong(const char *buf, unsigned long max, unsigned long *val)
{
	unsigned long x;
	int err;

	err = kstrtoul(buf, 10, &x);
	if (err)
		return err;
	if (x > max)
		return -ERANGE;
	*val = x;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(mslab_parse_ulong);

/**
 * mslab_is_command() - is a sysfs write exactly one command word?
 * @buf: what the user wrote, NUL-terminated
 * @word: the command, e.g. "1" for shrink or "0" to clear a counter
 *
 * Return: true if @buf is @word, optionally followed by one newline.
 */
bool mslab_is_command(const char *buf, const char *word)
{
	size_t n = strlen(word);

	if (strncmp(buf, word, n))
		return false;
	return !buf[n] || (buf[n] == '\n' && !buf[n + 1]);
}
EXPORT_SYMBOL_IF_KUNIT(mslab_is_command);
