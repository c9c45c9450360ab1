#!/bin/bash
# rbond: parity
# XDP on the bond: a native program attached to bond0 runs on every slave
# (veth's per-queue XDP counters show it), slaves enslaved later get it and
# released ones lose it; the verdicts (drop, pass, tx) act on the slaves'
# traffic, and XDP_TX leaves through the slave the mode picks (the active
# slave in active-backup, in turn in balance-rr, by the hash in
# balance-xor). Frames another device redirects to bond0 leave through the
# mode's slave too, while every slave can take them (bond0's XDP features
# follow the slaves': a slave's peer without GRO makes the bond refuse).
# Refused as C refuses: modes without native XDP, slaves without XDP or
# with a program of their own, a program on a slave of a bond with one,
# mode and xmit_hash_policy changes the program cannot run with.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ab-lib.sh"
. "$(dirname "$0")/lb-lib.sh"

EOPNOTSUPP="Operation not supported"
# The programs of tests/vm/xdp-progs.c, built by make (its redirect target
# is ifindex 77, which bond0 always gets here).
PROGS=$RBOND_ROOT/out/xdp-progs.o
BOND_INDEX=77

# xs DEV: "NAME VALUE" lines of DEV's ethtool statistics, in XS[NAME].
declare -A XS
xs() {
	local k v
	XS=()
	{
		read -r _
		while read -r k v; do XS[${k%:}]=$v; done
	} < <(ethtool -S "$1")
}
# snap DEV...: remember the devices' counters (for moved, moved_all).
declare -A BEFORE
snap() {
	local d k
	BEFORE=()
	for d in "$@"; do
		xs "$d"
		for k in "${!XS[@]}"; do BEFORE[$d.$k]=${XS[$k]}; done
	done
}
# moved DEV NAME: how much DEV's counter NAME moved since snap.
moved() {
	xs "$1"
	echo $((${XS[$2]:-0} - ${BEFORE[$1.$2]:-0}))
}
# moved_all DEV NAME...: "NAME+N" for each counter of DEV, one xs read.
moved_all() {
	local d=$1 k out=
	shift
	xs "$d"
	for k in "$@"; do out+="${out:+ }$k+$((${XS[$k]:-0} - ${BEFORE[$d.$k]:-0}))"; done
	echo "$out"
}

RXP=rx_queue_0_xdp_packets
RXD=rx_queue_0_xdp_drops
RXT=rx_queue_0_xdp_tx
RXR=rx_queue_0_xdp_redirect
TXX=tx_queue_0_xdp_xmit
TXE=tx_queue_0_xdp_xmit_errors

# pings NS DEV N: N echo requests out of DEV in namespace NS, not waiting
# for answers.
pings() { ip netns exec "$1" ping -q -n -c "$3" -i 0.01 -W 0.01 -I "$2" 192.0.2.1 >/dev/null 2>&1; true; }

# mkbond MODE [ARGS]: bond0 (ifindex $BOND_INDEX) of eth0 and eth1 in MODE,
# up at 192.0.2.1, both slaves up.
mkbond() {
	ip link add bond0 index $BOND_INDEX type bond mode "$1" miimon 100 "${@:2}" || return 1
	sysctl -qw net.ipv6.conf.bond0.disable_ipv6=1
	ip -b - <<-EOF || return 1
	link set eth0 master bond0
	link set eth1 master bond0
	link set bond0 up
	addr add 192.0.2.1/24 dev bond0
	EOF
	wait_until 10 mii_is eth0 up && wait_until 10 mii_is eth1 up
}
# (-force: replace a program already there.)
attach() { ip -force link set dev "$1" xdpdrv obj $PROGS sec "$2"; }
bond_prog_mode() { ip -j link show dev bond0 | jq -r '.[0].xdp.mode // "none"'; }

# Topology: eth0/eth1 (slaves) with peers p0/p1 in "peer", which send to
# bond0 (192.0.2.2 and .3, bond0's MAC as a permanent neighbour); r0 in
# the root namespace with its peer r1 in "src", where 192.0.2.4 sends.
topology() {
	lb_peers 2 || return 1
	ip netns add src || return 1
	ip link add r0 type veth peer name r1 netns src || return 1
	local ns d
	for ns in peer src; do
		ip netns exec $ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	done
	sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1 net.ipv6.conf.eth1.disable_ipv6=1 net.ipv6.conf.r0.disable_ipv6=1
	for d in p0 p1; do
		ip netns exec peer sysctl -qw net.ipv6.conf.$d.disable_ipv6=1
		# The peers take XDP frames (veth: GRO or a program of their own),
		# so the slaves can send them.
		ip netns exec peer ethtool -K $d gro on >/dev/null || return 1
	done
	ip netns exec src sysctl -qw net.ipv6.conf.r1.disable_ipv6=1
	ip -n peer link set p0 address 02:00:00:00:02:00 &&
	ip -n peer addr add 192.0.2.2/24 dev p0 &&
	ip -n peer addr add 192.0.2.3/24 dev p1 &&
	ip -n src addr add 192.0.2.4/24 dev r1 &&
	ip -n src link set r1 up &&
	ip link set r0 up
}
# neighbours: the senders' permanent entry for bond0's MAC, and bond0's
# for p0 (its answers need no ARP, so the counts are exact).
neighbours() {
	local m
	m=$(mac bond0)
	ip neigh replace 192.0.2.2 lladdr 02:00:00:00:02:00 dev bond0 nud permanent &&
	ip -n peer neigh replace 192.0.2.1 lladdr "$m" dev p0 nud permanent &&
	ip -n peer neigh replace 192.0.2.1 lladdr "$m" dev p1 nud permanent &&
	ip -n src neigh replace 192.0.2.1 lladdr "$m" dev r1 nud permanent
}
cleanup() {
	local d
	for d in r0 eth2 dummy0; do
		[ -e /sys/class/net/$d ] && ip link del $d
	done
	[ -e /run/netns/src ] && ip netns del src
	lb_cleanup
}

