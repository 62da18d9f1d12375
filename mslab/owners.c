// SPDX-License-Identifier: GPL-2.0
/*
 * The modules that create caches, and the caches they leave behind.
 *
 * Each cache records the module its creator's code is in, from the symbol
 * of the mslab_cache_create*() call site. When a module unloads (the
 * MODULE_STATE_GOING notification, once its exit function has run) and
 * caches it created are still there, each is reported at once: the count
 * of live objects and, as at destroy, each object with its allocation
 * site. Now, while the module's symbols still resolve: at mslab's own
 * unload they would print as bare addresses. The cache stays, orphaned,
 * until mslab unloads: its objects may still be in use somewhere.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/kallsyms.h>
#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/string.h>

#include "cache.h"
#include "debug.h"
#include "node.h"

/**
 * mslab_record_owner() - note which module a new cache belongs to
 * @s: the cache
 * @caller: an address in the code that created it
 *
 * The module is the one "[name]" that %pS gives for @caller; none for the
 * kernel's own code.
 */
void mslab_record_owner(struct mslab_cache *s, unsigned long caller)
{
	char sym[KSYM_SYMBOL_LEN];
	char *open, *close;

	s->owner[0] = '\0';
	sprint_symbol(sym, caller);
	open = strrchr(sym, '[');
	close = open ? strchr(open, ']') : NULL;
	if (close && close - open - 1 < (long)sizeof(s->owner))
		strscpy(s->owner, open + 1, close - open);
}

static int owners_module_going(struct notifier_block *nb,
			       unsigned long action, void *data)
{
	struct module *mod = data;
	struct mslab_cache *s;

	if (action != MODULE_STATE_GOING)
		return NOTIFY_DONE;

	cpus_read_lock();
	mutex_lock(&mslab_mutex);
	list_for_each_entry(s, &mslab_caches, list) {
		unsigned long live;

		if (s->orphaned || strcmp(s->owner, mod->name))
			continue;
		s->orphaned = true;
		/* Its destroy reported the objects already. */
		if (s->leaked)
			continue;
		mslab_flush_all(s, false);
		live = mslab_count_inuse(s);
		pr_err("module %s unloaded without destroying cache %s (%lu objects in use)\n",
		       mod->name, s->name, live);
		if (live)
			mslab_list_leaked_objects(s, "delete_module");
	}
	mutex_unlock(&mslab_mutex);
	cpus_read_unlock();
	return NOTIFY_OK;
}

static struct notifier_block owners_nb = {
	.notifier_call = owners_module_going,
};

int mslab_owners_init(void)
{
	return register_module_notifier(&owners_nb);
}

void mslab_owners_exit(void)
{
	unregister_module_notifier(&owners_nb);
}
