# SPDX-License-Identifier: GPL-2.0
#
# mslab: out-of-tree build and test entry points.
#
#   make          build mslab.ko (and the client/test modules) against KDIR
#   make run      set up, boot the QEMU VM, load mslab and the demo client,
#                 print the state of its caches
#   make check    set up, then lint + KUnit under UML + selftests in QEMU
#   make lint     checkpatch.pl --strict and sparse on mslab's own files
#   make dkms     install the sources in /usr/src/mslab-<version> and let
#                 DKMS build and install mslab.ko for every kernel with
#                 headers, and for each kernel installed later
#   make dkms-src DKMS_SRC=DIR  only copy the DKMS sources to DIR
#   make clean
#
# Kbuild and mslab/Kbuild describe what is built; this file only drives it.

# The running kernel's build tree when it has one, else Debian's 6.12
# headers as installed by scripts/setup.sh.
RUNNING_KDIR := /lib/modules/$(shell uname -r)/build
ifneq ($(wildcard $(RUNNING_KDIR)/Makefile),)
KDIR ?= $(RUNNING_KDIR)
else
KDIR ?= $(lastword $(sort $(wildcard /usr/src/linux-headers-6.12.*-amd64)))
endif

KBUILD_FLAGS := W=1 KCFLAGS=-Werror

MSLAB_VERSION := $(shell sed -n 's/^\#define MSLAB_VERSION "\(.*\)"/\1/p' include/linux/mslab.h)
DKMS_SRC ?= /usr/src/mslab-$(MSLAB_VERSION)
# What DKMS builds mslab.ko from: the module and the headers it includes.
DKMS_FILES := dkms.conf mslab include

all: modules

modules:
	@test -n "$(KDIR)" -a -f "$(KDIR)/Makefile" || \
		{ echo "mslab: no kernel build tree (KDIR=$(KDIR)); run scripts/setup.sh or set KDIR" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) $(KBUILD_FLAGS) modules

clean:
	@if [ -n "$(KDIR)" ] && [ -f "$(KDIR)/Makefile" ]; then \
		$(MAKE) -C $(KDIR) M=$(CURDIR) clean; fi
	rm -rf build

dkms-src:
	rm -rf $(DKMS_SRC)
	mkdir -p $(DKMS_SRC)
	cp -r $(DKMS_FILES) $(DKMS_SRC)/
	find $(DKMS_SRC) \( -name '*.o' -o -name '*.ko' -o -name '*.mod*' \
		-o -name '.*.cmd' -o -name 'modules.order' \
		-o -name 'Module.symvers' \) -delete

# Every kernel with headers (a build link in /lib/modules) gets a build.
dkms: dkms-src
	dkms add -m mslab -v $(MSLAB_VERSION)
	for k in $$(cd /lib/modules && ls); do \
		[ -e /lib/modules/$$k/build/Makefile ] || continue; \
		dkms install -m mslab -v $(MSLAB_VERSION) -k $$k || exit 1; \
	done

setup:
	@scripts/setup.sh

lint: setup
	@scripts/lint.sh

kunit: setup
	@scripts/kunit.sh

selftest: setup
	@scripts/vm-selftest.sh

check: setup
	@scripts/check.sh

run: setup
	@scripts/run.sh

bench: setup
	@bench/run.sh

.PHONY: all modules clean setup lint kunit selftest check run bench dkms dkms-src
