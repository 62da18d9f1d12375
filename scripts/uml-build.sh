#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (or reuse) the UML kernel that runs mslab's KUnit suites: Debian's
# linux-source-6.12 built by the kernel's own kunit.py from
# kunit/uml.kunitconfig (KASAN, lockdep, DEBUG_VM, modules, hostfs), cached
# in $MSLAB_CACHE/uml-build (mslab_uml_kernel in lib.sh).
#
# Prints the build directory on stdout.
set -euo pipefail

. "$(dirname "$0")/lib.sh"

mslab_uml_kernel "$MSLAB_ROOT/kunit/uml.kunitconfig" uml-build
