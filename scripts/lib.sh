# shellcheck shell=bash
# Common settings for rbond's scripts. Source it; do not run it.
#
# Everything expensive (kernel source, kernel build, guest module trees) lives
# in $RBOND_CACHE, outside the repository, keyed by kernel version + config hash.

set -euo pipefail

RBOND_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RBOND_CACHE=${RBOND_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rbond}
LLVM_SUFFIX=${LLVM_SUFFIX:--19}
export LIBCLANG_PATH=${LIBCLANG_PATH:-/usr/lib/llvm${LLVM_SUFFIX}/lib}
export PATH="$HOME/.cargo/bin:$PATH"
# Pinned bindgen (kernel 7.2 needs >= 0.71.1).
BINDGEN_VERSION=${BINDGEN_VERSION:-0.72.1}
JOBS=${JOBS:-$(nproc)}
# "debug" (default): the test kernel with PROVE_LOCKING, DEBUG_ATOMIC_SLEEP,
# KASAN and DEBUG_KMEMLEAK; "nodebug": the same without those checkers (for
# measuring what they cost, and for fast iteration; never for make check's verdict).
RBOND_KERNEL_VARIANT=${RBOND_KERNEL_VARIANT:-debug}
case $RBOND_KERNEL_VARIANT in debug|nodebug) ;; *) echo "RBOND_KERNEL_VARIANT must be debug or nodebug" >&2; exit 1 ;; esac

log() { printf '\033[1m[rbond]\033[0m %s\n' "$*" >&2; }
die() { printf '[rbond] error: %s\n' "$*" >&2; exit 1; }

# Sudo only when not root.
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# The kernel source version that fetch-kernel recorded.
kernel_src_version() {
	[ -f "$RBOND_CACHE/src/VERSION" ] || die "no kernel source yet: run scripts/fetch-kernel"
	cat "$RBOND_CACHE/src/VERSION"
}
kernel_src_dir() { echo "$RBOND_CACHE/src/linux-source-7.2"; }

# Hash of everything that determines the kernel build.
# Hash of everything that determines the kernel build: our config fragment
# and build script, and the compilers (modules must use the kernel's rustc).
config_hash() {
	{
		echo "variant=$RBOND_KERNEL_VARIANT"
		cat "$RBOND_ROOT/scripts/kernel.config" "$RBOND_ROOT/scripts/build-kernel"
		rustc --version 2>/dev/null; bindgen --version 2>/dev/null
		"clang$LLVM_SUFFIX" --version 2>/dev/null | head -1
	} | sha256sum | cut -c1-12
}

# The build directory of the cached test kernel.
kernel_build_dir() {
	local v=""
	[ "$RBOND_KERNEL_VARIANT" = debug ] || v=-$RBOND_KERNEL_VARIANT
	echo "$RBOND_CACHE/build/$(kernel_src_version)-$(config_hash)$v"
}

# The config fragment of the current variant (stdout).
kernel_fragment() {
	if [ "$RBOND_KERNEL_VARIANT" = nodebug ]; then
		sed '/^# --- debug checkers/,$d' "$RBOND_ROOT/scripts/kernel.config"
		printf '# CONFIG_%s is not set\n' PROVE_LOCKING DEBUG_ATOMIC_SLEEP KASAN DEBUG_KMEMLEAK
	else
		cat "$RBOND_ROOT/scripts/kernel.config"
	fi
}

# A command that periodically says it is alive, for long silent steps.
with_heartbeat() {
	local what=$1; shift
	( while sleep 60; do log "$what: still running ($(date +%T))"; done ) &
	local hb=$!
	local rc=0
	"$@" || rc=$?
	kill "$hb" 2>/dev/null || true
	wait "$hb" 2>/dev/null || true
	return "$rc"
}
