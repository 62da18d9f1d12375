#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (or reuse) the UML kernel that `make bench` times mslab in: like
# scripts/uml-build.sh, but from bench/uml-bench.kunitconfig, without KASAN,
# lockdep or DEBUG_VM, so that the figures are those of the allocators and
# not of the debugging machinery. Cached in $MSLAB_CACHE/uml-bench-build;
# `make check` never builds it.
#
# Prints the build directory on stdout.
set -euo pipefail

. "$(dirname "$0")/../scripts/lib.sh"

mslab_uml_kernel "$MSLAB_ROOT/bench/uml-bench.kunitconfig" uml-bench-build
