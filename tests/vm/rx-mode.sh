#!/bin/bash
# rbond: parity
# The bond's address lists reach every slave in the modes without an active
# slave (balance-rr, balance-xor, broadcast), however they were enslaved:
# multicast addresses added to the bond (before and after it is up) are on each
# slave, and a unicast address (a macvlan over the bond) makes each slave
# without unicast filtering (veth) promiscuous. Active-backup keeps them on
# the active slave only. A released slave loses them.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ab-lib.sh"

MC=01:00:5e:01:02:03
cleanup() {
	local d
	for d in mv0 eth0 eth1 eth2; do [ -e /sys/class/net/$d ] && ip link del $d; done
	unload
	true
}
has_mc() { ip maddr show dev "$1" | grep -q "link  *$2\b"; }
promiscuity() { ip -d -j link show dev "$1" | jq -r '.[0].promiscuity'; }
veths() {
	local i
	for i in 0 1 2; do ip link add eth$i address 02:00:00:00:00:1$i type veth peer name p$i; ip link set p$i up; done
}

cleanup
for mode in balance-xor balance-rr broadcast; do
	veths
	require "$mode bond" modprobe bonding mode=$mode miimon=100
	# eth0 and eth1 enslaved while bond0 is down, with an address added
	# before it comes up; eth2 after.
	ip link set dev bond0 allmulticast off
	check "$mode: multicast $MC on bond0 while down" ip maddr add $MC dev bond0
	ip link set eth0 master bond0 && ip link set eth1 master bond0
	ip link set bond0 up
	ip link set eth2 master bond0
	for s in eth0 eth1 eth2; do
		check "$mode: $s has $MC" has_mc $s $MC
	done
	check "$mode: another multicast address while up" ip maddr add 01:00:5e:01:02:04 dev bond0
	for s in eth0 eth1 eth2; do check "$mode: $s has it" has_mc $s 01:00:5e:01:02:04; done
	check "$mode: macvlan over bond0" ip link add link bond0 name mv0 address 02:00:00:00:09:09 type macvlan mode bridge
	ip link set mv0 up
	for s in eth0 eth1 eth2; do check_eq "$mode: $s promiscuous for mv0's address" 1 "$(promiscuity $s)"; done
	check "$mode: delete the macvlan" ip link del mv0
	for s in eth0 eth1 eth2; do check_eq "$mode: $s no longer promiscuous" 0 "$(promiscuity $s)"; done
	check "$mode: release eth1" ip link set eth1 nomaster
	check_fails "$mode: released eth1 lost $MC" has_mc eth1 $MC
	check "$mode: eth0 keeps $MC" has_mc eth0 $MC
	cleanup
done

# active-backup: on the active slave only.
veths
require "active-backup bond" modprobe bonding mode=active-backup miimon=100 primary=eth0
ip maddr add $MC dev bond0
ip link set eth0 master bond0 && ip link set eth1 master bond0
ip link set bond0 up
check "eth0 active" wait_until 10 active_is eth0
check "active eth0 has $MC" has_mc eth0 $MC
check_fails "backup eth1 has not" has_mc eth1 $MC
cleanup
tap_done
