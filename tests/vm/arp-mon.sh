#!/bin/bash
# rbond: parity
# The ARP monitor drives failover: in active-backup, a slave whose path to
# the ARP target is cut goes down and the other takes over; it comes back
# when the path is restored; a carrier loss of the active slave fails over
# too. In balance-rr every slave is probed. Every
# arp_validate value brings both slaves up when the target answers, and
# validation decides whether other traffic counts as proof of life (with
# every slave validated and no target answering, the bond loses its
# carrier).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ab-lib.sh"
. "$(dirname "$0")/arp-lib.sh"

arp_peers
log_mark
require "active-backup bond with the ARP monitor" \
	arp_bond mode=active-backup arp_interval=100 arp_ip_target=$PEER_IP
check "an active slave" wait_until 10 has_active
check "both slaves MII up" wait_until 10 both_up
check_eq "miimon is off" "0" "$(<$B/miimon)"
check "peer reachable" ping_ok_eventually
proc=$(cat /proc/net/bonding/bond0)
check_match "/proc: ARP interval" "ARP Polling Interval \(ms\): 100" "$proc"
check_match "/proc: ARP target" "ARP IP target/s \(n.n.n.n form\): $PEER_IP" "$proc"

# Cut the active slave's path (which slave the first pass makes active
# depends on timing, with either driver).
A=$(active) O=$(other "$(active)")
n=${A#eth}
log_mark
path_off "$n"
check "$A goes down when its path is cut" wait_until 15 mii_is "$A" down
check "$O becomes active" wait_until 15 active_is "$O"
check_log "$A down" "bond0: (slave $A): link status definitely down, disabling slave"
check "peer reachable through $O" ping_ok_eventually
# Not up while the path is cut: "down", or "going down" when a pass without
# an active slave (both slaves silent for a moment on a slow machine) made
# it the probe candidate ("going back") and it stayed silent (either driver).
check_match "$A still not up" "^(down|going down)$" "$(slave_attr "$A" mii_status)"
path_on "$n"
check "$A comes back (as a backup)" wait_until 15 mii_is "$A" up
check_eq "$O stays active" "$O" "$(active)"
check_eq "$A is a backup" "backup" "$(slave_attr "$A" state)"
# Carrier loss of the active slave.
A=$(active) O=$(other "$(active)")
log_mark
carrier_off "${A#eth}"
check "carrier loss of $A: $O takes over" wait_until 15 active_is "$O"
check_eq "$A MII down" "down" "$(slave_attr "$A" mii_status)"
check_log "$A down" "bond0: (slave $A): link status definitely down, disabling slave"
carrier_on "${A#eth}"
check "$A back up" wait_until 15 mii_is "$A" up
ab_cleanup

# balance-rr: every slave is probed and monitored.
arp_peers
log_mark
require "balance-rr bond with the ARP monitor" \
	arp_bond mode=balance-rr arp_interval=100 arp_ip_target=$PEER_IP
check "both slaves MII up" wait_until 10 both_up
path_off 1
check "eth1 goes down when its path is cut" wait_until 15 mii_is eth1 down
check_log "lb message" "bond0: (slave eth1): interface is now down"
check_eq "eth1 is a backup while down" "backup" "$(slave_attr eth1 state)"
check "peer reachable" ping_ok_eventually
path_on 1
check "eth1 comes back" wait_until 15 mii_is eth1 up
check_log "lb message" "bond0: (slave eth1): interface is now up"
ab_cleanup

# Every arp_validate value, target answering.
for v in none active backup all filter filter_active filter_backup; do
	arp_peers
	require "active-backup, arp_validate $v" \
		arp_bond mode=active-backup arp_interval=100 arp_ip_target=$PEER_IP arp_validate=$v
	check_match "arp_validate reads $v" "^$v [0-6]$" "$(<$B/arp_validate)"
	check "arp_validate $v: both slaves up" wait_until 10 both_up
	check "arp_validate $v: an active slave" wait_until 10 has_active
	ab_cleanup
done

# Other traffic only (the target does not answer, the peer floods ICMP
# broadcasts): without validation it keeps the slaves up, with validation
# of every slave it does not.
noise_bond() { # ARP_VALIDATE
	arp_peers
	ip -n peer addr del $PEER_IP/24 dev br0
	ip -n peer addr add 192.0.2.3/24 dev br0
	arp_bond mode=active-backup arp_interval=100 arp_ip_target=$PEER_IP arp_validate=$1 || return 1
	ip netns exec peer ping -q -b -i 0.05 -W 1 -w 30 192.0.2.255 > /dev/null 2>&1 &
	BG_PIDS=$!
}
require "noise, arp_validate none" noise_bond none
check "none: a slave comes up on other traffic" wait_until 10 has_active
check "none: and the bond keeps an active slave" always_active 3
ab_cleanup
require "noise, arp_validate all" noise_bond all
snooze 3
check_eq "all: no active slave" "" "$(active)"
check_eq "all: bond down" "down" "$(<$B/mii_status)"
ab_cleanup

# arp_all_targets: with a second target that never answers, "any" keeps
# the slaves up and "all" takes them down (every slave validated).
for at in any all; do
	arp_peers
	require "arp_all_targets $at" arp_bond mode=active-backup arp_interval=100 \
		arp_ip_target=$PEER_IP,192.0.2.99 arp_validate=all arp_all_targets=$at
	check_eq "arp_all_targets reads $at" "$at $([ $at = all ] && echo 1 || echo 0)" "$(<$B/arp_all_targets)"
	if [ $at = any ]; then
		check "any: both slaves up" wait_until 10 both_up
		check "any: an active slave throughout" always_active 2
	else
		snooze 3
		check_eq "all: no active slave" "" "$(active)"
		check_eq "all: bond down" "down" "$(<$B/mii_status)"
	fi
	ab_cleanup
done
tap_done
