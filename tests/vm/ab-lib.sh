# shellcheck shell=bash
# Shared plumbing for the active-backup + MII monitor tests (ab-*.sh).
# Source it after lib.sh.
#
# Topology: bond slaves eth0 and eth1 in the root namespace are veths whose
# peers p0 and p1 live in the namespace "peer", joined there by the bridge
# br0 that holds $PEER_IP. Carrier loss of a slave: `carrier_off 0` (the
# veth carrier follows its peer's administrative state).
#
# Speed matters in the TCG guest: an exec costs ~0.3 s (ip + jq ~0.9 s), so
# the helpers read sysfs with $(<file) (no exec), sleep with a builtin
# read timeout, and take one netlink snapshot (nl_snap) for many checks.

# Not a test: scripts/check runs every tests/vm/*.sh but lib.sh; if run
# directly, say so in TAP and stop.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then echo "1..0 # SKIP helper library, not a test"; exit 0; fi

PEER_IP=192.0.2.2
BOND_IP=192.0.2.1
# Fixed permanent MACs, so that MAC checks can be exact.
MAC0=02:00:00:00:00:10
MAC1=02:00:00:00:00:11
B=/sys/class/net/bond0/bonding
BG_PIDS=

# snooze SECONDS: sleep without an exec (read timeout on a silent pipe).
exec {SNOOZE_FD}<> <(:)
snooze() { read -r -t "$1" -u "$SNOOZE_FD" _; true; }

# now_ms: wall-clock milliseconds, for coarse timing.
now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }

# wait_until SECONDS CMD...: poll CMD every 0.1 s until it succeeds; fails
# after SECONDS.
wait_until() {
	local end=$(($(now_ms) + $1 * 1000)); shift
	until "$@"; do
		[ "$(now_ms)" -ge "$end" ] && return 1
		snooze 0.1
	done
}

# not_running PID: the process PID has ended.
not_running() { ! kill -0 "$1" 2>/dev/null; }

# within SECONDS DESC CMD...: check that CMD succeeds within SECONDS. A
# command that does not return (stuck on a lock, maybe with RTNL held, so
# that nothing after it could run either) ends the test there ("Bail out!").
within() {
	local secs=$1 desc=$2; shift 2
	"$@" &
	local pid=$!
	if wait_until "$secs" not_running $pid; then
		wait $pid
		check "$desc" test $? = 0
	else
		not_ok "$desc: still blocked after $secs s"
		echo "Bail out! $desc did not return"
		tap_done
	fi
}

# Remove what a previous (possibly failed) test left. The veths are deleted
# explicitly: deleting the namespace alone frees them asynchronously.
ab_cleanup() {
	if [ -n "$BG_PIDS" ]; then
		kill $BG_PIDS 2>/dev/null
		wait $BG_PIDS 2>/dev/null
	fi
	BG_PIDS=
	local d
	for d in eth0 eth1 eth9 dumab0 dumab1; do
		[ -e /sys/class/net/$d ] && ip link del $d
	done
	unload
	[ -e /run/netns/peer ] && ip netns del peer
	nsim_cleanup
	true
}

# nsim_ports ID N NAME: create netdevsim device ID with N ports and name
# them NAME0..NAME(N-1) in port order (netdevsim would call them eth*,
# which the other tests use). Fills NSIM[] with the names.
nsim_ports() {
	local id=$1 n=$2 name=$3 i d
	modprobe netdevsim || return 1
	echo "$id $n" > /sys/bus/netdevsim/new_device || return 1
	local net=/sys/bus/netdevsim/devices/netdevsim$id/net
	wait_until 10 test "$(ls $net 2>/dev/null | wc -w)" = "$n" || return 1
	NSIM=()
	i=0
	for d in $(for d in $net/*; do echo "$(<$d/ifindex) ${d##*/}"; done | sort -n | cut -d' ' -f2); do
		ip link set "$d" name "$name$i" || return 1
		NSIM+=("$name$i")
		i=$((i + 1))
	done
}
# nsim_cleanup: delete every netdevsim device.
nsim_cleanup() {
	local d
	for d in /sys/bus/netdevsim/devices/netdevsim*; do
		[ -e "$d" ] && echo "${d##*netdevsim}" > /sys/bus/netdevsim/del_device
	done
	true
}

