# SPDX-License-Identifier: GPL-2.0
#
# mslab: out-of-tree build and test entry points.
#
#   make          build mslab.ko (and the client/test modules) against KDIR
#   make run      set up, boot the QEMU VM, load mslab and the demo client,
#                 print the state of its caches
#   make check    set up, then lint + KUnit under UML + selftests in QEMU
#   make lint     checkpatch.pl --strict and sparse on mslab's own files
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

all: modules

modules:
	@test -n "$(KDIR)" -a -f "$(KDIR)/Makefile" || \
		{ echo "mslab: no kernel build tree (KDIR=$(KDIR)); run scripts/setup.sh or set KDIR" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) $(KBUILD_FLAGS) modules

clean:
	@if [ -n "$(KDIR)" ] && [ -f "$(KDIR)/Makefile" ]; then \
		$(MAKE) -C $(KDIR) M=$(CURDIR) clean; fi
	rm -rf build

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
	@scripts/bench.sh

.PHONY: all modules clean setup lint kunit selftest check run bench