require "the test programs are built (make)" test -f "$PROGS"
cleanup
require "topology" topology
require "driver loads without bonds" modprobe bonding max_bonds=0

# --- active-backup
require "active-backup bond0 of eth0 and eth1" mkbond active-backup
wait_until 10 active_is eth0
require "neighbours" neighbours
check "attach xdp_drop to bond0" attach bond0 xdp_drop
check_eq "bond0 reports a native program" "1" "$(bond_prog_mode)"
snap eth0
check_fails "drop: p0's pings get no answer" ip netns exec peer ping -q -n -c 2 -i 0.2 -W 0.5 -I p0 192.0.2.1
check_eq "drop: the program ran on eth0 and dropped them" "$RXP+2 $RXD+2" "$(moved_all eth0 $RXP $RXD)"
check_eq "a program on a slave of a bond with one: refused" \
	"Error: Cannot attach when an upper device already has a program." \
	"$(attach eth0 xdp_pass 2>&1)"
check "replace it with xdp_pass" attach bond0 xdp_pass
snap eth0
check "pass: p0's pings are answered" ip netns exec peer ping -q -n -c 3 -i 0.2 -W 2 -I p0 192.0.2.1
check_eq "pass: the program ran on eth0" "$RXP+3 $RXD+0" "$(moved_all eth0 $RXP $RXD)"

check "replace it with xdp_tx" attach bond0 xdp_tx
snap eth0
pings peer p0 10
check_eq "tx on the active eth0: back out of eth0" "$RXT+10 $RXR+0" "$(moved_all eth0 $RXT $RXR)"
snap eth0 eth1
pings peer p1 10
check_eq "tx on the backup eth1: handed to the active slave" "$RXP+10 $RXT+0 $RXR+10" "$(moved_all eth1 $RXP $RXT $RXR)"
check_eq "tx on the backup eth1: sent by eth0" "$TXX+10 $TXE+0" "$(moved_all eth0 $TXX $TXE)"

# Redirect into bond0 from r0.
check "xdp_redirect on r0 (to bond0's ifindex)" attach r0 xdp_redirect
snap eth0 eth1 r0
pings src r1 10
check_eq "redirect: r0 redirects" "$RXR+10" "$(moved_all r0 $RXR)"
check_eq "redirect: eth0 (active) sends them" "$TXX+10 $TXE+0" "$(moved_all eth0 $TXX $TXE)"
check_eq "redirect: not eth1" "$TXX+0" "$(moved_all eth1 $TXX)"
# p1 without GRO: eth1 cannot send XDP frames, so neither can bond0.
check "p1 without GRO" ip netns exec peer ethtool -K p1 gro off
snap eth0
pings src r1 10
check_eq "redirect refused by bond0: eth0 sends nothing, no errors" "$TXX+0 $TXE+0" "$(moved_all eth0 $TXX $TXE)"
check "p1 with GRO again" ip netns exec peer ethtool -K p1 gro on
snap eth0
pings src r1 10
check_eq "redirect: eth0 sends again" "$TXX+10 $TXE+0" "$(moved_all eth0 $TXX $TXE)"
carrier_off 0
check "eth0 loses its carrier: eth1 active" wait_until 10 active_is eth1
snap eth1
pings src r1 10
check_eq "redirect after the failover: eth1 sends them" "$TXX+10 $TXE+0" "$(moved_all eth1 $TXX $TXE)"
carrier_on 0
check "eth0 back" wait_until 10 mii_is eth0 up
check "detach r0's program" ip link set dev r0 xdpdrv off

# Release and enslave again.
check "release eth1, then up on its own" sh -c "ip link set eth1 nomaster && ip link set eth1 up"
snap eth1
pings peer p1 5
check_eq "released eth1: no program runs" "$RXP+0" "$(moved_all eth1 $RXP)"
check "enslave eth1 again" sh -c "ip link set eth1 down && ip link set eth1 master bond0"
check "eth1 up" wait_until 10 mii_is eth1 up
snap eth1
pings peer p1 5
check_eq "enslaved again: the program runs on eth1" "$RXP+5" "$(moved_all eth1 $RXP)"

