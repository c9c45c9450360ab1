# SPDX-License-Identifier: GPL-2.0
# rbond top-level Makefile. See README.md.
#
#   make                 build bonding.ko against the cached test kernel
#   make KDIR=/path      build against another Rust-enabled 7.2 build tree
#   make check           host tests, lint, VM tests (rbond; C where the ledger lacks it)
#   make reference       run the parity tests on C, record them in the ledger
#   make kselftest       upstream bonding kselftests, rbond vs C, as a table
#   make setup           install tools, fetch + build the test kernel
#   make demo            set up, build, and show a bond in the VM
#   make clean

LLVM ?= -19
KDIR ?= $(shell scripts/kdir 2>/dev/null)
KMAKE = $(MAKE) -C $(KDIR) M=$(CURDIR) LLVM=$(LLVM)
# Generated bindings live with the other build outputs, outside src/ (which
# holds only what we write); src/net/bindings.rs includes them by this path.
export RBOND_BINDINGS_RS := $(CURDIR)/out/gen/bindings_generated.rs
XDP_PROGS := out/xdp-progs.o
CLANG := $(if $(filter -%,$(LLVM)),clang$(LLVM),clang)

.PHONY: all modules bindings clippy fmt fmt-check check reference setup demo clean kernel kselftest

all: modules

check-kdir:
	@test -n "$(KDIR)" -a -f "$(KDIR)/.config" || { \
		echo "No kernel tree: run 'make setup' (cached test kernel) or pass KDIR=/path/to/built/7.2/tree" >&2; exit 1; }

bindings: check-kdir
	@mkdir -p $(dir $(RBOND_BINDINGS_RS))
	@scripts/gen-bindings $(KDIR) $(RBOND_BINDINGS_RS)

modules: bindings $(XDP_PROGS)
	$(KMAKE) modules

# The XDP programs tests/vm/xdp.sh attaches (tests/vm/xdp-progs.c, clang's
# BPF target); bond0's ifindex there is the redirect target.
$(XDP_PROGS): tests/vm/xdp-progs.c
	@mkdir -p $(dir $@)
	$(CLANG) -O2 -target bpf -DREDIRECT_IFINDEX=77 -c $< -o $@

clippy: bindings
	$(KMAKE) CLIPPY=1 modules

fmt:
	rustfmt --edition 2021 src/rbond.rs tests/host/*.rs

fmt-check:
	rustfmt --edition 2021 --check src/rbond.rs tests/host/*.rs

setup:
	scripts/setup

kernel:
	scripts/fetch-kernel && scripts/build-kernel

check:
	scripts/setup
	scripts/check

# Run the parity tests against the C driver and record their results in
# tests/reference.ledger (make check then needs no C run for them).
reference:
	scripts/setup
	$(MAKE) --no-print-directory modules
	scripts/reference $(TESTS)

demo:
	scripts/demo

# The scoreboard runs on the test kernel without debug checkers (5-10x faster
# under TCG); RBOND_KERNEL_VARIANT=debug make kselftest for the checked kernel.
kselftest: export RBOND_KERNEL_VARIANT ?= nodebug
kselftest:
	scripts/setup
	$(MAKE) --no-print-directory modules KDIR=$$(scripts/kdir)
	scripts/kselftest

clean:
	-$(KMAKE) clean 2>/dev/null
	rm -rf out/gen
.PHONY: check-kdir

# Benchmark (not a test: never fails on numbers): rbond vs C in one boot of
# the kernel without debug checkers: active-backup failover outage and
# iperf3 throughput through bond0. Results: out/bench/results.md.
# BENCH_ARGS="--trials N --seconds S --rounds R" (defaults 10, 5, 3).
bench: export RBOND_KERNEL_VARIANT ?= nodebug
bench:
	scripts/setup
	$(MAKE) --no-print-directory modules KDIR=$$(scripts/kdir)
	scripts/bench $(BENCH_ARGS)
.PHONY: bench
