#!/bin/bash
# rbond: parity
# balance-tlb (mode 5) and balance-alb (mode 6) over a switch: the bond's
# slaves eth0 and eth1 are veths whose peers p0 and p1 are ports of the
# bridge br0 (learning) in the namespace "sw", with four hosts h1..h4
# (namespaces, one veth "v" each, 192.0.2.11-14 and 2001:db8::11-14) on
# the other ports.
#
# balance-tlb: what the bond sends to the hosts leaves on both slaves (at
# the first rebalance after the traffic started: every 10 s), what comes
# back arrives on the active slave only; a slave enslaved while traffic
# runs takes its share at the rebalance the enslave orders. balance-alb:
# the hosts learn different MACs for 192.0.2.1 (the bond's ARP replies
# carry the MAC of the slave receive balancing picked, round robin: C
# gives h1 and h3 eth0's, h2 and h4 eth1's) and what they send arrives on
# both slaves; a failover swaps the MACs (the new active slave takes the
# bond's) and keeps every host reachable both ways, IPv4 and IPv6; the
# rebalance at link up spreads the hosts again; a slave added later
# receives its share; each released slave gets its permanent MAC back.
# The MACs, /proc/net/bonding/bond0 and the errors for invalid
# tlb_dynamic_lb and lp_interval values (sysfs and netlink, bond up and
# down, in active-backup) are C's.
#
# Traffic is counted per slave in 1 s windows (rx_packets/tx_packets in
# sysfs) with pings of 20 packets/s per host; the learning packets (one per
# slave per lp_interval) stay far below the MIN packets a slave must carry.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ab-lib.sh"

HOSTS="1 2 3 4"
HELPER="python3 $(dirname "$0")/alb-hosts.py"
HMAC=02:00:00:00:01:0
MIN=10
S=/sys/class/net
EINVAL="Invalid argument" EBUSY="Device or resource busy" EACCES="Permission denied"
T0=$(now_ms)
phase() { echo "# $1 at $(($(now_ms) - T0)) ms"; }

stop_bg() {
	[ -n "$BG_PIDS" ] && { kill $BG_PIDS 2>/dev/null; wait $BG_PIDS 2>/dev/null; }
	BG_PIDS=
}
alb_cleanup() {
	stop_bg
	local h d b=
	# The veths before their namespaces (whose deletion frees them later).
	for d in bond1 eth0 eth1; do [ -e /sys/class/net/$d ] && ip link del $d; done
	if [ -e /run/netns/sw ]; then
		for h in $HOSTS; do b+="link del s$h"$'\n'; done
		ip -n sw -b - <<< "${b}link del br0" 2>/dev/null
	fi
	for h in $HOSTS; do [ -e /run/netns/h$h ] && ip netns del h$h; done
	[ -e /run/netns/sw ] && ip netns del sw
	ab_cleanup
}

# The switch and the hosts; eth0/eth1 down, not enslaved.
make_net() {
	alb_cleanup
	local h b= sb=
	ip netns add sw
	for h in $HOSTS; do
		ip netns add h$h
		b+="link add s$h netns sw type veth peer name v address $HMAC$h netns h$h"$'\n'
		sb+="link set s$h master br0 up"$'\n'
	done
	ip -b - <<-EOF
	link add eth0 address $MAC0 type veth peer name p0 netns sw
	link add eth1 address $MAC1 type veth peer name p1 netns sw
	$b
	EOF
	ip -n sw -b - <<-EOF
	link set lo up
	link add br0 address 02:00:00:00:00:fe type bridge mcast_snooping 0
	link set br0 up
	link set p0 master br0 up
	link set p1 master br0 up
	$sb
	EOF
	for h in $HOSTS; do
		ip -n h$h -b - <<-EOF
		link set lo up
		addr add 192.0.2.1$h/24 dev v
		addr add 2001:db8::1$h/64 dev v nodad
		link set v up
		EOF
	done
}