# make_peers: create eth0/eth1 (down, not enslaved) and the peer side. br0
# gets a fixed MAC: by default a bridge takes its lowest port MAC, which
# would change (and break the bond's ARP entry) when a port goes away.
make_peers() {
	ab_cleanup
	ip netns add peer
	ip -n peer -b - <<-EOF
	link set lo up
	link add br0 address 02:00:00:00:00:fe type bridge
	addr add $PEER_IP/24 dev br0
	link set br0 up
	EOF
	local i
	for i in 0 1; do
		ip link add eth$i address 02:00:00:00:00:1$i type veth peer name p$i netns peer
	done
	ip -n peer -b - <<-EOF
	link set p0 master br0 up
	link set p1 master br0 up
	EOF
}

carrier_off() { ip -n peer link set "p$1" down; }
carrier_on() { ip -n peer link set "p$1" up; }

# make_bond MODPROBE_ARGS...: load the driver with these parameters, enslave
# eth0 then eth1 with `ip link`, give bond0 $BOND_IP and bring it up; wait
# until it has an active slave.
make_bond() {
	modprobe bonding "$@" || return 1
	ip -b - <<-EOF || return 1
	link set eth0 master bond0
	link set eth1 master bond0
	addr add $BOND_IP/24 dev bond0
	link set bond0 up
	EOF
	wait_until 10 has_active
}

rd() { local v; IFS= read -r v < "$1"; printf '%s' "$v"; }
active() { rd $B/active_slave; }
has_active() { [ -n "$(<$B/active_slave)" ]; }
active_is() { [ "$(<$B/active_slave)" = "$1" ]; }
slave_attr() { rd "/sys/class/net/$1/bonding_slave/$2"; }
mii_is() { [ "$(<"/sys/class/net/$1/bonding_slave/mii_status")" = "$2" ]; }
mac() { rd "/sys/class/net/$1/address"; }
is_slave() { [ -e "/sys/class/net/$1/bonding_slave" ]; }

# ping_ok [COUNT]: COUNT (default 3) pings to the peer all answered.
ping_ok() { ping -q -n -c "${1:-3}" -i 0.2 -W 2 $PEER_IP >/dev/null 2>&1; }
# ping_ok_eventually: the peer answers within a few seconds (first ARP).
ping_ok_eventually() { wait_until 15 ping_ok 1; }

