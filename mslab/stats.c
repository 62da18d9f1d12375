// SPDX-License-Identifier: GPL-2.0
/*
 * mslab statistics: SLUB 6.12's per-CPU event counters, by the names of
 * its /sys/kernel/slab/<cache>/ stat files.
 */

#include <linux/build_bug.h>
#include <linux/cpumask.h>
#include <linux/kernel.h>
#include <linux/stringify.h>

#include <kunit/visibility.h>

#include "cache.h"

const char *const mslab_stat_names[NR_MSLAB_STAT_ITEMS] = {
#define MSLAB_STAT(item, name) \
	[item] = __stringify(name),
#include "stat_items.h"
#undef MSLAB_STAT
};

static_assert(ARRAY_SIZE(mslab_stat_names) == NR_MSLAB_STAT_ITEMS);

/**
 * mslab_stat_sum() - a counter summed over all possible CPUs
 * @s: the cache
 * @si: the counter
 *
 * Return: the sum; racy with concurrent increments, as SLUB's.
 */
unsigned long mslab_stat_sum(struct mslab_cache *s, enum mslab_stat_item si)
{
	unsigned long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		/* Bumped without atomics: the sum is a snapshot. */
		sum += data_race(per_cpu_ptr(s->cpu_slab, cpu)->stat[si]);
	return sum;
}
EXPORT_SYMBOL_IF_KUNIT(mslab_stat_sum);
