// SPDX-License-Identifier: GPL-2.0
/*
 * The module parameter slab_debug=, in the syntax of SLUB's boot parameter
 * (Documentation/mm/slub.rst):
 *
 *	slab_debug=<options>[,<cache>,<cache>...][;<options>[,<cache>...]]...
 *
 * <options> are letters: F consistency checks, Z red zones, P poisoning, U
 * owner tracking, T tracing; "-" switches debugging off; no letter at all means
 * FZPU. A block without caches applies to every cache; a cache name may end in
 * '*' to match a prefix. Each cache created while mslab is loaded, its kmalloc
 * caches included, gets the flags of the last block that applies to it added to
 * its creator's, as SLUB's kmem_cache_flags() does, unless its creator passed
 * SLAB_NO_USER_FLAGS. Letters SLUB knows but mslab does not implement (A, O)
 * and unknown ones are reported and skipped.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <kunit/visibility.h>

#include "cache.h"
#include "debug.h"

static char *slab_debug;
module_param(slab_debug, charp, 0444);
MODULE_PARM_DESC(slab_debug,
		 "Debugging for caches, as SLUB's slab_debug=: <FZPUT|->[,cache[,cache...]][;...]");

/* SLUB's letters for the debug flags, in slab_debug= order. */
static const struct {
	slab_flags_t flag;
	char letter;
} debug_letters[] = {
	{ SLAB_CONSISTENCY_CHECKS, 'F' },
	{ SLAB_RED_ZONE, 'Z' },
	{ SLAB_POISON, 'P' },
	{ SLAB_STORE_USER, 'U' },
	{ SLAB_TRACE, 'T' },
};

/* The flag of a letter, either case; 0 for one mslab does not know. */
static slab_flags_t letter_flag(char c)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(debug_letters); i++)
		if (toupper(c) == debug_letters[i].letter)
			return debug_letters[i].flag;
	return 0;
}

/**
 * mslab_debug_letters() - debug flags as SLUB's letters
 * @flags: flags, of which the debug ones are shown
 * @buf: room for MSLAB_DEBUG_LETTERS_LEN characters
 *
 * Return: @buf, holding e.g. "FZPU", or "-" for none.
 */
const char *mslab_debug_letters(slab_flags_t flags, char *buf)
{
	unsigned int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(debug_letters); i++)
		if (flags & debug_letters[i].flag)
			buf[n++] = debug_letters[i].letter;
	if (!n)
		buf[n++] = '-';
	buf[n] = '\0';
	return buf;
}

/* The flags of one option string, e.g. "FZ"; reports what it skips. */
static slab_flags_t parse_options(const char *opt, size_t len)
{
	slab_flags_t flags = 0, flag;
	size_t i;

	if (!len)
		return MSLAB_DEBUG_DEFAULT_FLAGS;
	for (i = 0; i < len; i++) {
		flag = letter_flag(opt[i]);
		if (flag)
			flags |= flag;
		else if (opt[i] == '-')
			flags = 0;
		else
			pr_err("slab_debug: option '%c' is not supported, skipped\n",
			       opt[i]);
	}
	return flags;
}

/* Does @pattern (up to @len, a trailing '*' matching any rest) name @name? */
static bool name_matches(const char *pattern, size_t len, const char *name)
{
	if (len && pattern[len - 1] == '*')
		return !strncmp(name, pattern, len - 1);
	return strlen(name) == len && !strncmp(name, pattern, len);
}

/**
 * mslab_slab_debug_flags() - the debug flags slab_debug= gives a cache
 * @spec: a slab_debug= string, or NULL
 * @name: the cache's name
 * @found: set to whether a block of @spec applies to @name
 *
 * Return: the flags of the last block that applies, 0 if none does.
 */
slab_flags_t mslab_slab_debug_flags(const char *spec, const char *name,
				    bool *found)
{
	slab_flags_t flags = 0;
	const char *block = spec;

	*found = false;
	while (block && *block) {
		const char *end = strchrnul(block, ';');
		const char *opt_end = strchrnul(block, ',');
		const char *p;
		bool named = false, match = false;

		if (opt_end > end)
			opt_end = end;
		for (p = opt_end; p < end; ) {
			const char *n = p + 1, *n_end = strchrnul(n, ',');

			if (n_end > end)
				n_end = end;
			if (n_end > n) {
				named = true;
				if (name_matches(n, n_end - n, name))
					match = true;
			}
			p = n_end;
		}
		if (!named || match) {
			flags = parse_options(block, opt_end - block);
			*found = true;
		}
		block = *end ? end + 1 : end;
	}
	return flags;
}
EXPORT_SYMBOL_IF_KUNIT(mslab_slab_debug_flags);

/**
 * mslab_apply_slab_debug() - add slab_debug='s flags to a new cache's
 * @name: the cache's name, or NULL
 * @flags: the flags its creator passed
 *
 * Return: @flags, with the debug flags slab_debug= asks for.
 */
slab_flags_t mslab_apply_slab_debug(const char *name, slab_flags_t flags)
{
	slab_flags_t debug;
	bool found;

	if (!slab_debug || !name || (flags & SLAB_NO_USER_FLAGS))
		return flags;
	debug = mslab_slab_debug_flags(slab_debug, name, &found);
	return found ? flags | debug : flags;
}
