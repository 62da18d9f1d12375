// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite "mslab_debug_param", the slab_debug= module parameter
 * (mslab/debug_param.c):
 * which debug flags a slab_debug= string gives a cache of a given name.
 */

#include <linux/slab.h>

#include <kunit/test.h>

#include "mslab_kunit.h"

struct slab_debug_case {
	const char *spec;
	const char *name;
	bool found;
	slab_flags_t flags;
	const char *desc;
};

#define FZPU (SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | \
	      SLAB_STORE_USER)

static const struct slab_debug_case slab_debug_cases[] = {
	{ "", "any", false, 0, "empty" },
	{ "F", "any", true, SLAB_CONSISTENCY_CHECKS, "F-for-all" },
	{ ",a", "a", true, FZPU, "no-letters-is-FZPU" },
	{ "-", "any", true, 0, "minus-is-none" },
	{ "FZ,a,b", "b", true, SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE,
	  "second-name" },
	{ "FZ,a,b", "c", false, 0, "other-name" },
	{ "FZ,a,b", "ab", false, 0, "no-prefix-match" },
	{ "P,mslab-kmalloc-*", "mslab-kmalloc-64", true, SLAB_POISON,
	  "wildcard" },
	{ "P,mslab-kmalloc-*", "mslab-kmallo", false, 0, "wildcard-short" },
	{ "U,a;Z,b", "b", true, SLAB_RED_ZONE, "second-block" },
	{ "U;Z,b", "a", true, SLAB_STORE_USER, "global-block" },
	{ "U;Z,b", "b", true, SLAB_RED_ZONE, "last-block-wins" },
	{ "fzpu,a", "a", true, FZPU, "lower-case" },
	{ "FT,a", "a", true, SLAB_CONSISTENCY_CHECKS | SLAB_TRACE, "T-traces" },
	{ "FA,a", "a", true, SLAB_CONSISTENCY_CHECKS, "unsupported-A-skipped" },
};

static void slab_debug_case_desc(const struct slab_debug_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(slab_debug, slab_debug_cases, slab_debug_case_desc);

static void slab_debug_gives_flags(struct kunit *test)
{
	const struct slab_debug_case *c = test->param_value;
	slab_flags_t flags;
	bool found;

	flags = mslab_slab_debug_flags(c->spec, c->name, &found);
	KUNIT_EXPECT_EQ(test, found, c->found);
	KUNIT_EXPECT_EQ(test, (unsigned long)(__force unsigned int)flags,
			(unsigned long)(__force unsigned int)c->flags);
}

static struct kunit_case mslab_slab_debug_test_cases[] = {
	KUNIT_CASE_PARAM(slab_debug_gives_flags, slab_debug_gen_params),
	{}
};

static struct kunit_suite mslab_slab_debug_test_suite = {
	.name = "mslab_debug_param",
	.test_cases = mslab_slab_debug_test_cases,
};

kunit_test_suite(mslab_slab_debug_test_suite);
