#!/bin/bash
# rbond: parity
# 802.3ad with two partners: bond0 has two links to the bond of namespace
# "sw" (eth0, eth1) and three to the bond of namespace "bk" (eth2..eth4),
# so it forms two aggregators, and ad_select decides which one carries the
# traffic: count and bandwidth take the bigger one and move when it
# shrinks, stable keeps it while it has a port, actor_port_prio follows the
# per-port priorities set through netlink (slave_changelink; Debian 12's
# iproute2 has no actor_port_prio, nor `ad_select actor_port_prio`, so the
# test sends the attribute itself and sets ad_select through sysfs). The
# per-slave netlink attributes refuse what C refuses, with its errno and
# extack. What bond_lacp_prio checks, and what iproute2 6.1 keeps it from
# checking, is here. Alongside, a port without any LACP partner shows its
# partner churned after the churn timer's minute, in /proc as C.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ab-lib.sh"

SET="python3 $(dirname "$0")/bond-nl.py"
DIST=32
CLIENT="eth0 eth1 eth2 eth3 eth4"

cleanup() {
	local d
	ip link del bond0 2>/dev/null
	ip link del bond1 2>/dev/null
	ip link del bond2 2>/dev/null
	for d in $CLIENT dumsel0 eth5; do
		[ -e /sys/class/net/$d ] && ip link del $d
	done
	for d in sw bk; do [ -e /run/netns/$d ] && ip netns del $d; done
	ab_cleanup
}

# client AD_SELECT: a new bond0 over all five links.
client() {
	local d
	ip link del bond0 2>/dev/null
	ip link add bond0 type bond mode 802.3ad lacp_rate fast miimon 100 || return 1
	echo "$1" > $B/ad_select || return 1
	for d in $CLIENT; do
		ip link set $d down
		ip link set $d master bond0 || return 1
	done
	ip link set bond0 up
}

agg_of() { rd "/sys/class/net/$1/bonding_slave/ad_aggregator_id"; }
distributing() {
	local s
	s=$(rd "/sys/class/net/$1/bonding_slave/ad_actor_oper_port_state")
	[ "$s" != N/A ] && ((s & DIST))
}
# partner_sync DEV: DEV's partner says it is in sync (it has heard from the
# partner since the link came back: a link down clears this).
partner_sync() { (( $(rd "/sys/class/net/$1/bonding_slave/ad_partner_oper_port_state") & 8 )); }
# active_on DEV [DEV...]: the bond's active aggregator is DEV's, and every
# DEV distributes.
active_on() {
	local d agg
	agg=$(rd $B/ad_aggregator)
	for d in "$@"; do
		[ "$(agg_of "$d")" = "$agg" ] && distributing "$d" || return 1
	done
}
# settled DEV... N: active_on DEV..., with N ports in the aggregator.
settled() {
	local n=${*: -1}
	active_on "${@:1:$#-1}" && [ "$(rd $B/ad_num_ports)" = "$n" ]
}
# cut NS P...: the partner in NS loses links P...; mend NS P...: back.
cut() { local ns=$1 p; shift; for p in "$@"; do ip -n "$ns" link set "$p" down; done; }
mend() { local ns=$1 p; shift; for p in "$@"; do ip -n "$ns" link set "$p" up; done; }
T0=$(now_ms)
phase() { echo "# $1 at $(($(now_ms) - T0)) ms"; }
# reselect: eth1 bounces, which makes the selection logic run (as
# bond_lacp_prio does it).
reselect() {
	ip link set eth1 down
	wait_until 5 eval '[ "$(slave_attr eth1 mii_status)" = down ]'
	ip link set eth1 up
}
port_prio_in_proc() { # DEV PRIO: /proc shows PRIO as DEV's actor port priority
	awk -v d="$1" '/^Slave Interface:/ { s = $3 }
		s == d && /details actor lacp pdu:/ { a = 1 }
		s == d && a && /port priority:/ { print $3; exit }' /proc/net/bonding/bond0
}