# bond_up: bond0 (already created, slaves enslaved) addressed and up, with
# permanent neighbour entries for the hosts (the bond sends no ARP request
# of its own: one would point every host at the bond's MAC until receive
# balancing corrects it 2 s later); wait for an active slave.
bond_up() {
	local h b=
	for h in $HOSTS; do b+="neigh replace 192.0.2.1$h lladdr $HMAC$h dev bond0 nud permanent"$'\n'; done
	sysctl -qw net.ipv6.conf.bond0.accept_ra=0 net.ipv6.conf.bond0.dad_transmits=0
	ip -b - <<-EOF || return 1
	addr add $BOND_IP/24 dev bond0
	addr add 2001:db8::1/64 dev bond0 nodad
	link set bond0 up
	$b
	EOF
	wait_until 10 has_active
}

macs() { echo "bond0=$(mac bond0) eth0=$(mac eth0) eth1=$(mac eth1)"; }
# proc: /proc/net/bonding/bond0 without its first line (the driver version).
proc() { local t; t=$(</proc/net/bonding/bond0); printf '%s\n' "${t#*$'\n'}"; }
# proc_expect MODE ACTIVE MII0 FAILURES0 MII1 FAILURES1: C's /proc text.
proc_expect() {
	printf '\nBonding Mode: %s\nPrimary Slave: None\nCurrently Active Slave: %s\nMII Status: up\n' "$1" "$2"
	printf 'MII Polling Interval (ms): 100\nUp Delay (ms): 0\nDown Delay (ms): 0\nPeer Notification Delay (ms): 0\n'
	printf '\nSlave Interface: %s\nMII Status: %s\nSpeed: 10000 Mbps\nDuplex: full\nLink Failure Count: %s\nPermanent HW addr: %s\nSlave queue ID: 0\n' \
		eth0 "$3" "$4" $MAC0 eth1 "$5" "$6" $MAC1
}
# check_text DESC EXPECTED ACTUAL: like check_eq, with a diff.
check_text() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1"; diff <(printf '%s\n' "$2") <(printf '%s\n' "$3") | diag; fi
}

# window rx|tx: D0 and D1, the packets eth0 and eth1 counted in that
# direction in 1 s; SHARE says so. both_carry: each at least MIN;
# only_eth0: eth0 at least MIN, eth1 fewer.
window() {
	local a0 a1 b0 b1
	read -r a0 < $S/eth0/statistics/$1_packets
	read -r a1 < $S/eth1/statistics/$1_packets
	snooze 1
	read -r b0 < $S/eth0/statistics/$1_packets
	read -r b1 < $S/eth1/statistics/$1_packets
	D0=$((b0 - a0)) D1=$((b1 - a1))
	SHARE="eth0 +$D0, eth1 +$D1"
}
both_carry() { window "$1"; [ $D0 -ge $MIN ] && [ $D1 -ge $MIN ]; }
only_eth0() { window "$1"; [ $D0 -ge $MIN ] && [ $D1 -lt $MIN ]; }
# check_poll DESC SECONDS CMD...: CMD succeeds within SECONDS; the
# description ends with the last SHARE.
check_poll() {
	local desc=$1 secs=$2; shift 2
	if wait_until "$secs" "$@"; then ok "$desc ($SHARE)"; else not_ok "$desc ($SHARE)"; fi
}

