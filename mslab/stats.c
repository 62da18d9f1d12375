// SPDX-License-Identifier: GPL-2.0
/*
 * mslab statistics: SLUB 6.12's per-CPU event counters, by the names of
 * its /sys/kernel/slab/<cache>/ stat files.
 */

#include <linux/build_bug.h>
#include <linux/cpumask.h>
#include <linux/kernel.h>

#include <kunit/visibility.h>

#include "mslab.h"

const char *const mslab_stat_names[NR_MSLAB_STAT_ITEMS] = {
	[ALLOC_FASTPATH]		= "alloc_fastpath",
	[ALLOC_SLOWPATH]		= "alloc_slowpath",
	[FREE_FASTPATH]			= "free_fastpath",
	[FREE_SLOWPATH]			= "free_slowpath",
	[FREE_FROZEN]			= "free_frozen",
	[FREE_ADD_PARTIAL]		= "free_add_partial",
	[FREE_REMOVE_PARTIAL]		= "free_remove_partial",
	[ALLOC_FROM_PARTIAL]		= "alloc_from_partial",
	[ALLOC_SLAB]			= "alloc_slab",
	[ALLOC_REFILL]			= "alloc_refill",
	[ALLOC_NODE_MISMATCH]		= "alloc_node_mismatch",
	[FREE_SLAB]			= "free_slab",
	[CPUSLAB_FLUSH]			= "cpuslab_flush",
	[DEACTIVATE_FULL]		= "deactivate_full",
	[DEACTIVATE_EMPTY]		= "deactivate_empty",
	[DEACTIVATE_TO_HEAD]		= "deactivate_to_head",
	[DEACTIVATE_TO_TAIL]		= "deactivate_to_tail",
	[DEACTIVATE_REMOTE_FREES]	= "deactivate_remote_frees",
	[DEACTIVATE_BYPASS]		= "deactivate_bypass",
	[ORDER_FALLBACK]		= "order_fallback",
	[CMPXCHG_DOUBLE_CPU_FAIL]	= "cmpxchg_double_cpu_fail",
	[CMPXCHG_DOUBLE_FAIL]		= "cmpxchg_double_fail",
	[CPU_PARTIAL_ALLOC]		= "cpu_partial_alloc",
	[CPU_PARTIAL_FREE]		= "cpu_partial_free",
	[CPU_PARTIAL_NODE]		= "cpu_partial_node",
	[CPU_PARTIAL_DRAIN]		= "cpu_partial_drain",
	[SHEAF_FLUSH]			= "sheaf_flush",
	[SHEAF_REFILL]			= "sheaf_refill",
	[SHEAF_ALLOC]			= "sheaf_alloc",
	[SHEAF_FREE]			= "sheaf_free",
	[BARN_GET]			= "barn_get",
	[BARN_GET_FAIL]			= "barn_get_fail",
	[BARN_PUT]			= "barn_put",
	[BARN_PUT_FAIL]			= "barn_put_fail",
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
