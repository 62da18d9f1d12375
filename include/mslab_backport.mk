# SPDX-License-Identifier: GPL-2.0
#
# Kernel functions mslab uses that older kernels lack, found by a grep of
# the headers of the kernel being built against: -DMSLAB_HAVE_<NAME> for
# each one present. include/linux/mslab_backport.h supplies the missing
# ones. A grep, not a version test, since distributions backport. Included
# by every Kbuild that builds mslab or its clients.

ccflags-y += -DMSLAB_BACKPORT_PROBED

# mslab_probe HEADER,REGEX,NAME (a literal "(" in REGEX is $(paren))
paren := [(]
comma := ,
mslab_probe = $(if $(shell grep -qsE '$(2)' $(srctree)/include/$(1) && echo y),-DMSLAB_HAVE_$(3))

ccflags-y += $(call mslab_probe,linux/shrinker.h,[*]shrinker_alloc$(paren),SHRINKER_ALLOC)
ccflags-y += $(call mslab_probe,linux/memcontrol.h,bool memcg_kmem_online$(paren),MEMCG_KMEM_ONLINE)
ccflags-y += $(call mslab_probe,linux/memcontrol.h,[*]folio_memcg_check$(paren),FOLIO_MEMCG_CHECK)
ccflags-y += $(call mslab_probe,linux/kthread.h,int kthread_stop_put$(paren),KTHREAD_STOP_PUT)
ccflags-y += $(call mslab_probe,linux/slab.h,kvrealloc$(paren)const void [*]p$(comma) size_t oldsize,KVREALLOC_OLDSIZE)

# Headers (sparse 0.6.4 has no __has_include()).
ccflags-y += $(if $(wildcard $(srctree)/include/kunit/static_stub.h),-DMSLAB_HAVE_KUNIT_STATIC_STUB_H)