# nl_snap DEV: fill NL[] with DEV's `ip -d -j link show` data: the keys of
# info_data and info_slave_data, plus kind, slave_kind, master, address,
# flags (comma-separated).
declare -A NL
nl_snap() {
	local k v
	NL=()
	while IFS='=' read -r k v; do NL[$k]=$v; done < <(ip -d -j link show dev "$1" | jq -r '.[0] |
		((.linkinfo.info_data // {}) + (.linkinfo.info_slave_data // {}) + {
			kind: (.linkinfo.info_kind // ""),
			slave_kind: (.linkinfo.info_slave_kind // ""),
			master: (.master // ""), address: .address,
			flags: (.flags | join(","))
		}) | to_entries[] | "\(.key)=\(.value)"')
}

# sysfs_err FILE VALUE: write VALUE to FILE; print the error text (e.g.
# "Invalid argument"), or "ok" on success.
sysfs_err() {
	local out
	out=$( { echo "$2" > "$1"; } 2>&1 ) && { echo ok; return; }
	printf '%s\n' "${out##*: }"
}

# Faster versions of lib.sh's log_mark/check_log (same meaning): one exec
# (dmesg) per call instead of four.
# LOG_TOTAL: the log's length at the last read.
declare -a LOGL
LOG_TOTAL=
log_lines() {
	local i
	mapfile -t LOGL < <(dmesg)
	LOG_TOTAL=${#LOGL[@]}
	LOGL=("${LOGL[@]:LOG_MARK}")
	for i in "${!LOGL[@]}"; do LOGL[i]=${LOGL[i]#\[*\] }; done
}
log_mark() { mapfile -t LOGL < <(dmesg); LOG_MARK=${#LOGL[@]}; LOG_TOTAL=$LOG_MARK; }
log_fail() {
	local from=$((${#LOGL[@]} - 20))
	[ $from -lt 0 ] && from=0
	not_ok "$1"; { echo "$2"; printf '%s\n' "${LOGL[@]:from}"; } | diag
}
check_log() {
	log_lines
	check_log_again "$@"
}
# check_log_again DESC TEXT: check_log on the lines the last check_log read
# (saves a dmesg when checking several lines of one event).
check_log_again() {
	local l
	for l in "${LOGL[@]}"; do [ "$l" = "$2" ] && { ok "$1"; return; }; done
	log_fail "$1" "no line '$2' in:"
}
# check_log_re DESC REGEX: the line must match the extended REGEX as a
# whole (for numbers that depend on timing).
check_log_re() {
	local l
	log_lines
	for l in "${LOGL[@]}"; do [[ $l =~ ^($2)$ ]] && { ok "$1"; return; }; done
	log_fail "$1" "no line matching '$2' in:"
}
# check_no_log DESC TEXT: no kernel log line (since log_mark) contains TEXT.
check_no_log() {
	local l
	log_lines
	for l in "${LOGL[@]}"; do [[ $l == *"$2"* ]] && { log_fail "$1" "unexpected '$2' in:"; return; }; done
	ok "$1"
}
# log_count TEXT: how many log lines (since log_mark) are exactly TEXT.
log_count() {
	local l n=0
	log_lines
	for l in "${LOGL[@]}"; do [ "$l" = "$1" ] && n=$((n + 1)); done
	echo $n
}

# check_opt_err DESC FILE VALUE ERRNO_TEXT LOGLINE...: writing VALUE to
# FILE fails with ERRNO_TEXT, the kernel logs each LOGLINE, and FILE reads
# the same as before. The log is marked where it was last read (saves a
# dmesg: option errors are logged synchronously, and every check_opt_err
# with expected lines reads the log, so the window cannot hold an older
# copy of the same message from a previous check).
check_opt_err() {
	local desc=$1 file=$2 val=$3 err=$4 before line
	shift 4
	before=$(<"$file")
	if [ -n "$LOG_TOTAL" ]; then LOG_MARK=$LOG_TOTAL; else log_mark; fi
	check_eq "$desc: error" "$err" "$(sysfs_err "$file" "$val")"
	[ $# -gt 0 ] && log_lines
	for line in "$@"; do check_log_again "$desc: message" "$line"; done
	check_eq "$desc: value unchanged" "$before" "$(<"$file")"
}

# require DESC CMD...: like check, but when CMD fails the rest of the test
# cannot mean anything (e.g. the bond could not be built): clean up, report
# the plan so far and stop ("Bail out!"), instead of timing out check after
# check.
require() {
	local before=$TAP_FAIL
	check "$@"
	[ "$TAP_FAIL" = "$before" ] && return 0
	echo "Bail out! $1 failed"
	ab_cleanup
	tap_done
}

# load_warns DESC MESSAGE MODPROBE_ARGS...: the driver loads with these
# parameters and logs MESSAGE (C's warning or notice).
load_warns() {
	local desc=$1 msg=$2; shift 2
	log_mark
	check "$desc: loads" modprobe bonding "$@"
	check_log "$desc: C's message" "$msg"
}
# load_fails DESC MESSAGE MODPROBE_ARGS...: the load is refused with MESSAGE.
load_fails() {
	local desc=$1 msg=$2; shift 2
	log_mark
	check_fails "$desc: refused" modprobe bonding "$@"
	check_log "$desc: C's message" "$msg"
	check_fails "$desc: not loaded" module_loaded
}