cleanup
modprobe bonding max_bonds=0 || exit 1
# Churn, alongside the rest (its timer needs a minute, which the scenarios
# below take anyway): bond2's one port has a link but no LACP partner, so
# 60 s on the partner is found churned.
ip link add eth5 type veth peer name q5
ip link set q5 up
ip link add bond2 type bond mode 802.3ad lacp_rate fast miimon 100
ip link set eth5 master bond2
ip link set bond2 up
for i in 0 1; do ip link add eth$i type veth peer name p$i; done
for i in 2 3 4; do ip link add eth$i type veth peer name q$i; done
# The partners' bonds.
ip netns add sw
ip netns add bk
for i in 0 1; do ip link set p$i netns sw; done
for i in 2 3 4; do
	ip link set q$i netns bk
	ip -n bk link set q$i name p$((i - 2))
done
for ns in sw bk; do
	ip -n $ns link add bond0 type bond mode 802.3ad lacp_rate fast miimon 100
done
for i in 0 1; do ip -n sw link set p$i master bond0; done
for i in 0 1 2; do ip -n bk link set p$i master bond0; done
ip -n sw link set bond0 up
ip -n bk link set bond0 up

# count and bandwidth (every veth runs at 10G, so they agree here; the host
# tests tell them apart): the three-port aggregator, then the two-port one
# once two of the three links are cut.
for sel in count bandwidth; do
	require "$sel: bond built" client $sel
	v=$(rd $B/ad_select)
	check_eq "$sel: reads back" "$sel" "${v%% *}"
	check "$sel: the three-port aggregator is active" wait_until 20 settled eth2 eth3 eth4 3
	check "$sel: the other aggregator is formed, not active" wait_until 10 eval \
		'[ "$(agg_of eth0)" = "$(agg_of eth1)" ] && [ "$(agg_of eth0)" != "$(rd $B/ad_aggregator)" ]'
	phase "$sel converged"
	cut bk p1 p2
	check "$sel: two links cut, the two-port aggregator takes over" wait_until 20 settled eth0 eth1 2
	mend bk p1 p2
	check "$sel: links back, the three-port aggregator again" wait_until 20 settled eth2 eth3 eth4 3
	phase "$sel done"
done

# stable: the aggregator chosen first keeps the traffic while it has a
# port, even when the other is bigger. The first selection takes the best
# aggregator formed at that moment, so bk's links stay cut until sw's
# aggregator is active.
cut bk p0 p1 p2
require "stable: bond built" client stable
check "stable: the first aggregator is active" wait_until 20 settled eth0 eth1 2
mend bk p0 p1 p2
check "stable: the three-port aggregator formed, not active" wait_until 20 eval \
	'[ "$(agg_of eth2)" = "$(agg_of eth3)" ] && [ "$(agg_of eth2)" = "$(agg_of eth4)" ] &&
	 [ "$(agg_of eth2)" != "$(rd $B/ad_aggregator)" ]'
reselect
check "stable: after a reselection still the two-port aggregator" wait_until 20 settled eth0 eth1 2
cut sw p1
check "stable: one link cut, its last port keeps it" wait_until 20 settled eth0 1
cut sw p0
check "stable: no port left, the three-port aggregator takes over" wait_until 20 settled eth2 eth3 eth4 3
mend sw p0 p1
check "stable: links back, sw's aggregator formed again, not active" wait_until 20 eval \
	'partner_sync eth0 && partner_sync eth1 &&
	 [ "$(agg_of eth0)" = "$(agg_of eth1)" ] && [ "$(agg_of eth0)" != "$(rd $B/ad_aggregator)" ]'
check "stable: the traffic stays" settled eth2 eth3 eth4 3
phase "stable done"

# actor_port_prio (bond_lacp_prio's scenario): the aggregator with the
# highest sum of port priorities wins at the next selection.
require "actor_port_prio: bond built" client actor_port_prio
check_eq "actor_port_prio: reads back" "actor_port_prio 3" "$(rd $B/ad_select)"
check "actor_port_prio: default priorities (255 each): three ports win" \
	wait_until 20 settled eth2 eth3 eth4 3
