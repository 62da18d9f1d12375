/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What sysfs and debugfs show: the formats and parsers of format.c, and
 * the snapshots of a cache's slabs that state.c takes for the debugfs
 * state dump and slabinfo.
 */
#ifndef _MSLAB_STATE_H
#define _MSLAB_STATE_H

#include "mslab.h"

/* format.c: formats of the sysfs and debugfs files, parsing of writes */
#define MSLAB_FILL_BUCKETS	12	/* empty, <10%, 10-19% ... 90-99%, full */
unsigned int mslab_fill_bucket(unsigned int inuse, unsigned int objects);
const char *mslab_fill_bucket_name(unsigned int bucket);
int mslab_emit_nodes(char *buf, int len, const unsigned long *nodes,
		     const nodemask_t *mask);
int mslab_emit_cpu_partial(char *buf, unsigned int objs_per_slab,
			   const unsigned int *slabs, const struct cpumask *mask);
int mslab_parse_ulong(const char *buf, unsigned long max, unsigned long *val);
bool mslab_is_command(const char *buf, const char *word);

/* state.c: the debugfs state dump and slabinfo */

/* One slab as the state dump shows it. */
struct mslab_slab_fill {
	unsigned short inuse;
	unsigned short objects;
	int node;
};

/* Partial slabs of one CPU listed one by one; more are only counted. */
#define MSLAB_STATE_CHAIN_MAX	32U

/* One CPU's part of a snapshot, taken on that CPU under its local_lock. */
struct mslab_cpu_state {
	bool taken;			/* false: the CPU was offline */
	struct mslab_slab *slab;	/* identity only, never dereferenced */
	struct mslab_slab_fill cpu_slab; /* inuse: in users' hands */
	unsigned int cpu_free;		/* objects on the CPU's freelist */
	unsigned int remote_free;	/* freed to the slab by other CPUs */
	unsigned int nr_partial;	/* slabs on the partial chain */
	struct mslab_slab_fill partial[MSLAB_STATE_CHAIN_MAX];
};

/* One node's part, taken under its list_lock. */
struct mslab_node_state {
	unsigned long nr_slabs, objects, inuse;
	unsigned long hist[MSLAB_FILL_BUCKETS];
	unsigned long nr_partial;	/* slabs on the partial list */
	unsigned long nr_retired;	/* slabs on the retired list */
	unsigned long room;		/* entries of @partial */
	struct mslab_slab_fill *partial;
};

struct mslab_state {
	struct mslab_cache *s;
	struct mslab_cpu_state *cpus;	/* nr_cpu_ids entries */
	struct mslab_node_state *nodes;	/* nr_node_ids entries */
	unsigned long nr_slabs, objects, inuse;
	unsigned long hist[MSLAB_FILL_BUCKETS];
};

struct mslab_state *mslab_state_take(struct mslab_cache *s);
void mslab_state_free(struct mslab_state *st);
void mslab_state_print(struct seq_file *m, const struct mslab_state *st);

/* SLUB's struct slabinfo, the figures of a /proc/slabinfo line. */
struct mslab_slabinfo {
	unsigned long active_objs, num_objs, active_slabs, num_slabs;
	unsigned int objects_per_slab, cache_order;
};

void mslab_slabinfo_get(struct mslab_cache *s, struct mslab_slabinfo *info);
void mslab_slabinfo_header(struct seq_file *m);
void mslab_slabinfo_show(struct seq_file *m, struct mslab_cache *s);

#endif /* _MSLAB_STATE_H */
