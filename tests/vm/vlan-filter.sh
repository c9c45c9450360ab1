#!/bin/bash
# rbond: parity
# VLANs over the bond reach the slaves' VLAN filters (netdevsim ports list
# theirs in debugfs): added after enslave, removed with the VLAN device,
# 802.1ad too; releasing a slave takes away only the bond's references, so a
# VLAN the slave has of its own stays in its filter.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ab-lib.sh"

NSIM_ID=8
cleanup() {
	local d
	for d in bond0.100 bond0.200 bond0.300 ipv0 ipv1 dm0; do [ -e /sys/class/net/$d ] && ip link del $d; done
	unload
	nsim_cleanup
}
# vids PORT: the VLAN filter of port PORT (0, 1: vl0, vl1), one
# "ctag N"/"stag N" per line.
vids() { cat /sys/kernel/debug/netdevsim/netdevsim$NSIM_ID/ports/$1/vlan; }
has_vid() { vids "$1" | grep -qx "$2"; }

cleanup
modprobe 8021q
nsim_ports $NSIM_ID 2 vl
P=("${NSIM[@]}")
require "netdevsim ports vl0, vl1" test "${P[*]}" = "vl0 vl1"
require "bond0 (balance-xor) over ${P[0]} and ${P[1]}" modprobe bonding mode=2 miimon=100
ip link set "${P[0]}" master bond0 && ip link set "${P[1]}" master bond0
ip link set bond0 up

check "VLAN 100 on bond0" ip link add link bond0 name bond0.100 type vlan id 100
check "port 0 filters VLAN 100" has_vid 0 "ctag 100"
check "port 1 filters VLAN 100" has_vid 1 "ctag 100"
check "802.1ad VLAN 200 on bond0" ip link add link bond0 name bond0.200 type vlan proto 802.1ad id 200
check "port 0 filters S-VLAN 200" has_vid 0 "stag 200"
check "port 1 filters S-VLAN 200" has_vid 1 "stag 200"
check "delete bond0.100" ip link del bond0.100
check_fails "port 0 no longer filters VLAN 100" has_vid 0 "ctag 100"
check_fails "port 1 no longer filters VLAN 100" has_vid 1 "ctag 100"

# Port 0 has VLAN 300 of its own, and so has the bond: releasing port 0
# drops the bond's reference only.
check "VLAN 300 on port 0 itself" ip link add link "${P[0]}" name dm0 type vlan id 300
check "VLAN 300 on bond0" ip link add link bond0 name bond0.300 type vlan id 300
check "release port 0" ip link set "${P[0]}" nomaster
check "port 0 still filters its own VLAN 300" has_vid 0 "ctag 300"
check_fails "port 0 no longer filters the bond's S-VLAN 200" has_vid 0 "stag 200"
check "port 1 still filters VLAN 300" has_vid 1 "ctag 300"
check "delete port 0's own VLAN" ip link del dm0
check_fails "now port 0 filters no VLAN 300" has_vid 0 "ctag 300"
cleanup

# A VLAN-challenged device that could be enslaved would test C's rule
# (refused by a bond with VLANs, else it makes the bond refuse VLANs); the
# only Ethernet one here, ipvlan, takes no rx handler, so both drivers
# refuse it whatever the VLANs.
ip link add dm0 type dummy
ip link add ipv0 link dm0 type ipvlan mode l2
check "bond0 (active-backup)" modprobe bonding mode=1 miimon=100
out=$(ip link set ipv0 master bond0 2>&1)
check_fails "ipvlan is refused" is_slave ipv0
check_match "with EINVAL" "Invalid argument" "$out"
cleanup
tap_done
