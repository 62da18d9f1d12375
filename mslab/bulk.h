/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Objects in numbers (bulk.c): the interface the slab layers offer the
 * layers above, the sheaves and the public bulk API. Objects handed to
 * mslab_return_objects() are trusted: mslab handed them out and holds
 * them, so they are not checked again; the users' objects go through
 * mslab_cache_free_bulk(), which checks each.
 */
#ifndef _MSLAB_BULK_H
#define _MSLAB_BULK_H

#include "mslab.h"

int mslab_take_objects(struct mslab_cache *s, gfp_t gfpflags, size_t size,
		       void **p, size_t *slow);
void mslab_return_objects(struct mslab_cache *s, size_t size, void **p,
			  unsigned long addr);

#endif /* _MSLAB_BULK_H */