check_eq "eth0 actor_port_prio 1000" "ok" "$($SET eth0 actor_port_prio 1000)"
check_eq "eth2 actor_port_prio 10" "ok" "$($SET eth2 actor_port_prio 10)"
check_eq "/proc: eth0 port priority" "1000" "$(port_prio_in_proc eth0)"
check_eq "/proc: eth2 port priority" "10" "$(port_prio_in_proc eth2)"
check_eq "/proc: eth1 port priority (default)" "255" "$(port_prio_in_proc eth1)"
check "the partner sees eth0's priority" wait_until 10 eval \
	'[ "$(ip netns exec sw awk "/details partner lacp pdu:/{a=1} a&&/port priority:/{print \$3; exit}" /proc/net/bonding/bond0)" = 1000 ]'
reselect
check "actor_port_prio: sw (1000+255) beats bk (10+255+255)" wait_until 20 settled eth0 eth1 2
check_eq "eth0 actor_port_prio 10" "ok" "$($SET eth0 actor_port_prio 10)"
check_eq "eth2 actor_port_prio 1000" "ok" "$($SET eth2 actor_port_prio 1000)"
reselect
check "actor_port_prio switch: bk (1000+255+255) wins" wait_until 20 settled eth2 eth3 eth4 3
phase "actor_port_prio done"

# Bad per-slave attributes: C's errno and extack, nothing changed.
check_eq "actor_port_prio: 1-byte payload" "error 34: Attribute failed policy validation" \
	"$($SET eth0 actor_port_prio 7 1)"
check_eq "prio in 802.3ad" "error 13: option not supported in mode" "$($SET eth0 prio 5)"
check_eq "actor_port_prio unchanged" "10" "$(port_prio_in_proc eth0)"
check_eq "actor_port_prio 0 accepted" "ok" "$($SET eth1 actor_port_prio 0)"
check_eq "actor_port_prio 65535 accepted" "ok" "$($SET eth1 actor_port_prio 65535)"
check_eq "/proc: 65535" "65535" "$(port_prio_in_proc eth1)"
churn_line() { grep "^$1" /proc/net/bonding/bond2; }
check "churn: a port without partner, its partner churned after 60 s" wait_until 40 eval \
	'[ "$(churn_line "Partner Churn State:")" = "Partner Churn State: churned" ]'
check_eq "churn: partner churned once" "Partner Churned Count: 1" "$(churn_line "Partner Churned Count:")"
# The actor itself is in sync (alone in its aggregator, with the default
# partner): settled, as C.
check_eq "churn: actor settled" "Actor Churn State: none" "$(churn_line "Actor Churn State:")"
check_eq "churn: actor never churned" "Actor Churned Count: 0" "$(churn_line "Actor Churned Count:")"
phase "churn done"
ip link del bond2
ip link del eth5

ip link add dumsel0 type dummy
ip link add bond1 type bond mode active-backup
ip link set dumsel0 master bond1
log_mark
check_eq "actor_port_prio in active-backup" "error 13: option not supported in mode" \
	"$($SET dumsel0 actor_port_prio 100)"
check_log "actor_port_prio in active-backup: message" \
	"bond1: option actor_port_prio: mode dependency failed, not supported in mode active-backup(1)"
check_eq "prio in active-backup" "ok" "$($SET dumsel0 prio -7)"
check_eq "prio reads back" "-7" "$(ip -d -j link show dumsel0 | jq '.[0].linkinfo.info_slave_data.prio')"
check_eq "prio: 2-byte payload" "error 34: Attribute failed policy validation" "$($SET dumsel0 prio 9 2)"
check_eq "prio unchanged" "-7" "$(ip -d -j link show dumsel0 | jq '.[0].linkinfo.info_slave_data.prio')"

cleanup
tap_done
