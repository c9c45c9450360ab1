# shellcheck shell=bash
# Helpers for rbond's VM tests (kselftest style: TAP on stdout, exit 0 only
# when every check passed). Source it at the top of a test; the test runs as
# root inside the VM started by scripts/vm-run, where `modprobe bonding`
# loads rbond (or the C driver with --reference; $RBOND_DRIVER says which).
#
# A test marked with a line "# rbond: parity" must behave the same with both
# drivers; `make check` runs it against both.

set -u
TAP_N=0
TAP_FAIL=0
echo "TAP version 13"

ok() { TAP_N=$((TAP_N + 1)); echo "ok $TAP_N - $*"; }
not_ok() { TAP_N=$((TAP_N + 1)); TAP_FAIL=$((TAP_FAIL + 1)); echo "not ok $TAP_N - $*"; }
diag() { sed 's/^/# /'; }

# check DESC CMD...: CMD succeeds.
check() {
	local desc=$1; shift
	local out
	if out=$("$@" 2>&1); then ok "$desc"; else not_ok "$desc"; printf '%s\n' "$out" | diag; fi
}

# check_fails DESC CMD...: CMD fails.
check_fails() {
	local desc=$1; shift
	local out
	if out=$("$@" 2>&1); then not_ok "$desc (unexpectedly succeeded)"; printf '%s\n' "$out" | diag; else ok "$desc"; fi
}

# check_eq DESC EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1"; printf 'expected: %q\nactual:   %q\n' "$2" "$3" | diag; fi
}

# check_match DESC REGEX ACTUAL
check_match() {
	if [[ $3 =~ $2 ]]; then ok "$1"; else not_ok "$1"; printf 'expected match: %s\nactual: %q\n' "$2" "$3" | diag; fi
}

# The kernel log since the last `log_mark` (the log itself is not cleared:
# the runner checks it for kernel problems after each test).
LOG_MARK=0
log_mark() { LOG_MARK=$(dmesg | wc -l); }
log_since() { dmesg | tail -n +$((LOG_MARK + 1)); }
log_has() { log_since | grep -qF -- "$1"; }
# check_log DESC TEXT: the kernel log (since log_mark) has a line that is
# exactly TEXT (after the timestamp): prefixes like "bonding: " matter.
check_log() {
	if log_since | sed 's/^\[[^]]*\] //' | grep -qxF -- "$2"; then ok "$1"
	else not_ok "$1"; { echo "no line '$2' in:"; log_since | tail -20; } | diag; fi
}

link_exists() { ip link show dev "$1" >/dev/null 2>&1; }
link_kind() { ip -d -j link show dev "$1" | jq -r '.[0].linkinfo.info_kind // empty'; }
module_loaded() { [ -d /sys/module/bonding ]; }
masters() { cat /sys/class/net/bonding_masters; }

# Unload the driver (and anything a test left), quietly.
unload() {
	modprobe -r bonding 2>/dev/null || rmmod bonding 2>/dev/null || true
}

# Call at the end: print the plan and exit with the verdict.
tap_done() {
	echo "1..$TAP_N"
	if [ "$TAP_FAIL" -eq 0 ]; then exit 0; fi
	echo "# $TAP_FAIL of $TAP_N checks failed ($RBOND_DRIVER)"
	exit 1
}