# Refused slaves.
ip link add dummy0 type dummy
check_eq "a slave without XDP: refused (netlink)" "Error: Slave does not support XDP." \
	"$(ip link set dummy0 master bond0 2>&1)"
log_mark
check_eq "a slave without XDP: refused (sysfs)" "$EOPNOTSUPP" "$(sysfs_err $B/slaves +dummy0)"
check_log "a slave without XDP: the message" "bond0: (slave dummy0): Error: Slave does not support XDP"
check_fails "dummy0 is not a slave" is_slave dummy0
ip link add eth2 type veth peer name p2 netns peer
check "eth2 gets a program of its own" attach eth2 xdp_pass
check_eq "a slave with its own program: refused" \
	"Error: Slave has XDP program loaded, please unload before enslaving." \
	"$(ip link set eth2 master bond0 2>&1)"
check_fails "eth2 is not a slave" is_slave eth2

# Option changes the program could not run with (bond down, no slaves).
check "bond0 down, slaves released" sh -c "ip link set bond0 down && echo -eth0 > $B/slaves && echo -eth1 > $B/slaves"
check_eq "mode balance-tlb: refused" "$EOPNOTSUPP" "$(sysfs_err $B/mode balance-tlb)"
check_eq "mode broadcast (netlink): refused" "RTNETLINK answers: $EOPNOTSUPP" "$(ip link set bond0 type bond mode broadcast 2>&1)"
check_eq "mode unchanged" "active-backup 1" "$(<$B/mode)"
check "mode balance-xor" sh -c "echo balance-xor > $B/mode"
check_eq "xmit_hash_policy vlan+srcmac: refused" "$EOPNOTSUPP" "$(sysfs_err $B/xmit_hash_policy vlan+srcmac)"
check "xmit_hash_policy layer3+4" sh -c "echo layer3+4 > $B/xmit_hash_policy"
check "detach bond0's program" ip link set dev bond0 xdpdrv off
check_eq "bond0 has no program" "none" "$(bond_prog_mode)"
check "then vlan+srcmac" sh -c "echo vlan+srcmac > $B/xmit_hash_policy"
check_eq "attach in balance-xor with vlan+srcmac: refused" \
	"Error: No native XDP support for the current bonding mode." "$(attach bond0 xdp_pass 2>&1)"
for m in broadcast balance-tlb balance-alb; do
	check "mode $m" sh -c "echo $m > $B/mode"
	check_eq "attach in $m: refused" \
		"Error: No native XDP support for the current bonding mode." "$(attach bond0 xdp_pass 2>&1)"
done
check "mode balance-rr" sh -c "echo balance-rr > $B/mode"
check "enslave eth2 (its own program) while bond0 has none" ip link set eth2 master bond0
check_eq "attach with a slave that has its own: refused" \
	"Error: Slave has XDP program loaded, please unload before enslaving." "$(attach bond0 xdp_pass 2>&1)"
check_eq "and bond0 keeps none" "none" "$(bond_prog_mode)"
ip link del bond0
ip link del eth2

# --- balance-rr: XDP_TX in turn
require "balance-rr bond0" mkbond balance-rr
require "neighbours" neighbours
check "attach xdp_tx" attach bond0 xdp_tx
snap eth0 eth1
pings peer p0 10
r=$(moved_all eth0 $RXP $RXT $RXR)
t=$(moved eth1 $TXX)
check_match "rr: eth0 ran the program on all 10" "^$RXP\+10 " "$r"
[[ $r =~ $RXT\+([0-9]+)\ $RXR\+([0-9]+) ]]
check_eq "rr: the 10 frames either stay on eth0 or go to eth1" "10 ${BASH_REMATCH[2]}" \
	"$((BASH_REMATCH[1] + BASH_REMATCH[2])) $t"
check "rr: both slaves send some (at least 3 each)" test "${BASH_REMATCH[1]}" -ge 3 -a "$t" -ge 3
ip link del bond0

# --- balance-xor: one flow, one slave
require "balance-xor bond0 (layer2)" mkbond balance-xor
require "neighbours" neighbours
check "attach xdp_tx" attach bond0 xdp_tx
snap eth0 eth1
pings peer p0 10
r="$(moved_all eth0 $RXT $RXR) $(moved_all eth1 $TXX)"
check_match "xor: the flow's 10 frames leave one slave" \
	"^($RXT\+10 $RXR\+0 $TXX\+0|$RXT\+0 $RXR\+10 $TXX\+10)$" "$r"
# Unloading with a program attached takes it off the slaves.
check "unload with the program attached" modprobe -r bonding
check "eth0 takes a program of its own" attach eth0 xdp_pass
check "and lets it go" ip link set dev eth0 xdpdrv off

cleanup
tap_done