# check_reach PREFIX [--serial] NS:ADDR...: one check per NS:ADDR, "PREFIX:
# NS reaches ADDR" (NS "-" is the bond's namespace): a ping from NS to ADDR
# is answered within 10 s. All at once, or one after the other.
check_reach() {
	local prefix=$1 spec ns k v; shift
	local -A res=()
	while read -r k v; do res[$k]=$v; done < <($HELPER ping "$@")
	for spec in "$@"; do
		[ "$spec" = --serial ] && continue
		ns=${spec%%:*}
		[ "$ns" = - ] && ns=bond
		check_eq "$prefix: $ns reaches ${spec#*:}" ok "${res[$spec]:-no answer from the helper}"
	done
}
TO_HOSTS="-:192.0.2.11 -:192.0.2.12 -:192.0.2.13 -:192.0.2.14"
FROM_HOSTS="h1:$BOND_IP h2:$BOND_IP h3:$BOND_IP h4:$BOND_IP"
FROM_HOSTS6="h1:2001:db8::1 h2:2001:db8::1 h3:2001:db8::1 h4:2001:db8::1"
# flood_to: the bond pings every host, 20/s; flood_from: every host pings
# the bond.
flood_to() {
	local h
	for h in $HOSTS; do ping -q -n -i 0.05 192.0.2.1$h >/dev/null 2>&1 & BG_PIDS+=" $!"; done
}
flood_from() {
	local h
	for h in $HOSTS; do ip netns exec h$h ping -q -n -i 0.05 $BOND_IP >/dev/null 2>&1 & BG_PIDS+=" $!"; done
}
# distinct "h1=MAC h2=MAC ...": how many different MACs.
distinct() { local w; local -A seen=(); for w in $1; do seen[${w#*=}]=1; done; echo ${#seen[@]}; }

# ---- balance-tlb ----
make_net
phase "network built"
require "tlb: module loaded" modprobe bonding mode=balance-tlb miimon=100
check "tlb: enslave eth0 and eth1" ip -b - <<-EOF
link set eth0 master bond0
link set eth1 master bond0
EOF
require "tlb: bond up" bond_up
check_eq "tlb: mode" "balance-tlb 5" "$(<$B/mode)"
check_eq "tlb: tlb_dynamic_lb default" "1" "$(<$B/tlb_dynamic_lb)"
check_eq "tlb: lp_interval default" "1" "$(<$B/lp_interval)"
check_eq "tlb: active slave" "eth0" "$(active)"
check_eq "tlb: MACs after enslave" "bond0=$MAC0 eth0=$MAC0 eth1=$MAC1" "$(macs)"
check "tlb: eth0 and eth1 have distinct MACs" test "$(mac eth0)" != "$(mac eth1)"
# The traffic starts at once: it spreads at the first rebalance after it
# started (within 10 s); the checks below run meanwhile.
flood_to
check_reach tlb $TO_HOSTS -:2001:db8::11
check_text "tlb: /proc/net/bonding/bond0" "$(proc_expect "transmit load balancing" eth0 up 0 up 0)" "$(proc)"
phase "tlb up"
check_poll "tlb: traffic to the hosts leaves on both slaves" 20 both_carry tx
check_poll "tlb: the replies arrive on the active eth0 only" 3 only_eth0 rx
phase "tlb spread"
# A slave enslaved while traffic runs takes its share at the rebalance its
# link up orders. (It is enslaved with its link down: the rebalance that
# the enslave itself orders can run, in C, before the slave is usable, and
# then the next one comes 10 s later.)
check "tlb: release eth1" ip link set eth1 nomaster
check_eq "tlb: released eth1 has its permanent MAC" "$MAC1" "$(mac eth1)"
ip -n sw link set p1 down
check "tlb: enslave eth1 again (link down), traffic running" ip link set eth1 master bond0
ip -n sw link set p1 up
check "tlb: eth1 MII up" wait_until 5 mii_is eth1 up
check_poll "tlb: eth1 takes its share (rebalance at link up)" 15 both_carry tx
stop_bg
check "tlb: release eth0 and eth1" ip -b - <<-EOF
link set eth0 nomaster
link set eth1 nomaster
EOF
check_eq "tlb: released slaves have their permanent MACs" "$MAC0 $MAC1" "$(mac eth0) $(mac eth1)"
ip link del bond0
phase "tlb done"

# ---- balance-alb ----
check "alb: bond created" ip link add bond0 type bond mode balance-alb miimon 100
check "alb: enslave eth0 and eth1" ip -b - <<-EOF
link set eth0 master bond0
link set eth1 master bond0
EOF
# The hosts forget the bond's MAC of the tlb part (they must ARP again).
$HELPER forget $BOND_IP h1 h2 h3 h4
require "alb: bond up" bond_up
check_eq "alb: mode" "balance-alb 6" "$(<$B/mode)"
check_eq "alb: tlb_dynamic_lb" "1" "$(<$B/tlb_dynamic_lb)"
check_eq "alb: active slave" "eth0" "$(active)"
check_eq "alb: MACs after enslave" "bond0=$MAC0 eth0=$MAC0 eth1=$MAC1" "$(macs)"
check "alb: eth0 and eth1 have distinct MACs" test "$(mac eth0)" != "$(mac eth1)"
check_eq "alb: the active slave has the bond's MAC" "$(mac bond0)" "$(mac "$(active)")"
# The hosts ARP for the bond one after the other: receive balancing answers
# each with the next slave's MAC.
check_reach alb --serial $FROM_HOSTS
hm=$($HELPER arp $BOND_IP h1 h2 h3 h4)
check_eq "alb: the MACs the hosts learned" "h1=$MAC0 h2=$MAC1 h3=$MAC0 h4=$MAC1" "$hm"
check_eq "alb: the hosts learned two MACs (distinct MACs)" 2 "$(distinct "$hm")"
check_text "alb: /proc/net/bonding/bond0" "$(proc_expect "adaptive load balancing" eth0 up 0 up 0)" "$(proc)"
flood_from
check_poll "alb: traffic from the hosts arrives on both slaves" 10 both_carry rx
phase "alb balanced"

# Failover: the active slave's link cut.
ip -n sw link set p0 down
check "alb: eth0 MII down" wait_until 5 mii_is eth0 down
check "alb: eth1 active" wait_until 5 active_is eth1
check_eq "alb: MACs after failover (swapped)" "bond0=$MAC0 eth0=$MAC1 eth1=$MAC0" "$(macs)"
check_eq "alb: the new active slave has the bond's MAC" "$(mac bond0)" "$(mac eth1)"
check "alb: MACs still distinct" test "$(mac eth0)" != "$(mac eth1)"
check_reach "alb after failover" $FROM_HOSTS $FROM_HOSTS6 $TO_HOSTS
check_text "alb: /proc after failover" "$(proc_expect "adaptive load balancing" eth1 down 1 up 0)" "$(proc)"
phase "alb failover"
ip -n sw link set p0 up
check "alb: eth0 MII up again" wait_until 5 mii_is eth0 up
check_eq "alb: active stays eth1" "eth1" "$(active)"
check_eq "alb: MACs after eth0 returns (still swapped)" "bond0=$MAC0 eth0=$MAC1 eth1=$MAC0" "$(macs)"
check_poll "alb: traffic from the hosts on both slaves again (rebalance at link up)" 15 both_carry rx

# Release the active slave; enslave it again while the hosts' traffic runs.
log_mark
check "alb: release the active eth1" ip link set eth1 nomaster
check_eq "alb: released eth1 has its permanent MAC" "$MAC1" "$(mac eth1)"
check "alb: eth0 active" wait_until 5 active_is eth0
check_eq "alb: MACs after the release" "bond0=$MAC0 eth0=$MAC0 eth1=$MAC1" "$(macs)"
check_eq "alb: eth0 has the bond's MAC" "$(mac bond0)" "$(mac eth0)"
check_reach "alb with eth0 alone" $FROM_HOSTS
# Enslaved with its link down, as in the tlb part.
ip -n sw link set p1 down
check "alb: enslave eth1 again (link down), traffic running" ip link set eth1 master bond0
check_eq "alb: MACs after enslaving eth1 again" "bond0=$MAC0 eth0=$MAC0 eth1=$MAC1" "$(macs)"
ip -n sw link set p1 up
check "alb: eth1 MII up" wait_until 5 mii_is eth1 up
check_poll "alb: eth1 receives its share (rebalance at link up)" 15 both_carry rx
check_poll "alb: the replies leave on both slaves" 15 both_carry tx
stop_bg
check "alb: release eth0 (active)" ip link set eth0 nomaster
check "alb: release eth1" ip link set eth1 nomaster
check_eq "alb: released slaves have their permanent MACs" "$MAC0 $MAC1" "$(mac eth0) $(mac eth1)"
check_log "alb: C warns the bond still uses eth0's MAC" \
	"bond0: (slave eth0): the permanent HWaddr of slave - $MAC0 - is still in use by bond - set the HWaddr of slave to a different address to avoid conflicts"
phase "alb done"

# ---- invalid values ----
ip link set eth0 master bond0
check_opt_err "tlb_dynamic_lb 2 while up (sysfs)" $B/tlb_dynamic_lb 2 "$EBUSY" \
	"bond0: option tlb_dynamic_lb: unable to set because the bond device is up"
check_eq "ip link: tlb_dynamic_lb 2 while up" "Error: unable to set option because the bond is up." \
	"$(ip link set bond0 type bond tlb_dynamic_lb 2 2>&1)"
check_eq "tlb_dynamic_lb 0 while up refused" "$EBUSY" "$(sysfs_err $B/tlb_dynamic_lb 0)"
# (check_opt_err without its log lines, then the log read once.)
for v in 0 -1 2147483648 bogus; do check_opt_err "lp_interval $v" $B/lp_interval $v "$EINVAL"; done
log_lines
for v in 0 -1 2147483648 bogus; do
	check_log_again "lp_interval $v: message" "bond0: option lp_interval: invalid value ($v)"
done
n=0
for l in "${LOGL[@]}"; do [ "$l" = "bond0: option lp_interval: allowed values 1 - 2147483647" ] && n=$((n + 1)); done
check_eq "lp_interval: the allowed values, once per invalid value" 4 $n
check_eq "ip link: lp_interval 0" "Error: invalid option value." "$(ip link set bond0 type bond lp_interval 0 2>&1)"
check_eq "lp_interval 2147483647" "ok" "$(sysfs_err $B/lp_interval 2147483647)"
check_eq "lp_interval reads 2147483647" "2147483647" "$(<$B/lp_interval)"
check_eq "lp_interval default (by name)" "ok" "$(sysfs_err $B/lp_interval default)"
check_eq "lp_interval reads 1" "1" "$(<$B/lp_interval)"
check_eq "lp_interval maxval (by name)" "ok" "$(sysfs_err $B/lp_interval maxval)"
check_eq "lp_interval reads maxval" "2147483647" "$(<$B/lp_interval)"
check "lp_interval 3 through ip link" ip link set bond0 type bond lp_interval 3
check_eq "lp_interval reads 3" "3" "$(<$B/lp_interval)"
ip link set bond0 down
check_opt_err "tlb_dynamic_lb 2 while down (sysfs)" $B/tlb_dynamic_lb 2 "$EINVAL" \
	"bond0: option tlb_dynamic_lb: invalid value (2)"
check_eq "ip link: tlb_dynamic_lb 2 while down" "Error: invalid option value." \
	"$(ip link set bond0 type bond tlb_dynamic_lb 2 2>&1)"
check_eq "tlb_dynamic_lb off while down (alb too)" "ok" "$(sysfs_err $B/tlb_dynamic_lb off)"
check_eq "tlb_dynamic_lb reads 0" "0" "$(<$B/tlb_dynamic_lb)"
nl_snap bond0
check_eq "ip -d link: tlb_dynamic_lb and lp_interval" "0 3" "${NL[tlb_dynamic_lb]:-} ${NL[lp_interval]:-}"
check_eq "tlb_dynamic_lb 1 through ip link" "" "$(ip link set bond0 type bond tlb_dynamic_lb 1 2>&1)"
check_eq "tlb_dynamic_lb reads 1" "1" "$(<$B/tlb_dynamic_lb)"
check "bond1 in active-backup" ip link add bond1 type bond mode active-backup
check_opt_err "tlb_dynamic_lb in active-backup" /sys/class/net/bond1/bonding/tlb_dynamic_lb 1 "$EACCES" \
	"bond1: option tlb_dynamic_lb: mode dependency failed, not supported in mode active-backup(1)"
check_eq "ip link: tlb_dynamic_lb in active-backup" "Error: option not supported in mode." \
	"$(ip link set bond1 type bond tlb_dynamic_lb 1 2>&1)"
check_eq "lp_interval settable in active-backup" "ok" "$(sysfs_err /sys/class/net/bond1/bonding/lp_interval 7)"
phase "invalid values done"
alb_cleanup
tap_done
