/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mslab's statistics, one line each: MSLAB_STAT(item, name), item the enum
 * mslab_stat_item constant, name its sysfs file (SLUB 6.12's names). No
 * include guard: each user defines MSLAB_STAT() and includes this list
 * (mslab.h, stats.c, sysfs.c).
 */

/* Allocation from cpu slab */
MSLAB_STAT(ALLOC_FASTPATH, alloc_fastpath)
/* Allocation by getting a new cpu slab */
MSLAB_STAT(ALLOC_SLOWPATH, alloc_slowpath)
/* Free to cpu slab */
MSLAB_STAT(FREE_FASTPATH, free_fastpath)
/* Freeing not to cpu slab */
MSLAB_STAT(FREE_SLOWPATH, free_slowpath)
/* Freeing to frozen slab */
MSLAB_STAT(FREE_FROZEN, free_frozen)
/* Freeing moves slab to partial list */
MSLAB_STAT(FREE_ADD_PARTIAL, free_add_partial)
/* Freeing removes last object */
MSLAB_STAT(FREE_REMOVE_PARTIAL, free_remove_partial)
/* Cpu slab acquired from node partial list */
MSLAB_STAT(ALLOC_FROM_PARTIAL, alloc_from_partial)
/* Cpu slab acquired from page allocator */
MSLAB_STAT(ALLOC_SLAB, alloc_slab)
/* Refill cpu slab from slab freelist */
MSLAB_STAT(ALLOC_REFILL, alloc_refill)
/* Switching cpu slab */
MSLAB_STAT(ALLOC_NODE_MISMATCH, alloc_node_mismatch)
/* Slab freed to the page allocator */
MSLAB_STAT(FREE_SLAB, free_slab)
/* Abandoning of the cpu slab */
MSLAB_STAT(CPUSLAB_FLUSH, cpuslab_flush)
/* Cpu slab was full when deactivated */
MSLAB_STAT(DEACTIVATE_FULL, deactivate_full)
/* Cpu slab was empty when deactivated */
MSLAB_STAT(DEACTIVATE_EMPTY, deactivate_empty)
/* Cpu slab was moved to the head of partials */
MSLAB_STAT(DEACTIVATE_TO_HEAD, deactivate_to_head)
/* Cpu slab was moved to the tail of partials */
MSLAB_STAT(DEACTIVATE_TO_TAIL, deactivate_to_tail)
/* Slab contained remotely freed objects */
MSLAB_STAT(DEACTIVATE_REMOTE_FREES, deactivate_remote_frees)
/* Implicit deactivation */
MSLAB_STAT(DEACTIVATE_BYPASS, deactivate_bypass)
/* Number of times fallback was necessary */
MSLAB_STAT(ORDER_FALLBACK, order_fallback)
/* Failures of this_cpu_cmpxchg_double */
MSLAB_STAT(CMPXCHG_DOUBLE_CPU_FAIL, cmpxchg_double_cpu_fail)
/* Failures of slab freelist update */
MSLAB_STAT(CMPXCHG_DOUBLE_FAIL, cmpxchg_double_fail)
/* Used cpu partial on alloc */
MSLAB_STAT(CPU_PARTIAL_ALLOC, cpu_partial_alloc)
/* Refill cpu partial on free */
MSLAB_STAT(CPU_PARTIAL_FREE, cpu_partial_free)
/* Refill cpu partial from node partial */
MSLAB_STAT(CPU_PARTIAL_NODE, cpu_partial_node)
/* Drain cpu partial to node partial */
MSLAB_STAT(CPU_PARTIAL_DRAIN, cpu_partial_drain)

/*
 * The sheaf front end's, with the names of SLUB's sheaves (7.0). In a cache
 * with sheaves, alloc_fastpath and free_fastpath count objects taken from
 * and put in the CPU's sheaves, alloc_slowpath and free_slowpath the user's
 * other ones; the objects sheaves take from and give back to the slabs
 * count only here.
 */
/* Objects flushed from a sheaf to slabs */
MSLAB_STAT(SHEAF_FLUSH, sheaf_flush)
/* Objects refilled into a sheaf from slabs */
MSLAB_STAT(SHEAF_REFILL, sheaf_refill)
/* Sheaves allocated */
MSLAB_STAT(SHEAF_ALLOC, sheaf_alloc)
/* Sheaves freed */
MSLAB_STAT(SHEAF_FREE, sheaf_free)
/* Full sheaf taken from the barn */
MSLAB_STAT(BARN_GET, barn_get)
/* No full sheaf in the barn */
MSLAB_STAT(BARN_GET_FAIL, barn_get_fail)
/* Full sheaf put in the barn */
MSLAB_STAT(BARN_PUT, barn_put)
/* No room for a full sheaf in the barn */
MSLAB_STAT(BARN_PUT_FAIL, barn_put_fail)
